/* test-decode-ipv4.c - IPv4 header, options, lengths, IP-in-IP, and real
 * malformed captures through the whole decoder. */
#define DECODE_TEST_FX
#include "decode-test-util.h"
#include "decode/defrag.h"

/* A complete IPv4/UDP datagram: 20-byte header, 8-byte UDP header, 4 bytes
 * of payload. */
static const uint8_t udp4[] = {
    0x45,                   /* version 4, IHL 5 (20 bytes) */
    0x00,                   /* DSCP/ECN */
    0x00, 0x20,             /* total length 32 */
    0x12, 0x34,             /* id */
    0x40, 0x00,             /* DF, offset 0 */
    0x3f,                   /* TTL 63 */
    0x11,                   /* protocol UDP */
    0x00, 0x00,             /* checksum (not checked) */
    192, 168, 1, 10,        /* src */
    8, 8, 8, 8,             /* dst */
    0xd4, 0x31, 0x00, 0x35, /* UDP sport 54321, dport 53 */
    0x00, 0x0c, 0x00, 0x00, /* UDP length 12, checksum */
    'p', 'i', 'n', 'g',     /* payload */
};

static void test_valid_udp(void **state)
{
    struct fx f;
    const uint8_t s[4] = {192, 168, 1, 10}, d[4] = {8, 8, 8, 8};
    struct ip_addr es, ed;
    (void)state;
    fx_init(&f, sizeof(udp4), sizeof(udp4));
    assert_int_equal(decode_ipv4(&f.ctx, &f.pkt, udp4, sizeof(udp4), TUNNEL_NONE), DECODE_OK);
    assert_int_equal(f.pkt.layer_count, 1);
    const struct ip_layer *l = &f.pkt.layers[0];
    ip_addr_from_v4(&es, s);
    ip_addr_from_v4(&ed, d);
    assert_int_equal(l->ip_version, 4);
    assert_int_equal(l->proto, 17);
    assert_int_equal(l->ttl, 63);
    assert_int_equal(l->tunnel, TUNNEL_NONE);
    assert_memory_equal(&l->src, &es, sizeof(es));
    assert_memory_equal(&l->dst, &ed, sizeof(ed));
    assert_true(ip_addr_is_v4(&l->src));
    assert_int_equal(l->ip_len, 32);
    assert_false(l->is_fragment);
    assert_true(l->l4_ok);
    assert_int_equal(l->sport, 54321);
    assert_int_equal(l->dport, 53);
    assert_int_equal(l->payload_len, 4);
    assert_int_equal(l->payload_wire_len, 4);
    assert_memory_equal(l->payload, "ping", 4);
    assert_false(f.pkt.malformed);
    assert_int_equal(events_total(&f.ctx), 0);
    decode_ctx_release(&f.ctx);
}

static void test_ethernet_padding_not_payload(void **state)
{
    uint8_t b[sizeof(udp4) + 14];
    struct fx f;
    (void)state;
    memcpy(b, udp4, sizeof(udp4));
    memset(b + sizeof(udp4), 0xaa, 14); /* Ethernet minimum-frame padding */
    fx_init(&f, sizeof(b), sizeof(b));
    assert_int_equal(decode_ipv4(&f.ctx, &f.pkt, b, sizeof(b), TUNNEL_NONE), DECODE_OK);
    assert_int_equal(f.pkt.layers[0].payload_len, 4);
    assert_int_equal(f.pkt.layers[0].ip_len, 32);
    assert_false(f.pkt.malformed);
    decode_ctx_release(&f.ctx);
}

static void test_truncated_on_wire(void **state)
{
    struct fx f;
    (void)state;
    /* Captured whole (caplen == wirelen) but 2 bytes short of the total
     * length: a real error, still decoded as far as it goes. */
    fx_init(&f, 30, 30);
    assert_int_equal(decode_ipv4(&f.ctx, &f.pkt, udp4, 30, TUNNEL_NONE), DECODE_OK);
    assert_int_equal(f.ctx.events[DEV_IPV4_TRUNCATED], 1);
    assert_true(f.pkt.malformed);
    assert_int_equal(f.pkt.layers[0].dport, 53);
    assert_int_equal(f.pkt.layers[0].payload_len, 2);
    assert_int_equal(f.pkt.layers[0].payload_wire_len, 4);
    decode_ctx_release(&f.ctx);
}

static void test_truncated_by_snaplen(void **state)
{
    struct fx f;
    (void)state;
    /* Cut by the capture's snaplen: counted, but not a malformed packet. */
    fx_init(&f, 30, 32);
    assert_int_equal(decode_ipv4(&f.ctx, &f.pkt, udp4, 30, TUNNEL_NONE), DECODE_OK);
    assert_int_equal(f.ctx.events[DEV_IPV4_TRUNCATED], 1);
    assert_false(f.pkt.malformed);
    assert_int_equal(f.pkt.layers[0].payload_wire_len, 4);
    decode_ctx_release(&f.ctx);
}

static void test_bad_version(void **state)
{
    uint8_t b[sizeof(udp4)];
    struct fx f;
    (void)state;
    memcpy(b, udp4, sizeof(b));
    b[0] = 0x65; /* version 6 in an IPv4 slot */
    fx_init(&f, sizeof(b), sizeof(b));
    assert_int_equal(decode_ipv4(&f.ctx, &f.pkt, b, sizeof(b), TUNNEL_NONE), DECODE_ERR);
    assert_int_equal(f.ctx.events[DEV_IPV4_BAD_VERSION], 1);
    assert_int_equal(f.pkt.layer_count, 0);
    decode_ctx_release(&f.ctx);
}

static void test_hlen_boundary(void **state)
{
    uint8_t b[sizeof(udp4)];
    struct fx f;
    (void)state;
    /* IHL 4 (16 bytes) is one word short of the minimum (pins < 20 vs
     * <= 20; IHL 5 is the valid case above). */
    memcpy(b, udp4, sizeof(b));
    b[0] = 0x44;
    fx_init(&f, sizeof(b), sizeof(b));
    assert_int_equal(decode_ipv4(&f.ctx, &f.pkt, b, sizeof(b), TUNNEL_NONE), DECODE_ERR);
    assert_int_equal(f.ctx.events[DEV_IPV4_HLEN_TOO_SMALL], 1);
    decode_ctx_release(&f.ctx);
}

static void test_total_len_boundary(void **state)
{
    uint8_t b[sizeof(udp4)];
    struct fx f;
    (void)state;
    memcpy(b, udp4, sizeof(b));
    /* Total length 19 < header length 20: error (pins < vs <=). */
    b[3] = 19;
    fx_init(&f, sizeof(b), sizeof(b));
    assert_int_equal(decode_ipv4(&f.ctx, &f.pkt, b, sizeof(b), TUNNEL_NONE), DECODE_ERR);
    assert_int_equal(f.ctx.events[DEV_IPV4_IPLEN_SMALLER_THAN_HLEN], 1);
    decode_ctx_release(&f.ctx);

    /* Total length 20: a header with an empty UDP "datagram": the IP layer
     * is fine, UDP is too small (and its error is passed up). */
    b[3] = 20;
    fx_init(&f, sizeof(b), sizeof(b));
    assert_int_equal(decode_ipv4(&f.ctx, &f.pkt, b, sizeof(b), TUNNEL_NONE), DECODE_ERR);
    assert_int_equal(f.ctx.events[DEV_IPV4_IPLEN_SMALLER_THAN_HLEN], 0);
    assert_int_equal(f.ctx.events[DEV_UDP_TOO_SMALL], 1);
    assert_int_equal(f.pkt.layer_count, 1);
    assert_false(f.pkt.layers[0].l4_ok);
    decode_ctx_release(&f.ctx);

    /* Total length 0: TSO capture, the captured length is used. */
    b[2] = 0;
    b[3] = 0;
    fx_init(&f, sizeof(b), sizeof(b));
    assert_int_equal(decode_ipv4(&f.ctx, &f.pkt, b, sizeof(b), TUNNEL_NONE), DECODE_OK);
    assert_int_equal(f.pkt.layers[0].ip_len, sizeof(b));
    assert_true(f.pkt.layers[0].l4_ok);
    assert_false(f.pkt.malformed);
    decode_ctx_release(&f.ctx);
}

/* Header with 8 bytes of options + UDP; `opts` replaces the options. */
static void build_opts(uint8_t *b, const uint8_t opts[8])
{
    static const uint8_t head[] = {
        0x47, 0x00, 0x00, 0x24, /* IHL 7 (28 bytes), total 36 */
        0x00, 0x01, 0x00, 0x00, /* id 1, no flags */
        0x40, 0x11, 0x00, 0x00, /* TTL 64, UDP */
        10, 0, 0, 1, 10, 0, 0, 2,
    };
    static const uint8_t udp[] = {0x00, 0x07, 0x00, 0x07, 0x00, 0x08, 0x00, 0x00};
    memcpy(b, head, sizeof(head));
    memcpy(b + 20, opts, 8);
    memcpy(b + 28, udp, sizeof(udp));
}

static void test_options(void **state)
{
    /* NOP, record route (type 7, length 7: pointer + one address), EOL. */
    static const uint8_t good[8] = {0x01, 0x07, 0x07, 0x04, 1, 2, 3, 4};
    /* NOP, NOP, type 0x44 (timestamp) with length 1: below the minimum 2. */
    static const uint8_t short_len[8] = {0x01, 0x01, 0x44, 0x01, 0, 0, 0, 0};
    /* Type 0x07 with length 9: one byte past the options area (pins
     * olen - 2 > left vs >=; length 8 would be exact). */
    static const uint8_t past_end[8] = {0x07, 0x09, 0x04, 0, 0, 0, 0, 0};
    static const uint8_t exact[8] = {0x07, 0x08, 0x04, 0, 0, 0, 0, 0};
    /* Seven NOPs then a type byte with no room for its length. */
    static const uint8_t no_len[8] = {1, 1, 1, 1, 1, 1, 1, 0x83};
    uint8_t b[36];
    struct fx f;
    (void)state;

    build_opts(b, good);
    fx_init(&f, sizeof(b), sizeof(b));
    assert_int_equal(decode_ipv4(&f.ctx, &f.pkt, b, sizeof(b), TUNNEL_NONE), DECODE_OK);
    assert_false(f.pkt.malformed);
    assert_int_equal(f.pkt.layers[0].sport, 7);
    decode_ctx_release(&f.ctx);

    build_opts(b, exact);
    fx_init(&f, sizeof(b), sizeof(b));
    decode_ipv4(&f.ctx, &f.pkt, b, sizeof(b), TUNNEL_NONE);
    assert_false(f.pkt.malformed);
    decode_ctx_release(&f.ctx);

    build_opts(b, short_len);
    fx_init(&f, sizeof(b), sizeof(b));
    decode_ipv4(&f.ctx, &f.pkt, b, sizeof(b), TUNNEL_NONE);
    assert_int_equal(f.ctx.events[DEV_IPV4_OPT_INVALID], 1);
    /* A bad option does not hide the transport. */
    assert_true(f.pkt.layers[0].l4_ok);
    decode_ctx_release(&f.ctx);

    build_opts(b, past_end);
    fx_init(&f, sizeof(b), sizeof(b));
    decode_ipv4(&f.ctx, &f.pkt, b, sizeof(b), TUNNEL_NONE);
    assert_int_equal(f.ctx.events[DEV_IPV4_OPT_MALFORMED], 1);
    decode_ctx_release(&f.ctx);

    build_opts(b, no_len);
    fx_init(&f, sizeof(b), sizeof(b));
    decode_ipv4(&f.ctx, &f.pkt, b, sizeof(b), TUNNEL_NONE);
    assert_int_equal(f.ctx.events[DEV_IPV4_OPT_MALFORMED], 1);
    decode_ctx_release(&f.ctx);

    /* Options area cut by the capture: the layer exists, nothing more. */
    build_opts(b, good);
    fx_init(&f, 24, 36);
    assert_int_equal(decode_ipv4(&f.ctx, &f.pkt, b, 24, TUNNEL_NONE), DECODE_ERR);
    assert_int_equal(f.pkt.layer_count, 1);
    assert_false(f.pkt.layers[0].l4_ok);
    assert_int_equal(f.ctx.events[DEV_IPV4_TRUNCATED], 1);
    decode_ctx_release(&f.ctx);
}

static void test_tunnel_too_deep(void **state)
{
    struct fx f;
    (void)state;
    fx_init(&f, sizeof(udp4), sizeof(udp4));
    f.pkt.layer_count = MAX_IP_LAYERS - 1;
    /* Boundary: the last free slot is still used (pins >= vs >). */
    assert_int_equal(decode_ipv4(&f.ctx, &f.pkt, udp4, sizeof(udp4), TUNNEL_GRE), DECODE_OK);
    assert_int_equal(f.pkt.layer_count, MAX_IP_LAYERS);
    assert_int_equal(f.pkt.layers[MAX_IP_LAYERS - 1].tunnel, TUNNEL_GRE);
    assert_int_equal(decode_ipv4(&f.ctx, &f.pkt, udp4, sizeof(udp4), TUNNEL_GRE), DECODE_ERR);
    assert_int_equal(f.ctx.events[DEV_TUNNEL_TOO_DEEP], 1);
    assert_int_equal(f.pkt.layer_count, MAX_IP_LAYERS);
    decode_ctx_release(&f.ctx);
}

static void test_ipip(void **state)
{
    uint8_t b[20 + sizeof(udp4)];
    struct fx f;
    static const uint8_t outer[20] = {
        0x45, 0x00, 0x00, 0x34, /* total 20 + 32 */
        0x00, 0x02, 0x00, 0x00, /* id 2 */
        0x40, 0x04, 0x00, 0x00, /* TTL 64, protocol 4 (IPv4-in-IPv4) */
        203, 0, 113, 1, 203, 0, 113, 2,
    };
    (void)state;
    memcpy(b, outer, sizeof(outer));
    memcpy(b + 20, udp4, sizeof(udp4));
    fx_init(&f, sizeof(b), sizeof(b));
    assert_int_equal(decode_ipv4(&f.ctx, &f.pkt, b, sizeof(b), TUNNEL_NONE), DECODE_OK);
    assert_int_equal(f.pkt.layer_count, 2);
    assert_int_equal(f.pkt.layers[0].proto, 4);
    assert_int_equal(f.pkt.layers[0].sport, 0);
    assert_int_equal(f.pkt.layers[1].tunnel, TUNNEL_IPIP);
    assert_int_equal(f.pkt.layers[1].dport, 53);
    assert_false(f.pkt.malformed);
    decode_ctx_release(&f.ctx);
}

static void test_6in4(void **state)
{
    static const uint8_t b[] = {
        0x45, 0x00, 0x00, 0x3c, /* total 20 + 40 */
        0x00, 0x03, 0x00, 0x00,
        0x40, 0x29, 0x00, 0x00, /* protocol 41 (IPv6) */
        203, 0, 113, 1, 203, 0, 113, 2,
        0x60, 0x00, 0x00, 0x00, /* IPv6 */
        0x00, 0x00, 0x3b, 0x40, /* payload 0, no next header, hop limit 64 */
        0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1,
        0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 2,
    };
    struct fx f;
    (void)state;
    fx_init(&f, sizeof(b), sizeof(b));
    assert_int_equal(decode_ipv4(&f.ctx, &f.pkt, b, sizeof(b), TUNNEL_NONE), DECODE_OK);
    assert_int_equal(f.pkt.layer_count, 2);
    assert_int_equal(f.pkt.layers[1].ip_version, 6);
    assert_int_equal(f.pkt.layers[1].tunnel, TUNNEL_IPIP);
    assert_int_equal(f.pkt.layers[1].proto, 59);
    assert_false(f.pkt.malformed);
    decode_ctx_release(&f.ctx);
}

static void test_other_protocols(void **state)
{
    uint8_t b[sizeof(udp4)];
    struct fx f;
    (void)state;
    memcpy(b, udp4, sizeof(b));
    /* ESP, OSPF, IGMP, SCTP: ordinary protocols, a portless flow, no event. */
    static const uint8_t normal[] = {50, 89, 2, 132, 51, 103, 112};
    for (unsigned i = 0; i < ARRAY_SIZE(normal); i++) {
        b[9] = normal[i];
        fx_init(&f, sizeof(b), sizeof(b));
        assert_int_equal(decode_ipv4(&f.ctx, &f.pkt, b, sizeof(b), TUNNEL_NONE), DECODE_OK);
        assert_int_equal(f.pkt.layers[0].proto, normal[i]);
        assert_int_equal(f.pkt.layers[0].sport, 0);
        assert_int_equal(f.pkt.layers[0].payload_len, 12);
        assert_int_equal(events_total(&f.ctx), 0);
        assert_false(f.pkt.malformed);
        decode_ctx_release(&f.ctx);
    }
    /* An unassigned number is noted but is not a malformed packet. */
    b[9] = 200;
    fx_init(&f, sizeof(b), sizeof(b));
    assert_int_equal(decode_ipv4(&f.ctx, &f.pkt, b, sizeof(b), TUNNEL_NONE), DECODE_OK);
    assert_int_equal(f.ctx.events[DEV_IPV4_UNKNOWN_PROTO], 1);
    assert_false(f.pkt.malformed);
    decode_ctx_release(&f.ctx);
}

static void test_fragment_not_transport(void **state)
{
    uint8_t b[sizeof(udp4)];
    struct fx f;
    (void)state;
    memcpy(b, udp4, sizeof(b));
    b[6] = 0x20; /* MF, offset 0 */
    fx_init(&f, sizeof(b), sizeof(b));
    assert_int_equal(decode_ipv4(&f.ctx, &f.pkt, b, sizeof(b), TUNNEL_NONE), DECODE_OK);
    assert_true(f.pkt.layers[0].is_fragment);
    assert_false(f.pkt.layers[0].l4_ok);
    assert_int_equal(f.pkt.layers[0].dport, 0);
    assert_int_equal(defrag_trackers(f.ctx.defrag), 1);
    decode_ctx_release(&f.ctx);

    /* A truncated fragment is not handed to defrag (its bytes are missing). */
    fx_init(&f, 30, 30);
    decode_ipv4(&f.ctx, &f.pkt, b, 30, TUNNEL_NONE);
    assert_true(f.pkt.layers[0].is_fragment);
    assert_int_equal(defrag_trackers(f.ctx.defrag), 0);
    decode_ctx_release(&f.ctx);
}

static void test_every_prefix(void **state)
{
    (void)state;
    for (uint32_t n = 0; n <= sizeof(udp4); n++) {
        struct fx f;
        uint8_t *copy = malloc(n ? n : 1); /* exact size so ASan sees overreads */
        assert_non_null(copy);
        memcpy(copy, udp4, n);
        fx_init(&f, n, n);
        int rc = decode_ipv4(&f.ctx, &f.pkt, copy, n, TUNNEL_NONE);
        if (n < 20) {
            assert_int_equal(rc, DECODE_ERR);
            assert_int_equal(f.pkt.layer_count, 0);
            assert_int_equal(f.ctx.events[DEV_IPV4_TOO_SMALL], 1);
        } else {
            const struct ip_layer *l = &f.pkt.layers[0];
            assert_int_equal(f.pkt.layer_count, 1);
            assert_int_equal(l->ip_len, 32);
            assert_int_equal(l->ttl, 63);
            assert_int_equal(f.ctx.events[DEV_IPV4_TRUNCATED], n < 32 ? 1 : 0);
            assert_int_equal(l->l4_ok, n >= 28);
            if (n >= 28)
                assert_int_equal(l->payload_len, n - 28);
            if (n >= 24)
                assert_int_equal(l->dport, 53);
        }
        assert_int_equal(f.pkt.malformed, n < sizeof(udp4));
        decode_ctx_release(&f.ctx);
        free(copy);
    }
}

/* ---- real captures ---------------------------------------------------- */

struct run {
    struct decode_ctx ctx;
    uint64_t packets, malformed, layers;
};

static int run_pcap(const char *rel, struct run *r)
{
    struct pcap_pkthdr *h;
    const u_char *data;
    pcap_t *pc;

    memset(r, 0, sizeof(*r));
    pc = decode_test_pcap_open(rel);
    if (!pc)
        return -1;
    decode_test_ctx_init(&r->ctx);
    while (pcap_next_ex(pc, &h, &data) == 1) {
        struct packet pkt;
        decode_test_pcap_packet(&pkt, pc, h, data, ++r->packets);
        decode_packet(&r->ctx, &pkt);
        r->malformed += pkt.malformed;
        r->layers += pkt.layer_count;
    }
    pcap_close(pc);
    return 0;
}

static void test_pcap_badpackets(void **state)
{
    struct run r;
    (void)state;
    if (run_pcap("malformed/badpackets.pcap", &r) < 0)
        skip();
    /* 93 first fragments of DNS answers, every one shorter than its IP
     * total length (tshark agrees); 7 of them cut by the snaplen (46 of 60
     * bytes), the other 86 short on the wire. None is given to defrag. */
    assert_int_equal(r.packets, 93);
    assert_int_equal(r.layers, 93);
    assert_int_equal(r.ctx.events[DEV_IPV4_TRUNCATED], 93);
    assert_int_equal(r.ctx.events[DEV_CAPLEN_TRUNCATED], 7);
    assert_int_equal(r.malformed, 86);
    assert_int_equal(defrag_trackers(r.ctx.defrag), 0);
    decode_ctx_release(&r.ctx);
}

static void test_pcap_decode_too_small(void **state)
{
    struct run r;
    (void)state;
    if (run_pcap("malformed/decode-too-small.pcap", &r) < 0)
        skip();
    /* suricata-verify's 8 frames: IPv4 then IPv6 with a missing TCP header,
     * a missing UDP header, a 4-byte UDP header, a 2-byte GRE header. */
    assert_int_equal(r.packets, 8);
    assert_int_equal(r.layers, 8);
    assert_int_equal(r.ctx.events[DEV_TCP_TOO_SMALL], 2);
    assert_int_equal(r.ctx.events[DEV_UDP_TOO_SMALL], 4);
    assert_int_equal(r.ctx.events[DEV_GRE_TOO_SMALL], 2);
    assert_int_equal(r.malformed, 8);
    decode_ctx_release(&r.ctx);
}

static void test_pcap_ip4_trunc(void **state)
{
    struct run r;
    (void)state;
    if (run_pcap("malformed/ip4-trunc.pcap", &r) < 0)
        skip();
    /* 6 bytes of IPv4 header captured of a 46-byte frame: too small to
     * decode, counted, but the capture (not the packet) is at fault. */
    assert_int_equal(r.packets, 1);
    assert_int_equal(r.layers, 0);
    assert_int_equal(r.ctx.events[DEV_IPV4_TOO_SMALL], 1);
    assert_int_equal(r.ctx.events[DEV_CAPLEN_TRUNCATED], 1);
    assert_int_equal(r.malformed, 0);
    decode_ctx_release(&r.ctx);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_valid_udp),
        cmocka_unit_test(test_ethernet_padding_not_payload),
        cmocka_unit_test(test_truncated_on_wire),
        cmocka_unit_test(test_truncated_by_snaplen),
        cmocka_unit_test(test_bad_version),
        cmocka_unit_test(test_hlen_boundary),
        cmocka_unit_test(test_total_len_boundary),
        cmocka_unit_test(test_options),
        cmocka_unit_test(test_tunnel_too_deep),
        cmocka_unit_test(test_ipip),
        cmocka_unit_test(test_6in4),
        cmocka_unit_test(test_other_protocols),
        cmocka_unit_test(test_fragment_not_transport),
        cmocka_unit_test(test_every_prefix),
        cmocka_unit_test(test_pcap_badpackets),
        cmocka_unit_test(test_pcap_decode_too_small),
        cmocka_unit_test(test_pcap_ip4_trunc),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
