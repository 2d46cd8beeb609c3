"""The exercise pages judge typed answers in the browser exactly as the notebook's checks do.

Every typed answer of the exercise tests' corpus (tests/test_exercises_checks.py: right answers
written differently, each known mistake, answers in the wrong form, the dictionary answers of B2
and B4, D1's figure and D2's step) is typed into the built page in Chromium and run through
the check function itself; verdict and message must be the same. The page and its data must not
contain a right answer in clear; the check works at phone width and on the dark theme with axe
at 0 serious or critical findings; progress survives a reload and shows on the exercises index.

Needs the site built (``python3 tasks.py test tests/test_page_checks.py`` builds it if absent).
"""
from __future__ import annotations

import ast
import contextlib
import inspect
import io
import json
import math
import re
from urllib.parse import urljoin

import numpy as np
import pytest
import test_browser
import test_exercises_checks as corpus
from test_browser import DESKTOP, PHONE, SCREENSHOTS, Visit, axe_findings

from book_build.page_answers import number_line
from book_build.page_checks import DATA_ID, PAGE_TEXT
from book_build.practice import practice_map
from course_tools import exercises, recall
from course_tools.feedback import WrongAnswer, run_check

# The browser test's fixtures: its Chromium, and the built site served on 127.0.0.1.
browser, site, site_url = test_browser.browser, test_browser.site, test_browser.site_url
PAGES = {"A": "exercises/level_a.html", "B": "exercises/level_b.html",
         "C": "exercises/level_c.html", "D": "exercises/level_d.html"}
CLOSING = "chapters/closing.html"  # its active-recall questions, checked by course_tools.recall
CHECKS = {**exercises.CHECKS, **recall.CHECKS}


# The corpus, as a learner would type it ------------------------------------------------------

def typed(value) -> str | None:
    """The text a learner types for this answer: its Python form; None if it cannot be typed."""
    if value is None:
        return "None"
    if isinstance(value, np.ndarray):
        return typed(value.tolist() if value.ndim else value.item())
    if isinstance(value, np.generic):
        return typed(value.item())
    if isinstance(value, (bool, int, float, str)):
        return repr(value)
    if isinstance(value, (tuple, list)):
        items = [typed(v) for v in value]
        if None in items:
            return None
        inner = ", ".join(items) + ("," if len(items) == 1 and isinstance(value, tuple) else "")
        return f"({inner})" if isinstance(value, tuple) else f"[{inner}]"
    return None


def _literal_loops(function) -> list:
    """The lists a test function loops over (`for ... in [...]`), evaluated in its module."""
    tree = ast.parse(inspect.getsource(function).lstrip())
    return [eval(compile(ast.Expression(node.iter), "<corpus>", "eval"), vars(corpus))
            for node in ast.walk(tree) if isinstance(node, ast.For) and isinstance(node.iter, ast.List)]


def _parametrized(function) -> list:
    return list(function.pytestmark[0].args[1])


def corpus_cases() -> list[tuple[str, tuple]]:
    """(exercise ID, the check's arguments) for every typed answer in the exercise tests."""
    cases = [(i, (v,)) for i, values in corpus.CORRECT.items() for v in values]
    cases += [(i, (v,)) for i, pairs in corpus.WRONG.items() for v, _ in pairs]
    cases += [(i, (v,)) for i, v, _ in corpus.WRONG_FORM]
    for why in corpus.B2_WHYS:
        cases.append(("B2", ({"shape": "(H, H)", "bias_shape": "(H,)", "why": why},)))
    cases += [("B2", ({"shape": "(H, H)", "bias_shape": "(H,)", "why": "Trailing axes first."},)),
              ("B2", ({"shape": ("H", "H"), "bias_shape": "(1, H)", "why": corpus.B2_WHYS[1]},)),
              ("B2", ({"shape": "H x H", "bias_shape": ["H"], "why": corpus.B2_WHYS[2]},)),
              ("B2", ({"shape": "(H, H)", "bias_shape": "(H,)", "why": "  "},))]
    for loop in _literal_loops(corpus.test_B2_grades_the_shapes_and_never_the_prose):
        cases += [("B2", (answer,)) for answer, _ in loop if isinstance(answer, dict)]
    for why in corpus.B4_WHYS:
        cases.append(("B4", ({"no_guard": "b", "guard_fails": "c", "why": why},)))
    cases.append(("B4", ({"no_guard": "(B)", "guard_fails": " C ", "why": corpus.B4_WHYS[1]},)))
    for loop in _literal_loops(corpus.test_B4_grades_the_choices_and_never_the_prose):
        cases += [("B4", (answer,)) for answer, _ in loop if isinstance(answer, dict)]
    d1_right = [80, 10_000 * 10_000 * 100 * 8 / 1e9, np.float64(80.0), 80.0, np.array(80)]
    cases += [("D1", (a, corpus.chunked, corpus.D1_EXPLANATIONS[0])) for a in d1_right]
    cases += [("D1", (a, f, corpus.D1_EXPLANATIONS[0]))
              for a, f, _ in _parametrized(corpus.test_D1_names_the_mistake)]
    steps = np.logspace(-15, -1, 141)
    errors = np.abs((np.sin(1 + steps) - np.sin(1 - steps)) / (2 * steps) - np.cos(1))
    for answer in (steps[np.argmin(errors)], 6e-6, np.float64(1.6e-5), np.array(5e-6),
                   np.finfo(float).eps ** (1 / 3)):
        cases += [("D2", (answer, why)) for why in corpus.D2_EXPLANATIONS]
    cases += [("D2", (a, corpus.D2_EXPLANATIONS[0]))
              for a, _ in _parametrized(corpus.test_D2_names_the_mistake)]
    return cases


class ReachedCode(BaseException):
    """The check got past the typed parts to the learner's function."""


def notebook_says(exercise_id: str, arguments: tuple, monkeypatch) -> tuple[str, str]:
    """(kind, text) of the check function itself, framed by feedback.run_check as the notebook
    prints it (a wrong answer raised, as with COURSE_CHECKS=raise)."""
    def reached(*args):
        raise ReachedCode

    monkeypatch.setenv("COURSE_CHECKS", "raise")
    monkeypatch.setattr(exercises, "as_function", reached)
    output = io.StringIO()
    try:
        with np.errstate(all="ignore"), contextlib.redirect_stdout(output):
            run_check(exercise_id, lambda: CHECKS[exercise_id](*arguments))
    except ReachedCode:
        return "code", ""
    except WrongAnswer as error:
        return "wrong", f"{exercise_id}: not right yet. {error}"
    finally:
        monkeypatch.undo()
    text = output.getvalue().strip()
    kind = ("unanswered" if text.startswith(f"{exercise_id}: not answered yet.") else
            "correct" if text.startswith(f"{exercise_id}: correct.") else "partly")
    return kind, text


def page_inputs(exercise_id: str, arguments: tuple) -> dict[str, str] | None:
    """The page's fields filled in as a learner would, or None if an answer cannot be typed."""
    signature = inspect.signature(CHECKS[exercise_id])
    try:
        signature.bind(*arguments)
    except TypeError:  # a call with too few answers: the page always has every field
        return None
    names = list(signature.parameters)
    inputs = {}
    for name, value in zip(names, arguments):
        if callable(value) or isinstance(value, np.ndarray) and value.ndim > 1:
            continue  # a function (or what a function returned): checked in the notebook
        if isinstance(value, dict):  # one field per key
            for key, part in value.items():
                if key in ("why",):
                    inputs["explanation"] = part if isinstance(part, str) else None
                else:
                    inputs[f"{name}.{key}"] = typed(part)
        elif name == "explanation":
            inputs["explanation"] = value
        else:
            inputs[name] = typed(value)
    return None if None in inputs.values() else inputs


# Through the page ----------------------------------------------------------------------------

@pytest.fixture(scope="module")
def pages(browser, site_url):
    context = browser.new_context(viewport=DESKTOP)
    opened = {level: Visit(context, urljoin(site_url, path)) for level, path in PAGES.items()}
    yield opened
    context.close()


def page_says(visit, exercise_id: str, inputs: dict[str, str]) -> tuple[str, str] | None:
    """Fill the exercise's fields and press Enter: (kind, text) shown. Arguments the page has no
    field for (functions) are the notebook's; None if a field of the page has no input."""
    form = visit.page.locator(f'form.page-check-form[data-exercise="{exercise_id}"]')
    fields = form.locator("[name]")
    names = [fields.nth(i).get_attribute("name") for i in range(fields.count())]
    if set(names) - set(inputs):
        return None
    for name in names:
        form.locator(f'[name="{name}"]').fill(inputs[name])
    form.locator("input").first.press("Enter")
    verdict = visit.page.locator(f'form.page-check-form[data-exercise="{exercise_id}"] + .page-check-verdict')
    return verdict.get_attribute("data-kind"), verdict.inner_text()


# Every case typed into its form and submitted by a script in the page, one round trip per page
# (a Playwright fill and Enter per case took 15 s): what the verdict then shows, or null where the
# form has a field the case does not fill. Typing with the keyboard: the tests below.
SUBMIT_ALL = """(cases) => cases.map(([id, inputs]) => {
    const form = document.querySelector(`form.page-check-form[data-exercise="${id}"]`);
    const fields = [...form.querySelectorAll("[name]")];
    if (fields.some((field) => !(field.name in inputs))) return null;
    for (const field of fields) field.value = inputs[field.name];
    form.requestSubmit();
    const verdict = document.querySelector(`form.page-check-form[data-exercise="${id}"] + .page-check-verdict`);
    return [verdict.dataset.kind, verdict.innerText];
})"""


def test_every_typed_answer_gets_the_notebook_verdict_and_message(pages, monkeypatch):
    compared, differences, skipped, typed_cases = 0, [], [], []
    # Exercises answered with a dictionary: the page has one field per key, none for the whole.
    dictionary_answers = {exercise_id for exercise_id, arguments in corpus_cases()
                          if any(isinstance(argument, dict) for argument in arguments)}
    for exercise_id, arguments in corpus_cases():
        inputs = page_inputs(exercise_id, arguments)
        expected = notebook_says(exercise_id, arguments, monkeypatch)
        # The page has one field per key of a dictionary answer: a dictionary without all of
        # them, or an explanation that is not text, cannot be typed there.
        if inputs is None or "Fill in the dictionary" in expected[1]:
            skipped.append((exercise_id, arguments))
            continue
        typed_cases.append((exercise_id, arguments, inputs, expected))
    for level, visit in pages.items():
        cases = [case for case in typed_cases if case[0][0] == level]
        shown_all = visit.page.evaluate(SUBMIT_ALL, [[exercise_id, inputs] for exercise_id, _, inputs, _ in cases])
        for (exercise_id, arguments, inputs, expected), shown in zip(cases, shown_all):
            if shown is None and exercise_id in dictionary_answers and not any(
                    isinstance(argument, dict) for argument in arguments):
                skipped.append((exercise_id, arguments))  # e.g. None for the whole dictionary
                continue
            assert shown is not None, (exercise_id, inputs)
            if expected[0] == "code":  # the typed part is right; the function runs in the notebook
                expected = ("correct", f"{exercise_id}: {PAGE_TEXT['code']}")
            compared += 1
            if tuple(shown) != expected:
                differences.append(f"{exercise_id} {inputs}: page {tuple(shown)}, notebook {expected}")
    assert not differences, "\n".join(differences)
    assert compared >= 150, compared
    print(f"{compared} typed answers judged identically by page and notebook; "
          f"{len(skipped)} not typeable (dictionaries without a key, non-text explanations)")
    record = SCREENSHOTS / "page_checks.json"
    record.parent.mkdir(parents=True, exist_ok=True)
    record.write_text(json.dumps({"identical": compared, "not_typeable": len(skipped)}))


def test_text_is_read_as_the_notebook_reads_it(pages):
    """The forms named in the page's instructions, and text that is no Python at all."""
    visit = pages["A"]
    reads = {"3,2": "(3, 2)", "(3, 2)": "(3, 2)", "[3, 2]": "[3, 2]", "3 x 2": "(3, 2)",
             " 32.0 ": "32.0", "b": "'b'", "(b)": "'(b)'", "1*4 + 2*5 + 3*6": "32",
             "10_000 * 8 / 1e9": "8e-05", "(4,)": "(4,)", "np.inf": "inf", "'3, 2'": "'3, 2'",
             "3 2": "'3 2'", "((3, 2)": "'((3, 2)'"}
    for text, python in reads.items():
        value = visit.page.evaluate("t => pageChecks.repr(pageChecks.readAnswer(t))", text)
        assert value == python, (text, value)
    assert page_says(visit, "A2", {"answer": "thirty-two"}) == (
        "wrong", "A2: not right yet. Give a number, not the text 'thirty-two': no quotes.")
    assert page_says(visit, "A1", {"answer": ""})[0] == "unanswered"


# Nothing given away ----------------------------------------------------------------------------

DIGEST = re.compile(r"\b[0-9a-f]{16}\b")


def revealed(exercise_id: str, text: str, letters: bool = True) -> list[str]:
    """Right answers of this exercise found in clear in `text` (digests taken out first);
    without `letters`, answers that are one letter (any page's prose has those)."""
    text = DIGEST.sub("", text)
    forms = set(corpus.HIDDEN.get(exercise_id, []))
    for value in corpus.CORRECT.get(exercise_id, []):
        form = typed(value)
        forms |= {form, form.strip("'")} if form else set()
    if exercise_id == "D1":
        forms |= {"80", "80.0", "8e+10", "80000000000"}
    found = []
    for form in {f for f in forms if f and f.strip("'").strip()}:
        if len(re.sub(r"\W", "", form)) > 1:
            pattern = rf"(?<![\w.]){re.escape(form)}(?![\w.])"
        elif letters:  # a letter stored as a value or key of its own, or shown as one
            pattern = rf"""(?<=["'>]){re.escape(form.strip("'"))}(?=["'<])"""
        else:
            continue
        if re.search(pattern, text):
            found.append(form)
    return found


def test_a_right_answer_is_never_in_the_page_or_its_data(browser, site, site_url):
    context = browser.new_context(viewport=DESKTOP)
    for path in PAGES.values():
        visit = Visit(context, urljoin(site_url, path))
        source = (site / path).read_text()
        data = json.loads(visit.page.locator(f"#{DATA_ID}").inner_text())
        for exercise in data["exercises"]:
            exercise_id = exercise["id"]
            shown = visit.page.locator(f'.page-check[data-exercise="{exercise_id}"]')
            for text in [json.dumps(exercise), *(shown.nth(i).inner_html() for i in range(shown.count()))]:
                assert not revealed(exercise_id, text), (exercise_id, revealed(exercise_id, text))
            # The data were checked exercise by exercise above (D2's data lists whole numbers,
            # the sweep's indices, that are no one's answer there); the rest of the page here.
            prose = re.sub(rf'<script type="application/json" id="{DATA_ID}">.*?</script>', "", source,
                           flags=re.S)
            assert not revealed(exercise_id, prose, letters=False), (path, exercise_id)
    context.close()


def test_the_leak_check_finds_an_answer_in_clear():
    assert revealed("A1", '{"hints": {"(3, 2)": "x"}}')
    assert revealed("A2", '{"answer": 32}')
    assert revealed("D1", '{"table": {"80.0": 1}}')
    assert not revealed("A1", '{"expected": "37dd64ff7295a7d6", "message": "Write (3, 4) @ (4, 2)"}')
    assert revealed("A6", '"hints": {"b": 1}') and not revealed("A6", "a b c", letters=False)


# Where learners read: phone, dark theme, keyboard, screen readers ------------------------------

@pytest.mark.parametrize("viewport, theme", [(PHONE, "dark"), (DESKTOP, "light"), (PHONE, "light"),
                                             (DESKTOP, "dark")])
def test_checking_on_a_phone_and_on_the_dark_theme(browser, site_url, viewport, theme):
    context = browser.new_context(viewport=viewport)
    visit = Visit(context, urljoin(site_url, PAGES["A"]))
    page = visit.page
    page.evaluate(f"document.documentElement.dataset.theme = '{theme}'")
    field = page.locator("#page-check-A1-answer")
    field.fill("(3, 2)")
    field.press("Enter")  # the keyboard alone
    verdict = page.locator('form[data-exercise="A1"] + .page-check-verdict')
    assert verdict.get_attribute("aria-live") == "polite"
    assert verdict.inner_text() == "A1: correct."
    wrong = page.locator("#page-check-A2-answer")
    wrong.fill("90")
    wrong.press("Enter")
    assert "multiplied the two sums" in page.locator('form[data-exercise="A2"] + .page-check-verdict').inner_text()
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    findings = axe_findings(page)
    severe = {k: v for k, v in findings["impacts"].items() if k in ("serious", "critical")}
    assert not severe, findings["rules"]
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    for exercise_id, verdict in (("A1", "right"), ("A2", "wrong")):
        page.locator(f'.page-check[data-exercise="{exercise_id}"]').screenshot(
            path=SCREENSHOTS / f"page_check__{viewport['width']}__{theme}__{verdict}.png")
    assert not visit.unexpected_errors(), visit.unexpected_errors()
    context.close()


def test_code_exercises_send_the_reader_to_the_notebook(browser, site_url):
    context = browser.new_context(viewport=DESKTOP)
    page = Visit(context, urljoin(site_url, PAGES["C"])).page
    notes = page.locator(".page-check-note")
    assert notes.count() == 4
    for i in range(notes.count()):
        links = notes.nth(i).locator("a")
        assert links.count() >= 1 and all(links.nth(k).get_attribute("href") != "#"
                                          for k in range(links.count()))
    assert not page.locator("form.page-check-form").count()
    assert page.locator("script[src*='page_checks']").count() == 1
    context.close()


def test_the_script_loads_only_where_there_are_checks(browser, site_url):
    context = browser.new_context(viewport=DESKTOP)
    page = Visit(context, urljoin(site_url, "chapters/dot_product.html")).page
    assert not page.locator("script[src*='page_checks']").count()
    assert not page.locator("link[href*='page_checks']").count()
    context.close()


# Progress, kept in the browser ----------------------------------------------------------------

def test_progress_survives_a_reload_and_shows_on_the_index(browser, site_url):
    context = browser.new_context(viewport=PHONE)
    visit = Visit(context, urljoin(site_url, PAGES["A"]))
    page = visit.page
    count = page.locator("div.page-check-progress .page-check-count")
    assert count.inner_text() == "0 of 6 answered"
    for exercise_id, answer in (("A1", "3 x 2"), ("A4", "(4,)"), ("A6", "(a)")):
        page.locator(f"#page-check-{exercise_id}-answer").fill(answer)
        page.locator(f"#page-check-{exercise_id}-answer").press("Enter")
    assert count.inner_text() == "2 of 6 answered"  # A6 was wrong
    page.reload()
    assert page.locator("div.page-check-progress .page-check-count").inner_text() == "2 of 6 answered"
    page.goto(urljoin(site_url, "exercises/index.html"))
    beside = page.locator("span.page-check-progress .page-check-count")
    assert [beside.nth(i).inner_text() for i in range(beside.count())] == [
        "2 of 6 answered", "0 of 5 answered", "0 of 2 answered"]
    assert page.locator("div.page-check-progress .page-check-count").inner_text() == "2 of 13 answered"
    page.locator(".page-check-reset").click()
    assert beside.first.inner_text() == "0 of 6 answered"
    page.goto(urljoin(site_url, PAGES["A"]))
    assert page.locator("div.page-check-progress .page-check-count").inner_text() == "0 of 6 answered"
    assert not visit.unexpected_errors(), visit.unexpected_errors()
    context.close()


# Practice one click away ----------------------------------------------------------------------

def test_each_chapter_an_exercise_uses_links_to_it_and_back(site):
    mapping = practice_map()
    assert {e["id"] for exercises_ in mapping.values() for e in exercises_} >= {"A1", "B1", "C1", "D1"}
    for label, exercises_ in mapping.items():
        chapter = next(p for p in (site / "chapters").glob("*.html")
                       if f'id="{label}"' in p.read_text())
        text = chapter.read_text()
        practice = text[text.index('<section id="practice">'):]
        practice = practice[:practice.index("</section>")]
        links = re.findall(r'href="\.\./(exercises/level_\w+\.html)#([\w-]+)"', practice)
        assert [exercise["id"] for exercise in exercises_] == [
            re.match(r"[a-d]\d", anchor).group(0).upper() for _, anchor in links], chapter.name
        for page, anchor in links:
            exercise_page = (site / page).read_text()
            assert f'id="{anchor}"' in exercise_page, (chapter.name, anchor)
            section = exercise_page[exercise_page.index(f'id="{anchor}"'):]
            section = section[:section.index("</section>")]
            assert f'href="../chapters/{chapter.name}' in section, (anchor, "no link back")


def test_practice_map_follows_the_exercise_pages(tmp_path):
    (tmp_path / "exercises").mkdir()
    (tmp_path / "exercises" / "level_a.md").write_text(
        "## A1. One\n\nText. (Recap: {ref}`chapter-mse`.)\n\n## A2. Two\n\nNo link.\n\n"
        "## A3. Three\n\n{ref}`the norm <chapter-l2-norm>` and {ref}`chapter-mse`\n")
    assert practice_map(tmp_path) == {
        "chapter-mse": [{"id": "A1", "title": "One", "docname": "exercises/level_a"},
                        {"id": "A3", "title": "Three", "docname": "exercises/level_a"}],
        "chapter-l2-norm": [{"id": "A3", "title": "Three", "docname": "exercises/level_a"}]}


@pytest.mark.parametrize("viewport, theme", [(PHONE, "dark"), (DESKTOP, "light"), (PHONE, "light"),
                                             (DESKTOP, "dark")])
def test_recall_answers_open_after_the_reader_has_tried(browser, site_url, viewport, theme):
    context = browser.new_context(viewport=viewport)
    visit = Visit(context, urljoin(site_url, CLOSING))
    page = visit.page
    page.evaluate(f"document.documentElement.dataset.theme = '{theme}'")
    forms = page.locator("form.recall-try")
    assert forms.count() == 5 == len(recall.CHECKS)
    first = forms.first
    answer = page.locator("form.recall-try + details").first
    first.locator("button").click()
    assert first.locator(".recall-note").inner_text() == PAGE_TEXT["recall_empty"]
    assert not answer.evaluate("d => d.open")
    first.locator("textarea").fill("total += a[i] * b[i], then a @ b")
    first.locator("textarea").press("Control+Enter")  # prose alone: the answer opens, no verdict
    assert answer.evaluate("d => d.open") and "tick off" in first.locator(".recall-note").inner_text()
    assert not first.locator(".page-check-verdict").inner_text()
    # Q2 typed right, Q5 typed wrong, with the keyboard alone; each answer opens after the try.
    shots = {"right": ("Q2", {"answer": "3 x 2"}, "Q2: correct."),
             "wrong": ("Q5", {"answer": "(N,)"}, "Q5: not right yet. (N,) is the shape of y - yhat")}
    for verdict_kind, (question, inputs, said) in shots.items():
        form = page.locator(f'form.recall-try[data-exercise="{question}"]')
        opened = page.locator(f'form.recall-try[data-exercise="{question}"] + details')
        assert not opened.evaluate("d => d.open")
        kind, text = recall_says(page, question, inputs)
        assert text.startswith(said) and kind == ("correct" if verdict_kind == "right" else "wrong")
        assert form.locator(".page-check-verdict").get_attribute("aria-live") == "polite"
        assert opened.evaluate("d => d.open")
        opened.evaluate("d => { d.open = false; }")  # the form alone in the shot
        form.screenshot(path=SCREENSHOTS / f"recall_check__{viewport['width']}__{theme}__{verdict_kind}.png")
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    findings = axe_findings(page)
    assert not {k for k in findings["impacts"] if k in ("serious", "critical")}, findings["rules"]
    assert not visit.unexpected_errors(), visit.unexpected_errors()
    context.close()


def test_number_line_finds_each_change_at_the_exact_double():
    def outcome(x):
        return (("wrong", "below") if x < 3e-7 else ("correct", "") if x <= 1e-4 else
                ("wrong", "above"))
    line = number_line(outcome)
    assert [(i["kind"], i["message"]) for i in line] == [
        ("wrong", "below"), ("correct", ""), ("wrong", "above")]
    assert line[1]["low"] == 3e-7 and line[1]["high"] == 1e-4
    assert line[0]["high"] == math.nextafter(3e-7, 0) and line[2]["low"] == math.nextafter(1e-4, 1)


# Active recall: the typed parts of the closing chapter's questions -----------------------------

# Right answers written differently, as a notebook gets them (a page field gets the same text).
RECALL_CORRECT = {
    "Q1": [(), [], np.shape(np.ones(5) @ np.ones(5))],
    "Q2": [(3, 2), [3, 2], np.array([3, 2]), (np.int64(3), 2)],
    "Q3": [{"X": "(N, D)", "W": "(H, D)", "b": "(H,)", "output": "(N, H)"},
           {"X": "N x D", "W": "H*D", "b": "H", "output": "n by h"},
           {"X": ("N", "D"), "W": ["H", "D"], "b": "(1, H)", "output": "[N, H]"}],
    "Q4": [{"axis": 0, "shape": "(D,)"}, {"axis": -2, "shape": "D"}, {"axis": 0.0, "shape": ("D",)}],
    "Q5": ["(N, N)", "N x N", "N*N", "n by n", ("N", "N"), "[N,N]", "N×N"],
}
RIGHT_Q3 = RECALL_CORRECT["Q3"][0]
# Each known mistake, and the words of the message that names it.
RECALL_WRONG = {
    "Q1": [((1,), r"\(1,\) is a 1-D array"), ((5,), "how many axes are left")],
    "Q2": [((2, 3), "wrong order"), ((3, 4), "A's own shape"), ((4, 2), "B's own shape"),
           ((4, 4), "kept the inner"), ((3, 4, 2), "shared 4 is summed away"),
           ((3, 3), "meet in the middle")],
    "Q3": [({**RIGHT_Q3, "b": "(H, 1)"}, r"b: a \(H, 1\) bias lines its H up with the batch"),
           ({**RIGHT_Q3, "b": "(N, H)"}, "no batch axis"),
           ({**RIGHT_Q3, "W": "(D, H)"}, "W: that is W.T"),
           ({**RIGHT_Q3, "X": "(D, N)"}, "X: rows are examples"),
           ({**RIGHT_Q3, "output": "(H, N)"}, r"orientation of W @ X.T"),
           ({**RIGHT_Q3, "output": "(H, H)"}, "batch of one")],
    "Q4": [({"axis": 1, "shape": "(D,)"}, "axis: axis=1 gives one statistic per example"),
           ({"axis": -1, "shape": "(D,)"}, "axis=-1 is the last axis"),
           ({"axis": 0, "shape": "(N,)"}, "what axis=1 gives"),
           ({"axis": 0, "shape": "(1, D)"}, "keepdims=True"),
           ({"axis": 0, "shape": "(N, D)"}, "removes the axis it reduces over")],
    "Q5": [("(N,)", r"\(N,\) is the shape of y - yhat"), ("(N, 1)", r"y\[:, None\] alone"),
           ("(1, N)", r"yhat\[None, :\] alone"), ("(N, N, N)", "Not the shape of the difference")],
}
# Text that cannot be read as the field's kind: the reader's format message, no verdict.
RECALL_UNREADABLE = [("Q1", "scalar", "not the text 'scalar'"), ("Q2", 6, "6 is a bare number"),
                     ("Q5", "N~N", "Could not read 'N~N' as a shape"),
                     ("Q4", {"axis": "axis=0", "shape": "(D,)"}, "Give a number, not the text"),
                     ("Q3", {**RIGHT_Q3, "W": "H D ?"}, "Could not read 'H D ?'")]


def recall_cases() -> list[tuple[str, tuple]]:
    return ([(q, (v,)) for q, values in RECALL_CORRECT.items() for v in values]
            + [(q, (v,)) for q, pairs in RECALL_WRONG.items() for v, _ in pairs]
            + [(q, (v,)) for q, v, _ in RECALL_UNREADABLE])


def test_recall_checks_pass_right_answers_and_name_each_mistake(monkeypatch):
    for question, values in RECALL_CORRECT.items():
        for value in values:
            assert notebook_says(question, (value,), monkeypatch) == ("correct", f"{question}: correct.")
    messages = {}
    for question, pairs in RECALL_WRONG.items():
        for value, words in pairs:
            kind, text = notebook_says(question, (value,), monkeypatch)
            assert kind == "wrong" and re.search(words, text), (question, value, text)
            messages[(question, words)] = text
    for (question, words), text in messages.items():  # each message names its own mistake only
        assert [w for q, w in messages if q == question and re.search(w, text)] == [words], text
    for question, value, words in RECALL_UNREADABLE:
        kind, text = notebook_says(question, (value,), monkeypatch)
        assert kind == "wrong" and words in text, (question, value, text)


def recall_inputs(question: str, arguments: tuple) -> dict[str, str]:
    """The recall form's fields as a reader fills them: text as typed (unquoted, "N x N"),
    other values in their Python form."""
    def text(value):
        return value if isinstance(value, str) else typed(value)
    (answer,) = arguments
    if isinstance(answer, dict):
        return {f"answer.{key}": text(value) for key, value in answer.items()}
    return {"answer": text(answer)}


def recall_says(page, question: str, inputs: dict[str, str]) -> tuple[str, str]:
    form = page.locator(f'form.recall-try[data-exercise="{question}"]')
    for name, value in inputs.items():
        form.locator(f'input[name="{name}"]').fill(value)
    form.locator("input").first.press("Enter")
    verdict = form.locator(".page-check-verdict")
    return verdict.get_attribute("data-kind"), verdict.inner_text()


def test_recall_typed_answers_get_the_notebook_verdict_and_message(browser, site_url, monkeypatch):
    context = browser.new_context(viewport=DESKTOP)
    visit = Visit(context, urljoin(site_url, CLOSING))
    # The shape readers' page-only forms: "3,2" and "3 x 2" are read as the tuple (3, 2).
    typed_forms = [("Q2", (3, 2), {"answer": text}) for text in ("3,2", "3 x 2", "3×2", " (3, 2) ")]
    cases = [(q, a, recall_inputs(q, a)) for q, a in recall_cases()]
    differences = []
    for question, arguments, inputs in cases + [(q, (v,), i) for q, v, i in typed_forms]:
        expected = notebook_says(question, arguments, monkeypatch)
        shown = recall_says(visit.page, question, inputs)
        if shown != expected:
            differences.append(f"{question} {inputs}: page {shown}, notebook {expected}")
    assert not differences, "\n".join(differences)
    compared = len(cases) + len(typed_forms)
    print(f"{compared} recall answers judged identically by page and notebook")
    assert not visit.unexpected_errors(), visit.unexpected_errors()
    context.close()


# The recall questions' right answers, as a page could give them away. Not X's (N, D): question
# 4 states it (and the readers' format messages use it as their example).
RECALL_FORMS = {"Q1": ["()"], "Q2": ["(3, 2)", "3, 2", "3 x 2"],
                "Q3": ["(H, D)", "(H,)", "(1, H)", "(N, H)"],
                "Q4": ["axis=0", "axis = 0", "(D,)"], "Q5": ["(N, N)", "N x N"]}


def recall_revealed(text: str) -> list[str]:
    text = DIGEST.sub("", text)
    found = []
    for form in (f for forms in RECALL_FORMS.values() for f in forms):
        spaced = re.escape(form).replace("\\ ", r"\s*")  # "(3,2)" as well as "(3, 2)"
        pattern = (r"""(?<=["'>])\(\)(?=["'<])""" if form == "()" else
                   rf"(?<![\w.]){spaced}(?![\w.])")
        if re.search(pattern, text):
            found.append(form)
    return found


def test_the_recall_leak_check_finds_an_answer_in_clear():
    assert recall_revealed('{"hints": {"(N, N)": "x"}}') == ["(N, N)"]
    assert recall_revealed('<span class="pre">()</span>') == ["()"]
    assert recall_revealed("axis = 0") and recall_revealed("(3,2)")
    assert not recall_revealed('{"expected": "36ffa889a1228c9e", "m": "(N,) is (N, 1) and (1, N)"}')


def test_the_recall_answers_are_not_in_the_closing_page_before_it_is_opened(browser, site, site_url):
    """Neither the page's data nor the recall section outside what the reader opens (each
    answer's dropdown, the hidden check cell) holds a right answer in clear."""
    context = browser.new_context(viewport=DESKTOP)
    page = Visit(context, urljoin(site_url, CLOSING)).page
    data = page.locator(f"#{DATA_ID}").inner_text()
    assert {e["id"] for e in json.loads(data)["exercises"]} == set(recall.CHECKS)
    assert not recall_revealed(data), recall_revealed(data)
    source = (site / CLOSING).read_text()
    section = source[source.index('<section id="active-recall">'):]
    section = section[:section.index("</section>")]
    outside = re.sub(r'<script type="application/json".*?</script>', "", section, flags=re.S)
    opened = re.findall(r"<details\b.*?</details>", outside, flags=re.S)
    assert len(opened) == len(recall.CHECKS) + 1  # the answers and the hidden check cell
    for part in opened:
        outside = outside.replace(part, "")
    assert not recall_revealed(outside), recall_revealed(outside)
    assert recall_revealed("".join(opened))  # the answers are there, for after an attempt
    context.close()
