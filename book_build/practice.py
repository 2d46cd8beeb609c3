"""Practice one click away: every chapter an exercise refers to ends with a "Practice" section
linking to those exercises.

One mapping, derived: an exercise belongs to the chapters its question refers to (the
``{ref}`chapter-…``` links in its section of exercises/level_*.md, generated from solutions/),
which are also its way back to the teaching. An exercise without such a reference appears under
no chapter; give its question a "(Recap: …)" reference in solutions/ to list it.
"""
from __future__ import annotations

import re
from pathlib import Path

from docutils import nodes

from course_tools.notebooks import REPO_ROOT

EXERCISE = re.compile(r"^## ([A-Z]\d+)\. (.+?)\n(.*?)(?=^## |\Z)", re.M | re.S)
CHAPTER_REF = re.compile(r"\{ref\}`(?:[^`<]*<)?(chapter-[\w-]+)>?`")
LABEL = re.compile(r"^\((chapter-[\w-]+)\)=", re.M)


def practice_map(root: Path = REPO_ROOT) -> dict[str, list[dict]]:
    """Chapter label -> the exercises whose question refers to it, in course order."""
    mapping: dict[str, list[dict]] = {}
    for page in sorted((root / "exercises").glob("level_*.md")):
        for match in EXERCISE.finditer(page.read_text()):
            exercise_id, title, body = match.groups()
            for label in dict.fromkeys(CHAPTER_REF.findall(body)):
                mapping.setdefault(label, []).append(
                    {"id": exercise_id, "title": title.strip(), "docname": f"exercises/{page.stem}"})
    return mapping


def add_practice(app, doctree):
    docname = app.env.docname
    source = Path(app.srcdir) / f"{docname}.md"
    if not docname.startswith("chapters/") or not source.exists():
        return
    label = LABEL.search(source.read_text())
    exercises = practice_map(Path(app.srcdir)).get(label.group(1)) if label else None
    if not exercises:
        return
    section = nodes.section(ids=["practice"], names=["practice"])
    section += nodes.title("", "Practice")
    section += nodes.paragraph("", "Exercises that use this chapter:")
    items = nodes.bullet_list()
    for exercise in exercises:
        anchor = nodes.make_id(f"{exercise['id']}. {exercise['title']}")
        uri = f"{app.builder.get_relative_uri(docname, exercise['docname'])}#{anchor}"
        text = f"{exercise['id']}. {exercise['title']}"
        items += nodes.list_item("", nodes.paragraph("", "", nodes.reference("", text, refuri=uri,
                                                                             internal=True)))
    section += items
    top = next(doctree.findall(nodes.section))
    top.append(section)


def setup(app):
    # Before the table of contents is collected, so "Practice" is listed under "On this page".
    app.connect("doctree-read", add_practice, priority=400)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
