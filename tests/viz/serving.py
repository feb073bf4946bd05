"""``govsim serve`` as a real process on 127.0.0.1, for the tests that need one.

Every wait here is for a condition with a deadline: a line printed by the
server, a port that answers, a process that ends.
"""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import threading
import time
import urllib.request
from pathlib import Path
from urllib.parse import urlparse

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = os.environ.get("GOVSIM_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--disable-dev-shm-usage"]


def govsim_command() -> list[str]:
    script = Path(sys.executable).with_name("govsim")
    if script.exists():
        return [str(script)]
    return [sys.executable, "-c", "from govsim.cli import main; main()"]  # pragma: no cover


def wait_until(condition, timeout: float, what: str, poll: float = 0.05):
    """Poll ``condition`` until it returns something true (returned) or ``timeout`` seconds pass (AssertionError)."""
    deadline = time.monotonic() + timeout
    while True:
        value = condition()
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out after {timeout} s waiting for {what}")
        time.sleep(poll)


class Server:
    """A running ``govsim serve`` with everything it printed."""

    def __init__(self, *args: str, scenarios: Path | None = None, env: dict | None = None):
        env = {**os.environ, "GOVSIM_SCENARIOS": str(scenarios or ROOT / "scenarios"), "PYTHONUNBUFFERED": "1",
               **(env or {})}
        env.pop("GOVSIM_VIZ_SCENARIO", None)
        self.proc = subprocess.Popen([*govsim_command(), "serve", "--port", "0", *args], cwd=ROOT, env=env,
                                     stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        self.lines: list[str] = []
        self._reader = threading.Thread(target=lambda: self.lines.extend(self.proc.stdout), daemon=True)
        self._reader.start()
        self.url = ""

    @property
    def output(self) -> str:
        return "".join(self.lines)

    def page_errors(self) -> list[str]:
        """Lines that say the page broke: a traceback, or a page Solara could not load."""
        return [line for line in self.lines if "Traceback" in line or "Could not load URL" in line]

    def start(self, timeout: float = 60) -> Server:
        """Wait until the server prints its address and answers on it."""
        found = wait_until(lambda: re.search(r"serving the page at (http://\S+)", self.output)
                           or self.proc.poll() is not None, timeout, "govsim serve to start")
        assert found is not True and self.proc.poll() is None, f"govsim serve did not start: {self.output}"
        self.url = found.group(1)
        assert urlparse(self.url).hostname == "127.0.0.1"  # loopback unless a host is named

        def answers():
            try:
                with urllib.request.urlopen(self.url, timeout=5) as response:
                    return response.status == 200
            except OSError:
                return False

        wait_until(answers, timeout, "the page to answer")
        return self

    @property
    def port(self) -> int:
        return int(urlparse(self.url).port or 0)

    @property
    def pid(self) -> int:
        return self.proc.pid

    def wait_for_line(self, pattern: str, timeout: float, after: int = 0) -> re.Match:
        """The first printed line matching ``pattern`` (among lines from index ``after`` on)."""
        def found():
            for line in self.lines[after:]:
                match = re.search(pattern, line)
                if match:
                    return match
            return None

        return wait_until(found, timeout, f"a line matching {pattern!r}; got:\n{self.output}")

    def interrupt(self) -> None:
        self.proc.send_signal(signal.SIGINT)

    def stop(self, timeout: float = 20) -> float:
        """Ctrl-C, then wait; the seconds it took to exit."""
        t0 = time.monotonic()
        if self.proc.poll() is None:
            self.interrupt()
            try:
                self.proc.wait(timeout=timeout)
            except subprocess.TimeoutExpired:  # pragma: no cover (the failure the tests look for)
                self.proc.kill()
                self.proc.wait()
                raise AssertionError(f"govsim serve did not stop within {timeout} s of Ctrl-C:\n"
                                     f"{self.output}") from None
        self._reader.join(5)
        return time.monotonic() - t0

    def cpu_seconds(self) -> float:
        """CPU time the server process has used so far (user + system)."""
        fields = Path(f"/proc/{self.pid}/stat").read_text().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")

    def rss_mb(self) -> float:
        for line in Path(f"/proc/{self.pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
        raise AssertionError("no VmRSS")  # pragma: no cover

    def __enter__(self) -> Server:
        return self.start()

    def __exit__(self, exc_type, *exc) -> None:
        self.stop()
        if exc_type is None:  # a server that printed a traceback failed, whatever the test saw
            assert "Traceback" not in self.output, self.output


class ChromiumProcess:
    """Chromium started as a process of its own (so a test can kill it), driven over its DevTools port."""

    def __init__(self, user_data_dir: Path):
        self.proc = subprocess.Popen(
            [CHROMIUM, "--headless=new", "--remote-debugging-port=0", f"--user-data-dir={user_data_dir}",
             *CHROMIUM_ARGS, "about:blank"],
            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True, start_new_session=True)
        self.lines: list[str] = []
        threading.Thread(target=lambda: self.lines.extend(self.proc.stderr), daemon=True).start()
        found = wait_until(lambda: re.search(r"DevTools listening on (ws://\S+)", "".join(self.lines)), 60,
                           "Chromium's DevTools address")
        self.cdp_url = found.group(1)

    def kill(self) -> None:
        """SIGKILL the whole browser (every process of its group): no unload, no closing beacon."""
        os.killpg(self.proc.pid, signal.SIGKILL)
        self.proc.wait(timeout=30)

    def close(self) -> None:
        if self.proc.poll() is None:
            self.kill()
