"""What every design kind provides, and the designs they build.

A :class:`DesignKind` owns everything that differs between kinds of design:
its ``[design]`` settings, which ``[parameters]`` forms it takes, its size
(computed before anything is built), its sampler, the indices it computes
from results, its figures and the headline ``govsim analyze`` prints.  The
registry in :mod:`govsim.experiments.designs` lists the kinds.

A :class:`Design` gives its points one at a time (:meth:`Design.point`), so a
design of a million points costs its factors' levels (grid) or one array of
samples (SALib), not a million dictionaries.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar

import numpy as np

from govsim.errors import InputError
from govsim.experiments.designs.factors import Factor, Level, parse_range, parse_switch
from govsim.experiments.designs.relative import parse_around
from govsim.params import SCHEMA, SHARE_GROUPS, Value

if TYPE_CHECKING:
    import pandas as pd

    from govsim.experiments.analysis.report import Analysis
    from govsim.experiments.analysis.results import Results

FailAt = Callable[[str, str], InputError]  # (key in the file, message) -> error

MAX_POINTS = 1_000_000
"""Design points of one experiment (times its scenarios: its configurations)."""


@dataclass
class Design:
    """The points of a design.

    Attributes:
        kind: the design kind's name.
        factors: what the design varies, as read from ``[parameters]``.
        keys: every parameter the design sets, in schema order.
        settings: the ``[design]`` settings as used.
    """

    kind: str
    factors: tuple[Factor, ...]
    keys: tuple[str, ...]
    settings: dict[str, Any] = field(default_factory=dict)

    def __len__(self) -> int:
        raise NotImplementedError

    def point(self, index: int, base: Mapping[str, Value] | None = None) -> Level:
        """The parameter values of design point ``index`` for a scenario whose own values are ``base`` (a
        range around the scenario's values needs them)."""
        raise NotImplementedError

    def points(self, base: Mapping[str, Value] | None = None) -> Iterator[Level]:
        for i in range(len(self)):
            yield self.point(i, base)

    def describe(self) -> dict[str, Any]:
        """What the manifest records of the design (read back by the analysis)."""
        return {"kind": self.kind, "parameters": list(self.keys), "points": len(self),
                "factors": [f.describe() for f in self.factors], **self.settings}


@dataclass
class SampledDesign(Design):
    """A design drawn by a SALib sampler: one row of ``sample`` per point, one column per factor.

    Attributes:
        sample: SALib's raw sample, before rounding (kept for the analysis).
        problem: SALib's problem (names and bounds).
    """

    sample: np.ndarray = field(default_factory=lambda: np.empty((0, 0)))
    problem: dict[str, Any] = field(default_factory=dict)

    def __len__(self) -> int:
        return len(self.sample)

    def point(self, index: int, base: Mapping[str, Value] | None = None) -> Level:
        row = self.sample[index]
        out: Level = {}
        at = 0
        for f in self.factors:
            width = len(f.columns())
            out.update(f.sampled(row[at:at + width], base))
            at += width
        return out

    def describe(self) -> dict[str, Any]:
        return {**super().describe(), "problem": self.problem}


def variables(factors: tuple[Factor, ...]) -> int:
    """The sampler's variables of a sampled design's factors (a group of weights has one per share)."""
    return sum(len(f.columns()) for f in factors)


def design_keys(factors: tuple[Factor, ...]) -> tuple[str, ...]:
    """Every parameter the factors set, in schema order."""
    return tuple(k for k in SCHEMA if any(k in f.keys for f in factors))


class DesignKind:
    """A kind of design.  Subclasses set the class attributes and override what differs."""

    name: ClassVar[str]
    summary: ClassVar[str]            # one line for the docs and errors
    settings: ClassVar[tuple[str, ...]] = ()   # [design] keys besides kind
    sampled: ClassVar[bool] = False   # True: factors are ranges the sampler draws from

    # --- reading the experiment file --------------------------------------------------------

    def parse_settings(self, table: dict[str, Any], fail: FailAt) -> dict[str, Any]:
        """The checked ``[design]`` settings (``kind`` and unknown keys are already handled)."""
        return {}

    def parse_factor(self, key: str, spec: Any, source: str, where: str, fail: Callable[[str], InputError]) -> Factor:
        """One ``[parameters]`` entry of a sampled kind: a range ``{ low, high }``, a range around each
        scenario's value ``{ around }``, or ``[false, true]`` for a true/false parameter."""
        if isinstance(spec, dict) and "around" in spec:
            return parse_around(key, spec, fail)
        if key in SHARE_GROUPS:
            raise fail(f'the simplex of {key} can be swept in a grid design (kind = "grid"), or screened here as '
                       "weights around each scenario's shares: { around = 0.5 }")
        if isinstance(spec, list) and SCHEMA[key].kind is bool:
            return parse_switch(key, spec, fail)
        if not isinstance(spec, dict):
            raise fail(f"a {self.name} design needs a range {{ low = ..., high = ... }} or {{ around = ... }}"
                       + (", not a list of values" if isinstance(spec, list) else f", got {spec!r}"))
        return parse_range(key, spec, sampled=True, fail=fail)

    def size(self, factors: tuple[Factor, ...], settings: dict[str, Any]) -> int:
        """How many points the design will have, computed before it is built."""
        raise NotImplementedError

    def build(self, factors: tuple[Factor, ...], settings: dict[str, Any], seed: int) -> Design:
        """The design (its size is already checked).  ``seed`` feeds samplers."""
        raise NotImplementedError

    # --- analysing results --------------------------------------------------------------------

    def indices(self, results: Results) -> tuple[pd.DataFrame | None, list[str]]:
        """Sensitivity indices of each factor for each outcome, and notes (none for most kinds)."""
        return None, []

    def tables(self, analysis: Analysis) -> dict[str, pd.DataFrame]:
        """The kind's own tables, by name (written beside summary and sensitivity); none for most kinds."""
        return {}

    def figures(self, analysis: Analysis, out: Path) -> list[Path]:
        """The kind's own figures (the analysis draws the time series and group figures)."""
        return []

    def headline(self, analysis: Analysis) -> list[str]:
        """A few lines on what the design found, for the terminal."""
        return []


def sample_problem(factors: tuple[Factor, ...], kind: str, source: str) -> dict[str, Any]:
    """SALib's problem for a sampled design: one variable per column of each factor, with its bounds."""
    names = [c for f in factors for c in f.columns()]
    if not names:
        raise InputError(f"a {kind} design needs at least one parameter in [parameters]", source=source,
                         key="parameters")
    return {"num_vars": len(names), "names": names, "bounds": [b for f in factors for b in f.bounds()]}


def integer_setting(table: dict[str, Any], key: str, default: int | None, low: int, high: int, fail: FailAt) -> int:
    """A ``[design]`` integer setting within bounds."""
    value = table.get(key, default)
    if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
        raise fail(f"design.{key}", f"must be an integer from {low:,} to {high:,}, got {value!r}"
                   if value is not None else f"is required: an integer from {low:,} to {high:,}")
    return value
