package api_test

import (
	"encoding/json"
	"net/http"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/citylinks/citylinks/api"
	"github.com/citylinks/citylinks/partnership"
	pt "github.com/citylinks/citylinks/partnership/partnershiptest"
	"github.com/citylinks/citylinks/report"
)

// bodies are plausible bodies for the routes that read one, so that a
// refusal is the policy's and not the body's.
var bodies = map[string]any{
	"POST /partnerships/{id}/ratify":          api.RatifyRequest{Party: pt.Boulder, Body: "council"},
	"POST /partnerships/{id}/sign-agreement":  api.SignAgreementRequest{Signatories: []partnership.Signatory{{Party: pt.ICMA, Name: "S"}}, End: pt.D(2016, 3, 31)},
	"POST /partnerships/{id}/draft-work-plan": api.WorkPlanRequest{Plan: plan},
	"POST /partnerships/{id}/agree-work-plan": api.WorkPlanRequest{Plan: plan},
	"POST /partnerships/{id}/exchanges":       api.ExchangeRequest{Exchange: trip("x9")},
	"POST /partnerships/{id}/contributions": api.ContributionRequest{Contribution: partnership.Contribution{
		ID: "c9", Party: pt.Durban, Person: "D", Date: pt.D(2015, 6, 1), Minutes: 60}},
	"POST /partnerships/{id}/suspend":                 api.ReasonRequest{Reason: "r"},
	"POST /partnerships/{id}/decline":                 api.ReasonRequest{Reason: "r"},
	"POST /partnerships/{id}/terminate":               api.ReasonRequest{Reason: "r"},
	"POST /partnerships/{id}/extend":                  api.ExtendRequest{End: pt.D(2017, 1, 1), Reason: "r"},
	"POST /partnerships/{id}/periods/{period}/return": api.CommentRequest{Comment: "c"},
	"POST /partnerships/{id}/periods/{period}/unlock": api.CommentRequest{Comment: "c"},
}

// TestCoordinatorScope: a coordinator of an organization that is not a
// party to partnership p is refused on every route that reads or writes
// p, and nothing it tried is stored. Its own partnership's coordinator is
// let through on the reads.
func TestCoordinatorScope(t *testing.T) {
	eachBackend(t, func(t *testing.T, w *world) {
		w.active(t, "p")
		v := w.version(t, "p")
		n := 0
		for _, route := range w.h.Routes() {
			method, path, _ := strings.Cut(route, " ")
			if !strings.HasPrefix(path, "/partnerships/{id}") {
				continue
			}
			n++
			q := req{method: method, path: strings.NewReplacer("{id}", "p", "{period}", "2015-Q3").Replace(path), as: "durban",
				body: bodies[route], header: map[string]string{"If-Match": v}}
			if path == "/partnerships/{id}/as-of" {
				q.path += "?date=2015-06-01"
			}
			t.Run(route, func(t *testing.T) {
				r := w.do(t, q)
				require.Equal(t, http.StatusForbidden, r.status, "%s", r.body)
				assert.Equal(t, api.TypeForbidden, r.problem(t).Type)
				if method == http.MethodGet {
					q.as = "boulder"
					w.must(t, http.StatusOK, q)
				}
			})
		}
		assert.Equal(t, 24, n, "routes on one partnership")

		// The routes that name the partnership in the query or the body.
		for _, q := range []req{
			{method: "GET", path: "/observations?partnership=p"},
			{method: "GET", path: "/observations"},
			{method: "POST", path: "/observations", body: api.ObservationsRequest{Observations: []report.Observation{actual("p", 1)}}},
			{method: "POST", path: "/observations/import", contentType: "text/csv", body: "partnership,indicator,kind,period,value\np,CL-CLIM-02,actual,2015-Q3,1\n"},
		} {
			q.as = "durban"
			r := w.do(t, q)
			switch {
			case q.method == "GET" && q.path == "/observations":
				require.Equal(t, http.StatusUnprocessableEntity, r.status, "a coordinator must name its partnership: %s", r.body)
			case r.status == http.StatusUnprocessableEntity:
				// The import refuses the row as forbidden, row by row.
				p := r.problem(t)
				require.Equal(t, api.TypeImport, p.Type)
				assert.Contains(t, p.Rows[0].Detail, "forbidden")
			default:
				require.Equal(t, http.StatusForbidden, r.status, "%s %s: %s", q.method, q.path, r.body)
			}
		}
		var lists []json.RawMessage
		for _, path := range []string{"/partnerships", "/due", "/report?format=json"} {
			r := w.must(t, http.StatusOK, req{method: "GET", path: path, as: "durban"})
			lists = append(lists, r.body)
			assert.NotContains(t, string(r.body), `"p"`, "%s as another organization's coordinator", path)
		}
		assert.Equal(t, v, w.version(t, "p"), "nothing the other coordinator tried was stored")
		var obs api.List[report.Observation]
		w.must(t, http.StatusOK, req{method: "GET", path: "/observations?partnership=p", as: "facilitator"}).json(t, &obs)
		assert.Empty(t, obs.Items)
	})
}
