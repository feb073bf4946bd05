"""Seeds and identities of runs: reproducible, recorded, shared across scenarios.

* One ``numpy.random.SeedSequence`` per experiment.  Replication ``r`` gets the
  seed spawned from it under the key ``(0, r)``, whatever the scenario or
  design point: **common random numbers**, so two scenarios compared at the
  same replication differ only where the scenarios differ.  Adding
  replications never changes the seeds of the existing ones.
* The seed is recorded as a plain integer (below 2**63) and is all the model
  needs: ``CommunityModel(scenario, rng=seed)`` or ``govsim run SCENARIO
  --seed SEED`` repeats a run exactly.
* A run's identity (``run_id``) is a hash of its resolved configuration (every
  parameter value, the scenario's name, steps, burn-in, thinning, kept
  outcomes and govsim's version), its replication index and its seed.  It is the same in any
  process and on any machine, and does not depend on the order of the design,
  so adding replications, scenarios or grid values leaves existing runs alone.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping, Sequence

import numpy as np

ID_VERSION = 1
"""Bumped if what goes into a run's identity ever changes."""

_REPLICATIONS = 0  # spawn-key namespaces under the experiment's SeedSequence
_DESIGN = 1


def replication_seed(experiment_seed: int, replication: int) -> int:
    """The integer seed of replication ``replication`` (the same for every scenario and point)."""
    ss = np.random.SeedSequence(int(experiment_seed), spawn_key=(_REPLICATIONS, int(replication)))
    return int(ss.generate_state(1, np.uint64)[0] >> np.uint64(1))


def design_seed(experiment_seed: int) -> int:
    """The seed given to SALib's samplers (Latin hypercube, Sobol, Morris)."""
    ss = np.random.SeedSequence(int(experiment_seed), spawn_key=(_DESIGN,))
    return int(ss.generate_state(1, np.uint32)[0])


def _digest(payload: object) -> str:
    text = json.dumps(payload, sort_keys=True, separators=(",", ":"), allow_nan=False)
    return hashlib.sha256(text.encode()).hexdigest()[:16]


def config_id(scenario: str, values: Mapping[str, bool | int | float], *, steps: int, burn_in: int,
              record_every: int, outcomes: Sequence[str], version: str) -> str:
    """A 16-hex-digit identity of one resolved configuration (everything but the seed).

    ``version`` is govsim's: a new release of the model never mixes its runs
    with an older one's in the same results folder.
    """
    return _digest({
        "v": ID_VERSION, "govsim": version, "scenario": scenario, "values": dict(values), "steps": int(steps),
        "burn_in": int(burn_in), "record_every": int(record_every), "outcomes": list(outcomes),
    })


def run_id(config: str, replication: int, seed: int) -> str:
    """A 16-hex-digit identity of one run: a configuration, a replication index and its seed."""
    return _digest({"v": ID_VERSION, "config": config, "replication": int(replication), "seed": int(seed)})
