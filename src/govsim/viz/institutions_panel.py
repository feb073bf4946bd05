"""The panel "Inside the community today": the centre's staff, what waits at each level, the council's agenda.

One row per configuration (two in compare mode), three cells:

* **staff**: each member a dot on a 0-1 scale of motivation, shaped by where
  they came from; how many, and their mean motivation;
* **waiting**: life cases, welfare files, concerns and the district's tasks
  waiting at the centre, the street office (before the reform), the district
  and the council;
* **agenda**: the council's agenda as one bar, the share the centre and party
  take against the residents' share, the resolutions in force and the seats filled.

The numbers come from :mod:`govsim.viz.community_state`; each carries a
``data-*`` attribute, so the browser tests read a number without parsing text.
"""

from __future__ import annotations

import html

import numpy as np

from govsim.params import ORIGINS
from govsim.viz import community_state as state
from govsim.viz import palette

TITLE = "Inside the community today"
LANE_PX = 5
"""Height of one origin's lane on the motivation track, in pixels."""
ORIGIN_LABELS = {"street_office": "street office", "committee": "committee", "intern": "intern",
                 "part_time": "part-time resident"}


def _n(x: int) -> str:
    return f"{x:,}"


def staff_cell(members: state.Staff) -> str:
    """Members' motivation as dots on a 0-1 track, one lane and colour per origin, with the count and the mean."""
    dots = []
    for k in np.argsort(members.motivation, kind="stable").tolist():
        origin = members.origin[k]
        lane = ORIGINS.index(origin)
        left = 100 * float(np.clip(members.motivation[k], 0.0, 1.0))
        colour = palette.ORIGIN_COLOURS[lane]
        dots.append(f'<span class="govsim-dot" style="left: {left:.1f}%; top: {1 + LANE_PX * lane}px; '
                    f'background: {colour}" '
                    f'title="from {html.escape(ORIGIN_LABELS[origin])}: motivation '
                    f'{members.motivation[k]:.2f}, skill {members.skill[k]:.2f}"></span>')
    mean = float(members.motivation.mean()) if len(members) else float("nan")
    return (f'<div class="govsim-track" data-staff="{len(members)}">{"".join(dots)}</div>'
            f'<div class="govsim-track-axis"><span>0</span><span>motivation</span><span>1</span></div>'
            f'<div>{len(members)} staff \u00b7 mean motivation <b data-motivation="{mean:.3f}">{mean:.2f}</b>'
            f' \u00b7 trained {int(members.trained.sum())}</div>')


def waiting_cell(q: state.Queues, street_office: bool) -> str:
    """What waits at each level, one line a level."""
    centre = (f"{_n(q.life[0])} life cases, {_n(q.welfare[0])} welfare files, {_n(q.concerns_inbox)} concerns, "
              f"{_n(q.tasks_centre)} district tasks")
    rows: list[tuple[str, str, int | None]] = [("centre", centre, q.cases[0])]
    if street_office or q.cases[1] or q.concerns_street_office:
        office = (f"{_n(q.life[1])} referred life cases, {_n(q.welfare[1])} welfare files, "
                  f"{_n(q.concerns_street_office)} concerns, {_n(q.tasks_relayed)} tasks to relay")
        rows.append(("street office", office, q.cases[1]))
    rows.append(("district", f"{_n(q.welfare[2])} welfare files, {_n(q.concerns_district)} concerns", q.cases[2]))
    rows.append(("council", f"{_n(q.concerns_council)} concerns for its next meeting", None))
    lines = "".join(f'<div data-level="{html.escape(level)}"' + (f' data-cases="{cases}"' if cases is not None else "")
                    + f"><b>{html.escape(level)}</b> {html.escape(text)}</div>" for level, text, cases in rows)
    return (f'<div class="govsim-waiting" data-concerns-lost="{q.concerns_lost}">{lines}'
            f'<div class="govsim-muted">lost on the way up: {_n(q.concerns_lost)} concerns</div></div>')


def agenda_cell(a: state.Agenda) -> str:
    """The council's agenda as one bar: centre and party, residents, other business."""
    parts = [("centre & party", a.centre_and_party, palette.AGENDA_COLOURS[0]),
             ("residents", a.residents, palette.AGENDA_COLOURS[1]),
             ("other", a.other, palette.AGENDA_COLOURS[2])]
    bar = "".join(f'<span class="govsim-agenda-part" data-part="{html.escape(label)}" data-share="{share:.3f}" '
                  f'style="width: {100 * share:.1f}%; background: {colour}" '
                  f'title="{html.escape(label)}: {100 * share:.0f}% of the agenda"></span>'
                  for label, share, colour in parts)
    keys = "".join(f'<span class="govsim-key"><span class="govsim-box" style="background: {colour}"></span>'
                   f'{html.escape(label)} {100 * share:.0f}%</span>' for label, share, colour in parts)
    plural = "" if a.resolutions == 1 else "s"
    return (f'<div class="govsim-agenda">{bar}</div><div class="govsim-legend">{keys}</div>'
            f'<div><b data-resolutions="{a.resolutions}">{a.resolutions}</b> resolution{plural} in force '
            f'({a.bound_hours:.0f} service h a working day) \u00b7 {a.members} of {a.seats} seats</div>')


def origin_legend() -> str:
    return "".join(f'<span class="govsim-key"><span class="govsim-box govsim-box--round" style="background: '
                   f'{colour}"></span>{html.escape(ORIGIN_LABELS[o])}</span>'
                   for o, colour in zip(ORIGINS, palette.ORIGIN_COLOURS, strict=True))


def institutions_html(runs) -> str:
    """The panel's HTML for one run, or two (compare mode), one row each."""
    compare = len(runs) > 1
    head = (f'<div class="govsim-inside-head"><span class="govsim-line-title">{TITLE}</span>'
            f'<span class="govsim-legend">staff from: {origin_legend()}</span></div>')
    rows = []
    for r, run in enumerate(runs):
        m, c = run.model, run.community
        inst = state.institutions(m, c)
        tag = f'<div class="govsim-inside-run">{"AB"[r]}</div>' if compare else ""
        rows.append(
            f'<div class="govsim-inside-row" data-run="{r}">{tag}'
            f'<div class="govsim-inside-cell" data-cell="staff"><div class="govsim-cell-title">The centre\'s staff'
            f'</div>{staff_cell(state.staff(m, c))}</div>'
            f'<div class="govsim-inside-cell" data-cell="waiting"><div class="govsim-cell-title">Waiting today'
            f'</div>{waiting_cell(state.queues(m, c), inst.street_office)}</div>'
            f'<div class="govsim-inside-cell" data-cell="agenda"><div class="govsim-cell-title">The council\'s '
            f'agenda</div>{agenda_cell(state.agenda(m, c))}</div></div>')
    return f'<div class="govsim-inside{" govsim-inside--compare" if compare else ""}">{head}{"".join(rows)}</div>'
