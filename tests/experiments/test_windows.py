"""Windows: a run records each outcome's mean over named stretches of days too (the first year, the settled
state), and the analysis summarises and pairs them like the other statistics."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from govsim.errors import InputError
from govsim.experiments import analyze_results, load_experiment
from govsim.model import CommunityModel
from govsim.scenario import load_scenario

from .conftest import serial, write

WINDOWS = """
description = "a transient and a settled stretch"
scenarios = ["guiyang_2012", "article_remedies"]
seed = 12
replications = 2
steps = 30
burn_in = 10
outcomes = ["satisfaction", "needs_met", "welfare_days"]
windows = { first_week = [1, 7], settled = [11, 30] }
[set]
"population.residents" = 400
"""


@pytest.fixture(scope="module")
def windows_run(tmp_path_factory):
    folder = tmp_path_factory.mktemp("windows")
    exp = load_experiment(write(folder, "windows", WINDOWS))
    out = folder / "results"
    assert serial(exp, out).ok == 4
    return exp, out


@pytest.mark.slow
def test_a_row_records_the_mean_over_each_window(windows_run):
    _, out = windows_run
    runs = pd.read_parquet(out / "runs.parquet")
    run = runs[runs["scenario"] == "article_remedies"].iloc[0]
    scenario = load_scenario("article_remedies", {"population.residents": 400})
    series = CommunityModel(scenario, rng=int(run["seed"])).run(30).timeseries()
    for outcome in ("satisfaction", "needs_met"):
        assert run[f"{outcome}_first_week"] == pytest.approx(series[outcome].iloc[:7].mean())
        assert run[f"{outcome}_settled"] == pytest.approx(series[outcome].iloc[10:30].mean())
        assert run[f"{outcome}_settled"] == pytest.approx(run[f"{outcome}_mean"])  # the kept days, here
    # Days an outcome is undefined (no welfare decision in its window) are left out, not averaged as NaN.
    days = series["welfare_days"].iloc[:7]
    expected = days.mean() if days.notna().any() else np.nan
    assert run["welfare_days_first_week"] == pytest.approx(expected, nan_ok=True)


def test_the_analysis_summarises_and_pairs_each_window(windows_run):
    _, out = windows_run
    analysis = analyze_results(out, figures=False)
    assert set(analysis.summary["statistic"]) == {"final", "mean", "first_week", "settled"}
    d = analysis.differences
    row = d[(d["statistic"] == "first_week") & (d["outcome"] == "needs_met")].iloc[0]
    runs = pd.read_parquet(out / "runs.parquet").sort_values("replication")
    a = runs[runs["scenario"] == "article_remedies"]["needs_met_first_week"].to_numpy()
    b = runs[runs["scenario"] == "guiyang_2012"]["needs_met_first_week"].to_numpy()
    assert row["difference"] == pytest.approx((a - b).mean()) and row["n"] == 2


def test_windows_are_part_of_a_configurations_identity(tmp_path, windows_run):
    exp, _ = windows_run
    other = load_experiment(write(tmp_path, "other", WINDOWS.replace("settled = [11, 30]", "settled = [12, 30]")))
    none = load_experiment(write(tmp_path, "none", WINDOWS.replace(
        "windows = { first_week = [1, 7], settled = [11, 30] }\n", "")))
    assert len({exp.config_id(0), other.config_id(0), none.config_id(0)}) == 3
    from govsim.experiments import seeds

    c = none.configuration(0)
    assert none.config_id(0) == seeds.config_id(c.scenario, c.values, steps=30, burn_in=10, record_every=1,
                                                outcomes=none.outcomes)  # no windows: the identity as before


@pytest.mark.parametrize("snippet, key, message", [
    ("windows = { Year1 = [1, 5] }", "windows.Year1", "lower-case letters"),
    ("windows = { mean = [1, 5] }", "windows.mean", "not final or mean"),
    ("windows = { late = [5, 40] }", "windows.late", "1 <= first <= last <= steps (30)"),
    ("windows = { late = [9, 5] }", "windows.late", "1 <= first <= last"),
    ('windows = { late = "all" }', "windows.late", "must be [first day, last day]"),
    ("windows = [1, 5]", "windows", "must be a table of name"),
])
def test_bad_windows_name_the_key(tmp_path, snippet, key, message):
    text = WINDOWS.replace("windows = { first_week = [1, 7], settled = [11, 30] }", snippet)
    with pytest.raises(InputError) as info:
        load_experiment(write(tmp_path, "bad", text))
    assert info.value.key == key and message in str(info.value)
