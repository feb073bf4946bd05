import pytest

from govsim.errors import InputError
from govsim.params import GROUPS, NEEDS, SCHEMA, check_constraints, defaults, lookup


def test_every_parameter_is_documented_and_its_default_is_allowed():
    for key, p in SCHEMA.items():
        assert p.meaning and p.source, key
        assert p.check(p.default) == p.default, key
        if p.kind is not bool and p.choices is None:
            assert p.low is not None and p.high is not None and p.low <= p.high, key


def test_defaults_satisfy_the_cross_parameter_rules():
    check_constraints(defaults())


def test_schema_covers_every_group_and_need():
    for g in GROUPS:
        for n in NEEDS:
            assert f"needs.{g}.{n}" in SCHEMA
    for g in GROUPS[:-1]:  # ordinary residents are the remainder
        assert f"population.share.{g}" in SCHEMA


@pytest.mark.parametrize("key, value, expected", [
    ("centre.staff", 30, 30), ("centre.staff", 30.0, 30), ("centre.quality", 1, 1.0),
    ("structure.two_signs_one_team", True, True), ("structure.levels", 4, 4),
])
def test_check_accepts_and_coerces(key, value, expected):
    got = SCHEMA[key].check(value)
    assert got == expected and type(got) is type(expected)


@pytest.mark.parametrize("key, value, words", [
    ("centre.staff", 30.5, "not an integer"),
    ("centre.staff", 0, "out of bounds"),
    ("centre.quality", 1.5, "out of bounds"),
    ("centre.quality", "high", "str"),
    ("centre.quality", True, "bool"),
    ("structure.two_signs_one_team", 1, "not true or false"),
    ("structure.levels", 5, "got 5"),
    ("centre.quality", float("nan"), "nan"),
])
def test_check_refuses_with_key_and_allowed_values(key, value, words):
    with pytest.raises(InputError) as e:
        SCHEMA[key].check(value, source="x.toml")
    msg = str(e.value)
    assert msg.startswith(f"x.toml: {key}: ") and words in msg and "allowed:" in msg


@pytest.mark.parametrize("text, expected", [("true", True), ("No", False), ("1", True), ("off", False)])
def test_parse_booleans(text, expected):
    assert SCHEMA["centre.performance_evaluation"].parse(text) is expected


def test_parse_numbers_and_refusals():
    assert SCHEMA["population.residents"].parse("5_000") == 5000
    assert SCHEMA["population.residents"].parse("5000.0") == 5000
    with pytest.raises(InputError, match="got 'lots'"):
        SCHEMA["population.residents"].parse("lots")
    with pytest.raises(InputError, match="allowed: true or false"):
        SCHEMA["centre.volunteer_team"].parse("maybe")


def test_unknown_key_suggests_the_near_match():
    with pytest.raises(InputError, match="did you mean 'centre.staff'"):
        lookup("centre.staf")
    with pytest.raises(InputError, match="unknown parameter; `govsim params`"):
        lookup("zzz")


def test_role_shares_must_sum_to_one():
    v = defaults()
    v["centre.role_emphasis.service"] = 0.9
    with pytest.raises(InputError, match="centre.role_emphasis: shares must sum to 1, got 1.5"):
        check_constraints(v)


def test_group_shares_may_not_exceed_one():
    v = defaults()
    v["population.share.youth"] = 0.9
    with pytest.raises(InputError, match="population.share: shares must sum to at most 1"):
        check_constraints(v)
