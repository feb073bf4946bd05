"""What the page draws, as plain data: ECharts options and an HTML table.

The charts are drawn by the browser (ECharts, served by the local server):
Python only builds a small JSON-able dict per redraw, which costs about a
millisecond, where a Matplotlib PNG of one chart costs over 100 ms on a
classroom machine.  Every function here takes a :class:`~govsim.viz.classroom.Classroom`
(or its runs) and returns data, so it is tested without Solara or a browser.

Colours are the Okabe-Ito palette (readable with colour-blindness); in compare
mode configuration A is drawn solid and B dashed, in the same colours.
"""

from __future__ import annotations

import html
import itertools
from collections.abc import Sequence

import numpy as np

from govsim.outcomes import MAIN_OUTCOMES, OUTCOMES
from govsim.params import GROUPS, ROLES, UNIT_TYPES
from govsim.viz.layout import (
    MAX_UNITS_COMPARE,
    PER_GROUP_COMPARE,
    WIDTH,
    Layout,
    build_layout,
)

MAX_POINTS = 400
"""A series longer than this is thinned (evenly) before it is sent to the browser."""

OVERALL = "#000000"
GROUP_COLOURS = dict(zip(GROUPS, ("#E69F00", "#56B4E9", "#009E73", "#D55E00", "#999999"), strict=True))
ROLE_COLOURS = dict(zip(ROLES, ("#009E73", "#0072B2", "#D55E00"), strict=True))
LINE_TYPES = ("solid", "dashed")

SATISFACTION_SCALE = (0.2, 0.8)
"""Satisfaction mapped onto the colour scale (values outside take the end colours)."""
SATISFACTION_STOPS = ("#d73027", "#fc8d59", "#fee090", "#91bfdb", "#4575b4")  # low (red) to high (blue)

MEANING = {o.name: o.meaning for o in OUTCOMES}

CHARTS: tuple[tuple[str, str, tuple[tuple[str, str, str, float], ...]], ...] = (
    ("satisfaction", "Residents' satisfaction, overall and by group", (
        ("satisfaction", "overall", OVERALL, 3.0),
        *((f"satisfaction_{g}", g.replace("_", "-"), GROUP_COLOURS[g], 1.6) for g in GROUPS),
    )),
    ("staff_time", "The centre's realised split of staff time", tuple(
        (f"staff_time_{r}", r, ROLE_COLOURS[r], 2.4) for r in ROLES)),
    ("flows", "Policy down, opinions up", (
        ("downward_reach", "downward reach", "#0072B2", 2.4),
        ("upward_flow", "upward flow", "#D55E00", 2.4),
    )),
    ("council", "Residents' council effectiveness", (
        ("council_effectiveness", "council effectiveness", "#CC79A7", 2.4),
    )),
    ("units", "Units' resources mobilised", (
        ("unit_resources_mobilised", "resources mobilised", "#009E73", 2.4),
    )),
)
"""Each line chart: key, title, and its series (outcome, legend name, colour, width)."""

CHART_KEYS = tuple(key for key, _, _ in CHARTS)


# --- helpers ----------------------------------------------------------------------------------


def thin(n: int, max_points: int = MAX_POINTS) -> np.ndarray:
    """Indices of at most ``max_points`` evenly spaced rows out of ``n`` (first and last kept)."""
    if n <= max_points:
        return np.arange(n)
    return np.unique(np.linspace(0, n - 1, max_points).round().astype(int))


def points(days: np.ndarray, values: np.ndarray, max_points: int = MAX_POINTS) -> list[list[float]]:
    """``[[day, value], ...]`` rounded for the browser (NaN -> None, a gap)."""
    keep = thin(len(days), max_points)
    vals = np.round(np.asarray(values, dtype=float)[keep], 4)
    return [[int(d), (None if np.isnan(v) else float(v))] for d, v in zip(days[keep], vals, strict=True)]


def satisfaction_colour(value: float) -> str:
    """The colour of a satisfaction level on :data:`SATISFACTION_STOPS`."""
    return satisfaction_colours(np.array([value]))[0]


def satisfaction_colours(values: np.ndarray) -> list[str]:
    """Colours of many satisfaction levels at once (a lookup table of 101 shades)."""
    lo, hi = SATISFACTION_SCALE
    t = np.clip((np.nan_to_num(np.asarray(values, dtype=float), nan=lo) - lo) / (hi - lo), 0.0, 1.0)
    return [_SHADES[i] for i in np.rint(t * (len(_SHADES) - 1)).astype(int).tolist()]


def _interpolate(stops: Sequence[str], t: float) -> str:
    pos = t * (len(stops) - 1)
    i = min(int(pos), len(stops) - 2)
    f = pos - i
    a = [int(stops[i][k:k + 2], 16) for k in (1, 3, 5)]
    b = [int(stops[i + 1][k:k + 2], 16) for k in (1, 3, 5)]
    return "#" + "".join(f"{round(x + (y - x) * f):02x}" for x, y in zip(a, b, strict=True))


_SHADES = [_interpolate(SATISFACTION_STOPS, t) for t in np.linspace(0.0, 1.0, 101)]


def _text_style(size=13, **kw):
    return {"fontSize": size, **kw}


def _empty_graphic(text: str) -> list[dict]:
    return [{"type": "text", "left": "center", "top": "middle", "silent": True,
             "style": {"text": text, "fontSize": 16, "fill": "#777", "backgroundColor": "#ffffffcc",
                       "padding": 8}}]


def series_name(run_index: int, name: str, compare: bool) -> str:
    return f"{'AB'[run_index]} {name}" if compare else name


# --- line charts ------------------------------------------------------------------------------


def chart_spec(key: str):
    """Title and series of one of :data:`CHARTS`."""
    for k, title, spec in CHARTS:
        if k == key:
            return title, spec
    raise KeyError(f"no chart {key!r}; charts: {', '.join(CHART_KEYS)}")


def runs_caption(runs) -> str:
    """Which configuration is which: "A: guiyang_2012 (solid) vs B: article_remedies (dashed)"."""
    if len(runs) > 1:
        return " vs ".join(f"{run.label} ({'solid' if r == 0 else 'dashed'})" for r, run in enumerate(runs))
    return runs[0].label if runs else ""


def panel_series(key: str, runs, grid: int = 0) -> list[dict]:
    """The lines of one of :data:`CHARTS` for one or two runs, on grid number ``grid``."""
    _, spec = chart_spec(key)
    compare = len(runs) > 1
    series = []
    for r, run in enumerate(runs):
        h = run.history
        days = h.days
        for outcome, name, colour, width in spec:
            s = {
                "type": "line", "name": series_name(r, name, compare), "data": points(days, h[outcome]),
                "xAxisIndex": grid, "yAxisIndex": grid,
                "showSymbol": False, "symbol": "none", "color": colour,
                "lineStyle": {"width": width, "type": LINE_TYPES[r % 2], "color": colour},
                "emphasis": {"disabled": True},
            }
            if key == "staff_time":  # the split the centre means to give, dotted
                role = outcome.removeprefix("staff_time_")
                intended = float(run.model.centre.emphasis[ROLES.index(role)])
                s["markLine"] = {"silent": True, "symbol": "none", "label": {"show": False},
                                 "lineStyle": {"type": "dotted", "color": colour, "width": 1.5},
                                 "data": [{"yAxis": round(intended, 4)}]}
            series.append(s)
    return series


def legend_text(key: str) -> dict:
    """A panel's legend as one rich text (cheaper to draw than an ECharts legend component)."""
    _, spec = chart_spec(key)
    parts, rich = [], {}
    for i, (_, name, colour, _) in enumerate(spec):
        rich[f"k{i}"] = {"fill": colour, "fontSize": 13, "fontWeight": "bold"}
        parts.append(f"{{k{i}|\u2501\u2501}} {name}")
    if key == "staff_time":
        rich["d"] = {"fill": "#555", "fontSize": 13}
        parts.append("{d|\u2508\u2508} intended")
    return {"text": "   ".join(parts), "rich": rich, "fontSize": 12, "fill": "#333"}


PANELS: dict[str, tuple[float, float, float]] = {
    # key: left, top (of the panel's row) and width, in % of the chart
    "satisfaction": (4.0, 0.0, 43.0),
    "staff_time": (54.0, 0.0, 43.0),
    "flows": (4.0, 50.0, 26.5),
    "council": (37.0, 50.0, 26.5),
    "units": (70.0, 50.0, 26.5),
}
"""Where each of :data:`CHARTS` sits in the one canvas of the live charts (two rows)."""


def live_charts(runs) -> dict:
    """The ECharts option of all of :data:`CHARTS` in one canvas, one panel each.

    One canvas for the five panels, with titles and legends as plain text
    elements, costs the browser about half of five separate charts per redraw.
    """
    n_days = len(runs[0].history) if runs else 0
    axis_font = _text_style(12)
    option = {"animation": False, "tooltip": {"trigger": "axis"},
              "grid": [], "xAxis": [], "yAxis": [], "series": [], "graphic": []}
    for i, key in enumerate(CHART_KEYS):
        left, top, width = PANELS[key]
        title, _ = chart_spec(key)
        option["grid"].append({"left": f"{left}%", "top": f"{top + 8}%", "width": f"{width}%", "height": "29%"})
        option["xAxis"].append({"gridIndex": i, "type": "value", "name": "day", "nameLocation": "middle",
                                "nameGap": 20, "min": 0, "max": max(10, n_days), "axisLabel": axis_font,
                                "nameTextStyle": axis_font})
        option["yAxis"].append({"gridIndex": i, "type": "value", "min": 0, "max": 1, "interval": 0.25,
                                "axisLabel": axis_font})
        option["series"] += panel_series(key, runs, i)
        option["graphic"].append({"type": "text", "left": f"{left}%", "top": f"{top + 2}%", "silent": True,
                                  "style": {"text": title, "fontSize": 15, "fontWeight": "bold", "fill": "#222"}})
        option["graphic"].append({"type": "text", "left": f"{left}%", "top": f"{top + 45}%", "silent": True,
                                  "style": legend_text(key)})
    if n_days == 0:
        option["graphic"] += _empty_graphic("Press Step or \u25b6 to run the model")
    return option


def line_chart(key: str, runs) -> dict:
    """One of :data:`CHARTS` on its own (for a notebook or a test): its panel as a whole chart."""
    n_days = len(runs[0].history) if runs else 0
    return {
        "animation": False,
        "title": {"text": chart_spec(key)[0], "subtext": runs_caption(runs), "left": "center"},
        "tooltip": {"trigger": "axis"},
        "grid": {"left": 44, "right": 16, "top": 60, "bottom": 36},
        "xAxis": {"type": "value", "name": "day", "nameLocation": "middle", "nameGap": 22, "min": 0,
                  "max": max(10, n_days)},
        "yAxis": {"type": "value", "min": 0, "max": 1},
        "series": panel_series(key, runs),
    }


# --- the network view ---------------------------------------------------------------------------

UNIT = 100.0
"""Layout units are sent to ECharts times this.  ECharts snaps horizontal and vertical
lines to half *data* units before scaling them to the screen, which shifts them off
their nodes by tens of pixels when a data unit is large on screen; with data units
well below a pixel the snapping is invisible."""

_INSTITUTION_COLOURS = {"district": "#e6e6e6", "street_office": "#e6e6e6", "party": "#f4cccc",
                        "centre": "#cfe2f3", "council": "#d9ead3"}
_PLURAL = {"enterprise": "enterprises", "school": "schools", "hospital": "hospitals", "agency": "agencies"}


def _label(text: str, size: int = 12, position: str = "inside", bold: bool = False, color: str = "#222") -> dict:
    return {"show": True, "formatter": text, "position": position, "fontSize": size,
            "fontWeight": "bold" if bold else "normal", "color": color, "lineHeight": size + 3}


def _text_node(name: str, x: float, y: float, text: str, size: int = 12, bold: bool = True) -> dict:
    return {"name": name, "x": x, "y": y, "symbolSize": 0, "label": _label(text, size, "inside", bold),
            "tooltip": {"show": False}}


def _pct(x: float) -> str:
    return f"{100 * x:.0f}%"


def institution_texts(m, compact: bool = False) -> dict[str, str]:
    """The labels of the institutions, with the numbers a class watches."""
    split = m.centre.time_split
    if compact:
        return {
            "district": f"District\ntasks {m.v['district.task_pressure']:.2f}",
            "street_office": "Street office",
            "party": "Party" + ("\none team" if m.party.two_signs_one_team else ""),
            "centre": f"{m.centre.label.split()[0]}\nS {_pct(split[0])} C {_pct(split[1])} M {_pct(split[2])}",
            "council": f"Council\n{m.council.effectiveness:.2f}",
        }
    return {
        "district": f"District\ntask pressure {m.v['district.task_pressure']:.2f}",
        "street_office": "Street office\n(before the reform)",
        "party": "Party committee" + ("\ntwo signs, one team" if m.party.two_signs_one_team else "")
                 + ("\nbig party committee" if m.party.big_party_committee else ""),
        "centre": f"{m.centre.label}\nservice {_pct(split[0])} · coordination {_pct(split[1])}"
                  f"\nmanagement {_pct(split[2])}",
        "council": f"Residents' council\neffectiveness {m.council.effectiveness:.2f}",
    }


def community_graph(run, layout: Layout, prefix: str, dx: float = 0.0,
                    compact: bool = False) -> tuple[list[dict], list[dict]]:
    """Nodes and links of one community, shifted right by ``dx``; ``compact`` for two side by side."""
    m = run.model
    font = 10 if compact else 12
    tag = f"{prefix[0]} \u00b7 " if compact else ""  # tooltips must differ between the two communities
    nodes: list[dict] = []
    links: list[dict] = []

    def xy(p):
        return round((float(p[0]) + dx) * UNIT, 1), round(float(p[1]) * UNIT, 1)

    x, y = xy((0.0, -0.9))
    nodes.append(_text_node(f"{prefix}title", x, y, f"{run.label} · day {len(run.history)}", font + 2))

    # Institutions.
    texts = institution_texts(m, compact)
    full = institution_texts(m) if compact else texts
    for key, pos in layout.institutions.items():
        x, y = xy(pos)
        lines = texts[key].count("\n") + 1
        width = (112 if key == "centre" else 78) if compact else (230 if key == "centre" else 150)
        nodes.append({"name": prefix + key, "x": x, "y": y, "symbol": "roundRect",
                      "symbolSize": [width, 8 + lines * (font + 3)],
                      "itemStyle": {"color": _INSTITUTION_COLOURS[key], "borderColor": "#555", "borderWidth": 1},
                      "label": _label(texts[key], font), "tip": tag + full[key].replace("\n", "<br>")})
    chain = ["district", "street_office", "centre"] if "street_office" in layout.institutions else ["district", "centre"]
    for a, b in itertools.pairwise(chain):
        links.append({"source": prefix + a, "target": prefix + b, "symbol": ["none", "arrow"], "symbolSize": 9,
                      "lineStyle": {"width": round(1.5 + 1.5 * m.task_load, 2), "color": "#888"}})
    links.append({"source": prefix + "party", "target": prefix + "centre",
                  "lineStyle": {"width": 5 if m.party.two_signs_one_team else 1.5, "color": "#c66",
                                "type": "solid" if m.party.two_signs_one_team else "dashed"}})
    links.append({"source": prefix + "centre", "target": prefix + "council",
                  "lineStyle": {"width": round(1.5 + 4 * float(m.council.effectiveness), 2), "color": "#6a6"}})

    # Stationed units: shade and link width show engagement.
    units = list(m.units)
    for i, pos in zip(layout.units, layout.unit_xy, strict=True):
        u = units[int(i)]
        x, y = xy(pos)
        e = float(u.engagement)
        name = f"{prefix}u{int(i)}"
        tip = f"{tag}{u.label} #{int(i)} (stationed unit)<br>engagement {e:.2f}<br>resources {u.resources:.2f} h/day"
        size = (5 if compact else 7) + (2 if compact else 5) * min(3.0, float(np.sqrt(u.resources)))
        nodes.append({"name": name, "x": x, "y": y, "symbol": "diamond", "symbolSize": round(size, 1),
                      "itemStyle": {"color": _interpolate(("#dddddd", "#1b7837"), min(1.0, e)),
                                    "borderColor": "#555", "borderWidth": 0.5},
                      "tip": tip})
        links.append({"source": prefix + "centre", "target": name,
                      "lineStyle": {"width": round(0.3 + 3 * e, 2), "color": "#1b7837",
                                    "opacity": round(0.12 + 0.6 * e, 2)}})
    counts = {k: sum(1 for u in units if u.kind == k) for k in UNIT_TYPES}
    for kind, pos in layout.unit_kind_xy.items():
        x, y = xy(pos)
        name = f"{prefix}kind_{kind}"
        text = f"{counts[kind]}" if compact else f"{_PLURAL.get(kind, kind + 's')} ({counts[kind]})"
        nodes.append(_text_node(name, x, y, text, font - 1, bold=False))
        if m.party.big_party_committee:
            links.append({"source": prefix + "party", "target": name,
                          "lineStyle": {"width": 1, "color": "#c66", "type": "dashed", "opacity": 0.6}})

    # Resident groups: label with the whole group's mean satisfaction.
    r = m.residents
    means = r.mean_by_group(r.satisfaction)
    for g, pos in enumerate(layout.group_xy):
        x, y = xy(pos)
        label = GROUPS[g].replace("_", "-")
        share = r.group_size[g] / max(1, r.n)
        text = (f"{label}\n{means[g]:.2f}" if compact else f"{label} ({_pct(share)})\nmean {means[g]:.2f}") \
            if r.group_size[g] else f"{label}\nnone"
        nodes.append(_text_node(f"{prefix}group_{g}", x, y, text, font))

    # Sampled residents.
    idx = layout.residents
    sat, trust = r.satisfaction[idx], r.trust[idx]
    informed, joined, volunteer = r.informed[idx], r.participant[idx], r.volunteer[idx]
    size = 7 if compact else 11
    colours = satisfaction_colours(sat)
    for k, i in enumerate(idx.tolist()):
        x, y = xy(layout.resident_xy[k])
        name = f"{prefix}r{i}"
        group = GROUPS[layout.resident_group[k]].replace("_", "-")
        tip = (f"{tag}resident {i} ({group})<br>satisfaction {sat[k]:.2f} · trust {trust[k]:.2f}"
               f"<br>{'knows' if informed[k] else 'does not know'} current policy"
               + ("<br>takes part in the council" if joined[k] else "") + ("<br>volunteers" if volunteer[k] else ""))
        nodes.append({"name": name, "x": x, "y": y, "symbolSize": size,
                      "itemStyle": {"color": colours[k],
                                    "borderColor": "#111" if informed[k] else "#ffffff",
                                    "borderWidth": 1.6 if informed[k] else 0.6},
                      "tip": tip})
        if joined[k]:
            links.append({"source": name, "target": prefix + "council",
                          "lineStyle": {"width": 0.8, "color": "#7b3294", "opacity": 0.45}})
        if volunteer[k]:
            links.append({"source": name, "target": prefix + "centre",
                          "lineStyle": {"width": 0.8, "color": "#009E73", "opacity": 0.45}})
    return nodes, links


NETWORK_TITLE = "The community as a network"
NETWORK_LEGEND = ("Residents: the same number from each group, coloured by satisfaction; dark ring: knows current "
                  "policy. Lines to the council: residents taking part; to the centre: volunteers and stationed "
                  "units (darker: more engaged). Hover for details; drag or scroll to move and zoom.")


GAP = 1.0
"""Room between two communities drawn side by side, in layout units."""

def community_layouts(runs) -> list[Layout]:
    """The layout of each run's community: a smaller sample when two are drawn side by side."""
    if len(runs) > 1:
        return [build_layout(run.model, PER_GROUP_COMPARE, MAX_UNITS_COMPARE) for run in runs]
    return [build_layout(run.model) for run in runs]


ASPECT = 1.7
"""Width over height the network drawing is stretched to: about that of its tile on the page.

ECharts keeps the drawing's aspect ratio (otherwise circles turn into ellipses),
so a drawing much narrower or wider than its tile would leave it half empty."""


def fit_aspect(nodes: list[dict], aspect: float = ASPECT) -> None:
    """Stretch the node positions (in place) along one axis to the given width/height ratio."""
    if not nodes:
        return
    xs = [n["x"] for n in nodes]
    ys = [n["y"] for n in nodes]
    width, height = max(xs) - min(xs), max(ys) - min(ys)
    if width <= 0 or height <= 0:
        return
    sx, sy = (aspect * height / width, 1.0) if width / height < aspect else (1.0, width / (aspect * height))
    for n in nodes:
        n["x"] = round(n["x"] * sx, 1)
        n["y"] = round(n["y"] * sy, 1)


def network_chart(runs, layouts: Sequence[Layout] | None = None) -> dict:
    """The ECharts option of the network view of one or two communities, side by side."""
    layouts = layouts or community_layouts(runs)
    compact = len(runs) > 1
    nodes, links = [], []
    for i, (run, layout) in enumerate(zip(runs, layouts, strict=True)):
        n, lk = community_graph(run, layout, prefix=f"{'AB'[i]}:", dx=i * (WIDTH + GAP), compact=compact)
        nodes += n
        links += lk
    fit_aspect(nodes)
    # Links by node index (cheaper for ECharts than by name); a node's name is its tooltip.
    index = {n["name"]: i for i, n in enumerate(nodes)}
    for link in links:
        link["source"], link["target"] = index[link["source"]], index[link["target"]]
    for n in nodes:
        if "tip" in n:
            n["name"] = n.pop("tip")
    return {
        "animation": False,
        "tooltip": {"show": True, "confine": True, "formatter": "{b}"},
        "series": [{
            "type": "graph", "layout": "none", "roam": True,
            # Width only: ECharts derives the height from the drawing's aspect (so circles stay round).
            "left": "center", "top": "middle", "width": "96%",
            "emphasis": {"disabled": True},
            "lineStyle": {"curveness": 0},
            "data": nodes, "links": links,
        }],
    }


def satisfaction_gradient_css() -> str:
    """The colour scale of the network view as a CSS gradient, for its HTML legend."""
    return "linear-gradient(to right, " + ", ".join(SATISFACTION_STOPS) + ")"


# --- HTML around the charts ----------------------------------------------------------------------


def panel_header(title: str, sub: str = "", extra: str = "") -> str:
    """The title (and subtitle) of a chart as HTML."""
    sub_html = f'<div class="govsim-sub">{html.escape(sub)}</div>' if sub else ""
    return f'<div class="govsim-title">{html.escape(title)}{extra}</div>{sub_html}'


def network_header() -> str:
    lo, hi = SATISFACTION_SCALE
    scale = (f'<span class="govsim-scale">satisfaction \u2264{lo:g} <span class="govsim-gradient" '
             f'style="background: {satisfaction_gradient_css()}"></span> \u2265{hi:g}</span>')
    return panel_header(NETWORK_TITLE, extra=scale)


# --- the table of numbers ---------------------------------------------------------------------


def outcome_table(runs, outcomes: Sequence[str] = MAIN_OUTCOMES) -> str:
    """An HTML table of the latest outcomes of each run (and B - A in compare mode)."""
    compare = len(runs) > 1
    day = len(runs[0].history) if runs else 0
    head = "".join(f'<th title="{html.escape(run.label)}">{"AB"[r]}</th>' for r, run in enumerate(runs))
    head += "<th>B \u2212 A</th>" if compare else ""
    rows = []
    for name in outcomes:
        cells = []
        values = [run.history.latest(name) for run in runs]
        for r, v in enumerate(values):
            text = "\u2013" if v is None else f"{v:.3f}"
            cells.append(f'<td data-run="{r}" data-outcome="{name}">{text}</td>')
        if compare:
            a, b = values
            diff = "\u2013" if a is None or b is None else f"{b - a:+.3f}"
            cells.append(f'<td data-run="diff" data-outcome="{name}">{diff}</td>')
        label = html.escape(name.replace("_", " "))
        rows.append(f'<tr><th title="{html.escape(MEANING[name])}">{label}</th>{"".join(cells)}</tr>')
    seed = runs[0].model.seed_sequence.entropy if runs else ""
    residents = runs[0].model.residents.n if runs else 0
    caption = f"Day {day} · seed {seed} · {residents:,} residents"
    legend = "".join(f"<div>{'AB'[r]}: {html.escape(run.label.split(': ', 1)[-1])}</div>" for r, run in enumerate(runs))
    return (
        f'<table class="govsim-now" data-day="{day}" data-seed="{seed}"><caption>{html.escape(caption)}'
        f'<div class="govsim-runs">{legend}</div></caption>'
        f"<thead><tr><th>outcome (0 to 1)</th>{head}</tr></thead><tbody>{''.join(rows)}</tbody></table>"
        '<div class="govsim-note">Hover an outcome for its meaning.</div>'
    )


TABLE_CSS = """
.govsim-panel { display: flex; flex-direction: column; height: 100%; width: 100%; }
.govsim-panel .govsim-chart { flex: 1 1 auto; min-height: 160px; width: 100%; }
.govsim-title { font-size: 16px; font-weight: bold; text-align: center; position: relative; }
.govsim-sub { font-size: 12px; color: #555; text-align: center; }
.govsim-foot { font-size: 12px; color: #333; text-align: center; line-height: 1.5; }
.govsim-foot { color: #555; text-align: left; padding: 0 8px; }
.govsim-scale { position: absolute; right: 8px; top: 2px; font-size: 12px; font-weight: normal; }
.govsim-gradient { display: inline-block; width: 90px; height: 11px; vertical-align: middle; }
.govsim-now { border-collapse: collapse; font-size: 15px; margin: 4px auto; }
.govsim-now caption { font-weight: bold; font-size: 16px; padding: 4px; caption-side: top; }
.govsim-runs { font-weight: normal; font-size: 14px; }
.govsim-now th, .govsim-now td { padding: 3px 10px; border-bottom: 1px solid #ddd; }
.govsim-now td { text-align: right; font-variant-numeric: tabular-nums; }
.govsim-now tbody th { text-align: left; font-weight: normal; cursor: help; }
"""
