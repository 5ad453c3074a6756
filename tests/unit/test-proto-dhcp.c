/* test-proto-dhcp.c - DHCPv4 and DHCPv6 app-layer parsers. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "app-test-util.h"
#include "util/util.h"

/* ---- DHCPv4 message builder ----
 * A 240-byte BOOTP header (RFC 2131 2) followed by the options given. */

#define BOOTP_LEN 240
#define MSG_MAX 1024

struct dmsg {
    uint8_t b[MSG_MAX];
    uint32_t len;
};

static const uint8_t client_mac[6] = {0x00, 0x0b, 0x82, 0x01, 0xfc, 0x42};

static void dmsg_header(struct dmsg *m, uint8_t op, const uint8_t yiaddr[4],
                        const uint8_t siaddr[4])
{
    memset(m, 0, sizeof(*m));
    m->b[0] = op;   /* op: 1 BOOTREQUEST, 2 BOOTREPLY */
    m->b[1] = 1;    /* htype: Ethernet */
    m->b[2] = 6;    /* hlen */
    m->b[3] = 0;    /* hops */
    m->b[4] = 0x39; /* xid 0x3903f326 = 956560166 */
    m->b[5] = 0x03;
    m->b[6] = 0xf3;
    m->b[7] = 0x26;
    /* 8-9 secs, 10-11 flags: broadcast bit */
    m->b[10] = 0x80;
    /* 12 ciaddr (0), 16 yiaddr, 20 siaddr, 24 giaddr (0) */
    if (yiaddr)
        memcpy(m->b + 16, yiaddr, 4);
    if (siaddr)
        memcpy(m->b + 20, siaddr, 4);
    memcpy(m->b + 28, client_mac, 6); /* chaddr, 10 bytes padding */
    /* 44 sname[64], 108 file[128] all zero; 236 magic cookie */
    m->b[236] = 0x63;
    m->b[237] = 0x82;
    m->b[238] = 0x53;
    m->b[239] = 0x63;
    m->len = BOOTP_LEN;
}

static void dmsg_opt(struct dmsg *m, uint8_t code, const void *v, uint8_t len)
{
    m->b[m->len++] = code;
    m->b[m->len++] = len;
    memcpy(m->b + m->len, v, len);
    m->len += len;
}

static void dmsg_end(struct dmsg *m)
{
    m->b[m->len++] = 255;
}

/* clang-format off */
static const uint8_t prl[] = {1, 3, 6, 15, 31, 33, 43, 44, 46, 47, 119, 121, 249, 252};
static const uint8_t cid[] = {0x01, 0x00, 0x0b, 0x82, 0x01, 0xfc, 0x42}; /* type 1 + MAC */
static const uint8_t ip_req[] = {192, 168, 0, 10};
static const uint8_t ip_srv[] = {192, 168, 0, 1};
/* Option 81, ASCII form: flags S=1, rcode1, rcode2, name. */
static const uint8_t fqdn_ascii[] = {0x01, 0, 0, 'p', 'c', '1', '.', 'l', 'a', 'n'};
/* Option 81, wire form (E flag 0x04): flags, rcodes, 3"pc1" 3"lan" 0. */
static const uint8_t fqdn_wire[] = {0x05, 0, 0, 3, 'p', 'c', '1', 3, 'l', 'a', 'n', 0};
/* clang-format on */

static void build_discover(struct dmsg *m)
{
    uint8_t t = 1;
    dmsg_header(m, 1, NULL, NULL);
    dmsg_opt(m, 53, &t, 1);                           /* DHCPDISCOVER */
    dmsg_opt(m, 61, cid, sizeof(cid));                /* client id */
    dmsg_opt(m, 50, ip_req, 4);                       /* requested IP */
    dmsg_opt(m, 12, "Printer-01", 10);                /* hostname */
    dmsg_opt(m, 60, "MSFT 5.0", 8);                   /* vendor class */
    dmsg_opt(m, 55, prl, sizeof(prl));                /* parameter request list */
    dmsg_opt(m, 81, fqdn_ascii, sizeof(fqdn_ascii));  /* client FQDN */
    dmsg_end(m);
}

static void build_offer(struct dmsg *m, uint8_t type)
{
    static const uint8_t mask[] = {255, 255, 255, 0};
    static const uint8_t lease[] = {0, 1, 0x51, 0x80};   /* 86400 */
    static const uint8_t t1[] = {0, 0, 0xa8, 0xc0};      /* 43200 */
    static const uint8_t t2[] = {0, 1, 0x27, 0x50};      /* 75600 */
    static const uint8_t dns[] = {192, 168, 0, 1, 9, 9, 9, 9};
    dmsg_header(m, 2, ip_req, ip_srv);
    dmsg_opt(m, 53, &type, 1);           /* DHCPOFFER / DHCPACK */
    dmsg_opt(m, 54, ip_srv, 4);          /* server id */
    dmsg_opt(m, 51, lease, 4);
    dmsg_opt(m, 58, t1, 4);
    dmsg_opt(m, 59, t2, 4);
    dmsg_opt(m, 1, mask, 4);
    dmsg_opt(m, 3, ip_srv, 4);           /* routers */
    dmsg_opt(m, 6, dns, sizeof(dns));    /* two DNS servers */
    dmsg_opt(m, 15, "example.lan", 11);  /* domain name */
    dmsg_end(m);
}

static void assert_has(const struct apt *t, const char *needle)
{
    if (apt_find(t, needle) < 0) {
        for (unsigned i = 0; i < t->nevents; i++)
            fprintf(stderr, "event %u: %s\n", i, t->ev[i]);
        fail_msg("no event contains %s", needle);
    }
}

/* MAMORI_DUMP_EVE=file appends each body for a schema check by hand. */
static void dump_bodies(const struct apt *t)
{
    const char *path = getenv("MAMORI_DUMP_EVE");
    if (!path)
        return;
    FILE *fp = fopen(path, "a");
    if (!fp)
        return;
    for (unsigned i = 0; i < t->nevents; i++)
        fprintf(fp, "%s\n", t->ev[i]);
    fclose(fp);
}

static void test_discover(void **state)
{
    (void)state;
    struct dmsg m;
    struct apt t;
    build_discover(&m);
    assert_int_equal(app_parser_dhcp.probe(m.b, m.len, 0), APP_PROBE_YES);
    apt_begin(&t, &app_parser_dhcp, 17);
    apt_feed(&t, 0, m.b, m.len);
    assert_int_equal(t.nevents, 1);
    assert_int_equal(t.nanomalies, 0);
    dump_bodies(&t);
    assert_has(&t, "dhcp {");
    assert_has(&t, "\"type\":\"request\"");
    assert_has(&t, "\"dhcp_type\":\"discover\"");
    assert_has(&t, "\"id\":956560166");
    assert_has(&t, "\"client_mac\":\"00:0b:82:01:fc:42\"");
    assert_has(&t, "\"client_id\":\"00:0b:82:01:fc:42\"");
    assert_has(&t, "\"hostname\":\"Printer-01\"");
    assert_has(&t, "\"vendor_class_identifier\":\"MSFT 5.0\"");
    assert_has(&t, "\"requested_ip\":\"192.168.0.10\"");
    assert_has(&t, "\"assigned_ip\":\"0.0.0.0\"");
    assert_has(&t, "\"params\":[\"subnet_mask\",\"router\",\"dns_server\",\"domain\"]");
    assert_has(&t, "\"param_request_list\":\"1,3,6,15,31,33,43,44,46,47,119,121,249,252\"");
    assert_has(&t, "\"client_fqdn\":\"pc1.lan\"");
    assert_has(&t, "\"broadcast\":true");
    /* A request has no relay/next-server keys (Suricata logs them for replies). */
    assert_true(apt_find(&t, "relay_ip") < 0);
    apt_free(&t);
}

static void test_offer_ack(void **state)
{
    (void)state;
    struct dmsg m;
    struct apt t;
    build_offer(&m, 2);
    apt_begin(&t, &app_parser_dhcp, 17);
    /* A reply arriving as the first datagram of its own flow: dir 0. */
    apt_feed(&t, 0, m.b, m.len);
    build_offer(&m, 5);
    apt_feed(&t, 1, m.b, m.len);
    assert_int_equal(t.nevents, 2);
    dump_bodies(&t);
    assert_has(&t, "\"dhcp_type\":\"offer\"");
    assert_has(&t, "\"dhcp_type\":\"ack\"");
    assert_has(&t, "\"type\":\"reply\"");
    assert_has(&t, "\"assigned_ip\":\"192.168.0.10\"");
    assert_has(&t, "\"next_server_ip\":\"192.168.0.1\"");
    assert_has(&t, "\"relay_ip\":\"0.0.0.0\"");
    assert_has(&t, "\"lease_time\":86400");
    assert_has(&t, "\"renewal_time\":43200");
    assert_has(&t, "\"rebinding_time\":75600");
    assert_has(&t, "\"subnet_mask\":\"255.255.255.0\"");
    assert_has(&t, "\"routers\":[\"192.168.0.1\"]");
    assert_has(&t, "\"dns_servers\":[\"192.168.0.1\",\"9.9.9.9\"]");
    assert_has(&t, "\"domain_name\":\"example.lan\"");
    assert_has(&t, "\"server_id\":\"192.168.0.1\"");
    apt_free(&t);
}

static void test_request_fqdn_wire(void **state)
{
    (void)state;
    struct dmsg m;
    struct apt t;
    uint8_t type = 3;
    dmsg_header(&m, 1, NULL, NULL);
    dmsg_opt(&m, 53, &type, 1);
    dmsg_opt(&m, 50, ip_req, 4);
    dmsg_opt(&m, 54, ip_srv, 4);
    dmsg_opt(&m, 12, "pc1", 3);
    dmsg_opt(&m, 81, fqdn_wire, sizeof(fqdn_wire));
    dmsg_end(&m);
    apt_begin(&t, &app_parser_dhcp, 17);
    apt_feed(&t, 0, m.b, m.len);
    assert_int_equal(t.nevents, 1);
    assert_int_equal(t.nanomalies, 0);
    assert_has(&t, "\"dhcp_type\":\"request\"");
    assert_has(&t, "\"client_fqdn\":\"pc1.lan\"");
    assert_has(&t, "\"client_fqdn_flags\":5");
    apt_free(&t);
}

/* The last option's value runs one byte past the datagram: everything
 * before it is kept, the message counts as truncated. */
static void test_option_past_end(void **state)
{
    (void)state;
    struct dmsg m;
    struct apt t;
    uint8_t type = 1;
    dmsg_header(&m, 1, NULL, NULL);
    dmsg_opt(&m, 53, &type, 1);
    dmsg_opt(&m, 12, "host", 4);
    m.b[m.len - 5] = 5; /* hostname length 5, only 4 bytes follow */
    apt_begin(&t, &app_parser_dhcp, 17);
    apt_feed(&t, 0, m.b, m.len);
    assert_int_equal(t.nevents, 1);
    assert_true(apt_has_anomaly(&t, "dhcp.truncated"));
    assert_has(&t, "\"dhcp_type\":\"discover\"");
    assert_true(apt_find(&t, "hostname") < 0);
    apt_free(&t);

    /* Length byte itself missing: option code is the last byte. */
    dmsg_header(&m, 1, NULL, NULL);
    dmsg_opt(&m, 53, &type, 1);
    m.b[m.len++] = 12;
    apt_begin(&t, &app_parser_dhcp, 17);
    apt_feed(&t, 0, m.b, m.len);
    assert_true(apt_has_anomaly(&t, "dhcp.truncated"));
    apt_free(&t);
}

static void test_no_end_no_type(void **state)
{
    (void)state;
    struct dmsg m;
    struct apt t;
    uint8_t type = 8;
    dmsg_header(&m, 1, NULL, NULL);
    dmsg_opt(&m, 53, &type, 1); /* DHCPINFORM, options stop without 255 */
    apt_begin(&t, &app_parser_dhcp, 17);
    apt_feed(&t, 0, m.b, m.len);
    assert_int_equal(t.nevents, 1);
    assert_true(apt_has_anomaly(&t, "dhcp.malformed_options"));
    assert_has(&t, "\"dhcp_type\":\"inform\"");
    apt_free(&t);

    dmsg_header(&m, 1, NULL, NULL);
    dmsg_opt(&m, 12, "x", 1);
    dmsg_end(&m);
    apt_begin(&t, &app_parser_dhcp, 17);
    apt_feed(&t, 0, m.b, m.len);
    assert_int_equal(t.nevents, 1);
    assert_true(apt_has_anomaly(&t, "dhcp.no_message_type"));
    assert_true(apt_find(&t, "dhcp_type") < 0);
    apt_free(&t);

    /* Wrong fixed lengths: message type of 2 bytes, mask of 3. */
    dmsg_header(&m, 1, NULL, NULL);
    dmsg_opt(&m, 53, "\x01\x01", 2);
    dmsg_opt(&m, 1, "\xff\xff\xff", 3);
    dmsg_end(&m);
    apt_begin(&t, &app_parser_dhcp, 17);
    apt_feed(&t, 0, m.b, m.len);
    assert_true(apt_has_anomaly(&t, "dhcp.malformed_options"));
    assert_true(apt_has_anomaly(&t, "dhcp.no_message_type"));
    assert_true(apt_find(&t, "subnet_mask") < 0);
    apt_free(&t);
}

/* Option overload (RFC 2131 4.1, option 52 = 1): more options in `file`. */
static void test_overload(void **state)
{
    (void)state;
    struct dmsg m;
    struct apt t;
    uint8_t type = 1, ov = 1;
    dmsg_header(&m, 1, NULL, NULL);
    dmsg_opt(&m, 53, &type, 1);
    dmsg_opt(&m, 52, &ov, 1);
    dmsg_end(&m);
    /* file field at 108: hostname "ovl", end */
    static const uint8_t file_opts[] = {12, 3, 'o', 'v', 'l', 255};
    memcpy(m.b + 108, file_opts, sizeof(file_opts));
    apt_begin(&t, &app_parser_dhcp, 17);
    apt_feed(&t, 0, m.b, m.len);
    assert_int_equal(t.nanomalies, 0);
    assert_has(&t, "\"hostname\":\"ovl\"");
    assert_has(&t, "\"option_overload\":1");
    apt_free(&t);
}

/* Every prefix of a valid DISCOVER: below 236 bytes there is no BOOTP
 * header (anomaly, no event); from 236 an event with what was there. */
static void test_every_prefix(void **state)
{
    (void)state;
    struct dmsg m;
    build_discover(&m);
    for (uint32_t n = 0; n <= m.len; n++) {
        struct apt t;
        uint8_t *copy = malloc(n ? n : 1);
        memcpy(copy, m.b, n);
        apt_begin(&t, &app_parser_dhcp, 17);
        apt_feed(&t, 0, copy, n);
        if (n < 236) {
            assert_int_equal(t.nevents, 0);
            assert_true(apt_has_anomaly(&t, "dhcp.truncated"));
        } else {
            assert_int_equal(t.nevents, 1);
        }
        if (n == m.len)
            assert_int_equal(t.nanomalies, 0);
        else if (n >= 236)
            assert_true(t.nanomalies > 0); /* pins: one byte short is never clean */
        /* The probe needs the cookie: 239 bytes (one short of it) is NO. */
        enum app_probe_result pr = app_parser_dhcp.probe(copy, n, 0);
        assert_int_equal(pr, n >= 240 ? APP_PROBE_YES : APP_PROBE_NO);
        apt_free(&t);
        free(copy);
    }
}

static void test_probe(void **state)
{
    (void)state;
    struct dmsg m;
    build_discover(&m);
    m.b[0] = 3; /* op neither request nor reply */
    assert_int_equal(app_parser_dhcp.probe(m.b, m.len, 0), APP_PROBE_NO);
    build_discover(&m);
    m.b[239] = 0x64; /* cookie off by one */
    assert_int_equal(app_parser_dhcp.probe(m.b, m.len, 0), APP_PROBE_NO);
    build_discover(&m);
    m.b[2] = 17; /* hlen past chaddr's 16 bytes */
    assert_int_equal(app_parser_dhcp.probe(m.b, m.len, 0), APP_PROBE_NO);
    m.b[2] = 16;
    assert_int_equal(app_parser_dhcp.probe(m.b, m.len, 0), APP_PROBE_YES);
}

/* A datagram of pads only: the option cap (not the length) ends the walk. */
static void test_pad_flood(void **state)
{
    (void)state;
    static uint8_t big[240 + 4000];
    struct dmsg m;
    struct apt t;
    dmsg_header(&m, 1, NULL, NULL);
    memset(big, 0, sizeof(big));
    memcpy(big, m.b, 240);
    apt_begin(&t, &app_parser_dhcp, 17);
    apt_feed(&t, 0, big, sizeof(big));
    assert_int_equal(t.nevents, 1);
    assert_true(apt_has_anomaly(&t, "dhcp.malformed_options"));
    apt_free(&t);
}

/* ---- DHCPv6 ---- */

/* clang-format off */
static const uint8_t v6_solicit[] = {
    0x01,                   /* msg-type SOLICIT */
    0x5d, 0x1b, 0x3a,       /* transaction-id 0x5d1b3a = 6101818 */
    0x00, 0x01, 0x00, 0x0e, /* CLIENTID, len 14 */
    0x00, 0x01,             /*   DUID-LLT */
    0x00, 0x01,             /*   hw type Ethernet */
    0x2b, 0x4c, 0x5d, 0x6e, /*   time */
    0x00, 0x0b, 0x82, 0x01, 0xfc, 0x42, /* link-layer address */
    0x00, 0x08, 0x00, 0x02, /* ELAPSED_TIME, len 2 */
    0x00, 0x00,
    0x00, 0x03, 0x00, 0x0c, /* IA_NA, len 12 */
    0x0e, 0x00, 0x0b, 0x82, /*   IAID */
    0x00, 0x00, 0x00, 0x00, /*   T1 */
    0x00, 0x00, 0x00, 0x00, /*   T2 */
    0x00, 0x27, 0x00, 0x0a, /* FQDN, len 10 */
    0x01,                   /*   flags S */
    0x03, 'p', 'c', '1', 0x03, 'l', 'a', 'n', 0x00,
    0x00, 0x10, 0x00, 0x0e, /* VENDOR_CLASS, len 14 */
    0x00, 0x00, 0x01, 0x37, /*   enterprise 311 */
    0x00, 0x08, 'M', 'S', 'F', 'T', ' ', '5', '.', '0',
    0x00, 0x06, 0x00, 0x08, /* ORO, len 8 */
    0x00, 0x11, 0x00, 0x17, 0x00, 0x18, 0x00, 0x27, /* 17, 23, 24, 39 */
};

static const uint8_t v6_reply[] = {
    0x07,                   /* REPLY */
    0x5d, 0x1b, 0x3a,
    0x00, 0x03, 0x00, 0x28, /* IA_NA, len 40 */
    0x0e, 0x00, 0x0b, 0x82, 0x00, 0x00, 0x0e, 0x10, 0x00, 0x00, 0x15, 0x18,
    0x00, 0x05, 0x00, 0x18, /*   IAADDR, len 24 */
    0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x10, 0x01, /* 2001:db8::1001 */
    0x00, 0x00, 0x1c, 0x20, 0x00, 0x00, 0x1d, 0x4c, /* lifetimes */
    0x00, 0x17, 0x00, 0x10, /* DNS_SERVERS, len 16 */
    0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x53,
};
/* clang-format on */

static void test_dhcpv6(void **state)
{
    (void)state;
    struct apt t;
    assert_int_equal(app_parser_dhcpv6.probe(v6_solicit, sizeof(v6_solicit), 0), APP_PROBE_YES);
    assert_int_equal(app_parser_dhcpv6.probe(v6_reply, sizeof(v6_reply), 1), APP_PROBE_YES);
    /* One byte short: the last option no longer fits, so NO. */
    assert_int_equal(app_parser_dhcpv6.probe(v6_solicit, sizeof(v6_solicit) - 1, 0),
                     APP_PROBE_NO);
    apt_begin(&t, &app_parser_dhcpv6, 17);
    apt_feed(&t, 0, v6_solicit, sizeof(v6_solicit));
    apt_feed(&t, 1, v6_reply, sizeof(v6_reply));
    assert_int_equal(t.nevents, 2);
    assert_int_equal(t.nanomalies, 0);
    assert_has(&t, "dhcpv6 null {");
    assert_has(&t, "\"msg_type\":\"solicit\"");
    assert_has(&t, "\"transaction_id\":6101818");
    assert_has(&t, "\"client_duid\":\"000100012b4c5d6e000b8201fc42\"");
    assert_has(&t, "\"client_mac\":\"00:0b:82:01:fc:42\"");
    assert_has(&t, "\"fqdn\":\"pc1.lan\"");
    assert_has(&t, "\"vendor_class\":\"MSFT 5.0\"");
    assert_has(&t, "\"vendor_enterprise\":311");
    assert_has(&t, "\"oro\":\"17,23,24,39\"");
    assert_has(&t, "\"msg_type\":\"reply\"");
    assert_has(&t, "\"addresses\":[\"2001:db8::1001\"]");
    assert_has(&t, "\"dns_servers\":[\"2001:db8::53\"]");
    apt_free(&t);
}

static void test_dhcpv6_relay_and_prefixes(void **state)
{
    (void)state;
    uint8_t msg[256];
    uint32_t n = 0;
    struct apt t;
    msg[n++] = 12;                        /* RELAY-FORW */
    msg[n++] = 0;                         /* hop count */
    memset(msg + n, 0, 32);               /* link and peer address */
    msg[n + 15] = 1;                      /* link ::1 */
    n += 32;
    msg[n++] = 0;                         /* RELAY_MSG */
    msg[n++] = 9;
    msg[n++] = 0;
    msg[n++] = (uint8_t)sizeof(v6_solicit);
    memcpy(msg + n, v6_solicit, sizeof(v6_solicit));
    n += (uint32_t)sizeof(v6_solicit);
    assert_int_equal(app_parser_dhcpv6.probe(msg, n, 0), APP_PROBE_YES);
    apt_begin(&t, &app_parser_dhcpv6, 17);
    apt_feed(&t, 0, msg, n);
    assert_int_equal(t.nevents, 1);
    assert_int_equal(t.nanomalies, 0);
    assert_has(&t, "\"relayed\":true");
    assert_has(&t, "\"msg_type\":\"solicit\"");
    assert_has(&t, "\"fqdn\":\"pc1.lan\"");
    apt_free(&t);

    /* IA_PD with one IAPREFIX 2001:db8:100::/56. */
    static const uint8_t pd[] = {
        0x07, 0, 0, 1,                       /* REPLY, xid 1 */
        0x00, 0x19, 0x00, 0x29,              /* IA_PD, len 41 */
        0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0,  /* IAID, T1, T2 */
        0x00, 0x1a, 0x00, 0x19,              /* IAPREFIX, len 25 */
        0, 0, 0, 0, 0, 0, 0, 0,              /* lifetimes */
        56,                                  /* prefix length */
        0x20, 0x01, 0x0d, 0xb8, 0x01, 0x00, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
    };
    apt_begin(&t, &app_parser_dhcpv6, 17);
    apt_feed(&t, 1, pd, sizeof(pd));
    assert_has(&t, "\"prefixes\":[\"2001:db8:100::/56\"]");
    apt_free(&t);
}

static void test_dhcpv6_prefixes_of_solicit(void **state)
{
    (void)state;
    for (uint32_t n = 0; n <= sizeof(v6_solicit); n++) {
        struct apt t;
        uint8_t *copy = malloc(n ? n : 1);
        memcpy(copy, v6_solicit, n);
        apt_begin(&t, &app_parser_dhcpv6, 17);
        apt_feed(&t, 0, copy, n);
        if (n < 4) {
            assert_int_equal(t.nevents, 0);
        } else {
            assert_int_equal(t.nevents, 1);
            /* Cut inside an option is truncated; at an option boundary clean. */
            bool boundary = n == 4 || n == 22 || n == 28 || n == 44 || n == 58 || n == 76 ||
                            n == sizeof(v6_solicit);
            assert_int_equal(t.nanomalies == 0, boundary);
        }
        apt_free(&t);
        free(copy);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_discover),
        cmocka_unit_test(test_offer_ack),
        cmocka_unit_test(test_request_fqdn_wire),
        cmocka_unit_test(test_option_past_end),
        cmocka_unit_test(test_no_end_no_type),
        cmocka_unit_test(test_overload),
        cmocka_unit_test(test_every_prefix),
        cmocka_unit_test(test_probe),
        cmocka_unit_test(test_pad_flood),
        cmocka_unit_test(test_dhcpv6),
        cmocka_unit_test(test_dhcpv6_relay_and_prefixes),
        cmocka_unit_test(test_dhcpv6_prefixes_of_solicit),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
