"""Random streams named, not numbered.

Every decision in the model draws from its own stream ("common random
numbers", as in Starsim): two scenarios run with the same seed share every
draw they have in common and differ only where the scenarios differ.  A
stream's seed comes from the run's seed and a stable hash of the stream's
name, so adding a stream changes no other stream's numbers.
"""

from __future__ import annotations

import zlib

import numpy as np

SeedLike = int | np.integer | np.random.SeedSequence | np.random.Generator | None


def seed_sequence(rng: SeedLike) -> np.random.SeedSequence:
    """A SeedSequence from an int, a SeedSequence, a Generator or None (fresh entropy)."""
    if isinstance(rng, np.random.SeedSequence):
        return rng
    if isinstance(rng, np.random.Generator):
        return np.random.SeedSequence(int(rng.integers(2**63)))
    if rng is None or isinstance(rng, int | np.integer):
        return np.random.SeedSequence(None if rng is None else int(rng))
    raise TypeError(f"rng must be an int, a numpy SeedSequence or Generator, or None; got {type(rng).__name__}")


class Streams:
    """Named ``numpy.random.Generator`` objects derived from one seed.

    >>> s = Streams(np.random.SeedSequence(1))
    >>> s["needs"] is s["needs"]
    True
    """

    def __init__(self, root: np.random.SeedSequence):
        self.root = root
        self._streams: dict[str, np.random.Generator] = {}

    def __getitem__(self, name: str) -> np.random.Generator:
        if name not in self._streams:
            key = zlib.crc32(name.encode())  # stable across processes, unlike hash()
            seq = np.random.SeedSequence(self.root.entropy, spawn_key=(*self.root.spawn_key, key))
            self._streams[name] = np.random.default_rng(seq)
        return self._streams[name]

    def names(self) -> list[str]:
        """The streams drawn from so far."""
        return sorted(self._streams)
