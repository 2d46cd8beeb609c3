"""Results shown as rendered tables (Markdown, which the book and JupyterLab render)."""
from __future__ import annotations


def table(columns: list[str], rows: list[list], align: str = "") -> object:
    """A rendered table: Markdown, which the book shows as an HTML table.

    ``align`` has one letter per column, ``l``, ``c`` or ``r`` (default: the
    first column left, the others right, as numbers read best).
    """
    from IPython.display import Markdown

    align = align or "l" + "r" * (len(columns) - 1)
    rule = [{"l": ":---", "c": ":---:", "r": "---:"}[a] for a in align]
    lines = [columns, rule, *([str(cell) for cell in row] for row in rows)]
    return Markdown("\n".join("| " + " | ".join(line) + " |"
                              for line in lines))
