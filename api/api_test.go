package api_test

import (
	"encoding/json"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/citylinks/citylinks"
	"github.com/citylinks/citylinks/api"
	"github.com/citylinks/citylinks/partnership"
	pt "github.com/citylinks/citylinks/partnership/partnershiptest"
	"github.com/citylinks/citylinks/report"
	"github.com/citylinks/citylinks/report/render"
)

// hits records which routes answered a request with success, by pattern.
type hits struct {
	mu   sync.Mutex
	mux  *http.ServeMux
	seen map[string]bool
}

// track wraps w's server so that each successful response marks its route.
func track(t *testing.T, w *world) *hits {
	hs := &hits{mux: http.NewServeMux(), seen: map[string]bool{}}
	for _, p := range w.h.Routes() {
		hs.mux.HandleFunc(p, func(http.ResponseWriter, *http.Request) {})
	}
	next := w.srv.Config.Handler
	w.srv.Config.Handler = http.HandlerFunc(func(rw http.ResponseWriter, r *http.Request) {
		rec := &statusWriter{ResponseWriter: rw}
		next.ServeHTTP(rec, r)
		if _, p := hs.mux.Handler(r); p != "" && rec.status < 400 {
			hs.mu.Lock()
			hs.seen[p] = true
			hs.mu.Unlock()
		}
	})
	return hs
}

type statusWriter struct {
	http.ResponseWriter
	status int
}

func (s *statusWriter) WriteHeader(c int) {
	if s.status == 0 {
		s.status = c
	}
	s.ResponseWriter.WriteHeader(c)
}

func (s *statusWriter) Write(b []byte) (int, error) {
	if s.status == 0 {
		s.status = http.StatusOK
	}
	return s.ResponseWriter.Write(b)
}

// seed stores the directory: two cities, their governments, a program.
func seed(t testing.TB, w *world) {
	t.Helper()
	ctx := t.Context()
	for _, c := range []citylinks.City{
		{ID: "1256237", Name: "Shimla", Country: "IN", Population: 173503, Location: &citylinks.LatLon{Lat: 31.10442, Lon: 77.16662}, TimeZone: "Asia/Kolkata",
			Needs: []citylinks.TopicLevel{{Topic: "climate-adaptation", Level: citylinks.LevelBasic}}},
		{ID: "5574991", Name: "Boulder", Country: "US", Population: 106803, Location: &citylinks.LatLon{Lat: 40.01499, Lon: -105.27055}, TimeZone: "America/Denver",
			Offers: []citylinks.TopicLevel{{Topic: "climate-adaptation", Level: citylinks.LevelAdvanced}}, Capacity: 1},
	} {
		require.NoError(t, w.store.CreateCity(ctx, c))
	}
	for _, o := range []citylinks.Organization{
		{ID: pt.Shimla, Name: "Shimla Municipal Corporation", Kind: citylinks.KindCity, Country: "IN", CityID: "1256237"},
		{ID: pt.Boulder, Name: "City of Boulder", Kind: citylinks.KindCity, Country: "US", CityID: "5574991"},
		{ID: pt.ICMA, Name: "ICMA", Kind: citylinks.KindFacilitator, Country: "US"},
	} {
		require.NoError(t, w.store.CreateOrganization(ctx, o))
	}
	for _, p := range citylinks.Programs() {
		require.NoError(t, w.store.CreateProgram(ctx, p))
	}
}

// TestEndpoints walks every route to a success on every backend, as the
// actor the library's policy allows, and checks what each returns.
func TestEndpoints(t *testing.T) {
	for _, b := range backends {
		t.Run(b.name, func(t *testing.T) {
			w := newWorld(t, b.open(t), &api.Options{IATI: render.IATI{ReportingOrg: render.IATIOrg{Ref: "US-EIN-000000000", Type: "21", Name: "ICMA"}}})
			hs := track(t, w)
			seed(t, w)
			walk(t, w)
			for _, p := range w.h.Routes() {
				assert.True(t, hs.seen[p], "no successful request to %s", p)
			}
		})
	}
}

func walk(t *testing.T, w *world) {
	doc := w.must(t, http.StatusOK, req{method: "GET", path: "/openapi.json"})
	assert.Equal(t, "application/json", doc.header.Get("Content-Type"))

	// Directory.
	var cities api.List[api.City]
	w.must(t, http.StatusOK, req{method: "GET", path: "/cities?country=IN", as: "viewer"}).json(t, &cities)
	require.Len(t, cities.Items, 1)
	assert.Equal(t, "Shimla", cities.Items[0].Name)
	w.must(t, http.StatusOK, req{method: "GET", path: "/cities?name=BOUL&limit=1", as: "boulder"}).json(t, &cities)
	require.Len(t, cities.Items, 1, "search by name ignores case")
	assert.Equal(t, "5574991", cities.Items[0].ID)
	w.must(t, http.StatusOK, req{method: "GET", path: "/cities?min_population=150000", as: "viewer"}).json(t, &cities)
	assert.Len(t, cities.Items, 1)
	var city api.City
	w.must(t, http.StatusOK, req{method: "GET", path: "/cities/1256237", as: "viewer"}).json(t, &city)
	assert.Equal(t, int64(173503), city.Population)
	var orgs api.List[api.Organization]
	w.must(t, http.StatusOK, req{method: "GET", path: "/organizations?kind=city&limit=1", as: "viewer"}).json(t, &orgs)
	require.Len(t, orgs.Items, 1)
	assert.NotEmpty(t, orgs.Next, "a first page of two has a cursor")
	w.must(t, http.StatusOK, req{method: "GET", path: "/organizations?kind=city&limit=1&cursor=" + orgs.Next, as: "viewer"}).json(t, &orgs)
	require.Len(t, orgs.Items, 1)
	assert.Equal(t, pt.Shimla, orgs.Items[0].ID, "the second page starts after the cursor")
	var org api.Organization
	w.must(t, http.StatusOK, req{method: "GET", path: "/organizations/" + pt.Boulder, as: "viewer"}).json(t, &org)
	assert.Equal(t, "City of Boulder", org.Name)

	// The lifecycle, with ETags.
	created := w.must(t, http.StatusCreated, req{method: "POST", path: "/partnerships", as: "facilitator", body: proposal("p")})
	assert.Equal(t, `"1"`, created.header.Get("ETag"))
	assert.Equal(t, "partnerships/p", created.header.Get("Location"))
	w.command(t, http.StatusOK, "p", "ratify", "facilitator", api.RatifyRequest{Party: pt.Boulder, Body: "Boulder City Council", On: pt.D(2015, 4, 7)})
	w.command(t, http.StatusOK, "p", "sign-agreement", "funder", api.SignAgreementRequest{
		Signatories: []partnership.Signatory{{Party: pt.ICMA, Name: "ICMA signatory"}}, Start: pt.D(2015, 4, 1), End: pt.D(2016, 3, 31), On: pt.D(2015, 4, 20)})
	w.command(t, http.StatusOK, "p", "draft-work-plan", "boulder", api.WorkPlanRequest{Plan: plan, On: pt.D(2015, 5, 1)})
	var p api.Partnership
	w.command(t, http.StatusOK, "p", "agree-work-plan", "facilitator", api.WorkPlanRequest{On: pt.D(2015, 5, 15)}).json(t, &p)
	assert.Equal(t, partnership.StateActive, p.State, "agreeing the draft makes the partnership active")
	require.NotNil(t, p.WorkPlan)
	assert.Equal(t, plan.Objectives, p.WorkPlan.Objectives)
	w.command(t, http.StatusOK, "p", "exchanges", "boulder", api.ExchangeRequest{Exchange: trip("x1")}).json(t, &p)
	require.Len(t, p.Exchanges, 1)
	assert.Equal(t, pt.Boulder, p.Exchanges[0].Owner)
	assert.Equal(t, partnership.ToHost, p.Exchanges[0].Direction, "the direction is filled in")
	w.command(t, http.StatusOK, "p", "contributions", "boulder", api.ContributionRequest{Contribution: partnership.Contribution{
		ID: "c1", Party: pt.Boulder, Person: "A. Expert", Date: pt.D(2015, 6, 5), Minutes: 600}})

	got := w.must(t, http.StatusOK, req{method: "GET", path: "/partnerships/p", as: "boulder"})
	got.json(t, &p)
	assert.Equal(t, `"7"`, got.header.Get("ETag"))
	assert.EqualValues(t, 7, p.Version)
	w.must(t, http.StatusNotModified, req{method: "GET", path: "/partnerships/p", as: "boulder", header: map[string]string{"If-None-Match": `"7"`}})

	var xs api.List[api.Exchange]
	w.must(t, http.StatusOK, req{method: "GET", path: "/partnerships/p/exchanges", as: "boulder"}).json(t, &xs)
	assert.Equal(t, "x1", xs.Items[0].ID)
	var cs api.List[api.Contribution]
	w.must(t, http.StatusOK, req{method: "GET", path: "/partnerships/p/contributions", as: "monitor"}).json(t, &cs)
	assert.EqualValues(t, 600, cs.Items[0].Minutes)

	var hist api.List[json.RawMessage]
	w.must(t, http.StatusOK, req{method: "GET", path: "/partnerships/p/history?limit=3", as: "boulder"}).json(t, &hist)
	require.Len(t, hist.Items, 3)
	assert.Equal(t, "3", hist.Next)
	w.must(t, http.StatusOK, req{method: "GET", path: "/partnerships/p/history?cursor=" + hist.Next, as: "boulder"}).json(t, &hist)
	require.Len(t, hist.Items, 4)
	assert.Empty(t, hist.Next)
	var ev struct {
		Version int64  `json:"version"`
		Kind    string `json:"kind"`
	}
	require.NoError(t, json.Unmarshal(hist.Items[0], &ev))
	assert.Equal(t, int64(4), ev.Version)
	assert.Equal(t, "work-plan-drafted", ev.Kind)

	var then api.Partnership
	w.must(t, http.StatusOK, req{method: "GET", path: "/partnerships/p/as-of?date=2015-04-10", as: "boulder"}).json(t, &then)
	assert.Equal(t, partnership.StateProposed, then.State, "as of 10 April 2015 the agreement was not signed")
	w.must(t, http.StatusOK, req{method: "GET", path: "/partnerships/p/as-of?at=" + url.QueryEscape(p.CreatedAt.Format("2006-01-02T15:04:05.999999999Z07:00")), as: "boulder"}).json(t, &then)
	assert.EqualValues(t, 1, then.Version, "as recorded at the first event")

	var list api.List[api.PartnershipSummary]
	w.must(t, http.StatusOK, req{method: "GET", path: "/partnerships?state=active", as: "boulder"}).json(t, &list)
	require.Len(t, list.Items, 1)
	assert.Equal(t, "p", list.Items[0].ID)

	// Indicators.
	in := report.Indicator{Code: "X-TEST-1", Name: "Plans adopted", Unit: "plans", Measure: report.MeasureUnit, Direction: report.Increase,
		Aggregation: report.Sum, FocusArea: citylinks.FocusClimate}
	w.must(t, http.StatusOK, req{method: "PUT", path: "/indicators/X-TEST-1", as: "monitor", body: in})
	var gotIn report.Indicator
	w.must(t, http.StatusOK, req{method: "GET", path: "/indicators/X-TEST-1", as: "boulder"}).json(t, &gotIn)
	assert.Equal(t, in, gotIn)
	var ins api.List[report.Indicator]
	w.must(t, http.StatusOK, req{method: "GET", path: "/indicators?limit=2", as: "viewer"}).json(t, &ins)
	assert.Len(t, ins.Items, 2)
	assert.Equal(t, ins.Items[1].Code, ins.Next)

	// Observations: JSON and CSV.
	var rec api.Recorded
	w.must(t, http.StatusOK, req{method: "POST", path: "/observations", as: "boulder", body: api.ObservationsRequest{Observations: []report.Observation{actual("p", 12)}}}).json(t, &rec)
	assert.Equal(t, 1, rec.Recorded)
	csv := "partnership,indicator,kind,period,value\np,CL-CLIM-02,target,2015,20\np,CL-CLIM-02,actual,2016-Q1,9\n"
	var sum api.ImportSummary
	w.must(t, http.StatusOK, req{method: "POST", path: "/observations/import", as: "boulder", body: csv, contentType: "text/csv"}).json(t, &sum)
	assert.Equal(t, api.ImportSummary{Rows: 2, Added: 2}, sum)
	var obs api.List[report.Observation]
	w.must(t, http.StatusOK, req{method: "GET", path: "/observations?partnership=p&kind=actual", as: "boulder"}).json(t, &obs)
	assert.Len(t, obs.Items, 2)

	// Approval: submit, return with a comment, submit, approve, unlock.
	q3 := "/partnerships/p/periods/2015-Q3"
	var ap report.Approval
	w.must(t, http.StatusOK, req{method: "GET", path: q3, as: "boulder"}).json(t, &ap)
	assert.Equal(t, report.StateDraft, ap.State)
	w.must(t, http.StatusOK, req{method: "POST", path: q3 + "/submit", as: "boulder"})
	w.must(t, http.StatusOK, req{method: "POST", path: q3 + "/return", as: "monitor", body: api.CommentRequest{Comment: "source missing"}}).json(t, &ap)
	assert.Equal(t, report.StateReturned, ap.State)
	assert.Equal(t, "source missing", ap.Comment)
	w.must(t, http.StatusOK, req{method: "POST", path: q3 + "/submit", as: "boulder"})
	w.must(t, http.StatusOK, req{method: "POST", path: q3 + "/approve", as: "monitor"}).json(t, &ap)
	assert.Equal(t, report.StateApproved, ap.State)
	w.must(t, http.StatusOK, req{method: "POST", path: q3 + "/unlock", as: "monitor", body: api.CommentRequest{Comment: "typo in the count"}})
	w.must(t, http.StatusOK, req{method: "POST", path: q3 + "/submit", as: "boulder"})
	w.must(t, http.StatusOK, req{method: "POST", path: q3 + "/approve", as: "monitor"})
	var aph api.List[report.ApprovalEvent]
	w.must(t, http.StatusOK, req{method: "GET", path: q3 + "/history", as: "boulder"}).json(t, &aph)
	require.Len(t, aph.Items, 7)
	assert.Equal(t, report.ActionUnlock, aph.Items[4].Action)

	var due api.List[report.DueReport]
	w.must(t, http.StatusOK, req{method: "GET", path: "/due?as_of=2016-01-15", as: "boulder"}).json(t, &due)
	require.NotEmpty(t, due.Items, "quarters before Q3 2015 are overdue on 15 January 2016")
	for _, d := range due.Items {
		assert.Equal(t, "p", d.Partnership)
		assert.NotEqual(t, "2015-Q3", d.Period.String(), "an approved quarter is not due")
	}

	// Reports in every format, by ?format= and by Accept.
	for _, tc := range []struct{ format, accept, media, has string }{
		{"json", "", "application/json", `"CL-CLIM-02"`},
		{"", "text/csv", "text/csv; charset=utf-8", "CL-CLIM-02"},
		{"", "text/markdown;q=0.9, text/plain;q=0.1", "text/markdown; charset=utf-8", "CL-CLIM-02"},
		{"html", "", "text/html; charset=utf-8", "<svg"},
		{"", "application/xml", "application/xml; charset=utf-8", "<iati-activities"},
		{"", "*/*", "application/json", `"activities"`},
	} {
		r := w.must(t, http.StatusOK, req{method: "GET", path: "/report?format=" + tc.format, as: "monitor", header: map[string]string{"Accept": tc.accept}})
		assert.Equal(t, tc.media, r.header.Get("Content-Type"), "format %q accept %q", tc.format, tc.accept)
		assert.Contains(t, string(r.body), tc.has, "format %q accept %q", tc.format, tc.accept)
	}

	// Closing and completing: the final quarter approved first.
	w.command(t, http.StatusOK, "p", "start-closing", "facilitator", api.DateRequest{On: pt.D(2016, 3, 31)})
	q1 := "/partnerships/p/periods/2016-Q1"
	w.must(t, http.StatusOK, req{method: "POST", path: q1 + "/submit", as: "boulder"})
	w.must(t, http.StatusOK, req{method: "POST", path: q1 + "/approve", as: "monitor"})
	w.command(t, http.StatusOK, "p", "complete", "facilitator", api.DateRequest{On: pt.D(2016, 4, 30)}).json(t, &p)
	assert.Equal(t, partnership.StateCompleted, p.State)

	// Suspend, resume, extend and terminate on a second partnership;
	// decline a third.
	w.active(t, "q")
	w.command(t, http.StatusOK, "q", "suspend", "facilitator", api.ReasonRequest{Reason: "elections", On: pt.D(2015, 6, 1)})
	w.command(t, http.StatusOK, "q", "resume", "facilitator", api.DateRequest{On: pt.D(2015, 7, 1)})
	w.command(t, http.StatusOK, "q", "extend", "facilitator", api.ExtendRequest{End: pt.D(2016, 9, 30), Reason: "late start", On: pt.D(2015, 8, 1)}).json(t, &p)
	assert.Equal(t, pt.D(2016, 9, 30), p.End)
	w.command(t, http.StatusOK, "q", "terminate", "funder", api.ReasonRequest{Reason: "funding ended", On: pt.D(2015, 9, 1)}).json(t, &p)
	assert.Equal(t, partnership.StateTerminated, p.State)
	w.must(t, http.StatusCreated, req{method: "POST", path: "/partnerships", as: "facilitator", body: proposal("r")})
	w.command(t, http.StatusOK, "r", "decline", "facilitator", api.ReasonRequest{Reason: "not eligible", On: pt.D(2015, 4, 1)})

	// A matching round: Boulder has no capacity left (it is partnered),
	// or is proposed; either way every city is accounted for.
	var round api.RoundResult
	w.must(t, http.StatusOK, req{method: "POST", path: "/matching/rounds", as: "facilitator", body: api.RoundRequest{
		Program: citylinks.ProgramCityLinks2011, FocusArea: citylinks.FocusClimate, AsOf: pt.D(2015, 3, 1),
		Hosts: []api.RoundParty{{City: "1256237"}}, Resources: []api.RoundParty{{City: "5574991", Organization: pt.Boulder}}}}).json(t, &round)
	assert.Equal(t, 2, 2*len(round.Proposals)+len(round.Unmatched), "every city is proposed or explained: %+v", round)
	for _, p := range round.Proposals {
		assert.NotEmpty(t, p.Explanation)
	}
	for _, u := range round.Unmatched {
		assert.NotEmpty(t, u.Reasons, "unmatched %s has reasons", u.City)
	}
	_ = strings.TrimSpace
}
