"""Seeds and identities of runs: reproducible, recorded, shared across scenarios.

* One ``numpy.random.SeedSequence`` per experiment.  Replication ``r`` gets the
  seed spawned from it under the key ``(0, r)``, whatever the scenario or
  design point: **common random numbers**, so two scenarios compared at the
  same replication differ only where the scenarios differ.  Adding
  replications never changes the seeds of the existing ones.
* The seed is recorded as a plain integer (below 2**63) and is all the model
  needs: ``CommunityModel(scenario, rng=seed)`` or ``govsim run SCENARIO
  --seed SEED`` repeats a run exactly.
* A configuration's identity (``config_id``) is a hash of what decides its
  numbers: the scenario's name, every parameter value (a city's also before
  its reform), steps, burn-in, thinning, the kept outcomes and windows.  Not the design point it sits at, so adding
  a grid value or a scenario leaves every other configuration's identity
  alone; and not the code, which is recorded beside each run instead (see
  :mod:`~govsim.experiments.code_identity`), so that a resume with other code
  is refused rather than silently run anew.
* A run's identity (``run_id``) is a hash of its configuration's identity,
  its replication index and its seed.  Both are the same in any process and
  on any machine.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping, Sequence

import numpy as np

from govsim.params import Value

ID_VERSION = 2
"""Bumped whenever what goes into an identity changes (2: values as canonical text, no version)."""

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


def _text(value: Value) -> str:
    """A value as canonical text: the same value always reads the same (1 and 1.0 differ: types are checked)."""
    if isinstance(value, bool):
        return "true" if value else "false"
    return repr(value)


def _digest(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()[:16]


def _body(values: Mapping[str, Value]) -> str:
    return ";".join(f"{k}={_text(values[k])}" for k in sorted(values))


def _header(scenario: str, steps: int, burn_in: int, record_every: int, outcomes: Sequence[str],
            before: Mapping[str, Value] | None = None, windows: Sequence[tuple[str, int, int]] = ()) -> str:
    head = (f"v{ID_VERSION}|scenario={json.dumps(scenario)}|steps={int(steps)}|burn_in={int(burn_in)}|"
            f"record_every={int(record_every)}|outcomes={','.join(outcomes)}|")
    if windows:  # what a run records (added only when set, so that older identities stand)
        head += "windows=" + ",".join(f"{n}:{int(a)}-{int(b)}" for n, a, b in windows) + "|"
    if before is not None:  # a city: its configuration before the reform decides its numbers too
        head += f"before={_digest(_body(before))}|"
    return head


def config_id(scenario: str, values: Mapping[str, Value], *, steps: int, burn_in: int, record_every: int,
              outcomes: Sequence[str], before: Mapping[str, Value] | None = None,
              windows: Sequence[tuple[str, int, int]] = ()) -> str:
    """A 16-hex-digit identity of one resolved configuration (everything that decides its numbers but the seed,
    and what its row records).

    ``before``: a city's configuration before its reform, without the parameters the design sets (they are in
    ``values`` and hold before the reform too).  ``windows``: the named stretches of days whose means are recorded.
    """
    return _digest(_header(scenario, steps, burn_in, record_every, outcomes, before, windows) + _body(values))


class ConfigIds:
    """:func:`config_id` of many configurations of one scenario, fast (a design of a million points).

    The scenario's values are written as text once; each call replaces the
    few that the design point sets.  The result equals :func:`config_id` of
    the merged values.
    """

    def __init__(self, scenario: str, base: Mapping[str, Value], *, steps: int, burn_in: int, record_every: int,
                 outcomes: Sequence[str], before: Mapping[str, Value] | None = None,
                 windows: Sequence[tuple[str, int, int]] = ()):
        self._keys = sorted(base)
        self._slot = {k: i for i, k in enumerate(self._keys)}
        self._parts = [f"{k}={_text(base[k])}" for k in self._keys]
        self._header = _header(scenario, steps, burn_in, record_every, outcomes, before, windows)

    def __call__(self, point: Mapping[str, Value]) -> str:
        parts = self._parts.copy()
        for key, value in point.items():
            parts[self._slot[key]] = f"{key}={_text(value)}"
        return _digest(self._header + ";".join(parts))


def run_id(config: str, replication: int, seed: int) -> str:
    """A 16-hex-digit identity of one run: a configuration, a replication index and its seed."""
    return _digest(f"v{ID_VERSION}|config={config}|replication={int(replication)}|seed={int(seed)}")


def id_number(identity: str) -> int:
    """A 16-hex-digit identity as the 64-bit number an experiment stores (8 bytes, not a string)."""
    return int(identity, 16)


def hex_id(number: int) -> str:
    """The inverse of :func:`id_number`."""
    return f"{number:016x}"
