/* stream-tcp.c - TCP stream reassembly (see stream-tcp.h for the policy).
 *
 * Invariant per direction, restored before every return: the held segments
 * are sorted, disjoint, and each starts strictly after next_seq. All
 * positions are kept as offsets from next_seq ("rel"), which stay below 2^31
 * (a segment starts less than STREAM_MAX_WINDOW ahead and is shorter than
 * it), so plain unsigned arithmetic on them never wraps.
 */
#include <stdlib.h>
#include <string.h>

#include "stream/stream-tcp.h"
#include "decode/packet.h"
#include "util/limits.h"
#include "util/util.h"

struct stream_seg {
    struct stream_seg *next;
    uint32_t seq;
    uint32_t len;
    uint8_t data[];
};

/* A run of new bytes not covered by held data: data[off..off+len) at seq. */
struct stream_piece {
    uint32_t seq;
    uint32_t off;
    uint32_t len;
};

/* RFC 1982 serial-number "less than" for 32-bit sequence numbers. */
static bool seq_lt(uint32_t a, uint32_t b)
{
    return a != b && (uint32_t)(b - a) < 0x80000000u;
}

void stream_config_defaults(struct stream_config *cfg)
{
    cfg->depth = 1024u * 1024u;
    cfg->max_ooo_bytes_per_flow = 64u * 1024u;
    cfg->memcap = 64u * 1024u * 1024u;
}

void stream_pool_init(struct stream_pool *pool, const struct stream_config *cfg)
{
    memset(pool, 0, sizeof(*pool));
    pool->cfg = *cfg;
}

void stream_tcp_init(struct stream_tcp *st)
{
    memset(st, 0, sizeof(*st));
}

static uint64_t seg_cost(uint32_t len)
{
    return sizeof(struct stream_seg) + (uint64_t)len;
}

static void seg_free(struct stream_pool *pool, struct stream_dir *d, struct stream_seg *s)
{
    pool->mem_used -= seg_cost(s->len);
    pool->stats.bytes_held -= s->len;
    pool->stats.segs_held--;
    d->ooo_bytes -= s->len;
    d->ooo_segs--;
    free(s);
}

static void dir_free_segs(struct stream_pool *pool, struct stream_dir *d)
{
    while (d->ooo) {
        struct stream_seg *s = d->ooo;
        d->ooo = s->next;
        seg_free(pool, d, s);
    }
}

static void dir_set_depth_reached(struct stream_pool *pool, struct stream_dir *d)
{
    if (!d->depth_reached) {
        d->depth_reached = true;
        pool->stats.depth_reached++;
    }
    dir_free_segs(pool, d);
}

/* Gives len bytes at next_seq to the callback, cut at depth. */
static void dir_deliver(struct stream_pool *pool, struct stream_dir *d, int dir,
                        const uint8_t *data, uint32_t len, stream_data_fn cb, void *arg)
{
    uint32_t depth = pool->cfg.depth;
    bool last = false;

    if (depth && d->consumed + len >= depth) {
        len = (uint32_t)(depth - d->consumed);
        last = true;
    }
    if (len)
        cb(arg, dir, data, len);
    d->next_seq += len;
    d->consumed += len;
    d->delivered += len;
    if (last)
        dir_set_depth_reached(pool, d);
}

/* Delivers held segments that start at next_seq. Held segments never
 * overlap each other, so each head either starts at next_seq or later. */
static void dir_drain(struct stream_pool *pool, struct stream_dir *d, int dir, stream_data_fn cb,
                      void *arg)
{
    while (d->ooo && !d->depth_reached && d->ooo->seq == d->next_seq) {
        struct stream_seg *s = d->ooo;
        d->ooo = s->next;
        dir_deliver(pool, d, dir, s->data, s->len, cb, arg);
        seg_free(pool, d, s);
    }
}

/* Moves next_seq forward to `to` without data, counting a gap. */
static void dir_skip_to(struct stream_pool *pool, struct stream_dir *d, uint32_t to)
{
    uint32_t n = to - d->next_seq;

    pool->stats.gaps++;
    pool->stats.gap_bytes += n;
    d->gaps++;
    d->next_seq = to;
    d->consumed += n;
    if (pool->cfg.depth && d->consumed >= pool->cfg.depth)
        dir_set_depth_reached(pool, d);
}

/* Skips the hole before the first held segment and delivers what follows.
 * Returns false when nothing is held. */
static bool dir_skip_first_gap(struct stream_pool *pool, struct stream_dir *d, int dir,
                               stream_data_fn cb, void *arg)
{
    if (!d->ooo)
        return false;
    dir_skip_to(pool, d, d->ooo->seq);
    dir_drain(pool, d, dir, cb, arg);
    return true;
}

/* Splits new data (starting rel bytes after next_seq) into the runs that no
 * held segment covers; the covered parts are compared with what is held
 * (first copy wins). Returns the number of pieces. */
static unsigned dir_clip(struct stream_pool *pool, const struct stream_dir *d, uint32_t seq,
                         const uint8_t *data, uint32_t len, struct stream_piece *pieces)
{
    uint32_t start = seq - d->next_seq;
    uint32_t pos = start, end = start + len;
    unsigned n = 0;

    for (const struct stream_seg *s = d->ooo; s && pos < end; s = s->next) {
        uint32_t s_start = s->seq - d->next_seq, s_end = s_start + s->len;
        if (s_end <= pos)
            continue;
        if (s_start >= end)
            break;
        if (s_start > pos) {
            pieces[n++] = (struct stream_piece){d->next_seq + pos, pos - start, s_start - pos};
            pos = s_start;
        }
        uint32_t ov = MIN(end, s_end) - pos;
        pool->stats.overlaps++;
        if (memcmp(data + (pos - start), s->data + (pos - s_start), ov) != 0)
            pool->stats.overlap_mismatch++;
        pos += ov;
    }
    if (pos < end)
        pieces[n++] = (struct stream_piece){d->next_seq + pos, pos - start, end - pos};
    return n;
}

/* Copies a piece into the sorted list; false if memcap refuses it. */
static bool dir_hold(struct stream_pool *pool, struct stream_dir *d, uint32_t seq,
                     const uint8_t *data, uint32_t len)
{
    uint64_t cost = seg_cost(len);
    uint32_t rel = seq - d->next_seq;

    if (pool->cfg.memcap && pool->mem_used + cost > pool->cfg.memcap) {
        pool->stats.memcap_drops++;
        return false;
    }
    struct stream_seg *s = xmalloc(sizeof(*s) + len);
    s->seq = seq;
    s->len = len;
    memcpy(s->data, data, len);

    struct stream_seg **pp = &d->ooo;
    while (*pp && (uint32_t)((*pp)->seq - d->next_seq) < rel)
        pp = &(*pp)->next;
    s->next = *pp;
    *pp = s;

    pool->mem_used += cost;
    pool->stats.bytes_held += len;
    pool->stats.segs_held++;
    d->ooo_bytes += len;
    d->ooo_segs++;
    return true;
}

static uint32_t flow_ooo_bytes(const struct stream_tcp *st)
{
    return st->dir[0].ooo_bytes + st->dir[1].ooo_bytes;
}

/* Places one piece: delivers it if it starts at next_seq, else holds it,
 * skipping holes first while the flow's buffer has no room for it. */
static void dir_place(struct stream_pool *pool, struct stream_tcp *st, int dir,
                      struct stream_piece pc, const uint8_t *data, stream_data_fn cb, void *arg)
{
    struct stream_dir *d = &st->dir[dir];
    uint32_t cap = pool->cfg.max_ooo_bytes_per_flow;

    /* Each pass either returns or skips a hole, removing at least one held
     * segment; one more pass covers the hole right before the piece. */
    for (unsigned pass = 0; pass <= MAX_STREAM_OOO_SEGS + 1 && !d->depth_reached; pass++) {
        uint32_t rel = pc.seq - d->next_seq;
        if (rel == 0) {
            dir_deliver(pool, d, dir, data + pc.off, pc.len, cb, arg);
            dir_drain(pool, d, dir, cb, arg);
            return;
        }
        /* Bytes past depth would never be delivered: do not hold them. */
        uint32_t len = pc.len;
        if (pool->cfg.depth) {
            uint64_t at = d->consumed + rel;
            if (at >= pool->cfg.depth)
                return;
            len = (uint32_t)MIN((uint64_t)len, pool->cfg.depth - at);
        }
        if (d->ooo_segs < MAX_STREAM_OOO_SEGS && flow_ooo_bytes(st) + (uint64_t)len <= cap) {
            dir_hold(pool, d, pc.seq, data + pc.off, len);
            return;
        }
        pool->stats.flow_cap_skips++;
        if (d->ooo && seq_lt(d->ooo->seq, pc.seq)) {
            dir_skip_first_gap(pool, d, dir, cb, arg);
        } else {
            /* Nothing held here before the piece: its own hole goes. */
            dir_skip_to(pool, d, pc.seq);
        }
    }
}

int stream_tcp_segment(struct stream_pool *pool, struct stream_tcp *st, int dir, uint8_t flags,
                       uint32_t seq, const uint8_t *data, uint32_t len, stream_data_fn cb,
                       void *arg)
{
    struct stream_piece pieces[MAX_STREAM_OOO_SEGS + 1];

    if (dir != 0 && dir != 1)
        return -1;
    if (len >= STREAM_MAX_WINDOW || (len && !data))
        return -1;
    struct stream_dir *d = &st->dir[dir];

    if (flags & TH_SYN) {
        if (!d->started) {
            d->started = true;
            d->syn_seen = true;
            d->isn = seq;
            d->next_seq = seq + 1;
        }
        /* SYN consumes one sequence number; data on it (TFO) follows. */
        seq++;
    }
    if (len == 0 || d->depth_reached)
        return 0;
    if (!d->started) {
        d->started = true;
        d->isn = seq;
        d->next_seq = seq;
    }

    /* Already delivered (in whole or in part): keep only the new tail. */
    if (seq_lt(seq, d->next_seq)) {
        uint32_t old = d->next_seq - seq;
        if (old >= len)
            return 0;
        data += old;
        len -= old;
        seq = d->next_seq;
    }
    if (seq - d->next_seq >= STREAM_MAX_WINDOW) {
        pool->stats.out_of_window++;
        return 0;
    }

    if (!d->ooo && seq == d->next_seq) {
        dir_deliver(pool, d, dir, data, len, cb, arg);
        return 0;
    }
    unsigned n = dir_clip(pool, d, seq, data, len, pieces);
    for (unsigned i = 0; i < n && !d->depth_reached; i++) {
        /* Placing an earlier piece may have skipped past this one. */
        if (seq_lt(pieces[i].seq, d->next_seq)) {
            uint32_t old = d->next_seq - pieces[i].seq;
            if (old >= pieces[i].len)
                continue;
            pieces[i].seq += old;
            pieces[i].off += old;
            pieces[i].len -= old;
        }
        dir_place(pool, st, dir, pieces[i], data, cb, arg);
    }
    return 0;
}

unsigned stream_tcp_gap(struct stream_pool *pool, struct stream_tcp *st, int dir, stream_data_fn cb,
                        void *arg)
{
    unsigned n = 0;

    for (int i = 0; i < 2; i++) {
        if (dir != -1 && dir != i)
            continue;
        struct stream_dir *d = &st->dir[i];
        /* Each skip removes at least one held segment. */
        for (unsigned k = 0; k < MAX_STREAM_OOO_SEGS && !d->depth_reached; k++) {
            if (!dir_skip_first_gap(pool, d, i, cb, arg))
                break;
            n++;
        }
    }
    return n;
}

void stream_tcp_release(struct stream_pool *pool, struct stream_tcp *st)
{
    dir_free_segs(pool, &st->dir[0]);
    dir_free_segs(pool, &st->dir[1]);
}
