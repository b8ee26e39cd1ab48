"""Peak memory per Dask worker: skyfence.distributed coverage at several shard sizes, and
skyfence.distributed run of scenarios, each on a fresh local cluster (docs/performance.md, "Memory per
worker").

    PYTHONPATH=build/python /usr/bin/python3 bench/distributed_memory_bench.py \\
        [--workers 2] [--level 9] [--duration 1h] [--step 60s] [--shard-points 98304 393216] \\
        [--scenario default tests/data/scenario/parts.toml]

Coverage: the bundled Starlink snapshot over the S2 cells of --level, one run per --shard-points (the
shards' size; the time chunks as the default plan chooses them). Run: each --scenario ("default": the
bundled default scenario), one plan per task. Each case on a fresh LocalCluster of --workers worker
processes, one task at a time and one engine thread per task, no memory limit.

Prints one line per case: each worker's peak resident memory (VmHWM) before any task (the worker's
own: Python, Dask, the package) and after the case, the largest rise, this (client) process's peak, and
the wall time (a busy machine's: report the load average with it). Outputs go to a temporary folder,
removed at the end.
"""

import argparse
import os
import shutil
import tempfile
import time
import warnings

import numpy as np


def peak_rss_mib():
    """This process's peak resident memory (VmHWM). Not getrusage's ru_maxrss: Linux carries that
    across exec, so a worker spawned by a large client would report the client's peak."""
    with open("/proc/self/status") as f:
        for line in f:
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024.0
    return float("nan")


def measured(workers, work):
    """Runs work(client) on a fresh local cluster; returns (what work returned, wall s, [(worker peak
    before, after) MiB])."""
    from skyfence import distributed as sd

    client = sd.local_client(workers, memory_limit=0)
    try:
        client.wait_for_workers(workers)
        before = client.run(peak_rss_mib)
        t0 = time.perf_counter()
        done = work(client)
        wall = time.perf_counter() - t0
        after = client.run(peak_rss_mib)
    finally:
        cluster = client.cluster
        client.close()
        cluster.close()
    return done, wall, sorted((before[w], after[w]) for w in after)


def line(case, wall, peaks):
    worst = max(a - b for b, a in peaks)
    return (f"{case}: peak RSS per worker {', '.join(f'{b:.0f} -> {a:.0f}' for b, a in peaks)} MiB "
            f"(before -> after; largest rise {worst:.0f} MiB); client {peak_rss_mib():.0f} MiB; {wall:.1f} s wall; "
            f"load average {os.getloadavg()[0]:.1f}")


def main():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--workers", type=int, default=2)
    p.add_argument("--level", type=int, default=9)
    p.add_argument("--start", default="2026-04-27T00:00:00")
    p.add_argument("--duration", default="1h")
    p.add_argument("--step", default="60s")
    p.add_argument("--catalog", default="starlink")
    p.add_argument("--shard-points", type=int, nargs="*", default=[98304, 393216])
    p.add_argument("--scenario", nargs="*", default=["default", "tests/data/scenario/parts.toml"])
    args = p.parse_args()

    import skyfence
    from skyfence import _skyfence
    from skyfence import distributed as sd

    warnings.simplefilter("ignore", skyfence.SkyfenceWarning)
    start = np.datetime64(args.start, "ns")
    stop = start + np.timedelta64(_skyfence.parse_duration_ns(args.duration, "--duration"), "ns")
    step = np.timedelta64(_skyfence.parse_duration_ns(args.step, "--step"), "ns")
    tmp = tempfile.mkdtemp(prefix="skyfence-bench-", dir=os.environ.get("TMPDIR", "/tmp"))
    try:
        for shard_points in args.shard_points:
            ds, wall, peaks = measured(args.workers, lambda client: sd.coverage(
                [args.catalog], start, stop, step, level=args.level, client=client, shard_points=shard_points))
            cells, steps = ds.sizes["cell"], ds.attrs["steps"]
            split = sd.plan_coverage(cells, steps, args.workers, shard_points=shard_points)
            print(line(f"coverage {args.catalog}, {cells} level-{args.level} cells x {steps} steps, {split}", wall,
                       peaks), flush=True)
        for k, scenario in enumerate(args.scenario):
            path = os.path.join(skyfence.data_dir(), "scenarios", "default.toml") if scenario == "default" else scenario
            plans = len(_skyfence.scenario_check(path)["plans"])
            out = os.path.join(tmp, f"run{k}")
            _, wall, peaks = measured(args.workers, lambda client: sd.run(path, out, client=client))
            print(line(f"run {scenario} ({plans} plans, one a task)", wall, peaks), flush=True)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
