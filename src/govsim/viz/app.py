"""The page: the community model, its controls, the set-up panel and the charts.

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
from pathlib import Path
from typing import cast

import reacton.ipyvuetify as rv
import solara
from mesa.visualization.utils import update_counter

from govsim.viz.controller import ModelControls
from govsim.viz.controls import Presets, Setup, load_presets
from govsim.viz.echarts import EChart, encode
from govsim.viz.institutions_panel import institutions_html
from govsim.viz.line_charts import LINE_CHARTS, LineChart, legend_html, line_option, runs_caption, title_html
from govsim.viz.network_view import LEGEND, community_layouts, header_html, layout_key, network_option
from govsim.viz.numbers_table import numbers_table
from govsim.viz.page_model import PageModel
from govsim.viz.sessions import SESSIONS, Session
from govsim.viz.setup_panel import SetupPanel
from govsim.viz.styles import PAGE_CSS

TITLE = "govsim · community governance in class"
GUIDE = "docs/teachers-guide.md"
PLAY_INTERVAL_MS = 150


def presets() -> Presets:
    """The scenario files, read when a tab opens (a file fixed during the lesson shows up on reload)."""
    import os

    return load_presets(os.environ.get("GOVSIM_VIZ_SCENARIO") or None)


def guide_path() -> Path:
    """The teacher's guide in the checkout (``docs/`` is not part of an installed wheel)."""
    import govsim

    return Path(govsim.__file__).resolve().parents[2] / GUIDE


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

Model = solara.Reactive[PageModel]


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
    path = guide_path()
    solara.Button("Teacher's guide", icon_name="mdi-school", text=True, on_click=lambda: set_show(True),
                  classes=["govsim-guide-button"])
    with rv.Dialog(v_model=show, on_v_model=set_show, max_width=900, scrollable=True), \
            solara.Card("Teacher's guide", classes=["govsim-guide"]):
        if path.is_file():
            solara.Markdown(path.read_text(encoding="utf-8"))
        else:
            solara.Markdown(f"The guide is `{GUIDE}` in the govsim repository.")
        solara.Button("Close", on_click=lambda: set_show(False))


@solara.component
def ServerFull():
    limit = SESSIONS.limits.max_sessions
    with solara.Card("This classroom server is full", classes=["govsim-full"]):
        solara.Markdown(
            f"It already runs {limit} sessions, one per open tab: the most it allows. Close a tab you no "
            "longer use (a closed tab is freed at once, a lost one within a minute) and reload this page. "
            f"The teacher can allow more with `govsim serve --max-sessions N`.")


@solara.component
def Lesson(session: Session):
    """The page of one admitted tab: its set-up, its model, the controls and the charts."""
    catalogue = solara.use_memo(presets, [])
    initial = solara.use_memo(lambda: Setup.initial(catalogue[catalogue.first], catalogue[catalogue.second],
                                                    max_residents=SESSIONS.limits.max_residents), [])
    setup = solara.use_reactive(initial)
    # The model is built after the first render and held only by this reactive variable, so
    # a Reset lets the previous model go (a hook's initial value would be kept for the tab's life).
    model: solara.Reactive[PageModel | None] = solara.use_reactive(cast(PageModel | None, None))
    solara.use_effect(lambda: model.set(PageModel(initial, session)), [])
    play_interval = solara.use_reactive(PLAY_INTERVAL_MS)
    render_interval = solara.use_reactive(1)

    with solara.Column(gap="0px") as lesson:
        if model.value is None:
            solara.Text("Building the community\u2026", classes=["govsim-building"])
            return lesson
        built = cast(Model, model)  # holds a model from here on
        with solara.Sidebar(), solara.Column():
            with solara.Card("Controls", classes=["govsim-controls"]):
                solara.SliderInt("Play interval (ms)", value=play_interval, min=10, max=1000, step=10)
                solara.SliderInt("Render interval (days)", value=render_interval, min=1, max=50)
                ModelControls(built, lambda: PageModel(setup.value, session), play_interval, render_interval)
            SetupPanel(setup, built, catalogue)
        MainView(built)
    return lesson


@solara.component
def Page():
    kernel = solara.use_memo(kernel_id, [])
    session = solara.use_memo(lambda: SESSIONS.admit(kernel), [])

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
            Lesson(session)
    return page
