"""What the course's notebooks import, and nothing else (it ships to learners: Binder, the
notebook archive, JupyterLite, Colab).

Chapters import :func:`course_tools.timing.compare` (the one timing method), write sentences
about measured numbers with :func:`course_tools.claims.say` and assert them with
:func:`~course_tools.claims.claim`, read :mod:`course_tools.benchmark_results` and show results
with :func:`course_tools.tables.table`; tests and benchmarks use
:mod:`course_tools.notebooks` to load a chapter's own functions from its MyST notebook, so the
code a reader sees is the code tested; exercises use :mod:`course_tools.exercises`
(``check``), built on :mod:`~course_tools.answers`, :mod:`~course_tools.hidden_cases` and
:mod:`~course_tools.feedback`. The book build lives in ``book_build/``.
"""
from pathlib import Path

# The one definition of the repository root (in course-notebooks.zip: the unzipped folder). No
# imports above it, so tasks.py can use it before any dependency is installed.
REPO_ROOT = Path(__file__).resolve().parent.parent
