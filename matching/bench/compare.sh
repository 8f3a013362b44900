#!/usr/bin/env bash
# Compare the matching solvers with SciPy on identical random instances:
# dense n×n (uniform integer 0..1e6 and uniform float) at n = 1000, 2000,
# 4000 against scipy.optimize.linear_sum_assignment, and sparse n = 100000
# with k random candidates per row plus a hidden perfect matching against
# scipy.sparse.csgraph.min_weight_full_bipartite_matching.
#
# Needs Go and SciPy (Debian: apt-get install -y python3-scipy; it imports
# under /usr/bin/python3). Settings, by environment:
#   REPS=3  DENSE_N="1000 2000 4000"  SPARSE_N=100000  SPARSE_K="10 50"
#   PYTHON=/usr/bin/python3
# The sparse SciPy runs take tens of seconds each; the whole default run
# takes about 10 minutes.
set -euo pipefail
cd "$(dirname "$0")/../.."
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
go build -o "$tmp/gosolve" ./matching/bench/gosolve.go
"${PYTHON:-/usr/bin/python3}" matching/bench/compare.py "$tmp/gosolve" "$tmp"
