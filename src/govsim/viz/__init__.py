"""The browser page for teachers: ``govsim serve`` (Mesa and Solara, served offline).

The pure parts (controls derived from the parameter schema, the network
layout, the chart options, the numbers table, the city map's layout and colour
scale, the rollout's timeline, the origin policy, the session registry) import
neither Solara nor a browser, so they are unit-tested on their own; :mod:`govsim.viz.app` puts them on the page and
:mod:`govsim.viz.server` serves it.  In a clone, ``scripts/setup.sh``
installs everything the page needs.
"""

INSTALL_HINT = 'the browser page needs the viz extra: run scripts/setup.sh in the clone (or pip install -e ".[viz]")'
