/* fuzz-app.h - drive one application parser over a fuzz input as one TCP
 * session, the way the dispatcher would, and check what it reports.
 *
 * Two input layouts (their seed corpora depend on them):
 *  - fuzz_app_pieces(): a control byte before each piece: bit 7 the direction,
 *    bits 0-5 the size - 1 (1-64 bytes), bit 6 with size bits all set a gap
 *    instead of data. Both probes see the input's start first.
 *  - fuzz_app_sides(): a big-endian u16 client length, the client bytes, then
 *    the server bytes; the sides are fed alternately in pieces of 1-97 bytes
 *    (sizes from the bytes themselves).
 * Every piece is a heap copy of exactly its bytes, so a read past it is
 * caught; end() and release() run at the end (LeakSanitizer checks
 * release). Every event must be of the parser's type (or "anomaly"), with
 * object body/extra that serialise; an "email" beside it must carry a
 * status; an upgrade may only go to TLS. */
#ifndef MAMORI_FUZZ_APP_H
#define MAMORI_FUZZ_APP_H

#include "app/app.h"
#include "fuzz.h"
#include "util/util.h"

static const char *fuzz_app_type; /* event type the parser under test reports */

static inline void fuzz_app_check_json(const json_t *o, const char *what)
{
    if (!o)
        return;
    if (!json_is_object(o))
        fuzz_fail(what);
    char *s = json_dumps(o, JSON_COMPACT);
    if (!s)
        fuzz_fail(what);
    free(s);
}

static inline void fuzz_app_on_event(void *arg, const struct app_event *e)
{
    (void)arg;
    if (!e->type || (strcmp(e->type, "anomaly") != 0 && strcmp(e->type, fuzz_app_type) != 0))
        fuzz_fail("event of an unexpected type");
    fuzz_app_check_json(e->body, "body is not a serialisable object");
    fuzz_app_check_json(e->extra, "extra is not a serialisable object");
    if (e->aux) {
        if (!e->aux_key || strcmp(e->aux_key, "email") != 0)
            fuzz_fail("unknown object beside the event");
        fuzz_app_check_json(e->aux, "email is not a serialisable object");
        if (!json_is_string(json_object_get(e->aux, "status")))
            fuzz_fail("email without status");
    }
}

/* One dispatcher for the whole run (its events go to the checker); nDPI off:
 * only the parser is under test. */
static inline struct app_layer *fuzz_app_layer(void)
{
    static struct app_layer *al;
    if (!al) {
        struct app_config cfg;
        app_config_defaults(&cfg);
        cfg.ndpi = false;
        al = app_layer_new(&cfg, fuzz_app_on_event, NULL);
    }
    return al;
}

static inline void fuzz_app_flow(struct flow *f, struct app_cx *cx, const struct app_parser *p)
{
    memset(f, 0, sizeof(*f));
    f->id = 1;
    f->proto = 6;
    f->ip_version = 4;
    f->sport = 40000;
    f->dport = p->ports[0];
    memset(cx, 0, sizeof(*cx));
    cx->al = fuzz_app_layer();
    cx->f = f;
    cx->ts_us = FUZZ_T0_US;
}

static inline void fuzz_app_feed(const struct app_parser *p, struct app_cx *cx, void *st,
                                 int dir, const uint8_t *data, size_t n)
{
    uint8_t *copy = xmalloc(n ? n : 1);
    memcpy(copy, data, n);
    p->feed(cx, st, dir, copy, (uint32_t)n);
    free(copy);
}

static inline void fuzz_app_finish(const struct app_parser *p, struct app_cx *cx, void *st)
{
    if (cx->upgrade_to != APP_NONE && cx->upgrade_to != APP_TLS)
        fuzz_fail("upgrade to something other than TLS");
    if (p->end)
        p->end(cx, st);
    if (p->release)
        p->release(st);
    free(st);
}

static inline int fuzz_app_pieces(const struct app_parser *p, const char *type,
                                  const uint8_t *data, size_t size)
{
    struct flow f;
    struct app_cx cx;
    if (size > FUZZ_MAX_INPUT)
        return 0;
    fuzz_app_type = type;
    fuzz_app_flow(&f, &cx, p);
    void *st = xcalloc(1, p->state_size);
    (void)p->probe(data, (uint32_t)MIN(size, (size_t)APP_PROBE_MAX), 1);
    (void)p->probe(data, (uint32_t)MIN(size, (size_t)APP_PROBE_MAX), 0);
    for (size_t off = 0; off < size && cx.upgrade_to == APP_NONE;) {
        uint8_t ctl = data[off++];
        int dir = ctl >> 7;
        size_t piece = MIN((size_t)(ctl & 0x3f) + 1u, size - off);
        if ((ctl & 0x40) && (ctl & 0x3f) == 0x3f && p->gap)
            p->gap(&cx, st, dir);
        else if (piece > 0 && (cx.done_mask & (1u << dir)) == 0)
            fuzz_app_feed(p, &cx, st, dir, data + off, piece);
        off += piece;
    }
    fuzz_app_finish(p, &cx, st);
    return 0;
}

static inline int fuzz_app_sides(const struct app_parser *p, const char *type,
                                 const uint8_t *data, size_t size)
{
    struct flow f;
    struct app_cx cx;
    if (size < 2 || size > FUZZ_MAX_INPUT)
        return 0;
    fuzz_app_type = type;
    fuzz_app_flow(&f, &cx, p);
    size_t clen = MIN((size_t)(data[0] << 8 | data[1]), size - 2);
    const uint8_t *side[2] = {data + 2, data + 2 + clen};
    size_t left[2] = {clen, size - 2 - clen};
    void *st = xcalloc(1, p->state_size);
    for (int dir = 0; left[0] + left[1] > 0 && cx.upgrade_to == APP_NONE && cx.done_mask != 3;
         dir ^= 1) {
        if (cx.done_mask & (1u << dir))
            left[dir] = 0; /* the parser let go of this side */
        if (!left[dir])
            continue;
        size_t piece = MIN((size_t)(side[dir][0] % 97u) + 1u, left[dir]);
        fuzz_app_feed(p, &cx, st, dir, side[dir], piece);
        side[dir] += piece;
        left[dir] -= piece;
    }
    fuzz_app_finish(p, &cx, st);
    return 0;
}

#endif
