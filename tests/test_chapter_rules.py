"""House rules every notebook must follow, checked on the source."""
import re

import jupytext
import pytest

from course_tools.notebooks import all_notebooks

NOTEBOOKS = all_notebooks()


def code_cells(path):
    return [c for c in jupytext.read(path).cells if c.cell_type == "code"]


TIMEIT_WITH_COUNTS = re.compile(r"%timeit -n \d+ -r \d+ \S")


def is_timeit_demonstration(cell):
    """Every line that mentions timeit is a %timeit with explicit -n and -r; output not compared."""
    lines = [line for line in cell.source.splitlines() if "timeit" in line]
    return ("nbval-ignore-output" in cell.metadata.get("tags", [])
            and all(TIMEIT_WITH_COUNTS.match(line) for line in lines))


def test_timeit_is_shown_exactly_once():
    """One demonstration next to the course's timer (dot product), nowhere else."""
    cells = [(path.name, cell) for path in NOTEBOOKS for cell in code_cells(path)
             if "timeit" in cell.source]
    assert [name for name, _ in cells] == ["dot_product.md"], cells


def test_timeit_rule_bites():
    from nbformat.v4 import new_code_cell
    tagged = {"tags": ["nbval-ignore-output"]}
    assert is_timeit_demonstration(new_code_cell("%timeit -n 10 -r 3 f(x)", metadata=tagged))
    assert not is_timeit_demonstration(new_code_cell("%timeit f(x)", metadata=tagged))
    assert not is_timeit_demonstration(new_code_cell("%timeit -n 10 -r 3 f(x)"))
    assert not is_timeit_demonstration(new_code_cell("%%timeit -n 1 -r 1\nf(x)", metadata=tagged))


def test_notebooks_are_found():
    assert len(NOTEBOOKS) >= 12


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_no_timeit_and_seeded_randomness(path):
    for cell in code_cells(path):
        if "timeit" in cell.source:
            assert is_timeit_demonstration(cell), (
                f"{path.name}: use course_tools.timing; %timeit only as the one demonstration,"
                " with explicit -n and -r, tagged nbval-ignore-output")
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
def test_intended_errors_let_run_all_go_on(path):
    """Colab and VS Code ignore the raises-exception tag, so a tagged cell stops their Run all:
    an intended error runs inside course_tools.pitfalls.intended_error, introduced by text that
    says the error is intended."""
    cells = jupytext.read(path).cells
    for index, cell in enumerate(cells):
        assert "raises-exception" not in cell.metadata.get("tags", []), (
            f"{path.name}: cell {index} is tagged raises-exception; "
            "show the error with `with intended_error(...):` instead")
        if cell.cell_type == "code" and "with intended_error(" in cell.source:
            before = cells[index - 1].source.lower() if index else ""
            assert cells[index - 1].cell_type == "markdown" and re.search(
                r"intended|on purpose|meant to|fails|error|wrong", before), (
                f"{path.name}: say why cell {index} is meant to fail, just above it")


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_every_figure_has_alt_text_and_a_caption(path):
    for cell in code_cells(path):
        if "plt.show()" in cell.source:
            options = cell.metadata.get("mystnb", {})
            alt = options.get("image", {}).get("alt", "")
            assert len(alt.split()) >= 10, f"{path.name}: describe the figure in its alt text (mystnb.image.alt)"
            assert options.get("figure", {}).get("caption"), f"{path.name}: give the figure a caption"


# The depth a first reading can skip, per long chapter: it sits after "What to remember".
GOING_DEEPER = {"central_difference": ["Sterbenz", "grid32"],
                "standardization": ["time_candidates(", "sd + eps"]}


@pytest.mark.parametrize("chapter", sorted(GOING_DEEPER))
def test_long_chapters_keep_their_depth_after_the_core_path(chapter):
    from course_tools import REPO_ROOT

    text = (REPO_ROOT / "chapters" / f"{chapter}.md").read_text()
    headings = re.findall(r"(?m)^## (.+)$", text)
    remember = headings.index("What to remember")
    assert all(h.startswith("Going deeper: ") for h in headings[remember + 1:]) and headings[remember + 1:]
    assert not any(h.startswith("Going deeper") for h in headings[:remember])
    core = text[:text.index("\n## What to remember")]
    for topic in GOING_DEEPER[chapter]:
        assert topic not in core.split("**Core path**")[-1], f"{chapter}: {topic} is on the core path"


GLUE = re.compile(r"\{glue(:\w+)?\}|^\s*(from|import)\s+myst_nb\b", re.M)


def test_glue_rule_bites():
    assert GLUE.search("was {glue:text}`ratio`× faster") and GLUE.search("```{glue} fig\n")
    assert GLUE.search("from myst_nb import glue") and GLUE.search("x = 1\nimport myst_nb")
    assert not GLUE.search("say('was {speed}', speed=speed(ratio))")


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_no_glue(path):
    """Measured numbers reach the prose as cell outputs (course_tools.claims.say), which every
    notebook client shows, never as glue roles: Binder and JupyterLab would show the role itself."""
    found = GLUE.search(path.read_text(encoding="utf-8"))
    assert not found, f"{path.name}: {found.group(0)!r}; render the sentence with course_tools.claims.say"
