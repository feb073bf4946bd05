"""The page: the community view (its model, controls, set-up panel and charts) and the city view.

``Page`` is the Solara app (``govsim serve`` serves it offline; ``solara run
govsim.viz.app:Page`` works too).  Solara runs one ``Page`` per browser tab,
so everything a tab owns (its session, set-up and model) is created inside
``Page`` with hooks, never at module level, where every tab would share it.

The page is laid out here rather than by Mesa's ``SolaraViz``, which (Mesa
3.5) adds a "Page 0" tab, a "Use Threads" box and an empty parameter card,
and has no option to lay out its components or leave those out.  What stays
Mesa's is the model (a ``mesa.Model``) and its redraw signal: the components
read Mesa's ``update_counter``, which the controls bump after each step (see
:mod:`govsim.viz.controller` for why the controls themselves are not Mesa's).
"""

from __future__ import annotations

import uuid
from typing import cast

import reacton.ipyvuetify as rv
import solara
from mesa.visualization.utils import update_counter

from govsim.viz.city_page_model import CityPageModel
from govsim.viz.city_setup import CitySetup
from govsim.viz.city_view import DEFAULT_OUTCOME, City, CityMain, CitySetupPanel, FocusCard
from govsim.viz.controller import ModelControls
from govsim.viz.controls import Presets, Setup, load_presets
from govsim.viz.echarts import EChart, encode
from govsim.viz.guide import guide_html
from govsim.viz.institutions_panel import institutions_html
from govsim.viz.line_charts import LINE_CHARTS, LineChart, legend_html, line_option, runs_caption, title_html
from govsim.viz.network_view import LEGEND, community_layouts, header_html, layout_key, network_option
from govsim.viz.numbers_table import numbers_table
from govsim.viz.page_model import PageModel
from govsim.viz.sessions import SESSIONS, Session
from govsim.viz.setup_panel import SetupPanel
from govsim.viz.styles import PAGE_CSS

TITLE = "govsim · community governance in class"
PLAY_INTERVAL_MS = 150
COMMUNITY, CITY = "Community", "City"
"""The two views a tab switches between (at the top of the sidebar)."""
CITY_PLAY_INTERVAL_MS = 100
CITY_RENDER_INTERVAL = 7
"""The city plays a week between redraws: its rollout takes three years of days."""


def presets() -> Presets:
    """The scenario files, read when a tab opens (a file fixed during the lesson shows up on reload)."""
    import os

    return load_presets(os.environ.get("GOVSIM_VIZ_SCENARIO") or None)


def kernel_id() -> str:
    """The id of this tab's virtual kernel (Solara's session of the tab); a fresh id outside a server."""
    from solara.server import kernel_context

    try:
        return kernel_context.get_current_context().id
    except RuntimeError:  # pragma: no cover (a notebook without Solara's server)
        return uuid.uuid4().hex


# --- what the main area shows --------------------------------------------------------------------
# Each component is given the tab's reactive model, not the model: Solara keeps the arguments a
# component was first rendered with for as long as it stays on the page, so a model passed
# directly would be kept in memory after a Reset replaced it.

Model = solara.Reactive[PageModel] | solara.Reactive[CityPageModel]
"""The community view's components also show a community of the city (a :class:`CityPageModel` with one
opened): both give ``runs`` (each with its model, community index, label and history) and ``day``."""


@solara.component
def NetworkView(model: Model):
    update_counter.get()  # redraw after every step
    m = model.value
    layouts = solara.use_memo(lambda: community_layouts(m.runs), [m, layout_key(m.runs)])
    with solara.Column(gap="0px", classes=["govsim-panel", "govsim-network"]) as panel:
        solara.HTML(unsafe_innerHTML=header_html())
        EChart(encode(network_option(m.runs, layouts)), version=m.day,
               classes=["govsim-chart", "govsim-chart--network"])
        solara.HTML(unsafe_innerHTML=LEGEND, classes=["govsim-foot"])
    return panel


@solara.component
def NumbersNow(model: Model):
    update_counter.get()
    solara.HTML(tag="div", unsafe_innerHTML=numbers_table(model.value.runs), classes=["govsim-numbers"])


@solara.component
def InsideView(model: Model):
    update_counter.get()
    solara.HTML(tag="div", unsafe_innerHTML=institutions_html(model.value.runs), classes=["govsim-inside-panel"])


@solara.component
def LineChartView(model: Model, chart: LineChart):
    update_counter.get()
    m = model.value
    with solara.Column(gap="0px", classes=["govsim-panel", "govsim-line", f"govsim-line--{chart.key}"]) as panel:
        solara.HTML(unsafe_innerHTML=title_html(chart))
        EChart(encode(line_option(chart, m.runs)), version=m.day, classes=["govsim-chart", "govsim-chart--line"])
        solara.HTML(unsafe_innerHTML=legend_html(chart))
    return panel


@solara.component
def LineCharts(model: Model):
    update_counter.get()
    m = model.value
    caption = runs_caption(m.runs) + (" · press Step or \u25b6 to run the model" if m.day == 0 else "")
    with solara.Column(gap="0px", classes=["govsim-panel", "govsim-charts"]) as panel:
        solara.Text(caption, classes=["govsim-runs-caption"])
        InsideView(model)
        with solara.Div(classes=["govsim-lines"]):
            for chart in LINE_CHARTS:
                LineChartView(model, chart)
    return panel


@solara.component
def MainView(model: Model):
    """The network view and today's numbers on the left, the line charts on the right: one screen."""
    with solara.Div(classes=["govsim-main"]) as main:
        with solara.Div(classes=["govsim-left"]):
            NetworkView(model)
            NumbersNow(model)
        LineCharts(model)
    return main


# --- around it ---------------------------------------------------------------------------------------


@solara.component
def GuideButton():
    show, set_show = solara.use_state(False)
    solara.Button("Teacher's guide", icon_name="mdi-school", text=True, on_click=lambda: set_show(True),
                  classes=["govsim-guide-button"])
    with rv.Dialog(v_model=show, on_v_model=set_show, max_width=900, scrollable=True), \
            solara.Card("Teacher's guide", classes=["govsim-guide"]):
        if show:  # read when opened: a guide fixed during the lesson shows up
            solara.HTML(tag="div", unsafe_innerHTML=guide_html(), classes=["govsim-guide-text"])
        solara.Button("Close", on_click=lambda: set_show(False))


@solara.component
def ServerFull():
    limit = SESSIONS.limits.max_sessions
    with solara.Card("This classroom server is full", classes=["govsim-full"]):
        solara.HTML(tag="p", unsafe_innerHTML=(
            f"It already runs {limit} sessions, one per open tab: the most it allows. Close a tab you no "
            "longer use (a closed tab is freed at once, a lost one within a minute) and reload this page. "
            "The teacher can allow more with <code>govsim serve --max-sessions N</code>."))


@solara.component
def ViewSwitch(view: solara.Reactive[str], catalogue: Presets):
    """Community or city, at the top of the sidebar (only when a city scenario is there to show)."""
    with solara.Div(classes=["govsim-view-switch"]) as switch:
        if catalogue.cities:
            solara.ToggleButtonsSingle(value=view, values=[COMMUNITY, CITY], classes=["govsim-view"])
    return switch


@solara.component
def Controls(model: solara.Reactive, build, play_interval: solara.Reactive[int],
             render_interval: solara.Reactive[int], max_render: int = 50):
    """The controls card: how fast to play and how often to redraw, and Reset, Play and Step."""
    with solara.Card("Controls", classes=["govsim-controls"]) as card:
        solara.SliderInt("Play interval (ms)", value=play_interval, min=10, max=1000, step=10)
        solara.SliderInt("Render interval (days)", value=render_interval, min=1, max=max_render)
        ModelControls(model, build, play_interval, render_interval)
    return card


@solara.component
def CommunityLesson(session: Session, catalogue: Presets, view: solara.Reactive[str], setup: solara.Reactive[Setup],
                    model: solara.Reactive[PageModel],
                    play_interval: solara.Reactive[int], render_interval: solara.Reactive[int]):
    """The community view: its controls and set-up in the sidebar, the network and the charts."""
    with solara.Column(gap="0px") as lesson:
        with solara.Sidebar(), solara.Column():
            ViewSwitch(view, catalogue)
            Controls(model, lambda: PageModel(setup.value, session), play_interval, render_interval)
            SetupPanel(setup, model, catalogue)
        MainView(model)
    return lesson


@solara.component
def CityLesson(session: Session, catalogue: Presets, view: solara.Reactive[str], setup: solara.Reactive[CitySetup],
               city: City,
               focus: solara.Reactive[int | None], outcome: solara.Reactive[str],
               play_interval: solara.Reactive[int], render_interval: solara.Reactive[int]):
    """The city view: the map, or one community of the city opened from it."""

    def build() -> CityPageModel:
        focus.set(None)
        return CityPageModel(setup.value, session)

    def pick(community: int) -> None:
        city.value.focus(community)
        focus.set(community)

    def back() -> None:
        city.value.focus(None)
        focus.set(None)

    with solara.Column(gap="0px") as lesson:
        with solara.Sidebar(), solara.Column():
            ViewSwitch(view, catalogue)
            Controls(city, build, play_interval, render_interval, max_render=90)
            if focus.value is not None:
                FocusCard(city, back)
            else:
                CitySetupPanel(setup, city, catalogue, outcome)
        if focus.value is not None:
            MainView(city)
        else:
            CityMain(city, outcome.value, pick)
    return lesson


@solara.component
def Lesson(session: Session, catalogue: Presets, view: solara.Reactive[str]):
    """The page of one admitted tab: the community view or the city view, each with its own model.

    Each model is built the first time its view is shown, after that render, and held only by a reactive
    variable, so a Reset lets the previous model go (a hook's initial value would be kept for the tab's life);
    switching views keeps both models (a playing one pauses).
    """
    cap = SESSIONS.limits.max_residents
    setup = solara.use_reactive(solara.use_memo(
        lambda: Setup.initial(catalogue[catalogue.first], catalogue[catalogue.second], max_residents=cap), []))
    model: solara.Reactive[PageModel | None] = solara.use_reactive(cast(PageModel | None, None))
    play_interval = solara.use_reactive(PLAY_INTERVAL_MS)
    render_interval = solara.use_reactive(1)
    city_setup = solara.use_reactive(solara.use_memo(
        lambda: CitySetup.initial(catalogue.cities[catalogue.first_city], max_residents=cap)
        if catalogue.first_city is not None else None, []))
    city: solara.Reactive[CityPageModel | None] = solara.use_reactive(cast(CityPageModel | None, None))
    focus: solara.Reactive[int | None] = solara.use_reactive(cast(int | None, None))
    outcome = solara.use_reactive(DEFAULT_OUTCOME)
    city_play = solara.use_reactive(CITY_PLAY_INTERVAL_MS)
    city_render = solara.use_reactive(CITY_RENDER_INTERVAL)

    def build_shown() -> None:
        if view.value == CITY and city.value is None and city_setup.value is not None:
            city.set(CityPageModel(city_setup.value, session))
        elif view.value != CITY and model.value is None:
            model.set(PageModel(setup.value, session))

    solara.use_effect(build_shown, [view.value])

    with solara.Column(gap="0px") as lesson:
        if view.value == CITY and city_setup.value is not None:
            if city.value is None:
                solara.Text("Building the city\u2026", classes=["govsim-building"])
            else:
                CityLesson(session, catalogue, view, cast(solara.Reactive[CitySetup], city_setup), cast(City, city),
                           focus, outcome, city_play, city_render)
        elif model.value is None:
            solara.Text("Building the community\u2026", classes=["govsim-building"])
        else:
            CommunityLesson(session, catalogue, view, setup, cast(solara.Reactive[PageModel], model), play_interval,
                            render_interval)
    return lesson


@solara.component
def Page():
    kernel = solara.use_memo(kernel_id, [])
    session = solara.use_memo(lambda: SESSIONS.admit(kernel), [])
    catalogue = solara.use_memo(presets, [])
    view = solara.use_reactive(CITY if catalogue.start_with_city else COMMUNITY)

    def release():
        if session is not None:
            return lambda: SESSIONS.release(session)
        return None

    solara.use_effect(release, [])  # the cleanup runs when Solara closes this tab's kernel
    # One column without gaps: the main view's height is the window's less the app bar (see styles).
    with solara.Column(gap="0px", classes=["govsim-page"]) as page:
        solara.Title("govsim")
        solara.Style(PAGE_CSS)
        with solara.AppBar():
            solara.AppBarTitle(TITLE)
            GuideButton()
        if session is None:
            ServerFull()
        else:
            Lesson(session, catalogue, view)
    return page
