package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"
	"golang.org/x/term"

	"github.com/citylinks/citylinks"
	"github.com/citylinks/citylinks/handoff"
	"github.com/citylinks/citylinks/partnership"
	"github.com/citylinks/citylinks/report"
	"github.com/citylinks/citylinks/store/postgres"
	"github.com/citylinks/citylinks/store/sqlite"
)

func main() {
	fs := flag.NewFlagSet("quickstart", flag.ContinueOnError)
	fs.Usage = func() {
		fmt.Fprintf(fs.Output(), "Usage: quickstart [-db FILE] [-out DIR] [-postgres URL] [-lang en|fr|es|pt]\n\n"+
			"Runs a CityLinks-style program on the shipped real data and prints a summary.\n\n")
		fs.PrintDefaults()
	}
	var cfg config
	fs.StringVar(&cfg.dbPath, "db", filepath.Join("out", "citylinks.db"), "SQLite database `file` to create or reuse")
	fs.StringVar(&cfg.outDir, "out", "out", "`directory` for the files the quickstart writes")
	fs.StringVar(&cfg.postgres, "postgres", "", "run on PostgreSQL at this `URL` instead of SQLite (e.g. postgres://postgres@127.0.0.1:5432/test)")
	fs.StringVar(&cfg.lang, "lang", "en", "`language` of the words of report.html, report.md and report.csv's header: en, fr, es or pt")
	fs.StringVar(&cfg.iatiOrgRef, "iati-org-ref", demoIATIRef, "IATI organisation `identifier` of the publisher of iati.xml (the default is illustrative: set your own before publishing)")
	if err := fs.Parse(os.Args[1:]); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return
		}
		os.Exit(2)
	}
	if fs.NArg() > 0 {
		fmt.Fprintf(os.Stderr, "quickstart: unexpected argument %q\n", fs.Arg(0))
		os.Exit(2)
	}
	if err := checkPublisher(cfg.iatiOrgRef); err != nil {
		fmt.Fprintf(os.Stderr, "quickstart: %v\n", err)
		os.Exit(2)
	}
	cfg.progress = term.IsTerminal(int(os.Stdout.Fd()))
	if err := run(context.Background(), os.Stdout, cfg); err != nil {
		fmt.Fprintf(os.Stderr, "quickstart: %v\n", err)
		os.Exit(1)
	}
}

// config is what the flags set.
type config struct {
	dbPath, outDir, postgres, iatiOrgRef string
	// lang is the language of the reports' own words ("" is English).
	lang string
	// progress draws progress bars on slow steps (stdout is a terminal).
	progress bool
	// keepCity, if set, limits the cities loaded (tests use it to stay
	// fast under the race detector); nil loads them all.
	keepCity func(id string) bool
}

// demoIATIRef is the illustrative publisher identifier of iati.xml: the
// XI-IATI prefix (organisations registered with IATI itself) and a name
// that no one holds. Real publishers pass their own with -iati-org-ref.
const demoIATIRef = "XI-IATI-CITYLINKS-QUICKSTART"

// demoAsOf is the day the quickstart's program stands on: after the
// demonstration round's last trips. Both services run on a clock that
// starts then, so that the files it writes are the same on every backend
// and every run, but for the order of ties.
var demoAsOf = day(2016, 4, 30)

// backend is one store that holds everything the quickstart keeps.
type backend interface {
	citylinks.Store
	partnership.Store
	report.Store
	Migrate(ctx context.Context) error
	Close() error
}

// env is what every step of the flow works with.
type env struct {
	w     io.Writer
	bars  bool // draw progress bars on w
	where string
	core  citylinks.Store
	parts partnership.Store
	svc   *partnership.Service
	rep   *report.Service
	sync  *handoff.Syncer // keeps rep in step with every partnership svc stores
	icma  citylinks.Actor // the program's facilitator, who runs the lifecycle
}

func open(ctx context.Context, cfg config) (backend, string, error) {
	if cfg.postgres != "" {
		pool, err := pgxpool.New(ctx, cfg.postgres)
		if err != nil {
			return nil, "", fmt.Errorf("postgres: %w", err)
		}
		if err := pool.Ping(ctx); err != nil {
			pool.Close()
			return nil, "", fmt.Errorf("postgres: %w", err)
		}
		return postgres.New(pool), "PostgreSQL " + redact(cfg.postgres), nil
	}
	if dir := filepath.Dir(cfg.dbPath); dir != "" {
		if err := os.MkdirAll(dir, 0o755); err != nil {
			return nil, "", err
		}
	}
	db, err := sqlite.Open(cfg.dbPath)
	if err != nil {
		return nil, "", err
	}
	return sqlite.New(db), "SQLite " + cfg.dbPath, nil
}

// redact drops a password from a database URL before it is printed.
func redact(u string) string {
	if p, err := pgxpool.ParseConfig(u); err == nil && p.ConnConfig.Password != "" {
		return fmt.Sprintf("%s@%s:%d/%s", p.ConnConfig.User, p.ConnConfig.Host, p.ConnConfig.Port, p.ConnConfig.Database)
	}
	return u
}

// newEnv wires the services over one store, on the demonstration clock:
// every command the partnership service stores is handed off to outcome
// reporting. It defines the starter indicators, which the work plans name
// (package report must know an indicator before a partnership that names one
// is reported), and the program's results framework, which places them.
func newEnv(ctx context.Context, w io.Writer, where string, store backend) (*env, error) {
	var mu sync.Mutex
	clock := demoAsOf.Time().Add(12 * time.Hour)
	now := func() time.Time {
		mu.Lock()
		defer mu.Unlock()
		clock = clock.Add(time.Millisecond)
		return clock
	}
	rep := report.New(store, &report.Options{Now: now})
	icma := citylinks.Actor{ID: "quickstart@icma", Organization: "icma", Roles: []citylinks.Role{citylinks.RoleFacilitator}}
	sync, err := handoff.NewSyncer(store, rep, &handoff.Options{Actor: icma, IATI: iatiOrgs, Amend: amender(store)})
	if err != nil {
		return nil, err
	}
	if err := rep.DefineStarterCatalogue(ctx, icma); err != nil {
		return nil, err
	}
	if err := rep.DefineFramework(ctx, icma, report.StarterFramework()); err != nil {
		return nil, err
	}
	return &env{
		w: w, where: where, core: store, parts: store, rep: rep, sync: sync, icma: icma,
		svc: partnership.NewService(store, &partnership.Options{Now: now, Results: rep, AfterAppend: sync.Appended}),
	}, nil
}

// amend is the quickstart's own part of how a partnership is reported: the
// documented partnerships report yearly, as their fact sheets did, and the
// one in basic services (Telavi–Catawba County) works on solid waste, DAC
// purpose code 14050 waste management/disposal (IATI Sector codelist).
func amend(p partnership.Partnership, a *report.Activity) {
	if !strings.HasPrefix(p.ID, roundPrefix) {
		a.Schedule = report.Annual
	}
	if p.FocusArea == citylinks.FocusBasicServices {
		a.Sectors = []report.Sector{{Code: "14050", Percentage: 100}}
	}
}

func run(ctx context.Context, w io.Writer, cfg config) error {
	if cfg.iatiOrgRef == "" {
		cfg.iatiOrgRef = demoIATIRef
	}
	if err := checkPublisher(cfg.iatiOrgRef); err != nil {
		return err
	}
	if err := os.MkdirAll(cfg.outDir, 0o755); err != nil {
		return err
	}
	store, where, err := open(ctx, cfg)
	if err != nil {
		return err
	}
	defer store.Close()
	if err := store.Migrate(ctx); err != nil {
		return err
	}
	e, err := newEnv(ctx, w, where, store)
	if err != nil {
		return err
	}
	e.bars = cfg.progress
	fmt.Fprintf(w, "citylinks quickstart — %s\n\n", where)

	// 1. Programs and cities.
	loaded, err := loadCities(ctx, e, cfg.keepCity)
	if err != nil {
		return err
	}
	fmt.Fprintf(w, "1. Loaded %d GeoNames cities in %v, and %d programs.\n", loaded.cities, loaded.took, loaded.programs)

	// 2. The documented partnerships.
	rep, err := replayDocumented(ctx, e)
	if err != nil {
		return err
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
		return err
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
		return err
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

	// 5. Outcomes, approvals and the reports.
	out, err := recordOutcomes(ctx, e)
	if err != nil {
		return err
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
	r, files, err := writeReports(ctx, e, cfg)
	if err != nil {
		return err
	}

	return summarize(ctx, e, cfg, r, files, round)
}
