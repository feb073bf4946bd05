"""City runs in sweeps: one city run is one task, its communities stored and checked like every result, and
``govsim analyze`` evaluating the staged reform (the pilots' DiD against the true effect)."""

from __future__ import annotations

import shutil
import subprocess

import numpy as np
import pandas as pd
import pytest
from pandas.testing import assert_frame_equal

from govsim import evaluation
from govsim.city import CityModel
from govsim.errors import InputError
from govsim.experiments import analyze_results, load_experiment
from govsim.experiments.analysis.report import format_report
from govsim.experiments.experiment import kept_steps
from govsim.experiments.runner import SerialExecutor, process_pool
from govsim.experiments.store import ResultStore
from govsim.experiments.sweep import run_experiment
from govsim.scenario import load_scenario

from . import helpers
from .conftest import govsim_command, serial, subprocess_env, write

# A city of 7 communities (one per district) at one agent per 500 residents, its waves early, so that a run
# of 200 days has the pilots' year before and months after.
CITY = {"population.scale": 500, "city.communities": 7, "city.posts": 160, "city.committee_posts": 330,
        "city.office_posts": 60, "city.pilot_day": 50, "city.widening_day": 110, "city.final_day": 160}
SET = "\n".join(f'"{k}" = {v}' for k, v in CITY.items())
OUTCOMES = ["satisfaction", "needs_met", "welfare_days", "upward_flow"]

TINY_CITY = f"""
name = "tiny_city"
description = "A small city with and without its reform"
scenarios = ["guiyang_city", "guiyang_city_no_reform"]
seed = 8
replications = 2
steps = 200
record_every = 5
outcomes = {OUTCOMES!r}
[set]
{SET}
"""


@pytest.fixture(scope="module")
def city_file(tmp_path_factory):
    return write(tmp_path_factory.mktemp("city"), "tiny_city", TINY_CITY)


@pytest.fixture(scope="module")
def city_serial(tmp_path_factory, city_file):
    out = tmp_path_factory.mktemp("results") / "tiny_city"
    report = serial(load_experiment(city_file), out)
    assert report.ok == 4 and report.failed == 0
    return out


def test_a_city_experiment_runs_its_city_for_city_days_unless_told(tmp_path):
    exp = load_experiment(write(tmp_path, "long", TINY_CITY.replace("steps = 200\n", "")))
    assert exp.city and exp.steps == load_scenario("guiyang_city")["city.days"] == 1826
    assert exp.varied == ("city.reform",)
    task = next(exp.tasks())
    assert task.city and task.before is not None
    assert task.before["structure.levels"] == 4 and task.values["structure.levels"] == 3
    assert task.before["population.scale"] == 500  # [set] holds before the reform too


def test_design_values_hold_before_the_reform_too(tmp_path):
    text = TINY_CITY + '[parameters]\n"district.hours" = [50.0, 200.0]\n"city.rollout" = [0, 2]\n'
    exp = load_experiment(write(tmp_path, "grid", text))
    assert exp.n_configs == 2 * 4
    for task in exp.tasks():
        assert task.before is not None
        assert task.before["district.hours"] == task.values["district.hours"]
        assert task.before["city.rollout"] == task.values["city.rollout"]


def test_the_configuration_before_the_reform_is_part_of_a_citys_identity(tmp_path):
    (tmp_path / "weak_before.toml").write_text('description = "a weaker start"\nextends = "pre_reform_2009"\n'
                                               "[centre]\nquality = 0.3\n")
    (tmp_path / "city_b.toml").write_text('description = "the city from a weaker start"\nextends = "guiyang_city"\n'
                                          'before = "weak_before.toml"\n')
    entry = '[scenarios.city]\nscenario = "{}"\n'
    base = TINY_CITY.replace('scenarios = ["guiyang_city", "guiyang_city_no_reform"]\n', "")
    a = load_experiment(write(tmp_path, "a", base + entry.format("guiyang_city")))
    b = load_experiment(write(tmp_path, "b", base + entry.format("city_b.toml")))
    assert dict(a.configuration(0).values) == dict(b.configuration(0).values)  # the same after the reform
    assert a.config_id(0) != b.config_id(0)


@pytest.mark.slow
def test_community_and_city_scenarios_are_not_mixed(tmp_path):
    text = TINY_CITY.replace('"guiyang_city_no_reform"]', '"guiyang_2012"]')
    with pytest.raises(InputError) as info:
        load_experiment(write(tmp_path, "mixed", text))
    assert info.value.key == "scenarios"
    assert "mixes community scenarios (guiyang_2012) and city scenarios (guiyang_city)" in str(info.value)
    done = subprocess.run([*govsim_command(), "sweep", str(tmp_path / "mixed.toml"), "--out", str(tmp_path / "o")],
                          capture_output=True, text=True, env=subprocess_env(), timeout=120, check=False)
    assert done.returncode == 2 and done.stderr.count("\n") == 1 and "Traceback" not in done.stderr
    assert not (tmp_path / "o").exists()


@pytest.mark.slow
def test_each_city_run_stores_its_communities_and_their_series(city_serial, city_file):
    exp = load_experiment(city_file)
    store = ResultStore(city_serial)
    runs = pd.read_parquet(city_serial / "runs.parquet")
    steps = list(kept_steps(exp.steps, exp.burn_in, exp.record_every))
    for _, run in runs.iterrows():
        series = pd.read_parquet(store.community_part(run["run_id"]))
        communities = pd.read_parquet(store.communities_part(run["run_id"]))
        assert len(communities) == 7 and len(series) == 7 * len(steps)
        assert sorted(series["step"].unique()) == steps
        assert set(series["community"]) == set(communities["community"])
        assert (communities["switch_day"] >= 0).any() == bool(run["city.reform"])
    # The whole dataset reads at once, as the time series do.
    assert len(pd.read_parquet(city_serial / "community_timeseries")) == 4 * 7 * len(steps)


def test_a_stored_city_run_is_the_city_model_with_the_same_seed(city_serial):
    runs = pd.read_parquet(city_serial / "runs.parquet")
    run = runs[runs["scenario"] == "guiyang_city"].iloc[-1]
    model = CityModel("guiyang_city", rng=int(run["seed"]), **CITY).run(200)
    direct = model.community_timeseries()
    stored = pd.read_parquet(ResultStore(city_serial).community_part(run["run_id"]))
    direct = direct[direct["step"].isin(stored["step"])].reset_index(drop=True)
    for outcome in OUTCOMES:
        np.testing.assert_array_equal(stored[outcome].to_numpy(), direct[outcome].to_numpy(np.float32))
    assert list(stored["community"]) == list(direct["community"].astype(str))
    assert run["satisfaction_final"] == model.timeseries()["satisfaction"].iloc[-1]


@pytest.mark.slow
@pytest.mark.parametrize("backend", ["local", "dask"])
def test_the_process_pool_and_dask_give_the_same_city_results(tmp_path, city_file, city_serial, backend):
    """One city run is one task, on the local pool or a Dask LocalCluster, with the same numbers."""
    if backend == "dask":
        pytest.importorskip("distributed")
        options = {"backend": "dask", "workers": 2}
    else:
        options = {"executor": lambda: process_pool(2)}
    out = tmp_path / backend
    report = run_experiment(load_experiment(city_file), out, progress=False, echo=lambda _: None, **options)
    assert report.ok == 4
    assert_frame_equal(helpers.table(out), helpers.table(city_serial))
    for folder in ("community_timeseries", "communities"):
        a = pd.read_parquet(out / folder).sort_values(["run_id", *(["step"] if "step" in folder else [])])
        b = pd.read_parquet(city_serial / folder).sort_values(["run_id", *(["step"] if "step" in folder else [])])
        assert_frame_equal(a.reset_index(drop=True), b.reset_index(drop=True))


@pytest.mark.parametrize("which", ["community_part", "communities_part"])
def test_a_damaged_city_file_runs_exactly_its_run_again(tmp_path, city_file, city_serial, which):
    out = shutil.copytree(city_serial, tmp_path / which)
    store = ResultStore(out)
    run_id = pd.read_parquet(out / "runs.parquet")["run_id"].iloc[1]
    path = getattr(store, which)(run_id)
    path.write_bytes(path.read_bytes()[: path.stat().st_size // 2])
    lines: list[str] = []
    report = run_experiment(load_experiment(city_file), out, executor=SerialExecutor(), progress=False,
                            echo=lines.append)
    assert report.ran == 1 and report.ok == 4
    assert any(f"damaged: {path.parent.name}/{path.name}: not a whole Parquet file" in line for line in lines)
    assert_frame_equal(pd.read_parquet(path), pd.read_parquet(getattr(ResultStore(city_serial), which)(run_id)))


def test_repair_finds_a_community_series_that_is_another_runs(tmp_path, city_file, city_serial):
    """Whole and of the right length, but another run's: only the page-by-page check (--repair) sees it."""
    out = shutil.copytree(city_serial, tmp_path / "swapped")
    store = ResultStore(out)
    a, b = pd.read_parquet(out / "runs.parquet")["run_id"].iloc[:2]
    shutil.copy(store.community_part(b), store.community_part(a))
    exp = load_experiment(city_file)
    plain = run_experiment(exp, out, executor=SerialExecutor(), progress=False, echo=lambda _: None)
    assert plain.ran == 0
    lines: list[str] = []
    deep = run_experiment(exp, out, executor=SerialExecutor(), progress=False, echo=lines.append, repair=True)
    assert deep.ran == 1 and any(f"community_timeseries/part-{a}.parquet: holds runs" in line for line in lines)
    assert_frame_equal(pd.read_parquet(store.community_part(a)),
                       pd.read_parquet(ResultStore(city_serial).community_part(a)))


def test_city_scenarios_of_different_lengths_need_steps(tmp_path):
    (tmp_path / "short_city.toml").write_text('description = "a shorter city"\nextends = "guiyang_city"\n'
                                              'before = "pre_reform_2009"\n[city]\ndays = 700\n')
    text = TINY_CITY.replace("steps = 200\n", "").replace('"guiyang_city_no_reform"]', '"short_city.toml"]')
    with pytest.raises(InputError) as info:
        load_experiment(write(tmp_path, "lengths", text))
    assert info.value.key == "steps" and "city.days differ (700, 1826)" in str(info.value)


def test_city_files_that_no_run_owns_are_set_aside(tmp_path, city_file, city_serial):
    out = shutil.copytree(city_serial, tmp_path / "orphans")
    store = ResultStore(out)
    stray = store.community_part("0123456789abcdef")
    shutil.copy(store.community_part(pd.read_parquet(out / "runs.parquet")["run_id"].iloc[0]), stray)
    lines: list[str] = []
    report = run_experiment(load_experiment(city_file), out, executor=SerialExecutor(), progress=False,
                            echo=lines.append)
    assert report.ran == 0 and not stray.exists()
    assert list((out / "superseded").glob(f"orphans-*/community_timeseries/{stray.name}"))


@pytest.fixture(scope="module")
def city_analysis(tmp_path_factory, city_serial):
    out = shutil.copytree(city_serial, tmp_path_factory.mktemp("analysis") / "tiny_city")
    return out, analyze_results(out)


@pytest.mark.slow
def test_analyze_reports_the_did_beside_the_true_effect_with_intervals(city_analysis):
    out, analysis = city_analysis
    assert analysis.city is not None
    effects = pd.read_csv(out / "analysis" / "evaluation.csv")
    assert set(effects["outcome"]) == set(OUTCOMES)
    per = analysis.city.per_replication
    counted = effects.set_index("outcome")
    # n: the replications with a value (welfare days are undefined when a tiny city decides no application)
    assert (counted["n"] == per.groupby("outcome")["did"].count().reindex(counted.index)).all()
    assert (counted.loc[["satisfaction", "needs_met"], ["n", "n_pairs"]] == 2).all().all()
    two = effects[effects["outcome"].isin(["satisfaction", "needs_met"])]  # defined in every replication
    for column in ("did", "true_effect", "bias"):
        assert (two[f"{column}_ci_low"] < two[f"{column}_mean"]).all()
        assert (two[f"{column}_mean"] < two[f"{column}_ci_high"]).all()
    # Each replication's numbers are govsim.evaluation's, from the stored files of the pair.
    store = ResultStore(out)
    runs = pd.read_parquet(out / "runs.parquet")
    rep = runs[runs["replication"] == 1].set_index("scenario")
    a = pd.read_parquet(store.community_part(rep.loc["guiyang_city", "run_id"]))
    b = pd.read_parquet(store.community_part(rep.loc["guiyang_city_no_reform", "run_id"]))
    c = pd.read_parquet(store.communities_part(rep.loc["guiyang_city", "run_id"]))
    row = per[(per["replication"] == 1) & (per["outcome"] == "needs_met")].iloc[0]
    assert row["did"] == pytest.approx(evaluation.did(a, c, "needs_met"))
    assert row["true_effect"] == pytest.approx(evaluation.true_effect(a, b, c, "needs_met"))
    assert row["counterfactual"] == rep.loc["guiyang_city_no_reform", "config_id"]


def test_analyze_writes_the_event_study_and_the_spread_across_communities(city_analysis):
    out, analysis = city_analysis
    events = pd.read_csv(out / "analysis" / "event_study.csv")
    assert set(events["outcome"]) == set(OUTCOMES) and (events["n"] <= 2).all()
    assert events["month"].min() < 0 < events["month"].max()
    spread = pd.read_csv(out / "analysis" / "inequality.csv")
    assert set(spread["configuration"]) == {"guiyang_city", "guiyang_city_no_reform"}
    assert set(spread["statistic"]) == {"sd", "p10", "p90", "range"}
    for name in ("event_study.png", "inequality.png"):
        assert (out / "analysis" / name).read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    text = format_report(analysis)
    assert "pilots' effect on satisfaction: DiD estimate" in text and "vs true effect" in text
    assert "DiD minus truth" in text


def test_a_reform_without_its_counterfactual_reports_the_did_alone(tmp_path, city_serial):
    out = shutil.copytree(city_serial, tmp_path / "alone")
    runs = pd.read_parquet(out / "runs.parquet")
    runs[runs["scenario"] == "guiyang_city"].to_parquet(out / "runs.parquet", index=False)
    analysis = analyze_results(out, figures=False)
    assert analysis.city is not None
    assert analysis.city.effects["true_effect_mean"].isna().all()
    assert any("no counterfactual run" in n for n in analysis.notes)
    assert "no counterfactual: true effect unknown" in format_report(analysis)


@pytest.mark.slow
def test_a_city_that_switches_at_once_has_no_event_study_and_says_why(tmp_path):
    text = TINY_CITY.replace('"city.widening_day" = 110', '"city.widening_day" = 50').replace(
        '"city.final_day" = 160', '"city.final_day" = 50').replace("replications = 2", "replications = 1")
    out = tmp_path / "at_once"
    assert serial(load_experiment(write(tmp_path, "at_once", text)), out).ok == 2
    analysis = analyze_results(out, figures=False)
    assert analysis.city is not None and not len(analysis.city.event_study)
    assert any("no community left unreformed" in n for n in analysis.notes)
    assert analysis.city.effects["did_mean"].isna().all()  # no not-yet-reformed communities: no DiD either
    assert "DiD estimate undefined" in format_report(analysis) and "nan" not in format_report(analysis)


def test_analyze_names_a_damaged_community_file(tmp_path, city_serial):
    out = shutil.copytree(city_serial, tmp_path / "bad")
    part = next((out / "community_timeseries").glob("part-*.parquet"))
    part.write_bytes(b"PAR1" + b"\0" * 20 + b"PAR1")
    with pytest.raises(InputError) as info:
        analyze_results(out, figures=False)
    assert info.value.source == str(part) and "govsim sweep" in str(info.value)
