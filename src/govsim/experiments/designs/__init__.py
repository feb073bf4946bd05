"""Designs: which points of parameter space an experiment visits, one module per kind.

=========  ==============================================================
``grid``   every combination of lists, ranges with steps and simplexes
``lhs``    a Latin hypercube sample of ranges (SALib)
``sobol``  a Saltelli sample for Sobol indices (SALib)
``morris`` elementary-effects trajectories for screening (SALib)
=========  ==============================================================

Each kind (a :class:`~govsim.experiments.designs.base.DesignKind`) owns its
``[design]`` settings, the ``[parameters]`` forms it takes, its size, its
sampler, its sensitivity indices, its figures and its headline.  The forms of
``[parameters]`` entries (lists, ranges, simplexes) are in
:mod:`~govsim.experiments.designs.factors`.  To add a kind, write a module
with a subclass and list it in :data:`KINDS`.
"""

from __future__ import annotations

from govsim.experiments.designs.base import MAX_POINTS, Design, DesignKind, SampledDesign
from govsim.experiments.designs.factors import Factor, simplex_count, simplex_points
from govsim.experiments.designs.grid import GRID, GridDesign
from govsim.experiments.designs.lhs import LHS
from govsim.experiments.designs.morris import MORRIS
from govsim.experiments.designs.sobol import SOBOL

KINDS: dict[str, DesignKind] = {k.name: k for k in (GRID, LHS, SOBOL, MORRIS)}
"""Every kind of design, by the name an experiment file gives in ``[design] kind``."""

__all__ = ["KINDS", "MAX_POINTS", "Design", "DesignKind", "Factor", "GridDesign", "SampledDesign", "simplex_count",
           "simplex_points"]
