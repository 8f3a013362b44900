package assign

import "math"

// auctionPrices runs a forward auction with ε-scaling (D. P. Bertsekas,
// "The auction algorithm: a distributed relaxation method for the
// assignment problem", Annals of Operations Research 14, 105–123, 1988) on
// a square flowGraph and returns column potentials for the exact phase.
//
// The auction only supplies a starting point: its assignment is dropped
// and the exact phase (augmenting row reduction, then shortest augmenting
// paths) starts from these potentials with every row free, which is valid
// for any potentials. Near-optimal potentials make that phase short: rows
// mostly find distinct best columns, and the shortest paths that remain
// are short, so their searches settle few nodes. The result is therefore as
// exact as without the auction; only the running time depends on it.
//
// It reports false when the auction is not worth it or goes over its work
// budget; the caller then uses column reduction.
// auctionMinRows is the smallest problem the auction start is used for;
// below it column reduction is as good. Tests lower it.
var auctionMinRows = 1000

func auctionPrices[T number](g *flowGraph[T], b lapBounds[T]) ([]T, bool) {
	n := g.nl
	if n < auctionMinRows {
		return nil, false
	}
	lo, hi := math.Inf(1), math.Inf(-1)
	for _, c := range g.cost {
		lo = min(lo, float64(c))
		hi = max(hi, float64(c))
	}
	span := hi - lo
	if !(span > 0) || math.IsInf(span, 0) {
		return nil, false
	}
	// Minimization with prices p: a row's value of column j is
	// -(cost - lo) - p[j]; potentials are v = lo - p.
	price := make([]float64, n)
	owner := make([]int32, n) // column -> row
	assigned := make([]int32, n)
	queue := make([]int32, 0, n)
	budget := 40 * len(g.adj)
	// Scaling factor and final ε (relative to the span of the costs) were
	// tuned on random instances with n = 100000 and 10 to 50 candidates
	// per row; the exact phase makes up for prices that are off.
	const alpha = 10
	eps := span / 4
	final := span * 1e-6
	for {
		for j := range owner {
			owner[j] = -1
		}
		queue = queue[:0]
		for i := range int32(n) {
			assigned[i] = -1
			queue = append(queue, i)
		}
		for q := 0; q < len(queue); q++ {
			i := queue[q]
			best, second := math.Inf(-1), math.Inf(-1)
			bj := int32(-1)
			for e := g.start[i]; e < g.start[i+1]; e++ {
				j := g.adj[e]
				val := -(float64(g.cost[e]) - lo) - price[j]
				if val > best {
					second, best, bj = best, val, j
				} else if val > second {
					second = val
				}
			}
			budget -= int(g.start[i+1]-g.start[i]) + 1
			if budget < 0 || bj < 0 {
				return nil, false
			}
			if math.IsInf(second, -1) {
				second = best - span
			}
			price[bj] += best - second + eps
			if prev := owner[bj]; prev >= 0 {
				assigned[prev] = -1
				queue = append(queue, prev)
			}
			owner[bj] = i
			assigned[i] = bj
			if len(queue) > 4*n {
				// Compact the processed prefix.
				queue = append(queue[:0], queue[q+1:]...)
				q = -1
			}
		}
		if eps <= final {
			break
		}
		eps = max(eps/alpha, final)
	}
	v := make([]T, n)
	for j, p := range price {
		x := lo - p
		if _, isInt := any(v[j]).(int64); isInt {
			x = math.Round(x)
			if !(math.Abs(x) < float64(-b.vmin)/2) {
				return nil, false
			}
		}
		v[j] = T(x)
	}
	return v, true
}
