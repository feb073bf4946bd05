"""Shared fixtures: the repository's scenario files and a cache of model runs."""

from __future__ import annotations

import functools
import signal
from pathlib import Path

import pytest

import govsim

ROOT = Path(__file__).resolve().parents[1]
SCENARIOS = ROOT / "scenarios"

# Started in the background by a shell without job control (`nohup ... &`), the test run inherits an ignored
# SIGINT, and so would every govsim it starts: the Ctrl-C tests would then wait for an interrupt that never
# comes. A handler here is reset to the default in each child, which then handles Ctrl-C as usual.
if signal.getsignal(signal.SIGINT) == signal.SIG_IGN:
    signal.signal(signal.SIGINT, signal.default_int_handler)


@functools.cache
def run_tail(scenario: str, seed: int, steps: int = 365, tail: int = 90, overrides: tuple = ()) -> dict:
    """Mean of each outcome over the last ``tail`` days of one run (cached: pattern tests share runs)."""
    config = govsim.load_scenario(SCENARIOS / f"{scenario}.toml", dict(overrides))
    df = govsim.CommunityModel(config, rng=seed).run(steps).timeseries()
    return df.iloc[-tail:].mean().to_dict()


@pytest.fixture
def scenarios_dir() -> Path:
    return SCENARIOS
