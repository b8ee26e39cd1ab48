"""Shared fixtures of the Python package's tests (run by ctest as python.*, see tests/CMakeLists.txt).

ctest passes the CLI binary (SKYFENCE_CLI), the repository (SKYFENCE_REPO) and the build folder
(SKYFENCE_BUILD); PYTHONPATH points at build/python.
"""

import io
import os
import subprocess

import pandas as pd
import pytest

REPO = os.environ.get("SKYFENCE_REPO", os.path.abspath(os.path.join(os.path.dirname(__file__), "..", "..")))
STARLINK_TLE = os.path.join(REPO, "data", "tle", "starlink_2026-04-27.tle")


@pytest.fixture(scope="session")
def cli():
    path = os.environ.get("SKYFENCE_CLI", os.path.join(REPO, "build", "skyfence"))
    if not os.access(path, os.X_OK):
        pytest.fail(f"the skyfence CLI is not built at {path} (ctest passes SKYFENCE_CLI)")
    return path


def run_cli(cli, *args):
    """The CLI's standard output for `skyfence ARGS` (which must succeed), as text."""
    done = subprocess.run([cli, *args, "--quiet"], capture_output=True, text=True, check=False)
    assert done.returncode == 0, f"skyfence {' '.join(args)} failed: {done.stderr}"
    return done.stdout


def read_csv_text(text):
    """A CSV as strings, exactly as printed."""
    return pd.read_csv(io.StringIO(text), dtype=str, keep_default_na=False)
