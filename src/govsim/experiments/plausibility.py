"""Is a sweep plausible on this machine?  Asked before it starts, from rough costs.

A typo (``replications = 1000000``, ``steps = 365000``) should not start a
sweep that would run for years, fill the disk or push the machine into swap.
:func:`concerns` estimates time, results size and memory from the model's
measured costs and says what looks implausible; ``govsim sweep`` then asks
for ``--yes``.  The estimates are rough (a factor of a few either way), so
the limits are generous: they catch mistakes, not ambitious sweeps.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

from govsim.experiments.experiment import Experiment

# The model's costs, measured on the 2-core development machine (see docs/experiments.md, "Performance"):
# MEASURED BELOW.  Rounded up: a slower machine or model should not trip the limits.
SECONDS_PER_RUN = 1.0                 # building a model (its warm-up days count below)
SECONDS_PER_DAY = 5e-3                # one day of a model, whatever its size
SECONDS_PER_COMMUNITY_DAY = 5e-3      # a community's institutions (staff, council, units, district) each day
SECONDS_PER_AGENT_DAY = 2e-7          # each simulated resident each day
WORKER_BYTES = 300 * 2**20
BYTES_PER_AGENT = 1_000
BYTES_PER_COMMUNITY_DAY = 1_000       # a city's per-community series while it runs

MAX_WALL_SECONDS = 7 * 24 * 3600
MAX_RUNS = 10_000_000
DISK_SHARE = 0.5     # of the free space the results may take
MEMORY_SHARE = 0.8   # of the memory available the workers may take


def human_time(seconds: float) -> str:
    for unit, size in (("years", 365 * 86400), ("days", 86400), ("hours", 3600), ("minutes", 60)):
        if seconds >= size:
            return f"{seconds / size:,.1f} {unit}"
    return f"{seconds:.0f} seconds"


def human_bytes(n: float) -> str:
    for unit in ("B", "KB", "MB", "GB", "TB", "PB"):
        if n < 1000 or unit == "PB":
            return f"{n:,.0f} {unit}" if unit == "B" else f"{n:,.1f} {unit}"
        n /= 1000
    return f"{n:,.1f} PB"  # pragma: no cover


def compute_seconds(exp: Experiment) -> float:
    """Estimated seconds of one worker to run every run."""
    f = exp.footprint
    per_replication = (exp.n_configs * SECONDS_PER_RUN + f.model_days * SECONDS_PER_DAY
                       + f.community_days * SECONDS_PER_COMMUNITY_DAY + f.agent_days * SECONDS_PER_AGENT_DAY)
    return exp.replications * per_replication


def results_bytes(exp: Experiment) -> int:
    """Estimated size of the results: each run's kept series (8 bytes a value) and its row, and a city's
    community series (4 bytes a value and the row's labels)."""
    per_run = len(exp.kept_steps) * (len(exp.outcomes) + 1) * 8 + 400 + 16 * len(exp.outcomes)
    cities = exp.footprint.community_cells * (4 * len(exp.outcomes) + 16)
    return exp.n_runs * per_run + exp.replications * cities


def worker_bytes(exp: Experiment) -> int:
    """Estimated peak memory of one worker running the largest configuration."""
    f = exp.footprint
    city = f.max_communities * exp.steps * BYTES_PER_COMMUNITY_DAY if exp.city else 0
    return WORKER_BYTES + f.max_agents * BYTES_PER_AGENT + city


def available_memory() -> int | None:
    """Memory available to new processes (Linux: MemAvailable), or None if unknown."""
    try:
        with open("/proc/meminfo") as f:
            for line in f:
                if line.startswith("MemAvailable:"):
                    return int(line.split()[1]) * 1024
    except OSError:
        pass
    try:
        return os.sysconf("SC_AVPHYS_PAGES") * os.sysconf("SC_PAGE_SIZE")
    except (ValueError, OSError, AttributeError):
        return None


def free_disk(out: Path) -> int | None:
    """Free bytes where ``out`` is (or would be created)."""
    for folder in (out, *out.absolute().parents):
        if folder.exists():
            try:
                return shutil.disk_usage(folder).free
            except OSError:
                return None
    return None


def concerns(exp: Experiment, out: Path, workers: int | None, pending: int | None = None) -> list[str]:
    """What looks implausible about running ``exp`` into ``out`` with ``workers`` local workers.

    Args:
        workers: local workers, or None for a remote cluster (its size and memory are not ours to judge).
        pending: runs still to do (a resume), default all.
    """
    share = 1.0 if pending is None or not exp.n_runs else pending / exp.n_runs
    out_list = []
    if pending is None and exp.n_runs > MAX_RUNS:
        out_list.append(f"{exp.n_runs:,} runs (more than {MAX_RUNS:,})")
    if workers:
        wall = compute_seconds(exp) * share / workers
        if wall > MAX_WALL_SECONDS:
            out_list.append(f"about {human_time(wall)} of computing with {workers} workers")
    size = results_bytes(exp) * share
    free = free_disk(out)
    if free is not None and size > DISK_SHARE * free:
        out_list.append(f"about {human_bytes(size)} of results, with {human_bytes(free)} free at {out}")
    memory = available_memory()
    if workers and memory is not None and workers * worker_bytes(exp) > MEMORY_SHARE * memory:
        out_list.append(f"about {human_bytes(workers * worker_bytes(exp))} of memory for {workers} workers at "
                        f"{_residents(exp)}, with {human_bytes(memory)} available "
                        "(fewer --workers needs less)")
    return out_list


def _residents(exp: Experiment) -> str:
    f = exp.footprint
    simulated = f" ({f.max_agents:,} simulated)" if f.max_agents != f.max_residents else ""
    return f"{f.max_residents:,} residents{simulated}"
