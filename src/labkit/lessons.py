"""The lesson notebooks as files: finding, reading and executing them (for the tests and the tools
that store their outputs, not for the lessons themselves)."""

from __future__ import annotations

import re
from pathlib import Path

import nbformat
from nbclient import NotebookClient

from labkit import paths

NOTEBOOKS = paths.PROJECT / "notebooks"
NAME = re.compile(r"^(\d{3})-[a-z0-9]+(-[a-z0-9]+)*\.ipynb$")


def lessons() -> list[Path]:
    return sorted(NOTEBOOKS.glob("[0-9][0-9][0-9]-*.ipynb"))


def read(path: Path) -> nbformat.NotebookNode:
    return nbformat.read(path, as_version=4)


def write(notebook: nbformat.NotebookNode, path: Path) -> None:
    nbformat.write(notebook, path)


def lesson_number(path: Path) -> str:
    return path.name[:3]


def is_cleanup(cell: nbformat.NotebookNode) -> bool:
    return "cleanup" in cell.get("metadata", {}).get("tags", [])


def execute(notebook: nbformat.NotebookNode) -> nbformat.NotebookNode:
    """Run every cell, as JupyterLab would, in the notebooks' folder; outputs go into ``notebook``."""
    for cell in notebook.cells:
        cell.metadata.pop("execution", None)  # timestamps of an earlier run
    client = NotebookClient(
        notebook,
        timeout=600,
        kernel_name="python3",
        record_timing=False,  # no timestamps in the stored file
        resources={"metadata": {"path": str(NOTEBOOKS)}},
    )
    return client.execute()
