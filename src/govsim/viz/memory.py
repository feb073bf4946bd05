"""Handing a closed tab's memory back: counting page models, collecting them, trimming the allocator.

A community model is a web of reference cycles (agents and model point at each
other), which only Python's cycle collector frees, and an idle server may not
run it for a long while; C's allocator then keeps what Python freed in its
per-thread arenas.  :class:`Janitor` runs both shortly after a session ends or
a Reset replaces a model.
"""

from __future__ import annotations

import ctypes
import gc
import sys
import threading
import time
import weakref

COLLECT_AFTER_S = 2.0
"""Seconds after a session is released that Python's cycle collector is run (see :meth:`SessionRegistry.release`)."""

MODELS: weakref.WeakSet = weakref.WeakSet()
"""Every page model not yet freed (each adds itself when built)."""


def give_back_memory() -> None:
    """Free unreachable models now and return the freed memory to the operating system.

    C's allocator keeps memory freed by Python in its per-thread arenas, and each
    tab's model is built on the thread of its websocket, so without ``malloc_trim``
    a server's memory only ever grows (glibc; elsewhere the collection alone).
    """
    gc.collect()
    if _LIBC is not None:
        _LIBC.malloc_trim(0)


def _glibc():
    if not sys.platform.startswith("linux"):
        return None
    try:
        libc = ctypes.CDLL("libc.so.6")
        return libc if hasattr(libc, "malloc_trim") else None
    except OSError:  # not glibc (e.g. musl)
        return None


_LIBC = _glibc()

class Janitor:
    """A thread of its own that calls :func:`give_back_memory` :data:`COLLECT_AFTER_S` seconds after a request.

    It must be started outside any tab: Solara hands each thread started inside a
    tab's kernel that kernel, so a timer started there would keep alive the very
    kernel, and model, it was meant to free.
    """

    def __init__(self):
        self._due: float | None = None
        self._wake = threading.Condition()
        threading.Thread(target=self._run, name="govsim-janitor", daemon=True).start()

    def request(self) -> None:
        with self._wake:
            self._due = time.monotonic() + COLLECT_AFTER_S
            self._wake.notify()

    def _run(self) -> None:
        while True:
            with self._wake:
                while self._due is None or time.monotonic() < self._due:
                    self._wake.wait(None if self._due is None else self._due - time.monotonic())
                self._due = None
            give_back_memory()


def rss_mb() -> float:
    try:
        with open("/proc/self/status", encoding="ascii") as f:
            return next(int(line.split()[1]) / 1024 for line in f if line.startswith("VmRSS:"))
    except (OSError, StopIteration):  # not Linux
        return float("nan")
