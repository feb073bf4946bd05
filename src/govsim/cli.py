"""The ``govsim`` command line.

Bad input (a scenario, an override, an experiment) never ends in a traceback:
it prints one line naming the file, the key and what is allowed, writes
nothing, and exits with status 2.
"""

from __future__ import annotations

import sys
from pathlib import Path

import click

from govsim.errors import InputError


class _Group(click.Group):
    """A click group that turns InputError into one clear line and exit status 2."""

    def invoke(self, ctx):
        try:
            return super().invoke(ctx)
        except InputError as e:
            click.echo(f"govsim: error: {e}", err=True)
            sys.exit(2)


@click.group(cls=_Group, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="govsim")
def main():
    """Agent-based simulation of urban community governance (Guiyang's 2010-2012 reform)."""


def parse_sets(items: tuple[str, ...]) -> dict[str, str]:
    """``("centre.staff=30", ...)`` to a dict; values are parsed later against the schema."""
    out = {}
    for item in items:
        key, sep, value = item.partition("=")
        if not sep or not key.strip() or not value.strip():
            raise InputError("expected KEY=VALUE, e.g. --set centre.staff=30", source="--set", key=item)
        out[key.strip()] = value
    return out


@main.command()
@click.argument("scenario")
@click.option("--steps", type=click.IntRange(min=1), default=365, show_default=True, help="Days to simulate.")
@click.option("--seed", type=click.IntRange(min=0), default=0, show_default=True, help="Random seed.")
@click.option("--set", "sets", multiple=True, metavar="KEY=VALUE", help="Override a parameter (repeatable).")
@click.option("--out", type=click.Path(file_okay=False, path_type=Path), default=None,
              help="Output folder [default: results/<scenario name>].")
def run(scenario, steps, seed, sets, out):
    """Run one SCENARIO (a file, or a name in scenarios/) and write its time series and a figure."""
    from tqdm import tqdm

    from govsim.files import atomic_path
    from govsim.model import CommunityModel
    from govsim.outcomes import MAIN_OUTCOMES
    from govsim.plotting import plot_timeseries
    from govsim.scenario import load_scenario

    config = load_scenario(scenario).with_overrides(parse_sets(sets), source="--set")
    out = out or Path("results") / config.name
    model = CommunityModel(config, rng=seed)
    for _ in tqdm(range(steps), desc=config.name, unit="day", leave=False, disable=None):
        model.step()
    df = model.timeseries()

    with atomic_path(out / "timeseries.csv") as tmp:
        df.to_csv(tmp, index=False, float_format="%.6g")
    fig = plot_timeseries(df, f"{config.name} (seed {seed}, {config['population.residents']:,} residents)")
    with atomic_path(out / "outcomes.png") as tmp:
        fig.savefig(tmp, dpi=110, format="png")

    tail = df.iloc[-max(1, steps // 10):]
    click.echo(f"{config.name}: {config.description}")
    click.echo(f"seed {seed}, {steps} days, {config['population.residents']:,} residents")
    click.echo(f"{'outcome':<26}{'final':>8}{'last 10%':>10}")
    for name in MAIN_OUTCOMES:
        click.echo(f"{name:<26}{df[name].iloc[-1]:>8.3f}{tail[name].mean():>10.3f}")
    click.echo(f"wrote {out / 'timeseries.csv'} and {out / 'outcomes.png'}")


@main.command()
@click.option("--dir", "directory", type=click.Path(path_type=Path), default=None,
              help="Folder of scenario files [default: ./scenarios].")
def scenarios(directory):
    """List the scenario files with their descriptions."""
    from govsim.scenario import list_scenarios, scenario_dir

    directory = directory or scenario_dir()
    if not directory.is_dir():
        raise InputError("no such folder of scenario files", source=str(directory))
    found = list_scenarios(directory)
    width = max((len(s.name) for s in found), default=0)
    for s in found:
        click.echo(f"{s.name:<{width}}  {s.description}")


@main.command()
@click.option("--markdown", is_flag=True, help="Print a Markdown table (as in docs/parameters.md).")
def params(markdown):
    """List every parameter: default, allowed values, unit, meaning and source."""
    from govsim.params import table

    rows = table()
    if markdown:
        click.echo("| key | default | allowed | unit | meaning | source |\n|---|---|---|---|---|---|")
        for r in rows:
            click.echo("| " + " | ".join(str(r[c]).replace("|", "/") for c in r) + " |")
        return
    width = max(len(r["key"]) for r in rows)
    for r in rows:
        default = str(r["default"]).lower() if isinstance(r["default"], bool) else f"{r['default']:g}"
        click.echo(f"{r['key']:<{width}}  {default:>8}  {r['unit']:<16} {r['meaning']}")
        click.echo(f"{'':<{width}}  {'':>8}  allowed: {r['allowed']}; source: {r['source']}")


# Commands of the experiment engine and the browser page register here.
from govsim.viz.commands import serve  # noqa: E402

main.add_command(serve)
from govsim.experiments.commands import analyze, sweep  # noqa: E402

main.add_command(sweep)
main.add_command(analyze)
