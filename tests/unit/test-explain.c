/* test-explain.c - alert texts: lookup, placeholders, escapes, truncation,
 * and the table's completeness. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "detect/explain.h"
#include "util/netaddr.h"
#include "util/util.h"

/* 2026-11-26 09:15:00 UTC and 2026-11-27 18:40:00 UTC */
#define T_FIRST (1795684500ull * 1000000u)
#define T_LAST ((1795684500ull + 33 * 3600 + 25 * 60) * 1000000u)

static void make_alert(struct alert *a, const char *category)
{
    static const uint8_t mac[6] = {0xf8, 0xbc, 0x12, 0x8b, 0x7c, 0x36};
    alert_init(a, category, SEV_MEDIUM, T_FIRST);
    a->last_ts_us = T_LAST;
    a->count = 7;
    a->has_mac = true;
    memcpy(a->mac, mac, 6);
    a->has_src = true;
    assert_int_equal(ip_addr_parse("192.168.1.23", &a->src), 0);
    a->has_dst = true;
    assert_int_equal(ip_addr_parse("fe80::1", &a->dst), 0);
    snprintf(a->device, sizeof(a->device), "%s", "総務PC01");
}

/* Strict UTF-8 check (no overlongs, no surrogates). */
static bool valid_utf8(const char *s)
{
    const unsigned char *p = (const unsigned char *)s;
    while (*p) {
        unsigned n;
        uint32_t c;
        if (*p < 0x80) {
            p++;
            continue;
        } else if ((*p & 0xe0) == 0xc0) {
            n = 1;
            c = *p & 0x1f;
        } else if ((*p & 0xf0) == 0xe0) {
            n = 2;
            c = *p & 0x0f;
        } else if ((*p & 0xf8) == 0xf0) {
            n = 3;
            c = *p & 0x07;
        } else {
            return false;
        }
        p++;
        for (unsigned i = 0; i < n; i++, p++) {
            if ((*p & 0xc0) != 0x80)
                return false;
            c = (c << 6) | (*p & 0x3f);
        }
        if ((n == 1 && c < 0x80) || (n == 2 && c < 0x800) || (n == 3 && c < 0x10000) ||
            (c >= 0xd800 && c <= 0xdfff) || c > 0x10ffff)
            return false;
    }
    return true;
}

static void test_find(void **state)
{
    (void)state;
    const struct alert_text *t = explain_find("device.legacy_os", "os");
    assert_non_null(t);
    assert_string_equal(t->id, "device.legacy_os/os");
    t = explain_find("device.legacy_os", NULL);
    assert_string_equal(t->id, "device.legacy_os");
    t = explain_find("device.legacy_os", "");
    assert_string_equal(t->id, "device.legacy_os");
    /* Unknown variant falls back to the category. */
    t = explain_find("device.legacy_os", "nonesuch");
    assert_string_equal(t->id, "device.legacy_os");
    /* A category that is a prefix of another must not match it. */
    assert_null(explain_find("device", NULL));
    assert_null(explain_find("device.new_", NULL));
    assert_null(explain_find("no.such", "x"));
    assert_null(explain_find(NULL, NULL));
    /* "device.new" must not pick "device.new_service". */
    t = explain_find("device.new", "remote");
    assert_string_equal(t->id, "device.new");
}

static void test_placeholders(void **state)
{
    (void)state;
    struct alert a;
    char out[512];
    make_alert(&a, "x.test");
    alert_fact_str(&a, "name", "printer");
    alert_fact_int(&a, "port", 3389);
    alert_fact_int(&a, "neg", -5);
    json_object_set_new(a.facts, "flag", json_true());

    explain_format("{name}:{port}:{neg}:{missing}:{flag}", &a, LANG_EN, out, sizeof(out));
    assert_string_equal(out, "printer:3389:-5:?:?");
    explain_format("{src} {dst} {device} {mac} {count}", &a, LANG_EN, out, sizeof(out));
    assert_string_equal(out, "192.168.1.23 fe80::1 総務PC01 f8:bc:12:8b:7c:36 7");
    explain_format("{first} / {last}", &a, LANG_EN, out, sizeof(out));
    assert_string_equal(out, "2026-11-26 09:15 UTC / 2026-11-27 18:40 UTC");
    explain_format("{first}", &a, LANG_JA, out, sizeof(out));
    assert_string_equal(out, "2026年11月26日 09:15 (UTC)");

    /* Built-ins win over facts of the same name. */
    alert_fact_str(&a, "mac", "not-this");
    explain_format("{mac}", &a, LANG_EN, out, sizeof(out));
    assert_string_equal(out, "f8:bc:12:8b:7c:36");

    /* {device}: name, else MAC, else source address, else "?". */
    a.device[0] = '\0';
    explain_format("{device}", &a, LANG_EN, out, sizeof(out));
    assert_string_equal(out, "f8:bc:12:8b:7c:36");
    a.has_mac = false;
    explain_format("{device}|{mac}", &a, LANG_EN, out, sizeof(out));
    assert_string_equal(out, "192.168.1.23|?");
    a.has_src = a.has_dst = false;
    explain_format("{device}|{src}|{dst}", &a, LANG_EN, out, sizeof(out));
    assert_string_equal(out, "?|?|?");
    /* No time at all. */
    a.ts_us = a.last_ts_us = 0;
    explain_format("{first}|{last}", &a, LANG_EN, out, sizeof(out));
    assert_string_equal(out, "?|?");
    alert_release(&a);
}

static void test_escapes_and_odd_braces(void **state)
{
    (void)state;
    struct alert a;
    char out[256];
    make_alert(&a, "x.test");
    alert_fact_str(&a, "n", "v");
    explain_format("{{n}} {{{n}}} }}{{", &a, LANG_EN, out, sizeof(out));
    assert_string_equal(out, "{n} {v} }{");
    /* Not placeholders: kept as written, never read past the end. */
    explain_format("{ n} {N} {n-1} {} {n", &a, LANG_EN, out, sizeof(out));
    assert_string_equal(out, "{ n} {N} {n-1} {} {n");
    explain_format("}", &a, LANG_EN, out, sizeof(out));
    assert_string_equal(out, "}");
    explain_format("{", &a, LANG_EN, out, sizeof(out));
    assert_string_equal(out, "{");
    /* A name longer than the limit (32) is not a placeholder. */
    explain_format("{aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa}", &a, LANG_EN, out, sizeof(out));
    assert_string_equal(out, "{aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa}");
    explain_format(NULL, &a, LANG_EN, out, sizeof(out));
    assert_string_equal(out, "");
    alert_release(&a);
}

static void test_optional_groups(void **state)
{
    (void)state;
    struct alert a;
    char out[256];
    make_alert(&a, "x.test");
    alert_fact_str(&a, "n", "v");
    /* Kept when every placeholder has a value, dropped otherwise. */
    explain_format("A[[ n={n}]][[ m={m}]][[ n={n} m={m}]]B", &a, LANG_EN, out, sizeof(out));
    assert_string_equal(out, "A n=vB");
    /* Built-ins count too; a group without placeholders is always kept. */
    explain_format("[[{mac}]]|[[{src}]]|[[plain]]", &a, LANG_EN, out, sizeof(out));
    assert_string_equal(out, "f8:bc:12:8b:7c:36|192.168.1.23|plain");
    a.has_mac = a.has_src = false;
    explain_format("[[{mac}]]|[[{src}]]|[[{count}]]", &a, LANG_EN, out, sizeof(out));
    assert_string_equal(out, "||7");
    /* No nesting: an inner "[[" is text; the first "]]" closes. */
    explain_format("[[a[[{n}]]b]]", &a, LANG_EN, out, sizeof(out));
    assert_string_equal(out, "a[[vb]]");
    /* Unclosed or stray brackets are text. */
    explain_format("x[[{m} y", &a, LANG_EN, out, sizeof(out));
    assert_string_equal(out, "x[[? y");
    explain_format("]] [a] [", &a, LANG_EN, out, sizeof(out));
    assert_string_equal(out, "]] [a] [");
    /* A dropped group that had filled the buffer does not end the text:
     * what follows still comes (pins the rollback of the full flag). */
    explain_format("ab[[cdefgh{m}]]XY", &a, LANG_EN, out, 6);
    assert_string_equal(out, "abXY");
    /* A kept group cut by the buffer is cut like any text. */
    explain_format("ab[[cdefgh{n}]]XY", &a, LANG_EN, out, 6);
    assert_string_equal(out, "abcde");
    alert_release(&a);
}

/* Every buffer size from 1 up: the output is a prefix of the full text,
 * never longer than the buffer allows, and valid UTF-8 (a 3-byte character
 * is never cut in the middle). */
static void test_truncation(void **state)
{
    (void)state;
    struct alert a;
    char full[1024], small[1024];
    make_alert(&a, "device.new");
    alert_fact_str(&a, "vendor", "ブラザー工業");
    explain_render(&a, EXPLAIN_TEXT, LANG_JA, full, sizeof(full));
    size_t flen = strlen(full);
    assert_true(flen > 100 && flen < sizeof(full) - 1);
    for (size_t n = 1; n <= flen + 2; n++) {
        memset(small, 'X', sizeof(small));
        explain_render(&a, EXPLAIN_TEXT, LANG_JA, small, n);
        size_t l = strlen(small);
        assert_true(l < n);
        assert_memory_equal(small, full, l);
        assert_true(valid_utf8(small));
        /* Only the buffer given is written. */
        assert_int_equal(small[n], 'X');
        /* Cut only as much as needed: at most one character (3 bytes in
         * Japanese) short of the room there was. */
        if (n <= flen)
            assert_true(l + 4 > n - 1);
        else
            assert_int_equal(l, flen);
    }
    /* Pins the off-by-one at the exact size: flen + 1 bytes holds it all. */
    explain_render(&a, EXPLAIN_TEXT, LANG_JA, small, flen + 1);
    assert_string_equal(small, full);
    explain_render(&a, EXPLAIN_TEXT, LANG_JA, small, flen);
    assert_true(strlen(small) < flen);
    /* A cut inside a placeholder's value, too: "総" is 3 bytes. */
    explain_format("ab{device}", &a, LANG_EN, small, 5);
    assert_string_equal(small, "ab");
    explain_format("ab{device}", &a, LANG_EN, small, 6);
    assert_string_equal(small, "ab総");
    /* Size 0 leaves the buffer alone. */
    small[0] = 'Z';
    explain_render(&a, EXPLAIN_TEXT, LANG_JA, small, 0);
    assert_int_equal(small[0], 'Z');
    alert_release(&a);
}

static void test_render_entries(void **state)
{
    (void)state;
    struct alert a;
    char out[1024];

    /* Unknown category: its name. */
    make_alert(&a, "x.unknown");
    explain_render(&a, EXPLAIN_TITLE, LANG_JA, out, sizeof(out));
    assert_string_equal(out, "x.unknown");
    alert_release(&a);

    /* Variant picks the entry; facts fill it; missing ones become "?". */
    make_alert(&a, "device.new_service");
    alert_fact_str(&a, "variant", "remote");
    alert_fact_str(&a, "service", "RDP");
    alert_fact_int(&a, "port", 3389);
    alert_fact_str(&a, "proto", "TCP");
    explain_render(&a, EXPLAIN_TEXT, LANG_EN, out, sizeof(out));
    assert_non_null(strstr(out, "remote-control connections over RDP (port 3389/TCP)"));
    /* The address is unknown: its optional group is left out. */
    assert_string_equal(out, "総務PC01 started accepting remote-control connections over RDP "
                             "(port 3389/TCP), which it had not done before. Remote access is "
                             "how attackers hop from one infected PC to the next and how "
                             "ransomware gangs get in, so a device that suddenly allows it may "
                             "have been set up by someone else.");
    alert_fact_str(&a, "ip", "192.168.1.23");
    explain_render(&a, EXPLAIN_TEXT, LANG_JA, out, sizeof(out));
    assert_non_null(strstr(out, "総務PC01（IPアドレス 192.168.1.23）が、"));
    explain_render(&a, EXPLAIN_TITLE, LANG_JA, out, sizeof(out));
    assert_string_equal(out, "遠隔操作の受け付けが始まりました: 総務PC01（RDP）");
    alert_release(&a);

    /* An unknown variant uses the category's text. */
    make_alert(&a, "device.legacy_os");
    alert_fact_str(&a, "variant", "future");
    alert_fact_str(&a, "what", "Windows 7");
    explain_render(&a, EXPLAIN_TITLE, LANG_EN, out, sizeof(out));
    assert_string_equal(out, "Outdated software on 総務PC01: Windows 7");
    alert_release(&a);

    /* The approve command carries the MAC. */
    make_alert(&a, "device.new");
    explain_render(&a, EXPLAIN_ACTION, LANG_EN, out, sizeof(out));
    assert_non_null(strstr(out, "`mamori devices approve f8:bc:12:8b:7c:36 --name"));
    explain_render(&a, EXPLAIN_ACTION, LANG_JA, out, sizeof(out));
    assert_non_null(strstr(out, "`mamori devices approve f8:bc:12:8b:7c:36 --name"));
    alert_release(&a);
}

/* The facts each category's texts may use besides the built-ins: a copy of
 * the comments in explain-texts.c (which the detectors' tests check against
 * what the detectors really set). */
struct allowed {
    const char *category;
    const char *facts[8];
};

static const struct allowed allowed_facts[] = {
    {"device.new", {"vendor", "hostname", "os", "ip"}},
    {"device.ip_conflict", {"ip", "other_mac", "other_device"}},
    {"device.arp_spoof", {"ip", "other_mac", "other_device", "vendor", "per_min"}},
    {"device.returned", {"days", "last_seen", "vendor", "ip", "hostname"}},
    {"device.legacy_os", {"what", "evidence", "os", "ip"}},
    {"device.new_service", {"service", "port", "proto", "ip"}},
    {"intel.ip", {"list", "entry", "note", "indicator", "port"}},
    {"intel.domain", {"list", "entry", "note", "indicator"}},
    {"intel.url", {"list", "entry", "note", "indicator"}},
    {"intel.ja3", {"list", "entry", "note", "indicator"}},
    {"bruteforce",
     {"service", "attempts", "failures", "sessions", "users", "user_names", "seconds",
      "servers"}},
    {"spam.burst", {"servers", "sessions", "recipients", "window", "mx", "ports"}},
    {"scan.port", {"target", "ports", "nports", "method", "open", "sessions"}},
    {"scan.host", {"port", "hosts", "nhosts", "method", "open", "sessions"}},
    {"scan.sweep", {"nhosts", "hosts", "method"}},
    {"dos", {"target", "port", "rate", "window_s", "sources", "what"}},
    {"beacon", {"dest", "interval_s", "interval_min", "span_min", "conns", "score", "port", "ip"}},
    {"exfil.upload",
     {"dest", "mb_out", "mb_in", "ratio", "hours", "baseline_mb", "local_time", "ip"}},
    {"web.attack",
     {"site", "requests", "failures", "paths", "path", "statuses", "user_agent", "sources"}},
    {"cleartext", {"protocol", "user", "server", "port", "field"}},
    {"legacy.protocol", {"what", "server", "port", "detail"}},
    {"dns.tunnel", {"domain", "server", "names", "bytes", "seconds", "qtype", "sample", "ip"}},
    {"dns.dga", {"nx_names", "ok_names", "samples", "server", "domain", "shape", "via", "ip"}},
    {"lateral", {"target", "targets", "ntargets", "service", "share", "file", "pipe", "interface"}},
    {"remote_access", {"tool", "remote", "port", "direction"}},
    {"tor", {"tool", "remote", "flows"}},
    {"proxy", {"tool", "remote", "port", "target_host"}},
};

static const char *const builtins[] = {"src", "dst", "device", "mac", "count", "first", "last"};

static bool placeholder_ok(const char *id, const char *name, size_t n)
{
    for (size_t i = 0; i < ARRAY_SIZE(builtins); i++)
        if (strlen(builtins[i]) == n && memcmp(builtins[i], name, n) == 0)
            return true;
    size_t clen = strcspn(id, "/");
    for (size_t i = 0; i < ARRAY_SIZE(allowed_facts); i++) {
        const struct allowed *al = &allowed_facts[i];
        if (strlen(al->category) != clen || memcmp(al->category, id, clen) != 0)
            continue;
        for (size_t j = 0; j < ARRAY_SIZE(al->facts) && al->facts[j]; j++)
            if (strlen(al->facts[j]) == n && memcmp(al->facts[j], name, n) == 0)
                return true;
    }
    return false;
}

/* Every placeholder known; no lone brace (a typo like "{ip" would show);
 * optional groups closed, not nested, each with a placeholder in it. */
static void check_template(const char *id, const char *tpl)
{
    bool in_group = false, group_has_ph = false;
    for (const char *p = tpl; *p; p++) {
        if (p[0] == '[' && p[1] == '[') {
            if (in_group) {
                print_error("%s: nested group in \"%s\"\n", id, tpl);
                fail();
            }
            in_group = true;
            group_has_ph = false;
            p++;
            continue;
        }
        if (p[0] == ']' && p[1] == ']') {
            if (!in_group || !group_has_ph) {
                print_error("%s: stray or empty group in \"%s\"\n", id, tpl);
                fail();
            }
            in_group = false;
            p++;
            continue;
        }
        if (*p == '{' && p[1] != '{')
            group_has_ph = true;
        if ((p[0] == '{' && p[1] == '{') || (p[0] == '}' && p[1] == '}')) {
            p++;
            continue;
        }
        if (*p == '}') {
            print_error("%s: lone '}' in \"%s\"\n", id, tpl);
            fail();
        }
        if (*p != '{')
            continue;
        const char *end = strchr(p, '}');
        if (!end) {
            print_error("%s: unclosed '{' in \"%s\"\n", id, tpl);
            fail();
        }
        if (!placeholder_ok(id, p + 1, (size_t)(end - p - 1))) {
            print_error("%s: undocumented placeholder %.*s\n", id, (int)(end - p + 1), p);
            fail();
        }
        p = end;
    }
    if (in_group) {
        print_error("%s: unclosed group in \"%s\"\n", id, tpl);
        fail();
    }
}

static void test_table(void **state)
{
    (void)state;
    static const char *const required[] = {
        "device.new",          "device.new/randomized",   "device.ip_conflict",
        "device.arp_spoof",    "device.arp_spoof/gateway", "device.arp_spoof/storm",
        "device.returned",     "device.legacy_os",        "device.legacy_os/os",
        "device.new_service",  "device.new_service/remote", "device.new_service/share",
    };
    for (size_t i = 0; i < ARRAY_SIZE(required); i++) {
        bool found = false;
        const struct alert_text *t;
        for (size_t k = 0; (t = explain_entry(k)) != NULL; k++)
            found |= strcmp(t->id, required[i]) == 0;
        if (!found) {
            print_error("missing text %s\n", required[i]);
            fail();
        }
    }
    unsigned n = 0;
    const struct alert_text *t;
    for (; (t = explain_entry(n)) != NULL; n++) {
        const char *parts[6] = {t->title[0],   t->title[1],  t->explain[0],
                                t->explain[1], t->action[0], t->action[1]};
        for (int k = 0; k < 6; k++) {
            if (!parts[k] || !parts[k][0]) {
                print_error("%s: string %d empty\n", t->id, k);
                fail();
            }
            assert_true(valid_utf8(parts[k]));
            check_template(t->id, parts[k]);
            /* A literal '?' would look like a missing fact. */
            assert_null(strchr(parts[k], '?'));
        }
        /* Japanese strings are Japanese, English ones ASCII. */
        for (int k = 0; k < 6; k += 2) {
            for (const char *p = parts[k]; *p; p++)
                assert_true((unsigned char)*p < 0x80);
            assert_true(strlen(parts[k + 1]) > 0);
            bool has_multibyte = false;
            for (const char *p = parts[k + 1]; *p; p++)
                has_multibyte |= (unsigned char)*p >= 0x80;
            assert_true(has_multibyte);
        }
        /* Titles fit on one line of a list. */
        assert_true(strlen(t->title[0]) < 100);
        /* A variant's category has a plain entry to fall back to. */
        const char *slash = strchr(t->id, '/');
        if (slash) {
            char cat[64];
            snprintf(cat, sizeof(cat), "%.*s", (int)(slash - t->id), t->id);
            assert_non_null(explain_find(cat, NULL));
        }
        /* Ids are unique. */
        const struct alert_text *u;
        for (size_t k = n + 1; (u = explain_entry(k)) != NULL; k++)
            assert_string_not_equal(t->id, u->id);
    }
    assert_true(n >= ARRAY_SIZE(required));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_find),
        cmocka_unit_test(test_placeholders),
        cmocka_unit_test(test_escapes_and_odd_braces),
        cmocka_unit_test(test_optional_groups),
        cmocka_unit_test(test_truncation),
        cmocka_unit_test(test_render_entries),
        cmocka_unit_test(test_table),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
