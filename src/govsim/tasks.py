"""The administrative tasks the district pushes down: the manager role's own work stream.

Article §II.3: after the reform the centre "took over administrative affairs
(civil affairs, family planning, health)" from the district's functional
departments; before it, street offices "pushed every task down" to the
residents' committees (§I).  Tasks arrive as a Poisson stream, each with the
hours it takes and a deadline at which the district checks it.  Staff work
them earliest-deadline first; a task unfinished at its deadline is missed,
and missed deadlines draw criticism that makes checked work weigh more
(:meth:`govsim.staff.Staff.weights`).  With a street office, tasks reach the
community later (it relays them) and the street office adds tasks of its own.
"""

from __future__ import annotations

from typing import cast

import numpy as np

from govsim.records import Records, used_before
from govsim.staff import speed
from govsim.windows import Tally

MEAN_TASK_HOURS = 2.0
"""Mean hours one task takes a fully skilled worker (assumption: a form, a survey round, an inspection)."""

CAMPAIGN_DEADLINE = 7.0
"""Mean days a campaign's tasks are given (assumption: campaigns are checked within about a week)."""


class Tasks:
    """The district's tasks waiting at every community."""

    def __init__(self, communities: int, tally: Tally):
        self.n = communities
        self._communities = np.arange(communities)
        self.tally = tally
        self.open = Records({"community": np.int64, "hours": float, "arrive": np.int64, "due": np.int64})

    def push(self, day: int, load: np.ndarray, residents: np.ndarray, deadline: float, relay: np.ndarray,
             campaign: tuple[float, float], rng: np.random.Generator) -> None:
        """Issue today's tasks: the ordinary stream, and on some days a campaign.

        Args:
            load: per community, staff hours a working day per 1,000 residents the ordinary tasks take
                (a street office's own tasks added).
            residents: per community, real residents (tasks grow with the population).
            deadline: mean days until the district checks a task.
            relay: per community, days until a task reaches the community (1, more through a street office).
            campaign: (chance that today is a campaign day, working days of the ordinary load it brings).
        """
        mean = load * residents / 1000.0 / MEAN_TASK_HOURS
        self._issue(day, rng.poisson(mean), deadline, relay, rng)
        chance, size = campaign
        if size > 0 and rng.random() < chance:
            # A campaign: many working days' worth of tasks at once, checked within about a week.
            self._issue(day, rng.poisson(mean * size), CAMPAIGN_DEADLINE, relay, rng)

    def _issue(self, day: int, count: np.ndarray, deadline: float, relay: np.ndarray,
               rng: np.random.Generator) -> None:
        n = int(count.sum())
        if n == 0:
            return
        community = np.repeat(self._communities, count)
        given = np.maximum(1, np.rint(deadline * rng.uniform(0.5, 1.5, n))).astype(np.int64)
        self.open.append(community=community, hours=rng.exponential(MEAN_TASK_HOURS, n),
                         arrive=day + relay[community], due=day + given)

    def arrived(self, day: int) -> np.ndarray:
        return self.open["arrive"] <= day

    def demand(self, day: int, urgency: int, skill: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Staff hours the arrived tasks need per community: (due within ``urgency`` days, all)."""
        here = self.arrived(day)
        c, due = self.open["community"][here], self.open["due"][here]
        need = self.open["hours"][here] / speed(skill[c])
        urgent = np.bincount(c, need * (due <= day + urgency), self.n)
        return urgent, np.bincount(c, need, self.n)

    def work(self, day: int, hours: np.ndarray, skill: np.ndarray) -> None:
        """Spend each community's task hours, earliest deadline first; finished tasks leave."""
        here = np.flatnonzero(self.arrived(day))
        if here.size == 0:
            return
        c = self.open["community"][here]
        order = here[np.lexsort((self.open["due"][here], c))]
        c = self.open["community"][order]
        work = self.open["hours"][order]
        # Hours available to each task: the community's effective hours minus what earlier tasks used.
        effective = cast(np.ndarray, hours * speed(skill))  # per community, then per task
        left = np.maximum(0.0, work - np.maximum(0.0, effective[c] - used_before(c, work, self.n)))
        self.open["hours"][order] = left
        done = order[left <= 0]
        self.tally.add("tasks_on_time", day, self.open["community"][done])
        self.open.drop(done)  # the district's check later today finds the missed ones among those left

    def check(self, day: int) -> None:
        """The district's checks (every day, after the centre's work): tasks past their deadline are missed and
        leave."""
        missed = self.open["due"] < day
        if not missed.any():  # most days
            return
        self.tally.add("tasks_missed", day, self.open["community"][missed])
        self.open.keep(~missed)
