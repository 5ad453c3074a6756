#!/usr/bin/env bash
# weblog-test.sh - `mamori weblog` as a user runs it, on access logs written here: attacks
# found in plain, gzip and standard-input logs, text and JSON output, --db, and the bad-input
# cases (exit status 2, exactly one "mamori: " line naming the file). Output is TAP.
#
# usage: weblog-test.sh MAMORI
set -u
export LC_ALL=C TZ=UTC

MAMORI=${1:?usage: weblog-test.sh MAMORI}
MAMORI=$(cd "$(dirname "$MAMORI")" && pwd)/$(basename "$MAMORI")
HERE=$(cd "$(dirname "$0")" && pwd)
PY=/usr/bin/python3
for tool in gzip "$PY"; do
    command -v "$tool" >/dev/null || { echo "1..0 # SKIP $tool not installed"; exit 77; }
done
T=$(mktemp -d /tmp/mamori-weblog.XXXXXX)
trap 'rm -rf "$T"' EXIT
cd "$T" || exit 1
. "$HERE/tap.sh"

# --- logs -------------------------------------------------------------------------------
# An attacked shop: a scanner, a WordPress password run ending in a login, card testing, and
# ordinary customers; one junk line (line 3).
$PY - <<'PYEOF'
lines = []
def t(h, m, s):
    return "[26/Nov/2026:%02d:%02d:%02d +0900]" % (h, m, s)
ua = '"Mozilla/5.0 (Windows NT 10.0; Win64; x64) Chrome/130.0.0.0"'
for i in range(2):
    lines.append('198.51.100.%d - - %s "GET / HTTP/1.1" 200 9000 "-" %s' % (20 + i, t(9, 0, i), ua))
lines.append('this is not an access log line')
for i, p in enumerate(["/.env", "/.git/config", "/phpmyadmin/", "/wp-config.php.bak",
                       "/cgi-bin/test.cgi", "/vendor/phpunit/phpunit/src/Util/PHP/eval-stdin.php"]):
    lines.append('203.0.113.201 - - %s "GET %s HTTP/1.1" 404 153 "-" "curl/8.5.0"' % (t(3, 0, i), p))
for i in range(30):
    lines.append('198.51.100.99 - - %s "POST /wp-login.php HTTP/1.1" 200 4500 "-" %s' % (t(4, i // 60, i % 60), ua))
lines.append('198.51.100.99 - - %s "POST /wp-login.php HTTP/1.1" 302 0 "-" %s' % (t(4, 1, 0), ua))
for i in range(25):
    lines.append('203.0.113.66 - - %s "POST /?wc-ajax=checkout HTTP/1.1" %d 120 "-" "python-requests/2.31"'
                 % (t(5, i, 0), 402 if i % 5 else 200))
for i in range(30):
    c = '198.51.100.%d' % (100 + i)
    for p in ["/", "/products/1", "/cart"]:
        lines.append('%s - - %s "GET %s HTTP/1.1" 200 5000 "-" %s' % (c, t(10, i, 0), p, ua))
    lines.append('%s - - %s "POST /?wc-ajax=checkout HTTP/1.1" 200 90 "-" %s' % (c, t(10, i, 30), ua))
open("attack.log", "w").write("\n".join(lines) + "\n")
clean = [l for l in lines if not l.startswith(("203.0.113", "198.51.100.99", "this"))]
open("clean.log", "w").write("\n".join(clean) + "\n")
open("junk.log", "w").write("hello\nworld\n\x00\xff\n")
PYEOF
gzip -c attack.log > attack.log.gz

# --- attacks found ----------------------------------------------------------------------
run "$MAMORI" weblog --site shop.example.jp attack.log
check "plain log: exit 0" test "$rc" -eq 0
check "plain log: four attacks" test "$(grep -c '^#[0-9]' out)" -eq 4
check "plain log: scan, login, login success, card" \
    grep -q 'Card testing on your web shop from 203.0.113.66' out
check "plain log: login success" grep -q 'Login to your web site succeeded' out
check "plain log: warns once about line 3" grep -q 'line 3)' err
run "$MAMORI" weblog --json attack.log.gz
check "gzip log, --json: one object per alert" test "$(grep -c '^{' out)" -eq 4
check "--json fields" $PY -c '
import json, sys
for l in open("out"):
    a = json.loads(l)
    for k in ("id", "time", "category", "severity", "src_ip", "dest_ip", "device", "title",
              "explanation", "action", "flow_ids", "facts"):
        assert k in a, k
    assert a["category"] == "web.attack"
    assert a["time"].startswith("2026-11-2")
v = {json.loads(l)["facts"]["variant"]: json.loads(l)["severity"] for l in open("out")}
assert v == {"scan": "low", "login": "medium", "login_success": "high", "card": "high"}, v
'
run "$MAMORI" weblog - < attack.log
check "standard input" test "$(grep -c '^#[0-9]' out)" -ge 4
run "$MAMORI" --lang ja weblog attack.log
check "--lang ja" grep -q 'ネットショップでクレジットカードの不正試行' out
run "$MAMORI" weblog --db w.db --server-ip 192.0.2.80 attack.log
check "--db: exit 0" test "$rc" -eq 0
run "$MAMORI" alerts --db w.db --json --category web.attack
check "--db: alerts stored" test "$(grep -c '"dest_ip":"192.0.2.80"' out)" -ge 4
run "$MAMORI" weblog clean.log
check "ordinary customers: nothing" grep -q 'No attacks found' out
check "ordinary customers: exit 0, no warning" test "$rc" -eq 0 -a ! -s err

# --- bad input --------------------------------------------------------------------------
expect_err "no access log line" 2 junk.log "$MAMORI" weblog junk.log
expect_err "missing file" 2 no-such.log "$MAMORI" weblog no-such.log
expect_err "no file" 2 "" "$MAMORI" weblog
expect_err "bad format" 2 "--format" "$MAMORI" weblog --format xml attack.log
expect_err "bad setting" 2 "web.nope" "$MAMORI" weblog --set web.nope=1 attack.log
head -c 1000 attack.log.gz > cut.gz
run "$MAMORI" weblog cut.gz
check "truncated gzip: no crash" test "$rc" -eq 0 -o "$rc" -eq 2

echo "1..$n"
[ "$failed" -eq 0 ]
