package main

import (
	"bytes"
	"fmt"
	"os"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/citylinks/citylinks"
	"github.com/citylinks/citylinks/matching"
)

// TestReadPartiesLineEndings: the example inputs read the same with LF,
// CRLF and CR-only line endings.
func TestReadPartiesLineEndings(t *testing.T) {
	for file, side := range map[string]matching.Side{"testdata/hosts.csv": matching.SideHost, "testdata/partners.csv": matching.SideResource} {
		lf, err := os.ReadFile(file)
		require.NoError(t, err)
		want, err := readParties(bytes.NewReader(lf), file, side)
		require.NoError(t, err)
		require.NotEmpty(t, want)
		for ending, sep := range map[string]string{"CRLF": "\r\n", "CR": "\r"} {
			got, err := readParties(bytes.NewReader(bytes.ReplaceAll(lf, []byte("\n"), []byte(sep))), file, side)
			require.NoError(t, err, "%s with %s", file, ending)
			assert.Equal(t, want, got, "%s with %s", file, ending)
		}
	}
}

// TestReadPartiesManyBadRows: the error lists the first maxBadRows bad rows
// and counts the rest, having read the whole file.
func TestReadPartiesManyBadRows(t *testing.T) {
	var b strings.Builder
	b.WriteString("id,name,country,population,latitude,longitude,elevation_m,needs\n")
	for i := range 1000 {
		fmt.Fprintf(&b, "%d,City %d,XX,1,1,1,1,stormwater\n", i, i)
	}
	_, err := readParties(strings.NewReader(b.String()), "hosts.csv", matching.SideHost)
	var ie *inputError
	require.ErrorAs(t, err, &ie)
	assert.Len(t, ie.Rows, maxBadRows)
	assert.Equal(t, 1000-maxBadRows, ie.More)
	lines := strings.Split(err.Error(), "\n")
	require.Len(t, lines, maxBadRows+1)
	assert.Equal(t, `hosts.csv:2: country: "XX" is not a country code or name that citylinks knows`, lines[0])
	assert.Equal(t, "hosts.csv: and 980 more bad rows", lines[maxBadRows])
}

// TestReadPartiesLongRow: a row over citylinks.MaxCSVRowBytes is a bad
// row with its line; the next rows are read.
func TestReadPartiesLongRow(t *testing.T) {
	in := "id,name,country,population,latitude,longitude,elevation_m,needs\n" +
		"1," + strings.Repeat("x", citylinks.MaxCSVRowBytes) + ",KE,1,1,1,1,stormwater\n" +
		"2,Ok,XX,1,1,1,1,stormwater\n"
	_, err := readParties(strings.NewReader(in), "hosts.csv", matching.SideHost)
	var ie *inputError
	require.ErrorAs(t, err, &ie)
	assert.Equal(t, fmt.Sprintf("hosts.csv:2: row: is longer than %d bytes, the most one row may have: split the text, or look for a missing line break\n", citylinks.MaxCSVRowBytes)+
		`hosts.csv:3: country: "XX" is not a country code or name that citylinks knows`, err.Error())
}
