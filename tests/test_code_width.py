"""Code cells fit the code box: 77 characters is what it shows at desktop width.

Longer lines scroll sideways inside the box, and on a phone hide the end of the line. Cells whose
source the site does not show (``remove-input``, ``remove-cell``: a sentence rendered by
``course_tools.claims.say``, a setup step) have no code box there; notebook clients show them in
their own, wider cells.
"""
from __future__ import annotations

import jupytext
import pytest

from book_build import CODE_WIDTH
from course_tools.notebooks import REPO_ROOT, all_notebooks

WIDTH = CODE_WIDTH  # characters the desktop code box shows without scrolling
HIDDEN = {"remove-input", "remove-cell"}  # tags of cells whose source the site does not show


def too_wide(source: str) -> list[str]:
    """The lines of a code cell's source longer than ``WIDTH``."""
    return [f"{len(line)}: {line}" for line in source.splitlines()
            if len(line) > WIDTH]


@pytest.mark.parametrize("path", all_notebooks(),
                         ids=lambda p: p.relative_to(REPO_ROOT).as_posix())
def test_code_cells_fit_the_code_box(path):
    wide = [line for cell in jupytext.read(path).cells
            if cell.cell_type == "code" and not HIDDEN & set(cell.metadata.get("tags", []))
            for line in too_wide(cell.source)]
    assert not wide, (f"{len(wide)} code line(s) over {WIDTH} characters "
                      f"(wrap them):\n" + "\n".join(wide[:10]))


def test_the_width_check_bites():
    assert too_wide("x = 1\n" + "y = " + "1 + " * 20 + "1") == [
        "85: y = " + "1 + " * 20 + "1"]
    assert too_wide("z = " + "0" * 73) == []
