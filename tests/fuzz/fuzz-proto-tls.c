/* fuzz-proto-tls.c - app_parser_tls over both directions of one flow, in
 * pieces the input chooses, then end() and release(); and the whole input
 * through tls_client_hello_json() as a ClientHello body (TLS and QUIC).
 *
 * Input: a sequence of [control byte][piece]: bit 7 of the control byte is
 * the direction (0: client), bits 0-6 + 1 the piece length (1-128 bytes,
 * cut at the end of the input). So a TLS stream split at any points in
 * either direction is reachable, down to one byte a feed.
 *
 * Checks what proto-tls.h and app.h promise: at most one "tls" event per
 * flow, its body a JSON object, done_mask only bits 0-1, and the hello
 * reader returns 0 or -1. */
#include "fuzz.h"
#include "app/app.h"
#include "proto/proto-tls.h"
#include "util/util.h"

static unsigned fuzz_tls_events;

static void fuzz_tls_on_event(void *arg, const struct app_event *ev)
{
    (void)arg;
    if (strcmp(ev->type, "anomaly") == 0)
        return;
    if (strcmp(ev->type, "tls") != 0)
        fuzz_fail("tls parser reported a non-tls event");
    if (!ev->body || !json_is_object(ev->body))
        fuzz_fail("tls event without an object body");
    if (ev->extra && !json_is_object(ev->extra))
        fuzz_fail("tls extra not an object");
    char *s = json_dumps(ev->body, JSON_COMPACT);
    if (!s)
        fuzz_fail("tls body does not serialise");
    free(s);
    fuzz_tls_events++;
}

static void fuzz_tls_hello(const uint8_t *data, size_t size, char transport)
{
    json_t *tls = json_object(), *extra = json_object();
    int rc = tls_client_hello_json(data, (uint32_t)size, transport, tls, extra, NULL);
    if (rc != 0 && rc != -1)
        fuzz_fail("tls_client_hello_json returned an undocumented value");
    if (rc == 0 && !json_object_get(tls, "ja3"))
        fuzz_fail("a parsed hello without ja3");
    json_decref(tls);
    json_decref(extra);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    /* One app layer for the whole run: creating it sets up nDPI. */
    static struct app_layer *al;
    if (size > FUZZ_MAX_INPUT)
        return 0;
    if (!al) {
        struct app_config cfg;
        app_config_defaults(&cfg);
        al = app_layer_new(&cfg, fuzz_tls_on_event, NULL);
    }
    fuzz_tls_hello(data, size, 't');
    fuzz_tls_hello(data, size, 'q');

    struct flow f;
    memset(&f, 0, sizeof(f));
    f.id = 1;
    f.proto = 6;
    f.ip_version = 4;
    f.src.b[10] = f.src.b[11] = f.dst.b[10] = f.dst.b[11] = 0xff;
    f.src.b[12] = f.dst.b[12] = 10;
    f.src.b[15] = 1;
    f.dst.b[15] = 2;
    f.sport = 40000;
    f.dport = 443;
    f.first_ts_us = f.last_ts_us = FUZZ_T0_US;

    struct app_cx cx;
    memset(&cx, 0, sizeof(cx));
    cx.al = al;
    cx.f = &f;
    cx.ts_us = FUZZ_T0_US;
    void *state = xcalloc(1, app_parser_tls.state_size);
    fuzz_tls_events = 0;

    for (size_t off = 0; off < size;) {
        uint8_t c = data[off++];
        size_t n = MIN((size_t)(c & 0x7f) + 1u, size - off);
        int dir = c >> 7;
        /* A heap copy per piece, so ASan sees a read past its end. */
        uint8_t *piece = xmalloc(n ? n : 1);
        memcpy(piece, data + off, n);
        if (n == 0)
            app_parser_tls.gap(&cx, state, dir);
        else if (!(cx.done_mask & (1u << dir)))
            app_parser_tls.feed(&cx, state, dir, piece, (uint32_t)n);
        free(piece);
        off += n;
    }
    app_parser_tls.end(&cx, state);
    app_parser_tls.release(state);
    free(state);
    if (cx.done_mask & ~3u)
        fuzz_fail("done_mask has bits beyond both directions");
    if (fuzz_tls_events > 1)
        fuzz_fail("more than one tls event for one flow");
    return 0;
}
