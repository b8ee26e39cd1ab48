"""`cmake --install --component python` puts a working package into a prefix, with the bundled data beside
it: run from outside the checkout, the installed package reads PREFIX/share/skyfence/data, not the
checkout's data/ (whose path the build baked in)."""

import os
import subprocess
import sys

import pytest

import skyfence
from conftest import REPO

# What the installed package says, one line each: its file, its data folder, that folder given
# data_dir=, and the number of satellites of a bundled catalog and of a named selection of it.
PROBE = """import skyfence
print(skyfence.__file__)
print(skyfence.data_dir())
print(skyfence.data_dir("/elsewhere"))
print(len(skyfence.load_catalog("starlink")))
print(len(skyfence.load_catalog("iridium", satellites="IRIDIUM 1*")))
"""


@pytest.fixture(scope="module")
def installed(tmp_path_factory):
    build = os.environ.get("SKYFENCE_BUILD")
    if not build:
        pytest.fail("SKYFENCE_BUILD is not set (ctest sets it to the build folder)")
    cmake = os.environ.get("CMAKE_COMMAND", "cmake")
    prefix = tmp_path_factory.mktemp("install") / "prefix"
    subprocess.run([cmake, "--install", build, "--prefix", str(prefix), "--component", "python"],
                   check=True, capture_output=True)
    return prefix


def probe(prefix, cwd, **env_changes):
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "SKYFENCE_DATA")}
    env["PYTHONPATH"] = str(prefix / "lib" / "python3" / "dist-packages")
    env.update(env_changes)
    done = subprocess.run([sys.executable, "-c", PROBE], cwd=cwd, env=env, capture_output=True, text=True)
    return done


def test_install_into_a_prefix(installed, tmp_path):
    site = installed / "lib" / "python3" / "dist-packages"
    assert (site / "skyfence" / "__init__.py").is_file() and (site / "skyfence" / "distributed.py").is_file()
    assert any(p.name.startswith("_skyfence") and p.suffix == ".so" for p in (site / "skyfence").iterdir())
    data = installed / "share" / "skyfence" / "data"
    # Every file of the checkout's data/, installed unchanged.
    src = os.path.join(REPO, "data")
    for folder, _, names in os.walk(src):
        for name in names:
            rel = os.path.relpath(os.path.join(folder, name), src)
            with open(os.path.join(src, rel), "rb") as a, open(data / rel, "rb") as b:
                assert a.read() == b.read(), rel
    done = probe(installed, tmp_path)
    assert done.returncode == 0, done.stderr
    where, folder, given, starlink, iridium = done.stdout.split("\n")[:5]
    assert where.startswith(str(site))
    assert folder == str(data) and not folder.startswith(REPO)
    assert given == "/elsewhere"
    assert int(starlink) == len(skyfence.load_catalog("starlink")) and int(starlink) > 5000
    assert int(iridium) > 5


def test_installed_data_is_found_without_the_checkout(installed, tmp_path):
    # The checkout's data/ out of reach: a copy of the prefix, moved elsewhere, whose module's baked-in
    # data path (the checkout's) is overridden by nothing but its own installed data.
    moved = tmp_path / "moved"
    subprocess.run(["cp", "-a", str(installed), str(moved)], check=True)
    done = probe(moved, tmp_path)
    assert done.returncode == 0, done.stderr
    assert done.stdout.split("\n")[1] == str(moved / "share" / "skyfence" / "data")
    # Without the installed data the package falls back to the build's data/, as the built module does.
    subprocess.run(["rm", "-r", str(moved / "share")], check=True)
    done = probe(moved, tmp_path)
    assert done.returncode == 0, done.stderr
    assert done.stdout.split("\n")[1] == os.path.join(REPO, "data")


def test_skyfence_data_overrides_the_installed_data(installed, tmp_path):
    done = probe(installed, tmp_path, SKYFENCE_DATA=str(tmp_path / "nowhere"))
    # The bundled catalog is looked for there, and not found.
    assert done.returncode != 0
    assert "nowhere" in done.stderr and "InputError" in done.stderr, done.stderr
    assert done.stdout.split("\n")[1] == str(tmp_path / "nowhere")


def test_the_built_module_reads_the_checkout(monkeypatch):
    monkeypatch.delenv("SKYFENCE_DATA", raising=False)
    assert skyfence.data_dir() == os.path.join(REPO, "data")
