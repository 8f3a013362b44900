package main

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"

	"github.com/citylinks/citylinks"
	"github.com/citylinks/citylinks/partnership"
	"github.com/citylinks/citylinks/report"
	"github.com/citylinks/citylinks/report/render"
)

// outcomesData is what a partnership's outcomes page shows.
type outcomesData struct {
	Activity     report.Activity
	Indicators   []report.Indicator // those the work plan names
	Kinds        []report.Kind
	Observations []observationRow
	Periods      []periodRow
	// What the actor may do here, by report's policy.
	Record, Submit, Review bool
}

type observationRow struct {
	O         report.Observation
	Indicator string // its name
	State     report.ApprovalState
}

// periodRow is one reporting period with its approval.
type periodRow struct {
	Period  report.Period
	State   report.ApprovalState
	Comment string
	By      string
	History []report.ApprovalEvent
}

// readActivity returns the activity of a partnership the actor may read:
// the partnership service's policy decides first (a coordinator is told
// another organization's partnership is forbidden), then report's.
func (s *server) readActivity(ctx context.Context, a citylinks.Actor, id string) (report.Activity, error) {
	if _, err := s.env.Partnerships.Get(ctx, a, id); err != nil {
		return report.Activity{}, err
	}
	act, err := s.env.Reports.Store().GetActivity(ctx, id)
	if err != nil {
		return report.Activity{}, err
	}
	return act, report.Authorize(a, report.ActionRead, &act)
}

func (s *server) outcomesPage(w http.ResponseWriter, r *http.Request, sess *session) error {
	ctx, a, id := r.Context(), actor(sess), r.PathValue("id")
	act, err := s.readActivity(ctx, a, id)
	if err != nil {
		return err
	}
	d := outcomesData{Activity: act, Kinds: report.Kinds(),
		Record: report.Authorize(a, report.ActionRecord, &act) == nil,
		Submit: report.Authorize(a, report.ActionSubmit, &act) == nil,
		Review: report.Authorize(a, report.ActionApprove, &act) == nil}
	inds, err := s.env.Reports.Store().ListIndicators(ctx)
	if err != nil {
		return err
	}
	names := map[string]string{}
	for _, in := range inds {
		names[in.Code] = in.Name
		for _, o := range act.Objectives {
			if slices.Contains(o.Indicators, in.Code) && !slices.ContainsFunc(d.Indicators, func(x report.Indicator) bool { return x.Code == in.Code }) {
				d.Indicators = append(d.Indicators, in)
			}
		}
	}
	approvals, err := s.env.Reports.Store().ListApprovals(ctx, id)
	if err != nil {
		return err
	}
	obs, err := s.observations(ctx, a, id)
	if err != nil {
		return err
	}
	// The library's rule for an actual's approval state, over the
	// partnership's approvals.
	states := &report.Report{Approvals: approvals}
	periods := map[string]report.Period{}
	for _, ap := range approvals {
		periods[ap.Period.String()] = ap.Period
	}
	for _, o := range obs {
		st := states.ActualState(id, o.Period)
		d.Observations = append(d.Observations, observationRow{O: o, Indicator: names[o.Indicator], State: st})
		if o.Kind == report.KindActual {
			periods[o.Period.String()] = o.Period
		}
	}
	for _, p := range periods {
		row := periodRow{Period: p, State: report.StateDraft}
		for _, ap := range approvals {
			if ap.Period.String() == p.String() {
				row.State, row.Comment, row.By = ap.State, ap.Comment, ap.UpdatedBy
			}
		}
		if row.History, err = s.env.Reports.History(ctx, a, id, p); err != nil {
			return err
		}
		d.Periods = append(d.Periods, row)
	}
	slices.SortFunc(d.Periods, func(x, y periodRow) int {
		if c := x.Period.Start.Compare(y.Period.Start); c != 0 {
			return c
		}
		return strings.Compare(x.Period.String(), y.Period.String())
	})
	return s.show(w, sess, "outcomes", "Outcomes of "+act.Title, d)
}

// observations returns a partnership's observations, as the report
// service lets the actor read them.
func (s *server) observations(ctx context.Context, a citylinks.Actor, id string) ([]report.Observation, error) {
	return allPages(func(after string) (citylinks.Page[report.Observation], error) {
		return s.env.Reports.Observations(ctx, a, report.ObservationFilter{Partnership: id, After: after, Limit: citylinks.MaxPageSize})
	})
}

// allPages collects every page of a keyset-paged list.
func allPages[T any](list func(after string) (citylinks.Page[T], error)) ([]T, error) {
	var out []T
	after := ""
	for {
		p, err := list(after)
		if err != nil {
			return nil, err
		}
		out = append(out, p.Items...)
		if p.Next == "" {
			return out, nil
		}
		after = p.Next
	}
}

// recordObservation records one observation from the outcomes form.
func (s *server) recordObservation(w http.ResponseWriter, r *http.Request, sess *session) error {
	id := r.PathValue("id")
	f := r.PostFormValue
	per, err := report.ParsePeriod(strings.TrimSpace(f("period")))
	if err != nil {
		return err
	}
	v := strings.TrimSpace(f("value"))
	value, err := strconv.ParseFloat(v, 64)
	if err != nil {
		return &citylinks.ValidationError{Field: "value", Problem: fmt.Sprintf("%q is not a number", v)}
	}
	var dis report.Disaggregation
	if ds := strings.TrimSpace(f("disaggregation")); ds != "" {
		if dis, err = report.ParseDisaggregation(ds); err != nil {
			return err
		}
	}
	o := report.Observation{Partnership: id, Indicator: f("indicator"), Kind: report.Kind(f("kind")), Period: per,
		Value: value, Disaggregation: dis, Comment: f("comment"), Source: f("source")}
	if err := s.env.Reports.Record(r.Context(), actor(sess), o); err != nil {
		return err
	}
	return s.done(w, r, sess, "/partnerships/"+url.PathEscape(id)+"/outcomes",
		fmt.Sprintf("Recorded %s %s of %s for %s.", o.Kind, strconv.FormatFloat(value, 'f', -1, 64), o.Indicator, per))
}

// uploadObservations imports an observations CSV (the rows name their
// partnerships); one bad row stores nothing.
func (s *server) uploadObservations(w http.ResponseWriter, r *http.Request, sess *session) error {
	file, _, err := r.FormFile("file")
	if err != nil {
		return &citylinks.ValidationError{Field: "file", Problem: "choose a CSV file to upload"}
	}
	defer file.Close()
	sum, err := s.env.Reports.ImportCSV(r.Context(), actor(sess), file)
	if err != nil {
		return err
	}
	back := safeNext(r.PostFormValue("back"))
	return s.done(w, r, sess, back, fmt.Sprintf("Imported %d rows: %d new, %d changed, %d unchanged.", sum.Rows, sum.Added, sum.Changed, sum.Unchanged))
}

// approvalAction moves one period's report: submit, approve, return (with
// a comment) or unlock (with a reason), as report's policy allows.
func (s *server) approval(w http.ResponseWriter, r *http.Request, sess *session) error {
	f := r.PostFormValue
	id := f("partnership")
	per, err := report.ParsePeriod(f("period"))
	if err != nil {
		return err
	}
	ctx, a := r.Context(), actor(sess)
	var ap report.Approval
	switch report.Action(f("action")) {
	case report.ActionSubmit:
		ap, err = s.env.Reports.Submit(ctx, a, id, per)
	case report.ActionApprove:
		ap, err = s.env.Reports.Approve(ctx, a, id, per)
	case report.ActionReturn:
		ap, err = s.env.Reports.Return(ctx, a, id, per, f("comment"))
	case report.ActionUnlock:
		ap, err = s.env.Reports.Unlock(ctx, a, id, per, f("comment"))
	default:
		return &citylinks.ValidationError{Field: "action", Problem: fmt.Sprintf("%q is not submit, approve, return or unlock", f("action"))}
	}
	if err != nil {
		return err
	}
	return s.done(w, r, sess, safeNext(f("back")), fmt.Sprintf("%s %s: %s.", ap.Partnership, ap.Period, ap.State))
}

// queueRow is one submitted report waiting for a monitor.
type queueRow struct {
	Activity     report.Activity
	Approval     report.Approval
	Observations []observationRow
	Review       bool // the actor may approve or return it
}

// approvalsPage is the monitor's queue: every submitted report of the
// partnerships the actor may read, with its figures.
func (s *server) approvalsPage(w http.ResponseWriter, r *http.Request, sess *session) error {
	ctx, a := r.Context(), actor(sess)
	acts, err := s.readableActivities(ctx, a)
	if err != nil {
		return err
	}
	names := map[string]string{}
	inds, err := s.env.Reports.Store().ListIndicators(ctx)
	if err != nil {
		return err
	}
	for _, in := range inds {
		names[in.Code] = in.Name
	}
	var rows []queueRow
	for _, act := range acts {
		aps, err := s.env.Reports.Store().ListApprovals(ctx, act.ID)
		if err != nil {
			return err
		}
		var obs []report.Observation
		for _, ap := range aps {
			if ap.State != report.StateSubmitted {
				continue
			}
			if obs == nil {
				if obs, err = s.observations(ctx, a, act.ID); err != nil {
					return err
				}
			}
			q := queueRow{Activity: act, Approval: ap, Review: report.Authorize(a, report.ActionApprove, &act) == nil}
			for _, o := range obs {
				if o.Kind == report.KindActual && ap.Period.Contains(o.Period) {
					q.Observations = append(q.Observations, observationRow{O: o, Indicator: names[o.Indicator], State: ap.State})
				}
			}
			rows = append(rows, q)
		}
	}
	return s.show(w, sess, "approvals", "Approval queue", rows)
}

// readableActivities returns the activities of the partnerships the actor
// may read: the partnership service lists them, so its policy decides.
func (s *server) readableActivities(ctx context.Context, a citylinks.Actor) ([]report.Activity, error) {
	sums, err := allPages(func(after string) (citylinks.Page[partnership.Summary], error) {
		return s.env.Partnerships.List(ctx, a, partnership.Filter{After: after, Limit: citylinks.MaxPageSize})
	})
	if err != nil {
		return nil, err
	}
	var out []report.Activity
	for _, sum := range sums {
		act, err := s.env.Reports.Store().GetActivity(ctx, sum.ID)
		if errors.Is(err, citylinks.ErrNotFound) {
			continue // not registered for reporting
		}
		if err != nil {
			return nil, err
		}
		if report.Authorize(a, report.ActionRead, &act) == nil {
			out = append(out, act)
		}
	}
	return out, nil
}

func (s *server) duePage(w http.ResponseWriter, r *http.Request, sess *session) error {
	due, err := s.env.Reports.Due(r.Context(), actor(sess), &report.DueOptions{AsOf: s.today()})
	if err != nil {
		return err
	}
	return s.show(w, sess, "due", "Due reports", due)
}

// reportPage renders the results report with the report package's
// renderers: HTML by default, or ?format=csv, json or md.
func (s *server) reportPage(w http.ResponseWriter, r *http.Request, sess *session) error {
	format := r.URL.Query().Get("format")
	if format == "" {
		format = "html"
	}
	types := map[string]string{"html": "text/html; charset=utf-8", "csv": "text/csv; charset=utf-8",
		"json": "application/json", "md": "text/markdown; charset=utf-8"}
	ct, ok := types[format]
	if !ok {
		return &citylinks.ValidationError{Field: "format", Problem: fmt.Sprintf("%q is not html, csv, json or md", format)}
	}
	rend, err := render.For(format, render.IATI{}, "")
	if err != nil {
		return err
	}
	rep, err := s.env.Reports.BuildReport(r.Context(), actor(sess), &report.ReportOptions{
		Title: "CityLinks results as of " + s.today().String(), GroupBy: []report.Dim{report.DimPartnership}})
	if err != nil {
		return err
	}
	var b strings.Builder
	if err := rend.Render(&b, rep); err != nil {
		return err
	}
	w.Header().Set("Content-Type", ct)
	w.Header().Set("Cache-Control", "no-store")
	if format != "html" {
		w.Header().Set("Content-Disposition", `attachment; filename="report.`+format+`"`)
	}
	_, err = fmt.Fprint(w, b.String())
	return err
}
