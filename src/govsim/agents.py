"""The community's institutions, as ordinary Mesa agents.

"One committee, one council, one centre" (Article §I): the party committee,
the residents' council and the service centre, plus the units stationed in
the community and, before the reform, the street office.  Each holds a few
numbers and updates them once a day; residents live in
:mod:`govsim.residents`.
"""

from __future__ import annotations

import math

import mesa
import numpy as np

from govsim.params import ROLES, UNIT_TYPES

SERVICE, COORDINATION, MANAGEMENT = range(len(ROLES))


class StreetOffice(mesa.Agent):
    """The pre-reform street office (街道办), present only with 4 levels.

    It stands between district and community: one more link for information
    and a relay that adds its own tasks to those it passes down (Article §I).
    """

    label = "Street office"

    def __init__(self, model, load: float):
        super().__init__(model)
        self.load = load


class PartyCommittee(mesa.Agent):
    """The community party committee (社区党委).

    Under "two signs, one team" it lends the centre its authority, which pulls
    staff time to management (Article §II.3); a "big party committee" opens a
    channel to units' party members and relays policy through them (§I).
    """

    label = "Party committee"

    def __init__(self, model, two_signs_one_team: bool, big_party_committee: bool):
        super().__init__(model)
        self.two_signs_one_team = two_signs_one_team
        self.big_party_committee = big_party_committee

    @property
    def authority_lent(self) -> float:
        return self.model.v["incentives.party_authority"] if self.two_signs_one_team else 0.0

    @property
    def unit_channel(self) -> float:
        return self.model.v["units.party_channel"] if self.big_party_committee else 0.0

    @property
    def policy_relay(self) -> float:
        return self.model.v["information.party_relay"] if self.big_party_committee else 0.0


class ServiceCentre(mesa.Agent):
    """The community service centre (社区服务中心).

    Its staff time splits across the three roles.  The centre *means* to
    follow its role emphasis, but the realised split drifts toward what is
    rewarded (Holmström & Milgrom 1991): measured top-down tasks and borrowed
    party authority pull toward management; service and coordination are
    pulled only by intrinsic motivation, performance evaluation and, for
    service, the council's resolutions.
    """

    def __init__(self, model):
        super().__init__(model)
        v = model.v
        self.label = "Residents' committees" if v["structure.levels"] == 4 else "Service centre"
        self.emphasis = np.array([v[f"centre.role_emphasis.{r}"] for r in ROLES])
        self.time_split = self.emphasis.copy()
        quality, training = v["centre.quality"], v["centre.training"]
        # Induction training closes half the gap to full skill for those trained.
        self.skill = quality + 0.5 * training * (1.0 - quality)
        self.hours = v["centre.staff"] * v["centre.hours_per_day"] * self.skill

    def incentive_weights(self, task_load: float, authority: float, council: float) -> np.ndarray:
        v = self.model.v
        intrinsic = 0.5 + v["centre.motivation"]
        evaluated = v["incentives.evaluation_weight"] if v["centre.performance_evaluation"] else 0.0
        return np.array([
            intrinsic + evaluated + v["incentives.council_steer"] * council,
            intrinsic + evaluated,
            1.0 + v["incentives.task_weight"] * task_load + authority,
        ])

    def step(self) -> None:
        m = self.model
        target = self.emphasis * self.incentive_weights(
            m.task_load, m.party.authority_lent, m.council.effectiveness)
        target /= target.sum()
        self.time_split += m.v["incentives.adaptation"] * (target - self.time_split)

    def hours_for(self, role: int) -> float:
        return self.hours * self.time_split[role]

    @property
    def service_quality(self) -> float:
        """Perceived performance of a delivered service: half comes with any service, half with skill."""
        return 0.5 + 0.5 * self.skill


class ResidentsCouncil(mesa.Agent):
    """The residents' council (居民议事会).

    Its effectiveness is its autonomy left over by the manager role's dominance
    (amplified under "two signs, one team", Article §II.3) times residents'
    participation against a quorum (Granovetter 1978).
    """

    label = "Residents' council"

    def __init__(self, model):
        super().__init__(model)
        self.autonomy = model.v["council.autonomy"]
        self.participation = 0.0
        self.effectiveness = 0.0

    @property
    def dominance(self) -> float:
        m = self.model
        amplify = m.v["council.dominance_two_signs"] if m.party.two_signs_one_team else 0.0
        return m.centre.time_split[MANAGEMENT] * (1.0 + amplify)

    def step(self) -> None:
        m = self.model
        self.participation = np.count_nonzero(m.residents.participant) / m.residents.n
        working = min(1.0, self.participation / m.v["council.quorum"])
        self.effectiveness = self.autonomy * max(0.0, 1.0 - self.dominance) * working


class ResidentUnit(mesa.Agent):
    """A unit stationed in the community (驻区单位): enterprise, school, hospital or agency.

    It holds resources (venues, funds, volunteers) worth some service hours a
    day and shares a part of them as far as it is engaged.  Engagement moves
    toward the unit's willingness to share times the chance that the
    coordinator (or the big party committee's channel) draws it in.
    """

    # Which services a unit's resources serve: (life, welfare). Enterprises
    # mostly give funds (welfare); schools and hospitals give venues and care.
    SERVES = {"enterprise": (0.3, 0.7), "school": (1.0, 0.0), "hospital": (0.8, 0.2), "agency": (0.5, 0.5)}

    def __init__(self, model, kind: str, resources: float):
        super().__init__(model)
        self.kind = kind
        self.label = kind.capitalize()
        self.resources = resources
        self.engagement = 0.0

    def step(self) -> None:
        m = self.model
        contact = 1.0 - math.exp(-m.liaison_hours_per_unit / m.v["units.contact_hours"])
        reach = min(1.0, contact + m.party.unit_channel)
        target = m.v["units.resource_sharing"] * reach
        self.engagement += m.v["units.adaptation"] * (target - self.engagement)


def unit_kinds(values, n: int, rng: np.random.Generator) -> list[str]:
    """Unit types with exact counts from the shares (enterprises the remainder), in random order."""
    shares = [values[f"units.share.{t}"] for t in UNIT_TYPES[1:]]
    counts = np.floor(np.array(shares) * n).astype(int)
    counts = np.insert(counts, 0, n - counts.sum())
    return [UNIT_TYPES[i] for i in rng.permutation(np.repeat(np.arange(len(UNIT_TYPES)), counts))]
