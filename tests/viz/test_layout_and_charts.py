"""The network sample and layout, the chart options and the table, without a browser."""

from __future__ import annotations

import json
import time

import numpy as np
import pytest

from govsim.model import CommunityModel
from govsim.outcomes import MAIN_OUTCOMES, OUTCOME_NAMES
from govsim.params import GROUPS
from govsim.scenario import load_scenario
from govsim.viz.charts import (
    CHART_KEYS,
    CHARTS,
    MAX_POINTS,
    SATISFACTION_STOPS,
    line_chart,
    live_charts,
    network_chart,
    outcome_table,
    points,
    satisfaction_colour,
    satisfaction_colours,
    thin,
)
from govsim.viz.classroom import Classroom, History
from govsim.viz.controls import Setup, load_presets
from govsim.viz.echarts import encode
from govsim.viz.layout import (
    PER_GROUP,
    build_layout,
    disc,
    evenly_spaced,
    sample_residents,
)


@pytest.fixture(scope="module")
def presets():
    from pathlib import Path

    return load_presets(None, Path(__file__).resolve().parents[2] / "scenarios")


def small(presets, name="guiyang_2012", compare=False, residents=3000, seed=1) -> Classroom:
    s = Setup.initial(presets[name], presets["article_remedies"]).with_value(0, "population.residents", residents)
    return Classroom(s.with_compare(compare).with_seed(seed))


# --- sample and layout ----------------------------------------------------------------------------


def test_the_sample_is_deterministic_and_takes_the_same_number_from_each_group():
    group = np.random.default_rng(0).integers(0, len(GROUPS), 10_000).astype(np.int8)
    a, b = sample_residents(group, 20), sample_residents(group, 20)
    for g in range(len(GROUPS)):
        assert np.array_equal(a[g], b[g]) and len(a[g]) == 20
        assert (group[a[g]] == g).all() and len(set(a[g].tolist())) == 20


def test_a_small_group_gives_all_it_has():
    group = np.array([0] * 5 + [1] * 100, dtype=np.int8)
    sample = sample_residents(group, 20)
    assert len(sample[0]) == 5 and len(sample[1]) == 20 and len(sample[2]) == 0
    assert evenly_spaced(np.arange(3), 10).tolist() == [0, 1, 2]


def test_disc_points_lie_in_the_disc():
    pts = disc(50, 2.0)
    assert pts.shape == (50, 2) and (np.hypot(*pts.T) <= 2.0 + 1e-12).all()


def test_layout_has_every_institution_and_is_the_same_every_time(presets):
    model = small(presets).runs[0].model
    a, b = build_layout(model), build_layout(model)
    assert set(a.institutions) == {"district", "party", "centre", "council"}
    assert np.array_equal(a.resident_xy, b.resident_xy) and np.array_equal(a.residents, b.residents)
    assert len(a.residents) == PER_GROUP * len(GROUPS)
    assert np.isfinite(a.resident_xy).all() and np.isfinite(a.unit_xy).all()
    assert (model.residents.group[a.residents] == a.resident_group).all()


def test_the_street_office_is_drawn_before_the_reform(presets):
    model = small(presets, "pre_reform_2009").runs[0].model
    assert "street_office" in build_layout(model).institutions


def test_the_layout_stays_cheap_at_100000_residents(presets):
    model = CommunityModel(load_scenario(presets["guiyang_2012"].path), rng=0, **{"population.residents": 100_000})
    t0 = time.perf_counter()
    layout = build_layout(model)
    network_chart([_Run(model)], [layout])
    assert time.perf_counter() - t0 < 1.0  # a spring layout of this many nodes takes minutes


class _Run:
    def __init__(self, model):
        self.model, self.label, self.history = model, "A: test", History()


# --- chart options ------------------------------------------------------------------------------


def test_thinning_keeps_first_and_last_and_at_most_the_limit():
    idx = thin(10_000)
    assert len(idx) <= MAX_POINTS and idx[0] == 0 and idx[-1] == 9_999
    assert thin(5).tolist() == list(range(5))
    pts = points(np.arange(1, 4), np.array([0.5, np.nan, 0.25]))
    assert pts == [[1, 0.5], [2, None], [3, 0.25]]


def test_satisfaction_colours_run_from_the_low_to_the_high_end():
    assert satisfaction_colour(0.0) == SATISFACTION_STOPS[0]
    assert satisfaction_colour(1.0) == SATISFACTION_STOPS[-1]
    assert satisfaction_colours(np.array([0.0, np.nan, 1.0]))[1] == SATISFACTION_STOPS[0]


def test_live_charts_have_a_panel_per_chart_and_series_per_configuration(presets):
    single, both = small(presets), small(presets, compare=True)
    for c in (single, both):
        c.step()
        c.step()
    n_series = sum(len(spec) for _, _, spec in CHARTS)
    one = live_charts(single.runs)
    two = live_charts(both.runs)
    assert len(one["grid"]) == len(CHART_KEYS) and len(one["series"]) == n_series
    assert len(two["series"]) == 2 * n_series
    assert {s["lineStyle"]["type"] for s in two["series"]} == {"solid", "dashed"}
    assert all(len(s["data"]) == 2 for s in one["series"])
    json.loads(encode(two))  # valid JSON, no NaN


def test_charts_follow_the_history(presets):
    c = small(presets)
    assert "graphic" in live_charts(c.runs)  # "Press Step" before the first step
    for _ in range(3):
        c.step()
    df = c.runs[0].model.timeseries()
    option = line_chart("satisfaction", c.runs)
    overall = option["series"][0]
    assert [p[1] for p in overall["data"]] == pytest.approx(df["satisfaction"].tolist(), abs=1e-4)
    staff = line_chart("staff_time", c.runs)
    intended = [s["markLine"]["data"][0]["yAxis"] for s in staff["series"]]
    assert sum(intended) == pytest.approx(1.0, abs=1e-3)


def test_the_network_view_names_each_node_once_and_links_existing_nodes(presets):
    for compare in (False, True):
        c = small(presets, "pre_reform_2009", compare=compare)
        c.step()
        series = network_chart(c.runs)["series"][0]
        names = [n["name"] for n in series["data"]]
        assert len(names) == len(set(names))
        assert all(0 <= link["source"] < len(names) and 0 <= link["target"] < len(names)
                   for link in series["links"])
        text = encode({"series": [series]})
        assert "NaN" not in text


def test_the_network_colours_residents_by_their_satisfaction(presets):
    c = small(presets)
    for _ in range(5):
        c.step()
    layout = build_layout(c.runs[0].model)
    series = network_chart(c.runs, [layout])["series"][0]
    residents = [n for n in series["data"] if "resident" in n["name"]]
    sat = c.runs[0].model.residents.satisfaction[layout.residents]
    assert [n["itemStyle"]["color"] for n in residents] == satisfaction_colours(sat)


def test_the_table_shows_the_latest_outcomes_and_the_difference(presets):
    c = small(presets, compare=True, seed=4)
    table = outcome_table(c.runs)
    assert 'data-day="0"' in table and "\u2013" in table
    c.step()
    table = outcome_table(c.runs)
    a, b = (run.model.outcomes for run in c.runs)
    for name in MAIN_OUTCOMES:
        assert f'data-run="0" data-outcome="{name}">{a[name]:.3f}<' in table
        assert f'data-run="diff" data-outcome="{name}">{b[name] - a[name]:+.3f}<' in table
    assert "seed 4" in table and "3,000 residents" in table


def test_encode_turns_nan_into_null():
    assert json.loads(encode({"a": [1.0, float("nan")], "b": float("inf")})) == {"a": [1.0, None], "b": None}


def test_history_grows_and_reads_back(presets):
    h = History(capacity=2)
    for i in range(5):
        h.append(dict.fromkeys(OUTCOME_NAMES, i / 10))
    assert len(h) == 5 and h.days.tolist() == [1, 2, 3, 4, 5]
    assert h["satisfaction"].tolist() == pytest.approx([0, 0.1, 0.2, 0.3, 0.4])
    assert h.latest("trust") == pytest.approx(0.4) and History().latest("trust") is None
    with pytest.raises(ValueError):
        h["satisfaction"][0] = 1.0
