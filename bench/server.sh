#!/bin/sh
# make bench-server: wrk against redflag serve's POST /v1/screen on loopback
# for 20 s (bench/screen.lua: one name a request). Prints requests/s, p50 and
# p99 latency, errors, and the server's RSS before and after. A benchmark,
# not a test. Usage: bench/server.sh BUILD_DIR [SECONDS] [CONNECTIONS]
set -eu
build=${1:-build}
secs=${2:-20}
conns=${3:-32}
here=$(cd "$(dirname "$0")" && pwd)
tmp=$(mktemp -d)
. "$here/serve_start.sh"
rss() { awk '/^VmRSS/ {printf "%.1f MiB", $2 / 1024}' "/proc/$pid/status"; }
# warm the per-thread caches a little, as a running server would be
wrk -t2 -c"$conns" -d2s -s "$here/screen.lua" "${url}v1/screen" >/dev/null
start_rss=$(rss)
echo "redflag serve, POST /v1/screen, $conns connections, ${secs} s, $(nproc) cores (wrk and the server share them)"
wrk -t2 -c"$conns" -d"${secs}s" --latency -s "$here/screen.lua" "${url}v1/screen" | tee "$tmp/wrk"
echo "RSS: $start_rss after warm-up, $(rss) at the end"
curl -s "${url}metrics" | grep -E '^redflag_(errors|alerts)_total'
