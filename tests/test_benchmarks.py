"""The benchmark command runs end to end, and results files (fresh and committed) have the schema
the performance pages read. No wall-clock figure is asserted anywhere: benchmarks are not tests."""
import copy
import json
import re
import subprocess
import sys

import pytest

from benchmarks import operations
from benchmarks.run import check_schema
from course_tools.benchmark_results import RESULTS as COMMITTED
from course_tools.notebooks import REPO_ROOT

SUITES = ("operations", "distances")


def validate(results: dict, name: str, tmp_path) -> None:
    path = tmp_path / f"{name}.json"
    path.write_text(json.dumps(results))
    check_schema(path, name)


@pytest.fixture(scope="module")
def quick_results(tmp_path_factory):
    """The documented command, in --quick mode, writing to a temporary folder."""
    output = tmp_path_factory.mktemp("results")
    subprocess.run([sys.executable, "-m", "benchmarks.run", "--quick", "--output-dir", str(output)],
                   cwd=REPO_ROOT, check=True, capture_output=True, text=True, timeout=300)
    return {name: json.loads((output / f"{name}.json").read_text()) for name in SUITES}


@pytest.mark.parametrize("name", SUITES)
def test_quick_run_writes_valid_results(quick_results, name, tmp_path):
    validate(quick_results[name], name, tmp_path)
    assert quick_results[name]["quick"] is True


def test_quick_run_times_every_chapter_function(quick_results):
    speedups = quick_results["operations"]["speedups"]
    for name, op in operations.OPERATIONS.items():
        assert (speedups[name]["loop"], speedups[name]["vec"]) == (op.loop, op.vec)


def test_committed_results_cover_every_operation():
    """The schema checks each entry's shape; which operations there must be is the registry's."""
    results = json.loads((COMMITTED / "operations.json").read_text())
    missing = set(operations.OPERATIONS) - set(results["speedups"])
    assert not missing, f'no results for {sorted(missing)}: run python3 tasks.py bench --only "<operation>"'
    assert set(results["speedups"]) == set(operations.OPERATIONS)
    assert set(results["limits"]["operations"]) == set(operations.OPERATIONS)
    assert set(results["series"]) == set(operations.SERIES)
    assert set(results["measured"]) == set(operations.OPERATIONS), "each operation records when and where"


def test_committed_results_agree_where_measured_twice():
    """The speed-up table and the series time some (operation, size) pairs both: one method, so the
    committed medians must agree within 1.5x (a check of the committed data, not of this machine)."""
    results = json.loads((COMMITTED / "operations.json").read_text())
    assert operations.disagreements(results, tolerance=1.5) == []


def test_one_operation_is_remeasured_and_the_others_kept(quick_results, tmp_path):
    (tmp_path / "operations.json").write_text(json.dumps(quick_results["operations"]))
    subprocess.run([sys.executable, "-m", "benchmarks.run", "--quick", "--only", "L2 norm",
                    "--output-dir", str(tmp_path)], cwd=REPO_ROOT, check=True, capture_output=True,
                   text=True, timeout=300)
    after = json.loads((tmp_path / "operations.json").read_text())
    validate(after, "operations", tmp_path)
    before = quick_results["operations"]
    for name in operations.OPERATIONS:
        kept = name != "L2 norm"
        assert (after["speedups"][name] == before["speedups"][name]) == kept, name
        assert (after["measured"][name] == before["measured"][name]) == kept, name
    assert after["limits"]["memory_roof"] == before["limits"]["memory_roof"]


def test_accuracy_is_checked_even_in_a_quick_run(quick_results):
    for case in quick_results["distances"]["cases"]:  # a property of the code, not a timing
        assert case["targets"]["max_error_offset_1e6"]["met"], case["D"]


@pytest.mark.parametrize("name", SUITES)
def test_committed_results_are_valid_and_full_size(name, tmp_path):
    results = json.loads((COMMITTED / f"{name}.json").read_text())
    validate(results, name, tmp_path)
    assert results["quick"] is False


def test_committed_series_have_the_sizes_the_page_reads():
    series = json.loads((COMMITTED / "operations.json").read_text())["series"]
    for name, (loop_sizes, vec_sizes) in operations.SERIES.items():
        assert [n for n, *_ in series[name]["loop"]] == loop_sizes, name
        assert [n for n, *_ in series[name]["vec"]] == vec_sizes, name


def test_committed_distance_results_meet_the_memory_and_accuracy_targets():
    results = json.loads((COMMITTED / "distances.json").read_text())
    for case in results["cases"]:
        assert case["N"] == 2000
        assert case["targets"]["peak_over_output"]["met"], case["D"]
        assert case["targets"]["max_error_offset_1e6"]["met"], case["D"]


@pytest.mark.parametrize("name, damage, named", [
    ("operations", lambda r: r["speedups"]["dot product"].pop("large"), "'large' is a required property"),
    ("operations", lambda r: r["machine"].pop("blas"), "'blas' is a required property"),
    ("operations", lambda r: r["limits"].pop("memory_roof"), "'memory_roof' is a required property"),
    ("operations", lambda r: r["measured"]["dot product"].pop("load_average_start"), "'load_average_start'"),
    ("operations", lambda r: r["series"]["L2 norm"]["vec"][0].__setitem__(2, 2), "minimum of 3"),
    ("operations", lambda r: r["speedups"]["L2 norm"]["teaching"]["loop"].update(samples=1), "samples"),
    ("distances", lambda r: r["cases"][0]["candidates"].pop("scipy cdist"), "'scipy cdist' is a required"),
    ("distances", lambda r: r["cases"].pop(), "cases"),
])
def test_schemas_reject_incomplete_results(name, damage, named, tmp_path):
    results = copy.deepcopy(json.loads((COMMITTED / f"{name}.json").read_text()))
    damage(results)
    with pytest.raises(ValueError, match=re.escape(named)):
        validate(results, name, tmp_path)


def test_contributing_naming_contract_is_the_benchmark_registry():
    """CONTRIBUTING.md's naming table and benchmarks.operations.OPERATIONS name the same functions."""
    text = (REPO_ROOT / "CONTRIBUTING.md").read_text()
    table = re.search(r"## Naming contract.*?\n(\|.*?)\n\n", text, re.S).group(1)
    documented = {}
    for row in table.splitlines()[2:]:
        chapter, functions = re.findall(r"`([^`(]+)", row)[0], re.findall(r"`(\w+)\(", row)
        documented[chapter] = tuple(functions)
    registered = {op.chapter: (op.loop, op.vec) for op in operations.OPERATIONS.values()}
    assert documented == registered
