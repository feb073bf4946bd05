"""The figure of one run: every outcome against the day, one axis per panel.

Everything drawn is derived from the declarations in :mod:`govsim.outcomes`:
the panels and their titles (:data:`~govsim.outcomes.PANELS`), which outcomes
go in each, the y-axis label (the panel's unit) and its range (fixed at
``[low, high]`` for an index or share, from ``low`` up to the data for an
open-ended quantity).  No outcome is named here, so an outcome added to the
declarations appears in the figure without a change to this file.
"""

from __future__ import annotations

import math
import os
import re

import matplotlib

matplotlib.use("Agg")  # files only: works on servers and in CI with no display

import matplotlib.pyplot as plt
import pandas as pd
from matplotlib.axes import Axes
from matplotlib.figure import Figure

from govsim.outcomes import PANELS, Outcome, Panel, panel_outcomes, panel_unit
from govsim.params import GROUPS

GROUP_COLOURS: dict[str, str] = dict(zip(GROUPS, ("#E69F00", "#0072B2", "#009E73", "#CC79A7", "#666666"),
                                         strict=True))
"""One colour per resident group, the same in every panel: Okabe & Ito's orange, blue, green and
purple (apart under the common colour-vision deficiencies) and grey for ordinary residents, the
remainder group."""

PALETTE: tuple[str, ...] = ("#332288", "#88CCEE", "#882255", "#999933", "#DDCC77")
"""Other lines of a panel, in order: Paul Tol's indigo, cyan, wine, olive and sand, chosen far
from every group colour, so a colour that means a group never means anything else."""

HEADLINE_COLOUR = "black"
"""The panel's headline outcome (the one the others break down by group or kind)."""

COLUMNS = 3
"""Panels per row of the figure."""

_CJK = re.compile(r"\s*[(\uff08][^)\uff09]*[\u3000-\u9fff][^)\uff09]*[)\uff09]|[\u3000-\u9fff]+")
"""Chinese terms in titles, with their brackets: matplotlib ships no font that draws them, and
a figure must look the same on every machine (the terms are explained in docs/article.md)."""


def plot_timeseries(df: pd.DataFrame, title: str = "") -> Figure:
    """Draw every declared outcome in ``df`` against its ``step`` column (the day), one axis per panel.

    Args:
        df: a run's time series (``CommunityModel.timeseries()``): a ``step``
            column and one column per outcome; outcomes missing from it are
            left out of their panel.
        title: the figure's title (the run: scenario, seed, residents).

    Returns:
        The figure; save it with ``fig.savefig(path)``.
    """
    rows = math.ceil(len(PANELS) / COLUMNS)
    fig, axes = plt.subplots(rows, COLUMNS, figsize=(5.2 * COLUMNS, 4.1 * rows), sharex=True,
                             layout="constrained", squeeze=False)
    for ax, panel in zip(axes.flat, PANELS, strict=False):
        _draw_panel(ax, panel, df)
    for ax in axes.flat[len(PANELS):]:
        ax.remove()  # an unused cell of the grid
    for ax in axes.flat[:len(PANELS)]:
        ax.tick_params(labelbottom=True)  # every panel shows its days: legends sit below, between rows
    if title:
        fig.suptitle(latin(title), fontsize=12)
    return fig


def latin(text: str) -> str:
    """``text`` without its Chinese terms: "Welfare (低保) applications" -> "Welfare applications"."""
    return re.sub(r"\s{2,}", " ", _CJK.sub("", text)).strip()


def save_figure(fig: Figure, path: str | os.PathLike) -> None:
    """Write ``fig`` as a PNG and free its memory."""
    fig.savefig(path, dpi=110, format="png")
    plt.close(fig)


def _draw_panel(ax: Axes, panel: Panel, df: pd.DataFrame) -> None:
    outcomes = [o for o in panel_outcomes(panel.key) if o.name in df]
    headline = _headline(outcomes)
    others = iter(PALETTE)
    for o in outcomes:
        label, colour = _label(o, headline), None
        if o is headline:
            colour = HEADLINE_COLOUR
        elif label in GROUP_COLOURS:
            colour = GROUP_COLOURS[label]
        else:
            colour = next(others, None)
        ax.plot(df["step"], df[o.name], label=label.replace("_", " "), color=colour,
                lw=2.4 if o is headline else 1.4)

    ax.set_title(latin(panel.title), fontsize=10)
    ax.set_ylabel(panel_unit(panel.key))
    ax.set_xlabel("day")
    ax.grid(alpha=0.3)
    _set_range(ax, outcomes, df)
    if outcomes:
        # Below the axes, never over the data; up to three entries a row.
        ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.2), ncols=min(3, len(outcomes)), fontsize=8,
                  frameon=False, handlelength=1.6, columnspacing=1.2)


def _headline(outcomes: list[Outcome]) -> Outcome | None:
    """The outcome whose name begins every other's in the panel (``satisfaction`` of ``satisfaction_youth``)."""
    for o in outcomes:
        if len(outcomes) > 1 and all(p is o or p.name.startswith(o.name + "_") for p in outcomes):
            return o
    return None


def _label(o: Outcome, headline: Outcome | None) -> str:
    """A short legend label: the breakdown (``youth``) under a headline, else the outcome's name."""
    if headline is None:
        return o.name
    if o is headline:
        return f"{o.name} (all)"
    return o.name.removeprefix(headline.name + "_")


def _set_range(ax: Axes, outcomes: list[Outcome], df: pd.DataFrame) -> None:
    """A fixed axis for bounded outcomes; from ``low`` up to the data (with room) for open-ended ones."""
    if not outcomes:
        return
    low = min(o.low for o in outcomes)
    highs = [o.high for o in outcomes]
    values = df[[o.name for o in outcomes]]
    flat = bool(((values == low) | values.isna()).all().all())  # nothing but the floor (or no data)
    if all(h is not None for h in highs):
        ax.set_ylim(low, max(h for h in highs if h is not None))
    else:
        peak = values.max().max()
        ax.set_ylim(low, low + 1.0 if flat else peak * 1.08)
    if flat:  # say so, rather than leave a reader to find a line on the axis
        ax.text(0.5, 0.5, f"every value is {low:g} in this run", transform=ax.transAxes, ha="center",
                va="center", fontsize=9, color="0.4")
