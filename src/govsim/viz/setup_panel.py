"""The set-up panel: presets, compare mode, the schema-derived controls, population and seed.

It edits a :class:`~govsim.viz.controls.Setup`; the model is rebuilt from it
when the teacher presses Reset.  Every control is derived from the parameter
schema (:mod:`govsim.viz.controls`); a value the schema refuses shows the
schema's message under the control.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, cast

import reacton.ipyvuetify as rv
import solara

from govsim.errors import InputError
from govsim.viz.controls import CONTROLS, POPULATION_KEY, SECTIONS, Control, Presets, Setup, preset_extras
from govsim.viz.page_model import PageModel
from govsim.viz.styles import page_text


def use_checked(apply: Callable[[Any], None]) -> tuple[str | None, Callable[[Any], None]]:
    """A hook (call it at the top of a component): a handler that applies a value, and the refusal to show.

    A value the schema refuses (an :class:`InputError`) is not applied; its message is returned until an
    accepted value clears it.
    """
    error, set_error = solara.use_state(cast(str | None, None))

    def handle(value: Any) -> None:
        try:
            apply(value)
            set_error(None)
        except InputError as e:
            set_error(e.detail)

    return error, handle


@solara.component
def ControlWidget(control: Control, value: Any, on_value: Callable[[Any], None]):
    """One schema-derived control; a refused value shows the schema's message under it."""
    error, change = use_checked(on_value)
    css = ["govsim-control", "govsim-control--" + control.key.replace(".", "-").replace("_", "-")]
    with solara.Tooltip(control.help), solara.Column(gap="0px", classes=css):
        if control.widget == "switch":
            solara.Switch(label=f"{control.label}: {control.format(value)}", value=bool(value), on_value=change)
        elif control.widget == "choice":
            with solara.Div(classes=["govsim-control-head"]):
                solara.Text(control.label)
                solara.Text(control.format(value), classes=["govsim-value"])
            solara.ToggleButtonsSingle(value=str(value), values=[str(c) for c in control.choices or ()],
                                       on_value=change, dense=True)
        elif control.widget == "number":
            solara.InputText(control.label, value=str(value), on_value=change, continuous_update=False,
                             error=error or False, dense=True)
        else:
            assert control.low is not None and control.high is not None and control.step is not None
            with solara.Div(classes=["govsim-control-head"]):
                solara.Text(control.label)
                solara.Text(control.format(value), classes=["govsim-value"])
            rv.Slider(v_model=value, min=control.low, max=control.high, step=control.step,
                      on_v_model=lambda v: change(int(v) if control.param.kind is int else float(v)),
                      hide_details=True, dense=True, class_="mt-0 pt-0")
        if error and control.widget != "number":
            solara.Text(error, style={"color": "#b00020", "font-size": "12px"})


@solara.component
def SeedField(setup: solara.Reactive, what: str, classes: list[str]):
    """The seed of the next Reset, typed: a bad seed is shown on the field, never applied.

    ``setup`` holds a set-up with ``seed`` and ``with_seed`` (the community view's or the city's).
    """
    error, set_seed = use_checked(lambda text: setup.set(setup.value.with_seed(text)))
    with solara.Tooltip(f"Random seed: the same seed and settings give the same {what}; press Reset to use it."):
        field = solara.InputText("Seed", value=str(setup.value.seed), on_value=set_seed, continuous_update=False,
                                 error=error or False, classes=classes)
    return field


@solara.component
def SetupPanel(setup: solara.Reactive[Setup], model: solara.Reactive[PageModel], catalogue: Presets):
    """Presets, compare mode, the controls of the configuration being edited, population and seed."""
    editing = solara.use_reactive(0)
    s = setup.value
    i = editing.value if s.compare else 0

    def edit(key):
        return lambda value: setup.set(setup.value.with_value(i, key, value))

    def pick(name):
        if name in catalogue.scenarios:
            setup.set(setup.value.with_preset(i, catalogue[name]))

    choice = s.configs[i]
    extras = preset_extras(choice.base)
    notes = [
        ("govsim-description", choice.base.description),
        ("govsim-extras", "Also set by this preset: " + ", ".join(f"{k} = {v}" for k, v in extras.items())
         if extras else ""),
        ("govsim-edited", f"Edited: {', '.join(choice.edits)}" if choice.edits else ""),
        ("govsim-left-out", "Left out of the presets (the file has an error): " + "; ".join(catalogue.left_out)
         if catalogue.left_out else ""),
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
            solara.Text(page_text(text), classes=["govsim-note", css], style={} if text else {"display": "none"})
        for title, keys in SECTIONS:
            solara.Text(title, classes=["govsim-section"])
            for key in keys:
                ControlWidget(CONTROLS[key], s.value(i, key), edit(key))
        solara.Text("Community (shared by both configurations)", classes=["govsim-section"])
        ControlWidget(CONTROLS[POPULATION_KEY], s.residents, edit(POPULATION_KEY))
        if s.max_residents is not None:
            solara.Text(f"This server allows up to {s.max_residents:,} residents per community.",
                        classes=["govsim-note"])
        SeedField(setup, "run", ["govsim-seed"])
