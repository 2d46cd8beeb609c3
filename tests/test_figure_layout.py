"""The figure layout check (book_build.figure_layout) rejects each broken layout the book had, with
the message for that defect, and passes figures laid out properly in different ways."""
from __future__ import annotations

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402
from matplotlib.ticker import FuncFormatter, MaxNLocator  # noqa: E402

from book_build import figure_layout  # noqa: E402
from book_build.figures import FIGURES  # noqa: E402

# The book's figure settings (phone-legible text), without the hook: these tests call the check.
RC = {key: value for key, value in FIGURES["rc"].items() if key != "figure.hooks"}
STEPS = np.logspace(-15, -1, 141)


@pytest.fixture(autouse=True)
def book_rc():
    with matplotlib.rc_context(RC):
        yield
    plt.close("all")


def kinds(problems: list[str]) -> set[str]:
    """Each problem's kind: the words before its first quoted or measured part."""
    names = {"overlaps text": "text overlap", "covers text": "legend over text",
             "covers plotted data": "legend over data", "the axes fill": "small axes"}
    return {name for marker, name in names.items() for p in problems if marker in p}


def error_curve(fig_size=(4.4, 3.6), **subplots):
    fig, ax = plt.subplots(figsize=fig_size, **subplots)
    for power, label in ((2, "central"), (1, "forward"), (-1, "round-off")):
        ax.loglog(STEPS, STEPS**power, label=label)
    for slope in range(4):
        ax.loglog(STEPS, STEPS ** (slope / 3), "k:", lw=1, label=f"reference {slope}")
    ax.set_ylim(1e-14, 1)
    ax.set_xlabel("step size h")
    ax.set_ylabel("absolute error")
    ax.set_title("sin'(x) at x = 1")
    return fig, ax


def test_squashed_axes_under_a_long_outside_legend():
    # the central difference figure before: 7 entries below a fixed 4.4 x 3.6 in figure
    fig, ax = error_curve()
    ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.22))
    fig.tight_layout()
    assert "small axes" in kinds(figure_layout.layout_problems(fig))


def test_legend_over_data_and_tick_labels():
    # the matmul figure before: the automatic placement put the legend on the points and a tick
    fig, ax = plt.subplots(figsize=(4.4, 3.3))
    sizes = np.array([32, 64, 128, 256, 512])
    ax.loglog(sizes, 1e-9 * sizes**2.6, "o-", label="A @ B (measured)")
    ax.loglog(sizes, 1e-9 * sizes**3 / 512**0.4, "--", label=r"$\propto n^3$ (through the largest point)")
    ax.loglog(sizes[::-1], 1e-9 * sizes**2.6, "s", label="crossing")
    ax.legend(loc="center")
    problems = figure_layout.layout_problems(fig)
    assert "legend over data" in kinds(problems), problems
    assert "small axes" not in kinds(problems)


def test_legend_over_a_tick_label_only():
    fig, ax = plt.subplots()
    ax.plot([0, 1], [0, 1], label="a line from corner to corner")
    ax.legend(loc="lower left", bbox_to_anchor=(-0.25, -0.12))
    assert {"legend over text"} <= kinds(figure_layout.layout_problems(fig))


def test_tick_labels_running_together():
    # the standardization figure before: "50k100k150k"
    fig, axes = plt.subplots(3, 2, figsize=(4.4, 6.6))
    income = np.random.default_rng(0).lognormal(10.5, 0.5, 500)
    for ax in axes.flat:
        ax.hist(income, bins=40)
    axes[1, 0].xaxis.set_major_formatter(FuncFormatter(lambda value, _: f"{value / 1000:.0f}k"))
    axes[1, 0].xaxis.set_major_locator(MaxNLocator(12))
    fig.tight_layout()
    problems = figure_layout.layout_problems(fig)
    assert kinds(problems) == {"text overlap"}, problems
    assert "k'" in problems[0]


def test_annotation_over_a_label():
    # the distance matrix schematic before: a sign printed over a block's label
    fig, ax = plt.subplots(figsize=(4.0, 1.8))
    ax.text(2.6, 2, "−", fontsize=20, ha="center", va="center")
    ax.text(3.0, 2, "X[None, :, :]", fontsize=9, ha="left", va="center")
    ax.set_xlim(-0.5, 20)
    ax.axis("off")
    problems = figure_layout.layout_problems(fig)
    assert kinds(problems) == {"text overlap"} and "'−'" in problems[0], problems


@pytest.mark.parametrize("placement", ["outside below", "empty corner", "beside"])
def test_good_figures_pass(placement):
    if placement == "outside below":  # the central difference figure now
        fig, ax = error_curve((4.4, 6.4), layout="constrained")
        fig.legend(loc="outside lower center")
    elif placement == "empty corner":  # a reference line across the axes may pass behind it
        fig, ax = plt.subplots()
        ax.plot([0, 1, 2], [0, 1, 4], "o-", label="rising")
        ax.axhline(3.5, color="k", lw=1, label="reference")
        ax.legend(loc="upper left")
    else:
        fig, ax = plt.subplots(figsize=(4.4, 3.3), layout="constrained")
        ax.plot([0, 1], [0, 1], label="line")
        fig.legend(loc="outside right upper")
    assert figure_layout.layout_problems(fig) == []


def test_histograms_with_readable_ticks_pass():
    fig, axes = plt.subplots(3, 2, figsize=(4.4, 6.6))
    income = np.random.default_rng(0).lognormal(10.5, 0.5, 500)
    for row in axes:
        for ax in row:
            ax.hist(income, bins=40)
            ax.xaxis.set_major_formatter(FuncFormatter(lambda value, _: f"{value / 1000:.0f}k"))
            ax.xaxis.set_major_locator(MaxNLocator(3))
    fig.tight_layout()
    assert figure_layout.layout_problems(fig) == []


def test_show_fails_a_broken_figure_once_watched():
    """The build's hook: plt.show() raises for a broken figure and shows a good one."""
    figure_layout.watch(None)
    fig, ax = error_curve()
    ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.22))
    fig.tight_layout()
    with pytest.raises(figure_layout.FigureLayoutError, match="the axes fill"):
        plt.show()
    plt.close("all")
    plt.subplots()[1].plot([0, 1], [1, 0])
    plt.show()


def test_the_kernels_are_told_to_watch():
    hook = FIGURES["rc"]["figure.hooks"]
    assert hook == ["book_build.figure_layout:watch"]
    module, name = hook[0].split(":")
    assert getattr(__import__(module, fromlist=[name]), name) is figure_layout.watch
