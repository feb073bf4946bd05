"""The run figure: one axis per declared panel, units on the axes, honest ranges, legends off the data."""

import ast
import dataclasses
import inspect
import itertools

import matplotlib.colors as mcolors
import matplotlib.image as mimage
import numpy as np
import pandas as pd
import pytest

import govsim.outcomes as outcomes_module
from govsim import plotting
from govsim.outcomes import OUTCOME_NAMES, OUTCOMES, PANELS, Outcome, panel_outcomes, panel_unit
from govsim.params import GROUPS
from govsim.plotting import GROUP_COLOURS, latin, plot_timeseries, save_figure

DAYS = 60


def synthetic(open_peak: float = 37.0) -> pd.DataFrame:
    """A time series of every declared outcome: bounded ones inside [low, high], open-ended ones up to a peak."""
    rng = np.random.default_rng(1)
    data = {"step": np.arange(1, DAYS + 1)}
    for o in OUTCOMES:
        high = o.high if o.high is not None else open_peak
        data[o.name] = o.low + (high - o.low) * rng.uniform(0.1, 0.9, DAYS)
        if o.high is None:
            data[o.name][DAYS // 2] = open_peak
    return pd.DataFrame(data)


@pytest.fixture(scope="module")
def drawn():
    fig = plot_timeseries(synthetic(), "test run")
    fig.canvas.draw()
    axes = {ax.get_title(): ax for ax in fig.axes}
    yield fig, {p.key: axes[latin(p.title)] for p in PANELS}
    plotting.plt.close(fig)


@pytest.mark.slow
def test_one_axis_per_declared_panel_with_its_title_and_unit(drawn):
    fig, axes = drawn
    assert len(fig.axes) == len(PANELS)
    for p in PANELS:
        ax = axes[p.key]
        assert ax.get_ylabel() == panel_unit(p.key) and ax.get_xlabel() == "day"
        assert len(ax.get_lines()) == len(panel_outcomes(p.key))
    assert fig.get_suptitle() == "test run"


def test_bounded_panels_have_fixed_axes_and_open_ended_ones_start_at_zero(drawn):
    _, axes = drawn
    for p in PANELS:
        members = panel_outcomes(p.key)
        bottom, top = axes[p.key].get_ylim()
        if all(o.high is not None for o in members):
            assert (bottom, top) == (min(o.low for o in members), max(o.high for o in members)), p.key
        else:
            assert bottom == 0.0 and 37.0 <= top <= 37.0 * 1.1, (p.key, top)
    assert any(o.high is None for o in OUTCOMES) and any(o.high is not None for o in OUTCOMES)


def test_a_bounded_axis_does_not_follow_the_data():
    """A share that moves between 0.50 and 0.51 is not stretched to fill the axis."""
    df = synthetic()
    bounded = next(o for o in OUTCOMES if o.high is not None)
    df[bounded.name] = np.linspace(0.50, 0.51, DAYS)
    fig = plot_timeseries(df)
    ax = next(ax for ax in fig.axes if ax.get_title() == latin(next(p.title for p in PANELS if p.key == bounded.panel)))
    assert ax.get_ylim() == (bounded.low, bounded.high)
    plotting.plt.close(fig)


def test_legends_sit_outside_the_data(drawn):
    fig, axes = drawn
    renderer = fig.canvas.get_renderer()
    for key, ax in axes.items():
        legend = ax.get_legend()
        assert legend is not None, key
        box, data = legend.get_window_extent(renderer), ax.get_window_extent(renderer)
        assert box.y1 <= data.y0 or box.x0 >= data.x1, key  # below or beside the axes, never on them
        others = [a.get_window_extent(renderer) for a in fig.axes if a is not ax]
        assert not any(box.overlaps(o) for o in others), key


def test_the_five_groups_have_distinct_colours_everywhere(drawn):
    _, axes = drawn
    rgb = {g: np.array(mcolors.to_rgb(c)) for g, c in GROUP_COLOURS.items()}
    assert set(rgb) == set(GROUPS)
    for a, b in itertools.combinations(GROUPS, 2):
        assert np.linalg.norm(rgb[a] - rgb[b]) > 0.3, (a, b)
    group_lines = [line for ax in axes.values() for line in ax.get_lines()
                   if line.get_label().replace(" ", "_") in GROUP_COLOURS]
    assert len(group_lines) >= len(GROUPS)
    for line in group_lines:
        assert mcolors.to_hex(line.get_color()) == mcolors.to_hex(GROUP_COLOURS[line.get_label().replace(" ", "_")])
    group_hex = {mcolors.to_hex(c) for c in GROUP_COLOURS.values()}
    other_lines = [line for ax in axes.values() for line in ax.get_lines() if line not in group_lines]
    assert other_lines and not any(mcolors.to_hex(line.get_color()) in group_hex for line in other_lines)


def test_lines_within_a_panel_are_distinguishable(drawn):
    _, axes = drawn
    for key, ax in axes.items():
        colours = [mcolors.to_hex(line.get_color()) for line in ax.get_lines()]
        assert len(set(colours)) == len(colours), (key, colours)


def test_nothing_is_hard_coded_a_new_outcome_appears(monkeypatch):
    """plotting.py names no outcome, and an outcome added to the declarations is drawn in its panel."""
    literals = {node.value for node in ast.walk(ast.parse(inspect.getsource(plotting)))
                if isinstance(node, ast.Constant) and isinstance(node.value, str)}
    assert not literals & {*OUTCOME_NAMES, *(p.key for p in PANELS)}

    panel = PANELS[-1].key
    extra = Outcome("test_extra", "An outcome declared only in this test.", panel_unit(panel), panel, "test")
    monkeypatch.setattr(outcomes_module, "OUTCOMES", (*OUTCOMES, extra))
    df = synthetic().assign(test_extra=0.5)
    fig = plot_timeseries(df)
    labels = [line.get_label() for ax in fig.axes for line in ax.get_lines()]
    assert "test extra" in labels
    plotting.plt.close(fig)


def test_a_panel_with_nothing_but_zeros_says_so():
    df = synthetic()
    key = next(p.key for p in PANELS if any(o.high is None for o in panel_outcomes(p.key)))
    for o in panel_outcomes(key):
        df[o.name] = 0.0
    fig = plot_timeseries(df)
    ax = next(ax for ax in fig.axes if ax.get_ylabel() == panel_unit(key) and ax.texts)
    assert ax.get_ylim() == (0.0, 1.0) and "every value is 0" in ax.texts[0].get_text()
    plotting.plt.close(fig)


def test_chinese_terms_are_left_out_of_titles():
    assert latin("Welfare (低保) applications: days") == "Welfare applications: days"
    assert latin("plain") == "plain"


@pytest.mark.slow
def test_the_saved_figure_is_drawn_not_blank(tmp_path):
    path = tmp_path / "f.png"
    save_figure(plot_timeseries(synthetic(), "t"), path)
    pixels = mimage.imread(path)[..., :3].reshape(-1, 3)
    height, width = mimage.imread(path).shape[:2]
    assert width > 1200 and height > 900
    colours = {tuple(c) for c in np.round(pixels[:: 37] * 255).astype(int)}
    assert len(colours) > 50  # text, lines in several colours, grids: not one flat colour
    for colour in GROUP_COLOURS.values():  # each group's line is really in the picture
        target = np.array(mcolors.to_rgb(colour))
        assert (np.abs(pixels - target).max(axis=1) < 0.02).sum() > 100, colour


def test_outcome_declarations_fit_the_figure():
    """What the figure relies on: every panel has outcomes and one unit, every outcome a known panel."""
    keys = [p.key for p in PANELS]
    assert len(set(keys)) == len(keys)
    for o in OUTCOMES:
        assert o.panel in keys and (o.high is None or o.low < o.high), o.name
    for p in PANELS:
        assert panel_outcomes(p.key) and panel_unit(p.key)
    assert all(dataclasses.is_dataclass(o) for o in OUTCOMES)
