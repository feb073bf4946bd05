"""The design registry: each kind's size is known before it is built, and large designs stream."""

from __future__ import annotations

import itertools
import time
import tracemalloc

import numpy as np
import pytest

from govsim.errors import InputError
from govsim.experiments import load_experiment
from govsim.experiments.designs import KINDS, simplex_count, simplex_points
from govsim.experiments.designs.factors import RangeFactor, SimplexFactor, ValuesFactor
from govsim.params import SCHEMA

from .conftest import SMALL, write

RANGES = '"centre.staff" = { low = 10, high = 40 }\n"centre.quality" = { low = 0.3, high = 0.9 }'


def test_every_kind_declares_its_name_settings_and_summary():
    assert set(KINDS) == {"grid", "lhs", "sobol", "morris"}
    for name, kind in KINDS.items():
        assert kind.name == name and kind.summary
        assert kind.sampled == (name != "grid")


@pytest.mark.parametrize("name, settings", [
    ("lhs", {"samples": 16}), ("sobol", {"samples": 8, "second_order": False}),
    ("sobol", {"samples": 8, "second_order": True}), ("morris", {"samples": 4, "levels": 4}),
])
def test_sampled_kinds_build_exactly_the_size_they_announce(name, settings):
    factors = (RangeFactor("centre.staff", low=10, high=40), RangeFactor("centre.quality", low=0.3, high=0.9))
    kind = KINDS[name]
    design = kind.build(factors, settings, seed=5)
    assert len(design) == kind.size(factors, settings)
    assert design.sample.shape == (len(design), 2)
    again = kind.build(factors, settings, seed=5)
    np.testing.assert_array_equal(design.sample, again.sample)


def test_grid_points_are_the_product_of_the_levels_in_order():
    factors = (ValuesFactor("centre.staff", values=(10, 20, 30)), RangeFactor("centre.quality", 0.2, 0.8, steps=3),
               ValuesFactor("centre.volunteer_team", values=(True, False)))
    grid = KINDS["grid"]
    design = grid.build(factors, {}, seed=0)
    assert len(design) == grid.size(factors, {}) == 18
    expected = [dict(a | b | c) for a, b, c in itertools.product(*(f.levels() for f in factors))]
    assert list(design.points()) == expected
    with pytest.raises(IndexError):
        design.point(18)


def test_a_grid_without_factors_has_one_empty_point():
    design = KINDS["grid"].build((), {}, seed=0)
    assert len(design) == 1 and design.point(0) == {}


@pytest.mark.parametrize("divisions, low", [(1, 0.0), (4, 0.0), (10, 0.0), (10, 0.1), (4, 0.25), (7, 0.2),
                                            (3, 0.34)])
def test_simplex_count_matches_the_points_and_every_point_is_on_the_simplex(divisions, low):
    keys = ("a", "b", "c")
    points = simplex_points(keys, divisions, low)
    assert simplex_count(3, divisions, low) == len(points)
    for p in points:
        assert sum(p.values()) == pytest.approx(1.0)
        assert min(p.values()) >= low - 1e-12
    assert len({tuple(p.values()) for p in points}) == len(points)
    factor = SimplexFactor("centre.role_emphasis", divisions=divisions, low=low)
    if points:
        assert factor.count() == len(factor.levels())


def _timed_refusal(tmp_path, name, text):
    path = write(tmp_path, name, text)
    tracemalloc.start()
    start = time.perf_counter()
    with pytest.raises(InputError) as info:
        load_experiment(path)
    seconds = time.perf_counter() - start
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return info.value, seconds, peak


def test_a_grid_of_10_to_the_8_points_is_refused_before_it_is_built(tmp_path):
    grid = "\n".join(f'"{k}" = {{ low = 0.0, high = 1.0, steps = 100 }}'
                     for k in ("centre.quality", "centre.training", "centre.motivation", "council.autonomy"))
    error, seconds, peak = _timed_refusal(tmp_path, "huge_grid", SMALL.replace('"centre.staff" = [20, 30]', grid))
    assert "100,000,000 points; at most 1,000,000" in str(error) and error.key == "parameters"
    assert seconds < 5 and peak < 50 * 2**20  # nothing of the size of the grid was made


def test_a_sobol_design_of_40_factors_is_refused_before_sampling(tmp_path):
    shares = [k for k, p in SCHEMA.items() if p.kind is float and p.low == 0.0 and p.high == 1.0]
    keys = [k for k in shares if "role_emphasis" not in k][:40]
    assert len(keys) == 40
    ranges = "\n".join(f'"{k}" = {{ low = 0.0, high = 0.5 }}' for k in keys)
    text = SMALL.replace('"centre.staff" = [20, 30]', ranges).replace(
        "[parameters]", '[design]\nkind = "sobol"\nsamples = 65536\nsecond_order = true\n\n[parameters]')
    error, seconds, peak = _timed_refusal(tmp_path, "huge_sobol", text)
    assert "the sobol design would have 5,373,952 points" in str(error) and error.key == "design"
    assert seconds < 5 and peak < 50 * 2**20


def test_too_many_scenarios_times_points_are_refused(tmp_path):
    text = SMALL.replace('"centre.staff" = [20, 30]', '"centre.quality" = { low = 0.0, high = 1.0, steps = 600000 }')
    with pytest.raises(InputError, match="2 scenarios x 600,000 design points = 1,200,000 configurations"):
        load_experiment(write(tmp_path, "many", text))


@pytest.mark.slow
def test_a_large_latin_hypercube_loads_in_memory_per_point_of_bytes_not_dictionaries(tmp_path):
    """Configurations are identities (8 bytes) and rebuilt on demand: memory grows by bytes per point."""

    def peak(samples: int) -> int:
        text = SMALL.replace('"centre.staff" = [20, 30]', RANGES).replace(
            "[parameters]", f'[design]\nkind = "lhs"\nsamples = {samples}\n\n[parameters]')
        path = write(tmp_path, f"lhs{samples}", text)
        tracemalloc.start()
        exp = load_experiment(path)
        _, high = tracemalloc.get_traced_memory()
        tracemalloc.stop()
        assert exp.n_configs == 2 * samples
        return high

    small, large = peak(2_000), peak(40_000)
    per_point = (large - small) / (2 * 38_000)
    assert per_point < 200, f"{per_point:.0f} bytes per configuration"  # a dict of 92 values is ~10,000


def test_configurations_are_rebuilt_on_demand_and_match_the_design(tmp_path):
    text = SMALL.replace('"centre.staff" = [20, 30]', RANGES).replace(
        "[parameters]", '[design]\nkind = "lhs"\nsamples = 5\n\n[parameters]')
    exp = load_experiment(write(tmp_path, "lhs", text))
    configs = list(exp.configurations())
    assert len(configs) == 10 and [c.index for c in configs] == list(range(10))
    for c in configs:
        scenario = [s.name for s in exp.scenarios].index(c.scenario)
        assert dict(c.values) == exp.values(scenario, c.point)
        assert exp.index_of([c.config_id])[0] == c.index
    assert exp.index_of(["0123456789abcdef"])[0] == -1
