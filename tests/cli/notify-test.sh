#!/usr/bin/env bash
# notify-test.sh - `mamori notify` against real receivers on 127.0.0.1: an SMTP
# server (python3-aiosmtpd: STARTTLS with a certificate made here, AUTH LOGIN/
# PLAIN) and an HTTP receiver that records webhook bodies, answers 500 or hangs
# when told to. Checks the test messages of every channel type (headers,
# decoded Japanese subject and body, JSON shapes), one message per incident
# from a store made by `mamori gen-scenario` + `mamori read`, the digest, and
# failures: wrong password, HTTP 500 then fixed, a hanging receiver (timeout,
# no block), a receiver started late. Output is TAP.
#
# usage: notify-test.sh MAMORI [SHARED] [BUILDDIR]
set -u
export LC_ALL=C TZ=UTC

MAMORI=${1:?usage: notify-test.sh MAMORI}
MAMORI=$(cd "$(dirname "$MAMORI")" && pwd)/$(basename "$MAMORI")
HERE=$(cd "$(dirname "$0")" && pwd)
PY=/usr/bin/python3
for tool in "$PY" openssl sqlite3; do
    command -v "$tool" >/dev/null || { echo "1..0 # SKIP $tool not installed"; exit 77; }
done
"$PY" -c 'import aiosmtpd' 2>/dev/null || { echo "1..0 # SKIP python3-aiosmtpd not installed"; exit 77; }
T=$(mktemp -d /tmp/mamori-notify.XXXXXX)
PIDS=()
cleanup() {
    for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null; done
    wait 2>/dev/null
    rm -rf "$T"
}
trap cleanup EXIT
cd "$T" || exit 1
. "$HERE/tap.sh"
q() { sqlite3 "$1" "$2"; }
wait_file() { for _ in $(seq 1 100); do [ -s "$1" ] && return 0; sleep 0.1; done; return 1; }

# --- receivers ---
openssl req -x509 -newkey rsa:2048 -nodes -keyout key.pem -out cert.pem -days 2 \
    -subj /CN=127.0.0.1 -addext subjectAltName=IP:127.0.0.1 >/dev/null 2>&1 ||
    { echo "1..0 # SKIP openssl cannot make a certificate"; exit 77; }
mkdir -p mail web late
"$PY" "$HERE/notify/smtpd.py" mail smtp.port cert.pem key.pem mamori 'right-pässword' \
    2>smtpd.log &
PIDS+=($!)
"$PY" "$HERE/notify/httpd.py" web http.port 2>httpd.log &
PIDS+=($!)
wait_file smtp.port && wait_file http.port || { echo "Bail out! receivers did not start"; exit 1; }
SP=$(cat smtp.port) HP=$(cat http.port)
# a port nobody listens on yet (the "late" receiver)
LP=$("$PY" -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')

base_conf() { # extra notify settings follow on stdin
    cat <<CONF
[notify]
lang = ja
dashboard_url = https://mamori.example.jp/
max_per_hour = 20
retry_base = 1
CONF
    cat
}
smtp_section() { # NAME PASSWORD
    cat <<CONF
[notify.$1]
type = smtp
url = smtp://127.0.0.1:$SP
starttls = yes
user = mamori
password = $2
from = mamori@example.jp
to = soumu@example.jp, it@example.jp
ca_file = $T/cert.pem
timeout = 10
CONF
}
base_conf >all.conf <<CONF
$(smtp_section office 'right-pässword')
$(smtp_section badpw 'wrong-password')
[notify.slack]
type = slack
url = http://127.0.0.1:$HP/services/T000/B000/XXXSECRETXXX
[notify.teams]
type = teams
url = http://127.0.0.1:$HP/teams/webhookb2/SECRET2
[notify.cw]
type = chatwork
url = http://127.0.0.1:$HP
token = cw-token-123
room_id = 4242
[notify.hook]
type = webhook
url = http://127.0.0.1:$HP/hook/SECRET3
timeout = 3
[notify.late]
type = webhook
url = http://127.0.0.1:$LP/late
timeout = 3
CONF

# --- list: secrets masked ---
run "$MAMORI" notify list --config all.conf
check "notify list shows the channels" \
    test "$rc" = 0 -a "$(grep -cE '^(office|badpw|slack|teams|cw|hook|late) ' out)" = 7
check "notify list hides passwords, tokens and webhook paths" \
    sh -c '! grep -Eq "right-p|wrong-password|cw-token|XXXSECRETXXX|SECRET2|SECRET3" out && grep -q "password=\*\*\*\*\*\*\*\*" out'

# --- bad settings and names ---
printf '[notify.x]\ntype = fax\n' >bad.conf
run "$MAMORI" notify list --config bad.conf
check "a bad value is exit 2 naming file, line and key" \
    sh -c "test $rc = 2 && grep -q 'bad.conf:2: .notify.x.type' err"
printf '[notify.x]\ntype = slack\n' >bad2.conf
run "$MAMORI" notify list --config bad2.conf
check "a channel without url is exit 2 naming the key" \
    sh -c "test $rc = 2 && grep -q 'notify.x.url' err"
run "$MAMORI" notify test nosuch --config all.conf
check "notify test of an unknown channel is exit 2" test "$rc" = 2

# --- test messages on every channel ---
run "$MAMORI" notify test office --config all.conf
check "notify test office (STARTTLS + AUTH) succeeds" sh -c "test $rc = 0 && test -s mail/1.eml"
"$PY" "$HERE/notify/check.py" mail mail/1.eml >m1.txt 2>m1.err
rc=$?
check "test mail: headers, From/To, decoded Japanese subject and body" sh -c "test $rc = 0 &&
    grep -q '^From: mamori <mamori@example.jp>' m1.txt &&
    grep -q '^To: soumu@example.jp, *it@example.jp' m1.txt &&
    grep -q '^Subject: \[mamori\] 通知先「office」のテストメッセージ' m1.txt &&
    grep -q 'mamori からのテスト送信です' m1.txt"
check "SMTP envelope: both recipients, over TLS, authenticated" \
    "$PY" -c "import json; e=json.load(open('mail/1.json')); assert e['rcpt']==['soumu@example.jp','it@example.jp'] and e['tls'] and e['user']=='mamori' and e['from']=='mamori@example.jp', e"

for ch in slack teams cw hook; do
    before=$(ls web | grep -c '^req-')
    run "$MAMORI" notify test $ch --config all.conf
    f=web/req-$((before + 1)).json
    check "notify test $ch succeeds" sh -c "test $rc = 0 && test -s $f"
    "$PY" "$HERE/notify/check.py" json "$f" >w.txt 2>w.err
    rc=$?
    case $ch in
    slack) want='^slack: path=/services/T000/B000/XXXSECRETXXX text=\[mamori\] 通知先「slack」' ;;
    teams) want='^teams: path=/teams/webhookb2/SECRET2 title=\[mamori\] 通知先「teams」' ;;
    cw) want='^chatwork: path=/v2/rooms/4242/messages token=cw-token-123 body=\[info\]\[title\]\[mamori\] 通知先「cw」' ;;
    hook) want='^generic: path=/hook/SECRET3 kind=test severity=info title=通知先「hook」' ;;
    esac
    check "$ch body has the documented shape" sh -c "test $rc = 0 && grep -q '$want' w.txt"
done

run "$MAMORI" notify test badpw --config all.conf
check "wrong SMTP password: exit 1, 'authentication failed'" \
    sh -c "test $rc = 1 && grep -q 'notify test badpw: authentication failed' err"
# the secret never appears in what mamori prints
check "the wrong password is not printed" sh -c '! grep -q wrong-password out err'
# TLS is verified: without ca_file the self-signed server is refused
base_conf >noca.conf <<CONF
$(smtp_section noca 'right-pässword' | grep -v ca_file)
CONF
run "$MAMORI" notify test noca --config noca.conf
check "without ca_file the self-signed certificate is refused" \
    sh -c "test $rc = 1 && grep -q 'server certificate not trusted' err"
run "$MAMORI" notify test late --config all.conf
check "nobody listening: exit 1, 'connection refused'" \
    sh -c "test $rc = 1 && grep -q 'connection refused' err"
echo 500 >web/mode
run "$MAMORI" notify test hook --config all.conf
check "webhook answering 500: exit 1, 'HTTP 500'" sh -c "test $rc = 1 && grep -q 'HTTP 500' err"
echo ok >web/mode

# --- a store with alerts ---
for s in scan-internal auth-ssh-success dev-arpspoof; do
    "$MAMORI" gen-scenario $s -o $s.pcap >/dev/null 2>&1
    "$MAMORI" read --quiet --db store.db $s.pcap >/dev/null 2>&1
done
highs=$(q store.db "SELECT count(*) FROM alerts WHERE severity >= 3")
devs=$(q store.db "SELECT count(DISTINCT device) FROM alerts WHERE severity >= 3")
check "the scenarios raised high alerts on several devices" test "$highs" -ge 3 -a "$devs" -ge 3

# office mail + generic webhook only
base_conf >run.conf <<CONF
$(smtp_section office 'right-pässword')
[notify.hook]
type = webhook
url = http://127.0.0.1:$HP/hook/run
CONF
cp store.db s1.db
mails0=$(ls mail | grep -c 'eml$')
reqs0=$(ls web | grep -c '^req-')
run "$MAMORI" notify run --db s1.db --once --config run.conf
inc=$(q s1.db "SELECT count(DISTINCT incident) FROM notifications WHERE kind = 'incident'")
check "notify run --once: one message per incident ($devs devices with high alerts)" \
    sh -c "test $rc = 0 && test $inc = $devs &&
    test \$(ls mail | grep -c 'eml\$') = $((mails0 + devs)) &&
    test \$(ls web | grep -c '^req-') = $((reqs0 + devs))"
listed=$(q s1.db "SELECT count(*) FROM notifications, json_each(alert_ids) WHERE kind = 'incident' AND channel = 'office'")
distinct=$(q s1.db "SELECT count(DISTINCT j.value) FROM notifications, json_each(alert_ids) j WHERE kind = 'incident' AND channel = 'office'")
want=$(q s1.db "SELECT count(*) FROM alerts WHERE device IN (SELECT device FROM alerts WHERE severity >= 3)")
check "each incident message has all of its device's alerts, none twice ($listed)" \
    test "$listed" = "$want" -a "$distinct" = "$want"
last=$(ls mail/*.eml | sort -t/ -k2 -n | tail -1)
"$PY" "$HERE/notify/check.py" mail "$last" >m2.txt 2>&1
check "incident mail: severity, what happened, what to do, link and command" sh -c "
    grep -q '^Subject: \[mamori\] 重要度 高: ' m2.txt && grep -q '何が起きたか:' m2.txt &&
    grep -q '対応のお願い:' m2.txt && grep -q '詳細: https://mamori.example.jp/' m2.txt &&
    grep -q 'mamori alerts --db s1.db --device ' m2.txt"
check "all messages recorded as sent" \
    test "$(q s1.db "SELECT count(*) FROM notifications WHERE status = 'sent' AND attempts = 1")" \
    = $((2 * devs))
run "$MAMORI" notify run --db s1.db --once --config run.conf
check "a second run sends nothing new" \
    sh -c "test $rc = 0 && test \$(ls mail | grep -c 'eml\$') = $((mails0 + devs))"
run "$MAMORI" notify digest --db s1.db --print --config run.conf
check "digest --print lists the rest, grouped, in Japanese" sh -c "test $rc = 0 &&
    grep -q '日次のまとめ' out && grep -q '発生時にお知らせ済み' out && grep -q 'ほか同種' out"
run "$MAMORI" notify digest --db s1.db --send --config run.conf
check "digest --send delivers one digest per channel" \
    test "$rc" = 0 -a "$(q s1.db "SELECT count(*) FROM notifications WHERE kind = 'digest' AND status = 'sent'")" = 2
run "$MAMORI" notify digest --db s1.db --print --config run.conf
check "after sending, the next digest is empty" grep -q 'no alerts since the last digest' out
run "$MAMORI" status --db s1.db
check "mamori status shows the last notification" \
    grep -Eq '^last notification +20[0-9-]+T[0-9:]+Z (office|hook) ok$' out

# --- wrong SMTP password in the notifier: error, retried, then given up ---
base_conf >pw.conf <<CONF
give_up = 3
$(smtp_section office 'wrong-password')
CONF
cp store.db s2.db
T0=2000000000
run "$MAMORI" notify run --db s2.db --once --config pw.conf --now $T0
check "wrong password: clear error, kept for a retry" sh -c "test $rc = 0 &&
    grep -q 'office: delivery failed (authentication failed); next try in 1 s' err &&
    test \$(sqlite3 s2.db \"SELECT count(*) FROM notifications WHERE status = 'pending'
      AND attempts = 1 AND last_error = 'authentication failed' AND next_try = $((T0 + 1))\") = $devs"
run "$MAMORI" notify run --db s2.db --once --config pw.conf --now $((T0 + 1))
check "retry after the backoff, then given up and recorded as failed" sh -c "
    test \$(sqlite3 s2.db \"SELECT count(*) FROM notifications WHERE status = 'failed'
      AND attempts = 2 AND last_error = 'gave up after 2 attempts: authentication failed'\") = $devs"

# --- webhook 500, then fixed ---
base_conf >w.conf <<CONF
[notify.hook]
type = webhook
url = http://127.0.0.1:$HP/hook/retry
CONF
cp store.db s3.db
echo 500 >web/mode
run "$MAMORI" notify run --db s3.db --once --config w.conf --now $T0
check "HTTP 500: recorded, pending retry" sh -c "grep -q 'delivery failed (HTTP 500' err &&
    test \$(sqlite3 s3.db \"SELECT count(*) FROM notifications WHERE status='pending' AND last_error LIKE 'HTTP 500%'\") = $devs"
echo ok >web/mode
run "$MAMORI" notify run --db s3.db --once --config w.conf --now $((T0 + 1))
check "receiver fixed: delivered on the retry" \
    test "$(q s3.db "SELECT count(*) FROM notifications WHERE status='sent' AND attempts=2")" = "$devs"

# --- a hanging webhook: timeout, the run does not block ---
base_conf >h.conf <<CONF
[notify.hook]
type = webhook
url = http://127.0.0.1:$HP/hook/hang
timeout = 2
CONF
cp store.db s4.db
echo hang >web/mode
start=$(date +%s)
run "$MAMORI" notify run --db s4.db --once --config h.conf --now $T0
took=$(($(date +%s) - start))
echo ok >web/mode
check "hanging receiver: one 'timed out' after the channel timeout, no block ($took s)" \
    sh -c "test \$(grep -c 'delivery failed (timed out)' err) = 1 && test $took -le 5 &&
    test \$(sqlite3 s4.db \"SELECT count(*) FROM notifications WHERE status='pending'\") = $devs"

# --- receiver started late ---
base_conf >l.conf <<CONF
[notify.late]
type = webhook
url = http://127.0.0.1:$LP/late
CONF
cp store.db s5.db
run "$MAMORI" notify run --db s5.db --once --config l.conf --now $T0
check "receiver not started: connection refused, pending" sh -c "grep -q 'connection refused' err &&
    test \$(sqlite3 s5.db \"SELECT count(*) FROM notifications WHERE status='pending'\") = $devs"
"$PY" "$HERE/notify/httpd.py" late late.port "$LP" 2>late.log &
PIDS+=($!)
wait_file late.port
run "$MAMORI" notify run --db s5.db --once --config l.conf --now $((T0 + 1))
check "receiver started late: delivered on the retry" sh -c "
    test \$(sqlite3 s5.db \"SELECT count(*) FROM notifications WHERE status='sent'\") = $devs &&
    test \$(ls late | grep -c '^req-') = $devs"

# --- quiet hours hold a high message; the cap folds the rest ---
base_conf >qc.conf <<CONF
quiet_hours = 22:00-07:00
max_per_hour = 1
[notify.hook]
type = webhook
url = http://127.0.0.1:$HP/hook/quiet
CONF
cp store.db s6.db
NIGHT=$(date -u -d '2033-05-18 23:00' +%s)
run "$MAMORI" notify run --db s6.db --once --config qc.conf --now $NIGHT
check "quiet hours: the high message waits until 07:00, the others fold under the cap" sh -c "
    test \$(sqlite3 s6.db \"SELECT count(*) FROM notifications WHERE status='pending' AND next_try = $((NIGHT + 8 * 3600))\") = 1 &&
    test \$(sqlite3 s6.db \"SELECT count(*) FROM notifications WHERE status='folded'\") = $((devs - 1))"

# --- the foreground loop (what cron-less setups run): delivers, stops on SIGTERM ---
base_conf >fg.conf <<CONF
poll_interval = 1
[notify.hook]
type = webhook
url = http://127.0.0.1:$HP/hook/fg
CONF
cp store.db s7.db
"$MAMORI" notify run --db s7.db --config fg.conf >fg.out 2>fg.err &
fg=$!
for _ in $(seq 1 50); do
    [ "$(q s7.db "SELECT count(*) FROM notifications WHERE status = 'sent'")" = "$devs" ] && break
    sleep 0.2
done
kill -TERM $fg
t0=$(date +%s)
wait $fg
rc=$?
took=$(($(date +%s) - t0))
cp fg.out out
cp fg.err err
check "notify run (loop): delivers, then exits 0 on SIGTERM within 2 s ($took s)" sh -c "test $rc = 0 &&
    test $took -le 2 &&
    test \$(sqlite3 s7.db \"SELECT count(*) FROM notifications WHERE status = 'sent'\") = $devs"

# --- sensor faults: an open capture outage, a long stop, a full disk; told once each ---
cp store.db s8.db
sqlite3 s8.db "INSERT INTO sensor_gaps (start_ts, end_ts, reason, detail) VALUES
    (1700000000000000, NULL, 'capture_error', 'eth1: interface went down'),
    (1700000000000000, 1700009000000000, 'not_running', ''),
    (1700000000000000, 1700000060000000, 'not_running', '');
  INSERT INTO state (key, value) VALUES ('disk.low', '412 MiB free, below 512 MiB')
  ON CONFLICT (key) DO UPDATE SET value = excluded.value;"
sqlite3 s8.db "UPDATE state SET value = (SELECT max(id) FROM alerts) WHERE key = 'notify.last_alert_id'"
printf '[notify]\nlang = ja\n' >faults.conf
run "$MAMORI" notify run --db s8.db --config faults.conf --once
run "$MAMORI" notify run --db s8.db --config faults.conf --once
check "sensor faults: outage, long stop and full disk told once each (a 1-minute stop is not)" sh -c "
    test \$(sqlite3 s8.db \"SELECT count(*) FROM notifications WHERE kind = 'sensor'\") = 3 &&
    sqlite3 s8.db \"SELECT subject FROM notifications WHERE kind = 'sensor'\" | grep -q '止まっています' &&
    sqlite3 s8.db \"SELECT subject FROM notifications WHERE kind = 'sensor'\" | grep -q 'ディスク'"

echo "1..$n"
[ "$failed" = 0 ] || exit 1
exit 0
