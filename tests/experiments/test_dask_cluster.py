"""A real Dask cluster on 127.0.0.1: a worker killed mid-sweep loses nothing."""

from __future__ import annotations

import contextlib
import signal
import subprocess
import sys
from pathlib import Path

import pytest
from pandas.testing import assert_frame_equal

from . import helpers
from .conftest import govsim_command, subprocess_env
from .test_resume import recorded, stop_group

pytest.importorskip("distributed")

DASK = [str(Path(sys.executable).with_name("dask"))] if Path(sys.executable).with_name("dask").exists() else \
    [sys.executable, "-m", "dask"]


def start(command) -> subprocess.Popen:
    return subprocess.Popen(command, env=subprocess_env(), stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                            text=True, start_new_session=True)


@contextlib.contextmanager
def cluster(n_workers: int = 2):
    """``dask scheduler`` and ``dask worker`` processes on loopback, on a free port."""
    from distributed import Client

    address = f"tcp://127.0.0.1:{helpers.free_port()}"
    port = address.rsplit(":", 1)[1]
    procs = [start([*DASK, "scheduler", "--host", "127.0.0.1", "--port", port, "--no-dashboard"])]
    try:
        for i in range(n_workers):
            procs.append(start([*DASK, "worker", address, "--nthreads", "1", "--no-nanny", "--no-dashboard",
                                "--host", "127.0.0.1", "--name", f"test-worker-{i}", "--death-timeout", "60"]))
        with Client(address, timeout="60s") as client:
            client.wait_for_workers(n_workers, timeout=90)
            yield address, procs[1:], client
    finally:
        for proc in reversed(procs):
            with contextlib.suppress(ProcessLookupError):
                proc.send_signal(signal.SIGTERM)
        for proc in reversed(procs):
            with contextlib.suppress(subprocess.TimeoutExpired):
                proc.wait(10)
            stop_group(proc)


@pytest.mark.slow
def test_a_dask_worker_killed_mid_sweep_loses_nothing(tmp_path, longer_file, longer_serial):
    out = tmp_path / "dask"
    with cluster(2) as (address, workers, client):
        victim = next(a for a, w in client.scheduler_info()["workers"].items() if w["name"] == "test-worker-0")
        sweep = subprocess.Popen([*govsim_command(), "sweep", str(longer_file), "--scheduler", address,
                                  "--out", str(out)], env=subprocess_env(), stdout=subprocess.PIPE,
                                 stderr=subprocess.PIPE, text=True)
        try:
            assert helpers.wait_for(lambda: recorded(out) >= 3, timeout=180)
            assert helpers.wait_for(lambda: client.processing(victim)[victim], timeout=30)  # it holds runs
            workers[0].kill()  # SIGKILL, in the middle of a run
            workers[0].wait(10)
            _, stderr = sweep.communicate(timeout=300)
        finally:
            if sweep.poll() is None:
                sweep.kill()
        assert sweep.returncode == 0, stderr
        assert workers[1].poll() is None  # the other worker did the rest
    assert_frame_equal(helpers.table(out), helpers.table(longer_serial))
    assert_frame_equal(helpers.series(out), helpers.series(longer_serial))
