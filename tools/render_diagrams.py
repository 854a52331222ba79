"""Render every diagram in diagrams/ and keep its graph description beside the picture.

Each ``diagrams/NNN_name.py`` defines ``draw(filename)``, which builds the picture with the
``diagrams`` package (AWS's icon set; Debian's graphviz draws it). This tool writes
``NNN_name.png`` for the notebooks and ``NNN_name.gv``, the graph description graphviz was given,
with the random node ids and the icon folder made stable. ``--check`` fails when a committed
description no longer matches its source, i.e. when the picture is stale; the tests run it.

    python tools/render_diagrams.py          # render all
    python tools/render_diagrams.py --check  # are the committed pictures current?
"""

from __future__ import annotations

import importlib.util
import re
import shutil
import sys
import tempfile
from pathlib import Path

DIAGRAMS = Path(__file__).resolve().parents[1] / "diagrams"


def describe(source: Path, workdir: Path) -> str:
    """Build the diagram from its source; return its normalised graph description."""
    if str(DIAGRAMS) not in sys.path:
        sys.path.insert(0, str(DIAGRAMS))  # for the shared lesson_diagram module
    spec = importlib.util.spec_from_file_location(f"diagram_{source.stem}", source)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    diagram = module.draw(str(workdir / source.stem))
    text = diagram.dot.source
    ids: dict[str, str] = {}
    # graphviz quotes an id that starts with a digit: drop the quotes with the random id
    text = re.sub(r"\"?\b([0-9a-f]{32})\b\"?", lambda m: ids.setdefault(m.group(1), f"node{len(ids) + 1}"), text)
    return re.sub(r'"[^"]*?/site-packages/resources/', '"resources/', text)


def sources() -> list[Path]:
    return sorted(p for p in DIAGRAMS.glob("[0-9][0-9][0-9]_*.py"))


def render() -> None:
    with tempfile.TemporaryDirectory() as work:
        for source in sources():
            (source.with_suffix(".gv")).write_text(describe(source, Path(work)))
            shutil.copyfile(Path(work) / f"{source.stem}.png", source.with_suffix(".png"))
            print(f"rendered {source.with_suffix('.png').relative_to(DIAGRAMS.parent)}")


def stale() -> list[str]:
    """The diagrams whose committed description or picture does not match their source."""
    problems = []
    with tempfile.TemporaryDirectory() as work:
        for source in sources():
            committed = source.with_suffix(".gv")
            if not committed.exists() or not source.with_suffix(".png").exists():
                problems.append(f"{source.name}: not rendered")
            elif committed.read_text() != describe(source, Path(work)):
                problems.append(f"{source.name}: the picture is older than its source")
    return problems


if __name__ == "__main__":
    if "--check" in sys.argv:
        found = stale()
        print("\n".join(found) or "all diagrams are current")
        sys.exit(1 if found else 0)
    render()
