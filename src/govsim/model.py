"""CommunityModel: one Guiyang-style community, "one committee, one council, one centre"."""

from __future__ import annotations

import math
import os
from functools import cached_property

import mesa
import networkx as nx
import numpy as np
import pandas as pd

from govsim.agents import (
    COORDINATION,
    MANAGEMENT,
    SERVICE,
    PartyCommittee,
    ResidentsCouncil,
    ResidentUnit,
    ServiceCentre,
    StreetOffice,
    unit_kinds,
)
from govsim.network import SocialNetwork
from govsim.outcomes import OUTCOME_NAMES
from govsim.params import GROUPS, NEEDS
from govsim.residents import DailyFlows, DailySupply, Residents
from govsim.scenario import Scenario, load_scenario

STREAMS = ("mesa", "network", "units", "thresholds", "needs", "information", "ties", "service", "voice")
"""One random stream per decision, so that scenarios compared with the same seed
share every draw they have in common (common random numbers)."""

SCHEDULE = (
    ("district", "The district (and a street office, with 4 levels) pushes its task load down."),
    ("centre", "The service centre moves its split of staff time toward what is rewarded."),
    ("units", "Each stationed unit moves its engagement toward what coordination and the party channel draw."),
    ("residents", "Residents' needs arise and are met or not; policy spreads down; opinions go up; residents "
                  "update expectations, satisfaction, trust, efficacy, volunteering and participation."),
    ("council", "The residents' council's effectiveness follows participation and the room management leaves it."),
    ("record", "Outcomes are measured and collected."),
)
"""The order of one step, written down once (docs/ODD.md reproduces it)."""


def seed_sequence(rng) -> np.random.SeedSequence:
    """A SeedSequence from an int, a SeedSequence, a Generator or None (fresh entropy)."""
    if isinstance(rng, np.random.SeedSequence):
        return rng
    if isinstance(rng, np.random.Generator):
        return np.random.SeedSequence(int(rng.integers(2**63)))
    if rng is None or isinstance(rng, int | np.integer):
        return np.random.SeedSequence(None if rng is None else int(rng))
    raise TypeError(f"rng must be an int, a numpy SeedSequence or Generator, or None; got {type(rng).__name__}")


class CommunityModel(mesa.Model):
    """A community with its service centre, party committee, residents' council,
    residents and stationed units, under the district's task pressure.

    Args:
        scenario: a :class:`~govsim.scenario.Scenario`, the path of a scenario
            file, or None for the schema defaults.
        rng: seed (int), ``numpy.random.SeedSequence`` or ``Generator``.  The
            same scenario and seed give the same numbers in any process.
        **overrides: parameters by dotted key, e.g.
            ``CommunityModel(**{"centre.staff": 30})``; this is also how
            ``mesa.batch_run`` passes its parameters.

    Example:
        >>> model = CommunityModel(load_scenario("scenarios/guiyang_2012.toml"), rng=1)
        >>> model.run(365).timeseries()  # doctest: +SKIP
    """

    def __init__(self, scenario: Scenario | str | os.PathLike | None = None, *, rng=None, **overrides):
        if scenario is None:
            scenario = Scenario.default()
        elif not isinstance(scenario, Scenario):
            scenario = load_scenario(scenario)
        self.config = scenario.with_overrides(overrides)
        self.v = self.config.values
        self.seed_sequence = seed_sequence(rng)
        self.streams = {
            name: np.random.default_rng(np.random.SeedSequence(
                self.seed_sequence.entropy, spawn_key=(*self.seed_sequence.spawn_key, i)))
            for i, name in enumerate(STREAMS)
        }
        super().__init__(rng=self.streams["mesa"])
        v = self.v

        # Institutions (Mesa agents).
        self.street_office = StreetOffice(self, v["district.street_office_load"]) if v["structure.levels"] == 4 else None
        self.party = PartyCommittee(self, v["structure.two_signs_one_team"], v["structure.big_party_committee"])
        self.centre = ServiceCentre(self)
        self.council = ResidentsCouncil(self)
        n_units = v["units.count"]
        resources = self.streams["units"].lognormal(-0.5, 1.0, n_units) * v["units.mean_resources"]  # mean 1 x mean
        for kind, r in zip(unit_kinds(v, n_units, self.streams["units"]), resources, strict=True):
            ResidentUnit(self, kind, float(r))
        self.units = self.agents_by_type.get(ResidentUnit, mesa.agent.AgentSet([], random=self.random))
        self._unit_serves = np.array([ResidentUnit.SERVES[u.kind] for u in self.units]).reshape(-1, 2)
        self._unit_resources = np.array([u.resources for u in self.units])

        # Residents (arrays) and their network.
        self.network = SocialNetwork.small_world(
            v["population.residents"], v["network.mean_degree"], v["network.rewiring"], self.streams["network"])
        self.residents = Residents(v, self.network, self.streams)

        self.task_load = 0.0
        self.liaison_hours_per_unit = 0.0
        self.outcomes: dict[str, float] = {}
        self.datacollector = mesa.DataCollector(
            model_reporters={name: (lambda m, k=name: m.outcomes[k]) for name in OUTCOME_NAMES})

    # --- one step -----------------------------------------------------------------------

    def step(self) -> None:
        """One day, in the order of :data:`SCHEDULE`."""
        v = self.v
        self.task_load = v["district.task_pressure"] + (self.street_office.load if self.street_office else 0.0)
        self.centre.step()
        n_units = len(self.units)
        liaison = self.centre.hours_for(COORDINATION) * v["services.unit_liaison"]
        self.liaison_hours_per_unit = liaison / n_units if n_units else 0.0
        self.units.do("step")
        supply = self.daily_supply()
        flows = self.residents.step(supply)
        self.council.step()
        self._measure(flows, supply)
        self.datacollector.collect(self)

    def run(self, steps: int) -> CommunityModel:
        """Run ``steps`` days; returns the model so calls can chain."""
        for _ in range(int(steps)):
            self.step()
        return self

    def daily_supply(self) -> DailySupply:
        """What the institutions offer residents today, from their current state."""
        v, c = self.v, self.centre
        links = v["structure.levels"] - 1  # district -> (street office ->) community -> residents
        per_thousand = v["population.residents"] / 1000
        notices = 1.0 - math.exp(-v["information.notice_rate"] * c.hours_for(MANAGEMENT) / per_thousand)
        care_hours = c.hours_for(SERVICE) + v["centre.social_workers"] * v["services.social_worker_hours"]
        unit_life, unit_welfare = (self._unit_serves * self._unit_mobilised()[:, None]).sum(axis=0)
        opinion_hours = c.hours_for(COORDINATION) * (1.0 - v["services.unit_liaison"])
        effective = self.council.effectiveness
        answer = v["council.answer_without"]
        return DailySupply(
            p_informed=min(1.0, v["information.fidelity_down"] ** links * notices + self.party.policy_relay),
            care_hours=care_hours,
            unit_life_hours=unit_life,
            unit_welfare_hours=unit_welfare,
            opinion_capacity=opinion_hours / v["services.hours_opinion"] + v["council.opinion_capacity"] * effective,
            p_opinion_kept=v["information.fidelity_up"] ** links,
            p_answer=answer + (1.0 - answer) * effective,
            service_quality=c.service_quality,
            volunteer_weight=1.0 if v["centre.volunteer_team"] else v["services.unorganised_volunteering"],
            volunteer_hours=v["services.volunteer_hours"],
            council_pull=self.council.autonomy * max(0.0, 1.0 - self.council.dominance),
        )

    def _unit_mobilised(self) -> np.ndarray:
        return np.array([u.engagement for u in self.units]) * self._unit_resources

    def _measure(self, flows: DailyFlows, supply: DailySupply) -> None:
        r = self.residents
        by_group = r.mean_by_group(r.satisfaction)
        total = float(self._unit_resources.sum())
        out = {
            "satisfaction": float(np.nansum(by_group * r.group_size) / r.n),
            **{f"satisfaction_{g}": float(x) for g, x in zip(GROUPS, by_group, strict=True)},
            "needs_met": _share(sum(flows.met), sum(flows.needs)),
            **{f"needs_met_{k}": _share(m, n) for k, m, n in zip(NEEDS, flows.met, flows.needs, strict=True)},
            "trust": float(r.trust.mean()),
            "downward_reach": np.count_nonzero(r.informed) / r.n,
            # With no opinion voiced today, report the share one opinion would have had.
            "upward_flow": (flows.heard / flows.voiced if flows.voiced
                            else min(1.0, supply.opinion_capacity) * supply.p_opinion_kept),
            "voice": flows.voiced / flows.needs[-1] if flows.needs[-1] else float(r.efficacy.mean()),
            "council_effectiveness": self.council.effectiveness,
            "participation": self.council.participation,
            "volunteering": np.count_nonzero(r.volunteer) / r.n,
            "unit_resources_mobilised": float(self._unit_mobilised().sum() / total) if total > 0 else 0.0,
            "staff_time_service": float(self.centre.time_split[SERVICE]),
            "staff_time_coordination": float(self.centre.time_split[COORDINATION]),
            "staff_time_management": float(self.centre.time_split[MANAGEMENT]),
        }
        # Outcomes of the new model not yet measured by this one (issue 7) are 0.0 meanwhile (placeholder).
        self.outcomes = dict.fromkeys(OUTCOME_NAMES, 0.0) | out

    # --- reading results ----------------------------------------------------------------

    def timeseries(self) -> pd.DataFrame:
        """The outcomes, one row per step (from step 1), with a ``step`` column first."""
        df = self.datacollector.get_model_vars_dataframe().reset_index(drop=True)
        df.insert(0, "step", np.arange(1, len(df) + 1))
        return df.astype({name: float for name in OUTCOME_NAMES})

    @cached_property
    def graph(self) -> nx.Graph:
        """The residents' social network as a ``networkx.Graph`` (built on first use)."""
        return self.network.to_networkx()


def _share(part: int, whole: int) -> float:
    """part / whole, or 1.0 when there was nothing to meet (no need went unmet)."""
    return part / whole if whole else 1.0
