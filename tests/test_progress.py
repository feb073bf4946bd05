"""Progress off a terminal: a plain line every few per cent, never a redrawn bar."""

import io
import itertools
import re

import pytest

from govsim.progress import STEP_PERCENT, Progress, choose_mode


@pytest.mark.parametrize("total, lines", [(1000, 100 // STEP_PERCENT), (40, 100 // STEP_PERCENT), (3, 3), (1, 1)])
def test_lines_mode_writes_a_line_per_step_of_percent(total, lines):
    stream = io.StringIO()
    with Progress(total, "run", "day", "lines", stream) as p:
        for _ in range(total):
            p.update()
    out = stream.getvalue().splitlines()
    assert len(out) == lines and "\r" not in stream.getvalue()
    assert out[-1].startswith(f"run: day {total:,} of {total:,} (100%)")
    percents = [int(re.search(r"\((\d+)%\)", line).group(1)) for line in out]
    steps = [b - a for a, b in itertools.pairwise(percents)]
    assert all(step >= min(STEP_PERCENT, 100 // total) for step in steps)
    assert re.search(r"\d+:\d\d elapsed, about \d+:\d\d left$", out[0])


def test_off_writes_nothing():
    stream = io.StringIO()
    with Progress(10, "run", "day", "off", stream) as p:
        p.update(10)
    assert stream.getvalue() == ""


def test_mode_follows_the_stream():
    class Tty(io.StringIO):
        def isatty(self):
            return True

    assert choose_mode(None, io.StringIO()) == "lines"
    assert choose_mode(None, Tty()) == "bar"
    assert choose_mode(True, io.StringIO()) == "lines"  # --progress off a terminal: lines, not a bar
    assert choose_mode(False, Tty()) == "off"
