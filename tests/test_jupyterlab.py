"""The learner's exercise flow in JupyterLab itself, driven by headless Chromium.

Starts JupyterLab from this environment on a free port of 127.0.0.1, in a temporary folder
holding a copy of exercises/level_a.md (so the repository stays untouched), with Jupytext as the
viewer of .md files, as binder/postBuild sets it. Then, as a learner would: open the page as a
notebook, run all (every check says "not answered yet"), type a wrong answer and see one short
marked message of at most three lines (no traceback), run all again and see every later check
run, type the right one and see "correct".
The MyST markup (roles, labels) must render, not show raw (jupyterlab-myst). Screenshots of both
go to _build/screenshots/jupyterlab-*.png. The server is stopped at the end.
"""
from __future__ import annotations

import json
import os
import secrets
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from book_build.course_pdf import CHROMIUM
from course_tools.notebooks import REPO_ROOT

SCREENSHOTS = REPO_ROOT / "_build" / "screenshots"
JUPYTER_LAB = Path(sys.executable).parent / "jupyter-lab"
SETTINGS = {  # Jupytext opens .md as a notebook; no news or update checks (no network here)
    "@jupyterlab/docmanager-extension/plugin.jupyterlab-settings":
        {"defaultViewers": {"markdown": "Jupytext Notebook", "myst": "Jupytext Notebook"}},
    "@jupyterlab/apputils-extension/notification.jupyterlab-settings":
        {"fetchNews": "false", "checkForUpdates": False},
}


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture(scope="module")
def jupyterlab(tmp_path_factory):
    """A running JupyterLab: its URL (with token) and the folder it serves."""
    if not Path(CHROMIUM).exists():
        pytest.fail(f"no Chromium at {CHROMIUM}: `python3 tasks.py test` finds or installs one")
    if not JUPYTER_LAB.exists():
        pytest.skip("JupyterLab is not installed in this environment (requirements-dev.txt)")
    root, home = tmp_path_factory.mktemp("lab"), tmp_path_factory.mktemp("jupyter-home")
    shutil.copy(REPO_ROOT / "exercises" / "level_a.md", root)
    for name, values in SETTINGS.items():
        path = home / "settings" / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(values))
    port, token = free_port(), secrets.token_hex(16)
    # As on a learner's machine: no COURSE_CHECKS=raise (the root conftest.py sets it for nbval),
    # so a wrong answer is reported and Run All goes on.
    env = {**{k: v for k, v in os.environ.items() if k != "COURSE_CHECKS"},
           "JUPYTERLAB_SETTINGS_DIR": str(home / "settings"),
           "JUPYTERLAB_WORKSPACES_DIR": str(home / "workspaces"),
           "JUPYTER_CONFIG_DIR": str(home / "config"), "JUPYTER_RUNTIME_DIR": str(home / "runtime")}
    command = [JUPYTER_LAB, "--no-browser", "--ip=127.0.0.1", f"--port={port}", "--port-retries=0",
               f"--IdentityProvider.token={token}", f"--ServerApp.root_dir={root}",
               "--LabApp.expose_app_in_browser=True", "--allow-root"]
    log = (home / "server.log").open("w")
    server = subprocess.Popen([str(c) for c in command], env=env, stdout=log, stderr=log)
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 90
        while True:
            try:
                urllib.request.urlopen(f"{url}/api/status?token={token}", timeout=2)
                break
            except OSError:
                assert server.poll() is None, (home / "server.log").read_text()
                assert time.monotonic() < deadline, "JupyterLab did not start within 90 s"
                time.sleep(0.5)
        yield url, token, root
    finally:
        try:  # a clean shutdown stops the kernels too
            request = urllib.request.Request(f"{url}/api/shutdown?token={token}", method="POST")
            urllib.request.urlopen(request, timeout=10)
            server.wait(timeout=30)
        except Exception:
            server.terminate()
            server.wait(timeout=30)
        log.close()


def cell_output(page, tag: str, expected: str) -> str:
    """The text of the output of the cell tagged `tag`, once it contains `expected`."""
    index = page.evaluate(f"""() => window.jupyterapp.shell.currentWidget.content.widgets
        .findIndex(cell => (cell.model.getMetadata('tags') || []).includes('{tag}'))""")
    assert index >= 0, f"no cell tagged {tag}"
    output = page.locator(".jp-Notebook .jp-Cell").nth(index).locator(".jp-OutputArea")
    output.get_by_text(expected).first.wait_for(timeout=60_000)
    return output.inner_text()


def answer(page, exercise_id: str, code: str) -> str:
    """Type `code` into the exercise's answer cell, run it and its check: the check's output."""
    index = page.evaluate(f"""() => window.jupyterapp.shell.currentWidget.content.widgets
        .findIndex(cell => (cell.model.getMetadata('tags') || []).includes('answer-{exercise_id}'))""")
    editor = page.locator(".jp-Notebook .jp-Cell").nth(index).locator(".cm-content")
    editor.click()
    page.keyboard.press("Control+a")
    page.keyboard.type(code)
    source = page.evaluate(f"() => window.jupyterapp.shell.currentWidget.content.widgets[{index}]"
                           ".model.sharedModel.getSource()")
    assert source == code, f"the editor holds {source!r}"
    page.keyboard.press("Shift+Enter")  # runs the answer cell, moves to the check cell
    page.keyboard.press("Shift+Enter")  # runs the check
    check = page.locator(".jp-Notebook .jp-Cell").nth(index + 1)
    check.locator(".jp-OutputArea-output").first.wait_for(timeout=60_000)
    page.wait_for_function(f"""() => {{
        const cell = window.jupyterapp.shell.currentWidget.content.widgets[{index + 1}];
        return cell.model.executionCount !== null && !cell.node.querySelector('.jp-mod-running')
            && cell.model.outputs.length > 0; }}""", timeout=60_000)
    check.scroll_into_view_if_needed()
    return check.locator(".jp-OutputArea").inner_text()


def test_the_exercise_flow_in_jupyterlab(jupyterlab):
    from playwright.sync_api import sync_playwright

    url, token, _ = jupyterlab
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM,
                                             args=["--headless", "--no-sandbox", "--disable-gpu"])
        try:
            page = browser.new_page(viewport={"width": 1280, "height": 800})
            page.goto(f"{url}/lab/tree/level_a.md?token={token}")
            page.locator(".jp-Notebook .jp-Cell").first.wait_for(timeout=90_000)
            page.wait_for_function("() => window.jupyterapp.shell.currentWidget"
                                   "?.sessionContext?.session?.kernel?.status === 'idle'",
                                   timeout=90_000)
            page.evaluate("() => window.jupyterapp.commands.execute('notebook:run-all-cells')")
            for exercise_id in ("A1", "A2", "A3", "A4", "A5", "A6"):
                assert f"{exercise_id}: not answered yet." in cell_output(
                    page, f"check-{exercise_id}", f"{exercise_id}: not answered yet.")
            # jupyterlab-myst renders the MyST markup: roles and labels never show raw.
            prose = page.evaluate("""() => [...document.querySelectorAll(
                '.jp-MarkdownCell .jp-Cell-inputArea')].map(cell => cell.innerText)""")
            assert any("Shape of a matrix product" in t for t in prose), prose
            raw = [t for t in prose if "{ref}" in t or "(exercises-level-a)=" in t]
            assert not raw, f"MyST shown raw in JupyterLab: {raw[:2]}"

            wrong = answer(page, "A1", "answer_a1 = (2, 3)")
            page.screenshot(path=SCREENSHOTS / "jupyterlab-wrong-answer.png")
            assert wrong.strip().startswith("A1: not right yet.") and "outer dimensions" in wrong
            assert "Traceback" not in wrong and "course_tools" not in wrong, wrong
            assert len(wrong.strip().splitlines()) <= 3, wrong
            # Run All with A1 still wrong: the later checks run (a wrong answer does not stop it).
            for command in ("notebook:clear-all-cell-outputs", "notebook:run-all-cells"):
                page.evaluate(f"() => window.jupyterapp.commands.execute('{command}')")
            assert "A6: not answered yet." in cell_output(page, "check-A6", "A6: not answered yet.")
            assert "A1: not right yet." in cell_output(page, "check-A1", "A1: not right yet.")
            page.screenshot(path=SCREENSHOTS / "jupyterlab-run-all-after-a-wrong-answer.png")

            right = answer(page, "A1", "answer_a1 = (3, 2)")
            page.screenshot(path=SCREENSHOTS / "jupyterlab-right-answer.png")
            assert right.strip() == "A1: correct.", right
        finally:
            browser.close()
