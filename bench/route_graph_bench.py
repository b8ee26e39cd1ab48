#!/usr/bin/python3
"""The networkx peer of `route_bench --catalog NAME --dump-graph DIR`: all-pairs shortest delays between
the 100 cities on the very graphs skyfence routed (satellites, gateways as satellite -> PoP edges, PoP
fibre, cities that never relay), one Dijkstra with paths from each city per step, timed; and the
agreement of its delays with skyfence's for every ordered pair and step.

Usage: route_graph_bench.py DIR [--steps K]
Prints "name value unit" lines: networkx_step_s (wall and CPU per step), pair_steps, reachability
mismatches and the largest one-way difference.
"""
import argparse
import json
import math
import os
import time

import networkx as nx
import numpy as np

EDGE = np.dtype([("u", "<u4"), ("v", "<u4"), ("w", "<f8")])


def step_graph(edges, no_relay):
    """A directed graph with an arc each way per edge, none leaving a node that never relays (the source
    gets its own arcs back for its search); parallel edges keep the shortest."""
    g = nx.DiGraph()
    out_of = {}
    for u, v, w in zip(edges["u"].tolist(), edges["v"].tolist(), edges["w"].tolist()):
        for a, b in ((u, v), (v, u)):
            if a in no_relay:
                arcs = out_of.setdefault(a, {})
                if b not in arcs or w < arcs[b]:
                    arcs[b] = w
            elif not g.has_edge(a, b) or w < g[a][b]["weight"]:
                g.add_edge(a, b, weight=w)
    return g, out_of


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("dump")
    ap.add_argument("--steps", type=int, default=3)
    a = ap.parse_args()
    with open(os.path.join(a.dump, "graph.json")) as f:
        meta = json.load(f)
    no_relay = set(meta["no_relay"])
    cities = list(range(meta["first_city"], meta["first_city"] + meta["cities"]))
    steps = min(a.steps, meta["steps"])
    wall = cpu = 0.0
    worst, mismatches, compared = 0.0, 0, 0
    for step in range(steps):
        edges = np.fromfile(os.path.join(a.dump, f"edges_{step}.bin"), dtype=EDGE)
        theirs = np.fromfile(os.path.join(a.dump, f"delays_{step}.f64"), dtype="<f8")
        wall0, cpu0 = time.perf_counter(), time.process_time()
        g, out_of = step_graph(edges, no_relay)
        found = {}
        for s in cities:
            arcs = out_of.get(s, {})
            for b, w in arcs.items():
                g.add_edge(s, b, weight=w)
            dist, _paths = nx.single_source_dijkstra(g, s)
            g.remove_edges_from([(s, b) for b in arcs])
            found[s] = dist
        wall += time.perf_counter() - wall0
        cpu += time.process_time() - cpu0
        k = 0
        for s in cities:
            for d in cities:
                if s == d:
                    continue
                mine = found[s].get(d)
                other = theirs[k]
                k += 1
                compared += 1
                if (mine is None) != math.isnan(other):
                    mismatches += 1
                elif mine is not None:
                    worst = max(worst, abs(mine - other))
    print(f"networkx_steps {steps}")
    print(f"networkx_step_s {wall / steps:.4f} s (wall, graph building included)")
    print(f"networkx_step_cpu_s {cpu / steps:.4f} s (CPU)")
    print(f"pair_steps {compared}")
    print(f"reachability_mismatches {mismatches}")
    print(f"max_one_way_diff_ms {worst:.3g}")


if __name__ == "__main__":
    main()
