package readmetest

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// Block is one ```go block of a README.
type Block struct {
	Line    int    // line of the opening ```go, 1-based
	Program string // NAME from the <!-- go run ./internal/readme/NAME --> line before it
	Code    string // the lines between the fences, each ending in "\n"
}

// The markers.
const (
	marker      = "<!-- go run ./internal/readme/"
	markerEnd   = " -->"
	regionBegin = "// README begin"
	regionEnd   = "// README end"
)

// Blocks returns the ```go blocks of a README. A block whose previous line
// does not name a program, or that is not closed, is an error naming its
// line.
func Blocks(readme io.Reader) ([]Block, error) {
	var (
		blocks []Block
		prev   string
		cur    *Block
		other  bool // inside a block of another language
		n      int
	)
	sc := bufio.NewScanner(readme)
	sc.Buffer(nil, 1<<20)
	for sc.Scan() {
		n++
		line := sc.Text()
		fence := strings.TrimSpace(line)
		switch {
		case other:
			other = fence != "```" // the block of another language goes on
		case cur != nil && fence == "```":
			blocks = append(blocks, *cur)
			cur = nil
		case cur != nil:
			cur.Code += line + "\n"
		case fence == "```go":
			name, ok := strings.CutPrefix(strings.TrimSpace(prev), marker)
			name, ok2 := strings.CutSuffix(name, markerEnd)
			if !ok || !ok2 || name == "" || strings.ContainsAny(name, "/ \t") {
				return nil, fmt.Errorf("line %d: a go block without the line %sNAME%s before it, naming the program under internal/readme that it is the code of", n, marker, markerEnd)
			}
			cur = &Block{Line: n, Program: name}
		case strings.HasPrefix(fence, "```"):
			other = true
		}
		prev = line
	}
	if err := sc.Err(); err != nil {
		return nil, err
	}
	if cur != nil {
		return nil, fmt.Errorf("line %d: the go block is not closed with ```", cur.Line)
	}
	return blocks, nil
}

// Region returns the code of a program's source between the lines
// "// README begin" and "// README end", each line less one leading tab.
func Region(src io.Reader) (string, error) {
	var (
		b      strings.Builder
		in     bool
		done   bool
		n      int
		starts int
	)
	sc := bufio.NewScanner(src)
	sc.Buffer(nil, 1<<20)
	for sc.Scan() {
		n++
		line := sc.Text()
		switch strings.TrimSpace(line) {
		case regionBegin:
			if in || done {
				return "", fmt.Errorf("line %d: a second %q", n, regionBegin)
			}
			in, starts = true, n
			continue
		case regionEnd:
			if !in {
				return "", fmt.Errorf("line %d: %q before %q", n, regionEnd, regionBegin)
			}
			in, done = false, true
			continue
		}
		if !in {
			continue
		}
		if line != "" && !strings.HasPrefix(line, "\t") {
			return "", fmt.Errorf("line %d: a line of the region is not indented by a tab", n)
		}
		b.WriteString(strings.TrimPrefix(line, "\t") + "\n")
	}
	if err := sc.Err(); err != nil {
		return "", err
	}
	switch {
	case in:
		return "", fmt.Errorf("line %d: %q with no %q", starts, regionBegin, regionEnd)
	case !done:
		return "", fmt.Errorf("no line %q", regionBegin)
	}
	return b.String(), nil
}

// ModuleRoot returns the directory of go.mod above the working directory.
func ModuleRoot() (string, error) {
	dir, err := os.Getwd()
	if err != nil {
		return "", err
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			return dir, nil
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return "", errors.New("no go.mod above the working directory")
		}
		dir = parent
	}
}

// readmeBlocks reads the blocks of the module's README.md.
func readmeBlocks(t testing.TB) ([]Block, string) {
	t.Helper()
	root, err := ModuleRoot()
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(root, "README.md")
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	blocks, err := Blocks(f)
	if err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	return blocks, root
}

// runEnv is the environment variable that makes a test binary run the
// program instead of its tests.
const runEnv = "CITYLINKS_README_RUN"

// Main is the TestMain of a program's test: it runs the program (calling
// run) when Check executes the test binary for that, and the tests
// otherwise.
func Main(m *testing.M, run func()) {
	if os.Getenv(runEnv) == "1" {
		run()
		os.Exit(0)
	}
	os.Exit(m.Run())
}

// Check, called from the test of the program in the working directory
// (internal/readme/NAME), fails the test unless README.md has exactly one go
// block for the program, equal to the region of its main.go. It then runs
// the program in its own process and returns its standard output, failing
// the test if it exits with an error.
func Check(t *testing.T) string {
	t.Helper()
	blocks, _ := readmeBlocks(t)
	wd, err := os.Getwd()
	if err != nil {
		t.Fatal(err)
	}
	name := filepath.Base(wd)
	var mine []Block
	for _, b := range blocks {
		if b.Program == name {
			mine = append(mine, b)
		}
	}
	if len(mine) != 1 {
		t.Fatalf("README.md has %d go blocks for ./internal/readme/%s; want 1", len(mine), name)
	}
	src, err := os.Open("main.go")
	if err != nil {
		t.Fatal(err)
	}
	defer src.Close()
	region, err := Region(src)
	if err != nil {
		t.Fatalf("main.go: %v", err)
	}
	if diff := cmp.Diff(region, mine[0].Code); diff != "" {
		t.Errorf("README.md:%d: the go block differs from the region of internal/readme/%s/main.go (-main.go +README.md):\n%s",
			mine[0].Line, name, diff)
	}

	cmd := exec.CommandContext(t.Context(), os.Args[0], "-test.run=^$")
	cmd.Env = append(os.Environ(), runEnv+"=1")
	cmd.Dir = t.TempDir() // a snippet writes under the dir run is given; anything else lands here
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Run(); err != nil {
		t.Fatalf("go run ./internal/readme/%s: %v\nstderr:\n%s\nstdout:\n%s", name, err, stderr.String(), stdout.String())
	}
	return stdout.String()
}
