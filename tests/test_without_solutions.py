"""The book without its solutions (`python3 tasks.py build --no-solutions`): no solution page,
notebook or launch link, and no link in it leads nowhere.

Built into _build/no-solutions from the full build's execution cache (book_build/without_solutions.py):
only Sphinx renders, and a second build renders only what changed."""
import subprocess
import sys
import zipfile
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest

from book_build.notebook_archive import kit_names
from course_tools.notebooks import REPO_ROOT

OUTDIR = REPO_ROOT / "_build" / "no-solutions"
COMMAND = ["python3", "tasks.py", "build", "--no-solutions"]  # as README and instructors/teaching.md say


@pytest.fixture(scope="module")
def site() -> Path:
    subprocess.run([sys.executable, *COMMAND[1:]], cwd=REPO_ROOT, check=True)
    return OUTDIR / "_build" / "html"


class Links(HTMLParser):
    def __init__(self):
        super().__init__()
        self.targets = []

    def handle_starttag(self, tag, attrs):
        for name, value in attrs:
            if name in ("href", "src") and value:
                self.targets.append(value)


def internal_targets(page: Path) -> list[str]:
    parser = Links()
    parser.feed(page.read_text(encoding="utf-8"))
    return [t for t in parser.targets if not urlsplit(t).scheme and not t.startswith(("#", "//"))]


def test_no_solution_page_notebook_or_launch_link(site):
    assert (site / "exercises" / "level_c.html").exists() and not (site / "solutions").exists()
    with zipfile.ZipFile(site / "course-notebooks.zip") as archive:
        names = archive.namelist()
    kit_level_c = kit_names()[Path("exercises/level_c.ipynb")].as_posix()  # numbered, course order
    assert f"course/{kit_level_c}" in names
    assert not [n for n in names if n.startswith("course/solutions/")]
    assert (site / "lite" / "files" / "exercises" / "level_c.ipynb").exists()
    assert not (site / "lite" / "files" / "solutions").exists()
    for page in site.rglob("*.html"):
        if "lite" in page.relative_to(site).parts:
            continue
        # no link, Binder, Colab or JupyterLite button or download leads to a solution
        parser = Links()
        parser.feed(page.read_text(encoding="utf-8"))
        assert not [t for t in parser.targets if "solutions/" in t], page


def test_every_internal_link_resolves(site):
    broken = []
    for page in sorted(site.rglob("*.html")):
        if {"lite", "_static"} & set(page.relative_to(site).parts):  # JupyterLite's app, theme templates
            continue
        for target in internal_targets(page):
            path = unquote(urlsplit(target).path)
            if path and not (page.parent / path).resolve().exists():
                broken.append(f"{page.relative_to(site)} -> {target}")
    assert not broken, "\n".join(broken[:20])


def test_exercise_pages_name_the_solutions_without_linking_them(site, built_site):
    page = (site / "exercises" / "level_a.html").read_text(encoding="utf-8")
    assert "solutions" in page and 'href="../solutions/' not in page
    full = (built_site / "exercises" / "level_a.html").read_text(encoding="utf-8")
    assert 'href="../solutions/level_a.html' in full  # the full book links them
