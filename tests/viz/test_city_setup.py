"""The city view's set-up: scenario, population scale under the server's cap, seed."""

from __future__ import annotations

import pytest

from govsim.errors import InputError
from govsim.viz.city_setup import DEFAULT_SCALE, SCALES, CitySetup, simulated_residents
from govsim.viz.controls import load_presets


@pytest.fixture(scope="module")
def cities(request):
    return load_presets(None, request.config.rootpath / "scenarios").cities


def test_the_default_scale_is_light_and_the_estimate_is_communities_times_mean_size(cities):
    city = cities["guiyang_city"]
    setup = CitySetup.initial(city)
    assert setup.scale == DEFAULT_SCALE and setup.overrides() == {"population.scale": DEFAULT_SCALE}
    assert setup.simulated == simulated_residents(city, DEFAULT_SCALE) == 90 * 32_000 // DEFAULT_SCALE


def test_a_scale_over_the_servers_cap_is_refused_and_not_offered(cities):
    setup = CitySetup.initial(cities["guiyang_city"], max_residents=200_000)
    assert 10 not in setup.allowed_scales() and 20 in setup.allowed_scales()
    with pytest.raises(InputError, match="more than this server's 200,000"):
        setup.with_scale(10)
    assert setup.with_scale(20).scale == 20
    with pytest.raises(InputError, match="must be one of"):
        setup.with_scale(7)


def test_a_tight_cap_moves_the_default_to_a_coarser_scale(cities):
    setup = CitySetup.initial(cities["guiyang_city"], max_residents=40_000)
    assert setup.scale == 100 and setup.allowed_scales() == (100,)
    assert max(SCALES) == 100


def test_presets_and_seeds(cities):
    setup = CitySetup.initial(cities["guiyang_city"]).with_seed("12")
    assert setup.seed == 12 and setup.with_preset(cities["guiyang_city_no_reform"]).name == "guiyang_city_no_reform"
    with pytest.raises(InputError, match="whole number"):
        setup.with_seed("twelve")
