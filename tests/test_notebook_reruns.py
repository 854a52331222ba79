"""Each lesson's set-up is idempotent and its cleanup complete: run it once without its cleanup (an
interrupted session), then whole, on the same emulator; nothing with its tag may be left.
nbval then runs each lesson a third time and compares its outputs with the stored ones."""

from __future__ import annotations

import copy

import nbformat
import pytest
from nbclient import NotebookClient
from notebook_files import NOTEBOOKS, is_cleanup, lesson_number, lessons, read

from labkit import cleanup

LESSONS = lessons()


def run(nb: nbformat.NotebookNode) -> None:
    NotebookClient(nb, timeout=600, kernel_name="python3", resources={"metadata": {"path": str(NOTEBOOKS)}}).execute()


@pytest.mark.parametrize("path", LESSONS, ids=[p.name for p in LESSONS])
def test_a_lesson_runs_twice_and_leaves_nothing(target, path):
    interrupted = copy.deepcopy(read(path))
    interrupted.cells = [c for c in interrupted.cells if not is_cleanup(c)]
    run(interrupted)
    assert cleanup.leftovers(lesson_number(path)) != []  # the whole run below meets them
    run(read(path))
    assert cleanup.leftovers(lesson_number(path)) == []
