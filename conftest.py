"""Let nbval run the MyST Markdown notebooks directly.

nbval only collects ``.ipynb``. Here every ``.md`` file with a kernelspec is read with
jupytext and handed to nbval's own collector, so no generated ``.ipynb`` lands in the tree.
"""
import os
from types import SimpleNamespace

import jupytext
import nbval.plugin
import pytest

from course_tools.notebooks import is_notebook

# A wrong answer raises, here and in the kernels nbval starts, so a broken solution fails its
# test instead of being reported (course_tools.feedback.checks_raise).
os.environ["COURSE_CHECKS"] = "raise"


class MarkdownNotebook(nbval.plugin.IPyNbFile):
    def collect(self):
        notebook = jupytext.read(self.path)
        real_nbformat = nbval.plugin.nbformat
        # nbval reads the file with nbformat.read(); give it the jupytext conversion instead.
        nbval.plugin.nbformat = SimpleNamespace(read=lambda *_, **__: notebook,
                                                from_dict=real_nbformat.from_dict)
        try:
            yield from super().collect()
        finally:
            nbval.plugin.nbformat = real_nbformat


def pytest_collect_file(file_path, parent):
    options = parent.config.option
    if (options.nbval or options.nbval_lax) and is_notebook(file_path):
        return MarkdownNotebook.from_parent(parent, path=file_path)


# pytest-xdist (--dist loadgroup) hands tests to the workers one by one, except those that must
# share a process: a notebook's cells (one kernel) and a module's tests that share a costly fixture
# (an installed kit, a server, a build). Modules of independent, slow tests are spread, each worker
# starting its own cheap fixtures (a local web server, a browser).
SPREAD = {"test_browser.py", "test_colab_run_all.py"}


@pytest.hookimpl(tryfirst=True)  # before xdist reads the groups
def pytest_collection_modifyitems(items):
    for item in items:
        if item.path.name not in SPREAD:
            item.add_marker(pytest.mark.xdist_group(item.path.as_posix()))
