#!/usr/bin/env bash
# demo.sh MAMORI OUTDIR - the `make demo` job: generate the demo office
# capture with the project's own scenario generator, analyse it into a fresh
# store and EVE file with a technical listing of what was recorded
# (details.txt); then generate a whole month of the same kind of office (the
# `month` scenario: a sensor that was off for some days, scans, an old XP PC,
# new devices), analyse it into its own store and write the monthly report an
# owner reads (report.html, report.txt, and report.pdf when Chromium is
# installed). A monthly report of a 15-minute capture would mostly say "the
# sensor was off".
set -euo pipefail
mamori=$1
out=${2:-demo}
mkdir -p "$out"
rm -f "$out/mamori.db" "$out/mamori.db-wal" "$out/mamori.db-shm" "$out/eve.json" "$out/report.pdf" \
    "$out/month.db" "$out/month.db-wal" "$out/month.db-shm"

echo "== generating the demo office capture: $out/office.pcap"
"$mamori" gen-scenario office -o "$out/office.pcap"

echo "== mamori read $out/office.pcap"
"$mamori" read --db "$out/mamori.db" --eve "$out/eve.json" "$out/office.pcap" | tee "$out/summary.txt"

details=$out/details.txt
{
  echo "mamori demo: what was recorded (technical details)"
  echo "===================================================="
  echo
  cat "$out/summary.txt"
  echo
  echo "Devices on the network (mamori devices):"
  "$mamori" devices --db "$out/mamori.db"
  echo
  echo "Findings (mamori alerts):"
  "$mamori" alerts --db "$out/mamori.db"
  echo
  echo "Busiest devices (bytes sent and received):"
  sqlite3 -column -header "$out/mamori.db" "
    SELECT ip, SUM(b) AS bytes, SUM(n) AS flows FROM (
      SELECT src_ip AS ip, bytes_toserver + bytes_toclient AS b, 1 AS n FROM flows
      UNION ALL
      SELECT dst_ip, bytes_toserver + bytes_toclient, 1 FROM flows)
    GROUP BY ip ORDER BY bytes DESC LIMIT 10;"
  echo
  echo "Services used (responder port, flows):"
  sqlite3 -column -header "$out/mamori.db" "
    SELECT CASE proto WHEN 6 THEN 'tcp' WHEN 17 THEN 'udp' WHEN 1 THEN 'icmp'
                      WHEN 58 THEN 'icmpv6' ELSE proto END AS proto,
           dst_port AS port, COUNT(*) AS flows, SUM(bytes_toserver + bytes_toclient) AS bytes
    FROM flows GROUP BY 1, 2 ORDER BY flows DESC LIMIT 15;"
  echo
  echo "Connections that got no answer:"
  sqlite3 -column -header "$out/mamori.db" "
    SELECT src_ip, dst_ip, dst_port, COUNT(*) AS attempts FROM flows
    WHERE proto = 6 AND conn_state IN ('S0', 'REJ') GROUP BY 1, 2, 3
    ORDER BY attempts DESC LIMIT 10;"
  echo
  echo "Devices by name (DHCP hostname and fingerprint):"
  sqlite3 -column -header "$out/mamori.db" "
    SELECT d.client_mac, d.hostname, d.vendor_class,
           (SELECT a.assigned_ip FROM dhcp a WHERE a.client_mac = d.client_mac
              AND a.assigned_ip IS NOT NULL AND a.assigned_ip <> '0.0.0.0'
            ORDER BY a.ts DESC LIMIT 1) AS address
    FROM dhcp d WHERE d.hostname IS NOT NULL GROUP BY 1, 2 ORDER BY 2 LIMIT 15;"
  echo
  echo "Most looked-up names:"
  sqlite3 -column -header "$out/mamori.db" "
    SELECT rrname, COUNT(*) AS lookups, COUNT(DISTINCT src_ip) AS devices FROM dns
    WHERE type = 'query' GROUP BY 1 ORDER BY 2 DESC LIMIT 10;"
  echo
  echo "Passwords sent in the clear:"
  sqlite3 -column -header "$out/mamori.db" "
    SELECT 'smtp' AS proto, src_ip, dst_ip, user FROM smtp WHERE password_sent_in_clear = 1
    UNION ALL SELECT 'ftp', src_ip, dst_ip, user FROM ftp WHERE password_sent_in_clear = 1
    UNION ALL SELECT 'pop3', src_ip, dst_ip, user FROM pop3 WHERE password_sent_in_clear = 1
    UNION ALL SELECT 'imap', src_ip, dst_ip, user FROM imap WHERE password_sent_in_clear = 1
    UNION ALL SELECT 'telnet', src_ip, dst_ip, user FROM telnet
      WHERE password_sent_in_clear = 1;"
} > "$details"

echo
echo "== generating a month of the office: $out/month.pcap"
"$mamori" gen-scenario month -o "$out/month.pcap"
echo "== mamori read $out/month.pcap"
"$mamori" read --db "$out/month.db" "$out/month.pcap" > "$out/month-summary.txt"
head -n 6 "$out/month-summary.txt"

# The monthly report for the month the capture's packets fall in (local clock, as the report).
month=$(sqlite3 "$out/month.db" \
    "SELECT strftime('%Y-%m', MIN(first_ts) / 1000000, 'unixepoch', 'localtime') FROM runs;")
if [ -z "$month" ]; then
    echo "mamori: demo: the capture has no packets, so there is no month to report on" >&2
    exit 1
fi
echo
echo "== mamori report --month $month"
"$mamori" report --db "$out/month.db" --month "$month" -o "$out/report.html"
"$mamori" report --db "$out/month.db" --month "$month" --text > "$out/report.txt"
pdf=
if command -v chromium >/dev/null || command -v chromium-browser >/dev/null; then
    # A PDF is a bonus: the HTML page prints from any browser.
    if "$mamori" report --db "$out/month.db" --month "$month" --pdf "$out/report.pdf"; then
        pdf=$out/report.pdf
    fi
fi
echo
echo "== monthly report ($month): $out/report.html"
echo "   text version: $out/report.txt${pdf:+; PDF: $pdf}"
echo "   store of the month: $out/month.db"
echo "   the office capture's technical details: $details; store: $out/mamori.db; EVE: $out/eve.json"
