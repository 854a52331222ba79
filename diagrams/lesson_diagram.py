"""The house style of every lesson's diagram: left to right, PNG, a little padding."""

from diagrams import Diagram


def lesson_diagram(title: str, filename: str, **graph_attr: str) -> Diagram:
    """A ``Diagram`` to use as a context manager; ``graph_attr`` adds graphviz settings (e.g. splines)."""
    return Diagram(
        title, filename=filename, outformat="png", show=False, direction="LR", graph_attr={"pad": "0.4", **graph_attr}
    )
