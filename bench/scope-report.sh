#!/usr/bin/env bash
# bench/scope-report.sh - query times of `mamori scope`, `mamori timeline` and `mamori report`
# on a month of a 50-device office (issues 6 and 7). `make bench` runs it after bench/run.sh.
#
# usage: bench/scope-report.sh [MAMORI]        (default: build/src/cli/mamori)
# environment:
#   BENCH_STORE_DIR   where the generated store is kept (default /var/tmp/mamori-bench-store);
#                     it is made once by bench/gen-office-store.py and reused while the
#                     generator and the parameters below are unchanged
#   BENCH_STORE_FLOWS flows in the store (default 10000000)
#   BENCH_STORE_DNS   DNS rows (default 5000000)
#   BENCH_STORE_SEED  generator seed (default 1)
#   BENCH_QUERY_RUNS  warm runs per command (default 3); the best is reported, and the first
#                     (cold: the store's pages dropped from the page cache first) separately
#
# Targets (issues 6, 7): scope of one address < 1 s, a 2-hop spread < 3 s, report --month
# < 10 s. The timeline of one PC has no target in the issues; 1 s for one day and 10 s for
# the whole month (about 200,000 flows of that PC) are shown as a guide.
# Printed: per command the cold time, the best warm time, the target, peak RSS; and the store's
# size in MiB per million flows.
set -euo pipefail
export LC_ALL=C

here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/.." && pwd)
mamori=${1:-$repo/build/src/cli/mamori}
mamori=$(cd "$(dirname "$mamori")" && pwd)/$(basename "$mamori")
dir=${BENCH_STORE_DIR:-/var/tmp/mamori-bench-store}
flows=${BENCH_STORE_FLOWS:-10000000}
dns=${BENCH_STORE_DNS:-5000000}
seed=${BENCH_STORE_SEED:-1}
runs=${BENCH_QUERY_RUNS:-3}
month=2026-10
c2=198.51.100.23     # fixed by gen-office-store.py
pc=PC-17             # patient zero, fixed by gen-office-store.py

die() { echo "bench: $*" >&2; exit 1; }
[ -x "$mamori" ] || die "no mamori binary at $mamori"
command -v python3 >/dev/null || die "python3 is needed"
mkdir -p "$dir"

# The store, keyed by the generator's text and its parameters.
params="--devices 50 --days 30 --flows $flows --dns $dns --seed $seed --month $month"
key=$( { sha256sum < "$here/gen-office-store.py"; echo "$params"; } | sha256sum | cut -c1-16)
db=$dir/office-$key.db
if [ ! -s "$db" ]; then
    rm -f "$dir"/office-*.db "$dir"/office-*.db-wal "$dir"/office-*.db-shm "$dir"/tmp-*.db*
    echo "bench: generating the office store ($params), once; this takes minutes"
    start=$(date +%s)
    # shellcheck disable=SC2086
    python3 "$here/gen-office-store.py" "$dir/tmp-$key.db" $params --mamori "$mamori" \
        | tee "$dir/gen-$key.txt"
    mv "$dir/tmp-$key.db" "$db"
    echo "bench: store generated in $(( $(date +%s) - start )) s"
fi
nflows=$(python3 -c 'import sqlite3,sys; print(sqlite3.connect("file:"+sys.argv[1]+"?mode=ro", uri=True).execute("SELECT count(*) FROM flows").fetchone()[0])' "$db")

# Times one command: cold run first (the store's pages dropped from the page cache with
# posix_fadvise, which touches no other file), then $runs warm runs; prints
# "cold best maxrss_kib status" (status of the last run).
timeit() {
    python3 - "$db" "$runs" "$@" <<'EOF'
import os, subprocess, sys, time
db, runs, cmd = sys.argv[1], int(sys.argv[2]), sys.argv[3:]
def drop():
    for f in (db, db + "-wal"):
        try:
            fd = os.open(f, os.O_RDONLY)
        except OSError:
            continue
        os.posix_fadvise(fd, 0, 0, os.POSIX_FADV_DONTNEED)
        os.close(fd)
def once():
    t = time.monotonic()
    p = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    _, status, ru = os.wait4(p.pid, 0)
    return time.monotonic() - t, ru.ru_maxrss, os.waitstatus_to_exitcode(status)
drop()
cold, rss, st = once()
best = None
for _ in range(runs):
    w, r, st = once()
    best = w if best is None else min(best, w)
    rss = max(rss, r)
print("%.3f %.3f %d %d" % (cold, best, rss, st))
EOF
}

available() {   # available SUBCOMMAND OPTION: does this mamori have it?
    "$mamori" "$1" --help 2>&1 | grep -q -- "$2"
}

line() {        # line NAME TARGET_S CMD...
    local name=$1 target=$2 r cold best rss st verdict
    shift 2
    r=$(timeit "$@")
    read -r cold best rss st <<<"$r"
    if [ "$st" != 0 ]; then
        verdict="FAILED (exit $st)"
    elif awk -v b="$best" -v t="$target" 'BEGIN { exit !(b < t) }'; then
        verdict=ok
    else
        verdict=SLOW
    fi
    printf '%-30s cold %7.2f s  best %7.2f s  target < %4s s  %-6s peak RSS %7.1f MiB\n' \
        "$name" "$cold" "$best" "$target" "$verdict" "$(awk -v k="$rss" 'BEGIN { print k / 1024 }')"
}

out=$dir/results-$key.txt
{
    size=$(stat -c %s "$db")
    [ -f "$db-wal" ] && size=$(( size + $(stat -c %s "$db-wal") ))
    printf 'store: %s, %d flows, %.0f MiB, %.1f MiB per million flows\n' "$db" "$nflows" \
        "$(awk -v s="$size" 'BEGIN { print s / 1048576 }')" \
        "$(awk -v s="$size" -v f="$nflows" 'BEGIN { print s / 1048576 / (f / 1e6) }')"
    if available scope --hops; then
        line "scope $c2" 1 "$mamori" scope "$c2" --db "$db" --json
        line "scope $c2 --hops 2" 3 "$mamori" scope "$c2" --hops 2 --db "$db" --json
    else
        echo "scope: not available"
    fi
    if available timeline --since; then
        line "timeline $pc, a day" 1 "$mamori" timeline "$pc" --db "$db" \
            --since 2026-10-20 --until 2026-10-21
        line "timeline $pc, month" 10 "$mamori" timeline "$pc" --db "$db"
        line "timeline $pc --all" 10 "$mamori" timeline "$pc" --all --db "$db"
    else
        echo "timeline: not available"
    fi
    if available report --month; then
        line "report --month $month" 10 "$mamori" report --month "$month" --db "$db" \
            -o "$dir/report-$month.html"
    else
        echo "report: not available"
    fi
} | tee "$out"
