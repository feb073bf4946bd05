"""Statistics of a results folder: confidence intervals, paired differences, indices, time series.

* :func:`summarise`: each outcome's final value and mean over the kept steps
  per configuration: mean, standard deviation and 95% confidence interval
  (Student's t) over replications.
* :func:`paired_differences`: each scenario minus the reference at the same
  design values and replication.  Replication ``r`` of every scenario uses
  the same seed (common random numbers), so the pairs share their chance
  events and the paired interval is narrower than an unpaired one; both
  half-widths are given.
* :func:`indices_over_points`: what a design kind needs for its sensitivity
  indices (the mean over replications at each design point).
* :func:`summarise_series`: the mean and 95% interval of each outcome at each
  step, per configuration (or pooled per scenario for very large designs),
  reading the time series one file at a time and keeping only sums, so
  memory stays bounded however many runs there are.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import pandas as pd
import pyarrow.parquet as pq

from govsim.errors import InputError
from govsim.experiments import integrity
from govsim.experiments.analysis.results import Results
from govsim.experiments.experiment import kept_steps

SERIES_CELLS = 4_000_000
"""Configurations x kept steps x outcomes up to which the time series are summarised per configuration."""


def t_quantile(n: np.ndarray | pd.Series | float) -> np.ndarray:
    """The 97.5% quantile of Student's t with n - 1 degrees of freedom (scipy.special: light to import)."""
    from scipy.special import stdtrit

    return np.asarray(stdtrit(np.maximum(np.asarray(n, dtype=float) - 1, 1), 0.975))


def t_interval(mean: np.ndarray | pd.Series, sd: np.ndarray | pd.Series,
               n: np.ndarray | pd.Series) -> tuple[np.ndarray, np.ndarray]:
    """95% confidence interval of a mean from its sample standard deviation (NaN for n < 2)."""
    n = np.asarray(n, dtype=float)
    with np.errstate(invalid="ignore", divide="ignore"):
        half = np.where(n > 1, t_quantile(n) * np.asarray(sd, dtype=float) / np.sqrt(n), np.nan)
    return np.asarray(mean, dtype=float) - half, np.asarray(mean, dtype=float) + half


def summarise(results: Results) -> pd.DataFrame:
    """Mean, sd and 95% CI over replications, per configuration, outcome and statistic."""
    ok = results.ok
    keys = ["scenario", "point", *results.table_keys]
    frames = []
    for stat in results.statistics:
        columns = [f"{o}_{stat}" for o in results.outcomes]
        long = ok[keys + columns].melt(id_vars=keys, value_vars=columns, var_name="outcome", value_name="value")
        long["outcome"] = long["outcome"].str.removesuffix(f"_{stat}")
        long["statistic"] = stat
        frames.append(long)
    long = pd.concat(frames, ignore_index=True)
    if not len(long):
        return pd.DataFrame(columns=[*keys, "outcome", "statistic", "n", "mean", "sd", "ci_low", "ci_high"])
    grouped = long.groupby([*keys, "outcome", "statistic"], sort=False, dropna=False)["value"]
    table = grouped.agg(n="count", mean="mean", sd="std").reset_index()
    low, high = t_interval(table["mean"], table["sd"], table["n"])
    table = pd.concat([table, pd.DataFrame({"ci_low": low, "ci_high": high})], axis=1)  # not column by column
    return order_rows(table, results, keys)


def paired_differences(results: Results, reference: str) -> pd.DataFrame:
    """Each scenario minus ``reference`` at the same design values and replication (common random numbers).

    Runs are paired by what they are - the values the design gave them and
    their replication - never by a recorded position.
    """
    from scipy.special import stdtr

    ok = results.ok
    keys = results.design_keys
    ref = ok[ok["scenario"] == reference]
    measures = [(o, stat) for stat in results.statistics for o in results.outcomes]
    columns = [f"{o}_{stat}" for o, stat in measures]
    frames = []
    for scenario in results.scenarios:
        if scenario == reference:
            continue
        other = ok[ok["scenario"] == scenario]
        pairs = other[["point", "replication", *keys, *columns]].merge(
            ref[["replication", *keys, *columns]], on=["replication", *keys], suffixes=("", "_ref"))
        if not len(pairs):
            continue
        a = pairs[columns].to_numpy(float)
        b = pairs[[f"{c}_ref" for c in columns]].to_numpy(float)
        wide = pd.DataFrame(np.hstack([a - b, a, b]), columns=[*(f"d:{c}" for c in columns),
                                                                 *(f"a:{c}" for c in columns),
                                                                 *(f"b:{c}" for c in columns)])
        wide["point"] = pairs["point"].to_numpy()
        grouped = wide.groupby("point", sort=True)
        mean, sd, var, n = grouped.mean(), grouped.std(ddof=1), grouped.var(ddof=1), grouped.size()
        labels = pairs.drop_duplicates("point").set_index("point").loc[mean.index, keys]
        for c, (outcome, stat) in zip(columns, measures, strict=True):
            m, d_sd = mean[f"d:{c}"].to_numpy(), sd[f"d:{c}"].to_numpy()
            k = n.loc[mean.index].to_numpy(float)
            lo, hi = t_interval(m, d_sd, k)
            with np.errstate(invalid="ignore", divide="ignore"):
                t = m / (d_sd / np.sqrt(k))
                p = np.where(d_sd > 0, 2 * stdtr(np.maximum(k - 1, 1), -np.abs(t)), np.where(m == 0, 1.0, 0.0))
                p = np.where(k > 1, p, np.nan)
                # The interval without pairing (Welch-like), to show what common random numbers buy.
                spread = np.sqrt((var[f"a:{c}"].to_numpy() + var[f"b:{c}"].to_numpy()) / k)
                unpaired = np.where(k > 1, t_quantile(k) * spread, np.nan)
            frame = pd.DataFrame({"scenario": scenario, "reference": reference, "point": mean.index.to_numpy()})
            for key in keys:
                frame[key] = labels[key].to_numpy()
            frame = frame.assign(outcome=outcome, statistic=stat, n=k.astype(int), difference=m, sd=d_sd,
                                 ci_low=lo, ci_high=hi, p_value=p, halfwidth=hi - m, unpaired_halfwidth=unpaired)
            frames.append(frame)
    if not frames:
        return pd.DataFrame()
    return order_rows(pd.concat(frames, ignore_index=True), results, ["scenario", "point", *keys])


def order_rows(table: pd.DataFrame, results: Results, keys: list[str]) -> pd.DataFrame:
    """Rows in the experiment's order of statistics, scenarios, points and outcomes."""
    scen = {s: i for i, s in enumerate(results.scenarios)}
    outc = {o: i for i, o in enumerate(results.outcomes)}
    stat = {s: i for i, s in enumerate(results.statistics)}
    order = pd.DataFrame({"s": table["scenario"].map(scen), "p": table["point"], "o": table["outcome"].map(outc),
                          "t": table["statistic"].map(stat)})
    index = order.sort_values(["t", "s", "p", "o"], kind="stable").index
    return table.loc[index].reset_index(drop=True)


def point_means(results: Results, scenario: str, outcome: str, stat: str = "mean") -> np.ndarray:
    """The mean over replications at every design point of ``scenario``, in design order (NaN where none)."""
    ok = results.ok[results.ok["scenario"] == scenario]
    by_config = ok.groupby("config_id")[f"{outcome}_{stat}"].mean()
    cells = results.design[results.design["scenario"] == scenario].sort_values("point")
    return cells["config_id"].map(by_config).to_numpy(float)


def replication_values(results: Results, scenario: str, outcome: str, stat: str = "mean") -> np.ndarray:
    """Each replication's value at every design point of ``scenario`` (replications x points; NaN where none)."""
    ok = results.ok[results.ok["scenario"] == scenario]
    cells = results.design[results.design["scenario"] == scenario].sort_values("point")
    wide = ok.pivot_table(index="replication", columns="config_id", values=f"{outcome}_{stat}", aggfunc="mean")
    return wide.reindex(index=range(results.replications), columns=cells["config_id"]).to_numpy(float)


def indices_over_points(results: Results, compute: Callable[[np.ndarray, np.ndarray, int], list[dict[str, float]]],
                        ) -> tuple[pd.DataFrame | None, list[str]]:
    """Sensitivity indices per scenario and outcome, from each design point's mean over replications.

    ``compute(x, y, seed)`` gets the raw sample (points x factors), the point
    means and a seed for bootstrap intervals, and returns one row per factor.
    An outcome with a point not yet run, or the same at every point, gets a note instead.
    """
    names = results.manifest["design"]["problem"]["names"]
    seed = int(results.manifest["seed"]) % 2**32
    rows: list[dict[str, object]] = []
    notes: list[str] = []
    for scenario in results.scenarios:
        cells = results.design[results.design["scenario"] == scenario].sort_values("point")
        x = cells[[f"sample.{n}" for n in names]].to_numpy(float)
        done = cells["config_id"].isin(results.ok["config_id"]).to_numpy()
        if not done.all():
            notes.append(f"sensitivity in {scenario}: {int((~done).sum())} design points have no finished run yet; "
                         "no indices")
            continue
        for outcome in results.outcomes:
            y = point_means(results, scenario, outcome)
            if np.isnan(y).any():
                notes.append(f"sensitivity of {outcome} in {scenario}: undefined at {int(np.isnan(y).sum())} design "
                             "points (nothing to measure on any kept day); no indices")
                continue
            if np.ptp(y) == 0:
                notes.append(f"sensitivity of {outcome} in {scenario}: the outcome is the same at every design "
                             "point; no indices")
                continue
            rows += [{"scenario": scenario, "outcome": outcome, **r} for r in compute(x, y, seed)]
    return (pd.DataFrame(rows) if rows else None), notes


# --- time series ---------------------------------------------------------------------------------


@dataclass
class SeriesSummary:
    """Mean and 95% CI of each outcome at each kept step, per group of runs.

    Attributes:
        table: one row per group, step and outcome: the group's labels, ``step``, ``outcome``,
            ``n`` (runs), ``configurations`` (how many the group pools), ``mean``, ``ci_low``, ``ci_high``.
        level: ``"configuration"`` (each group one configuration: n is its replications, the
            interval a confidence interval over them) or ``"scenario"`` (each group every
            configuration of a scenario, pooled: too many to keep one by one).
    """

    table: pd.DataFrame
    level: str


def summarise_series(results: Results, outcomes: list[str] | None = None) -> SeriesSummary:
    """Mean and 95% CI of every outcome at every kept step, reading one time series file at a time."""
    ok = results.ok
    outcomes = list(outcomes or results.outcomes)
    m = results.manifest
    steps = np.asarray(kept_steps(m["steps"], m["burn_in"], m["record_every"]))
    configs = ok["config_id"].nunique()
    if configs * len(steps) * len(outcomes) <= SERIES_CELLS:
        level, keys = "configuration", ["scenario", "point", "config_id", *results.table_keys]
    else:
        level, keys = "scenario", ["scenario"]
    labels = ok[keys].drop_duplicates().reset_index(drop=True)
    if not len(labels):
        return SeriesSummary(pd.DataFrame(), level)
    labels["group"] = np.arange(len(labels))
    columns = list(dict.fromkeys(["run_id", "config_id", *keys]))
    membership = ok[columns].merge(labels, on=keys)
    pooled = membership.groupby("group")["config_id"].nunique()

    n_groups, n_steps, n_out = len(labels), len(steps), len(outcomes)
    total = np.zeros((n_groups, n_steps, n_out))
    squares = np.zeros_like(total)
    count = np.zeros((n_groups, n_steps))
    folder = results.root / "timeseries"
    for run_id, group in zip(membership["run_id"], membership["group"], strict=True):
        path = folder / f"part-{run_id}.parquet"
        problem = integrity.part_problem(path, run_id, n_steps, outcomes)
        if problem is None:
            try:
                table = pq.read_table(path, columns=["step", *outcomes], page_checksum_verification=True)
            except Exception as e:  # damage the footer check could not see
                problem = f"cannot be read ({type(e).__name__}: {e})"
        if problem is not None:
            raise InputError(f"damaged: {problem}; {results.repair_hint()}", source=str(path))
        at = np.searchsorted(steps, table.column("step").to_numpy())
        values = np.column_stack([table.column(o).to_numpy(zero_copy_only=False) for o in outcomes])
        total[group, at] += values
        squares[group, at] += values**2
        count[group, at] += 1
    with np.errstate(invalid="ignore", divide="ignore"):
        mean = total / count[..., None]
        var = (squares - count[..., None] * mean**2) / (count[..., None] - 1)
        sd = np.sqrt(np.maximum(var, 0))
    lo, hi = t_interval(mean, sd, np.broadcast_to(count[..., None], mean.shape))
    gi, si, oi = np.meshgrid(np.arange(n_groups), np.arange(n_steps), np.arange(n_out), indexing="ij")
    frame = labels.drop(columns="group").iloc[gi.ravel()].reset_index(drop=True)
    frame["step"] = steps[si.ravel()]
    frame["outcome"] = np.asarray(outcomes)[oi.ravel()]
    frame["n"] = count[gi.ravel(), si.ravel()].astype(int)
    frame["configurations"] = pooled.reindex(np.arange(n_groups)).fillna(0).astype(int).to_numpy()[gi.ravel()]
    frame["mean"], frame["ci_low"], frame["ci_high"] = mean.ravel(), lo.ravel(), hi.ravel()
    return SeriesSummary(frame, level)
