"""End to end: Debian's Chromium, driven by Playwright, against ``govsim serve`` on 127.0.0.1.

Every test records every request the page makes and saves a screenshot under
tests/artifacts/ (git-ignored).  Chromium runs as root here, so it needs
--no-sandbox; the networking flags stop it calling Google's services.  What a
test looks at on screen it reads as pixels; every wait is for a condition.
"""

from __future__ import annotations

import http.server
import io
import re
import threading
from pathlib import Path
from urllib.parse import urlparse

import numpy as np
import pytest
from PIL import Image
from playwright.sync_api import TimeoutError as PlaywrightTimeout
from playwright.sync_api import expect

from govsim.model import CommunityModel
from govsim.scenario import load_scenario
from govsim.viz.line_charts import LINE_CHARTS

from .serving import ROOT, Server

pytestmark = pytest.mark.browser
expect.set_options(timeout=30_000)  # a loaded 2-core machine can take seconds to redraw the page

ARTIFACTS = ROOT / "tests" / "artifacts"
LOCAL_HOSTS = {"127.0.0.1", "localhost"}
N_CHARTS = 1 + len(LINE_CHARTS)  # the network view and a line chart per panel
VIEWPORT = {"width": 1600, "height": 1000}

# Resolves once the table shows day `day` and every chart has drawn it.
DRAWN = """([day, charts]) => new Promise(resolve => { const check = () => {
  const table = document.querySelector('.govsim-now');
  const drawn = [...document.querySelectorAll('.govsim-chart')];
  if (table && table.dataset.day === String(day) && drawn.length === charts
      && drawn.every(c => c.dataset.drawn === String(day))) resolve(true);
  else requestAnimationFrame(check); }; check(); })"""

CJK = r"[\u2e80-\u2fff\u3000-\u9fff\uac00-\ud7af\uf900-\ufaff\uff00-\uffef]"
TEXT_AND_TITLES = """() => document.body.innerText + '\\n' +
  [...document.querySelectorAll('[title]')].map(e => e.getAttribute('title')).join('\\n')"""


def pixels(png: bytes) -> np.ndarray:
    """A screenshot as an (h, w, 3) array of RGB values."""
    return np.asarray(Image.open(io.BytesIO(png)).convert("RGB"), dtype=np.int16)


def ink(image: np.ndarray) -> np.ndarray:
    """Pixels drawn in a data colour: saturated, or near black (axes, grid and labels are pale or grey)."""
    spread = image.max(axis=2) - image.min(axis=2)
    return (spread > 60) | (image.max(axis=2) < 60)


def distinct_colours(image: np.ndarray, mask: np.ndarray) -> int:
    return len({tuple(c) for c in (image[mask] // 16).tolist()})


@pytest.fixture(scope="module")
def server():
    with Server() as s:
        yield s.url
        assert not s.page_errors(), s.output


class Page:
    """A browser tab on the page, with every request it made."""

    def __init__(self, browser, url, name, viewport=VIEWPORT):
        self.context = browser.new_context(viewport=viewport)
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
        self.page.wait_for_function(DRAWN, arg=[day, N_CHARTS], timeout=60_000)

    def click(self, name: str) -> None:
        self.page.get_by_role("button", name=name, exact=True).click()

    def step(self, times: int = 1) -> None:
        start = self.day()
        for day in range(start + 1, start + times + 1):
            self.click("Step")
            self.wait_drawn(day)

    def reset(self) -> None:
        self.click("Reset")
        try:
            self.page.wait_for_selector(".govsim-pending", state="detached", timeout=30_000)
        except PlaywrightTimeout:
            # A setting's last message can reach the server after the click on a loaded machine (a slider
            # sends its value more than once): the page then rightly shows that change as still pending, and
            # a teacher would press Reset again. A Reset that never applies fails here all the same.
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

    def shot(self, selector: str, index: int = 0) -> np.ndarray:
        return pixels(self.page.locator(selector).nth(index).screenshot())

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

    def open_one(suffix="", **kw):
        pages.append(Page(browser, server, request.node.name + suffix, **kw))
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
    assert page.locator(".govsim-chart--line canvas").count() == len(LINE_CHARTS)
    # Drawn, not blank: the network's residents and institutions in many colours.
    network = tab.shot(".govsim-chart--network")
    drawn = ink(network)
    assert drawn.mean() > 0.01 and distinct_colours(network, drawn) >= 10
    # Scripts, stylesheets and fonts all came from the local server.
    kinds = {Path(urlparse(u).path).suffix for u in tab.requests}
    assert {".js", ".css"} <= kinds and kinds & {".woff", ".woff2", ".ttf"}
    assert tab.requests and not tab.offsite() and not tab.failed, tab.failed
    assert page.evaluate("document.fonts.status") == "loaded"


def test_step_advances_the_model_and_every_chart_draws_its_lines(open_page):
    tab = open_page()
    before = [tab.shot(".govsim-chart--line", i) for i in range(len(LINE_CHARTS))]
    network_before = tab.shot(".govsim-chart--network")
    tab.step(3)
    assert tab.day() == 3
    assert tab.page.locator(".govsim-now caption").inner_text().startswith("Day 3")
    assert float(tab.cell(0, "satisfaction")) > 0
    for i, chart in enumerate(LINE_CHARTS):
        after = tab.shot(".govsim-chart--line", i)
        new_ink = ink(after) & ~ink(before[i]) if after.shape == before[i].shape else ink(after)
        assert new_ink.sum() >= 20, f"{chart.key}: no line drawn"
    network = tab.shot(".govsim-chart--network")
    assert network.shape != network_before.shape or (network != network_before).any()


def test_one_screen_at_1600_by_1000_shows_every_chart_and_the_numbers(open_page):
    tab = open_page()
    page = tab.page
    boxes = [page.locator(".govsim-chart").nth(i).bounding_box() for i in range(N_CHARTS)]
    boxes.append(page.locator(".govsim-now").bounding_box())
    for box in boxes:
        assert box["x"] >= 0 and box["y"] >= 0, box
        assert box["x"] + box["width"] <= VIEWPORT["width"] and box["y"] + box["height"] <= VIEWPORT["height"], box
    for box in boxes[:N_CHARTS]:
        assert box["width"] >= 150 and box["height"] >= 100, box
    assert page.evaluate("document.scrollingElement.scrollHeight") <= VIEWPORT["height"] + 1


@pytest.mark.parametrize("width", [1600, 1100])
def test_the_network_title_and_its_colour_scale_do_not_overlap(open_page, width):
    tab = open_page(f"-{width}", viewport={"width": width, "height": 1000})
    title = tab.page.locator(".govsim-network .govsim-title").bounding_box()
    scale = tab.page.locator(".govsim-network .govsim-scale").bounding_box()
    apart = (title["x"] + title["width"] <= scale["x"] or scale["x"] + scale["width"] <= title["x"]
             or title["y"] + title["height"] <= scale["y"] or scale["y"] + scale["height"] <= title["y"])
    assert apart, (title, scale)


def test_no_mesa_tab_or_thread_box_and_no_chinese_the_page_has_no_font_for(open_page):
    tab = open_page()
    text = tab.page.evaluate(TEXT_AND_TITLES)
    assert "Page 0" not in text and "PAGE 0" not in text and "Use Threads" not in text
    assert tab.page.locator(".v-tabs").count() == 0
    assert not re.search(CJK, text)
    tab.page.get_by_role("button", name="Teacher's guide").click()
    guide = tab.page.locator(".govsim-guide")
    guide.wait_for()
    assert not re.search(CJK, guide.inner_text())
    assert "45" in guide.inner_text() and "question" in guide.inner_text().lower()
    assert "scripts/setup.sh" in guide.inner_text() and "The city view" in guide.inner_text()
    # Rendered on the server: the browser fetches no formula or diagram library the offline cache lacks.
    assert not [u for u in tab.requests if "katex" in u or "mermaid" in u], tab.requests


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
    caption = tab.page.locator(".govsim-runs-caption").inner_text()
    assert "(solid)" in caption and "(dashed)" in caption


def test_each_tab_has_its_own_model(open_page):
    first, second = open_page("-first"), open_page("-second")
    first.step(2)
    # The second tab's own step is a round trip through the server after the first tab's steps:
    # any update of the first tab's model that leaked into it would have arrived before this one.
    second.step()
    assert second.day() == 1 and first.day() == 2
    assert second.page.locator(".govsim-now caption").inner_text().startswith("Day 1")


class _ForeignSite(http.server.BaseHTTPRequestHandler):
    """A page from another origin (another port) that tries to use the govsim server's websocket."""

    target = ""

    def do_GET(self):
        body = f"""<!doctype html><title>foreign</title><script>
          const ws = new WebSocket("{self.target}");
          ws.onopen = () => {{ document.title = "open"; }};
          ws.onclose = () => {{ if (document.title !== "open") document.title = "refused"; }};
        </script>""".encode()
        self.send_response(200)
        self.send_header("Content-Type", "text/html")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


def test_a_page_of_another_origin_cannot_open_the_servers_websocket(browser, server):
    port = urlparse(server).port
    _ForeignSite.target = f"ws://127.0.0.1:{port}/jupyter/api/kernels/stolen/channels?session_id=x"
    foreign = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _ForeignSite)
    threading.Thread(target=foreign.serve_forever, daemon=True).start()
    context = browser.new_context()
    try:
        page = context.new_page()
        page.goto(f"http://127.0.0.1:{foreign.server_address[1]}/")
        page.wait_for_function("document.title !== 'foreign'", timeout=30_000)
        assert page.title() == "refused"
    finally:
        context.close()
        foreign.shutdown()
