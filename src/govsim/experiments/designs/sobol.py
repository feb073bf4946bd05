"""The Sobol design (SALib's Saltelli scheme): variance-based first-order and total indices.

``samples`` = N, a power of 2, gives N (k + 2) points for k parameters
(N (2k + 2) with ``second_order = true``).  The indices S1 and ST of each
parameter are computed for each outcome's mean over the kept days, from the
mean over replications at each design point.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar

import numpy as np

from govsim.experiments.designs.base import MAX_POINTS, FailAt, integer_setting, variables
from govsim.experiments.designs.factors import Factor
from govsim.experiments.designs.sampled import SampledKind

if TYPE_CHECKING:
    import pandas as pd

    from govsim.experiments.analysis.report import Analysis
    from govsim.experiments.analysis.results import Results


class SobolKind(SampledKind):
    name = "sobol"
    summary = "Saltelli/Sobol' sample (SALib) for Sobol indices: samples = N, a power of 2"
    settings: ClassVar[tuple[str, ...]] = ("samples", "second_order")

    def parse_settings(self, table: dict[str, Any], fail: FailAt) -> dict[str, Any]:
        n = integer_setting(table, "samples", None, 1, MAX_POINTS, fail)
        if n < 2 or n & (n - 1):
            raise fail("design.samples", f"a Sobol design needs a power of 2 (e.g. 64, 128, 256), got {n}")
        second = table.get("second_order", False)
        if not isinstance(second, bool):
            raise fail("design.second_order", f"must be true or false, got {second!r}")
        return {"samples": n, "second_order": second}

    def size(self, factors: tuple[Factor, ...], settings: dict[str, Any]) -> int:
        k = variables(factors)
        return settings["samples"] * ((2 * k + 2) if settings["second_order"] else (k + 2))

    def sample(self, problem: dict[str, Any], settings: dict[str, Any], seed: int) -> np.ndarray:
        from SALib.sample import sobol

        return sobol.sample(problem, settings["samples"], calc_second_order=settings["second_order"], seed=seed)

    def indices(self, results: Results) -> tuple[pd.DataFrame | None, list[str]]:
        from SALib.analyze import sobol

        from govsim.experiments.analysis.statistics import indices_over_points

        design = results.manifest["design"]
        problem = design["problem"]

        def compute(x: np.ndarray, y: np.ndarray, seed: int) -> list[dict[str, float]]:
            si = sobol.analyze(problem, y, calc_second_order=bool(design.get("second_order")), seed=seed)
            return [{"parameter": name, "S1": si["S1"][j], "S1_conf": si["S1_conf"][j], "ST": si["ST"][j],
                     "ST_conf": si["ST_conf"][j]} for j, name in enumerate(problem["names"])]

        return indices_over_points(results, compute)

    def figures(self, analysis: Analysis, out: Path) -> list[Path]:
        from govsim.experiments.figures.sensitivity import sensitivity_figure
        from govsim.experiments.figures.style import save

        written = super().figures(analysis, out)
        if analysis.sensitivity is not None and len(analysis.sensitivity):
            fig = sensitivity_figure(analysis.sensitivity, analysis.shown_outcomes, analysis.results.name)
            written.append(save(fig, out / "sensitivity.png"))
        return written

    def headline(self, analysis: Analysis) -> list[str]:
        from govsim.experiments.analysis.text import top_factors

        return top_factors(analysis, "ST", "ST_conf", "total Sobol index ST")


SOBOL = SobolKind()
