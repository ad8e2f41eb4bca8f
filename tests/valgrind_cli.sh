#!/bin/sh
# The CLI end to end under valgrind memcheck: real commands on the bundled
# lists (match, screen JSON lines and CSV, lists, index build and a match on
# the index), each checked for its output and exit status, and for no
# memory errors and no definite or indirect leaks.
#   usage: valgrind_cli.sh REDFLAG DATA_DIR
set -u
bin=$1
data=$2
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail=0
VG="valgrind -q --error-exitcode=99 --leak-check=full --errors-for-leak-kinds=definite,indirect
    --show-leak-kinds=definite,indirect --track-fds=no"

# check NAME WANT_STATUS PATTERN -- ARGS... (stdin from $tmp/in)
check() {
    name=$1 want=$2 pattern=$3
    shift 4
    # shellcheck disable=SC2086
    $VG "$bin" --data "$data" "$@" <"$tmp/in" >"$tmp/out" 2>"$tmp/err"
    got=$?
    if [ "$got" -eq 99 ]; then
        echo "FAIL $name: valgrind found errors or leaks:" >&2
        cat "$tmp/err" >&2
        fail=1
    elif [ "$got" -ne "$want" ]; then
        echo "FAIL $name: exit status $got, expected $want" >&2
        cat "$tmp/err" >&2
        fail=1
    elif ! grep -q -- "$pattern" "$tmp/out"; then
        echo "FAIL $name: output lacks '$pattern':" >&2
        head -5 "$tmp/out" >&2
        fail=1
    elif grep -q '^==[0-9]*==' "$tmp/err"; then
        echo "FAIL $name: valgrind reported:" >&2
        cat "$tmp/err" >&2
        fail=1
    else
        echo "ok   $name"
    fi
}

: >"$tmp/in"
check match 0 'us_ofac_sdn   43377' -- match "Kim Sang Man"

cat >"$tmp/in" <<'JSONL'
{"id":"a","name":"Kim Sang Man","type":"person","birth_date":"1965"}
{"id":"b","name":"AEROCARIBBEAN AIRLINES","country":"CU"}
not json
{"id":"d","identifiers":[{"type":"passport","number":"X"}]}
{"id":"e","name":"Лукашенко Александр"}
JSONL
# one bad line: its error line, the rest screened, exit status 1
check screen-jsonl 1 '"id":null,"error":"line 3: invalid JSON' -- screen
grep -q '"id":"a","alert":true,"matches":\[{"entity":"us_ofac_sdn:43377"' "$tmp/out" ||
    { echo "FAIL screen-jsonl: no match for query a" >&2; fail=1; }
[ "$(wc -l <"$tmp/out")" -eq 5 ] || { echo "FAIL screen-jsonl: not 5 result lines" >&2; fail=1; }

printf 'id,name,type\nc1,Kim Sang Man,person\nc2,,\n' >"$tmp/in"
check screen-csv 1 '"id":"c1","alert":true' -- screen --format csv

: >"$tmp/in"
check lists 0 'us_ofac_sdn' -- lists
check index-build 0 '' -- index build -o "$tmp/ix"
check match-index 0 'us_ofac_sdn   43377' -- --index "$tmp/ix" match "Kim Sang Man"
exit $fail
