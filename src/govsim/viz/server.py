"""Serve the page: offline, to its own origin only, with capped sessions, stopped cleanly by Ctrl-C.

Offline: Solara's page template loads its JavaScript, CSS and fonts from a
CDN unless its *assets proxy* is on; then they are served from
``/_solara/cdn/`` out of a local cache, which the ``solara-assets`` package
fills at install time.  A file missing from that cache would be fetched by the
server from the CDN, so the CDN address is pointed at a closed local port: a
missing file fails at once instead of reaching the internet.  Production mode
drops the page's call home (an iframe to solara.dev) and the file watcher;
telemetry is switched off.  All of this is set in
:data:`SOLARA_ENVIRONMENT` before Solara is imported (it reads its settings
at import).

Safe: Solara's application sits behind :class:`~govsim.viz.origins.OriginGuard`
(requests must be addressed to this server by its own pages) and
:class:`~govsim.viz.sessions.ConnectionTracker` (a tab's model pauses when its
connection goes); Solara closes a tab's kernel :data:`~govsim.viz.sessions.GRACE_S`
seconds after its connection is lost, instead of its default 24 hours.

Stopped: uvicorn shuts down on the first Ctrl-C, waiting at most
:data:`SHUTDOWN_S` seconds for open websockets; every session is then closed,
so no play loop outlives the server.  A second Ctrl-C, at any point, ends the
process at once, without a traceback.  uvicorn runs on a socket bound here, so
``--port 0`` picks a free port and the printed address is the real one.
"""

from __future__ import annotations

import errno
import ipaddress
import os
import signal
import socket
import sys
import threading
import time
import warnings
from collections.abc import Callable
from pathlib import Path

from govsim.errors import InputError
from govsim.viz import INSTALL_HINT
from govsim.viz.sessions import GRACE_S, SESSIONS, ConnectionTracker, Limits

LOOPBACK = "127.0.0.1"
DEFAULT_PORT = 8765

OFFLINE_CDN = "http://127.0.0.1:9/no-cdn-offline/"
"""Where a file missing from the local asset cache would be fetched from: a closed port on this machine."""

SOLARA_ENVIRONMENT = {
    "SOLARA_APP": "govsim.viz.app:Page",
    "SOLARA_MODE": "production",
    "SOLARA_ASSETS_PROXY": "True",
    "SOLARA_ASSETS_CDN": OFFLINE_CDN,
    "SOLARA_TELEMETRY_MIXPANEL_ENABLE": "False",
    "SOLARA_THEME_LOADER": "plain",
    "SOLARA_THEME_TITLE": "govsim",
    "SOLARA_THEME_SHOW_BANNER": "False",
    "SOLARA_KERNEL_CULL_TIMEOUT": f"{GRACE_S}s",
}

REQUIRED_ASSETS = ("@widgetti", "requirejs@2.3.6/require.js", "echarts@5.4.0/dist/echarts.min.js")
"""Files of the local asset cache the page cannot do without (Solara's app, its loader, ECharts)."""

SHUTDOWN_S = 3
"""Seconds uvicorn waits for open connections on Ctrl-C before closing them."""

PING_S = 10.0
"""Websocket ping interval and timeout: a tab whose machine vanished (no TCP close) is noticed within 2x this."""

THREADS_S = 5.0
"""Seconds the last step of a play loop may take to finish once its session is closed, before exit."""


def is_loopback(host: str) -> bool:
    """Whether ``host`` is only reachable from this machine (127.0.0.0/8, ::1, localhost)."""
    if host.lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        pass
    try:
        infos = socket.getaddrinfo(host, None)
    except socket.gaierror:
        return False
    return bool(infos) and all(ipaddress.ip_address(info[4][0]).is_loopback for info in infos)


def bind(host: str, port: int) -> socket.socket:
    """A listening TCP socket on ``host:port`` (port 0: a free one), or an InputError naming the option at fault."""
    try:
        family, kind, proto, _, address = socket.getaddrinfo(
            host, port, type=socket.SOCK_STREAM, flags=socket.AI_PASSIVE)[0]
    except (socket.gaierror, UnicodeError) as e:
        reason = e.strerror if isinstance(e, socket.gaierror) else str(e)
        raise InputError(f"cannot resolve this host: {reason}", source="--host", key=host) from None
    sock = socket.socket(family, kind, proto)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        sock.bind(address)
        sock.listen(128)
    except OSError as e:
        sock.close()
        if e.errno in (errno.EADDRINUSE, errno.EACCES):
            why = "in use" if e.errno == errno.EADDRINUSE else "not allowed for this user (ports below 1024)"
            raise InputError(f"cannot listen on port {port}: {why}", source="--port", key=str(port)) from None
        raise InputError(f"cannot listen on {host}: {e.strerror} (not an address of this machine?)",
                         source="--host", key=host) from None
    sock.set_inheritable(True)
    return sock


def url_of(sock: socket.socket) -> str:
    host, port = sock.getsockname()[:2]
    if ":" in host:
        host = f"[{host}]"
    return f"http://{host}:{port}/"


def configure(scenario: str | None = None, limits: Limits | None = None) -> None:
    """Set Solara's settings for offline serving and tell the page its starting scenario.

    Solara's own cap on kernels connected at once is set well above the session
    cap: a tab over the session cap still connects, to show that the server is
    full; Solara's cap only bounds the threads a client that ignores the page can make.
    """
    os.environ.update(SOLARA_ENVIRONMENT)
    os.environ["SOLARA_KERNEL_MAX_COUNT"] = str(2 * (limits or Limits()).max_sessions + 4)
    if scenario:
        os.environ["GOVSIM_VIZ_SCENARIO"] = scenario
    else:
        os.environ.pop("GOVSIM_VIZ_SCENARIO", None)


def check_assets() -> Path:
    """The local asset cache, or InputError saying how to install it."""
    from solara.server import settings

    cache = Path(settings.assets.proxy_cache_dir)
    missing = [p for p in REQUIRED_ASSETS if not (cache / p).exists()]
    if missing:
        raise InputError(f"the page's scripts are not installed here ({', '.join(missing)} missing); "
                         f"{INSTALL_HINT}", source=str(cache))
    return cache


def check_presets(scenario: str | None, echo: Callable[[str], None]) -> str | None:
    """The starting scenario as a path the server can find; warns of scenario files the page leaves out.

    Raises:
        InputError: the starting scenario is wrong (a broken file of the folder is only left out).
    """
    from govsim.viz.controls import load_presets

    if scenario and Path(scenario).exists():
        scenario = str(Path(scenario).resolve())  # the server may run from another directory
    presets = load_presets(scenario)  # raises InputError naming the file and key
    for line in presets.left_out:
        echo(f"govsim: warning: left out of the page's presets: {line}")
    return scenario


def build_app(host: str, sock: socket.socket, echo: Callable[[str], None]):
    """Solara's application behind the origin guard and the connection tracker."""
    from solara.server.starlette import app as solara_app

    from govsim.viz.origins import OriginGuard, OriginPolicy

    listen, port = sock.getsockname()[:2]
    policy = OriginPolicy.for_server(host, listen, port)
    return OriginGuard(ConnectionTracker(solara_app, SESSIONS), policy, on_refusal=lambda line: echo(f"govsim: {line}"))


def run_page_server(scenario: str | None = None, host: str = LOOPBACK, port: int = DEFAULT_PORT,
                    limits: Limits | None = None, echo: Callable[[str], None] = print) -> int:
    """Serve the page until Ctrl-C (or SIGTERM); the number of threads still busy after it stopped.

    Args:
        scenario: the scenario (a name in the scenario directory or a file) the
            page starts with; checked before the server starts.
        host: the address to listen on; 127.0.0.1 unless named explicitly.
        port: the port (0: any free port).
        limits: sessions at once and residents per community (defaults: :class:`Limits`).
        echo: where to print the address, warnings and session events.

    Returns:
        How many threads (play loops finishing a step) were still running :data:`THREADS_S`
        seconds after the sessions were closed: a command line ends the process regardless.

    Raises:
        InputError: a bad scenario, an unusable host or port, or the viz extra missing.
    """
    limits = limits or Limits()
    scenario = check_presets(scenario, echo)
    configure(scenario, limits)
    try:
        import uvicorn

        check_assets()
    except ImportError as e:
        raise InputError(f"{INSTALL_HINT} ({e.name} is missing)") from None
    sock = bind(host, port)
    SESSIONS.configure(limits, echo)
    url = url_of(sock)
    actual_port = sock.getsockname()[1]
    echo(f"govsim: serving the page at {url}  (Ctrl-C to stop; at most {limits.max_sessions} sessions of "
         f"up to {limits.max_residents:,} residents)")
    if not is_loopback(host):
        echo(f"govsim: warning: listening on {host}, not on loopback: other machines on this network can open "
             f"the page, e.g. at http://{socket.gethostname()}:{actual_port}/ "
             f"(on this machine: http://{LOOPBACK}:{actual_port}/)")
    # Solara warns on every page load over plain http on an address other than "localhost";
    # a classroom server on 127.0.0.1 or a LAN address is exactly that, and the fallback it names is fine.
    warnings.filterwarnings("ignore", message="Cookies with samesite=none require https", category=UserWarning)
    config = uvicorn.Config(build_app(host, sock, echo), log_level="warning", access_log=False, lifespan="on",
                            ws_ping_interval=PING_S, ws_ping_timeout=PING_S, timeout_graceful_shutdown=SHUTDOWN_S)
    server = _server_class()(config)
    in_main_thread = threading.current_thread() is threading.main_thread()
    previous = signal.getsignal(signal.SIGINT)
    try:
        server.run(sockets=[sock])
    except KeyboardInterrupt:
        pass  # uvicorn re-raises the Ctrl-C it handled, once it has shut down
    finally:
        if in_main_thread:  # a further Ctrl-C while the sessions close: leave at once, without a traceback
            signal.signal(signal.SIGINT, _exit_now)
        sock.close()
        SESSIONS.close_all()
        busy = _join_threads(THREADS_S)
        if in_main_thread:
            signal.signal(signal.SIGINT, previous)
    echo("govsim: stopped" + (f" ({busy} thread(s) still busy)" if busy else ""))
    return busy


def _exit_now(signum, frame) -> None:
    sys.stdout.flush()
    os._exit(128 + signum)


def _server_class() -> type:
    """uvicorn's server, but a second Ctrl-C ends the process at once.

    uvicorn's own answer to a second Ctrl-C is to skip the rest of its shutdown,
    which leaves the application's lifespan task to be cancelled by asyncio and
    logged as an error with two tracebacks.  Nothing here needs saving, so the
    second press simply ends the process.
    """
    import uvicorn

    class PageServer(uvicorn.Server):
        def handle_exit(self, sig: int, frame) -> None:
            if self.should_exit and sig == signal.SIGINT:
                _exit_now(sig, frame)
            super().handle_exit(sig, frame)

    return PageServer


def _join_threads(timeout: float) -> int:
    """Wait up to ``timeout`` s for the threads that would keep the process alive (play loops finishing
    a step); how many are still running."""
    deadline = time.monotonic() + timeout
    others = [t for t in threading.enumerate() if t is not threading.current_thread() and not t.daemon]
    for thread in others:
        thread.join(max(0.0, deadline - time.monotonic()))
    return sum(t.is_alive() for t in others)
