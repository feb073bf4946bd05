"""Summaries of a results folder: confidence intervals, paired differences, sensitivity indices.

:func:`analyze` reads a results folder (finished or not) and writes, into
``DIR/analysis/``, each table as Parquet and CSV:

* ``summary``: for each scenario and design point, each outcome's final value
  and mean over the kept steps: mean, standard deviation and 95% confidence
  interval (Student's t) over replications.
* ``differences``: each scenario minus the reference scenario at the same
  design point and replication.  Because replication ``r`` of every scenario
  uses the same seed (common random numbers), the pairs share their chance
  events and the paired interval is narrower than an unpaired one would be;
  both half-widths are given.
* ``sensitivity`` (Sobol or Morris designs): SALib's indices of each
  parameter for each outcome's mean over the kept steps, from the mean over
  replications at each design point.
* ``timeseries_summary``: the mean and 95% interval of each outcome at each
  step, per scenario (and design point, for small designs).

The time series are read with pyarrow one batch at a time and only sums are
kept, so memory stays bounded however many runs there are.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from govsim.errors import InputError
from govsim.experiments.runner import OK
from govsim.experiments.store import ResultStore
from govsim.files import atomic_path
from govsim.outcomes import MAIN_OUTCOMES
from govsim.params import SCHEMA

STATISTICS = ("final", "mean")
MAX_SERIES_GROUPS = 12


@dataclass
class Results:
    """A results folder read back: its manifest, design table and the rows of its runs."""

    root: Path
    manifest: dict[str, Any]
    design: pd.DataFrame
    runs: pd.DataFrame          # every recorded run of the current design, with its varied parameters

    @property
    def ok(self) -> pd.DataFrame:
        return self.runs[self.runs["status"] == OK]

    @property
    def outcomes(self) -> list[str]:
        return list(self.manifest["outcomes"])

    @property
    def design_keys(self) -> list[str]:
        return list(self.manifest["design"]["parameters"])

    @property
    def scenarios(self) -> list[str]:
        return list(self.manifest["scenarios"])


@dataclass
class Analysis:
    """What :func:`analyze` computed and wrote."""

    out: Path
    results: Results
    summary: pd.DataFrame
    differences: pd.DataFrame | None = None
    sensitivity: pd.DataFrame | None = None
    series: pd.DataFrame | None = None
    files: list[Path] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


def load_results(root: str | Path) -> Results:
    """Read a results folder (also one whose sweep is still running or was killed)."""
    root = Path(root)
    store = ResultStore(root)
    manifest = store.read_manifest()
    if manifest is None or not store.design_file.exists():
        raise InputError("holds no govsim sweep results (no manifest.json and design.parquet)", source=str(root))
    design = pd.read_parquet(store.design_file)
    rows, _ = store.read_rows()
    if len(rows):
        rows = rows.drop(columns=[c for c in rows.columns if c in SCHEMA])
        known = design.drop_duplicates("config_id")[["config_id", *manifest["varied"]]]
        rows = rows[rows["config_id"].isin(known["config_id"])
                    & (rows["replication"].astype("int64") < manifest["replications"])]
        rows = rows.merge(known, on="config_id", how="left")
        rows["replication"] = rows["replication"].astype("int64")
        rows["point"] = rows["point"].astype("int64")
    else:
        rows = pd.DataFrame(columns=["run_id", "config_id", "scenario", "point", "replication", "status"])
    return Results(root, manifest, design, rows)


def t_quantile(n) -> np.ndarray:
    """The 97.5% quantile of Student's t with n - 1 degrees of freedom (scipy.special: light to import)."""
    from scipy.special import stdtrit

    return stdtrit(np.maximum(np.asarray(n, dtype=float) - 1, 1), 0.975)


def t_interval(mean, sd, n) -> tuple[np.ndarray, np.ndarray]:
    """95% confidence interval of a mean from its sample standard deviation (NaN for n < 2)."""
    n = np.asarray(n, dtype=float)
    with np.errstate(invalid="ignore", divide="ignore"):
        half = np.where(n > 1, t_quantile(n) * np.asarray(sd) / np.sqrt(n), np.nan)
    return np.asarray(mean) - half, np.asarray(mean) + half


def summarise(results: Results) -> pd.DataFrame:
    """Mean, sd and 95% CI over replications, per scenario, design point, outcome and statistic."""
    ok = results.ok
    keys = ["scenario", "point", *results.design_keys]
    frames = []
    for stat in STATISTICS:
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
    table["ci_low"], table["ci_high"] = t_interval(table["mean"], table["sd"], table["n"])
    return _order(table, results, keys)


def differences(results: Results, reference: str) -> pd.DataFrame:
    """Each scenario minus ``reference`` at the same design point and replication (paired, common random numbers)."""
    from scipy.special import stdtr

    ok = results.ok
    ref = ok[ok["scenario"] == reference]
    columns = [f"{o}_{stat}" for stat in STATISTICS for o in results.outcomes]
    frames = []
    for scenario in results.scenarios:
        if scenario == reference:
            continue
        other = ok[ok["scenario"] == scenario]
        pairs = other[["point", "replication", *results.design_keys, *columns]].merge(
            ref[["point", "replication", *columns]], on=["point", "replication"], suffixes=("", "_ref"))
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
        labels = pairs.drop_duplicates("point").set_index("point").loc[mean.index, results.design_keys]
        for c in columns:
            outcome, stat = c.rsplit("_", 1)
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
            for key in results.design_keys:
                frame[key] = labels[key].to_numpy()
            frame = frame.assign(outcome=outcome, statistic=stat, n=k.astype(int), difference=m, sd=d_sd,
                                 ci_low=lo, ci_high=hi, p_value=p, halfwidth=hi - m, unpaired_halfwidth=unpaired)
            frames.append(frame)
    if not frames:
        return pd.DataFrame()
    table = pd.concat(frames, ignore_index=True)
    return _order(table, results, ["scenario", "point", *results.design_keys])


def _order(table: pd.DataFrame, results: Results, keys: list[str]) -> pd.DataFrame:
    """Rows in the experiment's order of scenarios, points and outcomes."""
    scen = {s: i for i, s in enumerate(results.scenarios)}
    outc = {o: i for i, o in enumerate(results.outcomes)}
    stat = {s: i for i, s in enumerate(STATISTICS)}
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


def sensitivity(results: Results) -> tuple[pd.DataFrame | None, list[str]]:
    """Sobol or Morris indices (SALib) of each design parameter for each outcome's mean over the kept steps."""
    design = results.manifest["design"]
    kind = design["kind"]
    if kind not in ("sobol", "morris"):
        return None, []
    problem = design["problem"]
    seed = int(results.manifest["seed"]) % 2**32
    rows, notes = [], []
    for scenario in results.scenarios:
        cells = results.design[results.design["scenario"] == scenario].sort_values("point")
        for outcome in results.outcomes:
            y = point_means(results, scenario, outcome)
            if np.isnan(y).any():
                notes.append(f"sensitivity of {outcome} in {scenario}: {int(np.isnan(y).sum())} design points have "
                             "no finished run yet")
                break
            if np.ptp(y) == 0:
                notes.append(f"sensitivity of {outcome} in {scenario}: the outcome is the same at every design "
                             "point; no indices")
                continue
            if kind == "sobol":
                from SALib.analyze import sobol
                si = sobol.analyze(problem, y, calc_second_order=bool(design.get("second_order")), seed=seed)
                for j, name in enumerate(problem["names"]):
                    rows.append({"scenario": scenario, "outcome": outcome, "parameter": name,
                                 "S1": si["S1"][j], "S1_conf": si["S1_conf"][j],
                                 "ST": si["ST"][j], "ST_conf": si["ST_conf"][j]})
            else:
                from SALib.analyze import morris
                x = cells[[f"sample.{n}" for n in problem["names"]]].to_numpy(float)
                si = morris.analyze(problem, x, y, num_levels=int(design["levels"]), seed=seed)
                for j, name in enumerate(problem["names"]):
                    rows.append({"scenario": scenario, "outcome": outcome, "parameter": name,
                                 "mu": si["mu"][j], "mu_star": si["mu_star"][j], "sigma": si["sigma"][j],
                                 "mu_star_conf": si["mu_star_conf"][j]})
    return (pd.DataFrame(rows) if rows else None), notes


def series_groups(results: Results) -> tuple[pd.DataFrame, list[str]]:
    """How runs are grouped for time-series summaries: by configuration if few, else by scenario."""
    ok = results.ok
    per_config = ok["config_id"].nunique() <= MAX_SERIES_GROUPS and results.design_keys
    keys = ["scenario", "point", *results.design_keys] if per_config else ["scenario"]
    groups = ok[keys].drop_duplicates().reset_index(drop=True)
    groups["group"] = np.arange(len(groups))
    return ok[["run_id", *keys]].merge(groups, on=keys)[["run_id", "group"]], keys


def summarise_series(results: Results, batch_size: int = 65_536) -> pd.DataFrame:
    """Mean and 95% CI of every outcome at every kept step, per group, streaming the time series."""
    import pyarrow.dataset as ds

    folder = results.root / "timeseries"
    membership, keys = series_groups(results)
    ok = results.ok
    labels = ok[keys].drop_duplicates().reset_index(drop=True)
    if not len(membership) or not folder.is_dir():
        return pd.DataFrame()
    outcomes = results.outcomes
    group_of = pd.Series(membership["group"].to_numpy(), index=membership["run_id"].to_numpy())
    m = results.manifest
    from govsim.experiments.spec import kept_steps
    steps = np.asarray(kept_steps(m["steps"], m["burn_in"], m["record_every"]))
    n_groups, n_steps, n_out = len(labels), len(steps), len(outcomes)
    total = np.zeros((n_groups, n_steps, n_out))
    squares = np.zeros_like(total)
    count = np.zeros((n_groups, n_steps))
    dataset = ds.dataset(folder, format="parquet")
    for batch in dataset.to_batches(columns=["run_id", "step", *outcomes], batch_size=batch_size):
        run_ids = batch.column("run_id").to_pandas()
        group = run_ids.map(group_of).to_numpy(float)
        keep = ~np.isnan(group)
        if not keep.any():
            continue
        g = group[keep].astype(int)
        s = np.searchsorted(steps, batch.column("step").to_numpy()[keep])
        values = np.column_stack([batch.column(o).to_numpy(zero_copy_only=False)[keep] for o in outcomes])
        np.add.at(total, (g, s), values)
        np.add.at(squares, (g, s), values**2)
        np.add.at(count, (g, s), 1)
    with np.errstate(invalid="ignore", divide="ignore"):
        mean = total / count[..., None]
        var = (squares - count[..., None] * mean**2) / (count[..., None] - 1)
        sd = np.sqrt(np.maximum(var, 0))
    lo, hi = t_interval(mean, sd, np.broadcast_to(count[..., None], mean.shape))
    gi, si, oi = np.meshgrid(np.arange(n_groups), np.arange(n_steps), np.arange(n_out), indexing="ij")
    frame = labels.iloc[gi.ravel()].reset_index(drop=True)
    frame["step"] = steps[si.ravel()]
    frame["outcome"] = np.asarray(outcomes)[oi.ravel()]
    frame["n"] = count[gi.ravel(), si.ravel()].astype(int)
    frame["mean"], frame["ci_low"], frame["ci_high"] = mean.ravel(), lo.ravel(), hi.ravel()
    return frame


def analyze(root: str | Path, reference: str | None = None, figures: bool = True,
            out: str | Path | None = None) -> Analysis:
    """Write the summary tables (Parquet and CSV) and figures (PNG) of a results folder into ``out``."""
    results = load_results(root)
    scenarios = results.scenarios
    reference = reference or results.manifest.get("reference")
    if reference is not None and reference not in scenarios:
        raise InputError(f"unknown scenario {reference!r}; the experiment's scenarios: {', '.join(scenarios)}",
                         key="--reference")
    out = Path(out) if out is not None else results.root / "analysis"
    analysis = Analysis(out, results, summarise(results))
    n_ok, n_all = len(results.ok), results.manifest["runs"]
    if n_ok < n_all:
        analysis.notes.append(f"{n_ok:,} of {n_all:,} runs finished ok; the tables cover those")
    if reference is not None and len(scenarios) > 1:
        analysis.differences = differences(results, reference)
    analysis.sensitivity, notes = sensitivity(results)
    analysis.notes.extend(notes)
    analysis.series = summarise_series(results)

    tables = {"summary": analysis.summary, "differences": analysis.differences,
              "sensitivity": analysis.sensitivity, "timeseries_summary": analysis.series}
    for name, table in tables.items():
        if table is None or not len(table):
            continue
        analysis.files.append(_write(table, out / f"{name}.parquet"))
        analysis.files.append(_write(table, out / f"{name}.csv"))
    if figures:
        from govsim.experiments import figures as fig
        analysis.files.extend(fig.draw_all(analysis, out))
    with atomic_path(out / "notes.json") as tmp:
        tmp.write_text(json.dumps({"reference": reference, "notes": analysis.notes}, indent=2) + "\n")
    analysis.files.append(out / "notes.json")
    return analysis


def _write(table: pd.DataFrame, path: Path) -> Path:
    with atomic_path(path) as tmp:
        if path.suffix == ".csv":
            table.to_csv(tmp, index=False, float_format="%.6g")
        else:
            table.to_parquet(tmp, index=False)
    return path


def main_outcomes(outcomes: list[str], limit: int = 9) -> list[str]:
    """The outcomes to show first: the main ones that were kept, else the first kept."""
    main = [o for o in MAIN_OUTCOMES if o in outcomes]
    return (main or list(outcomes))[:limit]


def format_summary(analysis: Analysis, limit: int = 6) -> str:
    """A few lines for the terminal: the main outcomes' means over kept days with 95% CIs, and the
    paired differences from the reference scenario (for designs of at most ``limit`` groups)."""
    results = analysis.results
    outcomes = main_outcomes(results.outcomes)
    lines = [f"{results.manifest['experiment']['name']}: {len(results.ok):,} runs finished ok "
             f"({results.manifest['replications']} replications of each configuration)"]
    lines += [f"note: {n}" for n in analysis.notes]
    keys = results.design_keys

    def label(row) -> str:
        return " ".join([row["scenario"], *(f"{k.rsplit('.', 1)[-1]}={_short(row[k])}" for k in keys)])

    s = analysis.summary
    s = s[(s["statistic"] == "mean") & s["outcome"].isin(outcomes)]
    groups = s.drop_duplicates(["scenario", "point"])
    if 0 < len(groups) <= limit:
        lines.append("")
        lines += _table("mean over kept days [95% CI]", [label(r) for _, r in groups.iterrows()], outcomes,
                        lambda i, o: _lookup(s, groups.iloc[i], o, "mean"))
    d = analysis.differences
    if d is not None and len(d):
        d = d[(d["statistic"] == "mean") & d["outcome"].isin(outcomes)]
        pairs = d.drop_duplicates(["scenario", "point"])
        if 0 < len(pairs) <= limit:
            lines.append("")
            lines += _table(f"paired difference from {d['reference'].iloc[0]}",
                            [label(r) for _, r in pairs.iterrows()], outcomes,
                            lambda i, o: _lookup(d, pairs.iloc[i], o, "difference", sign=True))
    if len(groups) > limit:
        lines.append(f"({len(groups)} scenario and design points: see the tables)")
    return "\n".join(lines)


def _short(v) -> str:
    return f"{v:.3g}" if isinstance(v, float) else str(v)


def _lookup(table: pd.DataFrame, group: pd.Series, outcome: str, column: str, sign: bool = False) -> str:
    row = table[(table["scenario"] == group["scenario"]) & (table["point"] == group["point"])
                & (table["outcome"] == outcome)]
    if not len(row):
        return ""
    r = row.iloc[0]
    return _cell(r[column], r["ci_low"], r["ci_high"], sign)


def _table(title: str, headers: list[str], outcomes: list[str], cell) -> list[str]:
    width = max(24, *(len(h) + 2 for h in headers))
    first = max(26, len(title) + 2)
    out = [title.ljust(first) + "".join(h.rjust(width) for h in headers)]
    for o in outcomes:
        out.append(o.ljust(first) + "".join(cell(i, o).rjust(width) for i in range(len(headers))))
    return out


def _cell(mean, lo, hi, sign=False) -> str:
    f = "{:+.3f}" if sign else "{:.3f}"
    if np.isnan(lo):
        return f.format(mean)
    return f"{f.format(mean)} [{f.format(lo)}, {f.format(hi)}]"
