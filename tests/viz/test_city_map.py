"""The city map: where communities and districts go, and the colour scale of an outcome."""

from __future__ import annotations

import itertools

import numpy as np
import pytest

from govsim.city import DISTRICTS
from govsim.outcomes import BY_NAME
from govsim.viz.city_map import SCHEMATIC, ColourScale, map_layout, nice_step, scale_html
from govsim.viz.palette import MAP_STOPS, NO_VALUE

NAMES = [d for d, _ in DISTRICTS]
GUIYANG = np.repeat(np.arange(len(DISTRICTS)), [k for _, k in DISTRICTS])


def inside(inner, outer) -> bool:
    x, y, w, h = inner
    left, top, width, height = outer
    return x >= left and y >= top and x + w <= left + width and y + h <= top + height


def apart(a, b) -> bool:
    return a[0] + a[2] <= b[0] or b[0] + b[2] <= a[0] or a[1] + a[3] <= b[1] or b[1] + b[3] <= a[1]


@pytest.mark.parametrize("district, names", [
    (GUIYANG, NAMES),
    (np.repeat(np.arange(9), 3), [*NAMES, "Qingzhen", "Kaiyang"]),  # two districts the schematic does not know
    (np.zeros(500, dtype=int), ["Nanming"]),
])
def test_every_community_has_its_own_square_inside_its_district_box(district, names):
    plan = map_layout(district, names)
    squares = [(x, y, s, s) for x, y, s in plan.cells]
    for i, square in enumerate(squares):
        assert inside(square, plan.districts[district[i]]), i
        assert inside(square, (0, 0, plan.width, plan.height))
    for a, b in itertools.combinations(range(len(squares)), 2):
        if abs(squares[a][0] - squares[b][0]) < 20 and abs(squares[a][1] - squares[b][1]) < 20:
            assert apart(squares[a], squares[b]), (a, b)
    boxes = [b for d, b in enumerate(plan.districts) if (district == d).any()]
    assert all(apart(a, b) for a, b in itertools.combinations(boxes, 2))
    assert len({s[2] for s in squares}) == 1  # every community the same size


def test_guiyang_is_laid_out_north_at_the_top():
    plan = map_layout(GUIYANG, NAMES)
    y = {name: plan.districts[d][1] for d, name in enumerate(NAMES)}
    x = {name: plan.districts[d][0] for d, name in enumerate(NAMES)}
    assert y["Baiyun"] == y["Yunyan"] == y["Wudang"] < y["Nanming"] < y["Xiaohe"]
    assert x["Jinyang"] < x["Nanming"] and set(SCHEMATIC) == set(NAMES)
    assert 0.8 < plan.width / plan.height < 1.3  # about as wide as its place on the page is high


def test_nice_steps_are_round():
    assert [nice_step(s) for s in (1.0, 0.1, 11.0, 0.37, 70.0)] == pytest.approx([0.25, 0.025, 5.0, 0.1, 20.0])


def test_the_scale_covers_what_was_seen_with_round_ends_inside_the_declared_range():
    share = BY_NAME["satisfaction"]
    scale = ColourScale.covering(share, 0.193, 0.288)
    assert scale.low <= 0.193 and scale.high >= 0.288 and (scale.low, scale.high) == pytest.approx((0.175, 0.3))
    assert ColourScale.covering(share, 0.0, 1.0).low == 0.0 and ColourScale.covering(share, -0.1, 1.3).high == 1.0
    pinned = ColourScale.covering(BY_NAME["needs_met_welfare"], 1.0, 1.0)
    assert (pinned.low, pinned.high) == (0.0, 1.0)
    days = ColourScale.covering(BY_NAME["welfare_days"], 1.0, 21.0)
    assert days.low == 0.0 and days.high >= 21.0  # open-ended: from its declared low up to what was seen
    empty = ColourScale.covering(BY_NAME["welfare_days"], float("nan"), float("nan"))
    assert empty.high > empty.low


def test_the_scale_says_when_some_community_lies_beyond_its_ends():
    days = BY_NAME["welfare_days"]
    within = ColourScale.covering(days, 2.0, 18.0, 2.0, 18.0)
    beyond = ColourScale.covering(days, 2.0, 18.0, 1.0, 41.0)
    assert (within.low, within.high) == (beyond.low, beyond.high) == (0.0, 20.0)
    assert not within.above and not within.below and beyond.above and not beyond.below
    assert "\u226520" in scale_html(beyond) and "\u2265" not in scale_html(within)


def test_colours_run_from_low_to_high_and_missing_values_are_grey():
    scale = ColourScale.covering(BY_NAME["satisfaction"], 0.2, 0.3)
    low, mid, high, missing, beyond = scale.colours(np.array([0.2, 0.25, 0.3, np.nan, 0.9]))
    assert low == MAP_STOPS[0].lower() and high == MAP_STOPS[-1].lower() and missing == NO_VALUE
    assert beyond == high and mid not in (low, high)
    assert scale.format(0.2468) == "0.247" and scale.format(float("nan")) == "no value yet"
