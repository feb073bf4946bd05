"""What a healthy results file looks like, and what is wrong with one that is not.

Each check reads one file and returns the problem in a few words, or None.
They never raise: a truncated Parquet file, a row file of the wrong shape or
a manifest that is a list is a finding, named with its file, not a traceback.
:class:`~govsim.experiments.store.ResultStore` sets damaged files aside and
re-runs exactly the runs they held; the analysis refuses them in one line.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd
import pyarrow.parquet as pq

ROW_KEYS = ("run_id", "config_id", "scenario", "replication", "seed", "status")
"""What every run's row holds (runs.parquet and runs/<run_id>.json)."""

_MAGIC = b"PAR1"


@dataclass
class Damage:
    """A damaged results file.

    Attributes:
        path: the file.
        problem: what is wrong, in a few words.
        runs: the runs to run again because of it (a time series part: its run).
        table: whether it is runs.parquet (then every run recorded only there runs again).
    """

    path: Path
    problem: str
    runs: set[str] = field(default_factory=set)
    table: bool = False


def manifest_problem(data: Any, *, for_analysis: bool = False) -> str | None:
    """What is wrong with a manifest's contents (already parsed from JSON), or None."""
    if not isinstance(data, dict):
        return f"not a JSON object (a {type(data).__name__})"
    experiment = data.get("experiment")
    if not isinstance(experiment, dict) or not isinstance(experiment.get("name"), str):
        return 'no "experiment" with a "name"'
    if not isinstance(data.get("sessions", []), list):
        return '"sessions" is not a list'
    if for_analysis:
        design = data.get("design")
        if not isinstance(design, dict) or not isinstance(design.get("kind"), str) \
                or not isinstance(design.get("parameters"), list):
            return 'no "design" with a "kind" and "parameters"'
        for key in ("scenarios", "outcomes", "varied"):
            if not isinstance(data.get(key), list) or not all(isinstance(x, str) for x in data[key]):
                return f'"{key}" is not a list of names'
        windows = data.get("windows", {})
        if not isinstance(windows, dict) or not all(
                isinstance(w, list) and len(w) == 2 and all(type(d) is int for d in w) for w in windows.values()):
            return '"windows" is not a table of name = [first, last]'
        for key in ("replications", "steps", "burn_in", "record_every", "runs"):
            if isinstance(data.get(key), bool) or not isinstance(data.get(key), int):
                return f'"{key}" is not an integer'
    return None


def read_manifest(path: Path, *, for_analysis: bool = False) -> tuple[dict[str, Any] | None, str | None]:
    """A manifest and None, or None and its problem ("missing" if there is none)."""
    try:
        text = path.read_text()
    except FileNotFoundError:
        return None, "missing"
    except (OSError, UnicodeDecodeError) as e:
        return None, f"cannot be read ({e})"
    try:
        data = json.loads(text)
    except ValueError as e:
        return None, f"not valid JSON ({e})"
    problem = manifest_problem(data, for_analysis=for_analysis)
    return (None, problem) if problem else (data, None)


def _parquet_problem(path: Path) -> str | None:
    """A missing footer or header (a truncated or overwritten file), checked from 8 bytes."""
    try:
        size = path.stat().st_size
        if size < 12:
            return f"truncated ({size} bytes)"
        with open(path, "rb") as f:
            head = f.read(4)
            f.seek(-4, 2)
            tail = f.read(4)
    except OSError as e:
        return f"cannot be read ({e})"
    if head != _MAGIC or tail != _MAGIC:
        return "not a whole Parquet file (truncated or overwritten)"
    return None


def read_runs_table(path: Path) -> tuple[pd.DataFrame | None, str | None]:
    """runs.parquet and None, or None and its problem."""
    problem = _parquet_problem(path)
    if problem:
        return None, problem
    try:
        df = pq.read_table(path, page_checksum_verification=True).to_pandas()
    except Exception as e:  # any reader error is damage, named with its file
        return None, f"cannot be read as Parquet ({type(e).__name__}: {e})"
    missing = [c for c in ROW_KEYS if c not in df.columns]
    if missing:
        return None, f"has no column {missing[0]!r}"
    return df, None


def read_row_file(path: Path) -> tuple[dict[str, Any] | None, str | None]:
    """One run's row file and None, or None and its problem."""
    try:
        row = json.loads(path.read_text())
    except (OSError, UnicodeDecodeError, ValueError) as e:
        return None, f"not valid JSON ({e})"
    if not isinstance(row, dict):
        return None, f"not a JSON object (a {type(row).__name__})"
    missing = [k for k in ROW_KEYS if k not in row]
    if missing:
        return None, f"has no {missing[0]!r}"
    if row["run_id"] != path.stem:
        return None, f"holds run {row['run_id']!r}, not {path.stem!r}"
    return row, None


def part_problem(path: Path, run_id: str, steps: int, outcomes: Sequence[str], *, deep: bool = False) -> str | None:
    """What is wrong with a run's time series part, or None.

    Always: the file is whole and its footer says it has ``steps`` rows and
    the outcome columns.  ``deep``: every page is read and its checksum verified.
    """
    return table_problem(path, run_id, steps, ("run_id", "step", *outcomes), "days", deep=deep)


def table_problem(path: Path, run_id: str, rows: int, columns: Sequence[str], what: str = "rows", *,
                  deep: bool = False) -> str | None:
    """What is wrong with one run's Parquet file (a time series part, a city's communities), or None.

    Always: the file is whole and its footer says it has ``rows`` rows (``what``: their name in the message) and
    the ``columns``.  ``deep``: every page is read, its checksum verified, and every row is the run's.
    """
    if not path.exists():
        return "missing"
    problem = _parquet_problem(path)
    if problem:
        return problem
    try:
        meta = pq.read_metadata(path)
        names = set(meta.schema.names)
        if meta.num_rows != rows:
            return f"holds {meta.num_rows:,} {what}, not {rows:,}"
        absent = [o for o in columns if o not in names]
        if absent:
            return f"has no column {absent[0]!r}"
        if deep:
            table = pq.read_table(path, page_checksum_verification=True)
            ids = set(table.column("run_id").to_pylist())
            if ids != {run_id}:
                return f"holds runs {sorted(ids)[:2]}, not {run_id!r}"
    except Exception as e:  # any reader error is damage, named with its file
        return f"cannot be read as Parquet ({type(e).__name__}: {e})"
    return None


def design_problem(path: Path, *, deep: bool = False) -> str | None:
    """What is wrong with design.parquet, or None."""
    if not path.exists():
        return "missing"
    problem = _parquet_problem(path)
    if problem:
        return problem
    try:
        names = set(pq.read_metadata(path).schema.names)
        if not {"scenario", "point", "config_id"} <= names:
            return "has not the columns scenario, point and config_id"
        if deep:
            pq.read_table(path, page_checksum_verification=True)
    except Exception as e:
        return f"cannot be read as Parquet ({type(e).__name__}: {e})"
    return None
