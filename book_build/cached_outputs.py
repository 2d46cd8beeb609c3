"""Downloads with outputs: a notebook served from the execution cache is written by myst-nb to
``jupyter_execute`` without its outputs, and that file is the page's ``.ipynb`` download; the
cached outputs are merged back in before the pages are written.

Workaround for an upstream bug, reported for jupytext notebooks as executablebooks/MyST-NB#617
("execute with cache does not restore cache outputs"): delete this module when it is fixed and
``tests/test_browser.py``'s downloads-with-outputs test still passes."""
from __future__ import annotations

from pathlib import Path

import nbformat


def restore_cached_outputs(app, env):
    """Merge the execution cache's outputs into the notebooks written to jupyter_execute."""
    from jupyter_cache import get_cache

    config = env.mystnb_config
    if config.execution_mode != "cache":
        return
    cache = get_cache(config.execution_cache_path)
    for path in Path(config.output_folder).rglob("*.ipynb"):
        notebook = nbformat.read(path, as_version=4)
        try:
            _, merged = cache.merge_match_into_notebook(notebook)
        except KeyError:  # not executed (or failed): nothing cached to merge
            continue
        if merged != notebook:
            nbformat.write(merged, path)


def setup(app):
    app.connect("env-updated", restore_cached_outputs)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
