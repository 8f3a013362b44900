package report

import (
	"context"
	"crypto/sha256"
	"errors"
	"fmt"
	"io"
	"slices"
	"time"

	"github.com/citylinks/citylinks"
	"github.com/citylinks/citylinks/internal/errtext"
)

// recordBatch is how many observations Record and ImportCSV check and write
// at a time.
const recordBatch = 1000

// Record stores observations in one transaction, all or nothing. It fills an
// empty ID with the observation's CellID, an empty Reporter with the actor's
// id, and sets RecordedAt and Owner. An observation whose stored version has
// the same content (Observation.SameContent) is left as it is.
//
// Each observation must be valid for its indicator (Observation.ValidateFor),
// its indicator linked to one of the partnership's objectives, and its period
// within the partnership's dates: an actual's period must have begun by
// today (by the service clock) and no actual or target may end before the
// partnership starts or begin after it ends (a baseline may precede the
// start). The actor must be allowed to record on the partnership
// (Authorize), and a coordinator may revise only observations its own
// organization recorded. A write that touches a period overlapping a
// submitted or approved one returns a *LockedError; one that breaks an
// observation's identity (see Observation) a *ConflictError.
func (s *Service) Record(ctx context.Context, actor citylinks.Actor, obs ...Observation) error {
	rec, err := s.newRecorder(ctx, actor)
	if err != nil {
		return err
	}
	err = s.store.RecordObservations(ctx, func(ctx context.Context, tx ObservationTx, put func([]Observation) error) error {
		rec.reset(tx)
		for start := 0; start < len(obs); start += recordBatch {
			end := min(start+recordBatch, len(obs))
			lines := make([]int, end-start)
			for i := range lines {
				lines[i] = start + i + 1
			}
			good, err := rec.check(ctx, obs[start:end], lines)
			if err == nil && rec.bad.Len() > 0 {
				b := rec.bad.Rows()[0]
				err = fmt.Errorf("report: observation %d (%s): %w", b.Line-1, obs[b.Line-1], b.Err)
			}
			if err != nil {
				rec.yielded = err
				return err
			}
			if len(good) > 0 {
				if err := put(good); err != nil {
					return err
				}
			}
		}
		return nil
	})
	return rec.storeError(err, func(line int) string { return fmt.Sprintf("report: observation %d (%s)", line-1, obs[line-1]) })
}

// ImportSummary says what ImportCSV did.
type ImportSummary struct {
	Rows      int // data rows read
	Added     int // observations stored for the first time
	Changed   int // stored observations replaced by a corrected version
	Unchanged int // rows whose observation was already stored as it is
}

// ImportCSV reads observations in the CSV format of ReadObservationsCSV and
// records them as Record does, in one transaction. Any bad row —
// malformed, invalid for its indicator or the partnership's dates,
// forbidden, conflicting, or in a frozen period — stores nothing: the error
// is a *citylinks.ImportError listing the bad rows with their lines (the
// first citylinks.MaxRowErrors, and how many more).
//
// It streams: rows are read, checked and written recordBatch at a
// time inside the one transaction, so a file of millions of rows needs
// memory for a batch (and 40 bytes or so per row to catch a repeated id),
// not for the file; the in-memory store keeps every row anyway. A store
// may run a write again after a transient failure (PostgreSQL's deadlock
// detector can stop one of two large imports into the same partnerships):
// ImportCSV then reads r again from where it began when r is an
// io.Seeker (an *os.File is), and otherwise returns an error saying to run
// the import again; either way nothing is stored twice.
//
// Importing the same file twice stores it once: the second import finds
// every row unchanged (rows without an id take their CellID).
func (s *Service) ImportCSV(ctx context.Context, actor citylinks.Actor, r io.Reader) (ImportSummary, error) {
	rec, err := s.newRecorder(ctx, actor)
	if err != nil {
		return ImportSummary{}, err
	}
	seeker, _ := r.(io.Seeker)
	var begin int64
	if seeker != nil {
		if begin, err = seeker.Seek(0, io.SeekCurrent); err != nil {
			seeker = nil
		}
	}
	runs, rows := 0, 0
	err = s.store.RecordObservations(ctx, func(ctx context.Context, tx ObservationTx, put func([]Observation) error) error {
		if runs++; runs > 1 {
			if seeker == nil {
				return errors.New("report: the import met a concurrent write and has to start again, but its input cannot be read twice; nothing was stored: run the import again")
			}
			if _, err := seeker.Seek(begin, io.SeekStart); err != nil {
				return fmt.Errorf("report: rewind the import to start again: %w", err)
			}
		}
		rec.reset(tx)
		rows = 0
		batch := make([]Observation, 0, recordBatch)
		lines := make([]int, 0, recordBatch)
		flush := func() error {
			good, err := rec.check(ctx, batch, lines)
			batch, lines = batch[:0], lines[:0]
			if err != nil || rec.bad.Len() > 0 || len(good) == 0 {
				return err // after a bad row: keep checking, to report them, but write nothing
			}
			return put(good)
		}
		err := eachRow(r, &rec.bad, func(row ObservationRow) error {
			rows++
			batch, lines = append(batch, row.Observation), append(lines, row.Line)
			if len(batch) == recordBatch {
				return flush()
			}
			return nil
		})
		if err != nil {
			return err
		}
		if err := flush(); err != nil {
			return err
		}
		if err := rec.bad.Err(); err != nil {
			rec.yielded = err
			return err
		}
		return nil
	})
	if err != nil {
		return ImportSummary{}, rec.storeError(err, nil)
	}
	return ImportSummary{Rows: rows, Added: rec.added, Changed: rec.changed, Unchanged: rec.unchanged}, nil
}

// recorder checks observations batch by batch for Record and ImportCSV. It
// caches what it looks up (indicators, activities, frozen periods, stored
// baselines and targets) and remembers every id of the write, by hash, to
// refuse a row that repeats another.
type recorder struct {
	s     *Service
	tx    ObservationTx // reads inside the write's transaction
	actor citylinks.Actor
	now   time.Time
	today citylinks.Date
	inds  map[string]Indicator
	acts  map[string]*Activity // nil: not registered

	// Per write (reset when the store ranges over the batches again).
	frozen map[string][]Approval
	plans  map[string]map[string]string // partnership → cell → id
	seen   map[[16]byte]int             // id hash → line
	bad    citylinks.RowErrors
	// yielded is the error the recorder itself gave the store, which
	// needs no mapping to a row.
	yielded error

	added, changed, unchanged int
}

func (s *Service) newRecorder(ctx context.Context, actor citylinks.Actor) (*recorder, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	inds, err := s.indicatorMap(ctx)
	if err != nil {
		return nil, err
	}
	now := s.now()
	return &recorder{s: s, actor: actor, now: now, today: citylinks.DateOf(now), inds: inds, acts: map[string]*Activity{}}, nil
}

// reset starts a run of the write, reading through tx; a store may run a
// write again (after a serialization failure), and the recorder then
// forgets what the last run saw.
func (r *recorder) reset(tx ObservationTx) {
	r.tx, r.acts = tx, map[string]*Activity{}
	r.frozen, r.plans, r.seen, r.bad = map[string][]Approval{}, map[string]map[string]string{}, map[[16]byte]int{}, citylinks.RowErrors{}
	r.added, r.changed, r.unchanged, r.yielded = 0, 0, 0, nil
}

func idHash(id string) [16]byte {
	sum := sha256.Sum256([]byte(id))
	return [16]byte(sum[:16])
}

// storeError maps a store's refusal of one observation (a *LockedError or a
// *ConflictError found inside the transaction, after a concurrent write)
// to the row it came from: prefixed by where(line) for Record, or as an
// *citylinks.ImportError for ImportCSV (where is nil).
func (r *recorder) storeError(err error, where func(line int) string) error {
	if err == nil || r.yielded != nil && errors.Is(err, r.yielded) {
		return err
	}
	var id string
	var le *LockedError
	var ce *ConflictError
	switch {
	case errors.As(err, &le):
		id = le.Observation
	case errors.As(err, &ce):
		id = ce.ID
	}
	line, ok := r.seen[idHash(id)]
	if id == "" || !ok {
		return err
	}
	if where != nil {
		return fmt.Errorf("%s: %w", where(line), err)
	}
	var ie *citylinks.ImportError
	if errors.As(err, &ie) {
		return err
	}
	return &citylinks.ImportError{Rows: []*citylinks.RowError{{Line: line, Err: err}}}
}

// check completes and checks one batch, whose rows come from the given
// lines. It returns the observations to write — the new and changed ones —
// and adds bad rows to r.bad. An error is a failure to read the store.
func (r *recorder) check(ctx context.Context, batch []Observation, lines []int) ([]Observation, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	out := make([]Observation, 0, len(batch))
	outLines := make([]int, 0, len(batch))
	fail := func(line int, err error) { r.bad.Add(&citylinks.RowError{Line: line, Err: err}) }
	for i, o := range batch {
		line := lines[i]
		o = o.Clone()
		if o.ID == "" && o.Partnership != "" {
			o.ID = o.CellID()
		}
		if o.Reporter == "" {
			o.Reporter = r.actor.ID
		}
		o.RecordedAt, o.Owner = r.now, r.actor.Organization
		if err := o.Validate(); err != nil {
			fail(line, err)
			continue
		}
		h := idHash(o.ID)
		if first, dup := r.seen[h]; dup {
			fail(line, invalid("id", "%q is also the id of line %d: give each observation of a cell its own id, or merge the rows", errtext.Clip(o.ID), first))
			continue
		}
		r.seen[h] = line
		a, err := r.activity(ctx, o.Partnership)
		if err != nil {
			return nil, err
		}
		if a == nil {
			fail(line, fmt.Errorf("report: partnership %q is not registered: %w", errtext.Clip(o.Partnership), citylinks.ErrNotFound))
			continue
		}
		if err := Authorize(r.actor, ActionRecord, a); err != nil {
			fail(line, err)
			continue
		}
		in, ok := r.inds[o.Indicator]
		if !ok {
			fail(line, fmt.Errorf("report: indicator %q is not defined: %w", errtext.Clip(o.Indicator), citylinks.ErrNotFound))
			continue
		}
		if err := o.ValidateFor(in); err != nil {
			fail(line, err)
			continue
		}
		if !slices.Contains(a.Indicators(), o.Indicator) {
			fail(line, invalid("indicator", "%s is not linked to any objective of partnership %q", o.Indicator, a.ID))
			continue
		}
		if err := checkDates(o, a, r.today); err != nil {
			fail(line, err)
			continue
		}
		out = append(out, o)
		outLines = append(outLines, line)
	}
	old, err := r.stored(ctx, out)
	if err != nil {
		return nil, err
	}
	write := out[:0]
	for i, o := range out {
		line := outLines[i]
		prev, replacing := old[o.ID]
		if replacing {
			if prev.Partnership != o.Partnership {
				fail(line, &ConflictError{ID: o.ID, Reason: "the id belongs to an observation of another partnership; an id stays with its partnership for ever, so choose another id"})
				continue
			}
			if prev.Owner != r.actor.Organization && !r.actor.Has(citylinks.RoleFacilitator) {
				fail(line, fmt.Errorf("report: actor %q (organization %q) may not revise observation %q: organization %q recorded it, and a coordinator revises only its own organization's observations: %w",
					r.actor.ID, r.actor.Organization, o.ID, prev.Owner, citylinks.ErrForbidden))
				continue
			}
			o.Owner = prev.Owner
		}
		frozen, err := r.frozenPeriods(ctx, o.Partnership)
		if err != nil {
			return nil, err
		}
		plans := map[string]string{}
		if o.IsPlan() || replacing && prev.IsPlan() {
			if plans, err = r.planCells(ctx, o.Partnership); err != nil {
				return nil, err
			}
		}
		st := Stored{Old: old, Frozen: map[string][]Approval{o.Partnership: frozen}, Plans: plans}
		if replacing && prev.SameContent(o) {
			r.unchanged++
			continue
		}
		if err := CheckWrite([]Observation{o}, st); err != nil {
			fail(line, err)
			continue
		}
		if replacing {
			r.changed++
		} else {
			r.added++
		}
		write = append(write, o)
	}
	return write, nil
}

// checkDates checks o's period against the partnership's dates and today.
func checkDates(o Observation, a *Activity, today citylinks.Date) error {
	start, end := a.Start(), a.End()
	switch {
	case o.Kind == KindActual && o.Period.Start.After(today):
		return invalid("period", "%s has not begun (today is %s): an actual is recorded once its period has begun", o.Period, today)
	case o.Kind != KindBaseline && !start.IsZero() && o.Period.End.Before(start):
		return invalid("period", "%s ends before partnership %q started on %s: only a baseline may come before the start", o.Period, a.ID, start)
	case !end.IsZero() && o.Period.Start.After(end):
		return invalid("period", "%s begins after partnership %q ended on %s", o.Period, a.ID, end)
	}
	return nil
}

func (r *recorder) activity(ctx context.Context, id string) (*Activity, error) {
	if a, ok := r.acts[id]; ok {
		return a, nil
	}
	got, err := r.tx.GetActivity(ctx, id)
	switch {
	case errors.Is(err, citylinks.ErrNotFound):
		r.acts[id] = nil
		return nil, nil
	case err != nil:
		return nil, err
	}
	r.acts[id] = &got
	return &got, nil
}

// stored returns the stored observations with the ids of obs.
func (r *recorder) stored(ctx context.Context, obs []Observation) (map[string]Observation, error) {
	old := map[string]Observation{}
	for start := 0; start < len(obs); start += citylinks.MaxPageSize {
		chunk := obs[start:min(start+citylinks.MaxPageSize, len(obs))]
		ids := make([]string, len(chunk))
		for i, o := range chunk {
			ids[i] = o.ID
		}
		err := eachObservation(ctx, r.tx, ObservationFilter{IDs: ids}, func(o Observation) { old[o.ID] = o })
		if err != nil {
			return nil, err
		}
	}
	return old, nil
}

func (r *recorder) frozenPeriods(ctx context.Context, partnership string) ([]Approval, error) {
	if f, ok := r.frozen[partnership]; ok {
		return f, nil
	}
	m, err := r.tx.ListFrozenPeriods(ctx, []string{partnership})
	if err != nil {
		return nil, err
	}
	r.frozen[partnership] = m[partnership]
	return m[partnership], nil
}

// planCells returns the partnership's stored baselines and targets, cell →
// id, with those this write has checked so far.
func (r *recorder) planCells(ctx context.Context, partnership string) (map[string]string, error) {
	if p, ok := r.plans[partnership]; ok {
		return p, nil
	}
	p := map[string]string{}
	err := eachObservation(ctx, r.tx, ObservationFilter{Partnership: partnership, Kinds: []Kind{KindBaseline, KindTarget}},
		func(o Observation) { p[o.Cell()] = o.ID })
	if err != nil {
		return nil, err
	}
	r.plans[partnership] = p
	return p, nil
}

// eachObservation pages through the observations that match f.
func eachObservation(ctx context.Context, r ObservationTx, f ObservationFilter, fn func(Observation)) error {
	f.Limit = citylinks.MaxPageSize
	for {
		p, err := r.ListObservations(ctx, f)
		if err != nil {
			return err
		}
		for _, o := range p.Items {
			fn(o)
		}
		if p.Next == "" {
			return nil
		}
		f.After = p.Next
	}
}

// RecordContributions stores volunteer-hour and in-kind contributions, all
// or nothing. It fills an empty ID with a new id and sets Owner. The actor
// must be allowed to record on each partnership; a coordinator records
// only its own organization's contributions and revises only those its
// organization recorded. A contribution may not be dated in the future (by
// the service clock). Re-recording a stored contribution unchanged is a
// no-op.
func (s *Service) RecordContributions(ctx context.Context, actor citylinks.Actor, cs ...Contribution) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	today := citylinks.DateOf(s.now())
	coordinator := !actor.Has(citylinks.RoleFacilitator)
	out := make([]Contribution, 0, len(cs))
	acts := map[string]*Activity{}
	stored := map[string]map[string]Contribution{}
	seen := map[string]int{}
	for i, c := range cs {
		if c.ID == "" {
			c.ID = citylinks.NewID()
		}
		c.Owner = actor.Organization
		fail := func(err error) error { return fmt.Errorf("report: contribution %d: %w", i, err) }
		if err := c.Validate(); err != nil {
			return fail(err)
		}
		if j, dup := seen[c.ID]; dup {
			return fail(invalid("id", "%q repeats contribution %d of this batch", errtext.Clip(c.ID), j))
		}
		seen[c.ID] = i
		if c.Date.After(today) {
			return fail(invalid("date", "%s is in the future (today is %s)", c.Date, today))
		}
		a, ok := acts[c.Partnership]
		if !ok {
			got, err := s.activity(ctx, c.Partnership)
			if err != nil {
				return fail(err)
			}
			a = &got
			acts[c.Partnership] = a
		}
		if err := Authorize(actor, ActionRecord, a); err != nil {
			return err
		}
		if coordinator && c.Organization != actor.Organization {
			return fail(fmt.Errorf("report: actor %q (organization %q) may not record a contribution of organization %q: a coordinator records its own organization's contributions: %w",
				actor.ID, actor.Organization, c.Organization, citylinks.ErrForbidden))
		}
		old, ok := stored[c.Partnership]
		if !ok {
			list, err := s.store.ListContributions(ctx, c.Partnership)
			if err != nil {
				return err
			}
			old = map[string]Contribution{}
			for _, x := range list {
				old[x.ID] = x
			}
			stored[c.Partnership] = old
		}
		// An id of another partnership's contribution is refused by the
		// store, inside its transaction (a stored id keeps its partnership and owner).
		if prev, ok := old[c.ID]; ok {
			if coordinator && prev.Owner != actor.Organization {
				return fail(fmt.Errorf("report: actor %q (organization %q) may not revise contribution %q: organization %q recorded it: %w",
					actor.ID, actor.Organization, c.ID, prev.Owner, citylinks.ErrForbidden))
			}
			c.Owner = prev.Owner
			if prev == c {
				continue
			}
		}
		out = append(out, c)
	}
	if len(out) == 0 {
		return nil
	}
	return s.store.RecordContributions(ctx, out)
}

func (s *Service) indicatorMap(ctx context.Context) (map[string]Indicator, error) {
	list, err := s.store.ListIndicators(ctx)
	if err != nil {
		return nil, err
	}
	m := make(map[string]Indicator, len(list))
	for _, in := range list {
		m[in.Code] = in
	}
	return m, nil
}
