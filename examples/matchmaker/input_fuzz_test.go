package main

import (
	"bytes"
	"errors"
	"os"
	"testing"

	"github.com/citylinks/citylinks"
	"github.com/citylinks/citylinks/matching"
)

func FuzzReadParties(f *testing.F) {
	for _, name := range []string{"testdata/hosts.csv", "testdata/partners.csv", "testdata/bad_hosts.csv"} {
		b, err := os.ReadFile(name)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b, name == "testdata/partners.csv")
	}
	f.Add([]byte("id,name,country,population,latitude,longitude,elevation_m,needs\n1,A,KE,,,,,\n"), false)
	f.Add([]byte("\ufeffID,Name,Country,Population,Latitude,Longitude,Elevation_m,Offers,Capacity,Kind\nx,\"Multi\nline\",Kenya,1,1,1,1,stormwater:basic,3,county\n"), true)
	f.Add([]byte("id,name\n"), false)
	f.Add([]byte(""), true)
	f.Fuzz(func(t *testing.T, data []byte, partners bool) {
		side := matching.SideHost
		if partners {
			side = matching.SideResource
		}
		parties, err := readParties(bytes.NewReader(data), "in.csv", side)
		if err != nil {
			var ie *inputError
			if !errors.As(err, &ie) || len(ie.Rows) == 0 || len(ie.Rows) > maxBadRows {
				t.Fatalf("not an input error listing 1..%d rows: %v", maxBadRows, err)
			}
			for _, r := range ie.Rows {
				if r.Line < 1 {
					t.Fatalf("row error without a line: %v", r)
				}
			}
			if !errors.Is(err, citylinks.ErrInvalid) {
				t.Fatalf("input error does not wrap ErrInvalid: %v", err)
			}
			return
		}
		seen := map[string]bool{}
		for _, p := range parties {
			if err := p.City.Validate(); err != nil {
				t.Fatalf("invalid city read: %v", err)
			}
			if seen[p.City.ID] {
				t.Fatalf("id %q read twice", p.City.ID)
			}
			seen[p.City.ID] = true
			if c := p.Commitment; c != nil && !(*c >= 0 && *c <= 1) {
				t.Fatalf("commitment %v read", *c)
			}
			if side == matching.SideHost && p.City.Offers != nil || side == matching.SideResource && p.City.Needs != nil {
				t.Fatalf("profile on the wrong side")
			}
		}
	})
}
