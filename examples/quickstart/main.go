package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"

	"github.com/jackc/pgx/v5/pgxpool"
	"golang.org/x/term"

	"github.com/citylinks/citylinks/internal/demo"
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

// demoAsOf is the day the quickstart's program stands on (demo.Today):
// after the demonstration round's last trips. Both services run on a clock
// that starts then, so that the files it writes are the same on every
// backend and every run, but for the order of ties.
var demoAsOf = demo.Today()

// backend is one store that holds everything the quickstart keeps.
type backend interface {
	demo.Store
	Migrate(ctx context.Context) error
	Close() error
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
	e, err := demo.New(ctx, store, &demo.Options{Progress: cfg.progress, KeepCity: cfg.keepCity})
	if err != nil {
		return err
	}
	fmt.Fprintf(w, "citylinks quickstart — %s\n\n", where)
	seeded, err := e.Seed(ctx, w)
	if err != nil {
		return err
	}
	r, files, err := writeReports(ctx, e, cfg)
	if err != nil {
		return err
	}

	return summarize(ctx, w, e, cfg, r, files, seeded)
}
