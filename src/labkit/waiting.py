"""Waiting for something that has no boto3 waiter: poll with a deadline, fail with a clear error.

Cells never ``time.sleep`` and hope: they wait for the state they need, and a timeout says what
did not happen.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import TypeVar

T = TypeVar("T")


def wait_for(check: Callable[[], T], what: str, timeout: float = 30.0, interval: float = 0.2) -> T:
    """Call ``check`` until it returns something truthy, and return that.

    Raises ``TimeoutError("… <what> …")`` when ``timeout`` seconds pass first.
    """
    deadline = time.monotonic() + timeout
    while True:
        result = check()
        if result:
            return result
        if time.monotonic() >= deadline:
            raise TimeoutError(f"waited {timeout:.0f} s for {what}; it did not happen")
        time.sleep(interval)  # the poll interval of a deadline-bounded wait
