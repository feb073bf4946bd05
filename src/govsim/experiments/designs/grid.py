"""The grid design: every combination of its factors' levels (a full factorial).

Factors may be lists of values, ranges with ``steps`` and simplexes of
shares.  Without factors the grid has one point, so an experiment that only
compares scenarios is a grid of one point.  Its figures are each outcome
against each varied parameter and, for a simplex of three shares, a ternary
plot; its headline is the best configuration (the best split of a simplex)
with its confidence interval.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from govsim.errors import InputError
from govsim.experiments.designs.base import Design, DesignKind, design_keys
from govsim.experiments.designs.factors import (
    Factor,
    Level,
    parse_range,
    parse_simplex,
    parse_values,
)
from govsim.params import SHARE_GROUPS, Value

if TYPE_CHECKING:
    from govsim.experiments.analysis.report import Analysis


@dataclass
class GridDesign(Design):
    """Every combination of the factors' levels; point ``i`` in ``itertools.product`` order (last factor fastest)."""

    levels: list[list[Level]] = field(default_factory=list)

    def __len__(self) -> int:
        return math.prod(len(levels) for levels in self.levels)

    def point(self, index: int, base: Mapping[str, Value] | None = None) -> Level:
        if not 0 <= index < len(self):
            raise IndexError(index)
        out: Level = {}
        for levels in reversed(self.levels):
            index, i = divmod(index, len(levels))
            out.update(levels[i])
        return out


class GridKind(DesignKind):
    name = "grid"
    summary = "every combination (full factorial) of lists, ranges with steps and simplexes"

    def parse_factor(self, key: str, spec: Any, source: str, where: str, fail: Callable[[str], InputError]) -> Factor:
        if key in SHARE_GROUPS:
            return parse_simplex(key, spec, fail)
        if isinstance(spec, list):
            return parse_values(key, spec, source, where, fail)
        if isinstance(spec, dict):
            return parse_range(key, spec, sampled=False, fail=fail)
        raise fail(f"give a list of values or a range {{ low = ..., high = ..., steps = ... }}, got {spec!r}; "
                   "to fix a parameter for every run, put it under [set]")

    def size(self, factors: tuple[Factor, ...], settings: dict[str, Any]) -> int:
        return math.prod(f.count() for f in factors)

    def build(self, factors: tuple[Factor, ...], settings: dict[str, Any], seed: int) -> GridDesign:
        return GridDesign(self.name, factors, design_keys(factors), dict(settings),
                          levels=[f.levels() for f in factors] or [[{}]])

    # --- analysing results --------------------------------------------------------------------

    def figures(self, analysis: Analysis, out: Path) -> list[Path]:
        from govsim.experiments.figures.parameters import parameter_figure
        from govsim.experiments.figures.style import save
        from govsim.experiments.figures.ternary import ternary_figure

        results = analysis.results
        written = []
        for factor in results.factors:
            if factor["form"] == "simplex" and len(SHARE_GROUPS[factor["key"]]) == 3:
                members = SHARE_GROUPS[factor["key"]]
                for scenario in results.scenarios:
                    several = len(results.scenarios) > 1
                    fig = ternary_figure(analysis.summary[analysis.summary["scenario"] == scenario], members,
                                         analysis.shown_outcomes,
                                         f"{results.name}: {scenario}" if several else results.name,
                                         replications=results.replications)
                    suffix = f"_{scenario}" if several else ""
                    written.append(save(fig, out / f"ternary_{factor['key']}{suffix}.png"))
            elif factor["form"] in ("values", "range") and results.ok[factor["key"]].nunique() > 1:
                fig = parameter_figure(results.ok, factor["key"], analysis.shown_outcomes, results.scenarios,
                                       results.name)
                written.append(save(fig, out / f"parameter_{factor['key']}.png"))
        return written

    def headline(self, analysis: Analysis) -> list[str]:
        from govsim.experiments.analysis.text import best_configurations

        factors = analysis.results.factors
        if not factors:
            return []  # a comparison of scenarios: the report prints their paired differences
        simplex = [f for f in factors if f["form"] == "simplex"]
        what = f"split of {simplex[0]['key']}" if simplex and len(factors) == 1 else "configuration"
        return best_configurations(analysis, what)


GRID = GridKind()
