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

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar

import numpy as np

from govsim.errors import InputError
from govsim.experiments.designs.factors import Factor, Level, RangeFactor, parse_range
from govsim.params import SCHEMA, SHARE_GROUPS

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

    def point(self, index: int) -> Level:
        """The parameter values of design point ``index``."""
        raise NotImplementedError

    def points(self) -> Iterator[Level]:
        for i in range(len(self)):
            yield self.point(i)

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

    def point(self, index: int) -> Level:
        row = self.sample[index]
        return {f.key: f.value(x) for f, x in zip(self.ranges, row, strict=True)}

    @property
    def ranges(self) -> tuple[RangeFactor, ...]:
        return tuple(f for f in self.factors if isinstance(f, RangeFactor))

    def describe(self) -> dict[str, Any]:
        return {**super().describe(), "problem": self.problem}


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
        """One ``[parameters]`` entry: a parameter of the schema or a group of shares (sampled kinds: a range)."""
        if key in SHARE_GROUPS:
            raise fail(f'the simplex of {key} can only be swept in a grid design (kind = "grid")')
        if not isinstance(spec, dict):
            raise fail(f"a {self.name} design needs a range {{ low = ..., high = ... }}"
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

    def figures(self, analysis: Analysis, out: Path) -> list[Path]:
        """The kind's own figures (the analysis draws the time series and group figures)."""
        return []

    def headline(self, analysis: Analysis) -> list[str]:
        """A few lines on what the design found, for the terminal."""
        return []


def sample_problem(factors: tuple[Factor, ...], kind: str, source: str) -> dict[str, Any]:
    """SALib's problem for a sampled design's ranges."""
    ranges = [f for f in factors if isinstance(f, RangeFactor)]
    if not ranges:
        raise InputError(f"a {kind} design needs at least one parameter in [parameters]", source=source,
                         key="parameters")
    return {"num_vars": len(ranges), "names": [f.key for f in ranges],
            "bounds": [[float(f.low), float(f.high)] for f in ranges]}


def integer_setting(table: dict[str, Any], key: str, default: int | None, low: int, high: int, fail: FailAt) -> int:
    """A ``[design]`` integer setting within bounds."""
    value = table.get(key, default)
    if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
        raise fail(f"design.{key}", f"must be an integer from {low:,} to {high:,}, got {value!r}"
                   if value is not None else f"is required: an integer from {low:,} to {high:,}")
    return value
