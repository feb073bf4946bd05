"""Experiment files: what to run, read from TOML and checked before anything runs.

An experiment file names a base scenario (or a set of named scenarios to
compare), the parameters to vary and how (a design), replications, steps,
burn-in and the outcomes to keep::

    name = "staff_and_quality"          # optional: the file's stem
    description = "How staff numbers and skill change satisfaction"
    scenario = "guiyang_2012"           # base scenario: a name in scenarios/ or a path
    seed = 2012                         # the experiment's SeedSequence entropy
    replications = 20
    steps = 365                         # days
    burn_in = 30                        # days left out of the kept series and means
    outcomes = ["satisfaction", "needs_met"]   # optional: all outcomes

    [set]                               # fixed for every run
    "population.residents" = 5000

    [design]
    kind = "grid"                       # see govsim.experiments.designs.KINDS

    [parameters]
    "centre.staff" = [20, 30, 40]
    "centre.quality" = { low = 0.3, high = 0.9, steps = 4 }

Parameter keys are read as scenario files read them
(:func:`govsim.scenario.flatten`, :func:`govsim.params.lookup`,
:meth:`govsim.params.Param.check`), so a key means and is refused the same
everywhere.  Everything - every key, value, scenario, the design's size
before it is built, and every configuration against the parameter
constraints - is checked by :func:`load_experiment`; a problem raises
:class:`~govsim.errors.InputError` naming the file and the key, and nothing
is written.  ``docs/experiments.md`` describes the format in full.
"""

from __future__ import annotations

import hashlib
import os
import re
from collections import ChainMap
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

import numpy as np

from govsim import params
from govsim.errors import InputError, did_you_mean
from govsim.experiments import seeds
from govsim.experiments.designs import KINDS, MAX_POINTS, Design, DesignKind, Factor
from govsim.experiments.designs.relative import EVERY, every_parameter
from govsim.experiments.experiment import Experiment, Footprint, Window, kept_steps, population, statistics
from govsim.files import NAME_RULE, input_dir, is_valid_name, resolve_named
from govsim.model import WARMUP
from govsim.outcomes import OUTCOME_NAMES
from govsim.params import SCHEMA, SHARE_GROUPS, Value
from govsim.scenario import Scenario, flatten, load_scenario, read_toml, resolve_scenario_path, scenario_dir

TOP_KEYS = ("name", "description", "scenario", "scenarios", "reference", "seed", "replications", "steps",
            "burn_in", "record_every", "outcomes", "windows", "set", "design", "parameters")
_EXPERIMENT_ONLY = ("scenario", "scenarios", "replications", "steps", "design", "parameters", "set")
_RANGE_KEYS = ("low", "high", "steps", "around")
MAX_CONFIGURATIONS = MAX_POINTS
"""Scenarios x design points: each configuration's identity is kept in memory (8 bytes) and written to
design.parquet; a million already takes minutes to check and years to run."""

Fail = Callable[[str, str], InputError]


def experiment_dir() -> Path:
    """Where experiment files live: ``$GOVSIM_EXPERIMENTS``, ``./experiments``, or the checkout's."""
    return input_dir("experiments", "GOVSIM_EXPERIMENTS")


def resolve_experiment_path(path: str | os.PathLike) -> Path:
    """An experiment path as given, or a bare name looked up in :func:`experiment_dir`."""
    return resolve_named(path, experiment_dir())


def load_experiment(path: str | os.PathLike) -> Experiment:
    """Read and check an experiment file, and resolve every configuration of its design.

    Raises:
        InputError: naming the file, the key and what is allowed.
    """
    path = resolve_experiment_path(path)
    source = str(path)
    data = read_toml(path, "experiment file")
    raw = path.read_bytes()

    def fail(key: str, message: str) -> InputError:
        return InputError(message, source=source, key=key)

    _refuse_scenario_file(data, path)
    for key in data:
        if key not in TOP_KEYS:
            raise fail(key, f"unknown key{did_you_mean(key, TOP_KEYS)}; allowed: {', '.join(TOP_KEYS)}")

    name = data.get("name", path.stem)
    if not is_valid_name(name):
        raise fail("name", f"must be a name of {NAME_RULE}, got {name!r}")
    description = data.get("description", "")
    if not isinstance(description, str) or "\n" in description.strip():
        raise fail("description", "must be one line of text")

    seed = _integer(data, "seed", 0, 0, 2**63 - 1, fail)
    replications = _integer(data, "replications", None, 1, 1_000_000, fail)
    if "steps" in data:
        _integer(data, "steps", None, 1, 1_000_000, fail)
    outcomes = _outcomes(data.get("outcomes"), fail)

    common = _overrides(data.get("set", {}), "set", source)
    scenarios = _scenarios(data, path, common, fail, source)
    city = _one_kind(scenarios, fail)
    steps = _integer(data, "steps", _city_days(scenarios, fail) if city else None, 1, 1_000_000, fail)
    burn_in = _integer(data, "burn_in", 0, 0, steps - 1, fail)
    record_every = _integer(data, "record_every", 1, 1, steps, fail)
    windows = _windows(data.get("windows", {}), steps, fail)
    names = [s.name for s in scenarios]
    reference = data.get("reference", names[0] if len(names) > 1 else None)
    if reference is not None and reference not in names:
        raise fail("reference", f"must be one of the experiment's scenarios: {', '.join(names)}; got {reference!r}")

    kind, settings, factors = _design(data, source, fail, fixed=set(common), city=city)
    size = kind.size(factors, settings)
    if size > MAX_POINTS:
        raise fail("design" if kind.sampled else "parameters",
                   f"the {kind.name} design would have {size:,} points; at most {MAX_POINTS:,}")
    if size * len(scenarios) > MAX_CONFIGURATIONS:
        raise fail("scenarios", f"{len(scenarios)} scenarios x {size:,} design points = {size * len(scenarios):,} "
                                f"configurations; at most {MAX_CONFIGURATIONS:,}")
    design = kind.build(factors, settings, seeds.design_seed(seed))
    resolved = _resolve(scenarios, design, steps, burn_in, record_every, outcomes, windows, source)
    return Experiment(
        name=name, description=description.strip(), path=path, sha256=hashlib.sha256(raw).hexdigest(),
        text=raw.decode("utf-8", errors="replace"), seed=seed, replications=replications, steps=steps,
        burn_in=burn_in, record_every=record_every, outcomes=outcomes, scenarios=tuple(scenarios),
        reference=reference, design=design, windows=windows, **resolved)


def _refuse_scenario_file(data: dict[str, Any], path: Path) -> None:
    """A scenario file given where an experiment file belongs: say what it is and what to do."""
    if any(k in data for k in _EXPERIMENT_ONLY):
        return
    rest = {k: v for k, v in data.items() if k not in ("name", "description", "extends", "before")}
    if "extends" in data or any(k in SCHEMA for k in flatten(rest)):
        raise InputError(f"is a scenario file, not an experiment file: `govsim run {path}` runs it, and an "
                         f'experiment file names it with scenario = "{path.stem}"', source=str(path))


def _one_kind(scenarios: list[Scenario], fail: Fail) -> bool:
    """Whether the scenarios are cities; an experiment of both kinds is refused (their runs, outcomes and analyses
    differ: a city's outcomes are over its communities, and it is evaluated against its counterfactual)."""
    cities = [s.name for s in scenarios if s.before is not None]
    communities = [s.name for s in scenarios if s.before is None]
    if cities and communities:
        raise fail("scenarios", f"mixes community scenarios ({', '.join(communities)}) and city scenarios "
                                f"({', '.join(cities)}); an experiment runs one kind: put them in two experiments")
    return bool(cities)


def _city_days(scenarios: list[Scenario], fail: Fail) -> int:
    """A city experiment's default ``steps``: its scenarios' ``city.days`` (2009 to 2013), the same for all."""
    days = {int(s.values["city.days"]) for s in scenarios}
    if len(days) > 1:
        raise fail("steps", f"is required: the city scenarios' city.days differ ({', '.join(map(str, sorted(days)))})")
    return days.pop()


def _integer(data: Mapping[str, Any], key: str, default: int | None, low: int, high: int, fail: Fail) -> int:
    value = data.get(key, default)
    if value is None:
        raise fail(key, f"is required: an integer from {low:,} to {high:,}")
    if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
        raise fail(key, f"must be an integer from {low:,} to {high:,}, got {value!r}")
    return value


def _outcomes(value: Any, fail: Fail) -> tuple[str, ...]:
    if value is None:
        return OUTCOME_NAMES
    if not isinstance(value, list) or not value:
        raise fail("outcomes", "must be a non-empty list of outcome names; docs/experiments.md lists them")
    seen: list[str] = []
    for item in value:
        if item not in OUTCOME_NAMES:
            hint = did_you_mean(str(item), OUTCOME_NAMES)
            raise fail("outcomes", f"unknown outcome {item!r}{hint}; allowed: {', '.join(OUTCOME_NAMES)}")
        if item in seen:
            raise fail("outcomes", f"{item!r} is listed twice")
        seen.append(item)
    return tuple(seen)


MAX_WINDOWS = 20
_WINDOW_NAME = re.compile(r"[a-z][a-z0-9_]{0,31}")


def _windows(table: Any, steps: int, fail: Fail) -> tuple[Window, ...]:
    """``windows = { year_1 = [1, 365], settled = [366, 730] }``: days (first and last included) over which each
    outcome's mean is recorded too, e.g. the first year's transient and the settled state."""
    if not isinstance(table, dict):
        raise fail("windows", "must be a table of name = [first day, last day], e.g. { year_1 = [1, 365] }")
    if len(table) > MAX_WINDOWS:
        raise fail("windows", f"at most {MAX_WINDOWS} windows, got {len(table)}")
    out: list[Window] = []
    for name, days in table.items():
        where = f"windows.{name}"
        if not _WINDOW_NAME.fullmatch(name) or name in statistics():
            raise fail(where, "a window's name must be lower-case letters, digits and _ (starting with a letter), "
                              f"and not {' or '.join(statistics())}")
        if (not isinstance(days, list) or len(days) != 2 or any(isinstance(d, bool) or not isinstance(d, int)
                                                                 for d in days)
                or not 1 <= days[0] <= days[1] <= steps):
            raise fail(where, f"must be [first day, last day] with 1 <= first <= last <= steps ({steps:,}), "
                              f"got {days!r}")
        out.append((name, days[0], days[1]))
    return tuple(out)


def _overrides(table: Any, where: str, source: str) -> dict[str, Value]:
    """A ``set`` table: dotted keys to checked values, read as a scenario file's (constraints come later)."""
    if not isinstance(table, dict):
        raise InputError("must be a table of parameter = value", source=source, key=where)
    out = {}
    for key, value in flatten(table).items():
        try:
            out[key] = params.lookup(key, source).check(value, source)
        except InputError as e:
            raise InputError(e.detail, source=source, key=f"{where}.{e.key}") from None
    return out


def _scenarios(data: dict[str, Any], path: Path, common: dict[str, Value], fail: Fail,
               source: str) -> list[Scenario]:
    base = data.get("scenario")
    table = data.get("scenarios")
    if base is None and table is None:
        raise fail("scenario", "is required: a scenario name (see `govsim scenarios`) or file, "
                               "or a [scenarios] table of named scenarios to compare")
    if base is not None and not isinstance(base, str):
        raise fail("scenario", f"must be a scenario name or file path, got {base!r}")
    entries: dict[str | None, Any]
    if table is None:
        entries = {None: {}}
    elif isinstance(table, list):
        if not table or not all(isinstance(x, str) for x in table):
            raise fail("scenarios", "must be a list of scenario names or files, or a table of named scenarios")
        entries = {f"#{i}": x for i, x in enumerate(table)}
    elif isinstance(table, dict) and table:
        entries = dict(table)
    else:
        raise fail("scenarios", "must be a list of scenario names or files, or a table of named scenarios")

    out: list[Scenario] = []
    for label, entry in entries.items():
        where = "scenario" if label is None else ("scenarios" if label.startswith("#") else f"scenarios.{label}")
        overrides: dict[str, Value] = {}
        if label is None or isinstance(entry, str):
            ref = base if label is None else entry
        elif isinstance(entry, dict):
            extra = sorted(set(entry) - {"scenario", "set", "description"})
            if extra:
                raise fail(f"{where}.{extra[0]}", "unknown key; allowed: scenario, set, description")
            ref = entry.get("scenario", base)
            if ref is None:
                raise fail(f"{where}.scenario", "is required (there is no base 'scenario' to fall back on)")
            if not isinstance(ref, str):
                raise fail(f"{where}.scenario", f"must be a scenario name or file path, got {ref!r}")
            overrides = _overrides(entry.get("set", {}), f"{where}.set", source)
        else:
            raise fail(where, f"must be a scenario name or file, or a table with scenario and set; got {entry!r}")
        assert ref is not None
        scenario = _load_scenario(ref, path, f"{where}.scenario" if isinstance(entry, dict) else where, fail)
        name = scenario.name if label is None or label.startswith("#") else label
        if not is_valid_name(name):
            raise fail(where, f"the scenario's name {name!r} must be {NAME_RULE}")
        if name in [s.name for s in out]:
            raise fail(where, f"two scenarios are named {name!r}; give them different names in [scenarios]")
        description = entry.get("description", scenario.description) if isinstance(entry, dict) else \
            scenario.description
        values = dict(scenario.values) | common | overrides
        try:
            params.check_constraints(values, source)
            # A city's overrides hold before its reform too (as with `govsim run --set`).
            before = scenario.before.with_overrides(common | overrides, source) if scenario.before else None
        except InputError as e:
            raise InputError(e.detail, source=source, key=e.key) from None
        out.append(Scenario(name, str(description), values, scenario.path, before))
    return out


def _load_scenario(ref: str, experiment: Path, where: str, fail: Fail) -> Scenario:
    p = Path(ref)
    bare = not p.suffix and len(p.parts) == 1
    path = resolve_scenario_path(ref) if bare else (p if p.is_absolute() else experiment.parent / p)
    if not path.is_file():
        if bare:
            known = sorted(q.stem for q in scenario_dir().glob("*.toml"))
            hint = did_you_mean(ref, known)
            raise fail(where, f"no scenario named {ref!r} in {scenario_dir()}{hint}; known: {', '.join(known)}")
        raise fail(where, f"no such scenario file: {path} (a path is read relative to the experiment file)")
    return load_scenario(path)


def _design(data: dict[str, Any], source: str, fail: Fail, *, fixed: set[str], city: bool,
            ) -> tuple[DesignKind, dict[str, Any], tuple[Factor, ...]]:
    """The design's kind, its checked settings and its factors (nothing built yet).

    ``fixed`` are the parameters ``[set]`` fixes and ``city`` whether the scenarios are cities: both decide
    what ``"*"`` (every other parameter) stands for.
    """
    table = data.get("design", {})
    kinds = ", ".join(f'"{k}"' for k in KINDS)
    if not isinstance(table, dict):
        raise fail("design", f"must be a table with kind = {kinds}")
    name = table.get("kind", "grid")
    if name not in KINDS:
        raise fail("design.kind", f"unknown kind {name!r}{did_you_mean(str(name), KINDS)}; allowed: {kinds}")
    kind = KINDS[name]
    allowed = ("kind", *kind.settings)
    for key in table:
        if key not in allowed:
            raise fail(f"design.{key}", f"not a setting of a {name} design; allowed: {', '.join(allowed)}")
    settings = kind.parse_settings(table, fail)

    entries = data.get("parameters", {})
    if not isinstance(entries, dict):
        raise fail("parameters", "must be a table of parameter = list of values or range")
    factors: list[Factor] = []
    taken: dict[str, str] = {}
    listed = _parameter_entries(entries)
    for key, spec in listed.items():
        where = f"parameters.{key}"

        def fail_here(message: str, where: str = where) -> InputError:
            return InputError(message, source=source, key=where)

        if key == EVERY:
            if not kind.sampled:
                raise fail_here(f'"*" (every parameter) screens in a sampled design (kind = "morris", "lhs" or '
                                f'"sobol"), not a {name} design')
            continue
        if key not in SHARE_GROUPS:
            try:
                params.lookup(key, source)
            except InputError as e:
                raise InputError(e.detail, source=source, key=where) from None
        factor = kind.parse_factor(key, spec, source, where, fail_here)
        for k in factor.keys:
            if k in taken:
                raise fail_here(f"{k} is already varied by parameters.{taken[k]}")
            taken[k] = key
        factors.append(factor)
    if EVERY in listed:
        def fail_every(message: str) -> InputError:
            return InputError(message, source=source, key=f"parameters.{EVERY}")

        factors += every_parameter(listed[EVERY], set(taken) | set(taken.values()) | fixed, city, fail_every)
    for group, keys in SHARE_GROUPS.items():
        alone = [k for k in keys if k in taken and taken[k] != group]
        if alone:
            raise fail(f"parameters.{alone[0]}",
                       f"the shares {', '.join(keys)} must sum to 1, so they are varied together: "
                       f'"{group}" = {{ divisions = 10 }} sweeps their simplex')
    if kind.sampled and not factors:
        raise fail("parameters", f"a {name} design needs at least one parameter in [parameters]")
    return kind, settings, tuple(factors)


def _parameter_entries(table: Mapping[str, Any]) -> dict[str, Any]:
    """``[parameters]`` as dotted keys, read with the scenario's :func:`flatten`.

    ``flatten`` reads a table as nested keys unless its key is a parameter, so
    a simplex (``"centre.role_emphasis" = { divisions = 10 }``) and a range of
    a misspelt parameter come out split into their settings; they are put back
    together here, so that each is checked (and refused) as one entry.
    """
    out: dict[str, Any] = {}
    for key, value in flatten(table).items():
        group = next((g for g in SHARE_GROUPS if key.startswith(g + ".") and key not in SHARE_GROUPS[g]), None)
        head, _, tail = key.rpartition(".")
        if group is not None:
            out.setdefault(group, {})[key[len(group) + 1:]] = value
        elif key not in SCHEMA and head and head not in SCHEMA and tail in _RANGE_KEYS:
            out.setdefault(head, {})[tail] = value
        else:
            out[key] = value
    return out


def _resolve(scenarios: list[Scenario], design: Design, steps: int, burn_in: int, record_every: int,
             outcomes: tuple[str, ...], windows: tuple[Window, ...], source: str) -> dict[str, Any]:
    """Check every scenario at every design point and give each configuration its identity.

    Streams the design: one point at a time, never a dictionary per configuration.
    """
    n_points = len(design)
    cell_hash = np.empty(len(scenarios) * n_points, dtype=np.uint64)
    kept = len(kept_steps(steps, burn_in, record_every))
    days = steps + WARMUP
    cost = {"model_days": 0, "agent_days": 0, "community_days": 0, "community_cells": 0, "max_agents": 0,
            "max_communities": 0,
            "max_residents": 0}
    first: dict[str, Value] = {}
    varied_by_design: set[str] = set()
    for s, scenario in enumerate(scenarios):
        before = scenario.before.values if scenario.before is not None else None
        ids = seeds.ConfigIds(scenario.name, scenario.values, steps=steps, burn_in=burn_in, record_every=record_every,
                              outcomes=outcomes, windows=windows,
                              before=None if before is None else {k: v for k, v in before.items()
                                                                  if k not in design.keys})
        base = scenario.values
        for p, point in enumerate(design.points(base)):
            values = ChainMap(point, base)  # type: ignore[arg-type]
            try:
                params.check_constraints(values, source)
                if before is not None:
                    params.check_constraints(ChainMap(point, before), source)  # type: ignore[arg-type]
            except InputError as e:
                shown = ", ".join(f"{k}={v:g}" if isinstance(v, float) else f"{k}={v}" for k, v in point.items())
                raise InputError(f"{e.detail} at design point {p + 1} ({shown}) of scenario {scenario.name}",
                                 source=source, key=e.key) from None
            cell_hash[s * n_points + p] = seeds.id_number(ids(point))
            residents, agents, communities = population(values, before is not None)
            cost["model_days"] += days
            cost["agent_days"] += agents * days
            cost["community_days"] += communities * days
            cost["community_cells"] += communities * kept if before is not None else 0
            cost["max_agents"] = max(cost["max_agents"], agents)
            cost["max_communities"] = max(cost["max_communities"], communities)
            cost["max_residents"] = max(cost["max_residents"], residents)
            for k, v in point.items():
                if first.setdefault(k, v) != v:
                    varied_by_design.add(k)

    # Configurations in design order: the first cell that gives each identity.
    unique, first_cell, inverse = np.unique(cell_hash, return_index=True, return_inverse=True)
    order = np.argsort(first_cell, kind="stable")
    rank = np.empty(len(order), dtype=np.int64)
    rank[order] = np.arange(len(order))
    by_scenario = [dict(s.values) for s in scenarios]
    varied = tuple(k for k in SCHEMA if k in varied_by_design or
                   (k not in design.keys and len({v[k] for v in by_scenario}) > 1))
    return {"cell_config": rank[inverse].reshape(len(scenarios), n_points),
            "config_cell": first_cell[order].astype(np.int64), "config_hash": unique[order],
            "varied": varied, "footprint": Footprint(**cost)}
