#!/bin/sh
# run.sh - golden tests: tests/golden/run.sh MAMORI_BINARY [NAME...]
# Generates each TESTLIST scenario, analyses it with `mamori read` and diffs
# the flows table with the expected file. Prints ok/FAIL per test; exits 0
# if all passed, 1 otherwise, 2 on bad usage. With UPDATE=1 (see ./update)
# the expected files are rewritten instead of compared.
set -u

if [ $# -lt 1 ]; then
    echo "usage: $0 MAMORI_BINARY [NAME...]" >&2
    exit 2
fi
mamori=$1
shift
case $mamori in
/*) ;;
*) mamori=$(pwd)/$mamori ;;
esac
if [ ! -x "$mamori" ]; then
    echo "$0: not an executable: $mamori" >&2
    exit 2
fi
if ! command -v sqlite3 >/dev/null 2>&1; then
    echo "$0: sqlite3 command not found" >&2
    exit 2
fi
here=$(cd "$(dirname "$0")" && pwd)
update=${UPDATE:-0}
export TZ=UTC LC_ALL=C

tmp=$(mktemp -d "${TMPDIR:-/tmp}/mamori-golden.XXXXXX") || exit 2
trap 'rm -rf "$tmp"' EXIT INT TERM

query='SELECT src_ip,src_port,dst_ip,dst_port,proto,pkts_toserver,pkts_toclient,'
query=$query'bytes_toserver,bytes_toclient,tcp_state,conn_state,end_reason FROM flows '
query=$query'ORDER BY first_ts, src_ip, src_port'

wanted() {
    [ $# -eq 0 ] && return 0
    for w in "$@"; do
        [ "$w" = "$name" ] && return 0
    done
    return 1
}

names="${WANTED:-} $*"
failed=0
ran=0
while read -r name args expected flags rest; do
    case $name in
    '' | '#'*) continue ;;
    esac
    if [ -z "${expected:-}" ]; then
        echo "FAIL $name (bad TESTLIST line)"
        failed=1
        continue
    fi
    # shellcheck disable=SC2086
    wanted $names || continue
    case ",${flags:--}," in
    *,skip,*) echo "skip $name"; continue ;;
    esac
    ran=$((ran + 1))
    dir=$tmp/$name
    mkdir -p "$dir"
    # scenario-args are comma-separated (no spaces allowed in them)
    oldifs=$IFS
    IFS=,
    # shellcheck disable=SC2086
    set -- $args
    IFS=$oldifs
    if ! "$mamori" gen-scenario "$@" -o "$dir/cap.pcap" 2>"$dir/gen.err"; then
        echo "FAIL $name (gen-scenario failed)"
        sed 's/^/    /' "$dir/gen.err"
        failed=1
        continue
    fi
    if ! "$mamori" read --db "$dir/out.db" --eve "$dir/eve.json" "$dir/cap.pcap" \
        >"$dir/read.out" 2>"$dir/read.err"; then
        echo "FAIL $name (mamori read failed)"
        sed 's/^/    /' "$dir/read.err"
        failed=1
        continue
    fi
    if ! sqlite3 -header -separator ' ' "$dir/out.db" "$query" >"$dir/actual.out" 2>"$dir/sql.err"
    then
        echo "FAIL $name (query failed)"
        sed 's/^/    /' "$dir/sql.err"
        failed=1
        continue
    fi
    if [ "$update" = 1 ]; then
        cp "$dir/actual.out" "$here/$expected"
        echo "updated $name ($expected)"
    elif diff -u "$here/$expected" "$dir/actual.out" >"$dir/diff"; then
        echo "ok $name"
    else
        echo "FAIL $name"
        sed 's/^/    /' "$dir/diff"
        failed=1
    fi
done <"$here/TESTLIST"

if [ "$ran" -eq 0 ]; then
    echo "$0: no test ran" >&2
    exit 1
fi
exit $failed
