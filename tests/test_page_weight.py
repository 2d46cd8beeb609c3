"""What the build does to lighten a page without changing what it shows: a page's stylesheets served
as one file in the same cascade order (book_build/stylesheets.py), code blocks without the
spans that draw nothing differently (book_build/code_markup.py), and Font Awesome cut to the
icons the pages show, in its fonts and its rules (book_build/icon_fonts.py)."""
import re
from pathlib import Path

import pydata_sphinx_theme
from fontTools.ttLib import TTFont
from pygments import highlight
from pygments.formatters import HtmlFormatter
from pygments.lexers import PythonLexer
from pygments.styles import get_style_by_name
from pygments.token import Keyword, Name, Punctuation, Text

from book_build.code_markup import PlainTokens, drawn_as_plain
from book_build.icon_fonts import FONTS, RULE, defined_icons, drawn_points, without_unnamed_icons
from book_build.stylesheets import bundle_site, bundle_text, listed_files

TAG = re.compile(r"<[^>]+>")
COLOURED = re.compile(r'<span class="(k|kn|c1|s\w*|nf|nb|si|mf)">([^<]*)<')
STYLES = ["a11y-high-contrast-light", "a11y-high-contrast-dark"]  # the theme's (theme.conf)

PAGE = """<html><head>
  <link href="../_static/styles/theme.css?digest=1" rel="stylesheet" />
  <link rel="stylesheet" type="text/css" href="../_static/extension.css?v=2" />
  <script src="../_static/doctools.js"></script>
  <link rel="stylesheet" type="text/css" href="../_static/course.css?v=3" />
</head><body><link rel="stylesheet" href="../_static/late.css" /></body></html>"""


def site(tmp_path: Path) -> Path:
    (tmp_path / "_static" / "styles").mkdir(parents=True)
    (tmp_path / "chapters").mkdir()
    (tmp_path / "_static" / "styles" / "theme.css").write_text('@import "../basic.css";\n.theme { }')
    (tmp_path / "_static" / "basic.css").write_text(".basic { background: url(file.png) }")
    (tmp_path / "_static" / "extension.css").write_text('@charset "UTF-8";\n.extension { }')
    (tmp_path / "_static" / "course.css").write_text(".course { }\n/*# sourceMappingURL=course.css.map */")
    (tmp_path / "chapters" / "page.html").write_text(PAGE)
    return tmp_path


def test_one_link_to_the_stylesheets_in_their_order(tmp_path):
    root = site(tmp_path)
    assert bundle_site(root) == 1
    html = (root / "chapters" / "page.html").read_text()
    head = html.split("</head>")[0]
    assert head.count('rel="stylesheet"') == 1 and '<script src="../_static/doctools.js">' in head
    assert '<link rel="stylesheet" href="../_static/late.css" />' in html, "the body is left alone"
    href = head.split('<link rel="stylesheet" href="../', 1)[1].split('"')[0]
    text = (root / href).read_text()
    order = [text.index(rule) for rule in (".basic", ".theme", ".extension", ".course")]
    assert order == sorted(order), "the cascade order changed"
    assert text.startswith('@charset "UTF-8";') and text.count("@charset") == 1
    assert "@import" not in text and "sourceMappingURL" not in text
    assert "url(file.png)" in text, "basic.css's image is relative to the bundle's folder, as before"


def test_a_later_build_rewrites_the_bundle_of_pages_it_did_not_render(tmp_path):
    root = site(tmp_path)
    bundle_site(root)
    (root / "_static" / "course.css").write_text(".course { color: red }")
    assert bundle_site(root) == 0, "the page already has one link"
    bundle = next((root / "_static").glob("stylesheets-*.css"))
    assert ".course { color: red }" in bundle.read_text()


def test_pages_with_print_or_remote_stylesheets_are_left_alone(tmp_path):
    root = site(tmp_path)
    page = root / "chapters" / "page.html"
    for extra in ('<link rel="stylesheet" media="print" href="../_static/course.css" />',
                  '<link rel="stylesheet" href="https://example.org/remote.css" />'):
        page.write_text(PAGE.replace("</head>", extra + "</head>"))
        assert bundle_site(root) == 0
        assert page.read_text() == PAGE.replace("</head>", extra + "</head>")


def test_only_tokens_drawn_as_plain_text_in_both_styles_lose_their_span():
    plain = drawn_as_plain(STYLES)
    assert {Name, Punctuation} <= plain and Keyword not in plain and Text not in plain
    for name in STYLES:
        style = get_style_by_name(name)
        assert all(style.style_for_token(t) == style.style_for_token(Text) for t in plain)


def test_code_shows_the_same_text_and_colours_with_fewer_spans():
    code = "import numpy as np\nresult = np.dot(a, b)  # the sum of products\nprint(f'{result:.3f}')\n"
    plain_lexer = PythonLexer()
    plain_lexer.add_filter(PlainTokens(drawn_as_plain(STYLES)))
    before, after = (highlight(code, lexer, HtmlFormatter()) for lexer in (PythonLexer(), plain_lexer))
    assert TAG.sub("", after) == TAG.sub("", before)
    assert after.count("<span") < before.count("<span") * 0.7
    assert COLOURED.findall(after) == COLOURED.findall(before), "a coloured token lost its colour"


def test_the_sites_bundles_hold_the_stylesheets_as_they_ended_the_build(built_site):
    """Bundled after every other step that writes a stylesheet (the theme rewrites pygments.css
    when the build finishes): each bundle equals one made now from the files it lists."""
    bundles = sorted((built_site / "_static").glob("stylesheets-*.css"))
    assert bundles, "no stylesheet bundle in the built site"
    for bundle in bundles:
        name, text = bundle_text(built_site.resolve(), listed_files(bundle, built_site.resolve()))
        assert (name, text) == (bundle.name, bundle.read_text()), f"{bundle.name} is stale"


def test_stylesheets_lose_only_the_rules_defining_icons_no_page_names():
    css = ('@font-face{font-family:"FA";src:url(fa.woff2)}'
           '.fa-rocket:before{content:"\\f135"}'
           '.fa-map:before{content:"\\f279"}'
           '.fa-ils:before,.fa-shekel:before{content:"\\f20b"}'
           '.fa-1x{font-size:1em}'
           '.header .fa-map:before{color:red}'
           '@media (min-width:576px){.fa-map::before{content:"\\f279"}.navbar{display:flex}}'
           '.bd-toggle:before{content:"\\f0c9"}')
    assert without_unnamed_icons(css, {"fa-rocket", "fa-shekel"}) == (
        '@font-face{font-family:"FA";src:url(fa.woff2)}'
        '.fa-rocket:before{content:"\\f135"}'
        '.fa-ils:before,.fa-shekel:before{content:"\\f20b"}'   # one of its names is shown
        '.header .fa-map:before{color:red}'                     # the theme's own rule
        '@media (min-width:576px){.navbar{display:flex}}'
        '.bd-toggle:before{content:"\\f0c9"}')


# Font Awesome's rules as the theme ships them (its stylesheet bundles them), before the build cuts any.
THEME_CSS = Path(pydata_sphinx_theme.__file__).parent / "theme" / "pydata_sphinx_theme" / "static" / "styles" \
    / "pydata-sphinx-theme.css"
CLASSES = re.compile(r'\bclass="([^"]*)"')
BUNDLE_LINK = re.compile(r'href="(?:\.\./)*(_static/stylesheets-[0-9a-f]+\.css)"')


def icon_points(css: str) -> dict[str, set[int]]:
    """icon class -> the code points its defining rules draw."""
    points = {}
    for selector, body in RULE.findall(css):
        drawn = drawn_points(body)
        for icon in defined_icons(selector) if drawn else ():
            points.setdefault(icon, set()).update(drawn)
    return points


def test_every_icon_a_page_shows_keeps_its_rule_and_its_glyph(built_site):
    """An icon whose rule or glyph the build cut would show as an empty box: each icon a page's HTML
    names keeps, in that page's stylesheet, the character Font Awesome gives it, and the cut fonts
    have that character."""
    theme = icon_points(THEME_CSS.read_text(encoding="utf-8"))
    drawable = set()
    for font in (built_site / FONTS).glob("*.woff2"):
        drawable |= set(TTFont(font).getBestCmap())
    bundles, problems, shown = {}, [], set()
    for page in sorted(built_site.rglob("*.html")):
        if "lite" in page.relative_to(built_site).parts:
            continue
        html = page.read_text(encoding="utf-8")
        icons = {name for classes in CLASSES.findall(html) for name in classes.split() if name in theme}
        link = BUNDLE_LINK.search(html)
        if not icons or not link:
            continue
        shown |= icons
        if link[1] not in bundles:
            bundles[link[1]] = icon_points((built_site / link[1]).read_text(encoding="utf-8"))
        for icon in sorted(icons):
            if bundles[link[1]].get(icon) != theme[icon]:
                problems.append(f"{page.relative_to(built_site)}: {icon} is not defined as Font Awesome defines it")
            elif not theme[icon] <= drawable:
                problems.append(f"{page.relative_to(built_site)}: {icon}'s glyph was cut from the fonts")
    assert {"fa-rocket", "fa-github", "fa-download"} <= shown, f"the header's icons not found: {shown}"
    assert not problems, problems[:10]
