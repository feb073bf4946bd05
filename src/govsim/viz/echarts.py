"""An ECharts chart whose option travels as one JSON string.

Solara's ``FigureEcharts`` sends the option as a nested object: every redraw,
the server walks it (widget buffers, trait validation, a deep comparison) and
the browser makes every nested value reactive (Vue 2) before ECharts reads it.
For a chart redrawn after every step of the model that is most of the cost of
a redraw.  Here the option is encoded once, as a string: the server sends a
string, the browser parses it with ``JSON.parse`` and hands ECharts a plain
object.  Redraws that arrive faster than the screen refreshes are coalesced
(only the newest is drawn), so playing the model never queues up stale frames.

ECharts itself comes from the same local asset cache as the rest of the page
(``/_solara/cdn/echarts@5.4.0``, installed by ``solara-assets``); the loader
follows Solara's own ``echarts.vue``.
"""

from __future__ import annotations

import json
import math

import ipyvuetify
import solara
import traitlets

ECHARTS_VERSION = "5.4.0"

TEMPLATE = """
<template>
  <div ref="chart" v-bind="attributes"></div>
</template>
<script>
module.exports = {
  mounted() {
    const version = "ECHARTS_VERSION";
    this.loadRequire().then(() => {
      requirejs([`${this.getCdn()}/echarts@${version}/dist/echarts.min.js`], (echarts) => {
        this.chart = echarts.init(this.$refs.chart);
        this.draw();
        this.resizeObserver = new ResizeObserver(() => this.chart && this.chart.resize());
        this.resizeObserver.observe(this.$refs.chart);
      });
    });
  },
  beforeDestroy() {
    if (this.resizeObserver) this.resizeObserver.disconnect();
    if (this.chart) this.chart.dispose();
  },
  watch: {
    option_json() {
      if (this.pending) return;
      this.pending = true;
      requestAnimationFrame(() => { this.pending = false; this.draw(); });
    },
  },
  methods: {
    draw() {
      if (!this.chart || !this.option_json) return;
      this.chart.setOption(JSON.parse(this.option_json), {notMerge: true});
      this.$refs.chart.dataset.drawn = String(this.option_version);
    },
    loadRequire() {
      if (window.requirejs) return Promise.resolve();
      return new Promise((resolve, reject) => {
        const script = document.createElement("script");
        script.src = `${this.getCdn()}/requirejs@2.3.6/require.js`;
        script.onload = resolve;
        script.onerror = reject;
        document.head.appendChild(script);
      });
    },
    getCdn() {
      return window.solara ? window.solara.cdn : "./_solara/cdn";
    },
  },
};
</script>
""".replace("ECHARTS_VERSION", ECHARTS_VERSION)


class EChartsWidget(ipyvuetify.VuetifyTemplate):
    """The widget: ``option_json`` is the chart's option, encoded as JSON."""

    template = traitlets.Unicode(TEMPLATE).tag(sync=True)
    option_json = traitlets.Unicode("").tag(sync=True)
    option_version = traitlets.Int(0).tag(sync=True)
    attributes = traitlets.Dict(default_value={}).tag(sync=True)


def encode(option: dict) -> str:
    """The option as compact JSON; a NaN or infinity (not JSON) becomes null, a gap in a chart."""
    try:
        return json.dumps(option, separators=(",", ":"), allow_nan=False)
    except ValueError:
        return json.dumps(_finite(option), separators=(",", ":"), allow_nan=False)


def _finite(x):
    if isinstance(x, float):
        return x if math.isfinite(x) else None
    if isinstance(x, dict):
        return {k: _finite(v) for k, v in x.items()}
    if isinstance(x, list | tuple):
        return [_finite(v) for v in x]
    return x


@solara.component
def EChart(option_json: str, version: int = 0, classes: list[str] | None = None, style: str = ""):
    """Draw an option given as JSON (see :func:`encode`).

    The option is passed encoded because Solara walks a component's arguments
    looking for child elements: a nested option would be walked on every redraw.
    ``version`` (e.g. the model's day) is written to the chart's ``data-drawn``
    attribute once the browser has drawn it.
    """
    attributes = {"class": " ".join(classes or []), "style": style}
    return EChartsWidget.element(option_json=option_json, option_version=version, attributes=attributes)
