"""A simplex of three shares that sum to 1 (the centre's role emphasis), each point coloured by an outcome.

The top corner is the first share, bottom left the second, bottom right the
third.  Each edge carries the ticks of one share, read in the direction of
its arrow; the grid lines are tenths of each share.
"""

from __future__ import annotations

import math

import matplotlib.tri as mtri
import numpy as np
import pandas as pd
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from numpy.typing import ArrayLike

from govsim.experiments.figures.style import COLOUR_MAP, outcome_label, panels

H = math.sqrt(3) / 2


def barycentric(a: ArrayLike, b: ArrayLike, c: ArrayLike) -> tuple[np.ndarray, np.ndarray]:
    """Shares (a, b, c) summing to 1 to x, y in an equilateral triangle with a at the top, b bottom left."""
    a, b, c = (np.asarray(v, dtype=float) for v in (a, b, c))
    return c + a / 2, a * H


def ternary_axes(ax: Axes, names: tuple[str, str, str]) -> None:
    """A ternary frame: grid lines at tenths, share ticks and an arrowed title on each edge, corners named."""
    ax.plot([0, 1, 0.5, 0], [0, 0, H, 0], color="black", lw=1)
    ticks = np.round(np.arange(0.2, 1.0, 0.2), 1)
    for t in np.round(np.arange(0.1, 1.0, 0.1), 1):
        for p, q in (((t, 0, 1 - t), (t, 1 - t, 0)), ((0, t, 1 - t), (1 - t, t, 0)), ((0, 1 - t, t), (1 - t, 0, t))):
            x, y = barycentric(*zip(p, q, strict=True))
            ax.plot(x, y, color="grey", lw=0.5 if t in ticks else 0.25, alpha=0.6)
    a_name, b_name, c_name = names
    for t in ticks:
        # bottom edge (a = 0): the third share grows to the right
        px, py = (float(v) for v in barycentric(0, 1 - t, t))
        ax.plot([px, px - 0.025], [py, py - 0.04], color="black", lw=0.6)
        ax.text(px - 0.03, py - 0.05, f"{t:.1f}", ha="center", va="top", fontsize=6)
        # right edge (b = 0): the first share grows upwards
        px, py = (float(v) for v in barycentric(t, 0, 1 - t))
        ax.plot([px, px + 0.045], [py, py], color="black", lw=0.6)
        ax.text(px + 0.05, py, f"{t:.1f}", ha="left", va="center", fontsize=6)
        # left edge (c = 0): the second share grows downwards
        px, py = (float(v) for v in barycentric(1 - t, t, 0))
        ax.plot([px, px - 0.025], [py, py + 0.04], color="black", lw=0.6)
        ax.text(px - 0.03, py + 0.045, f"{t:.1f}", ha="right", va="bottom", fontsize=6)
    # Edge titles beyond the tick labels: the edge's midpoint moved out along its normal.
    out = 0.24
    ax.text(0.5, -0.14, f"{c_name} share \u2192", ha="center", va="top", fontsize=7)
    ax.text(0.75 + out * H, H / 2 + out / 2, f"\u2190 {a_name} share", ha="center", va="center", fontsize=7,
            rotation=-60)
    ax.text(0.25 - out * H, H / 2 + out / 2, f"\u2190 {b_name} share", ha="center", va="center", fontsize=7,
            rotation=60)
    ax.text(0.5, H + 0.04, a_name, ha="center", va="bottom", fontsize=8, weight="bold")
    ax.text(-0.04, -0.03, b_name, ha="right", va="top", fontsize=8, weight="bold")
    ax.text(1.04, -0.03, c_name, ha="left", va="top", fontsize=8, weight="bold")
    ax.set_xlim(-0.3, 1.3)
    ax.set_ylim(-0.25, H + 0.12)
    ax.set_aspect("equal")
    ax.axis("off")


def ternary_figure(summary: pd.DataFrame, members: tuple[str, ...], outcomes: list[str], title: str,
                   replications: int | None = None) -> Figure:
    """The simplex of three shares, each design point coloured by an outcome's mean over replications."""
    fig, axes = panels(min(len(outcomes), 6), width=4.4, height=4.0)
    names = (members[0].rsplit(".", 1)[-1], members[1].rsplit(".", 1)[-1], members[2].rsplit(".", 1)[-1])
    data = summary[summary["statistic"] == "mean"]
    over = f"mean over kept days and {replications} replications" if replications else "mean over kept days"
    for ax, outcome in zip(axes, outcomes, strict=False):
        d = data[data["outcome"] == outcome]
        ternary_axes(ax, names)
        if not len(d):
            ax.set_title(outcome.replace("_", " "), fontsize=9)
            continue
        x, y = barycentric(d[members[0]], d[members[1]], d[members[2]])
        z = d["mean"].to_numpy(float)
        shade = None
        if len(d) >= 6 and np.ptp(z) > 0:
            try:
                shade = ax.tricontourf(mtri.Triangulation(x, y), z, levels=12, cmap=COLOUR_MAP)
            except (ValueError, RuntimeError):
                shade = None
        limits = shade.get_clim() if shade is not None else (None, None)
        dots = ax.scatter(x, y, c=z, cmap=COLOUR_MAP, s=18, edgecolors="white", linewidths=0.4, vmin=limits[0],
                          vmax=limits[1], zorder=3)
        if np.ptp(z) > 0:
            best = int(np.nanargmax(z))
            ax.scatter([x[best]], [y[best]], marker="*", s=140, color="#D55E00", edgecolors="white", zorder=4)
            ax.set_title(f"{outcome.replace('_', ' ')} (\u2605 highest)", fontsize=9)
        else:
            ax.set_title(f"{outcome.replace('_', ' ')} (the same everywhere)", fontsize=9)
        bar = fig.colorbar(dots, ax=ax, shrink=0.7, pad=0.02)
        bar.set_label(f"{outcome_label(outcome)}\n{over}", fontsize=7)
        bar.ax.tick_params(labelsize=6)
    fig.suptitle(f"{title}: role emphasis ({', '.join(names)}) and outcomes\ncolour: {over} "
                 "(each colour bar spans that outcome's range over the simplex)", fontsize=9)
    return fig
