package report

import (
	"context"
	"maps"
	"slices"
	"strings"
	"time"

	"github.com/citylinks/citylinks"
)

// Report is everything the renderers show: the activities reported on, the
// indicators they use, a roll-up, each activity's time series, approvals
// and the reports that are due. Build it with Service.BuildReport, or fill
// it yourself.
type Report struct {
	Title      string      `json:"title"`
	Generated  time.Time   `json:"generated"`
	Activities []Activity  `json:"activities"`
	Indicators []Indicator `json:"indicators"`
	Rollup     *Rollup     `json:"rollup"`
	Series     []Series    `json:"series"`
	Approvals  []Approval  `json:"approvals"`
	Due        []DueReport `json:"due"`
	// Frameworks are the results frameworks of the report's programs and
	// partnerships, ordered by id.
	Frameworks []Framework `json:"frameworks,omitempty"`
}

// Indicator returns the report's indicator with the code.
func (r *Report) Indicator(code string) (Indicator, bool) {
	i := slices.IndexFunc(r.Indicators, func(in Indicator) bool { return in.Code == code })
	if i < 0 {
		return Indicator{}, false
	}
	return r.Indicators[i], true
}

// Activity returns the report's activity with the id.
func (r *Report) Activity(id string) (Activity, bool) {
	i := slices.IndexFunc(r.Activities, func(a Activity) bool { return a.ID == id })
	if i < 0 {
		return Activity{}, false
	}
	return r.Activities[i], true
}

// Series is one indicator of one partnership over time: its baselines and,
// per period, the target and actual totals with their breakdowns.
type Series struct {
	Partnership string        `json:"partnership"`
	Indicator   string        `json:"indicator"`
	Baselines   []Point       `json:"baselines"`
	Periods     []PeriodPoint `json:"periods"`
}

// Point is one value (or, for qualitative indicators, one narrative).
type Point struct {
	Period  Period   `json:"period"`
	Value   *float64 `json:"value"`
	Comment string   `json:"comment,omitempty"`
	// State is the approval state of an actual: approved when its period
	// lies within an approved period of its partnership, else draft,
	// submitted or returned (see Report.ActualState). It is empty for baselines
	// and targets: they are plan values, not subject to approval. The
	// renderers set it from Report.Approvals.
	State ApprovalState `json:"state,omitempty"`
}

// Approved reports whether p is an approved actual.
func (p *Point) Approved() bool { return p != nil && p.State == StateApproved }

// PeriodPoint is a period's target and actual totals, and breakdowns.
type PeriodPoint struct {
	Period    Period      `json:"period"`
	Target    *Point      `json:"target"`
	Actual    *Point      `json:"actual"`
	Breakdown []Breakdown `json:"breakdown,omitempty"`
}

// Breakdown is a target and actual for one combination of disaggregation
// categories.
type Breakdown struct {
	Disaggregation Disaggregation `json:"disaggregation"`
	Target         *float64       `json:"target"`
	Actual         *float64       `json:"actual"`
	// State is the approval state of Actual, as for Point.State; empty
	// when there is no actual.
	State ApprovalState `json:"state,omitempty"`
}

// approvalStateOf returns the approval state of a partnership's figures for
// period p, given the partnership's approvals (others in the list are
// ignored): approved when p lies within (Period.Contains) an approved
// period; otherwise the state of the shortest period acted on that contains
// p (submitted, returned, or draft again after an unlock); draft when no
// period acted on contains p. It is the rule by which the renderers mark
// actuals and IATI leaves out those not approved, and by which Due decides
// whether a period's report is still owed.
func approvalStateOf(approvals []Approval, partnership string, p Period) ApprovalState {
	state, span := StateDraft, 0
	for _, a := range approvals {
		if a.Partnership != partnership || !a.Period.Contains(p) {
			continue
		}
		if a.State == StateApproved {
			return StateApproved
		}
		if n := daysBetween(a.Period.Start, a.Period.End) + 1; span == 0 || n < span {
			state, span = a.State, n
		}
	}
	return state
}

// ActualState returns the approval state of a partnership's actuals for
// period p by the report's Approvals: approved when p lies within
// (Period.Contains) an approved period; otherwise the state of the shortest
// period acted on that contains p (submitted, returned, or draft again
// after an unlock); draft when no period acted on contains p. It is the
// rule by which the renderers mark actuals and IATI leaves out those not
// approved, and by which Service.Due decides whether a period's report is
// still owed.
func (r *Report) ActualState(partnership string, p Period) ApprovalState {
	return approvalStateOf(r.Approvals, partnership, p)
}

// ReportOptions say what Service.BuildReport includes.
type ReportOptions struct {
	// Title defaults to "Partnership results".
	Title string
	// Filter selects the activities.
	Filter ActivityFilter
	// GroupBy is the roll-up's grouping. Defaults to partnership.
	GroupBy []Dim
}

// BuildReport collects a Report for the activities that match opts.Filter
// and that actor may read (a coordinator's report holds only its own
// partnerships). Its roll-up counts approved actuals only, in actuals and
// progress to target, with the actuals not approved yet beside them
// (Row.Unapproved); its series hold every actual with its approval state.
func (s *Service) BuildReport(ctx context.Context, actor citylinks.Actor, opts *ReportOptions) (*Report, error) {
	var o ReportOptions
	if opts != nil {
		o = *opts
	}
	if o.Title == "" {
		o.Title = "Partnership results"
	}
	if len(o.GroupBy) == 0 {
		o.GroupBy = []Dim{DimPartnership}
	}
	acts, err := s.readableActivities(ctx, actor, o.Filter)
	if err != nil {
		return nil, err
	}
	inds, err := s.indicatorMap(ctx)
	if err != nil {
		return nil, err
	}
	r := &Report{Title: o.Title, Generated: s.now(), Activities: acts}
	used := map[string]bool{}
	var ids []string
	for _, a := range acts {
		ids = append(ids, a.ID)
		for _, c := range a.Indicators() {
			used[c] = true
		}
		obs, err := s.allObservations(ctx, ObservationFilter{Partnership: a.ID})
		if err != nil {
			return nil, err
		}
		aps, err := s.store.ListApprovals(ctx, a.ID)
		if err != nil {
			return nil, err
		}
		r.Approvals = append(r.Approvals, aps...)
		for _, c := range a.Indicators() {
			if in, ok := inds[c]; ok {
				if sr := buildSeries(in, a.ID, obs, aps); len(sr.Baselines)+len(sr.Periods) > 0 {
					r.Series = append(r.Series, sr)
				}
			}
		}
	}
	for _, c := range slices.Sorted(maps.Keys(used)) {
		if in, ok := inds[c]; ok {
			r.Indicators = append(r.Indicators, in)
		}
	}
	if r.Frameworks, err = s.frameworksOf(ctx, acts); err != nil {
		return nil, err
	}
	if len(ids) > 0 {
		if r.Rollup, err = s.rollup(ctx, RollupQuery{GroupBy: o.GroupBy, Partnerships: ids, Approval: Approved}); err != nil {
			return nil, err
		}
		if r.Due, err = s.due(ctx, acts, &DueOptions{Filter: o.Filter}); err != nil {
			return nil, err
		}
	} else {
		r.Rollup = &Rollup{GroupBy: o.GroupBy, Band: s.opts.Band, Approval: Approved}
	}
	return r, nil
}

// frameworksOf returns the frameworks of the activities' programs and of
// the activities themselves, ordered by id.
func (s *Service) frameworksOf(ctx context.Context, acts []Activity) ([]Framework, error) {
	all, err := s.store.ListFrameworks(ctx)
	if err != nil || len(all) == 0 {
		return nil, err
	}
	var out []Framework
	for _, f := range all {
		if slices.ContainsFunc(acts, func(a Activity) bool { return f.Partnership == a.ID || f.Program != "" && f.Program == a.Program }) {
			out = append(out, f)
		}
	}
	return out, nil
}

// buildSeries gathers one indicator's observations of one partnership.
// Several totals for the same period and kind combine by the indicator's
// aggregation (sum for Sum, mean otherwise); comments are joined. Actuals
// carry their approval state by the partnership's approvals.
func buildSeries(in Indicator, partnership string, obs []Observation, approvals []Approval) Series {
	s := Series{Partnership: partnership, Indicator: in.Code}
	type acc struct {
		sum      float64
		n        int
		comments []string
	}
	combine := func(a *acc) *Point {
		p := &Point{Comment: strings.Join(a.comments, " ")}
		if in.Measure != MeasureQualitative {
			v := a.sum
			if in.Aggregation != Sum {
				v /= float64(a.n)
			}
			p.Value = &v
		}
		return p
	}
	type pkey struct {
		period string
		kind   Kind
		dis    string
	}
	accs := map[pkey]*acc{}
	periods := map[string]Period{}
	dis := map[string]Disaggregation{}
	for _, o := range obs {
		if o.Indicator != in.Code {
			continue
		}
		k := pkey{o.Period.String(), o.Kind, o.Disaggregation.String()}
		a := accs[k]
		if a == nil {
			a = &acc{}
			accs[k] = a
		}
		a.sum += o.Value
		a.n++
		if o.Comment != "" {
			a.comments = append(a.comments, o.Comment)
		}
		periods[k.period] = o.Period
		dis[k.dis] = o.Disaggregation
	}
	keys := slices.Sorted(maps.Keys(periods))
	slices.SortStableFunc(keys, func(a, b string) int {
		if c := periods[a].Start.Compare(periods[b].Start); c != 0 {
			return c
		}
		return periods[a].End.Compare(periods[b].End)
	})
	disKeys := slices.Sorted(maps.Keys(dis))
	for _, pk := range keys {
		if a := accs[pkey{pk, KindBaseline, ""}]; a != nil {
			b := combine(a)
			b.Period = periods[pk]
			s.Baselines = append(s.Baselines, *b)
		}
		pp := PeriodPoint{Period: periods[pk]}
		state := approvalStateOf(approvals, partnership, pp.Period)
		if a := accs[pkey{pk, KindTarget, ""}]; a != nil {
			pp.Target = combine(a)
			pp.Target.Period = pp.Period
		}
		if a := accs[pkey{pk, KindActual, ""}]; a != nil {
			pp.Actual = combine(a)
			pp.Actual.Period = pp.Period
			pp.Actual.State = state
		}
		for _, dk := range disKeys {
			if dk == "" {
				continue
			}
			t, a := accs[pkey{pk, KindTarget, dk}], accs[pkey{pk, KindActual, dk}]
			if t == nil && a == nil {
				continue
			}
			b := Breakdown{Disaggregation: dis[dk].Clone()}
			if t != nil {
				b.Target = combine(t).Value
			}
			if a != nil {
				b.Actual = combine(a).Value
				b.State = state
			}
			pp.Breakdown = append(pp.Breakdown, b)
		}
		if pp.Target != nil || pp.Actual != nil || len(pp.Breakdown) > 0 {
			s.Periods = append(s.Periods, pp)
		}
	}
	return s
}
