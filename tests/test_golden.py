"""A golden baseline: each shipped scenario, one seed, scale 10, a few outcomes at a few days.

An unintended change to the model's behaviour shows here first.  When a change
is intended, regenerate the baseline and commit it with the change:

    GOVSIM_UPDATE_GOLDEN=1 .venv/bin/python -m pytest tests/test_golden.py
"""

import json
import os
from pathlib import Path

import pytest

from govsim import CommunityModel, load_scenario
from tests.conftest import SCENARIOS

BASELINE = Path(__file__).parent / "golden" / "baseline.json"
SCENARIO_NAMES = sorted(p.stem for p in SCENARIOS.glob("*.toml") if load_scenario(p).before is None)  # communities
DAYS = (1, 30, 120)
OUTCOMES = ("satisfaction", "needs_met", "service_quality", "welfare_days", "downward_reach", "upward_flow",
            "council_effectiveness", "unit_resources_mobilised", "staff_time_management", "staff_motivation")


def measure(scenario: str) -> dict[str, dict[str, float]]:
    df = CommunityModel(SCENARIOS / f"{scenario}.toml", rng=1, **{"population.scale": 10}).run(max(DAYS))
    ts = df.timeseries().set_index("step")
    return {str(day): {o: float(ts.at[day, o]) for o in OUTCOMES} for day in DAYS}


@pytest.mark.parametrize("scenario", SCENARIO_NAMES)
def test_the_model_still_gives_the_baseline(scenario):
    got = measure(scenario)
    if os.environ.get("GOVSIM_UPDATE_GOLDEN"):
        stored = json.loads(BASELINE.read_text()) if BASELINE.exists() else {}
        stored[scenario] = got
        BASELINE.write_text(json.dumps(stored, indent=1, sort_keys=True) + "\n")
        return
    expected = json.loads(BASELINE.read_text())[scenario]
    for day, values in expected.items():
        for outcome, value in values.items():
            assert got[day][outcome] == pytest.approx(value, rel=1e-7, abs=1e-9, nan_ok=True), (day, outcome)
