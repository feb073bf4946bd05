"""Damaged results files: found, named, set aside, and exactly their runs run again - never a traceback."""

from __future__ import annotations

import json
import shutil
import subprocess

import pandas as pd
import pyarrow.parquet as pq
import pytest
from click.testing import CliRunner
from pandas.testing import assert_frame_equal

from govsim.cli import main
from govsim.errors import InputError
from govsim.experiments import analyze_results, load_experiment
from govsim.experiments.runner import SerialExecutor
from govsim.experiments.store import ResultStore
from govsim.experiments.sweep import run_experiment

from . import helpers
from .conftest import govsim_command, subprocess_env


def resume(small_file, out, **options):
    lines: list[str] = []
    report = run_experiment(load_experiment(small_file), out, executor=SerialExecutor(), progress=False,
                            echo=lines.append, **options)
    return report, lines


def damaged_copy(small_serial, tmp_path, name="damaged"):
    out = shutil.copytree(small_serial, tmp_path / name)
    return out, ResultStore(out), pd.read_parquet(out / "runs.parquet")["run_id"].tolist()


def assert_whole(out, small_serial):
    assert_frame_equal(helpers.table(out), helpers.table(small_serial))
    assert_frame_equal(helpers.series(out), helpers.series(small_serial))
    manifest = json.loads((out / "manifest.json").read_text())
    assert manifest["status"] == "complete"


def truncate(path, keep=0.5):
    data = path.read_bytes()
    path.write_bytes(data[: int(len(data) * keep)])


def test_a_truncated_time_series_part_runs_its_run_again(tmp_path, small_file, small_serial):
    out, store, ids = damaged_copy(small_serial, tmp_path)
    truncate(store.part(ids[3]))
    report, lines = resume(small_file, out)
    assert report.ran == 1
    assert any(f"damaged: timeseries/part-{ids[3]}.parquet: not a whole Parquet file" in line
               and "its run runs again" in line for line in lines)
    assert list((out / "damaged").glob(f"*/timeseries/part-{ids[3]}.parquet"))
    assert_whole(out, small_serial)


@pytest.mark.slow
def test_a_damaged_runs_table_runs_again_exactly_the_runs_only_it_held(tmp_path, small_file, small_serial):
    out, _, _ = damaged_copy(small_serial, tmp_path)
    runs = pd.read_parquet(out / "runs.parquet")
    runs.iloc[:8].to_parquet(out / "runs.parquet", index=False)
    for row in runs.iloc[8:].to_dict("records"):  # four runs still in their row files
        (out / "runs" / f"{row['run_id']}.json").write_text(json.dumps(row, default=str))
    truncate(out / "runs.parquet", 0.3)
    report, lines = resume(small_file, out)
    assert report.ran == 8 and report.skipped == 4
    assert any(line.startswith("damaged: runs.parquet:") and "only in it run again" in line for line in lines)
    assert_whole(out, small_serial)


@pytest.mark.parametrize("content", ["[]", "{}", '{"experiment": []}', "not json at all"])
def test_a_manifest_of_the_wrong_shape_is_replaced_and_no_run_repeats(tmp_path, small_file, small_serial, content):
    out, _, _ = damaged_copy(small_serial, tmp_path)
    (out / "manifest.json").write_text(content)
    report, lines = resume(small_file, out)
    assert report.ran == 0
    assert any(line.startswith("damaged: manifest.json:") for line in lines)
    assert_whole(out, small_serial)


def test_a_damaged_row_file_and_design_table(tmp_path, small_file, small_serial):
    out, _, ids = damaged_copy(small_serial, tmp_path)
    runs = pd.read_parquet(out / "runs.parquet")
    runs[runs["run_id"] != ids[5]].to_parquet(out / "runs.parquet", index=False)
    (out / "runs" / f"{ids[5]}.json").write_text('{"run_id": "' + ids[5] + '", "status": "o')  # cut short
    (out / "design.parquet").write_bytes(b"PAR1 but not really")
    report, lines = resume(small_file, out)
    assert report.ran == 1
    assert any(f"runs/{ids[5]}.json: not valid JSON" in line for line in lines)
    assert any("design.parquet" in line and "written anew" in line for line in lines)
    assert pq.read_metadata(out / "design.parquet").num_rows == 4
    assert_whole(out, small_serial)


def test_repair_finds_what_the_footer_check_cannot(tmp_path, small_file, small_serial):
    out, store, ids = damaged_copy(small_serial, tmp_path)
    path = store.part(ids[2])
    data = bytearray(path.read_bytes())
    column = pq.read_metadata(path).row_group(0).column(2)
    data[column.data_page_offset + column.total_compressed_size // 2] ^= 0xFF
    path.write_bytes(bytes(data))
    plain, _ = resume(small_file, out)
    assert plain.ran == 0  # a plain resume reads footers only
    with pytest.raises(InputError, match=f"part-{ids[2]}.parquet: damaged: cannot be read"):
        analyze_results(out, figures=False)  # the analysis reads every page and names the file
    done = CliRunner().invoke(main, ["sweep", str(small_file), "--out", str(out), "--repair", "--workers", "1",
                                     "--no-progress"])
    assert done.exit_code == 0, done.output
    assert f"damaged: timeseries/part-{ids[2]}.parquet: cannot be read as Parquet" in done.output
    assert "12 ok, 0 failed of 12 runs (1 run now" in done.output
    assert_whole(out, small_serial)


@pytest.mark.parametrize("damage, where", [
    ("part", "timeseries/part-"), ("runs", "runs.parquet"), ("design", "design.parquet"),
    ("manifest", "manifest.json"), ("row", ".json"),
])
def test_analyze_names_a_damaged_file_and_how_to_repair_it(tmp_path, small_serial, damage, where):
    out, store, ids = damaged_copy(small_serial, tmp_path)
    if damage == "part":
        truncate(store.part(ids[0]))
    elif damage == "runs":
        truncate(out / "runs.parquet")
    elif damage == "design":
        truncate(out / "design.parquet")
    elif damage == "manifest":
        (out / "manifest.json").write_text('{"experiment": {"name": "small"}}')
    else:
        (out / "runs" / "abc.json").write_text("[")
    with pytest.raises(InputError) as info:
        analyze_results(out, figures=False)
    message = str(info.value)
    assert where in message and "\n" not in message
    assert "govsim sweep" in message and "to repair it" in message


@pytest.mark.slow
def test_cli_analyze_of_a_damaged_folder_is_one_line_and_exit_2(tmp_path, small_serial):
    out, _, _ = damaged_copy(small_serial, tmp_path)
    truncate(out / "runs.parquet")
    done = subprocess.run([*govsim_command(), "analyze", str(out), "--no-figures"], capture_output=True, text=True,
                          env=subprocess_env(), timeout=120, check=False)
    assert done.returncode == 2
    assert done.stderr.startswith(f"govsim: error: {out / 'runs.parquet'}: damaged: not a whole Parquet file")
    assert "Traceback" not in done.stderr and len(done.stderr.strip().splitlines()) == 1
