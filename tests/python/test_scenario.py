"""skyfence.run_scenario: the results folder of `skyfence run`, its tables read back as DataFrames."""

import os
import subprocess

import pandas as pd
import pytest

import skyfence
from conftest import REPO

SMALL = os.path.join(REPO, "tests", "data", "scenario", "small.toml")
BAD = os.path.join(REPO, "tests", "data", "scenario", "bad.toml")


def tables_equal(a, b):
    """Every table of two results folders equal, but when each run was made."""
    assert a.tables == b.tables
    for name in a.tables:
        ta, tb = a[name], b[name]
        if name == "runs":
            ta, tb = ta.drop(columns="created_utc"), tb.drop(columns="created_utc")
        pd.testing.assert_frame_equal(ta, tb, check_exact=True, obj=name)


@pytest.fixture(scope="module")
def cli_results(cli, tmp_path_factory):
    out = tmp_path_factory.mktemp("cli") / "res"
    subprocess.run([cli, "run", SMALL, "-o", str(out), "-q"], check=True, capture_output=True)
    return skyfence.Results(out)


def test_run_equals_the_cli(cli_results, tmp_path):
    with pytest.warns(skyfence.SkyfenceWarning, match="oneweb"):
        got = skyfence.run_scenario(SMALL, tmp_path / "res")
    assert got.name == "small"
    assert got.path == str(tmp_path / "res")
    assert os.path.isfile(got.report_html)
    assert {"runs", "providers", "variants", "cells", "cell_stats", "terminals", "reliance"} <= set(got.tables)
    cells = got["cell_stats"]
    assert len(cells) > 0 and set(cells.variant) >= {"baseline"}
    tables_equal(got, cli_results)


def test_thread_count_does_not_change_results(tmp_path):
    with pytest.warns(skyfence.SkyfenceWarning):
        one = skyfence.run_scenario(SMALL, tmp_path / "one", threads=1)
        two = skyfence.run_scenario(SMALL, tmp_path / "two", threads=2)
    tables_equal(one, two)


def test_refuses_a_folder_it_did_not_write(tmp_path):
    mine = tmp_path / "mydocs"
    mine.mkdir()
    (mine / "notes.txt").write_text("keep me")
    with pytest.raises(skyfence.InputError) as info:
        skyfence.run_scenario(SMALL, mine)
    assert info.value.file == "output_dir"
    assert (mine / "notes.txt").read_text() == "keep me"


def test_bad_scenario_lists_every_problem(tmp_path):
    with pytest.raises(skyfence.InputError) as info:
        skyfence.run_scenario(BAD, tmp_path / "bad")
    assert len(info.value.issues) > 1
    assert all(i.file == BAD and i.line > 0 for i in info.value.issues)
    assert not (tmp_path / "bad").exists()


def test_results_of_a_folder_and_unknown_tables(cli_results, tmp_path):
    with pytest.raises(KeyError):
        cli_results["no_such_table"]
    with pytest.raises(FileNotFoundError):
        skyfence.Results(tmp_path)
