/* test-app-util.c - app_json_str: wire bytes become JSON text, printable
 * ASCII and valid UTF-8 kept as they are, every other byte as "\xNN". */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app/app.h"
#include "util/util.h"

static void check_str(const char *in, size_t len, size_t max, const char *want)
{
    json_t *j = app_json_str((const uint8_t *)in, len, max);
    assert_non_null(j);
    assert_string_equal(json_string_value(j), want);
    assert_int_equal(json_string_length(j), strlen(want));
    json_decref(j);
}

/* The printable run is copied 16 bytes at a time, then byte by byte: each
 * kind of byte at every position of strings up to 56 bytes long lands in
 * every lane and in the tail, and a second one 17 bytes further on checks
 * the run picks up again after it. */
static void test_every_position(void **state)
{
    (void)state;
    static const struct {
        const char *in, *out;
    } piece[] = {
        {"\x00", "\\x00"},
        {"\x01", "\\x01"},
        {"\x1f", "\\x1f"},
        {" ", " "},
        {"~", "~"},
        {"\x7f", "\\x7f"},
        {"\x80", "\\x80"},
        {"\xff", "\\xff"},
        {"\xc3", "\\xc3"},
        /* a lead byte followed by 'a': not UTF-8 */ {"\xc3\xa9", "\xc3\xa9"},
        {"\xe3\x81\x82", "\xe3\x81\x82"},
    };
    char in[64], want[128];
    for (size_t len = 1; len <= 56; len++) {
        for (size_t p = 0; p < ARRAY_SIZE(piece); p++) {
            size_t pl = piece[p].in[0] ? strlen(piece[p].in) : 1;
            for (size_t pos = 0; pos + pl <= len; pos++) {
                memset(in, 'a', len);
                memcpy(in + pos, piece[p].in, pl);
                bool second = pos + 17 + pl <= len;
                if (second)
                    memcpy(in + pos + 17, piece[p].in, pl);
                size_t o = 0;
                for (size_t i = 0; i < len;) {
                    if (i == pos || (second && i == pos + 17)) {
                        size_t n = strlen(piece[p].out);
                        memcpy(want + o, piece[p].out, n);
                        o += n;
                        i += pl;
                    } else {
                        want[o++] = 'a';
                        i++;
                    }
                }
                want[o] = '\0';
                check_str(in, len, SIZE_MAX / 8, want);
            }
        }
    }
}

static void test_limits(void **state)
{
    (void)state;
    check_str("", 0, 16, "");
    /* Cut at max bytes; a sequence cut in two is no longer UTF-8. */
    check_str("abcdefgh", 8, 5, "abcde");
    check_str("ab\xc3\xa9", 4, 3, "ab\\xc3");
    /* Longer than the stack buffer: the heap one. */
    char big[1000];
    memset(big, 'x', sizeof(big));
    big[999] = '\x01';
    json_t *j = app_json_str((const uint8_t *)big, sizeof(big), sizeof(big));
    assert_int_equal(json_string_length(j), 999 + 4);
    assert_memory_equal(json_string_value(j), big, 999);
    assert_string_equal(json_string_value(j) + 999, "\\x01");
    json_decref(j);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_every_position),
        cmocka_unit_test(test_limits),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
