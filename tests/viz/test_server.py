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
    assert "--max-sessions" in result.output and "--max-residents" in result.output


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
    assert result.exit_code == 2 and "cannot listen on port" in result.output and "--port" in result.output


def test_without_the_viz_extra_serve_says_how_to_install_it(monkeypatch):
    real = importlib.util.find_spec
    monkeypatch.setattr(importlib.util, "find_spec", lambda name, *a: None if name == "solara" else real(name, *a))
    result = CliRunner().invoke(main, ["serve"])
    assert result.exit_code == 2 and "scripts/setup.sh" in result.output


def _serve_without_running(monkeypatch, host, tmp_path=None, **kw):
    """Run run_page_server() with uvicorn's loop replaced by an immediate return; the socket stays on loopback."""
    import uvicorn

    lines = []
    monkeypatch.setattr(uvicorn.Server, "run", lambda self, sockets=None: None)
    real_bind = server.bind
    monkeypatch.setattr(server, "bind", lambda h, p: real_bind("127.0.0.1", 0))
    busy = server.run_page_server(None, host=host, port=0, echo=lines.append, **kw)
    return lines, busy


def test_serve_prints_its_address_and_limits_and_warns_off_loopback(monkeypatch, environ):
    lines, busy = _serve_without_running(monkeypatch, "127.0.0.1")
    assert busy == 0 and "http://127.0.0.1:" in lines[0] and "at most 20 sessions" in lines[0]
    assert lines[-1] == "govsim: stopped"
    lines, _ = _serve_without_running(monkeypatch, "0.0.0.0")
    assert "warning" in lines[1] and "not on loopback" in lines[1]


def test_solara_closes_a_lost_tabs_kernel_within_a_minute_and_bounds_its_threads(environ):
    server.configure(None, server.Limits(max_sessions=3))
    assert os.environ["SOLARA_KERNEL_CULL_TIMEOUT"] == "30s"  # Solara's own default is 24 hours
    assert int(os.environ["SOLARA_KERNEL_MAX_COUNT"]) > 3  # above the session cap: a tab over it still hears why


@pytest.mark.parametrize("host", ["8.8.8.8", "no-such-host.invalid", "bad host name"])
def test_an_unusable_host_is_reported_as_the_host(host, environ):
    result = CliRunner().invoke(main, ["serve", "--host", host, "--port", "0"])
    assert result.exit_code == 2 and result.output.count("\n") == 1
    assert "--host" in result.output and "--port" not in result.output and host in result.output


def test_a_broken_scenario_file_is_named_at_start_and_the_rest_still_served(monkeypatch, environ, tmp_path):
    (tmp_path / "guiyang_2012.toml").write_text('description = "ok"\n')
    (tmp_path / "draft.toml").write_text("[centre\n")
    monkeypatch.setenv("GOVSIM_SCENARIOS", str(tmp_path))
    lines, _ = _serve_without_running(monkeypatch, "127.0.0.1")
    assert lines[0].startswith("govsim: warning: left out of the page's presets:") and "draft.toml" in lines[0]
    assert "serving the page at" in lines[1]
