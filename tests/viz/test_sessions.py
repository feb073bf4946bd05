"""Sessions: the cap, the connection state each kernel's websockets give, and release."""

from __future__ import annotations

import asyncio
import json
import threading

import pytest

from govsim.viz import memory
from govsim.viz.memory import MODELS, Janitor
from govsim.viz.sessions import STATUS_PATH, ConnectionTracker, Limits, Session, SessionRegistry


def test_the_registry_admits_up_to_the_cap_and_a_released_slot_is_free_again():
    lines = []
    registry = SessionRegistry(Limits(max_sessions=2), echo=lines.append)
    a, b = registry.admit("a"), registry.admit("b")
    assert a and b and len(registry) == 2
    assert registry.admit("c") is None and "refused a new tab" in lines[-1]
    assert registry.admit("a") is a  # the same kernel again (a re-render) is the same session
    registry.release(a)
    assert a.closed and len(registry) == 1 and "freed" in lines[-1]
    assert registry.admit("c") is not None


def test_limits_refuse_nonsense():
    with pytest.raises(ValueError):
        Limits(max_sessions=0)
    with pytest.raises(ValueError):
        Limits(max_residents=0)


def test_a_session_is_paused_while_its_kernel_has_no_open_websocket():
    lines = []
    registry = SessionRegistry(echo=lines.append)
    registry.connection_opened("k")
    registry.connection_opened("k")  # a second websocket of the same kernel
    session = registry.admit("k")
    assert session.live
    registry.connection_closed("k")
    assert session.live  # one is still open
    registry.connection_closed("k")
    assert not session.live and "lost its connection: paused" in lines[-1]
    registry.connection_opened("k")
    assert session.live and "reconnected" in lines[-1]


def test_a_kernel_never_seen_connecting_runs_freely():
    """Outside a server (a notebook, the in-process page tests) no websocket is tracked."""
    assert SessionRegistry().admit("notebook").live


def test_closing_wakes_a_waiting_step_which_then_reports_the_session_closed():
    session = Session("k", live=False)
    result = []
    waiter = threading.Thread(target=lambda: result.append(session.wait_until_live()))
    waiter.start()
    session._close()
    waiter.join(5)
    assert result == [False]


def test_close_all_closes_every_session():
    registry = SessionRegistry()
    sessions = [registry.admit(k) for k in "abc"]
    registry.close_all()
    assert all(s.closed for s in sessions) and len(registry) == 0


def _connect(tracker, path, messages):
    async def receive():
        return messages.pop(0)

    async def send(message):
        pass

    asyncio.run(tracker({"type": "websocket", "path": path, "headers": []}, receive, send))


def test_the_tracker_counts_accepted_kernel_websockets_until_they_disconnect():
    registry = SessionRegistry()
    session = registry.admit("abc")
    seen = []

    async def app(scope, receive, send):
        await send({"type": "websocket.accept"})
        seen.append(session.live)
        message = await receive()
        seen.append((message["type"], session.live))

    tracker = ConnectionTracker(app, registry)
    _connect(tracker, "/jupyter/api/kernels/abc/channels", [{"type": "websocket.disconnect", "code": 1001}])
    assert seen == [True, ("websocket.disconnect", False)]  # paused as soon as the disconnect arrives

    async def refusing(scope, receive, send):
        await send({"type": "websocket.close"})

    registry.connection_opened("abc")
    _connect(ConnectionTracker(refusing, registry), "/jupyter/api/kernels/abc/channels", [])  # never accepted
    assert session.live


def test_the_status_path_reports_sessions_caps_and_models(small):
    registry = SessionRegistry(Limits(max_sessions=3, max_residents=9_000))
    registry.admit("k")
    model = small()  # a page model counts itself until it is freed
    sent = []

    async def app(scope, receive, send):  # pragma: no cover (the status path never reaches the page)
        raise AssertionError("reached the application")

    async def send(message):
        sent.append(message)

    async def receive():  # pragma: no cover
        return {}

    asyncio.run(ConnectionTracker(app, registry)({"type": "http", "path": STATUS_PATH, "headers": []},
                                                 receive, send))
    report = json.loads(sent[1]["body"])
    assert sent[0]["status"] == 200 and report["sessions"] == 1 and report["max_sessions"] == 3
    assert report["max_residents"] == 9_000 and report["models"] >= 1 and report["rss_mb"] > 0
    assert model in MODELS


def test_the_janitor_collects_shortly_after_a_request(monkeypatch):
    collected = threading.Event()
    monkeypatch.setattr(memory, "give_back_memory", collected.set)
    monkeypatch.setattr(memory, "COLLECT_AFTER_S", 0.05)
    Janitor().request()
    assert collected.wait(10)
