"""The results store, tested directly: permissions, the lock, rows, and damaged files found and named."""

from __future__ import annotations

import json
import os
import shutil
import stat
import threading

import pandas as pd
import pyarrow.parquet as pq
import pytest

from govsim.errors import InputError
from govsim.experiments import integrity, load_experiment
from govsim.experiments.experiment import OK
from govsim.experiments.runner import execute
from govsim.experiments.store import ResultStore, runs_table

from . import helpers
from .conftest import copy_tree


@pytest.fixture
def umask_027():
    old = os.umask(0o027)
    yield
    os.umask(old)


def test_results_files_get_the_users_umask_not_0600(tmp_path, small_file, umask_027):
    exp = load_experiment(small_file)
    store = ResultStore(tmp_path / "out")
    task = next(exp.tasks())
    store.write(execute(task), exp.outcomes)
    store.write_manifest({"experiment": {"name": exp.name}})
    store.write_inputs(exp)
    files = [store.manifest_file, store.design_file, store.part(task.run_id), store.parts / f"{task.run_id}.json"]
    for path in files:
        assert stat.S_IMODE(path.stat().st_mode) == 0o640, path  # 0666 & ~027


def test_the_lock_refuses_a_second_sweep_and_is_removed_when_released(tmp_path):
    store = ResultStore(tmp_path / "locked")
    with store.lock():
        assert (store.root / ".lock").read_text() == f"pid {os.getpid()}"
        with pytest.raises(InputError, match=f"another govsim sweep \\(pid {os.getpid()}\\)"), \
                ResultStore(tmp_path / "locked").lock():
            pass
    assert not (store.root / ".lock").exists()
    with store.lock():  # and it can be taken again
        pass


def test_the_lock_is_never_held_twice_when_its_file_is_replaced(tmp_path):
    """A sweep that finishes removes its lock file; one that opened the old file must not think it holds the lock."""
    store = ResultStore(tmp_path / "race")
    store.root.mkdir()
    held = threading.Event()
    release = threading.Event()

    def first():
        with store.lock():
            held.set()
            release.wait(10)

    thread = threading.Thread(target=first)
    thread.start()
    assert held.wait(10)
    (store.root / ".lock").unlink()  # as if the holder had just finished and removed it
    with store.lock():  # a new file: this sweep holds it, the other holds a removed one
        assert (store.root / ".lock").exists()
    release.set()
    thread.join(10)


def test_rows_are_read_from_the_table_and_newer_row_files(tmp_path, small_file, small_serial):
    out = copy_tree(small_serial, tmp_path / "copy")
    store = ResultStore(out)
    runs = pd.read_parquet(out / "runs.parquet")
    runs.iloc[:5].to_parquet(out / "runs.parquet", index=False)
    for row in runs.iloc[5:8].to_dict("records"):
        (out / "runs" / f"{row['run_id']}.json").write_text(json.dumps(row, default=str))
    rows = store.read_rows()
    assert len(rows.frame) == 8 and len(rows.files) == 3 and not rows.damaged
    assert store.consolidate(load_experiment(small_file)) == {"ok": 8, "failed": 0, "superseded": 0}
    assert helpers.row_files(out) == 0 and len(pd.read_parquet(out / "runs.parquet")) == 8


def test_the_runs_table_places_each_run_by_its_configuration(small_file, small_serial):
    exp = load_experiment(small_file)
    df = pd.read_parquet(small_serial / "runs.parquet").sample(frac=1, random_state=1)  # any order
    df["point"] = 99  # whatever was recorded
    table = runs_table(df, exp).to_pandas()
    staff = {20: 0, 30: 1}
    assert (table["point"] == table["centre.staff"].map(staff)).all()
    assert table["replication"].is_monotonic_increasing  # replication by replication, in design order


# --- damage --------------------------------------------------------------------------------------


def _truncate(path, keep=0.5):
    data = path.read_bytes()
    path.write_bytes(data[: int(len(data) * keep)])


@pytest.mark.parametrize("content, problem", [
    ("[]", "not a JSON object (a list)"), ("{}", 'no "experiment" with a "name"'),
    ('{"experiment": {"name": 5}}', 'no "experiment" with a "name"'), ("{not json", "not valid JSON"),
    ('{"experiment": {"name": "x"}, "sessions": 3}', '"sessions" is not a list'),
])
def test_a_manifest_of_the_wrong_shape_is_named(tmp_path, content, problem):
    path = tmp_path / "manifest.json"
    path.write_text(content)
    manifest, found = integrity.read_manifest(path)
    assert manifest is None and problem in found


def test_a_manifest_that_is_fine_for_a_sweep_can_still_lack_what_analysis_needs(small_serial):
    manifest = json.loads((small_serial / "manifest.json").read_text())
    assert integrity.manifest_problem(manifest, for_analysis=True) is None
    del manifest["outcomes"]
    assert integrity.manifest_problem(manifest) is None
    assert integrity.manifest_problem(manifest, for_analysis=True) == '"outcomes" is not a list of names'


def test_inspect_names_every_damaged_file_and_the_runs_it_makes_run_again(tmp_path, small_file, small_serial):
    exp = load_experiment(small_file)
    out = copy_tree(small_serial, tmp_path / "damaged")
    store = ResultStore(out)
    assert store.inspect(exp) == []
    runs = pd.read_parquet(out / "runs.parquet")
    ids = runs["run_id"].tolist()
    _truncate(store.part(ids[0]))                                        # truncated
    store.part(ids[1]).write_bytes(b"garbage" * 10)                      # overwritten
    pq.write_table(pq.read_table(store.part(ids[2])).slice(0, 3), store.part(ids[3]))  # whole, but too short
    store.part(ids[4]).unlink()                                          # missing
    (out / "runs").mkdir(exist_ok=True)
    (out / "runs" / "0000000000000000.json").write_text("{")             # a row file cut short
    (out / "runs" / "1111111111111111.json").write_text('{"run_id": "1111111111111111"}')
    _truncate(store.design_file)
    found = {d.path.name: d for d in store.inspect(exp)}
    assert found[f"part-{ids[0]}.parquet"].problem == "not a whole Parquet file (truncated or overwritten)"
    assert found[f"part-{ids[1]}.parquet"].runs == {ids[1]}
    assert found[f"part-{ids[3]}.parquet"].problem == f"holds 3 days, not {len(exp.kept_steps)}"
    assert found[f"part-{ids[4]}.parquet"].problem == "missing"
    assert found["0000000000000000.json"].problem.startswith("not valid JSON")
    assert found["1111111111111111.json"].problem == "has no 'config_id'"
    assert found["design.parquet"].runs == set()
    assert len(found) == 7

    target = store.set_aside_damage(store.inspect(exp))
    why = json.loads((target / "why.json").read_text())
    assert {w["file"] for w in why} >= {"design.parquet", f"timeseries/part-{ids[0]}.parquet"}
    assert (target / "timeseries" / f"part-{ids[0]}.parquet").exists() and not store.part(ids[0]).exists()
    assert store.inspect(exp) == [] or all(d.problem == "missing" for d in store.inspect(exp))

    # A damaged table hides which runs it held: they all run again (their parts are orphans until then).
    _truncate(store.runs_file)
    assert [(d.path.name, d.table) for d in store.read_rows().damaged] == [("runs.parquet", True)]


def test_a_page_corrupted_inside_a_part_is_found_only_by_the_deep_check(tmp_path, small_file, small_serial):
    exp = load_experiment(small_file)
    out = copy_tree(small_serial, tmp_path / "flipped")
    store = ResultStore(out)
    run_id = pd.read_parquet(out / "runs.parquet")["run_id"].iloc[0]
    path = store.part(run_id)
    data = bytearray(path.read_bytes())
    meta = pq.read_metadata(path)
    column = meta.row_group(0).column(2)  # the first outcome's data page
    at = column.data_page_offset + column.total_compressed_size // 2
    data[at] ^= 0xFF
    path.write_bytes(bytes(data))
    steps = len(exp.kept_steps)
    assert integrity.part_problem(path, run_id, steps, exp.outcomes) is None  # the footer is intact
    assert "cannot be read" in integrity.part_problem(path, run_id, steps, exp.outcomes, deep=True)


def test_a_folder_of_other_files_is_refused_and_a_damaged_manifest_is_reported(tmp_path, small_file, small_serial):
    exp = load_experiment(small_file)
    other = tmp_path / "other"
    other.mkdir()
    (other / "notes.txt").write_text("mine")
    with pytest.raises(InputError, match="holds no govsim results"):
        ResultStore(other).check_target(exp)
    out = copy_tree(small_serial, tmp_path / "results")
    (out / "manifest.json").write_text("[1, 2]")
    manifest, damage = ResultStore(out).check_target(exp)
    assert manifest is None and damage is not None and damage.path.name == "manifest.json"
    shutil.rmtree(out / "timeseries")
    assert ResultStore(out).check_target(exp)[1] is not None  # runs.parquet still makes it a results folder


def test_recorded_runs_carry_their_code_and_varied_values(small_serial):
    runs = pd.read_parquet(small_serial / "runs.parquet")
    from govsim.experiments.code_identity import current_id

    assert (runs["code"] == current_id()).all()
    assert set(runs["status"]) == {OK}
    assert runs["centre.staff"].isin([20, 30]).all()
