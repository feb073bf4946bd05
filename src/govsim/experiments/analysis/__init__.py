"""Analysis of a results folder, in three steps.

* :mod:`~govsim.experiments.analysis.results`: read the folder back (checked, runs placed by their
  configuration's identity);
* :mod:`~govsim.experiments.analysis.statistics`: confidence intervals, paired differences, the
  inputs of sensitivity indices, time-series summaries;
* :mod:`~govsim.experiments.analysis.report`: write the tables and figures and say what was found
  (:mod:`~govsim.experiments.analysis.text` words it).
"""
