"""Benchmark of the classroom page: one step plus the redraw it triggers.

Two measurements, at the default community size and at 100,000 residents:

* ``server``: in this process, a step of the model(s) plus everything the page
  computes for a redraw: every chart's ECharts option, the network view and the
  table, and their JSON encoding (what Solara sends to the browser).
* ``browser`` (with ``--browser``): ``govsim serve`` on 127.0.0.1 and Debian's
  Chromium driven by Playwright; the time from clicking Step until the table
  shows the next day and both charts have drawn it, as a teacher would see it.
  Chromium runs with --disable-gpu here, so it draws in software.

Run:  python benchmarks/bench_viz.py [--browser] [--steps N] [--sizes 30000,100000]
The target (issue 4) is a step plus redraw under 250 ms at the default size.
"""

from __future__ import annotations

import argparse
import os
import re
import statistics
import subprocess
import sys
import time
from pathlib import Path

from govsim.params import SCHEMA
from govsim.viz.charts import (
    community_layouts,
    live_charts,
    network_chart,
    outcome_table,
)
from govsim.viz.classroom import Classroom
from govsim.viz.controls import Setup, load_presets
from govsim.viz.echarts import encode

ROOT = Path(__file__).resolve().parents[1]
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync"]


# Resolves once the table shows day `day` and both charts have drawn it (ECharts draws synchronously).
DRAWN = """(day) => { const t = document.querySelector('.govsim-now');
  const charts = [...document.querySelectorAll('.govsim-chart')];
  return t && t.dataset.day === String(day) && charts.length === 2
         && charts.every(c => c.dataset.drawn === String(day)); }"""
WARMUP = 5  # steps before measuring: the browser compiles ECharts' hot paths on the first draws
CLICK_STEP = """() => [...document.querySelectorAll('button')].find(b => b.innerText.trim().toUpperCase() === 'STEP').click()"""


def setup(residents: int, compare: bool) -> Setup:
    presets = load_presets(None, ROOT / "scenarios")
    s = Setup.initial(presets[presets.first], presets[presets.second])
    return s.with_value(0, "population.residents", residents).with_compare(compare)


def redraw(model: Classroom, layouts) -> int:
    """Everything the page computes after a step; returns the bytes it sends."""
    sent = [encode(network_chart(model.runs, layouts)), encode(live_charts(model.runs)), outcome_table(model.runs)]
    return sum(len(text) for text in sent)


def bench_server(residents: int, compare: bool, steps: int, warmup: int = 30) -> dict:
    t0 = time.perf_counter()
    model = Classroom(setup(residents, compare))
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
    return {"residents": residents, "compare": compare, "reset_s": build,
            "step_ms": statistics.median(step_ms), "redraw_ms": statistics.median(draw_ms),
            "total_ms": statistics.median(total), "total_p90_ms": sorted(total)[int(0.9 * len(total))],
            "kb_sent": statistics.median(sizes) / 1000}


def bench_browser(residents: int, compare: bool, steps: int) -> dict:
    from playwright.sync_api import sync_playwright

    env = {**os.environ, "GOVSIM_SCENARIOS": str(ROOT / "scenarios")}
    server = subprocess.Popen([sys.executable, "-c", "from govsim.cli import main; main()", "serve", "--port", "0"], env=env, cwd=ROOT,
                              stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    try:
        line = server.stdout.readline()
        url = re.search(r"http://\S+", line).group(0)
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            page = browser.new_page(viewport={"width": 1600, "height": 1000})
            page.goto(url, timeout=120_000)
            page.wait_for_selector(".govsim-now", timeout=120_000)
            page.wait_for_function(DRAWN, arg=0, timeout=120_000)
            field = page.locator(".govsim-control--population-residents input")
            field.fill(str(residents))
            field.press("Enter")
            if compare:
                page.locator(".govsim-compare").click()
            if compare or residents != SCHEMA["population.residents"].default:
                page.wait_for_selector(".govsim-pending", timeout=60_000)
            t0 = time.perf_counter()
            page.get_by_role("button", name="Reset", exact=True).click()
            page.wait_for_selector(f'.govsim-now caption:has-text("{residents:,} residents")', timeout=120_000)
            page.wait_for_function(DRAWN, arg=0, timeout=120_000)
            reset_s = time.perf_counter() - t0
            times = []
            for day in range(1, WARMUP + steps + 1):
                t0 = time.perf_counter()
                page.evaluate(CLICK_STEP)  # a plain click: Playwright's own checks would add their time
                page.wait_for_function(DRAWN, arg=day, timeout=60_000, polling="raf")
                if day > WARMUP:
                    times.append(1000 * (time.perf_counter() - t0))
            browser.close()
    finally:
        server.terminate()
        server.wait(timeout=30)
    return {"residents": residents, "compare": compare, "reset_s": reset_s,
            "step_redraw_ms": statistics.median(times), "p90_ms": sorted(times)[int(0.9 * len(times))]}


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--browser", action="store_true", help="also measure in Chromium against govsim serve")
    parser.add_argument("--steps", type=int, default=40)
    parser.add_argument("--sizes", default=f"{SCHEMA['population.residents'].default},100000")
    args = parser.parse_args(argv)
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


if __name__ == "__main__":
    main()
