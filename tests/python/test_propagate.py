"""skyfence.propagate: against python-sgp4 (an independent SGP4 implementation), against the CLI's
`skyfence propagate` output, shapes and dtypes, arrays filled in place, threads and Ctrl-C."""

import os
import signal
import threading

import numpy as np
import pandas as pd
import pytest
from sgp4.api import Satrec, SatrecArray

import skyfence
from conftest import STARLINK_TLE, read_csv_text, run_cli

START = np.datetime64("2026-04-27T00:00:00", "ns")


@pytest.fixture(scope="module")
def starlink():
    return skyfence.load_catalog(STARLINK_TLE)


def tle_lines(path):
    """NORAD id -> (line 1, line 2) of a 3-line TLE file."""
    lines = open(path).read().splitlines()
    out = {}
    for i, line in enumerate(lines):
        if line.startswith("1 ") and i + 1 < len(lines) and lines[i + 1].startswith("2 "):
            out[int(line[2:7])] = (line, lines[i + 1])
    return out


def jd_parts(times):
    """python-sgp4's two-part UTC Julian dates of datetime64 times."""
    ns = times.astype("datetime64[ns]").astype(np.int64)
    days = ns // 86_400_000_000_000
    return 2440587.5 + days.astype(float), (ns - days * 86_400_000_000_000) / 86_400e9


def test_teme_agrees_with_python_sgp4(starlink):
    # Every 25th satellite of the snapshot (410) at 60 times over two days, and a year later (decayed
    # satellites give error codes there).
    pick = np.arange(0, len(starlink), 25)
    cat = skyfence.load_catalog(STARLINK_TLE, satellites=[str(i) for i in starlink.norad_ids[pick]])
    assert len(cat) == len(pick)
    times = np.concatenate([START + np.arange(0, 2880, 60).astype("timedelta64[m]"),
                            START + np.timedelta64(365, "D") + np.arange(0, 12 * 60, 60).astype("timedelta64[m]")])
    with pytest.warns(skyfence.SkyfenceWarning, match="more than 14 days"):
        r, v, e = skyfence.propagate(cat, times)

    lines = tle_lines(STARLINK_TLE)
    sats = SatrecArray([Satrec.twoline2rv(*lines[int(i)]) for i in cat.norad_ids])
    jd, fr = jd_parts(times)
    e_ref, r_ref, v_ref = sats.sgp4(jd, fr)

    assert r.shape == r_ref.shape == (len(cat), len(times), 3)
    assert e.shape == e_ref.shape == (len(cat), len(times))
    assert np.array_equal(e, e_ref)
    assert (e != 0).any() and (e == 0).any(), "the test needs both good states and errors"
    ok = e == 0
    assert np.isnan(r[~ok]).all() and np.isnan(v[~ok]).all()
    # A year past epoch some orbits run off to 1e10 km without either implementation raising an error
    # (SGP4 far outside its domain); there the arithmetic is ill-conditioned and only the fact is
    # compared: both are out there.
    radius = np.linalg.norm(r, axis=2)
    sane = ok & (radius < 8000.0)
    assert np.array_equal(sane, ok & (np.linalg.norm(r_ref, axis=2) < 8000.0))
    assert sane[:, :48].all() and sane[:, 48:].sum() > 1000
    # Tolerance: 1 mm and 1 um/s. Both evaluate Vallado's SGP4 in double precision; they agree to
    # about 1e-9 km within two days of epoch and 5e-8 km a year later (rounding in a different order of
    # operations: skyfence's batch kernel against python-sgp4's scalar code, the epoch an exact instant
    # against a two-part Julian date), far below the tolerance. A time off by 1 s would move a state
    # by 7 km, a wrong gravity model by hundreds of metres.
    assert np.abs(r[sane] - r_ref[sane]).max() < 1e-6
    assert np.abs(v[sane] - v_ref[sane]).max() < 1e-9


def test_shapes_dtypes_and_scalar_time(starlink):
    times = START + np.arange(5).astype("timedelta64[m]")
    r, v, e = skyfence.propagate(starlink, times)
    assert r.shape == v.shape == (len(starlink), 5, 3)
    assert e.shape == (len(starlink), 5)
    assert r.dtype == v.dtype == np.float64 and e.dtype == np.uint8
    r1, _, e1 = skyfence.propagate(starlink, START)
    assert r1.shape == (len(starlink), 1, 3)
    assert np.array_equal(r1[:, 0], r[:, 0], equal_nan=True)
    # Any datetime64 unit: seconds and nanoseconds give the same instant.
    rs, _, _ = skyfence.propagate(starlink, times.astype("datetime64[s]"))
    assert np.array_equal(rs, r, equal_nan=True)
    # pandas times too; a timezone-aware one is converted to UTC (Kyiv is UTC+3 in April).
    rk, _, _ = skyfence.propagate(starlink, pd.Timestamp("2026-04-27T03:00", tz="Europe/Kyiv"))
    assert np.array_equal(rk, r1, equal_nan=True)
    r0, v0, e0 = skyfence.propagate(starlink, times[:0])
    assert r0.shape == (len(starlink), 0, 3) and e0.shape == (len(starlink), 0)


def test_outputs_are_filled_in_place_not_copied(starlink):
    cat = skyfence.load_catalog(STARLINK_TLE, satellites="STARLINK-11*")
    times = START + np.arange(10).astype("timedelta64[m]")
    # Allocated once by the package and written by the engine: each array owns its memory, no view
    # of (or copy from) another buffer.
    r, v, e = skyfence.propagate(cat, times)
    for a in (r, v, e):
        assert a.flags["OWNDATA"] and a.base is None and a.flags["C_CONTIGUOUS"]
    # Given arrays are filled in place and returned themselves: the engine writes into their memory.
    out = (np.full_like(r, -1.0), np.full_like(v, -1.0), np.full_like(e, 255))
    got = skyfence.propagate(cat, times, out=out)
    assert all(g is o for g, o in zip(got, out))
    assert np.array_equal(out[0], r) and np.array_equal(out[1], v) and np.array_equal(out[2], e)
    with pytest.raises(TypeError):
        skyfence.propagate(cat, times, out=(r.astype(np.float32), v, e))
    with pytest.raises(ValueError):
        skyfence.propagate(cat, times, out=(r[:, :5], v, e))
    with pytest.raises(ValueError):
        skyfence.propagate(cat, times, out=(np.asfortranarray(r), v, e))


def test_thread_count_does_not_change_results(starlink):
    times = START + np.arange(0, 600, 7).astype("timedelta64[m]")
    for frame in ("teme", "geodetic"):
        one = skyfence.propagate(starlink, times, frame=frame, threads=1)
        two = skyfence.propagate(starlink, times, frame=frame, threads=2)
        for a, b in zip(one, two):
            assert a.tobytes() == b.tobytes()


@pytest.mark.parametrize("frame", ["teme", "itrf", "geodetic"])
def test_frames_equal_the_cli(cli, frame):
    # The CLI prints positions with 8 decimals (velocities 9, latitude and longitude 9, altitude 6);
    # the same doubles printed the same way give the same text.
    sats = ["STARLINK-1008", "STARLINK-1012", "44723", "STARLINK-11*"]
    text = run_cli(cli, "propagate", "--tle", STARLINK_TLE, *sum((["--satellite", s] for s in sats), []),
                   "--start", "2026-04-27T12:00:00Z", "--stop", "2026-04-27T13:00:00Z", "--step", "90s",
                   "--frame", frame)
    ref = read_csv_text(text)
    cat = skyfence.load_catalog(STARLINK_TLE, satellites=sats)
    times = np.datetime64("2026-04-27T12:00:00", "ns") + np.arange(0, 3600, 90).astype("timedelta64[s]")
    r, v, e = skyfence.propagate(cat, times, frame=frame)
    assert (e == 0).all()
    assert len(ref) == len(cat) * len(times)
    assert ref["norad_id"].tolist() == [str(i) for i in np.repeat(cat.norad_ids, len(times))]
    if frame == "geodetic":
        columns = [("lat_deg", r, 0, 9), ("lon_deg", r, 1, 9), ("alt_km", r, 2, 6)]
    else:
        columns = [(f"{c}_km", r, k, 8) for k, c in enumerate("xyz")] + \
                  [(f"v{c}_km_s", v, k, 9) for k, c in enumerate("xyz")]
    for name, arr, k, decimals in columns:
        mine = [f"{x:.{decimals}f}" for x in arr[:, :, k].ravel()]
        assert mine == ref[name].tolist(), name


def test_bad_arguments(starlink):
    times = START + np.arange(3).astype("timedelta64[m]")
    with pytest.raises(ValueError, match="frame"):
        skyfence.propagate(starlink, times, frame="gcrs")
    with pytest.raises(TypeError):
        skyfence.propagate(starlink, np.arange(3.0))
    with pytest.raises(TypeError):
        skyfence.propagate(starlink, ["2026-04-27T00:00:00"])
    with pytest.raises(TypeError):
        skyfence.propagate("starlink", times)
    with pytest.raises(skyfence.InputError):
        skyfence.propagate(starlink, np.array(["NaT"], dtype="datetime64[ns]"))
    for outside in ("1650-01-01", "2270-01-01"):  # before skyfence's range; past datetime64[ns]'s
        with pytest.raises(skyfence.InputError):
            skyfence.propagate(starlink, np.array([outside], dtype="datetime64[D]"))
    with pytest.raises(ValueError):
        skyfence.propagate(starlink, times, threads=0)


def test_ctrl_c_stops_the_computation(starlink):
    # A long single-threaded run (geodetic, 10,000 satellites x 600 times: several seconds); SIGINT
    # after 0.3 s must end it with KeyboardInterrupt, leaving most of the output unwritten (e keeps
    # its 255 fill where the engine never got to).
    times = START + np.arange(600).astype("timedelta64[m]")
    n = len(starlink)
    out = (np.empty((n, 600, 3)), np.empty((n, 600, 3)), np.full((n, 600), 255, dtype=np.uint8))
    timer = threading.Timer(0.3, os.kill, (os.getpid(), signal.SIGINT))
    timer.start()
    try:
        with pytest.raises(KeyboardInterrupt):
            skyfence.propagate(starlink, times, frame="geodetic", threads=1, out=out)
    finally:
        timer.cancel()
    unwritten = (out[2] == 255).mean()
    assert unwritten > 0.5, f"only {unwritten:.0%} left unwritten: the stop came late"
