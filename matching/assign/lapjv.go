package assign

// This file holds the dense shortest augmenting path solver shared by the
// float64 and int64 entry points. It follows
//
//	R. Jonker and A. Volgenant, "A shortest augmenting path algorithm for
//	dense and sparse linear assignment problems", Computing 38, 325–340
//	(1987),
//
// with the initialisation of that paper (column reduction, reduction
// transfer, two passes of augmenting row reduction) followed by one
// Dijkstra-like shortest augmenting path search per row left free. The code
// is written for this package from the paper's description.
//
// Conventions: the problem is a minimisation over a flat row-major n×m cost
// matrix with n <= m (the caller transposes otherwise). Row potentials are
// implicit (u[i] = c[i][x[i]] - v[j] on assigned rows); column potentials v
// are explicit. A forbidden pair holds lapBounds.forbidden; any value that
// reaches lapBounds.lim or more is treated as unreachable.
//
// When n < m the columns form the side that need not be covered, and the
// dual of "each column at most once" requires v <= 0 with v = 0 on unused
// columns. The paper's column reduction would break that, so the
// rectangular case starts from v = 0 and skips column reduction and
// reduction transfer; augmenting row reduction and the augmentation only
// ever lower v on columns that stay assigned, so the sign condition holds.

// number is the cost type of the generic solver cores.
type number interface{ ~int64 | ~float64 }

// lapBounds tells the generic core how to treat forbidden pairs and
// overflow for its cost type.
type lapBounds[T number] struct {
	forbidden T // stored for a forbidden pair
	lim       T // a reduced value >= lim means "unreachable"
	vmin      T // a potential below vmin means the int64 range is exhausted
}

// lapResult is the solution of the internal n×m problem.
type lapResult[T number] struct {
	rowsol []int32 // column of each row
	colsol []int32 // row of each column, -1 if none
	u, v   []T     // dual potentials: u[i]+v[j] <= c[i][j], equality on rowsol
}

// lapjv solves the internal problem. It returns ErrInfeasible (wrapped) when
// some row cannot be assigned without a forbidden pair, and ErrOverflow when
// an int64 potential would leave the safe range.
func lapjv[T number](c []T, n, m int, b lapBounds[T]) (*lapResult[T], error) {
	rowsol := make([]int32, n)
	colsol := make([]int32, m)
	v := make([]T, m)
	free := make([]int32, 0, n)
	for i := range rowsol {
		rowsol[i] = -1
	}
	for j := range colsol {
		colsol[j] = -1
	}

	if n == m {
		free = lapColumnReduction(c, n, v, rowsol, colsol, free, b)
	} else {
		for i := range n {
			free = append(free, int32(i))
		}
	}

	var err error
	for pass := 0; pass < 2 && len(free) > 0; pass++ {
		free, err = lapRowReduction(c, n, m, v, rowsol, colsol, free, b)
		if err != nil {
			return nil, err
		}
	}

	if len(free) > 0 {
		s := newLapSearch[T](m)
		for _, f := range free {
			if err := s.augment(c, m, int(f), v, rowsol, colsol, b); err != nil {
				return nil, err
			}
		}
	}

	u := make([]T, n)
	for i := range n {
		j := rowsol[i]
		u[i] = c[i*m+int(j)] - v[j]
	}
	return &lapResult[T]{rowsol: rowsol, colsol: colsol, u: u, v: v}, nil
}

// lapColumnReduction performs the column reduction and reduction transfer
// steps of Jonker and Volgenant for a square problem. It sets v to the
// column minima, assigns each column to its minimum row when that row is
// still free (scanning columns from last to first, as the paper does), then
// moves the slack of each row that got exactly one column onto that
// column's potential. It returns the rows left free.
//
// The minima are found row by row so the matrix is read in memory order.
func lapColumnReduction[T number](c []T, n int, v []T, rowsol, colsol, free []int32, b lapBounds[T]) []int32 {
	m := n
	argmin := make([]int32, m)
	copy(v, c[:m])
	for i := 1; i < n; i++ {
		row := c[i*m : i*m+m]
		v := v[:len(row)]
		for j, h := range row {
			if h < v[j] {
				v[j] = h
				argmin[j] = int32(i)
			}
		}
	}
	matches := make([]int32, n)
	for j := m - 1; j >= 0; j-- {
		i := argmin[j]
		matches[i]++
		if matches[i] == 1 {
			rowsol[i] = int32(j)
			colsol[j] = i
		}
	}
	// Reduction transfer.
	for i := range n {
		switch matches[i] {
		case 0:
			free = append(free, int32(i))
		case 1:
			j1 := int(rowsol[i])
			row := c[i*m : i*m+m]
			umin := b.forbidden
			for j, h := range row {
				if j != j1 {
					if r := h - v[j]; r < umin {
						umin = r
					}
				}
			}
			if umin < b.lim {
				v[j1] -= umin
			}
		}
	}
	return free
}

// lapRowReduction performs one pass of augmenting row reduction over the
// free rows and returns the rows still free. Each free row takes its column
// of least reduced cost; when that is strictly less than its second least,
// the column's potential is lowered by the difference, and a row it
// displaces is processed again at once. On a tie the row takes the second
// column instead when the first is taken, and a displaced row waits for the
// next pass. A budget of 2n steps bounds the pass: in floating point the
// decreases can be tiny and a price war long (with uniform float costs the
// pass would otherwise spend more than the augmentation phase saves), and
// they can be too small to change v at all; rows left over go to the
// augmentation phase, which is exact.
func lapRowReduction[T number](c []T, n, m int, v []T, rowsol, colsol, free []int32, b lapBounds[T]) ([]int32, error) {
	prv := len(free)
	numfree := 0
	k := 0
	budget := 2*n + 64
	for k < prv {
		if budget--; budget < 0 {
			numfree += copy(free[numfree:], free[k:prv])
			break
		}
		i := int(free[k])
		k++
		row := c[i*m : i*m+m]
		vv := v[:len(row)]
		umin, usub := row[0]-vv[0], b.forbidden
		j1, j2 := 0, -1
		for j := 1; j < len(row); j++ {
			h := row[j] - vv[j]
			if h < usub {
				if h >= umin {
					usub, j2 = h, j
				} else {
					usub, umin = umin, h
					j2, j1 = j1, j
				}
			}
		}
		if umin >= b.lim {
			return nil, infeasiblef("row %d has no allowed column", i)
		}
		i0 := colsol[j1]
		strict := false
		switch {
		case usub >= b.lim:
			// Only one allowed column: take it at its current price.
		case umin < usub:
			nv := v[j1] - (usub - umin)
			if nv < b.vmin {
				return nil, overflowf("column potential out of range")
			}
			if nv < v[j1] {
				v[j1] = nv
				strict = true
			}
		case i0 >= 0:
			j1 = j2
			i0 = colsol[j2]
		}
		rowsol[i] = int32(j1)
		colsol[j1] = int32(i)
		if i0 >= 0 {
			rowsol[i0] = -1
			if strict {
				k--
				free[k] = i0
			} else {
				free[numfree] = i0
				numfree++
			}
		}
	}
	return free[:numfree], nil
}

// lapSearch holds the work arrays of the augmentation phase, reused across
// rows so the search allocates nothing.
type lapSearch[T number] struct {
	collist []int32
	pred    []int32
	d       []T
}

func newLapSearch[T number](m int) *lapSearch[T] {
	return &lapSearch[T]{
		collist: make([]int32, m),
		pred:    make([]int32, m),
		d:       make([]T, m),
	}
}

// augment finds a shortest augmenting path from free row f to a free
// column, in reduced costs, and augments along it. Columns are split into
// collist[:low] (scanned, final distance), collist[low:up] (distance equal
// to the current minimum, not yet scanned) and collist[up:] (the rest).
func (s *lapSearch[T]) augment(c []T, m, f int, v []T, rowsol, colsol []int32, b lapBounds[T]) error {
	collist, pred, d := s.collist[:m], s.pred[:m], s.d[:m]
	v = v[:m]
	colsol = colsol[:m]
	row := c[f*m : f*m+m]
	for j := range m {
		collist[j] = int32(j)
		pred[j] = int32(f)
		d[j] = row[j] - v[j]
	}
	low, up, last := 0, 0, 0
	var dmin T
	end := int32(-1)
search:
	for {
		if up == low {
			// Collect the columns of least distance.
			last = low - 1
			dmin = d[collist[up]]
			up++
			for k := up; k < m; k++ {
				j := collist[k]
				if h := d[j]; h <= dmin {
					if h < dmin {
						up = low
						dmin = h
					}
					collist[k] = collist[up]
					collist[up] = j
					up++
				}
			}
			if dmin >= b.lim {
				return infeasiblef("no augmenting path from row %d avoids forbidden pairs", f)
			}
			for k := low; k < up; k++ {
				if j := collist[k]; colsol[j] < 0 {
					end = j
					break search
				}
			}
		}
		// Scan the row assigned to the next column of least distance.
		j1 := collist[low]
		low++
		i := int(colsol[j1])
		row := c[i*m : i*m+m]
		u1 := row[j1] - v[j1] - dmin
		for k := up; k < m; k++ {
			j := collist[k]
			h := row[j] - v[j] - u1
			if h < d[j] {
				pred[j] = int32(i)
				if h == dmin {
					if colsol[j] < 0 {
						end = j
						break search
					}
					collist[k] = collist[up]
					collist[up] = j
					up++
				}
				d[j] = h
			}
		}
	}
	// Update the potentials of the scanned columns.
	for k := 0; k <= last; k++ {
		j := collist[k]
		nv := v[j] + d[j] - dmin
		if nv < b.vmin {
			return overflowf("column potential out of range")
		}
		v[j] = nv
	}
	// Augment along the path.
	for {
		i := pred[end]
		colsol[end] = i
		j := end
		end = rowsol[i]
		rowsol[i] = j
		if int(i) == f {
			return nil
		}
	}
}
