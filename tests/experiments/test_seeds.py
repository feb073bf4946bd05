"""Seeds and identities, tested directly: reproducible, shared where they must be, distinct where not."""

from __future__ import annotations

import random

import numpy as np
import pytest

from govsim.experiments import seeds
from govsim.params import defaults

COMMON = {"steps": 40, "burn_in": 10, "record_every": 2, "outcomes": ("satisfaction", "trust")}


def test_replication_seeds_are_fixed_distinct_and_below_2_63():
    first = [seeds.replication_seed(7, r) for r in range(50)]
    assert first == [seeds.replication_seed(7, r) for r in range(50)]  # the same in any process
    assert len(set(first)) == 50
    assert all(0 <= s < 2**63 for s in first)
    assert seeds.replication_seed(8, 0) != first[0]  # another experiment seed, other numbers
    # Adding replications never changes the earlier ones: seed r depends on r alone.
    assert seeds.replication_seed(7, 3) == first[3]


def test_design_seed_differs_from_every_replication_seed():
    assert seeds.design_seed(7) not in {seeds.replication_seed(7, r) for r in range(100)}
    assert seeds.design_seed(7) == seeds.design_seed(7)


def test_fast_identities_equal_the_plain_ones_for_any_point():
    base = defaults()
    ids = seeds.ConfigIds("guiyang_2012", base, **COMMON)
    rng = random.Random(3)
    for _ in range(50):
        point = {"centre.staff": rng.randint(1, 1000), "centre.quality": rng.random(),
                 "centre.volunteer_team": rng.random() < 0.5}
        assert ids(point) == seeds.config_id("guiyang_2012", base | point, **COMMON)


def test_a_configuration_is_identified_by_its_values_not_how_they_were_set():
    base = defaults()
    shuffled = dict(reversed(list(base.items())))
    assert seeds.config_id("s", base, **COMMON) == seeds.config_id("s", shuffled, **COMMON)
    # The same values reached through the scenario or through a design point: one identity.
    via_point = seeds.ConfigIds("s", base | {"centre.staff": 30}, **COMMON)({})
    via_scenario = seeds.ConfigIds("s", base, **COMMON)({"centre.staff": 30})
    assert via_point == via_scenario


@pytest.mark.parametrize("change", [
    {"values": {"centre.staff": 24}}, {"values": {"centre.quality": 0.6000000000000001}},
    {"scenario": "other"}, {"steps": 41}, {"burn_in": 11}, {"record_every": 1}, {"outcomes": ("trust",)},
])
def test_anything_that_decides_the_numbers_changes_the_identity(change):
    base = defaults()
    settings = {"scenario": "s", **COMMON}
    changed = {**settings, **{k: v for k, v in change.items() if k != "values"}}
    before = seeds.config_id(settings.pop("scenario"), base, **settings)
    after = seeds.config_id(changed.pop("scenario"), base | change.get("values", {}), **changed)
    assert before != after


def test_run_ids_and_their_64_bit_numbers():
    config = seeds.config_id("s", defaults(), **COMMON)
    a, b = seeds.run_id(config, 0, 11), seeds.run_id(config, 1, 11)
    assert a != b and a == seeds.run_id(config, 0, 11)
    assert len(a) == 16 and int(a, 16) >= 0
    number = seeds.id_number(a)
    assert seeds.hex_id(number) == a
    assert np.uint64(number) == number  # fits the uint64 array an experiment keeps
