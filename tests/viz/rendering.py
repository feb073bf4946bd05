"""The page rendered by Solara in this process, as a tab the tests click and read (no browser)."""

from __future__ import annotations

import re
import uuid

import ipyvuetify as v
import ipywidgets
import solara
from solara.server import kernel, kernel_context

from govsim.viz import app

SMALL = "3000"  # residents: the page's own default is the schema's 30,000


def render_tab(n: int) -> Tab:
    """Open the page in a new session (a browser tab), as Solara's server does for a new tab."""
    ctx = kernel_context.VirtualKernelContext(id=f"test-{uuid.uuid4().hex}", kernel=kernel.Kernel(),
                                              session_id=f"s{n}")
    with ctx:
        box, rc = solara.render(solara.AppLayout(children=[app.Page()]), handle_error=False)
    return Tab(ctx, rc, box)


def walk(widget):
    """Every widget below ``widget``, slots (tooltips, dialogs) and grid items included."""
    yield widget
    for name in ("children", "items", "v_slots"):
        value = getattr(widget, name, None) or []
        for item in value if isinstance(value, list | tuple) else [value]:
            entry = item.get("children") if isinstance(item, dict) else item
            for child in entry if isinstance(entry, list | tuple) else [entry]:
                if isinstance(child, ipywidgets.Widget):
                    yield from walk(child)


def has_class(widget, css) -> bool:
    classes = getattr(widget, "class_", None) or (getattr(widget, "attributes", None) or {}).get("class", "")
    return css in (classes or "").split()


class Tab:
    """One browser tab's page, rendered in this process."""

    def __init__(self, ctx, rc, box):
        self.ctx, self.rc, self.box = ctx, rc, box

    def all(self, widget_class=ipywidgets.Widget, css=None, root=None):
        return [w for w in walk(root or self.box) if isinstance(w, widget_class) and (css is None or has_class(w, css))]

    def __enter__(self):
        self.ctx.__enter__()
        return self

    def __exit__(self, *exc):
        self.ctx.__exit__(*exc)

    def close(self):
        """What Solara does to a tab's page when it closes the tab's kernel: unmount it."""
        with self.ctx:
            self.rc.close()

    def click(self, label):
        (button,) = [b for b in self.all(v.Btn) if label in b.children]
        button.click()

    def field(self, label):
        (field,) = [f for f in self.all(v.TextField) if f.label == label]
        return field

    def type(self, label, text):
        field = self.field(label)
        field.v_model = text
        field.fire_event("keyup.enter", None)

    def select(self, label):
        (select,) = [s for s in self.all(v.Select) if s.label == label]
        return select

    def control(self, key):
        """The widget of one schema control."""
        (sheet,) = self.all(css="govsim-control--" + key.replace(".", "-").replace("_", "-"))
        return sheet

    def inside(self, widget, widget_class, css=None):
        return self.all(widget_class, css, root=widget)

    def value(self, key) -> str:
        (text,) = self.inside(self.control(key), v.Html, "govsim-value")
        return text.children[0]

    def html(self, css) -> str:
        (widget,) = self.all(solara.widgets.HTML, css)
        return widget.unsafe_innerHTML

    def table(self) -> str:
        return self.html("govsim-numbers")

    def day(self) -> int:
        return int(re.search(r'data-day="(\d+)"', self.table()).group(1))

    def pending(self) -> bool:
        return bool(self.all(css="govsim-pending"))


def texts(tab) -> str:
    """Every text the page shows: widget labels and children, HTML, markdown."""
    out = []
    for w in tab.all():
        for name in ("label", "unsafe_innerHTML", "md", "value", "title"):
            value = getattr(w, name, None)
            if isinstance(value, str):
                out.append(value)
        children = getattr(w, "children", None)
        if isinstance(children, list | tuple):
            out += [c for c in children if isinstance(c, str)]
    return "\n".join(out)
