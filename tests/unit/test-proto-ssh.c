/* test-proto-ssh.c - SSH banners, KEXINIT/HASSH, split points, anomalies. */
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

static const char cli_banner[] = "SSH-2.0-OpenSSH_8.9p1 Ubuntu-3ubuntu0.1\r\n";
static const char srv_banner[] = "SSH-2.0-OpenSSH_6.7p1 Debian-5\r\n";

/* A KEXINIT binary packet (RFC 4253 6 and 7.1), no MAC (cleartext phase). */
static uint32_t build_kexinit(uint8_t *out)
{
    static const char *const lists[10] = {
        "curve25519-sha256", /* kex_algorithms */
        "ssh-ed25519",       /* server_host_key_algorithms */
        "aes128-ctr",        /* encryption client to server */
        "aes256-ctr",        /* encryption server to client */
        "hmac-sha2-256",     /* mac client to server */
        "hmac-sha1",         /* mac server to client */
        "none",              /* compression client to server */
        "zlib",              /* compression server to client */
        "",                  /* languages c2s */
        "",                  /* languages s2c */
    };
    uint8_t payload[512];
    uint32_t n = 0;
    payload[n++] = 20; /* SSH_MSG_KEXINIT */
    memset(payload + n, 0xab, 16); /* cookie */
    n += 16;
    for (int i = 0; i < 10; i++) {
        uint32_t l = (uint32_t)strlen(lists[i]);
        payload[n++] = 0;
        payload[n++] = 0;
        payload[n++] = (uint8_t)(l >> 8);
        payload[n++] = (uint8_t)l;
        memcpy(payload + n, lists[i], l);
        n += l;
    }
    payload[n++] = 0;          /* first_kex_packet_follows */
    memset(payload + n, 0, 4); /* reserved */
    n += 4;
    uint8_t pad = 4;
    uint32_t plen = 1 + n + pad;
    out[0] = (uint8_t)(plen >> 24);
    out[1] = (uint8_t)(plen >> 16);
    out[2] = (uint8_t)(plen >> 8);
    out[3] = (uint8_t)plen;
    out[4] = pad;
    memcpy(out + 5, payload, n);
    memset(out + 5 + n, 0, pad);
    return 4 + plen;
}

static void check_full(const struct apt *t)
{
    assert_int_equal(t->nevents, 1);
    assert_non_null(strstr(t->ev[0], "\"client\":{\"hassh\":{\"hash\":"
                                     "\"e97d07603350d1111ec2b64bf25413c9\",\"string\":"
                                     "\"curve25519-sha256;aes128-ctr;hmac-sha2-256;none\"},"
                                     "\"proto_version\":\"2.0\",\"software_version\":"
                                     "\"OpenSSH_8.9p1\"}"));
    assert_non_null(strstr(t->ev[0], "\"server\":{\"hassh\":{\"hash\":"
                                     "\"1d28bf246fed683b2556414dbd13cd28\""));
    assert_non_null(strstr(t->ev[0], "\"software_version\":\"OpenSSH_6.7p1\""));
    assert_non_null(strstr(t->ev[0], "\"client_comment\":\"Ubuntu-3ubuntu0.1\""));
    assert_non_null(strstr(t->ev[0], "\"server_comment\":\"Debian-5\""));
    assert_int_equal(t->nanomalies, 0);
    assert_int_equal(t->cx.done_mask, 3);
}

static uint32_t build_side(uint8_t *buf, const char *banner)
{
    uint32_t n = (uint32_t)strlen(banner);
    memcpy(buf, banner, n);
    return n + build_kexinit(buf + n);
}

static void test_ssh_full(void **state)
{
    (void)state;
    uint8_t c[1024], s[1024];
    uint32_t cl = build_side(c, cli_banner), sl = build_side(s, srv_banner);
    struct apt t;
    apt_begin(&t, &app_parser_ssh, 6);
    apt_feed(&t, 1, s, sl);
    apt_feed(&t, 0, c, cl);
    check_full(&t);
    apt_free(&t);
}

/* Every split point of the client side pins the line/packet collectors at
 * each boundary (banner LF, length field, payload end). */
static void test_ssh_splits(void **state)
{
    (void)state;
    uint8_t c[1024], s[1024];
    uint32_t cl = build_side(c, cli_banner), sl = build_side(s, srv_banner);
    for (uint32_t cut = 0; cut <= cl; cut++) {
        struct apt t;
        apt_begin(&t, &app_parser_ssh, 6);
        apt_feed(&t, 1, s, sl);
        apt_feed_split(&t, 0, c, cl, cut);
        check_full(&t);
        apt_free(&t);
    }
    struct apt t;
    apt_begin(&t, &app_parser_ssh, 6);
    apt_feed_bytes(&t, 0, c, cl);
    assert_int_equal(t.nevents, 0);
    apt_feed_bytes(&t, 1, s, sl);
    check_full(&t);
    apt_free(&t);
}

/* Every prefix: ends cleanly, logs at most one event, never an anomaly for
 * a valid but incomplete exchange. */
static void test_ssh_prefixes(void **state)
{
    (void)state;
    uint8_t c[1024], s[1024];
    uint32_t cl = build_side(c, cli_banner), sl = build_side(s, srv_banner);
    for (uint32_t n = 0; n <= cl; n++) {
        struct apt t;
        apt_begin(&t, &app_parser_ssh, 6);
        apt_feed(&t, 1, s, sl);
        apt_feed(&t, 0, c, n);
        apt_end(&t);
        assert_int_equal(t.nevents, 1);
        assert_int_equal(t.nanomalies, 0);
        if (n < strlen(cli_banner))
            assert_null(strstr(t.ev[0], "\"client\""));
        apt_free(&t);
    }
}

/* Server lines before its banner are allowed (RFC 4253 4.2); SSH-1.5 has no
 * KEXINIT, so the event comes with the banners. */
static void test_ssh_pre_lines_and_v1(void **state)
{
    (void)state;
    static const char srv[] = "Welcome\r\nno ssh here\r\nSSH-1.5-OpenSSH_6.6\n";
    static const char cli[] = "SSH-1.5-OpenSSH_6.6\r\n";
    struct apt t;
    apt_begin(&t, &app_parser_ssh, 6);
    apt_feed_bytes(&t, 1, srv, sizeof(srv) - 1);
    apt_feed(&t, 0, cli, sizeof(cli) - 1);
    assert_int_equal(t.nevents, 1);
    assert_non_null(strstr(t.ev[0], "\"server\":{\"proto_version\":\"1.5\","
                                    "\"software_version\":\"OpenSSH_6.6\"}"));
    assert_int_equal(t.nanomalies, 0);
    apt_free(&t);
}

static void test_ssh_invalid(void **state)
{
    (void)state;
    /* The client must open with SSH-. */
    static const char junk[] = "GET / HTTP/1.0\r\n";
    struct apt t;
    apt_begin(&t, &app_parser_ssh, 6);
    apt_feed(&t, 0, junk, sizeof(junk) - 1);
    assert_true(apt_has_anomaly(&t, "ssh.invalid_banner"));
    apt_end(&t);
    assert_int_equal(t.nevents, 0);
    apt_free(&t);

    /* 253 bytes + CR LF = 255 is the largest allowed; 254 + CR LF is one
     * too many (pins the RFC's "including CR LF"). */
    for (uint32_t body = 253; body <= 400; body += 147) {
        char line[512];
        memcpy(line, "SSH-2.0-", 8);
        memset(line + 8, 'x', body - 8);
        memcpy(line + body, "\r\n", 2);
        apt_begin(&t, &app_parser_ssh, 6);
        apt_feed(&t, 0, line, body + 2);
        apt_end(&t);
        assert_int_equal(t.nevents, 1);
        assert_int_equal(apt_has_anomaly(&t, "ssh.banner_too_long"), body > 253);
        apt_free(&t);
    }
    {
        char line[300];
        memcpy(line, "SSH-2.0-", 8);
        memset(line + 8, 'x', 254 - 8);
        memcpy(line + 254, "\r\n", 2);
        apt_begin(&t, &app_parser_ssh, 6);
        apt_feed(&t, 0, line, 256);
        apt_end(&t);
        assert_true(apt_has_anomaly(&t, "ssh.banner_too_long"));
        apt_free(&t);
    }

    /* Server sending endless non-SSH lines gives up after the cap. */
    apt_begin(&t, &app_parser_ssh, 6);
    for (int i = 0; i < SSH_MAX_PRE_BANNER_LINES + 1; i++)
        apt_feed(&t, 1, "x\n", 2);
    assert_true(apt_has_anomaly(&t, "ssh.invalid_banner"));
    apt_free(&t);

    /* A KEXINIT whose name-list runs past the packet. */
    uint8_t c[1024];
    uint32_t cl = build_side(c, cli_banner);
    uint32_t b = (uint32_t)strlen(cli_banner);
    c[b + 4 + 1 + 1 + 16 + 2] = 0x7f; /* kex list length 0x7fxx */
    apt_begin(&t, &app_parser_ssh, 6);
    apt_feed(&t, 0, c, cl);
    assert_true(apt_has_anomaly(&t, "ssh.invalid_kexinit"));
    apt_free(&t);
}

static void test_ssh_probe(void **state)
{
    (void)state;
    assert_int_equal(app_parser_ssh.probe((const uint8_t *)"SSH-2.0", 7, 0), APP_PROBE_YES);
    assert_int_equal(app_parser_ssh.probe((const uint8_t *)"SS", 2, 1), APP_PROBE_NEED_MORE);
    assert_int_equal(app_parser_ssh.probe((const uint8_t *)"SSX-", 4, 0), APP_PROBE_NO);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_ssh_full),
        cmocka_unit_test(test_ssh_splits),
        cmocka_unit_test(test_ssh_prefixes),
        cmocka_unit_test(test_ssh_pre_lines_and_v1),
        cmocka_unit_test(test_ssh_invalid),
        cmocka_unit_test(test_ssh_probe),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
