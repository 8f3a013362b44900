package main

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/citylinks/citylinks/partnership"
	"github.com/citylinks/citylinks/store/sqlite"
)

func TestRun(t *testing.T) {
	var out bytes.Buffer
	require.NoError(t, run(t.Context(), &out, "", d(2015, 5, 1)))
	s := out.String()
	for _, want := range []string{
		"Partnership CL11-SHI-BOU — Shimla (IN) and Boulder, CO (US)",
		"1  2015-03-23  proposed",
		"agreement-signed",
		"exchange-recorded  coordinator@boulder  active",
		"8  2016-12-31  completed",
		"2015-03-22  not yet proposed",
		"2016-06-30  closing",
		"not documented by any source",
		"cannot extend: the partnership is completed",
	} {
		assert.Contains(t, s, want)
	}
}

var zeroDate = d(0, 0, 0)

func TestRunOnSQLite(t *testing.T) {
	db := filepath.Join(t.TempDir(), "walk.db")
	var out bytes.Buffer
	require.NoError(t, run(t.Context(), &out, db, zeroDate))
	assert.Contains(t, out.String(), "stored "+db)
	err := run(t.Context(), &out, db, zeroDate)
	assert.ErrorContains(t, err, "already holds partnership CL11-SHI-BOU", "a second run refuses to write over the first")
	conn, err := sqlite.Open(db)
	require.NoError(t, err)
	s := sqlite.New(conn)
	defer s.Close()
	events, err := s.LoadPartnership(t.Context(), "CL11-SHI-BOU")
	require.NoError(t, err)
	p, err := partnership.Fold(events)
	require.NoError(t, err)
	assert.Equal(t, partnership.StateCompleted, p.State)
}

// TestCommandLine runs the built program: -h prints usage and exits 0, bad
// input exits non-zero with a one-line reason.
func TestCommandLine(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the program")
	}
	bin := filepath.Join(t.TempDir(), "lifecycle")
	build := exec.Command("go", "build", "-o", bin, ".")
	build.Stderr = os.Stderr
	require.NoError(t, build.Run())

	out, err := exec.Command(bin, "-h").CombinedOutput()
	require.NoError(t, err)
	assert.Contains(t, string(out), "Usage: lifecycle [-db FILE] [-as-of YYYY-MM-DD]")
	assert.Contains(t, string(out), "-as-of date")
	assert.NotContains(t, string(out), "-asof", "the old spelling still parses (below) but is not advertised")

	for _, args := range [][]string{{"-as-of", "2016-02-30"}, {"-asof", "2016-02-30"}, {"extra"}, {"-nosuchflag"}} {
		cmd := exec.Command(bin, args...)
		var stderr bytes.Buffer
		cmd.Stderr = &stderr
		err := cmd.Run()
		var ee *exec.ExitError
		require.ErrorAs(t, err, &ee, "%v", args)
		assert.NotZero(t, ee.ExitCode())
		lines := strings.Split(strings.TrimSpace(stderr.String()), "\n")
		assert.NotEmpty(t, lines[0], "%v", args)
		if args[0] != "-nosuchflag" {
			assert.Len(t, lines, 1, "one-line reason for %v: %q", args, stderr.String())
		}
	}
}
