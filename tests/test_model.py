"""The model as a whole: outputs, determinism, common random numbers, scaling, the Python API."""

import json
import subprocess
import sys

import mesa
import networkx as nx
import numpy as np
import pandas as pd
import pytest

import govsim
from govsim import OUTCOME_NAMES, CommunityModel, load_scenario
from govsim.outcomes import OUTCOMES
from tests.conftest import ROOT, SCENARIOS

SMALL = {"population.residents": 3000}


def small(scenario="guiyang_2012", seed=1, steps=60, warmup=30, **over):
    config = load_scenario(SCENARIOS / f"{scenario}.toml", {**SMALL, **over})
    return CommunityModel(config, rng=seed, warmup=warmup).run(steps)


def test_timeseries_has_one_row_per_step_and_every_outcome_in_its_declared_range():
    df = small(steps=40).timeseries()
    assert list(df["step"]) == list(range(1, 41))
    assert list(df.columns) == ["step", *OUTCOME_NAMES]
    for o in OUTCOMES:
        values = df[o.name]
        assert not values.isna().any(), o.name
        assert (values >= o.low).all(), o.name
        if o.high is not None:
            assert (values <= o.high).all(), o.name


def test_same_seed_same_numbers_different_seed_different_numbers():
    a, b, c = small(seed=7).timeseries(), small(seed=7).timeseries(), small(seed=8).timeseries()
    pd.testing.assert_frame_equal(a, b)
    assert not a.equals(c)


@pytest.mark.slow
def test_same_numbers_in_another_process():
    code = ("import govsim, json; from tests.conftest import SCENARIOS;"
            "s = govsim.load_scenario(SCENARIOS / 'guiyang_2012.toml', {'population.residents': 3000});"
            "print(json.dumps(govsim.CommunityModel(s, rng=7, warmup=30).run(60).timeseries().to_dict('list')))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=str(ROOT))
    there = pd.DataFrame(json.loads(out.stdout))
    pd.testing.assert_frame_equal(small(seed=7).timeseries(), there, check_dtype=False)


def test_seed_forms_agree():
    by_int = small(seed=3, steps=10).timeseries()
    config = load_scenario(SCENARIOS / "guiyang_2012.toml", SMALL)
    by_sequence = CommunityModel(config, rng=np.random.SeedSequence(3), warmup=30).run(10).timeseries()
    pd.testing.assert_frame_equal(by_int, by_sequence)
    with pytest.raises(TypeError, match="rng must be"):
        CommunityModel(rng="three")


def test_no_global_random_state_is_used():
    np.random.seed(0)
    state = np.random.get_state()[1].copy()
    small(steps=5)
    assert np.array_equal(np.random.get_state()[1], state)


def test_common_random_numbers_across_scenarios():
    """Scenarios run with one seed build the same residents, network and units, and draw the same needs."""
    a = small("guiyang_2012", seed=5, steps=1, warmup=0)
    b = small("article_remedies", seed=5, steps=1, warmup=0)
    assert np.array_equal(a.network.src, b.network.src)
    assert np.array_equal(a.residents.volunteer_threshold, b.residents.volunteer_threshold)
    assert np.array_equal(a.stationed.resources, b.stationed.resources)
    assert a.streams["needs"].bit_generator.state == b.streams["needs"].bit_generator.state


def test_overrides_as_keywords_and_scenario_names():
    m = CommunityModel("guiyang_2012", rng=1, warmup=0, **{"centre.staff": 40, **SMALL})
    assert m.config.name == "guiyang_2012" and m.v["centre.staff"] == 40
    assert len(m.staff.community) == 40
    with pytest.raises(govsim.InputError, match=r"centre\.staf"):
        CommunityModel(rng=1, **{"centre.staf": 40})


def test_institutions_are_mesa_agents_with_labelled_numbers():
    m = small(steps=30)
    kinds = {type(a).__name__ for a in m.agents}
    assert {"ServiceCentre", "PartyCommittee", "ResidentsCouncil", "StationedUnit", "District"} <= kinds
    assert all(isinstance(a, mesa.Agent) for a in m.agents)
    split = m.centre.time_split
    assert list(split.index) == ["service", "coordination", "management"] and split.sum() == pytest.approx(1.0)
    assert set(m.centre.staff["origin"].unique()) <= {"street_office", "committee", "intern", "part_time"}
    assert len(m.units) == round(0.94 * 3000 / 1000) and {u.kind for u in m.units} <= {
        "enterprise", "school", "hospital", "agency"}
    assert isinstance(m.graph, nx.Graph) and m.graph.number_of_nodes() == 3000 == len(m.residents)
    one = m.residents[17]
    assert one.group in govsim.params.GROUPS and set(one.performance) == set(govsim.params.NEEDS)


def test_pre_reform_has_a_street_office_and_four_levels():
    m = small("pre_reform_2009", steps=1)
    assert m.street_office is not None and m.v["structure.levels"] == 4
    assert small(steps=1).street_office is None
    assert m.centre.label == "Residents' committees"


def test_population_scale_simulates_fewer_residents_for_the_same_community():
    m = CommunityModel("guiyang_2012", rng=1, warmup=0, **{"population.residents": 30000, "population.scale": 10})
    assert len(m.residents) == 3000
    assert len(m.staff.community) == m.v["centre.staff"]  # institutions unchanged
    assert len(m.units) == 28  # counted from the real residents


def test_a_tiny_community_runs():
    out = CommunityModel(rng=1, **{"population.residents": 50, "units.per_thousand": 0.0}).run(30).timeseries()
    assert (out["unit_resources_mobilised"] == 0).all()
    assert not out[["satisfaction", "downward_reach", "staff_time_management"]].isna().any().any()
    # Where nothing happened to measure (no welfare application in a month among 50 people) the value is NaN.
    assert out["welfare_days"].isna().any() or (out["welfare_days"] >= 0).all()


def test_warmup_days_are_not_recorded_but_do_happen():
    cold = CommunityModel("guiyang_2012", rng=2, warmup=0, **SMALL).run(5)
    warm = CommunityModel("guiyang_2012", rng=2, warmup=60, **SMALL).run(5)
    assert len(cold.timeseries()) == len(warm.timeseries()) == 5
    assert warm.day == 65 and cold.day == 5
    assert warm.timeseries()["upward_flow"].notna().all()  # a 30-day cohort exists after warm-up


def test_works_under_mesa_batch_run():
    rows = mesa.batch_run(CommunityModel, {"population.residents": [300], "centre.staff": [10, 30]},
                          number_processes=1, max_steps=5, display_progress=False, rng=[1])
    frame = pd.DataFrame(rows)
    assert set(frame["centre.staff"]) == {10, 30}
    assert "satisfaction" in frame.columns


def test_the_public_names_are_the_documented_ones():
    assert set(govsim.__all__) - {"__version__"} == set(govsim._PUBLIC)
    for name in govsim.__all__:
        assert getattr(govsim, name) is not None
