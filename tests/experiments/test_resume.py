"""A sweep killed at any moment and started again ends with the results of one never interrupted."""

from __future__ import annotations

import contextlib
import json
import os
import signal
import subprocess

import pandas as pd
import pytest
from pandas.testing import assert_frame_equal

from . import helpers
from .conftest import govsim_command, subprocess_env

TOTAL = 24  # runs of the "longer" experiment


def recorded(out) -> int:
    """Runs recorded so far: rows in runs.parquet plus row files written since."""
    n = helpers.row_files(out)
    with contextlib.suppress(OSError, ValueError):
        n += len(pd.read_parquet(out / "runs.parquet", columns=["run_id"]))
    return n


def group_alive(pgid: int) -> bool:
    try:
        os.killpg(pgid, 0)
    except ProcessLookupError:
        return False
    return True


def start(command, **kwargs) -> subprocess.Popen:
    return subprocess.Popen(command, env=subprocess_env(), stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            text=True, start_new_session=True, **kwargs)


def stop_group(proc: subprocess.Popen) -> None:
    """End whatever is left of a process group this test started."""
    with contextlib.suppress(ProcessLookupError):
        os.killpg(proc.pid, signal.SIGKILL)
    with contextlib.suppress(subprocess.TimeoutExpired):
        proc.wait(10)


@pytest.mark.slow
def test_sigkill_twice_then_resume_gives_the_uninterrupted_table(tmp_path, longer_file, longer_serial):
    out = tmp_path / "killed"
    command = [*govsim_command(), "sweep", str(longer_file), "--out", str(out), "--workers", "2"]
    for at_least in (2, 9):
        proc = start(command)
        try:
            assert helpers.wait_for(lambda n=at_least: recorded(out) >= n, timeout=180), proc.communicate()
            proc.send_signal(signal.SIGKILL)  # the parent only, mid-write or not: as a crash would
            proc.wait(10)
            # Its pool workers notice their parent is gone and leave by themselves.
            assert helpers.wait_for(lambda p=proc: not group_alive(p.pid), timeout=15, interval=0.2)
        finally:
            stop_group(proc)
    assert recorded(out) < TOTAL, "the sweep finished before it could be killed: make its runs longer"

    done = subprocess.run(command, env=subprocess_env(), capture_output=True, text=True, timeout=300, check=False)
    assert done.returncode == 0, done.stderr
    assert "resuming:" in done.stderr
    assert_frame_equal(helpers.table(out), helpers.table(longer_serial))
    assert_frame_equal(helpers.series(out), helpers.series(longer_serial))
    assert not list(out.rglob(".*.tmp"))
    manifest = json.loads((out / "manifest.json").read_text())
    assert manifest["status"] == "complete" and len(manifest["sessions"]) == 3


@pytest.mark.slow
def test_ctrl_c_stops_cleanly_and_the_same_command_finishes(tmp_path, longer_file, longer_serial):
    out = tmp_path / "interrupted"
    command = [*govsim_command(), "sweep", str(longer_file), "--out", str(out), "--workers", "2"]
    proc = start(command)
    try:
        assert helpers.wait_for(lambda: recorded(out) >= 3, timeout=180)
        os.killpg(proc.pid, signal.SIGINT)  # what Ctrl-C in a terminal does: the whole foreground group
        _, stderr = proc.communicate(timeout=60)
        assert proc.returncode == 130, stderr
        assert "run the same command to resume" in stderr
        assert helpers.wait_for(lambda: not group_alive(proc.pid), timeout=15, interval=0.2)
    finally:
        stop_group(proc)
    manifest = json.loads((out / "manifest.json").read_text())
    assert manifest["status"] == "interrupted"
    assert 3 <= manifest["counts"]["ok"] < TOTAL
    assert helpers.row_files(out) == 0  # consolidated into runs.parquet on the way out

    done = subprocess.run(command, env=subprocess_env(), capture_output=True, text=True, timeout=300, check=False)
    assert done.returncode == 0, done.stderr
    assert_frame_equal(helpers.table(out), helpers.table(longer_serial))
    assert_frame_equal(helpers.series(out), helpers.series(longer_serial))
