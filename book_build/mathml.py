"""Math rendered when the book is built, as MathML: no script on the page, nothing typeset or
shifted while the reader reads, and formulas that screen readers read natively.

Sphinx's HTML math renderer ``mathml``: each formula's TeX goes through ``latex2mathml`` into a
``<math>`` element (MathML Core, drawn by Chromium, Firefox and Safari). A formula the converter
cannot read fails the build, naming the page and the TeX.
"""
from __future__ import annotations

import re
from html import escape

from docutils import nodes
from latex2mathml.converter import convert
from sphinx.errors import ExtensionError
from sphinx.locale import _
from sphinx.util.math import get_node_equation_number

# amsmath's aligned, which latex2mathml reads as plain text (its "&" left raw), written as split:
# the same right/left column pairs, as a MathML table.
# Primes as prime characters after the letter (latex2mathml puts f' in a superscript, where the
# prime, already raised in text fonts, sits twice as high and small).
REWRITES = [(re.compile(r"\\(begin|end)\{aligned\}"), r"\\\1{split}"),
            (re.compile(r"'+"), lambda primes: r"\prime" * len(primes[0]) + " ")]
# What a formula the converter did not understand leaves in its markup: a command kept as a name
# (<mi>\foo</mi>) or a bare "&" (invalid HTML).
NOT_UNDERSTOOD = re.compile(r">\\[A-Za-z]|&(?!#x[0-9A-Fa-f]+;|amp;|lt;|gt;|quot;)")


def to_mathml(tex: str, display: str = "inline") -> str:
    """``<math>`` markup for ``tex``; the TeX itself is kept as ``alttext``."""
    source = tex.strip()
    for pattern, replacement in REWRITES:
        source = pattern.sub(replacement, source)
    try:
        markup = convert(source, display=display)
    except Exception as error:  # latex2mathml raises its own exception types, not one base
        raise ExtensionError(f"latex2mathml cannot render {tex!r}: {type(error).__name__} {error}") from error
    if NOT_UNDERSTOOD.search(markup):
        raise ExtensionError(f"latex2mathml did not understand {tex!r}: {markup}")
    return markup.replace("<math ", f'<math alttext="{escape(tex.strip(), quote=True)}" ', 1)


# A relation or binary operator outside every group, where a long inline formula may wrap
# (browsers do not break MathML lines, so "a = b + c" is written as three formulas "a", "= b",
# "+ c" with break points between them, as KaTeX breaks its inline math).
RELATION = re.compile("|".join([r"[=+/-]", *(rf"\\{name}(?![A-Za-z])" for name in (
    "cdot", "times", "pm", "approx", "leq?", "geq?", "neq?"))]))
OPENS = re.compile(r"\\begin\{[^}]*\}|\\left(?![A-Za-z])|\{")
CLOSES = re.compile(r"\\end\{[^}]*\}|\\right(?![A-Za-z])|\}")


def relation_pieces(tex: str) -> list[str]:
    """``tex`` cut before each relation or operator at the top level (not inside braces,
    environments or \\left...\\right), each starting the piece that follows it."""
    pieces, start, depth, position = [], 0, 0, 0
    while position < len(tex):
        if tex[position] == "\\" and tex[position + 1:position + 2] in "{}":  # \{ and \}
            position += 2
            continue
        if match := OPENS.match(tex, position):
            depth += 1
        elif match := CLOSES.match(tex, position):
            depth -= 1
        elif depth == 0 and (match := RELATION.match(tex, position)) and tex[start:position].strip():
            pieces.append(tex[start:position])
            start = position
        position = match.end() if match else position + 1
    return [*pieces, tex[start:]]


def visit_inline(self, node: nodes.math) -> None:
    self.body.append(self.starttag(node, "span", "", CLASS="math notranslate nohighlight"))
    self.body.append("<wbr>".join(to_mathml(piece) for piece in relation_pieces(node.astext())) + "</span>")
    raise nodes.SkipNode


def visit_block(self, node: nodes.math_block) -> None:
    # focusable: a formula wider than the column scrolls, and keyboards must reach the scroll
    self.body.append(self.starttag(node, "div", CLASS="math notranslate nohighlight", tabindex="0"))
    if node["number"]:
        number = get_node_equation_number(self, node)
        self.body.append(f'<span class="eqno">({number})')
        self.add_permalink_ref(node, _("Link to this equation"))
        self.body.append("</span>")
    # Sphinx's convention: blank lines separate equations; each is its own block formula.
    for part in (p for p in node.astext().split("\n\n") if p.strip()):
        if r"\\" in part and r"\begin" not in part:
            part = rf"\begin{{aligned}}{part}\end{{aligned}}"
        self.body.append(to_mathml(part, display="block"))
    self.body.append("</div>\n")
    raise nodes.SkipNode


def use_mathml(app, config):
    config.html_math_renderer = "mathml"


def setup(app):
    app.add_html_math_renderer("mathml", (visit_inline, None), (visit_block, None))
    app.connect("config-inited", use_mathml)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
