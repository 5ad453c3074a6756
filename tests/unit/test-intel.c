/* test-intel.c - threat-list loading (every format, detection, bad lines,
 * rejection), lookups (CIDR nesting, parent domains, URL normal form, JA3),
 * the list directory and file:// fetching. The public lists in
 * /work/shared/data/intel (MAMORI_INTEL_SAMPLES) are read when present. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "intel/intel.h"
#include "util/netaddr.h"
#include "util/util.h"

static int load(struct intel_db *db, const char *name, const char *text, enum intel_format f,
                struct intel_load_result *r)
{
    char err[256];
    struct intel_load_opts o;
    intel_load_opts_default(&o);
    o.format = f;
    return intel_db_add_list(db, name, text, strlen(text), &o, r, err, sizeof(err));
}

static bool ip_in(const struct intel_db *db, const char *ip, const char **entry)
{
    struct ip_addr a;
    struct intel_match m;
    assert_int_equal(ip_addr_parse(ip, &a), 0);
    bool r = intel_match_ip(db, &a, &m);
    static char buf[64];
    if (r && entry) {
        snprintf(buf, sizeof(buf), "%s", m.entry);
        *entry = buf;
    }
    return r;
}

static void test_detect_formats(void **state)
{
    (void)state;
    static const struct {
        const char *text;
        enum intel_format f;
    } cases[] = {
        {"1.2.3.4\n5.6.7.0/24\n", INTEL_FMT_IP},
        {"2001:db8::/32 \n", INTEL_FMT_IP},
        {"; Spamhaus DROP\n1.10.16.0/20 ; SBL256894\n", INTEL_FMT_DROP},
        {"1.10.16.0/20 ; SBL256894\n1.19.0.0/16 ; SBL434604\n", INTEL_FMT_DROP},
        {"# IPsum Threat Intelligence Feed\n1.2.3.4\t7\n", INTEL_FMT_IPSUM},
        {"1.2.3.4\t7\n1.2.3.5\t2\n", INTEL_FMT_IPSUM},
        {"0.0.0.0 ads.example\n127.0.0.1 localhost\n0.0.0.0 bad.example\n", INTEL_FMT_DOMAIN},
        {"evil.example\nbad.example.net\n", INTEL_FMT_DOMAIN},
        {"https://a.example/x\nhttp://b.example/\n", INTEL_FMT_URL},
        {"date,URL,description\n2025/05/01 10:54:00,https://a.example/x,JCB\n", INTEL_FMT_JPCERT},
        {"# abuse.ch URLhaus Database Dump (CSV)\n# id,dateadded,url,url_status\n",
         INTEL_FMT_URLHAUS},
        {"# Feodo Tracker\n# first_seen_utc,dst_ip,dst_port\n", INTEL_FMT_FEODO},
        {"# ja3_md5,Firstseen,Lastseen,Listingreason\n", INTEL_FMT_SSLBL},
        {"b386946a5a44d1ddcc843bc75336dfce\n", INTEL_FMT_JA3},
        {"hello world, this is prose\nnot a list at all!\n", INTEL_FMT_AUTO},
        {"", INTEL_FMT_AUTO},
    };
    for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
        enum intel_format f = intel_detect_format(cases[i].text, strlen(cases[i].text));
        if (f != cases[i].f)
            fail_msg("case %zu: %s, want %s", i, intel_format_name(f),
                     intel_format_name(cases[i].f));
    }
}

static void test_cidr_nesting(void **state)
{
    (void)state;
    struct intel_db *db = intel_db_new();
    struct intel_load_result r;
    assert_true(load(db, "a", "10.0.0.0/8\n10.1.0.0/16\n10.1.2.3\n11.0.0.0/8\n0.0.0.0/0\n",
                     INTEL_FMT_AUTO, &r) >= 0);
    assert_true(load(db, "b", "10.1.2.0/24\n2001:db8::/32\n2001:db8:1::/48\n",
                     INTEL_FMT_IP, &r) >= 0);
    const char *e;
    assert_true(ip_in(db, "10.1.2.3", &e));
    assert_string_equal(e, "10.1.2.3");
    assert_true(ip_in(db, "10.1.2.4", &e));
    assert_string_equal(e, "10.1.2.0/24");
    assert_true(ip_in(db, "10.1.3.1", &e));
    assert_string_equal(e, "10.1.0.0/16");
    assert_true(ip_in(db, "10.200.0.1", &e));
    assert_string_equal(e, "10.0.0.0/8");
    assert_true(ip_in(db, "12.0.0.1", &e));
    assert_string_equal(e, "0.0.0.0/0");
    assert_true(ip_in(db, "2001:db8:1::5", &e));
    assert_string_equal(e, "2001:db8:1::/48");
    assert_true(ip_in(db, "2001:db8:2::5", &e));
    assert_string_equal(e, "2001:db8::/32");
    assert_false(ip_in(db, "2001:db9::1", NULL));
    intel_db_free(db);

    /* Without the /0: gaps between blocks. */
    db = intel_db_new();
    assert_true(load(db, "a", "10.0.0.0/8\n10.1.0.0/16\n11.0.0.1\n", INTEL_FMT_IP, &r) >= 0);
    assert_false(ip_in(db, "9.255.255.255", NULL));
    assert_false(ip_in(db, "11.0.0.0", NULL));
    assert_false(ip_in(db, "11.0.0.2", NULL));
    assert_false(ip_in(db, "255.255.255.255", NULL));
    assert_true(ip_in(db, "10.255.255.255", NULL));
    intel_db_free(db);
}

static void test_domains(void **state)
{
    (void)state;
    struct intel_db *db = intel_db_new();
    struct intel_load_result r;
    assert_true(load(db, "h",
                     "# hosts\n127.0.0.1 localhost\n::1 ip6-localhost\n0.0.0.0 Evil.Example.\n"
                     "0.0.0.0 com\n0.0.0.0 co.jp\n*.bad.co.jp\n||ads.example.net^\n",
                     INTEL_FMT_AUTO, &r) >= 0);
    assert_int_equal(r.format, INTEL_FMT_DOMAIN);
    assert_int_equal(r.entries, 3);
    assert_int_equal(r.bad, 0);
    struct intel_match m;
    assert_true(intel_match_domain(db, "evil.example", &m));
    assert_true(intel_match_domain(db, "a.b.EVIL.example.", &m));
    assert_string_equal(m.entry, "evil.example");
    assert_false(intel_match_domain(db, "notevil.example", &m));
    assert_false(intel_match_domain(db, "evil.example.com", &m));
    assert_false(intel_match_domain(db, "www.google.com", &m)); /* "com" dropped */
    assert_false(intel_match_domain(db, "example.co.jp", &m));
    assert_true(intel_match_domain(db, "x.bad.co.jp", &m));
    assert_true(intel_match_domain(db, "x.ads.example.net", &m));
    intel_db_free(db);
}

static void test_urls(void **state)
{
    (void)state;
    char key[512], host[256];
    assert_int_equal(intel_norm_url("HTTPS://User@WWW.Example.COM.:443/a/b?x=1#frag", strlen("HTTPS://User@WWW.Example.COM.:443/a/b?x=1#frag"), key,
                                    sizeof(key), host, sizeof(host)), 0);
    assert_string_equal(key, "www.example.com/a/b?x=1");
    assert_string_equal(host, "www.example.com");
    assert_int_equal(intel_norm_url("http://a.example:8080", strlen("http://a.example:8080"), key, sizeof(key), host,
                                    sizeof(host)), 0);
    assert_string_equal(key, "a.example:8080/");
    assert_int_equal(intel_norm_url("http://a.example?q", strlen("http://a.example?q"), key, sizeof(key), host,
                                    sizeof(host)), 0);
    assert_string_equal(key, "a.example/?q");
    assert_int_equal(intel_norm_url("http:///x", strlen("http:///x"), key, sizeof(key), host, sizeof(host)), -1);
    assert_int_equal(intel_norm_url("http://a:99999/", strlen("http://a:99999/"), key, sizeof(key), host, sizeof(host)),
                     -1);

    struct intel_db *db = intel_db_new();
    struct intel_load_result r;
    assert_true(load(db, "jp",
                     "date,URL,description\n"
                     "2025/05/01 10:54:00,https://psulzk.ozmakhq.example/szdz,ETC利用照会サービス\n"
                     "2025/05/01 10:55:00,https://x.example/a,b/c,JCB\n"
                     "garbage line\n",
                     INTEL_FMT_AUTO, &r) >= 0);
    assert_int_equal(r.format, INTEL_FMT_JPCERT);
    assert_int_equal(r.entries, 2);
    assert_int_equal(r.bad, 1);
    assert_int_equal(r.first_bad, 4);
    struct intel_match m;
    assert_true(intel_match_url(db, "http://PSULZK.ozmakhq.example/szdz#x", &m));
    assert_string_equal(m.note, "ETC利用照会サービス");
    assert_true(intel_match_url(db, "https://x.example/a,b/c", &m));
    assert_string_equal(m.note, "JCB");
    assert_false(intel_match_url(db, "https://psulzk.ozmakhq.example/other", &m));
    assert_true(intel_match_url_host(db, "psulzk.ozmakhq.example", &m));
    assert_false(intel_match_url_host(db, "ozmakhq.example", &m));

    assert_true(load(db, "uh",
                     "################\n# abuse.ch URLhaus Database Dump (CSV)\n"
                     "# id,dateadded,url,url_status,last_online,threat,tags,urlhaus_link,reporter\n"
                     "\"3094617\",\"2024-08-01 10:00:00\",\"http://1.2.3.4:8080/bins/x.sh\","
                     "\"online\",\"2024-08-01\",\"malware_download\",\"elf,mozi\","
                     "\"https://urlhaus.abuse.ch/url/3094617/\",\"geenensp\"\n",
                     INTEL_FMT_AUTO, &r) >= 0);
    assert_int_equal(r.format, INTEL_FMT_URLHAUS);
    assert_true(intel_match_url(db, "http://1.2.3.4:8080/bins/x.sh", &m));
    assert_string_equal(m.note, "elf,mozi");
    intel_db_free(db);
}

static void test_feodo_ipsum_ja3(void **state)
{
    (void)state;
    struct intel_db *db = intel_db_new();
    struct intel_load_result r;
    assert_true(load(db, "feodo",
                     "# Feodo Tracker\n"
                     "\"first_seen_utc\",\"dst_ip\",\"dst_port\",\"c2_status\",\"last_online\","
                     "\"malware\"\n"
                     "\"2021-01-17 07:30:05\",\"46.101.230.194\",\"443\",\"offline\","
                     "\"2021-06-15\",\"Emotet\"\n",
                     INTEL_FMT_AUTO, &r) >= 0);
    assert_int_equal(r.format, INTEL_FMT_FEODO);
    struct ip_addr a;
    struct intel_match m;
    ip_addr_parse("46.101.230.194", &a);
    assert_true(intel_match_ip(db, &a, &m));
    assert_string_equal(m.note, "Emotet");
    assert_string_equal(m.list, "feodo");

    assert_true(load(db, "ipsum", "# IPsum\n1.1.1.1\t1\n2.2.2.2\t3\n3.3.3.3\t9\n", INTEL_FMT_AUTO,
                     &r) >= 0);
    assert_int_equal(r.entries, 2);
    assert_int_equal(r.skipped, 1);
    ip_addr_parse("1.1.1.1", &a);
    assert_false(intel_match_ip(db, &a, &m));
    ip_addr_parse("2.2.2.2", &a);
    assert_true(intel_match_ip(db, &a, &m));

    assert_true(load(db, "sslbl",
                     "# ja3_md5,Firstseen,Lastseen,Listingreason\n"
                     "b386946a5a44d1ddcc843bc75336dfce,2017-07-14 18:08:46,2019-07-27 20:42:54,"
                     "Dridex\n",
                     INTEL_FMT_AUTO, &r) >= 0);
    assert_true(intel_match_ja3(db, "B386946A5A44D1DDCC843BC75336DFCE", &m));
    assert_string_equal(m.note, "Dridex");
    assert_false(intel_match_ja3(db, "b386946a5a44d1ddcc843bc75336dfcf", &m));

    /* The same address on a second list: check names both. */
    assert_true(load(db, "mine", "46.101.230.0/24\n", INTEL_FMT_AUTO, &r) >= 0);
    assert_int_equal(intel_check(db, "46.101.230.194", NULL, NULL), 2);
    intel_db_free(db);
}

static unsigned nchecked;
static void count_cb(void *arg, const struct intel_match *m)
{
    (void)arg;
    (void)m;
    nchecked++;
}

static void test_check_and_reject(void **state)
{
    (void)state;
    struct intel_db *db = intel_db_new();
    struct intel_load_result r;
    char err[256];
    assert_true(load(db, "a", "46.101.230.194\nevil.example\n", INTEL_FMT_IP, &r) >= 0);
    assert_int_equal(r.bad, 1);
    assert_true(load(db, "b", "46.101.230.0/24\n", INTEL_FMT_IP, &r) >= 0);
    assert_true(load(db, "c", "evil.example\n", INTEL_FMT_DOMAIN, &r) >= 0);
    nchecked = 0;
    assert_int_equal(intel_check(db, "46.101.230.194", count_cb, NULL), 2);
    assert_int_equal(intel_check(db, "www.evil.example", count_cb, NULL), 1);
    assert_int_equal(intel_check(db, "http://www.evil.example/x", count_cb, NULL), 1);
    assert_int_equal(intel_check(db, "8.8.8.8", count_cb, NULL), 0);
    /* Mostly garbage: rejected, nothing added. */
    uint64_t before = intel_db_entries(db);
    const char *junk = "1.2.3.4\nfoo bar\nbaz qux\n!!!\n";
    struct intel_load_opts o = {INTEL_FMT_IP, 3};
    assert_int_equal(intel_db_add_list(db, "junk", junk, strlen(junk), &o, &r, err, sizeof(err)),
                     -1);
    assert_non_null(strstr(err, "mostly not in format ip"));
    assert_int_equal(intel_db_entries(db), before);
    o.format = INTEL_FMT_AUTO;
    const char *prose = "Dear customer,\nplease find attached\n";
    assert_int_equal(
        intel_db_add_list(db, "p", prose, strlen(prose), &o, &r, err, sizeof(err)), -1);
    assert_int_equal(intel_db_add_list(db, "e", "", 0, &o, &r, err, sizeof(err)), -1);
    intel_db_free(db);
}

static void test_store_and_fetch(void **state)
{
    (void)state;
    char dir[] = "/tmp/mamori-test-intel.XXXXXX";
    assert_non_null(mkdtemp(dir));
    char err[512], path[256], url[300];
    const char *text = "198.51.100.66\n";
    assert_int_equal(intel_store_put(dir, "c2", text, strlen(text), err, sizeof(err)), 0);
    struct intel_sources s = {0};
    s.v = xcalloc(1, sizeof(*s.v));
    s.n = 1;
    snprintf(s.v[0].name, sizeof(s.v[0].name), "c2");
    snprintf(s.v[0].origin, sizeof(s.v[0].origin), "file:///x");
    snprintf(s.v[0].format, sizeof(s.v[0].format), "ip");
    s.v[0].entries = 1;
    intel_sha256_hex(text, strlen(text), s.v[0].sha256);
    assert_int_equal(intel_sources_write(dir, &s, err, sizeof(err)), 0);
    intel_sources_free(&s);
    assert_int_equal(intel_sources_read(dir, &s, err, sizeof(err)), 0);
    assert_int_equal(s.n, 1);
    assert_string_equal(s.v[0].format, "ip");
    assert_int_equal(strlen(s.v[0].sha256), 64);
    intel_sources_free(&s);

    struct intel_db *db = intel_db_new();
    assert_int_equal(intel_store_load(db, dir, 3, true, err, sizeof(err)), 1);
    assert_int_equal(intel_db_entries(db), 1);
    intel_db_free(db);
    db = intel_db_new();
    assert_int_equal(intel_store_load(db, "/nonexistent/intel", 3, false, err, sizeof(err)), 0);
    assert_int_equal(intel_store_load(db, "/nonexistent/intel", 3, true, err, sizeof(err)), -1);
    intel_db_free(db);

    snprintf(path, sizeof(path), "%s/c2.list", dir);
    snprintf(url, sizeof(url), "file://%s", path);
    char *buf;
    size_t len;
    assert_int_equal(intel_fetch(url, 1 << 20, &buf, &len, err, sizeof(err)), 0);
    assert_int_equal(len, strlen(text));
    free(buf);
    assert_int_equal(intel_fetch(url, 4, &buf, &len, err, sizeof(err)), -1);
    snprintf(url, sizeof(url), "file://%s/missing.list", dir);
    assert_int_equal(intel_fetch(url, 1 << 20, &buf, &len, err, sizeof(err)), -1);
    assert_int_equal(intel_fetch("ftp://x/y", 1 << 20, &buf, &len, err, sizeof(err)), -1);

    unlink(path);
    snprintf(path, sizeof(path), "%s/sources.tsv", dir);
    unlink(path);
    rmdir(dir);
    assert_true(intel_name_ok("feodo-2026.v1"));
    assert_false(intel_name_ok("../x"));
    assert_false(intel_name_ok(".hidden"));
    assert_false(intel_name_ok(""));
}

/* The public lists, when this machine has them. */
static void test_samples(void **state)
{
    (void)state;
    const char *base = getenv("MAMORI_INTEL_SAMPLES");
    if (!base)
        base = "/work/shared/data/intel";
    static const struct {
        const char *file;
        enum intel_format f;
        uint64_t min_entries;
    } files[] = {
        {"spamhaus-drop/drop.txt", INTEL_FMT_IP, 1000},
        {"spamhaus-drop/drop_ipv6-2024-02.txt", INTEL_FMT_IP, 40},
        {"ipsum/ipsum.txt", INTEL_FMT_IPSUM, 10000},
        {"jpcert-phishurl-list/202505.csv", INTEL_FMT_JPCERT, 2000},
        {"openphish/feed.txt", INTEL_FMT_URL, 250},
    };
    unsigned found = 0;
    for (size_t i = 0; i < ARRAY_SIZE(files); i++) {
        char path[512], err[512];
        snprintf(path, sizeof(path), "%s/%s", base, files[i].file);
        char *buf;
        size_t len;
        if (access(path, R_OK) != 0)
            continue;
        found++;
        assert_int_equal(intel_read_file(path, INTEL_MAX_FILE, &buf, &len, err, sizeof(err)), 0);
        struct intel_db *db = intel_db_new();
        struct intel_load_result r;
        if (intel_db_add_list(db, "x", buf, len, NULL, &r, err, sizeof(err)) < 0)
            fail_msg("%s: %s", files[i].file, err);
        assert_int_equal(r.format, files[i].f);
        assert_true(r.entries >= files[i].min_entries);
        assert_true(r.bad * 100 <= r.lines);
        intel_db_free(db);
        free(buf);
    }
    if (!found)
        skip();
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_detect_formats),  cmocka_unit_test(test_cidr_nesting),
        cmocka_unit_test(test_domains),         cmocka_unit_test(test_urls),
        cmocka_unit_test(test_feodo_ipsum_ja3), cmocka_unit_test(test_check_and_reject),
        cmocka_unit_test(test_store_and_fetch), cmocka_unit_test(test_samples),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
