#!/bin/sh
# Runs every libFuzzer target of BUILD (build-fuzz/fuzz_<name>) for SECONDS
# each, one at a time, on a copy of its seed corpus (fuzz/corpus/<name>/ and
# the crashers of fuzz/regressions/<name>/), so what it finds does not touch
# the repository. Crashers are written to BUILD/crashes/<name>/; copy them to
# fuzz/regressions/<name>/ once fixed. Prints executions per target to
# BUILD/fuzz-summary.txt and exits 1 when any target crashed.
#   usage: scripts/fuzz.sh [BUILD] [SECONDS] [TARGET...]
set -u
cd "$(dirname "$0")/.."
build=${1:-build-fuzz}
secs=${2:-60}
[ $# -ge 2 ] && shift 2 || shift $#
targets=${*:-$(cd fuzz/corpus && ls)}
summary="$build/fuzz-summary.txt"
: >"$summary"
failed=0
for t in $targets; do
    bin="$build/fuzz_$t"
    if [ ! -x "$bin" ]; then
        echo "fuzz: $bin is missing (make fuzz-build)" >&2
        failed=1
        continue
    fi
    work="$build/corpus/$t"
    crashes="$build/crashes/$t"
    mkdir -p "$work" "$crashes"
    cp -n fuzz/corpus/"$t"/* "$work"/ 2>/dev/null
    find fuzz/regressions/"$t" -type f ! -name '.*' -exec cp -n {} "$work"/ \; 2>/dev/null
    dict=""
    [ -f "fuzz/dict/$t.dict" ] && dict="-dict=fuzz/dict/$t.dict"
    log="$build/fuzz-$t.log"
    echo "fuzz: $t for ${secs}s" >&2
    # shellcheck disable=SC2086
    ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
        "$bin" -max_total_time="$secs" -max_len=65536 -rss_limit_mb=2560 -timeout=30 \
        -print_final_stats=1 -artifact_prefix="$crashes/" $dict "$work" >"$log" 2>&1
    rc=$?
    execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -1)
    result=ok
    if [ $rc -ne 0 ]; then
        result="CRASH (exit $rc): see $log and $crashes/"
        failed=1
    fi
    printf '%-14s %5ss %10s execs  %s\n' "$t" "$secs" "${execs:-?}" "$result" | tee -a "$summary"
done
exit $failed
