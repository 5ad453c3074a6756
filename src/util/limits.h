/* limits.h - every cap on a loop, a nesting level or a table, with its reason.
 * Decoders never loop or recurse without one of these. */
#ifndef MAMORI_LIMITS_H
#define MAMORI_LIMITS_H

/* 802.1Q/802.1ad tags kept per packet: QinQ is 2, the deepest real capture we
 * know (zeek vlan-qinqinq) has 3; more than 4 is treated as malformed. */
#define MAX_VLAN_TAGS 4

/* IP layers per packet: the outer one plus tunnels (GRE, VXLAN, IP-in-IP,
 * Teredo-like IPv6-in-IPv4). gre-within-gre needs 3; more is an attack on the
 * decoder, not traffic. */
#define MAX_IP_LAYERS 4

/* IPv4 options are at most 40 bytes, so at most 40 one-byte options. */
#define MAX_IPV4_OPTIONS 40

/* IPv6 extension headers walked before giving up (RFC 8200 recommends each
 * appears at most once or twice; 8 covers every legitimate chain). */
#define MAX_IPV6_EXT_HEADERS 8

/* TCP options are at most 40 bytes. */
#define MAX_TCP_OPTIONS 40

/* Largest datagram reassembled from fragments (IPv4 total length cap). */
#define MAX_REASSEMBLED_LEN 65535

/* Fragments accepted per datagram: 65535/8 is the theoretical maximum; real
 * stacks send at most ~45 for a 64 KiB datagram at MTU 1500. Beyond this the
 * datagram is dropped as an overlap/teardrop-style attack. */
#define MAX_FRAGS_PER_DATAGRAM 128

/* Default flow table size (flows in memory at once). At ~256 bytes a flow
 * this is about 64 MiB; configurable with flow.max_flows. */
#define DEFAULT_MAX_FLOWS 262144

/* Default fragment tracker limits: datagrams in progress and total bytes held.
 * A fragment flood then costs at most this much memory. */
#define DEFAULT_DEFRAG_MAX_TRACKERS 4096
#define DEFAULT_DEFRAG_MEMCAP (16u * 1024u * 1024u)
/* RFC 791 suggests 15 s as the reassembly timer lower bound; Linux uses 30 s. */
#define DEFAULT_DEFRAG_TIMEOUT_S 30

/* Rows per SQLite transaction before a forced commit; a commit also happens
 * at least every STORE_COMMIT_INTERVAL_MS of wall-clock time, so a kill loses
 * at most that much. */
#define STORE_BATCH_ROWS 5000
#define STORE_COMMIT_INTERVAL_MS 1000

/* Out-of-order segments held per TCP stream direction. Real loss leaves a
 * few holes per window; more tiny segments than this is an attack on the
 * reassembler (each costs a header and a list walk), so the oldest hole is
 * skipped instead. */
#define MAX_STREAM_OOO_SEGS 64

/* Longest line accepted in a config file. */
#define MAX_CONFIG_LINE 1024

/* DNS (src/proto/proto-dns.c). A name is at most 255 bytes on the wire
 * (RFC 1035 3.1), so at most 127 one-byte labels plus the root. */
#define DNS_MAX_NAME_LABELS 128
/* Compression pointers followed in one name. Pointers must point strictly
 * backwards, so a loop is already impossible; this bounds pointer-to-pointer
 * chains, which real encoders never make longer than a few. */
#define DNS_MAX_POINTER_JUMPS 32
/* Questions walked: unicast DNS has one, mDNS queries batch a few dozen. */
#define DNS_MAX_QUESTIONS 64
/* Answers kept in struct dns_msg (each is ~3 KiB); the rest are walked and
 * counted but not stored. */
#define DNS_MAX_ANSWERS 32
/* Resource records walked over all three sections. A 64 KiB message holds at
 * most ~6000 minimal records; nothing legitimate comes close to this. */
#define DNS_MAX_RECORDS 1024
/* Character-strings of one TXT record shown (the rest are cut). */
#define DNS_MAX_TXT_STRINGS 64
/* Messages one dns_tcp_framer_feed() call delivers: 64 KiB of 2-byte empty
 * frames is 32768; more means the stream is garbage, and the framer stops. */
#define DNS_TCP_MAX_MSGS_PER_FEED 65536

#endif
