"""pytest's set-up for the whole suite: one embedded LocalStack per test run.

It starts fresh (empty state) only when a collected test needs it — a notebook run under nbval or
a test that asks for the ``target`` fixture — and stops with the run, taking every process it
started with it. Unit tests alone never start it.
"""

from __future__ import annotations

import pytest

from labkit import emulator, targets


def _needs_emulator(item: pytest.Item) -> bool:
    return item.path.suffix == ".ipynb" or "target" in getattr(item, "fixturenames", ())


def pytest_collection_finish(session: pytest.Session) -> None:
    if any(_needs_emulator(item) for item in session.items):
        emulator.up(fresh=True)
        targets.connect(quiet=True)  # the SDK settings, inherited by the notebooks' kernels
        session.config.add_cleanup(emulator.down)


@pytest.fixture(scope="session")
def target() -> targets.Target:
    """The embedded LocalStack the run started (see ``pytest_collection_finish``)."""
    return targets.detect(start=False)
