"""The city: communities in districts, the staged rollout, the counterfactual, and the evaluation."""

import numpy as np
import pandas as pd
import pytest

from govsim import evaluation
from govsim.city import DISTRICTS, PILOTS, CityModel, city_layout, split_by_share
from govsim.errors import InputError
from govsim.scenario import load_scenario

SMALL = {"population.scale": 50}


@pytest.fixture(scope="module")
def pair():  # used only by tests marked slow
    """A small city (scale 50) with and without the reform, same seed, through the pilots' first year."""
    reform = CityModel("guiyang_city", rng=3, **SMALL).run(800)
    counterfactual = CityModel("guiyang_city_no_reform", rng=3, **SMALL).run(800)
    return reform, counterfactual


def test_split_by_share_is_exact():
    parts = split_by_share(90, np.array([18, 20, 12, 8, 10, 12, 10], dtype=float))
    assert parts.sum() == 90 and list(parts) == [18, 20, 12, 8, 10, 12, 10]


def test_communities_are_drawn_around_the_briefs_facts():
    v = dict(load_scenario("guiyang_city").values)
    lay = city_layout(v, np.random.default_rng(1))
    assert lay.n == 90 and len(set(lay.names)) == 90
    assert lay.residents.min() >= 20_000 and lay.residents.max() <= 73_552
    assert abs(lay.residents.mean() - 32_000) < 4_000
    assert lay.staff.sum() == 4230 and np.allclose(lay.group_shares.sum(axis=1), 1.0)
    assert list(np.bincount(lay.district)) == [k for _, k in DISTRICTS]


def test_a_city_needs_its_before_configuration():
    with pytest.raises(InputError, match="before"):
        CityModel("guiyang_2012", rng=1)


@pytest.mark.slow
def test_pilots_switch_first_and_nobody_switches_without_the_reform(pair):
    reform, counterfactual = pair
    communities = reform.communities()
    first = communities.loc[communities["switch_day"] == communities["switch_day"].min(), "district"]
    assert set(first) == set(PILOTS)
    cts = reform.community_timeseries()
    switched = cts.groupby("community", observed=True)["reformed"].any()
    assert set(switched[switched].index) == set(communities.loc[communities["district"].isin(PILOTS), "community"])
    assert not counterfactual.community_timeseries()["reformed"].any()
    assert (counterfactual.levels == 4).all()
    assert reform.staff.posts[reform.reformed].sum() == reform.after_posts[reform.reformed].sum()


@pytest.mark.slow
def test_the_same_random_numbers_until_the_reform(pair):
    reform, counterfactual = pair
    a, b = reform.community_timeseries(), counterfactual.community_timeseries()
    before = a["step"] < reform.switch_day.min()
    pd.testing.assert_frame_equal(a[before].drop(columns="reformed"), b[before].drop(columns="reformed"))


@pytest.mark.slow
def test_reformed_communities_diverge_at_their_switch(pair):
    reform, _ = pair
    communities = reform.communities()
    gap = evaluation.event_study(reform.community_timeseries(), communities, "welfare_days", months=6)
    assert abs(gap.loc[-3:-1]).max() < 2.0  # parallel before
    assert gap.loc[1:5].max() < -5.0  # two weeks become about two days


@pytest.mark.slow
def test_did_and_the_true_effect_are_reported_side_by_side(pair):
    reform, counterfactual = pair
    a, b, c = reform.community_timeseries(), counterfactual.community_timeseries(), reform.communities()
    for outcome in ("welfare_days", "upward_flow"):
        truth, estimate = evaluation.true_effect(a, b, c, outcome), evaluation.did(a, c, outcome)
        assert np.sign(truth) == np.sign(estimate)
    mean, low, high = evaluation.interval(np.array([1.0, 2.0, 3.0]))
    assert mean == 2.0 and low < 2.0 < high
    spread = evaluation.inequality(a)
    assert (spread["sd"] > 0).all() and (spread["min"] <= spread["max"]).all()
