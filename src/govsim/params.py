"""The parameter schema: the single source of truth for every model parameter.

Each :class:`Param` carries its default, bounds, unit, meaning and source.
Scenario files, ``--set`` overrides, experiment designs, the browser's sliders
and the parameter table in the docs (``govsim params``) are all derived from
:data:`SCHEMA`; nothing else states a default.

One model step is one day.  Defaults describe a typical Guiyang community of
2012 (its size, staff and make-up, from the model brief's facts); the
institutional choices the article argues about (role emphasis, "two signs, one
team", evaluation, training ...) default to neutral values and are set by the
scenario files.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from govsim.errors import InputError, did_you_mean

GROUPS = ("elderly", "disabled", "youth", "low_income", "ordinary")
"""Resident groups, in the order used by the ``group`` code of each resident."""

VULNERABLE = ("elderly", "disabled", "low_income")
"""Groups whose needs the article singles out (§II.1)."""

NEEDS = ("information", "life", "welfare", "voice")
"""The article's four kinds of service (§II.1): public information, community
life services, charity/public welfare, and channels for residents' opinions."""

ROLES = ("service", "coordination", "management")
"""The centre's three roles: service provider, communication coordinator,
organisation manager."""

UNIT_TYPES = ("enterprise", "school", "hospital", "agency")

Value = bool | int | float


@dataclass(frozen=True, slots=True)
class Param:
    """One model parameter.

    Attributes:
        key: dotted name, e.g. ``centre.role_emphasis.service``.
        default: default value; its Python type is the parameter's type.
        meaning: one sentence saying what it is.
        unit: unit of measure ("" for dimensionless indices).
        low, high: inclusive bounds for numbers.
        choices: allowed values, for a parameter with a short list of them.
        source: the fact or theory the default and the rule stand on.
    """

    key: str
    default: Value
    meaning: str
    unit: str = ""
    low: float | None = None
    high: float | None = None
    choices: tuple[Value, ...] | None = None
    source: str = "assumption"

    @property
    def kind(self) -> type:
        return type(self.default)

    @property
    def allowed(self) -> str:
        """What values are allowed, in words."""
        if self.kind is bool:
            return "true or false"
        if self.choices is not None:
            return "one of " + ", ".join(str(c) for c in self.choices)
        noun = "an integer" if self.kind is int else "a number"
        return f"{noun} from {_fmt(self.low)} to {_fmt(self.high)}"

    def check(self, value: Any, source: str | None = None) -> Value:
        """Return ``value`` as this parameter's type, or raise InputError.

        Bounds are checked before an integer is converted, and values are shown
        in short form, so ``1e300`` reads "1e+300", not a 301-digit number.
        """

        def fail(what: str) -> InputError:
            return InputError(f"{what}; allowed: {self.allowed}", source=source, key=self.key)

        if self.kind is bool:
            if not isinstance(value, bool):
                raise fail(f"got {show(value)}, not true or false")
            return value
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise fail(f"got {show(value)} ({type(value).__name__})")
        if isinstance(value, float) and not math.isfinite(value):
            raise fail(f"got {show(value)}")
        if self.kind is int and isinstance(value, float) and not value.is_integer():
            raise fail(f"got {show(value)}, not an integer")
        if self.choices is not None and value not in self.choices:
            raise fail(f"got {show(value)}")
        if (self.low is not None and value < self.low) or (self.high is not None and value > self.high):
            raise fail(f"{show(value)} is out of bounds")
        return int(value) if self.kind is int else float(value)

    def parse(self, text: str, source: str | None = None) -> Value:
        """Parse a command-line string (``--set key=text``) into a checked value."""
        text = text.strip()

        def fail() -> InputError:
            return InputError(f"got {show(text)}; allowed: {self.allowed}", source=source, key=self.key)

        if self.kind is bool:
            words = {"true": True, "yes": True, "on": True, "1": True,
                     "false": False, "no": False, "off": False, "0": False}
            if text.lower() not in words:
                raise fail()
            return words[text.lower()]
        try:
            number = float(text) if self.kind is float else _parse_int(text)
        except ValueError:
            raise fail() from None
        return self.check(number, source)


def _parse_int(text: str) -> int | float:
    if len(text) > 30:  # longer than any allowed integer: read as a float (int() refuses > 4,300 digits)
        return float(text)
    try:
        return int(text.replace("_", ""))
    except ValueError:
        return float(text)  # "3.0" is accepted, "3.5" is refused by check()


def _fmt(x: float | None) -> str:
    """A bound in words: ``any`` when open, ``1,000`` for integers, ``0.5`` for numbers."""
    if x is None:
        return "any"
    return f"{x:g}" if isinstance(x, float) else f"{x:,}"


def show(value: Any) -> str:
    """A user's value, short enough for a one-line message.

    Ordinary numbers read as written (``7.0``, ``-2``); huge or tiny ones in
    scientific form (``1e+300``); booleans as TOML writes them; anything else
    by its ``repr``, cut to 40 characters.
    """
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        if abs(value) < 10**12:
            return str(value)
        try:
            return f"{float(value):.4g}"
        except OverflowError:
            return f"an integer of {int(value.bit_length() * math.log10(2)) + 1:,} digits"
    if isinstance(value, float) and math.isfinite(value) and value != 0 and not 1e-6 <= abs(value) < 1e12:
        return f"{value:.4g}"
    text = repr(value)
    return text if len(text) <= 40 else text[:37] + "..."


def _p(key, default, meaning, unit="", low=None, high=None, source="assumption", choices=None):
    if low is None and high is None and isinstance(default, float):
        low, high = 0.0, 1.0
    return Param(key, default, meaning, unit, low, high, choices, source)


# Daily probability that a resident of a group develops a need of each kind.
# Relative sizes follow the article (§II.1): the elderly and disabled need life
# services and care, low-income families need welfare (低保) procedures, everyone
# needs public information and, now and then, a channel for an opinion.
_NEED_RATES = {
    #              information  life   welfare  voice
    "elderly":    (0.010,      0.010, 0.004,   0.004),
    "disabled":   (0.010,      0.010, 0.008,   0.004),
    "youth":      (0.010,      0.002, 0.001,   0.004),
    "low_income": (0.010,      0.004, 0.012,   0.006),
    "ordinary":   (0.010,      0.002, 0.001,   0.004),
}

_GROUP_SHARES = {
    "elderly": (0.15, "Share of residents aged 60 or over.", "assumption; China's 2010 census gives about 13% for cities"),
    "disabled": (0.06, "Share of residents with a disability.", "China's 2006 disability survey: 6.3%"),
    "youth": (0.20, "Share of residents who are youths (14-35).", "assumption"),
    "low_income": (0.05, "Share of residents in low-income (低保) or hardship families.", "assumption; urban 低保 coverage of a few per cent"),
}

_PARAMS: list[Param] = [
    # --- population -------------------------------------------------------
    _p("population.residents", 30_000, "Residents of the community.", "residents", 50, 2_000_000,
       "Brief: Guiyang's target community size, 20,000-40,000 residents"),
    *(_p(f"population.share.{g}", share, meaning + " Ordinary residents are the remainder.", "share",
         source=src) for g, (share, meaning, src) in _GROUP_SHARES.items()),
    *(_p(f"needs.{g}.{n}", rates[i], f"Daily chance that one {g.replace('_', '-')} resident needs "
         f"{ {'information': 'public information', 'life': 'a community life service', 'welfare': 'charity/welfare help', 'voice': 'to pass an opinion up'}[n] }.",
         "per day", source="Article §II.1 (which groups need what); rates assumed")
      for g, rates in _NEED_RATES.items() for i, n in enumerate(NEEDS)),
    # --- service centre ---------------------------------------------------
    _p("centre.staff", 23, "Staff posts of the service centre (or, before the reform, of the residents' committees).",
       "posts", 1, 1000, "Brief: 2,043 posts for 90 communities in Guiyang 2012 (20-40 each)"),
    _p("centre.hours_per_day", 7.0, "Working hours of one post a day.", "h/day", 1.0, 12.0),
    _p("centre.role_emphasis.service", 0.4, "Share of staff time the centre means to give to providing services.",
       "share", source="Article §II.1; shares sum to 1"),
    _p("centre.role_emphasis.coordination", 0.3, "Share of staff time the centre means to give to coordination (links with residents, council and units).",
       "share", source="Article §II.2; shares sum to 1"),
    _p("centre.role_emphasis.management", 0.3, "Share of staff time the centre means to give to management and administrative tasks.",
       "share", source="Article §II.3; shares sum to 1"),
    _p("centre.quality", 0.6, "Staff skill: the share of a trained professional's output an hour of staff time gives.",
       "index", source="Article §III.2: staff mostly from the old street-office team"),
    _p("centre.training", 0.0, "Share of staff given induction training on the reform; training closes half the gap to full skill.",
       "share", source="Article §III.2: no induction training"),
    _p("centre.motivation", 0.5, "Staff's intrinsic motivation to serve: the weight unmeasured service and coordination get.",
       "index", source="Article §III.1: weak internal motivation; Lipsky 1980"),
    _p("centre.performance_evaluation", False, "Whether service and coordination are measured and rewarded.",
       source="Article §III.1: no sound performance-evaluation system; Holmström & Milgrom 1991"),
    _p("centre.social_workers", 0, "Professional social workers attached to the centre.", "persons", 0, 500,
       "Article §II.1: social-worker teams missing"),
    _p("centre.volunteer_team", False, "Whether the centre organises residents' volunteering into a team.",
       source="Article §II.1: volunteer teams missing"),
    # --- incentives (multitask principal-agent) ------------------------------
    _p("incentives.task_weight", 0.6, "How much measured top-down task pressure adds to the pull of management on staff time.",
       "", 0.0, 3.0, "Holmström & Milgrom 1991: measured tasks crowd out unmeasured ones"),
    _p("incentives.evaluation_weight", 0.8, "How much performance evaluation adds to the pull of service and coordination.",
       "", 0.0, 3.0, "Holmström & Milgrom 1991"),
    _p("incentives.party_authority", 0.4, "Extra pull of management under 'two signs, one team' (the centre borrows the party's authority).",
       "", 0.0, 3.0, "Article §II.3"),
    _p("incentives.adaptation", 0.05, "Daily rate at which the realised split of staff time moves toward its incentive-weighted target.",
       "per day", source="assumption: drift over weeks"),
    _p("incentives.council_steer", 0.3, "How far an effective council's resolutions pull staff time toward service.",
       "", 0.0, 2.0, "Brief: council resolutions can steer services"),
    # --- services and co-production ------------------------------------------
    _p("services.hours_life", 1.0, "Staff hours one community life service takes.", "h", 0.05, 20.0),
    _p("services.hours_welfare", 2.0, "Staff hours one welfare case (e.g. a 低保 application) takes.", "h", 0.05, 40.0,
       "Brief: Tongling cut 低保 approval from two weeks to two days"),
    _p("services.hours_opinion", 0.25, "Staff hours to gather one resident's opinion and pass it up.", "h", 0.01, 10.0),
    _p("services.volunteer_hours", 0.05, "Service hours one active volunteer gives a day.", "h/day", 0.0, 8.0,
       "Parks et al. 1981: co-production"),
    _p("services.unorganised_volunteering", 0.3, "Share of volunteers' effort that reaches people in need when no volunteer team organises it.",
       "share", source="Article §II.1"),
    _p("services.unit_liaison", 0.5, "Share of coordination time spent drawing in stationed units; the rest gathers residents' opinions.",
       "share", source="Article §II.2"),
    _p("services.social_worker_hours", 6.0, "Service hours one social worker gives a day.", "h/day", 0.0, 12.0),
    # --- structure -------------------------------------------------------------
    _p("structure.levels", 3, "Levels of the management chain: 4 = city, district, street office, community; 3 = street offices abolished.",
       "levels", 3, 4, "Article §I", choices=(3, 4)),
    _p("structure.two_signs_one_team", False, "Party committee and centre are one staff team under two names.",
       source="Article §I, §II.3 (两块牌子一套人马)"),
    _p("structure.big_party_committee", False, "The party committee draws in the party members of stationed units (大党委).",
       source="Article §I"),
    # --- district (environment) -------------------------------------------------
    _p("district.task_pressure", 0.5, "Administrative tasks the district and its departments push down, as a share of the heaviest load.",
       "index", source="Article §I, §II.3; Lipsky 1980"),
    _p("district.street_office_load", 0.5, "Extra task pressure a street office adds when it stands between district and community (4 levels only).",
       "index", source="Article §I: street offices pushed every task down"),
    # --- information flows ---------------------------------------------------------
    _p("information.fidelity_down", 0.9, "Share of a policy signal kept over one link down the hierarchy.", "per link",
       source="Tullock 1965: a signal over n links keeps p^n"),
    _p("information.fidelity_up", 0.7, "Share of a resident's opinion kept over one link up the hierarchy.", "per link",
       source="Tullock 1965; Article §II.2 (views do not flow up)"),
    _p("information.notice_rate", 0.08, "Daily reach of official notices per hour of outward staff time per 1,000 residents.",
       "per h per 1,000", 0.0, 5.0),
    _p("information.party_relay", 0.01, "Extra daily chance a resident hears policy through party members (big party committee).",
       "per day", source="Article §I"),
    _p("information.word_of_mouth", 0.3, "Chance an uninformed resident learns a policy from an informed neighbour on an active tie.",
       "share"),
    _p("information.forgetting", 0.03, "Daily rate at which a resident's knowledge of current policy goes stale.", "per day"),
    # --- residents' council ------------------------------------------------------------
    _p("council.autonomy", 0.6, "Formal autonomy of the residents' council.", "index", source="Article §I, §II.3"),
    _p("council.dominance_two_signs", 0.5, "How much 'two signs, one team' amplifies management's dominance over the council.",
       "", 0.0, 3.0, "Article §II.3"),
    _p("council.quorum", 0.05, "Share of residents taking part at which the council works at full capacity.", "share", 0.001, 1.0,
       "Granovetter 1978"),
    _p("council.answer_without", 0.3, "Chance a heard opinion gets an answer when the council does not work; a working council raises it toward 1.",
       "share", source="Article §II.3: consultation and deliberation stay weak"),
    _p("council.opinion_capacity", 30.0, "Opinions a fully effective council gathers and passes up a day.", "per day", 0.0, 10_000.0),
    # --- resident units -----------------------------------------------------------------
    _p("units.count", 69, "Units (enterprises, schools, hospitals, agencies) stationed in the community.", "units", 0, 2000,
       "Brief: the example community (遵义社区) had 69"),
    *(_p(f"units.share.{t}", s, f"Share of units that are {t}s. Enterprises are the remainder.", "share")
      for t, s in (("school", 0.15), ("hospital", 0.10), ("agency", 0.15))),
    _p("units.mean_resources", 1.0, "Service hours a day a unit's venues, funds and volunteers are worth, on average.",
       "h/day", 0.0, 100.0),
    _p("units.resource_sharing", 0.3, "Willingness of units to share resources with the community (completeness of the sharing network).",
       "share", source="Article §II.1: resource-sharing network incomplete"),
    _p("units.contact_hours", 0.5, "Coordinator hours a day per unit that give a 63% chance of drawing it in.", "h/day", 0.01, 100.0),
    _p("units.party_channel", 0.4, "Engagement a big party committee adds through units' party members.", "share",
       source="Article §I"),
    _p("units.adaptation", 0.05, "Daily rate at which a unit's engagement moves toward its target.", "per day"),
    # --- residents' behaviour ---------------------------------------------------------------
    _p("residents.initial_expectation", 0.6, "Residents' initial expectation of service performance.", "index",
       source="Oliver 1980"),
    _p("residents.expectation_adaptation", 0.02, "Daily rate at which expectations adapt to experience (λ).", "per day",
       source="Van Ryzin 2004: E(t+1) = E + λ(P - E)"),
    _p("residents.expectation_growth", 0.0, "Daily drift of expectations upward, whatever the service.", "per day", 0.0, 0.05,
       source="Van Ryzin 2006: rising expectations"),
    _p("residents.memory", 0.2, "Weight of the newest experience in a resident's perceived performance.", "share", 0.001, 1.0),
    _p("residents.satisfaction_intercept", 0.15, "β0 of satisfaction S = β0 + β1·P + β2·(P - E).", "", -1.0, 1.0,
       "Van Ryzin 2004; Zhang et al. 2022 meta-analysis"),
    _p("residents.satisfaction_performance", 0.6, "β1: weight of perceived performance P in satisfaction.", "", 0.0, 2.0,
       "Van Ryzin 2004"),
    _p("residents.satisfaction_disconfirmation", 0.4, "β2: weight of disconfirmation D = P - E in satisfaction.", "", 0.0, 2.0,
       "Oliver 1980; Van Ryzin 2004"),
    _p("residents.initial_efficacy", 0.5, "Residents' initial belief that voicing an opinion is worth it.", "index",
       source="Hirschman 1970; Dowding & John 2008"),
    _p("residents.efficacy_learning", 0.2, "How far one answered (or ignored) opinion moves a resident's efficacy.", "share",
       source="James & John 2021: unanswered voice turns into neglect"),
    _p("residents.initial_trust", 0.5, "Residents' initial trust in the centre.", "index"),
    _p("residents.trust_learning", 0.02, "Daily rate at which trust moves toward a resident's own satisfaction.", "per day"),
    _p("residents.volunteer_propensity", 0.06, "Scale of residents' willingness to volunteer (thresholds are uniform).", "share", 0.0, 1.0,
       "Granovetter 1978; volunteer's dilemma"),
    _p("residents.participation_propensity", 0.1, "Scale of residents' willingness to take part in council deliberation.", "share",
       source="Granovetter 1978"),
    _p("residents.social_proof", 0.5, "How much others' participation lowers a resident's threshold.", "", 0.0, 5.0,
       "Granovetter 1978"),
    # --- social network ------------------------------------------------------------------------
    _p("network.mean_degree", 8, "Average number of neighbours a resident talks to.", "ties", 0, 100,
       "Watts & Strogatz 1998 small world"),
    _p("network.rewiring", 0.1, "Share of ties rewired from the neighbourhood ring to anywhere in the community.", "share",
       source="Watts & Strogatz 1998"),
    _p("network.active_ties", 0.1, "Share of ties on which residents talk on a given day.", "share", 0.0, 1.0),
    _p("network.tolerance", 0.3, "Deffuant bounded-confidence threshold: neighbours whose trust differs by less talk it over.", "index",
       source="Deffuant et al. 2000"),
    _p("network.convergence", 0.2, "Deffuant convergence rate μ: how far two talking neighbours move toward each other.", "", 0.0, 0.5,
       "Deffuant et al. 2000"),
]

SCHEMA: dict[str, Param] = {p.key: p for p in _PARAMS}
"""Every parameter, by dotted key, in documentation order."""

SHARE_GROUPS: dict[str, tuple[str, ...]] = {
    "centre.role_emphasis": tuple(f"centre.role_emphasis.{r}" for r in ROLES),
}
"""Parameter sets that must sum to exactly 1."""

REMAINDER_GROUPS: dict[str, tuple[str, ...]] = {
    "population.share": tuple(f"population.share.{g}" for g in GROUPS[:-1]),
    "units.share": tuple(f"units.share.{t}" for t in UNIT_TYPES[1:]),
}
"""Parameter sets whose sum must not exceed 1 (the rest is ordinary residents / enterprises)."""


def defaults() -> dict[str, Value]:
    """A fresh dict of every parameter at its default."""
    return {k: p.default for k, p in SCHEMA.items()}


def lookup(key: str, source: str | None = None) -> Param:
    """The parameter for ``key``, or an InputError that suggests near matches."""
    try:
        return SCHEMA[key]
    except KeyError:
        hint = did_you_mean(key, SCHEMA)
        raise InputError(f"unknown parameter{hint}; `govsim params` lists them", source=source, key=key) from None


def check_constraints(values: Mapping[str, Value], source: str | None = None) -> None:
    """Check the rules that tie several parameters together."""
    for group, keys in SHARE_GROUPS.items():
        total = sum(values[k] for k in keys)
        if abs(total - 1.0) > 1e-6:
            parts = ", ".join(f"{k.rsplit('.', 1)[1]}={values[k]:g}" for k in keys)
            raise InputError(f"shares must sum to 1, got {total:g} ({parts})", source=source, key=group)
    for group, keys in REMAINDER_GROUPS.items():
        total = sum(values[k] for k in keys)
        if total > 1.0 + 1e-9:
            raise InputError(f"shares must sum to at most 1 (the rest is the remainder group), got {total:g}",
                             source=source, key=group)
    degree = values["network.mean_degree"]
    if degree >= values["population.residents"]:
        raise InputError(f"must be below population.residents ({values['population.residents']})",
                         source=source, key="network.mean_degree")


def table() -> list[dict[str, Any]]:
    """The schema as rows (key, default, allowed, unit, meaning, source) for printing."""
    return [
        {"key": p.key, "default": p.default, "allowed": p.allowed, "unit": p.unit,
         "meaning": p.meaning, "source": p.source}
        for p in SCHEMA.values()
    ]
