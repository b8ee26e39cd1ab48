"""skyfence.distributed: coverage split into Dask tasks on a real cluster (a dask-scheduler and two
dask-worker processes on localhost, started here and always stopped) equals the single-process
coverage, for any split; a worker killed mid-run changes nothing; nothing is half-written."""

import contextlib
import csv
import os
import pathlib
import shutil
import signal
import socket
import sqlite3
import subprocess
import sys
import tempfile
import time
import warnings

import numpy as np
import pytest
import xarray as xr

import skyfence
from skyfence import distributed as sd
from conftest import REPO

START, STOP = np.datetime64("2026-04-27T00:00"), np.datetime64("2026-04-27T02:00")
STEP = np.timedelta64(5, "m")
CLI_WINDOW = ["--start", "2026-04-27T00:00:00Z", "--stop", "2026-04-27T02:00:00Z", "--step", "5m"]
# Everything here is bounded: a process that does not answer within this is killed and the test fails.
TIMEOUT_S = 60


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_for_workers(address, n):
    from distributed import Client

    with Client(address, timeout=TIMEOUT_S) as c:
        c.wait_for_workers(n, timeout=TIMEOUT_S)


def start(args, log):
    # Own process group: stopping it stops every process it started.
    return subprocess.Popen(args, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)


def stop(proc):
    if proc.poll() is None:
        os.killpg(proc.pid, signal.SIGTERM)
        try:
            proc.wait(10)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait(10)


@pytest.fixture(scope="module")
def cluster():
    """A dask-scheduler and two dask-worker processes (one task at a time each, no nanny: a killed
    worker stays dead) on free localhost ports; yields (address, [worker processes])."""
    port = free_port()
    address = f"tcp://127.0.0.1:{port}"
    tmp = tempfile.mkdtemp(prefix="skyfence-dask-")
    log = open(os.path.join(tmp, "cluster.log"), "w")
    procs = []
    try:
        procs.append(start(["/usr/bin/dask-scheduler", "--host", "127.0.0.1", "--port", str(port),
                            "--no-dashboard", "--idle-timeout", "600"], log))
        workers = [start(["/usr/bin/dask-worker", address, "--nthreads", "1", "--no-nanny", "--no-dashboard",
                          "--name", f"w{k}", "--local-directory", tmp, "--death-timeout", "60",
                          "--memory-limit", "2GB"], log) for k in range(2)]
        procs += workers
        wait_for_workers(address, 2)
        yield address, workers
    finally:
        for p in reversed(procs):
            stop(p)
        log.close()
        shutil.rmtree(tmp, ignore_errors=True)


@pytest.fixture(scope="module")
def client(cluster):
    from distributed import Client

    with Client(cluster[0], timeout=TIMEOUT_S) as c:
        yield c


PROVIDERS = {"iridium": "iridium", "oneweb": "oneweb"}


@pytest.fixture(scope="module")
def single():
    cats = {"iridium": skyfence.load_catalog("iridium"), "oneweb": skyfence.load_catalog("oneweb")}
    with pytest.warns(skyfence.SkyfenceWarning):
        return skyfence.coverage(cats, START, STOP, STEP, level=3, min_elevation_deg=20, min_sats=2)


def test_split_covers_every_point_and_step_once():
    for points, steps in ((384, 24), (1, 1), (6 << 20, 1440), (7, 5)):
        for shards in (1, 2, 3, 4, 7):
            for chunks in (1, 2, 5, 24):
                sp = sd.Split(points, steps, shards, chunks)
                covered = [sp.shard(s) for s in range(sp.shards)]
                ends = [min(points, f + n) for f, n in covered]
                assert [f for f, _ in covered] == [0] + ends[:-1] and ends[-1] == points
                got = [sp.chunk(c) for c in range(sp.chunks)]
                assert got[0][0] == 0 and all(n >= 1 for _, n in got)
                assert [f + n for f, n in got][:-1] == [f for f, _ in got][1:] and sum(n for _, n in got) == steps
    # The default plan: shards bounded by the points per shard, chunks of at least MIN_CHUNK_STEPS steps.
    p = sd.plan_coverage(6 << 20, 1440, workers=2)
    assert p.shard_points <= sd.DEFAULT_SHARD_POINTS and p.chunk_steps >= sd.MIN_CHUNK_STEPS
    assert sd.plan_coverage(384, 10, workers=8).chunks == 1  # too few steps to cut
    # A year at level 11 on 1,024 threads: 2 to 8 tasks a thread, the last round (nearly) full.
    p = sd.plan_coverage(4 * (6 << 20), 525600, workers=1024)
    tasks = p.shards * p.chunks
    assert 2 * 1024 <= tasks <= 8 * 1024 and -tasks % 1024 < 1024 // 100
    with pytest.raises(ValueError):
        sd.plan_coverage(384, 24, workers=2, shards=0)


@pytest.mark.parametrize("shards", [1, 2, 4])
def test_any_split_equals_the_single_process_coverage(client, single, shards):
    for chunks in (1, 3, 24):  # 24: every step its own task, every gap crosses chunk boundaries
        ds = sd.coverage(PROVIDERS, START, STOP, STEP, level=3, min_elevation_deg=20, min_sats=2, client=client,
                         shards=shards, chunks=chunks)
        xr.testing.assert_identical(ds, single)
    # Not vacuous: gaps longer than a step (crossing the 1-step chunks' boundaries), cells never served.
    assert single.max_gap_s.max() >= 6 * 300 and (single.gap_count > 1).any()
    assert (single.coverage_fraction.sel(provider="iridium") < 1).any()


def test_region_shards_equal_the_single_process_coverage(client):
    cat = skyfence.load_catalog("iridium")
    one = skyfence.coverage({"iridium": cat}, START, STOP, STEP, region="MDA", level=8, min_sats=1)
    ds = sd.coverage({"iridium": "iridium"}, START, STOP, STEP, region="MDA", level=8, min_sats=1, client=client,
                     shards=3, chunks=4)
    xr.testing.assert_identical(ds, one)
    assert ds.sizes["cell"] > 12


def run_module(*args):
    """`python3 -m skyfence.distributed ARGS` in a process of its own (which must succeed)."""
    done = subprocess.run([sys.executable, "-m", "skyfence.distributed", *args], capture_output=True, text=True,
                          timeout=TIMEOUT_S, check=False)
    assert done.returncode == 0, done.stderr
    return done


def run_main(*args):
    """The same command in this process (no interpreter start: quicker); returns its exit status."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", skyfence.SkyfenceWarning)
        return sd.main(list(args))


def test_command_writes_the_clis_files_and_zarr(cli, cluster, single, tmp_path, capfd):
    common = ["--catalog", "iridium", "--catalog", "oneweb", "--level", "3", "--min-elevation", "20",
              "--min-sats", "2", *CLI_WINDOW, "--scheduler", cluster[0], "--quiet"]
    for ext in ("csv", "geojson"):
        subprocess.run([cli, "coverage", *common[:-3], "-o", str(tmp_path / f"ref.{ext}")], check=True,
                       timeout=TIMEOUT_S)
    run_module("coverage", *common, "-o", str(tmp_path / "dist.csv"), "--shards", "4", "--chunks", "5")
    assert run_main("coverage", *common, "-o", str(tmp_path / "dist.geojson"), "--shards", "3") == 0
    for ext in ("csv", "geojson"):
        assert (tmp_path / f"dist.{ext}").read_bytes() == (tmp_path / f"ref.{ext}").read_bytes(), ext
    # Standard output: CSV.
    capfd.readouterr()
    assert run_main("coverage", *common, "--chunks", "2") == 0
    assert capfd.readouterr().out == (tmp_path / "ref.csv").read_text()
    store = tmp_path / "cov.zarr"
    for shards in ("1", "2"):  # the second run replaces the first store
        assert run_main("coverage", *common, "-o", str(store), "--shards", shards) == 0
        with xr.open_zarr(store) as z:
            xr.testing.assert_equal(z.load(), single)
    assert sorted(os.listdir(tmp_path)) == ["cov.zarr", "dist.csv", "dist.geojson", "ref.csv", "ref.geojson"]


def test_bad_input_is_reported_before_any_task(cluster, tmp_path, capsys):
    assert run_main("coverage", "--catalog", "no-such-catalog", *CLI_WINDOW, "--scheduler", cluster[0],
                    "-o", str(tmp_path / "x.csv")) == 2
    assert "no-such-catalog" in capsys.readouterr().err
    assert run_main("coverage", "--catalog", "iridium", "--start", "2026-04-27T00:00:00Z", "--duration", "2x",
                    "--scheduler", cluster[0]) == 2
    assert "--duration" in capsys.readouterr().err
    assert run_main("coverage", "--catalog", "iridium", *CLI_WINDOW, "--scheduler", cluster[0],
                    "-o", str(tmp_path / "missing" / "x.csv")) == 2
    assert "not a writable folder" in capsys.readouterr().err
    assert run_main("coverage", "--catalog", "iridium", *CLI_WINDOW, "--scheduler", cluster[0], "--shards", "0",
                    "-o", str(tmp_path / "x.csv")) == 2
    assert "shards must be" in capsys.readouterr().err
    store = tmp_path / "not-a-store"
    store.mkdir()
    (store / "keep.txt").write_text("mine")
    assert run_main("coverage", "--catalog", "iridium", *CLI_WINDOW, "--level", "1", "-o", str(store),
                    "--format", "zarr", "--scheduler", cluster[0], "--quiet") == 2
    assert "not a Zarr store" in capsys.readouterr().err
    assert (store / "keep.txt").read_text() == "mine"
    assert sorted(os.listdir(tmp_path)) == ["not-a-store"]


# ------------------------------------------------------------------- coverage under a policy

# The policy tests/cli/coverage.sh uses too: iridium ("ir") may not serve military customers in Ukraine;
# oneweb ("ow") has no policy.
IR_POLICY = pathlib.Path(REPO, "tests", "data", "policy", "iridium_no_military_in_ukraine.toml").read_text()
POLICY_RUN = ["--catalog", "iridium", "--provider", "ir", "--catalog", "oneweb", "--provider", "ow",
              "--region", "UKR", "--level", "6", *CLI_WINDOW]


def csv_rows(path):
    with open(path, newline="") as f:
        return list(csv.DictReader(f))


def test_policy_any_split_equals_skyfence_coverage(cli, cluster, tmp_path):
    policy = tmp_path / "ir.toml"
    policy.write_text(IR_POLICY)
    for customer in ("military", "civil"):
        common = [*POLICY_RUN, "--policy", str(policy), "--customer", customer]
        ref = tmp_path / f"ref-{customer}.csv"
        subprocess.run([cli, "coverage", *common, "-o", str(ref), "--quiet"], check=True, timeout=TIMEOUT_S)
        for shards, chunks in ((1, 1), (2, 3), (4, 24)):
            out = tmp_path / f"dist-{customer}-{shards}.csv"
            assert run_main("coverage", *common, "-o", str(out), "--shards", str(shards), "--chunks", str(chunks),
                            "--scheduler", cluster[0], "--quiet") == 0
            assert out.read_bytes() == ref.read_bytes(), (customer, shards, chunks)
    # Not vacuous: the military are refused ir's service in Ukraine, which ir covers; ow serves them.
    mil = csv_rows(tmp_path / "ref-military.csv")
    ir = [r for r in mil if r["provider"] == "ir"]
    assert ir and all(r["served_fraction"] == "0.000000" for r in ir)
    assert any(float(r["coverage_fraction"]) > 0 for r in ir)
    assert all(r["served_fraction"] == r["coverage_fraction"] for r in mil if r["provider"] == "ow")
    civ = csv_rows(tmp_path / "ref-civil.csv")
    assert all(r["served_fraction"] == r["coverage_fraction"] for r in civ)
    # GeoJSON as the CLI writes it; the Dataset's served_fraction is the file's.
    common = [*POLICY_RUN, "--policy", str(policy), "--customer", "military"]
    subprocess.run([cli, "coverage", *common, "-o", str(tmp_path / "ref.geojson"), "--quiet"], check=True,
                   timeout=TIMEOUT_S)
    assert run_main("coverage", *common, "-o", str(tmp_path / "dist.geojson"), "--shards", "3", "--chunks", "2",
                    "--scheduler", cluster[0], "--quiet") == 0
    assert (tmp_path / "dist.geojson").read_bytes() == (tmp_path / "ref.geojson").read_bytes()


def test_policy_dataset_and_the_warning_said_once(client, tmp_path):
    policy = tmp_path / "ir.toml"
    policy.write_text(IR_POLICY)
    args = dict(region="UKR", level=6, client=client, policies=[str(policy)])
    with pytest.warns(skyfence.SkyfenceWarning) as said:
        ds = sd.coverage({"ir": "iridium", "ow": "oneweb"}, START, STOP, STEP, shards=4, chunks=2, **args)
    # No customer class: the warning counts every cell of the region, once, not once per shard.
    n = ds.sizes["cell"]
    about = [str(w.message) for w in said if "no customer class" in str(w.message)]
    assert about == [f"{policy}: evaluated for {n} of {n} cells with no customer class, so rules that name a "
                     "customer do not apply to them; give customer"], about
    assert (ds.served_fraction == ds.coverage_fraction).all()  # no customer: no rule names it
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", skyfence.SkyfenceWarning)
        mil = sd.coverage({"ir": "iridium", "ow": "oneweb"}, START, STOP, STEP, shards=2, customer="military",
                          **args)
        plain = sd.coverage({"ir": "iridium", "ow": "oneweb"}, START, STOP, STEP, region="UKR", level=6,
                            client=client)
    assert "served_fraction" not in plain
    xr.testing.assert_identical(mil.drop_vars("served_fraction"), plain)
    # The single process's Dataset, value for value, under the policy too.
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", skyfence.SkyfenceWarning)
        cats = {"ir": skyfence.load_catalog("iridium"), "ow": skyfence.load_catalog("oneweb")}
        one = skyfence.coverage(cats, START, STOP, STEP, region="UKR", level=6, policies=[str(policy)],
                                customer="military")
    xr.testing.assert_identical(mil, one)
    assert (mil.served_fraction.sel(provider="ir") == 0).all()
    assert (mil.served_fraction.sel(provider="ow") == mil.coverage_fraction.sel(provider="ow")).all()
    # steps served by any permitted provider: ow's alone where it reaches min_sats.
    assert (mil.served_fraction.sel(provider="any") == mil.coverage_fraction.sel(provider="ow")).all()


def test_policy_bad_input_before_any_task(cluster, tmp_path, capsys):
    bad = tmp_path / "bad.toml"
    bad.write_text('provider = "ir"\n[[rule]]\nid = "x"\neffect = "maybe"\n')
    out = str(tmp_path / "x.csv")
    common = ["--catalog", "iridium", "--provider", "ir", "--level", "2", *CLI_WINDOW, "--scheduler", cluster[0],
              "-o", out]
    assert run_main("coverage", *common, "--policy", str(bad)) == 2
    assert "bad.toml:4" in capsys.readouterr().err
    other = tmp_path / "other.toml"
    other.write_text(IR_POLICY.replace('"ir"', '"nobody"'))
    assert run_main("coverage", *common, "--policy", str(other)) == 2
    assert "none of the providers" in capsys.readouterr().err
    # The command's errors name its options, as skyfence coverage's do; the Python function's, its arguments.
    assert run_main("coverage", *common, "--customer", "civil") == 2
    assert "skyfence: error: --customer: needs --policy" in capsys.readouterr().err
    assert run_main("coverage", *common, "--min-sats", "0") == 2
    assert "skyfence: error: --min-sats: expected at least 1, got 0" in capsys.readouterr().err
    with pytest.raises(skyfence.InputError, match="customer: needs policies"):
        sd.coverage({"ir": "iridium"}, START, STOP, np.timedelta64(5, "m"), level=2, customer="civil")
    assert sorted(os.listdir(tmp_path)) == ["bad.toml", "other.toml"]


# Moving terminals under the example enforcement policy (tests/cli/enforcement.sh): a convoy, a boat, a
# fast drone, a whitelisted post and a terminal roaming since February, over 150 minutes at 1 minute:
# the policy's 5-minute enforcement delay spans several steps, so a chunk's first decisions depend on
# the steps before it.
MOVING = ["--catalog", "starlink", "--sites", os.path.join(REPO, "data", "terminals", "moving.csv"),
          "--policy", os.path.join(REPO, "data", "policies", "starlink-enforcement.toml"),
          "--start", "2026-04-27T10:00:00Z", "--duration", "150m", "--step", "1m"]


def test_moving_terminals_any_split_equals_skyfence_coverage(cli, cluster, tmp_path):
    for ext in ("csv", "geojson"):
        subprocess.run([cli, "coverage", *MOVING, "-o", str(tmp_path / f"ref.{ext}"), "--quiet"], check=True,
                       timeout=TIMEOUT_S)
    # 30 chunks of 5 steps: each starts the terminals' decisions (roaming days, the
    # enforcement delay) where the whole window's run has them at that step.
    for shards, chunks in ((1, 1), (2, 7), (4, 30)):
        out = tmp_path / f"dist-{shards}-{chunks}.csv"
        assert run_main("coverage", *MOVING, "-o", str(out), "--shards", str(shards), "--chunks", str(chunks),
                        "--scheduler", cluster[0], "--quiet") == 0
        assert out.read_bytes() == (tmp_path / "ref.csv").read_bytes(), (shards, chunks)
    assert run_main("coverage", *MOVING, "-o", str(tmp_path / "dist.geojson"), "--shards", "2", "--chunks", "3",
                    "--scheduler", cluster[0], "--quiet") == 0
    assert (tmp_path / "dist.geojson").read_bytes() == (tmp_path / "ref.geojson").read_bytes()
    # Without a policy: followed where they are, no served_fraction.
    plain = [a for a in MOVING if "enforcement" not in a and a != "--policy"]
    subprocess.run([cli, "coverage", *plain, "-o", str(tmp_path / "plain-ref.csv"), "--quiet"], check=True,
                   timeout=TIMEOUT_S)
    assert run_main("coverage", *plain, "-o", str(tmp_path / "plain.csv"), "--shards", "2", "--chunks", "3",
                    "--scheduler", cluster[0], "--quiet") == 0
    assert (tmp_path / "plain.csv").read_bytes() == (tmp_path / "plain-ref.csv").read_bytes()
    assert "served_fraction" not in (tmp_path / "plain.csv").read_text().splitlines()[0]
    # As `check` decides them (tests/cli/enforcement.sh): the convoy served 107 of the 150 minutes, the
    # exile past its roaming limit never, the whitelisted post always.
    served = {r["cell_id"]: r["served_fraction"] for r in csv_rows(tmp_path / "ref.csv") if r["provider"] == "starlink"}
    assert served["CONVOY-1"] == "0.713333" and served["EXILE-1"] == "0.000000" and served["POST-1"] == "1.000000"


# A roaming limit of 0.01 day (14.4 minutes) and a 5-minute delay: decisions that depend on the steps
# before them. ROAMER sits abroad with no roaming_since, so its roaming days count from the first step
# it is asked about; LEAVER drives out of Ukraine into Poland, roaming from the last step seen inside.
ROAMING_POLICY = """provider = "starlink"
[enforcement]
delay = "5m"
[[rule]]
id = "service"
effect = "permit"
[[rule]]
id = "roaming"
effect = "forbid"
roaming_days = 0.01
"""
ROAMING_TERMINALS = """id,name,time_utc,lat_deg,lon_deg,customer,activation_country
ROAMER,At rest abroad,2026-04-27T10:00:00Z,52.23,21.01,civil,UKR
LEAVER,Lviv to Krakow,2026-04-27T10:00:00Z,49.84,24.03,civil,UKR
LEAVER,,2026-04-27T11:30:00Z,50.06,19.94,,
HOME,At rest at home,2026-04-27T10:00:00Z,50.45,30.52,civil,UKR
"""


def test_decisions_along_the_series_are_replayed_in_every_chunk(cli, cluster, tmp_path):
    (tmp_path / "roaming.toml").write_text(ROAMING_POLICY)
    (tmp_path / "terminals.csv").write_text(ROAMING_TERMINALS)
    common = ["--catalog", "starlink", "--sites", str(tmp_path / "terminals.csv"), "--policy",
              str(tmp_path / "roaming.toml"), "--start", "2026-04-27T10:00:00Z", "--duration", "90m", "--step", "1m"]
    ref = tmp_path / "ref.csv"
    subprocess.run([cli, "coverage", *common, "-o", str(ref), "--quiet"], check=True, timeout=TIMEOUT_S)
    for shards, chunks in ((1, 1), (3, 4), (2, 90)):
        out = tmp_path / f"dist-{shards}-{chunks}.csv"
        assert run_main("coverage", *common, "-o", str(out), "--shards", str(shards), "--chunks", str(chunks),
                        "--scheduler", cluster[0], "--quiet") == 0
        assert out.read_bytes() == ref.read_bytes(), (shards, chunks)
    # Not vacuous: ROAMER's clock starts at the first step (10:00; the decision start() takes the delay
    # before it does not count), passes 0.01 day at 10:14:24, so the denial begins at 10:15 and takes
    # effect 5 minutes later: 20 of 90 steps served. A chunk that started its clock at its own first
    # step would serve it longer (without the replay, the 4-chunk split differs from the CLI).
    rows = {r["cell_id"]: r for r in csv_rows(ref) if r["provider"] == "starlink"}
    assert rows["ROAMER"]["coverage_fraction"] == "1.000000" and rows["ROAMER"]["served_fraction"] == "0.222222"
    assert 0 < float(rows["LEAVER"]["served_fraction"]) < 1 and rows["HOME"]["served_fraction"] == "1.000000"


# ------------------------------------------------------------------------------------------- run

PARTS = os.path.join(REPO, "tests", "data", "scenario", "parts.toml")


def parts_text():
    """The parts scenario's text with every file it names made absolute (for a copy elsewhere)."""
    here = os.path.dirname(PARTS)
    text = open(PARTS).read().replace('"../../../', f'"{REPO}/')
    for name in ("iridium.toml", "terminals_civil.csv", "terminals_military.csv"):
        text = text.replace(f'"{name}"', f'"{here}/{name}"')
    return text


def tables(folder):
    """Every table of a results folder's results.sqlite, as its rows in the store's order."""
    with contextlib.closing(sqlite3.connect(f"file:{folder / 'results.sqlite'}?mode=ro", uri=True)) as db:
        names = [r[0] for r in db.execute("select name from sqlite_master where type = 'table' order by name")]
        return {n: db.execute(f'select * from "{n}"').fetchall() for n in names}


def files(folder):
    """Every file of a results folder but the manifest, by its path inside the folder."""
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*"))
            if p.is_file() and p.name not in ("skyfence-results.json", "results.sqlite")}


@pytest.fixture(scope="module")
def parts_ref(cli, tmp_path_factory):
    """`skyfence run` of the parts scenario (every table filled): its folder, tables and created time."""
    out = tmp_path_factory.mktemp("run") / "ref"
    subprocess.run([cli, "run", PARTS, "-o", str(out), "--quiet"], check=True, timeout=TIMEOUT_S)
    ref = tables(out)
    return out, ref, ref["runs"][0][-1]


def test_run_any_split_equals_skyfence_run(client, cluster, parts_ref, tmp_path, capsys):
    ref_dir, ref, created = parts_ref
    assert len(ref["variants"]) == 4 and all(ref[t] for t in ("cell_stats", "reliance", "capacity", "passes",
                                                              "latency_summaries", "timeseries", "enforcement"))
    assert sd.plan_groups(4, 2) == [(0, 2), (2, 2)] and sd.plan_groups(4, 3) == [(0, 2), (2, 1), (3, 1)]
    assert sd.plan_groups(4) == [(0, 1), (1, 1), (2, 1), (3, 1)] and sd.plan_groups(2, 9) == [(0, 1), (1, 1)]
    for tasks in (1, 4):  # the time the run was made passed as the CLI's: every row of every table equal
        with pytest.warns(skyfence.SkyfenceWarning, match="oneweb"):
            done = sd.run(PARTS, tmp_path / f"t{tasks}", client=client, tasks=tasks, created=created)
        assert tables(tmp_path / f"t{tasks}") == ref, tasks
        assert files(tmp_path / f"t{tasks}") == files(ref_dir), tasks  # report.html, csv/, geojson/
        assert done.name == "parts" and len(done["reliance"]) == len(ref["reliance"])
    # The command (2 tasks), onto the folder of an earlier run (replaced): the same, but for the time the
    # run was made.
    out = tmp_path / "t1"
    capsys.readouterr()
    assert run_main("run", PARTS, "-o", str(out), "--tasks", "2", "--scheduler", cluster[0]) == 0
    err = capsys.readouterr().err
    assert "tasks done" in err and f"results in {out}/" in err
    got = tables(out)
    assert [r[:-1] for r in got.pop("runs")] == [r[:-1] for r in ref["runs"]]
    assert got == {k: v for k, v in ref.items() if k != "runs"}
    assert sorted(os.listdir(tmp_path)) == ["t1", "t4"]


def test_run_bad_input_and_foreign_folder_before_any_task(cluster, tmp_path, capsys, monkeypatch):
    started = []
    monkeypatch.setattr(sd, "_client", lambda args: started.append(args) or pytest.fail("a client was started"))
    out = str(tmp_path / "out")
    bad = os.path.join(REPO, "tests", "data", "scenario", "bad.toml")
    assert run_main("run", bad, "-o", out, "--scheduler", cluster[0]) == 2
    assert "bad.toml" in capsys.readouterr().err
    assert run_main("run", str(tmp_path / "none.toml"), "-o", out, "--scheduler", cluster[0]) == 2
    assert "none.toml" in capsys.readouterr().err
    # Inputs the scenario names, read before any task: a sites file with a latitude out of range.
    scenario = tmp_path / "s.toml"
    scenario.write_text(parts_text().replace(f'"{os.path.dirname(PARTS)}/terminals_civil.csv"', '"sites.csv"'))
    (tmp_path / "sites.csv").write_text("id,name,lat_deg,lon_deg\nC1,Chisinau,147.01,28.86\n")
    assert run_main("run", str(scenario), "-o", out, "--scheduler", cluster[0]) == 2
    assert "sites.csv" in capsys.readouterr().err
    assert run_main("run", PARTS, "-o", out, "--tasks", "0", "--scheduler", cluster[0]) == 2
    assert "tasks must be" in capsys.readouterr().err
    # A user's folder is never replaced: refused before anything runs, and left as it was.
    mine = tmp_path / "mine"
    mine.mkdir()
    (mine / "keep.txt").write_text("mine")
    assert run_main("run", PARTS, "-o", str(mine), "--scheduler", cluster[0]) == 2
    assert "not a skyfence results folder" in capsys.readouterr().err
    assert os.listdir(mine) == ["keep.txt"] and (mine / "keep.txt").read_text() == "mine"
    assert sorted(os.listdir(tmp_path)) == ["mine", "s.toml", "sites.csv"]
    assert started == []


@contextlib.contextmanager
def running(args):
    proc = subprocess.Popen([sys.executable, "-m", "skyfence.distributed", *args], stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True, start_new_session=True)
    try:
        yield proc
    finally:
        stop(proc)


def first_progress_line(proc):
    deadline, seen = time.monotonic() + TIMEOUT_S, []
    while time.monotonic() < deadline:
        line = proc.stderr.readline()
        if "tasks done" in line:
            return line
        seen.append(line)
        assert line, f"the run ended before any task did: {''.join(seen)}"
    pytest.fail("no task ended in time")


# A longer run: 1,536 cells, 120 steps, 4 shards x 120 chunks (480 tasks and 476 merges, seconds of
# scheduling), so that the kill lands well before the end.
HEAVY = ["--catalog", "iridium", "--catalog", "oneweb", "--level", "4", "--start", "2026-04-27T00:00:00Z",
         "--stop", "2026-04-27T02:00:00Z", "--step", "1m", "--min-sats", "2", "--shards", "4", "--chunks", "120"]
# A run never meant to end: level 7 (98,304 cells) over two days at 1-minute steps, in 4 x 24 tasks of
# about half a second each (a minute or more of work on two workers), so that the interrupt lands mid-run
# however slowly this process is scheduled. Few tasks: submitting thousands took this client tens of
# seconds on a busy machine before the first ended.
ENDLESS = ["--catalog", "iridium", "--catalog", "oneweb", "--level", "7", "--start", "2026-04-27T00:00:00Z",
           "--stop", "2026-04-29T00:00:00Z", "--step", "1m", "--min-sats", "2", "--shards", "4", "--chunks", "24"]


def busy_worker(address, name):
    """Waits until the worker called `name` runs a task; whether it did in time."""
    from distributed import Client

    with Client(address, timeout=TIMEOUT_S) as c:
        deadline = time.monotonic() + TIMEOUT_S
        while time.monotonic() < deadline:
            workers = c.scheduler_info()["workers"]
            mine = [a for a, w in workers.items() if w.get("name") == name]
            if mine and c.processing(mine).get(mine[0]):
                return True
            time.sleep(0.05)
    return False


def test_run_with_a_worker_killed_midway_equals_skyfence_run(cli, cluster, tmp_path):
    # A third worker joins and is killed while it runs one of the run's tasks: Dask reruns that task (and
    # any result it held) on the other two, and the folder is skyfence run's (but for its time).
    # Twelve hours (144 steps) rather than 30 minutes: tasks of seconds, so the kill lands mid-run.
    scratch = tempfile.mkdtemp(prefix="skyfence-dask-extra-")
    scenario = os.path.join(scratch, "long.toml")
    with open(scenario, "w") as f:
        f.write(parts_text().replace('duration = "30m"', 'duration = "12h"'))
    subprocess.run([cli, "run", scenario, "-o", os.path.join(scratch, "ref"), "--quiet"], check=True,
                   timeout=TIMEOUT_S)
    ref = tables(pathlib.Path(scratch) / "ref")
    log = open(os.path.join(scratch, "worker.log"), "w")
    extra = start(["/usr/bin/dask-worker", cluster[0], "--nthreads", "1", "--no-nanny", "--no-dashboard",
                   "--name", "extra", "--local-directory", scratch, "--death-timeout", "60",
                   "--memory-limit", "2GB"], log)
    out = tmp_path / "out"
    try:
        wait_for_workers(cluster[0], 3)
        with running(["run", scenario, "-o", str(out), "--scheduler", cluster[0]]) as proc:
            assert busy_worker(cluster[0], "extra")
            assert proc.poll() is None and not out.exists()  # mid-run
            os.killpg(extra.pid, signal.SIGKILL)
            assert extra.wait(TIMEOUT_S) == -signal.SIGKILL
            _, err = proc.communicate(timeout=TIMEOUT_S)
            assert proc.returncode == 0, err
    finally:
        stop(extra)
        log.close()
        shutil.rmtree(scratch, ignore_errors=True)
    got = tables(out)
    assert [r[:-1] for r in got.pop("runs")] == [r[:-1] for r in ref["runs"]]
    assert got == {k: v for k, v in ref.items() if k != "runs"}
    assert os.listdir(tmp_path) == ["out"]


def test_interrupted_scenario_run_writes_nothing(cluster, tmp_path):
    scenario = tmp_path / "long.toml"
    scenario.write_text(parts_text().replace('duration = "30m"', 'duration = "12h"'))
    with running(["run", str(scenario), "-o", str(tmp_path / "out"), "--scheduler", cluster[0]]) as proc:
        first_progress_line(proc)
        proc.send_signal(signal.SIGINT)
        _, err = proc.communicate(timeout=TIMEOUT_S)
        assert proc.returncode == 130, err
        assert "interrupted; nothing was written" in err
    assert os.listdir(tmp_path) == ["long.toml"]  # no folder, no staging folder beside it


def test_interrupted_run_writes_nothing(cluster, tmp_path):
    out = tmp_path / "cov.csv"
    with running(["coverage", *ENDLESS, "-o", str(out), "--scheduler", cluster[0]]) as proc:
        first_progress_line(proc)
        proc.send_signal(signal.SIGINT)
        # communicate, not wait: the pipes are read while it leaves (a full pipe would block its writes).
        _, err = proc.communicate(timeout=TIMEOUT_S)
        assert proc.returncode == 130, err
        assert "interrupted; nothing was written" in err
    assert os.listdir(tmp_path) == []


def test_killed_worker_changes_nothing(cli, cluster, tmp_path):
    # Last in this file: it leaves the cluster one worker.
    ref = tmp_path / "ref.csv"
    subprocess.run([cli, "coverage", *HEAVY[:-4], "-o", str(ref), "--quiet"], check=True, timeout=TIMEOUT_S)
    out = tmp_path / "dist.csv"
    victim = cluster[1][0]
    with running(["coverage", *HEAVY, "-o", str(out), "--scheduler", cluster[0]]) as proc:
        first_progress_line(proc)
        assert proc.poll() is None and not out.exists()  # mid-run
        os.killpg(victim.pid, signal.SIGKILL)
        assert victim.wait(TIMEOUT_S) == -signal.SIGKILL
        _, err = proc.communicate(timeout=TIMEOUT_S)
        assert proc.returncode == 0, err
    assert out.read_bytes() == ref.read_bytes()
    assert sorted(os.listdir(tmp_path)) == ["dist.csv", "ref.csv"]
