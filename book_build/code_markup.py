"""Code blocks without markup that changes nothing on screen.

Pygments wraps every token in a ``<span>``, including names, punctuation and spaces, which the
site's highlighting styles draw exactly like plain code text. On a chapter page those spans are
about half of all elements (central difference: 1,365 of 4,503), and every element costs style
and layout time on a phone. This filter turns such tokens into plain text, so the HTML formatter
merges them into the text around them; tokens drawn differently keep their span.

Which tokens are plain is read from the light and dark styles the theme uses, so a change of
style cannot make a coloured token lose its colour.
"""
from __future__ import annotations

from pygments.filter import Filter
from pygments.styles import get_style_by_name
from pygments.token import STANDARD_TYPES, Text, Token


def drawn_as_plain(style_names: list[str]) -> frozenset:
    """Token types that each style draws exactly as its plain text (same colour, no weight,
    slant, underline, background or border)."""
    plain = set(STANDARD_TYPES)
    for name in style_names:
        style = get_style_by_name(name)
        base = style.style_for_token(Text)
        plain &= {t for t in STANDARD_TYPES if style.style_for_token(t) == base}
    return frozenset(plain - {Token, Text})


class PlainTokens(Filter):
    def __init__(self, plain: frozenset, **options):
        super().__init__(**options)
        self.plain = plain

    def filter(self, lexer, stream):
        for ttype, value in stream:
            yield (Text if ttype in self.plain else ttype), value


def theme_styles(app) -> list[str]:
    options = app.builder.theme.get_options(app.builder.theme_options or {})
    return [options["pygments_light_style"], options["pygments_dark_style"]]


def add_filter(app) -> None:
    highlighter = getattr(app.builder, "highlighter", None)
    if highlighter is None or getattr(app.builder, "theme", None) is None:
        return
    plain = drawn_as_plain(theme_styles(app))
    get_lexer = highlighter.get_lexer

    def get_plain_lexer(*args, **kwargs):
        lexer = get_lexer(*args, **kwargs)  # lexers are cached: add the filter once
        if not any(isinstance(f, PlainTokens) for f in lexer.filters):
            lexer.add_filter(PlainTokens(plain))
        return lexer

    highlighter.get_lexer = get_plain_lexer


def setup(app):
    app.connect("builder-inited", add_filter)
    # env_version: pages rendered before this filter existed are rendered again.
    return {"parallel_read_safe": True, "parallel_write_safe": True, "env_version": 1}
