"""Linters as tests: ruff (with NumPy's NPY rules) on the Python, zizmor on the GitHub workflows.
Both run offline, pinned in requirements-dev.txt; each is shown to bite on a known-bad file."""
import subprocess
import sys
from pathlib import Path

from course_tools.notebooks import REPO_ROOT

BIN = Path(sys.executable).parent


def run(*command, cwd=REPO_ROOT) -> subprocess.CompletedProcess:
    return subprocess.run([str(c) for c in command], cwd=cwd, capture_output=True, text=True, timeout=300)


def test_ruff_finds_nothing():
    result = run(BIN / "ruff", "check", "--no-cache", ".")
    assert result.returncode == 0, result.stdout + result.stderr


def test_ruff_reports_legacy_numpy_random(tmp_path):
    (tmp_path / "bad.py").write_text("import numpy as np\n\nx = np.random.rand(3)\n")
    result = run(BIN / "ruff", "check", "--no-cache", "--config", REPO_ROOT / "pyproject.toml", "bad.py",
                 cwd=tmp_path)
    assert result.returncode == 1 and "NPY002" in result.stdout, result.stdout


def test_zizmor_finds_nothing_in_the_workflows():
    result = run(BIN / "zizmor", "--offline", "--no-progress", ".github")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "No findings" in result.stdout + result.stderr


def test_zizmor_reports_an_unpinned_action_and_persisted_credentials(tmp_path):
    workflows = tmp_path / ".github" / "workflows"
    workflows.mkdir(parents=True)
    (workflows / "bad.yml").write_text("on: push\npermissions: {}\njobs:\n  x:\n    runs-on: ubuntu-latest\n"
                                       "    steps:\n      - uses: actions/checkout@v4\n")
    result = run(BIN / "zizmor", "--offline", "--no-progress", tmp_path / ".github")
    assert result.returncode != 0
    assert "unpinned-uses" in result.stdout and "artipacked" in result.stdout, result.stdout


def test_dependabot_config_is_valid():
    result = run(BIN / "check-jsonschema", "--builtin-schema", "vendor.dependabot", ".github/dependabot.yml")
    assert result.returncode == 0, result.stdout + result.stderr
