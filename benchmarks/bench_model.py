"""Speed and memory of the community model, side by side with Mesa's own BoltzmannWealth.

    python benchmarks/bench_model.py            # the README's figures (about two minutes)
    python benchmarks/bench_model.py --quick    # fewer steps, for a smoke check

It prints resident-steps per second of ``guiyang_2012`` at 30,000 residents
over 365 steps, agent-steps per second of Mesa's BoltzmannWealth example at
10,000 agents (one Python object per agent) measured in the same run, their
ratio, and the time per step and peak memory of a 1,000,000-resident
community run in a fresh process.  Only the ratio travels between machines.
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SCENARIO = ROOT / "scenarios" / "guiyang_2012.toml"


def govsim_rate(residents: int, steps: int, seed: int) -> float:
    """Resident-steps per second of one run (model construction excluded)."""
    import govsim

    model = govsim.CommunityModel(govsim.load_scenario(SCENARIO, {"population.residents": residents}), rng=seed)
    start = time.perf_counter()
    model.run(steps)
    return residents * steps / (time.perf_counter() - start)


def mesa_rate(agents: int, steps: int) -> float:
    """Agent-steps per second of Mesa's BoltzmannWealth example (with its data collection)."""
    from mesa.examples.basic.boltzmann_wealth_model.model import BoltzmannScenario, BoltzmannWealth

    model = BoltzmannWealth(BoltzmannScenario(n=agents, width=100, height=100, rng=1))
    start = time.perf_counter()
    for _ in range(steps):
        model.step()
    return agents * steps / (time.perf_counter() - start)


def big_run(residents: int, steps: int) -> dict:
    """Build and run a very large community in a fresh process; report time and peak memory."""
    code = f"""
import json, resource, time, govsim
t0 = time.perf_counter()
m = govsim.CommunityModel(govsim.load_scenario({str(SCENARIO)!r}, {{"population.residents": {residents}}}), rng=1)
t1 = time.perf_counter()
m.run({steps})
t2 = time.perf_counter()
print(json.dumps({{"build_s": t1 - t0, "step_s": (t2 - t1) / {steps},
                  "peak_mib": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}}))
"""
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    return json.loads(out.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="fewer steps and repeats")
    parser.add_argument("--json", type=Path, help="also write the figures to this JSON file")
    args = parser.parse_args()
    steps, repeats = (60, 1) if args.quick else (365, 3)

    # Interleave the two so that both see the same load on a shared machine.
    ours, theirs = [], []
    for seed in range(1, repeats + 1):
        ours.append(govsim_rate(30_000, steps, seed))
        theirs.append(mesa_rate(10_000, 10 if args.quick else 30))
    ours, theirs = statistics.median(ours), statistics.median(theirs)
    big = big_run(1_000_000, 5 if args.quick else 20)
    figures = {
        "govsim_resident_steps_per_s": ours,
        "mesa_boltzmann_agent_steps_per_s": theirs,
        "ratio": ours / theirs,
        "million_build_s": big["build_s"],
        "million_step_s": big["step_s"],
        "million_peak_mib": big["peak_mib"],
    }
    print(f"govsim guiyang_2012, 30,000 residents x {steps} steps: {ours / 1e6:6.2f} M resident-steps/s")
    print(f"Mesa BoltzmannWealth, 10,000 agents:                {theirs / 1e6:6.3f} M agent-steps/s")
    print(f"ratio:                                              {ours / theirs:6.0f} x  (target >= 50 x)")
    print(f"1,000,000 residents: build {big['build_s']:.1f} s, {big['step_s'] * 1e3:.0f} ms a step, "
          f"peak memory {big['peak_mib']:.0f} MiB (target < 2048 MiB)")
    if args.json:
        args.json.write_text(json.dumps(figures, indent=2))


if __name__ == "__main__":
    main()
