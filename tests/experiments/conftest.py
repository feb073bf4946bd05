"""Small experiments shared by the experiment engine's tests, and their uninterrupted results."""

from __future__ import annotations

import os
import shutil
import sys
from pathlib import Path

import pytest

from govsim.experiments import load_experiment
from govsim.experiments.runner import SerialExecutor
from govsim.experiments.sweep import run_experiment

ROOT = Path(__file__).resolve().parents[2]

SMALL = """
name = "small"
description = "Two scenarios, two staff numbers, three replications"
seed = 7
replications = 3
steps = 40
burn_in = 10
record_every = 2

[set]
"population.residents" = 1000

[scenarios]
guiyang_2012 = "guiyang_2012"
article_remedies = "article_remedies"

[parameters]
"centre.staff" = [20, 30]
"""

LONGER = """
name = "longer"
description = "Long enough to be killed in the middle"
seed = 11
replications = 4
steps = 150
outcomes = ["satisfaction", "needs_met", "trust", "council_effectiveness"]

[set]
"population.residents" = 2000

[scenarios]
guiyang_2012 = "guiyang_2012"
article_remedies = "article_remedies"

[parameters]
"centre.staff" = [15, 25, 35]
"""


def write(folder: Path, name: str, text: str) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{name}.toml"
    path.write_text(text)
    return path


def serial(exp, out: Path):
    return run_experiment(exp, out, executor=SerialExecutor(), progress=False, echo=lambda _: None)


@pytest.fixture(scope="session")
def small_file(tmp_path_factory) -> Path:
    return write(tmp_path_factory.mktemp("exp"), "small", SMALL)


@pytest.fixture(scope="session")
def small_serial(tmp_path_factory, small_file) -> Path:
    """The small experiment run serially, in this process: the reference every executor must match."""
    out = tmp_path_factory.mktemp("results") / "small"
    report = serial(load_experiment(small_file), out)
    assert report.ok == 12 and report.failed == 0
    return out


@pytest.fixture(scope="session")
def longer_file(tmp_path_factory) -> Path:
    return write(tmp_path_factory.mktemp("exp"), "longer", LONGER)


@pytest.fixture(scope="session")
def longer_serial(tmp_path_factory, longer_file) -> Path:
    out = tmp_path_factory.mktemp("results") / "longer"
    report = serial(load_experiment(longer_file), out)
    assert report.ok == 24
    return out


def govsim_command() -> list[str]:
    """The govsim command of this environment (the console script beside this Python)."""
    script = Path(sys.executable).with_name("govsim")
    return [str(script)] if script.exists() else [sys.executable, "-c", "from govsim.cli import main; main()"]


def subprocess_env() -> dict[str, str]:
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join([str(ROOT), env.get("PYTHONPATH", "")]).rstrip(os.pathsep)
    return env


def copy_tree(source: Path, target: Path) -> Path:
    shutil.copytree(source, target)
    return target
