"""Notebooks executed one per core before Sphinx reads them.

myst-nb executes each notebook while Sphinx reads it, one after another: on two cores the build
spent most of its time with one idle. Before reading, this hands every notebook the execution
cache lacks to jupyter-cache's own parallel executor (``local-parallel``: each in its own folder,
as myst-nb executes it, with the book's timeout, in a kernel that inherits the environment the
book_build jobs set up), registering it exactly as myst-nb does; myst-nb then finds it cached and
executes nothing. A notebook that fails here is not cached, so myst-nb executes it again as it
reads it and fails the build with that notebook's error, as before.

The executor's kernels talk over Unix sockets (``book_build.kernels``): no TCP port raced for by
the other core's kernel, and no warning per notebook that the kernel runs unencrypted.
"""
from __future__ import annotations

import logging
from pathlib import Path

from jupyter_cache import get_cache
from jupyter_cache.executors.basic import ExecutionWorkerLocalMProc, JupyterExecutorLocalMproc
from jupyter_cache.executors.utils import single_nb_execution
from myst_nb.core.read import is_myst_markdown_notebook
from sphinx.util import logging as sphinx_logging

from book_build.kernels import IpcKernelManager

READER = {"type": "plugin", "name": "myst_nb_md"}  # how myst-nb registers a MyST notebook
LOGGER = sphinx_logging.getLogger(__name__)
# For the executor and nbclient: their INFO lines, one or two per notebook ("Executing notebook
# with kernel"), are myst-nb's to print.
QUIET = logging.getLogger("jupyter_cache.parallel")
QUIET.setLevel(logging.WARNING)


class IpcWorker(ExecutionWorkerLocalMProc):
    """``local-parallel``'s worker (each notebook in its own folder), its kernel over Unix sockets."""

    @staticmethod
    def execute(project_nb, data):
        return single_nb_execution(project_nb.nb, cwd=str(Path(project_nb.uri).parent), timeout=data.timeout,
                                   allow_errors=data.allow_errors, kernel_manager_class=IpcKernelManager,
                                   log=QUIET)


class IpcParallelExecutor(JupyterExecutorLocalMproc):
    _EXECUTION_WORKER = IpcWorker


def execute_in_parallel(app, env, docnames):
    config = env.mystnb_config
    # The PDF's single page (book_build.course_pdf) reads what the html build has just executed.
    if config.execution_mode != "cache" or not docnames or app.builder.name != "html":
        return
    paths = [Path(env.doc2path(name)) for name in sorted(docnames)]
    notebooks = [str(p) for p in paths if p.suffix == ".md"
                 and is_myst_markdown_notebook(p.read_text(encoding="utf-8"))]
    if not notebooks:
        return
    cache = get_cache(config.execution_cache_path)
    for notebook in notebooks:
        cache.add_nb_to_project(notebook, read_data=READER)
    result = IpcParallelExecutor(cache, logger=QUIET).run_and_cache(
        filter_uris=notebooks, timeout=config.execution_timeout,
        allow_errors=config.execution_allow_errors)
    LOGGER.info(f"executed in parallel: {len(result.succeeded)} notebooks; "
                f"left to myst-nb: {len(result.excepted) + len(result.errored)}")


def setup(app):
    # After myst-nb's builder-inited (its config and cache path) and the kernels' environment
    # (book_build.figures, COURSE_CHECKS); before the first notebook is read.
    app.connect("env-before-read-docs", execute_in_parallel)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
