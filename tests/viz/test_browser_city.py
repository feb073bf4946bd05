"""The city view end to end: Debian's Chromium, driven by Playwright, against ``govsim serve`` on 127.0.0.1.

The server is given a city scenario whose rollout happens in the first weeks
(pilots on day 3, the widening on day 10, everyone else on day 17), so the page
opens on the city view and a few Steps (a week each) go through the whole
rollout.  What a test looks at on screen it reads as pixels; every wait is for
a condition.  Screenshots go to tests/artifacts/ (git-ignored).
"""

from __future__ import annotations

import re
import shutil
from urllib.parse import urlparse

import numpy as np
import pytest
from playwright.sync_api import expect

from .conftest import write_fast_city
from .serving import ROOT, Server
from .test_browser import LOCAL_HOSTS, VIEWPORT, distinct_colours, ink, pixels

pytestmark = pytest.mark.browser
expect.set_options(timeout=30_000)

ARTIFACTS = ROOT / "tests" / "artifacts"
WEEK = 7  # days a Step moves the city (the city view's render interval)

# Resolves once the map, the chart, the timeline and the table all show day `day`.
CITY_DRAWN = """(day) => new Promise(resolve => { const check = () => {
  const map = document.querySelector('svg.govsim-city-map');
  const chart = document.querySelector('.govsim-chart--city');
  const timeline = document.querySelector('.govsim-timeline');
  const table = document.querySelector('.govsim-city-now');
  if (map && chart && timeline && table && map.dataset.drawn === String(day) && chart.dataset.drawn === String(day)
      && timeline.dataset.day === String(day) && table.dataset.day === String(day)) resolve(true);
  else requestAnimationFrame(check); }; check(); })"""

# Resolves once the community view shows day `day` in its table and every chart.
COMMUNITY_DRAWN = """(day) => new Promise(resolve => { const check = () => {
  const table = document.querySelector('.govsim-now');
  const charts = [...document.querySelectorAll('.govsim-chart')];
  if (table && table.dataset.day === String(day) && charts.length > 1
      && charts.every(c => c.dataset.drawn === String(day))) resolve(true);
  else requestAnimationFrame(check); }; check(); })"""


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    folder = tmp_path_factory.mktemp("scenarios")
    for path in (ROOT / "scenarios").glob("*.toml"):
        shutil.copy(path, folder)
    fast = write_fast_city(folder)
    with Server(str(fast), scenarios=folder) as s:
        yield s.url
        assert not s.page_errors(), s.output


class CityTab:
    """A browser tab on the city view, with every request it made."""

    def __init__(self, browser, url: str, name: str):
        self.context = browser.new_context(viewport=VIEWPORT)
        self.page = self.context.new_page()
        self.page.set_default_timeout(60_000)
        self.name = name
        self.requests: list[str] = []
        self.errors: list[str] = []
        self.page.on("request", lambda r: self.requests.append(r.url))
        self.page.on("pageerror", lambda e: self.errors.append(str(e)))
        self.page.goto(url)
        self.wait_drawn(0)

    def wait_drawn(self, day: int) -> None:
        self.page.wait_for_function(CITY_DRAWN, arg=day, timeout=60_000)

    def day(self) -> int:
        return int(self.page.locator(".govsim-timeline").get_attribute("data-day"))

    def step(self) -> None:
        day = self.day()
        self.page.get_by_role("button", name="Step", exact=True).click()
        self.wait_drawn(day + WEEK)

    def map(self) -> np.ndarray:
        return pixels(self.page.locator("svg.govsim-city-map").screenshot())

    def cells(self) -> list[dict]:
        """Each community's square on screen (CSS pixels), in the city's order."""
        return self.page.locator("svg.govsim-city-map g.govsim-cell rect").evaluate_all(
            "rects => rects.map(r => { const b = r.getBoundingClientRect(); "
            "return {x: b.x, y: b.y, w: b.width, h: b.height}; })")

    def offsite(self) -> list[str]:
        return [u for u in self.requests
                if urlparse(u).scheme not in ("data", "blob") and urlparse(u).hostname not in LOCAL_HOSTS]

    def close(self) -> None:
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        self.page.screenshot(path=str(ARTIFACTS / f"{self.name}.png"))
        self.context.close()


@pytest.fixture
def tab(browser, server, request):
    opened = CityTab(browser, server, request.node.name)
    yield opened
    opened.close()
    assert not opened.offsite(), opened.offsite()
    assert not opened.errors, opened.errors


def screen_pixel(shot: np.ndarray, x: float, y: float) -> np.ndarray:
    """The mean colour of the 3 x 3 screen pixels around (x, y) of a full-page screenshot."""
    i, j = round(y), round(x)
    return shot[i - 1:i + 2, j - 1:j + 2].reshape(-1, 3).mean(axis=0)


def test_the_city_view_draws_every_community_by_district_with_a_labelled_scale_offline(tab):
    page = tab.page
    assert page.locator("g.govsim-cell").count() == 90
    assert page.locator("g.govsim-district").count() == 7
    for district in ("Nanming", "Yunyan", "Xiaohe", "Jinyang"):
        assert page.locator("g.govsim-district text", has_text=district).is_visible()
    shot = tab.map()
    coloured = ink(shot) & ~((shot.max(axis=2) - shot.min(axis=2)) < 12)  # viridis fills, not the grey boxes
    assert coloured.mean() > 0.15 and distinct_colours(shot, coloured) >= 8
    dark = shot.max(axis=2) < 90  # districts' outlines and names, and the darkest fills
    assert dark.mean() > 0.005
    scale = page.locator(".govsim-map-scale")
    assert scale.is_visible() and "welfare days" in scale.inner_text()
    low, high = (float(scale.get_attribute(f"data-{end}")) for end in ("low", "high"))
    assert 0 <= low < high
    ticks = [float(t.replace(",", "")) for t in re.findall(r"[\d.,]+", page.locator(".govsim-map-ticks").inner_text())]
    assert ticks[0] == pytest.approx(low) and ticks[-1] == pytest.approx(high)
    assert not tab.offsite() and tab.requests


def test_as_days_pass_the_colours_change_the_reformed_are_marked_and_the_timeline_advances(tab):
    page = tab.page
    cells = tab.cells()
    pilots = [i for i, name in enumerate(page.locator("g.govsim-cell").evaluate_all(
        "gs => gs.map(g => g.getAttribute('aria-label'))")) if re.search(r"\((Xiaohe|Jinyang)\)$", name)]
    assert len(pilots) == 22
    done = page.locator(".govsim-timeline-done")
    width_before = done.bounding_box()["width"]
    first_mark = page.locator(".govsim-wave-mark").first
    mark_before = pixels(first_mark.screenshot()).mean(axis=(0, 1))
    before = pixels(page.screenshot())
    tab.step()
    tab.step()  # day 14: the pilots switched on day 3 and the widening on day 10
    after = pixels(page.screenshot())

    def centre(shot, c):
        return screen_pixel(shot, c["x"] + c["w"] / 2, c["y"] + c["h"] * 0.6)

    changed = sum(np.abs(centre(before, c) - centre(after, c)).max() > 24 for c in cells)
    assert changed >= 20, f"only {changed} communities changed colour in two weeks"

    # A white dot marks each reformed community: the pilots and the widening, nobody else.
    reformed = {int(i) for i in page.locator('g.govsim-cell[data-reformed="1"]').evaluate_all(
        "gs => gs.map(g => g.dataset.community)")}
    assert set(pilots) <= reformed and len(reformed) == 60

    def dot(shot, c):
        return screen_pixel(shot, c["x"] + c["w"] * (1 - 0.21), c["y"] + c["h"] * 0.21)

    white = [i for i, c in enumerate(cells) if dot(after, c).min() > 215]
    assert set(white) == reformed
    assert not [i for i, c in enumerate(cells) if dot(before, c).min() > 215]

    # The timeline: more of the run filled in, the first two dates passed, the count of reformed communities.
    assert done.bounding_box()["width"] > width_before + 5
    mark_after = pixels(first_mark.screenshot()).mean(axis=(0, 1))
    assert mark_after.mean() < mark_before.mean() - 40  # filled dark blue once passed
    assert "60 of 90 communities reformed" in page.locator(".govsim-timeline-head").inner_text()
    assert page.locator('.govsim-wave[data-done="1"]').count() == 2
    tab.step()  # day 21: everyone else switched on day 17
    expect(page.locator(".govsim-timeline-head")).to_contain_text("90 of 90 communities reformed")
    chart = pixels(page.locator(".govsim-chart--city").screenshot())
    assert ink(chart).sum() > 200  # the lines are drawn


def test_clicking_a_community_opens_its_own_view_and_back_returns_to_the_map(tab):
    page = tab.page
    tab.step()
    page.get_by_role("button", name="Xiaohe 3 (Xiaohe)").click()
    page.locator(".govsim-focus").wait_for()
    page.wait_for_function(COMMUNITY_DRAWN, arg=WEEK, timeout=60_000)
    assert page.locator("svg.govsim-city-map").count() == 0
    expect(page.locator(".govsim-focus")).to_contain_text("Xiaohe district")
    expect(page.locator(".govsim-focus")).to_contain_text("Reformed on 4 Jan 2009 (day 3)")
    assert "Xiaohe 3 (Xiaohe district)" in page.locator(".govsim-now").inner_text()
    network = pixels(page.locator(".govsim-chart--network").screenshot())
    assert ink(network).mean() > 0.01 and distinct_colours(network, ink(network)) >= 10
    assert page.locator(".govsim-inside").is_visible()
    # Step moves the whole city on, and this community's view with it.
    page.get_by_role("button", name="Step", exact=True).click()
    page.wait_for_function(COMMUNITY_DRAWN, arg=2 * WEEK, timeout=60_000)
    page.get_by_role("button", name="Back to the city map").click()
    tab.wait_drawn(2 * WEEK)
    expect(page.locator(".govsim-focus")).to_have_count(0)  # waits for the redraw to drop it


def test_one_screen_at_1600_by_1000_shows_the_map_timeline_chart_and_numbers(tab):
    page = tab.page
    parts = ["svg.govsim-city-map", ".govsim-timeline", ".govsim-chart--city", ".govsim-city-now"]
    for selector in parts:
        box = page.locator(selector).bounding_box()
        assert box["x"] >= 0 and box["y"] >= 0, (selector, box)
        assert box["x"] + box["width"] <= VIEWPORT["width"] and box["y"] + box["height"] <= VIEWPORT["height"], \
            (selector, box)
    assert page.locator("svg.govsim-city-map").bounding_box()["height"] >= 400
    assert page.evaluate("document.scrollingElement.scrollHeight") <= VIEWPORT["height"] + 1
