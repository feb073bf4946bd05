"""Named random streams: stable across processes, independent of each other."""

import numpy as np

from govsim.streams import Streams, seed_sequence


def test_a_stream_depends_only_on_the_seed_and_its_name():
    a, b = Streams(seed_sequence(7)), Streams(seed_sequence(7))
    b["something new"].random(10)  # drawing from another stream first changes nothing
    assert np.array_equal(a["needs"].random(5), b["needs"].random(5))
    assert not np.array_equal(Streams(seed_sequence(7))["needs"].random(5),
                              Streams(seed_sequence(8))["needs"].random(5))
    assert not np.array_equal(a["x"].random(5), a["y"].random(5))


def test_seed_forms():
    assert seed_sequence(3).entropy == 3
    seq = np.random.SeedSequence(9)
    assert seed_sequence(seq) is seq
    assert isinstance(seed_sequence(np.random.default_rng(1)), np.random.SeedSequence)
