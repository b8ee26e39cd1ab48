#!/usr/bin/python3
"""Random capacity-allocation instances solved by the LP reference (lp_reference.py), written as the
fixtures the C++ oracle test compares skyfence::capacity::allocate against.

Every instance is self-checked before it is written: the result is carried by a flow within every
capacity, and every point below its demand has a bottleneck (max-min fairness within its class, strict
priority between classes). Each instance also carries "class_throughput" (the total of each class,
[[priority, Mbps], ...]) and "class_max_throughput" (the most that class could carry with the classes
before it fixed, by LP); the first can be below the second, since fairness comes first.

Instances (small: 2-8 satellites, 1-5 cells, 2-15 points, 0-4 gateways, 1-3 priority classes, links
between a satellite and a point with probability ~0.4) cycle through
  regimes: demand far below capacity ("loose"), comparable ("balanced"), far above ("tight");
  values:  few distinct round values (many ties), multiples of 0.5 or 10, irregular doubles;
  modes:   gateway_mode none, bent_pipe (some satellites see no gateway);
with, at random: points of demand 0, points with no link, repeated (satellite, point) links, zero
capacities, priority numbers with gaps, repeated (satellite, gateway) pairs. A few hand-made edge
cases come first.

--family uplink draws instead from regimes shaped like the bundled uplinks (data/providers/: Starlink's
and OneWeb's uplink satellites, beams and cells, gateways far above them, demand around them), without
the hand-made cases: the uplink is allocated by the same code over those capacities (docs/capacity.md).

Usage: make_fixtures.py [--family downlink|uplink] [--seed N] [--count N] [--out FILE]
  default: --family downlink --seed 20240611 --count 200 --out tests/data/capacity/allocation_fixtures.json
  uplink:  --family uplink --seed 20261204 --count 60 --out tests/data/capacity/allocation_uplink_fixtures.json
"""
import argparse
import json
import os
import random
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import lp_reference  # noqa: E402

DEFAULT_SEED = 20240611
HERE = os.path.dirname(os.path.abspath(__file__))
DEFAULT_OUT = os.path.normpath(os.path.join(HERE, "..", "..", "data", "capacity", "allocation_fixtures.json"))

# Ranges in units of the instance's base value B: demand, satellite, link, cell, gateway.
REGIMES = {
    "loose": dict(demand=(0.5, 5), sat=(100, 600), link=(60, 300), cell=(100, 600), gw=(150, 900)),
    "balanced": dict(demand=(0.5, 10), sat=(2, 30), link=(1, 15), cell=(5, 40), gw=(5, 50)),
    "tight": dict(demand=(5, 10), sat=(0.5, 3), link=(0.2, 2), cell=(0.5, 4), gw=(0.5, 4)),
}
# The uplink's shapes, in Mbps (base 1), from the bundled models' uplink figures (PROVENANCE.md, "The
# uplink"): Starlink satellites 1,700-6,000, one link or cell 8 beams x 62.5 MHz x 4.28-6 b/s/Hz =
# 2,140-3,000, gateways 67,200; OneWeb satellites 2,400, a link or cell 2 x 120 MHz x 0.33-1.25 =
# 79-300, gateways 26,200; demand from light to far above a cell.
UPLINK_REGIMES = {
    "starlink-up": dict(demand=(50, 2000), sat=(1700, 6000), link=(2140, 3000), cell=(2140, 3000),
                        gw=(67200, 67200)),
    "oneweb-up": dict(demand=(1, 200), sat=(2400, 2400), link=(79, 300), cell=(79, 300), gw=(26200, 26200)),
}
FAMILIES = {"downlink": REGIMES, "uplink": UPLINK_REGIMES}
ALL_REGIMES = {**REGIMES, **UPLINK_REGIMES}
STYLES = ("ties", "round", "irregular")
MODES = ("none", "bent_pipe")
MAX_MBPS = 1e5


class Values:
    """Draws Mbps values of one instance in one style."""

    def __init__(self, rng, style, base):
        self.rng, self.style, self.base = rng, style, base
        self.quantum = 0.5 if base <= 10 else 10.0
        self.palette = {}

    def __call__(self, kind, lo, hi):
        rng = self.rng
        if self.style == "ties":
            # two or three values per kind, shared by all of that kind
            if kind not in self.palette:
                self.palette[kind] = [self._round(rng.uniform(lo, hi)) for _ in range(rng.randint(1, 3))]
            return rng.choice(self.palette[kind])
        if self.style == "round":
            return self._round(rng.uniform(lo, hi))
        return rng.uniform(lo, hi) * self.base

    def _round(self, v):
        q = self.quantum
        return max(q, q * round(v * self.base / q))


def random_instance(rng, regime, style, mode):
    r = ALL_REGIMES[regime]
    top = max(hi for _, hi in r.values())
    base = rng.choice([b for b in (1, 10, 100, 1000, 10000) if top * b <= MAX_MBPS])
    val = Values(rng, style, base)
    ns, nc, n = rng.randint(2, 8), rng.randint(1, 5), rng.randint(2, 15)

    nclass = rng.randint(1, 3)
    labels = sorted(rng.sample(range(6), nclass)) if rng.random() < 0.2 else list(range(nclass))
    points = [{"cell": rng.randrange(nc), "demand": val("demand", *r["demand"]), "priority": rng.choice(labels)}
              for _ in range(n)]
    if rng.random() < 0.3:
        for i in rng.sample(range(n), rng.randint(1, min(3, n))):
            points[i]["demand"] = 0.0
    satellites = [val("sat", *r["sat"]) for _ in range(ns)]
    cells = [val("cell", *r["cell"]) for _ in range(nc)]

    density = rng.uniform(0.3, 0.5)
    links = [[s, i, val("link", *r["link"])] for s in range(ns) for i in range(n) if rng.random() < density]
    if rng.random() < 0.3:  # points with no link
        lonely = set(rng.sample(range(n), rng.randint(1, min(2, n))))
        links = [l for l in links if l[1] not in lonely]
    if links and rng.random() < 0.3:  # repeated (satellite, point) pairs add up
        for l in rng.sample(links, rng.randint(1, min(3, len(links)))):
            links.append([l[0], l[1], val("link", *r["link"])])
    rng.shuffle(links)
    if rng.random() < 0.15:  # zero capacities
        what = rng.choice(["sat", "cell", "link"])
        if what == "sat":
            satellites[rng.randrange(ns)] = 0.0
        elif what == "cell":
            cells[rng.randrange(nc)] = 0.0
        elif links:
            rng.choice(links)[2] = 0.0

    gateways, sat_gateways = [], []
    if mode == "bent_pipe":
        ng = rng.randint(1, 4) if rng.random() < 0.95 else 0
        gateways = [val("gw", *r["gw"]) for _ in range(ng)]
        blind = set(rng.sample(range(ns), rng.randint(1, 2))) if rng.random() < 0.5 else set()
        sat_gateways = [[s, g] for s in range(ns) for g in range(ng) if s not in blind and rng.random() < 0.45]
        if sat_gateways and rng.random() < 0.2:
            sat_gateways.append(list(rng.choice(sat_gateways)))
        rng.shuffle(sat_gateways)
        if gateways and rng.random() < 0.1:
            gateways[rng.randrange(ng)] = 0.0
    return {"satellites": satellites, "cells": cells, "points": points, "links": links,
            "gateway_mode": mode, "gateways": gateways, "sat_gateways": sat_gateways}


def edge_cases():
    """Hand-made instances: the shapes a random draw may miss."""
    p = lambda c, d, k=0: {"cell": c, "demand": d, "priority": k}  # noqa: E731
    none = {"gateway_mode": "none", "gateways": [], "sat_gateways": []}
    return [
        # water-filling on one satellite: 10 Mbps shared by demands 4, 8, 2 at fraction 5/7
        {"satellites": [10.0], "cells": [100.0], "points": [p(0, 4.0), p(0, 8.0), p(0, 2.0)],
         "links": [[0, 0, 100.0], [0, 1, 100.0], [0, 2, 100.0]], **none},
        # two levels: point 0 limited to 3 by its only link, the others share the rest
        {"satellites": [20.0], "cells": [100.0], "points": [p(0, 10.0), p(0, 10.0), p(0, 10.0)],
         "links": [[0, 0, 3.0], [0, 1, 50.0], [0, 2, 50.0]], **none},
        # strict priority: class 0 takes the whole satellite, class 1 gets nothing
        {"satellites": [10.0], "cells": [100.0], "points": [p(0, 10.0, 1), p(0, 10.0, 0)],
         "links": [[0, 0, 50.0], [0, 1, 50.0]], **none},
        # class 0 fixed point by point, class 1 only on what is left (satellite 1)
        {"satellites": [10.0, 6.0], "cells": [100.0], "points": [p(0, 8.0, 0), p(0, 8.0, 0), p(0, 10.0, 1)],
         "links": [[0, 0, 50.0], [0, 1, 50.0], [1, 1, 50.0], [1, 2, 50.0]], **none},
        # fairness before throughput: points 0 and 1 share satellite 0, points 0 and 2 share cell 0; all get
        # 0.5 (total 1.5) although (0, 1, 1) carries 2
        {"satellites": [1.0, 100.0], "cells": [1.0, 100.0], "points": [p(0, 1.0), p(1, 1.0), p(0, 1.0)],
         "links": [[0, 0, 10.0], [0, 1, 10.0], [1, 2, 10.0]], **none},
        # every demand 0
        {"satellites": [10.0, 10.0], "cells": [5.0], "points": [p(0, 0.0), p(0, 0.0, 1)],
         "links": [[0, 0, 5.0], [1, 1, 5.0]], **none},
        # no links at all
        {"satellites": [10.0, 10.0], "cells": [5.0, 5.0], "points": [p(0, 3.0), p(1, 3.0, 2)], "links": [], **none},
        # the cell binds: 7 Mbps shared by demands 10 and 4
        {"satellites": [100.0, 100.0], "cells": [7.0], "points": [p(0, 10.0), p(0, 4.0)],
         "links": [[0, 0, 100.0], [1, 1, 100.0]], **none},
        # repeated link adds up: 2 + 2.5 on (0, 0)
        {"satellites": [100.0], "cells": [100.0], "points": [p(0, 10.0)],
         "links": [[0, 0, 2.0], [0, 0, 2.5]], **none},
        # bent_pipe without gateways: nothing is fed
        {"satellites": [10.0, 10.0], "cells": [10.0], "points": [p(0, 5.0), p(0, 5.0)],
         "links": [[0, 0, 10.0], [1, 1, 10.0]], "gateway_mode": "bent_pipe", "gateways": [], "sat_gateways": []},
        # bent_pipe: satellite 1 sees no gateway; gateway 0 of 4 Mbps feeds satellite 0 (shared by two points)
        {"satellites": [10.0, 10.0], "cells": [10.0, 10.0], "points": [p(0, 5.0), p(1, 5.0), p(1, 5.0)],
         "links": [[0, 0, 10.0], [0, 1, 10.0], [1, 2, 10.0]], "gateway_mode": "bent_pipe", "gateways": [4.0],
         "sat_gateways": [[0, 0]]},
        # bent_pipe: one gateway seen by two satellites, a second gateway by one
        {"satellites": [6.0, 6.0], "cells": [100.0], "points": [p(0, 10.0), p(0, 10.0), p(0, 1.0)],
         "links": [[0, 0, 10.0], [1, 1, 10.0], [1, 2, 10.0]], "gateway_mode": "bent_pipe", "gateways": [8.0, 3.0],
         "sat_gateways": [[0, 0], [1, 0], [1, 1], [1, 1]]},
        # large and small values together
        {"satellites": [100000.0, 0.5], "cells": [60000.0, 100000.0], "points": [p(0, 90000.0), p(1, 0.5), p(0, 2.5)],
         "links": [[0, 0, 100000.0], [1, 1, 0.5], [0, 2, 1.0], [1, 2, 0.5]], **none},
    ]


def main():
    ap = argparse.ArgumentParser(description="capacity allocation fixtures from the LP reference")
    ap.add_argument("--family", choices=sorted(FAMILIES), default="downlink")
    ap.add_argument("--seed", type=int, default=DEFAULT_SEED)
    ap.add_argument("--count", type=int, default=200, help="instances in all, the hand-made ones included")
    ap.add_argument("--out", default=DEFAULT_OUT)
    a = ap.parse_args()
    print(f"make_fixtures: {a.family}, seed {a.seed}", file=sys.stderr)
    rng = random.Random(a.seed)

    instances = edge_cases()[: a.count] if a.family == "downlink" else []
    combos = [(r, s, m) for r in FAMILIES[a.family] for s in STYLES for m in MODES]
    k = 0
    while len(instances) < a.count:
        instances.append(random_instance(rng, *combos[k % len(combos)]))
        k += 1

    stats, failed, out, below_max = {}, 0, [], []
    for n, inst in enumerate(instances):
        x = lp_reference.allocate(inst, stats)
        problems, totals, maxima = lp_reference.self_check(inst, x)
        for p in problems:
            print(f"instance {n}: {p}", file=sys.stderr)
        failed += bool(problems)
        short = [k for (k, got), (_, best) in zip(totals, maxima) if got < best - 1e-7 * max(best, 1.0)]
        if short:
            below_max.append(n)
        out.append({**inst, "expected": x, "class_throughput": totals, "class_max_throughput": maxima})
    if failed:
        print(f"make_fixtures: {failed} instances failed the self-check; nothing written", file=sys.stderr)
        sys.exit(1)

    generator = "tests/oracle/capacity/make_fixtures.py --seed %d" % a.seed
    if a.family != "downlink":
        generator = generator.replace(" --seed", " --family %s --seed" % a.family)
    if a.count != 200:
        generator += " --count %d" % a.count
    os.makedirs(os.path.dirname(os.path.abspath(a.out)), exist_ok=True)
    with open(a.out, "w", encoding="utf-8") as f:
        f.write('{"generator": %s,\n "instances": [\n' % json.dumps(generator))
        f.write(",\n".join("  " + json.dumps(inst, separators=(",", ":")) for inst in out))
        f.write("\n]}\n")
    met = sum(abs(x - float(p["demand"])) <= 1e-9 * (1 + float(p["demand"]))
              for inst in out for x, p in zip(inst["expected"], inst["points"]))
    total = sum(len(inst["points"]) for inst in out)
    print(f"make_fixtures: {len(out)} instances, {total} points ({met} with demand met), "
          f"{stats.get('rounds', 0)} levels, {stats.get('lps', 0)} LPs, "
          f"{stats.get('forced_freezes', 0)} forced freezes; all self-checks passed; wrote {a.out}",
          file=sys.stderr)
    print(f"make_fixtures: {len(below_max)} instances where a class's max-min fair total is below its maximum "
          f"total: {below_max}", file=sys.stderr)


if __name__ == "__main__":
    main()
