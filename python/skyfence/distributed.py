"""skyfence.distributed: studies too big for one process, run as Dask tasks (docs/distributed.md).

    python3 -m skyfence.distributed coverage --catalog starlink --level 10 --start 2026-04-27T00:00:00Z \\
        --duration 24h --step 60s -o starlink.zarr [--scheduler tcp://HOST:8786]

    python3 -m skyfence.distributed run [SCENARIO.toml] -o DIR [--scheduler tcp://HOST:8786]

Without --scheduler the work runs on a local cluster (distributed.LocalCluster) sized to the machine.
The results are those of the single-process ``skyfence coverage`` and ``skyfence run``, exactly.

A scenario run is split by plan (the baseline and each variant: coverage, demand met and latency), each
group's reliance against the baseline in a task of its own from the plans' per-step served masks, and
the passes and enforcement study in one more; the client reads and checks the inputs, makes the run's
record, merges the parts' rows in the single run's order (scenario::merge_parts) and writes the results
folder with the CLI's writers.

Coverage is split by cell shard and time chunk. A shard is a contiguous range of the points in the
order the single-process command lists them (S2 order for grids: a shard is a compact patch of the
Earth, so the satellites far from it cost a worker almost nothing); a chunk is a contiguous range of
the window's steps. Each task computes the statistics of one shard over one chunk, with what merging
needs besides the sums (the runs of unserved steps touching the chunk's first and last steps:
coverage::merge_consecutive); the chunks of a shard are merged pairwise in a tree, in time order, and
the shards are concatenated. Sums, extremes and run lengths are integers, so the merge is exact.
Under policies (``--policy``) the statistics also count the steps served and permitted; terminals decided
along the series (moving, or roaming) carry state from the window's first step, so a later chunk
first replays the decisions of the steps before it.
"""

from __future__ import annotations

import argparse
import functools
import math
import os
import shutil
import sys
import tempfile
import time as _time
import warnings as _warnings
import zlib

import numpy as np

import skyfence
from skyfence import _skyfence

__all__ = ["Split", "coverage", "local_client", "plan_coverage", "plan_groups", "run"]

# The statistics the tasks carry (PointStats, one (points, providers + 1) array each).
_STAT_FIELDS = ("steps_served", "sum_visible", "min_visible", "max_visible", "max_gap_steps", "gap_count",
                "leading_gap_steps", "trailing_gap_steps", "steps_served_permitted")
# Default shard size, which bounds a task's memory: the shard's cells (token, centre, area), the
# engine's point grid and per-step counts, and 36 bytes of statistics per point and provider. Measured
# with Starlink at level 10 (docs/performance.md): a worker running one task at a time peaks at 1.1-1.4
# GiB with shards of 0.9 M cells.
DEFAULT_SHARD_POINTS = 1_000_000
# Default chunk: no fewer steps than the engine propagates together (CoverageOptions::steps_per_block).
MIN_CHUNK_STEPS = 16


# -------------------------------------------------------------------------------------- providers

def _source(spec):
    """A provider given as a source (bundled catalog name or file) or a dict of load_catalog arguments."""
    if isinstance(spec, dict):
        return dict(spec)
    return {"source": os.fspath(spec)}


def _freeze(kwargs):
    """load_catalog arguments as a hashable tuple (times as ISO text), the key of a worker's cache."""
    out = []
    for k, v in sorted(kwargs.items()):
        if isinstance(v, list):
            v = tuple(v)
        elif isinstance(v, np.datetime64):
            v = str(v.astype("datetime64[ns]"))
        out.append((k, v))
    return tuple(out)


@functools.lru_cache(maxsize=8)
def _load_on_worker(frozen):
    """A worker loads each catalog once (per process) and keeps it for the tasks that follow."""
    kwargs = {k: (np.datetime64(v) if k in ("start", "stop") and v is not None else v) for k, v in frozen}
    if isinstance(kwargs.get("satellites"), tuple):
        kwargs["satellites"] = list(kwargs["satellites"])
    with _warnings.catch_warnings():
        _warnings.simplefilter("ignore", skyfence.SkyfenceWarning)  # the client has said them
        return skyfence.load_catalog(**kwargs)


# ------------------------------------------------------------------------------------------ tasks

def _partial(providers, window, first_step, steps, first_point, points, where, options, labels):
    """Task: the mergeable statistics of points [first_point, first_point + points) over steps
    [first_step, first_step + steps) of the window. Labels (ids, coordinates) only when asked."""
    names = [name for name, _ in providers]
    cats = [_load_on_worker(frozen)._c for _, frozen in providers]
    found = _skyfence.coverage_partial(names, cats, *window, first_step, steps, first_point, points,
                                       where["level"], where["region"], where["region_file"],
                                       where["region_name"], where["sites"], where["strict"],
                                       options["min_elevation_deg"], options["min_sats"], options["threads"],
                                       where["data_dir"], where["policies"], where["customer"],
                                       where["cli_names"])
    part = {
        "stats": found["stats"],
        "steps": found["steps"],
        "failed_states": list(found["failed_states"]),
        "pair_tests": found["pair_tests"],
        "warnings": [w for w in found["warnings"] if not w.endswith("were not counted in view")],
    }
    if labels:
        for key in ("ids", "lat_deg", "lon_deg", "area_km2", "point_kind", "providers", "step_s", "served",
                    "without_customer"):
            part[key] = found[key]
    return part


def _merge(earlier, later):
    """Task: the statistics of two consecutive chunks of one shard, joined exactly."""
    merged = dict(earlier)
    merged["stats"] = _skyfence.coverage_merge(earlier["stats"], earlier["steps"], later["stats"], later["steps"])
    merged["steps"] = earlier["steps"] + later["steps"]
    merged["failed_states"] = [a + b for a, b in zip(earlier["failed_states"], later["failed_states"])]
    merged["pair_tests"] = earlier["pair_tests"] + later["pair_tests"]
    merged["warnings"] = list(dict.fromkeys(earlier["warnings"] + later["warnings"]))
    return merged


# ------------------------------------------------------------------------------------------- plan

class Split:
    """How a coverage computation is cut into tasks: ``shards`` ranges of points (each of
    ``shard_points``, the last perhaps fewer) times ``chunks`` ranges of steps (each of ``chunk_steps``,
    the last perhaps fewer)."""

    def __init__(self, points, steps, shards, chunks):
        self.points, self.steps = points, steps
        self.shard_points = max(1, math.ceil(points / shards)) if points else 1
        self.shards = max(1, math.ceil(points / self.shard_points)) if points else 1
        self.chunk_steps = max(1, math.ceil(steps / chunks))
        self.chunks = max(1, math.ceil(steps / self.chunk_steps))

    def shard(self, s):
        return s * self.shard_points, self.shard_points

    def chunk(self, c):
        first = c * self.chunk_steps
        return first, min(self.chunk_steps, self.steps - first)

    def __repr__(self):
        return (f"Split({self.shards} shard(s) of <= {self.shard_points} points x {self.chunks} chunk(s) of "
                f"<= {self.chunk_steps} steps)")


def plan_coverage(points, steps, workers, shards=None, chunks=None, shard_points=DEFAULT_SHARD_POINTS):
    """The default split: shards of at most shard_points points (memory per task is bounded by the
    shard, not by the window), then time chunks of at least MIN_CHUNK_STEPS steps giving 2 to 8 tasks
    per worker thread: of those, the count whose last round leaves the fewest threads idle (tasks taken
    as equal), the fewest tasks among equals. Several tasks per thread let Dask even out unequal
    shards (a polar patch sees fewer satellites) and make a lost worker's share small."""
    for name, value in (("shards", shards), ("chunks", chunks), ("shard_points", shard_points)):
        if value is not None and (isinstance(value, bool) or not isinstance(value, int) or value < 1):
            raise ValueError(f"{name} must be a whole number of at least 1, got {value!r}")
    if shards is None:
        shards = max(1, math.ceil(points / shard_points))
    if chunks is None:
        threads = max(1, workers)
        most = max(1, steps // MIN_CHUNK_STEPS)
        lo = min(most, max(1, math.ceil(2 * threads / shards)))
        hi = min(most, max(1, math.ceil(8 * threads / shards)))

        def idle(c):
            tasks = Split(points, steps, shards, c)
            n = tasks.shards * tasks.chunks
            return 1.0 - n / (threads * math.ceil(n / threads)), n

        chunks = min(range(lo, hi + 1), key=idle)
    return Split(points, steps, shards, chunks)


def _count_points(where):
    """How many points the computation covers (the global grid's count without building it)."""
    if not where["sites"] and not where["region"] and not where["region_file"]:
        level = where["level"]
        if not 0 <= level <= 30:
            raise skyfence._input_error("level", f"expected a level from 0 to 30, found {level}")
        return 6 << (2 * level)
    # A region or sites: the small case; one task-sized call tells.
    return None


# ----------------------------------------------------------------------------------------- client

def local_client(workers=None, threads_per_worker=1, memory_limit="auto"):
    """A distributed.Client on a LocalCluster of ``workers`` processes (default: one per core this
    process may use), each running ``threads_per_worker`` tasks at a time."""
    from distributed import Client, LocalCluster

    if workers is None:
        workers = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1
    cluster = LocalCluster(n_workers=workers, threads_per_worker=threads_per_worker, processes=True,
                           memory_limit=memory_limit, dashboard_address=None)
    return Client(cluster)


def _worker_threads(client):
    return sum(client.nthreads().values()) or 1


def _tree_merge(client, futures, every):
    """Merges the chunks' futures of one shard pairwise, keeping time order (each merge's future also
    appended to `every`); returns the shard's future."""
    level = list(futures)
    while len(level) > 1:
        nxt = [client.submit(_merge, level[i], level[i + 1], pure=False) for i in range(0, len(level) - 1, 2)]
        every += nxt
        if len(level) % 2:
            nxt.append(level[-1])
        level = nxt
    return level[0]


# The least time between two progress lines, seconds: thousands of small tasks would otherwise print
# thousands of lines.
_PROGRESS_EVERY_S = 1.0


def _progress(futures, quiet):
    """Waits for every future (a progress line on standard error when the first ends, then at most one a
    second and one at the end, unless quiet), raising the first
    task error; empties `futures`, so that each result is released as soon as nothing needs it."""
    from distributed import as_completed

    total, done, t0 = len(futures), 0, _time.monotonic()
    last = t0 - _PROGRESS_EVERY_S
    pending = as_completed(futures)
    futures.clear()
    for future in pending:
        done += 1
        if future.status == "error":
            future.result()  # raises the task's exception
        now = _time.monotonic()
        if not quiet and (now - last >= _PROGRESS_EVERY_S or done == total):
            print(f"skyfence.distributed: {done}/{total} tasks done ({now - t0:.1f} s)", file=sys.stderr, flush=True)
            last = now


def _names_and_specs(providers, start_ns, stop_ns, data_dir):
    """Loads every provider on the client (bad input fails here, before any task; warnings said once)
    and returns the providers as (name, frozen load_catalog arguments) for the workers."""
    if isinstance(providers, dict):
        items = [(str(k), _source(v)) for k, v in providers.items()]
    else:
        items = [(v[0], _source(v[1])) if isinstance(v, tuple) else (None, _source(v)) for v in providers]
    if not items:
        raise ValueError("give at least one provider")
    out = []
    for name, kwargs in items:
        if data_dir and "data_dir" not in kwargs:
            kwargs["data_dir"] = os.fspath(data_dir)
        if "preset" in kwargs and kwargs.get("start") is None:
            kwargs["start"] = np.datetime64(start_ns, "ns")
        cat = skyfence.load_catalog(**kwargs)
        out.append((name or cat.name, _freeze(kwargs)))
    return out


def coverage(providers, start, stop, step, *, level=7, region=None, region_file=None, region_name=None,
             sites=None, strict=False, min_elevation_deg=25.0, min_sats=1, policies=None, customer=None,
             client=None, shards=None, chunks=None, shard_points=DEFAULT_SHARD_POINTS, task_threads=1,
             output=None, format=None, data_dir=None, quiet=True, _cli=False):
    """skyfence.coverage over a Dask cluster: the same Dataset, computed as shards x chunks tasks; with
    policies, also service under them, as ``skyfence coverage --policy``.

    providers: a dict {name: source}, or a list of sources or (name, source) pairs (name None: the
        name load_catalog gives), a source being a bundled catalog's name, a
        TLE/OMM file or a dict of load_catalog arguments ({"preset": "kuiper"}, {"source": f,
        "satellites": [...]}); each is loaded once here (bad input fails before any task) and again
        by each worker.
    start, stop, step, level, region, region_file, region_name, sites, strict, min_elevation_deg,
        min_sats: as skyfence.coverage; sites may also be a file of moving terminals (trajectories:
        each terminal counted where it is at each step, listed at its first position), as
        ``skyfence coverage --sites`` takes it.
    policies, customer: service policy files, each for the provider it names, and who asks at cells
        (and at sites without a customer column), as ``skyfence coverage --policy --customer``: the
        Dataset then has served_fraction (the share of steps served while the provider's policy permits
        service; for "any", the permitting providers together reach min_sats). Moving terminals, and
        sites with an activation_country, are decided step by step with their speed and roaming days.
    client: a distributed.Client (default: a local cluster for this call, closed after it).
    shards, chunks: the split (default: plan_coverage); task_threads: the engine's threads per task.
    output: also write the result there (format: "csv", "geojson" or "zarr"; default by the name's
        extension, else CSV; "-": CSV on standard output), as write_coverage does.
    quiet: False prints progress lines on standard error (the first task's end, then at most one a second).
    _cli: errors and warnings name the command line's options (--min-sats, --customer, --policy...), for
        ``python3 -m skyfence.distributed coverage``.
    """
    start_ns = skyfence._scalar_time_ns(start, "start")
    stop_ns = skyfence._scalar_time_ns(stop, "stop")
    step_ns = skyfence._timedelta_ns(step, "step")
    if isinstance(min_sats, bool) or not isinstance(min_sats, (int, np.integer)):
        raise TypeError(f"min_sats must be an int, got {type(min_sats).__name__}")
    if min_sats < 1:
        raise skyfence._input_error("--min-sats" if _cli else "min_sats", f"expected at least 1, got {min_sats}")
    if stop_ns <= start_ns or step_ns <= 0:
        raise skyfence._input_error("stop" if stop_ns <= start_ns else "step",
                                    "expected stop after start and a positive step")
    steps = -(-(stop_ns - start_ns) // step_ns)
    if isinstance(policies, (str, os.PathLike)):
        raise TypeError("policies must be a list of files, got one")
    where = {"level": int(level), "region": region or "", "region_file": os.fspath(region_file) if region_file else "",
             "region_name": region_name or "", "sites": os.fspath(sites) if sites else "", "strict": bool(strict),
             "data_dir": os.fspath(data_dir) if data_dir else "",
             "policies": [os.fspath(f) for f in (policies or [])], "customer": customer or "",
             "cli_names": bool(_cli)}
    options = {"min_elevation_deg": float(min_elevation_deg), "min_sats": int(min_sats),
               "threads": skyfence._threads(task_threads)}
    _check_output(output, format)
    specs = _names_and_specs(providers, start_ns, stop_ns, data_dir)
    window = (start_ns, stop_ns, step_ns)
    if where["policies"] or where["customer"]:
        _check_policies(specs, window, where, options)

    own = client is None
    if own:
        client = local_client()
    try:
        points = _count_points(where)
        if points is None:  # a region or sites file: counted by a task (which reads it as the others will)
            points = client.submit(_partial_total, specs, window, where, options, pure=False).result()
        split = plan_coverage(points, steps, _worker_threads(client), shards, chunks, shard_points)
        shard_futures, every = [], []
        for s in range(split.shards):
            first_point, count = split.shard(s)
            parts = []
            for c in range(split.chunks):
                first_step, n = split.chunk(c)
                parts.append(client.submit(_partial, specs, window, first_step, n, first_point, count, where,
                                           options, c == 0, pure=False))
            every += parts
            shard_futures.append(_tree_merge(client, parts, every))
        del parts
        # Only the shards' results are kept: every other result is let go once the tasks that need it
        # have run, so a worker holds a few shards' statistics at a time, whatever the window.
        _progress(every, quiet)
        shards_done = client.gather(shard_futures)
    finally:
        if own:
            cluster = client.cluster
            client.close()
            cluster.close()
    ds, stats = _assemble(shards_done, window, options, where)
    if output is not None:
        write_coverage(ds, stats, output, format, where=where, window=window, threads=options["threads"])
    return ds


def _survey(specs, window, where, options):
    """The statistics of no point over the first step: reads every input (the points' file, the
    policies) as a task would, so that it fails as a task would."""
    names = [name for name, _ in specs]
    cats = [_load_on_worker(frozen)._c for _, frozen in specs]
    return _skyfence.coverage_partial(names, cats, *window, 0, 1, 0, 0, where["level"], where["region"],
                                      where["region_file"], where["region_name"], where["sites"],
                                      where["strict"], options["min_elevation_deg"], options["min_sats"], 1,
                                      where["data_dir"], where["policies"], where["customer"],
                                      where["cli_names"])


def _partial_total(specs, window, where, options):
    return _survey(specs, window, where, options)["total_points"]


def _check_policies(specs, window, where, options):
    """Reads the policies (and the points they are for) on the client: a bad policy, one for no provider,
    or a customer without a policy fails here, before any task."""
    with _warnings.catch_warnings():
        _warnings.simplefilter("ignore", skyfence.SkyfenceWarning)  # the tasks say them
        _survey(specs, window, where, options)


def _assemble(shards_done, window, options, where):
    """The shards' merged statistics, concatenated, as skyfence.coverage's Dataset (with served_fraction
    under policies)."""
    import xarray as xr

    first = shards_done[0]
    for other in shards_done[1:]:
        if other["failed_states"] != first["failed_states"] or other["steps"] != first["steps"]:
            raise RuntimeError("shards disagree on the window's steps or SGP4 failures")
    stats = {f: np.concatenate([s["stats"][f] for s in shards_done]) for f in _STAT_FIELDS}
    steps = first["steps"]
    names = list(first["providers"])
    failed = list(first["failed_states"])
    for w in dict.fromkeys(w for s in shards_done for w in s["warnings"]):
        skyfence._warn([w])
    skyfence._warn([f"{names[p]}: {failed[p]} satellite-step(s) with an SGP4 error were not counted in view"
                    for p in range(len(failed)) if failed[p] > 0])
    # Said once for all shards, with their counts added (the tasks leave it out: each would count its
    # own points only).
    without = sum(int(s["without_customer"]) for s in shards_done)
    if without:
        total = sum(len(s["ids"]) for s in shards_done)
        skyfence._warn([_skyfence.no_customer_warning(f, without, total, first["point_kind"] == "cell",
                                                      where["cli_names"])
                        for f in where["policies"]])
    point = first["point_kind"]
    dims = (point, "provider")
    n = float(steps)
    ds = xr.Dataset(
        {
            "coverage_fraction": (dims, stats["steps_served"].astype(np.float64) / n),
            "mean_visible": (dims, stats["sum_visible"].astype(np.float64) / n),
            "min_visible": (dims, stats["min_visible"]),
            "max_visible": (dims, stats["max_visible"]),
            "max_gap_s": (dims, stats["max_gap_steps"].astype(np.float64) * first["step_s"]),
            "gap_count": (dims, stats["gap_count"]),
            "steps_served": (dims, stats["steps_served"]),
            **({"served_fraction": (dims, stats["steps_served_permitted"].astype(np.float64) / n)}
               if first["served"] else {}),
        },
        coords={
            point: [i for s in shards_done for i in s["ids"]],
            "provider": names,
            "lat_deg": (point, np.concatenate([s["lat_deg"] for s in shards_done])),
            "lon_deg": (point, np.concatenate([s["lon_deg"] for s in shards_done])),
            "area_km2": (point, np.concatenate([s["area_km2"] for s in shards_done])),
        },
        attrs={
            "steps": steps,
            "step_s": first["step_s"],
            "start_utc": str(np.datetime64(window[0], "ns")) + "Z",
            "min_elevation_deg": options["min_elevation_deg"],
            "min_sats": options["min_sats"],
            "failed_states": failed,
        },
    )
    return ds, stats


# -------------------------------------------------------------------------------------- scenario

def plan_groups(plans, tasks=None):
    """The plans (0 the baseline, then the variants) cut into `tasks` contiguous groups of nearly equal
    size, as (first, count) pairs in plan order; default: one plan per task."""
    if tasks is None:
        tasks = plans
    if isinstance(tasks, bool) or not isinstance(tasks, (int, np.integer)) or tasks < 1:
        raise ValueError(f"tasks must be a whole number of at least 1, got {tasks!r}")
    tasks = min(int(tasks), plans)
    base, extra = divmod(plans, tasks)
    groups, first = [], 0
    for g in range(tasks):
        count = base + (1 if g < extra else 0)
        groups.append((first, count))
        first += count
    return groups


def _plans_task(path, first, count, threads, data_dir):
    """Task: plans [first, first + count) through coverage, demand met and latency (scenario::run_plans):
    the part's rows as bytes, each plan's served masks compressed, the baseline's SGP4 warnings."""
    found = _skyfence.scenario_plans(path, first, count, threads, data_dir)
    return {"part": found["part"], "masks": [zlib.compress(m, 1) for m in found["masks"]],
            "warnings": list(found["warnings"])}


def _baseline_masks(done):
    """Task: the baseline's served masks, from the first group's result."""
    return done["masks"][0]


def _reliance_task(record, first, baseline, done):
    """Task: the reliance rows of a group's plans against the baseline (scenario::run_reliance)."""
    return _skyfence.scenario_reliance(record, first, zlib.decompress(baseline),
                                       [zlib.decompress(m) for m in done["masks"]])


def _record_task(record):
    """Task: the run's record (bytes), for the reliance tasks."""
    return record


def _part_of(done):
    """Task: a group's rows and warnings without its masks (what the client gathers)."""
    return done["part"], done["warnings"]


def _tail_task(path, threads, data_dir):
    """Task: the passes and the enforcement study (scenario::run_tail)."""
    return _skyfence.scenario_tail(path, threads, data_dir)


def _created_ns(created):
    """`created` (None: now; a datetime64 or ISO-8601 text) as UTC ns since 1970; None means now."""
    if created is None:
        return -(2 ** 63)
    if isinstance(created, str):
        created = np.datetime64(created.rstrip("Z"))
    return int(np.datetime64(created, "ns").astype(np.int64))


def run(scenario=None, output_dir=None, *, client=None, tasks=None, task_threads=1, created=None,
        data_dir=None, quiet=True, _option="output_dir", _make_client=None):
    """Runs a scenario (None: the bundled default, as ``skyfence run``) as Dask tasks and writes its
    results folder exactly as ``skyfence run`` does; returns skyfence.Results.

    The plans (the baseline, then each variant) are cut into `tasks` groups (default one plan per
    task); each group runs on a worker (coverage, demand met, latency), its reliance against the
    baseline in a second task from the plans' served masks, the passes and enforcement study in one
    more; the client merges the rows in the single run's order (scenario::merge_parts), so the
    folder's tables equal ``skyfence run``'s. output_dir: as run_scenario's (checked before any task).
    created: the time recorded as when the run was made (default now). The workers must see the
    scenario and its files at the same paths as this process. client None: a local cluster.
    """
    if isinstance(task_threads, bool) or not isinstance(task_threads, int) or task_threads < 1:
        raise ValueError(f"task_threads must be a whole number of at least 1, got {task_threads!r}")
    data = skyfence.data_dir(data_dir)
    # The scenario as given (recorded so, as `skyfence run` records it), and as the tasks read it: the
    # workers may run in other folders.
    given = os.fspath(scenario) if scenario else os.path.join(data, "scenarios", "default.toml")
    path = os.path.abspath(given)
    checked = _skyfence.scenario_check(given)  # a bad scenario file fails here
    plans = len(checked["plans"])
    groups = plan_groups(plans, tasks)
    created_ns = _created_ns(created)
    # Checked before anything is computed: never replaces what skyfence did not create.
    folder = _skyfence.ResultsFolder(os.fspath(output_dir) if output_dir else checked["default_output"], _option)
    try:
        skyfence._warn(folder.warnings)
        # Every input read and checked here, before any task; the loader's warnings said once.
        record = _skyfence.scenario_record(given, created_ns, task_threads, data)
        skyfence._warn(record["warnings"])
        own = client is None
        if own:
            client = _make_client() if _make_client else local_client()
        try:
            parts, tail, reliance, every = _submit_run(client, path, record["record"], groups, task_threads, data)
            _progress(every, quiet)
            done = client.gather(parts)
            rows = [part for part, _ in done] + client.gather(reliance) + [tail.result()]
            for _, warnings in done:
                skyfence._warn(warnings)
        finally:
            if own:
                _close_client(client, _make_client is not None)
        written = folder.write(record["record"], rows, given, path, task_threads, data)
        skyfence._warn(written["warnings"])
    finally:
        folder.discard()
    return skyfence.Results(written["path"], checked["name"])


def _submit_run(client, path, record, groups, threads, data):
    """Submits a run's tasks: per group its plans, then its reliance; the tail. Returns the futures of
    the groups' rows, the tail, the reliance rows, and every future (for _progress)."""
    # The record as a task's result rather than scattered data: the scheduler keeps the task, so a
    # worker lost with the record on it makes it again (scattered data would be lost with it, and the
    # reliance tasks cancelled).
    record_f = client.submit(_record_task, record, pure=False)
    plans_f = [client.submit(_plans_task, path, first, count, threads, data, pure=False) for first, count in groups]
    baseline_f = client.submit(_baseline_masks, plans_f[0], pure=False)
    reliance = [client.submit(_reliance_task, record_f, first, baseline_f, f, pure=False)
                for (first, _), f in zip(groups, plans_f)]
    parts = [client.submit(_part_of, f, pure=False) for f in plans_f]
    tail = client.submit(_tail_task, path, threads, data, pure=False)
    every = plans_f + reliance + parts + [tail]
    return parts, tail, reliance, every


# ----------------------------------------------------------------------------------------- output

def _format_of(path, given):
    if given:
        return given
    lower = path.lower().rstrip("/")
    if lower.endswith(".zarr"):
        return "zarr"
    if lower.endswith((".geojson", ".json")):
        return "geojson"
    return "csv"


def _is_zarr_store(path):
    return os.path.isdir(path) and (os.path.exists(os.path.join(path, ".zgroup"))
                                    or os.path.exists(os.path.join(path, ".zattrs")))


def _check_output(path, fmt):
    """Fails at once, before any task, when the output could not be written at the end."""
    if path in (None, "-"):
        return
    fmt = _format_of(path, fmt)
    if fmt not in ("csv", "geojson", "zarr"):
        raise ValueError(f'format must be "csv", "geojson" or "zarr", got {fmt!r}')
    parent = os.path.dirname(os.path.abspath(path))
    if not os.path.isdir(parent) or not os.access(parent, os.W_OK):
        raise skyfence._input_error(path, f"cannot write there: {parent} is not a writable folder")
    if fmt == "zarr" and os.path.lexists(path) and not _is_zarr_store(path):
        raise skyfence._input_error(path, "exists and is not a Zarr store; not replaced")
    if fmt != "zarr" and os.path.isdir(path):
        raise skyfence._input_error(path, "is a folder; expected a file name")


def _replace_dir(staged, path):
    """Moves the folder `staged` onto `path`; an existing Zarr store there is replaced, anything else
    is left alone (an error)."""
    if os.path.lexists(path):
        if not _is_zarr_store(path):
            raise skyfence._input_error(path, "exists and is not a Zarr store; not replaced")
        old = tempfile.mkdtemp(prefix=".old-", dir=os.path.dirname(os.path.abspath(path)))
        os.rename(path, os.path.join(old, "store"))
        os.rename(staged, path)
        shutil.rmtree(old)
    else:
        os.rename(staged, path)


def write_coverage(ds, stats, path, fmt=None, *, where, window, threads=1):
    """Writes the merged coverage: CSV and GeoJSON exactly as ``skyfence coverage`` writes them (the
    same writers, staged and renamed by the engine), Zarr through xarray (written into a folder beside
    `path`, then renamed onto it). `path` "-" or None: CSV on standard output."""
    to_stdout = path in (None, "-")
    fmt = "csv" if to_stdout else _format_of(path, fmt)
    if fmt == "zarr":
        parent = os.path.dirname(os.path.abspath(path))
        staging = tempfile.mkdtemp(prefix="." + os.path.basename(path.rstrip("/")) + ".tmp-", dir=parent)
        try:
            store = os.path.join(staging, "store.zarr")
            out = ds.copy()
            out.attrs["failed_states"] = [int(x) for x in ds.attrs["failed_states"]]
            out.to_zarr(store, mode="w")
            _replace_dir(store, path)
        finally:
            shutil.rmtree(staging, ignore_errors=True)
        return
    if fmt not in ("csv", "geojson"):
        raise ValueError(f'format must be "csv", "geojson" or "zarr", got {fmt!r}')
    args = (stats, int(ds.attrs["steps"]), window[0], window[2], [str(p) for p in ds.provider.values],
            [int(x) for x in ds.attrs["failed_states"]], where["level"], where["region"], where["region_file"],
            where["region_name"], where["sites"], where["strict"], threads, where["data_dir"],
            "served_fraction" in ds)
    if not to_stdout:
        _skyfence.write_coverage(os.fspath(path), fmt, *args)
        return
    with tempfile.TemporaryDirectory() as tmp:
        staged = os.path.join(tmp, "coverage.csv")
        _skyfence.write_coverage(staged, fmt, *args)
        with open(staged, "rb") as f:
            shutil.copyfileobj(f, sys.stdout.buffer)
        sys.stdout.flush()


# ------------------------------------------------------------------------------------ command line

class _Source(argparse.Action):
    """--catalog/--tle/--omm/--preset in the order given (each one provider, as the CLI's)."""

    def __call__(self, parser, namespace, values, option_string=None):
        sources = getattr(namespace, "sources", None) or []
        sources.append((self.dest, values))
        namespace.sources = sources


def _parser():
    p = argparse.ArgumentParser(prog="python3 -m skyfence.distributed",
                                description="skyfence studies as Dask tasks (docs/distributed.md)")
    sub = p.add_subparsers(dest="command", required=True)

    def cluster_options(c):
        where = c.add_mutually_exclusive_group()
        where.add_argument("--scheduler", help="a running Dask scheduler (tcp://HOST:PORT); default: a local cluster")
        where.add_argument("--scheduler-file", help="the file `dask-scheduler --scheduler-file` wrote (batch jobs)")
        c.add_argument("--workers", type=int, help="local cluster: worker processes (default: one per core)")
        c.add_argument("--task-threads", type=int, default=1, help="the engine's threads in each task (default 1)")
        c.add_argument("--quiet", action="store_true", help="no progress lines on standard error")

    r = sub.add_parser("run", help="skyfence run, split by variant",
                       description="A scenario (default: the bundled one) as Dask tasks, its plans (the\n"
                       "baseline and each variant) split into tasks; the results folder exactly as\n"
                       "`skyfence run` writes it (docs/distributed.md, \"Run\").")
    r.epilog = ("examples:\n"
                "  python3 -m skyfence.distributed run -o results/ukraine        # the bundled default scenario\n"
                "  python3 -m skyfence.distributed run my.toml -o out --scheduler tcp://head:8786 --tasks 8\n"
                "Every input is read and checked here before any task (exit status 2); an existing -o folder\n"
                "is replaced only when it is an earlier results folder. Exit status: 0 ok, 1 a task failed,\n"
                "2 bad input, 130 interrupted (nothing written).")
    r.formatter_class = argparse.RawDescriptionHelpFormatter
    r.add_argument("scenario", nargs="?", help="the scenario file (default: the bundled default scenario)")
    r.add_argument("-o", "--output", help="the results folder (default: results/<scenario name>); an existing "
                   "folder is replaced only when it is an earlier results folder")
    r.add_argument("--tasks", type=int, help="plan groups, each one task (default: one plan per task)")
    cluster_options(r)

    c = sub.add_parser("coverage", help="skyfence coverage, split by cell shard and time chunk")
    for flag in ("catalog", "tle", "omm", "preset"):
        c.add_argument(f"--{flag}", dest=flag, action=_Source, metavar="X",
                       help=f"a provider ({flag}); repeatable, as skyfence coverage")
    c.add_argument("--provider", action="append", default=[], help="names the source in the same position")
    c.add_argument("--start", required=True, help="ISO-8601 UTC, e.g. 2026-04-27T00:00:00Z")
    g = c.add_mutually_exclusive_group(required=True)
    g.add_argument("--stop")
    g.add_argument("--duration", help="e.g. 24h, 90m, 7d")
    c.add_argument("--step", default="60s")
    c.add_argument("--level", type=int, default=7)
    c.add_argument("--region")
    c.add_argument("--region-file")
    c.add_argument("--region-name")
    c.add_argument("--sites")
    c.add_argument("--min-elevation", type=float, default=25.0)
    c.add_argument("--min-sats", type=int, default=1)
    c.add_argument("--strict", action="store_true")
    c.add_argument("--policy", action="append", default=[], metavar="FILE",
                   help="a service policy for the provider it names (repeatable), as skyfence coverage")
    c.add_argument("--customer", help="who asks at cells and at sites without a customer column")
    c.add_argument("-o", "--output", default="-", help="FILE.csv, FILE.geojson or DIR.zarr (default: CSV on stdout)")
    c.add_argument("--format", choices=("csv", "geojson", "zarr"))
    c.add_argument("--shards", type=int, help="cell shards (default: at most %d points each)" % DEFAULT_SHARD_POINTS)
    c.add_argument("--chunks", type=int, help="time chunks (default: 2 to 8 tasks per worker thread)")
    cluster_options(c)
    return p


def _client(args):
    from distributed import Client

    if args.scheduler:
        return Client(args.scheduler)
    if args.scheduler_file:
        return Client(scheduler_file=args.scheduler_file)
    return local_client(args.workers)


def _coverage_command(args):
    sources = getattr(args, "sources", None) or []
    if not sources:
        raise skyfence._input_error("--catalog", "give at least one provider (--catalog, --tle, --omm or --preset)")
    if len(args.provider) > len(sources):
        raise skyfence._input_error("--provider", f"{len(args.provider)} names for {len(sources)} sources")
    start_ns = _skyfence.parse_time_ns(args.start, "--start")
    if args.stop:
        stop_ns = _skyfence.parse_time_ns(args.stop, "--stop")
    else:
        stop_ns = start_ns + _skyfence.parse_duration_ns(args.duration, "--duration")
    step_ns = _skyfence.parse_duration_ns(args.step, "--step")
    providers = []
    for k, (kind, value) in enumerate(sources):
        kwargs = {"preset": value, "start": np.datetime64(start_ns, "ns")} if kind == "preset" else {"source": value}
        providers.append((args.provider[k] if k < len(args.provider) else None, kwargs))
    client = _client(args)
    interrupted = False
    try:
        coverage(providers, np.datetime64(start_ns, "ns"), np.datetime64(stop_ns, "ns"), np.timedelta64(step_ns, "ns"),
                 level=args.level, region=args.region, region_file=args.region_file, region_name=args.region_name,
                 sites=args.sites, strict=args.strict, min_elevation_deg=args.min_elevation,
                 min_sats=args.min_sats, policies=args.policy, customer=args.customer, client=client,
                 shards=args.shards, chunks=args.chunks,
                 task_threads=args.task_threads, output=args.output, format=args.format, quiet=args.quiet,
                 _cli=True)
    except KeyboardInterrupt:
        interrupted = True
        raise
    finally:
        _close(client, args, interrupted)
    return 0


def _run_command(args):
    interrupted = [False]
    made = []

    def make_client():
        made.append(_client(args))
        return made[-1]

    t0 = _time.monotonic()
    try:
        done = run(args.scenario, args.output, tasks=args.tasks, task_threads=args.task_threads,
                   quiet=args.quiet, _option="--output", _make_client=make_client)
    except KeyboardInterrupt:
        interrupted[0] = True
        raise
    finally:
        for client in made:
            _close(client, args, interrupted[0])
    if not args.quiet:
        print(f"skyfence.distributed: ran \"{done.name}\" in {_time.monotonic() - t0:.1f} s; results in "
              f"{done.path}/: report.html, results.sqlite, csv/, geojson/", file=sys.stderr)
    return 0


def _close_client(client, made_by_command):
    """Closes a client run() made: the command's own (_run_command closes it), or a local cluster's."""
    if made_by_command:
        return
    cluster = client.cluster
    client.close()
    cluster.close()


# How long an interrupted run waits for the scheduler to acknowledge its leaving, seconds: a busy
# scheduler can take the client's whole default (twice the connect timeout, 60 s) to answer, and a
# scheduler releases the tasks of a client that has gone anyway.
_INTERRUPTED_CLOSE_S = 5


def _close(client, args, interrupted=False):
    cluster = None if args.scheduler or args.scheduler_file else client.cluster
    if interrupted:
        try:
            client.close(timeout=_INTERRUPTED_CLOSE_S)
        except Exception:  # the scheduler did not answer in time: leave without waiting
            pass
    else:
        client.close()
    if cluster is not None:
        cluster.close()


def main(argv=None):
    """The command line; returns the exit status (0 ok, 1 runtime failure, 2 bad input, 130
    interrupted), as the skyfence command's."""
    args = _parser().parse_args(argv)
    try:
        return _run_command(args) if args.command == "run" else _coverage_command(args)
    except (ValueError, TypeError) as e:  # skyfence.InputError is a ValueError
        print(f"skyfence: error: {e}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("skyfence: interrupted; nothing was written", file=sys.stderr)
        return 130
    except Exception as e:  # a task failed (and Dask gave up on it), or the output could not be written
        print(f"skyfence: error: {type(e).__name__}: {e}", file=sys.stderr)
        return 1


if __name__ == "__main__":
    from skyfence import distributed as _this  # the tasks must pickle by reference to skyfence.distributed

    _warnings.simplefilter("default", skyfence.SkyfenceWarning)
    _warnings.formatwarning = lambda message, *a, **k: f"skyfence: warning: {message}\n"
    sys.exit(_this.main())
