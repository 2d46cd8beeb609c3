"""Each page's head: what it says about itself, and only the scripts it runs.

- A ``<meta name="description">`` per page, from the page's first paragraph (search results and
  shared links show it).
- One viewport tag (Sphinx's): the copy in ``metatags`` goes; _templates/layout.html drops the
  theme's.
- ``searchtools.js`` (98 KiB, the search index's reader) only on the search page, once: the
  theme's search box submits to that page, and elsewhere the script would only download.
"""
from __future__ import annotations

import re
from html import escape

from docutils import nodes

DESCRIPTION_LENGTH = 160
SEARCH_ONLY = ("searchtools.js", "language_data.js")
VIEWPORT = re.compile(r'<meta name="viewport"[^>]*>\s*')


def first_paragraph(doctree) -> str:
    for paragraph in doctree.findall(nodes.paragraph):
        # the page's own prose: a paragraph of a section, not of a box, list or table
        if isinstance(paragraph.parent, nodes.section) and paragraph.next_node(nodes.math) is None:
            text = " ".join(paragraph.astext().split())
            if len(text) > 40:
                return text
    return ""


def shorten(text: str, length: int = DESCRIPTION_LENGTH) -> str:
    if len(text) <= length:
        return text
    return text[:length - 1].rsplit(" ", 1)[0].rstrip(",;:") + "…"


def describe_page(app, pagename, templatename, context, doctree):
    title = app.config.html_title
    text = first_paragraph(doctree) if doctree is not None else ""
    if not text:
        text = f"Search {title}." if pagename == "search" else f"{context.get('title', '')}: {title}."
    context["metatags"] = VIEWPORT.sub("", context.get("metatags", "")) + \
        f'\n    <meta name="description" content="{escape(shorten(text), quote=True)}" />'


def search_scripts_on_search_page_only(app, pagename, templatename, context, doctree):
    # search.html loads searchtools.js itself: the theme's copy would load it twice there
    dropped = ("searchtools.js",) if pagename == "search" else SEARCH_ONLY
    context["script_files"] = [script for script in context.get("script_files", [])
                               if not str(getattr(script, "filename", script) or "").endswith(dropped)]


def setup(app):
    app.connect("html-page-context", describe_page)
    app.connect("html-page-context", search_scripts_on_search_page_only, priority=950)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
