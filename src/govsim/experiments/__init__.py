"""The experiment engine: sweeps, replications, resumable results, local and Dask.

* :mod:`~govsim.experiments.experiment`: what an experiment, a configuration and a run are, and
  their statuses; :mod:`~govsim.experiments.experiment_file` reads and checks experiment files;
  :mod:`~govsim.experiments.designs` holds one module per kind of design; :mod:`~govsim.experiments.seeds`
  gives every run its seed and identity, :mod:`~govsim.experiments.code_identity` the code's.
* :mod:`~govsim.experiments.runner` runs tasks on any ``concurrent.futures`` executor (in this
  process or a local process pool); :mod:`~govsim.experiments.dask_backend` on Dask distributed.
* :mod:`~govsim.experiments.store` writes each run's results as it finishes, atomically, so a killed
  sweep resumes where it stopped; :mod:`~govsim.experiments.integrity` finds damaged files;
  :mod:`~govsim.experiments.sweep` ties these together, with :mod:`~govsim.experiments.interrupts`
  (Ctrl-C), :mod:`~govsim.experiments.progress` and :mod:`~govsim.experiments.plausibility`.
* :mod:`~govsim.experiments.analysis` and :mod:`~govsim.experiments.figures` summarise a results
  folder: confidence intervals, paired differences, sensitivity indices, figures and a headline.

``docs/experiments.md`` is the user's guide.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from govsim.experiments.experiment import Experiment, RunTask
from govsim.experiments.experiment_file import load_experiment

if TYPE_CHECKING:
    from govsim.experiments.analysis.report import Analysis
    from govsim.experiments.sweep import SweepReport

__all__ = ["Experiment", "RunTask", "analyze_results", "load_experiment", "run_experiment"]


def run_experiment(*args: Any, **kwargs: Any) -> SweepReport:
    """See :func:`govsim.experiments.sweep.run_experiment` (imported on first use)."""
    from govsim.experiments.sweep import run_experiment as run

    return run(*args, **kwargs)


def analyze_results(*args: Any, **kwargs: Any) -> Analysis:
    """See :func:`govsim.experiments.analysis.report.analyze_results` (imported on first use)."""
    from govsim.experiments.analysis.report import analyze_results as run

    return run(*args, **kwargs)
