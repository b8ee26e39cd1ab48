"""skyfence.capacity: the demand met of `skyfence capacity` as a DataFrame, its summary in attrs."""

import os
import signal
import subprocess
import threading
import time

import numpy as np
import pandas as pd
import pytest

import skyfence
from conftest import REPO, read_csv_text, run_cli

START, STOP = np.datetime64("2026-04-27T00:00"), np.datetime64("2026-04-27T00:10")
STEP = np.timedelta64(2, "m")
WINDOW = ["--start", "2026-04-27T00:00:00Z", "--stop", "2026-04-27T00:10:00Z", "--step", "2m"]
COLUMNS = ["cell_id", "lat_deg", "lon_deg", "area_km2", "provider", "demand_mbps", "mean_mbps", "p5_mbps",
           "min_mbps", "demand_met_fraction", "full_service_fraction"]


@pytest.fixture(scope="module")
def catalogs():
    return {"oneweb": skyfence.load_catalog("oneweb"), "iridium": skyfence.load_catalog("iridium")}


@pytest.fixture()
def sites(tmp_path):
    path = tmp_path / "sites.csv"
    path.write_text("id,lat_deg,lon_deg,demand_mbps,providers\n"
                    "kyiv,50.45,30.52,200,oneweb;iridium\n"
                    "lviv,49.84,24.03,50,iridium\n"
                    "odesa,46.48,30.72,2000,\n")
    return str(path)


def assert_equals_cli(df, csv_text):
    """Every CLI row against the DataFrame, as the CLI prints the numbers."""
    ref = read_csv_text(csv_text).to_dict("list")
    assert list(df.columns) == COLUMNS == list(ref)
    assert len(df) == len(ref["cell_id"])
    assert ref["cell_id"] == list(df.cell_id) and ref["provider"] == list(df.provider)
    assert ref["lat_deg"] == [f"{x:.6f}" for x in df.lat_deg]
    assert ref["lon_deg"] == [f"{x:.6f}" for x in df.lon_deg]
    assert ref["area_km2"] == ["" if np.isnan(x) else f"{x:.3f}" for x in df.area_km2]
    assert [float(x) for x in ref["demand_mbps"]] == list(df.demand_mbps)  # printed in full
    for name in ("mean_mbps", "p5_mbps", "min_mbps"):
        assert ref[name] == [f"{x:.3f}" for x in df[name]], name
    for name in ("demand_met_fraction", "full_service_fraction"):
        assert ref[name] == [f"{x:.6f}" for x in df[name]], name


def test_sites_equal_the_cli_and_the_summary(cli, catalogs, sites):
    args = [cli, "capacity", "--catalog", "oneweb", "--catalog", "iridium", "--sites", sites, *WINDOW]
    done = subprocess.run(args, capture_output=True, text=True, check=True)
    with pytest.warns(skyfence.SkyfenceWarning, match="oneweb.*more than 14 days"):
        df = skyfence.capacity(catalogs, START, STOP, STEP, sites=sites)
    assert_equals_cli(df, done.stdout)
    assert list(df.provider[:3]) == ["oneweb", "iridium", "any"]
    assert df.attrs["steps"] == 5 and df.attrs["step_s"] == 120.0
    assert df.attrs["start_utc"] == "2026-04-27T00:00:00.000000000Z"
    summary = df.attrs["summary"]
    assert list(summary.index) == ["oneweb", "iridium"]
    # The figures the CLI prints in its summary on stderr, as it rounds them.
    for name, row in summary.iterrows():
        line = next(l for l in done.stderr.splitlines() if l.startswith(f"skyfence:   {name} ("))
        assert f"({row.status}, background load {100 * row.background_load:.0f}%)" in line
        assert f"offered {row.offered_gbps:.3f} Gbps, carried {row.carried_gbps:.3f} Gbps" in line
        assert f"satellites serving {row.satellites_serving:.1f} per step" in line
        assert f"utilisation {100 * row.satellite_utilisation:.1f}%" in line
    # "any" is the sum of the providers' rows; a site that lists only iridium gets nothing from oneweb.
    by = df.set_index(["cell_id", "provider"]).mean_mbps
    assert by["lviv", "oneweb"] == 0.0
    for site in ("kyiv", "lviv", "odesa"):
        assert by[site, "any"] == pytest.approx(by[site, "oneweb"] + by[site, "iridium"])


UPLINK_COLUMNS = ["demand_up_mbps", "mean_up_mbps", "p5_up_mbps", "min_up_mbps", "demand_up_met_fraction",
                  "full_service_up_fraction"]


def test_uplink_equals_the_cli(cli, catalogs, tmp_path):
    path = tmp_path / "sites_up.csv"
    path.write_text("id,lat_deg,lon_deg,demand_mbps,providers,demand_up_mbps\n"
                    "kyiv,50.45,30.52,200,oneweb;iridium,40\n"
                    "lviv,49.84,24.03,50,iridium,0.5\n"
                    "odesa,46.48,30.72,2000,,900\n")
    sites = str(path)
    done = subprocess.run([cli, "capacity", "--catalog", "oneweb", "--catalog", "iridium", "--sites", sites,
                           *WINDOW], capture_output=True, text=True, check=True)
    with pytest.warns(skyfence.SkyfenceWarning):
        df = skyfence.capacity(catalogs, START, STOP, STEP, sites=sites)
    ref = read_csv_text(done.stdout).to_dict("list")
    assert list(df.columns) == COLUMNS + UPLINK_COLUMNS == list(ref)
    assert [float(x) for x in ref["demand_up_mbps"]] == list(df.demand_up_mbps)
    for name in ("mean_up_mbps", "p5_up_mbps", "min_up_mbps"):
        assert ref[name] == [f"{x:.3f}" for x in df[name]], name
    for name in ("demand_up_met_fraction", "full_service_up_fraction"):
        assert ref[name] == [f"{x:.6f}" for x in df[name]], name
    # The downlink's columns are those of the run without uplink demand.
    with pytest.warns(skyfence.SkyfenceWarning):
        down = skyfence.capacity(catalogs, START, STOP, STEP, sites=_without_uplink(path))
    pd.testing.assert_frame_equal(df[COLUMNS], down)
    assert "summary_up" not in down.attrs
    summary = df.attrs["summary_up"]
    for name, row in summary.iterrows():
        line = next(l for l in done.stderr.splitlines() if l.startswith(f"skyfence:   {name} uplink:"))
        assert f"offered {row.offered_gbps:.3f} Gbps, carried {row.carried_gbps:.3f} Gbps" in line
    # Odesa's 900 Mbps is more than a OneWeb cell's uplink (2 beams x 120 MHz x <= 1.25 b/s/Hz).
    odesa = df.set_index(["cell_id", "provider"]).loc[("odesa", "oneweb")]
    assert 0 < odesa.mean_up_mbps <= 300 and odesa.full_service_up_fraction == 0


def _without_uplink(path):
    """The sites file without its demand_up_mbps column."""
    lines = path.read_text().splitlines()
    out = path.with_name("sites_down.csv")
    out.write_text("".join(",".join(l.split(",")[:-1]) + "\n" for l in lines))
    return str(out)


def test_uplink_needs_uplink_figures(catalogs, tmp_path):
    path = tmp_path / "sites_up.csv"
    path.write_text("id,lat_deg,lon_deg,demand_mbps,demand_up_mbps\nkyiv,50.45,30.52,200,40\n")
    model = tmp_path / "down_only.toml"
    model.write_text('name = "down-only"\ncell_level = 5\nmax_beams_per_cell = 2\nisl = true\n'
                     '[spectral_efficiency]\nelevation_deg = [10.0]\nbps_per_hz = [1.8]\n'
                     '[[satellite_class]]\nname = "all"\ncapacity_down_gbps = 7.2\nbeams = 16\n'
                     'beam_bandwidth_mhz = 250.0\n')
    with pytest.raises(skyfence.InputError) as info:
        skyfence.capacity([catalogs["iridium"]], START, STOP, STEP, sites=str(path), service_models=[str(model)])
    assert info.value.file == str(model) and "does not model the uplink" in str(info.value)


def test_region_cells_and_threads(cli, catalogs, tmp_path):
    ow = catalogs["oneweb"]
    text = run_cli(cli, "capacity", "--catalog", "oneweb", "--region", "MDA", "--level", "6",
                   "--demand-density", "0.01", *WINDOW)
    with pytest.warns(skyfence.SkyfenceWarning):
        one = skyfence.capacity(ow, START, STOP, STEP, region="MDA", level=6, demand_density=0.01, threads=1)
    with pytest.warns(skyfence.SkyfenceWarning):
        two = skyfence.capacity({"oneweb": ow}, START, STOP, STEP, region="MDA", level=6, demand_density=0.01,
                                threads=2)
    pd.testing.assert_frame_equal(one, two)
    pd.testing.assert_frame_equal(one.attrs["summary"], two.attrs["summary"])
    assert_equals_cli(one, text)
    assert (one.area_km2 > 0).all() and set(one.provider) == {"oneweb", "any"}
    # The output read back as a demand file asks for exactly the same demand.
    demand = tmp_path / "demand.csv"
    demand.write_text(text)
    with pytest.warns(skyfence.SkyfenceWarning):
        again = skyfence.capacity(ow, START, STOP, STEP, region="MDA", level=6, demand_file=demand)
    pd.testing.assert_frame_equal(one, again)


def test_policy_and_service_model(cli, catalogs, tmp_path):
    sites = tmp_path / "customers.csv"
    sites.write_text("id,lat_deg,lon_deg,demand_mbps,customer\n"
                     "kyiv,50.45,30.52,200,\nlviv,49.84,24.03,50,\nodesa,46.48,30.72,100,military\n")
    sites = str(sites)
    model = f"{REPO}/data/providers/oneweb.toml"
    policy = tmp_path / "oneweb.toml"  # civil customers everywhere but in Ukraine west of 28 E
    policy.write_text('provider = "oneweb"\n'
                      '[[rule]]\nid = "civil"\neffect = "permit"\ncustomers = ["civil"]\n'
                      '[[rule]]\nid = "west"\neffect = "forbid"\n'
                      'polygon = [[[20.0, 45.0], [28.0, 45.0], [28.0, 53.0], [20.0, 53.0], [20.0, 45.0]]]\n')
    policy = str(policy)
    text = run_cli(cli, "capacity", "--catalog", "oneweb", "--service-model", model, "--sites", sites,
                   "--min-elevation", "30", "--policy", policy, "--customer", "civil", *WINDOW)
    with pytest.warns(skyfence.SkyfenceWarning):
        df = skyfence.capacity([catalogs["oneweb"]], START, STOP, STEP, sites=sites, service_models=[model],
                               min_elevation_deg=[30], policies=policy, customer="civil")
    assert_equals_cli(df, text)
    assert (df[df.cell_id.isin(["lviv", "odesa"])].mean_mbps == 0).all()  # forbidden there, or to them


def test_bad_input(catalogs, sites, tmp_path):
    ir = catalogs["iridium"]
    with pytest.raises(skyfence.InputError) as info:
        skyfence.capacity(ir, START, STOP, STEP, sites=sites, service_models=["a.toml", "b.toml"])
    assert info.value.file == "service_models"
    with pytest.raises(skyfence.InputError) as info:
        skyfence.capacity(ir, START, STOP, STEP, sites=sites, min_elevation_deg=[20, 30])
    assert info.value.file == "min_elevation_deg"
    with pytest.raises(skyfence.InputError) as info:
        skyfence.capacity(ir, START, STOP, STEP, sites=sites, demand_density=1.0)
    assert info.value.file == "demand_density"
    with pytest.raises(skyfence.InputError) as info:
        skyfence.capacity(ir, START, STOP, STEP, region="MDA", level=6)
    assert info.value.file == "demand_density"
    with pytest.raises(skyfence.InputError) as info:
        skyfence.capacity(ir, START, STOP, STEP, level=11, demand_density=1.0)
    assert info.value.file == "level"
    with pytest.raises(skyfence.InputError) as info:
        skyfence.capacity({"mine": ir}, START, STOP, STEP, sites=sites)
    assert info.value.file == "service_models" and "no bundled service model for provider 'mine'" in str(info.value)
    bad = tmp_path / "bad.csv"
    bad.write_text("id,lat_deg,lon_deg,demand_mbps\na,50,30,12\nb,50,31,lots\n")
    with pytest.raises(skyfence.InputError) as info:
        skyfence.capacity(ir, START, STOP, STEP, sites=str(bad))
    assert info.value.file == str(bad) and "demand_mbps" in info.value.field
    demand = tmp_path / "demand.csv"
    demand.write_text("cell_id,demand_mbps\nzz,1\n")
    with pytest.raises(skyfence.InputError) as info:
        skyfence.capacity(ir, START, STOP, STEP, region="MDA", level=6, demand_file=demand)
    issue = info.value.issues[0]  # the file is checked whole: every problem is an issue
    assert (issue.file, issue.line, issue.field) == (str(demand), 2, "cell_id")
    with pytest.raises(TypeError):
        skyfence.capacity(ir, START, STOP, 120, sites=sites)


def test_ctrl_c_stops_the_computation(catalogs):
    # A day at 10 s over the whole Earth at level 4 (1,536 cells) on one thread takes minutes; SIGINT
    # after 0.3 s must end it with KeyboardInterrupt within a block of steps (32: about a second).
    timer = threading.Timer(0.3, os.kill, (os.getpid(), signal.SIGINT))
    began = time.monotonic()
    timer.start()
    try:
        with pytest.raises(KeyboardInterrupt):
            skyfence.capacity(catalogs["oneweb"], START, START + np.timedelta64(1, "D"), np.timedelta64(10, "s"),
                              level=4, demand_density=1e-6, threads=1)
    finally:
        timer.cancel()
    assert time.monotonic() - began < 20.0


def test_moving_terminal_equals_the_cli(cli, catalogs, tmp_path):
    tracks = tmp_path / "tracks.csv"
    tracks.write_text("id,time_utc,lat_deg,lon_deg,demand_mbps\n"
                      "bus,2026-04-27T00:00:00Z,50.0,30.0,5\nbus,2026-04-27T01:00:00Z,50.5,31.0,5\n")
    text = run_cli(cli, "capacity", "--catalog", "iridium", "--sites", str(tracks), *WINDOW)
    df = skyfence.capacity(catalogs["iridium"], START, STOP, STEP, sites=tracks)
    assert_equals_cli(df, text)
