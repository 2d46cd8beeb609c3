"""The page header's launch and download buttons.

- Every button that opens the repository (Binder, Colab, Live Code, the repository and issue
  buttons) opens the one that publishes the site (``book_build.REPOSITORY``): a fork's site
  sends its readers to the fork, its notebooks and its ``ipynb`` branch, not to the course it
  was forked from.
- Colab opens only ``.ipynb`` files from GitHub. The theme links Colab to the page's ``.md``
  source; we point it at the ``.ipynb`` of the same path on the ``ipynb`` branch, which the
  deploy workflow fills (``book_build/export_notebooks.py``).
- The theme's JupyterLite button is made relative to the page.
- The download menu links ``course-notebooks.zip`` and the course's PDF.
"""
from __future__ import annotations

import re

from sphinx.util import logging

from book_build import BOOK_CONFIG, REPOSITORY
from book_build.course_pdf import PDF, can_print_pdf
from book_build.lite_site import LITE_APP
from book_build.notebook_archive import ARCHIVE

IPYNB_BRANCH = "ipynb"
LOGGER = logging.getLogger(__name__)


def open_the_publishing_repository(app, config):
    # The theme derives every repository link, and Thebe's, from this one option (_config.yml's).
    if config.html_theme_options.get("repository_url") != REPOSITORY:
        LOGGER.info(f"launch buttons open {REPOSITORY}, the repository building this site "
                    f"(_config.yml has {BOOK_CONFIG['repository']['url']})")
        config.html_theme_options["repository_url"] = REPOSITORY


def adjust_buttons(app, pagename, templatename, context, doctree):
    for group in context.get("header_buttons", []):
        for button in group.get("buttons", []):
            url = button.get("url", "")
            if button.get("text") == "Colab" and url.endswith(".md"):
                url = url.removesuffix(".md") + ".ipynb"
                button["url"] = re.sub(r"/blob/[^/]+/", f"/blob/{IPYNB_BRANCH}/", url, count=1)
            elif button.get("text") == "JupyterLite" and url.startswith(LITE_APP):
                button["url"] = context["pathto"](LITE_APP, 1) + url.removeprefix(LITE_APP)
        if group.get("label") == "download-buttons":
            group["buttons"].insert(-1, {
                "type": "link", "url": context["pathto"](ARCHIVE, 1), "text": "all notebooks (.zip)",
                "tooltip": "Download every notebook with requirements.txt (.zip)",
                "icon": "fas fa-file-zipper", "label": "download-archive-button"})
            if can_print_pdf():
                group["buttons"].insert(-1, {
                    "type": "link", "url": context["pathto"](PDF, 1),
                    "text": "whole course (.pdf)",
                    "tooltip": "Download the whole course as one PDF",
                    "icon": "fas fa-file-pdf", "label": "download-course-pdf-button"})


def setup(app):
    app.connect("config-inited", open_the_publishing_repository)
    app.connect("html-page-context", adjust_buttons, priority=900)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
