#!/usr/bin/env python3
"""The project's front door, runnable with nothing but Python 3.11+ installed.

    python3 tasks.py build [--force]        create .venv if needed, build the book strictly into _build/html
    python3 tasks.py build --no-solutions [OUTDIR]   the book without its solutions, into OUTDIR/_build/html
                                            (default _build/no-solutions), from the full build's execution cache
    python3 tasks.py test [PYTEST ARGS]     the test suite (with no arguments: build first, then everything)
    python3 tasks.py env [--newest]         create or update .venv (--newest: the reader set at its newest)
    python3 tasks.py exercises [--check]    regenerate exercises/ from solutions/ (--check: fail if stale)
    python3 tasks.py export OUTDIR          the executed notebooks as .ipynb for Colab (the ipynb branch)
    python3 tasks.py bench [ARGS]           the benchmark suite (python -m benchmarks.run ARGS)
    python3 tasks.py digest ID ANSWER       the salted digest of an exercise answer, for its check
    python3 tasks.py oldest-numpy [ARGS]    the notebooks and property tests on the oldest supported NumPy
    python3 tasks.py assignment OUTDIR [--levels C,D]   the exercises as an Otter-Grader assignment
    python3 tasks.py mistakes RESULTS_DIR OUT           Otter results -> mistakes per exercise (CSV, HTML)
    python3 tasks.py lighthouse [--runs N] [PAGE ...]  Lighthouse's mobile scores of built pages (needs npm, Chromium)

``build --force`` re-executes every notebook; so does any build after a change to what outputs
depend on besides their own code (course_tools/, the benchmark results, the reader set's pins).
"""
from __future__ import annotations

import base64
import hashlib
import io
import os
import re
import shutil
import subprocess
import sys
import tarfile
import tomllib
import urllib.request
import venv
from pathlib import Path

from course_tools import REPO_ROOT as ROOT  # imports nothing: works before .venv exists

VENV = Path(os.environ.get("COURSE_VENV", ROOT / ".venv"))
REQUIREMENTS = ROOT / "requirements-dev.txt"
SITE = ROOT / "_build" / "html"
SITE_STAMP = ROOT / "_build" / ".site-inputs.sha256"  # what the site in SITE was built from
TIMING_BUDGET = "COURSE_TIMING_BUDGET"  # course_tools.timing.BUDGET_SCALE
# Where `digest` finds the exercise digests (the exercise-check module's command line).
DIGEST_MODULE = "course_tools.answers"


def bin_path(venv_dir: Path, name: str) -> Path:
    return venv_dir / ("Scripts" if os.name == "nt" else "bin") / name


def files_digest(paths: list[Path], extra: str = "") -> str:
    digest = hashlib.sha256(extra.encode())
    for path in paths:
        if path.exists():
            digest.update(path.relative_to(ROOT).as_posix().encode() + path.read_bytes())
    return digest.hexdigest()


def site_inputs_digest() -> str | None:
    """Every file the site may depend on: the repository's files, tracked or new and not ignored,
    tests/ aside. None where git cannot list them (then the test command always builds)."""
    listed = subprocess.run(["git", "ls-files", "-co", "--exclude-standard"], cwd=ROOT,
                            capture_output=True, text=True)
    if listed.returncode != 0:
        return None
    return files_digest(sorted(ROOT / f for f in listed.stdout.splitlines() if not f.startswith("tests/")))


def requirements_digest() -> str:
    return files_digest(sorted(ROOT.glob("requirements*.txt")) + sorted(ROOT.glob("*/requirements.txt"))
                        + [ROOT / "pyproject.toml"])


def run(*command, cwd: Path = ROOT) -> None:
    # Only the test suite times with a smaller budget (the root conftest.py): everything run from here
    # may publish numbers (the book, the benchmarks), so it times in full whatever the shell set.
    env = {name: value for name, value in os.environ.items() if name != TIMING_BUDGET}
    result = subprocess.run([str(c) for c in command], cwd=cwd, env=env)
    if result.returncode != 0:
        sys.exit(result.returncode)


def ensure_environment(venv_dir: Path = VENV, after_install: tuple[str, ...] = ()) -> Path:
    """Create the virtual environment and (re)install when the requirements changed; return its python.

    ``after_install``: pip arguments applied on top of the pins (another NumPy, newer packages).
    """
    python = bin_path(venv_dir, "python")
    if not python.exists():
        print(f"creating virtual environment in {venv_dir}", flush=True)
        venv.create(venv_dir, with_pip=True)
    stamp = venv_dir / ".requirements.sha256"
    digest = requirements_digest() + " ".join(after_install)
    # An environment changed on purpose on top of the pins (env --newest) stays so until they change.
    current = stamp.exists() and (stamp.read_text() == digest
                                  or not after_install and stamp.read_text().startswith(digest))
    if not current:
        print(f"installing {REQUIREMENTS.name} {' '.join(after_install)} with {uv_pin()}", flush=True)
        # uv installs the same pins as pip, about 15 times faster (5 s against 80 s for the
        # development set on 2 cores); the environment keeps pip, which the course's commands use.
        run(python, "-m", "pip", "install", "--quiet", uv_pin())
        # Bytecode compiled at install, as pip does and uv does not by default: without it, and with
        # PYTHONDONTWRITEBYTECODE set (as on the development machine), each of the suite's hundreds of
        # kernels and commands compiles what it imports (NumPy, Matplotlib, IPython and ipykernel:
        # 2.3 s to import against 0.8 s; the install takes 18 s instead of 5).
        uv = (bin_path(venv_dir, "uv"), "pip", "install", "--quiet", "--compile-bytecode", "--python", python)
        run(*uv, "-r", REQUIREMENTS)
        if after_install:
            run(*uv, *after_install)
        stamp.write_text(digest)
    return python


def uv_pin() -> str:
    """The installer's pin, from the development set (one place for every pin)."""
    return next(line.strip() for line in REQUIREMENTS.read_text().splitlines() if line.startswith("uv=="))


def ensure_chromium() -> None:
    """The browser that prints the course PDF and runs the browser tests, named in COURSE_CHROMIUM.

    In order: COURSE_CHROMIUM if set; a Chromium or Chrome on PATH; Debian/Ubuntu's package where
    this user may install packages (root, or sudo without a password); Playwright's own download
    (its CDN must be reachable). Where none works, stop at once with the command to run.
    """
    names = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")
    found = os.environ.get("COURSE_CHROMIUM") or next(filter(None, map(shutil.which, names)), None)
    if not found and shutil.which("apt-get"):
        sudo = [] if os.geteuid() == 0 else ["sudo", "-n"] if shutil.which("sudo") else None
        if sudo is not None and subprocess.run([*sudo, "true"], capture_output=True).returncode == 0:
            print("installing Chromium with apt-get (the course PDF and the browser tests need it)", flush=True)
            subprocess.run([*sudo, "apt-get", "update", "-qq"])
            subprocess.run([*sudo, "env", "DEBIAN_FRONTEND=noninteractive", "apt-get", "install", "-y", "-qq",
                            "chromium"], stdout=subprocess.DEVNULL)
            found = shutil.which("chromium")
    if not found:
        print("installing Playwright's Chromium (the course PDF and the browser tests need it)", flush=True)
        python = ensure_environment()
        if subprocess.run([python, "-m", "playwright", "install", "chromium"]).returncode == 0:
            found = subprocess.run([python, "-c", "from playwright.sync_api import sync_playwright as p\n"
                                    "with p() as pw: print(pw.chromium.executable_path)"],
                                   capture_output=True, text=True).stdout.strip() or None
    if not found or not Path(found).exists():
        sys.exit("Chromium is needed (course PDF, browser tests) and could not be installed here. Run\n"
                 "    sudo apt-get install chromium        (Debian/Ubuntu)\n"
                 "or  .venv/bin/python -m playwright install --with-deps chromium\n"
                 "or set COURSE_CHROMIUM to a Chromium or Chrome executable, then run this command again.")
    os.environ["COURSE_CHROMIUM"] = found


# The accessibility engine the browser tests run in every page, from the npm registry (no Python
# package ships a recent one), checked against the registry's integrity hash. 4.14 checks colour
# contrast more than twice as fast as 4.12, and contrast was most of the browser tests' time.
AXE_CORE = ("4.14.1", "sha512-FHfa+lmNjQZfJz1q8wKqIDwC6DExcHt/pkjNQb09a3NPjCKg2rhu5qb2S4r76ASyFNNtuFooJpZe37OgudVGtQ==")
AXE_SCRIPT = "axe-core.min.js"  # in the environment's folder, where tests/test_browser.py looks


def ensure_axe(venv_dir: Path = VENV) -> None:
    """axe-core's script in the environment, at the pinned version."""
    version, integrity = AXE_CORE
    script = venv_dir / AXE_SCRIPT
    if script.exists() and script.read_bytes().startswith(f"/*! axe v{version}\n".encode()):
        return
    url = f"https://registry.npmjs.org/axe-core/-/axe-core-{version}.tgz"
    print(f"fetching axe-core {version} (the browser tests' accessibility checks) from {url}", flush=True)
    try:
        with urllib.request.urlopen(url, timeout=120) as response:
            package = response.read()
    except OSError as error:
        sys.exit(f"could not fetch {url} ({error}): the browser tests need it")
    algorithm, expected = integrity.split("-", 1)
    if base64.b64encode(hashlib.new(algorithm, package).digest()).decode() != expected:
        sys.exit(f"{url} does not match its pinned integrity hash (tasks.AXE_CORE): not used")
    with tarfile.open(fileobj=io.BytesIO(package)) as archive:
        script.write_bytes(archive.extractfile("package/axe.min.js").read())


def execution_inputs_digest() -> str:
    """What notebook outputs depend on besides their own code.

    Workaround: the execution cache is keyed on a notebook's code cells only, and cannot be told
    to re-execute when the environment changes (jupyter-book/jupyter-book#1633); a change to the
    learner helpers, the committed benchmark results or the reader set's pins must invalidate it,
    or the book would show stale outputs. The book build code (book_build/) and the tool settings
    in pyproject.toml are not inputs (the reader set's exact versions are requirements.txt's pins).
    """
    return files_digest(sorted(ROOT.glob("course_tools/**/*.py")) + sorted(ROOT.glob("benchmarks/results/*.json"))
                        + [ROOT / "requirements.txt"])


def env(args: list[str]) -> None:
    # --newest: the reader set (pyproject.toml's ranges) upgraded to the newest releases, on top of
    # the pinned book toolchain: what a learner installing today gets (the weekly CI run).
    ensure_environment(after_install=("--upgrade", "-e", ".")  # uv's --upgrade is eager
                       if "--newest" in args else ())


def build(args: list[str]) -> None:
    python = ensure_environment()
    ensure_chromium()
    cache = ROOT / "_build" / ".jupyter_cache"
    inputs_stamp = ROOT / "_build" / ".execution-inputs.sha256"
    digest = execution_inputs_digest()
    extra = []
    stale = not inputs_stamp.exists() or inputs_stamp.read_text() != digest
    if "--force" in args or stale:  # re-execute every notebook: drop the cache, re-render all
        shutil.rmtree(cache, ignore_errors=True)
        extra = ["--all"]
    site = SITE
    if "--no-solutions" in args:  # book_build/without_solutions.py: another table of contents
        outdir = Path(next((a for a in args if not a.startswith("--")), ROOT / "_build" / "no-solutions")).resolve()
        run(python, "-m", "book_build.without_solutions", outdir / "_toc.yml")
        extra += ["--toc", outdir / "_toc.yml", "--path-output", outdir]
        site = outdir / "_build" / "html"
    # -W: warnings are errors; -n: nitpicky cross-references; --keep-going: report every problem.
    run(bin_path(VENV, "jupyter-book"), "build", ROOT, "-W", "-n", "--keep-going", *extra)
    report = site / "reports"
    if report.exists() and any(report.iterdir()):
        sys.exit(f"notebook execution reports found in {report}: a cell failed")
    inputs_stamp.write_text(digest)
    if site == SITE:
        SITE_STAMP.write_text(site_inputs_digest() or "")


def pytest(python: Path, args: list[str]) -> None:
    result = subprocess.run([str(python), "-m", "pytest", *args], cwd=ROOT)
    if result.returncode == 5:
        sys.exit("pytest collected no tests: that is a failure, not a pass")
    sys.exit(result.returncode)


def test(args: list[str]) -> None:
    """The whole suite tests the site as built from this tree, so it builds first, unless the last
    build was of exactly these files (README's build command just ran: a second, empty build would
    still take a minute); a selection builds only if a test needs the site and there is none
    (tests/conftest.py)."""
    current = SITE_STAMP.exists() and SITE_STAMP.read_text() == (site_inputs_digest() or "unknown")
    if not args and not current:
        build([])
    python = ensure_environment()
    ensure_chromium()
    ensure_axe()
    pytest(python, args)


def exercises(args: list[str]) -> None:
    run(ensure_environment(), "-m", "book_build.make_exercises", *args)


def export(args: list[str]) -> None:
    run(ensure_environment(), "-m", "book_build.export_notebooks", *args)


def bench(args: list[str]) -> None:
    run(ensure_environment(), "-m", "benchmarks.run", *args)


def digest(args: list[str]) -> None:
    run(ensure_environment(), "-m", DIGEST_MODULE, *args)


def oldest_numpy() -> str:
    """The lower bound of NumPy in pyproject.toml: the oldest supported version, tested."""
    dependencies = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["dependencies"]
    return next(re.search(r">=([\d.]+)", d).group(1) for d in dependencies if d.startswith("numpy"))


def oldest_numpy_test(args: list[str]) -> None:
    version = oldest_numpy()
    python = ensure_environment(ROOT / f".venv-numpy-{version}", after_install=(f"numpy=={version}",))
    default = ["chapters", "exercises", "solutions", *map(str, sorted(ROOT.glob("tests/test_ops_*.py")))]
    pytest(python, args or default)


def assignment(args: list[str]) -> None:  # instructors/: the instructors' tools
    run(ensure_environment(), "-m", "instructors.assignment", *args)


def mistakes(args: list[str]) -> None:
    run(ensure_environment(), "-m", "instructors.mistakes", *args)


def lighthouse(args: list[str]) -> None:
    run(ensure_environment(), "-m", "book_build.lighthouse", *args)


COMMANDS = {"build": build, "test": test, "env": env, "exercises": exercises, "export": export,
            "bench": bench, "digest": digest, "oldest-numpy": oldest_numpy_test,
            "assignment": assignment, "mistakes": mistakes, "lighthouse": lighthouse}

if __name__ == "__main__":
    if len(sys.argv) < 2 or sys.argv[1] not in COMMANDS:
        sys.exit(__doc__)
    COMMANDS[sys.argv[1]](sys.argv[2:])
