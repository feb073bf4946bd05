"""Shared fixtures: the repository's scenario files and a cache of model runs."""

from __future__ import annotations

import functools
from pathlib import Path

import pytest

import govsim

ROOT = Path(__file__).resolve().parents[1]
SCENARIOS = ROOT / "scenarios"


@functools.cache
def run_tail(scenario: str, seed: int, steps: int = 365, tail: int = 90, overrides: tuple = ()) -> dict:
    """Mean of each outcome over the last ``tail`` days of one run (cached: pattern tests share runs)."""
    config = govsim.load_scenario(SCENARIOS / f"{scenario}.toml", dict(overrides))
    df = govsim.CommunityModel(config, rng=seed).run(steps).timeseries()
    return df.iloc[-tail:].mean().to_dict()


@pytest.fixture
def scenarios_dir() -> Path:
    return SCENARIOS
