"""The centre's staff: each member with an origin, skill, tenure and motivation, choosing how to spend the day.

Article §III names the causes of the centre's deviations: weak motivation
(few promotions, long tenure in routine posts, no performance evaluation) and
low staff quality (the old street-office team, residents' committee members,
interns and part-time residents, none trained).  Here they are mechanisms:

* a member's **skill** follows their origin and training, and sets how fast
  they work and how good a service they give; part-time residents hold their
  post for part of the day, student interns on placement for all of it;
* their **motivation** moves toward what the job offers: room for promotion,
  the district's recognition (only with performance evaluation), less work
  waiting (overload burns out, Lipsky 1980), less routine (tenure);
* each working day each member weighs the **activities** in front of them by
  what is rewarded (multitask principal-agent, Holmström & Milgrom 1991): the
  leadership's assignment (role emphasis), the district's checks on its tasks
  and on publicising policy, borrowed party authority for control work,
  performance evaluation for service and coordination, and their own
  motivation for work that serves residents.  Work due within the urgency
  window and hours bound by council resolutions come first (street-level
  rationing, Lipsky 1980); an activity gets no more hours than it has work.

The centre's realised split of time between the three roles is what these
choices add up to, given the queues of the day.  Members live in arrays (a
city has ~2,000), as residents do; ``model.centre.staff`` shows a centre's
members one per row.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import ClassVar

import numpy as np

from govsim.clock import WORKING_DAYS_PER_YEAR
from govsim.communities import Layout
from govsim.params import ORIGINS, Value
from govsim.streams import Streams

ACTIVITIES = ("service", "publicity", "opinions", "liaison", "tasks", "control")
"""What staff can spend time on: service cases; coordination (publicising policy,
gathering and reporting concerns, drawing in units); management (the district's
tasks, and control: meetings, inspections, stability work)."""

SERVICE, PUBLICITY, OPINIONS, LIAISON, TASKS, CONTROL = range(len(ACTIVITIES))
ROLE_OF = np.array([0, 1, 1, 1, 2, 2])
"""The role (index into :data:`govsim.params.ROLES`) each activity belongs to (Article §II)."""

_PER_ROLE = np.bincount(ROLE_OF)
"""Activities per role: a role's emphasis is shared among its activities."""

_MOTIVATED = np.array([1.0, 1.0, 1.0, 1.0, 0.0, 0.0])
"""The activities a member's own motivation rewards (all but the district's tasks and control), as factors."""

EXPERIENCED = (ORIGINS.index("street_office"), ORIGINS.index("committee"))
PART_TIME = ORIGINS.index("part_time")


def speed(skill: np.ndarray | float) -> np.ndarray | float:
    """Share of the standard pace a worker of this skill keeps (a fully skilled one: 1)."""
    return 0.5 + 0.5 * np.asarray(skill)


def water_fill(hours: np.ndarray, weights: np.ndarray, demand: np.ndarray) -> np.ndarray:
    """Split each community's ``hours`` over activities in proportion to ``weights``, none beyond its ``demand``.

    Hours an activity cannot use go to the others, again by weight; what no
    activity can use stays unspent.  All arrays are communities x activities
    except ``hours`` (communities).
    """
    alloc = np.zeros(weights.shape)  # np.zeros, not zeros_like: a C call, not a Python one (float all the same)
    left = hours.astype(float)  # a copy
    room = demand  # what each activity can still take: demand - alloc, kept from the round before
    active = (weights > 0) & (demand > 0)
    for _ in range(weights.shape[1]):
        w = np.where(active, weights, 0.0)
        total = w.sum(axis=1)
        per_weight = np.divide(left, total, out=np.zeros(left.shape), where=total > 0)
        take = np.minimum(per_weight[:, None] * w, room)
        alloc += take
        left -= take.sum(axis=1)
        room = demand - alloc
        active &= room > 1e-9
        if not active[left > 1e-9].any():  # no community with hours left has an activity left to take them
            break
    return alloc


class Staff:
    """Every staff member of every centre, as arrays.

    Args:
        v: the scenario's parameter values.
        layout: posts per community.
        streams: the run's random streams.
    """

    PARAMS: ClassVar[tuple[str, ...]] = (
        "centre.hours_per_day", "centre.motivation", "centre.performance_evaluation",
        "centre.promotion_room", "centre.quality", "centre.tenure_years", "centre.training",
        "centre.training_effect", "centre.origin.*", "incentives.*", "staff.*",
    )


    def __init__(self, v: Mapping[str, Value], layout: Layout, streams: Streams,
                 hired: Mapping[str, Value] | None = None):
        self.v = v
        self.n_communities = layout.n
        self.rng = streams["staff"]
        self.recognition = np.zeros(layout.n)  # the district's latest recognition of each centre's service
        self.hours_per_day = float(v["centre.hours_per_day"])
        # The part of the motivation target's log-odds that only parameters set (worked out once, not daily:
        # the same numbers in the same order as motivation_target once spelled out).
        m0 = np.clip(v["centre.motivation"], 0.01, 0.99)
        self._job_log_odds = np.log(m0 / (1 - m0)) + v["staff.promotion_effect"] * v["centre.promotion_room"]
        cols = self._hire(np.arange(layout.n), layout.staff, hired or v)
        self.community, self.origin, self.tenure, self.trained, self.skill = cols
        self._after_hiring()
        self.motivation = self.motivation_target(np.zeros(layout.n))  # start where the job puts them

    def _hire(self, communities: np.ndarray, posts: np.ndarray,
              w: Mapping[str, Value]) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
        """New staff for ``communities`` (``posts`` each), with origins, tenure, training and skill from ``w``."""
        rng = self.rng
        community = np.repeat(communities, posts)
        n = community.size
        # Origins with exact counts per community (part-time residents take the rest).
        shares = np.array([w[f"centre.origin.{o}"] for o in ORIGINS[:-1]])
        counts = np.floor(shares[None, :] * posts[:, None]).astype(int)
        counts = np.column_stack([counts, posts - counts.sum(axis=1)])
        origin = np.repeat(np.tile(np.arange(len(ORIGINS)), len(communities)), counts.ravel()).astype(np.int8)
        experienced = np.isin(origin, EXPERIENCED)
        # Tenure in the same post: experienced staff have years of it (exponential around the mean),
        # newcomers none (Article §III.1).
        tenure = np.where(experienced, rng.exponential(w["centre.tenure_years"], n), 0.0)
        trained = rng.random(n) < w["centre.training"]
        return community, origin, tenure, trained, self.skill_of(origin, trained, w)

    def _after_hiring(self) -> None:
        """What follows from who holds the posts: each member's working hours a day and their sum per
        community (part-time residents, 居民兼职 in Article §III.2, work ``staff.part_time_hours`` of a day;
        everyone else a full day), and where each member's choices are summed."""
        part = np.where(self.origin == PART_TIME, self.v["staff.part_time_hours"], 1.0)
        self.member_hours = self.hours_per_day * part
        self.day_hours = np.bincount(self.community, self.member_hours, self.n_communities)
        # Each (member, activity)'s cell in a communities x activities table, row by row.
        self._cell = (self.community[:, None] * len(ACTIVITIES) + np.arange(len(ACTIVITIES))).ravel()
        # Posts and skill change only with hiring: their sums per community are kept, not counted daily.
        self.posts = np.bincount(self.community, minlength=self.n_communities)
        """Staff per community."""
        # Each (member, activity, trait)'s cell in a communities x activities x 2 table (traits: skill, effort).
        self._trait_cell = (self._cell[:, None] * 2 + np.arange(2)).ravel()
        self._traits = np.empty((self.community.size, 2))  # each member's skill and today's effort (allocate)
        self._traits[:, 0] = self.skill
        self._offers: tuple[bytes, ...] = ()  # what the members' weights were last worked out for (weights)
        self._headcount = np.maximum(self.posts, 1)  # what a mean over a community's members divides by
        self.mean_skill = self.mean_by_community(self.skill)
        """Mean skill of each community's members (0 where a community has none)."""
        self.pace = speed(self.mean_skill)
        """The pace the members of each community keep at their mean skill (see speed)."""

    def mean_by_community(self, x: np.ndarray) -> np.ndarray:
        """Mean of a member trait per community (0 where a community has no staff)."""
        return np.bincount(self.community, x, self.n_communities) / self._headcount

    def skill_of(self, origin: np.ndarray, trained: np.ndarray, w: Mapping[str, Value]) -> np.ndarray:
        """Skill from origin and training: newcomers lack some; training closes part of the gap to 1."""
        base = w["centre.quality"] - w["staff.newcomer_skill_gap"] * ~np.isin(origin, EXPERIENCED)
        base = np.clip(base, 0.05, 1.0)
        return base + trained * w["centre.training_effect"] * (1.0 - base)

    def rehire(self, communities: np.ndarray, posts: np.ndarray, w: Mapping[str, Value]) -> None:
        """Replace the staff of ``communities`` with ``posts`` new posts each (a reform: the committees' posts
        give way to the centre's, filled from the street-office team and the committees, Article §III.2)."""
        keep = ~np.isin(self.community, communities)
        new = self._hire(communities, posts, w)
        old = (self.community, self.origin, self.tenure, self.trained, self.skill)
        self.community, self.origin, self.tenure, self.trained, self.skill = (
            np.concatenate([a[keep], b]) for a, b in zip(old, new, strict=True))
        self._after_hiring()
        hired = new[0].size
        # Newcomers start where the job puts them, as at the start of a run.
        self.motivation = np.concatenate([self.motivation[keep], np.zeros(hired)])
        self.motivation[self.motivation.size - hired:] = self.motivation_target(np.zeros(self.n_communities))[
            self.motivation.size - hired:]

    def motivation_target(self, backlog_days: np.ndarray) -> np.ndarray:
        """What the job pulls each member's motivation toward, on the log-odds scale (Article §III.1)."""
        v = self.v
        z = (self._job_log_odds
             + v["staff.recognition_effect"] * self.recognition[self.community]
             - v["staff.overload_effect"] * backlog_days[self.community]
             - v["staff.tenure_effect"] * np.minimum(self.tenure, 20.0))
        return 1.0 / (1.0 + np.exp(-z))

    def update_motivation(self, backlog_days: np.ndarray) -> None:
        """One working day: motivation moves toward its target; tenure grows."""
        rate = self.v["staff.motivation_adaptation"]
        self.motivation += rate * (self.motivation_target(backlog_days) - self.motivation)
        self.tenure += 1.0 / WORKING_DAYS_PER_YEAR

    def effort(self) -> np.ndarray:
        """How hard each member works: motivated staff get more done in an hour (Perry & Wise 1990), the
        unmotivated shirk (Article §III.1)."""
        return 1.0 + self.v["staff.effort_effect"] * (self.motivation - 0.5)

    def weights(self, emphasis: np.ndarray, missed: np.ndarray, authority: np.ndarray) -> np.ndarray:
        """Each member's weight on each activity (staff x activities), before the queues are seen.

        weight = role emphasis (shared among the role's activities) x (1 + rewards):
        service, opinions and units reward motivation and, with evaluation,
        the district's assessment; publicity rewards motivation and the
        district's checks; tasks reward the checks, more after missed
        deadlines; control rewards itself and borrowed authority.
        """
        # All but motivation changes only with the district's assessments and a reform: what each member is
        # offered beyond their motivation, and their role emphasis, are worked out again only when those change.
        key = (emphasis.tobytes(), missed.tobytes(), authority.tobytes())
        if key != self._offers:
            self._offers = key
            v = self.v
            evaluated = v["incentives.evaluation"] if v["centre.performance_evaluation"] else 0.0
            checks = v["incentives.checks"]
            c = self.community
            offered = np.empty((c.size, len(ACTIVITIES)))
            offered[:, [SERVICE, OPINIONS, LIAISON]] = evaluated
            offered[:, PUBLICITY] = checks
            # What the checks and borrowed authority offer is the community's: worked out once per community
            # (the same numbers as member by member), then given to its members.
            offered[:, TASKS] = (checks * (1.0 + v["incentives.criticism"] * missed))[c]
            offered[:, CONTROL] = (v["incentives.control"] + v["incentives.party_authority"] * authority)[c]
            self._offered = offered
            self._emphasis = (emphasis / _PER_ROLE)[c][:, ROLE_OF]
        # reward = motivation + what is offered, where motivation is rewarded (+ m x 1; + m x 0 = + 0 elsewhere):
        # the same numbers as adding it column by column.
        reward = self._offered + np.multiply.outer(self.motivation, _MOTIVATED)
        return self._emphasis * (1.0 + reward)

    def allocate(self, emphasis: np.ndarray, missed: np.ndarray, authority: np.ndarray,
                 urgent: np.ndarray, demand: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """One working day's hours per (community, activity), and the skill of those hours.

        Args:
            emphasis: per community, the centre's role emphasis (communities x roles).
            missed: per community, share of the district's deadlines missed lately.
            authority: per community, 1.0 where the front line borrows authority (see GovernanceModel.authority).
            urgent: communities x activities, hours that must be worked today
                (checked work near its deadline, hours bound by resolutions).
            demand: communities x activities, hours of work waiting (``inf``: open-ended work).

        Returns:
            (hours, skill), each communities x activities; ``skill`` is the skill of the hours each
            activity gets times the effort behind them (both weighted by members' choices).
        """
        w = self.weights(emphasis, missed, authority)
        # Each member's hours of each activity: a part-timer's choices fill fewer hours.
        share = w / w.sum(axis=1, keepdims=True) * self.member_hours[:, None]
        k, n_act = self.n_communities, len(ACTIVITIES)
        # Sum over each community's members, every activity in one bincount (communities x activities).
        by_act = np.bincount(self._cell, share.ravel(), k * n_act).reshape(k, n_act)

        # The skill and effort behind each activity's hours: each member's, weighted by how much of their day
        # the activity gets, both traits summed in one bincount (communities x activities x 2); where an
        # activity gets no hours, the community's plain mean.
        traits = self._traits
        traits[:, 1] = self.effort()
        summed = np.bincount(self._trait_cell, (share[:, :, None] * traits[:, None, :]).ravel(), k * n_act * 2)
        mean = np.empty((k, n_act, 2))
        mean[:, :, 0] = self.mean_skill[:, None]
        mean[:, :, 1] = self.mean_by_community(traits[:, 1])[:, None]
        np.divide(summed.reshape(k, n_act, 2), by_act[:, :, None], out=mean, where=by_act[:, :, None] > 0)
        skill = mean[:, :, 0] * mean[:, :, 1]

        hours = self.day_hours
        must = np.minimum(urgent, demand)
        total = must.sum(axis=1)
        # Below 1 only where the urgent work exceeds the day's hours (a quotient below 1 never rounds above it).
        cut = np.divide(hours, total, out=np.ones(hours.shape), where=total > hours)
        must = must * cut[:, None]
        free = hours - must.sum(axis=1)
        # Open-ended work (outreach, control) takes at least the share members' weights give it, and
        # what the capped activities leave, again by weight.
        return must + water_fill(free, by_act, demand - must), skill
