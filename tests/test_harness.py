"""The safety nets themselves: a broken notebook must turn the suite and the build red."""
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from course_tools import REPO_ROOT as ROOT

FRONT_MATTER = """---
jupytext:
  text_representation: {extension: .md, format_name: myst}
kernelspec: {display_name: Python 3, language: python, name: python3}
---
"""


def notebook(*cells: tuple[str, str]) -> str:
    """A MyST notebook from (tags, code) pairs."""
    parts = [FRONT_MATTER, "# A notebook\n"]
    for tags, code in cells:
        header = f":tags: [{tags}]\n\n" if tags else ""
        parts.append(f"```{{code-cell}} ipython3\n{header}{code}\n```\n")
    return "\n".join(parts)


def run_nbval(tmp_path: Path, text: str) -> subprocess.CompletedProcess:
    """Run the project's nbval setup (its conftest.py, the kernels it starts, its options) on one notebook."""
    shutil.copy(ROOT / "conftest.py", tmp_path / "conftest.py")
    (tmp_path / "pytest.ini").write_text("[pytest]\n")
    (tmp_path / "case.md").write_text(text)
    options = re.search(r'addopts = "(.*)"', (ROOT / "pyproject.toml").read_text()).group(1)
    options = options.replace("-n auto", "-n 0")  # one notebook: no worker processes
    return subprocess.run([sys.executable, "-m", "pytest", *options.split(), "-q", "case.md"],
                          cwd=tmp_path, capture_output=True, text=True, timeout=300)


def test_clean_notebook_passes(tmp_path):
    result = run_nbval(tmp_path, notebook(("", "x = 1 + 1"), ("", "assert x == 2")))
    assert result.returncode == 0, result.stdout
    assert "2 passed" in result.stdout


def test_broken_cell_fails_the_suite(tmp_path):
    result = run_nbval(tmp_path, notebook(("", "x = 1"), ("", "assert x == 2, 'deliberately broken'")))
    assert result.returncode == 1, result.stdout
    assert "deliberately broken" in result.stdout and "1 failed" in result.stdout


def test_tagged_error_is_expected(tmp_path):
    result = run_nbval(tmp_path, notebook(("raises-exception", "1 / 0"), ("", "print('after')")))
    assert result.returncode == 0, result.stdout


def test_no_tests_is_a_failure(tmp_path):
    """pytest exits 5 when it collects nothing; the test command must not report that as a pass."""
    result = subprocess.run([sys.executable, str(ROOT / "tasks.py"), "test", str(tmp_path)],
                            capture_output=True, text=True, timeout=300)
    assert result.returncode != 0
    assert "collected no tests" in result.stderr


def test_broken_cell_fails_the_book_build(tmp_path):
    """A build that stays green while a notebook errored is the failure mode we design out."""
    shutil.copy(ROOT / "_config.yml", tmp_path / "_config.yml")
    (tmp_path / "_toc.yml").write_text("format: jb-book\nroot: case\n")
    (tmp_path / "case.md").write_text(notebook(("", "raise RuntimeError('deliberately broken')")))
    jupyter_book = Path(sys.executable).parent / "jupyter-book"
    result = subprocess.run([str(jupyter_book), "build", str(tmp_path), "-W", "-n", "--keep-going"],
                            capture_output=True, text=True, timeout=600)
    assert result.returncode != 0
    assert "deliberately broken" in result.stdout + result.stderr


def test_config_keeps_the_build_strict():
    config = (ROOT / "_config.yml").read_text()
    assert re.search(r"^\s+raise_on_error: true", config, re.M), "a cell error must fail the build"
    assert re.search(r"^\s+timeout: \d+", config, re.M), "set a per-cell timeout (default is 30 s)"
    requirements = (ROOT / "requirements-book.txt").read_text()
    version = re.search(r"^jupyter-book==(\d+)\.", requirements, re.M)
    assert version and version.group(1) == "1", "jupyter-book 2 ignores _config.yml and builds nothing"


def test_workflows_are_valid():
    workflows = sorted((ROOT / ".github" / "workflows").glob("*.yml"))
    assert workflows
    checker = Path(sys.executable).parent / "check-jsonschema"
    result = subprocess.run([str(checker), "--builtin-schema", "vendor.github-workflows", *map(str, workflows)],
                            capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr


def test_readme_quick_start_is_what_ci_runs():
    readme = (ROOT / "README.md").read_text()
    block = re.search(r"## Quick start.*?```\w*\n(.*?)```", readme, re.S).group(1)
    commands = [line for line in block.splitlines() if line.strip()]
    assert commands == ["python3 tasks.py build", "python3 tasks.py test"]
    assert "python3 tasks.py test" in (ROOT / ".ci" / "run").read_text()


def test_execution_cache_is_dropped_when_what_outputs_depend_on_changes(tmp_path, monkeypatch):
    """The execution cache is keyed on a notebook's code alone; outputs also depend on the
    helpers, the committed benchmark results and the reader set, so changing any of them must force
    re-execution; the book build and the tooling must not."""
    tasks = load_tasks()
    for relative in ("course_tools/timing.py", "benchmarks/results/distances.json", "pyproject.toml",
                     "requirements.txt"):
        (tmp_path / relative).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / relative).write_text("original")
    monkeypatch.setattr(tasks, "ROOT", tmp_path)
    before = tasks.execution_inputs_digest()
    assert tasks.execution_inputs_digest() == before, "the digest must be deterministic"
    for relative in ("course_tools/timing.py", "benchmarks/results/distances.json", "requirements.txt"):
        (tmp_path / relative).write_text("changed")
        assert tasks.execution_inputs_digest() != before, f"a change to {relative} went unnoticed"
        before = tasks.execution_inputs_digest()
    for relative in ("book_build/lite_site.py", "requirements-book.txt", "requirements-dev.txt", "tests/test_x.py",
                     "pyproject.toml"):
        (tmp_path / relative).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / relative).write_text("changed")
        assert tasks.execution_inputs_digest() == before, f"{relative} is not an input of the notebooks"


def test_notebook_discovery_skips_hidden_folders(tmp_path, monkeypatch):
    """JupyterLab saves .ipynb_checkpoints/<name>-checkpoint.md beside an opened notebook (with a
    learner's answers): never a page, an archive entry or a JupyterLite file."""
    from book_build import export
    from course_tools import notebooks
    for relative in ("chapters/op.md", "chapters/.ipynb_checkpoints/op-checkpoint.md", "exercises/.hidden/x.md"):
        (tmp_path / relative).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / relative).write_text(FRONT_MATTER + "(chapter-op)=\n# Op\n")
    monkeypatch.setattr(notebooks, "REPO_ROOT", tmp_path)
    monkeypatch.setattr(export, "REPO_ROOT", tmp_path)
    export.page_labels.cache_clear()
    try:
        assert notebooks.all_notebooks() == [tmp_path / "chapters" / "op.md"]
        assert export.page_labels() == {"chapter-op": (Path("chapters/op.md"), "Op")}
    finally:
        export.page_labels.cache_clear()
    assert ".ipynb_checkpoints/" in (ROOT / ".gitignore").read_text().splitlines()


def test_environment_is_reinstalled_only_when_requirements_change(tmp_path, monkeypatch):
    """`env --newest` upgrades on top of the pins; later commands keep that environment until the
    requirements change, then reinstall the pins."""
    tasks = load_tasks()
    python = tasks.bin_path(tmp_path, "python")
    python.parent.mkdir(parents=True)
    python.write_text("")
    installs = []
    monkeypatch.setattr(tasks, "run", lambda *command, cwd=None: installs.append(command[-1]))
    monkeypatch.setattr(tasks, "requirements_digest", lambda: "pins-1")
    tasks.ensure_environment(tmp_path, after_install=("--upgrade", "-e", "."))
    # pip installs the pinned uv, which installs the pins, then the upgrade on top
    assert installs == [tasks.uv_pin(), tasks.REQUIREMENTS, "."]
    tasks.ensure_environment(tmp_path)
    assert len(installs) == 3, "the upgraded environment must be kept"
    monkeypatch.setattr(tasks, "requirements_digest", lambda: "pins-2")
    tasks.ensure_environment(tmp_path)
    assert installs[3:] == [tasks.uv_pin(), tasks.REQUIREMENTS], "changed requirements must be installed"


def load_file(name: str, path: Path):
    """A module from a file outside the import path (tasks.py, the root conftest.py)."""
    import importlib.util
    spec = importlib.util.spec_from_file_location(name, path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def load_tasks():
    return load_file("tasks", ROOT / "tasks.py")


def test_chromium_is_found_or_installed_or_the_command_stops_with_what_to_run(tmp_path, monkeypatch):
    """README's commands provide the browser themselves: the system's, else apt-get where this user
    may install packages, else Playwright's download; else they stop at once, saying what to run
    (never a quarter of the suite skipped, never a build without its PDF)."""
    import os
    tasks = load_tasks()
    # A private environment: what ensure_chromium exports must not reach the rest of the suite.
    monkeypatch.setattr(os, "environ", {k: v for k, v in os.environ.items() if k != "COURSE_CHROMIUM"})
    system = tmp_path / "chromium"
    system.write_text("")
    monkeypatch.setattr(tasks.shutil, "which", lambda name: str(system) if name == "chromium" else None)
    tasks.ensure_chromium()
    assert tasks.os.environ["COURSE_CHROMIUM"] == str(system)

    del os.environ["COURSE_CHROMIUM"]
    commands = []
    installed = {"chromium": False}

    def fake_run(command, **options):
        commands.append([str(part) for part in command])
        if "install" in command and "chromium" in command and "apt-get" in command:
            installed["chromium"] = True
        return subprocess.CompletedProcess(command, 0, stdout="")

    def which(name):
        if name == "apt-get":
            return "/usr/bin/apt-get"
        return str(system) if name == "chromium" and installed["chromium"] else None

    monkeypatch.setattr(tasks.shutil, "which", which)
    monkeypatch.setattr(tasks.subprocess, "run", fake_run)
    monkeypatch.setattr(tasks.os, "geteuid", lambda: 0)
    tasks.ensure_chromium()
    assert any(c[:2] == ["apt-get", "update"] for c in commands)
    assert tasks.os.environ["COURSE_CHROMIUM"] == str(system)

    # No browser, no apt-get, and Playwright's download fails (no network): a clear stop.
    del os.environ["COURSE_CHROMIUM"]
    monkeypatch.setattr(tasks.shutil, "which", lambda name: None)
    monkeypatch.setattr(tasks.subprocess, "run",
                        lambda command, **options: subprocess.CompletedProcess(command, 1, stdout=""))
    monkeypatch.setattr(tasks, "ensure_environment", lambda: Path(sys.executable))
    try:
        tasks.ensure_chromium()
    except SystemExit as stop:
        assert "sudo apt-get install chromium" in str(stop.code)
        assert "playwright install --with-deps chromium" in str(stop.code)
    else:
        raise AssertionError("no browser and no way to install one, yet the command went on")


def test_axe_core_is_fetched_at_its_pin_and_checked(tmp_path, monkeypatch):
    """The test command fetches the pinned axe-core into the environment once, refuses a package
    whose hash is not the pinned one, and fetches again when the pin moves."""
    import base64
    import hashlib
    import io
    import tarfile
    tasks = load_tasks()
    version, _ = tasks.AXE_CORE

    def package(script: bytes) -> bytes:
        data = io.BytesIO()
        with tarfile.open(fileobj=data, mode="w:gz") as archive:
            info = tarfile.TarInfo("package/axe.min.js")
            info.size = len(script)
            archive.addfile(info, io.BytesIO(script))
        return data.getvalue()

    good = package(f"/*! axe v{version}\n * the script".encode())
    fetched = []

    def urlopen(url, timeout):
        fetched.append(url)
        return io.BytesIO(served)

    monkeypatch.setattr(tasks.urllib.request, "urlopen", urlopen)
    served = good
    integrity = "sha512-" + base64.b64encode(hashlib.sha512(good).digest()).decode()
    monkeypatch.setattr(tasks, "AXE_CORE", (version, integrity))
    tasks.ensure_axe(tmp_path)
    assert (tmp_path / tasks.AXE_SCRIPT).read_bytes().startswith(f"/*! axe v{version}\n".encode())
    assert fetched == [f"https://registry.npmjs.org/axe-core/-/axe-core-{version}.tgz"]
    tasks.ensure_axe(tmp_path)
    assert len(fetched) == 1, "fetched again though the environment has it"

    served = package(f"/*! axe v{version}\n * tampered".encode())
    (tmp_path / tasks.AXE_SCRIPT).unlink()
    with pytest.raises(SystemExit, match="does not match its pinned integrity hash"):
        tasks.ensure_axe(tmp_path)
    assert not (tmp_path / tasks.AXE_SCRIPT).exists()

    served = good
    tasks.ensure_axe(tmp_path)
    monkeypatch.setattr(tasks, "AXE_CORE", ("99.0.0", tasks.AXE_CORE[1]))
    tasks.ensure_axe(tmp_path)  # a new pin: the script in place is another version
    assert fetched[-1].endswith("axe-core-99.0.0.tgz")


def test_the_pinned_axe_core_is_the_one_the_browser_tests_load():
    """The script in this environment is the version tasks.py pins (a stale one would be refetched
    by the test command; run directly, pytest uses what is there)."""
    from test_browser import AXE
    tasks = load_tasks()
    assert AXE.exists(), "no axe-core in this environment: `python3 tasks.py test` fetches it"
    assert AXE.name == tasks.AXE_SCRIPT
    assert AXE.read_bytes().startswith(f"/*! axe v{tasks.AXE_CORE[0]}\n".encode())


def test_publishing_commands_time_with_the_full_budget(monkeypatch):
    """The suite's smaller timing budget (the root conftest.py) never reaches the book build or the
    benchmarks: whatever the shell set, tasks.py runs their commands without it."""
    tasks = load_tasks()
    seen = []
    monkeypatch.setattr(tasks.subprocess, "run", lambda command, cwd, env: seen.append(env) or
                        subprocess.CompletedProcess(command, 0))
    monkeypatch.setenv(tasks.TIMING_BUDGET, "0.2")
    tasks.run("jupyter-book", "build", ".")
    assert seen and tasks.TIMING_BUDGET not in seen[0] and seen[0]["PATH"] == os.environ["PATH"]


def test_the_files_started_first_exist():
    """conftest.py's LONGEST_FIRST names test files: a renamed one would silently go back to the end."""
    root_conftest = load_file("root_conftest", ROOT / "conftest.py")
    assert [name for name in root_conftest.LONGEST_FIRST if not (ROOT / name).is_file()] == []


def test_the_suites_kernels_use_sockets_of_their_own():
    """nbval's kernels and the tests' (book_build/kernels.py) take no TCP port another process
    could take first, and no two share a socket name."""
    import nbval.kernel

    from book_build.kernels import IpcKernelManager
    assert nbval.kernel.KernelManager is IpcKernelManager  # the root conftest.py's
    first, second = IpcKernelManager(), IpcKernelManager()
    if os.name != "nt":  # Windows has no IPC transport (book_build/kernels.py)
        assert first.transport == second.transport == "ipc" and first.ip != second.ip


# As Sphinx calls it, with myst-nb's settings for one notebook in the folder given. In a process of
# its own: the executor forks its pool, and a fork of a pytest-xdist worker (which runs threads)
# can deadlock.
BUILD_EXECUTION = """import sys
from pathlib import Path
from types import SimpleNamespace
from book_build.parallel_execution import execute_in_parallel
folder = Path(sys.argv[1])
config = SimpleNamespace(execution_mode="cache", execution_cache_path=str(folder / "cache"),
                         execution_timeout=60, execution_allow_errors=False)
env = SimpleNamespace(mystnb_config=config, doc2path=lambda name: str(folder / f"{name}.md"))
execute_in_parallel(SimpleNamespace(builder=SimpleNamespace(name="html")), env, ["transport"])
"""


@pytest.mark.skipif(os.name == "nt", reason="Windows has no IPC transport (book_build/kernels.py)")
def test_the_builds_kernels_use_sockets_of_their_own(tmp_path):
    """The build executes its notebooks (book_build.parallel_execution) in kernels over Unix
    sockets, and caches them for myst-nb."""
    from jupyter_cache import get_cache
    (tmp_path / "transport.md").write_text(notebook(("", "from pathlib import Path\n"
                                                         "from ipykernel.kernelapp import IPKernelApp\n"
                                                         "Path('transport').write_text(IPKernelApp.instance().transport)")))
    subprocess.run([sys.executable, "-c", BUILD_EXECUTION, str(tmp_path)], check=True, timeout=120)
    assert (tmp_path / "transport").read_text() == "ipc"
    assert [r.uri for r in get_cache(str(tmp_path / "cache")).list_cache_records()] == \
        [str(tmp_path / "transport.md")]


def test_a_hung_test_fails_instead_of_holding_the_run(tmp_path):
    """pytest-timeout is installed and on: a test stuck past pyproject.toml's limit (here 2 s, the
    configured 10 minutes being too long to wait) fails with its stack, and the run goes on."""
    configured = re.search(r"^timeout = (\d+)$", (ROOT / "pyproject.toml").read_text(), re.M)
    assert configured and 60 <= int(configured[1]) <= 900, "no test timeout in pyproject.toml"
    (tmp_path / "pytest.ini").write_text("[pytest]\n")
    (tmp_path / "test_stuck.py").write_text("import threading\n\n"
                                            "def test_stuck():\n    threading.Event().wait()\n\n"
                                            "def test_after():\n    pass\n")
    result = subprocess.run([sys.executable, "-m", "pytest", "-p", "no:cacheprovider", "-o", "timeout=2",
                             "-q", "test_stuck.py"], cwd=tmp_path, capture_output=True, text=True, timeout=120)
    assert result.returncode == 1, result.stdout
    assert "Timeout (>2.0s)" in result.stdout and "1 failed, 1 passed" in result.stdout, result.stdout
