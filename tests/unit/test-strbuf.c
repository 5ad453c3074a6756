/* test-strbuf.c - the growable string and HTML escaping every page and
 * message is built with, and the GeoIP wrapper without a database. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdlib.h>
#include <string.h>

#include "util/geoip.h"
#include "util/strbuf.h"
#include "util/util.h"

static void test_list_add(void **state)
{
    (void)state;
    struct strbuf sb = STRBUF_INIT;
    sb_list_add(&sb, "scan.min_ports");
    assert_string_equal(sb_str(&sb), "scan.min_ports");
    sb_list_add(&sb, "net.home");
    assert_string_equal(sb_str(&sb), "scan.min_ports, net.home");
    sb_free(&sb);
}

static void test_append_and_grow(void **state)
{
    (void)state;
    struct strbuf sb = STRBUF_INIT;
    assert_string_equal(sb_str(&sb), "");
    for (int i = 0; i < 1000; i++)
        sb_printf(&sb, "%d,", i);
    assert_int_equal(sb.len, strlen(sb.s));
    assert_non_null(strstr(sb.s, ",999,"));
    /* A single append longer than the formatting scratch buffer. */
    char big[1000];
    memset(big, 'x', sizeof(big) - 1);
    big[sizeof(big) - 1] = '\0';
    sb_reset(&sb);
    sb_printf(&sb, "<%s>", big);
    assert_int_equal(sb.len, 1001);
    assert_int_equal(sb.s[0], '<');
    assert_int_equal(sb.s[1000], '>');
    char *s = sb_detach(&sb);
    assert_null(sb.s);
    free(s);
    sb_free(&sb);
}

static void test_html_escape(void **state)
{
    (void)state;
    struct strbuf sb = STRBUF_INIT;
    sb_html(&sb, "<script>alert('x\")</script> & 経理-PC");
    assert_string_equal(sb_str(&sb),
                        "&lt;script&gt;alert(&#39;x&quot;)&lt;/script&gt; &amp; 経理-PC");
    sb_html(&sb, NULL);
    sb_putc(&sb, '!');
    assert_int_equal(sb.s[sb.len - 1], '!');
    sb_free(&sb);
}

static void test_geoip_missing(void **state)
{
    (void)state;
    const char *why = NULL;
    assert_null(geoip_open("/nonexistent/country.mmdb", &why));
    assert_non_null(why);
    char cc[3];
    assert_int_equal(geoip_country(NULL, "192.0.2.1", cc), -1);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_append_and_grow),
        cmocka_unit_test(test_list_add),
        cmocka_unit_test(test_html_escape),
        cmocka_unit_test(test_geoip_missing),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
