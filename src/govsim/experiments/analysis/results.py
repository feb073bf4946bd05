"""A results folder read back for analysis: its manifest, design and runs, checked on the way.

Each run is placed by its configuration's identity (``config_id``) in the
folder's current design: its design point and parameter values come from
``design.parquet``, never from the position recorded when it ran, so runs of
an earlier version of the design (before a grid value was added) sit where
their configuration sits now.

A folder that does not exist, holds no results, or has a damaged file is
refused with one line naming the file and saying how to repair it.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import Any

import pandas as pd

from govsim.errors import InputError
from govsim.experiments import integrity
from govsim.experiments.experiment import OK, statistics
from govsim.experiments.store import ResultStore
from govsim.outcomes import BY_NAME, MAIN_OUTCOMES
from govsim.params import SCHEMA

MAX_TABLE_KEYS = 12
"""Up to this many varied parameters, every summary row carries their values (see :attr:`Results.table_keys`)."""


@dataclass
class Results:
    """A results folder read back.

    Attributes:
        root: the folder.
        manifest: its manifest.json.
        design: design.parquet: one row per scenario and design point.
        runs: every recorded run of the current design, with its design point and varied parameters.
    """

    root: Path
    manifest: dict[str, Any]
    design: pd.DataFrame
    runs: pd.DataFrame

    @cached_property
    def ok(self) -> pd.DataFrame:
        return self.runs[self.runs["status"] == OK]

    @property
    def name(self) -> str:
        return str(self.manifest["experiment"]["name"])

    @property
    def outcomes(self) -> list[str]:
        return list(self.manifest["outcomes"])

    @property
    def design_keys(self) -> list[str]:
        return list(self.manifest["design"]["parameters"])

    @property
    def table_keys(self) -> list[str]:
        """The design's parameters that the summary tables carry as columns: all of them, unless there are more
        than :data:`MAX_TABLE_KEYS` (a screen of every parameter); then the tables name each configuration by
        ``config_id`` and ``point``, and design.parquet holds its values."""
        keys = self.design_keys
        return keys if len(keys) <= MAX_TABLE_KEYS else []

    @property
    def kind(self) -> str:
        return str(self.manifest["design"]["kind"])

    @property
    def factors(self) -> list[dict[str, Any]]:
        """The design's factors ({key, form}); read from the design's keys for folders written before they were
        recorded."""
        recorded = self.manifest["design"].get("factors")
        if isinstance(recorded, list):
            return recorded
        from govsim.params import SHARE_GROUPS

        keys = self.design_keys
        out: list[dict[str, Any]] = []
        for group, members in SHARE_GROUPS.items():
            if all(k in keys for k in members):
                out.append({"key": group, "form": "simplex"})
        grouped = {k for f in out for k in SHARE_GROUPS[f["key"]]}
        out += [{"key": k, "form": "values"} for k in keys if k not in grouped]
        return out

    @property
    def statistics(self) -> tuple[str, ...]:
        """What each run recorded of each outcome: final, mean and the mean over each window."""
        windows = self.manifest.get("windows") or {}
        return statistics(tuple((name, int(a), int(b)) for name, (a, b) in windows.items()))

    @property
    def scenarios(self) -> list[str]:
        return list(self.manifest["scenarios"])

    @property
    def replications(self) -> int:
        return int(self.manifest["replications"])

    @property
    def headline_outcome(self) -> str:
        """The outcome a headline speaks of: the first main outcome kept."""
        return next((o for o in MAIN_OUTCOMES if o in self.outcomes), self.outcomes[0])

    def shown_outcomes(self, limit: int = 9) -> list[str]:
        """The outcomes to show first: the main ones that were kept, else the first kept."""
        main = [o for o in MAIN_OUTCOMES if o in self.outcomes]
        return (main or self.outcomes)[:limit]

    def repair_hint(self) -> str:
        """How to repair this folder."""
        file = self.manifest.get("experiment", {}).get("file", "EXPERIMENT")
        return repair_hint(self.root, file)


def repair_hint(root: Path, experiment: str = "EXPERIMENT") -> str:
    return (f"run `govsim sweep {experiment} --out {root}` to repair it (damaged files are set aside and exactly "
            "their runs run again)")


def load_results(root: str | Path) -> Results:
    """Read a results folder (also one whose sweep is still running or was killed).

    Raises:
        InputError: the folder does not exist, holds no results, or a file is damaged.
    """
    root = Path(root)
    where = str(root)
    if not root.exists():
        raise InputError("does not exist (give the results folder a sweep wrote, e.g. results/<experiment>)",
                         source=where)
    if not root.is_dir():
        raise InputError("is a file, not a results folder", source=where)
    store = ResultStore(root)
    manifest, problem = integrity.read_manifest(store.manifest_file, for_analysis=True)
    if manifest is None:
        if problem == "missing":
            raise InputError("holds no govsim sweep results (no manifest.json and design.parquet)", source=where)
        raise InputError(f"damaged: {problem}; {repair_hint(root)}", source=str(store.manifest_file))
    hint = repair_hint(root, manifest["experiment"].get("file", "EXPERIMENT"))
    problem = integrity.design_problem(store.design_file)
    if problem:
        raise InputError(f"{'damaged: ' if problem != 'missing' else ''}{problem}; {hint}",
                         source=str(store.design_file))
    try:
        design = pd.read_parquet(store.design_file)
    except Exception as e:  # damage the footer check could not see
        raise InputError(f"damaged: cannot be read ({type(e).__name__}: {e}); {hint}",
                         source=str(store.design_file)) from None
    rows = store.read_rows()
    if rows.damaged:
        first = rows.damaged[0]
        more = f" (and {len(rows.damaged) - 1} more damaged files)" if len(rows.damaged) > 1 else ""
        raise InputError(f"damaged: {first.problem}{more}; {hint}", source=str(first.path))
    df = rows.frame
    varied = [k for k in manifest["varied"] if k in design.columns]
    known = design.drop_duplicates("config_id")[["config_id", "point", *varied]]
    if len(df):
        df = df.drop(columns=[c for c in df.columns if c in SCHEMA or c == "point"])
        df = df[df["config_id"].isin(known["config_id"])
                & (df["replication"].astype("int64") < manifest["replications"])]
        df = df.merge(known, on="config_id", how="left")
        df["replication"] = df["replication"].astype("int64")
        df["point"] = df["point"].astype("int64")
    else:
        df = pd.DataFrame(columns=["run_id", "config_id", "scenario", "point", "replication", "status"])
    for outcome in manifest["outcomes"]:
        if outcome not in BY_NAME:
            raise InputError(f"records outcome {outcome!r}, which this govsim does not know", source=where)
    return Results(root, manifest, design, df.reset_index(drop=True))
