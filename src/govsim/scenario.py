"""Scenario files: TOML tables that set parameters of the schema.

A scenario file has a one-line ``description``, may ``extends`` another file
(a path relative to itself) and sets parameters as nested tables, which are
read as dotted keys::

    description = "Guiyang 2012: the article's diagnosis"
    extends = "defaults.toml"          # optional

    [centre.role_emphasis]
    service = 0.2

Every value is checked against :data:`govsim.params.SCHEMA`; anything wrong
raises :class:`govsim.errors.InputError` naming the file and the key.
"""

from __future__ import annotations

import os
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from types import MappingProxyType
from typing import Any

from govsim import params
from govsim.errors import InputError
from govsim.files import input_dir, resolve_named
from govsim.params import SCHEMA, Value


@dataclass(frozen=True)
class Scenario:
    """A complete, checked set of parameter values with a name.

    Attributes:
        name: short name (the file's stem for a file).
        description: one line saying what the scenario represents.
        values: every parameter of the schema, by dotted key.
        path: the file it came from, if any.
    """

    name: str
    description: str
    values: Mapping[str, Value] = field(repr=False)
    path: Path | None = None

    def __post_init__(self):
        object.__setattr__(self, "values", MappingProxyType(dict(self.values)))

    def __reduce__(self):  # MappingProxyType cannot be pickled; rebuild from a plain dict
        return (Scenario, (self.name, self.description, dict(self.values), self.path))

    def __getitem__(self, key: str) -> Value:
        return self.values[key]

    @classmethod
    def default(cls) -> Scenario:
        """All parameters at their schema defaults."""
        return cls("defaults", "Every parameter at its schema default.", params.defaults())

    def with_overrides(self, overrides: Mapping[str, Any] | None, source: str = "overrides") -> Scenario:
        """A copy with some parameters changed; values may be typed or strings (as from ``--set``)."""
        if not overrides:
            return self
        values = dict(self.values)
        for key, value in overrides.items():
            param = params.lookup(key, source)
            values[key] = param.parse(value, source) if isinstance(value, str) else param.check(value, source)
        params.check_constraints(values, source)
        return Scenario(self.name, self.description, values, self.path)

    def changed(self) -> dict[str, Value]:
        """The parameters whose value differs from the schema default."""
        return {k: v for k, v in self.values.items() if v != SCHEMA[k].default}


def load_scenario(path: str | os.PathLike, overrides: Mapping[str, Any] | None = None) -> Scenario:
    """Read a scenario file, follow ``extends``, apply ``overrides`` and check it all.

    Args:
        path: a TOML file, or the name of one in the scenario directory
            (``"guiyang_2012"``).
        overrides: dotted keys to values, e.g. ``{"population.residents": 5000}``.

    Raises:
        InputError: naming the file (or "overrides"), the key and what is allowed.
    """
    scenario = _load(resolve_scenario_path(path), chain=())
    return scenario.with_overrides(overrides)


def resolve_scenario_path(path: str | os.PathLike) -> Path:
    """A scenario path as given, or a bare name looked up in :func:`scenario_dir`."""
    return resolve_named(path, scenario_dir())


def scenario_dir() -> Path:
    """Where scenario files live: ``$GOVSIM_SCENARIOS``, ``./scenarios``, or the checkout's."""
    return input_dir("scenarios", "GOVSIM_SCENARIOS")


def list_scenarios(directory: str | os.PathLike | None = None) -> list[Scenario]:
    """Every scenario file in ``directory``, loaded and checked, sorted by name."""
    directory = Path(directory) if directory is not None else scenario_dir()
    return [load_scenario(p) for p in sorted(directory.glob("*.toml"))]


def read_toml(path: Path, what: str = "file") -> dict[str, Any]:
    """Parse a TOML file, turning every failure into an InputError that names it."""
    try:
        with open(path, "rb") as f:
            return tomllib.load(f)
    except FileNotFoundError:
        raise InputError(f"no such {what}", source=str(path)) from None
    except IsADirectoryError:
        raise InputError(f"is a directory, not a {what}", source=str(path)) from None
    except tomllib.TOMLDecodeError as e:
        raise InputError(f"not valid TOML: {e}", source=str(path)) from None
    except (OSError, UnicodeDecodeError) as e:
        raise InputError(f"cannot read: {e}", source=str(path)) from None


def flatten(table: Mapping[str, Any], prefix: str = "") -> dict[str, Any]:
    """Nested TOML tables to dotted keys: {"centre": {"staff": 23}} -> {"centre.staff": 23}."""
    flat: dict[str, Any] = {}
    for key, value in table.items():
        dotted = f"{prefix}{key}"
        if isinstance(value, dict) and dotted not in SCHEMA:
            flat.update(flatten(value, dotted + "."))
        else:
            flat[dotted] = value
    return flat


def _load(path: Path, chain: tuple[Path, ...]) -> Scenario:
    resolved = path.resolve()
    if resolved in chain:
        cycle = " -> ".join(p.name for p in (*chain, resolved))
        raise InputError(f"'extends' makes a cycle: {cycle}", source=str(path), key="extends")
    data = read_toml(path, "scenario file")
    source = str(path)

    description = data.pop("description", None)
    if not isinstance(description, str) or not description.strip() or "\n" in description.strip():
        raise InputError("needs a one-line text description", source=source, key="description")
    name = data.pop("name", path.stem)
    if not isinstance(name, str) or not name:
        raise InputError("must be a non-empty text", source=source, key="name")

    extends = data.pop("extends", None)
    if extends is None:
        values = params.defaults()
    elif isinstance(extends, str):
        parent = path.parent / extends
        if not parent.exists():
            raise InputError(f"extends a file that does not exist: {parent}", source=source, key="extends")
        values = dict(_load(parent, (*chain, resolved)).values)
    else:
        raise InputError("must be the path of another scenario file", source=source, key="extends")

    for key, value in flatten(data).items():
        values[key] = params.lookup(key, source).check(value, source)
    params.check_constraints(values, source)
    return Scenario(name, description.strip(), values, path)
