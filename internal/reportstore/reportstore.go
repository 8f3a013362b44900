package reportstore

import (
	"fmt"
	"slices"
	"strings"

	"github.com/citylinks/citylinks/report"
)

// IsApproved reports whether an observation of period p is within one of
// the approved periods.
func IsApproved(p report.Period, approved []report.Period) bool {
	return slices.ContainsFunc(approved, func(a report.Period) bool { return a.Contains(p) })
}

// CompareCells orders cells by group values, indicator and kind.
func CompareCells(a, b report.Cell) int {
	if c := slices.Compare(a.Group, b.Group); c != 0 {
		return c
	}
	if c := strings.Compare(a.Indicator, b.Indicator); c != 0 {
		return c
	}
	return strings.Compare(string(a.Kind), string(b.Kind))
}

// AggregateCells is the reference definition of a roll-up, which every
// backend must match: observations pass q's filters and have exactly the
// query's disaggregation key set; they are grouped by q.GroupBy, indicator
// and kind; each cell counts and sums the values, keeps the latest period
// end and, for q.Latest indicators, sums and counts the values at that end.
// Observations of partnerships missing from acts are skipped, and actuals
// are kept by q.Approval, judged against approved (each partnership's
// approved periods). Cells come out sorted by [CompareCells]. Backends
// without SQL push-down may call it.
func AggregateCells(acts map[string]report.Activity, obs []report.Observation, approved map[string][]report.Period, q report.RollupQuery) []report.Cell {
	keys := q.DisaggregationKeys()
	idx := map[string]int{}
	var cells []report.Cell
	for _, o := range obs {
		a, ok := acts[o.Partnership]
		if !ok || strings.Join(o.Disaggregation.Keys(), ",") != keys || !q.Match(a, o) ||
			!q.Approval.Keep(o.Kind, o.Kind == report.KindActual && IsApproved(o.Period, approved[o.Partnership])) {
			continue
		}
		group := make([]string, len(q.GroupBy))
		for i, d := range q.GroupBy {
			group[i] = report.GroupValue(d, a, o)
		}
		k := strings.Join(group, "\x00") + "\x00" + o.Indicator + "\x00" + string(o.Kind)
		i, ok := idx[k]
		if !ok {
			i = len(cells)
			idx[k] = i
			cells = append(cells, report.Cell{Group: group, Indicator: o.Indicator, Kind: o.Kind})
		}
		c := &cells[i]
		c.Count++
		c.Sum += o.Value
		latest := slices.Contains(q.Latest, o.Indicator)
		switch cmp := o.Period.End.Compare(c.LatestEnd); {
		case cmp > 0 || c.LatestEnd.IsZero():
			c.LatestEnd = o.Period.End
			if latest {
				c.LatestSum, c.LatestCount = o.Value, 1
			}
		case cmp == 0 && latest:
			c.LatestSum += o.Value
			c.LatestCount++
		}
	}
	slices.SortFunc(cells, CompareCells)
	return cells
}

// CheckContributions is the check every backend makes, inside the
// transaction that writes them, of contributions against the stored
// versions of their ids: a stored id keeps its partnership and owner.
func CheckContributions(cs []report.Contribution, old map[string]report.Contribution) error {
	for _, c := range cs {
		prev, ok := old[c.ID]
		switch {
		case !ok:
		case prev.Partnership != c.Partnership:
			return &report.ConflictError{ID: c.ID, Reason: "the id belongs to a contribution to another partnership; an id stays with its partnership for ever, so choose another id"}
		case prev.Owner != c.Owner:
			return &report.ConflictError{ID: c.ID, Reason: fmt.Sprintf("the contribution was recorded by organization %q, not %q; a contribution stays with the organization that recorded it", prev.Owner, c.Owner)}
		}
	}
	return nil
}
