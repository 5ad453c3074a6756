/* test-defrag.c - fragment reassembly: order, duplicates, overlaps, limits,
 * timeouts, IPv6, and real captures through the whole decoder. */
#include "decode-test-util.h"
#include "decode/defrag.h"

static const uint8_t src4[4] = {192, 0, 2, 1};
static const uint8_t dst4[4] = {192, 0, 2, 2};

struct fx {
    struct decode_ctx ctx;
    struct packet pkt;
    struct ip_addr src, dst;
    const uint8_t *out;
    uint32_t out_len, frames;
    uint64_t wire;
};

static void fx_init(struct fx *f, const struct decode_config *cfg)
{
    struct decode_config def;
    memset(f, 0, sizeof(*f));
    if (!cfg) {
        decode_config_defaults(&def);
        cfg = &def;
    }
    decode_ctx_init(&f->ctx, cfg);
    ip_addr_from_v4(&f->src, src4);
    ip_addr_from_v4(&f->dst, dst4);
}

static void fx_release(struct fx *f)
{
    decode_ctx_release(&f->ctx);
}

/* Adds one IPv4 fragment of `id`; the frame is `wirelen` bytes at `ts_s`. */
static int add4(struct fx *f, uint64_t ts_s, uint32_t id, uint32_t off, int more,
                const uint8_t *data, uint32_t len, uint32_t wirelen)
{
    f->pkt.ts_us = ts_s * 1000000u;
    f->pkt.wirelen = wirelen;
    f->pkt.caplen = wirelen;
    f->pkt.malformed = false;
    return defrag_add(f->ctx.defrag, &f->ctx, &f->pkt, 4, &f->src, &f->dst, id, 1, off, more,
                      data, len, &f->out, &f->out_len, &f->frames, &f->wire);
}

/* 24 bytes of datagram: three 8-byte fragments with distinct contents. */
static uint8_t dgram[24];

static void fill_dgram(void)
{
    for (unsigned i = 0; i < sizeof(dgram); i++)
        dgram[i] = (uint8_t)(i * 7 + 1);
}

static void test_in_order(void **state)
{
    struct fx f;
    (void)state;
    fx_init(&f, NULL);
    fill_dgram();
    assert_int_equal(add4(&f, 1, 0x1234, 0, 1, dgram, 8, 100), 0);
    assert_int_equal(add4(&f, 1, 0x1234, 8, 1, dgram + 8, 8, 100), 0);
    assert_int_equal(defrag_trackers(f.ctx.defrag), 1);
    assert_true(defrag_mem_used(f.ctx.defrag) > 16);
    assert_int_equal(add4(&f, 1, 0x1234, 16, 0, dgram + 16, 8, 60), 1);
    assert_int_equal(f.out_len, 24);
    assert_memory_equal(f.out, dgram, 24);
    assert_int_equal(f.frames, 3);
    assert_int_equal(f.wire, 260);
    assert_int_equal(f.ctx.events[DEV_FRAG_REASSEMBLED], 1);
    /* Reassembly is good news: the completing packet is not malformed. */
    assert_false(f.pkt.malformed);
    assert_int_equal(defrag_trackers(f.ctx.defrag), 0);
    assert_int_equal(defrag_mem_used(f.ctx.defrag), 0);
    fx_release(&f);
}

static void test_out_of_order(void **state)
{
    struct fx f;
    (void)state;
    fx_init(&f, NULL);
    fill_dgram();
    /* Last first: the end is known before the start. */
    assert_int_equal(add4(&f, 1, 7, 16, 0, dgram + 16, 8, 60), 0);
    assert_int_equal(add4(&f, 1, 7, 0, 1, dgram, 8, 60), 0);
    assert_int_equal(add4(&f, 1, 7, 8, 1, dgram + 8, 8, 60), 1);
    assert_memory_equal(f.out, dgram, 24);
    assert_int_equal(f.frames, 3);
    fx_release(&f);
}

/* Every order of six fragments (720 orders), each also with one of them
 * left out: the datagram completes exactly when its bytes are all covered
 * and the last fragment has come, never before, with the right bytes. Two
 * fragments are 16 bytes long and cover a neighbour, so some orders
 * complete without every fragment and some carry duplicates. */
static void test_every_order(void **state)
{
    (void)state;
    static uint8_t big[48];
    for (unsigned i = 0; i < sizeof(big); i++)
        big[i] = (uint8_t)(i * 13 + 5);
    /* [0,8) [8,24) [16,24) [24,32) [32,48) [40,48), the last one last */
    static const uint32_t off[6] = {0, 8, 16, 24, 32, 40}, len[6] = {8, 16, 8, 8, 16, 8};
    unsigned perm[6] = {0, 1, 2, 3, 4, 5};
    unsigned orders = 0, completed = 0;
    for (;;) {
        for (unsigned skip = 0; skip <= 6; skip++) { /* 6: none left out */
            struct fx f;
            bool covered[48] = {false}, have_last = false;
            fx_init(&f, NULL);
            for (unsigned k = 0; k < 6; k++) {
                unsigned i = perm[k];
                if (i == skip)
                    continue;
                int r = add4(&f, 1, 99, off[i], i < 5, big + off[i], len[i], 60);
                for (uint32_t b = off[i]; b < off[i] + len[i]; b++)
                    covered[b] = true;
                have_last |= i == 5;
                bool want = have_last;
                for (unsigned b = 0; b < 48; b++)
                    want &= covered[b];
                if (r != (want ? 1 : 0))
                    fail_msg("order %u (%u%u%u%u%u%u) without %u, fragment %u: %d", orders,
                             perm[0], perm[1], perm[2], perm[3], perm[4], perm[5], skip, i, r);
                if (want) {
                    assert_int_equal(f.out_len, 48);
                    assert_memory_equal(f.out, big, 48);
                    completed++;
                    break;
                }
            }
            fx_release(&f);
        }
        orders++;
        /* the next permutation in lexicographic order */
        int i = 4;
        while (i >= 0 && perm[i] > perm[i + 1])
            i--;
        if (i < 0)
            break;
        int j = 5;
        while (perm[j] < perm[(unsigned)i])
            j--;
        unsigned tmp = perm[i];
        perm[i] = perm[j];
        perm[j] = tmp;
        for (int x = i + 1, y = 5; x < y; x++, y--) {
            tmp = perm[x];
            perm[x] = perm[y];
            perm[y] = tmp;
        }
    }
    assert_int_equal(orders, 720);
    /* all six; without [16,24) (inside [8,24)); without [40,48)? no: it is
     * the last fragment, so the datagram's end is never known */
    assert_int_equal(completed, 720 * 2);
}

static void test_duplicate(void **state)
{
    struct fx f;
    (void)state;
    fx_init(&f, NULL);
    fill_dgram();
    assert_int_equal(add4(&f, 1, 7, 0, 1, dgram, 8, 60), 0);
    uint64_t mem = defrag_mem_used(f.ctx.defrag);
    /* A retransmitted identical fragment: no event, no extra memory, but the
     * frame still counts for the flow. */
    assert_int_equal(add4(&f, 1, 7, 0, 1, dgram, 8, 60), 0);
    assert_int_equal(defrag_mem_used(f.ctx.defrag), mem);
    assert_int_equal(f.ctx.events[DEV_IPV4_FRAG_OVERLAP], 0);
    assert_int_equal(add4(&f, 1, 7, 8, 0, dgram + 8, 16, 60), 1);
    assert_int_equal(f.frames, 3);
    assert_int_equal(f.wire, 180);
    assert_memory_equal(f.out, dgram, 24);
    fx_release(&f);
}

static void test_overlap_first_wins(void **state)
{
    struct fx f;
    uint8_t evil[16];
    (void)state;
    fx_init(&f, NULL);
    fill_dgram();
    memset(evil, 0xee, sizeof(evil));
    assert_int_equal(add4(&f, 1, 9, 0, 1, dgram, 16, 60), 0);
    /* Bytes 8..24 again, 8..16 different from what we hold: overlap event,
     * and the first copy of 8..16 is kept. */
    memcpy(evil + 8, dgram + 16, 8);
    assert_int_equal(add4(&f, 1, 9, 8, 0, evil, 16, 60), 1);
    assert_int_equal(f.ctx.events[DEV_IPV4_FRAG_OVERLAP], 1);
    assert_true(f.pkt.malformed);
    assert_memory_equal(f.out, dgram, 24);
    fx_release(&f);
}

static void test_overlap_same_bytes_quiet(void **state)
{
    struct fx f;
    (void)state;
    fx_init(&f, NULL);
    fill_dgram();
    /* Partial overlap with identical bytes (a resend with another MTU). */
    assert_int_equal(add4(&f, 1, 9, 0, 1, dgram, 16, 60), 0);
    assert_int_equal(add4(&f, 1, 9, 8, 0, dgram + 8, 16, 60), 1);
    assert_int_equal(f.ctx.events[DEV_IPV4_FRAG_OVERLAP], 0);
    assert_memory_equal(f.out, dgram, 24);
    fx_release(&f);
}

static void test_conflicting_end(void **state)
{
    struct fx f;
    (void)state;
    fx_init(&f, NULL);
    fill_dgram();
    assert_int_equal(add4(&f, 1, 3, 16, 0, dgram + 16, 8, 60), 0);
    /* A second "last" fragment ending elsewhere, and data past the end. */
    assert_int_equal(add4(&f, 1, 3, 8, 0, dgram + 8, 8, 60), DECODE_ERR);
    assert_int_equal(add4(&f, 1, 3, 24, 1, dgram, 8, 60), DECODE_ERR);
    assert_int_equal(f.ctx.events[DEV_IPV4_FRAG_OVERLAP], 2);
    /* The first view still completes. */
    assert_int_equal(add4(&f, 1, 3, 0, 1, dgram, 16, 60), 1);
    assert_int_equal(f.out_len, 24);
    /* Rejected frames were still frames of this datagram. */
    assert_int_equal(f.frames, 4);
    fx_release(&f);
}

static void test_last_before_existing_data(void **state)
{
    struct fx f;
    (void)state;
    fx_init(&f, NULL);
    fill_dgram();
    assert_int_equal(add4(&f, 1, 3, 16, 1, dgram + 16, 8, 60), 0);
    /* A last fragment ending at 16 while bytes 16..24 are already held. */
    assert_int_equal(add4(&f, 1, 3, 0, 0, dgram, 16, 60), DECODE_ERR);
    assert_int_equal(f.ctx.events[DEV_IPV4_FRAG_OVERLAP], 1);
    fx_release(&f);
}

static void test_keys_separate(void **state)
{
    struct fx f;
    (void)state;
    fx_init(&f, NULL);
    fill_dgram();
    assert_int_equal(add4(&f, 1, 5, 0, 1, dgram, 8, 60), 0);
    assert_int_equal(add4(&f, 1, 6, 8, 0, dgram + 8, 8, 60), 0); /* other id */
    /* Same id, other protocol. */
    f.pkt.ts_us = 1000000;
    assert_int_equal(defrag_add(f.ctx.defrag, &f.ctx, &f.pkt, 4, &f.src, &f.dst, 5, 17, 8, 0,
                                dgram + 8, 8, &f.out, &f.out_len, &f.frames, &f.wire),
                     0);
    assert_int_equal(defrag_trackers(f.ctx.defrag), 3);
    assert_int_equal(add4(&f, 1, 5, 8, 0, dgram + 8, 8, 60), 1);
    assert_int_equal(defrag_trackers(f.ctx.defrag), 2);
    fx_release(&f);
}

static void test_timeout(void **state)
{
    struct fx f;
    (void)state;
    fx_init(&f, NULL); /* 30 s */
    fill_dgram();
    assert_int_equal(add4(&f, 100, 1, 0, 1, dgram, 8, 60), 0);
    /* Boundary: exactly the timeout later the tracker is still alive (the
     * check is "older than", pins > vs >=). */
    defrag_expire(f.ctx.defrag, &f.ctx, 130u * 1000000u);
    assert_int_equal(defrag_trackers(f.ctx.defrag), 1);
    defrag_expire(f.ctx.defrag, &f.ctx, 130u * 1000000u + 1);
    assert_int_equal(defrag_trackers(f.ctx.defrag), 0);
    assert_int_equal(f.ctx.events[DEV_FRAG_TIMEOUT], 1);

    /* Lazily on the next fragment: the old half is gone, so the late second
     * half starts a new datagram instead of completing a stale one. */
    assert_int_equal(add4(&f, 200, 2, 0, 1, dgram, 8, 60), 0);
    assert_int_equal(add4(&f, 231, 2, 8, 0, dgram + 8, 8, 60), 0);
    assert_int_equal(f.ctx.events[DEV_FRAG_TIMEOUT], 2);
    assert_int_equal(defrag_trackers(f.ctx.defrag), 1);

    /* Time going backwards (stitched captures) expires nothing. */
    defrag_expire(f.ctx.defrag, &f.ctx, 0);
    assert_int_equal(defrag_trackers(f.ctx.defrag), 1);
    fx_release(&f);
}

static void test_tracker_cap(void **state)
{
    struct decode_config cfg;
    struct fx f;
    (void)state;
    decode_config_defaults(&cfg);
    cfg.defrag_max_trackers = 2;
    fx_init(&f, &cfg);
    fill_dgram();
    assert_int_equal(add4(&f, 1, 1, 0, 1, dgram, 8, 60), 0);
    assert_int_equal(add4(&f, 1, 2, 0, 1, dgram, 8, 60), 0);
    assert_int_equal(f.ctx.events[DEV_FRAG_TABLE_FULL], 0);
    /* Boundary: the third tracker evicts the oldest (pins >= vs >). */
    assert_int_equal(add4(&f, 1, 3, 0, 1, dgram, 8, 60), 0);
    assert_int_equal(f.ctx.events[DEV_FRAG_TABLE_FULL], 1);
    assert_int_equal(defrag_trackers(f.ctx.defrag), 2);
    /* Eviction is not the current packet's fault. */
    assert_false(f.pkt.malformed);
    /* id 1 was dropped: its second half now starts a fresh tracker (and
     * evicts id 2); id 3 still completes. */
    assert_int_equal(add4(&f, 1, 1, 8, 0, dgram + 8, 8, 60), 0);
    assert_int_equal(add4(&f, 1, 3, 8, 0, dgram + 8, 8, 60), 1);
    assert_int_equal(f.out_len, 16);
    fx_release(&f);
}

static void test_memcap(void **state)
{
    struct decode_config cfg;
    struct fx f;
    uint8_t big[1000];
    (void)state;
    decode_config_defaults(&cfg);
    cfg.defrag_memcap = 2500;
    fx_init(&f, &cfg);
    memset(big, 0x42, sizeof(big));
    assert_int_equal(add4(&f, 1, 1, 0, 1, big, 1000, 1034), 0);
    assert_int_equal(add4(&f, 1, 2, 0, 1, big, 1000, 1034), 0);
    assert_int_equal(f.ctx.events[DEV_FRAG_MEMCAP], 0);
    /* A third 1000-byte datagram does not fit: the oldest goes. */
    assert_int_equal(add4(&f, 1, 3, 0, 1, big, 1000, 1034), 0);
    assert_true(f.ctx.events[DEV_FRAG_MEMCAP] >= 1);
    assert_true(defrag_mem_used(f.ctx.defrag) <= 2500);
    assert_int_equal(defrag_trackers(f.ctx.defrag), 2);
    /* One fragment larger than the whole memcap is refused outright. */
    uint8_t *huge = calloc(1, 3000);
    assert_non_null(huge);
    assert_int_equal(add4(&f, 1, 4, 0, 1, huge, 3000, 3034), DECODE_ERR);
    assert_true(defrag_mem_used(f.ctx.defrag) <= 2500);
    free(huge);
    fx_release(&f);
}

static void test_too_large(void **state)
{
    struct fx f;
    uint8_t b[16] = {0};
    (void)state;
    fx_init(&f, NULL);
    /* Boundary: ending exactly at MAX_REASSEMBLED_LEN is fine, one byte more
     * is not (pins > vs >=). */
    assert_int_equal(add4(&f, 1, 1, MAX_REASSEMBLED_LEN - 15, 0, b, 15, 60), 0);
    assert_int_equal(f.ctx.events[DEV_IPV4_FRAG_TOO_LARGE], 0);
    assert_int_equal(add4(&f, 1, 2, MAX_REASSEMBLED_LEN - 15, 0, b, 16, 60), DECODE_ERR);
    assert_int_equal(f.ctx.events[DEV_IPV4_FRAG_TOO_LARGE], 1);
    assert_true(f.pkt.malformed);
    /* Too large for a datagram in progress drops it. */
    assert_int_equal(add4(&f, 1, 1, 65528, 1, b, 16, 60), DECODE_ERR);
    assert_int_equal(defrag_trackers(f.ctx.defrag), 0);
    fx_release(&f);
}

static void test_too_many(void **state)
{
    struct fx f;
    uint8_t b[8] = {0};
    (void)state;
    fx_init(&f, NULL);
    for (uint32_t i = 0; i < MAX_FRAGS_PER_DATAGRAM; i++)
        assert_int_equal(add4(&f, 1, 1, i * 8, 1, b, 8, 60), 0);
    assert_int_equal(f.ctx.events[DEV_FRAG_TOO_MANY], 0);
    /* Boundary: fragment MAX+1 drops the datagram (pins > vs >=). */
    assert_int_equal(add4(&f, 1, 1, MAX_FRAGS_PER_DATAGRAM * 8, 0, b, 8, 60), DECODE_ERR);
    assert_int_equal(f.ctx.events[DEV_FRAG_TOO_MANY], 1);
    assert_int_equal(defrag_trackers(f.ctx.defrag), 0);
    fx_release(&f);
}

static void test_ipv6_via_defrag_add(void **state)
{
    struct fx f;
    struct ip_addr s6 = {{0x20, 0x01, 0x0d, 0xb8, [15] = 1}};
    struct ip_addr d6 = {{0x20, 0x01, 0x0d, 0xb8, [15] = 2}};
    uint8_t other[8];
    (void)state;
    fx_init(&f, NULL);
    fill_dgram();
    memset(other, 0, sizeof(other));
    f.pkt.wirelen = 100;
    assert_int_equal(defrag_add(f.ctx.defrag, &f.ctx, &f.pkt, 6, &s6, &d6, 0xcafef00d, 58, 0, 1,
                                dgram, 16, &f.out, &f.out_len, &f.frames, &f.wire),
                     0);
    /* Overlapping 8..16 with other bytes: the IPv6 counter, not the IPv4. */
    assert_int_equal(defrag_add(f.ctx.defrag, &f.ctx, &f.pkt, 6, &s6, &d6, 0xcafef00d, 58, 8, 0,
                                other, 8, &f.out, &f.out_len, &f.frames, &f.wire),
                     1);
    assert_int_equal(f.ctx.events[DEV_IPV6_FRAG_OVERLAP], 1);
    assert_int_equal(f.ctx.events[DEV_IPV4_FRAG_OVERLAP], 0);
    assert_int_equal(f.out_len, 16);
    assert_memory_equal(f.out, dgram, 16);
    assert_int_equal(f.wire, 200);
    fx_release(&f);
}

/* IPv4 through decode_ipv4: two fragments of a UDP datagram. */
static void test_ipv4_decoder_reassembles(void **state)
{
    /* Fragment 1: IPv4 header, MF, offset 0, 8 bytes of payload (the UDP
     * header). */
    static const uint8_t f1[] = {
        0x45, 0x00, 0x00, 0x1c,       /* v4 ihl 5, tos, total 28 */
        0xab, 0xcd, 0x20, 0x00,       /* id 0xabcd, MF, offset 0 */
        0x40, 0x11, 0x00, 0x00,       /* ttl 64, UDP, checksum */
        10, 0, 0, 1, 10, 0, 0, 2,     /* src, dst */
        0x04, 0xd2, 0x00, 0x35,       /* UDP sport 1234, dport 53 */
        0x00, 0x0c, 0x00, 0x00,       /* UDP len 12, checksum */
    };
    /* Fragment 2: offset 8 (1 unit), last, 4 bytes of UDP payload. */
    static const uint8_t f2[] = {
        0x45, 0x00, 0x00, 0x18,       /* total 24 */
        0xab, 0xcd, 0x00, 0x01,       /* id 0xabcd, offset 1 (8 bytes) */
        0x40, 0x11, 0x00, 0x00,
        10, 0, 0, 1, 10, 0, 0, 2,
        'a', 'b', 'c', 'd',           /* UDP payload */
    };
    struct fx f;
    (void)state;
    fx_init(&f, NULL);
    f.pkt.wirelen = f.pkt.caplen = 60;
    assert_int_equal(decode_ipv4(&f.ctx, &f.pkt, f1, sizeof(f1), TUNNEL_NONE), DECODE_OK);
    assert_int_equal(f.pkt.layer_count, 1);
    assert_true(f.pkt.layers[0].is_fragment);
    assert_false(f.pkt.layers[0].l4_ok);
    assert_int_equal(f.pkt.layers[0].sport, 0);

    f.pkt.layer_count = 0;
    assert_int_equal(decode_ipv4(&f.ctx, &f.pkt, f2, sizeof(f2), TUNNEL_NONE), DECODE_OK);
    const struct ip_layer *l = &f.pkt.layers[0];
    assert_false(l->is_fragment);
    assert_true(l->reassembled);
    assert_int_equal(l->frag_frames, 2);
    assert_int_equal(l->frag_wire_bytes, 120);
    assert_int_equal(l->ip_len, 32);
    assert_true(l->l4_ok);
    assert_int_equal(l->sport, 1234);
    assert_int_equal(l->dport, 53);
    assert_int_equal(l->payload_len, 4);
    assert_memory_equal(l->payload, "abcd", 4);
    assert_false(f.pkt.malformed);
    fx_release(&f);
}

/* ---- real captures ---------------------------------------------------- */

struct run_stats {
    uint64_t packets;
    uint64_t reassembled_layers;
    uint64_t frag_frames;
    uint64_t malformed;
    uint64_t max_mem;
    uint32_t max_trackers;
};

/* Decodes every frame of a capture; returns -1 (test skipped) if the file
 * or the shared data directory is missing. */
static int run_pcap(const char *rel, const struct decode_config *cfg, struct decode_ctx *ctx,
                    struct run_stats *st)
{
    struct pcap_pkthdr *h;
    const u_char *data;
    pcap_t *pc;

    memset(st, 0, sizeof(*st));
    pc = decode_test_pcap_open(rel);
    if (!pc)
        return -1;
    decode_ctx_init(ctx, cfg);
    while (pcap_next_ex(pc, &h, &data) == 1) {
        struct packet pkt;
        decode_test_pcap_packet(&pkt, pc, h, data, ++st->packets);
        decode_packet(ctx, &pkt);
        for (unsigned i = 0; i < pkt.layer_count; i++) {
            if (pkt.layers[i].reassembled) {
                st->reassembled_layers++;
                st->frag_frames += pkt.layers[i].frag_frames;
            }
        }
        if (pkt.malformed)
            st->malformed++;
        st->max_mem = MAX(st->max_mem, defrag_mem_used(ctx->defrag));
        st->max_trackers = MAX(st->max_trackers, defrag_trackers(ctx->defrag));
    }
    pcap_close(pc);
    return 0;
}

static void test_pcap_ipfragments(void **state)
{
    struct decode_config cfg;
    struct decode_ctx ctx;
    struct run_stats st;
    (void)state;
    decode_config_defaults(&cfg);
    if (run_pcap("ipv6-encap/ipfragments.pcap", &cfg, &ctx, &st) < 0)
        skip();
    /* 8 pings (4 requests, 4 replies), each 3 frames. */
    assert_int_equal(st.packets, 24);
    assert_int_equal(st.reassembled_layers, 8);
    assert_int_equal(st.frag_frames, 24);
    assert_int_equal(ctx.events[DEV_FRAG_REASSEMBLED], 8);
    assert_int_equal(st.malformed, 0);
    assert_int_equal(defrag_trackers(ctx.defrag), 0);
    decode_ctx_release(&ctx);
}

static void test_pcap_ip_frag_source(void **state)
{
    struct decode_config cfg;
    struct decode_ctx ctx;
    struct run_stats st;
    (void)state;
    decode_config_defaults(&cfg);
    if (run_pcap("ipv6-encap/ip_frag_source.pcapng", &cfg, &ctx, &st) < 0)
        skip();
    assert_int_equal(st.packets, 6);
    assert_int_equal(st.reassembled_layers, 2);
    assert_int_equal(st.malformed, 0);
    decode_ctx_release(&ctx);
}

static void test_pcap_ipv6_fragments(void **state)
{
    struct decode_config cfg;
    struct decode_ctx ctx;
    struct run_stats st;
    (void)state;
    decode_config_defaults(&cfg);
    if (run_pcap("ipv6-encap/ipv6_fragments.pcapng", &cfg, &ctx, &st) < 0)
        skip();
    /* 5 echo requests and 5 replies, 2 frames each; 2 ND frames. */
    assert_int_equal(st.packets, 22);
    assert_int_equal(st.reassembled_layers, 10);
    assert_int_equal(st.frag_frames, 20);
    assert_int_equal(st.malformed, 0);
    assert_int_equal(defrag_trackers(ctx.defrag), 0);
    decode_ctx_release(&ctx);
}

static void test_pcap_fragmented_garbage(void **state)
{
    struct decode_config cfg;
    struct decode_ctx ctx;
    struct run_stats st;
    (void)state;
    decode_config_defaults(&cfg);
    if (run_pcap("malformed/ip_fragmented_garbage.pcap", &cfg, &ctx, &st) < 0)
        skip();
    assert_int_equal(st.packets, 1252);
    assert_true(st.max_mem <= cfg.defrag_memcap);
    assert_true(st.max_trackers <= cfg.defrag_max_trackers);
    /* One id, 16-byte fragments, MF always set: every 128 fragments the
     * datagram hits MAX_FRAGS_PER_DATAGRAM and is dropped, so what is held
     * never exceeds one tracker of 128 pieces. */
    assert_true(ctx.events[DEV_FRAG_TOO_MANY] >= 1);
    assert_int_equal(st.reassembled_layers, 0);
    print_message("garbage default caps: max mem %llu, max trackers %u, too_many %llu, "
                  "overlap %llu\n",
                  (unsigned long long)st.max_mem, st.max_trackers,
                  (unsigned long long)ctx.events[DEV_FRAG_TOO_MANY],
                  (unsigned long long)ctx.events[DEV_IPV4_FRAG_OVERLAP]);
    decode_ctx_release(&ctx);

    /* A memcap below one datagram's worth forces memcap drops; the cap must
     * hold at every packet. */
    cfg.defrag_memcap = 2048;
    cfg.defrag_max_trackers = 1;
    if (run_pcap("malformed/ip_fragmented_garbage.pcap", &cfg, &ctx, &st) < 0)
        skip();
    assert_true(st.max_mem <= cfg.defrag_memcap);
    assert_true(st.max_trackers <= 1);
    assert_true(ctx.events[DEV_FRAG_MEMCAP] > 0);
    print_message("garbage memcap 2048: max mem %llu, memcap events %llu\n",
                  (unsigned long long)st.max_mem,
                  (unsigned long long)ctx.events[DEV_FRAG_MEMCAP]);
    decode_ctx_release(&ctx);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_in_order),
        cmocka_unit_test(test_out_of_order),
        cmocka_unit_test(test_every_order),
        cmocka_unit_test(test_duplicate),
        cmocka_unit_test(test_overlap_first_wins),
        cmocka_unit_test(test_overlap_same_bytes_quiet),
        cmocka_unit_test(test_conflicting_end),
        cmocka_unit_test(test_last_before_existing_data),
        cmocka_unit_test(test_keys_separate),
        cmocka_unit_test(test_timeout),
        cmocka_unit_test(test_tracker_cap),
        cmocka_unit_test(test_memcap),
        cmocka_unit_test(test_too_large),
        cmocka_unit_test(test_too_many),
        cmocka_unit_test(test_ipv6_via_defrag_add),
        cmocka_unit_test(test_ipv4_decoder_reassembles),
        cmocka_unit_test(test_pcap_ipfragments),
        cmocka_unit_test(test_pcap_ip_frag_source),
        cmocka_unit_test(test_pcap_ipv6_fragments),
        cmocka_unit_test(test_pcap_fragmented_garbage),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
