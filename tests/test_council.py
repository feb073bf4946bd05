"""The residents' council: seats, control of the agenda, quorum, binding resolutions."""

import numpy as np
import pytest

from govsim import CommunityModel


def model(**over):
    return CommunityModel("guiyang_2012", rng=5, warmup=0, **{"population.scale": 10, **over})


def test_control_is_graded_and_never_total():
    m = model()
    c = m.deliberation
    c.set_control(np.array([1.0]), np.array([1.0]))
    assert 0.5 < c.control[0] < 1.0
    c.set_control(np.array([0.2]), np.array([0.0]))
    assert 0.0 < c.control[0] < 0.2
    assert np.all(c.residents_share(np.array([0.6])) > 0)


def test_seats_fill_from_residents_who_take_part_at_any_scale():
    for scale in (1, 10):
        m = CommunityModel("guiyang_2012", rng=5, warmup=60, **{"population.scale": scale})
        assert m.deliberation.filled()[0] == m.v["council.seats"]
        r = m.residents
        assert np.all(r.participant[r.council_member])


def test_without_a_quorum_no_resolution_is_adopted():
    m = model(**{"council.quorum": 1.0})
    m.residents.trust[:] = 0.0
    m.residents.efficacy[:] = 0.0
    m.run(61)
    assert m.outcomes["council_effectiveness"] == 0.0


def test_resolutions_bind_service_hours():
    m = model(**{"council.autonomy": 1.0, "structure.two_signs_one_team": False}).run(65)
    assert m.deliberation.bound_hours(m.day)[0] > 0
    n = len(m.deliberation.resolutions["community"])
    assert m.deliberation.bound_hours(m.day)[0] == pytest.approx(
        np.sum(m.deliberation.resolutions["until"] > m.day) * m.v["council.steer_hours"]) and n > 0


def test_autonomy_and_separate_teams_let_the_council_work():
    weak = model().run(180).timeseries()["council_effectiveness"].iloc[-90:].mean()
    strong = model(**{"council.autonomy": 0.9, "structure.two_signs_one_team": False}).run(180)
    assert strong.timeseries()["council_effectiveness"].iloc[-90:].mean() > weak + 0.1
