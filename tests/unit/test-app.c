/* test-app.c - the application-layer dispatcher: probing, reassembly into
 * the parsers, upgrades, anomalies, nDPI naming, memory returned at flow end.
 * Packets are built as decoded layers (struct ip_layer) so each test says
 * exactly which segments arrive in which order. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "app/app.h"
#include "util/util.h"

#define MAX_EV 256

struct rec {
    unsigned n;
    char *ev[MAX_EV];
};

static void rec_cb(void *arg, const struct app_event *e)
{
    struct rec *r = arg;
    if (r->n >= MAX_EV)
        return;
    char *b = e->body ? json_dumps(e->body, JSON_COMPACT | JSON_SORT_KEYS) : strdup("null");
    size_t n = strlen(e->type) + strlen(b) + 2;
    char *s = malloc(n);
    snprintf(s, n, "%s %s", e->type, b);
    free(b);
    r->ev[r->n++] = s;
}

static int rec_find(const struct rec *r, const char *needle)
{
    for (unsigned i = 0; i < r->n; i++)
        if (strstr(r->ev[i], needle))
            return (int)i;
    return -1;
}

static unsigned rec_count(const struct rec *r, const char *needle)
{
    unsigned c = 0;
    for (unsigned i = 0; i < r->n; i++)
        if (strstr(r->ev[i], needle))
            c++;
    return c;
}

static void rec_free(struct rec *r)
{
    for (unsigned i = 0; i < r->n; i++)
        free(r->ev[i]);
    r->n = 0;
}

struct conn {
    struct app_layer *al;
    struct rec rec;
    struct flow f;
    uint32_t seq[2];
    uint64_t ts;
};

static void conn_init(struct conn *c, uint8_t proto, uint16_t sport, uint16_t dport, bool ndpi)
{
    memset(c, 0, sizeof(*c));
    struct app_config cfg;
    app_config_defaults(&cfg);
    cfg.ndpi = ndpi;
    cfg.max_anomaly_events_per_flow = 100;
    c->al = app_layer_new(&cfg, rec_cb, &c->rec);
    c->f.id = 7;
    c->f.proto = proto;
    c->f.ip_version = 4;
    static const uint8_t a[16] = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff, 192, 168, 1, 10};
    static const uint8_t b[16] = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff, 203, 0, 113, 5};
    memcpy(c->f.src.b, a, 16);
    memcpy(c->f.dst.b, b, 16);
    c->f.sport = sport;
    c->f.dport = dport;
    c->seq[0] = 1000;
    c->seq[1] = 50000;
    c->ts = 1700000000000000ull;
    c->f.first_ts_us = c->ts;
}

/* One segment/datagram of direction dir; seq_off is relative to the
 * direction's next sequence number (negative: a retransmission). */
static void conn_send_at(struct conn *c, int dir, uint8_t flags, int64_t seq_off, const void *data,
                         uint32_t len)
{
    struct ip_layer l;
    memset(&l, 0, sizeof(l));
    l.ip_version = 4;
    l.proto = c->f.proto;
    l.l4_ok = true;
    l.tcp_flags = flags;
    l.tcp_seq = (uint32_t)((int64_t)c->seq[dir] + seq_off);
    l.payload = data;
    l.payload_len = len;
    l.payload_wire_len = len;
    c->f.pkt_dir = (uint8_t)dir;
    c->f.last_ts_us = c->ts;
    if (flags & TH_SYN) {
        c->f.syn_seen[dir] = true;
        c->f.tcp_isn[dir] = l.tcp_seq;
    }
    app_packet(c->al, &c->f, &l, dir, c->ts);
    c->ts += 1000;
}

static void conn_handshake(struct conn *c)
{
    conn_send_at(c, 0, TH_SYN, 0, NULL, 0);
    c->seq[0]++;
    conn_send_at(c, 1, TH_SYN | TH_ACK, 0, NULL, 0);
    c->seq[1]++;
}

static void conn_send(struct conn *c, int dir, const void *data, uint32_t len)
{
    conn_send_at(c, dir, TH_ACK | TH_PSH, 0, data, len);
    c->seq[dir] += len;
}

static void conn_end(struct conn *c)
{
    app_flow_end(c->al, &c->f);
    assert_null(c->f.app);
}

static void conn_free(struct conn *c)
{
    if (c->f.app)
        conn_end(c);
    assert_int_equal(app_layer_stats(c->al)->state_bytes, 0);
    assert_int_equal(app_layer_stream_stats(c->al)->bytes_held, 0);
    rec_free(&c->rec);
    app_layer_free(c->al);
}

static const char http_req[] = "GET /index.html HTTP/1.1\r\nHost: www.example.co.jp\r\n"
                               "User-Agent: test/1.0\r\n\r\n";
static const char http_resp[] = "HTTP/1.1 200 OK\r\nContent-Type: text/html\r\n"
                                "Content-Length: 5\r\n\r\nhello";

/* An HTTP exchange one byte per segment: the probe collects the method
 * across segments, the parser gets the replayed bytes, the flow is named. */
static void test_http_byte_segments(void **st)
{
    (void)st;
    struct conn c;
    conn_init(&c, 6, 40000, 80, false);
    conn_handshake(&c);
    for (size_t i = 0; i < sizeof(http_req) - 1; i++)
        conn_send(&c, 0, http_req + i, 1);
    for (size_t i = 0; i < sizeof(http_resp) - 1; i++)
        conn_send(&c, 1, http_resp + i, 1);
    conn_end(&c);
    assert_string_equal(c.f.app_proto, "http");
    assert_true(rec_find(&c.rec, "\"hostname\":\"www.example.co.jp\"") >= 0);
    assert_true(rec_find(&c.rec, "\"status\":200") >= 0);
    conn_free(&c);
}

/* Segments arrive in reverse order: reassembly puts them back. */
static void test_http_out_of_order(void **st)
{
    (void)st;
    struct conn c;
    conn_init(&c, 6, 40001, 8080, false);
    conn_handshake(&c);
    uint32_t n = sizeof(http_req) - 1, third = n / 3;
    conn_send_at(&c, 0, TH_ACK, 2 * third, http_req + 2 * third, n - 2 * third);
    conn_send_at(&c, 0, TH_ACK, third, http_req + third, third);
    conn_send_at(&c, 0, TH_ACK, 0, http_req, third);
    c.seq[0] += n;
    conn_send(&c, 1, http_resp, sizeof(http_resp) - 1);
    conn_end(&c);
    assert_string_equal(c.f.app_proto, "http");
    assert_true(rec_find(&c.rec, "\"url\":\"/index.html\"") >= 0);
    conn_free(&c);
}

/* A held segment overlapped by one with different bytes: first copy wins,
 * one stream anomaly is reported. */
static void test_overlap_mismatch_anomaly(void **st)
{
    (void)st;
    struct conn c;
    conn_init(&c, 6, 40002, 80, false);
    conn_handshake(&c);
    uint32_t n = sizeof(http_req) - 1;
    char evil[sizeof(http_req)];
    memcpy(evil, http_req, sizeof(http_req));
    memcpy(evil + 20, "XXXX", 4);
    conn_send_at(&c, 0, TH_ACK, 10, http_req + 10, n - 10); /* held: hole before it */
    conn_send_at(&c, 0, TH_ACK, 10, evil + 10, n - 10);     /* same range, other bytes */
    conn_send_at(&c, 0, TH_ACK, 0, http_req, 10);
    c.seq[0] += n;
    conn_end(&c);
    assert_true(rec_find(&c.rec, "stream.reassembly_overlap_different_data") >= 0);
    assert_true(rec_find(&c.rec, "\"url\":\"/index.html\"") >= 0);
    conn_free(&c);
}

/* Bytes nothing recognises: probing gives up, nothing is reported. */
static void test_unknown_protocol(void **st)
{
    (void)st;
    struct conn c;
    conn_init(&c, 6, 40003, 5555, false);
    conn_handshake(&c);
    uint8_t junk[700];
    for (size_t i = 0; i < sizeof(junk); i++)
        junk[i] = (uint8_t)(i * 37 + 11);
    conn_send(&c, 0, junk, sizeof(junk));
    conn_send(&c, 1, junk, 100);
    conn_end(&c);
    assert_string_equal(c.f.app_proto, "");
    assert_int_equal(c.rec.n, 0);
    conn_free(&c);
}

/* nDPI names what our parsers do not read (the BitTorrent handshake). */
static void test_ndpi_bittorrent(void **st)
{
    (void)st;
    struct conn c;
    conn_init(&c, 6, 40004, 6881, true);
    conn_handshake(&c);
    uint8_t hs[68];
    memset(hs, 0, sizeof(hs));
    hs[0] = 19;
    memcpy(hs + 1, "BitTorrent protocol", 19);
    for (int i = 28; i < 68; i++)
        hs[i] = (uint8_t)(i * 7);
    /* nDPI needs the whole IP packet: build IPv4+TCP headers around it. */
    uint8_t pkt[20 + 20 + sizeof(hs)];
    memset(pkt, 0, sizeof(pkt));
    pkt[0] = 0x45;
    pkt[2] = sizeof(pkt) >> 8;
    pkt[3] = sizeof(pkt) & 0xff;
    pkt[8] = 64;
    pkt[9] = 6;
    memcpy(pkt + 12, c.f.src.b + 12, 4);
    memcpy(pkt + 16, c.f.dst.b + 12, 4);
    pkt[20] = 40004 >> 8;
    pkt[21] = 40004 & 0xff;
    pkt[22] = 6881 >> 8;
    pkt[23] = 6881 & 0xff;
    pkt[24 + 3] = 1;
    pkt[32] = 0x50;
    pkt[33] = TH_ACK | TH_PSH;
    pkt[34] = 0xff;
    memcpy(pkt + 40, hs, sizeof(hs));
    struct ip_layer l;
    memset(&l, 0, sizeof(l));
    l.ip_version = 4;
    l.proto = 6;
    l.l4_ok = true;
    l.tcp_flags = TH_ACK | TH_PSH;
    l.tcp_seq = c.seq[0];
    l.payload = pkt + 40;
    l.payload_len = sizeof(hs);
    l.l3 = pkt;
    l.l3_len = sizeof(pkt);
    c.f.pkt_dir = 0;
    app_packet(c.al, &c.f, &l, 0, c.ts);
    conn_end(&c);
    assert_string_equal(c.f.app_proto, "bittorrent");
    conn_free(&c);
}

/* A DNS query over UDP on port 53 becomes a dns event. */
static void test_udp_dns(void **st)
{
    (void)st;
    struct conn c;
    conn_init(&c, 17, 53000, 53, false);
    static const uint8_t q[] = {
        0x12, 0x34, 0x01, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, /* header, RD */
        7, 'e', 'x', 'a', 'm', 'p', 'l', 'e', 2, 'j', 'p', 0, 0x00, 0x01, 0x00, 0x01};
    conn_send_at(&c, 0, 0, 0, q, sizeof(q));
    conn_end(&c);
    assert_string_equal(c.f.app_proto, "dns");
    assert_true(rec_find(&c.rec, "\"rrname\":\"example.jp\"") >= 0);
    conn_free(&c);
}

/* SMTP STARTTLS: after the 220 reply the TLS parser reads the stream; the
 * flow stays named smtp. */
static void test_smtp_starttls_upgrade(void **st)
{
    (void)st;
    struct conn c;
    conn_init(&c, 6, 40005, 25, false);
    conn_handshake(&c);
    static const char s1[] = "220 mail.example.co.jp ESMTP ready\r\n";
    static const char c1[] = "EHLO pc01.example.co.jp\r\n";
    static const char s2[] = "250-mail.example.co.jp\r\n250 STARTTLS\r\n";
    static const char c2[] = "STARTTLS\r\n";
    static const char s3[] = "220 2.0.0 go ahead\r\n";
    conn_send(&c, 1, s1, sizeof(s1) - 1);
    conn_send(&c, 0, c1, sizeof(c1) - 1);
    conn_send(&c, 1, s2, sizeof(s2) - 1);
    conn_send(&c, 0, c2, sizeof(c2) - 1);
    conn_send(&c, 1, s3, sizeof(s3) - 1);
    /* A minimal TLS 1.2 ClientHello with SNI mail.example.co.jp. */
    static const uint8_t ch[] = {
        0x16, 0x03, 0x01, 0x00, 0x49,             /* record: handshake, 73 bytes */
        0x01, 0x00, 0x00, 0x45,                   /* ClientHello, 69 bytes */
        0x03, 0x03,                               /* client_version TLS 1.2 */
        1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24,
        25, 26, 27, 28, 29, 30, 31, 32,           /* random */
        0x00,                                     /* session id: empty */
        0x00, 0x02, 0xc0, 0x2f,                   /* one cipher suite */
        0x01, 0x00,                               /* compression: null */
        0x00, 0x1a,                               /* extensions: 26 bytes */
        0x00, 0x00, 0x00, 0x16,                   /* server_name, 22 bytes */
        0x00, 0x14, 0x00, 0x00, 0x11,             /* list 20, host_name, 17 bytes */
        'm', 'a', 'i', 'l', '.', 'e', 'x', 'a', 'm', 'p', 'l', 'e', '.', 'c', 'o', '.', 'j'};
    conn_send(&c, 0, ch, sizeof(ch));
    conn_end(&c);
    assert_string_equal(c.f.app_proto, "smtp");
    assert_true(rec_find(&c.rec, "\"helo\":\"pc01.example.co.jp\"") >= 0);
    assert_true(rec_find(&c.rec, "\"sni\":\"mail.example.co.j\"") >= 0);
    conn_free(&c);
}

/* Many half-open streams each holding out-of-order data: the stream memcap
 * holds, everything is freed at flow end. */
static void test_ooo_flood_memcap(void **st)
{
    (void)st;
    struct app_config cfg;
    app_config_defaults(&cfg);
    cfg.ndpi = false;
    cfg.stream.memcap = 256 * 1024;
    struct rec r = {0};
    struct app_layer *al = app_layer_new(&cfg, rec_cb, &r);
    enum { NFLOWS = 2000 };
    struct flow *fl = calloc(NFLOWS, sizeof(*fl));
    uint8_t data[1400];
    memset(data, 'A', sizeof(data));
    for (int i = 0; i < NFLOWS; i++) {
        struct flow *f = &fl[i];
        f->proto = 6;
        f->sport = (uint16_t)(1024 + i);
        f->dport = 80;
        f->syn_seen[0] = true;
        f->tcp_isn[0] = 100;
        for (int k = 0; k < 8; k++) {
            struct ip_layer l;
            memset(&l, 0, sizeof(l));
            l.proto = 6;
            l.l4_ok = true;
            l.tcp_flags = TH_ACK;
            l.tcp_seq = 101 + 5000 + (uint32_t)k * 2000; /* always after a hole */
            l.payload = data;
            l.payload_len = sizeof(data);
            app_packet(al, f, &l, 0, 1);
            assert_true(app_layer_stream_stats(al)->bytes_held <= cfg.stream.memcap);
        }
    }
    assert_true(app_layer_stream_stats(al)->memcap_drops > 0);
    for (int i = 0; i < NFLOWS; i++)
        app_flow_end(al, &fl[i]);
    assert_int_equal(app_layer_stats(al)->state_bytes, 0);
    assert_int_equal(app_layer_stream_stats(al)->bytes_held, 0);
    free(fl);
    rec_free(&r);
    app_layer_free(al);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_http_byte_segments),
        cmocka_unit_test(test_http_out_of_order),
        cmocka_unit_test(test_overlap_mismatch_anomaly),
        cmocka_unit_test(test_unknown_protocol),
        cmocka_unit_test(test_ndpi_bittorrent),
        cmocka_unit_test(test_udp_dns),
        cmocka_unit_test(test_smtp_starttls_upgrade),
        cmocka_unit_test(test_ooo_flood_memcap),
    };
    (void)rec_count;
    return cmocka_run_group_tests(tests, NULL, NULL);
}
