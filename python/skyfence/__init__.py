"""skyfence: satellite-internet service from LEO constellations, in Python, over the C++ engine.

The same engine as the ``skyfence`` command: catalogs load, propagate, find passes, compute coverage,
capacity and routes, locate terminals, decide policy and run scenarios exactly as the command does, with NumPy arrays in and
out, pandas DataFrames for tables and xarray Datasets for gridded results.
docs/python.md is the reference; in short::

    import numpy as np, skyfence
    cat = skyfence.load_catalog("starlink")               # a bundled catalog, a TLE or OMM file
    times = np.arange("2026-04-27T00:00", "2026-04-27T01:00", np.timedelta64(60, "s"),
                      dtype="datetime64[ns]")
    r, v, e = skyfence.propagate(cat, times)              # (nsat, ntime, 3) km, km/s; (nsat, ntime)
    skyfence.passes(cat, 50.45, 30.52, times[0], times[-1])   # a DataFrame, as `skyfence passes`

Times are NumPy datetime64 (any unit) in UTC, timezone-naive; anything else is a TypeError. Bad input
raises skyfence.InputError, a ValueError carrying file, line and field. Computations release the GIL,
use ``threads`` worker threads (None: all cores; results never depend on it) and stop on Ctrl-C
(KeyboardInterrupt).
"""

from __future__ import annotations

import os
import sqlite3
import warnings as _warnings

import numpy as np
import pandas as pd

from . import _skyfence
from ._skyfence import InputError

__version__ = _skyfence.__version__

__all__ = [
    "Catalog",
    "InputError",
    "Policy",
    "SkyfenceWarning",
    "bundled_catalogs",
    "capacity",
    "coverage",
    "data_dir",
    "load_catalog",
    "load_policy",
    "locate",
    "Results",
    "passes",
    "propagate",
    "route",
    "run_scenario",
    "visible",
]

FRAMES = ("teme", "itrf", "geodetic")

# The times both sides hold: the engine's Instant from 1709 (time::from_utc), datetime64[ns] before
# 2262-04-11T23:47:16.854775807 (the int64 nanosecond limit), so up to the end of 2262-04-10.
_FIRST_TIME = np.datetime64("1709-01-01T00:00:00", "s")
_END_TIME = np.datetime64("2262-04-11T00:00:00", "s")
_TIME_RANGE = "expected times from 1709-01-01 to 2262-04-10 (skyfence's and datetime64[ns]'s range)"


class SkyfenceWarning(UserWarning):
    """What the engine left out or doubts (skipped records, stale element sets, SGP4 failures)."""


def _warn(lines, stacklevel=3):
    for line in lines:
        _warnings.warn(line, SkyfenceWarning, stacklevel=stacklevel)


def _input_error(where, detail):
    err = InputError(f"{where}: {detail}")
    err.file, err.line, err.field, err.detail = where, 0, "", detail
    err.issues = [err]
    return err


def data_dir(given=None):
    """The bundled data folder: ``given`` if not empty, else $SKYFENCE_DATA, else the data installed with
    the package (PREFIX/share/skyfence/data), else the build's data/ (the checkout's)."""
    return _skyfence.data_dir(os.fspath(given) if given else "")


def bundled_catalogs():
    """Names of the bundled catalog snapshots, for load_catalog ("starlink", "oneweb", ...)."""
    return list(_skyfence.bundled_catalogs())


def _threads(threads):
    if threads is None:
        return 0
    if isinstance(threads, bool) or not isinstance(threads, (int, np.integer)):
        raise TypeError(f"threads must be an int or None, got {type(threads).__name__}")
    if threads < 1:
        raise ValueError(f"threads must be at least 1 (or None for all cores), got {threads}")
    return int(threads)


def _times_ns(times, what):
    """UTC datetime64 values (any unit, scalar or array) as int64 ns since 1970, the engine's input."""
    if isinstance(times, pd.Series):
        times = pd.DatetimeIndex(times) if times.dtype.kind == "M" or hasattr(times.dtype, "tz") else times
    if isinstance(times, (pd.Timestamp, pd.DatetimeIndex)):
        if times.tz is not None:
            times = times.tz_convert("UTC").tz_localize(None)
        times = times.to_datetime64() if isinstance(times, pd.Timestamp) else times.to_numpy()
    a = np.asarray(times)
    if a.dtype.kind != "M":
        raise TypeError(f"{what} must be numpy datetime64 values (UTC), got dtype {a.dtype}")
    if np.isnat(a).any():
        raise _input_error(what, "expected times, found NaT")
    seconds = a.astype("datetime64[s]")  # coarser: compared without overflow at any unit
    if a.size and (seconds.min() < _FIRST_TIME or seconds.max() >= _END_TIME):
        raise _input_error(what, _TIME_RANGE)
    ns = a.astype("datetime64[ns]").view(np.int64)
    return ns if ns.ndim == 0 else np.ascontiguousarray(ns)


def _scalar_time_ns(t, what):
    a = _times_ns(t, what)
    if a.ndim != 0:
        raise TypeError(f"{what} must be one datetime64 value, got an array of shape {a.shape}")
    return int(a)


def _datetimes(ns):
    return np.asarray(ns, dtype=np.int64).view("datetime64[ns]")


def _strings(values, n, what):
    """One string for every request, or one each."""
    if values is None:
        return [""]
    if isinstance(values, str):
        return [values]
    out = [str(x) for x in values]
    if len(out) != n:
        raise ValueError(f"{what} must be one string or {n} strings, got {len(out)}")
    return out


# ------------------------------------------------------------------------------------------ catalogs

_OMM_EXTENSIONS = (".json", ".xml", ".csv")


def _file_kind(path):
    """'omm' or 'tle', by content: JSON, XML and CSV with OMM keywords are OMM, the rest TLE."""
    if path.lower().endswith(_OMM_EXTENSIONS):
        return "omm"
    with open(path, "rb") as f:
        head = f.read(4096)
    if head.startswith(b"\xef\xbb\xbf"):
        head = head[3:]
    head = head.lstrip()
    if head[:1] in (b"{", b"[", b"<"):
        return "omm"
    first_line = head.split(b"\n", 1)[0].upper()
    if b"NORAD_CAT_ID" in first_line or b"OBJECT_NAME" in first_line:
        return "omm"  # a CSV header: the engine reads OMM files without a known extension as CSV
    return "tle"


def _looks_like_path(text):
    return os.sep in text or "/" in text or os.path.splitext(text)[1] != ""


def _file_stem(path):
    """The CLI's provider name for a catalog file: its name without .tle/.txt/.json/.csv/.xml (and .omm)."""
    stem = os.path.basename(path)
    for ext in (".tle", ".txt", ".json", ".csv", ".xml"):
        if len(stem) > len(ext) and stem.endswith(ext):
            stem = stem[:-len(ext)]
            if stem.endswith(".omm"):
                stem = stem[:-4]
            break
    return stem


class Catalog:
    """The selected element sets of one source, loaded by load_catalog.

    len(cat) satellites, in catalog order; norad_ids (uint32), names (list of str), epochs
    (datetime64[ns], UTC), source (the file read, or "preset ID"), name (the provider name the CLI
    would give it: the catalog or preset as named, or the file's name without its extension) and
    warnings (the loader's sentences:
    records skipped, objects left out, SGP4 initialisation failures; also emitted as SkyfenceWarning).
    Immutable: one catalog serves any number of calls.
    """

    def __init__(self, loaded, name=""):
        self._c = loaded
        self.name = name

    def __len__(self):
        return len(self._c)

    def __repr__(self):
        return f"<skyfence.Catalog {self.source!r}: {len(self)} satellites>"

    @property
    def source(self):
        return self._c.source

    @property
    def norad_ids(self):
        return self._c.norad_ids

    @property
    def names(self):
        return self._c.names

    @property
    def epochs(self):
        return _datetimes(self._c.epochs_unix_ns)

    @property
    def warnings(self):
        return list(self._c.warnings)

    def _warn_stale(self, first_ns, last_ns):
        _warn(self._c.stale_warnings(int(first_ns), int(last_ns)), stacklevel=4)


def load_catalog(source=None, satellites=None, all_objects=False, *, preset=None, strict=False,
                 accept_bad_checksums=False, start=None, stop=None, data_dir=None):
    """Loads satellites as every skyfence command does (orbits::load_satellites).

    source: a TLE or OMM (JSON, CSV, XML) file, told apart by content, or a bundled catalog's name
        ("starlink", see bundled_catalogs()); or give preset= instead (a constellation preset id of
        data/constellations/shells.json, generated at start=).
    satellites: NORAD ids (int or digits) and names or shell patterns ("STARLINK-1*") to keep;
        default all. A selector matching nothing is an InputError.
    all_objects: keep debris, rocket bodies and kick motors (left out by default).
    strict: raise InputError at the first bad record instead of skipping it with a warning.
    accept_bad_checksums: TLE lines with a wrong checksum are accepted, with a warning.
    start, stop: the time window the catalog is used over (datetime64): element sets more than 14 days
        from it are warned about now; without them, each computation warns about its own times.
    data_dir: the bundled data folder (default: data_dir()).
    """
    if (source is None) == (preset is None):
        raise TypeError("give either a source (file or bundled catalog name) or preset=")
    if preset is not None:
        kind, value = "preset", str(preset)
    else:
        value = os.fspath(source)
        if os.path.exists(value):
            kind = _file_kind(value)
        elif _looks_like_path(value):
            kind = "tle"  # the reader reports the missing file
        else:
            kind = "catalog"
    if satellites is None:
        selectors = []
    elif isinstance(satellites, (str, int, np.integer)):
        selectors = [str(satellites)]
    else:
        selectors = [str(s) for s in satellites]
    first = _scalar_time_ns(start, "start") if start is not None else None
    last = _scalar_time_ns(stop, "stop") if stop is not None else None
    loaded = _skyfence.load_catalog(kind, value, selectors, bool(all_objects), bool(strict),
                                    bool(accept_bad_checksums), first, last,
                                    os.fspath(data_dir) if data_dir else "")
    cat = Catalog(loaded, value if kind in ("catalog", "preset") else _file_stem(value))
    _warn(cat.warnings)
    return cat


def _catalog(cat):
    if not isinstance(cat, Catalog):
        raise TypeError(f"expected a skyfence.Catalog (from load_catalog), got {type(cat).__name__}")
    return cat._c


# --------------------------------------------------------------------------------------- propagation

def propagate(catalog, times, frame="teme", threads=None, out=None):
    """SGP4 states of every satellite of ``catalog`` at ``times``: ``r, v, e``.

    times: datetime64 values (UTC), one-dimensional (a scalar counts as one time).
    frame: "teme" (SGP4's frame), "itrf" (Earth-fixed: GMST 1982 rotation, UT1 = UTC, no polar
        motion) or "geodetic" (WGS84: r holds lat_deg, lon_deg, alt_km; v is the ITRF velocity).
        The numbers are those of ``skyfence propagate --frame FRAME``.
    r, v: float64 arrays shaped (nsat, ntime, 3), km and km/s; NaN where e is not 0.
    e: uint8 array shaped (nsat, ntime), the SGP4 error code of each state (0: none; 1-6 as
        python-sgp4's, e.g. 6: decayed).
    out: optional (r, v, e) arrays of those shapes and dtypes, C-contiguous and writeable, filled in
        place and returned (reuse them across calls to skip the allocation); otherwise the arrays are
        allocated once here and filled in place by the engine, never copied.
    """
    cat = _catalog(catalog)
    if frame not in FRAMES:
        raise ValueError(f'frame must be "teme", "itrf" or "geodetic", got {frame!r}')
    t = np.atleast_1d(_times_ns(times, "times"))
    if t.ndim != 1:
        raise ValueError(f"times must be one-dimensional, got shape {t.shape}")
    nthreads = _threads(threads)
    n, m = len(cat), t.shape[0]
    if out is None:
        r = np.empty((n, m, 3))
        v = np.empty((n, m, 3))
        e = np.empty((n, m), dtype=np.uint8)
    else:
        r, v, e = out
    _skyfence.propagate(cat, t, frame, nthreads, r, v, e)
    if m:
        catalog._warn_stale(t.min(), t.max())
    return r, v, e


# ---------------------------------------------------------------------------------------- visibility

def _site_specs(lat_deg, lon_deg, alt_m, site_id):
    """The sites as the CLI's --site LAT,LON[,ALT_M] texts (each its site_id unless site_id is given)."""
    if lat_deg is None and lon_deg is None:
        return [], []
    if lat_deg is None or lon_deg is None:
        raise TypeError("give both lat_deg and lon_deg")
    arrays = [np.asarray(lat_deg, dtype=float), np.asarray(lon_deg, dtype=float)]
    if alt_m is not None:
        arrays.append(np.asarray(alt_m, dtype=float))
    arrays = [a.ravel() for a in np.broadcast_arrays(*arrays)]
    # repr gives the shortest text that reads back as the same double, so the engine parses the very
    # numbers given; the text is also the site_id the CLI would print for it.
    specs = [",".join(repr(float(a[i])) for a in arrays) for i in range(arrays[0].size)]
    ids = [] if site_id is None else _strings(site_id, len(specs), "site_id")
    if ids and len(ids) != len(specs):
        raise ValueError(f"site_id must name every site ({len(specs)})")
    return specs, ids


def passes(catalog, lat_deg=None, lon_deg=None, start=None, stop=None, *, min_elevation_deg=25.0,
           alt_m=None, site_id=None, sites=None, strict=False, threads=None):
    """Passes of the catalog's satellites over ground sites, as ``skyfence passes``: a DataFrame.

    Sites: lat_deg, lon_deg (and alt_m, metres; default 0) as numbers or arrays (one site each;
    site_id defaults to the "LAT,LON[,ALT_M]" text the CLI would print), and/or sites= a sites file
    (CSV id,lat_deg,lon_deg[,alt_m] or GeoJSON points). The window [start, stop) is searched
    continuously; a pass is the time at or above min_elevation_deg (WGS84 local vertical, no
    refraction).
    Columns, one row per pass sorted by aos_utc, NORAD id, site: norad_id, name, site_id, aos_utc,
    tca_utc, los_utc (datetime64[ns] UTC, to the nanosecond; the CLI prints milliseconds, truncated),
    max_elevation_deg, aos_azimuth_deg, los_azimuth_deg, duration_s, aos_clipped, los_clipped.
    SGP4 failures end a satellite's passes with a SkyfenceWarning (strict=True: RuntimeError instead,
    and a bad row of the sites file an InputError).
    """
    cat = _catalog(catalog)
    if start is None or stop is None:
        raise TypeError("passes needs start and stop")
    specs, ids = _site_specs(lat_deg, lon_deg, alt_m, site_id)
    found = _skyfence.passes(cat, specs, ids, os.fspath(sites) if sites else "", bool(strict),
                             _scalar_time_ns(start, "start"), _scalar_time_ns(stop, "stop"),
                             float(min_elevation_deg), _threads(threads))
    _warn(found["warnings"])
    cols = dict(found["columns"])
    for c in ("aos_utc", "tca_utc", "los_utc"):
        cols[c] = _datetimes(cols[c])
    return pd.DataFrame(cols)


def visible(catalog, lat_deg=None, lon_deg=None, time=None, *, min_elevation_deg=25.0, alt_m=None,
            site_id=None, sites=None, strict=False, threads=None):
    """Satellites in view of ground sites at one instant, as ``skyfence visible``: a DataFrame.

    Sites as in passes(). Columns: norad_id, name, azimuth_deg (from north, clockwise),
    elevation_deg, range_km, range_rate_km_s (positive when receding), site_id; sites in the order
    given, each highest elevation first. A satellite whose SGP4 propagation fails is left out with a
    SkyfenceWarning (strict=True: RuntimeError instead).
    """
    cat = _catalog(catalog)
    if time is None:
        raise TypeError("visible needs time")
    specs, ids = _site_specs(lat_deg, lon_deg, alt_m, site_id)
    found = _skyfence.visible(cat, specs, ids, os.fspath(sites) if sites else "", bool(strict),
                              _scalar_time_ns(time, "time"), float(min_elevation_deg), _threads(threads))
    _warn(found["warnings"])
    return pd.DataFrame(dict(found["columns"]))


# ------------------------------------------------------------------------------------------ coverage

def _timedelta_ns(step, what):
    a = np.asarray(step)
    if a.dtype.kind != "m" or a.ndim != 0:
        raise TypeError(f"{what} must be one numpy timedelta64, got {a.dtype} of shape {a.shape}")
    if np.isnat(a):
        raise _input_error(what, "expected a duration, found NaT")
    return int(a.astype("timedelta64[ns]").view(np.int64))


def _providers(providers):
    """Provider names and catalogs: a Catalog, a list of them (each named by Catalog.name) or a dict."""
    if isinstance(providers, Catalog):
        providers = [providers]
    if isinstance(providers, dict):
        names, cats = [str(k) for k in providers], list(providers.values())
    else:
        cats = list(providers)
        names = [c.name if isinstance(c, Catalog) else "" for c in cats]
    return names, [_catalog(c) for c in cats]


def _path(p):
    return os.fspath(p) if p else ""


def _paths(values, what):
    """One path or a list of them, as a list of str."""
    if values is None:
        return []
    if isinstance(values, (str, os.PathLike)):
        return [os.fspath(values)]
    if not isinstance(values, (list, tuple)):
        raise TypeError(f"{what} must be a path or a list of paths, got {type(values).__name__}")
    return [os.fspath(v) for v in values]


def coverage(providers, start, stop, step, *, level=7, region=None, region_file=None, region_name=None,
             sites=None, strict=False, min_elevation_deg=25.0, min_sats=1, policies=None, customer=None,
             threads=None, data_dir=None):
    """How often and how well each ground cell (or site) is served, per provider and by any, as
    ``skyfence coverage``: an xarray Dataset with dims ``cell`` (or ``site``) and ``provider``.

    providers: a Catalog, a list of them, or a dict {name: Catalog}; each is one provider (named by
        the key, else by Catalog.name), and "any" counts all of them together.
    start, stop, step: datetime64, datetime64, timedelta64; the steps start, start + step, ... before
        stop (each step stands for the interval it begins).
    Points: the whole Earth as S2 cells of ``level`` (default 7: 98,304 cells), the cells whose centre
        lies in a country (region="UKR", ISO 3166 code or name) or in a GeoJSON polygon (region_file=,
        region_name=), or the sites of a CSV/GeoJSON file (sites=), which may hold moving terminals
        (trajectories: each counted where it is at each step, listed at its first position).
    In view: at or above min_elevation_deg; served: at least min_sats in view.
    policies, customer: service policy files (one path or a list), each for the provider it names, and
        who asks at cells and at sites without a customer column, as ``skyfence coverage --policy
        --customer``; the Dataset then also has served_fraction (the share of steps served while the
        provider's policy permits service; for "any", the permitting providers together reach min_sats).
        Moving terminals, and sites with an activation_country, are decided step by step.
    Variables (cell, provider): coverage_fraction, mean_visible, min_visible, max_visible, max_gap_s,
    gap_count, steps_served (and served_fraction under policies); coordinates cell (the S2 token; site: the site's id), lat_deg, lon_deg,
    area_km2 (NaN for sites) and provider; attributes steps, step_s, min_elevation_deg, min_sats, start_utc and
    failed_states (satellite-steps whose SGP4 state failed, per provider).
    """
    import xarray as xr

    names, cats = _providers(providers)
    if isinstance(min_sats, bool) or not isinstance(min_sats, (int, np.integer)):
        raise TypeError(f"min_sats must be an int, got {type(min_sats).__name__}")
    if min_sats < 1:
        raise _input_error("min_sats", f"expected at least 1, got {min_sats}")
    found = _skyfence.coverage(names, cats, _scalar_time_ns(start, "start"), _scalar_time_ns(stop, "stop"),
                               _timedelta_ns(step, "step"), int(level), region or "",
                               os.fspath(region_file) if region_file else "", region_name or "",
                               os.fspath(sites) if sites else "", bool(strict), float(min_elevation_deg),
                               int(min_sats), _threads(threads), os.fspath(data_dir) if data_dir else "",
                               _paths(policies, "policies"), customer or "")
    _warn(found["warnings"])
    point = found["point_kind"]
    dims = (point, "provider")
    return xr.Dataset(
        {name: (dims, values) for name, values in found["variables"].items()},
        coords={
            point: list(found["ids"]),
            "provider": list(found["providers"]),
            "lat_deg": (point, found["lat_deg"]),
            "lon_deg": (point, found["lon_deg"]),
            "area_km2": (point, found["area_km2"]),
        },
        attrs={
            "steps": found["steps"],
            "step_s": found["step_s"],
            "start_utc": str(np.datetime64(_scalar_time_ns(start, "start"), "ns")) + "Z",
            "min_elevation_deg": float(min_elevation_deg),
            "min_sats": int(min_sats),
            "failed_states": list(found["failed_states"]),
        },
    )


# ------------------------------------------------------------------------------------------ capacity

def _share(part, whole):
    return part / whole if whole > 0 else float("nan")


def _capacity_summary(names, usage, steps):
    """Per provider, the figures of ``skyfence capacity``'s summary (shares in [0, 1], not percent)."""
    steps = max(1, steps)
    rows = []
    for u in usage:
        rows.append({
            "status": u["status"],
            "background_load": u["background_load"],
            "offered_gbps": u["offered_mbps_steps"] / steps / 1000.0,
            "carried_gbps": u["carried_mbps_steps"] / steps / 1000.0,
            "satellites_serving": u["satellite_steps"] / steps,
            "satellite_utilisation": _share(u["satellite_flow_steps"], u["satellite_capacity_steps"]),
            "satellites_saturated": _share(u["saturated_satellite_steps"], u["satellite_steps"]),
            "cells_saturated": _share(u["saturated_cell_steps"], u["cell_steps"]),
            "gateway_utilisation": (_share(u["gateway_flow_steps"], u["gateway_capacity_steps"])
                                    if u["has_gateways"] else float("nan")),
            "unclassified_satellites": u["unclassified_satellites"],
            "failed_states": u["failed_states"],
        })
    return pd.DataFrame(rows, index=pd.Index(names, name="provider"))


def capacity(providers, start, stop, step, *, service_models=None, sites=None, level=7, region=None,
             region_file=None, region_name=None, demand_density=None, demand_file=None, min_elevation_deg=25.0,
             policies=None, customer=None, strict=False, threads=None, data_dir=None):
    """How much of each point's demand (Mbps) each provider carries when satellites, service cells and
    gateways are shared, as ``skyfence capacity`` (docs/capacity.md): a DataFrame.

    providers: a Catalog, a list of them, or a dict {name: Catalog}, as in coverage(); "any" is their
        sum. service_models: one service model file (TOML) per provider, in the providers' order, or
        None: each provider takes the bundled data/providers/<name>.toml (starlink, oneweb, kuiper,
        iridium).
    start, stop, step: datetime64, datetime64, timedelta64; the steps start, start + step, ... before stop.
    Points: sites= a sites file (CSV or GeoJSON, fixed or moving terminals) with a demand_mbps column and
        optional customer, group, providers (names separated by ";", most preferred first) and
        demand_up_mbps (uplink Mbps: then every site needs one, and every service model uplink figures) columns;
        or the S2 cells of ``level`` in region= (a country), region_file= (and region_name=), or the
        whole Earth, each asking demand_density (Mbps per km2) times its area, or its demand from
        demand_file= (CSV cell_id,demand_mbps or GeoJSON features with those properties).
    min_elevation_deg: one for all providers or a list, one per provider. policies: service policy files,
        each for the provider it names; customer: who asks at cells (and sites without a customer).
    strict: a bad row of the sites file is an InputError (else skipped with a SkyfenceWarning), and a
        satellite-step whose SGP4 state fails a RuntimeError (else left out with a SkyfenceWarning).
    Columns, one row per point and provider (then "any"), as the CLI's CSV: cell_id (S2 token, or the
    site's id), lat_deg, lon_deg, area_km2 (NaN for sites), provider, demand_mbps, mean_mbps, p5_mbps,
    min_mbps, demand_met_fraction, full_service_fraction (the engine's values; the CLI rounds them); with
    uplink demand also demand_up_mbps, mean_up_mbps, p5_up_mbps, min_up_mbps, demand_up_met_fraction and
    full_service_up_fraction, the uplink's (docs/capacity.md, "The uplink").
    df.attrs: "summary" (a DataFrame indexed by provider: status, background_load, offered_gbps and
    carried_gbps per step, satellites_serving per step, satellite_utilisation, satellites_saturated,
    cells_saturated, gateway_utilisation (NaN when the model has no gateways), unclassified_satellites,
    failed_states; shares in [0, 1]), with uplink demand "summary_up" (the same for the uplink), "steps",
    "step_s", "start_utc".
    """
    names, cats = _providers(providers)
    elevations = np.atleast_1d(np.asarray(min_elevation_deg, dtype=float))
    if elevations.ndim != 1:
        raise ValueError("min_elevation_deg must be one number or one per provider")
    start_ns = _scalar_time_ns(start, "start")
    found = _skyfence.capacity(names, cats, _paths(service_models, "service_models"),
                               [float(x) for x in elevations], start_ns, _scalar_time_ns(stop, "stop"),
                               _timedelta_ns(step, "step"), int(level), region or "", _path(region_file),
                               region_name or "", _path(sites), -1.0 if demand_density is None else float(demand_density),
                               _path(demand_file), _paths(policies, "policies"), customer or "", bool(strict),
                               _threads(threads), _path(data_dir))
    _warn(found["warnings"])
    rows = list(found["providers"])
    p, n = len(rows), len(found["ids"])
    cols = {
        "cell_id": np.repeat(np.asarray(list(found["ids"]), dtype=object), p),
        "lat_deg": np.repeat(found["lat_deg"], p),
        "lon_deg": np.repeat(found["lon_deg"], p),
        "area_km2": np.repeat(found["area_km2"], p),
        "provider": np.asarray(rows * n, dtype=object),
        "demand_mbps": np.repeat(found["demand_mbps"], p),
    }
    for name in ("mean_mbps", "p5_mbps", "min_mbps", "demand_met_fraction", "full_service_fraction"):
        cols[name] = found["stats"][name].ravel()
    if found["uplink"]:
        cols["demand_up_mbps"] = np.repeat(found["demand_up_mbps"], p)
        for name, up in (("mean_mbps", "mean_up_mbps"), ("p5_mbps", "p5_up_mbps"), ("min_mbps", "min_up_mbps"),
                         ("demand_met_fraction", "demand_up_met_fraction"),
                         ("full_service_fraction", "full_service_up_fraction")):
            cols[up] = found["stats_up"][name].ravel()
    df = pd.DataFrame(cols)
    df.attrs["summary"] = _capacity_summary(rows[:-1], found["usage"], found["steps"])
    if found["uplink"]:
        df.attrs["summary_up"] = _capacity_summary(rows[:-1], found["usage_up"], found["steps"])
    df.attrs["steps"] = found["steps"]
    df.attrs["step_s"] = found["step_s"]
    df.attrs["start_utc"] = str(np.datetime64(start_ns, "ns")) + "Z"
    return df


# -------------------------------------------------------------------------------------------- locate

def _observations_csv(obs):
    """A table of observations (time_utc datetime64, norad_id, optional terminal_id) as the CSV the
    engine reads, so that it is checked exactly as a file; messages name rows as lines (row k: line k + 2)."""
    import csv
    import io

    if not isinstance(obs, pd.DataFrame):
        obs = pd.DataFrame(obs)
    for c in ("time_utc", "norad_id"):
        if c not in obs.columns:
            raise _input_error("observations", f"expected a column {c}")
    extra = [c for c in obs.columns if c not in ("time_utc", "norad_id", "terminal_id")]
    if extra:
        raise _input_error("observations", f"unknown column {extra[0]} (expected time_utc, norad_id, terminal_id)")
    times = np.atleast_1d(_times_ns(obs["time_utc"], "observations.time_utc"))
    text = np.datetime_as_string(times.view("datetime64[ns]"), unit="ns")
    ids = np.asarray(obs["norad_id"])
    if ids.dtype.kind not in "iu":
        raise TypeError(f"observations.norad_id must be integers, got dtype {ids.dtype}")
    out = io.StringIO()
    w = csv.writer(out, lineterminator="\n")
    has_id = "terminal_id" in obs.columns
    w.writerow(["time_utc", "norad_id"] + (["terminal_id"] if has_id else []))
    tids = [str(x) for x in obs["terminal_id"]] if has_id else None
    for i in range(len(text)):
        w.writerow([text[i] + "Z", int(ids[i])] + ([tids[i]] if has_id else []))
    return out.getvalue()


def locate(catalog, observations, *, rule="visible", k=1, min_elevation_deg=25.0, level=13, max_outliers=0,
           prior="world", region=None, threads=None, data_dir=None):
    """Where a terminal can be, given which satellite served it when, as ``skyfence locate``
    (docs/locate.md): the S2 cells of ``level`` that may hold a position meeting the observations.

    observations: an observations CSV file (time_utc,norad_id[,terminal_id]), or a DataFrame (or dict of
        arrays) with those columns: time_utc datetime64 (UTC), norad_id integers, terminal_id optional
        (without it every row is one terminal, "terminal"); rows are checked as the file's lines (row k
        is line k + 2 in errors).
    rule: "visible" (the satellite was at or above min_elevation_deg) or "top-k" (also among the k
        highest in view). max_outliers: observations a position may fail. prior: where the terminal may
        be beforehand: "world", a country, a GeoJSON file, or "FILE.geojson#NAME". region: a country or
        GeoJSON area to say whether each terminal is inside.
    Columns, one row per cell, as the CLI's CSV (-o) plus GeoJSON's misses: terminal_id, cell_id,
    lat_deg, lon_deg, area_km2, misses (observations the cell fails). df.attrs["summary"]: a DataFrame,
    one row per terminal, with the CLI's --summary fields (terminal_id, observations, observations_used,
    consistent_area_km2, cells, estimate_lat_deg, estimate_lon_deg, radius_km, inside, inside_share,
    unused: a list of {line, reason}). Observations not used, and terminals no position fits, are
    SkyfenceWarnings.
    """
    cat = _catalog(catalog)
    if isinstance(observations, (str, os.PathLike)):
        path, text, source = os.fspath(observations), "", os.fspath(observations)
    else:
        path, text, source = "", _observations_csv(observations), "observations"
    for name, value in (("k", k), ("level", level), ("max_outliers", max_outliers)):
        if isinstance(value, bool) or not isinstance(value, (int, np.integer)):
            raise TypeError(f"{name} must be an int, got {type(value).__name__}")
        if value < 0:
            raise _input_error(name, f"expected a number >= 0, got {value}")
    found = _skyfence.locate(cat, path, text, source, str(rule), int(k), float(min_elevation_deg), int(level),
                             int(max_outliers), prior or "world", _path(region), _threads(threads),
                             _path(data_dir))
    _warn(found["warnings"])
    df = pd.DataFrame(dict(found["cells"]))
    df.attrs["summary"] = pd.DataFrame(list(found["summary"]))
    return df


# --------------------------------------------------------------------------------------------- route

def route(catalog=None, sites=None, start=None, stop=None, step=None, *, from_site=None, to_site=None,
          pairs=None, to_internet=False, isl="plus-grid", isl_pairing=None, isl_shift=0, isls=None,
          gsl_max_range_km=0.0, gateways=None, pops=None, min_elevation_deg=None, gateway_min_elevation_deg=None,
          isl_max_range_km=None, grazing_altitude_km=80.0, fibre_route_factor=1.5, fibre_index=1.47,
          satellites_only=False, reconfiguration=None, reconfiguration_interval=None,
          reconfiguration_offset=None, reconfiguration_rule="highest-elevation", hold_gateways=False,
          hypatia_state=None, strict=False,
          threads=None, data_dir=None):
    """Round-trip times between sites, or from sites to the internet, over inter-satellite links,
    gateways and fibre, step by step, as ``skyfence route``: a DataFrame, one row per pair and step.

    sites: a sites file (CSV id,lat_deg,lon_deg[,alt_m] or GeoJSON points), as --sites. What to route:
        from_site= and to_site= (site ids), pairs= a list of (src, dst) id pairs, or to_internet=True
        (every site to its best point of presence through any gateway).
    start, stop, step: datetime64, datetime64, timedelta64: steps start, start + step, ... before stop.
    The network and its options are the CLI's (docs/network.md): isl "plus-grid" (planes from the
    preset's Walker layout, else inferred from the elements) or "none"; isl_pairing "nearest" or
    "same-index" (slot k to slot k + isl_shift of the next plane, Hypatia's +Grid); isls= a link list
    file instead of the plus grid (Hypatia's isls.txt with indices into the catalog's order, or CSV
    norad_a,norad_b); gsl_max_range_km > 0 limits ground links by slant range instead of the elevation
    masks (Hypatia's rule; the masks go to the horizon); gateways and pops files
    (default: the bundled Starlink ones); elevation masks in degrees; isl_max_range_km (0: no limit);
    grazing_altitude_km; fibre_route_factor and fibre_index; satellites_only keeps city-to-city routes
    on ISLs. Defaults: isl_pairing "nearest", elevation masks 25 degrees, isl_max_range_km 0.
    hypatia_state= Hypatia's static state folder, as --hypatia-state (then give no catalog; sites is
    optional): its tles.txt are the satellites, ground_stations.txt the sites (by name) unless sites is
    given, isls.txt the links unless isl_pairing or isls is given, description.txt's max_gsl_length_m
    the ground-link slant range (masks at the horizon) unless gsl_max_range_km or an elevation mask is
    given, and max_isl_length_m the ISL range unless isl_max_range_km is given; no gateways or PoPs
    unless given. Serving-satellite slots (off by default): reconfiguration="starlink" (15 s slots from 12 s
    past each minute), or reconfiguration_interval= and reconfiguration_offset= (timedelta64): each
    site keeps the satellite of highest elevation at each slot's start through the slot
    (reconfiguration_rule="shortest-path": the one next to it on the first of its routes there);
    hold_gateways=True holds each gateway's satellite through the slots too, as --hold-gateways.
    Columns: time_utc (datetime64[ns]), src, dst (for a pair to the internet the PoP reached, "" when
    unreachable), rtt_ms, one_way_ms (NaN when unreachable), hops (-1 when unreachable), path (node
    ids joined by ">": sites, satellites by NORAD id, gateways, PoPs), serving_satellite (the source's
    satellite, NORAD id: the first of the path, or the one held; "" when none), slot_start
    (datetime64[ns], NaT when the slots are off). The CLI prints times to the
    millisecond and delays to the microsecond; these are the engine's values.
    """
    if start is None or stop is None or step is None:
        raise TypeError("route() needs start, stop and step")
    if hypatia_state is None:
        if catalog is None or sites is None:
            raise TypeError("give a catalog and sites, or hypatia_state=")
        cat = _catalog(catalog)
    else:
        if catalog is not None:
            raise TypeError("hypatia_state gives the satellites (its tles.txt): give no catalog")
        cat = None
    pairing_given = isl_pairing is not None
    ground_rule_given = min_elevation_deg is not None or gateway_min_elevation_deg is not None
    isl_max_range_given = isl_max_range_km is not None
    isl_pairing = "nearest" if isl_pairing is None else isl_pairing
    min_elevation_deg = 25.0 if min_elevation_deg is None else min_elevation_deg
    gateway_min_elevation_deg = 25.0 if gateway_min_elevation_deg is None else gateway_min_elevation_deg
    isl_max_range_km = 0.0 if isl_max_range_km is None else isl_max_range_km
    chosen = sum([from_site is not None or to_site is not None, pairs is not None, bool(to_internet)])
    if chosen != 1:
        raise TypeError("give one of from_site= and to_site=, pairs= or to_internet=True")
    if from_site is not None or to_site is not None:
        if from_site is None or to_site is None:
            raise TypeError("from_site and to_site go together")
        pairs = [(from_site, to_site)]
    pair_list = [] if to_internet else [(str(a), str(b)) for a, b in pairs]
    if reconfiguration not in (None, "off", "starlink"):
        raise ValueError(f'reconfiguration must be "starlink" or "off", got {reconfiguration!r}')
    if reconfiguration == "starlink" and (reconfiguration_interval is not None or reconfiguration_offset is not None):
        raise TypeError("reconfiguration=\"starlink\" sets the interval and offset: give one or the other")
    if reconfiguration_offset is not None and reconfiguration_interval is None:
        raise TypeError("reconfiguration_offset needs reconfiguration_interval")
    if reconfiguration == "starlink":
        interval_ns, offset_ns = 15_000_000_000, 12_000_000_000
    else:
        interval_ns = 0 if reconfiguration_interval is None else _timedelta_ns(reconfiguration_interval,
                                                                               "reconfiguration_interval")
        offset_ns = 0 if reconfiguration_offset is None else _timedelta_ns(reconfiguration_offset,
                                                                           "reconfiguration_offset")
    if interval_ns == 0 and hold_gateways:
        raise TypeError("hold_gateways applies to reconfiguration slots: give reconfiguration= or "
                        "reconfiguration_interval=")
    if interval_ns == 0 and reconfiguration_rule != "highest-elevation":
        raise TypeError("reconfiguration_rule applies to reconfiguration slots: give reconfiguration= or "
                        "reconfiguration_interval=")
    found = _skyfence.route(cat, os.fspath(sites) if sites is not None else "", pair_list, bool(to_internet), isl, isl_pairing, int(isl_shift),
                            os.fspath(isls) if isls else "", float(gsl_max_range_km),
                            os.fspath(gateways) if gateways else "", os.fspath(pops) if pops else "",
                            float(min_elevation_deg), float(gateway_min_elevation_deg), float(isl_max_range_km),
                            float(grazing_altitude_km), float(fibre_route_factor), float(fibre_index),
                            bool(satellites_only), bool(strict), _scalar_time_ns(start, "start"),
                            _scalar_time_ns(stop, "stop"), _timedelta_ns(step, "step"), interval_ns, offset_ns,
                            str(reconfiguration_rule), bool(hold_gateways),
                            os.fspath(hypatia_state) if hypatia_state else "",
                            pairing_given, ground_rule_given, isl_max_range_given, _threads(threads),
                            os.fspath(data_dir) if data_dir else "")
    _warn(found["warnings"])
    cols = dict(found["columns"])
    cols["time_utc"] = _datetimes(cols["time_utc"])
    cols["slot_start"] = _datetimes(cols["slot_start"])
    return pd.DataFrame(cols)


# -------------------------------------------------------------------------------------------- policy

class Policy:
    """A loaded service policy (load_policy): provider, source, sha256 and rules (list of dicts: id,
    effect, line, summary, description); decide() and permits() over arrays of requests."""

    def __init__(self, loaded):
        self._p = loaded

    def __repr__(self):
        return f"<skyfence.Policy {self.source!r}: provider {self.provider}, {len(self.rules)} rules>"

    @property
    def provider(self):
        return self._p.provider

    @property
    def source(self):
        return self._p.source

    @property
    def sha256(self):
        return self._p.sha256

    @property
    def rules(self):
        return list(self._p.rules)

    def _requests(self, lat_deg, lon_deg, time, customer, terminal_id, group):
        lat = np.asarray(lat_deg, dtype=float)
        lon = np.asarray(lon_deg, dtype=float)
        t = _times_ns(time, "time")
        lat, lon, t = np.broadcast_arrays(lat, lon, t)
        shape = lat.shape
        lat, lon, t = (np.ascontiguousarray(a.ravel()) for a in (lat, lon, t))
        n = lat.size
        who = [_strings(customer, n, "customer"), _strings(terminal_id, n, "terminal_id"),
               _strings(group, n, "group")]
        return shape, lat, lon, t, who

    def decide(self, lat_deg, lon_deg, time, *, customer=None, terminal_id=None, group=None,
               provider=None, threads=None):
        """The decision for each request, as ``skyfence check``: a DataFrame, one row per request.

        lat_deg, lon_deg (degrees) and time (datetime64, UTC) broadcast together; customer,
        terminal_id and group are one string for all requests or one each. Columns: terminal_id,
        provider, decision ("permit"/"deny"), matched_rules (the matching rules' ids joined with
        ";"), reason (one sentence), permit (bool). Rows in the flattened (C) order of the broadcast.
        """
        _, lat, lon, t, who = self._requests(lat_deg, lon_deg, time, customer, terminal_id, group)
        d = self._p.decide(lat, lon, t, *who, provider or "", _threads(threads))
        n = lat.size
        tid = who[1] if len(who[1]) == n else who[1] * n
        return pd.DataFrame({
            "terminal_id": tid,
            "provider": [d["provider"]] * n,
            "decision": np.where(d["permit"], "permit", "deny"),
            "matched_rules": d["matched_rules"],
            "reason": d["reason"],
            "permit": d["permit"],
        })

    def permits(self, lat_deg, lon_deg, time, *, customer=None, terminal_id=None, group=None,
                provider=None, threads=None):
        """Whether each request is permitted: a bool array of the broadcast shape (the same decisions
        as decide(), without matched rules and reasons, and faster)."""
        shape, lat, lon, t, who = self._requests(lat_deg, lon_deg, time, customer, terminal_id, group)
        return self._p.permits(lat, lon, t, *who, provider or "", _threads(threads)).reshape(shape)


def load_policy(path, data_dir=None):
    """Reads and checks a policy file (TOML, docs/policy.md) as ``skyfence policy validate``.

    An invalid policy raises InputError listing every problem in .issues, each with its line and field.
    """
    return Policy(_skyfence.load_policy(os.fspath(path), os.fspath(data_dir) if data_dir else ""))


# ------------------------------------------------------------------------------------------ scenario

class Results:
    """A results folder written by run_scenario (or ``skyfence run``): its tables as DataFrames.

    results["cell_stats"] (or results.table("cell_stats")) reads one table of results.sqlite
    (docs/results.md lists them); tables is their list; path the folder (report.html, csv/, geojson/
    beside results.sqlite); warnings the run's warnings; name the scenario's name.
    """

    def __init__(self, path, name="", warnings=()):
        self.path = os.fspath(path)
        self.name = name
        self.warnings = list(warnings)
        if not os.path.isfile(self.sqlite):
            raise FileNotFoundError(f"{self.sqlite}: no results.sqlite (not a results folder)")

    def __repr__(self):
        return f"<skyfence.Results {self.name!r} in {self.path!r}: {len(self.tables)} tables>"

    @property
    def sqlite(self):
        return os.path.join(self.path, "results.sqlite")

    @property
    def report_html(self):
        return os.path.join(self.path, "report.html")

    def _connect(self):
        return sqlite3.connect(f"file:{self.sqlite}?mode=ro", uri=True)

    @property
    def tables(self):
        with self._connect() as db:
            rows = db.execute("select name from sqlite_master where type = 'table' order by name").fetchall()
        return [r[0] for r in rows]

    def table(self, name):
        if name not in self.tables:
            raise KeyError(f"no table {name!r} in {self.sqlite}; tables: {', '.join(self.tables)}")
        with self._connect() as db:
            return pd.read_sql_query(f'select * from "{name}"', db)

    def __getitem__(self, name):
        return self.table(name)


def run_scenario(path=None, output_dir=None, *, threads=None, data_dir=None):
    """Runs a scenario (TOML, docs/scenario.md; None: the bundled default) as ``skyfence run`` does and
    returns its Results.

    output_dir: the results folder (default: results/<scenario name>, relative to the current folder),
    written beside its place and moved there whole; an existing folder is replaced only when it is an
    earlier results folder, anything else is an InputError before the run. The run's warnings are
    emitted as SkyfenceWarning and kept in Results.warnings.
    """
    done = _skyfence.run_scenario(os.fspath(path) if path else "", os.fspath(output_dir) if output_dir else "",
                                  _threads(threads), os.fspath(data_dir) if data_dir else "")
    _warn(done["warnings"])
    return Results(done["path"], done["name"], done["warnings"])
