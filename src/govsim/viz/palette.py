"""Every colour the page uses, in one place.

Lines take the Okabe-Ito colours (told apart with the common kinds of colour
blindness), in an order that keeps the closest pair, orange and vermillion,
at a CIE76 distance above 30; yellow is left out (unreadable on white).  The
residents of the network view are coloured on a diverging red-to-blue scale
of satisfaction (ColorBrewer RdYlBu).  In compare mode configuration A is
drawn solid and B dashed, in the same colours.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

SERIES = ("#000000", "#E69F00", "#56B4E9", "#009E73", "#D55E00", "#CC79A7", "#0072B2", "#999999")
"""Line colours, taken in this order by the outcomes of a chart."""

LINE_TYPES = ("solid", "dashed")
"""Configuration A, configuration B."""

REFERENCE_GREY = "#555555"
"""Reference lines and their legend (e.g. the staff-time split the centre means to give)."""

SATISFACTION_SCALE = (0.2, 0.8)
"""Satisfaction mapped onto the colour scale (values outside take the end colours)."""
SATISFACTION_STOPS = ("#d73027", "#fc8d59", "#fee090", "#91bfdb", "#4575b4")  # low (red) to high (blue)

MAP_STOPS = ("#440154", "#3b528b", "#21918c", "#5ec962", "#fde725")
"""The city map's sequential scale, low to high: viridis (perceptually even, readable with colour blindness)."""
NO_VALUE = "#bdbdbd"
"""A community with no value of the outcome yet (e.g. no welfare file decided in the window)."""
REFORMED_MARK = "#ffffff"
"""The dot on a community that has switched to three levels (with a dark outline: visible on every fill)."""
CITY_LINES = {"city": "#000000", "reformed": "#0072B2", "not yet": "#E69F00"}
"""The city chart: the whole city, the communities already reformed, those not yet reformed."""

INSTITUTION_FILL = {"district": "#e6e6e6", "street_office": "#e6e6e6", "party": "#f4cccc",
                    "centre": "#cfe2f3", "council": "#d9ead3"}
PARTY_LINK = "#cc6666"
COUNCIL_LINK = "#66aa66"
CHAIN_LINK = "#888888"
OUTLINE = "#555555"
UNIT_SCALE = ("#dddddd", "#1b7837")
"""A stationed unit's fill: not engaged, engaged."""
ORIGIN_COLOURS = ("#0072B2", "#009E73", "#E69F00", "#CC79A7")
"""Staff members by origin (:data:`govsim.params.ORIGINS` order): Okabe-Ito blue, green, orange, pink."""
AGENDA_COLOURS = ("#cc6666", "#66aa66", "#cccccc")
"""The council's agenda: taken by the centre and party (the party's red), residents' share (the council's
green), other business (grey)."""
MOTIVATION_STOPS = ("#fff5eb", "#fdae6b", "#e6550d", "#7f2704")
"""Staff members' motivation from none (pale) to full (dark brown): ColorBrewer Oranges."""
PARTICIPANT_LINK = "#7b3294"
VOLUNTEER_LINK = "#009E73"
INFORMED_RING, UNINFORMED_RING = "#111111", "#ffffff"


def series_colours(n: int) -> tuple[str, ...]:
    """The colours of ``n`` lines drawn in one chart."""
    if n > len(SERIES):
        raise ValueError(f"a chart of {n} lines needs more than the palette's {len(SERIES)} colours")
    return SERIES[:n]


def series_widths(n: int) -> tuple[float, ...]:
    """Line widths of ``n`` lines, widest first: drawn in this order, a line that runs on top of
    another leaves the one below showing at its edges, so identical series stay visible."""
    if n == 1:
        return (2.5,)
    return tuple(round(float(w), 2) for w in np.linspace(4.5, 1.5, n))


def interpolate(stops: Sequence[str], t: float) -> str:
    """The colour at ``t`` in [0, 1] along evenly spaced ``stops`` (hex colours)."""
    t = min(1.0, max(0.0, float(t)))
    pos = t * (len(stops) - 1)
    i = min(int(pos), len(stops) - 2)
    f = pos - i
    a = [int(stops[i][k:k + 2], 16) for k in (1, 3, 5)]
    b = [int(stops[i + 1][k:k + 2], 16) for k in (1, 3, 5)]
    return "#" + "".join(f"{round(x + (y - x) * f):02x}" for x, y in zip(a, b, strict=True))


_SHADES = [interpolate(SATISFACTION_STOPS, t) for t in np.linspace(0.0, 1.0, 101)]


def satisfaction_colours(values: np.ndarray) -> list[str]:
    """Colours of many satisfaction levels at once (a lookup table of 101 shades; NaN takes the low end)."""
    lo, hi = SATISFACTION_SCALE
    t = np.clip((np.nan_to_num(np.asarray(values, dtype=float), nan=lo) - lo) / (hi - lo), 0.0, 1.0)
    return [_SHADES[i] for i in np.rint(t * (len(_SHADES) - 1)).astype(int).tolist()]


def satisfaction_colour(value: float) -> str:
    """The colour of one satisfaction level."""
    return satisfaction_colours(np.array([value]))[0]


def satisfaction_gradient_css() -> str:
    """The satisfaction scale as a CSS gradient, for the network view's legend."""
    return "linear-gradient(to right, " + ", ".join(SATISFACTION_STOPS) + ")"


def unit_colour(engaged: bool) -> str:
    """A stationed unit's fill: dark while it takes part, pale otherwise."""
    return UNIT_SCALE[1] if engaged else UNIT_SCALE[0]


_MOTIVATION_SHADES = [interpolate(MOTIVATION_STOPS, t) for t in np.linspace(0.0, 1.0, 101)]


def motivation_colours(values: np.ndarray) -> list[str]:
    """Colours of staff members' motivation in [0, 1] (pale: little, dark: much)."""
    t = np.clip(np.nan_to_num(np.asarray(values, dtype=float)), 0.0, 1.0)
    return [_MOTIVATION_SHADES[i] for i in np.rint(t * 100).astype(int).tolist()]
