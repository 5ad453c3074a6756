/* flow-table.c - the flow table: lookup, TCP state, timeouts and eviction.
 *
 * This is the sensor's hot path, so the layout is chosen for it:
 *
 *  - Flows live in slabs that grow (64, 128, ... up to FLOW_SLAB_MAX structs)
 *    until max_flows exist, are handed out in order from the newest slab
 *    and recycled through a free list: a small capture costs little memory
 *    and a flood costs no more than the cap. Slabs are freed only with the
 *    table.
 *  - The hash table chains through f->hnext. It starts small and doubles
 *    while there are more flows than buckets, up to the power of two >=
 *    max_flows, so the load factor stays <= 1.
 *  - Every flow is on exactly one of FTC_MAX timeout lists, ordered by
 *    f->lts_us (the table clock when it was put at the tail). Expiry and
 *    eviction only look at list heads: O(1) when nothing is due.
 *  - A flow is moved to its list's tail at most once per FLOW_REQUEUE_US of
 *    packet time, not on every packet: that keeps an update down to the
 *    bucket and the flow's own cache lines. See flow_table_expire() for why
 *    this makes expiry at most FLOW_REQUEUE_US late and never early.
 *
 * Time is the table clock: the largest packet time seen (packet_ts or the
 * `now` given to flow_table_expire()). It never goes backwards, so stitched
 * captures whose timestamps jump back keep the lists ordered; the flows'
 * own first_ts_us/last_ts_us are the min/max of their packets' times.
 *
 * on_end is called from inside flow_table_update(), flow_table_expire() and
 * flow_table_flush(); it must not call back into the table.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "flow/flow.h"
#include "util/util.h"

#define US_PER_S 1000000u

/* Re-queue granularity (see the file comment). Timeouts are whole seconds
 * and the pipeline expires once per second of packet time, so one second of
 * slack is below what anyone can observe. */
#define FLOW_REQUEUE_US US_PER_S

/* First slab and largest slab, in flows. 64 flows (~20 KiB) is enough for a
 * short capture; 65536 (~20 MiB) keeps each later allocation reasonable. */
#define FLOW_SLAB_MIN 64u
#define FLOW_SLAB_MAX 65536u

/* Initial bucket count (grows by doubling, see flow_table_maybe_grow). */
#define FLOW_BUCKETS_MIN 1024u

/* Arrays at least this big are aligned to it and marked for transparent
 * huge pages (x86-64 and arm64 use 2 MiB). */
#define FLOW_HUGE_PAGE (2u * 1024u * 1024u)

#define PROTO_ICMP 1
#define PROTO_TCP 6
#define PROTO_UDP 17
#define PROTO_ICMPV6 58

_Static_assert(sizeof(struct flow_key) == 44, "flow_key must have no hidden padding");

struct flow_list {
    struct flow *head, *tail;
};

struct flow_table {
    struct flow_config cfg;
    flow_end_fn on_end;
    void *arg;

    struct flow **buckets;
    uint32_t nbuckets, max_buckets; /* powers of two */
    uint64_t seed;

    struct flow *free_list; /* ended flows, chained through hnext */
    struct flow *fresh;     /* never-used flows at the end of the newest slab */
    uint32_t fresh_left;
    uint32_t allocated; /* flows in slabs, <= cfg.max_flows */
    uint32_t next_slab;
    struct flow **slabs;
    uint32_t nslabs, slabs_cap;

    struct flow_list lists[FTC_MAX];
    uint64_t idle_us[FTC_MAX];
    uint64_t active_us;
    uint64_t clock_us; /* largest packet time seen */
    uint64_t next_id;
    struct flow_stats stats;
};

void flow_config_defaults(struct flow_config *cfg)
{
    memset(cfg, 0, sizeof(*cfg));
    cfg->max_flows = DEFAULT_MAX_FLOWS;
    /* Suricata's default flow timeouts (suricata.yaml flow-timeouts). The
     * closed timeout is the short wait after both FINs or a RST so that the
     * last ACK and stray retransmissions still land in the flow. */
    cfg->idle_timeout_s[FTC_TCP_NEW] = 60;
    cfg->idle_timeout_s[FTC_TCP_EST] = 3600;
    cfg->idle_timeout_s[FTC_TCP_CLOSED] = 10;
    cfg->idle_timeout_s[FTC_UDP_NEW] = 30;
    cfg->idle_timeout_s[FTC_UDP_EST] = 300;
    cfg->idle_timeout_s[FTC_ICMP_NEW] = 30;
    cfg->idle_timeout_s[FTC_ICMP_EST] = 300;
    cfg->idle_timeout_s[FTC_OTHER_NEW] = 30;
    cfg->idle_timeout_s[FTC_OTHER_EST] = 300;
    /* Off, like Suricata and Zeek: one record per connection, so flow
     * counts match theirs and tshark's conversations for any capture file.
     * A live sensor that wants week-long VPN sessions to show up before they
     * end sets flow.active_timeout (NetFlow exporters commonly use 1800). */
    cfg->active_timeout_s = 0;
    cfg->hash_seed = 0;
}

/* --- hashing ------------------------------------------------------------ */

static inline uint64_t rotl64(uint64_t x, unsigned r)
{
    return (x << r) | (x >> (64 - r));
}

/* MurmurHash3's 64-bit finaliser: every input bit affects every output bit. */
static inline uint64_t fmix64(uint64_t h)
{
    h ^= h >> 33;
    h *= 0xff51afd7ed558ccdULL;
    h ^= h >> 33;
    h *= 0xc4ceb9fe1a85ec53ULL;
    h ^= h >> 33;
    return h;
}

/* A keyed multiply-rotate hash over the 44 key bytes (five 8-byte words and
 * one 4-byte word). The seed makes bucket collisions unpredictable to a
 * sender who wants to build long chains. */
static inline uint32_t flow_key_hash(const struct flow_key *k, uint64_t seed)
{
    const uint8_t *p = (const uint8_t *)k;
    uint64_t h = seed;
    for (unsigned i = 0; i < 40; i += 8) {
        uint64_t w;
        memcpy(&w, p + i, 8);
        w *= 0x87c37b91114253d5ULL;
        w = rotl64(w, 31);
        w *= 0x4cf5ad432745937fULL;
        h ^= w;
        h = rotl64(h, 27) * 5 + 0x52dce729;
    }
    uint32_t t;
    memcpy(&t, p + 40, 4);
    h ^= (uint64_t)t * 0x87c37b91114253d5ULL;
    return (uint32_t)fmix64(h ^ sizeof(*k));
}

static uint64_t flow_table_pick_seed(const struct flow_table *ft)
{
    uint64_t s = 0;
    if (getentropy(&s, sizeof(s)) != 0 || s == 0)
        s = (uint64_t)(uintptr_t)ft ^ ((uint64_t)mono_ms() << 20) ^ 0x9e3779b97f4a7c15ULL;
    return fmix64(s);
}

/* --- timeout lists ------------------------------------------------------ */

static inline void list_unlink(struct flow_table *ft, struct flow *f)
{
    struct flow_list *li = &ft->lists[f->tclass];
    if (f->lprev)
        f->lprev->lnext = f->lnext;
    else
        li->head = f->lnext;
    if (f->lnext)
        f->lnext->lprev = f->lprev;
    else
        li->tail = f->lprev;
    f->lprev = f->lnext = NULL;
}

static inline void list_append(struct flow_table *ft, struct flow *f)
{
    struct flow_list *li = &ft->lists[f->tclass];
    f->lnext = NULL;
    f->lprev = li->tail;
    if (li->tail)
        li->tail->lnext = f;
    else
        li->head = f;
    li->tail = f;
    f->lts_us = ft->clock_us;
}

/* True when `idle` has passed since `t` at time `now`; safe for any values
 * (a timestamp near UINT64_MAX from a corrupt capture must not wrap). */
static inline bool elapsed(uint64_t t, uint64_t idle, uint64_t now)
{
    return now >= t && now - t >= idle;
}

/* --- memory ------------------------------------------------------------- */

/* Large arrays ask for transparent huge pages: updates hit flows at random
 * across tens of MiB, and with 4 KiB pages nearly every cache miss would
 * also be a TLB miss. Small ones stay ordinary allocations, so a short
 * capture costs little. Not zeroed; free with free(). */
static void *flow_big_alloc(size_t n)
{
    if (n >= FLOW_HUGE_PAGE) {
        void *p = NULL;
        if (posix_memalign(&p, FLOW_HUGE_PAGE, n) == 0) {
#ifdef MADV_HUGEPAGE
            (void)madvise(p, n, MADV_HUGEPAGE); /* only a hint: failure is fine */
#endif
            return p;
        }
    }
    return xmalloc(n);
}

/* Slabs are not touched when allocated: flows are handed out from the end
 * of the newest slab (ft->fresh) as needed, so memory is only committed for
 * flows that exist. */
static void flow_table_add_slab(struct flow_table *ft)
{
    uint32_t n = MIN(ft->next_slab, ft->cfg.max_flows - ft->allocated);
    struct flow *slab = flow_big_alloc((size_t)n * sizeof(*slab));
    if (ft->nslabs == ft->slabs_cap) {
        ft->slabs_cap = ft->slabs_cap ? ft->slabs_cap * 2 : 16;
        ft->slabs = xrealloc(ft->slabs, ft->slabs_cap * sizeof(*ft->slabs));
    }
    ft->slabs[ft->nslabs++] = slab;
    ft->fresh = slab;
    ft->fresh_left = n;
    ft->allocated += n;
    if (ft->next_slab < FLOW_SLAB_MAX)
        ft->next_slab *= 2;
}

/* Doubles the bucket array while flows outnumber buckets (load factor 1),
 * up to max_buckets. Rehashing is O(flows) but happens log2(max) times. */
static void flow_table_maybe_grow(struct flow_table *ft)
{
    if (ft->stats.active_now <= ft->nbuckets || ft->nbuckets >= ft->max_buckets)
        return;
    uint32_t n = ft->nbuckets * 2;
    struct flow **nb = flow_big_alloc(n * sizeof(*nb));
    memset(nb, 0, n * sizeof(*nb));
    for (uint32_t i = 0; i < ft->nbuckets; i++) {
        struct flow *f = ft->buckets[i];
        while (f) {
            struct flow *next = f->hnext;
            uint32_t b = f->hash & (n - 1);
            f->hnext = nb[b];
            nb[b] = f;
            f = next;
        }
    }
    free(ft->buckets);
    ft->buckets = nb;
    ft->nbuckets = n;
}

static uint32_t pow2_at_least(uint32_t n)
{
    uint32_t p = 1;
    while (p < n && p < (1u << 31))
        p <<= 1;
    return p;
}

struct flow_table *flow_table_new(const struct flow_config *cfg, flow_end_fn on_end, void *arg)
{
    struct flow_table *ft = xcalloc(1, sizeof(*ft));
    ft->cfg = *cfg;
    if (ft->cfg.max_flows == 0)
        ft->cfg.max_flows = 1;
    ft->on_end = on_end;
    ft->arg = arg;
    ft->max_buckets = pow2_at_least(ft->cfg.max_flows);
    ft->nbuckets = MIN(ft->max_buckets, FLOW_BUCKETS_MIN);
    ft->buckets = xcalloc(ft->nbuckets, sizeof(*ft->buckets));
    ft->seed = cfg->hash_seed ? cfg->hash_seed : flow_table_pick_seed(ft);
    ft->next_slab = FLOW_SLAB_MIN;
    for (int c = 0; c < FTC_MAX; c++)
        ft->idle_us[c] = (uint64_t)cfg->idle_timeout_s[c] * US_PER_S;
    ft->active_us = (uint64_t)cfg->active_timeout_s * US_PER_S;
    ft->next_id = 1;
    return ft;
}

void flow_table_free(struct flow_table *ft)
{
    if (!ft)
        return;
    for (uint32_t i = 0; i < ft->nslabs; i++)
        free(ft->slabs[i]);
    free(ft->slabs);
    free(ft->buckets);
    free(ft);
}

uint64_t flow_table_mem(const struct flow_table *ft)
{
    return sizeof(*ft) + (uint64_t)ft->allocated * sizeof(struct flow) +
           (uint64_t)ft->slabs_cap * sizeof(*ft->slabs) +
           (uint64_t)ft->nbuckets * sizeof(*ft->buckets);
}

const struct flow_stats *flow_table_stats(const struct flow_table *ft)
{
    return &ft->stats;
}

/* --- Zeek conn_state ---------------------------------------------------- */

/* Zeek's per-endpoint TCP states, as far as flags and packet counts show
 * them. Zeek's TCP_PARTIAL (traffic without a SYN) and TCP_INACTIVE are
 * only ever tested together, so one value stands for both. */
enum ep_state { EP_INACTIVE, EP_SYN_SENT, EP_ESTABLISHED, EP_CLOSED, EP_RESET };

static enum ep_state flow_ep_state(const struct flow *f, int e)
{
    if (f->rst_seen[e])
        return EP_RESET;
    if (f->fin_seen[e])
        return EP_CLOSED;
    if (e == 0 && f->syn_seen[0])
        return f->synack_seen ? EP_ESTABLISHED : EP_SYN_SENT;
    /* Zeek marks the responder established on its SYN+ACK even when it
     * never saw the SYN. A pure SYN from the responder (simultaneous open)
     * counts as a connection attempt. */
    if (e == 1 && f->synack_seen)
        return EP_ESTABLISHED;
    if (e == 1 && f->syn_seen[1])
        return EP_SYN_SENT;
    return EP_INACTIVE;
}

/* Follows conn_state() in Zeek's base/protocols/conn/main.zeek. */
static const char *flow_conn_state(const struct flow *f)
{
    if (f->proto == PROTO_UDP) {
        if (f->pkts[0])
            return f->pkts[1] ? "SF" : "S0";
        return f->pkts[1] ? "SHR" : "OTH";
    }
    if (f->proto != PROTO_TCP)
        return "OTH";

    enum ep_state os = flow_ep_state(f, 0), rs = flow_ep_state(f, 1);
    bool o_inactive = os == EP_INACTIVE, r_inactive = rs == EP_INACTIVE;
    if (rs == EP_RESET) {
        if (os == EP_SYN_SENT || (os == EP_RESET && !f->data_bytes[0] && !f->data_bytes[1]))
            return "REJ";
        return o_inactive ? "RSTRH" : "RSTR";
    }
    if (os == EP_RESET) {
        if (!r_inactive)
            return "RSTO";
        /* Zeek's history pattern ^S[^HAFGIQ]*R: a SYN, then a RST with no
         * SYN+ACK, pure ACK, FIN or data in between. */
        if (f->syn_seen[0] && !f->synack_seen && !f->fin_seen[0] && !f->data_bytes[0])
            return "RSTOS0";
        return "OTH";
    }
    if (os == EP_CLOSED && rs == EP_CLOSED)
        return "SF";
    if (os == EP_CLOSED)
        return r_inactive ? "SH" : "S2";
    if (rs == EP_CLOSED)
        return o_inactive ? "SHR" : "S3";
    if (os == EP_SYN_SENT && rs == EP_INACTIVE)
        return "S0";
    if (os == EP_ESTABLISHED && rs == EP_ESTABLISHED)
        return "S1";
    return "OTH";
}

/* --- ending flows ------------------------------------------------------- */

static void flow_report(struct flow_table *ft, struct flow *f, enum flow_end_reason r)
{
    f->end_reason = (uint8_t)r;
    /* Our own short words (at most "RSTOS0"): copied, no snprintf per flow. */
    const char *cs = flow_conn_state(f);
    size_t n = strnlen(cs, sizeof(f->conn_state) - 1);
    memcpy(f->conn_state, cs, n);
    f->conn_state[n] = '\0';
    ft->stats.ended[r]++;
    if (r == FLOW_END_EVICTED)
        ft->stats.evicted++;
    if (ft->on_end)
        ft->on_end(ft->arg, f);
}

static void hash_unlink(struct flow_table *ft, struct flow *f)
{
    struct flow **pp = &ft->buckets[f->hash & (ft->nbuckets - 1)];
    while (*pp && *pp != f)
        pp = &(*pp)->hnext;
    if (!*pp)
        BUG("flow not in its hash chain");
    *pp = f->hnext;
}

/* Reports the flow, takes it out of the hash and its list and frees it. */
static void flow_end(struct flow_table *ft, struct flow *f, enum flow_end_reason r)
{
    flow_report(ft, f, r);
    hash_unlink(ft, f);
    list_unlink(ft, f);
    ft->stats.active_now--;
    f->hnext = ft->free_list;
    ft->free_list = f;
}

/* Why an idle flow ends: a closed TCP flow ends for its FIN or RST (the
 * closed timeout was only the wait for late packets). */
static enum flow_end_reason flow_idle_reason(const struct flow *f)
{
    if (f->tclass != FTC_TCP_CLOSED)
        return FLOW_END_TIMEOUT;
    return (f->rst_seen[0] || f->rst_seen[1]) ? FLOW_END_RST : FLOW_END_FIN;
}

/* Lists are ordered by lts_us and every flow has touch_us >= lts_us, and a
 * flow is re-queued once touch_us - lts_us reaches FLOW_REQUEUE_US, so
 * touch_us < lts_us + FLOW_REQUEUE_US for any flow. When a head is not yet
 * due (touch_us + idle > now) every flow behind it has touch_us >= its
 * lts_us >= head lts_us > head touch_us - FLOW_REQUEUE_US: none of them is
 * more than FLOW_REQUEUE_US overdue, so stopping at the head makes expiry at
 * most that late, and never early. Among the classes the flow that became
 * due first goes first, so the order of records is deterministic. */
void flow_table_expire(struct flow_table *ft, uint64_t now_us)
{
    if (now_us > ft->clock_us)
        ft->clock_us = now_us;
    uint64_t now = ft->clock_us;
    for (;;) {
        struct flow *best = NULL;
        uint64_t best_due = 0;
        for (int c = 0; c < FTC_MAX; c++) {
            struct flow *h = ft->lists[c].head;
            if (!h || !elapsed(h->touch_us, ft->idle_us[c], now))
                continue;
            uint64_t due = h->touch_us + ft->idle_us[c];
            if (!best || due < best_due) {
                best = h;
                best_due = due;
            }
        }
        if (!best)
            return;
        flow_end(ft, best, flow_idle_reason(best));
    }
}

/* Eviction order when the table is full: the list head whose idle timeout
 * would run out first. Within a class that is the flow idle longest; across
 * classes it pushes out half-open SYN-flood and scan flows (60 s timeout)
 * before an established session that has been quiet for some minutes (3600
 * s timeout). On a tie the earlier class in this order goes first. */
static const uint8_t evict_order[FTC_MAX] = {
    FTC_TCP_CLOSED, FTC_TCP_NEW,  FTC_UDP_NEW,   FTC_ICMP_NEW, FTC_OTHER_NEW,
    FTC_UDP_EST,    FTC_ICMP_EST, FTC_OTHER_EST, FTC_TCP_EST,
};

static void flow_table_evict_one(struct flow_table *ft)
{
    struct flow *victim = NULL;
    uint64_t victim_due = 0;
    for (int i = 0; i < FTC_MAX; i++) {
        int c = evict_order[i];
        struct flow *h = ft->lists[c].head;
        if (!h)
            continue;
        uint64_t due =
            h->touch_us > UINT64_MAX - ft->idle_us[c] ? UINT64_MAX : h->touch_us + ft->idle_us[c];
        if (!victim || due < victim_due) {
            victim = h;
            victim_due = due;
        }
    }
    if (!victim)
        BUG("flow table full but no flow to evict");
    flow_end(ft, victim, FLOW_END_EVICTED);
}

static struct flow *flow_alloc(struct flow_table *ft)
{
    if (!ft->free_list && !ft->fresh_left && ft->allocated < ft->cfg.max_flows)
        flow_table_add_slab(ft);
    if (!ft->free_list && ft->fresh_left) {
        ft->fresh_left--;
        return ft->fresh++;
    }
    if (!ft->free_list) {
        /* Full: first let anything already due end as a timeout, which is
         * the true reason, then push out the flow nearest its timeout. */
        flow_table_expire(ft, ft->clock_us);
        if (!ft->free_list)
            flow_table_evict_one(ft);
    }
    struct flow *f = ft->free_list;
    ft->free_list = f->hnext;
    return f;
}

/* --- update ------------------------------------------------------------- */

/* Addresses compared as two 8-byte words: a memcmp() call here would be
 * a tenth of an update's time. */
static inline bool addr_eq(const struct ip_addr *a, const struct ip_addr *b)
{
    uint64_t a0, a1, b0, b1;
    memcpy(&a0, a->b, 8);
    memcpy(&a1, a->b + 8, 8);
    memcpy(&b0, b->b, 8);
    memcpy(&b1, b->b + 8, 8);
    return ((a0 ^ b0) | (a1 ^ b1)) == 0;
}

static inline uint64_t load_be64(const uint8_t *p)
{
    return (uint64_t)p[0] << 56 | (uint64_t)p[1] << 48 | (uint64_t)p[2] << 40 |
           (uint64_t)p[3] << 32 | (uint64_t)p[4] << 24 | (uint64_t)p[5] << 16 |
           (uint64_t)p[6] << 8 | (uint64_t)p[7];
}

/* memcmp() order (<0, 0, >0) of two addresses. */
static inline int addr_cmp(const struct ip_addr *a, const struct ip_addr *b)
{
    uint64_t x = load_be64(a->b), y = load_be64(b->b);
    if (x == y) {
        x = load_be64(a->b + 8);
        y = load_be64(b->b + 8);
    }
    return (x > y) - (x < y);
}

/* Key equality as five 8-byte and one 4-byte compare: the compiler inlines
 * these fixed-size memcpy/compares where a memcmp() call would not be. */
static inline bool flow_key_eq(const struct flow_key *x, const struct flow_key *y)
{
    const uint8_t *p = (const uint8_t *)x, *q = (const uint8_t *)y;
    uint64_t d = 0;
    for (unsigned i = 0; i < 40; i += 8) {
        uint64_t u, v;
        memcpy(&u, p + i, 8);
        memcpy(&v, q + i, 8);
        d |= u ^ v;
    }
    uint32_t u4, v4;
    memcpy(&u4, p + 40, 4);
    memcpy(&v4, q + 40, 4);
    return (d | (u4 ^ v4)) == 0;
}

static inline enum flow_tclass flow_new_class(uint8_t proto)
{
    switch (proto) {
    case PROTO_TCP:
        return FTC_TCP_NEW;
    case PROTO_UDP:
        return FTC_UDP_NEW;
    case PROTO_ICMP:
    case PROTO_ICMPV6:
        return FTC_ICMP_NEW;
    default:
        return FTC_OTHER_NEW;
    }
}

/* Index of layer l in pkt->layers; 0 when l is a copy from elsewhere. */
static inline unsigned layer_index(const struct packet *pkt, const struct ip_layer *l)
{
    uintptr_t base = (uintptr_t)pkt->layers, p = (uintptr_t)l;
    if (p < base || p >= base + sizeof(pkt->layers))
        return 0;
    return (unsigned)((p - base) / sizeof(pkt->layers[0]));
}

static void flow_set_mac(struct flow *f, const struct packet *pkt, int dir)
{
    f->has_mac = true;
    memcpy(f->src_mac, dir == 0 ? pkt->src_mac : pkt->dst_mac, 6);
    memcpy(f->dst_mac, dir == 0 ? pkt->dst_mac : pkt->src_mac, 6);
}

static struct flow *flow_create(struct flow_table *ft, const struct flow_key *k, uint32_t h,
                                const struct packet *pkt, const struct ip_layer *l, uint16_t sport,
                                uint16_t dport, unsigned depth)
{
    struct flow *f = flow_alloc(ft);
    memset(f, 0, sizeof(*f));
    f->key = *k;
    f->hash = h;
    f->id = ft->next_id++;
    f->first_ts_us = f->last_ts_us = pkt->ts_us;
    f->ip_version = l->ip_version;
    f->proto = l->proto;
    f->vlan[0] = k->vlan[0];
    f->vlan[1] = k->vlan[1];
    f->vlan_count = MIN(pkt->vlan_count, 2);
    f->tunnel = (uint8_t)l->tunnel;
    f->tunnel_depth = (uint8_t)depth;

    /* The initiator is the sender, unless we missed the SYN and this is the
     * SYN+ACK: then its receiver opened the connection. */
    bool flip = l->proto == PROTO_TCP && (l->tcp_flags & (TH_SYN | TH_ACK)) == (TH_SYN | TH_ACK);
    f->src = flip ? l->dst : l->src;
    f->dst = flip ? l->src : l->dst;
    f->sport = flip ? dport : sport;
    f->dport = flip ? sport : dport;
    if (pkt->has_eth && depth == 0)
        flow_set_mac(f, pkt, flip);

    f->tclass = (uint8_t)flow_new_class(l->proto);
    f->touch_us = ft->clock_us;
    list_append(ft, f);

    uint32_t b = h & (ft->nbuckets - 1);
    f->hnext = ft->buckets[b];
    ft->buckets[b] = f;

    ft->stats.created++;
    ft->stats.active_now++;
    if (ft->stats.active_now > ft->stats.max_active)
        ft->stats.max_active = ft->stats.active_now;
    flow_table_maybe_grow(ft);
    return f;
}

/* Active timeout: reports the flow so far and continues it in place as a
 * new record (new id, seq_no + 1, same key and orientation). The TCP state
 * and the SYN/FIN/RST seen flags carry over, since they describe the
 * connection; counters and the OR of flags start again. */
static void flow_cut(struct flow_table *ft, struct flow *f, uint64_t ts)
{
    flow_report(ft, f, FLOW_END_ACTIVE);
    f->end_reason = FLOW_END_NONE;
    f->conn_state[0] = '\0';
    f->id = ft->next_id++;
    f->seq_no++;
    f->first_ts_us = f->last_ts_us = ts;
    memset(f->pkts, 0, sizeof(f->pkts));
    memset(f->bytes, 0, sizeof(f->bytes));
    memset(f->data_bytes, 0, sizeof(f->data_bytes));
    memset(f->tcp_flags, 0, sizeof(f->tcp_flags));
    ft->stats.created++;
}

/* Minimal TCP tracking from flags alone (no sequence numbers): enough for
 * the timeout class, the reported state and Zeek's conn_state. */
static void flow_tcp_track(struct flow *f, int dir, uint8_t fl)
{
    f->tcp_flags[dir] |= fl;
    if (fl & TH_SYN) {
        f->syn_seen[dir] = true;
        if ((fl & TH_ACK) && dir == 1)
            f->synack_seen = true;
    }
    if (fl & TH_FIN)
        f->fin_seen[dir] = true;
    if (fl & TH_RST)
        f->rst_seen[dir] = true;

    uint8_t s = f->tcp_state;
    if (f->rst_seen[0] || f->rst_seen[1]) {
        s = TCPS_CLOSED;
    } else {
        if (s < TCPS_ESTABLISHED) {
            /* Both sides acknowledging means the handshake completed (the
             * initiator's first ACK) or we picked the connection up midway. */
            if ((f->tcp_flags[0] & TH_ACK) && (f->tcp_flags[1] & TH_ACK))
                s = TCPS_ESTABLISHED;
            else if (f->synack_seen)
                s = TCPS_SYN_RECV;
            else if (f->syn_seen[0])
                s = TCPS_SYN_SENT;
        }
        if (f->fin_seen[0] && f->fin_seen[1]) {
            /* A pure ACK after both FINs acknowledges the last one. */
            if (s == TCPS_CLOSING && (fl & (TH_ACK | TH_FIN | TH_SYN)) == TH_ACK)
                s = TCPS_CLOSED;
            else if (s != TCPS_CLOSED)
                s = TCPS_CLOSING;
        } else if ((f->fin_seen[0] || f->fin_seen[1]) && s == TCPS_ESTABLISHED) {
            s = TCPS_FIN_WAIT;
        }
    }
    f->tcp_state = s;
}

static inline enum flow_tclass flow_class_now(const struct flow *f)
{
    switch (f->tclass) {
    case FTC_TCP_NEW:
    case FTC_TCP_EST:
        if (f->tcp_state == TCPS_CLOSED || f->tcp_state == TCPS_CLOSING)
            return FTC_TCP_CLOSED;
        if (f->tcp_state >= TCPS_ESTABLISHED)
            return FTC_TCP_EST;
        return FTC_TCP_NEW;
    case FTC_UDP_NEW:
    case FTC_ICMP_NEW:
    case FTC_OTHER_NEW:
        /* Each NEW class is followed by its EST class in the enum. */
        if (f->pkts[0] && f->pkts[1])
            return (enum flow_tclass)(f->tclass + 1);
        return (enum flow_tclass)f->tclass;
    default:
        return (enum flow_tclass)f->tclass;
    }
}

_Static_assert(FTC_UDP_EST == FTC_UDP_NEW + 1 && FTC_ICMP_EST == FTC_ICMP_NEW + 1 &&
                   FTC_OTHER_EST == FTC_OTHER_NEW + 1,
               "flow_class_now relies on NEW/EST pairs being adjacent");

struct flow *flow_table_update(struct flow_table *ft, const struct packet *pkt,
                               const struct ip_layer *l, uint32_t frames, uint64_t wire_bytes)
{
    /* A non-final fragment carries nothing to key on; the frame is credited
     * when its datagram completes (frag_frames / frag_wire_bytes). */
    if (l->is_fragment)
        return NULL;
    bool tcp = l->proto == PROTO_TCP;
    bool has_ports = tcp || l->proto == PROTO_UDP;
    if (has_ports && !l->l4_ok) {
        /* Ports unknown: keying on zeros would invent a flow. */
        ft->stats.no_flow++;
        return NULL;
    }
    bool icmp = l->proto == PROTO_ICMP || l->proto == PROTO_ICMPV6;
    uint16_t sport = icmp ? 0 : l->sport, dport = icmp ? 0 : l->dport;

    struct flow_key k;
    int c = addr_cmp(&l->src, &l->dst);
    bool src_is_a = c < 0 || (c == 0 && sport <= dport);
    k.a = src_is_a ? l->src : l->dst;
    k.b = src_is_a ? l->dst : l->src;
    k.port_a = src_is_a ? sport : dport;
    k.port_b = src_is_a ? dport : sport;
    k.vlan[0] = pkt->vlan_count > 0 ? pkt->vlan[0] : 0;
    k.vlan[1] = pkt->vlan_count > 1 ? pkt->vlan[1] : 0;
    k.proto = l->proto;
    memset(k.pad, 0, sizeof(k.pad));
    uint32_t h = flow_key_hash(&k, ft->seed);

    uint64_t ts = pkt->ts_us;
    if (ts > ft->clock_us)
        ft->clock_us = ts;

    struct flow *f = ft->buckets[h & (ft->nbuckets - 1)];
    while (f && (f->hash != h || !flow_key_eq(&f->key, &k)))
        f = f->hnext;

    uint8_t fl = tcp ? l->tcp_flags : 0;
    if (f) {
        if (elapsed(f->touch_us, ft->idle_us[f->tclass], ft->clock_us)) {
            /* Due but not yet expired (expiry runs once a second). */
            flow_end(ft, f, flow_idle_reason(f));
            f = NULL;
        } else if (tcp && (fl & (TH_SYN | TH_ACK)) == TH_SYN && f->tclass == FTC_TCP_CLOSED) {
            flow_end(ft, f, FLOW_END_REUSED);
            f = NULL;
        } else if (ft->active_us && elapsed(f->first_ts_us, ft->active_us, ts)) {
            flow_cut(ft, f, ts);
        }
    }
    unsigned depth = layer_index(pkt, l);
    if (!f)
        f = flow_create(ft, &k, h, pkt, l, sport, dport, depth);

    int dir = (addr_eq(&l->src, &f->src) && sport == f->sport) ? 0 : 1;
    f->pkt_dir = (uint8_t)dir;
    if (ts < f->first_ts_us)
        f->first_ts_us = ts;
    if (ts > f->last_ts_us)
        f->last_ts_us = ts;
    f->pkts[dir] += frames;
    f->bytes[dir] += wire_bytes;
    f->data_bytes[dir] += l->payload_wire_len;
    if (!f->has_mac && pkt->has_eth && depth == 0)
        flow_set_mac(f, pkt, dir);

    if (tcp) {
        if ((fl & TH_SYN) && !f->syn_seen[dir])
            f->tcp_isn[dir] = l->tcp_seq;
        flow_tcp_track(f, dir, fl);
    } else if (icmp && l->l4_ok) {
        if (dir == 0 && f->pkts[0] == frames) {
            f->icmp_type = l->icmp_type;
            f->icmp_code = l->icmp_code;
        } else if (dir == 1 && !f->resp_icmp_seen) {
            f->resp_icmp_seen = true;
            f->resp_icmp_type = l->icmp_type;
            f->resp_icmp_code = l->icmp_code;
        }
    }

    f->touch_us = ft->clock_us;
    enum flow_tclass nc = flow_class_now(f);
    if (nc != f->tclass) {
        list_unlink(ft, f);
        f->tclass = (uint8_t)nc;
        list_append(ft, f);
    } else if (f->touch_us - f->lts_us >= FLOW_REQUEUE_US) {
        list_unlink(ft, f);
        list_append(ft, f);
    }
    return f;
}

/* --- end of capture ----------------------------------------------------- */

static int flow_cmp_first(const void *pa, const void *pb)
{
    const struct flow *a = *(const struct flow *const *)pa;
    const struct flow *b = *(const struct flow *const *)pb;
    if (a->first_ts_us != b->first_ts_us)
        return a->first_ts_us < b->first_ts_us ? -1 : 1;
    return a->id < b->id ? -1 : a->id > b->id;
}

/* Ends every flow in order of first packet (then id), so a capture's
 * leftover records come out in a stable, readable order. */
void flow_table_flush(struct flow_table *ft)
{
    uint64_t n = ft->stats.active_now;
    if (!n)
        return;
    struct flow **v = xmalloc(n * sizeof(*v));
    uint64_t i = 0;
    for (int c = 0; c < FTC_MAX; c++)
        for (struct flow *f = ft->lists[c].head; f; f = f->lnext)
            v[i++] = f;
    if (i != n)
        BUG("flow lists and active count disagree");
    qsort(v, n, sizeof(*v), flow_cmp_first);
    for (i = 0; i < n; i++)
        flow_end(ft, v[i], FLOW_END_CAPTURE_END);
    free(v);
}
