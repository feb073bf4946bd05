"""Fixtures of the page's tests: the repository's presets, small page models, and Chromium for the browser tests."""

from __future__ import annotations

from pathlib import Path

import pytest

from govsim.viz.controls import Presets, Setup, load_presets
from govsim.viz.page_model import PageModel
from govsim.viz.sessions import SESSIONS, Limits

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


FAST_CITY = """description = "Guiyang's city with its rollout in the first weeks, for the page's tests"
extends = "{root}/guiyang_city.toml"
before = "{root}/pre_reform_2009.toml"

[city]
pilot_day = {pilot}
widening_day = {widening}
final_day = {final}
days = {days}
"""


def write_fast_city(folder: Path, pilot: int = 3, widening: int = 10, final: int = 17, days: int = 40) -> Path:
    """A city scenario whose rollout happens within days (``fast_city.toml`` in ``folder``)."""
    path = folder / "fast_city.toml"
    path.write_text(FAST_CITY.format(root=(ROOT / "scenarios").as_posix(), pilot=pilot, widening=widening,
                                     final=final, days=days))
    return path


def played_city(scenario, days: int, seed: int, scale: int = 100):
    """A city page model of ``scenario`` stepped ``days`` days."""
    from govsim.viz.city_page_model import CityPageModel
    from govsim.viz.city_setup import CitySetup

    page = CityPageModel(CitySetup(scenario, scale=scale, seed=seed))
    for _ in range(days):
        page.step()
    return page


@pytest.fixture(scope="session")
def fast_city(tmp_path_factory):
    """A city scenario whose pilots switch on day 3, the widening on day 10, the rest on day 17; 40 days long."""
    from govsim.scenario import load_scenario

    return load_scenario(write_fast_city(tmp_path_factory.mktemp("fast_city")))


@pytest.fixture
def open_page(monkeypatch, scenarios_dir):
    """A function that opens the page in a new session (a browser tab) and returns it to click and read.

    ``open_page(scenarios=folder, serve=path)`` reads the presets from another folder and starts with the
    scenario ``govsim serve`` was given (a city scenario opens the city view).
    """
    from .rendering import render_tab

    SESSIONS.close_all()
    SESSIONS.configure(Limits(), None)
    opened = []

    def open_one(scenarios: Path | None = None, serve: Path | None = None):
        monkeypatch.setenv("GOVSIM_SCENARIOS", str(scenarios or scenarios_dir))
        if serve is None:
            monkeypatch.delenv("GOVSIM_VIZ_SCENARIO", raising=False)
        else:
            monkeypatch.setenv("GOVSIM_VIZ_SCENARIO", str(serve))
        opened.append(render_tab(len(opened)))
        return opened[-1]

    yield open_one
    SESSIONS.close_all()
    SESSIONS.configure(Limits(), None)


@pytest.fixture(scope="module")
def playwright():
    """Playwright, once Debian's Chromium is known to be there (a clear failure when it is not)."""
    import shutil

    from playwright.sync_api import sync_playwright

    from .serving import CHROMIUM

    assert shutil.which(CHROMIUM) or Path(CHROMIUM).exists(), \
        f"the browser tests need Chromium at {CHROMIUM}: apt-get install chromium (scripts/setup.sh --test)"
    with sync_playwright() as p:
        yield p


@pytest.fixture(scope="module")
def browser(playwright):
    """Chromium, launched once per test module."""
    from .serving import CHROMIUM, CHROMIUM_ARGS

    chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
    yield chromium
    chromium.close()
