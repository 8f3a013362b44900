package main

import (
	"context"
	"fmt"

	"github.com/citylinks/citylinks/partnership"
)

// summarize prints what the store now holds and writes the summary files.
func summarize(ctx context.Context, e *env, cfg config) error {
	w := e.w
	rows, err := citiesByRegion(ctx, e)
	if err != nil {
		return err
	}
	fmt.Fprintf(w, "\nCities per region and initiative country list:\n")
	fmt.Fprintf(w, "  %-16s  %-56s  %7s  %15s\n", "group", "name", "cities", "population")
	for _, r := range rows {
		fmt.Fprintf(w, "  %-16s  %-56s  %7d  %15d\n", r.group, r.name, r.cities, r.population)
	}
	path, err := writeRegionCSV(cfg.outDir, rows)
	if err != nil {
		return err
	}

	byState := map[partnership.State]int{}
	f := partnership.Filter{Limit: 1000}
	for {
		p, err := e.svc.List(ctx, e.icma, f)
		if err != nil {
			return err
		}
		for _, s := range p.Items {
			byState[s.State]++
		}
		if p.Next == "" {
			break
		}
		f.After = p.Next
	}
	fmt.Fprintf(w, "\nPartnerships by state:")
	for _, s := range partnership.States() {
		if n := byState[s]; n > 0 {
			fmt.Fprintf(w, "  %s %d", s, n)
		}
	}
	fmt.Fprintln(w)
	fmt.Fprintf(w, "\nWrote %s.\n", path)
	return nil
}
