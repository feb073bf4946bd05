"""The ``govsim sweep`` and ``govsim analyze`` commands (heavy imports happen inside them).

Every way a sweep can end has one line and an exit status: 0 every run ok,
1 some runs failed or the results folder stopped taking files, 2 bad input
(also a refused resume or an implausible sweep without ``--yes``), 130
Ctrl-C.  Never a traceback.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

import click

from govsim.errors import InputError

if TYPE_CHECKING:
    from govsim.experiments.sweep import SweepReport


@click.command("sweep")
@click.argument("experiment")
@click.option("--workers", type=int, default=None,
              help="Worker processes of the local pool or LocalCluster [default and at most: the CPUs available]; "
                   "1 runs in this process.")
@click.option("--backend", type=click.Choice(["local", "dask"]), default=None,
              help="local: a process pool; dask: Dask distributed [default: local, or dask with --scheduler].")
@click.option("--scheduler", metavar="ADDRESS", default=None,
              help="Join a running Dask scheduler: its address (tcp://10.0.0.5:8786) or the file "
                   "written by `dask scheduler --scheduler-file` (implies --backend dask).")
@click.option("--out", type=click.Path(path_type=Path), default=None,
              help="Results folder [default: results/<experiment name>].")
@click.option("--rerun-failed", is_flag=True, help="Run again the runs recorded as failed.")
@click.option("--rerun-all", is_flag=True,
              help="Set every recorded run aside (in OUT/superseded/) and run them all again: the way to resume "
                   "after the code changed.")
@click.option("--repair", is_flag=True,
              help="Check every recorded time series page by page, not only its footer; damaged files are set "
                   "aside and exactly their runs run again (a plain resume does this for the damage it sees).")
@click.option("--yes", is_flag=True, help="Start a sweep that looks implausibly large for this machine.")
@click.option("--progress/--no-progress", default=None,
              help="Show a progress bar [default: a bar on a terminal, a line every 5% elsewhere].")
def sweep_command(experiment: str, workers: int | None, backend: str | None, scheduler: str | None,
                  out: Path | None, rerun_failed: bool, rerun_all: bool, repair: bool, yes: bool,
                  progress: bool | None) -> None:
    """Run every run of EXPERIMENT (a file, or a name in experiments/), writing results as they finish.

    Run the same command again after an interruption (Ctrl-C, a crash, a
    killed job) to finish the sweep: runs already recorded are skipped.
    """
    from govsim.experiments.interrupts import two_stage
    from govsim.experiments.runner import ExecutorBrokenError
    from govsim.experiments.sweep import ResultsUnwritableError

    def echo(line: str) -> None:
        click.echo(line, err=True)

    # The command's two-stage guard covers all of it and outlives the sweep's own, so that a Ctrl-C while
    # the experiment loads, or a second one while this prints or the interpreter shuts down, still ends it
    # in one line (or at once).
    with two_stage(lambda: None, echo, keep_after_interrupt=True):
        try:
            report = _sweep(experiment, workers, backend, scheduler, out, rerun_failed, rerun_all, repair, yes,
                            progress, echo)
        except KeyboardInterrupt:
            echo("interrupted: finished runs are kept; run the same command to resume")
            sys.exit(130)
        except (ResultsUnwritableError, ExecutorBrokenError) as e:
            echo(f"govsim: error: {e}")
            sys.exit(1)
    minutes, seconds = divmod(round(report.seconds), 60)
    click.echo(f"{report.experiment}: {report.ok:,} ok, {report.failed:,} failed of {report.total:,} runs "
               f"({report.ran:,} run now in {minutes}m{seconds:02d}s) -> {report.out}")
    for line in report.failures[:5]:
        click.echo(f"  failed {line}", err=True)
    if report.failed:
        click.echo(f"{report.failed} runs failed: their errors are in {report.out / 'runs.parquet'} "
                   f"(columns status, error, traceback); add --rerun-failed to retry them", err=True)
        sys.exit(1)
    click.echo(f"next: govsim analyze {report.out}")


def _sweep(experiment: str, workers: int | None, backend: str | None, scheduler: str | None, out: Path | None,
           rerun_failed: bool, rerun_all: bool, repair: bool, yes: bool, progress: bool | None,
           echo: Callable[[str], None]) -> SweepReport:
    """What ``govsim sweep`` does between reading its options and printing how it went."""
    from govsim.experiments import plausibility
    from govsim.experiments.experiment_file import load_experiment
    from govsim.experiments.runner import default_workers
    from govsim.experiments.sweep import run_experiment

    if scheduler and backend == "local":
        raise InputError("a scheduler address needs --backend dask", key="--scheduler")
    if scheduler and workers is not None:
        raise InputError("the cluster behind --scheduler decides its workers; leave --workers out", key="--workers")
    if workers is not None and workers < 1:
        raise InputError(f"must be at least 1, got {workers}", key="--workers")
    backend = backend or ("dask" if scheduler else "local")
    exp = load_experiment(experiment)
    target = out or Path("results") / exp.name
    echo(f"{exp.name}: {exp.n_configs:,} configurations x {exp.replications:,} replications = {exp.n_runs:,} runs "
         f"of {exp.steps:,} days")
    local = None if scheduler else min(workers or default_workers(), default_workers())
    concerns = plausibility.concerns(exp, target, local)
    if concerns and not yes:
        question = f"this sweep looks implausible for this machine: {'; '.join(concerns)}"
        if not (sys.stdin.isatty() and sys.stderr.isatty()):
            raise InputError(f"{question}; check the experiment file, or add --yes to start it anyway",
                             source=str(exp.path))
        if not click.confirm(f"{question}. Start it anyway?", default=False, err=True):
            sys.exit(2)
    return run_experiment(exp, out, backend=backend, workers=workers, scheduler=scheduler, rerun_failed=rerun_failed,
                          rerun_all=rerun_all, repair=repair, progress=progress, echo=echo)


@click.command("analyze")
@click.argument("results", type=click.Path(path_type=Path))
@click.option("--reference", default=None, help="Scenario the others are compared with [default: the experiment's].")
@click.option("--figures/--no-figures", default=True, show_default=True, help="Draw the figures (PNG).")
@click.option("--out", type=click.Path(path_type=Path), default=None,
              help="A folder for the tables and figures [default: RESULTS/analysis].")
def analyze_command(results: Path, reference: str | None, figures: bool, out: Path | None) -> None:
    """Summarise a RESULTS folder: a headline, means with 95% confidence intervals, paired differences,
    sensitivity indices and figures, as Parquet, CSV and PNG files."""
    from govsim.experiments.analysis.report import analyze_results, format_report

    analysis = analyze_results(results, reference=reference, figures=figures, out=out)
    click.echo(format_report(analysis))
    click.echo(f"wrote {len(analysis.files)} files to {analysis.out}:")
    for path in analysis.files:
        click.echo(f"  {path.name}")


# The names govsim.cli imports (it registers `sweep` and `analyze`).
sweep = sweep_command
analyze = analyze_command
