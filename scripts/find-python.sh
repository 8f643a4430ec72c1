#!/usr/bin/env bash
# Print the absolute path of a Python >= 3.12 interpreter that can create a venv.
#
# Django 6.x requires Python 3.12+. On our machines python3.13/python3.12 on PATH
# may be pyenv shims that only work with PYENV_VERSION set, and plain python3 may
# be 3.11, so every candidate is actually run and checked.
set -uo pipefail

# Runs the candidate (with any env assignments given before it) and prints its
# real executable path if it is >= 3.12 and has venv + ensurepip.
probe() {
    env "$@" -c '
import sys
if sys.version_info < (3, 12):
    sys.exit(1)
import ensurepip, venv  # noqa: F401  (Debian needs python3.X-venv for these)
print(sys.executable)
' 2>/dev/null
}

try() {
    local out
    if out=$(probe "$@") && [ -n "$out" ] && [ -x "$out" ]; then
        printf '%s\n' "$out"
        exit 0
    fi
}

# 1. Explicit override.
if [ -n "${PYTHON:-}" ]; then
    try "$PYTHON"
    echo "find-python: \$PYTHON=$PYTHON is not a working Python >= 3.12 with venv" >&2
fi

# 2. Versioned commands on PATH (real binaries, or pyenv shims that already work).
for cmd in python3.13 python3.12; do
    command -v "$cmd" >/dev/null 2>&1 && try "$cmd"
done

# 3. pyenv-managed interpreters, newest first: the binaries directly (works even
#    when pyenv itself is not on PATH), then through the shim with PYENV_VERSION.
roots=("${PYENV_ROOT:-$HOME/.pyenv}")
if command -v pyenv >/dev/null 2>&1; then
    roots=("$(pyenv root 2>/dev/null || true)" "${roots[@]}")
fi
for root in "${roots[@]}"; do
    [ -n "$root" ] && [ -d "$root/versions" ] || continue
    for bin in $(ls -d "$root"/versions/3.*/bin/python3 2>/dev/null | sort -rV); do
        try "$bin"
    done
done
if command -v pyenv >/dev/null 2>&1; then
    for ver in $(pyenv versions --bare 2>/dev/null | grep -E '^3\.(1[2-9]|[2-9][0-9])(\.|$)' | sort -rV); do
        try PYENV_VERSION="$ver" python3
    done
fi

# 4. System interpreters.
for bin in /usr/bin/python3.13 /usr/bin/python3.12 /usr/local/bin/python3.13 /usr/local/bin/python3.12; do
    [ -x "$bin" ] && try "$bin"
done
for cmd in python3 python; do
    command -v "$cmd" >/dev/null 2>&1 && try "$cmd"
done

cat >&2 <<'MSG'
find-python: no Python >= 3.12 (with the venv module) found.
  Django 6.x needs Python 3.12 or newer. Install one, for example:
    apt-get install python3.12 python3.12-venv     (or python3.13 python3.13-venv)
    pyenv install 3.13                              (if you use pyenv)
  or point PYTHON=/path/to/python3.12+ at an existing interpreter.
MSG
exit 1
