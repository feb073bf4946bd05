"""``govsim serve``: the browser page for teachers.

Solara is imported only when the command runs, so ``govsim --help`` stays
fast and works without the viz extra.
"""

from __future__ import annotations

import importlib.util

import click

from govsim.errors import InputError
from govsim.viz import INSTALL_HINT


@click.command()
@click.argument("scenario", required=False)
@click.option("--host", default=None, metavar="HOST",
              help="Address to listen on [default: 127.0.0.1, this machine only]. "
                   "Name another (e.g. 0.0.0.0) to let other machines in.")
@click.option("--port", type=click.IntRange(0, 65535), default=8765, show_default=True,
              help="Port to listen on (0: any free port).")
def serve(scenario, host, port):
    """Serve the classroom page in the browser, offline; start with SCENARIO (default guiyang_2012).

    The page shows the community as a network and live charts of its outcomes,
    with the scenario presets and the parameters as controls; compare mode
    runs two configurations side by side with the same seed.  Every script,
    stylesheet and font is served by this command: the page needs no internet.
    """
    if importlib.util.find_spec("solara") is None or importlib.util.find_spec("solara_assets") is None:
        raise InputError(INSTALL_HINT, source="govsim serve")
    from govsim.viz.server import LOOPBACK
    from govsim.viz.server import serve as run_server

    run_server(scenario, host=host or LOOPBACK, port=port, echo=lambda line: click.echo(line, err=False))
