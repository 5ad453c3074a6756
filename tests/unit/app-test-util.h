/* app-test-util.h - drive one parser directly, as the dispatcher would, and
 * collect what it reports as JSON text for assertions.
 *
 *   struct apt t;
 *   apt_begin(&t, &app_parser_http, 6);          // TCP flow 10.0.0.1:40000 -> 10.0.0.2:80
 *   apt_feed(&t, 0, req, sizeof(req) - 1);        // direction 0: client to server
 *   apt_end(&t);                                  // flow end: end() + release()
 *   assert_int_equal(t.nevents, 1);
 *   assert_non_null(strstr(t.ev[0], "\"hostname\":\"example.com\""));
 *   apt_free(&t);
 *
 * Each t.ev[i] is "<type> <body JSON> <extra JSON>" (keys sorted, compact;
 * "null" for a missing object), followed by " <key> <JSON>" for an object
 * written beside the body (app_event_aux: SMTP's "email");
 * t.anomalies[] holds anomaly names.
 * apt_feed_split() feeds a message cut at one point into two calls, so a
 * test can loop over every split point. */
#ifndef MAMORI_APP_TEST_UTIL_H
#define MAMORI_APP_TEST_UTIL_H

#include <stdlib.h>
#include <string.h>

#include "app/app.h"

#define APT_MAX_EVENTS 64

struct apt {
    const struct app_parser *p;
    struct app_layer *al;
    struct flow f;
    struct app_cx cx;
    void *state;
    unsigned nevents;
    char *ev[APT_MAX_EVENTS];
    unsigned nanomalies;
    char *anomalies[APT_MAX_EVENTS]; /* copies: the anomaly body dies after the callback */
    bool ended;
};

static void apt_on_event(void *arg, const struct app_event *e)
{
    struct apt *t = arg;
    if (strcmp(e->type, "anomaly") == 0) {
        const json_t *ev = e->body ? json_object_get(e->body, "event") : NULL;
        if (t->nanomalies < APT_MAX_EVENTS)
            t->anomalies[t->nanomalies++] = strdup(ev ? json_string_value(ev) : "?");
        return;
    }
    if (t->nevents >= APT_MAX_EVENTS)
        return;
    char *b = e->body ? json_dumps(e->body, JSON_COMPACT | JSON_SORT_KEYS) : strdup("null");
    char *x = e->extra ? json_dumps(e->extra, JSON_COMPACT | JSON_SORT_KEYS) : strdup("null");
    char *a = e->aux ? json_dumps(e->aux, JSON_COMPACT | JSON_SORT_KEYS) : NULL;
    const char *ak = a && e->aux_key ? e->aux_key : "";
    size_t n = strlen(e->type) + strlen(b) + strlen(x) + strlen(ak) + (a ? strlen(a) : 0) + 5;
    char *s = malloc(n);
    if (a)
        snprintf(s, n, "%s %s %s %s %s", e->type, b, x, ak, a);
    else
        snprintf(s, n, "%s %s %s", e->type, b, x);
    free(b);
    free(x);
    free(a);
    t->ev[t->nevents++] = s;
}

static inline void apt_begin(struct apt *t, const struct app_parser *p, uint8_t ipproto)
{
    memset(t, 0, sizeof(*t));
    struct app_config cfg;
    app_config_defaults(&cfg);
    cfg.max_anomaly_events_per_flow = APT_MAX_EVENTS;
    cfg.ndpi = false; /* parsers are driven directly; nDPI setup costs ~0.5 s under ASan */
    t->p = p;
    t->al = app_layer_new(&cfg, apt_on_event, t);
    t->f.id = 1;
    t->f.proto = ipproto;
    t->f.ip_version = 4;
    static const uint8_t c[16] = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff, 10, 0, 0, 1};
    static const uint8_t s[16] = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff, 10, 0, 0, 2};
    memcpy(t->f.src.b, c, 16);
    memcpy(t->f.dst.b, s, 16);
    t->f.sport = 40000;
    t->f.dport = p->ports && p->ports[0] ? p->ports[0] : 9;
    t->f.first_ts_us = t->f.last_ts_us = 1700000000000000ull;
    t->cx.al = t->al;
    t->cx.f = &t->f;
    t->cx.ts_us = t->f.first_ts_us;
    t->state = calloc(1, p->state_size ? p->state_size : 1);
}

static inline void apt_feed(struct apt *t, int dir, const void *data, uint32_t len)
{
    t->p->feed(&t->cx, t->state, dir, data, len);
}

/* Feeds data[0..cut) then data[cut..len), each from its own heap copy so
 * ASan catches a read past either piece. */
static inline void apt_feed_split(struct apt *t, int dir, const void *data, uint32_t len,
                                  uint32_t cut)
{
    uint8_t *a = malloc(cut ? cut : 1), *b = malloc(len - cut ? len - cut : 1);
    memcpy(a, data, cut);
    memcpy(b, (const uint8_t *)data + cut, len - cut);
    if (cut)
        apt_feed(t, dir, a, cut);
    if (len - cut)
        apt_feed(t, dir, b, len - cut);
    free(a);
    free(b);
}

/* One byte per call. */
static inline void apt_feed_bytes(struct apt *t, int dir, const void *data, uint32_t len)
{
    for (uint32_t i = 0; i < len; i++) {
        uint8_t *one = malloc(1);
        one[0] = ((const uint8_t *)data)[i];
        apt_feed(t, dir, one, 1);
        free(one);
    }
}

static inline void apt_gap(struct apt *t, int dir)
{
    if (t->p->gap)
        t->p->gap(&t->cx, t->state, dir);
}

static inline void apt_end(struct apt *t)
{
    if (t->ended)
        return;
    t->ended = true;
    if (t->p->end)
        t->p->end(&t->cx, t->state);
    if (t->p->release)
        t->p->release(t->state);
}

/* Index of the first event containing needle, or -1. */
static inline int apt_find(const struct apt *t, const char *needle)
{
    for (unsigned i = 0; i < t->nevents; i++)
        if (strstr(t->ev[i], needle))
            return (int)i;
    return -1;
}

static inline bool apt_has_anomaly(const struct apt *t, const char *name)
{
    for (unsigned i = 0; i < t->nanomalies; i++)
        if (strcmp(t->anomalies[i], name) == 0)
            return true;
    return false;
}

/* Drops collected events (e.g. between split-point iterations). */
static inline void apt_clear(struct apt *t)
{
    for (unsigned i = 0; i < t->nevents; i++)
        free(t->ev[i]);
    t->nevents = 0;
    for (unsigned i = 0; i < t->nanomalies; i++)
        free(t->anomalies[i]);
    t->nanomalies = 0;
}

static inline void apt_free(struct apt *t)
{
    apt_end(t);
    apt_clear(t);
    free(t->state);
    app_layer_free(t->al);
}

static inline void apt_feed_str(struct apt *t, int dir, const char *s)
{
    apt_feed(t, dir, s, (uint32_t)strlen(s));
}

/* Starts a new session on the same app_layer, for loops over split points. */
static inline void apt_restart(struct apt *t)
{
    apt_end(t);
    apt_clear(t);
    memset(t->state, 0, t->p->state_size);
    t->ended = false;
    t->cx.upgrade_to = APP_NONE;
    t->cx.done_mask = 0;
}

/* One message of a text session: who sent it and its bytes. */
struct apt_step {
    int dir;
    const char *text;
};

/* Feeds steps in order; step `cut_step` is cut at `cut` (apt_feed_split),
 * or every step goes one byte at a time when bytes is true. Stops at an
 * upgrade (the rest belongs to another parser), then ends the flow. */
static inline void apt_run_steps(struct apt *t, const struct apt_step *st, size_t n,
                                 size_t cut_step, uint32_t cut, bool bytes)
{
    for (size_t i = 0; i < n; i++) {
        uint32_t len = (uint32_t)strlen(st[i].text);
        if (bytes)
            apt_feed_bytes(t, st[i].dir, st[i].text, len);
        else if (i == cut_step)
            apt_feed_split(t, st[i].dir, st[i].text, len, cut);
        else
            apt_feed(t, st[i].dir, st[i].text, len);
        if (t->cx.upgrade_to != APP_NONE)
            break;
    }
    apt_end(t);
}

/* Fails if any event holds one of the secrets (a password, its base64). */
static inline void apt_assert_no_secret(const struct apt *t, const char *const *secrets,
                                        size_t ns)
{
    for (unsigned i = 0; i < t->nevents; i++)
        for (size_t k = 0; k < ns; k++)
            if (strstr(t->ev[i], secrets[k]))
                fail_msg("secret \"%s\" in event: %s", secrets[k], t->ev[i]);
}

/* Runs the session whole, then each step cut at each point, then byte by
 * byte: all must give the same events, anomalies and upgrade, and no event
 * may hold a secret. Leaves the whole-feed result in *t (caller frees). */
static inline void apt_run_all_ways(struct apt *t, const struct app_parser *p,
                                    const struct apt_step *st, size_t n,
                                    const char *const *secrets, size_t ns)
{
    apt_begin(t, p, 6);
    apt_run_steps(t, st, n, SIZE_MAX, 0, false);
    apt_assert_no_secret(t, secrets, ns);
    struct apt u;
    apt_begin(&u, p, 6);
    for (size_t i = 0; i <= n; i++) {
        uint32_t len = i < n ? (uint32_t)strlen(st[i].text) : 0;
        for (uint32_t cut = 0; cut <= len; cut++) {
            apt_restart(&u);
            apt_run_steps(&u, st, n, i, cut, i == n);
            assert_int_equal(u.nevents, t->nevents);
            for (unsigned e = 0; e < t->nevents; e++)
                assert_string_equal(u.ev[e], t->ev[e]);
            assert_int_equal(u.nanomalies, t->nanomalies);
            assert_int_equal(u.cx.upgrade_to, t->cx.upgrade_to);
            if (i == n)
                break;
        }
    }
    apt_free(&u);
}

#endif
