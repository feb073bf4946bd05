"""Policy down and concerns up, measured on the same footing."""

import numpy as np
import pytest

from govsim import CommunityModel
from govsim.concerns import INBOX, LOST, OFFICE, UP


def model(scenario="guiyang_2012", **over):
    return CommunityModel(scenario, rng=4, warmup=0, **{"population.scale": 10, **over})


def test_a_concern_kept_to_oneself_never_reaches_anyone():
    m = model(**{"residents.initial_efficacy": 0.0})
    m.residents.efficacy[:] = 0.0
    m.run(70)
    t = m.tally
    assert t.window("voiced", m.day, 60).sum() == 0
    assert m.outcomes["upward_flow"] == 0.0 and m.outcomes["voice"] == 0.0


def test_voiced_concerns_wait_in_the_inbox_and_council_members_hear_of_some():
    m = model()
    m.residents.efficacy[:400] = 1.0
    m.concerns.arise(m.day, np.arange(400), np.array([0.5]), np.random.default_rng(1))
    o = m.concerns.open
    assert set(np.unique(o["stage"])) == {INBOX}
    assert np.mean(o["council"]) == pytest.approx(0.5, abs=0.1)


def test_the_street_office_passes_up_only_part_of_what_it_gets():
    m = model("pre_reform_2009", **{"street_office.upward_relay": 0.3, "information.fidelity_up": 1.0})
    c = m.concerns
    c.open.append(resident=np.arange(2000), community=0, created=m.day, stage=OFFICE, ready=m.day, reached=False,
                  council=False)
    c.relay_at_street_office(m.day, 7, np.random.default_rng(2))
    up = np.mean(c.open["stage"] == UP)
    assert up == pytest.approx(0.3, abs=0.04) and np.all(np.isin(c.open["stage"], [UP, LOST]))


def test_upward_flow_counts_a_cohort_of_concerns_30_days_on():
    m = model().run(90)
    t, day = m.tally, m.day
    expected = t.window("reached", day - 30, 30).sum() / t.window("arose", day - 30, 30).sum()
    assert m.outcomes["upward_flow"] == pytest.approx(expected)


def test_policy_reaches_residents_through_publicity_party_and_word_of_mouth():
    m = model().run(60)
    assert 0.5 < m.outcomes["downward_reach"] <= 1.0
    silent = model(**{"information.notice_reach": 0.0, "party.relay": 0.0, "information.word_of_mouth": 0.0}).run(60)
    assert silent.outcomes["downward_reach"] == 0.0


def test_every_link_costs_fidelity():
    three, four = model(), model("pre_reform_2009")
    assert three.policies.fidelity(three.levels)[0] > four.policies.fidelity(four.levels)[0]
    assert three.policies.fidelity(three.levels)[0] == pytest.approx(three.v["information.fidelity_down"] ** 2)
