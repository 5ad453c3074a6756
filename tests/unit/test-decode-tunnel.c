/* test-decode-tunnel.c - GRE (RFC 2784/2890, PPTP), transparent Ethernet
 * bridging and VXLAN (RFC 7348): hand-written headers, boundaries, every
 * prefix, whole frames through decode_packet(), and the tunnel captures in
 * ../shared/data/pcap (skipped when absent). */
#define DECODE_TEST_GLOBAL_PKT
#define DECODE_TEST_LINKTYPE LINKTYPE_ETHERNET
#include "decode-test-util.h"

static const uint8_t ipv4_udp[IPV4_UDP_LEN] = {IPV4_UDP};

#define MAC_OUT_DST 0x02, 0x00, 0x00, 0x00, 0x00, 0x01
#define MAC_OUT_SRC 0x02, 0x00, 0x00, 0x00, 0x00, 0x02
#define MAC_IN_DST 0x0a, 0x00, 0x00, 0x00, 0x00, 0x03
#define MAC_IN_SRC 0x0a, 0x00, 0x00, 0x00, 0x00, 0x04

static const uint8_t mac_out_src[6] = {MAC_OUT_SRC};
static const uint8_t mac_out_dst[6] = {MAC_OUT_DST};

/* Checks that the layer is the IPV4_UDP payload above. */
static void assert_inner_udp(const struct ip_layer *l, enum tunnel_type tunnel)
{
    assert_int_equal(l->ip_version, 4);
    assert_int_equal(l->tunnel, tunnel);
    assert_v4(&l->src, 192, 0, 2, 1);
    assert_v4(&l->dst, 198, 51, 100, 2);
    assert_int_equal(l->proto, 17);
    assert_int_equal(l->sport, 1234);
    assert_int_equal(l->dport, 53);
}

/* ---- Frame builder: concatenates commented pieces ---- */

struct frame {
    uint8_t b[512];
    uint32_t len;
};

static void put(struct frame *f, const uint8_t *p, size_t n)
{
    assert_true(f->len + n <= sizeof(f->b));
    memcpy(f->b + f->len, p, n);
    f->len += (uint32_t)n;
}

static void put_eth(struct frame *f, bool outer, uint16_t type)
{
    static const uint8_t outer_macs[12] = {MAC_OUT_DST, MAC_OUT_SRC};
    static const uint8_t inner_macs[12] = {MAC_IN_DST, MAC_IN_SRC};
    const uint8_t t[2] = {(uint8_t)(type >> 8), (uint8_t)type};
    put(f, outer ? outer_macs : inner_macs, 12);
    put(f, t, 2);
}

/* IPv4 header 10.0.<net>.1 -> 10.0.<net>.2 for `payload_len` bytes. */
static void put_ipv4(struct frame *f, uint8_t proto, uint8_t net, uint16_t payload_len)
{
    uint16_t total = (uint16_t)(20 + payload_len);
    /* clang-format off */
    const uint8_t h[20] = {
        0x45,                                    /* version 4, IHL 5 */
        0x00,                                    /* DSCP/ECN */
        (uint8_t)(total >> 8), (uint8_t)total,   /* total length */
        0x00, 0x01,                              /* id */
        0x40, 0x00,                              /* DF, offset 0 */
        0x40,                                    /* TTL 64 */
        proto,                                   /* protocol */
        0x00, 0x00,                              /* checksum */
        10, 0, net, 1,                           /* source 10.0.net.1 */
        10, 0, net, 2,                           /* destination 10.0.net.2 */
    };
    /* clang-format on */
    put(f, h, sizeof(h));
}

static void put_udp(struct frame *f, uint16_t dport, uint16_t payload_len)
{
    uint16_t ulen = (uint16_t)(8 + payload_len);
    /* clang-format off */
    const uint8_t h[8] = {
        0xd4, 0x31,                            /* source port 54321 */
        (uint8_t)(dport >> 8), (uint8_t)dport, /* destination port */
        (uint8_t)(ulen >> 8), (uint8_t)ulen,   /* length */
        0x00, 0x00,                            /* checksum */
    };
    /* clang-format on */
    put(f, h, sizeof(h));
}

/* Minimal GRE: no optional fields, payload IPv4. */
/* clang-format off */
static const uint8_t gre_ipv4[] = {
    0x00,       /* C=0 R=0 K=0 S=0, recursion 0 */
    0x00,       /* flags 0, version 0 */
    0x08, 0x00, /* protocol type IPv4 */
};
/* clang-format on */

/* GRE with checksum, key and sequence number: 16 bytes. */
/* clang-format off */
static const uint8_t gre_cks[] = {
    0xb0,                   /* C=1 R=0 K=1 S=1 */
    0x00,                   /* version 0 */
    0x08, 0x00,             /* protocol type IPv4 */
    0xab, 0xcd, 0x00, 0x00, /* checksum, reserved1 */
    0x00, 0x00, 0x10, 0x01, /* key 4097 */
    0x00, 0x00, 0x00, 0x07, /* sequence number 7 */
};
/* clang-format on */

/* GRE carrying an Ethernet frame (transparent bridging / NVGRE). */
/* clang-format off */
static const uint8_t gre_teb[] = {
    0x20,                   /* K=1 */
    0x00,                   /* version 0 */
    0x65, 0x58,             /* protocol type: transparent Ethernet bridging */
    0x00, 0x00, 0x64, 0x00, /* key: NVGRE VSID 100, flow id 0 */
};
/* clang-format on */

/* clang-format off */
static const uint8_t vxlan_hdr[] = {
    0x08,             /* flags: I (VNI valid) */
    0x00, 0x00, 0x00, /* reserved */
    0x00, 0x13, 0x88, /* VNI 5000 */
    0x00,             /* reserved */
};
/* clang-format on */

/* ---- GRE ---- */

static void test_gre_ipv4(void **state)
{
    struct frame f = {0};
    (void)state;
    put(&f, gre_ipv4, sizeof(gre_ipv4));
    put(&f, ipv4_udp, sizeof(ipv4_udp));
    pkt_reset(f.b, f.len);
    assert_int_equal(decode_gre(&ctx, &pkt, f.b, f.len), DECODE_OK);
    assert_int_equal(pkt.layer_count, 1);
    assert_inner_udp(&pkt.layers[0], TUNNEL_GRE);
    assert_false(pkt.malformed);
    assert_int_equal(events_total(), 0);
}

static void test_gre_optional_fields(void **state)
{
    struct frame f = {0};
    (void)state;
    put(&f, gre_cks, sizeof(gre_cks));
    put(&f, ipv4_udp, sizeof(ipv4_udp));
    pkt_reset(f.b, f.len);
    assert_int_equal(decode_gre(&ctx, &pkt, f.b, f.len), DECODE_OK);
    assert_int_equal(pkt.layer_count, 1);
    assert_inner_udp(&pkt.layers[0], TUNNEL_GRE);
    assert_int_equal(events_total(), 0);

    /* Key only (8 bytes): IPv4 starts right after the key. */
    /* clang-format off */
    static const uint8_t gre_key[] = {
        0x20,                   /* K=1 */
        0x00,                   /* version 0 */
        0x08, 0x00,             /* protocol type IPv4 */
        0xde, 0xad, 0xbe, 0xef, /* key */
    };
    /* clang-format on */
    f.len = 0;
    put(&f, gre_key, sizeof(gre_key));
    put(&f, ipv4_udp, sizeof(ipv4_udp));
    pkt_reset(f.b, f.len);
    assert_int_equal(decode_gre(&ctx, &pkt, f.b, f.len), DECODE_OK);
    assert_int_equal(pkt.layer_count, 1);
    assert_inner_udp(&pkt.layers[0], TUNNEL_GRE);
}

/* Pins the header sizes: 4 bytes for the base header (3 is short) and each
 * optional word (C+K+S: 16 bytes, 15 is short). */
static void test_gre_boundaries(void **state)
{
    /* clang-format off */
    static const uint8_t base[] = {
        0x00, 0x00, /* no flags, version 0 */
        0x88, 0xb5, /* protocol type: local experimental */
    };
    /* clang-format on */
    (void)state;
    pkt_reset(base, 4);
    assert_int_equal(decode_gre(&ctx, &pkt, base, 4), DECODE_OK);
    assert_int_equal(ctx.events[DEV_NON_IP], 1);
    assert_false(pkt.malformed);

    pkt_reset(base, 3);
    assert_int_equal(decode_gre(&ctx, &pkt, base, 3), DECODE_ERR);
    assert_int_equal(ctx.events[DEV_GRE_TOO_SMALL], 1);
    assert_true(pkt.malformed);

    pkt_reset(gre_cks, 16);
    assert_int_equal(decode_gre(&ctx, &pkt, gre_cks, 16), DECODE_OK);
    assert_int_equal(ctx.events[DEV_GRE_TOO_SMALL], 0);

    pkt_reset(gre_cks, 15);
    assert_int_equal(decode_gre(&ctx, &pkt, gre_cks, 15), DECODE_ERR);
    assert_int_equal(ctx.events[DEV_GRE_TOO_SMALL], 1);
}

static void test_gre_every_prefix(void **state)
{
    struct frame f = {0};
    (void)state;
    put(&f, gre_cks, sizeof(gre_cks));
    put(&f, ipv4_udp, sizeof(ipv4_udp));
    for (uint32_t n = 0; n <= f.len; n++) {
        uint8_t *copy = malloc(n ? n : 1);
        memcpy(copy, f.b, n);
        pkt_reset(copy, n);
        int rc = decode_gre(&ctx, &pkt, copy, n);
        assert_int_equal(rc, n < 16 ? DECODE_ERR : DECODE_OK);
        assert_int_equal(ctx.events[DEV_GRE_TOO_SMALL], n < 16 ? 1 : 0);
        assert_true(pkt.layer_count <= 1);
        if (pkt.layer_count)
            assert_int_equal(pkt.layers[0].tunnel, TUNNEL_GRE);
        assert_int_equal(pkt.malformed, n != f.len);
        free(copy);
    }
}

/* PPTP's enhanced GRE is legal but not decoded. */
static void test_gre_pptp(void **state)
{
    /* clang-format off */
    static const uint8_t pptp[] = {
        0x30,                   /* K=1 S=1 */
        0x81,                   /* A=1 (ack present), version 1 */
        0x88, 0x0b,             /* protocol type PPP */
        0x00, 0x04,             /* payload length 4 */
        0x40, 0x00,             /* call id */
        0x00, 0x00, 0x00, 0x05, /* sequence number */
        0x00, 0x00, 0x00, 0x04, /* acknowledgment number */
        0xff, 0x03, 0x00, 0xfd, /* PPP: address, control, protocol MPPE */
    };
    /* clang-format on */
    (void)state;
    pkt_reset(pptp, sizeof(pptp));
    assert_int_equal(decode_gre(&ctx, &pkt, pptp, sizeof(pptp)), DECODE_OK);
    assert_int_equal(ctx.events[DEV_GRE_UNSUPPORTED], 1);
    assert_int_equal(pkt.layer_count, 0);
    assert_false(pkt.malformed);
}

static void test_gre_bad_version(void **state)
{
    /* clang-format off */
    static const uint8_t v2[] = {
        0x00,       /* no flags */
        0x02,       /* version 2: does not exist */
        0x08, 0x00, /* protocol type IPv4 */
        IPV4_UDP,
    };
    /* clang-format on */
    (void)state;
    pkt_reset(v2, sizeof(v2));
    assert_int_equal(decode_gre(&ctx, &pkt, v2, sizeof(v2)), DECODE_ERR);
    assert_int_equal(ctx.events[DEV_GRE_BAD_VERSION], 1);
    assert_int_equal(pkt.layer_count, 0);
    assert_true(pkt.malformed);
}

/* RFC 1701 routing and ERSPAN are counted as unsupported, not malformed. */
static void test_gre_unsupported(void **state)
{
    /* clang-format off */
    static const uint8_t routing[] = {
        0x40,                   /* R=1: RFC 1701 source route follows */
        0x00,                   /* version 0 */
        0x08, 0x00,             /* protocol type IPv4 */
        0x00, 0x00, 0x00, 0x00, /* checksum (present with R), offset */
    };
    /* clang-format on */
    /* clang-format off */
    static const uint8_t erspan[] = {
        0x10,                   /* S=1 */
        0x00,                   /* version 0 */
        0x88, 0xbe,             /* protocol type ERSPAN type II */
        0x00, 0x00, 0x00, 0x01, /* sequence number */
        0x10, 0x64, 0x00, 0x40, /* ERSPAN: version 1, VLAN 100, ... */
    };
    /* clang-format on */
    (void)state;
    pkt_reset(routing, sizeof(routing));
    assert_int_equal(decode_gre(&ctx, &pkt, routing, sizeof(routing)), DECODE_OK);
    assert_int_equal(ctx.events[DEV_GRE_UNSUPPORTED], 1);
    assert_false(pkt.malformed);

    pkt_reset(erspan, sizeof(erspan));
    assert_int_equal(decode_gre(&ctx, &pkt, erspan, sizeof(erspan)), DECODE_OK);
    assert_int_equal(ctx.events[DEV_GRE_UNSUPPORTED], 1);
    assert_int_equal(pkt.layer_count, 0);
    assert_false(pkt.malformed);
}

/* Ethernet/IPv4/GRE/IPv4/UDP through decode_packet(). */
static void test_gre_frame(void **state)
{
    struct frame f = {0};
    (void)state;
    put_eth(&f, true, ETHERTYPE_IPV4);
    put_ipv4(&f, IPPROTO_NUM_GRE, 1, sizeof(gre_ipv4) + IPV4_UDP_LEN);
    put(&f, gre_ipv4, sizeof(gre_ipv4));
    put(&f, ipv4_udp, sizeof(ipv4_udp));
    pkt_reset(f.b, f.len);
    assert_int_equal(decode_packet(&ctx, &pkt), DECODE_OK);
    assert_int_equal(pkt.layer_count, 2);
    assert_int_equal(pkt.layers[0].proto, IPPROTO_NUM_GRE);
    assert_int_equal(pkt.layers[0].tunnel, TUNNEL_NONE);
    assert_v4(&pkt.layers[0].src, 10, 0, 1, 1);
    assert_inner_udp(&pkt.layers[1], TUNNEL_GRE);
    assert_false(pkt.malformed);
    assert_int_equal(events_total(), 0);
}

/* GRE inside GRE: three IP layers (gre-within-gre.pcap in miniature). */
static void test_gre_in_gre(void **state)
{
    struct frame f = {0};
    (void)state;
    put_eth(&f, true, ETHERTYPE_IPV4);
    put_ipv4(&f, IPPROTO_NUM_GRE, 1, 4 + 20 + 4 + IPV4_UDP_LEN);
    put(&f, gre_ipv4, sizeof(gre_ipv4));
    put_ipv4(&f, IPPROTO_NUM_GRE, 2, 4 + IPV4_UDP_LEN);
    put(&f, gre_ipv4, sizeof(gre_ipv4));
    put(&f, ipv4_udp, sizeof(ipv4_udp));
    pkt_reset(f.b, f.len);
    assert_int_equal(decode_packet(&ctx, &pkt), DECODE_OK);
    assert_int_equal(pkt.layer_count, 3);
    assert_int_equal(pkt.layers[0].tunnel, TUNNEL_NONE);
    assert_int_equal(pkt.layers[1].tunnel, TUNNEL_GRE);
    assert_v4(&pkt.layers[1].src, 10, 0, 2, 1);
    assert_inner_udp(&pkt.layers[2], TUNNEL_GRE);
    assert_false(pkt.malformed);
}

/* One GRE level more than MAX_IP_LAYERS allows is stopped by the IP decoder
 * with DEV_TUNNEL_TOO_DEEP; the layers before it stay. */
static void test_gre_too_deep(void **state)
{
    struct frame f = {0};
    unsigned levels = MAX_IP_LAYERS; /* GRE headers; IP layers = levels + 1 */
    (void)state;
    put_eth(&f, true, ETHERTYPE_IPV4);
    for (unsigned i = 0; i < levels; i++) {
        uint16_t rest = (uint16_t)((levels - i) * 4 + (levels - i - 1) * 20 + IPV4_UDP_LEN);
        put_ipv4(&f, IPPROTO_NUM_GRE, (uint8_t)i, rest);
        put(&f, gre_ipv4, sizeof(gre_ipv4));
    }
    put(&f, ipv4_udp, sizeof(ipv4_udp));
    pkt_reset(f.b, f.len);
    assert_int_equal(decode_packet(&ctx, &pkt), DECODE_OK);
    assert_int_equal(pkt.layer_count, MAX_IP_LAYERS);
    assert_int_equal(ctx.events[DEV_TUNNEL_TOO_DEEP], 1);
    assert_true(pkt.malformed);
}

/* Transparent bridging: the inner frame's IP layer is tagged GRE, and the
 * outer MACs and ethertype are kept. */
static void test_gre_teb(void **state)
{
    struct frame f = {0};
    (void)state;
    put_eth(&f, true, ETHERTYPE_IPV4);
    put_ipv4(&f, IPPROTO_NUM_GRE, 1, sizeof(gre_teb) + 14 + IPV4_UDP_LEN);
    put(&f, gre_teb, sizeof(gre_teb));
    put_eth(&f, false, ETHERTYPE_IPV4);
    put(&f, ipv4_udp, sizeof(ipv4_udp));
    pkt_reset(f.b, f.len);
    assert_int_equal(decode_packet(&ctx, &pkt), DECODE_OK);
    assert_true(pkt.has_eth);
    assert_memory_equal(pkt.src_mac, mac_out_src, 6);
    assert_memory_equal(pkt.dst_mac, mac_out_dst, 6);
    assert_int_equal(pkt.ethertype, ETHERTYPE_IPV4);
    assert_int_equal(pkt.layer_count, 2);
    assert_inner_udp(&pkt.layers[1], TUNNEL_GRE);
    assert_false(pkt.malformed);
    assert_int_equal(events_total(), 0);
}

/* 0x6558 means Ethernet only right after GRE: an inner frame that claims to
 * carry another bridged frame is not followed (no Ethernet-in-Ethernet
 * recursion without an IP layer in between), nor is an outer one. */
static void test_teb_not_nested(void **state)
{
    struct frame f = {0};
    (void)state;
    put(&f, gre_teb, sizeof(gre_teb));
    for (int i = 0; i < 8; i++)
        put_eth(&f, false, ETHERTYPE_TEB);
    put_eth(&f, false, ETHERTYPE_IPV4);
    put(&f, ipv4_udp, sizeof(ipv4_udp));
    pkt_reset(f.b, f.len);
    assert_int_equal(decode_gre(&ctx, &pkt, f.b, f.len), DECODE_OK);
    assert_int_equal(pkt.layer_count, 0);
    assert_int_equal(ctx.events[DEV_NON_IP], 1);
    assert_false(pkt.malformed);

    f.len = 0;
    put_eth(&f, true, ETHERTYPE_TEB);
    put_eth(&f, false, ETHERTYPE_IPV4);
    put(&f, ipv4_udp, sizeof(ipv4_udp));
    pkt_reset(f.b, f.len);
    assert_int_equal(decode_packet(&ctx, &pkt), DECODE_OK);
    assert_int_equal(pkt.layer_count, 0);
    assert_int_equal(ctx.events[DEV_NON_IP], 1);
}

/* VLAN tags of a bridged frame belong to the overlay: not in pkt->vlan. */
static void test_gre_teb_inner_vlan(void **state)
{
    /* clang-format off */
    static const uint8_t tag[] = {
        0x00, 0x63, /* TCI: VLAN 99 */
        0x08, 0x00, /* ethertype IPv4 */
    };
    /* clang-format on */
    struct frame f = {0};
    (void)state;
    put(&f, gre_teb, sizeof(gre_teb));
    put_eth(&f, false, ETHERTYPE_VLAN);
    put(&f, tag, sizeof(tag));
    put(&f, ipv4_udp, sizeof(ipv4_udp));
    pkt_reset(f.b, f.len);
    assert_int_equal(decode_gre(&ctx, &pkt, f.b, f.len), DECODE_OK);
    assert_int_equal(pkt.vlan_count, 0);
    assert_int_equal(pkt.ethertype, 0);
    assert_false(pkt.has_eth);
    assert_int_equal(pkt.layer_count, 1);
    assert_inner_udp(&pkt.layers[0], TUNNEL_GRE);
}

/* ---- VXLAN ---- */

static void test_vxlan_direct(void **state)
{
    struct frame f = {0};
    static const uint8_t zero[6] = {0};
    (void)state;
    put(&f, vxlan_hdr, sizeof(vxlan_hdr));
    put_eth(&f, false, ETHERTYPE_IPV4);
    put(&f, ipv4_udp, sizeof(ipv4_udp));
    pkt_reset(f.b, f.len);
    assert_int_equal(decode_vxlan(&ctx, &pkt, f.b, f.len), DECODE_OK);
    assert_int_equal(pkt.layer_count, 1);
    assert_inner_udp(&pkt.layers[0], TUNNEL_VXLAN);
    /* Inner MACs are not the packet's MACs. */
    assert_false(pkt.has_eth);
    assert_memory_equal(pkt.src_mac, zero, 6);
    assert_false(pkt.malformed);
    assert_int_equal(events_total(), 0);
}

/* Pins the 8-byte header (7 is short) and the inner Ethernet minimum (8 + 13
 * is short, 8 + 14 parses). */
static void test_vxlan_boundaries(void **state)
{
    struct frame f = {0};
    (void)state;
    put(&f, vxlan_hdr, sizeof(vxlan_hdr));
    put_eth(&f, false, 0x88b5);

    pkt_reset(f.b, 7);
    assert_int_equal(decode_vxlan(&ctx, &pkt, f.b, 7), DECODE_ERR);
    assert_int_equal(ctx.events[DEV_VXLAN_TOO_SMALL], 1);
    assert_true(pkt.malformed);

    pkt_reset(f.b, 8);
    assert_int_equal(decode_vxlan(&ctx, &pkt, f.b, 8), DECODE_ERR);
    assert_int_equal(ctx.events[DEV_VXLAN_TOO_SMALL], 0);
    assert_int_equal(ctx.events[DEV_ETH_TOO_SMALL], 1);

    pkt_reset(f.b, 21);
    assert_int_equal(decode_vxlan(&ctx, &pkt, f.b, 21), DECODE_ERR);
    assert_int_equal(ctx.events[DEV_ETH_TOO_SMALL], 1);

    pkt_reset(f.b, 22);
    assert_int_equal(decode_vxlan(&ctx, &pkt, f.b, 22), DECODE_OK);
    assert_int_equal(ctx.events[DEV_NON_IP], 1);
    assert_false(pkt.malformed);
}

static void test_vxlan_flags(void **state)
{
    struct frame f = {0};
    (void)state;
    put(&f, vxlan_hdr, sizeof(vxlan_hdr));
    put_eth(&f, false, ETHERTYPE_IPV4);
    put(&f, ipv4_udp, sizeof(ipv4_udp));

    f.b[0] = 0x00; /* I flag clear */
    pkt_reset(f.b, f.len);
    assert_int_equal(decode_vxlan(&ctx, &pkt, f.b, f.len), DECODE_ERR);
    assert_int_equal(ctx.events[DEV_VXLAN_BAD_FLAGS], 1);
    assert_int_equal(pkt.layer_count, 0);
    assert_true(pkt.malformed);

    /* Reserved bits must be ignored on receipt (RFC 7348 section 5). */
    f.b[0] = 0xff;
    f.b[1] = 0xff;
    f.b[7] = 0xff;
    pkt_reset(f.b, f.len);
    assert_int_equal(decode_vxlan(&ctx, &pkt, f.b, f.len), DECODE_OK);
    assert_int_equal(pkt.layer_count, 1);
    assert_false(pkt.malformed);
}

static void test_vxlan_every_prefix(void **state)
{
    struct frame f = {0};
    (void)state;
    put(&f, vxlan_hdr, sizeof(vxlan_hdr));
    put_eth(&f, false, ETHERTYPE_IPV4);
    put(&f, ipv4_udp, sizeof(ipv4_udp));
    for (uint32_t n = 0; n <= f.len; n++) {
        uint8_t *copy = malloc(n ? n : 1);
        memcpy(copy, f.b, n);
        pkt_reset(copy, n);
        int rc = decode_vxlan(&ctx, &pkt, copy, n);
        if (n < 22)
            assert_int_equal(rc, DECODE_ERR);
        assert_int_equal(ctx.events[DEV_VXLAN_TOO_SMALL], n < 8 ? 1 : 0);
        assert_int_equal(ctx.events[DEV_ETH_TOO_SMALL], n >= 8 && n < 22 ? 1 : 0);
        assert_true(pkt.layer_count <= 1);
        if (pkt.layer_count)
            assert_int_equal(pkt.layers[0].tunnel, TUNNEL_VXLAN);
        assert_int_equal(pkt.malformed, n != f.len);
        free(copy);
    }
}

/* Builds Ethernet/IPv4/UDP(dport)/VXLAN/Ethernet(inner_type)/inner. */
static void build_vxlan_frame(struct frame *f, uint16_t dport, uint16_t inner_type,
                              const uint8_t *inner, uint16_t inner_len)
{
    uint16_t vx_len = (uint16_t)(sizeof(vxlan_hdr) + 14 + inner_len);
    f->len = 0;
    put_eth(f, true, ETHERTYPE_IPV4);
    put_ipv4(f, IPPROTO_NUM_UDP, 1, (uint16_t)(8 + vx_len));
    put_udp(f, dport, vx_len);
    put(f, vxlan_hdr, sizeof(vxlan_hdr));
    put_eth(f, false, inner_type);
    put(f, inner, inner_len);
}

static void test_vxlan_frame(void **state)
{
    struct frame f;
    (void)state;
    build_vxlan_frame(&f, VXLAN_PORT, ETHERTYPE_IPV4, ipv4_udp, IPV4_UDP_LEN);
    pkt_reset(f.b, f.len);
    assert_int_equal(decode_packet(&ctx, &pkt), DECODE_OK);
    assert_int_equal(pkt.layer_count, 2);
    assert_int_equal(pkt.layers[0].tunnel, TUNNEL_NONE);
    assert_int_equal(pkt.layers[0].proto, IPPROTO_NUM_UDP);
    assert_int_equal(pkt.layers[0].dport, VXLAN_PORT);
    assert_inner_udp(&pkt.layers[1], TUNNEL_VXLAN);
    assert_memory_equal(pkt.src_mac, mac_out_src, 6);
    assert_memory_equal(pkt.dst_mac, mac_out_dst, 6);
    assert_false(pkt.malformed);
    assert_int_equal(events_total(), 0);
}

/* The port is configurable; 0 turns VXLAN decoding off. */
static void test_vxlan_port_config(void **state)
{
    struct frame f;
    (void)state;
    build_vxlan_frame(&f, 8472, ETHERTYPE_IPV4, ipv4_udp, IPV4_UDP_LEN);
    pkt_reset(f.b, f.len);
    assert_int_equal(decode_packet(&ctx, &pkt), DECODE_OK);
    assert_int_equal(pkt.layer_count, 1); /* 8472 is not the configured port */

    ctx.cfg.vxlan_port = 8472; /* Linux's historical default */
    pkt_reset(f.b, f.len);
    assert_int_equal(decode_packet(&ctx, &pkt), DECODE_OK);
    assert_int_equal(pkt.layer_count, 2);
    assert_inner_udp(&pkt.layers[1], TUNNEL_VXLAN);

    ctx.cfg.vxlan_port = 0;
    build_vxlan_frame(&f, VXLAN_PORT, ETHERTYPE_IPV4, ipv4_udp, IPV4_UDP_LEN);
    pkt_reset(f.b, f.len);
    assert_int_equal(decode_packet(&ctx, &pkt), DECODE_OK);
    assert_int_equal(pkt.layer_count, 1);
    assert_false(pkt.malformed);
}

/* ARP of the overlay is counted, not reported as the LAN's ARP. */
static void test_vxlan_inner_arp(void **state)
{
    /* clang-format off */
    static const uint8_t arp[] = {
        0x00, 0x01, 0x08, 0x00, /* Ethernet, IPv4 */
        0x06, 0x04, 0x00, 0x01, /* lengths 6/4, request */
        MAC_IN_SRC, 172, 16, 0, 1, /* sender */
        0, 0, 0, 0, 0, 0, 172, 16, 0, 2, /* target */
    };
    /* clang-format on */
    struct frame f;
    (void)state;
    build_vxlan_frame(&f, VXLAN_PORT, ETHERTYPE_ARP, arp, sizeof(arp));
    pkt_reset(f.b, f.len);
    assert_int_equal(decode_packet(&ctx, &pkt), DECODE_OK);
    assert_false(pkt.has_arp);
    assert_int_equal(pkt.layer_count, 1);
    assert_int_equal(pkt.ethertype, ETHERTYPE_IPV4); /* the outer frame's */
    assert_int_equal(ctx.events[DEV_NON_IP], 1);
    assert_false(pkt.malformed);
}

static void test_vxlan_inner_vlan(void **state)
{
    /* clang-format off */
    static const uint8_t tagged[] = {
        0x00, 0x0c, /* TCI: VLAN 12 */
        0x08, 0x00, /* ethertype IPv4 */
        IPV4_UDP,
    };
    /* clang-format on */
    struct frame f;
    (void)state;
    build_vxlan_frame(&f, VXLAN_PORT, ETHERTYPE_VLAN, tagged, sizeof(tagged));
    pkt_reset(f.b, f.len);
    assert_int_equal(decode_packet(&ctx, &pkt), DECODE_OK);
    assert_int_equal(pkt.vlan_count, 0);
    assert_int_equal(pkt.layer_count, 2);
    assert_inner_udp(&pkt.layers[1], TUNNEL_VXLAN);
    assert_false(pkt.malformed);
}

/* ---- Real captures ---- */

struct tun_stats {
    unsigned packets, malformed;
    unsigned by_layers[MAX_IP_LAYERS + 1];
};

/* Decodes a capture, calling `check` on each packet. Returns -1 when the
 * file is absent. */
static int run_capture(const char *rel, struct tun_stats *st, void (*check)(const struct packet *p))
{
    struct pcap_pkthdr *h;
    const u_char *data;
    pcap_t *pc = decode_test_pcap_open(rel);

    if (!pc)
        return -1;
    memset(st, 0, sizeof(*st));
    while (pcap_next_ex(pc, &h, &data) == 1) {
        decode_test_pcap_packet(&pkt, pc, h, data, ++st->packets);
        assert_int_equal(decode_packet(&ctx, &pkt), DECODE_OK);
        st->malformed += pkt.malformed;
        st->by_layers[pkt.layer_count]++;
        if (check)
            check(&pkt);
    }
    pcap_close(pc);
    return 0;
}

static bool is_v4(const struct ip_addr *a, uint8_t b0, uint8_t b1, uint8_t b2, uint8_t b3)
{
    return ip_addr_is_v4(a) && a->b[12] == b0 && a->b[13] == b1 && a->b[14] == b2 && a->b[15] == b3;
}

static void check_vxlan_pkt(const struct packet *p)
{
    const struct ip_layer *o = &p->layers[0], *in = &p->layers[1];
    assert_int_equal(p->layer_count, 2);
    assert_int_equal(o->proto, IPPROTO_NUM_UDP);
    assert_true(o->sport == VXLAN_PORT || o->dport == VXLAN_PORT);
    assert_true(is_v4(&o->src, 10, 1, 200, 131) || is_v4(&o->src, 10, 1, 1, 172));
    assert_int_equal(in->tunnel, TUNNEL_VXLAN);
    assert_int_equal(in->proto, IPPROTO_NUM_TCP);
    assert_true((is_v4(&in->src, 172, 16, 11, 201) && is_v4(&in->dst, 54, 86, 237, 188)) ||
                (is_v4(&in->src, 54, 86, 237, 188) && is_v4(&in->dst, 172, 16, 11, 201)));
    assert_true(in->sport == 80 || in->dport == 80);
}

static void test_cap_vxlan(void **state)
{
    struct tun_stats st = {0};
    (void)state;
    if (run_capture("ipv6-encap/vxlan-encapsulated-http.pcap", &st, check_vxlan_pkt) < 0)
        skip();
    assert_int_equal(st.packets, 12);
    assert_int_equal(st.by_layers[2], 12);
    assert_int_equal(st.malformed, 0);
    assert_int_equal(events_total(), 0);
}

static void check_gre_pkt(const struct packet *p)
{
    assert_int_equal(p->layer_count, 3);
    assert_int_equal(p->layers[0].tunnel, TUNNEL_NONE);
    assert_int_equal(p->layers[0].proto, IPPROTO_NUM_GRE);
    assert_int_equal(p->layers[1].tunnel, TUNNEL_GRE);
    assert_int_equal(p->layers[1].proto, IPPROTO_NUM_GRE);
    assert_true(p->layers[1].src.b[12] == 10); /* 10.10.13.2 / 10.10.11.2 */
    assert_int_equal(p->layers[2].tunnel, TUNNEL_GRE);
    assert_true(p->layers[2].proto == IPPROTO_NUM_ICMP || p->layers[2].proto == IPPROTO_NUM_UDP);
}

static void test_cap_gre_in_gre(void **state)
{
    struct tun_stats st = {0};
    (void)state;
    if (run_capture("ipv6-encap/gre-within-gre.pcap", &st, check_gre_pkt) < 0)
        skip();
    assert_int_equal(st.packets, 628);
    assert_int_equal(st.by_layers[3], 628);
    assert_int_equal(st.malformed, 0);
    assert_int_equal(events_total(), 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_gre_ipv4, setup, teardown),
        cmocka_unit_test_setup_teardown(test_gre_optional_fields, setup, teardown),
        cmocka_unit_test_setup_teardown(test_gre_boundaries, setup, teardown),
        cmocka_unit_test_setup_teardown(test_gre_every_prefix, setup, teardown),
        cmocka_unit_test_setup_teardown(test_gre_pptp, setup, teardown),
        cmocka_unit_test_setup_teardown(test_gre_bad_version, setup, teardown),
        cmocka_unit_test_setup_teardown(test_gre_unsupported, setup, teardown),
        cmocka_unit_test_setup_teardown(test_gre_frame, setup, teardown),
        cmocka_unit_test_setup_teardown(test_gre_in_gre, setup, teardown),
        cmocka_unit_test_setup_teardown(test_gre_too_deep, setup, teardown),
        cmocka_unit_test_setup_teardown(test_gre_teb, setup, teardown),
        cmocka_unit_test_setup_teardown(test_teb_not_nested, setup, teardown),
        cmocka_unit_test_setup_teardown(test_gre_teb_inner_vlan, setup, teardown),
        cmocka_unit_test_setup_teardown(test_vxlan_direct, setup, teardown),
        cmocka_unit_test_setup_teardown(test_vxlan_boundaries, setup, teardown),
        cmocka_unit_test_setup_teardown(test_vxlan_flags, setup, teardown),
        cmocka_unit_test_setup_teardown(test_vxlan_every_prefix, setup, teardown),
        cmocka_unit_test_setup_teardown(test_vxlan_frame, setup, teardown),
        cmocka_unit_test_setup_teardown(test_vxlan_port_config, setup, teardown),
        cmocka_unit_test_setup_teardown(test_vxlan_inner_arp, setup, teardown),
        cmocka_unit_test_setup_teardown(test_vxlan_inner_vlan, setup, teardown),
        cmocka_unit_test_setup_teardown(test_cap_vxlan, setup, teardown),
        cmocka_unit_test_setup_teardown(test_cap_gre_in_gre, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
