/* test-timearg.c - times people type (--since/--until) and the local clock
 * the reports and texts are written on: local by default, UTC with Z, days
 * and months that follow the zone (and its daylight-saving changes). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "util/util.h"

#define S 1000000ull
/* 2026-11-26T00:00:00Z */
#define D20261126 1795651200ull

static void zone(const char *tz)
{
    setenv("TZ", tz, 1);
    tzset();
}

static void test_parse_utc_and_local(void **state)
{
    (void)state;
    uint64_t t, now = (D20261126 + 12 * 3600) * S;
    zone("UTC");
    assert_int_equal(parse_time_arg("2026-11-26", now, &t), 0);
    assert_int_equal(t, D20261126 * S);
    zone("Asia/Tokyo");
    /* Typed on the local clock: midnight JST is 15:00 UTC the day before. */
    assert_int_equal(parse_time_arg("2026-11-26", now, &t), 0);
    assert_int_equal(t, (D20261126 - 9 * 3600) * S);
    assert_int_equal(parse_time_arg("2026-11-26T09:00", now, &t), 0);
    assert_int_equal(t, D20261126 * S);
    assert_int_equal(parse_time_arg("2026-11-26 09:00:30", now, &t), 0);
    assert_int_equal(t, (D20261126 + 30) * S);
    /* Z or " UTC": UTC whatever the zone. */
    assert_int_equal(parse_time_arg("2026-11-26T09:00Z", now, &t), 0);
    assert_int_equal(t, (D20261126 + 9 * 3600) * S);
    assert_int_equal(parse_time_arg("2026-11-26 09:00 UTC", now, &t), 0);
    assert_int_equal(t, (D20261126 + 9 * 3600) * S);
    assert_int_equal(parse_time_arg("2026-11-26 UTC", now, &t), 0);
    assert_int_equal(t, D20261126 * S);
    /* Ages and epoch seconds do not depend on the zone. */
    assert_int_equal(parse_time_arg("24h", now, &t), 0);
    assert_int_equal(t, now - 86400 * S);
    assert_int_equal(parse_time_arg("@1795651200", now, &t), 0);
    assert_int_equal(t, D20261126 * S);
    static const char *const bad[] = {"", "2026-13-01", "2026-11-26T25:00", "2026-11-26X",
                                      "2026-11-26 UTCX", "yesterday", "1969-12-31", "7x"};
    for (size_t i = 0; i < ARRAY_SIZE(bad); i++)
        assert_int_equal(parse_time_arg(bad[i], now, &t), -1);
    zone("UTC");
}

static void test_local_days_and_months(void **state)
{
    (void)state;
    zone("Asia/Tokyo");
    uint64_t noon = (D20261126 + 3 * 3600) * S; /* 12:00 JST */
    assert_int_equal(local_day_start(noon), (D20261126 - 9 * 3600) * S);
    assert_int_equal(local_add_days(noon, 1), noon + 86400 * S);
    assert_int_equal(local_add_days(noon, -7), noon - 7 * 86400 * S);
    assert_int_equal(local_month_start(2026, 11), (int64_t)1793458800); /* 2026-11-01 JST */
    char b[40];
    fmt_iso_local(b, sizeof(b), D20261126 * S);
    assert_string_equal(b, "2026-11-26T09:00:00+09:00");
    fmt_date_local(b, sizeof(b), (D20261126 + 15 * 3600) * S);
    assert_string_equal(b, "2026-11-27");
    fmt_zone_local(b, sizeof(b), D20261126 * S);
    assert_string_equal(b, "JST");
    /* A day across a daylight-saving change is 23 hours long. */
    zone("Europe/Berlin");
    uint64_t m = (uint64_t)local_month_start(2026, 3) * S;
    uint64_t mar29 = local_add_days(m, 28), mar30 = local_add_days(mar29, 1);
    assert_int_equal(mar30 - mar29, 23 * 3600 * S);
    fmt_iso_local(b, sizeof(b), mar30);
    assert_string_equal(b, "2026-03-30T00:00:00+02:00");
    zone("UTC");
    fmt_iso_local(b, sizeof(b), D20261126 * S);
    assert_string_equal(b, "2026-11-26T00:00:00Z");
    fmt_zone_local(b, sizeof(b), D20261126 * S);
    assert_string_equal(b, "UTC");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_parse_utc_and_local),
        cmocka_unit_test(test_local_days_and_months),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
