"""Run the benchmark suite and write its results files.

    .venv/bin/python -m benchmarks.run            # full run, a few minutes on 2 cores
    .venv/bin/python -m benchmarks.run --quick --output-dir /tmp/x   # seconds: tiny sizes

A full run writes benchmarks/results/operations.json and distances.json; a --quick run writes
only where --output-dir says (its figures mean nothing; it shows the command works).
"""
from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

if __package__ in (None, ""):  # run as a script: python3 benchmarks/run.py
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks import operations  # noqa: E402

RESULTS_DIR = Path(__file__).resolve().parent / "results"


def _suites() -> dict:
    from benchmarks import distances  # imports SciPy and scikit-learn: only when asked for
    return {"operations": operations, "distances": distances}


def main(argv: list[str] | None = None) -> dict:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--quick", action="store_true", help="tiny sizes and budgets (a smoke test)")
    parser.add_argument("--only", choices=["operations", "distances"], help="run one benchmark")
    parser.add_argument("--output-dir", type=Path, help=f"where to write (default {RESULTS_DIR}; "
                        "a --quick run writes nothing unless this is given)")
    args = parser.parse_args(argv)
    output_dir = args.output_dir or (None if args.quick else RESULTS_DIR)
    suites = _suites() if args.only != "operations" else {"operations": operations}
    everything = {}
    for name, module in suites.items():
        if args.only and name != args.only:
            continue
        results = module.measure(quick=args.quick)
        module.validate(results)
        module.report(results)
        print(f"load average (1, 5, 15 min): start {results['machine']['load_average_start']}, "
              f"end {results['machine']['load_average_end']}")
        if output_dir is not None:
            output_dir.mkdir(parents=True, exist_ok=True)
            path = output_dir / f"{name}.json"
            path.write_text(json.dumps(results, indent=2) + "\n")
            print(f"wrote {path}")
        everything[name] = results
    return everything


if __name__ == "__main__":
    main()
