"""The benchmark commands run end to end, and the committed results have what the pages read."""
import json

import pytest

from benchmarks import distances, run
from course_tools.notebooks import REPO_ROOT

RESULTS = REPO_ROOT / "benchmarks" / "results"


def test_operations_benchmark_runs_quickly():
    results = run.main(quick=True)
    assert set(results["operations"]) == set(run.OPERATIONS)
    assert all(row["teaching"]["ratio"] > 0 for row in results["operations"].values())


def test_distance_benchmark_runs_quickly():
    results = distances.main(quick=True)
    for case in results["cases"]:
        chunked = case["candidates"]["dist_matrix_chunked"]
        assert chunked["max_error_offset_1e6"] <= 1e-12   # accuracy is a property, not a timing


def test_committed_operations_results_are_complete():
    results = json.loads((RESULTS / "operations.json").read_text())
    assert {"cpu", "cores", "numpy", "blas"} <= set(results["machine"])
    for name, row in results["operations"].items():
        assert {"teaching", "large"} <= set(row), name
    assert set(results["series"]) == set(run.SERIES)
    assert {"matmul", "peak", "bandwidth"} <= set(results["limits"])


@pytest.mark.parametrize("D", [64, 3])
def test_committed_distance_results_meet_the_memory_and_accuracy_targets(D):
    results = json.loads((RESULTS / "distances.json").read_text())
    case = next(c for c in results["cases"] if c["D"] == D)
    chunked = case["candidates"]["dist_matrix_chunked"]
    assert case["N"] == 2000
    assert chunked["peak_over_output"] <= 1.1
    assert chunked["max_error_offset_1e6"] <= 1e-12
