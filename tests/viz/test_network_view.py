"""The network view: its resident sample and layout, and the ECharts option drawn from the model."""

from __future__ import annotations

import json
import time

import numpy as np
import pytest

from govsim.model import CommunityModel
from govsim.params import GROUPS
from govsim.scenario import load_scenario
from govsim.viz import community_state as state
from govsim.viz.echarts import encode
from govsim.viz.network_layout import PER_GROUP, build_layout, disc, evenly_spaced, sample_residents
from govsim.viz.network_view import community_layouts, header_html, network_option
from govsim.viz.page_model import History
from govsim.viz.palette import satisfaction_colours


def layout_of(model, **kw):
    return build_layout(state.resident_groups(model), state.unit_kinds(model),
                        state.institutions(model).street_office, **kw)


def test_the_sample_is_deterministic_and_takes_the_same_number_from_each_group():
    group = np.random.default_rng(0).integers(0, len(GROUPS), 10_000).astype(np.int8)
    a, b = sample_residents(group, 20), sample_residents(group, 20)
    for g in range(len(GROUPS)):
        assert np.array_equal(a[g], b[g]) and len(a[g]) == 20
        assert (group[a[g]] == g).all() and len(set(a[g].tolist())) == 20


def test_a_small_group_gives_all_it_has():
    group = np.array([0] * 5 + [1] * 100, dtype=np.int8)
    sample = sample_residents(group, 20)
    assert len(sample[0]) == 5 and len(sample[1]) == 20 and len(sample[2]) == 0
    assert evenly_spaced(np.arange(3), 10).tolist() == [0, 1, 2]


def test_disc_points_lie_in_the_disc():
    pts = disc(50, 2.0)
    assert pts.shape == (50, 2) and (np.hypot(*pts.T) <= 2.0 + 1e-12).all()


def test_layout_has_every_institution_and_is_the_same_every_time(small):
    model = small().runs[0].model
    a, b = layout_of(model), layout_of(model)
    assert set(a.institutions) == {"district", "party", "centre", "council"}
    assert np.array_equal(a.resident_xy, b.resident_xy) and np.array_equal(a.residents, b.residents)
    assert len(a.residents) == PER_GROUP * len(GROUPS)
    assert np.isfinite(a.resident_xy).all() and np.isfinite(a.unit_xy).all()
    assert (model.residents.group[a.residents] == a.resident_group).all()


def test_the_street_office_is_drawn_before_the_reform(small):
    assert "street_office" in layout_of(small("pre_reform_2009").runs[0].model).institutions


class _Run:
    community = 0

    def __init__(self, model):
        self.model, self.label, self.history = model, "A: test", History()


@pytest.mark.slow
def test_the_view_stays_cheap_at_100000_residents(presets):
    model = CommunityModel(load_scenario(presets["guiyang_2012"].path), rng=0, **{"population.residents": 100_000})
    t0 = time.perf_counter()
    network_option([_Run(model)], [layout_of(model)])
    assert time.perf_counter() - t0 < 1.0  # a spring layout of this many nodes takes minutes


def test_the_view_names_each_node_once_and_links_existing_nodes(small):
    for compare in (False, True):
        c = small("pre_reform_2009", compare=compare)
        c.step()
        series = network_option(c.runs)["series"][0]
        names = [n["name"] for n in series["data"]]
        assert len(names) == len(set(names))
        assert all(0 <= link["source"] < len(names) and 0 <= link["target"] < len(names)
                   for link in series["links"])
        assert "NaN" not in encode({"series": [series]})
        json.loads(encode({"series": [series]}))


def test_two_communities_are_drawn_one_above_the_other_with_smaller_samples(small):
    c = small(compare=True)
    layouts = community_layouts(c.runs)
    assert len(layouts[0].residents) < PER_GROUP * len(GROUPS)
    nodes = network_option(c.runs, layouts)["series"][0]["data"]
    a = [n for n in nodes if n["name"].startswith("A ")]
    b = [n for n in nodes if n["name"].startswith("B ")]
    assert a and b and max(n["y"] for n in a) < min(n["y"] for n in b)


def test_residents_are_coloured_by_their_satisfaction(small):
    c = small()
    for _ in range(5):
        c.step()
    layout = layout_of(c.runs[0].model)
    nodes = network_option(c.runs, [layout])["series"][0]["data"]
    residents = [n for n in nodes if n["name"].startswith("resident ")]
    values, has = c.runs[0].model.residents.satisfaction()
    sat = np.where(has, values, np.nan)[layout.residents]
    assert has[layout.residents].any()
    assert [n["itemStyle"]["color"] for n in residents] == satisfaction_colours(sat)


def test_the_header_keeps_title_and_colour_scale_in_one_wrapping_row():
    head = header_html()
    assert 'class="govsim-head"' in head and "govsim-title" in head and "govsim-scale" in head
    assert "position: absolute" not in head


def test_the_centres_staff_are_drawn_one_square_each_shaded_by_motivation(small):
    from govsim.viz.palette import motivation_colours

    c = small("pre_reform_2009")
    c.step()
    members = state.staff(c.runs[0].model)
    nodes = network_option(c.runs)["series"][0]["data"]
    staff = [n for n in nodes if n["name"].startswith("staff member ")]
    assert len(staff) == len(members) > 20
    assert [n["itemStyle"]["color"] for n in staff] == motivation_colours(members.motivation)
    centre = next(n for n in nodes if n["name"].startswith("Residents' committees"))
    assert f"{len(members)} staff" in centre["name"] and "(means " in centre["name"]
    assert any(n["name"].startswith("Street office") for n in nodes)
