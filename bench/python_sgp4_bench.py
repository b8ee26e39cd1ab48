"""python-sgp4 (Debian's python3-sgp4, pure Python) on the workload of docs/performance.md.

Every satellite of a TLE file over one day from 2026-04-27T00:00:00Z at 1-minute steps is 14.7 M
propagations for the Starlink snapshot: hours in pure Python. So this runs a subset (every k-th
satellite, every j-th minute) and reports the rate per propagation, which does not depend on the
subset (each call is independent). Prints one line:
"python-sgp4 1 <propagations run> <seconds> <Mprops/s>".

    /usr/bin/python3 bench/python_sgp4_bench.py <tle-file> [sat_stride] [minute_stride]
"""
import sys
import time

from sgp4.api import Satrec, accelerated


def main():
    if len(sys.argv) < 2:
        print(__doc__, file=sys.stderr)
        return 2
    path = sys.argv[1]
    sat_stride = int(sys.argv[2]) if len(sys.argv) > 2 else 20
    minute_stride = int(sys.argv[3]) if len(sys.argv) > 3 else 30

    with open(path) as f:
        lines = [line.rstrip("\r\n") for line in f]
    sats = []
    for i in range(len(lines) - 1):
        if lines[i].startswith("1 ") and lines[i + 1].startswith("2 "):
            sats.append(Satrec.twoline2rv(lines[i], lines[i + 1]))
    subset = sats[::sat_stride]
    jd_ref = 2461157.5  # 2026-04-27T00:00:00Z
    minutes = range(0, 1440, minute_stride)

    count = 0
    t0 = time.perf_counter()
    for sat in subset:
        for m in minutes:
            sat.sgp4(jd_ref, m / 1440.0)
            count += 1
    dt = time.perf_counter() - t0
    kind = "accelerated" if accelerated else "pure-python"
    print(f"python-sgp4 1 {count} {dt:.4f} {count / dt / 1e6:.6f} {kind} subset={len(subset)}x{len(minutes)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
