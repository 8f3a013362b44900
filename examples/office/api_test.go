package main

import (
	"encoding/json"
	"net/http"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestJSONAPI: the library's API is mounted under /api/ and signs in the
// same users with HTTP Basic authentication, with what each may see
// following the library's policy (a coordinator lists only its own
// partnerships).
func TestJSONAPI(t *testing.T) {
	a := newTestApp(t)
	get := func(c *cred, path string) *http.Response {
		req, err := http.NewRequestWithContext(t.Context(), "GET", a.srv.URL+path, nil)
		require.NoError(t, err)
		if c != nil {
			req.SetBasicAuth(c.id, c.password)
		}
		resp, err := http.DefaultClient.Do(req)
		require.NoError(t, err)
		t.Cleanup(func() { resp.Body.Close() })
		return resp
	}
	resp := get(nil, "/api/partnerships")
	assert.Equal(t, http.StatusUnauthorized, resp.StatusCode)
	assert.Contains(t, resp.Header.Get("WWW-Authenticate"), "Basic")
	assert.Equal(t, http.StatusUnauthorized, get(&cred{lee.id, "wrong"}, "/api/partnerships").StatusCode)

	count := func(c cred) int {
		resp := get(&c, "/api/partnerships?limit=100")
		require.Equal(t, http.StatusOK, resp.StatusCode)
		var page struct {
			Items []json.RawMessage `json:"items"`
		}
		require.NoError(t, json.NewDecoder(resp.Body).Decode(&page))
		return len(page.Items)
	}
	assert.Equal(t, 17, count(facilitator))
	assert.Equal(t, 1, count(lee), "a coordinator lists its own partnerships only")
	assert.Equal(t, http.StatusOK, get(nil, "/api/openapi.json").StatusCode)
}
