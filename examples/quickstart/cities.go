package main

import (
	"context"
	"encoding/csv"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"

	"github.com/citylinks/citylinks"
	"github.com/citylinks/citylinks/internal/demo"
)

type regionRow struct {
	group, name string
	cities      int
	population  int64
}

// citiesByRegion counts the stored cities per UN M49 region and per
// initiative country list (as of the call for the 2015 Climate Adaptation
// Partnership Program), through the store's filters.
func citiesByRegion(ctx context.Context, e *demo.Env) ([]regionRow, error) {
	var rows []regionRow
	regions := map[string]string{}
	for _, c := range citylinks.Countries() {
		if c.Region.Code != "" {
			regions[c.Region.Code] = c.Region.Name
		}
	}
	codes := make([]string, 0, len(regions))
	for code := range regions {
		codes = append(codes, code)
	}
	slices.Sort(codes)
	for _, code := range codes {
		n, pop, err := countCities(ctx, e.Core, citylinks.CityFilter{Region: citylinks.Region{M49: code}})
		if err != nil {
			return nil, err
		}
		rows = append(rows, regionRow{"M49 region", regions[code], n, pop})
	}
	asOf := citylinks.Date{Year: 2015, Month: 1, Day: 6}
	for _, d := range citylinks.Designations() {
		n, pop, err := countCities(ctx, e.Core, citylinks.CityFilter{Region: citylinks.Region{Designation: &d, AsOf: asOf}})
		if err != nil {
			return nil, err
		}
		rows = append(rows, regionRow{"list " + asOf.String(), d.Name, n, pop})
	}
	return rows, nil
}

// countCities pages through every city matching f.
func countCities(ctx context.Context, s citylinks.Store, f citylinks.CityFilter) (n int, pop int64, err error) {
	f.Limit = citylinks.MaxPageSize
	for {
		p, err := s.ListCities(ctx, f)
		if err != nil {
			return 0, 0, err
		}
		for _, c := range p.Items {
			n++
			pop += c.Population
		}
		if p.Next == "" {
			return n, pop, nil
		}
		f.After = p.Next
	}
}

func writeRegionCSV(dir string, rows []regionRow) (string, error) {
	out := filepath.Join(dir, "cities_summary.csv")
	f, err := os.Create(out)
	if err != nil {
		return "", err
	}
	cw := csv.NewWriter(f)
	cw.Write([]string{"group", "name", "cities", "population"})
	for _, r := range rows {
		cw.Write([]string{r.group, r.name, fmt.Sprint(r.cities), fmt.Sprint(r.population)})
	}
	cw.Flush()
	return out, errors.Join(cw.Error(), f.Close())
}
