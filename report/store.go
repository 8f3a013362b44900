package report

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"github.com/citylinks/citylinks"
	"github.com/citylinks/citylinks/internal/errtext"
)

// ActivityFilter selects activities. Zero fields do not filter.
type ActivityFilter struct {
	Program   string
	FocusArea string
	Country   string
	After     string // keyset cursor: ids after this one
	Limit     int    // page size; 0 means citylinks.DefaultPageSize, capped at citylinks.MaxPageSize
}

// ObservationFilter selects observations. Zero fields do not filter.
type ObservationFilter struct {
	Partnership string
	Indicator   string
	IDs         []string // only these ids (at most citylinks.MaxPageSize)
	Kinds       []Kind
	After       string // keyset cursor: ids after this one
	Limit       int    // page size; 0 means citylinks.DefaultPageSize, capped at citylinks.MaxPageSize
}

// Validate checks the filter's kinds and the number of ids.
func (f ObservationFilter) Validate() error {
	if len(f.IDs) > citylinks.MaxPageSize {
		return invalid("ids", "%d ids; a filter takes at most %d", len(f.IDs), citylinks.MaxPageSize)
	}
	for _, k := range f.Kinds {
		if !k.Valid() {
			return invalid("kinds", "%q is not a kind", errtext.Clip(string(k)))
		}
	}
	return nil
}

// Match reports whether o passes f (not the paging fields).
func (f ObservationFilter) Match(o Observation) bool {
	return (f.Partnership == "" || o.Partnership == f.Partnership) && (f.Indicator == "" || o.Indicator == f.Indicator) &&
		(len(f.IDs) == 0 || slices.Contains(f.IDs, o.ID)) && (len(f.Kinds) == 0 || slices.Contains(f.Kinds, o.Kind))
}

// ObservationTx is what a write reads inside RecordObservations's
// transaction: it sees what the transaction has written so far, and needs no
// connection of its own. (Not to be confused with ObservationReader, the
// reader of the observations CSV.)
type ObservationTx interface {
	// GetActivity is Store.GetActivity.
	GetActivity(ctx context.Context, id string) (Activity, error)
	// ListObservations is Store.ListObservations.
	ListObservations(ctx context.Context, f ObservationFilter) (citylinks.Page[Observation], error)
	// ListFrozenPeriods is Store.ListFrozenPeriods.
	ListFrozenPeriods(ctx context.Context, partnerships []string) (map[string][]Approval, error)
}

// ObservationWrite is a write of observations, run by
// Store.RecordObservations inside its transaction: it reads
// through r and stores each batch with put, which checks and writes the
// batch before it returns. An error from put or from the write itself
// rolls the whole write back.
type ObservationWrite func(ctx context.Context, r ObservationTx, put func([]Observation) error) error

// WriteAll returns the write of obs in one batch.
func WriteAll(obs ...Observation) ObservationWrite {
	return func(_ context.Context, _ ObservationTx, put func([]Observation) error) error { return put(obs) }
}

// Store is the storage package report needs. The backends under store/
// implement it and store/storetest checks them. Every method returns an
// error wrapping context.Canceled for a canceled ctx, and a
// *citylinks.ValidationError for invalid input, storing nothing.
type Store interface {
	// Indicators.

	// PutIndicator stores in, replacing any indicator with the same code.
	PutIndicator(ctx context.Context, in Indicator) error
	// GetIndicator returns the indicator with the code, or citylinks.ErrNotFound.
	GetIndicator(ctx context.Context, code string) (Indicator, error)
	// ListIndicators returns every indicator, ordered by code.
	ListIndicators(ctx context.Context) ([]Indicator, error)

	// Activities: the partnerships report reports on.

	// PutActivity stores a, replacing any activity with the same id.
	PutActivity(ctx context.Context, a Activity) error
	// GetActivity returns the activity with the id, or citylinks.ErrNotFound.
	GetActivity(ctx context.Context, id string) (Activity, error)
	// ListActivities returns one page of the activities that match f,
	// ordered by id.
	ListActivities(ctx context.Context, f ActivityFilter) (citylinks.Page[Activity], error)

	// Observations, and their roll-up.

	// RecordObservations runs write in one transaction, storing every
	// batch it puts and replacing the observations with the same ids; all
	// or nothing. Each batch is written when it is put, so that an import
	// need not hold its rows in memory; when write (or put) returns an
	// error, nothing is stored and RecordObservations returns that error.
	// A backend may run write again from the start after a transient
	// failure (a serialization failure or a deadlock).
	//
	// Each observation must be valid (Observation.Validate), and its
	// partnership and indicator stored (else an error wrapping
	// citylinks.ErrNotFound). Inside the transaction, with the batch's
	// partnerships locked against concurrent writes and approval
	// transitions, the backend checks each batch with CheckWrite, so that
	// no observation enters or leaves a submitted or approved period
	// (*LockedError), no id changes partnership or owner, and no cell
	// gets a second baseline or target (*ConflictError).
	RecordObservations(ctx context.Context, write ObservationWrite) error
	// ListObservations returns one page of the observations that match f,
	// ordered by id.
	ListObservations(ctx context.Context, f ObservationFilter) (citylinks.Page[Observation], error)
	// RollupObservations aggregates the observations that match q into
	// cells, in any order: observations pass q's filters (RollupQuery.Match)
	// and have exactly the query's disaggregation key set
	// (RollupQuery.DisaggregationKeys); actuals are kept by q.Approval,
	// judged against the partnership's approved periods; they are grouped
	// by q.GroupBy (GroupValue), indicator and kind; each cell counts and
	// sums the values, keeps the latest period end and, for q.Latest
	// indicators, sums and counts the values at that end. Observations of
	// partnerships not stored are skipped.
	RollupObservations(ctx context.Context, q RollupQuery) ([]Cell, error)

	// Approvals and their history.

	// GetApproval returns the approval of the partnership's report for the
	// period; a period never acted on is a draft at version 0, not an error.
	GetApproval(ctx context.Context, partnership string, p Period) (Approval, error)
	// ListApprovals returns the partnership's approvals that have been acted
	// on, ordered by period start, then period key.
	ListApprovals(ctx context.Context, partnership string) ([]Approval, error)
	// ListApprovedPeriods returns, for every partnership with one, its
	// approved periods.
	ListApprovedPeriods(ctx context.Context) (map[string][]Period, error)
	// ListFrozenPeriods returns the submitted and approved periods of the
	// partnerships (see ApprovalState.Frozen), by partnership.
	ListFrozenPeriods(ctx context.Context, partnerships []string) (map[string][]Approval, error)
	// TransitionApproval applies ev when the approval's version is ev.Seq-1
	// and its state ev.From, appends ev to the history and returns the new
	// approval. Otherwise it returns an error wrapping
	// citylinks.ErrConflict. The partnership must be stored
	// (citylinks.ErrNotFound).
	TransitionApproval(ctx context.Context, ev ApprovalEvent) (Approval, error)
	// ApprovalHistory returns the events of one partnership and period,
	// oldest first.
	ApprovalHistory(ctx context.Context, partnership string, p Period) ([]ApprovalEvent, error)

	// Volunteer-hour and in-kind contributions.

	// RecordContributions stores the contributions in one transaction,
	// replacing any with the same id; the partnerships must be stored
	// (citylinks.ErrNotFound), and a stored id keeps its partnership and
	// owner (a *ConflictError otherwise, checked inside the transaction).
	RecordContributions(ctx context.Context, cs []Contribution) error
	// ListContributions returns the contributions of a partnership, or of
	// all partnerships when partnership is "", ordered by id.
	ListContributions(ctx context.Context, partnership string) ([]Contribution, error)

	// Results frameworks.

	// PutFramework stores f, replacing any framework with the same id.
	PutFramework(ctx context.Context, f Framework) error
	// GetFramework returns the framework with the id, or
	// citylinks.ErrNotFound.
	GetFramework(ctx context.Context, id string) (Framework, error)
	// ListFrameworks returns every framework, ordered by id.
	ListFrameworks(ctx context.Context) ([]Framework, error)
}

// Dim is a roll-up grouping dimension.
type Dim string

// The grouping dimensions. Indicator and kind are always part of a cell's
// key; ByDisaggregation makes a dimension of a disaggregation.
const (
	DimProgram     Dim = "program"
	DimFocusArea   Dim = "focus-area"
	DimCountry     Dim = "country"
	DimPartnership Dim = "partnership"
	DimPeriod      Dim = "period" // the period key, e.g. 2024-Q1
	DimYear        Dim = "year"   // the year the period ends in
)

const disaggPrefix = "disaggregation:"

// ByDisaggregation returns the dimension that groups by the disaggregation
// dimension name, e.g. ByDisaggregation("sex").
func ByDisaggregation(name string) Dim { return Dim(disaggPrefix + name) }

// Disaggregation returns the disaggregation dimension d groups by, if any.
func (d Dim) Disaggregation() (string, bool) {
	return strings.CutPrefix(string(d), disaggPrefix)
}

// Valid reports whether d is a known dimension or a disaggregation dimension
// with a kebab-case name.
func (d Dim) Valid() bool {
	if name, ok := d.Disaggregation(); ok {
		return checkSlug("", name) == nil
	}
	return slices.Contains([]Dim{DimProgram, DimFocusArea, DimCountry, DimPartnership, DimPeriod, DimYear}, d)
}

// IsTime reports whether d groups by time (period or year).
func (d Dim) IsTime() bool { return d == DimPeriod || d == DimYear }

// RollupQuery says how to group and which observations to include. Zero
// filter fields do not filter.
type RollupQuery struct {
	GroupBy []Dim

	Indicators   []string
	Partnerships []string
	Programs     []string
	FocusAreas   []string
	Countries    []string
	Kinds        []Kind
	// From and To keep observations whose period lies within From..To.
	From, To citylinks.Date
	// Latest lists the indicators whose cells need LatestSum and
	// LatestCount. Service.Rollup fills it from the indicators'
	// aggregation.
	Latest []string
	// Approval keeps actuals by the approval of their period: every
	// actual (the zero value), only approved ones, or only those not yet
	// approved. Baselines and targets are plan values, not reported
	// results, and pass whatever it says.
	Approval ApprovalFilter
}

// ApprovalFilter selects actuals by whether they are approved. An actual is
// approved when its period lies within a period of its partnership whose
// report a monitor approved (Approved).
type ApprovalFilter string

// The approval filters.
const (
	AnyApproval ApprovalFilter = ""           // every actual
	Approved    ApprovalFilter = "approved"   // actuals within an approved period
	Unapproved  ApprovalFilter = "unapproved" // actuals not within an approved period
)

// Valid reports whether f is one of the approval filters.
func (f ApprovalFilter) Valid() bool { return f == AnyApproval || f == Approved || f == Unapproved }

// Keep reports whether an observation of kind k whose approval is approved
// passes f.
func (f ApprovalFilter) Keep(k Kind, approved bool) bool {
	return k != KindActual || f == AnyApproval || approved == (f == Approved)
}

// Validate checks the dimensions (no repeats) and filters.
func (q RollupQuery) Validate() error {
	for i, d := range q.GroupBy {
		if !d.Valid() {
			return invalid(fmt.Sprintf("group_by[%d]", i), "%q is not a dimension", errtext.Clip(string(d)))
		}
		if slices.Index(q.GroupBy, d) != i {
			return invalid(fmt.Sprintf("group_by[%d]", i), "%q is listed twice", d)
		}
	}
	for _, k := range q.Kinds {
		if !k.Valid() {
			return invalid("kinds", "%q is not a kind", errtext.Clip(string(k)))
		}
	}
	if !q.From.IsZero() && !q.From.Valid() || !q.To.IsZero() && !q.To.Valid() {
		return invalid("from", "from and to must be calendar dates")
	}
	if !q.Approval.Valid() {
		return invalid("approval", "%q is not one of approved, unapproved or empty", errtext.Clip(string(q.Approval)))
	}
	return nil
}

// DisaggregationKeys returns the canonical disaggregation key set the query
// selects: the sorted disaggregation dimensions joined by ",", or "" for
// totals.
func (q RollupQuery) DisaggregationKeys() string {
	var names []string
	for _, d := range q.GroupBy {
		if n, ok := d.Disaggregation(); ok {
			names = append(names, n)
		}
	}
	slices.Sort(names)
	return strings.Join(names, ",")
}

// Cell is one group of a roll-up: the group's values, in the order of the
// query's GroupBy, the indicator and kind, and aggregates of the values.
//
// Year values are decimal strings ("2024"); period values are period keys.
type Cell struct {
	Group     []string `json:"group"`
	Indicator string   `json:"indicator"`
	Kind      Kind     `json:"kind"`
	Count     int64    `json:"count"`
	Sum       float64  `json:"sum"`
	// LatestEnd is the latest period end among the group's observations.
	LatestEnd citylinks.Date `json:"latest_end"`
	// LatestSum and LatestCount total the values whose period ends on
	// LatestEnd; they are filled only for the query's Latest indicators.
	LatestSum   float64 `json:"latest_sum"`
	LatestCount int64   `json:"latest_count"`
}

// Match reports whether the observation o of activity a passes q's filters
// (not the disaggregation key set, nor Approval).
func (q RollupQuery) Match(a Activity, o Observation) bool {
	in := func(list []string, v string) bool { return len(list) == 0 || slices.Contains(list, v) }
	return in(q.Indicators, o.Indicator) && in(q.Partnerships, o.Partnership) &&
		in(q.Programs, a.Program) && in(q.FocusAreas, a.FocusArea) && in(q.Countries, a.Country) &&
		(len(q.Kinds) == 0 || slices.Contains(q.Kinds, o.Kind)) &&
		(q.From.IsZero() || !o.Period.Start.Before(q.From)) && (q.To.IsZero() || !o.Period.End.After(q.To))
}

// GroupValue returns the value of dimension d for observation o of activity
// a.
func GroupValue(d Dim, a Activity, o Observation) string {
	switch d {
	case DimProgram:
		return a.Program
	case DimFocusArea:
		return a.FocusArea
	case DimCountry:
		return a.Country
	case DimPartnership:
		return o.Partnership
	case DimPeriod:
		return o.Period.String()
	case DimYear:
		return fmt.Sprint(o.Period.Year())
	}
	name, _ := d.Disaggregation()
	return o.Disaggregation[name]
}
