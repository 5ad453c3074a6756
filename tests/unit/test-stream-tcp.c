/* test-stream-tcp.c - TCP stream reassembly: order, every split and arrival
 * order, retransmissions, overlaps, sequence wraparound, depth, the per-flow
 * and global memory caps, and skipping holes. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "decode/packet.h"
#include "stream/stream-tcp.h"
#include "util/limits.h"
#include "util/util.h"

#define SINK_MAX 4096

/* What the callback received, per direction. */
struct sink {
    uint8_t buf[2][SINK_MAX];
    uint32_t len[2];
    uint32_t calls[2];
    uint32_t first_seq[2]; /* next_seq seen inside the first call */
    const struct stream_tcp *st;
};

static void sink_cb(void *arg, int dir, const uint8_t *data, uint32_t len)
{
    struct sink *k = arg;
    assert_true(dir == 0 || dir == 1);
    assert_true(len > 0);
    assert_true(k->len[dir] + len <= SINK_MAX);
    if (k->calls[dir] == 0 && k->st)
        k->first_seq[dir] = k->st->dir[dir].next_seq;
    memcpy(k->buf[dir] + k->len[dir], data, len);
    k->len[dir] += len;
    k->calls[dir]++;
}

struct fx {
    struct stream_pool pool;
    struct stream_tcp st;
    struct sink k;
};

static void fx_init(struct fx *f, uint32_t depth, uint32_t ooo_cap, uint64_t memcap)
{
    struct stream_config cfg = {
        .depth = depth, .max_ooo_bytes_per_flow = ooo_cap, .memcap = memcap};
    memset(f, 0, sizeof(*f));
    stream_pool_init(&f->pool, &cfg);
    stream_tcp_init(&f->st);
    f->k.st = &f->st;
}

/* Releases and checks that nothing is left accounted. */
static void fx_release(struct fx *f)
{
    stream_tcp_release(&f->pool, &f->st);
    assert_int_equal(f->pool.mem_used, 0);
    assert_int_equal(f->pool.stats.bytes_held, 0);
    assert_int_equal(f->pool.stats.segs_held, 0);
}

static int seg(struct fx *f, int dir, uint8_t flags, uint32_t seq, const void *data, uint32_t len)
{
    return stream_tcp_segment(&f->pool, &f->st, dir, flags, seq, data, len, sink_cb, &f->k);
}

static void assert_got(const struct fx *f, int dir, const void *want, uint32_t len)
{
    assert_int_equal(f->k.len[dir], len);
    assert_memory_equal(f->k.buf[dir], want, len);
}

/* 64 bytes where every byte differs from its neighbours, so a byte delivered
 * twice, lost or misplaced changes the result. */
static uint8_t msg[64];

static void fill_msg(void)
{
    for (unsigned i = 0; i < sizeof(msg); i++)
        msg[i] = (uint8_t)(i * 37 + 11);
}

static void test_in_order(void **state)
{
    struct fx f;
    (void)state;
    fx_init(&f, 0, 65536, 0);
    assert_int_equal(seg(&f, 0, TH_SYN, 1000, NULL, 0), 0);
    assert_int_equal(f.st.dir[0].isn, 1000);
    /* SYN consumes 1000: the first data byte is 1001. */
    assert_int_equal(f.st.dir[0].next_seq, 1001);
    assert_int_equal(seg(&f, 0, TH_ACK, 1001, "hello ", 6), 0);
    assert_int_equal(f.k.first_seq[0], 1001);
    assert_int_equal(seg(&f, 0, TH_ACK | TH_PSH, 1007, "world", 5), 0);
    assert_got(&f, 0, "hello world", 11);
    assert_int_equal(f.k.len[1], 0);
    assert_int_equal(f.st.dir[0].delivered, 11);
    assert_int_equal(f.st.dir[0].next_seq, 1012);
    assert_int_equal(f.pool.mem_used, 0);
    /* The other direction is independent. */
    assert_int_equal(seg(&f, 1, TH_SYN | TH_ACK, 5000, NULL, 0), 0);
    assert_int_equal(seg(&f, 1, TH_ACK, 5001, "ok", 2), 0);
    assert_got(&f, 1, "ok", 2);
    assert_got(&f, 0, "hello world", 11);
    fx_release(&f);
}

static void test_out_of_order(void **state)
{
    struct fx f;
    (void)state;
    fx_init(&f, 0, 65536, 0);
    seg(&f, 0, TH_SYN, 0, NULL, 0);
    seg(&f, 0, TH_ACK, 7, "world", 5);
    assert_int_equal(f.k.len[0], 0);
    assert_int_equal(f.pool.stats.bytes_held, 5);
    assert_int_equal(f.pool.stats.segs_held, 1);
    assert_true(f.pool.mem_used >= 5);
    seg(&f, 0, TH_ACK, 1, "hello ", 6);
    assert_got(&f, 0, "hello world", 11);
    /* Held data went out as soon as the hole was filled. */
    assert_int_equal(f.pool.stats.bytes_held, 0);
    assert_int_equal(f.pool.mem_used, 0);
    assert_int_equal(f.pool.stats.gaps, 0);
    assert_int_equal(f.pool.stats.overlaps, 0);
    fx_release(&f);
}

/* Feeds msg[0..len) as segments [cut[i], cut[i+1]) in the order `order`,
 * after a SYN at isn, and checks the exact bytes arrive once. */
static void feed_order(uint32_t isn, uint32_t len, const uint32_t *cut, unsigned nseg,
                       const unsigned *order)
{
    struct fx f;
    fx_init(&f, 0, 65536, 0);
    seg(&f, 0, TH_SYN, isn, NULL, 0);
    for (unsigned i = 0; i < nseg; i++) {
        unsigned s = order[i];
        uint32_t a = cut[s], b = cut[s + 1];
        assert_int_equal(seg(&f, 0, TH_ACK, isn + 1 + a, msg + a, b - a), 0);
    }
    assert_got(&f, 0, msg, len);
    assert_int_equal(f.st.dir[0].next_seq, isn + 1 + len);
    assert_int_equal(f.pool.stats.overlaps, 0);
    assert_int_equal(f.pool.stats.gaps, 0);
    assert_int_equal(f.pool.mem_used, 0);
    fx_release(&f);
}

/* ISNs: an ordinary one, one where the message crosses 2^32 in the middle,
 * and one where the SYN itself is the last number before the wrap. */
static const uint32_t split_isns[] = {1000, 0xffffffffu - 20, 0xffffffffu};

static void test_every_split_two(void **state)
{
    static const unsigned orders[2][2] = {{0, 1}, {1, 0}};
    const uint32_t len = 40;
    (void)state;
    fill_msg();
    for (unsigned z = 0; z < ARRAY_SIZE(split_isns); z++) {
        /* a = 1 and a = len - 1 pin one-byte segments at either end. */
        for (uint32_t a = 1; a < len; a++) {
            uint32_t cut[3] = {0, a, len};
            for (unsigned o = 0; o < 2; o++)
                feed_order(split_isns[z], len, cut, 2, orders[o]);
        }
    }
}

static void test_every_split_three(void **state)
{
    static const unsigned orders[6][3] = {{0, 1, 2}, {0, 2, 1}, {1, 0, 2},
                                          {1, 2, 0}, {2, 0, 1}, {2, 1, 0}};
    const uint32_t len = 24;
    (void)state;
    fill_msg();
    for (unsigned z = 0; z < ARRAY_SIZE(split_isns); z++) {
        for (uint32_t a = 1; a < len; a++) {
            for (uint32_t b = a + 1; b < len; b++) {
                uint32_t cut[4] = {0, a, b, len};
                for (unsigned o = 0; o < 6; o++)
                    feed_order(split_isns[z], len, cut, 3, orders[o]);
            }
        }
    }
}

static void test_retransmission(void **state)
{
    struct fx f;
    (void)state;
    fill_msg();
    fx_init(&f, 0, 65536, 0);
    seg(&f, 0, TH_SYN, 100, NULL, 0);
    seg(&f, 0, TH_ACK, 101, msg, 10);
    seg(&f, 0, TH_ACK, 111, msg + 10, 10);
    /* Exact retransmissions of delivered data: nothing new. */
    seg(&f, 0, TH_ACK, 101, msg, 10);
    seg(&f, 0, TH_ACK, 111, msg + 10, 10);
    /* Ends exactly at next_seq (121): all old, pins old >= len. */
    seg(&f, 0, TH_ACK, 106, msg + 5, 15);
    assert_got(&f, 0, msg, 20);
    assert_int_equal(f.k.calls[0], 2);
    /* Partial retransmission: bytes 15..30, only 20..30 are new. */
    seg(&f, 0, TH_ACK, 116, msg + 15, 15);
    assert_got(&f, 0, msg, 30);
    /* One new byte after one old one pins old < len. */
    seg(&f, 0, TH_ACK, 130, msg + 29, 2);
    assert_got(&f, 0, msg, 31);
    /* A retransmitted SYN does not restart the stream. */
    seg(&f, 0, TH_SYN, 100, NULL, 0);
    assert_int_equal(f.st.dir[0].next_seq, 132);
    assert_int_equal(f.pool.stats.overlaps, 0);
    fx_release(&f);
}

static void test_overlap_same(void **state)
{
    struct fx f;
    (void)state;
    fill_msg();
    fx_init(&f, 0, 65536, 0);
    seg(&f, 0, TH_SYN, 0, NULL, 0);
    /* Held: [11,21). New [6,31) covers it with the same bytes. */
    seg(&f, 0, TH_ACK, 11, msg + 10, 10);
    seg(&f, 0, TH_ACK, 6, msg + 5, 25);
    assert_int_equal(f.pool.stats.overlaps, 1);
    assert_int_equal(f.pool.stats.overlap_mismatch, 0);
    /* [6,11) and [21,31) held beside the first copy, disjoint. */
    assert_int_equal(f.pool.stats.bytes_held, 25);
    assert_int_equal(f.pool.stats.segs_held, 3);
    seg(&f, 0, TH_ACK, 1, msg, 5);
    assert_got(&f, 0, msg, 30);
    fx_release(&f);
}

static void test_overlap_different(void **state)
{
    uint8_t evil[30], want[30];
    struct fx f;
    (void)state;
    fill_msg();
    memcpy(want, msg, 30);
    memcpy(evil, msg, 30);
    for (unsigned i = 12; i < 18; i++)
        evil[i] ^= 0xff;
    fx_init(&f, 0, 65536, 0);
    seg(&f, 0, TH_SYN, 0, NULL, 0);
    /* First copy of [11,21) is the real one. */
    seg(&f, 0, TH_ACK, 11, msg + 10, 10);
    /* A later in-order segment carries different bytes for 12..18: first
     * data wins, and the difference is counted. */
    seg(&f, 0, TH_ACK, 1, evil, 30);
    assert_int_equal(f.pool.stats.overlaps, 1);
    assert_int_equal(f.pool.stats.overlap_mismatch, 1);
    assert_got(&f, 0, want, 30);

    /* The other way round: the different bytes come first and win. */
    fx_release(&f);
    fx_init(&f, 0, 65536, 0);
    seg(&f, 0, TH_SYN, 0, NULL, 0);
    seg(&f, 0, TH_ACK, 11, evil + 10, 10);
    seg(&f, 0, TH_ACK, 11, msg + 10, 10);
    assert_int_equal(f.pool.stats.overlap_mismatch, 1);
    seg(&f, 0, TH_ACK, 1, msg, 10);
    assert_got(&f, 0, evil, 20);
    /* Overlap of held data by exactly one byte each side (pins the
     * s_end <= pos and s_start >= end boundaries: touching is not overlap). */
    seg(&f, 0, TH_ACK, 31, msg + 30, 5);
    seg(&f, 0, TH_ACK, 36, msg + 35, 5);
    seg(&f, 0, TH_ACK, 26, msg + 25, 5);
    assert_int_equal(f.pool.stats.overlaps, 1);
    seg(&f, 0, TH_ACK, 21, msg + 20, 5);
    assert_int_equal(f.k.len[0], 40);
    assert_memory_equal(f.k.buf[0] + 20, msg + 20, 20);
    fx_release(&f);
}

static void test_wraparound(void **state)
{
    struct fx f;
    (void)state;
    fill_msg();
    fx_init(&f, 0, 65536, 0);
    /* SYN at 2^32 - 16: data bytes are 2^32-15 .. 2^32+16 (= 16). */
    seg(&f, 0, TH_SYN, 0xfffffff0u, NULL, 0);
    /* After the wrap first: must be held, not taken as old. */
    seg(&f, 0, TH_ACK, 5, msg + 20, 12);
    assert_int_equal(f.k.len[0], 0);
    assert_int_equal(f.pool.stats.bytes_held, 12);
    /* Ends exactly at 2^32 (seq 0 is its last byte + 1). */
    seg(&f, 0, TH_ACK, 0xfffffff1u, msg, 15);
    assert_int_equal(f.k.len[0], 15);
    assert_int_equal(f.st.dir[0].next_seq, 0);
    seg(&f, 0, TH_ACK, 0, msg + 15, 5);
    assert_got(&f, 0, msg, 32);
    assert_int_equal(f.st.dir[0].next_seq, 17);
    /* A retransmission from before the wrap is old, not 4 GiB ahead. */
    seg(&f, 0, TH_ACK, 0xfffffff1u, msg, 15);
    assert_int_equal(f.k.len[0], 32);
    assert_int_equal(f.pool.stats.out_of_window, 0);
    fx_release(&f);
}

static void test_depth(void **state)
{
    struct fx f;
    (void)state;
    fill_msg();
    fx_init(&f, 10, 65536, 0);
    seg(&f, 0, TH_SYN, 0, NULL, 0);
    seg(&f, 0, TH_ACK, 1, msg, 4);
    assert_false(f.st.dir[0].depth_reached);
    /* Bytes 4..10 end exactly at depth: depth_reached at == (not at >). */
    seg(&f, 0, TH_ACK, 5, msg + 4, 6);
    assert_true(f.st.dir[0].depth_reached);
    seg(&f, 0, TH_ACK, 11, msg + 10, 6);
    assert_got(&f, 0, msg, 10);
    assert_int_equal(f.pool.stats.depth_reached, 1);
    fx_release(&f);

    /* A segment crossing depth is cut there; held data past depth is not
     * kept (one byte at offset depth - 1 is, pinning at >= depth). */
    fx_init(&f, 10, 65536, 0);
    seg(&f, 0, TH_SYN, 0, NULL, 0);
    seg(&f, 0, TH_ACK, 11, msg + 10, 5);
    assert_int_equal(f.pool.stats.bytes_held, 0);
    seg(&f, 0, TH_ACK, 8, msg + 7, 5);
    assert_int_equal(f.pool.stats.bytes_held, 3);
    seg(&f, 0, TH_ACK, 1, msg, 7);
    assert_got(&f, 0, msg, 10);
    assert_true(f.st.dir[0].depth_reached);
    assert_int_equal(f.st.dir[1].depth_reached, false);
    assert_int_equal(f.pool.mem_used, 0);
    fx_release(&f);

    /* Depth counts skipped gaps too: it bounds the stream offset. */
    fx_init(&f, 10, 65536, 0);
    seg(&f, 0, TH_SYN, 0, NULL, 0);
    seg(&f, 0, TH_ACK, 6, msg + 5, 10);
    assert_int_equal(stream_tcp_gap(&f.pool, &f.st, 0, sink_cb, &f.k), 1);
    assert_got(&f, 0, msg + 5, 5);
    assert_true(f.st.dir[0].depth_reached);
    fx_release(&f);
}

static void test_flow_cap(void **state)
{
    struct fx f;
    (void)state;
    fill_msg();
    fx_init(&f, 0, 20, 0);
    seg(&f, 0, TH_SYN, 0, NULL, 0);
    /* Hole [1,11); held [11,21) and [21,31): 20 bytes = cap exactly. */
    seg(&f, 0, TH_ACK, 11, msg + 10, 10);
    seg(&f, 0, TH_ACK, 21, msg + 20, 10);
    assert_int_equal(f.pool.stats.bytes_held, 20);
    assert_int_equal(f.pool.stats.flow_cap_skips, 0);
    /* One more byte does not fit: the hole is skipped, held data and the
     * new byte go out. */
    seg(&f, 0, TH_ACK, 31, msg + 30, 1);
    assert_int_equal(f.pool.stats.flow_cap_skips, 1);
    assert_int_equal(f.pool.stats.gaps, 1);
    assert_int_equal(f.pool.stats.gap_bytes, 10);
    assert_int_equal(f.st.dir[0].gaps, 1);
    assert_got(&f, 0, msg + 10, 21);
    assert_int_equal(f.pool.stats.bytes_held, 0);
    /* The cap is per flow: held bytes of the other direction count. */
    seg(&f, 1, TH_SYN, 0, NULL, 0);
    seg(&f, 1, TH_ACK, 5, msg, 20);
    seg(&f, 0, TH_ACK, 40, msg, 1);
    /* Nothing held before it in direction 0: its own hole is skipped. */
    assert_int_equal(f.pool.stats.gaps, 2);
    assert_int_equal(f.k.len[0], 22);
    assert_int_equal(f.pool.stats.bytes_held, 20);
    fx_release(&f);
}

static void test_seg_count_cap(void **state)
{
    struct fx f;
    (void)state;
    fill_msg();
    fx_init(&f, 0, 65536, 0);
    seg(&f, 0, TH_SYN, 0, NULL, 0);
    /* One-byte segments with one-byte holes: 2, 4, 6, ... */
    for (uint32_t i = 0; i < MAX_STREAM_OOO_SEGS; i++)
        seg(&f, 0, TH_ACK, 2 + 2 * i, "x", 1);
    assert_int_equal(f.st.dir[0].ooo_segs, MAX_STREAM_OOO_SEGS);
    assert_int_equal(f.pool.stats.gaps, 0);
    /* The next one skips the first hole (byte 1), delivering byte 2. */
    seg(&f, 0, TH_ACK, 2 + 2 * MAX_STREAM_OOO_SEGS, "x", 1);
    assert_int_equal(f.pool.stats.gaps, 1);
    assert_int_equal(f.k.len[0], 1);
    assert_int_equal(f.st.dir[0].ooo_segs, MAX_STREAM_OOO_SEGS);
    assert_int_equal(stream_tcp_gap(&f.pool, &f.st, -1, sink_cb, &f.k), MAX_STREAM_OOO_SEGS);
    assert_int_equal(f.k.len[0], MAX_STREAM_OOO_SEGS + 1);
    fx_release(&f);
}

/* A flood of half-open streams, each with one out-of-order segment, costs
 * no more than the memcap. */
static void test_memcap_flood(void **state)
{
    enum { N = 10000 };
    const uint64_t memcap = 256 * 1024;
    struct stream_config cfg = {.depth = 0, .max_ooo_bytes_per_flow = 65536, .memcap = memcap};
    struct stream_pool pool;
    struct sink k;
    struct stream_tcp *st = xcalloc(N, sizeof(*st));
    (void)state;
    fill_msg();
    memset(&k, 0, sizeof(k));
    stream_pool_init(&pool, &cfg);
    for (uint32_t i = 0; i < N; i++) {
        stream_tcp_init(&st[i]);
        stream_tcp_segment(&pool, &st[i], 0, TH_SYN, i * 7919u, NULL, 0, sink_cb, &k);
        stream_tcp_segment(&pool, &st[i], 0, TH_ACK, i * 7919u + 100, msg, 64, sink_cb, &k);
        assert_true(pool.mem_used <= memcap);
    }
    assert_int_equal(k.len[0], 0);
    assert_true(pool.stats.memcap_drops > 0);
    assert_int_equal(pool.stats.segs_held + pool.stats.memcap_drops, N);
    assert_int_equal(pool.stats.bytes_held, 64 * pool.stats.segs_held);
    /* Most of the memcap is used: the accounting is not wildly pessimistic. */
    assert_true(pool.mem_used > memcap / 2);
    /* Released streams give their memory back; a new one can then hold. */
    for (uint32_t i = 0; i < N; i++)
        stream_tcp_release(&pool, &st[i]);
    assert_int_equal(pool.mem_used, 0);
    assert_int_equal(pool.stats.segs_held, 0);
    stream_tcp_init(&st[0]);
    stream_tcp_segment(&pool, &st[0], 0, TH_SYN, 0, NULL, 0, sink_cb, &k);
    stream_tcp_segment(&pool, &st[0], 0, TH_ACK, 100, msg, 64, sink_cb, &k);
    assert_int_equal(pool.stats.segs_held, 1);
    stream_tcp_release(&pool, &st[0]);
    free(st);
}

static void test_gap_skip(void **state)
{
    struct fx f;
    (void)state;
    fill_msg();
    fx_init(&f, 0, 65536, 0);
    seg(&f, 0, TH_SYN, 0, NULL, 0);
    seg(&f, 1, TH_SYN | TH_ACK, 0, NULL, 0);
    /* dir 0: [1,6) delivered, hole [6,11), [11,21), hole [21,31), [31,41). */
    seg(&f, 0, TH_ACK, 1, msg, 5);
    seg(&f, 0, TH_ACK, 31, msg + 30, 10);
    seg(&f, 0, TH_ACK, 11, msg + 10, 10);
    /* dir 1: hole [1,3), [3,5). */
    seg(&f, 1, TH_ACK, 3, "ab", 2);
    assert_int_equal(stream_tcp_gap(&f.pool, &f.st, 0, sink_cb, &f.k), 2);
    assert_int_equal(f.k.len[0], 25);
    assert_memory_equal(f.k.buf[0], msg, 5);
    assert_memory_equal(f.k.buf[0] + 5, msg + 10, 10);
    assert_memory_equal(f.k.buf[0] + 15, msg + 30, 10);
    assert_int_equal(f.pool.stats.gap_bytes, 15);
    assert_int_equal(f.st.dir[0].delivered, 25);
    assert_int_equal(f.st.dir[0].consumed, 40);
    assert_int_equal(f.k.len[1], 0);
    /* Nothing held in dir 0 any more: no gap to skip. */
    assert_int_equal(stream_tcp_gap(&f.pool, &f.st, 0, sink_cb, &f.k), 0);
    assert_int_equal(stream_tcp_gap(&f.pool, &f.st, -1, sink_cb, &f.k), 1);
    assert_got(&f, 1, "ab", 2);
    assert_int_equal(f.pool.stats.gaps, 3);
    /* The stream goes on after the gap. */
    seg(&f, 0, TH_ACK, 41, "z", 1);
    assert_int_equal(f.k.len[0], 26);
    fx_release(&f);
}

static void test_midstream_pickup(void **state)
{
    struct fx f;
    (void)state;
    fx_init(&f, 0, 65536, 0);
    /* An empty ACK does not start a stream. */
    seg(&f, 0, TH_ACK, 7, NULL, 0);
    assert_false(f.st.dir[0].started);
    seg(&f, 0, TH_ACK, 0x80000000u, "GET ", 4);
    assert_true(f.st.dir[0].started);
    assert_false(f.st.dir[0].syn_seen);
    assert_int_equal(f.st.dir[0].isn, 0x80000000u);
    /* Earlier data is lost, later data continues. */
    seg(&f, 0, TH_ACK, 0x7ffffffcu, "xxxx", 4);
    seg(&f, 0, TH_ACK, 0x80000004u, "/ HTTP", 6);
    assert_got(&f, 0, "GET / HTTP", 10);
    /* A SYN after pickup does not restart it. */
    seg(&f, 0, TH_SYN, 5, NULL, 0);
    assert_int_equal(f.st.dir[0].next_seq, 0x8000000au);
    fx_release(&f);
}

static void test_syn_data_and_window(void **state)
{
    struct fx f;
    (void)state;
    fx_init(&f, 0, 65536, 0);
    /* TCP Fast Open: data on the SYN starts at isn + 1. */
    seg(&f, 0, TH_SYN, 41, "abc", 3);
    assert_got(&f, 0, "abc", 3);
    assert_int_equal(f.st.dir[0].next_seq, 45);
    /* Exactly STREAM_MAX_WINDOW ahead: out of window; one less is held. */
    seg(&f, 0, TH_ACK, 45 + STREAM_MAX_WINDOW, "d", 1);
    assert_int_equal(f.pool.stats.out_of_window, 1);
    assert_int_equal(f.pool.stats.segs_held, 0);
    seg(&f, 0, TH_ACK, 45 + STREAM_MAX_WINDOW - 1, "d", 1);
    assert_int_equal(f.pool.stats.segs_held, 1);
    /* Caller bugs are refused without effect. */
    assert_int_equal(seg(&f, 2, TH_ACK, 45, "e", 1), -1);
    assert_int_equal(seg(&f, -1, TH_ACK, 45, "e", 1), -1);
    assert_int_equal(seg(&f, 0, TH_ACK, 45, msg, STREAM_MAX_WINDOW), -1);
    assert_int_equal(seg(&f, 0, TH_ACK, 45, NULL, 1), -1);
    assert_int_equal(f.k.len[0], 3);
    fx_release(&f);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_in_order),
        cmocka_unit_test(test_out_of_order),
        cmocka_unit_test(test_every_split_two),
        cmocka_unit_test(test_every_split_three),
        cmocka_unit_test(test_retransmission),
        cmocka_unit_test(test_overlap_same),
        cmocka_unit_test(test_overlap_different),
        cmocka_unit_test(test_wraparound),
        cmocka_unit_test(test_depth),
        cmocka_unit_test(test_flow_cap),
        cmocka_unit_test(test_seg_count_cap),
        cmocka_unit_test(test_memcap_flood),
        cmocka_unit_test(test_gap_skip),
        cmocka_unit_test(test_midstream_pickup),
        cmocka_unit_test(test_syn_data_and_window),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
