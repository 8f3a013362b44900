"""Compare the matching solvers with SciPy on identical random instances.

Run through compare.sh, which builds the Go side first. For each instance
it alternates SciPy and Go runs (separate processes, so noise falls on
both alike), checks that the optimal totals agree, and prints min and
median seconds and the ratio Go/SciPy of the medians of the solve times.
"""
import os
import statistics
import subprocess
import sys


def run(cmd):
    out = subprocess.run(cmd, check=True, capture_output=True, text=True).stdout.split()
    return float(out[0]), float(out[1]), out[2]


def same_total(a, b, integral):
    if integral:
        return int(float(a)) == int(float(b))
    x, y = float(a), float(b)
    return abs(x - y) <= 1e-9 * max(1.0, abs(x), abs(y))


def main():
    gosolve, tmp = sys.argv[1], sys.argv[2]
    python = os.environ.get("PYTHON", "/usr/bin/python3")
    here = os.path.dirname(os.path.abspath(__file__))
    reps = int(os.environ.get("REPS", "3"))
    dense_n = [int(x) for x in os.environ.get("DENSE_N", "1000 2000 4000").split()]
    sparse_n = int(os.environ.get("SPARSE_N", "100000"))
    sparse_k = [int(x) for x in os.environ.get("SPARSE_K", "10 50").split()]

    cases = []
    for n in dense_n:
        for integral in (True, False):
            cases.append(("dense", n, None, integral))
    for k in sparse_k:
        for integral in (True, False):
            cases.append(("sparse", sparse_n, k, integral))

    rows = []
    ok = True
    for seed, (kind, n, k, integral) in enumerate(cases, start=1):
        name = "%s-%s-n%d%s" % (kind, "int" if integral else "float", n, "" if k is None else "-k%d" % k)
        prefix = os.path.join(tmp, name)
        gen = [gosolve, "gen", "-kind", kind, "-n", str(n), "-seed", str(seed), "-out", prefix]
        flags = ["-kind", kind, "-n", str(n)]
        if k is not None:
            gen += ["-k", str(k)]
        if integral:
            gen.append("-int")
            flags.append("-int")
        subprocess.run(gen, check=True)
        sp, gs, gl = [], [], []
        row_ok = True
        for _ in range(reps):
            s, _, ts = run([python, os.path.join(here, "scipy_solve.py"), kind, str(n), prefix])
            g, l, tg = run([gosolve, "solve", "-in", prefix] + flags)
            sp.append(s)
            gs.append(g)
            gl.append(l)
            if not same_total(ts, tg, integral):
                ok = row_ok = False
                print("TOTALS DIFFER on %s: scipy %s, go %s" % (name, ts, tg), file=sys.stderr)
        for f in (prefix + ext for ext in (".f64", ".indptr", ".indices", ".data")):
            if os.path.exists(f):
                os.remove(f)
        label = "%s %s n=%d%s" % (kind, "int" if integral else "float", n, "" if k is None else " k=%d" % k)
        rows.append((label, sp, gs, gl, ts, "equal" if row_ok else "DIFFER"))
        print_row(rows[-1])
        sys.stdout.flush()
    print()
    print("ratio = median Go solve / median SciPy solve, %d runs each, alternated" % reps)
    return 0 if ok else 1


HEADER = False


def print_row(r):
    global HEADER
    if not HEADER:
        print("%-26s %21s %21s %21s %7s  %s" % ("instance", "scipy solve min/med", "go solve min/med", "go load+solve min/med", "ratio", "totals"))
        HEADER = True
    label, sp, gs, gl, total, status = r
    fmt = lambda xs: "%9.3f /%9.3f" % (min(xs), statistics.median(xs))
    print("%-26s %21s %21s %21s %7.3f  %s (%s)" % (label, fmt(sp), fmt(gs), fmt(gl), statistics.median(gs) / statistics.median(sp), status, total))


if __name__ == "__main__":
    sys.exit(main())
