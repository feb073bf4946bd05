"""The outcomes recorded every step: names, meanings, and how they are measured.

Every outcome is a number in [0, 1].  This list is the single place that names
and defines them; the data collector, the command line's summary, experiments
and the docs read it.
"""

from __future__ import annotations

from dataclasses import dataclass

from govsim.params import GROUPS, NEEDS


@dataclass(frozen=True, slots=True)
class Outcome:
    name: str
    meaning: str
    kind: str  # "satisfaction", "coordination" or "staff time"


OUTCOMES: tuple[Outcome, ...] = (
    Outcome("satisfaction", "Mean satisfaction of all residents (expectancy-disconfirmation).", "satisfaction"),
    *(Outcome(f"satisfaction_{g}", f"Mean satisfaction of {g.replace('_', '-')} residents.", "satisfaction")
      for g in GROUPS),
    Outcome("needs_met", "Share of the day's needs (all four kinds) that were met.", "satisfaction"),
    *(Outcome(f"needs_met_{k}", f"Share of the day's needs for {k} that were met.", "satisfaction") for k in NEEDS),
    Outcome("trust", "Mean trust of residents in the centre.", "satisfaction"),
    Outcome("downward_reach", "Share of residents who know current policy (policy reaching residents).", "coordination"),
    Outcome("upward_flow", "Share of the day's voiced opinions that reached decision makers.", "coordination"),
    Outcome("voice", "Share of the day's opinions that residents voiced rather than kept to themselves (neglect).",
            "coordination"),
    Outcome("council_effectiveness", "Share of its potential the residents' council realises: autonomy left by the "
            "manager role times participation against quorum.", "coordination"),
    Outcome("participation", "Share of residents taking part in council deliberation.", "coordination"),
    Outcome("volunteering", "Share of residents volunteering.", "coordination"),
    Outcome("unit_resources_mobilised", "Share of stationed units' resources the community has mobilised.",
            "coordination"),
    Outcome("staff_time_service", "Realised share of the centre's staff time spent providing services.", "staff time"),
    Outcome("staff_time_coordination", "Realised share of the centre's staff time spent coordinating.", "staff time"),
    Outcome("staff_time_management", "Realised share of the centre's staff time spent managing.", "staff time"),
)

OUTCOME_NAMES: tuple[str, ...] = tuple(o.name for o in OUTCOMES)

MAIN_OUTCOMES = ("satisfaction", "needs_met", "downward_reach", "upward_flow", "council_effectiveness",
                 "unit_resources_mobilised", "trust", "staff_time_service", "staff_time_management")
"""The outcomes a summary shows first."""
