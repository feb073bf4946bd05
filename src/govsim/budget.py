"""Whether a run is plausible on this machine, judged before it starts.

A mistyped ``--steps 1000000000`` would run for weeks and then fail for want
of memory, so ``govsim run`` estimates a floor for the time and the memory a
run needs and asks for ``--yes`` when either is out of reach.  The floors are
deliberately low (a faster machine, a faster model): a run refused here is
implausible, not merely long.
"""

from __future__ import annotations

import os
from dataclasses import dataclass

SECONDS_PER_DAY_FLOOR = 1e-4
"""Fixed cost of one simulated day, at least: the model measured 0.6 ms a day at
2,000 residents on a shared 2-core machine; a sixth of that is a safe floor."""

SECONDS_PER_RESIDENT_DAY_FLOOR = 2e-8
"""Cost per resident and day, at least: measured about 6e-8 s at 30,000 residents."""

BYTES_PER_RECORDED_VALUE = 56
"""Memory per recorded outcome value at the peak: Mesa's DataCollector keeps each
as a Python float in a list (measured 33 bytes a value while running), and
building the time series table adds its copies (57 bytes a value at the peak)."""

MAX_SECONDS = 24 * 3600
"""A single run that needs more than a day even on the floor is refused without ``--yes``."""

MAX_MEMORY_SHARE = 0.5
"""Share of this machine's memory a single run's recorded series may need without ``--yes``."""


@dataclass(frozen=True)
class RunCost:
    """Lower bounds for what one run needs."""

    seconds: float
    memory_bytes: float


def run_cost(steps: int, residents: int, outcomes: int) -> RunCost:
    """The least time and memory ``steps`` days of ``residents`` residents recording ``outcomes`` values need."""
    seconds = steps * (SECONDS_PER_DAY_FLOOR + residents * SECONDS_PER_RESIDENT_DAY_FLOOR)
    memory = steps * (outcomes + 1) * BYTES_PER_RECORDED_VALUE  # +1: the step column
    return RunCost(seconds, memory)


def machine_memory() -> int | None:
    """This machine's physical memory in bytes, or None where the system does not say."""
    try:
        return os.sysconf("SC_PHYS_PAGES") * os.sysconf("SC_PAGE_SIZE")
    except (ValueError, OSError, AttributeError):
        return None


def implausible(cost: RunCost, memory: int | None = None) -> list[str]:
    """Why a run of this cost is implausible here, in words; empty when it is plausible.

    Args:
        cost: the run's lower bounds, from :func:`run_cost`.
        memory: the machine's memory in bytes [default: :func:`machine_memory`].
    """
    memory = machine_memory() if memory is None else memory
    reasons = []
    if memory and cost.memory_bytes > MAX_MEMORY_SHARE * memory:
        reasons.append(f"at least {size(cost.memory_bytes)} of memory for its time series "
                       f"(this machine has {size(memory)})")
    if cost.seconds > MAX_SECONDS:
        reasons.append(f"at least {duration(cost.seconds)}")
    return reasons


def size(n: float) -> str:
    """Bytes in words: ``1.5 TB``."""
    for unit in ("bytes", "kB", "MB", "GB", "TB", "PB"):
        if n < 1000 or unit == "PB":
            return f"{n:.0f} {unit}" if unit == "bytes" else f"{n:.3g} {unit}"
        n /= 1000
    raise AssertionError("unreachable")


def duration(seconds: float) -> str:
    """Seconds in words: ``40 minutes``, ``28 hours``, ``3.2 years``."""
    for unit, length in (("years", 365.25 * 86400), ("days", 86400), ("hours", 3600), ("minutes", 60)):
        if seconds >= 2 * length:
            return f"{seconds / length:.3g} {unit}"
    return f"{seconds:.0f} seconds"
