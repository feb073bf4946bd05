"""Benchmark of the experiment engine: throughput, parallel efficiency, and Dask's overhead per run.

    python benchmarks/bench_sweep.py            # MINUTES on 2 cores
    python benchmarks/bench_sweep.py --quick    # a smoke test of the script

1. A sweep of ``--runs`` runs of about ``--seconds`` each (guiyang_2012; the
   number of days is tuned to the run length) on the local process pool with
   1 worker and with N workers: runs per second and parallel efficiency
   (runs/s with N workers / (N x runs/s with 1)), and the share of the
   workers' time spent inside runs (what the engine's own overhead leaves).
   The pools are started and warmed before timing; the time includes writing
   every result to disk; the two pools take turns ``--repeat`` times.  Each
   figure is given as the range over the repeats (other work on a shared
   machine moves it) and the best, since other work can only slow a sweep.
2. A sweep of ``--tiny-runs`` runs of 5 days each (each still builds its
   model and runs the model's 180-day warm-up: about half a second) on the
   local pool and on a Dask LocalCluster, both with N workers and warmed: the
   difference in wall time per run is Dask's overhead over the local pool
   (a range over the repeats, pairing each repeat's two sweeps).
3. A city: one run of guiyang_city (``--city-scale``, ``--city-days``) in this
   process, and the same run as a sweep of one task (serially): the engine's
   cost of a city task, which also writes every community's series.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import sys
import tempfile
import time
from pathlib import Path

from govsim.experiments import load_experiment
from govsim.experiments.runner import default_workers, process_pool
from govsim.experiments.sweep import run_experiment

EXPERIMENT = """
name = "bench"
description = "benchmark"
scenario = "guiyang_2012"
seed = 1
replications = {runs}
steps = {steps}
[set]
"population.residents" = {residents}
"""


def experiment(folder: Path, name: str, runs: int, steps: int, residents: int):
    path = folder / f"{name}.toml"
    path.write_text(EXPERIMENT.format(runs=runs, steps=steps, residents=residents).replace('"bench"', f'"{name}"'))
    return load_experiment(path)


def one_run_seconds(steps: int, residents: int) -> tuple[float, float]:
    """Seconds to build the model (with its warm-up) and to run ``steps`` days."""
    import govsim
    from govsim.scenario import load_scenario

    scenario = load_scenario("guiyang_2012", {"population.residents": residents})
    govsim.CommunityModel(scenario, rng=0).run(5)  # warm caches
    start = time.perf_counter()
    model = govsim.CommunityModel(scenario, rng=0)
    built = time.perf_counter()
    model.run(steps)
    return built - start, time.perf_counter() - built


CITY = """
name = "city"
description = "benchmark"
scenario = "guiyang_city"
seed = 1
replications = 1
steps = {steps}
[set]
"population.scale" = {scale}
"""


def city_seconds(folder: Path, scale: int, steps: int) -> tuple[float, float]:
    """One city run in this process, and the same run as a one-task sweep (serial, written to disk)."""
    from govsim.city import CityModel
    from govsim.experiments.runner import SerialExecutor

    start = time.perf_counter()
    CityModel("guiyang_city", rng=0, **{"population.scale": scale}).run(steps)
    direct = time.perf_counter() - start
    path = folder / "city.toml"
    path.write_text(CITY.format(steps=steps, scale=scale))
    start = time.perf_counter()
    report = run_experiment(load_experiment(path), folder / "city", executor=SerialExecutor(), progress=False,
                            echo=lambda _: None)
    assert report.ok == 1, report
    return direct, time.perf_counter() - start


def warm(executor, workers: int) -> None:
    """Start every worker (and import the model there) before timing."""
    futures = [executor.submit(_touch, i) for i in range(4 * workers)]
    for f in futures:
        f.result()


def _touch(i: int) -> int:
    import govsim.model  # noqa: F401

    time.sleep(0.05)
    return i


def timed_sweep(exp, out: Path, executor, workers: int) -> float:
    start = time.perf_counter()
    report = run_experiment(exp, out, executor=executor, workers=workers, progress=False, echo=lambda _: None)
    seconds = time.perf_counter() - start
    assert report.ok == exp.n_runs, report
    return seconds


def busy(out: Path, workers: int, seconds: float) -> float:
    """Share of the workers' time spent inside runs (the engine's overhead and idling are the rest)."""
    import pandas as pd

    return float(pd.read_parquet(out / "runs.parquet", columns=["wall_time"])["wall_time"].sum()) / (workers * seconds)


def spread(values: list[float], fmt: str) -> str:
    """A range ``low-high`` (one value alone if they agree)."""
    low, high = format(min(values), fmt), format(max(values), fmt)
    return low if low == high else f"{low}-{high}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=24, help="runs in the throughput sweep")
    parser.add_argument("--seconds", type=float, default=1.0, help="target length of one run")
    parser.add_argument("--residents", type=int, default=10_000, help="community size of the throughput runs")
    parser.add_argument("--workers", type=int, default=default_workers(), help="workers of the parallel sweep")
    parser.add_argument("--tiny-runs", type=int, default=300, help="runs in the overhead sweep")
    parser.add_argument("--city-scale", type=int, default=100, help="population.scale of the city run")
    parser.add_argument("--city-days", type=int, default=365, help="days of the city run")
    parser.add_argument("--repeat", type=int, default=2, help="time each sweep this many times; keep the best")
    parser.add_argument("--quick", action="store_true", help="a few short runs: checks the script works")
    parser.add_argument("--json", type=Path, default=None, help="also write the figures to this JSON file")
    args = parser.parse_args()
    if args.quick:
        args.runs, args.seconds, args.residents, args.tiny_runs, args.repeat = 4, 0.1, 1000, 20, 1
        args.city_scale, args.city_days = 1000, 10

    n = args.workers
    built, ran = one_run_seconds(100, args.residents)
    steps = max(1, round(max(args.seconds - built, 0.0) / (ran / 100)))
    results: dict = {"machine": {"cpus": os.cpu_count(), "usable_cpus": default_workers(),
                                 "python": platform.python_version(), "platform": platform.platform()}}
    print(f"machine: {os.cpu_count()} CPUs ({default_workers()} usable), Python {platform.python_version()}, "
          f"load average {os.getloadavg()[0]:.2f} (other work on the machine lowers the figures)")
    with tempfile.TemporaryDirectory() as folder:
        tmp = Path(folder)
        exp = experiment(tmp, "throughput", args.runs, steps, args.residents)
        run_length = sum(one_run_seconds(steps, args.residents))
        print(f"\n1. throughput: {args.runs} runs of guiyang_2012, {args.residents:,} residents, {steps} days "
              f"(~{run_length:.2f} s a run in this process, {built:.2f} s of it building the model)")
        print(f"{'backend':<10}{'workers':>8}{'runs/s':>16}{'efficiency':>14}{'workers busy':>16}")
        counts = sorted({1, n})
        pools = {w: process_pool(w) for w in counts}
        rates: dict[int, list[float]] = {w: [] for w in counts}
        busy_share: dict[int, list[float]] = {w: [] for w in counts}
        try:
            for w, pool in pools.items():
                warm(pool, w)
            # Alternate the pools, so that both meet the same neighbours on a shared machine.
            for r in range(args.repeat):
                for w in counts:
                    out = tmp / f"local-{w}-{r}"
                    seconds = timed_sweep(exp, out, pools[w], w)
                    rates[w].append(args.runs / seconds)
                    busy_share[w].append(busy(out, w, seconds))
        finally:
            for pool in pools.values():
                pool.shutdown()
        # Efficiency of each repeat from its own pair of sweeps, and of the best of each.
        efficiencies = [rates[n][r] / (n * rates[1][r]) for r in range(args.repeat)]
        for w in counts:
            eff = [rates[w][r] / (w * rates[1][r]) for r in range(args.repeat)]
            print(f"{'local':<10}{w:>8}{spread(rates[w], '.2f'):>16}{spread(eff, '.0%'):>14}"
                  f"{spread(busy_share[w], '.0%'):>16}")
        print(f"(ranges over {args.repeat} repeats; best runs/s: "
              + ", ".join(f"{w} workers {max(rates[w]):.2f}" for w in counts)
              + f"; efficiency of the best: {max(rates[n]) / (n * max(rates[1])):.0%})")
        print("efficiency: runs/s with N workers / (N x runs/s with 1); workers busy: share of the workers' "
              "time spent inside runs")
        results["throughput"] = {"runs": args.runs, "steps": steps, "residents": args.residents,
                                 "run_seconds": run_length, "repeats": args.repeat,
                                 "runs_per_second": {str(k): v for k, v in rates.items()},
                                 "workers_busy": {str(k): v for k, v in busy_share.items()},
                                 "efficiency": efficiencies}

        tiny = experiment(tmp, "overhead", args.tiny_runs, 5, 200)
        per_run: dict[str, list[float]] = {}
        pool = process_pool(n)
        try:
            warm(pool, n)
            per_run["local"] = [timed_sweep(tiny, tmp / f"tiny-local-{r}", pool, n) / args.tiny_runs
                                for r in range(args.repeat)]
        finally:
            pool.shutdown()
        try:
            import logging

            from distributed import Client, LocalCluster
        except ImportError:
            print("\n2. Dask overhead: skipped (pip install 'govsim[dask]')")
        else:
            with LocalCluster(n_workers=n, threads_per_worker=1, processes=True, dashboard_address=None,
                              silence_logs=logging.ERROR) as cluster, Client(cluster) as client:
                warm(client.get_executor(), n)
                # The path `govsim sweep --scheduler ADDRESS` takes (its own client, its window of runs in flight).
                per_run["dask"] = []
                for r in range(args.repeat):
                    start = time.perf_counter()
                    report = run_experiment(tiny, tmp / f"tiny-dask-{r}", backend="dask",
                                            scheduler=cluster.scheduler_address, progress=False, echo=lambda _: None)
                    assert report.ok == tiny.n_runs, report
                    per_run["dask"].append((time.perf_counter() - start) / args.tiny_runs)
            overhead = [1000 * (d - lo) for d, lo in zip(per_run["dask"], per_run["local"], strict=True)]
            print(f"\n2. Dask overhead: {args.tiny_runs} runs of 5 days, 200 residents, {n} workers "
                  f"(ranges over {args.repeat} repeats)")
            print(f"{'backend':<10}{'ms/run':>16}")
            print(f"{'local':<10}{spread([1000 * x for x in per_run['local']], '.1f'):>16}")
            print(f"{'dask':<10}{spread([1000 * x for x in per_run['dask']], '.1f'):>16}")
            print(f"Dask's overhead over the local pool: {spread(overhead, '.1f')} ms a run")
            results["dask_overhead"] = {"runs": args.tiny_runs, "workers": n,
                                        "ms_per_run": {k: [1000 * x for x in v] for k, v in per_run.items()},
                                        "overhead_ms": overhead}
        direct, swept = city_seconds(tmp, args.city_scale, args.city_days)
        print(f"\n3. a city: guiyang_city at population.scale {args.city_scale}, {args.city_days} days: "
              f"{direct:.1f} s in this process, {swept:.1f} s as a one-task sweep (with every community's series "
              "written)")
        results["city"] = {"scale": args.city_scale, "days": args.city_days, "direct_seconds": direct,
                           "sweep_seconds": swept}
    print(f"\nload average at the end: {os.getloadavg()[0]:.2f}")
    results["machine"]["load_average"] = os.getloadavg()[0]
    if args.json:
        args.json.write_text(json.dumps(results, indent=2) + "\n")


if __name__ == "__main__":
    sys.exit(main())
