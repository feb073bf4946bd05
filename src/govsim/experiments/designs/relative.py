"""Ranges around each scenario's own values, for screening designs (Morris, Latin hypercube, Sobol).

A sampled design usually draws each parameter from a range in its own units
(``{ low = 0.3, high = 0.9 }``), the same for every scenario.  Screening
"around" a scenario needs ranges centred on that scenario's values instead:

* :class:`AroundFactor`, ``"centre.quality" = { around = 0.5 }``: the
  scenario's value ``v`` plus or minus ``around`` times ``|v|`` (a value of 0:
  ``around`` times the parameter's bounds), kept inside the parameter's
  bounds; an integer's range covers at least two integers; a parameter with
  a short list of allowed values (``structure.levels``) or a true/false one
  takes all its values.  Shares that must sum to at most 1 (``centre.origin.*``)
  are raised by at most an equal part of the room the scenario leaves, so
  that every point keeps the rule.
* :class:`WeightsFactor`, ``"centre.role_emphasis" = { around = 0.5 }``:
  shares that must sum to exactly 1 are screened as weights, each the
  scenario's share plus or minus ``around`` times itself (or ``around`` over
  the group's size, for a share of 0), then divided by their sum.  A factor
  per share: its effect is that of leaning more toward that share.

The sampler draws each of these on [0, 1] (the coordinate's place in the
range), so design.parquet keeps those coordinates and the analysis reads the
indices in them.  ``"*" = { around = 0.5 }`` screens every parameter of the
schema that is not set in ``[set]`` or listed on its own (see
:func:`every_parameter`).
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from govsim.errors import InputError
from govsim.experiments.designs.factors import Factor, Level
from govsim.params import REMAINDER_GROUPS, SCHEMA, SHARE_GROUPS, Param, Value

Fail = Callable[[str], InputError]

EVERY = "*"
"""The ``[parameters]`` key that stands for every parameter not otherwise set or listed."""

CITY_ONLY = "city."
"""Parameters a community model never reads (they shape the city): left out of ``"*"`` in a community experiment."""

RUN_LENGTH = ("city.days",)
"""Parameters that only say how long ``govsim run`` runs (an experiment's ``steps`` does that): never in ``"*"``."""


def _round(x: float) -> int:
    """Half up (Python's round() goes to even: 1.5 and 2.5 would both give 2)."""
    return math.floor(x + 0.5)


def _group_of(key: str) -> tuple[str, ...] | None:
    return next((keys for keys in REMAINDER_GROUPS.values() if key in keys), None)


@dataclass(frozen=True)
class AroundFactor(Factor):
    """One parameter drawn from a range around each scenario's value (see the module's docstring)."""

    around: float = 0.5

    form = "around"

    def describe(self) -> dict[str, Any]:
        return {**super().describe(), "around": self.around}

    def columns(self) -> tuple[str, ...]:
        return (self.key,)

    def bounds(self) -> list[list[float]]:
        return [[0.0, 1.0]]

    def span(self, base: Mapping[str, Value]) -> tuple[float, float]:
        """The range of a number or integer around ``base`` (for true/false and listed values: unused)."""
        param = SCHEMA[self.key]
        v = float(base[self.key])
        low = param.low if param.low is not None else -math.inf
        high = param.high if param.high is not None else math.inf
        width = abs(v) if v != 0 else (high - low if math.isfinite(high - low) else 1.0)
        lo, hi = max(low, v - self.around * width), min(high, v + self.around * width)
        group = _group_of(self.key)
        if group is not None:  # the sum must stay at most 1: each share may take an equal part of the room left
            room = max(0.0, 1.0 - sum(float(base[k]) for k in group))
            hi = min(hi, v + room / len(group))
        if param.kind is int:
            lo, hi = math.ceil(lo - 1e-9), math.floor(hi + 1e-9)
            if hi - lo < 1:  # at least two integers, on the side the bounds allow
                if lo + 1 <= high:
                    hi = lo + 1
                else:
                    lo = hi - 1
        return float(lo), float(hi)

    def value(self, u: float, base: Mapping[str, Value]) -> Value:
        param = SCHEMA[self.key]
        u = min(max(float(u), 0.0), 1.0)
        if param.kind is bool:
            return u >= 0.5
        if param.choices is not None:
            choices = sorted(param.choices)
            return param.check(choices[min(int(u * len(choices)), len(choices) - 1)])
        lo, hi = self.span(base)
        if param.kind is int:
            return param.check(int(lo) + _round(u * (hi - lo)))
        return param.check(min(max(lo + u * (hi - lo), lo), hi))

    def sampled(self, coordinates: Sequence[float], base: Mapping[str, Value] | None) -> Level:
        if base is None:
            raise ValueError(f"{self.key}: a range around the scenario's value needs the scenario's values")
        return {self.key: self.value(coordinates[0], base)}


@dataclass(frozen=True)
class WeightsFactor(Factor):
    """Shares that must sum to 1, screened as weights around each scenario's shares (see the module's docstring)."""

    around: float = 0.5

    form = "weights"

    @property
    def keys(self) -> tuple[str, ...]:
        return SHARE_GROUPS[self.key]

    def describe(self) -> dict[str, Any]:
        return {**super().describe(), "around": self.around}

    def columns(self) -> tuple[str, ...]:
        return self.keys

    def bounds(self) -> list[list[float]]:
        return [[0.0, 1.0] for _ in self.keys]

    def sampled(self, coordinates: Sequence[float], base: Mapping[str, Value] | None) -> Level:
        if base is None:
            raise ValueError(f"{self.key}: weights around the scenario's shares need the scenario's values")
        keys = self.keys
        weights = []
        for key, u in zip(keys, coordinates, strict=True):
            v = float(base[key])
            width = self.around * (v if v > 0 else 1.0 / len(keys))
            lo, hi = max(0.0, v - width), v + width
            weights.append(lo + min(max(float(u), 0.0), 1.0) * (hi - lo))
        total = sum(weights)
        if total <= 0:
            return {k: 1.0 / len(keys) for k in keys}
        shares = [w / total for w in weights]
        shares[-1] = 1.0 - sum(shares[:-1])  # exactly 1 in floating point
        return {k: SCHEMA[k].check(min(max(s, 0.0), 1.0)) for k, s in zip(keys, shares, strict=True)}


def parse_around(key: str, spec: Mapping[str, Any], fail: Fail) -> Factor:
    """``{ around = A }`` for a parameter or a group of shares; A a number above 0 and at most 1."""
    extra = sorted(set(spec) - {"around"})
    if extra:
        raise fail(f"unknown key {extra[0]!r} beside 'around'; allowed: around (a range around each scenario's "
                   "value), or low and high (a fixed range)")
    around = spec["around"]
    if isinstance(around, bool) or not isinstance(around, int | float) or not 0 < around <= 1:
        raise fail(f"around must be a number above 0 and at most 1 (the share of the scenario's value each side), "
                   f"got {around!r}")
    if key in SHARE_GROUPS:
        return WeightsFactor(key, around=float(around))
    return AroundFactor(key, around=float(around))


def every_parameter(spec: Any, taken: Iterable[str], city: bool, fail: Fail) -> list[Factor]:
    """``"*" = { around = A }``: a factor for every parameter not in ``taken`` ([set] and the listed ones).

    Shares that sum to 1 become one :class:`WeightsFactor` (unless one of them is taken); in a community
    experiment the city's parameters are left out (a community never reads them), and ``city.days`` always (a
    run's length is the experiment's ``steps``).
    """
    if not isinstance(spec, dict) or "around" not in spec:
        raise fail('"*" stands for every parameter not set or listed: give it a range around each scenario\'s '
                   'values, e.g. "*" = { around = 0.5 }')
    taken = set(taken)
    out: list[Factor] = []
    grouped = {k for keys in SHARE_GROUPS.values() for k in keys}
    for group, keys in SHARE_GROUPS.items():
        if not taken.intersection(keys) and group not in taken:
            out.append(parse_around(group, spec, fail))
    for key, param in SCHEMA.items():
        if (key in taken or key in grouped or key in RUN_LENGTH or (not city and key.startswith(CITY_ONLY))
                or not _screenable(param)):
            continue
        out.append(parse_around(key, spec, fail))
    return out


def _screenable(param: Param) -> bool:
    """A parameter that has more than one value to draw."""
    if param.kind is bool or param.choices is not None:
        return True
    return param.low is None or param.high is None or param.high > param.low
