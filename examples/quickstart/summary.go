package main

import (
	"context"
	"fmt"
	"io"
	"sort"
	"strings"

	"github.com/citylinks/citylinks"
	"github.com/citylinks/citylinks/internal/demo"
	"github.com/citylinks/citylinks/partnership"
	"github.com/citylinks/citylinks/report"
)

// summarize prints what the program now holds and where the files are.
func summarize(ctx context.Context, w io.Writer, e *demo.Env, cfg config, r *report.Report, files []string, seeded demo.Seeded) error {
	rows, err := citiesByRegion(ctx, e)
	if err != nil {
		return err
	}
	path, err := writeRegionCSV(cfg.outDir, rows)
	if err != nil {
		return err
	}
	files = append(files, path)

	fmt.Fprintf(w, "\nSummary\n")
	fmt.Fprintf(w, "  Cities by UN M49 region:")
	for _, r := range rows {
		if r.group == "M49 region" {
			fmt.Fprintf(w, "  %s %d", r.name, r.cities)
		}
	}
	fmt.Fprintf(w, "\n  Cities in initiative countries (as of 2015-01-06):")
	for _, r := range rows {
		if r.group != "M49 region" {
			fmt.Fprintf(w, "  %s %d;", strings.TrimSuffix(r.name, ")")+")", r.cities)
		}
	}
	fmt.Fprintln(w)

	sums, err := e.ListAll(ctx)
	if err != nil {
		return err
	}
	byState := map[partnership.State]int{}
	for _, s := range sums {
		byState[s.State]++
	}
	fmt.Fprintf(w, "  Partnerships by state:")
	for _, s := range partnership.States() {
		if n := byState[s]; n > 0 {
			fmt.Fprintf(w, "  %s %d", s, n)
		}
	}
	fmt.Fprintln(w)
	fmt.Fprintf(w, "  Matches made in the demonstration round: %d\n", seeded.Matches)

	var hours float64
	var inKind []citylinks.Money
	count := 0
	for _, t := range r.Rollup.Contributions {
		hours += t.Hours
		count += t.Count
		inKind = addMoney(inKind, t.InKind)
	}
	fmt.Fprintf(w, "  Volunteer time: %.0f hours in %d contributions", hours, count)
	for _, m := range inKind {
		fmt.Fprintf(w, "; in-kind value %s", m)
	}
	fmt.Fprintln(w)

	byStatus := map[report.ProgressStatus][]string{}
	for _, row := range r.Rollup.Rows {
		if row.Progress == nil {
			continue
		}
		byStatus[row.Status] = append(byStatus[row.Status], row.Indicator+" in "+strings.Join(row.Group, "/"))
	}
	statuses := make([]string, 0, len(byStatus))
	for s := range byStatus {
		statuses = append(statuses, string(s))
	}
	sort.Strings(statuses)
	fmt.Fprintf(w, "  Indicators against target:")
	for _, s := range statuses {
		fmt.Fprintf(w, "  %s %d", s, len(byStatus[report.ProgressStatus(s)]))
	}
	fmt.Fprintln(w)
	for _, row := range byStatus[report.ProgressOnTrack] {
		fmt.Fprintf(w, "    on track: %s\n", row)
	}
	overdue := 0
	for _, d := range r.Due {
		if d.Status == report.DueOverdue {
			overdue++
		}
	}
	fmt.Fprintf(w, "  Reports overdue as of %s: %d\n", demoAsOf, overdue)

	fmt.Fprintf(w, "\nWrote:\n")
	for _, f := range files {
		fmt.Fprintf(w, "  %s\n", f)
	}
	if cfg.iatiOrgRef == demoIATIRef {
		fmt.Fprintf(w, "iati.xml names the illustrative publisher %s: pass -iati-org-ref with your IATI organisation identifier before publishing it.\n", demoIATIRef)
	}
	return nil
}

// addMoney adds amounts into per-currency totals.
func addMoney(totals []citylinks.Money, ms []citylinks.Money) []citylinks.Money {
	for _, m := range ms {
		found := false
		for i := range totals {
			if totals[i].Currency == m.Currency {
				totals[i].Amount += m.Amount
				found = true
			}
		}
		if !found {
			totals = append(totals, m)
		}
	}
	return totals
}
