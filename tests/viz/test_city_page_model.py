"""The city the page plays: its history by rollout status, the range each outcome has shown, a community
opened on its own, and when it stops."""

from __future__ import annotations

import numpy as np
import pytest

from govsim.viz import city_state
from govsim.viz.city_page_model import CityPageModel
from govsim.viz.city_setup import CitySetup
from govsim.viz.sessions import Session

from .conftest import played_city


@pytest.fixture(scope="module")
def played(fast_city):
    """The fast city at scale 100, 12 days: the pilots switched on day 3, the widening on day 10."""
    return played_city(fast_city, days=12, seed=4)


@pytest.mark.slow
def test_the_rollout_is_read_with_its_dates_and_districts(played):
    facts = played.facts
    assert [w.name for w in facts.waves] == ["Pilots", "Widening", "Everyone else"]
    assert [w.day for w in facts.waves] == [3, 10, 17]
    assert facts.waves[0].districts == ("Xiaohe", "Jinyang") and facts.waves[0].whole_districts
    assert sum(len(w.communities) for w in facts.waves) == facts.n == 90
    assert facts.days == 40 and facts.scale == 100
    assert city_state.date_text(546) == "1 Jul 2010" and city_state.date_text(0) == "1 Jan 2009"


def test_the_history_splits_the_city_by_rollout_status(played):
    h = played.history
    assert len(h) == played.day == 12
    pilots = len(played.facts.waves[0].communities)
    widened = pilots + len(played.facts.waves[1].communities)
    assert h.reformed.tolist() == [0, 0] + [pilots] * 7 + [widened] * 3
    assert np.isnan(h.series("satisfaction", "reformed")[:2]).all()
    reformed = city_state.reformed(played.city)
    for name in ("satisfaction", "efficiency", "staff_time_management"):
        today = played.city.community_outcomes[name]
        assert h.latest(name, "reformed") == pytest.approx(np.nanmean(today[reformed]))
        assert h.latest(name, "not yet") == pytest.approx(np.nanmean(today[~reformed]))
        assert h.latest(name, "city") == pytest.approx(played.city.outcomes[name])


def test_the_ranges_seen_cover_the_bulk_of_the_communities_and_every_one(played):
    frame = played.city.community_timeseries()
    for name in ("welfare_days", "satisfaction", "backlog"):
        lowest, highest = played.extremes(name)
        assert lowest == pytest.approx(frame[name].min(), rel=1e-6)
        assert highest == pytest.approx(frame[name].max(), rel=1e-6)
        daily = frame.groupby("step")[name]
        low, high = played.seen(name)
        rel = 1e-6  # the rows are float32
        assert low <= daily.quantile(0.05).min() * (1 + rel) and high >= daily.quantile(0.95).max() * (1 - rel)
        assert lowest <= low < high <= highest


@pytest.mark.slow
def test_a_community_opened_on_its_own_has_its_whole_history_and_moves_on_with_the_city(fast_city):
    page = CityPageModel(CitySetup(fast_city, scale=100, seed=4))
    for _ in range(5):
        page.step()
    c = page.facts.waves[0].communities[0]
    page.focus(c)
    (run,) = page.runs
    assert run.community == c and run.model is page.city
    assert run.label == f"{page.facts.names[c]} ({page.facts.district_of(c)} district)"
    assert page.facts.district_of(c) in ("Xiaohe", "Jinyang")
    page.step()
    frame = page.city.community_timeseries()
    mine = frame[frame["community"] == page.facts.names[c]]
    assert len(run.history) == 6
    for name in ("satisfaction", "welfare_days", "backlog"):
        assert np.allclose(run.history[name], mine[name].to_numpy(), equal_nan=True, atol=1e-6), name
    page.focus(None)
    assert page.runs == []
    with pytest.raises(IndexError):
        page.focus(90)


@pytest.mark.slow
def test_the_city_stops_at_its_last_day_and_when_its_session_closes(fast_city):
    short = fast_city.with_overrides({"city.days": 3})
    page = CityPageModel(CitySetup(short, scale=100))
    for _ in range(5):
        page.step()
    assert page.day == 3 and page.running is False
    session = Session("k")
    page = CityPageModel(CitySetup(fast_city, scale=100), session)
    page.step()
    session._close()
    page.step()
    assert page.day == 1 and page.running is False
