"""Sensitivity indices per parameter: Sobol S1 and ST, or Morris mu* (with its confidence) and sigma."""

from __future__ import annotations

import numpy as np
import pandas as pd
from matplotlib.artist import Artist
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.patches import Patch

from govsim.experiments.figures.style import colour, legend_below, outcome_label, panels

MAX_BARS = 20
"""Parameters drawn per panel: a screen of a hundred shows its largest indices."""


def sensitivity_figure(table: pd.DataFrame, outcomes: list[str], title: str) -> Figure:
    """One panel per outcome (the first scenario's indices), parameters sorted as the design lists them; with more
    than :data:`MAX_BARS` parameters, the largest (by ST or mu*) in order."""
    sobol = "ST" in table.columns
    scenario = table["scenario"].iloc[0]
    table = table[table["scenario"] == scenario]
    shown = [o for o in outcomes if o in set(table["outcome"])]
    many = table["parameter"].nunique() > MAX_BARS
    fig, axes = panels(max(1, len(shown)), width=4.6, height=3.2 if not many else 4.4)
    for ax, outcome in zip(axes, shown, strict=False):
        d = table[table["outcome"] == outcome]
        if many:
            d = d.sort_values("ST" if sobol else "mu_star", ascending=False).head(MAX_BARS)
        names = [n.split(".", 1)[-1] for n in d["parameter"]]
        y = np.arange(len(d))
        if sobol:
            ax.barh(y - 0.2, d["S1"], 0.4, xerr=d["S1_conf"], color=colour(0), ecolor="black", error_kw={"lw": 0.7})
            ax.barh(y + 0.2, d["ST"], 0.4, xerr=d["ST_conf"], color=colour(1), ecolor="black", error_kw={"lw": 0.7})
            ax.set_xlabel("Sobol index [share of the outcome's variance]", fontsize=7)
            low = min(0.0, float((d["S1"] - d["S1_conf"]).min()))
            ax.set_xlim(low, max(1.0, float((d["ST"] + d["ST_conf"]).max())))
        else:
            ax.barh(y, d["mu_star"], 0.6, xerr=d["mu_star_conf"], color=colour(0), ecolor="black",
                    error_kw={"lw": 0.7})
            ax.plot(d["sigma"], y, "D", color=colour(3), ms=4)
            ax.set_xlabel(f"elementary effect: {outcome_label(outcome)}", fontsize=7)
            ax.set_xlim(0, max(float((d["mu_star"] + d["mu_star_conf"]).max()), float(d["sigma"].max())) * 1.1
                        or 1.0)
        ax.set_yticks(y, names, fontsize=7)
        ax.invert_yaxis()
        ax.tick_params(axis="x", labelsize=7)
        ax.set_title(outcome.replace("_", " "), fontsize=9)
        ax.grid(alpha=0.3, axis="x")
    if sobol:
        handles: list[Artist] = [Patch(color=colour(0)), Patch(color=colour(1))]
        labels = ["S1: first-order (the parameter alone)", "ST: total (with its interactions)"]
        what = "Sobol indices with 95% confidence"
    else:
        handles = [Patch(color=colour(0)), Line2D([], [], marker="D", color=colour(3), ls="")]
        labels = ["mu*: mean absolute effect (how much it matters), 95% confidence",
                  "sigma: spread of the effect (interactions, non-linearity)"]
        what = "Morris elementary effects"
    legend_below(fig, handles, labels, columns=2)
    largest = (f"; the {MAX_BARS} largest of {table['parameter'].nunique()} parameters per outcome (all in "
               "sensitivity.csv)") if many else ""
    fig.suptitle(f"{title} ({scenario}): {what} of each outcome's mean over kept days{largest}", fontsize=9)
    return fig
