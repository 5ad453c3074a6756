#!/usr/bin/env bash
# cli-test.sh - the `mamori` binary as a user runs it: bad input, bad environment, signals.
#
# usage: cli-test.sh MAMORI [SHARED_DIR]
#
# Every error case checks: the exit status (2 bad usage or bad input, 1 environment failure),
# exactly ONE line on stderr, starting with "mamori: " and naming the file (or interface) at
# fault, no sanitizer report, no signal. Durability cases check the SQLite store with the
# sqlite3 shell after kill -9 / SIGTERM / SIGINT during a long read.
# Output is TAP; the exit status is 1 if any test failed, 77 (skip) if sqlite3 or python3 is
# missing.
set -u
export LC_ALL=C TZ=UTC

MAMORI=${1:?usage: cli-test.sh MAMORI [SHARED_DIR]}
MAMORI=$(cd "$(dirname "$MAMORI")" && pwd)/$(basename "$MAMORI")
HERE=$(cd "$(dirname "$0")" && pwd)
PY=/usr/bin/python3
MK="$PY $HERE/mkpcap.py"
for tool in sqlite3 "$PY"; do
    command -v "$tool" >/dev/null || { echo "1..0 # SKIP $tool not installed"; exit 77; }
done
[ -x "$MAMORI" ] || { echo "Bail out! no mamori binary at $MAMORI"; exit 1; }

T=$(mktemp -d /tmp/mamori-cli.XXXXXX)
PIDS=()
cleanup() {
    for p in "${PIDS[@]}"; do kill -9 "$p" 2>/dev/null; done
    [ -n "${MOUNTED:-}" ] && umount "$MOUNTED" 2>/dev/null
    chattr -i "$T/ro" 2>/dev/null
    rm -rf "$T"
}
trap cleanup EXIT
cd "$T" || exit 1
ulimit -c 0

. "$HERE/tap.sh"

# summary value: summary_val NAME (from ./out)
summary_val() { awk -v k="$1" '$1 == k && $2 ~ /^[0-9]+$/ { print $2; exit }' out; }

sql() { sqlite3 -batch -noheader "$1" "$2" 2>&1; }

# --- inputs -----------------------------------------------------------------------------
good_totals=$($MK good good.pcap 20) || { echo "Bail out! mkpcap failed"; exit 1; }
snap_totals=$($MK snapcut snapcut.pcap 20)
$MK absurd absurd.pcap
$MK linktype lt147.pcap 147
$MK linktype lt9999.pcap 9999
$MK ng-unknown ng-unknown.pcapng
$MK ng-badlen ng-badlen.pcapng
printf 'this is a text file, not a capture\n' > notcap.txt
: > empty.pcap
size=$(stat -c %s good.pcap)
head -c $((size - 10)) good.pcap > trunc.pcap
head -c 20 good.pcap > shorthdr.pcap
mkdir adir

# --- basics -----------------------------------------------------------------------------
expect_ok "--version" "$MAMORI" --version
if grep -Eq '[0-9]+\.[0-9]+\.[0-9]+' out; then ok "--version prints a version"; else
    not_ok "--version prints a version" "stdout: $(head -c 200 out)"; fi
expect_ok "help" "$MAMORI" help
expect_ok "help read" "$MAMORI" help read

expect_ok "read a good capture" "$MAMORI" read --db good.db --eve good.eve good.pcap
want_p=${good_totals#packets }; want_p=${want_p%% *}; want_b=${good_totals##* }
got_p=$(summary_val packets); got_b=$(summary_val bytes); got_f=$(summary_val flows)
if [ "$got_p" = "$want_p" ] && [ "$got_b" = "$want_b" ]; then
    ok "summary: packets $got_p bytes $got_b"
else
    not_ok "summary of good.pcap" "want packets $want_p bytes $want_b, got '$got_p' '$got_b'" \
        "stdout: $(head -c 300 out | tr '\n' '|')"
fi
# 1 TCP flow + 6 UDP flows (20 packets = 8 TCP + 6 query/answer pairs)
dbf=$(sql good.db 'SELECT count(*) FROM flows')
if [ "$dbf" = 7 ] && [ "$got_f" = 7 ]; then ok "7 flows in summary and store"; else
    not_ok "7 flows in summary and store" "summary '$got_f', store '$dbf'"; fi
tcp=$(sql good.db "SELECT src_ip, src_port, dst_ip, dst_port, pkts_toserver, pkts_toclient,
    bytes_toserver, bytes_toclient FROM flows WHERE proto = 6")
if [ "$tcp" = "10.0.0.1|40000|10.0.0.2|80|5|3|288|481" ]; then ok "TCP flow record exact"; else
    not_ok "TCP flow record exact" "got '$tcp'" "want 10.0.0.1|40000|10.0.0.2|80|5|3|288|481"; fi
runs=$(sql good.db "SELECT command, packets, bytes, flows, status IS NOT NULL,
    ended_at IS NOT NULL FROM runs")
if [ "$runs" = "read|20|$want_b|7|1|1" ]; then ok "runs row complete"; else
    not_ok "runs row complete" "got '$runs'"; fi
if [ -x "$(command -v "$PY")" ] && [ -f "$HERE/../oracle/eve-validate.py" ] && [ -s good.eve ]; then
    if $PY "$HERE/../oracle/eve-validate.py" good.eve > evelog 2>&1; then
        ok "EVE validates ($(tail -n 1 evelog))"
    elif [ $? -eq 77 ]; then ok "EVE validation # SKIP $(tail -n 1 evelog)"
    else not_ok "EVE validates" "$(head -n 5 evelog)"; fi
fi
expect_ok "read the same capture into the same store again" "$MAMORI" read --db good.db good.pcap
r=$(sql good.db 'SELECT count(*) FROM runs'); f=$(sql good.db 'SELECT count(*) FROM flows')
if [ "$r" = 2 ] && [ "$f" = 14 ]; then ok "second run appended (2 runs, 14 flows)"; else
    not_ok "second run appended" "runs '$r' flows '$f'"; fi

expect_ok "snaplen-cut packets are read" "$MAMORI" read --db snap.db snapcut.pcap
want_b=${snap_totals##* }
if [ "$(summary_val bytes)" = "$want_b" ] && [ "$(summary_val packets)" = 20 ]; then
    ok "snaplen-cut: bytes are wire lengths ($want_b)"
else
    not_ok "snaplen-cut: bytes are wire lengths" "want 20 packets $want_b bytes" \
        "stdout: $(head -c 300 out | tr '\n' '|')"
fi
tcp=$(sql snap.db "SELECT pkts_toserver + pkts_toclient, bytes_toserver + bytes_toclient
    FROM flows WHERE proto = 6")
if [ "$tcp" = "8|769" ]; then ok "snaplen-cut: TCP flow 8 packets 769 bytes"; else
    not_ok "snaplen-cut: TCP flow 8 packets 769 bytes" "got '$tcp'"; fi

expect_ok "pcapng with an unknown block type: block skipped" "$MAMORI" read --db ng.db \
    ng-unknown.pcapng
if [ "$(summary_val packets)" = 3 ]; then ok "pcapng unknown block: 3 packets read"; else
    not_ok "pcapng unknown block: 3 packets read" "stdout: $(head -c 300 out | tr '\n' '|')"; fi

# --- gen-scenario: same seed, same bytes; the result reads cleanly ------------------------
for s in $("$MAMORI" gen-scenario --list 2>/dev/null | awk 'NF && $1 !~ /^[[:space:]]/ { print $1 }')
do
    extra=()
    [ "$s" = flood ] && extra=(--packets 5000)
    run "$MAMORI" gen-scenario "$s" -o "scn-$s-a.pcap" --seed 3 "${extra[@]}"
    r1=$rc
    run "$MAMORI" gen-scenario "$s" -o "scn-$s-b.pcap" --seed 3 "${extra[@]}"
    if [ "$r1" -eq 0 ] && [ "$rc" -eq 0 ] && cmp -s "scn-$s-a.pcap" "scn-$s-b.pcap"; then
        ok "gen-scenario $s: deterministic ($(stat -c %s "scn-$s-a.pcap") bytes)"
    else
        not_ok "gen-scenario $s: deterministic" "exit $r1 then $rc, or the two files differ"
    fi
    expect_ok "read scenario $s" "$MAMORI" read --db "scn-$s.db" "scn-$s-a.pcap"
done

# --- bad input: exit 2 ------------------------------------------------------------------
expect_err "not a capture (text file)" 2 notcap.txt "$MAMORI" read --db bad.db notcap.txt
expect_err "empty file" 2 empty.pcap "$MAMORI" read --db bad.db empty.pcap
expect_err "file header cut short" 2 shorthdr.pcap "$MAMORI" read --db bad.db shorthdr.pcap
expect_err "truncated last record" 2 trunc.pcap "$MAMORI" read --db trunc.db trunc.pcap
f=$(sql trunc.db 'SELECT count(*) FROM flows')
if [[ $f =~ ^[0-9]+$ ]] && [ "$f" -ge 1 ]; then
    ok "truncated last record: flows before the error committed ($f)"
else
    not_ok "truncated last record: flows before the error committed" "flows: '$f'"
fi
expect_err "record with absurd length 0xFFFFFFF0" 2 absurd.pcap \
    "$MAMORI" read --db bad.db absurd.pcap
expect_err "unknown link type 147" 2 lt147.pcap "$MAMORI" read --db bad.db lt147.pcap
expect_err "unknown link type 9999" 2 lt9999.pcap "$MAMORI" read --db bad.db lt9999.pcap
expect_err "pcapng block length 7" 2 ng-badlen.pcapng "$MAMORI" read --db bad.db ng-badlen.pcapng
expect_err "missing file" 2 no-such-file.pcap "$MAMORI" read --db bad.db no-such-file.pcap
expect_err "directory as capture" 2 adir "$MAMORI" read --db bad.db adir
expect_err "good then bad capture" 2 notcap.txt "$MAMORI" read --db two.db good.pcap notcap.txt
f=$(sql two.db 'SELECT count(*) FROM flows')
if [ "$f" = 7 ]; then ok "good then bad: flows of the good file committed"; else
    not_ok "good then bad: flows of the good file committed" "flows: '$f'"; fi
expect_err "bad BPF filter" 2 "" "$MAMORI" read --db bad.db --bpf 'tcp port port' good.pcap
expect_err "missing config file" 2 no-such.conf \
    "$MAMORI" read --db bad.db --config no-such.conf good.pcap
expect_err "unknown option" 2 "" "$MAMORI" read --db bad.db --no-such-option good.pcap
expect_err "option missing its argument" 2 "" "$MAMORI" read --db
expect_err "read without a capture" 2 "" "$MAMORI" read --db bad.db
expect_err "unknown command" 2 "" "$MAMORI" frobnicate
expect_err "watch a missing interface" 2 nonexistent0 "$MAMORI" watch -i nonexistent0 --db w.db
expect_err "gen-scenario unknown name" 2 "" "$MAMORI" gen-scenario no-such-scenario -o x.pcap

# --- devices and alerts: the inventory commands ------------------------------------------
mkdir inv
expect_ok "devices: read into a fresh store" "$MAMORI" read -q --db inv/m.db good.pcap
expect_ok "devices: list" "$MAMORI" devices --db inv/m.db
expect_ok "alerts: list" "$MAMORI" alerts --db inv/m.db --min-severity info
printf 'mac,name,owner,note\naa:bb:cc:dd:ee:ff,PC1,Sato,\nzz:bb:cc:dd:ee:ff,PC2,Ito,\n' > inv/bad.csv
expect_err "devices import: malformed CSV names the line" 2 "line 3" \
    "$MAMORI" devices --db inv/m.db import inv/bad.csv
expect_err "read: malformed known-device list names the line" 2 "line 3" \
    "$MAMORI" read -q --db inv/m.db --known inv/bad.csv good.pcap
expect_err "devices approve: not a MAC" 2 "not-a-mac" \
    "$MAMORI" devices --db inv/m.db approve not-a-mac --name x
expect_ok "devices approve" "$MAMORI" devices --db inv/m.db approve 00:11:22:33:44:55 \
    --name '総務PC' --owner '佐藤'
if grep -q '^00:11:22:33:44:55,総務PC,佐藤,' inv/known-devices.csv && \
   ! ls inv/.known-devices.csv.tmp* >/dev/null 2>&1; then
    ok "devices approve: saved beside the database, no temporary file left"
else
    not_ok "devices approve: saved beside the database" "$(cat inv/known-devices.csv 2>&1)"
fi
expect_err "devices: database missing" 1 "nothing.db" "$MAMORI" devices --db inv/nothing.db
expect_err "alerts: bad --since" 2 "yesterday-ish" "$MAMORI" alerts --db inv/m.db --since yesterday-ish
expect_err "alerts: bad --min-severity" 2 "" "$MAMORI" alerts --db inv/m.db --min-severity urgent

# --- environment failures: exit 1 -------------------------------------------------------
expect_err "database under a regular file" 1 /etc/passwd/x.db \
    "$MAMORI" read --db /etc/passwd/x.db good.pcap
mkdir ro
if chattr +i ro 2>/dev/null; then
    expect_err "database in an immutable directory" 1 ro/x.db "$MAMORI" read --db ro/x.db good.pcap
    chattr -i ro
else
    ok "database in an immutable directory # SKIP chattr +i not supported here"
fi
head -c 65536 /dev/urandom > corrupt.db
expect_err "corrupt database (random bytes)" 1 corrupt.db "$MAMORI" read --db corrupt.db good.pcap
printf 'SQLite format 3\0' > corrupt2.db; head -c 8192 /dev/urandom >> corrupt2.db
expect_err "corrupt database (SQLite magic, garbage after)" 1 corrupt2.db \
    "$MAMORI" read --db corrupt2.db good.pcap
sql other.db 'CREATE TABLE flows(x); INSERT INTO flows VALUES (1);' >/dev/null
expect_err "database of another application" 1 other.db "$MAMORI" read --db other.db good.pcap
mkdir eve-dir
expect_err "EVE path is a directory" 1 eve-dir "$MAMORI" read --db e.db --eve eve-dir good.pcap
expect_err "EVE path under a regular file" 1 /etc/passwd/eve.json \
    "$MAMORI" read --db e2.db --eve /etc/passwd/eve.json good.pcap

# Disk full: a tiny tmpfs (needs root and mount rights; skipped otherwise).
mkdir full
if mount -t tmpfs -o size=256k tmpfs full 2>/dev/null; then
    MOUNTED=$T/full
    $MK big big-small.pcap 40000
    expect_err "disk full while writing the database" 1 full/x.db \
        "$MAMORI" read --db full/x.db big-small.pcap
    umount full && MOUNTED=
    if mount -t tmpfs -o size=64k tmpfs full 2>/dev/null; then
        MOUNTED=$T/full
        expect_err "disk full while writing EVE" 1 full/eve.json \
            "$MAMORI" read --db full-eve.db --eve full/eve.json big-small.pcap
        umount full && MOUNTED=
    fi
else
    ok "disk full # SKIP cannot mount a tmpfs here"
fi

# --- durability: signals during a long read ---------------------------------------------
$MK big big.pcap 600000
# integrity DB : PRAGMA integrity_check is ok and flows is readable
integrity() {
    local db=$1 what=$2 ic cnt runs
    ic=$(sql "$db" 'PRAGMA integrity_check')
    cnt=$(sql "$db" 'SELECT count(*) FROM flows')
    runs=$(sql "$db" 'SELECT count(*) FROM runs')
    if [ "$ic" = ok ] && [[ $cnt =~ ^[0-9]+$ ]] && [[ $runs =~ ^[0-9]+$ ]] && [ "$runs" -ge 1 ]
    then
        ok "$what: integrity ok, runs $runs, flows $cnt"
    else
        not_ok "$what: store intact" "integrity_check '$ic', flows '$cnt', runs '$runs'"
    fi
    FLOWS=$cnt
}

# long_read DB SIGNAL : starts a read of big.pcap, sends SIGNAL after 1.5 s; sets $rc, $early
long_read() {
    local db=$1 sig=$2
    "$MAMORI" read --db "$db" big.pcap >out 2>err &
    local pid=$!
    PIDS+=("$pid")
    sleep 1.5
    early=0
    if kill -0 "$pid" 2>/dev/null; then kill -s "$sig" "$pid"; else early=1; fi
    { wait "$pid"; } 2>/dev/null
    rc=$?
}

long_read k9.db KILL
if [ "$early" = 1 ]; then
    ok "kill -9 during read # SKIP the read finished within 1.5 s (exit $rc)"
elif [ -e k9.db ]; then
    integrity k9.db "kill -9 during read"
    # What was committed before the kill stays: rerun into the same store, then the old
    # rows must still be there and the new run complete.
    before=$FLOWS
    expect_ok "read into the store a killed run left" "$MAMORI" read --db k9.db good.pcap
    after=$(sql k9.db 'SELECT count(*) FROM flows')
    if [[ $after =~ ^[0-9]+$ ]] && [ "$after" -eq $((before + 7)) ]; then
        ok "after kill -9: earlier rows kept, new run added ($before + 7)"
    else
        not_ok "after kill -9: earlier rows kept, new run added" "before $before after '$after'"
    fi
else
    not_ok "kill -9 during read: no database after 1.5 s"
fi

for sig in TERM INT; do
    long_read "s$sig.db" "$sig"
    if [ "$early" = 1 ]; then
        ok "SIG$sig during read # SKIP the read finished within 1.5 s (exit $rc)"
        continue
    fi
    why=()
    grep -Eq "$SAN_RE" err && why+=("sanitizer report on stderr")
    case $rc in 0 | 130 | 143) ;; *) why+=("exit status $rc, want 0, 130 or 143") ;; esac
    if [ ${#why[@]} -eq 0 ]; then ok "SIG$sig during read: clean stop (exit $rc)"; else
        not_ok "SIG$sig during read: clean stop" "${why[@]}"; fi
    integrity "s$sig.db" "SIG$sig during read"
    st=$(sql "s$sig.db" 'SELECT ended_at IS NOT NULL, packets > 0, flows FROM runs')
    fl=$(sql "s$sig.db" 'SELECT count(*) FROM flows')
    if [[ $st == 1\|1\|* ]] && [ "${st##*|}" = "$fl" ] && [ "$fl" -gt 0 ]; then
        ok "SIG$sig during read: run closed with totals, $fl flows committed"
    else
        not_ok "SIG$sig during read: run closed with totals" "runs: '$st', flows rows: '$fl'"
    fi
done

# --- live capture: watch on the loopback of a network namespace made here ---
# Root only (unshare -n needs it): traffic never leaves the namespace. The
# sensor must drop to 'nobody', record the flows, and on SIGTERM commit and
# close the run.
if [ "$(id -u)" -eq 0 ] && command -v unshare >/dev/null && command -v ip >/dev/null &&
    command -v python3 >/dev/null; then
    rm -f live.db live.db-wal live.db-shm
    unshare -n bash -c '
        ip link set lo up || exit 3
        "$1" watch -i lo --db live.db --user nobody >live.out 2>live.err &
        pid=$!
        sleep 1
        ps -o user= -p $pid >live.user
        python3 -c "
import socket
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
for i in range(5):
    s.sendto(b\"x\" * 10, (\"127.0.0.1\", 5353 + i))
"
        sleep 0.5
        kill -TERM $pid
        wait $pid
        echo $? >live.rc' _ "$MAMORI"
    user=$(tr -d ' \n' <live.user 2>/dev/null)
    rc=$(cat live.rc 2>/dev/null)
    nflows=$(sql live.db "SELECT count(*) FROM flows WHERE proto = 17 AND dst_port BETWEEN 5353 AND 5357")
    status=$(sql live.db "SELECT status FROM runs WHERE command = 'watch'")
    if [ "$user" = nobody ] && [ "$rc" = 0 ] && [ "$nflows" = 5 ] && [ "$status" = complete ]; then
        ok "watch: drops root to nobody, records 5 live UDP flows, commits on SIGTERM"
    else
        not_ok "watch: live capture in a network namespace" "user '$user', exit '$rc'," \
            "flows '$nflows', run status '$status'" "$(head -c 300 live.err 2>/dev/null)"
    fi
else
    echo "ok $((n + 1)) - # SKIP watch live test (needs root, unshare, ip, python3)"
    n=$((n + 1))
fi

echo "1..$n"
[ "$failed" -eq 0 ] || { echo "# $failed of $n failed"; exit 1; }
exit 0
