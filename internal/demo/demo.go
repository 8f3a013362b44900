package demo

import (
	"context"
	"fmt"
	"io"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/citylinks/citylinks"
	"github.com/citylinks/citylinks/dataset"
	"github.com/citylinks/citylinks/handoff"
	"github.com/citylinks/citylinks/partnership"
	"github.com/citylinks/citylinks/report"
)

// Store is one store that holds everything the demonstration keeps.
type Store interface {
	citylinks.Store
	partnership.Store
	report.Store
}

// Options configure New. The zero value (or nil) gives the defaults.
type Options struct {
	// Now is the clock of both services. Defaults to a clock that starts at
	// noon UTC on Today and moves one millisecond on every reading, so that
	// what the demonstration writes is the same on every backend and run.
	Now func() time.Time
	// Progress draws progress bars on slow steps of Seed.
	Progress bool
	// KeepCity, if set, limits the cities Seed loads (tests use
	// FewCities to stay fast under the race detector); nil loads them all.
	KeepCity func(id string) bool
	// Policy is the partnership service's policy. Defaults to
	// partnership.DefaultPolicy.
	Policy partnership.Policy
}

// Env is the demonstration's services over one store: every command the
// partnership service stores is handed off to outcome reporting by Sync.
type Env struct {
	Core         citylinks.Store
	Partnerships *partnership.Service
	Reports      *report.Service
	Sync         *handoff.Syncer
	// Policy is the policy Partnerships decides with: ask it which
	// commands an actor may give.
	Policy partnership.Policy
	// Facilitator is the program's facilitator (ICMA), who runs the
	// lifecycle.
	Facilitator citylinks.Actor
	// Monitor is the donor's monitoring-and-evaluation officer, who
	// approves results.
	Monitor citylinks.Actor

	w        io.Writer // where Seed writes its progress bars
	bars     bool
	keepCity func(id string) bool
}

// Today is the day the demonstration's program stands on: after the
// demonstration round's last trips.
func Today() citylinks.Date { return today }

var today = day(2016, 4, 30)

// New wires the services over store and defines the starter indicators,
// which the work plans name (package report must know an indicator before
// a partnership that names one is reported), and the program's results
// framework, which places them. store must be migrated.
func New(ctx context.Context, store Store, opts *Options) (*Env, error) {
	var o Options
	if opts != nil {
		o = *opts
	}
	now := o.Now
	if now == nil {
		var mu sync.Mutex
		clock := today.Time().Add(12 * time.Hour)
		now = func() time.Time {
			mu.Lock()
			defer mu.Unlock()
			clock = clock.Add(time.Millisecond)
			return clock
		}
	}
	policy := o.Policy
	if policy == nil {
		policy = partnership.DefaultPolicy{}
	}
	rep := report.NewService(store, &report.Options{Now: now})
	icma := citylinks.Actor{ID: "quickstart@icma", Organization: "icma", Roles: []citylinks.Role{citylinks.RoleFacilitator}}
	sync, err := handoff.NewSyncer(store, rep, &handoff.Options{Actor: icma, IATI: iatiOrgs, Amend: Amender(store)})
	if err != nil {
		return nil, err
	}
	if err := rep.DefineStarterCatalogue(ctx, icma); err != nil {
		return nil, err
	}
	if err := rep.DefineFramework(ctx, icma, report.StarterFramework()); err != nil {
		return nil, err
	}
	return &Env{
		Core: store, Reports: rep, Sync: sync, Policy: policy, Facilitator: icma, Monitor: monitor,
		Partnerships: partnership.NewService(store, &partnership.Options{Policy: policy, Now: now, Results: rep, AfterAppend: sync.Appended}),
		w:            io.Discard, bars: o.Progress, keepCity: o.KeepCity,
	}, nil
}

// amend is the demonstration's own part of how a partnership is reported,
// which Amender adds to: the documented partnerships report yearly, as
// their fact sheets did, and the one in basic services (Telavi–Catawba
// County) works on solid waste, DAC purpose code 14050 waste
// management/disposal (IATI Sector codelist).
func amend(p partnership.Partnership, a *report.Activity) {
	if !strings.HasPrefix(p.ID, RoundPrefix) {
		a.Schedule = report.Annual
	}
	if p.FocusArea == citylinks.FocusBasicServices {
		a.Sectors = []report.Sector{{Code: "14050", Percentage: 100}}
	}
}

// Seeded is what Seed did.
type Seeded struct {
	// Matches counts the pairs the demonstration round proposed, now or
	// in an earlier run.
	Matches int
}

// Seed writes the demonstration program into the store, saying on w what
// each step did:
//
//  1. the built-in programs and the shipped GeoNames cities;
//  2. the nine documented CityLinks 2011–2016 partnerships, replayed
//     through their lifecycle as far as the sources document them;
//  3. a demonstration matching round (Round), each proposed pair a
//     partnership;
//  4. those partnerships advanced: ratification, agreement, work plans,
//     exchanges, volunteer hours and in-kind value (illustrative);
//  5. outcomes recorded, submitted, returned and approved, and a
//     partnership completed on its approved final results.
//
// Seeding a store a second time adds nothing twice: each step says what it
// found from the earlier run and continues from there.
func (e *Env) Seed(ctx context.Context, w io.Writer) (Seeded, error) {
	e.w = w
	defer func() { e.w = io.Discard }()

	// 1. Programs and cities.
	loaded, err := loadCities(ctx, e, e.keepCity)
	if err != nil {
		return Seeded{}, err
	}
	fmt.Fprintf(w, "1. Loaded %d GeoNames cities in %v, and %d programs.\n", loaded.cities, loaded.took, loaded.programs)

	// 2. The documented partnerships.
	rep, err := replayDocumented(ctx, e)
	if err != nil {
		return Seeded{}, err
	}
	if rep.found > 0 {
		fmt.Fprintf(w, "2. Documented CityLinks 2011–2016 partnerships: %d replayed now, %d found from an earlier run (left as they were).\n", rep.created, rep.found)
		if rep.unlinked > 0 {
			fmt.Fprintf(w, "   %d of them have work plans that name no indicators (an earlier version of the quickstart wrote them), so the reports show no results for them: run on a new database for the full reports.\n", rep.unlinked)
		}
	} else {
		fmt.Fprintf(w, "2. Replayed the %d documented CityLinks 2011–2016 partnerships through their lifecycle.\n", rep.created)
	}

	// 3. A new matching round.
	round, err := runRound(ctx, e)
	if err != nil {
		return Seeded{}, err
	}
	if round.found > 0 {
		fmt.Fprintf(w, "3. Demonstration round: found the %d partnerships it proposed in an earlier run; not matched again.\n", round.found)
	} else {
		fmt.Fprintf(w, "3. Demonstration round (climate adaptation, CAPP 2015 style, as of %s; illustrative profiles): %d host and %d resource applicants, %d ineligible, %d pairs proposed (total score %.3f).\n",
			roundAsOf, round.hosts, round.res, round.ineligible, len(round.proposals), round.total)
		for _, p := range round.proposals {
			fmt.Fprintf(w, "     proposed   %-28s ↔ %-28s score %.3f\n", p.HostName, p.ResourceName, p.Score)
		}
		for _, u := range round.unmatched {
			fmt.Fprintf(w, "     %-10s %-28s %s: %s\n", u.Side, u.Name, u.Why, strings.Join(u.Reasons, "; "))
		}
	}

	// 4. Advance the round's partnerships.
	adv, err := advanceRound(ctx, e, round.ids)
	if err != nil {
		return Seeded{}, err
	}
	if adv.skipped > 0 && adv.steps == 0 {
		fmt.Fprintf(w, "4. The round's partnerships were advanced by an earlier run (%d steps found); nothing to add.\n", adv.skipped)
	} else {
		fmt.Fprintf(w, "4. Advanced the round's partnerships: %d lifecycle steps, exchanges and contributions recorded", adv.steps)
		if adv.skipped > 0 {
			fmt.Fprintf(w, " (%d found from an earlier run)", adv.skipped)
		}
		fmt.Fprintln(w, ".")
	}

	// 5. Outcomes and approvals.
	out, err := recordOutcomes(ctx, e)
	if err != nil {
		return Seeded{}, err
	}
	fmt.Fprintf(w, "5. Outcomes: %d partnerships registered for reporting; %d observations recorded", out.activities, out.recorded)
	if out.found > 0 {
		fmt.Fprintf(w, " (%d partnerships' outcomes found from an earlier run)", out.found)
	}
	fmt.Fprintf(w, "; %d quarterly reports approved, %d returned for a fix; %d contributions passed to the roll-ups", out.approved, out.returned, out.contributions)
	if out.completed != "" {
		fmt.Fprintf(w, "; %s completed on its approved final results", out.completed)
	}
	fmt.Fprintln(w, ".")

	matches := len(round.proposals)
	if round.found > 0 {
		matches = round.found
	}
	return Seeded{Matches: matches}, nil
}

// Organizations returns the organizations of the documented partnerships,
// which Seed stores, with ICMA and USAID.
func Organizations() []citylinks.Organization { return slices.Clone(documentedOrgs) }

// FewCities reports whether city id is one the demonstration uses: a
// party of a documented partnership or an applicant to the round. As
// Options.KeepCity it keeps a seeded store small.
func FewCities(id string) bool {
	for _, o := range documentedOrgs {
		if o.CityID == id {
			return true
		}
	}
	for _, a := range append(slices.Clone(roundHosts), roundResources...) {
		if a.geonameID == id {
			return true
		}
	}
	return false
}

type loadResult struct {
	cities, programs int
	took             time.Duration
}

// loadCities stores the built-in programs and the shipped GeoNames cities,
// replacing what an earlier run stored.
func loadCities(ctx context.Context, e *Env, keep func(id string) bool) (loadResult, error) {
	for _, p := range citylinks.Programs() {
		if err := e.Core.PutProgram(ctx, p); err != nil {
			return loadResult{}, err
		}
	}
	start := time.Now()
	src := citylinks.ReadGeoNames(dataset.Cities(), nil)
	if keep != nil {
		all := src
		src = func(yield func(citylinks.City, error) bool) {
			for c, err := range all {
				if (err != nil || keep(c.ID)) && !yield(c, err) {
					return
				}
			}
		}
	}
	bar := newProgress(e.w, e.bars, "loading cities", dataset.CityRows)
	defer bar.done()
	res, err := e.Core.ImportCities(ctx, src, &citylinks.ImportOptions{Replace: true, Progress: bar.set})
	if err != nil {
		return loadResult{}, fmt.Errorf("load cities: %w", err)
	}
	return loadResult{res.Imported, len(citylinks.Programs()), time.Since(start).Round(time.Millisecond)}, nil
}
