"""The page's controls are derived from the schema, and the set-up they edit stays valid."""

from __future__ import annotations

import math

import pytest

from govsim.errors import InputError
from govsim.params import SCHEMA, SHARE_GROUPS
from govsim.scenario import Scenario, load_scenario
from govsim.viz.controls import (
    CONTROLS,
    POPULATION_KEY,
    ROLE_KEYS,
    SECTIONS,
    Setup,
    control_for,
    label_for,
    load_presets,
    parse_seed,
    preset_extras,
    simplex_adjust,
)
from govsim.viz.styles import page_text


def test_every_control_reads_its_bounds_and_meaning_from_the_schema():
    for key, control in CONTROLS.items():
        p = SCHEMA[key]
        assert control.param is p
        assert page_text(p.meaning) in control.help and p.allowed in control.help
        if control.widget in ("slider", "number"):
            assert (control.low, control.high) == (p.low, p.high)
        if control.widget == "switch":
            assert p.kind is bool
        if control.widget == "choice":
            assert control.choices == p.choices


def test_the_issue_names_are_all_controls():
    wanted = {*ROLE_KEYS, "structure.levels", "structure.two_signs_one_team", "structure.big_party_committee",
              "centre.staff", "centre.training", "centre.performance_evaluation", "centre.volunteer_team",
              "units.resource_sharing", POPULATION_KEY}
    assert wanted <= set(CONTROLS)
    assert SECTIONS[0][1] == SHARE_GROUPS["centre.role_emphasis"]


def test_the_page_shows_every_value_a_preset_sets(scenarios_dir):
    # as a control, or in the panel's "also set by this preset" line
    for path in scenarios_dir.glob("*.toml"):
        scenario = load_scenario(path)
        shown = {k for k in scenario.changed() if k in CONTROLS} | set(preset_extras(scenario))
        assert shown == set(scenario.changed()), path.name


def test_widgets_follow_the_kind_of_parameter():
    assert control_for("centre.performance_evaluation").widget == "switch"
    assert control_for("structure.levels").widget == "choice"
    assert control_for(POPULATION_KEY).widget == "number"  # 50 to 2,000,000: typed, not slid
    slider = control_for("centre.training")
    assert slider.widget == "slider" and slider.step == pytest.approx((slider.high - slider.low) / 100)


def test_labels_are_short_and_name_the_body_outside_the_centre():
    assert label_for("centre.staff") == "Staff"
    assert label_for("units.resource_sharing") == "Units: resource sharing"
    assert label_for("centre.role_emphasis.service") == "Service"


@pytest.mark.parametrize("key, new", [(ROLE_KEYS[0], 0.5), (ROLE_KEYS[1], 0.0), (ROLE_KEYS[2], 1.0),
                                      (ROLE_KEYS[0], 0.3333), (ROLE_KEYS[2], 0.07)])
def test_simplex_keeps_the_shares_summing_to_one_and_in_proportion(key, new):
    before = {ROLE_KEYS[0]: 0.2, ROLE_KEYS[1]: 0.15, ROLE_KEYS[2]: 0.65}
    after = simplex_adjust(before, key, new)
    assert sum(after.values()) == pytest.approx(1.0, abs=1e-9)
    assert after[key] == pytest.approx(new)
    assert all(0.0 <= v <= 1.0 for v in after.values())
    a, b = [k for k in ROLE_KEYS if k != key]
    if after[a] + after[b] > 1e-6:
        assert after[a] / (after[a] + after[b]) == pytest.approx(before[a] / (before[a] + before[b]), abs=1e-3)


def test_simplex_shares_the_rest_equally_when_the_others_were_zero():
    after = simplex_adjust({ROLE_KEYS[0]: 1.0, ROLE_KEYS[1]: 0.0, ROLE_KEYS[2]: 0.0}, ROLE_KEYS[0], 0.4)
    assert after[ROLE_KEYS[1]] == pytest.approx(0.3) and after[ROLE_KEYS[2]] == pytest.approx(0.3)


def test_simplex_clips_and_refuses_keys_outside_a_share_group():
    after = simplex_adjust(dict.fromkeys(ROLE_KEYS, 1 / 3), ROLE_KEYS[0], 1.7)
    assert after[ROLE_KEYS[0]] == 1.0 and sum(after.values()) == pytest.approx(1.0)
    with pytest.raises(KeyError):
        simplex_adjust({}, "centre.staff", 3)


@pytest.mark.parametrize("text, seed", [("7", 7), (" 42 ", 42), ("1_000", 1000), ("3.0", 3), (12, 12)])
def test_typed_seeds_become_integers(text, seed):
    assert parse_seed(text) == seed and isinstance(parse_seed(text), int)


@pytest.mark.parametrize("text", ["abc", "", "-1", "2.5", "nan"])
def test_bad_seeds_are_refused_with_a_message(text):
    with pytest.raises(InputError, match="seed"):
        parse_seed(text)


@pytest.fixture
def presets(scenarios_dir):
    return load_presets(None, scenarios_dir)


@pytest.fixture
def setup(presets):
    return Setup.initial(presets["guiyang_2012"], presets["article_remedies"])


def test_presets_start_with_guiyang_against_the_remedies(presets):
    assert {"guiyang_2012", "article_remedies", "pre_reform_2009"} <= set(presets.names)
    assert (presets.first, presets.second) == ("guiyang_2012", "article_remedies")


def test_city_scenarios_are_offered_to_the_city_view_never_as_a_community(presets, scenarios_dir):
    assert {"guiyang_city", "guiyang_city_no_reform"} <= set(presets.city_names)
    assert not set(presets.city_names) & set(presets.names)
    assert all(presets[n].before is None for n in presets.names)
    assert presets.first_city == "guiyang_city" and not presets.start_with_city
    served = load_presets(scenarios_dir / "guiyang_city_no_reform.toml", scenarios_dir)
    assert served.start_with_city and served.first_city == "guiyang_city_no_reform"
    assert served.first == "guiyang_2012"  # the community view keeps its own start


def test_a_scenario_file_outside_the_folder_joins_the_presets(tmp_path, scenarios_dir):
    extra = tmp_path / "my_class.toml"
    parent = (scenarios_dir / "guiyang_2012.toml").as_posix()
    extra.write_text(f'description = "A class exercise"\nextends = "{parent}"\n[centre]\nstaff = 30\n')
    presets = load_presets(extra, scenarios_dir)
    assert presets.first == "my_class" and presets["my_class"]["centre.staff"] == 30
    assert presets.second == "article_remedies"


def test_no_scenario_folder_falls_back_to_the_defaults(tmp_path):
    presets = load_presets(None, tmp_path / "none")
    assert presets.names == ["defaults"] and presets.first == presets.second == "defaults"


def test_a_broken_file_in_the_folder_is_left_out_and_named(tmp_path, scenarios_dir):
    folder = tmp_path / "scenarios"
    folder.mkdir()
    for name in ("guiyang_2012", "article_remedies"):
        (folder / f"{name}.toml").write_text((scenarios_dir / f"{name}.toml").read_text())
    (folder / "draft.toml").write_text('description = "unfinished"\n[centre\nstaff = 3\n')
    (folder / "typo.toml").write_text('description = "a typo"\n[centre]\nstaf = 30\n')
    presets = load_presets(None, folder)
    assert presets.names == ["article_remedies", "guiyang_2012"]
    assert (presets.first, presets.second) == ("guiyang_2012", "article_remedies")
    assert len(presets.left_out) == 2
    draft, typo = presets.left_out
    assert "draft.toml" in draft and "not valid TOML" in draft
    assert "typo.toml" in typo and "centre.staf" in typo


def test_a_bad_scenario_is_an_input_error(tmp_path, scenarios_dir):
    bad = tmp_path / "bad.toml"
    bad.write_text('description = "x"\n[centre]\nstaff = -3\n')
    with pytest.raises(InputError, match=r"centre\.staff"):
        load_presets(bad, scenarios_dir)


def test_picking_a_preset_changes_the_values_and_drops_edits(setup, presets):
    edited = setup.with_value(0, "centre.training", 0.8)
    assert edited.value(0, "centre.training") == 0.8 and edited.label(0) == "A: guiyang_2012 (edited)"
    picked = edited.with_preset(0, presets["article_remedies"])
    assert picked.configs[0].edits == {}
    for key in CONTROLS:
        assert picked.value(0, key) == presets["article_remedies"].values[key]


def test_role_shares_stay_on_the_simplex_through_the_setup(setup):
    s = setup.with_value(0, ROLE_KEYS[0], 0.6)
    shares = [s.value(0, k) for k in ROLE_KEYS]
    assert shares[0] == 0.6 and sum(shares) == pytest.approx(1.0)
    s.scenarios()[0]  # a valid scenario: check_constraints passed


def test_out_of_bounds_values_are_refused_by_the_schema(setup):
    with pytest.raises(InputError, match="out of bounds"):
        setup.with_value(0, "centre.staff", SCHEMA["centre.staff"].high + 1)
    with pytest.raises(InputError):
        setup.with_value(0, POPULATION_KEY, "lots")
    with pytest.raises(InputError, match="out of bounds"):
        setup.with_value(0, POPULATION_KEY, SCHEMA[POPULATION_KEY].low - 1)


def test_population_and_seed_are_shared_in_compare_mode(setup):
    s = setup.with_compare(True).with_value(1, POPULATION_KEY, "5_000").with_seed("9")
    a, b = s.scenarios()
    assert a[POPULATION_KEY] == b[POPULATION_KEY] == 5000 and s.seed == 9
    assert (a.name, b.name) == ("guiyang_2012", "article_remedies")
    assert len(setup.scenarios()) == 1


def test_edits_of_b_leave_a_alone(setup):
    s = setup.with_compare(True).with_value(1, "centre.staff", 40)
    assert s.value(0, "centre.staff") == setup.value(0, "centre.staff") and s.value(1, "centre.staff") == 40


def test_setups_compare_by_value(setup, presets):
    again = Setup.initial(presets["guiyang_2012"], presets["article_remedies"])
    assert again == setup and setup.with_seed(1) != setup
    assert setup.with_value(0, "centre.training", 0.5).with_value(0, "centre.training",
                                                                   setup.value(0, "centre.training")) == setup


def test_defaults_setup_is_valid():
    d = Scenario.default()
    s = Setup.initial(d, d)
    assert s.residents == SCHEMA[POPULATION_KEY].default and not math.isnan(s.value(0, "centre.training"))


def test_the_servers_cap_on_residents_bounds_presets_and_typed_values(presets):
    s = Setup.initial(presets["guiyang_2012"], presets["article_remedies"], max_residents=10_000)
    assert s.residents == 10_000  # the preset's 30,000 brought down to the cap
    assert s.with_value(0, POPULATION_KEY, 8_000).residents == 8_000
    with pytest.raises(InputError, match="at most 10,000 residents per community on this server"):
        s.with_value(0, POPULATION_KEY, 10_001)
    assert s.with_value(0, POPULATION_KEY, 500).with_preset(0, presets["pre_reform_2009"]).residents == 10_000
    assert Setup.initial(presets["guiyang_2012"], presets["article_remedies"]).max_residents is None
