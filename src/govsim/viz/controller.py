"""Reset, Play/Pause and Step: the controls that run the page's model.

They look and act like Mesa's ``ModelController`` (the same three buttons,
a play interval and a render interval, and Mesa's ``force_update`` to redraw
the components after each step), but play in a thread this component owns,
because Mesa's controller cannot let a session go: it plays with Solara's
``use_task``, which registers a process-wide callback for every use and never
removes it (Solara 1.58), so each closed tab's model stayed in memory for
the life of the server.  Here the play thread ends when Pause is pressed,
when the model stops running (its session was closed: see
:class:`~govsim.viz.page_model.PageModel`) and when the tab's page is
unmounted; nothing outlives the tab.
"""

from __future__ import annotations

import threading
import traceback
from collections.abc import Callable
from typing import cast

import mesa
import solara
from mesa.visualization.utils import force_update

from govsim.viz.sessions import SESSIONS

PLAY = "\u25b6"
PAUSE = "\u275a\u275a"


@solara.component
def ModelControls[Playable: mesa.Model](model: solara.Reactive[Playable], build: Callable[[], Playable],
                                        play_interval: solara.Reactive[int], render_interval: solara.Reactive[int]):
    """The buttons that reset, play and step ``model``; ``build`` makes the model Reset starts again with.

    ``model`` is the community view's :class:`~govsim.viz.page_model.PageModel` or the city view's
    :class:`~govsim.viz.city_page_model.CityPageModel` (``step()``, and ``running`` False once done).
    """
    playing = solara.use_reactive(False)
    error = solara.use_reactive(cast(str | None, None))

    def advance(current: Playable, stop: threading.Event | None = None) -> None:
        for _ in range(render_interval.value):
            current.step()
            if not current.running or (stop is not None and stop.is_set()):
                break
        force_update()

    def play_loop(stop: threading.Event) -> None:
        try:
            while not stop.wait(play_interval.value / 1000):
                current = model.value
                if not current.running:
                    break
                advance(current, stop)
        except Exception as e:  # shown on the page; the server goes on serving the other tabs
            error.set(f"error while playing: {e}")
            traceback.print_exc()
        finally:
            if not stop.is_set():  # the model stopped by itself (its session closed) or failed
                playing.set(False)

    def start_playing():
        if not playing.value:
            return None
        stop = threading.Event()
        # A daemon thread: a stopping server never waits for a step in progress.
        threading.Thread(target=play_loop, args=(stop,), name="govsim-play", daemon=True).start()
        return stop.set  # Pause, a new model, or the page unmounted (its tab closed) ends the loop

    solara.use_effect(start_playing, [playing.value, model.value])

    def step():
        try:
            advance(model.value)
        except Exception as e:
            error.set(f"error in step: {e}")
            traceback.print_exc()

    def reset():
        playing.set(False)
        error.set(None)
        model.set(build())
        SESSIONS.collect_soon()  # the replaced model is a web of cycles: free it now, not some day

    with solara.Row(justify="space-between"):
        solara.Button(label="Reset", color="primary", on_click=reset)
        solara.Button(label=PAUSE if playing.value else PLAY, color="primary",
                      on_click=lambda: playing.set(not playing.value), disabled=not model.value.running)
        solara.Button(label="Step", color="primary", on_click=step,
                      disabled=playing.value or not model.value.running)
    if error.value:
        solara.Error(label=error.value)
