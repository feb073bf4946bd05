"""Dask addresses and schedulers: one clear line for anything wrong, and no wait without an end or a word."""

from __future__ import annotations

import contextlib
import os
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner

from govsim.cli import main
from govsim.errors import InputError
from govsim.experiments.dask_backend import probe, scheduler_address

from . import helpers
from .conftest import govsim_command, subprocess_env
from .test_resume import group_alive, stop_group

pytest.importorskip("distributed")

DASK = [str(Path(sys.executable).with_name("dask"))] if Path(sys.executable).with_name("dask").exists() else \
    [sys.executable, "-m", "dask"]


@contextlib.contextmanager
def silent_server() -> Iterator[str]:
    """A loopback TCP server that accepts connections and never says a word."""
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen(8)
    held: list[socket.socket] = []
    stop = threading.Event()

    def accept():
        server.settimeout(0.2)
        while not stop.is_set():
            with contextlib.suppress(OSError):
                held.append(server.accept()[0])

    thread = threading.Thread(target=accept, daemon=True)
    thread.start()
    try:
        yield f"tcp://127.0.0.1:{server.getsockname()[1]}"
    finally:
        stop.set()
        thread.join(5)
        for conn in held:
            conn.close()
        server.close()


@pytest.mark.parametrize("text, message", [
    ("garbage", "'garbage' is neither an address nor a file"),
    ("inproc://x", "inproc:// is Dask's in-process transport"),
    ("tls://127.0.0.1:8786", "a tls:// scheduler needs certificates"),
    ("ucx://127.0.0.1:8786", "ucx:// is not supported"),
    ("udp://127.0.0.1:8786", "unknown protocol 'udp'"),
    ("tcp://127.0.0.1:99999", "the port must be from 1 to 65535"),
    ("tcp://127.0.0.1", "neither an address nor a file"),
])
def test_bad_scheduler_addresses_are_one_line(text, message):
    with pytest.raises(InputError) as info:
        scheduler_address(text)
    assert message in str(info.value) and info.value.key == "--scheduler" and "\n" not in str(info.value)


@pytest.mark.parametrize("content, message", [
    ("this is not json", "is not a Dask scheduler file (not JSON"),
    ("{}", 'is not a Dask scheduler file (no "address" in it)'),
    ('{"address": 5}', 'no "address" in it'),
    ('{"address": "inproc://abc"}', "its address 'inproc://abc': inproc:// is Dask's in-process transport"),
])
def test_bad_scheduler_files_are_one_line(tmp_path, content, message):
    path = tmp_path / "scheduler.json"
    path.write_text(content)
    with pytest.raises(InputError) as info:
        scheduler_address(str(path))
    assert message in str(info.value)


def test_good_addresses_and_files(tmp_path):
    assert scheduler_address("tcp://127.0.0.1:8786") == "tcp://127.0.0.1:8786"
    assert scheduler_address("127.0.0.1:8786") == "tcp://127.0.0.1:8786"
    assert scheduler_address("tcp://[::1]:8786/") == "tcp://[::1]:8786"
    path = tmp_path / "scheduler.json"
    path.write_text('{"type": "Scheduler", "address": "tcp://127.0.0.1:9000"}')
    assert scheduler_address(str(path)) == "tcp://127.0.0.1:9000"


@pytest.mark.parametrize("argument", ["garbage", "inproc://x", "tls://127.0.0.1:1", "scheduler.json"])
def test_cli_refuses_bad_schedulers_in_one_line(tmp_path, small_file, argument):
    (tmp_path / "scheduler.json").write_text("{}")
    out = tmp_path / "out"
    result = CliRunner().invoke(main, ["sweep", str(small_file), "--scheduler", str(tmp_path / argument)
                                       if argument.endswith(".json") else argument, "--out", str(out)])
    assert result.exit_code == 2, result.output
    error = [line for line in result.output.splitlines() if line.startswith("govsim: error: --scheduler: ")]
    assert len(error) == 1 and "Traceback" not in result.output
    assert not out.exists()


@pytest.mark.slow
def test_a_server_that_accepts_but_never_answers_is_given_up_on_in_time():
    with silent_server() as address:
        start = time.monotonic()
        with pytest.raises(InputError, match=f"{address} did not answer within 1.5 s"):
            probe(address, timeout=1.5)
        assert time.monotonic() - start < 5


@pytest.mark.slow
def test_nothing_listening_is_reported_in_time():
    address = f"tcp://127.0.0.1:{helpers.free_port()}"
    start = time.monotonic()
    with pytest.raises(InputError, match=f"cannot reach a Dask scheduler at {address}|did not answer"):
        probe(address, timeout=1.5)
    assert time.monotonic() - start < 5


@pytest.mark.slow
def test_cli_with_a_silent_scheduler_ends_in_one_line(tmp_path, small_file):
    with silent_server() as address:
        start = time.monotonic()
        done = subprocess.run([*govsim_command(), "sweep", str(small_file), "--scheduler", address, "--out",
                               str(tmp_path / "out")], capture_output=True, text=True, env=subprocess_env(),
                              timeout=120, check=False)
        assert time.monotonic() - start < 60
    assert done.returncode == 2, done.stderr
    assert f"govsim: error: --scheduler: {address} did not answer within 10 s" in done.stderr
    assert "Traceback" not in done.stderr


@pytest.mark.slow
def test_a_scheduler_without_workers_is_reported_and_ctrl_c_ends_the_wait(tmp_path, small_file):
    port = str(helpers.free_port())
    address = f"tcp://127.0.0.1:{port}"
    scheduler = subprocess.Popen([*DASK, "scheduler", "--host", "127.0.0.1", "--port", port, "--no-dashboard"],
                                 env=subprocess_env(), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                                 start_new_session=True)
    sweep = None
    try:
        from distributed import Client

        assert helpers.wait_for(lambda: _answers(address, Client), timeout=60, interval=0.5)
        sweep = subprocess.Popen([*govsim_command(), "sweep", str(small_file), "--scheduler", address, "--out",
                                  str(tmp_path / "out")], env=subprocess_env(), stdout=subprocess.PIPE,
                                 stderr=subprocess.PIPE, text=True, start_new_session=True)
        lines: list[str] = []
        reader = threading.Thread(target=lambda: lines.extend(sweep.stderr), daemon=True)
        reader.start()
        assert helpers.wait_for(lambda: any("scheduler has no workers" in x for x in lines), timeout=90,
                                interval=0.2), lines
        notice = next(x for x in lines if "scheduler has no workers" in x)
        assert f"start some with `dask worker {address} --nthreads 1`" in notice
        os.killpg(sweep.pid, signal.SIGINT)
        assert sweep.wait(30) == 130
        assert helpers.wait_for(lambda: not group_alive(sweep.pid), timeout=15, interval=0.2)
    finally:
        if sweep is not None:
            stop_group(sweep)
        with contextlib.suppress(ProcessLookupError):
            os.killpg(scheduler.pid, signal.SIGTERM)
        with contextlib.suppress(subprocess.TimeoutExpired):
            scheduler.wait(10)
        stop_group(scheduler)


def _answers(address: str, client_class) -> bool:
    try:
        with client_class(address, timeout="2s"):
            return True
    except (OSError, TimeoutError):
        return False
