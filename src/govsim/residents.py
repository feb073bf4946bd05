"""Residents: one NumPy array per attribute, every rule vectorised.

A community holds tens of thousands of residents, so they are not Mesa agents
one by one: their state lives in arrays (as in Starsim and Covasim) and each
daily rule is a handful of array operations.  ``residents[i]`` still gives one
resident as a :class:`ResidentView` for the browser view and for debugging.

Every random draw has a fixed size each day and comes from its own stream, so
two scenarios run with the same seed see the same needs, the same
conversations and the same thresholds ("common random numbers") and differ only
where the scenarios differ.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from govsim.network import SocialNetwork
from govsim.params import GROUPS, NEEDS

INFO, LIFE, WELFARE, VOICE = range(len(NEEDS))


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
    life_hours: float  # hours available for community life services
    welfare_hours: float  # hours available for charity/welfare cases
    opinion_capacity: float  # opinions the centre and council can gather
    p_opinion_kept: float  # share of a gathered opinion surviving the way up (Tullock)
    p_answer: float  # chance a heard opinion gets an answer
    service_quality: float  # perceived performance of a delivered service
    volunteer_weight: float  # 1 if volunteers are organised, less if not
    volunteer_hours: float  # hours one volunteer gives a day
    council_pull: float  # 1 + how much council participation is worth to residents


@dataclass(frozen=True, slots=True)
class DailyFlows:
    """What happened to residents on one day, for the outcomes and the council."""

    events: int
    met: int
    voiced: int
    heard: int
    opinion_needs: int


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

        # Group of each resident: exact counts from the shares, in random order.
        shares = [values[f"population.share.{g}"] for g in GROUPS[:-1]]
        counts = np.floor(np.array(shares) * n).astype(int)
        counts = np.append(counts, n - counts.sum())
        self.group = streams["population"].permutation(np.repeat(np.arange(len(GROUPS), dtype=np.int8), counts))
        self.group_size = np.bincount(self.group, minlength=len(GROUPS))

        # Daily need rates, resident by resident: (4, n), float32 to halve memory.
        table = np.array([[values[f"needs.{g}.{k}"] for g in GROUPS] for k in NEEDS], dtype=np.float32)
        self.need_rate = table[:, self.group]

        e0 = values["residents.initial_expectation"]
        self.expectation = np.full(n, e0)
        self.performance = np.full(n, e0)  # experience starts where expectations are: D = 0
        self.satisfaction = np.empty(n)
        self.trust = np.full(n, values["residents.initial_trust"])
        self.efficacy = np.full(n, values["residents.initial_efficacy"])
        self.informed = np.zeros(n, dtype=bool)
        # Granovetter thresholds, drawn once: who volunteers or takes part, when.
        self.volunteer_threshold = streams["thresholds"].random(n)
        self.participation_threshold = streams["thresholds"].random(n)
        self.volunteer = np.zeros(n, dtype=bool)
        self.participant = np.zeros(n, dtype=bool)
        self._update_satisfaction()

        self.n_active_ties = round(values["network.active_ties"] * network.n_ties)

    # --- the daily rules, in the order they run ---------------------------------

    def step(self, s: DailySupply) -> DailyFlows:
        """One day: needs arise, are met or not, and residents update what they think."""
        need = self.rng["needs"].random((len(NEEDS), self.n), dtype=np.float32) < self.need_rate
        a, b = self._active_ties()
        self._spread_information(s, a, b)
        met_info = need[INFO] & self.informed
        served = self._serve(need, s)
        voiced, heard, answered = self._voice(need[VOICE], s)

        # Perceived performance of today's contacts: a known policy, a service of
        # the centre's quality, an answered opinion count; an unmet need counts 0.
        n_events = need.sum(axis=0, dtype=np.int16)
        score = met_info + s.service_quality * (served[0].astype(float) + served[1]) + answered
        self._experience(score, n_events)
        self._talk(a, b)
        self._decide_to_join(s)

        met = int(met_info.sum() + served.sum() + answered.sum())
        return DailyFlows(int(n_events.sum()), met, int(voiced.sum()), int(heard.sum()), int(need[VOICE].sum()))

    def _active_ties(self) -> tuple[np.ndarray, np.ndarray]:
        """The ties on which residents talk today (a fixed number, drawn with replacement)."""
        if self.n_active_ties == 0:
            empty = np.empty(0, dtype=np.int32)
            return empty, empty
        pick = self.rng["ties"].integers(0, self.network.n_ties, self.n_active_ties)
        return self.network.src[pick], self.network.dst[pick]

    def _spread_information(self, s: DailySupply, a: np.ndarray, b: np.ndarray) -> None:
        """Policy reaches residents down the hierarchy and by word of mouth, and goes stale."""
        u = self.rng["information"].random((2, self.n))
        self.informed &= u[0] >= self.v["information.forgetting"]
        self.informed |= u[1] < s.p_informed
        # Word of mouth: an informed resident tells an uninformed neighbour (both directions).
        w = self.rng["information"].random((2, a.size)) < self.v["information.word_of_mouth"]
        learn_a = a[w[0] & self.informed[b] & ~self.informed[a]]
        learn_b = b[w[1] & self.informed[a] & ~self.informed[b]]
        self.informed[learn_a] = True
        self.informed[learn_b] = True

    def _serve(self, need: np.ndarray, s: DailySupply) -> np.ndarray:
        """Life and welfare needs are served in proportion to hours available (co-production).

        Volunteers (Parks et al. 1981) add hours to life services; an unorganised
        volunteer force reaches people in need less well.
        """
        vol_hours = self.volunteer.sum() * s.volunteer_hours * s.volunteer_weight
        supply = np.array([s.life_hours + vol_hours, s.welfare_hours])
        demand = np.array([need[LIFE].sum(), need[WELFARE].sum()]) * [
            self.v["services.hours_life"], self.v["services.hours_welfare"]]
        coverage = np.divide(supply, demand, out=np.ones(2), where=demand > 0).clip(max=1.0)
        u = self.rng["service"].random((2, self.n), dtype=np.float32)
        return need[[LIFE, WELFARE]] & (u < coverage[:, None])

    def _voice(self, wants: np.ndarray, s: DailySupply):
        """Voice or neglect (Hirschman 1970): residents voice as far as they think it works.

        Gathered opinions lose detail on each link up (Tullock); an answered
        opinion raises the resident's efficacy, an ignored one lowers it.
        """
        u = self.rng["voice"].random((3, self.n), dtype=np.float32)
        voiced = wants & (u[0] < self.efficacy)
        n_voiced = int(voiced.sum())
        gathered = min(1.0, s.opinion_capacity / n_voiced) if n_voiced else 0.0
        heard = voiced & (u[1] < gathered * s.p_opinion_kept)
        answered = heard & (u[2] < s.p_answer)
        eta = self.v["residents.efficacy_learning"]
        self.efficacy[voiced] += eta * (answered[voiced] - self.efficacy[voiced])
        return voiced, heard, answered

    def _experience(self, score: np.ndarray, n_events: np.ndarray) -> None:
        """Expectancy-disconfirmation (Oliver 1980; Van Ryzin 2004)."""
        had = n_events > 0
        rho = self.v["residents.memory"]
        self.performance[had] += rho * (score[had] / n_events[had] - self.performance[had])
        lam = self.v["residents.expectation_adaptation"]
        self.expectation += lam * (self.performance - self.expectation) + self.v["residents.expectation_growth"]
        np.clip(self.expectation, 0.0, 1.0, out=self.expectation)
        self._update_satisfaction()

    def _update_satisfaction(self) -> None:
        b0 = self.v["residents.satisfaction_intercept"]
        b1 = self.v["residents.satisfaction_performance"]
        b2 = self.v["residents.satisfaction_disconfirmation"]
        p = self.performance
        np.clip(b0 + b1 * p + b2 * (p - self.expectation), 0.0, 1.0, out=self.satisfaction)

    def _talk(self, a: np.ndarray, b: np.ndarray) -> None:
        """Trust follows one's own satisfaction, then spreads by word of mouth (Deffuant et al. 2000)."""
        self.trust += self.v["residents.trust_learning"] * (self.satisfaction - self.trust)
        diff = self.trust[b] - self.trust[a]
        shift = self.v["network.convergence"] * diff * (np.abs(diff) < self.v["network.tolerance"])
        self.trust += np.bincount(a, shift, self.n) - np.bincount(b, shift, self.n)
        np.clip(self.trust, 0.0, 1.0, out=self.trust)

    def _decide_to_join(self, s: DailySupply) -> None:
        """Volunteering and council participation as threshold decisions (Granovetter 1978).

        A resident joins when a propensity scaled by trust (and, for the council,
        efficacy) and by how many others already take part exceeds their
        threshold; social proof saturates at the council's quorum.
        """
        proof = self.v["residents.social_proof"]
        quorum = self.v["council.quorum"]
        x_vol = self.volunteer.mean() if self.n else 0.0
        push = self.v["residents.volunteer_propensity"] * (1 + proof * min(1.0, x_vol / quorum))
        np.less(self.volunteer_threshold, push * self.trust, out=self.volunteer)
        x_part = self.participant.mean() if self.n else 0.0
        push = self.v["residents.participation_propensity"] * (1 + proof * min(1.0, x_part / quorum)) * s.council_pull
        np.less(self.participation_threshold, push * (self.trust + self.efficacy) / 2, out=self.participant)

    # --- reading the state -------------------------------------------------------------

    def mean_by_group(self, values: np.ndarray) -> np.ndarray:
        """Mean of ``values`` within each group (NaN for an empty group)."""
        with np.errstate(invalid="ignore", divide="ignore"):
            return np.bincount(self.group, values, len(GROUPS)) / self.group_size

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
