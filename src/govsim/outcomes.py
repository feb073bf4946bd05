"""The outcomes recorded every step, each declared once.

An :class:`Outcome` says what a number means, its unit, the range an axis
should show, how the model measures it and which panel of a figure it belongs
to.  The data collector, ``govsim outcomes``, the run figure, the analysis
figures and the page's charts all read this list; nothing else names an
outcome's meaning or unit.

Outcomes measured over a window (needs met, flows, welfare days, quality,
efficiency) use the trailing :data:`WINDOW` days, so a daily value is steady
enough to plot and compare at any population scale.
"""

from __future__ import annotations

from dataclasses import dataclass

from govsim.params import GROUPS, NEEDS

WINDOW = 30
"""Days over which windowed outcomes are measured; also the deadline of the flows
("reaches ... within 30 days", issue 7 §6)."""


@dataclass(frozen=True, slots=True)
class Outcome:
    """One recorded outcome.

    Attributes:
        name: column name in every time series and results table.
        meaning: one sentence for people.
        unit: the unit an axis label shows.
        panel: key of the figure panel it is drawn in (see :data:`PANELS`).
        measured: how the model measures it.
        low, high: the range an axis should show; ``high=None`` for an
            open-ended quantity (axes start at ``low`` and fit the data).
    """

    name: str
    meaning: str
    unit: str
    panel: str
    measured: str
    low: float = 0.0
    high: float | None = 1.0

    @property
    def bounded(self) -> bool:
        """Whether the outcome lives on a fixed scale (an index or share in [0, 1])."""
        return self.high is not None


@dataclass(frozen=True, slots=True)
class Panel:
    """A group of outcomes drawn on one axis (they share a unit)."""

    key: str
    title: str


PANELS: tuple[Panel, ...] = (
    Panel("satisfaction", "Satisfaction with services, by group"),
    Panel("needs", "Needs met within 30 days"),
    Panel("welfare", "Welfare (低保) applications: days to a decision"),
    Panel("backlog", "Open cases"),
    Panel("efficiency", "Efficiency"),
    Panel("flows", "Information flows"),
    Panel("council_units", "Council, units and residents' engagement"),
    Panel("staff", "The centre's staff time and tasks"),
    Panel("quality", "Service quality, trust and staff motivation"),
)

_INDEX = "index (0-1)"
_SHARE = "share (0-1)"
_NEED_WORDS = {"information": "public information", "life": "community life services",
               "welfare": "charity and welfare help", "voice": "an opinion passed up and answered"}

OUTCOMES: tuple[Outcome, ...] = (
    Outcome("satisfaction", "Mean satisfaction of all residents with the community's services.", _INDEX,
            "satisfaction", "Expectancy-disconfirmation per service channel, weighted by what matters to each "
            "group, averaged over residents."),
    *(Outcome(f"satisfaction_{g}", f"Mean satisfaction of {g.replace('_', '-')} residents.", _INDEX,
              "satisfaction", "As satisfaction, over the group's residents.") for g in GROUPS),
    Outcome("needs_met", "Share of residents' needs met within 30 days (all four kinds).", _SHARE, "needs",
            f"Needs that came to an end in the last {WINDOW} days: met (informed, served, decided, answered) "
            "over all."),
    *(Outcome(f"needs_met_{k}", f"Share of needs for {_NEED_WORDS[k]} met within 30 days.", _SHARE, "needs",
              "As needs_met, for one kind of need.") for k in NEEDS),
    Outcome("service_quality", "Perceived quality of the life and welfare services delivered.", _INDEX, "quality",
            f"Mean score residents gave the life services, and the welfare decisions, delivered in the last {WINDOW} "
            "days, the two kinds weighing alike: half the service itself, half the provider's skill and care "
            "(less under overload), cut by waiting."),
    Outcome("welfare_days", "Mean days from a welfare (低保) application to its decision.", "days", "welfare",
            f"Over applications decided in the last {WINDOW} days, calendar days from application to decision, "
            "through every level that must approve it.", 0.0, None),
    Outcome("backlog", "Life and welfare cases open and waiting, per 1,000 residents.", "cases per 1,000 residents",
            "backlog", "Open cases at every level at the end of the day.", 0.0, None),
    Outcome("efficiency", "Needs met per staff hour worked for the community.", "needs met per staff hour",
            "efficiency", f"Needs met in the last {WINDOW} days over the hours worked in them by the centre "
            "(or residents' committees), the street office and social workers.", 0.0, None),
    Outcome("downward_reach", "Share of new policies that reach a resident within 30 days.", _SHARE, "flows",
            "For each policy the district issued 30 days ago or more (the latest few), the share of residents "
            "who knew it 30 days after its issue."),
    Outcome("upward_flow", "Share of residents' concerns that reach a decision maker within 30 days.", _SHARE,
            "flows", f"Concerns that arose {WINDOW} days ago or more (the latest {WINDOW} days of them), voiced or "
            "not: the share that reached the district or was taken up by the council within 30 days."),
    Outcome("voice", "Share of residents' concerns that were voiced rather than kept to themselves (neglect).",
            _SHARE, "flows", f"Concerns that arose in the last {WINDOW} days: voiced over all."),
    Outcome("council_effectiveness", "Share of the residents' council's agenda that became resolutions on "
            "residents' issues, binding the centre.", _SHARE, "council_units",
            "Over the council's latest three meetings: the residents' share of the agenda (what formal autonomy "
            "and the centre's control leave them) where a quorum of members attended and residents' issues "
            "waited, over the whole agenda."),
    Outcome("participation", "Share of residents taking part in council deliberation.", _SHARE, "council_units",
            "Residents whose participation threshold is met today."),
    Outcome("volunteering", "Share of residents volunteering.", _SHARE, "council_units",
            "Residents whose volunteering threshold is met today."),
    Outcome("unit_resources_mobilised", "Share of stationed units' resources the community has mobilised.", _SHARE,
            "council_units", "Resources of the units that chose to take part, over the resources of all units."),
    Outcome("trust", "Mean trust of residents in the centre.", _INDEX, "quality",
            "Mean over residents; trust follows experience and spreads by bounded-confidence talk."),
    Outcome("staff_time_service", "Share of the centre's staff hours spent providing services.", _SHARE, "staff",
            f"Hours staff chose to give to service in the last {WINDOW} days over all hours worked."),
    Outcome("staff_time_coordination", "Share of the centre's staff hours spent coordinating.", _SHARE, "staff",
            "As staff_time_service, for coordination (policy down, opinions up, units)."),
    Outcome("staff_time_management", "Share of the centre's staff hours spent managing.", _SHARE, "staff",
            "As staff_time_service, for management (the district's tasks and control)."),
    Outcome("staff_motivation", "Mean motivation of the centre's staff.", _INDEX, "quality",
            "Mean over staff; motivation moves with promotion room, evaluation, workload and tenure."),
    Outcome("tasks_on_time", "Share of the district's tasks the centre finished by their deadline.", _SHARE, "staff",
            f"Tasks finished in time over tasks finished or missed in the last {WINDOW} days."),
)

OUTCOME_NAMES: tuple[str, ...] = tuple(o.name for o in OUTCOMES)

BY_NAME: dict[str, Outcome] = {o.name: o for o in OUTCOMES}
"""Every outcome by name."""

MAIN_OUTCOMES = ("satisfaction", "needs_met", "service_quality", "welfare_days", "downward_reach", "upward_flow",
                 "council_effectiveness", "unit_resources_mobilised", "staff_time_service", "staff_time_management")
"""The outcomes a summary shows first."""


def panel_outcomes(panel: str) -> tuple[Outcome, ...]:
    """The outcomes drawn in one panel, in declaration order."""
    return tuple(o for o in OUTCOMES if o.panel == panel)


def panel_unit(panel: str) -> str:
    """The unit shared by a panel's outcomes (the axis label)."""
    units = {o.unit for o in panel_outcomes(panel)}
    if len(units) != 1:
        raise ValueError(f"panel {panel!r} mixes units: {sorted(units)}")
    return units.pop()
