/* fuzz-proto-http.c - app_parser_http over both directions of one flow.
 *
 * Input: byte 0 picks the split of the rest: the first (byte 0 * len / 256)
 * bytes are the client's stream, the rest the server's. Each stream is fed
 * in pieces of 1-16 bytes whose sizes come from the data, interleaving the
 * two directions; a piece size of 16 on the server side is also a gap
 * before the next piece. Then end() and release(), as at flow end.
 *
 * Checks what app.h promises besides "no crash, no leak": every event is a
 * JSON object of type "http", dir 0, whose body holds only EVE keys of the
 * http schema with the right JSON types; the probe is pure (same answer
 * twice) and never reads past len (ASan).
 */
#include "app/app.h"
#include "fuzz.h"
#include "util/util.h"

static const char *const fuzz_http_str_keys[] = {
    "hostname", "url", "http_user_agent", "http_content_type", "http_refer", "http_method",
    "protocol", "redirect", "xff",
};
static const char *const fuzz_http_int_keys[] = {"http_port", "status", "length"};

static bool fuzz_http_key_ok(const char *key, const json_t *v)
{
    for (size_t i = 0; i < ARRAY_SIZE(fuzz_http_str_keys); i++)
        if (strcmp(key, fuzz_http_str_keys[i]) == 0)
            return json_is_string(v);
    for (size_t i = 0; i < ARRAY_SIZE(fuzz_http_int_keys); i++)
        if (strcmp(key, fuzz_http_int_keys[i]) == 0)
            return json_is_integer(v) && json_integer_value(v) >= 0;
    return false;
}

static void fuzz_http_on_event(void *arg, const struct app_event *ev)
{
    (void)arg;
    if (strcmp(ev->type, "anomaly") == 0) {
        if (!ev->body)
            fuzz_fail("anomaly without body");
        return;
    }
    if (strcmp(ev->type, "http") != 0)
        fuzz_fail("event type other than http");
    if (ev->dir != 0)
        fuzz_fail("http event with dir != 0");
    if (!json_is_object(ev->body))
        fuzz_fail("http body not an object");
    if (ev->extra && !json_is_object(ev->extra))
        fuzz_fail("extra not an object");
    const char *key;
    const json_t *v;
    /* jansson's iterator takes a non-const object; it only reads. */
    json_t *body = (json_t *)(uintptr_t)ev->body;
    json_object_foreach(body, key, v)
    {
        if (!fuzz_http_key_ok(key, v))
            fuzz_fail("http body key not in the EVE schema or wrong type");
    }
    /* Dumping checks the strings are valid UTF-8 JSON. */
    char *s = json_dumps(ev->body, JSON_COMPACT);
    if (!s)
        fuzz_fail("http body does not serialise");
    free(s);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1 || size > FUZZ_MAX_INPUT)
        return 0;
    const struct app_parser *p = &app_parser_http;
    size_t body = size - 1;
    size_t ncli = body * data[0] / 256;
    const uint8_t *cli = data + 1, *srv = data + 1 + ncli;
    size_t nsrv = body - ncli;

    for (int dir = 0; dir < 2; dir++) {
        const uint8_t *s = dir ? srv : cli;
        uint32_t n = (uint32_t)MIN(dir ? nsrv : ncli, (size_t)APP_PROBE_MAX);
        enum app_probe_result a = p->probe(s, n, dir), b = p->probe(s, n, dir);
        if (a != b || (a != APP_PROBE_NO && a != APP_PROBE_NEED_MORE && a != APP_PROBE_YES))
            fuzz_fail("probe result not pure or not an enum value");
    }

    struct app_config cfg;
    app_config_defaults(&cfg);
    cfg.ndpi = false;
    struct app_layer *al = app_layer_new(&cfg, fuzz_http_on_event, NULL);
    struct flow f;
    memset(&f, 0, sizeof(f));
    f.id = 1;
    f.proto = 6;
    f.ip_version = 4;
    f.sport = 40000;
    f.dport = 80;
    f.first_ts_us = f.last_ts_us = FUZZ_T0_US;
    struct app_cx cx = {.al = al, .f = &f, .ts_us = FUZZ_T0_US};
    void *st = xcalloc(1, p->state_size);

    size_t oc = 0, os = 0;
    bool stopped = false;
    while ((oc < ncli || os < nsrv) && !stopped) {
        for (int dir = 0; dir < 2; dir++) {
            const uint8_t *s = dir ? srv : cli;
            size_t n = dir ? nsrv : ncli, *o = dir ? &os : &oc;
            if (*o >= n)
                continue;
            size_t piece = MIN((size_t)(s[*o] % 16u) + 1u, n - *o);
            /* A fresh copy of exactly the piece, so ASan sees over-reads. */
            uint8_t *copy = xmalloc(piece);
            memcpy(copy, s + *o, piece);
            p->feed(&cx, st, dir, copy, (uint32_t)piece);
            free(copy);
            *o += piece;
            if (dir == 1 && piece == 16)
                p->gap(&cx, st, dir);
            /* What the dispatcher does: an upgrade or done stops us. */
            if (cx.upgrade_to != APP_NONE || cx.done_mask == 3)
                stopped = true;
        }
    }
    p->end(&cx, st);
    p->release(st);
    free(st);
    app_layer_free(al);
    return 0;
}
