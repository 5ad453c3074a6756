#!/usr/bin/env bash
# timeline-test.sh - `mamori timeline` as a user runs it, on the `office` scenario capture read
# into a store here: one known PC by name, MAC and address, text in English and Japanese,
# --all, --json (one object per line with time and kind), the time window, and the bad inputs
# (no such device, ambiguous name, missing and empty store, bad time: exit status 2 and one
# "mamori: " line). Output is TAP.
#
# usage: timeline-test.sh MAMORI [SHARED] [SCRATCH]
set -u
export LC_ALL=C.UTF-8 TZ=UTC

MAMORI=${1:?usage: timeline-test.sh MAMORI}
MAMORI=$(cd "$(dirname "$MAMORI")" && pwd)/$(basename "$MAMORI")
HERE=$(cd "$(dirname "$0")" && pwd)
PY=/usr/bin/python3
command -v "$PY" >/dev/null || { echo "1..0 # SKIP python3 not installed"; exit 77; }
command -v sqlite3 >/dev/null || { echo "1..0 # SKIP sqlite3 not installed"; exit 77; }
T=$(mktemp -d /tmp/mamori-timeline.XXXXXX)
trap 'rm -rf "$T"' EXIT
cd "$T" || exit 1
. "$HERE/tap.sh"

# The office scenario, read into a store.
if ! "$MAMORI" gen-scenario office -o office.pcap >/dev/null 2>err ||
    ! "$MAMORI" read office.pcap --db o.db >/dev/null 2>>err; then
    echo "Bail out! cannot make the office store"; sed 's/^/# /' err; exit 1
fi
PC=SOUMU-PC01
MAC=$(sqlite3 o.db "SELECT mac FROM devices WHERE hostname = '$PC'")
IP=$(sqlite3 o.db "SELECT ip FROM device_ips WHERE device = '$MAC' AND ip LIKE '192.168.%'")
[ -n "$MAC" ] && [ -n "$IP" ] || { echo "Bail out! $PC not in the office store"; exit 1; }

run "$MAMORI" timeline "$PC" --db o.db
check "timeline by name exits 0" test "$rc" = 0
check "header names the device and its MAC" grep -q "^Timeline of $PC ($MAC" out
check "its address is listed" grep -q "Addresses: .*$IP" out
check "DNS lookups with their names" grep -Eq '^  [0-9:]{8} +DNS +[a-z0-9.-]+\.[a-z]+ A' out
check "connections named by SNI/Host/DNS" grep -Eq 'CONN +-> [0-9]+ connections? to [a-z].* \(443/tls\)' out
check "the SMB session to the file server" grep -q 'SMB .*TREE_CONNECT' out
check "the file server named by its device name" grep -Eq 'to FILESRV \[192\.168\.10\.[0-9]+\] \(445/smb\)' out
check "DHCP ack" grep -q "DHCP .*ack: got $IP" out
check "the device.new alert, explained" grep -q '!! ALERT .*New device' out
lines_compact=$(wc -l <out)

run "$MAMORI" timeline "$MAC" --db o.db --all
check "by MAC, --all" test "$rc" = 0
check "--all has more lines than the compact view" test "$(wc -l <out)" -gt "$lines_compact"
check "--all shows DNS answers on their own" grep -Eq 'DNS .* A answer ->' out

run "$MAMORI" timeline "$IP" --db o.db
check "by address: the same device" grep -q "^Timeline of $PC ($MAC" out

run "$MAMORI" --lang ja timeline "$PC" --db o.db
check "Japanese header" grep -q "のタイムライン" out
check "Japanese flow lines" grep -q "への接続" out

run "$MAMORI" timeline "$PC" --db o.db --json
check "--json exits 0" test "$rc" = 0
check "--json: every line an object with time and kind, in time order" "$PY" -c '
import json, sys
prev = ""
kinds = set()
for line in open("out"):
    o = json.loads(line)
    assert o["time"] >= prev, (o["time"], prev)
    prev = o["time"]
    kinds.add(o["kind"])
for k in ("flow", "dns", "dhcp", "alert", "ip", "smb"):
    assert k in kinds, (k, kinds)
'
first=$("$PY" -c 'import json; print(json.loads(open("out").readline())["time"][:16])')
last=$("$PY" -c 'import json; print([json.loads(l) for l in open("out")][-1]["time"][:16])')

# A window: only what started in it.
mid=$("$PY" -c '
import json
t = [json.loads(l)["time"] for l in open("out")]
print(t[len(t) // 2][:19])')
run "$MAMORI" timeline "$PC" --db o.db --json --since "$mid"
check "--since: nothing before it" "$PY" -c '
import json, sys
rows = [json.loads(l) for l in open("out")]
assert rows
assert all(r["time"][:19] >= sys.argv[1] or r["kind"] == "alert" for r in rows)' "$mid"
# The local clock: text on it with the zone named; typed times are local unless
# they end in Z (the JSON stays UTC).
TZ=Asia/Tokyo run "$MAMORI" timeline "$PC" --db o.db
check "TZ=Asia/Tokyo: the text says JST" grep -q "^Times are JST" out
TZ=Asia/Tokyo run "$MAMORI" timeline "$PC" --db o.db --json --since "${mid}Z"
cp out utc-window
jst=$("$PY" -c '
import datetime, sys
t = datetime.datetime.fromisoformat(sys.argv[1]) + datetime.timedelta(hours=9)
print(t.strftime("%Y-%m-%dT%H:%M:%S"))' "$mid")
TZ=Asia/Tokyo run "$MAMORI" timeline "$PC" --db o.db --json --since "$jst"
check "TZ=Asia/Tokyo: --since local and --since ...Z pick the same window" cmp -s out utc-window
run "$MAMORI" timeline "$PC" --db o.db --until 2000-01-01
check "a window before the capture: nothing recorded" grep -q "Nothing recorded" out

# Bad inputs: one line, exit 2.
expect_err "unknown device" 2 "no device 'NO-SUCH-PC'" \
    "$MAMORI" timeline NO-SUCH-PC --db o.db
expect_err "unknown MAC" 2 "no device" "$MAMORI" timeline 02:00:00:00:00:99 --db o.db
expect_err "missing store" 2 "no database" "$MAMORI" timeline "$PC" --db nonexistent.db
expect_err "no device given" 2 "which device" "$MAMORI" timeline --db o.db
expect_err "bad time" 2 "bad time" "$MAMORI" timeline "$PC" --db o.db --since yesterday
expect_err "bad option" 2 "bad or incomplete option" "$MAMORI" timeline "$PC" --bogus
expect_err "two devices" 2 "unexpected argument" "$MAMORI" timeline "$PC" other --db o.db
: >notdb.db
echo "this is not sqlite" >notdb.db
run "$MAMORI" timeline "$PC" --db notdb.db
check "not a database: exit 1, one line" test "$rc" = 1 -a "$(wc -l <err)" = 1
# an empty store: a real schema without rows
"$MAMORI" gen-scenario empty -o empty.pcap >/dev/null 2>&1
"$MAMORI" read empty.pcap --db empty.db >/dev/null 2>&1
expect_err "empty store" 2 "no flows or devices" "$MAMORI" timeline "$PC" --db empty.db
# ambiguous: two devices share a name (a copy of the store with a second name row)
cp o.db amb.db
sqlite3 amb.db "INSERT INTO device_names SELECT mac, '$PC', 'mdns', first_ts, last_ts
                FROM devices WHERE mac != '$MAC' LIMIT 1"
run "$MAMORI" timeline "$PC" --db amb.db
check "ambiguous name: exit 2, candidates listed" test "$rc" = 2 -a ! -s out
check "ambiguous name: both MACs shown" grep -q "$MAC" err
: "$first" "$last"

echo "1..$n"
[ "$failed" = 0 ] || exit 1
exit 0
