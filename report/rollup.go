package report

import (
	"context"
	"fmt"
	"maps"
	"math"
	"slices"
	"strconv"
	"strings"

	"github.com/citylinks/citylinks"
)

// ProgressStatus classifies a roll-up row.
type ProgressStatus string

// The progress statuses.
const (
	ProgressOnTrack     ProgressStatus = "on-track"     // progress within 1 ± band
	ProgressBehind      ProgressStatus = "behind"       // progress below 1 - band
	ProgressAhead       ProgressStatus = "ahead"        // progress above 1 + band
	ProgressNoTarget    ProgressStatus = "no-target"    // no target, or target equals baseline
	ProgressNoActual    ProgressStatus = "no-actual"    // a target but no actual yet
	ProgressCheckTarget ProgressStatus = "check-target" // the target moves against the indicator's direction
	ProgressQualitative ProgressStatus = "qualitative"  // a narrative indicator: no progress figure
)

// Row is one line of a roll-up: a group, an indicator, its aggregated
// baseline, target and actual, and progress toward the target.
type Row struct {
	Group     []string `json:"group"`
	Indicator string   `json:"indicator"`
	// Baseline, Target and Actual are nil when the group has none.
	Baseline *float64 `json:"baseline"`
	Target   *float64 `json:"target"`
	Actual   *float64 `json:"actual"`
	// Observations counts the observations behind Target and Actual.
	Observations int64 `json:"observations"`
	// Unapproved is the aggregate, by the indicator's aggregation, of the
	// group's actuals that are not approved yet (draft, submitted or
	// returned), for showing beside Actual. It is set only in a roll-up of
	// approved actuals (Rollup.Approval is Approved), and nil when the
	// group has no such actual; UnapprovedObservations counts the
	// observations behind it. Progress never counts it.
	Unapproved             *float64 `json:"unapproved"`
	UnapprovedObservations int64    `json:"unapproved_observations"`
	// Cumulative is set in a roll-up by period or by year (not both) for a
	// summed indicator with cumulative targets (life of project; baseline,
	// midline and endline): the total of the group's actuals up to the end
	// of the row's period, which progress then sets against the target —
	// for a life-of-project target, the one target of the group, on every
	// row.
	Cumulative *float64 `json:"cumulative,omitempty"`
	// Progress is (actual − baseline) / (target − baseline), with a missing
	// baseline taken as 0; nil when it cannot be computed. 1 means the
	// target is met; for a decreasing indicator the same formula rewards
	// going down.
	Progress *float64       `json:"progress"`
	Status   ProgressStatus `json:"status"`
}

// ContributionTotal totals contributions for one group.
type ContributionTotal struct {
	Group []string `json:"group"` // in the order of Rollup.ContributionGroupBy
	Hours float64  `json:"hours"`
	// InKind holds one total per currency, sorted by currency.
	InKind []citylinks.Money `json:"in_kind"`
	Count  int               `json:"count"`
}

// Rollup is the result of Service.Rollup.
type Rollup struct {
	GroupBy []Dim   `json:"group_by"`
	Band    float64 `json:"band"`
	// Approval says which actuals Row.Actual and Row.Progress count: every
	// actual (AnyApproval, ""), approved ones only (Approved; each row then
	// shows the others beside them in Row.Unapproved), or only those not
	// approved (Unapproved). Service.BuildReport rolls up approved actuals.
	Approval ApprovalFilter `json:"approval"`
	Rows     []Row          `json:"rows"`
	// ContributionGroupBy are the dimensions of GroupBy that apply to
	// contributions: program, focus area, country, partnership and year (a
	// contribution's year is the year of its date; period and
	// disaggregation dimensions do not apply).
	ContributionGroupBy []Dim               `json:"contribution_group_by"`
	Contributions       []ContributionTotal `json:"contributions"`
}

// Rollup groups observations as q says and computes, for each group and
// indicator, baseline, target and actual by the indicator's aggregation
// (sum, mean or latest), progress to target and its status against the
// on-track band.
//
// Progress compares like with like. Summed per-period targets (annual,
// quarterly, …) are set against the actuals summed over the same group;
// for an indicator with cumulative targets (life of project; baseline,
// midline and endline), a roll-up without a time dimension takes each
// partnership's latest target — the endline, not the midline added to it —
// and, for an indicator that is not summed, each partnership's latest
// value, and combines them over the group's partnerships (a sum, or a mean
// for percentages and means). In a roll-up by period or by year, each row
// counts its own period's observations, and a summed indicator with
// cumulative targets also gets Row.Cumulative, the actuals from the start
// to the row's period end, which progress sets against the row's target
// (the life-of-project target on every row). For one partnership's
// progress over time, as a chart draws it, see NewTrack and Report.Track.
//
// Baselines describe the state before the work, not a period: when q groups
// by period or year, each row's baseline is the aggregate of the baselines
// of the same group without the time dimensions. Contributions are totalled
// alongside (see Rollup.ContributionGroupBy).
//
// q.Approval chooses the actuals that Actual and progress count. With
// Approved, each row also shows, in Row.Unapproved, the total of the
// group's actuals not approved yet, so that a report can put what awaits
// approval beside what counts; a group with only such actuals still gets a
// row (with no Actual). Baselines and targets are plan values and count
// whatever q.Approval says.
//
// Only the partnerships actor may read are rolled up: for a coordinator,
// q.Partnerships is narrowed to its own.
func (s *Service) Rollup(ctx context.Context, actor citylinks.Actor, q RollupQuery) (*Rollup, error) {
	if err := q.Validate(); err != nil {
		return nil, err
	}
	if !readsAll(actor) {
		acts, err := s.readableActivities(ctx, actor, ActivityFilter{})
		if err != nil {
			return nil, err
		}
		var own []string
		for _, a := range acts {
			if len(q.Partnerships) == 0 || slices.Contains(q.Partnerships, a.ID) {
				own = append(own, a.ID)
			}
		}
		if len(own) == 0 {
			return &Rollup{GroupBy: q.GroupBy, Band: s.opts.Band, Approval: q.Approval}, nil
		}
		q.Partnerships = own
	}
	return s.rollup(ctx, q)
}

// rollup rolls up without checking who asks.
func (s *Service) rollup(ctx context.Context, q RollupQuery) (*Rollup, error) {
	if err := q.Validate(); err != nil {
		return nil, err
	}
	inds, err := s.indicatorMap(ctx)
	if err != nil {
		return nil, err
	}
	q.Latest = nil
	for code, in := range inds {
		if in.Aggregation == Latest {
			q.Latest = append(q.Latest, code)
		}
	}
	slices.Sort(q.Latest)
	timed := slices.ContainsFunc(q.GroupBy, Dim.IsTime)
	main := q
	if timed {
		main.Kinds = without(kindsOr(q.Kinds), KindBaseline)
	}
	cells, err := s.store.RollupObservations(ctx, main)
	if err != nil {
		return nil, err
	}
	// baselines by the non-time group values + indicator.
	var untimed []int // positions in GroupBy of the non-time dims
	for i, d := range q.GroupBy {
		if !d.IsTime() {
			untimed = append(untimed, i)
		}
	}
	baseKey := func(group []string, ind string) string {
		var b strings.Builder
		for _, i := range untimed {
			b.WriteString(group[i])
			b.WriteByte(0)
		}
		return b.String() + ind
	}
	baselines := map[string]float64{}
	if slices.Contains(kindsOr(q.Kinds), KindBaseline) {
		bq := q
		bq.Kinds = []Kind{KindBaseline}
		bq.GroupBy = nil
		for _, i := range untimed {
			bq.GroupBy = append(bq.GroupBy, q.GroupBy[i])
		}
		bcells := cells
		if timed {
			if bcells, err = s.store.RollupObservations(ctx, bq); err != nil {
				return nil, err
			}
		}
		for _, c := range bcells {
			if c.Kind != KindBaseline {
				continue
			}
			g := c.Group
			if timed {
				// bq's groups hold only the untimed values, in order.
				full := make([]string, len(q.GroupBy))
				for j, i := range untimed {
					full[i] = g[j]
				}
				g = full
			}
			if v, ok := value(inds[c.Indicator], c); ok {
				baselines[baseKey(g, c.Indicator)] = v
			}
		}
	}
	rows := map[string]*Row{}
	var order []string
	rowOf := func(c Cell) *Row { // the cell's row, new ones in order of first cell
		k := strings.Join(c.Group, "\x00") + "\x00" + c.Indicator
		r, ok := rows[k]
		if !ok {
			r = &Row{Group: slices.Clone(c.Group), Indicator: c.Indicator}
			rows[k] = r
			order = append(order, k)
		}
		return r
	}
	for _, c := range cells {
		if c.Kind == KindBaseline && timed {
			continue
		}
		r := rowOf(c)
		in := inds[c.Indicator]
		v, ok := value(in, c)
		switch c.Kind {
		case KindTarget:
			r.Observations += c.Count
			if ok {
				r.Target = &v
			}
		case KindActual:
			r.Observations += c.Count
			if ok {
				r.Actual = &v
			}
		}
	}
	if q.Approval == Approved && slices.Contains(kindsOr(q.Kinds), KindActual) {
		// What awaits approval, beside what counts.
		uq := q
		uq.Approval, uq.Kinds = Unapproved, []Kind{KindActual}
		ucells, err := s.store.RollupObservations(ctx, uq)
		if err != nil {
			return nil, err
		}
		for _, c := range ucells {
			if c.Kind != KindActual {
				continue
			}
			r := rowOf(c)
			r.UnapprovedObservations += c.Count
			if v, ok := value(inds[c.Indicator], c); ok {
				r.Unapproved = &v
			}
		}
	}
	if !timed {
		if err := s.cumulativeStates(ctx, q, inds, rows); err != nil {
			return nil, err
		}
	} else if err := s.cumulativeRows(ctx, q, inds, rows); err != nil {
		return nil, err
	}
	out := &Rollup{GroupBy: slices.Clone(q.GroupBy), Band: s.opts.Band, Approval: q.Approval}
	for _, k := range order {
		r := rows[k]
		if b, ok := baselines[baseKey(r.Group, r.Indicator)]; ok {
			r.Baseline = &b
		}
		actual := r.Actual
		if r.Cumulative != nil {
			actual = r.Cumulative
		}
		r.Progress, r.Status = progress(inds[r.Indicator], r.Baseline, r.Target, actual, s.opts.Band)
		out.Rows = append(out.Rows, *r)
	}
	// Baseline-only groups (no target or actual yet) still deserve a row.
	if !timed {
		for _, c := range cells {
			k := strings.Join(c.Group, "\x00") + "\x00" + c.Indicator
			if c.Kind == KindBaseline && rows[k] == nil {
				r := Row{Group: slices.Clone(c.Group), Indicator: c.Indicator}
				if b, ok := baselines[baseKey(c.Group, c.Indicator)]; ok {
					r.Baseline = &b
				}
				r.Progress, r.Status = progress(inds[c.Indicator], r.Baseline, nil, nil, s.opts.Band)
				rows[k] = &r
				out.Rows = append(out.Rows, r)
			}
		}
	}
	slices.SortFunc(out.Rows, func(a, b Row) int {
		if c := slices.Compare(a.Group, b.Group); c != 0 {
			return c
		}
		return strings.Compare(a.Indicator, b.Indicator)
	})
	if err := s.rollupContributions(ctx, q, out); err != nil {
		return nil, err
	}
	return out, nil
}

// cumulativeStates sets, in rows of a roll-up without a time dimension,
// the target of each indicator with cumulative targets (life of project;
// baseline, midline and endline) to the state each partnership is to
// reach (its latest target), combined over the group's partnerships, and,
// for such indicators that are not summed (means, latest values), the
// actual to the state each partnership has reached (its latest actual),
// combined likewise: a midline and an endline target are never added up,
// nor is an average of the project's years set against its endline.
func (s *Service) cumulativeStates(ctx context.Context, q RollupQuery, inds map[string]Indicator, rows map[string]*Row) error {
	var codes []string
	for code, in := range inds {
		if in.TargetFrequency.Cumulative() && in.Measure != MeasureQualitative && (len(q.Indicators) == 0 || slices.Contains(q.Indicators, code)) {
			codes = append(codes, code)
		}
	}
	kinds := kindsOr(q.Kinds)
	if len(codes) == 0 || !slices.Contains(kinds, KindTarget) && !slices.Contains(kinds, KindActual) {
		return nil
	}
	slices.Sort(codes)
	pq := q
	pq.Indicators, pq.Latest = codes, codes
	pq.Kinds = nil
	for _, k := range []Kind{KindTarget, KindActual} {
		if slices.Contains(kinds, k) {
			pq.Kinds = append(pq.Kinds, k)
		}
	}
	at := slices.Index(q.GroupBy, DimPartnership)
	if at < 0 {
		pq.GroupBy = append(slices.Clone(q.GroupBy), DimPartnership)
		at = len(q.GroupBy)
	}
	cells, err := s.store.RollupObservations(ctx, pq)
	if err != nil {
		return err
	}
	type state struct {
		sum float64
		n   int
	}
	states := map[string]*state{}
	for _, c := range cells {
		in := inds[c.Indicator]
		if c.LatestCount == 0 || c.Kind == KindActual && in.Aggregation == Sum {
			continue
		}
		group := c.Group
		if len(pq.GroupBy) > len(q.GroupBy) {
			group = slices.Delete(slices.Clone(group), at, at+1)
		}
		v := c.LatestSum // the partnership's latest state
		averaged := in.Measure == MeasurePercentage || in.Aggregation == Mean
		if averaged {
			v /= float64(c.LatestCount)
		}
		k := strings.Join(group, "\x00") + "\x00" + c.Indicator
		st := states[k+"\x00"+string(c.Kind)]
		if st == nil {
			st = &state{}
			states[k+"\x00"+string(c.Kind)] = st
		}
		st.sum += v
		st.n++
		r := rows[k]
		if r == nil {
			continue
		}
		total := st.sum
		if averaged {
			total /= float64(st.n)
		}
		if c.Kind == KindTarget {
			r.Target = &total
		} else {
			r.Actual = &total
		}
	}
	return nil
}

// cumulativeRows sets, in a roll-up by period or by year (not both), each
// row's Cumulative for the summed indicators with cumulative targets: the
// actuals of the rows of the same group (the values of the other
// dimensions) whose period ends on or before the row's. A life-of-project
// target is the group's one target, set on each of its rows.
func (s *Service) cumulativeRows(ctx context.Context, q RollupQuery, inds map[string]Indicator, rows map[string]*Row) error {
	at, times := -1, 0
	for i, d := range q.GroupBy {
		if d.IsTime() {
			at, times = i, times+1
		}
	}
	if times != 1 {
		return nil
	}
	periodOf := func(v string) (Period, bool) {
		if q.GroupBy[at] == DimYear {
			y, err := strconv.Atoi(v)
			return Year(y), err == nil
		}
		p, err := ParsePeriod(v)
		return p, err == nil
	}
	type entry struct {
		row    *Row
		period Period
	}
	groups := map[string][]entry{}
	lop := false
	for _, r := range rows {
		in := inds[r.Indicator]
		if !in.TargetFrequency.Cumulative() || in.Aggregation != Sum || in.Measure == MeasureQualitative {
			continue
		}
		p, ok := periodOf(r.Group[at])
		if !ok {
			continue
		}
		rest := slices.Delete(slices.Clone(r.Group), at, at+1)
		k := strings.Join(rest, "\x00") + "\x00" + r.Indicator
		groups[k] = append(groups[k], entry{r, p})
		lop = lop || in.TargetFrequency == TargetLifeOfProject
	}
	if len(groups) == 0 {
		return nil
	}
	var targets map[string]*Row // the untimed rows of life-of-project indicators
	if lop && slices.Contains(kindsOr(q.Kinds), KindTarget) {
		uq := q
		uq.GroupBy = slices.Delete(slices.Clone(q.GroupBy), at, at+1)
		uq.Kinds = []Kind{KindTarget}
		uq.Indicators = nil
		for code, in := range inds {
			if in.TargetFrequency == TargetLifeOfProject && (len(q.Indicators) == 0 || slices.Contains(q.Indicators, code)) {
				uq.Indicators = append(uq.Indicators, code)
			}
		}
		slices.Sort(uq.Indicators)
		uq.Latest = uq.Indicators
		cells, err := s.store.RollupObservations(ctx, uq)
		if err != nil {
			return err
		}
		targets = map[string]*Row{}
		for _, c := range cells {
			k := strings.Join(c.Group, "\x00") + "\x00" + c.Indicator
			if targets[k] == nil {
				targets[k] = &Row{Group: c.Group, Indicator: c.Indicator}
			}
		}
		if err := s.cumulativeStates(ctx, uq, inds, targets); err != nil {
			return err
		}
	}
	for k, es := range groups {
		for _, e := range es {
			sum, any := 0.0, false
			for _, o := range es {
				if o.row.Actual != nil && !o.period.End.After(e.period.End) {
					sum += *o.row.Actual
					any = true
				}
			}
			if any {
				e.row.Cumulative = &sum
			}
			if t := targets[k]; t != nil && t.Target != nil {
				v := *t.Target
				e.row.Target = &v
			}
		}
	}
	return nil
}

func kindsOr(k []Kind) []Kind {
	if len(k) == 0 {
		return Kinds()
	}
	return k
}

func without(k []Kind, drop Kind) []Kind {
	var out []Kind
	for _, x := range k {
		if x != drop {
			out = append(out, x)
		}
	}
	if len(out) == 0 {
		return []Kind{KindTarget, KindActual}
	}
	return out
}

// value aggregates a cell by the indicator's aggregation; false for
// qualitative indicators and empty cells.
func value(in Indicator, c Cell) (float64, bool) {
	if in.Measure == MeasureQualitative || c.Count == 0 {
		return 0, false
	}
	switch in.Aggregation {
	case Mean:
		return c.Sum / float64(c.Count), true
	case Latest:
		if c.LatestCount == 0 {
			return 0, false
		}
		if in.Measure == MeasurePercentage {
			return c.LatestSum / float64(c.LatestCount), true
		}
		return c.LatestSum, true
	}
	return c.Sum, true
}

// progress returns (actual − baseline)/(target − baseline) and its status
// for an indicator, with a nil baseline taken as 0 and band the on-track
// band (e.g. 0.15).
func progress(in Indicator, baseline, target, actual *float64, band float64) (*float64, ProgressStatus) {
	if in.Measure == MeasureQualitative {
		return nil, ProgressQualitative
	}
	b := 0.0
	if baseline != nil {
		b = *baseline
	}
	if target == nil || *target == b {
		return nil, ProgressNoTarget
	}
	if in.Direction == Increase && *target < b || in.Direction == Decrease && *target > b {
		return nil, ProgressCheckTarget
	}
	if actual == nil {
		return nil, ProgressNoActual
	}
	p := (*actual - b) / (*target - b)
	if !finite(p) {
		return nil, ProgressNoTarget
	}
	switch {
	case p < 1-band-1e-12:
		return &p, ProgressBehind
	case p > 1+band+1e-12:
		return &p, ProgressAhead
	}
	return &p, ProgressOnTrack
}

// contributionDims are the dimensions that apply to contributions.
var contributionDims = []Dim{DimProgram, DimFocusArea, DimCountry, DimPartnership, DimYear}

func (s *Service) rollupContributions(ctx context.Context, q RollupQuery, out *Rollup) error {
	for _, d := range q.GroupBy {
		if slices.Contains(contributionDims, d) {
			out.ContributionGroupBy = append(out.ContributionGroupBy, d)
		}
	}
	cs, err := s.store.ListContributions(ctx, "")
	if err != nil || len(cs) == 0 {
		return err
	}
	acts := map[string]*Activity{}
	type total struct {
		ContributionTotal
		money map[string]int64
	}
	totals := map[string]*total{}
	var keys []string
	for _, c := range cs {
		a, ok := acts[c.Partnership]
		if !ok {
			got, err := s.store.GetActivity(ctx, c.Partnership)
			if err != nil {
				return err
			}
			a = &got
			acts[c.Partnership] = a
		}
		in := func(list []string, v string) bool { return len(list) == 0 || slices.Contains(list, v) }
		if !in(q.Partnerships, c.Partnership) || !in(q.Programs, a.Program) || !in(q.FocusAreas, a.FocusArea) ||
			!in(q.Countries, a.Country) || !q.From.IsZero() && c.Date.Before(q.From) || !q.To.IsZero() && c.Date.After(q.To) {
			continue
		}
		group := make([]string, len(out.ContributionGroupBy))
		for i, d := range out.ContributionGroupBy {
			if d == DimYear {
				group[i] = fmt.Sprint(c.Date.Year)
			} else {
				group[i] = GroupValue(d, *a, Observation{Partnership: c.Partnership})
			}
		}
		k := strings.Join(group, "\x00")
		t, ok := totals[k]
		if !ok {
			t = &total{ContributionTotal: ContributionTotal{Group: group}, money: map[string]int64{}}
			totals[k] = t
			keys = append(keys, k)
		}
		t.Count++
		t.Hours += c.Hours
		if c.InKind.Amount != 0 {
			sum := t.money[c.InKind.Currency]
			if c.InKind.Amount > 0 && sum > math.MaxInt64-c.InKind.Amount {
				return fmt.Errorf("report: in-kind total in %s overflows: %w", c.InKind.Currency, citylinks.ErrInvalid)
			}
			t.money[c.InKind.Currency] = sum + c.InKind.Amount
		}
	}
	slices.Sort(keys)
	for _, k := range keys {
		t := totals[k]
		for _, cur := range slices.Sorted(maps.Keys(t.money)) {
			t.InKind = append(t.InKind, citylinks.Money{Amount: t.money[cur], Currency: cur})
		}
		out.Contributions = append(out.Contributions, t.ContributionTotal)
	}
	return nil
}
