package api_test

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/citylinks/citylinks"
	"github.com/citylinks/citylinks/api"
	"github.com/citylinks/citylinks/report"
	"github.com/citylinks/citylinks/store/storetest"
)

// TestErrors gives a request of each kind of error and checks the status,
// the problem type and what the problem says.
func TestErrors(t *testing.T) {
	eachBackend(t, func(t *testing.T, w *world) {
		w.active(t, "p")
		w.must(t, http.StatusOK, req{method: "POST", path: "/observations", as: "boulder", body: api.ObservationsRequest{Observations: []report.Observation{actual("p", 3)}}})
		w.must(t, http.StatusOK, req{method: "POST", path: "/partnerships/p/periods/2015-Q3/submit", as: "boulder"})
		w.must(t, http.StatusOK, req{method: "POST", path: "/partnerships/p/periods/2015-Q3/approve", as: "monitor"})
		badCountry := proposal("bad")
		badCountry.Parties[0].Country = "XX"
		v := w.version(t, "p")
		ifMatch := func(tag string) map[string]string { return map[string]string{"If-Match": tag} }
		cases := []struct {
			name   string
			q      req
			status int
			typ    string
			field  string
		}{
			{"validation", req{method: "POST", path: "/partnerships", as: "facilitator", body: badCountry}, 422, api.TypeValidation, "parties[0].country"},
			{"validation-type", req{method: "POST", path: "/partnerships", as: "facilitator", body: `{"title": 7}`}, 422, api.TypeValidation, "title"},
			{"validation-date", req{method: "POST", path: "/partnerships/p/suspend", as: "facilitator", body: `{"on": "2015-02-30"}`, header: ifMatch(v)}, 422, api.TypeValidation, ""},
			{"validation-limit", req{method: "GET", path: "/partnerships?limit=many", as: "facilitator"}, 422, api.TypeValidation, "limit"},
			{"validation-period", req{method: "GET", path: "/partnerships/p/periods/2015-Q9", as: "facilitator"}, 422, api.TypeValidation, "period"},
			{"validation-as-of", req{method: "GET", path: "/partnerships/p/as-of", as: "facilitator"}, 422, api.TypeValidation, "date"},
			{"validation-format", req{method: "GET", path: "/report?format=pdf", as: "monitor"}, 422, api.TypeValidation, "format"},
			{"validation-iati-unconfigured", req{method: "GET", path: "/report?format=iati", as: "monitor"}, 422, api.TypeValidation, "format"},
			{"bad-json", req{method: "POST", path: "/partnerships", as: "facilitator", body: `{"title": `}, 400, api.TypeBadRequest, ""},
			{"bad-syntax", req{method: "POST", path: "/partnerships", as: "facilitator", body: `{"title" "x"}`}, 400, api.TypeBadRequest, ""},
			{"unknown-field", req{method: "POST", path: "/partnerships", as: "facilitator", body: `{"titel": "x"}`}, 400, api.TypeBadRequest, ""},
			{"two-values", req{method: "POST", path: "/partnerships", as: "facilitator", body: `{} {}`}, 400, api.TypeBadRequest, ""},
			{"media-type", req{method: "POST", path: "/partnerships", as: "facilitator", body: `{}`, contentType: "text/plain"}, 415, api.TypeUnsupportedMediaType, ""},
			{"csv-media-type", req{method: "POST", path: "/observations/import", as: "boulder", body: `x`, contentType: "application/json"}, 415, api.TypeUnsupportedMediaType, ""},
			{"guard", req{method: "POST", path: "/partnerships/p/resume", as: "facilitator", header: ifMatch(v)}, 409, api.TypeGuard, ""},
			{"guard-closing", req{method: "POST", path: "/partnerships/p/start-closing", as: "facilitator", header: ifMatch(v)}, 409, api.TypeGuard, ""},
			{"forbidden", req{method: "POST", path: "/partnerships/p/ratify", as: "boulder", header: ifMatch(v)}, 403, api.TypeForbidden, ""},
			{"forbidden-approve", req{method: "POST", path: "/partnerships/p/periods/2015-Q4/approve", as: "boulder"}, 403, api.TypeForbidden, ""},
			{"forbidden-indicator", req{method: "PUT", path: "/indicators/X-1", as: "boulder", body: report.Indicator{Name: "x"}}, 403, api.TypeForbidden, ""},
			{"not-found", req{method: "GET", path: "/partnerships/none", as: "facilitator"}, 404, api.TypeNotFound, ""},
			{"not-found-command", req{method: "POST", path: "/partnerships/none/resume", as: "facilitator", header: ifMatch(`"3"`)}, 404, api.TypeNotFound, ""},
			{"not-found-city", req{method: "GET", path: "/cities/none", as: "viewer"}, 404, api.TypeNotFound, ""},
			{"not-found-indicator", req{method: "GET", path: "/indicators/NONE", as: "viewer"}, 404, api.TypeNotFound, ""},
			{"not-found-program", req{method: "POST", path: "/matching/rounds", as: "facilitator", body: api.RoundRequest{Program: "none"}}, 404, api.TypeNotFound, ""},
			{"no-route", req{method: "GET", path: "/nowhere", as: "facilitator"}, 404, api.TypeNotFound, ""},
			{"conflict", req{method: "POST", path: "/partnerships", as: "facilitator", body: proposal("p")}, 409, api.TypeConflict, ""},
			{"conflict-approval", req{method: "POST", path: "/partnerships/p/periods/2015-Q4/approve", as: "monitor"}, 409, api.TypeConflict, ""},
			{"locked", req{method: "POST", path: "/observations", as: "boulder", body: api.ObservationsRequest{Observations: []report.Observation{actual("p", 4)}}}, 409, api.TypeLocked, ""},
			{"stale", req{method: "POST", path: "/partnerships/p/suspend", as: "facilitator", header: ifMatch(`"2"`)}, 412, api.TypePreconditionFailed, ""},
			{"weak-etag", req{method: "POST", path: "/partnerships/p/suspend", as: "facilitator", header: ifMatch("W/" + v)}, 412, api.TypePreconditionFailed, ""},
			{"if-match-missing", req{method: "POST", path: "/partnerships/p/suspend", as: "facilitator"}, 428, api.TypePreconditionRequired, ""},
			{"not-acceptable", req{method: "GET", path: "/report", as: "monitor", header: map[string]string{"Accept": "image/png"}}, 406, api.TypeNotAcceptable, ""},
			{"unauthenticated", req{method: "GET", path: "/partnerships"}, 401, api.TypeUnauthenticated, ""},
			{"wrong-token", req{method: "GET", path: "/partnerships", as: "mallory"}, 401, api.TypeUnauthenticated, ""},
			{"method", req{method: "DELETE", path: "/partnerships/p", as: "facilitator"}, 405, api.TypeMethodNotAllowed, ""},
			{"import", req{method: "POST", path: "/observations/import", as: "boulder", contentType: "text/csv",
				body: "partnership,indicator,kind,period,value\np,CL-CLIM-02,actual,2015-Q4,1\np,CL-CLIM-02,actual,2015-Q4,lots\n"}, 422, api.TypeImport, ""},
		}
		for _, tc := range cases {
			t.Run(tc.name, func(t *testing.T) {
				if s, ok := tc.q.body.(string); ok && tc.q.contentType == "" {
					tc.q.body, tc.q.contentType = []byte(s), "application/json"
				}
				r := w.do(t, tc.q)
				require.Equal(t, tc.status, r.status, "%s", r.body)
				p := r.problem(t)
				assert.Equal(t, tc.typ, p.Type)
				assert.Equal(t, http.StatusText(tc.status), p.Title)
				assert.Equal(t, strings.SplitN(tc.q.path, "?", 2)[0], p.Instance)
				if tc.field != "" {
					assert.Equal(t, tc.field, p.Field, "detail %q", p.Detail)
				}
				assert.Empty(t, r.header.Get("ETag"), "a problem carries no ETag")
				switch tc.name {
				case "stale":
					assert.EqualValues(t, 4, p.Version, "a 412 tells the current version")
				case "unauthenticated":
					assert.Equal(t, `Bearer realm="citylinks"`, r.header.Get("WWW-Authenticate"))
				case "method":
					assert.Equal(t, "GET, HEAD", r.header.Get("Allow"))
				case "import":
					require.Len(t, p.Rows, 1)
					assert.Equal(t, 3, p.Rows[0].Line)
					assert.Equal(t, "value", p.Rows[0].Field)
				case "guard":
					assert.Contains(t, p.Detail, "not suspended")
				}
			})
		}
		assert.Equal(t, v, w.version(t, "p"), "no refused command changed the partnership")
	})
}

// TestLimits: bodies over the limits are refused with 413, whatever their
// Content-Length says, and a request past its time gets 503.
func TestLimits(t *testing.T) {
	w := newWorld(t, backends[0].open(t), &api.Options{MaxBodyBytes: 1 << 10, MaxUploadBytes: 2 << 10})
	big := proposal("big")
	big.Notes = strings.Repeat("n", 2<<10)
	r := w.do(t, req{method: "POST", path: "/partnerships", as: "facilitator", body: big})
	require.Equal(t, http.StatusRequestEntityTooLarge, r.status, "%s", r.body)
	assert.Equal(t, api.TypeTooLarge, r.problem(t).Type)
	csv := "partnership,indicator,kind,period,value\n" + strings.Repeat("p,CL-CLIM-02,actual,2015-Q3,1\n", 200)
	r = w.do(t, req{method: "POST", path: "/observations/import", as: "boulder", body: csv, contentType: "text/csv"})
	require.Equal(t, http.StatusRequestEntityTooLarge, r.status, "%s", r.body)
	assert.Equal(t, api.TypeTooLarge, r.problem(t).Type)

	slow := newWorld(t, backends[0].open(t), &api.Options{Timeout: time.Nanosecond})
	r = slow.do(t, req{method: "GET", path: "/partnerships", as: "facilitator"})
	require.Equal(t, http.StatusServiceUnavailable, r.status, "%s", r.body)
	assert.Equal(t, api.TypeUnavailable, r.problem(t).Type)
}

// panicky is a store whose city list panics.
type panicky struct{ storetest.Store }

func (panicky) ListCities(context.Context, citylinks.CityFilter) (citylinks.Page[citylinks.City], error) {
	panic("the city index is corrupt")
}

// failing is a store whose city lookups fail with an internal error.
type failing struct{ storetest.Store }

func (failing) GetCity(context.Context, string) (citylinks.City, error) {
	return citylinks.City{}, fmt.Errorf("disk on fire at /var/lib/secret")
}

// TestRecover: a panic in a request is a 500 problem, logged, and the
// server goes on serving; an internal error's text is logged, not sent.
func TestRecover(t *testing.T) {
	w := newWorld(t, panicky{backends[0].open(t)}, nil)
	r := w.do(t, req{method: "GET", path: "/cities", as: "viewer"})
	require.Equal(t, http.StatusInternalServerError, r.status)
	assert.Equal(t, api.TypeInternal, r.problem(t).Type)
	assert.NotContains(t, string(r.body), "corrupt")
	assert.Contains(t, w.logs.String(), "the city index is corrupt")
	w.must(t, http.StatusOK, req{method: "GET", path: "/partnerships", as: "viewer"})

	f := newWorld(t, failing{backends[0].open(t)}, nil)
	r = f.do(t, req{method: "GET", path: "/cities/x", as: "viewer"})
	require.Equal(t, http.StatusInternalServerError, r.status)
	assert.NotContains(t, string(r.body), "secret")
	assert.Contains(t, f.logs.String(), "disk on fire")
}

func TestNew(t *testing.T) {
	store := backends[0].open(t)
	_, err := api.New(api.Services{}, &api.Options{Authenticate: authenticate})
	assert.ErrorContains(t, err, "Services", "no services")
	_, err = api.New(api.Services{Directory: store}, nil)
	assert.ErrorContains(t, err, "Authenticate")
}
