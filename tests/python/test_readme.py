"""The README's Python example runs as written, from the repository (as its first line says)."""

import os
import re
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
