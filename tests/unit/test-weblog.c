/* test-weblog.c - access log lines (nginx/Apache combined and common
 * formats): fields, time zones, escapes, bad lines, and the feed into a
 * detection stage. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "decode/decode.h"
#include "detect/detect.h"
#include "util/netaddr.h"
#include "util/util.h"
#include "weblog/weblog.h"

#define S (1000000ull)

static int parse(const char *line, enum weblog_format fmt, struct weblog_req *r)
{
    return weblog_parse_line(line, strlen(line), fmt, r);
}

static void test_combined(void **state)
{
    (void)state;
    struct weblog_req r;
    assert_int_equal(parse("203.0.113.9 - - [26/Nov/2026:09:15:02 +0900] \"POST /wp-login.php "
                           "HTTP/1.1\" 200 4512 \"https://shop.example.jp/wp-login.php\" "
                           "\"Mozilla/5.0 (X11)\"\r",
                           WEBLOG_AUTO, &r),
                     0);
    char ip[48];
    ip_addr_fmt(&r.client, ip, sizeof(ip));
    assert_string_equal(ip, "203.0.113.9");
    /* 09:15:02 +0900 is 00:15:02 UTC. */
    assert_int_equal(r.ts_us, 1795652102ull * S);
    assert_string_equal(r.method, "POST");
    assert_string_equal(r.uri, "/wp-login.php");
    assert_string_equal(r.protocol, "HTTP/1.1");
    assert_int_equal(r.status, 200);
    assert_true(r.has_bytes);
    assert_int_equal(r.bytes, 4512);
    assert_string_equal(r.referer, "https://shop.example.jp/wp-login.php");
    assert_string_equal(r.user_agent, "Mozilla/5.0 (X11)");
    assert_true(r.has_ua && r.has_referer);

    /* Negative zone, IPv6 client, "-" size and fields, Apache escapes, an
     * nginx extra field after the UA. */
    assert_int_equal(parse("2001:db8::7 - alice [01/Jan/2027:00:00:00 -0130] \"GET /a\\\"b "
                           "HTTP/1.0\" 304 - \"-\" \"-\" \"198.51.100.1\"",
                           WEBLOG_COMBINED, &r),
                     0);
    assert_int_equal(r.ts_us, (1798761600ull + 5400) * S);
    assert_string_equal(r.uri, "/a\"b");
    assert_false(r.has_bytes);
    assert_false(r.has_ua);
    assert_false(r.has_referer);
}

static void test_common_and_auto(void **state)
{
    (void)state;
    struct weblog_req r;
    const char *common = "192.0.2.4 - - [26/Nov/2026:09:15:02 +0000] \"GET /index.html "
                         "HTTP/1.1\" 404 153";
    assert_int_equal(parse(common, WEBLOG_COMMON, &r), 0);
    assert_int_equal(r.status, 404);
    assert_int_equal(parse(common, WEBLOG_AUTO, &r), 0);
    assert_int_equal(parse(common, WEBLOG_COMBINED, &r), -1);
    /* Junk request lines are requests (logged with a 400), not bad lines. */
    assert_int_equal(parse("192.0.2.4 - - [26/Nov/2026:09:15:02 +0000] "
                           "\"\\x16\\x03\\x01\\x00\\xF7\" 400 157 \"-\" \"-\"",
                           WEBLOG_AUTO, &r),
                     0);
    assert_string_equal(r.method, "");
    assert_string_equal(r.uri, "\\x16\\x03\\x01\\x00\\xF7");
    assert_int_equal(parse("192.0.2.4 - - [26/Nov/2026:09:15:02 +0000] \"-\" 408 0 \"-\" \"-\"",
                           WEBLOG_AUTO, &r),
                     0);
    assert_int_equal(r.status, 408);
}

static void test_bad_lines(void **state)
{
    (void)state;
    struct weblog_req r;
    static const char *const bad[] = {
        "",
        "garbage",
        "host.example - - [26/Nov/2026:09:15:02 +0000] \"GET / HTTP/1.1\" 200 1",
        "192.0.2.4 - - [26/Nov/2026:09:15:02] \"GET / HTTP/1.1\" 200 1",
        "192.0.2.4 - - [31/Foo/2026:09:15:02 +0000] \"GET / HTTP/1.1\" 200 1",
        "192.0.2.4 - - [26/Nov/2026:25:15:02 +0000] \"GET / HTTP/1.1\" 200 1",
        "192.0.2.4 - - [26/Nov/2026:09:15:02 +0000] \"GET / HTTP/1.1 200 1",
        "192.0.2.4 - - [26/Nov/2026:09:15:02 +0000] \"GET / HTTP/1.1\" 20 1",
        "192.0.2.4 - - [26/Nov/2026:09:15:02 +0000] \"GET / HTTP/1.1\" 200 x1",
        "192.0.2.4 - - [26/Nov/2026:09:15:02 +0000] \"GET / HTTP/1.1\" 200",
        "192.0.2.4 - - [26/Nov/1969:09:15:02 +0000] \"GET / HTTP/1.1\" 200 1",
        "192.0.2.4 - -",
    };
    for (size_t i = 0; i < ARRAY_SIZE(bad); i++) {
        if (parse(bad[i], WEBLOG_AUTO, &r) != -1) {
            print_error("accepted: %s\n", bad[i]);
            fail();
        }
    }
    /* Too long, and long fields cut. */
    size_t n = WEBLOG_MAX_LINE + 10;
    char *line = xmalloc(n + 1);
    int k = snprintf(line, n, "192.0.2.4 - - [26/Nov/2026:09:15:02 +0000] \"GET /");
    memset(line + k, 'a', n - (size_t)k);
    line[n] = '\0';
    assert_int_equal(weblog_parse_line(line, n, WEBLOG_AUTO, &r), -1);
    snprintf(line + 6000, n - 6000, " HTTP/1.1\" 200 5 \"-\" \"ua\"");
    assert_int_equal(weblog_parse_line(line, strlen(line), WEBLOG_AUTO, &r), 0);
    assert_int_equal(strlen(r.uri), sizeof(r.uri) - 1);
    free(line);
}

static unsigned nalerts;

static void on_alert(void *arg, const struct alert *a)
{
    (void)arg;
    if (strcmp(a->category, "web.attack") == 0 && !a->update)
        nalerts++;
}

static void test_feed(void **state)
{
    (void)state;
    struct detect_config cfg;
    detect_config_defaults(&cfg);
    struct detect *d = detect_new(&cfg, NULL, NULL, on_alert, NULL);
    struct weblog_feed *wf = weblog_feed_new(d, "shop.example.jp", NULL, 443);
    char line[256];
    struct weblog_req r;
    nalerts = 0;
    for (int i = 0; i < 25; i++) {
        snprintf(line, sizeof(line),
                 "203.0.113.50 - - [26/Nov/2026:04:%02d:%02d +0900] \"POST /wp-login.php "
                 "HTTP/1.1\" 200 4500 \"-\" \"Mozilla/5.0\"",
                 i / 60, i % 60);
        assert_int_equal(parse(line, WEBLOG_AUTO, &r), 0);
        weblog_feed_req(wf, &r);
    }
    detect_finish(d);
    assert_int_equal(nalerts, 1);
    weblog_feed_free(wf);
    detect_free(d);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_combined),
        cmocka_unit_test(test_common_and_auto),
        cmocka_unit_test(test_bad_lines),
        cmocka_unit_test(test_feed),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
