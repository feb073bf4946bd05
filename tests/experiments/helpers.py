"""Run functions that fail on purpose, and small utilities, for the experiment engine's tests.

They live in an importable module so that worker processes can unpickle them.
"""

from __future__ import annotations

import os
import socket
import time
from pathlib import Path

import pandas as pd

from govsim.experiments.runner import execute

FAIL_REPLICATION = 1
FAIL_SCENARIO = "article_remedies"


def is_victim(task) -> bool:
    return task.replication == FAIL_REPLICATION and task.scenario == FAIL_SCENARIO


def flaky(task):
    """Raises for replication 1 of article_remedies, as a bug in a run would."""
    if is_victim(task):
        raise RuntimeError("injected failure")
    return execute(task)


def crashing(task):
    """Kills its own worker process for one run (as the out-of-memory killer would)."""
    if is_victim(task) and task.point == 0:
        os._exit(13)
    return execute(task)


def table(out: Path) -> pd.DataFrame:
    """runs.parquet sorted by run_id, without wall time (the only column that may differ between runs)."""
    df = pd.read_parquet(Path(out) / "runs.parquet").drop(columns="wall_time")
    return df.sort_values("run_id").reset_index(drop=True)


def series(out: Path) -> pd.DataFrame:
    df = pd.read_parquet(Path(out) / "timeseries")
    return df.sort_values(["run_id", "step"]).reset_index(drop=True)


def row_files(out: Path) -> int:
    folder = Path(out) / "runs"
    return len(list(folder.glob("*.json"))) if folder.is_dir() else 0


def wait_for(condition, timeout: float, interval: float = 0.02) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(interval)
    return False


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def quick(task):
    """A stand-in run that returns at once (for tests of the run loop itself)."""
    from govsim.experiments.runner import failed_result

    return failed_result(task, "not run")


def grandchildren() -> list[int]:
    """Processes below this one's children: pool workers (they hang under the fork server, which stays)."""
    import psutil

    from govsim.experiments.interrupts import descendants

    children = {p.pid for p in psutil.Process().children(recursive=False)}
    return [pid for pid in descendants() if pid not in children]
