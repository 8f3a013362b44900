package assign

import (
	"cmp"
	"slices"
)

// StableProblem is a stable matching problem with capacities (the
// hospitals/residents problem): hosts rank resources, resources rank hosts,
// each host takes at most one resource and resource r at most Capacity[r]
// hosts.
//
// A pair is acceptable only when each side lists the other; a one-sided
// listing is ignored, without error. Hosts and resources are numbered from
// 0: there are len(HostPrefs) hosts and len(ResourcePrefs) resources.
type StableProblem struct {
	// HostPrefs[h] lists resources, most preferred first. Resources not
	// listed are unacceptable to h. An empty or nil list is allowed.
	HostPrefs [][]int
	// ResourcePrefs[r] lists hosts, most preferred first.
	ResourcePrefs [][]int
	// Capacity[r] is how many hosts resource r may take (0 allowed).
	// Defaults to 1 for every resource when nil.
	Capacity []int
}

// StableMatching is a matching of a [StableProblem].
type StableMatching struct {
	// HostToResource[h] is the resource of host h, or -1.
	HostToResource []int
	// ResourceToHosts[r] lists the hosts of resource r, in r's order of
	// preference (best first). It is empty, not nil, for a resource with
	// no host.
	ResourceToHosts [][]int
}

// stableInstance is a validated problem with the acceptable pairs only,
// each side's list carrying the other side's rank.
type stableInstance struct {
	hosts, resources int
	capacity         []int
	hostList         [][]rankedPair // per host, in the host's order
	resList          [][]rankedPair // per resource, in the resource's order
	hostRank         []map[int]int  // hostRank[h][r]: rank of r in h's full list
	resRank          []map[int]int  // resRank[r][h]: rank of h in r's full list
}

// rankedPair is the other side's id and its rank of this side.
type rankedPair struct{ id, rank int }

func newStableInstance(p *StableProblem) (*stableInstance, error) {
	if p == nil {
		return nil, invalidf("nil problem")
	}
	in := &stableInstance{hosts: len(p.HostPrefs), resources: len(p.ResourcePrefs)}
	if p.Capacity != nil && len(p.Capacity) != in.resources {
		return nil, invalidf("capacity has %d entries, want %d", len(p.Capacity), in.resources)
	}
	in.capacity = make([]int, in.resources)
	for r := range in.capacity {
		in.capacity[r] = 1
		if p.Capacity != nil {
			if p.Capacity[r] < 0 {
				return nil, invalidf("resource %d has negative capacity %d", r, p.Capacity[r])
			}
			in.capacity[r] = p.Capacity[r]
		}
	}
	rankTables := func(prefs [][]int, other int, side, otherSide string) ([]map[int]int, error) {
		t := make([]map[int]int, len(prefs))
		for a, list := range prefs {
			t[a] = make(map[int]int, len(list))
			for k, b := range list {
				if b < 0 || b >= other {
					return nil, invalidf("%s %d lists unknown %s %d", side, a, otherSide, b)
				}
				if _, dup := t[a][b]; dup {
					return nil, invalidf("%s %d lists %s %d twice", side, a, otherSide, b)
				}
				t[a][b] = k
			}
		}
		return t, nil
	}
	var err error
	if in.hostRank, err = rankTables(p.HostPrefs, in.resources, "host", "resource"); err != nil {
		return nil, err
	}
	if in.resRank, err = rankTables(p.ResourcePrefs, in.hosts, "resource", "host"); err != nil {
		return nil, err
	}
	in.hostList = make([][]rankedPair, in.hosts)
	for h, list := range p.HostPrefs {
		for _, r := range list {
			if k, ok := in.resRank[r][h]; ok {
				in.hostList[h] = append(in.hostList[h], rankedPair{r, k})
			}
		}
	}
	in.resList = make([][]rankedPair, in.resources)
	for r, list := range p.ResourcePrefs {
		for _, h := range list {
			if k, ok := in.hostRank[h][r]; ok {
				in.resList[r] = append(in.resList[r], rankedPair{h, k})
			}
		}
	}
	return in, nil
}

// StableHostOptimal returns the host-optimal stable matching: every host
// gets the best resource it has in any stable assign. It runs the
// deferred acceptance algorithm with hosts proposing (D. Gale and L. S.
// Shapley, "College admissions and the stability of marriage", American
// Mathematical Monthly 69, 9–15, 1962), in its hospitals/residents form
// (A. E. Roth, "The evolution of the labor market for medical interns and
// residents", J. Political Economy 92, 991–1016, 1984; D. Gusfield and
// R. W. Irving, "The Stable Marriage Problem: Structure and Algorithms",
// MIT Press, 1989, section 1.6). The result is unique, so it does not
// depend on the order of proposals. Time O(total length of the lists).
//
// It returns an error wrapping [ErrInvalidProblem] for an unknown id, an id
// listed twice, a negative capacity or a capacity slice of the wrong
// length.
func StableHostOptimal(p *StableProblem) (*StableMatching, error) {
	in, err := newStableInstance(p)
	if err != nil {
		return nil, err
	}
	next := make([]int, in.hosts)
	match := make([]int, in.hosts)
	held := make([][]rankedPair, in.resources) // max-heap by rank: worst on top
	queue := make([]int, 0, in.hosts)
	for h := range in.hosts {
		match[h] = -1
		queue = append(queue, h)
	}
	for len(queue) > 0 {
		h := queue[0]
		queue = queue[1:]
		for next[h] < len(in.hostList[h]) {
			pr := in.hostList[h][next[h]]
			next[h]++
			r, rank := pr.id, pr.rank
			if len(held[r]) < in.capacity[r] {
				held[r] = heapPushWorst(held[r], rankedPair{h, rank})
				match[h] = r
				break
			}
			if in.capacity[r] == 0 || held[r][0].rank < rank {
				continue // rejected
			}
			worst := held[r][0]
			held[r][0] = rankedPair{h, rank}
			heapFixWorst(held[r])
			match[h] = r
			match[worst.id] = -1
			queue = append(queue, worst.id)
			break
		}
	}
	return in.matching(match), nil
}

// StableResourceOptimal returns the resource-optimal stable matching, the
// one each resource likes best among stable matchings and each host likes
// least. It runs deferred acceptance with resources proposing, each to as
// many hosts as it has room for (same references as [StableHostOptimal]).
func StableResourceOptimal(p *StableProblem) (*StableMatching, error) {
	in, err := newStableInstance(p)
	if err != nil {
		return nil, err
	}
	next := make([]int, in.resources)
	count := make([]int, in.resources)
	match := make([]int, in.hosts)
	matchRank := make([]int, in.hosts) // host's rank of its resource
	for h := range match {
		match[h] = -1
	}
	queued := make([]bool, in.resources)
	queue := make([]int, 0, in.resources)
	for r := range in.resources {
		queue = append(queue, r)
		queued[r] = true
	}
	for len(queue) > 0 {
		r := queue[0]
		queue = queue[1:]
		queued[r] = false
		for count[r] < in.capacity[r] && next[r] < len(in.resList[r]) {
			pr := in.resList[r][next[r]]
			next[r]++
			h, rank := pr.id, pr.rank
			old := match[h]
			if old >= 0 && matchRank[h] < rank {
				continue // h keeps the resource it prefers
			}
			if old >= 0 {
				count[old]--
				if !queued[old] {
					queued[old] = true
					queue = append(queue, old)
				}
			}
			match[h], matchRank[h] = r, rank
			count[r]++
		}
	}
	return in.matching(match), nil
}

// matching builds the result from each host's resource.
func (in *stableInstance) matching(match []int) *StableMatching {
	m := &StableMatching{HostToResource: match, ResourceToHosts: make([][]int, in.resources)}
	for r := range m.ResourceToHosts {
		m.ResourceToHosts[r] = []int{}
	}
	for h, r := range match {
		if r >= 0 {
			m.ResourceToHosts[r] = append(m.ResourceToHosts[r], h)
		}
	}
	for r, hs := range m.ResourceToHosts {
		slices.SortFunc(hs, func(a, b int) int { return cmp.Compare(in.resRank[r][a], in.resRank[r][b]) })
	}
	return m
}

// heapPushWorst adds x to a max-heap by rank.
func heapPushWorst(h []rankedPair, x rankedPair) []rankedPair {
	h = append(h, x)
	for k := len(h) - 1; k > 0; {
		p := (k - 1) / 2
		if h[p].rank >= h[k].rank {
			break
		}
		h[p], h[k] = h[k], h[p]
		k = p
	}
	return h
}

// heapFixWorst restores a max-heap by rank after its top changed.
func heapFixWorst(h []rankedPair) {
	for k := 0; ; {
		c := 2*k + 1
		if c >= len(h) {
			return
		}
		if c+1 < len(h) && h[c+1].rank > h[c].rank {
			c++
		}
		if h[k].rank >= h[c].rank {
			return
		}
		h[k], h[c] = h[c], h[k]
		k = c
	}
}

// VerifyStable checks that m is a stable matching of p: the lists are
// consistent, every pair is acceptable to both sides, no resource exceeds
// its capacity, and no blocking pair exists (a host h and resource r, each
// acceptable to the other, where h prefers r to its resource or has none,
// and r has room or prefers h to one of its hosts). It returns nil, an
// error wrapping [ErrVerification] naming the first failure, or the input
// errors of [StableHostOptimal].
func VerifyStable(p *StableProblem, m *StableMatching) error {
	in, err := newStableInstance(p)
	if err != nil {
		return err
	}
	if m == nil || len(m.HostToResource) != in.hosts || len(m.ResourceToHosts) != in.resources {
		return verifyf("matching does not have %d hosts and %d resources", in.hosts, in.resources)
	}
	worst := make([]int, in.resources) // resource's rank of its worst host
	for r, hs := range m.ResourceToHosts {
		if len(hs) > in.capacity[r] {
			return verifyf("resource %d has %d hosts, capacity %d", r, len(hs), in.capacity[r])
		}
		worst[r] = -1
		for _, h := range hs {
			if h < 0 || h >= in.hosts || m.HostToResource[h] != r {
				return verifyf("resource %d lists host %d, which is not matched to it", r, h)
			}
			worst[r] = max(worst[r], in.resRank[r][h])
		}
	}
	count := make([]int, in.resources)
	for h, r := range m.HostToResource {
		if r == -1 {
			continue
		}
		if r < 0 || r >= in.resources {
			return verifyf("host %d matched to unknown resource %d", h, r)
		}
		_, okH := in.hostRank[h][r]
		_, okR := in.resRank[r][h]
		if !okH || !okR {
			return verifyf("host %d and resource %d are not acceptable to each other", h, r)
		}
		count[r]++
	}
	for r, c := range count {
		if c != len(m.ResourceToHosts[r]) {
			return verifyf("resource %d lists %d hosts, %d hosts name it", r, len(m.ResourceToHosts[r]), c)
		}
	}
	for h, list := range in.hostList {
		for _, pr := range list {
			r := pr.id
			if cur := m.HostToResource[h]; cur >= 0 && in.hostRank[h][cur] <= in.hostRank[h][r] {
				break // h has r or prefers what it has; the list is in h's order
			}
			if count[r] < in.capacity[r] || (count[r] > 0 && pr.rank < worst[r]) {
				return verifyf("host %d and resource %d block the matching", h, r)
			}
		}
	}
	return nil
}
