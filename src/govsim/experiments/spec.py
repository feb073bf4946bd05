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
    kind = "grid"                       # grid | lhs | sobol | morris

    [parameters]
    "centre.staff" = [20, 30, 40]
    "centre.quality" = { low = 0.3, high = 0.9, steps = 4 }

Everything - every key, value, scenario and every point of the design with
the parameter constraints - is checked by :func:`load_experiment`; a problem
raises :class:`~govsim.errors.InputError` naming the file and the key, and
nothing is written.  ``docs/experiments.md`` describes the format in full.
"""

from __future__ import annotations

import hashlib
import os
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from govsim import params
from govsim.errors import InputError, did_you_mean
from govsim.experiments import designs, seeds
from govsim.files import input_dir, resolve_named
from govsim.outcomes import OUTCOME_NAMES
from govsim.params import SCHEMA, SHARE_GROUPS, Value
from govsim.scenario import Scenario, flatten, load_scenario, read_toml, resolve_scenario_path, scenario_dir

TOP_KEYS = ("name", "description", "scenario", "scenarios", "reference", "seed", "replications", "steps",
            "burn_in", "record_every", "outcomes", "set", "design", "parameters")
DESIGN_KEYS = {"grid": ("kind",), "lhs": ("kind", "samples"), "sobol": ("kind", "samples", "second_order"),
               "morris": ("kind", "samples", "levels")}
_RANGE_KEYS = {"low", "high", "steps", "divisions"}
_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]*$")


@dataclass(frozen=True)
class Config:
    """One resolved configuration: a scenario at a design point, every parameter set."""

    config_id: str
    scenario: str
    point: int                     # the first design point that gives this configuration
    values: Mapping[str, Value] = field(repr=False)


@dataclass(frozen=True)
class RunTask:
    """Everything one run needs; a pure function of this gives the run's results."""

    run_id: str
    config_id: str
    scenario: str
    point: int
    replication: int
    seed: int
    values: Mapping[str, Value]
    steps: int
    burn_in: int
    record_every: int
    outcomes: tuple[str, ...]


@dataclass
class Experiment:
    """A checked experiment: settings, scenarios, the design, and every configuration it runs.

    Attributes:
        configs: the unique configurations (scenario x design point), in order.
        cells: one (scenario, point, index into configs) per scenario and design point.
        varied: parameters whose value differs between configurations, in schema order.
    """

    name: str
    description: str
    path: Path
    sha256: str
    text: str
    seed: int
    replications: int
    steps: int
    burn_in: int
    record_every: int
    outcomes: tuple[str, ...]
    scenarios: tuple[Scenario, ...]
    reference: str | None
    design: designs.Design
    configs: list[Config]
    cells: list[tuple[str, int, int]]
    varied: tuple[str, ...]

    @property
    def n_runs(self) -> int:
        return len(self.configs) * self.replications

    @property
    def kept_steps(self) -> range:
        """The steps stored in the time series: after burn-in, every ``record_every``-th, ending at the last."""
        return kept_steps(self.steps, self.burn_in, self.record_every)

    def replication_seed(self, replication: int) -> int:
        return seeds.replication_seed(self.seed, replication)

    def run_ids(self, replication: int) -> list[str]:
        seed = self.replication_seed(replication)
        return [seeds.run_id(c.config_id, replication, seed) for c in self.configs]

    def tasks(self, skip: set[str] | frozenset[str] = frozenset()) -> Iterator[RunTask]:
        """Every run not in ``skip``, replication by replication (so partial results are balanced)."""
        for rep in range(self.replications):
            seed = self.replication_seed(rep)
            for c in self.configs:
                rid = seeds.run_id(c.config_id, rep, seed)
                if rid not in skip:
                    yield RunTask(rid, c.config_id, c.scenario, c.point, rep, seed, c.values, self.steps,
                                  self.burn_in, self.record_every, self.outcomes)


def kept_steps(steps: int, burn_in: int, record_every: int) -> range:
    """Steps after ``burn_in``, every ``record_every``-th, counted back from the last step."""
    first = steps - ((steps - burn_in - 1) // record_every) * record_every
    return range(first, steps + 1, record_every)


def experiment_dir() -> Path:
    """Where experiment files live: ``$GOVSIM_EXPERIMENTS``, ``./experiments``, or the checkout's."""
    return input_dir("experiments", "GOVSIM_EXPERIMENTS")


def resolve_experiment_path(path: str | os.PathLike) -> Path:
    """An experiment path as given, or a bare name looked up in :func:`experiment_dir`."""
    return resolve_named(path, experiment_dir())


def load_experiment(path: str | os.PathLike) -> Experiment:
    """Read and check an experiment file, and build its whole design.

    Raises:
        InputError: naming the file, the key and what is allowed.
    """
    path = resolve_experiment_path(path)
    source = str(path)
    data = read_toml(path, "experiment file")
    raw = path.read_bytes()

    def fail(key: str, message: str) -> InputError:
        return InputError(message, source=source, key=key)

    for key in data:
        if key not in TOP_KEYS:
            raise fail(key, f"unknown key{did_you_mean(key, TOP_KEYS)}; allowed: {', '.join(TOP_KEYS)}")

    name = data.get("name", path.stem)
    if not isinstance(name, str) or not _NAME.match(name):
        raise fail("name", f"must be a name of letters, digits, '_', '-' or '.', got {name!r}")
    description = data.get("description", "")
    if not isinstance(description, str) or "\n" in description.strip():
        raise fail("description", "must be one line of text")

    seed = _integer(data, "seed", 0, 0, 2**63 - 1, fail)
    replications = _integer(data, "replications", None, 1, 1_000_000, fail)
    steps = _integer(data, "steps", None, 1, 1_000_000, fail)
    burn_in = _integer(data, "burn_in", 0, 0, steps - 1, fail)
    record_every = _integer(data, "record_every", 1, 1, steps, fail)
    outcomes = _outcomes(data.get("outcomes"), fail)

    common = _overrides(data.get("set", {}), "set", source)
    scenarios = _scenarios(data, path, common, fail, source)
    names = [s.name for s in scenarios]
    reference = data.get("reference", names[0] if len(names) > 1 else None)
    if reference is not None and reference not in names:
        raise fail("reference", f"must be one of the experiment's scenarios: {', '.join(names)}; got {reference!r}")

    design = _design(data, seed, source, fail)
    configs, cells = _configs(scenarios, design, steps, burn_in, record_every, outcomes, source)
    varied = tuple(k for k in SCHEMA if len({c.values[k] for c in configs}) > 1)
    return Experiment(
        name=name, description=description.strip(), path=path, sha256=hashlib.sha256(raw).hexdigest(),
        text=raw.decode("utf-8", errors="replace"), seed=seed, replications=replications, steps=steps,
        burn_in=burn_in, record_every=record_every, outcomes=outcomes, scenarios=tuple(scenarios),
        reference=reference, design=design, configs=configs, cells=cells, varied=varied)


def _integer(data, key, default, low, high, fail) -> int:
    value = data.get(key, default)
    if value is None:
        raise fail(key, f"is required: an integer from {low:,} to {high:,}")
    if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
        raise fail(key, f"must be an integer from {low:,} to {high:,}, got {value!r}")
    return value


def _outcomes(value, fail) -> tuple[str, ...]:
    if value is None:
        return OUTCOME_NAMES
    if not isinstance(value, list) or not value:
        raise fail("outcomes", "must be a non-empty list of outcome names; `govsim outcomes` or docs/experiments.md "
                               "lists them")
    seen: list[str] = []
    for item in value:
        if item not in OUTCOME_NAMES:
            hint = did_you_mean(str(item), OUTCOME_NAMES)
            raise fail("outcomes", f"unknown outcome {item!r}{hint}; allowed: {', '.join(OUTCOME_NAMES)}")
        if item in seen:
            raise fail("outcomes", f"{item!r} is listed twice")
        seen.append(item)
    return tuple(seen)


def _overrides(table: Any, where: str, source: str) -> dict[str, Value]:
    """A ``set`` table: dotted keys to checked values (constraints are checked per configuration)."""
    if not isinstance(table, dict):
        raise InputError("must be a table of parameter = value", source=source, key=where)
    out = {}
    for key, value in flatten(table).items():
        if key not in SCHEMA:
            hint = did_you_mean(key, SCHEMA)
            raise InputError(f"unknown parameter{hint}; `govsim params` lists them", source=source,
                             key=f"{where}.{key}")
        try:
            out[key] = SCHEMA[key].check(value)
        except InputError as e:
            raise InputError(e.detail, source=source, key=f"{where}.{key}") from None
    return out


def _scenarios(data, path: Path, common, fail, source) -> list[Scenario]:
    base = data.get("scenario")
    table = data.get("scenarios")
    if base is None and table is None:
        raise fail("scenario", "is required: a scenario name (see `govsim scenarios`) or file, "
                               "or a [scenarios] table of named scenarios to compare")
    if base is not None and not isinstance(base, str):
        raise fail("scenario", f"must be a scenario name or file path, got {base!r}")
    if table is None:
        entries = {None: {}}
    elif isinstance(table, list):
        if not table or not all(isinstance(x, str) for x in table):
            raise fail("scenarios", "must be a list of scenario names or files, or a table of named scenarios")
        entries = {f"#{i}": x for i, x in enumerate(table)}
    elif isinstance(table, dict) and table:
        entries = table
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
        scenario = _load_scenario(ref, path, f"{where}.scenario" if isinstance(entry, dict) else where, fail)
        name = scenario.name if label is None or label.startswith("#") else label
        if not _NAME.match(name):
            raise fail(where, f"the scenario's name {name!r} must be letters, digits, '_', '-' or '.'")
        if name in [s.name for s in out]:
            raise fail(where, f"two scenarios are named {name!r}; give them different names in [scenarios]")
        description = entry.get("description", scenario.description) if isinstance(entry, dict) else \
            scenario.description
        values = dict(scenario.values) | common | overrides
        try:
            params.check_constraints(values, source)
        except InputError as e:
            raise InputError(e.detail, source=source, key=e.key) from None
        out.append(Scenario(name, str(description), values, scenario.path))
    return out


def _load_scenario(ref: str, experiment: Path, where: str, fail) -> Scenario:
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


def _design(data, seed: int, source: str, fail) -> designs.Design:
    table = data.get("design", {})
    if not isinstance(table, dict):
        raise fail("design", 'must be a table with kind = "grid", "lhs", "sobol" or "morris"')
    kind = table.get("kind", "grid")
    if kind not in designs.KINDS:
        raise fail("design.kind", f"unknown kind {kind!r}{did_you_mean(str(kind), designs.KINDS)}; "
                                  f"allowed: {', '.join(designs.KINDS)}")
    allowed = DESIGN_KEYS[kind]
    for key in table:
        if key not in allowed:
            raise fail(f"design.{key}", f"not a setting of a {kind} design; allowed: {', '.join(allowed)}")
    options: dict[str, Any] = {}
    if kind in designs.SAMPLED:
        options["samples"] = _integer(table, "samples", None, 1, 1_000_000,
                                      lambda k, m: fail(f"design.{k}", m))
        if kind == "sobol":
            n = options["samples"]
            if n < 2 or n & (n - 1):
                raise fail("design.samples", f"a Sobol design needs a power of 2 (e.g. 64, 128, 256), got {n}")
            second = table.get("second_order", False)
            if not isinstance(second, bool):
                raise fail("design.second_order", f"must be true or false, got {second!r}")
            options["second_order"] = second
        if kind == "morris":
            levels = table.get("levels", 4)
            if isinstance(levels, bool) or not isinstance(levels, int) or levels < 2 or levels % 2:
                raise fail("design.levels", f"must be an even integer >= 2 (grid levels of each factor), got "
                                            f"{levels!r}")
            options["levels"] = levels
            if options["samples"] < 2:
                raise fail("design.samples", "a Morris design needs at least 2 trajectories")

    table = data.get("parameters", {})
    if not isinstance(table, dict):
        raise fail("parameters", "must be a table of parameter = list of values or range")
    factors: list[designs.Factor] = []
    taken: dict[str, str] = {}
    for key, spec in _flatten_parameters(table).items():
        factor = designs.parse_factor(key, spec, kind, source, f"parameters.{key}")
        for k in factor.keys:
            if k in taken:
                raise fail(f"parameters.{key}", f"{k} is already varied by parameters.{taken[k]}")
            taken[k] = key
        factors.append(factor)
    for group, keys in SHARE_GROUPS.items():
        alone = [k for k in keys if k in taken and taken[k] != group]
        if alone:
            raise fail(f"parameters.{alone[0]}",
                       f"the shares {', '.join(keys)} must sum to 1, so they are varied together: "
                       f'"{group}" = {{ divisions = 10 }} sweeps their simplex')
    return designs.build_design(kind, factors, options, seeds.design_seed(seed), source)


def _flatten_parameters(table: Mapping[str, Any], prefix: str = "") -> dict[str, Any]:
    """Like scenario.flatten, but a range or simplex table ({low, high, ...}) is a value, not a subtable."""
    flat: dict[str, Any] = {}
    for key, value in table.items():
        dotted = f"{prefix}{key}"
        if (isinstance(value, dict) and dotted not in SCHEMA and dotted not in SHARE_GROUPS
                and not set(value) & _RANGE_KEYS):
            flat.update(_flatten_parameters(value, dotted + "."))
        else:
            flat[dotted] = value
    return flat


def _configs(scenarios, design, steps, burn_in, record_every, outcomes, source):
    import govsim
    configs: list[Config] = []
    index: dict[str, int] = {}
    cells: list[tuple[str, int, int]] = []
    for scenario in scenarios:
        for p, point in enumerate(design.points):
            values = dict(scenario.values) | point
            try:
                params.check_constraints(values, source)
            except InputError as e:
                shown = ", ".join(f"{k}={v:g}" if isinstance(v, float) else f"{k}={v}" for k, v in point.items())
                raise InputError(f"{e.detail} at design point {p + 1} ({shown}) of scenario {scenario.name}",
                                 source=source, key=e.key) from None
            cid = seeds.config_id(scenario.name, values, steps=steps, burn_in=burn_in, record_every=record_every,
                                  outcomes=outcomes, version=govsim.__version__)
            if cid not in index:
                index[cid] = len(configs)
                configs.append(Config(cid, scenario.name, p, values))
            cells.append((scenario.name, p, index[cid]))
    return configs, cells
