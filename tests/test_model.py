"""The model as a whole: outputs, determinism, common random numbers, the Python API."""

import json
import subprocess
import sys

import numpy as np
import pandas as pd
import pytest

import govsim
from govsim import OUTCOME_NAMES, CommunityModel, load_scenario

SMALL = {"population.residents": 3000}


def small(scenario="guiyang_2012", seed=1, steps=60, scenarios_dir=None, **over):
    from tests.conftest import SCENARIOS
    return CommunityModel(load_scenario(SCENARIOS / f"{scenario}.toml", {**SMALL, **over}), rng=seed).run(steps)


def test_timeseries_has_one_row_per_step_and_every_outcome_in_unit_interval():
    df = small(steps=40).timeseries()
    assert list(df["step"]) == list(range(1, 41))
    assert list(df.columns) == ["step", *OUTCOME_NAMES]
    values = df[list(OUTCOME_NAMES)]
    assert not values.isna().any().any()
    assert ((values >= 0) & (values <= 1)).all().all()


def test_required_outcome_columns():
    required = {"step", "satisfaction", "satisfaction_elderly", "satisfaction_disabled", "satisfaction_youth",
                "satisfaction_low_income", "satisfaction_ordinary", "needs_met", "downward_reach", "upward_flow",
                "council_effectiveness", "unit_resources_mobilised", "trust", "staff_time_service",
                "staff_time_coordination", "staff_time_management"}
    assert required <= set(small(steps=2).timeseries().columns)


def test_same_seed_same_numbers_different_seed_different_numbers():
    a, b, c = small(seed=7).timeseries(), small(seed=7).timeseries(), small(seed=8).timeseries()
    pd.testing.assert_frame_equal(a, b)
    assert not a.equals(c)


def test_same_numbers_in_another_process():
    code = ("import govsim, json; from tests.conftest import SCENARIOS;"
            "s = govsim.load_scenario(SCENARIOS / 'guiyang_2012.toml', {'population.residents': 3000});"
            "print(json.dumps(govsim.CommunityModel(s, rng=7).run(60).timeseries().to_dict('list')))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True,
                         cwd=str(__import__("tests.conftest").conftest.ROOT))
    there = pd.DataFrame(json.loads(out.stdout))
    here = small(seed=7).timeseries()
    pd.testing.assert_frame_equal(here, there, check_dtype=False)


def test_seed_forms_agree():
    by_int = small(seed=3, steps=10).timeseries()
    by_sequence = CommunityModel(rng=np.random.SeedSequence(3), **SMALL)
    assert by_sequence.seed_sequence.entropy == 3
    with pytest.raises(TypeError, match="rng must be"):
        CommunityModel(rng="three")
    assert len(by_int) == 10


def test_no_global_random_state_is_used():
    np.random.seed(0)
    state = np.random.get_state()[1].copy()
    small(steps=5)
    assert np.array_equal(np.random.get_state()[1], state)


def test_common_random_numbers_across_scenarios():
    """Scenarios run with one seed draw the same needs, conversations and services."""
    a = small("guiyang_2012", seed=5, steps=30)
    b = small("article_remedies", seed=5, steps=30)
    for stream in ("needs", "ties", "service", "voice", "thresholds", "network"):
        assert a.streams[stream].bit_generator.state == b.streams[stream].bit_generator.state, stream
    assert np.array_equal(a.network.src, b.network.src)
    assert np.array_equal(a.residents.volunteer_threshold, b.residents.volunteer_threshold)


def test_overrides_as_keywords_and_path_scenarios(scenarios_dir):
    m = CommunityModel(str(scenarios_dir / "guiyang_2012.toml"), rng=1, **{"centre.staff": 40, **SMALL})
    assert m.config.name == "guiyang_2012" and m.v["centre.staff"] == 40
    with pytest.raises(govsim.InputError, match="centre.staf"):
        CommunityModel(rng=1, **{"centre.staf": 40})


def test_institutions_are_mesa_agents_and_the_graph_is_networkx():
    import mesa
    import networkx as nx
    m = small(steps=1)
    kinds = {type(a).__name__ for a in m.agents}
    assert {"ServiceCentre", "PartyCommittee", "ResidentsCouncil", "ResidentUnit"} <= kinds
    assert all(isinstance(a, mesa.Agent) for a in m.agents)
    assert isinstance(m.graph, nx.Graph) and m.graph.number_of_nodes() == 3000
    assert len(m.residents) == 3000


def test_pre_reform_has_a_street_office_and_four_levels():
    m = small("pre_reform_2009", steps=1)
    assert m.street_office is not None and m.v["structure.levels"] == 4


def test_a_tiny_community_runs():
    df = CommunityModel(rng=1, **{"population.residents": 50, "units.count": 0}).run(30).timeseries()
    assert (df["unit_resources_mobilised"] == 0).all() and not df.isna().any().any()
