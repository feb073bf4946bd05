"""Running many runs on any ``concurrent.futures`` executor, so that none can sink the rest.

* :func:`execute` is the pure function of one run: a :class:`~govsim.experiments.experiment_file.RunTask`
  in, a :class:`RunResult` (one summary row and the kept time series) out.  It
  never raises: an exception in the model becomes a row with status
  ``"failed"``, the error and its traceback.
* :func:`run_tasks` keeps a bounded window of runs in flight on an executor and
  hands each result to a callback as soon as it is done, so memory stays flat
  however long the sweep.  If a worker process dies (killed, out of memory),
  the pool is rebuilt and the runs that were in flight are retried one at a
  time; a run that kills its worker on its own is recorded as failed.
* Executors: :class:`SerialExecutor` (in this process), :func:`process_pool`
  (the default), and Dask distributed (:mod:`~govsim.experiments.dask_backend`).
  All give identical results, because each run depends only on its task.
"""

from __future__ import annotations

import concurrent.futures as cf
import contextlib
import multiprocessing
import os
import signal
import threading
import time
import traceback
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from govsim.experiments.experiment import FAILED, OK, RunTask, Window, kept_steps, statistics


@dataclass
class CityParts:
    """What a city run sends back besides its city-level series.

    Attributes:
        series: one row per community and kept step: ``step``, ``community``, ``district``, ``reformed`` and the
            kept outcomes (float32, as the model records them).
        communities: :meth:`govsim.city.CityModel.communities`: one row per community.
    """

    series: pd.DataFrame
    communities: pd.DataFrame


@dataclass
class RunResult:
    """What one run sends back: its row and, if it finished, its kept time series (and a city's parts)."""

    row: dict[str, Any]
    steps: np.ndarray | None = None       # int32, the kept steps
    series: np.ndarray | None = None      # float64, kept steps x outcomes
    city: CityParts | None = None


def task_row(task: RunTask) -> dict[str, Any]:
    """The columns of a run's row that come from its task: identity, varied parameters, code."""
    from govsim.experiments.code_identity import current_id

    row: dict[str, Any] = {
        "run_id": task.run_id, "config_id": task.config_id, "scenario": task.scenario, "point": task.point,
        "replication": task.replication, "seed": task.seed, "code": current_id(),
    }
    row.update({k: task.values[k] for k in task.varied})
    return row


def execute(task: RunTask) -> RunResult:
    """Run one configuration with one seed; never raises (a failure is returned as a row)."""
    start = time.perf_counter()
    try:
        row = task_row(task)
        model = build_model(task)
        model.run(task.steps)
        df = model.timeseries()
        data = df[list(task.outcomes)].to_numpy(dtype=np.float64)
        kept = data[task.burn_in:]
        if len(data) != task.steps:
            raise RuntimeError(f"the model recorded {len(data)} steps, not {task.steps}")
        steps = np.asarray(kept_steps(task.steps, task.burn_in, task.record_every), dtype=np.int32)
        series = np.ascontiguousarray(data[steps - 1])
        city = city_parts(model, task, steps) if task.city else None
        finals, means = data[-1], kept_means(kept)
        row.update(status=OK, error=None, traceback=None)
        windows = {w: kept_means(data[first - 1:last]) for w, first, last in task.windows}
        for i, name in enumerate(task.outcomes):
            row[f"{name}_final"] = float(finals[i])
            row[f"{name}_mean"] = float(means[i])
            for w, values in windows.items():
                row[f"{name}_{w}"] = float(values[i])
        row["wall_time"] = time.perf_counter() - start
        return RunResult(row, steps, series, city)
    except Exception as e:  # any failure of a run is recorded, never raised
        return failed_result(task, e, time.perf_counter() - start, traceback.format_exc())


def outcome_columns(outcomes: tuple[str, ...] | list[str], windows: tuple[Window, ...] = ()) -> list[str]:
    """The outcome columns of a run's row: ``<outcome>_<statistic>`` for every statistic (see
    :func:`~govsim.experiments.experiment.statistics`)."""
    return [f"{o}_{stat}" for o in outcomes for stat in statistics(windows)]


def build_model(task: RunTask) -> Any:
    """The model a task runs: one community, or a city (whose task carries its configuration before the reform)."""
    from govsim.scenario import Scenario

    if task.before is None:
        from govsim.model import CommunityModel

        return CommunityModel(Scenario(task.scenario, "", dict(task.values)), rng=task.seed)
    from govsim.city import CityModel

    before = Scenario(f"{task.scenario} (before the reform)", "", dict(task.before))
    return CityModel(Scenario(task.scenario, "", dict(task.values), before=before), rng=task.seed)


def city_parts(model: Any, task: RunTask, steps: np.ndarray) -> CityParts:
    """A city run's communities and their series on the kept steps, with the kept outcomes only."""
    frame = model.community_timeseries()
    frame = frame[frame["step"].isin(steps)]
    labels = ["step", "community", "district", "reformed"]
    series = frame[labels].assign(step=frame["step"].astype(np.int32))
    for name in task.outcomes:
        series[name] = frame[name].to_numpy(dtype=np.float32)
    return CityParts(series.reset_index(drop=True), model.communities())


def kept_means(kept: np.ndarray) -> np.ndarray:
    """Each outcome's mean over the kept days that have a value: a windowed outcome is undefined on a day with
    nothing to measure (welfare days when no application was decided in the window), and such days are left out;
    NaN only if no day has a value."""
    with np.errstate(invalid="ignore", divide="ignore"):
        counts = np.sum(~np.isnan(kept), axis=0)
        return np.where(counts > 0, np.nansum(kept, axis=0) / np.maximum(counts, 1), np.nan)


def failed_result(task: RunTask, error: BaseException | str, wall_time: float = float("nan"),
                  trace: str | None = None) -> RunResult:
    """A result row for a run that did not finish."""
    row = task_row(task)
    row.update(status=FAILED, error=error if isinstance(error, str) else f"{type(error).__name__}: {error}",
               traceback=trace)
    for column in outcome_columns(task.outcomes, task.windows):
        row[column] = float("nan")
    row["wall_time"] = wall_time
    return RunResult(row)


# --- executors ------------------------------------------------------------------------------


class SerialExecutor(cf.Executor):
    """Runs each submitted call at once, in this process (``--workers 1``; handy under a debugger)."""

    def submit(self, fn, /, *args, **kwargs):
        future: cf.Future = cf.Future()
        try:
            future.set_result(fn(*args, **kwargs))
        except Exception as e:
            future.set_exception(e)
        return future


def default_workers() -> int:
    """The CPUs this process may use."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # pragma: no cover - not Linux
        return max(1, os.cpu_count() or 1)


def _start_context() -> Any:
    methods = multiprocessing.get_all_start_methods()
    if "forkserver" in methods:
        from multiprocessing import forkserver

        from govsim.experiments.interrupts import ignoring_ctrl_c

        ctx = multiprocessing.get_context("forkserver")
        ctx.set_forkserver_preload(["govsim.experiments.runner", "govsim.model"])
        # The fork server imports the model before it ignores Ctrl-C itself: a Ctrl-C in that second would
        # print its traceback.  Started while Ctrl-C is ignored, it never sees one (nor do its workers).
        with ignoring_ctrl_c():
            forkserver.ensure_running()
        return ctx
    return multiprocessing.get_context("spawn")


def _init_worker(parent: int) -> None:
    """In each pool worker: leave Ctrl-C to the parent, and exit if the parent is gone (SIGKILL)."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)

    def watch():
        while _alive(parent):
            time.sleep(0.5)
        os._exit(0)

    threading.Thread(target=watch, daemon=True, name="govsim-parent-watch").start()


def _alive(pid: int) -> bool:
    """Whether process ``pid`` still runs (a killed parent not yet reaped counts as gone)."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # pragma: no cover - pid reused by another user's process
        return False
    try:
        with open(f"/proc/{pid}/stat") as f:
            return f.read().rsplit(")", 1)[1].split()[0] not in ("Z", "X")
    except OSError:  # no /proc (macOS): trust kill()
        return True


def process_pool(workers: int | None = None) -> cf.ProcessPoolExecutor:
    """A local process pool (forkserver where available, so workers start light and safe), its workers started.

    The workers are started now, with Ctrl-C held until they are up: a Ctrl-C
    in the middle of starting one would leave a process the pool does not know.
    """
    from govsim.experiments.interrupts import deferred_ctrl_c

    n = workers or default_workers()
    pool = cf.ProcessPoolExecutor(max_workers=n, mp_context=_start_context(), initializer=_init_worker,
                                  initargs=(os.getpid(),))
    try:
        with deferred_ctrl_c():
            started = [pool.submit(os.getpid) for _ in range(n)]  # each starts a worker while none is idle
            with contextlib.suppress(cf.BrokenExecutor):  # the run loop deals with a pool that cannot start
                for future in started:
                    future.result()
    except BaseException:  # the Ctrl-C held meanwhile: nobody else knows this pool to stop it
        stop_pool(pool)
        raise
    return pool


def stop_pool(executor: cf.Executor, grace: float = 3.0) -> None:
    """Stop an executor now: cancel what has not started and end the pool's worker processes.

    Workers get SIGTERM, then SIGKILL after ``grace`` seconds, so that a worker
    deep in a run (or stuck) cannot hold the sweep open.
    """
    executor.shutdown(wait=False, cancel_futures=True)
    if isinstance(executor, cf.ProcessPoolExecutor):
        processes = list((getattr(executor, "_processes", None) or {}).values())
        for process in processes:
            with contextlib.suppress(OSError, AttributeError):
                process.terminate()
        deadline = time.monotonic() + grace
        for process in processes:
            with contextlib.suppress(OSError, AttributeError, ValueError):
                process.join(max(0.0, deadline - time.monotonic()))
                if process.is_alive():
                    process.kill()
                    process.join(1.0)
        executor.shutdown(wait=True)


def capped_workers(requested: int | None, echo: Callable[[str], None]) -> int:
    """The workers of a local pool or LocalCluster: as asked, but no more than the CPUs available.

    A CPU-bound run gains nothing from a second process on the same core, and
    each worker holds a whole model in memory.
    """
    available = default_workers()
    if requested is None:
        return available
    if requested > available:
        echo(f"--workers {requested}: capped at {available}, the CPUs available to this process "
             "(more processes than cores only add memory)")
        return available
    return requested


# --- the run loop ---------------------------------------------------------------------------


class ExecutorBrokenError(RuntimeError):
    """The executor can run nothing more and cannot be rebuilt."""


def run_tasks(tasks: Iterable[RunTask], executor: cf.Executor | Callable[[], cf.Executor],
              on_result: Callable[[RunResult], None], *, window: int | Callable[[], int] = 4,
              run: Callable[[RunTask], RunResult] = execute, idle: Callable[[float], None] | None = None,
              poll: float = 1.0) -> None:
    """Run every task on ``executor`` and pass each result to ``on_result`` as soon as it is done.

    Args:
        tasks: an iterable of tasks; read lazily, at most ``window`` ahead.
        executor: a ``concurrent.futures.Executor``, or a function that makes
            one (then a pool broken by a dying worker is replaced).
        on_result: called in this thread with each :class:`RunResult`.
        window: how many runs to keep in flight (or a function giving it).
        run: the function run on the workers (default :func:`execute`); it
            must be importable by the workers.
        idle: called every ``poll`` seconds while no run finishes, with the
            seconds since the last one did (e.g. to say that a cluster has no workers).

    An executor passed in is left running for its owner; one made by
    ``executor()`` is shut down on return.  When a worker process dies, every
    run in flight with it is retried, one at a time, on a new pool; a run that
    kills its worker by itself is recorded as failed.

    On KeyboardInterrupt (Ctrl-C, or SIGTERM turned into it by the caller) the
    runs not yet started are cancelled, the pool is stopped and the interrupt
    is raised again; every result handed to ``on_result`` before is kept.
    """
    factory = executor if callable(executor) and not isinstance(executor, cf.Executor) else None
    current: cf.Executor = factory() if factory else executor  # type: ignore[assignment]
    pending: Iterator[RunTask] = iter(tasks)
    unsent: deque[RunTask] = deque()         # drawn but refused by a broken pool: sent first, no suspicion
    suspects: deque[RunTask] = deque()       # in flight when a worker died: retried one at a time
    in_flight: dict[cf.Future, RunTask] = {}
    width = window if callable(window) else (lambda: window)
    last = time.monotonic()

    def collect(futures) -> list[RunTask]:
        """Hand on the results of finished futures; return the tasks a broken pool took down."""
        broken = []
        for future in futures:
            task = in_flight.pop(future)
            try:
                result = future.result()
            except cf.BrokenExecutor:
                broken.append(task)
                continue
            except cf.CancelledError:
                result = failed_result(task, "cancelled by the executor")
            except Exception as e:  # e.g. Dask's KilledWorker after repeated worker deaths
                result = failed_result(task, e, trace="".join(traceback.format_exception(e)))
            on_result(result)
        return broken

    try:
        while True:
            limit = 1 if suspects else max(1, width())
            refused = False
            while len(in_flight) < limit:
                task: RunTask | None
                if suspects:
                    if in_flight:
                        break
                    task = suspects.popleft()
                elif unsent:
                    task = unsent.popleft()
                else:
                    task = next(pending, None)
                    if task is None:
                        break
                try:
                    in_flight[current.submit(run, task)] = task
                except cf.BrokenExecutor:  # the pool broke since we last looked; this task never ran
                    unsent.appendleft(task)
                    refused = True
                    break
            if not in_flight and not refused:
                if suspects or unsent:
                    continue
                break
            if refused:
                done = set(cf.wait(in_flight).done)  # a broken pool fails everything still in flight
            else:
                done = set(cf.wait(in_flight, timeout=poll, return_when=cf.FIRST_COMPLETED).done)
                if not done:
                    if idle is not None:
                        idle(time.monotonic() - last)
                    continue
                last = time.monotonic()
            broken = collect(done)
            if not (broken or refused):
                continue
            broken += collect(set(cf.wait(in_flight).done))
            if factory is None:
                for task in [*broken, *unsent]:
                    on_result(failed_result(task, "the executor broke (a worker process died)"))
                raise ExecutorBrokenError("the executor broke (a worker process died); run again to resume")
            stop_pool(current)
            current = factory()
            if len(broken) == 1 and limit == 1:  # it ran by itself: it killed its worker
                on_result(failed_result(broken[0], "the worker process running it died "
                                                   "(killed, out of memory or crashed)"))
            else:
                suspects.extend(broken)
    except BaseException:
        for future in in_flight:
            future.cancel()
        if factory is not None:
            stop_pool(current)
        raise
    if factory is not None:
        current.shutdown(wait=True)
