/* proto-dcerpc.c - DCE/RPC binds over TCP (app_parser_dcerpc): which RPC
 * interfaces a client asks for on the endpoint mapper (135) and on the
 * dynamic port it is then sent to.
 *
 * Why only binds: the interface says what is being done remotely (svcctl =
 * create a service, the way PsExec runs a program; IWbemLevel1Login = WMI;
 * atsvc / ITaskSchedulerService = a scheduled task), and binds stay readable
 * when the calls themselves are encrypted (auth level packet privacy, as WMI
 * uses). Each BIND / ALTER_CONTEXT is paired with its BIND_ACK /
 * ALTER_CONTEXT_RESP by call id and logged as one "dcerpc" event in
 * Suricata's shape (request, response, interfaces [uuid, version,
 * ack_result], call_id, rpc_version); extra.names lists the interfaces we
 * know by name ("svcctl", "wmi", ...). After DCERPC_MAX_PDUS PDUs a direction
 * is left alone: the rest is calls.
 *
 * Framing (C706 12.6, MS-RPCE 2.2.2.13): a 16-byte common header (version
 * 5.0, type, flags, data representation, fragment length, auth length, call
 * id), fragments back to back on the stream. Only the first DCERPC_MAX_KEEP
 * bytes of a fragment are kept; longer ones (call data) are skipped by
 * length. Big-endian senders (drep[0] without 0x10) are read as such. */
#include <stdio.h>
#include <string.h>

#include "app/app.h"
#include "util/rd.h"
#include "util/util.h"

#define DCERPC_MAX_KEEP 1024 /* bytes of a fragment kept (binds are ~120) */
#define DCERPC_MAX_PDUS 32   /* per direction, then app_done() */
#define DCERPC_MAX_CTX 16    /* contexts read per bind */

#define DCERPC_BIND 11
#define DCERPC_BIND_ACK 12
#define DCERPC_BIND_NAK 13
#define DCERPC_ALTER 14
#define DCERPC_ALTER_RESP 15

struct dcerpc_dir {
    uint8_t hdr[16];
    uint8_t hdr_got;
    uint16_t frag_len;
    uint32_t got;        /* body bytes of the current fragment consumed */
    uint8_t buf[DCERPC_MAX_KEEP];
    uint32_t pdus;
    bool dead;
};

struct dcerpc_state {
    struct dcerpc_dir d[2];
    json_t *pend;        /* the bind waiting for its answer (EVE body) */
    json_t *pend_extra;
    uint32_t pend_call;
};

/* Interfaces worth a name (MS-SCMR, MS-TSCH, MS-WMI, MS-DCOM, MS-RRP,
 * MS-LSAD, MS-NRPC, MS-SAMR, MS-DRSR, MS-SRVS, MS-WKST, MS-RPRN). */
static const struct {
    const char *uuid;
    const char *name;
} dcerpc_names[] = {
    {"367abb81-9844-35f1-ad32-98f038001003", "svcctl"},
    {"1ff70682-0a51-30e8-076d-740be8cee98b", "atsvc"},
    {"86d35949-83c9-4044-b424-db363231fd0c", "taskscheduler"},
    {"378e52b0-c0a9-11cf-822d-00aa0051e40f", "sasec"},
    {"f309ad18-d86a-11d0-a075-00c04fb68820", "wmi"},
    {"9556dc99-828c-11cf-a37e-00aa003240c7", "wmi"},
    {"000001a0-0000-0000-c000-000000000046", "dcom"},
    {"4d9f4ab8-7d1c-11cf-861e-0020af6e7c57", "dcom"},
    {"99fcfec4-5260-101b-bbcb-00aa0021347a", "dcom"},
    {"e1af8308-5d1f-11c9-91a4-08002b14a0fa", "epm"},
    {"338cd001-2244-31f1-aaaa-900038001003", "winreg"},
    {"12345778-1234-abcd-ef00-0123456789ab", "lsarpc"},
    {"12345678-1234-abcd-ef00-01234567cffb", "netlogon"},
    {"12345778-1234-abcd-ef00-0123456789ac", "samr"},
    {"e3514235-4b06-11d1-ab04-00c04fc2dcd2", "drsuapi"},
    {"4b324fc8-1670-01d3-1278-5a47bf6ee188", "srvsvc"},
    {"6bffd098-a112-3610-9833-46c3f87e345a", "wkssvc"},
    {"12345678-1234-abcd-ef00-0123456789ab", "spoolss"},
    {"76f03f96-cdfd-44fc-a22c-64950a001209", "spoolss"},
};

static void dcerpc_emit(struct app_cx *cx, struct dcerpc_state *st)
{
    if (!st->pend)
        return;
    app_event(cx, "dcerpc", 0, st->pend, st->pend_extra);
    st->pend = NULL;
    st->pend_extra = NULL;
}

/* A UUID in its wire order as text; the first three fields follow drep. */
static void dcerpc_uuid(const uint8_t *g, bool le, char out[40])
{
    uint32_t a = le ? (uint32_t)g[0] | (uint32_t)g[1] << 8 | (uint32_t)g[2] << 16 |
                          (uint32_t)g[3] << 24
                    : (uint32_t)g[0] << 24 | (uint32_t)g[1] << 16 | (uint32_t)g[2] << 8 | g[3];
    unsigned b = le ? (unsigned)(g[4] | g[5] << 8) : (unsigned)(g[4] << 8 | g[5]);
    unsigned c = le ? (unsigned)(g[6] | g[7] << 8) : (unsigned)(g[6] << 8 | g[7]);
    snprintf(out, 40, "%08x-%04x-%04x-%02x%02x-%02x%02x%02x%02x%02x%02x", a, b, c, g[8], g[9],
             g[10], g[11], g[12], g[13], g[14], g[15]);
}

static uint16_t dcerpc_u16(struct rd *r, bool le)
{
    return le ? rd_le16(r) : rd_be16(r);
}

static void dcerpc_bind(struct app_cx *cx, struct dcerpc_state *st, uint8_t type, uint32_t call,
                        bool le, struct rd *b)
{
    dcerpc_emit(cx, st); /* a bind left unanswered */
    rd_skip(b, 8);       /* max_xmit, max_recv, assoc_group */
    uint8_t n = rd_u8(b);
    rd_skip(b, 3);
    if (!rd_ok(b)) {
        app_anomaly(cx, "dcerpc.truncated");
        return;
    }
    json_t *ifs = json_array();
    json_t *names = json_array();
    for (unsigned i = 0; i < n && i < DCERPC_MAX_CTX; i++) {
        rd_skip(b, 2);
        uint8_t nts = rd_u8(b);
        rd_skip(b, 1);
        uint8_t g[16];
        rd_bytes(b, g, 16);
        uint16_t vmaj = dcerpc_u16(b, le);
        uint16_t vmin = dcerpc_u16(b, le);
        rd_skip(b, (uint32_t)nts * 20);
        if (!rd_ok(b)) {
            app_anomaly(cx, "dcerpc.truncated");
            break;
        }
        char u[40], v[16];
        dcerpc_uuid(g, le, u);
        snprintf(v, sizeof(v), "%u.%u", vmaj, vmin);
        json_t *o = json_object();
        json_object_set_new_nocheck(o, "uuid", json_string(u));
        json_object_set_new_nocheck(o, "version", json_string(v));
        json_array_append_new(ifs, o);
        for (size_t k = 0; k < ARRAY_SIZE(dcerpc_names); k++) {
            if (strcmp(dcerpc_names[k].uuid, u) == 0) {
                json_array_append_new(names, json_string(dcerpc_names[k].name));
                break;
            }
        }
    }
    st->pend = json_object();
    st->pend_extra = json_object();
    st->pend_call = call;
    json_object_set_new_nocheck(st->pend, "request",
                                json_string(type == DCERPC_BIND ? "BIND" : "ALTER_CONTEXT"));
    if (json_array_size(ifs))
        json_object_set_new_nocheck(st->pend, "interfaces", ifs);
    else
        json_decref(ifs);
    json_object_set_new_nocheck(st->pend, "call_id", json_integer(call));
    json_object_set_new_nocheck(st->pend, "rpc_version", json_string_nocheck("5.0"));
    if (json_array_size(names))
        json_object_set_new_nocheck(st->pend_extra, "names", names);
    else
        json_decref(names);
}

static void dcerpc_ack(struct app_cx *cx, struct dcerpc_state *st, uint8_t type, uint32_t call,
                       bool le, struct rd *b, uint32_t body_off)
{
    if (!st->pend || st->pend_call != call)
        return; /* the bind was not seen */
    json_object_set_new_nocheck(st->pend, "response",
                                json_string(type == DCERPC_BIND_ACK   ? "BINDACK"
                                            : type == DCERPC_BIND_NAK ? "BINDNAK"
                                                                      : "ALTER_CONTEXT_RESP"));
    if (type != DCERPC_BIND_NAK) {
        rd_skip(b, 8);
        uint16_t alen = dcerpc_u16(b, le);
        rd_skip(b, alen);
        /* The result list starts 4-byte aligned from the PDU start. */
        while (rd_ok(b) && (body_off + b->off) % 4)
            rd_skip(b, 1);
        uint8_t n = rd_u8(b);
        rd_skip(b, 3);
        json_t *ifs = json_object_get(st->pend, "interfaces");
        for (unsigned i = 0; i < n && i < DCERPC_MAX_CTX && rd_ok(b); i++) {
            uint16_t res = dcerpc_u16(b, le);
            rd_skip(b, 22);
            json_t *o = json_array_get(ifs, i);
            if (o && rd_ok(b))
                json_object_set_new_nocheck(o, "ack_result", json_integer(res));
        }
        if (!rd_ok(b))
            app_anomaly(cx, "dcerpc.truncated");
    }
    dcerpc_emit(cx, st);
}

static void dcerpc_pdu(struct app_cx *cx, struct dcerpc_state *st, int dir, const uint8_t *h,
                       const uint8_t *body, uint32_t blen)
{
    bool le = (h[4] & 0x10) != 0;
    uint8_t type = h[2];
    uint32_t call = le ? (uint32_t)h[12] | (uint32_t)h[13] << 8 | (uint32_t)h[14] << 16 |
                             (uint32_t)h[15] << 24
                       : (uint32_t)h[12] << 24 | (uint32_t)h[13] << 16 | (uint32_t)h[14] << 8 |
                             h[15];
    struct rd b;
    rd_init(&b, body, blen);
    if (dir == 0 && (type == DCERPC_BIND || type == DCERPC_ALTER))
        dcerpc_bind(cx, st, type, call, le, &b);
    else if (dir == 1 &&
             (type == DCERPC_BIND_ACK || type == DCERPC_BIND_NAK || type == DCERPC_ALTER_RESP))
        dcerpc_ack(cx, st, type, call, le, &b, 16);
}

static void dcerpc_feed(struct app_cx *cx, void *state, int dir, const uint8_t *data, uint32_t len)
{
    struct dcerpc_state *st = state;
    struct dcerpc_dir *d = &st->d[dir ? 1 : 0];
    /* Each pass consumes at least one byte or ends the direction. */
    while (len > 0 && !d->dead) {
        if (d->hdr_got < 16) {
            d->hdr[d->hdr_got++] = *data++;
            len--;
            if (d->hdr_got < 16)
                continue;
            bool le = (d->hdr[4] & 0x10) != 0;
            d->frag_len = le ? (uint16_t)(d->hdr[8] | d->hdr[9] << 8)
                             : (uint16_t)(d->hdr[8] << 8 | d->hdr[9]);
            d->got = 0;
            if (d->hdr[0] != 5 || d->frag_len < 16) {
                app_anomaly(cx, "dcerpc.invalid_header");
                d->dead = true;
                app_done(cx, dir);
                return;
            }
            /* On to the body (none for a bare header). */
        }
        uint32_t body = (uint32_t)d->frag_len - 16;
        uint32_t take = MIN(body - d->got, len);
        if (d->got < DCERPC_MAX_KEEP) {
            uint32_t keep = MIN(take, DCERPC_MAX_KEEP - d->got);
            memcpy(d->buf + d->got, data, keep);
        }
        d->got += take;
        data += take;
        len -= take;
        if (d->got < body)
            continue;
        d->hdr_got = 0;
        dcerpc_pdu(cx, st, dir, d->hdr, d->buf, MIN(d->got, (uint32_t)DCERPC_MAX_KEEP));
        if (++d->pdus >= DCERPC_MAX_PDUS) {
            d->dead = true;
            app_done(cx, dir);
        }
    }
}

static void dcerpc_end(struct app_cx *cx, void *state)
{
    dcerpc_emit(cx, state);
}

static void dcerpc_release(void *state)
{
    struct dcerpc_state *st = state;
    json_decref(st->pend);
    json_decref(st->pend_extra);
    st->pend = st->pend_extra = NULL;
}

/* A client's first PDU: version 5.0, BIND or ALTER_CONTEXT, a plausible
 * fragment length. Strict enough for any port (the dynamic RPC ports are
 * random). */
static enum app_probe_result dcerpc_probe(const uint8_t *data, uint32_t len, int dir)
{
    if (dir != 0)
        return APP_PROBE_NO;
    if (len >= 1 && data[0] != 5)
        return APP_PROBE_NO;
    if (len >= 2 && data[1] != 0)
        return APP_PROBE_NO;
    if (len >= 3 && data[2] != DCERPC_BIND && data[2] != DCERPC_ALTER)
        return APP_PROBE_NO;
    if (len < 10)
        return APP_PROBE_NEED_MORE;
    if ((data[4] & 0xee) != 0 || data[5] > 3) /* drep: byte order, char set, float format */
        return APP_PROBE_NO;
    bool le = (data[4] & 0x10) != 0;
    uint16_t fl = le ? (uint16_t)(data[8] | data[9] << 8) : (uint16_t)(data[8] << 8 | data[9]);
    return fl >= 16 + 12 + 44 ? APP_PROBE_YES : APP_PROBE_NO;
}

static const uint16_t dcerpc_ports[] = {135, 0};

const struct app_parser app_parser_dcerpc = {
    .id = APP_DCERPC,
    .name = "dcerpc",
    .ipproto = 6,
    .ports = dcerpc_ports,
    .probe = dcerpc_probe,
    .state_size = sizeof(struct dcerpc_state),
    .feed = dcerpc_feed,
    .end = dcerpc_end,
    .release = dcerpc_release,
};
