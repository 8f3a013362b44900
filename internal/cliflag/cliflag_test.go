package cliflag_test

import (
	"bytes"
	"flag"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/citylinks/citylinks/internal/cliflag"
)

func TestAsOfSpellings(t *testing.T) {
	for _, args := range [][]string{
		{"-as-of", "2016-02-01"},
		{"-asof", "2016-02-01"},
		{"--as-of=2016-02-01"},
		{"-asof=2016-02-01"},
	} {
		fs := flag.NewFlagSet("t", flag.ContinueOnError)
		var got string
		cliflag.AsOf(fs, &got, "date")
		require.NoError(t, fs.Parse(args), "Parse(%q)", args)
		assert.Equal(t, "2016-02-01", got, "Parse(%q)", args)
	}
}

func TestPrintDefaultsHidesAliases(t *testing.T) {
	fs := flag.NewFlagSet("t", flag.ContinueOnError)
	var out bytes.Buffer
	fs.SetOutput(&out)
	var asOf string
	verbose := fs.Bool("verbose", false, "say more")
	fs.String("db", "x.db", "database `file`")
	cliflag.AsOf(fs, &asOf, "as of this `date`")
	cliflag.Alias(fs, "v", "verbose")
	require.NoError(t, fs.Parse([]string{"-db", "other.db", "-v"}))
	assert.True(t, *verbose, "-v alone sets the boolean it aliases")
	cliflag.PrintDefaults(fs)
	want := "  -as-of date\n    \tas of this date\n" +
		"  -db file\n    \tdatabase file (default \"x.db\")\n" +
		"  -verbose\n    \tsay more\n"
	assert.Equal(t, want, out.String())
}
