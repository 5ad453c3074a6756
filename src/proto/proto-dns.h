/* proto-dns.h - DNS message parser (RFC 1035, 2782, 3596, 6762, 9460), the
 * NetBIOS-NS name decoder (RFC 1002 4.1) and DNS-over-TCP framing (RFC 1035
 * 4.2.2, RFC 7766).
 *
 * The app-layer parsers app_parser_dns, _mdns, _llmnr and _nbns (app.h) are
 * defined in proto-dns.c on top of these. Everything reads untrusted bytes through
 * util/rd.h; every loop has a cap from util/limits.h. Text in the structs is
 * already escaped for output (see dns_parse()).
 */
#ifndef MAMORI_PROTO_DNS_H
#define MAMORI_PROTO_DNS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "util/limits.h"

/* A 255-byte wire name is at most 255 escaped bytes of 4 characters each. */
#define DNS_NAME_TEXT_MAX 1024
/* Room for SOA "mname rname serial", the longest rdata we render. */
#define DNS_RDATA_TEXT_MAX 2100
/* TXT text shown per record; longer strings are cut (rr.rdata_cut). */
#define DNS_TXT_TEXT_MAX 512

#define DNS_TYPE_A 1
#define DNS_TYPE_NS 2
#define DNS_TYPE_CNAME 5
#define DNS_TYPE_SOA 6
#define DNS_TYPE_PTR 12
#define DNS_TYPE_MX 15
#define DNS_TYPE_TXT 16
#define DNS_TYPE_AAAA 28
#define DNS_TYPE_SRV 33
#define DNS_TYPE_OPT 41
#define DNS_TYPE_SVCB 64
#define DNS_TYPE_HTTPS 65

#define DNS_RCODE_NXDOMAIN 3

/* Return values of dns_parse(). */
#define DNS_OK 0
#define DNS_ERR_SHORT (-1)   /* not even a 12-byte header; *out is zeroed */
#define DNS_ERR_PARTIAL (-2) /* header and what came before the fault are in *out */

/* Anomalies: enum name, event name. */
#define DNS_ANOMALY_LIST(X)                                                                        \
    X(DNS_AN_TRUNCATED, "dns.truncated")                                                           \
    X(DNS_AN_COUNTS_MISMATCH, "dns.counts_mismatch")                                               \
    X(DNS_AN_NAME_LOOP, "dns.name_loop")                                                           \
    X(DNS_AN_NAME_TOO_LONG, "dns.name_too_long")                                                   \
    X(DNS_AN_BAD_POINTER, "dns.bad_pointer")                                                       \
    X(DNS_AN_LABEL_TYPE_UNKNOWN, "dns.label_type_unknown")                                         \
    X(DNS_AN_RDATA_MALFORMED, "dns.rdata_malformed")                                               \
    X(DNS_AN_TOO_MANY_RECORDS, "dns.too_many_records")

enum dns_anomaly {
#define DNS_AN_ENUM(e, s) e,
    DNS_ANOMALY_LIST(DNS_AN_ENUM)
#undef DNS_AN_ENUM
        DNS_AN_MAX
};

/* Counters the caller owns and may keep across messages (dns_parse() only
 * adds to them). */
struct dns_anomalies {
    uint32_t count[DNS_AN_MAX];
};

/* "dns.name_loop" etc.; "dns.unknown" for an out-of-range value. */
const char *dns_anomaly_name(enum dns_anomaly a);

struct dns_rr {
    char name[DNS_NAME_TEXT_MAX];
    uint16_t type;
    uint16_t rclass;  /* low 15 bits */
    bool cache_flush; /* top class bit: mDNS cache-flush (RFC 6762 10.2) */
    uint32_t ttl;
    uint16_t rdlength;
    uint32_t rdata_off; /* where the rdata starts in the message */
    uint16_t pref;   /* MX preference, SRV priority, SVCB/HTTPS priority */
    uint16_t weight; /* SRV */
    uint16_t port;   /* SRV */
    uint32_t serial; /* SOA */
    uint32_t refresh, retry, expire, minimum; /* SOA */
    /* SOA rdata read whole: rdata is then "mname rname serial" (names never
     * hold a plain space, it is written \032, so the words split safely). */
    bool soa_ok;
    bool rdata_cut;  /* TXT text longer than DNS_TXT_TEXT_MAX or strings */
    /* Rendered like dig: "192.0.2.1", "10 mail.example.com", "\"v=spf1\" \"x\"",
     * "ns.example.com admin.example.com 2024010101", "0 5 5060 sip.example.com",
     * "1 svc.example.com" (SVCB/HTTPS params skipped), "type 99, length 4". */
    char rdata[DNS_RDATA_TEXT_MAX];
};

/* One question (RFC 1035 4.1.2). */
struct dns_question {
    char name[DNS_NAME_TEXT_MAX];
    uint16_t type;
    uint16_t qclass; /* low 15 bits */
    bool unicast;    /* top qclass bit: mDNS QU question (RFC 6762 5.4) */
};

/* About 220 KiB: callers allocate it (the app layer keeps one per thread),
 * rather than put it on a thread stack or in per-flow state. */
struct dns_msg {
    uint16_t id;
    bool qr, aa, tc, rd, ra;
    uint8_t opcode;                              /* 4 bits */
    uint8_t rcode;                               /* 4 bits (no EDNS extension) */
    uint16_t qdcount, ancount, nscount, arcount; /* as declared */

    /* The first question kept (a copy of questions[0]). */
    bool has_question;
    char qname[DNS_NAME_TEXT_MAX];
    uint16_t qtype;
    uint16_t qclass;     /* low 15 bits */
    bool qclass_unicast; /* top qclass bit: mDNS QU question (RFC 6762 5.4) */

    uint16_t question_count;  /* stored in questions[]: those whose name could be read */
    uint16_t answer_count;    /* stored in answers[] */
    uint16_t answers_parsed;  /* answer records parsed, stored or not */
    uint16_t authority_count; /* stored in authorities[] */
    uint16_t authority_parsed;
    uint16_t additional_parsed;

    /* Arrays last: dns_parse() clears only what comes before them. */
    struct dns_question questions[DNS_MAX_QUESTIONS];
    struct dns_rr answers[DNS_MAX_ANSWERS];
    struct dns_rr authorities[DNS_MAX_AUTHORITIES];
};

/* Parses one complete DNS message (a UDP/mDNS/LLMNR payload, or one message
 * from struct dns_tcp_framer). Names are dotted text without the final dot
 * ("." for the root), case kept; bytes outside 0x21-0x7e and '.', '\\', '"'
 * inside a label are written \DDD (decimal, like dig).
 *
 * Compression pointers must point strictly before the start of the label
 * sequence being read (so names cannot loop), at most DNS_MAX_POINTER_JUMPS
 * per name; names are at most 255 bytes on the wire. Every violation adds one
 * to an->count[...] (an may be NULL).
 *
 * A question or record whose own name cannot be read (too long, a loop, a
 * bad pointer) is counted and skipped, not kept, and the walk goes on with
 * the next one when the name's wire extent is known (it ends at its zero
 * byte or first compression pointer), as tshark does. A record with bad
 * rdata (dns.rdata_malformed) is kept with what could be rendered.
 *
 * Returns DNS_OK when every question and record the header declared was
 * parsed and kept or walked (bytes after the last record count
 * dns.counts_mismatch but still return DNS_OK), DNS_ERR_SHORT when there is
 * no full header, or DNS_ERR_PARTIAL when something declared is missing: a
 * name was skipped, or an anomaly stopped the walk (*out then holds the
 * header and everything parsed before the fault). At most
 * DNS_MAX_QUESTIONS questions are read; more stop the walk there. */
int dns_parse(const uint8_t *msg, uint32_t len, struct dns_msg *out, struct dns_anomalies *an);

/* NetBIOS first-level decoding (RFC 1002 4.1): the 32 characters 'A'-'P' of
 * `encoded32` (followed by NUL or '.', the scope) become 16 bytes: the name,
 * trailing spaces dropped and escaped like dns_parse(), then the suffix as
 * "<XX>" hex, e.g. "SOUMU-PC01<00>"; spaces and dots inside the name stay
 * plain ("MARTIN ROSENAU<03>"). outlen 70 always suffices. Returns 0, or
 * -1 (out is "" when outlen > 0) for a bad encoding or short buffer. */
int dns_nbns_name_decode(const char *encoded32, char *out, size_t outlen);

/* DNS over TCP: each message is preceded by a 2-byte big-endian length.
 * Feed stream bytes in any pieces; `cb` gets each complete message (borrowed
 * for the call). Zero-length frames are counted, not delivered. */
typedef void (*dns_tcp_msg_fn)(const uint8_t *msg, uint32_t len, void *user);

struct dns_tcp_framer {
    dns_tcp_msg_fn cb;
    void *user;
    uint8_t hdr[2];
    uint8_t hdr_have; /* 0-2 bytes of the length prefix seen */
    uint32_t need;    /* message length, valid when hdr_have == 2 */
    uint32_t have;    /* message bytes buffered */
    uint8_t *buf;     /* 65535 bytes, allocated on first partial message */
    bool broken;      /* gave up (DNS_TCP_MAX_MSGS_PER_FEED); ignores input */
    uint64_t messages;
    uint64_t empty_frames;
};

void dns_tcp_framer_init(struct dns_tcp_framer *f, dns_tcp_msg_fn cb, void *user);
/* Frees the buffer; the framer may be initialised again. */
void dns_tcp_framer_release(struct dns_tcp_framer *f);
void dns_tcp_framer_feed(struct dns_tcp_framer *f, const uint8_t *p, uint32_t len);

/* Names as Suricata's EVE writes them: "A", "AAAA", ... and the number as
 * text for an unknown type ("99", written into buf, which needs 8 bytes);
 * "NOERROR", "NXDOMAIN", ... likewise for rcodes. */
const char *dns_rrtype_name(uint16_t type, char *buf, size_t buflen);
const char *dns_rcode_name(uint8_t rcode, char *buf, size_t buflen);

#endif
