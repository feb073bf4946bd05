"""``govsim serve``: the browser page for teachers.

Solara is imported only when the command runs, so ``govsim --help`` stays
fast and works without the viz extra.
"""

from __future__ import annotations

import importlib.util
import os
import sys

import click

from govsim.errors import InputError
from govsim.params import SCHEMA
from govsim.viz import INSTALL_HINT
from govsim.viz.sessions import DEFAULT_MAX_RESIDENTS, DEFAULT_MAX_SESSIONS, GRACE_S

_RESIDENTS = SCHEMA["population.residents"]
assert _RESIDENTS.low is not None and _RESIDENTS.high is not None  # the schema bounds every count


@click.command()
@click.argument("scenario", required=False)
@click.option("--host", default=None, metavar="HOST",
              help="Address to listen on [default: 127.0.0.1, this machine only]. "
                   "Name another (e.g. 0.0.0.0) to let other machines in.")
@click.option("--port", type=click.IntRange(0, 65535), default=8765, show_default=True,
              help="Port to listen on (0: any free port).")
@click.option("--max-sessions", type=click.IntRange(1, 1000), default=DEFAULT_MAX_SESSIONS, show_default=True,
              help="Browser tabs served at once; a tab beyond this is told the server is full. "
                   f"A closed tab frees its place at once, a lost one within {GRACE_S} s.")
@click.option("--max-residents", type=click.IntRange(int(_RESIDENTS.low), int(_RESIDENTS.high)),
              default=DEFAULT_MAX_RESIDENTS, show_default=True,
              help="Residents per community a tab may ask for, and simulated residents of a tab's city "
                   "(memory grows with sessions x residents).")
def serve(scenario, host, port, max_sessions, max_residents):
    """Serve the classroom page in the browser, offline; start with SCENARIO (default guiyang_2012).

    The page shows the community as a network and live charts of its outcomes,
    with the scenario presets and the parameters as controls; compare mode
    runs two configurations side by side with the same seed.  Its city view
    shows Guiyang's communities as a map through the staged reform; a city
    SCENARIO (guiyang_city) opens the page on it.  Every script,
    stylesheet and font is served by this command: the page needs no internet.
    Only pages served by this command may use it (other web sites are refused).
    """
    if importlib.util.find_spec("solara") is None or importlib.util.find_spec("solara_assets") is None:
        raise InputError(INSTALL_HINT, source="govsim serve")
    from govsim.viz.server import LOOPBACK, run_page_server
    from govsim.viz.sessions import Limits

    busy = run_page_server(scenario, host=host or LOOPBACK, port=port,
                           limits=Limits(max_sessions=max_sessions, max_residents=max_residents),
                           echo=lambda line: click.echo(line, err=False))
    if busy:  # a play loop stuck in a step must not keep the stopped server's process (and terminal) alive
        sys.stdout.flush()
        os._exit(0)
