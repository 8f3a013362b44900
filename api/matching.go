package api

import (
	"fmt"
	"net/http"

	"github.com/citylinks/citylinks"
	"github.com/citylinks/citylinks/matching"
)

// RoundRequest is the body of POST /matching/rounds: a matching round over
// stored cities, under a stored program's eligibility rules.
type RoundRequest struct {
	Program   string         `json:"program"`
	FocusArea string         `json:"focus_area"`
	AsOf      citylinks.Date `json:"as_of,omitzero"`
	Hosts     []RoundParty   `json:"hosts"`
	Resources []RoundParty   `json:"resources"`
	MustPair  []RoundPair    `json:"must_pair,omitempty"`
	Forbid    []RoundPair    `json:"forbid_pair,omitempty"`
}

// RoundParty is one city of a round: a stored city, the stored
// organization that would sign for it (empty: the city's own government),
// and the caller's judgement of its commitment, 0 to 1 (absent: unknown).
type RoundParty struct {
	City         string   `json:"city"`
	Organization string   `json:"organization,omitempty"`
	Commitment   *float64 `json:"commitment,omitempty"`
}

// RoundPair is a pair of city ids.
type RoundPair struct {
	Host     string `json:"host"`
	Resource string `json:"resource"`
}

// RoundResult is the outcome of a round: the proposals with their
// explanations, every city left unmatched with the reason, and the total
// score.
type RoundResult struct {
	Proposals []RoundProposal  `json:"proposals"`
	Unmatched []RoundUnmatched `json:"unmatched"`
	Total     float64          `json:"total"`
	// Missing says what data left cities undecided, in words.
	Missing []string `json:"missing,omitempty"`
}

// RoundProposal is one proposed pair.
type RoundProposal struct {
	Host                string           `json:"host"`
	Resource            string           `json:"resource"`
	HostName            string           `json:"host_name"`
	ResourceName        string           `json:"resource_name"`
	Score               float64          `json:"score"`
	Rank                int              `json:"rank"`
	Candidates          int              `json:"candidates"`
	Forced              bool             `json:"forced,omitempty"`
	Criteria            []RoundCriterion `json:"criteria"`
	HostEligibility     []string         `json:"host_eligibility"`
	ResourceEligibility []string         `json:"resource_eligibility"`
	// Explanation is the proposal in words, one line per fact.
	Explanation []string `json:"explanation"`
}

// RoundCriterion is one line of a proposal's score.
type RoundCriterion struct {
	Criterion  string  `json:"criterion"`
	Known      bool    `json:"known"`
	Similarity float64 `json:"similarity"`
	Weight     float64 `json:"weight"`
	Points     float64 `json:"points"`
	Detail     string  `json:"detail"`
}

// RoundUnmatched is a city that got no proposal, and why.
type RoundUnmatched struct {
	City    string        `json:"city"`
	Name    string        `json:"name"`
	Side    matching.Side `json:"side"`
	Why     matching.Why  `json:"why"`
	Reasons []string      `json:"reasons"`
	Missing []string      `json:"missing,omitempty"`
}

// roundParties loads the stored cities (and organizations) of one side.
func (h *Handler) roundParties(rq *request, field string, ps []RoundParty) ([]matching.Party, error) {
	if len(ps) > citylinks.MaxPageSize {
		return nil, &citylinks.ValidationError{Field: field, Problem: fmt.Sprintf("%d cities; a round takes at most %d a side", len(ps), citylinks.MaxPageSize)}
	}
	out := make([]matching.Party, len(ps))
	for i, p := range ps {
		c, err := h.svc.Directory.GetCity(rq.Context(), p.City)
		if err != nil {
			return nil, fmt.Errorf("api: %s[%d].city: %w", field, i, err)
		}
		out[i] = matching.Party{City: c, Commitment: p.Commitment}
		if p.Organization != "" {
			o, err := h.svc.Directory.GetOrganization(rq.Context(), p.Organization)
			if err != nil {
				return nil, fmt.Errorf("api: %s[%d].organization: %w", field, i, err)
			}
			out[i].Organization = &o
		}
	}
	return out, nil
}

// matchRound runs a matching round. It reads cities and programs, which
// every valid actor may, and stores nothing: proposing a pair is a
// separate POST /partnerships, under the partnership policy.
func (h *Handler) matchRound(rq *request) error {
	if err := rq.reader(); err != nil {
		return err
	}
	var b RoundRequest
	if err := rq.decode(&b); err != nil {
		return err
	}
	if b.Program == "" {
		return &citylinks.ValidationError{Field: "program", Problem: "is required"}
	}
	prog, err := h.svc.Directory.GetProgram(rq.Context(), b.Program)
	if err != nil {
		return err
	}
	round := matching.Round{FocusArea: b.FocusArea, AsOf: b.AsOf}
	if round.Hosts, err = h.roundParties(rq, "hosts", b.Hosts); err != nil {
		return err
	}
	if round.Resources, err = h.roundParties(rq, "resources", b.Resources); err != nil {
		return err
	}
	for _, p := range b.MustPair {
		round.MustPair = append(round.MustPair, matching.Pair{HostID: p.Host, ResourceID: p.Resource})
	}
	for _, p := range b.Forbid {
		round.ForbidPair = append(round.ForbidPair, matching.Pair{HostID: p.Host, ResourceID: p.Resource})
	}
	res, err := matching.Match(rq.Context(), prog, round, h.opts.Matching)
	if err != nil {
		return err
	}
	out := RoundResult{Proposals: []RoundProposal{}, Unmatched: []RoundUnmatched{}, Total: res.Total}
	for _, p := range res.Proposals {
		rp := RoundProposal{Host: p.HostID, Resource: p.ResourceID, HostName: p.HostName, ResourceName: p.ResourceName, Score: p.Score,
			Rank: p.Rank, Candidates: p.Candidates, Forced: p.Forced, Criteria: []RoundCriterion{},
			HostEligibility: nonNil(p.HostEligibility), ResourceEligibility: nonNil(p.ResourceEligibility), Explanation: nonNil(p.Explain())}
		for _, c := range p.Breakdown.Criteria {
			rp.Criteria = append(rp.Criteria, RoundCriterion{Criterion: string(c.Criterion), Known: c.Known, Similarity: c.Similarity,
				Weight: c.Weight, Points: c.Points, Detail: c.Detail})
		}
		out.Proposals = append(out.Proposals, rp)
	}
	for _, u := range res.Unmatched {
		ru := RoundUnmatched{City: u.ID, Name: u.Name, Side: u.Side, Why: u.Why, Reasons: nonNil(u.Reasons)}
		for _, m := range u.Missing {
			ru.Missing = append(ru.Missing, m.String())
		}
		out.Unmatched = append(out.Unmatched, ru)
	}
	for _, m := range res.Missing {
		out.Missing = append(out.Missing, m.String())
	}
	return rq.writeJSON(http.StatusOK, out)
}
