/* test-app-dump.c - the fast compact JSON dump of event objects must give
 * exactly jansson's compact text, or step aside (-1) for jansson. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app/app-dump.h"
#include "util/util.h"

/* Dumps v both ways and checks the texts are equal; returns what
 * app_dump_compact returned. */
static int same_as_jansson(const json_t *v)
{
    struct app_dump_buf b = {0};
    int rc = app_dump_compact(&b, v);
    if (rc == 0) {
        char *ref = json_dumps(v, JSON_COMPACT | JSON_ENCODE_ANY);
        assert_non_null(ref);
        assert_string_equal(b.buf, ref);
        assert_int_equal(b.len, strlen(ref));
        free(ref);
    } else {
        assert_int_equal(b.len, 0);
        assert_string_equal(b.buf, "");
    }
    free(b.buf);
    return rc;
}

static void test_scalars(void **state)
{
    (void)state;
    json_t *vals[] = {
        json_null(),
        json_true(),
        json_false(),
        json_integer(0),
        json_integer(-1),
        json_integer(INT64_MAX),
        json_integer(INT64_MIN),
        json_integer(1234567),
        json_string(""),
        json_string("plain ascii / slash"),
        json_object(),
        json_array(),
    };
    for (size_t i = 0; i < ARRAY_SIZE(vals); i++) {
        assert_int_equal(same_as_jansson(vals[i]), 0);
        json_decref(vals[i]);
    }
}

static void test_escapes(void **state)
{
    (void)state;
    /* Every byte below 0x80, NUL included, in one string. */
    char all[128];
    for (int i = 0; i < 128; i++)
        all[i] = (char)i;
    json_t *s = json_stringn(all, sizeof(all));
    assert_non_null(s);
    assert_int_equal(same_as_jansson(s), 0);
    json_decref(s);

    json_t *o = json_object();
    json_object_set_new(o, "q\"uo\\te", json_string("tab\there\r\n\b\f\x01\x1f\x7f"));
    assert_int_equal(same_as_jansson(o), 0);
    json_decref(o);

    /* Strings are scanned 16 bytes at a time, then 8, then byte by byte:
     * every special byte (and the bytes around the class edges) at every
     * position of strings up to 56 bytes long, so each lands in every lane
     * of each width and in the tail; a quote 17 bytes further on checks the
     * scan picks up again after an escape. */
    static const unsigned char edge[] = {0x00, 0x01, 0x1f, 0x20, 0x21, '"',  0x23,
                                         0x5b, '\\', 0x5d, 0x7e, 0x7f, 0x80, 0xff};
    char str[57];
    for (size_t len = 1; len <= 56; len++) {
        for (size_t pos = 0; pos < len; pos++) {
            for (size_t e = 0; e < ARRAY_SIZE(edge); e++) {
                memset(str, 'a' + (int)(len % 26), len);
                str[pos] = (char)edge[e];
                if (pos + 17 < len)
                    str[pos + 17] = '"';
                json_t *v = json_stringn_nocheck(str, len);
                assert_non_null(v);
                /* >= 0x80 goes to jansson (-1); the rest must match it. */
                assert_int_equal(same_as_jansson(v), edge[e] >= 0x80 ? -1 : 0);
                json_decref(v);
            }
        }
    }
}

static void test_falls_back(void **state)
{
    (void)state;
    /* Non-ASCII text, reals and deep nesting are left to jansson. */
    json_t *o = json_pack("{s:s, s:i}", "name", "\xe6\x9d\xb1\xe4\xba\xac", "n", 1);
    assert_int_equal(same_as_jansson(o), -1);
    json_decref(o);
    o = json_pack("{s:i, s:f}", "n", 1, "r", 0.5);
    assert_int_equal(same_as_jansson(o), -1);
    json_decref(o);
    json_t *deep = json_integer(1);
    for (int i = 0; i < 40; i++) {
        json_t *a = json_array();
        json_array_append_new(a, deep);
        deep = a;
    }
    assert_int_equal(same_as_jansson(deep), -1);
    json_decref(deep);
    /* A non-ASCII key too. */
    o = json_object();
    json_object_set_new(o, "\xc3\xa9t\xc3\xa9", json_true());
    assert_int_equal(same_as_jansson(o), -1);
    json_decref(o);
}

/* app_dump_json gives jansson's text whichever path writes it, appended to
 * what the buffer held. */
static void test_dump_json_any(void **state)
{
    (void)state;
    json_t *vals[] = {
        json_pack("{s:s, s:i}", "name", "\xe6\x9d\xb1\xe4\xba\xac", "n", 1), /* jansson */
        json_pack("{s:i, s:f}", "n", 1, "r", 0.5),                          /* jansson */
        json_pack("{s:s, s:[i,b]}", "a", "x\"y", "l", 7, 1),                /* fast path */
    };
    for (size_t i = 0; i < sizeof(vals) / sizeof(vals[0]); i++) {
        struct app_dump_buf b = {0};
        assert_int_equal(app_dump_json(&b, json_true()), 0);
        assert_int_equal(app_dump_json(&b, vals[i]), 0);
        char *ref = json_dumps(vals[i], JSON_COMPACT | JSON_ENCODE_ANY);
        assert_non_null(ref);
        assert_int_equal(b.len, 4 + strlen(ref));
        assert_memory_equal(b.buf, "true", 4);
        assert_string_equal(b.buf + 4, ref);
        free(ref);
        free(b.buf);
        json_decref(vals[i]);
    }
}

static void test_appends_to_buffer(void **state)
{
    (void)state;
    /* The text goes after what the buffer holds; a failure leaves it as it was. */
    struct app_dump_buf b = {0};
    json_t *o = json_pack("{s:[i,s,b,n], s:{}}", "a", 1, "x", 1, "e");
    assert_int_equal(app_dump_compact(&b, o), 0);
    size_t first = b.len;
    assert_int_equal(app_dump_compact(&b, o), 0);
    assert_int_equal(b.len, 2 * first);
    assert_memory_equal(b.buf, b.buf + first, first);
    json_t *r = json_real(1.5);
    assert_int_equal(app_dump_compact(&b, r), -1);
    assert_int_equal(b.len, 2 * first);
    assert_int_equal(b.buf[b.len], '\0');
    json_decref(r);
    json_decref(o);
    free(b.buf);
}

/* A random tree of the kinds of values events hold, keys in insertion order. */
static uint64_t rng = 0x853c49e6748fea9bULL;
static uint32_t next_rand(void)
{
    rng = rng * 6364136223846793005ULL + 1442695040888963407ULL;
    return (uint32_t)(rng >> 33);
}

static json_t *random_value(int depth)
{
    unsigned k = next_rand() % (depth > 4 ? 5 : 7);
    char text[24];
    size_t n = next_rand() % sizeof(text);
    for (size_t i = 0; i < n; i++)
        text[i] = (char)(next_rand() % 128);
    switch (k) {
    case 0:
        return json_null();
    case 1:
        return json_boolean(next_rand() & 1);
    case 2:
        return json_integer((json_int_t)((uint64_t)next_rand() << 32 | next_rand()));
    case 3:
    case 4:
        return json_stringn(text, n);
    case 5: {
        json_t *a = json_array();
        for (unsigned i = next_rand() % 5; i > 0; i--)
            json_array_append_new(a, random_value(depth + 1));
        return a;
    }
    default: {
        json_t *o = json_object();
        for (unsigned i = next_rand() % 6; i > 0; i--) {
            char key[12];
            snprintf(key, sizeof(key), "k%u", next_rand() % 1000);
            json_object_set_new(o, key, random_value(depth + 1));
        }
        return o;
    }
    }
}

static void test_random_trees(void **state)
{
    (void)state;
    for (int i = 0; i < 3000; i++) {
        json_t *v = random_value(0);
        assert_int_equal(same_as_jansson(v), 0);
        json_decref(v);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_scalars),      cmocka_unit_test(test_escapes),
        cmocka_unit_test(test_falls_back),   cmocka_unit_test(test_appends_to_buffer),
        cmocka_unit_test(test_random_trees), cmocka_unit_test(test_dump_json_any),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
