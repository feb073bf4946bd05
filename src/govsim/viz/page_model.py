"""The model the page plays: one community, or two stepped together (compare mode).

:class:`PageModel` is a ``mesa.Model``: the page's controls play, step and
reset it as Mesa's would.  It holds one :class:`Run` per configuration of the
:class:`~govsim.viz.controls.Setup`; in compare mode both runs use the same
seed, so they share every random draw they have in common (the core model's
common random numbers) and differ only where the configurations differ.

Each run keeps its outcomes in a growing NumPy array, so a redraw reads the
history without rebuilding a DataFrame from the data collector.

A page model belongs to a :class:`~govsim.viz.sessions.Session`: while the
session has no connection its ``step`` waits instead of computing, and once
the session is closed ``step`` sets ``running`` to False, which ends the play
loop (Mesa's own way for a model to say it is done).
"""

from __future__ import annotations

from collections.abc import Callable

import mesa
import numpy as np

from govsim.model import CommunityModel
from govsim.outcomes import OUTCOME_NAMES
from govsim.viz.controls import Setup, load_presets
from govsim.viz.memory import MODELS
from govsim.viz.sessions import Session

COLUMN = {name: i for i, name in enumerate(OUTCOME_NAMES)}


def room_for(rows: np.ndarray, n: int) -> np.ndarray:
    """``rows`` with room for a row at index ``n``: doubled when full (amortised O(1) appends)."""
    return rows if n < len(rows) else np.concatenate([rows, np.empty_like(rows)])


class History:
    """Outcomes of every step so far, one row per day (day 1 first)."""

    def __init__(self, capacity: int = 512):
        self._data = np.empty((capacity, len(OUTCOME_NAMES)))
        self.n = 0

    @classmethod
    def from_rows(cls, rows: np.ndarray) -> History:
        """A history holding ``rows`` already (days x :data:`~govsim.outcomes.OUTCOME_NAMES`)."""
        history = cls(max(512, 2 * len(rows)))
        history._data[: len(rows)] = rows
        history.n = len(rows)
        return history

    def append(self, outcomes: dict[str, float]) -> None:
        self._data = room_for(self._data, self.n)
        self._data[self.n] = [outcomes[name] for name in OUTCOME_NAMES]
        self.n += 1

    def __len__(self) -> int:
        return self.n

    @property
    def days(self) -> np.ndarray:
        return np.arange(1, self.n + 1)

    def __getitem__(self, name: str) -> np.ndarray:
        """The series of one outcome (a read-only view)."""
        view = self._data[: self.n, COLUMN[name]]
        view.flags.writeable = False
        return view

    def latest(self, name: str) -> float | None:
        return float(self._data[self.n - 1, COLUMN[name]]) if self.n else None


class Run:
    """One configuration's community model and its history.

    ``community`` is the index of the community the page shows in ``model``: always 0 here (a community
    model has one); a city's community shown on its own is another kind of run (:mod:`govsim.viz.city_page_model`).
    """

    community = 0

    def __init__(self, label: str, model: CommunityModel):
        self.label = label
        self.model = model
        self.history = History()

    def step(self) -> None:
        self.model.step()
        self.history.append(self.model.outcomes)


def default_setup() -> Setup:
    """The page's starting set-up: ``$GOVSIM_VIZ_SCENARIO`` (set by ``govsim serve``) against the remedies."""
    import os

    presets = load_presets(os.environ.get("GOVSIM_VIZ_SCENARIO") or None)
    return Setup.initial(presets[presets.first], presets[presets.second])


class PageModel(mesa.Model):
    """One or two community models stepped together with the same seed.

    Args:
        setup: the set-up to build, or a function returning it; None for :func:`default_setup`.
        session: the browser tab's session; None outside a server (a notebook, a test).
    """

    def __init__(self, setup: Setup | Callable[[], Setup] | None = None, session: Session | None = None):
        if callable(setup):
            setup = setup()
        if setup is None:
            setup = default_setup()
        super().__init__(rng=setup.seed)
        self.setup = setup
        self.session = session
        MODELS.add(self)
        self.runs = [
            Run(setup.label(i), CommunityModel(scenario, rng=setup.seed))
            for i, scenario in enumerate(setup.scenarios())
        ]

    @property
    def day(self) -> int:
        return len(self.runs[0].history)

    def step(self) -> None:
        """One day of every run; waits while the session has no connection, and stops once it is closed."""
        if self.session is not None and not self.session.wait_until_live():
            self.running = False
            return
        for run in self.runs:
            run.step()
