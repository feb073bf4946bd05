"""The parameter schema's checks: Param.check, Param.parse, how values and bounds read.

Keys other than the stable levers are found by kind in SCHEMA, never named:
the parameter list itself changes with the model.
"""

import re

import pytest

from govsim.errors import InputError
from govsim.params import GROUPS, NEEDS, SCHEMA, Param, check_constraints, defaults, lookup, show


def first(kind: type) -> str:
    """The key of some parameter of this kind (the list changes; the kinds do not)."""
    return next(k for k, p in SCHEMA.items() if p.kind is kind and p.choices is None)


def test_every_parameter_is_documented_and_its_default_is_allowed():
    for key, p in SCHEMA.items():
        assert p.meaning and p.source, key
        assert p.check(p.default) == p.default, key
        if p.kind is not bool and p.choices is None:
            assert p.low is not None and p.high is not None and p.low <= p.high, key


def test_defaults_satisfy_the_cross_parameter_rules():
    check_constraints(defaults())


def test_every_group_and_need_has_parameters():
    keys = " ".join(SCHEMA)
    for name in (*GROUPS, *NEEDS):
        assert re.search(rf"\b{name}\b", keys), name


@pytest.mark.parametrize("key, value, expected", [
    ("centre.staff", 30, 30), ("centre.staff", 30.0, 30), ("centre.quality", 1, 1.0), ("structure.levels", 4, 4),
])
def test_check_accepts_and_coerces(key, value, expected):
    got = SCHEMA[key].check(value)
    assert got == expected and type(got) is type(expected)


def test_check_accepts_booleans_only_for_booleans():
    p = SCHEMA[first(bool)]
    assert p.check(True) is True and p.check(False) is False
    with pytest.raises(InputError, match="got 1, not true or false"):
        p.check(1)


@pytest.mark.parametrize("key, value, words", [
    ("centre.staff", 30.5, "got 30.5, not an integer"),
    ("centre.staff", 0, "0 is out of bounds"),
    ("centre.quality", 1.5, "1.5 is out of bounds"),
    ("centre.quality", "high", "got 'high' (str)"),
    ("centre.quality", True, "got true (bool)"),
    ("structure.levels", 5, "got 5"),
    ("centre.quality", float("nan"), "got nan"),
    ("population.residents", float("inf"), "got inf"),
])
def test_check_refuses_with_key_and_allowed_values(key, value, words):
    with pytest.raises(InputError) as e:
        SCHEMA[key].check(value, source="x.toml")
    msg = str(e.value)
    assert msg.startswith(f"x.toml: {key}: ") and words in msg and f"allowed: {SCHEMA[key].allowed}" in msg


@pytest.mark.parametrize("value, shown", [
    (1e300, "1e+300"), (10**300, "1e+300"), (10**5000, "an integer of 5,001 digits"), (-1e15, "-1e+15"),
], ids=["1e300", "10**300", "10**5000", "-1e15"])
def test_huge_values_read_short(value, shown):
    """population.residents = 1e300 once printed a 301-digit number."""
    with pytest.raises(InputError) as e:
        SCHEMA["population.residents"].check(value, source="x.toml")
    msg = str(e.value)
    assert f"population.residents: {shown} is out of bounds" in msg and len(msg) < 150


def test_long_text_and_lists_are_cut_in_messages():
    with pytest.raises(InputError) as e:
        SCHEMA["centre.quality"].check("x" * 10_000)
    assert len(str(e.value)) < 150 and "..." in str(e.value)
    with pytest.raises(InputError) as e:
        SCHEMA["centre.staff"].check(list(range(10_000)))
    assert len(str(e.value)) < 150 and "(list)" in str(e.value)


@pytest.mark.parametrize("value, shown", [
    (7, "7"), (7.0, "7.0"), (-2, "-2"), (0.25, "0.25"), (True, "true"), (1e-9, "1e-09"), ("ab", "'ab'"),
])
def test_show_keeps_ordinary_values_as_written(value, shown):
    assert show(value) == shown


@pytest.mark.parametrize("text, expected", [("true", True), ("No", False), ("1", True), ("off", False)])
def test_parse_booleans(text, expected):
    assert SCHEMA[first(bool)].parse(text) is expected


def test_parse_numbers_and_refusals():
    p = SCHEMA["population.residents"]
    assert p.parse("5_000") == 5000 and p.parse("5000.0") == 5000
    with pytest.raises(InputError, match="got 'lots'"):
        p.parse("lots")
    with pytest.raises(InputError, match=re.escape("1e+300 is out of bounds")):
        p.parse("1e300")
    with pytest.raises(InputError, match=r"out of bounds|got inf"):
        p.parse("9" * 5000)  # longer than int() accepts: refused, not a ValueError
    with pytest.raises(InputError, match="allowed: true or false"):
        SCHEMA[first(bool)].parse("maybe")


def test_allowed_reads_the_bounds():
    assert Param("a.b", 3, "m", low=1, high=2000).allowed == "an integer from 1 to 2,000"
    assert Param("a.b", 0.5, "m", low=0.0, high=1.0).allowed == "a number from 0 to 1"
    assert Param("a.b", 3, "m", choices=(3, 4)).allowed == "one of 3, 4"
    assert Param("a.b", True, "m").allowed == "true or false"


def test_unknown_key_suggests_the_near_match():
    with pytest.raises(InputError, match=re.escape("did you mean 'centre.staff'")):
        lookup("centre.staf")
    with pytest.raises(InputError, match=re.escape("unknown parameter; `govsim params`")):
        lookup("zzz")


def test_role_shares_must_sum_to_one():
    v = defaults()
    v["centre.role_emphasis.service"] = 0.9
    with pytest.raises(InputError, match=r"centre\.role_emphasis: shares must sum to 1, got 1\.\d"):
        check_constraints(v)


def test_every_parameter_is_read_by_the_code():
    """A parameter nothing reads is inert by construction: each key of the schema must appear in the source,
    literally or as a member of a family the code builds with an f-string (needs.<group>.<kind>, ...)."""
    import re
    from pathlib import Path

    import govsim
    from govsim.params import ORIGINS, ROLES

    source = "".join(p.read_text(encoding="utf-8") for p in Path(govsim.__file__).parent.rglob("*.py")
                     if p.name != "params.py")
    families = {
        r'f"needs\.\{g\}\.\{k\}"': [f"needs.{g}.{k}" for g in GROUPS for k in NEEDS],
        r'f"population\.share\.\{g\}"': [f"population.share.{g}" for g in GROUPS[:-1]],
        r'f"centre\.role_emphasis\.\{r\}"': [f"centre.role_emphasis.{r}" for r in ROLES],
        r'f"centre\.origin\.\{o\}"': [f"centre.origin.{o}" for o in ORIGINS[:-1]],
        r'f"residents\.satisfaction_\{k\}"': [f"residents.satisfaction_{k}" for k in
                                               ("intercept", "performance", "disconfirmation")],
    }
    read = set(re.findall(r'"([a-z_]+\.[a-z_.]+)"', source))
    for pattern, keys in families.items():
        assert re.search(pattern, source), pattern
        read.update(keys)
    unread = sorted(set(SCHEMA) - read)
    assert not unread, f"parameters no code reads: {unread}"


def test_a_component_reads_only_what_it_owns():
    from govsim.model import own
    from govsim.staff import Staff

    section = own(Staff, defaults())
    assert section["centre.motivation"] == defaults()["centre.motivation"]
    assert "council.seats" not in section
    with pytest.raises(KeyError, match=r"Staff reads 'council.seats', which it does not own"):
        section["council.seats"]


@pytest.mark.parametrize("name", ["cases", "concerns", "council", "policies", "residents", "staff", "units"])
def test_each_key_a_component_module_names_is_in_its_params(name):
    """Section raises when a component reads a key outside its PARAMS; this finds such a read before a rare
    branch of a run does."""
    import importlib
    import inspect
    import re

    from govsim.params import Component, owns

    module = importlib.import_module(f"govsim.{name}")
    owners: list[type[Component]] = [c for _, c in inspect.getmembers(module, inspect.isclass)
                                     if c.__module__ == module.__name__ and "PARAMS" in vars(c)]
    assert owners, f"govsim.{name} has no component with PARAMS"
    patterns = tuple(p for c in owners for p in c.PARAMS)
    named = set(re.findall(r'v\["([a-z_]+\.[a-z_.]+)"\]', inspect.getsource(module))) & set(SCHEMA)
    assert not [k for k in sorted(named) if not owns(patterns, k)]
