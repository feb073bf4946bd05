"""Which code computed a run: a hash of the source that decides its numbers, and the git commit.

Every run's row records the identity of the code that ran it (the worker's,
so a Dask worker with another govsim is caught), and a results folder holds
the runs of one code only: a resume with other code is refused, naming both.

The identity is a hash of govsim's Python source, minus the modules that only
present results (changing a figure or the command line cannot change a run's
numbers), and of the versions of the libraries whose behaviour reaches the
numbers.  A hash of the files, not the git commit, because uncommitted
changes and installs without git change numbers too; the commit and whether
the checkout had uncommitted changes are recorded beside it for people.
"""

from __future__ import annotations

import functools
import hashlib
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path
from typing import Any

PRESENTATION = ("viz", "cli.py", "plotting.py", "experiments/commands.py", "experiments/analysis",
                "experiments/figures", "experiments/progress.py")
"""Parts of the package (relative to it) that only show results: left out of the identity."""

LIBRARIES = ("mesa", "numpy", "networkx")
"""Libraries whose versions reach a run's numbers (random streams, the scheduler, the network)."""


@dataclass(frozen=True)
class CodeIdentity:
    """The code that computes runs.

    Attributes:
        id: 16 hex digits from the source files and library versions.
        files: how many source files went into it.
        git: ``{"commit": ..., "dirty": ...}`` of the checkout, or None outside git.
        version: govsim's version.
    """

    id: str
    files: int
    git: dict[str, Any] | None
    version: str

    def describe(self) -> str:
        """One phrase for messages: ``code 3f2a... (govsim 0.1.0, git a17c633, uncommitted changes)``."""
        parts = [f"govsim {self.version}"]
        if self.git:
            parts.append(f"git {self.git['commit'][:10]}" + (", uncommitted changes" if self.git["dirty"] else ""))
        return f"code {self.id} ({', '.join(parts)})"

    def record(self) -> dict[str, Any]:
        """What the manifest keeps."""
        return {"id": self.id, "files": self.files, "git": self.git, "version": self.version}


def package_dir() -> Path:
    import govsim

    return Path(govsim.__file__).parent


def source_files(root: Path) -> list[Path]:
    """The package's Python files that decide a run's numbers, in a stable order."""
    skip = tuple(root / p for p in PRESENTATION)
    return sorted(p for p in root.rglob("*.py")
                  if "__pycache__" not in p.parts and not any(p == s or s in p.parents for s in skip))


def source_hash(root: Path, libraries: dict[str, str | None]) -> tuple[str, int]:
    """A hash of the source files (paths and bytes) and the library versions; and how many files."""
    h = hashlib.sha256()
    files = source_files(root)
    for path in files:
        h.update(path.relative_to(root).as_posix().encode() + b"\0")
        h.update(path.read_bytes() + b"\0")
    for name, version in sorted(libraries.items()):
        h.update(f"{name}={version}\0".encode())
    return h.hexdigest()[:16], len(files)


def library_versions() -> dict[str, str | None]:
    from importlib.metadata import PackageNotFoundError, version

    out: dict[str, str | None] = {}
    for name in LIBRARIES:
        try:
            out[name] = version(name)
        except PackageNotFoundError:
            out[name] = None
    return out


@functools.cache
def current() -> CodeIdentity:
    """The identity of the code in this process (computed once: a few milliseconds)."""
    import govsim

    root = package_dir()
    digest, files = source_hash(root, library_versions() | {"govsim": govsim.__version__})
    return CodeIdentity(digest, files, git_commit(root), govsim.__version__)


@functools.cache
def current_id() -> str:
    """Just the id, without asking git (what each run records; workers call it)."""
    import govsim

    return source_hash(package_dir(), library_versions() | {"govsim": govsim.__version__})[0]


def git_commit(directory: Path) -> dict[str, Any] | None:
    """The git commit of the checkout govsim runs from, and whether it has uncommitted changes."""
    git = shutil.which("git")
    if git is None:
        return None
    try:
        commit = subprocess.run([git, "-C", str(directory), "rev-parse", "HEAD"], capture_output=True, text=True,
                                timeout=5, check=True).stdout.strip()
        dirty = subprocess.run([git, "-C", str(directory), "status", "--porcelain", "--untracked-files=no", "."],
                               capture_output=True, text=True, timeout=5, check=True).stdout.strip()
    except (OSError, subprocess.SubprocessError):
        return None
    return {"commit": commit, "dirty": bool(dirty)} if commit else None
