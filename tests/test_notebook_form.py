"""Every lesson has the suite's form (CONTRIBUTING.md), checked without running it."""

from __future__ import annotations

import re

import pytest

from labkit.lessons import NAME, NOTEBOOKS, is_cleanup, lesson_number, lessons, read

SECTIONS = [
    "## Terms",
    "## The architecture",
    "## Where it runs",
    "## Set-up",
    "## Step 1 ·",
    "## When to use",
    "## Cleanup",
]
LESSONS = lessons()


def test_there_are_lessons():
    assert [p.name[:3] for p in LESSONS][:2] == ["000", "010"]


@pytest.fixture(params=LESSONS, ids=[p.name for p in LESSONS])
def notebook(request):
    return request.param, read(request.param)


def _markdown(nb) -> list[str]:
    return ["".join(c.source) for c in nb.cells if c.cell_type == "markdown"]


def test_name_title_and_navigation(notebook):
    path, nb = notebook
    assert NAME.match(path.name), "three-digit prefix, lower-case words joined by hyphens"
    first, last = nb.cells[0].source, nb.cells[-1].source
    assert first.startswith(f"# {lesson_number(path)} · ")
    for cell in (first, last):
        links = re.findall(r"\]\(([^)#]+)\)", cell)
        assert "../README.md" in links
        assert all((NOTEBOOKS / link).exists() for link in links), f"broken link in {links}"


def test_sections_come_in_the_skeletons_order(notebook):
    _, nb = notebook
    headings = [line for text in _markdown(nb) for line in text.splitlines() if line.startswith("## ")]
    positions = [next((i for i, h in enumerate(headings) if h.startswith(s)), None) for s in SECTIONS]
    assert None not in positions, f"missing: {[s for s, p in zip(SECTIONS, positions, strict=True) if p is None]}"
    assert positions == sorted(positions)


def test_every_step_is_proved(notebook):
    _, nb = notebook
    step, proved = None, {}
    for cell in nb.cells:
        if cell.cell_type == "markdown" and cell.source.startswith("## "):
            step = cell.source.splitlines()[0] if cell.source.startswith("## Step") else None
            if step:
                proved[step] = False
        elif cell.cell_type == "code" and step and re.search(r"^\s*assert ", cell.source, re.M):
            proved[step] = True
    assert proved and all(proved.values()), f"steps without an assert: {[s for s, ok in proved.items() if not ok]}"


def test_the_diagram_is_shown_from_diagrams(notebook):
    path, nb = notebook
    shown = [c for c in nb.cells if c.cell_type == "code" and "../diagrams/" in c.source]
    assert shown, "the architecture section shows the lesson's diagram"
    picture = re.search(r"\.\./diagrams/([\w.-]+\.png)", shown[0].source).group(1)
    assert picture.startswith(lesson_number(path)) and (NOTEBOOKS.parent / "diagrams" / picture).exists()
    assert any("image/png" in o.get("data", {}) for o in shown[0].outputs), "stored, so GitHub shows it"


def test_cleanup_is_tagged_and_proves_nothing_is_left(notebook):
    _, nb = notebook
    start = next(i for i, c in enumerate(nb.cells) if c.cell_type == "markdown" and c.source.startswith("## Cleanup"))
    code = [c for c in nb.cells[start:] if c.cell_type == "code"]
    assert code and all(is_cleanup(c) for c in code)
    assert "cleanup.leftovers(LESSON)" in code[-1].source and "assert left == []" in code[-1].source
    assert not any(is_cleanup(c) for c in nb.cells[:start])


def test_stored_outputs_are_complete_and_free_of_run_specific_noise(notebook):
    _, nb = notebook
    for cell in (c for c in nb.cells if c.cell_type == "code"):
        assert cell.execution_count is not None, f"not run: {cell.source[:60]}"
        for output in cell.outputs:
            assert output.output_type != "error", f"stored error in: {cell.source[:60]}"
            assert output.get("name") != "stderr", f"stderr in: {cell.source[:60]}"
            text = output.get("text", "") + str(output.get("data", {}).get("text/plain", ""))
            assert "ResponseMetadata" not in text and "RequestId" not in text, f"raw response in: {cell.source[:60]}"
            assert not re.search(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-", text), f"a UUID in: {cell.source[:60]}"
