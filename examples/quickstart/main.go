// Command quickstart runs a CityLinks-style program on citylinks, offline,
// on the embedded SQLite default (or PostgreSQL with -postgres), with the
// shipped real data:
//
//  1. it loads the GeoNames cities (32,847 places over 15,000 people) and
//     the built-in programs;
//  2. it replays the nine documented CityLinks 2011–2016 partnerships through
//     their lifecycle, with their real parties, focus and dates, as far as
//     the sources document them;
//
// and prints a summary. Running it again on the same database adds nothing
// twice: it says what it found and carries on.
//
// Usage:
//
//	go run ./examples/quickstart [-db out/citylinks.db] [-out out] [-postgres URL]
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

	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/citylinks/citylinks"
	"github.com/citylinks/citylinks/partnership"
	"github.com/citylinks/citylinks/store/postgres"
	"github.com/citylinks/citylinks/store/sqlite"
)

func main() {
	fs := flag.NewFlagSet("quickstart", flag.ContinueOnError)
	fs.Usage = func() {
		fmt.Fprintf(fs.Output(), "Usage: quickstart [-db FILE] [-out DIR] [-postgres URL]\n\n"+
			"Runs a CityLinks-style program on the shipped real data and prints a summary.\n\n")
		fs.PrintDefaults()
	}
	var cfg config
	fs.StringVar(&cfg.dbPath, "db", filepath.Join("out", "citylinks.db"), "SQLite database `file` to create or reuse")
	fs.StringVar(&cfg.outDir, "out", "out", "`directory` for the files the quickstart writes")
	fs.StringVar(&cfg.postgres, "postgres", "", "run on PostgreSQL at this `URL` instead of SQLite (e.g. postgres://postgres@127.0.0.1:5432/test)")
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
	if err := run(context.Background(), os.Stdout, cfg); err != nil {
		fmt.Fprintf(os.Stderr, "quickstart: %v\n", err)
		os.Exit(1)
	}
}

// config is what the flags set.
type config struct {
	dbPath, outDir, postgres string
}

// backend is one store that holds everything the quickstart keeps.
type backend interface {
	citylinks.Store
	partnership.Store
	Migrate(ctx context.Context) error
	Close() error
}

// env is what every step of the flow works with.
type env struct {
	w     io.Writer
	where string
	core  citylinks.Store
	parts partnership.Store
	svc   *partnership.Service
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

func run(ctx context.Context, w io.Writer, cfg config) error {
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
	e := &env{
		w: w, where: where, core: store, parts: store,
		svc:  partnership.NewService(store, nil),
		icma: citylinks.Actor{ID: "quickstart@icma", Organization: "icma", Roles: []citylinks.Role{citylinks.RoleFacilitator}},
	}
	fmt.Fprintf(w, "citylinks quickstart — %s\n\n", where)

	// 1. Programs and cities.
	loaded, err := loadCities(ctx, e)
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

	return summarize(ctx, e, cfg)
}
