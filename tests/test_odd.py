"""docs/ODD.md cannot drift from the code.

* The day's schedule, the outcome table and the districts table are generated
  blocks: each lies between ``<!-- name:start -->`` and ``<!-- name:end -->``
  and must equal what the code generates (``python tests/test_odd.py`` prints
  the blocks to paste after a change).
* Every outcome is named in the ODD, and classified in its table of what
  emerges and what is imposed.
* Every ``article.md#anchor`` link points to an anchor of docs/article.md, and
  every relative link to a file that exists.
* Every parameter key the ODD names exists in the schema; every
  ``govsim.module.NAME`` it names exists.
* Every number the ODD quotes in a checkable form holds:
  ```key = value``` (a schema default), ```scenario: key = value``` (a
  scenario's value) and ```govsim.module.NAME = value``` (a constant in code).
"""

from __future__ import annotations

import importlib
import math
import re
from fractions import Fraction
from pathlib import Path

import pytest

from govsim import city, outcomes
from govsim.model import SCHEDULE
from govsim.params import SCHEMA
from govsim.scenario import load_scenario

ROOT = Path(__file__).resolve().parents[1]
ODD = ROOT / "docs" / "ODD.md"
ARTICLE = ROOT / "docs" / "article.md"


def text() -> str:
    return ODD.read_text(encoding="utf-8")


# --- generated blocks ------------------------------------------------------------------------------


def schedule_block() -> str:
    """The day's phases, one numbered line each, from ``govsim.model.SCHEDULE``."""
    return "\n".join(f"{i}. **{p.name}** — {p.what}" for i, p in enumerate(SCHEDULE, 1))


def _cell(s: str) -> str:
    return s.replace("|", "\\|")


def outcomes_block() -> str:
    """Every outcome of ``govsim.outcomes.OUTCOMES``: name, meaning, unit, how measured."""
    rows = ["| outcome | meaning | unit | how it is measured |", "|---|---|---|---|"]
    rows += [f"| `{o.name}` | {_cell(o.meaning)} | {_cell(o.unit)} | {_cell(o.measured)} |"
             for o in outcomes.OUTCOMES]
    return "\n".join(rows)


def districts_block() -> str:
    """Guiyang's districts as ``govsim.city`` has them: communities (of 90) and the wave of the reform."""
    wave = {0: "2010 pilot", 1: "2011 widening", 2: "2012, the rest"}
    names = [d for d, _ in city.DISTRICTS]
    waves = city._guiyang_waves(names)
    rows = ["| district | communities (of 90) | wave under `city.rollout = 0` |", "|---|---|---|"]
    rows += [f"| {d} | {k} | {wave[int(w)]} |" for (d, k), w in zip(city.DISTRICTS, waves, strict=True)]
    return "\n".join(rows)


BLOCKS = {"schedule": schedule_block, "outcomes": outcomes_block, "districts": districts_block}


def block(name: str) -> str:
    found = re.findall(rf"<!-- {name}:start -->\n(.*?)\n<!-- {name}:end -->", text(), flags=re.S)
    assert len(found) == 1, f"docs/ODD.md needs exactly one <!-- {name}:start --> ... <!-- {name}:end --> block"
    return found[0].strip()


@pytest.mark.parametrize("name", sorted(BLOCKS))
def test_generated_block_matches_the_code(name):
    assert block(name) == BLOCKS[name](), (
        f"the {name} block of docs/ODD.md is stale: run `python tests/test_odd.py {name}` and paste its output")


def test_the_schedule_block_lists_every_phase_in_order():
    lines = block("schedule").splitlines()
    assert [re.match(r"\d+\. \*\*(.+?)\*\*", line).group(1) for line in lines] == [p.name for p in SCHEDULE]


# --- outcomes ----------------------------------------------------------------------------------------


def test_every_outcome_is_named():
    t = text()
    missing = [n for n in outcomes.OUTCOME_NAMES if f"`{n}`" not in t]
    assert not missing, missing


def test_every_outcome_is_classified_as_emergent_or_imposed():
    table = block("emergence")
    missing = [n for n in outcomes.OUTCOME_NAMES if f"`{n}`" not in table]
    assert not missing, f"outcomes missing from the table of what emerges and what is imposed: {missing}"


# --- links --------------------------------------------------------------------------------------------


def article_anchors() -> set[str]:
    return set(re.findall(r'<a id="([^"]+)"></a>', ARTICLE.read_text(encoding="utf-8")))


def test_article_links_point_to_existing_anchors():
    links = re.findall(r"article\.md#([\w-]+)", text())
    assert links, "the ODD cites the article's sections as links to docs/article.md#..."
    bad = sorted(set(links) - article_anchors())
    assert not bad, bad


def test_every_cited_article_section_is_a_link():
    # "Article §II.3" in prose must come as a link, so a reader can follow it.
    t = text()
    for m in re.finditer(r"Article §([IVX]+(?:\.\d)?)", t):
        before = t[max(0, m.start() - 1):m.start()]
        assert before == "[", f"'{m.group(0)}' at offset {m.start()} is not a link to article.md"


def test_relative_links_resolve():
    t = text()
    own = set(re.findall(r'<a id="([^"]+)"></a>', t))
    for target in re.findall(r"\]\(([^)#]+\.md)(?:#[^)]*)?\)", t):
        assert (ODD.parent / target).is_file(), target
    for anchor in re.findall(r"\]\(#([^)]+)\)", t):
        assert anchor in own or anchor in headings(t), anchor


def headings(t: str) -> set[str]:
    """GitHub's anchors of the ODD's headings."""
    out = set()
    for h in re.findall(r"^#+ (.+)$", t, flags=re.M):
        slug = re.sub(r"[^\w\- ]", "", h.strip().lower()).replace(" ", "-")
        out.add(slug)
    return out


def test_the_readme_link_to_the_outcomes_still_lands():
    assert '<a id="7-outcomes-observation"></a>' in text()  # README.md links docs/ODD.md#7-outcomes-observation


# --- names and numbers ------------------------------------------------------------------------------

PREFIXES = tuple(sorted({k.split(".")[0] for k in SCHEMA}))
KEY = re.compile(rf"`((?:{'|'.join(PREFIXES)})(?:\.[\w<>*]+)+)`")


def test_every_parameter_named_exists():
    unknown = []
    for name in set(KEY.findall(text())):
        if any(ch in name for ch in "<>*"):  # a family, e.g. needs.<group>.<kind> or centre.role_emphasis.*
            pattern = re.escape(name).replace(r"\*", r"[\w.]+")
            pattern = re.sub(r"<\w+>", r"\\w+", pattern.replace(r"\<", "<").replace(r"\>", ">"))
            if not any(re.fullmatch(pattern, k) for k in SCHEMA):
                unknown.append(name)
        elif name not in SCHEMA:
            unknown.append(name)
    assert not unknown, sorted(unknown)


def test_every_govsim_name_exists():
    for dotted in set(re.findall(r"`(govsim(?:\.\w+)+)(?:\(\))?(?: = [^`]+)?`", text())):
        parts = dotted.split(".")
        for cut in range(len(parts), 0, -1):
            try:
                obj = importlib.import_module(".".join(parts[:cut]))
            except ImportError:
                continue
            for attr in parts[cut:]:
                assert hasattr(obj, attr), f"{dotted} does not exist"
                obj = getattr(obj, attr)
            break
        else:
            raise AssertionError(f"{dotted} does not exist")


def parse(value: str):
    value = value.strip()
    if value in ("true", "false"):
        return value == "true"
    if re.fullmatch(r"-?\d+/\d+", value):
        return float(Fraction(value))
    return float(value) if re.search(r"[.eE]", value) else int(value)


def same(a, b) -> bool:
    if isinstance(a, bool) or isinstance(b, bool):
        return a is b
    return math.isclose(float(a), float(b), rel_tol=1e-9, abs_tol=1e-12)


def quoted(pattern: str) -> list[tuple[str, ...]]:
    return re.findall(pattern, text())


def test_quoted_defaults_hold():
    claims = quoted(rf"`((?:{'|'.join(PREFIXES)})(?:\.\w+)+) = ([^`]+)`")
    assert claims, "the ODD quotes some defaults in the checkable form `key = value`"
    wrong = [(k, v, SCHEMA[k].default) for k, v in claims if k not in SCHEMA or not same(parse(v), SCHEMA[k].default)]
    assert not wrong, wrong


def test_quoted_scenario_values_hold():
    claims = quoted(r"`(\w+): ([\w.]+) = ([^`]+)`")
    assert claims, "the ODD quotes scenario values in the checkable form `scenario: key = value`"
    for scenario, key, value in claims:
        actual = load_scenario(scenario)[key]
        assert same(parse(value), actual), (scenario, key, value, actual)


def test_quoted_constants_hold():
    claims = quoted(r"`(govsim(?:\.\w+)+) = ([^`]+)`")
    assert claims, "the ODD quotes constants of the code in the checkable form `govsim.module.NAME = value`"
    for dotted, value in claims:
        module, name = dotted.rsplit(".", 1)
        actual = getattr(importlib.import_module(module), name)
        assert same(parse(value), actual), (dotted, value, actual)


if __name__ == "__main__":  # print a generated block to paste into docs/ODD.md
    import sys

    for name in sys.argv[1:] or sorted(BLOCKS):
        print(f"<!-- {name}:start -->\n{BLOCKS[name]()}\n<!-- {name}:end -->\n")
