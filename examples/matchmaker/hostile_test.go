package main

import (
	"encoding/csv"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/citylinks/citylinks/internal/hostile"
)

// hostileInputs writes a hosts and a partners file with a hostile value as
// each city's name (and as its id, where ids may hold it), and returns the
// files and the names by id.
func hostileInputs(t *testing.T) (hosts, partners string, names map[string]string) {
	t.Helper()
	dir := t.TempDir()
	names = map[string]string{}
	write := func(name string, header []string, row func(id, name string) []string, prefix string) string {
		path := filepath.Join(dir, name)
		f, err := os.Create(path)
		require.NoError(t, err)
		w := csv.NewWriter(f)
		require.NoError(t, w.Write(header))
		for i, v := range hostile.Values() {
			id := fmt.Sprintf("%s%d", prefix, i)
			if v.ID {
				id = prefix + v.Text
			}
			names[id] = v.Text
			require.NoError(t, w.Write(row(id, v.Text)))
		}
		w.Flush()
		require.NoError(t, w.Error())
		require.NoError(t, f.Close())
		return path
	}
	hosts = write("hosts.csv", []string{"id", "name", "country", "population", "latitude", "longitude", "elevation_m", "needs"},
		func(id, name string) []string {
			return []string{id, name, "KE", "500000", "-1.28", "36.8", "1661", "climate-adaptation:2"}
		}, "h")
	partners = write("partners.csv", []string{"id", "name", "country", "population", "latitude", "longitude", "elevation_m", "offers", "capacity"},
		func(id, name string) []string {
			return []string{id, name, "US", "100000", "40", "-105", "1624", "climate-adaptation:3", "1"}
		}, "p")
	return hosts, partners, names
}

func hostileArgs(t *testing.T, extra ...string) ([]string, map[string]string) {
	hosts, partners, names := hostileInputs(t)
	return append([]string{"-hosts", hosts, "-partners", partners, "-focus", "climate", "-as-of", "2015-03-23"}, extra...), names
}

// TestHostileJSON: ids come out of the JSON exactly as they went in, and
// the JSON holds no raw markup characters.
func TestHostileJSON(t *testing.T) {
	a, names := hostileArgs(t, "-format", "json", "-explain")
	code, out, errOut := runCmd(t, false, a...)
	require.Equal(t, 0, code, errOut)
	for _, c := range []string{"<", ">", "&", "\u2028", "\x1b"} {
		assert.NotContains(t, out, c, "raw %q in the JSON", c)
	}
	var res jsonOut
	require.NoError(t, json.Unmarshal([]byte(out), &res))
	seen := map[string]bool{}
	for _, p := range res.Pairs {
		seen[p.Host], seen[p.Partner] = true, true
	}
	for _, u := range res.Unmatched {
		seen[u.ID] = true
	}
	for id := range names {
		assert.True(t, seen[id], "id %q is not in the output unchanged", id[:min(len(id), 40)])
	}
	assert.Len(t, seen, len(names))
}

// TestHostileCSV: no cell of the CSV output starts a formula, and the ids
// and names read back as they went in, but for the apostrophe mark.
func TestHostileCSV(t *testing.T) {
	a, names := hostileArgs(t, "-format", "csv", "-explain")
	code, out, errOut := runCmd(t, false, a...)
	require.Equal(t, 0, code, errOut)
	recs, err := csv.NewReader(strings.NewReader(out)).ReadAll()
	require.NoError(t, err)
	unmark := func(s string) string { return strings.TrimPrefix(s, "'") }
	got := map[string]string{}
	for _, rec := range recs[1:] {
		for j, cell := range rec {
			assert.False(t, cell != "" && strings.ContainsRune("=+-@\t\r", rune(cell[0])), "column %s: %q would run as a formula", recs[0][j], cell)
		}
		for _, c := range [][2]int{{0, 1}, {2, 3}} {
			if rec[c[0]] != "" {
				got[unmark(rec[c[0]])] = unmark(rec[c[1]])
			}
		}
	}
	assert.Len(t, got, len(names))
	for id, name := range names {
		assert.True(t, got[id] == name, "id %q: name %q, want %q", cut(id, 40), cut(got[id], 40), cut(name, 40))
	}
}

// TestHostileTable: nothing in the table output can act on a terminal: no
// control character but the line ends, no line or paragraph separator, no
// bidirectional override; those are shown as escapes, and the rest of each
// name (right-to-left and combining text) is unchanged. The 1 MB name is
// cut, so that the table stays narrow.
func TestHostileTable(t *testing.T) {
	a, _ := hostileArgs(t, "-explain")
	code, out, errOut := runCmd(t, false, a...)
	require.Equal(t, 0, code, errOut)
	for _, line := range strings.Split(out, "\n") {
		assert.Less(t, len(line), 2000, "a line of %d bytes", len(line))
		if i := strings.IndexFunc(line, unsafeOnTerminal); i >= 0 {
			t.Errorf("a character that acts on a terminal, %q, in %q", line[i:i+1], line[:min(len(line), 80)])
		}
	}
	for _, want := range []string{`\x1b[2J\x1b]0;owned\ared\x1b[0m`, `abc\u202edcba\u202c.csv`, `a\rb`, `a\nb\tc|d`, `a\u2028b\u2029c`,
		"القاهرة الكبرى", "Quere\u0301taro", `<script>alert(1)</script>`, `=1+'; <b>&amp;</b>\u2028\u202eالقاهرة`} {
		assert.Contains(t, out, want)
	}
}

// TestHostileBadRows: a NUL byte in a name or an id with a control
// character is a bad row, reported with its file, line and column.
func TestHostileBadRows(t *testing.T) {
	dir := t.TempDir()
	hosts := filepath.Join(dir, "hosts.csv")
	require.NoError(t, os.WriteFile(hosts, []byte("id,name,country,population,latitude,longitude,elevation_m,needs\n"+
		"1,\"a\x00b\",KE,1,1,1,1,climate-adaptation\n"+
		"\"2\x1b[2J\",b,KE,1,1,1,1,climate-adaptation\n"), 0o644))
	code, _, errOut := runCmd(t, false, "-hosts", hosts, "-partners", "testdata/partners.csv", "-focus", "climate", "-as-of", "2015-03-23")
	assert.Equal(t, 1, code)
	assert.Contains(t, errOut, hosts+":2: name: contains a NUL byte")
	assert.Contains(t, errOut, hosts+`:3: id: "2\x1b[2J" contains a control character`)
	assert.NotContains(t, errOut, "\x1b", "the error shows the escape, not the character")
}
