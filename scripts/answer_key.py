"""The teacher's guide's answer key, measured on the model.

    .venv/bin/python scripts/answer_key.py        # about two minutes on one core

Five seeds (1-5) of each preset at ``population.scale = 10`` over a simulated
year; each figure is the mean over the second half of the year, averaged over
the seeds, with the range over the seeds in brackets.  Prints the Markdown
table of docs/teachers-guide.md's answer key, then the other numbers its text
quotes (groups, the two-signs switch, each correction taken away in turn,
rising expectations), so the whole key comes from one run of this script.
"""

from __future__ import annotations

import numpy as np

from govsim import CommunityModel, load_scenario
from govsim.params import GROUPS

PRESETS = ("pre_reform_2009", "guiyang_2012", "article_remedies")
SEEDS = range(1, 6)
DAYS = 365
ROWS = (
    ("satisfaction (all residents)", "satisfaction", 2),
    ("satisfaction of the elderly", "satisfaction_elderly", 2),
    ("satisfaction of ordinary residents", "satisfaction_ordinary", 2),
    ("needs met within 30 days", "needs_met", 2),
    ("life services given", "needs_met_life", 2),
    ("days to a welfare (dibao) decision", "welfare_days", 1),
    ("needs met per staff hour", "efficiency", 2),
    ("policy reaching residents in 30 days", "downward_reach", 2),
    ("concerns reaching a decision maker in 30 days", "upward_flow", 2),
    ("council effectiveness", "council_effectiveness", 2),
    ("units' resources mobilised", "unit_resources_mobilised", 2),
)
CORRECTIONS = (
    ("induction training", ("centre.training",)),
    ("the service-first role emphasis", tuple(f"centre.role_emphasis.{r}" for r in ("service", "coordination",
                                                                                 "management"))),
    ("fewer tasks pushed down", ("district.task_pressure",)),
    ("motivation and promotion room", ("centre.motivation", "centre.promotion_room")),
    ("performance evaluation", ("centre.performance_evaluation",)),
    ("the social-worker team", ("centre.social_workers",)),
    ("council autonomy", ("council.autonomy",)),
    ("the volunteer team", ("centre.volunteer_team",)),
    ("resource sharing", ("units.resource_sharing",)),
    ("the big party committee", ("structure.big_party_committee",)),
)
"""The remedies' corrections (scenarios/article_remedies.toml), each taken back to its 2012 value in turn."""


def second_half_means(preset: str, **overrides: object) -> dict[str, np.ndarray]:
    """Each outcome's mean over the second half of the year, one value per seed."""
    settings = {"population.scale": 10, **overrides}
    frames = [CommunityModel(preset, rng=seed, **settings).run(DAYS).timeseries() for seed in SEEDS]
    late = [f[f["step"] > DAYS // 2] for f in frames]
    return {name: np.array([f[name].mean() for f in late]) for name in late[0].columns if name != "step"}


def main() -> None:
    measured = {p: second_half_means(p) for p in PRESETS}
    print("| outcome | " + " | ".join(PRESETS) + " |")
    print("|---|" + "---|" * len(PRESETS))
    for label, name, digits in ROWS:
        cells = []
        for p in PRESETS:
            x = measured[p][name]
            cells.append(f"{x.mean():.{digits}f} [{x.min():.{digits}f}, {x.max():.{digits}f}]")
        print(f"| {label} | " + " | ".join(cells) + " |")
    split = [f"{measured[p]['staff_time_service'].mean():.2f} / {measured[p]['staff_time_management'].mean():.2f}"
             for p in PRESETS]
    print("| staff time on service / management | " + " | ".join(split) + " |")

    def mean(runs: dict[str, np.ndarray], name: str) -> float:
        return float(runs[name].mean())

    pre, g12, fix = (measured[p] for p in PRESETS)
    print("\nNumbers the text quotes (means over the five seeds):")
    for label, runs in (("before the reform", pre), ("2012", g12), ("remedies", fix)):
        groups = ", ".join(f"{g} {mean(runs, f'satisfaction_{g}'):.2f}" for g in GROUPS)
        print(f"- satisfaction by group, {label}: {groups}")
    gains = ", ".join(f"{g} {mean(fix, f'satisfaction_{g}') - mean(g12, f'satisfaction_{g}'):+.2f}" for g in GROUPS)
    print(f"- gain by group, remedies - 2012: {gains}")
    print(f"- service quality: before {mean(pre, 'service_quality'):.2f}, 2012 {mean(g12, 'service_quality'):.2f}; "
          f"staff motivation in 2012 {mean(g12, 'staff_motivation'):.2f}")
    separate = second_half_means("guiyang_2012", **{"structure.two_signs_one_team": False})
    print(f"- 2012 with two signs off: council {mean(separate, 'council_effectiveness'):.2f} "
          f"(on: {mean(g12, 'council_effectiveness'):.2f}), management share "
          f"{mean(separate, 'staff_time_management'):.2f} (on: {mean(g12, 'staff_time_management'):.2f})")
    rising = second_half_means("guiyang_2012", **{"residents.expectation_growth": 0.002})
    print(f"- 2012 with expectations rising 0.002 a day: satisfaction "
          f"{mean(rising, 'satisfaction') - mean(g12, 'satisfaction'):+.3f}, needs met "
          f"{mean(rising, 'needs_met') - mean(g12, 'needs_met'):+.3f}")
    base = load_scenario("guiyang_2012")
    # The corrections are the remedies file's changes to 2012: refuse to print a key that has drifted from it.
    differ = {k for k, x in load_scenario("article_remedies").values.items() if x != base[k]}
    listed = {k for _, keys in CORRECTIONS for k in keys}
    if listed != differ:
        raise SystemExit(f"scripts/answer_key.py: CORRECTIONS lists {sorted(listed - differ)} that "
                         f"scenarios/article_remedies.toml does not change, and misses {sorted(differ - listed)}")
    print("- each correction taken away from the remedies (satisfaction; units' resources):")
    for label, keys in CORRECTIONS:
        back = second_half_means("article_remedies", **{k: base[k] for k in keys})
        print(f"  {label}: {mean(back, 'satisfaction') - mean(fix, 'satisfaction'):+.3f}; "
              f"{mean(back, 'unit_resources_mobilised') - mean(fix, 'unit_resources_mobilised'):+.2f}")


if __name__ == "__main__":
    main()
