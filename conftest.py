"""Let nbval run the MyST Markdown notebooks directly.

nbval only collects ``.ipynb``. Here every ``.md`` file with a kernelspec is read with
jupytext and handed to nbval's own collector, so no generated ``.ipynb`` lands in the tree.
"""
import os
from types import SimpleNamespace

import jupytext
import nbval.plugin

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

