"""Benchmark of the classroom page: a step and its redraw, and what a session costs the server.

Three measurements:

* ``server`` (always): in this process, a step of the model(s) plus everything
  the page computes for a redraw (the network view, a line chart per panel,
  the numbers table, and their JSON encoding: what Solara sends the browser).
* ``browser`` (``--browser``): ``govsim serve`` on 127.0.0.1 and Debian's
  Chromium driven by Playwright; the time from clicking Step until the table
  shows the next day and every chart has drawn it, as a teacher would see it.
  Chromium runs with --disable-gpu here, so it draws in software.
* ``sessions`` (``--sessions N``): N tabs opened one after another against one
  server, at the default population and again in compare mode; the server's
  memory per open tab (from its ``/_govsim/status``), the time from closing the
  tabs until their models are freed, and the time Ctrl-C takes with a tab playing.

* ``city`` (``--city``): the city view at each of ``--scales``: building the city,
  a Step (a week, the view's render interval) and everything the page computes
  to redraw it (the map's colours and tooltips, the timeline, the chart, the
  table), in this process; with ``--browser`` also in Chromium, from clicking
  Step until the map, chart, timeline and table all show the new day; with
  ``--sessions N`` the server's memory per open city tab.

Run:  python benchmarks/bench_viz.py [--browser] [--sessions N] [--steps N] [--sizes 30000,100000]
                                     [--city] [--scales 50,20]
The target (issue 4) is a step plus redraw under 250 ms at the default size.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))  # tests/viz/serving.py starts and watches the server

from govsim.outcomes import BY_NAME  # noqa: E402
from govsim.params import SCHEMA  # noqa: E402
from govsim.viz.city_chart import city_chart_option, city_table  # noqa: E402
from govsim.viz.city_map import ColourScale, cell_titles  # noqa: E402
from govsim.viz.city_page_model import CityPageModel  # noqa: E402
from govsim.viz.city_setup import DEFAULT_SCALE, CitySetup  # noqa: E402
from govsim.viz.city_state import reformed, today  # noqa: E402
from govsim.viz.city_timeline import timeline_html  # noqa: E402
from govsim.viz.city_widget import state_json  # noqa: E402
from govsim.viz.controls import Setup, load_presets  # noqa: E402
from govsim.viz.echarts import encode  # noqa: E402
from govsim.viz.line_charts import LINE_CHARTS, line_option  # noqa: E402
from govsim.viz.network_view import community_layouts, network_option  # noqa: E402
from govsim.viz.numbers_table import numbers_table  # noqa: E402
from govsim.viz.page_model import PageModel  # noqa: E402
from tests.viz.serving import CHROMIUM, CHROMIUM_ARGS, Server, wait_until  # noqa: E402

N_CHARTS = 1 + len(LINE_CHARTS)
# Resolves once the table shows day `day` and every chart has drawn it (ECharts draws synchronously).
DRAWN = """([day, charts]) => { const t = document.querySelector('.govsim-now');
  const drawn = [...document.querySelectorAll('.govsim-chart')];
  return t && t.dataset.day === String(day) && drawn.length === charts
         && drawn.every(c => c.dataset.drawn === String(day)); }"""
WARMUP = 5  # steps before measuring: the browser compiles ECharts' hot paths on the first draws
CLICK_STEP = """() => new Promise(resolve => { const click = () => {
  const step = [...document.querySelectorAll('button')]
    .find(b => b.textContent.trim().toUpperCase() === 'STEP' && !b.disabled);
  if (step) { step.click(); resolve(true); } else requestAnimationFrame(click); }; click(); })"""
# A plain click, once the page has its Step button (a redraw may be replacing it this very frame).


def setup(residents: int, compare: bool) -> Setup:
    presets = load_presets(None, ROOT / "scenarios")
    s = Setup.initial(presets[presets.first], presets[presets.second])
    return s.with_value(0, "population.residents", residents).with_compare(compare)


def redraw(model: PageModel, layouts) -> int:
    """Everything the page computes after a step; returns the bytes it sends."""
    sent = [encode(network_option(model.runs, layouts)), numbers_table(model.runs),
            *(encode(line_option(chart, model.runs)) for chart in LINE_CHARTS)]
    return sum(len(text) for text in sent)


def bench_server(residents: int, compare: bool, steps: int, warmup: int = 30) -> dict:
    t0 = time.perf_counter()
    model = PageModel(setup(residents, compare))
    layouts = community_layouts(model.runs)
    build = time.perf_counter() - t0
    for _ in range(warmup):
        model.step()
    step_ms, draw_ms, sizes = [], [], []
    for _ in range(steps):
        t0 = time.perf_counter()
        model.step()
        t1 = time.perf_counter()
        sizes.append(redraw(model, layouts))
        t2 = time.perf_counter()
        step_ms.append(1000 * (t1 - t0))
        draw_ms.append(1000 * (t2 - t1))
    total = [a + b for a, b in zip(step_ms, draw_ms, strict=True)]
    return {"reset_s": build, "step_ms": statistics.median(step_ms), "redraw_ms": statistics.median(draw_ms),
            "total_ms": statistics.median(total), "total_p90_ms": sorted(total)[int(0.9 * len(total))],
            "kb_sent": statistics.median(sizes) / 1000}


def launch(playwright):
    return playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)


def open_tab(browser, url: str, residents: int | None = None, compare: bool = False):
    context = browser.new_context(viewport={"width": 1600, "height": 1000})
    page = context.new_page()
    page.goto(url, timeout=120_000)
    page.wait_for_function(DRAWN, arg=[0, N_CHARTS], timeout=120_000)
    if (residents is not None and residents != SCHEMA["population.residents"].default) or compare:
        if residents is not None:
            field = page.locator(".govsim-control--population-residents input")
            field.fill(str(residents))
            field.press("Enter")
        if compare:
            page.locator(".govsim-compare").click()
        page.wait_for_selector(".govsim-pending", timeout=60_000)
        page.get_by_role("button", name="Reset", exact=True).click()
        page.wait_for_selector(".govsim-pending", state="detached", timeout=120_000)
        page.wait_for_function(DRAWN, arg=[0, N_CHARTS], timeout=120_000)
    return context, page


def bench_browser(residents: int, compare: bool, steps: int) -> dict:
    from playwright.sync_api import sync_playwright

    with Server() as server, sync_playwright() as p:
        browser = launch(p)
        t0 = time.perf_counter()
        _, page = open_tab(browser, server.url, residents, compare)
        reset_s = time.perf_counter() - t0
        times = []
        for day in range(1, WARMUP + steps + 1):
            t0 = time.perf_counter()
            page.evaluate(CLICK_STEP)  # a plain click: Playwright's own checks would add their time
            page.wait_for_function(DRAWN, arg=[day, N_CHARTS], timeout=60_000, polling="raf")
            if day > WARMUP:
                times.append(1000 * (time.perf_counter() - t0))
        browser.close()
    return {"reset_s": reset_s, "step_redraw_ms": statistics.median(times),
            "p90_ms": sorted(times)[int(0.9 * len(times))]}


def status(server: Server) -> dict:
    with urllib.request.urlopen(server.url + "_govsim/status", timeout=30) as response:
        return json.loads(response.read())


def bench_sessions(n: int, compare: bool) -> dict:
    """Memory per open tab, time until closed tabs' models are freed, and Ctrl-C time with a tab playing."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = launch(p)
        server = Server().start()
        try:
            idle = status(server)["rss_mb"]
            tabs, rss = [], []
            for _ in range(n):
                tabs.append(open_tab(browser, server.url, compare=compare))
                rss.append(status(server)["rss_mb"])
            per_tab = (rss[-1] - idle) / n
            t0 = time.perf_counter()
            for context, page in tabs:
                page.close(run_before_unload=True)
                context.close()
            wait_until(lambda: status(server)["models"] == 0 and status(server)["sessions"] == 0, 120,
                       "every model to be freed", poll=0.2)
            freed_s = time.perf_counter() - t0
            after = status(server)["rss_mb"]
            context, page = open_tab(browser, server.url)
            page.get_by_role("button", name="\u25b6", exact=True).click()
            page.wait_for_function("() => Number(document.querySelector('.govsim-now').dataset.day) >= 3",
                                   timeout=60_000)
            stop_s = server.stop()
        finally:
            if server.proc.poll() is None:
                server.proc.kill()
        browser.close()
    return {"idle_mb": idle, "mb_per_tab": per_tab, "freed_s": freed_s, "after_mb": after, "ctrl_c_s": stop_s}


# --- the city view ---------------------------------------------------------------------------------

CITY_WEEK = 7  # days a Step moves the city (the city view's render interval)
CITY_DRAWN = """(day) => { const map = document.querySelector('svg.govsim-city-map');
  const chart = document.querySelector('.govsim-chart--city');
  const timeline = document.querySelector('.govsim-timeline');
  const table = document.querySelector('.govsim-city-now');
  return map && chart && timeline && table && map.dataset.drawn === String(day)
         && chart.dataset.drawn === String(day) && timeline.dataset.day === String(day)
         && table.dataset.day === String(day); }"""
OUTCOME = "welfare_days"


def city_setup(scale: int) -> CitySetup:
    presets = load_presets(None, ROOT / "scenarios")
    return CitySetup(presets.cities["guiyang_city"], scale=scale)


def city_redraw(page: CityPageModel) -> int:
    """Everything the city view computes after a step; returns the bytes it sends."""
    scale = ColourScale.covering(BY_NAME[OUTCOME], *page.seen(OUTCOME), *page.extremes(OUTCOME))
    values = today(page.city, OUTCOME)
    done = reformed(page.city)
    sent = [state_json(scale.colours(values), cell_titles(page.facts, scale, values, page.day), done.tolist()),
            timeline_html(page.facts, page.day, int(done.sum())),
            encode(city_chart_option(OUTCOME, page.history, page.facts)),
            city_table(page.history, page.facts, page.setup.seed)]
    return sum(len(text) for text in sent)


def bench_city_server(scale: int, steps: int) -> dict:
    t0 = time.perf_counter()
    page = CityPageModel(city_setup(scale))
    build = time.perf_counter() - t0
    step_ms, draw_ms, sizes = [], [], []
    for _ in range(steps):
        t0 = time.perf_counter()
        for _ in range(CITY_WEEK):
            page.step()
        t1 = time.perf_counter()
        sizes.append(city_redraw(page))
        step_ms.append(1000 * (t1 - t0))
        draw_ms.append(1000 * (time.perf_counter() - t1))
    return {"reset_s": build, "simulated": page.facts.simulated, "step_ms": statistics.median(step_ms),
            "redraw_ms": statistics.median(draw_ms), "kb_sent": statistics.median(sizes) / 1000}


def open_city_tab(browser, url: str, scale: int):
    """A tab on the city view at ``scale``, built and drawn at day 0."""
    context = browser.new_context(viewport={"width": 1600, "height": 1000})
    page = context.new_page()
    page.goto(url, timeout=120_000)
    page.wait_for_function(DRAWN, arg=[0, N_CHARTS], timeout=120_000)
    page.get_by_role("button", name="City", exact=True).click()
    page.wait_for_function(CITY_DRAWN, arg=0, timeout=120_000)
    if scale != CitySetup.initial(city_setup(scale).scenario).scale:
        page.locator(".govsim-city-scale").get_by_role("button", name=str(scale), exact=True).click()
        page.wait_for_selector(".govsim-pending", timeout=60_000)
        page.get_by_role("button", name="Reset", exact=True).click()
        page.wait_for_selector(".govsim-pending", state="detached", timeout=120_000)
        page.wait_for_function(CITY_DRAWN, arg=0, timeout=120_000)
    return context, page


def bench_city_browser(scale: int, steps: int) -> dict:
    from playwright.sync_api import sync_playwright

    with Server() as server, sync_playwright() as p:
        browser = launch(p)
        _, page = open_city_tab(browser, server.url, scale)
        times = []
        for k in range(1, WARMUP + steps + 1):
            t0 = time.perf_counter()
            page.evaluate(CLICK_STEP)
            page.wait_for_function(CITY_DRAWN, arg=k * CITY_WEEK, timeout=60_000, polling="raf")
            if k > WARMUP:
                times.append(1000 * (time.perf_counter() - t0))
        browser.close()
    return {"step_redraw_ms": statistics.median(times), "p90_ms": sorted(times)[int(0.9 * len(times))]}


def bench_city_sessions(n: int) -> dict:
    """The server's memory per open city tab at the page's default scale: ``n`` tabs open on the community
    view (each builds its community), then each switches to the city view (each builds its city)."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p, Server() as server:
        browser = launch(p)
        idle = status(server)["rss_mb"]
        tabs = []
        for _ in range(n):
            context = browser.new_context(viewport={"width": 1600, "height": 1000})
            page = context.new_page()
            page.goto(server.url, timeout=120_000)
            page.wait_for_function(DRAWN, arg=[0, N_CHARTS], timeout=120_000)
            tabs.append((context, page))
        communities = status(server)["rss_mb"]
        for _, page in tabs:
            page.get_by_role("button", name="City", exact=True).click()
            page.wait_for_function(CITY_DRAWN, arg=0, timeout=120_000)
        full = status(server)["rss_mb"]
        for context, page in tabs:
            page.close(run_before_unload=True)
            context.close()
        wait_until(lambda: status(server)["models"] == 0, 120, "every model to be freed", poll=0.2)
        after = status(server)["rss_mb"]
        browser.close()
    return {"idle_mb": idle, "mb_per_community": (communities - idle) / n, "mb_per_city": (full - communities) / n,
            "after_mb": after}


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--browser", action="store_true", help="also measure in Chromium against govsim serve")
    parser.add_argument("--sessions", type=int, default=0, metavar="N",
                        help="also measure N tabs' memory, their freeing and Ctrl-C")
    parser.add_argument("--steps", type=int, default=40)
    parser.add_argument("--sizes", default=f"{SCHEMA['population.residents'].default},100000")
    parser.add_argument("--city", action="store_true", help="measure the city view (instead of the community view)")
    parser.add_argument("--scales", default="50,20", help="population scales of the city measured")
    args = parser.parse_args(argv)
    if args.city:
        city_main(args)
        return
    sizes = [int(x) for x in args.sizes.split(",")]
    print(f"{'where':<8}{'residents':>10}{'compare':>9}{'reset s':>9}{'step ms':>9}{'redraw ms':>11}"
          f"{'total ms':>10}{'p90 ms':>8}{'kB':>7}")
    for n in sizes:
        for compare in (False, True):
            r = bench_server(n, compare, args.steps)
            print(f"{'server':<8}{n:>10,}{compare!s:>9}{r['reset_s']:>9.2f}{r['step_ms']:>9.1f}"
                  f"{r['redraw_ms']:>11.1f}{r['total_ms']:>10.1f}{r['total_p90_ms']:>8.1f}{r['kb_sent']:>7.0f}")
    if args.browser:
        for n in sizes:
            for compare in (False, True):
                r = bench_browser(n, compare, args.steps)
                print(f"{'browser':<8}{n:>10,}{compare!s:>9}{r['reset_s']:>9.2f}{'':>9}{'':>11}"
                      f"{r['step_redraw_ms']:>10.1f}{r['p90_ms']:>8.1f}")
    if args.sessions:
        print(f"\n{'tabs':>5}{'compare':>9}{'idle MB':>9}{'MB/tab':>8}{'freed s':>9}{'after MB':>10}{'Ctrl-C s':>10}")
        for compare in (False, True):
            r = bench_sessions(args.sessions, compare)
            print(f"{args.sessions:>5}{compare!s:>9}{r['idle_mb']:>9.0f}{r['mb_per_tab']:>8.1f}{r['freed_s']:>9.1f}"
                  f"{r['after_mb']:>10.0f}{r['ctrl_c_s']:>10.1f}")


def city_main(args) -> None:
    scales = [int(x) for x in args.scales.split(",")]
    print(f"{'where':<8}{'scale':>6}{'simulated':>11}{'reset s':>9}{'week ms':>9}{'redraw ms':>11}{'kB':>6}"
          f"{'click ms':>10}{'p90 ms':>8}")
    for scale in scales:
        r = bench_city_server(scale, args.steps)
        print(f"{'server':<8}{scale:>6}{r['simulated']:>11,}{r['reset_s']:>9.2f}{r['step_ms']:>9.1f}"
              f"{r['redraw_ms']:>11.1f}{r['kb_sent']:>6.0f}")
    if args.browser:
        for scale in scales:
            r = bench_city_browser(scale, args.steps)
            print(f"{'browser':<8}{scale:>6}{'':>11}{'':>9}{'':>9}{'':>11}{'':>6}{r['step_redraw_ms']:>10.1f}"
                  f"{r['p90_ms']:>8.1f}")
    if args.sessions:
        print(f"\n{'tabs':>5}{'scale':>7}{'idle MB':>9}{'MB/community':>14}{'MB/city':>9}{'after MB':>10}")
        r = bench_city_sessions(args.sessions)
        print(f"{args.sessions:>5}{DEFAULT_SCALE:>7}{r['idle_mb']:>9.0f}{r['mb_per_community']:>14.1f}"
              f"{r['mb_per_city']:>9.1f}{r['after_mb']:>10.0f}")


if __name__ == "__main__":
    main()
