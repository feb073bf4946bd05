"""The table of today's numbers."""

from __future__ import annotations

from govsim.outcomes import BY_NAME, MAIN_OUTCOMES
from govsim.viz.numbers_table import format_value, numbers_table
from govsim.viz.styles import has_cjk


def test_the_table_shows_the_latest_outcomes_with_units_and_the_difference(small):
    c = small(compare=True, seed=4)
    table = numbers_table(c.runs)
    assert 'data-day="0"' in table and "\u2013" in table
    c.step()
    table = numbers_table(c.runs)
    a, b = (run.model.outcomes for run in c.runs)
    for name in MAIN_OUTCOMES:
        outcome = BY_NAME[name]
        assert f'data-run="0" data-outcome="{name}">{format_value(outcome, a[name])}<' in table
        assert f'data-run="diff" data-outcome="{name}">{format_value(outcome, b[name] - a[name], True)}<' in table
        assert f'<span class="govsim-unit">{outcome.unit}</span>' in table
    assert "seed 4" in table and "3,000 residents" in table
    assert not has_cjk(table)  # meanings are shown on hover, without the Chinese the page cannot draw


def test_values_keep_three_decimals_on_a_fixed_scale_and_fewer_when_large():
    share, days = BY_NAME["satisfaction"], BY_NAME["welfare_days"]
    assert format_value(share, 0.51234) == "0.512" and format_value(share, -0.0101, True) == "-0.010"
    assert format_value(days, 3.14159) == "3.14" and format_value(days, 42.04) == "42.0"
    assert format_value(days, 1234.5, True) == "+1,234" and format_value(days, None) == "\u2013"
