"""The ways to run the course outside the book, checked without a browser.

Binder (binder/), Colab and JupyterLite (the exported .ipynb and their setup cell, see
book_build/export.py) and the configuration the launch buttons are built from. What the built
pages link to is checked in tests/test_browser.py.
"""
from __future__ import annotations

import ast
import json
import os
import re
import subprocess
import sys
from pathlib import Path

import jupytext
import nbformat
import pytest
import yaml
from pip._internal.network.session import PipSession
from pip._internal.req.req_file import parse_requirements

from book_build import REPOSITORY, export
from course_tools.notebooks import REPO_ROOT, all_notebooks

BINDER = REPO_ROOT / "binder"
CONFIG = yaml.safe_load((REPO_ROOT / "_config.yml").read_text())


def requirements(path: Path, cwd: Path) -> dict[str, str]:
    """What pip installs from a requirements file run in `cwd`: name or local path -> line."""
    old = Path.cwd()
    os.chdir(cwd)  # pip resolves local paths such as `-e .` against the working directory
    try:
        parsed = list(parse_requirements(str(path), session=PipSession()))
    finally:
        os.chdir(old)
    resolved = {}
    for item in parsed:
        if item.is_editable:
            resolved[str(Path(cwd, item.requirement).resolve())] = item.requirement
        else:
            resolved[item.requirement.split("==")[0].lower()] = item.requirement
    return resolved


@pytest.mark.filterwarnings("ignore::DeprecationWarning")  # pip's own use of pkg_resources
def test_binder_installs_the_reader_set_and_jupyterlab_only():
    # repo2docker runs `pip install -r binder/requirements.txt` from the repository root.
    binder = requirements(BINDER / "requirements.txt", cwd=REPO_ROOT)
    reader = requirements(REPO_ROOT / "requirements.txt", cwd=REPO_ROOT)
    assert reader.items() <= binder.items(), "Binder must install the reader set"
    # jsonschema: held below the release whose import takes seconds beside JupyterLab's extras
    assert set(binder) - set(reader) == {"jupyterlab", "jupyterlab-myst", "notebook", "jsonschema"}, \
        "Binder needs no book toolchain"
    assert all("==" in line for name, line in binder.items() if name != str(REPO_ROOT)), "pin everything"
    assert str(REPO_ROOT) in binder, "the course's own package (-e .) must resolve to the repository"


@pytest.mark.filterwarnings("ignore::DeprecationWarning")
def test_requirement_sets_agree_and_development_includes_them_all():
    """One environment holds every set (`pip install -r requirements-dev.txt` resolves them together),
    so no package may be pinned to two versions."""
    sets = {path.name: requirements(path, cwd=REPO_ROOT) for path in REPO_ROOT.glob("requirements*.txt")}
    pins = {}
    for lines in sets.values():
        for name, line in lines.items():
            assert pins.setdefault(name, line) == line, f"{name} pinned twice: {pins[name]} and {line}"
    for name, lines in sets.items():
        assert lines.items() <= sets["requirements-dev.txt"].items(), f"{name} is not part of the dev set"
    assert "jupyter-book" not in sets["requirements.txt"], "the reader set holds no book toolchain"


def test_jupyterlab_extensions_are_compatible_with_the_pinned_jupyterlab():
    """jupyterlab-myst renders MyST in JupyterLab only if its shared packages match JupyterLab's."""
    listing = subprocess.run([Path(sys.executable).parent / "jupyter", "labextension", "list"],
                             capture_output=True, text=True, timeout=120)
    output = re.sub(r"\x1b\[[0-9;]*m", "", listing.stdout + listing.stderr)
    for extension in ("jupyterlab-myst", "jupyterlab-jupytext"):
        assert re.search(rf"{extension} v[\d.]+ enabled OK", output), output
        assert f'"{extension}@' not in output, f"{extension} is not compatible with the pinned JupyterLab"


def test_binder_python_is_the_oldest_supported():
    assert (BINDER / "runtime.txt").read_text().strip() == "python-3.11"
    assert 'requires-python = ">=3.11"' in (REPO_ROOT / "pyproject.toml").read_text()


def test_binder_postbuild_opens_markdown_notebooks_as_notebooks(tmp_path):
    env = {**os.environ, "JUPYTER_CONFIG_DIR": str(tmp_path),
           "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}"}
    subprocess.run(["bash", str(BINDER / "postBuild")], env=env, check=True, capture_output=True)
    overrides = json.loads((tmp_path / "labconfig" / "default_setting_overrides.json").read_text())
    viewers = overrides["@jupyterlab/docmanager-extension:plugin"]["defaultViewers"]
    assert viewers["markdown"] == "Jupytext Notebook"
    assert os.access(BINDER / "postBuild", os.X_OK)


def test_launch_buttons_point_at_this_repository():
    assert CONFIG["repository"]["branch"] == "main"
    launch = CONFIG["launch_buttons"]
    assert launch["binderhub_url"] and launch["colab_url"] and launch["thebe"] is True
    assert launch["jupyterlite_url"] == "lite/lab/index.html" and launch["jupyterlite_ext"] == ".ipynb"


def md_notebook() -> Path:
    return REPO_ROOT / "chapters" / "dot_product.md"


@pytest.mark.parametrize("target", ["colab", "lite"])
def test_export_adds_a_setup_cell_and_keeps_every_cell(tmp_path, target):
    written = export.export(md_notebook(), tmp_path, target)
    assert written == tmp_path / "chapters" / "dot_product.ipynb"
    notebook = nbformat.read(written, as_version=4)
    source = jupytext.read(md_notebook())
    assert [c.source for c in notebook.cells[1:]] == [
        c.source if c.cell_type == "code" else export.plain_markdown(c.source, Path("chapters/dot_product.md"))
        for c in source.cells]
    assert notebook.cells[0].metadata["tags"] == [export.SETUP_TAG]
    assert "jupytext" not in notebook.metadata and notebook.metadata.kernelspec.name == "python3"


def test_export_carries_the_executed_outputs(tmp_path):
    executed = jupytext.read(md_notebook())
    code = next(c for c in executed.cells if c.cell_type == "code")
    code.outputs = [nbformat.v4.new_output("stream", text="ran\n")]
    (tmp_path / "run" / "chapters").mkdir(parents=True)
    nbformat.write(executed, tmp_path / "run" / "chapters" / "dot_product.ipynb")
    written = export.export(md_notebook(), tmp_path / "out", "colab", executed_dir=tmp_path / "run")
    notebook = nbformat.read(written, as_version=4)
    assert [o.text for c in notebook.cells if c.cell_type == "code" for o in c.outputs] == ["ran\n"]


def test_colab_setup_clones_installs_and_moves_to_the_notebook_folder():
    source = export.setup_cell("colab", "exercises").source
    ast.parse(source)
    assert f'"git", "clone", "--depth", "1", "{REPOSITORY}", "course"' in source
    assert '"pip", "install", "--quiet", "-e", "course"' in source
    assert ('if os.path.isdir(os.path.join("course", "exercises")):  # first run, or after a restart\n'
            '    os.chdir(os.path.join("course", "exercises"))') in source


def test_lite_setup_finds_the_helpers_in_the_browser_drive():
    source = export.setup_cell("lite", "chapters").source
    compile(source, "setup", "exec", flags=ast.PyCF_ALLOW_TOP_LEVEL_AWAIT)  # Pyodide awaits at top level
    assert 'await piplite.install("jupytext")' in source and 'sys.path.insert(0, "/drive")' in source


@pytest.mark.parametrize("target", ["colab", "lite"])
def test_setup_needs_no_myst_nb(target):
    """The chapters import nothing from myst-nb (tests/test_chapter_rules.py), so neither does the
    setup cell: no stand-in module that a second run of the cell could trip over."""
    assert "myst_nb" not in export.setup_cell(target, "chapters").source


def test_export_tool_writes_every_notebook_with_outputs(tmp_path, built_site):
    executed = built_site.parent / "jupyter_execute"
    result = subprocess.run([sys.executable, str(REPO_ROOT / "tasks.py"), "export", str(tmp_path),
                             "--executed", str(executed)], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    for path in all_notebooks():
        notebook = nbformat.read(tmp_path / path.relative_to(REPO_ROOT).with_suffix(".ipynb"), as_version=4)
        runs_code = any(c.cell_type == "code" for c in notebook.cells[1:])
        assert not runs_code or any(c.get("outputs") for c in notebook.cells), f"{path}: exported without outputs"
        assert notebook.cells[0].metadata["tags"] == [export.SETUP_TAG]
        markdown = "\n".join(c.source for c in notebook.cells if c.cell_type == "markdown")
        raw = export.MYST_MARKUP.findall(markdown)
        assert not raw, f"{path}: MyST markup a notebook would show raw: {raw[:3]}"
        for link in re.findall(r"\]\(([^)#]+\.ipynb)\)", markdown):
            target = (tmp_path / path.relative_to(REPO_ROOT)).parent / link
            assert target.exists(), f"{path}: link to {link}, which was not exported"


def test_myst_markdown_becomes_plain_markdown():
    source = ("(chapter-x)=\n# Title\n\nSee {ref}`chapter-matmul`, {ref}`the layer <chapter-linear-layer>`"
              " and {ref}`exercises-index`.\n\n"
              ":::{dropdown} Answer\nIt is `(3, 2)`.\n:::\n")
    text = export.plain_markdown(source, Path("exercises/level_a.md"))
    assert text.startswith("# Title")
    assert "[Matrix multiplication](../chapters/matmul.ipynb)" in text
    assert "[the layer](../chapters/linear_layer.ipynb)" in text
    assert "*Exercises*" in text, "a page that is not a notebook has no .ipynb to link to"
    assert "<details><summary>Answer</summary>\n\nIt is `(3, 2)`.\n\n</details>" in text
    assert not export.MYST_MARKUP.findall(text)


def test_exported_solutions_leave_out_the_exercise_page_cells(tmp_path):
    source = REPO_ROOT / "solutions" / "level_b.md"
    hidden = [c for c in jupytext.read(source).cells
              if {"exercise-only", "remove-cell"} <= set(c.metadata.get("tags", []))]
    assert hidden, "the solutions carry the exercise page's cells (see book_build/make_exercises.py)"
    notebook = nbformat.read(export.export(source, tmp_path, "colab"), as_version=4)
    assert not any("exercise-only" in c.metadata.get("tags", []) for c in notebook.cells)


@pytest.mark.parametrize("level", "abcd")
def test_exercise_notebooks_show_their_title_once(tmp_path, level):
    """Nothing before the page's heading: an HTML comment there made notebook front ends show
    the title twice. The generator's note is a YAML comment in the front matter instead."""
    path = REPO_ROOT / "exercises" / f"level_{level}.md"
    assert path.read_text().startswith("---\n# Generated from solutions/")
    exported = nbformat.read(export.export(path, tmp_path, "lite"), as_version=4)
    for notebook in (jupytext.read(path), exported):
        markdown = [c.source for c in notebook.cells if c.cell_type == "markdown"]
        assert re.match(r"(\([\w-]+\)=\n)?# Level [A-D]: ", markdown[0]), markdown[0][:100]
        titles = [line for text in markdown for line in text.splitlines() if line.startswith("# ")]
        assert len(titles) == 1 and "<!--" not in "\n".join(markdown), titles


@pytest.mark.filterwarnings("ignore::DeprecationWarning")
def test_notebook_7_is_pinned_to_a_release_built_for_the_pinned_jupyterlab():
    """`pip install notebook` unpinned upgrades JupyterLab past jupyterlab-myst's range."""
    from importlib.metadata import requires, version

    from packaging.requirements import Requirement
    pins = requirements(REPO_ROOT / "requirements-jupyterlab.txt", cwd=REPO_ROOT)
    jupyterlab, notebook = (pins[name].split("==")[1] for name in ("jupyterlab", "notebook"))
    assert version("notebook") == notebook and notebook.startswith("7.")
    needs = next(Requirement(r) for r in requires("notebook") if Requirement(r).name == "jupyterlab"
                 and not Requirement(r).marker)
    assert needs.specifier.contains(jupyterlab), f"notebook {notebook} needs {needs}"
