"""skyfence.passes and skyfence.visible: the same rows as `skyfence passes` and `skyfence visible`."""

import numpy as np
import pandas as pd
import pytest

import skyfence
from conftest import STARLINK_TLE, read_csv_text, run_cli

SATS = "STARLINK-11*"


def iso_ms(times):
    """The CLI's time text: ISO-8601 UTC, milliseconds truncated toward the past."""
    return [str(t) + "Z" for t in np.asarray(times).astype("datetime64[ms]")]


def as_cli_passes(df):
    return pd.DataFrame({
        "norad_id": df.norad_id.astype(str),
        "name": df.name,
        "site_id": df.site_id,
        "aos_utc": iso_ms(df.aos_utc),
        "tca_utc": iso_ms(df.tca_utc),
        "los_utc": iso_ms(df.los_utc),
        "max_elevation_deg": [f"{x:.4f}" for x in df.max_elevation_deg],
        "aos_azimuth_deg": [f"{x:.4f}" for x in df.aos_azimuth_deg],
        "los_azimuth_deg": [f"{x:.4f}" for x in df.los_azimuth_deg],
        "duration_s": [f"{x:.3f}" for x in df.duration_s],
        "aos_clipped": ["true" if x else "false" for x in df.aos_clipped],
        "los_clipped": ["true" if x else "false" for x in df.los_clipped],
    })


@pytest.fixture(scope="module")
def cat():
    return skyfence.load_catalog(STARLINK_TLE, satellites=SATS)


def test_passes_equal_the_cli(cli, cat):
    text = run_cli(cli, "passes", "--tle", STARLINK_TLE, "--satellite", SATS, "--site", "50.45,30.52",
                   "--site=-33.9,18.4,120", "--start", "2026-04-27T00:00:00Z", "--stop", "2026-04-28T00:00:00Z",
                   "--min-elevation", "20")
    ref = read_csv_text(text)
    got = skyfence.passes(cat, [50.45, -33.9], [30.52, 18.4], np.datetime64("2026-04-27T00:00"),
                          np.datetime64("2026-04-28T00:00"), min_elevation_deg=20, alt_m=[0, 120],
                          site_id=["50.45,30.52", "-33.9,18.4,120"])
    assert len(got) > 50
    assert list(got.columns) == list(ref.columns)
    assert got.aos_utc.dtype == np.dtype("datetime64[ns]")
    assert got.aos_clipped.dtype == bool
    pd.testing.assert_frame_equal(as_cli_passes(got), ref)


def test_default_site_id_is_the_cli_text(cat):
    got = skyfence.passes(cat, 50.45, 30.52, np.datetime64("2026-04-27T00:00"), np.datetime64("2026-04-27T06:00"))
    assert set(got.site_id) == {"50.45,30.52"}


def test_passes_from_a_sites_file(cli, cat, tmp_path):
    sites = tmp_path / "sites.csv"
    sites.write_text("id,lat_deg,lon_deg\nkyiv,50.45,30.52\ncape-town,-33.9,18.4\n")
    text = run_cli(cli, "passes", "--tle", STARLINK_TLE, "--satellite", SATS, "--sites", str(sites),
                   "--start", "2026-04-27T00:00:00Z", "--stop", "2026-04-27T12:00:00Z")
    got = skyfence.passes(cat, sites=str(sites), start=np.datetime64("2026-04-27T00:00"),
                          stop=np.datetime64("2026-04-27T12:00"))
    pd.testing.assert_frame_equal(as_cli_passes(got), read_csv_text(text))


def test_visible_equals_the_cli(cli):
    text = run_cli(cli, "visible", "--catalog", "starlink", "--site", "50.45,30.52,180", "--site=-33.9,18.4",
                   "--time", "2026-04-27T12:00:00.250Z", "--min-elevation", "30")
    ref = read_csv_text(text)
    cat = skyfence.load_catalog("starlink")
    got = skyfence.visible(cat, [50.45, -33.9], [30.52, 18.4], np.datetime64("2026-04-27T12:00:00.250"),
                           alt_m=[180, 0], site_id=["50.45,30.52,180", "-33.9,18.4"], min_elevation_deg=30)
    assert len(got) > 10
    assert list(got.columns) == list(ref.columns)
    mine = pd.DataFrame({
        "norad_id": got.norad_id.astype(str),
        "name": got.name,
        "azimuth_deg": [f"{x:.4f}" for x in got.azimuth_deg],
        "elevation_deg": [f"{x:.4f}" for x in got.elevation_deg],
        "range_km": [f"{x:.3f}" for x in got.range_km],
        "range_rate_km_s": [f"{x:.6f}" for x in got.range_rate_km_s],
        "site_id": got.site_id,
    })
    pd.testing.assert_frame_equal(mine, ref)


def test_thread_count_does_not_change_passes(cat):
    args = (cat, [50.45, 0.0], [30.52, 100.0], np.datetime64("2026-04-27T00:00"), np.datetime64("2026-04-28T00:00"))
    pd.testing.assert_frame_equal(skyfence.passes(*args, threads=1), skyfence.passes(*args, threads=2))


def test_bad_sites_and_windows(cat):
    t0, t1 = np.datetime64("2026-04-27T00:00"), np.datetime64("2026-04-27T06:00")
    with pytest.raises(skyfence.InputError) as info:
        skyfence.passes(cat, 91.0, 0.0, t0, t1)
    assert info.value.field == "latitude"
    with pytest.raises(skyfence.InputError) as info:
        skyfence.passes(cat, 50.0, 30.0, t1, t0)
    assert info.value.file in ("start", "stop")
    with pytest.raises(skyfence.InputError) as info:
        skyfence.visible(cat, 50.0, 30.0, t0, min_elevation_deg=95)
    assert info.value.file == "min_elevation_deg"
    with pytest.raises(TypeError):
        skyfence.visible(cat, 50.0, 30.0, "2026-04-27T00:00:00Z")
    with pytest.raises(skyfence.InputError):
        skyfence.passes(cat, start=t0, stop=t1)  # no site at all


def test_sgp4_failures_warn_or_fail_with_strict(cat):
    # A year after the snapshot many of these satellites have decayed (SGP4 errors 1 and 6).
    later = np.datetime64("2027-04-27T00:00")
    with pytest.warns(skyfence.SkyfenceWarning, match=r"SGP4 error \d at 2027-04-27T00:00:00.000Z: .*; left out"):
        skyfence.visible(cat, 50.45, 30.52, later)
    with pytest.raises(RuntimeError, match="SGP4 failure"):
        skyfence.visible(cat, 50.45, 30.52, later, strict=True)
    with pytest.raises(RuntimeError, match="SGP4 failure"):
        skyfence.passes(cat, 50.45, 30.52, later, later + np.timedelta64(1, "h"), strict=True)
