import pickle

import pytest

import govsim
from govsim.errors import InputError
from govsim.params import SCHEMA
from govsim.scenario import Scenario, list_scenarios, load_scenario


def test_shipped_scenarios_load_with_descriptions(scenarios_dir):
    found = {s.name: s for s in list_scenarios(scenarios_dir)}
    assert {"pre_reform_2009", "guiyang_2012", "article_remedies"} <= set(found)
    for s in found.values():
        assert s.description and "\n" not in s.description
        assert set(s.values) == set(SCHEMA)


def test_extends_inherits_and_overrides(scenarios_dir):
    base = load_scenario(scenarios_dir / "guiyang_2012.toml")
    fix = load_scenario(scenarios_dir / "article_remedies.toml")
    assert fix["structure.two_signs_one_team"] == base["structure.two_signs_one_team"] is True  # inherited
    assert fix["centre.role_emphasis.service"] > base["centre.role_emphasis.service"]  # overridden
    assert base["structure.levels"] == 3
    assert load_scenario(scenarios_dir / "pre_reform_2009.toml")["structure.levels"] == 4


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


def write(tmp_path, text, name="s.toml"):
    p = tmp_path / name
    p.write_text(text, encoding="utf-8")
    return p


@pytest.mark.parametrize("text, key, words", [
    ('description = "x"\n[centre\nstaff = 3', None, "not valid TOML"),
    ('description = "x"\n[centre]\nstaf = 3', "centre.staf", "did you mean 'centre.staff'"),
    ('description = "x"\n[centre]\nstaff = "many"', "centre.staff", "allowed: an integer from 1 to 1,000"),
    ('description = "x"\n[centre]\nquality = 2.0', "centre.quality", "out of bounds"),
    ('description = "x"\n[centre.role_emphasis]\nservice = 0.9', "centre.role_emphasis", "sum to 1"),
    ('[centre]\nstaff = 3', "description", "one-line text description"),
    ('description = "x"\nextends = "nowhere.toml"', "extends", "does not exist"),
])
def test_bad_files_name_file_key_and_what_is_allowed(tmp_path, text, key, words):
    p = write(tmp_path, text)
    with pytest.raises(InputError) as e:
        load_scenario(p)
    assert e.value.source == str(p) and e.value.key == key and words in str(e.value)


def test_missing_file_and_cycles(tmp_path):
    with pytest.raises(InputError, match="no such scenario file"):
        load_scenario(tmp_path / "absent.toml")
    write(tmp_path, 'description = "a"\nextends = "b.toml"', "a.toml")
    write(tmp_path, 'description = "b"\nextends = "a.toml"', "b.toml")
    with pytest.raises(InputError, match="cycle: a.toml -> b.toml -> a.toml"):
        load_scenario(tmp_path / "a.toml")


def test_bad_override_names_its_source():
    with pytest.raises(InputError) as e:
        Scenario.default().with_overrides({"centre.staff": -1}, source="--set")
    assert str(e.value).startswith("--set: centre.staff: ")
