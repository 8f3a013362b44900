package storetest

import (
	"bufio"
	"bytes"
	"context"
	"fmt"
	"math/rand/v2"
	"os"
	"os/exec"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

// The environment through which Crash and Load tell a child process what
// to do.
const (
	envChild   = "CITYLINKS_DURABILITY_CHILD" // "crash" or "load"
	envWriter  = "CITYLINKS_DURABILITY_WRITER"
	envShared  = "CITYLINKS_DURABILITY_SHARED"
	envWorkers = "CITYLINKS_DURABILITY_WORKERS"
	envSeconds = "CITYLINKS_DURABILITY_SECONDS"
	envBulk    = "CITYLINKS_DURABILITY_BULK"
)

// long reports whether CITYLINKS_LONG asks for the long runs.
func long() bool { return os.Getenv("CITYLINKS_LONG") != "" }

// Child is the body of the test that Crash and Load start in child
// processes of the test binary; in a normal run (no child environment) it
// skips t. open opens the store the parent named in the environment it
// gave (Env of CrashOptions or LoadOptions); the store must be migrated.
//
// As a crash writer, the child runs partnership commands, observation
// batches and city batches one after the other until it is killed, and
// reports each on stdout after it committed. As a load worker, it runs
// several workers of mixed reads and writes for a set time, then prints
// its totals.
func Child(t *testing.T, open func(ctx context.Context) (Store, error)) {
	mode := os.Getenv(envChild)
	if mode == "" {
		t.Skip("runs only as a child process of storetest.Crash or storetest.Load")
	}
	ctx := context.Background()
	s, err := open(ctx)
	if err != nil {
		fmt.Printf("error open %s\n", err)
		os.Exit(3)
	}
	shared, _ := strconv.Atoi(os.Getenv(envShared))
	w := newWorkload(s, os.Getenv(envWriter), durShared(max(shared, 1)), os.Stdout)
	workers, _ := strconv.Atoi(os.Getenv(envWorkers))
	switch mode {
	case "crash":
		w.bulk, _ = strconv.Atoi(os.Getenv(envBulk))
		w.out.printf("ready")
		w.run(ctx, max(workers, 1), time.Time{}, true) // returns only after an error
		os.Exit(3)
	case "load":
		secs, _ := strconv.ParseFloat(os.Getenv(envSeconds), 64)
		w.reads = true
		w.out.printf("ready")
		start := time.Now()
		w.run(ctx, max(workers, 1), start.Add(time.Duration(secs*float64(time.Second))), false)
		w.out.printf("stats writes=%d reads=%d conflicts=%d errors=%d seconds=%.3f",
			w.writes.Load(), w.nreads.Load(), w.conflicts.Load(), w.nerrors.Load(), time.Since(start).Seconds())
		if err := s.Close(); err != nil {
			fmt.Printf("error close %s\n", err)
		}
	default:
		t.Fatalf("%s=%q: want crash or load", envChild, mode)
	}
}

// child is a running child process of the test binary, whose lines go to
// a ledger.
type child struct {
	cmd    *exec.Cmd
	stderr bytes.Buffer
	ready  chan struct{} // closed at its ready line
	done   chan struct{} // closed when its stdout ends
}

// startChild runs test in a child process of this test binary, with env
// added to the environment, and feeds its lines to l.
func startChild(t *testing.T, test string, env []string, l *ledger) *child {
	t.Helper()
	c := &child{ready: make(chan struct{}), done: make(chan struct{})}
	// The timeout is a backstop: a crash writer that lost its parent must
	// not run on.
	c.cmd = exec.Command(os.Args[0], "-test.run=^"+test+"$", "-test.count=1", "-test.timeout=10m")
	c.cmd.Env = append(os.Environ(), env...)
	c.cmd.Stderr = &c.stderr
	out, err := c.cmd.StdoutPipe()
	require.NoError(t, err)
	require.NoError(t, c.cmd.Start())
	t.Cleanup(func() { c.cmd.Process.Kill() })
	go func() {
		defer close(c.done)
		sc := bufio.NewScanner(out)
		sc.Buffer(nil, 1<<20)
		isReady := false
		for sc.Scan() {
			line := sc.Text()
			l.add(line)
			if line == "ready" && !isReady {
				isReady = true
				close(c.ready)
			}
		}
	}()
	return c
}

// waitReady waits for the child's ready line.
func (c *child) waitReady(t *testing.T) {
	t.Helper()
	select {
	case <-c.ready:
	case <-c.done:
		c.cmd.Wait()
		t.Fatalf("child %s ended before it was ready: %v\n%s", c.cmd.Args, c.cmd.ProcessState, c.stderr.String())
	case <-time.After(2 * time.Minute):
		t.Fatalf("child %s not ready after 2 minutes\n%s", c.cmd.Args, c.stderr.String())
	}
}

// kill kills the child with SIGKILL and waits for it; it reports whether
// the child was still running.
func (c *child) kill() bool {
	err := c.cmd.Process.Kill()
	<-c.done
	c.cmd.Wait()
	return err == nil
}

// CrashOptions configure Crash. Open and Child are required.
type CrashOptions struct {
	// Child is the name of the test that calls Child in this test binary.
	Child string
	// Trials is how many times a writer is started and killed. Defaults
	// to 10, or 50 when CITYLINKS_LONG is set.
	Trials int
	// Env returns what the child of trial needs in its environment to
	// open the store, as "KEY=value" strings.
	Env func(trial int) []string
	// Open opens the store in the parent, migrated: once to set it up
	// and after each kill to check it. Crash closes it.
	Open func(t *testing.T) Store
	// AfterKill, when set, checks the backend after each kill, before the
	// store is opened: the SQLite integrity check, or that the server
	// dropped the dead client's session and locks.
	AfterKill func(t *testing.T, trial int)
	// InWriteTx, when set, reports whether the child of trial is inside
	// a write transaction. Every other trial then waits until it is, and
	// kills it there; the other trials kill at a random moment.
	InWriteTx func(ctx context.Context, trial int) (bool, error)
	// MaxDelay is the longest a writer runs before it is killed. Defaults
	// to 400 ms, or a second when CITYLINKS_LONG is set.
	MaxDelay time.Duration
	// Workers is how many goroutines the writer runs, each with its own
	// operation in flight. Defaults to 2.
	Workers int
}

// CrashResult is what Crash ran and found.
type CrashResult struct {
	Trials, Survived int
	// AimedInTx counts the kills aimed at an open write transaction;
	// InFlight the kills that found an operation started and not yet
	// reported.
	AimedInTx, InFlight int
	// Commands, ObservationBatches, CityBatches and Approvals are the
	// operations the writers reported as committed; Unreported the ones
	// found committed that the writer died before reporting.
	Commands, ObservationBatches, CityBatches, Approvals, Unreported int
}

// Crash runs the crash trials: it sets up the store (indicators, and four
// active shared partnerships registered for reporting), then, trial after
// trial, starts a writer in a child process (see Child), kills it with
// SIGKILL at a random moment, and checks the store. After each kill every
// command, observation batch and city batch the writer reported as
// committed must be there, whole; nothing may be partly stored (an event
// without its projection, a version gap, a part of a batch); every
// partnership's events must fold to its listed summary; and at most the
// operations in flight may be stored unreported.
func Crash(t *testing.T, o CrashOptions) CrashResult {
	t.Helper()
	if o.Trials == 0 {
		o.Trials = 10
		if long() {
			o.Trials = 50
		}
	}
	if o.MaxDelay == 0 {
		o.MaxDelay = 400 * time.Millisecond
		if long() {
			o.MaxDelay = time.Second
		}
	}
	if o.Workers == 0 {
		o.Workers = 2
	}
	const shared = 4
	bulk := 500
	if long() {
		bulk = 2000
	}
	ctx := context.Background()
	l := newLedger()
	s := o.Open(t)
	require.NoError(t, newWorkload(s, "setup", durShared(shared), l).setup(ctx), "set up")
	require.NoError(t, s.Close())

	res := CrashResult{Trials: o.Trials}
	for trial := range o.Trials {
		env := append([]string{envChild + "=crash", envWriter + "=" + fmt.Sprintf("t%03d", trial),
			envShared + "=" + strconv.Itoa(shared), envBulk + "=" + strconv.Itoa(bulk), envWorkers + "=" + strconv.Itoa(o.Workers)}, o.Env(trial)...)
		c := startChild(t, o.Child, env, l)
		c.waitReady(t)
		aimed := o.InWriteTx != nil && trial%2 == 1
		if aimed {
			time.Sleep(time.Duration(rand.Int64N(int64(o.MaxDelay / 2))))
			deadline := time.Now().Add(10 * time.Second)
			for {
				in, err := o.InWriteTx(ctx, trial)
				require.NoError(t, err, "trial %d: is the writer in a transaction?", trial)
				if in {
					res.AimedInTx++
					break
				}
				require.True(t, time.Now().Before(deadline), "trial %d: the writer never opened a write transaction", trial)
			}
		} else {
			time.Sleep(o.MaxDelay/20 + time.Duration(rand.Int64N(int64(o.MaxDelay))))
		}
		if !c.kill() {
			t.Fatalf("trial %d: the writer ended before it was killed: %v\n%s", trial, c.cmd.ProcessState, c.stderr.String())
		}
		require.Empty(t, l.errs, "trial %d: the writer failed\n%s", trial, c.stderr.String())
		inFlight := l.inFlight()
		if len(inFlight) > 0 {
			res.InFlight++
		}
		if o.AfterKill != nil {
			o.AfterKill(t, trial)
		}
		s := o.Open(t)
		f, errs := l.check(ctx, s, len(inFlight))
		require.NoError(t, s.Close())
		for _, err := range errs {
			t.Errorf("trial %d: %v", trial, err)
		}
		if len(errs) > 0 {
			t.Fatalf("trial %d: the store is not as the writer left it (ops in flight: %v)", trial, inFlight)
		}
		res.Unreported += len(f.unreported)
		res.Survived++
	}
	res.Commands, res.ObservationBatches, res.CityBatches, res.Approvals = len(l.cmds), len(l.obs), len(l.cities), len(l.approvals)
	t.Logf("crash: %d trials run, %d survived; %d kills aimed at an open write transaction, %d found an operation in flight; "+
		"reported as committed: %d commands, %d observation batches, %d city batches, %d approval transitions; "+
		"%d committed operations were killed before they were reported",
		res.Trials, res.Survived, res.AimedInTx, res.InFlight, res.Commands, res.ObservationBatches, res.CityBatches, res.Approvals, res.Unreported)
	return res
}

// LoadOptions configure Load. Open is required, and Child unless
// InProcess is set.
type LoadOptions struct {
	// Child is the name of the test that calls Child in this test binary.
	Child string
	// InProcess runs the workers as goroutines of the test over the
	// store Open returns, instead of in child processes.
	InProcess bool
	// Processes is how many child processes share the store. Defaults
	// to 4.
	Processes int
	// Workers is how many goroutines each process runs. Defaults to 2.
	Workers int
	// Duration is how long the workers run. Defaults to 3 s, or 30 s when
	// CITYLINKS_LONG is set.
	Duration time.Duration
	// Shared is how many partnerships every worker writes to, beside its
	// own. Defaults to 16.
	Shared int
	// Env returns what child process i needs in its environment to open
	// the store, as "KEY=value" strings.
	Env func(process int) []string
	// Open opens the store in the parent, migrated, to set it up and
	// check it. Load closes it.
	Open func(t *testing.T) Store
}

// LoadResult is what a Load run held.
type LoadResult struct {
	Processes, Workers int
	// Writes and Reads count the operations that succeeded; Conflicts
	// the appends that lost a race and were retried; Errors the
	// operations that failed (0 in a passing run).
	Writes, Reads, Conflicts, Errors int64
	// Seconds is how long the processes ran (the longest of them).
	Seconds float64
}

// OpsPerSecond is the throughput held: reads and writes per second.
func (r LoadResult) OpsPerSecond() float64 {
	if r.Seconds == 0 {
		return 0
	}
	return float64(r.Writes+r.Reads) / r.Seconds
}

// Load runs mixed reads and writes from several processes (or goroutines)
// over one store for a bounded time: partnership commands on the shared
// partnerships and on partnerships of each worker's own, observation
// batches, city batches, and reads that check their versions never go
// back. Afterwards every command each process reported as accepted must be
// stored at the version reported, none twice, none unreported; versions
// run without gaps; every projection equals its fold; every batch is
// whole. Any failed operation fails the test; appends that lost a race and
// were retried are counted apart.
func Load(t *testing.T, o LoadOptions) LoadResult {
	t.Helper()
	if o.Processes == 0 {
		o.Processes = 4
	}
	if o.Workers == 0 {
		o.Workers = 2
	}
	if o.Duration == 0 {
		o.Duration = 3 * time.Second
		if long() {
			o.Duration = 30 * time.Second
		}
	}
	if o.Shared == 0 {
		o.Shared = 16
	}
	ctx := context.Background()
	l := newLedger()
	s := o.Open(t)
	defer s.Close()
	require.NoError(t, newWorkload(s, "setup", durShared(o.Shared), l).setup(ctx), "set up")

	if o.InProcess {
		var wg sync.WaitGroup
		for i := range o.Processes {
			wg.Go(func() {
				w := newWorkload(s, fmt.Sprintf("l%d", i), durShared(o.Shared), l)
				w.reads = true
				fmt.Fprintln(l, "ready")
				start := time.Now()
				w.run(ctx, o.Workers, start.Add(o.Duration), false)
				fmt.Fprintf(l, "stats writes=%d reads=%d conflicts=%d errors=%d seconds=%.3f\n",
					w.writes.Load(), w.nreads.Load(), w.conflicts.Load(), w.nerrors.Load(), time.Since(start).Seconds())
			})
		}
		wg.Wait()
	} else {
		children := make([]*child, o.Processes)
		for i := range children {
			env := []string{envChild + "=load", envWriter + "=" + fmt.Sprintf("l%d", i), envShared + "=" + strconv.Itoa(o.Shared),
				envWorkers + "=" + strconv.Itoa(o.Workers), envSeconds + "=" + strconv.FormatFloat(o.Duration.Seconds(), 'f', -1, 64)}
			if o.Env != nil {
				env = append(env, o.Env(i)...)
			}
			children[i] = startChild(t, o.Child, env, l)
		}
		for _, c := range children {
			select {
			case <-c.done:
			case <-time.After(o.Duration + 5*time.Minute):
				t.Fatalf("child %s still running long after its time", c.cmd.Args)
			}
			if err := c.cmd.Wait(); err != nil {
				t.Errorf("child %s: %v\n%s", c.cmd.Args, err, c.stderr.String())
			}
		}
	}

	res := LoadResult{Processes: o.Processes, Workers: o.Workers,
		Writes: int64(l.stats["writes"]), Reads: int64(l.stats["reads"]), Conflicts: int64(l.stats["conflicts"]),
		Errors: int64(l.stats["errors"]), Seconds: o.Duration.Seconds()}
	for _, e := range l.errs {
		t.Errorf("load: %s", e)
	}
	require.Equal(t, o.Processes, l.ready, "processes that ran")
	f, errs := l.check(ctx, s, 0)
	for _, err := range errs {
		t.Errorf("load: %v", err)
	}
	t.Logf("load: %d processes × %d workers for %v: %d writes + %d reads = %.0f ops/s; %d conflicts retried, %d errors; "+
		"the store holds %d partnerships, %d events, %d observations, %d cities, %d period approvals",
		res.Processes, res.Workers, o.Duration, res.Writes, res.Reads, res.OpsPerSecond(), res.Conflicts, res.Errors,
		f.partnerships, f.events, f.observations, f.cities, f.approvals)
	return res
}
