"""The live line charts: one chart per panel of :data:`govsim.outcomes.PANELS`.

Nothing here names an outcome: each chart draws the outcomes its panel
declares (:func:`~govsim.outcomes.panel_outcomes`), labels its y-axis with
their shared unit (:func:`~govsim.outcomes.panel_unit`), and takes its range
from their declared ``low`` and ``high``: a bounded outcome (an index or a
share) on its fixed scale, an open-ended one (days, cases, efficiency) from
``low`` up to what the data need.  An outcome added to ``outcomes.py`` appears
on the page by itself.

Each chart is a small ECharts option built in about a millisecond; titles and
legends are HTML beside the canvas, so they wrap instead of running into the
data.  Series longer than :data:`MAX_POINTS` are thinned before they are sent.
"""

from __future__ import annotations

import html
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from govsim.outcomes import PANELS, Outcome, Panel, panel_outcomes, panel_unit
from govsim.params import ROLES
from govsim.viz import community_state as state
from govsim.viz import palette
from govsim.viz.styles import page_text

MAX_POINTS = 400
"""A series longer than this is thinned (evenly) before it is sent to the browser."""

REFERENCES: dict[str, str] = {f"staff_time_{role}": role for role in ROLES}
"""Outcomes drawn with a dotted reference line: the share of staff time the centre means to give to the role."""
REFERENCE_LABEL = "intended"


@dataclass(frozen=True, slots=True)
class LineChart:
    """One chart: a panel's outcomes, how they are labelled and drawn, and the axis they share.

    Attributes:
        key: the panel's key.
        title: the panel's title as the page shows it.
        unit: the y-axis name (the outcomes' shared unit).
        outcomes: the outcomes drawn, in declaration order.
        labels: their legend names.
        colours, widths: their line colours and widths.
        low, high: the y-axis range; ``high`` None for an open-ended axis that fits the data.
    """

    key: str
    title: str
    unit: str
    outcomes: tuple[Outcome, ...]
    labels: tuple[str, ...]
    colours: tuple[str, ...]
    widths: tuple[float, ...]
    low: float
    high: float | None

    @property
    def bounded(self) -> bool:
        return self.high is not None

    @property
    def has_reference(self) -> bool:
        return any(o.name in REFERENCES for o in self.outcomes)


def legend_labels(outcomes: Sequence[Outcome]) -> tuple[str, ...]:
    """Short legend names for the outcomes of one chart.

    An outcome that refines another of the chart (``satisfaction_youth`` beside
    ``satisfaction``) is named by what it adds ("youth"), and that other by
    "all"; outcomes sharing a stem (``staff_time_service``, ``staff_time_management``)
    by what follows it; any other by its name in words.
    """
    names = [o.name for o in outcomes]
    labels = []
    for name in names:
        base = next((b for b in names if b != name and name.startswith(b + "_")), None)
        stem = name.rsplit("_", 1)[0] + "_"
        if base is not None:
            label = name[len(base) + 1:]
        elif any(n.startswith(name + "_") for n in names):
            label = "all"
        elif "_" in name and sum(n.startswith(stem) for n in names) > 1:
            label = name[len(stem):]
        else:
            label = name
        labels.append(label.replace("_", "-" if base is not None else " "))
    return tuple(labels)


def line_chart(panel: Panel) -> LineChart:
    """The chart of one panel, derived from its outcomes' declarations."""
    outcomes = panel_outcomes(panel.key)
    bounded = all(o.high is not None for o in outcomes)
    high = max(o.high for o in outcomes if o.high is not None) if bounded else None
    return LineChart(
        key=panel.key, title=page_text(panel.title), unit=panel_unit(panel.key), outcomes=outcomes,
        labels=legend_labels(outcomes), colours=palette.series_colours(len(outcomes)),
        widths=palette.series_widths(len(outcomes)), low=min(o.low for o in outcomes), high=high)


LINE_CHARTS: tuple[LineChart, ...] = tuple(line_chart(p) for p in PANELS if panel_outcomes(p.key))
"""Every chart the page draws, in the order of :data:`~govsim.outcomes.PANELS`."""


def thin(n: int, max_points: int = MAX_POINTS) -> np.ndarray:
    """Indices of at most ``max_points`` evenly spaced rows out of ``n`` (first and last kept)."""
    if n <= max_points:
        return np.arange(n)
    return np.unique(np.linspace(0, n - 1, max_points).round().astype(int))


def points(days: np.ndarray, values: np.ndarray, max_points: int = MAX_POINTS) -> list[list[float | None]]:
    """``[[day, value], ...]`` rounded for the browser (NaN -> None, a gap)."""
    keep = thin(len(days), max_points)
    vals = np.round(np.asarray(values, dtype=float)[keep], 4)
    return [[int(d), (None if np.isnan(v) else float(v))] for d, v in zip(days[keep], vals, strict=True)]


def runs_caption(runs) -> str:
    """Which configuration is which: "A: guiyang_2012 (solid) vs B: article_remedies (dashed)"."""
    if len(runs) > 1:
        return " vs ".join(f"{run.label} ({palette.LINE_TYPES[r % 2]})" for r, run in enumerate(runs))
    return runs[0].label if runs else ""


def series(chart: LineChart, runs) -> list[dict]:
    """The lines of one chart for one or two runs (B dashed)."""
    out = []
    for r, run in enumerate(runs):
        h = run.history
        days = h.days
        intended = state.intended_split(run.model, run.community) if chart.has_reference else {}
        for outcome, label, colour, width in zip(chart.outcomes, chart.labels, chart.colours, chart.widths,
                                                 strict=True):
            line_type = palette.LINE_TYPES[r % 2]
            s = {
                "type": "line", "name": f"{'AB'[r]} {label}" if len(runs) > 1 else label,
                "data": points(days, h[outcome.name]), "showSymbol": False, "symbol": "none", "color": colour,
                "lineStyle": {"width": width, "type": line_type, "color": colour},
                "emphasis": {"disabled": True},
            }
            if outcome.name in REFERENCES:
                s["markLine"] = {"silent": True, "symbol": "none", "label": {"show": False},
                                 "lineStyle": {"type": "dotted", "color": colour, "width": 1.5},
                                 "data": [{"yAxis": round(intended[REFERENCES[outcome.name]], 4)}]}
            out.append(s)
    return out


def value_axis(unit: str, low: float, high: float | None, name_gap: int, font: dict) -> dict:
    """A y axis from an outcome's declared range: fixed, with quarter ticks, when bounded; from ``low`` up when not."""
    axis: dict = {"type": "value", "name": unit, "nameLocation": "middle", "nameGap": name_gap,
                  "nameTextStyle": font, "axisLabel": font, "min": low}
    if high is not None:
        axis.update(max=high, interval=(high - low) / 4)
    return axis


def line_option(chart: LineChart, runs) -> dict:
    """The ECharts option of one chart."""
    n_days = len(runs[0].history) if runs else 0
    font = {"fontSize": 11}
    y_axis = value_axis(chart.unit, chart.low, chart.high, 36, font)
    return {
        "animation": False,
        "tooltip": {"trigger": "axis", "confine": True},
        "grid": {"left": 50, "right": 10, "top": 8, "bottom": 34},
        "xAxis": {"type": "value", "name": "day", "nameLocation": "middle", "nameGap": 20, "min": 0,
                  "max": max(10, n_days), "axisLabel": font, "nameTextStyle": font},
        "yAxis": y_axis,
        "series": series(chart, runs),
    }


def legend_html(chart: LineChart) -> str:
    """A chart's legend as HTML: a swatch of each line's colour and its name; hover for the meaning."""
    keys = [
        f'<span class="govsim-key" title="{html.escape(page_text(o.meaning))}">'
        f'<span class="govsim-swatch" style="border-top-color: {colour}"></span>{html.escape(label)}</span>'
        for o, label, colour in zip(chart.outcomes, chart.labels, chart.colours, strict=True)
    ]
    if chart.has_reference:
        keys.append(f'<span class="govsim-key"><span class="govsim-swatch govsim-swatch--reference" '
                    f'style="border-top-color: {palette.REFERENCE_GREY}"></span>{REFERENCE_LABEL}</span>')
    return f'<div class="govsim-legend">{"".join(keys)}</div>'


def title_html(chart: LineChart) -> str:
    return f'<div class="govsim-line-title">{html.escape(chart.title)}</div>'
