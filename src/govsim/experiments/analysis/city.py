"""The evaluation of a city experiment: what the pilots' difference-in-differences says, against the truth.

For every run of a reformed city and its counterfactual at the same
replication (the same seed: the same random numbers until the reform) and the
same parameter values but ``city.reform``, :mod:`govsim.evaluation` gives

* the **true effect** on the pilot communities (reformed minus counterfactual,
  over the pilots' first year), and
* the **DiD estimate** an evaluator would make from the reformed city alone
  (pilots against the communities not yet reformed, before and after),

and, for every reformed run, the **event study** (reformed minus not-yet-
reformed communities by month around each wave's switch).  Each is reported
over replications as a mean and a 95% t interval (``evaluation.interval``);
the estimate minus the truth is paired by replication.  **Inequality** across
communities (the spread of each community's mean over the last year) is
summarised for every city run, reformed or not.

A run is a reformed city when its communities table has a switch day; its
counterfactual is the run of the same replication whose recorded parameters
are the same but ``city.reform``.  Each run's files are read one pair at a
time, checked first (a damaged file is named with the command that repairs
it), so memory stays that of two runs.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow.parquet as pq

from govsim import evaluation
from govsim.errors import InputError
from govsim.experiments import integrity
from govsim.experiments.analysis.results import Results
from govsim.experiments.store import COMMUNITY_COLUMNS, COMMUNITY_LABELS, ResultStore

EVALUATED = ("satisfaction", "needs_met", "service_quality", "welfare_days", "upward_flow", "downward_reach",
             "efficiency", "backlog", "council_effectiveness", "trust")
"""The outcomes an evaluation reports (those the experiment kept), in this order."""

SPREAD = ("satisfaction", "needs_met")
"""The outcomes whose spread across communities is summarised (issue 8: inequality across communities)."""

REFORM = "city.reform"
EVENT_MONTHS = 12


@dataclass
class CityEvaluation:
    """What :func:`evaluate` found.

    Attributes:
        effects: per reformed configuration and outcome: the DiD estimate, the true effect and the estimate
            minus the truth, each a mean with its 95% interval over replications (``n`` pairs).
        per_replication: the estimates and true effects of each replication (the intervals' data).
        event_study: per reformed configuration, outcome and month from the switch: the gap's mean and interval.
        inequality: per configuration (reformed or not), outcome and statistic of the spread across communities
            (``sd``, ``p10``, ``p90``, ``range``): mean and interval over replications.
        community_means: per configuration, community and outcome: the community's mean over the last year,
            averaged over replications (for the figure).
        labels: each configuration's name in tables and figures, by config_id.
        notes: what could not be evaluated, and why.
    """

    effects: pd.DataFrame
    per_replication: pd.DataFrame
    event_study: pd.DataFrame
    inequality: pd.DataFrame
    community_means: pd.DataFrame
    labels: dict[str, str] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)

    def tables(self) -> dict[str, pd.DataFrame]:
        """The tables written by ``govsim analyze`` (Parquet and CSV), by name."""
        return {"evaluation": self.effects, "evaluation_replications": self.per_replication,
                "event_study": self.event_study, "inequality": self.inequality}


class CityFiles:
    """A city run's files read back, checked first (one line naming a damaged file)."""

    def __init__(self, results: Results):
        self.results = results
        self.store = ResultStore(results.root)
        m = results.manifest
        from govsim.experiments.experiment import kept_steps

        self.steps = len(kept_steps(m["steps"], m["burn_in"], m["record_every"]))
        self.outcomes = results.outcomes

    def _read(self, path: Path, run_id: str, rows: int | None, columns: tuple[str, ...], what: str) -> pd.DataFrame:
        problem = integrity.table_problem(path, run_id, rows if rows is not None else _rows(path), columns, what)
        if problem is None:
            try:
                return pq.read_table(path, page_checksum_verification=True).to_pandas()
            except Exception as e:  # damage the footer check could not see
                problem = f"cannot be read ({type(e).__name__}: {e})"
        raise InputError(f"damaged: {problem}; {self.results.repair_hint()}", source=str(path))

    def communities(self, run_id: str) -> pd.DataFrame:
        return self._read(self.store.communities_part(run_id), run_id, None, ("run_id", *COMMUNITY_COLUMNS),
                          "communities")

    def series(self, run_id: str, communities: int) -> pd.DataFrame:
        return self._read(self.store.community_part(run_id), run_id, communities * self.steps,
                          ("run_id", *COMMUNITY_LABELS, *self.outcomes), "community-days")


def _rows(path: Path) -> int:
    """The rows a file says it has (the communities table's count is checked against the series)."""
    try:
        return pq.read_metadata(path).num_rows
    except Exception:  # the check that follows names the damage
        return -1


def is_city(results: Results) -> bool:
    """Whether a results folder holds city runs (the manifest says so)."""
    return bool(results.manifest.get("city"))


def pairs(results: Results, reformed: Callable[[str], bool]) -> Iterator[tuple[pd.Series, pd.Series | None]]:
    """Each reformed run with its counterfactual run (None when the experiment has none)."""
    ok = results.ok
    keys = [k for k in results.manifest["varied"] if k in ok.columns and k != REFORM]
    flags = {run_id: reformed(run_id) for run_id in ok["run_id"]}
    ok = ok.assign(_reformed=ok["run_id"].map(flags))
    counter = ok[~ok["_reformed"]]
    for _, run in ok[ok["_reformed"]].iterrows():
        match = counter[(counter["replication"] == run["replication"])]
        for k in keys:
            match = match[match[k] == run[k]]
        yield run, (match.iloc[0] if len(match) == 1 else None)


def evaluate(results: Results, label: Callable[[pd.Series], str]) -> CityEvaluation:
    """The evaluation of every reformed configuration of a city results folder (see the module's docstring)."""
    files = CityFiles(results)
    outcomes = [o for o in EVALUATED if o in results.outcomes]
    spread = [o for o in SPREAD if o in results.outcomes]
    tables: dict[str, pd.DataFrame] = {}

    def communities(run_id: str) -> pd.DataFrame:
        if run_id not in tables:
            tables[run_id] = files.communities(run_id)
        return tables[run_id]

    def reformed(run_id: str) -> bool:
        return bool((communities(run_id)["switch_day"] >= 0).any())

    labels: dict[str, str] = {}
    per_rep: list[dict[str, object]] = []
    events: list[pd.DataFrame] = []
    spreads: list[pd.DataFrame] = []
    means: list[pd.DataFrame] = []
    notes: list[str] = []
    seen: set[str] = set()
    missing = unmatched = 0

    def inequality_of(run: pd.Series, series: pd.DataFrame) -> None:
        labels[run["config_id"]] = label(run)
        if not spread or run["run_id"] in seen:  # a counterfactual may serve several reformed runs
            return
        seen.add(run["run_id"])
        table = evaluation.inequality(series, tuple(spread))
        table = table.assign(range=table["max"] - table["min"])[["sd", "p10", "p90", "range"]]
        long = table.reset_index(names="outcome").melt(id_vars="outcome", var_name="statistic")
        spreads.append(long.assign(config_id=run["config_id"], replication=run["replication"]))
        end = series["step"].max()
        recent = series[series["step"] > end - 365]
        m = recent.groupby("community", observed=True)[spread].mean().reset_index()
        means.append(m.melt(id_vars="community", var_name="outcome").assign(config_id=run["config_id"]))

    for run, counterfactual in pairs(results, reformed):
        comm = communities(run["run_id"])
        series = files.series(run["run_id"], len(comm))
        inequality_of(run, series)
        other = None
        if counterfactual is not None:
            other = files.series(counterfactual["run_id"], len(communities(counterfactual["run_id"])))
            inequality_of(counterfactual, other)
        else:
            missing += 1
        for outcome in outcomes:
            row: dict[str, object] = {"config_id": run["config_id"], "replication": int(run["replication"]),
                                      "outcome": outcome, "did": evaluation.did(series, comm, outcome)}
            row["true_effect"] = (evaluation.true_effect(series, other, comm, outcome) if other is not None
                                  else np.nan)
            row["counterfactual"] = counterfactual["config_id"] if counterfactual is not None else None
            per_rep.append(row)
            gap = evaluation.event_study(series, comm, outcome, EVENT_MONTHS)
            if not isinstance(gap, pd.Series) or not len(gap):  # every community switched at once: no control
                unmatched += 1
                continue
            events.append(pd.DataFrame({"config_id": run["config_id"], "replication": int(run["replication"]),
                                        "outcome": outcome, "month": gap.index.astype(int), "gap": gap.to_numpy()}))
    if unmatched:
        notes.append(f"event study: {unmatched} run-outcomes have no community left unreformed to compare with "
                     "(every community switched at once)")
    if missing:
        notes.append(f"{missing} reformed runs have no counterfactual run (the same replication and parameters with "
                     f"{REFORM} = false, e.g. the scenario guiyang_city_no_reform): only their DiD is reported")
    if not per_rep:
        notes.append("no reformed city among the runs: nothing to evaluate")
    per_replication = pd.DataFrame(per_rep)
    return CityEvaluation(
        effects=_effects(per_replication, labels), per_replication=per_replication,
        event_study=_intervals(pd.concat(events, ignore_index=True) if events else pd.DataFrame(),
                               ["config_id", "outcome", "month"], "gap", labels),
        inequality=_intervals(pd.concat(spreads, ignore_index=True) if spreads else pd.DataFrame(),
                              ["config_id", "outcome", "statistic"], "value", labels),
        community_means=(pd.concat(means).groupby(["config_id", "outcome", "community"], observed=True)["value"]
                         .mean().reset_index() if means else pd.DataFrame()),
        labels=labels, notes=notes)


def _interval(values: pd.Series) -> pd.Series:
    v = values.dropna().to_numpy(float)
    if not len(v):
        return pd.Series({"n": 0, "mean": np.nan, "ci_low": np.nan, "ci_high": np.nan})
    mean, low, high = evaluation.interval(v)
    return pd.Series({"n": len(v), "mean": mean, "ci_low": low, "ci_high": high})


def _intervals(frame: pd.DataFrame, keys: list[str], column: str, labels: dict[str, str]) -> pd.DataFrame:
    """Mean and 95% interval over replications of ``column`` per group of ``keys``."""
    if not len(frame):
        return pd.DataFrame()
    table = frame.groupby(keys, sort=False)[column].apply(_interval).unstack().reset_index()
    table["n"] = table["n"].astype(int)
    table.insert(1, "configuration", table["config_id"].map(labels))
    return table


def _effects(per_rep: pd.DataFrame, labels: dict[str, str]) -> pd.DataFrame:
    """DiD, truth and their difference side by side, each with its interval, per configuration and outcome."""
    if not len(per_rep):
        return pd.DataFrame()
    frame = per_rep.assign(bias=per_rep["did"] - per_rep["true_effect"])
    parts = []
    for column in ("did", "true_effect", "bias"):
        table = frame.groupby(["config_id", "outcome"], sort=False)[column].apply(_interval).unstack()
        table.columns = [f"{column}_{c}" if c != "n" else f"n_{column}" for c in table.columns]
        parts.append(table)
    out = pd.concat(parts, axis=1).reset_index()
    out.insert(1, "configuration", out["config_id"].map(labels))
    out["n"] = out["n_did"].astype(int)
    return out.drop(columns=["n_did", "n_bias"]).rename(columns={"n_true_effect": "n_pairs"})
