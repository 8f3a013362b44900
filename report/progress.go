package report

import (
	"cmp"
	"slices"
	"time"

	"github.com/citylinks/citylinks"
)

// View is how a Track sets actuals beside targets.
type View string

// The views.
const (
	// ViewPerPeriod shows, for each target period, the actuals within it
	// against its target; actuals outside every target period are grouped
	// by the indicator's frequency (a year for annual targets) and shown
	// without a target. Cumulative targets (life of project; baseline,
	// midline and endline) do not apply to one period, so this view of
	// such an indicator has no target.
	ViewPerPeriod View = "per-period"
	// ViewCumulative shows the running total of the actuals (for sum
	// indicators; the latest value for mean and latest ones) against the
	// target due by then: the life-of-project target, the next milestone,
	// or the running total of per-period targets.
	ViewCumulative View = "cumulative"
)

// Views returns every View.
func Views() []View { return []View{ViewPerPeriod, ViewCumulative} }

// Valid reports whether v is one of the Views.
func (v View) Valid() bool { return slices.Contains(Views(), v) }

// View returns the view in which targets of frequency f compare like with
// like: cumulative for life-of-project and milestone targets, per period
// for the others (and for the zero TargetFrequency).
func (f TargetFrequency) View() View {
	if f.Cumulative() {
		return ViewCumulative
	}
	return ViewPerPeriod
}

// Track is one indicator of one partnership over time, with each point's
// actual beside the target it is measured against: what a chart draws as
// the actual line (or bars) and the target line. Build it with NewTrack.
type Track struct {
	Partnership string `json:"partnership"`
	Indicator   string `json:"indicator"`
	View        View   `json:"view"`
	// Baseline is the aggregate of the series' baselines by the
	// indicator's aggregation, nil when there is none; progress counts
	// from it (from 0 without one), as in a roll-up.
	Baseline *float64     `json:"baseline"`
	Points   []TrackPoint `json:"points"`
}

// TrackPoint is one point of a Track.
type TrackPoint struct {
	// Period is the span the point covers: a target's period, or the
	// period that groups actuals without a target. In the cumulative
	// view, Actual counts from the first actual up to Period.End.
	Period Period `json:"period"`
	// Actual is nil when no actual counts toward the point, and in the
	// cumulative view for a point after the last actual (not reported
	// yet).
	Actual *float64 `json:"actual"`
	// Target is the target the point is measured against, nil where none
	// applies: a chart draws its target line only through points that
	// have one.
	Target *float64 `json:"target"`
	// Actuals counts the reported periods behind Actual; Pending counts
	// those of them not approved yet, which a report marks.
	Actuals int `json:"actuals"`
	Pending int `json:"pending"`
	// Progress and Status are as in a roll-up Row: (actual − baseline) /
	// (target − baseline) and its class against the on-track band.
	Progress *float64       `json:"progress"`
	Status   ProgressStatus `json:"status"`
}

// NewTrack sets s's actuals beside its targets in view v (the zero View
// means in.TargetFrequency.View()), with band the on-track band (e.g.
// DefaultBand). Every figure of s counts, approved or not (TrackPoint.Pending
// says how many are not); breakdowns are left out. A qualitative indicator
// has no figures: its Track has no points.
//
// Per period, a quarter is never measured against a year's target:
// actuals count toward the shortest target period that contains them, and
// the rest toward a period of the indicator's frequency without a target.
// Cumulatively, the running total at a period's end is measured against
// the life-of-project target, the first milestone due on or after that
// end (the last one after every milestone), or, for per-period targets,
// their running total — only where every point so far has a target, so
// that actuals without a target are never set against one.
func NewTrack(in Indicator, s Series, v View, band float64) Track {
	if v == "" {
		v = in.TargetFrequency.View()
	}
	t := Track{Partnership: s.Partnership, Indicator: s.Indicator, View: v}
	if in.Measure == MeasureQualitative {
		return t
	}
	var bases []figure
	for _, b := range s.Baselines {
		if b.Value != nil {
			bases = append(bases, figure{period: b.Period, value: *b.Value})
		}
	}
	t.Baseline = aggregate(in, bases)
	var targets, actuals []figure
	for _, pp := range s.Periods {
		if pp.Target != nil && pp.Target.Value != nil {
			targets = append(targets, figure{period: pp.Period, value: *pp.Target.Value})
		}
		if pp.Actual != nil && pp.Actual.Value != nil {
			actuals = append(actuals, figure{period: pp.Period, value: *pp.Actual.Value, pending: pp.Actual.State != StateApproved})
		}
	}
	byEnd := func(a, b figure) int { return comparePeriods(a.period, b.period) }
	slices.SortStableFunc(targets, byEnd)
	slices.SortStableFunc(actuals, byEnd)
	if v == ViewCumulative && in.TargetFrequency.Cumulative() {
		t.Points = cumulativeTargets(in, targets, actuals)
	} else {
		if in.TargetFrequency.Cumulative() {
			targets = nil // they apply to a state reached, not to one period
		}
		t.Points = perPeriod(in, targets, actuals)
		if v == ViewCumulative {
			runningTotals(in, t.Points)
		}
	}
	for i := range t.Points {
		p := &t.Points[i]
		p.Progress, p.Status = progress(in, t.Baseline, p.Target, p.Actual, band)
	}
	return t
}

// figure is one value of a series.
type figure struct {
	period  Period
	value   float64
	pending bool
}

// comparePeriods orders periods by end, then start.
func comparePeriods(a, b Period) int {
	if c := a.End.Compare(b.End); c != 0 {
		return c
	}
	return a.Start.Compare(b.Start)
}

// aggregate combines figures by in's aggregation as a roll-up does: the
// sum, the mean, or the values of the latest end (summed for units,
// averaged for percentages); nil for none.
func aggregate(in Indicator, fs []figure) *float64 {
	if len(fs) == 0 {
		return nil
	}
	agg := in.Aggregation
	if agg == Latest {
		last := fs[0].period.End
		for _, f := range fs {
			if f.period.End.After(last) {
				last = f.period.End
			}
		}
		var at []figure
		for _, f := range fs {
			if f.period.End == last {
				at = append(at, f)
			}
		}
		fs, agg = at, Sum
		if in.Measure == MeasurePercentage {
			agg = Mean
		}
	}
	sum := 0.0
	for _, f := range fs {
		sum += f.value
	}
	if agg == Mean {
		sum /= float64(len(fs))
	}
	return &sum
}

// stateAt is the cumulative value of fs (sorted by end): the sum for sum
// indicators, else the values of the latest end.
func stateAt(in Indicator, fs []figure) *float64 {
	if in.Aggregation == Sum {
		return aggregate(in, fs)
	}
	latest := in
	latest.Aggregation = Latest
	return aggregate(latest, fs)
}

func pendingOf(fs []figure) int {
	n := 0
	for _, f := range fs {
		if f.pending {
			n++
		}
	}
	return n
}

// frequencyPeriod returns the calendar period of frequency f that holds p,
// or p itself when f has no calendar period or p does not fit in one.
func frequencyPeriod(f TargetFrequency, p Period) Period {
	var q Period
	switch f {
	case TargetAnnual:
		q = Year(p.Start.Year)
	case TargetQuarterly:
		q = Quarter(p.Start.Year, int(p.Start.Month-1)/3+1)
	case TargetMonthly:
		q = Month(p.Start.Year, p.Start.Month)
	case TargetSemiAnnual:
		first := time.January
		if p.Start.Month > time.June {
			first = time.July
		}
		start := citylinks.Date{Year: p.Start.Year, Month: first, Day: 1}
		q, _ = Range(start, lastDay(p.Start.Year, first+5))
	default:
		return p
	}
	if q.Contains(p) {
		return q
	}
	return p
}

// perPeriod groups actuals into target periods, and the rest into periods
// of the indicator's frequency, one point each, ordered by period.
func perPeriod(in Indicator, targets, actuals []figure) []TrackPoint {
	type group struct {
		period Period
		target *float64
		in     []figure
	}
	var groups []*group
	byKey := map[string]*group{}
	get := func(p Period) *group {
		g := byKey[p.String()]
		if g == nil {
			g = &group{period: p}
			byKey[p.String()] = g
			groups = append(groups, g)
		}
		return g
	}
	for _, t := range targets {
		v := t.value
		get(t.period).target = &v
	}
	for _, a := range actuals {
		var home *group
		for _, t := range targets {
			if t.period.Contains(a.period) {
				g := byKey[t.period.String()]
				if home == nil || span(g.period) < span(home.period) {
					home = g
				}
			}
		}
		if home == nil {
			home = get(frequencyPeriod(in.TargetFrequency, a.period))
		}
		home.in = append(home.in, a)
	}
	slices.SortStableFunc(groups, func(a, b *group) int {
		return cmp.Or(a.period.Start.Compare(b.period.Start), a.period.End.Compare(b.period.End))
	})
	out := make([]TrackPoint, len(groups))
	for i, g := range groups {
		out[i] = TrackPoint{Period: g.period, Target: g.target, Actual: aggregate(in, g.in), Actuals: len(g.in), Pending: pendingOf(g.in)}
	}
	return out
}

func span(p Period) int { return daysBetween(p.Start, p.End) }

// runningTotals turns per-period points into cumulative ones: the running
// state of the actuals, and the running total of the targets (the latest
// target for mean and latest indicators) where every point so far that
// has actuals also has a target.
func runningTotals(in Indicator, ps []TrackPoint) {
	lastOwn := -1 // the last point with actuals of its own
	for i, p := range ps {
		if p.Actuals > 0 {
			lastOwn = i
		}
	}
	sum, n, pending, tsum := 0.0, 0, 0, 0.0
	var state *float64
	covered := true
	for i := range ps {
		p := &ps[i]
		if p.Actuals > 0 && p.Target == nil {
			covered = false
		}
		if p.Target != nil {
			if in.Aggregation == Sum {
				tsum += *p.Target
			} else {
				tsum = *p.Target
			}
			p.Target = nil
			if covered {
				v := tsum
				p.Target = &v
			}
		}
		if p.Actual != nil {
			sum += *p.Actual
			state = p.Actual
			if in.Aggregation == Sum {
				v := sum
				state = &v
			}
		}
		n, pending = n+p.Actuals, pending+p.Pending
		p.Actuals, p.Pending = n, pending
		p.Actual = nil
		if n > 0 && i <= lastOwn {
			v := *state
			p.Actual = &v
		}
	}
}

// cumulativeTargets builds the points of a life-of-project or milestone
// indicator: one at each period that ends an actual or a target.
func cumulativeTargets(in Indicator, targets, actuals []figure) []TrackPoint {
	periods := map[string]Period{}
	for _, f := range append(slices.Clone(targets), actuals...) {
		periods[f.period.String()] = f.period
	}
	keys := make([]Period, 0, len(periods))
	for _, p := range periods {
		keys = append(keys, p)
	}
	slices.SortFunc(keys, comparePeriods)
	var lastEnd citylinks.Date
	if len(actuals) > 0 {
		lastEnd = actuals[len(actuals)-1].period.End
	}
	out := make([]TrackPoint, len(keys))
	for i, p := range keys {
		pt := TrackPoint{Period: p}
		var upTo []figure
		for _, a := range actuals {
			if !a.period.End.After(p.End) {
				upTo = append(upTo, a)
			}
		}
		if len(upTo) > 0 && !p.End.After(lastEnd) {
			pt.Actual, pt.Actuals, pt.Pending = stateAt(in, upTo), len(upTo), pendingOf(upTo)
		}
		if len(targets) > 0 {
			due := targets[len(targets)-1] // life of project: the final target
			if in.TargetFrequency == TargetMilestones {
				for _, t := range targets {
					if !t.period.End.Before(p.End) {
						due = t
						break
					}
				}
			}
			v := due.value
			pt.Target = &v
		}
		out[i] = pt
	}
	return out
}

// Track returns the Track of one partnership's indicator in view v (the
// zero View means the indicator's own, TargetFrequency.View), with the
// roll-up's on-track band (DefaultBand when r has no roll-up), and false
// when r has no such series. Actuals carry their approval state by
// r.Approvals, so TrackPoint.Pending counts those not approved.
func (r *Report) Track(partnership, code string, v View) (Track, bool) {
	in, ok := r.Indicator(code)
	if !ok {
		return Track{}, false
	}
	i := slices.IndexFunc(r.Series, func(s Series) bool { return s.Partnership == partnership && s.Indicator == code })
	if i < 0 {
		return Track{}, false
	}
	s := r.Series[i]
	s.Periods = slices.Clone(s.Periods)
	for j := range s.Periods {
		if a := s.Periods[j].Actual; a != nil {
			c := *a
			c.State = r.ActualState(partnership, s.Periods[j].Period)
			s.Periods[j].Actual = &c
		}
	}
	band := DefaultBand
	if r.Rollup != nil {
		band = r.Rollup.Band
	}
	return NewTrack(in, s, v, band), true
}
