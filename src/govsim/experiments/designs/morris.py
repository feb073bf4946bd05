"""The Morris design (SALib): elementary-effects trajectories for screening many parameters.

``samples`` trajectories of k + 1 points each, on a grid of ``levels`` levels
per range.  The indices mu* (mean absolute elementary effect: how much a
parameter matters), mu and sigma (how much its effect depends on the others)
are computed for each outcome's mean over the kept days, from the mean over
replications at each design point.
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


class MorrisKind(SampledKind):
    name = "morris"
    summary = "elementary-effects trajectories (SALib): samples = trajectories, levels (even, default 4)"
    settings: ClassVar[tuple[str, ...]] = ("samples", "levels")
    confounded_note: ClassVar[str] = ("marginal means, confounded: along Morris trajectories the other parameters "
                                      "move too; read the effects from sensitivity.png")

    def parse_settings(self, table: dict[str, Any], fail: FailAt) -> dict[str, Any]:
        samples = integer_setting(table, "samples", None, 1, MAX_POINTS, fail)
        if samples < 2:
            raise fail("design.samples", "a Morris design needs at least 2 trajectories")
        levels = table.get("levels", 4)
        if isinstance(levels, bool) or not isinstance(levels, int) or not 2 <= levels <= 1000 or levels % 2:
            raise fail("design.levels", f"must be an even integer from 2 to 1,000 (grid levels of each range), "
                                        f"got {levels!r}")
        return {"samples": samples, "levels": levels}

    def size(self, factors: tuple[Factor, ...], settings: dict[str, Any]) -> int:
        return settings["samples"] * (variables(factors) + 1)

    def sample(self, problem: dict[str, Any], settings: dict[str, Any], seed: int) -> np.ndarray:
        from SALib.sample import morris

        return morris.sample(problem, settings["samples"], num_levels=settings["levels"], seed=seed)

    def indices(self, results: Results) -> tuple[pd.DataFrame | None, list[str]]:
        """SALib's mu, mu*, sigma and mu*'s confidence, with each parameter's noise floor, p-value and verdict
        against seed noise (:mod:`~govsim.experiments.analysis.screening`)."""
        from pandas import concat
        from SALib.analyze import morris

        from govsim.experiments.analysis.screening import screen
        from govsim.experiments.analysis.statistics import indices_over_points, replication_values

        design = results.manifest["design"]
        problem = design["problem"]
        bounds = np.asarray(problem["bounds"], dtype=float)

        def compute(x: np.ndarray, y: np.ndarray, seed: int) -> list[dict[str, float]]:
            si = morris.analyze(problem, x, y, num_levels=int(design["levels"]), seed=seed)
            return [{"parameter": name, "mu": si["mu"][j], "mu_star": si["mu_star"][j], "sigma": si["sigma"][j],
                     "mu_star_conf": si["mu_star_conf"][j]} for j, name in enumerate(problem["names"])]

        table, notes = indices_over_points(results, compute)
        if table is None:
            return table, notes
        names = [f"sample.{n}" for n in problem["names"]]
        frames = []
        for (scenario, outcome), rows in table.groupby(["scenario", "outcome"], sort=False):
            cells = results.design[results.design["scenario"] == scenario].sort_values("point")
            y = replication_values(results, scenario, outcome)
            y = y[~np.isnan(y).any(axis=1)]  # replications with every point run
            noise = screen(cells[names].to_numpy(float), y, bounds, problem["names"])
            frames.append(rows.merge(noise, on="parameter", how="left"))
        if results.replications < 2:
            notes.append("one replication: no noise floor for the Morris indices (two or more give one)")
        return concat(frames, ignore_index=True), notes

    def tables(self, analysis: Analysis) -> dict[str, pd.DataFrame]:
        """``screening``: each parameter's strongest outcome and whether it moves any beyond seed noise."""
        from govsim.experiments.analysis.screening import by_parameter

        table = analysis.sensitivity
        if table is None or not len(table) or "verdict" not in table.columns:
            return {}
        return {"screening": by_parameter(table)}

    def figures(self, analysis: Analysis, out: Path) -> list[Path]:
        from govsim.experiments.figures.sensitivity import sensitivity_figure
        from govsim.experiments.figures.style import save

        written = super().figures(analysis, out)
        if analysis.sensitivity is not None and len(analysis.sensitivity):
            fig = sensitivity_figure(analysis.sensitivity, analysis.shown_outcomes, analysis.results.name)
            written.append(save(fig, out / "sensitivity.png"))
        return written

    def ranked_keys(self, analysis: Analysis) -> list[str]:
        """Parameters by mu* of the headline outcome in the first scenario (a share of weights: its group's)."""
        table = analysis.sensitivity
        results = analysis.results
        if table is None or not len(table):
            return super().ranked_keys(analysis)
        d = table[(table["scenario"] == results.scenarios[0]) & (table["outcome"] == results.headline_outcome)]
        ranked = [p for p in d.sort_values("mu_star", ascending=False)["parameter"] if p in results.design_keys]
        return ranked + [k for k in results.design_keys if k not in ranked]

    def headline(self, analysis: Analysis) -> list[str]:
        from govsim.experiments.analysis.text import screening_lines, top_factors

        return top_factors(analysis, "mu_star", "mu_star_conf", "Morris mu*") + screening_lines(analysis)


MORRIS = MorrisKind()
