package assign

import "fmt"

// This file holds the graph algorithms behind Sparse: a
// Hopcroft–Karp maximum matching with column capacities, the
// Dulmage–Mendelsohn split it gives, and a successive shortest path solver
// for the two parts.
//
// J. E. Hopcroft and R. M. Karp, "An n^{5/2} algorithm for maximum
// matchings in bipartite graphs", SIAM J. Comput. 2(4), 225–231 (1973).
// A. L. Dulmage and N. S. Mendelsohn, "Coverings of bipartite graphs",
// Canad. J. Math. 10, 517–534 (1958).

func internalf(format string, args ...any) error {
	return fmt.Errorf("assign: internal error: "+format, args...)
}

// cardMatching is a maximum cardinality matching of rows into columns with
// capacities, as found by maxCardinality.
type cardMatching struct {
	matched   int
	rowCol    []int32 // column of each row, -1
	load      []int32 // rows per column
	slotStart []int32 // column j's rows are slots[slotStart[j]:slotStart[j]+load[j]]
	slots     []int32
}

// maxCardinality runs Hopcroft–Karp on g, treating column j as able to
// take g.effCap[j] rows. It starts from a greedy matching, then repeats
// phases of a breadth-first layering from the free rows and depth-first
// searches for vertex-disjoint augmenting paths along the layers.
func maxCardinality[T number](g *sparseGraph[T]) *cardMatching {
	m := &cardMatching{
		rowCol:    make([]int32, g.rows),
		load:      make([]int32, g.cols),
		slotStart: make([]int32, g.cols+1),
	}
	for j, c := range g.effCap {
		m.slotStart[j+1] = m.slotStart[j] + c
	}
	m.slots = make([]int32, m.slotStart[g.cols])
	for i := range g.rows {
		m.rowCol[i] = -1
		for _, j := range g.adj[g.start[i]:g.start[i+1]] {
			if m.load[j] < g.effCap[j] {
				m.take(int32(i), j)
				break
			}
		}
	}
	const unseen = int32(-1)
	dist := make([]int32, g.rows)
	queue := make([]int32, 0, g.rows)
	edgeIt := make([]int32, g.rows)
	var dfs func(i int32) bool
	dfs = func(i int32) bool {
		for ; edgeIt[i] < g.start[i+1]; edgeIt[i]++ {
			j := g.adj[edgeIt[i]]
			if m.load[j] < g.effCap[j] {
				m.take(i, j)
				return true
			}
			s0 := m.slotStart[j]
			for s := s0; s < s0+m.load[j]; s++ {
				k := m.slots[s]
				if dist[k] == dist[i]+1 && dfs(k) {
					m.slots[s] = i
					m.rowCol[i] = j
					return true
				}
			}
		}
		dist[i] = unseen
		return false
	}
	for {
		queue = queue[:0]
		for i := range g.rows {
			if m.rowCol[i] < 0 && g.start[i] < g.start[i+1] {
				dist[i] = 0
				queue = append(queue, int32(i))
			} else {
				dist[i] = unseen
			}
		}
		found := false
		for q := 0; q < len(queue); q++ {
			i := queue[q]
			for _, j := range g.adj[g.start[i]:g.start[i+1]] {
				if m.load[j] < g.effCap[j] {
					found = true
					continue
				}
				s0 := m.slotStart[j]
				for _, k := range m.slots[s0 : s0+m.load[j]] {
					if dist[k] == unseen {
						dist[k] = dist[i] + 1
						queue = append(queue, k)
					}
				}
			}
		}
		if !found {
			break
		}
		augmented := false
		for i := range g.rows {
			edgeIt[i] = g.start[i]
		}
		for i := range int32(g.rows) {
			if m.rowCol[i] < 0 && dist[i] == 0 && dfs(i) {
				augmented = true
			}
		}
		if !augmented {
			break
		}
	}
	return m
}

// take assigns row i to column j, which has room.
func (m *cardMatching) take(i, j int32) {
	m.slots[m.slotStart[j]+m.load[j]] = i
	m.load[j]++
	m.rowCol[i] = j
	m.matched++
}

// decompose returns the Dulmage–Mendelsohn split of a maximum matching:
// inD marks the rows reachable from a free row by an alternating path
// (exactly the rows some maximum matching leaves free), inA the columns
// adjacent to them. Every maximum matching fills the columns of A with rows
// of D and assigns every row outside D to a column outside A, so the rows
// outside D together with A form a minimum vertex cover (König).
func (m *cardMatching) decompose(rows, cols int, start, adj []int32) (inD, inA []bool) {
	inD = make([]bool, rows)
	inA = make([]bool, cols)
	queue := make([]int32, 0)
	for i := range rows {
		if m.rowCol[i] < 0 {
			inD[i] = true
			queue = append(queue, int32(i))
		}
	}
	for q := 0; q < len(queue); q++ {
		i := queue[q]
		for _, j := range adj[start[i]:start[i+1]] {
			if inA[j] {
				continue
			}
			inA[j] = true
			s0 := m.slotStart[j]
			for _, k := range m.slots[s0 : s0+m.load[j]] {
				if !inD[k] {
					inD[k] = true
					queue = append(queue, k)
				}
			}
		}
	}
	return inD, inA
}

// flowGraph is one part of the split problem: left nodes with demands that
// must all be served, right nodes with capacities. Edges of left l are
// start[l]:start[l+1]. Either every demand or every capacity is 1, so an
// edge is never used twice and node potentials alone certify optimality.
type flowGraph[T number] struct {
	nl, nr int
	start  []int32
	adj    []int32
	cost   []T
	dem    []int32 // nil: all 1
	cap    []int32 // nil: all 1
}

// subgraph builds part 1 (transposed false: rows outside D into columns
// outside A) or part 2 (transposed true: columns of A, as left nodes with
// demand effCap, into rows of D) and the maps from local to global ids.
func subgraph[T number](g *sparseGraph[T], inD, inA []bool, transposed bool) (f *flowGraph[T], leftIDs, rightIDs []int32) {
	leftSide, rightSide, nLeft, nRight := inD, inA, g.rows, g.cols
	if transposed {
		leftSide, rightSide, nLeft, nRight = inA, inD, g.cols, g.rows
	}
	// Part 1 keeps nodes outside D and A; part 2 keeps nodes inside.
	keep := func(side []bool, k int) bool { return side[k] == transposed }
	localL := make([]int32, nLeft)
	localR := make([]int32, nRight)
	for k := range nLeft {
		localL[k] = -1
		if keep(leftSide, k) {
			localL[k] = int32(len(leftIDs))
			leftIDs = append(leftIDs, int32(k))
		}
	}
	for k := range nRight {
		localR[k] = -1
		if keep(rightSide, k) {
			localR[k] = int32(len(rightIDs))
			rightIDs = append(rightIDs, int32(k))
		}
	}
	f = &flowGraph[T]{nl: len(leftIDs), nr: len(rightIDs)}
	if !transposed && f.nl == g.rows && f.nr == g.cols {
		// Nothing removed: share the arrays.
		f.start, f.adj, f.cost = g.start, g.adj, g.cost
		f.cap = g.effCap
		return f, leftIDs, rightIDs
	}
	f.start = make([]int32, f.nl+1)
	// Count, then fill, the kept edges grouped by local left node.
	for i := range g.rows {
		for e := g.start[i]; e < g.start[i+1]; e++ {
			l, r := int32(i), g.adj[e]
			if transposed {
				l, r = r, l
			}
			if localL[l] >= 0 && localR[r] >= 0 {
				f.start[localL[l]+1]++
			}
		}
	}
	for l := range f.nl {
		f.start[l+1] += f.start[l]
	}
	m := f.start[f.nl]
	f.adj = make([]int32, m)
	f.cost = make([]T, m)
	pos := append([]int32(nil), f.start[:f.nl]...)
	for i := range g.rows {
		for e := g.start[i]; e < g.start[i+1]; e++ {
			l, r := int32(i), g.adj[e]
			if transposed {
				l, r = r, l
			}
			if ll, rr := localL[l], localR[r]; ll >= 0 && rr >= 0 {
				f.adj[pos[ll]] = rr
				f.cost[pos[ll]] = g.cost[e]
				pos[ll]++
			}
		}
	}
	if transposed {
		f.dem = make([]int32, f.nl)
		for l, j := range leftIDs {
			f.dem[l] = g.effCap[j]
		}
	} else {
		f.cap = make([]int32, f.nr)
		for r, j := range rightIDs {
			f.cap[r] = g.effCap[j]
		}
	}
	return f, leftIDs, rightIDs
}
