package memory

import (
	"context"
	"fmt"
	"runtime"
	"slices"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/citylinks/citylinks"
	"github.com/citylinks/citylinks/internal/reportstore"
	"github.com/citylinks/citylinks/report"
)

var _ report.Store = (*Store)(nil)

// reportState holds package report's data. Observations are kept in columns
// (one slice per field, small integers for strings), so that a roll-up scans
// flat arrays without allocating per row. The zero value is empty and ready.
type reportState struct {
	indicators map[string]report.Indicator
	frameworks map[string]report.Framework
	acts       table[report.Activity]
	approvals  map[string]report.Approval // by partnership "\x00" period key
	history    map[string][]report.ApprovalEvent
	approved   map[string][]report.Period // approved periods by partnership
	contribs   table[report.Contribution]
	obs        obsColumns
}

// obsColumns stores observations column by column.
type obsColumns struct {
	byID   map[string]int32
	id     []string
	part   []int32 // index into parts
	ind    []int32 // index into inds
	kind   []uint8 // index into report.Kinds()
	start  []int32 // period start as yyyymmdd
	end    []int32 // period end as yyyymmdd
	period []int32 // index into periods
	dset   []int32 // index into dsets
	value  []float64
	extra  []obsExtra

	parts   interner
	inds    interner
	periods interner
	dsets   interner // canonical disaggregation strings
	// sorted holds row numbers in id order for keyset paging; stale when
	// dirty.
	sorted []int32
	dirty  bool
}

type obsExtra struct {
	comment, source, reporter, owner string
	recordedAt                       time.Time
	disagg                           report.Disaggregation
}

// interner maps strings to dense small integers.
type interner struct {
	idx   map[string]int32
	names []string
}

func (in *interner) id(s string) int32 {
	if i, ok := in.idx[s]; ok {
		return i
	}
	if in.idx == nil {
		in.idx = map[string]int32{}
	}
	i := int32(len(in.names))
	in.idx[s] = i
	in.names = append(in.names, s)
	return i
}

func ymd(d citylinks.Date) int32 { return int32(d.Year*10000 + int(d.Month)*100 + d.Day) }

func fromYMD(v int32) citylinks.Date {
	return citylinks.Date{Year: int(v / 10000), Month: time.Month(v / 100 % 100), Day: int(v % 100)}
}

var kindIndex = map[report.Kind]uint8{report.KindBaseline: 0, report.KindTarget: 1, report.KindActual: kindActual}

const kindActual = 2

func approvalKey(partnership string, p report.Period) string {
	return partnership + "\x00" + p.String()
}

// PutIndicator implements report.Store.
func (s *Store) PutIndicator(ctx context.Context, in report.Indicator) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	if err := in.Validate(); err != nil {
		return err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.rep.indicators == nil {
		s.rep.indicators = map[string]report.Indicator{}
	}
	s.rep.indicators[in.Code] = in.Clone()
	return nil
}

// PutFramework implements report.Store.
func (s *Store) PutFramework(ctx context.Context, f report.Framework) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	if err := f.Validate(); err != nil {
		return err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.rep.frameworks == nil {
		s.rep.frameworks = map[string]report.Framework{}
	}
	s.rep.frameworks[f.ID] = f.Clone()
	return nil
}

// GetFramework implements report.Store.
func (s *Store) GetFramework(ctx context.Context, id string) (report.Framework, error) {
	if err := ctx.Err(); err != nil {
		return report.Framework{}, err
	}
	s.mu.RLock()
	defer s.mu.RUnlock()
	f, ok := s.rep.frameworks[id]
	if !ok {
		return report.Framework{}, notFound("framework", id)
	}
	return f.Clone(), nil
}

// ListFrameworks implements report.Store.
func (s *Store) ListFrameworks(ctx context.Context) ([]report.Framework, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	s.mu.RLock()
	defer s.mu.RUnlock()
	out := make([]report.Framework, 0, len(s.rep.frameworks))
	for _, f := range s.rep.frameworks {
		out = append(out, f.Clone())
	}
	slices.SortFunc(out, func(a, b report.Framework) int { return strings.Compare(a.ID, b.ID) })
	return out, nil
}

// GetIndicator implements report.Store.
func (s *Store) GetIndicator(ctx context.Context, code string) (report.Indicator, error) {
	if err := ctx.Err(); err != nil {
		return report.Indicator{}, err
	}
	s.mu.RLock()
	defer s.mu.RUnlock()
	in, ok := s.rep.indicators[code]
	if !ok {
		return report.Indicator{}, notFound("indicator", code)
	}
	return in.Clone(), nil
}

// ListIndicators implements report.Store.
func (s *Store) ListIndicators(ctx context.Context) ([]report.Indicator, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	s.mu.RLock()
	defer s.mu.RUnlock()
	out := make([]report.Indicator, 0, len(s.rep.indicators))
	for _, in := range s.rep.indicators {
		out = append(out, in.Clone())
	}
	slices.SortFunc(out, func(a, b report.Indicator) int { return strings.Compare(a.Code, b.Code) })
	return out, nil
}

// PutActivity implements report.Store.
func (s *Store) PutActivity(ctx context.Context, a report.Activity) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	if err := a.Validate(); err != nil {
		return err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.rep.acts.put(a.ID, a.Clone())
	return nil
}

// GetActivity implements report.Store.
func (s *Store) GetActivity(ctx context.Context, id string) (report.Activity, error) {
	if err := ctx.Err(); err != nil {
		return report.Activity{}, err
	}
	s.mu.RLock()
	defer s.mu.RUnlock()
	a, ok := s.rep.acts.get(id)
	if !ok {
		return report.Activity{}, notFound("activity", id)
	}
	return a.Clone(), nil
}

// ListActivities implements report.Store.
func (s *Store) ListActivities(ctx context.Context, f report.ActivityFilter) (citylinks.Page[report.Activity], error) {
	if err := ctx.Err(); err != nil {
		return citylinks.Page[report.Activity]{}, err
	}
	limit, err := citylinks.PageSize(f.Limit)
	if err != nil {
		return citylinks.Page[report.Activity]{}, err
	}
	s.mu.Lock() // keys() may re-sort
	defer s.mu.Unlock()
	p := list(&s.rep.acts, f.After, limit, func(a report.Activity) bool {
		return (f.Program == "" || a.Program == f.Program) && (f.FocusArea == "" || a.FocusArea == f.FocusArea) &&
			(f.Country == "" || a.Country == f.Country)
	})
	for i := range p.Items {
		p.Items[i] = p.Items[i].Clone()
	}
	return p, nil
}

// RecordObservations implements report.Store. It runs write,
// reading the store as it is, and keeps every batch; then it checks and
// applies them all under the store's lock.
func (s *Store) RecordObservations(ctx context.Context, write report.ObservationWrite) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	var all [][]report.Observation
	err := write(ctx, s, func(b []report.Observation) error {
		for i, o := range b {
			if err := o.Validate(); err != nil {
				return fmt.Errorf("observation %d: %w", i, err)
			}
		}
		all = append(all, slices.Clone(b))
		return ctx.Err()
	})
	if err != nil {
		return err
	}
	if err := ctx.Err(); err != nil {
		return err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	r := &s.rep
	st := report.Stored{Old: map[string]report.Observation{}, Frozen: map[string][]report.Approval{}, Plans: map[string]string{}}
	parts := map[string]bool{}
	for _, b := range all {
		for i, o := range b {
			if _, ok := r.acts.get(o.Partnership); !ok {
				return fmt.Errorf("observation %d: %w", i, notFound("partnership", o.Partnership))
			}
			if _, ok := r.indicators[o.Indicator]; !ok {
				return fmt.Errorf("observation %d: %w", i, notFound("indicator", o.Indicator))
			}
			if row, ok := r.obs.byID[o.ID]; ok {
				if _, seen := st.Old[o.ID]; !seen {
					st.Old[o.ID] = r.obs.get(row)
				}
			}
			parts[o.Partnership] = true
		}
	}
	for _, a := range r.approvals {
		if parts[a.Partnership] && a.State.Frozen() {
			st.Frozen[a.Partnership] = append(st.Frozen[a.Partnership], a)
		}
	}
	for row := range r.obs.id {
		if o := r.obs.get(int32(row)); o.IsPlan() && parts[o.Partnership] {
			st.Plans[o.Cell()] = o.ID
		}
	}
	for _, b := range all {
		if err := report.CheckWrite(b, st); err != nil {
			return err
		}
		// A later batch replaces what an earlier one wrote.
		for _, o := range b {
			st.Old[o.ID] = o
		}
	}
	for _, b := range all {
		for _, o := range b {
			r.obs.put(o)
		}
	}
	return nil
}

func (c *obsColumns) put(o report.Observation) {
	part, ind := c.parts.id(o.Partnership), c.inds.id(o.Indicator)
	period, dset := c.periods.id(o.Period.String()), c.dsets.id(o.Disaggregation.String())
	x := obsExtra{comment: o.Comment, source: o.Source, reporter: o.Reporter, owner: o.Owner, recordedAt: o.RecordedAt, disagg: o.Disaggregation.Clone()}
	if row, ok := c.byID[o.ID]; ok {
		c.part[row], c.ind[row], c.kind[row] = part, ind, kindIndex[o.Kind]
		c.start[row], c.end[row], c.period[row], c.dset[row] = ymd(o.Period.Start), ymd(o.Period.End), period, dset
		c.value[row], c.extra[row] = o.Value, x
		return
	}
	if c.byID == nil {
		c.byID = map[string]int32{}
	}
	c.byID[o.ID] = int32(len(c.id))
	c.id = append(c.id, o.ID)
	c.part = append(c.part, part)
	c.ind = append(c.ind, ind)
	c.kind = append(c.kind, kindIndex[o.Kind])
	c.start = append(c.start, ymd(o.Period.Start))
	c.end = append(c.end, ymd(o.Period.End))
	c.period = append(c.period, period)
	c.dset = append(c.dset, dset)
	c.value = append(c.value, o.Value)
	c.extra = append(c.extra, x)
	c.dirty = true
}

func (c *obsColumns) get(row int32) report.Observation {
	p, _ := report.ParsePeriod(c.periods.names[c.period[row]])
	x := c.extra[row]
	return report.Observation{
		ID: c.id[row], Partnership: c.parts.names[c.part[row]], Indicator: c.inds.names[c.ind[row]],
		Kind: report.Kinds()[c.kind[row]], Period: p, Value: c.value[row], Disaggregation: x.disagg.Clone(),
		Comment: x.comment, Source: x.source, Reporter: x.reporter, RecordedAt: x.recordedAt, Owner: x.owner,
	}
}

// ListObservations implements report.Store.
func (s *Store) ListObservations(ctx context.Context, f report.ObservationFilter) (citylinks.Page[report.Observation], error) {
	var page citylinks.Page[report.Observation]
	if err := ctx.Err(); err != nil {
		return page, err
	}
	limit, err := citylinks.PageSize(f.Limit)
	if err != nil {
		return page, err
	}
	if err := f.Validate(); err != nil {
		return page, err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	c := &s.rep.obs
	if len(f.IDs) > 0 {
		ids := slices.Clone(f.IDs)
		slices.Sort(ids)
		for _, id := range slices.Compact(ids) {
			row, ok := c.byID[id]
			if !ok || id <= f.After {
				continue
			}
			if o := c.get(row); f.Match(o) {
				if len(page.Items) == limit {
					page.Next = page.Items[limit-1].ID
					break
				}
				page.Items = append(page.Items, o)
			}
		}
		return page, nil
	}
	if c.dirty || len(c.sorted) != len(c.id) {
		c.sorted = c.sorted[:0]
		for i := range c.id {
			c.sorted = append(c.sorted, int32(i))
		}
		sort.Slice(c.sorted, func(i, j int) bool { return c.id[c.sorted[i]] < c.id[c.sorted[j]] })
		c.dirty = false
	}
	i := sort.Search(len(c.sorted), func(i int) bool { return c.id[c.sorted[i]] > f.After })
	for ; i < len(c.sorted); i++ {
		row := c.sorted[i]
		if f.Partnership != "" && c.parts.names[c.part[row]] != f.Partnership ||
			f.Indicator != "" && c.inds.names[c.ind[row]] != f.Indicator ||
			len(f.Kinds) > 0 && !slices.Contains(f.Kinds, report.Kinds()[c.kind[row]]) {
			continue
		}
		if len(page.Items) == limit {
			page.Next = page.Items[limit-1].ID
			break
		}
		page.Items = append(page.Items, c.get(row))
	}
	return page, nil
}

// GetApproval implements report.Store.
func (s *Store) GetApproval(ctx context.Context, partnership string, p report.Period) (report.Approval, error) {
	if err := ctx.Err(); err != nil {
		return report.Approval{}, err
	}
	if err := p.Validate(); err != nil {
		return report.Approval{}, err
	}
	s.mu.RLock()
	defer s.mu.RUnlock()
	if a, ok := s.rep.approvals[approvalKey(partnership, p)]; ok {
		return a, nil
	}
	return report.Approval{Partnership: partnership, Period: p, State: report.StateDraft}, nil
}

// ListApprovals implements report.Store.
func (s *Store) ListApprovals(ctx context.Context, partnership string) ([]report.Approval, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	s.mu.RLock()
	defer s.mu.RUnlock()
	var out []report.Approval
	for _, a := range s.rep.approvals {
		if a.Partnership == partnership {
			out = append(out, a)
		}
	}
	slices.SortFunc(out, func(a, b report.Approval) int {
		if c := a.Period.Start.Compare(b.Period.Start); c != 0 {
			return c
		}
		return strings.Compare(a.Period.String(), b.Period.String())
	})
	return out, nil
}

// ListApprovedPeriods implements report.Store.
func (s *Store) ListApprovedPeriods(ctx context.Context) (map[string][]report.Period, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	s.mu.RLock()
	defer s.mu.RUnlock()
	out := make(map[string][]report.Period, len(s.rep.approved))
	for k, v := range s.rep.approved {
		out[k] = slices.Clone(v)
	}
	return out, nil
}

// ListFrozenPeriods implements report.Store.
func (s *Store) ListFrozenPeriods(ctx context.Context, partnerships []string) (map[string][]report.Approval, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	s.mu.RLock()
	defer s.mu.RUnlock()
	out := map[string][]report.Approval{}
	for _, a := range s.rep.approvals {
		if a.State.Frozen() && slices.Contains(partnerships, a.Partnership) {
			out[a.Partnership] = append(out[a.Partnership], a)
		}
	}
	for _, list := range out {
		slices.SortFunc(list, func(a, b report.Approval) int { return strings.Compare(a.Period.String(), b.Period.String()) })
	}
	return out, nil
}

// TransitionApproval implements report.Store.
func (s *Store) TransitionApproval(ctx context.Context, ev report.ApprovalEvent) (report.Approval, error) {
	if err := ctx.Err(); err != nil {
		return report.Approval{}, err
	}
	if err := ev.Validate(); err != nil {
		return report.Approval{}, err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	r := &s.rep
	if _, ok := r.acts.get(ev.Partnership); !ok {
		return report.Approval{}, notFound("partnership", ev.Partnership)
	}
	k := approvalKey(ev.Partnership, ev.Period)
	cur, ok := r.approvals[k]
	if !ok {
		cur = report.Approval{State: report.StateDraft}
	}
	if cur.Version != ev.Seq-1 || cur.State != ev.From {
		return report.Approval{}, fmt.Errorf("approval %s %s is %s at version %d, not %s at %d: %w",
			ev.Partnership, ev.Period, cur.State, cur.Version, ev.From, ev.Seq-1, citylinks.ErrConflict)
	}
	next := cur.Apply(ev)
	if r.approvals == nil {
		r.approvals, r.history, r.approved = map[string]report.Approval{}, map[string][]report.ApprovalEvent{}, map[string][]report.Period{}
	}
	r.approvals[k] = next
	r.history[k] = append(r.history[k], ev)
	ps := slices.DeleteFunc(r.approved[ev.Partnership], func(p report.Period) bool { return p == ev.Period })
	if next.State == report.StateApproved {
		ps = append(ps, ev.Period)
	}
	if len(ps) == 0 {
		delete(r.approved, ev.Partnership)
	} else {
		r.approved[ev.Partnership] = ps
	}
	return next, nil
}

// ApprovalHistory implements report.Store.
func (s *Store) ApprovalHistory(ctx context.Context, partnership string, p report.Period) ([]report.ApprovalEvent, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	s.mu.RLock()
	defer s.mu.RUnlock()
	return slices.Clone(s.rep.history[approvalKey(partnership, p)]), nil
}

// RecordContributions implements report.Store.
func (s *Store) RecordContributions(ctx context.Context, cs []report.Contribution) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	for i, c := range cs {
		if err := c.Validate(); err != nil {
			return fmt.Errorf("contribution %d: %w", i, err)
		}
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	old := map[string]report.Contribution{}
	for i, c := range cs {
		if _, ok := s.rep.acts.get(c.Partnership); !ok {
			return fmt.Errorf("contribution %d: %w", i, notFound("partnership", c.Partnership))
		}
		if prev, ok := s.rep.contribs.get(c.ID); ok {
			old[c.ID] = prev
		}
	}
	if err := reportstore.CheckContributions(cs, old); err != nil {
		return err
	}
	for _, c := range cs {
		s.rep.contribs.put(c.ID, c)
	}
	return nil
}

// ListContributions implements report.Store.
func (s *Store) ListContributions(ctx context.Context, partnership string) ([]report.Contribution, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []report.Contribution
	for _, id := range s.rep.contribs.keys() {
		c, _ := s.rep.contribs.get(id)
		if partnership == "" || c.Partnership == partnership {
			out = append(out, c)
		}
	}
	return out, nil
}

// maxDenseCells bounds the dense accumulator arrays of a roll-up (about 40
// bytes per cell); larger key spaces use a map.
const maxDenseCells = 1 << 21

// RollupObservations implements report.Store. It scans the
// columns once: every row's cell number is a sum of precomputed per-column
// offsets (partnership, disaggregation set, indicator, kind, time), so the
// loop does no hashing and no allocation.
func (s *Store) RollupObservations(ctx context.Context, q report.RollupQuery) ([]report.Cell, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	if err := q.Validate(); err != nil {
		return nil, err
	}
	s.mu.RLock()
	defer s.mu.RUnlock()
	c := &s.rep.obs
	n := len(c.id)
	if n == 0 {
		return nil, nil
	}
	plan := s.planRollup(q)
	var acc accumulator
	if plan.cells <= maxDenseCells && plan.keepActual == nil {
		acc = plan.scanParallel(ctx, c, n)
	} else if plan.cells <= maxDenseCells {
		d := newDense(plan.cells)
		plan.scan(c, d, 0, n, ctx)
		acc = d
	} else {
		sp := &sparse{idx: map[int64]int{}}
		plan.scan(c, sp, 0, n, ctx)
		acc = sp
	}
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	return plan.emit(acc), nil
}

// rollupPlan holds the per-query offset tables.
type rollupPlan struct {
	q        report.RollupQuery
	cells    int64
	partOff  []int64 // -1: filtered out
	dsetOff  []int64
	indOff   []int64
	latest   []bool // by indicator index
	kindOff  [3]int64
	timeDim  report.Dim
	timeStr  int64 // stride of the time dimension
	minYear  int32
	from, to int32
	// decoding: for each group dim, its stride, cardinality and names.
	dims []planDim
	nInd int64
	// keepActual, when the query filters by approval, says for each
	// partnership × period (part*nPer+period) whether its actuals pass.
	keepActual []bool
	nPer       int
}

type planDim struct {
	stride int64
	names  []string
}

func (s *Store) planRollup(q report.RollupQuery) *rollupPlan {
	c := &s.rep.obs
	p := &rollupPlan{q: q, from: 0, to: 1<<31 - 1}
	if !q.From.IsZero() {
		p.from = ymd(q.From)
	}
	if !q.To.IsZero() {
		p.to = ymd(q.To)
	}
	in := func(list []string, v string) bool { return len(list) == 0 || slices.Contains(list, v) }
	// Cardinalities and name tables per dimension.
	stride := int64(1)
	p.dims = make([]planDim, len(q.GroupBy))
	local := make([]interner, len(q.GroupBy))
	partCode := make([][]int64, len(q.GroupBy))
	dsetCode := make([][]int64, len(q.GroupBy))
	acts := make([]*report.Activity, len(c.parts.names))
	for i, name := range c.parts.names {
		if a, ok := s.rep.acts.get(name); ok {
			acts[i] = &a
		}
	}
	dsets := make([]report.Disaggregation, len(c.dsets.names))
	for i, name := range c.dsets.names {
		dsets[i], _ = report.ParseDisaggregation(name)
	}
	var minYear, maxYear int32 = 1<<31 - 1, 0
	for _, e := range c.end {
		y := e / 10000
		minYear, maxYear = min(minYear, y), max(maxYear, y)
	}
	p.minYear = minYear
	for i, d := range q.GroupBy {
		switch {
		case d == report.DimPeriod:
			p.timeDim = d
			p.dims[i] = planDim{names: c.periods.names}
		case d == report.DimYear:
			p.timeDim = d
			var names []string
			for y := minYear; y <= maxYear; y++ {
				names = append(names, strconv.Itoa(int(y)))
			}
			p.dims[i] = planDim{names: names}
		default:
			if name, ok := d.Disaggregation(); ok {
				dsetCode[i] = make([]int64, len(dsets))
				for j, ds := range dsets {
					dsetCode[i][j] = int64(local[i].id(ds[name]))
				}
			} else {
				partCode[i] = make([]int64, len(acts))
				for j, a := range acts {
					if a != nil {
						partCode[i][j] = int64(local[i].id(report.GroupValue(d, *a, report.Observation{Partnership: c.parts.names[j]})))
					}
				}
			}
			p.dims[i] = planDim{names: local[i].names}
		}
		p.dims[i].stride = stride
		stride *= int64(max(len(p.dims[i].names), 1))
		if d.IsTime() {
			p.timeStr = p.dims[i].stride
		}
	}
	// Indicator and kind come last.
	p.nInd = int64(max(len(c.inds.names), 1))
	indStride := stride
	stride *= p.nInd
	kindStride := stride
	stride *= 3
	p.cells = stride

	p.partOff = make([]int64, len(acts))
	for j, a := range acts {
		if a == nil || !in(q.Partnerships, c.parts.names[j]) || !in(q.Programs, a.Program) ||
			!in(q.FocusAreas, a.FocusArea) || !in(q.Countries, a.Country) {
			p.partOff[j] = -1
			continue
		}
		for i := range q.GroupBy {
			if partCode[i] != nil {
				p.partOff[j] += partCode[i][j] * p.dims[i].stride
			}
		}
	}
	keys := q.DisaggregationKeys()
	p.dsetOff = make([]int64, len(dsets))
	for j, ds := range dsets {
		if strings.Join(ds.Keys(), ",") != keys {
			p.dsetOff[j] = -1
			continue
		}
		for i := range q.GroupBy {
			if dsetCode[i] != nil {
				p.dsetOff[j] += dsetCode[i][j] * p.dims[i].stride
			}
		}
	}
	p.indOff = make([]int64, len(c.inds.names))
	p.latest = make([]bool, len(c.inds.names))
	for j, name := range c.inds.names {
		if !in(q.Indicators, name) {
			p.indOff[j] = -1
			continue
		}
		p.indOff[j] = int64(j) * indStride
		p.latest[j] = slices.Contains(q.Latest, name)
	}
	for k, kind := range report.Kinds() {
		if len(q.Kinds) > 0 && !slices.Contains(q.Kinds, kind) {
			p.kindOff[k] = -1
		} else {
			p.kindOff[k] = int64(k) * kindStride
		}
	}
	p.dims = append(p.dims, planDim{stride: indStride, names: c.inds.names})
	if q.Approval != report.AnyApproval {
		periods := make([]report.Period, len(c.periods.names))
		for i, name := range c.periods.names {
			periods[i], _ = report.ParsePeriod(name)
		}
		p.nPer = len(periods)
		p.keepActual = make([]bool, len(c.parts.names)*p.nPer)
		for j, name := range c.parts.names {
			approved := s.rep.approved[name]
			for k, per := range periods {
				p.keepActual[j*p.nPer+k] = q.Approval.Keep(report.KindActual, reportstore.IsApproved(per, approved))
			}
		}
	}
	return p
}

// keep reports whether row r passes the query's approval filter.
func (p *rollupPlan) keep(c *obsColumns, r int) bool {
	return p.keepActual == nil || c.kind[r] != kindActual || p.keepActual[int(c.part[r])*p.nPer+int(c.period[r])]
}

// accumulator receives rows by cell number.
type accumulator interface {
	add(cell int64, v float64, end int32, latest bool)
	each(func(cell int64, count int64, sum float64, end int32, lsum float64, lcount int64))
}

type dense struct {
	count, lcount []int64
	sum, lsum     []float64
	end           []int32
}

func newDense(n int64) *dense {
	return &dense{count: make([]int64, n), lcount: make([]int64, n), sum: make([]float64, n), lsum: make([]float64, n), end: make([]int32, n)}
}

func (d *dense) add(k int64, v float64, e int32, latest bool) {
	d.count[k]++
	d.sum[k] += v
	switch {
	case e > d.end[k]:
		d.end[k] = e
		if latest {
			d.lsum[k], d.lcount[k] = v, 1
		}
	case e == d.end[k] && latest:
		d.lsum[k] += v
		d.lcount[k]++
	}
}

func (d *dense) each(f func(int64, int64, float64, int32, float64, int64)) {
	for k, n := range d.count {
		if n > 0 {
			f(int64(k), n, d.sum[k], d.end[k], d.lsum[k], d.lcount[k])
		}
	}
}

type sparse struct {
	idx   map[int64]int
	cells []int64
	d     dense
}

func (s *sparse) add(k int64, v float64, e int32, latest bool) {
	i, ok := s.idx[k]
	if !ok {
		i = len(s.cells)
		s.idx[k] = i
		s.cells = append(s.cells, k)
		s.d.count, s.d.lcount = append(s.d.count, 0), append(s.d.lcount, 0)
		s.d.sum, s.d.lsum, s.d.end = append(s.d.sum, 0), append(s.d.lsum, 0), append(s.d.end, 0)
	}
	s.d.add(int64(i), v, e, latest)
}

func (s *sparse) each(f func(int64, int64, float64, int32, float64, int64)) {
	s.d.each(func(i, n int64, sum float64, e int32, ls float64, lc int64) { f(s.cells[i], n, sum, e, ls, lc) })
}

// scan adds rows lo..hi to acc. It checks ctx every 1<<20 rows.
func (p *rollupPlan) scan(c *obsColumns, acc accumulator, lo, hi int, ctx context.Context) {
	d, isDense := acc.(*dense)
	for base := lo; base < hi; base += 1 << 20 {
		if ctx.Err() != nil {
			return
		}
		end := min(base+1<<20, hi)
		for r := base; r < end; r++ {
			po := p.partOff[c.part[r]]
			do := p.dsetOff[c.dset[r]]
			io := p.indOff[c.ind[r]]
			ko := p.kindOff[c.kind[r]]
			if po < 0 || do < 0 || io < 0 || ko < 0 || c.start[r] < p.from || c.end[r] > p.to || !p.keep(c, r) {
				continue
			}
			k := po + do + io + ko
			switch p.timeDim {
			case report.DimPeriod:
				k += int64(c.period[r]) * p.timeStr
			case report.DimYear:
				k += int64(c.end[r]/10000-p.minYear) * p.timeStr
			}
			if isDense {
				d.add(k, c.value[r], c.end[r], p.latest[c.ind[r]])
			} else {
				acc.add(k, c.value[r], c.end[r], p.latest[c.ind[r]])
			}
		}
	}
}

// parallelMin is the number of rows from which a dense roll-up is split
// across goroutines.
const parallelMin = 1 << 20

// scanParallel scans the rows into dense accumulators, one per GOMAXPROCS
// share of the rows, and merges them.
func (p *rollupPlan) scanParallel(ctx context.Context, c *obsColumns, n int) *dense {
	parts := 1
	if n >= parallelMin {
		parts = min(runtime.GOMAXPROCS(0), 8)
	}
	accs := make([]*dense, parts)
	var wg sync.WaitGroup
	for i := range parts {
		accs[i] = newDense(p.cells)
		lo, hi := n*i/parts, n*(i+1)/parts
		wg.Add(1)
		go func() {
			defer wg.Done()
			for base := lo; base < hi; base += 1 << 20 {
				if ctx.Err() != nil {
					return
				}
				p.scanDense(c, accs[i], base, min(base+1<<20, hi))
			}
		}()
	}
	wg.Wait()
	d := accs[0]
	for _, o := range accs[1:] {
		for k, cnt := range o.count {
			if cnt == 0 {
				continue
			}
			d.count[k] += cnt
			d.sum[k] += o.sum[k]
			switch {
			case o.end[k] > d.end[k]:
				d.end[k], d.lsum[k], d.lcount[k] = o.end[k], o.lsum[k], o.lcount[k]
			case o.end[k] == d.end[k]:
				d.lsum[k] += o.lsum[k]
				d.lcount[k] += o.lcount[k]
			}
		}
	}
	return d
}

// scanDense is scan specialised for a dense accumulator: the columns are
// resliced to lo:hi and the tables held in locals, so the loop has no
// bounds checks on the columns and no calls; columns the query does not
// need (period start without a From filter, the disaggregation set when
// every row has the same one, the period without a period dimension) are
// not read at all, which matters because a roll-up of millions of rows is
// bound by memory bandwidth.
func (p *rollupPlan) scanDense(c *obsColumns, d *dense, lo, hi int) {
	part := c.part[lo:hi]
	n := len(part)
	dset, ind, kind := c.dset[lo:hi][:n], c.ind[lo:hi][:n], c.kind[lo:hi][:n]
	start, end, period, value := c.start[lo:hi][:n], c.end[lo:hi][:n], c.period[lo:hi][:n], c.value[lo:hi][:n]
	partOff, dsetOff, indOff, kindOff, latest := p.partOff, p.dsetOff, p.indOff, p.kindOff, p.latest
	count, sum, lend, lsum, lcnt := d.count, d.sum, d.end, d.lsum, d.lcount
	from, to, minYear, timeStr := p.from, p.to, p.minYear, p.timeStr
	byYear, byPeriod := p.timeDim == report.DimYear, p.timeDim == report.DimPeriod
	checkStart := from > 0
	oneDset := len(dsetOff) == 1
	do0 := int64(0)
	if len(dsetOff) > 0 {
		do0 = dsetOff[0]
	}
	for r := range part {
		do := do0
		if !oneDset {
			do = dsetOff[dset[r]]
		}
		po, io, ko := partOff[part[r]], indOff[ind[r]], kindOff[kind[r]]
		e := end[r]
		if po|do|io|ko < 0 || e > to || checkStart && start[r] < from {
			continue
		}
		k := po + do + io + ko
		if byYear {
			k += int64(e/10000-minYear) * timeStr
		} else if byPeriod {
			k += int64(period[r]) * timeStr
		}
		v := value[r]
		count[k]++
		sum[k] += v
		if e >= lend[k] {
			if latest[ind[r]] {
				if e > lend[k] {
					lsum[k], lcnt[k] = v, 1
				} else {
					lsum[k] += v
					lcnt[k]++
				}
			}
			lend[k] = e
		}
	}
}

func (p *rollupPlan) emit(acc accumulator) []report.Cell {
	var out []report.Cell
	nd := len(p.q.GroupBy)
	kindStride := p.dims[nd].stride * p.nInd
	acc.each(func(k, n int64, sum float64, e int32, ls float64, lc int64) {
		cell := report.Cell{Group: make([]string, nd), Count: n, Sum: sum, LatestEnd: fromYMD(e), LatestSum: ls, LatestCount: lc}
		cell.Kind = report.Kinds()[k/kindStride]
		rest := k % kindStride
		cell.Indicator = p.dims[nd].names[rest/p.dims[nd].stride]
		rest %= p.dims[nd].stride
		for i := nd - 1; i >= 0; i-- {
			cell.Group[i] = p.dims[i].names[rest/p.dims[i].stride]
			rest %= p.dims[i].stride
		}
		out = append(out, cell)
	})
	slices.SortFunc(out, reportstore.CompareCells)
	return out
}
