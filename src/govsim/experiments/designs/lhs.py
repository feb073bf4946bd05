"""The Latin hypercube design (SALib): ``samples`` points spread evenly over each range.

Its headline ranks the parameters by the rank correlation of each with the
headline outcome over the design points.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import numpy as np

from govsim.experiments.designs.factors import Factor
from govsim.experiments.designs.sampled import SampledKind

if TYPE_CHECKING:
    from govsim.experiments.analysis.report import Analysis


class LatinHypercubeKind(SampledKind):
    name = "lhs"
    summary = "a Latin hypercube sample (SALib) of `samples` points over ranges"

    def size(self, factors: tuple[Factor, ...], settings: dict[str, Any]) -> int:
        return settings["samples"]

    def sample(self, problem: dict[str, Any], settings: dict[str, Any], seed: int) -> np.ndarray:
        from SALib.sample import latin

        return latin.sample(problem, settings["samples"], seed=seed)

    def headline(self, analysis: Analysis) -> list[str]:
        from govsim.experiments.analysis.text import rank_correlations

        return rank_correlations(analysis)


LHS = LatinHypercubeKind()
