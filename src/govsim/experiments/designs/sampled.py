"""What the sampled kinds (Latin hypercube, Sobol, Morris) share: ranges, a SALib sampler, marginal plots.

Each point is a row of SALib's sample, one column per range; integers are
rounded and values clipped to their bounds when a point is read, and the raw
sample is kept in ``design.parquet`` for the analysis.  Each outcome against
one parameter is drawn too, marked as *marginal*: every other parameter
moves at the same time, so a trend there mixes their effects (confounded).
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar

import numpy as np

from govsim.experiments.designs.base import (
    MAX_POINTS,
    DesignKind,
    FailAt,
    SampledDesign,
    design_keys,
    integer_setting,
    sample_problem,
)
from govsim.experiments.designs.factors import Factor

if TYPE_CHECKING:
    from govsim.experiments.analysis.report import Analysis


MAX_PARAMETER_FIGURES = 12
"""A screen of a hundred parameters draws the outcomes against this many of them, not a hundred figures."""


class SampledKind(DesignKind):
    """A design drawn by a SALib sampler from ranges."""

    sampled = True
    settings: ClassVar[tuple[str, ...]] = ("samples",)
    confounded_note: ClassVar[str] = ("marginal: every other parameter varies at the same time, so a trend here "
                                      "mixes their effects (confounded)")

    def parse_settings(self, table: dict[str, Any], fail: FailAt) -> dict[str, Any]:
        return {"samples": integer_setting(table, "samples", None, 1, MAX_POINTS, fail)}

    def sample(self, problem: dict[str, Any], settings: dict[str, Any], seed: int) -> np.ndarray:
        """SALib's sample: one row per point."""
        raise NotImplementedError

    def build(self, factors: tuple[Factor, ...], settings: dict[str, Any], seed: int) -> SampledDesign:
        problem = sample_problem(factors, self.name, "")
        sample = np.asarray(self.sample(problem, settings, seed), dtype=float)
        return SampledDesign(self.name, factors, design_keys(factors), dict(settings), sample=sample,
                             problem=problem)

    def ranked_keys(self, analysis: Analysis) -> list[str]:
        """The design's parameters, most important first where the kind can tell (else in design order)."""
        return list(analysis.results.design_keys)

    def figures(self, analysis: Analysis, out: Path) -> list[Path]:
        from govsim.experiments.figures.parameters import parameter_figure
        from govsim.experiments.figures.style import save

        results = analysis.results
        written = []
        keys = self.ranked_keys(analysis)
        if len(keys) > MAX_PARAMETER_FIGURES:
            analysis.notes.append(f"outcome against parameter drawn for {MAX_PARAMETER_FIGURES} of the "
                                  f"{len(keys)} parameters (the first by the design's ranking); the tables hold all")
            keys = keys[:MAX_PARAMETER_FIGURES]
        for key in keys:
            fig = parameter_figure(results.ok, key, analysis.shown_outcomes, results.scenarios, results.name,
                                   note=self.confounded_note)
            written.append(save(fig, out / f"parameter_{key}.png"))
        return written
