"""Residents: one NumPy array per attribute, every rule vectorised.

A community holds tens of thousands of residents, so they are not Mesa agents
one by one: their state lives in arrays (as in Starsim and Covasim) and each
daily rule is a handful of array operations.  ``residents[i]`` still gives one
resident as a :class:`ResidentView` for the browser view and for debugging.

Each decision draws from its own stream, and the draws for needs,
conversations, services, voice and thresholds depend only on the population,
so two scenarios run with the same seed see the same needs, the same
conversations and the same thresholds ("common random numbers") and differ
only where the scenarios differ.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from govsim.network import SocialNetwork
from govsim.params import GROUPS, NEEDS


def _coverage(supply: float, demand: float) -> float:
    """Share of demand that supply meets (1 when nothing is demanded)."""
    return min(1.0, supply / demand) if demand > 0 else 1.0


@dataclass(frozen=True, slots=True)
class ResidentView:
    """One resident's state at the current step (a copy, not a live handle)."""

    index: int
    group: str
    satisfaction: float
    expectation: float
    performance: float
    trust: float
    efficacy: float
    informed: bool
    volunteer: bool
    participant: bool
    ties: int


@dataclass(frozen=True, slots=True)
class DailySupply:
    """What the institutions offer residents on one day (set by the model)."""

    p_informed: float  # chance an uninformed resident is reached directly by policy
    care_hours: float  # staff and social workers' service hours, split by triage
    unit_life_hours: float  # units' mobilised resources serving life needs
    unit_welfare_hours: float  # units' mobilised resources serving welfare needs
    opinion_capacity: float  # opinions the centre and council can gather
    p_opinion_kept: float  # share of a gathered opinion surviving the way up (Tullock)
    p_answer: float  # chance a heard opinion gets an answer
    service_quality: float  # perceived performance of a delivered service
    volunteer_weight: float  # 1 if volunteers are organised, less if not
    volunteer_hours: float  # hours one volunteer gives a day
    council_pull: float  # what taking part is worth: council autonomy left by management's dominance


@dataclass(frozen=True, slots=True)
class DailyFlows:
    """What happened to residents on one day, for the outcomes and the council."""

    needs: tuple[int, ...]  # needs of each kind (NEEDS order)
    met: tuple[int, ...]  # of which met
    voiced: int
    heard: int


class Residents:
    """The residents of a community, with their state as arrays.

    Args:
        values: the scenario's parameter values.
        network: the residents' social network.
        streams: named ``numpy.random.Generator`` objects, one per decision.
    """

    def __init__(self, values, network: SocialNetwork, streams: dict[str, np.random.Generator]):
        self.v = values
        self.network = network
        self.rng = streams
        n = values["population.residents"]
        self.n = n

        # Group of each resident: exact counts from the shares.  Residents are
        # stored group by group, so a group is a slice (cheap means, cheap need
        # draws); where they live, and so who talks to whom, is random (network.py).
        shares = [values[f"population.share.{g}"] for g in GROUPS[:-1]]
        counts = np.floor(np.array(shares) * n).astype(int)
        counts = np.append(counts, n - counts.sum())
        self.group = np.repeat(np.arange(len(GROUPS), dtype=np.int8), counts)
        self.group_size = counts
        ends = np.cumsum(counts)
        self._group_start = ends - counts
        self.group_slices = [slice(int(a), int(b)) for a, b in zip(self._group_start, ends, strict=True)]
        # Need rates by (kind, group), and the expected number of needs of each a day.
        self.need_rate = np.array([[values[f"needs.{g}.{k}"] for g in GROUPS] for k in NEEDS])
        self._need_mean = (self.need_rate * self.group_size).ravel()
        self._need_size = np.tile(self.group_size, len(NEEDS))
        self._need_start = np.tile(self._group_start, len(NEEDS))

        # Continuous state is float32: half the memory traffic of float64 on the
        # daily passes over every resident, and ample precision for indices in [0, 1].
        e0 = values["residents.initial_expectation"]
        self.expectation = np.full(n, e0, dtype=np.float32)
        self.performance = np.full(n, e0, dtype=np.float32)  # experience starts where expectations are: D = 0
        self.satisfaction = np.empty(n, dtype=np.float32)
        self._score_total = np.zeros(n, dtype=np.float32)  # per-resident scratch buffers for today's contacts
        self._score_count = np.zeros(n, dtype=np.intp)
        self._shift_total = np.zeros(n, dtype=np.float32)  # and for today's conversations
        self._shift_count = np.zeros(n, dtype=np.intp)  # intp: np.add.at is 25x slower on mixed types
        self.trust = np.full(n, values["residents.initial_trust"], dtype=np.float32)
        self.efficacy = np.full(n, values["residents.initial_efficacy"], dtype=np.float32)
        # Knowledge of current policy, stored as the day it goes stale (Starsim-style
        # event time: drawn once, then compared, instead of a daily coin per resident).
        self.informed_until = np.zeros(n, dtype=np.int32)
        self.day = 0
        # Granovetter thresholds, drawn once: who volunteers or takes part, when.
        self.volunteer_threshold = streams["thresholds"].random(n, dtype=np.float32)
        self.participation_threshold = streams["thresholds"].random(n, dtype=np.float32)
        self.volunteer = np.zeros(n, dtype=bool)
        self.participant = np.zeros(n, dtype=bool)
        self._update_satisfaction()

        self.n_active_ties = round(values["network.active_ties"] * network.n_ties)

    @property
    def informed(self) -> np.ndarray:
        """Whether each resident knows current policy."""
        return self.informed_until > self.day

    # --- the daily rules, in the order they run ---------------------------------

    def step(self, s: DailySupply) -> DailyFlows:
        """One day: needs arise, are met or not, and residents update what they think."""
        self.day += 1
        info, life, welfare, voice = self._needs()
        a, b = self._active_ties()
        self._spread_information(s, a, b)
        met_info = self.informed_until[info] > self.day
        served_life, served_welfare = self._serve(life, welfare, s)
        voiced, heard, answered = self._voice(voice, s)

        # Perceived performance of each contact today: a known policy, a service
        # of the centre's quality and an answered opinion count; an unmet need 0.
        who = np.concatenate([info, life, welfare, voice])
        q = np.float32(s.service_quality)
        score = np.concatenate([met_info, q * served_life, q * served_welfare, answered], dtype=np.float32)
        self._experience(who, score)
        self._talk(a, b)
        self._decide_to_join(s)

        needs = (info.size, life.size, welfare.size, voice.size)
        met = tuple(int(np.count_nonzero(x)) for x in (met_info, served_life, served_welfare, answered))
        return DailyFlows(needs, met, int(voiced.sum()), int(heard.sum()))

    def _needs(self) -> list[np.ndarray]:
        """Who has a need of each kind today, as sorted resident indices.

        Needs arise as Poisson processes, one per group and kind: the day's
        count is Poisson with mean (group size x daily rate) and each need
        falls on a member of the group at random; a resident with several needs
        of one kind simply has several contacts that day.  Only residents with
        needs are touched, so the cost grows with needs, not with residents.
        """
        rng = self.rng["needs"]
        counts = rng.poisson(self._need_mean)
        who = self._need_start.repeat(counts) + (rng.random(counts.sum()) * self._need_size.repeat(counts)).astype(np.intp)
        return np.split(who, np.cumsum(counts.reshape(len(NEEDS), -1).sum(axis=1))[:-1])

    def _active_ties(self) -> tuple[np.ndarray, np.ndarray]:
        """The ties on which residents talk today (a fixed number, drawn with replacement)."""
        if self.n_active_ties == 0:
            empty = np.empty(0, dtype=np.int32)
            return empty, empty
        pick = self.rng["ties"].integers(0, self.network.n_ties, self.n_active_ties, dtype=np.int32)
        return self.network.src.take(pick), self.network.dst.take(pick)

    def _spread_information(self, s: DailySupply, a: np.ndarray, b: np.ndarray) -> None:
        """Policy reaches uninformed residents down the hierarchy and by word of mouth.

        A resident who learns a policy keeps it for a geometric number of days
        (mean 1 / forgetting): new policies replace old ones.
        """
        rng, day = self.rng["information"], self.day
        informed = self.informed_until > day
        uninformed = np.flatnonzero(~informed)
        reached = uninformed[rng.random(uninformed.size) < s.p_informed]
        # Word of mouth on today's active ties where one end knows and the other
        # does not: the one who knows tells the other with some chance.
        knows_a = informed[a]
        mixed = np.flatnonzero(knows_a != informed[b])
        tells = rng.random(mixed.size) < self.v["information.word_of_mouth"]
        pairs = mixed[tells]
        told = np.where(knows_a[pairs], b[pairs], a[pairs])
        learn = np.concatenate([reached, told])  # a resident told twice is simply informed
        forgetting = self.v["information.forgetting"]
        keep = rng.geometric(forgetting, learn.size) if forgetting > 0 else np.iinfo(np.int32).max - day
        self.informed_until[learn] = day + keep

    def _serve(self, life: np.ndarray, welfare: np.ndarray, s: DailySupply) -> tuple[np.ndarray, np.ndarray]:
        """Life and welfare needs are served in proportion to the hours available.

        Volunteers co-produce life services (Parks et al. 1981), an unorganised
        volunteer force reaching people in need less well; units' resources
        serve what they can.  Staff then triage: their care hours go to each
        kind in proportion to the demand still uncovered.
        """
        demand = np.array([life.size * self.v["services.hours_life"], welfare.size * self.v["services.hours_welfare"]])
        volunteers = np.count_nonzero(self.volunteer) * s.volunteer_hours * s.volunteer_weight
        other = np.array([volunteers + s.unit_life_hours, s.unit_welfare_hours])
        gap = np.maximum(demand - other, 0.0)
        staff = s.care_hours * (gap / gap.sum() if gap.sum() > 0 else np.full(2, 0.5))
        cover = [_coverage(x, d) for x, d in zip(other + staff, demand, strict=True)]
        u = self.rng["service"].random(life.size + welfare.size, dtype=np.float32)
        return u[:life.size] < cover[0], u[life.size:] < cover[1]

    def _voice(self, wants: np.ndarray, s: DailySupply):
        """Voice or neglect (Hirschman 1970): residents voice as far as they think it works.

        Gathered opinions lose detail on each link up (Tullock); an answered
        opinion raises the resident's efficacy, an ignored one lowers it.
        """
        u = self.rng["voice"].random((3, wants.size))
        voiced = u[0] < self.efficacy[wants]
        gathered = _coverage(s.opinion_capacity, voiced.sum())
        heard = voiced & (u[1] < gathered * s.p_opinion_kept)
        answered = heard & (u[2] < s.p_answer)
        who = wants[voiced]
        self.efficacy[who] += self.v["residents.efficacy_learning"] * (answered[voiced] - self.efficacy[who])
        return voiced, heard, answered

    def _experience(self, who: np.ndarray, score: np.ndarray) -> None:
        """Expectancy-disconfirmation (Oliver 1980; Van Ryzin 2004).

        P moves toward the mean score of today's contacts; expectations E adapt
        to P at rate λ (and may drift up); S = β0 + β1·P + β2·(P − E).
        """
        total, count = self._score_total, self._score_count
        np.add.at(total, who, score)
        np.add.at(count, who, 1)
        p = self.performance
        p[who] += self.v["residents.memory"] * (total[who] / count[who] - p[who])
        total[who] = 0.0  # the buffers are zero again for tomorrow
        count[who] = 0
        lam = self.v["residents.expectation_adaptation"]
        self.expectation *= 1.0 - lam
        self.expectation += lam * p
        if growth := self.v["residents.expectation_growth"]:
            self.expectation += growth
            np.minimum(self.expectation, 1.0, out=self.expectation)
        self._update_satisfaction()

    def _update_satisfaction(self) -> None:
        b0 = self.v["residents.satisfaction_intercept"]
        b1 = self.v["residents.satisfaction_performance"]
        b2 = self.v["residents.satisfaction_disconfirmation"]
        # S = b0 + b1 P + b2 (P - E), computed in place: it runs over every resident daily.
        s = self.satisfaction
        np.multiply(self.performance, b1 + b2, out=s)
        s -= b2 * self.expectation
        s += b0
        np.clip(s, 0.0, 1.0, out=s)

    def _talk(self, a: np.ndarray, b: np.ndarray) -> None:
        """Trust follows one's own satisfaction, then spreads by word of mouth.

        Bounded confidence (Deffuant et al. 2000): two neighbours who talk and
        whose trust differs by less than the tolerance move toward each other
        by the convergence rate.  Conversations of one day happen at once, so a
        resident with several moves toward their mean (as in Hegselmann & Krause
        2002) and never overshoots.
        """
        tau = self.v["residents.trust_learning"]
        self.trust *= 1.0 - tau
        self.trust += tau * self.satisfaction
        diff = self.trust[b] - self.trust[a]
        close = np.abs(diff) < self.v["network.tolerance"]
        a, b, diff = a[close], b[close], diff[close]
        total = np.bincount(a, diff, self.n) - np.bincount(b, diff, self.n)
        count = np.bincount(a, minlength=self.n) + np.bincount(b, minlength=self.n)
        moved = np.flatnonzero(count)
        self.trust[moved] += self.v["network.convergence"] * total[moved] / count[moved]

    def _decide_to_join(self, s: DailySupply) -> None:
        """Volunteering and council participation as threshold decisions (Granovetter 1978).

        A resident joins when a propensity scaled by trust (and, for the council,
        efficacy and what the council is worth) and by how many others already
        take part exceeds their threshold; social proof saturates at the quorum.
        """
        proof = self.v["residents.social_proof"]
        quorum = self.v["council.quorum"]
        x_vol = np.count_nonzero(self.volunteer) / self.n
        push = self.v["residents.volunteer_propensity"] * (1 + proof * min(1.0, x_vol / quorum))
        np.less(self.volunteer_threshold, push * self.trust, out=self.volunteer)
        x_part = np.count_nonzero(self.participant) / self.n
        push = self.v["residents.participation_propensity"] * (1 + proof * min(1.0, x_part / quorum)) * s.council_pull
        np.less(self.participation_threshold, push * (self.trust + self.efficacy) / 2, out=self.participant)

    # --- reading the state -------------------------------------------------------------

    def mean_by_group(self, values: np.ndarray) -> np.ndarray:
        """Mean of ``values`` within each group (NaN for an empty group)."""
        return np.array([values[sl].mean() if sl.stop > sl.start else np.nan for sl in self.group_slices])

    def __len__(self) -> int:
        return self.n

    def __getitem__(self, i: int) -> ResidentView:
        i = int(i)
        if not -self.n <= i < self.n:
            raise IndexError(f"resident {i} out of range for {self.n} residents")
        i %= self.n
        ties = int(np.count_nonzero(self.network.src == i) + np.count_nonzero(self.network.dst == i))
        return ResidentView(
            i, GROUPS[self.group[i]], float(self.satisfaction[i]), float(self.expectation[i]),
            float(self.performance[i]), float(self.trust[i]), float(self.efficacy[i]),
            bool(self.informed[i]), bool(self.volunteer[i]), bool(self.participant[i]), ties,
        )

    def frame(self) -> pd.DataFrame:
        """Every resident's state as a DataFrame, one row per resident."""
        return pd.DataFrame({
            "group": pd.Categorical.from_codes(self.group, GROUPS),
            "satisfaction": self.satisfaction, "expectation": self.expectation,
            "performance": self.performance, "trust": self.trust, "efficacy": self.efficacy,
            "informed": self.informed, "volunteer": self.volunteer, "participant": self.participant,
            "ties": self.network.degree(),
        })
