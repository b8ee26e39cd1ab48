"""skyfence.locate: the consistent cells of `skyfence locate` as a DataFrame, its summary in attrs."""

import json

import numpy as np
import pandas as pd
import pytest

import skyfence
from conftest import REPO, read_csv_text, run_cli

EXAMPLE = f"{REPO}/data/observations/example.csv"


@pytest.fixture(scope="module")
def starlink():
    return skyfence.load_catalog("starlink")


@pytest.fixture()
def observations(tmp_path):
    """The example's first five minutes: 20 observations of each of its two terminals."""
    lines = open(EXAMPLE).read().splitlines()
    path = tmp_path / "obs.csv"
    path.write_text("\n".join(lines[:41]) + "\n")
    return str(path)


def assert_equals_cli(df, csv_text):
    ref = read_csv_text(csv_text).to_dict("list")
    assert list(ref) == ["terminal_id", "cell_id", "lat_deg", "lon_deg", "area_km2"]
    assert list(df.columns) == list(ref) + ["misses"]
    assert ref["terminal_id"] == list(df.terminal_id) and ref["cell_id"] == list(df.cell_id)
    assert ref["lat_deg"] == [f"{x:.6f}" for x in df.lat_deg]
    assert ref["lon_deg"] == [f"{x:.6f}" for x in df.lon_deg]
    assert ref["area_km2"] == [f"{x:.4f}" for x in df.area_km2]


def test_top_k_equals_the_cli(cli, starlink, observations, tmp_path):
    summary = tmp_path / "where.json"
    text = run_cli(cli, "locate", "--observations", observations, "--catalog", "starlink", "--prior", "Ukraine",
                   "--rule", "top-k", "--level", "10", "--max-outliers", "1", "--region", "Ukraine",
                   "--summary", str(summary))
    df = skyfence.locate(starlink, observations, rule="top-k", level=10, max_outliers=1, prior="Ukraine",
                         region="Ukraine", threads=1)
    assert_equals_cli(df, text)
    assert set(df.terminal_id) == {"T-KHARKIV", "T-ODESA"} and (df.misses <= 1).all()
    want = json.load(open(summary))
    got = df.attrs["summary"]
    assert set(got.columns) == set(want[0])
    for row, ref in zip(got.to_dict("records"), want):
        assert row == ref
    # The same observations as a DataFrame, and on two threads: the same cells.
    table = pd.read_csv(observations)
    table["time_utc"] = pd.to_datetime(table.time_utc).dt.tz_localize(None)
    two = skyfence.locate(starlink, table, rule="top-k", level=10, max_outliers=1, prior="Ukraine",
                          region="Ukraine", threads=2)
    pd.testing.assert_frame_equal(df, two)
    pd.testing.assert_frame_equal(df.attrs["summary"], two.attrs["summary"])


def test_arrays_and_unused_observations(observations):
    oneweb = skyfence.load_catalog("oneweb")
    table = pd.read_csv(observations)
    obs = {"time_utc": pd.to_datetime(table.time_utc).dt.tz_localize(None).to_numpy(),
           "norad_id": table.norad_id.to_numpy()}
    with pytest.warns(skyfence.SkyfenceWarning) as caught:
        df = skyfence.locate(oneweb, obs, level=3)
    said = [str(w.message) for w in caught]
    assert "observations:2: observation of NORAD 49421 at 2026-04-27T12:00:00Z not used: satellite not in " \
           "the catalog" in said
    assert "terminal terminal: 20 more observation(s) not used (the summary's `unused` lists them all)" in said
    assert "terminal terminal: no usable observation; every cell of the prior is kept" in said
    assert len(df) == 6 * 4**3 and set(df.terminal_id) == {"terminal"}
    summary = df.attrs["summary"].iloc[0]
    assert summary.observations == 40 and summary.observations_used == 0 and len(summary.unused) == 40


def test_bad_input(starlink, tmp_path):
    bad = tmp_path / "bad.csv"
    bad.write_text("time_utc,norad_id\n2026-04-27T12:00:00Z,1\n2026-04-27T12:00:15Z,x\n")
    with pytest.raises(skyfence.InputError) as info:
        skyfence.locate(starlink, str(bad))
    issue = info.value.issues[0]  # the file is checked whole: every bad row is an issue
    assert (issue.file, issue.line, issue.field) == (str(bad), 3, "norad_id")
    with pytest.raises(skyfence.InputError) as info:
        skyfence.locate(starlink, {"time_utc": np.array(["2026-04-27T12:00"], dtype="datetime64[s]"),
                                   "norad_id": np.array([0])})
    issue = info.value.issues[0]
    assert (issue.file, issue.line, issue.field) == ("observations", 2, "norad_id")
    with pytest.raises(skyfence.InputError) as info:
        skyfence.locate(starlink, EXAMPLE, rule="nearest")
    assert info.value.file == "rule"
    with pytest.raises(skyfence.InputError) as info:
        skyfence.locate(starlink, EXAMPLE, rule="top-k", k=0)
    assert info.value.file == "k"
    with pytest.raises(skyfence.InputError) as info:
        skyfence.locate(starlink, EXAMPLE, level=21)
    assert info.value.file == "level"
    with pytest.raises(skyfence.InputError) as info:
        skyfence.locate(starlink, EXAMPLE, prior="Atlantis")
    with pytest.raises(TypeError):
        skyfence.locate(starlink, {"time_utc": [1.0], "norad_id": [1]})
