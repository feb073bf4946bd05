"""Figures of one city run: the rollout as it shows in the data.

* by wave: an outcome's mean over the communities of each rollout wave, with
  the wave's switch date marked — reformed communities part from those not
  yet reformed at their date;
* a strip per community (rows sorted by switch date, then district) of the
  outcome month by month, with each community's switch marked.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from matplotlib.figure import Figure

from govsim.outcomes import BY_NAME
from govsim.plotting import PALETTE, latin

WAVE_NAMES = {0: "never", 1: "first wave", 2: "second wave", 3: "third wave"}


def waves(communities: pd.DataFrame) -> pd.Series:
    """Each community's wave, numbered by its switch day (1 = the earliest; 0 = never switches)."""
    days = sorted(d for d in communities["switch_day"].unique() if d >= 0)
    number = {d: i + 1 for i, d in enumerate(days)}
    return communities["switch_day"].map(lambda d: number.get(d, 0)).rename("wave")


def plot_city(community_df: pd.DataFrame, communities: pd.DataFrame, title: str = "",
              outcomes: tuple[str, ...] = ("satisfaction", "welfare_days", "upward_flow")) -> Figure:
    """The city's rollout: each outcome by wave over time, and a month-by-community strip of the first one."""
    wave = waves(communities).set_axis(communities["community"])
    df = community_df.assign(wave=community_df["community"].map(wave).astype(int))
    fig = Figure(figsize=(14, 3.4 * (len(outcomes) + 1) / 2 + 1.5), layout="constrained")
    grid = fig.add_gridspec(2, len(outcomes), height_ratios=(1, 1.2))
    switch = communities.set_index("community")["switch_day"]
    for i, name in enumerate(outcomes):
        o = BY_NAME[name]
        ax = fig.add_subplot(grid[0, i])
        means = df.groupby(["wave", "step"], observed=True)[name].mean()
        for w, colour in zip(sorted(df["wave"].unique()), PALETTE, strict=False):
            series = means.loc[w]
            ax.plot(series.index, series.to_numpy(), color=colour, lw=1.2,
                    label=f"{WAVE_NAMES.get(w, f'wave {w}')} ({(wave == w).sum()})")
            day = switch[wave == w].iloc[0] if w else -1
            if day >= 0:
                ax.axvline(day, color=colour, ls="--", lw=0.8)
        ax.set_title(latin(o.meaning), fontsize=9, wrap=True)
        ax.set_xlabel("day from 1 January 2009")
        ax.set_ylabel(o.unit)
        if o.high is not None:
            ax.set_ylim(o.low, o.high)
        else:
            ax.set_ylim(bottom=o.low)
        ax.grid(alpha=0.3)
        ax.legend(fontsize=7, loc="upper center", bbox_to_anchor=(0.5, -0.28), ncol=2, frameon=False)
    # The strip: one row per community, one column per 30 days.
    name = outcomes[0]
    order = communities.assign(wave=wave.to_numpy()).sort_values(["switch_day", "district", "community"])
    month = (df["step"] - 1) // 30
    table = df.assign(month=month).pivot_table(index="community", columns="month", values=name, observed=True)
    table = table.loc[order["community"]]
    ax = fig.add_subplot(grid[1, :])
    o = BY_NAME[name]
    image = ax.imshow(table.to_numpy(), aspect="auto", cmap="viridis", interpolation="nearest",
                      vmin=o.low, vmax=o.high if o.high is not None else np.nanmax(table.to_numpy()))
    days = order["switch_day"].to_numpy()
    rows = np.arange(len(order))
    ax.scatter(np.where(days >= 0, days / 30 - 0.5, np.nan), rows, marker="|", color="white", s=18, lw=1.2,
               edgecolors="black", label="switch to three levels (white mark)")
    ax.set_xlabel("month from January 2009")
    ax.set_ylabel("community (sorted by switch date, district)")
    ax.set_yticks([])
    ax.set_title(f"{latin(o.meaning).rstrip('.')}, by community and month", fontsize=9)
    ax.legend(fontsize=7, loc="lower right", frameon=True, facecolor="0.6")
    bar = fig.colorbar(image, ax=ax, fraction=0.03, pad=0.01)
    bar.set_label(o.unit)
    if title:
        fig.suptitle(title, fontsize=11)
    return fig
