"""Scenario files: TOML tables that set parameters of the schema.

A scenario file has a one-line ``description``, may set a ``name`` (default:
the file's stem) and may ``extends`` another scenario, and sets parameters as
nested tables, which are read as dotted keys::

    description = "Guiyang 2012: the article's diagnosis"
    extends = "guiyang_2012"           # optional: a shipped scenario's name, or a path

    [centre.role_emphasis]
    service = 0.2

``extends`` takes a path relative to the file (``"base.toml"``,
``"../common/base.toml"``) or a bare name (``"guiyang_2012"``), looked up first
beside the file and then in the scenario directory (``govsim scenarios``).

Every value is checked against :data:`govsim.params.SCHEMA`; anything wrong
raises :class:`govsim.errors.InputError` naming the file and the key.  The
checks run in the order that helps most: an experiment file given by mistake
is named as such, then unknown keys (real typos) are reported before a missing
description, then the values.
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
from govsim.files import (
    NAME_RULE,
    check_name,
    input_dir,
    is_bare_name,
    is_valid_name,
    read_input,
    resolve_named,
    unknown_name,
)
from govsim.params import SCHEMA, Value


@dataclass(frozen=True)
class Scenario:
    """A complete, checked set of parameter values with a name.

    Attributes:
        name: short name (the file's stem for a file).
        description: one line saying what the scenario represents.
        values: every parameter of the schema, by dotted key.
        path: the file it came from, if any.
        before: for a city's staged reform, the configuration every community has until its reform date
            (a scenario file's top-level ``before``, a scenario name or path); None otherwise.
    """

    name: str
    description: str
    values: Mapping[str, Value] = field(repr=False)
    path: Path | None = None
    before: Scenario | None = field(default=None, repr=False)

    def __post_init__(self) -> None:
        # A scenario checks itself when built, however it was made: every parameter of the schema, each
        # allowed, and the rules that tie several together.
        source = str(self.path) if self.path is not None else self.name
        missing = [k for k in SCHEMA if k not in self.values]
        if missing:
            raise InputError(f"{len(missing)} parameters missing, e.g. {missing[0]}", source=source)
        values = {k: params.lookup(k, source).check(v, source) for k, v in self.values.items()}
        params.check_constraints(values, source)
        object.__setattr__(self, "values", MappingProxyType(values))

    def __reduce__(self) -> tuple[type[Scenario], tuple[Any, ...]]:
        # MappingProxyType cannot be pickled; rebuild from a plain dict
        return (Scenario, (self.name, self.description, dict(self.values), self.path, self.before))

    def __getitem__(self, key: str) -> Value:
        return self.values[key]

    @classmethod
    def default(cls) -> Scenario:
        """All parameters at their schema defaults."""
        return cls("defaults", "Every parameter at its schema default.", params.defaults())

    def with_overrides(self, overrides: Mapping[str, Any] | None, source: str = "overrides") -> Scenario:
        """A copy with some parameters changed; values may be typed or strings (as from ``--set``).

        With a ``before`` configuration, the overrides hold before the reform as well as after it.
        """
        if not overrides:
            return self
        values = dict(self.values)
        for key, value in overrides.items():
            param = params.lookup(key, source)
            values[key] = param.parse(value, source) if isinstance(value, str) else param.check(value, source)
        params.check_constraints(values, source)
        before = self.before.with_overrides(overrides, source) if self.before is not None else None
        return Scenario(self.name, self.description, values, self.path, before)

    def changed(self) -> dict[str, Value]:
        """The parameters whose value differs from the schema default."""
        return {k: v for k, v in self.values.items() if v != SCHEMA[k].default}


MAX_EXTENDS = 100
"""Longest chain of ``extends`` followed: far beyond any real use, and it stops a
runaway chain (thousands of generated files) with one clear line."""


def load_scenario(path: str | os.PathLike, overrides: Mapping[str, Any] | None = None) -> Scenario:
    """Read a scenario file, follow ``extends``, apply ``overrides`` and check it all.

    Args:
        path: a TOML file, or the name of one in the scenario directory
            (``"guiyang_2012"``).
        overrides: dotted keys to values, e.g. ``{"population.residents": 5000}``.

    Raises:
        InputError: naming the file (or "overrides"), the key and what is allowed.
    """
    resolved = resolve_scenario_path(path)
    if is_bare_name(path) and not resolved.exists() and not resolved.is_symlink():
        raise _no_scenario_named(str(path))  # with near matches and the known names
    return _load(resolved).with_overrides(overrides)


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
    """Parse a TOML file, turning every failure into an InputError that names it.

    Only a regular file of at most :data:`govsim.files.MAX_INPUT_BYTES` is read
    (see :func:`govsim.files.read_input`).
    """
    return _parse_toml(path, read_input(path, what)[0])


def _parse_toml(path: Path, raw: bytes) -> dict[str, Any]:
    try:
        return tomllib.loads(raw.decode("utf-8"))
    except UnicodeDecodeError as e:
        raise InputError(f"is not UTF-8 text ({e.reason} at byte {e.start})", source=str(path)) from None
    except tomllib.TOMLDecodeError as e:
        raise InputError(f"not valid TOML: {e}", source=str(path)) from None


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


@dataclass(frozen=True)
class _File:
    """One scenario file of an ``extends`` chain, read and checked on its own."""

    path: Path
    name: str
    description: str
    settings: dict[str, Any]
    extends: Path | None
    before: Path | None = None


def _load(path: Path) -> Scenario:
    # Read the chain child first, without recursion (a chain may be long), then
    # apply it from its root down, so a file's own values win over its parent's.
    chain: list[_File] = []
    seen: dict[tuple[int, int], Path] = {}
    current: Path | None = path
    while current is not None:
        if len(chain) == MAX_EXTENDS:
            raise InputError(f"the chain goes more than {MAX_EXTENDS} files deep ({chain[0].path.name} -> ... -> "
                             f"{chain[-1].path.name} -> {current.name}); at most {MAX_EXTENDS} are followed",
                             source=str(path), key="extends")
        try:
            raw, st = read_input(current, "scenario file")
        except InputError as e:
            if not chain:
                raise
            raise InputError(f"{current}: {e.detail}", source=str(chain[-1].path), key="extends") from None
        identity = (st.st_dev, st.st_ino)  # the same file however reached (symlinks, ../)
        if identity in seen:
            cycle = " -> ".join(f.path.name for f in chain[list(seen).index(identity):])
            raise InputError(f"'extends' makes a cycle: {cycle} -> {current.name}",
                             source=str(chain[-1].path), key="extends")
        seen[identity] = current
        file = _check_file(current, _parse_toml(current, raw))
        chain.append(file)
        current = file.extends

    values = params.defaults()
    for file in reversed(chain):
        source = str(file.path)
        for key, value in file.settings.items():
            values[key] = SCHEMA[key].check(value, source)
        params.check_constraints(values, source)
    top = chain[0]
    before = None
    if top.before is not None:
        before = _load(top.before)
        if before.before is not None:
            raise InputError("the scenario named by 'before' has a 'before' of its own; one stage back is all a "
                             "staged reform needs", source=str(top.path), key="before")
    return Scenario(top.name, top.description, values, top.path, before)


def _check_file(path: Path, data: dict[str, Any]) -> _File:
    """Check one file's keys, description, name and ``extends`` (values are checked in :func:`_load`)."""
    source = str(path)
    _refuse_experiment_file(path, data)
    description = data.pop("description", None)
    name = data.pop("name", None)
    extends = data.pop("extends", None)
    before = data.pop("before", None)
    settings = flatten(data)
    for key in settings:
        params.lookup(key, source)  # unknown keys first: a real typo matters more than a missing description

    if not isinstance(description, str) or not description.strip() or "\n" in description.strip():
        raise InputError("needs a one-line text description", source=source, key="description")
    if name is None:
        if not is_valid_name(path.stem):
            raise InputError(f"the file's name gives the scenario's name {path.stem!r}, which must be {NAME_RULE}; "
                             'rename the file or set name = "..." in it', source=source, key="name")
        name = path.stem
    name = check_name(name, source)
    if extends is not None and not (isinstance(extends, str) and extends.strip()):
        raise InputError("must be the name of a scenario (see `govsim scenarios`) or the path of a scenario file",
                         source=source, key="extends")
    parent = _resolve_extends(extends, path) if extends is not None else None
    if before is not None and not (isinstance(before, str) and before.strip()):
        raise InputError("must be the name of a scenario (see `govsim scenarios`) or the path of a scenario file",
                         source=source, key="before")
    earlier = _resolve_extends(before, path, key="before") if before is not None else None
    return _File(path, name, description.strip(), settings, parent, earlier)


def _resolve_extends(extends: str, path: Path, key: str = "extends") -> Path:
    """A path relative to the file, or a bare name: beside the file first, then in the scenario directory."""
    source = str(path)
    if is_bare_name(extends):
        for candidate in (path.parent / f"{extends}.toml", scenario_dir() / f"{extends}.toml"):
            if candidate.exists() or candidate.is_symlink():
                return candidate
        raise _no_scenario_named(extends, source=source, key=key, beside=path.parent)
    parent = Path(extends) if Path(extends).is_absolute() else path.parent / extends
    if not parent.exists() and not parent.is_symlink():
        raise InputError(f"{key} a file that does not exist: {parent}", source=source, key=key)
    return parent


def _no_scenario_named(name: str, *, source: str | None = None, key: str | None = None,
                       beside: Path | None = None) -> InputError:
    """No scenario of that name: near matches and the known scenarios; and if it names an experiment, say so."""
    if beside is not None:
        error = unknown_name("scenario", name, scenario_dir(), source=source, key=key)
        return InputError(f"no {name}.toml beside the file, and {error.detail}", source=source, key=key)
    from govsim.experiments.experiment_file import (
        experiment_dir,  # only on this error path: the experiment engine is heavy
    )

    experiment = experiment_dir() / f"{name}.toml"
    if experiment.is_file():
        return InputError(f"{name!r} is an experiment ({experiment}), not a scenario: "
                          f"run it with `govsim sweep {name}`", source=source, key=key)
    return unknown_name("scenario", name, scenario_dir(), source=source, key=key)


def _refuse_experiment_file(path: Path, data: Mapping[str, Any]) -> None:
    """An experiment file given where a scenario is expected: say what it is and what runs it."""
    namespaces = {key.split(".", 1)[0] for key in SCHEMA}
    top = ("name", "description", "extends", "before")
    strange = [key for key in data if key not in namespaces and key not in top]
    if len(strange) < 2:
        return  # no key, or one stray key: a typo, reported as an unknown parameter
    from govsim.experiments.experiment_file import TOP_KEYS  # the experiment file's own keys; imported only when needed

    marks = [key for key in strange if key in TOP_KEYS]
    if len(marks) >= 2:  # every experiment file sets several (scenario, replications, steps ...)
        raise InputError(f"is an experiment file (it sets {', '.join(marks)}), not a scenario: "
                         f"run it with `govsim sweep {path}`", source=str(path))
