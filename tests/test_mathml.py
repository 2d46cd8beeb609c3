"""Math rendered to MathML at build time (book_build.mathml): right markup, and a formula the
converter does not understand fails the build instead of reaching a page as raw TeX."""
from __future__ import annotations

import pytest
from sphinx.errors import ExtensionError

from book_build.mathml import relation_pieces, to_mathml


def test_formula_becomes_mathml_with_its_tex():
    markup = to_mathml(r"\lVert \mathbf{x} \rVert_2 = \sqrt{\sum_i x_i^2}")
    assert markup.startswith('<math alttext="\\lVert \\mathbf{x} \\rVert_2') and "<msqrt>" in markup
    assert 'display="block"' in to_mathml("x", display="block")


def test_aligned_equations_are_a_table_not_raw_ampersands():
    markup = to_mathml(r"\begin{aligned} a &= b \\ c &= d \end{aligned}", display="block")
    assert markup.count("<mtr>") == 2 and 'columnalign="right"' in markup
    assert "<mi>&</mi>" not in markup


def test_primes_stay_beside_the_letter():
    assert "<msup>" not in to_mathml("f'(x)") and "&#x02032;" in to_mathml("f'(x)")


@pytest.mark.parametrize("tex, message", [(r"\foo{x}", "did not understand"),
                                          (r"a & b", "did not understand"),
                                          (r"x^2^3", "cannot render")])
def test_what_the_converter_cannot_read_fails_the_build(tex, message):
    with pytest.raises(ExtensionError, match=message):
        to_mathml(tex)


@pytest.mark.parametrize("tex, pieces", [
    ("a = b = c", ["a ", "= b ", "= c"]),
    (r"\left( a = b \right) \le c", [r"\left( a = b \right) ", r"\le c"]),
    (r"\frac{a=b}{c} \leq d", [r"\frac{a=b}{c} ", r"\leq d"]),
    (r"\begin{pmatrix}1 & 2\end{pmatrix} = x", [r"\begin{pmatrix}1 & 2\end{pmatrix} ", "= x"]),
    (r"\left\{ a=1 \right\} = 2", [r"\left\{ a=1 \right\} ", "= 2"]),
    (r"\lVert x \rVert", [r"\lVert x \rVert"]),
    (r"-a + b_{i-1} / c", ["-a ", "+ b_{i-1} ", "/ c"]),
    (r"|a - b| \cdot 10^{-4}", ["|a ", "- b| ", r"\cdot 10^{-4}"]),
])
def test_long_inline_formulas_may_wrap_before_top_level_relations_and_operators(tex, pieces):
    assert relation_pieces(tex) == pieces
