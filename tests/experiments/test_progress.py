"""Progress off a terminal: a line every few percent, with failures and the time left."""

from __future__ import annotations

from govsim.experiments.progress import Progress, clock


def test_lines_come_every_five_percent_and_at_the_end():
    lines: list[str] = []
    progress = Progress("demo", total=200, done=0, mode="lines", echo=lines.append, every=5.0)
    for i in range(200):
        progress.update(failed=(i == 7))
    progress.close()
    assert len(lines) == 20
    assert lines[0].startswith("demo: 5% (10 of 200 runs, 1 failed)")
    assert lines[-1].startswith("demo: 100% (200 of 200 runs, 1 failed)") and "left" not in lines[-1]
    assert "left" in lines[5]


def test_a_resumed_sweep_counts_from_what_was_done():
    lines: list[str] = []
    progress = Progress("demo", total=100, done=42, mode="lines", echo=lines.append, every=10.0)
    for _ in range(58):
        progress.update()
    assert [line.split("%")[0].split()[-1] for line in lines] == ["50", "60", "70", "80", "90", "100"]


def test_off_and_the_default_off_a_terminal(capsys):
    lines: list[str] = []
    Progress("demo", total=10, done=0, mode="off", echo=lines.append).update()
    assert lines == []
    chosen = Progress("demo", total=10, done=0, mode=None, echo=lines.append)  # pytest's stderr is no terminal
    assert chosen.mode == "lines"


def test_clock():
    assert clock(5) == "5s" and clock(185) == "3m05s" and clock(7620) == "2h07m"
