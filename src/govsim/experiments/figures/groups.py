"""Satisfaction by group of residents: all residents and each group, one bar per configuration with its 95% CI."""

from __future__ import annotations

import numpy as np
import pandas as pd
from matplotlib.figure import Figure
from matplotlib.patches import Patch

from govsim.experiments.figures.style import colour, legend_below, outcome_axis, panels
from govsim.params import GROUPS

GROUP_OUTCOMES = ("satisfaction", *(f"satisfaction_{g}" for g in GROUPS))
"""The outcomes drawn, in order: every resident, then each group."""


def satisfaction_by_group_figure(summary: pd.DataFrame, labels: dict[tuple[str, int], str], title: str,
                                 replications: int) -> Figure:
    """Bars of each group's satisfaction (mean over kept days), one colour per configuration.

    ``labels`` maps (scenario, point) to the configuration's name in the legend, in drawing order.
    """
    data = summary[(summary["statistic"] == "mean") & summary["outcome"].isin(GROUP_OUTCOMES)]
    fig, axes = panels(1, width=9.0, height=3.6, columns=1)
    ax = axes[0]
    shown = [o for o in GROUP_OUTCOMES if o in set(data["outcome"])]
    width = 0.8 / max(1, len(labels))
    x = np.arange(len(shown))
    for i, (scenario, point) in enumerate(labels):
        d = data[(data["scenario"] == scenario) & (data["point"] == point)].set_index("outcome").reindex(shown)
        mean = d["mean"].to_numpy(float)
        err = np.vstack([mean - d["ci_low"].to_numpy(float), d["ci_high"].to_numpy(float) - mean])
        ax.bar(x + (i - (len(labels) - 1) / 2) * width, mean, width * 0.95, yerr=np.nan_to_num(err),
               color=colour(i), ecolor="black", error_kw={"lw": 0.7, "capsize": 2})
    names = ["all residents" if o == "satisfaction" else o.removeprefix("satisfaction_").replace("_", "-")
             for o in shown]
    ax.set_xticks(x, names, fontsize=8)
    outcome_axis(ax, "satisfaction")
    ax.grid(alpha=0.3, axis="y")
    legend_below(fig, [Patch(color=colour(i)) for i in range(len(labels))], list(labels.values()), columns=3)
    fig.suptitle(f"{title}: satisfaction by group of residents\nmean over kept days; error bars: 95% confidence "
                 f"interval over {replications} replications", fontsize=9)
    return fig
