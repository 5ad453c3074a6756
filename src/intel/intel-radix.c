/* intel-radix.c - the CIDR table: which listed networks contain an address.
 *
 * Why a sorted interval array and not a Patricia trie: CIDR blocks are
 * always nested or disjoint (a laminar family), so sorted by (start asc,
 * end desc) each block's enclosing blocks come before it and a stack pass
 * gives every block its nearest parent. A lookup is one binary search for
 * the last block starting at or before the address, then a walk up the
 * parent links until a block contains it (the walk is bounded by the
 * nesting depth: 33 for IPv4, plus duplicates listed by several lists).
 * IPv4 entries take 20 bytes, IPv6 44, against 32-40 bytes per node and up
 * to two nodes per entry for a pointer trie; the arrays are contiguous, so a
 * million entries load with one sort and no per-entry allocation. The table
 * is built once and only read afterwards, which is all the sensor needs.
 */
#include <stdlib.h>
#include <string.h>

#include "decode/decode.h"
#include "intel/intel.h"
#include "util/util.h"

#define CIDR_NONE UINT32_MAX

struct cidr4 {
    uint32_t lo, hi;
    uint32_t parent;
    uint32_t note;
    uint16_t list;
    uint8_t bits; /* 0..32 */
};

struct cidr6 {
    uint64_t lo[2], hi[2]; /* [0] high half */
    uint32_t parent;
    uint32_t note;
    uint16_t list;
    uint8_t bits; /* 0..128 */
};

struct intel_cidrs {
    /* idx16[p]: first IPv4 block whose start's top 16 bits are >= p, so a
     * lookup searches only the blocks starting in the address's /16 (a
     * binary search over 20 MB is ~20 cache misses; this is one or two). */
    uint32_t *idx16;
    struct cidr4 *v4;
    size_t n4, cap4;
    struct cidr6 *v6;
    size_t n6, cap6;
};

struct intel_cidrs *intel_cidrs_new(void)
{
    return xcalloc(1, sizeof(struct intel_cidrs));
}

void intel_cidrs_free(struct intel_cidrs *t)
{
    if (!t)
        return;
    free(t->idx16);
    free(t->v4);
    free(t->v6);
    free(t);
}

static uint32_t cidr_v4(const struct ip_addr *a)
{
    return (uint32_t)a->b[12] << 24 | (uint32_t)a->b[13] << 16 | (uint32_t)a->b[14] << 8 |
           a->b[15];
}

static uint64_t cidr_half(const uint8_t *p)
{
    uint64_t v = 0;
    for (int i = 0; i < 8; i++)
        v = v << 8 | p[i];
    return v;
}

/* The mask of the first `bits` bits of a 64-bit half (bits 0..64). */
static uint64_t cidr_mask64(unsigned bits)
{
    return bits == 0 ? 0 : bits >= 64 ? UINT64_MAX : ~(UINT64_MAX >> bits);
}

void intel_cidrs_add(struct intel_cidrs *t, const struct ip_addr *net, uint8_t bits,
                     uint16_t list, uint32_t note)
{
    if (bits > 128)
        bits = 128;
    if (ip_addr_is_v4(net) && bits >= 96) {
        unsigned b = bits - 96u;
        uint32_t mask = b == 0 ? 0 : b >= 32 ? UINT32_MAX : ~(UINT32_MAX >> b);
        if (t->n4 == t->cap4) {
            t->cap4 = t->cap4 ? t->cap4 * 2 : 1024;
            t->v4 = xrealloc(t->v4, t->cap4 * sizeof(*t->v4));
        }
        struct cidr4 *c = &t->v4[t->n4++];
        c->lo = cidr_v4(net) & mask;
        c->hi = c->lo | ~mask;
        c->parent = CIDR_NONE;
        c->note = note;
        c->list = list;
        c->bits = (uint8_t)b;
        return;
    }
    if (t->n6 == t->cap6) {
        t->cap6 = t->cap6 ? t->cap6 * 2 : 256;
        t->v6 = xrealloc(t->v6, t->cap6 * sizeof(*t->v6));
    }
    struct cidr6 *c = &t->v6[t->n6++];
    uint64_t m0 = cidr_mask64(bits), m1 = cidr_mask64(bits > 64 ? bits - 64u : 0);
    c->lo[0] = cidr_half(net->b) & m0;
    c->lo[1] = cidr_half(net->b + 8) & m1;
    c->hi[0] = c->lo[0] | ~m0;
    c->hi[1] = c->lo[1] | ~m1;
    c->parent = CIDR_NONE;
    c->note = note;
    c->list = list;
    c->bits = bits;
}

static int cidr4_cmp(const void *pa, const void *pb)
{
    const struct cidr4 *a = pa, *b = pb;
    if (a->lo != b->lo)
        return a->lo < b->lo ? -1 : 1;
    if (a->hi != b->hi)
        return a->hi > b->hi ? -1 : 1; /* wider first: parents before children */
    return a->list < b->list ? -1 : a->list > b->list;
}

static int u128_cmp(const uint64_t a[2], const uint64_t b[2])
{
    if (a[0] != b[0])
        return a[0] < b[0] ? -1 : 1;
    if (a[1] != b[1])
        return a[1] < b[1] ? -1 : 1;
    return 0;
}

static int cidr6_cmp(const void *pa, const void *pb)
{
    const struct cidr6 *a = pa, *b = pb;
    int c = u128_cmp(a->lo, b->lo);
    if (c)
        return c;
    c = u128_cmp(a->hi, b->hi);
    if (c)
        return -c;
    return a->list < b->list ? -1 : a->list > b->list;
}

static bool cidrs_sorted(const void *v, size_t n, size_t size,
                         int (*cmp)(const void *, const void *))
{
    const char *p = v;
    for (size_t i = 1; i < n; i++)
        if (cmp(p + (i - 1) * size, p + i * size) > 0)
            return false;
    return true;
}

void intel_cidrs_seal(struct intel_cidrs *t)
{
    /* IPv4: sort, drop the same block listed twice by one list, link. The
     * table is sealed after every list, so the blocks are often sorted
     * already (a list of domains adds none): the check is one pass. */
    if (t->n4 && !cidrs_sorted(t->v4, t->n4, sizeof(*t->v4), cidr4_cmp))
        qsort(t->v4, t->n4, sizeof(*t->v4), cidr4_cmp);
    size_t w = 0;
    for (size_t i = 0; i < t->n4; i++) {
        if (w && t->v4[w - 1].lo == t->v4[i].lo && t->v4[w - 1].hi == t->v4[i].hi &&
            t->v4[w - 1].list == t->v4[i].list)
            continue;
        t->v4[w++] = t->v4[i];
    }
    t->n4 = w;
    /* The stack of open blocks is the chain of parents of the last block:
     * walk it through the parent links instead of keeping a separate one. */
    uint32_t top = CIDR_NONE;
    for (size_t i = 0; i < t->n4; i++) {
        while (top != CIDR_NONE && t->v4[top].hi < t->v4[i].lo)
            top = t->v4[top].parent;
        t->v4[i].parent = top;
        top = (uint32_t)i;
    }

    free(t->idx16);
    t->idx16 = xmalloc(65537 * sizeof(uint32_t));
    size_t k = 0;
    for (uint32_t p = 0; p <= 65536; p++) {
        while (k < t->n4 && (t->v4[k].lo >> 16) < p)
            k++;
        t->idx16[p] = (uint32_t)k;
    }

    if (t->n6 && !cidrs_sorted(t->v6, t->n6, sizeof(*t->v6), cidr6_cmp))
        qsort(t->v6, t->n6, sizeof(*t->v6), cidr6_cmp);
    w = 0;
    for (size_t i = 0; i < t->n6; i++) {
        if (w && u128_cmp(t->v6[w - 1].lo, t->v6[i].lo) == 0 &&
            u128_cmp(t->v6[w - 1].hi, t->v6[i].hi) == 0 && t->v6[w - 1].list == t->v6[i].list)
            continue;
        t->v6[w++] = t->v6[i];
    }
    t->n6 = w;
    top = CIDR_NONE;
    for (size_t i = 0; i < t->n6; i++) {
        while (top != CIDR_NONE && u128_cmp(t->v6[top].hi, t->v6[i].lo) < 0)
            top = t->v6[top].parent;
        t->v6[i].parent = top;
        top = (uint32_t)i;
    }
}

unsigned intel_cidrs_find(const struct intel_cidrs *t, const struct ip_addr *a, intel_cidr_fn fn,
                          void *arg)
{
    unsigned visited = 0;
    if (ip_addr_is_v4(a)) {
        if (!t->n4)
            return 0;
        uint32_t x = cidr_v4(a);
        /* The last block with lo <= x: among those starting in x's /16,
         * else the one just before them. */
        size_t lo = t->idx16[x >> 16], hi = t->idx16[(x >> 16) + 1];
        while (lo < hi) {
            size_t mid = lo + (hi - lo) / 2;
            if (t->v4[mid].lo <= x)
                lo = mid + 1;
            else
                hi = mid;
        }
        if (lo == 0)
            return 0;
        uint32_t i = (uint32_t)(lo - 1);
        while (i != CIDR_NONE && t->v4[i].hi < x)
            i = t->v4[i].parent;
        while (i != CIDR_NONE) {
            const struct cidr4 *c = &t->v4[i];
            struct ip_addr net;
            uint8_t v4[4] = {(uint8_t)(c->lo >> 24), (uint8_t)(c->lo >> 16), (uint8_t)(c->lo >> 8),
                             (uint8_t)c->lo};
            ip_addr_from_v4(&net, v4);
            visited++;
            if (!fn(arg, &net, (uint8_t)(c->bits + 96), c->list, c->note))
                break;
            i = c->parent;
        }
        return visited;
    }
    if (!t->n6)
        return 0;
    uint64_t x[2] = {cidr_half(a->b), cidr_half(a->b + 8)};
    size_t lo = 0, hi = t->n6;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (u128_cmp(t->v6[mid].lo, x) <= 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    if (lo == 0)
        return 0;
    uint32_t i = (uint32_t)(lo - 1);
    while (i != CIDR_NONE && u128_cmp(t->v6[i].hi, x) < 0)
        i = t->v6[i].parent;
    while (i != CIDR_NONE) {
        const struct cidr6 *c = &t->v6[i];
        struct ip_addr net;
        for (int k = 0; k < 8; k++) {
            net.b[k] = (uint8_t)(c->lo[0] >> (56 - 8 * k));
            net.b[8 + k] = (uint8_t)(c->lo[1] >> (56 - 8 * k));
        }
        visited++;
        if (!fn(arg, &net, c->bits, c->list, c->note))
            break;
        i = c->parent;
    }
    return visited;
}

size_t intel_cidrs_count(const struct intel_cidrs *t)
{
    return t->n4 + t->n6;
}

size_t intel_cidrs_mem(const struct intel_cidrs *t)
{
    return t->cap4 * sizeof(*t->v4) + t->cap6 * sizeof(*t->v6) +
           (t->idx16 ? 65537 * sizeof(uint32_t) : 0);
}
