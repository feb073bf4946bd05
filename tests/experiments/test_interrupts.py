"""Ctrl-C, twice: the sweep ends promptly, its workers are gone and every finished run is intact."""

from __future__ import annotations

import contextlib
import json
import os
import signal
import subprocess
import time

import pandas as pd
import pytest

from govsim.experiments import load_experiment
from govsim.experiments.experiment import OK
from govsim.experiments.runner import execute
from govsim.experiments.store import ResultStore

from . import helpers
from .conftest import SMALL, govsim_command, subprocess_env, write
from .test_resume import group_alive, recorded, start, stop_group

# Runs of about a second, so that each trial interrupts runs in flight.
SLOWER = (SMALL.replace('"population.residents" = 1000', '"population.residents" = 8000')
          .replace("steps = 40", "steps = 500").replace("burn_in = 10", "burn_in = 100")
          .replace('"centre.staff" = [20, 30]', '"centre.staff" = [15, 20, 25, 30]'))
TOTAL = 24


def interrupt_group(pid: int) -> None:
    with contextlib.suppress(ProcessLookupError):
        os.killpg(pid, signal.SIGINT)  # what Ctrl-C in a terminal does: the whole foreground group


@pytest.mark.slow
def test_a_second_ctrl_c_ends_the_sweep_promptly_with_finished_runs_intact(tmp_path):
    path = write(tmp_path, "slower", SLOWER)
    exp = load_experiment(path)
    out = tmp_path / "out"
    command = [*govsim_command(), "sweep", str(path), "--out", str(out), "--workers", "2"]
    hard_stops = 0
    # The clean-up after a first Ctrl-C takes a few tenths of a second here: most gaps land inside it.
    for trial, gap in enumerate((0.02, 0.05, 0.1, 0.2, 0.0, 1.0)):
        before = recorded(out)
        proc = start(command)
        try:
            assert helpers.wait_for(lambda b=before: recorded(out) >= b + 1, timeout=180), proc.communicate()
            time.sleep(0.2)  # into the middle of the next runs
            interrupt_group(proc.pid)
            time.sleep(gap)
            interrupt_group(proc.pid)
            stopped = time.monotonic()
            _, stderr = proc.communicate(timeout=30)
            assert time.monotonic() - stopped < 20, f"trial {trial}: took too long to stop"
            # 130, or ended by the signal itself during the interpreter's shutdown: a shell shows both as 130.
            assert proc.returncode in (130, -signal.SIGINT), (trial, stderr)
            assert "Traceback" not in stderr, stderr
            hard_stops += "second interrupt: stopping now" in stderr
            assert helpers.wait_for(lambda p=proc: not group_alive(p.pid), timeout=15, interval=0.1), \
                f"trial {trial}: processes left behind"
        finally:
            stop_group(proc)
        store = ResultStore(out)
        assert store.inspect(exp, deep=True) == [], f"trial {trial}: damaged files"
        assert not (out / ".lock").exists() or not _locked(out)
        manifest = json.loads((out / "manifest.json").read_text())
        assert manifest["status"] == "interrupted", trial
        assert recorded(out) < TOTAL, "the sweep finished before it could be interrupted: make its runs longer"

    assert hard_stops >= 1, "no trial reached the second interrupt's path"

    done = subprocess.run(command, env=subprocess_env(), capture_output=True, text=True, timeout=600, check=False)
    assert done.returncode == 0, done.stderr
    runs = pd.read_parquet(out / "runs.parquet")
    assert len(runs) == TOTAL and set(runs["status"]) == {OK}
    # Runs finished before the interrupts are exactly what their tasks give.
    tasks = {t.run_id: t for t in exp.tasks()}
    for _, row in runs.sort_values("wall_time").head(2).iterrows():
        again = execute(tasks[row["run_id"]]).row
        assert again["satisfaction_final"] == row["satisfaction_final"]
        assert again["needs_met_mean"] == row["needs_met_mean"]


def _locked(out) -> bool:
    """Whether some process holds the folder's lock."""
    import fcntl

    with open(out / ".lock") as f:
        try:
            fcntl.flock(f, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            return True
        fcntl.flock(f, fcntl.LOCK_UN)
        return False


def test_descendants_lists_the_processes_this_one_started():
    from govsim.experiments.interrupts import descendants

    child = subprocess.Popen(["sleep", "30"])
    try:
        assert helpers.wait_for(lambda: child.pid in descendants(), timeout=5)
        assert os.getpid() not in descendants()
    finally:
        child.kill()
        child.wait(5)


@pytest.mark.slow
def test_ctrl_c_while_the_sweep_starts_its_workers_is_one_line(tmp_path):
    """Once, twice, at moments from the first line on: while the pool and its fork server start, too."""
    path = write(tmp_path, "slower", SLOWER)
    out = tmp_path / "out"
    command = [*govsim_command(), "sweep", str(path), "--out", str(out), "--workers", "2"]
    for trial, delay in enumerate((0.0, 0.1, 0.3, 0.6, 0.0, 0.2)):
        proc = start(command)
        try:
            proc.stderr.readline()  # the command's first line: the experiment is read, the sweep begins
            time.sleep(delay)
            interrupt_group(proc.pid)
            if trial % 2:
                time.sleep(0.05)
                interrupt_group(proc.pid)
            _, stderr = proc.communicate(timeout=60)
            assert proc.returncode in (130, -signal.SIGINT), (trial, stderr)
            assert "Traceback" not in stderr and "Aborted" not in stderr, (trial, stderr)
            assert helpers.wait_for(lambda p=proc: not group_alive(p.pid), timeout=15, interval=0.1), trial
        finally:
            stop_group(proc)
        assert ResultStore(out).inspect(load_experiment(path)) == []
