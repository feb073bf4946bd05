"""Only this server's own pages may use it: the origin policy, and a real server refusing a foreign origin."""

from __future__ import annotations

import asyncio
import http.client
import socket

import pytest
from websockets.exceptions import InvalidStatus
from websockets.sync.client import connect

from govsim.viz.origins import OriginGuard, OriginPolicy, is_address_of_this_machine, split_authority

from .serving import Server

LOOPBACK = OriginPolicy.for_server("127.0.0.1", "127.0.0.1", 8765)


@pytest.mark.parametrize("origin, allowed", [
    ("http://127.0.0.1:8765", True),
    ("http://localhost:8765", True),
    ("https://127.0.0.1:8765", True),
    ("http://127.0.0.1:8766", False),  # another server on this machine is another origin
    ("http://127.0.0.2:8765", False),  # not the address listened on
    ("http://evil.example:8765", False),  # a name that may resolve to 127.0.0.1 (DNS rebinding)
    ("http://127.0.0.1.evil.example:8765", False),
    ("http://127.0.0.1", False),
    ("null", False),
    ("http://127.0.0.1:8765/path", False),
    ("", False),
])
def test_a_loopback_server_allows_only_its_own_origin(origin, allowed):
    assert LOOPBACK.allows_origin(origin) is allowed


@pytest.mark.parametrize("host, allowed", [
    ("127.0.0.1:8765", True), ("localhost:8765", True), ("LOCALHOST:8765", True), ("localhost.:8765", True),
    ("127.0.0.1", False), ("evil.example:8765", False), ("[::1]:8765", False), ("127.0.0.1:x", False), ("", False),
])
def test_a_loopback_server_answers_only_to_its_own_host_header(host, allowed):
    assert LOOPBACK.allows_authority(host) is allowed


def test_a_named_host_and_a_default_port_are_allowed():
    policy = OriginPolicy.for_server("teacher.school.lan", "192.168.1.20", 80)
    assert policy.allows_origin("http://teacher.school.lan") and policy.allows_origin("http://192.168.1.20:80")
    assert not policy.allows_origin("http://localhost") and not policy.allows_origin("http://other.school.lan")
    v6 = OriginPolicy.for_server("::1", "::1", 8765)
    assert v6.allows_origin("http://[::1]:8765") and v6.allows_origin("http://localhost:8765")
    assert split_authority("[::1]:80", 80) == ("::1", 80) and split_authority("a:b", 80) is None


def test_a_server_on_every_address_allows_this_machines_addresses_and_names_only():
    policy = OriginPolicy.for_server("0.0.0.0", "0.0.0.0", 8765)
    assert policy.allows_origin("http://127.0.0.1:8765") and policy.allows_origin("http://localhost:8765")
    assert policy.allows_origin(f"http://{socket.gethostname()}:8765")
    assert not policy.allows_origin("http://8.8.8.8:8765")  # another machine's page
    assert not policy.allows_origin("http://evil.example:8765")
    assert is_address_of_this_machine("127.0.0.1") and not is_address_of_this_machine("8.8.8.8")


def _call(guard, scope, messages):
    sent = []

    async def receive():
        return messages.pop(0)

    async def send(message):
        sent.append(message)

    asyncio.run(guard(scope, receive, send))
    return sent


def test_the_guard_closes_a_foreign_websocket_before_the_handshake_and_passes_its_own():
    reached = []

    async def app(scope, receive, send):
        reached.append(scope.get("path", scope["type"]))

    refusals = []
    guard = OriginGuard(app, LOOPBACK, on_refusal=refusals.append)
    headers = [(b"host", b"127.0.0.1:8765"), (b"origin", b"http://evil.example")]
    scope = {"type": "websocket", "path": "/jupyter/api/kernels/k/channels", "headers": headers}
    sent = _call(guard, scope, [{"type": "websocket.connect"}])
    assert sent == [{"type": "websocket.close", "code": 1008}] and not reached
    assert "foreign origin" in refusals[0]
    sent = _call(guard, {"type": "http", "path": "/_solara/api/close/k", "headers": headers}, [])
    assert sent[0]["status"] == 403 and not reached
    own = [(b"host", b"127.0.0.1:8765"), (b"origin", b"http://127.0.0.1:8765")]
    _call(guard, {**scope, "headers": own}, [])
    _call(guard, {"type": "http", "path": "/", "headers": own[:1]}, [])  # a navigation sends no Origin
    _call(guard, {"type": "lifespan"}, [])
    assert reached == ["/jupyter/api/kernels/k/channels", "/", "lifespan"] and len(refusals) == 2


@pytest.fixture(scope="module")
def server():
    with Server() as s:
        yield s


def _ws_url(server, kernel="test-kernel"):
    return f"ws://127.0.0.1:{server.port}/jupyter/api/kernels/{kernel}/channels?session_id=test-page"


@pytest.mark.slow
def test_a_real_server_refuses_a_websocket_from_a_foreign_origin(server):
    with pytest.raises(InvalidStatus) as refused:
        connect(_ws_url(server), origin="http://evil.example", open_timeout=20)
    assert refused.value.response.status_code == 403
    assert "foreign origin 'http://evil.example'" in server.wait_for_line("refused a websocket", 10).string
    # The same request from the server's own origin gets its websocket.
    with connect(_ws_url(server, "own-kernel"), origin=f"http://127.0.0.1:{server.port}", open_timeout=20) as ws:
        assert ws.protocol.state.name == "OPEN"


def test_a_real_server_refuses_requests_to_another_host_name_or_from_another_origin(server):
    def request(method, path, headers):
        conn = http.client.HTTPConnection("127.0.0.1", server.port, timeout=20)
        conn.request(method, path, headers=headers)
        response = conn.getresponse()
        body = response.read().decode()
        conn.close()
        return response.status, body

    status, body = request("GET", "/", {"Host": f"evil.example:{server.port}"})  # DNS rebinding
    assert status == 403 and "unknown host" in body
    status, body = request("POST", "/_solara/api/close/k?session_id=p",
                           {"Host": f"127.0.0.1:{server.port}", "Origin": "http://evil.example"})
    assert status == 403 and "foreign origin" in body
    status, _ = request("GET", "/", {"Host": f"localhost:{server.port}"})
    assert status == 200
