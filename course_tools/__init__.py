"""Shared helpers for the course notebooks, tests and benchmarks.

Kept deliberately small: chapters import only :func:`course_tools.timing.compare`;
tests and benchmarks use :mod:`course_tools.notebooks` to load a chapter's own
functions from its MyST notebook, so the code a reader sees is the code tested.
"""
