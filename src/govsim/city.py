"""The city: Guiyang's ~90 communities in their districts, and the staged reform of 2010-2012.

Article §I: pilots in Xiaohe district and Jinyang new district in 2010, widened
in 2011, all 49 street offices abolished and 90 communities created in 2012.  A
:class:`CityModel` runs every community of the city at once — residents of
the whole city in one set of arrays with a community index — under its
districts, each with finite hours.  Communities start as they were before the
reform (the scenario's ``before``: four levels, residents' committees, a street
office) and switch on their district's date to the scenario's own
configuration (three levels, "one committee, one council, one centre").  With
``city.reform = false`` nobody switches: the counterfactual city, sharing every
random number with the reform (named streams), so the two differ only by the
reform.

Districts and their communities (assumption apart from Nanming's 18, which
the brief gives): the split below sums to 90 and is scaled to
``city.communities``.
"""

from __future__ import annotations

import os
from typing import Any

import numpy as np
import pandas as pd

from govsim import outcomes as out
from govsim.communities import Layout
from govsim.council import rank_within
from govsim.errors import InputError
from govsim.model import LOCAL, WARMUP, GovernanceModel, own
from govsim.params import GROUPS, Value
from govsim.scenario import Scenario, load_scenario
from govsim.staff import Staff
from govsim.streams import SeedLike, Streams, seed_sequence

DISTRICTS: tuple[tuple[str, int], ...] = (
    ("Nanming", 18), ("Yunyan", 20), ("Huaxi", 12), ("Wudang", 8), ("Baiyun", 10), ("Xiaohe", 12), ("Jinyang", 10))
"""Guiyang's urban districts and how many of the 90 communities each has (brief: Nanming 18; the rest assumed)."""

PILOTS = ("Xiaohe", "Jinyang")
"""Article §I: the 2010 pilot districts."""

WIDENING = ("Nanming", "Yunyan")
"""Districts the reform widened to in 2011 (assumption: the central districts)."""

NEVER = 10**9  # the switch day of a community that never switches


def split_by_share(total: int, weights: np.ndarray) -> np.ndarray:
    """``total`` split in proportion to ``weights`` as integers summing to ``total`` (largest remainders)."""
    exact = total * weights / weights.sum()
    whole = np.floor(exact).astype(int)
    whole[np.argsort(whole - exact)[: total - whole.sum()]] += 1
    return whole


def city_layout(v: dict[str, Value], rng: np.random.Generator) -> Layout:
    """The city's communities: sizes, group mix, posts and districts drawn around the brief's facts."""
    n = int(v["city.communities"])
    per_district = split_by_share(n, np.array([k for _, k in DISTRICTS], dtype=float))
    district = np.repeat(np.arange(len(DISTRICTS)), per_district)
    # Sizes: lognormal with the city's mean, clipped to the brief's range.
    sigma = float(v["city.residents_spread"])
    raw = rng.lognormal(np.log(v["city.residents_mean"]) - sigma**2 / 2, sigma, n)
    residents = np.clip(np.rint(raw), v["city.residents_min"], v["city.residents_max"]).astype(np.int64)
    # Group mix: each group's share varies around the scenario's by a relative spread; ordinary residents are
    # the remainder (kept at a tenth of the community at least).
    base = np.array([v[f"population.share.{g}"] for g in GROUPS[:-1]])
    shares = base[None, :] * np.exp(v["city.mix_spread"] * rng.standard_normal((n, base.size)))
    shares *= np.minimum(1.0, 0.9 / shares.sum(axis=1, keepdims=True))
    group_shares = np.column_stack([shares, 1.0 - shares.sum(axis=1)])
    weight = residents / residents.sum()
    hours = np.full(len(DISTRICTS), float(v["district.hours"])) * per_district / float(v["district.communities"])
    return Layout(
        names=[f"{DISTRICTS[d][0]} {i + 1}" for d, i in zip(district, rank_within(district, np.arange(n)),
                                                              strict=True)],
        residents=residents,
        staff=split_by_share(int(v["city.committee_posts"]), weight),
        street_office_staff=split_by_share(int(v["city.office_posts"]), weight),
        levels=np.full(n, 4, dtype=np.int8),
        district=district,
        district_hours=hours,
        group_shares=group_shares,
        scale=int(v["population.scale"]),
        district_names=[d for d, _ in DISTRICTS],
    )


def centre_posts(v: dict[str, Value], residents: np.ndarray) -> np.ndarray:
    """The city's centre posts per community: part in proportion to residents, the rest shared equally."""
    by_size = float(v["city.posts_by_size"])
    weight = by_size * residents / residents.sum() + (1.0 - by_size) / residents.size
    return np.maximum(split_by_share(int(v["city.posts"]), weight), 1)


def switch_days(v: dict[str, Value], layout: Layout, rng: np.random.Generator) -> np.ndarray:
    """The day each community switches (days from the start of the run; NEVER without a reform)."""
    n = layout.n
    if not v["city.reform"]:
        return np.full(n, NEVER)
    waves = np.array([v["city.pilot_day"], v["city.widening_day"], v["city.final_day"]])
    names = [d for d, _ in DISTRICTS]
    order = int(v["city.rollout"])
    if order == 2:  # the largest communities first, in waves as large as Guiyang's
        wave_of_district = _guiyang_waves(names)
        sizes = np.bincount(wave_of_district[layout.district], minlength=3)
        rank = np.argsort(np.argsort(-layout.residents, kind="stable"), kind="stable")
        return waves[np.searchsorted(np.cumsum(sizes), rank, side="right")]
    if order == 1:  # districts in a random order, as many per wave as Guiyang's
        shuffled = rng.permutation(len(names))
        wave = np.empty(len(names), dtype=int)
        wave[shuffled] = _guiyang_waves(names)[np.argsort(_guiyang_waves(names), kind="stable")]
        return waves[wave[layout.district]]
    return waves[_guiyang_waves(names)[layout.district]]


def _guiyang_waves(names: list[str]) -> np.ndarray:
    return np.array([0 if d in PILOTS else 1 if d in WIDENING else 2 for d in names])


class CityModel(GovernanceModel):
    """Guiyang's communities under their districts, with the staged reform of 2010-2012.

    Args:
        scenario: a city scenario (it names ``before``), its path or name (``"guiyang_city"``).
        rng: seed (int), ``numpy.random.SeedSequence`` or ``Generator``.
        warmup: days run (in the pre-reform state) before day 1 = 1 January 2009.
        **overrides: parameters by dotted key; they hold before and after the reform.

    ``timeseries()`` gives the city's outcomes (counts pooled, states weighted by
    residents) and ``community_timeseries()`` one row per community and day.
    """

    def __init__(self, scenario: Scenario | str | os.PathLike = "guiyang_city", *, rng: SeedLike = None,
                 warmup: int = WARMUP, **overrides: Any):
        if not isinstance(scenario, Scenario):
            scenario = load_scenario(scenario)
        config = scenario.with_overrides(overrides)
        if config.before is None:
            raise InputError("a city needs the configuration its communities have before the reform: set "
                             'before = "pre_reform_2009" (a scenario name or path) at the top of the file',
                             source=str(config.path or config.name), key="before")
        seeds = seed_sequence(rng)
        streams = Streams(seeds)
        after = dict(config.values)
        before = dict(config.before.values)
        layout = city_layout(after, streams["city"])
        # Street-office parameters only matter while a community has one: they are the "before" scenario's.
        values = {k: (before[k] if k.startswith("street_office.") else x) for k, x in after.items()}
        self.switch_day = switch_days(after, layout, streams["rollout"])
        self.after_posts = centre_posts(after, layout.residents)
        self.after_values = after
        self.start = warmup
        self.calendar_monday = warmup + 1 - 3  # recorded day 1 is Thursday 1 January 2009 (Monday is 3 days back)
        self.series: list[np.ndarray] = []
        self.reformed_series: list[np.ndarray] = []
        super().__init__(Scenario(config.name, config.description, values, config.path, config.before), layout,
                         rng=seeds, warmup=warmup, initial=before, monday=self.calendar_monday)

    # --- the staged reform ------------------------------------------------------------------------

    @property
    def reformed(self) -> np.ndarray:
        """Whether each community has switched to three levels."""
        return self.levels == 3

    def reform(self) -> None:
        due = np.flatnonzero((self.switch_day == self.day - self.start) & (self.levels == 4))
        if due.size == 0:
            return
        self.levels[due] = 3
        self.cases.bypass_street_office(due, self.day)
        self.concerns.bypass_street_office(due, self.day)
        for key in LOCAL:
            if key != "structure.levels":
                self.local[key][due] = self.after_values[key]
        self.layout.staff[due] = self.after_posts[due]
        self.staff.rehire(due, self.after_posts[due], own(Staff, self.after_values))

    # --- results ----------------------------------------------------------------------------------

    def record(self) -> None:
        super().record()
        if self.day > self.start:
            names = out.OUTCOME_NAMES
            self.series.append(np.array([self.community_outcomes[k] for k in names], dtype=np.float32).T)
            self.reformed_series.append(self.reformed.copy())

    def community_timeseries(self) -> pd.DataFrame:
        """One row per community and recorded day: step, community, district, reformed, and every outcome."""
        days, n = len(self.series), self.layout.n
        values = np.stack(self.series) if days else np.zeros((0, n, len(out.OUTCOME_NAMES)), dtype=np.float32)
        frame = pd.DataFrame(values.reshape(days * n, -1).astype(float), columns=list(out.OUTCOME_NAMES))
        district_names = self.layout.district_names
        frame.insert(0, "step", np.repeat(np.arange(1, days + 1), n))
        frame.insert(1, "community", pd.Categorical(np.tile(self.layout.names, days), categories=self.layout.names))
        frame.insert(2, "district", pd.Categorical.from_codes(np.tile(self.layout.district, days), district_names))
        frame.insert(3, "reformed", np.stack(self.reformed_series).ravel() if days else np.zeros(0, dtype=bool))
        return frame

    def communities(self) -> pd.DataFrame:
        """The city's communities: name, district, residents, posts before and after, switch day."""
        lay = self.layout
        return pd.DataFrame({
            "community": lay.names, "district": [lay.district_names[d] for d in lay.district],
            "residents": lay.residents, "committee_posts": split_by_share(
                int(self.after_values["city.committee_posts"]), lay.residents / lay.residents.sum()),
            "centre_posts": self.after_posts, "switch_day": np.where(self.switch_day >= NEVER, -1, self.switch_day)})
