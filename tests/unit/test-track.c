/* test-track.c - the detectors' building blocks: the capped LRU table and
 * the distinct counter. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdlib.h>
#include <string.h>

#include "detect/track.h"
#include "util/util.h"

struct val {
    uint32_t n;
    uint64_t sum;
};

static unsigned dropped;
static uint32_t dropped_key;

static void on_drop(void *arg, const void *key, void *val)
{
    (void)arg;
    (void)val;
    dropped++;
    memcpy(&dropped_key, key, sizeof(dropped_key));
}

static void test_get_creates_zeroed(void **state)
{
    (void)state;
    struct track *t = track_new(sizeof(uint32_t), sizeof(struct val), 100);
    uint32_t k = 7;
    bool created = false;
    struct val *v = track_get(t, &k, 10, &created);
    assert_true(created);
    assert_int_equal(v->n, 0);
    v->n = 3;
    v = track_get(t, &k, 20, &created);
    assert_false(created);
    assert_int_equal(v->n, 3);
    assert_int_equal(track_count(t), 1);
    assert_int_equal(track_last_us(t, &k), 20);
    uint32_t other = 8;
    assert_null(track_find(t, &other));
    assert_non_null(track_find(t, &k));
    track_del(t, &k);
    assert_null(track_find(t, &k));
    assert_int_equal(track_count(t), 0);
    track_free(t);
}

static void test_cap_evicts_least_recent(void **state)
{
    (void)state;
    struct track *t = track_new(sizeof(uint32_t), sizeof(struct val), 4);
    dropped = 0;
    track_set_drop(t, on_drop, NULL);
    for (uint32_t k = 1; k <= 4; k++)
        track_get(t, &k, k, NULL);
    uint32_t one = 1;
    track_get(t, &one, 10, NULL); /* 1 is now the most recent; 2 the stalest */
    uint32_t five = 5;
    track_get(t, &five, 11, NULL);
    assert_int_equal(dropped, 1);
    assert_int_equal(dropped_key, 2);
    assert_int_equal(track_count(t), 4);
    assert_non_null(track_find(t, &one));
    track_free(t); /* the drop callback sees the remaining 4 */
    assert_int_equal(dropped, 5);
}

static void test_expire_and_grow(void **state)
{
    (void)state;
    struct track *t = track_new(sizeof(uint32_t), sizeof(struct val), 100000);
    for (uint32_t k = 0; k < 5000; k++) {
        struct val *v = track_get(t, &k, 1000 + k, NULL);
        v->n = k;
    }
    for (uint32_t k = 0; k < 5000; k += 7) {
        struct val *v = track_find(t, &k);
        assert_non_null(v);
        assert_int_equal(v->n, k);
    }
    dropped = 0;
    track_expire(t, 1000 + 2500, on_drop, NULL);
    assert_int_equal(dropped, 2500);
    assert_int_equal(track_count(t), 2500);
    uint32_t k = 2499, k2 = 2500;
    assert_null(track_find(t, &k));
    assert_non_null(track_find(t, &k2));
    track_free(t);
}

static void test_dcount(void **state)
{
    (void)state;
    struct dcount c;
    memset(&c, 0, sizeof(c));
    for (int round = 0; round < 3; round++)
        for (uint64_t v = 0; v < DCOUNT_EXACT; v++)
            dcount_add(&c, v);
    assert_int_equal(dcount_get(&c), DCOUNT_EXACT);
    /* Above the exact range: within 30% for a range of sizes, and values
     * added again do not count twice. */
    static const uint32_t sizes[] = {20, 60, 200, 1000, 10000};
    for (size_t i = 0; i < ARRAY_SIZE(sizes); i++) {
        memset(&c, 0, sizeof(c));
        for (int round = 0; round < 2; round++)
            for (uint64_t v = 0; v < sizes[i]; v++)
                dcount_add(&c, v * 2654435761u + 17);
        uint32_t est = dcount_get(&c);
        assert_true(est >= sizes[i] * 0.7);
        assert_true(est <= sizes[i] * 1.3);
    }
    /* Hashed addresses and names. */
    struct ip_addr a, b;
    memset(&a, 0, sizeof(a));
    memset(&b, 0, sizeof(b));
    b.b[15] = 1;
    assert_true(track_hash_ip(&a) != track_hash_ip(&b));
    assert_true(track_hash_str("evil.example") != track_hash_str("evil.example."));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_get_creates_zeroed),
        cmocka_unit_test(test_cap_evicts_least_recent),
        cmocka_unit_test(test_expire_and_grow),
        cmocka_unit_test(test_dcount),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
