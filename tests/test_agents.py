"""The institutions' rules: centre, council, party committee, units, street office."""

import numpy as np
import pytest

from govsim import CommunityModel
from govsim.agents import MANAGEMENT, SERVICE, ResidentUnit, StreetOffice


def model(**overrides):
    return CommunityModel(rng=1, **{"population.residents": 2000, **overrides})


def test_centre_keeps_its_emphasis_when_nothing_pulls():
    m = model(**{"incentives.adaptation": 0.0})
    m.run(20)
    assert np.allclose(m.centre.time_split, m.centre.emphasis)


def test_measured_tasks_pull_staff_time_to_management():
    m = model(**{"district.task_pressure": 1.0, "centre.motivation": 0.3, "centre.performance_evaluation": False})
    m.run(200)
    split = m.centre.time_split
    assert split.sum() == pytest.approx(1.0)
    assert split[MANAGEMENT] > m.centre.emphasis[MANAGEMENT] + 0.1
    assert split[SERVICE] < m.centre.emphasis[SERVICE] - 0.05


def test_performance_evaluation_pulls_back_to_service():
    off = model(**{"district.task_pressure": 1.0}).run(200)
    on = model(**{"district.task_pressure": 1.0, "centre.performance_evaluation": True}).run(200)
    assert on.centre.time_split[SERVICE] > off.centre.time_split[SERVICE] + 0.05


def test_training_raises_skill_and_hours():
    untrained, trained = model(**{"centre.quality": 0.4}), model(**{"centre.quality": 0.4, "centre.training": 1.0})
    assert trained.centre.skill == pytest.approx(0.7)
    assert trained.centre.hours > untrained.centre.hours


def test_council_cannot_work_when_management_dominates_under_two_signs():
    m = model(**{"structure.two_signs_one_team": True, "centre.role_emphasis.service": 0.1,
                 "centre.role_emphasis.coordination": 0.1, "centre.role_emphasis.management": 0.8})
    m.run(50)
    assert m.council.dominance >= 1.0 and m.council.effectiveness == 0.0


def test_council_effectiveness_scales_with_autonomy():
    low = model(**{"council.autonomy": 0.3}).run(100)
    high = model(**{"council.autonomy": 0.9}).run(100)
    assert high.council.effectiveness > low.council.effectiveness > 0


def test_units_engage_toward_their_willingness():
    m = model(**{"units.resource_sharing": 0.5, "units.adaptation": 1.0})
    m.run(1)
    reach = 1 - np.exp(-m.liaison_hours_per_unit / m.v["units.contact_hours"])
    assert all(u.engagement == pytest.approx(0.5 * reach) for u in m.units)


def test_big_party_committee_opens_a_channel_to_units():
    off = model(**{"centre.role_emphasis.coordination": 0.0, "centre.role_emphasis.management": 0.6}).run(100)
    on = model(**{"centre.role_emphasis.coordination": 0.0, "centre.role_emphasis.management": 0.6,
                  "structure.big_party_committee": True}).run(100)
    assert off.outcomes["unit_resources_mobilised"] == 0.0
    assert on.outcomes["unit_resources_mobilised"] > 0.05


def test_units_of_each_kind_with_resources():
    m = model(**{"units.count": 40})
    kinds = [u.kind for u in m.units]
    assert len(kinds) == 40 and kinds.count("school") == 6 and kinds.count("hospital") == 4
    assert all(u.resources > 0 and u.label for u in m.units)
    assert len(m.agents_by_type[ResidentUnit]) == 40


def test_street_office_only_before_the_reform():
    assert model().street_office is None
    pre = model(**{"structure.levels": 4})
    assert isinstance(pre.street_office, StreetOffice)
    assert pre.centre.label == "Residents' committees"
    pre.step()
    assert pre.task_load == pytest.approx(pre.v["district.task_pressure"] + pre.v["district.street_office_load"])


def test_more_levels_lose_more_of_each_opinion():
    three, four = model(), model(**{"structure.levels": 4})
    assert four.daily_supply().p_opinion_kept == pytest.approx(three.daily_supply().p_opinion_kept * 0.7)
