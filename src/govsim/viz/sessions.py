"""Sessions of the page: one per browser tab, capped in number and size, paused and freed when the tab goes.

Solara gives every tab a virtual kernel and closes it when the tab sends its
closing beacon, or :data:`GRACE_S` seconds after its last websocket dropped
with no reconnection (a closed laptop, a killed browser); ``govsim serve``
sets that timeout, which Solara leaves at 24 hours by default.

This module adds what Solara does not know about the model:

* :class:`SessionRegistry` admits at most ``max_sessions`` sessions (a tab
  beyond that gets a notice instead of a model) and frees a session's slot
  when Solara closes its kernel;
* :class:`ConnectionTracker` (ASGI middleware) sees each kernel's websockets
  open and close, so a session whose last connection is gone stops stepping at
  once: its model's ``step`` waits (no CPU) until the tab reconnects, and ends
  the play loop when the session is closed;
* :class:`Limits` also caps the residents of each community, the other
  factor of a session's memory.

One registry serves the process (:data:`SESSIONS`), because Solara builds the
page by name and one server runs per ``govsim serve``.
"""

from __future__ import annotations

import hashlib
import json
import re
import threading
from collections.abc import Callable
from dataclasses import dataclass

from govsim.viz.memory import MODELS, Janitor, rss_mb
from govsim.viz.origins import ASGIApp, Message, Receive, Scope, Send

DEFAULT_MAX_SESSIONS = 20
"""Tabs served at once: a class working in groups, with the teacher's own tabs, on a laptop."""

DEFAULT_MAX_RESIDENTS = 200_000
"""Residents per community: the guide's 100,000-resident demonstration with room to spare.
Memory grows with sessions x communities (two in compare mode) x residents; see the teacher's guide."""

GRACE_S = 30
"""Seconds a session without a connection is kept for its tab to reconnect, before Solara closes it."""

WAKE_CHECK_S = 1.0
"""How often a paused step looks again whether its session was closed (a safety net: closing wakes it)."""

KERNEL_PATH = re.compile(r"^/jupyter/api/kernels/(?P<kernel>[^/]+)/[^/]+$")
"""The path of a kernel's websocket in Solara's server."""

STATUS_PATH = "/_govsim/status"
"""Where the server tells how many sessions and models it holds (JSON), for the teacher and the tests."""

@dataclass(frozen=True)
class Limits:
    """What one server allows: sessions at once and residents per community."""

    max_sessions: int = DEFAULT_MAX_SESSIONS
    max_residents: int = DEFAULT_MAX_RESIDENTS

    def __post_init__(self):
        if self.max_sessions < 1:
            raise ValueError(f"max_sessions must be at least 1, got {self.max_sessions}")
        if self.max_residents < 1:
            raise ValueError(f"max_residents must be at least 1, got {self.max_residents}")


def short_id(kernel_id: str) -> str:
    """A short name for a session in messages (a hash: the kernel id itself is half a credential)."""
    return hashlib.sha256(kernel_id.encode()).hexdigest()[:6]


class Session:
    """One admitted tab.  ``live`` while a websocket of its kernel is open (or none was ever seen)."""

    def __init__(self, kernel_id: str, live: bool = True):
        self.kernel_id = kernel_id
        self._live = threading.Event()
        self.closed = False
        if live:
            self._live.set()

    @property
    def live(self) -> bool:
        return self._live.is_set() and not self.closed

    def wait_until_live(self) -> bool:
        """Block while the session has no connection; True once it is live, False once it is closed."""
        while not self.closed:
            if self._live.wait(WAKE_CHECK_S):
                return not self.closed
        return False

    def _set_live(self, live: bool) -> None:
        if live:
            self._live.set()
        else:
            self._live.clear()

    def _close(self) -> None:
        self.closed = True
        self._live.set()  # wake a paused step, which then sees the session closed


class SessionRegistry:
    """The sessions of one server: admission under the cap, connection state, release."""

    def __init__(self, limits: Limits | None = None, echo: Callable[[str], None] | None = None):
        self.limits = limits or Limits()
        self.echo = echo
        self._lock = threading.Lock()
        self._sessions: dict[str, Session] = {}
        self._open: dict[str, int] = {}  # kernel id -> websockets open
        self._janitor: Janitor | None = None

    def configure(self, limits: Limits, echo: Callable[[str], None] | None = None) -> None:
        """Set the caps and where to report; a server also starts the janitor (call this outside any tab)."""
        self.limits = limits
        self.echo = echo
        if echo is not None and self._janitor is None:
            self._janitor = Janitor()

    def _say(self, line: str) -> None:
        if self.echo is not None:
            self.echo(f"govsim: {line}")

    def __len__(self) -> int:
        with self._lock:
            return len(self._sessions)

    def admit(self, kernel_id: str) -> Session | None:
        """A session for the tab of ``kernel_id``, or None when the server is full."""
        with self._lock:
            if kernel_id in self._sessions:
                return self._sessions[kernel_id]
            if len(self._sessions) >= self.limits.max_sessions:
                n = len(self._sessions)
                refused = True
            else:
                live = kernel_id not in self._open or self._open[kernel_id] > 0
                session = self._sessions[kernel_id] = Session(kernel_id, live=live)
                n = len(self._sessions)
                refused = False
        if refused:
            self._say(f"refused a new tab: {n} sessions are open, the most this server allows (--max-sessions)")
            return None
        self._say(f"session {short_id(kernel_id)} opened ({n} of at most {self.limits.max_sessions})")
        return session

    def release(self, session: Session) -> None:
        """Free a session's slot (Solara is closing its kernel); a paused step wakes and ends the play loop.

        A community model is a web of reference cycles (agents and model point at each other), which
        only Python's cycle collector frees, and an idle server may not run it for a long while; so the
        janitor runs it shortly after the kernel is gone (see :mod:`govsim.viz.memory`).
        """
        with self._lock:
            known = self._sessions.pop(session.kernel_id, None) is session
            n = len(self._sessions)
        session._close()
        if known:
            self._say(f"session {short_id(session.kernel_id)} freed ({n} open)")
            self.collect_soon()

    def collect_soon(self) -> None:
        """Have the janitor give freed models' memory back shortly (a session ended, or a Reset replaced a model)."""
        if self._janitor is not None:
            self._janitor.request()

    def connection_opened(self, kernel_id: str) -> None:
        with self._lock:
            self._open[kernel_id] = self._open.get(kernel_id, 0) + 1
            session = self._sessions.get(kernel_id)
            resumed = session is not None and not session.live
            if session is not None:
                session._set_live(True)
        if resumed:
            self._say(f"session {short_id(kernel_id)} reconnected")

    def connection_closed(self, kernel_id: str) -> None:
        with self._lock:
            left = self._open.get(kernel_id, 1) - 1
            if left > 0:
                self._open[kernel_id] = left
            else:
                self._open.pop(kernel_id, None)
            session = self._sessions.get(kernel_id)
            paused = session is not None and left <= 0
            if session is not None and paused:
                session._set_live(False)
        if paused:
            self._say(f"session {short_id(kernel_id)} lost its connection: paused, and freed in "
                      f"{GRACE_S} s unless it reconnects")

    def close_all(self) -> None:
        """Close every session (the server is stopping): paused steps wake and play loops end."""
        with self._lock:
            sessions = list(self._sessions.values())
            self._sessions.clear()
            self._open.clear()
        for session in sessions:
            session._close()


SESSIONS = SessionRegistry()
"""The sessions of this process's server."""


def status(registry: SessionRegistry) -> dict[str, int | float]:
    """Sessions open, the caps, page models in memory and the server's resident memory."""
    return {"sessions": len(registry), "max_sessions": registry.limits.max_sessions,
            "max_residents": registry.limits.max_residents, "models": len(MODELS), "rss_mb": round(rss_mb(), 1)}


class ConnectionTracker:
    """ASGI middleware that tells a registry when each kernel's websockets open and close, and answers
    :data:`STATUS_PATH` with :func:`status`."""

    def __init__(self, app: ASGIApp, registry: SessionRegistry = SESSIONS):
        self.app = app
        self.registry = registry

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http" and scope.get("path") == STATUS_PATH:
            body = json.dumps(status(self.registry)).encode()
            await send({"type": "http.response.start", "status": 200,
                        "headers": [(b"content-type", b"application/json"), (b"cache-control", b"no-store")]})
            await send({"type": "http.response.body", "body": body})
            return
        match = KERNEL_PATH.match(scope.get("path", "")) if scope["type"] == "websocket" else None
        if match is None:
            await self.app(scope, receive, send)
            return
        kernel_id = match["kernel"]
        state = {"open": False}

        def closed() -> None:
            if state["open"]:
                state["open"] = False
                self.registry.connection_closed(kernel_id)

        async def tracked_send(message: Message) -> None:
            if message["type"] == "websocket.accept" and not state["open"]:
                state["open"] = True
                self.registry.connection_opened(kernel_id)
            elif message["type"] == "websocket.close":
                closed()
            await send(message)

        async def tracked_receive() -> Message:
            message = await receive()
            if message["type"] == "websocket.disconnect":
                closed()  # at once: the application may take a while to notice
            return message

        try:
            await self.app(scope, tracked_receive, tracked_send)
        finally:
            closed()
