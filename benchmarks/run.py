"""Run the benchmark suite and write its results files.

    python3 tasks.py bench                                  # full run, a few minutes on 2 cores
    python3 tasks.py bench --only distances                 # one suite
    python3 tasks.py bench --only "dot product"             # one operation; the others' results kept
    python3 tasks.py bench --quick --output-dir /tmp/x      # seconds: tiny sizes

A full run writes benchmarks/results/operations.json and distances.json; a --quick run writes
only where --output-dir says (its figures mean nothing; it shows the command works).
"""
from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
from pathlib import Path

from benchmarks import operations
from course_tools.benchmark_results import RESULTS as RESULTS_DIR

SCHEMAS = Path(__file__).resolve().parent / "schemas"


def check_schema(path: Path, name: str) -> None:
    """Raise unless ``path`` has everything the pages read (benchmarks/schemas/<name>.schema.json)."""
    result = subprocess.run([Path(sys.executable).parent / "check-jsonschema", "--schemafile",
                             SCHEMAS / f"{name}.schema.json", path], capture_output=True, text=True)
    if result.returncode != 0:
        raise ValueError(f"{name} results do not match their schema:\n{result.stdout}{result.stderr}")


def _suites() -> dict:
    from benchmarks import distances  # imports SciPy and scikit-learn: only when asked for
    return {"operations": operations, "distances": distances}


def main(argv: list[str] | None = None) -> dict:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--quick", action="store_true", help="tiny sizes and budgets (a smoke test)")
    parser.add_argument("--only", choices=["operations", "distances", *operations.OPERATIONS],
                        help="run one benchmark, or re-measure one operation and keep the others' results")
    parser.add_argument("--output-dir", type=Path, help=f"where to write (default {RESULTS_DIR}; "
                        "a --quick run writes nothing unless this is given)")
    args = parser.parse_args(argv)
    output_dir = args.output_dir or (None if args.quick else RESULTS_DIR)
    one_operation = args.only if args.only in operations.OPERATIONS else None
    wanted = "operations" if one_operation else args.only
    suites = _suites() if wanted in (None, "distances") else {"operations": operations}
    everything = {}
    for name, module in suites.items():
        if wanted and name != wanted:
            continue
        if one_operation:
            previous = json.loads(((output_dir or RESULTS_DIR) / "operations.json").read_text())
            results = module.measure(quick=args.quick, only=one_operation, previous=previous)
        else:
            results = module.measure(quick=args.quick)
        text = json.dumps(results, indent=2) + "\n"
        with tempfile.TemporaryDirectory() as scratch:  # checked before anything is overwritten
            (Path(scratch) / f"{name}.json").write_text(text)
            check_schema(Path(scratch) / f"{name}.json", name)
        module.report(results)
        print(f"load average (1, 5, 15 min): start {results['machine']['load_average_start']}, "
              f"end {results['machine']['load_average_end']}")
        if output_dir is not None:
            output_dir.mkdir(parents=True, exist_ok=True)
            (output_dir / f"{name}.json").write_text(text)
            print(f"wrote {output_dir / f'{name}.json'}")
        everything[name] = results
    return everything


if __name__ == "__main__":
    main()
