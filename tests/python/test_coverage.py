"""skyfence.coverage: the statistics of `skyfence coverage` as an xarray Dataset (cell x provider)."""

import numpy as np
import pytest
import xarray as xr

import skyfence
from conftest import read_csv_text, run_cli

START, STOP = np.datetime64("2026-04-27T00:00"), np.datetime64("2026-04-27T02:00")
STEP = np.timedelta64(5, "m")


@pytest.fixture(scope="module")
def catalogs():
    return {"iridium": skyfence.load_catalog("iridium"), "oneweb": skyfence.load_catalog("oneweb")}


def assert_equals_cli(ds, csv_text):
    """Every CLI row (point, then provider) against the Dataset, as the CLI prints the numbers."""
    ref = read_csv_text(csv_text)
    point = ds.coverage_fraction.dims[0]
    n, p = ds.sizes[point], ds.sizes["provider"]
    assert len(ref) == n * p
    rows = ref.to_dict("list")
    assert rows["cell_id"] == list(np.repeat(ds[point].values, p))
    assert rows["provider"] == list(ds.provider.values) * n
    assert rows["lat_deg"] == [f"{x:.6f}" for x in np.repeat(ds.lat_deg.values, p)]
    assert rows["lon_deg"] == [f"{x:.6f}" for x in np.repeat(ds.lon_deg.values, p)]
    if point == "cell":
        assert rows["area_km2"] == [f"{x:.3f}" for x in np.repeat(ds.area_km2.values, p)]
    assert rows["coverage_fraction"] == [f"{x:.6f}" for x in ds.coverage_fraction.values.ravel()]
    assert rows["mean_visible"] == [f"{x:.4f}" for x in ds.mean_visible.values.ravel()]
    for name in ("min_visible", "max_visible", "gap_count"):
        assert rows[name] == [str(x) for x in ds[name].values.ravel()], name
    assert [float(x) for x in rows["max_gap_s"]] == list(ds.max_gap_s.values.ravel())


def test_region_and_two_providers_equal_the_cli(cli, catalogs):
    text = run_cli(cli, "coverage", "--catalog", "iridium", "--catalog", "oneweb", "--region", "MDA",
                   "--start", "2026-04-27T00:00:00Z", "--stop", "2026-04-27T02:00:00Z", "--step", "5m",
                   "--min-elevation", "20")
    with pytest.warns(skyfence.SkyfenceWarning, match="oneweb.*more than 14 days"):  # a month-old snapshot
        ds = skyfence.coverage(catalogs, START, STOP, STEP, region="MDA", min_elevation_deg=20)
    assert isinstance(ds, xr.Dataset)
    assert ds.coverage_fraction.dims == ("cell", "provider")
    assert list(ds.provider.values) == ["iridium", "oneweb", "any"]
    assert ds.attrs["steps"] == 24 and ds.attrs["step_s"] == 300.0
    assert_equals_cli(ds, text)
    # "any" is served whenever one of them is.
    assert (ds.coverage_fraction.sel(provider="any") >= ds.coverage_fraction.sel(provider="iridium")).all()


def test_global_grid_and_threads(cli, catalogs):
    text = run_cli(cli, "coverage", "--catalog", "iridium", "--level", "2", "--start", "2026-04-27T00:00:00Z",
                   "--stop", "2026-04-27T01:00:00Z", "--step", "10m", "--min-sats", "2")
    args = (catalogs["iridium"], START, np.datetime64("2026-04-27T01:00"), np.timedelta64(10, "m"))
    one = skyfence.coverage(*args, level=2, min_sats=2, threads=1)
    two = skyfence.coverage(*args, level=2, min_sats=2, threads=2)
    assert one.sizes["cell"] == 96
    assert list(one.provider.values) == ["iridium", "any"]
    xr.testing.assert_identical(one, two)
    assert_equals_cli(one, text)


def test_sites(cli, catalogs, tmp_path):
    sites = tmp_path / "sites.csv"
    sites.write_text("id,lat_deg,lon_deg\nkyiv,50.45,30.52\nnorth,89.5,0\n")
    text = run_cli(cli, "coverage", "--catalog", "iridium", "--sites", str(sites), "--start",
                   "2026-04-27T00:00:00Z", "--stop", "2026-04-27T02:00:00Z", "--step", "5m")
    ds = skyfence.coverage([catalogs["iridium"]], START, STOP, STEP, sites=str(sites))
    assert ds.coverage_fraction.dims == ("site", "provider")
    assert list(ds.site.values) == ["kyiv", "north"]
    assert np.isnan(ds.area_km2).all()
    assert_equals_cli(ds, text)


def test_bad_arguments(catalogs):
    ir = catalogs["iridium"]
    with pytest.raises(TypeError):
        skyfence.coverage(ir, START, STOP, 300)
    with pytest.raises(skyfence.InputError) as info:
        skyfence.coverage(ir, START, STOP, STEP, level=11)
    assert info.value.file == "level"
    with pytest.raises(skyfence.InputError) as info:
        skyfence.coverage({"any": ir}, START, STOP, STEP, level=1)
    assert info.value.file == "providers"
    with pytest.raises(skyfence.InputError):
        skyfence.coverage(ir, START, STOP, STEP, region="Atlantis")
    with pytest.raises(skyfence.InputError):
        skyfence.coverage(ir, STOP, START, STEP, level=1)
    with pytest.raises(skyfence.InputError) as info:
        skyfence.coverage(ir, START, STOP, STEP, level=1, min_sats=0)
    assert info.value.file == "min_sats"


def test_moving_terminals_are_refused(catalogs, tmp_path):
    # coverage() computes at rest; a trajectories file where a terminal moves is for `skyfence coverage`.
    tracks = tmp_path / "tracks.csv"
    tracks.write_text("id,time_utc,lat_deg,lon_deg\nbus,2026-04-27T00:00:00Z,50.0,30.0\n"
                      "bus,2026-04-27T01:00:00Z,50.5,31.0\n")
    with pytest.raises(skyfence.InputError) as info:
        skyfence.coverage(catalogs["iridium"], START, STOP, STEP, sites=str(tracks))
    assert info.value.file == str(tracks) and "moving terminals" in info.value.detail
