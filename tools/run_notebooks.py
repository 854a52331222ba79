"""Re-execute lessons on a fresh embedded LocalStack and store their outputs (the expected results).

    python tools/run_notebooks.py                 # every lesson
    python tools/run_notebooks.py 010             # the lessons whose names start with 010

The stored outputs are what nbval compares against, so run this after changing a lesson, then read
the diff: every change in an output should be one you meant.
"""

from __future__ import annotations

import subprocess
import sys

from labkit import emulator, lessons, targets


def main(prefixes: list[str]) -> None:
    chosen = [p for p in lessons.lessons() if not prefixes or p.name.startswith(tuple(prefixes))]
    subprocess.run([sys.executable, "-m", "ruff", "format", "-q", *map(str, chosen)], check=True)
    emulator.up(fresh=True)
    targets.connect(quiet=True)
    try:
        for path in chosen:
            notebook = lessons.read(path)
            lessons.execute(notebook)
            lessons.write(notebook, path)
            print(f"executed and saved {path.relative_to(lessons.NOTEBOOKS.parent)}")
    finally:
        emulator.down()


if __name__ == "__main__":
    main(sys.argv[1:])
