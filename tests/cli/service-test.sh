#!/usr/bin/env bash
# service-test.sh - the always-on sensor as an administrator meets it:
#  - `mamori config check` on the shipped sample, on good and bad files (every
#    problem one line with its line number, exit 2; missing file exit 1);
#  - `mamori status` on a store `mamori read` made, on a missing database;
#  - live capture on two veth pairs in a network namespace this test makes
#    (root only), one `watch` for both: traffic replayed with tcpreplay on
#    each and counted per interface; SIGHUP reload with changed settings (a
#    lowered scan.min_ports judges the replayed scan, with the probes seen
#    before the reload still counted; restart-only keys named); one
#    interface deleted (its gap recorded, retries logged) while the other
#    keeps capturing, then recreated (capture resumes, gap closed); SIGTERM
#    (store consistent);
#  - the database file deleted while watching (clear message, recovers);
#  - a full disk (small tmpfs): no crash, a clear message, committed rows kept.
# Output is TAP. usage: service-test.sh MAMORI [SHARED] [BUILDDIR]
set -u
export LC_ALL=C TZ=UTC

MAMORI=${1:?usage: service-test.sh MAMORI}
MAMORI=$(cd "$(dirname "$MAMORI")" && pwd)/$(basename "$MAMORI")
SRC=$(cd "$(dirname "$0")/../.." && pwd)
command -v sqlite3 >/dev/null || { echo "1..0 # SKIP sqlite3 not installed"; exit 77; }
command -v python3 >/dev/null || { echo "1..0 # SKIP python3 not installed"; exit 77; }
T=$(mktemp -d /tmp/mamori-service.XXXXXX)
chmod 755 "$T"
NS=mamori-t$$
VA=mt$$a
VB=mt$$b
VC=mt$$c
VD=mt$$d
WATCH_PID=
cleanup() {
    [ -n "$WATCH_PID" ] && kill "$WATCH_PID" 2>/dev/null && wait "$WATCH_PID" 2>/dev/null
    mountpoint -q "$T/full" 2>/dev/null && umount "$T/full"
    ip link del "$VA" 2>/dev/null
    ip link del "$VC" 2>/dev/null
    ip netns del "$NS" 2>/dev/null
    rm -rf "$T"
}
[ -n "${KEEP:-}" ] && cleanup() { [ -n "$WATCH_PID" ] && kill "$WATCH_PID"; mountpoint -q "$T/full" && umount "$T/full"; ip link del "$VA" 2>/dev/null; ip link del "$VC" 2>/dev/null; ip netns del "$NS"; echo "# kept $T"; }
trap cleanup EXIT
cd "$T" || exit 1
. "$SRC/tests/cli/tap.sh"
skip() { n=$((n + 1)); echo "ok $n - $1 # SKIP $2"; }
q() { sqlite3 "$1" "$2" 2>/dev/null; }
# For wait_for: the query runs again at every poll.
qeq() { [ "$(q "$1" "$2")" = "$3" ]; }
qgt() { [ "$(q "$1" "$2")" -gt "$3" ] 2>/dev/null; }

# --- config check ---------------------------------------------------------
run "$MAMORI" config check "$SRC/tools/mamori.conf.sample"
check "config check accepts the shipped sample" test "$rc" -eq 0
check "config check says OK" grep -q 'OK' out

cat >good.conf <<'EOF'
# a small good file
[capture]
interface = lo
[store]
retention_days = 30
alert_retention_days = 365
min_free_mb = 1
prune_batch = 1000
[site]
company = テスト株式会社
lang = ja
EOF
run "$MAMORI" config check good.conf
check "config check: a good file, exit 0" test "$rc" -eq 0

# Each malformed file: exit 2, a FILE:LINE: line naming the problem.
bad_case() { # NAME LINE NEEDLE CONTENT
    local name=$1 line=$2 needle=$3
    printf '%b' "$4" >bad.conf
    run "$MAMORI" config check bad.conf
    if [ "$rc" -ne 2 ]; then not_ok "config check: $name" "exit $rc, want 2"; return; fi
    if ! grep -q "^mamori: bad.conf:$line: .*$needle" err; then
        not_ok "config check: $name" "no 'bad.conf:$line: ...$needle' line"; return
    fi
    check "config check: $name (line $line)" true
}
bad_case "unknown key" 2 "unknown setting 'store.retention'" '[store]\nretention = 5\n'
bad_case "value out of range" 1 "store.retention_days" 'store.retention_days = 0\n'
bad_case "not a number" 3 "whole number" '\n\nflow.max_flows = lots\n'
bad_case "no equals sign" 1 "expected 'key = value'" 'interface eth0\n'
bad_case "bad section" 2 "bad section header" '# x\n[store\n'
bad_case "empty section" 1 "bad section header" '[]\n'
bad_case "bad language" 2 "needs en or ja" '[site]\nlang = de\n'
bad_case "bad interface list" 1 "not an interface name" 'capture.interface = eth0,,eth1\n'
bad_case "bad network" 1 "net.home" 'net.home = 10.0.0.0/33\n'
bad_case "bad boolean" 1 "yes or no" 'detect.enabled = maybe\n'
bad_case "key without value" 1 "whole number" 'store.prune_batch =\n'
bad_case "value without key" 1 "without a key" '= 5\n'
bad_case "NUL byte" 1 "NUL byte" 'a\0 = 1\n'
python3 -c "print('#' + 'x' * 1100)" >bad.conf
run "$MAMORI" config check bad.conf
check "config check: a line too long" grep -q '^mamori: bad.conf:1: line longer' err

printf 'flow.max_flows = 1\n[store]\nretention_dayz = 3\nwords\n[site]\nlang = fr\ncompany = ok\n' >multi.conf
run "$MAMORI" config check multi.conf
check "config check: every problem reported, not only the first" \
    test "$rc" -eq 2 -a "$(grep -c '^mamori: multi.conf:[0-9]*: ' err)" -eq 4
check "config check: problems in line order 1,3,4,6" \
    test "$(grep -o '^mamori: multi.conf:[0-9]*' err | cut -d: -f3 | tr '\n' ,)" = "1,3,4,6,"

printf 'inventory.known_devices = %s/nope.csv\nintel.dir = %s/nodir\ngeoip.db = /nonexistent.mmdb\n' "$T" "$T" >refs.conf
run "$MAMORI" config check refs.conf
check "config check: missing referenced files are errors (exit 2)" test "$rc" -eq 2
check "config check: each missing file named with its key" \
    test "$(grep -cE 'inventory.known_devices|intel.dir|geoip.db' err)" -eq 3
printf 'capture.interface = nosuchif0\n' >if.conf
run "$MAMORI" config check if.conf
check "config check: a missing interface is only a warning" \
    test "$rc" -eq 0 -a "$(grep -c "nosuchif0" err)" -eq 1
run "$MAMORI" config check "$T/does-not-exist.conf"
check "config check: a missing file, exit 1, one line" \
    test "$rc" -eq 1 -a "$(wc -l <err)" -eq 1
run "$MAMORI" config frobnicate
check "config: unknown action, exit 2" test "$rc" -eq 2

# --- status ------------------------------------------------------------------
run "$MAMORI" gen-scenario office -o office.pcap
check "gen-scenario office" test "$rc" -eq 0 -a -s office.pcap
run "$MAMORI" read --db read.db office.pcap
check "read makes a store" test "$rc" -eq 0
run "$MAMORI" status --db read.db
check "status on a read store: exit 0" test "$rc" -eq 0
check "status says no watch run and the watch is not running" \
    grep -q 'no watch run' out
check "status shows the last alert" grep -q '^last alert  *20' out
run "$MAMORI" status --db read.db --json
check "status --json parses, watch_running false" \
    python3 -c 'import json,sys; d=json.load(open("out")); sys.exit(0 if d["watch_running"] is False and d["run"] is None and d["alerts"] > 0 else 1)'
run "$MAMORI" --lang ja status --db read.db
check "status in Japanese" grep -q '監視プロセス' out
run "$MAMORI" status --db "$T/missing.db"
check "status on a missing database: exit 1, one line" \
    test "$rc" -eq 1 -a "$(wc -l <err)" -eq 1
check "status on a missing database: no file created" test ! -e "$T/missing.db"
echo 'not a database at all, really not' >junk.db
run "$MAMORI" status --db junk.db
check "status on a non-database: exit 1" test "$rc" -eq 1

# --- watch: interface lists (no capture needed) ------------------------------
run "$MAMORI" watch -i lo -i lo --db twice.db
check "watch: an interface named twice, exit 2, one line" \
    test "$rc" -eq 2 -a "$(wc -l <err)" -eq 1
check "watch: says which interface is named twice" grep -q "interface 'lo' is named twice" err
check "watch: nothing created for a bad interface list" test ! -e twice.db
run "$MAMORI" watch -i lo -i 'a/b' --db twice.db
check "watch: a bad -i name, exit 2, named" \
    sh -c "test $rc -eq 2 && grep -q -e \"^mamori: -i: .*'a/b' is not an interface name\" err"
run "$MAMORI" watch -i a,b,c,d -i e,f,g,h,i --db twice.db
check "watch: more than 8 interfaces, exit 2" sh -c "test $rc -eq 2 && grep -q 'at most 8' err"
printf 'capture.interface = lo, lo\n' >twice.conf
run "$MAMORI" watch --config twice.conf --db twice.db
check "watch: an interface named twice in capture.interface, exit 2" \
    sh -c "test $rc -eq 2 && grep -q 'named twice' err"

# --- live capture in a network namespace ---------------------------------------
live_skip() {
    for t in "watch receives flows" "both interfaces counted" "SIGHUP reload" \
        "SIGHUP threshold" "interface deleted: gap" "other interface keeps capturing" \
        "interface recreated: resumes" "SIGTERM: store consistent" "SIGHUP in Japanese" \
        "deleted database" "full disk"; do skip "$t" "$1"; done
    echo "# live tests skipped: $1"
    echo "1..$n"; [ "$failed" -eq 0 ] && exit 0 || exit 1
}
[ "$(id -u)" -eq 0 ] || live_skip "not root"
command -v tcpreplay >/dev/null || live_skip "tcpreplay not installed"
ip netns add "$NS" 2>/dev/null || live_skip "network namespaces unavailable"

mkveth() { # [OUTSIDE INSIDE]: a veth pair, one end in the namespace
    local a=${1:-$VA} b=${2:-$VB}
    ip link add "$a" type veth peer name "$b" &&
        ip link set "$b" netns "$NS" &&
        ip link set "$a" up &&
        ip netns exec "$NS" ip link set "$b" up
}
mkveth || live_skip "cannot create a veth pair"
mkveth "$VC" "$VD" || live_skip "cannot create a second veth pair"
ip netns exec "$NS" ip link set lo up
run "$MAMORI" gen-scenario scan-internal -o scan.pcap
[ -s scan.pcap ] || live_skip "gen-scenario scan-internal failed"

mkdir -p live && chown nobody live 2>/dev/null
# scan.min_ports far above the 200 ports of scan-internal: no scan.port
# alert until a reload lowers it.
cat >live.conf <<EOF
[capture]
interface = $VB, $VD
[scan]
min_ports = 1000
[store]
retention_days = 90
[service]
checkpoint_interval = 5
[flow]
udp.new_timeout = 2
udp.established_timeout = 2
tcp.new_timeout = 5
tcp.closed_timeout = 1
EOF
DB=$T/live/w.db
# Every interface must open at start: a typo is not a running sensor.
run ip netns exec "$NS" "$MAMORI" watch -i "$VB" -i nosuch0 --db "$T/live/fail.db" --user nobody
check "watch: an interface missing at start, exit 2, named" \
    sh -c "test $rc -eq 2 && grep -q \"'nosuch0': no such network interface\" err"
check "watch: a failed start leaves no pid file" test ! -e "$T/live/fail.db.pid"
wait_for() { # SECONDS COMMAND...: polls every 0.5 s
    local t=$(($1 * 2)); shift
    while [ $t -gt 0 ]; do "$@" 2>/dev/null && return 0; sleep 0.5; t=$((t - 1)); done
    return 1
}
alive() { kill -0 "$WATCH_PID" 2>/dev/null; }
replay() { tcpreplay -q -i "$VA" --mbps 20 office.pcap >/dev/null 2>&1; }
replay_scan() { tcpreplay -q -i "$VC" --mbps 20 scan.pcap >/dev/null 2>&1; }
# The per-interface packet counter `status --json` shows (-1: none).
ifpk() {
    "$MAMORI" status --db "$DB" --json 2>/dev/null | python3 -c '
import json, sys
d = json.load(sys.stdin)
m = {i["name"]: i for i in (d.get("run") or {}).get("interfaces", [])}
print(m[sys.argv[1]]["packets"] if sys.argv[1] in m else -1)' "$1" 2>/dev/null || echo -1
}
ifgt() { [ "$(ifpk "$1")" -gt "$2" ]; }
scan_alerts() { q "$DB" "SELECT count(*) FROM alerts WHERE category = 'scan.port'"; }

ip netns exec "$NS" "$MAMORI" watch --config live.conf --db "$DB" --user nobody >watch.out 2>watch.err &
WATCH_PID=$!
wait_for 20 grep -q 'watching' watch.err
replay
replay_scan
if wait_for 30 qgt "$DB" 'SELECT count(*) FROM flows' 0; then
    ok "watch receives flows ($(q "$DB" 'SELECT count(*) FROM flows') flows stored)"
else
    not_ok "watch receives flows" "$(tail -3 watch.err)"
fi
if wait_for 20 ifgt "$VB" 0 && wait_for 5 ifgt "$VD" 0; then
    ok "both interfaces counted in one watch ($VB $(ifpk "$VB"), $VD $(ifpk "$VD") packets)"
else
    not_ok "both interfaces counted" "$(tail -3 watch.err)"
fi
wait_for 15 qgt "$DB" "SELECT coalesce(packets, 0) FROM runs ORDER BY id DESC LIMIT 1" 0
run "$MAMORI" status --db "$DB" --json
check "status of a live watch: running, packets counted" \
    python3 -c 'import json,sys; d=json.load(open("out")); sys.exit(0 if d["watch_running"] and d["run"]["status"] == "running" and d["run"]["packets"] > 0 else 1)'

# The scan's probe flows end 5 s after their SYN (tcp.new_timeout): by
# then they were judged by min_ports = 1000.
sleep 8
check "before the reload: no scan.port alert (scan.min_ports = 1000)" test "$(scan_alerts)" = 0
flows_before=$(q "$DB" 'SELECT count(*) FROM flows')
sed -i 's/retention_days = 90/retention_days = 60/; s/min_ports = 1000/min_ports = 100\nmax_tracked = 1000/' live.conf
sed -i 's/udp.new_timeout = 2/udp.new_timeout = 3/' live.conf
kill -HUP "$WATCH_PID"
if wait_for 10 grep -q 'reload: done' watch.err && alive; then
    ok "SIGHUP reload with changed settings: still running"
else
    not_ok "SIGHUP reload" "$(tail -3 watch.err)"
fi
check "SIGHUP: the applied keys are named" \
    grep -q 'reload: applied: scan.min_ports, store.retention_days' watch.err
check "SIGHUP: the restart-only keys are named" \
    grep -q 'need a restart.*: scan.max_tracked, flow.udp.new_timeout' watch.err
run "$MAMORI" status --db "$DB"
check "status shows the last reload and what needs a restart" \
    grep -q '^last reload .*ok; restart needed for: scan.max_tracked, flow.udp.new_timeout' out
replay_scan
printf '[store]\nretention_days = -1\n' >>live.conf
kill -HUP "$WATCH_PID"
if wait_for 10 grep -q 'keeping the old' watch.err && alive; then
    ok "SIGHUP with a broken file: keeps the old settings, still running"
else
    not_ok "SIGHUP with a broken file" "$(tail -3 watch.err)"
fi
wait_for 5 qgt "$DB" "SELECT count(*) FROM state WHERE key = 'service.reload' AND value LIKE '%rejected%'" 0
run "$MAMORI" status --db "$DB" --json
check "status: the rejected reload is the last one" \
    python3 -c 'import json,sys; d=json.load(open("out")); sys.exit(0 if "rejected" in d["last_reload"] else 1)' 
sed -i '$d' live.conf; sed -i '$d' live.conf
replay
flows_after=$(q "$DB" 'SELECT count(*) FROM flows')
check "flows kept across reload ($flows_before -> $flows_after)" test "$flows_after" -ge "$flows_before"

ip link del "$VA"
if wait_for 30 grep -q "'$VB':.*retrying (the other interfaces keep capturing)" watch.err &&
    wait_for 15 qeq "$DB" "SELECT count(*) FROM sensor_gaps WHERE end_ts IS NULL AND detail LIKE '$VB:%'" 1 &&
    alive; then
    ok "interface deleted: error logged, its own gap opened, watch keeps retrying"
else
    not_ok "interface deleted: gap" "$(tail -3 watch.err)"
fi
run "$MAMORI" status --db "$DB"
check "status shows the open gap" grep -q 'open gap.*capture_error' out
check "status shows the lost interface and the one capturing" \
    sh -c "grep -q '^  $VB .*LOST since' out && grep -q '^  $VD .*capturing' out"
vd_before=$(ifpk "$VD")
replay_scan
if wait_for 20 ifgt "$VD" "$vd_before"; then
    ok "the other interface keeps capturing ($VD: $vd_before -> $(ifpk "$VD") packets)"
else
    not_ok "other interface keeps capturing" "$(tail -3 watch.err)"
fi
sleep 3
mkveth
if wait_for 90 grep -q 'capture resumed' watch.err &&
    wait_for 10 qeq "$DB" 'SELECT count(*) FROM sensor_gaps WHERE end_ts IS NULL' 0; then
    ok "interface recreated: capture resumes, gap closed"
else
    not_ok "interface recreated: resumes" "$(tail -3 watch.err)"
fi
pk_before=$(q "$DB" 'SELECT packets FROM runs ORDER BY id DESC LIMIT 1')
replay
kill -TERM "$WATCH_PID"; wait "$WATCH_PID"; wrc=$?; WATCH_PID=
if grep -Eq "$SAN_RE" watch.err; then
    not_ok "SIGTERM: clean exit" "sanitizer report" "$(grep -E "$SAN_RE" watch.err | head -3)"
else
    check "SIGTERM: exit 0 ($wrc)" test "$wrc" -eq 0
fi
check "SIGTERM: integrity_check ok" test "$(q "$DB" 'PRAGMA integrity_check')" = ok
check "SIGTERM: the run is complete, packets after the gap counted" \
    test "$(q "$DB" "SELECT status FROM runs ORDER BY id DESC LIMIT 1")" = complete -a \
    "$(q "$DB" 'SELECT packets FROM runs ORDER BY id DESC LIMIT 1')" -gt "${pk_before:-0}"
check "SIGTERM: pid file removed" test ! -e "$DB.pid"
check "a closed capture_error gap is in sensor_gaps" \
    test "$(q "$DB" "SELECT count(*) FROM sensor_gaps WHERE reason = 'capture_error' AND end_ts > start_ts")" -ge 1
# Lowered by the reload, scan.min_ports judged the probes of the replay
# after it together with those counted before: three replays of 200
# probes make 600. A detector rebuilt by the reload would have forgotten
# the first 200 (400).
sa_count=$(q "$DB" "SELECT coalesce(max(count), 0) FROM alerts WHERE category = 'scan.port'")
check "SIGHUP threshold: the replayed scan is judged by the new scan.min_ports, state kept (count $sa_count)" \
    test "$(scan_alerts)" = 1 -a "$sa_count" -gt 400

# The reload in Japanese: a threshold applied, a table size named.
mv watch.err watch-1.err
sed 's/min_ports = 100$/min_ports = 40/; s/max_tracked = 1000/max_tracked = 2000/' live.conf >ja.conf
cp live.conf ja-orig.conf
ip netns exec "$NS" "$MAMORI" --lang ja watch --config ja-orig.conf --db "$T/live/ja.db" \
    --user nobody >watch.out 2>watch.err &
WATCH_PID=$!
wait_for 20 grep -q '監視しています' watch.err
cp ja.conf ja-orig.conf
kill -HUP "$WATCH_PID"
if wait_for 10 grep -q '再読み込み: 完了しました' watch.err &&
    grep -q '再読み込み: 反映しました: scan.min_ports' watch.err &&
    grep -q '再起動するまで反映されません.*scan.max_tracked' watch.err; then
    ok "SIGHUP in Japanese: applied and restart-only keys named"
else
    not_ok "SIGHUP in Japanese" "$(tail -4 watch.err)"
fi
kill -TERM "$WATCH_PID"; wait "$WATCH_PID"; WATCH_PID=
check "SIGHUP in Japanese: clean exit, no sanitizer report" sh -c "! grep -Eq '$SAN_RE' watch.err"
mv watch.err watch-ja.err

# A second run more than two checkpoints later: a not_running gap.
sleep 11
ip netns exec "$NS" "$MAMORI" watch --config live.conf --db "$DB" --user nobody >watch.out 2>watch.err &
WATCH_PID=$!
wait_for 20 grep -q 'watching' watch.err
check "a restart records the time the sensor was not running" \
    test "$(q "$DB" "SELECT count(*) FROM sensor_gaps WHERE reason = 'not_running'")" -ge 1

# The database deleted while watching.
rm -f "$DB" "$DB-wal" "$DB-shm"
if wait_for 10 grep -q 'database file was deleted' watch.err && alive; then
    ok "deleted database: clear message, still running"
else
    not_ok "deleted database" "$(tail -3 watch.err)"
fi
if wait_for 30 grep -q 'writing again' watch.err && test -s "$DB"; then
    ok "deleted database: a new one is made and written"
else
    not_ok "deleted database: recovers" "$(tail -3 watch.err)"
fi
kill -TERM "$WATCH_PID"; wait "$WATCH_PID"; WATCH_PID=
if grep -Eq "$SAN_RE" watch.err; then
    not_ok "deleted database: no sanitizer report" "$(grep -E -A12 "$SAN_RE" watch.err | head -14)"
else
    ok "deleted database: no sanitizer report"
fi
check "deleted database: the new store is consistent" test "$(q "$DB" 'PRAGMA integrity_check')" = ok

# A full disk: the store on a 3 MiB tmpfs.
mv watch.err watch-2.err
mkdir -p full
if ! mount -t tmpfs -o size=3m tmpfs full 2>/dev/null; then
    skip "full disk" "cannot mount tmpfs"
else
    chown nobody full
    FDB=$T/full/f.db
    # Low disk first: min_free_mb above what the tmpfs has.
    ip netns exec "$NS" "$MAMORI" watch --config live.conf --db "$FDB" --user nobody \
        --set store.min_free_mb=100 >watch.out 2>watch.err &
    WATCH_PID=$!
    wait_for 20 grep -q 'watching' watch.err
    replay
    if wait_for 20 grep -q 'disk nearly full' watch.err && alive; then
        ok "low disk: reported, still running"
    else
        not_ok "low disk: reported" "$(tail -3 watch.err)"
    fi
    run "$MAMORI" status --db "$FDB"
    check "low disk: status says so" grep -q 'LOW' out
    kill -TERM "$WATCH_PID"; wait "$WATCH_PID"; WATCH_PID=
    mv watch.err watch-3.err
    rm -f "$FDB" "$FDB-wal" "$FDB-shm"
    # Then full: the low-disk pruning off, so every committed row must stay.
    ip netns exec "$NS" "$MAMORI" watch --config live.conf --db "$FDB" --user nobody \
        --set store.min_free_mb=0 >watch.out 2>watch.err &
    WATCH_PID=$!
    wait_for 20 grep -q 'watching' watch.err
    replay
    wait_for 20 qgt "$FDB" 'SELECT count(*) FROM flows' 0
    committed=$(q "$FDB" 'SELECT count(*) FROM flows')
    dd if=/dev/zero of=full/filler bs=64k >/dev/null 2>&1
    for i in 1 2 3; do replay; done
    if wait_for 30 grep -q 'capture continues' watch.err && alive; then
        ok "full disk: clear message, capture continues"
    else
        not_ok "full disk: message" "$(tail -3 watch.err)"
    fi
    rm -f full/filler
    if wait_for 40 grep -q 'writing again' watch.err && alive; then
        ok "full disk: space freed, the store is written again"
    else
        not_ok "full disk: recovers" "$(tail -3 watch.err)"
    fi
    kill -TERM "$WATCH_PID"; wait "$WATCH_PID"; WATCH_PID=
    check "full disk: no crash, no sanitizer report" sh -c "! grep -Eq '$SAN_RE' watch.err"
    check "full disk: store consistent" test "$(q "$FDB" 'PRAGMA integrity_check')" = ok
    check "full disk: committed flows kept ($committed)" \
        test "$(q "$FDB" 'SELECT count(*) FROM flows')" -ge "$committed"
    umount full
fi

echo "1..$n"
[ "$failed" -eq 0 ]
