"""Time SciPy on an instance written by gosolve.go (see there for formats).

usage: scipy_solve.py dense|sparse N PREFIX

Prints one line: seconds for the solve alone, seconds for loading plus
solving, and the optimal total.
"""
import sys
import time

import numpy as np


def main():
    kind, n, prefix = sys.argv[1], int(sys.argv[2]), sys.argv[3]
    start = time.perf_counter()
    if kind == "dense":
        from scipy.optimize import linear_sum_assignment

        c = np.fromfile(prefix + ".f64", dtype="<f8").reshape(n, n)
        t = time.perf_counter()
        rows, cols = linear_sum_assignment(c)
        solve = time.perf_counter() - t
        total = c[rows, cols].sum()
    else:
        from scipy.sparse import csr_matrix
        from scipy.sparse.csgraph import min_weight_full_bipartite_matching

        indptr = np.fromfile(prefix + ".indptr", dtype="<i8")
        indices = np.fromfile(prefix + ".indices", dtype="<i4")
        data = np.fromfile(prefix + ".data", dtype="<f8")
        m = csr_matrix((data, indices, indptr), shape=(n, n))
        t = time.perf_counter()
        rows, cols = min_weight_full_bipartite_matching(m)
        solve = time.perf_counter() - t
        total = np.asarray(m[rows, cols]).sum()
    print("%.6f %.6f %.17g" % (solve, time.perf_counter() - start, total))


if __name__ == "__main__":
    main()
