/* proto-dhcpv6.c - DHCPv6 (RFC 8415; FQDN option RFC 4704).
 *
 * Each datagram is one message, reported on its own as a "dhcpv6" event.
 * EVE has no dhcpv6 type, so everything goes to `extra`: message type,
 * transaction id, client and server DUID, FQDN, vendor class, the option
 * request list (the device's DHCPv6 fingerprint, "23,24,39") and the
 * addresses and prefixes leased. Relay messages are unwrapped (bounded) to
 * the client's message inside.
 */
#include <arpa/inet.h>
#include <stdio.h>
#include <string.h>

#include "app/app.h"
#include "util/limits.h"
#include "util/rd.h"
#include "util/util.h"

#define DHCPV6_RELAY_FORW 12
#define DHCPV6_RELAY_REPL 13
/* RFC 8415 9: msg-type, hop-count, link-address, peer-address. */
#define DHCPV6_RELAY_HDR_LEN 34

#define D6_OPT_CLIENTID 1
#define D6_OPT_SERVERID 2
#define D6_OPT_IA_NA 3
#define D6_OPT_IA_TA 4
#define D6_OPT_IAADDR 5
#define D6_OPT_ORO 6
#define D6_OPT_RELAY_MSG 9
#define D6_OPT_STATUS 13
#define D6_OPT_VENDOR_CLASS 16
#define D6_OPT_DNS 23
#define D6_OPT_DOMAINS 24
#define D6_OPT_IA_PD 25
#define D6_OPT_IAPREFIX 26
#define D6_OPT_FQDN 39

/* Text shown from one string option. */
#define DHCPV6_TEXT_MAX 255

static const char *dhcpv6_type_name(uint8_t t)
{
    static const char *const names[] = {
        NULL,    "solicit", "advertise", "request", "confirm",     "renew",      "rebind",
        "reply", "release", "decline",   "reconfigure", "information-request", "relay-forw",
        "relay-repl"};
    if (t > 0 && t < ARRAY_SIZE(names))
        return names[t];
    return "unknown";
}

struct dhcpv6_ctx {
    struct app_cx *cx;
    json_t *x;
    json_t *addrs, *prefixes, *dns;
    bool malformed, truncated;
};

static json_t *dhcpv6_hex(const uint8_t *p, size_t n)
{
    char buf[2 * 130];
    n = MIN(n, (size_t)130); /* RFC 8415 11.1: a DUID is at most 130 bytes */
    char *end = put_hex_bytes(buf, p, n);
    return json_stringn_nocheck(buf, (size_t)(end - buf));
}

static json_t *dhcpv6_ip6(const uint8_t *a)
{
    char buf[INET6_ADDRSTRLEN];
    inet_ntop(AF_INET6, a, buf, sizeof(buf));
    return json_string(buf);
}

/* DUID as hex, and for DUID-LLT/DUID-LL over Ethernet (RFC 8415 11.2, 11.4)
 * the MAC it embeds, which ties the IPv6 client to a device. */
static void dhcpv6_duid(struct dhcpv6_ctx *c, const char *key, const char *mac_key,
                        const uint8_t *v, uint16_t len)
{
    json_object_set_new_nocheck(c->x, key, dhcpv6_hex(v, len));
    if (len < 4)
        return;
    uint16_t type = (uint16_t)(v[0] << 8 | v[1]);
    uint16_t hw = (uint16_t)(v[2] << 8 | v[3]);
    uint32_t off = type == 1 ? 8 : type == 3 ? 4 : 0;
    if (off && hw == 1 && len == off + 6) {
        char mac[18];
        const uint8_t *b = v + off;
        snprintf(mac, sizeof(mac), "%02x:%02x:%02x:%02x:%02x:%02x", b[0], b[1], b[2], b[3], b[4],
                 b[5]);
        json_object_set_new_nocheck(c->x, mac_key, json_string(mac));
    }
}

/* A DNS wire-format name (RFC 8415 10: no compression) into dotted text. */
static json_t *dhcpv6_name(struct rd *r)
{
    uint8_t out[DHCPV6_TEXT_MAX];
    uint32_t o = 0;
    for (unsigned i = 0; i < 128 && rd_left(r) > 0; i++) {
        uint8_t l = rd_u8(r);
        if (l == 0 || l > 63 || !rd_has(r, l))
            break;
        if (o > 0 && o < sizeof(out))
            out[o++] = '.';
        uint32_t take = MIN((uint32_t)l, (uint32_t)sizeof(out) - o);
        rd_bytes(r, out + o, take);
        rd_skip(r, l - take);
        o += take;
    }
    return app_json_str(out, o, DHCPV6_TEXT_MAX);
}

/* Options inside IA_NA/IA_TA/IA_PD: addresses, prefixes, status. */
static void dhcpv6_ia_options(struct dhcpv6_ctx *c, struct rd *r)
{
    for (unsigned i = 0; i < DHCPV6_MAX_OPTIONS && rd_left(r) > 0; i++) {
        uint16_t code = rd_be16(r);
        uint16_t len = rd_be16(r);
        struct rd v;
        if (!rd_ok(r) || !rd_sub(r, len, &v)) {
            c->truncated = true;
            return;
        }
        if (code == D6_OPT_IAADDR) {
            uint8_t a[16];
            rd_bytes(&v, a, 16);
            if (rd_ok(&v) && json_array_size(c->addrs) < DHCP_MAX_LIST_ITEMS)
                json_array_append_new(c->addrs, dhcpv6_ip6(a));
            else if (!rd_ok(&v))
                c->malformed = true;
        } else if (code == D6_OPT_IAPREFIX) {
            uint8_t a[16];
            rd_skip(&v, 8); /* preferred and valid lifetime */
            uint8_t plen = rd_u8(&v);
            rd_bytes(&v, a, 16);
            if (!rd_ok(&v) || plen > 128) {
                c->malformed = true;
            } else if (json_array_size(c->prefixes) < DHCP_MAX_LIST_ITEMS) {
                char buf[INET6_ADDRSTRLEN + 5];
                inet_ntop(AF_INET6, a, buf, INET6_ADDRSTRLEN);
                size_t n = strlen(buf);
                snprintf(buf + n, sizeof(buf) - n, "/%u", plen);
                json_array_append_new(c->prefixes, json_string(buf));
            }
        } else if (code == D6_OPT_STATUS && len >= 2) {
            json_object_set_new_nocheck(c->x, "status_code", json_integer(rd_be16(&v)));
        }
    }
}

/* Walks one message's options. *inner is set to a RELAY_MSG payload. */
static void dhcpv6_options(struct dhcpv6_ctx *c, struct rd *r, struct rd *inner, bool *has_inner)
{
    unsigned i;
    for (i = 0; i < DHCPV6_MAX_OPTIONS && rd_left(r) > 0; i++) {
        uint16_t code = rd_be16(r);
        uint16_t len = rd_be16(r);
        struct rd v;
        if (!rd_ok(r) || !rd_sub(r, len, &v)) {
            c->truncated = true;
            return;
        }
        const uint8_t *p = rd_ptr(&v);
        switch (code) {
        case D6_OPT_CLIENTID:
            dhcpv6_duid(c, "client_duid", "client_mac", p, len);
            break;
        case D6_OPT_SERVERID:
            dhcpv6_duid(c, "server_duid", "server_mac", p, len);
            break;
        case D6_OPT_IA_NA:
        case D6_OPT_IA_PD:
        case D6_OPT_IA_TA: {
            /* IAID, T1, T2 (IA_TA: IAID only), then options. */
            uint32_t fixed = code == D6_OPT_IA_TA ? 4 : 12;
            if (len < fixed) {
                c->malformed = true;
                break;
            }
            rd_skip(&v, fixed);
            dhcpv6_ia_options(c, &v);
            break;
        }
        case D6_OPT_ORO: {
            if (len % 2 != 0)
                c->malformed = true;
            char fp[6 * (DHCPV6_MAX_OPTIONS) + 1];
            size_t o = 0;
            fp[0] = '\0';
            for (unsigned k = 0; k < DHCPV6_MAX_OPTIONS && rd_left(&v) >= 2; k++)
                o += (size_t)snprintf(fp + o, sizeof(fp) - o, k ? ",%u" : "%u", rd_be16(&v));
            json_object_set_new_nocheck(c->x, "oro", json_string(fp));
            break;
        }
        case D6_OPT_RELAY_MSG:
            *inner = v;
            *has_inner = true;
            break;
        case D6_OPT_STATUS:
            if (len >= 2)
                json_object_set_new_nocheck(c->x, "status_code", json_integer(rd_be16(&v)));
            break;
        case D6_OPT_VENDOR_CLASS: {
            /* RFC 8415 21.16: enterprise number, then length-prefixed data;
             * the first item is what identifies the client software. */
            uint32_t ent = rd_be32(&v);
            uint16_t n = rd_be16(&v);
            if (!rd_ok(&v) || !rd_has(&v, n)) {
                c->malformed = true;
                break;
            }
            json_object_set_new_nocheck(c->x, "vendor_enterprise", json_integer(ent));
            app_json_set_bytes(c->x, "vendor_class", rd_ptr(&v), n, DHCPV6_TEXT_MAX);
            break;
        }
        case D6_OPT_DNS:
            if (len % 16 != 0) {
                c->malformed = true;
                break;
            }
            for (unsigned k = 0; k < len / 16 && json_array_size(c->dns) < DHCP_MAX_LIST_ITEMS;
                 k++)
                json_array_append_new(c->dns, dhcpv6_ip6(p + 16 * k));
            break;
        case D6_OPT_DOMAINS:
            if (len > 0)
                json_object_set_new_nocheck(c->x, "domain_search", dhcpv6_name(&v));
            break;
        case D6_OPT_FQDN:
            /* RFC 4704 4.1: flags, then the (possibly partial) name. */
            if (len < 1) {
                c->malformed = true;
                break;
            }
            json_object_set_new_nocheck(c->x, "fqdn_flags", json_integer(rd_u8(&v)));
            json_object_set_new_nocheck(c->x, "fqdn", dhcpv6_name(&v));
            break;
        default:
            break;
        }
    }
    if (i == DHCPV6_MAX_OPTIONS && rd_left(r) > 0)
        c->malformed = true;
}

static void dhcpv6_feed(struct app_cx *cx, void *state, int dir, const uint8_t *data, uint32_t len)
{
    struct dhcpv6_ctx c;
    struct rd r;
    (void)state;

    if (len < 4) {
        app_anomaly(cx, "dhcpv6.truncated");
        return;
    }
    memset(&c, 0, sizeof(c));
    c.cx = cx;
    c.x = json_object();
    c.addrs = json_array();
    c.prefixes = json_array();
    c.dns = json_array();
    rd_init(&r, data, len);
    unsigned depth = 0;
    uint8_t type = 0;
    for (;;) {
        type = rd_u8(&r);
        if (type == DHCPV6_RELAY_FORW || type == DHCPV6_RELAY_REPL) {
            uint8_t hops = rd_u8(&r);
            uint8_t link[16], peer[16];
            rd_bytes(&r, link, 16);
            rd_bytes(&r, peer, 16);
            if (!rd_ok(&r)) {
                c.truncated = true;
                break;
            }
            if (depth == 0) {
                json_object_set_new_nocheck(c.x, "relay_hops", json_integer(hops));
                json_object_set_new_nocheck(c.x, "relay_link_address", dhcpv6_ip6(link));
                json_object_set_new_nocheck(c.x, "relay_peer_address", dhcpv6_ip6(peer));
            }
            struct rd inner;
            bool has_inner = false;
            dhcpv6_options(&c, &r, &inner, &has_inner);
            if (!has_inner || ++depth > DHCPV6_MAX_RELAY_DEPTH) {
                if (has_inner)
                    c.malformed = true;
                break;
            }
            r = inner;
            continue;
        }
        uint32_t xid = rd_be24(&r);
        if (!rd_ok(&r)) {
            c.truncated = true;
            break;
        }
        json_object_set_new_nocheck(c.x, "transaction_id", json_integer(xid));
        struct rd inner;
        bool has_inner = false;
        dhcpv6_options(&c, &r, &inner, &has_inner);
        break;
    }
    json_object_set_new_nocheck(c.x, "msg_type", json_string(dhcpv6_type_name(type)));
    json_object_set_new_nocheck(c.x, "msg_type_code", json_integer(type));
    if (depth > 0)
        json_object_set_new_nocheck(c.x, "relayed", json_true());
    const char *keys[] = {"addresses", "prefixes", "dns_servers"};
    json_t *arrs[] = {c.addrs, c.prefixes, c.dns};
    for (unsigned i = 0; i < 3; i++) {
        if (json_array_size(arrs[i]) > 0)
            json_object_set_new_nocheck(c.x, keys[i], arrs[i]);
        else
            json_decref(arrs[i]);
    }
    if (c.truncated)
        app_anomaly(cx, "dhcpv6.truncated");
    if (c.malformed)
        app_anomaly(cx, "dhcpv6.malformed_options");
    app_event(cx, "dhcpv6", dir, NULL, c.x);
}

/* Message type 1-13, then options that tile the rest of the datagram exactly:
 * a bare type byte would claim a quarter of all random UDP. */
static enum app_probe_result dhcpv6_probe(const uint8_t *data, uint32_t len, int dir)
{
    struct rd r;
    (void)dir;
    if (len < 4 || data[0] < 1 || data[0] > 13)
        return APP_PROBE_NO;
    uint32_t hdr = data[0] >= DHCPV6_RELAY_FORW ? DHCPV6_RELAY_HDR_LEN : 4;
    if (len < hdr + 4)
        return APP_PROBE_NO;
    rd_init(&r, data, len);
    rd_skip(&r, hdr);
    for (unsigned i = 0; i < DHCPV6_MAX_OPTIONS && rd_left(&r) > 0; i++) {
        uint16_t code = rd_be16(&r);
        uint16_t olen = rd_be16(&r);
        if (!rd_ok(&r) || code == 0 || !rd_has(&r, olen))
            return APP_PROBE_NO;
        rd_skip(&r, olen);
    }
    return rd_left(&r) == 0 ? APP_PROBE_YES : APP_PROBE_NO;
}

static const uint16_t dhcpv6_ports[] = {547, 546, 0};

const struct app_parser app_parser_dhcpv6 = {
    .id = APP_DHCPV6,
    .name = "dhcpv6",
    .ipproto = 17,
    .ports = dhcpv6_ports,
    .probe = dhcpv6_probe,
    .state_size = 0, /* every datagram stands alone */
    .feed = dhcpv6_feed,
};
