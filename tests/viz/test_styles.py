"""Text the page shows, fitted to the fonts it ships."""

from __future__ import annotations

from govsim.viz.styles import has_cjk, page_text


def test_chinese_terms_are_dropped_with_their_brackets():
    assert page_text("Welfare (低保) applications: days") == "Welfare applications: days"
    fullwidth = "Mean days from a welfare （低保） application"
    assert page_text(fullwidth) == "Mean days from a welfare application"
    assert page_text("社区 service centre") == "service centre"
    assert page_text("plain (English) words") == "plain (English) words"
    assert has_cjk("低保") and not has_cjk(page_text("低保 and 城市社区"))
