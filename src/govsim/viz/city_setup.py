"""The city view's set-up: which city scenario, at which population scale, with which seed.

A city is about 2.9 million residents in 90 communities; the page simulates
one resident for every ``scale`` of them (``population.scale``, as Covasim's
``pop_scale``): at the page's default of :data:`DEFAULT_SCALE`, about 58,000
simulated residents, a city steps in about 10 ms a day and is built in about
two seconds.  A server caps the simulated residents of a tab's city with the
same number that caps a community (``govsim serve --max-residents``), since
both cost memory alike; a scale whose city would exceed it is not offered.
This module imports no Solara, so it is tested without a browser.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, replace
from typing import Any

from govsim.errors import InputError
from govsim.scenario import Scenario
from govsim.viz.controls import parse_seed

SCALES = (10, 20, 50, 100)
"""The population scales the page offers for a city (real residents per simulated one)."""

DEFAULT_SCALE = 50
"""The page's default: light enough for a classroom laptop serving many tabs."""

SCALE_KEY = "population.scale"


def simulated_residents(scenario: Scenario, scale: int) -> int:
    """About how many residents a city of ``scenario`` simulates at ``scale`` (communities x mean size / scale)."""
    v = scenario.values
    return math.ceil(int(v["city.communities"]) * float(v["city.residents_mean"]) / scale)


@dataclass(frozen=True)
class CitySetup:
    """What the city view builds on Reset.

    ``max_residents`` is the server's cap on simulated residents per city (the same number
    as its cap on a community's residents).
    """

    scenario: Scenario
    scale: int = DEFAULT_SCALE
    seed: int = 0
    max_residents: int | None = None

    @classmethod
    def initial(cls, scenario: Scenario, max_residents: int | None = None, seed: int = 0) -> CitySetup:
        """The default scale, or the finest allowed under the cap if the default is not."""
        setup = cls(scenario, DEFAULT_SCALE, seed, max_residents)
        allowed = setup.allowed_scales()
        if DEFAULT_SCALE not in allowed:
            coarse = [s for s in SCALES if s > DEFAULT_SCALE and s in allowed]
            scale = coarse[0] if coarse else max(SCALES)
            setup = replace(setup, scale=scale)
        return setup

    @property
    def name(self) -> str:
        return self.scenario.name

    @property
    def simulated(self) -> int:
        return simulated_residents(self.scenario, self.scale)

    def allowed(self, scale: int) -> bool:
        return self.max_residents is None or simulated_residents(self.scenario, scale) <= self.max_residents

    def allowed_scales(self) -> tuple[int, ...]:
        return tuple(s for s in SCALES if self.allowed(s))

    def overrides(self) -> dict[str, Any]:
        return {SCALE_KEY: self.scale}

    def with_scale(self, scale: Any) -> CitySetup:
        """Another scale; refused (InputError) when the city would exceed the server's cap."""
        scale = int(scale)
        if scale not in SCALES:
            raise InputError(f"must be one of {', '.join(map(str, SCALES))}, got {scale}", key="scale")
        if not self.allowed(scale):
            raise InputError(f"at scale {scale} the city simulates about {simulated_residents(self.scenario, scale):,}"
                             f" residents, more than this server's {self.max_residents:,} "
                             "(govsim serve --max-residents)", key="scale")
        return replace(self, scale=scale)

    def with_preset(self, scenario: Scenario) -> CitySetup:
        if scenario.before is None:
            raise InputError(f"{scenario.name} is not a city scenario (it names no 'before')", key="scenario")
        out = replace(self, scenario=scenario)
        return out if out.allowed(out.scale) else CitySetup.initial(scenario, self.max_residents, self.seed)

    def with_seed(self, text: Any) -> CitySetup:
        return replace(self, seed=parse_seed(text))
