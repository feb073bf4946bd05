"""Each residents' rule on its own, with the supply set by hand."""

import dataclasses

import numpy as np
import pytest

from govsim import CommunityModel
from govsim.params import GROUPS, NEEDS
from govsim.residents import DailySupply, ResidentView

SUPPLY = DailySupply(p_informed=0.0, care_hours=0.0, unit_life_hours=0.0, unit_welfare_hours=0.0,
                     opinion_capacity=0.0, p_opinion_kept=1.0, p_answer=1.0, service_quality=0.8,
                     volunteer_weight=1.0, volunteer_hours=0.0, council_pull=1.0)


def residents(n=4000, seed=1, **overrides):
    return CommunityModel(rng=seed, **{"population.residents": n, **overrides}).residents


def test_satisfaction_is_expectancy_disconfirmation():
    r = residents(**{"residents.satisfaction_intercept": 0.1, "residents.satisfaction_performance": 0.5,
                     "residents.satisfaction_disconfirmation": 0.3})
    r.performance[:] = np.linspace(0, 1, r.n)
    r.expectation[:] = 0.5
    r._update_satisfaction()
    p = r.performance.astype(float)
    assert np.allclose(r.satisfaction, np.clip(0.1 + 0.5 * p + 0.3 * (p - 0.5), 0, 1), atol=1e-6)


def test_experience_moves_performance_of_those_with_contacts_and_expectations_adapt():
    r = residents(**{"residents.memory": 0.5, "residents.expectation_adaptation": 0.1})
    p0, e0 = r.performance.copy(), r.expectation.copy()
    who = np.array([3, 3, 7])
    r._experience(who, np.array([1.0, 0.0, 1.0], dtype=np.float32))
    assert r.performance[3] == pytest.approx(p0[3] + 0.5 * (0.5 - p0[3]))  # mean of its two contacts
    assert r.performance[7] == pytest.approx(p0[7] + 0.5 * (1.0 - p0[7]))
    untouched = np.setdiff1d(np.arange(r.n), who)
    assert np.array_equal(r.performance[untouched], p0[untouched])
    assert np.allclose(r.expectation, e0 + 0.1 * (r.performance - e0), atol=1e-6)
    assert not r._score_total.any() and not r._score_count.any()  # scratch buffers cleared


def test_rising_expectations_with_flat_service_lower_satisfaction():
    flat, rising = residents(), residents(**{"residents.expectation_growth": 0.01})
    for r in (flat, rising):
        for _ in range(30):
            r._experience(np.empty(0, dtype=np.intp), np.empty(0, dtype=np.float32))
    assert rising.satisfaction.mean() < flat.satisfaction.mean() - 0.05


def test_needs_arise_at_their_rates():
    r = residents(n=20000)
    days = 200
    counts = np.zeros(len(NEEDS))
    for _ in range(days):
        counts += [len(x) for x in r._needs()]
    expected = r.need_rate @ r.group_size * days
    assert np.allclose(counts, expected, rtol=0.05)


def test_needs_fall_on_the_right_group():
    r = residents(n=20000, **{"needs.youth.welfare": 0.0, "needs.ordinary.welfare": 0.0})
    welfare = np.concatenate([r._needs()[NEEDS.index("welfare")] for _ in range(50)])
    assert welfare.size > 0
    assert not np.isin(r.group[welfare], [GROUPS.index("youth"), GROUPS.index("ordinary")]).any()


def test_service_follows_hours_available():
    r = residents()
    life, welfare = np.arange(0, 200), np.arange(200, 300)
    none = r._serve(life, welfare, SUPPLY)
    assert not none[0].any() and not none[1].any()
    plenty = r._serve(life, welfare, dataclasses.replace(SUPPLY, care_hours=1e6))
    assert plenty[0].all() and plenty[1].all()
    half = r._serve(life, welfare, dataclasses.replace(SUPPLY, unit_life_hours=100 * r.v["services.hours_life"]))
    assert 0.35 < half[0].mean() < 0.65 and not half[1].any()  # units' venues serve life needs only


def test_voice_answered_raises_efficacy_ignored_lowers_it():
    r = residents()
    wants = np.arange(100)
    r.efficacy[:] = 0.5
    answered = dataclasses.replace(SUPPLY, opinion_capacity=1e9)
    r.efficacy[:100] = 1.0  # all voice
    voiced, heard, ans = r._voice(wants, answered)
    assert voiced.all() and ans.all() and np.all(r.efficacy[:100] == 1.0)
    voiced, heard, ans = r._voice(wants, dataclasses.replace(answered, p_answer=0.0))
    assert not ans.any() and np.all(r.efficacy[:100] < 1.0)
    r.efficacy[:100] = 0.0  # neglect: nobody voices
    assert not r._voice(wants, answered)[0].any()


def test_information_reaches_and_goes_stale():
    r = residents(**{"information.forgetting": 0.1, "network.mean_degree": 0})
    r.day = 1
    r._spread_information(dataclasses.replace(SUPPLY, p_informed=1.0), *r._active_ties())
    assert r.informed.all()
    kept = r.informed_until - r.day
    assert kept.mean() == pytest.approx(10, rel=0.1)  # geometric, mean 1 / forgetting


def test_word_of_mouth_spreads_policy_along_ties():
    r = residents(**{"information.word_of_mouth": 1.0, "network.active_ties": 1.0})
    r.day = 1
    r.informed_until[:] = 0
    r.informed_until[:200] = 100
    r._spread_information(SUPPLY, *r._active_ties())
    assert r.informed.sum() > 400


def test_bounded_confidence_brings_neighbours_closer_without_overshooting():
    r = residents(**{"residents.trust_learning": 0.0, "network.tolerance": 1.0, "network.active_ties": 1.0})
    r.trust[:] = np.random.default_rng(0).uniform(0.3, 0.7, r.n)
    mean, spread = r.trust.mean(dtype=float), r.trust.std()
    r._talk(*r._active_ties())
    assert 0.3 <= r.trust.min() and r.trust.max() <= 0.7  # each moves toward the mean of its partners
    assert r.trust.std() < 0.9 * spread
    assert r.trust.mean(dtype=float) == pytest.approx(mean, abs=0.005)


def test_bounded_confidence_ignores_distant_opinions():
    r = residents(**{"residents.trust_learning": 0.0, "network.tolerance": 0.1, "network.active_ties": 1.0})
    r.trust[:] = np.where(np.arange(r.n) % 2, 0.9, 0.1)  # every tie joins alike or far-apart residents
    before = r.trust.copy()
    r._talk(*r._active_ties())
    assert np.array_equal(r.trust, before)


def test_threshold_decisions():
    r = residents(**{"residents.volunteer_propensity": 0.0})
    r._decide_to_join(SUPPLY)
    assert not r.volunteer.any()
    r = residents(**{"residents.volunteer_propensity": 1.0, "residents.participation_propensity": 1.0})
    r.trust[:] = 1.0
    r.efficacy[:] = 1.0
    r._decide_to_join(SUPPLY)
    assert r.volunteer.all() and r.participant.all()
    r._decide_to_join(dataclasses.replace(SUPPLY, council_pull=0.0))  # a council with no room: nobody goes
    assert not r.participant.any()


def test_one_resident_can_be_inspected():
    r = residents(n=300)
    view = r[5]
    assert isinstance(view, ResidentView) and view.index == 5 and view.group in GROUPS
    assert view.ties == int(r.network.degree()[5])
    assert r[-1].index == 299
    with pytest.raises(IndexError):
        r[300]
    frame = r.frame()
    assert len(frame) == 300 and frame.loc[5, "satisfaction"] == pytest.approx(view.satisfaction)


def test_groups_have_exact_sizes():
    r = residents(n=1000)
    sizes = dict(zip(GROUPS, np.bincount(r.group, minlength=5), strict=True))
    assert sizes["elderly"] == 150 and sizes["disabled"] == 60 and sizes["low_income"] == 50
    assert sum(sizes.values()) == 1000
