/* fuzz-proto-dhcp.c - the DHCPv4 and DHCPv6 app-layer parsers over the input
 * as one datagram each, in both directions, plus their probes. Checks what
 * app.h and the parsers promise: a "dhcp" event always carries an EVE body
 * with "type" and "id", a "dhcpv6" event never has a body but always extra
 * with "msg_type", and anomalies are "dhcp."/"dhcpv6." names. */
#include <jansson.h>

#include "app/app.h"
#include "fuzz.h"
#include "util/util.h"

static void fuzz_dhcp_on_event(void *arg, const struct app_event *e)
{
    (void)arg;
    if (strcmp(e->type, "anomaly") == 0) {
        const json_t *ev = e->body ? json_object_get(e->body, "event") : NULL;
        const char *s = ev ? json_string_value(ev) : NULL;
        if (!s || (strncmp(s, "dhcp.", 5) != 0 && strncmp(s, "dhcpv6.", 7) != 0))
            fuzz_fail("anomaly without a dhcp name");
        return;
    }
    if (strcmp(e->type, "dhcp") == 0) {
        if (!json_is_object(e->body) || !json_object_get(e->body, "type") ||
            !json_is_integer(json_object_get(e->body, "id")))
            fuzz_fail("dhcp event without type/id");
        /* The JSON must always serialise (app_json_str escapes wire text). */
        char *s = json_dumps(e->body, JSON_COMPACT);
        if (!s)
            fuzz_fail("dhcp body does not serialise");
        free(s);
    } else if (strcmp(e->type, "dhcpv6") == 0) {
        if (e->body || !json_is_object(e->extra) || !json_object_get(e->extra, "msg_type"))
            fuzz_fail("dhcpv6 event shape");
        char *s = json_dumps(e->extra, JSON_COMPACT);
        if (!s)
            fuzz_fail("dhcpv6 extra does not serialise");
        free(s);
    } else {
        fuzz_fail("unexpected event type");
    }
}

static void fuzz_dhcp_run(struct app_layer *al, const struct app_parser *p, const uint8_t *data,
                          uint32_t len)
{
    struct flow f;
    struct app_cx cx;

    memset(&f, 0, sizeof(f));
    f.id = 1;
    f.proto = 17;
    f.ip_version = 4;
    f.sport = 68;
    f.dport = 67;
    memset(&cx, 0, sizeof(cx));
    cx.al = al;
    cx.f = &f;
    cx.ts_us = FUZZ_T0_US;
    (void)p->probe(data, len, 0);
    void *state = xcalloc(1, p->state_size ? p->state_size : 1);
    /* A heap copy of exactly len bytes, so ASan sees any read past it. */
    uint8_t *copy = xmalloc(len ? len : 1);
    memcpy(copy, data, len);
    p->feed(&cx, state, 0, copy, len);
    p->feed(&cx, state, 1, copy, len);
    if (p->end)
        p->end(&cx, state);
    if (p->release)
        p->release(state);
    free(copy);
    free(state);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static struct app_layer *al;
    if (size > 65535)
        return 0;
    if (!al) {
        struct app_config cfg;
        app_config_defaults(&cfg);
        al = app_layer_new(&cfg, fuzz_dhcp_on_event, NULL);
    }
    fuzz_dhcp_run(al, &app_parser_dhcp, data, (uint32_t)size);
    fuzz_dhcp_run(al, &app_parser_dhcpv6, data, (uint32_t)size);
    return 0;
}
