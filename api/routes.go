package api

import (
	"net/http"

	"github.com/citylinks/citylinks/report"
)

// route is one endpoint: its method and path pattern, and what the OpenAPI
// document says of it. Every route the handler serves is in the table
// routes returns, and register serves exactly those, so the document and
// the mux cannot drift apart.
type route struct {
	method, path string
	tag, summary string
	query        []param // query parameters
	body         any     // a value of the JSON body's type; nil for none
	csv          bool    // the body is text/csv
	out          any     // a value of the JSON response's type
	status       int     // the success status
	etag         bool    // the response carries the partnership's ETag
	ifMatch      bool    // the request needs If-Match
	formats      bool    // the response is a report in a negotiated format
	public       bool    // served without Options.Authenticate
	e            endpoint
}

// param is a query parameter.
type param struct {
	name, typ, doc string // typ: string, integer, date, array
}

var (
	pLimit  = param{"limit", "integer", "page size, 1 to 1000; defaults to 100"}
	pCursor = param{"cursor", "string", "the next value of the previous page"}
	paging  = []param{pLimit, pCursor}
)

func with(ps ...[]param) []param {
	var out []param
	for _, p := range ps {
		out = append(out, p...)
	}
	return out
}

// table returns every route.
func (h *Handler) table() []route {
	activity := []param{{"program", "string", "program id"}, {"focus_area", "string", "focus-area id"}, {"country", "string", "host country, ISO 3166-1 alpha-2"}}
	region := []param{{"country", "array", "ISO 3166-1 alpha-2 codes (repeat, or separate with commas)"}, {"m49", "string", "UN M49 region code or name"},
		{"name", "string", "keep names containing this text, ignoring case"}}
	rs := []route{
		{method: http.MethodGet, path: "/openapi.json", tag: "meta", summary: "This API's OpenAPI 3.1 document", out: map[string]any{}, status: http.StatusOK, public: true},

		{method: http.MethodGet, path: "/cities", tag: "directory", summary: "List cities, by region, population and name",
			query: with(region, []param{{"min_population", "integer", "at least this population"}, {"max_population", "integer", "at most this population"}}, paging),
			out:   List[City]{}, status: http.StatusOK, e: h.listCities},
		{method: http.MethodGet, path: "/cities/{id}", tag: "directory", summary: "Get a city", out: City{}, status: http.StatusOK, e: h.getCity},
		{method: http.MethodGet, path: "/organizations", tag: "directory", summary: "List organizations, by region, kind and name",
			query: with(region, []param{{"kind", "array", "organization kinds"}}, paging), out: List[Organization]{}, status: http.StatusOK, e: h.listOrganizations},
		{method: http.MethodGet, path: "/organizations/{id}", tag: "directory", summary: "Get an organization", out: Organization{}, status: http.StatusOK, e: h.getOrganization},

		{method: http.MethodGet, path: "/partnerships", tag: "partnerships", summary: "List the partnerships the actor may read (the directory)",
			query: with([]param{{"state", "array", "lifecycle states"}, {"program", "array", "program ids"}, {"focus_area", "array", "focus-area ids"},
				{"host_country", "array", "ISO alpha-2 codes of the first host party"}, {"organization", "array", "organizations that are parties"}}, paging),
			out: List[PartnershipSummary]{}, status: http.StatusOK, e: h.listPartnerships},
		{method: http.MethodPost, path: "/partnerships", tag: "partnerships", summary: "Propose a partnership",
			body: ProposeRequest{}, out: Partnership{}, status: http.StatusCreated, etag: true, e: h.propose},
		{method: http.MethodGet, path: "/partnerships/{id}", tag: "partnerships", summary: "Get a partnership's current state, with its version as the ETag",
			out: Partnership{}, status: http.StatusOK, etag: true, e: h.getPartnership},
		{method: http.MethodGet, path: "/partnerships/{id}/history", tag: "partnerships", summary: "A partnership's events, oldest first",
			query: paging, out: List[Event]{}, status: http.StatusOK, e: h.history},
		{method: http.MethodGet, path: "/partnerships/{id}/as-of", tag: "partnerships", summary: "A partnership's state as of a date, or as recorded at an instant",
			query: []param{{"date", "date", "the end of this calendar date"}, {"at", "string", "an RFC 3339 instant, instead of date"}},
			out:   Partnership{}, status: http.StatusOK, e: h.asOf},
		{method: http.MethodGet, path: "/partnerships/{id}/exchanges", tag: "partnerships", summary: "A partnership's exchange visits",
			query: paging, out: List[Exchange]{}, status: http.StatusOK, etag: true, e: records(h, func(p Partnership) []Exchange { return p.Exchanges })},
		{method: http.MethodGet, path: "/partnerships/{id}/contributions", tag: "partnerships", summary: "A partnership's contributions",
			query: paging, out: List[Contribution]{}, status: http.StatusOK, etag: true, e: records(h, func(p Partnership) []Contribution { return p.Contributions })},
	}
	rs = append(rs, h.commands()...)

	period := "/partnerships/{id}/periods/{period}"
	tr := func(a report.Action, summary string) route {
		return route{method: http.MethodPost, path: period + "/" + string(a), tag: "approval", summary: summary,
			body: CommentRequest{}, out: report.Approval{}, status: http.StatusOK, e: h.transition(a)}
	}
	rs = append(rs,
		route{method: http.MethodGet, path: "/indicators", tag: "outcomes", summary: "List the indicators", query: paging,
			out: List[report.Indicator]{}, status: http.StatusOK, e: h.listIndicators},
		route{method: http.MethodGet, path: "/indicators/{code}", tag: "outcomes", summary: "Get an indicator", out: report.Indicator{}, status: http.StatusOK, e: h.getIndicator},
		route{method: http.MethodPut, path: "/indicators/{code}", tag: "outcomes", summary: "Define or replace an indicator",
			body: report.Indicator{}, out: report.Indicator{}, status: http.StatusOK, e: h.putIndicator},
		route{method: http.MethodGet, path: "/observations", tag: "outcomes", summary: "List observations (a coordinator names its partnership)",
			query: with([]param{{"partnership", "string", "partnership id"}, {"indicator", "string", "indicator code"}, {"kind", "array", "baseline, target, actual"}}, paging),
			out:   List[report.Observation]{}, status: http.StatusOK, e: h.listObservations},
		route{method: http.MethodPost, path: "/observations", tag: "outcomes", summary: "Record observations, all or nothing",
			body: ObservationsRequest{}, out: Recorded{}, status: http.StatusOK, e: h.recordObservations},
		route{method: http.MethodPost, path: "/observations/import", tag: "outcomes", summary: "Import an observations CSV, all or nothing",
			csv: true, out: ImportSummary{}, status: http.StatusOK, e: h.importObservations},
		route{method: http.MethodGet, path: period, tag: "approval", summary: "The approval of a partnership's report for a period",
			out: report.Approval{}, status: http.StatusOK, e: h.getApproval},
		route{method: http.MethodGet, path: period + "/history", tag: "approval", summary: "The approval history of a period, oldest first",
			query: paging, out: List[report.ApprovalEvent]{}, status: http.StatusOK, e: h.approvalHistory},
		tr(report.ActionSubmit, "Submit a period's report for review"),
		tr(report.ActionApprove, "Approve a submitted report, which locks the period"),
		tr(report.ActionReturn, "Return a submitted report for revision, with a comment"),
		tr(report.ActionUnlock, "Unlock an approved period, with a reason"),
		route{method: http.MethodGet, path: "/due", tag: "approval", summary: "The reports that are overdue or due soon",
			query: with([]param{{"as_of", "date", "judge as of this date; defaults to today"}, {"schedule", "string", "monthly, quarterly or annual, instead of each partnership's own"}}, activity, paging),
			out:   List[report.DueReport]{}, status: http.StatusOK, e: h.due},
		route{method: http.MethodGet, path: "/report", tag: "outcomes", summary: "The results report, in the format of ?format= or Accept",
			query: with([]param{{"format", "string", "json, csv, md, html or iati"}, {"title", "string", "the report's title"},
				{"group_by", "array", "roll-up dimensions: program, focus-area, country, partnership, period, year, disaggregation:NAME"}}, activity),
			formats: true, status: http.StatusOK, e: h.report},
		route{method: http.MethodPost, path: "/matching/rounds", tag: "matching", summary: "Run a matching round, with the reasons for every unmatched city",
			body: RoundRequest{}, out: RoundResult{}, status: http.StatusOK, e: h.matchRound},
	)
	return rs
}

// register serves the table's routes.
func (h *Handler) register() error {
	h.routes = h.table()
	doc, err := h.openAPI()
	if err != nil {
		return err
	}
	h.doc = doc
	for i := range h.routes {
		rt := &h.routes[i]
		if rt.path == "/openapi.json" {
			h.mux.HandleFunc(rt.method+" "+rt.path, func(w http.ResponseWriter, r *http.Request) {
				w.Header().Set("Content-Type", "application/json")
				w.Write(doc)
			})
			continue
		}
		h.mux.Handle(rt.method+" "+rt.path, h.serve(rt.e))
	}
	return nil
}

// Routes returns the patterns the handler serves, such as
// "POST /partnerships/{id}/ratify", in the order of the OpenAPI document's
// source table: for a host's logs, metrics or its own router.
func (h *Handler) Routes() []string {
	out := make([]string, len(h.routes))
	for i, rt := range h.routes {
		out[i] = rt.method + " " + rt.path
	}
	return out
}
