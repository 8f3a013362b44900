package sqlrow

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"time"

	"github.com/citylinks/citylinks"
	"github.com/citylinks/citylinks/internal/storeerr"
	"github.com/citylinks/citylinks/partnership"
)

// SummaryColumns are the columns of the partnerships projection table, in
// the order of SummaryArgs.
var SummaryColumns = []string{
	"id", "title", "program", "focus_area", "host_country", "state", "suspended_from",
	"start_date", "end_date", "parties", "version", "created_at", "updated_at",
}

// SummaryColumnList is SummaryColumns joined with commas.
var SummaryColumnList = strings.Join(SummaryColumns, ", ")

// EventColumns are the columns of the partnership_events table, in the
// order of EventArgs.
var EventColumns = []string{"partnership_id", "version", "kind", "on_date", "recorded_at", "actor", "data"}

// instant formats a recorded instant for a TEXT column: RFC 3339 in UTC with
// nanoseconds, so that it round-trips exactly.
func instant(t time.Time) string { return t.UTC().Format(time.RFC3339Nano) }

// SummaryArgs returns s's column values in the order of SummaryColumns.
func SummaryArgs(s partnership.Summary) []any {
	parties, err := json.Marshal(s.Parties)
	if err != nil {
		panic(err) // parties are strings and slices of strings
	}
	return []any{
		s.ID, s.Title, s.Program, s.FocusArea, s.HostCountry(), string(s.State), string(s.SuspendedFrom),
		s.Start.String(), s.End.String(), string(parties), s.Version, instant(s.CreatedAt), instant(s.UpdatedAt),
	}
}

// StateColumns are the columns of the partnerships table that an append to
// an existing partnership reads and writes: everything else is set once, by
// the proposal (Summary.Apply changes nothing else after it).
var StateColumns = []string{"state", "suspended_from", "start_date", "end_date", "version", "updated_at"}

// StateColumnList is StateColumns joined with commas.
var StateColumnList = strings.Join(StateColumns, ", ")

// StateArgs returns s's values in the order of StateColumns.
func StateArgs(s partnership.Summary) []any {
	return []any{string(s.State), string(s.SuspendedFrom), s.Start.String(), s.End.String(), s.Version, instant(s.UpdatedAt)}
}

// StateRow receives one row of StateColumns, for the partnership id.
type StateRow struct {
	state, from, start, end, updated string
	version                          int64
}

// Dest returns the scan destinations, in the order of StateColumns.
func (r *StateRow) Dest() []any {
	return []any{&r.state, &r.from, &r.start, &r.end, &r.version, &r.updated}
}

// Summary returns a summary of partnership id holding the scanned columns:
// enough for Summary.Apply to fold further events into, and for StateArgs.
func (r *StateRow) Summary(id string) (partnership.Summary, error) {
	s := partnership.Summary{ID: id, State: partnership.State(r.state), SuspendedFrom: partnership.State(r.from), Version: r.version}
	var err error
	if s.Start, err = optDate(r.start); err != nil {
		return s, err
	}
	if s.End, err = optDate(r.end); err != nil {
		return s, err
	}
	if s.UpdatedAt, err = time.Parse(time.RFC3339Nano, r.updated); err != nil {
		return s, fmt.Errorf("sqlrow: partnership %q updated_at: %w", id, err)
	}
	return s, nil
}

// SummaryRow receives one row of SummaryColumns.
type SummaryRow struct {
	s                   partnership.Summary
	host, state, from   string
	start, end, parties string
	created, updated    string
}

// Dest returns the scan destinations, in the order of SummaryColumns.
func (r *SummaryRow) Dest() []any {
	return []any{&r.s.ID, &r.s.Title, &r.s.Program, &r.s.FocusArea, &r.host, &r.state, &r.from,
		&r.start, &r.end, &r.parties, &r.s.Version, &r.created, &r.updated}
}

// Summary returns the scanned summary.
func (r *SummaryRow) Summary() (partnership.Summary, error) {
	s := r.s
	s.State, s.SuspendedFrom = partnership.State(r.state), partnership.State(r.from)
	var err error
	if s.Start, err = optDate(r.start); err != nil {
		return s, err
	}
	if s.End, err = optDate(r.end); err != nil {
		return s, err
	}
	if err := json.Unmarshal([]byte(r.parties), &s.Parties); err != nil {
		return s, fmt.Errorf("sqlrow: decode parties of partnership %q: %w", s.ID, err)
	}
	if s.CreatedAt, err = time.Parse(time.RFC3339Nano, r.created); err != nil {
		return s, fmt.Errorf("sqlrow: partnership %q created_at: %w", s.ID, err)
	}
	if s.UpdatedAt, err = time.Parse(time.RFC3339Nano, r.updated); err != nil {
		return s, fmt.Errorf("sqlrow: partnership %q updated_at: %w", s.ID, err)
	}
	return s, nil
}

func optDate(s string) (citylinks.Date, error) {
	if s == "" {
		return citylinks.Date{}, nil
	}
	return citylinks.ParseDate(s)
}

// EventArgs returns an event's column values in the order of EventColumns,
// with the event encoded as JSON in data.
func EventArgs(e partnership.Event) ([]any, error) {
	data, err := partnership.EncodeEvent(e)
	if err != nil {
		return nil, err
	}
	return []any{e.Partnership, e.Version, string(e.Kind()), e.On.String(), instant(e.At), e.Actor.ID, string(data)}, nil
}

// SummaryOrgs returns the organization ids of s's parties and their
// members, for the partnership_orgs table, without repeats.
func SummaryOrgs(s partnership.Summary) []string {
	var ids []string
	seen := map[string]bool{}
	for _, p := range s.Parties {
		for _, id := range p.OrganizationIDs() {
			if !seen[id] {
				seen[id] = true
				ids = append(ids, id)
			}
		}
	}
	return ids
}

// PartnershipWhere returns the WHERE clause (without the keyword) and args
// for a filter over the partnerships table aliased p, cursor included.
// Placeholders are "?" or, when dollar is true, "$1", "$2", ….
func PartnershipWhere(f partnership.Filter, dollar bool) (string, []any) {
	args := []any{f.After}
	ph := func() string {
		if dollar {
			return fmt.Sprintf("$%d", len(args))
		}
		return "?"
	}
	conds := []string{"p.id > " + ph()}
	in := func(col string, vals []string) {
		if len(vals) == 0 {
			return
		}
		marks := make([]string, len(vals))
		for i, v := range vals {
			args = append(args, v)
			marks[i] = ph()
		}
		conds = append(conds, fmt.Sprintf("%s IN (%s)", col, strings.Join(marks, ", ")))
	}
	states := make([]string, len(f.States))
	for i, s := range f.States {
		states[i] = string(s)
	}
	in("p.state", states)
	in("p.program", f.Programs)
	in("p.focus_area", f.FocusAreas)
	in("p.host_country", f.HostCountries)
	if len(f.Organizations) > 0 {
		before := len(conds)
		in("o.org_id", f.Organizations)
		conds[before] = "EXISTS (SELECT 1 FROM partnership_orgs o WHERE o.partnership_id = p.id AND " + conds[before] + ")"
	}
	return strings.Join(conds, " AND "), args
}

// AppendRows checks an append to partnership id (ctx not done,
// partnership.CheckAppend) and returns the EventArgs of each event.
func AppendRows(ctx context.Context, id string, expected int64, events []partnership.Event) ([][]any, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	if err := partnership.CheckAppend(id, expected, events); err != nil {
		return nil, err
	}
	rows := make([][]any, len(events))
	for i, e := range events {
		a, err := EventArgs(e)
		if err != nil {
			return nil, err
		}
		rows[i] = a
	}
	return rows, nil
}

// Partnerships implements, over a Conn, the part of partnership.Store
// both SQL backends store alike: the listing of summaries.
type Partnerships struct{ Conn Conn }

// ListPartnerships implements partnership.Store.
func (s Partnerships) ListPartnerships(ctx context.Context, f partnership.Filter) (citylinks.Page[partnership.Summary], error) {
	if err := ctx.Err(); err != nil {
		return citylinks.Page[partnership.Summary]{}, err
	}
	if err := f.Validate(); err != nil {
		return citylinks.Page[partnership.Summary]{}, err
	}
	limit, _ := citylinks.PageSize(f.Limit)
	d := s.Conn.Dialect()
	where, args := PartnershipWhere(f, d.Dollar)
	args = append(args, limit+1)
	q := fmt.Sprintf(`SELECT p.%s FROM partnerships p WHERE %s ORDER BY p.id LIMIT %s`, strings.Join(SummaryColumns, ", p."), where, d.Placeholder(len(args)))
	var items []partnership.Summary
	err := s.Conn.Query(ctx, "list partnerships", q, args, func(sc Scanner) error {
		var r SummaryRow
		if err := sc.Scan(r.Dest()...); err != nil {
			return err
		}
		sum, err := r.Summary()
		items = append(items, sum)
		return err
	})
	if err != nil {
		return citylinks.Page[partnership.Summary]{}, err
	}
	return pageOf(items, limit, func(s partnership.Summary) string { return s.ID }), nil
}

// EventLoad decodes the events of one partnership's stream as a backend
// reads them, oldest first, from the data column of each row.
type EventLoad struct {
	id    string
	after int64
	dec   partnership.Decoder
	out   []partnership.Event
}

// NewEventLoad starts the load of partnership id's events above version
// after.
func NewEventLoad(id string, after int64) *EventLoad { return &EventLoad{id: id, after: after} }

// Op names the load in an error.
func (l *EventLoad) Op() string { return fmt.Sprintf("load partnership %q", l.id) }

// Add decodes the next event from data, which it does not keep.
func (l *EventLoad) Add(data []byte) error {
	e, err := l.dec.Decode(data)
	if err != nil {
		return fmt.Errorf("%s version %d: %w", l.Op(), l.after+int64(len(l.out))+1, err)
	}
	l.out = append(l.out, e)
	return nil
}

// Done returns the events loaded, given err, the error of reading the
// rows: an error wrapping citylinks.ErrNotFound when the whole stream was
// asked for and it holds none.
func (l *EventLoad) Done(err error) ([]partnership.Event, error) {
	if err != nil {
		return nil, err
	}
	if l.after == 0 && len(l.out) == 0 {
		return nil, storeerr.NotFound("partnership", l.id)
	}
	return l.out, nil
}

// Fold returns the summary partnership id has after events. For a new
// partnership expected is 0 and r is not read; otherwise r is the stored
// state (found false when there is none), which must be at version
// expected, or the append is an error wrapping citylinks.ErrConflict. op
// names the append in an error.
func Fold(op, id string, expected int64, r *StateRow, found bool, events []partnership.Event) (partnership.Summary, error) {
	var sum partnership.Summary
	if expected > 0 {
		if !found {
			return sum, fmt.Errorf("%s: expected version %d, have 0: %w", op, expected, citylinks.ErrConflict)
		}
		var err error
		if sum, err = r.Summary(id); err != nil {
			return sum, err
		}
		if sum.Version != expected {
			return sum, fmt.Errorf("%s: expected version %d, have %d: %w", op, expected, sum.Version, citylinks.ErrConflict)
		}
	}
	for _, e := range events {
		if err := sum.Apply(e); err != nil {
			return sum, err
		}
	}
	return sum, nil
}
