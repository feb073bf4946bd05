"""Staff who choose: weights, allocation, motivation, skill and effort."""

import numpy as np
import pytest

from govsim import CommunityModel
from govsim.params import ORIGINS
from govsim.staff import ACTIVITIES, CONTROL, SERVICE, TASKS, water_fill


def model(**over):
    return CommunityModel("guiyang_2012", rng=1, warmup=0, **{"population.residents": 2000, **over})


def test_water_fill_gives_by_weight_caps_at_demand_and_passes_the_rest_on():
    hours = np.array([10.0])
    weights = np.array([[1.0, 1.0, 2.0]])
    demand = np.array([[1.0, np.inf, np.inf]])
    alloc = water_fill(hours, weights, demand)
    assert alloc.sum() == pytest.approx(10.0)
    assert alloc[0, 0] == pytest.approx(1.0)  # capped at its work
    assert alloc[0, 2] == pytest.approx(2 * alloc[0, 1])  # the rest by weight
    idle = water_fill(hours, weights, np.array([[1.0, 2.0, 3.0]]))
    assert idle.sum() == pytest.approx(6.0)  # no activity beyond its work: the rest stays unspent


def test_origins_and_training_set_skill():
    m = model(**{"centre.training": 0.0, "centre.quality": 0.6})
    s = m.staff
    newcomers = np.isin(s.origin, [ORIGINS.index("intern"), ORIGINS.index("part_time")])
    assert np.allclose(s.skill[~newcomers], 0.6)
    assert np.allclose(s.skill[newcomers], 0.6 - m.v["staff.newcomer_skill_gap"])
    trained = model(**{"centre.training": 1.0, "centre.quality": 0.6}).staff
    assert np.all(trained.skill > s.skill)


def test_part_time_residents_work_part_of_the_day_and_interns_all_of_it():
    m = model(**{"staff.part_time_hours": 0.4})
    s = m.staff
    part_time = s.origin == ORIGINS.index("part_time")
    assert part_time.any() and (s.origin == ORIGINS.index("intern")).any()
    assert np.allclose(s.member_hours[part_time], 0.4 * s.hours_per_day)
    assert np.allclose(s.member_hours[~part_time], s.hours_per_day)
    assert s.day_hours[0] == pytest.approx(s.member_hours.sum())
    # Posts moved from part-time residents to interns give the centre more hours to spend.
    interns = model(**{"staff.part_time_hours": 0.4, "centre.origin.intern": 0.2}).staff
    assert interns.day_hours[0] > s.day_hours[0]


def test_rewards_move_weights_the_way_principal_agent_theory_says():
    m = model()
    s, n = m.staff, m.layout.n
    emphasis, none, zero = m.emphasis, np.zeros(n), np.zeros(n)
    base = s.weights(emphasis, none, zero).mean(axis=0)
    borrowed = s.weights(emphasis, none, np.ones(n)).mean(axis=0)
    criticised = s.weights(emphasis, np.ones(n), zero).mean(axis=0)
    assert borrowed[CONTROL] > base[CONTROL] and borrowed[SERVICE] == base[SERVICE]
    assert criticised[TASKS] > base[TASKS]
    evaluated = model(**{"centre.performance_evaluation": True}).staff.weights(emphasis, none, zero).mean(axis=0)
    assert evaluated[SERVICE] > base[SERVICE]


def test_urgent_work_comes_first_and_no_activity_gets_more_than_its_work():
    m = model()
    n, a = m.layout.n, len(ACTIVITIES)
    urgent = np.zeros((n, a))
    urgent[:, TASKS] = 100.0
    demand = np.full((n, a), 1.0)
    demand[:, TASKS] = 120.0
    demand[:, CONTROL] = np.inf
    hours, skill = m.staff.allocate(m.emphasis, np.zeros(n), np.ones(n), urgent, demand)
    assert hours[0, TASKS] >= 100.0
    assert np.all(hours[0, [0, 1, 2, 3]] <= 1.0 + 1e-9)
    assert hours.sum() == pytest.approx(m.staff.day_hours[0])  # every hour the posts hold is spent
    assert np.all((skill > 0) & (skill < 2))


def test_motivation_follows_promotion_room_overload_and_tenure():
    s = model().staff
    calm, busy = s.motivation_target(np.array([0.0])), s.motivation_target(np.array([20.0]))
    assert np.all(busy < calm)
    roomy = model(**{"centre.promotion_room": 1.0}).staff  # the same staff (named streams), more room to rise
    assert np.all(roomy.motivation_target(np.array([0.0])) > calm)
    old = s.tenure > 10
    assert calm[old].mean() < calm[s.tenure < 1].mean()


def test_motivated_staff_work_harder():
    s = model().staff
    s.motivation[:] = 0.9
    keen = s.effort().copy()
    s.motivation[:] = 0.1
    assert np.all(keen > s.effort())
