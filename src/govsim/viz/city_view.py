"""The city view on the page: the map, the rollout's timeline, the chart and numbers, its set-up panel.

The map (:mod:`govsim.viz.city_widget`) shows every community coloured by
the outcome chosen in the set-up panel; a click on a community opens it on
its own: the community view's network, panel, numbers and charts, read from
the city's own community (so it moves on as the city plays), with a card in
the sidebar to go back to the map.  Each component is given the tab's
reactive city model, as in :mod:`govsim.viz.app`, so a Reset lets the old
city go.
"""

from __future__ import annotations

from collections.abc import Callable

import solara
from mesa.visualization.utils import update_counter

from govsim.outcomes import BY_NAME, OUTCOME_NAMES
from govsim.viz import city_state, community_state
from govsim.viz.city_chart import chart_legend_html, city_chart_option, city_table
from govsim.viz.city_map import ColourScale, cell_titles, map_layout, scale_html, switch_text
from govsim.viz.city_page_model import CityPageModel
from govsim.viz.city_setup import SCALES, CitySetup
from govsim.viz.city_timeline import timeline_html
from govsim.viz.city_widget import CityMap, layout_json, state_json
from govsim.viz.controls import Presets
from govsim.viz.echarts import EChart, encode
from govsim.viz.setup_panel import SeedField
from govsim.viz.styles import page_text

City = solara.Reactive[CityPageModel]

DEFAULT_OUTCOME = "welfare_days"
"""The outcome the map starts coloured by: days to a welfare decision, which the reform cuts from about two
weeks to about two days (the brief's Tongling fact), so each wave of the rollout shows at once."""

TITLE = "Guiyang's communities"
HINT = "Click a community to open it."


def outcome_label(name: str) -> str:
    return name.replace("_", " ")


OUTCOME_LABELS = [outcome_label(n) for n in OUTCOME_NAMES]


@solara.component
def CityMain(city: City, outcome: str, on_pick: Callable[[int], None]):
    """The map and the timeline on the left; the chosen outcome over time and today's numbers on the right."""
    update_counter.get()  # redraw after every step
    m = city.value
    facts = m.facts
    plan = solara.use_memo(lambda: layout_json(map_layout(facts.district, facts.district_names),
                                               [f"{n} ({facts.district_of(c)})" for c, n in enumerate(facts.names)]),
                           [m])
    scale = ColourScale.covering(BY_NAME[outcome], *m.seen(outcome), *m.extremes(outcome))
    values = city_state.today(m.city, outcome)
    reformed = city_state.reformed(m.city)
    day_json = state_json(scale.colours(values), cell_titles(facts, scale, values, m.day), reformed.tolist())
    with solara.Div(classes=["govsim-city"]) as main:
        with solara.Column(gap="0px", classes=["govsim-panel", "govsim-city-left"]):
            solara.HTML(unsafe_innerHTML=f'<div class="govsim-head"><span class="govsim-title">{TITLE}</span>'
                                         f"{scale_html(scale)}</div>")
            CityMap(plan, day_json, m.day, on_pick, classes=["govsim-city-map"])
            solara.HTML(unsafe_innerHTML=timeline_html(facts, m.day, int(reformed.sum())),
                        classes=["govsim-city-timeline"])
        with solara.Column(gap="0px", classes=["govsim-panel", "govsim-city-right"]):
            solara.HTML(unsafe_innerHTML=f'<div class="govsim-line-title">{outcome_label(outcome).capitalize()}: '
                                         "the whole city, and communities reformed or not yet</div>")
            EChart(encode(city_chart_option(outcome, m.history, facts)), version=m.day,
                   classes=["govsim-chart", "govsim-chart--city"])
            solara.HTML(unsafe_innerHTML=chart_legend_html())
            solara.HTML(tag="div", unsafe_innerHTML=city_table(m.history, facts, m.setup.seed),
                        classes=["govsim-numbers", "govsim-city-numbers"])
            solara.Text(HINT, classes=["govsim-note"])
    return main


@solara.component
def CitySetupPanel(setup: solara.Reactive[CitySetup], city: City, catalogue: Presets,
                   outcome: solara.Reactive[str]):
    """The city scenario, the population scale, the seed, and the outcome the map is coloured by."""
    s = setup.value

    def pick(name):
        if name in catalogue.cities:
            setup.set(setup.value.with_preset(catalogue.cities[name]))

    def set_scale(text):
        setup.set(setup.value.with_scale(int(text)))

    def colour_by(label):
        if label in OUTCOME_LABELS:
            outcome.set(OUTCOME_NAMES[OUTCOME_LABELS.index(label)])

    refused = [x for x in SCALES if x not in s.allowed_scales()]
    with solara.Card("The city", classes=["govsim-city-setup"]):
        with solara.Div():
            if s != city.value.setup:
                solara.Warning("Changed: press Reset (above) to build the city again with these settings.",
                               dense=True, classes=["govsim-pending"])
        solara.Select(label="Colour the map by", values=OUTCOME_LABELS, value=outcome_label(outcome.value),
                      on_value=colour_by, classes=["govsim-colour-by"])
        solara.Text(page_text(BY_NAME[outcome.value].meaning), classes=["govsim-note", "govsim-outcome-meaning"])
        solara.Select(label="City scenario", values=catalogue.city_names, value=s.name, on_value=pick,
                      classes=["govsim-city-preset"])
        solara.Text(page_text(s.scenario.description), classes=["govsim-note", "govsim-description"])
        solara.Text("Population scale (residents per simulated resident)", classes=["govsim-section"])
        solara.ToggleButtonsSingle(value=str(s.scale), values=[str(x) for x in s.allowed_scales()],
                                   on_value=set_scale, dense=True, classes=["govsim-city-scale"])
        solara.Text(f"About {s.simulated:,} simulated residents in {int(s.scenario['city.communities'])} "
                    "communities." + (f" Scale {', '.join(map(str, refused))}: more than this server allows "
                                      "(govsim serve --max-residents)." if refused else ""),
                    classes=["govsim-note"])
        SeedField(setup, "city", ["govsim-seed", "govsim-city-seed"])


@solara.component
def FocusCard(city: City, on_back: Callable[[], None]):
    """The community opened from the map: where it is, its size, its reform; the way back to the map."""
    update_counter.get()
    m = city.value
    run = m.focused
    if run is None:
        return solara.Div()
    facts, c = m.facts, run.community
    with solara.Card(facts.names[c], classes=["govsim-focus"]) as card:
        solara.Text(f"{facts.district_of(c)} district \u00b7 {int(facts.residents[c]):,} residents "
                    f"({community_state.simulated_residents(m.city, c):,} simulated)", classes=["govsim-note"])
        switch = switch_text(facts, c, m.day)
        solara.Text(switch[:1].upper() + switch[1:] + ".", classes=["govsim-note", "govsim-focus-switch"])
        solara.Text("This is the city's own community: Play and Step move the whole city on, and this view with it.",
                    classes=["govsim-note"])
        solara.Button("Back to the city map", icon_name="mdi-arrow-left", color="primary", on_click=on_back,
                      classes=["govsim-back"])
    return card
