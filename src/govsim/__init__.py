"""govsim: agent-based simulation of urban community governance.

A Mesa model of a Guiyang-style community after the 2010-2012 reform ("one
committee, one council, one centre"), its scenario files and experiments.

>>> import govsim
>>> scenario = govsim.load_scenario("scenarios/guiyang_2012.toml", overrides={"population.residents": 5000})
>>> model = govsim.CommunityModel(scenario, rng=1).run(365)   # doctest: +SKIP
>>> model.timeseries().tail()                                  # doctest: +SKIP
"""

from govsim.errors import InputError
from govsim.model import CommunityModel
from govsim.outcomes import OUTCOME_NAMES, OUTCOMES
from govsim.params import SCHEMA, Param
from govsim.scenario import Scenario, list_scenarios, load_scenario

__version__ = "0.1.0"

__all__ = [
    "OUTCOMES", "OUTCOME_NAMES", "SCHEMA", "CommunityModel", "InputError", "Param", "Scenario",
    "__version__", "list_scenarios", "load_scenario",
]
