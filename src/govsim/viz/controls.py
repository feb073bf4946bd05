"""The page's controls, derived from the parameter schema, and the set-up they edit.

Nothing here states a default, a bound or a meaning: each control reads them
from :data:`govsim.params.SCHEMA`.  The role shares of the service centre must
sum to 1 (:data:`govsim.params.SHARE_GROUPS`); when one moves, the others are
rescaled to fill the rest (:func:`simplex_adjust`), so the set-up is always a
valid scenario.

A :class:`Setup` is what the page will build on the next Reset: one or two
configurations (a preset scenario plus the teacher's edits), a shared
population size and a shared seed.  It is immutable; every edit returns a new
one.  This module imports no Solara, so it is tested without a browser.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from types import MappingProxyType
from typing import Any

from govsim.errors import InputError
from govsim.params import SCHEMA, SHARE_GROUPS, Param, Value
from govsim.scenario import Scenario, load_scenario, scenario_dir
from govsim.viz.styles import page_text

POPULATION_KEY = "population.residents"
"""Shared by both configurations in compare mode, like the seed (common random numbers)."""

ROLE_KEYS: tuple[str, ...] = SHARE_GROUPS["centre.role_emphasis"]

SECTIONS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("The centre's three roles (share of staff time it means to give)", ROLE_KEYS),
    ("Structure", ("structure.levels", "structure.two_signs_one_team", "structure.big_party_committee")),
    ("Causes the article names", (
        "centre.staff", "centre.training", "centre.quality", "centre.motivation",
        "centre.performance_evaluation", "centre.volunteer_team", "centre.social_workers",
        "units.resource_sharing", "district.task_pressure", "council.autonomy",
    )),
)
"""The controls of one configuration, by section, in the order shown."""

CONTROLLED_KEYS: tuple[str, ...] = tuple(k for _, keys in SECTIONS for k in keys)

MAX_SLIDER_STEPS = 100
"""An integer parameter with more values than this gets a typed field, not a slider."""

_OWN_PREFIX = ("centre", "structure", "population")


def humanize(word: str) -> str:
    return word.replace("_", " ")


def label_for(key: str) -> str:
    """A short label from the dotted key: ``centre.staff`` -> "Staff", ``council.autonomy`` -> "Council: autonomy"."""
    parts = key.split(".")
    last = humanize(parts[-1])
    if parts[0] in _OWN_PREFIX:
        return last[:1].upper() + last[1:]
    return f"{humanize(parts[0]).capitalize()}: {last}"


@dataclass(frozen=True, slots=True)
class Control:
    """One control, all of it read from the schema.

    Attributes:
        key: the parameter's dotted key.
        widget: "slider", "switch", "choice" or "number" (a typed field).
        label: short label.
        help: the parameter's meaning, unit and allowed values.
        low, high, step: the slider's range and step (None for other widgets).
        choices: the values of a "choice" widget.
    """

    key: str
    widget: str
    label: str
    help: str
    low: float | None = None
    high: float | None = None
    step: float | None = None
    choices: tuple[Value, ...] | None = None

    @property
    def param(self) -> Param:
        return SCHEMA[self.key]

    def format(self, value: Value) -> str:
        """The value as the page shows it."""
        if isinstance(value, bool):
            return "on" if value else "off"
        if isinstance(value, int):
            return f"{value:,}"
        return f"{value:.2f}"

    def parse(self, value: Any) -> Value:
        """A value from the page (a string from a typed field) as the parameter's type, or InputError."""
        param = self.param
        return param.parse(value, self.label) if isinstance(value, str) else param.check(value, self.label)


def control_for(key: str) -> Control:
    """The control of one schema parameter."""
    p = SCHEMA[key]
    unit = f" Unit: {p.unit}." if p.unit else ""
    help_text = page_text(f"{p.meaning}{unit} Allowed: {p.allowed}.")
    label = label_for(key)
    if p.kind is bool:
        return Control(key, "switch", label, help_text)
    if p.choices is not None:
        return Control(key, "choice", label, help_text, choices=p.choices)
    if p.low is None or p.high is None:  # an unbounded number is typed, not slid
        return Control(key, "number", label, help_text, low=p.low, high=p.high)
    if p.kind is int:
        if p.high - p.low > MAX_SLIDER_STEPS:
            return Control(key, "number", label, help_text, low=p.low, high=p.high)
        return Control(key, "slider", label, help_text, low=p.low, high=p.high, step=1)
    return Control(key, "slider", label, help_text, low=p.low, high=p.high, step=(p.high - p.low) / MAX_SLIDER_STEPS)


CONTROLS: dict[str, Control] = {k: control_for(k) for k in (*CONTROLLED_KEYS, POPULATION_KEY)}


def share_group(key: str) -> tuple[str, ...] | None:
    """The keys that must sum to 1 together with ``key``, or None."""
    for keys in SHARE_GROUPS.values():
        if key in keys:
            return keys
    return None


def simplex_adjust(values: Mapping[str, float], key: str, new: float, digits: int = 4) -> dict[str, float]:
    """Set one share of a group that sums to 1 and rescale the others to fill the rest.

    The others keep their proportions to each other; if they were all zero,
    they share the rest equally.  The result sums to 1 (to float precision)
    and every share lies in [0, 1].

    Args:
        values: the current values of (at least) every key of ``key``'s group.
        key: the share that moved.
        new: its new value (clipped to [0, 1]).
        digits: decimals kept, so the slider shows clean numbers.
    """
    group = share_group(key)
    if group is None:
        raise KeyError(f"{key} is not in a group of shares")
    new = round(min(1.0, max(0.0, float(new))), digits)
    others = [k for k in group if k != key]
    rest = sum(float(values[k]) for k in others)
    remain = 1.0 - new
    if rest > 1e-12:
        scaled = [float(values[k]) * remain / rest for k in others]
    else:
        scaled = [remain / len(others)] * len(others)
    rounded = [round(x, digits) for x in scaled[:-1]]
    last = max(0.0, remain - sum(rounded))
    return {key: new, **dict(zip(others, [*rounded, last], strict=True))}


def parse_seed(text: Any) -> int:
    """A seed typed on the page: a whole number >= 0 (Mesa's own seed field crashes on text)."""
    raw = str(text).strip().replace("_", "").replace(",", "")
    try:
        seed = int(raw)
    except ValueError:
        try:
            number = float(raw)
        except ValueError:
            number = math.nan
        if not number.is_integer():
            raise InputError(f"must be a whole number of 0 or more, got {str(text).strip()!r}", key="seed") from None
        seed = int(number)
    if seed < 0:
        raise InputError(f"must be 0 or more, got {seed}", key="seed")
    return seed


# --- the set-up the page edits ---------------------------------------------------------------


@dataclass(frozen=True)
class Choice:
    """One configuration: a preset scenario and the teacher's edits to it."""

    base: Scenario
    edits: Mapping[str, Value] = field(default_factory=dict)

    def __post_init__(self):
        object.__setattr__(self, "edits", MappingProxyType(dict(self.edits)))

    @property
    def name(self) -> str:
        return self.base.name

    def value(self, key: str) -> Value:
        return self.edits.get(key, self.base.values[key])

    def edited(self, updates: Mapping[str, Value]) -> Choice:
        """A copy with some values changed; an edit back to the preset's value is dropped."""
        edits = dict(self.edits)
        for key, value in updates.items():
            if value == self.base.values[key]:
                edits.pop(key, None)
            else:
                edits[key] = value
        return Choice(self.base, edits)

    def scenario(self, residents: int | None = None) -> Scenario:
        overrides = dict(self.edits)
        if residents is not None:
            overrides[POPULATION_KEY] = residents
        return self.base.with_overrides(overrides, source="page")


@dataclass(frozen=True)
class Setup:
    """What the page builds on Reset: one or two configurations, a population size and a seed.

    ``max_residents`` is the server's cap on residents per community
    (``govsim serve --max-residents``); a preset with more is brought down to it.
    """

    configs: tuple[Choice, Choice]
    residents: int
    seed: int = 0
    compare: bool = False
    max_residents: int | None = None

    @classmethod
    def initial(cls, a: Scenario, b: Scenario, seed: int = 0, max_residents: int | None = None) -> Setup:
        return cls((Choice(a), Choice(b)), residents=cap_residents(int(a.values[POPULATION_KEY]), max_residents),
                   seed=seed, max_residents=max_residents)

    @property
    def active(self) -> tuple[Choice, ...]:
        """The configurations that run: both in compare mode, else the first."""
        return self.configs if self.compare else self.configs[:1]

    def label(self, i: int) -> str:
        """"A: guiyang_2012", with "(edited)" when the teacher changed it."""
        c = self.configs[i]
        return f"{'AB'[i]}: {c.name}" + (" (edited)" if c.edits else "")

    def scenarios(self) -> list[Scenario]:
        return [c.scenario(self.residents) for c in self.active]

    def value(self, i: int, key: str) -> Value:
        return self.residents if key == POPULATION_KEY else self.configs[i].value(key)

    def _with_config(self, i: int, choice: Choice) -> Setup:
        configs = (choice, self.configs[1]) if i == 0 else (self.configs[0], choice)
        return replace(self, configs=configs)

    def with_preset(self, i: int, scenario: Scenario) -> Setup:
        """Configuration ``i`` set to a preset, dropping its edits; the first also sets the population."""
        out = self._with_config(i, Choice(scenario))
        if i == 0:
            return replace(out, residents=cap_residents(int(scenario.values[POPULATION_KEY]), self.max_residents))
        return out

    def with_value(self, i: int, key: str, value: Any) -> Setup:
        """Configuration ``i`` with one parameter changed (role shares kept on the simplex).

        Raises:
            InputError: the value is not allowed by the schema.
        """
        control = CONTROLS.get(key) or control_for(key)
        value = control.parse(value)
        if key == POPULATION_KEY:
            if self.max_residents is not None and value > self.max_residents:
                raise InputError(f"at most {self.max_residents:,} residents per community on this server "
                                 "(govsim serve --max-residents)", key=control.label)
            out = replace(self, residents=value)
            for c in out.active:  # fail now, not on Reset (e.g. fewer residents than ties)
                c.scenario(value)
            return out
        choice = self.configs[i]
        group = share_group(key)
        updates = simplex_adjust({k: choice.value(k) for k in group}, key, value) if group else {key: value}
        updated = choice.edited(updates)
        updated.scenario(self.residents)
        return self._with_config(i, updated)

    def with_seed(self, text: Any) -> Setup:
        return replace(self, seed=parse_seed(text))

    def with_compare(self, on: bool) -> Setup:
        return replace(self, compare=bool(on))


def cap_residents(residents: int, max_residents: int | None) -> int:
    return residents if max_residents is None else min(residents, max_residents)


def preset_extras(scenario: Scenario) -> dict[str, Value]:
    """Parameters a preset sets away from their defaults that have no control on the page."""
    return {k: v for k, v in scenario.changed().items() if k not in CONTROLS}


@dataclass(frozen=True)
class Presets:
    """The scenario files the page offers, the two it starts with, and the files left out (one line each).

    A city scenario (one that names the configuration ``before`` its reform) is not a community: it is
    offered by the city view (``cities``), never as a community preset.  ``start_with_city`` says the
    served scenario is a city, so the page opens on the city view.
    """

    scenarios: Mapping[str, Scenario]
    first: str
    second: str
    left_out: tuple[str, ...] = ()
    cities: Mapping[str, Scenario] = field(default_factory=lambda: MappingProxyType({}))
    first_city: str | None = None
    start_with_city: bool = False

    @property
    def names(self) -> list[str]:
        return list(self.scenarios)

    @property
    def city_names(self) -> list[str]:
        return list(self.cities)

    def __getitem__(self, name: str) -> Scenario:
        return self.scenarios[name]


def load_presets(scenario: str | Path | None = None, directory: str | Path | None = None) -> Presets:
    """Every good scenario file of the scenario directory, plus ``scenario`` if it lies elsewhere.

    The page starts with ``scenario`` (or ``guiyang_2012``) as configuration A
    and ``article_remedies`` (or another preset) as configuration B; a city
    scenario goes to the city view instead (which starts with ``scenario``, or
    ``guiyang_city``).  A file of the directory that does not load is left
    out, and its error kept in ``left_out``: one teacher's broken draft must
    not take the page away from the class (the page and ``govsim serve`` both
    say which file and why).

    Raises:
        InputError: ``scenario`` itself is wrong.
    """
    directory = Path(directory) if directory is not None else scenario_dir()
    found: dict[str, Scenario] = {}
    cities: dict[str, Scenario] = {}
    left_out = []
    # The files list_scenarios() would read, one at a time, so one bad file does not hide the rest.
    for path in sorted(directory.glob("*.toml")) if directory.is_dir() else ():
        try:
            loaded = load_scenario(path)
        except InputError as e:
            left_out.append(str(e))
            continue
        (cities if loaded.before is not None else found)[loaded.name] = loaded
    first = first_city = None
    if scenario is not None:
        chosen = load_scenario(scenario)
        shelf = cities if chosen.before is not None else found
        shelf.setdefault(chosen.name, chosen)
        key = chosen.name
        if shelf[chosen.name].values != chosen.values:  # a different file with the same name
            key = f"{chosen.name} ({chosen.path})"
            shelf[key] = chosen
        if chosen.before is not None:
            first_city = key
        else:
            first = key
    start_with_city = first_city is not None
    if not found:
        found["defaults"] = Scenario.default()
    names = list(found)
    first = first or ("guiyang_2012" if "guiyang_2012" in found else names[0])
    second = next((n for n in ("article_remedies", *names) if n in found and n != first), first)
    if first_city is None and cities:
        first_city = "guiyang_city" if "guiyang_city" in cities else next(iter(cities))
    return Presets(MappingProxyType(found), first, second, tuple(left_out), MappingProxyType(cities), first_city,
                   start_with_city)
