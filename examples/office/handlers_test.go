package main

import (
	"bytes"
	"context"
	"encoding/json"
	"html/template"
	"net/http"
	"net/url"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/citylinks/citylinks"
	"github.com/citylinks/citylinks/internal/hostile"
	"github.com/citylinks/citylinks/partnership"
	"github.com/citylinks/citylinks/report"
)

func TestSignIn(t *testing.T) {
	a := newTestApp(t)
	b := a.browser(t)
	code, body := b.get("/partnerships")
	assert.Equal(t, http.StatusOK, code)
	assert.Contains(t, body, `action="/signin"`, "a page needs sign-in: the browser lands on the sign-in form")

	code, body = b.post("/signin", url.Values{"id": {lee.id}, "password": {"wrong"}})
	assert.Equal(t, http.StatusUnauthorized, code)
	assert.Contains(t, body, "unknown user or wrong password")
	code, body = b.post("/signin", url.Values{"id": {"nobody@x"}, "password": {"lee-demo"}})
	assert.Equal(t, http.StatusUnauthorized, code)
	assert.Contains(t, body, "unknown user or wrong password", "an unknown user gets the same answer")

	// The session cookie: HttpOnly, SameSite, and a new id on sign-in.
	before := sessionID(t, b)
	b.signIn(lee)
	after := sessionID(t, b)
	assert.NotEqual(t, before, after, "signing in starts a new session")
	// Signed in: the header names the user; signing out ends the session.
	code, body = b.get("/partnerships")
	require.Equal(t, http.StatusOK, code)
	assert.Contains(t, body, "Lee (Fort Collins coordinator)")
	// Another browser's sign-in, read without following the redirect.
	o := a.browser(t)
	o.get("/signin")
	req, _ := http.NewRequest(http.MethodPost, a.srv.URL+"/signin", strings.NewReader(url.Values{"csrf": {o.csrf}, "id": {lee.id}, "password": {lee.password}}.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	for _, c := range o.c.Jar.Cookies(req.URL) {
		req.AddCookie(c)
	}
	resp, err := http.DefaultTransport.RoundTrip(req)
	require.NoError(t, err)
	resp.Body.Close()
	require.Equal(t, http.StatusSeeOther, resp.StatusCode)
	set := resp.Header.Values("Set-Cookie")
	require.NotEmpty(t, set)
	last := set[len(set)-1]
	assert.Contains(t, last, "HttpOnly")
	assert.Contains(t, last, "SameSite=Lax")

	code, _ = b.post("/signout", nil)
	assert.Equal(t, http.StatusOK, code)
	_, body = b.get("/partnerships")
	assert.Contains(t, body, `action="/signin"`, "signed out")
}

// sessionID is the browser's session cookie.
func sessionID(t *testing.T, b *browser) string {
	t.Helper()
	u, _ := url.Parse(b.app.srv.URL)
	for _, c := range b.c.Jar.Cookies(u) {
		if c.Name == sessionCookie {
			return c.Value
		}
	}
	return ""
}

// TestCSRF: every POST without the session's token, or with another, is
// refused and stores nothing.
func TestCSRF(t *testing.T) {
	a := newTestApp(t)
	b := a.signedIn(t, lee)
	other := a.signedIn(t, kim) // a token of another session
	posts := []struct {
		path string
		form url.Values
	}{
		{"/signin", url.Values{"id": {lee.id}, "password": {lee.password}}},
		{"/signout", nil},
		{"/partnerships/" + cusco + "/commands", url.Values{"action": {"record-exchange"}, "from": {"city-5577147"}, "to": {"city-3941584"},
			"start": {"2016-02-01"}, "end": {"2016-02-05"}, "status": {"planned"}, "purpose": {"forged"}}},
		{"/partnerships/" + cusco + "/observations", url.Values{"indicator": {"CL-CLIM-02"}, "kind": {"actual"}, "period": {"2015-Q4"}, "value": {"99"}}},
		{"/approvals", url.Values{"partnership": {cusco}, "period": {"2015-Q4"}, "action": {"submit"}}},
		{"/outcomes/upload", nil},
	}
	for _, p := range posts {
		for name, token := range map[string][]string{"without a token": nil, "with another session's token": {other.csrf}, "with an empty token": {""}} {
			t.Run(p.path+" "+name, func(t *testing.T) {
				f := url.Values{}
				for k, v := range p.form {
					f[k] = v
				}
				if token != nil {
					f["csrf"] = token
				}
				code, body := b.postRaw(p.path, f)
				assert.Equal(t, http.StatusForbidden, code)
				assert.Contains(t, body, "security token")
			})
		}
	}
	// Nothing was stored, and the session still works.
	p, err := a.store.LoadPartnership(t.Context(), cusco)
	require.NoError(t, err)
	assert.Len(t, p, 7, "no exchange recorded")
	obs, err := a.store.ListObservations(t.Context(), report.ObservationFilter{Partnership: cusco, Limit: citylinks.MaxPageSize})
	require.NoError(t, err)
	for _, o := range obs.Items {
		assert.NotEqual(t, 99.0, o.Value)
	}
	code, _ := b.get("/partnerships/" + cusco)
	assert.Equal(t, http.StatusOK, code, "still signed in")

	// A multipart upload without a token is refused too.
	b.csrf = "forged"
	code, body := b.upload("/outcomes/upload", "obs.csv", "partnership,indicator,kind,period,value\n"+cusco+",CL-CLIM-02,actual,2015-Q4,5\n", nil)
	assert.Equal(t, http.StatusForbidden, code)
	assert.Contains(t, body, "security token")
}

var partnershipLink = regexp.MustCompile(`<a href="/partnerships/([^"/?]+)">`)

// TestCoordinatorSeesOwnPartnershipsOnly: the directory, the queue, due
// reports and the donor report hold only the coordinator's partnerships;
// every page and form of another organization's partnership is refused.
func TestCoordinatorSeesOwnPartnershipsOnly(t *testing.T) {
	a := newTestApp(t)
	b := a.signedIn(t, lee)
	_, body := b.get("/partnerships")
	var listed []string
	for _, m := range partnershipLink.FindAllStringSubmatch(body, -1) {
		id, _ := url.PathUnescape(m[1])
		listed = append(listed, id)
	}
	assert.Equal(t, []string{cusco}, listed, "Fort Collins is a party to one partnership")
	assert.Equal(t, 1, strings.Count(body, `<g class="pair"`), "one pair on the map")
	// Equirectangular, 2 px a degree: Cusco (13.52°S 71.97°W) and Fort
	// Collins (40.59°N 105.08°W).
	assert.Regexp(t, `<line x1="216\.0\d*" y1="207\.0\d*" x2="149\.8\d*" y2="98\.8\d*"`, body, "the line runs from Cusco to Fort Collins")

	// The library's own answer, for the record.
	page, err := partnership.NewService(a.store, nil).List(t.Context(), actorOf(t, lee), partnership.Filter{})
	require.NoError(t, err)
	require.Len(t, page.Items, 1)
	assert.Equal(t, cusco, page.Items[0].ID)

	for _, other := range []string{danang, shimla} {
		for _, path := range []string{"/partnerships/" + other, "/partnerships/" + other + "/outcomes", "/partnerships/" + other + "?as_of=2016-01-01"} {
			code, body := b.get(path)
			assert.Equal(t, http.StatusForbidden, code, path)
			assert.Contains(t, body, "city-5577147", "the refusal says why")
		}
		for _, post := range []struct {
			path string
			form url.Values
		}{
			{"/partnerships/" + other + "/commands", url.Values{"action": {"record-exchange"}, "from": {"city-5577147"}, "to": {"city-4574324"}, "start": {"2016-02-01"}, "end": {"2016-02-05"}, "status": {"planned"}, "purpose": {"x"}}},
			{"/partnerships/" + other + "/commands", url.Values{"action": {"record-contribution"}, "party": {"city-5577147"}, "person": {"x"}, "hours": {"2"}, "on": {"2016-01-01"}}},
			{"/partnerships/" + other + "/observations", url.Values{"indicator": {"CL-CLIM-02"}, "kind": {"actual"}, "period": {"2015-Q4"}, "value": {"3"}}},
			{"/approvals", url.Values{"partnership": {other}, "period": {"2015-Q4"}, "action": {"submit"}}},
		} {
			code, _ := b.post(post.path, post.form)
			assert.Equal(t, http.StatusForbidden, code, "%s %v", post.path, post.form)
		}
		code, _ := b.upload("/outcomes/upload", "o.csv", "partnership,indicator,kind,period,value\n"+other+",CL-CLIM-02,actual,2015-Q4,5\n", nil)
		assert.Equal(t, http.StatusForbidden, code, "an import of another's partnership stores nothing")
		assert.Equal(t, 7+0, mustVersion(t, a, cusco))
	}

	_, due := b.get("/due")
	_, queue := b.get("/approvals")
	_, rep := b.get("/report")
	for _, other := range []string{danang, shimla, "CL11-DUR-FTL"} {
		assert.NotContains(t, due, other, "due reports")
		assert.NotContains(t, queue, other, "approval queue")
		assert.NotContains(t, rep, other, "report")
	}
	assert.Contains(t, rep, cusco)
}

func mustVersion(t *testing.T, a *testApp, id string) int {
	t.Helper()
	evs, err := a.store.LoadPartnership(t.Context(), id)
	require.NoError(t, err)
	return len(evs)
}

// TestPagesByRole: every page answers every role, and refuses what the
// library's policies refuse.
func TestPagesByRole(t *testing.T) {
	a := newTestApp(t)
	pages := []string{"/partnerships", "/partnerships?state=active&focus=climate", "/partnerships/" + cusco, "/partnerships/" + cusco + "?as_of=2015-04-10",
		"/partnerships/" + cusco + "/outcomes", "/approvals", "/due", "/report", "/report?format=json", "/report?format=csv", "/report?format=md", "/matching"}
	want := map[cred]map[string]int{
		lee:     {"/matching": http.StatusForbidden},
		kim:     {"/partnerships/" + cusco: 403, "/partnerships/" + cusco + "?as_of=2015-04-10": 403, "/partnerships/" + cusco + "/outcomes": 403, "/matching": 403},
		monitor: {"/matching": 403},
		donor:   {"/matching": 403},
	}
	for _, c := range []cred{facilitator, lee, kim, monitor, donor} {
		b := a.signedIn(t, c)
		for _, p := range pages {
			code, body := b.get(p)
			w := http.StatusOK
			if s, ok := want[c][p]; ok {
				w = s
			}
			assert.Equal(t, w, code, "%s GET %s: %.300s", c.id, p, body)
		}
	}
	b := a.signedIn(t, facilitator)
	_, body := b.get("/partnerships")
	assert.Equal(t, 17, len(partnershipLink.FindAllString(body, -1)), "the facilitator reads every partnership")
	assert.Equal(t, 17, strings.Count(body, `<g class="pair"`), "every pair with located cities is on the map")
	assert.NotContains(t, body, "Not on the map", "Catawba County is placed at Hickory, its county seat, like the others")
	_, body = b.get("/partnerships?state=closing")
	assert.Equal(t, 3, len(partnershipLink.FindAllString(body, -1)), "filtered by state")
	_, body = b.get("/partnerships?country=IN")
	assert.Equal(t, []string{shimla}, linked(body), "filtered by host country")
	code, body := b.get("/partnerships?state=nonsense")
	assert.Equal(t, http.StatusUnprocessableEntity, code, body)

	code, body = b.get("/partnerships/no-such-partnership")
	assert.Equal(t, http.StatusNotFound, code, body)
	code, body = b.get("/report?format=pdf")
	assert.Equal(t, http.StatusUnprocessableEntity, code, body)

	_, body = b.get("/partnerships/" + cusco + "?as_of=2015-03-01")
	assert.Contains(t, body, "not yet proposed on 2015-03-01")
	_, body = b.get("/partnerships/" + cusco + "?as_of=2015-04-10")
	assert.Regexp(t, `As of 2015-04-10: <span class="state state-proposed">proposed</span>`, body)
	code, _ = b.get("/partnerships/" + cusco + "?as_of=April")
	assert.Equal(t, http.StatusUnprocessableEntity, code)
}

func linked(body string) []string {
	var ids []string
	for _, m := range partnershipLink.FindAllStringSubmatch(body, -1) {
		id, _ := url.PathUnescape(m[1])
		ids = append(ids, id)
	}
	return ids
}

var commandForm = regexp.MustCompile(`class="(?:box )?command" data-action="([^"]+)"`)

// TestCommandsFollowThePolicy: the commands a page offers are exactly those
// partnership.DefaultPolicy allows the user.
func TestCommandsFollowThePolicy(t *testing.T) {
	a := newTestApp(t)
	svc := partnership.NewService(a.store, nil)
	for _, c := range []cred{facilitator, lee, monitor, donor} {
		b := a.signedIn(t, c)
		for _, id := range []string{cusco, shimla} {
			code, body := b.get("/partnerships/" + id)
			if code == http.StatusForbidden {
				continue
			}
			require.Equal(t, http.StatusOK, code)
			var offered []string
			for _, m := range commandForm.FindAllStringSubmatch(body, -1) {
				offered = append(offered, m[1])
			}
			p, err := svc.Get(t.Context(), actorOf(t, facilitator), id)
			require.NoError(t, err)
			var allowed []string
			for _, act := range partnership.Actions() {
				if act != partnership.ActionRead && act != partnership.ActionPropose &&
					(partnership.DefaultPolicy{}).Authorize(actorOf(t, c), act, p.Summary()) == nil {
					allowed = append(allowed, string(act))
				}
			}
			assert.Equal(t, allowed, offered, "%s on %s", c.id, id)
			if len(allowed) == 0 {
				assert.Contains(t, body, `id="no-commands"`)
			}
		}
	}
}

// TestCommands: a command given through its form is stored; a refused one
// says why and stores nothing.
func TestCommands(t *testing.T) {
	a := newTestApp(t)
	b := a.signedIn(t, facilitator)
	v := mustVersion(t, a, shimla)
	code, body := b.post("/partnerships/"+shimla+"/commands", url.Values{"action": {"complete"}, "on": {"2016-04-30"}})
	assert.Equal(t, http.StatusConflict, code, "its final results are not approved")
	assert.Contains(t, body, "cannot complete")
	assert.Equal(t, v, mustVersion(t, a, shimla))

	code, body = b.post("/partnerships/"+shimla+"/commands", url.Values{"action": {"suspend"}, "on": {"2016-04-30"}, "reason": {"monsoon floods"}})
	require.Equal(t, http.StatusOK, code, body)
	assert.Contains(t, body, "suspend: done.")
	assert.Contains(t, body, `<span class="state state-suspended" id="state">suspended</span>`)
	assert.Contains(t, body, "suspended: monsoon floods")
	code, body = b.post("/partnerships/"+shimla+"/commands", url.Values{"action": {"resume"}, "on": {"2016-04-30"}})
	require.Equal(t, http.StatusOK, code, body)
	assert.Contains(t, body, `id="state">closing</span>`)
	code, body = b.post("/partnerships/"+shimla+"/commands", url.Values{"action": {"extend"}, "on": {"2016-04-30"}, "end": {"2016-01-01"}, "reason": {"x"}})
	assert.Equal(t, http.StatusConflict, code, "an end before the current one: %.300s", body)
	assert.Contains(t, body, "cannot extend")

	kathmandu, kigali := "CAPP15-DEMO-KATHMANDU-SEATTLE", "CAPP15-DEMO-KIGALI-TULSA" // both agreed
	code, body = b.post("/partnerships/"+kathmandu+"/commands", url.Values{"action": {"extend"}, "on": {"2016-04-30"}, "end": {"2016-09-30"}, "reason": {"the council asked for a second site visit"}})
	require.Equal(t, http.StatusOK, code, "%.300s", body)
	assert.Contains(t, body, "extended to 2016-09-30: the council asked for a second site visit")
	code, body = b.post("/partnerships/"+kathmandu+"/commands", url.Values{"action": {"ratify"}, "party": {"city-5809844"}, "body": {"Seattle City Council"}, "on": {"2016-04-30"}})
	assert.Equal(t, http.StatusConflict, code, "ratified before the agreement: %.300s", body)
	code, body = b.post("/partnerships/"+kigali+"/commands", url.Values{"action": {"terminate"}, "on": {"2016-04-30"}, "reason": {""}})
	assert.Equal(t, http.StatusUnprocessableEntity, code, "a termination needs a reason: %.300s", body)
	code, body = b.post("/partnerships/"+kigali+"/commands", url.Values{"action": {"terminate"}, "on": {"2016-04-30"}, "reason": {"funding ended"}})
	require.Equal(t, http.StatusOK, code, "%.300s", body)
	assert.Contains(t, body, `id="state">terminated</span>`)
	code, body = b.post("/partnerships/"+kigali+"/commands", url.Values{"action": {"decline"}, "on": {"2016-04-30"}, "reason": {"x"}})
	assert.Equal(t, http.StatusConflict, code, "only a proposal is declined: %.300s", body)

	// A coordinator records an exchange and a contribution of its own.
	c := a.signedIn(t, lee)
	code, body = c.post("/partnerships/"+cusco+"/commands", url.Values{"action": {"record-exchange"}, "from": {"city-3941584"}, "to": {"city-5577147"},
		"start": {"2016-02-01"}, "end": {"2016-02-05"}, "status": {"planned"}, "purpose": {"Cusco engineers visit Fort Collins"}})
	require.Equal(t, http.StatusOK, code, body)
	assert.Contains(t, body, "Cusco engineers visit Fort Collins")
	code, body = c.post("/partnerships/"+cusco+"/commands", url.Values{"action": {"record-contribution"}, "party": {"city-5577147"}, "person": {"Water engineer"},
		"hours": {"7.5"}, "in_kind": {"300.00"}, "currency": {"usd"}, "on": {"2016-02-05"}, "description": {"hydrology model review"}})
	require.Equal(t, http.StatusOK, code, body)
	assert.Contains(t, body, "<td class=\"n\">7.5</td>")
	assert.Contains(t, body, "300.00 USD")
	for _, bad := range []url.Values{
		{"action": {"record-contribution"}, "party": {"city-3941584"}, "person": {"x"}, "hours": {"1"}, "on": {"2016-02-05"}}, // another party's time
		{"action": {"start-closing"}, "on": {"2016-04-30"}},                                                                   // not a coordinator's command
	} {
		code, _ := c.post("/partnerships/"+cusco+"/commands", bad)
		assert.Equal(t, http.StatusForbidden, code, bad)
	}
	for _, bad := range []url.Values{
		{"action": {"record-contribution"}, "party": {"city-5577147"}, "person": {"x"}, "hours": {"many"}},
		{"action": {"record-exchange"}, "start": {"soon"}},
		{"action": {"fly-to-the-moon"}},
	} {
		code, _ := c.post("/partnerships/"+cusco+"/commands", bad)
		assert.Equal(t, http.StatusUnprocessableEntity, code, bad)
	}
}

// TestOutcomesAndApproval: the coordinator records and submits a quarter;
// the monitor sees it in the queue, returns it with a comment (not
// without), approves it when it comes back; the donor's report holds it.
func TestOutcomesAndApproval(t *testing.T) {
	a := newTestApp(t)
	c := a.signedIn(t, lee)
	outcomes := "/partnerships/" + cusco + "/outcomes"
	code, body := c.get(outcomes)
	require.Equal(t, http.StatusOK, code)
	assert.Contains(t, body, `id="record"`)
	assert.Contains(t, body, `value="CL-CLIM-02"`, "the work plan's indicators are offered")

	code, body = c.post("/partnerships/"+cusco+"/observations", url.Values{"indicator": {"CL-CLIM-02"}, "kind": {"actual"}, "period": {"2015-Q4"},
		"value": {"17"}, "comment": {"two workshops"}, "source": {"attendance sheets"}})
	require.Equal(t, http.StatusOK, code, body)
	assert.Contains(t, body, "Recorded actual 17 of CL-CLIM-02 for 2015-Q4.")
	assert.Contains(t, body, `<tr data-period="2015-Q4">`)

	for _, bad := range []url.Values{
		{"indicator": {"CL-CLIM-02"}, "kind": {"actual"}, "period": {"2015-Q5"}, "value": {"1"}},
		{"indicator": {"CL-CLIM-02"}, "kind": {"actual"}, "period": {"2015-Q4"}, "value": {"-3"}},
		{"indicator": {"CL-CLIM-02"}, "kind": {"actual"}, "period": {"2015-Q4"}, "value": {"lots"}},
		{"indicator": {"CL-CLIM-02"}, "kind": {"actual"}, "period": {"2016-Q3"}, "value": {"1"}}, // not begun by today
	} {
		code, body := c.post("/partnerships/"+cusco+"/observations", bad)
		assert.Equal(t, http.StatusUnprocessableEntity, code, "%v: %.300s", bad, body)
	}
	code, body = c.post("/partnerships/"+cusco+"/observations", url.Values{"indicator": {"CL-CLIM-02"}, "kind": {"actual"}, "period": {"2015-Q2"}, "value": {"1"}})
	assert.Equal(t, http.StatusConflict, code, "2015-Q2 is approved: %.300s", body)
	assert.Contains(t, body, "approved")

	code, body = c.post("/approvals", url.Values{"partnership": {cusco}, "period": {"2015-Q4"}, "action": {"submit"}, "back": {outcomes}})
	require.Equal(t, http.StatusOK, code, body)
	assert.Contains(t, body, cusco+" 2015-Q4: submitted.")
	code, _ = c.post("/approvals", url.Values{"partnership": {cusco}, "period": {"2015-Q4"}, "action": {"approve"}})
	assert.Equal(t, http.StatusForbidden, code, "a coordinator does not approve")

	m := a.signedIn(t, monitor)
	_, queue := m.get("/approvals")
	assert.Contains(t, queue, `data-partnership="`+cusco+`" data-period="2015-Q4"`)
	assert.Contains(t, queue, "two workshops")
	code, body = m.post("/approvals", url.Values{"partnership": {cusco}, "period": {"2015-Q4"}, "action": {"return"}, "comment": {""}, "back": {"/approvals"}})
	assert.Equal(t, http.StatusUnprocessableEntity, code, "a return needs a comment: %.300s", body)
	code, body = m.post("/approvals", url.Values{"partnership": {cusco}, "period": {"2015-Q4"}, "action": {"return"}, "comment": {"add the sex breakdown"}, "back": {"/approvals"}})
	require.Equal(t, http.StatusOK, code, body)
	assert.NotContains(t, body, `data-period="2015-Q4"`, "returned: out of the queue")

	_, body = c.get(outcomes)
	assert.Contains(t, body, "add the sex breakdown", "the coordinator reads the comment")
	code, body = c.post("/partnerships/"+cusco+"/observations", url.Values{"indicator": {"CL-CLIM-02"}, "kind": {"actual"}, "period": {"2015-Q4"},
		"value": {"9"}, "disaggregation": {"sex=female"}})
	require.Equal(t, http.StatusOK, code, body)
	code, _ = c.post("/approvals", url.Values{"partnership": {cusco}, "period": {"2015-Q4"}, "action": {"submit"}})
	require.Equal(t, http.StatusOK, code)
	code, body = m.post("/approvals", url.Values{"partnership": {cusco}, "period": {"2015-Q4"}, "action": {"approve"}, "back": {"/approvals"}})
	require.Equal(t, http.StatusOK, code, body)
	assert.Contains(t, body, cusco+" 2015-Q4: approved.")

	d := a.signedIn(t, donor)
	code, body = d.get("/report?format=json")
	require.Equal(t, http.StatusOK, code)
	var r report.Report
	require.NoError(t, json.Unmarshal([]byte(body), &r))
	assert.Equal(t, report.StateApproved, r.ActualState(cusco, report.Quarter(2015, 4)), "the donor's report holds the approved quarter")
	code, body = d.get("/report")
	require.Equal(t, http.StatusOK, code)
	assert.Contains(t, body, cusco)

	_, due := c.get("/due")
	assert.NotContains(t, due, "<td>2015-Q4</td>", "an approved quarter is not due")
}

// TestUpload: an observations CSV is imported whole, or not at all.
func TestUpload(t *testing.T) {
	a := newTestApp(t)
	c := a.signedIn(t, lee)
	back := url.Values{"back": {"/partnerships/" + cusco + "/outcomes"}}
	good := "partnership,indicator,kind,period,value,comment\n" +
		cusco + ",CL-CLIM-04,actual,2015-Q4,31,uploaded\n" +
		cusco + ",CL-CLIM-02,actual,2016-Q1,12,uploaded\n"
	code, body := c.upload("/outcomes/upload", "obs.csv", good, back)
	require.Equal(t, http.StatusOK, code, body)
	assert.Contains(t, body, "Imported 2 rows: 2 new, 0 changed, 0 unchanged.")
	code, body = c.upload("/outcomes/upload", "obs.csv", good, back)
	require.Equal(t, http.StatusOK, code, body)
	assert.Contains(t, body, "Imported 2 rows: 0 new, 0 changed, 2 unchanged.")

	bad := "partnership,indicator,kind,period,value\n" + cusco + ",CL-CLIM-04,actual,2015-Q4,32\n" + cusco + ",CL-CLIM-04,actual,2015-Q9,1\n"
	code, body = c.upload("/outcomes/upload", "bad.csv", bad, back)
	assert.Equal(t, http.StatusUnprocessableEntity, code)
	assert.Contains(t, body, "line 3")
	_, body = c.get("/partnerships/" + cusco + "/outcomes")
	assert.NotContains(t, body, `<td class="n">32</td>`, "one bad row stores nothing")

	code, body = c.upload("/outcomes/upload", "big.csv", strings.Repeat("x", maxUploadBytes+1), back)
	assert.Equal(t, http.StatusRequestEntityTooLarge, code, "%.200s", body)
	code, _ = c.post("/outcomes/upload", nil)
	assert.Equal(t, http.StatusUnprocessableEntity, code, "no file")
}

// TestMatchingPage: the round with the reason for every unmatched city.
func TestMatchingPage(t *testing.T) {
	a := newTestApp(t)
	b := a.signedIn(t, facilitator)
	code, body := b.get("/matching")
	require.Equal(t, http.StatusOK, code)
	assert.Contains(t, body, "8 proposed pair(s)")
	assert.Contains(t, body, "6 unmatched")
	assert.Contains(t, body, "the World Bank classified Chile as high income in FY15")
	assert.Contains(t, body, "ICLEI USA is an NGO, not a local government")
	code, body = b.get("/matching?as_of=2016-12-01")
	require.Equal(t, http.StatusOK, code)
	assert.Contains(t, body, "as of 2016-12-01")
	code, _ = b.get("/matching?as_of=soon")
	assert.Equal(t, http.StatusUnprocessableEntity, code)
}

// TestHostileInput: each hostile value, sent through every form that
// stores or echoes text, is shown escaped: as text, never as markup.
func TestHostileInput(t *testing.T) {
	a := newTestApp(t)
	c := a.signedIn(t, lee)
	f := a.signedIn(t, facilitator)
	m := a.signedIn(t, monitor)
	anon := a.browser(t)
	for i, v := range hostileValues() {
		t.Run(v.Name, func(t *testing.T) {
			seen := func(what, body string) {
				t.Helper()
				assert.Contains(t, body, escaped(t, v.Text), "%s shows the value escaped", what)
				if strings.ContainsAny(v.Text, "<>") {
					assert.NotContains(t, body, v.Text, "%s holds the raw markup", what)
				}
			}
			// Sign-in echoes the user id.
			_, body := anon.post("/signin", url.Values{"id": {v.Text}, "password": {"x"}})
			seenQuoted(t, "sign-in", body, v.Text)

			// Exchange purpose and contribution text, on the partnership page.
			id := "x" + string(rune('a'+i))
			code, body := c.post("/partnerships/"+cusco+"/commands", url.Values{"action": {"record-exchange"}, "id": {id}, "from": {"city-5577147"}, "to": {"city-3941584"},
				"start": {"2016-02-01"}, "end": {"2016-02-05"}, "status": {"planned"}, "purpose": {v.Text}})
			require.Equal(t, http.StatusOK, code, "%.300s", body)
			seen("exchange purpose", body)
			code, body = c.post("/partnerships/"+cusco+"/commands", url.Values{"action": {"record-contribution"}, "id": {id}, "party": {"city-5577147"},
				"person": {v.Text}, "hours": {"1"}, "on": {"2016-02-05"}, "description": {v.Text}})
			require.Equal(t, http.StatusOK, code, "%.300s", body)
			seen("contribution", body)

			// Observation comment and source, on the outcomes page and in the queue.
			code, body = c.post("/partnerships/"+cusco+"/observations", url.Values{"indicator": {"CL-CLIM-04"}, "kind": {"actual"}, "period": {"2015-10"},
				"value": {"1"}, "comment": {v.Text}, "source": {v.Text}})
			require.Equal(t, http.StatusOK, code, "%.300s", body)
			seen("observation", body)

			// A return comment.
			code, body = c.post("/approvals", url.Values{"partnership": {cusco}, "period": {"2015-10"}, "action": {"submit"}})
			require.Equal(t, http.StatusOK, code, "%.300s", body)
			_, body = m.get("/approvals")
			seen("approval queue", body)
			code, body = m.post("/approvals", url.Values{"partnership": {cusco}, "period": {"2015-10"}, "action": {"return"}, "comment": {v.Text}})
			require.Equal(t, http.StatusOK, code, "%.300s", body)
			_, body = c.get("/partnerships/" + cusco + "/outcomes")
			seen("return comment", body)

			// A suspension reason, in the history.
			code, body = f.post("/partnerships/"+danang+"/commands", url.Values{"action": {"suspend"}, "on": {"2016-04-30"}, "reason": {v.Text}})
			require.Equal(t, http.StatusOK, code, "%.300s", body)
			seen("suspension reason", body)
			code, body = f.post("/partnerships/"+danang+"/commands", url.Values{"action": {"resume"}, "on": {"2016-04-30"}})
			require.Equal(t, http.StatusOK, code, "%.300s", body)

			// Query parameters echoed in forms and errors.
			code, body = f.get("/partnerships?org=" + url.QueryEscape(v.Text))
			if code == http.StatusOK {
				seen("directory filter", body)
			} else {
				assert.Equal(t, http.StatusUnprocessableEntity, code, "a filter on an invalid organization id")
				seenQuoted(t, "directory filter", body, v.Text)
			}

			// An uploaded CSV's comment.
			var csvBuf strings.Builder
			require.NoError(t, report.WriteObservationsCSV(&csvBuf, []report.Observation{{Partnership: cusco, Indicator: "CL-CLIM-04",
				Kind: report.KindActual, Period: report.Month(2015, 11), Value: 2, Comment: v.Text, Source: v.Text}}))
			code, body = c.upload("/outcomes/upload", "hostile.csv", csvBuf.String(), url.Values{"back": {"/partnerships/" + cusco + "/outcomes"}})
			require.Equal(t, http.StatusOK, code, "%.300s", body)
			seen("uploaded observation", body)
			_, body = f.get("/partnerships/" + cusco + "?as_of=" + url.QueryEscape(v.Text))
			seenQuoted(t, "as-of date", body, v.Text)
		})
	}
}

// escaped is v as html/template writes it in text and quoted attributes.
func escaped(t *testing.T, v string) string {
	t.Helper()
	var b strings.Builder
	require.NoError(t, template.Must(template.New("").Parse("{{.}}")).Execute(&b, v))
	return b.String()
}

// seenQuoted checks an error message that quotes the value as Go does
// (%q), escaped.
func seenQuoted(t *testing.T, what, body, v string) {
	t.Helper()
	q := strconv.Quote(v)
	assert.Contains(t, body, escaped(t, q[1:len(q)-1]), "%s quotes the value, escaped", what)
	if strings.ContainsAny(v, "<>") {
		assert.NotContains(t, body, v, "%s holds the raw markup", what)
	}
}

func hostileValues() []hostile.Value { return hostile.ShortValues() }

// TestRun: the command serves on the address it is given and prints the
// URL, and stops when its context ends.
func TestRun(t *testing.T) {
	db := seededDB(t)
	ctx, cancel := context.WithCancel(t.Context())
	defer cancel()
	var out bytes.Buffer
	urls := make(chan string, 1)
	done := make(chan error, 1)
	go func() {
		done <- run(ctx, &out, config{dbPath: db, addr: "127.0.0.1:0", users: sampleUsers}, func(u string) { urls <- u })
	}()
	var u string
	select {
	case u = <-urls:
	case err := <-done:
		t.Fatalf("run returned before serving: %v", err)
	}
	resp, err := http.Get(u + "signin")
	require.NoError(t, err)
	resp.Body.Close()
	assert.Equal(t, http.StatusOK, resp.StatusCode)
	assert.Equal(t, "default-src 'none'; style-src 'unsafe-inline'; img-src 'self' data:; form-action 'self'; frame-ancestors 'none'; base-uri 'none'", resp.Header.Get("Content-Security-Policy"))
	cancel()
	require.NoError(t, <-done)
	assert.Contains(t, out.String(), "citylinks office: "+u)

	_, err = open(t.Context(), &out, config{dbPath: filepath.Join(t.TempDir(), "x.db"), users: []byte("# nobody\n")})
	assert.ErrorContains(t, err, "users file: no users", "a users file with no users is refused before anything is opened")
}

// TestLongText: a megabyte of text in a form is refused, with a reason.
func TestLongText(t *testing.T) {
	a := newTestApp(t)
	c := a.signedIn(t, lee)
	long := hostile.Long()
	code, body := c.post("/partnerships/"+cusco+"/observations", url.Values{"indicator": {"CL-CLIM-04"}, "kind": {"actual"}, "period": {"2015-10"}, "value": {"1"}, "comment": {long[:200_000]}})
	assert.Equal(t, http.StatusUnprocessableEntity, code)
	assert.Contains(t, body, "comment")
	code, body = c.post("/partnerships/"+cusco+"/observations", url.Values{"comment": {long}})
	assert.Equal(t, http.StatusRequestEntityTooLarge, code)
	assert.Contains(t, body, "larger than 1 MiB")
}
