"""What the exercise pages need to judge a typed answer in the browser, taken from the checks.

Nothing here is written twice: every message, digest and threshold comes from running the
notebook's own check functions (``course_tools.exercises.CHECKS``, and for the closing chapter's
recall questions ``course_tools.recall.CHECKS``) and the readers of ``course_tools.answers``, so
a change to a check changes the page at the next build.

- **Fields**: a check is run on placeholders with its readers (``as_shape``, ``as_number``,
  ``as_choice``, ``as_symbolic_shape``, ``as_dictionary``, ``as_function``, ``written``) and its
  comparisons (``verdict``, ``number_verdict``) replaced by recorders: the typed fields it reads,
  in order, each with its reader and its table of digests (the right answer's and the known
  mistakes', with their messages), and where it reaches a function (code, checked in the
  notebook) or an explanation (prose, the learner's to judge).
- **Rules beyond the table** (a step size judged by range, a bias shape accepted in two forms,
  a list typed where a number belongs): the real check is run on probes, with the table
  replaced by a marker, and what it says is recorded, again keyed by digests only. Number
  fields: the float line is sampled and every change of verdict is bisected to the exact double
  where it happens.
- **Format messages**: each reader is run on marker values of every kind the page can read; the
  marker in the message becomes a placeholder the page fills in from the learner's input.

The page (``_static/page_checks.js``) reads text into a Python-like value, normalizes it as the
reader does, and looks its digest up. ``tests/test_page_checks.py`` runs the exercises' test
corpus through both and compares verdict and message.
"""
from __future__ import annotations

import contextlib
import functools
import inspect
import io
import itertools
import math
import re
import struct
from collections import Counter

import numpy as np

from course_tools import answers, exercises, feedback, recall
from course_tools.answers import SALT, digest
from course_tools.feedback import NotAnswered, WrongAnswer, describe, run_check

# A note for an answer graded only in part (the explanation is the learner's), where the
# course has one: the notebook frames it differently from "correct".
PARTLY = getattr(feedback, "PartlyChecked", None)
READERS = {"as_shape": "shape", "as_number": "number", "as_choice": "choice",
           "as_symbolic_shape": "symbols"}
COMPARISONS = ("verdict", "number_verdict")
NOT_ANSWERED_NOTE = "Fill in the cell above and run it."
# The modules whose checks the pages judge, each with its registry CHECKS.
CHECK_MODULES = (exercises, recall)


def _checks(exercise_id: str):
    """The module holding this ID's check (its names are what the probes replace)."""
    return next(module for module in CHECK_MODULES if exercise_id in module.CHECKS)


class Reached(Exception):
    """The check got to its table of digests: the page looks the answer up there."""


class Stop(Exception):
    """The check got to a function or some other part the page does not judge."""


class Placeholder:
    """An answer the check has not read yet; ``path`` names it ("answer", or "answer.shape")."""

    def __init__(self, path: tuple[str, ...]):
        self.path = path


class Key(str):
    """A normalized placeholder: equal to anything, so a rule on it lets the probe go on."""

    path: tuple[str, ...] = ()

    def __eq__(self, other):
        return True

    __hash__ = str.__hash__


class KeyNumber(float):
    """A number placeholder: every comparison with it is False, so a range rule on it lets the
    probe go on."""

    path: tuple[str, ...] = ()

    def _false(self, other):
        return False

    __eq__ = __lt__ = __le__ = __gt__ = __ge__ = _false
    __hash__ = float.__hash__


def _key(path, number=False):
    key = KeyNumber(1.0) if number else Key("?")
    key.path = path
    return key


@contextlib.contextmanager
def _patched(module, replacements: dict):
    saved = {name: getattr(module, name) for name in replacements if hasattr(module, name)}
    try:
        for name in saved:
            setattr(module, name, replacements[name])
        yield
    finally:
        for name, value in saved.items():
            setattr(module, name, value)


def _structure(exercise_id: str) -> list[dict]:
    """The parts the check reads, in order: typed fields (with their digest tables), then the
    first function or explanation, where the page stops judging."""
    parts: list[dict] = []

    def reader(name):
        def read(value, *rest):
            if isinstance(value, Placeholder):
                parts.append({"path": value.path, "reader": READERS[name]})
                return _key(value.path, number=READERS[name] == "number")
            return getattr(answers, name)(value, *rest)
        return read

    def dictionary(value, keys):
        return {key: Placeholder((*value.path, key)) for key in keys}

    def function(value, name):
        parts.append({"path": value.path, "reader": "code"})
        raise Stop

    def prose(text, *rest):
        parts.append({"path": text.path, "reader": "prose"})
        return ""

    def comparison(name):
        def compare(part_id, normalized, expected, hints, fallback):
            field = next(p for p in parts if p["path"] == normalized.path)
            field.update(part=part_id, comparison=name, expected=expected, hints=dict(hints),
                         fallback=fallback)
        return compare

    def read_and_compare(part_id, value, expected, hints, fallback):  # reads a shape and compares
        normalized = reader("as_shape")(value)
        comparison("verdict")(part_id, normalized, expected, hints, fallback)

    replacements = {name: reader(name) for name in READERS}
    replacements.update(as_dictionary=dictionary, as_function=function, written=prose,
                        shape_verdict=read_and_compare,
                        **{name: comparison(name) for name in COMPARISONS})
    module = _checks(exercise_id)
    check = module.CHECKS[exercise_id]
    arguments = [Placeholder((name,)) for name in _parameters(check)]
    with _patched(module, replacements), contextlib.suppress(Stop, WrongAnswer):
        check(*arguments)  # a rule the placeholders cannot pass ends what the page judges
    return parts


def typed_fields(exercise_id: str) -> tuple[list[dict], str | None]:
    """The typed fields the page can judge (those before any function), and what follows them:
    "code", "prose" or None."""
    fields = []
    for part in _structure(exercise_id):
        if part["reader"] in ("code", "prose"):
            return fields, part["reader"]
        fields.append(part)
    return fields, None


def _run(check, arguments) -> tuple[str, str]:
    """("correct" | "wrong" | "unanswered" | "reached", message) of one call of a check."""
    try:
        with np.errstate(all="ignore"):
            message = check(*arguments)
    except Reached:
        return "reached", ""
    except NotAnswered as unanswered:
        return "unanswered", unanswered.args[0] if unanswered.args else NOT_ANSWERED_NOTE
    except NotImplementedError:
        return "unanswered", NOT_ANSWERED_NOTE
    except WrongAnswer as error:
        return "wrong", str(error)
    if PARTLY is not None and isinstance(message, PARTLY):  # an explanation left to the learner
        return "partly", str(message)
    return "correct", message or ""


@functools.cache
def _parameters(function) -> tuple[str, ...]:
    """A function's parameter names (inspect.signature is slow, and a number field's probes ask
    it tens of thousands of times for the same few checks)."""
    return tuple(inspect.signature(function).parameters)


def _read(name: str, answer, part_id: str = "", expected: str = ""):
    """A reader of course_tools.answers; those that take the exercise and its expected digest
    (to word a message for the answer written another way) get them."""
    reader = getattr(answers, name)
    if "expected" in _parameters(reader):
        return reader(answer, part_id, expected)
    return reader(answer)


def _probe(exercise_id: str, target: tuple[str, ...], value, prose: str | None = None):
    """The check's outcome when the field at `target` holds `value` and every other typed
    field is accepted (its reader and table replaced). A table reached on `value` raises
    Reached; a function, or an explanation when `prose` is None, ends the probe as correct."""
    module = _checks(exercise_id)
    check = module.CHECKS[exercise_id]

    def reader(name):
        def read(answer, *rest):
            if isinstance(answer, Placeholder):
                return _key(answer.path, number=READERS[name] == "number")
            return getattr(answers, name)(answer, *rest)
        return read

    def dictionary(answer, keys):
        if not isinstance(answer, Placeholder):
            return answers.as_dictionary(answer, keys)
        return {key: value if (*answer.path, key) == target else Placeholder((*answer.path, key))
                for key in keys}

    def compare(part_id, normalized, *rest):
        if not isinstance(normalized, (Key, KeyNumber)):
            raise Reached

    def stop(*args):
        raise Stop

    def written(text, *rest):
        if prose is None:
            raise Stop
        return answers.written(prose, *rest)

    arguments = [value if (name,) == target else Placeholder((name,)) for name in _parameters(check)]
    def read_and_compare(part_id, answer, expected, *rest):
        if isinstance(answer, Placeholder):
            return
        _read("as_shape", answer, part_id, expected)
        raise Reached

    replacements = {name: reader(name) for name in READERS}
    replacements.update(as_dictionary=dictionary, as_function=stop, written=written,
                        verdict=compare, number_verdict=compare, shape_verdict=read_and_compare)
    with _patched(module, replacements):
        try:
            return _run(check, arguments)
        except Stop:
            return "correct", ""


def _prober(exercise_id: str, fields: list[dict], index: int):
    target = fields[index]["path"]
    return lambda value: _probe(exercise_id, target, value)


def _bits(x: float) -> int:
    return struct.unpack("<q", struct.pack("<d", x))[0]


def _from_bits(b: int) -> float:
    return struct.unpack("<d", struct.pack("<q", b))[0]


def _ordered(x: float) -> int:
    """An integer that orders doubles as the reals do (negative ones mirrored)."""
    b = _bits(x)
    return b if b >= 0 else -(b & 0x7FFFFFFFFFFFFFFF)


def _unordered(i: int) -> float:
    return _from_bits(i) if i >= 0 else _from_bits(-i | -0x8000000000000000)


def _change(outcome, value, start: float, end: float) -> tuple[float, float]:
    """Where the outcome stops being `value` between start (which has it) and end (which does
    not): the last double with it and the first after, by bisection on the doubles' order."""
    a, b = _ordered(start), _ordered(end)
    while b - a > 1:
        middle = (a + b) // 2
        if outcome(_unordered(middle)) == value:
            a = middle
        else:
            b = middle
    return _unordered(a), _unordered(b)


# Values a check singles out in windows too narrow for sampling to find: D2 recognises each error
# of its sweep (within a relative 1e-6) typed where a step is asked for. Each is probed with a
# point just outside its window on either side, so that two neighbouring windows are never taken
# for one interval.
NUMBER_PROBES = {"D2": lambda: [float(e) * factor for e in exercises._d2_sweep()[1]
                                for factor in (1 - 3e-6, 1.0, 1 + 3e-6)]}


def number_line(outcome, probes=()) -> list[dict]:
    """The outcome of a number field over every finite double, as intervals [low, high] with
    what the check does there (a message, correct, or 'look it up in the table'). The line is
    sampled at four points a decade and at ``probes``; each change is bisected to the exact double."""
    magnitudes = [10.0 ** (e / 4) for e in range(-1240, 1233)]
    # One zero: the doubles' order (_ordered) puts -0.0 and 0.0 at the same place. Whole
    # numbers up to 1000 too: a rule may single out an index or a count a learner types.
    samples = sorted({*(-m for m in magnitudes), 0.0, *magnitudes, *map(float, range(-1000, 1001)),
                      *probes, -1.7976931348623157e308, 1.7976931348623157e308})
    intervals = []
    low = previous_x = samples[0]
    previous = outcome(low)
    for x in samples[1:]:
        current, start = outcome(x), previous_x
        while previous != current:  # every change between two samples, one by one
            high, after = _change(outcome, previous, start, x)
            intervals.append({"low": low, "high": high, "kind": previous[0], "message": previous[1]})
            low = start = after
            previous = current if after == x else outcome(after)
        previous_x = x
    intervals.append({"low": low, "high": samples[-1], "kind": previous[0], "message": previous[1]})
    return intervals


def _symbols_in(text: str) -> list[str]:
    return sorted(set(re.findall(r"\b([A-Z])\b", text)))


def enumerated(exercise_id: str, outcome, reader: str, prompt: str) -> tuple[dict, dict]:
    """A field the check judges without a digest table: its outcome on every plausible key (the
    question's symbols and sizes, up to three axes), as digests, and the most common outcome."""
    if reader == "symbols":
        alphabet = [*_symbols_in(prompt), "1"]
        values = ["(" + ", ".join(k) + ("," if len(k) == 1 else "") + ")"
                  for n in (1, 2, 3) for k in itertools.product(alphabet, repeat=n)]
        normalize = answers.as_symbolic_shape
    elif reader == "choice":
        values, normalize = list("abcdefgh"), answers.as_choice
    else:
        sizes = sorted({1, *map(int, re.findall(r"\b\d+\b", prompt))})[:12]
        values = [k for n in (1, 2, 3) for k in itertools.product(sizes, repeat=n)]
        normalize = answers.as_shape
    results = {digest(exercise_id, normalize(v)): outcome(v) for v in values}
    common = Counter(results.values()).most_common(1)[0][0]
    table = {d: {"kind": kind, "message": message} for d, (kind, message) in results.items()
             if (kind, message) != common}
    return table, {"kind": common[0], "message": common[1]}


def list_rules(exercise_id: str, outcome, prompt: str) -> dict:
    """A list typed into a number field: the check's word on lists built from the question's
    arrays (each one, and each element-wise sum, difference and product of two), by digest of
    the list's entries to 6 significant digits, where it differs from the reader's format
    message."""
    arrays = [np.array([float(x) for x in found.split(",")])
              for found in re.findall(r"np\.array\(\[([-\d.,\s]+)\]\)", prompt)]
    candidates = [*arrays]
    for a, b in itertools.permutations(arrays, 2):
        if a.shape == b.shape:
            candidates += [a + b, a - b, a * b]
    rules = {}
    generic = outcome([0.125, -0.5])[1].replace("[0.125, -0.5]", "")
    for candidate in candidates:
        values = candidate.tolist()
        kind, message = outcome(values)
        if message.replace(repr(values), "") != generic:
            rules[digest(exercise_id, "list:" + ",".join(f"{v:.6g}" for v in values))] = {
                "kind": kind, "message": message}
    return rules


def _template(message: str, value) -> str:
    """The message with the marker value's descriptions replaced by placeholders."""
    for placeholder, text in (("{describe}", describe(value)), ("{repr}", repr(value)),
                              ("{str}", str(value))):
        message = message.replace(text, placeholder)
    return message


def _reader_message(name, value, part_id="", expected="") -> str | None:
    try:
        _read(name, value, part_id, expected)
    except WrongAnswer as error:
        return str(error)
    except NotAnswered:
        return None
    return None


def format_messages() -> dict:
    """Each reader's message for each kind of value the page reads, with placeholders."""
    cases = {
        "shape": {"int": 987654321, "str": "zq~xj", "float": 98765.4321, "item": (9, "zq~xj"),
                  "whole": (9.5, 2)},
        "number": {"str": "zq~xj", "tuple": (9, "zq~xj"), "list": [9, "zq~xj"],
                   "bool": True, "nan": math.nan, "inf": math.inf, "-inf": -math.inf},
        "choice": {"str": "zq~xj", "int": 987654321, "float": 98765.4321, "tuple": (9, "zq~xj"),
                   "list": [9, "zq~xj"]},
        "symbols": {"int": 987654321, "float": 98765.4321, "tuple": (9.5, "zq~xj"), "list": [9.5, "zq~xj"],
                    "unreadable": "zq~xj"},
    }
    names = {reader: name for name, reader in READERS.items()}
    messages = {}
    for reader, values in cases.items():
        for kind, value in {**values, "none": None}.items():
            message = _reader_message(names[reader], value)
            if message is not None:
                messages[f"{reader}:{kind}"] = _template(message, value)
    # A bare number where the answer is a one-axis shape of that size may be worded apart.
    marker = cases["shape"]["int"]
    answer_like = _reader_message("as_shape", marker, "Z9", digest("Z9", str(marker)))
    if answer_like is not None and answer_like != _reader_message("as_shape", marker):
        messages["shape:int-answer"] = _template(answer_like, marker)
    return messages


def prompt_of(exercise_id: str, page_text: str) -> str:
    """The question's text on its page: from its heading to the next."""
    match = re.search(rf"^## {exercise_id}\..*?(?=^## |\Z)", page_text, re.M | re.S)
    return match.group(0) if match else ""


def page_check(exercise_id: str, page_text: str) -> dict | None:
    """Everything the page needs to judge this exercise's typed fields, or None if it has none."""
    fields, after = typed_fields(exercise_id)
    if not fields:
        return {"id": exercise_id, "fields": [], "after": after}
    prompt = prompt_of(exercise_id, page_text)
    spec_fields = []
    for index, field in enumerate(fields):
        outcome = _prober(exercise_id, fields, index)
        spec = {"name": ".".join(field["path"]), "label": field["path"][-1],
                "reader": field["reader"], "part": exercise_id}
        if "comparison" in field:  # the check's own table
            spec.update(part=field["part"], expected=field["expected"], hints=field["hints"],
                        fallback=field["fallback"])
        elif field["reader"] != "number":  # judged by rules: their outcome on every plausible key
            spec["table"], spec["otherwise"] = enumerated(spec["part"], outcome, field["reader"],
                                                          prompt)
        if field["reader"] == "number":
            spec["line"] = number_line(outcome, NUMBER_PROBES.get(exercise_id, list)())
            spec["lists"] = list_rules(spec["part"], outcome, prompt)
        spec_fields.append(spec)
    return {"id": exercise_id, "fields": spec_fields, "after": after,
            "done": _when_right(exercise_id, fields, after)}


def _when_right(exercise_id, fields, after) -> dict:
    """What the check says once every typed field is right, for an explanation of each length
    (prose); nothing when a function follows (checked in the notebook)."""
    if after != "prose":
        return {}
    messages = {words: _probe(exercise_id, ("",), None, " ".join(["word"] * words))
                for words in range(60)}
    last = messages[59]
    table = {w: {"kind": k, "message": m} for w, (k, m) in messages.items() if (k, m) != last}
    return {"words": table, "otherwise": {"kind": last[0], "message": last[1]}}


def headers() -> dict:
    """How the notebook frames a verdict (feedback.run_check), with {id} and {message}."""
    def printed(check) -> str:
        output = io.StringIO()
        with contextlib.redirect_stdout(output):
            run_check("{id}", check)
        return output.getvalue().strip()

    def unanswered():
        raise NotAnswered("{message}")

    error = WrongAnswer("{message}")
    error.exercise_id = "{id}"
    framed = {"wrong": re.sub(r"\x1b\[[0-9;]*m", "", " ".join(error.marked("{message}"))),
              "correct": printed(lambda: "{message}"), "unanswered": printed(unanswered)}
    if PARTLY is not None:
        framed["partly"] = printed(lambda: PARTLY("{message}"))

    def untouched():
        raise NotAnswered
    framed["unanswered_note"] = printed(untouched).removeprefix(
        framed["unanswered"].replace("{message}", "").strip()).strip()
    return framed


def page_data(exercise_ids: list[str], page_text: str) -> dict:
    return {"salt": SALT, "headers": headers(), "formats": format_messages(),
            "exercises": [page_check(i, page_text) for i in exercise_ids]}
