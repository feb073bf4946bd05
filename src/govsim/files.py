"""Finding and reading the project's input files, and writing result files safely.

Everything a user points govsim at goes through here, so that a wrong path
(a FIFO, a device, a symlink loop, a huge file, an unwritable folder) ends in
one clear :class:`~govsim.errors.InputError` instead of a hang or a traceback.
"""

from __future__ import annotations

import errno
import os
import re
import stat
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from govsim.errors import InputError, did_you_mean

_CHECKOUT = Path(__file__).resolve().parents[2]  # the repository root in a checkout

MAX_INPUT_BYTES = 1 << 20
"""Largest input file (scenario or experiment) read: 1 MiB is far beyond any real
one, and stops a mistaken path (a log, a data file) from being read whole."""

NAME_RULE = "letters, digits, '_', '-' or '.', starting with a letter or digit"
_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]*$")
# Names become folder names under results/; the rule keeps them one path
# component (no '/', no '..', no hidden files) on every operating system.


def is_valid_name(name: object) -> bool:
    """Whether ``name`` may name a scenario or an experiment (and so a results folder)."""
    return isinstance(name, str) and bool(_NAME.match(name))


def check_name(name: object, source: str | None, key: str = "name") -> str:
    """Return ``name`` if it is a valid scenario or experiment name, else raise InputError."""
    if not is_valid_name(name):
        shown = repr(name) if len(repr(name)) <= 60 else repr(name)[:57] + "..."
        raise InputError(f"must be a name of {NAME_RULE}, got {shown}", source=source, key=key)
    assert isinstance(name, str)
    return name


def input_dir(folder: str, env_var: str) -> Path:
    """Where input files of one kind live: ``$env_var``, ``./folder``, or the checkout's own folder."""
    if env := os.environ.get(env_var):
        return Path(env)
    here = Path(folder)
    if here.is_dir():
        return here
    checkout = _CHECKOUT / folder
    return checkout if checkout.is_dir() else here


def is_bare_name(path: str | os.PathLike) -> bool:
    """Whether ``path`` is a bare name (``guiyang_2012``) rather than a file path."""
    p = Path(path)
    return not p.suffix and len(p.parts) == 1


def resolve_named(path: str | os.PathLike, directory: Path) -> Path:
    """A path as given, or a bare name (``guiyang_2012``) as ``directory/name.toml``."""
    p = Path(path)
    if p.exists() or not is_bare_name(p):
        return p
    return directory / f"{p}.toml"


def known_names(directory: Path) -> list[str]:
    """The names of the ``.toml`` files in ``directory``, sorted."""
    try:
        return sorted(p.stem for p in directory.glob("*.toml"))
    except OSError:
        return []


def unknown_name(what: str, name: str, directory: Path, *, source: str | None = None,
                 key: str | None = None) -> InputError:
    """The error for a bare name with no file: near matches and every known name."""
    known = known_names(directory)
    listed = f"; known: {', '.join(known)}" if known else f"; {directory} has no .toml files"
    return InputError(f"no {what} named {name!r} in {directory}{did_you_mean(name, known)}{listed}",
                      source=source, key=key)


def read_input(path: Path, what: str = "file", limit: int = MAX_INPUT_BYTES) -> tuple[bytes, os.stat_result]:
    """The bytes of a regular input file and its ``stat``; every failure is an InputError naming it.

    The file is opened non-blocking and checked with ``fstat`` before reading,
    so a FIFO or a device (``/dev/zero``) is refused at once instead of read
    forever, and a file over ``limit`` bytes is refused without reading it all.
    The ``stat`` identifies the file (device, inode) however it was reached.
    """
    source = str(path)
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0))
    except FileNotFoundError:
        raise InputError(f"no such {what}", source=source) from None
    except OSError as e:
        if e.errno == errno.ELOOP:
            raise InputError("cannot read: a loop of symbolic links", source=source) from None
        raise InputError(f"cannot read: {e.strerror or e}", source=source) from None
    try:
        st = os.fstat(fd)
        if stat.S_ISDIR(st.st_mode):
            raise InputError(f"is a directory, not a {what}", source=source)
        if not stat.S_ISREG(st.st_mode):
            raise InputError(f"is not a regular file ({_kind(st.st_mode)}), so not a {what}", source=source)
        if st.st_size > limit:
            raise InputError(f"is {st.st_size:,} bytes; a {what} may be at most {limit:,}", source=source)
        chunks, size = [], 0
        while chunk := os.read(fd, 65536):
            chunks.append(chunk)
            size += len(chunk)
            if size > limit:  # the file grew after fstat
                raise InputError(f"is over {limit:,} bytes; a {what} may be at most {limit:,}", source=source)
        return b"".join(chunks), st
    except OSError as e:
        raise InputError(f"cannot read: {e.strerror or e}", source=source) from None
    finally:
        os.close(fd)


def _kind(mode: int) -> str:
    if stat.S_ISFIFO(mode):
        return "a FIFO"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device"
    if stat.S_ISSOCK(mode):
        return "a socket"
    return "a special file"


def check_output_dir(path: str | os.PathLike, option: str = "--out") -> Path:
    """Check, before any work, that result files can be written in folder ``path``.

    The folder need not exist yet; its nearest existing ancestor must be a
    folder that accepts a new file, which is tried for real (permission bits
    say nothing about a read-only file system or ``/proc``, nor for root).
    Nothing is left behind, and no folder is created.

    Raises:
        InputError: naming the path and why it cannot hold results.
    """
    path = Path(path)
    where = {"source": option, "key": str(path)}
    if path.exists() and not path.is_dir():
        raise InputError("is not a folder (results are written into a folder)", **where)
    ancestor = path
    while not ancestor.exists() and not ancestor.is_symlink():
        ancestor = ancestor.parent
    if not ancestor.is_dir():
        raise InputError(f"cannot be made: {ancestor} is not a folder", **where)
    try:
        fd, probe = tempfile.mkstemp(prefix=".govsim-write-check-", dir=ancestor)
    except OSError as e:
        inside = "" if ancestor == path else f" (in {ancestor})"
        # /proc and the like answer "no such file" to a new file in a folder that exists.
        why = "the folder does not accept new files" if e.errno == errno.ENOENT else (e.strerror or str(e))
        raise InputError(f"cannot write there{inside}: {why}", **where) from None
    os.close(fd)
    os.unlink(probe)
    return path


def file_mode() -> int:
    """Mode of written files: what ``open()`` would give under the user's umask now (mkstemp gives 0600)."""
    try:
        with open("/proc/self/status") as f:  # Linux: read the umask without touching it
            mask = next(int(line.split()[1], 8) for line in f if line.startswith("Umask:"))
    except (OSError, StopIteration, ValueError, IndexError):
        mask = os.umask(0o022)  # elsewhere it can only be read by setting it, for an instant
        os.umask(mask)
    return 0o666 & ~mask


@contextmanager
def atomic_path(path: str | os.PathLike) -> Iterator[Path]:
    """Yield a temporary path beside ``path``; move it into place only if the block succeeds.

    The file gets the permissions of a normally written file (the user's umask),
    not the private 0600 of a temporary file.

    >>> with atomic_path("out/table.csv") as tmp:   # doctest: +SKIP
    ...     frame.to_csv(tmp)
    """
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    os.close(fd)
    tmp = Path(name)
    try:
        yield tmp
        os.chmod(tmp, file_mode())
        os.replace(tmp, path)
    finally:
        tmp.unlink(missing_ok=True)
