"""A sweep: every run of an experiment, on an executor, written to a results folder as it goes.

>>> from govsim.experiments import load_experiment, run_experiment
>>> exp = load_experiment("experiments/reform_comparison.toml")       # doctest: +SKIP
>>> report = run_experiment(exp, workers=2)                             # doctest: +SKIP
>>> report.ok, report.failed, report.out                                # doctest: +SKIP
"""

from __future__ import annotations

import concurrent.futures as cf
import contextlib
import platform
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from govsim.errors import InputError
from govsim.experiments import runner
from govsim.experiments.runner import OK, RunResult, execute
from govsim.experiments.spec import Experiment, RunTask
from govsim.experiments.store import ResultStore, now

BACKENDS = ("local", "dask")


@dataclass
class SweepReport:
    """How a sweep went."""

    out: Path
    total: int
    ok: int = 0
    failed: int = 0
    skipped: int = 0            # finished before this session started
    ran: int = 0                # finished in this session
    seconds: float = 0.0
    interrupted: bool = False
    failures: list[str] = field(default_factory=list)   # "run_id: error" of this session's first 20 failures

    @property
    def complete(self) -> bool:
        return self.ok + self.failed == self.total


def run_experiment(exp: Experiment, out: str | Path | None = None, *, backend: str = "local",
                   workers: int | None = None, scheduler: str | None = None,
                   executor: cf.Executor | Callable[[], cf.Executor] | None = None, rerun_failed: bool = False,
                   progress: bool | None = None, run: Callable[[RunTask], RunResult] = execute,
                   consolidate_every: float = 30.0, echo: Callable[[str], None] = print) -> SweepReport:
    """Run every run of ``exp`` not yet finished in ``out`` and record each as it finishes.

    Args:
        exp: a checked experiment (:func:`~govsim.experiments.spec.load_experiment`).
        out: results folder [default ``results/<exp.name>``].
        backend: ``"local"`` (a process pool; in-process for ``workers=1``) or ``"dask"``.
        workers: processes of the local pool or LocalCluster [default: the CPUs available].
        scheduler: ``tcp://HOST:PORT`` of a running Dask scheduler, or its scheduler file (backend ``"dask"``).
        executor: any ``concurrent.futures`` executor (or a function making one);
            overrides ``backend``.
        rerun_failed: run again the runs recorded as failed.
        progress: show a progress bar [default: when stderr is a terminal].
        run: the function run for each task (tests use it to inject failures).
        consolidate_every: seconds between rewrites of runs.parquet during the sweep.
        echo: where to print the few lines of news.

    Returns:
        A :class:`SweepReport`.  On Ctrl-C the finished runs are kept, the report
        says ``interrupted`` and KeyboardInterrupt is raised again.
    """
    if backend not in BACKENDS:
        raise InputError(f"unknown backend {backend!r}; allowed: {', '.join(BACKENDS)}", key="--backend")
    if scheduler and backend != "dask":
        raise InputError("a scheduler address needs --backend dask", key="--scheduler")
    if workers is not None and workers < 1:
        raise InputError(f"must be at least 1, got {workers}", key="--workers")
    out = Path(out) if out is not None else Path("results") / exp.name
    store = ResultStore(out)
    previous = store.check_target(exp)
    if backend == "dask" and executor is None:
        try:
            import distributed  # noqa: F401
        except ImportError:
            raise InputError("needs Dask distributed: pip install 'govsim[dask]'", key="--backend") from None

    with contextlib.ExitStack() as stack:
        window: int | Callable[[], int]
        if executor is not None:
            chosen, window, label = executor, 2 * (workers or runner.default_workers()), "custom executor"
        elif backend == "dask":
            try:
                chosen, client = stack.enter_context(runner.dask_executor(scheduler, workers))
            except (OSError, TimeoutError) as e:
                raise InputError(f"cannot reach the Dask scheduler at {scheduler}: {e}", key="--scheduler") from None
            window = runner.dask_window(client)
            label = f"dask scheduler {scheduler}" if scheduler else \
                f"dask LocalCluster, {workers or runner.default_workers()} workers"
        else:
            n = workers or runner.default_workers()
            if n == 1:
                chosen, window, label = runner.SerialExecutor(), 1, "serial (this process)"
            else:
                chosen, window, label = (lambda: runner.process_pool(n)), 2 * n, f"local pool, {n} workers"
        with store.lock():
            report = _sweep(exp, store, previous, chosen, window, label, rerun_failed, progress, run,
                            consolidate_every, echo)
    return report


def _sweep(exp, store: ResultStore, previous, executor, window, label, rerun_failed, progress, run,
           consolidate_every, echo) -> SweepReport:
    import govsim

    started = time.monotonic()
    session = {"started": now(), "finished": None, "backend": label, "command": " ".join(sys.argv),
               "rerun_failed": rerun_failed, "ran": 0, "failed": 0}
    manifest = _manifest(exp, previous or {}, session)
    store.write_manifest(manifest)  # first, so that the folder is known as this experiment's from now on
    store.clear_temporary()
    if previous and (previous.get("experiment", {}).get("sha256") != exp.sha256
                     or previous.get("versions", {}).get("govsim") != govsim.__version__):
        moved = store.set_aside_orphans(exp)
        if moved:
            echo(f"set aside {moved} time series of an earlier version of the experiment in {store.superseded}")
    counts_before = store.consolidate(exp)   # also sets aside runs of an earlier version of the experiment
    store.write_inputs(exp)
    done = store.finished()
    skip = {rid for rid, status in done.items() if status == OK or not rerun_failed}
    report = SweepReport(out=store.root, total=exp.n_runs, skipped=len(skip))
    report.ok, report.failed = counts_before["ok"], counts_before["failed"]
    if rerun_failed:
        report.failed = 0
    if skip:
        echo(f"resuming: {len(skip)} of {exp.n_runs} runs already recorded in {store.root}")

    bar = _progress_bar(exp, report, progress)
    last_consolidation, cost = time.monotonic(), 0.0

    def on_result(result: RunResult) -> None:
        nonlocal last_consolidation, cost
        store.write(result, exp.outcomes)
        report.ran += 1
        if result.row["status"] == OK:
            report.ok += 1
        else:
            report.failed += 1
            session["failed"] += 1
            if len(report.failures) < 20:  # the rest are in runs.parquet
                report.failures.append(f"{result.row['run_id']}: {result.row['error']}")
        bar.update(1)
        if report.failed:
            bar.set_postfix_str(f"{report.failed} failed", refresh=False)
        if time.monotonic() - last_consolidation > max(consolidate_every, 10 * cost):
            t = time.monotonic()
            store.consolidate(exp)
            cost = time.monotonic() - t
            last_consolidation = time.monotonic()

    restore = _sigterm_as_interrupt()
    try:
        runner.run_tasks(exp.tasks(skip), executor, on_result, window=window, run=run)
    except KeyboardInterrupt:
        report.interrupted = True
        raise
    finally:
        restore()
        bar.close()
        counts = store.consolidate(exp)
        report.ok, report.failed = counts["ok"], counts["failed"]
        report.seconds = time.monotonic() - started
        session.update(finished=now(), ran=report.ran)
        manifest["finished"] = session["finished"]
        manifest["counts"] = {"runs": exp.n_runs, **counts, "pending": exp.n_runs - counts["ok"] - counts["failed"]}
        manifest["status"] = ("interrupted" if report.interrupted else
                              "complete" if not counts["failed"] else "complete with failed runs")
        store.write_manifest(manifest)
    return report


def _progress_bar(exp: Experiment, report: SweepReport, progress: bool | None):
    from tqdm import tqdm

    return tqdm(total=exp.n_runs, initial=report.ok + report.failed, desc=exp.name, unit="run",
                disable=(None if progress is None else not progress), dynamic_ncols=True, smoothing=0.1)


def _sigterm_as_interrupt() -> Callable[[], None]:
    """Treat SIGTERM (e.g. a batch system ending the job) like Ctrl-C: stop cleanly, keep what is done."""
    import threading

    if threading.current_thread() is not threading.main_thread():
        return lambda: None

    def handler(signum, frame):
        raise KeyboardInterrupt

    old = signal.signal(signal.SIGTERM, handler)
    return lambda: signal.signal(signal.SIGTERM, old)


def _manifest(exp: Experiment, previous: dict[str, Any], session: dict[str, Any]) -> dict[str, Any]:
    import govsim

    sessions = [*previous.get("sessions", []), session]
    return {
        "experiment": {"name": exp.name, "description": exp.description, "file": str(exp.path),
                       "sha256": exp.sha256},
        "design": {"kind": exp.design.kind, "parameters": list(exp.design.keys), "points": len(exp.design.points),
                   **exp.design.options, "problem": exp.design.problem},
        "scenarios": [s.name for s in exp.scenarios],
        "reference": exp.reference,
        "varied": list(exp.varied),
        "outcomes": list(exp.outcomes),
        "seed": exp.seed, "replications": exp.replications, "steps": exp.steps, "burn_in": exp.burn_in,
        "record_every": exp.record_every, "configurations": len(exp.configs), "runs": exp.n_runs,
        "versions": versions(),
        "git": git_commit(Path(govsim.__file__).parent),
        "started": previous.get("started") or session["started"],
        "finished": None,
        "status": "running",
        "sessions": sessions,
    }


def versions() -> dict[str, str | None]:
    """Versions of govsim, Python and the libraries whose behaviour reaches the numbers."""
    from importlib.metadata import PackageNotFoundError, version

    import govsim

    out: dict[str, str | None] = {"govsim": govsim.__version__, "python": platform.python_version()}
    for name in ("mesa", "numpy", "pandas", "pyarrow", "SALib", "distributed"):
        try:
            out[name.lower()] = version(name)
        except PackageNotFoundError:
            out[name.lower()] = None
    return out


def git_commit(directory: Path) -> dict[str, Any] | None:
    """The git commit of the checkout govsim runs from, and whether it has uncommitted changes."""
    try:
        commit = subprocess.run(["git", "-C", str(directory), "rev-parse", "HEAD"], capture_output=True, text=True,
                                timeout=5, check=True).stdout.strip()
        dirty = subprocess.run(["git", "-C", str(directory), "status", "--porcelain", "--untracked-files=no"],
                               capture_output=True, text=True, timeout=5, check=True).stdout.strip()
    except (OSError, subprocess.SubprocessError):
        return None
    return {"commit": commit, "dirty": bool(dirty)} if commit else None
