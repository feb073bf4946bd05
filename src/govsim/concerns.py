"""Residents' concerns on their way up: voice, neglect, gathering, relays, answers.

Article §II.2: the centre passes policies down well but does not pass
residents' views and suggestions up.  A concern arises as a need for voice
(residents.py).  The resident voices it as far as they believe voice works, or
keeps it (neglect, Hirschman 1970).  A voiced concern waits in the centre's
inbox until coordination hours gather and report it; a council member may
also hear of it and carry it to the council's agenda.  Each link up keeps it with the upward fidelity
(Tullock 1965); a street office passes up only part of what it gets (a
"mouthpiece" for orders going down, §I).  A concern reaching the district, or
taken up by the council, has reached a decision maker; the district answers
those it has hours for.  Answered voice raises efficacy; a concern left
unanswered after 30 days lowers it (James & John 2021).

``upward_flow`` counts, for concerns that arose 30-60 days ago, the share that
reached a decision maker within 30 days — voiced or not, so neglect can never
flatter it (issue 7 §6).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import ClassVar, cast

import numpy as np

from govsim.clock import next_transfer
from govsim.outcomes import WINDOW
from govsim.params import Value
from govsim.records import Records, serve_in_order
from govsim.residents import VOICE, Residents
from govsim.staff import speed
from govsim.windows import Tally

INBOX, OFFICE, UP, ANSWER, LOST = range(5)
HEARD_SCORE = 0.3
"""A resident's score for a concern that reached a decision maker but got no answer (assumption)."""


class Concerns:
    """Every concern on its way up, in every community."""

    PARAMS: ClassVar[tuple[str, ...]] = (
        "district.answer_hours", "information.fidelity_up", "services.hours_opinion",
        "street_office.upward_relay",
    )


    def __init__(self, v: Mapping[str, Value], residents: Residents, tally: Tally, scale: int):
        self.v = v
        self.residents = residents
        self.tally = tally
        self.scale = scale
        self.monday = 0  # the calendar's anchor (set by the model)
        self.n = len(residents.community_size)
        # Concerns are appended only by arise, the day they arise, and records keep their order: the concerns are
        # in order of creation, so index order is oldest first and the old ones are the first few.
        self.open = Records({"resident": np.int64, "community": np.int64, "created": np.int64,
                             "stage": np.int8, "ready": np.int64, "reached": bool, "council": bool})

    def arise(self, day: int, who: np.ndarray, pickup: np.ndarray, rng: np.random.Generator) -> None:
        """Today's concerns: voiced (as far as efficacy goes) or kept.

        A voiced concern waits in the centre's inbox; a council member may also
        hear of it and carry it to the council's agenda (the council hears of an
        issue without taking the concern from the centre's way up).

        Args:
            pickup: per community, the chance a voiced concern reaches a council member.
        """
        c = self.residents.community[who]
        u = rng.random((2, who.size))
        voiced = u[0] < self.residents.efficacy[who]
        silent = ~voiced
        c_voiced = c[voiced]
        self.tally.add("arose", day, c)
        self.tally.add("voiced", day, c_voiced)
        kept = who[silent]
        self.residents.experience(VOICE, kept, np.zeros(kept.size))  # neglect: the need goes unmet
        self.tally.add("unmet_voice", day, c[silent])
        heard = u[1][voiced] < pickup[c_voiced]
        self.open.append(resident=who[voiced], community=c_voiced, created=day, stage=INBOX, ready=day,
                         reached=False, council=heard)

    def waiting(self) -> np.ndarray:
        """Concerns waiting in each centre's inbox."""
        o = self.open
        return np.bincount(o["community"][o["stage"] == INBOX], minlength=self.n)

    def gather(self, day: int, hours: np.ndarray, skill: np.ndarray, levels: np.ndarray, handoff: np.ndarray,
               rng: np.random.Generator) -> None:
        """Coordination hours gather concerns from the inbox and report them one link up.

        Staff take up what residents raise now, newest first: concerns left
        waiting go stale (they lapse after 30 days) rather than every gathered
        concern arriving too late.
        """
        o = self.open
        here = np.flatnonzero(o["stage"] == INBOX)
        if here.size == 0:
            return
        u = rng.random((2, here.size))  # a pair of draws for each concern in the queue's order, reached or not
        per_community = cast(np.ndarray, self.v["services.hours_opinion"] * self.scale / speed(skill))
        if self.n == 1:
            # One community's hours reach only its newest concerns (each costs the same, so a count of them),
            # a few days' worth of an inbox that holds a month's: only those days need sorting and serving. Its
            # queue is newest day first, so those days (the last records: concerns are in order of creation)
            # are its head, and the serving of the head does not depend on what follows it.
            reach = max(1, min(here.size, int(hours[0] / per_community[0]) + 2))
            created = o["created"][here]
            here = here[np.searchsorted(created, created[-reach]):]
        here = here[np.lexsort((-o["created"][here], o["community"][here]))]
        c = o["community"][here]
        done = serve_in_order(c, per_community[c], hours, u[0, :here.size])
        taken, c = here[done], c[done]
        kept = u[1, :here.size][done] < self.v["information.fidelity_up"]
        office = levels[c] == 4
        o["stage"][taken] = np.where(kept, np.where(office, OFFICE, UP), LOST)
        o["ready"][taken] = next_transfer(day, handoff[c], self.monday)

    def relay_at_street_office(self, day: int, handoff: int, rng: np.random.Generator) -> None:
        """The street office passes up part of what it received (the mouthpiece), in its next batch."""
        o = self.open
        here = np.flatnonzero((o["stage"] == OFFICE) & (o["ready"] <= day))
        if here.size == 0:
            return
        v = self.v
        up = rng.random(here.size) < v["street_office.upward_relay"] * v["information.fidelity_up"]
        o["stage"][here] = np.where(up, UP, LOST)
        o["ready"][here[up]] = next_transfer(day, handoff, self.monday)

    def bypass_street_office(self, communities: np.ndarray, day: int) -> None:
        """A street office closes: the reports it holds for ``communities`` go up to the district."""
        o = self.open
        held = (o["stage"] == OFFICE) & np.isin(o["community"], communities)
        o["stage"][held] = UP
        o["ready"][held] = day + 1

    def reach_district(self, day: int) -> None:
        """Reports arriving at the district: those concerns have reached a decision maker."""
        o = self.open
        here = np.flatnonzero((o["stage"] == UP) & (o["ready"] <= day))
        self._reached(here[o["created"][here] >= day - WINDOW])
        o["stage"][here] = ANSWER

    def _reached(self, idx: np.ndarray) -> None:
        o = self.open
        fresh = idx[~o["reached"][idx]]
        # Counted on the day the concern arose, so upward_flow follows a cohort of concerns.
        self.tally.add_on_days("reached", o["created"][fresh], o["community"][fresh])
        o["reached"][fresh] = True

    def answer_at_district(self, day: int, hours: np.ndarray, district_of: np.ndarray,
                           rng: np.random.Generator) -> None:
        """Each district answers the concerns that reached it, oldest first, as far as its hours go."""
        o = self.open
        here = np.flatnonzero(o["stage"] == ANSWER)
        if here.size == 0:
            return
        d = district_of[o["community"][here]]
        if hours.size > 1:  # each district's in turn, oldest first (index order); with one, in that order already
            order = np.argsort(d, kind="stable")
            here, d = here[order], d[order]
        cost = np.full(here.size, self.v["district.answer_hours"] * self.scale)
        self._answer(day, here[serve_in_order(d, cost, hours, rng.random(here.size))])

    def _answer(self, day: int, idx: np.ndarray) -> None:
        o = self.open
        who = o["resident"][idx]
        self.residents.experience(VOICE, who, np.ones(who.size))
        self.residents.learn_efficacy(who, 1.0)
        self.tally.add("met_voice", day, o["community"][idx])
        o.drop(idx)

    def take_up(self, day: int, adopted: np.ndarray, levels: np.ndarray) -> None:
        """The council's meeting: the concerns it heard of on adopted topics are taken up.

        After the reform the council decides community matters itself, so a
        concern it takes up has reached a decision maker and is answered.
        Before it, residents' meetings had no such power: what they adopt joins
        the reports to the street office (if still waiting in the inbox).

        Args:
            adopted: communities x groups, True where the council adopted a resolution on that group's issues.
            levels: per community, 4 with a street office above it.
        """
        o = self.open
        heard = np.flatnonzero(o["council"])
        if heard.size == 0:
            return
        c = o["community"][heard]
        topic = adopted[c, self.residents.group[o["resident"][heard]]]
        office = levels[c] == 4
        upward = heard[topic & office & (o["stage"][heard] == INBOX)]
        o["stage"][upward] = OFFICE
        o["ready"][upward] = day
        o["council"][heard[topic & office]] = False
        taken = heard[topic & ~office]
        self._reached(taken[day - o["created"][taken] <= WINDOW])
        self._answer(day, taken)

    def pooled_by_topic(self, groups: int) -> np.ndarray:
        """Open concerns each council has heard of, communities x groups (a topic is a group's issues)."""
        o = self.open
        pooled = o["council"]
        key = o["community"][pooled] * groups + self.residents.group[o["resident"][pooled]]
        return np.bincount(key, minlength=self.n * groups).reshape(self.n, groups)

    def expire(self, day: int) -> None:
        """Concerns unanswered after the window: the resident gives up on them; efficacy falls."""
        o = self.open
        old = int(np.searchsorted(o["created"], day - WINDOW, side="right"))  # the first ones (in order of creation)
        if old == 0:
            return
        who = o["resident"][:old].copy()  # a copy: experience keeps it until the day's contacts settle
        self.residents.experience(VOICE, who, np.where(o["reached"][:old], HEARD_SCORE, 0.0))
        self.residents.learn_efficacy(who, 0.0)
        self.tally.add("unmet_voice", day, o["community"][:old])
        o.keep(o["created"] > day - WINDOW)
