package partnership

import (
	"cmp"
	"context"
	"fmt"
	"slices"

	"github.com/citylinks/citylinks"
	"github.com/citylinks/citylinks/internal/errtext"
)

// Dim is what a roll-up groups contributions by.
type Dim string

// The roll-up dimensions.
const (
	DimPartnership Dim = "partnership"
	DimParty       Dim = "party"   // the contributing organization id
	DimProgram     Dim = "program" // the partnership's program
	DimPeriod      Dim = "period"  // the contribution's date, by RollupQuery.Period
	DimPerson      Dim = "person"
)

// PeriodKind is the length of a roll-up period.
type PeriodKind string

// The period kinds (the values of report.PeriodKind that a roll-up of
// contributions uses). Period labels are "2015", "2015-Q2" and "2015-06".
const (
	PeriodYear    PeriodKind = "year"
	PeriodQuarter PeriodKind = "quarter"
	PeriodMonth   PeriodKind = "month"
)

// RollupQuery asks for volunteer time and in-kind value, summed.
type RollupQuery struct {
	// Filter selects the partnerships (After and Limit are ignored).
	Filter Filter
	// GroupBy lists the dimensions of each row; none gives one total row.
	GroupBy []Dim
	// Period is the length of a DimPeriod period. Defaults to PeriodYear.
	Period PeriodKind
	// From and To keep contributions dated within [From, To]; zero dates
	// leave that side open.
	From, To citylinks.Date
}

// RollupRow is one row of a roll-up: the group's key and its sums.
type RollupRow struct {
	Partnership   string // set when grouped DimPartnership
	Party         string // set when grouped DimParty
	Program       string // set when grouped DimProgram
	Period        string // set when grouped DimPeriod
	Person        string // set when grouped DimPerson
	Contributions int    // how many contributions were summed
	Minutes       int64  // volunteer time
	// InKind holds the in-kind value, one Money per currency, ordered by
	// currency code: amounts in different currencies are never added.
	InKind []citylinks.Money
}

// Hours returns the group's volunteer time in hours.
func (r RollupRow) Hours() float64 { return float64(r.Minutes) / 60 }

func (q RollupQuery) validate() error {
	for i, d := range q.GroupBy {
		switch d {
		case DimPartnership, DimParty, DimProgram, DimPeriod, DimPerson:
		default:
			return invalid(fmt.Sprintf("group_by[%d]", i), "%q is not a dimension (partnership, party, program, period, person)", errtext.Clip(string(d)))
		}
	}
	switch q.Period {
	case "", PeriodYear, PeriodQuarter, PeriodMonth:
	default:
		return invalid("period", "%q is not a period kind (year, quarter, month)", errtext.Clip(string(q.Period)))
	}
	if err := validDate("from", q.From, false); err != nil {
		return err
	}
	if err := validDate("to", q.To, false); err != nil {
		return err
	}
	if err := validRange("to", q.From, q.To); err != nil {
		return err
	}
	return q.Filter.Validate()
}

// periodLabel names the period of g that contains d.
func periodLabel(d citylinks.Date, g PeriodKind) string {
	switch g {
	case PeriodMonth:
		return fmt.Sprintf("%04d-%02d", d.Year, int(d.Month))
	case PeriodQuarter:
		return fmt.Sprintf("%04d-Q%d", d.Year, (int(d.Month)-1)/3+1)
	}
	return fmt.Sprintf("%04d", d.Year)
}

// Rollup sums the contributions of partnerships by q's dimensions. Rows
// come ordered by their key. q.Filter is applied to the partnerships.
func Rollup(ps []Partnership, q RollupQuery) ([]RollupRow, error) {
	if err := q.validate(); err != nil {
		return nil, err
	}
	f := q.Filter
	f.After, f.Limit = "", 0
	type groupKey struct{ partnership, party, program, period, person string }
	groups := map[groupKey]*RollupRow{}
	for i := range ps {
		p := &ps[i]
		if !f.Match(p.Summary()) {
			continue
		}
		for _, c := range p.Contributions {
			if (!q.From.IsZero() && c.Date.Before(q.From)) || (!q.To.IsZero() && c.Date.After(q.To)) {
				continue
			}
			var key groupKey
			for _, d := range q.GroupBy {
				switch d {
				case DimPartnership:
					key.partnership = p.ID
				case DimParty:
					key.party = c.Party
				case DimProgram:
					key.program = p.Program
				case DimPeriod:
					key.period = periodLabel(c.Date, q.Period)
				case DimPerson:
					key.person = c.Person
				}
			}
			g := groups[key]
			if g == nil {
				g = &RollupRow{Partnership: key.partnership, Party: key.party, Program: key.program, Period: key.period, Person: key.person}
				groups[key] = g
			}
			g.Contributions++
			g.Minutes += c.Minutes
			if c.InKind.Amount != 0 {
				j := slices.IndexFunc(g.InKind, func(m citylinks.Money) bool { return m.Currency == c.InKind.Currency })
				if j < 0 {
					g.InKind = append(g.InKind, citylinks.Money{Currency: c.InKind.Currency})
					j = len(g.InKind) - 1
				}
				sum, err := g.InKind[j].Add(c.InKind)
				if err != nil {
					return nil, fmt.Errorf("partnership: roll-up of %s: %w", p.ID, err)
				}
				g.InKind[j] = sum
			}
		}
	}
	out := make([]RollupRow, 0, len(groups))
	for _, g := range groups {
		slices.SortFunc(g.InKind, func(a, b citylinks.Money) int { return cmp.Compare(a.Currency, b.Currency) })
		out = append(out, *g)
	}
	slices.SortFunc(out, func(a, b RollupRow) int {
		return cmp.Or(cmp.Compare(a.Partnership, b.Partnership), cmp.Compare(a.Party, b.Party),
			cmp.Compare(a.Program, b.Program), cmp.Compare(a.Period, b.Period), cmp.Compare(a.Person, b.Person))
	})
	return out, nil
}

// Rollup sums the contributions of every partnership that matches q.Filter
// and that actor may read; see RollupQuery.
func (s *Service) Rollup(ctx context.Context, actor citylinks.Actor, q RollupQuery) ([]RollupRow, error) {
	if err := q.validate(); err != nil {
		return nil, err
	}
	f := q.Filter
	f.After, f.Limit = "", citylinks.MaxPageSize
	var ps []Partnership
	for {
		page, err := s.List(ctx, actor, f)
		if err != nil {
			return nil, err
		}
		for _, sum := range page.Items {
			_, p, err := s.load(ctx, actor, sum.ID)
			if err != nil {
				return nil, err
			}
			ps = append(ps, p)
		}
		if page.Next == "" {
			break
		}
		f.After = page.Next
	}
	return Rollup(ps, q)
}
