"""The page: Mesa's SolaraViz around the community model, with schema-derived controls.

``Page`` is the Solara app (``solara run govsim.viz.app:Page`` works too, but
``govsim serve`` also sets up offline asset serving).  Each browser tab gets
its own set-up and its own :class:`~govsim.viz.classroom.Classroom`: both are
created inside ``Page`` with hooks, never at module level, because Solara runs
one ``Page`` per connection and module-level objects would be shared by every
tab of every pupil.

SolaraViz gives the frame: the app bar, the Play / Step / Reset controls and a
grid of the components below.  The set-up panel (presets, controls, compare
mode, seed) edits a :class:`~govsim.viz.controls.Setup`; Mesa's Reset builds a
new Classroom from it, because the set-up's getter is passed to SolaraViz as
the model's only (fixed) parameter.
"""

from __future__ import annotations

import functools
import html
import os
from pathlib import Path

import mesa.visualization.solara_viz as _solara_viz
import reacton.ipyvuetify as rv
import solara
from mesa.visualization import SolaraViz
from mesa.visualization.utils import update_counter

from govsim.errors import InputError
from govsim.viz.charts import (
    NETWORK_LEGEND,
    TABLE_CSS,
    community_layouts,
    live_charts,
    network_chart,
    network_header,
    outcome_table,
    panel_header,
    runs_caption,
)
from govsim.viz.classroom import Classroom
from govsim.viz.controls import (
    CONTROLS,
    POPULATION_KEY,
    SECTIONS,
    Control,
    Presets,
    Setup,
    load_presets,
    preset_extras,
)
from govsim.viz.echarts import EChart, encode

TITLE = "govsim · community governance in class"
GUIDE = "docs/teachers-guide.md"

PAGE_CSS = TABLE_CSS + """
/* Mesa's "Model Parameters" card stays empty (this page's parameters are in the Set-up card): hide it. */
.v-card:has(> .v-card__text > .v-sheet:empty:only-child) { display: none; }
.govsim-control { margin: 2px 0 6px 0; }
.govsim-control .govsim-head { display: flex; justify-content: space-between; font-size: 14px; }
.govsim-value { font-weight: bold; font-variant-numeric: tabular-nums; }
.govsim-section { display: block; font-weight: bold; font-size: 14px; margin: 12px 0 2px 0; color: #333; }
.govsim-note { display: block; font-size: 12px; color: #555; line-height: 1.3; margin-bottom: 4px; }
"""


@functools.cache
def presets() -> Presets:
    """The scenario files, read once per server process (scenarios are immutable, so sharing is safe)."""
    return load_presets(os.environ.get("GOVSIM_VIZ_SCENARIO") or None)


def guide_path() -> Path:
    """The teacher's guide in the checkout (``docs/`` is not part of an installed wheel)."""
    import govsim

    return Path(govsim.__file__).resolve().parents[2] / GUIDE


# --- the components in SolaraViz's grid -----------------------------------------------------------


@solara.component
def LiveCharts(model: Classroom):
    update_counter.get()  # redraw after every step
    with solara.Column(gap="0px", classes=["govsim-panel"]) as panel:
        solara.HTML(unsafe_innerHTML=panel_header("Live charts", runs_caption(model.runs)))
        EChart(encode(live_charts(model.runs)), version=model.day, classes=["govsim-chart", "govsim-chart--live"])
    return panel


@solara.component
def NetworkView(model: Classroom):
    update_counter.get()
    layouts = solara.use_memo(lambda: community_layouts(model.runs), [model])
    with solara.Column(gap="0px", classes=["govsim-panel"]) as panel:
        solara.HTML(unsafe_innerHTML=network_header())
        EChart(encode(network_chart(model.runs, layouts)), version=model.day,
               classes=["govsim-chart", "govsim-chart--network"])
        solara.HTML(unsafe_innerHTML=html.escape(NETWORK_LEGEND), classes=["govsim-foot"])
    return panel


@solara.component
def NumbersNow(model: Classroom):
    update_counter.get()
    solara.HTML(tag="div", unsafe_innerHTML=outcome_table(model.runs), classes=["govsim-numbers"])


COMPONENTS = [(NetworkView, 0), (NumbersNow, 0), (LiveCharts, 0)]

GRID = [  # x, y, w, h on SolaraViz's grid of 12 columns and 30-pixel rows, in the order of COMPONENTS
    (0, 0, 8, 16),  # network view
    (8, 0, 4, 16),  # numbers now
    (0, 16, 12, 20),  # live charts
]


def grid_layout(num_components: int) -> list[dict]:
    """The page's first arrangement of its components (teachers can still drag and resize them).

    SolaraViz gives every component a half-width tile of the same height and
    takes no layout argument; the network view needs more room, so this
    replaces Mesa's ``make_initial_grid_layout`` for a grid of this page's
    size and defers to it otherwise.
    """
    if num_components != len(GRID):
        return _mesa_grid_layout(num_components)
    return [{"i": i, "x": x, "y": y, "w": w, "h": h, "moved": False} for i, (x, y, w, h) in enumerate(GRID)]


_mesa_grid_layout = _solara_viz.make_initial_grid_layout
_solara_viz.make_initial_grid_layout = grid_layout


# --- the set-up panel -------------------------------------------------------------------------------


@solara.component
def ControlWidget(control: Control, value, on_value):
    """One schema-derived control; a refused value shows the schema's message under it."""
    error, set_error = solara.use_state(None)

    def change(new):
        try:
            on_value(new)
            set_error(None)
        except InputError as e:
            set_error(e.detail)

    css = ["govsim-control", "govsim-control--" + control.key.replace(".", "-").replace("_", "-")]
    with solara.Tooltip(control.help), solara.Column(gap="0px", classes=css):
        if control.widget == "switch":
            solara.Switch(label=f"{control.label}: {control.format(value)}", value=bool(value), on_value=change)
        elif control.widget == "choice":
            with solara.Div(classes=["govsim-head"]):
                solara.Text(control.label)
                solara.Text(control.format(value), classes=["govsim-value"])
            solara.ToggleButtonsSingle(value=str(value), values=[str(c) for c in control.choices],
                                       on_value=change, dense=True)
        elif control.widget == "number":
            solara.InputText(control.label, value=str(value), on_value=change, continuous_update=False,
                             error=error or False, dense=True)
        else:
            with solara.Div(classes=["govsim-head"]):
                solara.Text(control.label)
                solara.Text(control.format(value), classes=["govsim-value"])
            rv.Slider(v_model=value, min=control.low, max=control.high, step=control.step,
                      on_v_model=lambda v: change(int(v) if control.param.kind is int else float(v)),
                      hide_details=True, dense=True, class_="mt-0 pt-0")
        if error and control.widget != "number":
            solara.Text(error, style={"color": "#b00020", "font-size": "12px"})


@solara.component
def SetupPanel(setup: solara.Reactive[Setup], model: solara.Reactive[Classroom]):
    """Presets, compare mode, the controls of the configuration being edited, population and seed."""
    editing = solara.use_reactive(0)
    seed_error, set_seed_error = solara.use_state(None)
    s = setup.value
    i = editing.value if s.compare else 0
    catalogue = presets()

    def edit(key):
        return lambda value: setup.set(setup.value.with_value(i, key, value))

    def pick(name):
        if name in catalogue.scenarios:
            setup.set(setup.value.with_preset(i, catalogue[name]))

    def set_seed(text):
        try:
            setup.set(setup.value.with_seed(text))
            set_seed_error(None)
        except InputError as e:
            set_seed_error(e.detail)

    choice = s.configs[i]
    extras = preset_extras(choice.base)
    notes = [
        ("govsim-description", choice.base.description),
        ("govsim-extras", "Also set by this preset: " + ", ".join(f"{k} = {v}" for k, v in extras.items())
         if extras else ""),
        ("govsim-edited", f"Edited: {', '.join(choice.edits)}" if choice.edits else ""),
    ]
    # Every element keeps its place whatever is shown: Solara matches widgets by position,
    # and a control moved to another place loses its tooltip's content in the browser.
    with solara.Card("Set-up", classes=["govsim-setup"]):
        with solara.Div():
            if s != model.value.setup:
                solara.Warning("Changed: press Reset (above) to start again with these settings.", dense=True,
                               classes=["govsim-pending"])
        solara.Switch(label="Compare two configurations", value=s.compare,
                      on_value=lambda on: setup.set(setup.value.with_compare(on)), classes=["govsim-compare"])
        with solara.Div():
            if s.compare:
                solara.Text("Both run with the same seed, so they differ only where their settings differ.",
                            classes=["govsim-note"])
                solara.ToggleButtonsSingle(value=f"Edit {'AB'[i]}", values=["Edit A", "Edit B"],
                                           on_value=lambda text: editing.set("AB".index(text[-1])),
                                           classes=["govsim-editing"])
        solara.Select(label=f"Preset of configuration {'AB'[i]}", values=catalogue.names, value=choice.name,
                      on_value=pick, classes=["govsim-preset"])
        for css, text in notes:
            solara.Text(text, classes=["govsim-note", css], style={} if text else {"display": "none"})
        for title, keys in SECTIONS:
            solara.Text(title, classes=["govsim-section"])
            for key in keys:
                ControlWidget(CONTROLS[key], s.value(i, key), edit(key))
        solara.Text("Community (shared by both configurations)", classes=["govsim-section"])
        ControlWidget(CONTROLS[POPULATION_KEY], s.residents, edit(POPULATION_KEY))
        with solara.Tooltip("Random seed: the same seed and settings give the same run; press Reset to use it."):
            solara.InputText("Seed", value=str(s.seed), on_value=set_seed, continuous_update=False,
                             error=seed_error or False, classes=["govsim-seed"])


@solara.component
def SidebarAfterMesa(setup: solara.Reactive[Setup], model: solara.Reactive[Classroom], depth: int = 2):
    """The set-up panel in the sidebar, below Mesa's cards.

    Solara orders sidebar content by the depth of the component that adds it,
    so the panel is added from ``depth`` levels below the page, deeper than
    SolaraViz's own sidebar.
    """
    if depth > 0:
        SidebarAfterMesa(setup, model, depth - 1)
        return
    with solara.Sidebar():
        SetupPanel(setup, model)


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


# --- the page ----------------------------------------------------------------------------------------


@solara.component
def Page():
    catalogue = presets()
    initial = solara.use_memo(lambda: Setup.initial(catalogue[catalogue.first], catalogue[catalogue.second]), [])
    setup = solara.use_reactive(initial)
    first_model = solara.use_memo(lambda: Classroom(initial), [])
    model = solara.use_reactive(first_model)

    solara.Title("govsim")
    solara.Style(PAGE_CSS)
    with solara.AppBar():
        GuideButton()
    SolaraViz(model, components=COMPONENTS, model_params={"setup": setup.get}, name=TITLE, play_interval=150)
    SidebarAfterMesa(setup, model)
