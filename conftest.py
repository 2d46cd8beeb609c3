"""Let nbval run the MyST Markdown notebooks directly.

nbval only collects ``.ipynb``. Here every ``.md`` file with a kernelspec is read with
jupytext and handed to nbval's own collector, so no generated ``.ipynb`` lands in the tree.
"""
import os
from types import SimpleNamespace

import jupytext
import nbval.kernel
import nbval.plugin

from book_build.kernels import IpcKernelManager
from course_tools.notebooks import is_notebook

# A wrong answer raises, here and in the kernels nbval starts, so a broken solution fails its
# test instead of being reported (course_tools.feedback.checks_raise).
os.environ["COURSE_CHECKS"] = "raise"
# The suite runs every notebook again (nbval, Colab's Run all twice, the learner kit) to prove that
# it runs and that each claim holds here, not to publish a number: a fifth of each timing budget
# (course_tools.timing.BUDGET_SCALE), at least three rounds each. tasks.py's commands that publish
# numbers (the book build, the benchmarks) drop it.
os.environ.setdefault("COURSE_TIMING_BUDGET", "0.2")

# pytest-xdist hands a worker one file at a time (--dist loadfile), in collection order
# (--no-loadscope-reorder). These files take a minute or more each whatever their number of tests:
# started first, they run beside the many short files instead of after them, which left one core
# idle for the last 20 s of the run.
LONGEST_FIRST = ("tests/test_browser.py", "tests/test_without_solutions.py", "tests/test_colab_run_all.py",
                 "tests/test_page_checks.py", "tests/test_learner_kit.py")


# nbval's kernels over Unix sockets: no TCP port to lose to another process (book_build/kernels.py).
nbval.kernel.KernelManager = IpcKernelManager


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


def pytest_collection_modifyitems(config, items):
    rank = {name: i for i, name in enumerate(LONGEST_FIRST)}
    root = config.rootpath
    # A stable sort: every other file, and the cells of each notebook, keep their order.
    items.sort(key=lambda item: rank.get(item.path.relative_to(root).as_posix(), len(rank)))


def pytest_collect_file(file_path, parent):
    options = parent.config.option
    if (options.nbval or options.nbval_lax) and is_notebook(file_path):
        return MarkdownNotebook.from_parent(parent, path=file_path)

