package main

import (
	"bufio"
	"bytes"
	"cmp"
	"context"
	_ "embed"
	"errors"
	"flag"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/signal"
	"path/filepath"
	"strings"
	"syscall"
	"time"

	"github.com/citylinks/citylinks"
	"github.com/citylinks/citylinks/api"
	"github.com/citylinks/citylinks/internal/cliflag"
	"github.com/citylinks/citylinks/internal/demo"
	"github.com/citylinks/citylinks/store/sqlite"
)

// sampleUsers is the users file for the seeded data, used when -users is
// not given. Its passwords are in the README (demonstration only).
//
//go:embed users.txt
var sampleUsers []byte

func main() {
	cfg, usersFile, hash, err := parseFlags(os.Args[1:], os.Stderr)
	if err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return
		}
		if !errors.Is(err, errUsage) {
			fmt.Fprintf(os.Stderr, "office: %v\n", err)
		}
		os.Exit(2)
	}
	if hash {
		if err := printHash(os.Stdin, os.Stdout); err != nil {
			fmt.Fprintf(os.Stderr, "office: %v\n", err)
			os.Exit(1)
		}
		return
	}
	cfg.users = sampleUsers
	if usersFile != "" {
		if cfg.users, err = os.ReadFile(usersFile); err != nil {
			fmt.Fprintf(os.Stderr, "office: %v\n", err)
			os.Exit(1)
		}
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := run(ctx, os.Stdout, cfg, nil); err != nil {
		fmt.Fprintf(os.Stderr, "office: %v\n", err)
		os.Exit(1)
	}
}

// errUsage is a flag error the flag package has already reported.
var errUsage = errors.New("usage")

// parseFlags reads the command line: the config, the users file to read
// (if any) and whether to hash a password instead of serving. Usage and
// flag errors go to out.
func parseFlags(args []string, out io.Writer) (cfg config, usersFile string, hash bool, err error) {
	fs := flag.NewFlagSet("office", flag.ContinueOnError)
	fs.SetOutput(out)
	fs.Usage = func() {
		fmt.Fprintf(fs.Output(), "Usage: office [-db FILE] [-addr HOST:PORT] [-users FILE] [-as-of YYYY-MM-DD]\n"+
			"       office -hash-password < password.txt\n\n"+
			"Serves the staff web app over a citylinks SQLite database, seeded from the quickstart's data when empty.\n\n")
		cliflag.PrintDefaults(fs)
	}
	var asOf string
	fs.StringVar(&cfg.dbPath, "db", filepath.Join("out", "office.db"), "SQLite database `file` to create or reuse")
	fs.StringVar(&cfg.addr, "addr", "127.0.0.1:8080", "`address` to listen on")
	fs.StringVar(&usersFile, "users", "", "users `file` (id:organization:roles:bcrypt-hash:name a line); default: the demonstration users shipped with the app")
	cliflag.AsOf(fs, &asOf, "the app's calendar `date`, YYYY-MM-DD: due reports and the forms' dates are as of it (default: the demonstration's, "+demo.Today().String()+")")
	cliflag.Alias(fs, "today", cliflag.AsOfName) // its name before the programs agreed on -as-of
	fs.BoolVar(&hash, "hash-password", false, "read a password from standard input, print its bcrypt hash for a users file, and exit")
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return cfg, "", false, err
		}
		return cfg, "", false, errUsage
	}
	if fs.NArg() > 0 {
		return cfg, "", false, fmt.Errorf("unexpected argument %q", fs.Arg(0))
	}
	if cfg.today, err = citylinks.ParseDate(cmp.Or(asOf, demo.Today().String())); err != nil {
		return cfg, "", false, fmt.Errorf("-as-of: %w", err)
	}
	return cfg, usersFile, hash, nil
}

// config is what the flags set.
type config struct {
	dbPath, addr string
	users        []byte
	today        citylinks.Date
	// keepCity, if set, limits the cities seeded (tests keep the few the
	// demonstration uses); nil seeds them all.
	keepCity func(id string) bool
}

// printHash reads one line and prints its bcrypt hash.
func printHash(r io.Reader, w io.Writer) error {
	line, err := bufio.NewReader(r).ReadString('\n')
	if err != nil && !errors.Is(err, io.EOF) {
		return err
	}
	h, err := hashPassword(strings.TrimRight(line, "\r\n"))
	if err != nil {
		return err
	}
	_, err = fmt.Fprintln(w, h)
	return err
}

// clock returns a clock on the app's day: the wall clock's time of day,
// moving on from there.
func clock(today citylinks.Date) func() time.Time {
	start := time.Now().UTC()
	midnight := time.Date(start.Year(), start.Month(), start.Day(), 0, 0, 0, 0, time.UTC)
	base := today.Time().Add(start.Sub(midnight))
	return func() time.Time { return base.Add(time.Since(start)) }
}

// app is the opened database, its services and the handler.
type app struct {
	store   *sqlite.Store
	env     *demo.Env
	handler http.Handler
}

// open opens and migrates the database, seeds it when it holds no
// partnership, and builds the handler. It says what it did on w.
func open(ctx context.Context, w io.Writer, cfg config) (*app, error) {
	us, err := readUsers(bytes.NewReader(cfg.users))
	if err != nil {
		return nil, err
	}
	if dir := filepath.Dir(cfg.dbPath); dir != "" {
		if err := os.MkdirAll(dir, 0o755); err != nil {
			return nil, err
		}
	}
	db, err := sqlite.Open(cfg.dbPath)
	if err != nil {
		return nil, err
	}
	store := sqlite.New(db)
	ok := false
	defer func() {
		if !ok {
			store.Close()
		}
	}()
	if err := store.Migrate(ctx); err != nil {
		return nil, err
	}
	today := cfg.today
	if today.IsZero() {
		today = demo.Today()
	}
	env, err := demo.New(ctx, store, &demo.Options{Now: clock(today), KeepCity: cfg.keepCity})
	if err != nil {
		return nil, err
	}
	all, err := env.ListAll(ctx)
	if err != nil {
		return nil, err
	}
	if len(all) == 0 {
		fmt.Fprintf(w, "Seeding %s from the quickstart's data (the demonstration program):\n", cfg.dbPath)
		if _, err := env.Seed(ctx, w); err != nil {
			return nil, fmt.Errorf("seed: %w", err)
		}
	} else {
		fmt.Fprintf(w, "Using %s: %d partnerships.\n", cfg.dbPath, len(all))
	}
	// The library's JSON API over the same services, under /api/, for
	// programs: the same users sign in with HTTP Basic authentication.
	jsonAPI, err := api.New(api.Services{Partnerships: env.Partnerships, Reports: env.Reports, Directory: env.Core},
		&api.Options{Authenticate: us.basic, Challenge: `Basic realm="citylinks office", charset="UTF-8"`})
	if err != nil {
		return nil, err
	}
	h, err := newServer(options{env: env, users: us, today: func() citylinks.Date { return today },
		api: http.StripPrefix("/api", jsonAPI)})
	if err != nil {
		return nil, err
	}
	ok = true
	return &app{store: store, env: env, handler: h}, nil
}

// run serves the app until ctx ends. ready, if set, gets the URL once the
// server listens.
func run(ctx context.Context, w io.Writer, cfg config, ready func(url string)) error {
	a, err := open(ctx, w, cfg)
	if err != nil {
		return err
	}
	defer a.store.Close()
	ln, err := net.Listen("tcp", cfg.addr)
	if err != nil {
		return err
	}
	srv := &http.Server{Handler: a.handler, ReadHeaderTimeout: 10 * time.Second, ReadTimeout: time.Minute,
		WriteTimeout: time.Minute, IdleTimeout: 2 * time.Minute}
	url := "http://" + ln.Addr().String() + "/"
	fmt.Fprintf(w, "citylinks office: %s (sign in as one of the demonstration users; Ctrl-C stops)\n", url)
	if ready != nil {
		ready(url)
	}
	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
	}
	shut, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	return srv.Shutdown(shut)
}
