"""``index.html`` sends the reader to the first page, with a title and a link for browsers that
do not follow the redirect (sphinx-external-toc writes a bare one)."""
from __future__ import annotations

from pathlib import Path

INDEX = """<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<title>{title}</title>
<meta http-equiv="Refresh" content="0; url={first}">
<link rel="canonical" href="{first}"></head>
<body><p><a href="{first}">{title}: start reading</a></p></body></html>
"""


def write_index(app, exception):
    if exception is None and app.builder.name == "html":
        first = app.builder.get_target_uri(app.config.root_doc)
        (Path(app.outdir) / "index.html").write_text(
            INDEX.format(title=app.config.html_title, first=first), encoding="utf-8")


def setup(app):
    app.connect("build-finished", write_index, priority=900)  # after the bare one
    return {"parallel_read_safe": True, "parallel_write_safe": True}
