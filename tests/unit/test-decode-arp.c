/* test-decode-arp.c - ARP for Ethernet/IPv4 (RFC 826): hand-written
 * messages, boundaries, every prefix, and the discovery/scan captures in
 * ../shared/data/pcap (skipped when absent). */
#define DECODE_TEST_GLOBAL_PKT
#include "decode-test-util.h"

#define MAC_A 0x00, 0x16, 0xce, 0x6e, 0x8b, 0x24
#define MAC_B 0x00, 0x13, 0x46, 0x0b, 0x22, 0xba

/* Who has 192.168.0.1? Tell 192.168.0.114. */
/* clang-format off */
static const uint8_t arp_request[] = {
    0x00, 0x01,         /* hardware type Ethernet */
    0x08, 0x00,         /* protocol type IPv4 */
    0x06,               /* hardware address length 6 */
    0x04,               /* protocol address length 4 */
    0x00, 0x01,         /* opcode 1: request */
    MAC_A,              /* sender MAC */
    192, 168, 0, 114,   /* sender IP */
    0, 0, 0, 0, 0, 0,   /* target MAC: unknown */
    192, 168, 0, 1,     /* target IP */
};
/* clang-format on */

static void test_arp_request(void **state)
{
    static const uint8_t sha[6] = {MAC_A}, tha[6] = {0};
    static const uint8_t spa[4] = {192, 168, 0, 114}, tpa[4] = {192, 168, 0, 1};
    (void)state;
    pkt_reset(arp_request, sizeof(arp_request));
    assert_int_equal(decode_arp(&ctx, &pkt, arp_request, sizeof(arp_request)), DECODE_OK);
    assert_true(pkt.has_arp);
    assert_int_equal(pkt.arp.op, 1);
    assert_memory_equal(pkt.arp.sha, sha, 6);
    assert_memory_equal(pkt.arp.spa, spa, 4);
    assert_memory_equal(pkt.arp.tha, tha, 6);
    assert_memory_equal(pkt.arp.tpa, tpa, 4);
    assert_false(pkt.malformed);
    assert_int_equal(events_total(), 0);
}

/* A reply in a minimum-size (60-byte) Ethernet frame: 18 bytes of padding
 * follow the 28-byte message and are ignored. */
static void test_arp_reply_in_ethernet(void **state)
{
    /* clang-format off */
    static const uint8_t f[] = {
        MAC_A,              /* destination MAC */
        MAC_B,              /* source MAC */
        0x08, 0x06,         /* ethertype ARP */
        0x00, 0x01,         /* hardware type Ethernet */
        0x08, 0x00,         /* protocol type IPv4 */
        0x06, 0x04,         /* address lengths 6 and 4 */
        0x00, 0x02,         /* opcode 2: reply */
        MAC_B,              /* sender MAC */
        192, 168, 0, 1,     /* sender IP */
        MAC_A,              /* target MAC */
        192, 168, 0, 114,   /* target IP */
        0, 0, 0, 0, 0, 0, 0, 0, 0, /* padding, 18 bytes */
        0, 0, 0, 0, 0, 0, 0, 0, 0,
    };
    /* clang-format on */
    static const uint8_t sha[6] = {MAC_B}, spa[4] = {192, 168, 0, 1};
    (void)state;
    assert_int_equal(sizeof(f), 60);
    pkt_reset(f, sizeof(f));
    pkt.linktype = LINKTYPE_ETHERNET;
    assert_int_equal(decode_packet(&ctx, &pkt), DECODE_OK);
    assert_true(pkt.has_eth);
    assert_int_equal(pkt.ethertype, ETHERTYPE_ARP);
    assert_true(pkt.has_arp);
    assert_int_equal(pkt.arp.op, 2);
    assert_memory_equal(pkt.arp.sha, sha, 6);
    assert_memory_equal(pkt.arp.spa, spa, 4);
    assert_int_equal(pkt.layer_count, 0);
    assert_false(pkt.malformed);
    assert_int_equal(events_total(), 0);
}

/* ARP behind an 802.1Q tag is still the LAN's ARP. */
static void test_arp_in_vlan(void **state)
{
    /* clang-format off */
    uint8_t f[14 + 4 + sizeof(arp_request)] = {
        MAC_A,      /* destination MAC */
        MAC_B,      /* source MAC */
        0x81, 0x00, /* TPID 802.1Q */
        0x00, 0x0a, /* VLAN 10 */
        0x08, 0x06, /* ethertype ARP */
    };
    /* clang-format on */
    (void)state;
    memcpy(f + 18, arp_request, sizeof(arp_request));
    pkt_reset(f, sizeof(f));
    assert_int_equal(decode_ethernet(&ctx, &pkt, f, sizeof(f)), DECODE_OK);
    assert_true(pkt.has_arp);
    assert_int_equal(pkt.vlan_count, 1);
    assert_int_equal(pkt.ethertype, ETHERTYPE_ARP);
    assert_false(pkt.malformed);
}

/* Pins both length checks: the 8-byte fixed part (7 is short) and the
 * 28-byte Ethernet/IPv4 message (27 is short, 28 is enough). */
static void test_arp_boundaries(void **state)
{
    (void)state;
    pkt_reset(arp_request, 28);
    assert_int_equal(decode_arp(&ctx, &pkt, arp_request, 28), DECODE_OK);
    assert_true(pkt.has_arp);

    pkt_reset(arp_request, 27);
    assert_int_equal(decode_arp(&ctx, &pkt, arp_request, 27), DECODE_ERR);
    assert_false(pkt.has_arp);
    assert_int_equal(ctx.events[DEV_ARP_TOO_SMALL], 1);
    assert_true(pkt.malformed);

    pkt_reset(arp_request, 8);
    assert_int_equal(decode_arp(&ctx, &pkt, arp_request, 8), DECODE_ERR);
    assert_int_equal(ctx.events[DEV_ARP_TOO_SMALL], 1);

    pkt_reset(arp_request, 7);
    assert_int_equal(decode_arp(&ctx, &pkt, arp_request, 7), DECODE_ERR);
    assert_int_equal(ctx.events[DEV_ARP_TOO_SMALL], 1);
    assert_false(pkt.has_arp);

    /* Cut by the snaplen rather than sent short: counted, not malformed. */
    pkt_reset(arp_request, 20);
    pkt.wirelen = 60;
    assert_int_equal(decode_arp(&ctx, &pkt, arp_request, 20), DECODE_ERR);
    assert_int_equal(ctx.events[DEV_ARP_TOO_SMALL], 1);
    assert_false(pkt.malformed);
}

static void test_arp_every_prefix(void **state)
{
    (void)state;
    for (uint32_t n = 0; n <= sizeof(arp_request); n++) {
        uint8_t *copy = malloc(n ? n : 1);
        memcpy(copy, arp_request, n);
        pkt_reset(copy, n);
        int rc = decode_arp(&ctx, &pkt, copy, n);
        if (n < 28) {
            assert_int_equal(rc, DECODE_ERR);
            assert_false(pkt.has_arp);
            assert_int_equal(ctx.events[DEV_ARP_TOO_SMALL], 1);
            assert_true(pkt.malformed);
        } else {
            assert_int_equal(rc, DECODE_OK);
            assert_true(pkt.has_arp);
            assert_false(pkt.malformed);
        }
        free(copy);
    }
}

/* Other hardware or protocol types are legal: counted, not malformed. */
static void test_arp_unsupported_types(void **state)
{
    /* clang-format off */
    static const uint8_t ieee802[] = {
        0x00, 0x06,             /* hardware type IEEE 802 */
        0x08, 0x00,             /* protocol type IPv4 */
        0x06, 0x04,             /* address lengths */
        0x00, 0x01,             /* request */
        MAC_A, 10, 0, 0, 1,     /* sender */
        0, 0, 0, 0, 0, 0, 10, 0, 0, 2, /* target */
    };
    /* clang-format on */
    /* clang-format off */
    static const uint8_t ipv6_proto[] = {
        0x00, 0x01, /* hardware type Ethernet */
        0x86, 0xdd, /* protocol type IPv6: not something ARP resolves */
        0x06, 0x10, /* address lengths 6 and 16 */
        0x00, 0x01, /* request */
    };
    /* clang-format on */
    (void)state;
    pkt_reset(ieee802, sizeof(ieee802));
    assert_int_equal(decode_arp(&ctx, &pkt, ieee802, sizeof(ieee802)), DECODE_OK);
    assert_false(pkt.has_arp);
    assert_int_equal(ctx.events[DEV_ARP_UNSUPPORTED], 1);
    assert_false(pkt.malformed);

    /* Only the 8-byte fixed part is needed to tell. */
    pkt_reset(ipv6_proto, sizeof(ipv6_proto));
    assert_int_equal(decode_arp(&ctx, &pkt, ipv6_proto, sizeof(ipv6_proto)), DECODE_OK);
    assert_false(pkt.has_arp);
    assert_int_equal(ctx.events[DEV_ARP_UNSUPPORTED], 1);
    assert_false(pkt.malformed);
}

/* Ethernet/IPv4 that declares other address lengths contradicts itself. */
static void test_arp_bad_lengths(void **state)
{
    uint8_t m[sizeof(arp_request)];
    (void)state;
    memcpy(m, arp_request, sizeof(m));
    m[4] = 8; /* hardware address length 8 for Ethernet */
    pkt_reset(m, sizeof(m));
    assert_int_equal(decode_arp(&ctx, &pkt, m, sizeof(m)), DECODE_ERR);
    assert_false(pkt.has_arp);
    assert_int_equal(ctx.events[DEV_ARP_UNSUPPORTED], 1);
    assert_true(pkt.malformed);

    memcpy(m, arp_request, sizeof(m));
    m[5] = 16; /* protocol address length 16 for IPv4 */
    pkt_reset(m, sizeof(m));
    assert_int_equal(decode_arp(&ctx, &pkt, m, sizeof(m)), DECODE_ERR);
    assert_true(pkt.malformed);
}

/* Opcodes other than request/reply (RARP 3/4, InARP 8/9) keep the format. */
static void test_arp_other_opcode(void **state)
{
    uint8_t m[sizeof(arp_request)];
    (void)state;
    memcpy(m, arp_request, sizeof(m));
    m[7] = 3; /* RARP request */
    pkt_reset(m, sizeof(m));
    assert_int_equal(decode_arp(&ctx, &pkt, m, sizeof(m)), DECODE_OK);
    assert_true(pkt.has_arp);
    assert_int_equal(pkt.arp.op, 3);
}

/* ---- Real captures ---- */

struct arp_stats {
    unsigned packets, arp, malformed, requests, replies;
};

/* Decodes a capture; `first` receives the first ARP seen. Returns -1 when the
 * file is absent. */
static int run_capture(const char *rel, struct arp_stats *st, struct arp_info *first)
{
    struct pcap_pkthdr *h;
    const u_char *data;
    pcap_t *pc = decode_test_pcap_open(rel);

    if (!pc)
        return -1;
    memset(st, 0, sizeof(*st));
    while (pcap_next_ex(pc, &h, &data) == 1) {
        memset(&pkt, 0, sizeof(pkt));
        pkt.data = data;
        pkt.caplen = h->caplen;
        pkt.wirelen = h->len;
        pkt.linktype = pcap_datalink(pc);
        st->packets++;
        assert_int_equal(decode_packet(&ctx, &pkt), DECODE_OK);
        st->malformed += pkt.malformed;
        if (pkt.has_arp) {
            if (st->arp++ == 0 && first)
                *first = pkt.arp;
            st->requests += pkt.arp.op == 1;
            st->replies += pkt.arp.op == 2;
        }
    }
    pcap_close(pc);
    return 0;
}

static void test_cap_gratuitous(void **state)
{
    static const uint8_t sha[6] = {0x00, 0x03, 0x47, 0xb7, 0xf2, 0xf5};
    static const uint8_t spa[4] = {24, 6, 125, 19};
    struct arp_stats st;
    struct arp_info a;
    (void)state;
    if (run_capture("discovery/arp_gratuitous.pcapng", &st, &a) < 0)
        skip();
    assert_int_equal(st.packets, 1);
    assert_int_equal(st.arp, 1);
    assert_int_equal(st.malformed, 0);
    assert_memory_equal(a.sha, sha, 6);
    assert_memory_equal(a.spa, spa, 4);
    assert_memory_equal(a.tpa, spa, 4); /* gratuitous: asks for itself */
    assert_int_equal(events_total(), 0);
}

static void test_cap_resolution(void **state)
{
    static const uint8_t sha[6] = {MAC_A}, spa[4] = {192, 168, 0, 114};
    static const uint8_t tpa[4] = {192, 168, 0, 1};
    struct arp_stats st;
    struct arp_info a;
    (void)state;
    if (run_capture("discovery/arp_resolution.pcapng", &st, &a) < 0)
        skip();
    assert_int_equal(st.packets, 2);
    assert_int_equal(st.arp, 2);
    assert_int_equal(st.requests, 1);
    assert_int_equal(st.replies, 1);
    assert_int_equal(st.malformed, 0);
    assert_int_equal(a.op, 1);
    assert_memory_equal(a.sha, sha, 6);
    assert_memory_equal(a.spa, spa, 4);
    assert_memory_equal(a.tpa, tpa, 4);
    /* The reply (decoded last) comes from the D-Link router. */
    static const uint8_t router[6] = {MAC_B};
    assert_int_equal(pkt.arp.op, 2);
    assert_memory_equal(pkt.arp.sha, router, 6);
}

/* An ARP sweep: hundreds of requests, none malformed. */
static void test_cap_arp_scan(void **state)
{
    struct arp_stats st;
    (void)state;
    if (run_capture("scan/test8-malicious.pcap", &st, NULL) < 0)
        skip();
    assert_true(st.arp >= 519);
    assert_int_equal(st.malformed, 0);
    assert_int_equal(ctx.events[DEV_ARP_TOO_SMALL], 0);
    assert_int_equal(ctx.events[DEV_ARP_UNSUPPORTED], 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_arp_request, setup, teardown),
        cmocka_unit_test_setup_teardown(test_arp_reply_in_ethernet, setup, teardown),
        cmocka_unit_test_setup_teardown(test_arp_in_vlan, setup, teardown),
        cmocka_unit_test_setup_teardown(test_arp_boundaries, setup, teardown),
        cmocka_unit_test_setup_teardown(test_arp_every_prefix, setup, teardown),
        cmocka_unit_test_setup_teardown(test_arp_unsupported_types, setup, teardown),
        cmocka_unit_test_setup_teardown(test_arp_bad_lengths, setup, teardown),
        cmocka_unit_test_setup_teardown(test_arp_other_opcode, setup, teardown),
        cmocka_unit_test_setup_teardown(test_cap_gratuitous, setup, teardown),
        cmocka_unit_test_setup_teardown(test_cap_resolution, setup, teardown),
        cmocka_unit_test_setup_teardown(test_cap_arp_scan, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
