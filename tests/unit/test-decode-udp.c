/* test-decode-udp.c - UDP header and length, VXLAN and Teredo hand-off. */
#include "decode-test-util.h"

/* DNS-sized UDP: header plus 6 bytes of payload. */
static const uint8_t dgram[] = {
    0xe1, 0x10,             /* sport 57616 */
    0x00, 0x35,             /* dport 53 */
    0x00, 0x0e,             /* length 14 */
    0x00, 0x00,             /* checksum */
    'q', 'u', 'e', 'r', 'y', '?',
};

struct fx {
    struct decode_ctx ctx;
    struct packet pkt;
    struct ip_layer *l;
};

/* The UDP layer is pkt.layers[0], as decode_ipv4 would leave it; `wire` is
 * the IP payload length the IP header declared. */
static void fx_init(struct fx *f, uint32_t caplen, uint32_t wirelen, uint32_t wire)
{
    memset(f, 0, sizeof(*f));
    decode_test_ctx_init(&f->ctx);
    f->pkt.caplen = caplen;
    f->pkt.wirelen = wirelen;
    f->pkt.layer_count = 1;
    f->l = &f->pkt.layers[0];
    f->l->ip_version = 4;
    f->l->proto = 17;
    f->l->payload_wire_len = wire;
}

static void test_valid(void **state)
{
    struct fx f;
    (void)state;
    fx_init(&f, 100, 100, sizeof(dgram));
    assert_int_equal(decode_udp(&f.ctx, &f.pkt, f.l, dgram, sizeof(dgram)), DECODE_OK);
    assert_true(f.l->l4_ok);
    assert_int_equal(f.l->sport, 57616);
    assert_int_equal(f.l->dport, 53);
    assert_int_equal(f.l->payload_len, 6);
    assert_int_equal(f.l->payload_wire_len, 6);
    assert_memory_equal(f.l->payload, "query?", 6);
    assert_false(f.pkt.malformed);
    assert_int_equal(f.pkt.layer_count, 1);
    decode_ctx_release(&f.ctx);
}

static void test_length_field(void **state)
{
    uint8_t b[sizeof(dgram)];
    struct fx f;
    (void)state;
    memcpy(b, dgram, sizeof(b));

    /* Length 7: below the header (pins < 8 vs <= 8). */
    b[5] = 7;
    fx_init(&f, 100, 100, sizeof(b));
    decode_udp(&f.ctx, &f.pkt, f.l, b, sizeof(b));
    assert_int_equal(f.ctx.events[DEV_UDP_LEN_INVALID], 1);
    assert_true(f.pkt.malformed);
    /* The IP payload length is used instead. */
    assert_int_equal(f.l->payload_len, 6);
    decode_ctx_release(&f.ctx);

    /* Length 8: an empty datagram is legal. */
    b[5] = 8;
    fx_init(&f, 100, 100, sizeof(b));
    decode_udp(&f.ctx, &f.pkt, f.l, b, sizeof(b));
    assert_int_equal(f.ctx.events[DEV_UDP_LEN_INVALID], 0);
    assert_int_equal(f.l->payload_len, 0);
    assert_int_equal(f.l->payload_wire_len, 0);
    decode_ctx_release(&f.ctx);

    /* Length 15: one past the IP payload (pins > vs >=; 14 is valid). */
    b[5] = 15;
    fx_init(&f, 100, 100, sizeof(b));
    decode_udp(&f.ctx, &f.pkt, f.l, b, sizeof(b));
    assert_int_equal(f.ctx.events[DEV_UDP_LEN_INVALID], 1);
    assert_int_equal(f.l->payload_len, 6);
    decode_ctx_release(&f.ctx);

    /* Length 12 in a 14-byte IP payload: the surplus area (UDP options,
     * RFC 9868) is not payload and not an error. */
    b[5] = 12;
    fx_init(&f, 100, 100, sizeof(b));
    decode_udp(&f.ctx, &f.pkt, f.l, b, sizeof(b));
    assert_int_equal(f.ctx.events[DEV_UDP_LEN_INVALID], 0);
    assert_int_equal(f.l->payload_len, 4);
    decode_ctx_release(&f.ctx);

    /* Captured 10 of 14 bytes (snaplen): payload 2 captured, 6 on the wire. */
    fx_init(&f, 10, 14, sizeof(dgram));
    assert_int_equal(decode_udp(&f.ctx, &f.pkt, f.l, dgram, 10), DECODE_OK);
    assert_int_equal(f.l->payload_len, 2);
    assert_int_equal(f.l->payload_wire_len, 6);
    assert_false(f.pkt.malformed);
    decode_ctx_release(&f.ctx);
}

static void test_every_prefix(void **state)
{
    (void)state;
    for (uint32_t n = 0; n <= sizeof(dgram); n++) {
        struct fx f;
        uint8_t *copy = malloc(n ? n : 1);
        assert_non_null(copy);
        memcpy(copy, dgram, n);
        /* Prefix as a whole IP payload: the length field then exceeds it. */
        fx_init(&f, n, n, n);
        int rc = decode_udp(&f.ctx, &f.pkt, f.l, copy, n);
        assert_int_equal(rc == DECODE_OK, n >= 8);
        assert_int_equal(f.l->l4_ok, n >= 8);
        assert_int_equal(f.ctx.events[DEV_UDP_TOO_SMALL], n < 8 ? 1 : 0);
        assert_int_equal(f.ctx.events[DEV_UDP_LEN_INVALID], n >= 8 && n < 14 ? 1 : 0);
        assert_int_equal(f.pkt.malformed, n < 14);
        assert_int_equal(f.l->dport, n >= 4 ? 53 : 0);
        if (n >= 8)
            assert_int_equal(f.l->payload_len, n - 8);
        decode_ctx_release(&f.ctx);
        free(copy);
    }
}

/* UDP to port 4789 carrying VXLAN, an inner Ethernet frame and IPv4/UDP. */
static const uint8_t vxlan[] = {
    0xc0, 0x00, 0x12, 0xb5, /* sport 49152, dport 4789 */
    0x00, 0x3a, 0x00, 0x00, /* length 58, checksum */
    0x08, 0x00, 0x00, 0x00, /* VXLAN flags: I; reserved */
    0x00, 0x00, 0x2a, 0x00, /* VNI 42, reserved */
    0x02, 0, 0, 0, 0, 0x02, /* inner dst MAC */
    0x02, 0, 0, 0, 0, 0x01, /* inner src MAC */
    0x08, 0x00,             /* ethertype IPv4 */
    0x45, 0x00, 0x00, 0x1c, /* IPv4, total 28 */
    0x00, 0x01, 0x00, 0x00,
    0x40, 0x11, 0x00, 0x00, /* TTL 64, UDP */
    172, 16, 0, 1, 172, 16, 0, 2,
    0x00, 0x44, 0x00, 0x43, /* inner UDP 68 -> 67, */
    0x00, 0x08, 0x00, 0x00, /* length 8 */
};

static void test_vxlan(void **state)
{
    struct fx f;
    (void)state;
    fx_init(&f, 100, 100, sizeof(vxlan));
    assert_int_equal(decode_udp(&f.ctx, &f.pkt, f.l, vxlan, sizeof(vxlan)), DECODE_OK);
    assert_int_equal(f.pkt.layer_count, 2);
    assert_int_equal(f.pkt.layers[0].dport, 4789);
    assert_int_equal(f.pkt.layers[1].tunnel, TUNNEL_VXLAN);
    assert_int_equal(f.pkt.layers[1].dport, 67);
    assert_false(f.pkt.malformed);
    decode_ctx_release(&f.ctx);

    /* Port 0 switches VXLAN off: just a UDP flow. */
    fx_init(&f, 100, 100, sizeof(vxlan));
    f.ctx.cfg.vxlan_port = 0;
    assert_int_equal(decode_udp(&f.ctx, &f.pkt, f.l, vxlan, sizeof(vxlan)), DECODE_OK);
    assert_int_equal(f.pkt.layer_count, 1);
    decode_ctx_release(&f.ctx);
}

/* Teredo from a relay (sport 3544), origin indication, then IPv6 with no
 * next header. */
static const uint8_t teredo[] = {
    0x0d, 0xd8, 0xc0, 0x01, /* sport 3544, dport 49153 */
    0x00, 0x38, 0x00, 0x00, /* length 8 + 8 + 40 = 56 */
    0x00, 0x00,             /* origin indication */
    0x3f, 0xfe,             /* obfuscated port */
    0xbe, 0x65, 0x61, 0xaf, /* obfuscated address */
    0x60, 0x00, 0x00, 0x00, /* IPv6, payload 0, no next header, hlim 21 */
    0x00, 0x00, 0x3b, 0x15,
    0x20, 0x01, 0x00, 0x00, 0x41, 0x37, 0x9e, 0x50, 0, 0, 0, 0, 0, 0, 0, 1,
    0x20, 0x01, 0x00, 0x00, 0x41, 0x37, 0x9e, 0x50, 0, 0, 0, 0, 0, 0, 0, 2,
};

static void test_teredo(void **state)
{
    uint8_t b[sizeof(teredo) + 14];
    struct fx f;
    (void)state;
    fx_init(&f, 100, 100, sizeof(teredo));
    assert_int_equal(decode_udp(&f.ctx, &f.pkt, f.l, teredo, sizeof(teredo)), DECODE_OK);
    assert_int_equal(f.pkt.layer_count, 2);
    assert_int_equal(f.pkt.layers[1].tunnel, TUNNEL_TEREDO);
    assert_int_equal(f.pkt.layers[1].ip_version, 6);
    assert_int_equal(f.pkt.layers[1].ttl, 0x15);
    assert_false(f.pkt.malformed);
    decode_ctx_release(&f.ctx);

    /* Authentication indication in front: type 1 (2), id length 1 (1), auth
     * length 0 (1), one id byte, nonce (8), confirmation (1) = 14 bytes. */
    static const uint8_t auth[14] = {0x00, 0x01, 0x01, 0x00, 0xaa, 1, 2, 3, 4, 5, 6, 7, 8, 0};
    memcpy(b, teredo, 8);
    memcpy(b + 8, auth, sizeof(auth));
    memcpy(b + 8 + sizeof(auth), teredo + 8, sizeof(teredo) - 8);
    b[5] = (uint8_t)(sizeof(b));
    fx_init(&f, 100, 100, sizeof(b));
    assert_int_equal(decode_udp(&f.ctx, &f.pkt, f.l, b, sizeof(b)), DECODE_OK);
    assert_int_equal(f.pkt.layer_count, 2);
    assert_int_equal(f.pkt.layers[1].tunnel, TUNNEL_TEREDO);
    decode_ctx_release(&f.ctx);

    /* The IPv6 length disagrees with the datagram: not Teredo, plain UDP. */
    memcpy(b, teredo, sizeof(teredo));
    b[21] = 4; /* payload length 4 */
    fx_init(&f, 100, 100, sizeof(teredo));
    assert_int_equal(decode_udp(&f.ctx, &f.pkt, f.l, b, sizeof(teredo)), DECODE_OK);
    assert_int_equal(f.pkt.layer_count, 1);
    assert_false(f.pkt.malformed);
    decode_ctx_release(&f.ctx);

    /* Every prefix of a Teredo datagram: no crash, never a bogus layer. */
    for (uint32_t n = 0; n <= sizeof(teredo); n++) {
        uint8_t *copy = malloc(n ? n : 1);
        assert_non_null(copy);
        memcpy(copy, teredo, n);
        fx_init(&f, n, n, n);
        decode_udp(&f.ctx, &f.pkt, f.l, copy, n);
        assert_true(f.pkt.layer_count == 1 || n == sizeof(teredo));
        decode_ctx_release(&f.ctx);
        free(copy);
    }
}

static void test_pcap_teredo(void **state)
{
    struct decode_ctx ctx;
    struct pcap_pkthdr *h;
    const u_char *data;
    uint64_t n = 0, teredo_layers = 0, malformed = 0;
    pcap_t *pc = decode_test_pcap_open("ipv6-encap/Teredo.pcap");
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
        for (unsigned i = 0; i < pkt.layer_count; i++)
            teredo_layers += pkt.layers[i].tunnel == TUNNEL_TEREDO;
    }
    pcap_close(pc);
    /* tshark: 4 frames on UDP 3544, all Teredo (2 with an authentication
     * indication, 2 with an origin indication). */
    assert_int_equal(n, 78);
    assert_int_equal(teredo_layers, 4);
    assert_int_equal(malformed, 0);
    decode_ctx_release(&ctx);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_valid),
        cmocka_unit_test(test_length_field),
        cmocka_unit_test(test_every_prefix),
        cmocka_unit_test(test_vxlan),
        cmocka_unit_test(test_teredo),
        cmocka_unit_test(test_pcap_teredo),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
