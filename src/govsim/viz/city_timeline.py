"""The rollout as it happens: a timeline of the run with the reform's dates, and how far it has gone.

One track spans the scenario's run (1 January 2009 to its last day), with a
tick a year; the part already simulated is filled, and each date of the
rollout is a numbered mark, filled once it has passed.  Under the track a bar
shows the share of communities reformed today, and a line per wave says which
districts switch on which date and whether it has happened.  The numbers
carry ``data-*`` attributes for the browser tests.
"""

from __future__ import annotations

import html

from govsim.viz import city_state
from govsim.viz.city_state import CityFacts


def _left(day: float, days: int) -> str:
    return f"{100 * min(1.0, max(0.0, day / max(1, days))):.2f}%"


def years(days: int) -> list[tuple[int, int]]:
    """(day, year) of every 1 January within the run after its first day."""
    out: list[tuple[int, int]] = []
    year = city_state.START.year + 1
    while True:
        day = (city_state.START.replace(year=year) - city_state.START).days
        if day > days:
            return out
        out.append((day, year))
        year += 1


def wave_text(wave: city_state.Wave, facts: CityFacts) -> str:
    where = (", ".join(wave.districts) if wave.whole_districts
             else f"{len(wave.communities)} communities in {len(wave.districts)} districts")
    count = f"{len(wave.communities)} communit{'y' if len(wave.communities) == 1 else 'ies'}"
    return f"{wave.name}: {city_state.date_text(wave.day)} (day {wave.day}) \u00b7 {where} \u00b7 {count}"


def timeline_html(facts: CityFacts, day: int, reformed: int) -> str:
    """The timeline on ``day``, with ``reformed`` communities switched."""
    n = facts.n
    share = reformed / max(1, n)
    ticks = "".join(f'<span class="govsim-tick" data-year="{y}" style="left: {_left(d, facts.days)}"></span>'
                    for d, y in years(facts.days))
    marks, lines = [], []
    for k, wave in enumerate(facts.waves):
        done = day >= wave.day
        state = "done" if done else "due"
        text = wave_text(wave, facts)
        tick = " \u2713" if done else ""
        marks.append(f'<span class="govsim-wave-mark govsim-wave-mark--{state}" data-wave="{k}" '
                     f'style="left: {_left(wave.day, facts.days)}" title="{html.escape(text)}">{k + 1}</span>')
        lines.append(f'<div class="govsim-wave govsim-wave--{state}" data-wave="{k}" data-done="{int(done)}">'
                     f'<span class="govsim-wave-number">{k + 1}</span>{html.escape(text)}'
                     f"{tick}</div>")
    if not facts.waves:
        lines.append('<div class="govsim-wave">No reform in this scenario (the counterfactual city): every '
                     "community keeps its street office and four levels.</div>")
    head = (f'<b>The rollout</b> \u00b7 day {day} \u00b7 {city_state.date_text(day)} \u00b7 '
            f'<span data-reformed="{reformed}">{reformed}</span> of {n} communities reformed ({100 * share:.0f}%)')
    return (
        f'<div class="govsim-timeline" data-day="{day}" data-reformed="{reformed}">'
        f'<div class="govsim-timeline-head">{head}</div>'
        f'<div class="govsim-timeline-track"><div class="govsim-timeline-done" style="width: {_left(day, facts.days)}">'
        f'</div>{ticks}{"".join(marks)}</div>'
        f'<div class="govsim-reformed-bar" title="communities reformed"><div class="govsim-reformed-fill" '
        f'style="width: {100 * share:.2f}%"></div></div>'
        f'<div class="govsim-waves">{"".join(lines)}</div></div>'
    )
