package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"

	"github.com/citylinks/citylinks"
	"github.com/citylinks/citylinks/api"
	"github.com/citylinks/citylinks/internal/readme/snippet"
	"github.com/citylinks/citylinks/partnership"
	"github.com/citylinks/citylinks/report"
	"github.com/citylinks/citylinks/store/sqlite"
)

func main() { snippet.Main(run) }

func run(ctx context.Context, dir string) error {
	db, err := sqlite.Open(filepath.Join(dir, "citylinks.db"))
	if err != nil {
		return err
	}
	store := sqlite.New(db)
	defer store.Close()
	if err := store.Migrate(ctx); err != nil {
		return err
	}
	// README begin
	rep := report.NewService(store, nil)
	parts := partnership.NewService(store, &partnership.Options{Results: rep})

	// The host's sign-in: here, bearer tokens; in a real server, its sessions.
	users := map[string]citylinks.Actor{
		"t0ken": {ID: "officer@icma.example", Organization: "icma", Roles: []citylinks.Role{citylinks.RoleFacilitator}},
	}
	h, err := api.New(api.Services{Partnerships: parts, Reports: rep, Directory: store}, &api.Options{
		Authenticate: func(r *http.Request) (citylinks.Actor, error) {
			if a, ok := users[strings.TrimPrefix(r.Header.Get("Authorization"), "Bearer ")]; ok {
				return a, nil
			}
			return citylinks.Actor{}, errors.New("not signed in")
		},
	})
	if err != nil {
		return err
	}
	mux := http.NewServeMux()
	mux.Handle("/api/", http.StripPrefix("/api", h))
	srv := httptest.NewServer(mux) // or http.ListenAndServe(":8080", mux)
	defer srv.Close()

	call := func(method, path, ifMatch, body string) (*http.Response, error) {
		req, _ := http.NewRequestWithContext(ctx, method, srv.URL+path, strings.NewReader(body))
		req.Header.Set("Authorization", "Bearer t0ken")
		req.Header.Set("Content-Type", "application/json")
		if ifMatch != "" {
			req.Header.Set("If-Match", ifMatch)
		}
		return srv.Client().Do(req)
	}
	res, err := call("POST", "/api/partnerships", "", `{"id": "CL-1", "title": "Shimla–Boulder",
		"program": "cl-2011", "focus_area": "climate", "on": "2015-03-23", "parties": [
		{"role": "host", "organization": "shimla", "name": "Shimla", "kind": "city", "country": "IN"},
		{"role": "resource", "organization": "boulder", "name": "Boulder", "kind": "city", "country": "US"}]}`)
	if err != nil {
		return err
	}
	res.Body.Close()
	fmt.Println(res.Status, res.Header.Get("ETag")) // 201 Created "1"

	ratify := `{"body": "Boulder City Council", "on": "2015-04-07"}`
	res, err = call("POST", "/api/partnerships/CL-1/ratify", `"1"`, ratify)
	if err != nil {
		return err
	}
	res.Body.Close()
	fmt.Println(res.Status, res.Header.Get("ETag")) // 200 OK "2"

	// Someone who read version 1 and acts on it is refused: read again, decide again.
	res, err = call("POST", "/api/partnerships/CL-1/suspend", `"1"`, `{"reason": "elections"}`)
	if err != nil {
		return err
	}
	defer res.Body.Close()
	var p api.Problem
	if err := json.NewDecoder(res.Body).Decode(&p); err != nil {
		return err
	}
	fmt.Println(res.Status, p.Type, "current version", p.Version)
	// README end
	return nil
}
