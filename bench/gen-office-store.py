#!/usr/bin/env python3
"""gen-office-store.py - a month of a 50-device office, as a mamori store.

    bench/gen-office-store.py OUT.db [--devices 50] [--days 30] [--flows 10000000]
                              [--dns 5000000] [--seed 1] [--month 2026-10]
                              [--mamori PATH]

Writes a benchmark fixture for `mamori scope`, `mamori timeline` and
`mamori report`: the schema comes from mamori itself (it reads a tiny capture
made by `mamori gen-scenario tiny` into OUT.db, so the file has the current
schema, indexes and migrations), then the rows of that tiny run are removed
and a month of traffic is bulk-inserted with the real indexes in place, so
query times measured on the file are honest.

What is in it (all deterministic for a seed):
- devices: a router (also the DNS resolver), a file server, an application
  server, printers, PCs and phones (phones with private MACs), in devices,
  device_macs, device_ips, device_names, device_services, device_evidence.
  A few PCs get a new DHCP address after the sensor's day off, and one old
  address is later handed to a phone (device_ips shows both).
- traffic: office hours (09-19 JST, lunch dip), weekends quiet. Each burst
  is one DNS lookup (query + answer, the answer holds the resolved
  addresses) followed by 1..n connections to one service within a minute.
  A few hundred outside services with DNS names and SNIs, TLS rows with
  SNI/JA3/JA4 for the first TLS connection of a burst and 30% of the others, QUIC for part of the web traffic,
  HTTP for plain port 80, SMB to the file server, printing to the printers,
  DHCP renewals each morning.
- runs: several runs covering the month, with one whole day off (a row in
  sensor_gaps), flow ids unique within a run.
- one infection path: PC-17 looks up and connects to a C2 address
  (198.51.100.23, name update-check.cdn-sync.net) on the 20th, beacons every
  minute, then uses SMB (ADMIN$, PsExec) on the file server FS01 and the
  application server SRV02; SRV02 spreads to three more PCs. Alerts for
  these, and a few ordinary ones over the month.

It prints what it made: counts, seconds, file size, and the names to query
(C2 address, patient zero, its MAC).
"""

import argparse
import calendar
import datetime
import hashlib
import json
import os
import random
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import time

C2_IP = "198.51.100.23"
C2_NAME = "update-check.cdn-sync.net"
PATIENT_ZERO = "PC-17"
INFECTION_DAY = 20          # day of the month (if --days reaches it)
LAN = "192.168.10."
ROUTER_IP = LAN + "1"
FS_IP = LAN + "10"
SRV_IP = LAN + "11"
JST = 9 * 3600              # office clock is JST; the store is UTC

# Popular services: (name, port kind, weight). Kinds: tls, quic, http.
BASE_SERVICES = [
    ("outlook.office365.com", "tls", 40), ("login.microsoftonline.com", "tls", 25),
    ("teams.microsoft.com", "tls", 30), ("graph.microsoft.com", "tls", 15),
    ("www.google.com", "quic", 30), ("www.gstatic.com", "quic", 20),
    ("fonts.googleapis.com", "tls", 10), ("www.youtube.com", "quic", 8),
    ("mail.google.com", "tls", 10), ("drive.google.com", "tls", 8),
    ("www.yahoo.co.jp", "tls", 20), ("s.yimg.jp", "tls", 15), ("news.yahoo.co.jp", "tls", 10),
    ("www.amazon.co.jp", "tls", 8), ("m.media-amazon.com", "tls", 6),
    ("www.rakuten.co.jp", "tls", 5), ("www.nikkei.com", "tls", 6),
    ("slack.com", "tls", 10), ("wss-primary.slack.com", "tls", 6), ("zoom.us", "tls", 6),
    ("www.dropbox.com", "tls", 4), ("api.box.com", "tls", 4),
    ("update.googleapis.com", "tls", 3), ("settings-win.data.microsoft.com", "tls", 8),
    ("v10.events.data.microsoft.com", "tls", 10), ("ctldl.windowsupdate.com", "http", 4),
    ("download.windowsupdate.com", "http", 3), ("ocsp.digicert.com", "http", 6),
    ("ocsp.pki.goog", "http", 4), ("www.e-tax.nta.go.jp", "tls", 1),
    ("www.freee.co.jp", "tls", 4), ("secure.moneyforward.com", "tls", 3),
    ("www.chatwork.com", "tls", 5), ("line.me", "tls", 4), ("obs.line-scdn.net", "tls", 4),
    ("www.jal.co.jp", "tls", 1), ("www.ana.co.jp", "tls", 1), ("www.mizuhobank.co.jp", "tls", 2),
    ("www.smbc.co.jp", "tls", 2), ("www.mufg.jp", "tls", 2), ("www.kantei.go.jp", "tls", 1),
    ("www.jma.go.jp", "tls", 2), ("www.nhk.or.jp", "tls", 3), ("www.asahi.com", "tls", 2),
    ("www.canon.jp", "tls", 1), ("www.apple.com", "tls", 2), ("gateway.icloud.com", "tls", 4),
    ("www.instagram.com", "quic", 3), ("www.facebook.com", "quic", 2), ("x.com", "tls", 3),
    ("cdn.jsdelivr.net", "tls", 3), ("ajax.googleapis.com", "tls", 3),
    ("www.googletagmanager.com", "tls", 8), ("www.google-analytics.com", "tls", 8),
    ("securepubads.g.doubleclick.net", "tls", 6), ("clients4.google.com", "tls", 5),
    ("time.windows.com", "http", 1), ("ecs.office.com", "tls", 6),
    ("officeclient.microsoft.com", "tls", 4), ("nexus.officeapps.live.com", "tls", 3),
]
JA3 = [hashlib.md5(b"ja3-%d" % i).hexdigest() for i in range(8)]
JA4 = ["t13d1516h2_8daaf6152771_%012x" % (i * 7919 + 1) for i in range(8)]
JA3S = [hashlib.md5(b"ja3s-%d" % i).hexdigest() for i in range(6)]


def parse_args():
    p = argparse.ArgumentParser(description="Generate a month-long office store for mamori benchmarks.")
    p.add_argument("out")
    p.add_argument("--devices", type=int, default=50)
    p.add_argument("--days", type=int, default=30)
    p.add_argument("--flows", type=int, default=10_000_000)
    p.add_argument("--dns", type=int, default=5_000_000, help="DNS rows (queries + answers)")
    p.add_argument("--seed", type=int, default=1)
    p.add_argument("--month", default="2026-10", help="YYYY-MM, the month the traffic is in")
    p.add_argument("--mamori", default=None, help="mamori binary (default: build-lead, then PATH)")
    a = p.parse_args()
    if a.devices < 12 or a.days < 2 or a.flows < 1000 or a.dns < 2:
        p.error("need --devices >= 12, --days >= 2, --flows >= 1000, --dns >= 2")
    try:
        y, m = (int(x) for x in a.month.split("-"))
        datetime.date(y, m, 1)
    except ValueError:
        p.error("--month must be YYYY-MM")
    a.year, a.mon = y, m
    return a


def find_mamori(given):
    if given:
        return given
    here = os.path.dirname(os.path.abspath(__file__))
    for b in ("build-lead", "build", "build-asan"):
        c = os.path.join(here, "..", b, "src", "cli", "mamori")
        if os.access(c, os.X_OK):
            return c
    return shutil.which("mamori") or "mamori"


def make_schema(mamori, out):
    """Let mamori create the file: the real schema, indexes and a run row."""
    for suffix in ("", "-wal", "-shm"):
        if os.path.exists(out + suffix):
            os.unlink(out + suffix)
    with tempfile.TemporaryDirectory() as tmp:
        pcap = os.path.join(tmp, "tiny.pcap")
        subprocess.run([mamori, "gen-scenario", "tiny", "-o", pcap], check=True,
                       stdout=subprocess.DEVNULL)
        subprocess.run([mamori, "read", pcap, "--db", out], check=True,
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def data_tables(db):
    """Every table with rows of the tiny run (keep state/schema as mamori left it)."""
    names = [r[0] for r in db.execute("SELECT name FROM sqlite_master WHERE type='table'")]
    return [n for n in names if n not in ("state", "sqlite_sequence")]


class Dev:
    __slots__ = ("idx", "mac", "kind", "name", "ips", "weight", "ja", "vendor", "os",
                 "os_family", "dtype", "randomized", "dhcp_vendor", "dhcp_fp", "first_day")


def make_devices(rnd, n, days):
    """Router, FS01, SRV02, printers, PCs, phones. ips: list of (first_day, ip)."""
    devs = []
    nprn = max(2, n // 16)
    nphone = max(3, n // 6)
    npc = n - 3 - nprn - nphone
    kinds = ["router", "fs", "srv"] + ["printer"] * nprn + ["pc"] * npc + ["phone"] * nphone
    next_host = 100
    pcno = prnno = phno = 0
    for i, k in enumerate(kinds):
        d = Dev()
        d.idx = i
        d.kind = k
        d.randomized = 0
        d.first_day = 0
        d.ja = rnd.randrange(len(JA3))
        if k == "router":
            d.mac, d.name, d.vendor, d.os, d.os_family, d.dtype = (
                "00:a0:de:10:00:01", "RTX1220", "YAMAHA CORPORATION", None, None, "router")
            d.ips, d.weight = [(0, ROUTER_IP)], 0.0
        elif k == "fs":
            d.mac, d.name, d.vendor, d.os, d.os_family, d.dtype = (
                "00:11:32:10:00:10", "FS01", "Synology Incorporated", "Linux", "linux", "nas")
            d.ips, d.weight = [(0, FS_IP)], 0.3
        elif k == "srv":
            d.mac, d.name, d.vendor, d.os, d.os_family, d.dtype = (
                "d0:94:66:10:00:11", "SRV02", "Dell Inc.", "Windows Server 2019", "windows",
                "server")
            d.ips, d.weight = [(0, SRV_IP)], 0.6
        elif k == "printer":
            prnno += 1
            d.mac = "00:00:85:%02x:%02x:%02x" % (0x20, prnno, rnd.randrange(256))
            d.name, d.vendor, d.os, d.os_family, d.dtype = (
                "PRN-%02d" % prnno, "Canon Inc.", None, None, "printer")
            d.ips, d.weight = [(0, LAN + str(20 + prnno))], 0.05
        elif k == "pc":
            pcno += 1
            vend = rnd.choice([("f8:bc:12", "Dell Inc."), ("3c:52:82", "Hewlett Packard"),
                               ("54:e1:ad", "LCFC(HeFei) Electronics")])
            d.mac = "%s:%02x:%02x:%02x" % (vend[0], 0x30, pcno, rnd.randrange(256))
            d.name, d.vendor, d.os, d.os_family, d.dtype = (
                "PC-%02d" % pcno, vend[1], rnd.choice(["Windows 10", "Windows 11"]),
                "windows", "pc")
            d.ips, d.weight = [(0, LAN + str(next_host))], rnd.uniform(0.6, 1.6)
            next_host += 1
        else:
            phno += 1
            d.mac = "%02x:%02x:%02x:%02x:%02x:%02x" % (
                0x02 | (rnd.randrange(64) << 2), rnd.randrange(256), rnd.randrange(256),
                rnd.randrange(256), rnd.randrange(256), rnd.randrange(256))
            d.randomized = 1
            d.name, d.vendor = ("iPhone-%02d" % phno if phno % 2 else "Galaxy-%02d" % phno), None
            d.os, d.os_family, d.dtype = (("iOS", "ios", "phone") if phno % 2 else
                                          ("Android", "android", "phone"))
            d.ips, d.weight = [(0, LAN + str(next_host))], rnd.uniform(0.1, 0.3)
            next_host += 1
        d.dhcp_vendor = "MSFT 5.0" if k == "pc" else ("android-dhcp-14" if d.os == "Android"
                                                        else None)
        d.dhcp_fp = "1,3,6,15,31,33,43,44,46,47,119,121,249,252" if k == "pc" else (
            "1,121,3,6,15,108,114,119,252" if k == "phone" else None)
        devs.append(d)
    return devs


def make_services(rnd, want):
    """A few hundred outside services: name, kind, ips, weight."""
    svcs = []
    used = set()

    def pub_ip():
        while True:
            a = rnd.choice([13, 20, 23, 34, 35, 40, 52, 104, 142, 151, 157, 172, 182, 183, 202,
                            203, 210, 211, 216])
            ip = "%d.%d.%d.%d" % (a, rnd.randrange(256), rnd.randrange(256), rnd.randrange(1, 255))
            if ip not in used and not ip.startswith("172.1") and not ip.startswith("172.2") \
                    and not ip.startswith("172.3") and ip != C2_IP:
                used.add(ip)
                return ip

    for name, kind, w in BASE_SERVICES:
        svcs.append([name, kind, [pub_ip() for _ in range(rnd.randint(1, 4))], float(w)])
    words = ["cdn", "api", "static", "img", "assets", "edge", "media", "track", "app", "portal",
             "files", "login", "sync", "ads", "metrics"]
    tlds = [".co.jp", ".jp", ".com", ".net", ".ne.jp", ".or.jp", ".io"]
    bases = ["shop", "news", "cloud", "biz", "works", "denki", "kensetsu", "kaikei", "tsushin",
             "travel", "hoken", "recruit", "soft", "data", "print", "sekkei", "unyu"]
    while len(svcs) < want:
        name = "%s.%s%d%s" % (rnd.choice(words), rnd.choice(bases), rnd.randrange(1000),
                              rnd.choice(tlds))
        kind = rnd.choices(["tls", "http", "quic"], [85, 10, 5])[0]
        svcs.append([name, kind, [pub_ip() for _ in range(rnd.randint(1, 2))],
                     rnd.paretovariate(1.3) * 0.3])
    return svcs


def diurnal_weights(weekend):
    """Relative activity per JST hour."""
    if weekend:
        return [0.05] * 24
    w = [0.03] * 24
    for h, v in {7: 0.1, 8: 0.5, 9: 1.0, 10: 1.0, 11: 1.0, 12: 0.45, 13: 0.95, 14: 1.0,
                 15: 1.0, 16: 0.95, 17: 0.8, 18: 0.45, 19: 0.2, 20: 0.08}.items():
        w[h] = v
    return w


class Gen:
    def __init__(self, a):
        self.a = a
        self.rnd = random.Random(a.seed)
        rnd = self.rnd
        self.devs = make_devices(rnd, a.devices, a.days)
        self.svcs = make_services(rnd, 320)
        self.svc_cum = []
        s = 0.0
        for sv in self.svcs:
            s += sv[3]
            self.svc_cum.append(s)
        self.month0 = calendar.timegm((a.year, a.mon, 1, 0, 0, 0)) - JST  # JST midnight
        ndays_month = calendar.monthrange(a.year, a.mon)[1]
        self.days = a.days
        self.gap_day = min(13, a.days - 2)   # the sensor is off for one whole day
        self.infect_day = min(INFECTION_DAY - 1, a.days - 1)
        if self.infect_day == self.gap_day:
            self.infect_day = a.days - 1
        del ndays_month
        self.by_name = {d.name: d for d in self.devs}
        self.pcs = [d for d in self.devs if d.kind == "pc"]
        self.printers = [d for d in self.devs if d.kind == "printer"]
        self.plan_ip_changes()
        self.counts = {}
        self.run_id = 0
        self.flow_id = 0
        self.runs = []
        self.alerts = []
        self.names_seen = {}

    # -- addresses over time ------------------------------------------------
    def plan_ip_changes(self):
        """Four PCs get a new address after the day off; a phone later gets
        the first one's old address (device_ips keeps both)."""
        rnd = self.rnd
        movers = rnd.sample(self.pcs[:-1], 4)
        free = 200
        for d in movers:
            d.ips.append((self.gap_day + 1, LAN + str(free)))
            free += 1
        phones = [d for d in self.devs if d.kind == "phone"]
        if phones and self.gap_day + 3 < self.days:
            ph = phones[0]
            ph.ips.append((self.gap_day + 3, movers[0].ips[0][1]))
        # one device joins midway (device.new)
        late = self.pcs[-1]
        late.first_day = min(self.days - 1, 8)
        self.movers = movers

    @staticmethod
    def ip_on(d, day):
        ip = d.ips[0][1]
        for fd, i in d.ips:
            if day >= fd:
                ip = i
        return ip

    def day_ts(self, day):
        return (self.month0 + day * 86400) * 1_000_000

    # -- one day --------------------------------------------------------------
    def plan_counts(self):
        """Bursts and flows per day: weekdays full, weekends ~12%, gap day 0."""
        a = self.a
        w = []
        for day in range(self.days):
            if day == self.gap_day:
                w.append(0.0)
                continue
            wd = calendar.weekday(a.year, a.mon, 1)
            weekend = (wd + day) % 7 >= 5
            w.append(0.12 if weekend else 1.0)
        tot = sum(w)
        lookups = a.dns // 2
        others = max(a.flows - lookups, lookups)
        bursts = [int(lookups * x / tot) for x in w]
        flows = [int(others * x / tot) for x in w]
        # put rounding leftovers on the first working day
        first = next(i for i, x in enumerate(w) if x > 0)
        bursts[first] += lookups - sum(bursts)
        flows[first] += others - sum(flows)
        return bursts, flows

    def gen_day(self, day, nbursts, nflows):
        """Returns the day's flows, sorted by time, each (first_ts, row-without-ids, events)."""
        rnd = self.rnd
        r = rnd.random
        base = self.day_ts(day)
        a = self.a
        wd = (calendar.weekday(a.year, a.mon, 1) + day) % 7
        hours = diurnal_weights(wd >= 5)
        hcum = []
        s = 0.0
        for x in hours:
            s += x
            hcum.append(s)
        active = [d for d in self.devs if d.weight > 0 and day >= d.first_day]
        dcum = []
        s = 0.0
        for d in active:
            s += d.weight
            dcum.append(s)
        dev_ip = {d.idx: self.ip_on(d, day) for d in self.devs}
        # extra connections per burst: spread nflows - nbursts over the bursts
        ks = [1] * nbursts
        extra = nflows - nbursts
        if nbursts:
            for _ in range(max(0, extra)):
                ks[int(r() * nbursts)] += 1
        out = []
        bisect = __import__("bisect").bisect
        choices = rnd.choices
        devpick = choices(active, cum_weights=dcum, k=nbursts)
        hourpick = choices(range(24), cum_weights=hcum, k=nbursts)
        svcpick = choices(self.svcs, cum_weights=self.svc_cum, k=nbursts)
        fs = self.by_name["FS01"]
        srv = self.by_name["SRV02"]
        for b in range(nbursts):
            d = devpick[b]
            t = base + hourpick[b] * 3_600_000_000 + int(r() * 3_600_000_000)
            sip = dev_ip[d.idx]
            x = r()
            if d.kind == "pc" and x < 0.10:
                self.burst_smb(out, d, sip, fs, dev_ip[fs.idx], t, ks[b])
            elif d.kind == "pc" and x < 0.12 and self.printers:
                p = self.printers[int(r() * len(self.printers))]
                self.burst_print(out, d, sip, p, dev_ip[p.idx], t, ks[b])
            elif d.kind == "pc" and x < 0.14:
                self.burst_smb(out, d, sip, srv, dev_ip[srv.idx], t, ks[b])
            else:
                self.burst_web(out, d, sip, svcpick[b], t, ks[b])
        if day >= 0:
            self.dhcp_morning(out, day, dev_ip)
        if day == self.infect_day:
            self.infection(out, day, dev_ip)
        del bisect
        out.sort(key=lambda e: e[0])
        return out

    # Flow row without run_id/flow_id:
    # (first_ts, last_ts, ip_version, proto, src_ip, src_port, dst_ip, dst_port, src_mac,
    #  dst_mac, pkts_ts, pkts_tc, bytes_ts, bytes_tc, flags_ts, flags_tc, tcp_state,
    #  conn_state, end_reason, app_proto, tunnel_depth)
    def tcp_flow(self, t, dur, sip, sport, dip, dport, smac, dmac, bts, btc, app):
        pts = 4 + bts // 1200
        ptc = 3 + btc // 1400
        return (t, t + dur, 4, 6, sip, sport, dip, dport, smac, dmac, pts, ptc, bts, btc,
                27, 27, "closed", "SF", "fin", app, 0)

    def dns_lookup(self, out, d, sip, t, name, ips, rcode="NOERROR"):
        r = self.rnd.random
        sport = 49152 + int(r() * 16000)
        qid = int(r() * 65535)
        rtt = 2000 + int(r() * 30000)
        router = self.devs[0]
        ans = ",".join(ips) if rcode == "NOERROR" else None
        qbody = ('{"version":2,"type":"query","id":%d,"rrname":"%s","rrtype":"A","tx_id":0,'
                 '"opcode":0}' % (qid, name))
        if ans:
            recs = ",".join('{"rrname":"%s","rrtype":"A","ttl":300,"rdata":"%s"}' % (name, ip)
                            for ip in ips)
            abody = ('{"version":2,"type":"answer","id":%d,"flags":"8180","qr":true,"rd":true,'
                     '"ra":true,"opcode":0,"rrname":"%s","rrtype":"A","rcode":"%s",'
                     '"answers":[%s],"grouped":{"A":[%s]}}'
                     % (qid, name, rcode, recs, ",".join('"%s"' % ip for ip in ips)))
        else:
            abody = ('{"version":2,"type":"answer","id":%d,"flags":"8183","qr":true,"rd":true,'
                     '"ra":true,"opcode":0,"rrname":"%s","rrtype":"A","rcode":"%s"}'
                     % (qid, name, rcode))
        qx = '{"proto":"dns","rcode":0,"answer_count":0,"truncated":false}'
        ax = '{"proto":"dns","rcode":%d,"answer_count":%d,"truncated":false}' % (
            0 if ans else 3, len(ips) if ans else 0)
        ev = [("dns", (t, sip, sport, ROUTER_IP, 53, 17, "query", qid, name, "A", None, None,
                       qbody, qx)),
              ("dns", (t + rtt, ROUTER_IP, 53, sip, sport, 17, "answer", qid, name, "A", rcode,
                       ans, abody, ax))]
        row = (t, t + rtt, 4, 17, sip, sport, ROUTER_IP, 53, d.mac, router.mac, 1, 1,
               70 + len(name), 90 + len(name) + 16 * len(ips), None, None, None, "SF",
               "timeout", "dns", 0)
        out.append((t, row, ev))
        return t + rtt

    def burst_web(self, out, d, sip, sv, t, k):
        r = self.rnd.random
        name, kind, ips = sv[0], sv[1], sv[2]
        t = self.dns_lookup(out, d, sip, t, name, ips) + 1000
        gw = self.devs[0].mac
        tls_body = None
        for i in range(k):
            ts = t + int(r() * 55_000_000) if i else t
            dip = ips[int(r() * len(ips))]
            sport = 49152 + int(r() * 16000)
            btc = int(2000 + r() * r() * 400_000)
            bts = int(700 + r() * 4000)
            dur = int(r() * 40_000_000) + 50_000
            if kind == "quic" and i == 0:
                row = (ts, ts + dur, 4, 17, sip, sport, dip, 443, d.mac, gw, 6 + bts // 1200,
                       4 + btc // 1300, bts, btc, None, None, None, "SF", "timeout", "quic", 0)
                ev = [("quic", (ts, sip, sport, dip, 443, 17, "1", name, JA3[d.ja], JA4[d.ja],
                                None, '{"version":"1","sni":"%s","ja3":{"hash":"%s"},"ja4":"%s"}'
                                % (name, JA3[d.ja], JA4[d.ja]), None))]
                out.append((ts, row, ev))
            elif kind == "http":
                row = self.tcp_flow(ts, dur, sip, sport, dip, 80, d.mac, gw, bts, btc, "http")
                ev = [("http", (ts + 3000, sip, sport, dip, 80, 6, name, "/msdownload/update/v3/"
                                "static/trustedr/en/disallowedcertstl.cab", "GET", "HTTP/1.1",
                                200, "Microsoft-CryptoAPI/10.0", "application/vnd.ms-cab-"
                                "compressed", None, btc - 400,
                                '{"hostname":"%s","url":"/","http_method":"GET","protocol":'
                                '"HTTP/1.1","status":200,"length":%d}' % (name, btc - 400),
                                None))]
                out.append((ts, row, ev))
            else:
                row = self.tcp_flow(ts, dur, sip, sport, dip, 443, d.mac, gw, bts, btc, "tls")
                if i and r() >= 0.3:
                    # part of the TLS flows only: keeps the fixture's size and
                    # generation time down; the queries see the same shape
                    out.append((ts, row, None))
                    continue
                if tls_body is None:
                    tls_body = self.tls_body(name, d.ja)
                ev = [("tls", (ts + 2000, sip, sport, dip, 443, 6, name, "TLS 1.3", JA3[d.ja],
                               JA3S[d.ja % len(JA3S)], JA4[d.ja], "CN=" + name,
                               "C=US, O=DigiCert Inc, CN=DigiCert Global G2 TLS RSA SHA256 2020 CA1",
                               None, None, None, None, 0, 1 if i else 0, "h2,http/1.1",
                               tls_body, None))]
                out.append((ts, row, ev))

    @staticmethod
    def tls_body(name, ja):
        return ('{"sni":"%s","version":"TLS 1.3","ja3":{"hash":"%s"},"ja3s":{"hash":"%s"},'
                '"ja4":"%s","subject":"CN=%s","issuerdn":"C=US, O=DigiCert Inc"}'
                % (name, JA3[ja], JA3S[ja % len(JA3S)], JA4[ja], name))

    def burst_smb(self, out, d, sip, srvdev, dip, t, k, share="share", user=None,
                  files=None, pipe=None):
        r = self.rnd.random
        t = self.dns_lookup(out, d, sip, t, srvdev.name.lower() + ".office.local", [dip]) + 1000
        user = user or "user%02d" % d.idx
        for i in range(k):
            ts = t + int(r() * 55_000_000) if i else t
            sport = 49152 + int(r() * 16000)
            bts = int(2000 + r() * r() * 3_000_000)
            btc = int(2000 + r() * r() * 8_000_000)
            row = self.tcp_flow(ts, int(r() * 50_000_000) + 20_000, sip, sport, dip, 445,
                                d.mac, srvdev.mac, bts, btc, "smb")
            ev = []
            if i == 0 or files:
                ev.append(("smb", (ts + 1500, sip, sport, dip, 445, 6, "SMB2_COMMAND_SESSION_SETUP",
                                   "3.1.1", "STATUS_SUCCESS", user, "OFFICE", d.name, None, None,
                                   '{"command":"SMB2_COMMAND_SESSION_SETUP","dialect":"3.1.1",'
                                   '"status":"STATUS_SUCCESS","ntlmssp":{"domain":"OFFICE",'
                                   '"user":"%s","host":"%s"}}' % (user, d.name), None)))
                ev.append(("smb", (ts + 3000, sip, sport, dip, 445, 6, "SMB2_COMMAND_TREE_CONNECT",
                                   "3.1.1", "STATUS_SUCCESS", None, None, None,
                                   "\\\\%s\\%s" % (srvdev.name, share), None,
                                   '{"command":"SMB2_COMMAND_TREE_CONNECT","share":"\\\\\\\\%s'
                                   '\\\\%s"}' % (srvdev.name, share), None)))
            for f in (files or []) if i == 0 else []:
                ev.append(("smb", (ts + 5000, sip, sport, dip, 445, 6, "SMB2_COMMAND_CREATE",
                                   "3.1.1", "STATUS_SUCCESS", None, None, None,
                                   "\\\\%s\\%s" % (srvdev.name, share), f,
                                   '{"command":"SMB2_COMMAND_CREATE","filename":"%s"}'
                                   % f.replace("\\", "\\\\"), None)))
            out.append((ts, row, ev))

    def burst_print(self, out, d, sip, p, dip, t, k):
        r = self.rnd.random
        t = self.dns_lookup(out, d, sip, t, p.name.lower() + ".office.local", [dip]) + 1000
        for i in range(k):
            ts = t + int(r() * 55_000_000) if i else t
            port = 9100 if i == 0 else 631
            out.append((ts, self.tcp_flow(ts, int(r() * 5_000_000) + 10_000, sip,
                                          49152 + int(r() * 16000), dip, port, d.mac, p.mac,
                                          int(20000 + r() * 2_000_000), 600,
                                          None if port == 9100 else "http"), None))

    def dhcp_morning(self, out, day, dev_ip):
        r = self.rnd.random
        base = self.day_ts(day) + 8 * 3_600_000_000
        router = self.devs[0]
        for d in self.devs:
            if d.kind not in ("pc", "phone") or day < d.first_day:
                continue
            t = base + int(r() * 3_000_000_000)
            ip = dev_ip[d.idx]
            xid = int(r() * 0xffffffff)
            req = ('{"type":"request","id":%d,"client_mac":"%s","assigned_ip":"0.0.0.0",'
                   '"dhcp_type":"request","requested_ip":"%s","hostname":"%s"}'
                   % (xid, d.mac, ip, d.name))
            ack = ('{"type":"reply","id":%d,"client_mac":"%s","assigned_ip":"%s",'
                   '"dhcp_type":"ack","lease_time":86400}' % (xid, d.mac, ip))
            ev = [("dhcp", (t, "0.0.0.0", 68, "255.255.255.255", 67, 17, "request", xid,
                            "request", d.mac, None, ip, None, d.name, d.dhcp_vendor, d.dhcp_fp,
                            None, None, req, None)),
                  ("dhcp", (t + 1500, ROUTER_IP, 67, ip, 68, 17, "reply", xid, "ack", d.mac,
                            None, None, ip, None, None, None, 86400, None, ack, None))]
            row = (t, t + 1500, 4, 17, "0.0.0.0", 68, "255.255.255.255", 67, d.mac,
                   "ff:ff:ff:ff:ff:ff", 1, 1, 342, 342, None, None, None, "SF", "timeout",
                   "dhcp", 0)
            out.append((t, row, ev))
            row2 = (t + 1500, t + 1500, 4, 17, ROUTER_IP, 67, ip, 68, router.mac, d.mac, 1, 0,
                    342, 0, None, None, None, "S0", "timeout", "dhcp", 0)
            out.append((t + 1500, row2, None))

    # -- the infection path ---------------------------------------------------
    def infection(self, out, day, dev_ip):
        pz = self.by_name[PATIENT_ZERO] if PATIENT_ZERO in self.by_name else self.pcs[0]
        fs = self.by_name["FS01"]
        srv = self.by_name["SRV02"]
        sip = dev_ip[pz.idx]
        base = self.day_ts(day) + 10 * 3_600_000_000 + 12 * 60_000_000   # 10:12 JST
        gw = self.devs[0].mac
        t = self.dns_lookup(out, pz, sip, base, C2_NAME, [C2_IP])
        first_c2 = t + 1000
        # beacon: one TLS connection a minute for three hours
        beacon_ids = []
        for i in range(180):
            ts = first_c2 + i * 60_000_000 + int(self.rnd.random() * 8_000_000)
            sport = 50000 + i
            row = self.tcp_flow(ts, 900_000, sip, sport, C2_IP, 443, pz.mac, gw, 1800, 5200,
                                "tls")
            ev = [("tls", (ts + 2000, sip, sport, C2_IP, 443, 6, C2_NAME, "TLS 1.2",
                           "e7d705a3286e19ea42f587b344ee6865", None, None, "CN=" + C2_NAME,
                           "CN=" + C2_NAME, None, None, None, None, 1, 0, None,
                           '{"sni":"%s","version":"TLS 1.2","ja3":{"hash":'
                           '"e7d705a3286e19ea42f587b344ee6865"}}' % C2_NAME, '{"self_signed":true}'))]
            out.append((ts, row, ev))
            beacon_ids.append(ts)
        # one upload of 40 MB to the C2 at 10:40
        ts = base + 28 * 60_000_000
        out.append((ts, self.tcp_flow(ts, 300_000_000, sip, 51999, C2_IP, 443, pz.mac, gw,
                                      40_000_000, 90_000, "tls"), None))
        # 11:30 PsExec on FS01 and SRV02
        t2 = base + 78 * 60_000_000
        self.burst_smb(out, pz, sip, fs, dev_ip[fs.idx], t2, 3, share="ADMIN$", user="admin",
                       files=["PSEXESVC.exe"])
        self.burst_smb(out, pz, sip, srv, dev_ip[srv.idx], t2 + 90_000_000, 3, share="ADMIN$",
                       user="admin", files=["PSEXESVC.exe"])
        # 12:05 SRV02 spreads to three PCs (C$)
        t3 = base + 113 * 60_000_000
        targets = [p for p in self.pcs if p is not pz and day >= p.first_day][:3]
        for j, p in enumerate(targets):
            self.burst_smb(out, srv, dev_ip[srv.idx], p, dev_ip[p.idx], t3 + j * 40_000_000, 2,
                           share="C$", user="admin", files=["Windows\\Temp\\svc.exe"])
        us = lambda x: x  # noqa: E731  (times are already µs)
        self.infection_alerts = dict(
            pz=pz, pz_ip=sip, fs=fs, srv=srv, targets=targets,
            t_c2=us(first_c2), t_beacon_end=us(beacon_ids[-1]), t_psexec=us(t2),
            t_spread=us(t3), tips=[dev_ip[p.idx] for p in targets])

    # -- writing ----------------------------------------------------------------
    def new_run(self, db, first_ts):
        self.run_id += 1
        self.flow_id = 0
        db.execute("INSERT INTO runs (id, command, source, version, started_at, status, "
                   "first_ts, packets, bytes, flows, decode_errors, kernel_drops, iface_drops) "
                   "VALUES (?, 'watch', 'eth1', '0.1.0', ?, 'running', ?, 0, 0, 0, 0, 0, 0)",
                   (self.run_id, iso(first_ts), first_ts))
        self.run_stats = [first_ts, first_ts, 0, 0, 0]

    def end_run(self, db):
        f, l_, pk, by, nf = self.run_stats
        db.execute("UPDATE runs SET ended_at = ?, status = 'complete', last_ts = ?, packets = ?, "
                   "bytes = ?, flows = ? WHERE id = ?",
                   (iso(l_), l_, pk, by, nf, self.run_id))
        for name, v in (("flow.created", nf), ("flow.evicted", 0), ("flow.active_now", 0),
                        ("flow.max_active", 3000), ("flow.no_flow", 0),
                        ("flow.ended.fin", nf)):
            db.execute("INSERT OR REPLACE INTO run_counters VALUES (?, ?, ?)", (self.run_id, name, v))

    def write_day(self, db, rows):
        flows = []
        ev = {}
        rid = self.run_id
        fid = self.flow_id
        st = self.run_stats
        pk = by = 0
        for t, row, events in rows:
            fid += 1
            flows.append((rid, fid) + row)
            pk += row[10] + row[11]
            by += row[12] + row[13]
            if events:
                for table, e in events:
                    lst = ev.get(table)
                    if lst is None:
                        lst = ev[table] = []
                    lst.append((rid, fid) + e)
        self.flow_id = fid
        if rows:
            st[1] = max(st[1], rows[-1][1][1])
        st[2] += pk
        st[3] += by
        st[4] += len(rows)
        db.executemany("INSERT INTO flows (run_id, flow_id, first_ts, last_ts, ip_version, "
                       "proto, src_ip, src_port, dst_ip, dst_port, src_mac, dst_mac, "
                       "pkts_toserver, pkts_toclient, bytes_toserver, bytes_toclient, "
                       "tcp_flags_ts, tcp_flags_tc, tcp_state, conn_state, end_reason, "
                       "app_proto, tunnel_depth) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,"
                       "?,?,?,?,?)", flows)
        self.counts["flows"] = self.counts.get("flows", 0) + len(flows)
        for table, lst in ev.items():
            cols = EVENT_COLS[table]
            db.executemany("INSERT INTO %s (run_id, flow_id, ts, src_ip, src_port, dst_ip, "
                           "dst_port, proto, %s, body, extra) VALUES (%s)"
                           % (table, ", ".join(cols), ",".join("?" * (len(cols) + 10))), lst)
            self.counts[table] = self.counts.get(table, 0) + len(lst)
        return flows

    def run(self, db):
        bursts, flows = self.plan_counts()
        # runs: restart on day 7, stop before the gap day, start again after it, restart on 24
        restarts = {0, 7, self.gap_day + 1, 24}
        for day in range(self.days):
            if day == self.gap_day:
                self.end_run(db)
                db.execute("INSERT INTO sensor_gaps (start_ts, end_ts, reason, detail) "
                           "VALUES (?, ?, 'stopped', 'sensor switched off')",
                           (self.day_ts(day), self.day_ts(day + 1)))
                db.commit()
                continue
            if day in restarts or self.run_id == 0:
                if self.run_id and day - 1 != self.gap_day:
                    self.end_run(db)
                self.new_run(db, self.day_ts(day))
            rows = self.gen_day(day, bursts[day], flows[day])
            flows_written = self.write_day(db, rows)
            if day == self.infect_day:
                self.c2_flows = [f for f in flows_written if f[8] == C2_IP]
                self.inf_run = self.run_id
                self.inf_flows = flows_written
            db.commit()
            sys.stderr.write("\rday %2d/%d  flows %d" % (day + 1, self.days,
                                                      self.counts.get("flows", 0)))
        sys.stderr.write("\n")
        self.end_run(db)
        db.commit()


EVENT_COLS = {
    "dns": ["type", "dns_id", "rrname", "rrtype", "rcode", "answers"],
    "tls": ["sni", "version", "ja3", "ja3s", "ja4", "subject", "issuerdn", "serial",
            "fingerprint", "notbefore", "notafter", "self_signed", "session_resumed", "alpn"],
    "quic": ["version", "sni", "ja3", "ja4", "ua"],
    "http": ["hostname", "url", "http_method", "protocol", "status", "http_user_agent",
             "http_content_type", "http_refer", "length"],
    "smb": ["command", "dialect", "status", "ntlm_user", "ntlm_domain", "ntlm_host", "share",
            "filename"],
    "dhcp": ["type", "dhcp_id", "dhcp_type", "client_mac", "client_ip", "requested_ip",
             "assigned_ip", "hostname", "vendor_class", "param_request_list", "lease_time",
             "client_id"],
}


def iso(us):
    return datetime.datetime.fromtimestamp(us / 1e6, datetime.timezone.utc).strftime(
        "%Y-%m-%dT%H:%M:%SZ")


def write_inventory(db, g):
    """devices, device_macs, device_ips, device_names, device_services, device_evidence."""
    last_day = g.days - 1
    for d in g.devs:
        # whole days: a device's address covers every flow it made that day
        # (the last day plus an hour: a burst may run past midnight)
        first = g.day_ts(d.first_day)
        last = g.day_ts(last_day + 1) + 3_600_000_000
        db.execute("INSERT INTO devices (mac, randomized, vendor, first_ts, last_ts, pkts_out, "
                   "bytes_out, pkts_in, bytes_in, router, hostname, client_id, dhcp_fp, "
                   "dhcp_vendor, os, os_family, device_type, os_confidence, os_basis) VALUES "
                   "(?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
                   (d.mac, d.randomized, d.vendor, first, last, 0, 0, 0, 0,
                    1 if d.kind == "router" else 0, d.name, None, d.dhcp_fp, d.dhcp_vendor,
                    d.os, d.os_family, d.dtype, 80 if d.os else 20,
                    "dhcp_fp,ttl,vendor" if d.os else "vendor"))
        db.execute("INSERT INTO device_macs VALUES (?, ?, ?, ?)", (d.mac, d.mac, first, last))
        for i, (fd, ip) in enumerate(d.ips):
            f = g.day_ts(max(fd, d.first_day))
            nxt = d.ips[i + 1][0] if i + 1 < len(d.ips) else None
            lt = g.day_ts(nxt) - 1 if nxt is not None else last
            db.execute("INSERT OR REPLACE INTO device_ips VALUES (?, ?, ?, ?)", (d.mac, ip, f, lt))
        src = "dhcp" if d.kind in ("pc", "phone") else ("nbns" if d.kind in ("fs", "srv")
                                                        else "mdns")
        db.execute("INSERT INTO device_names VALUES (?, ?, ?, ?, ?)", (d.mac, d.name, src, first, last))
        if d.kind == "pc":
            db.execute("INSERT INTO device_names VALUES (?, ?, 'nbns', ?, ?)",
                       (d.mac, d.name, first, last))
        if d.kind in ("fs", "srv"):
            db.execute("INSERT INTO device_services VALUES (?, 6, 445, 'smb', ?, ?, 1000)",
                       (d.mac, first, last))
        if d.kind == "printer":
            db.execute("INSERT INTO device_services VALUES (?, 6, 9100, NULL, ?, ?, 300)",
                       (d.mac, first, last))
            db.execute("INSERT INTO device_services VALUES (?, 6, 631, 'http', ?, ?, 300)",
                       (d.mac, first, last))
        if d.kind == "router":
            db.execute("INSERT INTO device_services VALUES (?, 17, 53, 'dns', ?, ?, 100000)",
                       (d.mac, first, last))
        db.execute("INSERT INTO device_evidence VALUES (?, 'vendor', ?, ?, ?, NULL, NULL)",
                   (d.mac, d.vendor or "randomized", first, first))
        if d.dhcp_fp:
            db.execute("INSERT INTO device_evidence VALUES (?, 'dhcp_fp', ?, ?, ?, ?, NULL)",
                       (d.mac, d.dhcp_fp, first, last, d.os))
    # a PC renamed halfway (device_names keeps both)
    pc = g.pcs[1]
    mid = g.day_ts(g.days // 2)
    db.execute("UPDATE device_names SET last_ts = ? WHERE device = ? AND source = 'dhcp'",
               (mid, pc.mac))
    db.execute("INSERT INTO device_names VALUES (?, ?, 'dhcp', ?, ?)",
               (pc.mac, "SOUMU-" + pc.name, mid, g.day_ts(last_day + 1) + 3_600_000_000))


def write_alerts(db, g):
    n = [0]

    def alert(cat, sev, t1, t2, count, src, sport, dst, dport, proto, dev, flow_ids, facts,
              run_id=1):
        n[0] += 1
        key = "%s|%s|%s|%d" % (cat, src, dst, n[0])
        db.execute("INSERT INTO alerts (dedup_key, run_id, first_ts, last_ts, count, category, "
                   "severity, src_ip, src_port, dest_ip, dest_port, proto, device, device_name, "
                   "flow_ids, facts) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
                   (key, run_id, t1, t2, count, cat, sev, src, sport, dst, dport, proto,
                    dev.mac if dev else None, dev.name if dev else None,
                    json.dumps(flow_ids), json.dumps(facts, ensure_ascii=False)))

    late = g.pcs[-1]
    t = g.day_ts(late.first_day) + 8 * 3_600_000_000
    alert("device.new", 1, t, t, 1, g.ip_on(late, late.first_day), None, None, None, None, late,
          [], {"ip": g.ip_on(late, late.first_day), "os": late.os, "type": "pc",
               "vendor": late.vendor})
    # the phone that took a moved PC's old address
    ph = [d for d in g.devs if d.kind == "phone"][0]
    if len(ph.ips) > 1:
        t = g.day_ts(ph.ips[1][0]) + 9 * 3_600_000_000
        alert("device.ip_conflict", 2, t, t, 1, ph.ips[1][1], None, None, None, None, ph, [],
              {"ip": ph.ips[1][1], "other_device": g.movers[0].name})
    # an old copier speaking SMB1, a port scan from a PC, ARP spoof on a weekday
    prn = g.printers[0]
    t = g.day_ts(2) + 10 * 3_600_000_000
    alert("legacy.protocol", 1, t, t + 20 * 86400 * 1_000_000, 40, g.ip_on(prn, 2), None, FS_IP,
          445, 6, prn, [], {"variant": "smb1", "what": "SMBv1"})
    pc = g.pcs[6]
    t = g.day_ts(5) + 14 * 3_600_000_000
    alert("scan.port", 2, t, t + 90_000_000, 200, g.ip_on(pc, 5), None, FS_IP, None, 6, pc, [],
          {"variant": "internal", "target": FS_IP, "nports": 200, "ports": "21,22,23,80,...",
           "method": "SYN"})
    pc = g.pcs[9]
    t = g.day_ts(9) + 11 * 3_600_000_000
    alert("device.arp_spoof", 3, t, t + 60_000_000, 12, ROUTER_IP, None, None, None, None, pc, [],
          {"variant": "gateway", "ip": ROUTER_IP, "other_device": "RTX1220",
           "vendor": pc.vendor})
    inf = getattr(g, "infection_alerts", None)
    if not inf:
        return
    rid = g.inf_run
    c2 = [f[1] for f in g.c2_flows][:20]
    pz = inf["pz"]
    alert("intel.ip", 4, inf["t_c2"], inf["t_beacon_end"], 181, inf["pz_ip"], None, C2_IP, 443, 6,
          pz, c2, {"variant": "outbound", "indicator": C2_IP, "port": 443,
                   "list": "abuse.ch Feodo Tracker", "entry": C2_IP}, rid)
    alert("beacon", 3, inf["t_c2"], inf["t_beacon_end"], 180, inf["pz_ip"], None, C2_IP, 443, 6,
          pz, c2, {"dest": C2_NAME, "conns": 180, "span_min": 180, "interval_s": 60,
                   "interval_min": 1, "score": 0.93}, rid)
    for tgt in (inf["fs"], inf["srv"]):
        alert("lateral", 4, inf["t_psexec"], inf["t_psexec"] + 90_000_000, 1, inf["pz_ip"], None,
              g.ip_on(tgt, g.infect_day), 445, 6, pz, [],
              {"variant": "psexec", "target": tgt.name, "share": "ADMIN$",
               "file": "PSEXESVC.exe"}, rid)
    alert("lateral", 4, inf["t_spread"], inf["t_spread"] + 120_000_000, 3, SRV_IP, None, None,
          445, 6, inf["srv"], [], {"variant": "spread", "ntargets": 3,
                                   "targets": ", ".join(inf["tips"])}, rid)


def main():
    a = parse_args()
    t0 = time.monotonic()
    mamori = find_mamori(a.mamori)
    make_schema(mamori, a.out)
    db = sqlite3.connect(a.out, isolation_level=None)
    db.execute("PRAGMA journal_mode=OFF")
    db.execute("PRAGMA synchronous=OFF")
    db.execute("PRAGMA cache_size=-1500000")
    db.execute("PRAGMA foreign_keys=OFF")
    db.execute("BEGIN")
    for t in data_tables(db):
        db.execute("DELETE FROM %s" % t)
    db.commit()

    class Tx:  # one transaction per day; commit() ends it and opens the next
        def __init__(self, c):
            self.c = c
            c.execute("BEGIN")

        def execute(self, *x):
            return self.c.execute(*x)

        def executemany(self, *x):
            return self.c.executemany(*x)

        def commit(self):
            self.c.execute("COMMIT")
            self.c.execute("BEGIN")

    tx = Tx(db)
    g = Gen(a)
    g.run(tx)
    write_inventory(tx, g)
    write_alerts(tx, g)
    tx.commit()
    db.execute("COMMIT")
    db.execute("PRAGMA journal_mode=WAL")
    db.close()
    secs = time.monotonic() - t0
    size = os.path.getsize(a.out)
    c = g.counts
    pz = g.by_name.get(PATIENT_ZERO, g.pcs[0])
    print("store         %s" % a.out)
    print("rows          flows %d, dns %d, tls %d, quic %d, http %d, smb %d, dhcp %d" % (
        c.get("flows", 0), c.get("dns", 0), c.get("tls", 0), c.get("quic", 0), c.get("http", 0),
        c.get("smb", 0), c.get("dhcp", 0)))
    print("devices       %d, runs %d, gap day %d" % (len(g.devs), g.run_id, g.gap_day + 1))
    print("size          %.1f MiB (%.1f MiB per million flows)" % (
        size / 1048576, size / 1048576 / max(1, c.get("flows", 0)) * 1e6))
    print("seconds       %.1f" % secs)
    print("c2            %s (%s)" % (C2_IP, C2_NAME))
    print("patient_zero  %s %s %s" % (pz.name, pz.mac, g.ip_on(pz, g.infect_day)))


if __name__ == "__main__":
    main()
