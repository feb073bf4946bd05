"""The rollout's timeline and the city's chart and numbers, drawn from a played city."""

from __future__ import annotations

import json
import re

import pytest

from govsim.outcomes import MAIN_OUTCOMES
from govsim.viz.city_chart import city_chart_option, city_table
from govsim.viz.city_page_model import CityPageModel
from govsim.viz.city_setup import CitySetup
from govsim.viz.city_timeline import timeline_html, years
from govsim.viz.echarts import encode

from .conftest import played_city


@pytest.fixture(scope="module")
def played(fast_city):
    return played_city(fast_city, days=11, seed=1)


def test_years_are_marked_from_1_january_2010():
    assert years(1826) == [(365, 2010), (730, 2011), (1095, 2012), (1461, 2013), (1826, 2014)]
    assert years(40) == []


@pytest.mark.slow
def test_the_timeline_marks_the_waves_passed_and_counts_the_reformed(played):
    facts = played.facts
    reformed = len(facts.waves[0].communities) + len(facts.waves[1].communities)
    html = timeline_html(facts, played.day, reformed)
    assert f'data-day="{played.day}"' in html and f'data-reformed="{reformed}"' in html
    assert re.findall(r'class="govsim-wave govsim-wave--(\w+)" data-wave="(\d)"', html) == \
        [("done", "0"), ("done", "1"), ("due", "2")]
    assert "Pilots: 4 Jan 2009 (day 3) \u00b7 Xiaohe, Jinyang \u00b7 22 communities" in html
    widths = re.findall(r'govsim-timeline-done" style="width: ([\d.]+)%', html)
    assert float(widths[0]) == pytest.approx(100 * 11 / 40)
    before = timeline_html(facts, 2, 0)
    assert before.count("govsim-wave--due") == 3
    assert "0 of 90 communities reformed (0%)" in re.sub("<[^>]+>", "", before)


def test_without_a_reform_the_timeline_says_so(request):
    from govsim.scenario import load_scenario

    no_reform = load_scenario(request.config.rootpath / "scenarios" / "guiyang_city_no_reform.toml")
    page = CityPageModel(CitySetup(no_reform.with_overrides({"city.communities": 14}), scale=100))
    html = timeline_html(page.facts, 0, 0)
    assert "No reform in this scenario" in html and "govsim-wave-mark" not in html


def test_the_chart_draws_three_groups_and_marks_the_rollout(played):
    option = city_chart_option("welfare_days", played.history, played.facts)
    names = [s["name"] for s in option["series"]]
    assert names == ["whole city", "reformed communities (mean)", "not yet reformed (mean)"]
    assert [d["xAxis"] for d in option["series"][0]["markLine"]["data"]] == [3, 10, 17]
    assert len(option["series"][0]["data"]) == 11 and option["xAxis"]["max"] == 40
    assert option["yAxis"]["name"] == "days" and "max" not in option["yAxis"]
    reformed = [p[1] for p in option["series"][1]["data"]]
    assert reformed[:2] == [None, None] and all(v is not None for v in reformed[3:])
    json.loads(encode(option))


def test_the_table_shows_the_three_groups_today(played):
    table = city_table(played.history, played.facts, 1)
    for name in MAIN_OUTCOMES:
        for group in ("city", "reformed", "not yet"):
            assert f'data-group="{group}" data-outcome="{name}"' in table
    value = re.search(r'data-group="city" data-outcome="satisfaction">([\d.]+)<', table)[1]
    assert float(value) == pytest.approx(played.history.latest("satisfaction", "city"), abs=5e-4)
    assert 'data-day="11"' in table and "seed 1" in table and "simulated 1 for 100" in table
