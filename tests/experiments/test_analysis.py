"""govsim analyze: confidence intervals, paired differences, sensitivity indices, figures."""

from __future__ import annotations

import shutil
import subprocess

import numpy as np
import pandas as pd
import pytest

from govsim.errors import InputError
from govsim.experiments import analyze_results, load_experiment

from .conftest import govsim_command, serial, subprocess_env, write

TINY = """
description = "tiny"
scenario = "guiyang_2012"
seed = 3
replications = {reps}
steps = 12
burn_in = 2
outcomes = ["satisfaction", "needs_met", "trust", "staff_time_service"]
[set]
"population.residents" = 300
[design]
{design}
[parameters]
{parameters}
"""


@pytest.fixture(scope="module")
def small_analysis(tmp_path_factory, small_serial):
    out = tmp_path_factory.mktemp("analysis") / "small"
    shutil.copytree(small_serial, out)
    return out, analyze_results(out)


@pytest.mark.slow
def test_summary_gives_mean_and_95_percent_interval_over_replications(small_analysis):
    out, _ = small_analysis
    runs = pd.read_parquet(out / "runs.parquet")
    s = pd.read_parquet(out / "analysis" / "summary.parquet")
    assert len(pd.read_csv(out / "analysis" / "summary.csv")) == len(s)
    assert len(s) == 2 * 2 * 2 * len(load_experiment(out / "experiment.toml").outcomes)  # scen x point x stat x out
    assert (s["n"] == 3).all()
    assert ((s["ci_low"] <= s["mean"] + 1e-12) & (s["mean"] <= s["ci_high"] + 1e-12)).all()
    row = s[(s["scenario"] == "article_remedies") & (s["centre.staff"] == 30) & (s["outcome"] == "trust")
            & (s["statistic"] == "final")].iloc[0]
    values = runs[(runs["scenario"] == "article_remedies") & (runs["centre.staff"] == 30)]["trust_final"]
    assert row["mean"] == pytest.approx(values.mean())
    assert row["ci_high"] - row["mean"] == pytest.approx(4.302652729749462 * values.std() / np.sqrt(3), rel=1e-6)


def test_paired_differences_use_common_random_numbers(small_analysis):
    out, result = small_analysis
    runs = pd.read_parquet(out / "runs.parquet")
    d = result.differences
    assert set(d["scenario"]) == {"article_remedies"} and set(d["reference"]) == {"guiyang_2012"}
    row = d[(d["point"] == 1) & (d["outcome"] == "satisfaction") & (d["statistic"] == "mean")].iloc[0]
    a = runs[(runs["scenario"] == "article_remedies") & (runs["point"] == 1)].sort_values("replication")
    b = runs[(runs["scenario"] == "guiyang_2012") & (runs["point"] == 1)].sort_values("replication")
    diffs = a["satisfaction_mean"].to_numpy() - b["satisfaction_mean"].to_numpy()
    assert row["difference"] == pytest.approx(diffs.mean()) and row["n"] == 3
    # Replication r of both scenarios shares its seed, so chance cancels out of the difference.
    assert row["halfwidth"] < row["unpaired_halfwidth"]


def test_time_series_summary_and_figures(small_analysis):
    out, result = small_analysis
    series = pd.read_parquet(out / "analysis" / "timeseries_summary.parquet")
    summary = result.summary
    last = series[(series["step"] == 40) & (series["outcome"] == "satisfaction")]
    finals = summary[(summary["outcome"] == "satisfaction") & (summary["statistic"] == "final")]
    merged = last.merge(finals, on=["scenario", "point", "centre.staff"], suffixes=("", "_final"))
    assert len(merged) == 4
    np.testing.assert_allclose(merged["mean"], merged["mean_final"], rtol=1e-12)
    for name in ("timeseries.png", "parameter_centre.staff.png"):
        assert (out / "analysis" / name).read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    for name in ("summary", "differences", "timeseries_summary"):
        assert (out / "analysis" / f"{name}.csv").exists() and (out / "analysis" / f"{name}.parquet").exists()


@pytest.mark.slow
def test_ternary_plot_of_the_role_emphasis_simplex(tmp_path):
    text = TINY.format(reps=2, design='kind = "grid"', parameters='"centre.role_emphasis" = { divisions = 2 }')
    exp = load_experiment(write(tmp_path, "simplex", text))
    out = tmp_path / "results"
    serial(exp, out)
    result = analyze_results(out)
    assert (out / "analysis" / "ternary_centre.role_emphasis.png").exists()
    s = result.summary
    assert s["point"].nunique() == 6
    shares = s[["centre.role_emphasis.service", "centre.role_emphasis.coordination",
                "centre.role_emphasis.management"]].sum(axis=1)
    np.testing.assert_allclose(shares, 1.0)


@pytest.mark.parametrize("design, columns", [
    ('kind = "morris"\nsamples = 4\nlevels = 4', {"mu", "mu_star", "sigma", "mu_star_conf"}),
    ('kind = "sobol"\nsamples = 8', {"S1", "S1_conf", "ST", "ST_conf"}),
])
@pytest.mark.slow
def test_sensitivity_indices_through_salib(tmp_path, design, columns):
    parameters = '"centre.quality" = { low = 0.3, high = 0.9 }\n"district.task_pressure" = { low = 0.2, high = 1.0 }'
    exp = load_experiment(write(tmp_path, "sens", TINY.format(reps=1, design=design, parameters=parameters)))
    out = tmp_path / "results"
    serial(exp, out)
    morris = "morris" in design
    result = analyze_results(out, figures=morris)  # draw the figure once
    table = pd.read_csv(out / "analysis" / "sensitivity.csv")
    assert columns <= set(table.columns)
    assert set(table["parameter"]) == {"centre.quality", "district.task_pressure"}
    assert "satisfaction" in set(table["outcome"])
    skipped = set(exp.outcomes) - set(table["outcome"])  # outcomes that do not move in 12 days
    assert all(any(o in note and "no indices" in note for note in result.notes) for o in skipped)
    assert (out / "analysis" / "sensitivity.png").exists() == morris
    assert result.sensitivity is not None


def test_analyze_reads_a_sweep_still_in_progress(tmp_path, small_serial):
    """Row files not yet consolidated into runs.parquet count too (a killed or running sweep)."""
    out = tmp_path / "partial"
    shutil.copytree(small_serial, out)
    runs = pd.read_parquet(out / "runs.parquet")
    runs.iloc[:5].to_parquet(out / "runs.parquet", index=False)
    (out / "runs").mkdir(exist_ok=True)
    import json
    for record in runs.iloc[5:8].to_dict("records"):
        row = {k: v for k, v in record.items() if "." not in k}
        (out / "runs" / f"{row['run_id']}.json").write_text(json.dumps(row, default=str))
    result = analyze_results(out, figures=False)
    assert len(result.results.ok) == 8
    assert any("8 of 12 runs" in note for note in result.notes)


@pytest.mark.slow
def test_cli_analyze_prints_the_table_and_refuses_other_folders(tmp_path, small_serial):
    out = tmp_path / "cli"
    shutil.copytree(small_serial, out)
    done = subprocess.run([*govsim_command(), "analyze", str(out), "--no-figures"], capture_output=True, text=True,
                          env=subprocess_env(), timeout=120, check=False)
    assert done.returncode == 0, done.stderr
    assert "paired difference from guiyang_2012" in done.stdout and "summary.csv" in done.stdout
    bad = subprocess.run([*govsim_command(), "analyze", str(tmp_path)], capture_output=True, text=True,
                         env=subprocess_env(), timeout=120, check=False)
    assert bad.returncode == 2 and "holds no govsim sweep results" in bad.stderr
    with pytest.raises(InputError, match="unknown scenario 'nowhere'") as info:
        analyze_results(out, reference="nowhere")
    assert info.value.key == "--reference"


# --- headlines and what the figures pool -------------------------------------------------------------


@pytest.mark.slow
def test_a_simplex_headline_names_the_best_split_with_its_interval(tmp_path):
    from govsim.experiments.analysis.report import format_report, timeseries

    text = TINY.format(reps=2, design='kind = "grid"', parameters='"centre.role_emphasis" = { divisions = 4 }')
    out = tmp_path / "results"
    serial(load_experiment(write(tmp_path, "simplex", text)), out)
    analysis = analyze_results(out, figures=False)
    report = format_report(analysis)
    s = analysis.summary
    best = s[(s["outcome"] == "satisfaction") & (s["statistic"] == "mean")].sort_values("mean").iloc[-1]
    shares = " ".join(f"{k.rsplit('.', 1)[-1]}={best[k]:.3g}" for k in
                      ("centre.role_emphasis.service", "centre.role_emphasis.coordination",
                       "centre.role_emphasis.management"))
    assert (f"split of centre.role_emphasis with the highest satisfaction (mean over kept days): {shares}: "
            f"{best['mean']:.3f} [{best['ci_low']:.3f}, {best['ci_high']:.3f}] (95% CI, 2 replications)") in report
    assert "  next: " in report
    # 15 configurations: the time series shows families of them, and says the band is no confidence interval.
    title = timeseries(analysis)._suptitle.get_text()
    assert "15 configurations in 4 families" in title and "not a confidence interval" in title


@pytest.mark.slow
def test_a_morris_headline_names_the_parameters_that_matter_most(tmp_path):
    from govsim.experiments.analysis.report import format_report

    parameters = '"centre.quality" = { low = 0.3, high = 0.9 }\n"district.task_pressure" = { low = 0.2, high = 1.0 }'
    design = 'kind = "morris"\nsamples = 4\nlevels = 4'
    out = tmp_path / "results"
    serial(load_experiment(write(tmp_path, "morris", TINY.format(reps=1, design=design, parameters=parameters))), out)
    analysis = analyze_results(out, figures=True)
    report = format_report(analysis)
    table = analysis.sensitivity
    top = table[table["outcome"] == "satisfaction"].sort_values("mu_star").iloc[-1]
    assert f"parameters that matter most for satisfaction by Morris mu* (guiyang_2012): {top['parameter']}" in report
    assert (out / "analysis" / "parameter_centre.quality.png").exists()


@pytest.mark.slow
def test_a_scenario_comparison_headline_gives_the_paired_differences(small_analysis, tmp_path):
    from govsim.experiments.analysis.report import format_report

    text = TINY.format(reps=3, design='kind = "grid"', parameters="").replace(
        'scenario = "guiyang_2012"', 'scenarios = ["guiyang_2012", "article_remedies"]')
    out = tmp_path / "compare"
    serial(load_experiment(write(tmp_path, "compare", text)), out)
    analysis = analyze_results(out)
    d = analysis.differences
    row = d[(d["outcome"] == "satisfaction") & (d["statistic"] == "mean")].iloc[0]
    assert (f"satisfaction minus guiyang_2012 (paired: same seeds, 95% CI): article_remedies "
            f"{row['difference']:+.3f} [{row['ci_low']:+.3f}, {row['ci_high']:+.3f}]") in format_report(analysis)
    assert (out / "analysis" / "satisfaction_by_group.png").exists() is False  # not kept: only four outcomes
    small_out, _ = small_analysis
    assert (small_out / "analysis" / "satisfaction_by_group.png").exists()
