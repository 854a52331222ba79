"""Each lesson's set-up is idempotent and its cleanup complete: run it once without its cleanup (an
interrupted session), then whole, on the same emulator; nothing with its tag may be left.
nbval then runs each lesson a third time and compares its outputs with the stored ones."""

from __future__ import annotations

import copy

import pytest

from labkit import cleanup
from labkit.lessons import execute, is_cleanup, lesson_number, lessons, read

LESSONS = lessons()


@pytest.mark.parametrize("path", LESSONS, ids=[p.name for p in LESSONS])
def test_a_lesson_runs_twice_and_leaves_nothing(target, path):
    interrupted = copy.deepcopy(read(path))
    interrupted.cells = [c for c in interrupted.cells if not is_cleanup(c)]
    execute(interrupted)
    assert cleanup.leftovers(lesson_number(path)) != []  # the whole run below meets them
    execute(read(path))
    assert cleanup.leftovers(lesson_number(path)) == []
