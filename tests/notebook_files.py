"""The lesson notebooks, and what the tests need to know about them."""

from __future__ import annotations

import re
from pathlib import Path

import nbformat

NOTEBOOKS = Path(__file__).resolve().parents[1] / "notebooks"
NAME = re.compile(r"^(\d{3})-[a-z0-9]+(-[a-z0-9]+)*\.ipynb$")


def lessons() -> list[Path]:
    return sorted(NOTEBOOKS.glob("[0-9][0-9][0-9]-*.ipynb"))


def read(path: Path) -> nbformat.NotebookNode:
    return nbformat.read(path, as_version=4)


def lesson_number(path: Path) -> str:
    return path.name[:3]


def is_cleanup(cell: nbformat.NotebookNode) -> bool:
    return "cleanup" in cell.get("metadata", {}).get("tags", [])
