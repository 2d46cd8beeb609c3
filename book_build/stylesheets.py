"""Each page's stylesheets served as one file: one request before the first paint instead of eleven.

The theme and each extension link their own stylesheet, and the theme's first one imports
Sphinx's ``basic.css`` (a second round trip before anything is drawn). On a phone's connection
every request that blocks rendering adds to the wait for the first paint: on the central
difference page, Lighthouse's mobile first contentful paint was 2.4–2.7 s with eleven, 2.1–2.3 s
with one. After the build, each page's stylesheet links are replaced by one link, at the first
one's place, to a file holding the same stylesheets in the same order, so the cascade is
unchanged. The file is named by the list of stylesheets it holds, and every such file is written
again at each build, so a page that an incremental build does not rewrite never shows stale styles.
"""
from __future__ import annotations

import hashlib
import os
import re
from pathlib import Path

LINK = re.compile(r'[ \t]*<link\b[^>]*\brel="stylesheet"[^>]*>[ \t]*\n?')
HREF = re.compile(r'\bhref="([^"?#]+)[^"]*"')
IMPORT = re.compile(r'@import\s+(?:url\()?["\']?([^"\')]+)["\']?\)?\s*;')
RELATIVE_URL = re.compile(r'url\(\s*(["\']?)(?!data:|https?:|/|#)([^"\')]+)\1\s*\)')
CHARSET = re.compile(r'@charset\s+"[^"]*";\s*')
SOURCE_MAP = re.compile(r"/\*# sourceMappingURL=[^*]*\*/")
BUNDLE_FOLDER = "_static"
HEADER = "/* book_build/stylesheets.py bundled, in this order: "


def inlined(path: Path, folder: Path) -> str:
    """A stylesheet's text with its imports inlined and its relative URLs made relative to `folder`."""
    text = SOURCE_MAP.sub("", CHARSET.sub("", path.read_text(encoding="utf-8")))
    text = RELATIVE_URL.sub(  # before the imports are inlined: theirs are relative to themselves
        lambda m: f"url({m.group(1)}{Path(os.path.relpath(path.parent / m.group(2), folder)).as_posix()}{m.group(1)})",
        text)
    return IMPORT.sub(lambda m: inlined((path.parent / m.group(1)).resolve(), folder), text)


def bundle_text(outdir: Path, files: list[Path]) -> tuple[str, str]:
    """The name and text of the file holding `files` (paths in the site), in order."""
    listed = [f.relative_to(outdir).as_posix() for f in files]
    name = f"stylesheets-{hashlib.sha256(' '.join(listed).encode()).hexdigest()[:12]}.css"
    text = "\n".join(inlined(f, outdir / BUNDLE_FOLDER) for f in files)
    return name, f'@charset "UTF-8";\n{HEADER}{" ".join(listed)} */\n{text}'


def listed_files(bundle: Path, outdir: Path) -> list[Path]:
    """The stylesheets a bundle holds, from its header."""
    listed = bundle.read_text(encoding="utf-8").split(HEADER, 1)[1].split(" */", 1)[0].split()
    return [outdir / f for f in listed]


def write_bundle(outdir: Path, files: list[Path]) -> str:
    name, text = bundle_text(outdir, files)
    (outdir / BUNDLE_FOLDER / name).write_text(text, encoding="utf-8")
    return name


def bundle_page(page: Path, outdir: Path, bundles: dict[tuple, str]) -> bool:
    """Replace the page's stylesheet links by one; False where a link is not a plain local file."""
    html = page.read_text(encoding="utf-8")
    head_end = html.find("</head>")
    links = list(LINK.finditer(html, 0, head_end))
    if len(links) < 2 or any("media=" in link.group(0) for link in links):
        return False
    files = []
    for link in links:
        href = HREF.search(link.group(0))
        target = (page.parent / href.group(1)).resolve() if href else None
        if target is None or not target.is_file() or not target.is_relative_to(outdir / BUNDLE_FOLDER):
            return False
        files.append(target)
    if tuple(files) not in bundles:
        bundles[tuple(files)] = write_bundle(outdir, files)
    href = Path(os.path.relpath(outdir / BUNDLE_FOLDER / bundles[tuple(files)], page.parent)).as_posix()
    indent = re.match(r"[ \t]*", links[0].group(0)).group(0)
    bundle_link = f'{indent}<link rel="stylesheet" href="{href}" />\n'
    head = LINK.sub(lambda m: bundle_link if m.start() == links[0].start() else "", html[:head_end])
    page.write_text(head + html[head_end:], encoding="utf-8")
    return True


def bundle_site(outdir: Path) -> int:
    """Every Sphinx page of the site (not JupyterLite's); returns how many were rewritten. Bundles
    that pages of an earlier build link to are written again from their list."""
    outdir = outdir.resolve()
    bundles: dict[tuple, str] = {}
    for bundle in (outdir / BUNDLE_FOLDER).glob("stylesheets-*.css"):
        files = listed_files(bundle, outdir)
        if all(f.is_file() for f in files):
            bundles[tuple(files)] = write_bundle(outdir, files)
    pages = [p for p in outdir.glob("**/*.html") if not p.relative_to(outdir).as_posix().startswith("lite/")]
    return sum(bundle_page(page, outdir, bundles) for page in pages)


def bundle_stylesheets(app, exception):
    if exception is None and app.builder.name == "html":
        bundle_site(Path(app.outdir))


def setup(app):
    # After the theme rewrites pygments.css (build-finished, default priority), before the PDF.
    app.connect("build-finished", bundle_stylesheets, priority=900)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
