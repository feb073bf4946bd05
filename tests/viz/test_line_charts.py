"""The line charts, derived from the outcome declarations: axes, units, colours, series."""

from __future__ import annotations

import itertools
import json

import numpy as np
import pytest

from govsim.outcomes import OUTCOMES, PANELS, panel_outcomes, panel_unit
from govsim.params import GROUPS
from govsim.viz.echarts import encode
from govsim.viz.line_charts import (
    LINE_CHARTS,
    MAX_POINTS,
    REFERENCES,
    legend_html,
    legend_labels,
    line_option,
    points,
    runs_caption,
    thin,
    title_html,
)
from govsim.viz.styles import has_cjk

CHARTS = {c.key: c for c in LINE_CHARTS}


def lab(colour: str) -> np.ndarray:
    """CIE L*a*b* of an sRGB hex colour (D65)."""
    rgb = np.array([int(colour[i:i + 2], 16) / 255 for i in (1, 3, 5)])
    rgb = np.where(rgb <= 0.04045, rgb / 12.92, ((rgb + 0.055) / 1.055) ** 2.4)
    xyz = np.array([[0.4124, 0.3576, 0.1805], [0.2126, 0.7152, 0.0722], [0.0193, 0.1192, 0.9505]]) @ rgb
    t = xyz / np.array([0.95047, 1.0, 1.08883])
    f = np.where(t > 0.008856, np.cbrt(t), 7.787 * t + 16 / 116)
    return np.array([116 * f[1] - 16, 500 * (f[0] - f[1]), 200 * (f[1] - f[2])])


def test_every_declared_outcome_is_drawn_once_in_its_panels_chart():
    drawn = [o.name for c in LINE_CHARTS for o in c.outcomes]
    assert sorted(drawn) == sorted(o.name for o in OUTCOMES)
    assert [c.key for c in LINE_CHARTS] == [p.key for p in PANELS if panel_outcomes(p.key)]
    for chart in LINE_CHARTS:
        assert chart.outcomes == panel_outcomes(chart.key)


@pytest.mark.slow
def test_axes_carry_the_unit_and_the_declared_range(small):
    option_of = {c.key: line_option(c, small().runs) for c in LINE_CHARTS}
    for chart in LINE_CHARTS:
        y = option_of[chart.key]["yAxis"]
        assert y["name"] == panel_unit(chart.key) and y["name"]
        assert y["min"] == min(o.low for o in chart.outcomes)
        if all(o.bounded for o in chart.outcomes):  # an index or share: a fixed scale, never zoomed in
            assert y["max"] == max(o.high for o in chart.outcomes)
        else:  # days, cases, efficiency: from zero, fitted to the data
            assert "max" not in y and y["min"] == 0
    assert not CHARTS["welfare"].bounded and CHARTS["satisfaction"].bounded


def test_lines_in_one_chart_have_colours_far_apart_and_widths_that_keep_overlaps_visible():
    for chart in LINE_CHARTS:
        for a, b in itertools.combinations(chart.colours, 2):
            assert np.linalg.norm(lab(a) - lab(b)) > 30, (chart.key, a, b)
        assert list(chart.widths) == sorted(chart.widths, reverse=True)
        assert len(set(chart.widths)) == len(chart.widths)


def test_legend_names_say_what_each_line_adds():
    assert legend_labels(panel_outcomes("satisfaction")) == ("all", *(g.replace("_", "-") for g in GROUPS))
    assert legend_labels(panel_outcomes("staff"))[:3] == ("service", "coordination", "management")
    assert legend_labels(panel_outcomes("welfare")) == ("welfare days",)


def test_titles_and_legends_show_no_chinese_the_page_cannot_draw():
    for chart in LINE_CHARTS:
        assert not has_cjk(title_html(chart) + legend_html(chart))
    assert CHARTS["welfare"].title == "Welfare applications: days to a decision"


@pytest.mark.slow
def test_series_follow_the_history_one_set_per_configuration(small):
    single, both = small(), small(compare=True)
    for c in (single, both):
        for _ in range(3):
            c.step()
    df = single.runs[0].model.timeseries()
    for chart in LINE_CHARTS:
        one = line_option(chart, single.runs)
        two = line_option(chart, both.runs)
        assert len(one["series"]) == len(chart.outcomes) and len(two["series"]) == 2 * len(chart.outcomes)
        assert {s["lineStyle"]["type"] for s in two["series"]} == {"solid", "dashed"}
        for s, outcome in zip(one["series"], chart.outcomes, strict=True):
            assert [p[1] for p in s["data"]] == pytest.approx(df[outcome.name].tolist(), abs=1e-4)
        json.loads(encode(two))  # valid JSON, no NaN
    assert runs_caption(both.runs) == "A: guiyang_2012 (solid) vs B: article_remedies (dashed)"


def test_the_staff_chart_marks_the_split_the_centre_means_to_give(small):
    c = small()
    c.step()
    option = line_option(CHARTS["staff"], c.runs)
    marked = [s["markLine"]["data"][0]["yAxis"] for s in option["series"] if "markLine" in s]
    assert len(marked) == len(REFERENCES) and sum(marked) == pytest.approx(1.0, abs=1e-3)
    assert "intended" in legend_html(CHARTS["staff"])


def test_thinning_keeps_first_and_last_and_at_most_the_limit():
    idx = thin(10_000)
    assert len(idx) <= MAX_POINTS and idx[0] == 0 and idx[-1] == 9_999
    assert thin(5).tolist() == list(range(5))
    assert points(np.arange(1, 4), np.array([0.5, np.nan, 0.25])) == [[1, 0.5], [2, None], [3, 0.25]]
