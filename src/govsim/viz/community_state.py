"""Everything the page reads from a community model beyond its outcomes.

The outcomes come from :data:`govsim.outcomes.OUTCOMES` and need nothing
here.  The network view also shows the institutions, the stationed units and
a sample of residents; this module is the only place that reads those
attributes of :class:`~govsim.model.CommunityModel`, so a change in the
model's shape is adapted here alone and the drawing code reads plain values.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from govsim.params import GROUPS, ROLES


@dataclass(frozen=True, slots=True)
class Institutions:
    """The institutions of one community today.

    Attributes:
        task_pressure: the district's task pressure (a parameter).
        task_load: the top-down load reaching the centre today.
        street_office: whether a street office stands between district and centre (before the reform).
        two_signs_one_team: the party committee and the centre are one team.
        big_party_committee: the party committee draws in the stationed units.
        centre_label: what the centre is called ("Service centre", or "Residents' committees" before the reform).
        time_split: the centre's realised share of staff time by role (:data:`~govsim.params.ROLES` order).
        intended_split: the share it means to give (its role emphasis).
        council_effectiveness: the residents' council's effectiveness.
    """

    task_pressure: float
    task_load: float
    street_office: bool
    two_signs_one_team: bool
    big_party_committee: bool
    centre_label: str
    time_split: tuple[float, ...]
    intended_split: tuple[float, ...]
    council_effectiveness: float


@dataclass(frozen=True, slots=True)
class Unit:
    """One stationed unit (an enterprise, school, hospital or agency)."""

    index: int
    kind: str
    label: str
    engagement: float
    resources: float


@dataclass(frozen=True, slots=True)
class ResidentSample:
    """Sampled residents' states, in the order of the indices asked for, and every group's mean."""

    satisfaction: np.ndarray
    trust: np.ndarray
    informed: np.ndarray
    participant: np.ndarray
    volunteer: np.ndarray
    group_mean_satisfaction: np.ndarray
    group_size: np.ndarray
    n: int


def institutions(model) -> Institutions:
    """The institutions of ``model`` today."""
    return Institutions(
        task_pressure=float(model.v["district.task_pressure"]),
        task_load=float(model.task_load),
        street_office=model.street_office is not None,
        two_signs_one_team=bool(model.party.two_signs_one_team),
        big_party_committee=bool(model.party.big_party_committee),
        centre_label=str(model.centre.label),
        time_split=tuple(float(x) for x in model.centre.time_split),
        intended_split=tuple(float(x) for x in model.centre.emphasis),
        council_effectiveness=float(model.council.effectiveness),
    )


def intended_split(model) -> dict[str, float]:
    """The share of staff time the centre means to give to each role."""
    return dict(zip(ROLES, institutions(model).intended_split, strict=True))


def unit_kinds(model) -> list[str]:
    """The kind of every stationed unit, in the model's order."""
    return [u.kind for u in model.units]


def units(model, indices: np.ndarray | Sequence[int]) -> list[Unit]:
    """The stationed units at ``indices`` (into the model's units)."""
    every = list(model.units)
    return [Unit(int(i), every[int(i)].kind, every[int(i)].label, float(every[int(i)].engagement),
                 float(every[int(i)].resources)) for i in indices]


def resident_groups(model) -> np.ndarray:
    """Every resident's group code (an index into :data:`~govsim.params.GROUPS`)."""
    return model.residents.group


def residents(model, indices: np.ndarray) -> ResidentSample:
    """The states of the residents at ``indices`` and the mean satisfaction of every group."""
    r = model.residents
    return ResidentSample(
        satisfaction=np.asarray(r.satisfaction[indices], dtype=float),
        trust=np.asarray(r.trust[indices], dtype=float),
        informed=np.asarray(r.informed[indices], dtype=bool),
        participant=np.asarray(r.participant[indices], dtype=bool),
        volunteer=np.asarray(r.volunteer[indices], dtype=bool),
        group_mean_satisfaction=np.asarray(r.mean_by_group(r.satisfaction), dtype=float).reshape(len(GROUPS)),
        group_size=np.asarray(r.group_size).reshape(len(GROUPS)),
        n=int(r.n),
    )
