"""How a sweep shows its progress: a bar on a terminal, a line every few percent elsewhere.

CI logs, ``nohup`` files and notebooks do not redraw a bar: they get a
carriage-return mess or nothing.  Off a terminal the sweep prints one plain
line each time it passes another ``every`` percent, with failures and the
time left.
"""

from __future__ import annotations

import sys
import time
from collections.abc import Callable
from typing import Any


def clock(seconds: float) -> str:
    """Seconds as 45s, 3m05s or 2h07m."""
    seconds = max(0, round(seconds))
    if seconds < 60:
        return f"{seconds}s"
    minutes, s = divmod(seconds, 60)
    if minutes < 60:
        return f"{minutes}m{s:02d}s"
    hours, m = divmod(minutes, 60)
    return f"{hours}h{m:02d}m"


class Progress:
    """Progress of a sweep of ``total`` runs, ``done`` of them recorded before it started.

    Args:
        mode: ``"bar"`` (tqdm), ``"lines"`` (a line every ``every`` percent) or ``"off"``;
            None: a bar on a terminal (stderr), lines elsewhere.
        echo: where lines go.
    """

    def __init__(self, name: str, total: int, done: int, mode: str | None, echo: Callable[[str], None],
                 every: float = 5.0):
        if mode is None:
            mode = "bar" if sys.stderr.isatty() else "lines"
        self.name, self.total, self.done, self.mode, self.echo, self.every = name, total, done, mode, echo, every
        self.failed = 0
        self.ran = 0
        self.started = time.monotonic()
        self._next = self._threshold(done)
        self._bar: Any = None
        if mode == "bar":
            from tqdm import tqdm

            self._bar = tqdm(total=total, initial=done, desc=name, unit="run", dynamic_ncols=True, smoothing=0.1)

    def _threshold(self, done: int) -> float:
        """The next percentage at which a line is due."""
        percent = 100 * done / self.total if self.total else 100
        return (int(percent // self.every) + 1) * self.every

    def update(self, failed: bool = False) -> None:
        self.done += 1
        self.ran += 1
        self.failed += failed
        if self._bar is not None:
            self._bar.update(1)
            if self.failed:
                self._bar.set_postfix_str(f"{self.failed} failed", refresh=False)
        elif self.mode == "lines":
            percent = 100 * self.done / self.total
            if percent >= self._next or self.done == self.total:
                self._next = self._threshold(self.done)
                self.echo(self.line())

    def line(self) -> str:
        elapsed = time.monotonic() - self.started
        left = ""
        if self.ran and self.done < self.total:
            left = f", about {clock(elapsed / self.ran * (self.total - self.done))} left"
        failed = f", {self.failed} failed" if self.failed else ""
        return (f"{self.name}: {100 * self.done / self.total:.0f}% ({self.done:,} of {self.total:,} runs{failed}), "
                f"{clock(elapsed)}{left}")

    def close(self) -> None:
        if self._bar is not None:
            self._bar.close()
