package render_test

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/citylinks/citylinks"
	"github.com/citylinks/citylinks/report/render"
	"github.com/citylinks/citylinks/report/reporttest"
)

// FuzzCheckIATI: CheckIATI reads any IATI file a user hands it. It never
// panics; a document it cannot read is an error wrapping
// citylinks.ErrInvalid, and every problem it reports names a rule, a
// severity and a path.
func FuzzCheckIATI(f *testing.F) {
	golden, err := os.ReadFile(filepath.Join("testdata", "iati.xml"))
	if err != nil {
		f.Fatal(err)
	}
	f.Add(golden)
	f.Add([]byte(strings.Replace(string(golden), "<pos>-29.8579 31.0292</pos>", "<pos>NaN 1e999</pos>", 1)))
	f.Add([]byte(strings.Replace(string(golden), `url="https://stage.icma.org/`, `url="%zz://`, 1)))
	f.Add([]byte(`<iati-activities version="2.03"><iati-activity><location><point srsName=""><pos> </pos></point></location><document-link url="" format=""><title/></document-link><related-activity ref="" type=""/></iati-activity></iati-activities>`))
	f.Add([]byte("<iati-activities"))
	f.Fuzz(func(t *testing.T, doc []byte) {
		problems, err := render.CheckIATI(bytes.NewReader(doc), reporttest.Now)
		if err != nil {
			if !errors.Is(err, citylinks.ErrInvalid) {
				t.Fatalf("an unreadable document gives %v, not an error wrapping ErrInvalid", err)
			}
			return
		}
		for _, p := range problems {
			if p.Rule == "" || p.Path == "" || p.Severity != render.SeverityError && p.Severity != render.SeverityWarning {
				t.Fatalf("problem without rule, path or severity: %+v", p)
			}
		}
	})
}
