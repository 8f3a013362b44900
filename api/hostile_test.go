package api_test

import (
	"bytes"
	"encoding/json"
	"net/http"
	"net/url"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/citylinks/citylinks"
	"github.com/citylinks/citylinks/api"
	"github.com/citylinks/citylinks/internal/hostile"
	"github.com/citylinks/citylinks/report"
)

// TestHostileRoundTrip: every hostile string goes in through the API (as a
// title, a party name, notes, an id in the path, a comment) and comes back
// byte for byte, or is refused with a validation problem, never a 500;
// the JSON on the wire escapes markup, so no response body holds a raw
// "<script".
func TestHostileRoundTrip(t *testing.T) {
	for _, b := range backends {
		t.Run(b.name, func(t *testing.T) {
			w := newWorld(t, b.open(t), &api.Options{MaxBodyBytes: 8 << 20})
			w.active(t, "p")
			for i, v := range hostile.Values() {
				t.Run(v.Name, func(t *testing.T) {
					id := "h" + string(rune('a'+i))
					if v.ID && len(v.Text) < 200 {
						id = v.Text
					}
					pr := proposal(id)
					pr.Title, pr.Notes = v.Text, v.Text
					pr.Parties[0].Name = v.Text
					r := w.do(t, req{method: "POST", path: "/partnerships", as: "facilitator", body: pr})
					assert.NotContains(t, string(r.body), "<script")
					if r.status != http.StatusCreated {
						t.Logf("refused: %.200s", r.body)
						require.Equal(t, http.StatusUnprocessableEntity, r.status, "%.300s", r.body)
						assert.Equal(t, api.TypeValidation, r.problem(t).Type)
						return
					}
					path := "/partnerships/" + url.PathEscape(id)
					for _, p := range []string{path, path + "/history", "/partnerships?limit=1000"} {
						got := w.must(t, http.StatusOK, req{method: "GET", path: p, as: "facilitator"})
						assert.NotContains(t, string(got.body), "<script", p)
						assert.True(t, json.Valid(got.body), p)
					}
					var p api.Partnership
					w.must(t, http.StatusOK, req{method: "GET", path: path, as: "facilitator"}).json(t, &p)
					assert.Equal(t, id, p.ID)
					assert.True(t, p.Title == v.Text, "title round-trips")
					assert.True(t, p.Notes == v.Text, "notes round-trip")
					assert.True(t, p.Parties[0].Name == v.Text, "party name round-trips")

					// A comment on an observation, and a return comment.
					o := actual("p", 1)
					o.ID, o.Comment, o.Source = "", v.Text, v.Text
					o.Period = report.Quarter(2015, 2+i%2*2)
					r = w.do(t, req{method: "POST", path: "/observations", as: "boulder", body: api.ObservationsRequest{Observations: []report.Observation{o}}})
					if r.status == http.StatusOK {
						var obs api.List[report.Observation]
						w.must(t, http.StatusOK, req{method: "GET", path: "/observations?partnership=p&limit=1000", as: "boulder"}).json(t, &obs)
						found := false
						for _, got := range obs.Items {
							found = found || got.Comment == v.Text && got.Source == v.Text
						}
						assert.True(t, found, "the comment round-trips")
					} else {
						require.Equal(t, http.StatusUnprocessableEntity, r.status, "%.300s", r.body)
					}
				})
			}
			// A hostile city name is escaped in the JSON and read back whole.
			for _, v := range hostile.ShortValues() {
				c := citylinks.City{ID: "c-" + v.Name, Name: v.Text, Country: "IN"}
				if w.store.CreateCity(t.Context(), c) != nil {
					continue
				}
				got := w.must(t, http.StatusOK, req{method: "GET", path: "/cities/" + url.PathEscape(c.ID), as: "viewer"})
				assert.False(t, bytes.Contains(got.body, []byte("<script")))
				var city api.City
				got.json(t, &city)
				assert.True(t, city.Name == v.Text, "city name %s round-trips", v.Name)
			}
		})
	}
}
