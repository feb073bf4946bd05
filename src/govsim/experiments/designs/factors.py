"""Factors: one entry of an experiment file's ``[parameters]`` table, and how it varies.

Three forms, each checked against the parameter schema:

* :class:`ValuesFactor`, a list of values (``"centre.staff" = [20, 30, 40]``);
* :class:`RangeFactor`, a range (``{ low = 0.3, high = 0.9, steps = 4 }``):
  evenly spaced values in a grid, or bounds for a sampled design (no ``steps``);
* :class:`SimplexFactor`, a group of shares that must sum to 1
  (``"centre.role_emphasis" = { divisions = 10 }``): every point whose shares
  are multiples of 1/divisions, each at least ``low``.  Every point lies on
  the simplex by construction.

A factor knows how many grid levels it has (:meth:`Factor.count`) by
arithmetic, so a design's size is checked before any level is built.  In a
sampled design a factor reads one or more of the sampler's variables
(:meth:`Factor.columns`, with their :meth:`Factor.bounds`) and turns them into
values (:meth:`Factor.sampled`), given the scenario's own values; ranges
relative to those (``{ around = 0.5 }``) are in
:mod:`~govsim.experiments.designs.relative`.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from govsim.errors import InputError
from govsim.params import SCHEMA, SHARE_GROUPS, Value

Fail = Callable[[str], InputError]
Level = dict[str, Value]

MAX_LEVELS = 1_000_000
"""Grid levels of one factor: more could never fit a design (see ``designs.base.MAX_POINTS``)."""


@dataclass(frozen=True)
class Factor:
    """A parameter (or a group of shares) that a design varies."""

    key: str

    form = "factor"

    @property
    def keys(self) -> tuple[str, ...]:
        """The parameters this factor sets."""
        return (self.key,)

    def count(self) -> int:
        """Grid levels, computed without building them."""
        raise NotImplementedError

    def levels(self) -> list[Level]:
        """The grid levels, each as {key: value} (call only after the design's size is checked)."""
        raise NotImplementedError

    def describe(self) -> dict[str, Any]:
        """What the manifest records of it."""
        return {"key": self.key, "form": self.form}

    # --- in a sampled design ----------------------------------------------------------------

    def columns(self) -> tuple[str, ...]:
        """The sampler's variables this factor reads, one per coordinate (their names in design.parquet)."""
        raise TypeError(f"a {self.form} factor cannot be sampled")

    def bounds(self) -> list[list[float]]:
        """The sampler's bounds of each of :meth:`columns`."""
        raise TypeError(f"a {self.form} factor cannot be sampled")

    def sampled(self, coordinates: Sequence[float], base: Mapping[str, Value] | None) -> Level:
        """The values of a sampled point: ``coordinates`` (one per column) read around the scenario's ``base``."""
        raise TypeError(f"a {self.form} factor cannot be sampled")


@dataclass(frozen=True)
class ValuesFactor(Factor):
    values: tuple[Value, ...] = ()

    form = "values"

    def count(self) -> int:
        return len(self.values)

    def levels(self) -> list[Level]:
        return [{self.key: v} for v in self.values]


@dataclass(frozen=True)
class RangeFactor(Factor):
    low: float = 0.0
    high: float = 1.0
    steps: int | None = None  # grid points; None in a sampled design

    form = "range"

    def count(self) -> int:
        if self.steps is None:
            raise ValueError(f"{self.key}: a sampled range has no grid levels")
        return self.steps

    def levels(self) -> list[Level]:
        param = SCHEMA[self.key]
        raw = np.linspace(self.low, self.high, self.count())
        return [{self.key: param.check(round(float(x)) if param.kind is int else float(x))} for x in raw]

    def value(self, x: float) -> Value:
        """A sampled coordinate as this parameter's value: clipped to the bounds, integers rounded, a true/false
        parameter true from the middle of its range up."""
        param = SCHEMA[self.key]
        x = min(max(float(x), self.low), self.high)  # floating-point spill over the bounds
        if param.kind is bool:
            return x >= (self.low + self.high) / 2
        return param.check(round(x) if param.kind is int else x)

    def columns(self) -> tuple[str, ...]:
        return (self.key,)

    def bounds(self) -> list[list[float]]:
        return [[self.low, self.high]]

    def sampled(self, coordinates: Sequence[float], base: Mapping[str, Value] | None) -> Level:
        return {self.key: self.value(coordinates[0])}


@dataclass(frozen=True)
class SimplexFactor(Factor):
    divisions: int = 10
    low: float = 0.0  # the least share of each member

    form = "simplex"

    @property
    def keys(self) -> tuple[str, ...]:
        return SHARE_GROUPS[self.key]

    def count(self) -> int:
        return simplex_count(len(self.keys), self.divisions, self.low)

    def levels(self) -> list[Level]:
        return list(simplex_points(self.keys, self.divisions, self.low))


def _least_units(divisions: int, low: float) -> int:
    """The least number of 1/divisions steps a share >= low needs."""
    return max(0, math.ceil(low * divisions - 1e-9))


def simplex_count(members: int, divisions: int, low: float = 0.0) -> int:
    """How many points of the simplex have shares that are multiples of 1/divisions, each >= low."""
    free = divisions - members * _least_units(divisions, low)
    return math.comb(free + members - 1, members - 1) if free >= 0 else 0


def simplex_points(keys: tuple[str, ...], divisions: int, low: float = 0.0) -> list[dict[str, float]]:
    """Every point of the simplex over ``keys`` whose coordinates are multiples of 1/divisions (each >= low)."""
    least = _least_units(divisions, low)
    free = divisions - len(keys) * least
    points: list[dict[str, float]] = []
    if free < 0:
        return points
    for combo in itertools.product(range(free + 1), repeat=len(keys) - 1):
        rest = free - sum(combo)
        if rest < 0:
            continue
        units = [c + least for c in (*combo, rest)]
        points.append(dict(zip(keys, (u / divisions for u in units), strict=True)))
    return points


# --- reading [parameters] entries --------------------------------------------------------------


def parse_values(key: str, spec: list, source: str, where: str, fail: Fail) -> ValuesFactor:
    """A list of values, each checked against the schema."""
    param = SCHEMA[key]
    if not spec:
        raise fail("the list of values is empty")
    values: list[Value] = []
    for i, item in enumerate(spec):
        try:
            value = param.check(item)
        except InputError as e:
            raise InputError(f"value {i + 1}: {e.detail}", source=source, key=where) from None
        if value in values:
            raise fail(f"value {value!r} is listed twice")
        values.append(value)
    return ValuesFactor(key, values=tuple(values))


def parse_switch(key: str, spec: list, fail: Fail) -> RangeFactor:
    """A true/false parameter in a sampled design, listed as ``[false, true]``: drawn as a number from 0 to 1,
    false below 0.5 and true from 0.5 up."""
    if sorted(spec, key=str) != [False, True] or not all(isinstance(x, bool) for x in spec):
        raise fail(f"a sampled design draws a true/false parameter from both its values: list [false, true], "
                   f"got {spec!r}")
    return RangeFactor(key, low=0.0, high=1.0)


def parse_range(key: str, spec: dict, sampled: bool, fail: Fail) -> RangeFactor:
    """A range ``{ low, high }`` (and ``steps`` in a grid), bounds checked against the schema."""
    param = SCHEMA[key]
    if param.kind is bool:
        raise fail("a true/false parameter is varied by listing its values, e.g. [true, false]")
    allowed = {"low", "high"} if sampled else {"low", "high", "steps"}
    extra = sorted(set(spec) - allowed)
    if extra:
        hint = " (a sampled design draws its own points: give only low and high)" if "steps" in extra else ""
        raise fail(f"unknown range key {extra[0]!r}; allowed: {', '.join(sorted(allowed))}{hint}")
    for bound in ("low", "high"):
        if bound not in spec:
            raise fail(f"the range needs '{bound}'; allowed: {param.allowed}")
    try:
        low, high = param.check(spec["low"]), param.check(spec["high"])
    except InputError as e:
        raise fail(f"range: {e.detail}") from None
    if not low < high:
        raise fail(f"the range needs low < high, got low={low!r}, high={high!r}")
    steps = None
    if not sampled:
        steps = spec.get("steps")
        if isinstance(steps, bool) or not isinstance(steps, int) or not 2 <= steps <= MAX_LEVELS:
            raise fail(f"a grid range needs steps = an integer from 2 to {MAX_LEVELS:,} (points from low to high), "
                       f"got {steps!r}")
        # Evenly spaced points at least 1 apart round to distinct integers; closer ones repeat.
        if param.kind is int and steps > high - low + 1:
            raise fail(f"{steps} steps from {low} to {high} repeat integers; use at most {high - low + 1} steps "
                       "or list the values")
    return RangeFactor(key, low=float(low), high=float(high), steps=steps)


def parse_simplex(group: str, spec: Any, fail: Fail) -> SimplexFactor:
    """``{ divisions = N, low = L }`` for a group of shares that must sum to 1."""
    keys = SHARE_GROUPS[group]
    if not isinstance(spec, dict):
        raise fail(f"the shares {', '.join(keys)} must sum to 1: vary them together as "
                   f"{{ divisions = N }} (every point whose shares are multiples of 1/N)")
    extra = sorted(set(spec) - {"divisions", "low"})
    if extra:
        raise fail(f"unknown simplex key {extra[0]!r}; allowed: divisions, low")
    divisions = spec.get("divisions")
    if isinstance(divisions, bool) or not isinstance(divisions, int) or not 1 <= divisions <= 1000:
        raise fail(f"divisions must be an integer from 1 to 1,000, got {divisions!r}")
    low = spec.get("low", 0.0)
    if isinstance(low, bool) or not isinstance(low, int | float) or not 0 <= low <= 1 / len(keys):
        raise fail(f"low (the least share of each) must be a number from 0 to {1 / len(keys):.4g}, got {low!r}")
    if not simplex_count(len(keys), divisions, float(low)):
        raise fail(f"no point with shares in steps of 1/{divisions} has every share >= {low}")
    return SimplexFactor(group, divisions=divisions, low=float(low))
