"""The table of today's numbers: the main outcomes of each configuration, and B - A in compare mode.

The rows are :data:`govsim.outcomes.MAIN_OUTCOMES`; each shows its unit, and
its meaning on hover, from the outcome's declaration.  Each value cell carries
``data-run`` and ``data-outcome`` attributes, so the browser tests read a
number without parsing the layout.
"""

from __future__ import annotations

import html
from collections.abc import Sequence

from govsim.outcomes import BY_NAME, MAIN_OUTCOMES, Outcome
from govsim.viz import community_state as state
from govsim.viz.styles import page_text

DASH = "\u2013"


def format_value(outcome: Outcome, value: float | None, signed: bool = False) -> str:
    """A value as the table shows it: three decimals on a fixed scale, fewer for large open-ended numbers."""
    if value is None:
        return DASH
    sign = "+" if signed else ""
    if outcome.bounded or abs(value) < 10:
        return f"{value:{sign}.3f}" if outcome.bounded else f"{value:{sign}.2f}"
    return f"{value:{sign},.1f}" if abs(value) < 100 else f"{value:{sign},.0f}"


def numbers_table(runs, outcomes: Sequence[str] = MAIN_OUTCOMES) -> str:
    """An HTML table of the latest outcomes of each run (and B - A in compare mode)."""
    compare = len(runs) > 1
    day = len(runs[0].history) if runs else 0
    head = "".join(f'<th title="{html.escape(run.label)}">{"AB"[r]}</th>' for r, run in enumerate(runs))
    head += "<th>B \u2212 A</th>" if compare else ""
    rows = []
    for name in outcomes:
        outcome = BY_NAME[name]
        values = [run.history.latest(name) for run in runs]
        cells = [f'<td data-run="{r}" data-outcome="{name}">{format_value(outcome, v)}</td>'
                 for r, v in enumerate(values)]
        if compare:
            a, b = values
            diff = None if a is None or b is None else b - a
            cells.append(f'<td data-run="diff" data-outcome="{name}">{format_value(outcome, diff, True)}</td>')
        label = html.escape(name.replace("_", " "))
        unit = html.escape(outcome.unit)
        rows.append(f'<tr><th title="{html.escape(page_text(outcome.meaning))}">{label} '
                    f'<span class="govsim-unit">{unit}</span></th>{"".join(cells)}</tr>')
    first = runs[0] if runs else None
    seed = state.seed(first.model) if first else ""
    residents = state.real_residents(first.model, first.community) if first else 0
    k = state.scale(first.model) if first else 1
    scale = f" (simulated 1 for {k})" if k > 1 else ""
    caption = f"Day {day} · seed {seed} · {residents:,} residents{scale}"
    legend = "".join(f"<div>{'AB'[r]}: {html.escape(run.label.split(': ', 1)[-1])}</div>"
                     for r, run in enumerate(runs))
    return (
        f'<table class="govsim-now" data-day="{day}" data-seed="{seed}"><caption>{html.escape(caption)}'
        f'<div class="govsim-runs">{legend}</div></caption>'
        f"<thead><tr><th>outcome (unit); hover for its meaning</th>{head}</tr></thead>"
        f"<tbody>{''.join(rows)}</tbody></table>"
    )
