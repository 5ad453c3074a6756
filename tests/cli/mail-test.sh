#!/usr/bin/env bash
# mail-test.sh - `mamori mail` as a user runs it: the hand-written fixtures in tests/mail get
# the verdicts in tests/mail/EXPECTED, the JSON lines have the documented shape, exit status
# 0/1/2, standard input, text output in both languages, and bad input (unreadable files,
# not a mail, binary garbage, huge and deeply nested messages) gives one "mamori: " line or a
# verdict in bounded time, never a crash. With ../shared, every labelled real mail is read
# without a sanitizer report. Output is TAP.
#
# usage: mail-test.sh MAMORI [SHARED_DIR] [BUILD_DIR]
set -u
export TZ=UTC
MAMORI=${1:?usage: mail-test.sh MAMORI [SHARED] [BUILD]}
MAMORI=$(cd "$(dirname "$MAMORI")" && pwd)/$(basename "$MAMORI")
SHARED=${2:-}
[ -n "$SHARED" ] && [ -d "$SHARED" ] && SHARED=$(cd "$SHARED" && pwd)
HERE=$(cd "$(dirname "$0")" && pwd)
FIX=$HERE/../mail
PY=/usr/bin/python3
command -v "$PY" >/dev/null || { echo "1..0 # SKIP python3 not installed"; exit 77; }
T=$(mktemp -d /tmp/mamori-mail.XXXXXX)
trap 'rm -rf "$T"' EXIT
cd "$T" || exit 1
. "$HERE/tap.sh"
# Unlike tap.sh's: only the "mamori: " lines count, since GLib may add its own
# warnings about a broken charset to stderr.
expect_err() { # NAME STATUS NEEDLE CMD...
    local name=$1 want=$2 needle=$3; shift 3
    run "$@"
    local why=() lines first
    lines=$(grep -c 'mamori: ' err); first=$(grep -m1 'mamori: ' err)
    grep -Eq "$SAN_RE" err && why+=("sanitizer report")
    [ "$rc" -ne "$want" ] && why+=("exit $rc, want $want")
    [ "$lines" -ne 1 ] && why+=("$lines 'mamori:' lines on stderr")
    [ -n "$needle" ] && [[ $first != *"$needle"* ]] && why+=("stderr does not name '$needle'")
    if [ ${#why[@]} -eq 0 ]; then ok "$name"; else not_ok "$name" "${why[@]}"; fi
}

# --- golden verdicts -------------------------------------------------------------------
files=$(grep -v '^#' "$FIX/EXPECTED" | cut -f1 | sort -u)
run "$MAMORI" mail --json $(for f in $files; do echo "$FIX/$f"; done)
check "fixtures: exit 1 when a message is flagged" test "$rc" -eq 1
cp out all.json
while IFS=$'\t' read -r file index want; do
    case $file in '#'*|'') continue ;; esac
    got=$("$PY" - "$FIX/$file" "$index" <<'PYEOF'
import json, sys
for line in open("all.json", encoding="utf-8"):
    o = json.loads(line)
    if o["file"] == sys.argv[1] and o["index"] == int(sys.argv[2]):
        print(o["verdict"]); break
PYEOF
)
    if [ "$got" = "$want" ]; then ok "$file #$index: $want"; else not_ok "$file #$index: want $want, got '$got'"; fi
done <"$FIX/EXPECTED"

# --- JSON shape --------------------------------------------------------------------------
"$PY" - <<'PYEOF' >shape 2>&1
import json
need = {"file": str, "index": int, "verdict": str, "score": int, "reasons": list,
        "subject": (str, type(None)), "from": (str, type(None)), "inner": list}
for line in open("all.json", encoding="utf-8"):
    o = json.loads(line)
    for k, t in need.items():
        assert isinstance(o.get(k, KeyError), t), (k, o.get(k))
    assert o["verdict"] in ("phishing", "suspicious", "clean")
    for r in o["reasons"]:
        assert isinstance(r["id"], str) and isinstance(r["text"], str)
        assert isinstance(r["evidence"], str) and isinstance(r["score"], int)
        assert r["text"] != r["id"], "reason without text: " + r["id"]
print("shape ok")
PYEOF
check "JSON lines: file, index, verdict, score, reasons[id,text,evidence], subject, from" grep -q "shape ok" shape
run "$PY" -c "
import json
o=[json.loads(l) for l in open('all.json')]
r=[x for x in o if x['file'].endswith('reported-phish-ja.eml')][0]
assert r['inner'] and r['inner'][0]['verdict']=='phishing', r['inner']
print('inner ok')"
check "reported mail: the attached phishing mail is judged (inner)" grep -q "inner ok" out

# --- exit status, stdin, languages ----------------------------------------------------
run "$MAMORI" mail "$FIX/clean-business-ja.eml" "$FIX/clean-newsletter-en.eml"
check "clean mail: exit 0" test "$rc" -eq 0
run "$MAMORI" mail --lang en - <"$FIX/spoof-replyto-ja.eml"
check "standard input: verdict, exit 1" grep -q "PHISHING" out
check "English text: reasons and advice" grep -q "What to do:" out
run "$MAMORI" mail --lang ja "$FIX/spoof-replyto-ja.eml"
check "Japanese text: 怪しい点 and 対処" grep -q "対処:" out
check "Japanese text: reason in Japanese" grep -q "返信先" out
run "$MAMORI" help mail
check "mamori help mail prints the usage" grep -q "authserv-id" out
run "$MAMORI" mail --authserv-id mx.example.co.jp --own-domain example.co.jp --json "$FIX/clean-business-ja.eml"
check "--authserv-id trusted receiver named in evidence" grep -q "trusted receiver mx.example.co.jp" out
run "$MAMORI" mail --authserv-id other.example --json "$FIX/spoof-replyto-ja.eml"
check "--authserv-id: results of an untrusted receiver are ignored" bash -c '! grep -q dmarc_fail out'
printf 'From: "Sato" <sato@example.co.jp>\nTo: x@example.co.jp\nSubject: hello\nReceived: from evil.example ([203.0.113.5]) by mx.example.co.jp; Thu, 26 Nov 2026 10:00:00 +0900\nAuthentication-Results: mx.example.co.jp; spf=fail smtp.mailfrom=example.co.jp\n\nhi\n' >own.eml
run "$MAMORI" mail --own-domain example.co.jp --json own.eml
check "--own-domain: own domain sent from outside is flagged" grep -q own_domain_spoof out
printf '[mail]\nown_domains = example.co.jp\n' >m.conf
run "$MAMORI" mail --config m.conf --json own.eml
check "--config: mail.own_domains is read" grep -q own_domain_spoof out

# --- bad input ------------------------------------------------------------------------
expect_err "missing file: exit 2, one line naming it" 2 "no-such.eml" "$MAMORI" mail no-such.eml
head -c 4096 /dev/urandom | tr -d '\n:' >garbage.bin
expect_err "binary garbage: exit 2, not a mail" 2 "garbage.bin" "$MAMORI" mail garbage.bin
: >empty.eml
expect_err "empty file: exit 2" 2 "empty.eml" "$MAMORI" mail empty.eml
run "$MAMORI" mail --json garbage.bin "$FIX/clean-business-ja.eml"
check "bad file among good ones: exit 2, the good one still judged" bash -c "[ $rc -eq 2 ] && grep -q clean out"
expect_err "bad option: exit 2" 2 "" "$MAMORI" mail --no-such-option x
"$PY" - <<'PYEOF'
import random
random.seed(7)
with open("nested.eml", "w") as f:
    f.write("From: a@example.jp\nSubject: nested\n")
    for i in range(10000):
        f.write('Content-Type: multipart/mixed; boundary="b%d"\n\n--b%d\n' % (i, i))
    f.write("Content-Type: text/plain\n\nx\n")
with open("bighdr.eml", "w") as f:
    f.write("From: a@example.jp\nSubject: ")
    f.write("x" * 200 + "\n " * 1)
    for i in range(10 * 1024 * 1024 // 80):
        f.write("y" * 78 + "\n ")
    f.write("end\nX-Long: " + "z" * (2 * 1024 * 1024) + "\n\nbody\n")
with open("charsets.eml", "wb") as f:
    f.write(b"From: =?x-unknown?B?gqCCog==?= <a@example.jp>\nSubject: =?gb2312?B?pKKkpA==?= "
            b"=?utf-8?Q?broken=ZZ?=\nContent-Type: multipart/mixed; boundary=q\n\n--q\n"
            b"Content-Type: text/plain; charset=utf-7\n\n+ZeVnLA-\n--q\n"
            b"Content-Type: text/html; charset=windows-1251\n\n<a href=\"http://x.example\">\xcf\xf0</a>"
            b"\n--q\nContent-Type: application/ms-tnef; name=winmail.dat\n"
            b"Content-Transfer-Encoding: base64\n\neJ8+IgAA\n--q\n"
            b"Content-Type: text/plain; charset=\"iso-2022-jp\nContent-Transfer-Encoding: quoted-printable\n\n=1B$B=\n")
with open("randmime.eml", "wb") as f:
    f.write(b"From: a@example.jp\nSubject: r\nContent-Type: multipart/mixed; boundary=a\n\n")
    for i in range(3000):
        f.write(random.choice([b"--a\n", b"Content-Type: message/rfc822\n\n", b"\n", b"From: b@x\n",
                               b"Content-Type: multipart/alternative; boundary=a\n",
                               bytes(random.randrange(256) for _ in range(40)) + b"\n"]))
PYEOF
for f in nested.eml bighdr.eml charsets.eml randmime.eml; do
    start=$(date +%s)
    run timeout 120 "$MAMORI" mail --json "$f"
    took=$(( $(date +%s) - start ))
    check "hostile $f: a verdict in bounded time (${took}s), no crash" \
        bash -c "[ $rc -le 2 ] && [ $took -lt 100 ] && grep -q '\"verdict\"' out"
done
run "$MAMORI" mail --json charsets.eml
check "a TNEF container it cannot read is said (mail.tnef_unreadable)" grep -q '"mail.tnef_unreadable"' out

# --- the labelled real mail (../shared) ---------------------------------------------------
if [ -n "$SHARED" ] && [ -d "$SHARED/data/mail" ]; then
    find "$SHARED/data/mail" -name '*.eml' | sort >list
    : >real.json; : >real.err
    xargs -a list -n 60 "$MAMORI" mail --json >>real.json 2>>real.err
    cp real.err err
    total=$(grep -c '' list); got=$(grep -c '"verdict"' real.json)
    check "real mail: $got verdicts for $total files, no sanitizer report" test "$got" -ge "$total"
else
    ok "real mail: skipped (no ../shared/data/mail)"
fi

echo "1..$n"
[ "$failed" -eq 0 ] || exit 1
exit 0
