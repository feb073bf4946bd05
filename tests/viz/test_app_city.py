"""The city view's wiring, rendered by Solara in this process (no browser): the view switch, the map, Step,
Reset, colour by, a community opened from the map and back.  test_browser_city.py drives it in Chromium."""

from __future__ import annotations

import json
import re
import shutil

import ipyvuetify as v
import pytest

from govsim.viz.city_widget import CityMapWidget
from govsim.viz.echarts import EChartsWidget
from govsim.viz.line_charts import LINE_CHARTS

from .conftest import write_fast_city
from .rendering import texts


@pytest.fixture
def folder(tmp_path, scenarios_dir):
    """The repository's scenarios and a city whose rollout happens on days 3, 10 and 17."""
    for path in scenarios_dir.glob("*.toml"):
        shutil.copy(path, tmp_path)
    write_fast_city(tmp_path)
    return tmp_path


def map_state(tab) -> dict:
    (widget,) = tab.all(CityMapWidget)
    return json.loads(widget.state_json) | {"version": widget.state_version}


def coarse(tab) -> None:
    """Scale 100 (lighter for the tests), then Reset."""
    (scales,) = tab.all(css="govsim-city-scale")
    scales.v_model = 2  # the third choice: 20, 50, 100 under the default cap
    assert tab.pending()
    tab.click("Reset")
    assert not tab.pending()


@pytest.mark.slow
def test_a_served_city_opens_the_city_view_and_step_redraws_the_map_and_timeline(open_page, folder):
    with open_page(scenarios=folder, serve=folder / "fast_city.toml") as tab:
        (view,) = tab.all(css="govsim-view")
        assert view.v_model == 1  # "City" is chosen
        coarse(tab)
        assert "simulated 1 for 100" in tab.html("govsim-city-numbers")
        before = map_state(tab)
        assert before["version"] == 0 and len(before["fills"]) == 90 and not any(before["reformed"])
        tab.click("Step")  # a week: the render interval of the city view
        after = map_state(tab)
        assert after["version"] == 7 and sum(after["reformed"]) == 22  # the pilots switched on day 3
        assert after["fills"] != before["fills"]
        timeline = tab.html("govsim-city-timeline")
        assert 'data-day="7"' in timeline and 'data-reformed="22"' in timeline
        (chart,) = tab.all(EChartsWidget)
        assert chart.option_version == 7 and "not yet reformed (mean)" in chart.option_json
        # The map's colours follow the outcome chosen.
        tab.select("Colour the map by").v_model = "satisfaction"
        recoloured = map_state(tab)
        assert recoloured["fills"] != after["fills"] and "satisfaction: " in recoloured["titles"][0]
        assert "pending" not in texts(tab)


@pytest.mark.slow
def test_clicking_a_community_opens_it_and_back_returns_to_the_map(open_page, folder):
    with open_page(scenarios=folder, serve=folder / "fast_city.toml") as tab:
        coarse(tab)
        tab.click("Step")
        (widget,) = tab.all(CityMapWidget)
        labels = json.loads(widget.layout_json)["labels"]
        c = labels.index("Xiaohe 3 (Xiaohe)")
        widget.vue_pick(c)  # what a click on its square sends
        assert not tab.all(CityMapWidget)
        assert len(tab.all(EChartsWidget)) == 1 + len(LINE_CHARTS)  # the community view's network and charts
        assert len(tab.all(css="govsim-focus")) == 1
        shown = texts(tab)
        assert "Xiaohe 3" in shown and "Reformed on 4 Jan 2009 (day 3)." in shown
        assert "Xiaohe 3 (Xiaohe district)" in tab.table() and tab.day() == 7
        assert 'data-cell="staff"' in tab.html("govsim-inside-panel")
        tab.click("Step")  # the whole city moves on, and the community's view with it
        network = json.loads(tab.all(EChartsWidget)[0].option_json)["series"][0]["data"]
        assert tab.day() == 14 and network[0]["label"]["formatter"] == "Xiaohe 3 (Xiaohe district) \u00b7 day 14"
        tab.click("Back to the city map")
        assert map_state(tab)["version"] == 14 and not tab.all(css="govsim-focus")


@pytest.mark.slow
def test_the_views_keep_their_own_models_and_city_presets_stay_out_of_the_community_view(open_page, folder):
    with open_page(scenarios=folder) as tab:
        (view,) = tab.all(css="govsim-view")
        assert view.v_model == 0  # a community scenario served (the default): the community view
        presets = tab.select("Preset of configuration A").items
        assert "guiyang_2012" in presets and not {"guiyang_city", "fast_city"} & set(presets)
        tab.click("Step")
        view.v_model = 1
        assert tab.all(CityMapWidget)
        assert set(tab.select("City scenario").items) == {"guiyang_city", "guiyang_city_no_reform", "fast_city"}
        (view,) = tab.all(css="govsim-view")  # the city view's own switch
        view.v_model = 0
        assert tab.day() == 1  # the community's model was kept while the city was shown


@pytest.mark.slow
def test_a_scale_over_the_servers_cap_is_not_offered(open_page, folder):
    from govsim.viz.sessions import SESSIONS, Limits

    SESSIONS.configure(Limits(max_residents=40_000), None)
    with open_page(scenarios=folder, serve=folder / "fast_city.toml") as tab:
        (scales,) = tab.all(css="govsim-city-scale")
        assert [b.children for b in tab.inside(scales, v.Btn)] == [["100"]]
        assert re.search(r"Scale 10, 20, 50: more than this server allows", texts(tab))
        assert "simulated 1 for 100" in tab.html("govsim-city-numbers")


@pytest.mark.slow
def test_a_community_watched_through_its_reform_loses_its_street_office_on_the_map_and_in_its_view(open_page, folder):
    with open_page(scenarios=folder, serve=folder / "fast_city.toml") as tab:
        coarse(tab)
        tab.click("Step")  # day 7: the pilots have switched, Huaxi (everyone else, day 17) has not
        (widget,) = tab.all(CityMapWidget)
        c = json.loads(widget.layout_json)["labels"].index("Huaxi 1 (Huaxi)")
        assert not map_state(tab)["reformed"][c]
        widget.vue_pick(c)

        def institutions():
            nodes = json.loads(tab.all(EChartsWidget)[0].option_json)["series"][0]["data"]
            return [n["name"] for n in nodes if n.get("symbol") == "roundRect"]

        assert any(name.startswith("Street office") for name in institutions())
        assert any(name.startswith("Residents' committees") for name in institutions())
        assert 'data-level="street office"' in tab.html("govsim-inside-panel")
        assert "Switches to three levels on 18 Jan 2009 (day 17)." in texts(tab)
        tab.click("Step")
        tab.click("Step")  # day 21
        assert not any(name.startswith("Street office") for name in institutions())
        assert any(name.startswith("Service centre") for name in institutions())
        assert "Reformed on 18 Jan 2009 (day 17)." in texts(tab)
        tab.click("Back to the city map")
        assert map_state(tab)["reformed"][c]
