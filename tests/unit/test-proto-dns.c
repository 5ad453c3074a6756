/* test-proto-dns.c - DNS message parser, NetBIOS names, DNS/TCP framing. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <pcap/pcap.h>

#include "app-test-util.h"
#include "decode/decode.h"
#include "proto/proto-dns.h"
#include "util/util.h"

/* struct dns_msg is ~100 KiB: one per test, on the heap. */
static struct dns_msg *msg_new(void)
{
    return xcalloc(1, sizeof(struct dns_msg));
}

static uint32_t an_total(const struct dns_anomalies *an)
{
    uint32_t n = 0;
    for (unsigned i = 0; i < DNS_AN_MAX; i++)
        n += an->count[i];
    return n;
}

/* clang-format off */

/* Query: www.example.com A IN, recursion desired. */
static const uint8_t q_a[] = {
    0xab, 0xcd,             /* id 0xabcd */
    0x01, 0x00,             /* flags: QR 0, opcode 0, RD */
    0x00, 0x01,             /* qdcount 1 */
    0x00, 0x00,             /* ancount 0 */
    0x00, 0x00,             /* nscount 0 */
    0x00, 0x00,             /* arcount 0 */
    3, 'w', 'w', 'w',       /* offset 12: "www" */
    7, 'e', 'x', 'a', 'm', 'p', 'l', 'e', /* offset 16: "example" */
    3, 'c', 'o', 'm',       /* offset 24: "com" */
    0,                      /* root */
    0x00, 0x01,             /* qtype A */
    0x00, 0x01,             /* qclass IN */
};

/* Response to q_a: www.example.com CNAME cdn.example.com, then A and AAAA
 * for cdn.example.com, every name compressed. */
static const uint8_t r_cname[] = {
    0xab, 0xcd,             /* id */
    0x81, 0x80,             /* flags: QR, RD, RA, rcode 0 */
    0x00, 0x01,             /* qdcount 1 */
    0x00, 0x03,             /* ancount 3 */
    0x00, 0x00,             /* nscount 0 */
    0x00, 0x00,             /* arcount 0 */
    3, 'w', 'w', 'w',       /* offset 12: question www.example.com */
    7, 'e', 'x', 'a', 'm', 'p', 'l', 'e', /* offset 16 */
    3, 'c', 'o', 'm', 0,
    0x00, 0x01, 0x00, 0x01, /* A IN */
    /* answer 1, offset 33 */
    0xc0, 0x0c,             /* name: pointer to 12 (www.example.com) */
    0x00, 0x05,             /* CNAME */
    0x00, 0x01,             /* IN */
    0x00, 0x00, 0x01, 0x2c, /* ttl 300 */
    0x00, 0x06,             /* rdlength 6 */
    3, 'c', 'd', 'n',       /* offset 45: "cdn" */
    0xc0, 0x10,             /* pointer to 16 (example.com) */
    /* answer 2, offset 51 */
    0xc0, 0x2d,             /* name: pointer to 45 (cdn.example.com) */
    0x00, 0x01,             /* A */
    0x00, 0x01,             /* IN */
    0x00, 0x00, 0x00, 0x3c, /* ttl 60 */
    0x00, 0x04,             /* rdlength 4 */
    192, 0, 2, 1,           /* 192.0.2.1 */
    /* answer 3, offset 67 */
    0xc0, 0x2d,             /* name: cdn.example.com */
    0x00, 0x1c,             /* AAAA */
    0x00, 0x01,             /* IN */
    0x00, 0x00, 0x00, 0x3c, /* ttl 60 */
    0x00, 0x10,             /* rdlength 16 */
    0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x01, /* 2001:db8::1 */
};

/* Header of a response with one question and `an` answers, then the
 * question example.com (offset 12, 13 bytes) of type `qt`, class IN. */
#define RESP_EXAMPLE_COM(qt, an, ns)                                                              \
    0x12, 0x34,             /* id */                                                              \
    0x81, 0x80,             /* flags: QR, RD, RA */                                               \
    0x00, 0x01,             /* qdcount 1 */                                                       \
    0x00, (an),             /* ancount */                                                         \
    0x00, (ns),             /* nscount */                                                         \
    0x00, 0x00,             /* arcount 0 */                                                       \
    7, 'e', 'x', 'a', 'm', 'p', 'l', 'e', /* offset 12: example.com */                            \
    3, 'c', 'o', 'm', 0,                                                                          \
    0x00, (qt), 0x00, 0x01  /* qtype, IN; next offset 29 */

static const uint8_t r_mx[] = {
    RESP_EXAMPLE_COM(15, 1, 0),
    0xc0, 0x0c,             /* example.com */
    0x00, 0x0f,             /* MX */
    0x00, 0x01,             /* IN */
    0x00, 0x00, 0x0e, 0x10, /* ttl 3600 */
    0x00, 0x09,             /* rdlength 9 */
    0x00, 0x0a,             /* preference 10 */
    4, 'm', 'a', 'i', 'l', 0xc0, 0x0c, /* mail.example.com */
};

static const uint8_t r_txt[] = {
    RESP_EXAMPLE_COM(16, 1, 0),
    0xc0, 0x0c, 0x00, 0x10, 0x00, 0x01, /* example.com TXT IN */
    0x00, 0x00, 0x0e, 0x10, /* ttl 3600 */
    0x00, 0x12,             /* rdlength 18 */
    11, 'v', '=', 's', 'p', 'f', '1', ' ', '-', 'a', 'l', 'l', /* "v=spf1 -all" */
    5, 'h', 'i', '"', 0x01, '!', /* 'hi', a quote, 0x01, '!' */
};

static const uint8_t r_soa[] = {
    RESP_EXAMPLE_COM(6, 1, 0),
    0xc0, 0x0c, 0x00, 0x06, 0x00, 0x01, /* example.com SOA IN */
    0x00, 0x00, 0x0e, 0x10, /* ttl 3600 */
    0x00, 0x21,             /* rdlength 33 */
    2, 'n', 's', 0xc0, 0x0c, /* mname ns.example.com */
    5, 'a', 'd', 'm', 'i', 'n', 0xc0, 0x0c, /* rname admin.example.com */
    0x78, 0xa3, 0xf1, 0x75, /* serial 2024010101 */
    0x00, 0x00, 0x1c, 0x20, /* refresh 7200 */
    0x00, 0x00, 0x0e, 0x10, /* retry 3600 */
    0x00, 0x12, 0x75, 0x00, /* expire 1209600 */
    0x00, 0x00, 0x01, 0x2c, /* minimum 300 */
};

/* NXDOMAIN for example.com A: no answers, the zone's SOA in authority. */
static const uint8_t r_nxdomain[] = {
    0x12, 0x34,
    0x81, 0x83,             /* flags: QR, RD, RA, rcode 3 NXDOMAIN */
    0x00, 0x01, 0x00, 0x00, 0x00, 0x01, 0x00, 0x00, /* qd 1, an 0, ns 1, ar 0 */
    7, 'e', 'x', 'a', 'm', 'p', 'l', 'e', 3, 'c', 'o', 'm', 0,
    0x00, 0x01, 0x00, 0x01, /* A IN */
    0xc0, 0x0c, 0x00, 0x06, 0x00, 0x01, 0x00, 0x00, 0x01, 0x2c, /* SOA IN ttl 300 */
    0x00, 0x18,             /* rdlength 24 */
    0xc0, 0x0c,             /* mname example.com */
    0xc0, 0x0c,             /* rname example.com */
    0, 0, 0, 1, 0, 0, 0, 2, 0, 0, 0, 3, 0, 0, 0, 4, 0, 0, 0, 5, /* serial..minimum */
};

/* _sip._tcp.example.com SRV. */
static const uint8_t r_srv[] = {
    0x12, 0x34, 0x81, 0x80, 0x00, 0x01, 0x00, 0x01, 0x00, 0x00, 0x00, 0x00,
    4, '_', 's', 'i', 'p',  /* offset 12 */
    4, '_', 't', 'c', 'p',  /* offset 17 */
    7, 'e', 'x', 'a', 'm', 'p', 'l', 'e', /* offset 22 */
    3, 'c', 'o', 'm', 0,
    0x00, 0x21, 0x00, 0x01, /* SRV IN */
    0xc0, 0x0c, 0x00, 0x21, 0x00, 0x01, 0x00, 0x00, 0x00, 0x3c, /* SRV IN ttl 60 */
    0x00, 0x0c,             /* rdlength 12 */
    0x00, 0x00,             /* priority 0 */
    0x00, 0x05,             /* weight 5 */
    0x13, 0xc4,             /* port 5060 */
    3, 'p', 'b', 'x', 0xc0, 0x16, /* pbx.example.com */
};

/* 1.2.0.192.in-addr.arpa PTR host.example.com (uncompressed target). */
static const uint8_t r_ptr[] = {
    0x12, 0x34, 0x81, 0x80, 0x00, 0x01, 0x00, 0x01, 0x00, 0x00, 0x00, 0x00,
    1, '1', 1, '2', 1, '0', 3, '1', '9', '2',
    7, 'i', 'n', '-', 'a', 'd', 'd', 'r', 4, 'a', 'r', 'p', 'a', 0,
    0x00, 0x0c, 0x00, 0x01, /* PTR IN */
    0xc0, 0x0c, 0x00, 0x0c, 0x00, 0x01, 0x00, 0x01, 0x51, 0x80, /* PTR IN ttl 86400 */
    0x00, 0x12,             /* rdlength 18 */
    4, 'h', 'o', 's', 't', 7, 'e', 'x', 'a', 'm', 'p', 'l', 'e', 3, 'c', 'o', 'm', 0,
};

/* HTTPS (RFC 9460) and an unknown type 99 for example.com. */
static const uint8_t r_https[] = {
    RESP_EXAMPLE_COM(65, 2, 0),
    0xc0, 0x0c, 0x00, 0x41, 0x00, 0x01, 0x00, 0x00, 0x00, 0x3c, /* HTTPS IN ttl 60 */
    0x00, 0x0b,             /* rdlength 11 */
    0x00, 0x01,             /* priority 1 */
    0,                      /* target "." (the owner) */
    0x00, 0x01, 0x00, 0x04, 'h', '2', 0x02, 'h', /* alpn param, skipped */
    0xc0, 0x0c, 0x00, 0x63, 0x00, 0x01, 0x00, 0x00, 0x00, 0x3c, /* type 99 IN ttl 60 */
    0x00, 0x03, 1, 2, 3,    /* rdlength 3 */
};

/* mDNS query: _http._tcp.local PTR, QU bit set (RFC 6762 5.4). */
static const uint8_t mdns_qu[] = {
    0x00, 0x00, 0x00, 0x00, /* id 0, flags 0 */
    0x00, 0x01, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
    5, '_', 'h', 't', 't', 'p', 4, '_', 't', 'c', 'p', 5, 'l', 'o', 'c', 'a', 'l', 0,
    0x00, 0x0c,             /* PTR */
    0x80, 0x01,             /* unicast-response bit + IN */
};

/* mDNS announcement: printer.local A, cache-flush bit set (RFC 6762 10.2). */
static const uint8_t mdns_ann[] = {
    0x00, 0x00, 0x84, 0x00, /* id 0, flags QR AA */
    0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x00,
    7, 'p', 'r', 'i', 'n', 't', 'e', 'r', 5, 'l', 'o', 'c', 'a', 'l', 0,
    0x00, 0x01,             /* A */
    0x80, 0x01,             /* cache-flush + IN */
    0x00, 0x00, 0x00, 0x78, /* ttl 120 */
    0x00, 0x04, 192, 0, 2, 7,
};

/* clang-format on */

static void test_query_a(void **state)
{
    struct dns_msg *m = msg_new();
    struct dns_anomalies an = {0};
    (void)state;
    assert_int_equal(dns_parse(q_a, sizeof(q_a), m, &an), DNS_OK);
    assert_int_equal(an_total(&an), 0);
    assert_int_equal(m->id, 0xabcd);
    assert_false(m->qr);
    assert_true(m->rd);
    assert_false(m->ra);
    assert_int_equal(m->opcode, 0);
    assert_true(m->has_question);
    assert_string_equal(m->qname, "www.example.com");
    assert_int_equal(m->qtype, DNS_TYPE_A);
    assert_int_equal(m->qclass, 1);
    assert_false(m->qclass_unicast);
    assert_int_equal(m->answer_count, 0);
    free(m);
}

static void test_cname_chain(void **state)
{
    struct dns_msg *m = msg_new();
    struct dns_anomalies an = {0};
    (void)state;
    assert_int_equal(dns_parse(r_cname, sizeof(r_cname), m, &an), DNS_OK);
    assert_int_equal(an_total(&an), 0);
    assert_true(m->qr);
    assert_true(m->ra);
    assert_int_equal(m->rcode, 0);
    assert_int_equal(m->ancount, 3);
    assert_int_equal(m->answer_count, 3);
    assert_string_equal(m->answers[0].name, "www.example.com");
    assert_int_equal(m->answers[0].type, DNS_TYPE_CNAME);
    assert_int_equal(m->answers[0].ttl, 300);
    assert_string_equal(m->answers[0].rdata, "cdn.example.com");
    assert_string_equal(m->answers[1].name, "cdn.example.com");
    assert_int_equal(m->answers[1].type, DNS_TYPE_A);
    assert_int_equal(m->answers[1].rclass, 1);
    assert_string_equal(m->answers[1].rdata, "192.0.2.1");
    assert_string_equal(m->answers[2].name, "cdn.example.com");
    assert_string_equal(m->answers[2].rdata, "2001:db8::1");
    free(m);
}

static void test_record_types(void **state)
{
    struct dns_msg *m = msg_new();
    struct dns_anomalies an = {0};
    (void)state;

    assert_int_equal(dns_parse(r_mx, sizeof(r_mx), m, &an), DNS_OK);
    assert_int_equal(m->answers[0].pref, 10);
    assert_string_equal(m->answers[0].rdata, "10 mail.example.com");

    assert_int_equal(dns_parse(r_txt, sizeof(r_txt), m, &an), DNS_OK);
    /* Quote and 0x01 escaped, space kept. */
    assert_string_equal(m->answers[0].rdata, "\"v=spf1 -all\" \"hi\\034\\001!\"");
    assert_false(m->answers[0].rdata_cut);

    assert_int_equal(dns_parse(r_soa, sizeof(r_soa), m, &an), DNS_OK);
    assert_int_equal(m->answers[0].serial, 2024010101u);
    assert_string_equal(m->answers[0].rdata, "ns.example.com admin.example.com 2024010101");

    assert_int_equal(dns_parse(r_srv, sizeof(r_srv), m, &an), DNS_OK);
    assert_string_equal(m->qname, "_sip._tcp.example.com");
    assert_int_equal(m->answers[0].port, 5060);
    assert_int_equal(m->answers[0].weight, 5);
    assert_string_equal(m->answers[0].rdata, "0 5 5060 pbx.example.com");

    assert_int_equal(dns_parse(r_ptr, sizeof(r_ptr), m, &an), DNS_OK);
    assert_string_equal(m->qname, "1.2.0.192.in-addr.arpa");
    assert_int_equal(m->answers[0].ttl, 86400);
    assert_string_equal(m->answers[0].rdata, "host.example.com");

    assert_int_equal(dns_parse(r_https, sizeof(r_https), m, &an), DNS_OK);
    assert_int_equal(m->answer_count, 2);
    assert_string_equal(m->answers[0].rdata, "1 .");
    assert_string_equal(m->answers[1].rdata, "type 99, length 3");

    assert_int_equal(an_total(&an), 0);
    free(m);
}

static void test_nxdomain(void **state)
{
    struct dns_msg *m = msg_new();
    struct dns_anomalies an = {0};
    (void)state;
    assert_int_equal(dns_parse(r_nxdomain, sizeof(r_nxdomain), m, &an), DNS_OK);
    assert_int_equal(an_total(&an), 0);
    assert_int_equal(m->rcode, DNS_RCODE_NXDOMAIN);
    assert_int_equal(m->answer_count, 0);
    assert_int_equal(m->nscount, 1);
    assert_int_equal(m->authority_parsed, 1);
    free(m);
}

static void test_mdns_bits(void **state)
{
    struct dns_msg *m = msg_new();
    struct dns_anomalies an = {0};
    (void)state;
    assert_int_equal(dns_parse(mdns_qu, sizeof(mdns_qu), m, &an), DNS_OK);
    assert_string_equal(m->qname, "_http._tcp.local");
    assert_int_equal(m->qtype, DNS_TYPE_PTR);
    assert_int_equal(m->qclass, 1);
    assert_true(m->qclass_unicast);

    assert_int_equal(dns_parse(mdns_ann, sizeof(mdns_ann), m, &an), DNS_OK);
    assert_true(m->aa);
    assert_false(m->has_question);
    assert_int_equal(m->answers[0].rclass, 1);
    assert_true(m->answers[0].cache_flush);
    assert_string_equal(m->answers[0].rdata, "192.0.2.7");
    assert_int_equal(an_total(&an), 0);
    free(m);
}

/* Every prefix of r_cname: shorter than the header is DNS_ERR_SHORT, the rest
 * DNS_ERR_PARTIAL with an anomaly, and whatever answers were kept match the
 * full parse. */
static void test_every_prefix(void **state)
{
    struct dns_msg *full = msg_new(), *m = msg_new();
    struct dns_anomalies an;
    (void)state;
    assert_int_equal(dns_parse(r_cname, sizeof(r_cname), full, NULL), DNS_OK);
    for (uint32_t n = 0; n < sizeof(r_cname); n++) {
        uint8_t *copy = xmalloc(n ? n : 1); /* exact size: ASan sees any over-read */
        memcpy(copy, r_cname, n);
        memset(&an, 0, sizeof(an));
        int rc = dns_parse(copy, n, m, &an);
        assert_int_equal(rc, n < 12 ? DNS_ERR_SHORT : DNS_ERR_PARTIAL);
        assert_true(an.count[DNS_AN_TRUNCATED] + an.count[DNS_AN_COUNTS_MISMATCH] == 1);
        assert_int_equal(an_total(&an), 1);
        if (n >= 12) {
            assert_int_equal(m->id, full->id);
            assert_int_equal(m->ancount, 3);
        }
        if (m->has_question)
            assert_string_equal(m->qname, full->qname);
        for (unsigned i = 0; i < m->answer_count; i++) {
            assert_string_equal(m->answers[i].name, full->answers[i].name);
            assert_string_equal(m->answers[i].rdata, full->answers[i].rdata);
        }
        free(copy);
    }
    free(full);
    free(m);
}

/* A one-question message whose question name is `name` (n bytes). */
static uint32_t build_q(uint8_t *b, size_t cap, const uint8_t *name, size_t n)
{
    static const uint8_t hdr[12] = {0, 1, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0};
    assert_true(12 + n + 4 <= cap);
    memcpy(b, hdr, 12);
    memcpy(b + 12, name, n);
    memcpy(b + 12 + n, "\x00\x01\x00\x01", 4);
    return (uint32_t)(12 + n + 4);
}

static int parse_q(const uint8_t *name, size_t n, struct dns_msg *m, struct dns_anomalies *an)
{
    uint8_t b[600];
    memset(an, 0, sizeof(*an));
    return dns_parse(b, build_q(b, sizeof(b), name, n), m, an);
}

static void test_compression_loops(void **state)
{
    struct dns_msg *m = msg_new();
    struct dns_anomalies an;
    (void)state;

    /* Self-pointer: the name at 12 is a pointer to 12. */
    static const uint8_t self[] = {0xc0, 0x0c};
    assert_int_equal(parse_q(self, sizeof(self), m, &an), DNS_ERR_PARTIAL);
    assert_int_equal(an.count[DNS_AN_NAME_LOOP], 1);
    assert_false(m->has_question);

    /* Label then a pointer back to its own label (12): points into the
     * sequence being read, pins ptr >= start-of-sequence (not > ). */
    static const uint8_t into_self[] = {1, 'a', 0xc0, 0x0c};
    assert_int_equal(parse_q(into_self, sizeof(into_self), m, &an), DNS_ERR_PARTIAL);
    assert_int_equal(an.count[DNS_AN_NAME_LOOP], 1);

    /* Forward pointer to offset 16 (the qtype after the name). */
    static const uint8_t fwd[] = {1, 'a', 0xc0, 0x10};
    assert_int_equal(parse_q(fwd, sizeof(fwd), m, &an), DNS_ERR_PARTIAL);
    assert_int_equal(an.count[DNS_AN_BAD_POINTER], 1);

    /* Pointer past the message end. */
    static const uint8_t out[] = {0xff, 0xff};
    assert_int_equal(parse_q(out, sizeof(out), m, &an), DNS_ERR_PARTIAL);
    assert_int_equal(an.count[DNS_AN_BAD_POINTER], 1);

    /* Two-pointer cycle 20 -> 13 -> 20: the answer name at 20 points back
     * to 13 (allowed), inside the question's label, where the bytes c0 14
     * lead back to 20, which this name already walked: a loop, not merely a
     * forward pointer. */
    static const uint8_t cyc[] = {
        0x00, 0x01, 0x81, 0x80, 0x00, 0x01, 0x00, 0x01, 0x00, 0x00, 0x00, 0x00, /* qd 1, an 1 */
        2,    0xc0, 0x14, 0,    /* 12: question name, one 2-byte label "\192\020" */
        0x00, 0x01, 0x00, 0x01, /* 16: A IN */
        0xc0, 0x0d,             /* 20: answer name, pointer to 13 */
        0x00, 0x01, 0x00, 0x01, 0,    0,    0,    0,    0x00, 0x00, /* A IN ttl 0 rdlength 0 */
    };
    memset(&an, 0, sizeof(an));
    assert_int_equal(dns_parse(cyc, sizeof(cyc), m, &an), DNS_ERR_PARTIAL);
    assert_int_equal(an.count[DNS_AN_NAME_LOOP], 1);
    assert_int_equal(m->answer_count, 0);
    assert_string_equal(m->qname, "\\192\\020");
    free(m);
}

/* Appends a label of n 'x' bytes. */
static size_t put_label(uint8_t *b, size_t off, uint8_t n)
{
    b[off] = n;
    memset(b + off + 1, 'x', n);
    return off + 1 + n;
}

static void test_name_boundaries(void **state)
{
    struct dns_msg *m = msg_new();
    struct dns_anomalies an;
    uint8_t name[300];
    size_t n;
    (void)state;

    /* 63+63+63+61 labels: 4 length bytes + 250 + root = 255 on the wire, the
     * maximum (pins wire > 255, not >= 255). */
    n = put_label(name, 0, 63);
    n = put_label(name, n, 63);
    n = put_label(name, n, 63);
    n = put_label(name, n, 61);
    name[n++] = 0;
    assert_int_equal(n, 255);
    assert_int_equal(parse_q(name, n, m, &an), DNS_OK);
    assert_int_equal(strlen(m->qname), 253);

    /* 62 in the last label: 256 bytes, one too many. */
    n = put_label(name, 0, 63);
    n = put_label(name, n, 63);
    n = put_label(name, n, 63);
    n = put_label(name, n, 62);
    name[n++] = 0;
    assert_int_equal(parse_q(name, n, m, &an), DNS_ERR_PARTIAL);
    assert_int_equal(an.count[DNS_AN_NAME_TOO_LONG], 1);

    /* Label of 63: fine. Length byte 64 (0x40): not a length but the
     * withdrawn extended-label type (pins the 0xc0 mask vs > 63). */
    n = put_label(name, 0, 63);
    name[n++] = 0;
    assert_int_equal(parse_q(name, n, m, &an), DNS_OK);
    n = put_label(name, 0, 64);
    name[n++] = 0;
    assert_int_equal(parse_q(name, n, m, &an), DNS_ERR_PARTIAL);
    assert_int_equal(an.count[DNS_AN_LABEL_TYPE_UNKNOWN], 1);

    /* 0x80 is reserved too. */
    static const uint8_t r80[] = {0x80, 0};
    assert_int_equal(parse_q(r80, sizeof(r80), m, &an), DNS_ERR_PARTIAL);
    assert_int_equal(an.count[DNS_AN_LABEL_TYPE_UNKNOWN], 1);

    /* Root name and escaping of '.', '\\', space and 0xff inside labels. */
    static const uint8_t root[] = {0};
    assert_int_equal(parse_q(root, sizeof(root), m, &an), DNS_OK);
    assert_string_equal(m->qname, ".");
    static const uint8_t esc[] = {5, 'a', '.', '\\', ' ', 0xff, 3, 'c', 'o', 'm', 0};
    assert_int_equal(parse_q(esc, sizeof(esc), m, &an), DNS_OK);
    assert_string_equal(m->qname, "a\\046\\092\\032\\255.com");
    free(m);
}

static void test_counts(void **state)
{
    struct dns_msg *m = msg_new();
    struct dns_anomalies an = {0};
    uint8_t b[sizeof(r_mx) + 3];
    (void)state;

    /* ancount 2 but one record: the first is kept, the walk stops. */
    memcpy(b, r_mx, sizeof(r_mx));
    b[7] = 2;
    assert_int_equal(dns_parse(b, sizeof(r_mx), m, &an), DNS_ERR_PARTIAL);
    assert_int_equal(an.count[DNS_AN_COUNTS_MISMATCH], 1);
    assert_int_equal(m->answer_count, 1);
    assert_string_equal(m->answers[0].rdata, "10 mail.example.com");

    /* Three bytes after the last record: counted, still DNS_OK. */
    b[7] = 1;
    memset(b + sizeof(r_mx), 0, 3);
    memset(&an, 0, sizeof(an));
    assert_int_equal(dns_parse(b, sizeof(b), m, &an), DNS_OK);
    assert_int_equal(an.count[DNS_AN_COUNTS_MISMATCH], 1);

    /* An A record with rdlength 3: kept, counted, the walk goes on. */
    uint8_t a3[sizeof(r_cname)];
    memcpy(a3, r_cname, sizeof(a3));
    a3[62] = 3; /* answer 2 rdlength low byte */
    a3[66] = 0; /* the moved byte now sits where answer 3 starts: make it the root */
    memset(&an, 0, sizeof(an));
    assert_int_not_equal(dns_parse(a3, sizeof(a3), m, &an), DNS_ERR_SHORT);
    assert_true(an.count[DNS_AN_RDATA_MALFORMED] >= 1);
    assert_string_equal(m->answers[1].rdata, "");
    free(m);
}

/* Answers past DNS_MAX_ANSWERS are walked, not kept; TXT text is cut at
 * DNS_TXT_TEXT_MAX without a half-written string or escape. */
static void test_caps(void **state)
{
    struct dns_msg *m = msg_new();
    struct dns_anomalies an = {0};
    uint8_t *b = xcalloc(1, 4096);
    size_t n = 29, i;
    (void)state;

    memcpy(b, r_mx, 29); /* header and question example.com */
    b[7] = DNS_MAX_ANSWERS + 1;
    for (i = 0; i < DNS_MAX_ANSWERS + 1u; i++) {
        /* example.com A IN ttl 0, rdlength 4, 192.0.2.<i> */
        static const uint8_t a[] = {0xc0, 0x0c, 0, 1, 0, 1, 0, 0, 0, 0, 0, 4, 192, 0, 2};
        memcpy(b + n, a, sizeof(a));
        n += sizeof(a);
        b[n++] = (uint8_t)i;
    }
    assert_int_equal(dns_parse(b, (uint32_t)n, m, &an), DNS_OK);
    assert_int_equal(m->answer_count, DNS_MAX_ANSWERS);
    assert_int_equal(m->answers_parsed, DNS_MAX_ANSWERS + 1);
    assert_string_equal(m->answers[DNS_MAX_ANSWERS - 1].rdata, "192.0.2.31");

    /* One TXT record of three 255-byte strings (0x01 bytes, 4 characters
     * each when escaped). */
    n = 29;
    b[7] = 1;
    static const uint8_t txt[] = {0xc0, 0x0c, 0, 16, 0, 1, 0, 0, 0, 0, 0x03, 0x00};
    memcpy(b + n, txt, sizeof(txt));
    n += sizeof(txt);
    for (i = 0; i < 3; i++) {
        b[n++] = 255;
        memset(b + n, 0x01, 255);
        n += 255;
    }
    assert_int_equal(dns_parse(b, (uint32_t)n, m, &an), DNS_OK);
    assert_true(m->answers[0].rdata_cut);
    size_t tl = strlen(m->answers[0].rdata);
    assert_true(tl < DNS_TXT_TEXT_MAX);
    assert_true(tl >= DNS_TXT_TEXT_MAX - 4);
    assert_int_equal(tl % 4, 1); /* the opening quote, then whole \001 escapes */
    assert_int_equal(an_total(&an), 0);
    free(b);
    free(m);
}

static void test_nbns(void **state)
{
    char out[70];
    (void)state;
    /* "SOUMU-PC01" padded with spaces to 15, suffix 0x00: each byte is two
     * letters 'A' + nibble (S = 0x53 -> "FD"). */
    assert_int_equal(dns_nbns_name_decode("FDEPFFENFFCNFAEDDADBCACACACACAAA", out, sizeof(out)), 0);
    assert_string_equal(out, "SOUMU-PC01<00>");
    /* Followed by a scope: still decoded. Suffix 0x20 (file server). */
    assert_int_equal(
        dns_nbns_name_decode("FDEPFFENFFCNFAEDDADBCACACACACACA.corp", out, sizeof(out)), 0);
    assert_string_equal(out, "SOUMU-PC01<20>");
    /* '*' (wildcard query), nulls after it are not spaces: escaped. */
    assert_int_equal(dns_nbns_name_decode("CKAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA", out, sizeof(out)), 0);
    assert_string_equal(out, "*\\000\\000\\000\\000\\000\\000\\000\\000\\000\\000\\000\\000\\000"
                             "\\000<00>");
    /* Letter out of range, 31 characters, 33 characters, short buffer. */
    assert_int_equal(dns_nbns_name_decode("QDEPFFENFFCNFAEDDADBCACACACACAAA", out, sizeof(out)),
                     -1);
    assert_int_equal(dns_nbns_name_decode("FDEPFFENFFCNFAEDDADBCACACACACAA", out, sizeof(out)), -1);
    assert_int_equal(dns_nbns_name_decode("FDEPFFENFFCNFAEDDADBCACACACACAAAA", out, sizeof(out)),
                     -1);
    assert_int_equal(dns_nbns_name_decode("FDEPFFENFFCNFAEDDADBCACACACACAAA", out, 14), -1);
    assert_string_equal(out, "");
    assert_int_equal(dns_nbns_name_decode("FDEPFFENFFCNFAEDDADBCACACACACAAA", out, 15), 0);
}

/* ---- TCP framing ---- */

struct seen {
    unsigned n;
    uint32_t len[4];
    uint8_t first[4];
    uint8_t last[4];
};

static void on_msg(const uint8_t *msg, uint32_t len, void *user)
{
    struct seen *s = user;
    assert_true(s->n < 4);
    s->len[s->n] = len;
    s->first[s->n] = len ? msg[0] : 0;
    s->last[s->n] = len ? msg[len - 1] : 0;
    s->n++;
}

/* Stream: [len q_a] q_a [0 0] (empty frame) [len r_cname] r_cname. */
static size_t build_stream(uint8_t *b)
{
    size_t n = 0;
    b[n++] = 0;
    b[n++] = (uint8_t)sizeof(q_a);
    memcpy(b + n, q_a, sizeof(q_a));
    n += sizeof(q_a);
    b[n++] = 0;
    b[n++] = 0;
    b[n++] = 0;
    b[n++] = (uint8_t)sizeof(r_cname);
    memcpy(b + n, r_cname, sizeof(r_cname));
    return n + sizeof(r_cname);
}

static void check_seen(const struct seen *s, const struct dns_tcp_framer *f)
{
    assert_int_equal(s->n, 2);
    assert_int_equal(s->len[0], sizeof(q_a));
    assert_int_equal(s->last[0], q_a[sizeof(q_a) - 1]);
    assert_int_equal(s->len[1], sizeof(r_cname));
    assert_int_equal(s->last[1], r_cname[sizeof(r_cname) - 1]);
    assert_int_equal(f->messages, 2);
    assert_int_equal(f->empty_frames, 1);
}

static void test_tcp_framing(void **state)
{
    uint8_t b[256];
    size_t n = build_stream(b);
    (void)state;

    /* Two pieces split at every point (0 and n: one piece is empty). */
    for (size_t split = 0; split <= n; split++) {
        struct dns_tcp_framer f;
        struct seen s = {0};
        dns_tcp_framer_init(&f, on_msg, &s);
        dns_tcp_framer_feed(&f, b, (uint32_t)split);
        dns_tcp_framer_feed(&f, b + split, (uint32_t)(n - split));
        check_seen(&s, &f);
        dns_tcp_framer_release(&f);
    }

    /* One byte at a time, each framed message parsed. */
    struct dns_tcp_framer f;
    struct seen s = {0};
    dns_tcp_framer_init(&f, on_msg, &s);
    for (size_t i = 0; i < n; i++)
        dns_tcp_framer_feed(&f, b + i, 1);
    check_seen(&s, &f);
    dns_tcp_framer_release(&f);

    /* A 65535-byte frame, fed in 1000-byte pieces, arrives whole. */
    uint8_t *big = xcalloc(1, 65537);
    big[0] = 0xff;
    big[1] = 0xff;
    big[65536] = 0x5a;
    memset(&s, 0, sizeof(s));
    dns_tcp_framer_init(&f, on_msg, &s);
    for (size_t off = 0; off < 65537; off += 1000)
        dns_tcp_framer_feed(&f, big + off, (uint32_t)MIN((size_t)1000, 65537 - off));
    assert_int_equal(s.n, 1);
    assert_int_equal(s.len[0], 65535);
    assert_int_equal(s.last[0], 0x5a);
    dns_tcp_framer_release(&f);
    free(big);
}

/* ---- Real capture ---- */

static void test_pcap_malformed_dns(void **state)
{
    const char *shared = getenv("MAMORI_SHARED");
    char path[4096], errbuf[PCAP_ERRBUF_SIZE];
    struct pcap_pkthdr *h;
    const u_char *data;
    struct decode_config cfg;
    struct decode_ctx ctx;
    struct dns_anomalies an = {0};
    unsigned parsed = 0, frames = 0, responses = 0;
    (void)state;

    snprintf(path, sizeof(path), "%s/data/pcap/malformed/malformed_dns.pcap",
             shared ? shared : "../shared");
    pcap_t *pc = pcap_open_offline(path, errbuf);
    if (!pc) {
        print_message("skip: %s not available (%s)\n", path, errbuf);
        skip();
    }
    struct dns_msg *m = msg_new();
    decode_config_defaults(&cfg);
    decode_ctx_init(&ctx, &cfg);
    while (pcap_next_ex(pc, &h, &data) == 1) {
        struct packet pkt;
        memset(&pkt, 0, sizeof(pkt));
        pkt.data = data;
        pkt.caplen = h->caplen;
        pkt.wirelen = h->len;
        pkt.linktype = pcap_datalink(pc);
        pkt.num = ++frames;
        decode_packet(&ctx, &pkt);
        if (pkt.layer_count == 0)
            continue;
        const struct ip_layer *l = &pkt.layers[pkt.layer_count - 1];
        if (l->proto != 17 || !l->l4_ok)
            continue;
        int rc = dns_parse(l->payload, l->payload_len, m, &an);
        parsed++;
        if (!m->qr)
            continue;
        /* Each response: www.xt.com, then a second question whose name runs
         * past 255 bytes (skipped: it ends at its last pointer, so the walk
         * goes on), then A 66.66.66.66 and a CNAME whose target is too long
         * (kept, rdata empty), as tshark shows them. */
        responses++;
        assert_int_equal(rc, DNS_ERR_PARTIAL);
        assert_int_equal(m->question_count, 1);
        assert_string_equal(m->qname, "www.xt.com");
        assert_int_equal(m->answers_parsed, 2);
        assert_int_equal(m->answer_count, 2);
        assert_string_equal(m->answers[0].rdata, "66.66.66.66");
        assert_int_equal(m->answers[1].type, DNS_TYPE_CNAME);
        assert_string_equal(m->answers[1].rdata, "");
    }
    pcap_close(pc);
    decode_ctx_release(&ctx);
    /* 6 frames, all DNS over UDP: 2 queries and 4 responses, each with a
     * question name and a CNAME target longer than 255 bytes. */
    print_message("malformed_dns.pcap: %u frames, %u parsed, anomalies: %u\n", frames, parsed,
                  an_total(&an));
    assert_int_equal(parsed, frames);
    assert_int_equal(responses, 4);
    assert_int_equal(an.count[DNS_AN_NAME_TOO_LONG], 8);
    assert_int_equal(an_total(&an), 8);
    free(m);
}

/* ---- App-layer parsers (app_parser_dns, _mdns, _llmnr, _nbns) ---- */

static void app_assert_has(const struct apt *t, const char *needle)
{
    if (apt_find(t, needle) < 0) {
        for (unsigned i = 0; i < t->nevents; i++)
            fprintf(stderr, "event %u: %s\n", i, t->ev[i]);
        fail_msg("no event contains %s", needle);
    }
}

/* MAMORI_DUMP_EVE=file appends each event for a schema check by hand. */
static void app_dump(const struct apt *t)
{
    const char *path = getenv("MAMORI_DUMP_EVE");
    FILE *fp = path ? fopen(path, "a") : NULL;
    if (!fp)
        return;
    for (unsigned i = 0; i < t->nevents; i++)
        fprintf(fp, "%s\n", t->ev[i]);
    fclose(fp);
}

static void test_app_udp(void **state)
{
    struct apt t;
    (void)state;
    assert_int_equal(app_parser_dns.probe(q_a, sizeof(q_a), 0), APP_PROBE_YES);
    assert_int_equal(app_parser_dns.probe(r_cname, sizeof(r_cname), 1), APP_PROBE_YES);
    apt_begin(&t, &app_parser_dns, 17);
    apt_feed(&t, 0, q_a, sizeof(q_a));
    apt_feed(&t, 1, r_cname, sizeof(r_cname));
    apt_feed(&t, 0, q_a, sizeof(q_a));
    assert_int_equal(t.nevents, 3);
    assert_int_equal(t.nanomalies, 0);
    app_dump(&t);
    assert_string_equal(t.ev[0], "dns {\"id\":43981,\"opcode\":0,\"rrname\":\"www.example.com\","
                                 "\"rrtype\":\"A\",\"tx_id\":0,\"type\":\"query\",\"version\":2} "
                                 "{\"answer_count\":0,\"proto\":\"dns\",\"rcode\":0,"
                                 "\"truncated\":false}");
    app_assert_has(&t, "\"tx_id\":1,\"type\":\"query\"");
    app_assert_has(&t, "\"flags\":\"8180\"");
    app_assert_has(&t, "\"qr\":true");
    app_assert_has(&t, "\"ra\":true,\"rcode\":\"NOERROR\",\"rd\":true");
    app_assert_has(&t, "{\"rdata\":\"cdn.example.com\",\"rrname\":\"www.example.com\","
                       "\"rrtype\":\"CNAME\",\"ttl\":300}");
    app_assert_has(&t, "\"grouped\":{\"A\":[\"192.0.2.1\"],\"AAAA\":[\"2001:db8::1\"],"
                       "\"CNAME\":[\"cdn.example.com\"]}");
    app_assert_has(&t, "\"answer_count\":3");
    apt_free(&t);
}

static void test_app_record_types(void **state)
{
    struct apt t;
    (void)state;
    apt_begin(&t, &app_parser_dns, 17);
    apt_feed(&t, 1, r_mx, sizeof(r_mx));
    apt_feed(&t, 1, r_txt, sizeof(r_txt));
    apt_feed(&t, 1, r_srv, sizeof(r_srv));
    apt_feed(&t, 1, r_nxdomain, sizeof(r_nxdomain));
    apt_feed(&t, 1, r_https, sizeof(r_https));
    app_dump(&t);
    /* MX: the exchange only, as Suricata logs it. */
    app_assert_has(&t, "\"grouped\":{\"MX\":[\"mail.example.com\"]}");
    /* Two TXT strings stay in dig's quoted form. */
    app_assert_has(&t, "\"rrtype\":\"TXT\"");
    app_assert_has(&t, "\"srv\":{\"name\":\"pbx.example.com\",\"port\":5060,\"priority\":0,"
                       "\"weight\":5}");
    app_assert_has(&t, "\"grouped\":{\"SRV\":[{\"name\":\"pbx.example.com\"");
    app_assert_has(&t, "\"rcode\":\"NXDOMAIN\"");
    app_assert_has(&t, "\"rcode\":3");
    /* Type 99 (SPF): a name, no rdata (not one Suricata renders). */
    app_assert_has(&t, "{\"rrname\":\"example.com\",\"rrtype\":\"SPF\",\"ttl\":60}");
    apt_free(&t);
}

/* Two messages in one TCP stream (q_a, empty frame, r_cname), cut at every
 * point and one byte at a time: always the same two events. */
static void test_app_tcp_split(void **state)
{
    uint8_t b[256];
    (void)state;
    size_t n = build_stream(b);
    assert_int_equal(app_parser_dns.probe(b, (uint32_t)n, 0), APP_PROBE_YES);
    /* A prefix shorter than header + name is NEED_MORE, never NO: pins the
     * TCP reading of a stream whose first segment is tiny. */
    for (uint32_t k = 0; k < 2 + 12 + 17 + 4; k++)
        assert_int_equal(app_parser_dns.probe(b, k, 0), APP_PROBE_NEED_MORE);
    for (uint32_t cut = 0; cut <= n; cut++) {
        struct apt t;
        apt_begin(&t, &app_parser_dns, 6);
        apt_feed_split(&t, 0, b, (uint32_t)n, cut);
        assert_int_equal(t.nevents, 2);
        assert_int_equal(t.nanomalies, 0);
        app_assert_has(&t, "\"type\":\"query\"");
        app_assert_has(&t, "\"type\":\"answer\"");
        app_assert_has(&t, "\"transport\":\"tcp\"");
        apt_free(&t);
    }
    struct apt t;
    apt_begin(&t, &app_parser_dns, 6);
    apt_feed_bytes(&t, 0, b, (uint32_t)n);
    assert_int_equal(t.nevents, 2);
    /* The flow ends mid-message: release frees the framer's buffer. */
    apt_feed_bytes(&t, 1, b, 10);
    apt_free(&t);
}

static void test_app_every_prefix(void **state)
{
    (void)state;
    for (uint32_t n = 0; n <= sizeof(r_cname); n++) {
        struct apt t;
        uint8_t *copy = malloc(n ? n : 1);
        memcpy(copy, r_cname, n);
        apt_begin(&t, &app_parser_dns, 17);
        apt_feed(&t, 1, copy, n);
        /* Below 12 bytes no header: only the anomaly. Otherwise one answer
         * event, with an anomaly unless the prefix is the whole message. */
        assert_int_equal(t.nevents, n < 12 ? 0 : 1);
        assert_int_equal(t.nanomalies == 0, n == sizeof(r_cname));
        apt_free(&t);
        free(copy);
    }
}

/* mDNS announcement of a printer: A, SRV and a reverse PTR. */
static const uint8_t mdns_printer[] = {
    0x00, 0x00, 0x84, 0x00, /* id 0, flags QR AA */
    0x00, 0x00, 0x00, 0x03, 0x00, 0x00, 0x00, 0x00, /* qd 0, an 3 */
    10, 'P', 'r', 'i', 'n', 't', 'e', 'r', '-', '0', '1', /* offset 12 */
    5, 'l', 'o', 'c', 'a', 'l', 0,                        /* offset 23: local */
    0x00, 0x01, 0x80, 0x01, /* A, cache-flush IN */
    0x00, 0x00, 0x00, 0x78, 0x00, 0x04, 192, 168, 1, 50,
    /* offset 45: "Printer 01._ipp._tcp.local" SRV 0 0 631 Printer-01.local */
    10, 'P', 'r', 'i', 'n', 't', 'e', 'r', ' ', '0', '1',
    4, '_', 'i', 'p', 'p', 4, '_', 't', 'c', 'p', 0xc0, 0x17,
    0x00, 0x21, 0x80, 0x01, 0x00, 0x00, 0x00, 0x78, 0x00, 0x08,
    0x00, 0x00, 0x00, 0x00, 0x02, 0x77, 0xc0, 0x0c,
    /* 50.1.168.192.in-addr.arpa PTR Printer-01.local */
    2, '5', '0', 1, '1', 3, '1', '6', '8', 3, '1', '9', '2',
    7, 'i', 'n', '-', 'a', 'd', 'd', 'r', 4, 'a', 'r', 'p', 'a', 0,
    0x00, 0x0c, 0x80, 0x01, 0x00, 0x00, 0x00, 0x78, 0x00, 0x02, 0xc0, 0x0c,
};

static void test_app_mdns(void **state)
{
    struct apt t;
    (void)state;
    assert_int_equal(app_parser_mdns.probe(mdns_printer, sizeof(mdns_printer), 0), APP_PROBE_YES);
    assert_int_equal(app_parser_mdns.probe(mdns_qu, sizeof(mdns_qu), 0), APP_PROBE_YES);
    apt_begin(&t, &app_parser_mdns, 17);
    apt_feed(&t, 0, mdns_printer, sizeof(mdns_printer));
    apt_feed(&t, 0, mdns_qu, sizeof(mdns_qu));
    apt_feed(&t, 0, mdns_ann, sizeof(mdns_ann));
    assert_int_equal(t.nevents, 3);
    assert_int_equal(t.nanomalies, 0);
    app_dump(&t);
    app_assert_has(&t, "\"hostname\":\"Printer-01.local\"");
    app_assert_has(&t, "\"hostnames\":[\"Printer-01.local\"]");
    app_assert_has(&t, "\"instances\":[\"Printer\\\\03201._ipp._tcp.local\"]");
    app_assert_has(&t, "\"proto\":\"mdns\"");
    app_assert_has(&t, "\"unicast_response\":true");
    app_assert_has(&t, "\"hostname\":\"printer.local\"");
    app_assert_has(&t, "dns {\"aa\":true");
    apt_free(&t);
}

/* LLMNR query for "wpad" and its answer. */
static void test_app_llmnr(void **state)
{
    static const uint8_t q[] = {
        0x8a, 0x2e, 0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
        4, 'w', 'p', 'a', 'd', 0, 0x00, 0x01, 0x00, 0x01, /* wpad A IN */
    };
    static const uint8_t r[] = {
        0x8a, 0x2e, 0x80, 0x00, 0x00, 0x01, 0x00, 0x01, 0x00, 0x00, 0x00, 0x00,
        4, 'w', 'p', 'a', 'd', 0, 0x00, 0x01, 0x00, 0x01,
        0xc0, 0x0c, 0x00, 0x01, 0x00, 0x01, 0x00, 0x00, 0x00, 0x1e, 0x00, 0x04, 10, 0, 0, 9,
    };
    struct apt t;
    (void)state;
    assert_int_equal(app_parser_llmnr.probe(q, sizeof(q), 0), APP_PROBE_YES);
    apt_begin(&t, &app_parser_llmnr, 17);
    apt_feed(&t, 0, q, sizeof(q));
    apt_feed(&t, 1, r, sizeof(r));
    assert_int_equal(t.nevents, 2);
    app_dump(&t);
    app_assert_has(&t, "\"query_name\":\"wpad\"");
    app_assert_has(&t, "\"hostname\":\"wpad\"");
    app_assert_has(&t, "\"proto\":\"llmnr\"");
    apt_free(&t);
}

/* NBNS name registration (RFC 1002 4.2.2): SOUMU-PC01<00> at 192.168.1.20,
 * then a positive response, then a node status (NBSTAT) response. */
#define NB_NAME_SOUMU                                                                             \
    0x20, 'F', 'D', 'E', 'P', 'F', 'F', 'E', 'N', 'F', 'F', 'C', 'N', 'F', 'A', 'E', 'D', 'D',    \
        'A', 'D', 'B', 'C', 'A', 'C', 'A', 'C', 'A', 'C', 'A', 'C', 'A', 'A', 'A', 0x00

static const uint8_t nbns_reg[] = {
    0x6a, 0x01,             /* id */
    0x29, 0x10,             /* opcode 5 registration, RD, B (broadcast) */
    0x00, 0x01, 0x00, 0x00, 0x00, 0x00, 0x00, 0x01, /* qd 1, ar 1 */
    NB_NAME_SOUMU,          /* offset 12, 34 bytes */
    0x00, 0x20, 0x00, 0x01, /* NB IN */
    0xc0, 0x0c,             /* additional: the same name */
    0x00, 0x20, 0x00, 0x01, /* NB IN */
    0x00, 0x04, 0x93, 0xe0, /* ttl 300000 */
    0x00, 0x06,             /* rdlength 6 */
    0x00, 0x00,             /* NB_FLAGS: unique, B node */
    192, 168, 1, 20,
};

static const uint8_t nbns_resp[] = {
    0x6a, 0x02, 0x85, 0x00, /* response, opcode 0, AA, RD */
    0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x00, /* an 1 */
    NB_NAME_SOUMU,
    0x00, 0x20, 0x00, 0x01, 0x00, 0x04, 0x93, 0xe0, 0x00, 0x06,
    0x00, 0x00, 192, 168, 1, 20,
};

static const uint8_t nbns_stat[] = {
    0x6a, 0x03, 0x84, 0x00, 0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x00,
    NB_NAME_SOUMU,
    0x00, 0x21, 0x00, 0x01, 0x00, 0x00, 0x00, 0x00, /* NBSTAT IN ttl 0 */
    0x00, 0x2b,             /* rdlength 43: 1 + 2 * 18 + 6 */
    2,                      /* NUM_NAMES */
    'S', 'O', 'U', 'M', 'U', '-', 'P', 'C', '0', '1', ' ', ' ', ' ', ' ', ' ', 0x00, 0x04, 0x00,
    'W', 'O', 'R', 'K', 'G', 'R', 'O', 'U', 'P', ' ', ' ', ' ', ' ', ' ', ' ', 0x00, 0x84, 0x00,
    0x00, 0x0b, 0x82, 0x01, 0xfc, 0x42, /* unit id (MAC) */
};

static void test_app_nbns(void **state)
{
    struct apt t;
    (void)state;
    assert_int_equal(app_parser_nbns.probe(nbns_reg, sizeof(nbns_reg), 0), APP_PROBE_YES);
    assert_int_equal(app_parser_nbns.probe(nbns_resp, sizeof(nbns_resp), 1), APP_PROBE_YES);
    /* A DNS query is not NBNS (its first label is not 32 bytes). */
    assert_int_equal(app_parser_nbns.probe(q_a, sizeof(q_a), 0), APP_PROBE_NO);
    apt_begin(&t, &app_parser_nbns, 17);
    apt_feed(&t, 0, nbns_reg, sizeof(nbns_reg));
    apt_feed(&t, 1, nbns_resp, sizeof(nbns_resp));
    apt_feed(&t, 1, nbns_stat, sizeof(nbns_stat));
    assert_int_equal(t.nevents, 3);
    assert_int_equal(t.nanomalies, 0);
    app_dump(&t);
    app_assert_has(&t, "\"rrname\":\"SOUMU-PC01<00>\",\"rrtype\":\"NB\"");
    app_assert_has(&t, "\"nbns_op\":\"registration\"");
    app_assert_has(&t, "\"name\":\"SOUMU-PC01<00>\"");
    app_assert_has(&t, "\"addresses\":[\"192.168.1.20\"]");
    app_assert_has(&t, "\"broadcast\":true");
    app_assert_has(&t, "{\"rdata\":\"192.168.1.20\",\"rrname\":\"SOUMU-PC01<00>\","
                       "\"rrtype\":\"NB\",\"ttl\":300000}");
    app_assert_has(&t, "\"nbstat_names\":[\"SOUMU-PC01<00>\",\"WORKGROUP<00>\"]");
    app_assert_has(&t, "\"nbstat_mac\":\"00:0b:82:01:fc:42\"");
    app_assert_has(&t, "\"rrtype\":\"NBSTAT\"");
    apt_free(&t);
}

static void test_app_probe_no(void **state)
{
    static const uint8_t junk[] = {
        0x17, 0x03, 0x03, 0x00, 0x20, 0xde, 0xad, 0xbe, 0xef, 0x01, 0x02, 0x03,
        0x04, 0x05, 0x06, 0x07, 0x08, 0x09, 0x0a, 0x0b, 0x0c, 0x0d, 0x0e, 0x0f,
    };
    uint8_t bad[sizeof(q_a)];
    (void)state;
    assert_int_equal(app_parser_dns.probe(junk, sizeof(junk), 0), APP_PROBE_NO);
    assert_int_equal(app_parser_mdns.probe(junk, sizeof(junk), 0), APP_PROBE_NO);
    assert_int_equal(app_parser_llmnr.probe(junk, sizeof(junk), 0), APP_PROBE_NO);
    assert_int_equal(app_parser_nbns.probe(junk, sizeof(junk), 0), APP_PROBE_NO);
    memcpy(bad, q_a, sizeof(q_a));
    bad[sizeof(bad) - 1] = 0x09; /* qclass 9: unknown */
    assert_int_equal(app_parser_dns.probe(bad, sizeof(bad), 0), APP_PROBE_NO);
    memcpy(bad, q_a, sizeof(q_a));
    bad[2] = 0x19; /* opcode 3: unassigned */
    assert_int_equal(app_parser_dns.probe(bad, sizeof(bad), 0), APP_PROBE_NO);
}

/* ---- Authority section, every question, skipping unreadable names ---- */

/* clang-format off */

/* mDNS query of three questions (RFC 6762 6.3 batches them), names
 * compressed against the first. */
static const uint8_t mdns_3q[] = {
    0x00, 0x00, 0x00, 0x00, /* id 0, flags 0 (query) */
    0x00, 0x03, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, /* qd 3 */
    4, '_', 'i', 'p', 'p',  /* offset 12: _ipp */
    4, '_', 't', 'c', 'p',  /* offset 17: _tcp */
    5, 'l', 'o', 'c', 'a', 'l', 0, /* offset 22: local */
    0x00, 0x0c, 0x00, 0x01, /* PTR IN; next offset 33 */
    5, '_', 'i', 'p', 'p', 's', 0xc0, 0x11, /* _ipps + pointer to 17 (_tcp.local) */
    0x00, 0x0c, 0x80, 0x01, /* PTR, QU bit + IN; next offset 45 */
    7, 'p', 'r', 'i', 'n', 't', 'e', 'r', 0xc0, 0x16, /* printer + pointer to 22 (local) */
    0x00, 0x01, 0x00, 0x01, /* A IN; ends at 59 */
};

/* clang-format on */

static void test_authorities(void **state)
{
    struct dns_msg *full = msg_new(), *m = msg_new();
    struct dns_anomalies an = {0};
    (void)state;

    assert_int_equal(dns_parse(r_nxdomain, sizeof(r_nxdomain), full, &an), DNS_OK);
    assert_int_equal(an_total(&an), 0);
    assert_int_equal(full->authority_count, 1);
    const struct dns_rr *soa = &full->authorities[0];
    assert_string_equal(soa->name, "example.com");
    assert_int_equal(soa->type, DNS_TYPE_SOA);
    assert_int_equal(soa->ttl, 300);
    assert_true(soa->soa_ok);
    assert_string_equal(soa->rdata, "example.com example.com 1");
    assert_int_equal(soa->serial, 1);
    assert_int_equal(soa->refresh, 2);
    assert_int_equal(soa->retry, 3);
    assert_int_equal(soa->expire, 4);
    assert_int_equal(soa->minimum, 5);

    /* The SOA answer of r_soa carries every field too. */
    assert_int_equal(dns_parse(r_soa, sizeof(r_soa), m, &an), DNS_OK);
    assert_true(m->answers[0].soa_ok);
    assert_int_equal(m->answers[0].minimum, 300);
    assert_int_equal(m->authority_count, 0);

    /* Every prefix: the SOA is kept only whole (its rdata ends the message:
     * a prefix one byte short, which cuts `minimum`, keeps nothing). */
    for (uint32_t n = 0; n < sizeof(r_nxdomain); n++) {
        uint8_t *copy = xmalloc(n ? n : 1);
        memcpy(copy, r_nxdomain, n);
        memset(&an, 0, sizeof(an));
        int rc = dns_parse(copy, n, m, &an);
        assert_int_equal(rc, n < 12 ? DNS_ERR_SHORT : DNS_ERR_PARTIAL);
        assert_int_equal(an_total(&an), 1);
        assert_int_equal(m->authority_count, 0);
        free(copy);
    }

    /* A referral of DNS_MAX_AUTHORITIES + 1 NS records: 16 kept, 17 walked
     * (pins < DNS_MAX_AUTHORITIES, not <=). */
    uint8_t *b = xcalloc(1, 1024);
    size_t n = 29;
    memcpy(b, r_mx, 29); /* header and question example.com */
    b[7] = 0;            /* ancount 0 */
    b[9] = DNS_MAX_AUTHORITIES + 1; /* nscount */
    for (unsigned i = 0; i < DNS_MAX_AUTHORITIES + 1u; i++) {
        /* example.com NS IN ttl 3600, rdlength 5: "ns" + pointer to 12 */
        static const uint8_t ns[] = {0xc0, 0x0c, 0, 2, 0, 1, 0, 0, 0x0e, 0x10, 0, 5,
                                     2,    'n',  's', 0xc0, 0x0c};
        memcpy(b + n, ns, sizeof(ns));
        n += sizeof(ns);
    }
    memset(&an, 0, sizeof(an));
    assert_int_equal(dns_parse(b, (uint32_t)n, m, &an), DNS_OK);
    assert_int_equal(an_total(&an), 0);
    assert_int_equal(m->authority_count, DNS_MAX_AUTHORITIES);
    assert_int_equal(m->authority_parsed, DNS_MAX_AUTHORITIES + 1);
    assert_string_equal(m->authorities[DNS_MAX_AUTHORITIES - 1].rdata, "ns.example.com");
    assert_false(m->authorities[0].soa_ok);

    /* In EVE: "authorities" with Suricata's "soa" object, and NS as rdata. */
    struct apt t;
    apt_begin(&t, &app_parser_dns, 17);
    apt_feed(&t, 1, r_nxdomain, sizeof(r_nxdomain));
    apt_feed(&t, 1, b, (uint32_t)n);
    /* An answer without authority section has no key (EVE: minItems 1). */
    apt_feed(&t, 1, r_mx, sizeof(r_mx));
    assert_int_equal(t.nevents, 3);
    assert_int_equal(t.nanomalies, 0);
    app_dump(&t);
    app_assert_has(&t, "\"authorities\":[{\"rrname\":\"example.com\",\"rrtype\":\"SOA\","
                       "\"soa\":{\"expire\":4,\"minimum\":5,\"mname\":\"example.com\","
                       "\"refresh\":2,\"retry\":3,\"rname\":\"example.com\",\"serial\":1},"
                       "\"ttl\":300}]");
    app_assert_has(&t, "\"authorities\":[{\"rdata\":\"ns.example.com\",\"rrname\":"
                       "\"example.com\",\"rrtype\":\"NS\",\"ttl\":3600},");
    assert_null(strstr(t.ev[2], "authorities"));
    apt_free(&t);

    /* An SOA cut inside its rdata (rdlength shortened, the rest is then
     * trailing bytes): kept without "soa". */
    uint8_t cut[sizeof(r_nxdomain)];
    memcpy(cut, r_nxdomain, sizeof(cut));
    cut[40] = 0x17; /* rdlength 24 -> 23: `minimum` loses a byte */
    memset(&an, 0, sizeof(an));
    assert_int_equal(dns_parse(cut, sizeof(cut), m, &an), DNS_OK);
    assert_int_equal(an.count[DNS_AN_RDATA_MALFORMED], 1);
    assert_int_equal(m->authority_count, 1);
    assert_false(m->authorities[0].soa_ok);
    apt_begin(&t, &app_parser_dns, 17);
    apt_feed(&t, 1, cut, sizeof(cut));
    assert_int_equal(t.nevents, 1);
    app_assert_has(&t, "\"authorities\":[{\"rrname\":\"example.com\",\"rrtype\":\"SOA\","
                       "\"ttl\":300}]");
    apt_free(&t);
    free(b);
    free(full);
    free(m);
}

/* A message of `qd` root-name questions (5 bytes each). */
static uint32_t build_roots(uint8_t *b, unsigned qd)
{
    static const uint8_t hdr[12] = {0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0};
    memcpy(b, hdr, 12);
    b[4] = (uint8_t)(qd >> 8);
    b[5] = (uint8_t)qd;
    for (unsigned i = 0; i < qd; i++)
        memcpy(b + 12 + 5 * i, "\x00\x00\x01\x00\x01", 5); /* "." A IN */
    return 12 + 5 * qd;
}

static void test_questions(void **state)
{
    struct dns_msg *m = msg_new();
    struct dns_anomalies an = {0};
    uint8_t b[12 + 5 * (DNS_MAX_QUESTIONS + 1)];
    (void)state;

    assert_int_equal(dns_parse(mdns_3q, sizeof(mdns_3q), m, &an), DNS_OK);
    assert_int_equal(an_total(&an), 0);
    assert_int_equal(m->question_count, 3);
    assert_string_equal(m->questions[0].name, "_ipp._tcp.local");
    assert_string_equal(m->questions[1].name, "_ipps._tcp.local");
    assert_true(m->questions[1].unicast);
    assert_int_equal(m->questions[1].qclass, 1);
    assert_string_equal(m->questions[2].name, "printer.local");
    assert_int_equal(m->questions[2].type, DNS_TYPE_A);
    /* The first question is also in the qname fields. */
    assert_string_equal(m->qname, "_ipp._tcp.local");
    assert_false(m->qclass_unicast);

    /* DNS_MAX_QUESTIONS questions: all kept. One more: the first
     * DNS_MAX_QUESTIONS kept, then the walk stops (pins > cap, not >=). */
    assert_int_equal(dns_parse(b, build_roots(b, DNS_MAX_QUESTIONS), m, &an), DNS_OK);
    assert_int_equal(m->question_count, DNS_MAX_QUESTIONS);
    assert_int_equal(an_total(&an), 0);
    assert_int_equal(dns_parse(b, build_roots(b, DNS_MAX_QUESTIONS + 1), m, &an),
                     DNS_ERR_PARTIAL);
    assert_int_equal(m->question_count, DNS_MAX_QUESTIONS);
    assert_int_equal(an.count[DNS_AN_TOO_MANY_RECORDS], 1);

    /* Every prefix: the questions read whole are kept, each equal to the
     * full parse's. */
    struct dns_msg *full = msg_new();
    assert_int_equal(dns_parse(mdns_3q, sizeof(mdns_3q), full, NULL), DNS_OK);
    for (uint32_t n = 0; n < sizeof(mdns_3q); n++) {
        uint8_t *copy = xmalloc(n ? n : 1);
        memcpy(copy, mdns_3q, n);
        memset(&an, 0, sizeof(an));
        int rc = dns_parse(copy, n, m, &an);
        assert_int_equal(rc, n < 12 ? DNS_ERR_SHORT : DNS_ERR_PARTIAL);
        assert_int_equal(an_total(&an), 1);
        unsigned want = n >= 45 ? 2 : n >= 33 ? 1 : 0;
        assert_int_equal(m->question_count, want);
        for (unsigned i = 0; i < m->question_count; i++)
            assert_string_equal(m->questions[i].name, full->questions[i].name);
        free(copy);
    }
    free(full);
    free(m);
}

/* One "query" event per question, all with the message's tx_id; the QU bit
 * shows on the event of its own question only. */
static void test_app_questions(void **state)
{
    struct apt t;
    (void)state;
    assert_int_equal(app_parser_mdns.probe(mdns_3q, sizeof(mdns_3q), 0), APP_PROBE_YES);
    apt_begin(&t, &app_parser_mdns, 17);
    apt_feed(&t, 0, mdns_3q, sizeof(mdns_3q));
    apt_feed(&t, 0, mdns_qu, sizeof(mdns_qu));
    assert_int_equal(t.nevents, 4);
    assert_int_equal(t.nanomalies, 0);
    app_dump(&t);
    assert_non_null(strstr(t.ev[0], "\"rrname\":\"_ipp._tcp.local\",\"rrtype\":\"PTR\","
                                    "\"tx_id\":0,\"type\":\"query\""));
    assert_non_null(strstr(t.ev[1], "\"rrname\":\"_ipps._tcp.local\",\"rrtype\":\"PTR\","
                                    "\"tx_id\":0,\"type\":\"query\""));
    assert_non_null(strstr(t.ev[2], "\"rrname\":\"printer.local\",\"rrtype\":\"A\","
                                    "\"tx_id\":0,\"type\":\"query\""));
    assert_non_null(strstr(t.ev[3], "\"tx_id\":1,\"type\":\"query\""));
    assert_null(strstr(t.ev[0], "unicast_response"));
    assert_non_null(strstr(t.ev[1], "\"unicast_response\":true"));
    assert_null(strstr(t.ev[2], "unicast_response"));
    assert_non_null(strstr(t.ev[0], "\"questions\":3"));
    apt_free(&t);

    /* Every prefix: an event per question read whole, an anomaly unless the
     * message is whole. */
    for (uint32_t n = 0; n <= sizeof(mdns_3q); n++) {
        uint8_t *copy = malloc(n ? n : 1);
        memcpy(copy, mdns_3q, n);
        apt_begin(&t, &app_parser_mdns, 17);
        apt_feed(&t, 0, copy, n);
        unsigned want = n == sizeof(mdns_3q) ? 3 : n >= 45 ? 2 : n >= 33 ? 1 : 0;
        assert_int_equal(t.nevents, want);
        assert_int_equal(t.nanomalies == 0, n == sizeof(mdns_3q));
        apt_free(&t);
        free(copy);
    }
}

/* A response for example.com A with three answers: 192.0.2.1, then one
 * whose owner name is `bad` (n bytes), then 192.0.2.2. */
static uint32_t build_bad_middle(uint8_t *b, size_t cap, const uint8_t *bad, size_t n)
{
    /* example.com A IN ttl 60, rdlength 4, 192.0.2.<x> */
    static const uint8_t a[] = {0xc0, 0x0c, 0, 1, 0, 1, 0, 0, 0, 0x3c, 0, 4, 192, 0, 2};
    static const uint8_t rest[] = {0, 1, 0, 1, 0, 0, 0, 0x3c, 0, 4, 192, 0, 2, 9};
    size_t off = 29;
    assert_true(29 + 2 * (sizeof(a) + 1) + n + sizeof(rest) <= cap);
    memcpy(b, r_mx, 29); /* header and question example.com */
    b[7] = 3;            /* ancount 3 */
    memcpy(b + off, a, sizeof(a));
    off += sizeof(a);
    b[off++] = 1;
    memcpy(b + off, bad, n);
    off += n;
    memcpy(b + off, rest, sizeof(rest));
    off += sizeof(rest);
    memcpy(b + off, a, sizeof(a));
    off += sizeof(a);
    b[off++] = 2;
    return (uint32_t)off;
}

/* A record or question whose name cannot be read, but whose wire extent is
 * known, is skipped and the walk goes on (as tshark does); when the extent
 * is unknown the walk stops as before. */
static void test_skip_bad_names(void **state)
{
    struct dns_msg *m = msg_new(), *full = msg_new();
    struct dns_anomalies an;
    uint8_t b[600], name[300];
    uint32_t len;
    size_t n;
    (void)state;

    /* Too long: 63+63+63+62 in place, 256 bytes with the root. */
    n = put_label(name, 0, 63);
    n = put_label(name, n, 63);
    n = put_label(name, n, 63);
    n = put_label(name, n, 62);
    name[n++] = 0;
    len = build_bad_middle(b, sizeof(b), name, n);
    memset(&an, 0, sizeof(an));
    assert_int_equal(dns_parse(b, len, m, &an), DNS_ERR_PARTIAL);
    assert_int_equal(an.count[DNS_AN_NAME_TOO_LONG], 1);
    assert_int_equal(an_total(&an), 1);
    assert_int_equal(m->answers_parsed, 3);
    assert_int_equal(m->answer_count, 2);
    assert_string_equal(m->answers[0].rdata, "192.0.2.1");
    assert_string_equal(m->answers[1].rdata, "192.0.2.2");

    /* Every prefix of it: clean, and what is kept matches the full parse. */
    assert_int_equal(dns_parse(b, len, full, NULL), DNS_ERR_PARTIAL);
    for (uint32_t k = 0; k < len; k++) {
        uint8_t *copy = xmalloc(k ? k : 1);
        memcpy(copy, b, k);
        memset(&an, 0, sizeof(an));
        int rc = dns_parse(copy, k, m, &an);
        assert_int_equal(rc, k < 12 ? DNS_ERR_SHORT : DNS_ERR_PARTIAL);
        assert_true(an_total(&an) >= 1 && an_total(&an) <= 2);
        assert_true(m->answer_count <= 1);
        for (unsigned i = 0; i < m->answer_count; i++)
            assert_string_equal(m->answers[i].rdata, full->answers[i].rdata);
        free(copy);
    }

    /* A label, then a pointer to itself (offset 45): a loop; a forward
     * pointer: bad. Both end at the pointer, so the third answer is read. */
    static const uint8_t loop[] = {1, 'x', 0xc0, 0x2d};
    static const uint8_t fwd[] = {1, 'x', 0xc0, 0xff};
    len = build_bad_middle(b, sizeof(b), loop, sizeof(loop));
    memset(&an, 0, sizeof(an));
    assert_int_equal(dns_parse(b, len, m, &an), DNS_ERR_PARTIAL);
    assert_int_equal(an.count[DNS_AN_NAME_LOOP], 1);
    assert_int_equal(m->answer_count, 2);
    assert_string_equal(m->answers[1].rdata, "192.0.2.2");
    len = build_bad_middle(b, sizeof(b), fwd, sizeof(fwd));
    memset(&an, 0, sizeof(an));
    assert_int_equal(dns_parse(b, len, m, &an), DNS_ERR_PARTIAL);
    assert_int_equal(an.count[DNS_AN_BAD_POINTER], 1);
    assert_int_equal(m->answer_count, 2);

    /* Label type 0x40 in place: where the name ends is unknown, the walk
     * stops after the first answer. */
    static const uint8_t ext[] = {0x41, 'x', 0};
    len = build_bad_middle(b, sizeof(b), ext, sizeof(ext));
    memset(&an, 0, sizeof(an));
    assert_int_equal(dns_parse(b, len, m, &an), DNS_ERR_PARTIAL);
    assert_int_equal(an.count[DNS_AN_LABEL_TYPE_UNKNOWN], 1);
    assert_int_equal(m->answers_parsed, 1);
    assert_int_equal(m->answer_count, 1);

    /* A question that loops (self-pointer at 12), then a readable one and an
     * answer: the second question becomes the first kept. */
    static const uint8_t q2[] = {
        0x00, 0x01, 0x81, 0x80, 0x00, 0x02, 0x00, 0x01, 0x00, 0x00, 0x00, 0x00, /* qd 2, an 1 */
        0xc0, 0x0c, 0x00, 0x01, 0x00, 0x01,            /* 12: pointer to 12, A IN */
        1,    'a',  0,    0x00, 0x01, 0x00, 0x01,      /* 18: "a" A IN */
        0xc0, 0x12, 0x00, 0x01, 0x00, 0x01, 0, 0, 0, 0, /* 25: "a" A IN ttl 0 */
        0x00, 0x04, 10,   0,    0,    1,                /* 10.0.0.1 */
    };
    memset(&an, 0, sizeof(an));
    assert_int_equal(dns_parse(q2, sizeof(q2), m, &an), DNS_ERR_PARTIAL);
    assert_int_equal(an.count[DNS_AN_NAME_LOOP], 1);
    assert_int_equal(an_total(&an), 1);
    assert_int_equal(m->question_count, 1);
    assert_true(m->has_question);
    assert_string_equal(m->qname, "a");
    assert_int_equal(m->answer_count, 1);
    assert_string_equal(m->answers[0].rdata, "10.0.0.1");

    /* In EVE: the answer event shows what was read, the anomaly is counted. */
    struct apt t;
    n = put_label(name, 0, 63);
    n = put_label(name, n, 63);
    n = put_label(name, n, 63);
    n = put_label(name, n, 62);
    name[n++] = 0;
    len = build_bad_middle(b, sizeof(b), name, n);
    apt_begin(&t, &app_parser_dns, 17);
    apt_feed(&t, 1, b, len);
    assert_int_equal(t.nevents, 1);
    assert_int_equal(t.nanomalies, 1);
    assert_string_equal(t.anomalies[0], "dns.name_too_long");
    app_assert_has(&t, "\"grouped\":{\"A\":[\"192.0.2.1\",\"192.0.2.2\"]}");
    app_assert_has(&t, "\"answer_count\":3");
    apt_free(&t);

    /* NBNS: an answer skipped for its looping name must not shift the NB
     * addresses onto the answers after it. */
    static const uint8_t nb2[] = {
        0x6a, 0x04, 0x85, 0x00, 0x00, 0x00, 0x00, 0x02, 0x00, 0x00, 0x00, 0x00, /* an 2 */
        0xc0, 0x0c,             /* 12: pointer to itself */
        0x00, 0x20, 0x00, 0x01, 0x00, 0x00, 0x00, 0x00, 0x00, 0x06, /* NB IN ttl 0 */
        0x00, 0x00, 10,   0,    0,    1,    /* 10.0.0.1 */
        NB_NAME_SOUMU,          /* 30 */
        0x00, 0x20, 0x00, 0x01, 0x00, 0x00, 0x00, 0x00, 0x00, 0x06,
        0x00, 0x00, 192,  168,  1,    20,
    };
    apt_begin(&t, &app_parser_nbns, 17);
    apt_feed(&t, 1, nb2, sizeof(nb2));
    assert_int_equal(t.nevents, 1);
    assert_int_equal(t.nanomalies, 1);
    assert_string_equal(t.anomalies[0], "dns.name_loop");
    app_assert_has(&t, "\"answers\":[{\"rdata\":\"192.168.1.20\",\"rrname\":\"SOUMU-PC01<00>\"");
    apt_free(&t);
    free(full);
    free(m);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_query_a),
        cmocka_unit_test(test_cname_chain),
        cmocka_unit_test(test_record_types),
        cmocka_unit_test(test_nxdomain),
        cmocka_unit_test(test_mdns_bits),
        cmocka_unit_test(test_every_prefix),
        cmocka_unit_test(test_compression_loops),
        cmocka_unit_test(test_name_boundaries),
        cmocka_unit_test(test_counts),
        cmocka_unit_test(test_nbns),
        cmocka_unit_test(test_caps),
        cmocka_unit_test(test_tcp_framing),
        cmocka_unit_test(test_pcap_malformed_dns),
        cmocka_unit_test(test_app_udp),
        cmocka_unit_test(test_app_record_types),
        cmocka_unit_test(test_app_tcp_split),
        cmocka_unit_test(test_app_every_prefix),
        cmocka_unit_test(test_app_mdns),
        cmocka_unit_test(test_app_llmnr),
        cmocka_unit_test(test_app_nbns),
        cmocka_unit_test(test_app_probe_no),
        cmocka_unit_test(test_authorities),
        cmocka_unit_test(test_questions),
        cmocka_unit_test(test_app_questions),
        cmocka_unit_test(test_skip_bad_names),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
