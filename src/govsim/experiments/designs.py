"""Parameter designs: which points of parameter space an experiment visits.

A design is built from *factors* read from an experiment file's
``[parameters]`` table and checked against the parameter schema:

* a list of values (``"centre.staff" = [20, 30, 40]``) - grid designs only;
* a range (``"centre.quality" = { low = 0.3, high = 0.9, steps = 4 }``): evenly
  spaced values for a grid, or bounds for a sampled design (no ``steps``);
* a simplex (``"centre.role_emphasis" = { divisions = 10 }``) for a group of
  shares that must sum to 1: every point whose shares are multiples of
  1/divisions (66 points for 10 divisions), optionally each at least ``low``.
  Every point lies on the simplex by construction.

Kinds of design: ``grid`` (all combinations), ``lhs`` (Latin hypercube),
``sobol`` (Saltelli/Sobol' sampling for Sobol indices) and ``morris``
(elementary-effects trajectories); the last three go through SALib.
"""

from __future__ import annotations

import itertools
import math
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from govsim.errors import InputError, did_you_mean
from govsim.params import SCHEMA, SHARE_GROUPS, Value

KINDS = ("grid", "lhs", "sobol", "morris")
SAMPLED = ("lhs", "sobol", "morris")
MAX_POINTS = 1_000_000


@dataclass(frozen=True)
class Factor:
    """One entry of ``[parameters]``: a parameter (or a share group) and how it varies."""

    key: str                                   # the parameter's key, or a share group's
    values: tuple[Value, ...] | None = None    # listed values
    low: float | None = None                   # range bounds (or a simplex's least share)
    high: float | None = None
    steps: int | None = None                   # grid points of a range
    divisions: int | None = None               # simplex lattice

    @property
    def keys(self) -> tuple[str, ...]:
        """The parameters this factor sets."""
        return SHARE_GROUPS[self.key] if self.divisions is not None else (self.key,)

    def grid(self) -> list[dict[str, Value]]:
        """The values of a grid factor, each as {key: value}."""
        if self.divisions is not None:
            return simplex_points(self.keys, self.divisions, self.low or 0.0)
        if self.values is not None:
            return [{self.key: v} for v in self.values]
        param = SCHEMA[self.key]
        raw = np.linspace(self.low, self.high, self.steps)
        return [{self.key: param.check(int(round(x)) if param.kind is int else float(x))} for x in raw]


@dataclass
class Design:
    """The points of a design and, for sampled designs, what SALib needs to analyse them.

    Attributes:
        kind: one of :data:`KINDS`.
        keys: every parameter the design sets, in schema order.
        points: one dict of parameter values per point (integers rounded, shares on the simplex).
        sample: for sampled designs, SALib's raw sample (points x factors), before rounding.
        problem: for sampled designs, SALib's problem (names, bounds).
        options: samples, levels, second_order as used.
    """

    kind: str
    keys: tuple[str, ...]
    points: list[dict[str, Value]]
    sample: np.ndarray | None = None
    problem: dict[str, Any] | None = None
    options: dict[str, Any] = field(default_factory=dict)


def simplex_points(keys: tuple[str, ...], divisions: int, low: float = 0.0) -> list[dict[str, float]]:
    """Every point of the simplex over ``keys`` whose coordinates are multiples of 1/divisions (each >= low)."""
    points = []
    for combo in itertools.product(range(divisions + 1), repeat=len(keys) - 1):
        rest = divisions - sum(combo)
        if rest < 0:
            continue
        shares = [c / divisions for c in combo] + [rest / divisions]
        if min(shares) >= low - 1e-12:
            points.append(dict(zip(keys, shares, strict=True)))
    return points


def parse_factor(key: str, spec: Any, kind: str, source: str, where: str) -> Factor:
    """Read one ``[parameters]`` entry, checked against the schema; ``where`` is its key in the file."""

    def fail(message: str) -> InputError:
        return InputError(message, source=source, key=where)

    if key in SHARE_GROUPS:
        return _parse_simplex(key, spec, kind, fail)
    if key not in SCHEMA:
        hint = did_you_mean(key, [*SCHEMA, *SHARE_GROUPS])
        raise fail(f"unknown parameter{hint}; `govsim params` lists them")
    param = SCHEMA[key]
    sampled = kind in SAMPLED

    if isinstance(spec, list):
        if sampled:
            raise fail(f"a {kind} design needs a range {{ low = ..., high = ... }}, not a list of values")
        if not spec:
            raise fail("the list of values is empty")
        values = []
        for i, item in enumerate(spec):
            try:
                value = param.check(item)
            except InputError as e:
                raise InputError(f"value {i + 1}: {e.detail}", source=source, key=where) from None
            if value in values:
                raise fail(f"value {value!r} is listed twice")
            values.append(value)
        return Factor(key, values=tuple(values))

    if isinstance(spec, dict):
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
            if isinstance(steps, bool) or not isinstance(steps, int) or steps < 2:
                raise fail(f"a grid range needs steps = an integer >= 2 (points from low to high), got {steps!r}")
            if param.kind is int:
                rounded = {int(round(x)) for x in np.linspace(low, high, steps)}
                if len(rounded) < steps:
                    raise fail(f"{steps} steps from {low} to {high} repeat integers; use at most "
                               f"{high - low + 1} steps or list the values")
        return Factor(key, low=low, high=high, steps=steps)

    raise fail(f"give a list of values or a range {{ low = ..., high = ...}}, got {spec!r}; "
               "to fix a parameter for every run, put it under [set]")


def _parse_simplex(group: str, spec: Any, kind: str, fail) -> Factor:
    keys = SHARE_GROUPS[group]
    if kind != "grid":
        raise fail(f'the simplex of {group} can only be swept in a grid design (kind = "grid")')
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
    if not simplex_points(keys, divisions, float(low)):
        raise fail(f"no point with shares in steps of 1/{divisions} has every share >= {low}")
    return Factor(group, low=float(low), divisions=divisions)


def build_design(kind: str, factors: list[Factor], options: dict[str, Any], seed: int, source: str) -> Design:
    """All points of a design.  ``options`` are the checked [design] settings; ``seed`` feeds SALib."""
    keys = tuple(k for k in SCHEMA if any(k in f.keys for f in factors))
    if kind == "grid":
        size = math.prod(len(f.grid()) for f in factors) if factors else 1
        if size > MAX_POINTS:
            raise InputError(f"the grid has {size:,} points; at most {MAX_POINTS:,}", source=source, key="parameters")
        points = [_merge(combo) for combo in itertools.product(*(f.grid() for f in factors))]
        return Design(kind, keys, points, options=dict(options))

    if not factors:
        raise InputError(f"a {kind} design needs at least one parameter in [parameters]", source=source,
                         key="parameters")
    problem = {"num_vars": len(factors), "names": [f.key for f in factors],
               "bounds": [[float(f.low), float(f.high)] for f in factors]}
    n = options["samples"]
    if kind == "lhs":
        from SALib.sample import latin
        sample = latin.sample(problem, n, seed=seed)
    elif kind == "sobol":
        from SALib.sample import sobol
        sample = sobol.sample(problem, n, calc_second_order=options["second_order"], seed=seed)
    else:
        from SALib.sample import morris
        sample = morris.sample(problem, n, num_levels=options["levels"], seed=seed)
    if len(sample) > MAX_POINTS:
        raise InputError(f"the design has {len(sample):,} points; at most {MAX_POINTS:,}", source=source,
                         key="design.samples")
    points = []
    for row in sample:
        point = {}
        for f, x in zip(factors, row, strict=True):
            param = SCHEMA[f.key]
            x = float(min(max(x, f.low), f.high))  # guard against floating-point spill over the bounds
            point[f.key] = param.check(int(round(x)) if param.kind is int else x)
        points.append(point)
    return Design(kind, keys, points, sample=np.asarray(sample, dtype=float), problem=problem,
                  options=dict(options))


def _merge(parts: tuple[dict[str, Value], ...]) -> dict[str, Value]:
    out: dict[str, Value] = {}
    for part in parts:
        out.update(part)
    return out

