"""Daily counts per community over a trailing window.

Windowed outcomes (needs met, flows, welfare days, staff time ...) are ratios
of sums over the last days.  A :class:`Tally` keeps one slot a day in a ring,
so recording is O(communities) and a window sum is a slice, whatever the run's
length.
"""

from __future__ import annotations

import numpy as np

RING = 128  # days kept: enough for a 30-day window that ends 30 days back


class Tally:
    """Named daily sums per community, kept for the last :data:`RING` days.

    >>> t = Tally(["met", "all"], communities=2)
    >>> t.add("met", day=3, community=np.array([0, 0, 1]))
    >>> t.window("met", end=3, days=30)
    array([2., 1.])
    """

    def __init__(self, names: list[str] | tuple[str, ...], communities: int):
        self.names = tuple(names)
        self.index = {n: i for i, n in enumerate(names)}
        self.data = np.zeros((len(names), communities, RING))
        self.communities = communities

    def clear_day(self, day: int) -> None:
        """Forget what an earlier lap of the ring left in today's slot."""
        self.data[:, :, day % RING] = 0.0

    def add(self, name: str, day: int, community: np.ndarray, weights: np.ndarray | float | None = None) -> None:
        """Add one (or ``weights``) per entry of ``community`` to ``day``'s slot."""
        # Attributes and methods of the arrays, not np.size, np.shape and np.sum: the same numbers, less Python
        # (a dozen calls a day).
        if community.size == 0:
            return
        if weights is not None and np.shape(weights) != community.shape:  # one weight for every entry
            weights = np.broadcast_to(weights, community.shape)
        if self.communities == 1:  # one community: a count or a sum, no bincount needed
            total = community.size if weights is None else np.asarray(weights).sum()
            self.data[self.index[name], 0, day % RING] += total
            return
        self.data[self.index[name], :, day % RING] += np.bincount(community, weights, self.communities)

    def add_on_days(self, name: str, days: np.ndarray, community: np.ndarray) -> None:
        """Add one per entry to the slot of each entry's own day (a cohort counted when it arose)."""
        if np.size(community):
            np.add.at(self.data[self.index[name]], (community, days % RING), 1.0)

    def add_per_community(self, name: str, day: int, values: np.ndarray) -> None:
        """Add an array with one value per community to ``day``'s slot."""
        self.data[self.index[name], :, day % RING] += values

    def add_rows(self, names: tuple[str, ...], day: int, values: np.ndarray) -> None:
        """Add ``values`` (names x communities) to ``day``'s slots of ``names``, which lie next to each other in
        this order (one call for all of them)."""
        first = self.index[names[0]]
        if self.names[first:first + len(names)] != names:
            raise ValueError(f"{names} are not kept next to each other in this order")
        self.data[first:first + len(names), :, day % RING] += values

    def sums(self, end: int, days: int, rows: slice = slice(None), out: np.ndarray | None = None) -> np.ndarray:
        """The per-community sums over the ``days`` days ending with ``end`` of the names in ``rows`` (all by
        default), names x communities, in one pass (into ``out`` if given)."""
        if days > RING:
            raise ValueError(f"windows of at most {RING} days")
        data = self.data[rows]
        first, last = (end - days + 1) % RING, end % RING + 1
        # np.add.reduce is what ndarray.sum calls, without the Python on the way.
        if first < last:
            return np.add.reduce(data[:, :, first:last], axis=2, out=out)
        return np.add(np.add.reduce(data[:, :, first:], axis=2), np.add.reduce(data[:, :, :last], axis=2), out=out)

    def window(self, name: str, end: int, days: int) -> np.ndarray:
        """Per-community sum over the ``days`` days ending with ``end`` (inclusive)."""
        if days > RING:
            raise ValueError(f"windows of at most {RING} days")
        rows = self.data[self.index[name]]
        first, last = (end - days + 1) % RING, end % RING + 1
        if first < last:
            return rows[:, first:last].sum(axis=1)
        return rows[:, first:].sum(axis=1) + rows[:, :last].sum(axis=1)


def ratio(part: np.ndarray, whole: np.ndarray, empty: float = np.nan) -> np.ndarray:
    """part / whole per community, ``empty`` where nothing was counted."""
    out = np.empty(whole.shape)  # as np.full, without its Python (a few calls a day)
    out.fill(empty)
    np.divide(part, whole, out=out, where=whole > 0)
    return out
