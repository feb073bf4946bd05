"""The browser page for teachers: ``govsim serve`` (Mesa's SolaraViz, served offline).

The pure parts (controls derived from the parameter schema, the network
layout, the chart options) import neither Solara nor a browser, so they are
unit-tested on their own; :mod:`govsim.viz.app` puts them on the page and
:mod:`govsim.viz.server` serves it.  Install the extra with
``pip install "govsim[viz]"``.
"""

INSTALL_HINT = 'the browser page needs the viz extra: pip install "govsim[viz]"'
