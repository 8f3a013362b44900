package api_test

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/citylinks/citylinks"
	"github.com/citylinks/citylinks/api"
	"github.com/citylinks/citylinks/handoff"
	"github.com/citylinks/citylinks/partnership"
	pt "github.com/citylinks/citylinks/partnership/partnershiptest"
	"github.com/citylinks/citylinks/report"
	"github.com/citylinks/citylinks/store/memory"
	"github.com/citylinks/citylinks/store/postgres/postgrestest"
	"github.com/citylinks/citylinks/store/sqlite"
	"github.com/citylinks/citylinks/store/storetest"
)

// The actors of the tests, by bearer token.
var actors = map[string]citylinks.Actor{
	"facilitator": pt.Facilitator,
	"funder":      pt.Actor(pt.USAIDIndia, citylinks.RoleFunder),
	"monitor":     pt.Actor(pt.ICMA, citylinks.RoleMonitor),
	"boulder":     pt.Actor(pt.Boulder, citylinks.RoleCoordinator), // a party to "p"
	"durban":      pt.Actor(pt.Durban, citylinks.RoleCoordinator),  // not a party to "p"
	"viewer":      {ID: "viewer@example.org", Roles: []citylinks.Role{citylinks.RoleViewer}},
}

// authenticate is the host's sign-in of the tests: a bearer token naming
// an actor.
func authenticate(r *http.Request) (citylinks.Actor, error) {
	tok, ok := strings.CutPrefix(r.Header.Get("Authorization"), "Bearer ")
	if a, found := actors[tok]; ok && found {
		return a, nil
	}
	return citylinks.Actor{}, errors.New("unknown token")
}

// now is the tests' clock: mid-2016, after the fixture's 2015 events.
var now = time.Date(2016, 6, 30, 12, 0, 0, 0, time.UTC)

// backends are the stores the handler tests run on.
var backends = []struct {
	name string
	open func(t testing.TB) storetest.Store
}{
	{"memory", func(testing.TB) storetest.Store { return memory.New() }},
	{"sqlite", func(t testing.TB) storetest.Store {
		db, err := sqlite.Open(filepath.Join(t.TempDir(), "api.db"))
		require.NoError(t, err)
		s := sqlite.New(db)
		t.Cleanup(func() { s.Close() })
		require.NoError(t, s.Migrate(t.Context()))
		return s
	}},
	{"postgres", func(t testing.TB) storetest.Store { return postgrestest.NewStore(t) }},
}

// eachBackend runs f on every backend.
func eachBackend(t *testing.T, f func(t *testing.T, w *world)) {
	for _, b := range backends {
		t.Run(b.name, func(t *testing.T) { f(t, newWorld(t, b.open(t), nil)) })
	}
}

// world is a handler over one store, served by httptest.
type world struct {
	t     testing.TB
	store storetest.Store
	h     *api.Handler
	srv   *httptest.Server
	logs  *bytes.Buffer
}

func newWorld(t testing.TB, store storetest.Store, opts *api.Options) *world {
	t.Helper()
	return newWorldSync(t, store, opts, true)
}

// newWorldSync is newWorld with or without the handoff to reporting after
// each partnership command.
func newWorldSync(t testing.TB, store storetest.Store, opts *api.Options, withSync bool) *world {
	t.Helper()
	ctx := t.Context()
	clock := func() time.Time { return now }
	rep := report.NewService(store, &report.Options{Now: clock})
	require.NoError(t, rep.DefineStarterCatalogue(ctx, pt.Facilitator))
	sync, err := handoff.NewSyncer(store, rep, &handoff.Options{Actor: pt.Facilitator})
	require.NoError(t, err)
	popts := &partnership.Options{Now: new(pt.Clock).Now, Results: rep}
	if withSync {
		popts.AfterAppend = sync.Appended
	}
	parts := partnership.NewService(store, popts)
	var o api.Options
	if opts != nil {
		o = *opts
	}
	logs := &bytes.Buffer{}
	o.Authenticate = authenticate
	o.Logger = slog.New(slog.NewTextHandler(logs, nil))
	h, err := api.New(api.Services{Partnerships: parts, Reports: rep, Directory: store}, &o)
	require.NoError(t, err)
	srv := httptest.NewServer(h)
	t.Cleanup(srv.Close)
	return &world{t: t, store: store, h: h, srv: srv, logs: logs}
}

// response is a response read whole.
type response struct {
	status int
	header http.Header
	body   []byte
}

// problem decodes a problem document.
func (r response) problem(t testing.TB) api.Problem {
	t.Helper()
	require.Equal(t, "application/problem+json", r.header.Get("Content-Type"), "body %s", r.body)
	var p api.Problem
	require.NoError(t, json.Unmarshal(r.body, &p), "%s", r.body)
	require.Equal(t, r.status, p.Status, "the problem's status is the response's")
	return p
}

// json decodes the body into v.
func (r response) json(t testing.TB, v any) {
	t.Helper()
	reflect.ValueOf(v).Elem().SetZero()
	require.NoError(t, json.Unmarshal(r.body, v), "%s", r.body)
}

// req is one request of a test.
type req struct {
	method, path, as string
	body             any // marshalled as JSON, or sent as is when []byte or string
	contentType      string
	header           map[string]string
}

func (w *world) do(t testing.TB, q req) response {
	t.Helper()
	var body io.Reader
	ct := q.contentType
	switch b := q.body.(type) {
	case nil:
	case string:
		body = strings.NewReader(b)
	case []byte:
		body = bytes.NewReader(b)
	default:
		j, err := json.Marshal(b)
		require.NoError(t, err)
		body = bytes.NewReader(j)
		if ct == "" {
			ct = "application/json"
		}
	}
	r, err := http.NewRequestWithContext(t.Context(), q.method, w.srv.URL+q.path, body)
	require.NoError(t, err)
	if ct != "" {
		r.Header.Set("Content-Type", ct)
	}
	if q.as != "" {
		r.Header.Set("Authorization", "Bearer "+q.as)
	}
	for k, v := range q.header {
		r.Header.Set(k, v)
	}
	res, err := w.srv.Client().Do(r)
	require.NoError(t, err)
	defer res.Body.Close()
	b, err := io.ReadAll(res.Body)
	require.NoError(t, err)
	return response{status: res.StatusCode, header: res.Header, body: b}
}

// must does q and requires the status.
func (w *world) must(t testing.TB, status int, q req) response {
	t.Helper()
	r := w.do(t, q)
	require.Equal(t, status, r.status, "%s %s as %s: %s", q.method, q.path, q.as, r.body)
	return r
}

// version returns a partnership's ETag.
func (w *world) version(t testing.TB, id string) string {
	t.Helper()
	return w.must(t, http.StatusOK, req{method: "GET", path: "/partnerships/" + id, as: "facilitator"}).header.Get("ETag")
}

// command gives a command at the partnership's current version.
func (w *world) command(t testing.TB, status int, id, action, as string, body any) response {
	t.Helper()
	return w.must(t, status, req{method: "POST", path: "/partnerships/" + id + "/" + action, as: as, body: body,
		header: map[string]string{"If-Match": w.version(t, id)}})
}

// plan is a work plan whose objective measures staff trained (CL-CLIM-02).
var plan = partnership.WorkPlan{
	Objectives: []partnership.Objective{{Code: "O1", Text: "Train municipal staff in climate adaptation", Indicators: []string{"CL-CLIM-02"}}},
	Exchanges:  []partnership.PlannedExchange{{From: pt.Boulder, To: pt.Shimla, Purpose: "first technical visit"}},
}

// proposal is Shimla–Boulder's proposal with id id.
func proposal(id string) api.ProposeRequest {
	return api.ProposeRequest{ID: id, Title: "Shimla–Boulder climate adaptation partnership", Program: citylinks.ProgramCityLinks2011,
		FocusArea: citylinks.FocusClimate, Parties: pt.ShimlaBoulder(), Start: pt.D(2015, 4, 1), End: pt.D(2016, 3, 31), On: pt.D(2015, 3, 23)}
}

// active proposes partnership id and walks it to active through the API.
func (w *world) active(t testing.TB, id string) {
	t.Helper()
	w.must(t, http.StatusCreated, req{method: "POST", path: "/partnerships", as: "facilitator", body: proposal(id)})
	w.command(t, http.StatusOK, id, "ratify", "facilitator", api.RatifyRequest{Party: pt.Boulder, Body: "Boulder City Council", On: pt.D(2015, 4, 7)})
	w.command(t, http.StatusOK, id, "sign-agreement", "facilitator", api.SignAgreementRequest{
		Signatories: []partnership.Signatory{{Party: pt.ICMA, Name: "ICMA signatory"}}, Start: pt.D(2015, 4, 1), End: pt.D(2016, 3, 31), On: pt.D(2015, 4, 20)})
	w.command(t, http.StatusOK, id, "agree-work-plan", "facilitator", api.WorkPlanRequest{Plan: plan, On: pt.D(2015, 5, 15)})
}

// trip is a done exchange of Boulder's to Shimla.
func trip(id string) partnership.Exchange {
	return partnership.Exchange{ID: id, From: pt.Boulder, To: pt.Shimla, Start: pt.D(2015, 6, 1), End: pt.D(2015, 6, 5),
		Purpose: "technical visit", Status: partnership.ExchangeDone}
}

// actual is an actual of staff trained in 2015-Q3 for partnership id.
func actual(id string, v float64) report.Observation {
	return report.Observation{Partnership: id, Indicator: "CL-CLIM-02", Kind: report.KindActual, Period: report.Quarter(2015, 3), Value: v}
}

func stringsReader(s string) io.Reader { return strings.NewReader(s) }
