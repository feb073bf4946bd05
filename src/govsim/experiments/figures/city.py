"""A city's evaluation: the event study around the switch, and the spread of outcomes across communities."""

from __future__ import annotations

import numpy as np
import pandas as pd
from matplotlib.figure import Figure
from matplotlib.lines import Line2D

from govsim.experiments.figures.style import colour, legend_below, line_style, outcome_axis, panels
from govsim.outcomes import BY_NAME


def event_study_figure(table: pd.DataFrame, outcomes: list[str], title: str, replications: int) -> Figure:
    """Reformed minus not-yet-reformed communities by month from the switch: one panel per outcome, one line per
    reformed configuration with its 95% band over replications."""
    shown = [o for o in outcomes if o in set(table["outcome"])]
    fig, axes = panels(max(1, len(shown)), width=4.2, height=3.0)
    configs = list(dict.fromkeys(table["configuration"]))
    for ax, outcome in zip(axes, shown, strict=False):
        for i, name in enumerate(configs):
            d = table[(table["outcome"] == outcome) & (table["configuration"] == name)].sort_values("month")
            ax.plot(d["month"], d["mean"], color=colour(i), ls=line_style(i), lw=1.4)
            ax.fill_between(d["month"], d["ci_low"].to_numpy(float), d["ci_high"].to_numpy(float), color=colour(i),
                            alpha=0.2, lw=0)
        ax.axhline(0, color="grey", lw=0.7)
        ax.axvline(0, color="grey", lw=0.7, ls="--")
        ax.set_xlabel("months from the community's switch", fontsize=8)
        ax.set_ylabel(f"gap in {outcome.replace('_', ' ')} [{BY_NAME[outcome].unit}]", fontsize=8)
        ax.set_title(outcome.replace("_", " "), fontsize=9)
        ax.tick_params(labelsize=7)
        ax.grid(alpha=0.3)
    handles = [Line2D([], [], color=colour(i), ls=line_style(i)) for i in range(len(configs))]
    legend_below(fig, handles, configs, columns=3)
    fig.suptitle(f"{title}: event study - reformed minus not-yet-reformed communities, month by month around each "
                 f"wave's switch\nline: mean over {replications} replications; band: 95% confidence interval; "
                 "dashed: the switch", fontsize=9)
    return fig


def inequality_figure(community_means: pd.DataFrame, spread: pd.DataFrame, outcomes: list[str],
                      title: str) -> Figure:
    """Each community's mean over the last year, communities ranked from lowest to highest: one panel per outcome,
    one line per configuration; the legend gives the standard deviation across communities with its 95% CI."""
    shown = [o for o in outcomes if o in set(community_means["outcome"])]
    fig, axes = panels(max(1, len(shown)), width=5.0, height=3.2, columns=2)
    configs = list(dict.fromkeys(community_means["configuration"]))
    labels = []
    for ax, outcome in zip(axes, shown, strict=False):
        for i, name in enumerate(configs):
            d = community_means[(community_means["outcome"] == outcome) & (community_means["configuration"] == name)]
            values = np.sort(d["value"].to_numpy(float))
            ax.plot(np.arange(1, len(values) + 1), values, color=colour(i), ls=line_style(i), lw=1.4,
                    marker=".", ms=3)
        outcome_axis(ax, outcome, community_means.loc[community_means["outcome"] == outcome, "value"])
        ax.set_xlabel("communities, ranked from lowest to highest", fontsize=8)
        ax.set_title(outcome.replace("_", " "), fontsize=9)
        ax.tick_params(labelsize=7)
        ax.grid(alpha=0.3)
    for name in configs:
        parts = []
        for outcome in shown:
            row = spread[(spread["configuration"] == name) & (spread["outcome"] == outcome)
                         & (spread["statistic"] == "sd")]
            if len(row):
                r = row.iloc[0]
                parts.append(f"sd of {outcome.replace('_', ' ')} {r['mean']:.3f} [{r['ci_low']:.3f}, "
                             f"{r['ci_high']:.3f}]")
        labels.append(f"{name}: {'; '.join(parts)}" if parts else name)
    handles = [Line2D([], [], color=colour(i), ls=line_style(i)) for i in range(len(configs))]
    legend_below(fig, handles, labels, columns=1)
    fig.suptitle(f"{title}: inequality across communities - each community's mean over the last year (averaged "
                 "over replications)\nlegend: standard deviation across communities, mean and 95% CI over "
                 "replications", fontsize=9)
    return fig
