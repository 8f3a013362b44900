package matching

import (
	"context"
	"fmt"
	"math"
	"slices"
	"strings"

	"github.com/citylinks/citylinks"
)

// Goal says what the Matcher's assignment optimizes.
type Goal string

// The goals.
const (
	// GoalMaxPairs makes as many pairs as possible, and among the
	// assignments with that many pairs takes one of greatest total score.
	// No host is left out to give another a better partner.
	GoalMaxPairs Goal = "max-pairs"
	// GoalMaxScore takes an assignment of greatest total score, which
	// may leave a host out when its only candidates serve others better.
	GoalMaxScore Goal = "max-score"
)

// Goals returns every Goal.
func Goals() []Goal { return []Goal{GoalMaxPairs, GoalMaxScore} }

// Valid reports whether o is one of the Goals.
func (o Goal) Valid() bool { return slices.Contains(Goals(), o) }

// DefaultTopK is the default Options.TopK.
const DefaultTopK = 50

// Options control a Matcher. The zero value (or nil) gives the defaults
// each field names.
type Options struct {
	// TopK is how many candidate resources are kept per host, best first,
	// for the assignment. Defaults to DefaultTopK.
	TopK int
	// Weights weigh the scoring criteria. Defaults to DefaultWeights.
	Weights *Weights
	// MinScore is the threshold: a pair scoring below it is no candidate.
	// Defaults to 0. Whatever the threshold, a host that lists needs is
	// never paired with a resource offering none of them (unless by
	// MustPair).
	MinScore float64
	// Goal is what the assignment optimizes. Defaults to
	// GoalMaxPairs.
	Goal Goal
	// DefaultCapacity is the capacity of a resource whose City.Capacity is
	// 0. Defaults to 1. To give a resource no capacity, leave it out of the
	// round.
	DefaultCapacity int
	// Progress, if set, is called on the goroutine that called Match as
	// each stage advances: often enough for a progress bar, at most a few
	// hundred times per stage.
	Progress func(Progress)
}

// Stage is a stage of a Match call, as Progress reports it.
type Stage string

// The stages, in order.
const (
	StageEligibility Stage = "eligibility" // Done counts cities judged
	StageScoring     Stage = "scoring"     // Done counts hosts scored against every resource
	StageAssignment  Stage = "assignment"  // Done goes from 0 to 1
	StageExplanation Stage = "explanation" // Done counts proposals explained
)

// Progress reports how far a Match call has come.
type Progress struct {
	Stage Stage
	Done  int
	Total int
}

// Pair names a host and a resource by their city ids.
type Pair struct {
	HostID     string
	ResourceID string
}

// Round is one round of matching: who takes part, in which focus area, as
// of which date, and what is already decided.
type Round struct {
	FocusArea string
	AsOf      citylinks.Date
	Hosts     []Party
	Resources []Party
	// Existing lists partnerships that already exist. Those open on AsOf
	// take up their resource's capacity (in any focus area); the pair of one
	// in the round's focus area is never proposed again; and rules such as
	// NotPartnered see them.
	Existing []Existing
	// MustPair lists pairs decided in advance. Each must be eligible; it
	// takes up one unit of its resource's capacity and is proposed whatever
	// its score.
	MustPair []Pair
	// ForbidPair lists pairs that must not be proposed.
	ForbidPair []Pair
}

// Proposal is a proposed partnership with the reasons for it.
type Proposal struct {
	HostID, ResourceID     string
	HostName, ResourceName string
	// Score is the pair's score, from 0 to 1; Breakdown shows how it was
	// reached.
	Score     float64
	Breakdown PairScore
	// Rank is the resource's place among the host's candidates, best = 1;
	// 0 for a must-pair that was not among them.
	Rank int
	// Candidates is how many candidates the host had.
	Candidates int
	// Forced is true for a pair from Round.MustPair.
	Forced bool
	// HostEligibility and ResourceEligibility are the reasons each side was
	// eligible.
	HostEligibility, ResourceEligibility []string
}

// Explain returns the proposal in words, one line per fact: the score, each
// criterion, and why both sides were eligible.
func (p Proposal) Explain() []string {
	var lines []string
	switch {
	case p.Forced:
		lines = append(lines, fmt.Sprintf("%s – %s: score %.3f; decided in advance (must-pair)", p.HostName, p.ResourceName, p.Score))
	default:
		lines = append(lines, fmt.Sprintf("%s – %s: score %.3f, the host's candidate %d of %d", p.HostName, p.ResourceName, p.Score, p.Rank, p.Candidates))
	}
	for _, cs := range p.Breakdown.Criteria {
		if cs.Weight == 0 {
			continue
		}
		if !cs.Known {
			lines = append(lines, fmt.Sprintf("  %s: not counted, %s", cs.Criterion, cs.Detail))
			continue
		}
		lines = append(lines, fmt.Sprintf("  %s: %.2f × weight %.2f → %.3f: %s", cs.Criterion, cs.Similarity, cs.Weight, cs.Points, cs.Detail))
	}
	for _, r := range p.HostEligibility {
		lines = append(lines, "  host eligible: "+r)
	}
	for _, r := range p.ResourceEligibility {
		lines = append(lines, "  resource eligible: "+r)
	}
	return lines
}

// Why is the kind of reason a city was left unmatched.
type Why string

// The kinds of reason.
const (
	// WhyIneligible: an eligibility rule excluded the city; Reasons say which.
	WhyIneligible Why = "ineligible"
	// WhyMissingData: the eligibility rules could not decide for lack of
	// data, such as the World Bank income classification of a fiscal year
	// not yet in the income table, and no rule excluded the city; Missing
	// says what is missing and Reasons how to supply it.
	WhyMissingData Why = "missing-data"
	// WhyNoCapacity: for a resource, its capacity is taken by existing
	// partnerships; for a host, every one of its candidates was filled by
	// other hosts.
	WhyNoCapacity Why = "no-capacity"
	// WhyNoCandidate: no pair with the city was a candidate: none offers
	// what the host needs, or none scores at least the threshold.
	WhyNoCandidate Why = "no-candidate"
	// WhyNotChosen: a resource was some hosts' candidate, but the optimal
	// assignment paired them all elsewhere.
	WhyNotChosen Why = "not-chosen"
)

// Unmatched is a city that got no proposal, with the reason.
type Unmatched struct {
	ID, Name string
	Side     Side
	Why      Why
	Reasons  []string
	// Missing is the data the rules lacked, for WhyMissingData.
	Missing []MissingData
}

// Stats counts what a Match call worked on.
type Stats struct {
	Hosts, Resources                 int // cities in the round
	EligibleHosts, EligibleResources int
	OpenResources                    int   // eligible resources with capacity left
	Candidates                       int   // candidate pairs given to the assignment
	Scored                           int64 // host–resource pairs looked at in scoring
}

// Result is the outcome of a Match call.
type Result struct {
	// Proposals are the proposed pairs, in the order of Round.Hosts.
	Proposals []Proposal
	// Unmatched lists every host, then every resource, that got no
	// proposal, in the order of the round.
	Unmatched []Unmatched
	// Total is the objective value: the sum of the proposals' scores.
	Total float64
	// Missing lists, once each, the data that left cities undecided
	// (WhyMissingData), such as the income classification of the round's
	// fiscal year. Empty when every city was judged.
	Missing []MissingData
	Stats   Stats
}

// Matcher proposes partnerships: it finds the eligible hosts and resources,
// scores every eligible pair, keeps each host's best candidates, and assigns
// hosts to resources within capacity, optimally for the Goal. A Matcher
// is safe for concurrent use.
type Matcher struct {
	elig    *Eligibility
	opts    Options
	weights scoreWeights
}

// NewMatcher returns a Matcher that judges eligibility by e (nil makes
// everyone eligible) with the given options (nil means defaults). Invalid
// options give a *citylinks.ValidationError.
func NewMatcher(e *Eligibility, opts *Options) (*Matcher, error) {
	var o Options
	if opts != nil {
		o = *opts
	}
	if o.TopK == 0 {
		o.TopK = DefaultTopK
	}
	if o.TopK < 0 {
		return nil, &citylinks.ValidationError{Field: "top_k", Problem: fmt.Sprintf("%d is below 1", o.TopK)}
	}
	w := DefaultWeights()
	if o.Weights != nil {
		w = *o.Weights
	}
	if err := w.Validate(); err != nil {
		return nil, err
	}
	if math.IsNaN(o.MinScore) || math.IsInf(o.MinScore, 0) {
		return nil, &citylinks.ValidationError{Field: "min_score", Problem: "must be a finite number"}
	}
	if o.Goal == "" {
		o.Goal = GoalMaxPairs
	}
	if !o.Goal.Valid() {
		return nil, &citylinks.ValidationError{Field: "goal", Problem: fmt.Sprintf("%q is not max-pairs or max-score", o.Goal)}
	}
	if o.DefaultCapacity == 0 {
		o.DefaultCapacity = 1
	}
	if o.DefaultCapacity < 0 || o.DefaultCapacity > citylinks.MaxCapacity {
		return nil, &citylinks.ValidationError{Field: "default_capacity", Problem: fmt.Sprintf("%d is outside 1..%d", o.DefaultCapacity, citylinks.MaxCapacity)}
	}
	return &Matcher{elig: e, opts: o, weights: newScoreWeights(w)}, nil
}

// Match runs a round of matching for a program: it reads the program's
// eligibility rules (see ProgramEligibility) and calls Matcher.Match.
func Match(ctx context.Context, program citylinks.Program, r Round, opts *Options) (*Result, error) {
	e, err := ProgramEligibility(program, nil)
	if err != nil {
		return nil, err
	}
	m, err := NewMatcher(e, opts)
	if err != nil {
		return nil, err
	}
	return m.Match(ctx, r)
}

// Match runs a round. Every host and resource ends up either in a proposal
// or in Result.Unmatched with the reason. The result depends only on the
// round and the options: the same input gives the same output.
//
// An invalid round (a city that does not validate, a duplicate id, a
// commitment outside 0..1, a focus area the program does not cover, a
// must-pair that is ineligible or over capacity) gives a
// *citylinks.ValidationError naming the field, such as "hosts[3].location.lat"
// or "must_pair[0]". A canceled ctx gives an error wrapping
// context.Canceled.
func (m *Matcher) Match(ctx context.Context, r Round) (*Result, error) {
	run, err := m.prepare(r)
	if err != nil {
		return nil, err
	}
	if err := run.judge(ctx); err != nil {
		return nil, err
	}
	if err := run.fixMustPairs(); err != nil {
		return nil, err
	}
	if err := run.candidates(ctx); err != nil {
		return nil, err
	}
	if err := run.assign(ctx); err != nil {
		return nil, err
	}
	return run.result(ctx)
}

// run is the state of one Match call. Hosts and resources are referred to
// by their index in the round.
type run struct {
	m     *Matcher
	round *Round

	hostIdx, resIdx map[string]int
	partnerships    map[string][]Existing // city id → its partnerships

	hostVerdict, resVerdict []Verdict
	capacity                []int // remaining capacity of each resource
	capTaken                [][]string
	declared                []int

	mustOf  map[int]int // host → resource of its must-pair
	forbid  map[int][]int32
	hostF   []features
	resF    []features
	open    []int32 // eligible resources with capacity left
	openPos []int32 // resource → index in open, or -1

	cands    [][]candidate // per host, best first
	misses   []hostMisses  // per host, why pairs were not candidates
	assigned []int         // host → resource, or -1

	stats Stats
}

type candidate struct {
	res   int32
	score float64
}

// hostMisses counts the pairs of a host that did not become candidates.
type hostMisses struct {
	noTopic, below, forbidden int
	bestBelow                 float64
	bestBelowRes              int32
}

func (m *Matcher) prepare(r Round) (*run, error) {
	if err := validateSlugField("focus_area", r.FocusArea); err != nil {
		return nil, err
	}
	if !m.elig.Covers(r.FocusArea) {
		return nil, &citylinks.ValidationError{Field: "focus_area", Problem: fmt.Sprintf("the program does not cover %q (it covers %s)", r.FocusArea, strings.Join(m.elig.Covered, ", "))}
	}
	if r.AsOf.IsZero() || !r.AsOf.Valid() {
		return nil, &citylinks.ValidationError{Field: "as_of", Problem: "is required and must be a calendar date"}
	}
	run := &run{m: m, round: &r, hostIdx: map[string]int{}, resIdx: map[string]int{}, partnerships: map[string][]Existing{}}
	for _, side := range []struct {
		field   string
		parties []Party
		idx     map[string]int
	}{{"hosts", r.Hosts, run.hostIdx}, {"resources", r.Resources, run.resIdx}} {
		for i, p := range side.parties {
			field := fmt.Sprintf("%s[%d]", side.field, i)
			if err := validateParty(field, p); err != nil {
				return nil, err
			}
			if j, dup := side.idx[p.City.ID]; dup {
				return nil, &citylinks.ValidationError{Field: field + ".id", Problem: fmt.Sprintf("%q is also %s[%d]", p.City.ID, side.field, j)}
			}
			side.idx[p.City.ID] = i
		}
	}
	for i, p := range r.Existing {
		if !p.Start.IsZero() && !p.End.IsZero() && p.End.Before(p.Start) {
			return nil, &citylinks.ValidationError{Field: fmt.Sprintf("existing[%d].end", i), Problem: fmt.Sprintf("%s is before start %s", p.End, p.Start)}
		}
		run.partnerships[p.HostID] = append(run.partnerships[p.HostID], p)
		if p.ResourceID != p.HostID {
			run.partnerships[p.ResourceID] = append(run.partnerships[p.ResourceID], p)
		}
	}
	run.forbid = map[int][]int32{}
	for i, p := range r.ForbidPair {
		h, res, err := run.pairIndex(fmt.Sprintf("forbid_pair[%d]", i), p)
		if err != nil {
			return nil, err
		}
		run.forbid[h] = append(run.forbid[h], int32(res))
	}
	for _, p := range r.Existing {
		h, okH := run.hostIdx[p.HostID]
		res, okR := run.resIdx[p.ResourceID]
		if okH && okR && p.FocusArea == r.FocusArea && p.OpenOn(r.AsOf) {
			run.forbid[h] = append(run.forbid[h], int32(res))
		}
	}
	for h := range run.forbid {
		slices.Sort(run.forbid[h])
		run.forbid[h] = slices.Compact(run.forbid[h])
	}
	run.stats.Hosts, run.stats.Resources = len(r.Hosts), len(r.Resources)
	return run, nil
}

func validateSlugField(field, s string) error {
	if !citylinks.ValidSlug(s) {
		return &citylinks.ValidationError{Field: field, Problem: fmt.Sprintf("%q is not a kebab-case focus-area id", s)}
	}
	return nil
}

func validateParty(field string, p Party) error {
	if err := p.City.Validate(); err != nil {
		return prefixValidation(field, err)
	}
	if p.Organization != nil {
		if err := p.Organization.Validate(); err != nil {
			return prefixValidation(field+".organization", err)
		}
	}
	if c := p.Commitment; c != nil && (math.IsNaN(*c) || *c < 0 || *c > 1) {
		return &citylinks.ValidationError{Field: field + ".commitment", Problem: fmt.Sprintf("%v is outside 0..1", *c)}
	}
	return nil
}

func prefixValidation(prefix string, err error) error {
	if ve, ok := err.(*citylinks.ValidationError); ok {
		return &citylinks.ValidationError{Field: prefix + "." + ve.Field, Problem: ve.Problem}
	}
	return err
}

func (run *run) pairIndex(field string, p Pair) (int, int, error) {
	h, ok := run.hostIdx[p.HostID]
	if !ok {
		return 0, 0, &citylinks.ValidationError{Field: field + ".host_id", Problem: fmt.Sprintf("%q is not one of the round's hosts", p.HostID)}
	}
	res, ok := run.resIdx[p.ResourceID]
	if !ok {
		return 0, 0, &citylinks.ValidationError{Field: field + ".resource_id", Problem: fmt.Sprintf("%q is not one of the round's resources", p.ResourceID)}
	}
	return h, res, nil
}

// report calls the progress callback, if any.
func (run *run) report(stage Stage, done, total int) {
	if run.m.opts.Progress != nil {
		run.m.opts.Progress(Progress{Stage: stage, Done: done, Total: total})
	}
}

func canceled(ctx context.Context) error {
	if err := ctx.Err(); err != nil {
		return fmt.Errorf("matching: %w", err)
	}
	return nil
}

// judge checks the eligibility of every city and works out the capacity
// each eligible resource has left.
func (run *run) judge(ctx context.Context) error {
	r := run.round
	total := len(r.Hosts) + len(r.Resources)
	step := max(1, total/100)
	done := 0
	run.report(StageEligibility, 0, total)
	check := func(side Side, p Party) Verdict {
		done++
		if done%step == 0 {
			run.report(StageEligibility, done, total)
		}
		return run.m.elig.Check(Subject{Side: side, City: p.City, Organization: p.Organization, FocusArea: r.FocusArea, AsOf: r.AsOf, Partnerships: run.partnerships[p.City.ID]})
	}
	run.hostVerdict = make([]Verdict, len(r.Hosts))
	for i, p := range r.Hosts {
		if i%1024 == 0 {
			if err := canceled(ctx); err != nil {
				return err
			}
		}
		run.hostVerdict[i] = check(SideHost, p)
		if run.hostVerdict[i].Eligible {
			run.stats.EligibleHosts++
		}
	}
	run.resVerdict = make([]Verdict, len(r.Resources))
	run.capacity = make([]int, len(r.Resources))
	run.declared = make([]int, len(r.Resources))
	run.capTaken = make([][]string, len(r.Resources))
	for i, p := range r.Resources {
		run.resVerdict[i] = check(SideResource, p)
		if !run.resVerdict[i].Eligible {
			continue
		}
		run.stats.EligibleResources++
		c := p.City.Capacity
		if c == 0 {
			c = run.m.opts.DefaultCapacity
		}
		run.declared[i] = c
		for _, e := range run.partnerships[p.City.ID] {
			if e.ResourceID == p.City.ID && e.OpenOn(r.AsOf) {
				c--
				name := e.ID
				if name == "" {
					name = "with " + e.HostID
				}
				run.capTaken[i] = append(run.capTaken[i], name)
			}
		}
		run.capacity[i] = max(0, c)
	}
	run.report(StageEligibility, total, total)
	return nil
}

// notEligible says why a must-paired city cannot be paired.
func notEligible(c citylinks.City, v Verdict) string {
	verb := "is not eligible"
	if v.Undecided() {
		verb = "cannot be judged"
	}
	return fmt.Sprintf("%s %s: %s", cityLabel(c), verb, strings.Join(v.Reasons, "; "))
}

// fixMustPairs checks the must-pairs and takes up their capacity.
func (run *run) fixMustPairs() error {
	r := run.round
	run.mustOf = map[int]int{}
	for i, p := range r.MustPair {
		field := fmt.Sprintf("must_pair[%d]", i)
		h, res, err := run.pairIndex(field, p)
		if err != nil {
			return err
		}
		if prev, dup := run.mustOf[h]; dup {
			return &citylinks.ValidationError{Field: field, Problem: fmt.Sprintf("host %q is already must-paired with %q", p.HostID, r.Resources[prev].City.ID)}
		}
		if v := run.hostVerdict[h]; !v.Eligible {
			return &citylinks.ValidationError{Field: field + ".host_id", Problem: notEligible(r.Hosts[h].City, v)}
		}
		if v := run.resVerdict[res]; !v.Eligible {
			return &citylinks.ValidationError{Field: field + ".resource_id", Problem: notEligible(r.Resources[res].City, v)}
		}
		if _, forbidden := slices.BinarySearch(run.forbid[h], int32(res)); forbidden {
			return &citylinks.ValidationError{Field: field, Problem: "the pair is forbidden, or already an open partnership in this focus area"}
		}
		if p.HostID == p.ResourceID {
			return &citylinks.ValidationError{Field: field, Problem: "a city cannot partner with itself"}
		}
		if run.capacity[res] == 0 {
			return &citylinks.ValidationError{Field: field + ".resource_id", Problem: fmt.Sprintf("%s has no capacity left for this must-pair", cityLabel(r.Resources[res].City))}
		}
		run.capacity[res]--
		run.mustOf[h] = res
	}
	return nil
}
