"""The institutions as Mesa agents: the public face of the vectorised components.

Each component keeps the state of every community in arrays and runs its
rules on all of them at once (see model.py's schedule); these agents are how
a user, the browser page or ``model.agents`` sees one institution of one
community: its name, its numbers, labelled.  They hold no state of their own
beyond which community (or unit, or staff member) they are.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import mesa
import numpy as np
import pandas as pd

from govsim.params import ORIGINS, ROLES, UNIT_TYPES
from govsim.staff import ACTIVITIES, ROLE_OF

if TYPE_CHECKING:
    from govsim.model import GovernanceModel


class Institution(mesa.Agent):
    """One institution of one community."""

    label = "Institution"
    model: GovernanceModel

    def __init__(self, model: GovernanceModel, community: int):
        super().__init__(model)
        self.community = community


class District(mesa.Agent):
    """The district government and its functional departments (environment of the communities, Article §I).

    It pushes tasks down, issues policy, decides welfare files, answers the
    concerns that reach it and assesses the centres.
    """

    label = "District"
    model: GovernanceModel

    def __init__(self, model: GovernanceModel, index: int):
        super().__init__(model)
        self.index = index

    @property
    def hours(self) -> float:
        """Hours a working day it gives the simulated communities' files and concerns."""
        return float(self.model.layout.district_hours[self.index])


class StreetOffice(Institution):
    """The pre-reform street office (街道办), present only with 4 levels (Article §I).

    Economy and tax first; relays tasks and policy down and adds its own tasks;
    reviews welfare files; passes few concerns up (a "mouthpiece").
    """

    label = "Street office"

    @property
    def posts(self) -> int:
        return int(self.model.layout.street_office_staff[self.community])


class PartyCommittee(Institution):
    """The community party committee (社区党委): policy to party members, authority, the big party committee."""

    label = "Party committee"

    @property
    def two_signs_one_team(self) -> bool:
        return bool(self.model.local["structure.two_signs_one_team"][self.community])

    @property
    def big_party_committee(self) -> bool:
        return bool(self.model.local["structure.big_party_committee"][self.community])


class ServiceCentre(Institution):
    """The community service centre (社区服务中心), or before the reform the residents' committees."""

    @property
    def label(self) -> str:  # type: ignore[override]
        return "Residents' committees" if self.model.layout.levels[self.community] == 4 else "Service centre"

    @property
    def emphasis(self) -> pd.Series:
        """The leadership's role emphasis."""
        return pd.Series(self.model.emphasis[self.community], index=list(ROLES), name="emphasis")

    @property
    def time_split(self) -> pd.Series:
        """The realised share of staff hours per role over the last 30 days."""
        return pd.Series(self.model.role_split()[self.community], index=list(ROLES), name="time_split")

    @property
    def hours_today(self) -> pd.Series:
        """Hours given to each activity on the latest working day."""
        return pd.Series(self.model.activity_hours[self.community], index=list(ACTIVITIES), name="hours")

    @property
    def staff(self) -> pd.DataFrame:
        """One row per staff member: origin, hours a working day, skill, tenure, motivation, trained."""
        s = self.model.staff
        mine = s.community == self.community
        return pd.DataFrame({
            "origin": pd.Categorical.from_codes(s.origin[mine], ORIGINS), "hours": s.member_hours[mine],
            "skill": s.skill[mine],
            "tenure_years": s.tenure[mine], "motivation": s.motivation[mine], "trained": s.trained[mine]})


class ResidentsCouncil(Institution):
    """The residents' council (居民议事会)."""

    label = "Residents' council"

    @property
    def effectiveness(self) -> float:
        return float(self.model.deliberation.current_effectiveness()[self.community])

    @property
    def control(self) -> float:
        """Share of the agenda the centre and party take."""
        return float(self.model.deliberation.control[self.community])

    @property
    def members(self) -> int:
        return int(self.model.deliberation.filled()[self.community])

    @property
    def participation(self) -> float:
        return float(self.model.residents.participant_share[self.community])


class StationedUnit(mesa.Agent):
    """A unit stationed in the community (驻区单位): enterprise, school, hospital or agency."""

    model: GovernanceModel

    def __init__(self, model: GovernanceModel, index: int):
        super().__init__(model)
        self.index = index

    @property
    def kind(self) -> str:
        return UNIT_TYPES[int(self.model.stationed.kind[self.index])]

    @property
    def label(self) -> str:
        return self.kind.capitalize()

    @property
    def community(self) -> int:
        return int(self.model.stationed.community[self.index])

    @property
    def resources(self) -> float:
        return float(self.model.stationed.resources[self.index])

    @property
    def engaged(self) -> bool:
        return bool(self.model.stationed.engaged(self.model.day)[self.index])


_ROLE_ACTIVITIES = tuple(np.flatnonzero(r == ROLE_OF) for r in range(len(ROLES)))
"""Each role's activities (columns of a communities x activities table)."""


def role_hours(activity_hours: np.ndarray) -> np.ndarray:
    """Hours per role (communities x roles) from hours per activity."""
    return np.array([activity_hours[:, a].sum(axis=1) for a in _ROLE_ACTIVITIES]).T
