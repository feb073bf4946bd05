"""Residents' social network, held as edge arrays.

The network is a Watts-Strogatz small world (Watts & Strogatz 1998): residents
sit on a ring of neighbourhoods, each tied to ``k/2`` neighbours on either
side, and a share of ties is rewired to a random resident anywhere.  It is
built directly as NumPy edge arrays because building a networkx graph of a
million residents takes minutes and gigabytes, while every per-step rule only
needs one vectorised pass over edges.  :meth:`SocialNetwork.to_networkx` gives
the very same network as a ``networkx.Graph`` for analysis and drawing.
"""

from __future__ import annotations

from dataclasses import dataclass

import networkx as nx
import numpy as np


@dataclass(frozen=True, slots=True)
class SocialNetwork:
    """An undirected network over ``n`` residents.

    Attributes:
        n: number of residents (nodes ``0 .. n-1``).
        ends: one row per undirected tie, its two ends ``(src, dst)`` with ``src < dst``, no duplicates.  The
            two ends of a tie lie side by side, so the ties drawn at random each day are read from one place
            in memory each rather than two far apart.
    """

    n: int
    ends: np.ndarray

    @property
    def src(self) -> np.ndarray:
        """The lower end of each tie."""
        return self.ends[:, 0]

    @property
    def dst(self) -> np.ndarray:
        """The higher end of each tie."""
        return self.ends[:, 1]

    @classmethod
    def small_world(cls, n: int, mean_degree: int, rewiring: float, rng: np.random.Generator) -> SocialNetwork:
        """A seeded Watts-Strogatz small world, built with array operations only.

        Residents take their places on the ring in random order, so a
        resident's neighbours are a random mix of groups.
        """
        half = mean_degree // 2
        if half == 0 or n < 2:
            return cls(n, np.empty((0, 2), dtype=np.int32))
        place = rng.permutation(n)  # place[k]: the resident at position k of the ring
        pos = np.repeat(np.arange(n, dtype=np.int64), half)
        src = place[pos]
        dst = place[(pos + np.tile(np.arange(1, half + 1), n)) % n]
        rewire = rng.random(src.size) < rewiring
        dst[rewire] = rng.integers(0, n, int(rewire.sum()))
        lo, hi = np.minimum(src, dst), np.maximum(src, dst)
        keep = lo != hi  # a rewired tie may land on its own end: drop it
        pairs = np.sort(lo[keep] * n + hi[keep])  # and drop duplicate ties (sort + diff: np.unique
        pairs = pairs[np.concatenate([[True], pairs[1:] != pairs[:-1]])]  # hashes first, 6x slower here)
        ends = np.empty((pairs.size, 2), dtype=np.int32)
        ends[:, 0] = pairs // n
        ends[:, 1] = pairs % n
        return cls(n, ends)

    @classmethod
    def communities(cls, sizes: np.ndarray, mean_degree: int, rewiring: float,
                    rng: np.random.Generator) -> SocialNetwork:
        """One small world per community, side by side: residents talk only within their community.

        Residents are numbered community by community (``sizes`` in order).  The
        loop is over communities at construction, never over residents.
        """
        offsets = np.concatenate([[0], np.cumsum(sizes)[:-1]])
        parts = [cls.small_world(int(n), mean_degree, rewiring, rng) for n in sizes]
        # 32-bit ends: the day's ties are read at random from this table, and at half the width of native
        # indices it stays in cache twice as long (and a million residents' network takes half the memory).
        # Filled in place, part by part, to keep the peak memory down.
        if np.sum(sizes) > np.iinfo(np.int32).max:
            raise ValueError(f"at most {np.iinfo(np.int32).max:,} residents, not {int(np.sum(sizes)):,}")
        ends = np.empty((sum(p.n_ties for p in parts), 2), dtype=np.int32)
        start = 0
        for p, o in zip(parts, offsets, strict=True):
            np.add(p.ends, o, out=ends[start:start + p.n_ties])
            start += p.n_ties
        return cls(int(np.sum(sizes)), ends)

    @property
    def n_ties(self) -> int:
        return int(self.ends.shape[0])

    def degree(self) -> np.ndarray:
        return np.bincount(self.src, minlength=self.n) + np.bincount(self.dst, minlength=self.n)

    def to_networkx(self) -> nx.Graph:
        """The same network as a ``networkx.Graph`` (nodes are resident indices)."""
        graph = nx.Graph()
        graph.add_nodes_from(range(self.n))
        graph.add_edges_from(zip(self.src.tolist(), self.dst.tolist(), strict=True))
        return graph
