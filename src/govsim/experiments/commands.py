"""The ``govsim sweep`` and ``govsim analyze`` commands (heavy imports happen inside them)."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from govsim.errors import InputError


@click.command()
@click.argument("experiment")
@click.option("--workers", type=int, default=None,
              help="Worker processes of the local pool or LocalCluster [default: the CPUs available]; "
                   "1 runs in this process.")
@click.option("--backend", type=click.Choice(["local", "dask"]), default=None,
              help="local: a process pool; dask: Dask distributed [default: local, or dask with --scheduler].")
@click.option("--scheduler", metavar="ADDRESS", default=None,
              help="Join a running Dask scheduler: its address (tcp://10.0.0.5:8786) or the file "
                   "written by `dask scheduler --scheduler-file` (implies --backend dask).")
@click.option("--out", type=click.Path(path_type=Path), default=None,
              help="Results folder [default: results/<experiment name>].")
@click.option("--rerun-failed", is_flag=True, help="Run again the runs recorded as failed.")
@click.option("--progress/--no-progress", default=None, help="Show a progress bar [default: on a terminal].")
def sweep(experiment, workers, backend, scheduler, out, rerun_failed, progress):
    """Run every run of EXPERIMENT (a file, or a name in experiments/), writing results as they finish.

    Run the same command again after an interruption (Ctrl-C, a crash, a
    killed job) to finish the sweep: runs already recorded are skipped.
    """
    from govsim.experiments.spec import load_experiment
    from govsim.experiments.sweep import run_experiment

    if scheduler and backend == "local":
        raise InputError("a scheduler address needs --backend dask", key="--scheduler")
    if scheduler and workers is not None:
        raise InputError("the cluster behind --scheduler decides its workers; leave --workers out", key="--workers")
    if workers is not None and workers < 1:
        raise InputError(f"must be at least 1, got {workers}", key="--workers")
    backend = backend or ("dask" if scheduler else "local")
    exp = load_experiment(experiment)
    click.echo(f"{exp.name}: {len(exp.configs)} configurations x {exp.replications} replications = "
               f"{exp.n_runs:,} runs of {exp.steps} days", err=True)
    try:
        report = run_experiment(exp, out, backend=backend, workers=workers, scheduler=scheduler,
                                rerun_failed=rerun_failed, progress=progress,
                                echo=lambda line: click.echo(line, err=True))
    except KeyboardInterrupt:
        click.echo("interrupted: finished runs are kept; run the same command to resume", err=True)
        sys.exit(130)
    minutes, seconds = divmod(round(report.seconds), 60)
    click.echo(f"{exp.name}: {report.ok:,} ok, {report.failed:,} failed of {report.total:,} runs "
               f"({report.ran:,} run now in {minutes}m{seconds:02d}s) -> {report.out}")
    for line in report.failures[:5]:
        click.echo(f"  failed {line}", err=True)
    if report.failed:
        click.echo(f"{report.failed} runs failed: their errors are in {report.out / 'runs.parquet'} "
                   f"(columns status, error, traceback); add --rerun-failed to retry them", err=True)
        sys.exit(1)
    click.echo(f"next: govsim analyze {report.out}")


@click.command()
@click.argument("results", type=click.Path(path_type=Path))
@click.option("--reference", default=None, help="Scenario the others are compared with [default: the experiment's].")
@click.option("--figures/--no-figures", default=True, show_default=True, help="Draw the figures (PNG).")
@click.option("--out", type=click.Path(path_type=Path), default=None,
              help="Where to write the tables and figures [default: RESULTS/analysis].")
def analyze(results, reference, figures, out):
    """Summarise a RESULTS folder: means with 95% confidence intervals, paired differences,
    sensitivity indices and figures, as Parquet, CSV and PNG files."""
    from govsim.experiments.analysis import analyze as run_analysis
    from govsim.experiments.analysis import format_summary

    written = run_analysis(results, reference=reference, figures=figures, out=out)
    click.echo(format_summary(written))
    click.echo(f"wrote {len(written.files)} files to {written.out}:")
    for path in written.files:
        click.echo(f"  {path.name}")
