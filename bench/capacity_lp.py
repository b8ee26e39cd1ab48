#!/usr/bin/python3
"""Times the LP reference of the capacity allocation (tests/oracle/capacity/lp_reference.py, scipy's
HiGHS, progressive filling) per instance, for comparison with skyfence::capacity::allocate.

Usage: capacity_lp.py [FILE|-] [--repeat N]
  FILE: JSON in the fixture format ({"instances": [...]}, a list, or one instance); default stdin;
        e.g. tests/data/capacity/allocation_fixtures.json
  --repeat N: solve each instance N times and keep its fastest (default 3)
Prints the instance count, the median and the total of the per-instance seconds, and the LPs solved.
"""
import argparse
import os
import statistics
import sys
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "tests", "oracle", "capacity"))
import lp_reference  # noqa: E402


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("file", nargs="?", default="-")
    ap.add_argument("--repeat", type=int, default=3)
    a = ap.parse_args()
    instances = lp_reference.load_instances(a.file)
    times, stats = [], {}
    for inst in instances:
        best = float("inf")
        for r in range(max(1, a.repeat)):
            t0 = time.perf_counter()
            lp_reference.allocate(inst, stats if r == 0 else None)
            best = min(best, time.perf_counter() - t0)
        times.append(best)
    if not times:
        sys.exit("capacity_lp: no instances")
    print(f"lp_instances {len(times)}")
    print(f"lp_median_s {statistics.median(times):.6f} s per instance (fastest of {max(1, a.repeat)})")
    print(f"lp_total_s {sum(times):.3f} s")
    print(f"lp_levels {stats.get('rounds', 0)} lp_solves {stats.get('lps', 0)}")


if __name__ == "__main__":
    main()
