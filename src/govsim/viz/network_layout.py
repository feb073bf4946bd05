"""The community drawn as a network: a resident sample and a cheap, deterministic layout.

A community has tens of thousands of residents; the view shows a fixed-size
sample of them, the same number from each group (so the vulnerable groups are
as visible as ordinary residents), picked at evenly spaced positions: no
random draw, so the same model always gives the same picture.  Positions are
computed, not simulated (no spring layout): the hierarchy runs top to bottom
(district, street office before the reform, then the party committee, the
service centre and the residents' council), the centre's staff sit in a small
block under the centre, stationed units in a row under them, grouped by type,
and residents in one disc per group.  Building
a layout costs well under a millisecond at any population size.  The layout
takes plain arrays (read from the model by :mod:`govsim.viz.community_state`).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from govsim.params import GROUPS, UNIT_TYPES

PER_GROUP = 20
"""Residents drawn from each group."""

MAX_UNITS = 24
"""Stationed units drawn (evenly spaced) when there are more."""

PER_GROUP_COMPARE, MAX_UNITS_COMPARE = 12, 16
"""The same for each of two communities drawn side by side: half the room, and the same cost to draw."""

WIDTH = 11.0
"""Width of one community's drawing, in layout units; y grows downward."""

ROW_TITLE, ROW_DISTRICT, ROW_STREET, ROW_INSTITUTIONS, ROW_STAFF, ROW_UNITS, ROW_GROUP_LABELS, ROW_RESIDENTS = \
    -0.9, 0.0, 1.0, 2.3, 3.3, 4.3, 5.7, 7.0
GROUP_RADIUS = 0.85
HEIGHT = ROW_RESIDENTS + GROUP_RADIUS - ROW_TITLE
"""Height of one community's drawing, from its title to its lowest resident, in layout units."""


def evenly_spaced(indices: np.ndarray, k: int) -> np.ndarray:
    """Up to ``k`` of ``indices`` at evenly spaced positions (all of them if there are fewer)."""
    if len(indices) <= k:
        return np.asarray(indices)
    pick = np.linspace(0, len(indices) - 1, k).round().astype(int)
    return np.asarray(indices)[pick]


def sample_residents(group: np.ndarray, per_group: int = PER_GROUP) -> dict[int, np.ndarray]:
    """Indices of up to ``per_group`` residents of each group code, deterministic."""
    return {g: evenly_spaced(np.flatnonzero(group == g), per_group) for g in range(len(GROUPS))}


def disc(n: int, radius: float) -> np.ndarray:
    """``n`` points filling a disc evenly (a sunflower spiral), as an (n, 2) array."""
    if n == 0:
        return np.empty((0, 2))
    i = np.arange(n) + 0.5
    r = radius * np.sqrt(i / n)
    theta = i * np.pi * (3.0 - np.sqrt(5.0))  # the golden angle
    return np.column_stack([r * np.cos(theta), r * np.sin(theta)])


@dataclass(frozen=True)
class Layout:
    """Where everything is drawn for one community.

    Attributes:
        residents: sampled resident indices, all groups concatenated.
        resident_xy: their positions, (n, 2).
        resident_group: their group codes.
        group_xy: where each group's label goes, (len(GROUPS), 2).
        units: indices (into ``model.units``) of the units drawn.
        unit_xy: their positions.
        unit_kind_xy: where each unit type's label goes, by type.
        institutions: name -> position, for those present.
    """

    residents: np.ndarray
    resident_xy: np.ndarray
    resident_group: np.ndarray
    group_xy: np.ndarray
    units: np.ndarray
    unit_xy: np.ndarray
    unit_kind_xy: dict[str, tuple[float, float]]
    institutions: dict[str, tuple[float, float]]


STAFF_PER_ROW = 16
STAFF_SPACING = 0.2
"""Staff members are drawn in rows of this many, this far apart (layout units)."""


def staff_xy(n: int, per_row: int = STAFF_PER_ROW, spacing: float = STAFF_SPACING) -> np.ndarray:
    """Positions of ``n`` staff members in a block centred under the centre, as an (n, 2) array.

    Computed at every redraw, not kept in the :class:`Layout`: a city's reform replaces a centre's staff.
    """
    if n <= 0:
        return np.empty((0, 2))
    per_row = max(per_row, -(-n // 3))  # at most three rows
    rows = -(-n // per_row)
    i = np.arange(n)
    in_row = np.minimum(per_row, n - (i // per_row) * per_row)  # members in each one's row (the last is short)
    x = (i % per_row - (in_row - 1) / 2) * spacing
    y = ROW_STAFF + (i // per_row - (rows - 1) / 2) * spacing
    return np.column_stack([x, y])


def group_centres(width: float = WIDTH) -> np.ndarray:
    xs = np.linspace(-width / 2 + 1.0, width / 2 - 1.0, len(GROUPS))
    return np.column_stack([xs, np.full(len(GROUPS), ROW_RESIDENTS)])


def build_layout(group: np.ndarray, kinds: Sequence[str], street_office: bool,
                 per_group: int = PER_GROUP, max_units: int = MAX_UNITS) -> Layout:
    """The layout of one community (deterministic, no random draws).

    Args:
        group: every resident's group code.
        kinds: every stationed unit's kind, in the model's order.
        street_office: whether the street office is drawn (before the reform).
        per_group, max_units: how many residents of each group and how many units are drawn.
    """
    sample = sample_residents(group, per_group)
    centres = group_centres()
    residents, xy, groups = [], [], []
    for g, idx in sample.items():
        residents.append(idx)
        xy.append(disc(len(idx), GROUP_RADIUS) + centres[g])
        groups.append(np.full(len(idx), g, dtype=np.int8))
    group_xy = centres - [0.0, ROW_RESIDENTS - ROW_GROUP_LABELS]

    # Units: drawn in one row, grouped by type, types in the schema's order.
    chosen = evenly_spaced(np.arange(len(kinds)), max_units)
    order = sorted(chosen.tolist(), key=lambda i: (UNIT_TYPES.index(kinds[i]), i))
    n = len(order)
    span = WIDTH - 1.0
    gap = 0.6  # extra room between types
    n_types = len({kinds[i] for i in order})
    step = (span - gap * max(0, n_types - 1)) / max(1, n - 1) if n > 1 else 0.0
    unit_xy, x, previous = [], -span / 2 if n > 1 else 0.0, None
    kind_xs: dict[str, list[float]] = {}
    for i in order:
        if previous is not None:
            x += step + (gap if kinds[i] != previous else 0.0)
        unit_xy.append((x, ROW_UNITS))
        kind_xs.setdefault(kinds[i], []).append(x)
        previous = kinds[i]
    # Labels of neighbouring types alternate between two heights, so short runs of units keep readable labels.
    unit_kind_xy = {k: (float(np.mean(xs)), ROW_UNITS + 0.45 + 0.4 * (j % 2))
                    for j, (k, xs) in enumerate(kind_xs.items())}

    institutions = {"district": (0.0, ROW_DISTRICT), "party": (-3.4, ROW_INSTITUTIONS),
                    "centre": (0.0, ROW_INSTITUTIONS), "council": (3.4, ROW_INSTITUTIONS)}
    if street_office:
        institutions["street_office"] = (0.0, ROW_STREET)
    return Layout(
        residents=np.concatenate(residents) if residents else np.empty(0, dtype=int),
        resident_xy=np.concatenate(xy) if xy else np.empty((0, 2)),
        resident_group=np.concatenate(groups) if groups else np.empty(0, dtype=np.int8),
        group_xy=group_xy,
        units=np.array(order, dtype=int),
        unit_xy=np.array(unit_xy).reshape(-1, 2),
        unit_kind_xy=unit_kind_xy,
        institutions=institutions,
    )
