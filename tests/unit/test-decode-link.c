/* test-decode-link.c - Ethernet, 802.3/LLC/SNAP, VLAN, Linux cooked v1/v2,
 * BSD loopback and raw IP link layers, by hand-written frames and by the
 * real captures in ../shared/data/pcap (skipped when absent). */
#define DECODE_TEST_GLOBAL_PKT
#include "decode-test-util.h"

#define MAC_DST 0x00, 0x11, 0x22, 0x33, 0x44, 0x55
#define MAC_SRC 0x66, 0x77, 0x88, 0x99, 0xaa, 0xbb

static void assert_ipv4_udp_layer(void)
{
    assert_int_equal(pkt.layer_count, 1);
    assert_int_equal(pkt.layers[0].ip_version, 4);
    assert_int_equal(pkt.layers[0].proto, 17);
    assert_int_equal(pkt.layers[0].tunnel, TUNNEL_NONE);
    assert_v4(&pkt.layers[0].src, 192, 0, 2, 1);
    assert_v4(&pkt.layers[0].dst, 198, 51, 100, 2);
    assert_int_equal(pkt.layers[0].sport, 1234);
    assert_int_equal(pkt.layers[0].dport, 53);
}

/* ---- Ethernet II ---- */

/* clang-format off */
static const uint8_t eth_ipv4[] = {
    MAC_DST,    /* destination MAC */
    MAC_SRC,    /* source MAC */
    0x08, 0x00, /* ethertype IPv4 */
    IPV4_UDP,
};
/* clang-format on */

static void test_eth_ipv4(void **state)
{
    static const uint8_t dst[6] = {MAC_DST}, src[6] = {MAC_SRC};
    (void)state;
    pkt_reset(eth_ipv4, sizeof(eth_ipv4));
    assert_int_equal(decode_ethernet(&ctx, &pkt, eth_ipv4, sizeof(eth_ipv4)), DECODE_OK);
    assert_true(pkt.has_eth);
    assert_memory_equal(pkt.dst_mac, dst, 6);
    assert_memory_equal(pkt.src_mac, src, 6);
    assert_int_equal(pkt.ethertype, ETHERTYPE_IPV4);
    assert_int_equal(pkt.vlan_count, 0);
    assert_ipv4_udp_layer();
    assert_false(pkt.malformed);
    assert_int_equal(events_total(), 0);
}

/* Same frame through decode_packet(), which dispatches on the link type. */
static void test_eth_via_decode_packet(void **state)
{
    (void)state;
    pkt_reset(eth_ipv4, sizeof(eth_ipv4));
    pkt.linktype = LINKTYPE_ETHERNET;
    assert_int_equal(decode_packet(&ctx, &pkt), DECODE_OK);
    assert_ipv4_udp_layer();
    assert_false(pkt.malformed);

    pkt.linktype = 999; /* no such link type */
    assert_int_equal(decode_packet(&ctx, &pkt), DECODE_ERR);
    assert_int_equal(ctx.events[DEV_LINK_UNSUPPORTED], 1);
}

/* Pins the 14-byte minimum: exactly 14 parses, 13 is too small. */
static void test_eth_min_len(void **state)
{
    /* clang-format off */
    static const uint8_t hdr_only[] = {
        MAC_DST,    /* destination MAC */
        MAC_SRC,    /* source MAC */
        0x88, 0xb5, /* ethertype: IEEE local experimental */
    };
    /* clang-format on */
    (void)state;
    pkt_reset(hdr_only, 14);
    assert_int_equal(decode_ethernet(&ctx, &pkt, hdr_only, 14), DECODE_OK);
    assert_true(pkt.has_eth);
    assert_int_equal(pkt.ethertype, 0x88b5);
    assert_int_equal(ctx.events[DEV_NON_IP], 1);
    assert_false(pkt.malformed);

    pkt_reset(hdr_only, 13);
    assert_int_equal(decode_ethernet(&ctx, &pkt, hdr_only, 13), DECODE_ERR);
    assert_false(pkt.has_eth);
    assert_int_equal(ctx.events[DEV_ETH_TOO_SMALL], 1);
    assert_true(pkt.malformed);
}

/* Every prefix of a valid frame: short of 14 bytes it is rejected; from 14 on
 * Ethernet parses and anything deeper is either absent or consistent. Cut by
 * the snaplen (wirelen = full length) nothing of ours is malformed. */
static void test_eth_every_prefix(void **state)
{
    (void)state;
    for (uint32_t n = 0; n <= sizeof(eth_ipv4); n++) {
        for (int snap = 0; snap < 2; snap++) {
            uint8_t *copy = malloc(n ? n : 1);
            memcpy(copy, eth_ipv4, n);
            pkt_reset(copy, n);
            if (snap)
                pkt.wirelen = sizeof(eth_ipv4);
            int rc = decode_ethernet(&ctx, &pkt, copy, n);
            if (n < 14) {
                assert_int_equal(rc, DECODE_ERR);
                assert_false(pkt.has_eth);
                assert_int_equal(ctx.events[DEV_ETH_TOO_SMALL], 1);
                assert_int_equal(pkt.malformed, !snap);
            } else {
                assert_int_equal(rc, DECODE_OK);
                assert_true(pkt.has_eth);
                assert_int_equal(ctx.events[DEV_ETH_TOO_SMALL], 0);
                assert_true(pkt.layer_count <= 1);
                if (pkt.layer_count == 1) {
                    assert_v4(&pkt.layers[0].src, 192, 0, 2, 1);
                    assert_v4(&pkt.layers[0].dst, 198, 51, 100, 2);
                }
                if (n == sizeof(eth_ipv4)) {
                    assert_false(pkt.malformed);
                    assert_ipv4_udp_layer();
                } else if (!snap) {
                    assert_true(pkt.malformed);
                }
            }
            free(copy);
        }
    }
}

static void test_eth_lldp_non_ip(void **state)
{
    /* clang-format off */
    static const uint8_t lldp[] = {
        0x01, 0x80, 0xc2, 0x00, 0x00, 0x0e, /* destination: nearest bridge */
        MAC_SRC,                            /* source MAC */
        0x88, 0xcc,                         /* ethertype LLDP */
        0x02, 0x07, 0x04, MAC_SRC,          /* TLV chassis id (MAC) */
        0x00, 0x00,                         /* TLV end of LLDPDU */
    };
    /* clang-format on */
    (void)state;
    pkt_reset(lldp, sizeof(lldp));
    assert_int_equal(decode_ethernet(&ctx, &pkt, lldp, sizeof(lldp)), DECODE_OK);
    assert_true(pkt.has_eth);
    assert_int_equal(pkt.ethertype, 0x88cc);
    assert_int_equal(pkt.layer_count, 0);
    assert_int_equal(ctx.events[DEV_NON_IP], 1);
    assert_int_equal(events_total(), 1);
    assert_false(pkt.malformed);
}

/* ---- IEEE 802.3 with 802.2 LLC ---- */

static void test_8023_stp_non_ip(void **state)
{
    /* clang-format off */
    static const uint8_t stp[] = {
        0x01, 0x80, 0xc2, 0x00, 0x00, 0x00, /* destination: bridge group */
        MAC_SRC,                            /* source MAC */
        0x00, 0x26,                         /* 802.3 length 38 */
        0x42, 0x42, 0x03,                   /* LLC: DSAP/SSAP STP, UI */
        0x00, 0x00, 0x00, 0x00,             /* BPDU: protocol id, version, type */
        0x00,                               /* flags */
        0x80, 0x00, MAC_SRC,                /* root id */
        0x00, 0x00, 0x00, 0x00,             /* root path cost */
        0x80, 0x00, MAC_SRC,                /* bridge id */
        0x80, 0x01,                         /* port id */
        0x00, 0x00, 0x14, 0x00,             /* message age, max age */
        0x02, 0x00, 0x0f, 0x00,             /* hello time, forward delay */
        0x00, 0x00, 0x00, 0x00,             /* padding to 60 bytes */
        0x00, 0x00, 0x00, 0x00,
    };
    /* clang-format on */
    (void)state;
    pkt_reset(stp, sizeof(stp));
    assert_int_equal(decode_ethernet(&ctx, &pkt, stp, sizeof(stp)), DECODE_OK);
    assert_true(pkt.has_eth);
    assert_int_equal(pkt.layer_count, 0);
    assert_int_equal(ctx.events[DEV_NON_IP], 1);
    assert_int_equal(events_total(), 1);
    assert_false(pkt.malformed);
}

/* RFC 1042: IP in SNAP with OUI 0. The 802.3 length (36) is shorter than the
 * frame's 60 bytes: the rest is padding and must not reach IPv4. */
static void test_8023_snap_ipv4(void **state)
{
    /* clang-format off */
    static const uint8_t snap[] = {
        MAC_DST,                /* destination MAC */
        MAC_SRC,                /* source MAC */
        0x00, 0x24,             /* 802.3 length 36 = 8 LLC/SNAP + 28 IP */
        0xaa, 0xaa, 0x03,       /* LLC: SNAP, SNAP, UI */
        0x00, 0x00, 0x00,       /* OUI 00-00-00 (RFC 1042) */
        0x08, 0x00,             /* protocol id: ethertype IPv4 */
        IPV4_UDP,               /* 28 bytes */
        0xee, 0xee,             /* padding, 2 bytes */
    };
    /* clang-format on */
    (void)state;
    pkt_reset(snap, sizeof(snap));
    assert_int_equal(decode_ethernet(&ctx, &pkt, snap, sizeof(snap)), DECODE_OK);
    assert_int_equal(pkt.ethertype, ETHERTYPE_IPV4);
    assert_ipv4_udp_layer();
    assert_false(pkt.malformed);
    assert_int_equal(events_total(), 0);
}

static void test_8023_snap_cdp_non_ip(void **state)
{
    /* clang-format off */
    static const uint8_t cdp[] = {
        0x01, 0x00, 0x0c, 0xcc, 0xcc, 0xcc, /* destination: CDP multicast */
        MAC_SRC,                            /* source MAC */
        0x00, 0x0c,                         /* 802.3 length 12 */
        0xaa, 0xaa, 0x03,                   /* LLC: SNAP, SNAP, UI */
        0x00, 0x00, 0x0c,                   /* OUI Cisco */
        0x20, 0x00,                         /* protocol id CDP */
        0x01, 0xb4, 0x00, 0x00,             /* CDP version, TTL, checksum */
    };
    /* clang-format on */
    (void)state;
    pkt_reset(cdp, sizeof(cdp));
    assert_int_equal(decode_ethernet(&ctx, &pkt, cdp, sizeof(cdp)), DECODE_OK);
    assert_int_equal(ctx.events[DEV_NON_IP], 1);
    assert_int_equal(events_total(), 1);
    assert_false(pkt.malformed);
}

/* Pins the 8-byte LLC+SNAP header: a declared length of 8 with OUI 0 parses
 * (empty IPv4 then fails in IPv4), 7 is a SNAP header cut short. */
static void test_8023_snap_short(void **state)
{
    /* clang-format off */
    static const uint8_t snap7[] = {
        MAC_DST,          /* destination MAC */
        MAC_SRC,          /* source MAC */
        0x00, 0x07,       /* 802.3 length 7: one byte short of LLC+SNAP */
        0xaa, 0xaa, 0x03, /* LLC: SNAP, SNAP, UI */
        0x00, 0x00, 0x00, /* OUI 0 */
        0x08, 0x00,       /* ethertype IPv4: outside the declared length */
    };
    /* clang-format on */
    /* clang-format off */
    static const uint8_t snap8[] = {
        MAC_DST,          /* destination MAC */
        MAC_SRC,          /* source MAC */
        0x00, 0x08,       /* 802.3 length 8: exactly LLC+SNAP */
        0xaa, 0xaa, 0x03, /* LLC: SNAP, SNAP, UI */
        0x00, 0x00, 0x00, /* OUI 0 */
        0x88, 0xb5,       /* ethertype: local experimental */
    };
    /* clang-format on */
    (void)state;
    pkt_reset(snap7, sizeof(snap7));
    assert_int_equal(decode_ethernet(&ctx, &pkt, snap7, sizeof(snap7)), DECODE_OK);
    assert_int_equal(ctx.events[DEV_ETH_TOO_SMALL], 1);
    assert_true(pkt.malformed);

    pkt_reset(snap8, sizeof(snap8));
    assert_int_equal(decode_ethernet(&ctx, &pkt, snap8, sizeof(snap8)), DECODE_OK);
    assert_int_equal(ctx.events[DEV_ETH_TOO_SMALL], 0);
    assert_int_equal(ctx.events[DEV_NON_IP], 1);
    assert_false(pkt.malformed);
}

/* 1500 is the largest 802.3 length, 0x0600 the smallest ethertype; values in
 * between are neither and are counted as non-IP. */
static void test_8023_type_boundaries(void **state)
{
    uint8_t f[14 + IPV4_UDP_LEN] = {MAC_DST, MAC_SRC, 0x06, 0x00, IPV4_UDP};
    (void)state;

    /* 0x0600: ethertype (not IPv4, so non-IP) */
    pkt_reset(f, sizeof(f));
    assert_int_equal(decode_ethernet(&ctx, &pkt, f, sizeof(f)), DECODE_OK);
    assert_int_equal(pkt.ethertype, 0x0600);
    assert_int_equal(ctx.events[DEV_NON_IP], 1);

    /* 0x05ff: undefined range */
    f[12] = 0x05;
    f[13] = 0xff;
    pkt_reset(f, sizeof(f));
    assert_int_equal(decode_ethernet(&ctx, &pkt, f, sizeof(f)), DECODE_OK);
    assert_int_equal(ctx.events[DEV_NON_IP], 1);
    assert_false(pkt.malformed);

    /* 0x05dc = 1500: an 802.3 length; LLC 0x45 0x00 is not SNAP */
    f[13] = 0xdc;
    pkt_reset(f, sizeof(f));
    assert_int_equal(decode_ethernet(&ctx, &pkt, f, sizeof(f)), DECODE_OK);
    assert_int_equal(ctx.events[DEV_NON_IP], 1);
    assert_int_equal(pkt.layer_count, 0);
    assert_false(pkt.malformed);
}

/* ---- VLAN ---- */

static void test_vlan_single(void **state)
{
    /* clang-format off */
    static const uint8_t f[] = {
        MAC_DST,    /* destination MAC */
        MAC_SRC,    /* source MAC */
        0x81, 0x00, /* TPID 802.1Q */
        0xa0, 0x64, /* TCI: PCP 5, DEI 0, VLAN 100 */
        0x08, 0x00, /* ethertype IPv4 */
        IPV4_UDP,
    };
    /* clang-format on */
    (void)state;
    pkt_reset(f, sizeof(f));
    assert_int_equal(decode_ethernet(&ctx, &pkt, f, sizeof(f)), DECODE_OK);
    assert_int_equal(pkt.vlan_count, 1);
    assert_int_equal(pkt.vlan[0], 100);
    assert_int_equal(pkt.ethertype, ETHERTYPE_IPV4);
    assert_ipv4_udp_layer();
    assert_false(pkt.malformed);
    assert_int_equal(events_total(), 0);
}

/* VLAN id 0 is a priority tag: the frame is treated as untagged. */
static void test_vlan_priority_tag(void **state)
{
    /* clang-format off */
    static const uint8_t f[] = {
        MAC_DST,    /* destination MAC */
        MAC_SRC,    /* source MAC */
        0x81, 0x00, /* TPID 802.1Q */
        0xe0, 0x00, /* TCI: PCP 7, VLAN 0 (priority tag) */
        0x08, 0x00, /* ethertype IPv4 */
        IPV4_UDP,
    };
    /* clang-format on */
    (void)state;
    pkt_reset(f, sizeof(f));
    assert_int_equal(decode_ethernet(&ctx, &pkt, f, sizeof(f)), DECODE_OK);
    assert_int_equal(pkt.vlan_count, 0);
    assert_int_equal(pkt.ethertype, ETHERTYPE_IPV4);
    assert_ipv4_udp_layer();
    assert_false(pkt.malformed);
}

static void test_vlan_qinq(void **state)
{
    /* clang-format off */
    static const uint8_t f[] = {
        MAC_DST,    /* destination MAC */
        MAC_SRC,    /* source MAC */
        0x88, 0xa8, /* TPID 802.1ad (service tag) */
        0x00, 0x0a, /* TCI: VLAN 10 */
        0x91, 0x00, /* TPID 0x9100 (old QinQ) */
        0x0f, 0xff, /* TCI: VLAN 4095 (reserved, stored as seen) */
        0x81, 0x00, /* TPID 802.1Q (customer tag) */
        0x10, 0x14, /* TCI: DEI 1, VLAN 20 */
        0x08, 0x00, /* ethertype IPv4 */
        IPV4_UDP,
    };
    /* clang-format on */
    (void)state;
    pkt_reset(f, sizeof(f));
    assert_int_equal(decode_ethernet(&ctx, &pkt, f, sizeof(f)), DECODE_OK);
    assert_int_equal(pkt.vlan_count, 3);
    assert_int_equal(pkt.vlan[0], 10);
    assert_int_equal(pkt.vlan[1], 4095);
    assert_int_equal(pkt.vlan[2], 20);
    assert_ipv4_udp_layer();
    assert_false(pkt.malformed);
}

/* Builds an Ethernet frame with `tags` stacked tags of id `id` in front of
 * IPv4/UDP. */
static uint32_t build_tagged(uint8_t *buf, unsigned tags, uint16_t id)
{
    static const uint8_t macs[12] = {MAC_DST, MAC_SRC};
    static const uint8_t ip[IPV4_UDP_LEN] = {IPV4_UDP};
    uint32_t off = 0;
    memcpy(buf, macs, 12);
    off = 12;
    for (unsigned i = 0; i < tags; i++) {
        buf[off++] = 0x81; /* TPID 802.1Q */
        buf[off++] = 0x00;
        buf[off++] = (uint8_t)(id >> 8); /* TCI */
        buf[off++] = (uint8_t)id;
    }
    buf[off++] = 0x08; /* ethertype IPv4 */
    buf[off++] = 0x00;
    memcpy(buf + off, ip, sizeof(ip));
    return off + (uint32_t)sizeof(ip);
}

/* Pins the MAX_VLAN_TAGS cap: 4 tags parse, the 5th is one too many, and
 * priority tags count towards the cap although they are not stored. */
static void test_vlan_too_many(void **state)
{
    uint8_t buf[14 + 4 * 6 + IPV4_UDP_LEN];
    uint32_t n;
    (void)state;

    n = build_tagged(buf, MAX_VLAN_TAGS, 7);
    pkt_reset(buf, n);
    assert_int_equal(decode_ethernet(&ctx, &pkt, buf, n), DECODE_OK);
    assert_int_equal(pkt.vlan_count, MAX_VLAN_TAGS);
    assert_ipv4_udp_layer();
    assert_false(pkt.malformed);

    n = build_tagged(buf, MAX_VLAN_TAGS + 1, 7);
    pkt_reset(buf, n);
    assert_int_equal(decode_ethernet(&ctx, &pkt, buf, n), DECODE_OK);
    assert_int_equal(ctx.events[DEV_VLAN_TOO_MANY], 1);
    assert_int_equal(pkt.layer_count, 0);
    assert_true(pkt.vlan_count <= MAX_VLAN_TAGS);
    assert_true(pkt.malformed);

    n = build_tagged(buf, MAX_VLAN_TAGS + 1, 0);
    pkt_reset(buf, n);
    assert_int_equal(decode_ethernet(&ctx, &pkt, buf, n), DECODE_OK);
    assert_int_equal(ctx.events[DEV_VLAN_TOO_MANY], 1);
    assert_int_equal(pkt.vlan_count, 0);
    assert_int_equal(pkt.layer_count, 0);
}

/* Pins the 4-byte tag: exactly 4 bytes after the TPID parse, 3 do not. */
static void test_vlan_min_len(void **state)
{
    /* clang-format off */
    static const uint8_t tag[] = {
        0x00, 0x05, /* TCI: VLAN 5 */
        0x88, 0xb5, /* ethertype: local experimental */
    };
    /* clang-format on */
    (void)state;
    pkt_reset(tag, 4);
    assert_int_equal(decode_vlan(&ctx, &pkt, tag, 4), DECODE_OK);
    assert_int_equal(pkt.vlan_count, 1);
    assert_int_equal(pkt.vlan[0], 5);
    assert_int_equal(pkt.ethertype, 0x88b5);
    assert_int_equal(ctx.events[DEV_NON_IP], 1);
    assert_false(pkt.malformed);

    for (uint32_t n = 0; n < 4; n++) {
        pkt_reset(tag, n);
        assert_int_equal(decode_vlan(&ctx, &pkt, tag, n), DECODE_ERR);
        assert_int_equal(ctx.events[DEV_VLAN_TOO_SMALL], 1);
        assert_int_equal(pkt.vlan_count, 0);
        assert_true(pkt.malformed);
    }
}

static void test_vlan_every_prefix(void **state)
{
    uint8_t buf[14 + 2 * 4 + IPV4_UDP_LEN];
    uint32_t full = build_tagged(buf, 2, 42);
    (void)state;
    for (uint32_t n = 0; n <= full; n++) {
        uint8_t *copy = malloc(n ? n : 1);
        memcpy(copy, buf, n);
        pkt_reset(copy, n);
        int rc = decode_ethernet(&ctx, &pkt, copy, n);
        assert_int_equal(rc, n < 14 ? DECODE_ERR : DECODE_OK);
        if (n >= 14 && n < 22)
            assert_int_equal(ctx.events[DEV_VLAN_TOO_SMALL], 1);
        /* A tag is stored only once it was read whole. */
        assert_true(pkt.vlan_count <= 2);
        for (unsigned i = 0; i < pkt.vlan_count; i++)
            assert_int_equal(pkt.vlan[i], 42);
        assert_true(pkt.layer_count <= 1);
        assert_int_equal(pkt.malformed, n != full);
        free(copy);
    }
}

/* ---- Linux cooked capture v1 / v2 ---- */

/* clang-format off */
static const uint8_t sll_ipv4[] = {
    0x00, 0x00,                         /* packet type: to us */
    0x00, 0x01,                         /* ARPHRD_ETHER */
    0x00, 0x06,                         /* address length 6 */
    MAC_SRC, 0x00, 0x00,                /* address, padded to 8 */
    0x08, 0x00,                         /* protocol: IPv4 */
    IPV4_UDP,
};
/* clang-format on */

static void test_sll_ipv4(void **state)
{
    (void)state;
    pkt_reset(sll_ipv4, sizeof(sll_ipv4));
    pkt.linktype = LINKTYPE_LINUX_SLL;
    assert_int_equal(decode_packet(&ctx, &pkt), DECODE_OK);
    assert_false(pkt.has_eth);
    assert_int_equal(pkt.ethertype, ETHERTYPE_IPV4);
    assert_ipv4_udp_layer();
    assert_false(pkt.malformed);
    assert_int_equal(events_total(), 0);
}

/* Pins the 16-byte header; every shorter prefix is too small, every longer
 * one parses the link layer. */
static void test_sll_every_prefix(void **state)
{
    (void)state;
    for (uint32_t n = 0; n <= sizeof(sll_ipv4); n++) {
        uint8_t *copy = malloc(n ? n : 1);
        memcpy(copy, sll_ipv4, n);
        pkt_reset(copy, n);
        int rc = decode_sll(&ctx, &pkt, copy, n);
        assert_int_equal(rc, n < 16 ? DECODE_ERR : DECODE_OK);
        assert_int_equal(ctx.events[DEV_SLL_TOO_SMALL], n < 16 ? 1 : 0);
        assert_true(pkt.layer_count <= 1);
        assert_int_equal(pkt.malformed, n != sizeof(sll_ipv4));
        free(copy);
    }
}

static void test_sll_netlink_non_ip(void **state)
{
    /* clang-format off */
    static const uint8_t nl[] = {
        0x00, 0x04,             /* packet type: outgoing */
        0x03, 0x38,             /* ARPHRD_NETLINK (824) */
        0x00, 0x00,             /* address length 0 */
        0, 0, 0, 0, 0, 0, 0, 0, /* address (unused) */
        0x00, 0x00,             /* netlink family NETLINK_ROUTE */
        0x14, 0x00, 0x00, 0x00, /* nlmsghdr length 20 ... */
    };
    /* clang-format on */
    (void)state;
    pkt_reset(nl, sizeof(nl));
    assert_int_equal(decode_sll(&ctx, &pkt, nl, sizeof(nl)), DECODE_OK);
    assert_int_equal(ctx.events[DEV_NON_IP], 1);
    assert_int_equal(events_total(), 1);
    assert_false(pkt.malformed);
}

/* clang-format off */
static const uint8_t sll2_ipv6[] = {
    0x86, 0xdd,                                     /* protocol: IPv6 */
    0x00, 0x00,                                     /* reserved */
    0x00, 0x00, 0x00, 0x02,                         /* interface index 2 */
    0x00, 0x01,                                     /* ARPHRD_ETHER */
    0x04,                                           /* packet type: outgoing */
    0x06,                                           /* address length 6 */
    MAC_SRC, 0x00, 0x00,                            /* address, padded to 8 */
    0x60, 0x00, 0x00, 0x00,                         /* IPv6, traffic class, flow */
    0x00, 0x08,                                     /* payload length 8 */
    0x11,                                           /* next header UDP */
    0x40,                                           /* hop limit 64 */
    0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x01, /* 2001:db8::1 */
    0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x02, /* 2001:db8::2 */
    0x04, 0xd2,                                     /* UDP source port 1234 */
    0x00, 0x35,                                     /* destination port 53 */
    0x00, 0x08,                                     /* length 8 */
    0x00, 0x00,                                     /* checksum */
};
/* clang-format on */

static void test_sll2_ipv6(void **state)
{
    (void)state;
    pkt_reset(sll2_ipv6, sizeof(sll2_ipv6));
    pkt.linktype = LINKTYPE_LINUX_SLL2;
    assert_int_equal(decode_packet(&ctx, &pkt), DECODE_OK);
    assert_int_equal(pkt.ethertype, ETHERTYPE_IPV6);
    assert_int_equal(pkt.layer_count, 1);
    assert_int_equal(pkt.layers[0].ip_version, 6);
    assert_int_equal(pkt.layers[0].proto, 17);
    assert_int_equal(pkt.layers[0].src.b[15], 1);
    assert_int_equal(pkt.layers[0].dst.b[15], 2);
    assert_int_equal(pkt.layers[0].dport, 53);
    assert_false(pkt.malformed);
    assert_int_equal(events_total(), 0);
}

/* Pins the 20-byte header. */
static void test_sll2_every_prefix(void **state)
{
    (void)state;
    for (uint32_t n = 0; n <= sizeof(sll2_ipv6); n++) {
        uint8_t *copy = malloc(n ? n : 1);
        memcpy(copy, sll2_ipv6, n);
        pkt_reset(copy, n);
        int rc = decode_sll2(&ctx, &pkt, copy, n);
        assert_int_equal(rc, n < 20 ? DECODE_ERR : DECODE_OK);
        assert_int_equal(ctx.events[DEV_SLL2_TOO_SMALL], n < 20 ? 1 : 0);
        assert_true(pkt.layer_count <= 1);
        assert_int_equal(pkt.malformed, n != sizeof(sll2_ipv6));
        free(copy);
    }
}

/* ---- BSD loopback ---- */

static void test_null_families(void **state)
{
    /* clang-format off */
    static const struct {
        uint8_t af[4];
        int version; /* 0: not IP */
    } cases[] = {
        {{0x02, 0x00, 0x00, 0x00}, 4}, /* AF_INET, little-endian capture */
        {{0x00, 0x00, 0x00, 0x02}, 4}, /* AF_INET, big-endian / DLT_LOOP */
        {{0x18, 0x00, 0x00, 0x00}, 6}, /* AF_INET6 24 (OpenBSD/NetBSD), LE */
        {{0x1c, 0x00, 0x00, 0x00}, 6}, /* AF_INET6 28 (FreeBSD), LE */
        {{0x00, 0x00, 0x00, 0x1e}, 6}, /* AF_INET6 30 (macOS), BE */
        {{0x07, 0x00, 0x00, 0x00}, 0}, /* AF_ISO / other: not IP */
        {{0x00, 0x00, 0x02, 0x00}, 0}, /* 2 in a middle byte: neither order */
    };
    /* clang-format on */
    static const uint8_t ip4[IPV4_UDP_LEN] = {IPV4_UDP};
    /* IPv6 + UDP as in sll2_ipv6, after the 20-byte SLL2 header */
    const uint8_t *ip6 = sll2_ipv6 + 20;
    const uint32_t ip6_len = (uint32_t)sizeof(sll2_ipv6) - 20;
    uint8_t buf[4 + 48];
    (void)state;

    for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
        uint32_t n = 4;
        memcpy(buf, cases[i].af, 4);
        if (cases[i].version == 6) {
            memcpy(buf + 4, ip6, ip6_len);
            n += ip6_len;
        } else {
            memcpy(buf + 4, ip4, sizeof(ip4));
            n += (uint32_t)sizeof(ip4);
        }
        pkt_reset(buf, n);
        pkt.linktype = (i % 2) ? LINKTYPE_LOOP : LINKTYPE_NULL;
        assert_int_equal(decode_packet(&ctx, &pkt), DECODE_OK);
        assert_false(pkt.malformed);
        if (cases[i].version == 0) {
            assert_int_equal(pkt.layer_count, 0);
            assert_int_equal(ctx.events[DEV_NULL_UNKNOWN_FAMILY], 1);
        } else {
            assert_int_equal(pkt.layer_count, 1);
            assert_int_equal(pkt.layers[0].ip_version, cases[i].version);
            assert_int_equal(events_total(), 0);
        }
    }
}

/* Pins the 4-byte family. */
static void test_null_every_prefix(void **state)
{
    /* clang-format off */
    static const uint8_t f[] = {
        0x02, 0x00, 0x00, 0x00, /* AF_INET, little-endian */
        IPV4_UDP,
    };
    /* clang-format on */
    (void)state;
    for (uint32_t n = 0; n <= sizeof(f); n++) {
        uint8_t *copy = malloc(n ? n : 1);
        memcpy(copy, f, n);
        pkt_reset(copy, n);
        int rc = decode_null(&ctx, &pkt, copy, n);
        assert_int_equal(rc, n < 4 ? DECODE_ERR : DECODE_OK);
        assert_int_equal(ctx.events[DEV_NULL_TOO_SMALL], n < 4 ? 1 : 0);
        assert_int_equal(pkt.malformed, n != sizeof(f));
        if (n == sizeof(f))
            assert_ipv4_udp_layer();
        free(copy);
    }
}

/* ---- Raw IP ---- */

static void test_raw(void **state)
{
    static const uint8_t ip4[] = {IPV4_UDP};
    /* clang-format off */
    static const uint8_t bad[] = {
        0x55, 0x00, 0x00, 0x1c, /* version 5 (ST-II): neither 4 nor 6 */
    };
    /* clang-format on */
    (void)state;

    pkt_reset(ip4, sizeof(ip4));
    pkt.linktype = LINKTYPE_RAW;
    assert_int_equal(decode_packet(&ctx, &pkt), DECODE_OK);
    assert_ipv4_udp_layer();
    assert_false(pkt.has_eth);
    assert_int_equal(events_total(), 0);

    pkt_reset(sll2_ipv6 + 20, (uint32_t)sizeof(sll2_ipv6) - 20);
    assert_int_equal(
        decode_raw(&ctx, &pkt, sll2_ipv6 + 20, (uint32_t)sizeof(sll2_ipv6) - 20, TUNNEL_NONE),
        DECODE_OK);
    assert_int_equal(pkt.layer_count, 1);
    assert_int_equal(pkt.layers[0].ip_version, 6);

    pkt_reset(bad, sizeof(bad));
    assert_int_equal(decode_raw(&ctx, &pkt, bad, sizeof(bad), TUNNEL_NONE), DECODE_ERR);
    assert_int_equal(ctx.events[DEV_RAW_BAD_VERSION], 1);
    assert_true(pkt.malformed);

    /* Empty frame: no version nibble at all (the 1-byte minimum). */
    pkt_reset(bad, 0);
    assert_int_equal(decode_raw(&ctx, &pkt, bad, 0, TUNNEL_NONE), DECODE_ERR);
    assert_int_equal(ctx.events[DEV_RAW_BAD_VERSION], 1);
}

static void test_raw_every_prefix(void **state)
{
    static const uint8_t ip4[] = {IPV4_UDP};
    (void)state;
    for (uint32_t n = 0; n <= sizeof(ip4); n++) {
        uint8_t *copy = malloc(n ? n : 1);
        memcpy(copy, ip4, n);
        pkt_reset(copy, n);
        int rc = decode_raw(&ctx, &pkt, copy, n, TUNNEL_NONE);
        assert_int_equal(pkt.malformed, n != sizeof(ip4));
        assert_int_equal(ctx.events[DEV_RAW_BAD_VERSION], n == 0 ? 1 : 0);
        if (n == sizeof(ip4)) {
            assert_int_equal(rc, DECODE_OK);
            assert_ipv4_udp_layer();
        }
        free(copy);
    }
}

/* ---- Real captures ---- */

struct cap_stats {
    unsigned packets;
    unsigned malformed;
    unsigned ipv4, ipv6, non_ip;
    unsigned vlan_counts[MAX_VLAN_TAGS + 1];
    uint16_t vlan_first[MAX_VLAN_TAGS];
    uint8_t vlan_first_count;
    int linktype;
};

/* Decodes every packet of a capture under ../shared/data/pcap. Returns -1
 * (after printing why) when the file is absent, so the caller can skip. */
static int run_capture(const char *rel, struct cap_stats *st)
{
    struct pcap_pkthdr *h;
    const u_char *data;
    pcap_t *pc = decode_test_pcap_open(rel);

    if (!pc)
        return -1;
    memset(st, 0, sizeof(*st));
    st->linktype = pcap_datalink(pc);
    while (pcap_next_ex(pc, &h, &data) == 1) {
        uint64_t before[DEV_MAX];
        memcpy(before, ctx.events, sizeof(before));
        decode_test_pcap_packet(&pkt, pc, h, data, ++st->packets);
        assert_int_equal(decode_packet(&ctx, &pkt), DECODE_OK);
        if (pkt.malformed) {
            st->malformed++;
            for (unsigned i = 0; i < DEV_MAX; i++)
                if (ctx.events[i] != before[i])
                    print_message("%s #%u: %s\n", rel, st->packets,
                                  decode_event_name((enum decode_event)i));
        }
        if (pkt.layer_count == 0)
            st->non_ip++;
        else if (pkt.layers[0].ip_version == 4)
            st->ipv4++;
        else
            st->ipv6++;
        st->vlan_counts[pkt.vlan_count]++;
        if (st->packets == 1) {
            st->vlan_first_count = pkt.vlan_count;
            memcpy(st->vlan_first, pkt.vlan, sizeof(pkt.vlan));
        }
    }
    pcap_close(pc);
    return 0;
}

static void test_cap_qinqinq(void **state)
{
    struct cap_stats st;
    (void)state;
    if (run_capture("ipv6-encap/vlan-qinqinq.pcap", &st) < 0)
        skip();
    assert_int_equal(st.packets, 14);
    assert_int_equal(st.malformed, 0);
    assert_int_equal(st.ipv4, 14);
    assert_int_equal(st.vlan_counts[3], 14);
    assert_int_equal(st.vlan_first[0], 30);
    assert_int_equal(st.vlan_first[1], 20);
    assert_int_equal(st.vlan_first[2], 10);
    /* The last packet's addresses: the HTTP session of the manifest. */
    assert_int_equal(pkt.layer_count, 1);
    assert_true(pkt.layers[0].sport == 80 || pkt.layers[0].dport == 80);
}

static void test_cap_vlan0(void **state)
{
    struct cap_stats st;
    (void)state;
    if (run_capture("ipv6-encap/http-vlan-0.pcap", &st) < 0)
        skip();
    assert_int_equal(st.packets, 14);
    assert_int_equal(st.malformed, 0);
    assert_int_equal(st.ipv4, 14);
    assert_int_equal(st.vlan_counts[0], 14); /* priority tag = untagged */
}

static void test_cap_sll2(void **state)
{
    struct cap_stats st;
    (void)state;
    if (run_capture("ipv6-encap/decode-sll2-02.pcap", &st) < 0)
        skip();
    assert_int_equal(st.linktype, LINKTYPE_LINUX_SLL2);
    assert_int_equal(st.packets, 159);
    assert_int_equal(st.malformed, 0);
    assert_int_equal(st.ipv4, 159);
}

static void test_cap_sll(void **state)
{
    struct cap_stats st;
    (void)state;
    if (run_capture("tunnel/dns2tcp_tunnel.pcap", &st) < 0)
        skip();
    assert_int_equal(st.linktype, LINKTYPE_LINUX_SLL);
    assert_int_equal(st.packets, 50);
    assert_int_equal(st.malformed, 0);
    assert_int_equal(st.ipv4, 50);
}

/* CDP (802.3/SNAP) and LLDP are counted as non-IP, never as malformed. */
static void test_cap_cdp_lldp(void **state)
{
    struct cap_stats st;
    (void)state;
    if (run_capture("discovery/cdp-v1.pcap", &st) < 0)
        skip();
    assert_int_equal(st.packets, 1);
    assert_int_equal(st.non_ip, 1);
    assert_int_equal(st.malformed, 0);
    assert_true(pkt.has_eth);

    if (run_capture("discovery/lldp.pcap", &st) < 0)
        skip();
    assert_int_equal(st.packets, 1);
    assert_int_equal(st.non_ip, 1);
    assert_int_equal(st.malformed, 0);
    assert_int_equal(pkt.ethertype, 0x88cc);
}

/* Well-formed captures of many kinds raise no decode event at all. */
static void test_cap_discovery_clean(void **state)
{
    static const char *const files[] = {
        "discovery/dhcp.pcapng",
        "discovery/dhcpv6.pcap",
        "discovery/mdns.pcap",
        "discovery/nbns.pcap",
        "discovery/netbios.pcap",
        "discovery/ssdp-m-search.pcap",
        "discovery/arp_resolution.pcapng",
    };
    struct cap_stats st;
    unsigned ran = 0;
    (void)state;
    for (size_t i = 0; i < ARRAY_SIZE(files); i++) {
        if (run_capture(files[i], &st) < 0)
            continue;
        ran++;
        assert_true(st.packets > 0);
        assert_int_equal(st.malformed, 0);
    }
    if (!ran)
        skip();
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_eth_ipv4, setup, teardown),
        cmocka_unit_test_setup_teardown(test_eth_via_decode_packet, setup, teardown),
        cmocka_unit_test_setup_teardown(test_eth_min_len, setup, teardown),
        cmocka_unit_test_setup_teardown(test_eth_every_prefix, setup, teardown),
        cmocka_unit_test_setup_teardown(test_eth_lldp_non_ip, setup, teardown),
        cmocka_unit_test_setup_teardown(test_8023_stp_non_ip, setup, teardown),
        cmocka_unit_test_setup_teardown(test_8023_snap_ipv4, setup, teardown),
        cmocka_unit_test_setup_teardown(test_8023_snap_cdp_non_ip, setup, teardown),
        cmocka_unit_test_setup_teardown(test_8023_snap_short, setup, teardown),
        cmocka_unit_test_setup_teardown(test_8023_type_boundaries, setup, teardown),
        cmocka_unit_test_setup_teardown(test_vlan_single, setup, teardown),
        cmocka_unit_test_setup_teardown(test_vlan_priority_tag, setup, teardown),
        cmocka_unit_test_setup_teardown(test_vlan_qinq, setup, teardown),
        cmocka_unit_test_setup_teardown(test_vlan_too_many, setup, teardown),
        cmocka_unit_test_setup_teardown(test_vlan_min_len, setup, teardown),
        cmocka_unit_test_setup_teardown(test_vlan_every_prefix, setup, teardown),
        cmocka_unit_test_setup_teardown(test_sll_ipv4, setup, teardown),
        cmocka_unit_test_setup_teardown(test_sll_every_prefix, setup, teardown),
        cmocka_unit_test_setup_teardown(test_sll_netlink_non_ip, setup, teardown),
        cmocka_unit_test_setup_teardown(test_sll2_ipv6, setup, teardown),
        cmocka_unit_test_setup_teardown(test_sll2_every_prefix, setup, teardown),
        cmocka_unit_test_setup_teardown(test_null_families, setup, teardown),
        cmocka_unit_test_setup_teardown(test_null_every_prefix, setup, teardown),
        cmocka_unit_test_setup_teardown(test_raw, setup, teardown),
        cmocka_unit_test_setup_teardown(test_raw_every_prefix, setup, teardown),
        cmocka_unit_test_setup_teardown(test_cap_qinqinq, setup, teardown),
        cmocka_unit_test_setup_teardown(test_cap_vlan0, setup, teardown),
        cmocka_unit_test_setup_teardown(test_cap_sll2, setup, teardown),
        cmocka_unit_test_setup_teardown(test_cap_sll, setup, teardown),
        cmocka_unit_test_setup_teardown(test_cap_cdp_lldp, setup, teardown),
        cmocka_unit_test_setup_teardown(test_cap_discovery_clean, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
