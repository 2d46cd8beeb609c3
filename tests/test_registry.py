"""Every list a reader or a maintainer sees follows the one place that defines it.

Operations: ``benchmarks.operations.OPERATIONS``. Chapters and their order: ``_toc.yml``.
Exercises: ``course_tools.exercises.CHECKS``. Each failure says which file to edit.
"""
from __future__ import annotations

import re
from itertools import groupby

import yaml

from benchmarks.operations import OPERATIONS
from book_build.practice import practice_map
from course_tools.exercises import CHECKS, id_ranges
from course_tools.notebooks import REPO_ROOT

NUMBER_WORDS = ("zero one two three four five six seven eight nine ten eleven twelve thirteen "
                "fourteen fifteen sixteen seventeen eighteen nineteen twenty").split()


def toc_files(caption_start: str | None = None) -> list[str]:
    toc = yaml.safe_load((REPO_ROOT / "_toc.yml").read_text())
    files = [toc["root"]]
    for part in toc["parts"]:
        if caption_start is None or part["caption"].startswith(caption_start):
            files += [chapter["file"] for chapter in part["chapters"]]
    return files if caption_start is None else files[1:]


def label(path: str) -> str:
    return "chapter-" + path.split("/")[-1].replace("_", "-")


def test_operation_chapters_are_the_registered_operations_in_order():
    chapters = [path.split("/")[-1] for path in toc_files("Operations")]
    registered = [op.chapter for op in OPERATIONS.values()]
    assert chapters == registered, (
        "_toc.yml's 'Operations' part and benchmarks/operations.py's OPERATIONS must list the same "
        f"chapters in the same order: toc {chapters}, registry {registered}")


def test_intro_chapter_map_lists_the_reading_order():
    intro = (REPO_ROOT / "chapters" / "intro.md").read_text()
    table = intro.split("## Chapter map", 1)[1]
    mapped = re.findall(r"^\| \{ref\}`(chapter-[\w-]+)`", table, re.M)
    files = toc_files()
    start = files.index("chapters/shapes")
    expected = [label(path) for path in files[start:start + len(mapped)]]
    assert mapped == expected and label(files[start + len(mapped) - 1]) == "chapter-closing", (
        "chapters/intro.md's chapter map must list every chapter from shapes to closing in _toc.yml's "
        f"order: it has {mapped}, _toc.yml gives {expected}")


def exercise_ranges() -> dict[str, str]:
    """'A' -> 'A1–A6', from the registered checks."""
    return id_ranges(dash="–")


def test_registered_exercises_are_numbered_without_gaps_and_have_pages():
    for level, ids in groupby(sorted(CHECKS), key=lambda exercise_id: exercise_id[0]):
        numbers = sorted(int(exercise_id[1:]) for exercise_id in ids)
        assert numbers == list(range(1, len(numbers) + 1)), f"level {level}: {numbers}"
        for folder in ("exercises", "solutions"):
            assert (REPO_ROOT / folder / f"level_{level.lower()}.md").exists()


def test_exercises_index_states_the_registered_count_and_ranges():
    index = (REPO_ROOT / "exercises" / "index.md").read_text()
    count = NUMBER_WORDS[len(CHECKS)]
    where = "exercises/index.md (the registry is course_tools/exercises.py's CHECKS)"
    assert re.search(rf"\b{count}\b exercises", index, re.I), f"{where}: say '{count.capitalize()} exercises'"
    for level, ids in exercise_ranges().items():
        assert re.search(rf"^\| \{{ref\}}`{level}:.*\| {ids} \|$", index, re.M), f"{where}: level {level} is {ids}"


def test_closing_summary_times_every_registered_operation():
    """The closing page's summary table times each operation (the page cannot import the
    benchmark registry: learners' copies do not ship benchmarks/)."""
    closing = (REPO_ROOT / "chapters" / "closing.md").read_text()
    cases = closing[closing.index("\ncases = {"):]
    cases = cases[:cases.index("\n}\n")]
    summarized = re.findall(r'^\s+"[^"]+": \("(\w+)", "(\w+)",', cases, re.M)
    registered = [(op.chapter, op.loop.removesuffix("_loop")) for op in OPERATIONS.values()]
    assert summarized == registered, (
        "chapters/closing.md's `cases` (the summary table) must list benchmarks/operations.py's "
        f"OPERATIONS in order, as (chapter, function prefix): it has {summarized}, the registry {registered}")


def test_every_exercise_refers_to_a_chapter():
    """Each exercise's question refers to the chapter that teaches it: that reference lists it
    under the chapter's Practice section and is its way back (book_build/practice.py)."""
    referred = {exercise["id"] for exercises in practice_map().values() for exercise in exercises}
    missing = sorted(set(CHECKS) - referred)
    assert not missing, (
        f"{', '.join(missing)} refer to no chapter: add a (Recap: {{ref}}`chapter-...`.) to the "
        "question in solutions/level_<x>.md, then run `python3 tasks.py exercises`")


def test_readme_lists_the_registered_operations():
    """README's opening sentence names every operation of the registry, in its order, then the
    training step that combines them (chapters/ml_use_case.md)."""
    text = " ".join((REPO_ROOT / "README.md").read_text().split())
    listed = re.search(r"Each operation — (.*?), and the normalize-then-layer step of training —", text)
    assert listed, "README.md: the sentence 'Each operation — …, and the normalize-then-layer step …' is gone"
    assert listed[1].split(", ") == list(OPERATIONS), (
        f"README.md's list of operations {listed[1].split(', ')} must read as benchmarks/operations.py's "
        f"OPERATIONS: {list(OPERATIONS)}")
