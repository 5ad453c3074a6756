/* test-det-auth.c - bruteforce and spam.burst, fed hand-made flows, login
 * events and Kerberos datagrams through a real detection stage (detect_raise's
 * de-duplication included), alerts captured at the stage's callback. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "decode/decode.h"
#include "det-test-util.h"
#include "detect/detect.h"
#include "detect/explain.h"
#include "util/netaddr.h"
#include "util/util.h"

#define S (1000000ull)
/* 2026-11-26 09:15:00 UTC */
#define T0 (1795684500ull * S)

static uint64_t next_id;

/* A fresh fixture: the default configuration, flow ids from 1. */
static void fx_begin(struct fx *f, const struct detector_ops *ops)
{
    fx_init(f);
    fx_open(f, ops);
    next_id = 1;
}

/* The detector's finish hook, then the shared close. */
static void fx_end(struct fx *f)
{
    f->ops->finish(f->st);
    fx_close(f);
}

static const struct alert *first_alert(const struct fx *f, const char *category, unsigned nth)
{
    for (unsigned i = 0; i < f->cap.n; i++)
        if (!f->cap.a[i].update && strcmp(f->cap.a[i].category, category) == 0 && nth-- == 0)
            return &f->cap.a[i];
    return NULL;
}

static void mk_flow(struct flow *fl, const char *src, const char *dst, uint16_t dport,
                    uint8_t proto, uint64_t t, uint64_t dur, uint64_t up, uint64_t down)
{
    memset(fl, 0, sizeof(*fl));
    fl->id = next_id++;
    assert_int_equal(ip_addr_parse(src, &fl->src), 0);
    assert_int_equal(ip_addr_parse(dst, &fl->dst), 0);
    fl->sport = (uint16_t)(40000 + fl->id % 20000);
    fl->dport = dport;
    fl->proto = proto;
    fl->first_ts_us = t;
    fl->last_ts_us = t + dur;
    fl->data_bytes[0] = up;
    fl->data_bytes[1] = down;
    fl->syn_seen[0] = fl->synack_seen = proto == 6;
    fl->end_reason = FLOW_END_FIN;
}

/* A login event as the cleartext parsers report it: ok 1 accepted, 0
 * refused, -1 no verdict. */
static void login_event(struct fx *f, const char *type, const char *src, const char *dst,
                        uint16_t port, uint64_t t, const char *user, int ok)
{
    struct flow fl;
    mk_flow(&fl, src, dst, port, 6, t, S, 100, 100);
    json_t *x = json_object();
    json_object_set_new(x, "user", json_string(user));
    json_object_set_new(x, "login_attempts", json_integer(1));
    if (ok >= 0)
        json_object_set_new(x, "login_success", json_boolean(ok));
    struct app_event ev = {.type = type, .f = &fl, .ts_us = t, .app_proto = type, .extra = x};
    f->ops->app_event(f->st, &ev);
    json_decref(x);
}

/* 20 refused FTP logins from a LAN PC to the NAS: one internal, high alert
 * with the facts of the whole burst once it went quiet. */
static void test_ftp_internal(void **state)
{
    (void)state;
    struct fx f;
    fx_begin(&f, &det_bruteforce);
    for (unsigned i = 0; i < 20; i++)
        login_event(&f, "ftp", "192.168.1.50", "192.168.1.20", 21, T0 + i * 3 * S, "admin", 0);
    /* not yet: the burst is still going */
    f.ops->tick(f.st, T0 + 60 * S);
    assert_int_equal(count_cat(&f, "bruteforce", NULL), 0);
    f.ops->tick(f.st, T0 + 57 * S + 121 * S);
    assert_int_equal(count_cat(&f, "bruteforce", NULL), 1);
    const struct alert *a = first_alert(&f, "bruteforce", 0);
    assert_int_equal(a->severity, SEV_HIGH);
    assert_string_equal(fact_str(a, "variant"), "internal");
    assert_string_equal(fact_str(a, "service"), "FTP");
    assert_int_equal(fact_int(a, "attempts"), 20);
    assert_int_equal(fact_int(a, "failures"), 20);
    assert_int_equal(fact_int(a, "users"), 1);
    assert_string_equal(fact_str(a, "user_names"), "admin");
    assert_int_equal(fact_int(a, "success"), 0);
    assert_int_equal(fact_int(a, "seconds"), 57);
    assert_non_null(strstr(a->key, "bruteforce|192.168.1.50|192.168.1.20|ftp|2026-11-26"));
    /* Later attempts that day only add to the count. */
    login_event(&f, "ftp", "192.168.1.50", "192.168.1.20", 21, T0 + 400 * S, "admin", 0);
    assert_int_equal(count_cat(&f, "bruteforce", NULL), 1);
    char out[1024];
    explain_render(a, EXPLAIN_TEXT, LANG_EN, out, sizeof(out));
    assert_null(strchr(out, '?'));
    fx_end(&f);
}

/* Mistyped twice then right; mail clients polling every few minutes. */
static void test_quiet_logins(void **state)
{
    (void)state;
    struct fx f;
    fx_begin(&f, &det_bruteforce);
    login_event(&f, "imap", "192.168.1.51", "203.0.113.25", 143, T0, "tanaka", 0);
    login_event(&f, "imap", "192.168.1.51", "203.0.113.25", 143, T0 + 5 * S, "tanaka", 0);
    login_event(&f, "imap", "192.168.1.51", "203.0.113.25", 143, T0 + 9 * S, "tanaka", 1);
    for (unsigned i = 0; i < 200; i++)
        login_event(&f, "pop3", "192.168.1.52", "203.0.113.25", 110, T0 + i * 60 * S, "sato", 1);
    /* a summary event without an attempt counts for nothing */
    struct flow fl;
    mk_flow(&fl, "192.168.1.53", "203.0.113.25", 110, 6, T0, S, 10, 10);
    json_t *x = json_object();
    json_object_set_new(x, "login_attempts", json_integer(0));
    struct app_event ev = {.type = "pop3", .f = &fl, .ts_us = T0, .extra = x};
    for (unsigned i = 0; i < 50; i++)
        f.ops->app_event(f.st, &ev);
    json_decref(x);
    f.ops->finish(f.st);
    assert_int_equal(count_cat(&f, "bruteforce", NULL), 0);
    fx_end(&f);
}

/* Short SSH sessions from the Internet: medium; a long session afterwards
 * is the login that worked: its own high alert. */
static void test_ssh_sessions(void **state)
{
    (void)state;
    struct fx f;
    fx_begin(&f, &det_bruteforce);
    struct flow fl;
    for (unsigned i = 0; i < 12; i++) {
        mk_flow(&fl, "203.0.113.9", "192.168.1.20", 22, 6, T0 + i * 6 * S, 4 * S, 3300, 4000);
        f.ops->flow(f.st, &fl);
    }
    /* refused or unanswered connections are scans, not attempts */
    for (unsigned i = 0; i < 30; i++) {
        mk_flow(&fl, "203.0.113.10", "192.168.1.20", 22, 6, T0 + i * S, S, 0, 0);
        f.ops->flow(f.st, &fl);
    }
    f.ops->tick(f.st, T0 + 300 * S);
    assert_int_equal(count_cat(&f, "bruteforce", NULL), 1);
    const struct alert *a = first_alert(&f, "bruteforce", 0);
    assert_int_equal(a->severity, SEV_MEDIUM);
    assert_null(fact_str(a, "variant"));
    assert_int_equal(fact_int(a, "sessions"), 12);
    assert_string_equal(fact_str(a, "service"), "SSH");
    mk_flow(&fl, "203.0.113.9", "192.168.1.20", 22, 6, T0 + 320 * S, 900 * S, 90000, 800000);
    f.ops->flow(f.st, &fl);
    assert_int_equal(count_cat(&f, "bruteforce", NULL), 2);
    a = first_alert(&f, "bruteforce", 1);
    assert_int_equal(a->severity, SEV_HIGH);
    assert_string_equal(fact_str(a, "variant"), "success");
    assert_int_equal(fact_int(a, "success"), 1);
    fx_end(&f);
}

/* An administrator's few SSH sessions and HTTPS visits to a LAN site stay
 * quiet; a PC's own VPN client reconnecting (outbound) is not counted. */
static void test_quiet_sessions(void **state)
{
    (void)state;
    struct fx f;
    fx_begin(&f, &det_bruteforce);
    struct flow fl;
    for (unsigned i = 0; i < 6; i++) {
        mk_flow(&fl, "192.168.1.50", "192.168.1.20", 22, 6, T0 + i * 20 * S, 3 * S, 3000, 4000);
        f.ops->flow(f.st, &fl);
    }
    for (unsigned i = 0; i < 40; i++) {
        mk_flow(&fl, "203.0.113.80", "192.168.1.30", 443, 6, T0 + i * 5 * S, 2 * S, 900, 30000);
        f.ops->flow(f.st, &fl);
        mk_flow(&fl, "192.168.1.50", "198.51.100.1", 10443, 6, T0 + i * 5 * S, 2 * S, 900,
                3000);
        f.ops->flow(f.st, &fl);
    }
    f.ops->finish(f.st);
    assert_int_equal(count_cat(&f, "bruteforce", NULL), 0);
    fx_end(&f);
}

/* SMTP AUTH counters are per session and repeated in every transaction
 * event: only what is new counts. */
static void test_smtp_delta(void **state)
{
    (void)state;
    struct fx f;
    fx_begin(&f, &det_bruteforce);
    struct flow fl;
    mk_flow(&fl, "192.168.1.50", "203.0.113.25", 587, 6, T0, 10 * S, 2000, 2000);
    for (unsigned i = 1; i <= 4; i++) {
        json_t *x = json_object();
        json_object_set_new(x, "auth_attempts", json_integer(2 * i));
        json_object_set_new(x, "auth_failures", json_integer(2 * i));
        json_object_set_new(x, "user", json_string("info@example.jp"));
        struct app_event ev = {.type = "smtp", .f = &fl, .ts_us = T0 + i * S, .extra = x};
        f.ops->app_event(f.st, &ev);
        f.ops->app_event(f.st, &ev); /* the same counters again: nothing new */
        json_decref(x);
    }
    f.ops->finish(f.st);
    assert_int_equal(count_cat(&f, "bruteforce", NULL), 1);
    const struct alert *a = first_alert(&f, "bruteforce", 0);
    assert_int_equal(fact_int(a, "attempts"), 8);
    assert_int_equal(fact_int(a, "failures"), 8);
    assert_string_equal(fact_str(a, "variant"), "outbound");
    assert_string_equal(fact_str(a, "service"), "SMTP AUTH");
    fx_end(&f);
}

/* SMB: challenge steps are no verdict; LOGON_FAILURE is. */
static void test_smb(void **state)
{
    (void)state;
    struct fx f;
    fx_begin(&f, &det_bruteforce);
    struct flow fl;
    mk_flow(&fl, "192.168.1.205", "192.168.1.195", 445, 6, T0, 10 * S, 2000, 2000);
    static const char *const users[] = {"admin", "root", "test", "user", "web", "backup"};
    for (unsigned i = 0; i < 30; i++) {
        json_t *body = json_object();
        json_object_set_new(body, "command", json_string("SMB2_COMMAND_SESSION_SETUP"));
        json_object_set_new(
            body, "status",
            json_string(i % 2 ? "STATUS_LOGON_FAILURE" : "STATUS_MORE_PROCESSING_REQUIRED"));
        json_t *ntlm = json_object();
        json_object_set_new(ntlm, "user", json_string(users[i % 6]));
        json_object_set_new(body, "ntlmssp", ntlm);
        struct app_event ev = {.type = "smb", .f = &fl, .ts_us = T0 + i * S / 2, .body = body};
        f.ops->app_event(f.st, &ev);
        json_decref(body);
    }
    f.ops->finish(f.st);
    assert_int_equal(count_cat(&f, "bruteforce", NULL), 1);
    const struct alert *a = first_alert(&f, "bruteforce", 0);
    assert_int_equal(fact_int(a, "attempts"), 15);
    assert_int_equal(fact_int(a, "failures"), 15);
    assert_int_equal(a->severity, SEV_HIGH);
    fx_end(&f);
}

/* ---- Kerberos: hand-made DER ---- */

static size_t der(uint8_t *out, uint8_t tag, const uint8_t *body, size_t n)
{
    out[0] = tag;
    out[1] = (uint8_t)n;
    memcpy(out + 2, body, n);
    return n + 2;
}

/* AS-REQ for user: 6a { 30 { a1 pvno, a2 msg-type, a4 { 30 { a0 options,
 * a1 { 30 { a0 type, a1 { 30 { 1b user } } } } } } } } (short forms only). */
static size_t as_req(uint8_t *out, const char *user)
{
    uint8_t a[256], b[256];
    size_t n, ulen = strlen(user);
    n = der(a, 0x1b, (const uint8_t *)user, ulen); /* GeneralString */
    n = der(b, 0x30, a, n);                        /* SEQUENCE OF */
    n = der(a, 0xa1, b, n);                        /* name-string */
    memcpy(b, "\xa0\x03\x02\x01\x01", 5);          /* name-type */
    memcpy(b + 5, a, n);
    n = der(a, 0x30, b, n + 5);                           /* PrincipalName */
    n = der(b, 0xa1, a, n);                               /* cname */
    memcpy(a, "\xa0\x07\x03\x05\x00\x50\x80\x00\x00", 9); /* kdc-options */
    memcpy(a + 9, b, n);
    n = der(b, 0x30, a, n + 9); /* KDC-REQ-BODY */
    n = der(a, 0xa4, b, n);
    memcpy(b, "\xa1\x03\x02\x01\x05\xa2\x03\x02\x01\x0a", 10); /* pvno, msg-type */
    memcpy(b + 10, a, n);
    n = der(a, 0x30, b, n + 10);
    return der(out, 0x6a, a, n);
}

static size_t krb_err(uint8_t *out, uint8_t code)
{
    uint8_t a[64] = "\xa0\x03\x02\x01\x05\xa1\x03\x02\x01\x1e\xa6\x03\x02\x01";
    uint8_t b[64];
    a[14] = code;
    size_t n = der(b, 0x30, a, 15);
    return der(out, 0x7e, b, n);
}

static void krb_packet(struct fx *f, const char *src, const char *dst, uint16_t sport,
                       uint16_t dport, uint64_t t, const uint8_t *p, size_t n)
{
    struct packet pkt;
    memset(&pkt, 0, sizeof(pkt));
    pkt.ts_us = t;
    pkt.layer_count = 1;
    struct ip_layer *l = &pkt.layers[0];
    l->ip_version = 4;
    l->proto = 17;
    l->l4_ok = true;
    assert_int_equal(ip_addr_parse(src, &l->src), 0);
    assert_int_equal(ip_addr_parse(dst, &l->dst), 0);
    l->sport = sport;
    l->dport = dport;
    l->payload = p;
    l->payload_len = (uint32_t)n;
    f->ops->packet(f->st, &pkt);
}

static void test_kerberos(void **state)
{
    (void)state;
    struct fx f;
    fx_begin(&f, &det_bruteforce);
    uint8_t buf[300];
    static const char *const users[] = {"admin",  "bob",  "svc-01",   "administrator", "HD01",
                                        "normal", "HD02", "backdoor", "admin02",       "svc-02"};
    uint64_t t = T0;
    for (unsigned i = 0; i < ARRAY_SIZE(users); i++) {
        size_t n = as_req(buf, users[i]);
        krb_packet(&f, "172.16.66.1", "172.16.66.36", 50000 + i, 88, t, buf, n);
        n = krb_err(buf, i % 3 == 2 ? 25 : i % 2 ? 24 : 6);
        krb_packet(&f, "172.16.66.36", "172.16.66.1", 88, 50000 + i, t + 500, buf, n);
        t += 10000;
    }
    f.ops->finish(f.st);
    assert_int_equal(count_cat(&f, "bruteforce", NULL), 1);
    const struct alert *a = first_alert(&f, "bruteforce", 0);
    assert_string_equal(fact_str(a, "service"), "Kerberos");
    assert_int_equal(fact_int(a, "users"), 10);
    assert_int_equal(fact_int(a, "attempts"), 10);
    assert_int_equal(fact_int(a, "failures"), 7);
    assert_string_equal(fact_str(a, "user_names"), "admin, bob, svc-01");
    assert_string_equal(fact_str(a, "variant"), "spray");
    fx_end(&f);
}

/* A PC's normal logons (PREAUTH_REQUIRED then AS-REP, clock skew) and
 * garbage on port 88 raise nothing and read nothing out of bounds. */
static void test_kerberos_quiet(void **state)
{
    (void)state;
    struct fx f;
    fx_begin(&f, &det_bruteforce);
    uint8_t buf[300];
    for (unsigned i = 0; i < 100; i++) {
        size_t n = as_req(buf, i % 2 ? "chip-douglas-pc$" : "administrator");
        krb_packet(&f, "192.168.1.46", "192.168.1.195", 50000, 88, T0 + i * S, buf, n);
        n = krb_err(buf, i % 3 ? 25 : 37);
        krb_packet(&f, "192.168.1.195", "192.168.1.46", 88, 50000, T0 + i * S + 500, buf, n);
    }
    /* every prefix of a message, and bytes claiming long lengths */
    size_t full = as_req(buf, "someone");
    for (size_t n = 0; n <= full; n++)
        krb_packet(&f, "192.168.1.47", "192.168.1.195", 50001, 88, T0, buf, n);
    uint8_t junk[16] = {0x6a, 0x84, 0xff, 0xff, 0xff, 0xff, 0x30, 0x83, 0x7f, 0xff, 0xff};
    krb_packet(&f, "192.168.1.47", "192.168.1.195", 50001, 88, T0, junk, sizeof(junk));
    junk[0] = 0x7e;
    krb_packet(&f, "192.168.1.195", "192.168.1.47", 88, 50001, T0, junk, sizeof(junk));
    f.ops->finish(f.st);
    assert_int_equal(count_cat(&f, "bruteforce", NULL), 0);
    fx_end(&f);
}

/* ---- spam.burst ---- */

static void smtp_flow_start(struct fx *f, const char *src, const char *dst, uint16_t port,
                            uint64_t t)
{
    struct flow fl;
    mk_flow(&fl, src, dst, port, 6, t, 0, 0, 0);
    f->ops->flow_start(f->st, &fl);
}

static void test_spam(void **state)
{
    (void)state;
    struct fx f;
    fx_begin(&f, &det_spam);
    char ip[32];
    /* MX lookups first */
    struct flow dns;
    mk_flow(&dns, "192.168.1.111", "192.168.1.1", 53, 17, T0, 0, 40, 80);
    json_t *q = json_object();
    json_object_set_new(q, "type", json_string("query"));
    json_object_set_new(q, "rrtype", json_string("A"));
    json_object_set_new(q, "rrname", json_string("mx2.hotmail.com"));
    struct app_event ev = {.type = "dns", .f = &dns, .ts_us = T0, .dir = 0, .body = q};
    f.ops->app_event(f.st, &ev);
    json_decref(q);
    for (unsigned i = 0; i < 12; i++) {
        snprintf(ip, sizeof(ip), "65.54.188.%u", 10 + i);
        smtp_flow_start(&f, "192.168.1.111", ip, 25, T0 + S + i * 10000);
    }
    /* the submission server of another PC: one server, quiet */
    for (unsigned i = 0; i < 5; i++)
        smtp_flow_start(&f, "192.168.1.112", "203.0.113.25", 587, T0 + i * 60 * S);
    f.ops->tick(f.st, T0 + 30 * S);
    assert_int_equal(count_cat(&f, "spam.burst", NULL), 0);
    f.ops->tick(f.st, T0 + 70 * S);
    assert_int_equal(count_cat(&f, "spam.burst", NULL), 1);
    const struct alert *a = first_alert(&f, "spam.burst", 0);
    assert_int_equal(a->severity, SEV_HIGH);
    assert_int_equal(fact_int(a, "servers"), 12);
    assert_int_equal(fact_int(a, "sessions"), 12);
    assert_string_equal(fact_str(a, "mx"), "mx2.hotmail.com");
    assert_string_equal(fact_str(a, "ports"), "25");
    /* more sessions the same day: the same alert */
    smtp_flow_start(&f, "192.168.1.111", "65.54.188.200", 25, T0 + 100 * S);
    f.ops->finish(f.st);
    assert_int_equal(count_cat(&f, "spam.burst", NULL), 1);
    fx_end(&f);
}

static void test_spam_critical_and_mailserver(void **state)
{
    (void)state;
    struct fx f;
    fx_begin(&f, &det_spam);
    char ip[32];
    for (unsigned i = 0; i < 40; i++) {
        snprintf(ip, sizeof(ip), "192.0.2.%u", 10 + i);
        smtp_flow_start(&f, "192.168.1.50", ip, 25, T0 + i * S);
    }
    /* the office mail server accepts mail from outside ... */
    struct flow in;
    mk_flow(&in, "198.51.100.5", "192.168.1.25", 25, 6, T0, 2 * S, 3000, 400);
    f.ops->flow(f.st, &in);
    /* ... and relays to 30 servers: far below its limits */
    for (unsigned i = 0; i < 30; i++) {
        snprintf(ip, sizeof(ip), "203.0.113.%u", 100 + i);
        smtp_flow_start(&f, "192.168.1.25", ip, 25, T0 + 10 * S + i * S);
    }
    f.ops->finish(f.st);
    assert_int_equal(count_cat(&f, "spam.burst", NULL), 1);
    const struct alert *a = first_alert(&f, "spam.burst", 0);
    assert_int_equal(a->severity, SEV_CRITICAL);
    assert_int_equal(fact_int(a, "servers"), 40);
    char want[48];
    snprintf(want, sizeof(want), "spam.burst|192.168.1.50|2026-11-26");
    assert_string_equal(a->key, want);
    fx_end(&f);
}

/* The tunables exist and are range-checked. */
static void test_params(void **state)
{
    (void)state;
    struct detect_config cfg;
    char err[128];
    detect_config_defaults(&cfg);
    assert_int_equal(
        detect_config_set_param(&cfg, "bruteforce.min_failures", "12", err, sizeof(err)), 0);
    assert_int_equal(detect_config_set_param(&cfg, "spam.min_servers", "20", err, sizeof(err)), 0);
    assert_int_equal(
        detect_config_set_param(&cfg, "bruteforce.min_failures", "1", err, sizeof(err)), -1);
    struct cap cap;
    memset(&cap, 0, sizeof(cap));
    struct detect *d = detect_new(&cfg, NULL, NULL, on_alert, &cap);
    assert_int_equal(detect_param(d, "bruteforce.min_failures"), 12);
    assert_int_equal(detect_param(d, "spam.min_servers"), 20);
    assert_int_equal(detect_param(d, "bruteforce.window_s"), 300);
    detect_free(d);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_ftp_internal), cmocka_unit_test(test_quiet_logins),
        cmocka_unit_test(test_ssh_sessions), cmocka_unit_test(test_quiet_sessions),
        cmocka_unit_test(test_smtp_delta),   cmocka_unit_test(test_smb),
        cmocka_unit_test(test_kerberos),     cmocka_unit_test(test_kerberos_quiet),
        cmocka_unit_test(test_spam),         cmocka_unit_test(test_spam_critical_and_mailserver),
        cmocka_unit_test(test_params),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
