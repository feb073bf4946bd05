#!/usr/bin/env bash
# Set up govsim in ./.venv with a Python >= 3.12 found on this machine.
#
#   scripts/setup.sh          the package with every extra (Dask, the browser page)
#   scripts/setup.sh --test   the same plus the test tools and, as root, Debian's Chromium
#
# Set PYTHON=/path/to/python3.12 to choose the interpreter yourself.
set -euo pipefail
cd "$(dirname "$0")/.."

with_tests=0
for arg in "$@"; do
  case "$arg" in
    --test) with_tests=1 ;;
    -h|--help) sed -n '2,8p' "$0"; exit 0 ;;
    *) echo "setup.sh: unknown option '$arg' (allowed: --test)" >&2; exit 2 ;;
  esac
done

is_312() { "$1" -c 'import sys; sys.exit(sys.version_info < (3, 12))' >/dev/null 2>&1; }

find_python() {
  local pyenv_root="${PYENV_ROOT:-$HOME/.pyenv}" c
  # A pyenv shim such as python3.12 may refuse to run; is_312 then skips it.
  for c in ${PYTHON:-} python3.13 python3.12 python3 \
           $(ls -d "$pyenv_root"/versions/3.1[2-9]*/bin/python3 2>/dev/null | sort -V); do
    if command -v "$c" >/dev/null 2>&1 && is_312 "$c"; then command -v "$c"; return 0; fi
  done
  return 1
}

if [ ! -x .venv/bin/python ] || ! is_312 .venv/bin/python; then
  if ! py=$(find_python); then
    echo "setup.sh: govsim needs Python 3.12 or newer, and none was found." >&2
    echo "  Tried: \$PYTHON, python3.13, python3.12, python3 and ${PYENV_ROOT:-$HOME/.pyenv}/versions/3.12+/." >&2
    echo "  Install one (python.org, your package manager or pyenv), or run: PYTHON=/path/to/python3.12 $0" >&2
    exit 1
  fi
  echo "setup.sh: creating .venv with $py ($("$py" --version))"
  rm -rf .venv
  "$py" -m venv .venv
fi

extras="all"
[ "$with_tests" = 1 ] && extras="all,test,lint"
.venv/bin/python -m pip install --quiet --disable-pip-version-check --upgrade pip
.venv/bin/python -m pip install --quiet --disable-pip-version-check -e ".[${extras}]"

if [ "$with_tests" = 1 ] && [ ! -x /usr/bin/chromium ]; then
  # The browser tests drive Debian's Chromium; Playwright's own browser download is not used.
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    echo "setup.sh: installing Chromium for the browser tests (apt-get)"
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
  else
    echo "setup.sh: the browser tests need Chromium at /usr/bin/chromium: sudo apt-get install chromium" >&2
    exit 1
  fi
fi
echo "setup.sh: ready: .venv/bin/govsim $(.venv/bin/python -c 'import govsim; print(govsim.__version__)')"
