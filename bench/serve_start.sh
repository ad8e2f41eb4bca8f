# Sourced by bench/server.sh and bench/soak.sh: builds an index of the
# bundled lists in $tmp and starts `redflag serve` on a free loopback port
# in the background; sets pid and url (and stops the server on exit).
# Needs build and tmp set.
trap 'kill "$pid" 2>/dev/null || true; rm -rf "$tmp"' EXIT
"$build/redflag" index build -o "$tmp/lists.idx" >/dev/null
"$build/redflag" --index "$tmp/lists.idx" serve --listen 127.0.0.1:0 >"$tmp/out" 2>&1 &
pid=$!
url=""
for _ in $(seq 100); do
    url=$(sed -n 's|.* on \(http://[^ ]*/\) .*|\1|p' "$tmp/out")
    [ -n "$url" ] && break
    sleep 0.1
done
[ -n "$url" ] || { cat "$tmp/out"; exit 1; }
