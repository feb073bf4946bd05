"""Figures of one run's outcomes (matplotlib, no display needed)."""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")  # files only: works on servers and in CI with no display

import matplotlib.pyplot as plt  # noqa: E402
import pandas as pd  # noqa: E402

from govsim.params import GROUPS  # noqa: E402

PANELS = (
    ("Satisfaction", ["satisfaction", *(f"satisfaction_{g}" for g in GROUPS)]),
    ("Coordination: information flows", ["downward_reach", "upward_flow", "voice"]),
    ("Coordination: council and units", ["council_effectiveness", "unit_resources_mobilised", "trust", "needs_met"]),
    ("Centre's realised staff time", ["staff_time_service", "staff_time_coordination", "staff_time_management"]),
)


def plot_timeseries(df: pd.DataFrame, title: str = "") -> plt.Figure:
    """Four panels of the main outcomes against the step (day)."""
    fig, axes = plt.subplots(2, 2, figsize=(11, 7), sharex=True, constrained_layout=True)
    for ax, (panel, columns) in zip(axes.flat, PANELS, strict=True):
        for col in columns:
            lw = 2.2 if col == "satisfaction" else 1.3
            ax.plot(df["step"], df[col], label=col.replace("satisfaction_", "").replace("_", " "), lw=lw)
        ax.set_title(panel, fontsize=10)
        ax.set_ylim(0, 1)
        ax.grid(alpha=0.3)
        ax.legend(fontsize=7, loc="best")
    for ax in axes[1]:
        ax.set_xlabel("day")
    if title:
        fig.suptitle(title, fontsize=11)
    return fig
