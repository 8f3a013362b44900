package sqlrow

import (
	"testing"

	"pgregory.net/rapid"

	"github.com/citylinks/citylinks"
	"github.com/citylinks/citylinks/report"
)

// The fast formatters agree with citylinks.Date.String and
// report.Period.String.
func TestFastFormatters(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		d := citylinks.Date{Year: 1, Month: 1, Day: 1}.AddDays(rapid.IntRange(0, 3_650_000).Draw(t, "days"))
		if got := formatDate(d); got != d.String() {
			t.Fatalf("formatDate(%v) = %q", d, got)
		}
		for _, p := range []report.Period{report.Year(d.Year), report.Quarter(d.Year, int(d.Month-1)/3+1), report.Month(d.Year, d.Month)} {
			if got := periodKey(p, formatDate(p.Start), formatDate(p.End)); got != p.String() {
				t.Fatalf("periodKey(%v) = %q, want %q", p, got, p.String())
			}
		}
	})
	if formatDate(citylinks.Date{}) != "" {
		t.Fatal("zero date")
	}
}
