"""Figures of an analysed results folder (matplotlib PNGs, no display needed).

Every figure follows :mod:`~govsim.experiments.figures.style`: one palette,
each outcome's unit on its axis (from :data:`govsim.outcomes.OUTCOMES`),
bounded outcomes on their whole fixed range and open-ended ones from zero,
legends outside the data, labelled colour bars.  Figures take tables and
return matplotlib figures; they never read results folders.

* :mod:`~govsim.experiments.figures.timeseries`: outcomes over time;
* :mod:`~govsim.experiments.figures.parameters`: outcomes against a varied parameter;
* :mod:`~govsim.experiments.figures.ternary`: a simplex of three shares;
* :mod:`~govsim.experiments.figures.sensitivity`: Sobol or Morris indices;
* :mod:`~govsim.experiments.figures.groups`: satisfaction by group of residents.
"""
