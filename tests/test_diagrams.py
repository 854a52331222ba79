"""Every committed diagram matches its source: the graph description is re-generated and compared."""

import importlib.util

from labkit import paths


def test_committed_pictures_are_current():
    spec = importlib.util.spec_from_file_location("render_diagrams", paths.PROJECT / "tools" / "render_diagrams.py")
    tool = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(tool)
    assert tool.sources(), "diagrams/ has sources"
    assert tool.stale() == []
