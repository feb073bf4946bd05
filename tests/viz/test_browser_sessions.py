"""Sessions end with their tabs, the server stays within its caps, and Ctrl-C stops it: real processes.

Each test starts its own ``govsim serve`` on 127.0.0.1 and drives Chromium
against it; the server's printed lines, its CPU time and its memory (from
/proc) are what the tests observe.  Every wait is for a condition with a
deadline; a claim that something does *not* happen is checked over a window.
"""

from __future__ import annotations

import json
import time
import urllib.request

import pytest
from playwright.sync_api import expect

from govsim.viz.line_charts import LINE_CHARTS
from govsim.viz.sessions import GRACE_S

from .serving import ChromiumProcess, Server, wait_until

pytestmark = pytest.mark.browser
expect.set_options(timeout=60_000)  # a Reset builds two communities of 100,000 (a warm-up each): seconds when loaded

N_CHARTS = 1 + len(LINE_CHARTS)
DRAWN = """([day, charts]) => { const t = document.querySelector('.govsim-now');
  const drawn = [...document.querySelectorAll('.govsim-chart')];
  return t && t.dataset.day === String(day) && drawn.length === charts
         && drawn.every(c => c.dataset.drawn === String(day)); }"""


def close_tab(context, page) -> None:
    """Close a tab as a person does: the page's unload handlers run (Solara's sends its closing beacon)."""
    page.close(run_before_unload=True)
    context.close()


def open_tab(browser_or_context, url):
    context = browser_or_context.new_context(viewport={"width": 1600, "height": 1000}) \
        if hasattr(browser_or_context, "new_context") else browser_or_context
    page = context.new_page()
    page.set_default_timeout(60_000)
    page.goto(url)
    return context, page


def wait_ready(page, day=0):
    page.wait_for_selector(".govsim-setup")
    page.wait_for_function(DRAWN, arg=[day, N_CHARTS], timeout=60_000)


def day_of(page) -> int:
    return int(page.locator(".govsim-now").get_attribute("data-day"))


def play(page) -> None:
    """Press Play and wait until the model has run a few days on its own."""
    page.get_by_role("button", name="\u25b6", exact=True).click()
    page.wait_for_function("() => Number(document.querySelector('.govsim-now').dataset.day) >= 3",
                           timeout=60_000)


def cpu_share(server: Server, seconds: float) -> float:
    """The share of one core the server used over the next ``seconds`` (a window, not a wait for an event)."""
    c0, t0 = server.cpu_seconds(), time.monotonic()
    time.sleep(seconds)
    return (server.cpu_seconds() - c0) / (time.monotonic() - t0)


def status(server: Server) -> dict:
    with urllib.request.urlopen(server.url + "_govsim/status", timeout=10) as response:
        return json.loads(response.read())


def test_closed_tabs_are_freed_at_once_and_leave_no_memory_behind(browser):
    """The issue's finding: twenty sessions opened and closed grew the server by 130 MB, for good."""
    with Server() as server:
        after_cycle = []
        for cycle in range(4):
            context, page = open_tab(browser, server.url)
            wait_ready(page)
            field = page.locator(".govsim-control--population-residents input")
            field.fill("100000")
            field.press("Enter")
            page.locator(".govsim-compare").click()
            page.wait_for_selector(".govsim-pending")
            page.get_by_role("button", name="Reset", exact=True).click()
            expect(page.locator(".govsim-now caption")).to_contain_text("100,000 residents")
            wait_ready(page)
            # The model the Reset replaced is freed too: one model per open tab.
            wait_until(lambda: status(server)["models"] == 1, 15, f"cycle {cycle}: the replaced model to be freed")
            assert status(server)["sessions"] == 1
            mark = len(server.lines)
            close_tab(context, page)
            server.wait_for_line(r"session \w+ freed \(0 open\)", 15, after=mark)
            wait_until(lambda: status(server)["models"] == 0, 15, f"cycle {cycle}: the models to be freed")
            after_cycle.append(status(server)["rss_mb"])
        grown = after_cycle[-1] - after_cycle[0]
        assert grown < 20, f"the server grew {grown:.0f} MB over three more sessions: {after_cycle}"


def test_a_closed_city_tab_frees_its_city(browser):
    """A tab that opened the city view holds two models (its community and its city); both go with the tab."""
    with Server() as server:
        after_cycle = []
        for cycle in range(4):
            context, page = open_tab(browser, server.url)
            wait_ready(page)
            page.get_by_role("button", name="City", exact=True).click()
            page.wait_for_function("() => { const m = document.querySelector('svg.govsim-city-map'); "
                                   "return m && m.dataset.drawn === '0'; }", timeout=120_000)
            page.get_by_role("button", name="Step", exact=True).click()
            page.wait_for_function("() => document.querySelector('svg.govsim-city-map').dataset.drawn === '7'",
                                   timeout=60_000)
            assert status(server)["models"] == 2
            mark = len(server.lines)
            close_tab(context, page)
            server.wait_for_line(r"session \w+ freed \(0 open\)", 15, after=mark)
            wait_until(lambda: status(server)["models"] == 0, 15, f"cycle {cycle}: the city to be freed")
            after_cycle.append(status(server)["rss_mb"])
        grown = after_cycle[-1] - after_cycle[0]
        assert grown < 20, f"the server grew {grown:.0f} MB over three more city tabs: {after_cycle}"


def test_a_killed_browser_stops_the_play_at_once_and_its_session_is_freed_within_a_minute(playwright, tmp_path):
    with Server() as server:
        chromium = ChromiumProcess(tmp_path / "profile")
        try:
            browser = playwright.chromium.connect_over_cdp(chromium.cdp_url)
            _, page = open_tab(browser.contexts[0], server.url)
            wait_ready(page)
            play(page)
            playing = cpu_share(server, 2.0)
            mark = len(server.lines)
            chromium.kill()
            killed = time.monotonic()
            server.wait_for_line(r"session \w+ lost its connection: paused", 10, after=mark)
            assert time.monotonic() - killed < 10
            paused = cpu_share(server, 3.0)
            assert paused < 0.05 and paused < playing / 3, \
                f"still busy: {paused:.0%} of a core (playing: {playing:.0%})"
            server.wait_for_line(r"session \w+ freed \(0 open\)", 60, after=mark)
            freed_after = time.monotonic() - killed
            assert GRACE_S - 1 <= freed_after < 60, freed_after
        finally:
            chromium.close()


def test_a_tab_over_the_cap_is_told_the_server_is_full_and_gets_in_once_a_place_frees(browser):
    with Server("--max-sessions", "1") as server:
        first, first_page = open_tab(browser, server.url)
        wait_ready(first_page)
        second, second_page = open_tab(browser, server.url)
        expect(second_page.get_by_text("This classroom server is full")).to_be_visible()
        assert second_page.locator(".govsim-chart").count() == 0
        server.wait_for_line("refused a new tab", 10)
        mark = len(server.lines)
        close_tab(first, first_page)
        server.wait_for_line(r"session \w+ freed", 15, after=mark)
        second_page.reload()
        wait_ready(second_page)
        close_tab(second, second_page)


def test_ctrl_c_stops_a_server_whose_tab_is_playing_within_seconds(browser):
    server = Server().start()
    try:
        context, page = open_tab(browser, server.url)
        wait_ready(page)
        play(page)
        took = server.stop(timeout=15)
        assert took < 10, took
        assert server.proc.returncode == 0 and "govsim: stopped" in server.output
        assert "Traceback" not in server.output and "KeyboardInterrupt" not in server.output
        context.close()
    finally:
        if server.proc.poll() is None:  # pragma: no cover (only when the test failed)
            server.proc.kill()


def test_a_second_ctrl_c_ends_the_server_without_a_traceback(browser):
    server = Server().start()
    try:
        context, page = open_tab(browser, server.url)
        wait_ready(page)
        play(page)
        server.interrupt()
        server.interrupt()  # pressed twice, as an impatient teacher does
        server.proc.wait(timeout=15)
        assert server.proc.returncode in (0, 130), server.output
        assert "Traceback" not in server.output and "KeyboardInterrupt" not in server.output, server.output
        context.close()
    finally:
        if server.proc.poll() is None:  # pragma: no cover (only when the test failed)
            server.proc.kill()
