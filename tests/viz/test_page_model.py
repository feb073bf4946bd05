"""The model the page drives: one run, or two stepped together with the same seed."""

from __future__ import annotations

import threading
import time

import mesa
import numpy as np
import pytest

from govsim.model import CommunityModel
from govsim.outcomes import OUTCOME_NAMES
from govsim.viz.controls import Setup, load_presets
from govsim.viz.page_model import PageModel
from govsim.viz.sessions import Session, SessionRegistry


@pytest.fixture(scope="module")
def presets():
    from pathlib import Path

    return load_presets(None, Path(__file__).resolve().parents[2] / "scenarios")


def setup_of(presets, a="guiyang_2012", b="article_remedies", residents=2000, seed=3):
    return Setup.initial(presets[a], presets[b]).with_value(0, "population.residents", residents).with_seed(seed)


def test_a_run_matches_the_model_run_directly(presets):
    s = setup_of(presets)
    c = PageModel(s)
    for _ in range(4):
        c.step()
    direct = CommunityModel(s.scenarios()[0], rng=s.seed).run(4).timeseries()
    h = c.runs[0].history
    for name in OUTCOME_NAMES:
        assert np.allclose(h[name], direct[name].to_numpy()), name
    assert c.day == 4 and c.steps == 4


def test_compare_mode_steps_both_with_the_same_seed(presets):
    c = PageModel(setup_of(presets).with_compare(True))
    assert [r.label for r in c.runs] == ["A: guiyang_2012", "B: article_remedies"]
    for _ in range(3):
        c.step()
    assert [len(r.history) for r in c.runs] == [3, 3]
    assert all(r.model.seed_sequence.entropy == 3 for r in c.runs)


def test_the_same_configuration_twice_gives_the_same_numbers(presets):
    c = PageModel(setup_of(presets, "article_remedies", "article_remedies").with_compare(True))
    for _ in range(3):
        c.step()
    a, b = (r.history for r in c.runs)
    assert all(np.array_equal(a[n], b[n]) for n in OUTCOME_NAMES)


def test_mesa_reset_can_pass_a_getter_of_the_setup(presets):
    s = setup_of(presets, seed=11)
    c = PageModel(lambda: s)
    assert c.setup == s and c.runs[0].model.seed_sequence.entropy == 11


def test_the_default_setup_comes_from_the_served_scenario(presets, monkeypatch, scenarios_dir):
    monkeypatch.setenv("GOVSIM_SCENARIOS", str(scenarios_dir))
    monkeypatch.setenv("GOVSIM_VIZ_SCENARIO", "pre_reform_2009")
    c = PageModel()
    assert isinstance(c, mesa.Model) and c.setup.configs[0].name == "pre_reform_2009"
    assert c.runs[0].label == "A: pre_reform_2009" and c.runs[0].model.street_office is not None


def test_a_closed_session_ends_the_play_loop_without_stepping(presets):
    session = Session("k")
    model = PageModel(setup_of(presets), session)
    model.step()
    session._close()
    model.step()
    assert model.day == 1 and model.running is False


def test_a_step_waits_while_the_session_has_no_connection_and_resumes_on_reconnect(presets):
    registry = SessionRegistry()
    registry.connection_opened("k")
    session = registry.admit("k")
    model = PageModel(setup_of(presets), session)
    registry.connection_closed("k")
    stepper = threading.Thread(target=model.step)
    stepper.start()
    # Paused: the step has not run while the thread is alive and waiting.
    deadline = time.monotonic() + 0.5
    while time.monotonic() < deadline:
        assert stepper.is_alive() and model.day == 0
    registry.connection_opened("k")
    stepper.join(10)
    assert not stepper.is_alive() and model.day == 1 and model.running
