#!/bin/sh
# Soak: wrk against redflag serve's POST /v1/screen (bench/screen.lua) for
# SECONDS in 30-second rounds, printing the server's RSS after each round,
# so a leak or growth shows as a rising column. A check run by hand (issue
# 9 asks for 10 minutes), not a test.
#   usage: bench/soak.sh BUILD_DIR [SECONDS] [CONNECTIONS]
set -eu
build=${1:-build}
secs=${2:-600}
conns=${3:-8}
here=$(cd "$(dirname "$0")" && pwd)
tmp=$(mktemp -d)
. "$here/serve_start.sh"
rss() { awk '/^VmRSS/ {printf "%.1f", $2 / 1024}' "/proc/$pid/status"; }
echo "redflag serve, POST /v1/screen, $conns connections, ${secs} s in 30 s rounds"
echo "elapsed_s  requests  rss_mib"
echo "0          0         $(rss)"
t=0
while [ "$t" -lt "$secs" ]; do
    n=$(wrk -t1 -c"$conns" -d30s -s "$here/screen.lua" "${url}v1/screen" |
        awk '/requests in/ {print $1}')
    t=$((t + 30))
    printf '%-10s %-9s %s\n' "$t" "$n" "$(rss)"
done
curl -s "${url}metrics" | grep -E '^redflag_(errors|alerts)_total'
