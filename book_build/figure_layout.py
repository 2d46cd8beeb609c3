"""A figure's layout checked from the figure itself, so a badly laid out figure fails its cell.

After ``fig.canvas.draw()`` matplotlib knows where every piece of text, every axes and every
legend landed (``get_window_extent``). ``layout_problems`` reads those extents and names what a
reader would see as broken: text printed over other text (tick labels running together, a label
under a legend), plotting area squeezed to a small part of the
figure, a legend lying on plotted data.

At build time every figure a chapter shows passes through ``check_on_show``: the kernels' rc
``figure.hooks`` (book_build.figures) call ``watch`` on each new pyplot figure, which makes
``plt.show()`` raise ``FigureLayoutError`` for a broken figure, so its cell, and the build, fail.
"""
from __future__ import annotations

import functools
from itertools import combinations

import numpy as np
from matplotlib.collections import Collection
from matplotlib.legend import Legend
from matplotlib.patches import Rectangle
from matplotlib.text import Text
from matplotlib.transforms import Bbox

# Plotting area (all axes together) as a share of the figure; a well laid out single plot with
# title, labels and ticks is about 0.5-0.7 of it. Below this the plot is squeezed by its furniture.
MIN_AXES_FRACTION = 0.3
# Overlaps smaller than this (in pixels at the figure's dpi, each way) are glyph boxes touching.
TOLERANCE_PX = 1.0


class FigureLayoutError(AssertionError):
    """A figure whose layout a reader would see as broken."""


def _overlap(a: Bbox, b: Bbox) -> bool:
    return (min(a.x1, b.x1) - max(a.x0, b.x0) > TOLERANCE_PX
            and min(a.y1, b.y1) - max(a.y0, b.y0) > TOLERANCE_PX)


def _drawn_texts(fig) -> list[Text]:
    """Every non-empty text artist the last draw actually drew (tick labels outside the view are
    kept by matplotlib but not drawn, so they are recorded at draw time, not searched for)."""
    drawn = []
    original = Text.draw

    @functools.wraps(original)
    def recording_draw(self, renderer):
        if self.get_visible() and self.get_text().strip():
            drawn.append(self)
        return original(self, renderer)

    Text.draw = recording_draw
    try:
        fig.canvas.draw()
    finally:
        Text.draw = original
    return drawn


def _label(text: Text) -> str:
    return repr(text.get_text().strip().replace("\n", " ")[:40])


def _legends(fig) -> list[Legend]:
    return [legend for legend in [*(ax.get_legend() for ax in fig.axes), *fig.legends]
            if legend is not None and legend.get_visible()]


def _data_points(ax, renderer) -> np.ndarray:
    """Display coordinates of the data the axes plot: lines sampled every pixel along each segment,
    scatter offsets, bar corners and centres; only the part inside the axes."""
    points = []
    for line in ax.get_lines():
        # reference lines across the axes (axhline, axvline: axes coordinates) are not data
        if not line.get_visible() or len(line.get_xydata()) == 0 or line.get_transform() != ax.transData:
            continue
        xy = line.get_transform().transform(line.get_xydata())
        xy = xy[np.isfinite(xy).all(axis=1)]
        for start, end in zip(xy[:-1], xy[1:]):
            steps = max(2, int(np.hypot(*(end - start))))
            points.append(start + np.linspace(0, 1, steps)[:, None] * (end - start))
        if line.get_marker() not in (None, "None", "", " ") or len(xy) == 1:
            points.append(xy)
    for collection in ax.collections:
        if isinstance(collection, Collection) and collection.get_visible() and len(collection.get_offsets()):
            points.append(collection.get_offset_transform().transform(collection.get_offsets()))
    for patch in ax.patches:
        if isinstance(patch, Rectangle) and patch.get_visible():
            box = patch.get_window_extent(renderer)
            points.append(np.array([[box.x0, box.y1], [box.x1, box.y1], [(box.x0 + box.x1) / 2, box.y1]]))
    if not points:
        return np.empty((0, 2))
    xy = np.concatenate(points)
    area = ax.get_window_extent(renderer)
    inside = ((xy[:, 0] >= area.x0) & (xy[:, 0] <= area.x1) & (xy[:, 1] >= area.y0) & (xy[:, 1] <= area.y1))
    return xy[inside]


def layout_problems(fig) -> list[str]:
    """What is wrong with the figure's layout, measured after drawing it; [] when nothing is."""
    texts = _drawn_texts(fig)
    renderer = fig.canvas.get_renderer()
    problems = []
    boxes = {id(text): text.get_window_extent(renderer) for text in texts}
    for a, b in combinations(texts, 2):
        if _overlap(boxes[id(a)], boxes[id(b)]):
            problems.append(f"text {_label(a)} overlaps text {_label(b)}")
    # What the reader sees: the inline backend saves with bbox_inches='tight'.
    page = fig.get_tightbbox(renderer).transformed(fig.dpi_scale_trans)
    visible_axes = [ax for ax in fig.axes if ax.get_visible()]
    if visible_axes:
        fraction = sum(ax.get_window_extent(renderer).width * ax.get_window_extent(renderer).height
                       for ax in visible_axes) / (page.width * page.height)
        if fraction < MIN_AXES_FRACTION:
            problems.append(f"the axes fill {fraction:.0%} of the figure (under {MIN_AXES_FRACTION:.0%}): "
                            "legend, labels or title squeeze the plot")
    for legend in _legends(fig):
        frame = legend.get_window_extent(renderer)
        own = {id(t) for t in legend.get_texts()} | {id(legend.get_title())}
        for text in texts:
            if id(text) not in own and _overlap(frame, boxes[id(text)]):
                problems.append(f"legend covers text {_label(text)}")
        for ax in visible_axes:
            xy = _data_points(ax, renderer)
            hidden = ((xy[:, 0] > frame.x0) & (xy[:, 0] < frame.x1)
                      & (xy[:, 1] > frame.y0) & (xy[:, 1] < frame.y1))
            if hidden.any():
                problems.append(f"legend covers plotted data ({hidden.sum()} points in its box)")
                break
    return problems


def check(fig) -> None:
    """Raise ``FigureLayoutError`` naming every layout problem of ``fig``."""
    problems = layout_problems(fig)
    if problems:
        raise FigureLayoutError("figure layout: " + "; ".join(problems))


@functools.cache
def _wrap_show():
    import matplotlib.pyplot as plt

    show = plt.show

    @functools.wraps(show)
    def show_checked(*args, **kwargs):
        for number in plt.get_fignums():
            check(plt.figure(number))
        return show(*args, **kwargs)

    plt.show = show_checked


def watch(fig) -> None:
    """rc ``figure.hooks`` entry: from the first pyplot figure on, ``plt.show()`` checks each
    open figure before showing it."""
    _wrap_show()
