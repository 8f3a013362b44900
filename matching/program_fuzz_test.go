package matching_test

import (
	"bytes"
	"encoding/json"
	"errors"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/citylinks/citylinks"
	"github.com/citylinks/citylinks/internal/membound"
	"github.com/citylinks/citylinks/matching"
)

// FuzzLoadProgram: loading allocates memory proportional to the input
// (membound); a rejection is a *citylinks.ValidationError whose field is a
// JSON path; an accepted program validates, gives every subject a
// verdict with a reason, and, written back with json.Marshal, loads again
// to the same program with the same verdicts.
func FuzzLoadProgram(f *testing.F) {
	f.Add([]byte(cappProgram))
	f.Add([]byte(`{"id":"p","name":"P","start":"2015-01-01","focus_areas":["climate"],"eligibility":{"every_focus_area":{"host":[{"not":{"any":[{"designation":"ftf-focus-2010"},{"m49_region":["002"]}]}}]}}}`))
	f.Add([]byte(`{"id":"p","name":"P","start":"2015-01-01","focus_areas":["climate"],"eligibility":{"focus_areas":{"climate":{"host":{"population":{"min":1,"max":0}}}}}}`))
	f.Add([]byte(`{"id":"p","name":"P","start":"2015-01-01","focus_areas":["climate"],"eligibility":{"designations":[{"id":"x","name":"X","effective":"2015-01-01","countries":["KE","ke"]}]}}`))
	f.Add([]byte(`{"id":"p","name":"P","start":"2015-01-01","focus_areas":["climate"],"eligibility":{"every_focus_area":{"resource":{"organization_kind":["ngo"],"income_group":{"in":["low"]}}}}}`))
	f.Add([]byte(`{"id":"p","name":"P","start":"2015-01-01","focus_areas":["climate"],"eligibility":[]}`))
	subjects := []matching.Subject{
		subjectIn("La Ceiba", "HN", 197_267),
		subjectIn("Pristina", "XK", 0),
		resourceSubject("Fort Lauderdale", ftlBroward),
	}
	f.Add([]byte(`{"id":"p","name":"P","start":"2015-01-01","focus_areas":["climate"],"eligibility":{"every_focus_area":{"host":` + strings.Repeat(`{"not":`, 10_000) + `{"not_partnered":true}` + strings.Repeat("}", 10_000) + `}}}`))
	// The first load reads the built-in designation and country tables:
	// not a cost of any input.
	if _, _, err := matching.LoadProgram(strings.NewReader(cappProgram), nil); err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		var (
			p   citylinks.Program
			e   *matching.Eligibility
			err error
		)
		membound.Check(t, "LoadProgram", len(data), func() { p, e, err = matching.LoadProgram(bytes.NewReader(data), nil) })
		if err != nil {
			var ve *citylinks.ValidationError
			if !errors.As(err, &ve) || !strings.HasPrefix(ve.Field, "$") || !errors.Is(err, citylinks.ErrInvalid) {
				t.Fatalf("error without a JSON path: %v", err)
			}
			return
		}
		if err := p.Validate(); err != nil {
			t.Fatalf("loaded program does not validate: %v", err)
		}
		b, err := json.Marshal(p)
		if err != nil {
			t.Fatal(err)
		}
		p2, e2, err := matching.LoadProgram(bytes.NewReader(b), nil)
		if err != nil {
			t.Fatalf("re-load of %s: %v", b, err)
		}
		if d := cmp.Diff(p, p2); d != "" {
			t.Fatalf("round trip changed the program (-first +second):\n%s", d)
		}
		for _, f := range p.FocusAreas {
			for _, s := range subjects {
				s.FocusArea = f
				v := e.Check(s)
				if len(v.Reasons) == 0 {
					t.Fatalf("verdict %v on %s without a reason", v.Eligible, s.City.Name)
				}
				if v2 := e2.Check(s); v2.Eligible != v.Eligible || !slices.Equal(v2.Reasons, v.Reasons) {
					t.Fatalf("round trip changed the verdict on %s in %s: %v %q, then %v %q", s.City.Name, f, v.Eligible, v.Reasons, v2.Eligible, v2.Reasons)
				}
			}
		}
	})
}
