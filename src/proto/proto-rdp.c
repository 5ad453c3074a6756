/* proto-rdp.c - RDP connection negotiation (app_parser_rdp).
 *
 * The client opens with a TPKT (RFC 1006: version 3, reserved, length be16)
 * carrying an X.224 Connection Request (ISO 8073 code 0xE0) whose variable
 * part holds an optional "Cookie: mstshash=USER\r\n" (or a load balancer's
 * routing token) and an RDP_NEG_REQ listing the security protocols the
 * client can do (MS-RDPBCGR 2.2.1.1). The server answers with a Connection
 * Confirm (0xD0) carrying RDP_NEG_RSP (the protocol chosen) or
 * RDP_NEG_FAILURE (2.2.1.2). Everything after is TLS/CredSSP (handed to the
 * TLS parser so the certificate is logged) or standard RDP security, which
 * we do not read. Events are Suricata's "initial_request" and
 * "initial_response". */
#include <string.h>

#include "app/app.h"
#include "util/limits.h"
#include "util/rd.h"
#include "util/util.h"

struct rdp_dir {
    uint8_t *buf;       /* RDP_MAX_PDU bytes, allocated on first use */
    uint32_t got;
    uint32_t need;      /* TPKT length once the header is in, else 4 */
    bool done;
};

struct rdp_state {
    struct rdp_dir d[2];
    unsigned tx_id;
};

#define RDP_X224_CR 0xe0
#define RDP_X224_CC 0xd0

/* requestedProtocols / selectedProtocol bits, named as Suricata does. */
static const struct {
    uint32_t bit;
    const char *name;
} rdp_protocols[] = {
    {0x01, "ssl"}, {0x02, "hybrid"}, {0x04, "rdstls"}, {0x08, "hybrid_ex"}, {0x10, "rdsaad"},
};

static const char *rdp_protocol_name(uint32_t v)
{
    if (v == 0)
        return "rdp";
    for (size_t i = 0; i < ARRAY_SIZE(rdp_protocols); i++)
        if (v == rdp_protocols[i].bit)
            return rdp_protocols[i].name;
    return NULL;
}

static json_t *rdp_protocol_list(uint32_t v)
{
    json_t *a = json_array();
    json_array_append_new(a, json_string_nocheck("rdp")); /* standard security: always */
    for (size_t i = 0; i < ARRAY_SIZE(rdp_protocols); i++)
        if (v & rdp_protocols[i].bit)
            json_array_append_new(a, json_string(rdp_protocols[i].name));
    return a;
}

static const char *rdp_failure_name(uint32_t code)
{
    switch (code) {
    case 1: return "ssl_required_by_server";
    case 2: return "ssl_not_allowed_by_server";
    case 3: return "ssl_cert_not_on_server";
    case 4: return "inconsistent_flags";
    case 5: return "hybrid_required_by_server";
    case 6: return "ssl_with_user_auth_required_by_server";
    default: return NULL;
    }
}

/* X.224 Connection Request variable part: cookie or routing token, then
 * RDP_NEG_REQ. */
static void rdp_request(struct app_cx *cx, struct rdp_state *st, struct rd *r)
{
    json_t *body = json_object();
    json_t *extra = json_object();
    json_object_set_new_nocheck(body, "event_type", json_string_nocheck("initial_request"));
    json_object_set_new_nocheck(body, "tx_id", json_integer(st->tx_id++));
    const uint8_t *p = rd_ptr(r);
    uint32_t n = rd_left(r);
    if (n >= 8 && memcmp(p, "Cookie: ", 8) == 0) {
        /* The token runs to CR LF (MS-RDPBCGR 2.2.1.1). */
        const uint8_t *crlf = memmem(p, n, "\r\n", 2);
        if (!crlf) {
            app_anomaly(cx, "rdp.invalid_cookie");
            rd_skip(r, n);
        } else {
            uint32_t tlen = (uint32_t)(crlf - p);
            static const char mst[] = "Cookie: mstshash=";
            if (tlen >= sizeof(mst) - 1 && memcmp(p, mst, sizeof(mst) - 1) == 0)
                app_json_set_bytes(body, "cookie", p + sizeof(mst) - 1,
                                   tlen - (sizeof(mst) - 1), RDP_MAX_PDU);
            else
                app_json_set_bytes(extra, "routing_token", p + 8, tlen - 8, RDP_MAX_PDU);
            rd_skip(r, tlen + 2);
        }
    }
    if (rd_left(r) >= 8) {
        uint8_t type = rd_u8(r);
        uint8_t flags = rd_u8(r);
        uint16_t len = rd_le16(r);
        uint32_t proto = rd_le32(r);
        if (type == 0x01 && len == 8) {
            json_object_set_new_nocheck(extra, "requested_protocols", rdp_protocol_list(proto));
            json_object_set_new_nocheck(extra, "request_flags", json_integer(flags));
        } else {
            app_anomaly(cx, "rdp.invalid_neg_req");
        }
    }
    if (json_object_size(extra) == 0) {
        json_decref(extra);
        extra = NULL;
    }
    app_event(cx, "rdp", 0, body, extra);
}

/* X.224 Connection Confirm variable part: RDP_NEG_RSP or RDP_NEG_FAILURE. */
static void rdp_response(struct app_cx *cx, struct rdp_state *st, struct rd *r)
{
    json_t *body = json_object();
    json_t *extra = json_object();
    json_object_set_new_nocheck(body, "event_type", json_string_nocheck("initial_response"));
    json_object_set_new_nocheck(body, "tx_id", json_integer(st->tx_id++));
    uint32_t selected = 0;
    bool failed = false;
    if (rd_left(r) >= 8) {
        uint8_t type = rd_u8(r);
        rd_u8(r);
        uint16_t len = rd_le16(r);
        uint32_t v = rd_le32(r);
        if (type == 0x02 && len == 8) {
            selected = v;
            const char *name = rdp_protocol_name(v);
            if (name)
                json_object_set_new_nocheck(extra, "selected_protocol", json_string(name));
            else
                json_object_set_new_nocheck(extra, "selected_protocol", json_integer(v));
        } else if (type == 0x03 && len == 8) {
            failed = true;
            const char *name = rdp_failure_name(v);
            json_object_set_new_nocheck(extra, "failure_code", json_integer(v));
            if (name)
                json_object_set_new_nocheck(extra, "failure", json_string(name));
        } else {
            app_anomaly(cx, "rdp.invalid_neg_rsp");
        }
    } else {
        /* An old server answers without negotiation: standard security. */
        json_object_set_new_nocheck(extra, "selected_protocol", json_string_nocheck("rdp"));
    }
    app_event(cx, "rdp", 1, body, extra);
    if (!failed && selected != 0)
        app_upgrade(cx, APP_TLS); /* TLS, CredSSP over TLS, RDSTLS, ... */
    else
        app_done(cx, -1);
}

static void rdp_pdu(struct app_cx *cx, struct rdp_state *st, int dir, const uint8_t *p,
                    uint32_t len)
{
    struct rd r;
    rd_init(&r, p, len);
    rd_skip(&r, 4); /* TPKT header, checked by the caller */
    uint8_t li = rd_u8(&r);
    struct rd x;
    bool whole = rd_sub(&r, li, &x);
    uint8_t code = rd_u8(&x);
    rd_skip(&x, 5); /* dst-ref, src-ref, class option */
    if (!whole || !rd_ok(&x) || (code & 0xf0) != (dir == 0 ? RDP_X224_CR : RDP_X224_CC)) {
        app_anomaly(cx, "rdp.invalid_x224");
        st->d[dir].done = true;
        if (st->d[0].done && st->d[1].done)
            app_done(cx, -1);
        return;
    }
    st->d[dir].done = true;
    if (dir == 0)
        rdp_request(cx, st, &x);
    else
        rdp_response(cx, st, &x);
}

static void rdp_feed(struct app_cx *cx, void *state, int dir, const uint8_t *data, uint32_t len)
{
    struct rdp_state *st = state;
    struct rdp_dir *d = &st->d[dir ? 1 : 0];
    dir = dir ? 1 : 0;
    /* One PDU per direction is read; each pass consumes input or stops. */
    while (len > 0 && !d->done) {
        if (!d->buf) {
            d->buf = xmalloc(RDP_MAX_PDU);
            d->need = 4;
        }
        uint32_t take = MIN(d->need - d->got, len);
        memcpy(d->buf + d->got, data, take);
        d->got += take;
        data += take;
        len -= take;
        if (d->got < d->need)
            break;
        if (d->need == 4) {
            struct rd r;
            rd_init(&r, d->buf, 4);
            uint8_t ver = rd_u8(&r);
            rd_u8(&r);
            uint16_t tlen = rd_be16(&r);
            if (ver != 3 || tlen < 11) {
                /* 4 TPKT + 7 fixed X.224 CR/CC bytes at least. */
                app_anomaly(cx, "rdp.invalid_tpkt");
                d->done = true;
            } else if (tlen > RDP_MAX_PDU) {
                app_anomaly(cx, "rdp.pdu_too_long");
                d->done = true;
            } else {
                d->need = tlen;
            }
            continue;
        }
        rdp_pdu(cx, st, dir, d->buf, d->got);
    }
    if (d->done) {
        free(d->buf);
        d->buf = NULL;
    }
}

static void rdp_release(void *state)
{
    struct rdp_state *st = state;
    for (int i = 0; i < 2; i++) {
        free(st->d[i].buf);
        st->d[i].buf = NULL;
    }
}

static enum app_probe_result rdp_probe(const uint8_t *data, uint32_t len, int dir)
{
    /* TPKT version 3, reserved 0, length, X.224 LI, then CR (client) or CC
     * (server). */
    if (len >= 1 && data[0] != 3)
        return APP_PROBE_NO;
    if (len >= 2 && data[1] != 0)
        return APP_PROBE_NO;
    if (len < 6)
        return APP_PROBE_NEED_MORE;
    uint8_t want = dir == 0 ? RDP_X224_CR : RDP_X224_CC;
    return (data[5] & 0xf0) == want ? APP_PROBE_YES : APP_PROBE_NO;
}

static const uint16_t rdp_ports[] = {3389, 0};

const struct app_parser app_parser_rdp = {
    .id = APP_RDP,
    .name = "rdp",
    .ipproto = 6,
    .ports = rdp_ports,
    .probe = rdp_probe,
    .state_size = sizeof(struct rdp_state),
    .feed = rdp_feed,
    .gap = NULL,
    .end = NULL,
    .release = rdp_release,
};
