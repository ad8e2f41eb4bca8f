#!/bin/sh
# Install every Debian package redflag's build and tests need. Idempotent: when
# everything is present it only runs dpkg-query and exits.
set -eu

PKGS="build-essential cmake pkg-config clang clang-format
libexpat1-dev libcsv-dev libjansson-dev libicu-dev libutf8proc-dev
libxxhash-dev nettle-dev libcmocka-dev libzip-dev zlib1g-dev
libcurl4-openssl-dev libmicrohttpd-dev libsqlite3-dev chromium wrk valgrind"

# node and npm (for the browser test): the machine's own when present (a
# NodeSource build carries npm), else Debian's
command -v node >/dev/null 2>&1 || PKGS="$PKGS nodejs"
command -v npm >/dev/null 2>&1 || PKGS="$PKGS npm"

# playwright-core for the browser test, pinned by tests/browser/package-lock.json;
# it drives Debian's chromium and downloads no browser
browser_modules() {
    dir="$(dirname "$0")/../tests/browser"
    if [ ! -d "$dir/node_modules/playwright-core" ]; then
        echo "install-deps: npm ci in tests/browser" >&2
        (cd "$dir" && PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 npm ci --no-audit --no-fund >/dev/null)
    fi
}

missing=""
for p in $PKGS; do
    if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed'; then
        missing="$missing $p"
    fi
done

if [ -z "$missing" ]; then
    browser_modules
    exit 0
fi

if [ "$(id -u)" -ne 0 ]; then
    SUDO=sudo
else
    SUDO=
fi
echo "install-deps: installing:$missing" >&2
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
# shellcheck disable=SC2086
$SUDO apt-get install -y -qq --no-install-recommends $missing >/dev/null
browser_modules
