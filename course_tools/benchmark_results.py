"""Benchmark results (benchmarks/results/*.json) for the performance pages."""
from __future__ import annotations

import json

from course_tools.notebooks import REPO_ROOT

RESULTS = REPO_ROOT / "benchmarks" / "results"


def load(name: str) -> dict:
    return json.loads((RESULTS / f"{name}.json").read_text())


def table(columns: list[str], rows: list[list], align: str = "") -> object:
    """A rendered table: Markdown, which the book shows as an HTML table.

    ``align`` has one letter per column, ``l`` or ``r`` (default: the first
    column left, the others right, as numbers read best).
    """
    from IPython.display import Markdown

    align = align or "l" + "r" * (len(columns) - 1)
    rule = ["---:" if a == "r" else ":---" for a in align]
    lines = [columns, rule, *([str(cell) for cell in row] for row in rows)]
    return Markdown("\n".join("| " + " | ".join(line) + " |"
                              for line in lines))
