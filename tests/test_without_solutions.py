"""The book without its solutions (`python3 tasks.py build --no-solutions`): no solution page,
notebook or launch link, and no link or button in it leads nowhere (checked in each page's HTML);
in Chromium, the menu, and one page per set of scripts the pages load, with no JavaScript error
and the buttons the HTML check read (the full site's browser suite opens every page). The deploy
workflow's switch publishes this site and the Colab notebooks without solutions.

Built into _build/no-solutions from the full build's execution cache (book_build/without_solutions.py):
only Sphinx renders, and a second build renders only what changed. The module's `site` fixture
builds it once, as an instructor's fork builds it on GitHub Actions (the switch's use: its
launch buttons open the fork); the browser suite's fixtures and tests imported here use it."""
import json
import os
import re
import subprocess
import sys
import zipfile
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import parse_qs, unquote, urljoin, urlsplit

import pytest
import test_browser
import yaml
from test_browser import Visit

from book_build import BOOK_CONFIG
from book_build.notebook_archive import kit_names
from book_build.without_solutions import SOLUTIONS, is_solution
from course_tools.notebooks import REPO_ROOT, all_notebooks

OUTDIR = REPO_ROOT / "_build" / "no-solutions"
COMMAND = ["python3", "tasks.py", "build", "--no-solutions"]  # as README and instructors/teaching.md say
WORKFLOW = REPO_ROOT / ".github" / "workflows" / "tests.yml"
SWITCH = "HIDE_SOLUTIONS"  # the repository variable, as instructors/teaching.md and README say
COLAB = [".venv/bin/python", "-m", "book_build.without_solutions", "--colab"]  # + OUTDIR
SOLUTION_LINK = re.compile(r"\]\((\.\./)*solutions/")  # a Markdown link to a solution notebook
PAGES = [source for source in test_browser.SOURCES if not source.startswith(SOLUTIONS)]
# What GitHub Actions sets in a fork's workflow (book_build.publishing_repository reads it).
FORK = "an-instructor/numpy-course"
IN_A_FORK = {**os.environ, "GITHUB_REPOSITORY": FORK, "GITHUB_SERVER_URL": "https://github.com"}


@pytest.fixture(scope="module")
def site() -> Path:
    subprocess.run([sys.executable, *COMMAND[1:]], cwd=REPO_ROOT, check=True, env=IN_A_FORK)
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
    with zipfile.ZipFile(site / "course-notebooks.zip") as archive:
        readme = archive.read("course/README.md").decode()
    assert "solutions" not in readme, "the kit's README mentions solutions it does not have"
    assert (site / "lite" / "files" / "exercises" / "level_c.ipynb").exists()
    assert not (site / "lite" / "files" / "solutions").exists()
    # the exercise notebooks name the solutions without linking them
    with zipfile.ZipFile(site / "course-notebooks.zip") as archive:
        notebooks = {name: archive.read(name).decode() for name in names if name.endswith(".ipynb")}
    lite = (site / "lite" / "files").rglob("*.ipynb")
    notebooks.update({str(path): path.read_text(encoding="utf-8") for path in lite})
    assert "*solutions*" in notebooks[f"course/{kit_level_c}"]
    assert not [name for name, text in notebooks.items() if SOLUTION_LINK.search(text)]
    for page in site.rglob("*.html"):
        if "lite" in page.relative_to(site).parts:
            continue
        # no link, Binder, Colab or JupyterLite button or download leads to a solution
        parser = Links()
        parser.feed(page.read_text(encoding="utf-8"))
        assert not [t for t in parser.targets if "solutions/" in t], page


@pytest.mark.parametrize("source", ["chapters/dot_product", "exercises/level_a"])
def test_a_forks_site_sends_its_readers_to_the_fork(site, source):
    """Binder, Colab (the fork's ipynb branch), Live Code and the repository button open the
    fork that publishes the site, never the course it was forked from."""
    html = (site / f"{source}.html").read_text(encoding="utf-8")
    buttons = page_links(site / f"{source}.html").buttons
    assert f"https://mybinder.org/v2/gh/{FORK}/main?urlpath=lab/tree/{source}.md" in buttons
    assert f"https://colab.research.google.com/github/{FORK}/blob/ipynb/{source}.ipynb" in buttons
    assert f'repo: "{FORK}"' in html, "Live Code (Thebe) binds another repository"
    assert f'href="https://github.com/{FORK}"' in html, "no repository button to the fork"
    upstream = urlsplit(BOOK_CONFIG["repository"]["url"]).path.strip("/")
    assert upstream not in html, f"the page still links {upstream}"


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


# In Chromium: the browser suite's fixtures (its Chromium and desktop context; site_url serves
# this module's site) and its page-level tests that a missing solution page could break.
browser, context, site_url = test_browser.browser, test_browser.context, test_browser.site_url
test_site_menu_opens_and_leads_to_a_page = test_browser.test_site_menu_opens_and_leads_to_a_page


CHECK_DATA = re.compile(r'<script type="application/json" id="page-checks-data">(.*?)</script>', re.S)


def test_in_page_checks_are_the_full_sites(site, built_site):
    """The in-page checks judge exactly as on the full site (where test_page_checks.py runs every
    typed answer through them): the same script and, on every page that has checks, the same data.
    That the script runs without an error on these pages is test_page_links_launch_buttons_and_console's."""
    script = "_static/page_checks.js"
    assert (site / script).read_bytes() == (built_site / script).read_bytes()
    pages = [p.relative_to(built_site) for p in built_site.rglob("*.html")
             if CHECK_DATA.search(p.read_text(encoding="utf-8"))]
    shown = [page for page in pages if not page.as_posix().startswith(SOLUTIONS)]
    assert shown, "no page with in-page checks in the full site"
    for page in shown:
        ours = CHECK_DATA.search((site / page).read_text(encoding="utf-8"))
        assert ours and ours[1] == CHECK_DATA.search((built_site / page).read_text(encoding="utf-8"))[1], page


@pytest.fixture(scope="module")
def screenshots() -> Path:
    """This site's pictures beside the full site's, not over them."""
    folder = test_browser.SCREENSHOTS / "no-solutions"
    folder.mkdir(parents=True, exist_ok=True)
    return folder


class PageLinks(HTMLParser):
    """A page's links between pages (class "reference internal") and its launch and download
    buttons' links, as its HTML has them."""
    BUTTONS = {"dropdown-launch-buttons", "dropdown-download-buttons"}

    def __init__(self):
        super().__init__()
        self.internal, self.buttons, self.depth = [], [], 0  # depth: divs open inside a button menu

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        classes = set((attrs.get("class") or "").split())
        if tag == "div" and (self.depth or classes & self.BUTTONS):
            self.depth += 1
        if tag == "a" and attrs.get("href"):
            if self.depth:
                self.buttons.append(attrs["href"])
            elif {"reference", "internal"} <= classes:
                self.internal.append(attrs["href"])

    def handle_endtag(self, tag):
        if tag == "div" and self.depth:
            self.depth -= 1


def page_links(page: Path) -> PageLinks:
    links = PageLinks()
    links.feed(page.read_text(encoding="utf-8"))
    return links


def link_target_problems(page: Path, site: Path) -> list[str]:
    """Links between pages reach a page and anchor of this site; each launch button and download
    leads to a file of this site (JupyterLite's notebook included) or another host, never to a
    solution."""
    links, problems = page_links(page), []
    for href in sorted(set(links.internal)):
        target = urlsplit(href)
        path = (page.parent / unquote(target.path)).resolve() if target.path else page
        if not path.is_file():
            problems.append(f"link to a missing page: {href}")
        elif target.fragment and f'id="{target.fragment}"' not in path.read_text(encoding="utf-8"):
            problems.append(f"link to a missing anchor: {href}")
    if not links.buttons:
        problems.append("no launch or download button")
    for href in links.buttons:
        target = urlsplit(href)
        if SOLUTIONS in href:
            problems.append(f"a button leads to a solution: {href}")
        elif not target.scheme:
            if not (page.parent / unquote(target.path)).resolve().is_file():
                problems.append(f"a button leads to a missing file: {href}")
            for notebook in parse_qs(target.query).get("path", []):  # the notebook JupyterLite opens
                if not (site / "lite" / "files" / notebook).is_file():
                    problems.append(f"JupyterLite would open a missing notebook: {href}")
    return problems


@pytest.mark.parametrize("source", PAGES)
def test_page_links_and_buttons_lead_to_this_sites_pages_and_files(site, source):
    problems = link_target_problems(site / f"{source}.html", site)
    assert not problems, problems


def test_the_link_check_catches_a_missing_anchor_file_or_solution(tmp_path):
    page = tmp_path / "chapters" / "page.html"
    page.parent.mkdir()
    (tmp_path / "chapters" / "there.html").write_text('<h1 id="here">There</h1>')
    page.write_text('<a class="reference internal" href="there.html#here">ok</a>'
                    '<a class="reference internal" href="there.html#gone">anchor</a>'
                    '<a class="reference internal" href="../solutions/level_a.html">page</a>'
                    '<div class="dropdown dropdown-launch-buttons"><div><a href="there.html">ok</a>'
                    '<a href="../lite/lab/index.html?path=solutions/level_a.ipynb">lite</a></div></div>')
    assert link_target_problems(page, tmp_path) == [
        "link to a missing page: ../solutions/level_a.html", "link to a missing anchor: there.html#gone",
        "a button leads to a solution: ../lite/lab/index.html?path=solutions/level_a.ipynb"]


SCRIPT = re.compile(r'<script\b[^>]*\bsrc="(?:\.\./)*([^"?]+)')


def test_each_kind_of_page_runs_its_scripts_without_an_error(context, site, site_url):
    """In Chromium, one page per set of scripts the pages load (the theme's; with the in-page
    checks): no JavaScript error, and the buttons a reader clicks are the ones checked above."""
    kinds = {}
    for source in PAGES:
        kinds.setdefault(tuple(SCRIPT.findall((site / f"{source}.html").read_text(encoding="utf-8"))), source)
    assert len(kinds) >= 2, kinds
    for source in kinds.values():
        visit = Visit(context, urljoin(site_url, f"{source}.html"))
        shown = [a.get_attribute("href")
                 for a in visit.page.locator(".dropdown-launch-buttons a, .dropdown-download-buttons a").all()]
        assert shown == page_links(site / f"{source}.html").buttons, source
        assert not visit.unexpected_errors(), f"{source}: JavaScript errors: {visit.unexpected_errors()}"
        visit.page.close()


# Publishing: the deploy workflow's switch -------------------------------------------------------

def switched_commands() -> list[list[str]]:
    """The commands the workflow runs when the switch is on (its `if` branch)."""
    steps = yaml.safe_load(WORKFLOW.read_text())["jobs"]["test"]["steps"]
    step = next(step for step in steps if SWITCH in step.get("env", {}))
    assert step["env"][SWITCH] == f"${{{{ vars.{SWITCH} }}}}"
    branch = re.search(rf'if \[ "\${SWITCH}" = true \]; then\n(.*?)\n *else', step["run"], re.S)
    return [line.split() for line in branch.group(1).splitlines()]


def test_the_deploy_switch_publishes_this_site_and_colab_notebooks_without_solutions(site, built_site, tmp_path):
    build, colab = switched_commands()
    assert build[1:] == COMMAND[1:] and colab[:-1] == COLAB  # this module's commands, on its folder
    pages_step = next(step for step in yaml.safe_load(WORKFLOW.read_text())["jobs"]["test"]["steps"]
                      if "upload-pages-artifact" in step.get("uses", ""))
    published = (OUTDIR / "_build" / "html").relative_to(REPO_ROOT).as_posix()
    assert pages_step["with"]["path"] == f"${{{{ vars.{SWITCH} == 'true' && '{published}' || '_build/html' }}}}"
    for document in ("instructors/teaching.md", "README.md"):
        assert f"`{SWITCH}`" in (REPO_ROOT / document).read_text(), document
    # the ipynb branch's notebooks, as the workflow writes them
    subprocess.run([sys.executable, *COLAB[1:], str(tmp_path)], cwd=REPO_ROOT, check=True, env=IN_A_FORK)
    written = {p.relative_to(tmp_path).as_posix() for p in tmp_path.rglob("*.ipynb")}
    expected = {p.relative_to(REPO_ROOT).with_suffix(".ipynb").as_posix()
                for p in all_notebooks() if not is_solution(p)}
    assert written == expected and "exercises/level_a.ipynb" in written
    level_a = (tmp_path / "exercises" / "level_a.ipynb").read_text(encoding="utf-8")
    assert "*solutions*" in level_a  # named, as on the site, without a link
    first_cell = "".join(json.loads(level_a)["cells"][0]["source"])
    assert f'"clone", "--depth", "1", "https://github.com/{FORK}", "course"' in first_cell  # the fork's helpers
    assert not [n for n in written if SOLUTION_LINK.search((tmp_path / n).read_text(encoding="utf-8"))]
