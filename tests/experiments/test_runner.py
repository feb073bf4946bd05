"""The same results on every executor; failures recorded, not fatal; replications added later."""

from __future__ import annotations

import concurrent.futures as cf
import json

import pandas as pd
import pytest
from pandas.testing import assert_frame_equal

from govsim.experiments import load_experiment
from govsim.experiments.experiment import FAILED, OK
from govsim.experiments.runner import SerialExecutor, execute, run_tasks
from govsim.experiments.store import ResultStore
from govsim.experiments.sweep import run_experiment

from . import helpers
from .conftest import SMALL, serial, write

QUIET = {"progress": False, "echo": lambda _: None}


def test_serial_run_table_has_one_row_per_run_with_its_seed_and_outcomes(small_file, small_serial):
    exp = load_experiment(small_file)
    runs = pd.read_parquet(small_serial / "runs.parquet")
    assert len(runs) == exp.n_runs == 12 and runs["run_id"].is_unique
    assert set(runs["status"]) == {OK}
    assert {"scenario", "replication", "seed", "centre.staff", "satisfaction_final", "satisfaction_mean",
            "wall_time", "error", "traceback"} <= set(runs.columns)
    # Common random numbers: one seed per replication, shared by every scenario and point.
    assert runs.groupby("replication")["seed"].nunique().eq(1).all()
    assert runs["seed"].nunique() == exp.replications
    ts = pd.read_parquet(small_serial / "timeseries")
    assert set(ts["run_id"]) == set(runs["run_id"])
    assert sorted(ts["step"].unique()) == list(range(12, 41, 2))  # after burn-in, every 2nd, ending on the last
    manifest = json.loads((small_serial / "manifest.json").read_text())
    assert manifest["status"] == "complete" and manifest["counts"]["ok"] == 12
    assert manifest["experiment"]["sha256"] == exp.sha256
    assert {"govsim", "mesa", "python"} <= set(manifest["versions"])


def test_a_run_repeats_exactly_from_its_recorded_seed(small_file, small_serial):
    import govsim
    from govsim.scenario import load_scenario

    row = pd.read_parquet(small_serial / "runs.parquet").iloc[-1]
    scenario = load_scenario(row["scenario"], {"population.residents": 1000, "centre.staff": int(row["centre.staff"])})
    df = govsim.CommunityModel(scenario, rng=int(row["seed"])).run(40).timeseries()
    assert df["satisfaction"].iloc[-1] == row["satisfaction_final"]
    assert df["satisfaction"].iloc[10:].mean() == pytest.approx(row["satisfaction_mean"], abs=1e-15)


@pytest.mark.slow
def test_process_pool_gives_identical_results(tmp_path, small_file, small_serial):
    report = run_experiment(load_experiment(small_file), tmp_path / "pool", workers=2, **QUIET)
    assert report.ok == 12
    assert_frame_equal(helpers.table(tmp_path / "pool"), helpers.table(small_serial))
    assert_frame_equal(helpers.series(tmp_path / "pool"), helpers.series(small_serial))


@pytest.mark.slow
def test_any_concurrent_futures_executor_gives_identical_results(tmp_path, small_file, small_serial):
    with cf.ThreadPoolExecutor(2) as pool:
        run_experiment(load_experiment(small_file), tmp_path / "threads", executor=pool, **QUIET)
    assert_frame_equal(helpers.table(tmp_path / "threads"), helpers.table(small_serial))


@pytest.mark.slow
def test_dask_local_cluster_gives_identical_results(tmp_path, small_file, small_serial):
    pytest.importorskip("distributed")
    report = run_experiment(load_experiment(small_file), tmp_path / "dask", backend="dask", workers=2, **QUIET)
    assert report.ok == 12
    assert_frame_equal(helpers.table(tmp_path / "dask"), helpers.table(small_serial))
    assert_frame_equal(helpers.series(tmp_path / "dask"), helpers.series(small_serial))


@pytest.mark.slow
def test_a_failing_run_is_recorded_and_the_rest_finish(tmp_path, small_file, small_serial):
    exp = load_experiment(small_file)
    out = tmp_path / "flaky"
    report = run_experiment(exp, out, workers=2, run=helpers.flaky, **QUIET)
    assert (report.ok, report.failed) == (10, 2)
    runs = pd.read_parquet(out / "runs.parquet")
    failed = runs[runs["status"] == FAILED]
    assert set(failed["scenario"]) == {helpers.FAIL_SCENARIO} and set(failed["replication"]) == {1}
    assert failed["error"].str.contains("RuntimeError: injected failure").all()
    assert failed["traceback"].str.contains("flaky").all()
    assert failed["satisfaction_final"].isna().all()
    assert not any((out / "timeseries" / f"part-{r}.parquet").exists() for r in failed["run_id"])
    good = helpers.table(out)
    good = good[good["status"] == OK].reset_index(drop=True)
    reference = helpers.table(small_serial)
    assert_frame_equal(good, reference[reference["run_id"].isin(good["run_id"])].reset_index(drop=True))
    manifest = json.loads((out / "manifest.json").read_text())
    assert manifest["status"] == "complete with failed runs"

    # Started again, failed runs stay failed (nothing is run); --rerun-failed retries only them.
    again = run_experiment(exp, out, executor=SerialExecutor(), **QUIET)
    assert (again.ran, again.failed) == (0, 2)
    fixed = run_experiment(exp, out, executor=SerialExecutor(), rerun_failed=True, **QUIET)
    assert (fixed.ran, fixed.ok, fixed.failed) == (2, 12, 0)
    assert_frame_equal(helpers.table(out), helpers.table(small_serial))
    assert_frame_equal(helpers.series(out), helpers.series(small_serial))


def test_an_exception_inside_the_model_is_caught_with_its_traceback(small_file, monkeypatch):
    import govsim.model

    def broken_step(self):
        raise FloatingPointError("the model broke")

    monkeypatch.setattr(govsim.model.CommunityModel, "step", broken_step)
    task = next(load_experiment(small_file).tasks())
    result = execute(task)
    assert result.row["status"] == FAILED and result.series is None
    assert result.row["error"] == "FloatingPointError: the model broke"
    assert "broken_step" in result.row["traceback"]


@pytest.mark.slow
def test_a_run_that_kills_its_worker_is_recorded_and_the_pool_recovers(tmp_path, small_file, small_serial):
    out = tmp_path / "crash"
    report = run_experiment(load_experiment(small_file), out, workers=2, run=helpers.crashing, **QUIET)
    assert (report.ok, report.failed) == (11, 1)
    runs = pd.read_parquet(out / "runs.parquet")
    failed = runs[runs["status"] == FAILED].iloc[0]
    assert (failed["scenario"], failed["replication"], failed["point"]) == (helpers.FAIL_SCENARIO, 1, 0)
    assert "worker process running it died" in failed["error"]
    good = helpers.table(out)
    good = good[good["status"] == OK].reset_index(drop=True)
    reference = helpers.table(small_serial)
    assert_frame_equal(good, reference[reference["run_id"] != failed["run_id"]].reset_index(drop=True))


def test_tasks_are_read_lazily_within_a_bounded_window(small_file):
    exp = load_experiment(small_file)
    drawn, seen = [], []

    def tasks():
        for task in exp.tasks():
            drawn.append(task.run_id)
            yield task

    def on_result(result):
        seen.append(len(drawn))

    with cf.ThreadPoolExecutor(2) as pool:
        run_tasks(tasks(), pool, on_result, window=3, run=helpers.quick)
    assert len(seen) == exp.n_runs
    assert seen[0] <= 3  # at most `window` runs were drawn before the first result came back


@pytest.mark.slow
def test_adding_replications_keeps_existing_runs_and_runs_only_the_new(tmp_path, small_file, small_serial):
    out = tmp_path / "grow"
    fewer = write(tmp_path, "small", SMALL.replace("replications = 3", "replications = 2"))
    first = serial(load_experiment(fewer), out)
    before = pd.read_parquet(out / "runs.parquet")  # with wall times: the rows must not be rewritten
    assert first.ok == 8
    second = serial(load_experiment(small_file), out)
    assert (second.ran, second.ok) == (4, 12)
    after = pd.read_parquet(out / "runs.parquet")
    assert_frame_equal(after[after["run_id"].isin(before["run_id"])].reset_index(drop=True), before)
    assert_frame_equal(helpers.table(out), helpers.table(small_serial))


@pytest.mark.slow
def test_changing_the_experiment_sets_old_runs_aside(tmp_path, small_file):
    out = tmp_path / "changed"
    serial(load_experiment(small_file), out)
    changed = write(tmp_path, "small", SMALL.replace('"centre.staff" = [20, 30]', '"centre.staff" = [20, 40]'))
    lines: list[str] = []
    report = run_experiment(load_experiment(changed), out, executor=SerialExecutor(), progress=False,
                            echo=lines.append)
    assert any(line.startswith("set aside 6 recorded runs that are no longer part of the experiment") for line in lines)
    assert (report.ran, report.ok) == (6, 12)  # staff 20 was already there, staff 40 is new
    runs = pd.read_parquet(out / "runs.parquet")
    assert sorted(runs["centre.staff"].unique()) == [20, 40]
    aside = list((out / "superseded").glob("*/runs.parquet"))
    assert len(aside) == 1 and set(pd.read_parquet(aside[0])["centre.staff"]) == {30}
    assert set(pd.read_parquet(out / "timeseries")["run_id"]) == set(runs["run_id"])


def test_a_second_sweep_cannot_write_the_same_folder(tmp_path):
    from govsim.errors import InputError

    store = ResultStore(tmp_path / "locked")
    with store.lock(), pytest.raises(InputError, match="another govsim sweep"), ResultStore(tmp_path / "locked").lock():
        pass


@pytest.mark.slow
def test_common_random_numbers_identical_scenarios_give_identical_runs(tmp_path):
    """Two scenarios that differ in nothing but their names draw the same numbers at each replication."""
    text = """
description = "twins"
scenario = "guiyang_2012"
replications = 3
steps = 15
[set]
"population.residents" = 300
[scenarios.one]
[scenarios.two]
[scenarios.more_staff]
set = { centre.staff = 40 }
"""
    out = tmp_path / "twins"
    serial(load_experiment(write(tmp_path, "twins", text)), out)
    runs = pd.read_parquet(out / "runs.parquet")
    outcomes = [c for c in runs.columns if c.endswith(("_final", "_mean"))]
    one, two, more = (runs[runs["scenario"] == s].sort_values("replication") for s in ("one", "two", "more_staff"))
    assert set(one["run_id"]).isdisjoint(two["run_id"])
    assert one["seed"].tolist() == two["seed"].tolist() == more["seed"].tolist()
    assert_frame_equal(one[outcomes].reset_index(drop=True), two[outcomes].reset_index(drop=True))
    assert not one[outcomes].reset_index(drop=True).equals(more[outcomes].reset_index(drop=True))
    assert one["satisfaction_final"].nunique() == 3  # replications differ from each other


@pytest.mark.slow
def test_the_run_loop_holds_a_window_not_the_whole_sweep(tmp_path):
    """Memory of the run loop does not grow with the number of runs (results go to a callback, tasks are lazy)."""
    import tracemalloc

    def peak(replications: int) -> int:
        exp = load_experiment(write(tmp_path, "many", SMALL.replace("replications = 3",
                                                                    f"replications = {replications}")))
        count = 0

        def on_result(result):
            nonlocal count
            count += 1

        with cf.ThreadPoolExecutor(2) as pool:
            tracemalloc.start()
            run_tasks(exp.tasks(), pool, on_result, window=4, run=helpers.quick)
            _, high = tracemalloc.get_traced_memory()
            tracemalloc.stop()
        assert count == exp.n_runs
        return high

    small, large = peak(50), peak(1000)  # 200 and 4,000 runs
    assert large < 2 * small
