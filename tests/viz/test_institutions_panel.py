"""The panel "Inside the community today": staff, what waits at each level, the council's agenda."""

from __future__ import annotations

import re

import pytest

from govsim.viz import community_state as state
from govsim.viz.institutions_panel import institutions_html
from govsim.viz.styles import has_cjk


def shares(panel: str, run: int) -> dict[str, float]:
    row = panel.split(f'data-run="{run}"', 1)[1].split('data-run="', 1)[0]
    return {m[1]: float(m[2]) for m in re.finditer(r'data-part="([^"]+)" data-share="([\d.]+)"', row)}


def test_one_row_shows_staff_queues_and_agenda_of_the_model(small):
    page = small()
    for _ in range(3):
        page.step()
    panel = institutions_html(page.runs)
    model = page.runs[0].model
    members = state.staff(model)
    assert f'data-staff="{len(members)}"' in panel and panel.count('class="govsim-dot"') == len(members)
    assert f'data-motivation="{members.motivation.mean():.3f}"' in panel
    q = state.queues(model)
    assert f'data-level="centre" data-cases="{q.cases[0]}"' in panel
    assert 'data-level="street office"' not in panel  # none after the reform
    agenda = state.agenda(model)
    got = shares(panel, 0)
    assert got["centre &amp; party"] == pytest.approx(agenda.centre_and_party, abs=1e-3)
    assert sum(got.values()) == pytest.approx(1.0, abs=2e-3)
    assert f'data-resolutions="{agenda.resolutions}"' in panel
    assert not has_cjk(panel)


def test_before_the_reform_the_street_office_has_its_queue_and_compare_mode_has_two_rows(small):
    page = small("pre_reform_2009", compare=True)
    for _ in range(10):
        page.step()
    panel = institutions_html(page.runs)
    assert 'data-run="0"' in panel and 'data-run="1"' in panel and "govsim-inside--compare" in panel
    first = panel.split('data-run="1"')[0]
    assert 'data-level="street office"' in first  # A: pre_reform_2009
    assert 'data-level="street office"' not in panel.split('data-run="1"')[1]  # B: article_remedies
    # The article's complaint, visible: the centre and party take more of the agenda before the remedies.
    assert shares(panel, 0)["centre &amp; party"] > shares(panel, 1)["centre &amp; party"]
