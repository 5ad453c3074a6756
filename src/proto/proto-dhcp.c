/* proto-dhcp.c - DHCPv4 (RFC 2131, options RFC 2132, 4702, 3396 overload).
 *
 * Each datagram is a self-contained message: a DISCOVER often travels
 * 0.0.0.0:68 -> 255.255.255.255:67 and its OFFER in another flow, so every
 * datagram of either direction is parsed and reported on its own, one "dhcp"
 * event each, in the shape of Suricata's "extended" DHCP log. The ordered
 * parameter request list (option 55) is kept as "1,3,6,15,..." in extra: it
 * is the device's DHCP fingerprint (fingerbank style).
 */
#include <stdio.h>
#include <string.h>

#include "app/app.h"
#include "util/limits.h"
#include "util/rd.h"
#include "util/util.h"

/* RFC 2131 2: fixed header up to the options field, then the cookie. */
#define DHCP_FIXED_LEN 236
#define DHCP_COOKIE_OFF 236
#define DHCP_COOKIE 0x63825363u
#define DHCP_SNAME_OFF 44
#define DHCP_SNAME_LEN 64
#define DHCP_FILE_OFF 108
#define DHCP_FILE_LEN 128
#define DHCP_OPTIONS_OFF 240

#define DHCP_OP_REQUEST 1
#define DHCP_OP_REPLY 2

#define DHCP_OPT_PAD 0
#define DHCP_OPT_SUBNET_MASK 1
#define DHCP_OPT_ROUTERS 3
#define DHCP_OPT_DNS 6
#define DHCP_OPT_HOSTNAME 12
#define DHCP_OPT_DOMAIN 15
#define DHCP_OPT_REQUESTED_IP 50
#define DHCP_OPT_LEASE 51
#define DHCP_OPT_OVERLOAD 52
#define DHCP_OPT_MSG_TYPE 53
#define DHCP_OPT_SERVER_ID 54
#define DHCP_OPT_PRL 55
#define DHCP_OPT_RENEWAL 58
#define DHCP_OPT_REBINDING 59
#define DHCP_OPT_VENDOR_CLASS 60
#define DHCP_OPT_CLIENT_ID 61
#define DHCP_OPT_FQDN 81
#define DHCP_OPT_END 255

/* Text kept from string options (hostname, vendor class, domain): options
 * are at most 255 bytes. */
#define DHCP_TEXT_MAX 255

/* What one message says. Byte pointers borrow the datagram for the feed. */
struct dhcp_msg {
    uint8_t op, htype, hlen, hops;
    uint32_t xid;
    uint16_t flags;
    uint8_t ciaddr[4], yiaddr[4], siaddr[4], giaddr[4];
    uint8_t chaddr[16];
    int msg_type; /* option 53, -1 if absent */
    bool has_requested, has_server_id, has_mask;
    uint8_t requested[4], server_id[4], mask[4];
    bool has_lease, has_renewal, has_rebinding;
    uint32_t lease, renewal, rebinding;
    const uint8_t *hostname, *vendor, *domain, *client_id, *fqdn, *prl;
    uint8_t hostname_len, vendor_len, domain_len, client_id_len, fqdn_len, prl_len;
    const uint8_t *routers, *dns;
    uint8_t routers_len, dns_len;
    uint8_t overload;
    bool saw_end;
    bool malformed;
    bool truncated;
};

static const char *dhcp_type_name(int t)
{
    static const char *const names[] = {NULL,  "discover", "offer",   "request", "decline",
                                        "ack", "nak",      "release", "inform"};
    if (t > 0 && (size_t)t < ARRAY_SIZE(names))
        return names[t];
    return "unknown";
}

/* Suricata's names for the parameters it logs under "params"; the other
 * codes are only in the fingerprint string. */
static const char *dhcp_param_name(uint8_t code)
{
    switch (code) {
    case 1:
        return "subnet_mask";
    case 3:
        return "router";
    case 6:
        return "dns_server";
    case 15:
        return "domain";
    case 35:
        return "arp_timeout";
    case 42:
        return "ntp_server";
    case 66:
        return "tftp_server_name";
    case 150:
        return "tftp_server_ip";
    default:
        return NULL;
    }
}

static json_t *dhcp_ipv4(const uint8_t *a)
{
    char buf[16];
    snprintf(buf, sizeof(buf), "%u.%u.%u.%u", a[0], a[1], a[2], a[3]);
    return json_string(buf);
}

/* "aa:bb:cc" lower-case hex, as Suricata formats MACs and client ids. */
static json_t *dhcp_hex_colon(const uint8_t *p, size_t n)
{
    char buf[3 * 255 + 1];
    size_t o = 0;
    n = MIN(n, (size_t)255);
    buf[0] = '\0';
    for (size_t i = 0; i < n; i++)
        o += (size_t)snprintf(buf + o, sizeof(buf) - o, i ? ":%02x" : "%02x", p[i]);
    return json_string(buf);
}

static json_t *dhcp_ipv4_list(const uint8_t *p, uint8_t len)
{
    json_t *a = json_array();
    for (unsigned i = 0; i + 4 <= len && i / 4 < DHCP_MAX_LIST_ITEMS; i += 4)
        json_array_append_new(a, dhcp_ipv4(p + i));
    return a;
}

/* A fixed-size option value: a wrong length is malformed and ignored. */
static bool dhcp_opt_fixed(struct dhcp_msg *m, uint8_t len, uint8_t want)
{
    if (len != want) {
        m->malformed = true;
        return false;
    }
    return true;
}

static uint32_t dhcp_be32(const uint8_t *p)
{
    return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

static void dhcp_option(struct dhcp_msg *m, uint8_t code, const uint8_t *v, uint8_t len)
{
    switch (code) {
    case DHCP_OPT_SUBNET_MASK:
        if (dhcp_opt_fixed(m, len, 4)) {
            memcpy(m->mask, v, 4);
            m->has_mask = true;
        }
        break;
    case DHCP_OPT_ROUTERS:
    case DHCP_OPT_DNS:
        if (len == 0 || len % 4 != 0) {
            m->malformed = true;
            break;
        }
        if (code == DHCP_OPT_ROUTERS) {
            m->routers = v;
            m->routers_len = len;
        } else {
            m->dns = v;
            m->dns_len = len;
        }
        break;
    case DHCP_OPT_HOSTNAME:
        m->hostname = v;
        m->hostname_len = len;
        break;
    case DHCP_OPT_DOMAIN:
        m->domain = v;
        m->domain_len = len;
        break;
    case DHCP_OPT_REQUESTED_IP:
        if (dhcp_opt_fixed(m, len, 4)) {
            memcpy(m->requested, v, 4);
            m->has_requested = true;
        }
        break;
    case DHCP_OPT_LEASE:
        if (dhcp_opt_fixed(m, len, 4)) {
            m->lease = dhcp_be32(v);
            m->has_lease = true;
        }
        break;
    case DHCP_OPT_RENEWAL:
        if (dhcp_opt_fixed(m, len, 4)) {
            m->renewal = dhcp_be32(v);
            m->has_renewal = true;
        }
        break;
    case DHCP_OPT_REBINDING:
        if (dhcp_opt_fixed(m, len, 4)) {
            m->rebinding = dhcp_be32(v);
            m->has_rebinding = true;
        }
        break;
    case DHCP_OPT_OVERLOAD:
        if (dhcp_opt_fixed(m, len, 1)) {
            if (v[0] >= 1 && v[0] <= 3)
                m->overload = v[0];
            else
                m->malformed = true;
        }
        break;
    case DHCP_OPT_MSG_TYPE:
        if (dhcp_opt_fixed(m, len, 1))
            m->msg_type = v[0];
        break;
    case DHCP_OPT_SERVER_ID:
        if (dhcp_opt_fixed(m, len, 4)) {
            memcpy(m->server_id, v, 4);
            m->has_server_id = true;
        }
        break;
    case DHCP_OPT_PRL:
        m->prl = v;
        m->prl_len = len;
        break;
    case DHCP_OPT_VENDOR_CLASS:
        m->vendor = v;
        m->vendor_len = len;
        break;
    case DHCP_OPT_CLIENT_ID:
        /* RFC 2132 9.14: a type byte, then at least one byte. */
        if (len < 2) {
            m->malformed = true;
            break;
        }
        m->client_id = v;
        m->client_id_len = len;
        break;
    case DHCP_OPT_FQDN:
        /* RFC 4702 2: flags, two obsolete rcode bytes, then the name. */
        if (len < 3) {
            m->malformed = true;
            break;
        }
        m->fqdn = v;
        m->fqdn_len = len;
        break;
    default:
        break;
    }
}

/* Walks one option area. *budget counts options over all areas (pads
 * included), so overload cannot multiply the work. Returns false when the
 * walk had to stop early. */
static bool dhcp_walk(struct dhcp_msg *m, struct rd *r, unsigned *budget, bool main_area)
{
    while (rd_left(r) > 0) {
        if (*budget == 0) {
            m->malformed = true;
            return false;
        }
        (*budget)--;
        uint8_t code = rd_u8(r);
        if (code == DHCP_OPT_PAD)
            continue;
        if (code == DHCP_OPT_END) {
            if (main_area)
                m->saw_end = true;
            return true;
        }
        uint8_t len = rd_u8(r);
        if (!rd_ok(r) || !rd_has(r, len)) {
            /* The length byte or the value runs past the datagram. */
            m->truncated = true;
            return false;
        }
        const uint8_t *v = rd_ptr(r);
        rd_skip(r, len);
        dhcp_option(m, code, v, len);
    }
    /* RFC 2131 4.1: the options field ends with the end option; the file
     * and sname areas may just be padded to their end. */
    return !main_area;
}

/* Returns 0, or -1 when the datagram has no BOOTP header at all. */
static int dhcp_parse(const uint8_t *p, uint32_t len, struct dhcp_msg *m)
{
    struct rd r;
    memset(m, 0, sizeof(*m));
    m->msg_type = -1;
    rd_init(&r, p, len);
    m->op = rd_u8(&r);
    m->htype = rd_u8(&r);
    m->hlen = rd_u8(&r);
    m->hops = rd_u8(&r);
    m->xid = rd_be32(&r);
    rd_skip(&r, 2); /* secs */
    m->flags = rd_be16(&r);
    rd_bytes(&r, m->ciaddr, 4);
    rd_bytes(&r, m->yiaddr, 4);
    rd_bytes(&r, m->siaddr, 4);
    rd_bytes(&r, m->giaddr, 4);
    rd_bytes(&r, m->chaddr, 16);
    rd_skip(&r, DHCP_SNAME_LEN + DHCP_FILE_LEN);
    if (!rd_ok(&r))
        return -1;
    uint32_t cookie = rd_be32(&r);
    if (!rd_ok(&r) || cookie != DHCP_COOKIE) {
        /* Plain BOOTP (RFC 951) or cut short: the header still counts. */
        m->truncated = !rd_ok(&r);
        return 0;
    }
    unsigned budget = DHCP_MAX_OPTIONS;
    struct rd opts;
    rd_sub(&r, rd_left(&r), &opts);
    bool ok = dhcp_walk(m, &opts, &budget, true);
    if (ok && m->overload) {
        /* RFC 2131 4.1: options go on in file, then sname. */
        struct rd area;
        if (m->overload & 1) {
            rd_init(&area, p + DHCP_FILE_OFF, DHCP_FILE_LEN);
            dhcp_walk(m, &area, &budget, false);
        }
        if (m->overload & 2) {
            rd_init(&area, p + DHCP_SNAME_OFF, DHCP_SNAME_LEN);
            dhcp_walk(m, &area, &budget, false);
        }
    }
    return 0;
}

/* RFC 4702 2.3: with the E flag the name is in DNS wire format (labels,
 * no compression), otherwise ASCII. Rendered dotted, escaped at output. */
static json_t *dhcp_fqdn_name(const uint8_t *v, uint8_t len)
{
    uint8_t flags = v[0];
    const uint8_t *name = v + 3;
    uint32_t n = (uint32_t)len - 3;
    if (!(flags & 0x04))
        return app_json_str(name, n, DHCP_TEXT_MAX);
    uint8_t out[DHCP_TEXT_MAX];
    uint32_t o = 0;
    struct rd r;
    rd_init(&r, name, n);
    /* At most 255 bytes, so at most 128 labels. */
    for (unsigned i = 0; i < 128 && rd_left(&r) > 0; i++) {
        uint8_t l = rd_u8(&r);
        if (l == 0 || l > 63 || !rd_has(&r, l))
            break;
        if (o > 0 && o < sizeof(out))
            out[o++] = '.';
        uint32_t take = MIN((uint32_t)l, (uint32_t)sizeof(out) - o);
        rd_bytes(&r, out + o, take);
        rd_skip(&r, l - take);
        o += take;
    }
    return app_json_str(out, o, DHCP_TEXT_MAX);
}

static void dhcp_report(struct app_cx *cx, int dir, const struct dhcp_msg *m)
{
    json_t *b = json_object(), *x = json_object();

    json_object_set_new_nocheck(b, "type",
                                json_string(m->op == DHCP_OP_REQUEST ? "request"
                                            : m->op == DHCP_OP_REPLY ? "reply"
                                                                     : "<unknown>"));
    json_object_set_new_nocheck(b, "id", json_integer(m->xid));
    /* Suricata always shows 6 bytes; other hardware types keep their hlen. */
    size_t maclen = m->hlen >= 1 && m->hlen <= 16 && m->htype != 1 ? m->hlen : 6;
    json_object_set_new_nocheck(b, "client_mac", dhcp_hex_colon(m->chaddr, maclen));
    json_object_set_new_nocheck(b, "assigned_ip", dhcp_ipv4(m->yiaddr));
    json_object_set_new_nocheck(b, "client_ip", dhcp_ipv4(m->ciaddr));
    if (m->op == DHCP_OP_REPLY) {
        json_object_set_new_nocheck(b, "relay_ip", dhcp_ipv4(m->giaddr));
        json_object_set_new_nocheck(b, "next_server_ip", dhcp_ipv4(m->siaddr));
    }
    if (m->msg_type >= 0) {
        json_object_set_new_nocheck(b, "dhcp_type", json_string(dhcp_type_name(m->msg_type)));
        json_object_set_new_nocheck(x, "message_type", json_integer(m->msg_type));
    }
    if (m->client_id) {
        /* Suricata leaves out the type byte. */
        json_object_set_new_nocheck(b, "client_id",
                                    dhcp_hex_colon(m->client_id + 1, m->client_id_len - 1u));
        json_object_set_new_nocheck(x, "client_id_type", json_integer(m->client_id[0]));
    }
    if (m->hostname && m->hostname_len > 0)
        app_json_set_bytes(b, "hostname", m->hostname, m->hostname_len, DHCP_TEXT_MAX);
    if (m->vendor && m->vendor_len > 0)
        app_json_set_bytes(b, "vendor_class_identifier", m->vendor, m->vendor_len, DHCP_TEXT_MAX);
    if (m->has_requested)
        json_object_set_new_nocheck(b, "requested_ip", dhcp_ipv4(m->requested));
    if (m->has_lease)
        json_object_set_new_nocheck(b, "lease_time", json_integer(m->lease));
    if (m->has_renewal)
        json_object_set_new_nocheck(b, "renewal_time", json_integer(m->renewal));
    if (m->has_rebinding)
        json_object_set_new_nocheck(b, "rebinding_time", json_integer(m->rebinding));
    if (m->has_mask)
        json_object_set_new_nocheck(b, "subnet_mask", dhcp_ipv4(m->mask));
    if (m->routers)
        json_object_set_new_nocheck(b, "routers", dhcp_ipv4_list(m->routers, m->routers_len));
    if (m->dns)
        json_object_set_new_nocheck(b, "dns_servers", dhcp_ipv4_list(m->dns, m->dns_len));
    if (m->prl && m->prl_len > 0) {
        json_t *params = json_array();
        char fp[4 * 255 + 1];
        size_t o = 0;
        fp[0] = '\0';
        for (unsigned i = 0; i < m->prl_len; i++) {
            const char *name = dhcp_param_name(m->prl[i]);
            if (name)
                json_array_append_new(params, json_string(name));
            o += (size_t)snprintf(fp + o, sizeof(fp) - o, i ? ",%u" : "%u", m->prl[i]);
        }
        if (json_array_size(params) > 0)
            json_object_set_new_nocheck(b, "params", params);
        else
            json_decref(params);
        json_object_set_new_nocheck(x, "param_request_list", json_string(fp));
    }
    if (m->fqdn) {
        json_object_set_new_nocheck(x, "client_fqdn", dhcp_fqdn_name(m->fqdn, m->fqdn_len));
        json_object_set_new_nocheck(x, "client_fqdn_flags", json_integer(m->fqdn[0]));
    }
    if (m->domain && m->domain_len > 0)
        app_json_set_bytes(x, "domain_name", m->domain, m->domain_len, DHCP_TEXT_MAX);
    if (m->has_server_id)
        json_object_set_new_nocheck(x, "server_id", dhcp_ipv4(m->server_id));
    /* RFC 2131 2: the B flag asks the server to broadcast its reply. */
    if (m->flags & 0x8000)
        json_object_set_new_nocheck(x, "broadcast", json_true());
    if (m->hops)
        json_object_set_new_nocheck(x, "hops", json_integer(m->hops));
    if (m->overload)
        json_object_set_new_nocheck(x, "option_overload", json_integer(m->overload));
    app_event(cx, "dhcp", dir, b, x);
}

static void dhcp_feed(struct app_cx *cx, void *state, int dir, const uint8_t *data, uint32_t len)
{
    struct dhcp_msg m;
    (void)state;
    if (dhcp_parse(data, len, &m) < 0) {
        app_anomaly(cx, "dhcp.truncated");
        return;
    }
    if (m.truncated)
        app_anomaly(cx, "dhcp.truncated");
    if (m.malformed || (!m.truncated && m.msg_type >= 0 && !m.saw_end))
        app_anomaly(cx, "dhcp.malformed_options");
    if (m.msg_type < 0)
        app_anomaly(cx, "dhcp.no_message_type");
    dhcp_report(cx, dir, &m);
}

/* A BOOTP header with the DHCP magic cookie. The cookie is what makes this
 * DHCP; htype/hlen may be other than Ethernet (RFC 1700 hardware types). */
static enum app_probe_result dhcp_probe(const uint8_t *data, uint32_t len, int dir)
{
    (void)dir;
    if (len < DHCP_OPTIONS_OFF)
        return APP_PROBE_NO;
    if (data[0] != DHCP_OP_REQUEST && data[0] != DHCP_OP_REPLY)
        return APP_PROBE_NO;
    if (data[2] > 16)
        return APP_PROBE_NO;
    uint32_t cookie = dhcp_be32(data + DHCP_COOKIE_OFF);
    return cookie == DHCP_COOKIE ? APP_PROBE_YES : APP_PROBE_NO;
}

static const uint16_t dhcp_ports[] = {67, 68, 0};

const struct app_parser app_parser_dhcp = {
    .id = APP_DHCP,
    .name = "dhcp",
    .ipproto = 17,
    .ports = dhcp_ports,
    .probe = dhcp_probe,
    .state_size = 0, /* every datagram stands alone */
    .feed = dhcp_feed,
};
