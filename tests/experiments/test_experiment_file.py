"""Experiment files: designs built from them, and bad files refused like bad scenarios."""

from __future__ import annotations

import subprocess
from pathlib import Path

import numpy as np
import pytest

from govsim.errors import InputError
from govsim.experiments import load_experiment
from govsim.experiments.designs import simplex_points
from govsim.params import SCHEMA, SHARE_GROUPS

from .conftest import ROOT, SMALL, govsim_command, subprocess_env, write

SHIPPED = ROOT / "experiments"


def test_reform_comparison_compares_three_scenarios_with_30_replications():
    exp = load_experiment(SHIPPED / "reform_comparison.toml")
    assert [s.name for s in exp.scenarios] == ["pre_reform_2009", "guiyang_2012", "article_remedies"]
    assert exp.replications >= 30
    assert exp.reference == "guiyang_2012"
    assert exp.n_runs == 3 * exp.replications
    assert "structure.levels" in exp.varied  # the scenarios differ there: it becomes a column


def test_role_emphasis_puts_every_point_on_the_simplex():
    exp = load_experiment(SHIPPED / "role_emphasis.toml")
    keys = SHARE_GROUPS["centre.role_emphasis"]
    assert exp.design.keys == keys
    shares = np.array([[c.values[k] for k in keys] for c in exp.configurations()])
    assert len(shares) == 66  # steps of 0.1
    np.testing.assert_allclose(shares.sum(axis=1), 1.0, atol=1e-9)
    assert shares.min() >= 0 and shares.max() <= 1
    assert len({tuple(np.round(s, 9)) for s in shares}) == len(shares)


def test_sensitivity_experiment_is_a_salib_design_within_bounds():
    exp = load_experiment(SHIPPED / "sensitivity_morris.toml")
    assert exp.design.kind == "morris"
    problem = exp.design.problem
    assert len(exp.design) == exp.design.settings["samples"] * (problem["num_vars"] + 1)
    for point in exp.design.points():
        for key, (low, high) in zip(problem["names"], problem["bounds"], strict=True):
            assert low <= point[key] <= high
            assert isinstance(point[key], SCHEMA[key].kind)


def test_the_city_evaluation_pairs_the_reform_with_its_counterfactual():
    exp = load_experiment(SHIPPED / "city_evaluation.toml")
    assert exp.city and [s.name for s in exp.scenarios] == ["guiyang_city", "guiyang_city_no_reform"]
    assert exp.steps == 1826 and exp.varied == ("city.reform",)
    assert exp.replications >= 10  # intervals over replications worth reading
    reform, counterfactual = (dict(c.values) for c in exp.configurations())
    assert {k for k in reform if reform[k] != counterfactual[k]} == {"city.reform"}


def test_the_city_rollout_sweep_gives_every_order_its_counterfactual():
    exp = load_experiment(SHIPPED / "city_rollout.toml")
    assert exp.city and exp.design.keys == ("city.rollout",)
    orders = {(c.scenario, c.values["city.rollout"]) for c in exp.configurations()}
    assert orders == {(s, r) for s in ("guiyang_city", "guiyang_city_no_reform") for r in (0, 1, 2)}


def test_simplex_points_lie_on_the_simplex_and_respect_the_least_share():
    points = simplex_points(("a", "b", "c"), 4, low=0.25)
    assert {tuple(p.values()) for p in points} == {(0.5, 0.25, 0.25), (0.25, 0.5, 0.25), (0.25, 0.25, 0.5)}


@pytest.mark.parametrize("kind, extra, size", [
    ("lhs", "samples = 16", 16),
    ("sobol", "samples = 8", 8 * (2 + 2)),
    ("sobol", "samples = 8\nsecond_order = true", 8 * (2 * 2 + 2)),
    ("morris", "samples = 4\nlevels = 4", 4 * 3),
])
def test_sampled_designs_round_integers_and_stay_in_bounds(tmp_path, kind, extra, size):
    text = SMALL.replace('"centre.staff" = [20, 30]', '"centre.staff" = { low = 10, high = 40 }\n'
                                                      '"centre.quality" = { low = 0.3, high = 0.9 }')
    text = text.replace("[parameters]", f'[design]\nkind = "{kind}"\n{extra}\n\n[parameters]')
    exp = load_experiment(write(tmp_path, "sampled", text))
    points = list(exp.design.points())
    assert len(points) == size
    assert exp.design.sample.shape == (size, 2)
    assert all(isinstance(p["centre.staff"], int) and 10 <= p["centre.staff"] <= 40 for p in points)
    assert all(0.3 <= p["centre.quality"] <= 0.9 for p in points)
    again = load_experiment(write(tmp_path, "sampled", text))
    assert list(again.config_hash) == list(exp.config_hash)  # reproducible


def test_grid_ranges_give_evenly_spaced_values(tmp_path):
    text = SMALL.replace('"centre.staff" = [20, 30]', '"centre.quality" = { low = 0.3, high = 0.9, steps = 4 }\n'
                                                      '"centre.volunteer_team" = [true, false]')
    exp = load_experiment(write(tmp_path, "grid", text))
    values = sorted({p["centre.quality"] for p in exp.design.points()})
    np.testing.assert_allclose(values, [0.3, 0.5, 0.7, 0.9])
    assert len(exp.design) == 8 and exp.n_runs == 2 * 8 * 3


def test_scenario_table_entries_and_common_overrides(tmp_path):
    text = """
description = "entries"
scenario = "guiyang_2012"
replications = 2
steps = 10
[set]
"population.residents" = 800
[scenarios.base]
[scenarios.more_staff]
set = { centre.staff = 40 }
[scenarios.before]
scenario = "pre_reform_2009"
"""
    exp = load_experiment(write(tmp_path, "entries", text))
    names = [s.name for s in exp.scenarios]
    assert names == ["base", "more_staff", "before"]
    assert exp.reference == "base"
    staff = {c.scenario: c.values["centre.staff"] for c in exp.configurations()}
    assert staff["more_staff"] == 40 and staff["base"] == SCHEMA["centre.staff"].default
    assert all(c.values["population.residents"] == 800 for c in exp.configurations())


# --- bad experiment files ------------------------------------------------------------------

BAD = [
    ("replicatons = 3", "replicatons", "did you mean 'replications'"),
    ("replications = 0", "replications", "must be an integer from 1"),
    ("burn_in = 40", "burn_in", "must be an integer from 0 to 39"),
    ('outcomes = ["satisfacton"]', "outcomes", "did you mean 'satisfaction'"),
    ('reference = "nowhere"', "reference", "must be one of the experiment's scenarios"),
    ('[parameters]\n"centre.stafff" = [1, 2]', "parameters.centre.stafff", "did you mean 'centre.staff'"),
    ('[parameters]\n"centre.quality" = [0.5, 1.5]', "parameters.centre.quality",
     "value 2: 1.5 is out of bounds; allowed: a number from 0 to 1"),
    ('[parameters]\n"centre.quality" = { low = 0.9, high = 0.3, steps = 3 }', "parameters.centre.quality",
     "low < high"),
    ('[parameters]\n"centre.quality" = { low = 0.1, high = 0.3 }', "parameters.centre.quality",
     "steps = an integer from 2"),
    ('[parameters]\n"centre.quality" = 0.5', "parameters.centre.quality", "put it under [set]"),
    ('[parameters]\n"centre.role_emphasis.service" = [0.2, 0.4]', "parameters.centre.role_emphasis.service",
     "must sum to 1"),
    ('[parameters]\n"centre.role_emphasis" = { divisions = 0 }', "parameters.centre.role_emphasis",
     "divisions must be an integer from 1"),
    ('[design]\nkind = "sobl"', "design.kind", "did you mean 'sobol'"),
    ('[design]\nkind = "sobol"\nsamples = 100\n[parameters]\n"centre.quality" = { low = 0.1, high = 0.3 }',
     "design.samples", "power of 2"),
    ('[design]\nkind = "lhs"\nsamples = 8\n[parameters]\n"centre.staff" = [10, 20]', "parameters.centre.staff",
     "needs a range"),
    ('[design]\nkind = "grid"\nsamples = 8', "design.samples", "not a setting of a grid design"),
    ('[set]\n"population.residents" = 10', "set.population.residents", "out of bounds"),
    ('[set]\n"network.mean_degree" = 99\n"population.residents" = 60', "network.mean_degree",
     "must be below population.residents"),
]


def _bad_file(tmp_path: Path, snippet: str) -> Path:
    """The small experiment without its design, with ``snippet`` replacing what it sets."""
    base = SMALL.replace('[parameters]\n"centre.staff" = [20, 30]\n', "")
    if snippet.startswith("[set]"):
        base = base.replace('[set]\n"population.residents" = 1000\n', "")
    if snippet.startswith("["):
        return write(tmp_path, "bad", base + "\n" + snippet + "\n")
    key = snippet.split("=", 1)[0].strip()
    base = "\n".join(line for line in base.splitlines() if line.split("=")[0].strip() != key)
    return write(tmp_path, "bad", snippet + "\n" + base)


@pytest.mark.parametrize("snippet, key, message", BAD, ids=[b[1] + ":" + b[2][:20] for b in BAD])
def test_bad_experiment_files_name_file_key_and_what_is_allowed(tmp_path, snippet, key, message):
    path = _bad_file(tmp_path, snippet)
    with pytest.raises(InputError) as info:
        load_experiment(path)
    assert info.value.source == str(path)
    assert info.value.key == key
    assert message in str(info.value)


def test_a_bad_scenario_file_is_named_as_in_govsim_run(tmp_path):
    (tmp_path / "broken.toml").write_text('description = "broken"\n[centre]\nquality = 2.0\n')
    text = SMALL.replace('guiyang_2012 = "guiyang_2012"', 'guiyang_2012 = "broken.toml"')
    with pytest.raises(InputError) as info:
        load_experiment(write(tmp_path, "uses_broken", text))
    assert info.value.source == str(tmp_path / "broken.toml") and info.value.key == "centre.quality"


def test_missing_scenario_malformed_toml_and_missing_file(tmp_path):
    with pytest.raises(InputError, match=r"no scenario named 'guiyang_2021'.*did you mean 'guiyang_2012'"):
        load_experiment(write(tmp_path, "a", SMALL.replace('= "guiyang_2012"', '= "guiyang_2021"')))
    with pytest.raises(InputError, match="not valid TOML"):
        load_experiment(write(tmp_path, "b", SMALL + "\nsteps = = 3\n"))
    with pytest.raises(InputError, match="no such experiment file"):
        load_experiment(tmp_path / "absent.toml")


@pytest.mark.slow
@pytest.mark.parametrize("snippet", [BAD[0][0], BAD[6][0], BAD[10][0]])
def test_cli_exits_2_with_one_line_and_writes_nothing(tmp_path, snippet):
    path = _bad_file(tmp_path, snippet)
    out = tmp_path / "out"
    done = subprocess.run([*govsim_command(), "sweep", str(path), "--out", str(out)], capture_output=True,
                          text=True, env=subprocess_env(), timeout=120, check=False)
    assert done.returncode == 2, done.stderr
    assert done.stderr.startswith(f"govsim: error: {path}: ")
    assert "Traceback" not in done.stderr
    assert not out.exists()


@pytest.mark.slow
def test_cli_refuses_a_folder_holding_something_else(tmp_path, small_file):
    out = tmp_path / "busy"
    out.mkdir()
    (out / "notes.txt").write_text("mine")
    done = subprocess.run([*govsim_command(), "sweep", str(small_file), "--out", str(out), "--workers", "1"],
                          capture_output=True, text=True, env=subprocess_env(), timeout=120, check=False)
    assert done.returncode == 2 and "holds no govsim results" in done.stderr
    assert sorted(p.name for p in out.iterdir()) == ["notes.txt"]
