package storetest

import (
	"context"
	"errors"
	"fmt"
	"io"
	"iter"
	"math/rand/v2"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/citylinks/citylinks"
	"github.com/citylinks/citylinks/partnership"
	pt "github.com/citylinks/citylinks/partnership/partnershiptest"
	"github.com/citylinks/citylinks/report"
)

// The durability workload: writers issue partnership commands through
// partnership.Service, record observation batches through report.Service
// and import city batches, and report each write on a line only after it
// has committed. Every write carries an operation id ("op") that names its
// writer, worker and sequence number: the actor of a command has the op as
// its id, so each stored event can be traced to the command that wrote it,
// and observation and city ids start with the op of their batch.
//
// The lines a writer prints:
//
//	ready                           the writer has opened the store
//	start <op>                      it is about to run op
//	cmd <op> <partnership> <ver>    command op committed; the partnership is at ver
//	obs <op> <n>                    a batch of n observations committed
//	cities <op> <n>                 a batch of n cities committed
//	counter <op> <city> <value>     the counter city now holds value
//	approval <op> <p> <period> <v>  a period report's approval moved to version v
//	read <op>                       a read checked out (load runs only)
//	error <op> <message>            op failed
//	stats <key>=<value> ...         totals, when a load worker ends

// durIndicator is the starter indicator the workload records on: a count,
// summed.
const durIndicator = "CL-CLIM-02"

// durShared returns the ids of the n partnerships every writer shares.
func durShared(n int) []string {
	ids := make([]string, n)
	for i := range ids {
		ids[i] = fmt.Sprintf("shared-%02d", i)
	}
	return ids
}

// durActor is the facilitator who runs op.
func durActor(op string) citylinks.Actor {
	return citylinks.Actor{ID: op, Organization: pt.ICMA, Roles: []citylinks.Role{citylinks.RoleFacilitator}}
}

// countingStore counts the appends that lost a race, which the Service
// retries.
type countingStore struct {
	Store
	conflicts *atomic.Int64
}

func (s countingStore) AppendPartnership(ctx context.Context, id string, expected int64, events []partnership.Event) error {
	err := s.Store.AppendPartnership(ctx, id, expected, events)
	if errors.Is(err, citylinks.ErrConflict) {
		s.conflicts.Add(1)
	}
	return err
}

// lines writes whole lines to w, one writer at a time.
type lines struct {
	mu sync.Mutex
	w  io.Writer
}

func (l *lines) printf(format string, args ...any) {
	l.mu.Lock()
	defer l.mu.Unlock()
	fmt.Fprintf(l.w, format+"\n", args...)
}

// workload is one writer: a process of a crash or load run, or the
// parent's setup. Its workers run concurrently.
type workload struct {
	writer  string
	store   Store
	parts   *partnership.Service
	reports *report.Service
	shared  []string
	out     *lines
	// reads mixes checked reads in with the writes (load runs).
	reads bool
	// bulk is the size of the large CSV imports that hold a write
	// transaction open for a while; 0 for none.
	bulk int

	conflicts               atomic.Int64
	writes, nreads, nerrors atomic.Int64
}

func newWorkload(s Store, writer string, shared []string, out io.Writer) *workload {
	w := &workload{writer: writer, shared: shared, out: &lines{w: out}}
	w.store = countingStore{Store: s, conflicts: &w.conflicts}
	w.parts = partnership.NewService(w.store, nil)
	w.reports = report.NewService(w.store, nil)
	return w
}

// setup defines the indicators, and proposes, activates and registers for
// reporting the shared partnerships, as writer "setup".
func (w *workload) setup(ctx context.Context) error {
	if err := w.reports.DefineStarterCatalogue(ctx, durActor("setup")); err != nil {
		return fmt.Errorf("define indicators: %w", err)
	}
	k := w.worker(0)
	for _, id := range w.shared {
		if err := k.activate(ctx, id); err != nil {
			return err
		}
		a := report.Activity{ID: id, Title: "Shared partnership " + id, Program: citylinks.ProgramCityLinks2011,
			FocusArea: citylinks.FocusClimate, Country: "IN", PlannedStart: pt.D(2015, 1, 1), PlannedEnd: pt.D(2016, 12, 31),
			Status: report.StatusImplementation, Schedule: report.Quarterly,
			Participants: []report.ParticipatingOrg{{Organization: pt.ICMA, Name: "ICMA", Role: report.RoleExtending, Type: "21"}},
			Objectives:   []report.Objective{{Code: "obj-1", Text: "Municipal staff able to plan for adaptation", Indicators: []string{durIndicator}}}}
		if err := w.reports.RegisterActivity(ctx, durActor("setup"), a); err != nil {
			return fmt.Errorf("register %s: %w", id, err)
		}
	}
	return nil
}

// run runs n workers until the deadline (forever if it is zero), or until
// a worker fails when stop is set. Operations run to their end with ctx,
// which should not be canceled before they do: a write that committed is
// always reported.
func (w *workload) run(ctx context.Context, n int, deadline time.Time, stop bool) {
	var wg sync.WaitGroup
	for i := range n {
		wg.Go(func() {
			k := w.worker(i)
			for deadline.IsZero() || time.Now().Before(deadline) {
				if err := k.step(ctx); err != nil {
					w.nerrors.Add(1)
					w.out.printf("error %s %s", k.op, strings.ReplaceAll(err.Error(), "\n", " "))
					if stop {
						return
					}
				}
			}
		})
	}
	wg.Wait()
}

// worker is one goroutine of a workload: it drives a partnership of its own
// through its lifecycle, and records on the shared ones.
type worker struct {
	w   *workload
	n   int
	seq int
	op  string
	rng *rand.Rand
	// its own partnership: id, commands run on it, planned end, and
	// whether it is suspended
	own       string
	ownSteps  int
	ownEnd    citylinks.Date
	suspended bool
	// seen is the highest version this worker has seen of each
	// partnership: reads must never go back.
	seen map[string]int64
}

func (w *workload) worker(n int) *worker {
	return &worker{w: w, n: n, rng: rand.New(rand.NewPCG(uint64(time.Now().UnixNano()), uint64(n))), seen: map[string]int64{}}
}

func (k *worker) next() string {
	k.seq++
	k.op = fmt.Sprintf("%s.%d.%06d", k.w.writer, k.n, k.seq)
	return k.op
}

// step runs one operation, chosen at random.
func (k *worker) step(ctx context.Context) error {
	if k.w.reads && k.rng.IntN(2) == 0 {
		return k.read(ctx)
	}
	op := k.next()
	k.w.out.printf("start %s", op)
	var err error
	switch r := k.rng.IntN(100); {
	case r < 35:
		err = k.ownStep(ctx)
	case r < 60:
		err = k.sharedStep(ctx)
	case r < 80:
		err = k.observations(ctx)
	case r < 90:
		err = k.approval(ctx)
	default:
		err = k.cities(ctx)
	}
	if err == nil {
		k.w.writes.Add(1)
	}
	return err
}

// exec runs cmd on partnership id as op's actor and reports it.
func (k *worker) exec(ctx context.Context, id string, cmd partnership.Command) error {
	p, err := k.w.parts.Execute(ctx, durActor(k.op), id, cmd)
	if err != nil {
		return fmt.Errorf("%s on %s: %w", cmd.Action(), id, err)
	}
	if p.Version <= k.seen[id] {
		return fmt.Errorf("%s on %s: version %d after %d was seen", cmd.Action(), id, p.Version, k.seen[id])
	}
	k.seen[id] = p.Version
	k.w.out.printf("cmd %s %s %d", k.op, id, p.Version)
	return nil
}

// activate proposes partnership id and takes it to active, one command
// (and op) a step.
func (k *worker) activate(ctx context.Context, id string) error {
	k.own, k.ownSteps = id, 0
	for range 4 {
		k.next()
		if err := k.ownStep(ctx); err != nil {
			return err
		}
	}
	k.own = ""
	return nil
}

var durLater = pt.D(2015, 6, 1) // the date of every lifecycle step after the work plan

// ownStep runs the next command on the worker's own partnership: the four
// steps to active, then exchanges, contributions, drafts, extensions and
// suspensions, and after a while closing, after which the next step
// proposes a new partnership.
func (k *worker) ownStep(ctx context.Context) error {
	if k.own == "" {
		k.own, k.ownSteps = "own-"+k.op, 0
	}
	id := k.own
	var cmd partnership.Command
	switch k.ownSteps {
	case 0:
		cmd = pt.Proposal(k.own)
	case 1:
		cmd = partnership.Ratify{Party: pt.Boulder, Body: "Boulder City Council", On: pt.D(2015, 4, 7)}
	case 2:
		k.ownEnd = pt.D(2016, 3, 31)
		cmd = partnership.SignAgreement{Signatories: []partnership.Signatory{{Party: pt.ICMA, Name: "ICMA signatory"},
			{Party: pt.Boulder, Name: "Boulder signatory"}, {Party: pt.Shimla, Name: "Shimla signatory"}}, End: k.ownEnd, On: pt.D(2015, 4, 20)}
	case 3:
		cmd = partnership.AgreeWorkPlan{Plan: pt.Plan(), On: pt.D(2015, 5, 15)}
	case 4:
		cmd = k.exchange()
	default:
		switch r := k.rng.IntN(100); {
		case k.suspended:
			cmd = partnership.Resume{On: durLater}
			k.suspended = false
		case k.ownSteps > 16 && r < 20:
			cmd = partnership.StartClosing{On: durLater}
			k.own = "" // the next step proposes a new one
		case r < 35:
			cmd = k.exchange()
		case r < 70:
			cmd = k.contribution()
		case r < 80:
			plan := pt.Plan()
			plan.Objectives[0].Code = "O-" + k.op
			cmd = partnership.DraftWorkPlan{Plan: plan, On: durLater}
		case r < 90:
			k.ownEnd = k.ownEnd.AddDays(30)
			cmd = partnership.Extend{End: k.ownEnd, Reason: "more time for the work plan", On: durLater}
		default:
			cmd = partnership.Suspend{Reason: "elections", On: durLater}
			k.suspended = true
		}
	}
	k.ownSteps++
	return k.exec(ctx, id, cmd)
}

func (k *worker) exchange() partnership.RecordExchange {
	return partnership.RecordExchange{Exchange: partnership.Exchange{ID: "x-" + k.op, From: pt.Boulder, To: pt.Shimla,
		Start: pt.D(2015, 6, 1), End: pt.D(2015, 6, 5), Purpose: "technical visit", Status: partnership.ExchangeDone,
		Participants: []partnership.Participant{{Name: "A. Expert", Party: pt.Boulder}}}}
}

func (k *worker) contribution() partnership.RecordContribution {
	return partnership.RecordContribution{Contribution: partnership.Contribution{ID: "c-" + k.op, Party: pt.Boulder,
		Person: "Volunteer", Date: pt.D(2015, 6, 10), Minutes: int64(30 + k.seq%240),
		InKind: citylinks.Money{Amount: int64(k.seq % 5000), Currency: "USD"}, Description: "staff time"}}
}

// sharedStep records an exchange or a contribution on a shared
// partnership, which the other writers write to as well.
func (k *worker) sharedStep(ctx context.Context) error {
	id := k.w.shared[k.rng.IntN(len(k.w.shared))]
	if k.rng.IntN(3) == 0 {
		return k.exec(ctx, id, k.exchange())
	}
	return k.exec(ctx, id, k.contribution())
}

// durObservation is observation i of the n of batch op on partnership p.
func durObservation(op, p string, i, n int) report.Observation {
	return report.Observation{ID: fmt.Sprintf("%s-%05d-of-%05d", op, i, n), Partnership: p, Indicator: durIndicator,
		Kind: report.KindActual, Period: report.Quarter(2015+i%2, 1+i%4), Value: float64(i % 50), Source: "durability test"}
}

// observations records a batch on a shared partnership: a small one
// through Record, or a large one (bulk) or a small one through ImportCSV.
func (k *worker) observations(ctx context.Context) error {
	p := k.w.shared[k.rng.IntN(len(k.w.shared))]
	n := 5 + k.rng.IntN(36)
	bulk := k.w.bulk > 0 && k.rng.IntN(3) == 0
	if bulk {
		n = k.w.bulk
	}
	obs := make([]report.Observation, n)
	for i := range obs {
		obs[i] = durObservation(k.op, p, i, n)
	}
	if bulk || k.rng.IntN(2) == 0 {
		var b strings.Builder
		if err := report.WriteObservationsCSV(&b, obs); err != nil {
			return err
		}
		got, err := k.w.reports.ImportCSV(ctx, durActor(k.op), strings.NewReader(b.String()))
		if err != nil {
			return fmt.Errorf("import %d observations: %w", n, err)
		}
		if got.Rows != n || got.Added+got.Changed+got.Unchanged != n {
			return fmt.Errorf("import %d observations: %+v", n, got)
		}
	} else if err := k.w.reports.Record(ctx, durActor(k.op), obs...); err != nil {
		return fmt.Errorf("record %d observations: %w", n, err)
	}
	k.w.out.printf("obs %s %d", k.op, n)
	return nil
}

// approvalPeriod is the period whose report the worker moves through
// approval, on every shared partnership: a day of 2017 of its own, which no
// observation falls in, and which no other worker of a run shares (writer
// names differ in their number: t007, l2).
func (k *worker) approvalPeriod() report.Period {
	num := 0
	for _, c := range k.w.writer {
		if c >= '0' && c <= '9' {
			num = num*10 + int(c-'0')
		}
	}
	d := pt.D(2017, 1, 1).AddDays((num*16 + k.n) % 3000)
	p, _ := report.Range(d, d)
	return p
}

// approval moves the worker's period report of a shared partnership one
// step on: a facilitator submits a draft or returned report, a monitor
// approves or returns a submitted one, and unlocks an approved one.
func (k *worker) approval(ctx context.Context) error {
	p := k.w.shared[k.rng.IntN(len(k.w.shared))]
	period := k.approvalPeriod()
	cur, err := k.w.reports.Approval(ctx, durActor(k.op), p, period)
	if err != nil {
		return fmt.Errorf("approval of %s %s: %w", p, period, err)
	}
	monitor := citylinks.Actor{ID: k.op, Organization: pt.ICMA, Roles: []citylinks.Role{citylinks.RoleMonitor}}
	var next report.Approval
	switch cur.State {
	case report.StateDraft, report.StateReturned:
		next, err = k.w.reports.Submit(ctx, durActor(k.op), p, period)
	case report.StateSubmitted:
		if k.rng.IntN(2) == 0 {
			next, err = k.w.reports.Approve(ctx, monitor, p, period)
		} else {
			next, err = k.w.reports.Return(ctx, monitor, p, period, "please add the sources")
		}
	default:
		next, err = k.w.reports.Unlock(ctx, monitor, p, period, "a correction")
	}
	if err != nil {
		return fmt.Errorf("approval of %s %s from %s: %w", p, period, cur.State, err)
	}
	k.w.out.printf("approval %s %s %s %d", k.op, p, period, next.Version)
	return nil
}

// durCity is city i of the n of batch op.
func durCity(op string, i, n int) citylinks.City {
	return citylinks.City{ID: fmt.Sprintf("%s-%02d-of-%02d", op, i, n), Name: "batch " + op, Country: "KE", Population: int64(i)}
}

// cities imports a batch of cities in one transaction, or updates the
// worker's counter city in place.
func (k *worker) cities(ctx context.Context) error {
	if k.rng.IntN(2) == 0 {
		id := fmt.Sprintf("counter-%s.%d", k.w.writer, k.n)
		if err := k.w.store.PutCity(ctx, citylinks.City{ID: id, Name: "counter", Country: "KE", Population: int64(k.seq)}); err != nil {
			return fmt.Errorf("put %s: %w", id, err)
		}
		k.w.out.printf("counter %s %s %d", k.op, id, k.seq)
		return nil
	}
	n := 40
	var src iter.Seq2[citylinks.City, error] = func(yield func(citylinks.City, error) bool) {
		for i := range n {
			if !yield(durCity(k.op, i, n), nil) {
				return
			}
		}
	}
	res, err := k.w.store.ImportCities(ctx, src, nil)
	if err != nil {
		return fmt.Errorf("import %d cities: %w", n, err)
	}
	if res.Imported != n {
		return fmt.Errorf("import %d cities: %+v", n, res)
	}
	k.w.out.printf("cities %s %d", k.op, n)
	return nil
}

// read runs one checked read: a shared partnership (its version must not go
// back and its state must fold), the active partnerships, a partnership's
// observations, or a roll-up of one partnership.
func (k *worker) read(ctx context.Context) error {
	op := k.next()
	actor := durActor(op)
	p := k.w.shared[k.rng.IntN(len(k.w.shared))]
	var err error
	switch k.rng.IntN(4) {
	case 0:
		var got partnership.Partnership
		if got, err = k.w.parts.Get(ctx, actor, p); err == nil {
			if got.Version < k.seen[p] {
				err = fmt.Errorf("get %s: version %d after %d was seen", p, got.Version, k.seen[p])
			}
			k.seen[p] = max(k.seen[p], got.Version)
		}
	case 1:
		var page citylinks.Page[partnership.Summary]
		page, err = k.w.parts.List(ctx, actor, partnership.Filter{States: []partnership.State{partnership.StateActive}, Limit: 50})
		for _, s := range page.Items {
			if s.State != partnership.StateActive {
				err = fmt.Errorf("list active: %s is %s", s.ID, s.State)
			}
		}
	case 2:
		var page citylinks.Page[report.Observation]
		page, err = k.w.store.ListObservations(ctx, report.ObservationFilter{Partnership: p, Limit: 100})
		for _, o := range page.Items {
			if o.Partnership != p {
				err = fmt.Errorf("list observations of %s: got one of %s", p, o.Partnership)
			}
		}
	default:
		_, err = k.w.reports.Rollup(ctx, durActor(k.op), report.RollupQuery{GroupBy: []report.Dim{report.DimYear}, Partnerships: []string{p}})
	}
	if err != nil {
		return fmt.Errorf("read: %w", err)
	}
	k.w.nreads.Add(1)
	return nil
}
