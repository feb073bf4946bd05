"""Daily tallies over trailing windows, and the growable record table."""

import numpy as np
import pytest

from govsim.records import Records, serve_in_order
from govsim.windows import RING, Tally, ratio


def test_window_sums_the_days_asked_across_the_ring():
    t = Tally(["x"], communities=2)
    for day in range(1, 3 * RING):
        t.clear_day(day)
        t.add("x", day, np.array([0, 1, 1]))
    assert list(t.window("x", 3 * RING - 1, 30)) == [30, 60]
    t.add_on_days("x", np.array([3 * RING - 5]), np.array([0]))
    assert t.window("x", 3 * RING - 1, 10)[0] == 11
    with pytest.raises(ValueError):
        t.window("x", 10, RING + 1)


def test_ratio_is_empty_where_nothing_was_counted():
    assert np.allclose(ratio(np.array([1.0, 0.0]), np.array([4.0, 0.0]), 9.0), [0.25, 9.0])


def test_records_append_and_keep():
    r = Records({"a": np.int64, "b": float})
    r.append(a=np.array([1, 2, 3]), b=0.5)
    r.keep(r["a"] != 2)
    assert list(r["a"]) == [1, 3] and list(r["b"]) == [0.5, 0.5]


def test_serve_in_order_spends_each_groups_capacity_in_turn():
    group = np.array([0, 0, 0, 1, 1])
    cost = np.array([1.0, 1.0, 1.0, 2.0, 2.0])
    served = serve_in_order(group, cost, np.array([2.0, 3.0]), np.full(5, 0.99))
    assert list(served) == [True, True, False, True, False]
    # A record that costs more than what is left is served with the chance the leftover covers it.
    rng = np.random.default_rng(1)
    hits = [serve_in_order(np.array([0]), np.array([4.0]), np.array([1.0]), rng.random(1))[0] for _ in range(4000)]
    assert np.mean(hits) == pytest.approx(0.25, abs=0.03)
