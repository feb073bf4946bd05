"""The city's chosen outcome over time, and today's numbers: the whole city, reformed communities, the rest.

The chart draws the outcome the map is coloured by, for the whole city and as
the mean over the communities already reformed and over those not yet
reformed, with each date of the rollout marked: the picture an evaluator of
the pilots compares (and the reason a difference-in-differences estimate is
not the whole answer: the groups differ before the reform, and change as
communities move from one to the other).  Its axes follow the outcome's
declaration, as the community view's charts do.

The table shows the main outcomes today for the same three groups; each value
cell carries ``data-group`` and ``data-outcome`` for the browser tests.
"""

from __future__ import annotations

import html

from govsim.outcomes import BY_NAME, MAIN_OUTCOMES
from govsim.viz import city_state, palette
from govsim.viz.city_page_model import GROUPS, CityHistory
from govsim.viz.city_state import CityFacts
from govsim.viz.line_charts import points, value_axis
from govsim.viz.numbers_table import format_value
from govsim.viz.styles import page_text

LABELS = {"city": "whole city", "reformed": "reformed communities (mean)", "not yet": "not yet reformed (mean)"}
"""The whole city's value is the model's own (counts pooled, states weighted by residents); the two groups'
values are plain means over their communities."""


def city_chart_option(name: str, history: CityHistory, facts: CityFacts) -> dict:
    """The ECharts option of one outcome over the run, by :data:`~govsim.viz.city_page_model.GROUPS`."""
    outcome = BY_NAME[name]
    font = {"fontSize": 11}
    days = history.days
    series = []
    for group in GROUPS:
        colour = palette.CITY_LINES[group]
        series.append({"type": "line", "name": LABELS[group], "data": points(days, history.series(name, group)),
                       "showSymbol": False, "symbol": "none", "color": colour,
                       "lineStyle": {"width": 3 if group == "city" else 2, "color": colour},
                       "emphasis": {"disabled": True}})
    if facts.waves:
        series[0]["markLine"] = {
            "silent": True, "symbol": "none",
            "lineStyle": {"type": "dashed", "color": palette.REFERENCE_GREY, "width": 1},
            "label": {"formatter": "{b}", "fontSize": 10, "color": "#333"},
            "data": [{"xAxis": w.day, "name": str(k + 1)} for k, w in enumerate(facts.waves)],
        }
    y_axis = value_axis(outcome.unit, outcome.low, outcome.high, 38, font)
    return {
        "animation": False,
        "tooltip": {"trigger": "axis", "confine": True},
        "grid": {"left": 54, "right": 14, "top": 14, "bottom": 36},
        "xAxis": {"type": "value", "name": "day from 1 January 2009", "nameLocation": "middle", "nameGap": 22,
                  "min": 0, "max": facts.days, "axisLabel": font, "nameTextStyle": font},
        "yAxis": y_axis,
        "series": series,
    }


def chart_legend_html() -> str:
    keys = "".join(f'<span class="govsim-key"><span class="govsim-swatch" style="border-top-color: '
                   f'{palette.CITY_LINES[g]}"></span>{html.escape(LABELS[g])}</span>' for g in GROUPS)
    marks = ('<span class="govsim-key"><span class="govsim-swatch govsim-swatch--reference" '
             f'style="border-top-color: {palette.REFERENCE_GREY}"></span>rollout dates 1, 2, 3</span>')
    return f'<div class="govsim-legend">{keys}{marks}</div>'


def city_table(history: CityHistory, facts: CityFacts, seed: int | None) -> str:
    """Today's main outcomes: the whole city, reformed communities, not yet reformed."""
    day = len(history)
    reformed = int(history.reformed[-1]) if day else 0
    counts = {"city": facts.n, "reformed": reformed, "not yet": facts.n - reformed}
    head = "".join(f'<th title="{html.escape(LABELS[g])}">{html.escape(g)} ({counts[g]})</th>' for g in GROUPS)
    rows = []
    for name in MAIN_OUTCOMES:
        outcome = BY_NAME[name]
        cells = "".join(f'<td data-group="{g}" data-outcome="{name}">'
                        f'{format_value(outcome, history.latest(name, g) if counts[g] else None)}</td>'
                        for g in GROUPS)
        rows.append(f'<tr><th title="{html.escape(page_text(outcome.meaning))}">{html.escape(name.replace("_", " "))} '
                    f'<span class="govsim-unit">{html.escape(outcome.unit)}</span></th>{cells}</tr>')
    caption = (f"Day {day} \u00b7 {city_state.date_text(day)} \u00b7 seed {seed} \u00b7 {facts.n} communities, "
               f"{int(facts.residents.sum()):,} residents (simulated 1 for {facts.scale})")
    return (f'<table class="govsim-now govsim-city-now" data-day="{day}"><caption>{html.escape(caption)}</caption>'
            f"<thead><tr><th>outcome (unit); hover for its meaning</th>{head}</tr></thead>"
            f"<tbody>{''.join(rows)}</tbody></table>")
