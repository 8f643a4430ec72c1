#!/usr/bin/env bash
# Install the Debian packages the app and its tests need, but only the missing ones:
# tesseract-ocr (+ Swedish model), poppler-utils, postgresql, chromium, chromium-driver.
# Safe to run again: when everything is present it does nothing (and needs no root).
set -euo pipefail

missing=()

have_tesseract_swe() {
    command -v tesseract >/dev/null 2>&1 && tesseract --list-langs 2>/dev/null | grep -qx swe
}
pg_bindir() {
    local d
    for d in $(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -rV); do
        [ -x "$d/initdb" ] && [ -x "$d/pg_ctl" ] && { echo "$d"; return 0; }
    done
    if command -v pg_config >/dev/null 2>&1; then
        d=$(pg_config --bindir 2>/dev/null || true)
        [ -n "$d" ] && [ -x "$d/initdb" ] && { echo "$d"; return 0; }
    fi
    return 1
}
have_pg_extensions() {
    # The migrations create unaccent and pg_trgm (Debian ships them in postgresql-NN).
    local share
    share=$(ls -d /usr/share/postgresql/*/extension 2>/dev/null | sort -rV | head -n1)
    [ -n "$share" ] && [ -f "$share/unaccent.control" ] && [ -f "$share/pg_trgm.control" ]
}

command -v tesseract >/dev/null 2>&1 || missing+=(tesseract-ocr)
have_tesseract_swe || missing+=(tesseract-ocr-swe)
command -v pdftoppm >/dev/null 2>&1 && command -v pdftotext >/dev/null 2>&1 || missing+=(poppler-utils)
{ pg_bindir >/dev/null && have_pg_extensions; } || missing+=(postgresql)
command -v chromium >/dev/null 2>&1 || missing+=(chromium)
command -v chromedriver >/dev/null 2>&1 || missing+=(chromium-driver)

if [ ${#missing[@]} -eq 0 ]; then
    echo "system-deps: all present (tesseract+swe, poppler-utils, postgresql, chromium, chromedriver)"
    exit 0
fi

echo "system-deps: installing missing Debian packages: ${missing[*]}"
if [ "$(id -u)" -eq 0 ]; then
    SUDO=()
elif command -v sudo >/dev/null 2>&1; then
    SUDO=(sudo -n)  # -n: never prompt (CI has no stdin); fails clearly instead
else
    echo "system-deps: not root and no sudo; install these yourself: ${missing[*]}" >&2
    exit 1
fi
if ! command -v apt-get >/dev/null 2>&1; then
    echo "system-deps: no apt-get (not Debian/Ubuntu?); install the equivalents of: ${missing[*]}" >&2
    exit 1
fi

export DEBIAN_FRONTEND=noninteractive
"${SUDO[@]}" env DEBIAN_FRONTEND=noninteractive apt-get update -qq
"${SUDO[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
    -o Dpkg::Options::=--force-confdef -o Dpkg::Options::=--force-confold "${missing[@]}"

# Verify, so a half-installed machine fails here rather than deep inside the tests.
fail=0
have_tesseract_swe || { echo "system-deps: tesseract with the 'swe' model still missing" >&2; fail=1; }
command -v pdftoppm >/dev/null 2>&1 || { echo "system-deps: poppler-utils still missing" >&2; fail=1; }
{ pg_bindir >/dev/null && have_pg_extensions; } || { echo "system-deps: PostgreSQL server binaries/extensions still missing" >&2; fail=1; }
command -v chromium >/dev/null 2>&1 || { echo "system-deps: chromium still missing" >&2; fail=1; }
command -v chromedriver >/dev/null 2>&1 || { echo "system-deps: chromedriver still missing" >&2; fail=1; }
exit $fail
