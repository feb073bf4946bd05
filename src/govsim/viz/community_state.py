"""Everything the page reads from a model beyond its outcomes, for one community of it.

The outcomes come from :data:`govsim.outcomes.OUTCOMES` and need nothing
here.  The network view and the panel of the institutions also show the
institutions, the centre's staff, what waits at each level, the council's
agenda, the stationed units and a sample of residents; this module is the
only place that reads those parts of a :class:`~govsim.model.GovernanceModel`,
so a change in the model's shape is adapted here alone and the drawing code
reads plain values.

Every function takes the model and the index of a community in it: 0 for a
:class:`~govsim.model.CommunityModel`, any of the city's for a
:class:`~govsim.city.CityModel` (the page's view of one community of the city
reads that community's own state).  Counts of cases and concerns are real
ones: a simulated resident stands for ``population.scale`` residents, so their
cases and concerns count as many times.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from govsim import concerns as stages
from govsim.cases import COMMUNITY, DISTRICT, LIFE, STREET_OFFICE, WELFARE
from govsim.params import GROUPS, ORIGINS, ROLES, UNIT_TYPES

LEVELS = ("community", "street office", "district")
"""Where a case can wait, in the order of the model's case levels."""


@dataclass(frozen=True, slots=True)
class Institutions:
    """The institutions of one community today.

    Attributes:
        name: the community's name in its model.
        task_pressure: the district's task pressure on the community (a parameter).
        street_office: whether a street office stands between district and centre (before the reform).
        street_office_posts: the street office's posts serving the community (0 after the reform).
        two_signs_one_team: the party committee and the centre are one team.
        big_party_committee: the party committee draws in the stationed units.
        centre_label: what the centre is called ("Service centre", or "Residents' committees" before the reform).
        staff: members of the centre's staff.
        time_split: the centre's realised share of staff time by role over the last 30 days (:data:`ROLES` order).
        intended_split: the share it means to give (its role emphasis).
        council_effectiveness: the residents' council's effectiveness.
    """

    name: str
    task_pressure: float
    street_office: bool
    street_office_posts: int
    two_signs_one_team: bool
    big_party_committee: bool
    centre_label: str
    staff: int
    time_split: tuple[float, ...]
    intended_split: tuple[float, ...]
    council_effectiveness: float


@dataclass(frozen=True, slots=True)
class Staff:
    """The members of one centre's staff, one entry per member.

    Attributes:
        origin: where each member came from (an entry of :data:`~govsim.params.ORIGINS`).
        skill, motivation: in [0, 1].
        tenure_years: years in the same post.
        trained: whether the member was trained.
    """

    origin: tuple[str, ...]
    skill: np.ndarray
    motivation: np.ndarray
    tenure_years: np.ndarray
    trained: np.ndarray

    def __len__(self) -> int:
        return len(self.origin)


@dataclass(frozen=True, slots=True)
class Queues:
    """What waits today at each level (real numbers: the simulated ones times the population scale).

    Attributes:
        life: life-service cases open at the community, the street office and the district (:data:`LEVELS`).
        welfare: welfare applications open at each level.
        concerns_inbox: voiced concerns waiting in the centre's inbox to be gathered, the council's apart.
        concerns_council: concerns in the inbox that the council has heard (members carry them to its meeting).
        concerns_street_office: concerns the street office holds (before the reform).
        concerns_district: concerns on their way to the district or waiting there for an answer.
        concerns_lost: concerns lost on the way up, still open until they lapse.
        tasks_centre: the district's tasks waiting at the centre.
        tasks_relayed: tasks issued but still being relayed down by the street office.
    """

    life: tuple[int, int, int]
    welfare: tuple[int, int, int]
    concerns_inbox: int
    concerns_council: int
    concerns_street_office: int
    concerns_district: int
    concerns_lost: int
    tasks_centre: int
    tasks_relayed: int

    @property
    def cases(self) -> tuple[int, int, int]:
        """Life and welfare cases together at each level."""
        return tuple(a + b for a, b in zip(self.life, self.welfare, strict=True))  # type: ignore[return-value]


@dataclass(frozen=True, slots=True)
class Agenda:
    """The residents' council today.

    Attributes:
        centre_and_party: share of the agenda the centre and the party committee take.
        residents: share left to residents' issues (formal autonomy times what control leaves).
        other: the rest: business outside the residents' reach under the council's formal autonomy.
        resolutions: resolutions in force, each binding the centre to service hours.
        bound_hours: service hours a working day they bind the centre to give.
        members, seats: seats filled and seats there are.
        effectiveness: share of agenda items that became resolutions, over the latest meetings.
    """

    centre_and_party: float
    residents: float
    other: float
    resolutions: int
    bound_hours: float
    members: int
    seats: int
    effectiveness: float


@dataclass(frozen=True, slots=True)
class Unit:
    """One stationed unit (an enterprise, school, hospital or agency)."""

    index: int
    kind: str
    label: str
    engaged: bool
    resources: float


@dataclass(frozen=True, slots=True)
class ResidentSample:
    """Sampled residents' states, in the order of the indices asked for, and every group's mean.

    ``satisfaction`` is NaN for a resident with no experience of any service yet.
    """

    satisfaction: np.ndarray
    trust: np.ndarray
    informed: np.ndarray
    participant: np.ndarray
    volunteer: np.ndarray
    council_member: np.ndarray
    group_mean_satisfaction: np.ndarray
    group_size: np.ndarray
    n: int


# --- the institutions ----------------------------------------------------------------------------


def name(model, c: int = 0) -> str:
    """The community's name in its model."""
    return str(model.layout.names[c])


def has_street_office(model, c: int = 0) -> bool:
    return int(model.levels[c]) == 4


def institutions(model, c: int = 0) -> Institutions:
    """The institutions of community ``c`` of ``model`` today."""
    centre, party, office = model.centres[c], model.parties[c], model.offices[c]
    street = has_street_office(model, c)
    return Institutions(
        name=name(model, c),
        task_pressure=float(model.local["district.task_pressure"][c]),
        street_office=street,
        street_office_posts=int(office.posts) if street else 0,
        two_signs_one_team=bool(party.two_signs_one_team),
        big_party_committee=bool(party.big_party_committee),
        centre_label=str(centre.label),
        staff=int(np.count_nonzero(model.staff.community == c)),
        time_split=tuple(float(x) for x in centre.time_split),
        intended_split=tuple(float(x) for x in centre.emphasis),
        council_effectiveness=float(model.councils[c].effectiveness),
    )


def intended_split(model, c: int = 0) -> dict[str, float]:
    """The share of staff time the centre means to give to each role."""
    return dict(zip(ROLES, (float(x) for x in model.centres[c].emphasis), strict=True))


def staff(model, c: int = 0) -> Staff:
    """The members of the centre's staff."""
    s = model.staff
    mine = s.community == c
    return Staff(
        origin=tuple(ORIGINS[int(o)] for o in s.origin[mine]),
        skill=np.asarray(s.skill[mine], dtype=float),
        motivation=np.asarray(s.motivation[mine], dtype=float),
        tenure_years=np.asarray(s.tenure[mine], dtype=float),
        trained=np.asarray(s.trained[mine], dtype=bool),
    )


def queues(model, c: int = 0) -> Queues:
    """What waits at each level today."""
    k = int(model.layout.scale)
    cases = model.cases.open
    here = cases["community"] == c
    level, kind = cases["level"][here], cases["kind"][here]

    def at(kind_code: int) -> tuple[int, int, int]:
        counts = np.bincount(level[kind == kind_code], minlength=3)
        return int(counts[COMMUNITY]) * k, int(counts[STREET_OFFICE]) * k, int(counts[DISTRICT]) * k

    concerns = model.concerns.open
    mine = concerns["community"] == c
    stage = concerns["stage"][mine]
    n_stage = np.bincount(stage, minlength=stages.LOST + 1) * k
    heard = int(np.count_nonzero(concerns["council"][mine] & (stage == stages.INBOX))) * k  # heard, not yet gathered
    tasks = model.tasks.open
    arrived = tasks["arrive"][tasks["community"] == c] <= model.day
    return Queues(
        life=at(LIFE), welfare=at(WELFARE),
        concerns_inbox=int(n_stage[stages.INBOX]) - heard, concerns_council=heard,
        concerns_street_office=int(n_stage[stages.OFFICE]),
        concerns_district=int(n_stage[stages.UP] + n_stage[stages.ANSWER]),
        concerns_lost=int(n_stage[stages.LOST]),
        tasks_centre=int(np.count_nonzero(arrived)), tasks_relayed=int(np.count_nonzero(~arrived)),
    )


def agenda(model, c: int = 0) -> Agenda:
    """The council's agenda, seats and resolutions today."""
    d = model.deliberation
    control = float(d.control[c])
    residents_share = float(d.residents_share(model.local["council.autonomy"])[c])
    in_force = (d.resolutions["community"] == c) & (d.resolutions["until"] > model.day)
    council = model.councils[c]
    return Agenda(
        centre_and_party=control, residents=residents_share, other=max(0.0, 1.0 - control - residents_share),
        resolutions=int(np.count_nonzero(in_force)), bound_hours=float(d.bound_hours(model.day)[c]),
        members=int(council.members), seats=int(d.seats), effectiveness=float(council.effectiveness),
    )


# --- units and residents ---------------------------------------------------------------------------


def _unit_indices(model, c: int) -> np.ndarray:
    return np.flatnonzero(model.stationed.community == c)


def unit_kinds(model, c: int = 0) -> list[str]:
    """The kind of every stationed unit of the community, in the model's order."""
    return [UNIT_TYPES[int(k)] for k in model.stationed.kind[_unit_indices(model, c)]]


def units(model, indices: np.ndarray | Sequence[int], c: int = 0) -> list[Unit]:
    """The community's stationed units at ``indices`` (into its own units, as :func:`unit_kinds` lists them)."""
    u = model.stationed
    mine = _unit_indices(model, c)
    engaged = u.engaged(model.day)
    out = []
    for i in indices:
        j = mine[int(i)]
        kind = UNIT_TYPES[int(u.kind[j])]
        out.append(Unit(int(i), kind, kind.capitalize(), bool(engaged[j]), float(u.resources[j])))
    return out


def _resident_range(model, c: int) -> tuple[int, int]:
    """First index and number of the community's residents (a community's residents are numbered together)."""
    members = np.flatnonzero(model.residents.community == c)
    return (int(members[0]), int(members.size)) if members.size else (0, 0)


def resident_groups(model, c: int = 0) -> np.ndarray:
    """The group code (an index into :data:`~govsim.params.GROUPS`) of every resident of the community,
    indexed from 0 within the community."""
    first, n = _resident_range(model, c)
    return model.residents.group[first:first + n]


def residents(model, indices: np.ndarray, c: int = 0) -> ResidentSample:
    """The states of the community's residents at ``indices`` (from 0 within the community) and every group's
    mean satisfaction."""
    r = model.residents
    first, n = _resident_range(model, c)
    who = np.asarray(indices, dtype=np.int64) + first
    sat, has = r.satisfaction()
    per = model.community_outcomes
    return ResidentSample(
        satisfaction=np.where(has[who], sat[who], np.nan).astype(float),
        trust=np.asarray(r.trust[who], dtype=float),
        informed=np.asarray(model.policies.informed(who), dtype=bool),
        participant=np.asarray(r.participant[who], dtype=bool),
        volunteer=np.asarray(r.volunteer[who], dtype=bool),
        council_member=np.asarray(r.council_member[who], dtype=bool),
        group_mean_satisfaction=np.array([float(per[f"satisfaction_{g}"][c]) if per else np.nan for g in GROUPS]),
        group_size=np.bincount(r.group[first:first + n], minlength=len(GROUPS)),
        n=n,
    )


def simulated_residents(model, c: int = 0) -> int:
    """Residents simulated for the community (its real residents over the population scale)."""
    return _resident_range(model, c)[1]


def real_residents(model, c: int = 0) -> int:
    return int(model.layout.residents[c])


def scale(model) -> int:
    return int(model.layout.scale)


def seed(model) -> int | None:
    """The seed the model was built with (None if it was not a plain number)."""
    entropy = model.seed_sequence.entropy
    return int(entropy) if isinstance(entropy, int) else None
