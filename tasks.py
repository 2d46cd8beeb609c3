#!/usr/bin/env python3
"""The project's two commands, runnable with nothing but Python 3.11+ installed.

    python3 tasks.py build   # create .venv if needed, then build the book strictly into _build/html
    python3 tasks.py test    # the whole test suite (nbval on every notebook + tests/)

Extra arguments after ``test`` go to pytest. ``build --force`` re-executes every notebook; so
does any build after a change to course_tools/, the benchmark results or the pinned requirements.
"""
from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import sys
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parent
VENV = Path(os.environ.get("COURSE_VENV", ROOT / ".venv"))
BIN = VENV / ("Scripts" if os.name == "nt" else "bin")
REQUIREMENTS = ROOT / "requirements-dev.txt"
STAMP = VENV / ".requirements.sha256"


def requirements_digest() -> str:
    files = sorted(ROOT.glob("requirements*.txt")) + [ROOT / "benchmarks" / "requirements.txt"]
    text = "".join(p.read_text() for p in files if p.exists())
    return hashlib.sha256((text + (ROOT / "pyproject.toml").read_text()).encode()).hexdigest()


def ensure_environment() -> None:
    """Create the virtual environment and (re)install when the requirements changed."""
    if not (BIN / "python").exists():
        print(f"creating virtual environment in {VENV}", flush=True)
        venv.create(VENV, with_pip=True)
    digest = requirements_digest()
    if not STAMP.exists() or STAMP.read_text() != digest:
        print("installing requirements-dev.txt", flush=True)
        run(BIN / "python", "-m", "pip", "install", "--quiet", "-r", REQUIREMENTS)
        STAMP.write_text(digest)


def run(*command) -> None:
    result = subprocess.run([str(c) for c in command], cwd=ROOT)
    if result.returncode != 0:
        sys.exit(result.returncode)


def execution_inputs_digest() -> str:
    """What notebook outputs depend on besides their own code: the execution cache is keyed on
    a notebook's code cells only, so a change to the helpers, the committed benchmark results or
    the pins must invalidate it, or the book would show stale outputs."""
    files = sorted(ROOT.glob("course_tools/**/*.py")) + sorted(ROOT.glob("benchmarks/results/*.json"))
    digest = hashlib.sha256(requirements_digest().encode())
    for path in files:
        digest.update(path.relative_to(ROOT).as_posix().encode() + path.read_bytes())
    return digest.hexdigest()


def build(args: list[str]) -> None:
    ensure_environment()
    cache = ROOT / "_build" / ".jupyter_cache"
    inputs_stamp = ROOT / "_build" / ".execution-inputs.sha256"
    digest = execution_inputs_digest()
    extra = []
    stale = not inputs_stamp.exists() or inputs_stamp.read_text() != digest
    if "--force" in args or stale:  # re-execute every notebook: drop the cache, re-render all
        shutil.rmtree(cache, ignore_errors=True)
        extra = ["--all"]
    # -W: warnings are errors; -n: nitpicky cross-references; --keep-going: report every problem.
    run(BIN / "jupyter-book", "build", ROOT, "-W", "-n", "--keep-going", *extra)
    report = ROOT / "_build" / "html" / "reports"
    if report.exists() and any(report.iterdir()):
        sys.exit(f"notebook execution reports found in {report}: a cell failed")
    inputs_stamp.write_text(digest)


def test(args: list[str]) -> None:
    ensure_environment()
    result = subprocess.run([str(BIN / "python"), "-m", "pytest", *args], cwd=ROOT)
    if result.returncode == 5:
        sys.exit("pytest collected no tests: that is a failure, not a pass")
    sys.exit(result.returncode)


if __name__ == "__main__":
    commands = {"build": build, "test": test}
    if len(sys.argv) < 2 or sys.argv[1] not in commands:
        sys.exit(__doc__)
    commands[sys.argv[1]](sys.argv[2:])
