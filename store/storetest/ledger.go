package storetest

import (
	"bytes"
	"context"
	"fmt"
	"iter"
	"maps"
	"slices"
	"strconv"
	"strings"
	"sync"

	"github.com/google/go-cmp/cmp"

	"github.com/citylinks/citylinks"
	"github.com/citylinks/citylinks/partnership"
	"github.com/citylinks/citylinks/report"
)

// ledger is what the writers reported as committed, read from their lines
// (see workload.go), and what earlier checks found in the store.
type ledger struct {
	mu        sync.Mutex
	partial   []byte
	cmds      map[string]cmdLine      // op → the partnership and version it committed
	obs       map[string]int          // op → observations in its batch
	cities    map[string]int          // op → cities in its batch
	counters  map[string]int64        // counter city → highest value reported
	approvals map[string]approvalLine // op → the approval version it made
	started   map[string]bool         // ops started and not yet reported
	errs      []string                // error lines
	stats     map[string]float64      // stats lines, summed
	ready     int                     // ready lines

	// known holds the ops found in the store by earlier checks, reported
	// or not.
	known map[string]bool
}

type approvalLine struct {
	partnership, period string
	version             int
}

type cmdLine struct {
	partnership string
	version     int64
}

func newLedger() *ledger {
	return &ledger{cmds: map[string]cmdLine{}, obs: map[string]int{}, cities: map[string]int{}, counters: map[string]int64{},
		approvals: map[string]approvalLine{}, started: map[string]bool{}, stats: map[string]float64{}, known: map[string]bool{}}
}

// Write takes the lines of a writer: the ledger is an io.Writer for
// in-process writers.
func (l *ledger) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.partial = append(l.partial, p...)
	for {
		i := bytes.IndexByte(l.partial, '\n')
		if i < 0 {
			break
		}
		l.addLocked(string(l.partial[:i]))
		l.partial = l.partial[i+1:]
	}
	return len(p), nil
}

// add takes one line. Lines it does not know (the test binary's own
// output) are ignored.
func (l *ledger) add(line string) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.addLocked(line)
}

func (l *ledger) addLocked(line string) {
	f := strings.Fields(line)
	if len(f) == 0 {
		return
	}
	bad := func() { l.errs = append(l.errs, "malformed line: "+line) }
	switch {
	case f[0] == "ready" && len(f) == 1:
		l.ready++
	case f[0] == "start" && len(f) == 2:
		l.started[f[1]] = true
	case f[0] == "cmd" && len(f) == 4:
		v, err := strconv.ParseInt(f[3], 10, 64)
		if err != nil {
			bad()
			return
		}
		l.cmds[f[1]] = cmdLine{f[2], v}
		delete(l.started, f[1])
	case (f[0] == "obs" || f[0] == "cities") && len(f) == 3:
		n, err := strconv.Atoi(f[2])
		if err != nil {
			bad()
			return
		}
		if f[0] == "obs" {
			l.obs[f[1]] = n
		} else {
			l.cities[f[1]] = n
		}
		delete(l.started, f[1])
	case f[0] == "counter" && len(f) == 4:
		v, err := strconv.ParseInt(f[3], 10, 64)
		if err != nil {
			bad()
			return
		}
		l.counters[f[2]] = max(l.counters[f[2]], v)
		delete(l.started, f[1])
	case f[0] == "approval" && len(f) == 5:
		v, err := strconv.Atoi(f[4])
		if err != nil {
			bad()
			return
		}
		l.approvals[f[1]] = approvalLine{f[2], f[3], v}
		delete(l.started, f[1])
	case f[0] == "error":
		l.errs = append(l.errs, line)
	case f[0] == "stats":
		for _, kv := range f[1:] {
			k, v, _ := strings.Cut(kv, "=")
			x, err := strconv.ParseFloat(v, 64)
			if err != nil {
				bad()
				return
			}
			l.stats[k] += x
		}
	}
}

// inFlight returns the ops started and not reported, and forgets them.
func (l *ledger) inFlight() []string {
	l.mu.Lock()
	defer l.mu.Unlock()
	ops := make([]string, 0, len(l.started))
	for op := range l.started {
		ops = append(ops, op)
	}
	clear(l.started)
	slices.Sort(ops)
	return ops
}

// found is what a check found in the store.
type found struct {
	partnerships, events, observations, cities, approvals int
	// unreported are the ops found in the store for the first time whose
	// commit no writer reported: at most the ops in flight when a writer
	// died.
	unreported []string
}

// check reads the whole store and checks it against the ledger:
//
//   - every partnership's versions run 1, 2, … without a gap, its events
//     fold, and its listed summary equals the fold's;
//   - every command's events are in one partnership, at consecutive
//     versions (a command is never stored twice or in part);
//   - every reported command is stored at the version reported;
//   - every observation and city batch is whole or absent, every reported
//     one is whole, and every counter holds at least the value reported;
//   - every approval equals the fold of its history, and every reported
//     transition is in it;
//   - at most slack ops are stored that were not reported (nor found by an
//     earlier check).
//
// It returns what it found and every violation.
func (l *ledger) check(ctx context.Context, s Store, slack int) (found, []error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	var f found
	var errs []error
	fail := func(format string, args ...any) { errs = append(errs, fmt.Errorf(format, args...)) }
	stored := map[string]bool{} // ops found in the store

	// Partnerships and their events.
	type span struct {
		partnership string
		first, last int64
	}
	spans := map[string]span{}
	listed := map[string]bool{}
	for sum, err := range allPartnerships(ctx, s) {
		if err != nil {
			return f, append(errs, err)
		}
		if listed[sum.ID] {
			fail("partnership %s is listed twice", sum.ID)
		}
		listed[sum.ID] = true
		f.partnerships++
		events, err := s.LoadPartnership(ctx, sum.ID)
		if err != nil {
			fail("partnership %s is listed but its events do not load: %v", sum.ID, err)
			continue
		}
		f.events += len(events)
		gap := false
		for i, e := range events {
			if e.Version != int64(i+1) {
				fail("partnership %s: event %d has version %d", sum.ID, i, e.Version)
				gap = true
				break
			}
		}
		if gap {
			continue
		}
		p, err := partnership.Fold(events)
		if err != nil {
			fail("partnership %s does not fold: %v", sum.ID, err)
			continue
		}
		if d := cmp.Diff(p.Summary(), sum); d != "" {
			fail("partnership %s: the listed summary differs from the fold of its %d events (-fold +listed):\n%s", sum.ID, len(events), d)
		}
		for _, e := range events {
			op := e.Actor.ID
			sp, ok := spans[op]
			switch {
			case !ok:
				spans[op] = span{sum.ID, e.Version, e.Version}
			case sp.partnership != sum.ID || sp.last != e.Version-1:
				fail("command %s is stored twice: in %s at version %d and in %s at version %d", op, sp.partnership, sp.last, sum.ID, e.Version)
			default:
				sp.last = e.Version
				spans[op] = sp
			}
		}
	}
	for op, c := range l.cmds {
		sp, ok := spans[op]
		switch {
		case !ok && !listed[c.partnership]:
			_, err := s.LoadPartnership(ctx, c.partnership)
			fail("command %s was reported at version %d of %s, which is not listed (load: %v)", op, c.version, c.partnership, err)
		case !ok:
			fail("command %s was reported at version %d of %s and is lost", op, c.version, c.partnership)
		case sp.partnership != c.partnership || sp.last != c.version:
			fail("command %s was reported at version %d of %s and is stored at versions %d–%d of %s", op, c.version, c.partnership, sp.first, sp.last, sp.partnership)
		}
	}
	for op := range spans {
		stored[op] = true
	}

	// Observation batches.
	obsBatches := batches{kind: "observation", count: map[string]int{}, size: map[string]int{}}
	for o, err := range allObservations(ctx, s) {
		if err != nil {
			return f, append(errs, err)
		}
		f.observations++
		op, i, n, ok := parseBatchID(o.ID)
		if !ok {
			fail("observation %q is not the workload's", o.ID)
			continue
		}
		want := durObservation(op, o.Partnership, i, n)
		if o.Indicator != want.Indicator || o.Kind != want.Kind || o.Period != want.Period || o.Value != want.Value || o.Source != want.Source {
			fail("observation %s is torn: %+v", o.ID, o)
		}
		obsBatches.add(op, n)
	}
	obsBatches.check(l.obs, stored, fail)

	// City batches and counters.
	cityBatches := batches{kind: "city", count: map[string]int{}, size: map[string]int{}}
	counters := map[string]int64{}
	for c, err := range allCities(ctx, s) {
		if err != nil {
			return f, append(errs, err)
		}
		f.cities++
		if strings.HasPrefix(c.ID, "counter-") {
			counters[c.ID] = c.Population
			continue
		}
		op, i, n, ok := parseBatchID(c.ID)
		if !ok {
			fail("city %q is not the workload's", c.ID)
			continue
		}
		if want := durCity(op, i, n); c.Name != want.Name || c.Population != want.Population || c.Country != want.Country {
			fail("city %s is torn: %+v", c.ID, c)
		}
		cityBatches.add(op, n)
	}
	cityBatches.check(l.cities, stored, fail)
	for id, v := range l.counters {
		if got, ok := counters[id]; !ok || got < v {
			fail("counter %s was reported at %d and holds %d (present: %v)", id, v, got, ok)
		}
	}

	// Approvals: each equals the fold of its history.
	approvalAt := map[string]approvalLine{}
	for _, p := range approvalPartnerships(l, listed) {
		as, err := s.ListApprovals(ctx, p)
		if err != nil {
			return f, append(errs, fmt.Errorf("list approvals of %s: %w", p, err))
		}
		for _, a := range as {
			f.approvals++
			h, err := s.ApprovalHistory(ctx, p, a.Period)
			if err != nil {
				return f, append(errs, fmt.Errorf("approval history of %s %s: %w", p, a.Period, err))
			}
			state := report.StateDraft
			for i, e := range h {
				if e.Seq != i+1 || e.From != state {
					fail("approval %s %s: event %d is seq %d from %s, after %s", p, a.Period, i, e.Seq, e.From, state)
					break
				}
				state = e.To
				if prev, dup := approvalAt[e.Actor]; dup {
					fail("approval op %s is stored twice: %s %s version %d and %d", e.Actor, p, a.Period, prev.version, e.Seq)
				}
				approvalAt[e.Actor] = approvalLine{p, a.Period.String(), e.Seq}
				stored[e.Actor] = true
			}
			if a.Version != len(h) || a.State != state {
				fail("approval %s %s is %s at version %d; its %d events lead to %s", p, a.Period, a.State, a.Version, len(h), state)
			}
		}
	}
	for op, a := range l.approvals {
		if got, ok := approvalAt[op]; !ok || got != a {
			fail("approval op %s was reported as %s %s version %d and is stored as %+v (present: %v)", op, a.partnership, a.period, a.version, got, ok)
		}
	}

	// What was stored and never reported.
	for op := range stored {
		_, c := l.cmds[op]
		_, o := l.obs[op]
		_, ci := l.cities[op]
		_, a := l.approvals[op]
		if !c && !o && !ci && !a && !l.known[op] {
			f.unreported = append(f.unreported, op)
		}
		l.known[op] = true
	}
	slices.Sort(f.unreported)
	if len(f.unreported) > slack {
		fail("%d ops are stored that no writer reported (at most %d were in flight): %v", len(f.unreported), slack, f.unreported)
	}
	return f, errs
}

// batches counts the items of each batch of one kind found in a store.
type batches struct {
	kind        string
	count, size map[string]int // op → items found, items in the batch
}

func (b batches) add(op string, n int) {
	b.count[op]++
	b.size[op] = n
}

// check fails a batch found in part, and a reported batch that is not
// whole; it marks the batches found as stored.
func (b batches) check(reported map[string]int, stored map[string]bool, fail func(string, ...any)) {
	for op, n := range b.count {
		if n != b.size[op] {
			fail("%s batch %s is partly stored: %d of %d", b.kind, op, n, b.size[op])
		}
		stored[op] = true
	}
	for op, n := range reported {
		if b.count[op] != n {
			fail("%s batch %s of %d was reported and %d are stored", b.kind, op, n, b.count[op])
		}
	}
}

// approvalPartnerships returns the partnerships whose approvals to check:
// the listed partnerships registered for reporting (the shared ones), and
// those of reported approvals.
func approvalPartnerships(l *ledger, listed map[string]bool) []string {
	set := map[string]bool{}
	for id := range listed {
		if strings.HasPrefix(id, "shared-") {
			set[id] = true
		}
	}
	for _, a := range l.approvals {
		set[a.partnership] = true
	}
	return slices.Sorted(maps.Keys(set))
}

// parseBatchID splits the id of item i of the n of batch op,
// "<op>-<i>-of-<n>".
func parseBatchID(id string) (op string, i, n int, ok bool) {
	rest, ns, ok := cutLast(id, "-of-")
	if !ok {
		return "", 0, 0, false
	}
	op, is, ok := cutLast(rest, "-")
	if !ok {
		return "", 0, 0, false
	}
	i, err1 := strconv.Atoi(is)
	n, err2 := strconv.Atoi(ns)
	return op, i, n, err1 == nil && err2 == nil && i < n
}

func cutLast(s, sep string) (before, after string, ok bool) {
	i := strings.LastIndex(s, sep)
	if i < 0 {
		return s, "", false
	}
	return s[:i], s[i+len(sep):], true
}

// all yields every item of a keyset-paged list, page by page; list
// returns the page after a cursor.
func all[T any](what string, list func(after string) (citylinks.Page[T], error)) iter.Seq2[T, error] {
	return func(yield func(T, error) bool) {
		after := ""
		for {
			page, err := list(after)
			if err != nil {
				var zero T
				yield(zero, fmt.Errorf("list %s after %q: %w", what, after, err))
				return
			}
			for _, x := range page.Items {
				if !yield(x, nil) {
					return
				}
			}
			if page.Next == "" {
				return
			}
			after = page.Next
		}
	}
}

func allPartnerships(ctx context.Context, s Store) iter.Seq2[partnership.Summary, error] {
	return all("partnerships", func(after string) (citylinks.Page[partnership.Summary], error) {
		return s.ListPartnerships(ctx, partnership.Filter{After: after, Limit: citylinks.MaxPageSize})
	})
}

func allObservations(ctx context.Context, s Store) iter.Seq2[report.Observation, error] {
	return all("observations", func(after string) (citylinks.Page[report.Observation], error) {
		return s.ListObservations(ctx, report.ObservationFilter{After: after, Limit: citylinks.MaxPageSize})
	})
}

func allCities(ctx context.Context, s Store) iter.Seq2[citylinks.City, error] {
	return all("cities", func(after string) (citylinks.Page[citylinks.City], error) {
		return s.ListCities(ctx, citylinks.CityFilter{After: after, Limit: citylinks.MaxPageSize})
	})
}
