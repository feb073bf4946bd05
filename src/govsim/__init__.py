"""govsim: agent-based simulation of urban community governance.

Mesa models of Guiyang's communities and of the whole city through the
2010-2012 reform ("one committee, one council, one centre"), their scenario
files, patterns and experiments.

>>> import govsim
>>> scenario = govsim.load_scenario("scenarios/guiyang_2012.toml", overrides={"population.residents": 5000})
>>> model = govsim.CommunityModel(scenario, rng=1).run(365)   # doctest: +SKIP
>>> model.timeseries().tail()                                  # doctest: +SKIP
"""

from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"

# The public names are imported on first use (PEP 562), so the command line starts without loading
# NumPy, pandas and Mesa until a command needs them.
_PUBLIC = {
    "InputError": "govsim.errors", "CommunityModel": "govsim.model", "CityModel": "govsim.city",
    "OUTCOMES": "govsim.outcomes", "OUTCOME_NAMES": "govsim.outcomes", "SCHEMA": "govsim.params",
    "Param": "govsim.params", "Scenario": "govsim.scenario", "list_scenarios": "govsim.scenario",
    "load_scenario": "govsim.scenario",
}

__all__ = [
    "OUTCOMES", "OUTCOME_NAMES", "SCHEMA", "CityModel", "CommunityModel", "InputError", "Param", "Scenario",
    "__version__", "list_scenarios", "load_scenario",
]


def __getattr__(name: str) -> Any:
    if name in _PUBLIC:
        import importlib

        value = getattr(importlib.import_module(_PUBLIC[name]), name)
        globals()[name] = value
        return value
    raise AttributeError(f"module 'govsim' has no attribute {name!r}")


if TYPE_CHECKING:
    from govsim.city import CityModel
    from govsim.errors import InputError
    from govsim.model import CommunityModel
    from govsim.outcomes import OUTCOME_NAMES, OUTCOMES
    from govsim.params import SCHEMA, Param
    from govsim.scenario import Scenario, list_scenarios, load_scenario
