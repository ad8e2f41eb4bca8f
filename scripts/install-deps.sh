#!/bin/sh
# Install every Debian package redflag's build and tests need. Idempotent: when
# everything is present it only runs dpkg-query and exits.
set -eu

PKGS="build-essential cmake pkg-config clang clang-format
libexpat1-dev libcsv-dev libjansson-dev libicu-dev libutf8proc-dev
libxxhash-dev nettle-dev libcmocka-dev libzip-dev zlib1g-dev
libcurl4-openssl-dev libmicrohttpd-dev"

missing=""
for p in $PKGS; do
    if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed'; then
        missing="$missing $p"
    fi
done

if [ -z "$missing" ]; then
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
