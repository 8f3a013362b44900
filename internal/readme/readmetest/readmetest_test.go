package readmetest_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/citylinks/citylinks/internal/readme/readmetest"
)

// TestEveryBlockHasProgram: every go block of README.md names a program
// under internal/readme whose test checks it, and every such program has its
// block. The programs' own tests compare the code and run it.
func TestEveryBlockHasProgram(t *testing.T) {
	root, err := readmetest.ModuleRoot()
	require.NoError(t, err)
	f, err := os.Open(filepath.Join(root, "README.md"))
	require.NoError(t, err)
	defer f.Close()
	blocks, err := readmetest.Blocks(f)
	require.NoError(t, err, "README.md")
	require.NotEmpty(t, blocks)

	named := map[string]int{}
	for _, b := range blocks {
		named[b.Program]++
		dir := filepath.Join(root, "internal", "readme", b.Program)
		src, err := os.Open(filepath.Join(dir, "main.go"))
		if !assert.NoError(t, err, "README.md:%d names ./internal/readme/%s", b.Line, b.Program) {
			continue
		}
		_, err = readmetest.Region(src)
		src.Close()
		assert.NoError(t, err, "internal/readme/%s/main.go", b.Program)
		test, err := os.ReadFile(filepath.Join(dir, "main_test.go"))
		if assert.NoError(t, err, "internal/readme/%s has a test", b.Program) {
			assert.Contains(t, string(test), "readmetest.Check(t)", "internal/readme/%s/main_test.go checks the snippet", b.Program)
			assert.Contains(t, string(test), "readmetest.Main(m, main)", "internal/readme/%s/main_test.go can run the program", b.Program)
		}
	}
	entries, err := os.ReadDir(filepath.Join(root, "internal", "readme"))
	require.NoError(t, err)
	for _, e := range entries {
		if !e.IsDir() || e.Name() == "readmetest" || e.Name() == "snippet" {
			continue
		}
		assert.Equal(t, 1, named[e.Name()], "README.md has one go block for ./internal/readme/%s", e.Name())
	}
}

func TestBlocks(t *testing.T) {
	for _, tc := range []struct {
		name   string
		readme string
		want   []readmetest.Block
		err    string
	}{
		{"Two", "# x\n<!-- go run ./internal/readme/a -->\n```go\nfmt.Println(1)\n\n\tx := 2\n```\ntext\n```sh\ngo test\n```\n<!-- go run ./internal/readme/b -->\n```go\n```\n",
			[]readmetest.Block{{Line: 3, Program: "a", Code: "fmt.Println(1)\n\n\tx := 2\n"}, {Line: 13, Program: "b"}}, ""},
		{"NoMarker", "text\n```go\nx\n```\n", nil, "line 2: a go block without the line <!-- go run ./internal/readme/NAME --> before it"},
		{"MarkerNotRightBefore", "<!-- go run ./internal/readme/a -->\n\n```go\nx\n```\n", nil, "line 3: a go block without"},
		{"BadName", "<!-- go run ./internal/readme/a/b -->\n```go\nx\n```\n", nil, "line 2: a go block without"},
		{"Unclosed", "<!-- go run ./internal/readme/a -->\n```go\nx\n", nil, "line 2: the go block is not closed"},
		{"OtherLanguages", "```sh\nx\n```go\n```\n```\ny\n```\n", nil, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, err := readmetest.Blocks(strings.NewReader(tc.readme))
			assertParsed(t, tc.want, tc.err, got, err)
		})
	}
}

func TestRegion(t *testing.T) {
	for _, tc := range []struct {
		name, src, want, err string
	}{
		{"Body", "func run() error {\n\t// README begin\n\tx := 1\n\n\tif x > 0 {\n\t\treturn nil\n\t}\n\t// README end\n\treturn nil\n}\n", "x := 1\n\nif x > 0 {\n\treturn nil\n}\n", ""},
		{"Empty", "\t// README begin\n\t// README end\n", "", ""},
		{"NoBegin", "x\n", "", `no line "// README begin"`},
		{"NoEnd", "a\n\t// README begin\n\tx\n", "", `line 2: "// README begin" with no "// README end"`},
		{"EndFirst", "\t// README end\n", "", `line 1: "// README end" before "// README begin"`},
		{"Twice", "\t// README begin\n\t// README end\n\t// README begin\n", "", `line 3: a second "// README begin"`},
		{"NotIndented", "\t// README begin\nx := 1\n\t// README end\n", "", "line 2: a line of the region is not indented by a tab"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, err := readmetest.Region(strings.NewReader(tc.src))
			assertParsed(t, tc.want, tc.err, got, err)
		})
	}
}

// assertParsed checks a parse: the error containing wantErr if one is
// wanted, else the value.
func assertParsed[T any](t *testing.T, want T, wantErr string, got T, err error) {
	t.Helper()
	if wantErr != "" {
		require.Error(t, err)
		assert.Contains(t, err.Error(), wantErr)
		return
	}
	require.NoError(t, err)
	assert.Equal(t, want, got)
}
