"""Finding the project's input files, and writing result files atomically."""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

_CHECKOUT = Path(__file__).resolve().parents[2]  # the repository root in a checkout


def input_dir(folder: str, env_var: str) -> Path:
    """Where input files of one kind live: ``$env_var``, ``./folder``, or the checkout's own folder."""
    if env := os.environ.get(env_var):
        return Path(env)
    here = Path(folder)
    if here.is_dir():
        return here
    checkout = _CHECKOUT / folder
    return checkout if checkout.is_dir() else here


def resolve_named(path: str | os.PathLike, directory: Path) -> Path:
    """A path as given, or a bare name (``guiyang_2012``) as ``directory/name.toml``."""
    p = Path(path)
    if p.exists() or p.suffix or len(p.parts) > 1:
        return p
    return directory / f"{p}.toml"


@contextmanager
def atomic_path(path: str | os.PathLike) -> Iterator[Path]:
    """Yield a temporary path beside ``path``; move it into place only if the block succeeds.

    >>> with atomic_path("out/table.csv") as tmp:   # doctest: +SKIP
    ...     frame.to_csv(tmp)
    """
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    os.close(fd)
    tmp = Path(tmp)
    try:
        yield tmp
        os.replace(tmp, path)
    finally:
        tmp.unlink(missing_ok=True)
