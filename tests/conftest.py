"""Fixtures shared by the tests of what the build produces."""
import fcntl
import os
import subprocess
import sys
from pathlib import Path

import pytest

from course_tools.notebooks import REPO_ROOT

SITE = Path(os.environ.get("COURSE_SITE", REPO_ROOT / "_build" / "html"))


@pytest.fixture(scope="session")
def built_site() -> Path:
    """The built site; built first when there is none, so any selection of tests runs on a fresh
    clone (`python3 tasks.py test` with no arguments always builds first)."""
    if (SITE / "index.html").exists():
        return SITE
    assert "COURSE_SITE" not in os.environ, f"no built site in $COURSE_SITE ({SITE})"
    lock = REPO_ROOT / "_build" / ".build.lock"
    lock.parent.mkdir(exist_ok=True)
    with lock.open("w") as held:
        fcntl.flock(held, fcntl.LOCK_EX)  # parallel workers (pytest-xdist): one builds, the others wait
        if not (SITE / "index.html").exists():
            subprocess.run([sys.executable, str(REPO_ROOT / "tasks.py"), "build"], cwd=REPO_ROOT, check=True)
    return SITE
