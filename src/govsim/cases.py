"""Service as a process: residents' life and welfare needs become cases that wait in queues.

Article §II.1 asks the centre to provide community life services and
charity/welfare help; §I says the reform raised efficiency by removing a
level.  Here a need becomes a case at the level that handles it:

* a **life** case is served at the community, oldest first, by staff service
  hours, social workers, volunteers and mobilised units (co-production, Parks
  et al. 1981); a resident who waits longer than their patience gives up;
* a **welfare** (低保) application is taken in and checked at the community
  (statutory, so before life cases), handed up in the next batch of files,
  reviewed by the street office where there is one (4 levels), handed up again,
  and decided by the district.  Each level is a queue with its own hours and
  each hand-off waits for the next transfer day, so an extra level adds delay
  (the brief's Tongling fact: two weeks before, two days after).

Under overload staff routinise: past a backlog of ``services.rationing_days``
days of work they give each case less care, down to ``services.rationing_floor``
of it (Lipsky 1980).  A delivered service's score in the resident's eyes is
half the service itself and half the provider's skill and care, cut by waiting.
"""

from __future__ import annotations

from collections.abc import Mapping
from functools import cached_property
from typing import ClassVar, cast

import numpy as np

from govsim.clock import next_transfer
from govsim.outcomes import WINDOW
from govsim.params import GROUPS, VULNERABLE, Value
from govsim.records import Records, serve_in_order
from govsim.residents import LIFE as LIFE_CHANNEL
from govsim.residents import WELFARE as WELFARE_CHANNEL
from govsim.residents import Residents
from govsim.staff import speed
from govsim.windows import Tally

LIFE, WELFARE = 0, 1
KINDS = np.array([LIFE, WELFARE], dtype=np.int8)
COMMUNITY, STREET_OFFICE, DISTRICT = 0, 1, 2


def worth(skill: np.ndarray | float, care: np.ndarray | float) -> np.ndarray:
    """What a delivered service is worth to the resident before any wait: half comes with the service itself,
    half with the provider's skill (and effort, at most full) and the care given (less under overload)."""
    return np.asarray(0.5 + 0.5 * np.minimum(np.asarray(skill), 1.0) * np.asarray(care))


def timeliness(days: np.ndarray, tolerance: float) -> np.ndarray:
    """Share of a service's worth left after waiting ``days`` (half at ``tolerance`` days)."""
    return 1.0 / (1.0 + days / tolerance)


class Cases:
    """Every open life and welfare case, at every level, as records."""

    PARAMS: ClassVar[tuple[str, ...]] = (
        "services.hours_life", "services.hours_welfare", "services.patience", "services.rationing_days",
        "services.rationing_floor", "services.wait_tolerance", "district.approval_hours",
        "district.signoff_share", "street_office.referral_share", "street_office.review_hours",
    )


    def __init__(self, v: Mapping[str, Value], residents: Residents, tally: Tally, scale: int):
        self.v = v
        self.residents = residents
        self.tally = tally
        self.scale = scale
        self.monday = 0  # the calendar's anchor (set by the model)
        self.n = len(residents.community_size)
        # Cases are appended only by arrive, the day they open, and records keep their order: the cases are in
        # order of opening, so index order is oldest first and a queue needs sorting by community (and kind) only.
        self.open = Records({"resident": np.int64, "community": np.int64, "kind": np.int8, "opened": np.int64,
                             "level": np.int8, "ready": np.int64, "quality": np.float32, "late": bool,
                             "reviewed": bool, "referred": bool})
        # The work waiting at the community, as worked out by _waiting_work: the model asks for it in the
        # morning (waiting_hours) and serves the same cases later that day; every change that adds, moves or
        # closes cases forgets it.
        self._waiting: tuple[int, np.ndarray, np.ndarray, np.ndarray] | None = None

    # --- arrivals and waiting ------------------------------------------------------------------

    def arrive(self, day: int, life: np.ndarray, welfare: np.ndarray, levels: np.ndarray,
               rng: np.random.Generator) -> None:
        """Today's life needs and welfare applications open cases at the community.

        With a street office above the community (4 levels), part of the life
        services are the street office's to give: the residents' committee only
        takes the request in and refers it up (``street_office.referral_share``).
        """
        self._waiting = None
        who = np.concatenate([life, welfare])
        kind = np.repeat(KINDS, (life.size, welfare.size))
        c = self.residents.community[who]
        referred = (levels[c] == 4) & (rng.random(who.size) < self.v["street_office.referral_share"])
        referred[life.size:] = False  # welfare applications are the community's to take in, never referred
        self.open.append(resident=who, community=c, kind=kind, opened=day, level=COMMUNITY, ready=day,
                         quality=0.0, late=False, reviewed=False, referred=referred)

    def intake(self) -> np.ndarray:
        """Cases the community only takes in and hands up: welfare applications and referred life requests."""
        return (self.open["kind"] == WELFARE) | self.open["referred"]

    def hours(self, mask: np.ndarray, intake: np.ndarray) -> np.ndarray:
        """Standard hours (at full skill, per real case) of the community's work on the cases in ``mask``;
        ``intake`` is :meth:`intake` (callers have it already)."""
        v = self.v
        per_case = np.where(intake[mask], v["services.hours_welfare"], v["services.hours_life"]) * self.scale
        return np.bincount(self.open["community"][mask], per_case, self.n)

    def at_community(self, day: int) -> np.ndarray:
        return (self.open["level"] == COMMUNITY) & (self.open["ready"] <= day)

    def _waiting_work(self, day: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """The cases waiting at the community today (a mask), the intake (a mask over all cases) and the standard
        hours of the waiting work per community; worked out once a day unless the cases change in between."""
        if self._waiting is None or self._waiting[0] != day:
            waiting, intake = self.at_community(day), self.intake()
            self._waiting = (day, waiting, intake, self.hours(waiting, intake))
        return self._waiting[1:]

    def waiting_hours(self, day: int) -> tuple[np.ndarray, np.ndarray]:
        """Standard hours of work waiting at the community, per community: all of it, and the welfare intake
        among it (statutory work)."""
        waiting, _, backlog = self._waiting_work(day)
        c = self.open["community"][waiting & (self.open["kind"] == WELFARE)]
        # Every welfare application is intake work: the hours of each are the same (as hours() gives them).
        return backlog, np.bincount(c, np.full(c.size, self.v["services.hours_welfare"] * self.scale), self.n)

    def give_up(self, day: int, rng: np.random.Generator) -> None:
        """Each day a waiting resident gives up on a life service with chance 1 / patience: the need goes unmet."""
        o = self.open
        gone = (o["kind"] == LIFE) & (rng.random(len(o)) * self.v["services.patience"] < 1.0)
        if gone.any():
            self._waiting = None
            who = o["resident"][gone]
            self.residents.experience(LIFE_CHANNEL, who, np.zeros(who.size))
            self.tally.add("unmet_life", day, o["community"][gone])
            o.keep(~gone)

    def mark_late(self, day: int) -> None:
        """Welfare applications undecided after the window count as unmet (a decision may still come)."""
        o = self.open
        old = int(np.searchsorted(o["opened"], day - WINDOW, side="right"))  # the first ones (in order of opening)
        if old == 0:  # most days: no case is that old
            return
        late = (o["kind"][:old] == WELFARE) & ~o["late"][:old]
        if late.any():
            self.tally.add("unmet_welfare", day, o["community"][:old][late])
            o["late"][:old][late] = True

    def care(self, capacity: np.ndarray, backlog: np.ndarray) -> np.ndarray:
        """Share of due care staff give each case: they routinise as work piles up beyond
        ``services.rationing_days`` days of their capacity (Lipsky 1980), down to the floor."""
        v = self.v
        ratio = np.divide(v["services.rationing_days"] * capacity, backlog, out=np.ones_like(capacity, dtype=float),
                          where=backlog > 0)
        return ratio.clip(v["services.rationing_floor"], 1.0)  # as np.clip, less Python on the way

    # --- the community's service -----------------------------------------------------------

    def serve_community(self, day: int, staff_hours: np.ndarray, staff_skill: np.ndarray,
                        helper_hours: np.ndarray, helper_skill: float, handoff: np.ndarray,
                        levels: np.ndarray, rng: np.random.Generator) -> None:
        """One working day at the community: welfare intake first, then life cases, oldest first.

        Args:
            staff_hours, staff_skill: professional hours (staff and social workers) per community and their skill.
            helper_hours, helper_skill: volunteers' and units' hours per community (life services only).
            handoff: per community, days between transfers of files up.
            levels: per community, 4 with a street office above it, else 3.
        """
        v, o = self.v, self.open
        waiting, intake, backlog = self._waiting_work(day)
        self._waiting = None  # the cases change below
        here = np.flatnonzero(waiting)
        if here.size == 0:
            return
        pace, helper_pace = speed(staff_skill), speed(helper_skill)
        capacity = staff_hours * pace + helper_hours * helper_pace
        rho = self.care(capacity, backlog)

        # Intake by professionals: welfare applications first (statutory), then referrals, oldest first (index
        # order), each community's in turn; one community with no referrals waiting is in that order already.
        intake = intake[here]
        welfare = here[intake]
        if self.n > 1 or o["referred"][welfare].any():
            welfare = welfare[np.lexsort((-o["kind"][welfare], o["community"][welfare]))]
        c = o["community"][welfare]
        cost = cast(np.ndarray, v["services.hours_welfare"] * self.scale / pace)[c]  # per community, then per case
        done = serve_in_order(c, cost, staff_hours, rng.random(welfare.size))
        taken, ct = welfare[done], c[done]
        used = np.bincount(ct, cost[done], self.n)
        o["quality"][taken] = worth(staff_skill, rho)[ct]
        o["level"][taken] = np.where((levels[ct] == 4) | o["referred"][taken], STREET_OFFICE, DISTRICT)
        o["ready"][taken] = next_transfer(day, handoff[ct], self.monday)

        # Life cases by whoever has hours left: professionals and helpers, one pool of effective hours.
        prof_left = np.maximum(staff_hours - used, 0.0) * pace
        helpers = helper_hours * helper_pace
        pool = prof_left + helpers
        mix = np.divide(prof_left * staff_skill + helpers * helper_skill, pool, out=staff_skill.copy(),
                        where=pool > 0)
        life = here[~intake]
        if self.n > 1:  # each community's in turn, oldest first (index order)
            life = life[np.argsort(o["community"][life], kind="stable")]
        c = o["community"][life]
        cost = np.full(life.size, v["services.hours_life"] * self.scale)
        done = serve_in_order(c, cost, pool, rng.random(life.size))
        served, cs = life[done], c[done]
        waited = day - o["opened"][served]
        score = worth(mix, rho)[cs] * timeliness(waited, v["services.wait_tolerance"])
        spent = np.bincount(cs, cost[done], self.n)
        self._delivered(day, served, cs, score)
        # Professionals' hours the cases did not need go to outreach (helpers' hours are spent on cases first).
        self.outreach(np.maximum(prof_left - np.maximum(spent - helpers, 0.0), 0.0), staff_skill, rng)

    def outreach(self, effective_hours: np.ndarray, skill: np.ndarray, rng: np.random.Generator) -> None:
        """Home visits to vulnerable residents (elderly, disabled, low-income) with hours the cases leave.

        Article §II.1 faults the centre's passive, outdated service methods; a
        visit is a life-service contact the resident did not have to ask for,
        scored by the visitor's skill.
        """
        visits = np.floor(effective_hours / (self.v["services.hours_life"] * self.scale)
                          + rng.random(self.n)).astype(np.int64)
        if not visits.any():
            return
        who, first, total, communities = self._vulnerable
        c = np.repeat(communities, visits[communities])  # none where nobody is vulnerable
        if c.size == 0:
            return
        pick = (rng.random(c.size) * total[c]).astype(np.int64)  # a position among the community's vulnerable
        self.residents.experience(LIFE_CHANNEL, who[first[c] + pick], worth(skill, 1.0)[c])

    @cached_property
    def _vulnerable(self) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
        """The vulnerable residents, community by community (each community's in the order of VULNERABLE's
        groups), where each community's start among them, how many it has, and the communities that have any;
        fixed with the residents, so worked out once."""
        r, groups = self.residents, len(GROUPS)
        vulnerable = np.array([GROUPS.index(g) for g in VULNERABLE])
        size = r.block_size.reshape(-1, groups)[:, vulnerable].ravel()
        start = r.block_start.reshape(-1, groups)[:, vulnerable].ravel()
        who = np.concatenate([np.arange(s, s + k) for s, k in zip(start, size, strict=True)], dtype=np.int64)
        total = size.reshape(self.n, -1).sum(axis=1)
        return who, np.cumsum(total) - total, total, np.flatnonzero(total > 0)

    # --- the levels above ------------------------------------------------------------------------

    def review_at_street_office(self, day: int, hours: np.ndarray, handoff: int, skill: float,
                                rng: np.random.Generator) -> None:
        """The street office reviews welfare files (oldest first) and sends them up in batches; with the hours
        left it gives the life services referred to it."""
        v, o = self.v, self.open
        here = np.flatnonzero((o["level"] == STREET_OFFICE) & (o["ready"] <= day))
        if here.size == 0:
            return
        self._waiting = None
        here = here[np.lexsort((-o["kind"][here], o["community"][here]))]  # then oldest first: index order
        c = o["community"][here]
        welfare = o["kind"][here] == WELFARE
        cost = np.where(welfare, v["street_office.review_hours"], v["services.hours_life"] / speed(skill)) * self.scale
        standard = np.where(welfare, v["street_office.review_hours"], v["services.hours_life"]) * self.scale
        rho = self.care(hours * speed(skill), np.bincount(c, standard, self.n))
        done = serve_in_order(c, cost, hours, rng.random(here.size))
        files = here[done & welfare]
        o["level"][files] = DISTRICT
        o["reviewed"][files] = True
        o["ready"][files] = next_transfer(day, handoff, self.monday)
        served = here[done & ~welfare]
        cs = o["community"][served]
        score = worth(skill, rho[cs]) * timeliness(day - o["opened"][served], v["services.wait_tolerance"])
        self._delivered(day, served, cs, score)

    def _district_cost(self, reviewed: np.ndarray) -> np.ndarray:
        # A street office's review leaves the district a sign-off only (pre-reform); else the full review.
        v = self.v
        share = np.where(reviewed, v["district.signoff_share"], 1.0)
        return v["district.approval_hours"] * self.scale * share

    def decide_at_district(self, day: int, hours: np.ndarray, district_of: np.ndarray,
                           rng: np.random.Generator) -> np.ndarray:
        """Each district decides the files waiting for it, oldest first across its communities.

        Returns the district hours used, per district.
        """
        v, o = self.v, self.open
        here = np.flatnonzero((o["level"] == DISTRICT) & (o["ready"] <= day))
        if here.size == 0:
            return np.zeros_like(hours)
        self._waiting = None
        d = district_of[o["community"][here]]
        if hours.size > 1:  # each district's in turn, oldest first (index order); with one, in that order already
            order = np.argsort(d, kind="stable")
            here, d = here[order], d[order]
        cost = self._district_cost(o["reviewed"][here])
        done = serve_in_order(d, cost, hours, rng.random(here.size))
        decided = here[done]
        cd = o["community"][decided]
        waited = day - o["opened"][decided]
        score = o["quality"][decided] * timeliness(waited, v["services.wait_tolerance"])
        self.residents.experience(WELFARE_CHANNEL, o["resident"][decided], score)
        in_time = ~o["late"][decided]
        self.tally.add("met_welfare", day, cd[in_time])
        self.tally.add("welfare_days_sum", day, cd, waited)
        self.tally.add("welfare_decided", day, cd)
        self.tally.add("quality_welfare_sum", day, cd, score)
        self.tally.add("quality_welfare_n", day, cd)
        o.drop(decided)
        return np.bincount(d[done], cost[done], hours.size)

    def bypass_street_office(self, communities: np.ndarray, day: int) -> None:
        """A street office closes: the files it holds for ``communities`` go straight to the district, and the
        requests it would have served go back to the community (now the centre's to give)."""
        o = self.open
        self._waiting = None
        held = (o["level"] == STREET_OFFICE) & np.isin(o["community"], communities)
        welfare = held & (o["kind"] == WELFARE)
        o["level"][welfare] = DISTRICT
        o["ready"][welfare] = day
        life = held & ~welfare
        o["level"][life] = COMMUNITY
        o["referred"][life] = False
        o["ready"][life] = day
        o["referred"][np.isin(o["community"], communities) & (o["level"] == COMMUNITY)] = False

    def _delivered(self, day: int, served: np.ndarray, c: np.ndarray, score: np.ndarray) -> None:
        """Life services given today (at the community or the street office), ``c`` their communities: scored,
        counted, closed."""
        o = self.open
        self.residents.experience(LIFE_CHANNEL, o["resident"][served], score)
        self.tally.add("met_life", day, c)
        self.tally.add("quality_life_sum", day, c, score)
        self.tally.add("quality_life_n", day, c)
        o.drop(served)

    def open_count(self) -> np.ndarray:
        """Open cases per community (simulated; multiply by the scale for real cases)."""
        return np.bincount(self.open["community"], minlength=self.n)
