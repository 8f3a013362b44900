package api_test

import (
	"bytes"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/citylinks/citylinks/api"
	"github.com/citylinks/citylinks/store/memory"
)

// FuzzRequest sends arbitrary requests — method, path and query, the
// If-Match and Accept headers, the content type and the body — to a
// handler over one active partnership. Whatever comes in, the handler
// neither panics nor fails inside: every answer is a success, a 304, or a
// problem document of a known type below 500 (503 for a slow request).
func FuzzRequest(f *testing.F) {
	w := newWorld(f, memory.New(), &api.Options{MaxBodyBytes: 1 << 16})
	w.active(f, "p")
	for _, s := range []struct{ method, path, ifMatch, accept, ct, body string }{
		{"GET", "/partnerships/p", "", "", "", ""},
		{"POST", "/partnerships/p/suspend", `"4"`, "", "application/json", `{"reason": "x"}`},
		{"POST", "/partnerships/p/exchanges", `"4"`, "", "application/json", `{"id": "x", "from": "boulder", "to": "shimla", "start": "2015-06-01", "end": "2015-06-02", "purpose": "p", "status": "done"}`},
		{"POST", "/partnerships/p/suspend", `W/"4", "x"`, "", "application/json", `{"on": "2015-13-01"}`},
		{"POST", "/partnerships", "", "", "application/json; charset=utf-8", `{"id": "q", "parties": [{}]}`},
		{"GET", "/report?format=csv&group_by=year,country", "", "", "", ""},
		{"GET", "/report", "", "text/html;q=0.5, application/xml;q=0.6, */*;q=0", "", ""},
		{"GET", "/partnerships/p/periods/2015-01-01%2F2015-06-30/history?limit=1&cursor=1", "", "", "", ""},
		{"POST", "/observations/import", "", "", "text/csv", "partnership,indicator,kind,period,value\np,CL-CLIM-02,actual,2015-Q3,1\n"},
		{"POST", "/matching/rounds", "", "", "application/json", `{"program": "cl-2011", "hosts": [{"city": "x"}]}`},
		{"GET", "/cities?min_population=9&max_population=1&name=%00", "", "", "", ""},
		{"GET", "/partnerships/p/as-of?at=2016-06-30T12:00:00Z", "", "", "", ""},
		{"PUT", "/indicators/X", "", "", "application/json", `{"code": "Y"}`},
	} {
		f.Add(s.method, s.path, s.ifMatch, s.accept, s.ct, []byte(s.body))
	}
	f.Fuzz(func(t *testing.T, method, path, ifMatch, accept, ct string, body []byte) {
		if !strings.HasPrefix(path, "/") {
			path = "/" + path
		}
		r, err := http.NewRequestWithContext(t.Context(), method, "http://x"+path, bytes.NewReader(body))
		if err != nil {
			return // not a request a client can send
		}
		r.Header.Set("Authorization", "Bearer facilitator")
		r.Header.Set("If-Match", ifMatch)
		r.Header.Set("Accept", accept)
		r.Header.Set("Content-Type", ct)
		rec := httptest.NewRecorder()
		w.h.ServeHTTP(rec, r)
		res := rec.Result()
		switch {
		case res.StatusCode < 300, res.StatusCode == http.StatusNotModified:
			return
		case res.StatusCode >= 300 && res.StatusCode < 400:
			return // the mux's redirect to a clean path
		}
		var p api.Problem
		if err := json.Unmarshal(rec.Body.Bytes(), &p); err != nil {
			t.Fatalf("%s %s: %d with a body that is not a problem: %q", method, path, res.StatusCode, rec.Body.Bytes())
		}
		if !strings.HasPrefix(p.Type, "urn:citylinks:problem:") || p.Status != res.StatusCode {
			t.Fatalf("%s %s: problem %+v for status %d", method, path, p, res.StatusCode)
		}
		if res.StatusCode >= 500 && res.StatusCode != http.StatusServiceUnavailable {
			t.Fatalf("%s %s: %d %+v", method, path, res.StatusCode, p)
		}
	})
}
