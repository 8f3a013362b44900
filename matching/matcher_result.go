package matching

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"github.com/citylinks/citylinks/matching/assign"
)

// assign solves the assignment of hosts to open resources over the
// candidate pairs with assign.Sparse: maximum cardinality first, then
// greatest total score. For ObjectiveMaxScore every host also gets a
// zero-weight pair with a dummy resource of unlimited capacity, so that
// every host can always be placed and the solver's cardinality rule no
// longer binds: what remains is the greatest total score.
func (run *run) assign(ctx context.Context) error {
	if err := canceled(ctx); err != nil {
		return err
	}
	run.report(StageAssignment, 0, 1)
	var rows []int
	for h, c := range run.cands {
		if len(c) > 0 {
			rows = append(rows, h)
		}
	}
	cols := len(run.open)
	maxScore := run.m.opts.Objective == ObjectiveMaxScore
	p := &assign.SparseProblem{Cols: cols, Edges: make([][]assign.Edge, len(rows)), Capacity: make([]int, cols), Maximize: true}
	if maxScore {
		p.Cols++
		p.Capacity = append(p.Capacity, len(rows))
	}
	for j, res := range run.open {
		p.Capacity[j] = run.capacity[res]
	}
	for i, h := range rows {
		cs := run.cands[h]
		edges := make([]assign.Edge, len(cs), len(cs)+1)
		for k, c := range cs {
			edges[k] = assign.Edge{Col: int(run.openPos[c.res]), Weight: c.score}
		}
		if maxScore {
			edges = append(edges, assign.Edge{Col: cols, Weight: 0})
		}
		p.Edges[i] = edges
	}
	a, err := assign.Sparse(p)
	if err != nil {
		return fmt.Errorf("matching: assignment: %w", err)
	}
	run.assigned = make([]int, len(run.round.Hosts))
	for h := range run.assigned {
		run.assigned[h] = -1
	}
	for i, j := range a.RowToCol {
		if j >= 0 && j < cols {
			run.assigned[rows[i]] = int(run.open[j])
		}
	}
	for h, res := range run.mustOf {
		run.assigned[h] = res
	}
	run.report(StageAssignment, 1, 1)
	return nil
}

// result builds the proposals, with their breakdowns, and the reasons for
// every city left unmatched.
func (run *run) result(ctx context.Context) (*Result, error) {
	r := run.round
	res := &Result{Stats: run.stats}
	load := make([]int, len(r.Resources))
	candidateOf := make([]int, len(r.Resources))
	for _, cs := range run.cands {
		for _, c := range cs {
			candidateOf[c.res]++
		}
	}
	total := 0
	for _, j := range run.assigned {
		if j >= 0 {
			total++
		}
	}
	step := max(1, total/100)
	run.report(StageExplanation, 0, total)
	for h, j := range run.assigned {
		if j < 0 {
			continue
		}
		if len(res.Proposals)%1024 == 0 {
			if err := canceled(ctx); err != nil {
				return nil, err
			}
		}
		load[j]++
		host, resource := r.Hosts[h], r.Resources[j]
		p := Proposal{
			HostID: host.City.ID, ResourceID: resource.City.ID,
			HostName: host.City.Name, ResourceName: resource.City.Name,
			Breakdown:           explain(&run.hostF[h], &run.resF[j], run.m.weights, host, resource),
			Candidates:          len(run.cands[h]),
			HostEligibility:     run.hostVerdict[h].Reasons,
			ResourceEligibility: run.resVerdict[j].Reasons,
		}
		_, p.Forced = run.mustOf[h]
		p.Score = p.Breakdown.Score
		for k, c := range run.cands[h] {
			if int(c.res) == j {
				p.Rank = k + 1
				break
			}
		}
		res.Proposals = append(res.Proposals, p)
		res.Total += p.Score
		if len(res.Proposals)%step == 0 {
			run.report(StageExplanation, len(res.Proposals), total)
		}
	}
	run.report(StageExplanation, total, total)

	for h, p := range r.Hosts {
		if run.assigned[h] >= 0 {
			continue
		}
		u := Unmatched{ID: p.City.ID, Name: p.City.Name, Side: SideHost}
		switch {
		case !run.hostVerdict[h].Eligible:
			u.judged(run.hostVerdict[h])
		case len(run.cands[h]) == 0:
			u.Why, u.Reasons = WhyNoCandidate, []string{run.noCandidateReason(h)}
		default:
			best := run.cands[h][0]
			u.Why = WhyNoCapacity
			u.Reasons = []string{fmt.Sprintf("all %d of its candidates were filled by other hosts in the optimal assignment; the best was %s (score %.3f)",
				len(run.cands[h]), cityLabel(r.Resources[best.res].City), best.score)}
		}
		res.Unmatched = append(res.Unmatched, u)
	}
	for j, p := range r.Resources {
		if load[j] > 0 {
			continue
		}
		u := Unmatched{ID: p.City.ID, Name: p.City.Name, Side: SideResource}
		name := cityLabel(p.City)
		switch {
		case !run.resVerdict[j].Eligible:
			u.judged(run.resVerdict[j])
		case run.capacity[j] == 0:
			u.Why = WhyNoCapacity
			u.Reasons = []string{fmt.Sprintf("the capacity of %s (%d) is taken by open partnerships: %s", name, run.declared[j], strings.Join(run.capTaken[j], ", "))}
		case candidateOf[j] == 0:
			u.Why = WhyNoCandidate
			text := fmt.Sprintf("no eligible host has %s among its %d best candidates", name, run.m.opts.TopK)
			if run.m.opts.MinScore > 0 {
				text += fmt.Sprintf(" scoring at least %.3f", run.m.opts.MinScore)
			}
			u.Reasons = []string{text}
		default:
			u.Why = WhyNotChosen
			u.Reasons = []string{fmt.Sprintf("%s was a candidate of %d hosts, all of which the optimal assignment paired elsewhere", name, candidateOf[j])}
		}
		res.Unmatched = append(res.Unmatched, u)
	}
	for _, u := range res.Unmatched {
		for _, m := range u.Missing {
			if !slices.Contains(res.Missing, m) {
				res.Missing = append(res.Missing, m)
			}
		}
	}
	return res, nil
}

// judged records why an ineligible or undecided city is unmatched.
func (u *Unmatched) judged(v Verdict) {
	u.Why, u.Reasons = WhyIneligible, v.Reasons
	if v.Undecided() {
		u.Why, u.Missing = WhyMissingData, v.Missing
	}
}

// noCandidateReason says why an eligible host has no candidate.
func (run *run) noCandidateReason(h int) string {
	r := run.round
	if len(run.open) == 0 {
		return "no eligible resource has capacity left"
	}
	ms := run.misses[h]
	var parts []string
	if ms.noTopic > 0 {
		var topics []string
		for _, n := range r.Hosts[h].City.Needs {
			topics = append(topics, n.Topic)
		}
		parts = append(parts, fmt.Sprintf("%d offer none of the topics it needs (%s)", ms.noTopic, strings.Join(topics, ", ")))
	}
	if ms.forbidden > 0 {
		parts = append(parts, fmt.Sprintf("%d are forbidden pairs or existing partnerships", ms.forbidden))
	}
	if ms.below > 0 {
		parts = append(parts, fmt.Sprintf("%d score below the threshold %.3f (the best, %s, scores %.3f)",
			ms.below, run.m.opts.MinScore, cityLabel(r.Resources[ms.bestBelowRes].City), ms.bestBelow))
	}
	return fmt.Sprintf("none of the %d eligible resources with capacity left is a candidate: %s", len(run.open), strings.Join(parts, "; "))
}
