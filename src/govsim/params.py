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
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any, ClassVar, Protocol

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
"""Kinds of unit stationed in the community (驻区单位, Article §II.2)."""

ORIGINS = ("street_office", "committee", "intern", "part_time")
"""Where the centre's staff come from (Article §III.2); part-time residents are the remainder."""

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


def _p(key: str, default: Value, meaning: str, unit: str = "", low: float | None = None, high: float | None = None,
       source: str = "assumption", choices: tuple[Value, ...] | None = None) -> Param:
    if low is None and high is None and isinstance(default, float):
        low, high = 0.0, 1.0
    return Param(key, default, meaning, unit, low, high, choices, source)


# Daily chance that one resident of a group develops a need of each kind.  Which
# groups need what follows the article (§II.1): the elderly and the disabled need
# life services and care, low-income families need welfare (低保) procedures,
# everyone needs public information and now and then a channel for an opinion.
# The sizes are assumptions: about two information needs a resident a year, four
# life-service needs an elderly resident a year, one or two welfare applications
# (including renewals) every second year for a low-income resident, one concern a resident a year.
_NEED_RATES = {
    #              information  life    welfare  voice
    "elderly":    (0.005,      0.012,  0.0003,  0.003),
    "disabled":   (0.005,      0.012,  0.001,   0.003),
    "youth":      (0.005,      0.003,  0.00005, 0.003),
    "low_income": (0.006,      0.006,  0.002,   0.004),
    "ordinary":   (0.005,      0.002,  0.00005, 0.003),
}
_NEED_WORDS = {"information": "public information", "life": "a community life service",
               "welfare": "charity or welfare help (e.g. a 低保 application)", "voice": "to pass an opinion up"}

_GROUP_SHARES = {
    "elderly": (0.15, "Share of residents aged 60 or over.",
                "China's 2010 census: 13.3% aged 60+ nationally; assumption for a city centre"),
    "disabled": (0.06, "Share of residents with a disability.", "China's 2006 disability survey: 6.3%"),
    "youth": (0.20, "Share of residents who are youths (14-35).", "assumption"),
    "low_income": (0.05, "Share of residents in low-income (低保) or hardship families.",
                   "assumption; urban 低保 coverage of a few per cent around 2012"),
}

_PARAMS: list[Param] = [
    # --- population ------------------------------------------------------------------------------------------------
    _p("population.residents", 30_000, "Residents of the community.", "residents", 50, 2_000_000,
       "Brief: Guiyang's target community size, 20,000-40,000 residents"),
    _p("population.scale", 1, "Residents each simulated resident stands for; institutions are unchanged.",
       "residents per agent", 1, 1000, "Covasim's pop_scale (Kerr et al. 2021): agent scaling"),
    *(_p(f"population.share.{g}", share, meaning + " Ordinary residents are the remainder.", "share", source=src)
      for g, (share, meaning, src) in _GROUP_SHARES.items()),
    *(_p(f"needs.{g}.{k}", rates[i], f"Daily chance that one {g.replace('_', '-')} resident needs {_NEED_WORDS[k]}.",
         "per day", 0.0, 0.2, "Article §II.1 (which groups need what); rates assumed")
      for g, rates in _NEED_RATES.items() for i, k in enumerate(NEEDS)),
    # --- the service centre and its staff --------------------------------------------------------------------------
    _p("centre.staff", 23, "Staff posts of the service centre (before the reform: of the residents' committees).",
       "posts", 1, 1000, "Brief: 2,043 posts for 90 communities in Guiyang 2012 (20-40 each)"),
    _p("centre.hours_per_day", 8.0, "Working hours of one post on a working day (Monday to Friday).", "h/day",
       1.0, 12.0, "State Council 1995: an 8-hour day and a 40-hour week"),
    _p("centre.role_emphasis.service", 0.4, "Weight the centre's leadership gives service provision when it "
       "assigns staff time.", "share", source="Article §II.1; shares sum to 1"),
    _p("centre.role_emphasis.coordination", 0.3, "Weight the centre's leadership gives coordination (policy down, "
       "opinions up, units) when it assigns staff time.", "share", source="Article §II.2; shares sum to 1"),
    _p("centre.role_emphasis.management", 0.3, "Weight the centre's leadership gives management (the district's "
       "tasks and control) when it assigns staff time.", "share", source="Article §II.3; shares sum to 1"),
    _p("centre.quality", 0.6, "Mean skill of experienced staff before training: the share of a fully skilled "
       "worker's speed and quality.", "index", source="Article §III.2: mostly the old street-office team"),
    _p("centre.training", 0.0, "Share of staff given induction training on the reform.", "share",
       source="Article §III.2: no induction training"),
    _p("centre.training_effect", 0.5, "Share of the gap to full skill that induction training closes.", "share"),
    _p("centre.motivation", 0.5, "Staff's baseline intrinsic motivation to serve residents.", "index",
       source="Article §III.1: weak internal motivation; Perry & Wise 1990 (public service motivation)"),
    _p("centre.promotion_room", 0.3, "Room for promotion staff see ahead of them.", "index",
       source="Article §III.1: small room for promotion"),
    _p("centre.performance_evaluation", False, "Whether the district assesses and rewards service and "
       "coordination (not only its own tasks).",
       source="Article §III.1: no sound performance-evaluation system; Holmström & Milgrom 1991"),
    _p("centre.social_workers", 0, "Professional social workers attached to the centre.", "persons", 0, 500,
       "Article §II.1: social-worker teams missing"),
    _p("centre.volunteer_team", False, "Whether the centre organises residents' volunteering into a team.",
       source="Article §II.1: volunteer teams missing"),
    _p("centre.origin.street_office", 0.5, "Share of staff from the old street-office team. The posts left after "
       "the street-office team, committee members and interns are held by part-time residents.", "share",
       source="Article §III.2: staff are mostly the old street-office team"),
    _p("centre.origin.committee", 0.3, "Share of staff promoted from residents' committees.", "share",
       source="Article §III.2; brief: 3-4 of each committee's 9 posts moved up"),
    _p("centre.origin.intern", 0.1, "Share of staff who are student interns (on placement full-time, unlike the "
       "part-time residents who hold the remaining posts).", "share",
       source="Article §III.2: 大学生实习 (students on internships); share an assumption"),
    _p("centre.tenure_years", 8.0, "Mean years the experienced staff have held the same post.", "years", 0.0, 40.0,
       "Article §III.1: long tenure in one post"),
    _p("centre.handoff_days", 1, "Days between the community's transfers of case files to the level above "
       "(1: every day).", "days", 1, 30, "assumption, calibrated on the brief's Tongling fact (two days after)"),
    _p("centre.urgency_days", 3, "Days before its deadline at which checked work is done before anything else.",
       "days", 0, 30, "Lipsky 1980: staff ration by what is checked; assumption"),
    # --- staff behaviour -------------------------------------------------------------------------------------------
    _p("staff.part_time_hours", 0.5, "Share of a working day a part-time resident holding a post works.", "share",
       0.1, 1.0, "Article §III.2: 居民兼职 (residents working part-time); the share is an assumption"),
    _p("staff.newcomer_skill_gap", 0.15, "Skill interns and part-time residents lack against experienced staff.",
       "index", 0.0, 0.5, "Article §III.2: interns and part-time residents, no induction"),
    _p("staff.motivation_adaptation", 0.02, "Daily rate at which a staff member's motivation moves toward what "
       "the job offers.", "per day", 0.0, 0.5, "assumption: attitudes change over months"),
    _p("staff.promotion_effect", 1.0, "Log-odds of motivation that full room for promotion adds.", "log-odds",
       0.0, 5.0, "Article §III.1: small room for promotion"),
    _p("staff.recognition_effect", 1.0, "Log-odds of motivation that the district's full recognition of the "
       "centre's service adds (with performance evaluation).", "log-odds", 0.0, 5.0,
       "Article §III.1; Holmström & Milgrom 1991"),
    _p("staff.effort_effect", 1.0, "How much more a fully motivated member gets done in an hour than an "
       "indifferent one (effort at motivation m: 1 + effect·(m − 0.5)).", "share", 0.0, 1.5,
       "Article §III.1: weak internal motivation; Perry & Wise 1990"),
    _p("staff.overload_effect", 0.05, "Log-odds of motivation lost per day of work waiting in the centre's queues.",
       "log-odds per day", 0.0, 2.0, "Lipsky 1980: overload and burnout"),
    _p("staff.tenure_effect", 0.05, "Log-odds of motivation lost per year in the same routine post (up to 20).",
       "log-odds per year", 0.0, 0.5, "Article §III.1: long tenure, routine work, familiar faces"),
    # --- incentives (multitask principal-agent) --------------------------------------------------------------------
    _p("incentives.checks", 1.0, "Reward weight of work the district checks (its tasks, publicising policy).",
       "", 0.0, 5.0, "Holmström & Milgrom 1991: measured tasks crowd out unmeasured ones"),
    _p("incentives.evaluation", 1.0, "Reward weight performance evaluation gives service, opinions and units.",
       "", 0.0, 5.0, "Holmström & Milgrom 1991"),
    _p("incentives.control", 0.2, "Reward weight of control work (meetings, inspections, stability) on its own.",
       "", 0.0, 5.0, "Article §II.3: the centre 'manages' more than it 'serves'"),
    _p("incentives.party_authority", 0.8, "Extra reward weight of control work under borrowed authority: the party "
       "committee's ('two signs, one team'), or before the reform the street office's over the committees.", "",
       0.0, 5.0, "Article §II.3; §I (a 'yamen-style' bureaucracy)"),
    _p("incentives.criticism", 1.0, "Extra reward weight of checked work per share of the district's deadlines "
       "missed lately.", "", 0.0, 10.0, "Lipsky 1980; the district's checks (Article §I)"),
    # --- services and co-production --------------------------------------------------------------------------------
    _p("services.hours_life", 0.6, "Hours one community life service takes a fully skilled worker.", "h",
       0.05, 20.0),
    _p("services.hours_welfare", 0.5, "Hours the community's intake and home check of one welfare application take.",
       "h", 0.05, 20.0),
    _p("services.hours_opinion", 0.25, "Hours to gather, record and report one resident's concern.", "h",
       0.01, 10.0),
    _p("services.rationing_days", 5.0, "Days of work waiting beyond which staff routinise: less care a case.",
       "days", 0.5, 60.0, "Lipsky 1980: staff ration and routinise under overload"),
    _p("services.rationing_floor", 0.5, "Least share of the care a case deserves that staff give under overload.",
       "share", 0.1, 1.0, "Lipsky 1980"),
    _p("services.volunteer_hours", 0.03, "Service hours one volunteer gives a day.", "h/day", 0.0, 8.0,
       "Parks et al. 1981: co-production"),
    _p("services.unorganised_volunteering", 0.3, "Share of volunteers' effort that reaches people in need when no "
       "volunteer team organises it.", "share", source="Article §II.1"),
    _p("services.volunteer_skill", 0.6, "Skill of volunteers' and units' service.", "index",
       source="Parks et al. 1981"),
    _p("services.social_worker_skill", 0.9, "Skill of professional social workers.", "index",
       source="Article §II.1: social-worker teams"),
    _p("services.patience", 5.0, "Mean days a resident waits for a life service before giving up (each day "
       "waiting, one in this many gives up).", "days", 1.0, 365.0, "Hirschman 1970: exit from the service; assumption"),
    _p("services.wait_tolerance", 7.0, "Days of waiting that halve a service's score in a resident's eyes.",
       "days", 0.5, 100.0, "Van Ryzin 2004: timeliness in perceived performance; assumption"),
    # --- structure -------------------------------------------------------------------------------------------------
    _p("structure.levels", 3, "Levels of the management chain: 4 = city, district, street office, community; "
       "3 = street offices abolished.", "levels", 3, 4, "Article §I", choices=(3, 4)),
    _p("structure.two_signs_one_team", False, "Party committee and centre are one staff team under two names.",
       source="Article §I, §II.3 (两块牌子一套人马)"),
    _p("structure.big_party_committee", False, "The party committee draws in the party members of stationed "
       "units (大党委).", source="Article §I"),
    # --- district (and its offices) --------------------------------------------------------------------------------
    _p("district.task_pressure", 0.5, "Administrative tasks (civil affairs, family planning, health) the district "
       "and its departments push down, as a share of the heaviest load.", "index",
       source="Article §I, §II.3; Lipsky 1980"),
    _p("district.task_hours", 2.5, "Staff hours a working day per 1,000 residents that the heaviest task load "
       "takes.", "h/day per 1,000", 0.0, 50.0, "assumption"),
    _p("district.task_deadline", 10.0, "Mean days a task is given before the district checks it.", "days",
       1.0, 90.0),
    _p("district.campaign_interval", 60, "Mean days between the district's campaigns (inspections, surveys, a census "
       "round): a burst of tasks due within a week.", "days", 1, 3650, "Article §II.3; assumption"),
    _p("district.campaign_size", 20.0, "Working days of the ordinary task load one campaign brings at once.", "days",
       0.0, 100.0, "assumption"),
    _p("district.policy_interval", 14, "Days between new policies the district issues.", "days", 1, 365),
    _p("district.hours", 100.0, "Hours a working day the district's offices give to deciding welfare cases and "
       "answering concerns from the units below them.", "h/day", 0.5, 5000.0, "assumption"),
    _p("district.communities", 13, "Communities the district has (about 90 over 7 urban districts).",
       "communities", 1, 200, "Brief: 90 communities in Guiyang's urban districts"),
    _p("district.approval_hours", 0.25, "District hours to review and decide one welfare application.", "h",
       0.01, 10.0),
    _p("district.signoff_share", 0.3, "Share of that time left to the district when a street office has already "
       "reviewed the case.", "share", 0.0, 1.0),
    _p("district.answer_hours", 0.5, "District hours to answer one concern that reaches it.", "h", 0.01, 10.0),
    _p("district.assessment_days", 90, "Days between the district's assessments of the centre.", "days", 7, 365,
       "Article §I: the centre is assessed (考核评估)"),
    # --- street office (4 levels only) -----------------------------------------------------------------------------
    _p("street_office.staff", 15, "Posts of the street office serving this community's residents' committees.",
       "posts", 0, 1000, "assumption: a street office of ~30 posts over ~10 committees (brief: 470 committees, "
       "49 offices)"),
    _p("street_office.economy_share", 0.7, "Share of the street office's hours spent on the economy and tax.",
       "share", source="Article §I: street offices spent their energy on the economy and tax revenue"),
    _p("street_office.own_tasks", 0.5, "Tasks the street office adds of its own, as a share of the district's.",
       "share", 0.0, 3.0, "Article §I: it pushed every task down to the residents' committees"),
    _p("street_office.relay_days", 2, "Days the street office takes to relay a task or policy down.", "days",
       0, 30, "Article §I: a 'relay passer' (二传手)"),
    _p("street_office.handoff_days", 7, "Days between the street office's transfers of files to the district.",
       "days", 1, 30, "assumption, calibrated on the brief's Tongling fact (two weeks before)"),
    _p("street_office.upward_relay", 0.3, "Share of residents' concerns the street office passes up.", "share",
       source="Article §I: a 'mouthpiece' (传声筒) for orders going down"),
    _p("street_office.referral_share", 0.5, "Share of life services the street office gives itself, residents' "
       "committees only taking requests in and referring them up (4 levels only).", "share",
       source="Article §I: services moved down to the community's centre with the reform; assumption"),
    _p("street_office.quality", 0.5, "Skill of the street-office team (the staff most of the new centres came from).",
       "index", source="Article §III.2: the centres' staff are mostly the old street-office team"),
    _p("street_office.review_hours", 0.5, "Street-office hours to review one welfare application.", "h",
       0.01, 10.0),
    # --- information flows -----------------------------------------------------------------------------------------
    _p("information.fidelity_down", 0.9, "Share of a policy kept over one link down the hierarchy.", "per link",
       source="Tullock 1965: a signal over n links keeps p^n"),
    _p("information.fidelity_up", 0.7, "Share of residents' concerns kept over one link up the hierarchy.",
       "per link", source="Tullock 1965; Article §II.2 (views do not flow up)"),
    _p("information.publicity_hours", 1.0, "Coordination hours per 1,000 residents to publicise one new policy.",
       "h per 1,000", 0.0, 20.0),
    _p("information.publicity_deadline", 5, "Days the district gives the community to publicise a policy.", "days",
       1, 60, "Article §II.2: policies are passed down well"),
    _p("information.notice_reach", 0.5, "Chance per publicity hour per 1,000 residents that an uninformed "
       "resident is reached directly.", "per h per 1,000", 0.0, 10.0),
    _p("information.word_of_mouth", 0.3, "Chance an informed resident tells an uninformed neighbour on an active "
       "tie.", "share", source="Deffuant et al. 2000 (spread on a network)"),
    # --- party committee -------------------------------------------------------------------------------------------
    _p("party.member_share", 0.06, "Share of residents who are party members.", "share", 0.0, 0.5,
       "CPC 2012: about 85 million members in a population of 1.35 billion"),
    _p("party.relay", 0.5, "Chance a party member hears a new policy at the committee's meeting.", "share",
       source="Article §I: the party committee passes policy down"),
    _p("party.unit_contact", 0.03, "Daily chance the big party committee reaches a unit through its party members.",
       "per day", 0.0, 1.0, "Article §I: the big party committee (大党委)"),
    # --- residents' council ----------------------------------------------------------------------------------------
    _p("council.autonomy", 0.6, "Formal autonomy of the residents' council: the share of its agenda it sets itself "
       "when nobody else intervenes.", "index", source="Article §I, §II.3"),
    _p("council.seats", 25, "Seats on the residents' council.", "seats", 3, 200,
       "assumption: councils of 20-40 elected residents"),
    _p("council.quorum", 0.5, "Share of seats that must attend for the council to deliberate.", "share", 0.05, 1.0,
       "Organic Law of Urban Residents' Committees 1989, art. 10: over half of the members"),
    _p("council.meeting_days", 30, "Days between council meetings.", "days", 1, 365),
    _p("council.agenda_size", 5, "Items the council deliberates at one meeting; residents' items are topics, one "
       "per group, so at most five of them.", "items", 1, 5, "assumption"),
    _p("council.dominance", 0.3, "How strongly the centre's management share takes over the council's agenda "
       "when party and centre are separate.", "", 0.0, 10.0, "Article §II.3"),
    _p("council.dominance_two_signs", 1.2, "How much more strongly it does so under 'two signs, one team'.", "",
       0.0, 10.0, "Article §II.3: the centre borrows the party's authority"),
    _p("council.steer_hours", 2.0, "Service hours a working day one resolution binds the centre to give.", "h/day",
       0.0, 50.0, "Brief: the council's resolutions can steer services"),
    _p("council.resolution_days", 30, "Days a resolution binds the centre.", "days", 1, 365),
    _p("council.hearing_reference", 0.05, "Share of residents taking part at which the council's hearings hear "
       "from every part of the community.", "share", 0.001, 1.0, "assumption"),
    _p("council.pickup", 0.5, "Chance a council member carries a neighbour's voiced concern to the council.",
       "share", source="Brief: the council deliberates on residents' issues"),
    # --- stationed units -------------------------------------------------------------------------------------------
    _p("units.per_thousand", 0.94, "Units (enterprises, schools, hospitals, agencies) stationed per 1,000 residents.",
       "per 1,000", 0.0, 20.0, "Brief: 69 units among 73,552 residents of 遵义社区"),
    _p("units.mean_resources", 1.0, "Service hours a day a unit's venues, funds and volunteers are worth, on "
       "average.", "h/day", 0.0, 100.0),
    _p("units.resource_sharing", 0.3, "Units' mean propensity to share resources with the community.", "share",
       source="Article §II.1: the resource-sharing network is incomplete"),
    _p("units.contact_hours", 4.0, "Coordinator hours one visit to a unit takes.", "h", 0.1, 50.0),
    _p("units.visit_days", 10, "Days between the coordinator's visits to a unit not yet drawn in, when time allows.",
       "days", 1, 365),
    _p("units.cost", 4.5, "Weight of the cost of sharing in a unit's decision.", "", 0.0, 10.0,
       "Olson 1965: collective action"),
    _p("units.recognition", 3.0, "Weight of the recognition a skilled visit brings.", "", 0.0, 10.0,
       "Article §II.2: coordination with units"),
    _p("units.party_bonus", 2.0, "Weight of the party channel in a unit's decision.", "", 0.0, 10.0,
       "Article §I: the big party committee"),
    _p("units.reciprocity", 2.0, "Weight of past joint activity in a unit's decision.", "", 0.0, 10.0,
       "Gouldner 1960: the norm of reciprocity"),
    _p("units.initiative", 0.003, "Daily chance a unit considers offering resources on its own, unasked.",
       "per day", 0.0, 0.1, "assumption: a festival donation or an open day now and then"),
    _p("units.rapport", 0.15, "Share of the way to full reciprocity one visit by a fully skilled coordinator builds.",
       "share", source="Gouldner 1960; assumption"),
    _p("units.commitment_days", 90, "Days a unit's commitment lasts before it decides again.", "days", 1, 3650),
    # --- residents' behaviour --------------------------------------------------------------------------------------
    _p("residents.initial_expectation", 0.6, "Residents' initial expectation of each service.", "index",
       source="Oliver 1980"),
    _p("residents.expectation_adaptation", 0.2, "Share of the gap to experience an expectation closes at each "
       "contact (λ).", "per contact", source="Van Ryzin 2004: E(t+1) = E + λ(P - E)"),
    _p("residents.expectation_growth", 0.0, "Daily drift of expectations upward, whatever the service.", "per day",
       0.0, 0.05, "Van Ryzin 2006: rising expectations"),
    _p("residents.memory", 0.5, "Weight of the newest contact in a resident's perceived performance.", "share",
       0.01, 1.0),
    _p("residents.satisfaction_intercept", 0.0, "β0 of satisfaction S = β0 + β1·P + β2·(P - E).", "", -0.5, 0.5,
       "Van Ryzin 2004; Zhang et al. 2022 meta-analysis"),
    _p("residents.satisfaction_performance", 1.0, "β1: weight of perceived performance P in satisfaction.", "",
       0.0, 2.0, "Van Ryzin 2004"),
    _p("residents.satisfaction_disconfirmation", 0.5, "β2: weight of disconfirmation D = P - E in satisfaction.",
       "", 0.0, 2.0, "Oliver 1980; Van Ryzin 2004"),
    _p("residents.initial_efficacy", 0.5, "Residents' initial belief that voicing a concern is worth it.", "index",
       source="Hirschman 1970; Dowding & John 2008"),
    _p("residents.efficacy_learning", 0.2, "How far one answered (or ignored) concern moves a resident's efficacy.",
       "share", source="James & John 2021: unanswered voice turns into neglect"),
    _p("residents.initial_trust", 0.5, "Residents' initial trust in the centre.", "index"),
    _p("residents.trust_learning", 0.05, "How far one contact moves a resident's trust toward its score.",
       "per contact"),
    _p("residents.volunteer_propensity", 0.06, "Scale of residents' willingness to volunteer.", "share",
       source="Granovetter 1978; volunteer's dilemma"),
    _p("residents.participation_propensity", 0.1, "Scale of residents' willingness to take part in council "
       "deliberation.", "share", source="Granovetter 1978"),
    _p("residents.social_proof", 0.5, "How much others' taking part lowers a resident's threshold.", "", 0.0, 5.0,
       "Granovetter 1978"),
    _p("residents.proof_reference", 0.05, "Share taking part at which social proof is full.", "share", 0.001, 1.0,
       "Granovetter 1978"),
    # --- the city (CityModel only) ---------------------------------------------------------------------------------
    _p("city.communities", 90, "Communities of the city.", "communities", 7, 500,
       "Brief: 90 communities created in 2012"),
    _p("city.residents_mean", 32_000, "Mean residents of a community (floating population included).", "residents",
       1_000, 200_000, "Brief: a city of ~2.9 million in 90 communities"),
    _p("city.residents_spread", 0.35, "Spread of community sizes (the sigma of a lognormal).", "", 0.0, 2.0,
       "assumption, fitted to the brief's range: 20,000-40,000 planned, 73,552 in 遵义社区"),
    _p("city.residents_min", 20_000, "Fewest residents of a community.", "residents", 100, 200_000,
       "Brief: target community size 20,000-40,000"),
    _p("city.residents_max", 73_552, "Most residents of a community.", "residents", 100, 500_000,
       "Brief: 遵义社区, 52,324 residents and 21,228 floating population"),
    _p("city.mix_spread", 0.2, "Relative spread of the groups' shares between communities.", "", 0.0, 1.0,
       "assumption"),
    _p("city.posts", 2043, "Staff posts of all the new centres together.", "posts", 90, 100_000,
       "Brief: 2,043 posts for 90 communities in 2012"),
    _p("city.posts_by_size", 0.5, "Share of the centres' posts allocated in proportion to residents; the rest "
       "shared equally.", "share", source="assumption: the brief gives 20-40 a community"),
    _p("city.committee_posts", 4230, "Posts of all the residents' committees before the reform.", "posts", 90,
       100_000, "Brief: 470 residents' committees of 9 posts"),
    _p("city.office_posts", 1440, "Posts of all the street offices that served the committees before the reform.",
       "posts", 0, 100_000, "assumption: 49 street offices of ~30 posts, ~16 per community (street_office.staff: 15)"),
    _p("city.days", 1826, "Days a city run lasts unless told otherwise: 1 January 2009 to 31 December 2013.",
       "days", 1, 20_000, "Article §I: the reform of 2010-2012, with a year on either side"),
    _p("city.reform", True, "Whether the reform happens (false: the counterfactual city, same random numbers).",
       source="Article §I"),
    _p("city.rollout", 0, "Order of the reform: 0 = Guiyang's (pilot districts, then the central districts, then "
       "the rest); 1 = districts in a random order; 2 = largest communities first.", "", 0, 2,
       "Article §I: pilots in Xiaohe and Jinyang in 2010, widened in 2011, all in 2012", choices=(0, 1, 2)),
    _p("city.pilot_day", 547, "Day of the run the pilot communities switch (day 1 is 1 January 2009).", "day", 1,
       5000, "Article §I: 2010; assumption: 1 July 2010"),
    _p("city.widening_day", 912, "Day of the run the reform widens to the next districts.", "day", 1, 5000,
       "Article §I: 2011; assumption: 1 July 2011"),
    _p("city.final_day", 1156, "Day of the run every remaining community switches.", "day", 1, 5000,
       "Article §I: 2012; assumption: 1 March 2012"),
    # --- social network --------------------------------------------------------------------------------------------
    _p("network.mean_degree", 8, "Average number of neighbours a resident talks to.", "ties", 0, 100,
       "Watts & Strogatz 1998 small world"),
    _p("network.rewiring", 0.1, "Share of ties rewired from the neighbourhood ring to anywhere in the community.",
       "share", source="Watts & Strogatz 1998"),
    _p("network.active_ties", 0.1, "Share of ties on which residents talk on a given day.", "share"),
    _p("network.tolerance", 0.3, "Bounded-confidence threshold: neighbours whose trust differs by less talk it over.",
       "index", source="Deffuant et al. 2000"),
    _p("network.convergence", 0.2, "Convergence rate μ: how far two talking neighbours move toward each other.", "",
       0.0, 0.5, "Deffuant et al. 2000"),
]

SCHEMA: dict[str, Param] = {p.key: p for p in _PARAMS}
"""Every parameter, by dotted key, in documentation order."""

SHARE_GROUPS: dict[str, tuple[str, ...]] = {
    "centre.role_emphasis": tuple(f"centre.role_emphasis.{r}" for r in ROLES),
}
"""Parameter sets that must sum to exactly 1."""

REMAINDER_GROUPS: dict[str, tuple[str, ...]] = {
    "population.share": tuple(f"population.share.{g}" for g in GROUPS[:-1]),
    "centre.origin": tuple(f"centre.origin.{o}" for o in ORIGINS[:-1]),
}
"""Parameter sets whose sum must not exceed 1 (the rest is ordinary residents / part-time residents)."""


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


class Component(Protocol):
    """What owns a section of the parameters: a class that lists them."""

    PARAMS: ClassVar[tuple[str, ...]]


class Section(Mapping[str, Value]):
    """The parameters one component owns, read-only.

    A component is built with its own section of the scenario's values (the
    keys, or ``prefix.*`` families, listed in its ``PARAMS``); reading a
    parameter it does not own is a bug and raises at once, so what each
    component depends on is written down in one place and checked.
    """

    def __init__(self, owner: str, values: Mapping[str, Value], patterns: tuple[str, ...]):
        self.owner = owner
        self._values = {k: v for k, v in values.items() if owns(patterns, k)}

    def __getitem__(self, key: str) -> Value:
        try:
            return self._values[key]
        except KeyError:
            raise KeyError(f"{self.owner} reads {key!r}, which it does not own: add it to {self.owner}.PARAMS") \
                from None

    def __iter__(self) -> Iterator[str]:
        return iter(self._values)

    def __len__(self) -> int:
        return len(self._values)


def owns(patterns: tuple[str, ...], key: str) -> bool:
    """Whether ``key`` matches one of ``patterns`` (a key, or ``prefix.*`` for a family)."""
    return any(key == p or (p.endswith(".*") and key.startswith(p[:-1])) for p in patterns)


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
