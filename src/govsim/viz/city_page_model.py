"""The model the city view plays: Guiyang's communities and the staged reform, and what the page keeps of it.

:class:`CityPageModel` is a ``mesa.Model`` like the community view's
:class:`~govsim.viz.page_model.PageModel`: the same controls play, step and
reset it, its step waits while the tab has no connection and it stops once
the tab's session is closed, or once the scenario's last day is reached.

It keeps, a row per day, the city's outcomes and their means over the
communities already reformed and over those not yet reformed (the picture an
evaluator of the pilots looks at), and, per outcome, the range the bulk of the
communities has shown so far: each day's 5th to 95th percentile over
communities, widened day by day (the map's colour scale covers it, so one
community's odd week does not wash out the colours of the other 89), and the
lowest and highest value any community has shown.

A community of the city opened on its own (:meth:`CityPageModel.focus`) is a
:class:`CommunityOfCity`: the city's own community, its state read from the
city model and its history from the city's records, so it moves on as the
city plays.
"""

from __future__ import annotations

import threading
import warnings
from collections.abc import Callable

import mesa
import numpy as np

from govsim.city import CityModel
from govsim.outcomes import OUTCOME_NAMES
from govsim.viz import city_state
from govsim.viz.city_setup import CitySetup
from govsim.viz.memory import MODELS
from govsim.viz.page_model import History, room_for
from govsim.viz.sessions import Session

BULK = (5.0, 95.0)
"""Percentiles over communities that bound the map's colour scale each day (outliers take the end colours)."""

GROUPS = ("city", "reformed", "not yet")
"""The city's series: the whole city (counts pooled, states weighted by residents, as the model reports it),
the mean over the communities already reformed, the mean over those not yet reformed."""


class CityHistory:
    """The city's outcomes a day (day 1 first), by :data:`GROUPS`, and how many communities were reformed."""

    def __init__(self, capacity: int = 512):
        self._data = np.empty((capacity, len(GROUPS), len(OUTCOME_NAMES)))
        self._reformed = np.empty(capacity, dtype=int)
        self.n = 0

    def append(self, city: dict[str, float], per: dict[str, np.ndarray], reformed: np.ndarray) -> None:
        self._data, self._reformed = room_for(self._data, self.n), room_for(self._reformed, self.n)
        values = np.array([per[name] for name in OUTCOME_NAMES], dtype=float)  # outcomes x communities
        self._data[self.n, 0] = [city[name] for name in OUTCOME_NAMES]
        self._data[self.n, 1] = _mean(values[:, reformed])
        self._data[self.n, 2] = _mean(values[:, ~reformed])
        self._reformed[self.n] = int(reformed.sum())
        self.n += 1

    def __len__(self) -> int:
        return self.n

    @property
    def days(self) -> np.ndarray:
        return np.arange(1, self.n + 1)

    def series(self, name: str, group: str) -> np.ndarray:
        """One outcome's series for one of :data:`GROUPS` (a read-only view)."""
        view = self._data[: self.n, GROUPS.index(group), OUTCOME_NAMES.index(name)]
        view.flags.writeable = False
        return view

    def latest(self, name: str, group: str) -> float | None:
        return float(self._data[self.n - 1, GROUPS.index(group), OUTCOME_NAMES.index(name)]) if self.n else None

    @property
    def reformed(self) -> np.ndarray:
        return self._reformed[: self.n]


def _mean(values: np.ndarray) -> np.ndarray:
    """Mean over communities (columns), NaN where none has a value."""
    if values.shape[1] == 0:
        return np.full(values.shape[0], np.nan)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)  # all-NaN rows: NaN is the answer
        return np.nanmean(values, axis=1)


class CommunityOfCity:
    """One community of the city shown on its own: the community view's run, read from the city.

    Attributes:
        model: the city model; ``community`` its index there.
        label: its name and district.
        history: its outcomes on every day so far (from the city's records, then a row a step).
    """

    def __init__(self, city: CityModel, community: int, facts: city_state.CityFacts):
        self.model = city
        self.community = community
        self.label = f"{facts.names[community]} ({facts.district_of(community)} district)"
        self.history = History.from_rows(city_state.community_history(city, community))

    def record(self) -> None:
        c = self.community
        self.history.append({name: float(self.model.community_outcomes[name][c]) for name in OUTCOME_NAMES})


class CityPageModel(mesa.Model):
    """The city of a :class:`~govsim.viz.city_setup.CitySetup`, and what the city view keeps of it.

    Args:
        setup: the set-up to build, or a function returning it.
        session: the browser tab's session; None outside a server (a notebook, a test).
    """

    def __init__(self, setup: CitySetup | Callable[[], CitySetup], session: Session | None = None):
        if callable(setup):
            setup = setup()
        super().__init__(rng=setup.seed)
        self.setup = setup
        self.session = session
        MODELS.add(self)
        self.city = CityModel(setup.scenario, rng=setup.seed, **setup.overrides())
        self.facts = city_state.facts(self.city)
        self.history = CityHistory()
        n = len(OUTCOME_NAMES)
        self.low, self.high = np.full(n, np.nan), np.full(n, np.nan)
        self.lowest, self.highest = np.full(n, np.nan), np.full(n, np.nan)
        self._widen(np.array([city_state.today(self.city, name) for name in OUTCOME_NAMES]))
        self.focused: CommunityOfCity | None = None
        # A click opens a community on the tab's thread while the play loop may be stepping on its own:
        # a community's history must be read from the city between two days, never in the middle of one.
        self._lock = threading.Lock()

    @property
    def day(self) -> int:
        return len(self.history)

    @property
    def runs(self) -> list[CommunityOfCity]:
        """The community opened on its own, as the community view's runs (none while the map is shown)."""
        return [self.focused] if self.focused is not None else []

    def focus(self, community: int | None) -> None:
        """Open one community on its own (None: back to the map)."""
        if community is not None and not 0 <= community < self.facts.n:
            raise IndexError(f"community {community} out of range for a city of {self.facts.n}")
        with self._lock:
            self.focused = None if community is None else CommunityOfCity(self.city, community, self.facts)

    def seen(self, name: str) -> tuple[float, float]:
        """The range of an outcome the bulk of the communities has shown so far (see :data:`BULK`)."""
        j = OUTCOME_NAMES.index(name)
        return float(self.low[j]), float(self.high[j])

    def extremes(self, name: str) -> tuple[float, float]:
        """The lowest and highest value of an outcome any community has shown so far."""
        j = OUTCOME_NAMES.index(name)
        return float(self.lowest[j]), float(self.highest[j])

    def _widen(self, values: np.ndarray) -> None:
        """Widen the ranges seen with today's values (outcomes x communities)."""
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", RuntimeWarning)  # an outcome no community has a value of yet
            low, high = np.nanpercentile(values, BULK, axis=1)
            self.low, self.high = np.fmin(self.low, low), np.fmax(self.high, high)
            self.lowest = np.fmin(self.lowest, np.nanmin(values, axis=1))
            self.highest = np.fmax(self.highest, np.nanmax(values, axis=1))

    def step(self) -> None:
        """One day of the city; waits while the session has no connection, and stops once it is closed
        or the scenario's last day is reached."""
        if self.session is not None and not self.session.wait_until_live():
            self.running = False
            return
        if self.day >= self.facts.days:
            self.running = False
            return
        with self._lock:
            self.city.step()
            per = self.city.community_outcomes
            self.history.append(self.city.outcomes, per, city_state.reformed(self.city))
            self._widen(np.array([per[name] for name in OUTCOME_NAMES], dtype=float))
            if self.focused is not None:
                self.focused.record()
        if self.day >= self.facts.days:
            self.running = False
