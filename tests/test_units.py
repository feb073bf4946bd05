"""Stationed units decide: cost, recognition, the party channel, reciprocity."""

import numpy as np

from govsim import CommunityModel


def model(**over):
    return CommunityModel("guiyang_2012", rng=6, warmup=0, **{"population.scale": 10, **over})


def test_units_come_from_the_brief_density_with_their_kinds():
    m = model()
    assert m.stationed.community.size == round(0.94 * 30)
    assert np.all(m.stationed.resources > 0)
    assert 0 < m.stationed.propensity.mean() < 1


def test_sharing_is_a_propensity_not_a_ceiling():
    """Units that would rarely share on their own are drawn in by visits, the party channel and reciprocity."""
    m = model(**{"units.resource_sharing": 0.05, "structure.big_party_committee": True, "party.unit_contact": 0.2,
                 "units.party_bonus": 5.0, "units.recognition": 5.0})
    m.run(180)
    assert m.outcomes["unit_resources_mobilised"] > 0.3


def test_no_contact_no_units():
    m = model(**{"units.initiative": 0.0, "party.unit_contact": 0.0, "centre.role_emphasis.coordination": 0.0,
                 "centre.role_emphasis.service": 0.35})
    m.run(120)
    assert m.outcomes["unit_resources_mobilised"] == 0.0


def test_joint_activity_builds_reciprocity_that_fades_after():
    m = model()
    u = m.stationed
    u.until[:] = m.day + 100
    for d in range(30):
        u.remember(m.day + d)
    built = u.reciprocity.copy()
    assert np.all(built > 0)
    u.until[:] = 0
    u.remember(m.day + 200)
    assert np.all(u.reciprocity < built)


def test_each_unit_draws_the_same_numbers_whatever_the_day_brings():
    """Common random numbers: how many draws a day takes does not depend on who is visited or reached."""
    m = model()
    u, n = m.stationed, m.layout.n
    after = []
    for hours, party in ((0.0, False), (500.0, True)):
        rng = np.random.default_rng(3)
        u.decide(m.day, np.full(n, hours), np.ones(n), np.full(n, party), rng)
        after.append(rng.random())
    assert after[0] == after[1]
