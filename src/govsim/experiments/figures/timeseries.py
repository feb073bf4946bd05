"""Outcomes over time: one line and band per group of runs, and a caption that says what they are.

The figure never pools configurations under a promise it cannot keep:

* :func:`configuration_bands`: one line per configuration, its mean over
  replications; the band is a 95% confidence interval of that mean.
* :func:`family_bands`: for designs with many configurations, one line per
  *family* of configurations (e.g. the role splits where service has the
  largest share): the mean of its configurations' means, and as band the
  10th-90th percentile of those means - how much the configurations differ,
  not a confidence interval.
* :func:`pooled_bands`: for designs too large to keep configuration by
  configuration, one line per scenario over all its runs, labelled as pooled.
"""

from __future__ import annotations

import textwrap
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import pandas as pd
from matplotlib.figure import Figure
from matplotlib.lines import Line2D

from govsim.experiments.figures.style import colour, legend_below, line_style, outcome_axis, panels


@dataclass
class Band:
    """One group's line and band for every outcome: arrays over ``step``."""

    label: str
    step: np.ndarray
    mean: dict[str, np.ndarray]
    low: dict[str, np.ndarray]
    high: dict[str, np.ndarray]


def _series(frame: pd.DataFrame, outcome: str, column: str) -> np.ndarray:
    return frame[frame["outcome"] == outcome].sort_values("step")[column].to_numpy(float)


def configuration_bands(table: pd.DataFrame, label: Callable[[pd.Series], str]) -> list[Band]:
    """One band per configuration (a table at configuration level): mean and 95% CI over replications."""
    bands = []
    outcomes = list(dict.fromkeys(table["outcome"]))
    for _, group in table.groupby("config_id", sort=False):
        first = group.iloc[0]
        steps = np.sort(group["step"].unique())
        bands.append(Band(label(first), steps, {o: _series(group, o, "mean") for o in outcomes},
                          {o: _series(group, o, "ci_low") for o in outcomes},
                          {o: _series(group, o, "ci_high") for o in outcomes}))
    return bands


def family_bands(table: pd.DataFrame, family: Callable[[pd.Series], str], order: list[str] | None = None,
                 low: float = 10, high: float = 90) -> list[Band]:
    """One band per family of configurations: the mean of their means, and the ``low``-``high`` percentiles.

    ``order`` lists family names in the order to draw them (others follow as met).
    """
    configs = table.drop_duplicates("config_id").copy()
    configs["_family"] = [family(row) for _, row in configs.iterrows()]
    of = dict(zip(configs["config_id"], configs["_family"], strict=True))
    data = table.assign(_family=table["config_id"].map(of))
    met = list(dict.fromkeys(configs["_family"]))
    names = [n for n in (order or []) if n in met] + [n for n in met if n not in (order or [])]
    bands = []
    for name in names:
        part = data[data["_family"] == name]
        n = part["config_id"].nunique()
        wide = part.pivot_table(index=["outcome", "step"], columns="config_id", values="mean")
        steps = np.sort(part["step"].unique())
        mean, lo, hi = {}, {}, {}
        for outcome in dict.fromkeys(part["outcome"]):
            values = wide.loc[outcome].reindex(steps).to_numpy(float)
            mean[outcome] = np.nanmean(values, axis=1)
            lo[outcome] = np.nanpercentile(values, low, axis=1)
            hi[outcome] = np.nanpercentile(values, high, axis=1)
        bands.append(Band(f"{name} ({n} configuration{'s' if n != 1 else ''})", steps, mean, lo, hi))
    return bands


def pooled_bands(table: pd.DataFrame) -> list[Band]:
    """One band per scenario (a table at scenario level): the mean over all its runs and its 95% interval."""
    bands = []
    outcomes = list(dict.fromkeys(table["outcome"]))
    for scenario, group in table.groupby("scenario", sort=False):
        steps = np.sort(group["step"].unique())
        n = int(group["configurations"].iloc[0])
        bands.append(Band(f"{scenario} (pooled over {n:,} configurations)", steps,
                          {o: _series(group, o, "mean") for o in outcomes},
                          {o: _series(group, o, "ci_low") for o in outcomes},
                          {o: _series(group, o, "ci_high") for o in outcomes}))
    return bands


def timeseries_figure(bands: list[Band], outcomes: list[str], title: str, caption: str) -> Figure:
    """Each outcome against the day, one line and band per group; ``caption`` says what lines and bands are."""
    fig, axes = panels(len(outcomes), height=2.8)
    handles = []
    for i, band in enumerate(bands):
        c, style = colour(i), line_style(i)
        handles.append(Line2D([], [], color=c, ls=style, lw=1.6))
        for ax, outcome in zip(axes, outcomes, strict=True):
            if outcome not in band.mean:
                continue
            ax.plot(band.step, band.mean[outcome], color=c, ls=style, lw=1.4)
            ax.fill_between(band.step, band.low[outcome], band.high[outcome], color=c, alpha=0.18, lw=0)
    for ax, outcome in zip(axes, outcomes, strict=True):
        values = np.concatenate([b.high[outcome] for b in bands if outcome in b.high] or [np.zeros(1)])
        outcome_axis(ax, outcome, values)
        ax.set_title(outcome.replace("_", " "), fontsize=9)
        ax.set_xlabel("day", fontsize=8)
        ax.tick_params(labelsize=7)
        ax.grid(alpha=0.3)
    legend_below(fig, handles, [b.label for b in bands], columns=3)
    fig.suptitle(f"{title}\n" + "\n".join(textwrap.wrap(caption, 150)), fontsize=9)
    return fig
