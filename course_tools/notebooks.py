"""Read MyST notebooks and load the functions a chapter defines, from the chapter itself.

Only top-level imports and ``def`` statements are executed, so loading a chapter is
fast and has no side effects (no timings, no figures), yet the functions tested are
byte for byte the ones the reader sees on the page.
"""
from __future__ import annotations

import ast
import types
from functools import lru_cache
from pathlib import Path

import jupytext

from course_tools import REPO_ROOT

NOTEBOOK_DIRS = ("chapters", "exercises", "solutions")


def is_notebook(path: Path) -> bool:
    """A Markdown file is a notebook when its front matter carries a kernelspec."""
    if path.suffix != ".md":
        return False
    head = path.read_text(encoding="utf-8")[:2000]
    return head.startswith("---") and "kernelspec:" in head


def pages(folder: Path) -> list[Path]:
    """The Markdown files under ``folder``, outside hidden folders (JupyterLab's .ipynb_checkpoints
    holds copies of notebooks, with a learner's saved answers)."""
    return sorted(p for p in folder.rglob("*.md")
                  if not any(part.startswith(".") for part in p.relative_to(folder).parts))


def all_notebooks() -> list[Path]:
    return [p for d in NOTEBOOK_DIRS for p in pages(REPO_ROOT / d) if is_notebook(p)]


def _definitions(source: str) -> list[ast.stmt]:
    # Cell magics and shell escapes are not Python; definitions never use them.
    code = "\n".join(line for line in source.splitlines() if not line.lstrip().startswith(("%", "!")))
    return [node for node in ast.parse(code).body
            if isinstance(node, (ast.Import, ast.ImportFrom, ast.FunctionDef, ast.ClassDef))]


@lru_cache(maxsize=None)
def _load(path: Path) -> types.ModuleType:
    module = types.ModuleType(path.stem)
    module.__file__ = str(path)
    for cell in jupytext.read(path).cells:
        if cell.cell_type != "code" or "raises-exception" in cell.metadata.get("tags", []):
            continue
        tree = ast.Module(body=_definitions(cell.source), type_ignores=[])
        exec(compile(tree, f"{path.name}", "exec"), module.__dict__)
    return module


def chapter_path(name: str) -> Path:
    """``chapters/<name>.md``; the learner kit ships the chapters as numbered notebooks instead
    (``03_dot_product.ipynb``). Either reads with ``jupytext.read``."""
    path = REPO_ROOT / "chapters" / f"{name}.md"
    if not path.exists():
        path = next((REPO_ROOT / "chapters").glob(f"[0-9][0-9]_{name}.ipynb"), path)
    return path.resolve()


def load_chapter(name: str) -> types.ModuleType:
    """Functions of a chapter (:func:`chapter_path`) as a module, e.g.
    ``load_chapter("dot_product").dot_vec``."""
    return _load(chapter_path(name))
