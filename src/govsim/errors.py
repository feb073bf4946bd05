"""The one exception type for bad input, and how it reads."""

from __future__ import annotations

import difflib
from collections.abc import Iterable


class InputError(ValueError):
    """Bad input from a user: a scenario, experiment, override or option.

    The message names where the problem is (``source``: a file, ``--set`` or
    another origin), which ``key`` is wrong, and what is allowed, so the
    command line can print it as one line and exit with status 2.
    """

    def __init__(self, message: str, *, source: str | None = None, key: str | None = None):
        self.source = source
        self.key = key
        self.detail = message
        where = ": ".join(part for part in (source, key) if part)
        super().__init__(f"{where}: {message}" if where else message)


def did_you_mean(name: str, candidates: Iterable[str]) -> str:
    """A ' (did you mean ...?)' hint for a misspelt key, or '' if nothing is close."""
    close = difflib.get_close_matches(name, list(candidates), n=3, cutoff=0.6)
    if not close:
        return ""
    return " (did you mean " + " or ".join(f"'{c}'" for c in close) + "?)"
