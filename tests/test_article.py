"""docs/article.md: every `Article §…` reference in the code, scenarios and docs has its section there."""

import re

from tests.conftest import ROOT

ARTICLE = ROOT / "docs" / "article.md"
SECTION = re.compile(r"§\s?([IVX]+)(?:\.(\d+))?")


def anchors() -> set[str]:
    return set(re.findall(r'<a id="([^"]+)"></a>', ARTICLE.read_text(encoding="utf-8")))


def references() -> set[str]:
    """Every section cited by the project's code, scenario and experiment files and docs."""
    files = [*(ROOT / "src").rglob("*.py"), *(ROOT / "scenarios").glob("*.toml"),
             *(ROOT / "experiments").glob("*.toml"), *(ROOT / "docs").glob("*.md"), ROOT / "README.md"]
    found = set()
    for path in files:
        for roman, number in SECTION.findall(path.read_text(encoding="utf-8")):
            found.add(roman.lower() + (f"-{number}" if number else ""))
    return found


def test_every_cited_section_has_an_anchor():
    cited = references()
    assert {"i", "ii-1", "ii-2", "ii-3", "iii-1", "iii-2"} <= cited  # the scan finds the model's citations
    assert cited <= anchors(), sorted(cited - anchors())


def test_links_inside_the_summary_resolve():
    text = ARTICLE.read_text(encoding="utf-8")
    for target in re.findall(r"\]\(#([^)]+)\)", text):
        assert target in anchors(), target
    for page in re.findall(r"\]\(([\w-]+\.md)", text):
        assert (ARTICLE.parent / page).is_file(), page


def test_the_summary_gives_the_title_and_says_what_is_unknown():
    text = ARTICLE.read_text(encoding="utf-8")
    assert "城市社区服务中心角色定位的思考" in text and "Reflections on the role positioning" in text
    assert "Not known" in text and "author" in text


def test_the_readme_cites_the_article_and_links_the_summary():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert "城市社区服务中心角色定位的思考" in readme and "(docs/article.md)" in readme
