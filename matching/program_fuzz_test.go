package matching_test

import (
	"bytes"
	"errors"
	"strings"
	"testing"

	"github.com/citylinks/citylinks"
	"github.com/citylinks/citylinks/matching"
)

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
	f.Fuzz(func(t *testing.T, data []byte) {
		p, e, err := matching.LoadProgram(bytes.NewReader(data), nil)
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
		for _, f := range p.FocusAreas {
			for _, s := range subjects {
				s.FocusArea = f
				v := e.Check(s)
				if len(v.Reasons) == 0 {
					t.Fatalf("verdict %v on %s without a reason", v.Eligible, s.City.Name)
				}
			}
		}
	})
}
