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
 * "null" for a missing object); t.anomalies[] holds anomaly names.
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
    size_t n = strlen(e->type) + strlen(b) + strlen(x) + 3;
    char *s = malloc(n);
    snprintf(s, n, "%s %s %s", e->type, b, x);
    free(b);
    free(x);
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

#endif
