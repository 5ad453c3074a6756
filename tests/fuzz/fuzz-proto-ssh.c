/* fuzz-proto-ssh.c - app_parser_ssh over a two-sided stream. Input: a
 * big-endian u16 client length, the client bytes, then the server bytes.
 * Both sides are fed interleaved in pieces of 1-97 bytes (sizes from the
 * bytes themselves), then end() and release(); ASan checks every buffer and
 * LeakSanitizer that release() frees all. */
#include "app/app.h"
#include "fuzz.h"
#include "util/util.h"

static void fuzz_ssh_on_event(void *arg, const struct app_event *ev)
{
    (void)arg;
    if (!ev->type || (ev->body && !json_is_object(ev->body)))
        fuzz_fail("event without type or with a non-object body");
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 2 || size > FUZZ_MAX_INPUT)
        return 0;
    const struct app_parser *p = &app_parser_ssh;
    size_t clen = MIN((size_t)(data[0] << 8 | data[1]), size - 2);
    const uint8_t *side[2] = {data + 2, data + 2 + clen};
    size_t left[2] = {clen, size - 2 - clen};

    /* One dispatcher for all inputs: creating one sets up nDPI, which costs
     * far more than the parser run (still reachable at exit, not a leak). */
    static struct app_layer *al;
    if (!al) {
        struct app_config cfg;
        app_config_defaults(&cfg);
        al = app_layer_new(&cfg, fuzz_ssh_on_event, NULL);
    }
    struct flow f;
    memset(&f, 0, sizeof(f));
    f.proto = 6;
    f.ip_version = 4;
    f.sport = 40000;
    f.dport = p->ports[0];
    struct app_cx cx = {.al = al, .f = &f, .ts_us = FUZZ_T0_US};
    void *st = xcalloc(1, p->state_size);

    for (int dir = 0; left[0] + left[1] > 0; dir ^= 1) {
        if (cx.done_mask & (1u << dir))
            left[dir] = 0; /* the parser let go of this side */
        if (!left[dir])
            continue;
        if (cx.upgrade_to != APP_NONE)
            break;
        size_t piece = MIN((size_t)(side[dir][0] % 97u) + 1u, left[dir]);
        /* A heap copy of exactly the piece, so a read past it is caught. */
        uint8_t *copy = xmalloc(piece);
        memcpy(copy, side[dir], piece);
        p->feed(&cx, st, dir, copy, (uint32_t)piece);
        free(copy);
        side[dir] += piece;
        left[dir] -= piece;
        if (cx.done_mask == 3)
            break;
    }
    if (p->end)
        p->end(&cx, st);
    if (p->release)
        p->release(st);
    free(st);
    return 0;
}
