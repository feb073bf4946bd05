"""Outcomes against one varied parameter: each run as a dot, the mean at each value as a line."""

from __future__ import annotations

import numpy as np
import pandas as pd
from matplotlib.figure import Figure
from matplotlib.lines import Line2D

from govsim.experiments.figures.style import colour, legend_below, outcome_axis, panels, parameter_label

GRID_VALUES = 25
"""Up to this many distinct values the mean is taken at each value; above, in each tenth of the range."""


def parameter_figure(ok: pd.DataFrame, key: str, outcomes: list[str], scenarios: list[str], title: str,
                     note: str | None = None) -> Figure:
    """Each outcome's mean over the kept days against ``key``, one colour per scenario.

    ``note`` (e.g. that the means are confounded, in a sampled design) goes under the title.
    """
    fig, axes = panels(len(outcomes))
    handles, labels = [], []
    for i, scenario in enumerate(scenarios):
        if len(ok[ok["scenario"] == scenario]):
            handles.append(Line2D([], [], color=colour(i), marker="o", ms=4, lw=1.5))
            labels.append(scenario)
    binned = ok[key].nunique() > GRID_VALUES
    for ax, outcome in zip(axes, outcomes, strict=True):
        column = f"{outcome}_mean"
        for i, scenario in enumerate(scenarios):
            d = ok[ok["scenario"] == scenario]
            if not len(d):
                continue
            x = d[key].astype(float)
            c = colour(i)
            ax.scatter(x, d[column], s=6, alpha=0.35, color=c, lw=0)
            if binned:
                edges = np.linspace(x.min(), x.max(), 11)
                which = np.clip(np.digitize(x, edges[1:-1]), 0, 9)
                means = d[column].groupby(which).mean()
                centres = (edges[:-1] + edges[1:]) / 2
                ax.plot(centres[means.index], means.to_numpy(), color=c, lw=1.5, marker="o", ms=3)
            else:
                means = d.groupby(key)[column].mean()
                ax.plot(means.index.astype(float), means.to_numpy(), color=c, lw=1.5, marker="o", ms=3)
        outcome_axis(ax, outcome, ok[column])
        ax.set_xlabel(parameter_label(key), fontsize=8)
        ax.set_title(outcome.replace("_", " "), fontsize=9)
        ax.tick_params(labelsize=7)
        ax.grid(alpha=0.3)
    handles.append(Line2D([], [], color="grey", marker="o", ls="", ms=3, alpha=0.5))
    labels.append("one run (mean over kept days)")
    legend_below(fig, handles, labels, title="line: mean " + ("in each tenth of the range" if binned else
                                                               "at each value"))
    heading = f"{title}: outcomes (mean over kept days) against {key}"
    fig.suptitle(heading + (f"\n{note}" if note else ""), fontsize=9)
    return fig
