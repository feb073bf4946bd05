"""What an experiment is: its settings, its configurations, its runs and the statuses they pass through.

An :class:`Experiment` is checked and complete when it exists (see
:func:`govsim.experiments.experiment_file.load_experiment`).  It does not hold
its configurations: a design of a million points would need gigabytes as
dictionaries.  It holds each configuration's identity (8 bytes) and which
scenario and design point first gives it, and rebuilds a configuration's
values when they are needed (a few microseconds).

A configuration's identity (``config_id``) comes from its parameter values
(see :mod:`~govsim.experiments.seeds`), never from its position in the design:
adding a grid value or a scenario moves positions, not identities.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np
from numpy.typing import ArrayLike

from govsim.experiments import seeds
from govsim.params import Value
from govsim.scenario import Scenario

if TYPE_CHECKING:
    from govsim.experiments.designs.base import Design

# --- statuses ---------------------------------------------------------------------------------

OK = "ok"
"""A run that finished; its outcomes and time series are recorded."""
FAILED = "failed"
"""A run that raised or whose worker died; its error and traceback are recorded."""

RUNNING = "running"
INTERRUPTED = "interrupted"
COMPLETE = "complete"
COMPLETE_WITH_FAILURES = "complete with failed runs"
SWEEP_STATUSES = (RUNNING, INTERRUPTED, COMPLETE, COMPLETE_WITH_FAILURES)
"""The ``status`` of a results folder's manifest."""

Window = tuple[str, int, int]
"""A named stretch of days (first, last, both included) over which each outcome's mean is recorded too."""


def statistics(windows: tuple[Window, ...] = ()) -> tuple[str, ...]:
    """What a run's row records of each outcome (column ``<outcome>_<statistic>``): its value on the last day,
    its mean over the kept days, and its mean over each window (``year_1``, ``settled`` ...)."""
    return ("final", "mean", *(name for name, _, _ in windows))


@dataclass(frozen=True)
class Configuration:
    """One resolved configuration: a scenario at a design point, every parameter set.

    Attributes:
        index: its position among the experiment's configurations.
        config_id: 16 hex digits from its values (see :func:`govsim.experiments.seeds.config_id`).
        scenario: the scenario's name.
        point: the first design point that gives it (for tables; never part of its identity).
        values: every parameter, by dotted key.
        before: a city's configuration before its reform (the scenario's ``before`` at the same design
            point); None for a community.
    """

    index: int
    config_id: str
    scenario: str
    point: int
    values: Mapping[str, Value] = field(repr=False)
    before: Mapping[str, Value] | None = field(default=None, repr=False)


@dataclass(frozen=True)
class RunTask:
    """Everything one run needs; a pure function of this gives the run's results.

    ``varied`` names the parameters recorded with the run's row (those that
    differ between the experiment's configurations).
    """

    run_id: str
    config_id: str
    scenario: str
    point: int
    replication: int
    seed: int
    values: Mapping[str, Value] = field(repr=False)
    steps: int
    burn_in: int
    record_every: int
    outcomes: tuple[str, ...]
    varied: tuple[str, ...] = ()
    before: Mapping[str, Value] | None = field(default=None, repr=False)
    windows: tuple[Window, ...] = ()

    @property
    def city(self) -> bool:
        """Whether this run is a city's (:class:`govsim.city.CityModel`), not one community's."""
        return self.before is not None


@dataclass(frozen=True)
class Footprint:
    """What one replication of every configuration costs, for plausibility checks before a sweep.

    Days count the model's warm-up before day 1 too (:data:`govsim.model.WARMUP`).

    Attributes:
        model_days: the sum over configurations of days simulated.
        agent_days: the sum over configurations of simulated residents (residents / population.scale) x days.
        community_days: the sum over configurations of communities (1, or a city's) x days.
        community_cells: the sum over city configurations of communities x kept steps (rows of the
            communities' time series); 0 for communities.
        max_agents: the most simulated residents of any configuration.
        max_communities: the most communities of any configuration.
        max_residents: the most residents of any configuration (a city's: its communities').
    """

    model_days: int
    agent_days: int
    community_days: int
    community_cells: int
    max_agents: int
    max_communities: int
    max_residents: int


def population(values: Mapping[str, Value], city: bool) -> tuple[int, int, int]:
    """Residents, simulated residents and communities of a configuration (a city's: its communities' mean
    size times their number)."""
    if city:
        communities = int(values["city.communities"])
        residents = communities * int(values["city.residents_mean"])
    else:
        communities, residents = 1, int(values["population.residents"])
    return residents, max(1, residents // int(values["population.scale"])), communities


@dataclass
class Experiment:
    """A checked experiment: settings, scenarios, the design, and the identity of every configuration.

    Attributes:
        cell_config: for each scenario (rows) and design point (columns), the
            index of its configuration.
        config_cell: for each configuration, the flat cell (scenario x points + point)
            that first gives it.
        config_hash: each configuration's identity as a 64-bit integer.
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
    design: Design
    varied: tuple[str, ...]
    cell_config: np.ndarray
    config_cell: np.ndarray
    config_hash: np.ndarray
    footprint: Footprint
    windows: tuple[Window, ...] = ()

    # --- sizes ----------------------------------------------------------------------------

    @property
    def n_configs(self) -> int:
        return len(self.config_hash)

    @property
    def n_runs(self) -> int:
        return self.n_configs * self.replications

    @property
    def n_points(self) -> int:
        return len(self.design)

    @property
    def city(self) -> bool:
        """Whether the experiment's scenarios are cities (an experiment runs one kind)."""
        return self.scenarios[0].before is not None

    @property
    def kept_steps(self) -> range:
        """The steps stored in the time series: after burn-in, every ``record_every``-th, ending at the last."""
        return kept_steps(self.steps, self.burn_in, self.record_every)

    # --- configurations -------------------------------------------------------------------

    def values(self, scenario: int, point: int) -> dict[str, Value]:
        """Every parameter of scenario number ``scenario`` at design point ``point``."""
        base = self.scenarios[scenario].values
        return dict(base) | self.design.point(point, base)

    def before_values(self, scenario: int, point: int) -> dict[str, Value] | None:
        """A city's configuration before its reform at design point ``point`` (the design's values hold before
        the reform too, as ``--set`` does); None for a community."""
        s = self.scenarios[scenario]
        if s.before is None:
            return None
        return dict(s.before.values) | self.design.point(point, s.values)

    def config_id(self, index: int) -> str:
        return seeds.hex_id(int(self.config_hash[index]))

    def configuration(self, index: int) -> Configuration:
        scenario, point = divmod(int(self.config_cell[index]), self.n_points)
        return Configuration(index, self.config_id(index), self.scenarios[scenario].name, point,
                             self.values(scenario, point), self.before_values(scenario, point))

    def configurations(self) -> Iterator[Configuration]:
        """Every configuration, in design order (scenario by scenario, point by point)."""
        for index in range(self.n_configs):
            yield self.configuration(index)

    def cells(self) -> Iterator[tuple[str, int, int]]:
        """(scenario, design point, configuration index) of every scenario and design point."""
        for s, scenario in enumerate(self.scenarios):
            for point, index in enumerate(self.cell_config[s]):
                yield scenario.name, point, int(index)

    def index_of(self, config_ids: Iterable[str]) -> np.ndarray:
        """The configuration index of each id, or -1 for an id that is not this experiment's."""
        wanted = np.fromiter((seeds.id_number(c) for c in config_ids), dtype=np.uint64)
        order = np.argsort(self.config_hash, kind="stable")
        ranked = self.config_hash[order]
        at = np.clip(np.searchsorted(ranked, wanted), 0, max(len(ranked) - 1, 0))
        if not len(ranked):
            return np.full(len(wanted), -1, dtype=np.int64)
        found = ranked[at] == wanted
        return np.where(found, order[at], -1).astype(np.int64)

    # --- runs -----------------------------------------------------------------------------

    def replication_seed(self, replication: int) -> int:
        return seeds.replication_seed(self.seed, replication)

    def tasks(self, skip: set[str] | frozenset[str] = frozenset()) -> Iterator[RunTask]:
        """Every run not in ``skip``, replication by replication (so partial results are balanced)."""
        for rep in range(self.replications):
            seed = self.replication_seed(rep)
            for index in range(self.n_configs):
                config_id = self.config_id(index)
                rid = seeds.run_id(config_id, rep, seed)
                if rid in skip:
                    continue
                c = self.configuration(index)
                yield RunTask(rid, config_id, c.scenario, c.point, rep, seed, c.values, self.steps, self.burn_in,
                              self.record_every, self.outcomes, self.varied, c.before, self.windows)

    def in_design(self, config_ids: Iterable[str], replications: ArrayLike, run_seeds: ArrayLike) -> np.ndarray:
        """Which recorded runs belong to this experiment: a known configuration, replication and seed."""
        reps = np.asarray(replications, dtype=np.int64)
        known = self.index_of(config_ids) >= 0
        unique = np.unique(reps)
        seed_of = {int(r): self.replication_seed(int(r)) if 0 <= r < self.replications else -1 for r in unique}
        expected = np.array([seed_of[int(r)] for r in reps], dtype=np.int64)
        return known & (reps >= 0) & (reps < self.replications) & (np.asarray(run_seeds, dtype=np.int64) == expected)


def kept_steps(steps: int, burn_in: int, record_every: int) -> range:
    """Steps after ``burn_in``, every ``record_every``-th, counted back from the last step."""
    first = steps - ((steps - burn_in - 1) // record_every) * record_every
    return range(first, steps + 1, record_every)
