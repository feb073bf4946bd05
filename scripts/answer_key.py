"""The teacher's guide's answer key, measured on the model.

    .venv/bin/python scripts/answer_key.py        # about a minute on one core

Five seeds (1-5) of each preset at ``population.scale = 10`` over a simulated
year; each figure is the mean over the second half of the year, averaged over
the seeds, with the range over the seeds in brackets.  Prints the Markdown
table of docs/teachers-guide.md's answer key.
"""

from __future__ import annotations

import numpy as np

from govsim import CommunityModel

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


def second_half_means(preset: str) -> dict[str, np.ndarray]:
    """Each outcome's mean over the second half of the year, one value per seed."""
    frames = [CommunityModel(preset, rng=seed, **{"population.scale": 10}).run(DAYS).timeseries() for seed in SEEDS]
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


if __name__ == "__main__":
    main()
