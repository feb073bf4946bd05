"""The experiment engine: sweeps, replications, resumable results, local and Dask.

* :mod:`~govsim.experiments.spec` reads and checks experiment files (TOML) and builds their designs
  (:mod:`~govsim.experiments.designs`); :mod:`~govsim.experiments.seeds` gives every run its seed
  and identity.
* :mod:`~govsim.experiments.runner` runs them on any ``concurrent.futures`` executor: in this
  process, on a local process pool, or on Dask distributed.
* :mod:`~govsim.experiments.store` writes each run's results as it finishes, atomically, so a
  killed sweep resumes where it stopped; :mod:`~govsim.experiments.sweep` ties these together.
* :mod:`~govsim.experiments.analysis` and :mod:`~govsim.experiments.figures` summarise a results
  folder: confidence intervals, paired differences, sensitivity indices and figures.

``docs/experiments.md`` is the user's guide.
"""

from govsim.experiments.spec import Experiment, RunTask, load_experiment

__all__ = ["Experiment", "RunTask", "analyze", "load_experiment", "run_experiment"]


def run_experiment(*args, **kwargs):
    """See :func:`govsim.experiments.sweep.run_experiment`."""
    from govsim.experiments.sweep import run_experiment as run

    return run(*args, **kwargs)


def analyze(*args, **kwargs):
    """See :func:`govsim.experiments.analysis.analyze`."""
    from govsim.experiments.analysis import analyze as run

    return run(*args, **kwargs)
