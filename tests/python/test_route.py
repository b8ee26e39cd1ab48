"""skyfence.route: the rows of `skyfence route` (round-trip times over satellites, gateways and fibre)."""

import os

import numpy as np
import pandas as pd
import pytest

import skyfence
from conftest import REPO, STARLINK_TLE, read_csv_text, run_cli

CITIES = os.path.join(REPO, "data", "cities", "cities_top100.csv")
T0 = np.datetime64("2026-05-01T00:00")


def as_cli(df):
    """The CLI's text of the rows: times to the millisecond, delays to the microsecond."""
    ok = df.hops >= 0
    return pd.DataFrame({
        "time_utc": [str(t) + "Z" for t in df.time_utc.values.astype("datetime64[ms]")],
        "src": df.src,
        "dst": df.dst,
        "rtt_ms": [f"{x:.3f}" if k else "" for x, k in zip(df.rtt_ms, ok)],
        "one_way_ms": [f"{x:.3f}" if k else "" for x, k in zip(df.one_way_ms, ok)],
        "hops": [str(h) if k else "" for h, k in zip(df.hops, ok)],
        "path": df.path,
        "serving_satellite": df.serving_satellite,
        "slot_start": ["" if np.isnat(t) else str(t) + "Z" for t in df.slot_start.values.astype("datetime64[ms]")],
    })


@pytest.fixture(scope="module")
def gen1():
    return skyfence.load_catalog(preset="starlink_gen1", satellites="STARLINK_GEN1-0-*", start=T0)


def test_city_pairs_over_a_preset_equal_the_cli(cli, gen1, tmp_path):
    pairs = tmp_path / "pairs.csv"
    pairs.write_text("src,dst\nManila,Dalian\nLondon,New-York-Newark\n")
    text = run_cli(cli, "route", "--preset", "starlink_gen1", "--satellite", "STARLINK_GEN1-0-*", "--sites", CITIES,
                   "--pairs", str(pairs), "--start", "2026-05-01T00:00:00Z", "--duration", "2m", "--step", "10s")
    got = skyfence.route(gen1, CITIES, T0, T0 + np.timedelta64(2, "m"), np.timedelta64(10, "s"),
                         pairs=[("Manila", "Dalian"), ("London", "New-York-Newark")])
    assert len(got) == 24 and (got.hops > 0).all()
    assert got.time_utc.dtype == np.dtype("datetime64[ns]")
    assert np.allclose(got.rtt_ms, 2 * got.one_way_ms)
    pd.testing.assert_frame_equal(as_cli(got), read_csv_text(text))
    one = skyfence.route(gen1, CITIES, T0, T0 + np.timedelta64(1, "m"), np.timedelta64(10, "s"),
                         from_site="Manila", to_site="Dalian", threads=1)
    two = skyfence.route(gen1, CITIES, T0, T0 + np.timedelta64(1, "m"), np.timedelta64(10, "s"),
                         from_site="Manila", to_site="Dalian", threads=2)
    pd.testing.assert_frame_equal(one, two)


def test_sites_to_the_internet_over_a_catalog_equal_the_cli(cli, tmp_path):
    sites = tmp_path / "terminals.csv"
    sites.write_text("id,lat_deg,lon_deg\nkyiv,50.45,30.52\nocean,-50,-140\nlima,-12.05,-77.04\n")
    text = run_cli(cli, "route", "--tle", STARLINK_TLE, "--satellite", "STARLINK-1*", "--sites", str(sites),
                   "--to-internet", "--isl", "none", "--start", "2026-04-27T00:00:00Z", "--stop",
                   "2026-04-27T00:03:00Z", "--step", "1m")
    cat = skyfence.load_catalog(STARLINK_TLE, satellites="STARLINK-1*")
    got = skyfence.route(cat, sites, np.datetime64("2026-04-27T00:00"), np.datetime64("2026-04-27T00:03"),
                         np.timedelta64(1, "m"), to_internet=True, isl="none")
    assert (got.hops >= 0).any() and (got.hops < 0).any(), "the test wants reachable and unreachable rows"
    assert got.dst[got.hops < 0].eq("").all() and got.rtt_ms[got.hops < 0].isna().all()
    pd.testing.assert_frame_equal(as_cli(got), read_csv_text(text))


def test_reconfiguration_slots_equal_the_cli(cli, gen1):
    text = run_cli(cli, "route", "--preset", "starlink_gen1", "--satellite", "STARLINK_GEN1-0-*", "--sites", CITIES,
                   "--from", "Paris", "--to", "Lagos", "--start", "2026-05-01T00:00:00Z", "--duration", "40s",
                   "--step", "2s", "--reconfiguration", "starlink")
    got = skyfence.route(gen1, CITIES, T0, T0 + np.timedelta64(40, "s"), np.timedelta64(2, "s"),
                         from_site="Paris", to_site="Lagos", reconfiguration="starlink")
    assert got.slot_start.dtype == np.dtype("datetime64[ns]")
    assert list(np.unique(got.slot_start.values.astype("datetime64[s]")).astype(str)) == [
        "2026-04-30T23:59:57", "2026-05-01T00:00:12", "2026-05-01T00:00:27"]
    pd.testing.assert_frame_equal(as_cli(got), read_csv_text(text))
    same = skyfence.route(gen1, CITIES, T0, T0 + np.timedelta64(40, "s"), np.timedelta64(2, "s"),
                          from_site="Paris", to_site="Lagos", reconfiguration_interval=np.timedelta64(15, "s"),
                          reconfiguration_offset=np.timedelta64(12, "s"))
    pd.testing.assert_frame_equal(got, same)
    off = skyfence.route(gen1, CITIES, T0, T0 + np.timedelta64(40, "s"), np.timedelta64(2, "s"),
                         from_site="Paris", to_site="Lagos")
    assert off.slot_start.isna().all()
    assert (got.rtt_ms >= off.rtt_ms).all()
    text = run_cli(cli, "route", "--preset", "starlink_gen1", "--satellite", "STARLINK_GEN1-0-*", "--sites", CITIES,
                   "--from", "Paris", "--to", "Lagos", "--start", "2026-05-01T00:00:00Z", "--duration", "40s",
                   "--step", "2s", "--reconfiguration", "starlink", "--reconfiguration-rule", "shortest-path")
    shortest = skyfence.route(gen1, CITIES, T0, T0 + np.timedelta64(40, "s"), np.timedelta64(2, "s"),
                              from_site="Paris", to_site="Lagos", reconfiguration="starlink",
                              reconfiguration_rule="shortest-path")
    pd.testing.assert_frame_equal(as_cli(shortest), read_csv_text(text))
    args = (gen1, CITIES, T0, T0 + np.timedelta64(1, "m"), np.timedelta64(10, "s"))
    with pytest.raises(ValueError):
        skyfence.route(*args, from_site="Paris", to_site="Lagos", reconfiguration="starlink",
                       reconfiguration_rule="lowest")
    with pytest.raises(TypeError):
        skyfence.route(*args, from_site="Paris", to_site="Lagos", reconfiguration_rule="shortest-path")
    with pytest.raises(ValueError):
        skyfence.route(*args, from_site="Paris", to_site="Lagos", reconfiguration="hourly")
    with pytest.raises(ValueError):
        skyfence.route(*args, from_site="Paris", to_site="Lagos", reconfiguration_interval=np.timedelta64(7, "s"))
    with pytest.raises(ValueError):
        skyfence.route(*args, from_site="Paris", to_site="Lagos", reconfiguration_interval=np.timedelta64(15, "s"),
                       reconfiguration_offset=np.timedelta64(15, "s"))
    with pytest.raises(TypeError):
        skyfence.route(*args, from_site="Paris", to_site="Lagos", reconfiguration_offset=np.timedelta64(1, "s"))
    with pytest.raises(TypeError):
        skyfence.route(*args, from_site="Paris", to_site="Lagos", reconfiguration="starlink",
                       reconfiguration_interval=np.timedelta64(15, "s"))


def test_bad_arguments(gen1):
    args = (gen1, CITIES, T0, T0 + np.timedelta64(1, "m"), np.timedelta64(10, "s"))
    with pytest.raises(skyfence.InputError) as info:
        skyfence.route(*args, from_site="Manila", to_site="Atlantis")
    assert info.value.file == "pairs[0]" and info.value.field == "dst"
    with pytest.raises(TypeError):
        skyfence.route(*args)
    with pytest.raises(TypeError):
        skyfence.route(*args, from_site="Manila", to_site="Dalian", to_internet=True)
    with pytest.raises(ValueError):
        skyfence.route(*args, to_internet=True, isl="mesh")
    with pytest.raises(ValueError):
        skyfence.route(*args, to_internet=True, fibre_route_factor=0.5)


def test_configured_as_hypatia_reproduces_its_rtts(tmp_path):
    """Hypatia's Starlink-550 state (tests/data/hypatia-starlink-550): its isls.txt (as a file and as
    same-index pairing) and its slant-range limit give its RTTs to 1e-5 and its paths."""
    state = os.path.join(REPO, "tests", "data", "hypatia-starlink-550")
    with pytest.warns(skyfence.SkyfenceWarning):  # the header line "72 22" is skipped as a bad record
        cat = skyfence.load_catalog(os.path.join(state, "tles.txt"))
    stations = pd.read_csv(os.path.join(state, "ground_stations.txt"), header=None,
                           names=["gid", "id", "lat_deg", "lon_deg", "elev_m", "x", "y", "z"])
    sites = tmp_path / "sites.csv"
    stations[["id", "lat_deg", "lon_deg"]].to_csv(sites, index=False)
    t0 = np.datetime64("2000-01-01T00:00")
    args = (cat, str(sites), t0, t0 + np.timedelta64(10, "s"), np.timedelta64(1, "s"))
    common = dict(pairs=[("Paris", "Luanda"), ("New-York-Newark", "London")], satellites_only=True,
                  gsl_max_range_km=1089.6864181956202, isl_max_range_km=5016.5912330984278)
    got = skyfence.route(*args, isls=os.path.join(state, "isls.txt"), **common)
    same = skyfence.route(*args, isl_pairing="same-index", **common)
    pd.testing.assert_frame_equal(got, same)
    ref = pd.read_csv(os.path.join(state, "rtt_by_step.csv"))
    ref = ref[ref.t_s < 10].sort_values(["t_s", "src_node"], ascending=[True, False]).reset_index(drop=True)
    assert list(got.src) == list(ref.src_city) and list(got.dst) == list(ref.dst_city)
    assert np.all(np.abs(got.rtt_ms.values - ref.rtt_ms.values) <= 1e-5 * ref.rtt_ms.values + 5e-7)
    # Satellites by NORAD id, which is Hypatia's id + 1.
    ours = [[int(n) - 1 for n in p.split(">")[1:-1]] for p in got.path]
    theirs = [[int(n) for n in p.split("-")[1:-1]] for p in ref.path]
    assert ours == theirs
    nearest = skyfence.route(*args, **common)
    assert not np.allclose(nearest.rtt_ms, got.rtt_ms)
    with pytest.raises(ValueError, match="isl_shift applies"):
        skyfence.route(*args, isl_shift=1, **common)
    with pytest.raises(ValueError, match="isl_pairing must be"):
        skyfence.route(*args, isl_pairing="diagonal", **common)


def test_hypatia_state_equals_the_cli(cli, tmp_path):
    """hypatia_state= reads Hypatia's static state as --hypatia-state does: its satellites, ground stations,
    links and limits, with the arguments given explicitly overriding it as the CLI's flags do."""
    state = os.path.join(REPO, "tests", "data", "hypatia-starlink-550")
    t0 = np.datetime64("2000-01-01T00:00")
    window = dict(start=t0, stop=t0 + np.timedelta64(5, "s"), step=np.timedelta64(1, "s"))
    flags = ["--start", "2000-01-01T00:00:00Z", "--duration", "5s", "--step", "1s"]
    cases = [
        (dict(from_site="Paris", to_site="Luanda"), ["--from", "Paris", "--to", "Luanda"]),
        (dict(pairs=[("New-York-Newark", "London")], isl_pairing="nearest", min_elevation_deg=25.0),
         ["--pairs", str(tmp_path / "pairs.csv"), "--isl-pairing", "nearest", "--min-elevation", "25"]),
        (dict(from_site="Paris", to_site="Luanda", isl_max_range_km=3000.0, gsl_max_range_km=800.0),
         ["--from", "Paris", "--to", "Luanda", "--isl-max-range", "3000", "--gsl-max-range", "800"]),
    ]
    (tmp_path / "pairs.csv").write_text("src,dst\nNew-York-Newark,London\n")
    frames = []
    for kwargs, args in cases:
        got = skyfence.route(**window, hypatia_state=state, **kwargs)
        text = run_cli(cli, "route", "--hypatia-state", state, *args, *flags)
        assert len(got) == 5
        pd.testing.assert_frame_equal(as_cli(got), read_csv_text(text))
        frames.append(got)
    assert (frames[0].hops > 0).all()
    # The overrides change the routes (else the comparison above would not show that they are taken).
    assert not np.allclose(frames[0].rtt_ms, frames[2].rtt_ms, equal_nan=True)
    with pytest.raises(TypeError, match="give no catalog"):
        cat = skyfence.load_catalog(preset="starlink_gen1", satellites="STARLINK_GEN1-0-*", start=T0)
        skyfence.route(cat, **window, hypatia_state=state, from_site="Paris", to_site="Luanda")
    with pytest.raises(TypeError, match="hypatia_state"):
        skyfence.route(**window, from_site="Paris", to_site="Luanda")


def test_gateways_held_equal_the_cli(cli, gen1, tmp_path):
    sites = tmp_path / "terminals.csv"
    sites.write_text("id,lat_deg,lon_deg\nseattle,47.6,-122.3\nocean,-50,-140\n")
    text = run_cli(cli, "route", "--preset", "starlink_gen1", "--satellite", "STARLINK_GEN1-0-*", "--sites", str(sites),
                   "--to-internet", "--start", "2026-05-01T00:00:00Z", "--duration", "30s", "--step", "3s",
                   "--reconfiguration", "starlink", "--hold-gateways")
    window = (gen1, sites, T0, T0 + np.timedelta64(30, "s"), np.timedelta64(3, "s"))
    got = skyfence.route(*window, to_internet=True, reconfiguration="starlink", hold_gateways=True)
    pd.testing.assert_frame_equal(as_cli(got), read_csv_text(text))
    free = skyfence.route(*window, to_internet=True, reconfiguration="starlink")
    assert not got.path.equals(free.path)
    with pytest.raises(TypeError, match="hold_gateways applies"):
        skyfence.route(*window, to_internet=True, hold_gateways=True)
