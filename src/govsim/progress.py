"""Progress of a long loop: a bar on a terminal, a line every few percent elsewhere.

A bar redrawn with carriage returns is noise in a CI log, a ``nohup.out`` or a
notebook cell, and no bar at all leaves a long job silent; off a terminal a
plain line every :data:`STEP_PERCENT` per cent says how far it is and how long
is left.
"""

from __future__ import annotations

import sys
import time
from typing import IO, Literal

STEP_PERCENT = 5
"""Off a terminal, one line each time this many per cent more is done (20 lines a run)."""

Mode = Literal["bar", "lines", "off"]


def choose_mode(progress: bool | None, stream: IO[str] | None = None) -> Mode:
    """``--progress/--no-progress`` to a mode: a bar on a terminal, lines elsewhere, or nothing."""
    if progress is False:
        return "off"
    stream = stream or sys.stderr
    try:
        tty = stream.isatty()
    except (AttributeError, ValueError):  # closed or not a real stream
        tty = False
    return "bar" if tty else "lines"


class Progress:
    """Count ``total`` units of work, showing progress on ``stream`` (stderr by default).

    >>> with Progress(365, "guiyang_2012", "day", mode="lines") as p:   # doctest: +SKIP
    ...     for _ in range(365):
    ...         model.step(); p.update()
    """

    def __init__(self, total: int, label: str, unit: str, mode: Mode = "lines", stream: IO[str] | None = None):
        self.total, self.label, self.unit, self.mode = total, label, unit, mode
        self.stream = stream or sys.stderr
        self.done = 0
        self._next_percent = STEP_PERCENT
        self._start = time.monotonic()
        self._bar = None
        if mode == "bar":
            from tqdm import tqdm

            self._bar = tqdm(total=total, desc=label, unit=unit, leave=False, file=self.stream, dynamic_ncols=True)

    def __enter__(self) -> Progress:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def update(self, n: int = 1) -> None:
        """Record ``n`` more units done."""
        self.done += n
        if self._bar is not None:
            self._bar.update(n)
        elif self.mode == "lines" and self.total > 0:
            percent = 100 * self.done / self.total
            if percent >= self._next_percent:
                self._line(percent)
                while self._next_percent <= percent:
                    self._next_percent += STEP_PERCENT

    def close(self) -> None:
        """Remove the bar (the lines stay: they are the log)."""
        if self._bar is not None:
            self._bar.close()
            self._bar = None

    def _line(self, percent: float) -> None:
        elapsed = time.monotonic() - self._start
        left = elapsed * (self.total - self.done) / self.done if self.done else 0.0
        self.stream.write(f"{self.label}: {self.unit} {self.done:,} of {self.total:,} ({percent:.0f}%), "
                          f"{_clock(elapsed)} elapsed, about {_clock(left)} left\n")
        self.stream.flush()


def _clock(seconds: float) -> str:
    minutes, secs = divmod(round(seconds), 60)
    hours, minutes = divmod(minutes, 60)
    return f"{hours}:{minutes:02d}:{secs:02d}" if hours else f"{minutes}:{secs:02d}"
