"""The code is ruff clean (the rules are in pyproject.toml)."""

import subprocess
import sys

from labkit import paths


def _ruff(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "ruff", *args, str(paths.PROJECT)], capture_output=True, text=True)


def test_ruff_finds_nothing():
    done = _ruff("check")
    assert done.returncode == 0, done.stdout + done.stderr


def test_ruff_format_would_change_nothing():
    done = _ruff("format", "--check")
    assert done.returncode == 0, done.stdout + done.stderr
