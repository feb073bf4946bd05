"""The governance model: communities with their centre, party committee, council, units, residents and district.

:class:`GovernanceModel` runs any number of communities at once, every
component holding the state of all of them in arrays; :class:`CommunityModel`
is one community (the article's unit of analysis) and
:class:`govsim.city.CityModel` is Guiyang's ninety.  One step is one day, in
the order of :data:`SCHEDULE`, which ``step()`` runs and docs/ODD.md prints.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from functools import cached_property
from typing import Any

import mesa
import networkx as nx
import numpy as np
import pandas as pd

from govsim import outcomes as out
from govsim.agents import (
    District,
    PartyCommittee,
    ResidentsCouncil,
    ServiceCentre,
    StationedUnit,
    StreetOffice,
    role_hours,
)
from govsim.cases import Cases
from govsim.clock import is_workday
from govsim.communities import Layout
from govsim.concerns import Concerns
from govsim.council import Council
from govsim.network import SocialNetwork
from govsim.params import GROUPS, NEEDS, ROLES, Component, Section, Value
from govsim.policies import Policies
from govsim.residents import INFORMATION, Residents
from govsim.scenario import Scenario, load_scenario
from govsim.staff import CONTROL, LIAISON, OPINIONS, PUBLICITY, SERVICE, TASKS, Staff
from govsim.streams import SeedLike, Streams, seed_sequence
from govsim.tasks import Tasks
from govsim.units import Units
from govsim.windows import Tally, ratio

WARMUP = 180
"""Days simulated before day 1 and not recorded, so queues, knowledge, council and
units start near their running state rather than empty (issue 7 §11)."""

LOCAL = ("structure.levels", "structure.two_signs_one_team", "structure.big_party_committee",
         "council.autonomy", "centre.handoff_days", "district.task_pressure",
         *(f"centre.role_emphasis.{r}" for r in ROLES))
"""Parameters that may differ between communities of one model (a city part-way through its reform)."""

_MET, _UNMET = tuple(f"met_{k}" for k in NEEDS), tuple(f"unmet_{k}" for k in NEEDS)
_HOURS = tuple(f"hours_{r}" for r in ROLES)  # the tallies of staff hours by role
_EMPHASIS = tuple(f"centre.role_emphasis.{r}" for r in ROLES)
_SATISFACTION_BY_GROUP = tuple(f"satisfaction_{g}" for g in GROUPS)

_TALLIES = (
    *(f"{m}_{k}" for k in NEEDS for m in ("met", "unmet")),
    "quality_life_sum", "quality_life_n", "quality_welfare_sum", "quality_welfare_n",
    "welfare_days_sum", "welfare_decided",
    "arose", "voiced", "reached",
    "tasks_on_time", "tasks_missed",
    *(f"hours_{r}" for r in ROLES), "paid_hours",
)

# The windowed outcomes are ratios of rows of one table (rows x communities): first every tally's sum over the
# window, then the rows made from them (_MADE), each added in the order the outcome's definition adds it, so the
# day's ratios take a few array operations rather than a few per outcome.
_MADE = ("met", "unmet", "needs", *(f"needs_{k}" for k in NEEDS), "hours", "tasks", "open_per_1000", "met_scaled",
         "arose_before", "reached_before", "residents")
_ROW = {name: i for i, name in enumerate((*_TALLIES, *_MADE))}
_RATES = (  # (outcome, part, whole)
    ("needs_met", "met", "needs"),
    *((f"needs_met_{k}", f"met_{k}", f"needs_{k}") for k in NEEDS),
    ("welfare_days", "welfare_days_sum", "welfare_decided"),
    ("backlog", "open_per_1000", "residents"),
    ("efficiency", "met_scaled", "paid_hours"),
    ("upward_flow", "reached_before", "arose_before"),  # concerns that arose a window ago had a window to reach
    ("voice", "voiced", "arose"),
    *((f"staff_time_{r}", f"hours_{r}", "hours") for r in ROLES),
    ("tasks_on_time", "tasks_on_time", "tasks"),
    # The two services weigh alike, whatever their volumes: a welfare decision is as much "a service" as a home
    # visit, and far rarer (averaged in measure, so these two come last).
    ("quality_life", "quality_life_sum", "quality_life_n"),
    ("quality_welfare", "quality_welfare_sum", "quality_welfare_n"),
)
_RATE_NAMES = tuple(name for name, _, _ in _RATES[:-2])
_PARTS = np.array([_ROW[part] for _, part, _ in _RATES])
_WHOLES = np.array([_ROW[whole] for _, _, whole in _RATES])
# measure adds tallies a block at a time: the (met, unmet) rows of each need in turn, the hours of each role in
# turn, "arose" and "reached" (two rows apart); and makes rows in blocks: met and unmet, the needs of each kind,
# arose and reached a window back.
_PAIRS = slice(_ROW[_MET[0]], _ROW[_UNMET[-1]] + 1)
_ROLE_HOURS = slice(_ROW[_HOURS[0]], _ROW[_HOURS[-1]] + 1)
_FLOW = slice(_ROW["arose"], _ROW["reached"] + 1, _ROW["reached"] - _ROW["arose"])
_MET_UNMET = slice(_ROW["met"], _ROW["unmet"] + 1)
_BY_KIND = slice(_ROW[f"needs_{NEEDS[0]}"], _ROW[f"needs_{NEEDS[-1]}"] + 1)
_FLOW_BEFORE = slice(_ROW["arose_before"], _ROW["reached_before"] + 1)
assert _TALLIES[_PAIRS] == tuple(x for pair in zip(_MET, _UNMET, strict=True) for x in pair)
assert _TALLIES[_ROLE_HOURS] == _HOURS and _TALLIES[_FLOW] == ("arose", "reached")
assert _MADE[_MET_UNMET.start - len(_TALLIES):][:2] == ("met", "unmet")
assert _MADE[_FLOW_BEFORE.start - len(_TALLIES):][:2] == ("arose_before", "reached_before")


@dataclass(frozen=True, slots=True)
class Phase:
    """One part of the day: its name, the method that runs it, and what happens."""

    name: str
    method: str
    what: str


SCHEDULE: tuple[Phase, ...] = (
    Phase("reform", "reform",
          "A city only: communities whose date has come switch from four levels to three; their committees' posts "
          "give way to the centre's (the street-office team and committee staff), and the structure of 'one "
          "committee, one council, one centre' takes over."),
    Phase("district issues", "issue",
          "The district pushes its tasks down (working days) and issues policy; a street office relays both "
          "late and adds tasks of its own. Policies reaching the community are told to party members."),
    Phase("needs arise", "needs",
          "Residents' needs arise: an information need is met if the resident knows the newest policy; life and "
          "welfare needs open cases; a concern is voiced (as far as efficacy goes) or kept."),
    Phase("staff choose", "choose",
          "Working days: each staff member's motivation moves toward what the job offers; the centre's hours go "
          "to activities by what members find rewarded, checked work near its deadline and hours bound by "
          "resolutions first, no activity beyond its work."),
    Phase("centre works", "work",
          "Working days: publicity reaches residents, concerns are gathered and reported up, units are visited "
          "and decide, tasks are worked earliest deadline first, welfare files are taken in and life cases "
          "served by staff, social workers, volunteers and units."),
    Phase("street office", "office_works",
          "Working days, 4 levels: the street office reviews welfare files and passes part of the concerns up, "
          "in weekly batches."),
    Phase("district decides", "district_works",
          "Working days: reports reach the district; it decides welfare files, then answers concerns, as far as "
          "its hours go; each assessment period it assesses the centre. Every day: tasks past their deadline "
          "are missed."),
    Phase("council meets", "council_meets",
          "Meeting days: empty seats are filled from residents who take part; the centre and party take part of "
          "the agenda; with a quorum, residents' topics become resolutions that bind service hours."),
    Phase("residents", "residents_day",
          "Residents waiting for a life service give up at the rate of their patience; concerns unanswered after 30 "
          "days lapse; the day's contacts take effect on perceived performance, expectations and trust; residents "
          "talk on a sample of their ties, so policy and trust spread; expectations drift; once a week residents "
          "decide to volunteer and to take part; units remember joint activity; policy reach is measured."),
    Phase("record", "record", "Outcomes are measured (per community and for the model) and collected."),
)
"""The order of one day (docs/ODD.md prints it from here)."""


class GovernanceModel(mesa.Model):
    """Communities, their institutions and residents, stepped together.

    Args:
        config: a checked scenario.
        layout: the communities to simulate.
        rng: seed (int), ``numpy.random.SeedSequence`` or ``Generator``.
        warmup: days run before day 1 and not recorded.
        initial: values that set the communities' starting state where it differs from ``config`` (a city
            before its reform: levels, role emphasis, staff); default ``config``'s.
        monday: a day that falls on a Monday (day 0 by default).
    """

    def __init__(self, config: Scenario, layout: Layout, *, rng: SeedLike = None, warmup: int = WARMUP,
                 initial: Mapping[str, Value] | None = None, monday: int = 0):
        self.config = config
        self.v: dict[str, Value] = dict(config.values)
        start = dict(initial) if initial is not None else self.v  # the state communities start in
        self.layout = layout
        self.seed_sequence = seed_sequence(rng)
        self.streams = Streams(self.seed_sequence)
        super().__init__(rng=self.streams["mesa"])
        v, n = self.v, layout.n
        self.local: dict[str, np.ndarray] = {k: np.full(n, start[k]) for k in LOCAL}
        self.local["structure.levels"] = layout.levels  # one array: a reform changes both
        self.day = 0
        self.monday = monday  # a day that is a Monday (the calendar's anchor)
        self.tally = Tally(_TALLIES, n)
        self._table = np.zeros((len(_ROW), n))  # the tallies' window sums and the rows made from them (measure)
        self._table[_ROW["residents"]] = layout.residents
        self.activity_hours = np.zeros((n, 6))

        self.network = SocialNetwork.communities(layout.agents, int(v["network.mean_degree"]),
                                                 float(v["network.rewiring"]), self.streams["network"])
        # Each component is given the parameters it owns (its PARAMS), from the one schema.
        self.residents = Residents(own(Residents, v), layout, self.network, self.streams)
        self.staff = Staff(own(Staff, v), layout, self.streams, hired=own(Staff, start))
        self.stationed = Units(own(Units, v), layout, self.streams)
        self.tasks = Tasks(n, self.tally)
        self.cases = Cases(own(Cases, v), self.residents, self.tally, layout.scale)
        self.concerns = Concerns(own(Concerns, v), self.residents, self.tally, layout.scale)
        self.cases.monday = self.concerns.monday = monday
        self.policies = Policies(own(Policies, v), self.residents, layout.residents)
        self.deliberation = Council(own(Council, v), self.residents, self.concerns, layout.scale)
        self.missed = np.zeros(n)  # share of the district's deadlines missed, as of the last check
        self.represented = layout.residents / layout.agents  # real residents a simulated one stands for
        # Social workers' hours a working day, per community: parameters alone set them.
        self.social_hours = np.full(n, v["centre.social_workers"] * v["centre.hours_per_day"])
        self.outcomes: dict[str, float] = {}
        self.community_outcomes: dict[str, np.ndarray] = {}

        # The institutions as Mesa agents (views of the components, see agents.py).
        self.districts = [District(self, d) for d in range(int(layout.district.max()) + 1)]
        self.centres = [ServiceCentre(self, c) for c in range(n)]
        self.parties = [PartyCommittee(self, c) for c in range(n)]
        self.councils = [ResidentsCouncil(self, c) for c in range(n)]
        self.offices = [StreetOffice(self, c) for c in range(n)]
        for u in range(self.stationed.community.size):
            StationedUnit(self, u)
        self.datacollector = OutcomeCollector(
            model_reporters={name: (lambda m, k=name: m.outcomes[k]) for name in out.OUTCOME_NAMES})
        self._phases: list[Callable[[], None]] = [getattr(self, p.method) for p in SCHEDULE]
        for _ in range(warmup):
            self.advance()

    # --- per-community views of the scenario ---------------------------------------------------

    @property
    def levels(self) -> np.ndarray:
        return self.layout.levels

    @property
    def emphasis(self) -> np.ndarray:
        """Role emphasis per community (communities x roles)."""
        # One array, turned (as np.stack(..., axis=1) gives, with a quarter of its calls: read every working day).
        return np.array([self.local[k] for k in _EMPHASIS]).T

    def two_signs(self) -> np.ndarray:
        # "One committee, one council, one centre" came with the reform: no two signs beside a street office.
        return (self.local["structure.two_signs_one_team"] & (self.levels == 3)).astype(float)

    def authority(self) -> np.ndarray:
        """Whether the front line works under borrowed authority that rewards control: the party's under
        "two signs, one team" (Article §II.3), or before the reform the street office's over the residents'
        committees, its "yamen-style" administrative arm (§I)."""
        return np.maximum(self.two_signs(), (self.levels == 4).astype(float))

    def big_party_committee(self) -> np.ndarray:
        return self.local["structure.big_party_committee"].astype(bool) & (self.levels == 3)

    def role_split(self) -> np.ndarray:
        """Realised share of staff hours per role over the last 30 days (communities x roles)."""
        hours = np.stack([self.tally.window(f"hours_{r}", self.day, out.WINDOW) for r in ROLES], axis=1)
        total = hours.sum(axis=1, keepdims=True)
        return np.divide(hours, total, out=self.emphasis.astype(float), where=total > 0)

    # --- one day -------------------------------------------------------------------------------

    def step(self) -> None:
        """One recorded day, in the order of :data:`SCHEDULE`."""
        self.advance()
        self.datacollector.collect(self)

    def advance(self) -> None:
        """Run one day's phases (without collecting)."""
        self.day += 1
        self.tally.clear_day(self.day)
        self.workday = is_workday(self.day, self.monday)
        for phase in self._phases:
            phase()

    def run(self, steps: int) -> GovernanceModel:
        """Run ``steps`` recorded days; returns the model so calls can chain."""
        for _ in range(int(steps)):
            self.step()
        return self

    def reform(self) -> None:
        """No staged reform in a single community (see :class:`govsim.city.CityModel`)."""

    def issue(self) -> None:
        v, day, levels = self.v, self.day, self.levels
        office = levels == 4
        if self.workday:
            load = self.local["district.task_pressure"] * (1.0 + v["street_office.own_tasks"] * office)
            relay = 1 + np.where(office, v["street_office.relay_days"], 0)  # the next day, later through an office
            campaign = (1.0 / float(v["district.campaign_interval"]), float(v["district.campaign_size"]))
            self.tasks.push(day, load * v["district.task_hours"], self.layout.residents, v["district.task_deadline"],
                            relay, campaign, self.streams["tasks"])
        self.policies.issue(day, levels)
        self.policies.arrive(day, levels, self.streams["party"])

    def needs(self) -> None:
        info, life, welfare, voice = self.residents.needs()
        met = self.policies.informed(info)
        self.residents.experience(INFORMATION, info, met.astype(np.float32))
        c = self.residents.community[info]
        self.tally.add("met_information", self.day, c[met])
        self.tally.add("unmet_information", self.day, c[~met])
        self.cases.arrive(self.day, life, welfare, self.levels, self.streams["referral"])
        self.concerns.arise(self.day, voice, self.deliberation.pickup(), self.streams["voice"])

    def helper_hours(self) -> np.ndarray:
        """Volunteers' and units' service hours today, per community."""
        v, r = self.v, self.residents
        organised = 1.0 if v["centre.volunteer_team"] else v["services.unorganised_volunteering"]
        volunteers = r.volunteer_share * self.layout.residents * v["services.volunteer_hours"] * organised
        return volunteers + self.stationed.hours(self.day)

    def choose(self) -> None:
        if not self.workday:
            self.activity_hours[:] = 0.0
            return
        v, day, s = self.v, self.day, self.staff
        n = self.layout.n
        mean_skill, pace = s.mean_skill, s.pace
        task_urgent, task_all = self.tasks.demand(day, int(v["centre.urgency_days"]), mean_skill)
        backlog, intake = self.cases.waiting_hours(day)
        s.update_motivation((backlog / pace + task_all) / s.day_hours)
        pub_urgent, pub_all = self.policies.demand(day, int(v["centre.urgency_days"]), mean_skill)
        demand = np.zeros((n, 6))
        urgent = np.zeros((n, 6))
        # Service is open-ended too: hours beyond the cases go to outreach (home visits), see Cases.outreach.
        demand[:, SERVICE] = np.inf
        demand[:, PUBLICITY] = pub_all
        demand[:, OPINIONS] = self.concerns.waiting() * v["services.hours_opinion"] * self.layout.scale / pace
        demand[:, LIAISON] = self.stationed.demand(day)
        demand[:, TASKS] = task_all
        demand[:, CONTROL] = np.inf
        urgent[:, PUBLICITY] = pub_urgent
        urgent[:, TASKS] = task_urgent
        # Welfare intake is statutory and hours bound by council resolutions are owed: both come first.
        urgent[:, SERVICE] = intake / pace + self.deliberation.bound_hours(day)
        self.activity_hours, self.activity_skill = s.allocate(self.emphasis, self.missed, self.authority(),
                                                              urgent, demand)
        self.tally.add_rows(_HOURS, day, role_hours(self.activity_hours).T)
        # The street office's hours for the community: not those it spends on the economy and tax.
        office_hours = (self.layout.street_office_staff * v["centre.hours_per_day"] * (self.levels == 4)
                        * (1 - v["street_office.economy_share"]))
        self.tally.add_per_community("paid_hours", day, s.day_hours + self.social_hours + office_hours)

    def work(self) -> None:
        if not self.workday:
            return
        v, day, h, k = self.v, self.day, self.activity_hours, self.activity_skill
        levels = self.levels
        handoff = self.local["centre.handoff_days"].astype(np.int64)
        self.policies.publicise(day, h[:, PUBLICITY], k[:, PUBLICITY], levels, self.streams["publicity"])
        self.concerns.gather(day, h[:, OPINIONS], k[:, OPINIONS], levels, handoff, self.streams["gather"])
        self.stationed.decide(day, h[:, LIAISON], k[:, LIAISON], self.big_party_committee(), self.streams["units"])
        self.tasks.work(day, h[:, TASKS], k[:, TASKS])
        helpers, social = self.helper_hours(), self.social_hours
        sw_skill = v["services.social_worker_skill"]
        prof = h[:, SERVICE] + social
        prof_skill = np.divide(h[:, SERVICE] * k[:, SERVICE] + social * sw_skill, prof, out=k[:, SERVICE].copy(),
                               where=prof > 0)
        self.cases.serve_community(day, prof, prof_skill, helpers, v["services.volunteer_skill"], handoff, levels,
                                   self.streams["service"])

    def office_works(self) -> None:
        if not self.workday or not (self.levels == 4).any():
            return
        v = self.v
        hours = (self.layout.street_office_staff * v["centre.hours_per_day"] * (1 - v["street_office.economy_share"])
                 * (self.levels == 4))
        handoff = int(v["street_office.handoff_days"])
        self.cases.review_at_street_office(self.day, hours, handoff, float(v["street_office.quality"]),
                                           self.streams["office"])
        self.concerns.relay_at_street_office(self.day, handoff, self.streams["office"])

    def district_works(self) -> None:
        day = self.day
        if self.workday:
            self.concerns.reach_district(day)
            hours = self.layout.district_hours.astype(float)
            used = self.cases.decide_at_district(day, hours, self.layout.district, self.streams["district"])
            self.concerns.answer_at_district(day, hours - used, self.layout.district, self.streams["district"])
        self.tasks.check(day)
        if day % int(self.v["district.assessment_days"]) == 0:
            self.assess()

    def assess(self) -> None:
        """The district's assessment: its checks count missed deadlines; with performance evaluation it
        also recognises the service residents got (needs met for life and welfare, concerns that reached it)."""
        days = int(self.v["district.assessment_days"])
        t = self.tally
        w = min(days, 90)
        on, missed = t.window("tasks_on_time", self.day, w), t.window("tasks_missed", self.day, w)
        self.missed = ratio(missed, on + missed, 0.0)
        if self.v["centre.performance_evaluation"]:
            w = min(days, 90)
            met = t.window("met_life", self.day, w) + t.window("met_welfare", self.day, w)
            unmet = t.window("unmet_life", self.day, w) + t.window("unmet_welfare", self.day, w)
            reached = t.window("reached", self.day - out.WINDOW, w)
            arose = t.window("arose", self.day - out.WINDOW, w)
            self.staff.recognition = (ratio(met, met + unmet, 0.0) + ratio(reached, arose, 0.0)) / 2

    def council_meets(self) -> None:
        if self.day % int(self.v["council.meeting_days"]):
            return
        self.deliberation.set_control(self.role_split()[:, ROLES.index("management")], self.two_signs())
        self.deliberation.meet(self.day, self.local["council.autonomy"], self.levels, self.streams["council"])

    def residents_day(self) -> None:
        r, day = self.residents, self.day
        self.cases.give_up(day, self.streams["patience"])
        self.concerns.expire(day)
        r.settle()
        a, b = r.active_ties()
        self.policies.word_of_mouth(a, b, self.levels, self.streams["talk"])
        r.talk(a, b)
        self.cases.mark_late(day)
        r.drift_expectations()
        if day % 7 == 0:  # residents reconsider volunteering and taking part once a week
            r.decide_to_join(self.deliberation.residents_share(self.local["council.autonomy"]))
        self.stationed.remember(day)
        self.policies.measure(day)

    # --- outcomes --------------------------------------------------------------------------------

    def record(self) -> None:
        per, pooled = self.measure()
        self.community_outcomes = per
        self.outcomes = {k: x.item() for k, x in pooled.items()}  # each a one-element float64 array

    def measure(self) -> tuple[dict[str, np.ndarray], dict[str, np.ndarray]]:
        """Every outcome per community, and over all communities together (counts pooled, states weighted
        by real residents)."""
        day, w, r, lay = self.day, out.WINDOW, self.residents, self.layout
        table, row = self._table, _ROW
        self.tally.sums(day, w, out=table[:len(_TALLIES)])
        # Met and unmet needs in all: the kinds' (met, unmet) rows added in turn; and each kind's needs.
        pairs = table[_PAIRS].reshape(len(NEEDS), 2, lay.n)
        met_unmet = table[_MET_UNMET]
        np.add(pairs[0], pairs[1], out=met_unmet)
        for pair in pairs[2:]:
            met_unmet += pair
        met = table[row["met"]]
        np.add(met, table[row["unmet"]], out=table[row["needs"]])
        np.add(pairs[:, 0], pairs[:, 1], out=table[_BY_KIND])
        roles = table[_ROLE_HOURS]
        hours = table[row["hours"]]
        np.add(roles[0], roles[1], out=hours)
        for role in roles[2:]:
            hours += role
        np.add(table[row["tasks_on_time"]], table[row["tasks_missed"]], out=table[row["tasks"]])
        np.multiply(self.cases.open_count() * lay.scale, 1000.0, out=table[row["open_per_1000"]])
        np.multiply(met, lay.scale, out=table[row["met_scaled"]])
        self.tally.sums(day - w, w, _FLOW, out=table[_FLOW_BEFORE])
        # Ratios of counts, all divided at once; the two qualities (last) averaged into one.
        parts, wholes = table[_PARTS], table[_WHOLES]
        rates = ratio(parts, wholes)
        per = dict(zip(_RATE_NAMES, rates[:-2], strict=True))
        per["service_quality"] = mean_of_available(rates[-2:])
        # Pooled over one community, every count is the community's own and so is every rate.
        if lay.n == 1:
            pooled = dict(per)
        else:
            rates = ratio(parts.sum(axis=1, keepdims=True), wholes.sum(axis=1, keepdims=True))
            pooled = dict(zip(_RATE_NAMES, rates[:-2], strict=True))
            pooled["service_quality"] = mean_of_available(rates[-2:])

        # States of residents, staff, council and units: weighted by real residents when pooled.
        units = self.stationed
        s = self.staff
        states = {
            "downward_reach": self.policies.downward_reach(),
            "council_effectiveness": self.deliberation.current_effectiveness(),
            "participation": r.participant_share,
            "volunteering": r.volunteer_share,
            "trust": r.sum_by_community(r.trust) / r.community_size,
            "staff_motivation": s.mean_by_community(s.motivation),
        }
        per.update(states)
        if lay.n == 1:
            pooled.update(states)
        else:
            weights = lay.residents / lay.residents.sum()
            pooled.update({name: np.array([np.nansum(values * weights)]) for name, values in states.items()})
        engaged = units.hours(day)
        per["unit_resources_mobilised"] = ratio(engaged, units.total, 0.0)
        pooled["unit_resources_mobilised"] = per["unit_resources_mobilised"] if lay.n == 1 else ratio(
            engaged.sum(keepdims=True), units.total.sum(keepdims=True), 0.0)

        # Satisfaction: over residents with any experience, by group and overall.
        sat_blocks, sizes = r.satisfaction_by_block()  # communities x groups
        filled = np.where(sizes > 0, sat_blocks, 0.0)  # NaN (nobody to ask) counts as 0 with weight 0
        counted = sizes.sum(axis=1)
        per["satisfaction"] = ratio((filled * sizes).sum(axis=1), counted)
        real = sizes * self.represented[:, None]
        weighted = filled * real
        pooled["satisfaction"] = ratio(np.array([weighted.sum()]), np.array([real.sum()]))
        by_group = ratio(weighted.sum(axis=0), real.sum(axis=0))
        per.update(zip(_SATISFACTION_BY_GROUP, sat_blocks.T, strict=True))  # each group's column
        pooled.update(zip(_SATISFACTION_BY_GROUP, by_group[:, None], strict=True))  # each group's entry, as an array
        return per, pooled

    # --- reading results ---------------------------------------------------------------------------

    def timeseries(self) -> pd.DataFrame:
        """The outcomes, one row per recorded day (from 1), with a ``step`` column first."""
        df = self.datacollector.get_model_vars_dataframe().reset_index(drop=True)
        df.insert(0, "step", np.arange(1, len(df) + 1))
        return df.astype(dict.fromkeys(out.OUTCOME_NAMES, float))

    @cached_property
    def graph(self) -> nx.Graph:
        """The residents' social network as a ``networkx.Graph`` (built on first use)."""
        return self.network.to_networkx()


class OutcomeCollector(mesa.DataCollector):
    """Mesa's DataCollector of the day's outcomes, filled straight from ``model.outcomes``.

    Mesa's own ``collect`` calls each reporter and deep-copies what it returns, some 30 calls a day that
    cost more than the values (plain floats, which need no copy). This one appends the same values to
    the same ``model_vars``, so ``get_model_vars_dataframe`` and ``mesa.batch_run`` read it as Mesa's.
    """

    def collect(self, model: Any) -> None:
        if hasattr(self, "_collection_steps"):
            self._collection_steps.append(model.time)
        outcomes = model.outcomes
        for name, values in self.model_vars.items():
            values.append(outcomes[name])


def own(component: type[Component], values: Mapping[str, Value]) -> Section:
    """The section of ``values`` a component owns (its ``PARAMS``)."""
    return Section(component.__name__, values, component.PARAMS)


def mean_of_available(stack: np.ndarray) -> np.ndarray:
    """Mean over the rows of ``stack`` of the entries that are not NaN, per column (NaN where none is)."""
    have = ~np.isnan(stack)
    return ratio(np.where(have, stack, 0.0).sum(axis=0), have.sum(axis=0))


class CommunityModel(GovernanceModel):
    """One community with its service centre, party committee, residents' council, residents and stationed
    units, under its district (and, with 4 levels, a street office).

    Args:
        scenario: a :class:`~govsim.scenario.Scenario`, the path or name of a scenario file, or None for the
            schema defaults.
        rng: seed (int), ``numpy.random.SeedSequence`` or ``Generator``.  The same scenario and seed give the
            same numbers in any process.
        warmup: days simulated before day 1 and not recorded (default :data:`WARMUP`).
        **overrides: parameters by dotted key, e.g. ``CommunityModel(**{"centre.staff": 30})``; this is also
            how ``mesa.batch_run`` passes its parameters.

    Example:
        >>> model = CommunityModel("guiyang_2012", rng=1, **{"population.scale": 10})
        >>> model.run(365).timeseries()  # doctest: +SKIP
    """

    def __init__(self, scenario: Scenario | str | os.PathLike | None = None, *, rng: SeedLike = None,
                 warmup: int = WARMUP, **overrides: Any):
        if scenario is None:
            scenario = Scenario.default()
        elif not isinstance(scenario, Scenario):
            scenario = load_scenario(scenario)
        config = scenario.with_overrides(overrides)
        super().__init__(config, Layout.single(config.values, config.name), rng=rng, warmup=warmup)

    @property
    def centre(self) -> ServiceCentre:
        return self.centres[0]

    @property
    def party(self) -> PartyCommittee:
        return self.parties[0]

    @property
    def council(self) -> ResidentsCouncil:
        return self.councils[0]

    @property
    def street_office(self) -> StreetOffice | None:
        return self.offices[0] if self.levels[0] == 4 else None

    @property
    def units(self) -> mesa.agent.AgentSet:
        """The stationed units as Mesa agents."""
        return self.agents_by_type.get(StationedUnit, mesa.agent.AgentSet([], random=self.random))
