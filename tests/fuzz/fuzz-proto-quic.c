/* fuzz-proto-quic.c - app_parser_quic over a sequence of datagrams, then
 * end() and release().
 *
 * Input: records of [flags][length, 2 bytes big-endian][bytes], the last one
 * cut to what is left. flags bit 0: direction (1: server to client). bit 1:
 * the bytes are the frames of a client Initial, which the target seals itself
 * (quic_protect_initial, DCID 0x8394c8f03e515708, packet number = record
 * index) so that mutations reach the frame parser and CRYPTO reassembly
 * behind AES-GCM. bit 2: in that case, use QUIC v2 instead of v1.
 *
 * Checks: the probe answers one of its three values; at most one "quic"
 * event per flow, whose body has only keys EVE's quic object allows and
 * serializes; anomalies are named "quic.*" or "tls.*" (the ClientHello
 * reader's). */
#include "app/app.h"
#include "fuzz.h"
#include "proto/proto-quic.h"
#include "util/util.h"

struct fuzz_quic {
    unsigned quic_events;
};

static void fuzz_quic_on_event(void *arg, const struct app_event *e)
{
    struct fuzz_quic *fq = arg;
    static const char *const allowed[] = {"version", "sni", "ja3", "ja4", "extensions",
                                          "ua", "cyu", "ja3s"};

    if (strcmp(e->type, "anomaly") == 0) {
        const json_t *ev = e->body ? json_object_get(e->body, "event") : NULL;
        const char *name = ev ? json_string_value(ev) : NULL;
        if (!name || (strncmp(name, "quic.", 5) != 0 && strncmp(name, "tls.", 4) != 0))
            fuzz_fail("anomaly not named quic.* or tls.*");
        return;
    }
    if (strcmp(e->type, "quic") != 0)
        fuzz_fail("event type other than quic");
    if (++fq->quic_events > 1)
        fuzz_fail("more than one quic event per flow");
    if (!e->body || !json_is_object(e->body) || !json_object_get(e->body, "version"))
        fuzz_fail("quic event without a version");
    const char *key;
    const json_t *v;
    json_object_foreach((json_t *)(uintptr_t)e->body, key, v) {
        bool ok = false;
        for (size_t i = 0; i < ARRAY_SIZE(allowed); i++)
            ok = ok || strcmp(key, allowed[i]) == 0;
        if (!ok)
            fuzz_fail("quic body key EVE does not allow");
        (void)v;
    }
    char *s = json_dumps(e->body, JSON_COMPACT);
    if (!s)
        fuzz_fail("quic body does not serialize");
    /* To see what the seeds reach: FUZZ_QUIC_VERBOSE=1 fuzz-proto-quic DIR */
    if (getenv("FUZZ_QUIC_VERBOSE"))
        fprintf(stderr, "quic %s\n", s);
    free(s);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static const uint8_t dcid[8] = {0x83, 0x94, 0xc8, 0xf0, 0x3e, 0x51, 0x57, 0x08};
    static uint8_t sealed[70000];
    struct fuzz_quic fq = {0};
    struct app_config cfg;
    struct flow f;
    struct app_cx cx;
    const struct app_parser *p = &app_parser_quic;

    if (size > FUZZ_MAX_INPUT)
        return 0;
    app_config_defaults(&cfg);
    cfg.max_anomaly_events_per_flow = 1000;
    cfg.ndpi = false; /* not what is fuzzed here, and slow to set up */
    struct app_layer *al = app_layer_new(&cfg, fuzz_quic_on_event, &fq);
    memset(&f, 0, sizeof(f));
    f.id = 1;
    f.proto = 17;
    f.ip_version = 4;
    f.sport = 40000;
    f.dport = 443;
    f.first_ts_us = f.last_ts_us = FUZZ_T0_US;
    memset(&cx, 0, sizeof(cx));
    cx.al = al;
    cx.f = &f;
    cx.ts_us = FUZZ_T0_US;
    void *state = xcalloc(1, p->state_size);

    uint32_t idx = 0;
    for (size_t off = 0; off + 3 <= size; idx++) {
        uint8_t flags = data[off];
        size_t len = (size_t)data[off + 1] << 8 | data[off + 2];
        off += 3;
        len = MIN(len, size - off);
        /* Each datagram from its own heap copy, so ASan sees a read past it. */
        const uint8_t *dg = data + off;
        uint32_t dlen = (uint32_t)len;
        if (flags & 2) {
            struct quic_keys k;
            uint32_t v = (flags & 4) ? QUIC_VERSION_2 : QUIC_VERSION_1;
            if (quic_initial_keys(v, dcid, sizeof(dcid), 0, &k) < 0)
                fuzz_fail("quic_initial_keys failed for v1/v2");
            int n = quic_protect_initial(v, dcid, sizeof(dcid), NULL, 0, &k, idx, 2, dg, dlen,
                                         sealed, sizeof(sealed));
            if (n > 0) {
                dg = sealed;
                dlen = (uint32_t)n;
            }
        }
        uint8_t *copy = xmalloc(dlen ? dlen : 1);
        memcpy(copy, dg, dlen);
        enum app_probe_result pr = p->probe(copy, MIN(dlen, (uint32_t)APP_PROBE_MAX), flags & 1);
        if (pr != APP_PROBE_NO && pr != APP_PROBE_NEED_MORE && pr != APP_PROBE_YES)
            fuzz_fail("probe answered an undocumented value");
        p->feed(&cx, state, flags & 1, copy, dlen);
        free(copy);
        off += len;
    }
    p->end(&cx, state);
    p->release(state);
    free(state);
    app_layer_free(al);
    return 0;
}
