package assign_test

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"pgregory.net/rapid"

	"github.com/citylinks/citylinks/matching/assign"
)

// TestStableGaleShapley uses the three-by-three example of Gale and
// Shapley (1962), section 3, with hosts as the men α, β, γ and resources
// as the women A, B, C. Each man's first choice is a different woman, as
// is each woman's, and the two are opposed: the instance has three stable
// matchings (everyone's first, second or third choice on the men's side).
func TestStableGaleShapley(t *testing.T) {
	const A, B, C = 0, 1, 2
	const alpha, beta, gamma = 0, 1, 2
	p := &assign.StableProblem{
		HostPrefs:     [][]int{{A, B, C}, {B, C, A}, {C, A, B}},
		ResourcePrefs: [][]int{{beta, gamma, alpha}, {gamma, alpha, beta}, {alpha, beta, gamma}},
	}
	h, err := assign.StableHostOptimal(p)
	require.NoError(t, err)
	want := &assign.StableMatching{HostToResource: []int{A, B, C}, ResourceToHosts: [][]int{{alpha}, {beta}, {gamma}}}
	if diff := cmp.Diff(want, h); diff != "" {
		t.Errorf("StableHostOptimal mismatch (-want +got):\n%s", diff)
	}
	r, err := assign.StableResourceOptimal(p)
	require.NoError(t, err)
	want = &assign.StableMatching{HostToResource: []int{C, A, B}, ResourceToHosts: [][]int{{beta}, {gamma}, {alpha}}}
	if diff := cmp.Diff(want, r); diff != "" {
		t.Errorf("StableResourceOptimal mismatch (-want +got):\n%s", diff)
	}
	require.NoError(t, assign.VerifyStable(p, h))
	require.NoError(t, assign.VerifyStable(p, r))
	assert.Len(t, allStable(p), 3, "Gale and Shapley's example has three stable matchings")
}

// TestStableHospitalsResidents is a small hospitals/residents instance with
// capacities worked by hand: hospital 0 (capacity 2) and hospital 1
// (capacity 1); residents 0..3.
func TestStableHospitalsResidents(t *testing.T) {
	p := &assign.StableProblem{
		HostPrefs:     [][]int{{0, 1}, {1, 0}, {0, 1}, {1}},
		ResourcePrefs: [][]int{{1, 3, 0, 2}, {0, 2, 1, 3}},
		Capacity:      []int{2, 1},
	}
	h, err := assign.StableHostOptimal(p)
	require.NoError(t, err)
	// Residents 0 and 2 get hospital 0; resident 1 gets hospital 1; resident
	// 3 is left out (hospital 0 is not on its list).
	assert.Equal(t, []int{0, 1, 0, -1}, h.HostToResource)
	assert.Equal(t, [][]int{{0, 2}, {1}}, h.ResourceToHosts, "hosts in the resource's order")
	r, err := assign.StableResourceOptimal(p)
	require.NoError(t, err)
	// Hospital 0 (which resident 3 does not list) proposes to residents 1
	// and 0, who accept; hospital 1's favourite, resident 0, prefers
	// hospital 0, so hospital 1 ends with resident 2.
	assert.Equal(t, []int{0, 0, 1, -1}, r.HostToResource)
	assert.Equal(t, [][]int{{1, 0}, {2}}, r.ResourceToHosts)
	require.NoError(t, assign.VerifyStable(p, r))
	assert.ElementsMatch(t, allStable(p), uniqueMatchings(h, r))
}

func uniqueMatchings(ms ...*assign.StableMatching) [][]int {
	var out [][]int
	for _, m := range ms {
		if !slices.ContainsFunc(out, func(x []int) bool { return slices.Equal(x, m.HostToResource) }) {
			out = append(out, m.HostToResource)
		}
	}
	return out
}

// allStable enumerates every stable matching of a small problem by brute
// force, as HostToResource slices.
func allStable(p *assign.StableProblem) [][]int {
	hosts := len(p.HostPrefs)
	var out [][]int
	cur := make([]int, hosts)
	var rec func(h int)
	rec = func(h int) {
		if h == hosts {
			m := buildMatching(p, cur)
			if assign.VerifyStable(p, m) == nil {
				out = append(out, slices.Clone(cur))
			}
			return
		}
		cur[h] = -1
		rec(h + 1)
		for _, r := range p.HostPrefs[h] {
			if slices.Contains(p.ResourcePrefs[r], h) {
				cur[h] = r
				rec(h + 1)
			}
		}
	}
	rec(0)
	return out
}

func buildMatching(p *assign.StableProblem, h2r []int) *assign.StableMatching {
	m := &assign.StableMatching{HostToResource: slices.Clone(h2r), ResourceToHosts: make([][]int, len(p.ResourcePrefs))}
	for r := range m.ResourceToHosts {
		m.ResourceToHosts[r] = []int{}
	}
	for h, r := range h2r {
		if r >= 0 {
			m.ResourceToHosts[r] = append(m.ResourceToHosts[r], h)
		}
	}
	return m
}

func rankOf(list []int, x int) int {
	if k := slices.Index(list, x); k >= 0 {
		return k
	}
	return len(list) + 1 // unmatched: worse than anything listed
}

func randomStable(r *rand.Rand, hosts, resources int) *assign.StableProblem {
	p := &assign.StableProblem{HostPrefs: make([][]int, hosts), ResourcePrefs: make([][]int, resources)}
	for h := range p.HostPrefs {
		for _, x := range r.Perm(resources) {
			if r.IntN(4) > 0 {
				p.HostPrefs[h] = append(p.HostPrefs[h], x)
			}
		}
	}
	for x := range p.ResourcePrefs {
		for _, h := range r.Perm(hosts) {
			if r.IntN(4) > 0 {
				p.ResourcePrefs[x] = append(p.ResourcePrefs[x], h)
			}
		}
	}
	if r.IntN(3) > 0 {
		p.Capacity = make([]int, resources)
		for x := range p.Capacity {
			p.Capacity[x] = r.IntN(3)
		}
	}
	return p
}

// TestStableBruteForce checks, on many random small instances, that both
// solvers return stable matchings, that the host-optimal one is the best
// stable matching for every host and the resource-optimal one the worst,
// that the resource-optimal one gives every resource, position by
// position, hosts at least as good as any stable matching does, and that
// every stable matching matches the same hosts (the rural hospitals
// theorem).
func TestStableBruteForce(t *testing.T) {
	r := rand.New(rand.NewPCG(4, 2))
	for n := range 600 {
		p := randomStable(r, 1+r.IntN(6), 1+r.IntN(4))
		name := fmt.Sprintf("#%d %+v", n, *p)
		all := allStable(p)
		require.NotEmpty(t, all, name)
		h, err := assign.StableHostOptimal(p)
		require.NoError(t, err, name)
		ro, err := assign.StableResourceOptimal(p)
		require.NoError(t, err, name)
		require.NoError(t, assign.VerifyStable(p, h), name)
		require.NoError(t, assign.VerifyStable(p, ro), name)
		require.Contains(t, all, h.HostToResource, name)
		require.Contains(t, all, ro.HostToResource, name)
		for _, m := range all {
			for host, x := range m {
				prefs := p.HostPrefs[host]
				assert.LessOrEqual(t, rankOf(prefs, h.HostToResource[host]), rankOf(prefs, x), "host %d in %s", host, name)
				assert.GreaterOrEqual(t, rankOf(prefs, ro.HostToResource[host]), rankOf(prefs, x), "host %d in %s", host, name)
				assert.Equal(t, h.HostToResource[host] >= 0, x >= 0, "rural hospitals: host %d in %s", host, name)
			}
			other := buildMatching(p, m)
			for res := range p.ResourcePrefs {
				best, mine := ranksSorted(p.ResourcePrefs[res], ro.ResourceToHosts[res]), ranksSorted(p.ResourcePrefs[res], other.ResourceToHosts[res])
				require.Len(t, mine, len(best), "rural hospitals: resource %d in %s", res, name)
				for k := range best {
					assert.LessOrEqual(t, best[k], mine[k], "resource %d position %d in %s", res, k, name)
				}
			}
		}
	}
}

func ranksSorted(prefs, hosts []int) []int {
	out := make([]int, len(hosts))
	for k, h := range hosts {
		out[k] = rankOf(prefs, h)
	}
	slices.Sort(out)
	return out
}

func TestStableErrors(t *testing.T) {
	for _, tc := range []struct {
		name string
		p    *assign.StableProblem
		ok   bool
	}{
		{"nil", nil, false},
		{"empty", &assign.StableProblem{}, true},
		{"empty lists", &assign.StableProblem{HostPrefs: [][]int{{}, nil}, ResourcePrefs: [][]int{{}}}, true},
		{"one-sided listing ignored", &assign.StableProblem{HostPrefs: [][]int{{0}}, ResourcePrefs: [][]int{{}}}, true},
		{"capacity 0", &assign.StableProblem{HostPrefs: [][]int{{0}}, ResourcePrefs: [][]int{{0}}, Capacity: []int{0}}, true},
		{"unknown resource", &assign.StableProblem{HostPrefs: [][]int{{1}}, ResourcePrefs: [][]int{{0}}}, false},
		{"unknown host", &assign.StableProblem{HostPrefs: [][]int{{0}}, ResourcePrefs: [][]int{{-1}}}, false},
		{"duplicate in host list", &assign.StableProblem{HostPrefs: [][]int{{0, 0}}, ResourcePrefs: [][]int{{0}}}, false},
		{"duplicate in resource list", &assign.StableProblem{HostPrefs: [][]int{{0}}, ResourcePrefs: [][]int{{0, 0}}}, false},
		{"negative capacity", &assign.StableProblem{HostPrefs: [][]int{{0}}, ResourcePrefs: [][]int{{0}}, Capacity: []int{-1}}, false},
		{"capacity length", &assign.StableProblem{HostPrefs: [][]int{{0}}, ResourcePrefs: [][]int{{0}}, Capacity: []int{1, 1}}, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			for _, solve := range []func(*assign.StableProblem) (*assign.StableMatching, error){assign.StableHostOptimal, assign.StableResourceOptimal} {
				m, err := solve(tc.p)
				if !tc.ok {
					require.ErrorIs(t, err, assign.ErrInvalidProblem)
					assert.Regexp(t, `^assign: `, err.Error())
					continue
				}
				require.NoError(t, err)
				require.NoError(t, assign.VerifyStable(tc.p, m))
				for _, r := range m.HostToResource {
					assert.Equal(t, -1, r, "no acceptable pair, so no match")
				}
			}
		})
	}
}

func TestVerifyStableRejects(t *testing.T) {
	p := &assign.StableProblem{HostPrefs: [][]int{{0, 1}, {0, 1}}, ResourcePrefs: [][]int{{0, 1}, {0, 1}}}
	for _, tc := range []struct {
		name string
		h2r  []int
	}{
		{"blocking pair", []int{1, 0}},
		{"room left", []int{-1, 1}},
		{"over capacity", []int{0, 0}},
	} {
		err := assign.VerifyStable(p, buildMatching(p, tc.h2r))
		assert.ErrorIs(t, err, assign.ErrVerification, tc.name)
	}
	q := &assign.StableProblem{HostPrefs: [][]int{{0}}, ResourcePrefs: [][]int{{}}}
	assert.ErrorIs(t, assign.VerifyStable(q, buildMatching(q, []int{0})), assign.ErrVerification, "unacceptable pair")
	bad := buildMatching(p, []int{0, 1})
	bad.ResourceToHosts[1] = nil
	assert.ErrorIs(t, assign.VerifyStable(p, bad), assign.ErrVerification, "inconsistent lists")
}

func TestStableProperties(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		hosts := rapid.IntRange(0, 12).Draw(t, "hosts")
		resources := rapid.IntRange(0, 6).Draw(t, "resources")
		p := &assign.StableProblem{HostPrefs: make([][]int, hosts), ResourcePrefs: make([][]int, resources)}
		if resources > 0 {
			for h := range p.HostPrefs {
				p.HostPrefs[h] = rapid.SliceOfDistinct(rapid.IntRange(0, resources-1), rapid.ID[int]).Draw(t, "hp")
			}
		}
		if hosts > 0 {
			for r := range p.ResourcePrefs {
				p.ResourcePrefs[r] = rapid.SliceOfDistinct(rapid.IntRange(0, hosts-1), rapid.ID[int]).Draw(t, "rp")
			}
		}
		p.Capacity = rapid.SliceOfN(rapid.IntRange(0, 3), resources, resources).Draw(t, "cap")
		for _, solve := range []func(*assign.StableProblem) (*assign.StableMatching, error){assign.StableHostOptimal, assign.StableResourceOptimal} {
			a, err := solve(p)
			if err != nil {
				t.Fatalf("solve: %v", err)
			}
			if err := assign.VerifyStable(p, a); err != nil {
				t.Fatalf("VerifyStable: %v", err)
			}
			b, _ := solve(p)
			if !cmp.Equal(a, b) {
				t.Fatalf("not deterministic")
			}
		}
	})
}
