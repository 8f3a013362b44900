package api

import (
	"bytes"
	"fmt"
	"io"
	"mime"
	"net/http"
	"strings"

	"github.com/citylinks/citylinks"
	"github.com/citylinks/citylinks/internal/errtext"
	"github.com/citylinks/citylinks/report"
	"github.com/citylinks/citylinks/report/render"
)

// ObservationsRequest is the body of POST /observations: the observations
// to record, all or nothing.
type ObservationsRequest struct {
	Observations []report.Observation `json:"observations"`
}

// Recorded is the answer to POST /observations.
type Recorded struct {
	Recorded int `json:"recorded"`
}

// ImportSummary is the answer to POST /observations/import.
type ImportSummary struct {
	Rows      int `json:"rows"`
	Added     int `json:"added"`
	Changed   int `json:"changed"`
	Unchanged int `json:"unchanged"`
}

// CommentRequest is the body of an approval transition: the comment of a
// return, the reason of an unlock (both required there), ignored by
// submit and approve.
type CommentRequest struct {
	Comment string `json:"comment,omitempty"`
}

func (h *Handler) listIndicators(rq *request) error {
	limit, cursor, err := rq.page()
	if err != nil {
		return err
	}
	if err := rq.reader(); err != nil {
		return err
	}
	ins, err := h.svc.Reports.Store().ListIndicators(rq.Context())
	if err != nil {
		return err
	}
	return rq.writeJSON(http.StatusOK, slicePage(ins, func(in report.Indicator) string { return in.Code }, limit, cursor))
}

func (h *Handler) getIndicator(rq *request) error {
	if err := rq.reader(); err != nil {
		return err
	}
	in, err := h.svc.Reports.Store().GetIndicator(rq.Context(), rq.PathValue("code"))
	if err != nil {
		return err
	}
	return rq.writeJSON(http.StatusOK, in)
}

func (h *Handler) putIndicator(rq *request) error {
	var in report.Indicator
	if err := rq.decode(&in); err != nil {
		return err
	}
	code := rq.PathValue("code")
	if in.Code == "" {
		in.Code = code
	}
	if in.Code != code {
		return &citylinks.ValidationError{Field: "code", Problem: fmt.Sprintf("%q is not the code of the path, %q", errtext.Clip(in.Code), errtext.Clip(code))}
	}
	if err := h.svc.Reports.DefineIndicator(rq.Context(), rq.actor, in); err != nil {
		return err
	}
	return rq.writeJSON(http.StatusOK, in)
}

func (h *Handler) listObservations(rq *request) error {
	limit, cursor, err := rq.page()
	if err != nil {
		return err
	}
	q := rq.URL.Query()
	f := report.ObservationFilter{Partnership: q.Get("partnership"), Indicator: q.Get("indicator"), After: cursor, Limit: limit}
	for _, k := range rq.list("kind") {
		f.Kinds = append(f.Kinds, report.Kind(k))
	}
	page, err := h.svc.Reports.Observations(rq.Context(), rq.actor, f)
	if err != nil {
		return err
	}
	return rq.writeJSON(http.StatusOK, List[report.Observation]{Items: nonNil(page.Items), Next: page.Next})
}

func (h *Handler) recordObservations(rq *request) error {
	var b ObservationsRequest
	if err := rq.decode(&b); err != nil {
		return err
	}
	if len(b.Observations) == 0 {
		return &citylinks.ValidationError{Field: "observations", Problem: "is empty"}
	}
	if err := h.svc.Reports.Record(rq.Context(), rq.actor, b.Observations...); err != nil {
		return err
	}
	return rq.writeJSON(http.StatusOK, Recorded{Recorded: len(b.Observations)})
}

// importObservations reads a CSV upload (text/csv) of observations, all or
// nothing. The body is read whole, up to Options.MaxUploadBytes, so that
// the import can read it again when the store retries its transaction.
func (h *Handler) importObservations(rq *request) error {
	if err := rq.contentType("text/csv"); err != nil {
		return err
	}
	b, err := io.ReadAll(http.MaxBytesReader(rq.w, rq.Body, rq.h.opts.MaxUploadBytes))
	if err != nil {
		return err
	}
	s, err := h.svc.Reports.ImportCSV(rq.Context(), rq.actor, bytes.NewReader(b))
	if err != nil {
		return err
	}
	return rq.writeJSON(http.StatusOK, ImportSummary(s))
}

// period reads the {period} path value: 2015, 2015-Q1, 2015-03 or
// 2015-01-01/2015-06-30 (with the slash escaped as %2F).
func (rq *request) period() (report.Period, error) {
	return report.ParsePeriod(rq.PathValue("period"))
}

func (h *Handler) getApproval(rq *request) error {
	p, err := rq.period()
	if err != nil {
		return err
	}
	a, err := h.svc.Reports.Approval(rq.Context(), rq.actor, rq.PathValue("id"), p)
	if err != nil {
		return err
	}
	return rq.writeJSON(http.StatusOK, a)
}

func (h *Handler) approvalHistory(rq *request) error {
	limit, cursor, err := rq.page()
	if err != nil {
		return err
	}
	p, err := rq.period()
	if err != nil {
		return err
	}
	evs, err := h.svc.Reports.History(rq.Context(), rq.actor, rq.PathValue("id"), p)
	if err != nil {
		return err
	}
	out, err := offsetPage(evs, limit, cursor)
	if err != nil {
		return err
	}
	return rq.writeJSON(http.StatusOK, out)
}

// transition returns the endpoint of one approval action.
func (h *Handler) transition(a report.Action) endpoint {
	return func(rq *request) error {
		p, err := rq.period()
		if err != nil {
			return err
		}
		var b CommentRequest
		if err := rq.decode(&b); err != nil {
			return err
		}
		id, ctx, svc := rq.PathValue("id"), rq.Context(), h.svc.Reports
		var ap report.Approval
		switch a {
		case report.ActionSubmit:
			ap, err = svc.Submit(ctx, rq.actor, id, p)
		case report.ActionApprove:
			ap, err = svc.Approve(ctx, rq.actor, id, p)
		case report.ActionReturn:
			ap, err = svc.Return(ctx, rq.actor, id, p, b.Comment)
		default:
			ap, err = svc.Unlock(ctx, rq.actor, id, p, b.Comment)
		}
		if err != nil {
			return err
		}
		return rq.writeJSON(http.StatusOK, ap)
	}
}

// activityFilter reads the activity filter parameters.
func (rq *request) activityFilter() report.ActivityFilter {
	q := rq.URL.Query()
	return report.ActivityFilter{Program: q.Get("program"), FocusArea: q.Get("focus_area"), Country: q.Get("country")}
}

func (h *Handler) due(rq *request) error {
	limit, cursor, err := rq.page()
	if err != nil {
		return err
	}
	asOf, err := rq.date("as_of")
	if err != nil {
		return err
	}
	opts := &report.DueOptions{AsOf: asOf, Filter: rq.activityFilter(), Schedule: report.Frequency(rq.URL.Query().Get("schedule"))}
	due, err := h.svc.Reports.Due(rq.Context(), rq.actor, opts)
	if err != nil {
		return err
	}
	out, err := offsetPage(due, limit, cursor)
	if err != nil {
		return err
	}
	return rq.writeJSON(http.StatusOK, out)
}

// formats maps media types to report formats, for Accept.
var formats = []struct{ media, format string }{
	{"application/json", "json"},
	{"text/csv", "csv"},
	{"text/markdown", "md"},
	{"text/html", "html"},
	{"application/xml", "iati"},
	{"text/xml", "iati"},
}

// mediaType returns the Content-Type of a report format.
func mediaType(format string) string {
	switch format {
	case "csv":
		return "text/csv; charset=utf-8"
	case "md", "markdown":
		return "text/markdown; charset=utf-8"
	case "html":
		return "text/html; charset=utf-8"
	case "iati":
		return "application/xml; charset=utf-8"
	}
	return "application/json"
}

// reportFormat picks the format: ?format= first, then the first Accept
// media type we render (q-values are honoured in order of preference;
// */* gives JSON), and JSON when there is no Accept.
func (rq *request) reportFormat() (string, error) {
	if f := rq.URL.Query().Get("format"); f != "" {
		return f, nil
	}
	accept := rq.Header.Get("Accept")
	if strings.TrimSpace(accept) == "" {
		return "json", nil
	}
	best, bestQ := "", 0.0
	for part := range strings.SplitSeq(accept, ",") {
		mt, params, err := mime.ParseMediaType(strings.TrimSpace(part))
		if err != nil {
			continue
		}
		q := 1.0
		if s, ok := params["q"]; ok {
			if _, err := fmt.Sscanf(s, "%g", &q); err != nil {
				continue
			}
		}
		f := ""
		switch {
		case mt == "*/*", mt == "application/*":
			f = "json"
		case mt == "text/*":
			f = "csv"
		default:
			for _, m := range formats {
				if m.media == mt {
					f = m.format
				}
			}
		}
		if f != "" && q > bestQ {
			best, bestQ = f, q
		}
	}
	if best == "" {
		return "", problemError(TypeNotAcceptable, http.StatusNotAcceptable,
			"the report is served as application/json, text/csv, text/markdown, text/html or application/xml (IATI); or ask with ?format=")
	}
	return best, nil
}

func (h *Handler) report(rq *request) error {
	format, err := rq.reportFormat()
	if err != nil {
		return err
	}
	renderer, err := render.For(format, h.opts.IATI, "")
	if err != nil {
		return err
	}
	if format == "iati" && h.opts.IATI.ReportingOrg.Ref == "" {
		return &citylinks.ValidationError{Field: "format", Problem: "iati needs the publisher's IATI organisation identifier, which this server does not configure"}
	}
	opts := &report.ReportOptions{Title: rq.URL.Query().Get("title"), Filter: rq.activityFilter()}
	for _, d := range rq.list("group_by") {
		opts.GroupBy = append(opts.GroupBy, report.Dim(d))
	}
	rep, err := h.svc.Reports.BuildReport(rq.Context(), rq.actor, opts)
	if err != nil {
		return err
	}
	var buf bytes.Buffer
	if err := renderer.Render(&buf, rep); err != nil {
		return err
	}
	hd := rq.w.Header()
	hd.Set("Content-Type", mediaType(format))
	hd.Set("X-Content-Type-Options", "nosniff")
	hd.Set("Vary", "Accept")
	if format == "html" {
		// The HTML report is self-contained: nothing to load, nothing to run.
		hd.Set("Content-Security-Policy", "default-src 'none'; style-src 'unsafe-inline'; img-src data:; sandbox")
	}
	rq.w.WriteHeader(http.StatusOK)
	rq.w.Write(buf.Bytes())
	return nil
}
