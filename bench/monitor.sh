#!/bin/sh
# make bench-monitor: issue 7's monitoring benchmark. SUBJECTS (default
# 1,000,000) customers are screened and recorded against the SDN of
# 2023-12-28, a first monitoring run sets the baseline, then the SDN of
# 2024-05-03 arrives and `redflag monitor` re-screens every stored subject,
# keeping only what is new. Prints time and peak RSS of each step. Names are
# first and last names of the eval negatives recombined, birth dates theirs;
# one subject in 10,000 is named like an entity the 2024 update added.
# A benchmark, not a test. Usage: bench/monitor.sh BUILD_DIR [STORE]
set -eu
build=${1:-build}
n=${SUBJECTS:-1000000}
here=$(cd "$(dirname "$0")/.." && pwd)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
store=${2:-$tmp/record.db}
old="$here/data/history/ofac-sdn-2023-12-28"
new="$here/data/history/ofac-sdn-2024-05-03"

"$build/redflag" lists diff "$old" "$new" --json |
    jq -r '.added[] | .name' 2>/dev/null >"$tmp/added" ||
    "$build/redflag" lists diff "$old" "$new" --json |
    grep -o '"name":"[^"]*"' | sed 's/"name":"//; s/"$//' >"$tmp/added"
awk -F, -v n="$n" -v added="$tmp/added" '
    BEGIN { while ((getline line < added) > 0) planted[k++] = line }
    # rows with quoted fields (commas inside) are left out: -F, cannot split them
    FNR > 1 && !/"/ && $2 != "" && $4 != "" && $6 ~ /^[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]$/ {
        first[m] = $2; last[m] = $4; dob[m] = $6; m++
    }
    END {
        for (i = 0; i < n; i++) {
            if (i % 10000 == 5000 && k) {
                # named like an added entity, no birth date to tell them apart
                name = planted[int(i / 10000) % k]
                gsub(/"/, "", name)
                printf "{\"id\":\"c%d\",\"name\":\"%s\"}\n", i, name
                continue
            }
            name = first[(i * 7919) % m] " " last[(i * 104729 + 17) % m]
            printf "{\"id\":\"c%d\",\"name\":\"%s\",\"birth_date\":\"%s\"}\n", i, name, dob[(i * 31) % m]
        }
    }' "$here/tests/data/eval/negatives_global.csv" "$here/tests/data/eval/negatives_us.csv" \
    >"$tmp/subjects.jsonl"
echo "monitoring benchmark: $n subjects, store $store, $(nproc) cores"

step() {
    label=$1
    shift
    /usr/bin/time -f "%e %M" -o "$tmp/time" "$@" >"$tmp/out" 2>"$tmp/err" || {
        cat "$tmp/err"
        exit 1
    }
    set -- $(cat "$tmp/time")
    printf "%-44s %8.1f s  peak RSS %7.1f MiB\n" "$label" "$1" "$(echo "$2 / 1024" | bc -l)"
}
step "screen --record (SDN 2023-12-28, 2 threads)" \
    sh -c "'$build/redflag' --data '$old' screen --record --store '$store' --threads 2 \
           <'$tmp/subjects.jsonl' >/dev/null"
step "monitor: first run (the baseline)" "$build/redflag" --data "$old" monitor --store "$store"
sed 's/^/    /' "$tmp/out"
step "monitor: after the update to SDN 2024-05-03" "$build/redflag" --data "$new" monitor --store "$store"
sed 's/^/    /' "$tmp/out"
planted=$(( (n + 5000) / 10000 ))
found=$("$build/redflag" alerts --open --json --store "$store" |
    jq '[.[] | .subject_id | select(test("^c[0-9]*5000$"))] | unique | length')
echo "    subjects named like an added entity with an open alert: $found of $planted"
step "monitor: again, nothing new" "$build/redflag" --data "$new" monitor --store "$store"
sed 's/^/    /' "$tmp/out"
case "$store" in
postgres*) ;;
*) echo "store size: $(du -sh "$store" | cut -f1)" ;;
esac
