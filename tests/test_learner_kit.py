"""course-notebooks.zip as a learner meets it: unzipped into an empty folder, installed exactly as
its README says (pip's cache makes the install quick), and what only the kit can break checked in
that environment.
What the kit holds and says is checked on a kit written from the sources, without a build."""
import ast
import importlib.metadata
import json
import os
import re
import subprocess
import sys
import zipfile
from pathlib import Path

import jupytext
import nbformat
import pytest

from book_build.export import readable
from book_build.notebook_archive import ARCHIVE, START_PAGE, course_order, write_archive
from course_tools import REPO_ROOT
from course_tools.notebooks import all_notebooks

BUILD_ONLY = ("book_build/", "tasks.py", "requirements-dev.txt", "requirements-book.txt", "tests/", "_config.yml")
# What the kit does not have: the repository's commands, the site's buttons, a clone.
ABSENT = re.compile(r"tasks\.py|rocket|clone the repository|jupytext-config|\.md\b(?! files)", re.I)


def unzip(archive: Path, folder: Path) -> Path:
    with zipfile.ZipFile(archive) as kit:
        kit.extractall(folder)
    return folder / "course"


@pytest.fixture(scope="module")
def kit(built_site, tmp_path_factory):
    return unzip(built_site / ARCHIVE, tmp_path_factory.mktemp("kit"))


@pytest.fixture(scope="module")
def source_kit(tmp_path_factory):
    """The kit written from the unexecuted sources, as the build writes it from its downloads."""
    downloads, out = tmp_path_factory.mktemp("downloads"), tmp_path_factory.mktemp("out")
    for path in all_notebooks():
        relative = path.relative_to(REPO_ROOT).with_suffix(".ipynb")
        (downloads / relative).parent.mkdir(parents=True, exist_ok=True)
        nbformat.write(readable(jupytext.read(path), relative), downloads / relative)
    write_archive(out, downloads)
    return unzip(out / ARCHIVE, tmp_path_factory.mktemp("kit"))


def test_kit_holds_numbered_notebooks_a_start_page_and_helpers_but_no_build_code(source_kit):
    files = {p.relative_to(source_kit).as_posix() for p in source_kit.rglob("*") if p.is_file()}
    assert not [f for f in files if f.startswith(BUILD_ONLY)], "build code shipped to learners"
    assert {"README.md", START_PAGE, "requirements.txt", "requirements-jupyterlab.txt", "pyproject.toml",
            "course_tools/timing.py", "chapters/01_intro.ipynb", "exercises/01_level_a.ipynb"} <= files
    notebooks = sorted(f for f in files if f.endswith(".ipynb") and "/" in f)
    assert sorted(re.sub(r"/\d\d_", "/", f) for f in notebooks) == sorted(
        p.as_posix() for p in course_order()), "one .ipynb per notebook, numbered"
    assert [f for f in files if f.endswith(".md")] == ["README.md"], "one format: .ipynb"
    in_order = [f for f in notebooks if f.startswith("chapters/")]
    assert [f[12:] for f in in_order] == [p.name for p in course_order() if p.parts[0] == "chapters"]


def test_kit_mentions_nothing_it_lacks_and_every_link_resolves(source_kit):
    texts = {"README.md": (source_kit / "README.md").read_text()}
    for path in source_kit.rglob("*.ipynb"):
        cells = nbformat.read(path, as_version=4).cells
        texts[path.relative_to(source_kit).as_posix()] = "\n".join(c.source for c in cells)
        for cell in cells:
            for link in re.findall(r"\]\(([^()\s#]+)[^()\s]*\)", cell.source if cell.cell_type == "markdown" else ""):
                if not link.startswith(("http://", "https://", "mailto:")):
                    assert (path.parent / link).exists(), f"{path.name}: broken link {link}"
    found = {name: ABSENT.findall(text) for name, text in texts.items() if ABSENT.search(text)}
    assert not found, found
    start = texts[START_PAGE]
    assert "## How the checks work" in start and "exercises/01_level_a.ipynb" in start


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


# Run by the kit's Python: which of the modules given are missing, and the version of each
# distribution that provides one.
KIT_PROBE = """
import importlib.metadata as metadata, importlib.util, json, sys
provides = metadata.packages_distributions()
names = sys.argv[1:]
print(json.dumps({"missing": [m for m in names if importlib.util.find_spec(m) is None],
                  "versions": {d.lower(): metadata.version(d) for m in names for d in provides.get(m, [])}}))
"""


def layout_readers(kit: Path) -> list[str]:
    """The kit's notebooks that read the course's files beyond their own cells (another chapter,
    the benchmark results), through the course_tools modules that locate files from the course's
    root: what the kit's folder layout can break. Plus the first notebook of each folder."""
    modules = [p.stem for p in (REPO_ROOT / "course_tools").glob("*.py")
               if p.stem != "__init__" and "REPO_ROOT" in p.read_text()]
    reads = re.compile(rf"\bcourse_tools(?:\.|\s+import\s+)(?:{'|'.join(modules)})\b|\bREPO_ROOT\b")
    chosen = []
    for folder in sorted({p.parent for p in kit.glob("*/*.ipynb")}):
        notebooks = sorted(folder.glob("*.ipynb"))
        chosen += [n for i, n in enumerate(notebooks) if i == 0 or reads.search(n.read_text())]
    return [n.relative_to(kit).as_posix() for n in chosen]


def imported_modules(kit: Path) -> set[str]:
    """Top-level modules imported by any code cell of the kit's notebooks."""
    names = set()
    for path in kit.glob("*/*.ipynb"):
        for cell in nbformat.read(path, as_version=4).cells:
            if cell.cell_type != "code":
                continue
            code = "\n".join(line for line in cell.source.splitlines()
                             if not line.lstrip().startswith(("%", "!")))
            for node in ast.walk(ast.parse(code)):
                if isinstance(node, ast.Import):
                    names |= {alias.name.split(".")[0] for alias in node.names}
                elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
                    names.add(node.module.split(".")[0])
    return names


def test_kit_installs_jupyterlab_notebook_7_and_myst_and_runs_its_notebooks(installed_kit, tmp_path):
    """What only the kit can break, in the environment its README installs: JupyterLab, Notebook 7
    and MyST; every module a notebook imports; the notebooks that read the course's files from
    the kit's layout. The rest of each notebook's code runs under nbval and Colab's Run all in
    the development environment, which this test proves holds the same versions."""
    bin_dir = installed_kit / ".venv" / ("Scripts" if os.name == "nt" else "bin")
    env = {**os.environ, "JUPYTER_CONFIG_DIR": str(tmp_path / "config")}
    listing = subprocess.run([bin_dir / "jupyter", "labextension", "list"], capture_output=True, text=True, env=env)
    assert re.search(r"jupyterlab-myst v[\d.]+ \S*enabled\S* \S*OK", listing.stdout + listing.stderr), listing.stderr
    notebook = subprocess.run([bin_dir / "jupyter", "notebook", "--version"], capture_output=True, text=True, env=env)
    assert notebook.stdout.startswith("7."), notebook.stdout + notebook.stderr

    # Every module a notebook imports is installed, from the version the tests ran (the notebooks'
    # code runs under nbval and Colab's Run all in the development environment).
    modules = sorted(imported_modules(installed_kit))
    probe = subprocess.run([bin_dir / "python", "-c", KIT_PROBE, *modules],
                           capture_output=True, text=True, cwd=tmp_path)
    assert probe.returncode == 0, probe.stderr
    found = json.loads(probe.stdout)
    assert not found["missing"], f"imported by a notebook, not installed by the kit: {found['missing']}"
    tested = {d.metadata["Name"].lower(): d.version for d in importlib.metadata.distributions()}
    differ = {name: (version, tested.get(name)) for name, version in found["versions"].items()
              if name != "course-tools" and tested.get(name) != version}
    assert not differ, f"the kit installs other versions than the tests ran (kit, tested): {differ}"

    notebooks = layout_readers(installed_kit)
    assert {"chapters/01_intro.ipynb", "exercises/01_level_a.ipynb"} <= set(notebooks)
    assert any("performance" in n for n in notebooks) and any("closing" in n for n in notebooks)
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
