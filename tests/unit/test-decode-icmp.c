/* test-decode-icmp.c - ICMPv4 and ICMPv6: type, code, echo id/seq. */
#include "decode-test-util.h"

/* ICMP echo request with 4 bytes of data. */
static const uint8_t echo4[] = {
    0x08, 0x00,             /* type 8 (echo request), code 0 */
    0x00, 0x00,             /* checksum */
    0x03, 0x00,             /* identifier 0x0300 */
    0x00, 0x16,             /* sequence 22 */
    'p', 'i', 'n', 'g',
};

/* ICMP destination unreachable (port) quoting an IPv4/UDP header. */
static const uint8_t unreach4[] = {
    0x03, 0x03,             /* type 3, code 3 (port unreachable) */
    0x00, 0x00,             /* checksum */
    0x00, 0x00, 0x00, 0x00, /* unused */
    0x45, 0x00, 0x00, 0x1c, 0x00, 0x01, 0x00, 0x00, /* quoted IPv4 header */
    0x40, 0x11, 0x00, 0x00, 10, 0, 0, 1, 10, 0, 0, 2,
    0x30, 0x39, 0x00, 0x35, 0x00, 0x08, 0x00, 0x00, /* quoted UDP 12345 -> 53 */
};

/* ICMPv6 echo reply. */
static const uint8_t echo6[] = {
    0x81, 0x00,             /* type 129 (echo reply), code 0 */
    0x00, 0x00,             /* checksum */
    0xea, 0x40,             /* identifier */
    0x00, 0x01,             /* sequence 1 */
    'p', 'o', 'n', 'g',
};

struct fx {
    struct decode_ctx ctx;
    struct packet pkt;
    struct ip_layer l;
};

static void fx_init(struct fx *f, uint32_t len, uint8_t version)
{
    memset(f, 0, sizeof(*f));
    decode_test_ctx_init(&f->ctx);
    f->pkt.caplen = f->pkt.wirelen = 100;
    f->l.ip_version = version;
    f->l.proto = version == 4 ? 1 : 58;
    f->l.payload_wire_len = len;
}

static void test_echo4(void **state)
{
    struct fx f;
    (void)state;
    fx_init(&f, sizeof(echo4), 4);
    assert_int_equal(decode_icmpv4(&f.ctx, &f.pkt, &f.l, echo4, sizeof(echo4)), DECODE_OK);
    assert_true(f.l.l4_ok);
    assert_int_equal(f.l.icmp_type, 8);
    assert_int_equal(f.l.icmp_code, 0);
    assert_int_equal(f.l.icmp_id, 0x0300);
    assert_int_equal(f.l.icmp_seq, 22);
    assert_int_equal(f.l.sport, 0);
    assert_int_equal(f.l.payload_len, 4);
    assert_false(f.pkt.malformed);
    decode_ctx_release(&f.ctx);
}

static void test_unreach_quote_not_decoded(void **state)
{
    struct fx f;
    (void)state;
    fx_init(&f, sizeof(unreach4), 4);
    assert_int_equal(decode_icmpv4(&f.ctx, &f.pkt, &f.l, unreach4, sizeof(unreach4)),
                     DECODE_OK);
    assert_int_equal(f.l.icmp_type, 3);
    assert_int_equal(f.l.icmp_code, 3);
    /* The quoted packet does not become a layer or lend its ports. */
    assert_int_equal(f.l.icmp_id, 0);
    assert_int_equal(f.l.sport, 0);
    assert_int_equal(f.l.dport, 0);
    assert_int_equal(f.pkt.layer_count, 0);
    assert_int_equal(f.l.payload_len, sizeof(unreach4) - 8);
    decode_ctx_release(&f.ctx);
}

static void test_unknown_type(void **state)
{
    uint8_t b[sizeof(echo4)];
    struct fx f;
    (void)state;
    memcpy(b, echo4, sizeof(b));
    b[0] = 7; /* never assigned */
    fx_init(&f, sizeof(b), 4);
    assert_int_equal(decode_icmpv4(&f.ctx, &f.pkt, &f.l, b, sizeof(b)), DECODE_OK);
    assert_int_equal(f.ctx.events[DEV_ICMPV4_UNKNOWN_TYPE], 1);
    assert_false(f.pkt.malformed);
    assert_int_equal(f.l.icmp_id, 0); /* not an echo */
    decode_ctx_release(&f.ctx);

    memcpy(b, echo6, sizeof(b));
    b[0] = 50; /* unassigned in ICMPv6 */
    fx_init(&f, sizeof(b), 6);
    assert_int_equal(decode_icmpv6(&f.ctx, &f.pkt, &f.l, b, sizeof(b)), DECODE_OK);
    assert_int_equal(f.ctx.events[DEV_ICMPV6_UNKNOWN_TYPE], 1);
    assert_false(f.pkt.malformed);
    decode_ctx_release(&f.ctx);

    /* Neighbour solicitation (135) is ordinary. */
    b[0] = 135;
    fx_init(&f, sizeof(b), 6);
    decode_icmpv6(&f.ctx, &f.pkt, &f.l, b, sizeof(b));
    assert_int_equal(f.ctx.events[DEV_ICMPV6_UNKNOWN_TYPE], 0);
    decode_ctx_release(&f.ctx);
}

static void test_echo6(void **state)
{
    struct fx f;
    (void)state;
    fx_init(&f, sizeof(echo6), 6);
    assert_int_equal(decode_icmpv6(&f.ctx, &f.pkt, &f.l, echo6, sizeof(echo6)), DECODE_OK);
    assert_true(f.l.l4_ok);
    assert_int_equal(f.l.icmp_type, 129);
    assert_int_equal(f.l.icmp_id, 0xea40);
    assert_int_equal(f.l.icmp_seq, 1);
    assert_int_equal(f.l.payload_len, 4);
    assert_false(f.pkt.malformed);
    decode_ctx_release(&f.ctx);
}

static void test_snaplen_cut(void **state)
{
    struct fx f;
    (void)state;
    /* 6 bytes captured of a 12-byte message in a frame cut by the snaplen:
     * counted, not malformed; type and code are still known. */
    fx_init(&f, sizeof(echo4), 4);
    f.pkt.caplen = 40;
    assert_int_equal(decode_icmpv4(&f.ctx, &f.pkt, &f.l, echo4, 6), DECODE_ERR);
    assert_int_equal(f.ctx.events[DEV_ICMPV4_TOO_SMALL], 1);
    assert_false(f.pkt.malformed);
    assert_int_equal(f.l.icmp_type, 8);
    decode_ctx_release(&f.ctx);
}

/* Boundary (every prefix): 8 bytes is the smallest ICMP message (pins
 * < 8 vs <= 8); anything shorter is too small and malformed. */
static void run_prefixes(const uint8_t *msg, uint32_t len, uint8_t version)
{
    for (uint32_t n = 0; n <= len; n++) {
        struct fx f;
        uint8_t *copy = malloc(n ? n : 1);
        int rc;
        assert_non_null(copy);
        memcpy(copy, msg, n);
        fx_init(&f, n, version);
        if (version == 4)
            rc = decode_icmpv4(&f.ctx, &f.pkt, &f.l, copy, n);
        else
            rc = decode_icmpv6(&f.ctx, &f.pkt, &f.l, copy, n);
        assert_int_equal(rc == DECODE_OK, n >= 8);
        assert_int_equal(f.l.l4_ok, n >= 8);
        assert_int_equal(f.pkt.malformed, n < 8);
        assert_int_equal(f.ctx.events[version == 4 ? DEV_ICMPV4_TOO_SMALL : DEV_ICMPV6_TOO_SMALL],
                         n < 8 ? 1 : 0);
        if (n >= 8)
            assert_int_equal(f.l.payload_len, n - 8);
        decode_ctx_release(&f.ctx);
        free(copy);
    }
}

static void test_every_prefix(void **state)
{
    (void)state;
    run_prefixes(echo4, sizeof(echo4), 4);
    run_prefixes(unreach4, sizeof(unreach4), 4);
    run_prefixes(echo6, sizeof(echo6), 6);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_echo4),
        cmocka_unit_test(test_unreach_quote_not_decoded),
        cmocka_unit_test(test_unknown_type),
        cmocka_unit_test(test_echo6),
        cmocka_unit_test(test_snaplen_cut),
        cmocka_unit_test(test_every_prefix),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
