#!/usr/bin/python3
"""app-oracle.py - cross-check mamori's protocol metadata with tshark's on real captures.

usage: app-oracle.py --mamori PATH [--shared DIR] [--jobs N] [--scenarios] [--min PCT] [-v]
                     [CAPTURE...]

For every capture under SHARED/data/pcap (or those named), plus the generator's own app-*
scenarios with --scenarios:
  1. `mamori read --eve TMP/eve.json CAPTURE` (exit 0, or 2 for files under malformed/);
  2. one tshark 4.0 run printing, per frame that carries DNS, a TLS ClientHello, an HTTP
     request/response, DHCP or an SSH banner, the fields below;
  3. per protocol, the set of facts tshark sees and the share of them mamori reported too.

Facts compared (endpoints = the unordered pair of (address, port) of the innermost IP layer):
  dns.query   (endpoints, DNS id, query name)            from every question of a query
  dns.answer  (endpoints, DNS id, sorted A/AAAA addresses) from every response with addresses
  tls.sni     (endpoints, SNI)                           ClientHello (TLS or QUIC)
  tls.ja3     (endpoints, JA3 hash)                      first ClientHello of a TCP connection
  http.request (endpoints, method, host, URI)
  http.status (endpoints, status code)
  dhcp.hostname (client MAC, hostname)                   option 12
  ssh.banner  (endpoints, "SSH-<proto>-<software>")       each side's banner
Not compared: HTTP over UDP (SSDP), interim 1xx statuses, a second ClientHello after a TLS 1.3
HelloRetryRequest, and frames whose IPv4 total length exceeds the whole frame (malformed: mamori
does not read past such a header, as Suricata does not).
Sets, not lists: a retransmitted ClientHello is one fact. The run fails when any protocol with
facts agrees on fewer than --min percent (default 99) of tshark's facts; the figure per protocol
is printed either way. Facts mamori reports that tshark does not see are counted ("extra") but
do not fail the run: mamori parses protocols on ports tshark does not dissect by default.
Exit 77 (skip) when the corpus or tshark is absent.
"""
import argparse
import concurrent.futures
import ipaddress
import json
import os
import shutil
import subprocess
import sys
import tempfile

PROTOS = ['dns.query', 'dns.answer', 'tls.sni', 'tls.ja3', 'http.request', 'http.status',
          'dhcp.hostname', 'ssh.banner']

FIELDS = ['frame.number', 'ip.src', 'ip.dst', 'ipv6.src', 'ipv6.dst', 'tcp.srcport',
          'tcp.dstport', 'udp.srcport', 'udp.dstport', 'dns.flags.response', 'dns.id',
          'dns.qry.name', 'dns.a', 'dns.aaaa', 'dns.resp.type', 'dns.count.answers',
          'tls.handshake.type',
          'tls.handshake.extensions_server_name', 'tls.handshake.ja3', 'http.request.method',
          'http.host', 'http.request.uri', 'http.response.code', 'dhcp.option.hostname',
          'dhcp.hw.mac_addr', 'ssh.protocol', 'quic.long.packet_type', 'frame.protocols',
          'ip.len', 'frame.len', 'frame.cap_len']

FILTER = ('dns || mdns || llmnr || tls.handshake.type == 1 || http.request || http.response || '
          'dhcp.option.hostname || ssh.protocol')


def norm_ip(s):
    try:
        return str(ipaddress.ip_address(s))
    except ValueError:
        return s


def ends(a, ap, b, bp):
    x = (norm_ip(a), int(ap or 0))
    y = (norm_ip(b), int(bp or 0))
    return (x, y) if x <= y else (y, x)


# Occurrences of a field are joined with the unit separator: URIs and names may hold commas.
SEP = '\x1f'


def last(v):
    return v.split(SEP)[-1] if v else ''


def occ(v):
    return [x for x in v.split(SEP) if x != ''] if v else []


def tshark_facts(path):
    cmd = ['tshark', '-n', '-r', path, '-Y', FILTER, '-T', 'fields', '-E', 'separator=\t',
           '-E', 'occurrence=a', '-E', 'aggregator=\x1f', '-o', 'tls.desegment_ssl_records:TRUE',
           '-o', 'tcp.desegment_tcp_streams:TRUE']
    for f in FIELDS:
        cmd += ['-e', f]
    p = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, timeout=900)
    facts = {k: set() for k in PROTOS}
    ja3_seen = set()
    for line in p.stdout.decode('utf-8', 'replace').splitlines():
        v = line.split('\t')
        if len(v) < len(FIELDS):
            v += [''] * (len(FIELDS) - len(v))
        r = dict(zip(FIELDS, v))
        src = last(r['ipv6.src']) or last(r['ip.src'])
        dst = last(r['ipv6.dst']) or last(r['ip.dst'])
        # A frame with both IPv4 and IPv6 layers: take the innermost by protocol order.
        prot = r['frame.protocols'].split(':')
        inner = [x for x in prot if x in ('ip', 'ipv6')]
        if inner and inner[-1] == 'ip' and r['ip.src']:
            src, dst = last(r['ip.src']), last(r['ip.dst'])
        elif inner and inner[-1] == 'ipv6' and r['ipv6.src']:
            src, dst = last(r['ipv6.src']), last(r['ipv6.dst'])
        sp = last(r['tcp.srcport']) or last(r['udp.srcport'])
        dp = last(r['tcp.dstport']) or last(r['udp.dstport'])
        if 'tcp' in prot and r['tcp.srcport']:
            sp, dp = last(r['tcp.srcport']), last(r['tcp.dstport'])
        if not src or not sp:
            continue
        # An IPv4 datagram claiming more bytes than its whole (uncut) frame holds is
        # malformed: mamori, like Suricata, does not read past its header; tshark does.
        if r['ip.len'] and r['frame.len'] == r['frame.cap_len'] and \
                int(last(r['ip.len'])) > int(r['frame.len']):
            continue
        e = ends(src, sp, dst, dp)
        if r['dns.id'] and 'dns' in prot or 'mdns' in prot or 'llmnr' in prot:
            ids = occ(r['dns.id'])
            resp = occ(r['dns.flags.response'])
            if ids and resp:
                did = int(ids[0], 16) if ids[0].startswith('0x') else int(ids[0])
                if resp[0] in ('0', 'False'):
                    for q in occ(r['dns.qry.name']):
                        # tshark names the root "<Root>"; mamori, like dig, ".".
                        facts['dns.query'].add((e, did, '.' if q == '<Root>' else q))
                else:
                    # Only the answer section (tshark's dns.a also lists authority and
                    # additional records), and only the first DNS_MAX_ANSWERS records of it
                    # (mamori keeps that many per message).
                    n = min(int(occ(r['dns.count.answers'])[0] or 0), 32) \
                        if occ(r['dns.count.answers']) else 0
                    a4, a6 = occ(r['dns.a']), occ(r['dns.aaaa'])
                    i4 = i6 = 0
                    addrs = []
                    for t in occ(r['dns.resp.type'])[:n]:
                        if t == '1' and i4 < len(a4):
                            addrs.append(a4[i4])
                            i4 += 1
                        elif t == '28' and i6 < len(a6):
                            addrs.append(norm_ip(a6[i6]))
                            i6 += 1
                    addrs.sort()
                    if addrs:
                        facts['dns.answer'].add((e, did, tuple(addrs)))
        types = occ(r['tls.handshake.type'])
        if '1' in types:
            for s in occ(r['tls.handshake.extensions_server_name'])[:1]:
                facts['tls.sni'].add((e, s))
            # The first ClientHello of a connection: a second one after a TLS 1.3
            # HelloRetryRequest is not fingerprinted again (Suricata keeps the first too).
            if 'tcp' in prot and e not in ja3_seen:
                for j in occ(r['tls.handshake.ja3'])[:1]:
                    facts['tls.ja3'].add((e, j))
                    ja3_seen.add(e)
        # HTTP over UDP (SSDP M-SEARCH/NOTIFY) is not HTTP/1.x over TCP: not compared.
        if r['http.request.method'] and 'udp' not in prot:
            for m, h, u in zip(occ(r['http.request.method']),
                               occ(r['http.host']) or [''] * 99, occ(r['http.request.uri'])):
                facts['http.request'].add((e, m, h, u))
        # Interim 1xx responses: mamori logs the final status of each transaction, as
        # Suricata does.
        for c in occ(r['http.response.code']):
            if 'udp' not in prot and int(c) >= 200:
                facts['http.status'].add((e, int(c)))
        for h in occ(r['dhcp.option.hostname']):
            facts['dhcp.hostname'].add(((occ(r['dhcp.hw.mac_addr']) or [''])[0].lower(), h))
        for b in occ(r['ssh.protocol']):
            if b.startswith('SSH-'):
                parts = b.split('-', 2)
                if len(parts) == 3:
                    facts['ssh.banner'].add((e, 'SSH-%s-%s' % (parts[1], parts[2].split(' ')[0])))
    return facts


def unescape(name):
    """mamori writes bytes outside printable ASCII in DNS names as \\DDD (like dig); tshark
    prints the raw bytes, which we read as UTF-8 with replacement."""
    if '\\' not in name:
        return name
    out = bytearray()
    i = 0
    while i < len(name):
        if name[i] == '\\' and i + 3 < len(name) + 0 and name[i + 1:i + 4].isdigit():
            out.append(int(name[i + 1:i + 4]))
            i += 4
        elif name[i] == '\\' and i + 1 < len(name):
            out += name[i + 1].encode()
            i += 2
        else:
            out += name[i].encode()
            i += 1
    return out.decode('utf-8', 'replace')


def mamori_facts(eve):
    facts = {k: set() for k in PROTOS}
    with open(eve, encoding='utf-8', errors='replace') as fh:
        for line in fh:
            try:
                ev = json.loads(line)
            except ValueError:
                continue
            t = ev.get('event_type')
            if t in ('flow', 'alert') or 'src_ip' not in ev or 'dest_ip' not in ev:
                continue
            e = ends(ev['src_ip'], ev.get('src_port', 0), ev['dest_ip'], ev.get('dest_port', 0))
            if t == 'dns':
                d = ev['dns']
                if d.get('type') == 'query':
                    facts['dns.query'].add((e, d.get('id'), unescape(d.get('rrname', ''))))
                elif d.get('type') == 'answer':
                    addrs = sorted(norm_ip(a['rdata']) for a in d.get('answers', [])
                                   if a.get('rrtype') in ('A', 'AAAA') and 'rdata' in a)
                    if addrs:
                        facts['dns.answer'].add((e, d.get('id'), tuple(addrs)))
            elif t in ('tls', 'quic'):
                d = ev[t]
                if d.get('sni'):
                    facts['tls.sni'].add((e, d['sni']))
                if t == 'tls' and isinstance(d.get('ja3'), dict) and d['ja3'].get('hash'):
                    facts['tls.ja3'].add((e, d['ja3']['hash']))
            elif t == 'http':
                d = ev['http']
                if d.get('http_method'):
                    host = d.get('hostname', '')
                    if d.get('http_port'):
                        host = '%s:%s' % (host, d['http_port'])
                    facts['http.request'].add((e, d['http_method'], host, d.get('url', '')))
                    facts['http.request'].add((e, d['http_method'], d.get('hostname', ''),
                                               d.get('url', '')))
                if 'status' in d:
                    facts['http.status'].add((e, int(d['status'])))
            elif t == 'dhcp':
                d = ev['dhcp']
                if d.get('hostname'):
                    facts['dhcp.hostname'].add((d.get('client_mac', '').lower(), d['hostname']))
            elif t == 'ssh':
                d = ev['ssh']
                for side in ('client', 'server'):
                    s = d.get(side) or {}
                    if s.get('proto_version'):
                        facts['ssh.banner'].add(
                            (e, 'SSH-%s-%s' % (s['proto_version'],
                                               s.get('software_version', '').split(' ')[0])))
    return facts


def run_one(path, mamori, tmp):
    base = os.path.join(tmp, os.path.basename(path).replace('/', '_'))
    eve = base + '.eve.json'
    p = subprocess.run([mamori, 'read', '--eve', eve, '--db', base + '.db', path],
                       stdout=subprocess.PIPE, stderr=subprocess.PIPE, timeout=900)
    err = p.stderr.decode('utf-8', 'replace')
    bad = None
    if p.returncode not in (0, 2) or (p.returncode == 2 and '/malformed/' not in path):
        bad = 'exit %d: %s' % (p.returncode, err.strip()[:300])
    if 'Sanitizer' in err or 'runtime error:' in err:
        bad = 'sanitizer report: ' + err[:2000]
    theirs = tshark_facts(path)
    ours = mamori_facts(eve) if os.path.exists(eve) else {k: set() for k in PROTOS}
    return path, bad, theirs, ours


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('--mamori', required=True)
    ap.add_argument('--shared')
    ap.add_argument('--jobs', type=int, default=os.cpu_count() or 2)
    ap.add_argument('--scenarios', action='store_true')
    ap.add_argument('--min', type=float, default=99.0)
    ap.add_argument('-v', action='store_true')
    ap.add_argument('captures', nargs='*')
    a = ap.parse_args()
    if not shutil.which('tshark'):
        print('SKIP: tshark not installed')
        return 77
    shared = a.shared or os.environ.get('MAMORI_SHARED') or os.path.join(
        os.path.dirname(__file__), '..', '..', '..', 'shared')
    caps = list(a.captures)
    tmp = tempfile.mkdtemp(prefix='mamori-app-oracle.')
    try:
        if not caps:
            root = os.path.join(shared, 'data', 'pcap')
            if os.path.isdir(root):
                for d, _, fs in os.walk(root):
                    caps += [os.path.join(d, f) for f in fs if f.endswith(('.pcap', '.pcapng'))]
            else:
                print('SKIP: %s not found (the shared corpus is absent)' % root)
                if not a.scenarios:
                    return 77
        if a.scenarios:
            p = subprocess.run([a.mamori, 'gen-scenario', '--list'], stdout=subprocess.PIPE,
                               timeout=60)
            for line in p.stdout.decode().splitlines():
                name = line.split()[0] if line.split() else ''
                if name.startswith('app-') or name in ('office', 'tiny'):
                    out = os.path.join(tmp, 'scn-%s.pcap' % name)
                    subprocess.run([a.mamori, 'gen-scenario', name, '-o', out], check=True,
                                   stdout=subprocess.DEVNULL, timeout=300)
                    caps.append(out)
        caps.sort()
        tot = {k: [0, 0, 0] for k in PROTOS}  # tshark facts, agreed, mamori-only
        failed = []
        with concurrent.futures.ThreadPoolExecutor(max_workers=a.jobs) as ex:
            for path, bad, theirs, ours in ex.map(lambda c: run_one(c, a.mamori, tmp), caps):
                name = os.path.relpath(path, os.path.join(shared, 'data', 'pcap')) \
                    if path.startswith(shared) else os.path.basename(path)
                if bad:
                    failed.append('%s: %s' % (name, bad))
                parts = []
                for k in PROTOS:
                    t, o = theirs[k], ours[k]
                    agree = len(t & o)
                    tot[k][0] += len(t)
                    tot[k][1] += agree
                    tot[k][2] += len(o - t)
                    if t or o:
                        parts.append('%s %d/%d' % (k, agree, len(t)))
                    if a.v and t - o:
                        for miss in sorted(t - o, key=str)[:10]:
                            print('  MISSING %s %s: %s' % (name, k, miss))
                    if a.v and o - t:
                        for x in sorted(o - t, key=str)[:5]:
                            print('  EXTRA   %s %s: %s' % (name, k, x))
                if parts:
                    print('%-60s %s' % (name, ', '.join(parts)))
        print()
        ok = True
        for k in PROTOS:
            t, agree, extra = tot[k]
            pct = 100.0 * agree / t if t else 100.0
            verdict = 'ok' if pct >= a.min else 'BELOW %.0f%%' % a.min
            if pct < a.min:
                ok = False
            print('%-14s %6d tshark facts, %6d agree (%6.2f%%), %5d mamori-only  %s' %
                  (k, t, agree, pct, extra, verdict))
        for f in failed:
            print('FAIL', f)
        return 0 if ok and not failed else 1
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == '__main__':
    sys.exit(main())
