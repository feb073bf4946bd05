"""The community drawn as a network: the ECharts option of the network view.

The hierarchy runs top to bottom (district, street office before the reform,
the party committee, the centre and the residents' council), the centre's
staff sit under the centre, the stationed units in a row under them and a
sample of residents in one disc per group (:mod:`govsim.viz.network_layout`
places them).  Shade and line width show the numbers a class watches:
residents coloured by satisfaction, a dark ring for residents who know current
policy, staff darker the more motivated, units dark and linked while engaged,
the council's link to the centre wider with every resolution in force.  The
values come from :mod:`govsim.viz.community_state`.

In compare mode the two communities are drawn one above the other (the
view is about as high as it is wide), each with a smaller sample and shorter
labels, so a redraw costs the browser about the same.
"""

from __future__ import annotations

import html
import itertools
from collections.abc import Sequence

import numpy as np

from govsim.params import GROUPS, ROLES, UNIT_TYPES
from govsim.viz import community_state as state
from govsim.viz import palette
from govsim.viz.network_layout import (
    HEIGHT,
    MAX_UNITS_COMPARE,
    PER_GROUP_COMPARE,
    ROW_TITLE,
    Layout,
    build_layout,
    staff_xy,
)

TITLE = "The community as a network"
LEGEND = ("Small squares under the centre: its staff, darker the more motivated (dark border: trained). "
          "Residents: the same number from each group, coloured by satisfaction; dark ring: knows current "
          "policy. Lines to the council: residents taking part (thicker: council members); to the centre: "
          "volunteers and engaged stationed units (dark diamonds); from the council: its resolutions in force. "
          "Hover for details; drag or scroll to move and zoom.")

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
    return [build_layout(state.resident_groups(run.model, run.community), state.unit_kinds(run.model, run.community),
                         state.has_street_office(run.model, run.community), **sizes) for run in runs]


def layout_key(runs) -> tuple:
    """What the layouts depend on: the runs' communities, and whether each has a street office (a city's reform
    takes it away during the run)."""
    return tuple((id(run.model), run.community, state.has_street_office(run.model, run.community)) for run in runs)


def _label(text: str, size: int = 12, position: str = "inside", bold: bool = False) -> dict:
    return {"show": True, "formatter": text, "position": position, "fontSize": size,
            "fontWeight": "bold" if bold else "normal", "color": "#222", "lineHeight": size + 3}


def _text_node(name: str, x: float, y: float, text: str, size: int = 12, bold: bool = True) -> dict:
    return {"name": name, "x": x, "y": y, "symbolSize": 0, "label": _label(text, size, "inside", bold),
            "tooltip": {"show": False}}


def _pct(x: float) -> str:
    return f"{100 * x:.0f}%"


def institution_texts(inst: state.Institutions, agenda: state.Agenda, compact: bool = False) -> dict[str, str]:
    """The labels of the institutions, with the numbers a class watches."""
    split, means = inst.time_split, inst.intended_split
    plural = "" if agenda.resolutions == 1 else "s"
    if compact:
        return {
            "district": f"District\ntasks {inst.task_pressure:.2f}",
            "street_office": "Street office",
            "party": "Party" + ("\none team" if inst.two_signs_one_team else ""),
            "centre": f"{inst.centre_label.split()[0]} \u00b7 {inst.staff}\n"
                      f"S {_pct(split[0])} C {_pct(split[1])} M {_pct(split[2])}",
            "council": f"Council\n{agenda.resolutions} resolution{plural}",
        }
    roles = "\n".join(f"{role} {_pct(x)} (means {_pct(m)})" for role, x, m in zip(ROLES, split, means, strict=True))
    return {
        "district": f"District\ntask pressure {inst.task_pressure:.2f}",
        "street_office": f"Street office \u00b7 {inst.street_office_posts} posts\n(before the reform)",
        "party": "Party committee" + ("\ntwo signs, one team" if inst.two_signs_one_team else "")
                 + ("\nbig party committee" if inst.big_party_committee else ""),
        "centre": f"{inst.centre_label} \u00b7 {inst.staff} staff\n{roles}",
        "council": f"Residents' council\n{agenda.members} of {agenda.seats} seats\n"
                   f"{agenda.resolutions} resolution{plural} in force",
    }


ORIGIN_WORDS = {"street_office": "the old street-office team", "committee": "a residents' committee",
                "intern": "an internship", "part_time": "the residents (part-time)"}


def community_graph(run, layout: Layout, prefix: str, dy: float = 0.0,
                    compact: bool = False) -> tuple[list[dict], list[dict]]:
    """Nodes and links of one community, shifted down by ``dy``; ``compact`` for one of two."""
    m, c = run.model, run.community
    inst = state.institutions(m, c)
    agenda = state.agenda(m, c)
    font = 10 if compact else 12
    tag = f"{prefix[0]} \u00b7 " if compact else ""  # tooltips must differ between the two communities
    nodes: list[dict] = []
    links: list[dict] = []

    def xy(p):
        return round(float(p[0]) * UNIT, 1), round((float(p[1]) + dy) * UNIT, 1)

    x, y = xy((0.0, ROW_TITLE))
    nodes.append(_text_node(f"{prefix}title", x, y, f"{run.label} · day {len(run.history)}", font + 2))

    # Institutions.
    texts = institution_texts(inst, agenda, compact)
    full = institution_texts(inst, agenda) if compact else texts
    for key, pos in layout.institutions.items():
        x, y = xy(pos)
        lines = texts[key].count("\n") + 1
        width = (112 if key == "centre" else 78) if compact else (190 if key == "centre" else 134)
        nodes.append({"name": prefix + key, "x": x, "y": y, "symbol": "roundRect",
                      "symbolSize": [width, 8 + lines * (font + 3)],
                      "itemStyle": {"color": palette.INSTITUTION_FILL[key], "borderColor": palette.OUTLINE,
                                    "borderWidth": 1},
                      "label": _label(texts[key], font), "tip": tag + full[key].replace("\n", "<br>")})
    chain = ["district", *(["street_office"] if "street_office" in layout.institutions else []), "centre"]
    for a, b in itertools.pairwise(chain):
        links.append({"source": prefix + a, "target": prefix + b, "symbol": ["none", "arrow"], "symbolSize": 9,
                      "lineStyle": {"width": round(1.5 + 1.5 * min(2.0, inst.task_pressure), 2),
                                    "color": palette.CHAIN_LINK}})
    links.append({"source": prefix + "party", "target": prefix + "centre",
                  "lineStyle": {"width": 5 if inst.two_signs_one_team else 1.5, "color": palette.PARTY_LINK,
                                "type": "solid" if inst.two_signs_one_team else "dashed"}})
    # The council binds the centre through its resolutions: the more in force, the wider the link.
    links.append({"source": prefix + "council", "target": prefix + "centre", "symbol": ["none", "arrow"],
                  "symbolSize": 8,
                  "lineStyle": {"width": round(1.0 + 1.2 * min(4, agenda.resolutions), 2),
                                "color": palette.COUNCIL_LINK}})

    # The centre's staff: one small square per member, darker the more motivated.
    members = state.staff(m, c)
    colours = palette.motivation_colours(members.motivation)
    for k, pos in enumerate(staff_xy(len(members))):
        x, y = xy(pos)
        tip = (f"{tag}staff member {k + 1}, from {ORIGIN_WORDS.get(members.origin[k], members.origin[k])}"
               f"<br>motivation {members.motivation[k]:.2f} \u00b7 skill {members.skill[k]:.2f}"
               f"<br>{members.tenure_years[k]:.1f} years in post" + (" \u00b7 trained" if members.trained[k] else ""))
        nodes.append({"name": f"{prefix}s{k}", "x": x, "y": y, "symbol": "rect", "symbolSize": 5 if compact else 8,
                      "itemStyle": {"color": colours[k], "borderColor": palette.OUTLINE,
                                    "borderWidth": 1.5 if members.trained[k] else 0.4},
                      "tip": tip})

    # Stationed units: dark and linked to the centre while engaged.
    for u, pos in zip(state.units(m, layout.units, c), layout.unit_xy, strict=True):
        x, y = xy(pos)
        name = f"{prefix}u{u.index}"
        tip = (f"{tag}{u.label} #{u.index} (stationed unit)<br>{'engaged' if u.engaged else 'not engaged'}"
               f"<br>resources {u.resources:.2f} h/day")
        size = (5 if compact else 7) + (2 if compact else 5) * min(3.0, float(np.sqrt(u.resources)))
        nodes.append({"name": name, "x": x, "y": y, "symbol": "diamond", "symbolSize": round(size, 1),
                      "itemStyle": {"color": palette.unit_colour(u.engaged), "borderColor": palette.OUTLINE,
                                    "borderWidth": 0.5},
                      "tip": tip})
        if u.engaged:
            links.append({"source": prefix + "centre", "target": name,
                          "lineStyle": {"width": 1.5, "color": palette.UNIT_SCALE[1], "opacity": 0.5}})
    kinds = state.unit_kinds(m, c)
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
    r = state.residents(m, layout.residents, c)
    for g, pos in enumerate(layout.group_xy):
        x, y = xy(pos)
        label = GROUPS[g].replace("_", "-")
        mean = r.group_mean_satisfaction[g]
        share = r.group_size[g] / max(1, r.n)
        shown = "\u2013" if np.isnan(mean) else f"{mean:.2f}"
        text = (f"{label}\n{shown}" if compact else f"{label} ({_pct(share)})\nmean {shown}") \
            if r.group_size[g] else f"{label}\nnone"
        nodes.append(_text_node(f"{prefix}group_{g}", x, y, text, font - 1))

    size = 7 if compact else 11
    colours = palette.satisfaction_colours(r.satisfaction)
    for k, i in enumerate(layout.residents.tolist()):
        x, y = xy(layout.resident_xy[k])
        name = f"{prefix}r{i}"
        group = GROUPS[layout.resident_group[k]].replace("_", "-")
        informed = bool(r.informed[k])
        satisfaction = r.satisfaction[k]
        said = "no service used yet" if np.isnan(satisfaction) else f"satisfaction {satisfaction:.2f}"
        tip = (f"{tag}resident {i} ({group})<br>{said} · trust {r.trust[k]:.2f}"
               f"<br>{'knows' if informed else 'does not know'} current policy"
               + ("<br>sits on the council" if r.council_member[k] else
                  "<br>takes part in the council" if r.participant[k] else "")
               + ("<br>volunteers" if r.volunteer[k] else ""))
        nodes.append({"name": name, "x": x, "y": y, "symbolSize": size,
                      "itemStyle": {"color": colours[k],
                                    "borderColor": palette.INFORMED_RING if informed else palette.UNINFORMED_RING,
                                    "borderWidth": 1.6 if informed else 0.6},
                      "tip": tip})
        if r.participant[k]:
            links.append({"source": name, "target": prefix + "council",
                          "lineStyle": {"width": 1.6 if r.council_member[k] else 0.8, "color": palette.PARTICIPANT_LINK,
                                        "opacity": 0.45}})
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
