#!/usr/bin/python3
"""Independent reference for `skyfence route`: shortest-delay routes between cities over the Starlink
550 km shell (72 planes x 22 satellites, 53 deg) with plus-grid inter-satellite links, computed with
networkx on the satellite positions skyfence propagated (bench/route_bench --dump DIR).

Everything but the positions is recomputed here from its definition, without skyfence code:
  - plus grid from the Walker numbering (satellite i = plane * 22 + slot, as the starlink_gen1 preset
    generates shell 0): slot s to slot s+1 of its plane (cyclic), plane p to plane p+1 at the same slot,
    and across the wrap plane 71 slot s to plane 0 slot (s + F) mod 22 with the preset's phasing F = 36
    (src/skyfence/orbits/presets.h: Starlink adjacent planes offset by half a slot, F = planes / 2);
  - an ISL is dropped when the segment passes within 6378.137 + 80 km of the Earth's centre;
  - a city (data/cities/cities_top100.csv, WGS84 geodetic) links to every satellite at or above 25 deg
    of elevation over its ellipsoid normal;
  - delays are lengths / c (299792.458 km/s); cities never relay (directed edges: city -> satellite
    for a source, satellite -> city for a destination).
Routes: networkx.single_source_dijkstra from each source city.

Usage:
  route_networkx.py DUMP_DIR [--pairs A:B,C:D] [--compare skyfence_route.csv] [--compare-dump]
     --pairs          city id pairs (default: every ordered pair of the 100 cities)
     --cities N       only the first N cities of the file (default: all 100)
     --fixture FILE   write the routes of every pair and step as the test fixture
                      (tests/data/network/routes_networkx.csv, compared by
                      tests/oracle/network/networkx_routes_test.cpp)
     --series FILE    write time_s,src,dst,rtt_ms,hops for the pairs
     --compare FILE   compare with `skyfence route --satellites-only` CSV output for the same window
     --compare-dump   compare with DUMP_DIR/skyfence_routes.csv (written by route_bench)
Prints agreement figures: the largest |difference| in one-way delay and the share of identical paths.
"""
import argparse
import csv
import json
import math
import os
import sys

import networkx as nx
import numpy as np

C_KM_S = 299792.458
WGS84_A = 6378.137
WGS84_F = 1.0 / 298.257223563
GRAZE_KM = WGS84_A + 80.0
MIN_EL_DEG = 25.0
PLANES, SLOTS, PHASING = 72, 22, 36
REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


def load_cities(path=os.path.join(REPO, "data", "cities", "cities_top100.csv")):
    """id -> (ECEF km, unit up vector), from WGS84 geodetic latitude, longitude, altitude."""
    e2 = WGS84_F * (2.0 - WGS84_F)
    out = {}
    with open(path, encoding="utf-8") as f:
        for row in csv.DictReader(f):
            lat, lon = math.radians(float(row["lat_deg"])), math.radians(float(row["lon_deg"]))
            h = float(row.get("alt_m") or 0.0) / 1000.0
            n = WGS84_A / math.sqrt(1.0 - e2 * math.sin(lat) ** 2)
            r = np.array([(n + h) * math.cos(lat) * math.cos(lon), (n + h) * math.cos(lat) * math.sin(lon),
                          (n * (1.0 - e2) + h) * math.sin(lat)])
            up = np.array([math.cos(lat) * math.cos(lon), math.cos(lat) * math.sin(lon), math.sin(lat)])
            out[row["id"]] = (r, up)
    return out


def plus_grid():
    links = []
    idx = lambda p, s: p * SLOTS + s
    for p in range(PLANES):
        for s in range(SLOTS):
            links.append((idx(p, s), idx(p, (s + 1) % SLOTS)))
            if p + 1 < PLANES:
                links.append((idx(p, s), idx(p + 1, s)))
            else:
                links.append((idx(p, s), idx(0, (s + PHASING) % SLOTS)))
    return links


def segment_clear(a, b):
    d = b - a
    t = min(1.0, max(0.0, -float(np.dot(a, d)) / float(np.dot(d, d))))
    return float(np.linalg.norm(a + t * d)) >= GRAZE_KM


def build_graph(pos, cities, links):
    """Directed graph of one step: satellites are ints, cities are ('src'|'dst', id)."""
    g = nx.DiGraph()
    for a, b in links:
        if segment_clear(pos[a], pos[b]):
            w = float(np.linalg.norm(pos[b] - pos[a])) / C_KM_S * 1000.0
            g.add_edge(a, b, weight=w)
            g.add_edge(b, a, weight=w)
    sin_min = math.sin(math.radians(MIN_EL_DEG))
    for cid, (r, up) in cities.items():
        rel = pos - r
        rng = np.linalg.norm(rel, axis=1)
        sin_el = (rel @ up) / rng
        for i in np.nonzero(sin_el >= sin_min)[0]:
            w = float(rng[i]) / C_KM_S * 1000.0
            g.add_edge(("src", cid), int(i), weight=w)
            g.add_edge(int(i), ("dst", cid), weight=w)
    return g


def route_step(pos, cities, links, pairs):
    """{(src, dst): (one_way_ms, [path ids])} for the pairs at one step (None when unreachable)."""
    g = build_graph(pos, cities, links)
    out = {}
    by_src = {}
    for a, b in pairs:
        by_src.setdefault(a, []).append(b)
    for a, dsts in by_src.items():
        if ("src", a) not in g:
            for b in dsts:
                out[(a, b)] = None
            continue
        dist, path = nx.single_source_dijkstra(g, ("src", a), weight="weight")
        for b in dsts:
            t = ("dst", b)
            out[(a, b)] = (dist[t], path[t]) if t in dist else None
    return out


def load_dump(d):
    meta = json.load(open(os.path.join(d, "meta.json")))
    pos = np.fromfile(os.path.join(d, "positions.f64"), dtype=np.float64)
    pos = pos.reshape(meta["steps"], meta["satellites"], 3)
    return meta, pos


def path_ids(path, norad):
    return [p[1] if isinstance(p, tuple) else str(norad[p]) for p in path]


def write_fixture(path, meta, pairs, ref, n_cities):
    """step,src,dst,one_way_ms,path for every pair and step (empty delay and path: unreachable)."""
    with open(path, "w", encoding="utf-8") as f:
        f.write(f"# Shortest-delay routes from networkx {nx.__version__} (numpy {np.__version__}), made by\n"
                f"# scripts/reference/route_networkx.py DUMP --cities {n_cities} --fixture FILE, on the satellite\n"
                f"# positions of bench/route_bench --dump DUMP --steps {meta['steps']} --step-s {meta['step_s']:g} "
                f"--start {meta['start']} --no-routes\n"
                f"# (starlink_gen1 shell 0: {meta['planes']} x {meta['sats_per_plane']}, plus grid, satellites only,"
                f" cities above {meta['min_elevation_deg']:g} deg):\n"
                f"# the first {n_cities} cities of data/cities/cities_top100.csv, every ordered pair, step k at"
                f" start + k x {meta['step_s']:g} s.\n"
                "# path: city > NORAD ids > city; an empty one_way_ms and path: no route.\n")
        f.write("step,src,dst,one_way_ms,path\n")
        for step in range(meta["steps"]):
            for s, d in pairs:
                v = ref[(step, s, d)]
                f.write(f"{step},{s},{d},{'' if v is None else f'{v[0]:.9f}'},"
                        f"{'' if v is None else '>'.join(v[1])}\n")


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("dump")
    ap.add_argument("--pairs")
    ap.add_argument("--cities", type=int)
    ap.add_argument("--fixture")
    ap.add_argument("--series")
    ap.add_argument("--compare")
    ap.add_argument("--compare-dump", action="store_true")
    a = ap.parse_args()
    meta, pos = load_dump(a.dump)
    if meta["ground_relay"]:
        sys.exit("the dump was made with --ground-relay; this reference covers satellite-only routes")
    cities = load_cities()
    if a.cities:
        cities = dict(list(cities.items())[:a.cities])
    norad = meta["norad_ids"]
    if a.pairs:
        pairs = [tuple(p.split(":")) for p in a.pairs.split(",")]
    else:
        ids = list(cities)
        pairs = [(x, y) for x in ids for y in ids if x != y]
    links = plus_grid()
    ref = {}
    for step in range(meta["steps"]):
        for k, v in route_step(pos[step], cities, links, pairs).items():
            ref[(step, k[0], k[1])] = None if v is None else (v[0], path_ids(v[1], norad))
    if a.fixture:
        write_fixture(a.fixture, meta, pairs, ref, len(cities))
    if a.series:
        with open(a.series, "w") as f:
            f.write("time_s,src,dst,rtt_ms,hops\n")
            for step in range(meta["steps"]):
                for s, d in pairs:
                    v = ref[(step, s, d)]
                    t = step * meta["step_s"]
                    f.write(f"{t:g},{s},{d},{'' if v is None else f'{2 * v[0]:.6f}'},"
                            f"{'' if v is None else len(v[1]) - 1}\n")
    others = []
    if a.compare_dump:
        with open(os.path.join(a.dump, "skyfence_routes.csv")) as f:
            for row in csv.DictReader(f):
                others.append((int(row["step"]), row["src"], row["dst"], row["one_way_ms"], row["path"]))
    if a.compare:
        with open(a.compare, encoding="utf-8") as f:
            rows = list(csv.DictReader(f))
        times = sorted({r["time_utc"] for r in rows})
        for r in rows:
            others.append((times.index(r["time_utc"]), r["src"], r["dst"], r["one_way_ms"], r["path"]))
    if others:
        n = same_path = reach_mismatch = 0
        worst = 0.0
        for step, s, d, ow, path in others:
            if (step, s, d) not in ref:
                continue
            v = ref[(step, s, d)]
            n += 1
            if (v is None) != (ow == ""):
                reach_mismatch += 1
                continue
            if v is None:
                same_path += 1
                continue
            worst = max(worst, abs(v[0] - float(ow)))
            same_path += path.split(">") == v[1]
        print(f"compared {n} pair-steps: reachability mismatches {reach_mismatch}, "
              f"max |one-way difference| {worst:.3e} ms, identical paths {same_path}/{n} "
              f"({100.0 * same_path / max(n, 1):.2f}%)")


if __name__ == "__main__":
    main()
