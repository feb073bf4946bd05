"""Fixtures of the page's tests: the repository's presets and small page models."""

from __future__ import annotations

from pathlib import Path

import pytest

from govsim.viz.controls import Presets, Setup, load_presets
from govsim.viz.page_model import PageModel

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="session")
def presets() -> Presets:
    return load_presets(None, ROOT / "scenarios")


@pytest.fixture
def small(presets):
    """A function making a small page model: ``small("pre_reform_2009", compare=True, residents=3000, seed=1)``."""

    def make(name="guiyang_2012", compare=False, residents=3000, seed=1) -> PageModel:
        s = Setup.initial(presets[name], presets["article_remedies"]).with_value(0, "population.residents", residents)
        return PageModel(s.with_compare(compare).with_seed(seed))

    return make
