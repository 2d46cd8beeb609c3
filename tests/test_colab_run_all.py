"""Colab's "Run all", simulated on every exported notebook: twice in one kernel, tags ignored.

Colab honours no cell tag (a ``raises-exception`` cell stops Run all there) and a learner often
runs all twice, or re-runs the setup cell after an error, in the same kernel. So each notebook,
as ``book_build.export`` writes it for Colab, runs here top to bottom twice in one kernel, every
tag removed, stopping at the first error. What Colab has and this machine does not is
simulated: no myst-nb (the setup cell's stand-in for ``glue`` is used), and a ``course`` folder
beside the notebook (the clone; here a link to this repository), into which the setup cell
moves. The helpers are found installed (as after the setup cell's ``pip install -e course``),
and checks run as in a learner's notebook (no COURSE_CHECKS). One kernel per notebook, so
``pytest -n`` (pytest-xdist) can spread them.
"""
import os

import nbclient
import nbformat
import pytest
from nbclient.exceptions import CellExecutionError

from book_build.export import export
from book_build.kernels import IpcKernelManager
from course_tools.notebooks import REPO_ROOT, all_notebooks

NOTEBOOKS = all_notebooks()
# Run once, before the two runs: Colab's Python has no myst-nb.
COLAB_HAS_NO_MYST_NB = 'import sys\nsys.modules["myst_nb"] = None  # find_spec -> None, import fails'


@pytest.fixture(scope="module")
def colab(tmp_path_factory):
    """A Colab content folder: the exported notebooks, and the clone as ``course``."""
    content = tmp_path_factory.mktemp("content")
    (content / "course").symlink_to(REPO_ROOT, target_is_directory=True)
    return content


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.relative_to(REPO_ROOT).as_posix())
def test_run_all_twice_in_one_kernel_with_tags_ignored(colab, tmp_path, path):
    notebook = nbformat.read(export(path, tmp_path, "colab"), as_version=4)
    for cell in notebook.cells:
        cell.metadata.pop("tags", None)
    env = {k: v for k, v in os.environ.items() if k != "COURSE_CHECKS"}
    client = nbclient.NotebookClient(notebook, timeout=120, kernel_name="python3",
                                     kernel_manager_class=IpcKernelManager,
                                     resources={"metadata": {"path": str(colab)}})
    code = [(index, cell) for index, cell in enumerate(notebook.cells) if cell.cell_type == "code"]
    with client.setup_kernel(env=env):
        client.execute_cell(nbformat.v4.new_code_cell(COLAB_HAS_NO_MYST_NB), -1)
        for run in (1, 2):
            for index, cell in code:
                try:
                    client.execute_cell(cell, index)
                except CellExecutionError as error:
                    pytest.fail(f"Run all #{run} stopped at cell {index}:\n{cell.source[:300]}\n"
                                f"{str(error)[-1500:]}", pytrace=False)
