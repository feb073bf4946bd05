"""Morris screening against seed noise: which parameters move an outcome, and which move nothing.

SALib's mu* says how much an outcome moves when a parameter moves across its
range, but a stochastic model's elementary effects hold seed noise too: with
common random numbers the two runs of a step share their seed, yet a changed
parameter sends them down different paths.  With two or more replications,
each step's elementary effect is computed in every replication, and for each
parameter and outcome:

* ``noise``: the mu* that seed noise alone would give (from the spread of a
  step's effect between replications: sqrt(2/pi) times its standard error);
* ``p_value``: an F test that the mean effects over trajectories are no
  larger than that noise (numerator: the squared mean effects, T degrees of
  freedom; denominator: the replications' spread, T(R-1)); small when the
  parameter moves the outcome beyond seed noise;
* ``mu_star_relative``: mu* over the outcome's range across the screen's
  design points (the mean over replications at each point), so effects on
  outcomes of different units compare.

A parameter moves an outcome when ``p_value`` < :data:`NOISE_P`.  When every
elementary effect is exactly 0 the runs were identical: the parameter is not
read at all in that scenario (or its range held one value).
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd

NOISE_P = 0.001
"""The p-value below which a parameter moves an outcome beyond seed noise (a few dozen outcomes are tested per
parameter, so a parameter of pure noise is called moving in about 2.5% of scenarios)."""

MOVES = "moves"
NOISE = "within seed noise"
NOTHING = "no effect (identical runs)"


def elementary_effects(x: np.ndarray, y: np.ndarray, bounds: np.ndarray) -> np.ndarray:
    """The elementary effect of each trajectory's step, per replication.

    Args:
        x: the raw Morris sample, T(k+1) x k, trajectory by trajectory.
        y: the outcome at each point, replications x T(k+1).
        bounds: k x 2, the sampler's bounds (effects are per whole range of each parameter).

    Returns:
        replications x T x k: the change of the outcome over the change of the one parameter each step moves,
        both in units of the parameter's range.
    """
    k = x.shape[1]
    t = len(x) // (k + 1)
    xn = (x - bounds[:, 0]) / (bounds[:, 1] - bounds[:, 0])
    dx = np.diff(xn.reshape(t, k + 1, k), axis=1)                    # T x steps x k
    moved = np.argmax(np.abs(dx), axis=2)                              # the parameter each step moves
    step = np.take_along_axis(dx, moved[..., None], axis=2)[..., 0]    # T x steps
    dy = np.diff(np.atleast_2d(y).reshape(-1, t, k + 1), axis=2)       # R x T x steps
    ee = np.full((dy.shape[0], t, k), np.nan)
    rows = np.repeat(np.arange(t), k)
    ee[:, rows, moved.ravel()] = (dy / step).reshape(dy.shape[0], -1)
    return ee


def noise_statistics(ee: np.ndarray) -> dict[str, np.ndarray]:
    """mu* of the mean effects, the noise floor and the F test's p-value, per parameter (see the module)."""
    from scipy.stats import f as f_dist

    r, t, _ = ee.shape
    mean = ee.mean(axis=0)                                   # T x k
    mu_star = np.abs(mean).mean(axis=0)
    if r < 2:
        nan = np.full(ee.shape[2], np.nan)
        return {"mu_star": mu_star, "noise": nan, "p_value": nan}
    within = ((ee - mean) ** 2).sum(axis=(0, 1)) / (t * (r - 1))   # pooled variance of one effect
    between = r * (mean**2).sum(axis=0) / t
    with np.errstate(invalid="ignore", divide="ignore"):
        ratio = between / within
        p = np.where(within > 0, f_dist.sf(ratio, t, t * (r - 1)), np.where(between > 0, 0.0, np.nan))
    return {"mu_star": mu_star, "noise": math.sqrt(2 / math.pi) * np.sqrt(within / r), "p_value": p}


def verdict(mu_star: float, p_value: float) -> str:
    """Whether a parameter moves an outcome, in words."""
    if mu_star == 0:
        return NOTHING
    return MOVES if p_value < NOISE_P else NOISE


def screen(x: np.ndarray, y: np.ndarray, bounds: np.ndarray, names: list[str]) -> pd.DataFrame:
    """For one outcome: each parameter's mu* (of the mean over replications), its noise floor, p-value and verdict.

    ``y`` is replications x points; ``mu_star_relative`` is mu* over the range of the mean over replications.
    """
    ee = elementary_effects(x, y, bounds)
    stats = noise_statistics(ee)
    means = np.atleast_2d(y).mean(axis=0)
    spread = float(np.ptp(means))
    table = pd.DataFrame({"parameter": names, "noise": stats["noise"], "p_value": stats["p_value"]})
    table["mu_star_relative"] = stats["mu_star"] / spread if spread > 0 else np.nan
    table["verdict"] = [verdict(m, p) for m, p in zip(stats["mu_star"], stats["p_value"], strict=True)]
    return table


def by_parameter(sensitivity: pd.DataFrame) -> pd.DataFrame:
    """One row per scenario and parameter: the outcome it moves most (relative mu*) and whether it moves any.

    Among the outcomes it moves beyond noise the largest relative mu*; when it moves none, the largest anyway.
    """
    rows = []
    for (scenario, parameter), d in sensitivity.groupby(["scenario", "parameter"], sort=False):
        moving = d[d["verdict"] == MOVES]
        pool = moving if len(moving) else d
        best = pool.loc[pool["mu_star_relative"].fillna(-1).idxmax()]
        if len(moving):
            word = MOVES
        elif (d["verdict"] == NOTHING).all():
            word = NOTHING
        else:
            word = NOISE
        rows.append({"scenario": scenario, "parameter": parameter, "outcome": best["outcome"],
                     "mu_star": best["mu_star"], "mu_star_relative": best["mu_star_relative"],
                     "noise": best["noise"], "p_value": best["p_value"], "outcomes_moved": len(moving),
                     "verdict": word})
    return pd.DataFrame(rows)


def inert(table: pd.DataFrame) -> list[str]:
    """Parameters that move no outcome beyond seed noise in any scenario of the screen."""
    moving = table.groupby("parameter", sort=False)["verdict"].apply(lambda v: (v == MOVES).any())
    return [p for p, moves in moving.items() if not moves]
