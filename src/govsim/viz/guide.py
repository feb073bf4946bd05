"""The teacher's guide in the page: read from the checkout and turned into HTML on the server.

Solara's ``Markdown`` component loads KaTeX (formulas) and Mermaid (diagrams)
in the browser every time it is shown, and the offline asset cache of
``solara-assets`` 1.58.2 has no KaTeX: the request fails and the browser
reports a script error.  The guide has neither formulas nor diagrams, so it
is rendered here, by a CommonMark renderer as GitHub renders it (markdown-it-py,
which Solara's server brings through rich), and shown as plain HTML: nothing
more to fetch.  Without that renderer the guide is shown as its text.
"""

from __future__ import annotations

import html
from pathlib import Path

GUIDE = "docs/teachers-guide.md"


def guide_path() -> Path:
    """The teacher's guide in the checkout (``docs/`` is not part of an installed wheel)."""
    import govsim

    return Path(govsim.__file__).resolve().parents[2] / GUIDE


def guide_html(path: Path | None = None) -> str:
    """The guide as HTML, or a line saying where it is when this installation has no checkout."""
    path = path or guide_path()
    if not path.is_file():
        return f"<p>The guide is <code>{html.escape(GUIDE)}</code> in the govsim repository.</p>"
    text = path.read_text(encoding="utf-8")
    try:
        from markdown_it import MarkdownIt
    except ImportError:  # pragma: no cover (Solara's server depends on it)
        return f'<pre style="white-space: pre-wrap">{html.escape(text)}</pre>'
    return MarkdownIt("commonmark", {"html": False}).enable("table").render(text)
