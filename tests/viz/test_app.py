"""The page's wiring, rendered by Solara in this process (no browser): Step, Reset, presets, seed, compare.

The end-to-end tests in test_browser.py drive the same page in Chromium; these
check the logic behind it quickly and precisely.
"""

from __future__ import annotations

import gc

import ipyvuetify as v
import pytest

from govsim.model import CommunityModel
from govsim.scenario import load_scenario
from govsim.viz.controls import ROLE_KEYS
from govsim.viz.echarts import EChartsWidget
from govsim.viz.line_charts import LINE_CHARTS
from govsim.viz.page_model import PageModel
from govsim.viz.sessions import SESSIONS, Limits
from govsim.viz.styles import has_cjk

from .rendering import SMALL, texts


def test_the_page_shows_controls_charts_and_table(open_page):
    with open_page() as tab:
        assert tab.day() == 0
        assert len(tab.all(EChartsWidget)) == 1 + len(LINE_CHARTS)  # the network view, a chart per panel
        for key in ROLE_KEYS:
            assert float(tab.value(key)) > 0
        assert not tab.pending()


@pytest.mark.slow
def test_step_advances_the_model_and_the_charts(open_page):
    with open_page() as tab:
        before = [w.option_json for w in tab.all(EChartsWidget)]
        tab.click("Step")
        tab.click("Step")
        assert tab.day() == 2
        charts = tab.all(EChartsWidget)
        assert [w.option_version for w in charts] == [2] * (1 + len(LINE_CHARTS))
        assert all(w.option_json != b for w, b in zip(charts, before, strict=True))


@pytest.mark.slow
def test_each_tab_has_its_own_model(open_page):
    first, second = open_page(), open_page()
    with first:
        first.click("Step")
    with second:
        assert second.day() == 0
        second.type("Seed", "5")
        second.click("Reset")
    with first:
        assert first.day() == 1 and "seed 0" in first.table()


@pytest.mark.slow
def test_reset_with_a_typed_seed_reproduces_the_model(open_page, scenarios_dir):
    with open_page() as tab:
        tab.type("Residents", SMALL)
        tab.type("Seed", "7")
        assert tab.pending()
        tab.click("Reset")
        assert not tab.pending()
        tab.click("Step")
        expected = CommunityModel(load_scenario(scenarios_dir / "guiyang_2012.toml"), rng=7,
                                  **{"population.residents": int(SMALL)})
        expected.step()
        assert "seed 7" in tab.table()
        assert f'data-outcome="satisfaction">{expected.outcomes["satisfaction"]:.3f}<' in tab.table()


@pytest.mark.slow
def test_a_seed_that_is_not_a_number_is_refused(open_page):
    with open_page() as tab:
        tab.type("Seed", "forty-two")
        field = tab.field("Seed")
        assert field.error and "whole number" in str(field.messages)
        tab.click("Reset")
        assert "seed 0" in tab.table()


@pytest.mark.slow
def test_picking_a_preset_changes_the_controls(open_page):
    with open_page() as tab:
        assert tab.value("centre.training") == "0.00"
        (select,) = [s for s in tab.all(v.Select) if s.label == "Preset of configuration A"]
        select.v_model = "article_remedies"
        assert tab.value("centre.training") == "1.00"
        (switch,) = tab.inside(tab.control("centre.performance_evaluation"), v.Switch)
        assert switch.label.endswith(": on")
        assert tab.pending()
        tab.type("Residents", SMALL)
        tab.click("Reset")
        assert not tab.pending()
        tab.click("Step")
        assert "A: article_remedies" in tab.table()


def test_moving_one_role_share_keeps_the_three_on_the_simplex(open_page):
    with open_page() as tab:
        (slider,) = tab.inside(tab.control(ROLE_KEYS[0]), v.Slider)
        slider.v_model = 0.5
        values = [float(tab.value(k)) for k in ROLE_KEYS]
        assert values[0] == 0.5 and sum(values) == pytest.approx(1.0, abs=0.011)


@pytest.mark.slow
def test_compare_mode_runs_both_configurations(open_page):
    with open_page() as tab:
        (switch,) = [s for s in tab.all(v.Switch) if s.label == "Compare two configurations"]
        switch.v_model = True
        tab.type("Residents", SMALL)
        tab.click("Reset")
        tab.click("Step")
        table = tab.table()
        assert "A: guiyang_2012" in table and "B: article_remedies" in table
        assert 'data-run="diff"' in table


def test_mesa_parts_that_mean_nothing_here_are_not_on_the_page(open_page):
    with open_page() as tab:
        shown = texts(tab)
        assert "Reset" in shown and "Step" in shown and "Play interval" in shown
        assert "Page 0" not in shown and "Use Threads" not in shown and "Model Parameters" not in shown
        assert not tab.all(v.Tabs)
        assert not has_cjk(shown)  # the page ships no font for Chinese


@pytest.mark.slow
def test_closing_a_tab_frees_its_session_and_ends_its_play_loop(open_page):
    """Whether the model's memory comes back is measured on a real server (test_browser_sessions.py):
    in this process Solara's widgets are global, so they outlive the page that made them."""
    first, second = open_page(), open_page()
    assert len(SESSIONS) == 2
    with first:
        first.click("Step")
    kernel = first.ctx.id
    (model,) = [o for o in gc.get_objects() if isinstance(o, PageModel) and o.session.kernel_id == kernel]
    first.close()
    assert len(SESSIONS) == 1 and model.session.closed
    model.step()
    assert model.running is False and model.day == 1
    with second:
        second.click("Step")
        assert second.day() == 1


@pytest.mark.slow
def test_a_tab_over_the_session_cap_is_told_the_server_is_full(open_page):
    SESSIONS.configure(Limits(max_sessions=1), None)
    first, second = open_page(), open_page()
    with second:
        assert "This classroom server is full" in texts(second) and not second.all(EChartsWidget)
    first.close()
    third = open_page()
    with third:
        assert third.day() == 0


def test_the_residents_cap_is_shown_and_enforced(open_page):
    SESSIONS.configure(Limits(max_residents=5_000), None)
    with open_page() as tab:
        assert "5,000 residents per community" in texts(tab)
        assert "5,000 residents" in tab.table()  # the preset's 30,000 brought down to the cap
        tab.type("Residents", "6000")
        assert "at most 5,000 residents" in str(tab.field("Residents").messages)


@pytest.mark.slow
def test_a_broken_preset_file_is_named_on_the_page(open_page, tmp_path, scenarios_dir):
    (tmp_path / "guiyang_2012.toml").write_text((scenarios_dir / "guiyang_2012.toml").read_text())
    (tmp_path / "draft.toml").write_text("[centre\n")
    with open_page(scenarios=tmp_path) as tab:
        (note,) = tab.all(css="govsim-left-out")
        assert "draft.toml" in note.children[0] and "not valid TOML" in note.children[0]
        tab.click("Step")
        assert tab.day() == 1
