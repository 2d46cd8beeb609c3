"""Check yourself on the page: under each exercise's check cell, a field and a Check button that
judge a typed answer in the reader's browser, offline, with the notebook's verdict and message.

The data each page embeds is generated here, at build time, from the checks themselves
(:mod:`book_build.page_answers`); ``_static/page_checks.js`` reads it. Code exercises say that
their check runs in the notebook, with links that open the page as one. Progress (verdicts kept
in the browser's localStorage) is shown on each exercise page and beside each level on the
exercises index. The closing chapter's recall questions get the same checks for their typed
parts (:mod:`course_tools.recall`). Each chapter an exercise refers to ends with "Practice" links back to it
(:mod:`book_build.practice`).

Loaded by _config.yml (``sphinx: local_extensions``). The script and its stylesheet are loaded
only on the pages that use them.
"""
from __future__ import annotations

import html
import json
import re
from pathlib import Path

from docutils import nodes

from book_build.page_answers import page_data, typed_fields
from book_build.practice import LABEL, practice_map
from course_tools import recall

SCRIPT, STYLE = "page_checks.js", "page_checks.css"
CHECK_TAG = re.compile(r"^tag_check-([A-Z]\d+)$")
DATA_ID = "page-checks-data"
EXERCISES = "exercises/"  # the pages that get checks (the solutions show the answers instead)
# What the page itself says around the checks' messages (the messages come from the checks).
PAGE_TEXT = {
    "unanswered": "Type your answer in the field above, then press Check.",
    "code": "this part is right. The rest is checked in the notebook.",
    "progress": "{right} of {total} answered",
    "recall_empty": "Write your answer first: recalling it is what makes it stick.",
    "recall_shown": "The answer is open below: tick off each point yours covers.",
}
LAUNCHERS = ("JupyterLite", "Binder", "Colab")
# The forms and counters are in the page from its first paint (shown later by the script, they
# would push the text down as the reader starts: Lighthouse counted a layout shift of 0.27 on
# level A). The theme hides this class when JavaScript is off; a form submitted before the
# script has loaded stays on the page.
JS_ONLY = "pst-js-only"
NO_SUBMIT = 'onsubmit="return false"'


def _check_cells(doctree) -> list[tuple[str, nodes.Element]]:
    found = []
    for cell in doctree.findall(nodes.container):
        for name in cell.get("classes", []):
            match = CHECK_TAG.match(name)
            if match:
                found.append((match.group(1), cell))
    return found


def _field_html(exercise_id: str, name: str, label: str, multiline: bool = False) -> str:
    field_id = f"page-check-{exercise_id}-{name.replace('.', '-')}"
    control = (f'<textarea id="{field_id}" name="{name}" rows="3"></textarea>' if multiline else
               f'<input id="{field_id}" name="{name}" type="text" autocomplete="off" '
               'autocapitalize="off" spellcheck="false">')
    return (f'<div class="page-check-field"><label for="{field_id}">{html.escape(label)}</label>'
            f"{control}</div>")


def _label(exercise_id: str, path: list[str], single: bool) -> str:
    if single:
        return f"Your answer to {exercise_id}"
    return f'{exercise_id}: {path[-1].replace("_", " ")}'


def _launch_note(exercise_id: str, typed: bool) -> str:
    links = ", ".join(f'<a class="page-check-launch" data-launch="{name}" href="#">{name}</a>'
                      for name in LAUNCHERS)
    what = ("Its function is checked in the notebook" if typed
            else f"{exercise_id} is checked in the notebook")
    return (f'<p class="page-check-note">{what}: the check runs your code on hidden cases. '
            f"Open this page as a notebook ({links}) and run {exercise_id}'s cells.</p>")


def exercise_html(exercise: dict) -> str:
    exercise_id, fields = exercise["id"], exercise["fields"]
    if not fields:
        return (f'<div class="page-check" data-exercise="{exercise_id}">'
                f"{_launch_note(exercise_id, False)}</div>")
    parts = [_field_html(exercise_id, f["name"], _label(exercise_id, f["name"].split("."),
                                                        len(fields) == 1 and exercise["after"] != "prose"))
             for f in fields]
    if exercise["after"] == "prose":
        parts.append(_field_html(exercise_id, "explanation",
                                 f"{exercise_id}: your explanation (yours to judge)", multiline=True))
    form = (f'<form class="page-check-form {JS_ONLY}" data-exercise="{exercise_id}" {NO_SUBMIT}>'
            f'<p class="page-check-intro">Check {exercise_id} here, as you would type it in the '
            "notebook:</p>" + "".join(parts) +
            '<button type="submit" class="page-check-button">Check</button></form>')
    verdict = '<p class="page-check-verdict" role="status" aria-live="polite"></p>'
    note = _launch_note(exercise_id, True) if exercise["after"] == "code" else ""
    return f'<div class="page-check" data-exercise="{exercise_id}">{form}{verdict}{note}</div>'


def progress_html(ids: list[str], inline: bool = False) -> str:
    """The count starts at zero, in words as the script writes it, so the script's update
    (from this browser's saved answers) changes digits, not the layout."""
    tag = "span" if inline else "div"
    reset = "" if inline else ' <button type="button" class="page-check-reset">Reset my answers</button>'
    count = PAGE_TEXT["progress"].format(right=0, total=len(ids))
    return (f'<{tag} class="page-check-progress {JS_ONLY}" data-page-check-ids="{" ".join(ids)}">'
            f'<span class="page-check-count">{count}</span>{reset}</{tag}>')


def data_script(data: dict) -> str:
    text = json.dumps(data, separators=(",", ":")).replace("</", "<\\/")
    return f'<script type="application/json" id="{DATA_ID}">{text}</script>'


def _source(app, docname: str) -> str:
    path = Path(app.srcdir) / f"{docname}.md"
    return path.read_text() if path.exists() else ""


def checkable_ids(app) -> dict[str, list[str]]:
    """Each exercise page and the IDs on it with a typed field checked on the page."""
    pages = {}
    for docname in sorted(app.env.found_docs):
        if not docname.startswith(EXERCISES):
            continue
        text = _source(app, docname)
        ids = re.findall(r":tags: \[[^\]]*\bcheck-([A-Z]\d+)", text)
        if ids:  # the exercises page_data gives fields to (without working them out)
            pages[docname] = [i for i in ids if typed_fields(i)[0]]
    return pages


RECALL_TITLE = "Active recall"
# The typed parts of the recall questions (course_tools.recall), by question and field.
RECALL_LABELS = {"Q1.answer": "the shape of the result", "Q2.answer": "the shape of A @ B",
                 "Q3.answer.X": "the shape of X", "Q3.answer.W": "the shape of W",
                 "Q3.answer.b": "the shape of b", "Q3.answer.output": "the shape of the output",
                 "Q4.answer.axis": "the axis (a number)",
                 "Q4.answer.shape": "the shape of the mean and the std",
                 "Q5.answer": "the shape of the difference"}


def recall_html(number: int, question: dict | None) -> str:
    """A question's typed fields (judged on the page, as the notebook's check judges them), a
    field for the rest of the answer (the reader's to judge), and one button that checks and
    then opens the answer."""
    fields = "".join(_field_html(question["id"], f["name"],
                                 f'{question["id"]}: {RECALL_LABELS[question["id"] + "." + f["name"]]}')
                     for f in question["fields"]) if question else ""
    rest = "the rest of your answer" if fields else "your answer"
    field_id = f"recall-try-{number}"
    exercise = f' data-exercise="{question["id"]}"' if fields else ""
    button = "Check and show the answer" if fields else "Show the answer"
    return (f'<form class="recall-try {JS_ONLY}"{exercise} {NO_SUBMIT}>{fields}'
            f'<label for="{field_id}">Q{number}: {rest}, from memory</label>'
            f'<textarea id="{field_id}" name="attempt" rows="2"></textarea>'
            f'<button type="submit" class="page-check-button">{button}</button>'
            '<p class="page-check-verdict" role="status" aria-live="polite"></p>'
            '<p class="recall-note" role="status" aria-live="polite"></p></form>')


def add_recall_tries(doctree) -> dict | None:
    """Under each question of an "Active recall" section, the reader answers from memory before
    the answer (a dropdown) opens: a typed field for each part with a shape or an axis, judged
    on the page (course_tools.recall), and a field for the rest, which the answer's list lets
    them judge. The dropdown itself still opens (and without JavaScript is all there is).
    Returns the page's data, or None where there is no such section."""
    data = None
    for section in doctree.findall(nodes.section):
        if section[0].astext() != RECALL_TITLE:
            continue
        answers = [n for n in section.findall(nodes.Element) if type(n).__name__ == "dropdown_main"]
        ids = [f"Q{number}" for number in range(1, len(answers) + 1)
               if f"Q{number}" in recall.CHECKS]
        data = page_data(ids, "")
        questions = {question["id"]: question for question in data["exercises"]}
        for number, answer in enumerate(answers, start=1):
            form = recall_html(number, questions.get(f"Q{number}"))
            answer.parent.insert(answer.parent.index(answer), nodes.raw("", form, format="html"))
    return data


def add_checks(app, doctree, docname):
    recall_data = add_recall_tries(doctree)
    if recall_data is not None:
        doctree.append(nodes.raw("", data_script({**recall_data, "page": PAGE_TEXT}),
                                 format="html"))
        return
    cells = _check_cells(doctree) if docname.startswith(EXERCISES) else []
    if cells:
        data = page_data([exercise_id for exercise_id, _ in cells], _source(app, docname))
        data["page"] = PAGE_TEXT
        for exercise, (_, cell) in zip(data["exercises"], cells):
            cell.parent.insert(cell.parent.index(cell) + 1,
                               nodes.raw("", exercise_html(exercise), format="html"))
        checked = [e["id"] for e in data["exercises"] if e["fields"]]
        if checked:  # a level whose answers are all checked in the notebook has no count here
            section = next(doctree.findall(nodes.section))
            title = next(iter(section.findall(nodes.title)))
            section.insert(section.index(title) + 1,
                           nodes.raw("", progress_html(checked), format="html"))
        doctree.append(nodes.raw("", data_script(data), format="html"))
    elif docname == app.config.page_checks_index:
        add_index_progress(app, doctree, docname)


def add_index_progress(app, doctree, docname):
    """Beside each link to an exercise page: how many of its typed answers are right."""
    pages = checkable_ids(app)
    for reference in list(doctree.findall(nodes.reference)):
        uri = reference.get("refuri", "").split("#")[0]
        target = next((page for page in pages
                       if uri == app.builder.get_relative_uri(docname, page)), None)
        if target and pages[target]:
            reference.parent.insert(reference.parent.index(reference) + 1,
                                    nodes.raw("", " " + progress_html(pages[target], inline=True),
                                              format="html"))
    section = next(doctree.findall(nodes.section))
    every = [exercise_id for ids in pages.values() for exercise_id in ids]
    table = next(section.findall(nodes.table), None)
    where = table.parent.index(table) + 1 if table is not None else len(section)
    (table.parent if table is not None else section).insert(
        where, nodes.raw("", progress_html(every), format="html"))
    doctree.append(nodes.raw("", data_script({"exercises": [], "page": PAGE_TEXT}), format="html"))


def page_assets(app, pagename, templatename, context, doctree):
    """The script and style on the pages that use them (early: the theme copies the lists)."""
    if DATA_ID in context.get("body", ""):  # the exercise pages, the index, active recall
        app.add_js_file(SCRIPT)
        app.add_css_file(STYLE)


def launch_links(app, pagename, templatename, context, doctree):
    """The notes' launch links: the page header's own (after book_build.header_buttons)."""
    body = context.get("body", "")
    if "page-check-launch" not in body:
        return
    urls = {button.get("text"): button.get("url")
            for group in context.get("header_buttons", [])
            for button in group.get("buttons", []) if button.get("text") in LAUNCHERS}
    for name in LAUNCHERS:
        if urls.get(name):
            body = body.replace(f'data-launch="{name}" href="#"',
                                f'data-launch="{name}" href="{html.escape(urls[name])}"')
        else:  # no such launcher configured: no dead link
            body = re.sub(rf'(, )?<a class="page-check-launch" data-launch="{name}" href="#">'
                          rf"{name}</a>", "", body)
    context["body"] = body


def only_where_used(app, config):
    """Jupyter Book loads every script and style in _static on every page; these two only
    where there are checks (page_assets)."""
    config.html_js_files = [f for f in config.html_js_files
                            if (f[0] if isinstance(f, tuple) else f) != SCRIPT]
    config.html_css_files = [f for f in config.html_css_files
                             if (f[0] if isinstance(f, tuple) else f) != STYLE]


def always_rebuilt(app, env, added, changed, removed):
    """Pages whose checks or practice links come from elsewhere (course_tools, the exercise
    pages), which Sphinx does not track: written afresh by every build (cheap: the notebooks'
    outputs come from the execution cache)."""
    practised = set(practice_map(Path(app.srcdir)))

    def depends(docname: str) -> bool:
        text = _source(app, docname)
        label = LABEL.search(text)
        return (docname.startswith(EXERCISES) or docname == app.config.page_checks_index
                or f"## {RECALL_TITLE}" in text or bool(label and label.group(1) in practised))
    return [docname for docname in env.found_docs if depends(docname)]


def setup(app):
    app.setup_extension("book_build.practice")
    app.add_config_value("page_checks_index", "exercises/index", "env")
    app.connect("config-inited", only_where_used)
    app.connect("env-get-outdated", always_rebuilt)
    app.connect("doctree-resolved", add_checks)
    app.connect("html-page-context", page_assets, priority=100)
    app.connect("html-page-context", launch_links, priority=950)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
