"""Who may talk to the classroom server: its own addresses only.

Binding to 127.0.0.1 keeps other machines out, but not other web sites: any
page the teacher's browser opens may try ``ws://127.0.0.1:8765/...`` (a
cross-site websocket, which browsers allow and label with the page's
``Origin``), or reach this server under a name of its own that resolves to
127.0.0.1 (DNS rebinding, where ``Origin`` and ``Host`` agree but name the
attacker).  So every request must name this server, in ``Host`` and, when the
browser sends one, in ``Origin``:

* a name the teacher gave with ``--host``, or ``localhost`` when the server
  listens on loopback or on every address (browsers resolve ``localhost`` to
  loopback themselves);
* an IP address the server listens on; when it listens on every address
  (``0.0.0.0`` or ``::``), any address of this machine, and its host name;
* with the port the server listens on.

Any other name is refused, however it resolves, because a name's owner can
point it anywhere.  A request without ``Origin`` (a browser's own navigation,
or a program that is not a browser) is judged by its ``Host`` alone, as
Jupyter's server does.  Refused websockets are closed before the handshake
(the client sees HTTP 403); refused HTTP requests get 403 with one line.
"""

from __future__ import annotations

import functools
import ipaddress
import socket
from collections.abc import Awaitable, Callable, Iterable, MutableMapping
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]

WILDCARDS = ("0.0.0.0", "::")  # noqa: S104 (compared with, not bound to)


def _ip(host: str) -> ipaddress.IPv4Address | ipaddress.IPv6Address | None:
    try:
        return ipaddress.ip_address(host.strip("[]"))
    except ValueError:
        return None


@functools.lru_cache(maxsize=256)
def is_address_of_this_machine(address: str) -> bool:
    """Whether ``address`` (an IP literal) is one of this machine's: only then can a socket bind to it."""
    ip = _ip(address)
    if ip is None:
        return False
    family = socket.AF_INET6 if ip.version == 6 else socket.AF_INET
    with socket.socket(family, socket.SOCK_DGRAM) as probe:
        try:
            probe.bind((str(ip), 0))
        except OSError:
            return False
    return True


def split_authority(authority: str, default_port: int) -> tuple[str, int] | None:
    """``"host:port"`` (or ``"[v6]:port"``, or a host alone) as (lower-case host, port); None if malformed."""
    try:
        parts = urlsplit("//" + authority.strip())
        host, port = parts.hostname, parts.port
    except ValueError:
        return None
    if not host:
        return None
    return host.lower(), (port if port is not None else default_port)


@dataclass(frozen=True)
class OriginPolicy:
    """The names and port this server answers to.

    Attributes:
        port: the port it listens on.
        listen: the address it listens on (an IP literal, possibly a wildcard).
        names: host names the teacher vouched for (``--host``), lower case.
    """

    port: int
    listen: str
    names: frozenset[str] = frozenset()

    @classmethod
    def for_server(cls, host: str, listen: str, port: int) -> OriginPolicy:
        """The policy of a server started with ``--host host`` that listens on ``listen:port``."""
        names = set()
        if _ip(host) is None:
            names.add(host.lower().rstrip("."))
        listen_ip = _ip(listen)
        if listen in WILDCARDS or (listen_ip is not None and listen_ip.is_loopback):
            names.add("localhost")
        if listen in WILDCARDS:
            names.update(n.lower().rstrip(".") for n in _own_names())
        return cls(port=port, listen=listen, names=frozenset(names))

    def allows_host(self, host: str) -> bool:
        """Whether ``host`` (a name or IP literal, without port) names this server."""
        host = host.lower().rstrip(".")
        if host in self.names:
            return True
        ip = _ip(host)
        if ip is None:
            return False
        if self.listen in WILDCARDS:
            wildcard_family = 6 if self.listen == "::" else 4
            # An IPv6 wildcard socket also takes IPv4 (dual stack, Linux's default).
            return (ip.version == wildcard_family or wildcard_family == 6) and is_address_of_this_machine(str(ip))
        return ip == _ip(self.listen)

    def allows_authority(self, authority: str, default_port: int = 80) -> bool:
        """Whether a ``Host`` header's value names this server and its port."""
        parsed = split_authority(authority, default_port)
        return parsed is not None and parsed[1] == self.port and self.allows_host(parsed[0])

    def allows_origin(self, origin: str) -> bool:
        """Whether an ``Origin`` header's value is a page served by this server."""
        try:
            parts = urlsplit(origin.strip())
        except ValueError:
            return False
        if parts.scheme not in ("http", "https") or parts.path not in ("", "/") or parts.query:
            return False
        return self.allows_authority(parts.netloc, default_port=443 if parts.scheme == "https" else 80)

    def refusal(self, scope: Scope) -> str | None:
        """Why a request must be refused, or None to let it through."""
        headers = _headers(scope)
        host = headers.get("host")
        if host is None or not self.allows_authority(host):
            return f"unknown host {host!r}"
        origin = headers.get("origin")
        if origin is not None and not self.allows_origin(origin):
            return f"foreign origin {origin!r}"
        return None


def _own_names() -> Iterable[str]:
    """This machine's host names (as a pupil's machine on the school network may call it)."""
    name = socket.gethostname()
    yield name
    yield f"{name}.local"  # mDNS, as macOS and many Linux desktops announce themselves
    yield socket.getfqdn()


def _headers(scope: Scope) -> dict[str, str]:
    """The request's headers, lower-case names; the first of a repeated header."""
    out: dict[str, str] = {}
    for name, value in scope.get("headers", []):
        out.setdefault(name.decode("latin-1").lower(), value.decode("latin-1"))
    return out


class OriginGuard:
    """ASGI middleware that refuses requests and websockets not addressed to this server by its own pages.

    Args:
        app: the application behind it (Solara's).
        policy: what this server answers to.
        on_refusal: called with a one-line reason for each refusal (e.g. to print it).
    """

    def __init__(self, app: ASGIApp, policy: OriginPolicy, on_refusal: Callable[[str], None] | None = None):
        self.app = app
        self.policy = policy
        self.on_refusal = on_refusal

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] not in ("http", "websocket"):
            await self.app(scope, receive, send)
            return
        reason = self.policy.refusal(scope)
        if reason is None:
            await self.app(scope, receive, send)
            return
        if self.on_refusal is not None:
            self.on_refusal(f"refused a {'websocket' if scope['type'] == 'websocket' else 'request'} "
                            f"for {scope.get('path', '?')}: {reason}")
        if scope["type"] == "websocket":
            message = await receive()
            if message["type"] == "websocket.connect":
                await send({"type": "websocket.close", "code": 1008})  # before accept: HTTP 403
            return
        body = f"govsim: refused: {reason}\n".encode()
        await send({"type": "http.response.start", "status": 403,
                    "headers": [(b"content-type", b"text/plain; charset=utf-8"),
                                (b"content-length", str(len(body)).encode())]})
        await send({"type": "http.response.body", "body": body})
