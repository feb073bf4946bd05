"""The residents' council (居民议事会): members, an agenda, deliberation, resolutions that bind.

Article §I gives each community a council of residents that deliberates on
their issues; §II.3 finds it "cannot play its part": under "two signs, one
team" the centre borrows the party committee's authority to strengthen its
control.  Here:

* members are drawn from residents who take part (Granovetter thresholds in
  residents.py); seats left empty are filled at each meeting;
* members carry neighbours' voiced concerns to the council (concerns.py);
* at each meeting the centre and party take part of the agenda for their own
  business: the more of the centre's time goes to management, the more they
  take, and more so under "two signs, one team" (a graded control, never all
  of it); the council's formal autonomy bounds the rest;
* with a quorum of members present, residents' items become resolutions, one
  per topic (a group's issues) with concerns waiting; each binds the centre to
  give service hours for a while (issue 7 §4).

``council_effectiveness`` is the share of the agenda that went to residents'
issues and was resolved: the residents' share, at meetings where a quorum of
members attended and residents' issues waited, over the latest meetings.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import ClassVar

import numpy as np

from govsim.concerns import Concerns
from govsim.params import GROUPS, Value
from govsim.records import Records
from govsim.residents import Residents

KEEP = 3  # meetings averaged in council_effectiveness


def stochastic_round(x: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """Round down or up with the chance of the fractional part, so the expectation is ``x``."""
    low = np.floor(x)
    return (low + (rng.random(np.shape(x)) < x - low)).astype(np.int64)


def rank_within(group: np.ndarray, key: np.ndarray) -> np.ndarray:
    """Each entry's rank (0, 1, ...) within its group, ordered by ``key``."""
    order = np.lexsort((key, group))
    g = group[order]
    first = np.searchsorted(g, g, side="left")
    rank = np.empty(group.size, dtype=np.int64)
    rank[order] = np.arange(group.size) - first
    return rank


class Council:
    """The councils of every community."""

    PARAMS: ClassVar[tuple[str, ...]] = ("council.*",)


    def __init__(self, v: Mapping[str, Value], residents: Residents, concerns: Concerns, scale: int):
        self.v = v
        self.scale = scale
        self.residents = residents
        self.concerns = concerns
        self.n = len(residents.community_size)
        self.control = np.zeros(self.n)
        self.effectiveness = np.full((self.n, KEEP), np.nan)
        self.meetings = 0
        self.attendance = np.zeros(self.n)
        self.resolutions = Records({"community": np.int64, "until": np.int64, "topic": np.int64})

    @property
    def seats(self) -> int:
        return int(self.v["council.seats"])

    def filled(self) -> np.ndarray:
        """Seats filled per community: each member resident stands for ``scale`` people, as every simulated
        resident does, up to the seats there are."""
        r = self.residents
        return np.minimum(r.count_by_community(r.council_member) * self.scale, self.seats)

    def set_control(self, management_share: np.ndarray, two_signs: np.ndarray) -> None:
        """How much of the agenda the centre and party take: 1 − exp(−m·(d + t·d2)), graded, never all of it."""
        v = self.v
        strength = v["council.dominance"] + two_signs * v["council.dominance_two_signs"]
        self.control = 1.0 - np.exp(-management_share * strength)

    def residents_share(self, autonomy: np.ndarray) -> np.ndarray:
        """Share of the agenda left to residents' issues: formal autonomy times what control leaves."""
        return autonomy * (1.0 - self.control)

    def pickup(self) -> np.ndarray:
        """Chance a voiced concern reaches the council: members stand for their part of the community, and
        residents who take part bring issues to its hearings (full at ``council.hearing_reference``)."""
        r, v = self.residents, self.v
        hearing = np.minimum(1.0, r.participant_share / v["council.hearing_reference"])
        return v["council.pickup"] * self.filled() / self.seats * hearing

    def fill_seats(self, rng: np.random.Generator) -> None:
        """Members who stopped taking part leave; empty seats go to residents who take part, at random."""
        r = self.residents
        r.council_member &= r.participant
        candidates = np.flatnonzero(r.participant & ~r.council_member)
        if candidates.size == 0:
            return
        c = r.community[candidates]
        rank = rank_within(c, rng.random(candidates.size))
        wanted = -(-self.seats // self.scale)  # member residents needed to fill every seat
        have = r.count_by_community(r.council_member)
        r.council_member[candidates[rank < (wanted - have)[c]]] = True

    def meet(self, day: int, autonomy: np.ndarray, levels: np.ndarray, rng: np.random.Generator) -> None:
        """A meeting in every community: attendance, the agenda, resolutions."""
        v, r = self.v, self.residents
        self.fill_seats(rng)
        # Members chose to serve: they attend unless trust and efficacy have worn thin.  The chance is a mean
        # over the residents members are drawn from, those who take part (not over the few member residents
        # a large population scale leaves).
        pool = np.flatnonzero(r.participant)
        keen = np.bincount(r.community[pool], 0.5 + (r.trust[pool] + r.efficacy[pool]) / 4, self.n)
        chance = np.divide(keen, np.bincount(r.community[pool], minlength=self.n), out=np.zeros(self.n),
                           where=keen > 0)
        attend = rng.binomial(self.filled(), chance)
        self.attendance = attend / self.seats
        quorum = attend >= np.ceil(v["council.quorum"] * self.seats)
        size = int(v["council.agenda_size"])
        share = self.residents_share(autonomy)
        slots = np.minimum(stochastic_round(size * share, rng), len(GROUPS))
        waiting = self.concerns.pooled_by_topic(len(GROUPS))
        # The topics with most concerns waiting take the residents' slots (ties broken at random).
        order = np.argsort(-(waiting + rng.random(waiting.shape) * 0.5), axis=1)
        rank = np.empty_like(order)
        np.put_along_axis(rank, order, np.arange(len(GROUPS))[None, :], axis=1)
        adopted = (rank < slots[:, None]) & (waiting > 0) & quorum[:, None]
        self.concerns.take_up(day, adopted, levels)
        c, topic = np.nonzero(adopted)
        self.resolutions.keep(self.resolutions["until"] > day)
        self.resolutions.append(community=c, until=day + v["council.resolution_days"], topic=topic)
        # Effectiveness: the residents' part of the agenda that became resolutions — their share of the
        # items (not its rounding to whole items) where a quorum met and there were issues to resolve.
        topics = (waiting > 0).sum(axis=1)
        self.effectiveness[:, self.meetings % KEEP] = quorum * np.minimum(size * share, topics) / size
        self.meetings += 1

    def bound_hours(self, day: int) -> np.ndarray:
        """Service hours a working day the resolutions in force bind each centre to give."""
        active = self.resolutions["until"] > day
        return np.bincount(self.resolutions["community"][active], minlength=self.n) * self.v["council.steer_hours"]

    def current_effectiveness(self) -> np.ndarray:
        """Mean share of the agenda resolved on residents' issues, over the latest meetings."""
        if self.meetings == 0:
            return np.zeros(self.n)
        held = min(self.meetings, KEEP)  # the meetings held so far
        return self.effectiveness[:, :held].sum(axis=1) / held  # as .mean(axis=1), with less Python on the way
