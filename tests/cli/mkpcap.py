#!/usr/bin/python3
"""mkpcap.py - craft small captures, good and bad, for the CLI tests.

usage: mkpcap.py KIND OUT [N]
  good        N (default 20) Ethernet/IPv4 packets: a TCP handshake+data+FIN exchange on
              10.0.0.1:40000 <-> 10.0.0.2:80 and UDP DNS-like pairs 10.0.0.1:5000+i <-> 10.0.0.53:53
  snapcut     like good, but every frame's captured length is cut to 54 bytes (snaplen 54)
              while the record keeps the wire length: all headers are still complete
  absurd      a valid header + one good record + a record whose caplen is 0xFFFFFFF0
  linktype    one packet, link type N (e.g. 147 or 9999)
  ng-unknown  pcapng: SHB, IDB (Ethernet), a block of unknown type 0x0BADB10C, then 3 EPBs
  ng-badlen   pcapng: SHB, IDB, then an EPB whose block total length is 7 (not a multiple of 4)
  big         N packets (default 400000) over N/4 UDP flows, 1 ms apart: flows go idle and are
              ended (hence committed) all along the read
The totals of `good`/`snapcut` are printed on stdout as "packets P bytes B" (wire bytes).
"""
import struct
import sys

ETH_SRC = bytes.fromhex('020000000001')
ETH_DST = bytes.fromhex('020000000002')


def csum(b):
    if len(b) % 2:
        b += b'\0'
    s = sum(struct.unpack('!%dH' % (len(b) // 2), b))
    while s >> 16:
        s = (s & 0xffff) + (s >> 16)
    return (~s) & 0xffff


def ipv4(src, dst, proto, payload, ident=1):
    hdr = struct.pack('!BBHHHBBH4s4s', 0x45, 0, 20 + len(payload), ident & 0xffff, 0x4000, 64,
                      proto, 0, bytes(src), bytes(dst))
    hdr = hdr[:10] + struct.pack('!H', csum(hdr)) + hdr[12:]
    return hdr + payload


def eth(payload, src=ETH_SRC, dst=ETH_DST):
    return dst + src + b'\x08\x00' + payload


def tcp(sp, dp, seq, ack, flags, data=b''):
    return struct.pack('!HHIIBBHHH', sp, dp, seq, ack, 5 << 4, flags, 65535, 0, 0) + data


def udp(sp, dp, data):
    return struct.pack('!HHHH', sp, dp, 8 + len(data), 0) + data


A = (10, 0, 0, 1)
B = (10, 0, 0, 2)
DNS = (10, 0, 0, 53)


def good_frames(n):
    """Returns a list of (ts_us, frame). A TCP exchange then UDP pairs."""
    frames = []
    t = 1_700_000_000_000_000
    syn, fin, ack, psh = 0x02, 0x01, 0x10, 0x08
    conv = [
        (A, B, tcp(40000, 80, 100, 0, syn)),
        (B, A, tcp(80, 40000, 500, 101, syn | ack)),
        (A, B, tcp(40000, 80, 101, 501, ack)),
        (A, B, tcp(40000, 80, 101, 501, psh | ack, b'GET / HTTP/1.0\r\n\r\n')),
        (B, A, tcp(80, 40000, 501, 119, psh | ack, b'HTTP/1.0 200 OK\r\n\r\n' + b'x' * 300)),
        (A, B, tcp(40000, 80, 119, 820, fin | ack)),
        (B, A, tcp(80, 40000, 820, 120, fin | ack)),
        (A, B, tcp(40000, 80, 120, 821, ack)),
    ]
    for i, (s, d, seg) in enumerate(conv[:n]):
        frames.append((t, eth(ipv4(s, d, 6, seg, i))))
        t += 1000
    i = 0
    while len(frames) < n:
        q = udp(5000 + i, 53, b'\x12\x34\x01\x00\x00\x01' + b'\0' * 6 + b'\x01a\x00\x00\x01\x00\x01')
        frames.append((t, eth(ipv4(A, DNS, 17, q, 100 + i))))
        t += 1000
        if len(frames) < n:
            frames.append((t, eth(ipv4(DNS, A, 17, udp(53, 5000 + i, b'\x12\x34\x81\x80' + b'\0' * 40),
                                       200 + i), ETH_DST, ETH_SRC)))
            t += 1000
        i += 1
    return frames


def pcap_header(linktype=1, snaplen=65535):
    return struct.pack('<IHHiIII', 0xa1b2c3d4, 2, 4, 0, 0, snaplen, linktype)


def record(ts_us, data, wire=None):
    wire = len(data) if wire is None else wire
    return struct.pack('<IIII', ts_us // 1_000_000, ts_us % 1_000_000, len(data), wire) + data


def ng_block(btype, body):
    body += b'\0' * (-len(body) % 4)
    total = 12 + len(body)
    return struct.pack('<II', btype, total) + body + struct.pack('<I', total)


def ng_shb():
    return ng_block(0x0A0D0D0A, struct.pack('<IHHq', 0x1A2B3C4D, 1, 0, -1))


def ng_idb(linktype=1, snaplen=65535):
    return ng_block(0x00000001, struct.pack('<HHI', linktype, 0, snaplen))


def ng_epb(ts_us, data):
    body = struct.pack('<IIIII', 0, ts_us >> 32, ts_us & 0xffffffff, len(data), len(data)) + data
    return ng_block(0x00000006, body)


def main():
    if len(sys.argv) < 3:
        sys.stderr.write(__doc__)
        return 2
    kind, out = sys.argv[1], sys.argv[2]
    n = int(sys.argv[3]) if len(sys.argv) > 3 else None
    buf = bytearray()
    if kind in ('good', 'snapcut'):
        frames = good_frames(n or 20)
        cut = 54 if kind == 'snapcut' else None
        buf += pcap_header(snaplen=cut or 65535)
        wire_total = 0
        for ts, fr in frames:
            wire_total += len(fr)
            buf += record(ts, fr[:cut] if cut else fr, len(fr))
        print('packets %d bytes %d' % (len(frames), wire_total))
    elif kind == 'absurd':
        ts, fr = good_frames(1)[0]
        buf += pcap_header() + record(ts, fr)
        buf += struct.pack('<IIII', ts // 1_000_000 + 1, 0, 0xFFFFFFF0, 0xFFFFFFF0) + fr
    elif kind == 'linktype':
        ts, fr = good_frames(1)[0]
        buf += pcap_header(linktype=n if n is not None else 147) + record(ts, fr)
    elif kind == 'ng-unknown':
        buf += ng_shb() + ng_idb()
        buf += ng_block(0x0BADB10C, b'unknown block body, must be skipped')
        for ts, fr in good_frames(3):
            buf += ng_epb(ts, fr)
    elif kind == 'ng-badlen':
        buf += ng_shb() + ng_idb()
        ts, fr = good_frames(1)[0]
        buf += ng_epb(ts, fr)
        buf += struct.pack('<II', 6, 7) + b'\0' * 32
    elif kind == 'big':
        n = n or 400000
        t = 1_700_000_000_000_000
        buf += pcap_header()
        nflows = max(1, n // 4)
        for i in range(n):
            f = i % nflows
            src = (10, 1, (f >> 8) & 0xff, f & 0xff)
            dst = (10, 2, 0, 1 + (i // nflows) % 2)
            pl = udp(1024 + (f % 60000), 53, b'q' * 32)
            buf += record(t, eth(ipv4(src, dst, 17, pl, i)))
            t += 1000
    else:
        sys.stderr.write('mkpcap: unknown kind %r\n' % kind)
        return 2
    with open(out, 'wb') as f:
        f.write(buf)
    return 0


if __name__ == '__main__':
    sys.exit(main())
