package assign

import "slices"

// Successive shortest augmenting paths on a flowGraph: every unit of left
// demand is served by a Dijkstra search, in reduced costs, from its left
// node to the nearest right node with room, then the path is augmented.
// This is the augmentation phase of Jonker and Volgenant's sparse method
// (Computing 38, 325–340, 1987) with a binary heap, generalised to
// demands and capacities.
//
// Invariants (minimisation): every left node l that has edges in use has a
// potential u[l] with cost[e] - u[l] - v[r] >= 0 on all its edges and = 0 on
// those in use; right potentials v start at 0, only ever decrease, and
// decrease only on right nodes that are full, so v <= 0 and v = 0 on right
// nodes with room. Those are exactly the conditions the certificate of
// SparseAssignmentOf states.

// sspResult is the solution of a flowGraph.
type sspResult[T number] struct {
	lslotStart []int32 // left l's edges in use are lslotE[lslotStart[l]:lslotStart[l+1]]
	lslotE     []int32
	u, v       []T
}

// rightNode keeps together what a relaxation reads and writes about a
// right node, so that it costs one cache line.
type rightNode[T number] struct {
	v, dist    T     // potential; tentative distance in the current search
	seen, done int32 // stamp of the search that reached / finalised it
	predL      int32 // left node it was reached from
	predE      int32 // edge it was reached by
	room       bool  // load below capacity
}

type sspSolver[T number] struct {
	g *flowGraph[T]
	b lapBounds[T]

	lslotStart, lslotE, lload []int32
	rslotStart, rslotL, rload []int32
	rslotE                    []int32
	rn                        []rightNode[T]

	// Search state, reset by stamps.
	stamp   int32
	entered []int32 // per left node: stamp when scanned
	via     []int32 // left node -> right node it was entered from
	final   []int32 // right nodes finalised in this search
	heap    distHeap[T]
	ub      T // least distance of a right node with room found so far
}

func prefixOnes(n int, counts []int32) []int32 {
	s := make([]int32, n+1)
	for k := range n {
		c := int32(1)
		if counts != nil {
			c = counts[k]
		}
		s[k+1] = s[k] + c
	}
	return s
}

// sspSolve serves every left demand at least cost. It fails only on an
// internal inconsistency (the caller guarantees a solution exists) or an
// int64 overflow.
func sspSolve[T number](g *flowGraph[T], b lapBounds[T]) (*sspResult[T], error) {
	s := newSSPSolver(g, b)
	free, err := s.rowReduction()
	if err != nil {
		return nil, err
	}
	if len(free) > 0 {
		s.entered = make([]int32, g.nl)
		s.via = make([]int32, g.nl)
		for _, l := range free {
			if err := s.augment(l); err != nil {
				return nil, err
			}
		}
	}
	// A left node in use takes the potential its edges in use give it; one
	// of demand 0 the largest that keeps its edges feasible.
	u := make([]T, g.nl)
	for l := range g.nl {
		if s.lload[l] > 0 {
			e := s.lslotE[s.lslotStart[l]]
			u[l] = g.cost[e] - s.rn[g.adj[e]].v
			continue
		}
		for e := g.start[l]; e < g.start[l+1]; e++ {
			if h := g.cost[e] - s.rn[g.adj[e]].v; e == g.start[l] || h < u[l] {
				u[l] = h
			}
		}
	}
	v := make([]T, g.nr)
	for r := range v {
		v[r] = s.rn[r].v
	}
	if s.square() && g.nr > 0 {
		// Column reduction may have left positive potentials; every right
		// node is full, so shift them to <= 0 as the certificate states.
		t := slices.Max(v)
		if t > 0 {
			for r := range v {
				v[r] -= t
			}
			for l := range u {
				u[l] += t
			}
		}
	}
	return &sspResult[T]{lslotStart: s.lslotStart, lslotE: s.lslotE, u: u, v: v}, nil
}

func newSSPSolver[T number](g *flowGraph[T], b lapBounds[T]) *sspSolver[T] {
	s := &sspSolver[T]{g: g, b: b}
	s.lslotStart = prefixOnes(g.nl, g.dem)
	s.rslotStart = prefixOnes(g.nr, g.cap)
	s.lslotE = make([]int32, s.lslotStart[g.nl])
	s.lload = make([]int32, g.nl)
	nrs := s.rslotStart[g.nr]
	s.rslotL = make([]int32, nrs)
	s.rslotE = make([]int32, nrs)
	s.rload = make([]int32, g.nr)
	s.rn = make([]rightNode[T], g.nr)
	for r := range s.rn {
		s.rn[r].room = s.capOf(int32(r)) > 0
	}
	return s
}

func (s *sspSolver[T]) capOf(r int32) int32 { return s.rslotStart[r+1] - s.rslotStart[r] }

// assign puts edge e (left l, right r) in use.
func (s *sspSolver[T]) assign(l, r, e int32) {
	k := s.rslotStart[r] + s.rload[r]
	s.rslotL[k], s.rslotE[k] = l, e
	s.rload[r]++
	s.rn[r].room = s.rload[r] < s.capOf(r)
	s.lslotE[s.lslotStart[l]+s.lload[l]] = e
	s.lload[l]++
}

// unassignRight removes left l from right r's slots.
func (s *sspSolver[T]) unassignRight(r, l int32) {
	s0 := s.rslotStart[r]
	last := s0 + s.rload[r] - 1
	for k := s0; k <= last; k++ {
		if s.rslotL[k] == l {
			s.rslotL[k], s.rslotE[k] = s.rslotL[last], s.rslotE[last]
			s.rload[r]--
			s.rn[r].room = true
			return
		}
	}
}

// rowReduction gives the left nodes of demand 1 a start in the manner of
// Jonker and Volgenant's augmenting row reduction, adapted to capacities:
// a left node takes its right node of least reduced cost when it has room
// (lowering that node's potential by the gap to the second least only when
// this fills a node of capacity 1), or displaces the single occupant of a
// full node of capacity 1. Nodes that cannot be placed this way, and every
// unit of demand above 1, are returned for the augmentation phase. On a
// square problem it starts from auction prices (auctionPrices) or, for
// small problems, from columnReduction as the paper does; otherwise from
// v = 0, which keeps the sign condition of right nodes with room.
func (s *sspSolver[T]) rowReduction() ([]int32, error) {
	g := s.g
	var free, later []int32
	if s.square() {
		if v, ok := auctionPrices(g, s.b); ok {
			for r := range v {
				s.rn[r].v = v[r]
			}
			for l := range int32(g.nl) {
				free = append(free, l)
			}
		} else {
			free = s.columnReduction()
		}
	} else {
		for l := range int32(g.nl) {
			d := s.lslotStart[l+1] - s.lslotStart[l]
			if d != 1 {
				for range d {
					later = append(later, l)
				}
				continue
			}
			if g.start[l] == g.start[l+1] {
				return nil, internalf("left node %d has demand but no edge", l)
			}
			free = append(free, l)
		}
	}
	// Unlike the paper's two passes, keep passing while a pass still frees
	// more than 5% of the remaining rows: on large sparse problems each row
	// left to the augmentation phase costs a search over a good part of the
	// graph, far more than a few more reduction steps.
	for pass := 0; pass < 8 && len(free) > 0; pass++ {
		prv, numfree, k := len(free), 0, 0
		budget := 10*g.nl + 64
		for k < prv {
			if budget--; budget < 0 {
				numfree += copy(free[numfree:], free[k:prv])
				break
			}
			l := free[k]
			k++
			e1, e2 := int32(-1), int32(-1)
			umin, usub := s.b.forbidden, s.b.forbidden
			for e := g.start[l]; e < g.start[l+1]; e++ {
				h := g.cost[e] - s.rn[g.adj[e]].v
				if h < usub {
					if e1 >= 0 && h >= umin {
						usub, e2 = h, e
					} else {
						usub, umin = umin, h
						e2, e1 = e1, e
					}
				}
			}
			r1 := g.adj[e1]
			single := s.capOf(r1) == 1
			hasSub := e2 >= 0
			switch {
			case s.rload[r1] < s.capOf(r1):
				if single && hasSub && umin < usub {
					if err := s.lower(r1, usub-umin); err != nil {
						return nil, err
					}
				}
				s.assign(l, r1, e1)
			case !single:
				later = append(later, l)
			case hasSub && umin < usub:
				strictly := s.rn[r1].v
				if err := s.lower(r1, usub-umin); err != nil {
					return nil, err
				}
				i0 := s.evict(r1)
				s.assign(l, r1, e1)
				if s.rn[r1].v < strictly {
					k--
					free[k] = i0
				} else {
					free[numfree] = i0
					numfree++
				}
			default:
				// A tie, or a single edge: move to the second choice when
				// it has room or one occupant, else take r1 at its price.
				e, r := e1, r1
				if hasSub {
					if r2 := g.adj[e2]; s.rload[r2] < s.capOf(r2) || s.capOf(r2) == 1 {
						e, r = e2, r2
					}
				}
				if s.rload[r] < s.capOf(r) {
					s.assign(l, r, e)
					continue
				}
				i0 := s.evict(r)
				s.assign(l, r, e)
				free[numfree] = i0
				numfree++
			}
		}
		free = free[:numfree]
		if numfree > prv*95/100 {
			break
		}
	}
	return append(free, later...), nil
}

// square reports whether every demand and capacity is 1 and there are as
// many right nodes as left nodes, so every right node ends up full and its
// potential has no sign condition.
func (s *sspSolver[T]) square() bool {
	if s.g.dem != nil || s.g.nl != s.g.nr {
		return false
	}
	for _, c := range s.g.cap {
		if c != 1 {
			return false
		}
	}
	return true
}

// columnReduction is the column reduction and reduction transfer of Jonker
// and Volgenant on the sparse graph of a square problem: v[r] becomes the
// least cost into r, r goes to that left node if it is still free
// (scanning right nodes from last to first), and a left node that got
// exactly one right node moves its slack to that node's potential. It
// returns the left nodes still free.
func (s *sspSolver[T]) columnReduction() []int32 {
	g := s.g
	argmin := make([]int32, g.nr)
	edge := make([]int32, g.nr)
	for r := range argmin {
		argmin[r] = -1
	}
	for l := range int32(g.nl) {
		for e := g.start[l]; e < g.start[l+1]; e++ {
			r := g.adj[e]
			if c := g.cost[e]; argmin[r] < 0 || c < s.rn[r].v {
				s.rn[r].v, argmin[r], edge[r] = c, l, e
			}
		}
	}
	matches := make([]int32, g.nl)
	for r := int32(g.nr) - 1; r >= 0; r-- {
		l := argmin[r]
		matches[l]++
		if matches[l] == 1 {
			s.assign(l, r, edge[r])
		}
	}
	var free []int32
	for l := range int32(g.nl) {
		switch matches[l] {
		case 0:
			free = append(free, l)
		case 1:
			e1 := s.lslotE[s.lslotStart[l]]
			r1 := g.adj[e1]
			umin, found := s.b.forbidden, false
			for e := g.start[l]; e < g.start[l+1]; e++ {
				if e != e1 {
					if h := g.cost[e] - s.rn[g.adj[e]].v; h < umin {
						umin, found = h, true
					}
				}
			}
			if found {
				s.rn[r1].v -= umin
			}
		}
	}
	return free
}

// lower decreases v[r] by delta, checking the int64 range.
func (s *sspSolver[T]) lower(r int32, delta T) error {
	nv := s.rn[r].v - delta
	if nv < s.b.vmin {
		return overflowf("potential out of range")
	}
	s.rn[r].v = nv
	return nil
}

// evict frees the single occupant of right node r (capacity 1) and
// returns it.
func (s *sspSolver[T]) evict(r int32) int32 {
	k := s.rslotStart[r]
	l := s.rslotL[k]
	s.rload[r] = 0
	s.rn[r].room = true
	s.lload[l] = 0
	return l
}

// augment serves one unit of demand of left node root.
func (s *sspSolver[T]) augment(root int32) error {
	g := s.g
	s.stamp++
	st := s.stamp
	s.final = s.final[:0]
	s.heap = s.heap[:0]
	s.ub = s.b.forbidden
	var u0 T
	if s.lload[root] > 0 {
		e := s.lslotE[s.lslotStart[root]]
		u0 = g.cost[e] - s.rn[g.adj[e]].v
	}
	s.entered[root] = st
	s.relax(root, 0, u0, st)
	end := int32(-1)
	var lsp T
	for len(s.heap) > 0 {
		it := s.heap.pop()
		r := it.node
		if s.rn[r].done == st || it.key != s.rn[r].dist {
			continue
		}
		dmin := it.key
		if dmin >= s.b.lim {
			break
		}
		if s.rn[r].room {
			end, lsp = r, dmin
			break
		}
		s.rn[r].done = st
		s.final = append(s.final, r)
		s0 := s.rslotStart[r]
		for k := s0; k < s0+s.rload[r]; k++ {
			l := s.rslotL[k]
			if s.entered[l] == st {
				continue
			}
			s.entered[l] = st
			s.via[l] = r
			s.relax(l, dmin, g.cost[s.rslotE[k]]-s.rn[r].v, st)
		}
	}
	if end < 0 {
		return internalf("no augmenting path from left node %d", root)
	}
	for _, r := range s.final {
		if err := s.lower(r, lsp-s.rn[r].dist); err != nil {
			return err
		}
	}
	for r := end; ; {
		l, e := s.rn[r].predL, s.rn[r].predE
		if l == root {
			s.assign(l, r, e)
			return nil
		}
		prev := s.via[l]
		// l moves from prev to r.
		k := s.rslotStart[r] + s.rload[r]
		s.rslotL[k], s.rslotE[k] = l, e
		s.rload[r]++
		s.rn[r].room = s.rload[r] < s.capOf(r)
		ls := s.lslotE[s.lslotStart[l] : s.lslotStart[l]+s.lload[l]]
		for x, f := range ls {
			if g.adj[f] == prev {
				ls[x] = e
				break
			}
		}
		s.unassignRight(prev, l)
		r = prev
	}
}

// relax scans the edges of left node l, entered at distance d with
// potential ul.
func (s *sspSolver[T]) relax(l int32, d, ul T, st int32) {
	g := s.g
	e0, e1 := g.start[l], g.start[l+1]
	adj, cost := g.adj[e0:e1], g.cost[e0:e1]
	cost = cost[:len(adj)]
	base := d - ul
	for x, r := range adj {
		n := &s.rn[r]
		if n.done == st {
			continue
		}
		h := base + cost[x] - n.v
		if (n.seen != st || h < n.dist) && h < s.ub {
			if n.room {
				s.ub = h
			}
			n.seen, n.dist = st, h
			n.predL, n.predE = l, e0+int32(x)
			s.heap.push(h, r)
		}
	}
}

// distHeap is a binary min-heap of (distance, node) with lazy deletion:
// stale entries are skipped when popped.
type distHeap[T number] []heapItem[T]

type heapItem[T number] struct {
	key  T
	node int32
}

func (h *distHeap[T]) push(key T, node int32) {
	a := append(*h, heapItem[T]{key, node})
	k := len(a) - 1
	for k > 0 {
		p := (k - 1) / 2
		if !a[k].less(a[p]) {
			break
		}
		a[k], a[p] = a[p], a[k]
		k = p
	}
	*h = a
}

func (h *distHeap[T]) pop() heapItem[T] {
	a := *h
	top := a[0]
	n := len(a) - 1
	a[0] = a[n]
	a = a[:n]
	k := 0
	for {
		c := 2*k + 1
		if c >= n {
			break
		}
		if c+1 < n && a[c+1].less(a[c]) {
			c++
		}
		if !a[c].less(a[k]) {
			break
		}
		a[k], a[c] = a[c], a[k]
		k = c
	}
	*h = a
	return top
}

// less orders by distance, then by node for determinism.
func (a heapItem[T]) less(b heapItem[T]) bool {
	return a.key < b.key || (a.key == b.key && a.node < b.node)
}
