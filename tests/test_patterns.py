"""The article's patterns (docs/ODD.md §7), checked over seeds on direction and margin.

The checks and their margins live in :mod:`govsim.validate` (``govsim validate``
runs the same code): a difference must be positive in every seed and exceed
both a floor the article's words imply and three standard errors of the seed
noise.  Here they run with three seeds at scale 10.
"""

import pytest

from govsim import validate

pytestmark = pytest.mark.slow
RUNS = validate.Runs(seeds=(1, 2, 3), scale=10)


@pytest.mark.parametrize("pattern", validate.PATTERNS, ids=lambda p: p.__name__)
def test_pattern_holds(pattern):
    failed = [f"{c.claim} — {c.measured}: {c.summary}, needs {c.margin}" for c in pattern(RUNS) if not c.passed]
    assert not failed, "\n".join(failed)


def test_a_check_fails_when_the_direction_is_wrong():
    high, low = [{"x": 0.5}, {"x": 0.6}], [{"x": 0.4}, {"x": 0.7}]
    assert not validate.exceeds("p", "c", "m", high, low, "x").passed  # one seed the wrong way
    assert validate.exceeds("p", "c", "m", [{"x": 0.5}, {"x": 0.6}], [{"x": 0.4}, {"x": 0.5}], "x").passed
    assert not validate.exceeds("p", "c", "m", [{"x": 0.41}], [{"x": 0.40}], "x").passed  # below the floor
