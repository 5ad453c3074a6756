/* test-config.c - the settings file parser. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>

#include "util/config.h"
#include "util/util.h"

static int parse(struct mamori_config *c, const char *text)
{
    config_defaults(c);
    return config_parse_buffer(c, "test.conf", text, strlen(text), 1);
}

static void test_sections_and_comments(void **state)
{
    (void)state;
    struct mamori_config c;
    const char *text = "# comment\n"
                       "\n"
                       "[flow]\n"
                       "max_flows = 5000   # trailing comment\n"
                       "tcp.established_timeout=120\n"
                       "[sensor]\n"
                       "name = \"shop-1\"\n";
    assert_int_equal(parse(&c, text), 0);
    assert_int_equal(c.flow.max_flows, 5000);
    assert_int_equal(c.flow.idle_timeout_s[FTC_TCP_EST], 120);
    assert_string_equal(c.sensor_name, "shop-1");
}

static void test_unknown_key_is_an_error(void **state)
{
    (void)state;
    struct mamori_config c;
    assert_int_equal(parse(&c, "flow.max_flow = 10\n"), -1);
}

/* Range limits: 1024 is the smallest allowed max_flows, 1023 is refused. */
static void test_range_edges(void **state)
{
    (void)state;
    struct mamori_config c;
    assert_int_equal(parse(&c, "flow.max_flows = 1024"), 0);
    assert_int_equal(parse(&c, "flow.max_flows = 1023"), -1);
    assert_int_equal(parse(&c, "flow.max_flows = -5"), -1);
    assert_int_equal(parse(&c, "flow.max_flows = 99999999999999999999999"), -1);
    assert_int_equal(parse(&c, "flow.max_flows = 12abc"), -1);
    assert_int_equal(parse(&c, "flow.max_flows ="), -1);
}

static void test_bad_lines(void **state)
{
    (void)state;
    struct mamori_config c;
    assert_int_equal(parse(&c, "just words\n"), -1);
    assert_int_equal(parse(&c, "[unclosed\n"), -1);
    assert_int_equal(parse(&c, "[]\n"), -1);
    char nul[] = "a = 1\0b = 2";
    config_defaults(&c);
    assert_int_equal(config_parse_buffer(&c, "t", nul, sizeof(nul) - 1, 1), -1);
    /* A string value longer than the field. */
    char longname[200];
    memset(longname, 'x', sizeof(longname));
    memcpy(longname, "sensor.name=", 12);
    longname[sizeof(longname) - 1] = '\0';
    assert_int_equal(parse(&c, longname), -1);
}

/* The longest accepted line is MAX_CONFIG_LINE characters; one more fails. */
static void test_line_length_limit(void **state)
{
    (void)state;
    struct mamori_config c;
    static char buf[MAX_CONFIG_LINE + 2];
    memset(buf, ' ', sizeof(buf));
    memcpy(buf, "# ", 2);
    buf[MAX_CONFIG_LINE] = '\0';
    assert_int_equal(parse(&c, buf), 0);
    buf[MAX_CONFIG_LINE] = ' ';
    buf[MAX_CONFIG_LINE + 1] = '\0';
    assert_int_equal(parse(&c, buf), -1);
}

static void test_set(void **state)
{
    (void)state;
    struct mamori_config c;
    char err[128];
    config_defaults(&c);
    assert_int_equal(config_set(&c, "defrag.timeout", "15", err, sizeof(err)), 0);
    assert_int_equal(c.decode.defrag_timeout_s, 15);
    assert_int_equal(config_set(&c, "defrag.timeout", "0", err, sizeof(err)), -1);
    assert_non_null(strstr(err, "defrag.timeout"));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_sections_and_comments),
        cmocka_unit_test(test_unknown_key_is_an_error),
        cmocka_unit_test(test_range_edges),
        cmocka_unit_test(test_bad_lines),
        cmocka_unit_test(test_line_length_limit),
        cmocka_unit_test(test_set),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
