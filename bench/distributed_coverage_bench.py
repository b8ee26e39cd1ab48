"""Global coverage on a local Dask cluster: skyfence.distributed.coverage of the bundled Starlink
snapshot over the S2 cells of one level, written to Zarr, with the wall time and each worker's peak
memory (docs/performance.md, "Distributed coverage").

    PYTHONPATH=build/python /usr/bin/python3 bench/distributed_coverage_bench.py \\
        [--workers 1 2] [--level 10] [--duration 24h] [--step 60s] [--catalog starlink]

One run per --workers value, each on a fresh LocalCluster of that many worker processes with one task
at a time (and one engine thread per task). Prints one line per run: workers, tasks, wall seconds,
the peak resident memory of each worker process and of this (client) process, each worker's CPU
time (and their sum per cell and step: the constant of docs/distributed.md's estimate, which machine
load does not change as it changes wall time), and the speed-up over the first run. The Zarr store goes to a temporary folder and is removed.
"""

import argparse
import os
import shutil
import sys
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


def main():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--workers", type=int, nargs="+", default=[2])
    p.add_argument("--level", type=int, default=10)
    p.add_argument("--start", default="2026-04-27T00:00:00")
    p.add_argument("--duration", default="24h")
    p.add_argument("--step", default="60s")
    p.add_argument("--catalog", default="starlink")
    p.add_argument("--shards", type=int)
    p.add_argument("--chunks", type=int)
    args = p.parse_args()

    import skyfence
    from skyfence import _skyfence
    from skyfence import distributed as sd

    warnings.simplefilter("ignore", skyfence.SkyfenceWarning)
    start = np.datetime64(args.start, "ns")
    stop = start + np.timedelta64(_skyfence.parse_duration_ns(args.duration, "--duration"), "ns")
    step = np.timedelta64(_skyfence.parse_duration_ns(args.step, "--step"), "ns")
    first = None
    for workers in args.workers:
        tmp = tempfile.mkdtemp(prefix="skyfence-bench-", dir=os.environ.get("TMPDIR", "/tmp"))
        client = sd.local_client(workers, memory_limit=0)
        try:
            t0 = time.perf_counter()
            ds = sd.coverage([args.catalog], start, stop, step, level=args.level, client=client,
                             shards=args.shards, chunks=args.chunks, output=os.path.join(tmp, "cov.zarr"))
            wall = time.perf_counter() - t0
            peaks = sorted(client.run(peak_rss_mib).values())
            cpu = sorted(client.run(time.process_time).values())
        finally:
            cluster = client.cluster
            client.close()
            cluster.close()
            shutil.rmtree(tmp, ignore_errors=True)
        first = first or wall
        served = float(ds.coverage_fraction.sel(provider="any").weighted(ds.area_km2).mean())
        cell_steps = ds.sizes["cell"] * ds.attrs["steps"]
        print(f"workers {workers}: {ds.sizes['cell']} cells x {ds.attrs['steps']} steps, split "
              f"{sd.plan_coverage(ds.sizes['cell'], ds.attrs['steps'], workers, args.shards, args.chunks)}; "
              f"{wall:.1f} s wall, speed-up {first / wall:.2f}; peak RSS per worker "
              f"{', '.join(f'{m:.0f}' for m in peaks)} MiB, client {peak_rss_mib():.0f} MiB; worker CPU "
              f"{', '.join(f'{c:.1f}' for c in cpu)} s, {1e9 * sum(cpu) / cell_steps:.2f} CPU-ns per cell-step; "
              f"area-weighted coverage {100 * served:.2f}%", flush=True)
        del ds
    return 0


if __name__ == "__main__":
    sys.exit(main())
