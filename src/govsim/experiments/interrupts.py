"""Ctrl-C during a sweep: the first stops it cleanly, the second stops it now.

The first Ctrl-C (or SIGTERM, as a batch system sends at the end of a job)
raises KeyboardInterrupt as usual: runs not started are cancelled, the pool is
stopped, ``runs.parquet`` is rewritten and the manifest says "interrupted".
From then on a second signal no longer raises - an exception in the middle of
that clean-up is what used to leave the process hanging on its pool's
threads - but kills every process the sweep started, notes the interruption
in the manifest if it can, and exits with status 130.  Finished runs are
safe either way: each was written to its own file, atomically, when it
finished.
"""

from __future__ import annotations

import contextlib
import os
import signal
import sys
import threading
from collections.abc import Callable, Iterator
from types import FrameType

EXIT_INTERRUPTED = 130

_seen = {"depth": 0, "count": 0}  # shared by nested blocks: the command's and the sweep's


def descendants(pid: int | None = None) -> list[int]:
    """Every process below ``pid`` (default: this one), children first."""
    pid = os.getpid() if pid is None else pid
    try:
        import psutil  # Dask depends on it; reading /proc below does without

        return [p.pid for p in psutil.Process(pid).children(recursive=True)]
    except ImportError:
        pass
    except Exception:  # a process that vanished while being listed
        return []
    parents: dict[int, list[int]] = {}
    with contextlib.suppress(OSError):
        for entry in os.listdir("/proc"):
            if entry.isdigit():
                with contextlib.suppress(OSError, IndexError, ValueError):
                    with open(f"/proc/{entry}/stat") as f:
                        ppid = int(f.read().rsplit(")", 1)[1].split()[1])
                    parents.setdefault(ppid, []).append(int(entry))
    out, queue = [], [pid]
    while queue:
        for child in parents.get(queue.pop(), []):
            out.append(child)
            queue.append(child)
    return out


def kill_descendants() -> None:
    """SIGKILL every process this one started (pool workers, the fork server, Dask's nannies and workers)."""
    for pid in descendants():
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.kill(pid, signal.SIGKILL)


@contextlib.contextmanager
def two_stage(on_second: Callable[[], None], echo: Callable[[str], None],
              keep_after_interrupt: bool = False) -> Iterator[None]:
    """Within the block: a first SIGINT or SIGTERM raises KeyboardInterrupt, a second one stops at once.

    Nested blocks count together, so a second signal between an inner block's
    end and the outer one's is still a second.  ``on_second`` runs before the
    processes are killed (to mark the manifest); whatever it raises is ignored.
    ``keep_after_interrupt``: once interrupted, leave the handler in place
    when the block ends - for a command that is about to exit, so that a
    second Ctrl-C during the interpreter's own shutdown still stops at once
    (never in a notebook, whose next Ctrl-C would end the kernel).  Outside the
    main thread signals cannot be handled: the block runs as it is.
    """
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    if _seen["depth"] == 0:
        _seen["count"] = 0
    _seen["depth"] += 1

    def handler(signum: int, frame: FrameType | None) -> None:
        _seen["count"] += 1
        if _seen["count"] == 1:
            raise KeyboardInterrupt
        with contextlib.suppress(Exception):
            echo("second interrupt: stopping now; finished runs are kept (run the same command to resume)")
        with contextlib.suppress(BaseException):
            on_second()
        kill_descendants()
        with contextlib.suppress(Exception):
            sys.stderr.flush()
            sys.stdout.flush()
        os._exit(EXIT_INTERRUPTED)

    previous = {s: signal.signal(s, handler) for s in (signal.SIGINT, signal.SIGTERM)}
    try:
        yield
    finally:
        _seen["depth"] -= 1
        if not (keep_after_interrupt and _seen["count"]):
            for s, old in previous.items():
                signal.signal(s, old)


@contextlib.contextmanager
def ignoring_ctrl_c() -> Iterator[None]:
    """Ignore SIGINT for the block (main thread only): a process started meanwhile ignores it from its first
    instruction, since an ignored signal stays ignored across exec and Python then installs no handler."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    old = signal.signal(signal.SIGINT, signal.SIG_IGN)
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, old)


@contextlib.contextmanager
def deferred_ctrl_c() -> Iterator[None]:
    """Hold a SIGINT or SIGTERM that arrives during the block and deliver it when the block ends.

    For starting worker processes: a KeyboardInterrupt inside ``Process.start()``
    leaves a child its pool never learns of, which later fails loudly.
    Main thread only; elsewhere the block runs as it is.
    """
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    held: list[int] = []

    def hold(signum: int, frame: FrameType | None) -> None:
        held.append(signum)

    previous = {s: signal.signal(s, hold) for s in (signal.SIGINT, signal.SIGTERM)}
    try:
        yield
    finally:
        for s, old in previous.items():
            signal.signal(s, old)
        for signum in held:  # through the handlers in place: the two-stage one counts them
            handler = previous[signal.Signals(signum)]
            if callable(handler):
                handler(signum, None)
            elif handler != signal.SIG_IGN:
                raise KeyboardInterrupt
