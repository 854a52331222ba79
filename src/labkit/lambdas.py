"""Lambda chores every lesson needs and a real project wants: a reproducible zip of a handler
folder, and create-or-update of a function that waits until it can be invoked."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

from labkit import clients
from labkit.waiting import wait_for

FIXED_TIMESTAMP = (1980, 1, 1, 0, 0, 0)  # the same bytes for the same code: stable CodeSha256
SKIPPED = {"__pycache__", ".pytest_cache"}


def zip_directory(directory: str | Path) -> bytes:
    """The folder's files in a .zip, sorted and with fixed timestamps, so it is reproducible."""
    root = Path(directory)
    if not root.is_dir():
        raise FileNotFoundError(f"no handler folder at {root}")
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for path in sorted(root.rglob("*")):
            relative = path.relative_to(root)
            if path.is_dir() or SKIPPED & set(relative.parts) or path.suffix == ".pyc":
                continue
            info = zipfile.ZipInfo(relative.as_posix(), FIXED_TIMESTAMP)
            info.external_attr = 0o644 << 16
            info.compress_type = zipfile.ZIP_DEFLATED
            archive.writestr(info, path.read_bytes())
    return buffer.getvalue()


def wait_until_ready(function_name: str, lambda_client=None, patience: float = 1.0) -> dict:
    """Wait until the function is Active and its last update finished; returns its configuration.

    A function is ``Pending`` right after it is created and ``InProgress`` after an update; invoking
    it then fails with ``ResourceConflictException``.
    """
    lam = lambda_client or clients.client("lambda")
    attempts = max(60, int(60 * patience))
    lam.get_waiter("function_active_v2").wait(
        FunctionName=function_name, WaiterConfig={"Delay": 1, "MaxAttempts": attempts}
    )
    lam.get_waiter("function_updated_v2").wait(
        FunctionName=function_name, WaiterConfig={"Delay": 1, "MaxAttempts": attempts}
    )
    return lam.get_function_configuration(FunctionName=function_name)


def _create_when_role_is_usable(
    lam, function_name: str, code: bytes, tags: dict, settings: dict, patience: float
) -> None:
    """On AWS a role made seconds ago is not yet visible to Lambda (IAM is eventually consistent):
    creating the function fails with "cannot be assumed by Lambda" until it is; LocalStack has no delay."""

    def created() -> bool:
        try:
            lam.create_function(FunctionName=function_name, Code={"ZipFile": code}, Tags=tags, **settings)
        except lam.exceptions.InvalidParameterValueException as problem:
            if "cannot be assumed" in str(problem):
                return False
            raise
        return True

    wait_for(created, f"IAM to let Lambda assume {settings['Role']}", timeout=20 * patience, interval=2)


def deploy_function(
    function_name: str,
    code: bytes,
    handler: str,
    role_arn: str,
    runtime: str = "python3.13",
    timeout: int = 10,
    memory_size: int = 128,
    environment: dict[str, str] | None = None,
    tags: dict[str, str] | None = None,
    lambda_client=None,
    patience: float = 1.0,
) -> dict:
    """Create the function, or bring an existing one up to date; then wait until it is ready."""
    lam = lambda_client or clients.client("lambda")
    settings = {
        "Role": role_arn,
        "Handler": handler,
        "Runtime": runtime,
        "Timeout": timeout,
        "MemorySize": memory_size,
        "Environment": {"Variables": environment or {}},
    }
    try:
        _create_when_role_is_usable(lam, function_name, code, tags or {}, settings, patience)
    except lam.exceptions.ResourceConflictException:
        wait_until_ready(function_name, lam, patience)
        lam.update_function_code(FunctionName=function_name, ZipFile=code)
        wait_until_ready(function_name, lam, patience)
        lam.update_function_configuration(FunctionName=function_name, **settings)
    return wait_until_ready(function_name, lam, patience)
