/* test-decode-ipv6.c - IPv6 header, extension header chain, fragments, and
 * address text. */
#define DECODE_TEST_FX
#include <arpa/inet.h>

#include "decode-test-util.h"
#include "decode/defrag.h"

#define ADDRS                                                                                      \
    0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x01, /* src 2001:db8::1 */       \
        0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x02 /* dst 2001:db8::2 */

/* IPv6, hop-by-hop options, destination options, UDP with 4 payload bytes. */
static const uint8_t chain6[] = {
    0x60, 0x00, 0x00, 0x00, /* version 6, traffic class 0, flow label 0 */
    0x00, 0x1c,             /* payload length 28 = 8 + 8 + 12 */
    0x00,                   /* next header: hop-by-hop */
    0x40,                   /* hop limit 64 */
    ADDRS,
    /* hop-by-hop: next dstopts, hdr ext len 0 (8 bytes), PadN of 4 */
    0x3c, 0x00, 0x01, 0x04, 0x00, 0x00, 0x00, 0x00,
    /* destination options: next UDP, len 0, PadN of 4 */
    0x11, 0x00, 0x01, 0x04, 0x00, 0x00, 0x00, 0x00,
    /* UDP: sport 5353, dport 5353, length 12, checksum */
    0x14, 0xe9, 0x14, 0xe9, 0x00, 0x0c, 0x00, 0x00,
    'm', 'd', 'n', 's',
};

static void test_chain_udp(void **state)
{
    struct fx f;
    (void)state;
    fx_init(&f, sizeof(chain6), sizeof(chain6));
    assert_int_equal(decode_ipv6(&f.ctx, &f.pkt, chain6, sizeof(chain6), TUNNEL_NONE),
                     DECODE_OK);
    assert_int_equal(f.pkt.layer_count, 1);
    const struct ip_layer *l = &f.pkt.layers[0];
    assert_int_equal(l->ip_version, 6);
    assert_int_equal(l->proto, 17);
    assert_int_equal(l->ttl, 64);
    assert_int_equal(l->ip_len, 68);
    assert_memory_equal(l->src.b, chain6 + 8, 16);
    assert_memory_equal(l->dst.b, chain6 + 24, 16);
    assert_false(ip_addr_is_v4(&l->src));
    assert_true(l->l4_ok);
    assert_int_equal(l->sport, 5353);
    assert_int_equal(l->payload_len, 4);
    assert_int_equal(l->payload_wire_len, 4);
    assert_memory_equal(l->payload, "mdns", 4);
    assert_int_equal(events_total(&f.ctx), 0);
    decode_ctx_release(&f.ctx);
}

static void test_bad_version(void **state)
{
    uint8_t b[sizeof(chain6)];
    struct fx f;
    (void)state;
    memcpy(b, chain6, sizeof(b));
    b[0] = 0x45;
    fx_init(&f, sizeof(b), sizeof(b));
    assert_int_equal(decode_ipv6(&f.ctx, &f.pkt, b, sizeof(b), TUNNEL_NONE), DECODE_ERR);
    assert_int_equal(f.ctx.events[DEV_IPV6_BAD_VERSION], 1);
    assert_int_equal(f.pkt.layer_count, 0);
    decode_ctx_release(&f.ctx);
}

static void test_padding_and_truncation(void **state)
{
    uint8_t b[sizeof(chain6) + 6];
    struct fx f;
    (void)state;
    /* Trailing bytes past the payload length are not payload. */
    memcpy(b, chain6, sizeof(chain6));
    memset(b + sizeof(chain6), 0, 6);
    fx_init(&f, sizeof(b), sizeof(b));
    assert_int_equal(decode_ipv6(&f.ctx, &f.pkt, b, sizeof(b), TUNNEL_NONE), DECODE_OK);
    assert_int_equal(f.pkt.layers[0].payload_len, 4);
    assert_false(f.pkt.malformed);
    decode_ctx_release(&f.ctx);

    /* 2 bytes short, captured whole: truncated and malformed. */
    fx_init(&f, sizeof(chain6) - 2, sizeof(chain6) - 2);
    decode_ipv6(&f.ctx, &f.pkt, chain6, sizeof(chain6) - 2, TUNNEL_NONE);
    assert_int_equal(f.ctx.events[DEV_IPV6_TRUNCATED], 1);
    assert_true(f.pkt.malformed);
    assert_int_equal(f.pkt.layers[0].payload_len, 2);
    assert_int_equal(f.pkt.layers[0].payload_wire_len, 4);
    decode_ctx_release(&f.ctx);

    /* The same cut by the snaplen: counted, not malformed. */
    fx_init(&f, sizeof(chain6) - 2, sizeof(chain6));
    decode_ipv6(&f.ctx, &f.pkt, chain6, sizeof(chain6) - 2, TUNNEL_NONE);
    assert_int_equal(f.ctx.events[DEV_IPV6_TRUNCATED], 1);
    assert_false(f.pkt.malformed);
    decode_ctx_release(&f.ctx);
}

static void test_jumbo(void **state)
{
    uint8_t b[sizeof(chain6)];
    struct fx f;
    (void)state;
    memcpy(b, chain6, sizeof(b));
    b[4] = 0;
    b[5] = 0; /* payload length 0 with hop-by-hop first: a jumbogram */
    fx_init(&f, sizeof(b), sizeof(b));
    assert_int_equal(decode_ipv6(&f.ctx, &f.pkt, b, sizeof(b), TUNNEL_NONE), DECODE_ERR);
    assert_int_equal(f.ctx.events[DEV_IPV6_TRUNCATED], 1);
    assert_int_equal(f.pkt.layer_count, 1);
    assert_false(f.pkt.layers[0].l4_ok);
    decode_ctx_release(&f.ctx);
}

/* IPv6 header followed by `n` destination options headers (8 bytes each)
 * and no next header. Returns the length. */
static uint32_t build_dstopts_chain(uint8_t *b, unsigned n)
{
    static const uint8_t head[8] = {0x60, 0, 0, 0, 0, 0, 60, 0x40};
    uint32_t plen = 8 * n;
    memcpy(b, head, 8);
    b[4] = (uint8_t)(plen >> 8);
    b[5] = (uint8_t)plen;
    memset(b + 8, 0x11, 32);
    for (unsigned i = 0; i < n; i++) {
        uint8_t *e = b + 40 + 8 * i;
        e[0] = i + 1 < n ? 60 : 59; /* next: another dstopts, or none */
        e[1] = 0;
        e[2] = 1; /* PadN, 4 bytes */
        e[3] = 4;
        memset(e + 4, 0, 4);
    }
    return 40 + plen;
}

static void test_ext_header_cap(void **state)
{
    uint8_t b[40 + 8 * (MAX_IPV6_EXT_HEADERS + 1)];
    struct fx f;
    uint32_t len;
    (void)state;
    /* Boundary: exactly MAX_IPV6_EXT_HEADERS are walked (pins < vs <=). */
    len = build_dstopts_chain(b, MAX_IPV6_EXT_HEADERS);
    fx_init(&f, len, len);
    assert_int_equal(decode_ipv6(&f.ctx, &f.pkt, b, len, TUNNEL_NONE), DECODE_OK);
    assert_int_equal(f.pkt.layers[0].proto, 59);
    assert_false(f.pkt.malformed);
    decode_ctx_release(&f.ctx);

    len = build_dstopts_chain(b, MAX_IPV6_EXT_HEADERS + 1);
    fx_init(&f, len, len);
    assert_int_equal(decode_ipv6(&f.ctx, &f.pkt, b, len, TUNNEL_NONE), DECODE_ERR);
    assert_int_equal(f.ctx.events[DEV_IPV6_EXTHDR_TOO_MANY], 1);
    decode_ctx_release(&f.ctx);
}

static void test_ext_header_truncated(void **state)
{
    uint8_t b[sizeof(chain6)];
    struct fx f;
    (void)state;
    memcpy(b, chain6, sizeof(b));
    /* Destination options claims 3 * 8 + 8 = 32 bytes; only 20 remain in
     * the payload. */
    b[49] = 3;
    fx_init(&f, sizeof(b), sizeof(b));
    assert_int_equal(decode_ipv6(&f.ctx, &f.pkt, b, sizeof(b), TUNNEL_NONE), DECODE_ERR);
    assert_int_equal(f.ctx.events[DEV_IPV6_EXTHDR_TRUNCATED], 1);
    assert_true(f.pkt.malformed);
    decode_ctx_release(&f.ctx);

    /* Boundary: 20 bytes remain after hop-by-hop; length 2 (24 bytes) does
     * not fit, length 1 (16 bytes) does and leaves 4 bytes for UDP. Pins the
     * (n + 1) * 8 arithmetic and the fit check. */
    b[49] = 2;
    fx_init(&f, sizeof(b), sizeof(b));
    assert_int_equal(decode_ipv6(&f.ctx, &f.pkt, b, sizeof(b), TUNNEL_NONE), DECODE_ERR);
    assert_int_equal(f.ctx.events[DEV_IPV6_EXTHDR_TRUNCATED], 1);
    decode_ctx_release(&f.ctx);

    b[49] = 1;
    fx_init(&f, sizeof(b), sizeof(b));
    assert_int_equal(decode_ipv6(&f.ctx, &f.pkt, b, sizeof(b), TUNNEL_NONE), DECODE_ERR);
    assert_int_equal(f.ctx.events[DEV_IPV6_EXTHDR_TRUNCATED], 0);
    assert_int_equal(f.ctx.events[DEV_UDP_TOO_SMALL], 1); /* 4 bytes left for UDP */
    decode_ctx_release(&f.ctx);
}

static void test_routing_ah_esp(void **state)
{
    static const uint8_t b[] = {
        0x60, 0x00, 0x00, 0x00,
        0x00, 0x30,             /* payload 48 = 24 + 16 + 8 */
        0x2b, 0x40,             /* next: routing, hop limit 64 */
        ADDRS,
        /* routing header: next AH, hdr ext len 2 (24 bytes), routing
         * type 4 (segment routing), segments left 0, 20 more bytes */
        0x33, 0x02, 0x04, 0x00, 0, 0, 0, 0,
        0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
        /* AH: next ESP, payload len 2 -> (2 + 2) * 4 = 16 bytes */
        0x32, 0x02, 0x00, 0x00, 0, 0, 0, 1, 0, 0, 0, 1, 0, 0, 0, 0,
        /* ESP: SPI and sequence; the rest is encrypted */
        0x00, 0x00, 0x10, 0x00, 0x00, 0x00, 0x00, 0x05,
    };
    struct fx f;
    (void)state;
    fx_init(&f, sizeof(b), sizeof(b));
    assert_int_equal(decode_ipv6(&f.ctx, &f.pkt, b, sizeof(b), TUNNEL_NONE), DECODE_OK);
    assert_int_equal(f.pkt.layers[0].proto, 50);
    assert_int_equal(f.pkt.layers[0].sport, 0);
    assert_int_equal(f.pkt.layers[0].payload_len, 8);
    assert_int_equal(events_total(&f.ctx), 0);
    decode_ctx_release(&f.ctx);
}

/* An IPv6 fragment carrying part of a UDP datagram of 16 bytes. */
static uint32_t build_frag(uint8_t *b, uint16_t off, int more, const uint8_t *data, uint16_t n)
{
    static const uint8_t head[] = {
        0x60, 0x00, 0x00, 0x00, 0x00, 0x00, /* payload length set below */
        0x2c, 0x40,                         /* next: fragment, hop limit 64 */
        ADDRS,
    };
    uint16_t plen = (uint16_t)(8 + n);
    memcpy(b, head, sizeof(head));
    b[4] = (uint8_t)(plen >> 8);
    b[5] = (uint8_t)plen;
    b[40] = 17;   /* fragment header: next UDP */
    b[41] = 0;    /* reserved */
    b[42] = (uint8_t)(off >> 8); /* offset (bytes, multiple of 8) | M */
    b[43] = (uint8_t)((off & 0xf8) | (more ? 1 : 0));
    b[44] = 0xde; /* identification */
    b[45] = 0xad;
    b[46] = 0xbe;
    b[47] = 0xef;
    memcpy(b + 48, data, n);
    return 48u + n;
}

static void test_fragments(void **state)
{
    /* UDP datagram: sport 1000, dport 2000, length 16, checksum, 8 bytes. */
    static const uint8_t udp[16] = {0x03, 0xe8, 0x07, 0xd0, 0x00, 0x10, 0x00, 0x00,
                                    'f', 'r', 'a', 'g', 'm', 'e', 'n', 't'};
    uint8_t b[64];
    uint32_t len;
    struct fx f;
    (void)state;
    fx_init(&f, 100, 100);

    /* Second half first. */
    len = build_frag(b, 8, 0, udp + 8, 8);
    assert_int_equal(decode_ipv6(&f.ctx, &f.pkt, b, len, TUNNEL_NONE), DECODE_OK);
    assert_true(f.pkt.layers[0].is_fragment);
    assert_int_equal(f.pkt.layers[0].proto, 17);
    assert_false(f.pkt.layers[0].l4_ok);

    f.pkt.layer_count = 0;
    len = build_frag(b, 0, 1, udp, 8);
    assert_int_equal(decode_ipv6(&f.ctx, &f.pkt, b, len, TUNNEL_NONE), DECODE_OK);
    const struct ip_layer *l = &f.pkt.layers[0];
    assert_false(l->is_fragment);
    assert_true(l->reassembled);
    assert_int_equal(l->frag_frames, 2);
    assert_int_equal(l->frag_wire_bytes, 200);
    assert_int_equal(l->ip_len, 40 + 16);
    assert_true(l->l4_ok);
    assert_int_equal(l->sport, 1000);
    assert_int_equal(l->dport, 2000);
    assert_int_equal(l->payload_len, 8);
    assert_memory_equal(l->payload, "fragment", 8);
    assert_int_equal(f.ctx.events[DEV_FRAG_REASSEMBLED], 1);
    assert_false(f.pkt.malformed);
    decode_ctx_release(&f.ctx);
}

static void test_fragment_then_dstopts(void **state)
{
    /* The fragmentable part starts with destination options (8 bytes),
     * then UDP 1000 -> 2000 with 8 bytes of data. */
    static const uint8_t part[24] = {
        0x11, 0x00, 0x01, 0x04, 0, 0, 0, 0,             /* dstopts: next UDP */
        0x03, 0xe8, 0x07, 0xd0, 0x00, 0x10, 0x00, 0x00, /* UDP, length 16 */
        'r', 'e', 'a', 's', 's', 'e', 'm', 'b',
    };
    uint8_t b[64];
    uint32_t len;
    struct fx f;
    (void)state;
    fx_init(&f, 100, 100);
    len = build_frag(b, 0, 1, part, 16);
    b[40] = 60; /* fragment header: next is destination options */
    decode_ipv6(&f.ctx, &f.pkt, b, len, TUNNEL_NONE);
    f.pkt.layer_count = 0;
    len = build_frag(b, 16, 0, part + 16, 8);
    b[40] = 60;
    assert_int_equal(decode_ipv6(&f.ctx, &f.pkt, b, len, TUNNEL_NONE), DECODE_OK);
    assert_true(f.pkt.layers[0].reassembled);
    assert_int_equal(f.pkt.layers[0].proto, 17);
    assert_int_equal(f.pkt.layers[0].dport, 2000);
    assert_memory_equal(f.pkt.layers[0].payload, "reassemb", 8);
    assert_false(f.pkt.malformed);
    decode_ctx_release(&f.ctx);

    /* A second Fragment header inside the reassembled data is refused. */
    static const uint8_t nested[16] = {
        0x11, 0x00, 0x00, 0x01, 0xde, 0xad, 0xbe, 0xef, /* fragment, offset 0, M */
        0x03, 0xe8, 0x07, 0xd0, 0x00, 0x10, 0x00, 0x00,
    };
    fx_init(&f, 100, 100);
    len = build_frag(b, 0, 1, nested, 8);
    b[40] = 44;
    decode_ipv6(&f.ctx, &f.pkt, b, len, TUNNEL_NONE);
    f.pkt.layer_count = 0;
    len = build_frag(b, 8, 0, nested + 8, 8);
    b[40] = 44;
    assert_int_equal(decode_ipv6(&f.ctx, &f.pkt, b, len, TUNNEL_NONE), DECODE_ERR);
    assert_int_equal(f.ctx.events[DEV_IPV6_EXTHDR_TOO_MANY], 1);
    decode_ctx_release(&f.ctx);
}

static void test_atomic_fragment(void **state)
{
    static const uint8_t udp[16] = {0x03, 0xe8, 0x07, 0xd0, 0x00, 0x10, 0x00, 0x00,
                                    'a', 't', 'o', 'm', 'i', 'c', '!', '!'};
    uint8_t b[64];
    uint32_t len;
    struct fx f;
    (void)state;
    /* Offset 0 and no M flag (RFC 6946): decoded in place, no tracker. */
    len = build_frag(b, 0, 0, udp, 16);
    fx_init(&f, len, len);
    assert_int_equal(decode_ipv6(&f.ctx, &f.pkt, b, len, TUNNEL_NONE), DECODE_OK);
    assert_false(f.pkt.layers[0].is_fragment);
    assert_false(f.pkt.layers[0].reassembled);
    assert_int_equal(f.pkt.layers[0].dport, 2000);
    assert_int_equal(defrag_trackers(f.ctx.defrag), 0);
    decode_ctx_release(&f.ctx);
}

static void test_tunnel_too_deep(void **state)
{
    struct fx f;
    (void)state;
    fx_init(&f, sizeof(chain6), sizeof(chain6));
    f.pkt.layer_count = MAX_IP_LAYERS;
    assert_int_equal(decode_ipv6(&f.ctx, &f.pkt, chain6, sizeof(chain6), TUNNEL_TEREDO),
                     DECODE_ERR);
    assert_int_equal(f.ctx.events[DEV_TUNNEL_TOO_DEEP], 1);
    decode_ctx_release(&f.ctx);
}

static void test_every_prefix(void **state)
{
    (void)state;
    for (uint32_t n = 0; n <= sizeof(chain6); n++) {
        struct fx f;
        uint8_t *copy = malloc(n ? n : 1);
        assert_non_null(copy);
        memcpy(copy, chain6, n);
        fx_init(&f, n, n);
        int rc = decode_ipv6(&f.ctx, &f.pkt, copy, n, TUNNEL_NONE);
        if (n < 40) {
            assert_int_equal(rc, DECODE_ERR);
            assert_int_equal(f.pkt.layer_count, 0);
            assert_int_equal(f.ctx.events[DEV_IPV6_TOO_SMALL], 1);
        } else {
            const struct ip_layer *l = &f.pkt.layers[0];
            assert_int_equal(f.pkt.layer_count, 1);
            assert_int_equal(l->ip_len, 68);
            assert_int_equal(f.ctx.events[DEV_IPV6_TRUNCATED], n < sizeof(chain6) ? 1 : 0);
            /* Extension headers end at 56; before that the chain is cut. */
            assert_int_equal(f.ctx.events[DEV_IPV6_EXTHDR_TRUNCATED], n < 56 ? 1 : 0);
            assert_int_equal(l->l4_ok, n >= 64);
            if (n >= 64)
                assert_int_equal(l->payload_len, n - 64);
        }
        assert_int_equal(f.pkt.malformed, n < sizeof(chain6));
        decode_ctx_release(&f.ctx);
        free(copy);
    }
}

/* ip_addr_fmt writes what inet_ntop writes. IPv6: every pattern of zero
 * and non-zero groups (256), with the non-zero groups 1, 0xffff or random,
 * so every placement of "::" and of ::a.b.c.d / ::ffff:a.b.c.d is met;
 * IPv4: every value of each byte. Also a buffer one byte short. */
static void check_fmt(const struct ip_addr *a)
{
    char want[64], got[64];
    if (ip_addr_is_v4(a))
        assert_non_null(inet_ntop(AF_INET, a->b + 12, want, sizeof(want)));
    else
        assert_non_null(inet_ntop(AF_INET6, a->b, want, sizeof(want)));
    memset(got, 'x', sizeof(got));
    ip_addr_fmt(a, got, sizeof(got));
    if (strcmp(got, want) != 0)
        fail_msg("ip_addr_fmt gave '%s', inet_ntop '%s'", got, want);
    size_t n = strlen(want);
    ip_addr_fmt(a, got, (unsigned)n + 1);
    assert_string_equal(got, want);
    ip_addr_fmt(a, got, (unsigned)n);
    assert_string_equal(got, "");
}

static void test_addr_text(void **state)
{
    (void)state;
    uint32_t seed = 12345;
    for (unsigned mask = 0; mask < 256; mask++) {
        for (unsigned fill = 0; fill < 3; fill++) {
            for (unsigned rep = 0; rep < (fill == 2 ? 8u : 1u); rep++) {
                struct ip_addr a;
                for (int i = 0; i < 8; i++) {
                    unsigned w = 0;
                    if (mask >> i & 1) {
                        seed = seed * 1103515245u + 12345u;
                        w = fill == 0 ? 1 : fill == 1 ? 0xffff : (seed >> 8 & 0xffff) | 1;
                    }
                    a.b[2 * i] = (uint8_t)(w >> 8);
                    a.b[2 * i + 1] = (uint8_t)w;
                }
                check_fmt(&a);
            }
        }
    }
    for (unsigned v = 0; v < 256; v++) {
        uint8_t q[4] = {(uint8_t)v, (uint8_t)(255 - v), (uint8_t)(v * 7), (uint8_t)(v / 3)};
        struct ip_addr a;
        ip_addr_from_v4(&a, q);
        check_fmt(&a);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_chain_udp),
        cmocka_unit_test(test_bad_version),
        cmocka_unit_test(test_padding_and_truncation),
        cmocka_unit_test(test_jumbo),
        cmocka_unit_test(test_ext_header_cap),
        cmocka_unit_test(test_ext_header_truncated),
        cmocka_unit_test(test_routing_ah_esp),
        cmocka_unit_test(test_fragments),
        cmocka_unit_test(test_fragment_then_dstopts),
        cmocka_unit_test(test_atomic_fragment),
        cmocka_unit_test(test_tunnel_too_deep),
        cmocka_unit_test(test_every_prefix),
        cmocka_unit_test(test_addr_text),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
