#!/usr/bin/python3
"""devices-oracle.py - cross-check mamori's device inventory with tshark on real captures.

usage: devices-oracle.py --mamori PATH [--shared DIR] [--jobs N] [--max-mb N] [--tshark-only]
                         [-v] [CAPTURE...]

For every Ethernet capture under SHARED/data/pcap (SHARED from --shared, else env
MAMORI_SHARED, else <repo>/../shared), except malformed/ and files above --max-mb (default 30)
MiB, or for the captures named:
  1. `mamori read --db TMP/x.db CAPTURE` into a fresh database, then
     `mamori devices --db TMP/x.db --json` (one JSON object per device and line);
  2. one tshark 4.0 pass printing per frame the fields in FIELDS;
  3. the checks below. Each capture gets a line of the table; every disagreement is printed
     (capture, MAC or address, what tshark shows, what mamori shows).

"Local" = mamori's default home networks (10/8, 172.16/12, 192.168/16, 169.254/16, fc00::/7,
fe80::/10) plus the unspecified addresses 0.0.0.0 and :: (a DHCP client or an IPv6 node doing
duplicate address detection before it has an address; inventory.h counts both).
A MAC is a station when it is unicast (I/G bit clear) and not all-zero.

  C1 missing  every station that is the outermost eth.src of a frame whose outermost IP source
              (first ip/ipv6 layer after it: the tunnel's outer header, never the inner one;
              the sender's header, never the one quoted in an ICMP error) is local, and every
              station that is arp.src.hw_mac with a local or 0.0.0.0 arp.src.proto_ipv4, is in
              some device's macs[]. Inner Ethernet headers (VXLAN...) belong to another
              segment: not required, but they do count as "seen" for C4.
  C2 dhcp     every option-12 hostname a client sent (BOOTREQUEST, dhcp.type == 1) is in the
              hostnames[] of the device whose macs[] holds the chaddr (dhcp.hw.mac_addr),
              case-insensitively.
  C3 nbns     every unique (not group) NetBIOS name of type <00> or <20> that a host with local
              source address X registered or refreshed (request, opcode 5, 8, 9 or 15), or gave
              in a positive name query answer about itself (response, opcode 0, rcode 0,
              nbns.addr == X: inventory.h counts answers too), is in the hostnames[] of a device
              whose ips[] holds X; suffix <xx> and trailing blanks stripped, case-insensitive.
  C4 phantom  every MAC in every device's macs[] was seen by tshark as a frame source (any
              eth.src occurrence, or an ARP sender hardware address). A device none of whose
              MACs was seen is a phantom device (e.g. ARP-sweep targets); a single unseen MAC
              grouped into a real device is a phantom MAC. Both fail.
  C5 ips      every address in a device's ips[] was used by one of its MACs: the outermost
              local IP source of a frame that MAC sent, its ARP sender address, or the address
              a DHCP ACK gave to it (dhcp.ip.your for that chaddr). Catches addresses pinned on
              the wrong device (a destination's, an ARP target's, a forwarded frame's inner one).

When names[] ({name, source}) is present, a checked name whose source differs from the
expected one (dhcp / nbns) is printed as a note; it does not fail the run.
Pass (exit 0) when every check holds on every capture, apart from EXCEPTIONS below; 1 otherwise;
77 (skip) when the corpus or tshark is absent. --tshark-only prints what tshark expects and
does not run mamori (for studying the corpus).
"""
import argparse
import concurrent.futures
import ipaddress
import json
import os
import re
import shutil
import struct
import subprocess
import sys
import tempfile

# Documented exceptions: (capture relative to data/pcap, check, key, reason). key is the MAC
# (C1, C4), "mac name" (C2), "ip name" (C3) or "mac ip" (C5) as a disagreement line prints it.
# Only genuine interpretation differences between tshark and mamori belong here.
EXCEPTIONS = [
]

# C3 also counts a positive name query answer a host gives about itself, since inventory.h
# documents INS_NBNS as "NetBIOS name registration/answer". False limits C3 to registrations and
# refreshes (the minimum the issue asks for).
NBNS_ANSWERS = True

HOME = [ipaddress.ip_network(n) for n in (
    '10.0.0.0/8', '172.16.0.0/12', '192.168.0.0/16', '169.254.0.0/16', 'fc00::/7', 'fe80::/10')]

FIELDS = ['frame.number', 'frame.encap_type', 'frame.protocols', 'eth.src', 'ip.src', 'ipv6.src',
          'arp.src.hw_mac', 'arp.src.proto_ipv4', 'dhcp.type', 'dhcp.hw.mac_addr',
          'dhcp.option.hostname', 'nbns.flags.opcode', 'nbns.flags.response', 'nbns.flags.rcode',
          'nbns.name', 'nbns.nb_flags.group', 'nbns.addr', 'dhcp.option.dhcp', 'dhcp.ip.your']

# Occurrences of a field are joined with the unit separator (names may hold commas).
SEP = '\x1f'

# Link types of the pcap/pcapng headers that are Ethernet.
LINKTYPE_ETHERNET = 1

NBNS_REG_OPCODES = ('5', '8', '9', '15')
NB_NAME_RE = re.compile(r'^(.*)<([0-9A-Fa-f]{2})>( \(.*\))?$', re.S)


def occ(v):
    return [x for x in v.split(SEP) if x != ''] if v else []


def norm_mac(s):
    return s.strip().lower().replace('-', ':')


def is_station(mac):
    """Unicast (I/G bit clear) and not all-zero."""
    try:
        b = bytes(int(x, 16) for x in mac.split(':'))
    except ValueError:
        return False
    return len(b) == 6 and not b[0] & 1 and b != bytes(6)


def norm_ip(s):
    try:
        return str(ipaddress.ip_address(s.strip()))
    except ValueError:
        return s.strip()


def is_local(s):
    try:
        a = ipaddress.ip_address(s.strip())
    except ValueError:
        return False
    if a.is_unspecified:
        return True
    return any(a.version == n.version and a in n for n in HOME)


def link_types(path):
    """The link types in the capture's headers (pcap: one; pcapng: one per interface), or
    None when the header cannot be read (then tshark's per-frame encapsulation decides)."""
    try:
        with open(path, 'rb') as fh:
            head = fh.read(24)
            if len(head) < 24:
                return None
            magic = head[:4]
            if magic in (b'\xd4\xc3\xb2\xa1', b'\x4d\x3c\xb2\xa1'):
                return {struct.unpack('<I', head[20:24])[0] & 0xffff}
            if magic in (b'\xa1\xb2\xc3\xd4', b'\xa1\xb2\x3c\x4d'):
                return {struct.unpack('>I', head[20:24])[0] & 0xffff}
            if magic != b'\x0a\x0d\x0d\x0a':
                return None
            fh.seek(0)
            types = set()
            order = '<'
            for _ in range(10000):  # interfaces are described before their first packet
                bh = fh.read(8)
                if len(bh) < 8:
                    break
                btype = struct.unpack('<I', bh[:4])[0]
                if btype == 0x0a0d0d0a:
                    bom = fh.read(4)
                    order = '<' if bom == b'\x4d\x3c\x2b\x1a' else '>'
                    blen = struct.unpack(order + 'I', bh[4:])[0]
                    rest = 4
                else:
                    btype, blen = struct.unpack(order + 'II', bh)
                    rest = 0
                    if btype == 1:
                        types.add(struct.unpack(order + 'H', fh.read(2))[0])
                        rest = 2
                    elif btype in (2, 3, 6):
                        break  # packets from here on
                if blen < 12 or blen % 4:
                    return None
                fh.seek(blen - 8 - rest, os.SEEK_CUR)
            return types or None
    except OSError:
        return None


class Expect:
    """What tshark shows in one capture."""

    def __init__(self):
        self.required = {}       # station MAC -> first frame number and why (C1)
        self.seen = set()        # every source MAC (C4)
        self.dhcp = {}           # (chaddr, lower name) -> (frame, name as sent) (C2)
        self.nbns = {}           # (ip, lower name) -> (frame, name, src MAC, how) (C3)
        self.ips = {}            # MAC -> local addresses tshark ties to it (C5)
        self.ether_frames = 0
        self.frames = 0


def tshark_expect(path):
    cmd = ['tshark', '-n', '-r', path, '-T', 'fields', '-E', 'separator=\t',
           '-E', 'occurrence=a', '-E', 'aggregator=' + SEP]
    for f in FIELDS:
        cmd += ['-e', f]
    p = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, timeout=900)
    ex = Expect()
    for line in p.stdout.decode('utf-8', 'replace').splitlines():
        v = line.split('\t')
        if len(v) < len(FIELDS):
            v += [''] * (len(FIELDS) - len(v))
        r = dict(zip(FIELDS, v))
        ex.frames += 1
        if r['frame.encap_type'] != str(LINKTYPE_ETHERNET):
            continue
        ex.ether_frames += 1
        fno = r['frame.number']
        srcs = [norm_mac(m) for m in occ(r['eth.src'])]
        ex.seen.update(srcs)
        arp_mac = norm_mac((occ(r['arp.src.hw_mac']) or [''])[0])
        arp_ip = (occ(r['arp.src.proto_ipv4']) or [''])[0]
        if arp_mac:
            ex.seen.add(arp_mac)
            if is_station(arp_mac) and arp_ip and is_local(arp_ip):
                ex.required.setdefault(arp_mac, (fno, 'ARP sender %s' % arp_ip))
                ex.ips.setdefault(arp_mac, set()).add(norm_ip(arp_ip))
        # The outermost IP source: the first ip/ipv6 layer in the protocol stack.
        prot = r['frame.protocols'].split(':')
        outer = next((x for x in prot if x in ('ip', 'ipv6')), None)
        src_ip = ''
        if outer == 'ip':
            src_ip = (occ(r['ip.src']) or [''])[0]
        elif outer == 'ipv6':
            src_ip = (occ(r['ipv6.src']) or [''])[0]
        if srcs and is_station(srcs[0]) and src_ip and is_local(src_ip):
            ex.required.setdefault(srcs[0], (fno, 'IP source %s' % norm_ip(src_ip)))
            ex.ips.setdefault(srcs[0], set()).add(norm_ip(src_ip))
        # C5: a DHCP ACK's address belongs to the client it names.
        if occ(r['dhcp.option.dhcp'])[:1] == ['5'] and occ(r['dhcp.ip.your']):
            chaddr = norm_mac((occ(r['dhcp.hw.mac_addr']) or [''])[0])
            if chaddr:
                ex.ips.setdefault(chaddr, set()).add(norm_ip(occ(r['dhcp.ip.your'])[0]))
        # C2: option 12 of a client's BOOTREQUEST.
        if r['dhcp.type'] == '1' or occ(r['dhcp.type'])[:1] == ['1']:
            chaddr = norm_mac((occ(r['dhcp.hw.mac_addr']) or [''])[0])
            for h in occ(r['dhcp.option.hostname']):
                if chaddr and h.strip():
                    ex.dhcp.setdefault((chaddr, h.strip().lower()), (fno, h.strip()))
        # C3: NetBIOS names a host claims for itself.
        if r['nbns.flags.opcode'] and outer == 'ip':
            opcode = occ(r['nbns.flags.opcode'])[0]
            resp = occ(r['nbns.flags.response'])[:1] in (['1'], ['True'])
            rcode = (occ(r['nbns.flags.rcode']) or ['0'])[0]
            x = norm_ip(src_ip)
            addrs = [norm_ip(a) for a in occ(r['nbns.addr'])]
            groups = occ(r['nbns.nb_flags.group'])
            how = None
            if not resp and opcode in NBNS_REG_OPCODES:
                how = 'registration' if opcode in ('5', '15') else 'refresh'
            elif NBNS_ANSWERS and resp and opcode == '0' and rcode == '0' and x in addrs:
                how = 'answer'
            if how and is_local(x) and not ipaddress.ip_address(x).is_unspecified \
                    and groups and all(g in ('0', 'False') for g in groups):
                # A registration carries the name twice (question and additional record);
                # an answer once. Take the first.
                m = NB_NAME_RE.match(occ(r['nbns.name'])[0])
                if m and m.group(2).lower() in ('00', '20'):
                    name = m.group(1).rstrip(' ')
                    if name and name != '*':
                        ex.nbns.setdefault((x, name.lower()),
                                           (fno, name, srcs[0] if srcs else '', how))
    return ex


def mamori_devices(mamori, path, tmp, idx):
    db = os.path.join(tmp, 'cap%03d.db' % idx)
    p = subprocess.run([mamori, 'read', '--quiet', '--db', db, path], stdout=subprocess.PIPE,
                       stderr=subprocess.PIPE, timeout=900)
    err = p.stderr.decode('utf-8', 'replace')
    if p.returncode != 0:
        return None, 'mamori read: exit %d: %s' % (p.returncode, err.strip()[:300])
    if 'Sanitizer' in err or 'runtime error:' in err:
        return None, 'mamori read: sanitizer report: ' + err[:2000]
    p = subprocess.run([mamori, 'devices', '--db', db, '--json'], stdout=subprocess.PIPE,
                       stderr=subprocess.PIPE, timeout=300)
    err = p.stderr.decode('utf-8', 'replace')
    if p.returncode != 0:
        return None, 'mamori devices: exit %d: %s' % (p.returncode, err.strip()[:300])
    if 'Sanitizer' in err or 'runtime error:' in err:
        return None, 'mamori devices: sanitizer report: ' + err[:2000]
    devs = []
    for n, line in enumerate(p.stdout.decode('utf-8', 'replace').splitlines(), 1):
        if not line.strip():
            continue
        try:
            d = json.loads(line)
        except ValueError as e:
            return None, 'mamori devices --json line %d is not JSON (%s): %s' % (n, e, line[:200])
        if not isinstance(d, dict) or not isinstance(d.get('mac'), str):
            return None, 'mamori devices --json line %d has no "mac": %s' % (n, line[:200])
        d['mac'] = norm_mac(d['mac'])
        macs = [norm_mac(m) for m in d.get('macs') or [] if isinstance(m, str)]
        if d['mac'] not in macs:
            macs.insert(0, d['mac'])
        d['macs'] = macs
        d['ips'] = [norm_ip(i) for i in d.get('ips') or [] if isinstance(i, str)]
        d['hostnames'] = [h for h in d.get('hostnames') or [] if isinstance(h, str)]
        devs.append(d)
    return devs, None


def describe(d):
    """A device as mamori shows it, for disagreement lines."""
    names = ','.join(d['hostnames']) or '-'
    ips = ','.join(d['ips'][:6]) + (',...' if len(d['ips']) > 6 else '') or '-'
    extra = ' macs=%s' % ','.join(d['macs']) if len(d['macs']) > 1 else ''
    return 'device %s%s ips=%s hostnames=%s' % (d['mac'], extra, ips, names)


def name_sources(d, lname):
    return sorted({n.get('source', '?') for n in d.get('names') or []
                   if isinstance(n, dict) and str(n.get('name', '')).lower() == lname})


def compare(name, ex, devs):
    """Returns (row, failures, notes); failures are (check, key, text)."""
    by_mac = {}
    for d in devs:
        for m in d['macs']:
            by_mac.setdefault(m, d)
    fails, notes = [], []
    # C1
    missing = 0
    for mac, (fno, why) in sorted(ex.required.items()):
        if mac not in by_mac:
            missing += 1
            fails.append(('C1', mac, 'missing: tshark frame %s from %s (%s); mamori lists no '
                          'device with this MAC' % (fno, mac, why)))
    # C4
    phantom_dev = phantom_mac = 0
    for d in devs:
        unseen = [m for m in d['macs'] if m not in ex.seen]
        if len(unseen) == len(d['macs']):
            phantom_dev += 1
            fails.append(('C4', d['mac'], 'phantom device: tshark never sees %s as a frame '
                          'source; mamori: %s' % (', '.join(unseen), describe(d))))
        else:
            for m in unseen:
                phantom_mac += 1
                fails.append(('C4', m, 'phantom MAC: tshark never sees %s as a frame source; '
                              'mamori groups it into %s' % (m, describe(d))))
    # C5
    bad_ips = 0
    for d in devs:
        used = set()
        for m in d['macs']:
            used |= ex.ips.get(m, set())
        for ip in d['ips']:
            if ip not in used and not ipaddress.ip_address(ip).is_unspecified:
                bad_ips += 1
                fails.append(('C5', '%s %s' % (d['mac'], ip),
                              'foreign address: tshark never sees %s used by %s (it uses %s); '
                              'mamori: %s' % (ip, ','.join(d['macs']),
                                              ','.join(sorted(used)) or 'none', describe(d))))
    # C2
    dhcp_ok = 0
    for (mac, lname), (fno, h) in sorted(ex.dhcp.items()):
        d = by_mac.get(mac)
        key = '%s %s' % (mac, h)
        if d is None:
            fails.append(('C2', key, 'dhcp: tshark frame %s: %s sent hostname "%s"; mamori has '
                          'no device with this MAC' % (fno, mac, h)))
        elif lname not in (x.lower() for x in d['hostnames']):
            fails.append(('C2', key, 'dhcp: tshark frame %s: %s sent hostname "%s"; mamori: %s'
                          % (fno, mac, h, describe(d))))
        else:
            dhcp_ok += 1
            src = name_sources(d, lname)
            if d.get('names') and 'dhcp' not in src:
                notes.append('note: %s: "%s" of %s has names[] source %s, not dhcp'
                             % (name, h, mac, ','.join(src) or 'none'))
    # C3
    nbns_ok = 0
    for (ip, lname), (fno, nb, smac, how) in sorted(ex.nbns.items()):
        cands = [d for d in devs if ip in d['ips']]
        key = '%s %s' % (ip, nb)
        if not cands:
            holder = by_mac.get(smac)
            fails.append(('C3', key, 'nbns: tshark frame %s: %s (%s) %s "%s"; mamori has no '
                          'device with ip %s%s' % (fno, ip, smac, how, nb, ip,
                                                   ('; the sender MAC is ' + describe(holder))
                                                   if holder else '')))
        elif not any(lname in (x.lower() for x in d['hostnames']) for d in cands):
            fails.append(('C3', key, 'nbns: tshark frame %s: %s (%s) %s "%s"; mamori: %s'
                          % (fno, ip, smac, how, nb, ' | '.join(describe(d) for d in cands))))
        else:
            nbns_ok += 1
            srcs = set()
            for d in cands:
                srcs.update(name_sources(d, lname))
            if any(d.get('names') for d in cands) and 'nbns' not in srcs:
                notes.append('note: %s: "%s" of %s has names[] source %s, not nbns'
                             % (name, nb, ip, ','.join(sorted(srcs)) or 'none'))
    row = (len(ex.required), len(devs), missing, phantom_dev, phantom_mac, bad_ips,
           dhcp_ok, len(ex.dhcp), nbns_ok, len(ex.nbns))
    return row, fails, notes


def excepted(name, check, key):
    for cap, c, k, _ in EXCEPTIONS:
        if cap == name and c == check and k.lower() == key.lower():
            return True
    return False


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('--mamori')
    ap.add_argument('--shared')
    ap.add_argument('--jobs', type=int, default=min(os.cpu_count() or 2, 2))
    ap.add_argument('--max-mb', type=float, default=30.0)
    ap.add_argument('--tshark-only', action='store_true')
    ap.add_argument('-v', action='store_true')
    ap.add_argument('captures', nargs='*')
    a = ap.parse_args()
    if not a.mamori and not a.tshark_only:
        ap.error('--mamori is required (or --tshark-only)')
    if not shutil.which('tshark'):
        print('SKIP: tshark not installed (apt-get install tshark)')
        return 77
    shared = a.shared or os.environ.get('MAMORI_SHARED') or os.path.join(
        os.path.dirname(os.path.abspath(__file__)), '..', '..', '..', 'shared')
    root = os.path.realpath(os.path.join(shared, 'data', 'pcap'))
    caps, skipped = [], []
    if a.captures:
        caps = [os.path.realpath(c) for c in a.captures]
    elif not os.path.isdir(root):
        print('SKIP: capture corpus not found at %s (set MAMORI_SHARED)' % root)
        return 77
    else:
        for d, dirs, fs in os.walk(root):
            dirs.sort()
            for f in sorted(fs):
                if f.endswith(('.pcap', '.pcapng', '.pcap.gz', '.pcapng.gz')):
                    caps.append(os.path.join(d, f))

    def label(p):
        return os.path.relpath(p, root) if p.startswith(root + os.sep) else os.path.basename(p)

    todo = []
    for c in caps:
        n = label(c)
        if not a.captures and n.startswith('malformed' + os.sep):
            skipped.append((n, 'malformed/ (crafted broken frames, not a LAN)'))
            continue
        size = os.path.getsize(c)
        if size > a.max_mb * 1024 * 1024:
            skipped.append((n, 'larger than %g MiB (%.1f MiB)' % (a.max_mb, size / 1048576.0)))
            continue
        lt = None if c.endswith('.gz') else link_types(c)
        if lt is not None and LINKTYPE_ETHERNET not in lt:
            skipped.append((n, 'not Ethernet (link type %s)' % ','.join(map(str, sorted(lt)))))
            continue
        todo.append(c)

    tmp = tempfile.mkdtemp(prefix='mamori-devices-oracle.')
    try:
        def one(item):
            idx, c = item
            ex = tshark_expect(c)
            if a.tshark_only:
                return c, ex, None, None
            devs, err = mamori_devices(a.mamori, c, tmp, idx)
            return c, ex, devs, err

        hdr = '%-58s %6s %6s %7s %7s %5s %7s %7s' % ('capture', 'tshark', 'mamori', 'missing',
                                                      'phantom', 'ips', 'dhcp', 'nbns')
        print(hdr)
        print('%-58s %6s %6s %7s %7s %5s %7s %7s' % ('', 'MACs', 'devs', '', 'dev/mac',
                                                     'bad', 'ok/all', 'ok/all'))
        total_fail, total_exc, errors, notes_all = 0, 0, [], []
        sums = [0] * 10
        ncaps = 0
        with concurrent.futures.ThreadPoolExecutor(max_workers=max(1, a.jobs)) as pool:
            for c, ex, devs, err in pool.map(one, enumerate(todo)):
                n = label(c)
                if ex.ether_frames == 0:
                    skipped.append((n, 'no Ethernet frames'))
                    continue
                ncaps += 1
                if a.tshark_only:
                    print('%-58s %6d %6s %7s %7s %5s %7s %7s'
                          % (n, len(ex.required), '-', '-', '-', '-', '-/%d' % len(ex.dhcp),
                             '-/%d' % len(ex.nbns)))
                    if a.v:
                        for mac, (fno, why) in sorted(ex.required.items()):
                            print('    station %s  frame %s  %s' % (mac, fno, why))
                        for (mac, _), (fno, h) in sorted(ex.dhcp.items()):
                            print('    dhcp    %s  frame %s  "%s"' % (mac, fno, h))
                        for (ip, _), (fno, nb, smac, how) in sorted(ex.nbns.items()):
                            print('    nbns    %s (%s)  frame %s  %s "%s"'
                                  % (ip, smac, fno, how, nb))
                    continue
                if err:
                    errors.append('%s: %s' % (n, err))
                    print('%-58s ERROR %s' % (n, err[:200]))
                    continue
                row, fails, notes = compare(n, ex, devs)
                sums = [s + r for s, r in zip(sums, row)]
                print('%-58s %6d %6d %7d %3d/%-3d %5d %3d/%-3d %3d/%-3d' % ((n,) + row))
                for check, key, text in fails:
                    if excepted(n, check, key):
                        total_exc += 1
                        if a.v:
                            print('    [excepted] %s %s' % (check, text))
                    else:
                        total_fail += 1
                        print('    FAIL %s %s: %s' % (check, n, text))
                notes_all += notes
                if a.v:
                    for d in devs:
                        print('    mamori: %s' % describe(d))
        print()
        for n, why in skipped:
            print('skipped %-50s %s' % (n, why))
        for note in notes_all:
            print(note)
        if a.tshark_only:
            return 0
        print()
        print('%d captures: tshark %d stations, mamori %d devices, %d missing, %d phantom '
              'devices, %d phantom MACs, %d foreign addresses, dhcp names %d/%d, '
              'nbns names %d/%d'
              % ((ncaps,) + tuple(sums)))
        print('%d disagreements (%d more excepted at the top of %s), %d errors'
              % (total_fail, total_exc, os.path.basename(__file__), len(errors)))
        for e in errors:
            print('ERROR', e)
        return 0 if total_fail == 0 and not errors else 1
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == '__main__':
    sys.exit(main())
