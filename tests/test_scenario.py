"""Scenario files: loading, extends (by path and by name), and every way a file can be wrong."""

import os
import pickle
import re
import signal
from contextlib import contextmanager

import pytest

import govsim
from govsim.errors import InputError
from govsim.params import SCHEMA
from govsim.scenario import MAX_EXTENDS, Scenario, list_scenarios, load_scenario, scenario_dir
from tests.conftest import ROOT


def test_shipped_scenarios_load_with_descriptions(scenarios_dir):
    found = {s.name: s for s in list_scenarios(scenarios_dir)}
    assert {"pre_reform_2009", "guiyang_2012", "article_remedies"} <= set(found)
    for s in found.values():
        assert s.description and "\n" not in s.description
        assert set(s.values) == set(SCHEMA)


def test_extends_inherits_and_overrides(scenarios_dir):
    base = load_scenario(scenarios_dir / "guiyang_2012.toml")
    fix = load_scenario(scenarios_dir / "article_remedies.toml")
    assert fix["centre.role_emphasis.service"] > base["centre.role_emphasis.service"]  # overridden
    assert base["structure.levels"] == 3
    assert load_scenario(scenarios_dir / "pre_reform_2009.toml")["structure.levels"] == 4


def write(tmp_path, text, name="s.toml"):
    p = tmp_path / name
    p.write_text(text, encoding="utf-8")
    return p


def test_extends_a_shipped_scenario_by_name(tmp_path):
    child = write(tmp_path, 'description = "x"\nextends = "guiyang_2012"\n[centre]\nstaff = 31\n')
    base = load_scenario(scenario_dir() / "guiyang_2012.toml")
    s = load_scenario(child)
    assert s["centre.staff"] == 31 and s.name == "s"
    assert {k: v for k, v in s.values.items() if k != "centre.staff"} == {
        k: v for k, v in base.values.items() if k != "centre.staff"}


def test_a_name_beside_the_file_comes_before_the_shipped_one(tmp_path):
    write(tmp_path, 'description = "local"\n[council]\nautonomy = 0.11\n', "guiyang_2012.toml")
    child = write(tmp_path, 'description = "x"\nextends = "guiyang_2012"\n')
    assert load_scenario(child)["council.autonomy"] == 0.11


def test_extends_an_unknown_name_gets_near_matches(tmp_path):
    child = write(tmp_path, 'description = "x"\nextends = "guiyang2012"\n')
    with pytest.raises(InputError) as e:
        load_scenario(child)
    assert e.value.source == str(child) and e.value.key == "extends"
    assert "did you mean 'guiyang_2012'" in str(e.value) and "known: " in str(e.value)
    assert "article_remedies" in str(e.value)


def test_an_unknown_scenario_name_gets_near_matches_and_the_list():
    with pytest.raises(InputError) as e:
        load_scenario("guiyang2012")
    msg = str(e.value)
    assert msg.startswith("no scenario named 'guiyang2012'") and "(did you mean 'guiyang_2012'" in msg
    assert re.search(r"known: .*article_remedies.*guiyang_2012.*pre_reform_2009", msg)


def test_an_experiment_name_or_file_is_named_as_such():
    with pytest.raises(InputError, match=re.escape("is an experiment (")) as e:
        load_scenario("reform_comparison")
    assert "`govsim sweep reform_comparison`" in str(e.value)
    path = ROOT / "experiments" / "reform_comparison.toml"
    with pytest.raises(InputError) as e:
        load_scenario(path)
    assert str(e.value).startswith(f"{path}: is an experiment file (it sets ")
    assert f"`govsim sweep {path}`" in str(e.value)


def test_one_stray_key_is_a_typo_not_an_experiment(tmp_path):
    p = write(tmp_path, 'description = "x"\nsteps = 30\n')
    with pytest.raises(InputError, match="steps: unknown parameter"):
        load_scenario(p)


def test_overrides_in_python_and_by_name(scenarios_dir, monkeypatch):
    monkeypatch.chdir(scenarios_dir.parent)
    s = govsim.load_scenario("guiyang_2012", overrides={"population.residents": 5000, "centre.quality": "0.9"})
    assert s["population.residents"] == 5000 and s["centre.quality"] == 0.9
    assert s.changed()["population.residents"] == 5000


def test_scenario_pickles_and_is_read_only(scenarios_dir):
    s = load_scenario(scenarios_dir / "guiyang_2012.toml")
    assert pickle.loads(pickle.dumps(s)) == s
    with pytest.raises(TypeError):
        s.values["centre.staff"] = 1  # type: ignore[index]


@pytest.mark.parametrize("text, key, words", [
    ('description = "x"\n[centre\nstaff = 3', None, "not valid TOML"),
    ('description = "x"\n[centre]\nstaf = 3', "centre.staf", "did you mean 'centre.staff'"),
    ('description = "x"\n[centre]\nstaff = "many"', "centre.staff", "allowed: an integer from"),
    ('description = "x"\n[centre]\nquality = 2.0', "centre.quality", "out of bounds"),
    ('description = "x"\n[centre.role_emphasis]\nservice = 0.9', "centre.role_emphasis", "sum to 1"),
    ("[centre]\nstaff = 3", "description", "one-line text description"),
    ('description = "x"\nextends = "nowhere.toml"', "extends", "does not exist"),
    ('description = "x"\nextends = 3', "extends", "must be the name of a scenario"),
    ('description = "x"\nname = "../../etc"', "name", "must be a name of letters, digits"),
    ('description = "x"\n[population]\nresidents = 1e300', "population.residents", "1e+300 is out of bounds"),
])
def test_bad_files_name_file_key_and_what_is_allowed(tmp_path, text, key, words):
    p = write(tmp_path, text)
    with pytest.raises(InputError) as e:
        load_scenario(p)
    assert e.value.source == str(p) and e.value.key == key and words in str(e.value)


def test_a_missing_description_comes_after_real_typos(tmp_path):
    p = write(tmp_path, "[centre]\nstaf = 3\n")
    with pytest.raises(InputError) as e:
        load_scenario(p)
    assert e.value.key == "centre.staf" and "did you mean 'centre.staff'" in str(e.value)


def test_a_file_name_that_is_no_valid_name_asks_for_one(tmp_path):
    p = write(tmp_path, 'description = "x"\n', "my scenario.toml")
    with pytest.raises(InputError, match=re.escape("rename the file or set name")):
        load_scenario(p)
    write(tmp_path, 'description = "x"\nname = "mine"\n', "my scenario.toml")
    assert load_scenario(p).name == "mine"


def test_missing_file_and_cycles(tmp_path):
    with pytest.raises(InputError, match="no such scenario file"):
        load_scenario(tmp_path / "absent.toml")
    write(tmp_path, 'description = "a"\nextends = "b.toml"', "a.toml")
    write(tmp_path, 'description = "b"\nextends = "a.toml"', "b.toml")
    with pytest.raises(InputError, match=re.escape("cycle: a.toml -> b.toml -> a.toml")):
        load_scenario(tmp_path / "a.toml")


def test_a_cycle_through_a_symlink_is_found_by_identity(tmp_path):
    write(tmp_path, 'description = "a"\nextends = "link.toml"', "a.toml")
    (tmp_path / "link.toml").symlink_to(tmp_path / "a.toml")
    with pytest.raises(InputError, match="makes a cycle"):
        load_scenario(tmp_path / "a.toml")


@contextmanager
def deadline(seconds: int):
    """Fail, rather than hang the suite, if the block blocks (a FIFO read would block forever)."""

    def expire(signum, frame):
        raise TimeoutError(f"still blocked after {seconds} s")

    old = signal.signal(signal.SIGALRM, expire)
    signal.alarm(seconds)
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, old)


@pytest.mark.parametrize("target", ["fifo", "/dev/zero", "loop"])
def test_extends_of_a_special_file_is_refused_at_once(tmp_path, target):
    if target == "fifo":
        os.mkfifo(tmp_path / "fifo.toml")
        target, words = "fifo.toml", "fifo.toml: is not a regular file (a FIFO)"
    elif target == "loop":
        (tmp_path / "l1.toml").symlink_to(tmp_path / "l2.toml")
        (tmp_path / "l2.toml").symlink_to(tmp_path / "l1.toml")
        target, words = "l1.toml", "l1.toml: cannot read: a loop of symbolic links"
    else:
        words = "/dev/zero: is not a regular file (a device)"
    child = write(tmp_path, f'description = "x"\nextends = "{target}"\n')
    with deadline(20), pytest.raises(InputError) as e:
        load_scenario(child)
    assert e.value.source == str(child) and e.value.key == "extends" and words in str(e.value)


def test_a_chain_deeper_than_the_limit_is_one_error_and_the_limit_itself_loads(tmp_path):
    depth = 5000
    for i in range(depth):
        parent = f'extends = "d{i + 1}.toml"\n' if i < depth - 1 else ""
        write(tmp_path, f'description = "level {i}"\n{parent}[centre]\nstaff = {1 + i % 40}\n', f"d{i}.toml")
    with pytest.raises(InputError) as e:
        load_scenario(tmp_path / "d0.toml")
    assert e.value.key == "extends" and f"more than {MAX_EXTENDS} files deep" in str(e.value)
    s = load_scenario(tmp_path / f"d{depth - MAX_EXTENDS}.toml")  # exactly MAX_EXTENDS files
    assert s["centre.staff"] == 1 + (depth - MAX_EXTENDS) % 40


def test_bad_override_names_its_source():
    with pytest.raises(InputError) as e:
        Scenario.default().with_overrides({"centre.staff": -1}, source="--set")
    assert str(e.value).startswith("--set: centre.staff: ")
