"""Service as a process: queues, levels, hand-offs, giving up, care under overload."""

import numpy as np
import pytest

from govsim import CommunityModel
from govsim.cases import COMMUNITY, DISTRICT, STREET_OFFICE, WELFARE, timeliness, worth
from govsim.clock import next_transfer


def model(scenario="guiyang_2012", **over):
    return CommunityModel(scenario, rng=3, warmup=0, **{"population.scale": 10, **over})


def test_files_wait_for_the_next_transfer_day():
    assert next_transfer(3, 1) == 4
    assert next_transfer(3, 7) == 7 and next_transfer(7, 7) == 14
    assert list(next_transfer(np.array([0, 6]), np.array([7, 7]))) == [7, 7]


def test_a_welfare_application_passes_every_level_that_must_approve_it():
    m = model("pre_reform_2009")
    m.cases.arrive(m.day, np.empty(0, dtype=np.int64), np.array([5]), m.levels, m.streams["x"])
    levels_seen = set()
    for _ in range(40):
        mine = m.cases.open["resident"] == 5
        mine &= m.cases.open["kind"] == WELFARE
        if mine.any():
            levels_seen.add(int(m.cases.open["level"][mine][0]))
        m.step()
    assert {COMMUNITY, STREET_OFFICE, DISTRICT} <= levels_seen


def test_the_extra_level_makes_decisions_slower():
    before = model("pre_reform_2009").run(120).timeseries()["welfare_days"].iloc[-30:].mean()
    after = model().run(120).timeseries()["welfare_days"].iloc[-30:].mean()
    assert before > 2 * after


def test_residents_give_up_at_the_rate_of_their_patience():
    m = model(**{"services.patience": 2.0})
    m.cases.arrive(m.day, np.arange(2500), np.empty(0, dtype=np.int64), m.levels, m.streams["x"])
    before = len(m.cases.open)
    m.cases.give_up(m.day, np.random.default_rng(1))
    assert (before - len(m.cases.open)) / before == pytest.approx(0.5, abs=0.05)


def test_overload_costs_care_and_waiting_costs_worth():
    m = model()
    cap = np.array([10.0])
    assert m.cases.care(cap, np.array([0.0]))[0] == 1.0
    assert m.cases.care(cap, np.array([10 * 5 * 4.0]))[0] == pytest.approx(max(0.25, m.v["services.rationing_floor"]))
    assert worth(1.0, 1.0) == 1.0 and worth(0.5, 1.0) > worth(0.5, 0.5)
    assert timeliness(np.array([0.0]), 7.0)[0] == 1.0 and timeliness(np.array([7.0]), 7.0)[0] == 0.5


def test_more_service_hours_meet_more_life_needs():
    few = model(**{"centre.staff": 10}).run(90).timeseries()["needs_met_life"].iloc[-30:].mean()
    many = model(**{"centre.staff": 60}).run(90).timeseries()["needs_met_life"].iloc[-30:].mean()
    assert many > few + 0.05


def test_the_waiting_work_kept_for_the_day_counts_cases_that_arrive_later_that_day():
    # The centre's morning count of waiting work is kept for serving later that day; a case that arrives in
    # between must be counted, not served from a stale count.
    m = model()
    m.run(5)
    backlog, intake = (x.copy() for x in m.cases.waiting_hours(m.day))
    none = np.empty(0, dtype=np.int64)
    m.cases.arrive(m.day, none, np.array([5, 6]), m.levels, m.streams["x"])
    later_backlog, later_intake = m.cases.waiting_hours(m.day)
    per_application = m.v["services.hours_welfare"] * m.layout.scale
    assert later_intake[0] == pytest.approx(intake[0] + 2 * per_application)
    assert later_backlog[0] == pytest.approx(backlog[0] + 2 * per_application)
