/* test-scenario.c - the scenario generator: every scenario writes a valid
 * classic pcap, byte-identical for the same seed, with correct checksums,
 * consistent TCP sequence numbers and per-host increasing IPv4 ids. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "decode/decode.h"
#include "scenario/pcap-writer.h"
#include "scenario/scenario.h"
#include "scenario/scn-build.h"
#include "util/util.h"

struct blob {
    uint8_t *p;
    size_t len;
};

static void gen(const char *name, const struct scenario_opts *o, struct blob *out)
{
    char path[] = "/tmp/mamori-test-scenario.XXXXXX";
    int fd = mkstemp(path);
    assert_true(fd >= 0);
    close(fd);
    const struct scenario *sc = scenario_find(name);
    assert_non_null(sc);
    uint64_t n = 0;
    assert_int_equal(scenario_write(sc, o, path, &n), 0);
    FILE *fp = fopen(path, "rb");
    assert_non_null(fp);
    fseek(fp, 0, SEEK_END);
    long sz = ftell(fp);
    fseek(fp, 0, SEEK_SET);
    out->p = xmalloc((size_t)sz);
    out->len = fread(out->p, 1, (size_t)sz, fp);
    assert_int_equal(out->len, (size_t)sz);
    fclose(fp);
    unlink(path);
}

static uint32_t le32(const uint8_t *p)
{
    uint32_t v;
    memcpy(&v, p, 4); /* the writer uses host order */
    return v;
}

static uint16_t be16(const uint8_t *p)
{
    return (uint16_t)(p[0] << 8 | p[1]);
}

static uint32_t be32(const uint8_t *p)
{
    return (uint32_t)be16(p) << 16 | be16(p + 2);
}

/* RFC 1071 sum over data plus a pseudo-header sum; 0xffff means valid when
 * the checksum field is included. */
static uint32_t sum16(const uint8_t *p, size_t n, uint32_t s)
{
    size_t i;
    for (i = 0; i + 1 < n; i += 2)
        s += (uint32_t)(p[i] << 8 | p[i + 1]);
    if (i < n)
        s += (uint32_t)p[i] << 8;
    while (s >> 16)
        s = (s & 0xffff) + (s >> 16);
    return s;
}

/* ---------------------------------------------------------------- checks */

struct tcp_dir {
    uint8_t key[37]; /* version, src, dst, sport, dport */
    uint32_t next;   /* next expected sequence number */
};

struct stats {
    uint64_t packets, ipv4, ipv6, tcp, udp, icmp, frags, arp, checked_l4;
    uint64_t tcp_seq_errors;
    struct tcp_dir *dirs;
    size_t ndirs, cap;
    uint16_t last_id[256]; /* per 192.168.10.x host */
    bool have_id[256];
    uint64_t id_errors;
};

static struct tcp_dir *tcp_dir_find(struct stats *st, const uint8_t *key)
{
    for (size_t i = st->ndirs; i-- > 0;)
        if (memcmp(st->dirs[i].key, key, sizeof(st->dirs[i].key)) == 0)
            return &st->dirs[i];
    if (st->ndirs == st->cap) {
        st->cap = st->cap ? st->cap * 2 : 256;
        st->dirs = xrealloc(st->dirs, st->cap * sizeof(*st->dirs));
    }
    struct tcp_dir *d = &st->dirs[st->ndirs++];
    memcpy(d->key, key, sizeof(d->key));
    d->next = 0;
    return d;
}

static void check_tcp(struct stats *st, const uint8_t *key, const uint8_t *t, size_t len)
{
    uint8_t flags = t[13];
    size_t hl = (size_t)(t[12] >> 4) * 4;
    uint32_t seq = be32(t + 4);
    assert_true(hl >= 20 && hl <= len);
    uint32_t adv =
        (uint32_t)(len - hl) + ((flags & SCN_TH_SYN) ? 1 : 0) + ((flags & SCN_TH_FIN) ? 1 : 0);
    struct tcp_dir *d = tcp_dir_find(st, key);
    /* Spoofed floods have no state; RSTs after a refused SYN carry seq 0. */
    if ((flags & SCN_TH_SYN) && !(flags & SCN_TH_ACK)) {
        d->next = seq + 1;
        return;
    }
    if (flags & SCN_TH_SYN) {
        d->next = seq + 1;
        return;
    }
    if (d->next && seq != d->next && !(flags & SCN_TH_RST))
        st->tcp_seq_errors++;
    d->next = seq + adv;
}

static void check_l3(struct stats *st, const uint8_t *p, size_t len, uint16_t type, int depth);

static void check_eth(struct stats *st, const uint8_t *p, size_t len, int depth)
{
    assert_true(len >= 14);
    size_t off = 12;
    uint16_t type = be16(p + off);
    while (type == 0x8100 || type == 0x88a8) {
        off += 4;
        assert_true(len >= off + 2);
        type = be16(p + off);
    }
    off += 2;
    check_l3(st, p + off, len - off, type, depth);
}

static void check_ipv4(struct stats *st, const uint8_t *p, size_t len, int depth)
{
    assert_true(len >= 20);
    size_t hl = (size_t)(p[0] & 0xf) * 4;
    size_t tot = be16(p + 2);
    assert_int_equal(p[0] >> 4, 4);
    assert_true(hl >= 20 && tot >= hl && tot <= len);
    assert_int_equal(sum16(p, hl, 0), 0xffff); /* header checksum */
    st->ipv4++;
    const uint8_t *l4 = p + hl;
    size_t l4len = tot - hl;
    uint16_t frag = be16(p + 6);
    uint8_t proto = p[9];
    if (p[12] == 192 && p[13] == 168 && p[14] == 10 && depth == 0 && !(frag & 0x3fff)) {
        uint8_t h = p[15];
        uint16_t id = be16(p + 4);
        if (st->have_id[h] && (uint16_t)(id - st->last_id[h]) == 0)
            st->id_errors++;
        if (st->have_id[h] && (uint16_t)(id - st->last_id[h]) > 32768)
            st->id_errors++;
        st->last_id[h] = id;
        st->have_id[h] = true;
    }
    if (frag & 0x3fff) { /* a fragment: the transport checksum spans the datagram */
        st->frags++;
        return;
    }
    uint32_t ph = sum16(p + 12, 8, 0) + proto + (uint32_t)l4len;
    switch (proto) {
    case 6: {
        uint8_t key[37] = {4};
        memcpy(key + 1, p + 12, 4);
        memcpy(key + 17, p + 16, 4);
        assert_true(l4len >= 20);
        memcpy(key + 33, l4, 4);
        assert_int_equal(sum16(l4, l4len, ph), 0xffff);
        st->tcp++;
        st->checked_l4++;
        check_tcp(st, key, l4, l4len);
        break;
    }
    case 17:
        assert_true(l4len >= 8);
        assert_int_equal(be16(l4 + 4), l4len);
        if (be16(l4 + 6) != 0) {
            assert_int_equal(sum16(l4, l4len, ph), 0xffff);
            st->checked_l4++;
        }
        st->udp++;
        if (be16(l4 + 2) == 4789)
            check_eth(st, l4 + 16, l4len - 16, depth + 1);
        break;
    case 1:
        assert_int_equal(sum16(l4, l4len, 0), 0xffff);
        st->icmp++;
        st->checked_l4++;
        break;
    case 47:
        assert_true(l4len >= 4);
        check_l3(st, l4 + 4, l4len - 4, be16(l4 + 2), depth + 1);
        break;
    default:
        break;
    }
}

static void check_ipv6(struct stats *st, const uint8_t *p, size_t len, int depth)
{
    assert_true(len >= 40);
    size_t plen = be16(p + 4);
    assert_true(40 + plen <= len);
    st->ipv6++;
    uint8_t nh = p[6];
    const uint8_t *l4 = p + 40;
    if (nh == 44) {
        st->frags++;
        return;
    }
    uint32_t ph = sum16(p + 8, 32, 0) + nh + (uint32_t)plen;
    if (nh == 6 || nh == 17 || nh == 58) {
        assert_int_equal(sum16(l4, plen, ph), 0xffff);
        st->checked_l4++;
    }
    if (nh == 6) {
        uint8_t key[37] = {6};
        memcpy(key + 1, p + 8, 32);
        memcpy(key + 33, l4, 4);
        st->tcp++;
        check_tcp(st, key, l4, plen);
    }
    (void)depth;
}

static void check_l3(struct stats *st, const uint8_t *p, size_t len, uint16_t type, int depth)
{
    assert_true(depth < 4);
    if (type == 0x0800)
        check_ipv4(st, p, len, depth);
    else if (type == 0x86dd)
        check_ipv6(st, p, len, depth);
    else if (type == 0x0806)
        st->arp++;
}

/* Walks the file: header, record lengths, time order, then each frame. */
static void check_pcap(const struct blob *b, struct stats *st)
{
    memset(st, 0, sizeof(*st));
    assert_true(b->len >= 24);
    assert_int_equal(le32(b->p), PCAP_MAGIC_USEC);
    assert_int_equal(b->p[4] | b->p[5] << 8, 2); /* version 2.4, host order (LE here) */
    assert_int_equal(le32(b->p + 16), PCAP_DEFAULT_SNAPLEN);
    assert_int_equal(le32(b->p + 20), PCAP_LINKTYPE_ETHERNET);
    size_t off = 24;
    uint64_t last = 0;
    while (off < b->len) {
        assert_true(b->len - off >= 16);
        uint64_t ts = (uint64_t)le32(b->p + off) * 1000000u + le32(b->p + off + 4);
        uint32_t caplen = le32(b->p + off + 8), wire = le32(b->p + off + 12);
        assert_true(le32(b->p + off + 4) < 1000000u);
        assert_int_equal(caplen, wire);
        assert_true(caplen >= 60 && caplen <= 9018);
        assert_true(b->len - off - 16 >= caplen);
        assert_true(ts >= last);
        assert_true(ts >= SCN_EPOCH_US - 3600 * SCN_SEC && ts < SCN_EPOCH_US + 86400 * SCN_SEC);
        last = ts;
        check_eth(st, b->p + off + 16, caplen, 0);
        st->packets++;
        off += 16 + caplen;
    }
    assert_int_equal(off, b->len);
}

static void stats_free(struct stats *st)
{
    free(st->dirs);
    st->dirs = NULL;
}

/* ----------------------------------------------------------------- tests */

static void test_table(void **state)
{
    (void)state;
    size_t n = 0;
    for (; scenario_get(n); n++) {
        const struct scenario *sc = scenario_get(n);
        assert_non_null(sc->description);
        assert_ptr_equal(scenario_find(sc->name), sc);
    }
    assert_true(n >= 16);
    assert_null(scenario_find("no-such"));
    assert_null(scenario_get(n)); /* pins the end of the table */
}

static void test_empty(void **state)
{
    struct scenario_opts o = {.seed = 1};
    struct blob b;
    struct stats st;
    (void)state;
    gen("empty", &o, &b);
    assert_int_equal(b.len, 24); /* header only */
    check_pcap(&b, &st);
    assert_int_equal(st.packets, 0);
    free(b.p);
}

static void test_tiny(void **state)
{
    struct scenario_opts o = {.seed = 1};
    struct blob b;
    struct stats st;
    (void)state;
    gen("tiny", &o, &b);
    check_pcap(&b, &st);
    /* ARP pair + DNS pair + 8 TCP segments (see gen_tiny) */
    assert_int_equal(st.packets, 12);
    assert_int_equal(st.arp, 2);
    assert_int_equal(st.udp, 2);
    assert_int_equal(st.tcp, 8);
    assert_int_equal(st.tcp_seq_errors, 0);
    /* 24 + 12 * 16 record headers + frames: 60+60, 75+91, 66+66+60+132+132+60+60+60 */
    assert_int_equal(b.len, 24 + 12 * 16 + 120 + 166 + 636);
    stats_free(&st);
    free(b.p);
}

static void test_office(void **state)
{
    struct scenario_opts o = {.seed = 1};
    struct blob b;
    struct stats st;
    (void)state;
    gen("office", &o, &b);
    check_pcap(&b, &st);
    assert_in_range(st.packets, 3000, 100000);
    assert_in_range(b.len, 1000000, 30000000);
    assert_true(st.arp > 10 && st.udp > 100 && st.tcp > 1000 && st.icmp >= 8 && st.ipv6 >= 4);
    assert_int_equal(st.tcp_seq_errors, 0);
    assert_int_equal(st.id_errors, 0);
    stats_free(&st);
    free(b.p);
}

static void test_office_options(void **state)
{
    struct scenario_opts small = {.seed = 3, .hosts = 2, .minutes = 5};
    struct scenario_opts big = {.seed = 3, .hosts = 14, .minutes = 20};
    struct blob a, b;
    struct stats sa, sb;
    (void)state;
    gen("office", &small, &a);
    gen("office", &big, &b);
    check_pcap(&a, &sa);
    check_pcap(&b, &sb);
    assert_true(sa.packets > 100);
    assert_true(sb.packets > sa.packets);
    assert_int_equal(sb.tcp_seq_errors, 0);
    assert_int_equal(sb.id_errors, 0);
    stats_free(&sa);
    stats_free(&sb);
    free(a.p);
    free(b.p);
}

static void test_flood(void **state)
{
    struct scenario_opts o = {.seed = 1, .packets = 5000};
    struct blob b;
    struct stats st;
    (void)state;
    gen("flood", &o, &b);
    check_pcap(&b, &st);
    assert_int_equal(st.packets, 5000);
    assert_int_equal(st.tcp, 5000);
    assert_int_equal(b.len, 24 + 5000 * (16 + 60)); /* bare SYN 54 B, padded */
    stats_free(&st);
    free(b.p);
}

static void test_frag(void **state)
{
    struct scenario_opts o = {.seed = 1};
    struct blob b;
    struct stats st;
    (void)state;
    gen("frag", &o, &b);
    check_pcap(&b, &st);
    assert_int_equal(st.packets, 21);
    /* every fragment frame (MF or an offset; IPv6 Fragment header): three
     * IPv4 datagrams and three IPv6 ones of 3 fragments each */
    assert_int_equal(st.frags, 9 + 9);
    stats_free(&st);
    free(b.p);
}

static void test_tunnels(void **state)
{
    struct scenario_opts o = {.seed = 1};
    struct blob b;
    struct stats st;
    (void)state;
    gen("tunnels", &o, &b);
    check_pcap(&b, &st);
    assert_int_equal(st.packets, 48); /* 6 encapsulations x 8 segments */
    assert_int_equal(st.tcp, 48);     /* inner TCP reached through every tunnel */
    assert_int_equal(st.tcp_seq_errors, 0);
    stats_free(&st);
    free(b.p);
}

static void test_determinism(void **state)
{
    static const char *const names[] = {"tiny", "office", "frag", "tunnels", "flood"};
    (void)state;
    for (size_t i = 0; i < ARRAY_SIZE(names); i++) {
        struct scenario_opts o = {.seed = 42, .hosts = 3, .minutes = 6, .packets = 2000};
        struct blob a, b, c;
        gen(names[i], &o, &a);
        gen(names[i], &o, &b);
        assert_int_equal(a.len, b.len);
        assert_memory_equal(a.p, b.p, a.len);
        o.seed = 43;
        gen(names[i], &o, &c);
        assert_true(a.len != c.len || memcmp(a.p, c.p, a.len) != 0);
        free(a.p);
        free(b.p);
        free(c.p);
    }
}

static void test_rng(void **state)
{
    struct scn_rng a, b;
    (void)state;
    scn_rng_seed(&a, 7);
    scn_rng_seed(&b, 7);
    for (int i = 0; i < 100; i++)
        assert_int_equal(scn_rng_next(&a), scn_rng_next(&b));
    for (int i = 0; i < 1000; i++) {
        uint64_t v = scn_rng_range(&a, 5, 9);
        assert_in_range(v, 5, 9); /* inclusive at both ends */
    }
    assert_int_equal(scn_rng_range(&a, 9, 9), 9); /* empty span */
    assert_int_equal(scn_rng_range(&a, 9, 3), 9); /* hi < lo returns lo */
}

static void test_write_error(void **state)
{
    struct scenario_opts o = {.seed = 1};
    (void)state;
    assert_int_equal(scenario_write(scenario_find("tiny"), &o, "/nonexistent-dir/x.pcap", NULL),
                     -1);
    /* /dev/full accepts the open and fails the write: must be reported */
    if (access("/dev/full", W_OK) == 0)
        assert_int_equal(scenario_write(scenario_find("office"), &o, "/dev/full", NULL), -1);
}

/* ------------------------------------------------------ app-* scenarios */

/* Runs every frame through the project's decoder: the app fixtures must be
 * clean at the packet layers (their anomalies are in the streams). Returns
 * the number of frames; fails on any decode event. */
static uint64_t decode_all(const struct blob *b)
{
    struct decode_config cfg;
    struct decode_ctx ctx;
    uint64_t n = 0;
    size_t off = 24;

    decode_config_defaults(&cfg);
    decode_ctx_init(&ctx, &cfg);
    while (off + 16 <= b->len) {
        struct packet pkt;
        uint32_t caplen = le32(b->p + off + 8);
        memset(&pkt, 0, sizeof(pkt));
        pkt.ts_us = (uint64_t)le32(b->p + off) * 1000000u + le32(b->p + off + 4);
        ctx.now_us = pkt.ts_us;
        pkt.num = ++n;
        pkt.caplen = pkt.wirelen = caplen;
        pkt.linktype = LINKTYPE_ETHERNET;
        pkt.data = b->p + off + 16;
        assert_int_equal(decode_packet(&ctx, &pkt), DECODE_OK);
        if (pkt.malformed)
            fail_msg("frame %llu decodes as malformed", (unsigned long long)n);
        off += 16 + caplen;
    }
    for (size_t i = 0; i < DEV_MAX; i++)
        if (ctx.events[i])
            fail_msg("decode event %zu raised %llu times", i, (unsigned long long)ctx.events[i]);
    decode_ctx_release(&ctx);
    return n;
}

struct app_expect {
    const char *name;
    uint64_t min_tcp, min_udp;
    bool seq_clean; /* app-stream reorders and loses segments on purpose */
};

static void test_app_scenarios(void **state)
{
    static const struct app_expect want[] = {
        /* IPv4 UDP only: the DHCPv6 exchange is not counted */
        {"app-dns", 8, 30, true},    {"app-dhcp", 0, 6, true},   {"app-tls", 100, 0, true},
        {"app-http", 40, 0, true},   {"app-mail", 150, 0, true}, {"app-ssh", 80, 0, true},
        {"app-smb", 20, 0, true},    {"app-quic", 0, 10, true},  {"app-rdp", 15, 0, true},
        {"app-stream", 90, 0, false},
    };
    (void)state;
    for (size_t i = 0; i < ARRAY_SIZE(want); i++) {
        struct scenario_opts o = {.seed = 1};
        struct blob a, b;
        struct stats st;
        gen(want[i].name, &o, &a);
        gen(want[i].name, &o, &b);
        /* deterministic: the same seed gives the same bytes */
        assert_int_equal(a.len, b.len);
        assert_memory_equal(a.p, b.p, a.len);
        check_pcap(&a, &st);
        assert_true(st.packets > 0);
        assert_true(st.tcp >= want[i].min_tcp);
        assert_true(st.udp >= want[i].min_udp);
        if (want[i].seq_clean)
            assert_int_equal(st.tcp_seq_errors, 0);
        else
            assert_true(st.tcp_seq_errors > 0);
        assert_int_equal(st.id_errors, 0);
        assert_int_equal(decode_all(&a), st.packets);
        stats_free(&st);
        free(a.p);
        free(b.p);
    }
}

/* The QUIC Initial must be protected as RFC 9001 says: the first client
 * packet is a long-header Initial of version 1 in a 1200-byte datagram,
 * with its first byte's low bits masked (so not always the plain 0xc1). */
static void test_app_quic_shape(void **state)
{
    struct scenario_opts o = {.seed = 1};
    struct blob b;
    (void)state;
    gen("app-quic", &o, &b);
    size_t off = 24;
    const uint8_t *f = b.p + off + 16;
    uint32_t caplen = le32(b.p + off + 8);
    assert_int_equal(caplen, 14 + 20 + 8 + 1200); /* Ethernet, IPv4, UDP, datagram */
    const uint8_t *q = f + 14 + 20 + 8;
    assert_int_equal(q[0] & 0xf0, 0xc0); /* long header, fixed bit, Initial */
    assert_int_equal(be32(q + 1), 1);
    assert_int_equal(q[5], 8); /* DCID length */
    free(b.p);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_table),       cmocka_unit_test(test_rng),
        cmocka_unit_test(test_empty),       cmocka_unit_test(test_tiny),
        cmocka_unit_test(test_office),      cmocka_unit_test(test_office_options),
        cmocka_unit_test(test_flood),       cmocka_unit_test(test_frag),
        cmocka_unit_test(test_tunnels),     cmocka_unit_test(test_determinism),
        cmocka_unit_test(test_write_error), cmocka_unit_test(test_app_scenarios),
        cmocka_unit_test(test_app_quic_shape),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
