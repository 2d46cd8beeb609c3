"""Shared tools for property-testing each chapter's ``<op>_loop`` / ``<op>_vec`` pair.

``float_arrays`` draws arrays in the dtypes and layouts readers meet (float64, float32, int64,
and non-contiguous views made by slicing a larger array); ``call_without_mutation`` runs a
function and fails if it wrote into any of its array arguments.
"""
from __future__ import annotations

import numpy as np
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

DTYPES = (np.float64, np.float32, np.int64)
# Finite, moderate values: the property tests check agreement, not overflow or underflow (the
# chapters teach those separately), so magnitudes below 1e-30 are drawn as exact zeros.
ELEMENTS = {np.float64: st.floats(-1e3, 1e3, allow_nan=False, width=64).map(
                lambda v: v if abs(v) > 1e-30 else 0.0),
            np.float32: st.floats(-1e3, 1e3, allow_nan=False, width=32).map(
                lambda v: v if abs(v) > 1e-30 else 0.0),
            np.int64: st.integers(-1000, 1000)}


@st.composite
def float_arrays(draw, shape, dtypes=DTYPES):
    """An array of ``shape``; sometimes a strided (non-contiguous) view into a bigger array."""
    dtype = draw(st.sampled_from(dtypes))
    if draw(st.booleans()):
        return draw(hnp.arrays(dtype, shape, elements=ELEMENTS[dtype]))
    doubled = tuple(2 * n for n in shape)
    base = draw(hnp.arrays(dtype, doubled, elements=ELEMENTS[dtype]))
    view = base[tuple(slice(None, None, 2) for _ in shape)]
    assert view.shape == tuple(shape) and (view.size <= 1 or not view.flags.c_contiguous)
    return view


def call_without_mutation(fn, *args):
    """``fn(*args)``, failing with the argument's position if fn wrote into an input array."""
    before = [a.copy() if isinstance(a, np.ndarray) else None for a in args]
    result = fn(*args)
    for position, (arg, saved) in enumerate(zip(args, before)):
        if saved is not None:
            assert np.array_equal(arg, saved), f"{fn.__name__} mutated its argument #{position}"
    return result
