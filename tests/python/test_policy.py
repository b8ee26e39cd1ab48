"""skyfence.load_policy and Policy.decide/permits: the decisions of `skyfence check`, over arrays."""

import os

import numpy as np
import pandas as pd
import pytest

import skyfence
from conftest import REPO, read_csv_text, run_cli

POLICY = os.path.join(REPO, "data", "policies", "starlink.toml")
BAD_POLICY = os.path.join(REPO, "tests", "data", "policy", "bad_many.toml")
TERMINALS = """id,lat_deg,lon_deg,customer,group
T1,50.45,30.52,civil,
T2,55.75,37.62,civil,
T3,49.99,36.23,military,
T4,52.23,21.01,military,authorised
T5,41.9,12.5,government,trial
T6,1.33,172.98,civil,
T7,0.5,-179.5,civil,
T8,-89.9,0.0,,
T9,39.0,125.75,government,
"""


@pytest.fixture(scope="module")
def policy():
    return skyfence.load_policy(POLICY)


def test_load_policy(policy):
    assert policy.provider == "starlink"
    assert len(policy.sha256) == 64
    ids = [r["id"] for r in policy.rules]
    assert "civil-worldwide" in ids and "no-licence" in ids
    assert all(r["effect"] in ("permit", "forbid") and r["line"] > 0 for r in policy.rules)


@pytest.mark.parametrize("when", ["2026-04-27T12:00:00", "2026-04-27T23:30:00"])
def test_decide_equals_the_cli(cli, policy, tmp_path, when):
    path = tmp_path / "terminals.csv"
    path.write_text(TERMINALS)
    ref = read_csv_text(run_cli(cli, "check", "--policy", POLICY, "--terminals", str(path), "--time", when + "Z"))
    t = pd.read_csv(path, dtype={"customer": str, "group": str}, keep_default_na=False, float_precision="round_trip")
    got = policy.decide(t.lat_deg.to_numpy(), t.lon_deg.to_numpy(), np.datetime64(when),
                        customer=t.customer.tolist(), terminal_id=t.id.tolist(), group=t.group.tolist())
    assert got.permit.dtype == bool
    # The CLI also writes each terminal's time, position, speed and roaming days after these columns.
    pd.testing.assert_frame_equal(got.drop(columns="permit"), ref[list(got.columns.drop("permit"))])
    assert (ref.time_utc == when + ".000Z").all() and (ref.speed_kmh.astype(float) == 0).all()
    assert (got.permit == (ref.decision == "permit")).all()
    assert got.permit.any() and not got.permit.all()
    permits = policy.permits(t.lat_deg.to_numpy(), t.lon_deg.to_numpy(), np.datetime64(when),
                             customer=t.customer.tolist(), terminal_id=t.id.tolist(), group=t.group.tolist())
    assert np.array_equal(permits, got.permit.to_numpy())


def test_permits_broadcasts_over_a_grid(policy):
    lat = np.linspace(-60, 70, 27)[:, None]
    lon = np.linspace(-180, 180, 73)[None, :]
    when = np.datetime64("2026-04-27T12:00")
    grid = policy.permits(lat, lon, when, customer="civil")
    assert grid.shape == (27, 73) and grid.dtype == bool
    assert grid.any() and not grid.all()
    # The same as one request at a time, and for any thread count.
    one = [policy.permits(a, o, when, customer="civil")
           for a, o in zip(*[x.ravel() for x in np.broadcast_arrays(lat, lon)])]
    assert np.array_equal(grid.ravel(), np.array(one))
    assert np.array_equal(grid, policy.permits(lat, lon, when, customer="civil", threads=1))
    assert policy.permits(55.75, 37.62, when, customer="civil").shape == ()
    # Times vary per request too: the nightly maintenance rule over the Pacific.
    times = np.datetime64("2026-04-27T00:00") + np.arange(24).astype("timedelta64[h]")
    night = policy.permits(0.0, 179.0, times, customer="civil")
    assert night.shape == (24,) and not night[[22, 23, 0, 1]].any() and night[[3, 12, 21]].all()


def test_invalid_policy_lists_every_problem():
    with pytest.raises(skyfence.InputError) as info:
        skyfence.load_policy(BAD_POLICY)
    err = info.value
    assert isinstance(err, ValueError)
    assert len(err.issues) > 1
    for issue in err.issues:
        assert isinstance(issue, skyfence.InputError)
        assert issue.file == BAD_POLICY and issue.line > 0


def test_bad_requests(policy):
    when = np.datetime64("2026-04-27T12:00")
    with pytest.raises(skyfence.InputError) as info:
        policy.permits([10.0, 95.0], [0.0, 0.0], when)
    assert info.value.file == "lat_deg[1]" and info.value.field == "latitude"
    with pytest.raises(ValueError):
        policy.decide([10.0, 20.0], [0.0, 0.0], when, customer=["civil", "civil", "civil"])
    with pytest.raises(TypeError):
        policy.permits(10.0, 0.0, 1700000000)
