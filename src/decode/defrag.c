/* defrag.c - IPv4/IPv6 fragment reassembly with a tracker cap, a memcap and
 * a packet-time timeout.
 *
 * Each datagram in progress is one tracker, found through a chained hash
 * table and kept on an age list (oldest first) so that timeouts and
 * evictions only ever look at the head. A tracker holds the fragments it was
 * given as separate pieces, newest first; reassembly copies them newest to
 * oldest into one output buffer so the oldest data ends up on top ("first"
 * policy, as Linux and the BSDs do). Memory counted against the memcap is the
 * tracker structs plus every piece with its bytes, so a flood of garbage
 * fragments costs at most defrag_memcap bytes.
 */
#include <stdlib.h>
#include <string.h>

#include "decode/defrag.h"
#include "util/util.h"

struct frag_piece {
    struct frag_piece *next; /* older piece */
    uint32_t off, len;
    uint8_t data[];
};

struct frag_tracker {
    struct frag_tracker *hnext;         /* hash chain */
    struct frag_tracker *older, *newer; /* age list */
    uint32_t hash;
    uint8_t version, proto;
    uint32_t id;
    struct ip_addr src, dst;
    uint64_t first_us;         /* packet time of the first fragment */
    struct frag_piece *pieces; /* newest first */
    uint32_t npieces;
    uint32_t nfrags;    /* fragments accepted (duplicates too) */
    uint32_t total_len; /* known once the last fragment arrived */
    bool have_last;
    uint32_t reach;   /* the pieces cover [0, reach) without a hole */
    uint32_t max_end; /* the furthest end of any piece */
    uint32_t frames;
    uint64_t wire_bytes;
    uint64_t mem; /* bytes this tracker holds */
};

struct defrag {
    struct frag_tracker **buckets;
    uint32_t nbuckets; /* power of two */
    struct frag_tracker *oldest, *newest;
    uint32_t ntrackers;
    uint32_t max_trackers;
    uint64_t mem_used;
    uint64_t memcap;
    uint64_t timeout_us;
    uint8_t *out; /* MAX_REASSEMBLED_LEN bytes, the last reassembled datagram */
};

struct defrag *defrag_new(const struct decode_config *cfg)
{
    struct defrag *d = xcalloc(1, sizeof(*d));
    uint32_t n = 16;

    d->max_trackers = cfg->defrag_max_trackers ? cfg->defrag_max_trackers : 1;
    d->memcap = cfg->defrag_memcap;
    d->timeout_us = (uint64_t)cfg->defrag_timeout_s * 1000000u;
    /* About one bucket per tracker keeps chains short; capped so a silly
     * configured maximum cannot make us allocate gigabytes up front. */
    while (n < d->max_trackers && n < (1u << 20))
        n <<= 1;
    d->nbuckets = n;
    d->buckets = xcalloc(n, sizeof(*d->buckets));
    d->out = xmalloc(MAX_REASSEMBLED_LEN);
    return d;
}

static void tracker_free_pieces(struct frag_tracker *t)
{
    struct frag_piece *pc = t->pieces;
    while (pc) {
        struct frag_piece *next = pc->next;
        free(pc);
        pc = next;
    }
    t->pieces = NULL;
}

/* Unlinks a tracker from the hash chain and the age list and frees it. */
static void tracker_drop(struct defrag *d, struct frag_tracker *t)
{
    struct frag_tracker **pp = &d->buckets[t->hash & (d->nbuckets - 1)];
    while (*pp && *pp != t)
        pp = &(*pp)->hnext;
    if (*pp)
        *pp = t->hnext;

    if (t->older)
        t->older->newer = t->newer;
    else
        d->oldest = t->newer;
    if (t->newer)
        t->newer->older = t->older;
    else
        d->newest = t->older;

    d->mem_used -= t->mem;
    d->ntrackers--;
    tracker_free_pieces(t);
    free(t);
}

void defrag_free(struct defrag *d)
{
    if (!d)
        return;
    while (d->oldest)
        tracker_drop(d, d->oldest);
    free(d->buckets);
    free(d->out);
    free(d);
}

uint64_t defrag_mem_used(const struct defrag *d)
{
    return d->mem_used;
}

uint32_t defrag_trackers(const struct defrag *d)
{
    return d->ntrackers;
}

static bool tracker_expired(const struct defrag *d, const struct frag_tracker *t, uint64_t now_us)
{
    /* Packet time may go backwards in stitched captures: such a tracker is
     * not expired by time, only evicted when the table is full. */
    return now_us > t->first_us && now_us - t->first_us > d->timeout_us;
}

void defrag_expire(struct defrag *d, struct decode_ctx *ctx, uint64_t now_us)
{
    /* The age list is in creation order, so expired trackers are at the
     * head; the loop is bounded by the tracker count. */
    while (d->oldest && tracker_expired(d, d->oldest, now_us)) {
        ctx->events[DEV_FRAG_TIMEOUT]++;
        tracker_drop(d, d->oldest);
    }
}

/* FNV-1a over the key. NEEDSWORK: unseeded, so an attacker who knows it can
 * aim fragments at one chain; chains are bounded by max_trackers anyway. */
static uint32_t key_hash(uint8_t version, const struct ip_addr *src, const struct ip_addr *dst,
                         uint32_t id, uint8_t proto)
{
    uint32_t h = 2166136261u;
    uint8_t tail[6] = {
        version, proto, (uint8_t)(id >> 24), (uint8_t)(id >> 16), (uint8_t)(id >> 8), (uint8_t)id};
    for (unsigned i = 0; i < 16; i++)
        h = (h ^ src->b[i]) * 16777619u;
    for (unsigned i = 0; i < 16; i++)
        h = (h ^ dst->b[i]) * 16777619u;
    for (unsigned i = 0; i < sizeof(tail); i++)
        h = (h ^ tail[i]) * 16777619u;
    return h;
}

static struct frag_tracker *tracker_find(struct defrag *d, uint32_t hash, uint8_t version,
                                         const struct ip_addr *src, const struct ip_addr *dst,
                                         uint32_t id, uint8_t proto)
{
    struct frag_tracker *t = d->buckets[hash & (d->nbuckets - 1)];
    for (; t; t = t->hnext) {
        if (t->hash == hash && t->version == version && t->id == id && t->proto == proto &&
            memcmp(&t->src, src, sizeof(*src)) == 0 && memcmp(&t->dst, dst, sizeof(*dst)) == 0)
            return t;
    }
    return NULL;
}

/* Makes room for `need` more bytes and, if `new_tracker`, one more tracker,
 * by dropping the oldest trackers other than `keep`. Returns false if even
 * that is not enough (the caller then drops the fragment). */
static bool make_room(struct defrag *d, struct decode_ctx *ctx, const struct frag_tracker *keep,
                      uint64_t need, bool new_tracker)
{
    if (new_tracker) {
        while (d->ntrackers >= d->max_trackers && d->oldest) {
            ctx->events[DEV_FRAG_TABLE_FULL]++;
            tracker_drop(d, d->oldest);
        }
    }
    while (d->mem_used + need > d->memcap) {
        struct frag_tracker *victim = d->oldest;
        if (victim == keep)
            victim = victim->newer;
        if (!victim)
            return false;
        ctx->events[DEV_FRAG_MEMCAP]++;
        tracker_drop(d, victim);
    }
    return true;
}

static enum decode_event ev_overlap(uint8_t version)
{
    return version == 4 ? DEV_IPV4_FRAG_OVERLAP : DEV_IPV6_FRAG_OVERLAP;
}

static enum decode_event ev_too_large(uint8_t version)
{
    return version == 4 ? DEV_IPV4_FRAG_TOO_LARGE : DEV_IPV6_FRAG_TOO_LARGE;
}

/* Compares the new fragment with what the tracker already holds. Sets
 * *differs when an overlapping byte range carries other data, and returns
 * true when one existing piece already covers the whole fragment (a
 * retransmitted duplicate: nothing new to store). */
static bool check_overlap(const struct frag_tracker *t, uint32_t off, const uint8_t *data,
                          uint32_t len, bool *differs)
{
    bool covered = false;
    uint32_t end = off + len;

    *differs = false;
    for (const struct frag_piece *pc = t->pieces; pc; pc = pc->next) {
        uint32_t pend = pc->off + pc->len;
        uint32_t lo = MAX(off, pc->off);
        uint32_t hi = MIN(end, pend);
        if (lo >= hi)
            continue;
        if (memcmp(data + (lo - off), pc->data + (lo - pc->off), hi - lo) != 0)
            *differs = true;
        if (pc->off <= off && pend >= end)
            covered = true;
    }
    return covered;
}

/* Extends the covered prefix [0, reach) after a piece [off, end) was
 * added. Pieces are only ever added, so the prefix only grows: in-order
 * fragments extend it one step each, and the passes over the pieces run
 * only when the new piece joined the prefix and others lie beyond it.
 * (Recomputing the prefix from nothing at each fragment cost about 4 000
 * instructions a fragment on the bench capture.) A pass that extends
 * nothing ends the loop, so it runs at most npieces + 1 times. */
static void tracker_extend(struct frag_tracker *t, uint32_t off, uint32_t end)
{
    if (end > t->max_end)
        t->max_end = end;
    if (off > t->reach || end <= t->reach)
        return;
    t->reach = end;
    bool progress = true;
    while (t->reach < t->max_end && progress) {
        progress = false;
        for (const struct frag_piece *pc = t->pieces; pc; pc = pc->next) {
            if (pc->off <= t->reach && pc->off + pc->len > t->reach) {
                t->reach = pc->off + pc->len;
                progress = true;
            }
        }
    }
}

/* True when the pieces cover [0, total_len) without a hole. */
static bool tracker_complete(const struct frag_tracker *t)
{
    return t->have_last && t->reach >= t->total_len;
}

static uint32_t tracker_assemble(struct defrag *d, const struct frag_tracker *t)
{
    /* Newest first, so older pieces overwrite newer ones: first data wins.
     * Every piece ends at or before total_len (checked on insert). */
    for (const struct frag_piece *pc = t->pieces; pc; pc = pc->next)
        memcpy(d->out + pc->off, pc->data, pc->len);
    return t->total_len;
}

int defrag_add(struct defrag *d, struct decode_ctx *ctx, struct packet *pkt, uint8_t ip_version,
               const struct ip_addr *src, const struct ip_addr *dst, uint32_t id, uint8_t proto,
               uint32_t offset, int more, const uint8_t *frag, uint32_t frag_len,
               const uint8_t **out, uint32_t *out_len, uint32_t *frames, uint64_t *wire_bytes)
{
    uint32_t hash = key_hash(ip_version, src, dst, id, proto);
    struct frag_tracker *t;
    bool differs, dup;
    uint32_t end;

    *out = NULL;
    *out_len = 0;
    *frames = 0;
    *wire_bytes = 0;

    defrag_expire(d, ctx, pkt->ts_us);
    t = tracker_find(d, hash, ip_version, src, dst, id, proto);

    /* offset <= 65528 and frag_len < 2^32, so the sum is done in 64 bits. */
    if ((uint64_t)offset + frag_len > MAX_REASSEMBLED_LEN) {
        decode_event(ctx, pkt, ev_too_large(ip_version));
        if (t)
            tracker_drop(d, t);
        return DECODE_ERR;
    }
    end = offset + frag_len;

    if (!t) {
        if (!make_room(d, ctx, NULL, sizeof(*t), true)) {
            ctx->events[DEV_FRAG_MEMCAP]++;
            return DECODE_ERR;
        }
        t = xcalloc(1, sizeof(*t));
        t->hash = hash;
        t->version = ip_version;
        t->proto = proto;
        t->id = id;
        t->src = *src;
        t->dst = *dst;
        t->first_us = pkt->ts_us;
        t->mem = sizeof(*t);
        t->hnext = d->buckets[hash & (d->nbuckets - 1)];
        d->buckets[hash & (d->nbuckets - 1)] = t;
        t->older = d->newest;
        if (d->newest)
            d->newest->newer = t;
        else
            d->oldest = t;
        d->newest = t;
        d->ntrackers++;
        d->mem_used += t->mem;
    }

    if (t->nfrags >= MAX_FRAGS_PER_DATAGRAM) {
        decode_event(ctx, pkt, DEV_FRAG_TOO_MANY);
        tracker_drop(d, t);
        return DECODE_ERR;
    }

    /* A last fragment that disagrees with an earlier one about the end, or
     * data past the known end: keep the first view, count the conflict. */
    if (t->have_last && (end > t->total_len || (!more && end != t->total_len))) {
        decode_event(ctx, pkt, ev_overlap(ip_version));
        t->frames++;
        t->wire_bytes += pkt->wirelen;
        return DECODE_ERR;
    }
    if (!more) {
        for (const struct frag_piece *pc = t->pieces; pc; pc = pc->next) {
            if (pc->off + pc->len > end) {
                decode_event(ctx, pkt, ev_overlap(ip_version));
                t->frames++;
                t->wire_bytes += pkt->wirelen;
                return DECODE_ERR;
            }
        }
    }

    dup = check_overlap(t, offset, frag, frag_len, &differs);
    if (differs)
        decode_event(ctx, pkt, ev_overlap(ip_version));

    if (!dup && frag_len > 0) {
        uint64_t need = sizeof(struct frag_piece) + (uint64_t)frag_len;
        struct frag_piece *pc;
        if (!make_room(d, ctx, t, need, false)) {
            ctx->events[DEV_FRAG_MEMCAP]++;
            tracker_drop(d, t);
            return DECODE_ERR;
        }
        pc = xmalloc(sizeof(*pc) + frag_len);
        pc->off = offset;
        pc->len = frag_len;
        memcpy(pc->data, frag, frag_len);
        pc->next = t->pieces;
        t->pieces = pc;
        t->npieces++;
        t->mem += need;
        d->mem_used += need;
        tracker_extend(t, offset, end);
    }
    t->nfrags++;
    t->frames++;
    t->wire_bytes += pkt->wirelen;
    if (!more) {
        t->have_last = true;
        t->total_len = end;
    }

    if (!tracker_complete(t))
        return 0;

    *out_len = tracker_assemble(d, t);
    *out = d->out;
    *frames = t->frames;
    *wire_bytes = t->wire_bytes;
    /* A completed datagram is good news, not a malformed packet. */
    ctx->events[DEV_FRAG_REASSEMBLED]++;
    tracker_drop(d, t);
    return 1;
}
