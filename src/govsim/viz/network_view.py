"""The community drawn as a network: the ECharts option of the network view.

The hierarchy runs top to bottom (district, street office before the reform,
the party committee, the centre and the residents' council), the stationed
units sit in a row under the centre and a sample of residents in one disc per
group (:mod:`govsim.viz.network_layout` places them).  Shade and line width
show the numbers a class watches: residents coloured by satisfaction, a dark
ring for residents who know current policy, units darker and more strongly
linked when engaged.  The values come from :mod:`govsim.viz.community_state`.

In compare mode the two communities are drawn one above the other (the
view is about as high as it is wide), each with a smaller sample and shorter
labels, so a redraw costs the browser about the same.
"""

from __future__ import annotations

import html
import itertools
from collections.abc import Sequence

import numpy as np

from govsim.params import GROUPS, UNIT_TYPES
from govsim.viz import community_state as state
from govsim.viz import palette
from govsim.viz.network_layout import (
    HEIGHT,
    MAX_UNITS_COMPARE,
    PER_GROUP_COMPARE,
    ROW_TITLE,
    Layout,
    build_layout,
)

TITLE = "The community as a network"
LEGEND = ("Residents: the same number from each group, coloured by satisfaction; dark ring: knows current "
          "policy. Lines to the council: residents taking part; to the centre: volunteers and stationed "
          "units (darker: more engaged). Hover for details; drag or scroll to move and zoom.")

UNIT = 100.0
"""Layout units are sent to ECharts times this.  ECharts snaps horizontal and vertical
lines to half *data* units before scaling them to the screen, which shifts them off
their nodes by tens of pixels when a data unit is large on screen; with data units
well below a pixel the snapping is invisible."""

GAP = 0.6
"""Room between two communities drawn one above the other, in layout units."""

ASPECT = 1.2
"""Width over height the drawing is stretched to: about that of its place on the page.

ECharts keeps the drawing's aspect ratio (otherwise circles turn into ellipses),
so a drawing much narrower or wider than its place would leave it half empty."""

_PLURAL = {"enterprise": "enterprises", "school": "schools", "hospital": "hospitals", "agency": "agencies"}


def community_layouts(runs) -> list[Layout]:
    """The layout of each run's community: a smaller sample when two are drawn side by side."""
    sizes = {"per_group": PER_GROUP_COMPARE, "max_units": MAX_UNITS_COMPARE} if len(runs) > 1 else {}
    return [build_layout(state.resident_groups(run.model), state.unit_kinds(run.model),
                         state.institutions(run.model).street_office, **sizes) for run in runs]


def _label(text: str, size: int = 12, position: str = "inside", bold: bool = False) -> dict:
    return {"show": True, "formatter": text, "position": position, "fontSize": size,
            "fontWeight": "bold" if bold else "normal", "color": "#222", "lineHeight": size + 3}


def _text_node(name: str, x: float, y: float, text: str, size: int = 12, bold: bool = True) -> dict:
    return {"name": name, "x": x, "y": y, "symbolSize": 0, "label": _label(text, size, "inside", bold),
            "tooltip": {"show": False}}


def _pct(x: float) -> str:
    return f"{100 * x:.0f}%"


def institution_texts(inst: state.Institutions, compact: bool = False) -> dict[str, str]:
    """The labels of the institutions, with the numbers a class watches."""
    split = inst.time_split
    if compact:
        return {
            "district": f"District\ntasks {inst.task_pressure:.2f}",
            "street_office": "Street office",
            "party": "Party" + ("\none team" if inst.two_signs_one_team else ""),
            "centre": f"{inst.centre_label.split()[0]}\nS {_pct(split[0])} C {_pct(split[1])} M {_pct(split[2])}",
            "council": f"Council\n{inst.council_effectiveness:.2f}",
        }
    return {
        "district": f"District\ntask pressure {inst.task_pressure:.2f}",
        "street_office": "Street office\n(before the reform)",
        "party": "Party committee" + ("\ntwo signs, one team" if inst.two_signs_one_team else "")
                 + ("\nbig party committee" if inst.big_party_committee else ""),
        "centre": f"{inst.centre_label}\nservice {_pct(split[0])}\ncoordination {_pct(split[1])}"
                  f"\nmanagement {_pct(split[2])}",
        "council": f"Residents' council\neffectiveness {inst.council_effectiveness:.2f}",
    }


def community_graph(run, layout: Layout, prefix: str, dy: float = 0.0,
                    compact: bool = False) -> tuple[list[dict], list[dict]]:
    """Nodes and links of one community, shifted down by ``dy``; ``compact`` for one of two."""
    m = run.model
    inst = state.institutions(m)
    font = 10 if compact else 12
    tag = f"{prefix[0]} \u00b7 " if compact else ""  # tooltips must differ between the two communities
    nodes: list[dict] = []
    links: list[dict] = []

    def xy(p):
        return round(float(p[0]) * UNIT, 1), round((float(p[1]) + dy) * UNIT, 1)

    x, y = xy((0.0, ROW_TITLE))
    nodes.append(_text_node(f"{prefix}title", x, y, f"{run.label} · day {len(run.history)}", font + 2))

    # Institutions.
    texts = institution_texts(inst, compact)
    full = institution_texts(inst) if compact else texts
    for key, pos in layout.institutions.items():
        x, y = xy(pos)
        lines = texts[key].count("\n") + 1
        width = (112 if key == "centre" else 78) if compact else (150 if key == "centre" else 134)
        nodes.append({"name": prefix + key, "x": x, "y": y, "symbol": "roundRect",
                      "symbolSize": [width, 8 + lines * (font + 3)],
                      "itemStyle": {"color": palette.INSTITUTION_FILL[key], "borderColor": palette.OUTLINE,
                                    "borderWidth": 1},
                      "label": _label(texts[key], font), "tip": tag + full[key].replace("\n", "<br>")})
    chain = ["district", *(["street_office"] if "street_office" in layout.institutions else []), "centre"]
    for a, b in itertools.pairwise(chain):
        links.append({"source": prefix + a, "target": prefix + b, "symbol": ["none", "arrow"], "symbolSize": 9,
                      "lineStyle": {"width": round(1.5 + 1.5 * inst.task_load, 2), "color": palette.CHAIN_LINK}})
    links.append({"source": prefix + "party", "target": prefix + "centre",
                  "lineStyle": {"width": 5 if inst.two_signs_one_team else 1.5, "color": palette.PARTY_LINK,
                                "type": "solid" if inst.two_signs_one_team else "dashed"}})
    links.append({"source": prefix + "centre", "target": prefix + "council",
                  "lineStyle": {"width": round(1.5 + 4 * inst.council_effectiveness, 2),
                                "color": palette.COUNCIL_LINK}})

    # Stationed units: shade and link width show engagement.
    for u, pos in zip(state.units(m, layout.units), layout.unit_xy, strict=True):
        x, y = xy(pos)
        e = u.engagement
        name = f"{prefix}u{u.index}"
        tip = (f"{tag}{u.label} #{u.index} (stationed unit)<br>engagement {e:.2f}"
               f"<br>resources {u.resources:.2f} h/day")
        size = (5 if compact else 7) + (2 if compact else 5) * min(3.0, float(np.sqrt(u.resources)))
        nodes.append({"name": name, "x": x, "y": y, "symbol": "diamond", "symbolSize": round(size, 1),
                      "itemStyle": {"color": palette.unit_colour(e), "borderColor": palette.OUTLINE,
                                    "borderWidth": 0.5},
                      "tip": tip})
        links.append({"source": prefix + "centre", "target": name,
                      "lineStyle": {"width": round(0.3 + 3 * e, 2), "color": palette.UNIT_SCALE[1],
                                    "opacity": round(0.12 + 0.6 * e, 2)}})
    kinds = state.unit_kinds(m)
    counts = {k: kinds.count(k) for k in UNIT_TYPES}
    for kind, pos in layout.unit_kind_xy.items():
        x, y = xy(pos)
        name = f"{prefix}kind_{kind}"
        text = f"{counts[kind]}" if compact else f"{_PLURAL.get(kind, kind + 's')} {counts[kind]}"
        nodes.append(_text_node(name, x, y, text, font - 1, bold=False))
        if inst.big_party_committee:
            links.append({"source": prefix + "party", "target": name,
                          "lineStyle": {"width": 1, "color": palette.PARTY_LINK, "type": "dashed", "opacity": 0.6}})

    # Resident groups, labelled with the whole group's mean satisfaction, then the sampled residents.
    r = state.residents(m, layout.residents)
    for g, pos in enumerate(layout.group_xy):
        x, y = xy(pos)
        label = GROUPS[g].replace("_", "-")
        mean = r.group_mean_satisfaction[g]
        share = r.group_size[g] / max(1, r.n)
        text = (f"{label}\n{mean:.2f}" if compact else f"{label} ({_pct(share)})\nmean {mean:.2f}") \
            if r.group_size[g] else f"{label}\nnone"
        nodes.append(_text_node(f"{prefix}group_{g}", x, y, text, font - 1))

    size = 7 if compact else 11
    colours = palette.satisfaction_colours(r.satisfaction)
    for k, i in enumerate(layout.residents.tolist()):
        x, y = xy(layout.resident_xy[k])
        name = f"{prefix}r{i}"
        group = GROUPS[layout.resident_group[k]].replace("_", "-")
        informed = bool(r.informed[k])
        tip = (f"{tag}resident {i} ({group})<br>satisfaction {r.satisfaction[k]:.2f} · trust {r.trust[k]:.2f}"
               f"<br>{'knows' if informed else 'does not know'} current policy"
               + ("<br>takes part in the council" if r.participant[k] else "")
               + ("<br>volunteers" if r.volunteer[k] else ""))
        nodes.append({"name": name, "x": x, "y": y, "symbolSize": size,
                      "itemStyle": {"color": colours[k],
                                    "borderColor": palette.INFORMED_RING if informed else palette.UNINFORMED_RING,
                                    "borderWidth": 1.6 if informed else 0.6},
                      "tip": tip})
        if r.participant[k]:
            links.append({"source": name, "target": prefix + "council",
                          "lineStyle": {"width": 0.8, "color": palette.PARTICIPANT_LINK, "opacity": 0.45}})
        if r.volunteer[k]:
            links.append({"source": name, "target": prefix + "centre",
                          "lineStyle": {"width": 0.8, "color": palette.VOLUNTEER_LINK, "opacity": 0.45}})
    return nodes, links


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


def network_option(runs, layouts: Sequence[Layout] | None = None) -> dict:
    """The ECharts option of the network view of one community, or two one above the other."""
    layouts = layouts or community_layouts(runs)
    compact = len(runs) > 1
    nodes, links = [], []
    for i, (run, layout) in enumerate(zip(runs, layouts, strict=True)):
        n, lk = community_graph(run, layout, prefix=f"{'AB'[i]}:", dy=i * (HEIGHT + GAP), compact=compact)
        nodes += n
        links += lk
    fit_aspect(nodes)
    # Links by node index (cheaper for ECharts than by name); a node's name is its tooltip.
    index = {n["name"]: i for i, n in enumerate(nodes)}
    for link in links:
        link["source"], link["target"] = index[link["source"]], index[link["target"]]
    for node in nodes:
        if "tip" in node:
            node["name"] = node.pop("tip")
    return {
        "animation": False,
        "tooltip": {"show": True, "confine": True, "formatter": "{b}"},
        "series": [{
            "type": "graph", "layout": "none", "roam": True,
            # ECharts fits the drawing in this box keeping its aspect (so circles stay round).
            "left": "center", "top": "middle", "width": "96%", "height": "96%",
            "emphasis": {"disabled": True},
            "lineStyle": {"curveness": 0},
            "data": nodes, "links": links,
        }],
    }


def header_html() -> str:
    """The view's title and, beside it (wrapping below when narrow), the satisfaction colour scale."""
    lo, hi = palette.SATISFACTION_SCALE
    scale = (f'<span class="govsim-scale">satisfaction \u2264{lo:g}<span class="govsim-gradient" '
             f'style="background: {palette.satisfaction_gradient_css()}"></span>\u2265{hi:g}</span>')
    return f'<div class="govsim-head"><span class="govsim-title">{html.escape(TITLE)}</span>{scale}</div>'
