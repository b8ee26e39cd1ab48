#!/usr/bin/python3
"""The networkx peer of bench/route_bench.cpp: the same per-step computation (graph of the step from the
satellite positions, plus-grid ISLs with the grazing test, city up/down links above 25 deg, then a
Dijkstra from each of the 100 cities to all others) written with networkx, on the positions that
route_bench --dump wrote. Uses scripts/reference/route_networkx.py, the reference the route tests and
docs/network.md check skyfence against.

Usage: route_bench.py DUMP_DIR [--steps K]   prints "networkx_step_s S" (wall and CPU per step).
"""
import argparse
import os
import sys
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "scripts", "reference"))
import route_networkx as ref  # noqa: E402


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("dump")
    ap.add_argument("--steps", type=int, default=3)
    a = ap.parse_args()
    meta, pos = ref.load_dump(a.dump)
    cities = ref.load_cities()
    ids = list(cities)
    pairs = [(x, y) for x in ids for y in ids if x != y]
    links = ref.plus_grid()
    steps = min(a.steps, meta["steps"])
    wall0, cpu0 = time.perf_counter(), time.process_time()
    reachable = 0
    for step in range(steps):
        out = ref.route_step(pos[step], cities, links, pairs)
        reachable += sum(v is not None for v in out.values())
    wall, cpu = time.perf_counter() - wall0, time.process_time() - cpu0
    print(f"networkx_steps {steps}")
    print(f"networkx_reachable_share {reachable / (len(pairs) * steps):.4f}")
    print(f"networkx_step_s {wall / steps:.4f} s (wall)")
    print(f"networkx_step_cpu_s {cpu / steps:.4f} s (CPU)")


if __name__ == "__main__":
    main()
