"""End to end: Debian's Chromium, driven by Playwright, against ``govsim serve`` on 127.0.0.1.

Every test records every request the page makes and saves a screenshot under
tests/artifacts/ (git-ignored).  Chromium runs as root here, so it needs
--no-sandbox; the networking flags stop it calling Google's services.
"""

from __future__ import annotations

import os
import re
import shutil
import signal
import subprocess
import sys
import threading
import time
import urllib.request
from pathlib import Path
from urllib.parse import urlparse

import pytest
from playwright.sync_api import expect

from govsim.model import CommunityModel
from govsim.scenario import load_scenario

pytestmark = pytest.mark.browser
expect.set_options(timeout=30_000)  # a loaded 2-core machine can take seconds to redraw the page

ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = ROOT / "tests" / "artifacts"
CHROMIUM = os.environ.get("GOVSIM_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--disable-dev-shm-usage"]
LOCAL_HOSTS = {"127.0.0.1", "localhost"}

# Resolves once the table shows day `day` and every chart has drawn it.
DRAWN = """(day) => new Promise(resolve => { const check = () => {
  const table = document.querySelector('.govsim-now');
  const charts = [...document.querySelectorAll('.govsim-chart')];
  if (table && table.dataset.day === String(day) && charts.length === 2
      && charts.every(c => c.dataset.drawn === String(day))) resolve(true);
  else requestAnimationFrame(check); }; check(); })"""


def _govsim_command() -> list[str]:
    script = Path(sys.executable).with_name("govsim")
    if script.exists():
        return [str(script)]
    return [sys.executable, "-c", "from govsim.cli import main; main()"]  # pragma: no cover


@pytest.fixture(scope="module")
def server():
    """``govsim serve --port 0`` on 127.0.0.1, started for these tests; yields its address."""
    env = {**os.environ, "GOVSIM_SCENARIOS": str(ROOT / "scenarios"), "PYTHONUNBUFFERED": "1"}
    env.pop("GOVSIM_VIZ_SCENARIO", None)
    proc = subprocess.Popen([*_govsim_command(), "serve", "--port", "0"], cwd=ROOT, env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    output: list[str] = []
    reader = threading.Thread(target=lambda: output.extend(proc.stdout), daemon=True)
    reader.start()
    try:
        url = None
        deadline = time.monotonic() + 60
        while url is None and time.monotonic() < deadline and proc.poll() is None:
            found = re.search(r"serving the page at (http://\S+)", "".join(output))
            url = found.group(1) if found else time.sleep(0.1)
        assert url, f"govsim serve did not start: {''.join(output)}"
        assert urlparse(url).hostname == "127.0.0.1"  # loopback unless a host is named
        while time.monotonic() < deadline:
            try:
                with urllib.request.urlopen(url, timeout=5) as response:
                    assert response.status == 200
                    break
            except OSError:
                time.sleep(0.2)
        yield url
    finally:
        proc.send_signal(signal.SIGINT)
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:  # pragma: no cover
            proc.kill()
            proc.wait()
        errors = [line for line in output if "Traceback" in line or "Could not load URL" in line]
        assert not errors, "".join(output)


@pytest.fixture(scope="module")
def browser():
    from playwright.sync_api import sync_playwright

    assert shutil.which(CHROMIUM) or Path(CHROMIUM).exists(), \
        f"the browser tests need Chromium at {CHROMIUM}: apt-get install chromium (scripts/setup.sh --test)"
    with sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


class Page:
    """A browser tab on the page, with every request it made."""

    def __init__(self, browser, url, name):
        self.context = browser.new_context(viewport={"width": 1500, "height": 950})
        self.page = self.context.new_page()
        self.page.set_default_timeout(60_000)
        self.requests: list[str] = []
        self.failed: list[str] = []
        self.errors: list[str] = []
        self.name = name
        self.page.on("request", lambda r: self.requests.append(r.url))
        self.page.on("requestfailed", lambda r: self.failed.append(f"{r.url} {r.failure}"))
        self.page.on("pageerror", lambda e: self.errors.append(str(e)))
        self.page.goto(url)
        self.page.wait_for_selector(".govsim-setup")
        self.wait_drawn(0)

    def wait_drawn(self, day: int) -> None:
        self.page.wait_for_function(DRAWN, arg=day, timeout=60_000)

    def click(self, name: str) -> None:
        self.page.get_by_role("button", name=name, exact=True).click()

    def step(self, times: int = 1) -> None:
        start = self.day()
        for day in range(start + 1, start + times + 1):
            self.click("Step")
            self.wait_drawn(day)

    def reset(self) -> None:
        self.click("Reset")
        self.page.wait_for_selector(".govsim-pending", state="detached")
        self.wait_drawn(0)

    def day(self) -> int:
        return int(self.page.locator(".govsim-now").get_attribute("data-day"))

    def cell(self, run, outcome: str) -> str:
        return self.page.locator(f'.govsim-now td[data-run="{run}"][data-outcome="{outcome}"]').inner_text()

    def value(self, key: str) -> str:
        return self.page.locator(f".govsim-control--{key.replace('.', '-').replace('_', '-')} .govsim-value") \
            .first.inner_text()

    def pick_preset(self, name: str) -> None:
        self.page.locator(".govsim-preset").click()
        self.page.locator(".v-menu__content .v-list-item", has_text=re.compile(f"^{name}$")).click()

    def offsite(self) -> list[str]:
        return [u for u in self.requests
                if urlparse(u).scheme not in ("data", "blob") and urlparse(u).hostname not in LOCAL_HOSTS]

    def close(self) -> None:
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        self.page.screenshot(path=str(ARTIFACTS / f"{self.name}.png"))
        self.context.close()


@pytest.fixture
def open_page(browser, server, request):
    pages = []

    def open_one(suffix=""):
        pages.append(Page(browser, server, request.node.name + suffix))
        return pages[-1]

    yield open_one
    for page in pages:
        page.close()
        assert not page.offsite(), page.offsite()
        assert not page.errors, page.errors


def test_the_page_loads_and_draws_with_no_request_leaving_the_machine(open_page):
    tab = open_page()
    page = tab.page
    assert page.get_by_text("govsim · community governance in class").is_visible()
    assert page.get_by_role("button", name="Step", exact=True).is_visible()
    assert page.locator(".govsim-chart--network canvas").count() == 1
    assert page.locator(".govsim-chart--live canvas").count() == 1
    # Drawn, not blank: the canvases hold more than one colour.
    shot = page.locator(".govsim-chart--network").screenshot()
    assert len(set(shot[1000:4000])) > 10
    # Scripts, stylesheets and fonts all came from the local server.
    kinds = {Path(urlparse(u).path).suffix for u in tab.requests}
    assert {".js", ".css"} <= kinds and kinds & {".woff", ".woff2", ".ttf"}
    assert tab.requests and not tab.offsite() and not tab.failed, tab.failed
    assert page.evaluate("document.fonts.status") == "loaded"


def test_step_advances_the_model_and_the_charts_change(open_page):
    tab = open_page()
    live = tab.page.locator(".govsim-chart--live")
    before = live.screenshot()
    network_before = tab.page.locator(".govsim-chart--network").screenshot()
    tab.step(3)
    assert tab.day() == 3
    assert tab.page.locator(".govsim-now caption").inner_text().startswith("Day 3")
    assert float(tab.cell(0, "satisfaction")) > 0
    assert live.screenshot() != before
    assert tab.page.locator(".govsim-chart--network").screenshot() != network_before


def test_picking_a_preset_changes_the_controls(open_page):
    tab = open_page()
    assert tab.value("structure.levels") == "3"
    tab.pick_preset("pre_reform_2009")
    preset = load_scenario(ROOT / "scenarios" / "pre_reform_2009.toml")
    expect(tab.page.locator(".govsim-control--structure-levels .govsim-value")).to_have_text("4")
    expect(tab.page.locator(".govsim-control--centre-staff input")).to_have_value(str(preset["centre.staff"]))
    for role in ("service", "coordination", "management"):
        share = tab.page.locator(f".govsim-control--centre-role-emphasis-{role} .govsim-value")
        expect(share).to_have_text(f"{preset[f'centre.role_emphasis.{role}']:.2f}")
    assert "Before the reform" in tab.page.locator(".govsim-description").inner_text()
    # Moving one role share keeps the three on the simplex.
    service = tab.page.locator(".govsim-control--centre-role-emphasis-service")
    service.locator("[role=slider]").press("ArrowRight")
    step = 0.01  # the slider's step: a hundredth of the share's range
    expect(service.locator(".govsim-value")).to_have_text(f"{preset['centre.role_emphasis.service'] + step:.2f}")
    shares = [float(tab.value(f"centre.role_emphasis.{role}")) for role in ("service", "coordination", "management")]
    assert sum(shares) == pytest.approx(1.0, abs=0.011)
    assert tab.page.locator(".govsim-pending").is_visible()
    tab.reset()
    tab.step()
    assert "A: pre_reform_2009" in tab.page.locator(".govsim-now").inner_text()


def test_reset_with_a_typed_seed_reproduces_the_model(open_page):
    tab = open_page()
    seed = tab.page.locator(".govsim-seed input")
    seed.fill("7")
    seed.press("Enter")
    tab.page.wait_for_selector(".govsim-pending")
    tab.reset()
    tab.step()
    expected = CommunityModel(load_scenario(ROOT / "scenarios" / "guiyang_2012.toml"), rng=7)
    expected.step()
    assert "seed 7" in tab.page.locator(".govsim-now caption").inner_text()
    assert tab.cell(0, "satisfaction") == f"{expected.outcomes['satisfaction']:.3f}"
    assert tab.cell(0, "upward_flow") == f"{expected.outcomes['upward_flow']:.3f}"
    # A seed that is not a number is refused, not crashed on.
    seed.fill("seven")
    seed.press("Enter")
    tab.page.get_by_text("must be a whole number").wait_for()


def test_compare_mode_shows_both_configurations(open_page):
    tab = open_page()
    tab.page.locator(".govsim-compare").click()
    tab.page.get_by_role("button", name="Edit B").click()
    expect(tab.page.locator(".govsim-preset")).to_contain_text("configuration B")
    remedies = load_scenario(ROOT / "scenarios" / "article_remedies.toml")
    expect(tab.page.locator(".govsim-control--centre-training .govsim-value")) \
        .to_have_text(f"{remedies['centre.training']:.2f}")
    expect(tab.page.locator(".govsim-control--centre-role-emphasis-management .govsim-value")) \
        .to_have_text(f"{remedies['centre.role_emphasis.management']:.2f}")
    tab.reset()
    tab.step(2)
    table = tab.page.locator(".govsim-now").inner_text()
    assert "A: guiyang_2012" in table and "B: article_remedies" in table and "B \u2212 A" in table
    for outcome in ("satisfaction", "council_effectiveness"):
        a, b, diff = (float(tab.cell(r, outcome)) for r in (0, 1, "diff"))
        assert diff == pytest.approx(b - a, abs=0.0015)
    caption = tab.page.locator(".govsim-panel .govsim-sub").inner_text()
    assert "(solid)" in caption and "(dashed)" in caption


def test_each_tab_has_its_own_model(open_page):
    first, second = open_page("-first"), open_page("-second")
    first.step(2)
    second.page.wait_for_timeout(300)
    assert first.day() == 2 and second.day() == 0


def test_the_teachers_guide_opens_from_the_page(open_page):
    tab = open_page()
    tab.page.get_by_role("button", name="Teacher's guide").click()
    guide = tab.page.locator(".govsim-guide")
    guide.wait_for()
    assert "45" in guide.inner_text() and "question" in guide.inner_text().lower()
