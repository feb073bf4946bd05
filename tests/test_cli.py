"""The command line: run, scenarios, params, and its handling of bad input."""

import subprocess
import sys

import pandas as pd
import pytest
from click.testing import CliRunner

from govsim.cli import main
from govsim.outcomes import OUTCOME_NAMES
from tests.conftest import ROOT, SCENARIOS


def invoke(*args):
    return CliRunner().invoke(main, [str(a) for a in args])


def test_run_writes_timeseries_and_figure_and_prints_a_summary(tmp_path):
    out = tmp_path / "out"
    r = invoke("run", SCENARIOS / "guiyang_2012.toml", "--steps", 30, "--seed", 4,
               "--set", "population.residents=2000", "--out", out)
    assert r.exit_code == 0, r.output
    df = pd.read_csv(out / "timeseries.csv")
    assert len(df) == 30 and list(df.columns) == ["step", *OUTCOME_NAMES]
    assert (out / "outcomes.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert "satisfaction" in r.output and "downward_reach" in r.output and "seed 4" in r.output
    assert not list(out.glob(".*.tmp"))  # no temporary files left behind


def test_run_is_reproducible_from_the_command_line(tmp_path):
    for name in ("a", "b"):
        invoke("run", SCENARIOS / "article_remedies.toml", "--steps", 20, "--seed", 9,
               "--set", "population.residents=1500", "--out", tmp_path / name)
    assert (tmp_path / "a/timeseries.csv").read_text() == (tmp_path / "b/timeseries.csv").read_text()


def test_scenarios_lists_descriptions():
    r = invoke("scenarios", "--dir", SCENARIOS)
    assert r.exit_code == 0
    for name in ("pre_reform_2009", "guiyang_2012", "article_remedies"):
        assert name in r.output
    assert "diagnosis" in r.output


def test_params_lists_the_schema():
    r = invoke("params")
    assert r.exit_code == 0 and "centre.role_emphasis.service" in r.output and "allowed:" in r.output
    md = invoke("params", "--markdown")
    assert md.output.startswith("| key | default |") and "| population.residents | 30000 |" in md.output


BAD_FILES = {
    "malformed": ('description = "x"\n[centre\n', "not valid TOML"),
    "unknown_key": ('description = "x"\n[centre]\nstaf = 3\n', "centre.staf: unknown parameter (did you mean 'centre.staff'"),
    "wrong_type": ('description = "x"\n[structure]\nlevels = "three"\n', "structure.levels: got 'three' (str); allowed: one of 3, 4"),
    "out_of_bounds": ('description = "x"\n[centre]\nquality = 1.5\n', "centre.quality: 1.5 is out of bounds; allowed: a number from 0 to 1"),
    "shares": ('description = "x"\n[centre.role_emphasis]\nservice = 0.5\n', "centre.role_emphasis: shares must sum to 1"),
}


@pytest.mark.parametrize("case", BAD_FILES)
def test_bad_scenario_files_get_one_clear_line_and_exit_2(tmp_path, case):
    text, message = BAD_FILES[case]
    path = tmp_path / f"{case}.toml"
    path.write_text(text)
    out = tmp_path / "out"
    r = invoke("run", path, "--out", out)
    assert r.exit_code == 2
    assert r.output.startswith(f"govsim: error: {path}: ") and message in r.output
    assert "Traceback" not in r.output and not out.exists()


@pytest.mark.parametrize("args, message", [
    (["run", "nowhere.toml"], "nowhere.toml: no such scenario file"),
    (["run", SCENARIOS / "guiyang_2012.toml", "--set", "centre.staff"], "--set: centre.staff: expected KEY=VALUE"),
    (["run", SCENARIOS / "guiyang_2012.toml", "--set", "centre.staf=3"], "--set: centre.staf: unknown parameter"),
    (["run", SCENARIOS / "guiyang_2012.toml", "--set", "centre.staff=-2"], "--set: centre.staff: -2 is out of bounds"),
    (["run", SCENARIOS / "guiyang_2012.toml", "--set", "structure.two_signs_one_team=maybe"], "allowed: true or false"),
    (["run", SCENARIOS / "guiyang_2012.toml", "--set", "centre.role_emphasis.service=0.9"],
     "--set: centre.role_emphasis: shares must sum to 1"),
    (["run", SCENARIOS / "guiyang_2012.toml", "--steps", "0"], "--steps"),
    (["scenarios", "--dir", "no/such/dir"], "no/such/dir: no such folder"),
])
def test_bad_options_exit_2_and_write_nothing(tmp_path, args, message):
    out = tmp_path / "out"
    r = invoke(*args, "--out", out) if args[0] == "run" else invoke(*args)
    assert r.exit_code == 2, r.output
    assert message in r.output and "Traceback" not in r.output
    assert not out.exists()


def test_the_installed_command_exits_2_without_traceback(tmp_path):
    bad = tmp_path / "bad.toml"
    bad.write_text('description = "x"\n[centre]\nquality = 7\n')
    p = subprocess.run([sys.executable, "-m", "govsim", "run", str(bad), "--out", str(tmp_path / "o")],
                       capture_output=True, text=True, cwd=ROOT)
    assert p.returncode == 2 and p.stdout == ""
    assert p.stderr.strip() == f"govsim: error: {bad}: centre.quality: 7.0 is out of bounds; allowed: a number from 0 to 1"


def test_docs_parameter_table_matches_the_schema():
    """docs/parameters.md is generated from the schema; regenerate it when the schema changes."""
    generated = invoke("params", "--markdown").output
    assert generated in (ROOT / "docs" / "parameters.md").read_text(encoding="utf-8")
