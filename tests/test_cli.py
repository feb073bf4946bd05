"""The command line: run, scenarios, params, outcomes, and its handling of bad input.

Where the process itself matters (exit status, stderr, what a run leaves on
disk, that a refused run never starts) the tests run the installed ``govsim``;
elsewhere click's CliRunner.
"""

import re
import signal
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest
from click.testing import CliRunner

from govsim.cli import main
from govsim.outcomes import BY_NAME, MAIN_OUTCOMES, OUTCOME_NAMES, OUTCOMES, PANELS, panel_unit
from govsim.params import SCHEMA
from tests.conftest import ROOT, SCENARIOS

GOVSIM = str(Path(sys.executable).with_name("govsim"))  # the console script installed beside this Python
SMALL = ("--set", "population.residents=300")


def invoke(*args):
    return CliRunner().invoke(main, [str(a) for a in args])


def govsim(*args, timeout=120, cwd=ROOT):
    return subprocess.run([GOVSIM, *map(str, args)], capture_output=True, text=True, timeout=timeout, cwd=cwd,
                          check=False)


def one_error_line(p) -> str:
    """The single line a refused command prints; fails if it printed more, or a traceback."""
    assert p.returncode == 2, (p.returncode, p.stderr)
    assert p.stdout == "" and "Traceback" not in p.stderr
    lines = p.stderr.splitlines()
    assert len(lines) == 1 and lines[0].startswith("govsim: error: "), p.stderr
    return lines[0]


# --- run ---------------------------------------------------------------------------------


@pytest.mark.slow
def test_run_writes_timeseries_and_figure_and_prints_a_summary(tmp_path):
    out = tmp_path / "out"
    r = invoke("run", SCENARIOS / "guiyang_2012.toml", "--steps", 30, "--seed", 4, *SMALL, "--out", out)
    assert r.exit_code == 0, r.output
    df = pd.read_csv(out / "timeseries.csv")
    assert len(df) == 30 and list(df.columns) == ["step", *OUTCOME_NAMES]
    assert (out / "outcomes.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert "satisfaction" in r.stdout and "downward_reach" in r.stdout and "seed 4" in r.stdout
    for name in MAIN_OUTCOMES:  # each with its final value, its mean over the last 10% and its unit
        assert re.search(rf"^{name}\s+\S+\s+\S+\s+{re.escape(BY_NAME[name].unit)}$", r.stdout, re.M), name
    assert not list(out.glob(".*.tmp"))  # no temporary files left behind


@pytest.mark.slow
def test_run_is_reproducible_from_the_command_line(tmp_path):
    for name in ("a", "b"):
        invoke("run", SCENARIOS / "article_remedies.toml", "--steps", 20, "--seed", 9, *SMALL, "--out", tmp_path / name)
    assert (tmp_path / "a/timeseries.csv").read_text() == (tmp_path / "b/timeseries.csv").read_text()


@pytest.mark.slow
def test_progress_off_a_terminal_is_a_line_every_five_percent(tmp_path):
    """CI logs and nohup get plain lines (stderr is a pipe here), not a redrawn bar."""
    p = govsim("run", "guiyang_2012", "--steps", 40, *SMALL, "--out", tmp_path / "o")
    assert p.returncode == 0, p.stderr
    lines = p.stderr.splitlines()
    assert lines[0] == f"guiyang_2012: 40 days of 300 residents, seed 0 -> {tmp_path / 'o'}"
    progress = [line for line in lines if re.match(r"guiyang_2012: day \d+ of 40 \(\d+%\)", line)]
    assert len(progress) == 20 and "\r" not in p.stderr
    assert progress[0].startswith("guiyang_2012: day 2 of 40 (5%)") and "day 40 of 40 (100%)" in progress[-1]
    quiet = govsim("run", "guiyang_2012", "--steps", 5, *SMALL, "--out", tmp_path / "q", "--no-progress")
    assert quiet.returncode == 0 and quiet.stderr == ""


@pytest.mark.slow
def test_ctrl_c_during_a_run_says_so_and_writes_nothing(tmp_path):
    out = tmp_path / "o"
    p = subprocess.Popen([GOVSIM, "run", "guiyang_2012", "--steps", str(10**9), "--yes", "--set",
                          "population.residents=50", "--out", out], stderr=subprocess.PIPE, text=True, cwd=ROOT)
    try:
        first = p.stderr.readline()  # printed when the run starts
        assert first.startswith("guiyang_2012: 1,000,000,000 days of 50 residents"), first
        p.send_signal(signal.SIGINT)
        rest = p.communicate(timeout=60)[1]
    finally:
        if p.poll() is None:
            p.kill()
            p.wait()
    assert p.returncode == 130 and "Traceback" not in rest, rest
    assert re.search(r"interrupted on day [\d,]+ of 1,000,000,000: nothing written", rest), rest
    assert not out.exists()


@pytest.mark.slow
def test_an_implausible_run_asks_for_yes_before_starting(tmp_path):
    """10^9 days would need weeks and terabytes: refused at once (the timeout proves it never ran)."""
    out = tmp_path / "o"
    line = one_error_line(govsim("run", "guiyang_2012", "--steps", 10**9, "--out", out, timeout=60))
    assert line.startswith("govsim: error: --steps: 1,000,000,000 days of ")
    assert "of memory" in line and "add --yes" in line
    assert not out.exists()


# --- bad input ---------------------------------------------------------------------------

BAD_FILES = {
    "malformed": ('description = "x"\n[centre\n', "not valid TOML"),
    "unknown_key": ('description = "x"\n[centre]\nstaf = 3\n', "centre.staf: unknown parameter (did you mean"),
    "wrong_type": ('description = "x"\n[structure]\nlevels = "three"\n',
                   "structure.levels: got 'three' (str); allowed: one of 3, 4"),
    "out_of_bounds": ('description = "x"\n[centre]\nquality = 1.5\n',
                      "centre.quality: 1.5 is out of bounds; allowed: a number from 0 to 1"),
    "shares": ('description = "x"\n[centre.role_emphasis]\nservice = 0.5\n', "centre.role_emphasis: shares must sum"),
    "huge": ('description = "x"\n[population]\nresidents = 1e300\n', "population.residents: 1e+300 is out of bounds"),
    "no_description_typo": ("[centre]\nstaf = 3\n", "centre.staf: unknown parameter"),
}


@pytest.mark.parametrize("case", BAD_FILES)
def test_bad_scenario_files_get_one_clear_line_and_exit_2(tmp_path, case):
    text, message = BAD_FILES[case]
    path = tmp_path / f"{case}.toml"
    path.write_text(text)
    out = tmp_path / "out"
    r = invoke("run", path, "--out", out)
    assert r.exit_code == 2
    assert r.stderr.startswith(f"govsim: error: {path}: ") and message in r.stderr and r.stderr.count("\n") == 1
    assert "Traceback" not in r.output and not out.exists()


def _bool_key() -> str:
    return next(k for k, p in SCHEMA.items() if p.kind is bool)


@pytest.mark.parametrize("args, message", [
    (["run", "nowhere.toml"], "nowhere.toml: no such scenario file"),
    (["run", "guiyang2012"], "no scenario named 'guiyang2012' in "),
    (["run", "reform_comparison"], "is an experiment ("),
    (["run", ROOT / "experiments" / "reform_comparison.toml"], "is an experiment file (it sets "),
    (["run", SCENARIOS / "guiyang_2012.toml", "--set", "centre.staff"], "--set: centre.staff: expected KEY=VALUE"),
    (["run", SCENARIOS / "guiyang_2012.toml", "--set", "centre.staf=3"], "--set: centre.staf: unknown parameter"),
    (["run", SCENARIOS / "guiyang_2012.toml", "--set", "centre.staff=-2"], "--set: centre.staff: -2 is out of bounds"),
    (["run", SCENARIOS / "guiyang_2012.toml", "--set", f"{_bool_key()}=maybe"], "allowed: true or false"),
    (["run", SCENARIOS / "guiyang_2012.toml", "--set", "centre.role_emphasis.service=0.9"],
     "--set: centre.role_emphasis: shares must sum to 1"),
    (["run", SCENARIOS / "guiyang_2012.toml", "--steps", "0"],
     "--steps: got 0; allowed: a whole number of days, at least 1"),
    (["run", SCENARIOS / "guiyang_2012.toml", "--steps", "ten"], "--steps: got 'ten'; allowed: a whole number"),
    (["run", SCENARIOS / "guiyang_2012.toml", "--seed", "-1"], "--seed: got -1; allowed: a whole number, at least 0"),
    (["scenarios", "--dir", "no/such/dir"], "no/such/dir: no such folder"),
])
def test_bad_options_get_one_line_exit_2_and_write_nothing(tmp_path, args, message):
    out = tmp_path / "out"
    r = invoke(*args, "--out", out) if args[0] == "run" else invoke(*args)
    assert r.exit_code == 2, r.output
    assert r.stderr.startswith("govsim: error: ") and r.stderr.count("\n") == 1, r.stderr
    assert message in r.stderr and "Traceback" not in r.output and r.stdout == ""
    assert not out.exists()


@pytest.mark.slow
def test_near_matches_and_known_scenarios_from_the_installed_command():
    line = one_error_line(govsim("run", "guiyang2012"))
    assert "(did you mean 'guiyang_2012'" in line
    assert re.search(r"known: article_remedies, guiyang_2012, .*pre_reform_2009", line)


@pytest.mark.slow
def test_the_installed_command_exits_2_without_traceback(tmp_path):
    bad = tmp_path / "bad.toml"
    bad.write_text('description = "x"\n[centre]\nquality = 7\n')
    p = subprocess.run([sys.executable, "-m", "govsim", "run", str(bad), "--out", str(tmp_path / "o")],
                       capture_output=True, text=True, cwd=ROOT, check=False)
    assert one_error_line(p) == (f"govsim: error: {bad}: centre.quality: 7 is out of bounds; "
                                 "allowed: a number from 0 to 1")


@pytest.mark.slow
def test_a_name_that_leaves_results_is_refused_before_anything_is_written(tmp_path):
    bad = tmp_path / "scen" / "s.toml"
    bad.parent.mkdir()
    bad.write_text('description = "x"\nname = "../../etc"\n')
    work = tmp_path / "work" / "deeper"
    work.mkdir(parents=True)
    line = one_error_line(govsim("run", bad, "--steps", 2, cwd=work))
    assert line == (f"govsim: error: {bad}: name: must be a name of letters, digits, '_', '-' or '.', "
                    "starting with a letter or digit, got '../../etc'")
    assert sorted(p.name for p in tmp_path.rglob("*")) == ["deeper", "s.toml", "scen", "work"]


@pytest.mark.slow
@pytest.mark.parametrize("where", ["fifo", "/dev/zero", "symlink loop"])
def test_extends_of_special_files_ends_at_once(tmp_path, where):
    import os

    if where == "fifo":
        os.mkfifo(tmp_path / "p.toml")
        target = "p.toml"
    elif where == "symlink loop":
        (tmp_path / "a.toml").symlink_to(tmp_path / "b.toml")
        (tmp_path / "b.toml").symlink_to(tmp_path / "a.toml")
        target = "a.toml"
    else:
        target = where
    child = tmp_path / "child.toml"
    child.write_text(f'description = "x"\nextends = "{target}"\n')
    line = one_error_line(govsim("run", child, "--out", tmp_path / "o", timeout=60))
    assert line.startswith(f"govsim: error: {child}: extends: ")
    assert not (tmp_path / "o").exists()


# --- --out is checked before the run -------------------------------------------------------
# Each of these would simulate 10^6 days (some minutes) if --out were checked after the run:
# the subprocess timeout of 60 s turns that into a failure.

LONG = ("--steps", 1_000_000, "--set", "population.residents=50")


@pytest.mark.parametrize("make, words", [
    (lambda t: Path("/dev/null"), "is not a folder"),
    (lambda t: Path("/proc"), "cannot write there: the folder does not accept new files"),
    (lambda t: Path("/proc/govsim-results"), "cannot write there (in /proc)"),
    (lambda t: (t / "file.txt").write_text("x") and t / "file.txt" / "sub", "is not a folder"),
])
@pytest.mark.slow
def test_unusable_out_is_refused_before_simulating(tmp_path, make, words):
    out = make(tmp_path)
    line = one_error_line(govsim("run", "guiyang_2012", *LONG, "--out", out, timeout=60))
    assert line.startswith(f"govsim: error: --out: {out}: ") and words in line


@pytest.mark.slow
def test_a_read_only_out_is_refused_before_simulating(tmp_path):
    from tests.test_files import run_with_read_only

    folder = tmp_path / "ro"
    folder.mkdir()
    p = run_with_read_only(folder, [GOVSIM, "run", str(SCENARIOS / "guiyang_2012.toml"), *map(str, LONG),
                                    "--out", str(folder / "out")])
    line = one_error_line(p)
    assert re.fullmatch(rf"govsim: error: --out: {folder}/out: cannot write there \(in {folder}\): "
                        r"(Read-only file system|Permission denied)", line), line


# --- listings ------------------------------------------------------------------------------


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
    assert md.output.startswith("| key | default |") and "| population.residents | " in md.output


def test_outcomes_lists_every_outcome_with_meaning_unit_and_measure():
    r = invoke("outcomes")
    assert r.exit_code == 0
    flat = " ".join(r.output.split())  # the listing wraps long text
    for panel in PANELS:
        assert f"{panel.title} [{panel_unit(panel.key)}]" in flat
    for o in OUTCOMES:
        assert re.search(rf"^  {o.name}\s", r.output, re.M), o.name
        for text in (o.meaning, f"unit: {o.unit}", f"measured: {o.measured}"):
            assert " ".join(text.split()) in flat, (o.name, text)


def test_outcomes_markdown_has_a_row_per_outcome():
    r = invoke("outcomes", "--markdown")
    rows = [line for line in r.output.splitlines() if line.startswith("| `")]
    assert [row.split("`")[1] for row in rows] == list(OUTCOME_NAMES)
    open_ended = next(o for o in OUTCOMES if o.high is None)
    assert "and up (open-ended)" in next(row for row in rows if f"`{open_ended.name}`" in row)


def test_docs_parameter_table_matches_the_schema():
    """docs/parameters.md is generated from the schema; regenerate it when the schema changes."""
    generated = invoke("params", "--markdown").output
    assert generated in (ROOT / "docs" / "parameters.md").read_text(encoding="utf-8")


# --- validate ----------------------------------------------------------------------------------


@pytest.mark.parametrize("seeds", [1, 3])
def test_validate_says_a_one_seed_failure_may_be_chance(monkeypatch, seeds):
    import govsim.validate

    failing = govsim.validate.exceeds("p", "claim", "what", [{"x": 0.41}] * seeds, [{"x": 0.40}] * seeds, "x")
    monkeypatch.setattr(govsim.validate, "validate", lambda *a, **k: [failing])
    r = invoke("validate", "--seeds", seeds)
    assert r.exit_code == 1 and "0 of 1 checks hold" in r.output
    assert ("can fail by chance" in r.output) == (seeds == 1)
