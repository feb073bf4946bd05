"""Results never mix: a configuration is known by its values, and a folder holds the runs of one code."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest
from pandas.testing import assert_frame_equal

from govsim.errors import InputError
from govsim.experiments import analyze_results, code_identity, load_experiment
from govsim.experiments.runner import SerialExecutor, execute
from govsim.experiments.sweep import run_experiment

from . import helpers
from .conftest import ROOT, SMALL, serial, subprocess_env, write

QUIET = {"progress": False, "echo": lambda _: None}
WIDER = SMALL.replace('"centre.staff" = [20, 30]', '"centre.staff" = [15, 20, 30]')  # a value before the others


def _tables(analysis):
    """The analysis tables, ordered by what the rows are (not where they sit)."""
    s = analysis.summary.sort_values(["scenario", "centre.staff", "outcome", "statistic"]).reset_index(drop=True)
    d = analysis.differences.sort_values(["scenario", "centre.staff", "outcome", "statistic"]).reset_index(drop=True)
    return s, d


@pytest.mark.slow
def test_adding_a_grid_value_then_resuming_keeps_every_run_where_it_belongs(tmp_path, small_file):
    out = tmp_path / "grown"
    serial(load_experiment(small_file), out)                          # staff 20, 30: points 0, 1
    before = pd.read_parquet(out / "runs.parquet")
    wider = load_experiment(write(tmp_path / "wider", "small", WIDER))  # staff 15, 20, 30: points 0, 1, 2
    report = serial(wider, out)
    assert (report.ran, report.ok) == (6, 18)                          # only staff 15 ran, nothing lost
    after = pd.read_parquet(out / "runs.parquet")
    kept = after[after["run_id"].isin(before["run_id"])]
    assert len(kept) == len(before) and kept["wall_time"].tolist() == before.set_index("run_id").loc[
        kept["run_id"], "wall_time"].tolist()                          # the old runs themselves, not rerun
    # Every run sits at the point of its configuration in the new design, whatever it was recorded at.
    assert (after["point"] == after["centre.staff"].map({15: 0, 20: 1, 30: 2})).all()

    fresh = tmp_path / "fresh"
    serial(wider, fresh)
    assert_frame_equal(helpers.table(out), helpers.table(fresh))
    grown, clean = analyze_results(out, figures=False), analyze_results(fresh, figures=False)
    for a, b in zip(_tables(grown), _tables(clean), strict=True):
        assert_frame_equal(a, b)
    d = grown.differences
    assert set(d["n"]) == {3}                                          # paired within a configuration, never across
    assert sorted(d["centre.staff"].unique()) == [15, 20, 30]


def test_differences_pair_by_design_values_even_if_recorded_points_disagree(tmp_path, small_serial):
    """Rows recorded with stale positions (an old folder) still pair by what they are."""
    out = shutil.copytree(small_serial, tmp_path / "stale")
    runs = pd.read_parquet(out / "runs.parquet")
    runs.loc[runs["scenario"] == "article_remedies", "point"] = 1 - runs["point"]  # positions swapped
    runs.to_parquet(out / "runs.parquet", index=False)
    swapped = analyze_results(out, figures=False).differences
    reference = analyze_results(shutil.copytree(small_serial, tmp_path / "ref"), figures=False).differences
    assert_frame_equal(swapped, reference)


def _other_code(monkeypatch, identity: str = "0123456789abcdef") -> None:
    real = code_identity.current()
    other = code_identity.CodeIdentity(identity, real.files, {"commit": "f" * 40, "dirty": True}, real.version)
    monkeypatch.setattr(code_identity, "current", lambda: other)
    monkeypatch.setattr(code_identity, "current_id", lambda: identity)


@pytest.mark.slow
def test_a_resume_with_other_code_is_refused_naming_both_codes_and_the_ways_out(tmp_path, small_file, monkeypatch):
    out = tmp_path / "codes"
    exp = load_experiment(small_file)
    first = run_experiment(exp, out, executor=SerialExecutor(), **QUIET)
    assert first.ok == 12
    old = code_identity.current()
    manifest = json.loads((out / "manifest.json").read_text())
    assert manifest["code"]["id"] == old.id and old.id in manifest["codes"]

    _other_code(monkeypatch)
    runs_before = (out / "runs.parquet").read_bytes()
    with pytest.raises(InputError) as info:
        run_experiment(exp, out, executor=SerialExecutor(), **QUIET)
    message = str(info.value)
    assert "\n" not in message and info.value.key == "--out"
    assert f"holds 12 runs computed by code {old.id}" in message
    assert "this is code 0123456789abcdef" in message and "git ffffffffff, uncommitted changes" in message
    assert "--out" in message and "--rerun-all" in message
    assert (out / "runs.parquet").read_bytes() == runs_before  # nothing touched

    again = run_experiment(exp, out, executor=SerialExecutor(), rerun_all=True, **QUIET)
    assert (again.ran, again.ok) == (12, 12)
    runs = pd.read_parquet(out / "runs.parquet")
    assert set(runs["code"]) == {"0123456789abcdef"}
    aside = list((out / "superseded").glob("*/runs.parquet"))
    assert len(aside) == 1 and set(pd.read_parquet(aside[0])["code"]) == {old.id}


@pytest.mark.slow
def test_a_worker_running_other_code_has_its_runs_recorded_as_failed(tmp_path, small_file, monkeypatch):
    """The parent checks each result's code: a Dask worker with another govsim cannot slip runs in."""
    exp = load_experiment(small_file)

    def elsewhere(task):
        result = execute(task)
        result.row["code"] = "ffffffffffffffff"
        return result

    report = run_experiment(exp, tmp_path / "mixed", executor=SerialExecutor(), run=elsewhere, **QUIET)
    assert (report.ok, report.failed) == (0, 12)
    runs = pd.read_parquet(tmp_path / "mixed" / "runs.parquet")
    assert runs["error"].str.contains("ran on code ffffffffffffffff").all()
    assert not (tmp_path / "mixed" / "timeseries").exists() or not list((tmp_path / "mixed" / "timeseries").iterdir())


@pytest.mark.slow
def test_cli_refuses_to_resume_with_an_edited_copy_of_the_model(tmp_path, small_file):
    """Real processes: the same sweep resumed by a copy of govsim whose model.py differs."""
    out = tmp_path / "out"
    command = [sys.executable, "-c", "from govsim.cli import main; main()", "sweep", str(small_file), "--out",
               str(out), "--workers", "1", "--no-progress"]
    done = subprocess.run(command, env=subprocess_env(), capture_output=True, text=True, timeout=300, check=False)
    assert done.returncode == 0, done.stderr
    copy = tmp_path / "other" / "src"
    shutil.copytree(ROOT / "src" / "govsim", copy / "govsim", ignore=shutil.ignore_patterns("__pycache__"))
    with open(copy / "govsim" / "model.py", "a") as f:
        f.write("\n# an edit: other code\n")
    env = subprocess_env() | {"PYTHONPATH": str(copy)}
    refused = subprocess.run(command, env=env, capture_output=True, text=True, timeout=300, check=False)
    assert refused.returncode == 2, refused.stderr
    assert "Traceback" not in refused.stderr
    error = [line for line in refused.stderr.splitlines() if line.startswith("govsim: error:")]
    assert len(error) == 1 and "runs computed by code" in error[0] and "--rerun-all" in error[0]
    rerun = subprocess.run([*command, "--rerun-all"], env=env, capture_output=True, text=True, timeout=300,
                           check=False)
    assert rerun.returncode == 0, rerun.stderr
    assert len(set(pd.read_parquet(out / "runs.parquet")["code"])) == 1


def test_the_code_identity_covers_the_model_not_the_presentation(tmp_path):
    root = tmp_path / "govsim"
    shutil.copytree(Path(code_identity.package_dir()), root, ignore=shutil.ignore_patterns("__pycache__"))
    libraries = {"numpy": "1"}
    base, files = code_identity.source_hash(root, libraries)
    names = {p.relative_to(root).as_posix() for p in code_identity.source_files(root)}
    assert "model.py" in names and "experiments/runner.py" in names
    assert not any(n.startswith(("viz/", "experiments/figures/")) or n == "cli.py" for n in names)
    (root / "viz" / "app.py").write_text("# the page changed\n")
    assert code_identity.source_hash(root, libraries)[0] == base
    (root / "residents.py").write_text((root / "residents.py").read_text() + "\n# changed\n")
    assert code_identity.source_hash(root, libraries)[0] != base
    assert code_identity.source_hash(root, {"numpy": "2"})[0] != code_identity.source_hash(root, libraries)[0]
    assert files == len(names)
