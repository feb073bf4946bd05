"""Screening every parameter: ranges around each scenario's values, true/false parameters, shares as weights,
and Morris effects judged against seed noise."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from govsim.errors import InputError
from govsim.experiments import load_experiment
from govsim.experiments.analysis import screening
from govsim.experiments.designs.factors import RangeFactor
from govsim.experiments.designs.relative import AroundFactor, WeightsFactor
from govsim.params import REMAINDER_GROUPS, SCHEMA, SHARE_GROUPS, check_constraints
from govsim.scenario import load_scenario

from .conftest import ROOT, write

SCREEN = """
description = "every parameter around two scenarios"
scenarios = ["pre_reform_2009", "article_remedies"]
seed = 4
replications = 2
steps = 5
[set]
"population.residents" = 600
[design]
kind = "morris"
samples = 2
[parameters]
"*" = { around = 0.5 }
"centre.social_workers" = { low = 0, high = 6 }
"""


@pytest.fixture(scope="module")
def screen(tmp_path_factory):
    return load_experiment(write(tmp_path_factory.mktemp("screen"), "screen", SCREEN))


def test_every_parameter_is_screened_but_those_set_and_the_citys(screen):
    keys = set(screen.design.keys)
    expected = {k for k in SCHEMA if not k.startswith("city.")} - {"population.residents"}
    assert keys == expected
    assert screen.design.problem["num_vars"] == len(expected)  # the role shares: one weight each
    assert len(screen.design) == 2 * (len(expected) + 1)


def test_ranges_are_around_each_scenarios_own_values_and_keep_every_rule(screen):
    for s, scenario in enumerate(screen.scenarios):
        points = [screen.values(s, p) for p in range(len(screen.design))]
        for values in points:
            check_constraints(values)  # shares sum to 1, remainders at most 1
        quality = {v["centre.quality"] for v in points}
        base = scenario.values["centre.quality"]
        assert min(quality) >= base * 0.5 - 1e-12 and max(quality) <= base * 1.5 + 1e-12
        assert len(quality) > 1
        assert {v["centre.social_workers"] for v in points} <= set(range(7))  # a range of its own wins
    before, remedies = ([screen.values(s, p)["centre.handoff_days"] for p in range(len(screen.design))]
                        for s in range(2))
    assert min(before) > max(remedies)  # 7 days before the reform, 1 after: each screened around its own


def test_a_city_screen_covers_the_citys_parameters_before_and_after_the_reform(tmp_path):
    text = SCREEN.replace('scenarios = ["pre_reform_2009", "article_remedies"]', 'scenario = "guiyang_city"').replace(
        '"population.residents" = 600', '"population.scale" = 500')
    exp = load_experiment(write(tmp_path, "city_screen", text))
    assert exp.city
    assert {k for k in SCHEMA if k.startswith("city.")} - {"city.days"} <= set(exp.design.keys)
    assert "city.days" not in exp.design.keys  # the experiment's steps is a run's length
    task = next(exp.tasks())
    assert task.before is not None
    assert all(task.before[k] == task.values[k] for k in exp.design.keys)  # the point holds before the reform too


@pytest.mark.parametrize("key", ["centre.handoff_days", "council.seats", "structure.levels", "centre.volunteer_team",
                                 "centre.training", "residents.satisfaction_intercept"])
def test_a_range_around_a_value_moves_it_at_every_morris_step(key):
    """Levels 4 with a step of 2/3: 0 <-> 2/3 and 1/3 <-> 1 must both change the value."""
    base = dict(load_scenario("guiyang_2012").values)
    factor = AroundFactor(key, around=0.5)
    values = [factor.value(u, base) for u in (0, 1 / 3, 2 / 3, 1)]
    assert values[0] != values[2] and values[1] != values[3], values
    for v in values:
        SCHEMA[key].check(v)


def test_remainder_shares_are_raised_by_at_most_an_equal_part_of_the_room():
    base = dict(load_scenario("guiyang_2012").values)
    keys = REMAINDER_GROUPS["centre.origin"]
    room = 1 - sum(base[k] for k in keys)
    for k in keys:
        low, high = AroundFactor(k, around=0.5).span(base)
        assert low == pytest.approx(base[k] * 0.5) and high == pytest.approx(base[k] + room / len(keys))


def test_role_shares_are_weights_that_sum_to_one():
    base = dict(load_scenario("guiyang_2012").values)
    factor = WeightsFactor("centre.role_emphasis", around=0.5)
    keys = SHARE_GROUPS["centre.role_emphasis"]
    middle = factor.sampled([0.5, 0.5, 0.5], base)
    assert all(middle[k] == pytest.approx(base[k]) for k in keys)
    leaning = factor.sampled([1.0, 0.5, 0.5], base)
    assert leaning[keys[0]] > base[keys[0]] and sum(leaning.values()) == pytest.approx(1.0, abs=1e-12)


def test_a_switch_in_a_sampled_design_is_false_below_the_middle():
    factor = RangeFactor("centre.volunteer_team", low=0.0, high=1.0)
    assert [factor.value(u) for u in (0, 1 / 3, 2 / 3, 1)] == [False, False, True, True]


@pytest.mark.parametrize("snippet, key, message", [
    ('"*" = { around = 0.5 }', "parameters.*", "not a grid design"),
    ('"centre.quality" = { around = 1.5 }', "parameters.centre.quality", "around must be a number above 0"),
    ('"centre.quality" = { around = 0.5, low = 0.1 }', "parameters.centre.quality", "unknown key 'low'"),
    ('"centre.volunteer_team" = [true]', "parameters.centre.volunteer_team", "list [false, true]"),
    ('"*" = 3', "parameters.*", "give it a range around"),
])
def test_bad_screening_entries_name_the_key(tmp_path, snippet, key, message):
    design = 'kind = "grid"' if "not a grid" in message else 'kind = "morris"\nsamples = 2'
    text = SCREEN.replace('kind = "morris"\nsamples = 2', design).replace(
        '"*" = { around = 0.5 }\n"centre.social_workers" = { low = 0, high = 6 }', snippet)
    with pytest.raises(InputError) as info:
        load_experiment(write(tmp_path, "bad", text))
    assert info.value.key == key and message in str(info.value)


# --- effects against seed noise -----------------------------------------------------------------------


def _trajectories(t: int, k: int, rng: np.random.Generator) -> np.ndarray:
    """Morris trajectories on four levels: each step moves one factor by 2/3, in a random order."""
    rows = []
    for _ in range(t):
        x = rng.choice([0.0, 1 / 3], size=k)
        rows.append(x.copy())
        for j in rng.permutation(k):
            x[j] = x[j] + 2 / 3 if x[j] < 0.5 else x[j] - 2 / 3
            rows.append(x.copy())
    return np.array(rows)


def test_effects_are_told_from_noise_and_from_nothing():
    """A strong factor, one that only perturbs the seed's path, and one never read."""
    rng = np.random.default_rng(0)
    t, k, reps = 12, 3, 2
    x = _trajectories(t, k, rng)
    bounds = np.array([[0.0, 1.0]] * k)
    noise = rng.normal(0, 0.01, size=(reps, len(x)))
    # Runs with common random numbers: the noise changes only when factor 1 (read, no effect) changes.
    path = np.cumsum(np.abs(np.diff(x[:, 1], prepend=x[0, 1])) > 0)
    y = np.array([2.0 * x[:, 0] + noise[r, path] for r in range(reps)])
    table = screening.screen(x, y, bounds, ["strong", "noisy", "unread"])
    verdicts = dict(zip(table["parameter"], table["verdict"], strict=True))
    assert verdicts == {"strong": screening.MOVES, "noisy": screening.NOISE, "unread": screening.NOTHING}
    strong = table.set_index("parameter").loc["strong"]
    assert strong["mu_star_relative"] == pytest.approx(2.0 / np.ptp(y.mean(axis=0)))


def test_mu_star_of_the_mean_effects_is_salibs():
    from SALib.analyze import morris
    from SALib.sample import morris as sample

    problem = {"num_vars": 3, "names": ["a", "b", "c"], "bounds": [[0, 1], [10, 40], [0.2, 0.6]]}
    x = sample.sample(problem, 6, num_levels=4, seed=2)
    y = np.array([x[:, 0] ** 2 + 0.1 * x[:, 1] - 3 * x[:, 2] * x[:, 0], x[:, 0] - x[:, 2]])
    ee = screening.elementary_effects(x, y, np.asarray(problem["bounds"], dtype=float))
    mine = screening.noise_statistics(ee)["mu_star"]
    theirs = morris.analyze(problem, x, y.mean(axis=0), num_levels=4, seed=1)["mu_star"]
    np.testing.assert_allclose(mine, theirs, rtol=1e-10)


def test_a_parameter_moving_nothing_anywhere_is_listed():
    rows = [{"scenario": s, "parameter": p, "outcome": o, "mu_star": m, "mu_star_relative": m, "noise": 0.1,
             "p_value": pv, "verdict": screening.verdict(m, pv)}
            for s in ("a", "b") for p, o, m, pv in
            (("x", "y1", 0.5, 1e-6), ("x", "y2", 0.0, np.nan), ("z", "y1", 0.01, 0.4), ("z", "y2", 0.0, np.nan))]
    rows[0]["verdict"] = screening.NOISE if rows[0]["scenario"] == "b" else rows[0]["verdict"]
    table = screening.by_parameter(pd.DataFrame(rows))
    assert screening.inert(table) == ["z"]
    x = table[(table["parameter"] == "x") & (table["scenario"] == "a")].iloc[0]
    assert x["outcome"] == "y1" and x["verdict"] == screening.MOVES and x["outcomes_moved"] == 1


WIDE = """
description = "thirteen parameters, one of them never read with three levels"
scenario = "guiyang_2012"
seed = 9
replications = 2
steps = 12
outcomes = ["satisfaction", "needs_met", "tasks_on_time", "staff_time_management"]
[set]
"population.residents" = 300
[design]
kind = "morris"
samples = 2
[parameters]
"street_office.review_hours" = { around = 0.5 }
""" + "\n".join(f'"{k}" = {{ around = 0.5 }}' for k in (
    "centre.staff", "centre.quality", "centre.motivation", "centre.hours_per_day", "district.task_pressure",
    "district.task_hours", "services.hours_life", "information.notice_reach", "council.autonomy",
    "units.resource_sharing", "residents.memory", "network.mean_degree"))


@pytest.mark.slow
def test_a_wide_screen_names_what_moves_nothing_and_keeps_its_tables_narrow(tmp_path):
    from govsim.experiments import analyze_results
    from govsim.experiments.analysis.report import format_report

    from .conftest import serial

    out = tmp_path / "results"
    assert serial(load_experiment(write(tmp_path, "wide", WIDE)), out).ok == 2 * 2 * 14
    analysis = analyze_results(out)
    assert "centre.staff" not in analysis.summary.columns  # 13 parameters: design.parquet holds them
    assert any("13 parameters vary" in n for n in analysis.notes)
    table = pd.read_csv(out / "analysis" / "screening.csv")
    assert len(table) == 13 and set(table["verdict"]) <= {screening.MOVES, screening.NOISE, screening.NOTHING}
    office = table.set_index("parameter").loc["street_office.review_hours"]
    assert office["verdict"] == screening.NOTHING  # three levels: no street office reads it
    assert (analysis.sensitivity["noise"] >= 0).all()
    report = format_report(analysis)
    assert "guiyang_2012: " in report and "of 13 parameters move some outcome beyond seed noise" in report
    assert "street_office.review_hours" in report.split("move no outcome beyond seed noise in this scenario:")[1]
    assert len(list((out / "analysis").glob("parameter_*.png"))) == 12
    assert any("for 12 of the 13 parameters" in n for n in analysis.notes)


@pytest.mark.slow
def test_the_shipped_screen_covers_every_parameter():
    exp = load_experiment(ROOT / "experiments" / "screen_all.toml")
    fixed = {"population.scale"}
    assert set(exp.design.keys) == {k for k in SCHEMA if not k.startswith("city.")} - fixed
    assert exp.replications >= 2  # a noise floor needs two
