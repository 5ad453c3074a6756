/* test-rd.c - the bounds-checked reader every decoder stands on. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "util/rd.h"
#include "util/util.h"

static void test_reads_big_endian(void **state)
{
    (void)state;
    const uint8_t b[] = {0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07};
    struct rd r;
    rd_init(&r, b, sizeof(b));
    assert_int_equal(rd_u8(&r), 0x01);
    assert_int_equal(rd_be16(&r), 0x0203);
    assert_int_equal(rd_be32(&r), 0x04050607u);
    assert_true(rd_ok(&r));
    assert_int_equal(rd_left(&r), 0);
}

/* Pins the off-by-one at the very end: a 4-byte read with exactly 4 bytes
 * left succeeds, with 3 left it fails and returns 0. */
static void test_exact_end_and_one_short(void **state)
{
    (void)state;
    const uint8_t b[] = {0xde, 0xad, 0xbe, 0xef};
    struct rd r;
    rd_init(&r, b, 4);
    assert_int_equal(rd_be32(&r), 0xdeadbeefu);
    assert_true(rd_ok(&r));
    rd_init(&r, b, 3);
    assert_int_equal(rd_be32(&r), 0);
    assert_false(rd_ok(&r));
}

/* Once an error happened every later read fails too (sticky), even one
 * that would fit: a decoder tests rd_ok() once after a whole header. */
static void test_error_is_sticky(void **state)
{
    (void)state;
    const uint8_t b[] = {1, 2};
    struct rd r;
    rd_init(&r, b, 2);
    rd_skip(&r, 3);
    assert_false(rd_ok(&r));
    assert_int_equal(rd_u8(&r), 0);
    assert_false(rd_ok(&r));
}

/* A huge skip must not wrap the offset (need <= len - off, never
 * off + need <= len). */
static void test_no_wraparound(void **state)
{
    (void)state;
    const uint8_t b[8] = {0};
    struct rd r;
    rd_init(&r, b, 8);
    rd_skip(&r, 4);
    rd_skip(&r, UINT32_MAX - 2);
    assert_false(rd_ok(&r));
    assert_int_equal(r.off, 4);
}

/* A length field opens a sub-reader of min(declared, left) bytes. */
static void test_sub_reader_truncates(void **state)
{
    (void)state;
    const uint8_t b[] = {0xaa, 0xbb, 0xcc};
    struct rd r, sub;
    rd_init(&r, b, 3);
    rd_skip(&r, 1);
    assert_false(rd_sub(&r, 10, &sub)); /* declared 10, only 2 there */
    assert_int_equal(sub.len, 2);
    assert_int_equal(rd_be16(&sub), 0xbbcc);
    assert_true(rd_ok(&r));
    assert_int_equal(rd_left(&r), 0);
    rd_init(&r, b, 3);
    assert_true(rd_sub(&r, 2, &sub));
    assert_int_equal(sub.len, 2);
    assert_int_equal(rd_u8(&r), 0xcc);
}

static void test_bytes_zero_fills_on_short_read(void **state)
{
    (void)state;
    const uint8_t b[] = {1, 2, 3};
    uint8_t out[6];
    memset(out, 0x55, sizeof(out));
    struct rd r;
    rd_init(&r, b, 3);
    rd_bytes(&r, out, 6);
    assert_false(rd_ok(&r));
    for (int i = 0; i < 6; i++)
        assert_int_equal(out[i], 0);
}

static void test_little_endian(void **state)
{
    (void)state;
    const uint8_t b[] = {0x01, 0x02, 0x03, 0x04, 0x05, 0x06};
    struct rd r;
    rd_init(&r, b, sizeof(b));
    assert_int_equal(rd_le16(&r), 0x0201);
    assert_int_equal(rd_le32(&r), 0x06050403u);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_reads_big_endian),
        cmocka_unit_test(test_exact_end_and_one_short),
        cmocka_unit_test(test_error_is_sticky),
        cmocka_unit_test(test_no_wraparound),
        cmocka_unit_test(test_sub_reader_truncates),
        cmocka_unit_test(test_bytes_zero_fills_on_short_read),
        cmocka_unit_test(test_little_endian),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
