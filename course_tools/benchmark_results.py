"""Benchmark results (benchmarks/results/*.json) for the performance pages."""
from __future__ import annotations

import json

from course_tools.notebooks import REPO_ROOT

RESULTS = REPO_ROOT / "benchmarks" / "results"


def load(name: str) -> dict:
    return json.loads((RESULTS / f"{name}.json").read_text())
