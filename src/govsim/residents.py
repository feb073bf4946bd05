"""Residents: one NumPy array per attribute, every rule vectorised.

A city holds millions of residents, so they are not Mesa agents one by one:
their state lives in arrays (as in Starsim and Covasim), numbered community by
community and, within a community, group by group, so a (community, group) is a
contiguous block.  ``residents[i]`` still gives one resident as a
:class:`ResidentView` for the browser and for debugging.

What residents do here: needs arise (Poisson, by group and kind, Article
§II.1); each contact with a service updates the resident's perceived
performance and expectation of that service channel (expectancy-
disconfirmation, Oliver 1980, Van Ryzin 2004) and their trust; trust spreads
by bounded-confidence talk (Deffuant et al. 2000); residents voice a concern
as far as they believe it works (Hirschman 1970); they volunteer and take part
in the council past a threshold (Granovetter 1978).  Queues, flows and the
institutions live in their own modules.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import ClassVar

import numpy as np
import pandas as pd

from govsim.communities import Layout
from govsim.network import SocialNetwork
from govsim.params import GROUPS, NEEDS, Value
from govsim.streams import Streams

INFORMATION, LIFE, WELFARE, VOICE = range(len(NEEDS))


@dataclass(frozen=True, slots=True)
class ResidentView:
    """One resident's state at the current step (a copy, not a live handle)."""

    index: int
    community: int
    group: str
    satisfaction: float
    performance: dict[str, float]
    expectation: dict[str, float]
    trust: float
    efficacy: float
    informed: bool
    party_member: bool
    volunteer: bool
    participant: bool
    council_member: bool
    ties: int


def mean_by(index: np.ndarray, values: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Unique sorted ``index`` entries (int64) and the mean of ``values`` at each (several contacts a day average)."""
    m = index.size
    # Each entry's index with its position after it: one plain sort then orders by index and, within an index,
    # by position (as a stable argsort would, at a fraction of its cost; indices here are below 2**33 and a
    # day's entries far below 2**30, so the product fits in 64 bits).
    combined = index * m
    combined += np.arange(m)
    combined.sort()
    idx, val = combined // m, values.take(combined % m)
    # Where each run of equal entries starts, and the end: built in place, a few calls fewer than with
    # concatenate, flatnonzero, append and diff (this runs twice a day on a few hundred contacts).
    bounds = np.empty(m + 1, dtype=bool)
    bounds[0] = bounds[-1] = True
    np.not_equal(idx[1:], idx[:-1], out=bounds[1:-1])
    (edge,) = bounds.nonzero()
    first = edge[:-1]
    return idx.take(first), np.add.reduceat(val, first) / (edge[1:] - first)


class Residents:
    """The residents of every community, with their state as arrays.

    Args:
        v: the scenario's parameter values.
        layout: the communities (sizes, group mix, scale).
        network: the residents' social network (numbered as here).
        streams: the run's named random streams.
    """

    PARAMS: ClassVar[tuple[str, ...]] = (
        "population.share.*", "needs.*", "residents.*", "network.active_ties", "network.tolerance",
        "network.convergence", "party.member_share",
    )


    def __init__(self, v: Mapping[str, Value], layout: Layout, network: SocialNetwork, streams: Streams):
        self.v = v
        self.layout = layout
        self.network = network
        self.streams = streams
        sizes = layout.agents
        n = int(sizes.sum())
        self.n = n
        n_groups = len(GROUPS)

        # Exact group counts per community; ordinary residents take the rounding remainder.
        counts = np.floor(layout.group_shares[:, :-1] * sizes[:, None]).astype(np.int64)
        counts = np.column_stack([counts, sizes - counts.sum(axis=1)])
        self.block_size = counts.ravel()  # blocks are (community, group), community-major
        self.block_start = np.concatenate([[0], np.cumsum(self.block_size)[:-1]])
        self.community = np.repeat(np.arange(layout.n, dtype=np.int32), sizes)
        self.group = np.repeat(np.tile(np.arange(n_groups, dtype=np.int8), layout.n), self.block_size)
        self.community_start = np.concatenate([[0], np.cumsum(sizes)[:-1]])
        self.community_size = sizes

        # Need rates by (kind, group); the day's expected needs per (kind, block).
        self.rate = np.array([[v[f"needs.{g}.{k}"] for g in GROUPS] for k in NEEDS])
        self._need_mean = (self.rate[:, None, :] * counts[None, :, :]).reshape(len(NEEDS), -1)
        self._need_size = np.tile(self.block_size, len(NEEDS))  # each (kind, block)'s block, as _need_mean
        self._need_start = np.tile(self.block_start, len(NEEDS))
        # What matters to each group: a channel counts in satisfaction as often as the group uses it.
        use = self.rate.T
        self.weight = (use / use.sum(axis=1, keepdims=True)).astype(np.float32)  # groups x channels
        self._channel_weight = np.ascontiguousarray(self.weight.T)  # channels x groups, for take by group
        self._block_of = np.repeat(np.arange(self.block_size.size), self.block_size)
        self._betas = tuple(np.float32(v[f"residents.satisfaction_{k}"])
                            for k in ("intercept", "performance", "disconfirmation"))

        e0 = v["residents.initial_expectation"]
        # float32: half the memory traffic of float64 on daily passes, ample for indices in [0, 1].
        # Perceived performance exists only once a resident has used a channel (``seen``): a resident judges
        # what they have experienced, and the model needs no guess of where experience starts.
        self.performance = np.zeros((len(NEEDS), n), dtype=np.float32)
        self.seen = np.zeros((len(NEEDS), n), dtype=bool)
        self.expectation = np.full((len(NEEDS), n), e0, dtype=np.float32)
        self.trust = np.full(n, v["residents.initial_trust"], dtype=np.float32)
        self.efficacy = np.full(n, v["residents.initial_efficacy"], dtype=np.float32)
        self.knows = np.full(n, -1, dtype=np.int32)  # the newest policy each resident knows (-1: none)
        draws = streams["residents"]
        self.party_member = draws.random(n) < v["party.member_share"]
        # Granovetter thresholds, drawn once: who volunteers or takes part, and when.
        self.volunteer_threshold = draws.random(n, dtype=np.float32)
        self.participation_threshold = draws.random(n, dtype=np.float32)
        self.volunteer = np.zeros(n, dtype=bool)
        self.participant = np.zeros(n, dtype=bool)
        self.council_member = np.zeros(n, dtype=bool)
        self._contacts: list[tuple[int, np.ndarray, np.ndarray]] = []  # today's, until settle()
        self.volunteer_share = np.zeros(layout.n)  # per community, as of the last decisions
        self.participant_share = np.zeros(layout.n)
        self.n_active_ties = round(v["network.active_ties"] * network.n_ties)
        # Each resident's satisfaction, kept up to date as contacts happen, with running sums per block, so a
        # day costs what its contacts cost rather than a pass over every resident.
        self.sat = np.zeros(n, dtype=np.float32)
        self.has = np.zeros(n, dtype=bool)
        self.sat_sum = np.zeros(self.block_size.size)
        self.has_count = np.zeros(self.block_size.size)

    # --- needs --------------------------------------------------------------------------

    def needs(self) -> list[np.ndarray]:
        """Who has a need of each kind today (one array per kind, in :data:`NEEDS` order).

        Needs arise as Poisson processes, one per block and kind: the day's count
        is Poisson with mean (block size x daily rate), each need falls on a
        member of the block at random.  Only residents with needs are touched.
        """
        rng = self.streams["needs"]
        counts = rng.poisson(self._need_mean)  # kinds x blocks
        flat = counts.ravel()
        size = self._need_size.repeat(flat)
        start = self._need_start.repeat(flat)
        who = start + (rng.random(flat.sum()) * size).astype(np.int64)
        ends = np.cumsum(counts.sum(axis=1)).tolist()
        return [who[a:b] for a, b in zip([0, *ends[:-1]], ends, strict=True)]

    # --- experience (expectancy-disconfirmation) --------------------------------------------

    def experience(self, channel: int, who: np.ndarray, score: np.ndarray | float) -> None:
        """Residents ``who`` had a contact on ``channel`` that they scored ``score`` (0 to 1).

        The day's contacts are gathered and take effect together at the end of
        the day (:meth:`settle`).
        """
        if np.size(who):
            # Kept as given (a scalar score spread to every contact): settle() joins the day's contacts in a few
            # calls rather than a few per contact.
            scores = np.asarray(score) if np.ndim(score) else np.full(np.size(who), score)
            self._contacts.append((channel, who, scores))

    def settle(self) -> None:
        """The day's contacts take effect (expectancy-disconfirmation, Oliver 1980; Van Ryzin 2004).

        On each channel a resident used today, perceived performance P is the
        first score ever, then moves toward the day's mean score (memory); the
        expectation E adapts toward P (E + λ(P − E)); trust moves toward the
        mean score of all the day's contacts.
        """
        if not self._contacts:
            return
        channels, whos, scores = zip(*self._contacts, strict=True)
        self._contacts.clear()
        channel = np.repeat(np.array(channels, dtype=np.int64), [np.size(w) for w in whos])
        who = np.concatenate(whos, dtype=np.int64)
        score = np.concatenate(scores, dtype=np.float32)  # each score rounded to float32, as it always was
        # The key is each (channel, resident)'s flat index in the channels x residents arrays: take and put
        # read and write them there at a fraction of the cost of indexing by (channel, resident) pairs.
        key, mean = mean_by(channel * self.n + who, score)
        p = self.performance.take(key)
        step = np.where(self.seen.take(key), np.float32(self.v["residents.memory"]), np.float32(1.0))
        p += step * (mean - p)
        self.performance.put(key, p)
        self.seen.put(key, True)
        e = self.expectation.take(key)
        e += np.float32(self.v["residents.expectation_adaptation"]) * (p - e)
        self.expectation.put(key, e)
        touched, daily = mean_by(who, score)
        self.trust[touched] += self.v["residents.trust_learning"] * (daily - self.trust[touched])
        self.rescore(touched)

    def drift_expectations(self) -> None:
        """Rising expectations (Van Ryzin 2006): every expectation drifts up, whatever the service."""
        if growth := self.v["residents.expectation_growth"]:
            self.expectation += growth
            np.minimum(self.expectation, 1.0, out=self.expectation)
            self.rescore(np.arange(self.n))

    def satisfaction(self) -> tuple[np.ndarray, np.ndarray]:
        """Each resident's satisfaction, and whether they have any to give.

        S = Σ_k w_gk · clip(β0 + β1·P_k + β2·(P_k − E_k), 0, 1) / Σ_k w_gk over
        the channels the resident has used: one expectancy-disconfirmation
        score per service channel, weighted by how much the resident's group
        uses it.  A resident who has used no channel yet has no satisfaction
        (0, with ``False`` in the second array).
        """
        return self.sat, self.has

    def _score(self, who: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Satisfaction of residents ``who`` from their current P and E (see :meth:`satisfaction`)."""
        b0, b1, b2 = self._betas
        # take(axis=1) gathers the residents' columns several times faster than [:, who].
        p, e = self.performance.take(who, axis=1), self.expectation.take(who, axis=1)
        s = np.clip(b0 + (b1 + b2) * p - b2 * e, 0.0, 1.0)
        weight = self._channel_weight.take(self.group.take(who), axis=1) * self.seen.take(who, axis=1)
        total = weight.sum(axis=0)
        has = total > 0
        return np.divide((s * weight).sum(axis=0), total, out=np.zeros(who.size, dtype=np.float32), where=has), has

    def rescore(self, who: np.ndarray | None = None) -> None:
        """Recompute the satisfaction of residents ``who`` (distinct; default all) and the block sums.

        The rules call it for the residents they touch; call it yourself after setting P, E or
        ``seen`` by hand.
        """
        if who is None:
            who = np.arange(self.n)
        new, has = self._score(who)
        blocks, n_blocks = self._block_of[who], self.block_size.size
        self.sat_sum += np.bincount(blocks, new * has - self.sat[who] * self.has[who], n_blocks)
        self.has_count += np.bincount(blocks, has.astype(np.int8) - self.has[who], n_blocks)
        self.sat[who] = new
        self.has[who] = has

    def satisfaction_by_block(self) -> tuple[np.ndarray, np.ndarray]:
        """Mean satisfaction per (community, group) over residents who have any (NaN where none), and how
        many have, each communities x groups."""
        count = self.has_count.reshape(-1, len(GROUPS))
        mean = np.divide(self.sat_sum.reshape(-1, len(GROUPS)), count, out=np.full(count.shape, np.nan),
                         where=count > 0)
        return mean, count

    def learn_efficacy(self, who: np.ndarray, answered: np.ndarray | float) -> None:
        """A concern was answered (1) or went unanswered (0): efficacy moves toward that (James & John 2021)."""
        if who.size:
            self.efficacy[who] += self.v["residents.efficacy_learning"] * (answered - self.efficacy[who])

    # --- talk and thresholds ---------------------------------------------------------------

    def active_ties(self) -> tuple[np.ndarray, np.ndarray]:
        """The ties on which residents talk today (a fixed number, drawn with replacement)."""
        if self.n_active_ties == 0:
            empty = np.empty(0, dtype=np.int64)
            return empty, empty
        pick = self.streams["ties"].integers(0, self.network.n_ties, self.n_active_ties)
        ends = self.network.ends.take(pick, axis=0)
        # Each end as its own contiguous array of native indices: the day's takes and bincounts on them then
        # convert nothing.
        return ends[:, 0].astype(np.intp), ends[:, 1].astype(np.intp)

    def talk(self, a: np.ndarray, b: np.ndarray) -> None:
        """Bounded-confidence talk about the centre (Deffuant et al. 2000).

        Two neighbours who talk and whose trust differs by less than the
        tolerance move toward each other; a resident with several conversations
        in a day moves toward their mean (Hegselmann & Krause 2002).
        """
        diff = self.trust.take(b) - self.trust.take(a)
        close = np.abs(diff) < self.v["network.tolerance"]
        if not close.all():  # often every pair is close enough: then there is nothing to pick out
            a, b, diff = a[close], b[close], diff[close]
        if a.size == 0:
            return
        # Each resident's summed differences and number of talks, in dense passes over every resident (they beat
        # sorting the ends), added tie by tie as they come, a's end then b's: one scatter each, no joined copies.
        d = diff.astype(np.float64)
        total = np.zeros(self.n)
        np.add.at(total, a, d)
        np.subtract.at(total, b, d)
        count = np.zeros(self.n)
        np.add.at(count, a, 1.0)
        np.add.at(count, b, 1.0)
        # Who did not talk has a total of 0, which a count of 1 leaves at 0: a plain divide is several times
        # faster than one with ``where=``.
        np.divide(total, np.maximum(count, 1.0, out=count), out=total)
        total *= self.v["network.convergence"]
        self.trust += total.astype(np.float32)

    def sum_by_community(self, values: np.ndarray) -> np.ndarray:
        """Sum of ``values`` over each community's residents (they are contiguous)."""
        if self.community_size.size == 1:
            return np.array([values.sum(dtype=np.float64)])
        return np.add.reduceat(values, self.community_start, dtype=np.float64)

    def count_by_community(self, flags: np.ndarray) -> np.ndarray:
        """How many of each community's residents ``flags`` (booleans) marks."""
        # Counting needs no float sum: count_nonzero reads a million flags in the time a sum converts a few
        # thousand (the council counts its members every day).
        if self.community_size.size == 1:
            return np.array([np.count_nonzero(flags)])
        return np.add.reduceat(flags, self.community_start, dtype=np.int64)

    def of_community(self, values: np.ndarray, who: np.ndarray | None = None) -> np.ndarray:
        """Each resident's entry of ``values`` (one per community), for residents ``who`` (default all).

        With one community that is its one entry, a NumPy scalar of the same dtype, which broadcasts
        alike: no pass over the residents to gather it.
        """
        if self.community_size.size == 1:
            return values[0]
        return values[self.community if who is None else self.community[who]]

    def share(self, flags: np.ndarray) -> np.ndarray:
        """Share of each community's residents for whom ``flags`` is True."""
        return self.count_by_community(flags) / self.community_size

    def decide_to_join(self, council_pull: np.ndarray) -> None:
        """Volunteering and council participation as threshold decisions (Granovetter 1978).

        A resident joins when a propensity, scaled by trust (and, for the
        council, by efficacy and by what the council is worth: ``council_pull``
        per community) and by how many others already take part, exceeds their
        threshold.  Social proof is full at ``residents.proof_reference``.
        """
        v = self.v
        proof, ref = v["residents.social_proof"], v["residents.proof_reference"]
        lift = 1.0 + proof * np.minimum(1.0, self.volunteer_share / ref)
        push = self.of_community((v["residents.volunteer_propensity"] * lift).astype(np.float32))
        np.less(self.volunteer_threshold, push * self.trust, out=self.volunteer)
        lift = 1.0 + proof * np.minimum(1.0, self.participant_share / ref)
        push = self.of_community((v["residents.participation_propensity"] * lift * council_pull).astype(np.float32))
        np.less(self.participation_threshold, push * (self.trust + self.efficacy) / 2, out=self.participant)
        self.volunteer_share = self.share(self.volunteer)
        self.participant_share = self.share(self.participant)

    # --- reading the state -------------------------------------------------------------------

    def sum_by_block(self, values: np.ndarray) -> np.ndarray:
        """Sum of ``values`` per (community, group), as communities x groups."""
        # Blocks are contiguous: reduceat sums each; an empty block's entry is meaningless and set to 0.
        sums = np.add.reduceat(values, np.minimum(self.block_start, self.n - 1), dtype=np.float64)
        return np.where(self.block_size > 0, sums, 0.0).reshape(-1, len(GROUPS))

    def mean_by_block(self, values: np.ndarray, where: np.ndarray | None = None) -> np.ndarray:
        """Mean of ``values`` per (community, group) over residents ``where`` is True (NaN where none)."""
        if where is None:
            count = self.block_size.reshape(-1, len(GROUPS)).astype(float)
            sums = self.sum_by_block(values)
        else:
            count = self.sum_by_block(where)
            sums = self.sum_by_block(np.where(where, values, 0))
        with np.errstate(invalid="ignore", divide="ignore"):
            return np.where(count > 0, sums / count, np.nan)

    def __len__(self) -> int:
        return self.n

    def __getitem__(self, i: int) -> ResidentView:
        i = int(i)
        if not -self.n <= i < self.n:
            raise IndexError(f"resident {i} out of range for {self.n} residents")
        i %= self.n
        ties = int(np.count_nonzero(self.network.src == i) + np.count_nonzero(self.network.dst == i))
        sat, has = self.satisfaction()
        s = float(sat[i]) if has[i] else float("nan")
        return ResidentView(
            i, int(self.community[i]), GROUPS[self.group[i]], s,
            {k: float(self.performance[j, i]) if self.seen[j, i] else float("nan") for j, k in enumerate(NEEDS)},
            {k: float(self.expectation[j, i]) for j, k in enumerate(NEEDS)},
            float(self.trust[i]), float(self.efficacy[i]), bool(self.knows[i] >= 0),
            bool(self.party_member[i]), bool(self.volunteer[i]), bool(self.participant[i]),
            bool(self.council_member[i]), ties,
        )

    def frame(self) -> pd.DataFrame:
        """Every resident's state as a DataFrame, one row per resident (NaN: no experience of it yet)."""
        sat, has = self.satisfaction()
        return pd.DataFrame({
            "community": self.community,
            "group": pd.Categorical.from_codes(self.group, GROUPS),
            "satisfaction": np.where(has, sat, np.nan),
            **{f"performance_{k}": np.where(self.seen[j], self.performance[j], np.nan) for j, k in enumerate(NEEDS)},
            **{f"expectation_{k}": self.expectation[j] for j, k in enumerate(NEEDS)},
            "trust": self.trust, "efficacy": self.efficacy, "knows_policy": self.knows,
            "party_member": self.party_member, "volunteer": self.volunteer, "participant": self.participant,
            "council_member": self.council_member, "ties": self.network.degree(),
        })
