package sqlite_test

import (
	"bufio"
	"context"
	"fmt"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/citylinks/citylinks"
	"github.com/citylinks/citylinks/store/sqlite"
)

// The crash test runs a writer in a child process (this test binary, in
// TestCrashWriter) and kills it with SIGKILL at a random moment. The writer
// reports each write on stdout only after it has committed, so every
// reported write must survive, and no write may be half there.

const (
	crashEnvDB      = "CITYLINKS_CRASH_DB"
	crashBatch      = 40
	crashTrialsCI   = 10
	crashTrialsLong = 50
)

// TestCrashWriter is the child process; it does nothing in a normal run.
func TestCrashWriter(t *testing.T) {
	path := os.Getenv(crashEnvDB)
	if path == "" {
		t.Skip("runs only as the child of TestCrashSafety")
	}
	db, err := sqlite.Open(path)
	if err != nil {
		fmt.Println("error:", err)
		os.Exit(3)
	}
	s := sqlite.New(db)
	ctx := context.Background()
	if err := s.Migrate(ctx); err != nil {
		fmt.Println("error:", err)
		os.Exit(3)
	}
	start, _ := strconv.Atoi(os.Getenv("CITYLINKS_CRASH_START"))
	for i := start; ; i++ {
		// A batch of cities in one transaction, then one update in place.
		batch := make([]citylinks.City, crashBatch)
		for j := range batch {
			batch[j] = citylinks.City{ID: fmt.Sprintf("b%06d-%02d", i, j), Name: fmt.Sprintf("batch %d", i), Country: "KE", Population: int64(i)}
		}
		if _, err := s.ImportCities(ctx, seq(batch), nil); err != nil {
			fmt.Println("error:", err)
			os.Exit(3)
		}
		fmt.Printf("batch %d\n", i)
		if err := s.PutCity(ctx, citylinks.City{ID: "counter", Name: "counter", Country: "KE", Population: int64(i)}); err != nil {
			fmt.Println("error:", err)
			os.Exit(3)
		}
		fmt.Printf("counter %d\n", i)
	}
}

func seq(cs []citylinks.City) func(func(citylinks.City, error) bool) {
	return func(yield func(citylinks.City, error) bool) {
		for _, c := range cs {
			if !yield(c, nil) {
				return
			}
		}
	}
}

func TestCrashSafety(t *testing.T) {
	if testing.Short() {
		t.Skip("crash trials are not short")
	}
	trials := crashTrialsCI
	if os.Getenv("CITYLINKS_LONG") != "" {
		trials = crashTrialsLong
	}
	path := filepath.Join(t.TempDir(), "crash.db")
	next := 0
	survived := 0
	for trial := range trials {
		reported := runAndKill(t, path, next, time.Duration(20+rand.IntN(300))*time.Millisecond)
		lastBatch, lastCounter := -1, -1
		for _, line := range reported {
			var n int
			switch {
			case strings.HasPrefix(line, "batch "):
				n, _ = strconv.Atoi(strings.TrimPrefix(line, "batch "))
				lastBatch = max(lastBatch, n)
			case strings.HasPrefix(line, "counter "):
				n, _ = strconv.Atoi(strings.TrimPrefix(line, "counter "))
				lastCounter = max(lastCounter, n)
			case strings.HasPrefix(line, "error:"):
				t.Fatalf("trial %d: writer failed: %s", trial, line)
			}
		}
		next = checkCrashDB(t, path, trial, lastBatch, lastCounter)
		survived++
	}
	t.Logf("%d crash trials run, %d survived; %d batches committed in all", trials, survived, next)
}

// runAndKill starts the writer, kills it after d, and returns what it
// reported before it died.
func runAndKill(t *testing.T, path string, start int, d time.Duration) []string {
	t.Helper()
	cmd := exec.Command(os.Args[0], "-test.run=^TestCrashWriter$", "-test.count=1")
	cmd.Env = append(os.Environ(), crashEnvDB+"="+path, "CITYLINKS_CRASH_START="+strconv.Itoa(start))
	out, err := cmd.StdoutPipe()
	require.NoError(t, err)
	require.NoError(t, cmd.Start())
	lines := make(chan []string)
	go func() {
		var ls []string
		sc := bufio.NewScanner(out)
		for sc.Scan() {
			ls = append(ls, sc.Text())
		}
		lines <- ls
	}()
	time.Sleep(d)
	require.NoError(t, cmd.Process.Signal(syscall.SIGKILL))
	ls := <-lines
	cmd.Wait()
	return ls
}

// checkCrashDB reopens the file after a kill and checks it; it returns the
// number to start the next writer from.
func checkCrashDB(t *testing.T, path string, trial, lastBatch, lastCounter int) int {
	t.Helper()
	db, err := sqlite.Open(path)
	require.NoError(t, err, "trial %d: reopen", trial)
	defer db.Close()
	var integrity string
	require.NoError(t, db.QueryRow("PRAGMA integrity_check").Scan(&integrity))
	require.Equal(t, "ok", integrity, "trial %d: integrity_check", trial)

	s := sqlite.New(db)
	ctx := context.Background()
	require.NoError(t, s.Migrate(ctx), "trial %d: migrate after crash", trial)
	// Count the cities of each batch: a batch is all there or not at all.
	rows, err := db.Query(`SELECT substr(id, 1, 7) AS batch, count(*) FROM cities WHERE id LIKE 'b%' GROUP BY batch`)
	require.NoError(t, err)
	defer rows.Close()
	maxBatch := -1
	for rows.Next() {
		var b string
		var n int
		require.NoError(t, rows.Scan(&b, &n))
		assert.Equal(t, crashBatch, n, "trial %d: batch %s is partly written", trial, b)
		i, _ := strconv.Atoi(strings.TrimPrefix(b, "b"))
		maxBatch = max(maxBatch, i)
	}
	require.NoError(t, rows.Err())
	assert.GreaterOrEqual(t, maxBatch, lastBatch, "trial %d: a reported batch is missing", trial)
	if lastCounter >= 0 {
		c, err := s.GetCity(ctx, "counter")
		require.NoError(t, err, "trial %d: reported counter missing", trial)
		assert.GreaterOrEqual(t, c.Population, int64(lastCounter), "trial %d: counter went back", trial)
	}
	return maxBatch + 1
}
