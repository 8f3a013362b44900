package matching_test

import (
	"fmt"
	"math"
	"slices"
	"testing"

	"github.com/google/go-cmp/cmp"
	"pgregory.net/rapid"

	"github.com/citylinks/citylinks"
	"github.com/citylinks/citylinks/matching"
)

// propRound is a random small round with what the checks need to know.
type propRound struct {
	round    matching.Round
	opts     matching.Options
	elig     *matching.Eligibility
	capacity []int // remaining capacity of each resource
}

// propPopulations are the populations of random rounds; the rounds'
// eligibility rule (at least 100,000 people) excludes the first.
var propPopulations = []int64{50_000, 180_000, 1_200_000, 3_000_000, 9_000_000}

func genPropRound(t *rapid.T) propRound {
	nh := rapid.IntRange(0, 7).Draw(t, "hosts")
	nr := rapid.IntRange(0, 4).Draw(t, "resources")
	if rapid.IntRange(0, 9).Draw(t, "nonEmpty") > 0 {
		nh, nr = max(nh, rapid.IntRange(3, 7).Draw(t, "moreHosts")), max(nr, rapid.IntRange(2, 4).Draw(t, "moreResources"))
	}
	r := matching.Round{FocusArea: "climate", AsOf: day(2015, 3, 23)}
	for i := range nh {
		p := genParty(t, fmt.Sprintf("h%d", i), true)
		p.City.Population = rapid.SampledFrom(propPopulations).Draw(t, fmt.Sprintf("hostPop%d", i))
		p.City.Needs = genProfile(t, fmt.Sprintf("needs%d", i))
		r.Hosts = append(r.Hosts, p)
	}
	for j := range nr {
		p := genParty(t, fmt.Sprintf("r%d", j), false)
		p.City.Population = rapid.SampledFrom(propPopulations).Draw(t, fmt.Sprintf("resPop%d", j))
		p.City.Offers = genProfile(t, fmt.Sprintf("offers%d", j))
		p.City.Capacity = rapid.IntRange(0, 3).Draw(t, fmt.Sprintf("cap%d", j))
		r.Resources = append(r.Resources, p)
	}
	// A city on both sides now and then.
	if nh > 0 && nr > 0 && rapid.Bool().Draw(t, "shared") {
		r.Resources[0].City.ID = r.Hosts[0].City.ID
	}
	opts := matching.Options{
		TopK:            rapid.IntRange(1, 4).Draw(t, "topK"),
		MinScore:        rapid.SampledFrom([]float64{0, 0.3, 0.5}).Draw(t, "minScore"),
		Goal:            rapid.SampledFrom(matching.Goals()).Draw(t, "objective"),
		DefaultCapacity: rapid.IntRange(1, 2).Draw(t, "defaultCapacity"),
	}
	capacity := make([]int, nr)
	for j, p := range r.Resources {
		capacity[j] = p.City.Capacity
		if capacity[j] == 0 {
			capacity[j] = opts.DefaultCapacity
		}
	}
	// Existing partnerships: some take up capacity, some make a host
	// ineligible (NotPartnered), some have ended.
	for k := range rapid.IntRange(0, 3).Draw(t, "existing") {
		if nr == 0 {
			break
		}
		j := rapid.IntRange(0, nr-1).Draw(t, fmt.Sprintf("existingRes%d", k))
		hostID := "elsewhere"
		if nh > 0 && rapid.Bool().Draw(t, fmt.Sprintf("existingHost%d", k)) {
			hostID = r.Hosts[rapid.IntRange(0, nh-1).Draw(t, fmt.Sprintf("existingHostIdx%d", k))].City.ID
		}
		p := matching.Existing{ID: fmt.Sprintf("E%d", k), HostID: hostID, ResourceID: r.Resources[j].City.ID, FocusArea: "climate", Start: day(2014, 1, 1)}
		if rapid.Bool().Draw(t, fmt.Sprintf("existingEnded%d", k)) {
			p.End = day(2014, 12, 31)
		} else {
			capacity[j]--
		}
		r.Existing = append(r.Existing, p)
	}
	for j := range capacity {
		capacity[j] = max(0, capacity[j])
	}
	if nh > 0 && nr > 0 {
		for k := range rapid.IntRange(0, 3).Draw(t, "forbids") {
			h := rapid.IntRange(0, nh-1).Draw(t, fmt.Sprintf("forbidHost%d", k))
			j := rapid.IntRange(0, nr-1).Draw(t, fmt.Sprintf("forbidRes%d", k))
			r.ForbidPair = append(r.ForbidPair, matching.Pair{HostID: r.Hosts[h].City.ID, ResourceID: r.Resources[j].City.ID})
		}
	}
	elig := &matching.Eligibility{Every: matching.SideRules{
		Host:     matching.All(matching.PopulationBetween(100_000, 0), matching.NotPartnered()),
		Resource: matching.PopulationBetween(100_000, 0),
	}}
	return propRound{round: r, opts: opts, elig: elig, capacity: capacity}
}

// genProfile draws one to three of three topics, each at a level.
func genProfile(t *rapid.T, label string) []citylinks.TopicLevel {
	var tl []citylinks.TopicLevel
	for _, tp := range []string{"stormwater", "sanitation", "solid-waste"} {
		if l := rapid.IntRange(0, 3).Draw(t, label+tp); l > 0 {
			tl = append(tl, citylinks.TopicLevel{Topic: tp, Level: citylinks.Level(l)})
		}
	}
	return tl
}

// refCandidates computes each host's candidates the slow way, with
// ScorePair: eligible resources with capacity, not forbidden, not itself,
// not an open partnership, offering something the host needs, scoring at
// least MinScore; best TopK by score, then by order in the round.
func refCandidates(t *rapid.T, pr propRound) [][]int {
	r := pr.round
	subject := func(side matching.Side, p matching.Party) matching.Subject {
		var ps []matching.Existing
		for _, e := range r.Existing {
			if e.HostID == p.City.ID || e.ResourceID == p.City.ID {
				ps = append(ps, e)
			}
		}
		return matching.Subject{Side: side, City: p.City, FocusArea: r.FocusArea, AsOf: r.AsOf, Partnerships: ps}
	}
	forbidden := func(h, j int) bool {
		hid, rid := r.Hosts[h].City.ID, r.Resources[j].City.ID
		if hid == rid {
			return true
		}
		for _, f := range r.ForbidPair {
			if f.HostID == hid && f.ResourceID == rid {
				return true
			}
		}
		for _, e := range r.Existing {
			if e.HostID == hid && e.ResourceID == rid && e.OpenOn(r.AsOf) {
				return true
			}
		}
		return false
	}
	out := make([][]int, len(r.Hosts))
	for h, hp := range r.Hosts {
		if !pr.elig.Check(subject(matching.SideHost, hp)).Eligible {
			continue
		}
		type sc struct {
			j int
			s float64
		}
		var all []sc
		for j, rp := range r.Resources {
			if !pr.elig.Check(subject(matching.SideResource, rp)).Eligible || pr.capacity[j] == 0 || forbidden(h, j) {
				continue
			}
			b, err := matching.ScorePair(hp, rp, r.AsOf, pr.opts.Weights)
			if err != nil {
				t.Fatal(err)
			}
			if tf, _ := b.Criterion(matching.CriterionTopicFit); tf.Known && tf.Similarity == 0 {
				continue
			}
			if b.Score < pr.opts.MinScore {
				continue
			}
			all = append(all, sc{j, b.Score})
		}
		slices.SortStableFunc(all, func(a, b sc) int {
			switch {
			case a.s > b.s:
				return -1
			case a.s < b.s:
				return 1
			}
			return 0
		})
		for _, c := range all[:min(len(all), pr.opts.TopK)] {
			out[h] = append(out[h], c.j)
		}
	}
	return out
}

// bruteBest enumerates every assignment of hosts to their candidates within
// capacity and returns the best (pairs, total) for the objective.
func bruteBest(pr propRound, cands [][]int) (int, float64) {
	r := pr.round
	score := func(h, j int) float64 {
		b, _ := matching.ScorePair(r.Hosts[h], r.Resources[j], r.AsOf, pr.opts.Weights)
		return b.Score
	}
	left := slices.Clone(pr.capacity)
	bestN, bestTotal := 0, 0.0
	better := func(n int, total float64) bool {
		if pr.opts.Goal == matching.GoalMaxScore {
			return total > bestTotal+1e-12
		}
		return n > bestN || n == bestN && total > bestTotal+1e-12
	}
	var rec func(h, n int, total float64)
	rec = func(h, n int, total float64) {
		if h == len(cands) {
			if better(n, total) {
				bestN, bestTotal = n, total
			}
			return
		}
		rec(h+1, n, total)
		for _, j := range cands[h] {
			if left[j] > 0 {
				left[j]--
				rec(h+1, n+1, total+score(h, j))
				left[j]++
			}
		}
	}
	rec(0, 0, 0)
	return bestN, bestTotal
}

func TestMatchProperties(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		pr := genPropRound(t)
		m, err := matching.NewMatcher(pr.elig, &pr.opts)
		if err != nil {
			t.Fatal(err)
		}
		res, err := m.Match(t.Context(), pr.round)
		if err != nil {
			t.Fatalf("Match: %v", err)
		}
		r := pr.round
		cands := refCandidates(t, pr)

		// Every city is either proposed or unmatched, once.
		seenHost := map[string]int{}
		load := map[string]int{}
		for _, p := range res.Proposals {
			seenHost[p.HostID]++
			load[p.ResourceID]++
		}
		unmatched := map[string]int{}
		for _, u := range res.Unmatched {
			unmatched[string(u.Side)+":"+u.ID]++
			if len(u.Reasons) == 0 || u.Why == "" {
				t.Fatalf("unmatched %s %s without a reason", u.Side, u.ID)
			}
		}
		for h, p := range r.Hosts {
			if seenHost[p.City.ID]+unmatched["host:"+p.City.ID] != 1 {
				t.Fatalf("host %s appears %d times as proposed and %d as unmatched", p.City.ID, seenHost[p.City.ID], unmatched["host:"+p.City.ID])
			}
			if cands[h] == nil && seenHost[p.City.ID] > 0 {
				t.Fatalf("host %s proposed without a candidate", p.City.ID)
			}
		}
		for j, p := range r.Resources {
			if (load[p.City.ID] > 0) == (unmatched["resource:"+p.City.ID] > 0) || unmatched["resource:"+p.City.ID] > 1 {
				t.Fatalf("resource %s has load %d and appears %d times unmatched", p.City.ID, load[p.City.ID], unmatched["resource:"+p.City.ID])
			}
			if load[p.City.ID] > pr.capacity[j] {
				t.Fatalf("resource %s has %d pairs, capacity left %d", p.City.ID, load[p.City.ID], pr.capacity[j])
			}
		}

		// Every proposal is a reference candidate, scored as ScorePair does.
		hostIdx, resIdx := map[string]int{}, map[string]int{}
		for i, p := range r.Hosts {
			hostIdx[p.City.ID] = i
		}
		for j, p := range r.Resources {
			resIdx[p.City.ID] = j
		}
		total := 0.0
		for _, p := range res.Proposals {
			h, j := hostIdx[p.HostID], resIdx[p.ResourceID]
			if !slices.Contains(cands[h], j) {
				t.Fatalf("proposal %s–%s is not among the host's candidates %v", p.HostID, p.ResourceID, cands[h])
			}
			b, _ := matching.ScorePair(r.Hosts[h], r.Resources[j], r.AsOf, nil)
			if b.Score != p.Score || b.Score != p.Breakdown.Score {
				t.Fatalf("proposal %s–%s scores %v, ScorePair says %v", p.HostID, p.ResourceID, p.Score, b.Score)
			}
			if d := cmp.Diff(b, p.Breakdown); d != "" {
				t.Fatalf("breakdown differs from ScorePair:\n%s", d)
			}
			if p.Rank != slices.Index(cands[h], j)+1 || p.Candidates != len(cands[h]) {
				t.Fatalf("proposal %s–%s has rank %d of %d; want %d of %d", p.HostID, p.ResourceID, p.Rank, p.Candidates, slices.Index(cands[h], j)+1, len(cands[h]))
			}
			total += p.Score
		}
		if math.Abs(total-res.Total) > 1e-9 {
			t.Fatalf("Total %v, proposals add up to %v", res.Total, total)
		}

		// Optimal for the objective.
		n, best := bruteBest(pr, cands)
		if pr.opts.Goal == matching.GoalMaxPairs && len(res.Proposals) != n {
			t.Fatalf("%d pairs; the most possible is %d", len(res.Proposals), n)
		}
		if math.Abs(res.Total-best) > 1e-9 {
			t.Fatalf("total %v; the best is %v (objective %s)", res.Total, best, pr.opts.Goal)
		}

		// Deterministic.
		again, err := m.Match(t.Context(), pr.round)
		if err != nil {
			t.Fatal(err)
		}
		if d := cmp.Diff(res, again); d != "" {
			t.Fatalf("a second run differs:\n%s", d)
		}
	})
}
