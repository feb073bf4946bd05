"""A growable table of records held as NumPy columns (cases, concerns, tasks).

Records arrive and leave every day; keeping them in one NumPy array with a
field per column lets every daily rule work on all of them at once, column by
column, as Starsim keeps agent states.
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np


class Records:
    """Columns of equal length with cheap append and filter.

    The records live in one structured array, a row per record, with spare room
    at the end (doubled when full), so appending a few records or dropping some
    touches only what changes, and filtering moves whole records in one call
    rather than one call per column; a column is read and written through
    ``records[name]``, a view of its filled part.

    Args:
        dtypes: column name to NumPy dtype.
    """

    def __init__(self, dtypes: Mapping[str, np.dtype | type]):
        self._dtypes = dict(dtypes)
        self._n = 0
        self._allocate(64)

    def _allocate(self, size: int) -> None:
        """Room for ``size`` records (the filled ones are the caller's to copy)."""
        self._rows = np.empty(size, dtype=np.dtype(list(self._dtypes.items()), align=True))
        # Each column's view, made once: columns are read some sixty times a day, and a field view costs a call.
        self._columns = {k: self._rows[k] for k in self._dtypes}

    def __len__(self) -> int:
        return self._n

    def __getitem__(self, name: str) -> np.ndarray:
        return self._columns[name][: self._n]

    def __setitem__(self, name: str, values: np.ndarray) -> None:
        self._columns[name][: self._n] = values

    def append(self, **columns: np.ndarray | int | float) -> None:
        """Add records; scalars are broadcast to the length of the array columns."""
        # The array columns give the count (an attribute read each, where np.size and np.ndim cost a call).
        n = max((v.size for v in columns.values() if isinstance(v, np.ndarray) and v.ndim), default=0)
        if n == 0:
            return
        if columns.keys() != self._dtypes.keys():
            raise ValueError(f"append needs exactly the columns {sorted(self._dtypes)}")
        end = self._n + n
        if end > self._rows.size:
            filled = self._rows[: self._n]
            self._allocate(max(end, 2 * self._rows.size))
            self._rows[: self._n] = filled
        new = self._rows[self._n:end]
        for k, v in columns.items():
            new[k] = v
        self._n = end

    def drop(self, indices: np.ndarray) -> None:
        """Drop the records at ``indices``."""
        if indices.size:
            mask = np.empty(self._n, dtype=bool)  # as np.ones, without its Python
            mask.fill(True)
            mask[indices] = False
            self.keep(mask)

    def keep(self, mask: np.ndarray) -> None:
        """Drop every record where ``mask`` is False."""
        kept = int(np.count_nonzero(mask))  # one count tells whether any is dropped, and how many stay
        if kept == self._n:
            return
        self._rows[:kept] = self._rows[: self._n][mask]
        self._n = kept


def used_before(group: np.ndarray, cost: np.ndarray, groups: int) -> np.ndarray:
    """What the records before each one in its group cost, for records sorted by ``group`` (0 .. groups-1)."""
    before = cost.cumsum() - cost  # the method: np.cumsum's Python wrapper costs more than the sum here
    if groups == 1:  # one group (one community, one district): what came before is what was used
        return before
    first = np.searchsorted(group, np.arange(groups))
    return before - before[np.minimum(first, group.size - 1)][group]


def serve_in_order(group: np.ndarray, cost: np.ndarray, capacity: np.ndarray, u: np.ndarray) -> np.ndarray:
    """Which records a day's capacity serves, taking them in the order given within each group.

    Records must be sorted by ``group`` (then by priority).  Each group's
    ``capacity`` is spent on its records in turn; the record that straddles
    what is left is served with the chance that the leftover covers it (``u``
    uniform draws), so expected throughput is right even when one record costs
    more than a day's capacity (large population scales).
    """
    if group.size == 0:
        return np.zeros(0, dtype=bool)
    room = capacity[group] - used_before(group, cost, capacity.size)
    return (room >= cost) | ((room > 0) & (u * cost < room))
