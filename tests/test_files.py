"""Reading input files and checking output folders: every wrong path is one InputError, at once."""

import os
import re
import shutil
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from govsim.errors import InputError
from govsim.files import (
    MAX_INPUT_BYTES,
    atomic_path,
    check_name,
    check_output_dir,
    is_valid_name,
    read_input,
    unknown_name,
)

# --- names -------------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["guiyang_2012", "a", "v1.2", "A-b_c.d", "x" * 200])
def test_valid_names(name):
    assert is_valid_name(name) and check_name(name, "f.toml") == name


@pytest.mark.parametrize("name", ["../../etc", "..", ".hidden", "a/b", "a\\b", "", " a", "a b", "/etc", "-rf",
                                  3, None, "名字"])
def test_names_that_could_leave_results_are_refused(name):
    with pytest.raises(InputError) as e:
        check_name(name, "f.toml")
    assert str(e.value).startswith("f.toml: name: must be a name of letters, digits")


@pytest.mark.parametrize("name", ["v1.2", "../../etc", ".hidden", "a b"])
def test_experiment_files_follow_the_same_rule(tmp_path, name):
    """One rule for names: an experiment file accepts exactly the names a scenario file accepts."""
    from govsim.experiments.experiment_file import load_experiment

    p = tmp_path / "e.toml"
    p.write_text(f'name = "{name}"\nscenario = "guiyang_2012"\nreplications = 1\nsteps = 2\n')
    if is_valid_name(name):
        assert load_experiment(p).name == name
    else:
        with pytest.raises(InputError, match="name: must be a name of letters, digits"):
            load_experiment(p)


def test_unknown_name_lists_near_matches_and_known_names(tmp_path):
    for stem in ("guiyang_2012", "article_remedies"):
        (tmp_path / f"{stem}.toml").write_text("")
    e = unknown_name("scenario", "guiyang2012", tmp_path)
    assert str(e) == (f"no scenario named 'guiyang2012' in {tmp_path} (did you mean 'guiyang_2012'?); "
                      "known: article_remedies, guiyang_2012")
    assert "has no .toml files" in str(unknown_name("scenario", "x", tmp_path / "empty"))


# --- reading input -----------------------------------------------------------------------


def test_reads_a_regular_file(tmp_path):
    p = tmp_path / "s.toml"
    p.write_bytes(b"description = 'x'\n")
    raw, st = read_input(p, "scenario file")
    assert raw == b"description = 'x'\n" and st.st_ino == p.stat().st_ino


def _refused(path, words):
    with pytest.raises(InputError) as e:
        read_input(Path(path), "scenario file")
    assert e.value.source == str(path) and words in str(e.value), str(e.value)


def test_a_fifo_is_refused_without_blocking(tmp_path):
    """Opening a FIFO blocks until a writer comes; the file is opened non-blocking and refused."""
    fifo = tmp_path / "pipe.toml"
    os.mkfifo(fifo)
    _refused(fifo, "is not a regular file (a FIFO)")


def test_a_device_is_refused_not_read_forever():
    _refused("/dev/zero", "is not a regular file (a device)")


def test_directories_missing_files_and_symlink_loops(tmp_path):
    _refused(tmp_path, "is a directory")
    _refused(tmp_path / "absent.toml", "no such scenario file")
    (tmp_path / "a.toml").symlink_to(tmp_path / "b.toml")
    (tmp_path / "b.toml").symlink_to(tmp_path / "a.toml")
    _refused(tmp_path / "a.toml", "a loop of symbolic links")


def test_a_huge_file_is_refused_by_its_size(tmp_path):
    big = tmp_path / "big.toml"
    with open(big, "wb") as f:
        f.truncate(MAX_INPUT_BYTES + 1)  # sparse: no real megabytes written
    _refused(big, f"is {MAX_INPUT_BYTES + 1:,} bytes; a scenario file may be at most {MAX_INPUT_BYTES:,}")


# --- output folders ----------------------------------------------------------------------


def test_a_writable_folder_passes_and_nothing_is_created(tmp_path):
    target = tmp_path / "new" / "deeper"
    assert check_output_dir(target) == target
    assert not (tmp_path / "new").exists() and list(tmp_path.iterdir()) == []  # the probe is gone too


@pytest.mark.parametrize("make, words", [
    (lambda t: Path("/dev/null"), "is not a folder"),
    (lambda t: Path("/proc/govsim"), "cannot write there (in /proc): the folder does not accept new files"),
    (lambda t: (t / "f.txt").write_text("x") and t / "f.txt" / "sub", "cannot be made: "),
])
def test_special_paths_and_a_files_subfolder_are_refused(tmp_path, make, words):
    target = make(tmp_path)
    with pytest.raises(InputError) as e:
        check_output_dir(target)
    assert str(e.value).startswith(f"--out: {target}: ") and words in str(e.value)


READ_ONLY_SCRIPT = (
    'mount --bind "$1" "$1" && mount -o remount,ro,bind "$1" || exit 98; '
    'touch "$1/.probe" 2>/dev/null && exit 99; shift; exec "$@"'
)


def run_with_read_only(folder: Path, argv: list[str]) -> subprocess.CompletedProcess:
    """Run ``argv`` with ``folder`` truly read-only: by permissions, or (as root, whom permissions
    do not stop) on a read-only bind mount in a private mount namespace."""
    if os.geteuid() != 0:
        folder.chmod(stat.S_IRUSR | stat.S_IXUSR)
        try:
            return subprocess.run(argv, capture_output=True, text=True, timeout=120, check=False)
        finally:
            folder.chmod(stat.S_IRWXU)
    unshare = shutil.which("unshare")
    if unshare is None or subprocess.run([unshare, "-rm", "true"], capture_output=True, check=False).returncode != 0:
        pytest.skip("as root a read-only folder needs a private mount namespace (unshare -rm), not available here")
    p = subprocess.run([unshare, "-rm", "sh", "-c", READ_ONLY_SCRIPT, "sh", str(folder), *argv],
                       capture_output=True, text=True, timeout=120, check=False)
    assert p.returncode not in (98, 99), f"could not make {folder} read-only: {p.returncode}"
    return p


def test_a_read_only_folder_is_refused(tmp_path):
    folder = tmp_path / "ro"
    folder.mkdir()
    code = "from govsim.files import check_output_dir; import sys; check_output_dir(sys.argv[1])"
    p = run_with_read_only(folder, [sys.executable, "-c", code, str(folder / "out")])
    assert p.returncode == 1 and re.search(r"InputError: --out: .*/ro/out: cannot write there \(in .*/ro\): "
                                           r"(Read-only file system|Permission denied)", p.stderr), p.stderr
    assert list(folder.iterdir()) == []


# --- writing -----------------------------------------------------------------------------


def test_atomic_files_get_the_users_umask_not_0600(tmp_path):
    old = os.umask(0o022)
    os.umask(old)  # the mode was fixed at import, under the same umask as this process
    with atomic_path(tmp_path / "sub" / "t.csv") as tmp:
        tmp.write_text("a\n")
    mode = stat.S_IMODE((tmp_path / "sub" / "t.csv").stat().st_mode)
    assert mode == 0o666 & ~old
    assert [p.name for p in (tmp_path / "sub").iterdir()] == ["t.csv"]


def test_atomic_path_leaves_nothing_when_the_block_fails(tmp_path):
    with pytest.raises(RuntimeError), atomic_path(tmp_path / "t.csv") as tmp:
        tmp.write_text("half")
        raise RuntimeError("disk full")
    assert list(tmp_path.iterdir()) == []
