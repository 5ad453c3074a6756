/* track.c - per-key detector state with LRU eviction, and distinct counting
 * (track.h). */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "detect/track.h"
#include "util/util.h"

struct tentry {
    struct tentry *hnext;
    struct tentry *prev, *next; /* LRU list, least recent at head */
    uint64_t last_us;
    uint64_t hash;
    /* key_size bytes of key, then (8-aligned) val_size bytes of value */
    uint64_t data[];
};

struct track {
    size_t key_size, val_size, val_off;
    uint32_t max, n;
    uint32_t nbuckets; /* power of two */
    struct tentry **buckets;
    struct tentry *head, *tail;
    track_fn drop;
    void *drop_arg;
};

static uint64_t mix64(uint64_t x)
{
    x ^= x >> 30;
    x *= 0xbf58476d1ce4e5b9ULL;
    x ^= x >> 27;
    x *= 0x94d049bb133111ebULL;
    x ^= x >> 31;
    return x;
}

uint64_t track_hash_bytes(const void *p, size_t n)
{
    /* Eight bytes a step (keys are addresses and ports, 8 to 48 bytes):
     * a byte-at-a-time hash was a visible part of every lookup. */
    const uint8_t *b = p;
    uint64_t h = 0x9e3779b97f4a7c15ULL ^ n;
    while (n >= 8) {
        uint64_t w;
        memcpy(&w, b, 8);
        h = (h ^ w) * 0xbf58476d1ce4e5b9ULL;
        h ^= h >> 29;
        b += 8;
        n -= 8;
    }
    uint64_t w = 0;
    memcpy(&w, b, n);
    h = (h ^ w) * 0x94d049bb133111ebULL;
    return mix64(h);
}

uint64_t track_hash_ip(const struct ip_addr *a)
{
    return track_hash_bytes(a->b, sizeof(a->b));
}

uint64_t track_hash_str(const char *s)
{
    return track_hash_bytes(s, strlen(s));
}

struct track *track_new(size_t key_size, size_t val_size, uint32_t max_entries)
{
    if (key_size == 0 || max_entries == 0)
        BUG("track_new: empty key or no room");
    struct track *t = xcalloc(1, sizeof(*t));
    t->key_size = key_size;
    t->val_size = val_size;
    t->val_off = (key_size + 7) & ~(size_t)7;
    t->max = max_entries;
    t->nbuckets = 64;
    t->buckets = xcalloc(t->nbuckets, sizeof(*t->buckets));
    return t;
}

static void *tkey(struct tentry *e)
{
    return e->data;
}

static void *tval(const struct track *t, struct tentry *e)
{
    return (uint8_t *)e->data + t->val_off;
}

static void lru_unlink(struct track *t, struct tentry *e)
{
    if (e->prev)
        e->prev->next = e->next;
    else
        t->head = e->next;
    if (e->next)
        e->next->prev = e->prev;
    else
        t->tail = e->prev;
    e->prev = e->next = NULL;
}

static void lru_append(struct track *t, struct tentry *e)
{
    e->prev = t->tail;
    e->next = NULL;
    if (t->tail)
        t->tail->next = e;
    else
        t->head = e;
    t->tail = e;
}

static struct tentry *lookup(const struct track *t, const void *key, uint64_t h,
                             struct tentry ***link)
{
    struct tentry **pp = &t->buckets[h & (t->nbuckets - 1)];
    for (; *pp; pp = &(*pp)->hnext) {
        if ((*pp)->hash == h && memcmp(tkey(*pp), key, t->key_size) == 0) {
            if (link)
                *link = pp;
            return *pp;
        }
    }
    return NULL;
}

static void remove_entry(struct track *t, struct tentry *e)
{
    struct tentry **pp = &t->buckets[e->hash & (t->nbuckets - 1)];
    while (*pp != e)
        pp = &(*pp)->hnext;
    *pp = e->hnext;
    lru_unlink(t, e);
    t->n--;
    free(e);
}

static void grow(struct track *t)
{
    uint32_t nb = t->nbuckets * 2;
    struct tentry **b = xcalloc(nb, sizeof(*b));
    for (uint32_t i = 0; i < t->nbuckets; i++) {
        struct tentry *e = t->buckets[i];
        while (e) {
            struct tentry *next = e->hnext;
            e->hnext = b[e->hash & (nb - 1)];
            b[e->hash & (nb - 1)] = e;
            e = next;
        }
    }
    free(t->buckets);
    t->buckets = b;
    t->nbuckets = nb;
}

void track_set_drop(struct track *t, track_fn fn, void *arg)
{
    t->drop = fn;
    t->drop_arg = arg;
}

void *track_get(struct track *t, const void *key, uint64_t now_us, bool *created)
{
    uint64_t h = track_hash_bytes(key, t->key_size);
    struct tentry *e = lookup(t, key, h, NULL);
    if (e) {
        if (created)
            *created = false;
        if (now_us > e->last_us)
            e->last_us = now_us;
        if (e != t->tail) {
            lru_unlink(t, e);
            lru_append(t, e);
        }
        return tval(t, e);
    }
    if (t->n >= t->max && t->head) {
        struct tentry *old = t->head;
        if (t->drop)
            t->drop(t->drop_arg, tkey(old), tval(t, old));
        remove_entry(t, old);
    }
    if (t->n >= t->nbuckets && t->nbuckets < (1u << 30))
        grow(t);
    e = xcalloc(1, sizeof(*e) + t->val_off + t->val_size);
    memcpy(tkey(e), key, t->key_size);
    e->hash = h;
    e->last_us = now_us;
    e->hnext = t->buckets[h & (t->nbuckets - 1)];
    t->buckets[h & (t->nbuckets - 1)] = e;
    lru_append(t, e);
    t->n++;
    if (created)
        *created = true;
    return tval(t, e);
}

void *track_find(const struct track *t, const void *key)
{
    struct tentry *e = lookup(t, key, track_hash_bytes(key, t->key_size), NULL);
    return e ? tval(t, e) : NULL;
}

uint64_t track_last_us(const struct track *t, const void *key)
{
    struct tentry *e = lookup(t, key, track_hash_bytes(key, t->key_size), NULL);
    return e ? e->last_us : 0;
}

void track_del(struct track *t, const void *key)
{
    struct tentry *e = lookup(t, key, track_hash_bytes(key, t->key_size), NULL);
    if (e)
        remove_entry(t, e);
}

void track_expire(struct track *t, uint64_t before_us, track_fn fn, void *arg)
{
    /* The LRU order is by last use; a capture's clock may step back a
     * little (merged files), which only delays an expiry. */
    while (t->head && t->head->last_us < before_us) {
        struct tentry *e = t->head;
        if (fn)
            fn(arg, tkey(e), tval(t, e));
        remove_entry(t, e);
    }
}

void track_each(const struct track *t, track_fn fn, void *arg)
{
    for (struct tentry *e = t->head; e; e = e->next)
        fn(arg, tkey(e), tval(t, e));
}

uint32_t track_count(const struct track *t)
{
    return t->n;
}

void track_free(struct track *t)
{
    if (!t)
        return;
    struct tentry *e = t->head;
    while (e) {
        struct tentry *next = e->next;
        if (t->drop)
            t->drop(t->drop_arg, tkey(e), tval(t, e));
        free(e);
        e = next;
    }
    free(t->buckets);
    free(t);
}

/* --- distinct counting --- */

static uint32_t hll_estimate(const struct dcount *c);

static void hll_add(struct dcount *c, uint64_t h)
{
    unsigned idx = (unsigned)(h & (DCOUNT_REGS - 1));
    uint64_t w = h >> 6;
    uint8_t rank = 1;
    while (rank <= 58 && !(w & 1)) {
        rank++;
        w >>= 1;
    }
    if (rank > c->regs[idx]) {
        c->regs[idx] = rank;
        c->est = hll_estimate(c);
    }
}

void dcount_add(struct dcount *c, uint64_t value)
{
    /* Values are kept as 32-bit hashes; the registers take a hash of those
     * 32 bits, so a value counts once whether it came before or after the
     * switch to the sketch. */
    uint32_t h32 = (uint32_t)(mix64(value + 0x9e3779b97f4a7c15ULL) >> 32);
    if (c->sketch) {
        hll_add(c, mix64(h32));
        return;
    }
    for (unsigned i = 0; i < c->nexact; i++)
        if (c->exact[i] == h32)
            return;
    if (c->nexact < DCOUNT_EXACT) {
        c->exact[c->nexact++] = h32;
        return;
    }
    c->sketch = true;
    for (unsigned i = 0; i < c->nexact; i++)
        hll_add(c, mix64(c->exact[i]));
    hll_add(c, mix64(h32));
}

/* The HyperLogLog estimate of the registers. Detectors ask for a count on
 * every flow or event while registers change only a few times each, so
 * hll_add() keeps it in c->est and dcount_get() only reads it. */
static uint32_t hll_estimate(const struct dcount *c)
{
    /* HyperLogLog with the small-range (linear counting) correction. */
    double sum = 0;
    unsigned zeros = 0;
    for (unsigned i = 0; i < DCOUNT_REGS; i++) {
        /* 2^-r made from its bits: exactly ldexp(1.0, -r) (r <= 255 is far
         * from the subnormals), without a libm call per register, which
         * was a twentieth of a read with the scan detectors on. */
        uint64_t bits = (uint64_t)(1023 - c->regs[i]) << 52;
        double p;
        memcpy(&p, &bits, sizeof(p));
        sum += p;
        zeros += c->regs[i] == 0;
    }
    const double m = DCOUNT_REGS, alpha = 0.709;
    double est = alpha * m * m / sum;
    if (est <= 2.5 * m && zeros)
        est = m * log(m / zeros);
    if (est < DCOUNT_EXACT + 1)
        est = DCOUNT_EXACT + 1;
    return est > 4e9 ? 4000000000u : (uint32_t)(est + 0.5);
}

uint32_t dcount_get(const struct dcount *c)
{
    return c->sketch ? c->est : c->nexact;
}
