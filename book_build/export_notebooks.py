#!/usr/bin/env python3
"""Write every notebook of the course as .ipynb, with the setup cell Colab needs.

    python3 tasks.py export OUTDIR [--executed DIR]

Executed copies from the last build (DIR, by default _build/jupyter_execute) are used, so the
notebooks carry their outputs. The deploy workflow pushes OUTDIR to the ``ipynb`` branch, where
the Colab buttons point (see book_build/export.py; the build writes the JupyterLite copies).
"""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

from book_build.export import export
from course_tools.notebooks import REPO_ROOT, all_notebooks

if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("outdir", type=Path)
    parser.add_argument("--executed", type=Path, default=REPO_ROOT / "_build" / "jupyter_execute")
    args = parser.parse_args()
    if not args.executed.exists():
        sys.exit(f"no executed notebooks in {args.executed}: run `python3 tasks.py build` first")
    written = [export(path, args.outdir, "colab", args.executed) for path in all_notebooks()]
    print(f"wrote {len(written)} notebooks to {args.outdir}")
