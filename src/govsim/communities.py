"""The communities a model simulates, and the facts that differ between them.

A :class:`Layout` holds one entry per community: its residents, staff, the
levels of its management chain, its district, and its mix of groups.  A
community model is a layout of one; a city is a layout of about ninety.  Every
component keeps its state in arrays indexed by community, so a city costs
about what its residents cost.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

import numpy as np

from govsim.params import GROUPS, Value


@dataclass
class Layout:
    """Per-community facts.  ``levels`` may change during a run (a staged reform).

    Attributes:
        names: a short name per community.
        residents: real residents per community.
        staff: posts of the centre (or residents' committees) per community.
        street_office_staff: street-office posts serving the community (4 levels only).
        levels: 4 with a street office, 3 without.
        district: index of the community's district.
        district_hours: hours a working day each district gives the simulated communities' cases and concerns.
        group_shares: residents' shares by group (communities x groups; rows sum to 1).
        scale: real residents per simulated resident.
    """

    names: list[str]
    residents: np.ndarray
    staff: np.ndarray
    street_office_staff: np.ndarray
    levels: np.ndarray
    district: np.ndarray
    district_hours: np.ndarray
    group_shares: np.ndarray
    scale: int = 1
    district_names: list[str] = field(default_factory=lambda: ["district"])

    @property
    def n(self) -> int:
        """Number of communities."""
        return len(self.names)

    @property
    def agents(self) -> np.ndarray:
        """Simulated residents per community (at least two, so a network can form)."""
        return np.maximum(self.residents // self.scale, 2)

    @classmethod
    def single(cls, v: Mapping[str, Value], name: str = "community") -> Layout:
        """One community from a scenario's values; its district gives it its share of the district's hours."""
        shares = [float(v[f"population.share.{g}"]) for g in GROUPS[:-1]]
        return cls(
            names=[name],
            residents=np.array([int(v["population.residents"])]),
            staff=np.array([int(v["centre.staff"])]),
            street_office_staff=np.array([int(v["street_office.staff"])]),
            levels=np.array([int(v["structure.levels"])], dtype=np.int8),
            district=np.array([0]),
            district_hours=np.array([float(v["district.hours"]) / int(v["district.communities"])]),
            group_shares=np.array([[*shares, 1.0 - sum(shares)]]),
            scale=int(v["population.scale"]),
        )
