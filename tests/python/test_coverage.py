"""skyfence.coverage: the statistics of `skyfence coverage` as an xarray Dataset (cell x provider)."""

import os
import pathlib
import warnings

import numpy as np
import pytest
import xarray as xr

import skyfence
from conftest import REPO, read_csv_text, run_cli

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
    assert ("served_fraction" in rows) == ("served_fraction" in ds)
    if "served_fraction" in ds:
        assert rows["served_fraction"] == [f"{x:.6f}" for x in ds.served_fraction.values.ravel()]


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


# ------------------------------------------------------------------- under a policy

# The policy tests/cli/coverage.sh uses too: iridium ("ir") may not serve military customers in Ukraine;
# oneweb ("ow") has no policy.
IR_POLICY = pathlib.Path(REPO, "tests", "data", "policy", "iridium_no_military_in_ukraine.toml").read_text()
CLI_WINDOW = ["--start", "2026-04-27T00:00:00Z", "--stop", "2026-04-27T02:00:00Z", "--step", "5m"]
POLICY_RUN = ["--catalog", "iridium", "--provider", "ir", "--catalog", "oneweb", "--provider", "ow",
              "--region", "UKR", "--level", "6", *CLI_WINDOW]


def quietly(f, *args, **kwargs):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", skyfence.SkyfenceWarning)  # the oneweb snapshot's age
        return f(*args, **kwargs)


def test_policy_equals_the_cli(cli, catalogs, tmp_path):
    policy = tmp_path / "ir.toml"
    policy.write_text(IR_POLICY)
    provs = {"ir": catalogs["iridium"], "ow": catalogs["oneweb"]}
    plain = quietly(skyfence.coverage, provs, START, STOP, STEP, region="UKR", level=6)
    assert "served_fraction" not in plain
    for customer in ("military", "civil"):
        text = run_cli(cli, "coverage", *POLICY_RUN, "--policy", str(policy), "--customer", customer)
        ds = quietly(skyfence.coverage, provs, START, STOP, STEP, region="UKR", level=6, policies=policy,
                     customer=customer, threads=2)
        assert_equals_cli(ds, text)
        one = quietly(skyfence.coverage, provs, START, STOP, STEP, region="UKR", level=6, policies=[policy],
                      customer=customer, threads=1)
        xr.testing.assert_identical(ds, one)
        # The policy changes served_fraction only.
        xr.testing.assert_identical(ds.drop_vars("served_fraction"), plain)
        if customer == "military":  # not vacuous: ir covers Ukraine but may not serve them; ow serves them
            ir, ow = ds.sel(provider="ir"), ds.sel(provider="ow")
            assert (ir.coverage_fraction > 0).any() and (ir.served_fraction == 0).all()
            assert (ow.served_fraction == ow.coverage_fraction).all()
            assert (ds.served_fraction.sel(provider="any") == ow.coverage_fraction).all()
        else:
            assert (ds.served_fraction == ds.coverage_fraction).all()


def test_policy_without_customer_warns_once(catalogs, tmp_path):
    policy = tmp_path / "ir.toml"
    policy.write_text(IR_POLICY)
    with pytest.warns(skyfence.SkyfenceWarning) as said:
        ds = skyfence.coverage({"ir": catalogs["iridium"]}, START, STOP, STEP, region="UKR", level=6,
                               policies=policy)
    n = ds.sizes["cell"]
    about = [str(w.message) for w in said if "no customer class" in str(w.message)]
    assert about == [f"{policy}: evaluated for {n} of {n} cells with no customer class, so rules that name a "
                     "customer do not apply to them; give customer"], about
    assert (ds.served_fraction == ds.coverage_fraction).all()


# Moving terminals under the example enforcement policy (tests/cli/enforcement.sh): a convoy, a boat, a
# fast drone, a whitelisted post and a terminal roaming since February, decided step by step.
MOVING = os.path.join(REPO, "data", "terminals", "moving.csv")
ENFORCEMENT = os.path.join(REPO, "data", "policies", "starlink-enforcement.toml")
MOVING_WINDOW = ["--start", "2026-04-27T10:00:00Z", "--duration", "150m", "--step", "1m"]
MOVING_START = np.datetime64("2026-04-27T10:00")
MOVING_STOP = MOVING_START + np.timedelta64(150, "m")


@pytest.fixture(scope="module")
def starlink():
    return skyfence.load_catalog("starlink")


def test_moving_terminals_under_a_policy_equal_the_cli(cli, starlink):
    text = run_cli(cli, "coverage", "--catalog", "starlink", "--sites", MOVING, "--policy", ENFORCEMENT,
                   *MOVING_WINDOW)
    ds = skyfence.coverage(starlink, MOVING_START, MOVING_STOP, np.timedelta64(1, "m"), sites=MOVING,
                           policies=[ENFORCEMENT], threads=2)
    assert ds.coverage_fraction.dims == ("site", "provider")
    assert_equals_cli(ds, text)
    # As `check` decides them (tests/cli/enforcement.sh): the convoy served 107 of the 150 minutes, the
    # exile past its roaming limit never, the whitelisted post always.
    served = ds.served_fraction.sel(provider="starlink")
    assert served.sel(site="CONVOY-1") * 150 == 107
    assert served.sel(site="EXILE-1") == 0 and served.sel(site="POST-1") == 1
    # Without a policy: followed where they are, as the CLI follows them.
    text = run_cli(cli, "coverage", "--catalog", "starlink", "--sites", MOVING, *MOVING_WINDOW)
    plain = skyfence.coverage(starlink, MOVING_START, MOVING_STOP, np.timedelta64(1, "m"), sites=MOVING)
    assert_equals_cli(plain, text)
    xr.testing.assert_identical(ds.drop_vars("served_fraction"), plain)


def test_policy_bad_input(catalogs, tmp_path):
    ir = {"ir": catalogs["iridium"]}
    bad = tmp_path / "bad.toml"
    bad.write_text('provider = "ir"\n[[rule]]\nid = "x"\neffect = "maybe"\n')
    with pytest.raises(skyfence.InputError) as info:
        skyfence.coverage(ir, START, STOP, STEP, level=2, policies=bad)
    assert isinstance(info.value, ValueError)
    issue = info.value.issues[0]  # a policy file is checked whole: every problem is an issue
    assert (issue.file, issue.line, issue.field) == (str(bad), 4, "rule[0].effect")
    assert "expected \"permit\" or \"forbid\", found \"maybe\"" in issue.detail
    other = tmp_path / "other.toml"
    other.write_text(IR_POLICY.replace('"ir"', '"nobody"'))
    with pytest.raises(skyfence.InputError, match="none of the providers"):
        skyfence.coverage(ir, START, STOP, STEP, level=2, policies=[other])
    with pytest.raises(skyfence.InputError, match="needs policies"):
        skyfence.coverage(ir, START, STOP, STEP, level=2, customer="civil")
    with pytest.raises(skyfence.InputError) as info:
        skyfence.coverage(ir, START, STOP, STEP, level=2, policies=[tmp_path / "missing.toml"])
    assert info.value.file == str(tmp_path / "missing.toml")
    with pytest.raises(TypeError):
        skyfence.coverage(ir, START, STOP, STEP, level=2, policies=3)
