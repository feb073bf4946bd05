"""Writing result files: atomically, and with the permissions the user's umask gives.

``govsim.files.atomic_path`` makes its temporary file private (0600), as
``tempfile`` does; results (runs, tables, figures) are meant to be shared like
any other file the user makes, so :func:`written` gives them the umask's
permissions before moving them into place.
"""

from __future__ import annotations

import contextlib
import functools
import os
from collections.abc import Iterator
from pathlib import Path

from govsim.files import atomic_path


@functools.cache
def file_mode() -> int:
    """The permissions the user's umask gives a new file (read once)."""
    try:
        with open("/proc/self/status") as f:  # Linux: read without touching it
            mask = next(int(line.split()[1], 8) for line in f if line.startswith("Umask:"))
    except (OSError, StopIteration, ValueError, IndexError):
        mask = os.umask(0o022)  # elsewhere it can only be read by setting it, for an instant
        os.umask(mask)
    return 0o666 & ~mask


@contextlib.contextmanager
def written(path: str | os.PathLike) -> Iterator[Path]:
    """A temporary path beside ``path``, moved into place with the umask's permissions if the block succeeds."""
    with atomic_path(path) as tmp:
        yield tmp
        if tmp.exists():
            os.chmod(tmp, file_mode())
