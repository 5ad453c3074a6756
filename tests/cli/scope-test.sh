#!/usr/bin/env bash
# scope-test.sh - `mamori scope` as a user runs it, on the incident-spread scenario (a known
# infection path, src/scenario/scn-incident.c): by address, network, domain, URL, JA3, device
# name, MAC and alert number; the JSON must name exactly the expected devices and edges; the
# hop limit and the time window are respected; text in both languages; bad input (exit 2,
# one "mamori: " line), an empty store and a missing one (exit 1). Output is TAP.
#
# usage: scope-test.sh MAMORI [SHARED] [BUILDDIR]
set -u
export LC_ALL=C.UTF-8 TZ=UTC

MAMORI=${1:?usage: scope-test.sh MAMORI [SHARED] [BUILDDIR]}
MAMORI=$(cd "$(dirname "$MAMORI")" && pwd)/$(basename "$MAMORI")
HERE=$(cd "$(dirname "$0")" && pwd)
PY=$(command -v python3) || { echo "1..0 # SKIP python3 not installed"; exit 77; }
BASE=${3:-/tmp}
mkdir -p "$BASE" 2>/dev/null || BASE=/tmp
T=$(mktemp -d "$BASE/scope-test.XXXXXX")
trap 'rm -rf "$T"' EXIT
cd "$T" || exit 1
. "$HERE/tap.sh"
unset MAMORI_CONFIG
# json_check NAME PYTHON-ASSERTIONS ARGS...: runs scope --json and the assertions on `d`.
json_check() {
    local name=$1 code=$2; shift 2
    run "$MAMORI" scope --db inc.db --json "$@"
    if [ "$rc" -ne 0 ] || grep -Eq "$SAN_RE" err; then not_ok "$name" "exit $rc"; return; fi
    if "$PY" - "$code" <out >pyerr 2>&1 <<'PYEOF'
import json, sys
code = sys.argv[1]
d = json.load(open("out"))
ex = {e["ip"] for e in d["exposed"]}
con = {e["ip"] for e in d["exposed"] if e["connected"]}
edges = {(e["src_ip"], e["dest_ip"], e["proto"], e["hop"], e["new_path"]) for e in d["spread"]}
pairs = {(e["src_ip"], e["dest_ip"]) for e in d["spread"]}
iso = set(d["isolate"])
outs = {o["dest_ip"] for o in d["outside"]}
verdict = {x["ip"]: x["verdict"] for x in d["devices"]}
PC01, PC02, PC03, PC04 = "192.168.30.101", "192.168.30.102", "192.168.30.103", "192.168.30.104"
FS, APP, DB, GW, PRN = "192.168.30.10", "192.168.30.11", "192.168.30.12", "192.168.30.1", "192.168.30.30"
FULL = {(PC01, FS, "smb", 1, False), (PC01, APP, "smb", 1, True),
        (APP, DB, "smb", 2, True), (APP, DB, "rpc", 2, True)}
exec(code)
PYEOF
    then ok "$name"; else not_ok "$name" "$(tail -n 3 pyerr)"; fi
}

# --- the store -------------------------------------------------------------------------
run "$MAMORI" gen-scenario incident-spread -o inc.pcap
[ "$rc" -eq 0 ] && [ -s inc.pcap ] && ok "gen-scenario incident-spread" ||
    not_ok "gen-scenario incident-spread" "exit $rc"
run "$MAMORI" read inc.pcap --db inc.db
[ "$rc" -eq 0 ] && ok "mamori read" || not_ok "mamori read" "exit $rc"

# --- by outside address: patient zero, spread, outside, verdicts ------------------------
json_check "IP: exactly PC01 exposed, patient zero" '
assert ex == {PC01} and con == {PC01}, ex
assert d["patient_zero"] == PC01
e = d["exposed"][0]
assert e["name"] == "PC01" and e["mac"] and e["first_contact"].startswith("2026-11-02T02:00")
assert e["first_contact"].endswith("Z") and e["bytes_out"] > 0 and e["bytes_in"] > 0
assert {"tls", "http"} <= set(e["protocols"]), e["protocols"]
assert "sync.malupdate.example" in e["names"]
' 198.51.100.77
json_check "IP: the four spread edges, new vs known path, hops" '
assert edges == FULL, edges
for e in d["spread"]:
    if e["dest_ip"] == FS: assert "ADMIN$" in e["shares"] and e["admin"], e
    if e["proto"] == "rpc": assert "svcctl" in e["rpc"], e
' 198.51.100.77
json_check "IP: new outside destination after exposure, ranked by bytes out" '
assert outs == {"203.0.113.200"}, outs
o = d["outside"][0]
assert o["src_ip"] == PC01 and "files.exfil-drop.example" in o["names"] and o["bytes_out"] > 400000
assert "93.184.216.34" not in outs   # visited before the infection
' 198.51.100.77
json_check "IP: isolate list and likely-clean devices" '
assert iso == {PC01, FS, APP, DB}, iso
for ip in (PC02, PC03, PRN, GW): assert verdict.get(ip) == "clean", (ip, verdict.get(ip))
' 198.51.100.77

# --- other kinds of indicator -----------------------------------------------------------
json_check "domain with subdomains: PC04 only resolved it (examine)" '
assert {"sync.malupdate.example", "api.malupdate.example"} <= set(d["ioc_names"])
assert ex == {PC01, PC04} and con == {PC01}, (ex, con)
assert d["patient_zero"] == PC01 and verdict[PC04] == "examine"
assert edges == FULL and iso == {PC01, FS, APP, DB}
assert verdict[GW] == "clean"   # the DNS server only forwarded
' malupdate.example
json_check "network (CIDR)" 'assert ex == {PC01} and edges == FULL' 198.51.100.0/24
json_check "URL (path matched)" 'assert ex == {PC01} and edges == FULL' \
    http://sync.malupdate.example/gate.php
json_check "URL with another path: nobody" 'assert ex == set() and d["spread"] == [] and iso == set()' \
    http://sync.malupdate.example/other.php
J3=$(sqlite3 inc.db "SELECT ja3 FROM tls WHERE sni = 'sync.malupdate.example' LIMIT 1" 2>/dev/null)
if [ -n "$J3" ]; then
    json_check "JA3 fingerprint" 'assert PC01 in con and edges == FULL' "$J3"
else
    ok "JA3 fingerprint # SKIP sqlite3 not installed"
fi
json_check "device name: starts at its first alert" '
assert ex == {PC01} and d["exposed"][0]["first_contact"].startswith("2026-11-02T02:20")
assert edges == FULL, edges
' PC01
MAC=$("$PY" -c 'import json,sys; print(json.load(open("out"))["exposed"][0]["mac"])')
json_check "device by MAC" 'assert ex == {PC01}' "$MAC"
run "$MAMORI" alerts --db inc.db --json
AID=$("$PY" -c '
import json
for l in open("out"):
    a = json.loads(l)
    if a["src_ip"] == "192.168.30.11" and a["dest_ip"] == "192.168.30.12":
        print(a["id"]); break')
if [ -n "$AID" ]; then
    json_check "alert id (#N): APPSRV's remote execution on DBSRV" '
assert ex == {APP} and d["patient_zero"] == APP
assert pairs == {(APP, DB), (DB, PC02)} and iso == {APP, DB, PC02}, (pairs, iso)
assert PC01 not in iso and FS not in iso
' "#$AID"
    json_check "alert id (alert:N)" 'assert ex == {APP}' "alert:$AID"
else
    not_ok "alert id: no lateral alert APPSRV -> DBSRV in the store"
fi
json_check "inside address: that device is the start" 'assert ex == {APP} and (APP, DB) in pairs' \
    --since 2026-11-02T02:30 192.168.30.11

# --- hop limit and time window -----------------------------------------------------------
json_check "--hops 1: only hop-1 edges" '
assert edges == {x for x in FULL if x[3] == 1}, edges
assert DB not in iso and all(e["hop"] <= 1 for e in d["spread"])
' --hops 1 198.51.100.77
json_check "--hops 0: no spread" 'assert d["spread"] == [] and iso == {PC01}' --hops 0 198.51.100.77
json_check "--hops 3: DBSRV -> PC02 appears at hop 3" '
assert (DB, PC02, "smb", 3, True) in edges and PC02 in iso, edges
' --hops 3 198.51.100.77
json_check "--until: nothing after it" '
assert edges == {(PC01, FS, "smb", 1, False)}, edges
assert all(e["time"] < "2026-11-02T02:21" for e in d["spread"]) and outs == set()
' --until 2026-11-02T02:21 198.51.100.77
json_check "--since after the contact: nobody exposed" 'assert ex == set() and d["spread"] == []' \
    --since 2026-11-02T02:30 198.51.100.77
json_check "unknown outside address: empty result, exit 0" \
    'assert ex == set() and d["spread"] == [] and d["patient_zero"] is None' 192.0.2.99

# --- text and HTML ------------------------------------------------------------------------
run "$MAMORI" scope --db inc.db 198.51.100.77
if [ "$rc" -eq 0 ] && grep -q "patient zero" out && grep -q "Isolate and examine (4)" out &&
    grep -q "NEW PATH" out; then ok "text output (en)"; else not_ok "text output (en)" "rc=$rc"; fi
run "$MAMORI" --lang ja scope --db inc.db malupdate.example
if [ "$rc" -eq 0 ] && grep -q "最初の感染の疑い" out && grep -q "切り離して調べる（4 台）" out &&
    grep -q "調べる（1 台）" out; then ok "text output (ja)"; else not_ok "text output (ja)" "rc=$rc"; fi
TZ=Asia/Tokyo run "$MAMORI" scope --db inc.db 198.51.100.77
if [ "$rc" -eq 0 ] && grep -Eq "period: .* JST; hops" out && grep -q "talked to 198.51.100.77 from .* JST" out &&
    ! grep -q " UTC" out; then ok "TZ=Asia/Tokyo: text on the local clock, JST named"
else not_ok "TZ=Asia/Tokyo: text on the local clock, JST named" "rc=$rc"; fi
run "$MAMORI" scope --db inc.db --html inc.html 198.51.100.77
if [ "$rc" -eq 0 ] && grep -q "<svg" inc.html && ! grep -qi "<script" inc.html &&
    ! grep -Eqi '(src|href)="https?:' inc.html; then ok "--html writes a self-contained page"
else not_ok "--html writes a self-contained page" "rc=$rc"; fi

# --- bad input and environment -------------------------------------------------------------
expect_err "no indicator" 2 "say what to look for" "$MAMORI" scope --db inc.db
expect_err "two indicators" 2 "unexpected argument" "$MAMORI" scope --db inc.db 1.2.3.4 5.6.7.8
expect_err "bad address" 2 "300.1.1.1" "$MAMORI" scope --db inc.db 300.1.1.1
expect_err "bad prefix" 2 "/33" "$MAMORI" scope --db inc.db 1.2.3.0/33
expect_err "too wide network" 2 "too wide" "$MAMORI" scope --db inc.db 10.0.0.0/4
expect_err "bad URL" 2 "http://" "$MAMORI" scope --db inc.db http://
expect_err "bad JA3" 2 "JA3" "$MAMORI" scope --db inc.db ja3:xyz
expect_err "bad alert id" 2 "#abc" "$MAMORI" scope --db inc.db '#abc'
expect_err "unknown alert" 2 "#99999" "$MAMORI" scope --db inc.db '#99999'
expect_err "unknown device" 2 "NOSUCHPC" "$MAMORI" scope --db inc.db NOSUCHPC
expect_err "bad --hops" 2 "--hops" "$MAMORI" scope --db inc.db --hops x 1.2.3.4
expect_err "bad --since" 2 "soon" "$MAMORI" scope --db inc.db --since soon 1.2.3.4
expect_err "--until before --since" 2 "--until" "$MAMORI" scope --db inc.db --since 2026-11-03 \
    --until 2026-11-02 1.2.3.4
expect_err "--json and --html" 2 "--html" "$MAMORI" scope --db inc.db --json --html x.html 1.2.3.4
expect_err "missing database" 1 "nosuch.db" "$MAMORI" scope --db nosuch.db 1.2.3.4
: >notadb.db
expect_err "empty file" 1 "notadb.db" "$MAMORI" scope --db notadb.db 1.2.3.4
"$PY" -c 'import struct,sys; sys.stdout.buffer.write(struct.pack("<IHHiIII",0xa1b2c3d4,2,4,0,0,65535,1))' >empty.pcap
run "$MAMORI" read empty.pcap --db empty.db
expect_err "store without flows" 1 "no flows" "$MAMORI" scope --db empty.db 1.2.3.4
expect_err "unwritable --html" 1 "/nonexistent-dir/x.html" "$MAMORI" scope --db inc.db \
    --html /nonexistent-dir/x.html 198.51.100.77

echo "1..$n"
[ "$failed" -eq 0 ]
