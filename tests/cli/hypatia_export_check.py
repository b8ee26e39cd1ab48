#!/usr/bin/python3
"""Checks a folder written by `skyfence route --export-hypatia` against Hypatia's formats.

An independent reading of the format, written from Hypatia's documented behaviour (github.com/snkas/hypatia
at commit 0ac531c: satgenpy's writers and read_tles/read_isls, the ns-3 module's
topology-satellite-network, arbiter-single-forward-helper and gsl-if-bandwidth-helper readers, whose
checks are repeated here). No Hypatia code is used. It then follows the forwarding state hop by hop:

  --routes CSV          skyfence route's per-step CSV (time_utc,src,dst,...,path) for the same network:
                        every row's path must be the walk of the fstate entries from src to dst at that
                        step (satellites by NORAD id, ground stations by name).
  --hypatia-paths DIR   Hypatia's networkx_path_SRC_to_DST.txt files (t_ns,node-node-... per change):
                        the walk must be Hypatia's path at every exported step that Hypatia computed
                        (the times of networkx_rtt_SRC_to_DST.txt, when present).
  --all-pairs           also walks every ordered pair of ground stations at every step (loops, drops).
  --same-epoch          requires one epoch for every TLE (satgenpy's read_tles does).
  --refit-from TLE --start ISO [--refit-bound KM]
                        the element sets were re-fitted to --start from the catalog TLE (the latest set
                        of each NORAD id): with python-sgp4 (Vallado's SGP4, an implementation other
                        than skyfence's), each exported set propagated as ns-3 does (tsince = t - start)
                        must be within KM (default 1) of the catalog's set at t, at 11 instants over the
                        exported window; epoch_refit.csv must list every satellite, its residual no
                        larger than this check finds plus 50 m (it samples more instants).

Exit status 0 when every check passes, else 1 with the first problems on stderr.
"""
import argparse
import csv
import glob
import math
import os
import re
import sys


class Problems:
    def __init__(self):
        self.items = []

    def add(self, msg):
        self.items.append(msg)

    def require(self, cond, msg):
        if not cond:
            self.add(msg)
        return cond


def read_lines(path):
    with open(path, "r", newline="") as f:
        text = f.read()
    if text and not text.endswith("\n"):
        raise SystemExit(f"{path}: last line has no line feed")
    return text.split("\n")[:-1] if text else []


def tle_checksum(line):
    s = 0
    for c in line[:68]:
        if c.isdigit():
            s += int(c)
        elif c == "-":
            s += 1
    return s % 10


def positive_int(text):
    # ns-3's parse_positive_int64: an integer >= 0
    if not re.fullmatch(r"[0-9]+", text):
        raise ValueError(f"not a non-negative integer: {text!r}")
    return int(text)


def any_int(text):
    if not re.fullmatch(r"-?[0-9]+", text):
        raise ValueError(f"not an integer: {text!r}")
    return int(text)


def a_float(text, positive=False):
    v = float(text)
    if not math.isfinite(v) or (positive and v < 0):
        raise ValueError(f"not a {'non-negative ' if positive else ''}number: {text!r}")
    return v


def check_static(d, p, same_epoch):
    st = {}
    # tles.txt
    lines = read_lines(os.path.join(d, "tles.txt"))
    head = lines[0].split(" ")
    p.require(len(head) == 2, "tles.txt:1: expected ORBITS SATS_PER_ORBIT")
    orbits, per_orbit = positive_int(head[0]), positive_int(head[1])
    p.require(orbits >= 1 and per_orbit >= 1, "tles.txt:1: zero orbits or satellites")
    body = lines[1:]
    p.require(len(body) % 3 == 0, "tles.txt: not name/line 1/line 2 triples")
    n = len(body) // 3
    p.require(n == orbits * per_orbit, f"tles.txt: {n} satellites, header says {orbits} x {per_orbit}")
    norad, epochs = [], set()
    for i in range(n):
        name, l1, l2 = body[3 * i: 3 * i + 3]
        at = 2 + 3 * i
        words = name.split()
        p.require(len(words) >= 2 and words[1] == str(i), f"tles.txt:{at}: name's second word is not {i}")
        for k, line in ((1, l1), (2, l2)):
            if p.require(len(line) == 69 and line.startswith(f"{k} "), f"tles.txt:{at + k}: not a TLE line {k}"):
                p.require(int(line[68]) == tle_checksum(line), f"tles.txt:{at + k}: checksum")
        p.require(l1[2:7] == l2[2:7], f"tles.txt:{at + 2}: catalog numbers differ")
        norad.append(int(l1[2:7]) if l1[2:7].strip().isdigit() else l1[2:7].strip())
        epochs.add(l1[18:32])
    if same_epoch:
        p.require(len(epochs) == 1, f"tles.txt: {len(epochs)} epochs, satgenpy requires one")
    st["n_sat"], st["norad"], st["epochs"] = n, norad, epochs

    # ground_stations.txt (the extended form, the one ns-3 reads)
    gs_names = []
    for k, line in enumerate(read_lines(os.path.join(d, "ground_stations.txt")), start=1):
        f = line.split(",")
        if not p.require(len(f) == 8, f"ground_stations.txt:{k}: expected 8 fields, got {len(f)}"):
            continue
        p.require(positive_int(f[0]) == k - 1, f"ground_stations.txt:{k}: gid is not incremented each line")
        lat, lon, elev = a_float(f[2]), a_float(f[3]), a_float(f[4])
        x, y, z = a_float(f[5]), a_float(f[6]), a_float(f[7])
        p.require(-90 <= lat <= 90 and -180 <= lon <= 180, f"ground_stations.txt:{k}: latitude/longitude range")
        r = math.sqrt(x * x + y * y + z * z)
        p.require(6.35e6 + min(elev, 0) - 1e3 < r < 6.3782e6 + max(elev, 0) + 1e3,
                  f"ground_stations.txt:{k}: x, y, z {r:.0f} m from the centre")
        p.require(f[1] != "", f"ground_stations.txt:{k}: empty name")
        gs_names.append(f[1])
    p.require(len(gs_names) >= 1, "ground_stations.txt: no ground station")
    st["names"] = gs_names
    g = len(gs_names)

    # isls.txt: satgenpy's read_isls (a < b, ids known, no duplicate) and the interface numbering
    isl_count = [0] * n
    if_of = {}
    ends = {}
    seen = set()
    for k, line in enumerate(read_lines(os.path.join(d, "isls.txt")), start=1):
        f = line.split(" ")
        if not p.require(len(f) == 2, f"isls.txt:{k}: expected 'a b'"):
            continue
        a, b = positive_int(f[0]), positive_int(f[1])
        p.require(a < b < n, f"isls.txt:{k}: expected a < b < {n}")
        p.require((a, b) not in seen, f"isls.txt:{k}: duplicate link")
        seen.add((a, b))
        if_of[(a, b)] = isl_count[a]
        if_of[(b, a)] = isl_count[b]
        ends[(a, isl_count[a])] = (b, isl_count[b])
        ends[(b, isl_count[b])] = (a, isl_count[a])
        isl_count[a] += 1
        isl_count[b] += 1
    st["isl_count"], st["if_of"], st["ends"] = isl_count, if_of, ends

    # gsl_interfaces_info.txt: node ids incremented each line, interfaces and bandwidth
    gsl_ifs = []
    for k, line in enumerate(read_lines(os.path.join(d, "gsl_interfaces_info.txt")), start=1):
        f = line.split(",")
        p.require(len(f) == 3, f"gsl_interfaces_info.txt:{k}: expected 3 fields")
        p.require(positive_int(f[0]) == k - 1, f"gsl_interfaces_info.txt:{k}: node id not incremented")
        gsl_ifs.append(positive_int(f[1]))
        a_float(f[2], positive=True)
    p.require(len(gsl_ifs) == n + g, f"gsl_interfaces_info.txt: {len(gsl_ifs)} nodes, expected {n + g}")
    st["gsl_ifs"] = gsl_ifs + [0] * max(0, n + g - len(gsl_ifs))

    # description.txt
    desc = {}
    for line in read_lines(os.path.join(d, "description.txt")):
        key, _, value = line.partition("=")
        desc[key] = a_float(value, positive=True)
    p.require(set(desc) == {"max_gsl_length_m", "max_isl_length_m"}, f"description.txt: keys {sorted(desc)}")
    return st


def interfaces(st, node):
    """ns-3 interfaces of a node besides loopback: ISLs (satellites) then its GSL interfaces."""
    isl = st["isl_count"][node] if node < st["n_sat"] else 0
    return isl, isl + st["gsl_ifs"][node]


def check_dynamic(d, st, p, on_step):
    """Reads every file; after each step's fstate, calls on_step(k, t, state) with the whole table."""
    n, g = st["n_sat"], len(st["names"])
    nodes = n + g
    times = sorted(int(re.match(r"fstate_([0-9]+)\.txt$", os.path.basename(f)).group(1))
                   for f in glob.glob(os.path.join(d, "fstate_*.txt")))
    bw_times = sorted(int(re.match(r"gsl_if_bandwidth_([0-9]+)\.txt$", os.path.basename(f)).group(1))
                      for f in glob.glob(os.path.join(d, "gsl_if_bandwidth_*.txt")))
    p.require(times and times[0] == 0, "no fstate_0.txt")
    p.require(times == bw_times, "fstate and gsl_if_bandwidth files are not for the same times")
    step = times[1] - times[0] if len(times) > 1 else 0
    p.require(all(t == k * step for k, t in enumerate(times)), "the steps are not evenly spaced from 0")
    others = set(os.listdir(d)) - {f"fstate_{t}.txt" for t in times} - {f"gsl_if_bandwidth_{t}.txt" for t in times}
    p.require(others - {"epoch_refit.csv"} == {"tles.txt", "ground_stations.txt", "isls.txt", "gsl_interfaces_info.txt", "description.txt"},
              f"unexpected files {sorted(others)}")

    for t in times:
        name = f"gsl_if_bandwidth_{t}.txt"
        for k, line in enumerate(read_lines(os.path.join(d, name)), start=1):
            f = line.split(",")
            node, if_id = positive_int(f[0]), positive_int(f[1])
            a_float(f[2], positive=True)
            if p.require(node < nodes, f"{name}:{k}: invalid node id"):
                isl, total = interfaces(st, node)
                p.require(isl <= if_id < total, f"{name}:{k}: interface {if_id} is not a GSL interface")

    state = {}
    for k_step, t in enumerate(times):
        name = f"fstate_{t}.txt"
        written = set()
        for k, line in enumerate(read_lines(os.path.join(d, name)), start=1):
            f = line.split(",")
            if not p.require(len(f) == 5, f"{name}:{k}: expected 5 fields"):
                continue
            cur, dst = positive_int(f[0]), positive_int(f[1])
            nxt, my_if, next_if = any_int(f[2]), any_int(f[3]), any_int(f[4])
            where = f"{name}:{k}"
            p.require(cur < nodes and dst < nodes, f"{where}: invalid current or target node id")
            p.require(n <= dst, f"{where}: target {dst} is not a ground station")
            p.require(cur != dst, f"{where}: entry of a node for itself")
            p.require(-1 <= nxt < nodes, f"{where}: invalid next hop node id")
            drop = (nxt, my_if, next_if) == (-1, -1, -1)
            p.require(drop or (nxt != -1 and my_if != -1 and next_if != -1), f"{where}: all three must be -1 for a drop")
            p.require((cur, dst) not in written, f"{where}: entry given twice")
            written.add((cur, dst))
            if t > 0:
                p.require(state.get((cur, dst)) != (nxt, my_if, next_if), f"{where}: unchanged entry written again")
            state[(cur, dst)] = (nxt, my_if, next_if)
            if drop or not (0 <= nxt < nodes):
                continue
            isl_c, total_c = interfaces(st, cur)
            isl_n, total_n = interfaces(st, nxt)
            if not p.require(0 <= my_if < total_c, f"{where}: invalid current interface") or \
               not p.require(0 <= next_if < total_n, f"{where}: invalid next hop interface"):
                continue
            if my_if < isl_c:  # an ISL: the other end must be the next hop, on next_if
                p.require(st["ends"].get((cur, my_if)) == (nxt, next_if), f"{where}: ISL {my_if} of {cur} does not lead to {nxt}:{next_if}")
            else:  # a GSL: the next hop's interface must be a GSL one, between a satellite and a ground station
                p.require(next_if >= isl_n, f"{where}: destination interface is not a GSL interface")
                p.require((cur < n) != (nxt < n), f"{where}: a GSL hop must join a satellite and a ground station")
        if t == 0:
            want = {(u, n + b) for u in range(nodes) for b in range(g) if u != n + b}
            p.require(written == want, f"{name}: {len(want - written)} entries missing")
        on_step(k_step, t, state)
    return times


def walk(table, n, src, dst, limit):
    path = [src]
    node = src
    while node != dst:
        hop = table.get((node, dst))
        if hop is None or hop[0] < 0:
            return None
        node = hop[0]
        path.append(node)
        if len(path) > limit:
            return "loop"
    return path


def check_refit(d, p, catalog, start_iso, bound_km, window_ns):
    """The re-fitted element sets against the catalog's, with python-sgp4 (see --refit-from)."""
    from datetime import datetime
    from sgp4.api import Satrec, WGS72
    start = datetime.fromisoformat(start_iso.replace("Z", "+00:00"))
    start_jd = 2440587.5 + start.timestamp() / 86400.0
    jd_whole, jd_frac = math.floor(start_jd), start_jd - math.floor(start_jd)
    originals = {}
    lines = [l.rstrip("\r") for l in read_lines(catalog)]
    for k in range(len(lines) - 1):
        if lines[k].startswith("1 ") and lines[k + 1].startswith("2 "):
            sat = Satrec.twoline2rv(lines[k], lines[k + 1], WGS72)
            old = originals.get(sat.satnum)
            if old is None or sat.jdsatepoch + sat.jdsatepochF > old.jdsatepoch + old.jdsatepochF:
                originals[sat.satnum] = sat
    body = read_lines(os.path.join(d, "tles.txt"))[1:]
    worst, measured = 0.0, {}
    for i in range(len(body) // 3):
        l1, l2 = body[3 * i + 1], body[3 * i + 2]
        new = Satrec.twoline2rv(l1, l2, WGS72)
        old = originals.get(new.satnum)
        if not p.require(old is not None, f"tles.txt: satellite {i} (NORAD {new.satnum}) is not in {catalog}"):
            continue
        err = 0.0
        for k in range(11):
            s_min = window_ns * k / 10 / 60e9
            e1, r1, _ = new.sgp4_tsince(s_min)
            e2, r2, _ = old.sgp4_tsince(((jd_whole - old.jdsatepoch) + (jd_frac - old.jdsatepochF)) * 1440.0 + s_min)
            if e2 != 0:  # the catalog's set fails there: it is written unchanged (epoch_refit.csv says why)
                err = None
                break
            p.require(e1 == 0, f"tles.txt: satellite {i}: SGP4 error {e1} at {s_min} min")
            err = max(err, math.dist(r1, r2))
        if err is None:
            continue
        measured[i] = err
        worst = max(worst, err)
        p.require(err < bound_km, f"tles.txt: satellite {i} (NORAD {new.satnum}) is {err:.3f} km from the catalog's")
    path = os.path.join(d, "epoch_refit.csv")
    if p.require(os.path.exists(path), "no epoch_refit.csv"):
        with open(path, newline="") as f:
            rows = list(csv.DictReader(f))
        p.require(len(rows) == len(body) // 3, f"epoch_refit.csv: {len(rows)} rows for {len(body) // 3} satellites")
        for k, row in enumerate(rows):
            if not p.require(int(row["id"]) == k, f"epoch_refit.csv:{k + 2}: id {row['id']}"):
                break
            if k in measured and row["max_position_error_km"]:
                p.require(float(row["max_position_error_km"]) <= measured[k] + 0.05,
                          f"epoch_refit.csv:{k + 2}: residual {row['max_position_error_km']} km, found {measured[k]:.6f}")
    return worst, len(measured)


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("dir")
    ap.add_argument("--routes")
    ap.add_argument("--hypatia-paths")
    ap.add_argument("--all-pairs", action="store_true")
    ap.add_argument("--same-epoch", action="store_true")
    ap.add_argument("--refit-from")
    ap.add_argument("--start")
    ap.add_argument("--refit-bound", type=float, default=1.0)
    args = ap.parse_args()
    if args.refit_from and not args.start:
        ap.error("--refit-from needs --start")
    p = Problems()
    st = check_static(args.dir, p, args.same_epoch)
    n, names = st["n_sat"], st["names"]
    nodes = n + len(names)
    counts = {"walked": 0, "rows": 0}

    # route's rows by step (the k-th distinct time is the k-th fstate file), Hypatia's path changes
    routes_by_step = []
    gs_node = {}
    for i, name in enumerate(names):
        gs_node.setdefault(name, n + i)
    sat_node = {str(x): i for i, x in enumerate(st["norad"])}
    if args.routes:
        step_of = {}
        with open(args.routes, newline="") as f:
            for row in csv.DictReader(f):
                k = step_of.setdefault(row["time_utc"], len(step_of))
                while len(routes_by_step) <= k:
                    routes_by_step.append([])
                routes_by_step[k].append(row)
    hypatia = []
    if args.hypatia_paths:
        files = glob.glob(os.path.join(args.hypatia_paths, "networkx_path_*_to_*.txt"))
        p.require(files, "no networkx_path files")
        for fn in files:
            src, dst = (int(x) for x in re.search(r"networkx_path_([0-9]+)_to_([0-9]+)\.txt$", fn).groups())
            changes = [(int(line.split(",")[0]), [int(x) for x in line.split(",")[1].split("-")])
                       for line in read_lines(fn)]
            # The instants Hypatia computed (its RTT file has one line each); only those are compared.
            rtt_fn = fn.replace("networkx_path_", "networkx_rtt_")
            at = {int(line.split(",")[0]) for line in read_lines(rtt_fn)} if os.path.exists(rtt_fn) else None
            hypatia.append((src, dst, changes, at))

    def on_step(k, t, table):
        if args.all_pairs:
            for a in range(len(names)):
                for b in range(len(names)):
                    if a != b:
                        w = walk(table, n, n + a, n + b, nodes)
                        p.require(w != "loop", f"step {k}: forwarding loop from {names[a]} to {names[b]}")
                        counts["walked"] += 1
        for row in routes_by_step[k] if k < len(routes_by_step) else []:
            src, dst = gs_node[row["src"]], gs_node[row["dst"]]
            w = walk(table, n, src, dst, nodes)
            if row["path"] == "":
                p.require(w is None, f"routes: {row['time_utc']} {row['src']}->{row['dst']}: unreachable in route, fstate walks {w}")
            else:
                labels = row["path"].split(">")
                want = [gs_node[labels[0]]] + [sat_node[x] for x in labels[1:-1]] + [gs_node[labels[-1]]]
                p.require(w == want, f"routes: {row['time_utc']} {row['src']}->{row['dst']}: route {want}, fstate {w}")
            counts["rows"] += 1
            counts["walked"] += 1
        for src, dst, changes, at in hypatia:
            if at is not None and t not in at:
                continue
            hyp = [path for (tc, path) in changes if tc <= t][-1]
            w = walk(table, n, src, dst, nodes)
            p.require(w == hyp, f"Hypatia {src}->{dst} at t={t} ns: Hypatia {hyp}, fstate {w}")
            counts["walked"] += 1

    times = check_dynamic(args.dir, st, p, on_step)
    if args.routes:
        p.require(counts["rows"] > 0 and len(routes_by_step) == len(times),
                  f"routes: {counts['rows']} rows over {len(routes_by_step)} steps, {len(times)} fstate files")
    walked = counts["walked"]
    refit = ""
    if args.refit_from:
        worst, checked = check_refit(args.dir, p, args.refit_from, args.start, args.refit_bound, times[-1])
        refit = f"; {checked} re-fitted sets within {worst:.4f} km of the catalog's"

    if p.items:
        for msg in p.items[:20]:
            print("FAIL:", msg, file=sys.stderr)
        print(f"{len(p.items)} problem(s)", file=sys.stderr)
        return 1
    print(f"ok: {n} satellites, {len(names)} ground stations, {len(times)} steps, "
          f"{sum(1 for _ in st['ends']) // 2} ISLs, {walked} walks checked{refit}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
