"""What an evaluator of Guiyang's staged reform would conclude, and how far that is from the truth.

The model knows the true effect of the reform on the pilot communities: the
same city, same random numbers, with and without the reform
(``city.reform``).  An evaluator knows only the reformed city; with the staged
rollout they would compare the pilot communities with those not yet reformed,
before and after the pilots switched: a difference-in-differences estimate
(DiD).  Both are computed per replication and reported side by side with 95%
intervals over replications; an event study shows the reformed-minus-not-yet-
reformed gap month by month around each wave's switch.

All functions take the long tables of :meth:`govsim.city.CityModel.community_timeseries`
(one row per community and day, for one run) and :meth:`~govsim.city.CityModel.communities`.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy import stats

MONTH = 30


@dataclass(frozen=True)
class Periods:
    """The windows an evaluation of the pilots compares (days from the start of the run, end exclusive)."""

    pre: tuple[int, int]  # the year before the pilots switched
    post: tuple[int, int]  # from the pilots' switch (plus a settling month) to the next wave's switch

    @classmethod
    def for_pilots(cls, communities: pd.DataFrame, settle: int = MONTH) -> Periods:
        days = sorted(d for d in communities["switch_day"].unique() if d >= 0)
        if not days:
            raise ValueError("no community switches: an evaluation needs the reformed city")
        pilot = days[0]
        after = days[1] if len(days) > 1 else pilot + 365
        return cls(pre=(max(1, pilot - 365), pilot), post=(pilot + settle, after))


def pilots(communities: pd.DataFrame) -> pd.Index:
    """The communities of the first wave."""
    first = communities.loc[communities["switch_day"] >= 0, "switch_day"].min()
    return pd.Index(communities.loc[communities["switch_day"] == first, "community"])


def _mean(df: pd.DataFrame, outcome: str, window: tuple[int, int], members: pd.Index) -> float:
    rows = df["step"].between(window[0], window[1] - 1) & df["community"].isin(members)
    return float(df.loc[rows, outcome].mean())


def true_effect(reform: pd.DataFrame, counterfactual: pd.DataFrame, communities: pd.DataFrame,
                outcome: str) -> float:
    """The pilots' mean outcome over the post period with the reform, minus without it (same random numbers)."""
    p, periods = pilots(communities), Periods.for_pilots(communities)
    return _mean(reform, outcome, periods.post, p) - _mean(counterfactual, outcome, periods.post, p)


def did(reform: pd.DataFrame, communities: pd.DataFrame, outcome: str) -> float:
    """Difference-in-differences: (pilots after − before) − (not yet reformed after − before)."""
    p, periods = pilots(communities), Periods.for_pilots(communities)
    rest = pd.Index(communities.loc[~communities["community"].isin(p), "community"])
    treated = _mean(reform, outcome, periods.post, p) - _mean(reform, outcome, periods.pre, p)
    control = _mean(reform, outcome, periods.post, rest) - _mean(reform, outcome, periods.pre, rest)
    return treated - control


def event_study(reform: pd.DataFrame, communities: pd.DataFrame, outcome: str, months: int = 12) -> pd.Series:
    """Reformed minus not-yet-reformed communities, by month relative to each wave's switch (−months..months).

    For each wave, the comparison at a given day is with the communities that
    have not switched by then; the gaps are averaged over waves (weighted by
    their communities).
    """
    switch = communities.set_index("community")["switch_day"]
    df = reform.assign(switch=reform["community"].map(switch).astype(float))
    rows = []
    for day in sorted(d for d in switch.unique() if d >= 0):
        wave = df["switch"] == day
        later = (df["switch"] > day) | (df["switch"] < 0)
        relative = (df["step"] - day) // MONTH
        near = relative.between(-months, months)
        treated = df[wave & near].groupby(relative[wave & near])[outcome].mean()
        control_rows = later & near & ((df["switch"] < 0) | (df["step"] < df["switch"]))
        control = df[control_rows].groupby(relative[control_rows])[outcome].mean()
        gap = (treated - control).dropna()
        rows.append(pd.DataFrame({"month": gap.index, "gap": gap.to_numpy(), "weight": int((switch == day).sum())}))
    table = pd.concat(rows)
    return table.groupby("month").apply(lambda t: np.average(t["gap"], weights=t["weight"]), include_groups=False)


def interval(values: np.ndarray, level: float = 0.95) -> tuple[float, float, float]:
    """Mean and a t interval over replications (NaN bounds with fewer than two)."""
    values = np.asarray(values, dtype=float)
    mean = float(values.mean())
    if values.size < 2:
        return mean, float("nan"), float("nan")
    half = stats.t.ppf(0.5 + level / 2, values.size - 1) * values.std(ddof=1) / np.sqrt(values.size)
    return mean, mean - half, mean + half


def inequality(community_df: pd.DataFrame, outcomes: tuple[str, ...] = ("satisfaction", "needs_met"),
               last: int = 365) -> pd.DataFrame:
    """Spread across communities of each outcome's mean over the last ``last`` days: sd, range, 10th-90th."""
    end = community_df["step"].max()
    recent = community_df[community_df["step"] > end - last]
    means = recent.groupby("community", observed=True)[list(outcomes)].mean()
    return pd.DataFrame({
        "mean": means.mean(), "sd": means.std(ddof=1), "min": means.min(), "p10": means.quantile(0.1),
        "p90": means.quantile(0.9), "max": means.max()})
