"""The programs the embedded LocalStack needs from the machine, found the portable way, with an
error that names what to install when one is missing."""

from __future__ import annotations

import contextlib
import glob
import os
import re
import shutil
import subprocess
from pathlib import Path

PYTHON_SETTING = "LABKIT_PYTHON313"


class MissingPrerequisite(RuntimeError):
    """A program the emulator needs is not installed; the message says what to install."""


def _python_version(python: str) -> tuple[int, int] | None:
    try:
        out = subprocess.run(
            [python, "-c", "import sys; print(*sys.version_info[:2])"],
            capture_output=True,
            text=True,
            timeout=30,
            check=True,
        ).stdout.split()
    except (OSError, subprocess.SubprocessError):
        return None
    return int(out[0]), int(out[1])


def _pyenv_pythons() -> list[str]:
    root = os.environ.get("PYENV_ROOT") or str(Path.home() / ".pyenv")
    if pyenv := shutil.which("pyenv"):
        with contextlib.suppress(OSError, subprocess.SubprocessError):
            root = subprocess.run([pyenv, "root"], capture_output=True, text=True, timeout=30).stdout.strip() or root
    return sorted(glob.glob(f"{root}/versions/3.13*/bin/python3.13"), reverse=True)


def find_python313() -> str:
    """LocalStack 2026.3.0 imports on Python 3.13 only (3.12 lacks ``warnings.deprecated``).

    Looked for in order: ``$LABKIT_PYTHON313``, ``python3.13`` on PATH, pyenv's versions.
    """
    if chosen := os.environ.get(PYTHON_SETTING):
        if _python_version(chosen) != (3, 13):
            raise MissingPrerequisite(f"{PYTHON_SETTING}={chosen} is not a working Python 3.13")
        return chosen
    candidates = [p for p in (shutil.which("python3.13"),) if p] + _pyenv_pythons()
    candidates += ["/usr/bin/python3.13", "/usr/local/bin/python3.13"]
    for candidate in candidates:
        if Path(candidate).exists() and _python_version(candidate) == (3, 13):
            return candidate
    raise MissingPrerequisite(
        "The embedded LocalStack needs Python 3.13 (it does not import on 3.11 or 3.12). Install it "
        "(Debian/Ubuntu: apt install python3.13 python3.13-venv; or: pyenv install 3.13), "
        f"or point {PYTHON_SETTING} at a python3.13."
    )


def java_home() -> Path:
    """The JDK that runs DynamoDB Local (17 or newer) and compiles its stand-in agent."""
    java = shutil.which("java")
    if not java:
        raise MissingPrerequisite("DynamoDB Local needs Java 17 or newer: apt install openjdk-17-jdk-headless")
    banner = subprocess.run([java, "-version"], capture_output=True, text=True).stderr
    match = re.search(r'version "(\d+)', banner)
    if not match or int(match.group(1)) < 17:
        raise MissingPrerequisite(
            f"DynamoDB Local needs Java 17 or newer, found: {banner.splitlines()[0] if banner else java}; "
            "apt install openjdk-17-jdk-headless"
        )
    home = Path(java).resolve().parents[1]
    for tool in ("javac", "jar"):
        if not (home / "bin" / tool).exists():
            raise MissingPrerequisite(
                f"{tool} is missing from {home} (a JRE, not a JDK): apt install openjdk-17-jdk-headless"
            )
    return home


def npm() -> str:
    """npm installs DynamoDB Local and kinesis-mock from the npm registry."""
    found = shutil.which("npm")
    if not found or not shutil.which("node"):
        raise MissingPrerequisite("DynamoDB Local and Kinesis come from npm packages: apt install nodejs npm")
    return found


def c_compiler() -> str:
    """A C compiler builds the small library that keeps the emulator's servers on loopback."""
    found = shutil.which("cc") or shutil.which("gcc")
    if not found:
        raise MissingPrerequisite("building the emulator's loopback library needs a C compiler: apt install gcc")
    return found
