"""Everything the page reads from a city model beyond its outcomes.

The city's communities, their districts and sizes, the rollout (which
community switches when), and each community's recorded outcomes; like
:mod:`govsim.viz.community_state` for one community, this module is the only
place that reads those parts of a :class:`~govsim.city.CityModel`, so the
drawing code reads plain values.  One community of the city is read by
:mod:`govsim.viz.community_state` with its index.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import numpy as np

from govsim.city import NEVER
from govsim.outcomes import OUTCOME_NAMES

START = dt.date(2009, 1, 1)
"""Day 0 of a city run (the scenario's days count from 1 January 2009)."""

WAVE_NAMES = {"city.pilot_day": "Pilots", "city.widening_day": "Widening", "city.final_day": "Everyone else"}
"""What each of the scenario's rollout dates is called on the page."""


@dataclass(frozen=True, slots=True)
class Wave:
    """One date of the rollout and the communities that switch on it.

    Attributes:
        name: what the page calls it ("Pilots", "Widening", "Everyone else").
        day: the day they switch (from 1 January 2009).
        communities: indices of the communities that switch that day.
        districts: the districts they lie in, in the city's order.
        whole_districts: whether the wave takes whole districts (Guiyang's order) rather than a mix.
    """

    name: str
    day: int
    communities: tuple[int, ...]
    districts: tuple[str, ...]
    whole_districts: bool


@dataclass(frozen=True, slots=True)
class CityFacts:
    """What stays fixed for a city run.

    Attributes:
        names: each community's name.
        district: each community's district (index into ``district_names``).
        district_names: the districts' names.
        residents: each community's real residents.
        switch_day: the day each community switches to three levels (None: never, in this run).
        waves: the rollout's dates, earliest first (none without a reform).
        days: the days the scenario's run lasts.
        scale: real residents per simulated resident.
        simulated: residents simulated in all.
    """

    names: tuple[str, ...]
    district: np.ndarray
    district_names: tuple[str, ...]
    residents: np.ndarray
    switch_day: tuple[int | None, ...]
    waves: tuple[Wave, ...]
    days: int
    scale: int
    simulated: int

    @property
    def n(self) -> int:
        return len(self.names)

    def district_of(self, c: int) -> str:
        return self.district_names[int(self.district[c])]


def date_of(day: int) -> dt.date:
    """The calendar date of a day of the run."""
    return START + dt.timedelta(days=int(day))


def date_text(day: int) -> str:
    """``"1 Jul 2010"``."""
    d = date_of(day)
    return f"{d.day} {d:%b %Y}"


def facts(model) -> CityFacts:
    """The fixed facts of a city model."""
    lay, v = model.layout, model.after_values
    switch = np.asarray(model.switch_day)
    names = tuple(str(x) for x in lay.names)
    district_names = tuple(str(x) for x in lay.district_names)
    waves = []
    named = {int(v[key]): label for key, label in WAVE_NAMES.items()}
    for day in sorted({int(d) for d in switch if d < NEVER}):
        members = np.flatnonzero(switch == day)
        in_wave = sorted({int(d) for d in lay.district[members]})
        whole = all(np.all(switch[lay.district == d] == day) for d in in_wave)
        waves.append(Wave(named.get(day, f"Day {day}"), day, tuple(int(c) for c in members),
                          tuple(district_names[d] for d in in_wave), whole))
    return CityFacts(
        names=names, district=np.asarray(lay.district, dtype=int), district_names=district_names,
        residents=np.asarray(lay.residents, dtype=int),
        switch_day=tuple(None if d >= NEVER else int(d) for d in switch),
        waves=tuple(waves), days=int(v["city.days"]), scale=int(lay.scale), simulated=int(model.residents.n))


def day(model) -> int:
    """Days recorded so far (the warm-up before 1 January 2009 not counted)."""
    return int(model.day - model.start)


def reformed(model) -> np.ndarray:
    """Whether each community has switched to three levels today."""
    return np.asarray(model.reformed, dtype=bool)


def today(model, outcome: str) -> np.ndarray:
    """One outcome's value in every community today."""
    return np.asarray(model.community_outcomes[outcome], dtype=float)


def community_history(model, c: int) -> np.ndarray:
    """The community's outcomes on every recorded day, days x :data:`~govsim.outcomes.OUTCOME_NAMES`.

    Read from the rows the city keeps for ``community_timeseries()`` (one array of every community's
    outcomes a day), without building that table.
    """
    if not model.series:
        return np.empty((0, len(OUTCOME_NAMES)))
    return np.stack([row[c] for row in model.series]).astype(float)
