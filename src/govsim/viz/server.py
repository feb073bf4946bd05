"""Serve the page with Solara, offline: every script, stylesheet and font from this machine.

Solara's page template loads its JavaScript, CSS and fonts from a CDN unless
its *assets proxy* is on; then they are served from ``/_solara/cdn/`` out of a
local cache, which the ``solara-assets`` package fills at install time.  A file
missing from that cache would be fetched by the server from the CDN, so the
CDN address is pointed at a closed local port: a missing file fails at once
instead of reaching the internet.  Production mode drops the page's call home
(an iframe to solara.dev) and the file watcher; telemetry is switched off.

All of this is set in :data:`SOLARA_ENVIRONMENT` before Solara is imported
(its settings are read at import), and uvicorn is started on a socket bound
here, so ``--port 0`` picks a free port and the printed address is the real one.
"""

from __future__ import annotations

import ipaddress
import os
import socket
import warnings
from collections.abc import Callable
from pathlib import Path

from govsim.errors import InputError
from govsim.viz import INSTALL_HINT

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
}

REQUIRED_ASSETS = ("@widgetti", "requirejs@2.3.6/require.js", "echarts@5.4.0/dist/echarts.min.js")
"""Files of the local asset cache the page cannot do without (Solara's app, its loader, ECharts)."""


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
    """A listening TCP socket on ``host:port`` (port 0: a free one), or InputError."""
    try:
        family, kind, proto, _, address = socket.getaddrinfo(
            host, port, type=socket.SOCK_STREAM, flags=socket.AI_PASSIVE)[0]
    except socket.gaierror as e:
        raise InputError(f"cannot resolve this host: {e.strerror}", source="--host", key=host) from None
    sock = socket.socket(family, kind, proto)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        sock.bind(address)
        sock.listen(128)
    except OSError as e:
        sock.close()
        raise InputError(f"cannot listen on {host}:{port}: {e.strerror}", source="--port", key=str(port)) from None
    sock.set_inheritable(True)
    return sock


def url_of(sock: socket.socket) -> str:
    host, port = sock.getsockname()[:2]
    if ":" in host:
        host = f"[{host}]"
    return f"http://{host}:{port}/"


def configure(scenario: str | None = None) -> None:
    """Set Solara's settings for offline serving and tell the page its starting scenario."""
    os.environ.update(SOLARA_ENVIRONMENT)
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


def serve(scenario: str | None = None, host: str = LOOPBACK, port: int = DEFAULT_PORT,
          echo: Callable[[str], None] = print) -> None:
    """Serve the page until interrupted.

    Args:
        scenario: the scenario (a name in the scenario directory or a file) the
            page starts with; checked before the server starts.
        host: the address to listen on; 127.0.0.1 unless named explicitly.
        port: the port (0: any free port).
        echo: where to print the address and warnings.

    Raises:
        InputError: a bad scenario, a port in use, or the viz extra missing.
    """
    if scenario:
        from govsim.viz.controls import load_presets

        path = Path(scenario)
        if path.exists():
            scenario = str(path.resolve())  # the server may run from another directory
        load_presets(scenario)  # raises InputError naming the file and key
    configure(scenario)
    try:
        import uvicorn

        check_assets()
    except ImportError as e:
        raise InputError(f"{INSTALL_HINT} ({e.name} is missing)") from None
    sock = bind(host, port)
    url = url_of(sock)
    actual_port = sock.getsockname()[1]
    echo(f"govsim: serving the page at {url}  (Ctrl-C to stop)")
    if not is_loopback(host):
        echo(f"govsim: warning: listening on {host}, not on loopback: other machines on this network can open "
             f"the page, e.g. at http://{socket.gethostname()}:{actual_port}/ "
             f"(on this machine: http://{LOOPBACK}:{actual_port}/)")
    # Solara warns on every page load over plain http on an address other than "localhost";
    # a classroom server on 127.0.0.1 or a LAN address is exactly that, and the fallback it names is fine.
    warnings.filterwarnings("ignore", message="Cookies with samesite=none require https", category=UserWarning)
    config = uvicorn.Config("solara.server.starlette:app", log_level="warning", access_log=False)
    server = uvicorn.Server(config)
    try:
        server.run(sockets=[sock])
    finally:
        sock.close()
