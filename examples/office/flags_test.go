package main

import (
	"bytes"
	"flag"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/citylinks/citylinks"
	"github.com/citylinks/citylinks/internal/demo"
)

// TestFlags: the app's day is set by -as-of, as in the other programs
// (with -today, its old name, and -asof still accepted), and defaults to
// the demonstration's; a bad date is refused naming the flag.
func TestFlags(t *testing.T) {
	d := func(s string) citylinks.Date { v, _ := citylinks.ParseDate(s); return v }
	for _, tc := range []struct {
		name    string
		args    []string
		want    citylinks.Date
		wantErr string
	}{
		{"default", nil, demo.Today(), ""},
		{"-as-of", []string{"-as-of", "2016-01-31"}, d("2016-01-31"), ""},
		{"-today, its old name", []string{"-today", "2016-01-31"}, d("2016-01-31"), ""},
		{"-asof", []string{"-asof=2016-01-31"}, d("2016-01-31"), ""},
		{"bad date", []string{"-as-of", "31/01/2016"}, citylinks.Date{}, "-as-of"},
		{"stray argument", []string{"serve"}, citylinks.Date{}, `unexpected argument "serve"`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var out bytes.Buffer
			cfg, _, _, err := parseFlags(tc.args, &out)
			if tc.wantErr != "" {
				require.Error(t, err)
				assert.Contains(t, err.Error(), tc.wantErr)
				return
			}
			require.NoError(t, err)
			assert.Equal(t, tc.want, cfg.today)
		})
	}
	var out bytes.Buffer
	_, _, _, err := parseFlags([]string{"-h"}, &out)
	require.ErrorIs(t, err, flag.ErrHelp)
	assert.Contains(t, out.String(), "-as-of date")
	assert.NotContains(t, out.String(), "-today", "the old name is hidden")
}
