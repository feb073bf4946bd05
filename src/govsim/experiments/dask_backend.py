"""Running a sweep on Dask distributed: a LocalCluster, or a scheduler someone started.

Nothing here may hang or end in a traceback on a bad address:

* :func:`scheduler_address` reads ``--scheduler`` (``tcp://HOST:PORT``,
  ``HOST:PORT`` or a scheduler file) and refuses anything else in one line;
* :func:`probe` asks the scheduler who it is, with a deadline on the whole
  exchange, before a ``Client`` (whose own timeout does not cover a server
  that accepts a connection and never answers) is made;
* :class:`WorkerWatch` says, after a short wait, that the scheduler has no
  workers and how to start some (an adaptive cluster may still bring them).
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import re
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from govsim.errors import InputError
from govsim.experiments.runner import default_workers

CONNECT_SECONDS = 10.0
"""How long to wait for a scheduler to answer."""

NO_WORKER_NOTICE_SECONDS = 10.0
"""How long to wait for a worker before saying that there is none."""

_ADDRESS = re.compile(r"^(?:(?P<scheme>[A-Za-z][A-Za-z0-9+.-]*)://)?(?P<host>\[[0-9A-Fa-f:.]+\]|[^\s:/\[\]]+)"
                      r":(?P<port>\d+)/?$")
_SCHEMES = {
    "tls": "a tls:// scheduler needs certificates, which govsim does not pass to Dask; reach it over tcp:// "
           "(e.g. through an SSH tunnel) or run govsim sweep in a Python script with a dask Client",
    "inproc": "inproc:// is Dask's in-process transport: no other process can reach it; give the scheduler's "
              "tcp://HOST:PORT",
    "ucx": "ucx:// is not supported; give the scheduler's tcp://HOST:PORT",
    "ws": "ws:// is not supported; give the scheduler's tcp://HOST:PORT",
    "wss": "wss:// is not supported; give the scheduler's tcp://HOST:PORT",
}


def _fail(message: str) -> InputError:
    return InputError(message, key="--scheduler")


def scheduler_address(text: str) -> str:
    """The ``tcp://HOST:PORT`` of ``--scheduler``: an address, or a file written by ``dask scheduler``.

    Raises:
        InputError: one line saying what is wrong and what is allowed.
    """
    allowed = "give tcp://HOST:PORT or the file written by `dask scheduler --scheduler-file FILE`"
    path = Path(text)
    if path.is_file():
        try:
            info = json.loads(path.read_text())
        except (OSError, UnicodeDecodeError, ValueError) as e:
            raise _fail(f"{text} is not a Dask scheduler file (not JSON: {e}); {allowed}") from None
        if not isinstance(info, dict) or not isinstance(info.get("address"), str):
            raise _fail(f'{text} is not a Dask scheduler file (no "address" in it); {allowed}')
        return _checked(info["address"], f"{text}: its address ", allowed)
    if path.is_dir():
        raise _fail(f"{text} is a folder, not a scheduler file; {allowed}")
    return _checked(text, "", allowed)


def _checked(address: str, where: str, allowed: str) -> str:
    match = _ADDRESS.match(address.strip())
    scheme = (match.group("scheme") or "tcp").lower() if match else address.partition("://")[0].lower()
    if "://" in address and scheme in _SCHEMES:
        raise _fail(f"{where}{address!r}: {_SCHEMES[scheme]}")
    if match is None:
        raise _fail(f"{where}{address!r} is neither an address nor a file; {allowed}")
    if scheme != "tcp":
        raise _fail(f"{where}{address!r}: unknown protocol {scheme!r}; {allowed}")
    port = int(match.group("port"))
    if not 1 <= port <= 65535:
        raise _fail(f"{where}{address!r}: the port must be from 1 to 65535")
    return f"tcp://{match.group('host')}:{port}"


def probe(address: str, timeout: float = CONNECT_SECONDS) -> dict[str, Any]:
    """Ask the scheduler at ``address`` who it is; the whole exchange ends within ``timeout`` seconds.

    Raises:
        InputError: nothing listens there, it does not answer, or it is not a Dask scheduler.
    """
    from distributed.comm import connect

    async def identity() -> Any:
        comm = await connect(address, timeout=timeout)
        try:
            await comm.write({"op": "identity", "reply": True})
            return await comm.read()
        finally:
            comm.abort()

    async def bounded() -> Any:
        return await asyncio.wait_for(identity(), timeout)

    try:
        answer = asyncio.run(bounded())
    except TimeoutError:
        raise _fail(f"{address} did not answer within {timeout:g} s (something listens there, but not a Dask "
                    "scheduler that answers; is the address right?)") from None
    except OSError as e:
        raise _fail(f"cannot reach a Dask scheduler at {address}: {e}") from None
    except Exception as e:  # any protocol error from an unexpected server is one line
        raise _fail(f"{address} did not answer as a Dask scheduler ({type(e).__name__}: {e})") from None
    if not isinstance(answer, dict) or answer.get("type") != "Scheduler":
        kind = answer.get("type") if isinstance(answer, dict) else type(answer).__name__
        raise _fail(f"{address} is not a Dask scheduler (it says it is a {kind})")
    return answer


@contextlib.contextmanager
def dask_executor(scheduler: str | None = None, workers: int | None = None,
                  connect_timeout: float = CONNECT_SECONDS) -> Iterator[tuple[Any, Any]]:
    """A ``concurrent.futures`` executor on Dask distributed, and its client.

    With ``scheduler`` (an address checked by :func:`scheduler_address`) it
    joins that cluster after :func:`probe`; without, it starts a
    ``LocalCluster`` of ``workers`` single-threaded processes.  A task whose
    worker dies is run again elsewhere by the scheduler.
    """
    import dask
    from distributed import Client, LocalCluster

    cluster = None
    with dask.config.set({"distributed.comm.timeouts.connect": f"{connect_timeout}s"}):
        if scheduler:
            probe(scheduler, connect_timeout)
            try:
                client = Client(scheduler, timeout=f"{connect_timeout}s")
            except (OSError, TimeoutError) as e:
                raise _fail(f"cannot reach the Dask scheduler at {scheduler}: {e}") from None
        else:
            import logging

            cluster = LocalCluster(n_workers=workers or default_workers(), threads_per_worker=1, processes=True,
                                   dashboard_address=None, silence_logs=logging.ERROR)
            client = Client(cluster)
    try:
        yield client.get_executor(pure=False), client  # each run is submitted once: no need to hash its task
    finally:
        client.close()
        if cluster is not None:
            cluster.close()


def threads(client: Any) -> int | None:
    """Worker threads of the cluster now, or None if the scheduler cannot be asked."""
    try:
        return int(sum(client.nthreads().values()))
    except Exception:  # a scheduler gone quiet: the caller keeps its last figure
        return None


def dask_window(client: Any, per_thread: int = 2, when_empty: int = 4) -> Callable[[], int]:
    """How many runs to keep in flight on a Dask cluster: two per worker thread, refreshed every few seconds.

    With no worker yet, ``when_empty`` runs, so that an adaptive cluster sees work to scale up for.
    """
    state: dict[str, float] = {"at": 0.0, "n": when_empty}

    def window() -> int:
        now = time.monotonic()
        if now - state["at"] > 5:
            n = threads(client)
            if n is not None:
                state.update(n=per_thread * n if n else when_empty)
            state["at"] = now
        return int(state["n"])

    return window


class WorkerWatch:
    """Says once, after ``notice`` seconds without a result, that the scheduler has no workers (if so)."""

    def __init__(self, client: Any, address: str, echo: Callable[[str], None],
                 notice: float = NO_WORKER_NOTICE_SECONDS):
        self.client, self.address, self.echo, self.notice = client, address, echo, notice
        self.said = False

    def __call__(self, quiet_for: float) -> None:
        if self.said or quiet_for < self.notice:
            return
        if threads(self.client) == 0:
            self.said = True
            self.echo(f"scheduler has no workers; start some with `dask worker {self.address} --nthreads 1` "
                      "(the sweep waits for them; Ctrl-C stops it)")
