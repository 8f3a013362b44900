package render

import (
	"embed"
	"encoding/xml"
	"fmt"
	"sync"
)

//go:embed codelists/*.xml
var codelistFiles embed.FS

// codeStatus is a code's status in its codelist.
type codeStatus int

const (
	codeUnknown codeStatus = iota
	codeActive
	codeWithdrawn
)

var (
	codelistsOnce sync.Once
	codelists     map[string]map[string]codeStatus
	codelistsErr  error
)

// loadCodelists parses every embedded codelist once.
func loadCodelists() (map[string]map[string]codeStatus, error) {
	codelistsOnce.Do(func() {
		entries, err := codelistFiles.ReadDir("codelists")
		if err != nil {
			codelistsErr = err
			return
		}
		codelists = map[string]map[string]codeStatus{}
		for _, e := range entries {
			b, err := codelistFiles.ReadFile("codelists/" + e.Name())
			if err != nil {
				codelistsErr = err
				return
			}
			var doc struct {
				Name  string `xml:"name,attr"`
				Items []struct {
					Status string `xml:"status,attr"`
					Code   string `xml:"code"`
				} `xml:"codelist-items>codelist-item"`
			}
			if err := xml.Unmarshal(b, &doc); err != nil {
				codelistsErr = fmt.Errorf("render: codelist %s: %w", e.Name(), err)
				return
			}
			m := make(map[string]codeStatus, len(doc.Items))
			for _, it := range doc.Items {
				st := codeActive
				if it.Status == "withdrawn" {
					st = codeWithdrawn
				}
				m[it.Code] = st
			}
			codelists[doc.Name] = m
		}
	})
	return codelists, codelistsErr
}

// IATICode reports whether code is a code of the named IATI 2.03 codelist
// shipped with this package (for example "Sector", "OrganisationType",
// "Country"): known is false for a code not in the list, withdrawn true for
// a code the list has withdrawn.
func IATICode(list, code string) (known, withdrawn bool) {
	cls, err := loadCodelists()
	if err != nil {
		return false, false
	}
	switch cls[list][code] {
	case codeActive:
		return true, false
	case codeWithdrawn:
		return true, true
	}
	return false, false
}
