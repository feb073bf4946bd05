"""``govsim serve``: its options, its errors and the offline settings, without a browser."""

from __future__ import annotations

import importlib.util
import os
import socket

import pytest
from click.testing import CliRunner

from govsim.cli import main
from govsim.errors import InputError
from govsim.viz import server


@pytest.fixture
def environ():
    """Restore os.environ after a test that lets the server configure Solara."""
    saved = dict(os.environ)
    yield
    os.environ.clear()
    os.environ.update(saved)


@pytest.mark.parametrize("host, loopback", [("127.0.0.1", True), ("localhost", True), ("::1", True),
                                            ("127.0.0.2", True), ("0.0.0.0", False), ("192.168.1.20", False),
                                            ("no-such-host.invalid", False)])
def test_loopback_hosts(host, loopback):
    assert server.is_loopback(host) is loopback


def test_port_zero_binds_a_free_loopback_port_and_a_taken_one_is_an_input_error():
    sock = server.bind("127.0.0.1", 0)
    try:
        port = sock.getsockname()[1]
        assert port > 0 and server.url_of(sock) == f"http://127.0.0.1:{port}/"
        with pytest.raises(InputError, match="cannot listen"):
            other = server.bind("127.0.0.1", port)
            other.close()  # pragma: no cover (only if the OS shares the port)
    finally:
        sock.close()


def test_solara_is_set_to_serve_every_asset_itself(environ):
    server.configure("guiyang_2012")
    assert os.environ["SOLARA_ASSETS_PROXY"] == "True"
    assert os.environ["SOLARA_MODE"] == "production"  # no call home to solara.dev
    assert os.environ["SOLARA_TELEMETRY_MIXPANEL_ENABLE"] == "False"
    assert server.is_loopback(os.environ["SOLARA_ASSETS_CDN"].split("/")[2].split(":")[0])
    assert os.environ["GOVSIM_VIZ_SCENARIO"] == "guiyang_2012"
    server.configure(None)
    assert "GOVSIM_VIZ_SCENARIO" not in os.environ


def test_the_local_asset_cache_has_what_the_page_loads():
    cache = server.check_assets()
    for path in server.REQUIRED_ASSETS:
        assert (cache / path).exists()


def test_help_lists_serve_and_its_options():
    result = CliRunner().invoke(main, ["--help"])
    assert result.exit_code == 0 and "serve" in result.output
    result = CliRunner().invoke(main, ["serve", "--help"])
    assert result.exit_code == 0 and "--port" in result.output and "127.0.0.1" in result.output


def test_a_bad_scenario_is_one_line_and_exit_status_2(environ):
    result = CliRunner().invoke(main, ["serve", "no_such_scenario", "--port", "0"])
    assert result.exit_code == 2
    assert result.output.startswith("govsim: error: ") and result.output.count("\n") == 1
    assert "no_such_scenario" in result.output


def test_a_taken_port_is_one_line_and_exit_status_2(environ):
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen(1)
        port = taken.getsockname()[1]
        result = CliRunner().invoke(main, ["serve", "--port", str(port)])
    assert result.exit_code == 2 and "cannot listen" in result.output


def test_without_the_viz_extra_serve_says_how_to_install_it(monkeypatch):
    real = importlib.util.find_spec
    monkeypatch.setattr(importlib.util, "find_spec", lambda name, *a: None if name == "solara" else real(name, *a))
    result = CliRunner().invoke(main, ["serve"])
    assert result.exit_code == 2 and 'pip install "govsim[viz]"' in result.output


def _serve_without_running(monkeypatch, host):
    """Run serve() up to the point where uvicorn would take over; the socket stays on loopback."""
    import uvicorn

    lines = []
    monkeypatch.setattr(uvicorn.Server, "run", lambda self, sockets=None: None)
    monkeypatch.setattr(server, "bind", lambda h, p: server.__dict__["_real_bind"]("127.0.0.1", 0))
    server.serve(None, host=host, port=0, echo=lines.append)
    return lines


server._real_bind = server.bind


def test_serve_prints_its_address_and_warns_off_loopback(monkeypatch, environ):
    lines = _serve_without_running(monkeypatch, "127.0.0.1")
    assert len(lines) == 1 and "http://127.0.0.1:" in lines[0]
    lines = _serve_without_running(monkeypatch, "0.0.0.0")
    assert len(lines) == 2 and "warning" in lines[1] and "not on loopback" in lines[1]
