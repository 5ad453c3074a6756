#!/usr/bin/python3
"""oracle.py - compare mamori's flow records with tshark's conversations on real captures.

usage: oracle.py --mamori PATH [--shared DIR] [--jobs N] [--scenarios] [-v] [CAPTURE...]

For every capture under SHARED/data/pcap (SHARED from --shared, else $MAMORI_SHARED, else
../shared next to the repository; exit 77 = skip when absent or when tshark is missing), or for the
captures named on the command line:

 1. run `mamori read --db TMP/x.db --eve TMP/eve.json CAPTURE`. It must exit 0; files under
    malformed/ may also exit 2 (bad input, one line on stderr). Never a signal, never a sanitizer
    report (AddressSanitizer / LeakSanitizer / "runtime error:") on stderr, never a timeout.
 2. validate every EVE line with eve-validate.py (next to this script) against
    SHARED/data/eve-schema.json.
 3. run tshark 4.0 ONCE: `tshark -n -r CAPTURE -T fields ... -z conv,tcp -z conv,udp`, i.e. one line
    of fields per frame followed by tshark's own TCP and UDP conversation tables. tshark's decoding
    defaults are kept (heuristics, port tables, IP/IPv6 reassembly on, checksums not checked).
 4. compare (below), print one line per capture, and the mismatches.

How tshark's conversations are computed (the reference)
  tshark 4.0 prints conversation byte counts with units ("10 kB"), so its tables give exact
  frame counts but not exact bytes. We therefore rebuild the conversations from tshark's per-frame
  dissection and CHECK the result against tshark's own tables: every TCP and UDP conversation
  must have exactly tshark's frame counts in each direction and tshark's bytes (exact when
  printed in bytes, to within one printed unit for kB/MB). A failure of that check is reported
  as "ORACLE" (a bug in this script, not in mamori) and fails the run.
  Per frame, frame.protocols is walked outermost first; every ip/ipv6 layer followed by
    tcp / udp            -> conversation (proto, {addr:port, addr:port})
    icmp / icmpv6        -> conversation (proto, {addr, addr}) [ports 0]; the walk stops there:
                            the IP header quoted in an ICMP error is not traffic (tshark's
                            conversation taps ignore it too)
    data (a fragment)    -> nothing: the frame is counted with its datagram, see below
    anything else        -> conversation (ip.proto, {addr, addr}), e.g. GRE 47, IPv6-in-IPv4 41,
                            IGMP 2, OSPF 89; the walk goes on, so the frame also counts for the
                            conversations of the layers inside (GRE, VXLAN, Teredo, 6in4...).
  A frame counts in every conversation its walk produces, with its wire length (frame.len),
  as mamori counts tunnelled frames for the outer and inner flow.

What is compared, and how agreement is decided
  Key: (IP protocol number, unordered pair of endpoints), an endpoint being (address, port)
  with port 0 for portless protocols. Addresses are normalised (Python ipaddress). VLAN ids,
  tunnel layer and depth are NOT part of the key: tshark merges VLANs and layers. All mamori flow
  records with the same key are summed (records split by idle/closed timeout, port reuse,
  active timeout, or differing VLAN/tunnel). Directions are aligned by endpoint: mamori's
  toserver counts go to whichever endpoint is its src.
  Agreement: for every key present on either side, frames and bytes in BOTH directions are equal.

Adjustments (where tshark's conversation table and mamori's flow spec differ by design)
  A1 IP fragments: tshark counts a reassembled datagram in its TCP/UDP/ICMP conversation as ONE
     frame (the reassembling one) with that frame's length; mamori's spec gives the datagram's
     flow all fragment frames and their wire bytes. The reference adds the frames listed in
     ip.fragment / ipv6.fragment (other than the reassembling frame) to that conversation.
     Fragments of datagrams tshark could not reassemble form no conversation on either side
     (mamori: non-first fragments never form flows; a first fragment of an incomplete datagram
     carries the transport header and may: such flows, when the only difference, are "explained"
     as E1).
Explained differences (reported, do not fail the run)
  E1 unreassembled first fragments: a mamori flow (or extra frames in one) made only of frames
     that tshark shows as IP fragments of a datagram it never reassembled.
  E2 bad network/transport headers: tshark gave up, or went on regardless, inside an IPv4, IPv6,
     TCP, UDP, ICMP or GRE header ("[Malformed Packet: TCP]", "[Packet size limited during
     capture: UDP truncated]", "Bogus TCP header length", "IPv4 total length exceeds packet
     length"), while mamori counts a decode event and no flow (as Suricata does). tshark's TCP/UDP
     tap does not run when it throws inside that header, so such frames may also be MISSING from
     tshark's table while mamori counts them: both ways are allowed for these frames only.
  E3 oversize datagrams: tshark reassembles a datagram from any number of fragments; mamori
     drops datagrams of more than MAX_FRAGS_PER_DATAGRAM fragments (src/util/limits.h, read at
     run time; 128 today: a defence against fragment floods, real stacks send at most ~45).
     Explained only if mamori is lower by at most those datagrams' frames and bytes.
  E2 and E3 are decided per conversation and direction:
     tshark - doubtful_counted <= mamori <= tshark + doubtful_not_counted (frames and bytes).
Anything else is an unexplained mismatch: exit 1.

Also checked: mamori's summary lines "packets N" and "bytes N" equal tshark's frame count and
sum of frame.len (when mamori exited 0).
"""
import argparse
import concurrent.futures
import ipaddress
import os
import re
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))


def read_limit(name, default):
    """A #define from src/util/limits.h, so that E3 follows mamori's own cap."""
    try:
        with open(os.path.join(HERE, '..', '..', 'src', 'util', 'limits.h')) as f:
            m = re.search(r'^#define\s+%s\s+\(?(\d+)' % name, f.read(), re.M)
            return int(m.group(1)) if m else default
    except OSError:
        return default


MAX_FRAGS_PER_DATAGRAM = read_limit('MAX_FRAGS_PER_DATAGRAM', 128)
MAMORI_TIMEOUT_S = 600
TSHARK_TIMEOUT_S = 600
MAX_LIST = 12  # mismatches printed per capture

FIELDS = ['frame.number', 'frame.len', 'frame.cap_len', 'frame.protocols',
          'ip.src', 'ip.dst', 'ip.proto', 'ip.flags.mf', 'ip.frag_offset',
          'ipv6.src', 'ipv6.dst', 'tcp.srcport', 'tcp.dstport', 'udp.srcport', 'udp.dstport',
          'ip.fragment', 'ipv6.fragment', '_ws.malformed', '_ws.short', '_ws.expert.message',
          'ipv6.nxt']
NFIELDS = len(FIELDS)
SEP = '\x1f'  # unit separator: never in tshark's field values

PROTO_NUM = {'tcp': 6, 'udp': 17, 'icmp': 1, 'icmpv6': 58}
# Next-header names tshark uses after ipv6 for portless protocols (IPv4 uses ip.proto).
V6_OTHER = {'gre': 47, 'ip': 4, 'ipv6': 41, 'ospf': 89, 'pim': 103, 'igmp': 2, 'esp': 50,
            'ah': 51, 'sctp': 132, 'vrrp': 112, 'eigrp': 88, 'udplite': 136, 'l2tp': 115}
SANITIZER_RE = re.compile(r'AddressSanitizer|LeakSanitizer|UndefinedBehaviorSanitizer|'
                          r'runtime error:|MemorySanitizer|ThreadSanitizer')
CONV_RE = re.compile(r'^(\S+)\s+<->\s+(\S+)\s+(\d+)\s+([\d,]+) (\S+)\s+(\d+)\s+([\d,]+) (\S+)'
                     r'\s+(\d+)\s+([\d,]+) (\S+)')
# "[Malformed Packet: UDP]", "[Packet size limited during capture: TCP truncated]"
# "Bogus TCP header length (8, must be at least 20)": the TCP dissector gives up quietly.
# "IPv4 total length exceeds packet length (257 bytes)": tshark still dissects what follows.
BAD_LAYER_RE = re.compile(r'(?:Malformed Packet|Packet size limited during capture): (\S+?)[\] ]'
                          r'|Bogus (TCP|UDP|IPv4|IPv6|IP) '
                          r'|(IPv4|IPv6) \w+ length exceeds')
NET_LAYERS = {'IPv4', 'IPv6', 'TCP', 'UDP', 'ICMP', 'ICMPv6', 'GRE', 'VXLAN', 'Teredo', 'IP'}
UNIT = {'bytes': 1, 'kB': 1000, 'MB': 1000 ** 2, 'GB': 1000 ** 3, 'KiB': 1024, 'MiB': 1024 ** 2}


def norm_ip(s):
    try:
        return ipaddress.ip_address(s).compressed
    except ValueError:
        return s


def canon(proto, ep1, ep2):
    """Returns (key, dir): dir 0 when ep1 is the key's first endpoint."""
    if ep1 <= ep2:
        return (proto, ep1, ep2), 0
    return (proto, ep2, ep1), 1


class Conv:
    __slots__ = ('frames', 'bytes', 'doubt_in_f', 'doubt_in_b', 'doubt_out_f', 'doubt_out_b',
                 'why')

    def __init__(self):
        self.frames = [0, 0]
        self.bytes = [0, 0]
        # E2: malformed or cut frames that tshark counted (mamori may not) ...
        self.doubt_in_f = [0, 0]
        self.doubt_in_b = [0, 0]
        # ... and malformed frames whose tcp/udp layer tshark did not count (mamori may)
        self.doubt_out_f = [0, 0]
        self.doubt_out_b = [0, 0]
        self.why = set()  # which of E2, E3 the doubtful frames come from


def new_notes():
    return {'fragment_frames': set(), 'reassembled_frames': set(), 'unknown_v6_next': 0,
            'ip_no_payload': 0}


def split_occ(s):
    return s.split(',') if s else []


def walk_frame(f, frag_len, convs, tshark_only):
    """Adds one tshark frame to convs. f: list of NFIELDS strings."""
    num = int(f[0])
    wire = int(f[1])
    toks = f[3].split(':')
    ip_src, ip_dst, ip_proto = split_occ(f[4]), split_occ(f[5]), split_occ(f[6])
    ip_mf, ip_off = split_occ(f[7]), split_occ(f[8])
    v6_src, v6_dst = split_occ(f[9]), split_occ(f[10])
    tcp_sp, tcp_dp = split_occ(f[11]), split_occ(f[12])
    udp_sp, udp_dp = split_occ(f[13]), split_occ(f[14])
    frag4 = [int(x) for x in split_occ(f[15])]
    frag6 = [int(x) for x in split_occ(f[16])]
    v6_nxt = split_occ(f[20])
    # E2: did tshark give up inside a network/transport header of this frame (malformed or
    # cut by the snaplen)? Then mamori may well reject the packet as a decode event.
    bad_layers = {m.group(1) or m.group(2) or m.group(3)
                  for m in BAD_LAYER_RE.finditer(f[17] + ' ' + f[18] + ' ' + f[19])}
    doubtful = bool(bad_layers & NET_LAYERS)
    i4 = i6 = it = iu = 0
    k = 0
    n = len(toks)
    hits = []  # (key, dir, extra_frames[] for A1)
    while k < n:
        tok = toks[k]
        if tok not in ('ip', 'ipv6'):
            k += 1
            continue
        if tok == 'ip':
            if i4 >= len(ip_src):
                break
            src, dst = norm_ip(ip_src[i4]), norm_ip(ip_dst[i4])
            proto = int(ip_proto[i4]) if i4 < len(ip_proto) and ip_proto[i4] else None
            is_frag = ((i4 < len(ip_mf) and ip_mf[i4] in ('1', 'True')) or
                       (i4 < len(ip_off) and ip_off[i4] not in ('', '0')))
            frags = frag4
            i4 += 1
            k += 1
        else:
            if i6 >= len(v6_src):
                break
            src, dst = norm_ip(v6_src[i6]), norm_ip(v6_dst[i6])
            proto = None
            i6 += 1
            k += 1
            is_frag = False
            while k < n and toks[k].startswith('ipv6.'):  # extension headers
                if toks[k] == 'ipv6.fraghdr':
                    is_frag = True
                k += 1
            frags = frag6
        nxt = toks[k] if k < n else ''
        # A1: the frames of a reassembled datagram (other than this one) join its flow.
        extra = [x for x in frags if x != num] if is_frag else []
        if nxt in ('tcp', 'udp'):
            if nxt == 'tcp':
                if it >= len(tcp_sp):
                    break
                sp, dp = int(tcp_sp[it]), int(tcp_dp[it])
                it += 1
            else:
                if iu >= len(udp_sp):
                    break
                sp, dp = int(udp_sp[iu]), int(udp_dp[iu])
                iu += 1
            key, d = canon(PROTO_NUM[nxt], (src, sp), (dst, dp))
            hits.append((key, d, extra))
            k += 1
            continue
        if nxt in ('icmp', 'icmpv6'):
            key, d = canon(PROTO_NUM[nxt], (src, 0), (dst, 0))
            hits.append((key, d, extra))
            break  # what follows is the packet quoted by an ICMP error
        if nxt == '':
            if tok == 'ipv6' and not doubtful and i6 - 1 < len(v6_nxt) and v6_nxt[i6 - 1]:
                # IPv6 "no next header" (59), e.g. Teredo bubbles: a portless flow
                key, d = canon(int(v6_nxt[i6 - 1]), (src, 0), (dst, 0))
                hits.append((key, d, extra))
            else:
                # tshark dissected nothing after this IP header (cut or bogus): no conversation
                tshark_only['ip_no_payload'] += 1
            break
        if nxt == 'data' and is_frag:
            # a fragment (reassembled elsewhere or never): counted with its datagram (A1)
            tshark_only['fragment_frames'].add(num)
            break
        if tok == 'ip' and proto is not None:
            p = proto
        else:
            p = V6_OTHER.get(nxt)
        if p is None:
            tshark_only['unknown_v6_next'] += 1
            break
        key, d = canon(p, (src, 0), (dst, 0))
        hits.append((key, d, extra))
        # go on: tunnels (GRE, 6in4, IPIP) have their inner layers further on
    for x in frag4 + frag6:
        tshark_only['reassembled_frames'].add(x)
    for i, (key, d, extra) in enumerate(hits):
        c = convs.get(key)
        if c is None:
            c = convs[key] = Conv()
        nbytes = wire + sum(frag_len.get(x, 0) for x in extra)
        if (i == len(hits) - 1 and
                (('TCP' in bad_layers and key[0] == 6) or ('UDP' in bad_layers and key[0] == 17))):
            # tshark threw inside this (innermost) TCP/UDP header, before its conversation
            # tap ran: its table does not count the frame (checked by check_against_tables)
            c.doubt_out_f[d] += 1 + len(extra)
            c.doubt_out_b[d] += nbytes
            c.why.add('E2')
            continue
        c.frames[d] += 1 + len(extra)
        c.bytes[d] += nbytes
        if doubtful:
            c.doubt_in_f[d] += 1 + len(extra)
            c.doubt_in_b[d] += nbytes
            c.why.add('E2')
        elif len(extra) + 1 > MAX_FRAGS_PER_DATAGRAM:
            c.doubt_in_f[d] += 1 + len(extra)
            c.doubt_in_b[d] += nbytes
            c.why.add('E3')
    return wire


def parse_conv_tables(lines):
    """tshark's -z conv,tcp / conv,udp tables -> {key: (frames[2], bytes_lo[2], bytes_hi[2])}.

    Column order (verified with tshark 4.0): "A <-> B  | <- frames bytes | -> frames bytes |
    total": the first pair counts frames B -> A, the second A -> B."""
    out = {}
    proto = None
    for line in lines:
        if line.startswith('TCP Conversations'):
            proto = 6
            continue
        if line.startswith('UDP Conversations'):
            proto = 17
            continue
        if proto is None:
            continue
        m = CONV_RE.match(line)
        if not m:
            continue
        a_addr, a_port = m.group(1).rsplit(':', 1)
        b_addr, b_port = m.group(2).rsplit(':', 1)
        ep_a = (norm_ip(a_addr), int(a_port))
        ep_b = (norm_ip(b_addr), int(b_port))
        key, d = canon(proto, ep_a, ep_b)
        b_to_a = (int(m.group(3)), int(m.group(4).replace(',', '')), m.group(5))
        a_to_b = (int(m.group(6)), int(m.group(7).replace(',', '')), m.group(8))
        # direction 0 of the key = first endpoint -> second
        first_to_second, second_to_first = (a_to_b, b_to_a) if d == 0 else (b_to_a, a_to_b)
        frames = [0, 0]
        lo = [0, 0]
        hi = [0, 0]
        for i, (fr, val, unit) in enumerate((first_to_second, second_to_first)):
            mult = UNIT.get(unit, 1)
            frames[i] = fr
            if mult == 1:
                lo[i] = hi[i] = val
            else:
                lo[i] = (val - 1) * mult
                hi[i] = (val + 1) * mult
        prev = out.get(key)
        if prev:  # same tuple twice (should not happen): add up
            frames = [frames[i] + prev[0][i] for i in range(2)]
            lo = [lo[i] + prev[1][i] for i in range(2)]
            hi = [hi[i] + prev[2][i] for i in range(2)]
        out[key] = (frames, lo, hi)
    return out


def run_tshark(path):
    cmd = ['tshark', '-n', '-r', path, '-T', 'fields', '-E', 'separator=' + SEP,
           '-E', 'occurrence=a', '-E', 'aggregator=,']
    for f in FIELDS:
        cmd += ['-e', f]
    cmd += ['-z', 'conv,tcp', '-z', 'conv,udp']
    p = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                       timeout=TSHARK_TIMEOUT_S, env=dict(os.environ, LC_ALL='C'))
    return p.returncode, p.stdout.decode('utf-8', 'replace'), p.stderr.decode('utf-8', 'replace')


def tshark_reference(path):
    rc, out, err = run_tshark(path)
    lines = out.split('\n')
    frames = []
    tables = []
    for line in lines:
        if SEP in line:
            parts = line.split(SEP)
            if len(parts) == NFIELDS:
                frames.append(parts)
                continue
        tables.append(line)
    # lengths of every frame, for A1 (fragments listed by the reassembling frame)
    frag_len = {int(f[0]): int(f[1]) for f in frames}
    convs = {}
    notes = new_notes()
    total_bytes = 0
    for f in frames:
        total_bytes += walk_frame(f, frag_len, convs, notes)
    notes['unreassembled_fragments'] = len(notes['fragment_frames'] - notes['reassembled_frames'])
    return {'rc': rc, 'stderr': err, 'frames': len(frames), 'bytes': total_bytes,
            'convs': convs, 'tables': parse_conv_tables(tables), 'notes': notes,
            'frame_rows': frames}


def check_against_tables(ref):
    """ORACLE self-check: our rebuild of TCP/UDP conversations vs tshark's own tables.

    The rebuild includes adjustment A1, which the tables do not: undo it by recounting
    without fragment frames. Simplest: recompute the TCP/UDP convs with A1 disabled."""
    convs = {}
    notes = new_notes()
    for f in ref['frame_rows']:
        g = list(f)
        g[15] = g[16] = ''  # no A1
        walk_frame(g, {}, convs, notes)
    problems = []
    tables = ref['tables']
    for key, (frames, lo, hi) in tables.items():
        c = convs.get(key)
        mf = c.frames if c else [0, 0]
        mb = c.bytes if c else [0, 0]
        if mf != frames or not all(lo[i] <= mb[i] <= hi[i] for i in range(2)):
            problems.append('ORACLE %s: tshark table frames %s bytes %s..%s, rebuilt frames %s '
                            'bytes %s' % (fmt_key(key), frames, lo, hi, mf, mb))
    for key, c in convs.items():
        if key[0] in (6, 17) and key not in tables and c.frames != [0, 0]:
            problems.append('ORACLE %s: rebuilt (frames %s) but not in tshark table'
                            % (fmt_key(key), c.frames))
    return problems


def fmt_ep(ep):
    addr, port = ep
    if ':' in addr:
        addr = '[%s]' % addr
    return '%s:%d' % (addr, port) if port else addr


def fmt_key(key):
    names = {6: 'TCP', 17: 'UDP', 1: 'ICMP', 58: 'ICMPv6'}
    return '%s %s <-> %s' % (names.get(key[0], 'proto%d' % key[0]), fmt_ep(key[1]), fmt_ep(key[2]))


def read_flows(db):
    con = sqlite3.connect('file:%s?mode=ro' % db, uri=True)
    try:
        rows = con.execute('SELECT proto, src_ip, src_port, dst_ip, dst_port, pkts_toserver, '
                           'pkts_toclient, bytes_toserver, bytes_toclient FROM flows').fetchall()
    finally:
        con.close()
    ours = {}
    nrec = {}
    for proto, sip, sport, dip, dport, pts, ptc, bts, btc in rows:
        sport = sport or 0
        dport = dport or 0
        key, d = canon(int(proto), (norm_ip(sip), int(sport)), (norm_ip(dip), int(dport)))
        c = ours.get(key)
        if c is None:
            c = ours[key] = Conv()
        c.frames[d] += pts
        c.frames[1 - d] += ptc
        c.bytes[d] += bts
        c.bytes[1 - d] += btc
        nrec[key] = nrec.get(key, 0) + 1
    return ours, nrec, len(rows)


def parse_summary(text):
    out = {}
    for line in text.splitlines():
        m = re.match(r'^\s*([a-z][a-z _-]*?)\s+(\d+)\b', line)
        if m:
            out[m.group(1)] = int(m.group(2))
    return out


def compare(ref, ours, nrec):
    """Returns (compared, matched, explained[], mismatched[])."""
    explained = []
    bad = []
    matched = 0
    keys = set(ref['convs']) | set(ours)
    for key in sorted(keys, key=lambda k: (k[0], k[1], k[2])):
        t = ref['convs'].get(key) or Conv()
        o = ours.get(key) or Conv()
        if t.frames == o.frames and t.bytes == o.bytes:
            matched += 1
            continue
        desc = ('%s: mamori %s pkts %s bytes (%d record%s), tshark %s pkts %s bytes'
                % (fmt_key(key), o.frames, o.bytes, nrec.get(key, 0),
                   '' if nrec.get(key, 0) == 1 else 's', t.frames, t.bytes))
        # E2: mamori lower by at most the malformed / cut frames tshark kept
        e2 = all(t.frames[i] - t.doubt_in_f[i] <= o.frames[i] <= t.frames[i] + t.doubt_out_f[i]
                 and t.bytes[i] - t.doubt_in_b[i] <= o.bytes[i] <= t.bytes[i] + t.doubt_out_b[i]
                 for i in range(2))
        if e2:
            explained.append('%s %s (doubtful frames: %s counted by tshark, %s not)'
                             % ('+'.join(sorted(t.why)), desc, t.doubt_in_f, t.doubt_out_f))
            continue
        # E1: flows tshark does not have at all, while it saw unreassembled fragments
        if key not in ref['convs'] and ref['notes']['unreassembled_fragments'] > 0:
            explained.append('E1 ' + desc + ' (tshark: %d unreassembled fragments in file)'
                             % ref['notes']['unreassembled_fragments'])
            continue
        bad.append(desc)
    return len(keys), matched, explained, bad


def run_one(path, label, mamori, tmpbase, verbose):
    res = {'label': label, 'fail': [], 'explained': [], 'info': ''}
    if mamori == '/bin/true':  # --tshark-only
        t1 = time.monotonic()
        ref = tshark_reference(path)
        res['fail'] = check_against_tables(ref)
        res['info'] = ('%d frames, %d conversations, %d unreassembled fragments; tshark %.2f s'
                       % (ref['frames'], len(ref['convs']),
                          ref['notes']['unreassembled_fragments'], time.monotonic() - t1))
        return res
    tmp = tempfile.mkdtemp(prefix='oracle-', dir=tmpbase)
    db = os.path.join(tmp, 'x.db')
    eve = os.path.join(tmp, 'eve.json')
    malformed = label.startswith('malformed/')
    t0 = time.monotonic()
    try:
        p = subprocess.run([mamori, 'read', '--db', db, '--eve', eve, path],
                           stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                           timeout=MAMORI_TIMEOUT_S)
        rc, out, err = p.returncode, p.stdout.decode('utf-8', 'replace'), \
            p.stderr.decode('utf-8', 'replace')
    except subprocess.TimeoutExpired:
        res['fail'].append('mamori read timed out after %d s' % MAMORI_TIMEOUT_S)
        shutil.rmtree(tmp, ignore_errors=True)
        return res
    m_elapsed = time.monotonic() - t0
    if rc < 0:
        res['fail'].append('mamori read killed by signal %d; stderr: %s' % (-rc, err[-2000:]))
    elif SANITIZER_RE.search(err):
        res['fail'].append('sanitizer report (exit %d): %s' % (rc, err[-3000:]))
    elif rc not in ((0, 2) if malformed else (0,)):
        res['fail'].append('mamori read exited %d; stderr: %s' % (rc, err.strip()[-1000:]))
    elif rc == 2:
        lines = [x for x in err.splitlines() if x.strip()]
        if len(lines) != 1 or not lines[0].startswith('mamori: '):
            res['fail'].append('exit 2 needs exactly one stderr line "mamori: ...", got: %r'
                               % err[-500:])
    if res['fail']:
        shutil.rmtree(tmp, ignore_errors=True)
        return res
    # EVE
    if os.path.exists(eve):
        v = subprocess.run([sys.executable, os.path.join(HERE, 'eve-validate.py'), eve],
                           stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
        vout = v.stdout.decode('utf-8', 'replace')
        if v.returncode not in (0, 77):
            res['fail'].append('EVE does not validate:\n    ' +
                               vout.strip().replace('\n', '\n    '))
        res['eve'] = vout.strip().rsplit('\n', 1)[-1]
    else:
        res['fail'].append('no EVE file written at %s' % eve)
    # tshark
    t1 = time.monotonic()
    ref = tshark_reference(path)
    t_elapsed = time.monotonic() - t1
    res['fail'] += check_against_tables(ref)
    try:
        ours, nrec, nrows = read_flows(db)
    except sqlite3.Error as e:
        res['fail'].append('cannot read flows from %s: %s' % (db, e))
        shutil.rmtree(tmp, ignore_errors=True)
        return res
    if rc == 0:
        summ = parse_summary(out)
        if summ.get('packets') != ref['frames']:
            res['fail'].append('summary "packets %s" but tshark reads %d frames'
                               % (summ.get('packets'), ref['frames']))
        if summ.get('bytes') != ref['bytes']:
            res['fail'].append('summary "bytes %s" but tshark sums frame.len to %d'
                               % (summ.get('bytes'), ref['bytes']))
    n, matched, explained, bad = compare(ref, ours, nrec)
    res['explained'] = explained
    res['fail'] += ['MISMATCH ' + b for b in bad]
    res['info'] = ('exit %d, %d frames, %d records, %d conversations: %d matched, %d explained, '
                   '%d mismatched; mamori %.2f s, tshark %.2f s'
                   % (rc, ref['frames'], nrows, n, matched, len(explained), len(bad),
                      m_elapsed, t_elapsed))
    res['counts'] = (n, matched, len(explained), len(bad))
    if not verbose:
        shutil.rmtree(tmp, ignore_errors=True)
    else:
        res['info'] += ' [kept %s]' % tmp
    return res


def find_captures(root):
    out = []
    for dirpath, _dirs, files in os.walk(root):
        for name in files:
            low = name.lower()
            if low.endswith(('.pcap', '.pcapng', '.cap', '.pcap.gz', '.pcapng.gz')):
                full = os.path.join(dirpath, name)
                out.append((os.path.relpath(full, root), full))
    return sorted(out)


def gen_scenarios(mamori, tmpbase):
    """Writes every scenario of `mamori gen-scenario --list` (seed 1) under tmpbase."""
    p = subprocess.run([mamori, 'gen-scenario', '--list'], stdout=subprocess.PIPE,
                       stderr=subprocess.PIPE, timeout=60)
    out = []
    for line in p.stdout.decode('utf-8', 'replace').splitlines():
        if not line.strip() or line[0].isspace():
            continue
        name = line.split()[0]
        path = os.path.join(tmpbase, 'scenario-%s.pcap' % name)
        cmd = [mamori, 'gen-scenario', name, '-o', path, '--seed', '1']
        if name == 'flood':
            cmd += ['--packets', '20000']
        g = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, timeout=300)
        if g.returncode == 0 and os.path.exists(path):
            out.append(('scenario/' + name, path))
        else:
            print('not ok scenario/%s: gen-scenario exited %d: %s'
                  % (name, g.returncode, g.stderr.decode('utf-8', 'replace').strip()[:300]))
            out.append(('scenario/' + name, path))  # fails again, visibly, in run_one
    return out


def main():
    ap = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    ap.add_argument('--mamori', default=os.environ.get('MAMORI'))
    ap.add_argument('--shared', default=os.environ.get('MAMORI_SHARED'))
    ap.add_argument('--jobs', type=int, default=os.cpu_count() or 1)
    ap.add_argument('-v', '--verbose', action='store_true',
                    help='list explained differences and keep the temporary databases')
    ap.add_argument('--scenarios', action='store_true',
                    help='also compare the synthetic captures of `mamori gen-scenario --list` '
                         '(flood made with --packets 20000)')
    ap.add_argument('--tshark-only', action='store_true',
                    help='only check this script against tshark\'s own tables (no mamori)')
    ap.add_argument('captures', nargs='*')
    args = ap.parse_args()
    if args.tshark_only:
        args.mamori = '/bin/true'
    if not args.mamori or not os.access(args.mamori, os.X_OK):
        print('oracle: no mamori binary (--mamori PATH or $MAMORI): %r' % args.mamori,
              file=sys.stderr)
        return 2
    mamori = os.path.abspath(args.mamori)
    if args.captures:
        caps = [(c, os.path.abspath(c)) for c in args.captures]
        # keep the malformed/ tolerance for files named from the corpus
        caps = [(re.sub(r'^.*?/data/pcap/', '', full) if '/data/pcap/' in full else lbl, full)
                for lbl, full in caps]
    else:
        shared = args.shared or os.path.join(HERE, '..', '..', '..', 'shared')
        root = os.path.join(shared, 'data', 'pcap')
        if os.path.isdir(root):
            os.environ.setdefault('MAMORI_SHARED', os.path.abspath(shared))
            caps = find_captures(root)
        elif args.scenarios:
            print('# capture corpus not found at %s: synthetic scenarios only' % root)
            caps = []
        else:
            print('SKIP: capture corpus not found at %s (set MAMORI_SHARED)' % root)
            return 77
    if not shutil.which('tshark'):
        print('SKIP: tshark not installed (apt-get install tshark)')
        return 77
    tmpbase = tempfile.mkdtemp(prefix='mamori-oracle-')
    if args.scenarios and not args.tshark_only:
        caps += gen_scenarios(mamori, tmpbase)
    t0 = time.monotonic()
    results = {}
    with concurrent.futures.ThreadPoolExecutor(max_workers=max(1, args.jobs)) as ex:
        futs = {ex.submit(run_one, full, lbl, mamori, tmpbase, args.verbose): lbl
                for lbl, full in caps}
        for fut in concurrent.futures.as_completed(futs):
            lbl = futs[fut]
            try:
                results[lbl] = fut.result()
            except Exception as e:  # a bug here must not hide the other files
                results[lbl] = {'label': lbl, 'fail': ['oracle error: %r' % e],
                                'explained': [], 'info': ''}
    nfail = 0
    tot = [0, 0, 0, 0]
    for lbl, _full in caps:
        r = results[lbl]
        status = 'not ok' if r['fail'] else 'ok'
        nfail += bool(r['fail'])
        for i, v in enumerate(r.get('counts', (0, 0, 0, 0))):
            tot[i] += v
        print('%s %s: %s%s' % (status, lbl, r['info'],
                               ('; ' + r['eve']) if r.get('eve') else ''))
        for line in r['fail'][:MAX_LIST]:
            print('    ' + line.replace('\n', '\n    '))
        if len(r['fail']) > MAX_LIST:
            print('    ... %d more' % (len(r['fail']) - MAX_LIST))
        if args.verbose:
            for line in r['explained']:
                print('    explained: ' + line)
        elif r['explained']:
            print('    (%d explained differences; -v lists them)' % len(r['explained']))
    if not args.verbose:
        shutil.rmtree(tmpbase, ignore_errors=True)
    print('oracle: %d captures, %d failed; conversations %d: %d matched, %d explained, '
          '%d mismatched; %.1f s' % (len(caps), nfail, tot[0], tot[1], tot[2], tot[3],
                                     time.monotonic() - t0))
    return 1 if nfail else 0


if __name__ == '__main__':
    sys.exit(main())
