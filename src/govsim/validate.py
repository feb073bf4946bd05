"""The article's patterns, run over seeds and checked on direction and margin (pattern-oriented modelling).

``govsim validate`` prints one row per check: what the article says, what was
measured (mean and range over seeds), the margin, pass or fail.  The pattern
tests (tests/test_patterns.py) call the same code.

How margins are set (before looking at the model's output, and never moved
to fit it): a comparison passes when the paired difference (same seed, so
common random numbers) is positive in every seed and its mean exceeds both

* a **floor** that the article's words imply: "raises", "lower", "answers its
  levers" need at least 0.02 on a 0-1 scale (two points of satisfaction or of
  a share: a change a survey of a community would detect); "markedly" and
  "far" need at least 0.05, or a ratio of two; and
* **three standard errors** of the seed-to-seed noise of that difference,
  when there are two seeds or more.

Levels ("weak", "little drawn in", "two weeks") are bands stated with the
reasoning beside them.  Each run is one year after the model's warm-up; an
outcome is its mean over the last 180 days (the second half of the year).
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from govsim.params import VULNERABLE

DAYS = 365
TAIL = 180
FLOOR = 0.02
MARKED = 0.05

Overrides = tuple[tuple[str, object], ...]


@dataclass(frozen=True)
class Check:
    """One checked statement: what the article says, what was measured, and whether it holds."""

    pattern: str
    claim: str
    measured: str
    values: tuple[float, ...]
    margin: str
    passed: bool

    @property
    def summary(self) -> str:
        v = self.values
        if not v:
            return "-"
        if len(v) == 1:
            return f"{v[0]:.3f}"
        return f"{np.mean(v):.3f} [{min(v):.3f}, {max(v):.3f}]"


@dataclass
class Runs:
    """Model runs for the checks, cached by (scenario, overrides, scale)."""

    seeds: Sequence[int]
    scale: int
    progress: Callable[[str], None] | None = None
    _cache: dict[tuple, list[dict[str, float]]] = field(default_factory=dict)

    def get(self, scenario: str, overrides: Overrides = (), scale: int | None = None) -> list[dict[str, float]]:
        """Per seed, the mean of each outcome over the second half of a year."""
        from govsim.model import CommunityModel

        scale = self.scale if scale is None else scale
        key = (scenario, overrides, scale)
        if key not in self._cache:
            if self.progress:
                extra = ", ".join(f"{k}={v}" for k, v in overrides)
                self.progress(f"{scenario}{' with ' + extra if extra else ''} (scale {scale})")
            out = []
            for seed in self.seeds:
                settings: dict[str, Any] = {"population.scale": scale, **dict(overrides)}
                model = CommunityModel(scenario, rng=seed, **settings)
                out.append({str(k): float(x) for k, x in model.run(DAYS).timeseries().iloc[-TAIL:].mean().items()})
            self._cache[key] = out
        return self._cache[key]


def _values(runs: list[dict[str, float]], outcome: str | Callable[[dict[str, float]], float]) -> np.ndarray:
    f = outcome if callable(outcome) else (lambda r: r[outcome])
    return np.array([f(r) for r in runs])


def exceeds(pattern: str, claim: str, what: str, high: list[dict[str, float]], low: list[dict[str, float]],
            outcome: str | Callable[[dict[str, float]], float], floor: float = FLOOR) -> Check:
    """``high`` beats ``low`` on ``outcome``: every seed's paired difference > 0, the mean > floor and 3 SE."""
    d = _values(high, outcome) - _values(low, outcome)
    noise = 3 * d.std(ddof=1) / math.sqrt(d.size) if d.size > 1 else 0.0
    need = max(floor, noise)
    ok = bool(np.all(d > 0) and d.mean() > need)
    margin = f"> {need:.3f}" + (f" (3 SE {noise:.3f})" if d.size > 1 else "")
    return Check(pattern, claim, what, tuple(d.tolist()), margin, ok)


def within(pattern: str, claim: str, what: str, runs: list[dict[str, float]],
           outcome: str | Callable[[dict[str, float]], float], low: float, high: float, why: str) -> Check:
    """Every seed's value lies in [low, high] (a band the article's words imply; ``why`` says how)."""
    x = _values(runs, outcome)
    ok = bool(np.all((x >= low) & (x <= high)))
    return Check(pattern, claim, what, tuple(x.tolist()), f"in [{low:g}, {high:g}]: {why}", ok)


# --- the patterns ------------------------------------------------------------------------------------

G12, PRE, FIX = "guiyang_2012", "pre_reform_2009", "article_remedies"


def _emphasis(service: float, coordination: float, management: float) -> Overrides:
    return (("centre.role_emphasis.service", service), ("centre.role_emphasis.coordination", coordination),
            ("centre.role_emphasis.management", management))


def reform(r: Runs) -> list[Check]:
    p = "1 reform"
    pre, post = r.get(PRE), r.get(G12)
    checks = [
        exceeds(p, "§I: service quality rose markedly", "service_quality: 2012 − before", post, pre,
                "service_quality", MARKED),
        exceeds(p, "brief: more needs met", "needs_met: 2012 − before", post, pre, "needs_met", FLOOR),
        exceeds(p, "brief: opinions travel up more easily", "upward_flow: 2012 − before", post, pre, "upward_flow",
                FLOOR),
        exceeds(p, "so residents are more satisfied", "satisfaction: 2012 − before", post, pre, "satisfaction",
                FLOOR),
    ]
    checks.append(within(p, "Tongling: low-income approval took two weeks before", "welfare_days before", pre,
                         "welfare_days", 10, 18, "two weeks within four days"))
    checks.append(within(p, "Tongling: and two days after", "welfare_days in 2012", post, "welfare_days", 1, 4,
                         "two days, give or take two"))
    checks.append(exceeds(p, "§I: efficiency rose markedly", "efficiency: 2012 − before (needs met per staff hour)",
                          post, pre, "efficiency", MARKED))
    return checks


def manager(r: Runs) -> list[Check]:
    p = "2 manager dominant"
    base = r.get(G12)
    emphasis = 0.65  # the scenario's own management emphasis (scenarios/guiyang_2012.toml)
    shifted = r.get(G12, _emphasis(0.65, 0.15, 0.2))  # 2012's service and management emphasis swapped
    return [
        exceeds(p, "§II.3: management dominates beyond the centre's own emphasis",
                "realised management share − its emphasis (0.65)",
                derived(base, lambda x: x["staff_time_management"] - emphasis), zeros(len(base)), "x", FLOOR),
        exceeds(p, "§II.1: more service emphasis meets more needs", "needs_met: service-first (0.65) − 2012 (0.2)",
                shifted, base, "needs_met", FLOOR),
        exceeds(p, "§II.1: and raises satisfaction", "satisfaction: service-first (0.65) − 2012 (0.2)", shifted, base,
                "satisfaction", FLOOR),
    ]


def derived(runs: list[dict[str, float]], f: Callable[[dict[str, float]], float]) -> list[dict[str, float]]:
    """Runs reduced to one derived number each (under the key "x")."""
    return [{"x": f(run)} for run in runs]


def zeros(n: int) -> list[dict[str, float]]:
    return [{"x": 0.0}] * n


def flows(r: Runs) -> list[Check]:
    p = "3 down, not up"
    base = r.get(G12)
    return [
        exceeds(p, "§II.2: policies flow down far better than opinions flow up", "downward_reach − upward_flow",
                derived(base, lambda x: x["downward_reach"] - x["upward_flow"]), zeros(len(base)), "x", 0.3),
        exceeds(p, "§II.2: far better: more than twice the share", "downward_reach − 2 × upward_flow",
                derived(base, lambda x: x["downward_reach"] - 2 * x["upward_flow"]), zeros(len(base)), "x", FLOOR),
    ]


def council(r: Runs) -> list[Check]:
    p = "4 council weak, alive"
    base, fix = r.get(G12), r.get(FIX)
    return [
        exceeds(p, "§II.3: it cannot fully play its part — weak, not dead", "council_effectiveness in 2012",
                derived(base, lambda x: x["council_effectiveness"]), zeros(len(base)), "x", FLOOR),
        exceeds(p, "§II.3: well below what the remedies allow (under half)", "remedies' effectiveness / 2 − 2012's",
                derived(fix, lambda x: x["council_effectiveness"] / 2),
                derived(base, lambda x: x["council_effectiveness"]), "x", FLOOR),
        exceeds(p, "it answers its autonomy", "council_effectiveness: autonomy 0.8 − 0.5",
                r.get(G12, (("council.autonomy", 0.8),)), base, "council_effectiveness", FLOOR),
        exceeds(p, "and management's dominance", "council_effectiveness: separate teams − two signs, one team",
                r.get(G12, (("structure.two_signs_one_team", False),)), base, "council_effectiveness", FLOOR),
        exceeds(p, "and residents' participation", "upward_flow: participation propensity 0.4 − 0.1",
                r.get(G12, (("residents.participation_propensity", 0.4),)), base, "upward_flow", FLOOR),
    ]


def units(r: Runs) -> list[Check]:
    p = "5 units"
    base = r.get(G12)
    return [
        within(p, "§II.2: units stationed in the community are not drawn in", "unit_resources_mobilised in 2012",
               base, "unit_resources_mobilised", 0.0, 1 / 3, "little: under a third of their resources"),
        exceeds(p, "§II.2: an active coordinator draws them in", "units: coordination 0.35 − 2012's 0.15",
                r.get(G12, _emphasis(0.2, 0.35, 0.45)), base, "unit_resources_mobilised", MARKED),
        exceeds(p, "§I: so does a working big party committee", "units: big party committee on − off",
                r.get(G12, (("structure.big_party_committee", True),)), base, "unit_resources_mobilised", MARKED),
    ]


def causes(r: Runs) -> list[Check]:
    p = "6 causes (§III)"
    base = r.get(G12)
    # Weak motivation (2012: 0.3, little room for promotion) against strong (0.7, ample room).
    motivated = r.get(G12, (("centre.motivation", 0.7), ("centre.promotion_room", 0.7)))
    trained = r.get(G12, (("centre.training", 1.0),))
    evaluated = r.get(G12, (("centre.performance_evaluation", True),))
    return [
        exceeds(p, "§III.1: weak motivation keeps service low", "staff_time_service: motivated − 2012", motivated,
                base, "staff_time_service", FLOOR),
        exceeds(p, "§III.1: so fewer life services are given", "needs_met_life: motivated − 2012", motivated, base,
                "needs_met_life", FLOOR),
        exceeds(p, "§III.2: trained staff give better service", "service_quality: trained − untrained", trained, base,
                "service_quality", FLOOR),
        exceeds(p, "§III.1: no evaluation keeps time off service", "staff_time_service: evaluated − not", evaluated,
                base, "staff_time_service", FLOOR),
        exceeds(p, "§III.1: and off passing views up", "upward_flow: evaluated − not", evaluated, base,
                "upward_flow", FLOOR),
    ]


def remedies(r: Runs) -> list[Check]:
    p = "7 remedies"
    base, fix = r.get(G12), r.get(FIX)
    checks = [exceeds(p, f"Abstract: the corrections raise {o.replace('_', ' ')}", f"{o}: remedies − 2012",
                      fix, base, o, MARKED)
              for o in ("satisfaction", "needs_met", "upward_flow", "council_effectiveness",
                        "unit_resources_mobilised")]

    def vulnerable_gain(run_fix: dict[str, float], run_base: dict[str, float]) -> float:
        gains = [run_fix[f"satisfaction_{g}"] - run_base[f"satisfaction_{g}"] for g in VULNERABLE]
        others = [run_fix[f"satisfaction_{g}"] - run_base[f"satisfaction_{g}"] for g in ("youth", "ordinary")]
        return min(gains) - max(others)

    paired = [{"x": vulnerable_gain(a, b)} for a, b in zip(fix, base, strict=True)]
    checks.append(exceeds(p, "§II.1: the vulnerable groups gain most", "smallest vulnerable gain − largest other",
                          paired, zeros(len(paired)), "x", FLOOR))
    return checks


SCALED = ("satisfaction", "needs_met", "service_quality", "downward_reach", "upward_flow", "voice",
          "staff_time_management")
"""Outcomes made by residents' numbers, which scaling could bias.  The council and the units are the
same few institutions at any scale; their seed noise is their own and is no test of scaling."""


def scale(r: Runs) -> list[Check]:
    p = "8 scale"
    if r.scale == 1:
        return []
    checks = []
    for scenario in (G12, FIX):
        coarse, fine = r.get(scenario), r.get(scenario, scale=1)
        for o in SCALED:
            d = _values(coarse, o) - _values(fine, o)
            noise = 3 * math.sqrt(_values(coarse, o).var(ddof=1) / d.size + _values(fine, o).var(ddof=1) / d.size) \
                if d.size > 1 else 0.0
            allowed = max(0.03, noise)
            checks.append(Check(p, f"scale {r.scale} tells the same story as scale 1", f"{o} ({scenario}): "
                                f"scale {r.scale} − scale 1", tuple(d.tolist()), f"|mean| < {allowed:.3f}",
                                bool(abs(d.mean()) < allowed)))
    return checks


PATTERNS: tuple[Callable[[Runs], list[Check]], ...] = (reform, manager, flows, council, units, causes, remedies,
                                                        scale)


def validate(seeds: Iterable[int] = (1, 2, 3), scale: int = 10,
             progress: Callable[[str], None] | None = None) -> list[Check]:
    """Run every pattern's checks over ``seeds`` at ``scale`` (residents per simulated resident)."""
    runs = Runs(tuple(seeds), scale, progress)
    return [c for pattern in PATTERNS for c in pattern(runs)]
