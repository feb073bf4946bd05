"""The results folder of a sweep: written as runs finish, atomically, resumable and checked.

Layout of ``DIR`` (default ``results/<experiment name>/``)::

    manifest.json            experiment file and hash, design, versions, code, times, counts, status
    experiment.toml          a copy of the experiment file
    design.parquet           one row per scenario and design point: its configuration and varied values
    runs.parquet             one row per finished run (ok or failed), in design order
    runs/<run_id>.json       rows of runs finished since runs.parquet was last rewritten
    timeseries/part-<run_id>.parquet   the kept time series of each run that finished ok
    community_timeseries/part-<run_id>.parquet   a city run's: each community's kept series
    communities/part-<run_id>.parquet            a city run's: its communities (district, size, posts, switch day)
    superseded/              runs of an earlier version of the experiment, set aside
    damaged/                 damaged files, set aside; their runs are run again

Only the sweep's parent process writes here, and every file is written to a
temporary name and moved into place (``os.replace``), so a sweep killed at any
moment leaves only whole files.  A run counts as finished once its row file
exists; its time series (and a city's files) are written before it.  Files get the permissions the
user's umask gives (:mod:`~govsim.experiments.output`).

``pandas.read_parquet(DIR / "timeseries")`` reads every time series at once
(files whose name starts with "." - temporary ones - are ignored).
"""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import os
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

from govsim.errors import InputError
from govsim.experiments import integrity
from govsim.experiments.experiment import OK, Experiment
from govsim.experiments.integrity import Damage
from govsim.experiments.runner import CityParts, RunResult, outcome_columns
from govsim.files import atomic_path
from govsim.params import SCHEMA

_TYPES = {bool: pa.bool_(), int: pa.int64(), float: pa.float64()}
_RESULTS = ("runs.parquet", "runs", "timeseries", "design.parquet")  # what makes a folder hold results


def runs_schema(exp: Experiment) -> pa.Schema:
    """Columns of runs.parquet: identity, varied parameters, status, outcomes, timing, errors and code."""
    return pa.schema([
        ("run_id", pa.string()), ("scenario", pa.string()), ("replication", pa.int64()), ("seed", pa.int64()),
        ("point", pa.int64()),
        *((k, _TYPES[SCHEMA[k].kind]) for k in exp.varied),
        ("status", pa.string()),
        *((c, pa.float64()) for c in outcome_columns(exp.outcomes, exp.windows)),
        ("wall_time", pa.float64()), ("error", pa.string()), ("traceback", pa.string()), ("config_id", pa.string()),
        ("code", pa.string()),
    ])


def timeseries_schema(outcomes: tuple[str, ...] | list[str]) -> pa.Schema:
    return pa.schema([("run_id", pa.string()), ("step", pa.int32()), *((o, pa.float64()) for o in outcomes)])


COMMUNITY_LABELS = ("step", "community", "district", "reformed")
"""The columns of a city's community time series before its outcomes."""

COMMUNITY_COLUMNS = ("community", "district", "residents", "committee_posts", "centre_posts", "switch_day")
"""The columns of a city's communities table (:meth:`govsim.city.CityModel.communities`)."""


def community_schema(outcomes: tuple[str, ...] | list[str]) -> pa.Schema:
    """A city run's community series: one row per community and kept step; outcomes in float32, as recorded."""
    return pa.schema([("run_id", pa.string()), ("step", pa.int32()), ("community", pa.string()),
                      ("district", pa.string()), ("reformed", pa.bool_()), *((o, pa.float32()) for o in outcomes)])


def communities_schema() -> pa.Schema:
    return pa.schema([("run_id", pa.string()), ("community", pa.string()), ("district", pa.string()),
                      ("residents", pa.int64()), ("committee_posts", pa.int64()), ("centre_posts", pa.int64()),
                      ("switch_day", pa.int64())])


def now() -> str:
    return dt.datetime.now(dt.UTC).isoformat(timespec="seconds")


def stamp() -> str:
    return dt.datetime.now(dt.UTC).strftime("%Y%m%dT%H%M%S%f")


@dataclass
class Rows:
    """Every recorded run, read back.

    Attributes:
        frame: one row per run (runs.parquet and newer row files, the newer winning).
        files: the row files read.
        damaged: damaged files met on the way (runs.parquet, row files).
    """

    frame: pd.DataFrame
    files: list[Path] = field(default_factory=list)
    damaged: list[Damage] = field(default_factory=list)


class ResultStore:
    """The files of one sweep's results folder (see the module's docstring)."""

    def __init__(self, root: str | os.PathLike):
        self.root = Path(root)
        self.manifest_file = self.root / "manifest.json"
        self.runs_file = self.root / "runs.parquet"
        self.parts = self.root / "runs"
        self.timeseries = self.root / "timeseries"
        self.community_series = self.root / "community_timeseries"
        self.communities = self.root / "communities"
        self.design_file = self.root / "design.parquet"
        self.superseded = self.root / "superseded"
        self.damaged = self.root / "damaged"

    def part(self, run_id: str) -> Path:
        return self.timeseries / f"part-{run_id}.parquet"

    def community_part(self, run_id: str) -> Path:
        """A city run's community time series."""
        return self.community_series / f"part-{run_id}.parquet"

    def communities_part(self, run_id: str) -> Path:
        """A city run's communities table."""
        return self.communities / f"part-{run_id}.parquet"

    def run_files(self, run_id: str) -> list[Path]:
        """Every file a run may have besides its row."""
        return [self.part(run_id), self.community_part(run_id), self.communities_part(run_id)]

    @property
    def part_folders(self) -> tuple[Path, ...]:
        return (self.timeseries, self.community_series, self.communities)

    # --- before anything is written -------------------------------------------------------

    def check_target(self, exp: Experiment) -> tuple[dict[str, Any] | None, Damage | None]:
        """Refuse a folder that is a file, holds another experiment's results, or holds something else.

        Returns the existing manifest (a resumed sweep) or None, and the
        manifest's damage if it is damaged in a folder that holds results.
        Writes nothing.
        """
        where = str(self.root)
        if self.root.exists() and not self.root.is_dir():
            raise InputError("is a file, not a results folder", source=where, key="--out")
        if not self.root.is_dir() or not any(not p.name.startswith(".") for p in self.root.iterdir()):
            return None, None  # new, or only a lock and temporary files of a sweep killed as it started
        manifest, problem = integrity.read_manifest(self.manifest_file)
        if manifest is None:
            if not any((self.root / name).exists() for name in _RESULTS):
                raise InputError("is not empty and holds no govsim results; choose another --out", source=where,
                                 key="--out")
            if problem == "missing":
                return None, None  # killed before its first manifest, or removed: the runs speak for themselves
            return None, Damage(self.manifest_file, problem or "damaged")
        name = manifest["experiment"]["name"]
        if name != exp.name:
            raise InputError(f"holds the results of experiment {name!r}, not {exp.name!r}; choose another --out",
                             source=where, key="--out")
        return manifest, None

    def read_manifest(self) -> dict[str, Any] | None:
        return integrity.read_manifest(self.manifest_file)[0]

    # --- while running ------------------------------------------------------------------

    @contextlib.contextmanager
    def lock(self) -> Iterator[None]:
        """Hold ``DIR/.lock`` so two sweeps never write one folder; released even on SIGKILL, removed on exit."""
        self.root.mkdir(parents=True, exist_ok=True)
        try:
            import fcntl
        except ImportError:  # pragma: no cover - Windows: no lock
            yield
            return
        path = self.root / ".lock"
        while True:
            f = open(path, "a+")  # noqa: SIM115 - held open for the whole block
            try:
                fcntl.flock(f, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                f.seek(0)
                holder = f.read().strip() or "another process"
                f.close()
                raise InputError(f"another govsim sweep ({holder}) is writing to this folder", source=str(self.root),
                                 key="--out") from None
            # A sweep finishing just now removes the file it held: lock the file that is there, not that one.
            try:
                same = os.fstat(f.fileno()).st_ino == os.stat(path).st_ino
            except FileNotFoundError:
                same = False
            if same:
                break
            f.close()
        try:
            f.seek(0)
            f.truncate()
            f.write(f"pid {os.getpid()}")
            f.flush()
            yield
        finally:
            with contextlib.suppress(OSError):
                path.unlink()  # while still held, so no other sweep can hold this file meanwhile
            fcntl.flock(f, fcntl.LOCK_UN)
            f.close()

    def write_manifest(self, manifest: dict[str, Any]) -> None:
        with atomic_path(self.manifest_file) as tmp:
            tmp.write_text(json.dumps(manifest, indent=2, default=str) + "\n")

    def write_inputs(self, exp: Experiment, chunk: int = 50_000) -> None:
        """The experiment file's copy and the design table, streamed in chunks (a design may be large)."""
        with atomic_path(self.root / "experiment.toml") as tmp:
            tmp.write_text(exp.text)
        with atomic_path(self.design_file) as tmp:
            writer: pq.ParquetWriter | None = None
            try:
                for frame in design_chunks(exp, chunk):
                    table = pa.Table.from_pandas(frame, preserve_index=False)
                    if writer is None:
                        writer = pq.ParquetWriter(tmp, table.schema, write_page_checksum=True)
                    writer.write_table(table.cast(writer.schema))
            finally:
                if writer is not None:
                    writer.close()

    def write(self, result: RunResult, outcomes: tuple[str, ...]) -> None:
        """Record one finished run: its time series first (a city's files before them), then its row (which
        marks it finished)."""
        row = result.row
        run_id = row["run_id"]
        self.parts.mkdir(parents=True, exist_ok=True)
        ts_path = self.part(run_id)
        ok = row["status"] == OK and result.series is not None and result.steps is not None
        if ok and result.city is not None:
            self._write_city(run_id, result.city, outcomes)
        else:
            self.community_part(run_id).unlink(missing_ok=True)
            self.communities_part(run_id).unlink(missing_ok=True)
        if ok:
            assert result.series is not None and result.steps is not None
            self.timeseries.mkdir(parents=True, exist_ok=True)
            columns = {"run_id": pa.array(np.full(len(result.steps), run_id, dtype=object), pa.string()),
                       "step": pa.array(result.steps, pa.int32())}
            for i, name in enumerate(outcomes):
                columns[name] = pa.array(result.series[:, i], pa.float64())
            table = pa.table(columns, schema=timeseries_schema(outcomes))
            with atomic_path(ts_path) as tmp:
                pq.write_table(table, tmp, write_page_checksum=True)
        else:
            ts_path.unlink(missing_ok=True)
        with atomic_path(self.parts / f"{run_id}.json") as tmp:
            tmp.write_text(json.dumps(row, allow_nan=True))

    def _write_city(self, run_id: str, parts: CityParts, outcomes: tuple[str, ...]) -> None:
        """A city run's communities and their time series, each atomically."""
        for folder, path, frame, schema in (
                (self.communities, self.communities_part(run_id), parts.communities, communities_schema()),
                (self.community_series, self.community_part(run_id), parts.series, community_schema(outcomes))):
            folder.mkdir(parents=True, exist_ok=True)
            columns = {"run_id": pa.array(np.full(len(frame), run_id, dtype=object), pa.string())}
            for f in schema:
                if f.name != "run_id":
                    values = frame[f.name]
                    text = pa.types.is_string(f.type)
                    data = values.astype(str).to_numpy(dtype=object) if text else values.to_numpy()
                    columns[f.name] = pa.array(data, f.type)
            with atomic_path(path) as tmp:
                pq.write_table(pa.table(columns, schema=schema), tmp, write_page_checksum=True)

    # --- reading ------------------------------------------------------------------------

    def _row_files(self) -> list[Path]:
        return sorted(self.parts.glob("*.json")) if self.parts.is_dir() else []

    def read_rows(self) -> Rows:
        """Every recorded run; damaged files are reported in ``damaged`` and left out."""
        frames, damaged = [], []
        if self.runs_file.exists():
            df, problem = integrity.read_runs_table(self.runs_file)
            if df is None:
                damaged.append(Damage(self.runs_file, problem or "damaged", table=True))
            else:
                frames.append(df)
        files, rows = [], []
        for f in self._row_files():
            row, problem = integrity.read_row_file(f)
            if row is None:
                damaged.append(Damage(f, problem or "damaged", runs={f.stem}))
            else:
                rows.append(row)
                files.append(f)
        if rows:
            frames.append(pd.DataFrame(rows))
        frames = [f for f in frames if len(f)]
        if not frames:
            empty = pd.DataFrame({c: pd.Series(dtype=object) for c in integrity.ROW_KEYS})
            return Rows(empty, files, damaged)
        df = pd.concat(frames, ignore_index=True) if len(frames) > 1 else frames[0]
        return Rows(df.drop_duplicates("run_id", keep="last").reset_index(drop=True), files, damaged)

    def finished(self) -> dict[str, str]:
        """run_id -> status of every recorded run."""
        df = self.read_rows().frame
        return dict(zip(df["run_id"], df["status"], strict=True))

    def inspect(self, exp: Experiment, *, deep: bool = False) -> list[Damage]:
        """Every damaged file of this folder, and the runs each makes run again.

        Checks runs.parquet and the row files, design.parquet, and the time
        series of every run recorded ok in the current design (the footer:
        days and columns; ``deep``: every page and its checksum too).
        """
        rows = self.read_rows()
        damaged = list(rows.damaged)
        if self.design_file.exists():
            problem = integrity.design_problem(self.design_file, deep=deep)
            if problem:
                damaged.append(Damage(self.design_file, problem))
        df = rows.frame
        if len(df):
            current = exp.in_design(df["config_id"].astype(str).tolist(), df["replication"].astype("int64"),
                                    df["seed"].astype("int64"))
            steps = len(exp.kept_steps)
            done = df.loc[current & (df["status"] == OK).to_numpy(), ["run_id", "config_id"]]
            communities = self.communities_of(exp, done["config_id"]) if exp.city else {}
            for run_id, config in zip(done["run_id"], done["config_id"], strict=True):
                checks = [(self.part(run_id), integrity.part_problem(self.part(run_id), run_id, steps, exp.outcomes,
                                                                    deep=deep))]
                if exp.city:
                    n = communities[config]
                    checks += [
                        (self.community_part(run_id),
                         integrity.table_problem(self.community_part(run_id), run_id, n * steps,
                                                 ("run_id", *COMMUNITY_LABELS, *exp.outcomes), "community-days",
                                                 deep=deep)),
                        (self.communities_part(run_id),
                         integrity.table_problem(self.communities_part(run_id), run_id, n,
                                                 ("run_id", *COMMUNITY_COLUMNS), "communities", deep=deep))]
                damaged += [Damage(path, problem, runs={run_id}) for path, problem in checks if problem]
        return damaged

    @staticmethod
    def communities_of(exp: Experiment, config_ids: Iterable[str]) -> dict[str, int]:
        """The communities of each (city) configuration: the rows its communities table must have."""
        out: dict[str, int] = {}
        for config in set(config_ids):
            index = int(exp.index_of([config])[0])
            out[config] = int(exp.configuration(index).values["city.communities"])
        return out

    # --- mending and setting aside -------------------------------------------------------

    def set_aside_damage(self, damaged: list[Damage]) -> Path | None:
        """Move damaged files to ``damaged/<time>/`` (never deleted); their runs then count as not run."""
        if not damaged:
            return None
        target = self.damaged / stamp()
        for d in damaged:
            if d.path.exists():
                relative = d.path.relative_to(self.root)
                (target / relative.parent).mkdir(parents=True, exist_ok=True)
                os.replace(d.path, target / relative)
        with atomic_path(target / "why.json") as tmp:
            tmp.write_text(json.dumps([{"file": str(d.path.relative_to(self.root)), "problem": d.problem,
                                        "runs_again": sorted(d.runs)} for d in damaged], indent=2) + "\n")
        return target

    def consolidate(self, exp: Experiment, forget: set[str] | frozenset[str] = frozenset()) -> dict[str, int]:
        """Rewrite runs.parquet from everything recorded (atomically), then drop the row files it now holds.

        Runs in ``forget`` are dropped (their time series was damaged: they
        run again).  Runs that are not part of this version of the experiment
        are moved to ``superseded/``.  Returns counts of ok and failed runs, and of the runs set aside.
        """
        rows = self.read_rows()
        if any(d.table for d in rows.damaged):
            raise OSError(f"{self.runs_file} was damaged while the sweep ran")
        df = rows.frame
        if forget:
            df = df[~df["run_id"].isin(forget)]
        superseded = 0
        if len(df):
            current = exp.in_design(df["config_id"].astype(str).tolist(), df["replication"].astype("int64"),
                                    df["seed"].astype("int64"))
            stale = df[~current]
            if len(stale):
                self.set_aside(stale)
                superseded = len(stale)
            df = df[current]
        table = runs_table(df, exp)
        with atomic_path(self.runs_file) as tmp:
            pq.write_table(table, tmp, write_page_checksum=True)
        for f in rows.files:
            f.unlink(missing_ok=True)
        status = table.column("status").to_pylist()
        return {"ok": status.count(OK), "failed": len(status) - status.count(OK), "superseded": superseded}

    def set_aside(self, rows: pd.DataFrame, why: str = "superseded") -> Path:
        """Move runs to ``superseded/<time>/`` (rows and time series), out of this experiment's tables."""
        target = self.superseded / stamp()
        target.mkdir(parents=True, exist_ok=True)
        keep = rows.drop(columns=[c for c in rows.columns if rows[c].isna().all() and c in SCHEMA])
        with atomic_path(target / "runs.parquet") as tmp:
            keep.to_parquet(tmp, index=False)
        with atomic_path(target / "why.txt") as tmp:
            tmp.write_text(why + "\n")
        for run_id in rows["run_id"]:
            for source in self.run_files(run_id):
                if source.exists():
                    (target / source.parent.name).mkdir(exist_ok=True)
                    os.replace(source, target / source.parent.name / source.name)
        return target

    def set_aside_everything(self, why: str) -> int:
        """Move every recorded run to ``superseded/`` (``--rerun-all``); returns how many."""
        rows = self.read_rows()
        if len(rows.frame):
            self.set_aside(rows.frame, why)
        self.runs_file.unlink(missing_ok=True)
        for f in rows.files:
            f.unlink(missing_ok=True)
        return len(rows.frame)

    def set_aside_orphans(self) -> int:
        """Move time series (and a city's files) that no recorded run owns (a sweep killed between the writes) to
        ``superseded/``."""
        folders = [f for f in self.part_folders if f.is_dir()]
        if not folders:
            return 0
        owned = set(self.read_rows().frame["run_id"])
        orphans = [p for f in folders for p in f.glob("part-*.parquet") if p.stem[len("part-"):] not in owned]
        if orphans:
            target = self.superseded / ("orphans-" + stamp())
            for p in orphans:
                (target / p.parent.name).mkdir(parents=True, exist_ok=True)
                os.replace(p, target / p.parent.name / p.name)
        return len(orphans)

    def clear_temporary(self) -> None:
        """Remove temporary files a killed sweep left behind (names starting with '.' and ending '.tmp')."""
        for folder in (self.root, self.parts, *self.part_folders):
            if folder.is_dir():
                for p in folder.glob(".*.tmp"):
                    p.unlink(missing_ok=True)


def runs_table(df: pd.DataFrame, exp: Experiment) -> pa.Table:
    """The runs.parquet table: rows in design order, each with its design point and varied parameters.

    The point is looked up from the configuration's identity in the current
    design (a run recorded before a grid value was added keeps its
    configuration, not its old position); a varied parameter a row lacks
    (one that became varied later) is filled from its configuration.
    """
    schema = runs_schema(exp)
    index = exp.index_of(df["config_id"].astype(str).tolist()) if len(df) else np.empty(0, dtype=np.int64)
    df = df.assign(_order=index, replication=df["replication"].astype("int64"))
    df = df.sort_values(["replication", "_order"], kind="stable").reset_index(drop=True)
    index = df["_order"].to_numpy(dtype=np.int64)
    columns = {}
    fill: dict[int, dict[str, Any]] = {}
    for f in schema:
        if f.name == "point":
            data: list[Any] = (exp.config_cell[index] % exp.n_points).tolist() if len(df) else []
        elif f.name in SCHEMA:
            recorded = df[f.name] if f.name in df.columns else pd.Series([None] * len(df), dtype=object)
            kind = SCHEMA[f.name].kind
            data = [None if pd.isna(x) else kind(x) for x in recorded.tolist()]  # concat may have made ints floats
            for i in np.flatnonzero(recorded.isna().to_numpy()):
                config = int(index[i])
                if config not in fill:
                    fill[config] = dict(exp.configuration(config).values)
                data[i] = fill[config][f.name]
        elif f.name in df.columns:
            data = df[f.name].tolist()
        else:
            data = [None] * len(df)
        if pa.types.is_string(f.type):
            data = [None if (x is None or (isinstance(x, float) and np.isnan(x))) else str(x) for x in data]
        columns[f.name] = pa.array(data, f.type, from_pandas=True)
    return pa.table(columns, schema=schema)


def design_chunks(exp: Experiment, chunk: int = 50_000) -> Iterator[pd.DataFrame]:
    """design.parquet in chunks: one row per scenario and design point, its configuration, varied values and
    (sampled designs) raw sample."""
    sample = getattr(exp.design, "sample", None)
    names = list(getattr(exp.design, "problem", {}).get("names", []))
    rows: list[dict[str, Any]] = []
    for s, scenario in enumerate(exp.scenarios):
        for point in range(exp.n_points):
            index = int(exp.cell_config[s, point])
            values = exp.values(s, point)
            row: dict[str, Any] = {"scenario": scenario.name, "point": point, "config_id": exp.config_id(index)}
            row.update({k: values[k] for k in exp.varied})
            if sample is not None and names:
                row.update({f"sample.{n}": float(sample[point, j]) for j, n in enumerate(names)})
            rows.append(row)
            if len(rows) >= chunk:
                yield pd.DataFrame(rows)
                rows = []
    if rows or not exp.n_points:
        yield pd.DataFrame(rows)
