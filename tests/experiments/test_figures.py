"""The figures, tested directly on made-up tables: units, honest ranges, legends off the data, real pixels."""

from __future__ import annotations

import io
import itertools

import matplotlib.colors as mcolors
import matplotlib.image as mimage
import numpy as np
import pandas as pd
import pytest

from govsim.experiments.figures import style
from govsim.experiments.figures.groups import GROUP_OUTCOMES, satisfaction_by_group_figure
from govsim.experiments.figures.parameters import parameter_figure
from govsim.experiments.figures.sensitivity import sensitivity_figure
from govsim.experiments.figures.ternary import ternary_figure
from govsim.experiments.figures.timeseries import (
    configuration_bands,
    family_bands,
    pooled_bands,
    timeseries_figure,
)
from govsim.outcomes import BY_NAME

OUTCOMES = ["satisfaction", "welfare_days", "needs_met"]
ROLES = ("centre.role_emphasis.service", "centre.role_emphasis.coordination", "centre.role_emphasis.management")


def series_table(configs: int, steps: int = 20, level_scale: float = 1.0) -> pd.DataFrame:
    rng = np.random.default_rng(1)
    rows = []
    for c in range(configs):
        for step in range(1, steps + 1):
            for outcome in OUTCOMES:
                top = 12.0 if outcome == "welfare_days" else 0.6
                mean = top * (0.5 + 0.3 * c / max(configs, 1)) * level_scale + rng.normal(0, 0.01)
                rows.append({"scenario": "s" if c % 2 else "t", "point": c, "config_id": f"{c:016x}", "step": step,
                             "outcome": outcome, "n": 5, "configurations": 1, "mean": mean,
                             "ci_low": mean - 0.02, "ci_high": mean + 0.02, "share": c / max(configs, 1)})
    return pd.DataFrame(rows)


def pixels(fig) -> np.ndarray:
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", dpi=60)
    buffer.seek(0)
    return mimage.imread(buffer)


def assert_drawn(fig) -> None:
    """Ink on the page and many colours: not blank, not one colour."""
    image = pixels(fig)[..., :3]
    ink = (image < 0.9).any(axis=-1).mean()
    colours = len(np.unique((image * 255).astype(np.uint8).reshape(-1, 3), axis=0))
    assert ink > 0.02 and colours > 20, (ink, colours)


def assert_legend_off_the_data(fig) -> None:
    fig.canvas.draw()
    renderer = fig.canvas.get_renderer()
    legends = fig.legends + [ax.get_legend() for ax in fig.axes if ax.get_legend() is not None]
    assert legends, "the figure has no legend"
    for legend in legends:
        box = legend.get_window_extent(renderer)
        for ax in fig.axes:
            if ax.get_visible() and ax.get_label() != "<colorbar>":
                assert not box.overlaps(ax.get_window_extent(renderer)), "a legend covers a panel"


def lab(colour: str) -> np.ndarray:
    """CIE L*a*b* (D65) of an sRGB colour."""
    rgb = np.array(mcolors.to_rgb(colour))
    linear = np.where(rgb <= 0.04045, rgb / 12.92, ((rgb + 0.055) / 1.055) ** 2.4)
    xyz = np.array([[0.4124, 0.3576, 0.1805], [0.2126, 0.7152, 0.0722], [0.0193, 0.1192, 0.9505]]) @ linear
    xyz /= np.array([0.95047, 1.0, 1.08883])
    f = np.where(xyz > 0.008856, np.cbrt(xyz), 7.787 * xyz + 16 / 116)
    return np.array([116 * f[1] - 16, 500 * (f[0] - f[1]), 200 * (f[1] - f[2])])


def test_the_palette_colours_differ_clearly_from_each_other():
    for a, b in itertools.combinations(style.PALETTE, 2):
        assert np.linalg.norm(lab(a) - lab(b)) > 20, (a, b)  # CIE76: ~2.3 is just noticeable
    assert all(np.linalg.norm(lab(c) - lab("white")) > 20 for c in style.PALETTE)  # no yellow on white
    # Beyond the palette, series change line style: no two of the first 28 look the same.
    assert len({(style.colour(i), style.line_style(i)) for i in range(28)}) == 28


def test_outcome_axes_carry_units_and_the_outcomes_range():
    _, axes = style.panels(2)
    style.outcome_axis(axes[0], "satisfaction", [0.51, 0.52])
    style.outcome_axis(axes[1], "welfare_days", [3.0, 12.5])
    assert axes[0].get_ylim() == (0.0, 1.0) and axes[0].get_ylabel() == "satisfaction [index (0-1)]"
    assert axes[1].get_ylim()[0] == 0.0 and 12.5 < axes[1].get_ylim()[1] < 14.0
    assert axes[1].get_ylabel() == "welfare days [days]"
    assert BY_NAME["welfare_days"].high is None  # open-ended, as the axis treats it


def test_configuration_bands_are_confidence_intervals_and_say_so():
    table = series_table(3)
    bands = configuration_bands(table, lambda row: f"config {row['point']}")
    assert [b.label for b in bands] == ["config 0", "config 1", "config 2"]
    assert np.all(bands[0].low["satisfaction"] < bands[0].mean["satisfaction"])
    fig = timeseries_figure(bands, OUTCOMES, "demo", "band: 95% confidence interval of the mean over 5 replications")
    assert "95% confidence interval" in fig._suptitle.get_text()
    by_title = {ax.get_title(): ax for ax in fig.axes}
    assert by_title["satisfaction"].get_ylim() == (0.0, 1.0)
    assert by_title["welfare days"].get_ylim()[0] == 0.0 and by_title["welfare days"].get_ylim()[1] > 9
    assert by_title["welfare days"].get_ylabel().endswith("[days]")
    assert_legend_off_the_data(fig)
    assert_drawn(fig)


def test_many_configurations_are_drawn_as_families_with_their_spread_not_a_ci():
    table = series_table(66)
    bands = family_bands(table, lambda row: "low" if row["share"] < 0.5 else "high", order=["high", "low"])
    assert [b.label for b in bands] == ["high (33 configurations)", "low (33 configurations)"]
    high = table[table["share"] >= 0.5]
    at = high[(high["step"] == 1) & (high["outcome"] == "satisfaction")]["mean"]
    assert bands[0].mean["satisfaction"][0] == pytest.approx(at.mean())
    assert bands[0].low["satisfaction"][0] == pytest.approx(np.percentile(at, 10))
    assert bands[0].high["satisfaction"][0] == pytest.approx(np.percentile(at, 90))
    fig = timeseries_figure(bands, OUTCOMES, "demo", "66 configurations in 2 families; band: 10th-90th percentile "
                                                     "of the configuration means, not a confidence interval")
    assert "not a confidence interval" in fig._suptitle.get_text()
    assert_legend_off_the_data(fig)


def test_pooled_bands_name_how_many_configurations_they_pool():
    table = series_table(2).drop(columns=["config_id", "point"]).assign(configurations=40_000)
    table = table.groupby(["scenario", "step", "outcome"], as_index=False).agg(
        mean=("mean", "mean"), ci_low=("ci_low", "min"), ci_high=("ci_high", "max"),
        configurations=("configurations", "first"))
    bands = pooled_bands(table)
    assert {b.label for b in bands} == {f"{s} (pooled over 40,000 configurations)" for s in "st"}


def test_parameter_figure_units_means_and_the_confounding_note():
    rng = np.random.default_rng(2)
    ok = pd.DataFrame({"scenario": "s", "centre.staff": rng.integers(5, 40, 200),
                       "satisfaction_mean": rng.uniform(0.4, 0.6, 200), "welfare_days_mean": rng.uniform(2, 9, 200)})
    fig = parameter_figure(ok, "centre.staff", ["satisfaction", "welfare_days"], ["s"], "demo",
                           note="marginal means, confounded: the other parameters move too")
    assert "confounded" in fig._suptitle.get_text()
    sat, days = fig.axes[:2]
    assert sat.get_xlabel() == "centre.staff [posts]" and sat.get_ylim() == (0.0, 1.0)
    assert days.get_ylabel() == "welfare days [days]" and days.get_ylim()[0] == 0.0
    line = sat.get_lines()[0]  # 35 distinct values: means in tenths of the range
    assert len(line.get_xdata()) == 10
    assert_legend_off_the_data(fig)
    assert_drawn(fig)


def test_ternary_has_share_ticks_on_every_edge_and_labelled_colour_bars():
    from govsim.experiments.designs import simplex_points

    points = simplex_points(ROLES, 5)
    rows = [{**p, "scenario": "s", "point": i, "statistic": "mean", "outcome": o, "mean": p[ROLES[0]] + 0.1 * i / 21,
             "n": 3} for i, p in enumerate(points) for o in ("satisfaction", "needs_met")]
    fig = ternary_figure(pd.DataFrame(rows), ROLES, ["satisfaction", "needs_met"], "demo", replications=3)
    ax = fig.axes[0]
    texts = [t.get_text() for t in ax.texts]
    for tick in ("0.2", "0.4", "0.6", "0.8"):
        assert texts.count(tick) == 3  # one on each edge
    assert {"service", "coordination", "management"} <= set(texts)
    assert any("management share" in t for t in texts) and any("service share" in t for t in texts)
    bars = [a for a in fig.axes if a.get_label() == "<colorbar>"]
    assert len(bars) == 2
    assert bars[0].get_ylabel().startswith("satisfaction [index (0-1)]") and "3 replications" in bars[0].get_ylabel()
    assert "highest" in ax.get_title()
    assert_drawn(fig)


@pytest.mark.parametrize("columns", [
    {"S1": [0.5, 0.1], "S1_conf": [0.1, 0.05], "ST": [0.6, 0.2], "ST_conf": [0.1, 0.05]},
    {"mu": [0.02, -0.01], "mu_star": [0.03, 0.01], "sigma": [0.01, 0.02], "mu_star_conf": [0.005, 0.004]},
])
def test_sensitivity_figure_labels_what_its_indices_are(columns):
    table = pd.DataFrame({"scenario": "s", "outcome": "satisfaction", "parameter": ["centre.staff", "centre.quality"],
                          **columns})
    fig = sensitivity_figure(table, ["satisfaction"], "demo")
    ax = fig.axes[0]
    if "ST" in columns:
        assert ax.get_xlabel() == "Sobol index [share of the outcome's variance]" and ax.get_xlim()[1] >= 1.0
    else:
        assert ax.get_xlabel() == "elementary effect: satisfaction [index (0-1)]"
    assert [t.get_text() for t in ax.get_yticklabels()] == ["staff", "quality"]
    assert_legend_off_the_data(fig)
    assert_drawn(fig)


def test_satisfaction_by_group_gives_each_configuration_its_own_colour():
    labels = {(s, 0): s for s in ("pre_reform_2009", "guiyang_2012", "article_remedies")}
    rows = [{"scenario": s, "point": 0, "statistic": "mean", "outcome": o, "mean": 0.5 + 0.01 * i,
             "ci_low": 0.49 + 0.01 * i, "ci_high": 0.51 + 0.01 * i}
            for i, (s, _) in enumerate(labels) for o in GROUP_OUTCOMES]
    fig = satisfaction_by_group_figure(pd.DataFrame(rows), labels, "demo", replications=30)
    ax = fig.axes[0]
    assert [t.get_text() for t in ax.get_xticklabels()] == ["all residents", "elderly", "disabled", "youth",
                                                            "low-income", "ordinary"]
    colours = {mcolors.to_hex(p.get_facecolor()) for p in ax.patches}
    assert len(colours) == 3 and ax.get_ylim() == (0.0, 1.0)
    assert ax.get_ylabel() == "satisfaction [index (0-1)]" and "30 replications" in fig._suptitle.get_text()
    assert_legend_off_the_data(fig)
    assert_drawn(fig)
