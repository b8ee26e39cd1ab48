#!/usr/bin/python3
"""Independent reference for skyfence::capacity::allocate (src/skyfence/capacity/allocation.h):
the allocation of capacity to demand points, computed by progressive filling with linear programs
(scipy.optimize.linprog, HiGHS dual simplex). No skyfence code or method is used: the C++ finds the
levels with maximum flows and Newton's method on minimum cuts; here every level and every freeze test
is one LP over the arc flows.

The network (Mbps): source -> gateway g (G_g) -> satellite s if s sees g -> s (S_s) -> point i over
link (s, i) (L_si, repeated pairs add up) -> cell c(i) (x_i <= d_i) -> sink (C_c). With gateway_mode
"none" the source feeds every satellite directly; with "bent_pipe" a satellite is fed only through the
gateways listed for it in sat_gateways (a satellite that sees none carries nothing).

Objective: classes by increasing priority number; within a class the max-min fair vector of
fractions x_i / d_i. Progressive filling, per class k in order:
  active = the class's points with d_i > 0; earlier classes fixed at their result; later classes 0;
  repeat:
    LP1: maximise t subject to the network, x_i >= t d_i (active), x_i <= d_i, t <= 1;
    if t = 1: every active point is fixed at d_i; done;
    LP2 for each active i: maximise x_i subject to the same with t fixed;
      i is frozen at t d_i when max x_i <= t d_i (1 + 1e-9) + 1e-9 (scaled units);
    frozen points leave the active set.
Points with d_i = 0 get 0.

All Mbps values are divided by the instance's largest capacity or demand before solving, so the LP
works with numbers in [0, 1].

Usage:
  lp_reference.py [FILE|-]          solve the instances of FILE (JSON, {"instances": [...]}, a list,
                                    or one instance); prints one JSON line {"expected": [...]} each
     --check                        also run the self-checks (feasibility, fairness, throughput)
     --compare                      compare with each instance's "expected" (1e-6 relative)
"""
import argparse
import json
import sys

import numpy as np
from scipy.optimize import linprog
from scipy.sparse import csr_matrix, vstack

LP_OPTIONS = {
    "presolve": True,
    "primal_feasibility_tolerance": 1e-10,
    "dual_feasibility_tolerance": 1e-10,
}
FREEZE_REL = 1e-9  # LP2: a point is blocked when it cannot rise above t d_i (1 + FREEZE_REL) + FREEZE_ABS
FREEZE_ABS = 1e-9  # (scaled units)
T_ONE = 1.0 - 1e-12  # LP1: t at or above this is 1 (every demand met)


class Network:
    """The LP form of one instance. Variable order: link flows z, gateway-to-satellite flows w, point
    allocations x, level t. Rows: satellites, cells and gateways (<=); x_i = sum of its links and, in
    bent_pipe mode, a satellite's outflow = its inflow from gateways (=)."""

    def __init__(self, inst):
        sats = [float(v) for v in inst["satellites"]]
        cells = [float(v) for v in inst["cells"]]
        points = inst["points"]
        mode = inst.get("gateway_mode", "none")
        if mode not in ("none", "bent_pipe"):
            raise ValueError(f"gateway_mode {mode!r}")
        gws = [float(v) for v in inst.get("gateways", [])]
        ns, nc, n, ng = len(sats), len(cells), len(points), len(gws)
        self.n = n
        self.mode = mode
        self.demand_mbps = np.array([float(p["demand"]) for p in points])
        self.cell_of = np.array([int(p["cell"]) for p in points], dtype=int)
        self.priority = np.array([int(p["priority"]) for p in points], dtype=int)
        self.sat_mbps = np.array(sats)
        self.cell_mbps = np.array(cells)
        self.gw_mbps = np.array(gws)
        for c in self.cell_of:
            if not 0 <= c < nc:
                raise ValueError(f"cell index {c} out of range")
        link_cap = {}
        for s, i, cap in inst["links"]:
            s, i, cap = int(s), int(i), float(cap)
            if not (0 <= s < ns and 0 <= i < n):
                raise ValueError(f"link ({s}, {i}) out of range")
            link_cap[(s, i)] = link_cap.get((s, i), 0.0) + cap
        pairs = set()
        if mode == "bent_pipe":
            for s, g in inst.get("sat_gateways", []):
                s, g = int(s), int(g)
                if not (0 <= s < ns and 0 <= g < ng):
                    raise ValueError(f"sat_gateway ({s}, {g}) out of range")
                pairs.add((s, g))  # the gateway-to-satellite arc is uncapacitated: repeats change nothing
        values = [*sats, *cells, *gws, *self.demand_mbps, *link_cap.values()]
        if any(not np.isfinite(v) or v < 0 for v in values):
            raise ValueError("capacities and demands must be finite and >= 0")
        self.scale = max([v for v in values if v > 0], default=1.0)

        self.links = sorted(link_cap)  # (s, i), merged
        self.link_mbps = np.array([link_cap[k] for k in self.links])
        self.sat_gw = sorted(pairs)
        nz, nw = len(self.links), len(self.sat_gw)
        self.iz, self.iw, self.ix, self.it = 0, nz, nz + nw, nz + nw + n
        self.nvar = nz + nw + n + 1
        self.d = self.demand_mbps / self.scale

        rows, cols, vals, rhs = [], [], [], []

        def ub_row(entries, b):
            r = len(rhs)
            for col, v in entries:
                rows.append(r)
                cols.append(col)
                vals.append(v)
            rhs.append(b)

        for s in range(ns):
            ub_row([(self.iz + l, 1.0) for l, (ls, _) in enumerate(self.links) if ls == s], sats[s] / self.scale)
        for c in range(nc):
            ub_row([(self.ix + i, 1.0) for i in range(n) if self.cell_of[i] == c], cells[c] / self.scale)
        if mode == "bent_pipe":
            for g in range(ng):
                ub_row([(self.iw + k, 1.0) for k, (_, kg) in enumerate(self.sat_gw) if kg == g], gws[g] / self.scale)
        self.A_ub = csr_matrix((vals, (rows, cols)), shape=(len(rhs), self.nvar))
        self.b_ub = np.array(rhs)

        rows, cols, vals, rhs = [], [], [], []
        for i in range(n):
            ub_row([(self.ix + i, 1.0)] + [(self.iz + l, -1.0) for l, (_, li) in enumerate(self.links) if li == i], 0.0)
        if mode == "bent_pipe":
            for s in range(ns):
                ub_row([(self.iz + l, 1.0) for l, (ls, _) in enumerate(self.links) if ls == s]
                       + [(self.iw + k, -1.0) for k, (ks, _) in enumerate(self.sat_gw) if ks == s], 0.0)
        self.A_eq = csr_matrix((vals, (rows, cols)), shape=(len(rhs), self.nvar))
        self.b_eq = np.array(rhs)

    def bounds(self, x_bounds, t_bounds=(0.0, 0.0)):
        b = [(0.0, cap / self.scale) for cap in self.link_mbps] + [(0.0, None)] * len(self.sat_gw)
        return b + list(x_bounds) + [t_bounds]

    def solve(self, objective, x_bounds, t_bounds=(0.0, 0.0), lower_rows=(), lower_t=None):
        """Minimise objective (a dict column -> coefficient). lower_rows: points i with
        x_i >= t d_i (lower_t None: t is the variable) or x_i >= lower_t d_i (lower_t a number)."""
        c = np.zeros(self.nvar)
        for col, v in objective.items():
            c[col] += v
        A_ub, b_ub = self.A_ub, self.b_ub
        if lower_rows:
            r, cl, v, b = [], [], [], []
            for k, i in enumerate(lower_rows):
                r.append(k)
                cl.append(self.ix + i)
                v.append(-1.0)
                if lower_t is None:
                    r.append(k)
                    cl.append(self.it)
                    v.append(self.d[i])
                    b.append(0.0)
                else:
                    b.append(-lower_t * self.d[i])
            extra = csr_matrix((v, (r, cl)), shape=(len(lower_rows), self.nvar))
            A_ub = vstack([A_ub, extra], format="csr")
            b_ub = np.concatenate([b_ub, b])
        res = linprog(c, A_ub=A_ub if A_ub.shape[0] else None, b_ub=b_ub if A_ub.shape[0] else None,
                      A_eq=self.A_eq if self.A_eq.shape[0] else None, b_eq=self.b_eq if self.A_eq.shape[0] else None,
                      bounds=self.bounds(x_bounds, t_bounds), method="highs-ds", options=LP_OPTIONS)
        return res


class SolveError(RuntimeError):
    pass


def _x_bounds(net, fixed, free):
    """fixed: scaled values (nan = not fixed); free: points bounded by [0, d_i]; others [0, 0]."""
    out = []
    for i in range(net.n):
        if not np.isnan(fixed[i]):
            out.append((fixed[i], fixed[i]))
        elif i in free:
            out.append((0.0, net.d[i]))
        else:
            out.append((0.0, 0.0))
    return out


def _solve_relaxing(net, objective, x_bounds, lower_rows, level):
    """LP2 with x_j >= level d_j; if the LP is infeasible by rounding of the level, lower it a hair."""
    for relax in (0.0, 1e-13, 1e-11, 1e-9):
        res = net.solve(objective, x_bounds, lower_rows=lower_rows, lower_t=level * (1.0 - relax))
        if res.status == 0:
            return res
    raise SolveError(f"LP2 failed: {res.message}")


def allocate(inst, stats=None):
    """The allocation x (Mbps, one per point) by progressive filling with LPs."""
    net = Network(inst)
    fixed = np.full(net.n, np.nan)
    fixed[net.d == 0] = 0.0
    rounds = lps = 0
    for k in sorted(set(net.priority.tolist())):
        active = [i for i in range(net.n) if net.priority[i] == k and net.d[i] > 0]
        while active:
            rounds += 1
            xb = _x_bounds(net, fixed, set(active))
            res = net.solve({net.it: -1.0}, xb, t_bounds=(0.0, 1.0), lower_rows=active)
            lps += 1
            if res.status != 0:
                raise SolveError(f"LP1 failed: {res.message}")
            t = min(max(float(res.x[net.it]), 0.0), 1.0)
            if t >= T_ONE:
                for i in active:
                    fixed[i] = net.d[i]
                break
            frozen, gains = [], {}
            for i in active:
                r2 = _solve_relaxing(net, {net.ix + i: -1.0}, xb, active, t)
                lps += 1
                xmax = float(r2.x[net.ix + i])
                gains[i] = (xmax - t * net.d[i]) / net.d[i]
                if xmax <= t * net.d[i] * (1.0 + FREEZE_REL) + FREEZE_ABS:
                    frozen.append(i)
            if not frozen:
                # Cannot happen for exact arithmetic (at the largest level some point is blocked);
                # freeze the point that can rise least so that the loop ends.
                frozen = [min(active, key=lambda i: gains[i])]
                if stats is not None:
                    stats["forced_freezes"] = stats.get("forced_freezes", 0) + 1
            for i in frozen:
                fixed[i] = t * net.d[i]
            active = [i for i in active if i not in frozen]
    if stats is not None:
        stats["rounds"] = stats.get("rounds", 0) + rounds
        stats["lps"] = stats.get("lps", 0) + lps
    return [max(float(v) * net.scale, 0.0) + 0.0 for v in fixed]


# ---------------------------------------------------------------------------------------------------
# Self-checks of a result x (Mbps).

def _feasible_flows(net, xs):
    """Arc flows carrying as much of x as possible with x_i <= xs_i; returns the LP solution."""
    xb = [(0.0, v) for v in xs]
    res = net.solve({net.ix + i: -1.0 for i in range(net.n)}, xb)
    if res.status != 0:
        raise SolveError(f"feasibility LP failed: {res.message}")
    return res.x


def check_capacities(inst, x_mbps, rel=1e-7):
    """x is carried by a flow that respects every capacity (recomputed here in Mbps from the arc
    flows). Returns a list of problems (empty when all holds)."""
    net = Network(inst)
    problems = []
    xs = np.array(x_mbps) / net.scale
    sol = _feasible_flows(net, xs)
    z = sol[net.iz:net.iw] * net.scale
    w = sol[net.iw:net.ix] * net.scale

    def over(load, cap):
        return load > cap * (1.0 + rel) + rel * 1e-3

    carried = np.zeros(net.n)
    sat_load = np.zeros(len(net.sat_mbps))
    for (s, i), f, cap in zip(net.links, z, net.link_mbps):
        if f < -rel or over(f, cap):
            problems.append(f"link ({s}, {i}) flow {f} capacity {cap}")
        carried[i] += f
        sat_load[s] += f
    for i in range(net.n):
        xi = x_mbps[i]
        if xi < 0 or over(xi, net.demand_mbps[i]):
            problems.append(f"point {i}: x {xi} demand {net.demand_mbps[i]}")
        if abs(carried[i] - xi) > rel * max(1.0, xi) + rel * 1e-3:
            problems.append(f"point {i}: x {xi} but only {carried[i]} can be carried")
    for s, load in enumerate(sat_load):
        if over(load, net.sat_mbps[s]):
            problems.append(f"satellite {s}: load {load} capacity {net.sat_mbps[s]}")
    cell_load = np.zeros(len(net.cell_mbps))
    np.add.at(cell_load, net.cell_of, np.array(x_mbps, dtype=float))
    for c, load in enumerate(cell_load):
        if over(load, net.cell_mbps[c]):
            problems.append(f"cell {c}: load {load} capacity {net.cell_mbps[c]}")
    if net.mode == "bent_pipe":
        gw_load = np.zeros(len(net.gw_mbps))
        fed = np.zeros(len(net.sat_mbps))
        for (s, g), f in zip(net.sat_gw, w):
            gw_load[g] += f
            fed[s] += f
        for g, load in enumerate(gw_load):
            if over(load, net.gw_mbps[g]):
                problems.append(f"gateway {g}: load {load} capacity {net.gw_mbps[g]}")
        for s in range(len(net.sat_mbps)):
            if abs(fed[s] - sat_load[s]) > rel * max(1.0, sat_load[s]) + rel * 1e-3:
                problems.append(f"satellite {s}: fed {fed[s]} by gateways, sends {sat_load[s]}")
    return problems


def check_fairness(inst, x_mbps, tol=1e-7):
    """Every point with x_i < d_i has a bottleneck: with the earlier classes fixed, x_i cannot rise
    unless some point of its class whose fraction is at most x_i / d_i falls. Implies that no point can
    be raised alone, and that no point of a class can gain at the expense of a later class.
    Returns a list of problems."""
    net = Network(inst)
    xs = np.array(x_mbps) / net.scale
    frac = np.where(net.d > 0, xs / np.where(net.d > 0, net.d, 1.0), 1.0)
    problems = []
    for i in range(net.n):
        if net.d[i] == 0 or xs[i] >= net.d[i] * (1.0 - 1e-9):
            continue
        k = net.priority[i]
        keep = []
        for j in range(net.n):
            if net.priority[j] == k:
                if j != i and net.d[j] > 0 and frac[j] <= frac[i] * (1 + 1e-9) + 1e-12:
                    keep.append(j)
        res = None
        for relax in (0.0, 1e-12, 1e-10):  # x is feasible up to rounding: loosen the fixed values a hair
            xb = []
            for j in range(net.n):
                if net.priority[j] < k:
                    xb.append((xs[j] * (1 - relax), xs[j] * (1 + relax)))
                elif j in keep:
                    xb.append((xs[j] * (1 - relax), net.d[j]))
                else:
                    xb.append((0.0, net.d[j]))
            res = net.solve({net.ix + i: -1.0}, xb)
            if res.status == 0:
                break
        if res.status != 0:
            problems.append(f"point {i}: bottleneck LP failed: {res.message}")
            continue
        xmax = float(res.x[net.ix + i])
        if xmax > xs[i] + tol * max(net.d[i], 1e-3):
            problems.append(f"point {i} (class {k}): x {xs[i] * net.scale} could rise to {xmax * net.scale} "
                            "without lowering any point of its class at or below its fraction")
    return problems


def class_throughput(inst, x_mbps):
    """[[priority, max total Mbps of the class with the earlier classes fixed at x], ...] by LP."""
    net = Network(inst)
    xs = np.array(x_mbps) / net.scale
    out = []
    for k in sorted(set(net.priority.tolist())):
        fixed = np.where(net.priority < k, xs, np.nan)
        free = {i for i in range(net.n) if net.priority[i] == k}
        xb = _x_bounds(net, fixed, free)
        res = None
        for relax in (0.0, 1e-12, 1e-10):
            xb2 = [(lo * (1 - relax), hi * (1 + relax)) if not np.isnan(fixed[j]) else (lo, hi)
                   for j, (lo, hi) in enumerate(xb)]
            res = net.solve({net.ix + i: -1.0 for i in free}, xb2)
            if res.status == 0:
                break
        if res.status != 0:
            raise SolveError(f"throughput LP failed: {res.message}")
        out.append([k, float(-res.fun) * net.scale])
    return out


def check_throughput(inst, x_mbps, rel=1e-7):
    """Each class's total against the maximum total of that class given the classes before it.
    The total cannot exceed the maximum; it can fall short of it: fairness first (a cell shared by
    points fed over different satellites makes the feasible set of x no polymatroid, so a max-min fair
    x need not carry the most). Returns (problems, totals, maxima), totals and maxima as
    [[priority, Mbps], ...]."""
    net = Network(inst)
    maxima = class_throughput(inst, x_mbps)
    problems, totals = [], []
    for k, best in maxima:
        got = float(sum(x for x, p in zip(x_mbps, net.priority) if p == k))
        totals.append([k, got])
        if got > best + rel * max(best, 1.0):
            problems.append(f"class {k}: total {got} above the maximum {best}")
    return problems, totals, maxima


def self_check(inst, x_mbps):
    """All checks; returns (problems, class totals, class maxima)."""
    problems = check_capacities(inst, x_mbps) + check_fairness(inst, x_mbps)
    p, totals, maxima = check_throughput(inst, x_mbps)
    return problems + p, totals, maxima


def load_instances(path):
    text = sys.stdin.read() if path in (None, "-") else open(path, encoding="utf-8").read()
    data = json.loads(text)
    if isinstance(data, dict) and "instances" in data:
        return data["instances"]
    if isinstance(data, list):
        return data
    return [data]


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("file", nargs="?", default="-")
    ap.add_argument("--check", action="store_true", help="run the self-checks on each result")
    ap.add_argument("--compare", action="store_true", help="compare with each instance's expected")
    a = ap.parse_args()
    failures = 0
    for n, inst in enumerate(load_instances(a.file)):
        x = allocate(inst)
        print(json.dumps({"expected": x}))
        if a.check:
            problems, _, _ = self_check(inst, x)
            for p in problems:
                print(f"instance {n}: {p}", file=sys.stderr)
            failures += bool(problems)
        if a.compare and "expected" in inst:
            for i, (got, want) in enumerate(zip(x, inst["expected"])):
                d = float(inst["points"][i]["demand"])
                if abs(got - want) > 1e-6 * max(1.0, d, abs(want)):
                    print(f"instance {n} point {i}: {got} here, {want} expected", file=sys.stderr)
                    failures += 1
    if failures:
        print(f"{failures} failures", file=sys.stderr)
        sys.exit(1)


if __name__ == "__main__":
    main()
