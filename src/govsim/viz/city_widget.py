"""The city map in the browser: one SVG, a square per community, a box per district, a click per square.

The layout (where each square and box goes) travels once as JSON; each redraw
sends only the day's fills, tooltips and reformed marks, also as one JSON
string (see :mod:`govsim.viz.echarts` for why strings).  The SVG scales with
its place on the page and keeps its aspect.  Each square is a button named
after its community (``role="button"``, ``aria-label``), so a keyboard, a
screen reader and the browser tests find it by name; clicking it calls the
``on_pick`` function with the community's index.  The SVG's ``data-drawn``
attribute is the version (the day) of the fills it shows.
"""

from __future__ import annotations

import json
from collections.abc import Callable

import ipyvuetify
import solara
import traitlets

from govsim.viz import palette
from govsim.viz.city_map import MapLayout

TEMPLATE = """
<template>
  <svg v-bind="attributes" :viewBox="'0 0 ' + plan.width + ' ' + plan.height" preserveAspectRatio="xMidYMid meet"
       :data-drawn="state_version" role="group" aria-label="The city's communities by district">
    <g v-for="(box, d) in plan.districts" :key="'d' + d" class="govsim-district">
      <rect :x="box[0]" :y="box[1]" :width="box[2]" :height="box[3]" rx="1.5"></rect>
      <text :x="box[0] + 2.4" :y="box[1] + 6.2">{{ plan.names[d] }}</text>
    </g>
    <g v-for="(cell, i) in plan.cells" :key="'c' + i" class="govsim-cell" role="button" tabindex="0"
       :aria-label="plan.labels[i]" :data-community="i" :data-reformed="state.reformed[i] ? 1 : 0"
       @click="pick(i)" @keydown.enter="pick(i)">
      <rect :x="cell[0]" :y="cell[1]" :width="cell[2]" :height="cell[2]" :fill="state.fills[i]" rx="0.8">
        <title>{{ state.titles[i] }}</title>
      </rect>
      <circle v-if="state.reformed[i]" :cx="cell[0] + cell[2] - 2.1" :cy="cell[1] + 2.1" r="1.5"
              fill="REFORMED_MARK" stroke="#222" stroke-width="0.45" pointer-events="none"></circle>
    </g>
  </svg>
</template>
<script>
module.exports = {
  computed: {
    plan() { return JSON.parse(this.layout_json); },
    state() { return JSON.parse(this.state_json); },
  },
};
</script>
""".replace("REFORMED_MARK", palette.REFORMED_MARK)

EMPTY_STATE = json.dumps({"fills": [], "titles": [], "reformed": []})


class CityMapWidget(ipyvuetify.VuetifyTemplate):
    """The widget: ``layout_json`` once, ``state_json`` each redraw; ``on_pick`` gets a clicked community's index."""

    template = traitlets.Unicode(TEMPLATE).tag(sync=True)
    layout_json = traitlets.Unicode(json.dumps({"width": 1, "height": 1, "cells": [], "districts": [], "names": [],
                                                "labels": []})).tag(sync=True)
    state_json = traitlets.Unicode(EMPTY_STATE).tag(sync=True)
    state_version = traitlets.Int(0).tag(sync=True)
    attributes = traitlets.Dict(default_value={}).tag(sync=True)
    on_pick = traitlets.Callable(None, allow_none=True)

    def vue_pick(self, index) -> None:
        if self.on_pick is not None:
            self.on_pick(int(index))


def layout_json(layout: MapLayout, labels: list[str]) -> str:
    """The map's fixed part: viewBox, squares, district boxes and names, and each square's accessible name."""
    return json.dumps({
        "width": round(layout.width, 2), "height": round(layout.height, 2),
        "cells": [[round(float(x), 2) for x in row] for row in layout.cells],
        "districts": [[round(float(x), 2) for x in row] for row in layout.districts],
        "names": list(layout.district_names), "labels": labels,
    }, separators=(",", ":"))


def state_json(fills: list[str], titles: list[str], reformed: list[bool]) -> str:
    """The map's daily part."""
    return json.dumps({"fills": fills, "titles": titles, "reformed": [bool(r) for r in reformed]},
                      separators=(",", ":"))


@solara.component
def CityMap(plan_json: str, day_json: str, version: int, on_pick: Callable[[int], None],
            classes: list[str] | None = None):
    """The map; ``version`` (the day) is written to the SVG's ``data-drawn`` once the browser shows it."""
    return CityMapWidget.element(layout_json=plan_json, state_json=day_json, state_version=version,
                                 on_pick=on_pick, attributes={"class": " ".join(classes or [])})
