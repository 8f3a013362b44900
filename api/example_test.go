package api_test

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"

	"github.com/citylinks/citylinks"
	"github.com/citylinks/citylinks/api"
	"github.com/citylinks/citylinks/partnership"
	"github.com/citylinks/citylinks/report"
	"github.com/citylinks/citylinks/store/memory"
)

// A host mounts the handler under a prefix, with its own sign-in.
func ExampleNew() {
	store := memory.New()
	facilitator := citylinks.Actor{ID: "officer@icma.example", Organization: "icma", Roles: []citylinks.Role{citylinks.RoleFacilitator}}
	h, err := api.New(api.Services{
		Partnerships: partnership.NewService(store, nil),
		Reports:      report.NewService(store, nil),
		Directory:    store,
	}, &api.Options{
		// The host's sign-in; here, one fixed token.
		Authenticate: func(r *http.Request) (citylinks.Actor, error) {
			if r.Header.Get("Authorization") != "Bearer s3cret" {
				return citylinks.Actor{}, fmt.Errorf("not signed in")
			}
			return facilitator, nil
		},
	})
	if err != nil {
		panic(err)
	}
	mux := http.NewServeMux()
	mux.Handle("/api/", http.StripPrefix("/api", h))

	propose := `{"id": "CL-1", "title": "Shimla–Boulder", "program": "cl-2011", "focus_area": "climate", "on": "2015-03-23",
		"parties": [{"role": "host", "organization": "shimla", "name": "Shimla", "kind": "city", "country": "IN"},
		            {"role": "resource", "organization": "boulder", "name": "Boulder", "kind": "city", "country": "US"}]}`
	send := func(method, path, body, ifMatch string) *http.Response {
		r := httptest.NewRequestWithContext(context.Background(), method, path, strings.NewReader(body))
		r.Header.Set("Authorization", "Bearer s3cret")
		r.Header.Set("Content-Type", "application/json")
		if ifMatch != "" {
			r.Header.Set("If-Match", ifMatch)
		}
		w := httptest.NewRecorder()
		mux.ServeHTTP(w, r)
		return w.Result()
	}
	res := send("POST", "/api/partnerships", propose, "")
	fmt.Println(res.Status, "ETag", res.Header.Get("ETag"))
	res = send("POST", "/api/partnerships/CL-1/ratify", `{"body": "Boulder City Council", "on": "2015-04-07"}`, "")
	fmt.Println(res.Status)
	res = send("POST", "/api/partnerships/CL-1/ratify", `{"body": "Boulder City Council", "on": "2015-04-07"}`, `"1"`)
	fmt.Println(res.Status, "ETag", res.Header.Get("ETag"))
	res = send("POST", "/api/partnerships/CL-1/suspend", `{"reason": "elections"}`, `"1"`)
	fmt.Println(res.Status, res.Header.Get("Content-Type"))
	// Output:
	// 201 Created ETag "1"
	// 428 Precondition Required
	// 200 OK ETag "2"
	// 412 Precondition Failed application/problem+json
}
