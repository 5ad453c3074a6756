/* test-decode-tcp.c - TCP header, flags, options, payload lengths. */
#include "decode-test-util.h"

/* A SYN with the usual Linux option set (40 bytes of header) and 3 bytes of
 * payload (as in TCP Fast Open). */
static const uint8_t syn[] = {
    0xc3, 0x50,             /* sport 50000 */
    0x01, 0xbb,             /* dport 443 */
    0x11, 0x22, 0x33, 0x44, /* seq */
    0x00, 0x00, 0x00, 0x00, /* ack */
    0xa0,                   /* data offset 10 (40 bytes), reserved */
    0x02,                   /* flags: SYN */
    0xfa, 0xf0,             /* window 64240 */
    0x00, 0x00, 0x00, 0x00, /* checksum, urgent pointer */
    0x02, 0x04, 0x05, 0xb4, /* MSS 1460 */
    0x04, 0x02,             /* SACK permitted */
    0x08, 0x0a,             /* timestamps: */
    0x00, 0x00, 0x12, 0x34, /*   TSval 0x1234 */
    0x00, 0x00, 0x00, 0x00, /*   TSecr 0 */
    0x01,                   /* NOP */
    0x03, 0x03, 0x07,       /* window scale 7 */
    'a', 'b', 'c',          /* payload */
};

struct fx {
    struct decode_ctx ctx;
    struct packet pkt;
    struct ip_layer l;
};

/* `wire` is what the IP layer declared for the segment. */
static void fx_init(struct fx *f, uint32_t caplen, uint32_t wirelen, uint32_t wire)
{
    memset(f, 0, sizeof(*f));
    decode_test_ctx_init(&f->ctx);
    f->pkt.caplen = caplen;
    f->pkt.wirelen = wirelen;
    f->l.ip_version = 4;
    f->l.proto = 6;
    f->l.payload_wire_len = wire;
}

static void test_syn(void **state)
{
    struct fx f;
    static const uint8_t layout[] = {2, 4, 8, 1, 3};
    (void)state;
    fx_init(&f, 100, 100, sizeof(syn));
    assert_int_equal(decode_tcp(&f.ctx, &f.pkt, &f.l, syn, sizeof(syn)), DECODE_OK);
    assert_true(f.l.l4_ok);
    assert_int_equal(f.l.sport, 50000);
    assert_int_equal(f.l.dport, 443);
    assert_int_equal(f.l.tcp_seq, 0x11223344);
    assert_int_equal(f.l.tcp_ack, 0);
    assert_int_equal(f.l.tcp_flags, TH_SYN);
    assert_int_equal(f.l.tcp_win, 64240);
    assert_true(f.l.tcp_opts.has_mss);
    assert_int_equal(f.l.tcp_opts.mss, 1460);
    assert_true(f.l.tcp_opts.sack_ok);
    assert_true(f.l.tcp_opts.has_ts);
    assert_int_equal(f.l.tcp_opts.ts_val, 0x1234);
    assert_int_equal(f.l.tcp_opts.ts_ecr, 0);
    assert_true(f.l.tcp_opts.has_wscale);
    assert_int_equal(f.l.tcp_opts.wscale, 7);
    assert_int_equal(f.l.tcp_opts.layout_len, sizeof(layout));
    assert_memory_equal(f.l.tcp_opts.layout, layout, sizeof(layout));
    assert_int_equal(f.l.payload_len, 3);
    assert_int_equal(f.l.payload_wire_len, 3);
    assert_memory_equal(f.l.payload, "abc", 3);
    assert_false(f.pkt.malformed);
    decode_ctx_release(&f.ctx);
}

static void test_payload_wire_len(void **state)
{
    struct fx f;
    (void)state;
    /* Captured 41 bytes of a 1440-byte segment (snaplen): payload_len is
     * what we have, payload_wire_len what was sent. */
    fx_init(&f, 96, 1514, 1440);
    assert_int_equal(decode_tcp(&f.ctx, &f.pkt, &f.l, syn, 41), DECODE_OK);
    assert_int_equal(f.l.payload_len, 1);
    assert_int_equal(f.l.payload_wire_len, 1400);
    decode_ctx_release(&f.ctx);
}

static void test_hlen_boundaries(void **state)
{
    uint8_t b[sizeof(syn)];
    struct fx f;
    (void)state;
    memcpy(b, syn, sizeof(b));
    /* Data offset 4 (16 bytes): one word below the minimum (pins < 20). */
    b[12] = 0x40;
    fx_init(&f, 100, 100, sizeof(b));
    assert_int_equal(decode_tcp(&f.ctx, &f.pkt, &f.l, b, sizeof(b)), DECODE_ERR);
    assert_int_equal(f.ctx.events[DEV_TCP_HLEN_TOO_SMALL], 1);
    assert_false(f.l.l4_ok);
    decode_ctx_release(&f.ctx);

    /* Data offset 5: exactly the fixed header, no options, 23 bytes of
     * payload. */
    b[12] = 0x50;
    fx_init(&f, 100, 100, sizeof(b));
    assert_int_equal(decode_tcp(&f.ctx, &f.pkt, &f.l, b, sizeof(b)), DECODE_OK);
    assert_int_equal(f.l.tcp_opts.layout_len, 0);
    assert_int_equal(f.l.payload_len, sizeof(b) - 20);
    decode_ctx_release(&f.ctx);

    /* Data offset 11 (44 bytes) in a 43-byte segment: the header runs one
     * byte past the segment (pins > vs >=; offset 10 above fits). */
    b[12] = 0xb0;
    fx_init(&f, 100, 100, sizeof(b));
    assert_int_equal(decode_tcp(&f.ctx, &f.pkt, &f.l, b, sizeof(b)), DECODE_ERR);
    assert_int_equal(f.ctx.events[DEV_TCP_HLEN_TRUNCATED], 1);
    assert_true(f.pkt.malformed);
    /* The ports are still known. */
    assert_int_equal(f.l.dport, 443);
    decode_ctx_release(&f.ctx);

    /* Options cut by the snaplen inside a longer segment: counted, not
     * malformed. */
    fx_init(&f, 60, 1514, 1000);
    assert_int_equal(decode_tcp(&f.ctx, &f.pkt, &f.l, syn, 30), DECODE_ERR);
    assert_int_equal(f.ctx.events[DEV_TCP_HLEN_TRUNCATED], 1);
    assert_false(f.pkt.malformed);
    decode_ctx_release(&f.ctx);
}

/* A header with 8 bytes of options replaced by `opts`. */
static void build(uint8_t *b, const uint8_t opts[8])
{
    memcpy(b, syn, 20);
    b[12] = 0x70; /* data offset 7 */
    memcpy(b + 20, opts, 8);
}

static void test_option_lengths(void **state)
{
    /* Each case: 8 bytes of options and the events expected. */
    static const struct {
        uint8_t opts[8];
        unsigned invalid, dup;
        const char *what;
    } cases[] = {
        {{2, 4, 5, 0xb4, 1, 1, 1, 0}, 0, 0, "MSS, NOPs, EOL"},
        {{2, 3, 5, 1, 1, 1, 1, 1}, 1, 0, "MSS length 3"},
        {{3, 4, 7, 0, 1, 1, 1, 1}, 1, 0, "window scale length 4"},
        {{4, 3, 0, 1, 1, 1, 1, 1}, 1, 0, "SACK permitted length 3"},
        {{5, 6, 0, 0, 0, 0, 1, 1}, 1, 0, "SACK with 4 bytes of blocks"},
        {{8, 8, 0, 0, 0, 0, 0, 0}, 1, 0, "timestamps length 8"},
        {{0x1e, 1, 1, 1, 1, 1, 1, 1}, 1, 0, "length 1 (below the minimum)"},
        {{1, 1, 1, 1, 1, 0x1e, 3, 0}, 0, 0, "length exactly to the end"},
        {{1, 1, 1, 1, 1, 0x1e, 4, 0}, 1, 0, "length one past the end"},
        {{1, 1, 1, 1, 1, 1, 1, 0x1e}, 1, 0, "kind with no length byte"},
        {{2, 4, 5, 0xb4, 2, 4, 5, 0xb4}, 0, 1, "MSS twice"},
        {{4, 2, 4, 2, 1, 1, 1, 1}, 0, 1, "SACK permitted twice"},
    };
    uint8_t b[28];
    (void)state;
    for (unsigned i = 0; i < ARRAY_SIZE(cases); i++) {
        struct fx f;
        build(b, cases[i].opts);
        fx_init(&f, 100, 100, sizeof(b));
        decode_tcp(&f.ctx, &f.pkt, &f.l, b, sizeof(b));
        if (f.ctx.events[DEV_TCP_OPT_INVALID_LEN] != cases[i].invalid ||
            f.ctx.events[DEV_TCP_OPT_DUPLICATE] != cases[i].dup)
            fail_msg("case %u (%s): invalid %llu dup %llu", i, cases[i].what,
                     (unsigned long long)f.ctx.events[DEV_TCP_OPT_INVALID_LEN],
                     (unsigned long long)f.ctx.events[DEV_TCP_OPT_DUPLICATE]);
        /* A bad option never hides the header itself. */
        assert_true(f.l.l4_ok);
        assert_int_equal(f.l.dport, 443);
        decode_ctx_release(&f.ctx);
    }
}

static void test_layout_cap(void **state)
{
    uint8_t b[60];
    struct fx f;
    (void)state;
    /* 40 NOPs: the most a header can carry; layout holds all of them. */
    memcpy(b, syn, 20);
    b[12] = 0xf0;
    memset(b + 20, 1, 40);
    fx_init(&f, 100, 100, sizeof(b));
    assert_int_equal(decode_tcp(&f.ctx, &f.pkt, &f.l, b, sizeof(b)), DECODE_OK);
    assert_int_equal(f.l.tcp_opts.layout_len, MAX_TCP_OPTIONS);
    assert_false(f.pkt.malformed);
    decode_ctx_release(&f.ctx);
}

static void test_every_prefix(void **state)
{
    (void)state;
    for (uint32_t n = 0; n <= sizeof(syn); n++) {
        struct fx f;
        uint8_t *copy = malloc(n ? n : 1);
        assert_non_null(copy);
        memcpy(copy, syn, n);
        /* Declared as long as captured: each prefix is a segment of its own. */
        fx_init(&f, n, n, n);
        int rc = decode_tcp(&f.ctx, &f.pkt, &f.l, copy, n);
        assert_int_equal(rc == DECODE_OK, n >= 40);
        assert_int_equal(f.l.l4_ok, n >= 40);
        assert_int_equal(f.ctx.events[DEV_TCP_TOO_SMALL], n < 20 ? 1 : 0);
        assert_int_equal(f.ctx.events[DEV_TCP_HLEN_TRUNCATED], n >= 20 && n < 40 ? 1 : 0);
        assert_int_equal(f.pkt.malformed, n < 40);
        assert_int_equal(f.l.dport, n >= 4 ? 443 : 0);
        if (n >= 40) {
            assert_int_equal(f.l.payload_len, n - 40);
            assert_int_equal(f.l.tcp_opts.mss, 1460);
        }
        decode_ctx_release(&f.ctx);
        free(copy);
    }
}

static void test_pcap_snaplen96(void **state)
{
    struct decode_ctx ctx;
    struct pcap_pkthdr *h;
    const u_char *data;
    uint64_t n = 0, malformed = 0, l4_ok = 0, ts = 0, cut = 0;
    pcap_t *pc = decode_test_pcap_open("malformed/tcp-timestamp-snaplen96.pcap");
    (void)state;

    if (!pc)
        skip();
    decode_test_ctx_init(&ctx);
    while (pcap_next_ex(pc, &h, &data) == 1) {
        struct packet pkt;
        memset(&pkt, 0, sizeof(pkt));
        pkt.num = ++n;
        pkt.caplen = h->caplen;
        pkt.wirelen = h->len;
        pkt.linktype = pcap_datalink(pc);
        pkt.data = data;
        decode_packet(&ctx, &pkt);
        malformed += pkt.malformed;
        if (pkt.layer_count == 1 && pkt.layers[0].l4_ok) {
            const struct ip_layer *l = &pkt.layers[0];
            l4_ok++;
            ts += l->tcp_opts.has_ts;
            /* Eth 14 + IP 20 + TCP 32 = 66 bytes parsed; the rest counted. */
            if (h->caplen < h->len) {
                cut++;
                assert_int_equal(l->payload_wire_len, h->len - 66);
                assert_int_equal(l->payload_len, h->caplen - 66);
            }
        }
    }
    pcap_close(pc);
    /* tshark: 878 frames, 691 cut at 96 bytes, all with timestamps. */
    assert_int_equal(n, 878);
    assert_int_equal(l4_ok, 878);
    assert_int_equal(ts, 878);
    assert_int_equal(cut, 691);
    assert_int_equal(ctx.events[DEV_IPV4_TRUNCATED], 691);
    assert_int_equal(malformed, 0);
    decode_ctx_release(&ctx);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_syn),
        cmocka_unit_test(test_payload_wire_len),
        cmocka_unit_test(test_hlen_boundaries),
        cmocka_unit_test(test_option_lengths),
        cmocka_unit_test(test_layout_cap),
        cmocka_unit_test(test_every_prefix),
        cmocka_unit_test(test_pcap_snaplen96),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
