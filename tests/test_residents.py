"""Residents' rules on their own: needs, expectancy-disconfirmation, voice, talk, thresholds."""

import numpy as np
import pytest

from govsim import CommunityModel
from govsim.params import GROUPS, NEEDS
from govsim.residents import LIFE, VOICE, ResidentView


def residents(n=4000, seed=1, **overrides):
    return CommunityModel(rng=seed, warmup=0, **{"population.residents": n, **overrides}).residents


def test_groups_are_contiguous_blocks_with_exact_counts():
    r = residents(n=1000)
    assert r.sum_by_block(np.ones(r.n)).ravel().tolist() == [150, 60, 200, 50, 540]
    assert np.all(np.diff(r.group) >= 0)  # one community: groups in order


def test_needs_arise_at_their_rates():
    r = residents(n=20000)
    days = 200
    counts = np.zeros(len(NEEDS))
    for _ in range(days):
        counts += [len(x) for x in r.needs()]
    size = r.block_size.astype(float)
    expected = r.rate @ size * days
    assert np.all(np.abs(counts - expected) < 4 * np.sqrt(expected))  # Poisson counts: within 4 sd


def test_first_contact_sets_performance_then_memory_moves_it_and_expectations_adapt():
    r = residents(**{"residents.memory": 0.5, "residents.expectation_adaptation": 0.1})
    e0 = r.expectation[LIFE, 3]
    r.experience(LIFE, np.array([3]), np.array([0.8]))
    r.settle()
    assert r.seen[LIFE, 3] and r.performance[LIFE, 3] == pytest.approx(0.8)
    assert r.expectation[LIFE, 3] == pytest.approx(e0 + 0.1 * (0.8 - e0))
    r.experience(LIFE, np.array([3, 3]), np.array([0.0, 1.0]))  # two contacts in a day: their mean
    r.settle()
    assert r.performance[LIFE, 3] == pytest.approx(0.8 + 0.5 * (0.5 - 0.8))
    assert not r.seen[LIFE, 4]


def test_satisfaction_is_expectancy_disconfirmation_over_used_channels():
    r = residents(**{"residents.satisfaction_intercept": 0.1, "residents.satisfaction_performance": 0.5,
                     "residents.satisfaction_disconfirmation": 0.3})
    r.seen[:] = False
    r.seen[LIFE] = True
    r.performance[LIFE] = np.linspace(0, 1, r.n)
    r.expectation[LIFE] = 0.5
    r.rescore()
    s, has = r.satisfaction()
    p = r.performance[LIFE].astype(float)
    assert has.all()
    assert np.allclose(s, np.clip(0.1 + 0.5 * p + 0.3 * (p - 0.5), 0, 1), atol=1e-6)
    r.seen[:] = False
    r.rescore()
    assert not r.satisfaction()[1].any()
    assert np.isnan(r.satisfaction_by_block()[0]).all()


def test_satisfaction_can_approach_one_under_excellent_service():
    r = residents()
    for k in range(len(NEEDS)):
        for _ in range(20):
            r.experience(k, np.arange(r.n), np.ones(r.n))
            r.settle()
    s, has = r.satisfaction()
    assert s[has].mean() > 0.95


def test_rising_expectations_with_flat_service_lower_satisfaction():
    flat, rising = residents(), residents(**{"residents.expectation_growth": 0.01})
    for r in (flat, rising):
        r.experience(LIFE, np.arange(r.n), np.full(r.n, 0.6))
        r.settle()
        for _ in range(30):
            r.drift_expectations()
    assert rising.satisfaction()[0].mean() < flat.satisfaction()[0].mean() - 0.05


def test_answered_voice_raises_efficacy_ignored_voice_lowers_it():
    r = residents()
    e0 = r.efficacy[:10].copy()
    r.learn_efficacy(np.arange(5), 1.0)
    r.learn_efficacy(np.arange(5, 10), 0.0)
    assert np.all(r.efficacy[:5] > e0[:5]) and np.all(r.efficacy[5:10] < e0[5:10])
    r.experience(VOICE, np.arange(5), np.ones(5))
    r.settle()
    assert np.all(r.performance[VOICE, :5] == 1.0)


def test_bounded_confidence_talk_moves_close_neighbours_together_only():
    r = residents(**{"network.tolerance": 0.3, "network.convergence": 0.5})
    r.trust[:4] = [0.2, 0.4, 0.0, 0.9]
    r.talk(np.array([0, 2]), np.array([1, 3]))
    assert r.trust[0] == pytest.approx(0.3) and r.trust[1] == pytest.approx(0.3)
    assert r.trust[2] == 0.0 and r.trust[3] == pytest.approx(0.9)


def test_thresholds_follow_trust_and_what_the_council_is_worth():
    r = residents()
    r.trust[:] = 0.9
    r.efficacy[:] = 0.9
    r.decide_to_join(np.array([1.0]))
    keen = r.participant.mean()
    r.decide_to_join(np.array([0.1]))
    assert r.participant.mean() < keen
    r.trust[:] = 0.0
    r.decide_to_join(np.array([1.0]))
    assert r.volunteer.sum() == 0


def test_one_resident_and_all_of_them():
    r = residents(n=500)
    one = r[7]
    assert isinstance(one, ResidentView) and one.group in GROUPS and one.index == 7
    frame = r.frame()
    assert len(frame) == 500 and {"group", "satisfaction", "trust", "efficacy"} <= set(frame.columns)
    with pytest.raises(IndexError):
        r[500]


def test_running_satisfaction_sums_match_a_fresh_count():
    m = CommunityModel("guiyang_2012", rng=2, warmup=0, **{"population.scale": 10}).run(120)
    r = m.residents
    kept, count = (x.copy() for x in r.satisfaction_by_block())
    r.sat_sum[:] = 0.0
    r.has_count[:] = 0.0
    r.sat[:] = 0.0
    r.has[:] = False
    r.rescore()
    fresh, fresh_count = r.satisfaction_by_block()
    assert np.array_equal(count, fresh_count)
    assert np.allclose(kept, fresh, atol=1e-6, equal_nan=True)
