"""Units stationed in the community (驻区单位): enterprises, schools, hospitals, agencies that decide.

Article §II.1-2: social resources are not integrated, the resource-sharing
network is incomplete and units stationed in the community are not drawn
in; §I credits the "big party committee" with reaching their party members.
A unit does not share because a parameter says so: when the coordinator
visits it, or the big party committee reaches it through its party members, it
weighs cost against benefit (Olson 1965) — its own propensity to share, the
recognition a skilled visit brings, the party channel, and the reciprocity
built by earlier visits and joint activity (Gouldner 1960) — and commits its resources
(venues, funds, volunteers: service hours) for a while, or declines.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import ClassVar

import numpy as np

from govsim.communities import Layout
from govsim.council import rank_within, stochastic_round
from govsim.params import UNIT_TYPES, Value
from govsim.staff import speed
from govsim.streams import Streams

RECIPROCITY_DECAY = 1 / 365
"""Daily fade of a unit's memory of joint activity once it stops taking part (assumption: about a year)."""


KIND_SHARES = (0.15, 0.10, 0.15)
"""Shares of schools, hospitals and agencies among a community's units (enterprises the rest; assumption).

A unit's kind is a label (the page names it): the model treats every kind alike, because the article lists
the kinds (§II.2) but says nothing of how they differ in what they give.  The shares were parameters once; the
screen of every parameter (docs/sensitivity.md) found they moved nothing, so they are fixed here."""


def unit_kinds(shares: tuple[float, ...], n: int, rng: np.random.Generator) -> np.ndarray:
    """Unit types with exact counts from the shares (enterprises the remainder), in random order."""
    counts = np.floor(np.array(shares) * n).astype(int)
    counts = np.insert(counts, 0, n - counts.sum())
    return rng.permutation(np.repeat(np.arange(len(UNIT_TYPES)), counts))


class Units:
    """Every stationed unit, as arrays."""

    PARAMS: ClassVar[tuple[str, ...]] = (
        "party.unit_contact", "units.*",
    )


    def __init__(self, v: Mapping[str, Value], layout: Layout, streams: Streams):
        self.v = v
        self.n_communities = layout.n
        rng = streams["units"]
        count = np.rint(v["units.per_thousand"] * layout.residents / 1000.0).astype(int)
        self.community = np.repeat(np.arange(layout.n), count)
        n = self.community.size
        self.kind = np.concatenate([unit_kinds(KIND_SHARES, int(k), rng) for k in count]) if n else np.zeros(0, int)
        # Units differ in size (a hospital, a corner shop): lognormal with mean units.mean_resources (assumption).
        self.resources = rng.lognormal(-0.08, 0.4, n) * v["units.mean_resources"]
        mean = float(np.clip(v["units.resource_sharing"], 0.01, 0.99))
        # A propensity, not a ceiling: Beta around the mean, concentration 10 (assumption: units differ, but most
        # sit near the community's norm).
        self.propensity = rng.beta(10 * mean, 10 * (1 - mean), n)
        p = np.clip(self.propensity, 1e-6, 1 - 1e-6)
        self._own_log_odds = np.log(p / (1 - p))  # what a unit's propensity alone puts in its utility (fixed)
        self.until = np.zeros(n, dtype=np.int64)  # engaged while until > day
        self.reciprocity = np.zeros(n)
        self.last_visit = np.full(n, -(10**6), dtype=np.int64)
        self.total = np.bincount(self.community, self.resources, layout.n)

    def engaged(self, day: int) -> np.ndarray:
        return self.until > day

    def due(self, day: int) -> np.ndarray:
        """Units a coordinator would visit today: not committed for the next month and not visited lately."""
        return (self.until <= day + 30) & (self.last_visit <= day - self.v["units.visit_days"])

    def demand(self, day: int) -> np.ndarray:
        """Coordinator hours the visits due would take, per community."""
        return np.bincount(self.community[self.due(day)], minlength=self.n_communities) * self.v["units.contact_hours"]

    def decide(self, day: int, hours: np.ndarray, skill: np.ndarray, big_party_committee: np.ndarray,
               rng: np.random.Generator) -> None:
        """Visits and the party channel reach units; each reached unit weighs joining (one working day)."""
        v = self.v
        n = self.community.size
        # Every unit draws its own numbers every day, whether reached or not, so two runs that differ in a
        # lever see the same luck for the same unit on the same day (common random numbers, Law & Kelton
        # 2000): with a few dozen units, the comparison would otherwise be mostly noise.
        order_key, party_draw, offer_draw, join_draw = rng.random((4, n))
        due = np.flatnonzero(self.due(day))
        visits = stochastic_round(hours * speed(skill) / v["units.contact_hours"], rng)
        c = self.community[due]
        visited = due[rank_within(c, order_key[due]) < visits[c]]
        self.last_visit[visited] = day
        # A visit builds rapport whatever the unit decides: repeated, skilled contact makes the next yes likelier.
        gain = v["units.rapport"] * np.minimum(skill[self.community[visited]], 1.0)
        self.reciprocity[visited] += gain * (1.0 - self.reciprocity[visited])
        free = ~self.engaged(day + 30)
        party = free & big_party_committee[self.community] & (party_draw < v["party.unit_contact"])
        # Contact through its own party members builds rapport as a visit does (the big party committee, §I).
        self.reciprocity[party] += v["units.rapport"] * (1.0 - self.reciprocity[party])
        offer = free & (offer_draw < v["units.initiative"])  # a unit's own initiative
        by_visit = np.zeros(n, dtype=bool)
        by_visit[visited] = True
        reached = by_visit | party | offer
        if not reached.any():
            return
        # Every unit's utility, though only the reached weigh it: with a few dozen units, cheaper than selecting.
        utility = (self._own_log_odds
                   + v["units.recognition"] * skill[self.community] * by_visit
                   + v["units.party_bonus"] * party
                   + v["units.reciprocity"] * self.reciprocity
                   - v["units.cost"])
        join = reached & (join_draw < 1.0 / (1.0 + np.exp(-utility)))
        self.until[join] = day + v["units.commitment_days"]

    def remember(self, day: int) -> None:
        """Joint activity builds reciprocity while a unit takes part; it fades once it stops."""
        on, r = self.engaged(day), self.reciprocity
        # Both rules for every unit, each unit given its own (fewer calls than two selections of a few dozen units).
        r[:] = np.where(on, r + (1.0 - r) / self.v["units.commitment_days"], r * (1.0 - RECIPROCITY_DECAY))

    def hours(self, day: int) -> np.ndarray:
        """Service hours the engaged units give each community today."""
        on = self.engaged(day)
        return np.bincount(self.community[on], self.resources[on], self.n_communities)

    def mobilised(self, day: int) -> np.ndarray:
        """Share of each community's units' resources that are engaged (0 where there are no units)."""
        return np.divide(self.hours(day), self.total, out=np.zeros(self.n_communities), where=self.total > 0)
