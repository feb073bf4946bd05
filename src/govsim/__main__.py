"""``python -m govsim`` is the ``govsim`` command."""

from govsim.cli import run_main

run_main()
