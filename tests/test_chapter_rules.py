"""House rules every notebook must follow, checked on the source."""
import re

import jupytext
import pytest

from course_tools.notebooks import all_notebooks

NOTEBOOKS = all_notebooks()


def code_cells(path):
    return [c for c in jupytext.read(path).cells if c.cell_type == "code"]


def test_notebooks_are_found():
    assert len(NOTEBOOKS) >= 12


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_no_timeit_and_seeded_randomness(path):
    for cell in code_cells(path):
        assert "timeit" not in cell.source, f"{path.name}: use course_tools.timing, never %timeit"
        assert not re.search(r"np\.random\.(seed|rand|randn|randint|normal|uniform)\(", cell.source), (
            f"{path.name}: draw random numbers from np.random.default_rng(0)")
        for seed in re.findall(r"default_rng\(([^)]*)\)", cell.source):
            assert seed == "0", f"{path.name}: seed every generator with 0, found default_rng({seed})"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_timing_cells_ignore_output(path):
    for cell in code_cells(path):
        if re.search(r"\bcompare\(|time_candidates\(", cell.source) and "def " not in cell.source:
            assert "nbval-ignore-output" in cell.metadata.get("tags", []), (
                f"{path.name}: a timing cell must be tagged nbval-ignore-output:\n{cell.source[:80]}")


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_intended_errors_are_explained(path):
    """A raises-exception cell must be introduced by text that says the error is intended."""
    cells = jupytext.read(path).cells
    for index, cell in enumerate(cells):
        if "raises-exception" in cell.metadata.get("tags", []):
            before = cells[index - 1].source.lower() if index else ""
            assert cells[index - 1].cell_type == "markdown" and re.search(
                r"intended|raises-exception|fails|error", before), (
                f"{path.name}: say why cell {index} is meant to fail, just above it")


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_every_figure_has_alt_text_and_a_caption(path):
    for cell in code_cells(path):
        if "plt.show()" in cell.source:
            options = cell.metadata.get("mystnb", {})
            alt = options.get("image", {}).get("alt", "")
            assert len(alt.split()) >= 10, f"{path.name}: describe the figure in its alt text (mystnb.image.alt)"
            assert options.get("figure", {}).get("caption"), f"{path.name}: give the figure a caption"
