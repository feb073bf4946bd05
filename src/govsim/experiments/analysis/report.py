"""``govsim analyze``: the tables, figures and headline of a results folder.

:func:`analyze_results` reads a results folder (finished or not) and writes,
into ``DIR/analysis/``, each table as Parquet and CSV - ``summary``,
``differences`` (with several scenarios), ``sensitivity`` (Sobol and Morris
designs), ``timeseries_summary`` - and the figures: the outcomes over time,
satisfaction by group (for a few configurations), and the design kind's own
(see :mod:`govsim.experiments.designs`).  :func:`format_report` is what the
command prints.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from govsim.errors import InputError
from govsim.experiments.analysis import text
from govsim.experiments.analysis.city import CityEvaluation, evaluate, is_city
from govsim.experiments.analysis.results import Results, load_results
from govsim.experiments.analysis.statistics import SeriesSummary, paired_differences, summarise, summarise_series
from govsim.experiments.designs import KINDS, DesignKind
from govsim.files import atomic_path
from govsim.params import SHARE_GROUPS

MAX_SERIES_LINES = 12
"""Up to this many configurations the time series shows one line each; above, families of them."""
MAX_GROUP_BARS = 6
"""Up to this many configurations satisfaction by group is drawn."""


@dataclass
class Analysis:
    """What :func:`analyze_results` computed and wrote."""

    out: Path
    results: Results
    kind: DesignKind
    reference: str | None
    summary: pd.DataFrame
    differences: pd.DataFrame | None = None
    sensitivity: pd.DataFrame | None = None
    series: SeriesSummary | None = None
    tables: dict[str, pd.DataFrame] = field(default_factory=dict)
    city: CityEvaluation | None = None
    files: list[Path] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    @property
    def shown_outcomes(self) -> list[str]:
        return self.results.shown_outcomes()


def analyze_results(root: str | Path, reference: str | None = None, figures: bool = True,
                    out: str | Path | None = None) -> Analysis:
    """Write the summary tables (Parquet and CSV) and figures (PNG) of a results folder into ``out``.

    Raises:
        InputError: the folder is missing, holds no results or a damaged file; ``reference`` is not one of
            its scenarios; ``out`` is a file or cannot be written.
    """
    results = load_results(root)
    kind = KINDS.get(results.kind)
    if kind is None:
        raise InputError(f"records a {results.kind!r} design, which this govsim does not know",
                         source=str(results.root))
    scenarios = results.scenarios
    reference = reference or results.manifest.get("reference")
    if reference is not None and reference not in scenarios:
        raise InputError(f"unknown scenario {reference!r}; the experiment's scenarios: {', '.join(scenarios)}",
                         key="--reference")
    out = Path(out) if out is not None else results.root / "analysis"
    if out.exists() and not out.is_dir():
        raise InputError("is a file; give a folder for the tables and figures", source=str(out), key="--out")

    analysis = Analysis(out, results, kind, reference, summarise(results))
    if results.design_keys and not results.table_keys:
        analysis.notes.append(f"{len(results.design_keys)} parameters vary: the summary tables name each "
                              "configuration by config_id and point; design.parquet holds their values")
    n_ok, n_all = len(results.ok), results.manifest["runs"]
    if n_ok < n_all:
        analysis.notes.append(f"{n_ok:,} of {n_all:,} runs finished ok; the tables cover those")
    if reference is not None and len(scenarios) > 1:
        analysis.differences = paired_differences(results, reference)
    analysis.sensitivity, notes = kind.indices(results)
    analysis.notes.extend(notes)
    analysis.tables.update(kind.tables(analysis))
    analysis.series = summarise_series(results)
    if is_city(results):
        keys = results.design_keys
        analysis.city = evaluate(results, lambda run: text.point_label(run, keys))
        analysis.notes.extend(analysis.city.notes)
        analysis.tables.update({k: v for k, v in analysis.city.tables().items() if len(v)})
    try:
        _write_all(analysis, figures)
    except OSError as e:
        raise InputError(f"cannot write the analysis: {e.strerror or e}", source=str(out), key="--out") from None
    return analysis


def _write_all(analysis: Analysis, figures: bool) -> None:
    out = analysis.out
    tables = {"summary": analysis.summary, "differences": analysis.differences,
              "sensitivity": analysis.sensitivity,
              "timeseries_summary": analysis.series.table if analysis.series is not None else None,
              **analysis.tables}
    for name, frame in tables.items():
        if frame is None or not len(frame):
            continue
        analysis.files.append(_write(frame, out / f"{name}.parquet"))
        analysis.files.append(_write(frame, out / f"{name}.csv"))
    if figures:
        analysis.files.extend(draw_figures(analysis))
    with atomic_path(out / "notes.json") as tmp:
        tmp.write_text(json.dumps({"reference": analysis.reference, "notes": analysis.notes}, indent=2) + "\n")
    analysis.files.append(out / "notes.json")


def _write(frame: pd.DataFrame, path: Path) -> Path:
    with atomic_path(path) as tmp:
        if path.suffix == ".csv":
            frame.to_csv(tmp, index=False, float_format="%.6g")
        else:
            frame.to_parquet(tmp, index=False)
    return path


# --- figures ------------------------------------------------------------------------------------------


def draw_figures(analysis: Analysis) -> list[Path]:
    """The time series, satisfaction by group (few configurations) and the design kind's figures."""
    from govsim.experiments.figures.groups import GROUP_OUTCOMES, satisfaction_by_group_figure
    from govsim.experiments.figures.style import save

    results, out = analysis.results, analysis.out
    written_files = []
    fig = timeseries(analysis)
    if fig is not None:
        written_files.append(save(fig, out / "timeseries.png"))
    configs = analysis.summary.drop_duplicates(["scenario", "point"])
    kept = [o for o in GROUP_OUTCOMES if o in results.outcomes]
    if 0 < len(configs) <= MAX_GROUP_BARS and "satisfaction" in kept and len(kept) > 1:
        keys = results.design_keys
        labels = {(r["scenario"], int(r["point"])): text.point_label(r, keys) for _, r in configs.iterrows()}
        fig = satisfaction_by_group_figure(analysis.summary, labels, results.name, results.replications)
        written_files.append(save(fig, out / "satisfaction_by_group.png"))
    written_files += analysis.kind.figures(analysis, out)
    if analysis.city is not None:
        written_files += city_figures(analysis.city, results, out)
    return written_files


def city_figures(evaluation: CityEvaluation, results: Results, out: Path) -> list[Path]:
    """The event study and the spread across communities of a city experiment."""
    from govsim.experiments.analysis.city import EVALUATED, SPREAD
    from govsim.experiments.figures.city import event_study_figure, inequality_figure
    from govsim.experiments.figures.style import save

    written = []
    if len(evaluation.event_study):
        shown = [o for o in EVALUATED if o in results.outcomes][:6]
        fig = event_study_figure(evaluation.event_study, shown, results.name, results.replications)
        written.append(save(fig, out / "event_study.png"))
    if len(evaluation.community_means):
        means = evaluation.community_means.assign(
            configuration=evaluation.community_means["config_id"].map(evaluation.labels))
        fig = inequality_figure(means, evaluation.inequality, list(SPREAD), results.name)
        written.append(save(fig, out / "inequality.png"))
    return written


def timeseries(analysis: Analysis):  # -> Figure | None (matplotlib is imported only when drawing)
    """The outcomes over time, grouped so that the caption can say exactly what each band is."""
    from govsim.experiments.figures.timeseries import (
        configuration_bands,
        family_bands,
        pooled_bands,
        timeseries_figure,
    )

    series, results = analysis.series, analysis.results
    if series is None or not len(series.table):
        return None
    shown = analysis.shown_outcomes
    table = series.table[series.table["outcome"].isin(shown)]
    reps = results.replications
    if series.level == "scenario":
        bands = pooled_bands(table)
        caption = ("line: mean over all runs of each scenario, pooled over its configurations; band: 95% interval "
                   "of that pooled mean (it includes the differences between configurations)")
    elif table["config_id"].nunique() <= MAX_SERIES_LINES:
        keys = results.design_keys
        several = len(results.scenarios) > 1 or not keys
        bands = configuration_bands(table, lambda row: text.point_label(row, keys, scenario=several))
        caption = (f"line: mean over {text.plural(reps, 'replication')} of each configuration; band: 95% confidence "
                   "interval of that mean")
    else:
        family, order = _family(results)
        bands = family_bands(table, family, order)
        n = table["config_id"].nunique()
        families = "1 family" if len(bands) == 1 else f"{len(bands)} families"
        caption = (f"{n} configurations in {families}; line: mean of the family's configuration means "
                   f"(each over {text.plural(reps, 'replication')}); band: 10th-90th percentile of those means - how "
                   "much the configurations differ, not a confidence interval")
    return timeseries_figure(bands, shown, results.name, caption)


def _family(results: Results) -> tuple[Callable[[pd.Series], str], list[str]]:
    """How configurations are grouped in the time series of a large design, and the order of the groups.

    A simplex of shares: by which share is largest (the role the centre leans to), ties together;
    otherwise by scenario.
    """
    several = len(results.scenarios) > 1
    simplex = next((f["key"] for f in results.factors if f["form"] == "simplex"), None)
    if simplex is None:
        return (lambda row: str(row["scenario"])), list(results.scenarios)
    members = SHARE_GROUPS[simplex]
    names = [f"{m.rsplit('.', 1)[-1]} has the largest share" for m in members] + ["no single largest share"]

    def dominant(row: pd.Series) -> str:
        shares = [float(row[m]) for m in members]
        leaders = [i for i, s in enumerate(shares) if abs(s - max(shares)) < 1e-9]
        name = names[leaders[0]] if len(leaders) == 1 else names[-1]
        return f"{row['scenario']}: {name}" if several else name

    order = [f"{s}: {n}" for s in results.scenarios for n in names] if several else names
    return dominant, order


# --- what the command prints -----------------------------------------------------------------------------


def format_report(analysis: Analysis, limit: int = 6) -> str:
    """A few lines for the terminal: the design's headline, the main outcomes' means with 95% CIs, and the
    paired differences from the reference scenario (for designs of at most ``limit`` configurations)."""
    results = analysis.results
    outcomes = analysis.shown_outcomes
    each = text.plural(results.replications, "replication")
    first = f"{results.name}: {len(results.ok):,} runs finished ok ({each} of each configuration)"
    lines = [first]
    lines += [f"note: {n}" for n in analysis.notes]
    headline = analysis.kind.headline(analysis) + text.paired_headline(analysis)
    if analysis.city is not None:
        headline = text.evaluation_headline(analysis.city, results.headline_outcome) + headline
    if headline:
        lines += ["", *headline]
    if analysis.city is not None and len(analysis.city.effects):
        lines += ["", *text.evaluation_table(analysis.city.effects)]
    keys = results.design_keys
    s = analysis.summary
    s = s[(s["statistic"] == "mean") & s["outcome"].isin(outcomes)]
    groups = s.drop_duplicates(["scenario", "point"])
    if 0 < len(groups) <= limit:
        lines.append("")
        lines += text.table("mean over kept days [95% CI]", [text.point_label(r, keys) for _, r in groups.iterrows()],
                            outcomes, lambda i, o: _lookup(s, groups.iloc[i], o, "mean"))
    d = analysis.differences
    if d is not None and len(d):
        d = d[(d["statistic"] == "mean") & d["outcome"].isin(outcomes)]
        pairs = d.drop_duplicates(["scenario", "point"])
        if 0 < len(pairs) <= limit:
            lines.append("")
            lines += text.table(f"paired difference from {analysis.reference}",
                                [text.point_label(r, keys) for _, r in pairs.iterrows()], outcomes,
                                lambda i, o: _lookup(d, pairs.iloc[i], o, "difference", sign=True))
    if len(groups) > limit:
        lines.append(f"({len(groups)} configurations: see the tables)")
    return "\n".join(lines)


def _lookup(frame: pd.DataFrame, group: pd.Series, outcome: str, column: str, sign: bool = False) -> str:
    row = frame[(frame["scenario"] == group["scenario"]) & (frame["point"] == group["point"])
                & (frame["outcome"] == outcome)]
    if not len(row):
        return ""
    r = row.iloc[0]
    return text.cell(r[column], r["ci_low"], r["ci_high"], sign)
