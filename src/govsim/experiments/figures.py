"""Figures of an analysed results folder (matplotlib PNGs, no display needed).

* ``timeseries.png``: the main outcomes over time, mean and 95% band per scenario (or design point).
* ``parameter_<key>.png``: the main outcomes against each parameter the design varies.
* ``ternary_<group>[_<scenario>].png``: a simplex of shares that sum to 1 (the centre's role
  emphasis), each design point coloured by an outcome.
* ``sensitivity.png``: Sobol indices (S1, ST) or Morris mu* and sigma per parameter.
"""

from __future__ import annotations

import math
from pathlib import Path

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt
import matplotlib.tri as mtri
import numpy as np
import pandas as pd

from govsim.files import atomic_path
from govsim.params import SCHEMA, SHARE_GROUPS

DPI = 110


def draw_all(analysis, out: Path) -> list[Path]:
    """Every figure the design allows; returns the files written."""
    from govsim.experiments.analysis import main_outcomes

    results = analysis.results
    outcomes = main_outcomes(results.outcomes)
    name = results.manifest["experiment"]["name"]
    written = []
    if analysis.series is not None and len(analysis.series):
        pooled = "point" not in analysis.series.columns and results.design_keys
        title = f"{name} (pooled over {results.manifest['design']['points']} design points)" if pooled else name
        written.append(_save(timeseries_figure(analysis.series, outcomes, title), out / "timeseries.png"))
    keys = results.design_keys
    for group, members in SHARE_GROUPS.items():
        if len(members) == 3 and all(k in keys for k in members):
            for scenario in results.scenarios:
                fig = ternary_figure(analysis.summary[analysis.summary["scenario"] == scenario], members, outcomes,
                                     f"{name}: {scenario}" if len(results.scenarios) > 1 else name)
                suffix = f"_{scenario}" if len(results.scenarios) > 1 else ""
                written.append(_save(fig, out / f"ternary_{group}{suffix}.png"))
    for key in keys:
        if SCHEMA[key].kind is not bool or results.ok[key].nunique() > 1:
            written.append(_save(parameter_figure(results.ok, key, outcomes, results.scenarios, name),
                                 out / f"parameter_{key}.png"))
    if analysis.sensitivity is not None and len(analysis.sensitivity):
        written.append(_save(sensitivity_figure(analysis.sensitivity, outcomes, name), out / "sensitivity.png"))
    return written


def _save(fig, path: Path) -> Path:
    with atomic_path(path) as tmp:
        fig.savefig(tmp, dpi=DPI, format="png")
    plt.close(fig)
    return path


def _grid(n: int, width: float = 4.0, height: float = 3.0):
    cols = min(3, n)
    rows = math.ceil(n / cols)
    fig, axes = plt.subplots(rows, cols, figsize=(width * cols, height * rows), squeeze=False,
                             constrained_layout=True)
    for ax in axes.flat[n:]:
        ax.set_visible(False)
    return fig, list(axes.flat[:n])


def _label(outcome: str) -> str:
    return outcome.replace("_", " ")


def timeseries_figure(series: pd.DataFrame, outcomes: list[str], title: str) -> plt.Figure:
    """Each outcome against the day: mean over replications and its 95% confidence band, per group."""
    keys = [c for c in series.columns if c not in ("step", "outcome", "n", "mean", "ci_low", "ci_high")]
    fig, axes = _grid(len(outcomes))
    groups = series[keys].drop_duplicates()
    colours = plt.rcParams["axes.prop_cycle"].by_key()["color"]
    for ax, outcome in zip(axes, outcomes, strict=True):
        data = series[series["outcome"] == outcome]
        for i, labels in enumerate(groups.itertuples(index=False)):
            mask = np.ones(len(data), dtype=bool)
            for k, v in zip(keys, labels, strict=True):
                mask &= (data[k] == v).to_numpy()
            d = data[mask].sort_values("step")
            label = " ".join(str(v) if k == "scenario" else f"{k.rsplit('.', 1)[-1]}={_short(v)}"
                             for k, v in zip(keys, labels, strict=True) if k != "point")
            c = colours[i % len(colours)]
            ax.plot(d["step"], d["mean"], color=c, lw=1.4, label=label)
            # Outcomes are shares: a band past 0 or 1 (few replications) is cut at the bounds.
            ax.fill_between(d["step"], d["ci_low"].clip(0, 1), d["ci_high"].clip(0, 1), color=c, alpha=0.2, lw=0)
        ax.set_title(_label(outcome), fontsize=10)
        ax.set_xlabel("day")
        ax.grid(alpha=0.3)
    axes[0].legend(fontsize=7, loc="best")
    fig.suptitle(f"{title}: mean and 95% confidence band over replications", fontsize=11)
    return fig


def _short(v) -> str:
    return f"{v:.3g}" if isinstance(v, float) else str(v)


def parameter_figure(ok: pd.DataFrame, key: str, outcomes: list[str], scenarios: list[str],
                     title: str) -> plt.Figure:
    """Each outcome's mean over kept days against one varied parameter: runs as dots, the mean per value as a line."""
    fig, axes = _grid(len(outcomes))
    colours = plt.rcParams["axes.prop_cycle"].by_key()["color"]
    for ax, outcome in zip(axes, outcomes, strict=True):
        column = f"{outcome}_mean"
        for i, scenario in enumerate(scenarios):
            d = ok[ok["scenario"] == scenario]
            if not len(d):
                continue
            x = d[key].astype(float)
            c = colours[i % len(colours)]
            ax.scatter(x, d[column], s=6, alpha=0.35, color=c, lw=0)
            if x.nunique() <= 25:  # a grid: join the means at each value
                means = d.groupby(key)[column].mean()
                ax.plot(means.index.astype(float), means.to_numpy(), color=c, lw=1.5, marker="o", ms=3,
                        label=scenario)
            else:
                ax.plot([], [], color=c, marker="o", ls="", label=scenario)
        ax.set_xlabel(key)
        ax.set_title(_label(outcome), fontsize=10)
        ax.grid(alpha=0.3)
    if len(scenarios) > 1:
        axes[0].legend(fontsize=7, loc="best")
    unit = SCHEMA[key].unit
    fig.suptitle(f"{title}: outcomes (mean over kept days) against {key}" + (f" [{unit}]" if unit else ""),
                 fontsize=11)
    return fig


def barycentric(a, b, c) -> tuple[np.ndarray, np.ndarray]:
    """Shares (a, b, c) summing to 1 to x, y in an equilateral triangle with a at the top."""
    a, b, c = (np.asarray(v, dtype=float) for v in (a, b, c))
    x = c + a / 2
    y = a * math.sqrt(3) / 2
    return x, y


def ternary_axes(ax, names: tuple[str, str, str]) -> None:
    """Draw a ternary frame with grid lines at tenths, corners labelled by ``names`` (top, left, right)."""
    h = math.sqrt(3) / 2
    ax.plot([0, 1, 0.5, 0], [0, 0, h, 0], color="black", lw=1)
    for t in np.arange(0.2, 1.0, 0.2):
        for p, q in (((t, 0, 1 - t), (t, 1 - t, 0)), ((0, t, 1 - t), (1 - t, t, 0)), ((0, 1 - t, t), (1 - t, 0, t))):
            x, y = barycentric(*zip(p, q, strict=True))
            ax.plot(x, y, color="grey", lw=0.4, alpha=0.6)
    ax.text(0.5, h + 0.04, names[0], ha="center", va="bottom", fontsize=8)
    ax.text(-0.02, -0.04, names[1], ha="center", va="top", fontsize=8)
    ax.text(1.02, -0.04, names[2], ha="center", va="top", fontsize=8)
    ax.set_xlim(-0.12, 1.12)
    ax.set_ylim(-0.12, h + 0.12)
    ax.set_aspect("equal")
    ax.axis("off")


def ternary_figure(summary: pd.DataFrame, members: tuple[str, ...], outcomes: list[str], title: str) -> plt.Figure:
    """The simplex of three shares, each design point coloured by an outcome's mean over replications."""
    fig, axes = _grid(min(len(outcomes), 6), width=4.0, height=3.8)
    names = tuple(m.rsplit(".", 1)[-1] for m in members)
    data = summary[summary["statistic"] == "mean"]
    for ax, outcome in zip(axes, outcomes, strict=False):
        d = data[data["outcome"] == outcome]
        ternary_axes(ax, names)
        if not len(d):
            continue
        x, y = barycentric(d[members[0]], d[members[1]], d[members[2]])
        z = d["mean"].to_numpy(float)
        if len(d) >= 6:
            try:
                tri = mtri.Triangulation(x, y)
                cs = ax.tricontourf(tri, z, levels=12, cmap="viridis")
            except (ValueError, RuntimeError):
                cs = None
        else:
            cs = None
        sc = ax.scatter(x, y, c=z, cmap="viridis", s=18, edgecolors="white", linewidths=0.4,
                        vmin=cs.get_clim()[0] if cs else None, vmax=cs.get_clim()[1] if cs else None, zorder=3)
        best = int(np.nanargmax(z))
        ax.scatter([x[best]], [y[best]], marker="*", s=120, color="red", edgecolors="white", zorder=4)
        fig.colorbar(sc, ax=ax, shrink=0.7)
        ax.set_title(f"{_label(outcome)} (★ highest)", fontsize=10)
    fig.suptitle(f"{title}: role emphasis ({', '.join(names)}) and outcomes, mean over replications", fontsize=11)
    return fig


def sensitivity_figure(table: pd.DataFrame, outcomes: list[str], title: str) -> plt.Figure:
    """Sobol first-order and total indices, or Morris mu* with its confidence and sigma, per parameter."""
    sobol = "ST" in table.columns
    shown = [o for o in outcomes if o in set(table["outcome"])]
    scenario = table["scenario"].iloc[0]
    table = table[table["scenario"] == scenario]
    fig, axes = _grid(len(shown), width=4.4, height=3.4)
    for ax, outcome in zip(axes, shown, strict=True):
        d = table[table["outcome"] == outcome]
        names = [n.split(".", 1)[-1] for n in d["parameter"]]
        y = np.arange(len(d))
        if sobol:
            ax.barh(y - 0.2, d["S1"], 0.4, xerr=d["S1_conf"], label="S1", color="tab:blue")
            ax.barh(y + 0.2, d["ST"], 0.4, xerr=d["ST_conf"], label="ST", color="tab:orange")
            ax.set_xlabel("Sobol index")
        else:
            ax.barh(y, d["mu_star"], 0.6, xerr=d["mu_star_conf"], label="mu*", color="tab:blue")
            ax.plot(d["sigma"], y, "o", color="tab:red", ms=4, label="sigma")
            ax.set_xlabel("elementary effect")
        ax.set_yticks(y, names, fontsize=7)
        ax.invert_yaxis()
        ax.set_title(_label(outcome), fontsize=10)
        ax.grid(alpha=0.3, axis="x")
    if shown:
        axes[0].legend(fontsize=7, loc="best")
    kind = "Sobol indices" if sobol else "Morris elementary effects"
    fig.suptitle(f"{title} ({scenario}): {kind} of each outcome's mean over kept days", fontsize=11)
    return fig
