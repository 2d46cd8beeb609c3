"""Lighthouse (mobile preset, simulated throttling) on pages of the built site, served gzipped as
GitHub Pages serves it: ``python3 tasks.py lighthouse [--runs N] [PAGE ...]`` (default: every page in
``_toc.yml``, one run each; with ``--runs N`` the median of N runs, by Performance score).

Lighthouse 12.2.3 is installed with npm into $LIGHTHOUSE_DIR (default _build/lighthouse) on first use
and drives Debian's Chromium ($CHROME_PATH, default /usr/bin/chromium). Prints each page's
Performance, Accessibility, Best Practices and SEO scores with its weight as served, and the load
average: scores fall when other processes compete for the CPU, so they are compared at low load.
"""
from __future__ import annotations

import argparse
import functools
import gzip
import http.server
import json
import os
import subprocess
import sys
import threading
from pathlib import Path

from book_build.notebook_archive import toc_files
from course_tools.notebooks import REPO_ROOT

LIGHTHOUSE = "lighthouse@12.2.3"
TOOL_DIR = Path(os.environ.get("LIGHTHOUSE_DIR", REPO_ROOT / "_build" / "lighthouse"))
SITE = REPO_ROOT / "_build" / "html"
CATEGORIES = ["performance", "accessibility", "best-practices", "seo"]
COMPRESSED = (".html", ".css", ".js", ".svg", ".json", ".txt", ".map")


class GzipHandler(http.server.SimpleHTTPRequestHandler):
    """Static files, text types gzipped when the client accepts it (as GitHub Pages does)."""

    def log_message(self, *args):
        pass

    def send_head(self):
        path = self.translate_path(self.path)
        if (os.path.isfile(path) and path.endswith(COMPRESSED)
                and "gzip" in self.headers.get("Accept-Encoding", "")):
            with open(path, "rb") as source:
                body = gzip.compress(source.read(), compresslevel=6)
            self.send_response(200)
            self.send_header("Content-Type", self.guess_type(path))
            self.send_header("Content-Encoding", "gzip")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)
            return None
        return super().send_head()


def lighthouse_bin():
    binary = TOOL_DIR / "node_modules" / ".bin" / "lighthouse"
    if not binary.exists():
        TOOL_DIR.mkdir(parents=True, exist_ok=True)
        subprocess.run(["npm", "install", "--prefix", str(TOOL_DIR), "-E", LIGHTHOUSE], check=True)
    return binary


def audit(binary: Path, url: str, env: dict) -> dict:
    result = subprocess.run(
        [str(binary), url, "--output=json", "--quiet", f"--only-categories={','.join(CATEGORIES)}",
         "--chrome-flags=--headless=new --no-sandbox --disable-gpu"],
        env=env, capture_output=True, text=True)
    if result.returncode != 0:
        sys.exit(f"lighthouse failed on {url}: {result.stderr[-2000:]}")
    return json.loads(result.stdout)


def main(args: list[str]) -> None:
    parser = argparse.ArgumentParser(prog="python3 tasks.py lighthouse")
    parser.add_argument("--runs", type=int, default=1, help="runs per page; the median is reported")
    parser.add_argument("pages", nargs="*", help="e.g. chapters/dot_product (default: every page)")
    options = parser.parse_args(args)
    runs, pages = options.runs, options.pages
    binary = lighthouse_bin()
    handler = functools.partial(GzipHandler, directory=str(SITE))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    env = {**os.environ, "CHROME_PATH": os.environ.get("CHROME_PATH", "/usr/bin/chromium")}
    print(f"load average before: {os.getloadavg()[0]:.1f}; median of {runs} run(s) per page")
    for page in pages or toc_files():  # by default every page of the book
        url = f"http://127.0.0.1:{server.server_port}/{page}.html"
        # Scores vary from run to run; Lighthouse's documentation advises the median of several.
        reports = sorted((audit(binary, url, env) for _ in range(runs)),
                         key=lambda r: r["categories"]["performance"]["score"])
        report = reports[len(reports) // 2]
        scores = {name: round(100 * report["categories"][name]["score"]) for name in CATEGORIES}
        audits = report["audits"]
        weight = audits["total-byte-weight"]["numericValue"] / 1024
        spread = [round(100 * r["categories"]["performance"]["score"]) for r in reports]
        print(f"{page}: " + ", ".join(f"{name} {score}" for name, score in scores.items())
              + (f" (runs: {spread})" if runs > 1 else "")
              + f"; {weight:.0f} KiB; LCP {audits['largest-contentful-paint']['displayValue']},"
              f" TBT {audits['total-blocking-time']['displayValue']},"
              f" CLS {audits['cumulative-layout-shift']['displayValue']};"
              f" load {os.getloadavg()[0]:.1f}", flush=True)
    server.shutdown()


if __name__ == "__main__":
    main(sys.argv[1:])
