"""Every page of the built site in headless Chromium, as a reader would see it.

Serves the built site (_build/html, or $COURSE_SITE) on 127.0.0.1 and checks, page by page:
math rendered as MathML at build time (no TeX left, no unknown command), executed outputs
present (and no error output: intended
errors are printed), figures loaded, described and opaque
(legible on the dark theme too), launch links (Binder, Colab, JupyterLite, Live Code) and
downloads (.ipynb with outputs, .md, the archive) well formed and present, links between pages
resolving to an existing anchor, toggles that open, and no JavaScript error except requests to
other hosts, which are blocked here. At phone width (390 x 844) and desktop width, each page is
also checked for how it reads: no sideways page scroll, no clipped formula, no inline formula
scrolling in a box of its own, no display formula wider than the column, no table wider than the
column nor result cell on three lines, figure text at least 9 px as shown, and axe-core's accessibility
findings (counts per impact, none serious or critical), with each page's first-visit weight;
these numbers go to _build/screenshots/reading.json. A screenshot of each page, at both widths,
goes to _build/screenshots/ (kept by the tests workflow): its first screen, or the whole page with
COURSE_SCREENSHOTS=full in the environment (a whole long page at phone resolution takes seconds to
capture, about half of this module's time, and checks nothing the assertions do not).

Needs the site built (`python3 tasks.py build`) and Chromium (`python3 tasks.py test` provides it).
"""
from __future__ import annotations

import fcntl
import functools
import http.server
import json
import os
import re
import sys
import threading
import time
import zipfile
from pathlib import Path
from urllib.parse import parse_qs, unquote, urljoin, urlparse

import jupytext
import nbformat
import pytest
import yaml

from book_build import REPOSITORY, export
from book_build.course_pdf import CHROMIUM
from course_tools.notebooks import REPO_ROOT, all_notebooks

SITE = Path(os.environ.get("COURSE_SITE", REPO_ROOT / "_build" / "html"))
SCREENSHOTS = SITE.parent / "screenshots"
CHROMIUM_FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                  "--disable-background-networking", "--disable-component-update", "--disable-sync"]
ORG_REPO = urlparse(REPOSITORY).path.strip("/")
LOCAL = re.compile(r"^https?://127\.0\.0\.1[:/]")
# What a failed import of another host's script leaves: the URL alone (Pyodide, from a worker).
FAILED_EXTERNAL_IMPORT = re.compile(r"uncaught: https?://(?!127\.0\.0\.1)\S+")


def toc_sources() -> list[str]:
    """Every source file in _toc.yml, without suffix: the pages the site must have."""
    def files(entry):
        if isinstance(entry, dict):
            yield from ([entry["file"]] if "file" in entry else [])
            for value in entry.values():
                yield from files(value)
        elif isinstance(entry, list):
            for item in entry:
                yield from files(item)
    # the site's own table of contents: a build with --no-solutions writes its own beside its _build/
    toc_path = SITE.parent.parent / "_toc.yml"
    toc = yaml.safe_load((toc_path if toc_path.exists() else REPO_ROOT / "_toc.yml").read_text())
    return [toc["root"], *files(toc.get("parts", toc.get("chapters", [])))]


SOURCES = toc_sources()
PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 900}
MIN_TEXT_PX = 9  # smallest figure text, in CSS pixels as shown
# axe-core's script, which `python3 tasks.py test` fetches into the environment (tasks.ensure_axe).
AXE = Path(sys.prefix) / "axe-core.min.js"
# Pages that teach: each opens with what the reader will be able to do, and needs.
CHAPTERS = [s for s in SOURCES
            if s.startswith("chapters/") and s not in ("chapters/intro", "chapters/build_report")]
READING = SCREENSHOTS / "reading.json"
FULL_PAGE = os.environ.get("COURSE_SCREENSHOTS") == "full"

NOTEBOOKS = {p.relative_to(REPO_ROOT).with_suffix("").as_posix() for p in all_notebooks()} & set(SOURCES)

class QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass

    def end_headers(self):
        self.send_header("Cache-Control", "max-age=600")  # scripts and styles: fetched once per run
        super().end_headers()


@pytest.fixture(scope="module")
def site(built_site):
    return built_site


def serve(folder: Path):
    """Serve a folder on 127.0.0.1 from a background thread: the server and its URL."""
    handler = functools.partial(QuietHandler, directory=str(folder))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, f"http://127.0.0.1:{server.server_address[1]}/"


@pytest.fixture(scope="module")
def site_url(site):
    server, url = serve(site)
    yield url
    server.shutdown()


@pytest.fixture(scope="module")
def screenshots() -> Path:
    """Where the tests that take a site's fixtures (tests/test_without_solutions.py) put its pictures."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    return SCREENSHOTS


@pytest.fixture(scope="module")
def browser():
    """A headless Chromium (Debian's: Playwright's own download does not work here)."""
    if not Path(CHROMIUM).exists():
        pytest.fail(f"no Chromium at {CHROMIUM}: `python3 tasks.py test` finds or installs one")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_FLAGS)
        yield browser
        browser.close()


@pytest.fixture(scope="module")
def context(browser):
    """One desktop context for all pages: the theme's scripts and styles are fetched once."""
    context = browser.new_context(viewport=DESKTOP)
    yield context
    context.close()


class Visit:
    """A page opened in the browser, with every problem it logs. Other hosts are unreachable."""

    def __init__(self, context, url):
        self.page = context.new_page()
        self.blocked, self.errors = [], []
        self.page.route(re.compile(r"^https?://"), self.route)
        self.page.on("console", self.console)
        self.page.on("pageerror", lambda error: self.errors.append(f"uncaught: {error}"))
        self.page.on("response", lambda r: r.status < 400 or self.errors.append(f"HTTP {r.status}: {r.url}"))
        self.page.goto(url, wait_until="load")

    def route(self, route):
        if LOCAL.match(route.request.url):
            route.continue_()
        else:
            self.blocked.append(route.request.url)
            route.abort()

    def console(self, message):
        if message.type == "error" and message.location.get("url") not in self.blocked:
            self.errors.append(f"console: {message.text}")

    def unexpected_errors(self):
        # Requests to other hosts fail here: blocked by route(), or, from a web worker that route()
        # does not reach, for want of a network.
        return [e for e in self.errors
                if not any(url in e for url in self.blocked) and not FAILED_EXTERNAL_IMPORT.fullmatch(e)]


def site_file(url: str, root: Path = SITE) -> Path:
    return root / unquote(urlparse(url).path).lstrip("/")


# Each check returns the problems it finds on an open page (test_checks_catch_broken_pages shows
# each one rejecting a page with the problem it looks for).

def math_problems(page) -> list[str]:
    """Every formula the page marks as math was rendered to MathML when the site was built: no TeX
    left for a script to typeset, no TeX command the converter kept as a name, no math script."""
    raw = page.evaluate("[...document.querySelectorAll('.math.notranslate')]"
                        ".filter(e => !e.querySelector('math')).map(e => e.textContent.trim())")
    unknown = page.evaluate("[...document.querySelectorAll('math :is(mi, mo, mn, mtext)')]"
                            ".filter(e => /^\\\\[A-Za-z]/.test(e.textContent))"
                            ".map(e => e.closest('math').getAttribute('alttext') || e.textContent)")
    unsized = page.evaluate("[...document.querySelectorAll('.math.notranslate math')]"
                            ".filter(e => e.getClientRects().length && !e.getBoundingClientRect().width)"
                            ".map(e => e.getAttribute('alttext'))")
    scripts = page.evaluate("[...document.scripts].map(s => s.src).filter(s => /mathjax|katex/i.test(s))")
    return ([f"math left as TeX: {t}" for t in raw] + [f"TeX not rendered: {t}" for t in unknown]
            + [f"formula drawn with no width: {t}" for t in unsized]
            + [f"math script loaded: {s}" for s in scripts])


def output_problems(page) -> list[str]:
    """A notebook page shows executed outputs and no error: an intended error is printed
    (course_tools.pitfalls), so every client's Run all goes on past it."""
    if not page.locator("div.cell_output").count():
        return ["no executed output"]
    return [f"unexpected error output: {e.inner_text()[:200]}"
            for e in page.locator("div.cell_output .output.traceback, div.cell_output .output.error").all()]


def figure_problems(page) -> list[str]:
    """Images load, have alt text, and raster figures are opaque and light at the edges."""
    problems = []
    for image in page.locator("article.bd-article img").all():
        src = image.get_attribute("src")
        if not image.evaluate("i => i.complete && i.naturalWidth > 0"):
            problems.append(f"image failed to load: {src}")
            continue
        alt = (image.get_attribute("alt") or "").strip()
        if not alt or re.search(r"\.(png|svg|jpe?g)$", alt):
            problems.append(f"image without alt text: {src}")
        if src.endswith(".png"):
            corners = image.evaluate("""i => { const c = document.createElement('canvas');
                c.width = i.naturalWidth; c.height = i.naturalHeight; const x = c.getContext('2d');
                x.drawImage(i, 0, 0); const w = c.width - 1, h = c.height - 1;
                return [[0, 0], [w, 0], [0, h], [w, h]].map(
                    ([a, b]) => Array.from(x.getImageData(a, b, 1, 1).data)); }""")
            if not all(alpha == 255 and min(rgb) > 200 for *rgb, alpha in corners):
                problems.append(f"transparent or dark figure (unreadable on the other theme): {src}")
    return problems


def link_problems(page, url: str, root: Path = SITE) -> list[str]:
    """Links between pages (chapters, exercises, solutions) reach an existing page and anchor."""
    problems = []
    links = page.locator("article.bd-article a.reference.internal").all()
    for href in {a.get_attribute("href") for a in links}:
        target = urlparse(urljoin(url, href))
        path = site_file(target.geturl(), root)
        if not path.is_file():
            problems.append(f"link to a missing page: {href}")
        elif target.fragment and f'id="{target.fragment}"' not in path.read_text(encoding="utf-8"):
            problems.append(f"link to a missing anchor: {href}")
    return problems


def toggle_problems(page) -> list[str]:
    """Toggles (answers, hidden code) start closed and show their content when clicked."""
    return page.evaluate("""() => [...document.querySelectorAll('article.bd-article details')].map(d => {
        const summary = d.querySelector('summary'), label = summary.textContent.trim();
        if (d.open) return `toggle starts open: ${label}`;
        summary.click();
        const shown = [...d.children].some(c => c.tagName !== 'SUMMARY' && c.offsetHeight > 0);
        return d.open && shown ? null : `toggle shows nothing when opened: ${label}`;
    }).filter(Boolean)""")


def sideways_scroll_problems(page) -> list[str]:
    """The page is no wider than the window: nothing scrolls it sideways."""
    width, window = page.evaluate(
        "[document.documentElement.scrollWidth, window.innerWidth]")
    return [f"page scrolls sideways: {width} px wide in a {window} px window"] \
        if width > window else []


def clipped_math_problems(page) -> list[str]:
    """No formula is cut off by a box that hides what overflows it."""
    return page.evaluate("""() => [...document.querySelectorAll(
            'span.math, div.math, mjx-container')].filter(e => {
        const style = getComputedStyle(e);
        return ['hidden', 'clip'].includes(style.overflowX)
            && e.scrollWidth > e.clientWidth + 1;
    }).map(e => `clipped formula (${e.scrollWidth - e.clientWidth} px hidden): `
               + e.textContent.trim().slice(0, 60))""")


def wide_formula_problems(page) -> list[str]:
    """No display formula is wider than the column: one that is scrolls sideways in its own box,
    and a phone shows only its start. A long one is broken over lines (``aligned``)."""
    return page.evaluate("""() => [...document.querySelectorAll('div.math')]
        .filter(e => e.scrollWidth > e.clientWidth + 1)
        .map(e => `display formula ${e.scrollWidth - e.clientWidth} px wider than the column: `
                  + (e.querySelector('math')?.getAttribute('alttext') || e.textContent).trim().slice(0, 60))""")


def scrolling_math_problems(page) -> list[str]:
    """No inline formula scrolls in a box of its own: with classic scrollbars (Windows, most
    Linux desktops) each would show one. Measured from styles and sizes, since headless Chromium
    draws no scrollbars for a screenshot to show."""
    return page.evaluate("""() => [...document.querySelectorAll('span.math, span.math *')].filter(e => {
        const style = getComputedStyle(e);
        return (['auto', 'scroll'].includes(style.overflowX) && e.scrollWidth > e.clientWidth)
            || style.overflowX === 'scroll' || style.overflowY === 'scroll';
    }).map(e => 'inline formula with its own scrollbar: ' + e.closest('span.math').textContent.trim().slice(0, 60))""")


def table_problems(page) -> list[str]:
    """Every table fits the column (the theme would scroll a wider one sideways in its own box), and
    no cell of a results table (a cell's output, the build report's) wraps onto three lines."""
    return page.evaluate("""() => [...document.querySelectorAll('article.bd-article table')].flatMap(t => {
        const head = t.rows[0].textContent.trim().replace(/\\s+/g, ' ').slice(0, 50);
        const wide = t.scrollWidth > t.parentElement.clientWidth + 1
            ? [`table scrolls sideways (${t.scrollWidth - t.parentElement.clientWidth} px too wide): ${head}`] : [];
        if (!t.closest('.cell_output, .execution-report')) return wide;
        return wide.concat([...t.querySelectorAll('td')].map(cell => {
            const style = getComputedStyle(cell), range = document.createRange();
            range.selectNodeContents(cell);
            const line = parseFloat(style.lineHeight) || 1.2 * parseFloat(style.fontSize);
            const lines = Math.round(range.getBoundingClientRect().height / line);
            return lines >= 3 ? `result cell on ${lines} lines: ${cell.textContent.trim().slice(0, 40)}` : null;
        }).filter(Boolean));
    })""")


SVG_FONT = re.compile(r"font(?:-size)?:\s*(?:[a-z-]+\s+)*([\d.]+)px")


def figure_text_problems(page, url: str, root: Path = SITE) -> list[str]:
    """Figures are vector images whose smallest text is legible as shown."""
    problems = []
    for image in page.locator("article.bd-article .cell_output img").all():
        src = image.get_attribute("src")
        if not src.endswith(".svg"):
            problems.append(f"raster figure (blurred on sharp screens): {src}")
            continue
        svg = site_file(urljoin(url, src), root).read_text(encoding="utf-8")
        view_width = float(re.search(r'viewBox="[\d.]+ [\d.]+ ([\d.]+)', svg)[1])
        sizes = [float(size) for size in SVG_FONT.findall(svg)]
        if not sizes:
            problems.append(f"figure text drawn as paths, size unknown: {src}")
            continue
        shown = min(sizes) * image.bounding_box()["width"] / view_width
        if shown < MIN_TEXT_PX:
            problems.append(f"figure text {shown:.1f} px as shown "
                            f"(under {MIN_TEXT_PX} px): {src}")
    return problems


def axe_findings(page) -> dict[str, dict[str, int]]:
    """axe-core's findings: elements per impact, and per rule."""
    if not AXE.exists():
        pytest.fail(f"no axe-core at {AXE}: `python3 tasks.py test` fetches it", pytrace=False)
    page.add_script_tag(path=str(AXE))
    # No preload: axe would re-fetch stylesheets and resolve the theme's
    # @import against the page, not the stylesheet (a 404 of its own making).
    # resultTypes: only violations are detailed (passes are counted, not listed), which on a long
    # page roughly halves axe's time; every violation is still reported in full.
    result = page.evaluate("""() => axe.run(document, {preload: false, resultTypes: ['violations'],
        rules: {'label-content-name-mismatch': {enabled: true}}})""")
    impacts, rules = {}, {}
    for violation in result["violations"]:
        count = len(violation["nodes"])
        impacts[violation["impact"]] = impacts.get(violation["impact"], 0) + count
        rules[violation["id"]] = count
    return {"impacts": impacts, "rules": rules}


def reading_problems(page, url: str, findings: dict, root: Path = SITE) -> list[str]:
    """Everything a reader meets at one width, with axe's serious and critical findings."""
    severe = [f"axe: {n} {impact}" for impact, n in findings["impacts"].items()
              if impact in ("serious", "critical")]
    return (sideways_scroll_problems(page) + clipped_math_problems(page) + scrolling_math_problems(page)
            + wide_formula_problems(page) + table_problems(page) + figure_text_problems(page, url, root)
            + ([f"{', '.join(severe)}: {findings['rules']}"] if severe else []))


def record_reading(key: str, numbers: dict) -> None:
    """Add one page's numbers to _build/screenshots/reading.json (locked: pages are spread over
    the pytest-xdist workers, which may write at the same moment)."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    with (SCREENSHOTS / ".reading.lock").open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        report = json.loads(READING.read_text()) if READING.exists() else {}
        report[key] = numbers
        READING.write_text(json.dumps(report, indent=1, sort_keys=True))


def screenshot(page, name: str, quality: int = 80) -> None:
    """A JPEG for a person to look at: the first screen, or the whole page (COURSE_SCREENSHOTS=full)."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=SCREENSHOTS / name, full_page=FULL_PAGE, quality=quality)


# Where each element of the article stood once the page was parsed, before any script ran
# (readyState "interactive" comes before deferred scripts and DOMContentLoaded handlers).
FIRST_LAYOUT = """document.addEventListener("readystatechange", () => {
  if (document.readyState !== "interactive") return;
  window.firstLayout = new Map([...document.querySelectorAll("article.bd-article *")]
    .map((element) => [element, element.getBoundingClientRect().top]));
});"""


def late_shift_problems(page) -> list[str]:
    """Text of the first screen that moves once the scripts have run. On a slow phone the page is
    painted before they run, so the reader sees it jump (Lighthouse's layout shift). Needs
    FIRST_LAYOUT as an init script of the page's context."""
    return page.evaluate("""() => [...window.firstLayout]
        .filter(([element, top]) => top < innerHeight && !element.children.length
                && element.textContent.trim() && Math.abs(element.getBoundingClientRect().top - top) > 2)
        .slice(0, 3).map(([element, top]) => (`text moves after the scripts run: ${element.tagName} `
            + `"${element.textContent.trim().slice(0, 40)}" ${Math.round(top)} -> `
            + `${Math.round(element.getBoundingClientRect().top)} px`).replace(/\\s+/g, " "))""")


def objectives_problems(page) -> list[str]:
    """A chapter opens, right after its title, with what the reader will be
    able to do and what they need."""
    text = page.evaluate("""() => {
        const next = document.querySelector('article.bd-article h1')
            ?.nextElementSibling;
        return next?.classList.contains('admonition') ? next.textContent : '';
    }""")
    return [] if "You will be able to" in text and "You need" in text else \
        ["no 'You will be able to' / 'You need' block right after the title"]


def test_toc_pages_are_built(site):
    missing = [s for s in SOURCES if not (SITE / f"{s}.html").exists()]
    assert not missing, f"pages missing from {SITE} (run `python3 tasks.py build`): {missing}"


@pytest.mark.parametrize("source", SOURCES)
def test_page(context, site_url, source):
    url = urljoin(site_url, f"{source}.html")
    visit = Visit(context, url)
    page = visit.page
    is_notebook = source in NOTEBOOKS
    runs_code = is_notebook and page.locator("div.cell").count() > 0

    assert not math_problems(page), math_problems(page)
    if runs_code:
        assert not output_problems(page), output_problems(page)
    if "matplotlib" in (REPO_ROOT / f"{source}.md").read_text(encoding="utf-8"):
        assert page.locator("article.bd-article img").count(), "the page plots but shows no figure"
    assert not figure_problems(page), figure_problems(page)
    assert not link_problems(page, url), link_problems(page, url)

    # Launch buttons on every notebook page, each pointing at this page's notebook.
    hrefs = {a.inner_text().strip(): a.get_attribute("href")
             for a in page.locator(".dropdown-launch-buttons a, .dropdown-download-buttons a").all()}
    if is_notebook:
        assert hrefs.get("Binder") == f"https://mybinder.org/v2/gh/{ORG_REPO}/main?urlpath=lab/tree/{source}.md"
        assert hrefs.get("Colab") == \
            f"https://colab.research.google.com/github/{ORG_REPO}/blob/ipynb/{source}.ipynb"
        lite = urlparse(urljoin(url, hrefs["JupyterLite"]))
        assert site_file(lite.geturl()) == SITE / "lite" / "lab" / "index.html"
        assert parse_qs(lite.query)["path"] == [f"{source}.ipynb"]
        assert (SITE / "lite" / "files" / f"{source}.ipynb").exists(), "not in JupyterLite's files"
        live_code = page.locator(".dropdown-launch-buttons button[onclick='initThebeSBT()']")
        assert live_code.count() == 1, "no Live Code button"
        thebe = page.locator("script[type='text/x-thebe-config']").inner_text()
        assert f'repo: "{ORG_REPO}"' in thebe and 'ref: "main"' in thebe

    # Downloads: the source (.md) as written, the executed notebook (.ipynb) and the archive.
    assert site_file(urljoin(url, hrefs[".md"])).read_bytes() == (REPO_ROOT / f"{source}.md").read_bytes(), \
        "the .md download differs from the source: is the build out of date?"
    assert site_file(urljoin(url, hrefs["all notebooks (.zip)"])) == SITE / "course-notebooks.zip"
    if runs_code:
        downloaded = nbformat.read(site_file(urljoin(url, hrefs[".ipynb"])), as_version=4)
        assert any(cell.get("outputs") for cell in downloaded.cells), "the .ipynb download has no outputs"

    # axe before the toggles open: mid-animation text would fail its contrast check
    findings = axe_findings(page)
    record_reading(f"desktop {source}", findings)
    assert not reading_problems(page, url, findings), reading_problems(page, url, findings)
    assert not toggle_problems(page), toggle_problems(page)
    if source in CHAPTERS:
        assert not objectives_problems(page), objectives_problems(page)
    icon = page.locator("link[rel='icon']").get_attribute("href")
    assert site_file(urljoin(url, icon)).is_file(), f"no favicon at {icon}"
    pdf = site_file(urljoin(url, hrefs["whole course (.pdf)"]))
    assert pdf == SITE / "implementing-mathematics-with-numpy.pdf" and pdf.is_file()
    page.evaluate("document.activeElement.blur(); window.scrollTo(0, 0)")  # no sticky header mid-page
    screenshot(page, f"{source.replace('/', '__')}.jpg")
    assert not visit.unexpected_errors(), f"JavaScript errors: {visit.unexpected_errors()}"
    page.close()


@pytest.mark.parametrize("source", SOURCES)
def test_page_on_a_phone(browser, site_url, source):
    """At 390 x 844, on a first visit (nothing cached): how the page reads and what it weighs."""
    context = browser.new_context(viewport=PHONE, device_scale_factor=2)
    context.add_init_script(FIRST_LAYOUT)
    url = urljoin(site_url, f"{source}.html")
    visit = Visit(context, url)
    page = visit.page
    # Its web fonts loaded too (the last requests of a page; the favicon, fetched by the browser
    # whenever it likes after load, is not counted). Not "networkidle": half a second more per page.
    page.evaluate("document.fonts.ready.then(() => true)")
    assert not late_shift_problems(page), late_shift_problems(page)
    # What came over the network, from the page's own Resource Timing (bodies are not copied out).
    loaded = page.evaluate("""() => performance.getEntriesByType('navigation')
        .concat(performance.getEntriesByType('resource')).map(e => [e.name, e.transferSize])
        .filter(([name]) => !name.endsWith('/favicon.svg'))""")
    findings = axe_findings(page)
    record_reading(f"phone {source}", {**findings, "requests": len(loaded),
                                       "bytes": sum(size for _, size in loaded)})
    assert not reading_problems(page, url, findings), reading_problems(page, url, findings)
    assert not [u for u, _ in loaded if "fontawesome.js" in u], \
        "fontawesome.js is back (1.5 MB; the stylesheet's web fonts draw the icons)"
    assert not [u for u, _ in loaded if "searchtools.js" in u], "searchtools.js loaded outside the search page"
    stylesheets = [u for u, _ in loaded if urlparse(u).path.endswith(".css")]
    assert len(stylesheets) == 1, f"one stylesheet request per page (book_build/stylesheets.py): {stylesheets}"
    screenshot(page, f"phone__{source.replace('/', '__')}.jpg", quality=70)
    assert not visit.unexpected_errors(), visit.unexpected_errors()
    context.close()


TABLET = {"width": 800, "height": 1100}


@pytest.mark.parametrize("viewport", [PHONE, TABLET, DESKTOP], ids=["phone", "tablet", "desktop"])
def test_site_menu_opens_and_leads_to_a_page(browser, site_url, screenshots, viewport):
    """The visible ☰ shows the site navigation at every width, and a link in it opens that page.

    Below 992 px the sidebar is hidden until ☰ opens it; a base theme that binds its handler to
    another, hidden toggle leaves the button showing only its tooltip (pydata-sphinx-theme 0.17
    with sphinx-book-theme 1.3, pydata/pydata-sphinx-theme#2451).
    """
    context = browser.new_context(viewport=viewport)
    visit = Visit(context, urljoin(site_url, "chapters/dot_product.html"))
    page = visit.page
    # Below 992 px ☰ moves the navigation into a modal dialog; at desktop width it sits beside the page.
    menu_link = ("#pst-primary-sidebar a.reference.internal[href$='matmul.html']:visible, "
                 "#pst-primary-sidebar-modal a.reference.internal[href$='matmul.html']:visible")
    link = page.locator(menu_link)
    toggles = page.locator(".primary-toggle:visible")
    assert toggles.count() == 1, f"{toggles.count()} visible menu buttons"
    if link.count():  # shown beside the page: ☰ hides it, and brings it back
        toggles.first.click()
        page.locator(menu_link).wait_for(state="detached", timeout=3000)
        toggles.first.click()
    else:  # hidden until ☰ opens it
        toggles.first.click()
    link.first.wait_for(state="visible", timeout=3000)
    link = link.first
    # The sidebar slides in (a CSS transition): wait for it to come to rest before measuring.
    box, deadline = None, time.monotonic() + 3
    while time.monotonic() < deadline:
        previous, box = box, link.bounding_box()
        if box and box == previous:
            break
        page.wait_for_timeout(100)
    assert box and 0 <= box["x"] < viewport["width"], f"the menu link is off screen: {box}"
    page.screenshot(path=screenshots / f"menu__{viewport['width']}.png")
    link.click()
    page.wait_for_url("**/chapters/matmul.html")
    assert "Matrix" in page.title(), page.title()
    assert not visit.unexpected_errors(), visit.unexpected_errors()
    context.close()


def test_search_ranks_the_chapter_and_highlights(context, site_url):
    """Search (the only page with searchtools.js) puts the chapter whose title matches first, and
    marks the searched word in the results and on the page it opens."""
    visit = Visit(context, urljoin(site_url, "search.html?q=standardize"))
    page = visit.page
    page.locator("#search-results li").first.wait_for(timeout=15_000)
    assert page.locator("#search-results li a").first.get_attribute("href").endswith("standardization.html")
    # Every result whose snippet shows the word marks it. A snippet is the text around the word's
    # first literal occurrence, or the page's first 240 characters when the page only has other
    # forms of it (standardization, standardized): then there is nothing to mark.
    results = page.locator("#search-results li")
    showing = [results.nth(i) for i in range(results.count())
               if "standardize" in results.nth(i).inner_text().lower()]
    assert all(result.locator(".highlighted").count() for result in showing)
    page.locator("#search-results li a").first.click()
    page.wait_for_url("**/standardization.html*")
    page.locator("article .highlighted").first.wait_for(timeout=5000)
    assert not visit.unexpected_errors(), visit.unexpected_errors()


def test_index_redirects_with_a_title(site):
    index = (site / "index.html").read_text(encoding="utf-8")
    first = f"{SOURCES[0]}.html"
    assert "<title>" in index and f'url={first}"' in index and f'href="{first}"' in index


def test_course_pdf(site):
    pdf = (site / "implementing-mathematics-with-numpy.pdf").read_bytes()
    assert pdf.startswith(b"%PDF")
    pages = len(re.findall(rb"/Type\s*/Page[^s]", pdf))
    assert pages > 2 * len(SOURCES), f"only {pages} PDF pages for {len(SOURCES)} web pages"


BROKEN_PAGE = """<!DOCTYPE html><html><head>
<script src="mathjax/tex-mml-chtml.js"></script></head><body><article class="bd-article">
<span class="math notranslate">\\(x^2\\)</span>
<span class="math notranslate"><math alttext="\\foo x"><mi>\\foo</mi><mi>x</mi></math></span>
<span class="math notranslate"><math alttext="y"><mi>y</mi></math></span>
<div class="cell"><div class="cell_output"><div class="output traceback">Traceback: ValueError</div></div></div>
<img src="transparent.png" alt="a plot"> <img src="white.png">
<img src="https://example.org/blocked.png" alt="x">
<a class="reference internal" href="missing.html">gone</a>
<a class="reference internal" href="#nowhere">here</a>
<details open><summary>starts open</summary><p>answer</p></details>
<details><summary>empty</summary></details>
<script>notDefinedAnywhere()</script></article></body></html>"""


def test_checks_catch_broken_pages(context, site_url, tmp_path):
    """Each check above rejects a page that has the problem it looks for."""
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    for name, transparent in (("transparent.png", True), ("white.png", False)):
        figure = plt.figure(figsize=(1, 1))
        figure.savefig(tmp_path / name, transparent=transparent)
        plt.close(figure)
    (tmp_path / "broken.html").write_text(BROKEN_PAGE)
    server, url = serve(tmp_path)
    url += "broken.html"
    try:
        visit = Visit(context, url)
        page = visit.page
        problems = math_problems(page)
        assert problems[:2] == ["math left as TeX: \\(x^2\\)", "TeX not rendered: \\foo x"], problems
        assert len(problems) == 3 and problems[2].startswith("math script loaded: http://127.0.0.1"), problems
        assert output_problems(page) == ["unexpected error output: Traceback: ValueError"]
        assert figure_problems(page) == [
            "transparent or dark figure (unreadable on the other theme): transparent.png",
                                         "image without alt text: white.png",
                                         "image failed to load: https://example.org/blocked.png"]
        assert sorted(link_problems(page, url, tmp_path)) == ["link to a missing anchor: #nowhere",
                                                             "link to a missing page: missing.html"]
        assert toggle_problems(page) == ["toggle starts open: starts open",
                                         "toggle shows nothing when opened: empty"]
        assert [e for e in visit.unexpected_errors() if "notDefinedAnywhere" in e], visit.unexpected_errors()
        assert not [e for e in visit.unexpected_errors() if "example.org" in e], "a blocked request counted"
    finally:
        server.shutdown()


PHONE_BROKEN_PAGE = """<!DOCTYPE html><html><head>
<meta name="viewport" content="width=device-width, initial-scale=1"></head><body>
<article class="bd-article"><div style="width: 500px">a wide block</div>
<span class="math" style="display: inline-block; width: 50px; overflow: hidden">
<span style="display: inline-block; width: 200px">x + y = z</span></span>
<span class="math" style="display: inline-block; width: 50px; overflow-x: auto">
<math style="display: inline-block; width: 200px"><mi>N</mi></math></span>
<div class="math" style="overflow-x: auto"><math display="block" alttext="C = AB">
<mi style="display: inline-block; width: 600px">C</mi></math></div>
<div class="cell_output"><img src="tiny.svg" alt="a plot" style="width: 100px"></div>
<div style="overflow-x: auto"><table><tr><th style="min-width: 600px">wide</th></tr></table></div>
<div class="cell_output"><table><tr><td style="width: 30px">1.5 ms ±3%</td></tr></table></div>
<button aria-label="Close">Open</button></article>
<script>document.addEventListener("DOMContentLoaded", () => document.querySelector("article")
  .prepend(Object.assign(document.createElement("p"), {textContent: "shown late"})))</script></body></html>"""


def test_reading_checks_catch_broken_pages(browser, tmp_path):
    """Each phone-width check rejects a page that has the problem it looks for."""
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    with matplotlib.rc_context({"svg.fonttype": "none"}):
        figure = plt.figure(figsize=(4, 3))
        figure.text(0.5, 0.5, "tiny", fontsize=10)
        figure.savefig(tmp_path / "tiny.svg", format="svg")
        plt.close(figure)
    (tmp_path / "broken.html").write_text(PHONE_BROKEN_PAGE)
    server, url = serve(tmp_path)
    try:
        context = browser.new_context(viewport=PHONE)
        context.add_init_script(FIRST_LAYOUT)
        page = context.new_page()
        page.goto(url + "broken.html")
        shifts = late_shift_problems(page)
        assert shifts and all(p.startswith("text moves after the scripts run: ") for p in shifts), shifts
        assert sideways_scroll_problems(page) == [
            "page scrolls sideways: 508 px wide in a 390 px window"]
        assert [p[:27] for p in clipped_math_problems(page)] == ["clipped formula (150 px hid"]
        assert scrolling_math_problems(page) == ["inline formula with its own scrollbar: N"]
        wide = wide_formula_problems(page)
        assert len(wide) == 1 and wide[0].endswith(" px wider than the column: C = AB"), wide
        assert [p[:24] for p in table_problems(page)] == ["table scrolls sideways (", "result cell on 3 lines: "]
        # 10 pt text in a 288 pt wide figure shown 100 px wide: 3.5 px
        assert figure_text_problems(page, url + "broken.html", tmp_path) == [
            "figure text 3.5 px as shown (under 9 px): tiny.svg"]
        findings = axe_findings(page)
        assert findings["rules"].get("label-content-name-mismatch") == 1
        assert any(p.startswith("axe: ") and "label-content-name-mismatch" in p
                   for p in reading_problems(page, url + "broken.html", findings, tmp_path))
        context.close()
    finally:
        server.shutdown()


def test_dark_theme_screenshot(context, site_url):
    """A page on the dark theme, for a person to look at (figures are checked opaque above)."""
    visit = Visit(context, urljoin(site_url, "chapters/dot_product.html"))
    visit.page.evaluate("document.documentElement.dataset.theme = 'dark'")
    screenshot(visit.page, "dark__chapters__dot_product.jpg")
    assert visit.page.evaluate("getComputedStyle(document.body).backgroundColor") != "rgb(255, 255, 255)"
    assert not visit.unexpected_errors(), visit.unexpected_errors()


def test_jupyterlite_opens_a_chapter(context, site_url):
    """The JupyterLite link opens the notebook, setup cell first, with its outputs.

    Running it needs Pyodide from its CDN, which this test blocks: the kernel is not started here.
    """
    source = "chapters/dot_product"
    visit = Visit(context, urljoin(site_url, f"lite/lab/index.html?path={source}.ipynb"))
    expected = nbformat.read(SITE / "lite" / "files" / f"{source}.ipynb", as_version=4)
    assert len(expected.cells) == len(jupytext.read(REPO_ROOT / f"{source}.md").cells) + 1
    cells = visit.page.locator(".jp-NotebookPanel .jp-Cell")
    visit.page.wait_for_function(
        f"document.querySelectorAll('.jp-NotebookPanel .jp-Cell').length == {len(expected.cells)}", timeout=30_000)
    assert "piplite" in cells.first.inner_text()
    assert visit.page.locator(".jp-NotebookPanel .jp-OutputArea-output").count() > 0
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    visit.page.screenshot(path=SCREENSHOTS / "jupyterlite__chapters__dot_product.jpg", quality=80)
    assert not visit.unexpected_errors(), visit.unexpected_errors()


def test_jupyterlite_lists_every_notebook(site):
    listings = {p.parent.relative_to(SITE / "lite" / "api" / "contents").as_posix():
                json.loads(p.read_text()) for p in (SITE / "lite" / "api" / "contents").rglob("all.json")}
    for source in NOTEBOOKS:
        folder, name = source.rsplit("/", 1)
        names = {entry["name"]: entry["type"] for entry in listings[folder]["content"]}
        assert names.get(f"{name}.ipynb") == "notebook" and names.get(f"{name}.md") == "file", source
    top = {entry["name"] for entry in listings["."]["content"]}
    assert {"course_tools", *(source.split("/")[0] for source in NOTEBOOKS)} <= top


def test_notebook_archive(site):
    """The kit: every notebook of the site as a numbered .ipynb (course order), with outputs."""
    from book_build.notebook_archive import kit_names

    with zipfile.ZipFile(SITE / "course-notebooks.zip") as archive:
        names = set(archive.namelist())
        kit = kit_names()
        for source in NOTEBOOKS:
            name = f"course/{kit[Path(source + '.ipynb')].as_posix()}"
            assert name in names and f"course/{source}.md" not in names, source
            notebook = nbformat.reads(archive.read(name).decode(), as_version=4)
            assert_readable_with_outputs(notebook, f"course-notebooks.zip: {name}")
    assert {"course/requirements.txt", "course/pyproject.toml", "course/course_tools/timing.py"} <= names


def assert_readable_with_outputs(notebook, where):
    runs_code = any(cell.cell_type == "code" for cell in notebook.cells)
    assert not runs_code or any(cell.get("outputs") for cell in notebook.cells), f"{where}: no outputs"
    markdown = "\n".join(cell.source for cell in notebook.cells if cell.cell_type == "markdown")
    raw = export.MYST_MARKUP.findall(markdown)
    assert not raw, f"{where}: MyST markup a notebook front end would show raw: {raw[:3]}"


def test_page_ipynb_downloads_are_plain_notebooks_with_outputs(site):
    for source in NOTEBOOKS:
        notebook = nbformat.read(SITE / "_sources" / f"{source}.ipynb", as_version=4)
        assert_readable_with_outputs(notebook, f"{source}.ipynb download")
