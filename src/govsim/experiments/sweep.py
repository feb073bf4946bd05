"""A sweep: every run of an experiment, on an executor, written to a results folder as it goes.

>>> from govsim.experiments import load_experiment, run_experiment
>>> exp = load_experiment("experiments/reform_comparison.toml")       # doctest: +SKIP
>>> report = run_experiment(exp, workers=2)                             # doctest: +SKIP
>>> report.ok, report.failed, report.out                                # doctest: +SKIP

Before a run starts, the results folder is checked: damaged files are set
aside and their runs run again, runs of an earlier version of the experiment
are set aside, and runs of other code refuse the resume (see
:mod:`~govsim.experiments.code_identity`).  Nothing the sweep meets on the
way ends in a traceback: bad input and a refused resume raise
:class:`~govsim.errors.InputError`, a results folder that stops taking files
raises :class:`ResultsUnwritableError`, and Ctrl-C raises KeyboardInterrupt after
the clean-up (a second Ctrl-C ends the process at once, see
:mod:`~govsim.experiments.interrupts`).
"""

from __future__ import annotations

import concurrent.futures as cf
import contextlib
import platform
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

from govsim.errors import InputError
from govsim.experiments import code_identity, runner
from govsim.experiments.code_identity import CodeIdentity
from govsim.experiments.dask_backend import (
    CONNECT_SECONDS,
    NO_WORKER_NOTICE_SECONDS,
    WorkerWatch,
    dask_executor,
    dask_window,
    scheduler_address,
)
from govsim.experiments.experiment import (
    COMPLETE,
    COMPLETE_WITH_FAILURES,
    FAILED,
    INTERRUPTED,
    OK,
    RUNNING,
    Experiment,
    RunTask,
    Window,
)
from govsim.experiments.integrity import Damage
from govsim.experiments.interrupts import two_stage
from govsim.experiments.progress import Progress
from govsim.experiments.runner import RunResult, execute, outcome_columns
from govsim.experiments.store import ResultStore, now

BACKENDS = ("local", "dask")


class ResultsUnwritableError(Exception):
    """The results folder stopped taking files (disk full, turned read-only, removed) during a sweep."""

    def __init__(self, root: Path, cause: OSError):
        self.root, self.cause = root, cause
        reason = cause.strerror or str(cause)
        where = f" ({cause.filename})" if cause.filename else ""
        super().__init__(f"{root}: cannot write results: {reason}{where}; the sweep stopped, finished runs are kept; "
                         "free some space (or make the folder writable) and run the same command to resume")


class _WriteFailedError(Exception):
    """Raised through the run loop so that it stops the pool; carries the OSError of the store."""

    def __init__(self, cause: OSError):
        super().__init__(str(cause))
        self.cause = cause


@dataclass
class SweepReport:
    """How a sweep went."""

    out: Path
    total: int
    experiment: str = ""
    ok: int = 0
    failed: int = 0
    skipped: int = 0            # finished before this session started
    ran: int = 0                # finished in this session
    seconds: float = 0.0
    interrupted: bool = False
    failures: list[str] = field(default_factory=list)   # "run_id: error" of this session's first 20 failures
    repaired: list[str] = field(default_factory=list)   # what was found damaged and set aside
    status: str = RUNNING

    @property
    def complete(self) -> bool:
        return self.ok + self.failed == self.total


def run_experiment(exp: Experiment, out: str | Path | None = None, *, backend: str = "local",
                   workers: int | None = None, scheduler: str | None = None,
                   executor: cf.Executor | Callable[[], cf.Executor] | None = None, rerun_failed: bool = False,
                   rerun_all: bool = False, repair: bool = False, progress: bool | str | None = None,
                   run: Callable[[RunTask], RunResult] = execute, consolidate_every: float = 30.0,
                   echo: Callable[[str], None] = print, connect_timeout: float = CONNECT_SECONDS,
                   no_worker_notice: float = NO_WORKER_NOTICE_SECONDS) -> SweepReport:
    """Run every run of ``exp`` not yet finished in ``out`` and record each as it finishes.

    Args:
        exp: a checked experiment (:func:`~govsim.experiments.experiment_file.load_experiment`).
        out: results folder [default ``results/<exp.name>``].
        backend: ``"local"`` (a process pool; in-process for ``workers=1``) or ``"dask"``.
        workers: processes of the local pool or LocalCluster [default and at most: the CPUs available].
        scheduler: ``tcp://HOST:PORT`` of a running Dask scheduler, or its scheduler file (backend ``"dask"``).
        executor: any ``concurrent.futures`` executor (or a function making one); overrides ``backend``.
        rerun_failed: run again the runs recorded as failed.
        rerun_all: set every recorded run aside (``superseded/``) and run them all again: the way to
            resume with changed code.
        repair: check every time series page by page (checksums), not only its footer.
        progress: ``True`` a bar, ``False`` nothing, ``"lines"`` a line every few percent
            [default: a bar on a terminal, lines elsewhere].
        run: the function run for each task (tests use it to inject failures).
        consolidate_every: seconds between rewrites of runs.parquet during the sweep.
        echo: where to print the few lines of news.
        connect_timeout: seconds a Dask scheduler has to answer.
        no_worker_notice: seconds without a result after which an empty Dask cluster is reported.

    Returns:
        A :class:`SweepReport`.

    Raises:
        InputError: bad options or folder, a resume with other code; nothing is run.
        ResultsUnwritableError: the folder stopped taking files; finished runs are kept.
        KeyboardInterrupt: after Ctrl-C or SIGTERM, once the finished runs are safe.
    """
    if backend not in BACKENDS:
        raise InputError(f"unknown backend {backend!r}; allowed: {', '.join(BACKENDS)}", key="--backend")
    if scheduler and backend != "dask":
        raise InputError("a scheduler address needs --backend dask", key="--scheduler")
    if workers is not None and workers < 1:
        raise InputError(f"must be at least 1, got {workers}", key="--workers")
    address = scheduler_address(scheduler) if scheduler else None
    out = Path(out) if out is not None else Path("results") / exp.name
    store = ResultStore(out)
    previous, manifest_damage = store.check_target(exp)
    if backend == "dask" and executor is None:
        try:
            import distributed  # noqa: F401
        except ImportError:
            raise InputError("needs Dask distributed: pip install 'govsim[dask]'", key="--backend") from None

    live: dict[str, Any] = {}   # the manifest being written, for a second Ctrl-C to mark

    def mark_interrupted() -> None:
        if "manifest" in live:
            live["manifest"].update(status=INTERRUPTED, finished=now(), stopped_by="a second interrupt")
            store.write_manifest(live["manifest"])

    with two_stage(mark_interrupted, echo), contextlib.ExitStack() as stack:
        window: int | Callable[[], int]
        idle: Callable[[float], None] | None = None
        chosen: cf.Executor | Callable[[], cf.Executor]
        if executor is not None:
            chosen, window, label = executor, 2 * (workers or runner.default_workers()), "custom executor"
        elif backend == "dask":
            n = None if address else runner.capped_workers(workers, echo)
            chosen, client = stack.enter_context(dask_executor(address, n, connect_timeout))
            window = dask_window(client)
            label = f"dask scheduler {address}" if address else f"dask LocalCluster, {n} workers"
            if address:
                idle = WorkerWatch(client, address, echo, no_worker_notice)
        else:
            n = runner.capped_workers(workers, echo)
            if n == 1:
                chosen, window, label = runner.SerialExecutor(), 1, "serial (this process)"
            else:
                chosen, window, label = (lambda: runner.process_pool(n)), 2 * n, f"local pool, {n} workers"
        try:
            lock = store.lock()
            lock.__enter__()
        except OSError as e:
            raise ResultsUnwritableError(store.root, e) from None
        try:
            return _sweep(exp, store, previous, manifest_damage, chosen, window, label, idle, live,
                          rerun_failed=rerun_failed, rerun_all=rerun_all, repair=repair, progress=progress, run=run,
                          consolidate_every=consolidate_every, echo=echo)
        finally:
            lock.__exit__(None, None, None)


def _sweep(exp: Experiment, store: ResultStore, previous: dict[str, Any] | None, manifest_damage: Damage | None,
           executor: cf.Executor | Callable[[], cf.Executor], window: int | Callable[[], int], label: str,
           idle: Callable[[float], None] | None, live: dict[str, Any], *, rerun_failed: bool, rerun_all: bool,
           repair: bool, progress: bool | str | None, run: Callable[[RunTask], RunResult], consolidate_every: float,
           echo: Callable[[str], None]) -> SweepReport:
    started = time.monotonic()
    code = code_identity.current()

    # Read and judge what is there before writing anything.
    damaged = store.inspect(exp, deep=repair) + ([manifest_damage] if manifest_damage else [])
    forget = set().union(*(d.runs for d in damaged)) if damaged else set()
    if not rerun_all:
        _refuse_other_code(exp, store, previous or {}, code, forget)

    session: dict[str, Any] = {"started": now(), "finished": None, "backend": label, "command": " ".join(sys.argv),
               "rerun_failed": rerun_failed, "rerun_all": rerun_all, "repair": repair, "ran": 0, "failed": 0,
               "code": code.id}
    manifest = _manifest(exp, previous or {}, session, code)
    live["manifest"] = manifest
    report = SweepReport(out=store.root, total=exp.n_runs, experiment=exp.name)
    try:
        if damaged:
            target = store.set_aside_damage(damaged)
            for d in damaged:
                line = f"damaged: {d.path.relative_to(store.root)}: {d.problem}; {_consequence(d)}"
                report.repaired.append(line)
                echo(f"{line} (set aside in {target})")
        if rerun_all:
            moved = store.set_aside_everything(f"--rerun-all with {code.describe()}")
            if moved:
                echo(f"--rerun-all: set aside the {moved:,} recorded runs in {store.superseded}; running all again")
        store.write_manifest(manifest)  # first, so that the folder is known as this experiment's from now on
        store.clear_temporary()
        counts_before = store.consolidate(exp, forget)  # also sets aside runs of an earlier version of the experiment
        if counts_before["superseded"]:
            echo(f"set aside {counts_before['superseded']:,} recorded runs that are no longer part of the experiment "
                 f"in {store.superseded}")
        orphans = store.set_aside_orphans()
        if orphans:
            echo(f"set aside {orphans} time series that no recorded run owns in {store.superseded}")
        store.write_inputs(exp)
        done = store.finished()
    except OSError as e:
        raise ResultsUnwritableError(store.root, e) from None
    skip = {rid for rid, status in done.items() if status == OK or not rerun_failed}
    report.skipped = len(skip)
    report.ok, report.failed = counts_before["ok"], counts_before["failed"]
    if rerun_failed:
        report.failed = 0
    if skip:
        echo(f"resuming: {len(skip):,} of {exp.n_runs:,} runs already recorded in {store.root}")

    modes = {None: None, True: "bar", False: "off"}
    bar = Progress(exp.name, exp.n_runs, report.ok + report.failed,
                   modes[progress] if not isinstance(progress, str) else progress, echo)
    last_consolidation, cost = time.monotonic(), 0.0
    stopped_by: OSError | None = None

    def on_result(result: RunResult) -> None:
        nonlocal last_consolidation, cost
        row = result.row
        if row["status"] == OK and row.get("code") != code.id:
            _fail_other_code(result, exp.outcomes, exp.windows, code)
        try:
            store.write(result, exp.outcomes)
        except OSError as e:
            raise _WriteFailedError(e) from e
        report.ran += 1
        failed = row["status"] != OK
        if failed:
            report.failed += 1
            session["failed"] += 1
            if len(report.failures) < 20:  # the rest are in runs.parquet
                report.failures.append(f"{row['run_id']}: {row['error']}")
        else:
            report.ok += 1
        bar.update(failed)
        if time.monotonic() - last_consolidation > max(consolidate_every, 10 * cost):
            t = time.monotonic()
            try:
                store.consolidate(exp)
            except OSError as e:
                raise _WriteFailedError(e) from e
            cost = time.monotonic() - t
            last_consolidation = time.monotonic()

    try:
        runner.run_tasks(exp.tasks(skip), executor, on_result, window=window, run=run, idle=idle)
    except KeyboardInterrupt:
        report.interrupted = True
        raise
    except _WriteFailedError as e:
        report.interrupted = True
        stopped_by = e.cause
    except runner.ExecutorBrokenError:
        report.interrupted = True
        raise
    finally:
        bar.close()
        counts = {"ok": report.ok, "failed": report.failed}
        try:
            consolidated = store.consolidate(exp)
            counts = {"ok": consolidated["ok"], "failed": consolidated["failed"]}
        except OSError as e:
            stopped_by = stopped_by or e
        report.ok, report.failed = counts["ok"], counts["failed"]
        report.seconds = time.monotonic() - started
        session.update(finished=now(), ran=report.ran)
        report.status = (INTERRUPTED if report.interrupted else
                         COMPLETE if not counts["failed"] else COMPLETE_WITH_FAILURES)
        manifest.update(finished=session["finished"], status=report.status,
                        counts={"runs": exp.n_runs, **counts, "pending": exp.n_runs - counts["ok"] - counts["failed"]})
        if stopped_by is not None:
            manifest["stopped_by"] = f"cannot write results: {stopped_by}"
        try:
            store.write_manifest(manifest)
        except OSError as e:
            stopped_by = stopped_by or e
    if stopped_by is not None:
        raise ResultsUnwritableError(store.root, stopped_by)
    return report


def _consequence(damage: Damage) -> str:
    if damage.table:
        return "the runs recorded only in it run again"
    if damage.runs:
        return "its run runs again" if len(damage.runs) == 1 else f"its {len(damage.runs)} runs run again"
    if damage.path.name == "manifest.json":
        return "a new one is written (the runs speak for themselves)"
    return "it is written anew (no run is repeated)"


def _refuse_other_code(exp: Experiment, store: ResultStore, previous: dict[str, Any], code: CodeIdentity,
                       forget: set[str]) -> None:
    """Refuse a resume when the folder holds runs of this experiment computed by other code."""
    df = store.read_rows().frame
    if not len(df):
        return
    current = exp.in_design(df["config_id"].astype(str).tolist(), df["replication"].astype("int64"),
                            df["seed"].astype("int64"))
    df = df[current & ~df["run_id"].isin(forget).to_numpy()]
    recorded = df["code"] if "code" in df.columns else pd.Series([None] * len(df), dtype=object)
    other = recorded[recorded.ne(code.id) | recorded.isna()]
    if not len(other):
        return
    old = other.fillna("unknown").mode().iloc[0]
    known = previous.get("codes", {}).get(old)
    if old == "unknown":
        described = "code not recorded (an older govsim)"
    elif known:
        described = CodeIdentity(old, known.get("files", 0), known.get("git"), known.get("version", "?")).describe()
    else:
        described = f"code {old}"
    raise InputError(f"holds {len(other):,} runs computed by {described}; this is {code.describe()}, and results of "
                     "two codes must not mix: sweep into a new folder (--out), or add --rerun-all to set the old "
                     "runs aside and run everything again", source=str(store.root), key="--out")


def _fail_other_code(result: RunResult, outcomes: tuple[str, ...], windows: tuple[Window, ...],
                     code: CodeIdentity) -> None:
    """A run a worker computed with other code (a Dask worker with another govsim) is recorded as failed."""
    row = result.row
    row.update(status=FAILED, error=f"ran on code {row.get('code')}, not this sweep's {code.id}: the worker runs "
                                    "another govsim; install the same one on every worker", traceback=None)
    for column in outcome_columns(outcomes, windows):
        row[column] = float("nan")
    result.steps = result.series = result.city = None


def _manifest(exp: Experiment, previous: dict[str, Any], session: dict[str, Any],
              code: CodeIdentity) -> dict[str, Any]:
    sessions = [*previous.get("sessions", []), session]
    codes = dict(previous.get("codes", {})) if isinstance(previous.get("codes"), dict) else {}
    codes[code.id] = code.record()
    return {
        "experiment": {"name": exp.name, "description": exp.description, "file": str(exp.path),
                       "sha256": exp.sha256},
        "design": exp.design.describe(),
        "scenarios": [s.name for s in exp.scenarios],
        "city": exp.city,
        "reference": exp.reference,
        "varied": list(exp.varied),
        "outcomes": list(exp.outcomes),
        "windows": {name: [first, last] for name, first, last in exp.windows},
        "seed": exp.seed, "replications": exp.replications, "steps": exp.steps, "burn_in": exp.burn_in,
        "record_every": exp.record_every, "configurations": exp.n_configs, "runs": exp.n_runs,
        "versions": versions(),
        "code": code.record(),
        "codes": codes,
        "git": code.git,
        "started": previous.get("started") or session["started"],
        "finished": None,
        "status": RUNNING,
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
