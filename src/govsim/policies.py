"""Policy on its way down: from the district, through every level, to residents.

Article §II.2: the centre passes policies down well.  The district issues a
new policy every ``district.policy_interval`` days.  It reaches the community
the next day, or later where a street office relays it (§I, a "relay
passer").  The party committee passes it to party members at its meeting
(§I); the centre publicises it with coordination hours, which the district
checks against a deadline, so this work is rewarded (Holmström & Milgrom
1991); informed residents tell neighbours on the ties they talk on.  A
resident gets each message right with the fidelity of the links it crossed
(Tullock 1965: p^n; 2 links after the reform, 3 before it).

``downward_reach`` is measured like ``upward_flow``: for each policy 30 days
after its issue, the share of residents who knew it (or a newer one).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import ClassVar

import numpy as np

from govsim.outcomes import WINDOW
from govsim.params import Value
from govsim.records import Records
from govsim.residents import Residents
from govsim.staff import speed

KEEP = 3  # reach of the latest few policies is averaged, for a steadier series


class Policies:
    """Policies issued, on their way, and known, for every community."""

    PARAMS: ClassVar[tuple[str, ...]] = (
        "district.policy_interval", "information.fidelity_down", "information.notice_reach",
        "information.publicity_deadline", "information.publicity_hours", "information.word_of_mouth",
        "party.relay", "street_office.relay_days",
    )


    def __init__(self, v: Mapping[str, Value], residents: Residents, real_residents: np.ndarray):
        self.v = v
        self.residents = residents
        self.real = real_residents
        n = len(real_residents)
        self.n = n
        # The newest policy that has reached each community, as wide as residents' knows: compared with it daily.
        self.latest = np.full(n, -1, dtype=np.int32)
        self.publicity_left = np.zeros(n)  # hours of publicity still owed on it
        self.publicity_due = np.zeros(n, dtype=np.int64)
        self.in_transit = Records({"community": np.int64, "policy": np.int64, "arrive": np.int64})
        self.reach = np.full((n, KEEP), np.nan)  # reach at 30 days of the latest measured policies
        self.measured = 0

    @property
    def interval(self) -> int:
        return int(self.v["district.policy_interval"])

    def links(self, levels: np.ndarray) -> np.ndarray:
        """Links a policy crosses to a resident: district (-> street office) -> community -> resident."""
        return levels - 1

    def issue(self, day: int, levels: np.ndarray) -> None:
        """The district issues a policy on its days; a street office adds its relay time."""
        if day % self.interval:
            return
        relay = np.where(levels == 4, self.v["street_office.relay_days"], 0)
        self.in_transit.append(community=np.arange(self.n), policy=day // self.interval, arrive=day + 1 + relay)

    def arrive(self, day: int, levels: np.ndarray, rng: np.random.Generator) -> None:
        """Policies reaching communities today: publicity is owed; party members hear at the committee's meeting."""
        t = self.in_transit
        here = t["arrive"] <= day
        if not here.any():
            return
        c, p = t["community"][here], t["policy"][here]
        t.keep(~here)
        newer = p > self.latest[c]
        c, p = c[newer], p[newer]
        self.latest[c] = p
        self.publicity_left[c] = self.v["information.publicity_hours"] * self.real[c] / 1000.0
        self.publicity_due[c] = day + self.v["information.publicity_deadline"]
        r = self.residents
        fresh = np.zeros(self.n, dtype=bool)
        fresh[c] = True
        members = np.flatnonzero(r.party_member & r.of_community(fresh))
        chance = self.v["party.relay"] * r.of_community(self.fidelity(levels), members)
        hear = members[rng.random(members.size) < chance]
        r.knows[hear] = r.of_community(self.latest, hear)

    def fidelity(self, levels: np.ndarray) -> np.ndarray:
        """Chance a resident gets a message right after the links it crossed (Tullock 1965)."""
        return self.v["information.fidelity_down"] ** self.links(levels)

    def demand(self, day: int, urgency: int, skill: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Staff hours of publicity owed: (due within ``urgency`` days, all)."""
        need = self.publicity_left / speed(skill)
        return np.where(self.publicity_due - day <= urgency, need, 0.0), need

    def publicise(self, day: int, hours: np.ndarray, skill: np.ndarray, levels: np.ndarray,
                  rng: np.random.Generator) -> None:
        """Notices, boards and meetings reach uninformed residents directly, in proportion to the hours put in."""
        self.publicity_left = np.maximum(0.0, self.publicity_left - hours * speed(skill))
        self.publicity_left[self.publicity_due < day] = 0.0  # the campaign is over
        per_thousand = self.real / 1000.0
        direct = 1.0 - np.exp(-self.v["information.notice_reach"] * hours * speed(skill) / per_thousand)
        chance = direct * self.fidelity(levels)
        if not chance.any():
            return
        r = self.residents
        behind = np.flatnonzero(r.knows < r.of_community(self.latest))
        told = behind[rng.random(behind.size) < r.of_community(chance, behind)]
        r.knows[told] = r.of_community(self.latest, told)

    def word_of_mouth(self, a: np.ndarray, b: np.ndarray, levels: np.ndarray, rng: np.random.Generator) -> None:
        """On today's active ties, a resident who knows the newest policy tells one who does not."""
        r = self.residents
        newest = r.of_community(self.latest, a)  # b's too: ties stay within a community
        ka, kb = r.knows.take(a) >= newest, r.knows.take(b) >= newest
        mixed = np.flatnonzero(ka != kb)
        chance = self.v["information.word_of_mouth"] * self.v["information.fidelity_down"]
        pairs = mixed[rng.random(mixed.size) < chance]
        told = np.where(ka[pairs], b[pairs], a[pairs])
        r.knows[told] = r.of_community(self.latest, told)

    def informed(self, who: np.ndarray) -> np.ndarray:
        """Whether residents know the newest policy that has reached their community."""
        r = self.residents
        return r.knows[who] >= r.of_community(self.latest, who)

    def measure(self, day: int) -> None:
        """On the 30th day after a policy's issue, record the share of each community's residents who know it."""
        if day < WINDOW or (day - WINDOW) % self.interval:
            return
        policy = (day - WINDOW) // self.interval
        r = self.residents
        self.reach[:, self.measured % KEEP] = r.share(r.knows >= policy)
        self.measured += 1

    def downward_reach(self) -> np.ndarray:
        """Mean reach at 30 days of the latest few policies, per community."""
        if self.measured == 0:
            return np.full(self.n, np.nan)
        return self.reach[:, : min(self.measured, KEEP)].mean(axis=1)  # the slots filled so far
