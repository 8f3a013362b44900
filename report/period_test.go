package report_test

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"pgregory.net/rapid"

	"github.com/citylinks/citylinks"
	"github.com/citylinks/citylinks/report"
)

func TestParsePeriod(t *testing.T) {
	d := func(y int, m time.Month, day int) citylinks.Date { return citylinks.Date{Year: y, Month: m, Day: day} }
	cases := []struct {
		in         string
		kind       report.PeriodKind
		start, end citylinks.Date
	}{
		{"2024", report.PeriodYear, d(2024, 1, 1), d(2024, 12, 31)},
		{"2024-Q1", report.PeriodQuarter, d(2024, 1, 1), d(2024, 3, 31)},
		{"2024-Q4", report.PeriodQuarter, d(2024, 10, 1), d(2024, 12, 31)},
		{"2024-02", report.PeriodMonth, d(2024, 2, 1), d(2024, 2, 29)},
		{"2023-02", report.PeriodMonth, d(2023, 2, 1), d(2023, 2, 28)},
		{"2024-07-01/2025-06-30", report.PeriodRange, d(2024, 7, 1), d(2025, 6, 30)},
		{"2024-07-01/2024-07-01", report.PeriodRange, d(2024, 7, 1), d(2024, 7, 1)},
	}
	for _, tc := range cases {
		p, err := report.ParsePeriod(tc.in)
		require.NoError(t, err, tc.in)
		assert.Equal(t, report.Period{Kind: tc.kind, Start: tc.start, End: tc.end}, p, tc.in)
		assert.Equal(t, tc.in, p.String())
	}
	for _, bad := range []string{"", "24", "2024-Q5", "2024-Q0", "2024-13", "2024-00", "2024-1", "2024-02-30/2024-03-01",
		"2024-07-01/2024-06-30", "2024/", "x024", "2024-Q1 ", "+024", "2024-7-01/2024-08-01"} {
		_, err := report.ParsePeriod(bad)
		assert.ErrorIs(t, err, citylinks.ErrInvalid, "%q", bad)
	}
	assert.Error(t, report.Period{Kind: report.PeriodQuarter, Start: d(2024, 2, 1), End: d(2024, 4, 30)}.Validate(), "unaligned quarter")
}

func TestFrequencyPeriods(t *testing.T) {
	d := func(y int, m time.Month, day int) citylinks.Date { return citylinks.Date{Year: y, Month: m, Day: day} }
	ps := report.Quarterly.Periods(d(2013, 7, 15), d(2014, 2, 1))
	assert.Equal(t, []report.Period{report.Quarter(2013, 3), report.Quarter(2013, 4), report.Quarter(2014, 1)}, ps)
	assert.Len(t, report.Monthly.Periods(d(2015, 1, 31), d(2015, 12, 1)), 12)
	assert.Equal(t, []report.Period{report.Year(2015), report.Year(2016)}, report.Annual.Periods(d(2015, 7, 24), d(2016, 1, 1)))
	assert.Empty(t, report.Annual.Periods(d(2016, 1, 1), d(2015, 1, 1)))
}

// A period's key parses back to the same period, and every period of a
// frequency tiles the calendar: consecutive, no gaps, containing its dates.
func TestPeriodProperties(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		y := rapid.IntRange(1, 9996).Draw(t, "year")
		var p report.Period
		switch rapid.IntRange(0, 3).Draw(t, "kind") {
		case 0:
			p = report.Year(y)
		case 1:
			p = report.Quarter(y, rapid.IntRange(1, 4).Draw(t, "q"))
		case 2:
			p = report.Month(y, time.Month(rapid.IntRange(1, 12).Draw(t, "m")))
		default:
			start := citylinks.Date{Year: y, Month: 1, Day: 1}.AddDays(rapid.IntRange(0, 364).Draw(t, "s"))
			var err error
			p, err = report.Range(start, start.AddDays(rapid.IntRange(0, 800).Draw(t, "len")))
			if err != nil {
				t.Fatal(err)
			}
		}
		if err := p.Validate(); err != nil {
			t.Fatalf("%v: %v", p, err)
		}
		back, err := report.ParsePeriod(p.String())
		if err != nil || back != p {
			t.Fatalf("ParsePeriod(%q) = %v, %v; want %v", p.String(), back, err, p)
		}
		f := rapid.SampledFrom(report.Frequencies()).Draw(t, "freq")
		day := citylinks.Date{Year: y, Month: 1, Day: 1}.AddDays(rapid.IntRange(0, 364).Draw(t, "day"))
		q := f.PeriodOf(day)
		if !q.ContainsDate(day) || q.Validate() != nil {
			t.Fatalf("%s.PeriodOf(%s) = %v", f, day, q)
		}
		if n := f.PeriodOf(q.End.AddDays(1)); n.Start != q.End.AddDays(1) {
			t.Fatalf("%v is not followed by a period starting the next day: %v", q, n)
		}
	})
}

func TestApprovalTransitions(t *testing.T) {
	type key struct {
		from   report.ApprovalState
		action report.Action
	}
	allowed := map[key]report.ApprovalState{
		{report.StateDraft, report.ActionSubmit}:      report.StateSubmitted,
		{report.StateReturned, report.ActionSubmit}:   report.StateSubmitted,
		{report.StateSubmitted, report.ActionApprove}: report.StateApproved,
		{report.StateSubmitted, report.ActionReturn}:  report.StateReturned,
		{report.StateApproved, report.ActionUnlock}:   report.StateDraft,
	}
	for _, from := range report.ApprovalStates() {
		for _, action := range []report.Action{report.ActionSubmit, report.ActionApprove, report.ActionReturn, report.ActionUnlock} {
			t.Run(string(from)+"/"+string(action), func(t *testing.T) {
				to, err := report.Next(from, action, "because")
				want, ok := allowed[key{from, action}]
				if !ok {
					var te *report.TransitionError
					require.ErrorAs(t, err, &te)
					assert.ErrorIs(t, err, citylinks.ErrConflict)
					return
				}
				require.NoError(t, err)
				assert.Equal(t, want, to)
				_, err = report.Next(from, action, "  ")
				if action == report.ActionReturn || action == report.ActionUnlock {
					assert.ErrorIs(t, err, citylinks.ErrInvalid, "needs a comment")
				} else {
					assert.NoError(t, err)
				}
			})
		}
	}
	assert.True(t, report.StateApproved.Locked())
	for _, s := range []report.ApprovalState{report.StateDraft, report.StateSubmitted, report.StateReturned} {
		assert.False(t, s.Locked(), s)
	}
}
