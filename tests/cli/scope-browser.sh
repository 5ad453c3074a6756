#!/usr/bin/env bash
# scope-browser.sh - the `mamori scope --html` page as a reader sees it, in headless Chromium:
# the incident-spread scenario is read into a store, the page is written in English and in
# Japanese, and tests/browser/chromium.py measures it with tests/browser/scope-check.js: the
# spread graph is an inline SVG with exactly the expected nodes and edges, new and known
# paths in different colours, no node boxes overlapping, no label or element outside its box,
# the page column or the graph, nothing fetched from the network, no script on the page and
# no script errors. Screenshots are kept in the build directory and their paths printed.
# Output is TAP; exit 1 on a failure, 77 without Chromium or python3.
#
# usage: scope-browser.sh MAMORI [SHARED-DIR] [BUILD-DIR]
set -u
export TZ=UTC

MAMORI=${1:?usage: scope-browser.sh MAMORI [SHARED] [BUILD-DIR]}
MAMORI=$(cd "$(dirname "$MAMORI")" && pwd)/$(basename "$MAMORI")
BUILD=${3:-/tmp}
HERE=$(cd "$(dirname "$0")" && pwd)
HARNESS=$HERE/../browser/chromium.py
CHECK=$HERE/../browser/scope-check.js
PY=python3

command -v "$PY" >/dev/null || { echo "1..0 # SKIP python3 not installed"; exit 77; }
if ! command -v chromium >/dev/null && ! command -v chromium-browser >/dev/null &&
   ! command -v google-chrome >/dev/null; then
    echo "1..0 # SKIP chromium not installed"
    exit 77
fi
OUT=$BUILD/scope-browser
mkdir -p "$OUT" || exit 1
OUT=$(cd "$OUT" && pwd)
T=$(mktemp -d /tmp/mamori-scope-browser.XXXXXX)
trap 'rm -rf "$T"' EXIT
cd "$T" || exit 1
. "$HERE/tap.sh"

run "$MAMORI" gen-scenario incident-spread -o inc.pcap
if [ "$rc" = 0 ] && clean; then ok "gen-scenario incident-spread"; else
    not_ok "gen-scenario incident-spread" "rc=$rc"; echo "1..$n"; exit 1; fi
run "$MAMORI" read --db inc.db inc.pcap
if [ "$rc" = 0 ] && clean; then ok "read it into a store"; else
    not_ok "read it into a store" "rc=$rc"; echo "1..$n"; exit 1; fi

for lang in en ja; do
    page=$OUT/scope-$lang.html
    run "$MAMORI" --lang "$lang" scope --db inc.db --hops 3 --html "$page" malupdate.example
    if [ "$rc" = 0 ] && [ -s "$page" ] && clean; then ok "$lang: scope --html"; else
        not_ok "$lang: scope --html" "rc=$rc"; continue; fi
    if grep -qi '<script' "$page" || grep -Eqi '(src|href)=["'"'"']?(https?:)?//' "$page"; then
        not_ok "$lang: no script and no outside reference in the file"
    else
        ok "$lang: no script and no outside reference in the file"
    fi
    for width in 1280 420; do
        "$PY" "$HARNESS" check "$page" --js "$CHECK" --width $width --height 900 >check.json 2>err
        rc=$?
        if [ "$rc" = 77 ]; then echo "1..0 # SKIP chromium could not start"; exit 77; fi
        if [ "$rc" != 0 ]; then not_ok "$lang/$width: chromium check" "rc=$rc"; continue; fi
        problems=$("$PY" - "$lang" check.json <<'PYEOF'
import json, sys
lang, path = sys.argv[1], sys.argv[2]
r = json.load(open(path, encoding="utf-8"))
bad = []
def need(cond, msg):
    if not cond:
        bad.append(msg)
PC01, PC02, FS, APP, DB = ("192.168.30.101", "192.168.30.102", "192.168.30.10",
                           "192.168.30.11", "192.168.30.12")
need(r.get("svg"), "no inline SVG graph")
need(r.get("svg_px", [0, 0])[0] > 200 and r.get("svg_px", [0, 0])[1] > 100,
     "graph too small: %s" % r.get("svg_px"))
need(set(r.get("nodes", [])) == {"malupdate.example", PC01, "192.168.30.104", FS, APP, DB, PC02},
     "nodes %s" % r.get("nodes"))
want = {PC01 + ">" + FS + ":known:1", PC01 + ">" + APP + ":new:1", APP + ">" + DB + ":new:2",
        DB + ">" + PC02 + ":new:3"}
need(set(r.get("edges", [])) == want, "edges %s" % sorted(set(r.get("edges", []))))
c = r.get("edge_colours", {})
need(c.get("new") and c.get("known") and c["new"] != c["known"], "colours %s" % c)
for k in ("node_overlap", "text_outside", "svg_outside", "overflow", "outside_main"):
    need(not r.get(k), "%s: %s" % (k, r.get(k)))
t = r.get("tables", {})
need(t.get("exposed") == 2 and t.get("spread") == 5 and t.get("outside", 0) >= 1 and
     t.get("verdicts", 0) >= 9, "tables %s" % t)
need(r.get("lang") == lang, "lang %s" % r.get("lang"))
need(not r.get("resources"), "fetched %s" % r.get("resources"))
need(not r.get("errors"), "script errors %s" % r.get("errors"))
print("\n".join(bad))
PYEOF
)
        if [ -z "$problems" ]; then ok "$lang/$width px: graph, layout, offline"; else
            not_ok "$lang/$width px: graph, layout, offline" "${problems//$'\n'/; }"; fi
    done
    shot=$OUT/scope-$lang.png
    if "$PY" "$HARNESS" screenshot "$page" "$shot" --width 1280 --height 1800 >/dev/null 2>err &&
        [ -s "$shot" ]; then
        ok "$lang: screenshot $shot"
        echo "# screenshot: $shot"
    else
        not_ok "$lang: screenshot"
    fi
done

echo "1..$n"
[ "$failed" -eq 0 ]
