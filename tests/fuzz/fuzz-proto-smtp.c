/* fuzz-proto-smtp.c - the smtp parser over the input as a session: byte 0 of
 * each piece picks the direction (bit 7) and the piece size (1-64), so both
 * directions interleave in pieces of any size; a gap now and then, then
 * end() and release() (ASan's leak check covers release). Checks that every
 * event is well-formed JSON with the documented type, that an "email"
 * object has its status, and that the upgrade target, when set, is TLS. */
#include "app/app.h"
#include "fuzz.h"
#include "util/util.h"

#define FUZZ_PROTO app_parser_smtp
#define FUZZ_TYPE "smtp"

static unsigned fuzz_events;

static void fuzz_on_event(void *arg, const struct app_event *e)
{
    (void)arg;
    if (strcmp(e->type, "anomaly") == 0)
        return;
    if (strcmp(e->type, FUZZ_TYPE) != 0)
        fuzz_fail("event of an unexpected type");
    if (e->body && !json_is_object(e->body))
        fuzz_fail("body is not an object");
    if (e->extra && !json_is_object(e->extra))
        fuzz_fail("extra is not an object");
    if (e->body) {
        char *s = json_dumps(e->body, JSON_COMPACT);
        if (!s)
            fuzz_fail("body does not serialise");
        free(s);
    }
    if (e->aux) {
        /* the "email" object: an object with a status, every string valid */
        if (!e->aux_key || strcmp(e->aux_key, "email") != 0 || !json_is_object(e->aux))
            fuzz_fail("aux is not an email object");
        if (!json_is_string(json_object_get(e->aux, "status")))
            fuzz_fail("email without status");
        char *s = json_dumps(e->aux, JSON_COMPACT);
        if (!s)
            fuzz_fail("email does not serialise");
        free(s);
    }
    fuzz_events++;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static struct app_layer *al;
    struct flow f;
    struct app_cx cx;

    if (size > FUZZ_MAX_INPUT)
        return 0;
    if (!al) {
        /* One dispatcher for the whole run: its setup (nDPI) is slow. */
        struct app_config cfg;
        app_config_defaults(&cfg);
        al = app_layer_new(&cfg, fuzz_on_event, NULL);
    }
    memset(&f, 0, sizeof(f));
    f.id = 1;
    f.proto = 6;
    f.ip_version = 4;
    f.sport = 40000;
    f.dport = FUZZ_PROTO.ports[0];
    memset(&cx, 0, sizeof(cx));
    cx.al = al;
    cx.f = &f;
    cx.ts_us = FUZZ_T0_US;

    void *state = xcalloc(1, FUZZ_PROTO.state_size);
    (void)FUZZ_PROTO.probe(data, (uint32_t)MIN(size, (size_t)APP_PROBE_MAX), 1);
    (void)FUZZ_PROTO.probe(data, (uint32_t)MIN(size, (size_t)APP_PROBE_MAX), 0);
    for (size_t off = 0; off < size && cx.upgrade_to == APP_NONE;) {
        uint8_t ctl = data[off++];
        int dir = ctl >> 7;
        size_t piece = MIN((size_t)(ctl & 0x3f) + 1u, size - off);
        if ((ctl & 0x40) && (ctl & 0x3f) == 0x3f && FUZZ_PROTO.gap)
            FUZZ_PROTO.gap(&cx, state, dir);
        else if (piece > 0 && (cx.done_mask & (1u << dir)) == 0)
            FUZZ_PROTO.feed(&cx, state, dir, data + off, (uint32_t)piece);
        off += piece;
    }
    if (cx.upgrade_to != APP_NONE && cx.upgrade_to != APP_TLS)
        fuzz_fail("upgrade to something other than TLS");
    if (FUZZ_PROTO.end)
        FUZZ_PROTO.end(&cx, state);
    if (FUZZ_PROTO.release)
        FUZZ_PROTO.release(state);
    free(state);
    return 0;
}
