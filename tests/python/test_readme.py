"""The README's Python examples run as written, from the repository (as their first lines say)."""

import os
import re
import shlex
import subprocess
import sys

from conftest import REPO


def python_blocks(markdown):
    return re.findall(r"^```python\n(.*?)^```", markdown, flags=re.S | re.M)


def test_readme_python_example_runs():
    with open(os.path.join(REPO, "README.md")) as f:
        blocks = python_blocks(f.read())
    assert blocks, "the README has a Python example"
    for code in blocks:
        done = subprocess.run([sys.executable, "-c", code], cwd=REPO, capture_output=True, text=True)
        assert done.returncode == 0, f"README example failed:\n{code}\n{done.stderr}"
        assert "satellites, altitude" in done.stdout
        assert "permit" in done.stdout and "deny" in done.stdout


def test_docs_python_examples_run():
    # docs/python.md's examples, one after another in one namespace (later ones use `cat`).
    with open(os.path.join(REPO, "docs", "python.md")) as f:
        blocks = python_blocks(f.read())
    assert len(blocks) >= 4
    code = "import numpy as np\nimport skyfence\n" + "\n".join(blocks)
    done = subprocess.run([sys.executable, "-c", code], cwd=REPO, capture_output=True, text=True)
    assert done.returncode == 0, f"docs/python.md examples failed:\n{done.stderr}"


def test_readme_distributed_example_writes_the_clis_csv(cli, tmp_path):
    # The README's `python3 -m skyfence.distributed` command as written (a local cluster), its output
    # moved to a scratch folder, against `skyfence coverage` with the same options.
    with open(os.path.join(REPO, "README.md")) as f:
        blocks = re.findall(r"^```sh\n(.*?)^```", f.read(), flags=re.S | re.M)
    commands = [" ".join(line.strip() for line in b.replace("\\\n", " ").splitlines() if not line.startswith("#"))
                for b in blocks if "-m skyfence.distributed" in b]
    assert len(commands) == 1, commands
    words = shlex.split(commands[0])
    assert words[:4] == ["PYTHONPATH=build/python", "/usr/bin/python3", "-m", "skyfence.distributed"]
    args = words[4:]
    out = args.index("-o")
    assert args[out + 1].endswith(".csv")
    options = args[1:out] + args[out + 2:]
    ref, dist = tmp_path / "ref.csv", tmp_path / "dist.csv"
    subprocess.run([cli, "coverage", *options, "-o", str(ref), "--quiet"], check=True, timeout=120)
    done = subprocess.run([sys.executable, "-m", "skyfence.distributed", *args[:out], "-o", str(dist),
                           *args[out + 2:]], cwd=REPO, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    assert dist.read_bytes() == ref.read_bytes()
    assert len(ref.read_text().splitlines()) == 1 + 2 * 24576  # a row per cell for oneweb and for "any"
