/* test-det-practice.c - cleartext and legacy.protocol, fed hand-made
 * application events (the JSON the parsers report) through a real detection
 * stage (detect_raise's de-duplication included), alerts captured at the
 * stage's callback. */
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
#define DAY (86400ull * S)
/* 2026-11-26 09:15:00 UTC */
#define T0 (1795684500ull * S)

/* The flow the next events belong to, and the last flow id handed out. */
static struct flow cur_flow;
static uint64_t next_id;

static void fx_flow(const char *src, const char *dst, uint16_t dport)
{
    memset(&cur_flow, 0, sizeof(cur_flow));
    cur_flow.id = ++next_id;
    cur_flow.proto = 6;
    cur_flow.ip_version = 4;
    assert_int_equal(ip_addr_parse(src, &cur_flow.src), 0);
    assert_int_equal(ip_addr_parse(dst, &cur_flow.dst), 0);
    cur_flow.sport = 50000;
    cur_flow.dport = dport;
}

/* An event of the current flow; body and extra are JSON text (NULL: none). */
static void fx_event(struct fx *f, const char *type, uint64_t ts, const char *body,
                     const char *extra)
{
    json_error_t err;
    json_t *b = body ? json_loads(body, 0, &err) : NULL;
    json_t *x = extra ? json_loads(extra, 0, &err) : NULL;
    assert_true(!body || b);
    assert_true(!extra || x);
    struct app_event ev = {
        .type = type, .f = &cur_flow, .ts_us = ts, .app_proto = type, .body = b, .extra = x,
    };
    f->ops->app_event(f->st, &ev);
    json_decref(b);
    json_decref(x);
}

/* Every alert: a key, texts that render with no "?" in either language
 * (optional facts sit in [[...]]), only the documented facts. */
static void check_alert(const struct alert *a)
{
    static const char *const documented[] = {
        "variant", "protocol", "user", "server", "port", "field", "what", "detail",
    };
    assert_true(a->key[0] != '\0');
    assert_true(a->has_src && a->has_dst);
    check_facts_documented(a, documented, ARRAY_SIZE(documented));
    check_texts(a);
    char out[2048];
    /* A real text, not the category name. */
    explain_render(a, EXPLAIN_TEXT, LANG_EN, out, sizeof(out));
    assert_true(strlen(out) > 80);
}

/* ---------------- cleartext ---------------- */

static const char ftp_pass_ok[] =
    "{\"user\":\"csanders\",\"password_sent_in_clear\":true,\"login_attempts\":1,"
    "\"login_success\":true}";
static const char ftp_pass_bad[] =
    "{\"user\":\"bro\",\"password_sent_in_clear\":true,\"login_attempts\":1,"
    "\"login_success\":false}";

static void test_clear_ftp_lan_aggregates(void **state)
{
    struct fx *f = *state;
    fx_open(f, &det_cleartext);
    fx_flow("192.168.0.114", "192.168.0.193", 21);
    /* USER alone says nothing; PASS in clear does. */
    fx_event(f, "ftp", T0, "{\"command\":\"USER\"}", "{\"user\":\"csanders\"}");
    assert_int_equal(f->cap.n, 0);
    fx_event(f, "ftp", T0 + S, "{\"command\":\"PASS\"}", ftp_pass_ok);
    assert_int_equal(f->cap.n, 1);
    const struct alert *a = &f->cap.a[0];
    check_alert(a);
    assert_string_equal(a->category, "cleartext");
    assert_int_equal(a->severity, SEV_LOW);
    assert_string_equal(fact_str(a, "variant"), "lan");
    assert_string_equal(fact_str(a, "protocol"), "FTP");
    assert_string_equal(fact_str(a, "user"), "csanders");
    assert_null(fact_str(a, "server"));
    assert_string_equal(a->key, "cleartext|192.168.0.114|192.168.0.193|ftp|csanders|2026-11-26");
    assert_int_equal(a->nflows, 1);
    /* A brute force of 30 guesses on new connections: one alert, count 30. */
    for (int i = 0; i < 30; i++) {
        fx_flow("192.168.56.1", "192.168.56.101", 21);
        fx_event(f, "ftp", T0 + (uint64_t)(10 + i) * S, "{\"command\":\"PASS\"}", ftp_pass_bad);
    }
    assert_int_equal(f->cap.nfirst, 2);
    detect_flush(f->d);
    const struct alert *u = &f->cap.a[f->cap.n - 1];
    assert_true(u->update);
    assert_int_equal(u->count, 29);
    assert_string_equal(fact_str(u, "user"), "bro");
    /* Next day: a new alert. */
    fx_event(f, "ftp", T0 + DAY, "{\"command\":\"PASS\"}", ftp_pass_bad);
    assert_int_equal(f->cap.nfirst, 3);
    fx_close(f);
}

static void test_clear_internet_and_mail(void **state)
{
    struct fx *f = *state;
    fx_open(f, &det_cleartext);
    /* Emotet's SMTP AUTH LOGIN on 587 without STARTTLS. */
    fx_flow("10.2.25.102", "193.252.22.84", 587);
    fx_event(f, "smtp", T0, "{\"helo\":\"x\"}",
             "{\"starttls\":false,\"tls\":false,\"auth_mechanism\":\"LOGIN\",\"auth_attempts\":1,"
             "\"auth_user\":\"raulparedes@wanadoo.fr\",\"user\":\"raulparedes@wanadoo.fr\","
             "\"password_sent_in_clear\":true,"
             "\"server_banner\":\"opmta1mto02nd1 smtp.orange.fr ESMTP server ready\"}");
    assert_int_equal(f->cap.n, 1);
    const struct alert *a = &f->cap.a[0];
    check_alert(a);
    assert_int_equal(a->severity, SEV_MEDIUM);
    assert_string_equal(fact_str(a, "variant"), "internet");
    assert_string_equal(fact_str(a, "protocol"), "SMTP");
    assert_string_equal(fact_str(a, "server"), "smtp.orange.fr");
    assert_string_equal(fact_str(a, "user"), "raulparedes@wanadoo.fr");
    json_t *port = json_object_get(a->facts, "port");
    assert_int_equal(json_integer_value(port), 587);

    /* After STARTTLS the parser says no cleartext: nothing. */
    fx_flow("192.168.1.10", "203.0.113.25", 587);
    fx_event(f, "smtp", T0, "{}",
             "{\"starttls\":true,\"tls\":true,\"auth_mechanism\":\"PLAIN\",\"auth_attempts\":1,"
             "\"password_sent_in_clear\":false}");
    /* POP3 USER/PASS, a banner with no host name in it. */
    fx_flow("192.168.1.10", "203.0.113.110", 110);
    fx_event(f, "pop3", T0, NULL,
             "{\"user\":\"kato\",\"server_banner\":\"+OK Dovecot ready.\","
             "\"password_sent_in_clear\":true,\"login_attempts\":1,\"tls\":false}");
    assert_int_equal(f->cap.nfirst, 2);
    a = &f->cap.a[1];
    check_alert(a);
    assert_string_equal(fact_str(a, "protocol"), "POP3");
    assert_null(fact_str(a, "server"));
    /* A session summary without a login: nothing. */
    fx_event(f, "imap", T0, NULL, "{\"password_sent_in_clear\":false,\"starttls\":true}");
    /* APOP: weak, low. */
    fx_event(f, "pop3", T0, NULL,
             "{\"user\":\"kato\",\"auth_mechanism\":\"APOP\",\"login_attempts\":1,"
             "\"password_sent_in_clear\":false,\"tls\":false,\"starttls\":false}");
    assert_int_equal(f->cap.nfirst, 3);
    a = &f->cap.a[2];
    check_alert(a);
    assert_string_equal(fact_str(a, "variant"), "weak");
    assert_int_equal(a->severity, SEV_LOW);
    fx_close(f);
}

static void test_clear_http_telnet_and_quiet(void **state)
{
    struct fx *f = *state;
    fx_open(f, &det_cleartext);
    /* A login form to the NAS: the field name, never a value. */
    fx_flow("192.168.60.101", "192.168.60.20", 5000);
    fx_event(f, "http", T0, "{\"hostname\":\"192.168.60.20\",\"http_method\":\"POST\"}",
             "{\"cleartext_login\":true,\"login_form\":true,\"password_field\":\"passwd\"}");
    /* Basic auth to a site on the Internet, with the user name. */
    fx_flow("192.168.60.101", "203.0.113.80", 80);
    fx_event(f, "http", T0, "{\"hostname\":\"order.example.jp\"}",
             "{\"cleartext_login\":true,\"auth_scheme\":\"Basic\",\"user\":\"kato\"}");
    /* Ordinary HTTP: nothing. */
    fx_event(f, "http", T0, "{\"hostname\":\"order.example.jp\"}", "{\"cookie_seen\":true}");
    fx_event(f, "http", T0, "{\"hostname\":\"order.example.jp\"}", NULL);
    /* Telnet login on the LAN. */
    fx_flow("192.168.0.2", "192.168.0.1", 23);
    fx_event(f, "telnet", T0, NULL,
             "{\"user\":\"fake\",\"server_banner\":\"OpenBSD/i386 (oof) (ttyp2)\","
             "\"password_sent_in_clear\":true,\"login_success\":true}");
    assert_int_equal(f->cap.nfirst, 3);
    const struct alert *a = &f->cap.a[0];
    check_alert(a);
    assert_string_equal(fact_str(a, "field"), "passwd");
    assert_string_equal(fact_str(a, "server"), "192.168.60.20");
    assert_string_equal(fact_str(a, "variant"), "lan");
    a = &f->cap.a[1];
    check_alert(a);
    assert_string_equal(fact_str(a, "variant"), "internet");
    assert_string_equal(fact_str(a, "user"), "kato");
    assert_string_equal(fact_str(a, "server"), "order.example.jp");
    assert_null(fact_str(a, "field"));
    a = &f->cap.a[2];
    check_alert(a);
    assert_string_equal(fact_str(a, "protocol"), "Telnet");
    assert_null(fact_str(a, "server")); /* "OpenBSD/i386 (oof) (ttyp2)" names no host */

    /* Anonymous FTP: not a secret. */
    fx_flow("192.168.60.101", "192.0.2.21", 21);
    fx_event(f, "ftp", T0, "{}", "{\"user\":\"Anonymous\",\"password_sent_in_clear\":true}");
    fx_event(f, "ftp", T0, "{}", "{\"user\":\"ftp\",\"password_sent_in_clear\":true}");
    /* A refused guess from the Internet at the office's server: bruteforce's. */
    fx_flow("198.51.100.23", "192.168.60.1", 23);
    fx_event(f, "telnet", T0, NULL,
             "{\"user\":\"root\",\"password_sent_in_clear\":true,\"login_success\":false}");
    /* Events it does not know, or without facts. */
    fx_event(f, "dns", T0, "{}", "{\"password_sent_in_clear\":true}");
    fx_event(f, "ftp", T0, "{}", NULL);
    fx_event(f, "ftp", T0, "{}", "[1,2]");
    assert_int_equal(f->cap.nfirst, 3);
    /* The same outsider logging in successfully: the office's server's
     * password crossed the Internet. */
    fx_event(f, "telnet", T0, NULL,
             "{\"user\":\"admin\",\"password_sent_in_clear\":true,\"login_success\":true}");
    assert_int_equal(f->cap.nfirst, 4);
    check_alert(&f->cap.a[3]);
    assert_int_equal(f->cap.a[3].severity, SEV_MEDIUM);
    fx_close(f);
}

static void test_clear_params(void **state)
{
    struct fx *f = *state;
    char err[128];
    assert_int_equal(detect_config_set_param(&f->cfg, "cleartext.report_anonymous", "1", err,
                                             sizeof(err)),
                     0);
    assert_int_equal(
        detect_config_set_param(&f->cfg, "cleartext.report_weak", "0", err, sizeof(err)), 0);
    fx_open(f, &det_cleartext);
    fx_flow("192.168.60.101", "192.0.2.21", 21);
    fx_event(f, "ftp", T0, "{}", "{\"user\":\"anonymous\",\"password_sent_in_clear\":true}");
    assert_int_equal(f->cap.nfirst, 1);
    fx_event(f, "pop3", T0, NULL,
             "{\"user\":\"kato\",\"auth_mechanism\":\"APOP\",\"login_attempts\":1,"
             "\"password_sent_in_clear\":false}");
    assert_int_equal(f->cap.nfirst, 1);
    fx_close(f);
}

/* ---------------- legacy.protocol ---------------- */

static const char smb1_neg[] =
    "{\"command\":\"SMB1_COMMAND_NEGOTIATE_PROTOCOL\",\"client_dialects\":[\"LANMAN1.0\","
    "\"NT LM 0.12\"],\"dialect\":\"NT LM 0.12\"}";
static const char smb_multi[] =
    "{\"command\":\"SMB1_COMMAND_NEGOTIATE_PROTOCOL\",\"client_dialects\":[\"PC NETWORK "
    "PROGRAM 1.0\",\"NT LM 0.12\",\"SMB 2.002\",\"SMB 2.???\"],\"dialect\":\"2.??\"}";

static void test_legacy_smb(void **state)
{
    struct fx *f = *state;
    fx_open(f, &det_legacy_protocol);
    fx_flow("192.168.116.149", "192.168.116.138", 445);
    fx_event(f, "smb", T0, smb1_neg, "{\"smb1\":true}");
    fx_event(f, "smb", T0, "{\"command\":\"SMB1_COMMAND_TREE_CONNECT_ANDX\",\"dialect\":"
                           "\"NT LM 0.12\"}", "{\"smb1\":true}");
    assert_int_equal(f->cap.n, 1);
    const struct alert *a = &f->cap.a[0];
    check_alert(a);
    assert_string_equal(a->category, "legacy.protocol");
    assert_string_equal(fact_str(a, "variant"), "smb1");
    assert_int_equal(a->severity, SEV_MEDIUM);
    assert_string_equal(fact_str(a, "what"), "SMBv1");
    assert_string_equal(fact_str(a, "detail"), "NT LM 0.12");
    assert_string_equal(a->key, "legacy.protocol|smb1|192.168.116.138|2026-11-26");
    /* The same client again: nothing; a second client: the count grows. */
    fx_flow("192.168.116.149", "192.168.116.138", 445);
    fx_event(f, "smb", T0 + S, smb1_neg, "{\"smb1\":true}");
    assert_int_equal(f->cap.n, 1);
    fx_flow("192.168.116.150", "192.168.116.138", 445);
    fx_event(f, "smb", T0 + 2 * S, smb1_neg, "{\"smb1\":true}");
    detect_flush(f->d);
    assert_int_equal(f->cap.nfirst, 1);
    assert_int_equal(f->cap.n, 2);
    assert_int_equal(f->cap.a[1].count, 1);

    /* Offered only: keyed by the client. */
    fx_flow("192.168.1.46", "192.168.1.195", 445);
    fx_event(f, "smb", T0, smb_multi, "{\"smb1\":true}");
    assert_int_equal(f->cap.nfirst, 2);
    a = &f->cap.a[2];
    check_alert(a);
    assert_string_equal(fact_str(a, "variant"), "smb1_offered");
    assert_int_equal(a->severity, SEV_LOW);
    assert_string_equal(a->key, "legacy.protocol|smb1_offered|192.168.1.46|2026-11-26");
    /* SMB2/3 sessions: nothing. */
    fx_flow("172.16.66.1", "172.16.66.36", 445);
    fx_event(f, "smb", T0,
             "{\"command\":\"SMB2_COMMAND_NEGOTIATE_PROTOCOL\",\"client_dialects\":[\"2.02\","
             "\"3.11\"],\"dialect\":\"3.11\"}",
             "{\"smb1\":false}");
    fx_event(f, "smb", T0, "{\"command\":\"SMB2_COMMAND_TREE_CONNECT\"}", NULL);
    fx_event(f, "smb", T0, "{\"command\":7}", NULL);
    fx_event(f, "smb", T0, "{\"command\":\"SMB1_COMMAND_NEGOTIATE_PROTOCOL\","
                           "\"client_dialects\":\"x\",\"dialect\":\"unknown\"}", NULL);
    assert_int_equal(f->cap.nfirst, 2);
    /* Next day: a new alert for the same server. */
    fx_flow("192.168.116.149", "192.168.116.138", 445);
    fx_event(f, "smb", T0 + DAY, smb1_neg, NULL);
    assert_int_equal(f->cap.nfirst, 3);
    /* Expiry runs without harm. */
    f->ops->tick(f->st, T0 + 3 * DAY);
    fx_event(f, "smb", T0 + 3 * DAY, smb1_neg, NULL);
    assert_int_equal(f->cap.nfirst, 4);
    fx_close(f);
}

static void test_legacy_smb1_offered_off(void **state)
{
    struct fx *f = *state;
    char err[128];
    assert_int_equal(
        detect_config_set_param(&f->cfg, "legacy.smb1_offered", "0", err, sizeof(err)), 0);
    fx_open(f, &det_legacy_protocol);
    fx_flow("192.168.1.46", "192.168.1.195", 445);
    fx_event(f, "smb", T0, smb_multi, "{\"smb1\":true}");
    assert_int_equal(f->cap.n, 0);
    fx_close(f);
}

static void test_legacy_tls(void **state)
{
    struct fx *f = *state;
    fx_open(f, &det_legacy_protocol);
    /* The copier on the LAN answers TLS 1.0: keyed by the server. */
    fx_flow("192.168.60.101", "192.168.60.30", 443);
    fx_event(f, "tls", T0, "{\"version\":\"TLSv1\",\"ja3\":{\"string\":\"771,47,,,\"}}", NULL);
    assert_int_equal(f->cap.n, 1);
    const struct alert *a = &f->cap.a[0];
    check_alert(a);
    assert_string_equal(fact_str(a, "variant"), "tls");
    assert_string_equal(fact_str(a, "what"), "TLS 1.0");
    assert_int_equal(a->severity, SEV_LOW);
    /* An Internet server, a client that offers only TLS 1.0 (ja3 769):
     * keyed by the client, one alert for many sites. */
    for (int i = 0; i < 5; i++) {
        char dst[32];
        snprintf(dst, sizeof(dst), "203.0.113.%d", 10 + i);
        fx_flow("192.168.1.46", dst, 443);
        fx_event(f, "tls", T0 + (uint64_t)i * S,
                 "{\"version\":\"TLSv1\",\"sni\":\"www.example.com\","
                 "\"ja3\":{\"string\":\"769,47-53,0,,\"}}",
                 NULL);
    }
    assert_int_equal(f->cap.nfirst, 2);
    a = &f->cap.a[1];
    check_alert(a);
    assert_string_equal(fact_str(a, "variant"), "tls_client");
    assert_string_equal(fact_str(a, "server"), "www.example.com");
    assert_string_equal(a->key, "legacy.protocol|tls_client|192.168.1.46|2026-11-26");
    /* An SSLv2-format hello (no ja3) to the Internet: the client's. */
    fx_flow("192.150.187.164", "194.127.84.106", 443);
    fx_event(f, "tls", T0, "{\"version\":\"TLSv1\"}", "{\"sslv2_hello\":true}");
    assert_int_equal(f->cap.nfirst, 3);
    a = &f->cap.a[f->cap.n - 1];
    check_alert(a);
    assert_string_equal(fact_str(a, "variant"), "tls_client");
    assert_string_equal(fact_str(a, "detail"), "SSLv2-format ClientHello");
    /* A current client that an old Internet server pushed down to TLS 1.0:
     * nothing the owner can change. */
    fx_flow("192.168.1.50", "203.0.113.99", 443);
    fx_event(f, "tls", T0, "{\"version\":\"TLSv1\",\"ja3\":{\"string\":\"771,4865,,,\"}}",
             "{\"versions_offered\":[\"TLS 1.3\",\"TLS 1.2\"]}");
    /* TLS 1.2 and 1.3, and a handshake without a ServerHello: nothing. */
    fx_event(f, "tls", T0, "{\"version\":\"TLS 1.2\"}", NULL);
    fx_event(f, "tls", T0, "{\"version\":\"TLS 1.3\"}", NULL);
    fx_event(f, "tls", T0, "{\"version\":\"UNDETERMINED\"}", NULL);
    fx_event(f, "tls", T0, "{\"version\":12}", "{\"sslv2_hello\":\"yes\"}");
    assert_int_equal(f->cap.nfirst, 3);
    fx_close(f);
}

static void test_legacy_ssh_telnet(void **state)
{
    struct fx *f = *state;
    fx_open(f, &det_legacy_protocol);
    fx_flow("127.0.0.1", "127.0.0.1", 2222);
    fx_event(f, "ssh", T0,
             "{\"client\":{\"proto_version\":\"1.5\",\"software_version\":\"OpenSSH_6.6\"},"
             "\"server\":{\"proto_version\":\"1.5\",\"software_version\":\"OpenSSH_6.6\"}}",
             NULL);
    assert_int_equal(f->cap.n, 1);
    const struct alert *a = &f->cap.a[0];
    check_alert(a);
    assert_string_equal(fact_str(a, "variant"), "ssh");
    assert_string_equal(fact_str(a, "what"), "SSH protocol 1");
    assert_string_equal(fact_str(a, "detail"), "SSH-1.5-OpenSSH_6.6");
    /* Old OpenSSH over protocol 2. */
    fx_flow("192.168.50.123", "192.168.50.40", 22);
    fx_event(f, "ssh", T0,
             "{\"client\":{\"proto_version\":\"2.0\",\"software_version\":"
             "\"OpenSSH_for_Windows_9.5\"},\"server\":{\"proto_version\":\"2.0\","
             "\"software_version\":\"OpenSSH_5.3\"}}",
             NULL);
    assert_int_equal(f->cap.n, 2);
    a = &f->cap.a[1];
    check_alert(a);
    assert_string_equal(fact_str(a, "variant"), "ssh_software");
    assert_string_equal(fact_str(a, "what"), "OpenSSH 5.3");
    /* Current servers, other software, odd input: nothing. */
    static const char *const quiet[] = {
        "{\"server\":{\"proto_version\":\"2.0\",\"software_version\":\"OpenSSH_9.6p1\"}}",
        "{\"server\":{\"proto_version\":\"2.0\",\"software_version\":\"OpenSSH_7.4\"}}",
        "{\"server\":{\"proto_version\":\"2.0\",\"software_version\":\"dropbear_2019.78\"}}",
        "{\"server\":{\"proto_version\":\"2.0\",\"software_version\":\"OpenSSH_\"}}",
        "{\"server\":{\"proto_version\":\"2.0\",\"software_version\":\"OpenSSH_99999999.1\"}}",
        "{\"server\":7}",
        "{}",
    };
    for (size_t i = 0; i < ARRAY_SIZE(quiet); i++)
        fx_event(f, "ssh", T0, quiet[i], NULL);
    assert_int_equal(f->cap.n, 2);

    /* Telnet inside the LAN: low; to a LAN server from the Internet: medium. */
    fx_flow("192.168.0.2", "192.168.0.1", 23);
    fx_event(f, "telnet", T0, NULL, "{\"user\":\"fake\"}");
    fx_flow("198.51.100.23", "192.168.60.1", 23);
    fx_event(f, "telnet", T0, NULL, NULL);
    fx_flow("192.0.2.77", "192.168.60.1", 23);
    fx_event(f, "telnet", T0 + S, NULL, NULL);
    detect_flush(f->d);
    assert_int_equal(f->cap.nfirst, 4);
    a = &f->cap.a[2];
    check_alert(a);
    assert_string_equal(fact_str(a, "variant"), "telnet");
    assert_int_equal(a->severity, SEV_LOW);
    a = &f->cap.a[3];
    check_alert(a);
    assert_string_equal(fact_str(a, "variant"), "telnet_internet");
    assert_int_equal(a->severity, SEV_MEDIUM);
    /* Two outside addresses: the update carries one more. */
    assert_int_equal(f->cap.n, 5);
    assert_true(f->cap.a[4].update);
    fx_close(f);
}

/* The table is capped: many servers never grow it past legacy.max_tracked. */
static void test_legacy_cap(void **state)
{
    struct fx *f = *state;
    char err[128];
    assert_int_equal(
        detect_config_set_param(&f->cfg, "legacy.max_tracked", "16", err, sizeof(err)), 0);
    f->cfg.max_open_alerts = 10000;
    fx_open(f, &det_legacy_protocol);
    for (int i = 0; i < 40; i++) {
        char dst[32];
        snprintf(dst, sizeof(dst), "10.0.%d.%d", i / 200, 1 + i % 200);
        fx_flow("10.9.9.9", dst, 445);
        fx_event(f, "smb", T0, smb1_neg, NULL);
        if (f->cap.n >= CAP_MAX - 2) {
            for (unsigned k = 0; k < f->cap.n; k++)
                alert_release(&f->cap.a[k]);
            f->cap.n = 0;
        }
    }
    fx_close(f);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_clear_ftp_lan_aggregates, setup, teardown),
        cmocka_unit_test_setup_teardown(test_clear_internet_and_mail, setup, teardown),
        cmocka_unit_test_setup_teardown(test_clear_http_telnet_and_quiet, setup, teardown),
        cmocka_unit_test_setup_teardown(test_clear_params, setup, teardown),
        cmocka_unit_test_setup_teardown(test_legacy_smb, setup, teardown),
        cmocka_unit_test_setup_teardown(test_legacy_smb1_offered_off, setup, teardown),
        cmocka_unit_test_setup_teardown(test_legacy_tls, setup, teardown),
        cmocka_unit_test_setup_teardown(test_legacy_ssh_telnet, setup, teardown),
        cmocka_unit_test_setup_teardown(test_legacy_cap, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
