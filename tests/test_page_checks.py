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
from course_tools import exercises
from course_tools.feedback import WrongAnswer, run_check

# The browser test's fixtures: its Chromium, and the built site served on 127.0.0.1.
browser, site, site_url = test_browser.browser, test_browser.site, test_browser.site_url
PAGES = {"A": "exercises/level_a.html", "B": "exercises/level_b.html",
         "C": "exercises/level_c.html", "D": "exercises/level_d.html"}


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
            run_check(exercise_id, lambda: exercises.CHECKS[exercise_id](*arguments))
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
    signature = inspect.signature(exercises.CHECKS[exercise_id])
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


def test_every_typed_answer_gets_the_notebook_verdict_and_message(pages, monkeypatch):
    compared, differences, skipped = 0, [], []
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
        shown = page_says(pages[exercise_id[0]], exercise_id, inputs)
        if shown is None and exercise_id in dictionary_answers and not any(
                isinstance(argument, dict) for argument in arguments):
            skipped.append((exercise_id, arguments))  # e.g. None for the whole dictionary
            continue
        assert shown is not None, (exercise_id, inputs)
        if expected[0] == "code":  # the typed part is right; the function runs in the notebook
            expected = ("correct", f"{exercise_id}: {PAGE_TEXT['code']}")
        compared += 1
        if shown != expected:
            differences.append(f"{exercise_id} {inputs}: page {shown}, notebook {expected}")
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


def test_recall_answers_open_after_the_reader_has_tried(browser, site_url):
    context = browser.new_context(viewport=PHONE)
    visit = Visit(context, urljoin(site_url, "chapters/closing.html"))
    page = visit.page
    forms = page.locator("form.recall-try")
    assert forms.count() == 5
    first = forms.first
    answer = page.locator("form.recall-try + details").first
    first.locator("button").click()
    assert "Write your answer first" in first.locator(".recall-note").inner_text()
    assert not answer.evaluate("d => d.open")
    first.locator("textarea").fill("a @ b, a scalar of shape ()")
    first.locator("textarea").press("Control+Enter")
    assert answer.evaluate("d => d.open") and "tick off" in first.locator(".recall-note").inner_text()
    findings = axe_findings(page)
    assert not {k for k in findings["impacts"] if k in ("serious", "critical")}, findings["rules"]
    first.screenshot(path=SCREENSHOTS / "recall_try__390.png")
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
