"""No lost compute and no tracebacks: a full disk, a capped pool, an implausible sweep, wrong paths."""

from __future__ import annotations

import concurrent.futures as cf
import errno
import json
import threading

import pandas as pd
import pytest
from click.testing import CliRunner
from pandas.testing import assert_frame_equal

from govsim.cli import main
from govsim.errors import InputError
from govsim.experiments import load_experiment, plausibility
from govsim.experiments.runner import default_workers
from govsim.experiments.store import ResultStore
from govsim.experiments.sweep import ResultsUnwritableError, run_experiment

from . import helpers
from .conftest import ROOT, SMALL, write

QUIET = {"progress": False, "echo": lambda _: None}


def fail_writes_after(monkeypatch, n: int, code: int, also_manifest: bool = False) -> None:
    """Make the results folder stop taking files after ``n`` runs, as a full disk or a read-only mount would."""
    real_write, real_manifest = ResultStore.write, ResultStore.write_manifest
    count = {"runs": 0}

    def write(self, result, outcomes):
        count["runs"] += 1
        if count["runs"] > n:
            raise OSError(code, "No space left on device" if code == errno.ENOSPC else "Read-only file system",
                          str(self.part(result.row["run_id"])))
        return real_write(self, result, outcomes)

    def write_manifest(self, manifest):
        if count["runs"] > n and also_manifest:
            raise OSError(code, "Read-only file system", str(self.manifest_file))
        return real_manifest(self, manifest)

    monkeypatch.setattr(ResultStore, "write", write)
    monkeypatch.setattr(ResultStore, "write_manifest", write_manifest)


@pytest.mark.slow
def test_a_full_disk_mid_sweep_stops_cleanly_and_the_same_command_resumes(tmp_path, small_file, small_serial,
                                                                          monkeypatch):
    exp = load_experiment(small_file)
    out = tmp_path / "full"
    fail_writes_after(monkeypatch, 5, errno.ENOSPC)
    with pytest.raises(ResultsUnwritableError) as info:
        run_experiment(exp, out, workers=2, **QUIET)
    message = str(info.value)
    assert "\n" not in message and message.startswith(f"{out}: cannot write results: No space left on device")
    assert "finished runs are kept" in message and "run the same command to resume" in message
    assert helpers.wait_for(lambda: not helpers.grandchildren(), timeout=15, interval=0.1)  # the pool is gone
    manifest = json.loads((out / "manifest.json").read_text())
    assert manifest["status"] == "interrupted" and "No space left on device" in manifest["stopped_by"]
    assert manifest["counts"]["ok"] == 5

    monkeypatch.undo()
    report = run_experiment(exp, out, workers=2, **QUIET)
    assert (report.skipped, report.ran, report.ok) == (5, 7, 12)
    assert_frame_equal(helpers.table(out), helpers.table(small_serial))
    assert_frame_equal(helpers.series(out), helpers.series(small_serial))


@pytest.mark.slow
def test_a_folder_turned_read_only_is_one_line_and_resumes(tmp_path, small_file, small_serial, monkeypatch):
    exp = load_experiment(small_file)
    out = tmp_path / "readonly"
    fail_writes_after(monkeypatch, 3, errno.EROFS, also_manifest=True)
    result = CliRunner().invoke(main, ["sweep", str(small_file), "--out", str(out), "--workers", "1"])
    assert result.exit_code == 1
    errors = [line for line in result.output.splitlines() if line.startswith("govsim: error:")]
    assert len(errors) == 1 and "cannot write results: Read-only file system" in errors[0]
    assert "Traceback" not in result.output
    monkeypatch.undo()
    report = run_experiment(exp, out, workers=1, **QUIET)  # its manifest still says running: no matter
    assert (report.skipped, report.ok) == (3, 12)
    assert_frame_equal(helpers.table(out), helpers.table(small_serial))


@pytest.mark.slow
def test_workers_beyond_the_cpus_are_capped_with_a_warning(tmp_path, small_file):
    lines: list[str] = []
    report = run_experiment(load_experiment(small_file), tmp_path / "capped", workers=1000, progress=False,
                            echo=lines.append)
    assert report.ok == 12
    n = default_workers()
    assert any(f"--workers 1000: capped at {n}" in line for line in lines)
    manifest = json.loads((tmp_path / "capped" / "manifest.json").read_text())
    assert manifest["sessions"][-1]["backend"] in (f"local pool, {n} workers", "serial (this process)")


def test_runs_in_flight_stay_proportional_to_workers(tmp_path, small_file):
    """At most two runs per worker are ever handed to the executor at once."""
    in_flight, high = 0, 0
    lock = threading.Lock()

    class Counting(cf.ThreadPoolExecutor):
        def submit(self, fn, /, *args, **kwargs):
            nonlocal in_flight, high
            with lock:
                in_flight += 1
                high = max(high, in_flight)
            future = super().submit(fn, *args, **kwargs)

            def done(_):
                nonlocal in_flight
                with lock:
                    in_flight -= 1

            future.add_done_callback(done)
            return future

    with Counting(8) as pool:
        run_experiment(load_experiment(small_file), tmp_path / "window", executor=pool, workers=3,
                       run=helpers.quick, **QUIET)
    assert 1 < high <= 6


def test_an_implausible_sweep_says_why_and_asks_for_yes(tmp_path):
    text = SMALL.replace("replications = 3", "replications = 1000000").replace("steps = 40", "steps = 365000")
    path = write(tmp_path, "huge", text)
    exp = load_experiment(path)
    concerns = plausibility.concerns(exp, tmp_path / "out", workers=2)
    assert any("of computing with 2 workers" in c and "years" in c for c in concerns)
    assert any("of results" in c for c in concerns)
    result = CliRunner().invoke(main, ["sweep", str(path), "--out", str(tmp_path / "out")])
    assert result.exit_code == 2
    assert "looks implausible for this machine" in result.output and "add --yes" in result.output
    assert not (tmp_path / "out").exists()
    assert plausibility.concerns(load_experiment(ROOT / "experiments" / "role_emphasis.toml"), tmp_path, 2) == []


def test_memory_for_too_many_large_workers_is_a_concern(tmp_path, monkeypatch):
    text = SMALL.replace('"population.residents" = 1000', '"population.residents" = 2000000')
    exp = load_experiment(write(tmp_path, "big", text))
    monkeypatch.setattr(plausibility, "available_memory", lambda: 2 * 2**30)
    concerns = plausibility.concerns(exp, tmp_path, workers=4)
    assert any("of memory for 4 workers at 2,000,000 residents" in c for c in concerns)
    assert not any("memory" in c for c in plausibility.concerns(exp, tmp_path, workers=None))  # a remote cluster


def test_a_scenario_file_given_to_sweep_is_named_as_such(tmp_path):
    scenario = ROOT / "scenarios" / "guiyang_2012.toml"
    with pytest.raises(InputError, match="is a scenario file, not an experiment file: `govsim run"):
        load_experiment(scenario)
    result = CliRunner().invoke(main, ["sweep", str(scenario), "--out", str(tmp_path / "out")])
    assert result.exit_code == 2 and result.output.count("\n") == 1
    assert f"govsim: error: {scenario}: is a scenario file" in result.output


def test_analyze_refuses_an_out_that_is_a_file_and_a_folder_that_does_not_exist(tmp_path, small_serial):
    target = tmp_path / "table.csv"
    target.write_text("mine")
    result = CliRunner().invoke(main, ["analyze", str(small_serial), "--out", str(target)])
    assert result.exit_code == 2 and "Traceback" not in result.output
    assert f"govsim: error: {target}: --out: is a file; give a folder" in result.output
    assert target.read_text() == "mine"
    missing = tmp_path / "nowhere"
    result = CliRunner().invoke(main, ["analyze", str(missing)])
    assert result.exit_code == 2 and f"govsim: error: {missing}: does not exist" in result.output


def test_a_clean_finish_removes_the_lock_and_the_rows_are_consolidated(small_serial):
    assert not (small_serial / ".lock").exists()
    assert helpers.row_files(small_serial) == 0
    assert len(pd.read_parquet(small_serial / "runs.parquet")) == 12
