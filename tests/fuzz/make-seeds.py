#!/usr/bin/env python3
"""make-seeds.py - writes the seed corpora under tests/fuzz/corpus/<target>/.

Every seed is built here from scratch with struct (documentation addresses:
192.0.2.0/24, 198.51.100.0/24, 2001:db8::/32, locally administered MACs), so
the repository ships no capture it did not make. The output is deterministic:
rerun after changing this file and commit the corpus with it.

Only the files named here are (re)written; anything else in a corpus
directory, in particular crash-* regression inputs, is left alone.

Usage: tests/fuzz/make-seeds.py [CORPUS_DIR]   (default: next to this file)
"""

import gzip
import os
import struct
import sys

# ---------------------------------------------------------------- helpers

MAC_A = bytes.fromhex("020000000001")
MAC_B = bytes.fromhex("020000000002")
V4_A = bytes([192, 0, 2, 1])
V4_B = bytes([198, 51, 100, 2])
V6_A = bytes.fromhex("20010db8000000000000000000000001")
V6_B = bytes.fromhex("20010db8000000000000000000000002")


def csum(data):
    """RFC 1071 Internet checksum."""
    if len(data) % 2:
        data += b"\0"
    s = sum(struct.unpack("!%dH" % (len(data) // 2), data))
    while s >> 16:
        s = (s & 0xFFFF) + (s >> 16)
    return (~s) & 0xFFFF


def eth(etype, payload, dst=MAC_B, src=MAC_A):
    return dst + src + struct.pack("!H", etype) + payload


def vlan_tag(tpid, vid, prio=0):
    """A tag as inserted before the real ethertype: TPID + TCI."""
    return struct.pack("!HH", tpid, (prio << 13) | vid)


def eth_tagged(tags, etype, payload):
    """tags: list of (tpid, vid), outermost first."""
    b = MAC_B + MAC_A
    for tpid, vid in tags:
        b += vlan_tag(tpid, vid)
    return b + struct.pack("!H", etype) + payload


def ipv4(proto, payload, src=V4_A, dst=V4_B, ttl=64, ident=0x1234, df=False, mf=False,
         frag_off=0, options=b"", total_len=None, ihl=None, version=4):
    if ihl is None:
        ihl = 5 + len(options) // 4
    if total_len is None:
        total_len = 20 + len(options) + len(payload)
    flags = (0x4000 if df else 0) | (0x2000 if mf else 0) | (frag_off // 8)
    hdr = struct.pack("!BBHHHBBH4s4s", (version << 4) | ihl, 0, total_len & 0xFFFF, ident,
                      flags, ttl, proto, 0, src, dst) + options
    c = csum(hdr)
    hdr = hdr[:10] + struct.pack("!H", c) + hdr[12:]
    return hdr + payload


def ipv6(nxt, payload, src=V6_A, dst=V6_B, hlim=64, plen=None, flow=0):
    if plen is None:
        plen = len(payload)
    return struct.pack("!IHBB", (6 << 28) | flow, plen & 0xFFFF, nxt, hlim) + src + dst + payload


def v6_opts_hdr(nxt, opts=b""):
    """Hop-by-hop or destination options header, PadN to a multiple of 8."""
    body = opts
    pad = (2 + len(body)) % 8
    if pad:
        n = 8 - pad
        body += b"\x00" if n == 1 else bytes([1, n - 2]) + b"\0" * (n - 2)
    return struct.pack("!BB", nxt, (2 + len(body)) // 8 - 1) + body


def v6_routing_hdr(nxt, addrs, rtype=0, segs_left=None):
    if segs_left is None:
        segs_left = len(addrs)
    body = b"\0\0\0\0" + b"".join(addrs)
    return struct.pack("!BBBB", nxt, len(addrs) * 2, rtype, segs_left) + body


def v6_frag_hdr(nxt, offset, more, ident):
    return struct.pack("!BBHI", nxt, 0, (offset // 8) << 3 | (1 if more else 0), ident)


def tcp(sport, dport, flags, payload=b"", seq=1000, ack=0, win=65535, options=b"", doff=None):
    if doff is None:
        doff = 5 + len(options) // 4
    return struct.pack("!HHIIBBHHH", sport, dport, seq, ack, doff << 4, flags, win, 0, 0) + \
        options + payload


SYN, ACK, FIN, RST, PSH = 0x02, 0x10, 0x01, 0x04, 0x08

# Linux SYN options: MSS 1460, SACK permitted, timestamps, NOP, window scale 7.
LINUX_SYN_OPTS = (bytes.fromhex("020405b4") + bytes.fromhex("0402") +
                  bytes.fromhex("080a") + struct.pack("!II", 123456, 0) +
                  bytes.fromhex("01030307"))


def udp(sport, dport, payload, length=None):
    if length is None:
        length = 8 + len(payload)
    return struct.pack("!HHHH", sport, dport, length & 0xFFFF, 0) + payload


def dns_query(name="example.com", qtype=1, ident=0x4D41):
    q = b"".join(bytes([len(p)]) + p.encode() for p in name.split(".")) + b"\0"
    return struct.pack("!HHHHHH", ident, 0x0100, 1, 0, 0, 0) + q + struct.pack("!HH", qtype, 1)


def icmp(typ, code, rest, payload=b""):
    b = struct.pack("!BBH", typ, code, 0) + rest + payload
    return b[:2] + struct.pack("!H", csum(b)) + b[4:]


def icmp_echo(typ, ident, seq, payload=b"mamori-ping-0123"):
    return icmp(typ, 0, struct.pack("!HH", ident, seq), payload)


def icmpv6(typ, code, rest, payload=b""):
    # Checksum left 0: it needs the pseudo header and decoders do not verify it.
    return struct.pack("!BBH", typ, code, 0) + rest + payload


def arp(op, sha=MAC_A, spa=V4_A, tha=b"\0" * 6, tpa=V4_B, htype=1, ptype=0x0800, hlen=6,
        plen=4):
    return struct.pack("!HHBBH", htype, ptype, hlen, plen, op) + sha + spa + tha + tpa


def gre(proto, payload, key=None, with_csum=False, seq=None, ver=0, routing=False):
    flags = (0x8000 if with_csum else 0) | (0x4000 if routing else 0) | \
        (0x2000 if key is not None else 0) | (0x1000 if seq is not None else 0) | ver
    b = struct.pack("!HH", flags, proto)
    if with_csum or routing:
        b += struct.pack("!HH", 0, 0)
    if key is not None:
        b += struct.pack("!I", key)
    if seq is not None:
        b += struct.pack("!I", seq)
    return b + payload


def vxlan(vni, inner, flags=0x08):
    return struct.pack("!B3sI", flags, b"\0\0\0", vni << 8) + inner


def sll(proto, payload, pkttype=0, hatype=1, addr=MAC_A):
    return struct.pack("!HHH", pkttype, hatype, len(addr)) + addr.ljust(8, b"\0")[:8] + \
        struct.pack("!H", proto) + payload


def sll2(proto, payload, ifindex=2, hatype=1, pkttype=0, addr=MAC_A):
    return struct.pack("!HHIHBB", proto, 0, ifindex, hatype, pkttype, len(addr)) + \
        addr.ljust(8, b"\0")[:8] + payload


def null_hdr(family, payload, big_endian=False):
    return struct.pack(">I" if big_endian else "<I", family) + payload


# ------------------------------------------------------------ the packets

PAYLOAD_HTTP = b"GET / HTTP/1.1\r\nHost: example.com\r\n\r\n"

TCP_SYN = tcp(49152, 80, SYN, options=LINUX_SYN_OPTS, seq=0x11111111)
TCP_SYNACK = tcp(80, 49152, SYN | ACK, seq=0x22222222, ack=0x11111112,
                 options=bytes.fromhex("020405b401010402"))
TCP_DATA = tcp(49152, 80, PSH | ACK, PAYLOAD_HTTP, seq=0x11111112, ack=0x22222223)
TCP_RST = tcp(80, 49152, RST | ACK, seq=0x22222223, ack=0x11111112)
UDP_DNS = udp(53000, 53, dns_query())
ICMP_ECHO = icmp_echo(8, 0x4D41, 1)

IP4_SYN = ipv4(6, TCP_SYN, df=True)
IP4_SYNACK = ipv4(6, TCP_SYNACK, src=V4_B, dst=V4_A)
IP4_DATA = ipv4(6, TCP_DATA, df=True)
IP4_DNS = ipv4(17, UDP_DNS)
IP4_ECHO = ipv4(1, ICMP_ECHO)
IP6_SYN = ipv6(6, TCP_SYN)
IP6_DNS = ipv6(17, UDP_DNS)
IP6_ECHO = ipv6(58, icmpv6(128, 0, struct.pack("!HH", 0x4D41, 1), b"ping6"))


def ipv4_fragments(proto, payload, ident, size=16):
    """Splits payload into IPv4 fragments of `size` bytes (multiple of 8)."""
    out = []
    for off in range(0, len(payload), size):
        more = off + size < len(payload)
        out.append(ipv4(proto, payload[off:off + size], ident=ident, mf=more, frag_off=off))
    return out


def ipv6_fragments(nxt, payload, ident, size=16):
    out = []
    for off in range(0, len(payload), size):
        more = off + size < len(payload)
        out.append(ipv6(44, v6_frag_hdr(nxt, off, more, ident) + payload[off:off + size]))
    return out


FRAG_UDP = udp(5353, 5353, bytes(range(40)))  # 48 bytes: 3 fragments of 16
V4_FRAGS = ipv4_fragments(17, FRAG_UDP, 0xF001)
V6_FRAGS = ipv6_fragments(17, FRAG_UDP, 0xF0000001)

# Hop-by-hop (router alert), routing type 0 with no segments left, destination
# options, then UDP.
IP6_EXT = ipv6(0, v6_opts_hdr(43, bytes.fromhex("05020000")) +
               v6_routing_hdr(60, [V6_A], rtype=0, segs_left=0) +
               v6_opts_hdr(17, b"") + UDP_DNS)
IP6_EXT_FRAG = ipv6(0, v6_opts_hdr(44) + v6_frag_hdr(17, 0, True, 0xF0000002) + FRAG_UDP[:16])

INNER_ETH = eth(0x0800, IP4_SYN, dst=bytes.fromhex("02000000000a"),
                src=bytes.fromhex("02000000000b"))
GRE_KEY = gre(0x0800, IP4_DNS, key=0x01020304)
GRE_ALL = gre(0x0800, IP4_ECHO, key=7, with_csum=True, seq=42)
GRE_TEB = gre(0x6558, INNER_ETH)
GRE_V6 = gre(0x86DD, IP6_DNS)
GRE_PPTP = gre(0x880B, b"\0" * 8, ver=1)
VXLAN_ETH = vxlan(4242, INNER_ETH)
IP4_GRE = ipv4(47, GRE_KEY)
IP4_VXLAN = ipv4(17, udp(50000, 4789, VXLAN_ETH))
IP4_IPIP = ipv4(4, IP4_DNS)
IP4_6IN4 = ipv4(41, IP6_ECHO)


def gre_nest(inner, depth):
    """`depth` IPv4+GRE wrappings around an inner IPv4 packet."""
    for _ in range(depth):
        inner = ipv4(47, gre(0x0800, inner))
    return inner


def vxlan_nest(inner_eth, depth):
    """`depth` VXLAN headers, each but the outermost inside Ethernet/IPv4/UDP."""
    b = vxlan(depth, inner_eth)
    for i in range(depth - 1, 0, -1):
        b = vxlan(i, eth(0x0800, ipv4(17, udp(50000 + i, 4789, b))))
    return b


# Four IPv4+GRE wrappings around IPv4: one layer past MAX_IP_LAYERS (4).
IP4_GRE_DEEP = gre_nest(IP4_DNS, 4)

# ICMP errors quote the IP header + 8 bytes of the packet that caused them.
ICMP_UNREACH = icmp(3, 3, b"\0\0\0\0", ipv4(17, udp(53000, 53, b"", length=40),
                                           src=V4_B, dst=V4_A, total_len=48))
ICMP_TTL = icmp(11, 0, b"\0\0\0\0", IP4_SYN[:28])
ICMPV6_UNREACH = icmpv6(1, 4, b"\0\0\0\0", IP6_DNS[:48])
ICMPV6_NS = icmpv6(135, 0, b"\0\0\0\0", V6_B + bytes.fromhex("0101") + MAC_A)
ICMPV6_RA = icmpv6(134, 0, struct.pack("!BBHII", 64, 0, 1800, 0, 0),
                   bytes.fromhex("0101") + MAC_A)
ICMPV6_PTB = icmpv6(2, 0, struct.pack("!I", 1280), IP6_DNS[:48])

ARP_REQ = arp(1)
ARP_REPLY = arp(2, sha=MAC_B, spa=V4_B, tha=MAC_A, tpa=V4_A)

# ------------------------------------------------------------ capture files

T0 = 1700000000


def pcap_file(records, linktype=1, big_endian=False, nano=False, snaplen=65535):
    """records: list of (data, wirelen or None). A µs (or ns) pcap."""
    e = ">" if big_endian else "<"
    magic = 0xA1B23C4D if nano else 0xA1B2C3D4
    b = struct.pack(e + "IHHiIII", magic, 2, 4, 0, 0, snaplen, linktype)
    for i, (data, wirelen) in enumerate(records):
        frac = i * (1000 if not nano else 1000000)
        b += struct.pack(e + "IIII", T0 + i, frac, len(data),
                         len(data) if wirelen is None else wirelen) + data
    return b


def pad4(b):
    return b + b"\0" * (-len(b) % 4)


def pcapng_block(btype, body):
    body = pad4(body)
    n = 12 + len(body)
    return struct.pack("<II", btype, n) + body + struct.pack("<I", n)


def pcapng_shb():
    return pcapng_block(0x0A0D0D0A, struct.pack("<IHHq", 0x1A2B3C4D, 1, 0, -1))


def pcapng_idb(linktype=1, snaplen=0, tsresol=None):
    opts = b""
    if tsresol is not None:
        opts += struct.pack("<HH", 9, 1) + pad4(bytes([tsresol]))
    if opts:
        opts += struct.pack("<HH", 0, 0)
    return pcapng_block(1, struct.pack("<HHI", linktype, 0, snaplen) + opts)


def pcapng_epb(data, ifid=0, i=0, wirelen=None):
    ts = (T0 + i) * 1000000
    return pcapng_block(6, struct.pack("<IIIII", ifid, ts >> 32, ts & 0xFFFFFFFF, len(data),
                                       len(data) if wirelen is None else wirelen) + data)


def pcapng_spb(data):
    return pcapng_block(3, struct.pack("<I", len(data)) + data)


CONV = [eth(0x0800, IP4_SYN), eth(0x0800, IP4_SYNACK, dst=MAC_A, src=MAC_B),
        eth(0x0800, IP4_DATA), eth(0x0806, ARP_REQ), eth(0x0800, IP4_DNS),
        eth(0x86DD, IP6_ECHO)]

# ----------------------------------------------------------------- corpora


def corpora():
    c = {}

    c["fuzz-decode-ethernet"] = {
        "ipv4-tcp-syn-opts": eth(0x0800, IP4_SYN),
        "ipv4-tcp-data": eth(0x0800, IP4_DATA),
        "ipv4-udp-dns": eth(0x0800, IP4_DNS),
        "ipv4-icmp-echo": eth(0x0800, IP4_ECHO),
        "ipv6-tcp-syn": eth(0x86DD, IP6_SYN),
        "ipv6-ext-hdrs-udp": eth(0x86DD, IP6_EXT),
        "ipv6-hbh-frag": eth(0x86DD, IP6_EXT_FRAG),
        "arp-request": eth(0x0806, ARP_REQ, dst=b"\xff" * 6),
        "vlan-ipv4-udp": eth_tagged([(0x8100, 100)], 0x0800, IP4_DNS),
        "qinq-ipv4-tcp": eth_tagged([(0x88A8, 200), (0x8100, 100)], 0x0800, IP4_SYN),
        "qinq-old-arp": eth_tagged([(0x9100, 300), (0x8100, 10)], 0x0806, ARP_REPLY),
        "vlan-5-tags": eth_tagged([(0x8100, i) for i in range(1, 6)], 0x0800, IP4_DNS),
        "ipv4-gre-key": eth(0x0800, IP4_GRE),
        "ipv4-vxlan-eth": eth(0x0800, IP4_VXLAN),
        "ipv4-ipip": eth(0x0800, IP4_IPIP),
        "ipv4-6in4": eth(0x0800, IP4_6IN4),
        "ipv4-gre-too-deep": eth(0x0800, IP4_GRE_DEEP),
        "ipv4-frag-first": eth(0x0800, V4_FRAGS[0]),
        "unknown-ethertype": eth(0x88CC, b"\x02\x07\x04" + MAC_A),
        "padded-min-frame": eth(0x0800, ipv4(17, udp(1, 2, b"")) + b"\0" * 18),
        "runt-13-bytes": eth(0x0800, b"")[:13],
        "vlan-cut-in-tag": eth_tagged([(0x8100, 100)], 0x0800, b"")[:15],
        "empty": b"",
    }

    c["fuzz-decode-sll"] = {
        "ipv4-tcp-syn": sll(0x0800, IP4_SYN),
        "ipv6-dns-outgoing": sll(0x86DD, IP6_DNS, pkttype=4),
        "arp": sll(0x0806, ARP_REQ, pkttype=1),
        "vlan": sll(0x8100, vlan_tag(0x8100, 7)[2:] + struct.pack("!H", 0x0800) + IP4_DNS),
        "loopback-no-addr": sll(0x0800, IP4_ECHO, hatype=772, addr=b""),
        "addr-len-255": sll(0x0800, IP4_ECHO)[:4] + b"\x00\xff" + sll(0x0800, IP4_ECHO)[6:],
        "header-only": sll(0x0800, b""),
        "cut-15": sll(0x0800, b"")[:15],
        "empty": b"",
    }

    c["fuzz-decode-sll2"] = {
        "ipv4-tcp-syn": sll2(0x0800, IP4_SYN),
        "ipv6-echo": sll2(0x86DD, IP6_ECHO, ifindex=1, hatype=772, addr=b""),
        "arp": sll2(0x0806, ARP_REPLY, pkttype=0),
        "ipv4-gre": sll2(0x0800, IP4_GRE),
        "header-only": sll2(0x0800, b""),
        "cut-19": sll2(0x0800, b"")[:19],
        "empty": b"",
    }

    c["fuzz-decode-null"] = {
        "inet-le-ipv4-dns": null_hdr(2, IP4_DNS),
        "inet-be-ipv4-syn": null_hdr(2, IP4_SYN, big_endian=True),
        "inet6-bsd-24": null_hdr(24, IP6_ECHO),
        "inet6-freebsd-28": null_hdr(28, IP6_SYN),
        "inet6-darwin-30": null_hdr(30, IP6_DNS),
        "inet6-be-30": null_hdr(30, IP6_DNS, big_endian=True),
        "unknown-family": null_hdr(7, IP4_DNS),
        "header-only": null_hdr(2, b""),
        "cut-3": null_hdr(2, b"")[:3],
        "empty": b"",
    }

    c["fuzz-decode-raw"] = {
        "ipv4-tcp-syn": IP4_SYN,
        "ipv4-ipip": IP4_IPIP,
        "ipv6-udp-dns": IP6_DNS,
        "ipv6-ext-hdrs": IP6_EXT,
        "version-5": ipv4(17, UDP_DNS, version=5),
        "version-0": b"\x00" * 20,
        "one-byte-v4": b"\x45",
        "one-byte-v6": b"\x60",
        "empty": b"",
    }

    c["fuzz-decode-arp"] = {
        "request": ARP_REQ,
        "reply": ARP_REPLY,
        "gratuitous": arp(1, spa=V4_A, tpa=V4_A),
        "with-padding": ARP_REPLY + b"\0" * 18,
        "ipv6-ptype": arp(1, ptype=0x86DD, plen=16, spa=V6_A, tpa=V6_B),
        "hw-ieee802": arp(1, htype=6),
        "hlen-0-plen-0": arp(1, hlen=0, plen=0, sha=b"", spa=b"", tha=b"", tpa=b""),
        "hlen-255": arp(1)[:4] + b"\xff\x04" + arp(1)[6:],
        "cut-27": ARP_REQ[:27],
        "header-only": ARP_REQ[:8],
        "empty": b"",
    }

    # Fragments are separate seeds: the ipv4/ipv6 targets keep their defrag
    # state across inputs, so these reassemble when replayed in name order.
    c["fuzz-decode-ipv4"] = {
        "tcp-syn-opts": IP4_SYN,
        "udp-dns": IP4_DNS,
        "icmp-echo": IP4_ECHO,
        "gre-key": IP4_GRE,
        "vxlan": IP4_VXLAN,
        "ipip": IP4_IPIP,
        "6in4": IP4_6IN4,
        "gre-too-deep": IP4_GRE_DEEP,
        "options-rr-nop-eol": ipv4(17, UDP_DNS, options=bytes([7, 11, 4]) + b"\0" * 8 +
                                   b"\x01\x00"),
        "options-len-0": ipv4(17, UDP_DNS, options=bytes([0x44, 0, 0, 0])),
        "options-len-past-end": ipv4(17, UDP_DNS, options=bytes([0x83, 39, 0, 0])),
        "ihl-15-short": ipv4(17, UDP_DNS, ihl=15),
        "ihl-4": ipv4(17, UDP_DNS, ihl=4),
        "total-len-65535": ipv4(17, UDP_DNS, total_len=65535),
        "total-len-10": ipv4(17, UDP_DNS, total_len=10),
        "total-len-shorter-than-capture": ipv4(17, UDP_DNS, total_len=28) + b"trailer!",
        "unknown-proto-253": ipv4(253, b"experimental"),
        "frag-a-1": V4_FRAGS[0],
        "frag-a-2": V4_FRAGS[1],
        "frag-a-3-last": V4_FRAGS[2],
        "frag-b-1-last-first": V4_FRAGS[2][:4] + struct.pack("!H", 0xF002) + V4_FRAGS[2][6:],
        "frag-b-2-overlap": ipv4(17, b"X" * 24, ident=0xF002, mf=True, frag_off=0),
        "frag-b-3-dup": ipv4(17, b"Y" * 24, ident=0xF002, mf=True, frag_off=8),
        "frag-c-offset-max": ipv4(17, b"Z" * 16, ident=0xF003, frag_off=65528),
        "frag-d-tiny-mf": ipv4(6, b"\x00\x50", ident=0xF004, mf=True),
        "frag-e-zero-len": ipv4(17, b"", ident=0xF005, mf=True, frag_off=8),
        "df-and-mf": ipv4(17, UDP_DNS, df=True, mf=True),
        "header-only": ipv4(17, b"")[:20],
        "cut-19": IP4_DNS[:19],
        "empty": b"",
    }

    c["fuzz-decode-ipv6"] = {
        "tcp-syn": IP6_SYN,
        "udp-dns": IP6_DNS,
        "icmpv6-echo": IP6_ECHO,
        "ext-hbh-rt-dst-udp": IP6_EXT,
        "no-next-header": ipv6(59, b""),
        "4in6": ipv6(4, IP4_DNS),
        "gre": ipv6(47, GRE_V6),
        "ext-chain-9-dstopts": ipv6(60, b"".join(v6_opts_hdr(60) for _ in range(8)) +
                                    v6_opts_hdr(17) + UDP_DNS),
        "ext-len-past-end": ipv6(0, bytes([17, 255]) + b"\0" * 6),
        "hbh-not-first": ipv6(60, v6_opts_hdr(0) + v6_opts_hdr(17) + UDP_DNS),
        "plen-0-jumbo": ipv6(0, v6_opts_hdr(17, bytes.fromhex("c204") +
                                            struct.pack("!I", 70000)) + UDP_DNS, plen=0),
        "plen-65535": ipv6(17, UDP_DNS, plen=65535),
        "plen-shorter-than-capture": ipv6(17, UDP_DNS, plen=8) + b"trailer!",
        "unknown-next-253": ipv6(253, b"experimental"),
        "frag-a-1": V6_FRAGS[0],
        "frag-a-2": V6_FRAGS[1],
        "frag-a-3-last": V6_FRAGS[2],
        "frag-b-atomic": ipv6(44, v6_frag_hdr(17, 0, False, 0xF0000003) + UDP_DNS),
        "frag-c-overlap-1": ipv6(44, v6_frag_hdr(17, 0, True, 0xF0000004) + b"A" * 24),
        "frag-c-overlap-2": ipv6(44, v6_frag_hdr(17, 8, False, 0xF0000004) + b"B" * 24),
        "frag-d-offset-max": ipv6(44, v6_frag_hdr(17, 65528, False, 0xF0000005) + b"C" * 16),
        "frag-e-after-hbh": IP6_EXT_FRAG,
        "header-only": ipv6(17, b""),
        "cut-39": IP6_DNS[:39],
        "empty": b"",
    }

    c["fuzz-decode-tcp"] = {
        "syn-linux-opts": TCP_SYN,
        "synack-mss-sack": TCP_SYNACK,
        "psh-ack-data": TCP_DATA,
        "rst": TCP_RST,
        "fin-ack": tcp(49152, 80, FIN | ACK),
        "all-flags": tcp(1, 2, 0xFF),
        "opts-ts-wscale-eol": tcp(1, 2, SYN, options=bytes.fromhex("080a0000000100000000"
                                                                   "0303ff00")),
        "opt-len-0": tcp(1, 2, SYN, options=bytes.fromhex("02000000")),
        "opt-len-1": tcp(1, 2, SYN, options=bytes.fromhex("02010000")),
        "opt-len-past-end": tcp(1, 2, SYN, options=bytes.fromhex("0228ffff")),
        "opt-dup-mss": tcp(1, 2, SYN, options=bytes.fromhex("020405b4020405b4")),
        "opts-40-nops": tcp(1, 2, SYN, options=b"\x01" * 40),
        "doff-15-short": tcp(1, 2, SYN, doff=15),
        "doff-4": tcp(1, 2, SYN, doff=4),
        "doff-0": tcp(1, 2, SYN, doff=0),
        "header-only-19": TCP_SYN[:19],
        "empty": b"",
    }

    c["fuzz-decode-udp"] = {
        "dns-query": UDP_DNS,
        "vxlan-eth": udp(50000, 4789, VXLAN_ETH),
        "vxlan-in-vxlan": udp(50000, 4789, vxlan_nest(eth(0x0800, IP4_DNS), 2)),
        "len-0": udp(1, 2, b"data", length=0),
        "len-7": udp(1, 2, b"data", length=7),
        "len-65535": udp(1, 2, b"data", length=65535),
        "len-shorter-than-capture": udp(1, 2, b"data+trailer", length=12),
        "header-only": udp(1, 2, b""),
        "cut-7": UDP_DNS[:7],
        "empty": b"",
    }

    c["fuzz-decode-icmpv4"] = {
        "echo-request": ICMP_ECHO,
        "echo-reply": icmp_echo(0, 0x4D41, 1),
        "unreach-port-quoted-udp": ICMP_UNREACH,
        "ttl-exceeded-quoted-tcp": ICMP_TTL,
        "redirect": icmp(5, 1, V4_B, IP4_DNS[:28]),
        "quoted-ihl-15": icmp(3, 1, b"\0\0\0\0", ipv4(17, b"", ihl=15)[:20]),
        "quoted-ipv4-in-ipv4": icmp(3, 3, b"\0\0\0\0", IP4_IPIP[:48]),
        "timestamp": icmp(13, 0, struct.pack("!HH", 1, 1), b"\0" * 12),
        "unknown-type-200": icmp(200, 0, b"\0\0\0\0"),
        "header-only-4": ICMP_ECHO[:4],
        "cut-7": ICMP_ECHO[:7],
        "empty": b"",
    }

    c["fuzz-decode-icmpv6"] = {
        "echo-request": icmpv6(128, 0, struct.pack("!HH", 0x4D41, 1), b"ping6"),
        "echo-reply": icmpv6(129, 0, struct.pack("!HH", 0x4D41, 1), b"ping6"),
        "unreach-quoted-udp": ICMPV6_UNREACH,
        "packet-too-big": ICMPV6_PTB,
        "neighbor-solicit": ICMPV6_NS,
        "router-advert": ICMPV6_RA,
        "quoted-ext-hdrs": icmpv6(1, 0, b"\0\0\0\0", IP6_EXT[:80]),
        "unknown-type-250": icmpv6(250, 0, b"\0\0\0\0"),
        "header-only-4": ICMPV6_NS[:4],
        "cut-7": ICMPV6_NS[:7],
        "empty": b"",
    }

    c["fuzz-decode-gre"] = {
        "ipv4-key": GRE_KEY,
        "ipv4-csum-key-seq": GRE_ALL,
        "teb-ethernet": GRE_TEB,
        "ipv6": GRE_V6,
        "pptp-v1": GRE_PPTP,
        "routing-bit": gre(0x0800, IP4_DNS, routing=True),
        "gre-in-gre-4-deep": gre(0x0800, gre_nest(IP4_DNS, 3)),
        "unknown-proto": gre(0x1234, b"whatever"),
        "key-flag-cut": gre(0x0800, b"", key=1)[:6],
        "all-flags-cut": gre(0x0800, b"", with_csum=True, key=1, seq=1)[:10],
        "header-only": gre(0x0800, b""),
        "cut-3": GRE_KEY[:3],
        "empty": b"",
    }

    c["fuzz-decode-vxlan"] = {
        "eth-ipv4-tcp": VXLAN_ETH,
        "eth-arp": vxlan(7, eth(0x0806, ARP_REQ, dst=b"\xff" * 6)),
        "eth-vlan-ipv6": vxlan(8, eth_tagged([(0x8100, 5)], 0x86DD, IP6_DNS)),
        "vxlan-in-vxlan-deep": vxlan_nest(INNER_ETH, 4),
        "flags-0": vxlan(9, INNER_ETH, flags=0),
        "flags-ff": vxlan(9, INNER_ETH, flags=0xFF),
        "header-only": vxlan(9, b""),
        "inner-eth-cut": vxlan(9, INNER_ETH[:13]),
        "cut-7": VXLAN_ETH[:7],
        "empty": b"",
    }

    # fuzz-packet: [link index|flags][time step ms, BE16][frame]; link index
    # order is fuzz_linktypes[] in fuzz-packet.c.
    L_ETH, L_SLL, L_SLL2, L_NULL, L_LOOP, L_RAW, L_IPV4, L_IPV6, L_BSD1, L_BSD2, L_PPP = \
        range(11)

    def pk(link, step_ms, frame, flags=0):
        return bytes([link | flags]) + struct.pack("!H", step_ms) + frame

    c["fuzz-packet"] = {
        "a1-eth-syn": pk(L_ETH, 0, eth(0x0800, IP4_SYN)),
        "a2-eth-synack": pk(L_ETH, 20, eth(0x0800, IP4_SYNACK, dst=MAC_A, src=MAC_B)),
        "a3-eth-data": pk(L_ETH, 1, eth(0x0800, IP4_DATA)),
        "a4-eth-rst": pk(L_ETH, 1, eth(0x0800, ipv4(6, TCP_RST, src=V4_B, dst=V4_A),
                                       dst=MAC_A, src=MAC_B)),
        "a5-eth-dns-snaplen-cut": pk(L_ETH, 5, eth(0x0800, IP4_DNS), flags=0x80),
        "b1-sll-ipv4-frag-1": pk(L_SLL, 1, sll(0x0800, V4_FRAGS[0])),
        "b2-sll2-ipv4-frag-2": pk(L_SLL2, 1, sll2(0x0800, V4_FRAGS[1])),
        "b3-raw-ipv4-frag-3": pk(L_RAW, 1, V4_FRAGS[2]),
        "c1-null-ipv6-echo": pk(L_NULL, 100, null_hdr(24, IP6_ECHO)),
        "c2-loop-ipv6-frag-1": pk(L_LOOP, 1, null_hdr(30, V6_FRAGS[0], big_endian=True)),
        "c3-ipv6-frag-2": pk(L_IPV6, 1, V6_FRAGS[1]),
        "c4-ipv6-frag-3": pk(L_IPV6, 1, V6_FRAGS[2]),
        "d1-ipv4-vxlan": pk(L_IPV4, 60000, IP4_VXLAN),
        "d2-bsd12-gre": pk(L_BSD1, 1, IP4_GRE),
        "d3-bsd14-6in4": pk(L_BSD2, 1, IP4_6IN4),
        "d4-eth-qinq-arp": pk(L_ETH, 1, eth_tagged([(0x88A8, 2), (0x8100, 3)], 0x0806,
                                                   ARP_REQ)),
        "e1-time-back-eth-syn": pk(L_ETH, 30000, eth(0x0800, IP4_SYN), flags=0x40),
        "e2-unsupported-link": pk(L_PPP, 1, b"\xff\x03\x00\x21" + IP4_DNS),
        "e3-eth-gre-too-deep": pk(L_ETH, 65535, eth(0x0800, IP4_GRE_DEEP)),
        "e4-header-only": pk(L_ETH, 0, b""),
        "e5-short-input": b"\x00\x00",
        "empty": b"",
    }

    def eth_pcap(frames, **kw):
        return pcap_file([(f, None) for f in frames], **kw)

    ng_eth = pcapng_shb() + pcapng_idb(1) + b"".join(pcapng_epb(f, i=i)
                                                     for i, f in enumerate(CONV))
    c["fuzz-pcap"] = {
        "pcap-le-usec-eth": eth_pcap(CONV),
        "pcap-be-usec-eth": eth_pcap(CONV[:3], big_endian=True),
        "pcap-nsec-eth": eth_pcap(CONV[:3], nano=True),
        "pcap-raw-ipv4": pcap_file([(IP4_DNS, None), (IP4_GRE, None), (V4_FRAGS[0], None),
                                    (V4_FRAGS[1], None), (V4_FRAGS[2], None)], linktype=101),
        "pcap-sll": pcap_file([(sll(0x0800, IP4_SYN), None), (sll(0x86DD, IP6_DNS), None)],
                              linktype=113),
        "pcap-sll2": pcap_file([(sll2(0x0800, IP4_ECHO), None)], linktype=276),
        "pcap-null": pcap_file([(null_hdr(2, IP4_DNS), None), (null_hdr(30, IP6_SYN), None)],
                               linktype=0),
        "pcap-unsupported-link-ppp": pcap_file([(b"\xff\x03\x00\x21" + IP4_DNS, None)],
                                               linktype=9),
        "pcap-snaplen-64-cut": pcap_file([(eth(0x0800, IP4_DATA)[:64], 120)], snaplen=64),
        "pcap-no-packets": eth_pcap([]),
        "pcap-truncated-record": eth_pcap(CONV[:2])[:-10],
        "pcap-truncated-global-header": eth_pcap([])[:20],
        "pcap-caplen-huge": eth_pcap([])[:24] + struct.pack("<IIII", T0, 0, 0xFFFFFFFF, 60) +
        b"\0" * 60,
        "pcap-caplen-gt-wirelen": pcap_file([(eth(0x0800, IP4_DNS), 20)]),
        "pcap-usec-1e6": eth_pcap([])[:24] + struct.pack("<IIII", T0, 1000000, 14, 14) +
        eth(0x0800, b""),
        "pcap-gzip": gzip.compress(eth_pcap(CONV[:2]), mtime=0),
        "pcapng-eth": ng_eth,
        "pcapng-tsresol-ns-spb": pcapng_shb() + pcapng_idb(1, tsresol=9) +
        pcapng_epb(CONV[0]) + pcapng_spb(CONV[1]),
        "pcapng-two-links": pcapng_shb() + pcapng_idb(1) + pcapng_idb(101) +
        pcapng_epb(CONV[0], ifid=0) + pcapng_epb(IP4_DNS, ifid=1, i=1),
        "pcapng-bad-ifid": pcapng_shb() + pcapng_idb(1) + pcapng_epb(CONV[0], ifid=5),
        "pcapng-block-len-0": pcapng_shb() + pcapng_idb(1) + struct.pack("<II", 6, 0),
        "pcapng-block-len-huge": pcapng_shb() + pcapng_idb(1) +
        struct.pack("<II", 6, 0xFFFFFFF0) + b"\0" * 32,
        "pcapng-truncated": ng_eth[:-7],
        "not-a-capture": b"this is not a capture file\n",
        "one-byte": b"\xd4",
    }

    c["fuzz-config"] = {
        "example": b"""# mamori settings
[sensor]
name = "office-gw"

[flow]
max_flows = 100000
active_timeout = 3600
tcp.new_timeout = 30
tcp.established_timeout = 600
udp.new_timeout = 30

[defrag]
memcap = 4194304
timeout = 30

[capture]
snaplen = 262144
buffer_mb = 64
""",
        "all-keys-flat": b"".join(b"%s = %d\n" % (k, v) for k, v in [
            (b"flow.max_flows", 1024), (b"flow.active_timeout", 0),
            (b"flow.tcp.new_timeout", 1), (b"flow.tcp.established_timeout", 604800),
            (b"flow.tcp.closed_timeout", 0), (b"flow.udp.new_timeout", 86400),
            (b"flow.udp.established_timeout", 1), (b"flow.icmp.new_timeout", 5),
            (b"flow.icmp.established_timeout", 5), (b"flow.other.new_timeout", 5),
            (b"flow.other.established_timeout", 5), (b"defrag.max_trackers", 16),
            (b"defrag.memcap", 4000000000), (b"defrag.timeout", 600),
            (b"decode.vxlan_port", 0), (b"capture.snaplen", 64),
            (b"capture.buffer_mb", 4096)]) + b"sensor.name = a\n",
        "crlf-tabs-comments": b"[flow]\r\n\tmax_flows\t=\t2048  # inline\r\n#x=y\r\n\r\n",
        "unknown-key": b"flow.max_flow = 10\n",
        "out-of-range": b"[defrag]\ntimeout = 601\n",
        "overflow-number": b"flow.max_flows = 99999999999999999999999\n",
        "negative-number": b"flow.max_flows = -1\n",
        "no-equals": b"[flow]\nmax_flows 10\n",
        "empty-value": b"sensor.name =\n",
        "quotes-only": b'sensor.name = "\n',
        "name-too-long": b"sensor.name = " + b"n" * 64 + b"\n",
        "bad-section": b"[flow\nmax_flows = 2048\n",
        "empty-section": b"[]\n",
        "section-too-long": b"[" + b"s" * 70 + b"]\nx = 1\n",
        "long-line-1025": b"# " + b"x" * 1023 + b"\n",
        "nul-byte": b"sensor.name = a\0b\n",
        "no-final-newline": b"flow.max_flows = 4096",
        "empty": b"",
    }
    return c


def main():
    top = sys.argv[1] if len(sys.argv) > 1 else os.path.join(
        os.path.dirname(os.path.abspath(__file__)), "corpus")
    total = 0
    for target, seeds in corpora().items():
        d = os.path.join(top, target)
        os.makedirs(d, exist_ok=True)
        for name, data in seeds.items():
            with open(os.path.join(d, name), "wb") as f:
                f.write(data)
            total += len(data)
        print("%-22s %3d seeds" % (target, len(seeds)))
    print("%d bytes in all" % total)


if __name__ == "__main__":
    main()
