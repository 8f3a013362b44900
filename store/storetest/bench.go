package storetest

import (
	"testing"

	"github.com/citylinks/citylinks"
	"github.com/citylinks/citylinks/dataset"
)

// BenchFactory returns a fresh, empty store for a benchmark.
type BenchFactory func(b *testing.B) Store

// shippedCities parses the shipped GeoNames table once.
func shippedCities(b *testing.B) []citylinks.City {
	b.Helper()
	var cs []citylinks.City
	for c, err := range citylinks.ReadGeoNames(dataset.Cities(), nil) {
		if err != nil {
			b.Fatal(err)
		}
		cs = append(cs, c)
	}
	return cs
}

// BenchmarkImportCities loads all 32,847 shipped cities into a fresh store
// in one ImportCities call per iteration, and reports rows/s. Parsing the
// CSV is outside the timer.
func BenchmarkImportCities(b *testing.B, newStore BenchFactory) {
	cs := shippedCities(b)
	b.ReportAllocs()
	b.ResetTimer()
	for range b.N {
		b.StopTimer()
		s := newStore(b)
		b.StartTimer()
		res, err := s.ImportCities(b.Context(), seqOf(cs...), nil)
		if err != nil {
			b.Fatal(err)
		}
		if res.Imported != len(cs) {
			b.Fatalf("imported %d of %d", res.Imported, len(cs))
		}
	}
	b.ReportMetric(float64(len(cs)*b.N)/b.Elapsed().Seconds(), "rows/s")
}

// BenchmarkListCities measures one page of ListCities with filters on the
// loaded table of 32,847 cities: a designation, a population range, a UN
// M49 region, and a page deep into the unfiltered table.
func BenchmarkListCities(b *testing.B, newStore BenchFactory) {
	cs := shippedCities(b)
	s := newStore(b)
	if _, err := s.ImportCities(b.Context(), seqOf(cs...), nil); err != nil {
		b.Fatal(err)
	}
	ftf, _ := citylinks.LookupDesignation(citylinks.DesignationFeedTheFuture2010)
	min, max := int64(100_000), int64(1_000_000)
	filters := []struct {
		name string
		f    citylinks.CityFilter
	}{
		{"designation", citylinks.CityFilter{Region: citylinks.Region{Designation: &ftf}, Limit: 100}},
		{"designation+population", citylinks.CityFilter{Region: citylinks.Region{Designation: &ftf}, MinPopulation: &min, MaxPopulation: &max, Limit: 100}},
		{"m49=Africa", citylinks.CityFilter{Region: citylinks.Region{M49: "Africa"}, Limit: 100}},
		{"country=US,after", citylinks.CityFilter{Region: citylinks.Region{Countries: []string{"US"}}, After: "5000000", Limit: 100}},
		{"all,limit=1000", citylinks.CityFilter{Limit: 1000}},
	}
	for _, tc := range filters {
		b.Run(tc.name, func(b *testing.B) {
			b.ReportAllocs()
			for range b.N {
				p, err := s.ListCities(b.Context(), tc.f)
				if err != nil {
					b.Fatal(err)
				}
				if len(p.Items) == 0 {
					b.Fatal("empty page")
				}
			}
		})
	}
}
