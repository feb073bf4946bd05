"""How every figure of the experiment engine looks: one palette, units on axes, honest ranges, legends outside.

* :data:`PALETTE`: Okabe and Ito's colour-blind-safe colours (yellow left out:
  unreadable on white).  Series beyond its seven colours change line style
  (:func:`line_style`), so no two series look alike.
* :func:`outcome_axis`: the axis label is the outcome and its unit; a bounded
  outcome (an index or share) gets its whole range [low, high], so a small
  difference looks small; an open-ended one (days, cases, needs per hour)
  starts at zero.
* :func:`legend_below`: legends go under the panels, never over data.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import matplotlib

matplotlib.use("Agg")  # files only: works on servers and in CI with no display

import matplotlib.pyplot as plt
import numpy as np
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from numpy.typing import ArrayLike

from govsim.files import atomic_path
from govsim.outcomes import BY_NAME
from govsim.params import SCHEMA

PALETTE = ("#0072B2", "#E69F00", "#009E73", "#D55E00", "#CC79A7", "#56B4E9", "#000000")
"""Series colours, in order (Okabe & Ito 2008: blue, orange, bluish green, vermillion, reddish purple,
sky blue, black)."""

LINE_STYLES = ("-", "--", ":", "-.")
COLOUR_MAP = "viridis"
"""Colour bars (perceptually uniform, readable in grey)."""
DPI = 110


def colour(i: int) -> str:
    return PALETTE[i % len(PALETTE)]


def line_style(i: int) -> str:
    """Solid for the first seven series, then dashed, dotted ...: colour and style never both repeat early."""
    return LINE_STYLES[(i // len(PALETTE)) % len(LINE_STYLES)]


def outcome_label(name: str) -> str:
    """An outcome and its unit, for an axis: ``welfare days [days]``."""
    return f"{name.replace('_', ' ')} [{BY_NAME[name].unit}]"


def parameter_label(key: str) -> str:
    unit = SCHEMA[key].unit
    return f"{key} [{unit}]" if unit else key


def outcome_limits(name: str, values: ArrayLike | None = None) -> tuple[float, float]:
    """The axis range of an outcome: [low, high] if bounded, else from low (zero) to a little above the data."""
    outcome = BY_NAME[name]
    if outcome.high is not None:
        return outcome.low, outcome.high
    data = np.asarray(values if values is not None else [], dtype=float)
    data = data[np.isfinite(data)]
    top = float(data.max()) if len(data) else 0.0
    return outcome.low, top * 1.08 if top > outcome.low else outcome.low + 1.0


def outcome_axis(ax: Axes, name: str, values: ArrayLike | None = None, axis: str = "y") -> None:
    """Label an axis with the outcome and its unit and give it the outcome's range."""
    low, high = outcome_limits(name, values)
    if axis == "y":
        ax.set_ylabel(outcome_label(name), fontsize=8)
        ax.set_ylim(low, high)
    else:
        ax.set_xlabel(outcome_label(name), fontsize=8)
        ax.set_xlim(low, high)


def panels(n: int, width: float = 4.0, height: float = 3.0, columns: int = 3) -> tuple[Figure, list[Axes]]:
    """A figure of ``n`` panels in rows of ``columns`` (constrained layout, so legends can sit outside)."""
    cols = max(1, min(columns, n))
    rows = math.ceil(n / cols)
    fig, axes = plt.subplots(rows, cols, figsize=(width * cols, height * rows + 0.8), squeeze=False,
                             layout="constrained")
    for ax in axes.flat[n:]:
        ax.set_visible(False)
    return fig, list(axes.flat[:n])


def legend_below(fig: Figure, handles: Sequence[Any], labels: Sequence[str], title: str | None = None,
                 columns: int = 4) -> None:
    """One legend for the whole figure, under the panels."""
    if not handles:
        return
    fig.legend(handles, labels, loc="outside lower center", ncols=min(columns, len(handles)), fontsize=8,
               title=title, title_fontsize=8, frameon=False)


def save(fig: Figure, path: Path) -> Path:
    """Write a PNG atomically, with the user's umask."""
    with atomic_path(path) as tmp:
        fig.savefig(tmp, dpi=DPI, format="png")
    plt.close(fig)
    return path


def short(value: Any) -> str:
    return f"{value:.3g}" if isinstance(value, float) else str(value)
