"""skyfence.propagate from Python next to the C++ batch figure and python-sgp4, in one run.

Workload (docs/performance.md): every satellite of the bundled Starlink snapshot
(data/tle/starlink_2026-04-27.tle, 10,238 satellites) over one day from 2026-04-27T00:00:00Z at 60 s
(1440 times), TEME position and velocity: 14.7 M propagations.

  - skyfence (Python): skyfence.propagate(cat, times), 1 and 2 threads; "fresh" allocates the output
    arrays (766 MB) on each call, "reused" passes the same arrays back through out= as the C++ figure
    reuses its BatchStates. Best of --repeat timed runs after one untimed run.
  - skyfence (C++): bench/propagate_bench's BM_BatchAuto (BatchPropagator::propagate_grid into
    BatchStates, median of 3 repetitions), run by this script.
  - python-sgp4: SatrecArray.sgp4 (Debian's python3-sgp4; pure Python unless sgp4.api.accelerated)
    on a subset (every 10th satellite, every 10th minute; each call is independent, so the rate per
    propagation does not depend on the subset), best of --repeat.

    /usr/bin/python3 bench/python_propagate_bench.py BUILD_DIR [--repeat 3]
"""

import argparse
import json
import os
import subprocess
import sys
import time

import numpy as np


def best_of(repeat, fn):
    fn()  # untimed: page in the code and, for reused outputs, the arrays
    best = float("inf")
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        best = min(best, time.perf_counter() - t0)
    return best


def cpp_rates(build):
    """BM_BatchAuto's propagations per second, by thread count (median of 3 repetitions)."""
    exe = os.path.join(build, "bench", "propagate_bench")
    done = subprocess.run([exe, "--benchmark_filter=BM_BatchAuto", "--benchmark_repetitions=3",
                           "--benchmark_format=json"], capture_output=True, text=True, check=True)
    rates = {}
    for b in json.loads(done.stdout)["benchmarks"]:
        if b.get("aggregate_name") == "median":
            threads = b["run_name"].split("threads:")[1].split("/")[0]  # BM_BatchAuto/threads:2/min_time:...
            rates[int(threads)] = b["items_per_second"]
    return rates


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("build", help="the build folder (with python/ and bench/propagate_bench)")
    ap.add_argument("--repeat", type=int, default=3)
    args = ap.parse_args()
    build = os.path.abspath(args.build)
    sys.path.insert(0, os.path.join(build, "python"))
    import skyfence
    from sgp4.api import Satrec, SatrecArray, accelerated

    repo = os.path.abspath(os.path.join(os.path.dirname(__file__), ".."))
    tle = os.path.join(repo, "data", "tle", "starlink_2026-04-27.tle")
    cat = skyfence.load_catalog(tle)
    times = np.datetime64("2026-04-27T00:00:00", "ns") + np.arange(1440) * np.timedelta64(60, "s")
    n_props = len(cat) * len(times)
    print(f"machine: {os.uname().nodename}, {os.cpu_count()} CPUs, load {os.getloadavg()[0]:.2f}; "
          f"{len(cat)} satellites x {len(times)} times = {n_props} propagations; "
          f"kernel {skyfence._skyfence.batch_kernel()}")

    results = {}
    for threads in (1, 2):
        fresh = best_of(args.repeat, lambda: skyfence.propagate(cat, times, threads=threads))
        out = skyfence.propagate(cat, times, threads=threads)
        reused = best_of(args.repeat, lambda: skyfence.propagate(cat, times, threads=threads, out=out))
        del out
        results[threads] = (fresh, reused)

    cpp = cpp_rates(build)

    with open(tle) as f:
        lines = [line.rstrip("\r\n") for line in f]
    sats = [Satrec.twoline2rv(lines[i], lines[i + 1]) for i in range(len(lines) - 1)
            if lines[i].startswith("1 ") and lines[i + 1].startswith("2 ")]
    subset = SatrecArray(sats[::10])
    jd = np.full(144, 2461157.5)
    fr = np.arange(0, 1440, 10) / 1440.0
    sgp4_s = best_of(args.repeat, lambda: subset.sgp4(jd, fr))
    sgp4_rate = len(sats[::10]) * len(jd) / sgp4_s
    sgp4_full = n_props / sgp4_rate

    print(f"python-sgp4 SatrecArray ({'accelerated' if accelerated else 'pure Python'}): "
          f"{len(sats[::10])} x {len(jd)} in {sgp4_s:.3f} s = {sgp4_rate / 1e6:.3f} M props/s, "
          f"whole workload {sgp4_full:.1f} s (scaled)")
    print("threads | C++ batch s (M/s) | Python fresh s | Python reused s | fresh/C++ | reused/C++ | "
          "python-sgp4/Python fresh")
    for threads in (1, 2):
        fresh, reused = results[threads]
        cpp_s = n_props / cpp[threads]
        print(f"{threads} | {cpp_s:.3f} ({cpp[threads] / 1e6:.2f}) | {fresh:.3f} | {reused:.3f} | "
              f"{fresh / cpp_s:.2f} | {reused / cpp_s:.2f} | {sgp4_full / fresh:.0f}")
    print(f"load after: {os.getloadavg()[0]:.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
