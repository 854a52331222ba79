"""Helpers for the tests; the emulator itself is started by the project's conftest.py."""

from __future__ import annotations

import contextlib
import sys
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path

import psutil
import pytest

from labkit import clients, lambdas, targets

ROOT = Path(__file__).resolve().parents[1]
FUNCTIONS = Path(__file__).parent / "functions"
TEST_ROLE = f"arn:aws:iam::{clients.ACCOUNT}:role/test-lambda-role"  # LocalStack does not enforce IAM
sys.path.insert(0, str(ROOT / "emulator" / "src"))  # hostlambda's stdlib-only parts, for unit tests


def ended(pid: int) -> bool:
    """Gone, or a zombie waiting for its parent to reap it: either way it runs no more."""
    try:
        return psutil.Process(pid).status() == psutil.STATUS_ZOMBIE
    except psutil.NoSuchProcess:
        return True


@pytest.fixture
def unique() -> str:
    """A short random suffix, so tests never collide with each other or with a rerun."""
    return uuid.uuid4().hex[:8]


@pytest.fixture
def deploy(target: targets.Target) -> Iterator[Callable[..., str]]:
    """Deploy a handler folder from tests/functions; every function it made is deleted afterwards."""
    made: list[str] = []
    lam = clients.client("lambda")

    def _deploy(folder: str, handler: str, name: str | None = None, **settings) -> str:
        function_name = name or f"test-{folder}-{uuid.uuid4().hex[:8]}"
        lambdas.deploy_function(
            function_name, lambdas.zip_directory(FUNCTIONS / folder), handler, TEST_ROLE, **settings
        )
        made.append(function_name)
        return function_name

    yield _deploy
    for function_name in made:
        with contextlib.suppress(lam.exceptions.ResourceNotFoundException):
            lam.delete_function(FunctionName=function_name)
