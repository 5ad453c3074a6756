/* test-config.c - the settings file parser, and the home-network sets its
 * settings name. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "decode/decode.h"
#include "util/config.h"
#include "util/netaddr.h"
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

/* Runs the parser with stderr captured into out (what a person sees). */
static int parse_loud(struct mamori_config *c, const char *text, char *out, size_t outlen)
{
    char path[] = "/tmp/mamori-test-config-XXXXXX";
    int fd = mkstemp(path);
    assert_true(fd >= 0);
    fflush(stderr);
    int saved = dup(2);
    dup2(fd, 2);
    config_defaults(c);
    int rc = config_parse_buffer(c, "t.conf", text, strlen(text), 0);
    fflush(stderr);
    dup2(saved, 2);
    close(saved);
    lseek(fd, 0, SEEK_SET);
    ssize_t n = read(fd, out, outlen - 1);
    out[n > 0 ? n : 0] = '\0';
    close(fd);
    unlink(path);
    return rc;
}

/* Every bad line is reported with its number, not only the first, and the
 * good lines between still apply. */
static void test_collects_every_error(void **state)
{
    (void)state;
    struct mamori_config c;
    char out[4096];
    const char *text = "flow.max_flows = 1\n"     /* 1: out of range */
                       "[store]\n"
                       "retention_days = 30\n"    /* 3: fine */
                       "retention_dayz = 30\n"    /* 4: unknown */
                       "just words\n"             /* 5: no '=' */
                       "[unclosed\n"              /* 6: bad section */
                       "[site]\n"
                       "lang = fr\n"              /* 8: bad value */
                       "company = Example\n";     /* 9: fine */
    assert_int_equal(parse_loud(&c, text, out, sizeof(out)), -1);
    assert_non_null(strstr(out, "t.conf:1: "));
    assert_null(strstr(out, "t.conf:3: "));
    assert_non_null(strstr(out, "t.conf:4: unknown setting 'store.retention_dayz'"));
    assert_non_null(strstr(out, "t.conf:5: expected 'key = value'"));
    assert_non_null(strstr(out, "t.conf:6: bad section header"));
    assert_non_null(strstr(out, "t.conf:8: 'site.lang' needs en or ja"));
    assert_null(strstr(out, "t.conf:9: "));
    assert_int_equal(c.retention_days, 30);
    assert_string_equal(c.company, "Example");
    /* One line per problem. */
    unsigned lines = 0;
    for (const char *p = out; (p = strchr(p, '\n')); p++)
        lines++;
    assert_int_equal(lines, 5);
}

static void test_service_keys(void **state)
{
    (void)state;
    struct mamori_config c;
    config_defaults(&c);
    assert_int_equal(c.retention_days, 90);
    assert_int_equal(c.alert_retention_days, 400);
    assert_int_equal(c.prune_batch, 2000);
    assert_string_equal(c.service_user, "mamori");
    assert_string_equal(config_store_path(&c, NULL), "mamori.db");
    const char *text = "[capture]\n"
                       "interface = eth0, eth1\n"
                       "[store]\n"
                       "path = /var/lib/mamori/mamori.db\n"
                       "retention_days = 30\n"
                       "alert_retention_days = 365\n"
                       "min_free_mb = 2048\n"
                       "prune_batch = 1000\n"
                       "[site]\n"
                       "lang = ja\n"
                       "[service]\n"
                       "user = sensor\n"
                       "checkpoint_interval = 30\n";
    assert_int_equal(parse(&c, text), 0);
    char names[CONFIG_MAX_INTERFACES][64];
    assert_int_equal(config_interfaces(&c, names, CONFIG_MAX_INTERFACES), 2);
    assert_string_equal(names[0], "eth0");
    assert_string_equal(names[1], "eth1");
    assert_string_equal(config_store_path(&c, NULL), "/var/lib/mamori/mamori.db");
    assert_string_equal(config_store_path(&c, "x.db"), "x.db");
    assert_int_equal(c.retention_days, 30);
    assert_int_equal(c.alert_retention_days, 365);
    assert_int_equal(c.min_free_mb, 2048);
    assert_int_equal(c.prune_batch, 1000);
    assert_string_equal(c.lang, "ja");
    assert_string_equal(c.service_user, "sensor");
    assert_int_equal(c.checkpoint_s, 30);
    /* Bad values. */
    assert_int_equal(parse(&c, "capture.interface = eth0,,eth1"), -1);
    assert_int_equal(parse(&c, "capture.interface = a/b"), -1);
    assert_int_equal(parse(&c, "capture.interface = averyveryverylongname0"), -1);
    assert_int_equal(parse(&c, "capture.interface = a,b,c,d,e,f,g,h,i"), -1);
    assert_int_equal(parse(&c, "store.retention_days = 0"), -1);
    assert_int_equal(parse(&c, "store.prune_batch = 10"), -1);
    assert_int_equal(parse(&c, "site.lang = english"), -1);
}

/* Bit i (from the left) of a 128-bit address. */
static int addr_bit(const struct ip_addr *a, unsigned i)
{
    return (a->b[i / 8] >> (7 - i % 8)) & 1;
}

/* netset_contains against the definition: the first `bits` bits agree. The
 * networks are written unmasked on purpose (host bits set), every prefix
 * length of both families, and addresses that differ from the network in
 * each single bit. */
static void test_netset_contains_every_prefix(void **state)
{
    (void)state;
    char err[128], spec[96];
    static const char *const bases[] = {"10.200.17.99", "2001:db8:aaaa:5555:1234:5678:9abc:def0"};
    for (int fam = 0; fam < 2; fam++) {
        unsigned maxbits = fam ? 128 : 32, off = fam ? 0 : 96;
        struct ip_addr base;
        assert_int_equal(ip_addr_parse(bases[fam], &base), 0);
        for (unsigned bits = 0; bits <= maxbits; bits++) {
            struct netset ns;
            snprintf(spec, sizeof(spec), "%s/%u", bases[fam], bits);
            assert_int_equal(netset_parse(&ns, spec, err, sizeof(err)), 0);
            assert_true(netset_contains(&ns, &base));
            for (unsigned flip = 0; flip < 128; flip++) {
                struct ip_addr a = base;
                a.b[flip / 8] ^= (uint8_t)(0x80 >> (flip % 8));
                bool want = true;
                for (unsigned i = 0; i < off + bits; i++)
                    if (addr_bit(&a, i) != addr_bit(&base, i))
                        want = false;
                if (netset_contains(&ns, &a) != want)
                    fail_msg("%s: bit %u flipped, want %d", spec, flip, want);
            }
        }
    }
    /* Several networks: any one that holds the address. */
    struct netset ns;
    struct ip_addr a;
    assert_int_equal(netset_parse(&ns, NETSET_DEFAULT_HOME, err, sizeof(err)), 0);
    static const struct {
        const char *ip;
        bool home;
    } cases[] = {
        {"10.1.2.3", true},      {"11.0.0.1", false},   {"172.31.255.255", true},
        {"172.32.0.1", false},   {"192.168.1.1", true}, {"192.169.0.1", false},
        {"169.254.9.9", true},   {"fd12::1", true},     {"fe80::1", true},
        {"fec0::1", false},      {"2001:db8::1", false}, {"::ffff:10.0.0.1", true},
    };
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        assert_int_equal(ip_addr_parse(cases[i].ip, &a), 0);
        if (netset_contains(&ns, &a) != cases[i].home)
            fail_msg("%s: want home=%d", cases[i].ip, cases[i].home);
    }
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
        cmocka_unit_test(test_collects_every_error),
        cmocka_unit_test(test_service_keys),
        cmocka_unit_test(test_netset_contains_every_prefix),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
