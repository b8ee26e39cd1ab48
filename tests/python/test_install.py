"""`cmake --install` puts a working package into a prefix, which finds the bundled data by itself."""

import os
import subprocess
import sys

import pytest


def test_install_into_a_prefix(tmp_path):
    build = os.environ.get("SKYFENCE_BUILD")
    if not build:
        pytest.fail("SKYFENCE_BUILD is not set (ctest sets it to the build folder)")
    cmake = os.environ.get("CMAKE_COMMAND", "cmake")
    prefix = tmp_path / "prefix"
    subprocess.run([cmake, "--install", build, "--prefix", str(prefix), "--component", "python"],
                   check=True, capture_output=True)
    site = prefix / "lib" / "python3" / "dist-packages"
    assert (site / "skyfence" / "__init__.py").is_file() and (site / "skyfence" / "distributed.py").is_file()
    assert any(p.name.startswith("_skyfence") and p.suffix == ".so" for p in (site / "skyfence").iterdir())
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "SKYFENCE_DATA")}
    env["PYTHONPATH"] = str(site)
    code = ("import skyfence; print(skyfence.__file__); "
            "print(len(skyfence.load_catalog('iridium', satellites='IRIDIUM 1*')))")
    done = subprocess.run([sys.executable, "-c", code], cwd=tmp_path, env=env, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    where, count = done.stdout.split()
    assert where.startswith(str(site))
    assert int(count) > 5
