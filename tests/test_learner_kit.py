"""course-notebooks.zip as a learner meets it: unzipped into an empty folder, installed exactly as
its README says, every notebook executed in that environment (pip's cache makes the install quick)."""
import os
import re
import subprocess
import sys
import zipfile

import pytest

from course_tools import REPO_ROOT

BUILD_ONLY = ("book_build/", "tasks.py", "requirements-dev.txt", "requirements-book.txt", "tests/", "_config.yml")


@pytest.fixture(scope="module")
def kit(built_site, tmp_path_factory):
    folder = tmp_path_factory.mktemp("kit")
    with zipfile.ZipFile(built_site / "course-notebooks.zip") as archive:
        archive.extractall(folder)
    return folder / "course"


@pytest.fixture(scope="module")
def installed_kit(kit):
    """Runs the README's install block, command by command, in the unzipped folder."""
    block = re.search(r"## Install.*?```bash\n(.*?)```", (kit / "README.md").read_text(), re.S).group(1)
    commands = [line.split() for line in block.splitlines() if line.strip()]
    assert commands[0][:3] == ["python3", "-m", "venv"], "the README starts with a virtual environment"
    commands[0][0] = getattr(sys, "_base_executable", sys.executable)  # not this test's venv
    for command in commands:
        result = subprocess.run(command, cwd=kit, capture_output=True, text=True, timeout=900)
        assert result.returncode == 0, f"{' '.join(command)}:\n{result.stdout[-2000:]}{result.stderr[-2000:]}"
    return kit


def test_kit_holds_notebooks_helpers_and_its_own_readme_but_no_build_code(kit):
    files = {p.relative_to(kit).as_posix() for p in kit.rglob("*") if p.is_file()}
    assert not [f for f in files if f.startswith(BUILD_ONLY)], "build code shipped to learners"
    assert {"README.md", "requirements.txt", "requirements-jupyterlab.txt", "pyproject.toml",
            "course_tools/timing.py", "chapters/intro.ipynb"} <= files
    readme = (kit / "README.md").read_text()
    assert "tasks.py" not in readme, "the kit's README must not send learners to the repository's tools"


def test_kit_installs_jupyterlab_with_myst_and_runs_every_notebook(installed_kit, tmp_path):
    bin_dir = installed_kit / ".venv" / ("Scripts" if os.name == "nt" else "bin")
    env = {**os.environ, "JUPYTER_CONFIG_DIR": str(tmp_path / "config")}
    listing = subprocess.run([bin_dir / "jupyter", "labextension", "list"], capture_output=True, text=True, env=env)
    assert re.search(r"jupyterlab-myst v[\d.]+ \S*enabled\S* \S*OK", listing.stdout + listing.stderr), listing.stderr
    viewer = subprocess.run([bin_dir / "jupytext-config", "set-default-viewer", "markdown", "myst"],
                            capture_output=True, text=True, env=env)
    assert viewer.returncode == 0, viewer.stderr
    notebooks = sorted(str(p.relative_to(installed_kit)) for p in installed_kit.glob("*/*.ipynb"))
    assert len(notebooks) >= 20
    # nbclient lets a cell tagged raises-exception fail, as the book build and nbval do.
    result = subprocess.run([bin_dir / "jupyter", "nbconvert", "--to", "notebook", "--execute",
                             "--ExecutePreprocessor.timeout=120", "--output-dir", str(tmp_path / "run"), *notebooks],
                            cwd=installed_kit, capture_output=True, text=True, timeout=1800, env=env)
    assert result.returncode == 0, result.stderr[-3000:]
    assert len(list((tmp_path / "run").glob("*.ipynb"))) == len({n.split("/")[-1] for n in notebooks})


def test_jupyterlite_drive_holds_no_build_code(built_site):
    files = built_site / "lite" / "files"
    assert (files / "course_tools" / "timing.py").exists()
    assert not (files / "book_build").exists()
    shipped = {p.name for p in (files / "course_tools").iterdir()}
    assert shipped == {p.name for p in (REPO_ROOT / "course_tools").glob("*.py")}, "only the learner package"
