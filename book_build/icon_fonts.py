"""Font Awesome's web fonts cut down to the icons the site shows.

The theme ships the whole of Font Awesome (three woff2 fonts, 293 KiB) to draw about ten icons;
a first visit downloads them all. After the build, each font is subset (fontTools) to the icons
the pages name (``fa-*`` classes in the HTML and the theme's scripts) and the code points the
stylesheets draw themselves (``content: "\\f..."``, ``--pst-icon-*``), so the same stylesheet loads fonts of a few KiB.
The stylesheets then lose the rules that only define icons no page names (``.fa-map:before``),
whose glyphs are gone from the fonts: with pydata-sphinx-theme 0.16.1, 1,857 rules, 83 KiB of
the 534 KiB every page's stylesheet held (gzip: 70 KB instead of 90). This runs before
``stylesheets`` bundles them.
"""
from __future__ import annotations

import logging
import re
from pathlib import Path

from fontTools import subset

FONTS = "_static/vendor/fontawesome/webfonts"
ICON_CLASS = re.compile(r"\bfa-[a-z0-9-]+")
RULE = re.compile(r"([^{}]+)\{([^{}]*)\}")
# An icon's character in CSS: escaped ("\f135") or written out (a private-use character).
ICON_CHARACTER = re.compile(r'"(?:\\([0-9a-fA-F]{4,5})|([\ue000-\uf8ff]))"')


def defined_icons(selector: str) -> set[str]:
    """The icon classes a rule defines when that is all it does (``.fa-ils:before, .fa-shekel:before``);
    empty for any other rule (the theme's own, drawing an icon or defining one as a variable)."""
    parts = [p.strip() for p in selector.split(",")]
    if all(re.fullmatch(r"\.fa-[a-z0-9-]+(?::+(?:before|after))?", p) for p in parts):
        return set(re.findall(r"\.(fa-[a-z0-9-]+)", selector))
    return set()


def drawn_points(body: str) -> set[int]:
    """The icon characters a rule's declarations draw."""
    return {int(escaped, 16) if escaped else ord(written) for escaped, written in ICON_CHARACTER.findall(body)}


def code_points(styles: list[str], names: set[str]) -> set[int]:
    """The code points of the named icons, plus those the stylesheets draw themselves."""
    points = set()
    for css in styles:
        for selector, body in RULE.findall(css):
            icons = defined_icons(selector)
            if not icons or icons & names:
                points |= drawn_points(body)
    return points


def without_unnamed_icons(css: str, names: set[str]) -> str:
    """The stylesheet without the rules that only define icons no page names."""
    return RULE.sub(lambda rule: "" if (icons := defined_icons(rule[1])) and not icons & names else rule[0], css)


def subset_fonts(app, exception):
    if exception is not None or app.builder.format != "html":
        return
    outdir = Path(app.outdir)
    fonts = outdir / FONTS
    if not fonts.is_dir():
        return
    names = set()
    for path in [*outdir.glob("**/*.html"), *(outdir / "_static").glob("**/*.js")]:
        if not path.is_relative_to(outdir / "lite"):
            names.update(ICON_CLASS.findall(path.read_text(encoding="utf-8", errors="ignore")))
    stylesheets = {path: path.read_text(encoding="utf-8") for path in (outdir / "_static").glob("**/*.css")}
    points = code_points(list(stylesheets.values()), names)
    for path, css in stylesheets.items():  # Sphinx copies them afresh at each build
        if (lighter := without_unnamed_icons(css, names)) != css:
            path.write_text(lighter, encoding="utf-8")
    # fontTools reports each table it prunes at INFO, which the build's logging shows: 160 lines a build.
    logging.getLogger("fontTools").setLevel(logging.WARNING)
    options = subset.Options()
    options.flavor = "woff2"
    options.layout_features = ["*"]
    for font_path in fonts.glob("*.woff2"):
        font = subset.load_font(str(font_path), options)
        subsetter = subset.Subsetter(options)
        subsetter.populate(unicodes=points)
        subsetter.subset(font)
        subset.save_font(font, str(font_path), options)


def setup(app):
    app.connect("build-finished", subset_fonts)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
