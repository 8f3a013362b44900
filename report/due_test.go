package report_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/citylinks/citylinks"
	"github.com/citylinks/citylinks/report"
	"github.com/citylinks/citylinks/report/reporttest"
	"github.com/citylinks/citylinks/store/memory"
)

func day(y int, m time.Month, d int) citylinks.Date { return citylinks.Date{Year: y, Month: m, Day: d} }

// dueActivity is a quarterly activity with the given status and dates.
func dueActivity(id string, status report.ActivityStatus, start, end citylinks.Date) report.Activity {
	return report.Activity{ID: id, Title: "Partnership " + id, Program: citylinks.ProgramCityLinks2011,
		FocusArea: citylinks.FocusClimate, Country: "ZA", PlannedStart: start, PlannedEnd: end, Status: status,
		Schedule:     report.Quarterly,
		Participants: []report.ParticipatingOrg{{Name: "A city", Role: report.RoleImplementing, Type: "11"}}}
}

// approvalStep moves one period of one partnership through approval.
type approvalStep struct {
	partnership string
	period      report.Period
	to          report.ApprovalState // submitted, approved, returned, or draft (approved, then unlocked)
}

func applySteps(t *testing.T, ctx context.Context, svc *report.Service, steps []approvalStep) {
	t.Helper()
	for _, s := range steps {
		_, err := svc.Submit(ctx, reporttest.Facilitator, s.partnership, s.period)
		require.NoError(t, err)
		switch s.to {
		case report.StateApproved:
			_, err = svc.Approve(ctx, reporttest.Monitor, s.partnership, s.period)
		case report.StateReturned:
			_, err = svc.Return(ctx, reporttest.Monitor, s.partnership, s.period, "add the sources")
		case report.StateDraft:
			_, err = svc.Approve(ctx, reporttest.Monitor, s.partnership, s.period)
			require.NoError(t, err)
			_, err = svc.Unlock(ctx, reporttest.Monitor, s.partnership, s.period, "a figure was wrong")
		}
		require.NoError(t, err)
	}
}

// TestDueFollowsStatusAndDates: reports fall due only for partnerships
// under way, over their own dates up to the as-of day, for the periods not
// submitted or approved.
func TestDueFollowsStatusAndDates(t *testing.T) {
	asOf := day(2016, 2, 1) // 2015-Q4 was due 2016-01-30
	q := func(n int) report.Period { return report.Quarter(2015, n) }
	all := []string{"2015-Q1 draft", "2015-Q2 draft", "2015-Q3 draft", "2015-Q4 draft"}
	dates := []struct {
		name       string
		start, end citylinks.Date
		underWay   []string // what is due when the partnership is under way
	}{
		{"open-ended", day(2015, 1, 1), citylinks.Date{}, all},
		{"ended 2015-09-30", day(2015, 1, 1), day(2015, 9, 30), all[:3]},
		{"started mid-quarter 2015-05-20", day(2015, 5, 20), day(2016, 12, 31), all[1:]},
		{"starts after the as-of day", day(2016, 6, 1), day(2017, 12, 31), nil},
		{"ended in 2003", day(2002, 1, 1), day(2003, 12, 31), []string{}}, // filled below
	}
	var old []string
	for y := 2002; y <= 2003; y++ {
		for n := 1; n <= 4; n++ {
			old = append(old, report.Quarter(y, n).String()+" draft")
		}
	}
	dates[4].underWay = old
	for _, st := range report.ActivityStatuses() {
		for _, d := range dates {
			t.Run(fmt.Sprintf("%s/%s", st, d.name), func(t *testing.T) {
				svc := report.NewService(memory.New(), &report.Options{Now: func() time.Time { return asOf.Time() }})
				require.NoError(t, svc.RegisterActivity(t.Context(), reporttest.Facilitator, dueActivity("P1", st, d.start, d.end)))
				due, err := svc.Due(t.Context(), reporttest.Viewer, nil)
				require.NoError(t, err)
				var got []string
				for _, r := range due {
					got = append(got, r.Period.String()+" "+string(r.State))
				}
				var want []string
				if st == report.StatusImplementation || st == report.StatusFinalisation {
					want = d.underWay
				}
				assert.ElementsMatch(t, want, got)
			})
		}
	}

	approvals := []struct {
		name  string
		steps []approvalStep
		want  []string
	}{
		{"none", nil, all},
		{"Q2 submitted", []approvalStep{{"P1", q(2), report.StateSubmitted}}, []string{all[0], all[2], all[3]}},
		{"Q2 approved", []approvalStep{{"P1", q(2), report.StateApproved}}, []string{all[0], all[2], all[3]}},
		{"Q2 returned", []approvalStep{{"P1", q(2), report.StateReturned}}, []string{all[0], "2015-Q2 returned", all[2], all[3]}},
		{"Q2 approved then unlocked", []approvalStep{{"P1", q(2), report.StateDraft}}, all},
		{"the year approved covers its quarters", []approvalStep{{"P1", report.Year(2015), report.StateApproved}}, nil},
		{"the year submitted, Q2 returned: the narrower period decides",
			[]approvalStep{{"P1", report.Year(2015), report.StateSubmitted}, {"P1", q(2), report.StateReturned}}, []string{"2015-Q2 returned"}},
		{"a range over Q1 and Q2 approved", []approvalStep{{"P1", mustRange(t, day(2015, 1, 1), day(2015, 6, 30)), report.StateApproved}}, all[2:]},
		{"another partnership's approval", []approvalStep{{"P2", report.Year(2015), report.StateApproved}}, all},
	}
	for _, tc := range approvals {
		t.Run("approval/"+tc.name, func(t *testing.T) {
			ctx := t.Context()
			svc := report.NewService(memory.New(), &report.Options{Now: func() time.Time { return asOf.Time() }})
			for _, id := range []string{"P1", "P2"} {
				require.NoError(t, svc.RegisterActivity(ctx, reporttest.Facilitator, dueActivity(id, report.StatusImplementation, day(2015, 1, 1), day(2015, 12, 31))))
			}
			applySteps(t, ctx, svc, tc.steps)
			due, err := svc.Due(ctx, reporttest.Viewer, nil)
			require.NoError(t, err)
			var got []string
			for _, r := range due {
				if r.Partnership == "P1" {
					got = append(got, r.Period.String()+" "+string(r.State))
				}
			}
			assert.ElementsMatch(t, tc.want, got)
		})
	}
}

func mustRange(t *testing.T, a, b citylinks.Date) report.Period {
	t.Helper()
	p, err := report.Range(a, b)
	require.NoError(t, err)
	return p
}

func TestApprovalStateOf(t *testing.T) {
	ap := func(part string, p report.Period, s report.ApprovalState) report.Approval {
		return report.Approval{Partnership: part, Period: p, State: s}
	}
	h1 := mustRange(t, day(2015, 1, 1), day(2015, 6, 30))
	aps := []report.Approval{
		ap("P1", report.Year(2014), report.StateApproved),
		ap("P1", report.Year(2015), report.StateSubmitted),
		ap("P1", h1, report.StateReturned),
		ap("P1", report.Quarter(2015, 2), report.StateDraft), // unlocked
		ap("P2", report.Year(2016), report.StateApproved),
	}
	for _, tc := range []struct {
		partnership string
		period      report.Period
		want        report.ApprovalState
	}{
		{"P1", report.Quarter(2014, 3), report.StateApproved},
		{"P1", report.Month(2014, time.December), report.StateApproved},
		{"P1", report.Year(2014), report.StateApproved},
		{"P1", report.Quarter(2015, 1), report.StateReturned},  // within H1 (returned) and 2015 (submitted): the narrower
		{"P1", report.Quarter(2015, 2), report.StateDraft},     // its own approval, unlocked
		{"P1", report.Quarter(2015, 3), report.StateSubmitted}, // within 2015 only
		{"P1", h1, report.StateReturned},
		{"P1", mustRange(t, day(2014, 12, 1), day(2015, 1, 31)), report.StateDraft}, // straddles two approvals: within neither
		{"P1", report.Year(2016), report.StateDraft},
		{"P2", report.Quarter(2016, 4), report.StateApproved},
		{"P2", report.Quarter(2015, 1), report.StateDraft},
		{"P3", report.Year(2014), report.StateDraft},
	} {
		assert.Equal(t, tc.want, report.ApprovalStateOf(aps, tc.partnership, tc.period), "%s %s", tc.partnership, tc.period)
	}
	assert.Equal(t, report.StateDraft, report.ApprovalStateOf(nil, "P1", report.Year(2015)))
}
