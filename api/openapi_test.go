package api_test

import (
	"encoding/json"
	"net/http"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestOpenAPIMatchesRoutes: every operation of the served document is a
// route the handler really serves (an unauthenticated request to it gets
// 401, not the 404 or 405 of a path no route serves), and every route the
// handler serves is in the document.
func TestOpenAPIMatchesRoutes(t *testing.T) {
	w := newWorld(t, backends[0].open(t), nil)
	r := w.must(t, http.StatusOK, req{method: "GET", path: "/openapi.json"})
	var doc struct {
		OpenAPI    string                                `json:"openapi"`
		Paths      map[string]map[string]json.RawMessage `json:"paths"`
		Components struct {
			Schemas map[string]json.RawMessage `json:"schemas"`
		} `json:"components"`
	}
	require.NoError(t, json.Unmarshal(r.body, &doc))
	assert.Equal(t, "3.1.0", doc.OpenAPI)
	assert.Equal(t, r.body, w.h.OpenAPI(), "the document served is OpenAPI()")

	var documented []string
	ids := map[string]bool{}
	for path, ops := range doc.Paths {
		for method, raw := range ops {
			op := strings.ToUpper(method) + " " + path
			documented = append(documented, op)
			var o struct {
				OperationID string                     `json:"operationId"`
				Responses   map[string]json.RawMessage `json:"responses"`
			}
			require.NoError(t, json.Unmarshal(raw, &o), op)
			assert.False(t, ids[o.OperationID], "operationId %s is unique", o.OperationID)
			ids[o.OperationID] = true
			assert.Contains(t, o.Responses, "default", "%s documents its problems", op)

			concrete := strings.NewReplacer("{id}", "p", "{period}", "2015-Q3", "{code}", "CL-CLIM-02").Replace(path)
			got := w.do(t, req{method: strings.ToUpper(method), path: concrete})
			want := http.StatusUnauthorized
			if path == "/openapi.json" {
				want = http.StatusOK
			}
			assert.Equal(t, want, got.status, "%s is served: %s", op, got.body)
		}
	}
	routes := w.h.Routes()
	slices.Sort(documented)
	slices.Sort(routes)
	assert.Equal(t, routes, documented, "the routes served are the operations documented")

	// Every schema reference resolves.
	for _, ref := range regexp.MustCompile(`"\$ref":\s*"#/components/schemas/([^"]+)"`).FindAllStringSubmatch(string(r.body), -1) {
		_, ok := doc.Components.Schemas[ref[1]]
		assert.True(t, ok, "schema %s is defined", ref[1])
	}
	for _, name := range []string{"Partnership", "partnership.Party", "report.Observation", "Problem", "PartnershipSummaryList"} {
		_, ok := doc.Components.Schemas[name]
		assert.True(t, ok, "schema %s is defined", name)
	}
}
