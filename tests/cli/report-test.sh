#!/usr/bin/env bash
# report-test.sh - `mamori report` as a user runs it on a generated month
# (scenario `month`): the JSON model in Japanese and English against the
# golden files tests/report/month-{ja,en}.json (generated_at dropped), the
# plain-text report, an empty month, the days the sensor was off, a store
# of the older schema 3, bad arguments, and probes by country when the
# country database can be installed with npm. Output is TAP.
#
# usage: report-test.sh MAMORI [SHARED] [BUILDDIR]
#   UPDATE=1 (or tests/report/update MAMORI) rewrites the golden files;
#   review `git diff tests/report` before committing.
set -u
export LC_ALL=C.UTF-8 TZ=UTC

MAMORI=${1:?usage: report-test.sh MAMORI}
MAMORI=$(cd "$(dirname "$MAMORI")" && pwd)/$(basename "$MAMORI")
HERE=$(cd "$(dirname "$0")" && pwd)
SRC=$(cd "$(dirname "$0")/../.." && pwd)
GOLD=$SRC/tests/report
PY=/usr/bin/python3
command -v "$PY" >/dev/null || { echo "1..0 # SKIP python3 not installed"; exit 77; }
T=$(mktemp -d /tmp/mamori-report.XXXXXX)
trap 'rm -rf "$T"' EXIT
cd "$T" || exit 1
. "$HERE/tap.sh"
export rc # the checks below read it from sh -c
# No country database from the machine unless the test installs one.
export MAMORI_GEOIP=/nonexistent/country.mmdb
unset MAMORI_CONFIG
# jq-like assertions on a model file: PY expression over `m`.
model_is() { "$PY" - "$1" "$2" <<'EOF'
import json, sys
m = json.load(open(sys.argv[1]))
sys.exit(0 if eval(sys.argv[2]) else 1)
EOF
}
normalise() { "$PY" - "$1" <<'EOF'
import json, sys
m = json.load(open(sys.argv[1]))
m.pop("generated_at", None)
print(json.dumps(m, ensure_ascii=False, indent=1, sort_keys=False))
EOF
}

# --- the month: a known-device list for the devices there from the start ---
run "$MAMORI" gen-scenario month -o month.pcap
check "gen-scenario month" test "$rc" -eq 0
mkdir -p pre m
run "$MAMORI" read month.pcap --db pre/m.db
run "$MAMORI" devices --db pre/m.db --json
"$PY" - out > m/known-devices.csv <<'EOF'
import json, sys
names = {"PC01": ("総務-PC01", "佐藤"), "PC02": ("営業-PC02", "鈴木"), "PC03": ("経理-PC03", "高橋"),
         "PC04": ("営業-PC04", "田中"), "PC05": ("設計-PC05", "伊藤"), "PC06": ("設計-PC06", "渡辺"),
         "KOUJOU-XP": ("工場-XP", "山本"), "NAS01": ("NAS01", "総務"), "BRN-MFC": ("複合機", "総務")}
print("mac,name,owner,note")
text = open(sys.argv[1]).read().strip()
devs = json.loads(text) if text.startswith("[") else [json.loads(l) for l in text.splitlines()]
for d in devs:
    hn = (d.get("hostnames") or [None])[0] if isinstance(d.get("hostnames"), list) else d.get("hostnames")
    if hn in names:
        print("%s,%s,%s," % (d["mac"], names[hn][0], names[hn][1]))
    elif d.get("vendor") and "YAMAHA" in d["vendor"].upper():
        print("%s,ルーター,総務," % d["mac"])
EOF
check "known-device list for 10 baseline devices" test "$(grep -c : m/known-devices.csv)" -eq 10
run "$MAMORI" read month.pcap --db m/m.db
check "read the month" test "$rc" -eq 0

for lang in ja en; do
    run "$MAMORI" report --db m/m.db --month 2026-10 --lang "$lang" --json
    cp out "model-$lang.json"
    check "report --json --lang $lang" test "$rc" -eq 0 -a -s out
    normalise "model-$lang.json" > "norm-$lang.json"
    if [ "${UPDATE:-0}" = 1 ]; then
        cp "norm-$lang.json" "$GOLD/month-$lang.json"
        ok "golden month-$lang.json rewritten"
    elif diff -u "$GOLD/month-$lang.json" "norm-$lang.json" > "diff-$lang" 2>&1; then
        ok "model ($lang) matches tests/report/month-$lang.json"
    else
        not_ok "model ($lang) matches tests/report/month-$lang.json" \
            "$(head -40 "diff-$lang" | tr '\n' '|')"
    fi
done
M=model-ja.json
check "status is red (PC03 scanned the NAS)" model_is $M 'm["status"]["level"] == "red"'
check "first thing to do: disconnect 経理-PC03" model_is $M \
    'm["todo"][0]["kind"] == "isolate" and "経理-PC03" in m["todo"][0]["title"] and m["todo"][0]["urgency"] == "now"'
check "at most three things to do, most urgent first" model_is $M \
    'len(m["todo"]) <= 3 and [t["urgency"] for t in m["todo"]] == sorted([t["urgency"] for t in m["todo"]], key=["now","this_week","this_month"].index)'
check "two new devices (laptop, phone), none on Oct 1" model_is $M \
    'sorted(d["name"] for d in m["devices"]["new"]) == ["Galaxy-S23", "TANAKA-NOTE"] and m["counts"][0]["value"] == 2'
check "unknown devices are the two new ones" model_is $M \
    'len(m["devices"]["unknown"]) == 2'
check "the XP PC is outdated, with its owner" model_is $M \
    'any(d["name"] == "工場-XP" and d["owner"] == "山本" for d in m["devices"]["outdated"])'
check "themes: outside scans, inside scan, Telnet and cleartext in practice" model_is $M \
    '{t["id"]: sorted(set(f["category"] for f in t["findings"])) for t in m["themes"]}["outside"] == ["scan.port"] and "scan.port" in [f["category"] for t in m["themes"] if t["id"]=="inside" for f in t["findings"]] and {"cleartext","legacy.protocol","device.legacy_os"} <= set(f["category"] for t in m["themes"] if t["id"]=="practice" for f in t["findings"])'
check "evidence kept apart (addresses, flow ids)" model_is $M \
    'all("src_ip" in f["evidence"] and isinstance(f["evidence"]["flow_ids"], list) for t in m["themes"] for f in t["findings"])'
check "sensor off Oct 10-12 and Oct 25 listed as gaps" model_is $M \
    '[g["start"][:10] for g in m["sensor"]["gaps"] if g["reason"] == "no_traffic"] == ["2026-10-10", "2026-10-25"] and m["sensor"]["coverage_pct"] < 90'
check "charts: 31 days of traffic and devices, weeks cover the month" model_is $M \
    'len(m["charts"]["traffic_per_day"]) == 31 and len(m["charts"]["devices_per_day"]) == 31 and m["charts"]["devices_per_day"][10]["count"] == 0 and sum(w["high"] for w in m["charts"]["findings_per_week"]) >= 1'
check "top services grouped by registrable name" model_is $M \
    '"microsoft.com" in [s["name"] for s in m["charts"]["top_services"]] and "yahoo.co.jp" in [s["name"] for s in m["charts"]["top_services"]]'
check "no country database: available false with a note" model_is $M \
    'm["charts"]["inbound_by_country"]["available"] is False and "geoip-install" in m["charts"]["inbound_by_country"]["note"] and m["charts"]["inbound_by_country"]["total_probes"] >= 200'
check "glossary lists only the terms used" model_is $M \
    '"ポートスキャン" in [g["term"] for g in m["glossary"]] and "Tor" not in [g["term"] for g in m["glossary"]]'
check "counts compared with September" model_is $M \
    '[c["id"] for c in m["counts"]] == ["new_devices","serious_findings","outside_attacks","mail_threats"] and all(c["previous"] == 0 for c in m["counts"])'

# --- text ---
for lang in ja en; do
    run "$MAMORI" report --db m/m.db --month 2026-10 --lang "$lang" --text
    cp out "text-$lang.txt"
    check "report --text --lang $lang" test "$rc" -eq 0 -a -s out
done
check "Japanese text: status, things to do, sensor gaps" grep -q "今月やること" text-ja.txt
check "Japanese text names 経理-PC03 and the gaps" sh -c 'grep -q "経理-PC03 をネットワークから外し" text-ja.txt && grep -q "センサーが止まっていた期間" text-ja.txt'
check "English text has every section" sh -c 'for h in "Overall status" "things to do" "Key numbers" "What happened" "Devices" "What the sensor saw" "Glossary"; do grep -q "$h" text-en.txt || exit 1; done'
check "no (null) or placeholders in the text" sh -c '! grep -Eq "\(null\)|\{device\}|\{n\}" text-ja.txt text-en.txt'
run "$MAMORI" report --db m/m.db --month 2026-10 --lang en
check "text is the default output" sh -c 'test "$rc" -eq 0 && grep -q "Overall status" out'

# --- an empty month: calm, says the sensor saw nothing ---
run "$MAMORI" report --db m/m.db --month 2026-08 --lang en --json
cp out empty.json
check "empty month reports" test "$rc" -eq 0
check "empty month: amber, 'recorded nothing', check the sensor" model_is empty.json \
    'm["status"]["level"] == "amber" and "recorded nothing" in m["status"]["reason"] and [t["kind"] for t in m["todo"]] == ["nodata"] and m["sensor"]["flows"] == 0 and m["sensor"]["coverage_pct"] == 0 and all(not t["findings"] for t in m["themes"])'

# --- only the days the sensor was off: never green ---
run "$MAMORI" report --db m/m.db --since 2026-10-10 --until 2026-10-13 --json
cp out off.json
check "sensor-off days: not green, the gap covers them" model_is off.json \
    'm["status"]["level"] != "green" and m["sensor"]["gaps"] and m["sensor"]["coverage_pct"] == 0 and m["previous"]["since"] == "2026-10-07T00:00:00Z"'
run "$MAMORI" report --db m/m.db --since 2026-10-26 --until 2026-10-31 --json
cp out week.json
check "a quiet watched week is green" model_is week.json \
    'm["status"]["level"] == "green" and m["sensor"]["gaps"] == [] and m["sensor"]["coverage_pct"] == 100'

# --- a store of the older schema 3 (no sensor_gaps, state, notifications) ---
cp m/m.db old.db
"$PY" - old.db <<'EOF'
import sqlite3, sys
db = sqlite3.connect(sys.argv[1])
for t in ("sensor_gaps", "state", "notifications"):
    db.execute("DROP TABLE IF EXISTS " + t)
db.execute("PRAGMA user_version = 3")
db.commit()
EOF
run "$MAMORI" report --db old.db --month 2026-10 --json
cp out old.json
check "schema 3 store reports" test "$rc" -eq 0
check "schema 3: same findings, gaps from the flows" model_is old.json \
    'len(m["sensor"]["gaps"]) == 3 and m["status"]["level"] == "red"'
"$PY" -c 'import sqlite3,sys; d=sqlite3.connect(sys.argv[1]); d.execute("PRAGMA user_version = 2"); d.commit()' old.db
run "$MAMORI" report --db old.db --month 2026-10
check "schema 2 store: exit 1, one clear line" sh -c 'test "$rc" -eq 1 && grep -q "older mamori" err && test "$(wc -l < err)" -eq 1'
printf 'not a database at all, just some text that is long enough to look like a header....' > junk.db
run "$MAMORI" report --db junk.db --month 2026-10
check "not a database: exit 1" sh -c 'test "$rc" -eq 1 && grep -q "^mamori: " err'
run "$MAMORI" report --db missing.db --month 2026-10
check "missing database: exit 1" test "$rc" -eq 1

# --- hostile store content: bad UTF-8, junk addresses and JSON, odd severities ---
cp m/m.db hostile.db
"$PY" - hostile.db <<'EOF'
import sqlite3, sys
d = sqlite3.connect(sys.argv[1])
bad = b"\xff\xfe\x80bad"
ins = ("INSERT INTO alerts (dedup_key, run_id, first_ts, last_ts, count, category, severity,"
       " src_ip, device, device_name, flow_ids, facts) VALUES (?, 1, 1791000000000000,"
       " 1791000000000000, ?, ?, ?, ?, ?, ?, ?, ?)")
d.execute(ins, ("h1", 1, "x" * 500, 9, "not-an-ip", "zz:zz", bad, "garbage", '{"variant":5}'))
d.execute(ins, ("h2", -5, "lateral", -3, None, None, bad, None, None))
d.execute("UPDATE devices SET hostname = ?, os = ? WHERE rowid = 1", (bad, bad))
d.execute("UPDATE tls SET sni = ? WHERE rowid IN (SELECT rowid FROM tls LIMIT 5)", (bad,))
d.execute("INSERT INTO sensor_gaps (start_ts, end_ts, reason) VALUES"
          " (1791500000000000, 1791600000000000, ?)", (bad,))
d.commit()
EOF
for lang in ja en; do
    run "$MAMORI" report --db hostile.db --month 2026-10 --lang "$lang" --json
    cp out hostile.json
    check "hostile store ($lang): valid JSON model" model_is hostile.json 'm["status"]["level"] == "red"'
    run "$MAMORI" report --db hostile.db --month 2026-10 --lang "$lang" --text
    check "hostile store ($lang): text" test "$rc" -eq 0
done

# --- bad usage ---
for bad in 2026-13 2026-1 2026-00 abcd-ef 26-10 2026-10x ""; do
    run "$MAMORI" report --db m/m.db --month "$bad"
    check "bad --month '$bad': exit 2" sh -c 'test "$rc" -eq 2 && grep -q "^mamori: report: " err'
done
run "$MAMORI" report --db m/m.db --month 2026-10 --since 2026-10-01
check "--month with --since: exit 2" test "$rc" -eq 2
run "$MAMORI" report --db m/m.db --since 2026-10-05 --until 2026-10-01
check "--until before --since: exit 2" test "$rc" -eq 2
run "$MAMORI" report --db m/m.db --lang fr
check "--lang fr: exit 2" test "$rc" -eq 2
run "$MAMORI" report --db m/m.db --bogus
check "unknown option: exit 2" test "$rc" -eq 2
run "$MAMORI" report --help
check "--help prints the usage" sh -c 'test "$rc" -eq 0 && grep -q "usage: mamori report" out'

# --- a store's first month without a known-device list: the devices there from the
# start are one "found when monitoring began" card, not a "new device" card each, and
# the to-do to register the unknown ones stays ---
mkdir -p first
run "$MAMORI" gen-scenario office -o first/o.pcap
run "$MAMORI" read --db first/f.db first/o.pcap
check "first month: read the office capture" test "$rc" -eq 0
fm=$(sqlite3 first/f.db "SELECT strftime('%Y-%m', min(first_ts) / 1000000, 'unixepoch') FROM runs" 2>/dev/null)
run "$MAMORI" report --db first/f.db --month "$fm" --json
cp out first.json
check "first month: one baseline card, no new-device cards, counts agree" model_is first.json \
    '[f["category"] for t in m["themes"] for f in t["findings"] if f["category"].startswith("device.new")] == [] and len([f for t in m["themes"] for f in t["findings"] if f["category"] == "device.baseline"]) == 1 and [c["value"] for c in m["counts"] if c["id"] == "new_devices"] == [0]'
check "first month: the unknown devices are still a to-do" model_is first.json \
    'any(t["kind"] == "unknown" for t in m["todo"])'
run "$MAMORI" report --db first/f.db --month "$fm" --text --lang ja
check "first month: the Japanese text names the devices" sh -c 'test "$rc" -eq 0 && grep -q "監視を始めたときにあった機器" out && grep -q "SOUMU-PC01" out'

# --- the local clock: a Japanese firm's October starts at 00:00 JST ---
TZ=Asia/Tokyo run "$MAMORI" report --db m/m.db --month 2026-10 --json
cp out jst.json
check "TZ=Asia/Tokyo: the month is local, times carry +09:00" model_is jst.json \
    'm["period"]["since"] == "2026-10-01T00:00:00+09:00" and m["period"]["until"] == "2026-11-01T00:00:00+09:00" and m["charts"]["traffic_per_day"][0]["date"] == "2026-10-01" and len(m["charts"]["traffic_per_day"]) == 31 and all(f["first"].endswith("+09:00") for t in m["themes"] for f in t["findings"])'
TZ=Asia/Tokyo run "$MAMORI" report --db m/m.db --month 2026-10 --text --lang ja
check "TZ=Asia/Tokyo: the text says JST" sh -c 'test "$rc" -eq 0 && grep -q "（JST）" out && grep -q "2026年10月" out'
TZ=Asia/Tokyo run "$MAMORI" report --db m/m.db --month 2026-10 -o jst.html
check "TZ=Asia/Tokyo: the HTML report is written" sh -c 'test "$rc" -eq 0 && grep -q "JST" jst.html'

# --- probes by country, when npm can install the country database ---
if [ "${MAMORI_REPORT_NO_NPM:-0}" != 1 ] && command -v npm >/dev/null &&
    mmdb=$(timeout 300 "$SRC/tools/geoip-install.sh" "$T/geoip" 2>geoip.err) && [ -s "$mmdb" ]; then
    run "$MAMORI" report --db m/m.db --month 2026-10 --lang ja --json --geoip "$mmdb"
    cp out geo.json
    check "country database: probes by country" model_is geo.json \
        'm["charts"]["inbound_by_country"]["available"] is True and sum(r["probes"] for r in m["charts"]["inbound_by_country"]["rows"]) >= 200 and {"DE","CN"} <= set(r["cc"] for r in m["charts"]["inbound_by_country"]["rows"])'
else
    ok "# SKIP country database not installable (npm): $(head -1 geoip.err 2>/dev/null)"
fi

echo "1..$n"
[ "$failed" -eq 0 ]
