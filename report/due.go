package report

import (
	"context"
	"slices"
	"strings"

	"github.com/citylinks/citylinks"
	"github.com/citylinks/citylinks/internal/errtext"
)

// DueStatus says whether a report is late or nearly due.
type DueStatus string

// The due statuses.
const (
	DueOverdue DueStatus = "overdue"  // past its due date and not submitted
	DueSoon    DueStatus = "due-soon" // due within the Soon window and not submitted
)

// DueReport is one partnership × period report that is overdue or due soon.
type DueReport struct {
	Partnership string         `json:"partnership"`
	Title       string         `json:"title"`
	Period      Period         `json:"period"`
	DueDate     citylinks.Date `json:"due_date"`
	State       ApprovalState  `json:"state"` // draft or returned
	Status      DueStatus      `json:"status"`
	// DaysLate is how many days past the due date it is; negative when
	// the report is not due yet (-3: due in three days).
	DaysLate int `json:"days_late"`
}

// DueOptions select which due reports to list. The zero value lists every
// registered activity on its own schedule as of today (by the service
// clock).
type DueOptions struct {
	// Schedule, if set, overrides each activity's own reporting frequency.
	Schedule Frequency
	// AsOf is the day to judge from. Defaults to today (Options.Now, UTC).
	AsOf citylinks.Date
	// Filter selects the activities.
	Filter ActivityFilter
}

// Due lists the reports that are overdue or due soon. Reports fall due only
// for activities under way, in implementation or finalisation, by their
// Status: none for one in the pipeline (not started), closed or cancelled
// (ended: a closed partnership owes nothing more), and none while one is
// suspended (nothing falls due while the work is stopped; an Activity
// carries no suspension date, so what it owed before is listed again once
// it resumes and its status is implementation again).
//
// For an activity under way, the periods follow its own dates: every
// period of its schedule (Activity.Frequency, or DueOptions.Schedule) from
// its start (Activity.Start) to its end (Activity.End) or AsOf, whichever
// is earlier. Each period's report is due Options.Grace days after the
// period ends, and is listed while it is still a draft or returned: one
// submitted, or within an approved period (Report.ActualState), is not.
// Overdue reports come first, the longest overdue first.
//
// Only the partnerships actor may read are listed.
func (s *Service) Due(ctx context.Context, actor citylinks.Actor, opts *DueOptions) ([]DueReport, error) {
	var f ActivityFilter
	if opts != nil {
		f = opts.Filter
	}
	acts, err := s.readableActivities(ctx, actor, f)
	if err != nil {
		return nil, err
	}
	return s.due(ctx, acts, opts)
}

// due lists the due reports of the given activities.
func (s *Service) due(ctx context.Context, acts []Activity, opts *DueOptions) ([]DueReport, error) {
	var o DueOptions
	if opts != nil {
		o = *opts
	}
	if o.Schedule != "" && !o.Schedule.Valid() {
		return nil, invalid("schedule", "%q is not one of monthly, quarterly, annual", errtext.Clip(string(o.Schedule)))
	}
	asOf := o.AsOf
	if asOf.IsZero() {
		asOf = citylinks.DateOf(s.now())
	}
	var out []DueReport
	for _, a := range acts {
		if !a.Status.UnderWay() {
			continue
		}
		freq := a.Frequency()
		if o.Schedule != "" {
			freq = o.Schedule
		}
		last := asOf
		if end := a.End(); !end.IsZero() && end.Before(last) {
			last = end
		}
		periods := freq.Periods(a.Start(), last)
		if len(periods) == 0 {
			continue
		}
		aps, err := s.store.ListApprovals(ctx, a.ID)
		if err != nil {
			return nil, err
		}
		for _, p := range periods {
			st := approvalStateOf(aps, a.ID, p)
			if st != StateDraft && st != StateReturned {
				continue
			}
			due := p.End.AddDays(s.opts.Grace)
			late := daysBetween(due, asOf)
			var status DueStatus
			switch {
			case late > 0:
				status = DueOverdue
			case -late <= s.opts.Soon:
				status = DueSoon
			default:
				continue
			}
			out = append(out, DueReport{Partnership: a.ID, Title: a.Title, Period: p, DueDate: due, State: st, Status: status, DaysLate: late})
		}
	}
	slices.SortStableFunc(out, func(x, y DueReport) int {
		if x.DaysLate != y.DaysLate {
			return y.DaysLate - x.DaysLate
		}
		if c := strings.Compare(x.Partnership, y.Partnership); c != 0 {
			return c
		}
		return x.Period.Start.Compare(y.Period.Start)
	})
	return out, nil
}

// UnderWay reports whether an activity in status s is being carried out,
// so that its reports fall due: implementation or finalisation.
func (s ActivityStatus) UnderWay() bool {
	return s == StatusImplementation || s == StatusFinalisation
}

// daysBetween returns the number of days from a to b (negative if b is
// before a).
func daysBetween(a, b citylinks.Date) int {
	return int(b.Time().Sub(a.Time()).Hours() / 24)
}
