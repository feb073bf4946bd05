"""What the page reads from a model beyond its outcomes, checked against the model's own records."""

from __future__ import annotations

import numpy as np
import pytest

from govsim.city import CityModel
from govsim.params import GROUPS, ORIGINS
from govsim.viz import community_state as state


@pytest.fixture(scope="module")
def played(request):
    """A small guiyang_2012 community after 40 days, and a pre-reform one."""
    from govsim.model import CommunityModel

    root = request.config.rootpath / "scenarios"
    after = CommunityModel(root / "guiyang_2012.toml", rng=2, **{"population.residents": 4000}).run(40)
    before = CommunityModel(root / "pre_reform_2009.toml", rng=2, **{"population.residents": 4000}).run(40)
    return after, before


@pytest.fixture(scope="module")
def city():
    return CityModel("guiyang_city", rng=3, **{"population.scale": 100, "city.pilot_day": 2}).run(4)


def test_institutions_follow_the_structure(played):
    after, before = played
    a, b = state.institutions(after), state.institutions(before)
    assert not a.street_office and a.street_office_posts == 0 and a.centre_label == "Service centre"
    assert b.street_office and b.street_office_posts == before.street_office.posts > 0
    assert b.centre_label == "Residents' committees"
    assert a.staff == len(after.centre.staff) and sum(a.time_split) == pytest.approx(1.0)
    assert state.intended_split(after) == pytest.approx(after.centre.emphasis.to_dict())


def test_staff_are_the_centres_members(played):
    after, _ = played
    members = state.staff(after)
    frame = after.centre.staff
    assert len(members) == len(frame)
    assert np.allclose(members.motivation, frame["motivation"]) and np.allclose(members.skill, frame["skill"])
    assert list(members.origin) == [str(o) for o in frame["origin"]] and set(members.origin) <= set(ORIGINS)


def test_queues_count_every_open_case_and_concern_in_real_residents(played):
    for model in played:
        q = state.queues(model)
        k = model.layout.scale
        assert sum(q.life) + sum(q.welfare) == len(model.cases.open) * k
        assert (q.concerns_inbox + q.concerns_council + q.concerns_street_office + q.concerns_district
                + q.concerns_lost) == len(model.concerns.open) * k
        assert q.tasks_centre + q.tasks_relayed == len(model.tasks.open)
        assert q.life[2] == 0  # life services are never decided by the district
    after, before = played
    assert state.queues(after).welfare[1] == 0 and state.queues(after).life[1] == 0  # no street office to wait at
    assert state.queues(before).welfare[1] + state.queues(before).life[1] > 0  # files the street office reviews


def test_the_agenda_adds_up_and_counts_the_resolutions_in_force(played):
    for model in played:
        a = state.agenda(model)
        assert a.centre_and_party + a.residents + a.other == pytest.approx(1.0)
        assert a.centre_and_party == pytest.approx(model.council.control)
        assert a.resolutions == int((model.deliberation.resolutions["until"] > model.day).sum())
        assert a.bound_hours == pytest.approx(a.resolutions * model.v["council.steer_hours"])
        assert a.members == model.council.members and a.seats == model.v["council.seats"]


@pytest.mark.slow
def test_residents_and_units_of_one_community_of_a_city(city):
    c = int(np.flatnonzero(city.reformed)[0])  # a pilot community, reformed on day 2
    inst = state.institutions(city, c)
    assert inst.name == city.layout.names[c] and not inst.street_office
    assert inst.staff == len(city.centres[c].staff) == int(city.after_posts[c])
    groups = state.resident_groups(city, c)
    assert groups.size == state.simulated_residents(city, c) == int(city.layout.agents[c])
    sample = state.residents(city, np.arange(5), c)
    first = int(np.flatnonzero(city.residents.community == c)[0])
    assert np.allclose(sample.trust, city.residents.trust[first:first + 5])
    assert sample.group_mean_satisfaction == pytest.approx(
        [city.community_outcomes[f"satisfaction_{g}"][c] for g in GROUPS], nan_ok=True)
    kinds = state.unit_kinds(city, c)
    assert len(kinds) == int((city.stationed.community == c).sum())
    units = state.units(city, range(len(kinds)), c)
    assert [u.kind for u in units] == kinds
    other = int(np.flatnonzero(~city.reformed)[0])
    assert state.institutions(city, other).street_office
    assert sum(state.queues(city, c).cases) + sum(state.queues(city, other).cases) <= len(city.cases.open) * 100
