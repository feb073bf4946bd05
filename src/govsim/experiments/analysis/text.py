"""What ``govsim analyze`` prints: headlines of what a design found, and small tables with intervals.

The headlines say exactly what they rank by and over what ("highest", not
"best": which direction is good depends on the outcome), and whether the
runner-up can be told apart.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

if TYPE_CHECKING:
    from govsim.experiments.analysis.city import CityEvaluation
    from govsim.experiments.analysis.report import Analysis


def plural(n: int, word: str) -> str:
    """``1 replication``, ``3 replications``."""
    return f"{n:,} {word}{'' if n == 1 else 's'}"


def short(value: object) -> str:
    return f"{value:.3g}" if isinstance(value, float) else str(value)


def cell(mean: float, low: float, high: float, sign: bool = False) -> str:
    """``0.512 [0.508, 0.516]``; without an interval (one replication) just the mean."""
    f = "{:+.3f}" if sign else "{:.3f}"
    if low is None or np.isnan(low):
        return f.format(mean)
    return f"{f.format(mean)} [{f.format(low)}, {f.format(high)}]"


def point_label(row: pd.Series, keys: list[str], scenario: bool = True) -> str:
    """A configuration in words: ``guiyang_2012 staff=30 quality=0.5``."""
    parts = [str(row["scenario"])] if scenario else []
    parts += [f"{k.rsplit('.', 1)[-1]}={short(row[k])}" for k in keys if k in row.index]
    return " ".join(parts)


def best_configurations(analysis: Analysis, what: str) -> list[str]:
    """The configuration with the highest headline outcome in each scenario, its CI, and the runner-up's."""
    results = analysis.results
    outcome = results.headline_outcome
    keys = results.design_keys
    s = analysis.summary
    s = s[(s["statistic"] == "mean") & (s["outcome"] == outcome)]
    lines = []
    for scenario in results.scenarios[:3]:
        d = s[s["scenario"] == scenario].sort_values("mean", ascending=False)
        if not len(d):
            continue
        best = d.iloc[0]
        where = f" in {scenario}" if len(results.scenarios) > 1 else ""
        lines.append(f"{what} with the highest {outcome} (mean over kept days){where}: "
                     f"{point_label(best, keys, scenario=False)}: {cell(best['mean'], best['ci_low'], best['ci_high'])}"
                     f" (95% CI, {plural(int(best['n']), 'replication')})")
        if len(d) > 1:
            second = d.iloc[1]
            apart = "" if second["ci_high"] < best["ci_low"] else "; the intervals overlap: the two are not told apart"
            lines.append(f"  next: {point_label(second, keys, scenario=False)}: "
                         f"{cell(second['mean'], second['ci_low'], second['ci_high'])}{apart}")
    return lines


def top_factors(analysis: Analysis, column: str, conf: str, index: str, count: int = 3) -> list[str]:
    """The parameters with the largest index for the headline outcome, with their 95% confidence."""
    results = analysis.results
    outcome = results.headline_outcome
    table = analysis.sensitivity
    if table is None or not len(table):
        return [f"no sensitivity indices yet for {outcome} (see the notes)"]
    lines = []
    for scenario in results.scenarios[:2]:
        d = table[(table["scenario"] == scenario) & (table["outcome"] == outcome)].sort_values(column, ascending=False)
        if not len(d):
            continue
        listed = ", ".join(f"{p} {v:.3g} \u00b1 {c:.2g}" for p, v, c in zip(d["parameter"][:count], d[column][:count],
                                                                         d[conf][:count], strict=True))
        lines.append(f"parameters that matter most for {outcome} by {index} ({scenario}): {listed}")
    return lines


def screening_lines(analysis: Analysis, listed: int = 12) -> list[str]:
    """How many parameters move some outcome beyond seed noise, and those that move none (a screen's finding)."""
    from govsim.experiments.analysis.screening import MOVES, NOISE_P, inert

    table = analysis.tables.get("screening")
    if table is None or not len(table) or table["p_value"].isna().all():
        return []
    lines = []
    for scenario, d in table.groupby("scenario", sort=False):
        lines.append(f"{scenario}: {int((d['verdict'] == MOVES).sum())} of {len(d)} parameters move some outcome "
                     f"beyond seed noise (F test, p < {NOISE_P:g})")
    quiet = inert(table)
    if quiet:
        shown = ", ".join(quiet[:listed]) + (f" and {len(quiet) - listed} more" if len(quiet) > listed else "")
        where = "any scenario" if table["scenario"].nunique() > 1 else "this scenario"
        lines.append(f"move no outcome beyond seed noise in {where}: {shown} (see screening.csv)")
    else:
        lines.append("every parameter moves some outcome beyond seed noise")
    return lines


def rank_correlations(analysis: Analysis, count: int = 3) -> list[str]:
    """The parameters most associated with the headline outcome (Spearman's rank correlation over runs)."""
    results = analysis.results
    outcome = results.headline_outcome
    ok = results.ok
    lines = []
    for scenario in results.scenarios[:2]:
        d = ok[ok["scenario"] == scenario]
        if len(d) < 3:
            continue
        y = d[f"{outcome}_mean"].rank()
        rho = {k: float(d[k].astype(float).rank().corr(y)) for k in results.design_keys}
        top = sorted(rho.items(), key=lambda kv: -abs(kv[1]) if np.isfinite(kv[1]) else 0)[:count]
        listed = ", ".join(f"{k} {v:+.2f}" for k, v in top)
        lines.append(f"strongest associations with {outcome} ({scenario}, Spearman's rank correlation over "
                     f"{len(d):,} runs; the other parameters vary too): {listed}")
    return lines


def paired_headline(analysis: Analysis) -> list[str]:
    """Each scenario's paired difference from the reference in the headline outcome."""
    d = analysis.differences
    if d is None or not len(d):
        return []
    outcome = analysis.results.headline_outcome
    d = d[(d["statistic"] == "mean") & (d["outcome"] == outcome)]
    if d["point"].nunique() != 1:
        return []  # one difference per design point: the table says it
    listed = "; ".join(f"{r['scenario']} {cell(r['difference'], r['ci_low'], r['ci_high'], sign=True)}"
                       for _, r in d.iterrows())
    return [f"{outcome} minus {analysis.reference} (paired: same seeds, 95% CI): {listed}"]


def table(title: str, headers: list[str], rows: list[str], value: Callable[[int, str], str]) -> list[str]:
    """A small text table: one column per header, one line per row name."""
    cells = [[value(i, name) for i in range(len(headers))] for name in rows]
    width = max(24, *(len(h) + 2 for h in headers), *(len(c) + 2 for line in cells for c in line))
    first = max(26, len(title) + 2)
    out = [title.ljust(first) + "".join(h.rjust(width) for h in headers)]
    for name, line in zip(rows, cells, strict=True):
        out.append(name.ljust(first) + "".join(c.rjust(width) for c in line))
    return out


def evaluation_headline(evaluation: CityEvaluation, outcome: str) -> list[str]:
    """``DiD estimate X [a, b] vs true effect Y [c, d]`` for each reformed configuration, in one outcome."""
    e = evaluation.effects
    if not len(e):
        return []
    d = e[e["outcome"] == outcome]
    if not len(d):
        d = e[e["outcome"] == e["outcome"].iloc[0]]
        outcome = str(d["outcome"].iloc[0])
    lines = []
    for _, r in d.iterrows():
        where = f" ({r['configuration']})" if e["config_id"].nunique() > 1 else ""
        line = f"pilots' effect on {outcome}{where}: DiD estimate {_estimate(r, 'did')}"
        if r["n_pairs"] > 0:
            line += (f" vs true effect {_estimate(r, 'true_effect')} (95% CI over "
                     f"{plural(int(r['n_pairs']), 'replication')})")
        else:
            line += f" (95% CI over {plural(int(r['n']), 'replication')}; no counterfactual: true effect unknown)"
        lines.append(line)
    return lines


def _estimate(row: pd.Series, column: str) -> str:
    """An evaluation's mean and interval, or why there is none."""
    if not np.isfinite(row[f"{column}_mean"]):
        return "undefined (no community left unreformed to compare with, or nothing to measure)"
    return cell(row[f"{column}_mean"], row[f"{column}_ci_low"], row[f"{column}_ci_high"], sign=True)


def evaluation_table(effects: pd.DataFrame, limit: int = 3) -> list[str]:
    """The DiD estimate, the true effect and their difference side by side, per outcome (a few configurations)."""
    lines: list[str] = []
    for config in list(dict.fromkeys(effects["config_id"]))[:limit]:
        d = effects[effects["config_id"] == config].reset_index(drop=True)
        name = d["configuration"].iloc[0]
        headers = ["DiD estimate", "true effect", "DiD minus truth"]

        def value(i: int, outcome: str, d: pd.DataFrame = d) -> str:
            r = d[d["outcome"] == outcome].iloc[0]
            column = ("did", "true_effect", "bias")[i]
            return cell(r[f"{column}_mean"], r[f"{column}_ci_low"], r[f"{column}_ci_high"], sign=True) \
                if np.isfinite(r[f"{column}_mean"]) else "-"

        lines += table(f"pilots' effect, {name} [95% CI]", headers, list(d["outcome"]), value)
    return lines
