"""Where the suite keeps things. Everything the emulator needs lives under ``.emulator/`` in the
project (git ignores it), so removing that folder resets the emulator completely."""

from __future__ import annotations

import os
from pathlib import Path

PROJECT = Path(os.environ.get("LABKIT_HOME") or Path(__file__).resolve().parents[2])
EMULATOR_PACKAGE = PROJECT / "emulator"  # the hostlambda plugin's source
CONSTRAINTS = EMULATOR_PACKAGE / "constraints.txt"

EMULATOR_HOME = PROJECT / ".emulator"
EMULATOR_VENV = EMULATOR_HOME / "venv"  # LocalStack + hostlambda
LAMBDA_VENV = EMULATOR_HOME / "lambda-python"  # the Lambda runtime: awslambdaric + boto3
FILESYSTEM_ROOT = EMULATOR_HOME / "root"  # LocalStack's FILESYSTEM_ROOT
STATIC_LIBS = FILESYSTEM_ROOT / "usr" / "lib" / "localstack"  # what LocalStack would download
TMP_DIR = FILESYSTEM_ROOT / "tmp"  # unzipped function code, the fork server's socket
NPM_CACHE = EMULATOR_HOME / "npm"
LOG_FILE = EMULATOR_HOME / "localstack.log"
PID_FILE = EMULATOR_HOME / "localstack.pid"
SETUP_STAMP = EMULATOR_HOME / "setup.stamp"
LOOPBACK_SOURCE = EMULATOR_PACKAGE / "native" / "loopback_bind.c"
LOOPBACK_LIBRARY = EMULATOR_HOME / "loopback_bind.so"  # preloaded into LocalStack: servers on 127.0.0.1


def venv_python(venv: Path) -> Path:
    return venv / "bin" / "python"
