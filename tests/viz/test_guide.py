"""The teacher's guide as the page shows it: HTML made on the server, with its answer key left to the lead."""

from __future__ import annotations

from govsim.viz.guide import guide_html, guide_path
from govsim.viz.styles import has_cjk


def test_the_guide_is_html_with_its_sections_and_code():
    page = guide_html()
    assert guide_path().is_file()
    for heading in ("A tour of the page", "The city view", "A second lesson: the city", "Answer key"):
        assert f"<h2>{heading}" in page
    assert "<pre><code" in page and "govsim serve guiyang_city" in page
    assert "$" not in guide_path().read_text()  # nothing a formula renderer would take for mathematics
    assert not has_cjk(page)


def test_without_a_checkout_the_page_says_where_the_guide_is(tmp_path):
    assert "docs/teachers-guide.md" in guide_html(tmp_path / "missing.md")
