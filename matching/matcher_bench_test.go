package matching_test

import (
	"math/rand/v2"
	"testing"

	"github.com/citylinks/citylinks"
	"github.com/citylinks/citylinks/dataset"
	"github.com/citylinks/citylinks/matching"
)

// worldRound is the world-scale round: every non-US city in the shipped
// GeoNames table as a host, against every US city there of over 50,000
// people as a resource with capacity 3. The table has no needs, offers or
// commitment, so they are drawn from a fixed seed: each host needs one to
// three of the climate topics, each resource offers two to five, and half
// of the cities have a commitment.
func worldRound(tb testing.TB) matching.Round {
	tb.Helper()
	fa, err := citylinks.LookupFocusArea(citylinks.FocusClimate)
	if err != nil {
		tb.Fatal(err)
	}
	rng := rand.New(rand.NewPCG(2011, 2016))
	profile := func(lo, hi int) []citylinks.TopicLevel {
		n := lo + rng.IntN(hi-lo+1)
		var tl []citylinks.TopicLevel
		for _, i := range rng.Perm(len(fa.Topics))[:n] {
			tl = append(tl, citylinks.TopicLevel{Topic: fa.Topics[i], Level: citylinks.Level(1 + rng.IntN(3))})
		}
		return tl
	}
	commitment := func() *float64 {
		if rng.IntN(2) == 0 {
			return nil
		}
		c := rng.Float64()
		return &c
	}
	r := matching.Round{FocusArea: citylinks.FocusClimate, AsOf: citylinks.Date{Year: 2015, Month: 3, Day: 23}}
	for c, err := range citylinks.ReadGeoNames(dataset.Cities(), nil) {
		if err != nil {
			tb.Fatal(err)
		}
		switch {
		case c.Country != "US":
			c.Needs = profile(1, 3)
			r.Hosts = append(r.Hosts, matching.Party{City: c, Commitment: commitment()})
		case c.Population > 50_000:
			c.Offers = profile(2, 5)
			c.Capacity = 3
			r.Resources = append(r.Resources, matching.Party{City: c, Commitment: commitment()})
		}
	}
	return r
}

// BenchmarkMatchWorld runs eligibility, scoring, top-50 candidates, the
// optimal assignment and the explanations at world scale (≈29,455 hosts ×
// 974 resources): "CityLinks2011" with the program's climate rules (hosts
// in high-income economies are ineligible), "AllEligible" with no rules, so
// that all ≈28.7 million pairs are scored.
func BenchmarkMatchWorld(b *testing.B) {
	r := worldRound(b)
	p, err := citylinks.LookupProgram(citylinks.ProgramCityLinks2011)
	if err != nil {
		b.Fatal(err)
	}
	cl, err := matching.ProgramEligibility(p, nil)
	if err != nil {
		b.Fatal(err)
	}
	for _, bc := range []struct {
		name string
		elig *matching.Eligibility
	}{{"CityLinks2011", cl}, {"AllEligible", nil}} {
		b.Run(bc.name, func(b *testing.B) {
			m, err := matching.NewMatcher(bc.elig, &matching.Options{TopK: 50})
			if err != nil {
				b.Fatal(err)
			}
			var res *matching.Result
			for b.Loop() {
				if res, err = m.Match(b.Context(), r); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(len(r.Hosts)), "hosts")
			b.ReportMetric(float64(len(r.Resources)), "resources")
			b.ReportMetric(float64(res.Stats.Scored), "pairs-scored")
			b.ReportMetric(float64(len(res.Proposals)), "proposals")
		})
	}
}
