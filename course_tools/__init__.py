"""Shared helpers for the course notebooks, tests and benchmarks.

Chapters import :func:`course_tools.timing.compare`; tests and benchmarks use
:mod:`course_tools.notebooks` to load a chapter's own functions from its MyST notebook, so the
code a reader sees is the code tested; exercises use :mod:`course_tools.exercises`
(``check``), built on :mod:`~course_tools.answers`, :mod:`~course_tools.hidden_cases` and
:mod:`~course_tools.feedback`.
"""

# The public repository: launch links, the Colab install cell and downloads of benchmark results.
# Must match repository.url in _config.yml (tests/test_reader_paths.py checks it).
REPOSITORY = "https://github.com/implementing-mathematics-with-numpy/course"
