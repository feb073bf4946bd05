"""The city drawn as a map of its communities: where each goes, and the colour scale of an outcome.

A schematic, not a survey map: each district is a box, placed roughly where
it lies in Guiyang (north at the top: Baiyun, Yunyan and Wudang; Jinyang west
of Nanming; Huaxi and Xiaohe to the south), with its communities as equal
squares inside it in their order.  Every community gets the same square
whatever its size, so the eye compares outcomes, not areas.  Districts the
schematic does not know are placed in rows after the known ones.

The colours follow one outcome on a sequential scale (viridis: ordered, and
readable with the common colour blindnesses), over a range that covers what
the bulk of the communities has shown so far (the page model keeps it),
rounded outward to round numbers and kept within the outcome's declared
range: the scale only widens, and its ends are printed beside it, with "≤" or
"≥" when some community lies beyond an end (it takes the end's colour).  The
scale says "more" and "less", not "better": whether a high value is good
depends on the outcome (days to a decision, or needs met).

Nothing here reads a model; :mod:`govsim.viz.city_state` does.
"""

from __future__ import annotations

import html
import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from govsim.outcomes import Outcome
from govsim.viz import city_state, palette
from govsim.viz.city_state import CityFacts

SCHEMATIC: dict[str, tuple[int, int]] = {
    "Baiyun": (0, 0), "Yunyan": (1, 0), "Wudang": (2, 0),
    "Jinyang": (0, 1), "Nanming": (1, 1),
    "Huaxi": (0, 2), "Xiaohe": (1, 2),
}
"""Guiyang's districts in a 3 x 3 schematic, (column, row), north at the top (assumption from a map of the city)."""

CELL, GAP, PAD, LABEL, SLOT_GAP = 10.0, 1.6, 2.4, 6.5, 4.0
"""A community's square, the gap between squares, a district box's padding, the height of its name,
and the gap between district boxes, in the map's own units (its SVG viewBox)."""

MARGIN = 1.0
"""Room around the map, so the districts' outlines are not cut at its edges."""

ASPECT = 1.2
"""Columns over rows a district's squares aim for (the map's place on the page is wider than high)."""


@dataclass(frozen=True)
class MapLayout:
    """Where every community and district is drawn, in viewBox units.

    Attributes:
        width, height: the viewBox.
        cells: (x, y, size) of each community's square, in the city's order.
        districts: (x, y, width, height) of each district's box, in the city's order.
        district_names: the districts' names.
    """

    width: float
    height: float
    cells: np.ndarray
    districts: np.ndarray
    district_names: tuple[str, ...]


def _grid(k: int) -> tuple[int, int]:
    """Columns and rows of a district's squares."""
    cols = max(1, math.ceil(math.sqrt(k * ASPECT)))
    return cols, max(1, math.ceil(k / cols))


def _slots(names: Sequence[str]) -> list[tuple[int, int]]:
    """Each district's (column, row): the schematic's, then rows of three below it for any other."""
    known = [n in SCHEMATIC for n in names]
    rows_used = max((SCHEMATIC[n][1] for n in names if n in SCHEMATIC), default=-1) + 1
    slots, extra = [], 0
    for name, is_known in zip(names, known, strict=True):
        if is_known:
            slots.append(SCHEMATIC[name])
        else:
            slots.append((extra % 3, rows_used + extra // 3))
            extra += 1
    return slots


def map_layout(district: np.ndarray, district_names: Sequence[str]) -> MapLayout:
    """The map of a city whose community ``i`` lies in district ``district[i]``."""
    district = np.asarray(district, dtype=int)
    n_districts = len(district_names)
    members = [np.flatnonzero(district == d) for d in range(n_districts)]
    grids = [_grid(len(m)) for m in members]
    sizes = [(PAD * 2 + c * CELL + (c - 1) * GAP, PAD * 2 + LABEL + r * CELL + (r - 1) * GAP) for c, r in grids]
    slots = _slots(district_names)
    n_cols = max(c for c, _ in slots) + 1
    n_rows = max(r for _, r in slots) + 1
    col_w = np.zeros(n_cols)
    row_h = np.zeros(n_rows)
    for (c, r), (w, h), m in zip(slots, sizes, members, strict=True):
        if len(m):
            col_w[c] = max(col_w[c], w)
            row_h[r] = max(row_h[r], h)
    col_x = MARGIN + np.concatenate([[0.0], np.cumsum(col_w + SLOT_GAP)[:-1]])
    row_y = MARGIN + np.concatenate([[0.0], np.cumsum(row_h + SLOT_GAP)[:-1]])
    cells = np.zeros((len(district), 3))
    boxes = np.zeros((n_districts, 4))
    for d, ((c, r), (w, h), (cols, _), m) in enumerate(zip(slots, sizes, grids, members, strict=True)):
        # A box sits at the top of its slot, centred across it.
        x0, y0 = col_x[c] + (col_w[c] - w) / 2, row_y[r]
        boxes[d] = (x0, y0, w, h)
        for j, i in enumerate(m):
            cells[i] = (x0 + PAD + (j % cols) * (CELL + GAP), y0 + PAD + LABEL + (j // cols) * (CELL + GAP), CELL)
    width = float(col_w.sum() + SLOT_GAP * (n_cols - 1) + 2 * MARGIN)
    height = float(row_h.sum() + SLOT_GAP * (n_rows - 1) + 2 * MARGIN)
    return MapLayout(width, height, cells, boxes, tuple(district_names))


# --- the colour scale ----------------------------------------------------------------------------


def nice_step(span: float, intervals: int = 4) -> float:
    """A round step (1, 2, 2.5 or 5 times a power of ten) that cuts ``span`` into about ``intervals`` parts."""
    if not span > 0:
        return 1.0
    raw = span / intervals
    power = 10.0 ** math.floor(math.log10(raw))
    return next(m * power for m in (1.0, 2.0, 2.5, 5.0, 10.0) if m * power >= raw - 1e-12)


@dataclass(frozen=True, slots=True)
class ColourScale:
    """An outcome mapped onto the sequential colours from ``low`` to ``high``."""

    outcome: Outcome
    low: float
    high: float
    below: bool = False
    above: bool = False

    @classmethod
    def covering(cls, outcome: Outcome, seen_low: float, seen_high: float,
                 lowest: float | None = None, highest: float | None = None) -> ColourScale:
        """A scale covering the values seen, with round ends, within the outcome's declared range;
        ``lowest`` and ``highest`` (the extremes seen) say whether some value lies beyond an end."""
        scale = cls._covering(outcome, seen_low, seen_high)
        below = lowest is not None and math.isfinite(lowest) and lowest < scale.low
        above = highest is not None and math.isfinite(highest) and highest > scale.high
        return cls(outcome, scale.low, scale.high, below, above)

    @classmethod
    def _covering(cls, outcome: Outcome, seen_low: float, seen_high: float) -> ColourScale:
        if not (math.isfinite(seen_low) and math.isfinite(seen_high)):
            high = outcome.high if outcome.high is not None else outcome.low + 1.0
            return cls(outcome, outcome.low, high)
        step = nice_step(seen_high - seen_low)
        low = math.floor(seen_low / step + 1e-9) * step
        high = math.ceil(seen_high / step - 1e-9) * step
        if high <= low:
            low, high = low - step, high + step
        low = max(low, outcome.low)
        if outcome.high is not None:
            high = min(high, outcome.high)
        if high <= low:  # a bounded outcome pinned at one end of its range
            low, high = outcome.low, outcome.high if outcome.high is not None else outcome.low + 1.0
        return cls(outcome, round(low, 10), round(high, 10))

    def position(self, values: np.ndarray) -> np.ndarray:
        """Where values fall on the scale, in [0, 1] (NaN stays NaN)."""
        return np.clip((np.asarray(values, dtype=float) - self.low) / (self.high - self.low), 0.0, 1.0)

    def colours(self, values: np.ndarray) -> list[str]:
        """The fill of each value; a missing value (NaN) is grey."""
        t = self.position(values)
        return [palette.NO_VALUE if math.isnan(x) else _MAP_SHADES[round(x * (len(_MAP_SHADES) - 1))]
                for x in t.tolist()]

    def ticks(self, count: int = 5) -> list[float]:
        return [float(x) for x in np.linspace(self.low, self.high, count)]

    def format(self, value: float) -> str:
        """A value as the scale and the tooltips show it."""
        if math.isnan(value):
            return "no value yet"
        span = self.high - self.low
        digits = 0 if span >= 20 else 1 if span >= 2 else 2 if span >= 0.2 else 3
        return f"{value:,.{digits}f}"


_MAP_SHADES = [palette.interpolate(palette.MAP_STOPS, t) for t in np.linspace(0.0, 1.0, 101)]


def gradient_css() -> str:
    return "linear-gradient(to right, " + ", ".join(palette.MAP_STOPS) + ")"


# --- what the map says about each community ------------------------------------------------------


def switch_text(facts: CityFacts, c: int, day: int) -> str:
    """When the community switches to three levels, said for ``day``."""
    switch = facts.switch_day[c]
    if switch is None:
        return "no reform in this run: four levels throughout"
    when = f"{city_state.date_text(switch)} (day {switch})"
    return f"reformed on {when}" if day >= switch else f"switches to three levels on {when}"


def cell_titles(facts: CityFacts, scale: ColourScale, values: np.ndarray, day: int) -> list[str]:
    """Each square's tooltip: name, district, size, today's value, the reform."""
    o = scale.outcome
    unit = f" {o.unit}" if o.unit and not o.bounded else ""
    label = o.name.replace("_", " ")
    return [f"{facts.names[c]} ({facts.district_of(c)} district), {int(facts.residents[c]):,} residents\n"
            f"{label}: {scale.format(float(values[c]))}{unit}\n{switch_text(facts, c, day)}\nclick to open it"
            for c in range(facts.n)]


def scale_html(scale: ColourScale) -> str:
    """The labelled colour scale: the outcome, its unit, the gradient with its ends and middle, no value, reformed."""
    o = scale.outcome
    ticks = [scale.format(t) for t in scale.ticks(3)]
    ticks[0] = ("\u2264" if scale.below else "") + ticks[0]
    ticks[-1] = ("\u2265" if scale.above else "") + ticks[-1]
    marks = "".join(f"<span>{html.escape(t)}</span>" for t in ticks)
    return (
        f'<span class="govsim-map-scale" data-low="{scale.low:g}" data-high="{scale.high:g}">'
        f'<span class="govsim-map-scale-name">{html.escape(o.name.replace("_", " "))} '
        f'<span class="govsim-unit">{html.escape(o.unit)}</span></span>'
        f'<span class="govsim-map-scale-bar"><span class="govsim-gradient govsim-gradient--map" '
        f'style="background: {gradient_css()}"></span><span class="govsim-map-ticks">{marks}</span></span>'
        f'<span class="govsim-key"><span class="govsim-box" style="background: {palette.NO_VALUE}"></span>no value'
        f'</span><span class="govsim-key"><span class="govsim-box govsim-box--round govsim-box--reformed"></span>'
        f"reformed</span></span>"
    )
