"""The model runs unchanged under Mesa's own batch_run, as any Mesa model should."""

from __future__ import annotations

import multiprocessing

import mesa
import pandas as pd
import pytest

import govsim

from .conftest import ROOT


@pytest.fixture
def keep_start_method():
    """batch_run forces the 'spawn' start method for the whole process; put it back afterwards."""
    before = multiprocessing.get_start_method(allow_none=True)
    yield
    multiprocessing.set_start_method(before, force=True)


@pytest.mark.slow
def test_mesa_batch_run(keep_start_method):
    scenario = str(ROOT / "scenarios" / "guiyang_2012.toml")
    results = mesa.batch_run(
        govsim.CommunityModel,
        parameters={"scenario": scenario, "population.residents": 1000, "centre.staff": [20, 30]},
        rng=[1, 2], max_steps=20, number_processes=1, data_collection_period=-1, display_progress=False)
    df = pd.DataFrame(results)
    assert len(df) == 4
    assert {"satisfaction", "needs_met", "centre.staff", "rng"} <= set(df.columns)
    row = df[(df["centre.staff"] == 30) & (df["rng"] == 2)].iloc[0]
    direct = govsim.CommunityModel(scenario, rng=2, **{"population.residents": 1000, "centre.staff": 30})
    assert direct.run(20).timeseries()["satisfaction"].iloc[-1] == row["satisfaction"]
