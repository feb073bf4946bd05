"""The results folder of a sweep: written as runs finish, atomically, and resumable.

Layout of ``DIR`` (default ``results/<experiment name>/``)::

    manifest.json            experiment file and hash, versions, git commit, times, counts
    experiment.toml          a copy of the experiment file
    design.parquet           one row per scenario and design point: its configuration and varied values
    runs.parquet             one row per finished run (ok or failed), in design order
    runs/<run_id>.json       rows of runs finished since runs.parquet was last rewritten
    timeseries/part-<run_id>.parquet   the kept time series of each run that finished ok
    superseded/              runs of an earlier version of the experiment, set aside

Only the sweep's parent process writes here, and every file is written to a
temporary name and moved into place (``os.replace``), so a sweep killed at any
moment leaves only whole files.  A run counts as finished once its row file
exists; its time series is written before it.  Starting the same sweep again
skips finished runs, so nothing is lost and nothing is done twice.

``pandas.read_parquet(DIR / "timeseries")`` reads every time series at once
(files whose name starts with "." - temporary ones - are ignored).
"""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

from govsim.errors import InputError
from govsim.experiments.runner import OK, RunResult
from govsim.experiments.spec import Experiment
from govsim.files import atomic_path
from govsim.params import SCHEMA

RUN_COLUMNS = ("run_id", "scenario", "replication", "seed", "point")
TAIL_COLUMNS = ("wall_time", "error", "traceback", "config_id")
_TYPES = {bool: pa.bool_(), int: pa.int64(), float: pa.float64()}


def outcome_columns(outcomes) -> list[str]:
    return [f"{o}_{stat}" for o in outcomes for stat in ("final", "mean")]


def runs_schema(exp: Experiment) -> pa.Schema:
    """Columns of runs.parquet: identity, varied parameters, status, outcomes, timing and errors."""
    return pa.schema([
        ("run_id", pa.string()), ("scenario", pa.string()), ("replication", pa.int64()), ("seed", pa.int64()),
        ("point", pa.int64()),
        *((k, _TYPES[SCHEMA[k].kind]) for k in exp.varied),
        ("status", pa.string()),
        *((c, pa.float64()) for c in outcome_columns(exp.outcomes)),
        ("wall_time", pa.float64()), ("error", pa.string()), ("traceback", pa.string()), ("config_id", pa.string()),
    ])


def timeseries_schema(outcomes) -> pa.Schema:
    return pa.schema([("run_id", pa.string()), ("step", pa.int32()), *((o, pa.float64()) for o in outcomes)])


def now() -> str:
    return dt.datetime.now(dt.UTC).isoformat(timespec="seconds")


class ResultStore:
    """The files of one sweep's results folder (see the module's docstring)."""

    def __init__(self, root: str | os.PathLike):
        self.root = Path(root)
        self.manifest_file = self.root / "manifest.json"
        self.runs_file = self.root / "runs.parquet"
        self.parts = self.root / "runs"
        self.timeseries = self.root / "timeseries"
        self.design_file = self.root / "design.parquet"
        self.superseded = self.root / "superseded"

    # --- before anything is written -------------------------------------------------------

    def check_target(self, exp: Experiment) -> dict[str, Any] | None:
        """Refuse a folder that is a file, holds another experiment's results, or holds something else.

        Returns the existing manifest (a resumed sweep) or None.  Writes nothing.
        """
        where = str(self.root)
        if self.root.exists() and not self.root.is_dir():
            raise InputError("is a file, not a results folder", source=where, key="--out")
        if not self.root.is_dir() or not any(not p.name.startswith(".") for p in self.root.iterdir()):
            return None  # new, or only a lock and temporary files of a sweep killed as it started
        manifest = self.read_manifest()
        if manifest is None:
            raise InputError("is not empty and holds no govsim results; choose another --out", source=where,
                             key="--out")
        name = manifest.get("experiment", {}).get("name")
        if name != exp.name:
            raise InputError(f"holds the results of experiment {name!r}, not {exp.name!r}; choose another --out",
                             source=where, key="--out")
        return manifest

    def read_manifest(self) -> dict[str, Any] | None:
        try:
            return json.loads(self.manifest_file.read_text())
        except (OSError, ValueError):
            return None

    # --- while running ------------------------------------------------------------------

    @contextlib.contextmanager
    def lock(self) -> Iterator[None]:
        """Hold ``DIR/.lock`` so two sweeps never write one folder; released even on SIGKILL."""
        self.root.mkdir(parents=True, exist_ok=True)
        try:
            import fcntl
        except ImportError:  # pragma: no cover - Windows: no lock
            yield
            return
        with open(self.root / ".lock", "a+") as f:
            try:
                fcntl.flock(f, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                f.seek(0)
                holder = f.read().strip() or "another process"
                raise InputError(f"another govsim sweep ({holder}) is writing to this folder", source=str(self.root),
                                 key="--out") from None
            f.seek(0)
            f.truncate()
            f.write(f"pid {os.getpid()}")
            f.flush()
            try:
                yield
            finally:
                fcntl.flock(f, fcntl.LOCK_UN)

    def write_manifest(self, manifest: dict[str, Any]) -> None:
        with atomic_path(self.manifest_file) as tmp:
            tmp.write_text(json.dumps(manifest, indent=2, default=str) + "\n")

    def write_inputs(self, exp: Experiment) -> None:
        """The experiment file's copy and the design table (the same for the same experiment)."""
        with atomic_path(self.root / "experiment.toml") as tmp:
            tmp.write_text(exp.text)
        table = design_table(exp)
        with atomic_path(self.design_file) as tmp:
            pq.write_table(pa.Table.from_pandas(table, preserve_index=False), tmp)

    def write(self, result: RunResult, outcomes) -> None:
        """Record one finished run: its time series first, then its row (which marks it finished)."""
        row = result.row
        run_id = row["run_id"]
        self.parts.mkdir(parents=True, exist_ok=True)
        ts_path = self.timeseries / f"part-{run_id}.parquet"
        if row["status"] == OK and result.series is not None:
            self.timeseries.mkdir(parents=True, exist_ok=True)
            columns = {"run_id": pa.array(np.full(len(result.steps), run_id, dtype=object), pa.string()),
                       "step": pa.array(result.steps, pa.int32())}
            for i, name in enumerate(outcomes):
                columns[name] = pa.array(result.series[:, i], pa.float64())
            table = pa.table(columns, schema=timeseries_schema(outcomes))
            with atomic_path(ts_path) as tmp:
                pq.write_table(table, tmp)
        else:
            ts_path.unlink(missing_ok=True)
        with atomic_path(self.parts / f"{run_id}.json") as tmp:
            tmp.write_text(json.dumps(row, allow_nan=True))

    # --- reading ------------------------------------------------------------------------

    def _part_files(self) -> list[Path]:
        return sorted(self.parts.glob("*.json")) if self.parts.is_dir() else []

    def read_rows(self) -> tuple[pd.DataFrame, list[Path]]:
        """Every recorded run (runs.parquet and newer row files, the newer winning), and the row files read."""
        frames = []
        if self.runs_file.exists():
            frames.append(pd.read_parquet(self.runs_file))
        files = self._part_files()
        rows = []
        for f in files:
            try:
                rows.append(json.loads(f.read_text()))
            except (OSError, ValueError):  # cannot happen with atomic writes; treat the run as not done
                continue
        if rows:
            frames.append(pd.DataFrame(rows))
        frames = [f for f in frames if len(f)]
        if not frames:
            return pd.DataFrame(columns=["run_id", "status", "config_id", "replication", "seed"]), files
        df = pd.concat(frames, ignore_index=True) if len(frames) > 1 else frames[0]
        return df.drop_duplicates("run_id", keep="last").reset_index(drop=True), files

    def finished(self) -> dict[str, str]:
        """run_id -> status of every recorded run."""
        df, _ = self.read_rows()
        return dict(zip(df["run_id"], df["status"], strict=True))

    # --- consolidating ------------------------------------------------------------------

    def consolidate(self, exp: Experiment) -> dict[str, int]:
        """Rewrite runs.parquet from everything recorded (atomically), then drop the row files it now holds.

        Runs that are not part of this version of the experiment are moved to
        ``superseded/``.  Returns counts of ok and failed runs.
        """
        df, files = self.read_rows()
        current = in_design(df, exp)
        stale = df[~current]
        if len(stale):
            self.set_aside(stale)
        df = df[current]
        table = runs_table(df, exp)
        with atomic_path(self.runs_file) as tmp:
            pq.write_table(table, tmp)
        for f in files:
            f.unlink(missing_ok=True)
        status = table.column("status").to_pylist()
        return {"ok": status.count(OK), "failed": len(status) - status.count(OK)}

    def set_aside(self, rows: pd.DataFrame) -> None:
        """Move runs of another version of the experiment to ``superseded/`` (rows and time series)."""
        stamp = dt.datetime.now(dt.UTC).strftime("%Y%m%dT%H%M%S%f")
        target = self.superseded / stamp
        (target / "timeseries").mkdir(parents=True, exist_ok=True)
        keep = rows.drop(columns=[c for c in rows.columns if rows[c].isna().all() and c in SCHEMA])
        with atomic_path(target / "runs.parquet") as tmp:
            keep.to_parquet(tmp, index=False)
        for run_id in rows["run_id"]:
            source = self.timeseries / f"part-{run_id}.parquet"
            if source.exists():
                os.replace(source, target / "timeseries" / source.name)

    def set_aside_orphans(self, exp: Experiment) -> int:
        """Move time-series files of runs that are not in this experiment's design to ``superseded/``."""
        if not self.timeseries.is_dir():
            return 0
        valid = {rid for rep in range(exp.replications) for rid in exp.run_ids(rep)}
        orphans = [p for p in self.timeseries.glob("part-*.parquet") if p.stem[len("part-"):] not in valid]
        if orphans:
            target = self.superseded / ("orphans-" + dt.datetime.now(dt.UTC).strftime("%Y%m%dT%H%M%S%f"))
            target.mkdir(parents=True, exist_ok=True)
            for p in orphans:
                os.replace(p, target / p.name)
        return len(orphans)

    def clear_temporary(self) -> None:
        """Remove temporary files a killed sweep left behind (names starting with '.' and ending '.tmp')."""
        for folder in (self.root, self.parts, self.timeseries):
            if folder.is_dir():
                for p in folder.glob(".*.tmp"):
                    p.unlink(missing_ok=True)


def in_design(df: pd.DataFrame, exp: Experiment) -> pd.Series:
    """Which recorded runs belong to this experiment: a known configuration, replication and seed."""
    if not len(df):
        return pd.Series([], dtype=bool)
    ids = {c.config_id for c in exp.configs}
    reps = df["replication"].astype("int64")
    seeds = {r: exp.replication_seed(r) for r in set(reps) if 0 <= r < exp.replications}
    expected = reps.map(lambda r: seeds.get(r, -1))
    return df["config_id"].isin(ids) & (reps < exp.replications) & (df["seed"].astype("int64") == expected)


def runs_table(df: pd.DataFrame, exp: Experiment) -> pa.Table:
    """The runs.parquet table: rows in design order with the varied parameters joined in."""
    schema = runs_schema(exp)
    order = {c.config_id: i for i, c in enumerate(exp.configs)}
    values = {c.config_id: c.values for c in exp.configs}
    df = df.assign(_order=df["config_id"].map(order), replication=df["replication"].astype("int64"))
    df = df.sort_values(["replication", "_order"], kind="stable").reset_index(drop=True)
    columns = {}
    for f in schema:
        if f.name in SCHEMA:
            data = [values[c][f.name] for c in df["config_id"]]
        elif f.name in df.columns:
            data = df[f.name].tolist()
        else:
            data = [None] * len(df)
        if pa.types.is_string(f.type):
            data = [None if (x is None or (isinstance(x, float) and np.isnan(x))) else str(x) for x in data]
        columns[f.name] = pa.array(data, f.type, from_pandas=True)
    return pa.table(columns, schema=schema)


def design_table(exp: Experiment) -> pd.DataFrame:
    """One row per scenario and design point: its configuration id, varied values and raw sample."""
    rows = []
    sample = exp.design.sample
    names = exp.design.problem["names"] if exp.design.problem else []
    for scenario, point, index in exp.cells:
        config = exp.configs[index]
        row: dict[str, Any] = {"scenario": scenario, "point": point, "config_id": config.config_id}
        row.update({k: config.values[k] for k in exp.varied})
        if sample is not None:
            row.update({f"sample.{n}": float(sample[point, j]) for j, n in enumerate(names)})
        rows.append(row)
    return pd.DataFrame(rows)

