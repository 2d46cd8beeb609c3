"""Which mistakes a class made: exercise x named mistake -> how many submissions made it.

    python3 tasks.py mistakes RESULTS_DIR OUT

reads every ``results.json`` under RESULTS_DIR (one per submission, as ``otter run`` or
Gradescope's Otter autograder writes it) and writes ``OUT/mistakes.csv`` and ``OUT/mistakes.html``
(a table with a bar per mistake). A failed test's output ends with the course's message for the
mistake (``WrongAnswer: ...``): that message is the mistake's name. An answer left as the
template counts as "not answered".
"""
from __future__ import annotations

import csv
import html
import json
import re
import sys
from collections import Counter
from pathlib import Path

NOT_ANSWERED = "not answered"
MESSAGE = re.compile(r"^\s*(?:WrongAnswer|LearnerError|AssertionError): (.*)$", re.M)


def mistake(output: str) -> str:
    """The course's message in a failed test's output, or what Otter said when there is none."""
    messages = MESSAGE.findall(output)
    if not messages:
        return output.strip().splitlines()[-1].strip() if output.strip() else "failed"
    message = " ".join(messages[-1].split())
    return NOT_ANSWERED if "not answered yet" in message else message


def tally(results_dir: Path) -> tuple[Counter, int, dict[str, int]]:
    """(exercise, mistake) -> submissions, the number of submissions, and each exercise's order."""
    counts, order = Counter(), {}
    files = sorted(results_dir.rglob("results.json"))
    for path in files:
        for test in json.loads(path.read_text())["tests"]:
            if "max_score" not in test or not test.get("max_score"):
                continue  # Otter's summary of the public tests, not a question
            order.setdefault(test["name"], len(order))
            if test["score"] < test["max_score"]:
                counts[test["name"], mistake(test.get("output", ""))] += 1
    return counts, len(files), order


def rows(counts: Counter, submissions: int, order: dict[str, int]) -> list[dict]:
    ranked = sorted(counts.items(), key=lambda item: (order[item[0][0]], -item[1], item[0][1]))
    return [{"exercise": exercise, "mistake": name, "submissions": n,
             "share": f"{n / submissions:.0%}"} for (exercise, name), n in ranked]


def write_csv(table: list[dict], path: Path) -> None:
    with path.open("w", newline="") as file:
        writer = csv.DictWriter(file, ["exercise", "mistake", "submissions", "share"])
        writer.writeheader()
        writer.writerows(table)


PAGE = """<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Mistakes made by the class</title>
<style>
  body {{ font-family: system-ui, sans-serif; margin: 1.5rem; color: #1a1a1a; background: #fff; }}
  table {{ border-collapse: collapse; width: 100%; max-width: 70rem; }}
  th, td {{ text-align: left; padding: 0.35rem 0.5rem; border-bottom: 1px solid #ddd; vertical-align: top; }}
  td.n {{ text-align: right; white-space: nowrap; font-variant-numeric: tabular-nums; }}
  .bar {{ margin-top: 0.3rem; background: #e8eef6; }}
  .bar span {{ display: block; height: 0.8rem; background: #1f5fa8; }}
  tr.first td {{ border-top: 2px solid #888; }}
</style>
</head>
<body>
<h1>Mistakes made by the class</h1>
<p>{submissions} graded submission{plural}. Each row is a mistake the course's checks name, with how many
submissions made it; its bar is that share of the class (the full width is every submission). A
submission makes at most one mistake per exercise: the first its check finds.</p>
<table>
<thead><tr><th>exercise</th><th>mistake</th><th>count</th><th>share</th></tr></thead>
<tbody>
{body}
</tbody>
</table>
</body>
</html>
"""


def write_html(table: list[dict], submissions: int, path: Path) -> None:
    lines, previous = [], None
    for row in table:
        share = row["submissions"] / submissions
        first = ' class="first"' if row["exercise"] != previous else ""
        previous = row["exercise"]
        lines.append(f'<tr{first}><td>{html.escape(row["exercise"])}</td><td>{html.escape(row["mistake"])}'
                     f'<div class="bar" aria-hidden="true"><span style="width: {share:.0%}"></span></div></td>'
                     f'<td class="n">{row["submissions"]}</td><td class="n">{row["share"]}</td></tr>')
    body = "\n".join(lines) or '<tr><td colspan="4">No mistakes: every submission passed every exercise.</td></tr>'
    path.write_text(PAGE.format(submissions=submissions, plural="s" * (submissions != 1), body=body))


def main(argv: list[str]) -> None:
    if len(argv) != 2:
        sys.exit(__doc__)
    results_dir, out = Path(argv[0]), Path(argv[1])
    counts, submissions, order = tally(results_dir)
    if not submissions:
        sys.exit(f"no results.json under {results_dir}")
    out.mkdir(parents=True, exist_ok=True)
    table = rows(counts, submissions, order)
    write_csv(table, out / "mistakes.csv")
    write_html(table, submissions, out / "mistakes.html")
    print(f"{submissions} submissions, {len(table)} distinct mistakes: {out / 'mistakes.csv'}, "
          f"{out / 'mistakes.html'}")


if __name__ == "__main__":
    main(sys.argv[1:])
