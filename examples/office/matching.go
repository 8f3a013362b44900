package main

import (
	"net/http"

	"github.com/citylinks/citylinks"
	"github.com/citylinks/citylinks/matching"
	"github.com/citylinks/citylinks/partnership"
)

// matchingData is what the matching page shows.
type matchingData struct {
	AsOf      citylinks.Date
	Program   citylinks.Program
	FocusArea string
	Result    *matching.Result
	Hosts     int
	Resources int
}

// matchingPage runs the demonstration round again, as of a day the form
// gives (default: the day it was matched), over the stored partnerships,
// and shows each proposed pair with its score and every unmatched city
// with the reasons. Matching proposes partnerships, so the page is for
// actors the partnership policy lets propose in the round's program.
func (s *server) matchingPage(w http.ResponseWriter, r *http.Request, sess *session) error {
	ctx, a := r.Context(), actor(sess)
	asOf, err := dateField("as_of", r.URL.Query().Get("as_of"))
	if err != nil {
		return err
	}
	program, round, err := s.env.Round(ctx, asOf)
	if err != nil {
		return err
	}
	probe := partnership.Summary{ID: "matching-round", Title: "proposals of a matching round", Program: program.ID, FocusArea: round.FocusArea}
	if err := s.env.Policy.Authorize(a, partnership.ActionPropose, probe); err != nil {
		return err
	}
	res, err := matching.Match(ctx, program, round, nil)
	if err != nil {
		return err
	}
	return s.show(w, sess, "matching", "Matching round", matchingData{AsOf: round.AsOf, Program: program,
		FocusArea: round.FocusArea, Result: res, Hosts: len(round.Hosts), Resources: len(round.Resources)})
}
