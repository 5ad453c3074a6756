/* timearg.c - times people type on the command line (--since, --until), and the
 * local clock for what people read. */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "util/util.h"

/* Days from 1970-01-01 to y-m-d (proleptic Gregorian), without timegm's
 * dependence on the TZ environment. */
static int64_t days_from_civil(int64_t y, unsigned m, unsigned d)
{
    y -= m <= 2;
    int64_t era = (y >= 0 ? y : y - 399) / 400;
    unsigned yoe = (unsigned)(y - era * 400);
    unsigned doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + (int64_t)doe - 719468;
}

int parse_time_arg(const char *s, uint64_t now_us, uint64_t *out_us)
{
    size_t n = strlen(s);
    if (n == 0 || n > 40)
        return -1;
    /* Relative: 90m, 24h, 7d, 2w (before now). */
    char unit = s[n - 1];
    if (n >= 2 && strchr("smhdw", unit)) {
        char num[24];
        if (n - 1 >= sizeof(num))
            return -1;
        memcpy(num, s, n - 1);
        num[n - 1] = '\0';
        uint64_t v;
        if (parse_u64(num, &v) < 0 || v > 100000)
            return -1;
        uint64_t mult = unit == 's' ? 1 : unit == 'm' ? 60 : unit == 'h' ? 3600
                      : unit == 'd' ? 86400 : 7 * 86400;
        uint64_t delta = v * mult * 1000000ull;
        *out_us = delta > now_us ? 0 : now_us - delta;
        return 0;
    }
    /* @epoch-seconds */
    if (s[0] == '@') {
        uint64_t v;
        if (parse_u64(s + 1, &v) < 0 || v > 253402300799ull)
            return -1;
        *out_us = v * 1000000ull;
        return 0;
    }
    /* YYYY-MM-DD[(T| )HH:MM[:SS]]: local time; with Z or " UTC": UTC. */
    unsigned y, mo, d, h = 0, mi = 0, se = 0;
    int used = 0;
    if (sscanf(s, "%4u-%2u-%2u%n", &y, &mo, &d, &used) != 3 || used != 10)
        return -1;
    const char *p = s + used;
    if ((*p == 'T' || *p == ' ') && strcmp(p, " UTC") != 0) {
        int u2 = 0;
        if (sscanf(p + 1, "%2u:%2u%n", &h, &mi, &u2) != 2 || u2 != 5)
            return -1;
        p += 1 + u2;
        if (*p == ':') {
            int u3 = 0;
            if (sscanf(p + 1, "%2u%n", &se, &u3) != 1 || u3 != 2)
                return -1;
            p += 1 + u3;
        }
    }
    bool utc = false;
    if (*p == 'Z') {
        utc = true;
        p++;
    } else if (strcmp(p, " UTC") == 0) {
        utc = true;
        p += 4;
    }
    if (*p || y < 1970 || y > 9999 || mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 ||
        mi > 59 || se > 60)
        return -1;
    if (utc) {
        int64_t days = days_from_civil(y, mo, d);
        *out_us = ((uint64_t)days * 86400ull + h * 3600ull + mi * 60ull + se) * 1000000ull;
        return 0;
    }
    /* People type times on their own clock, as journalctl --since reads them. */
    struct tm tm = {.tm_year = (int)y - 1900, .tm_mon = (int)mo - 1, .tm_mday = (int)d,
                    .tm_hour = (int)h, .tm_min = (int)mi, .tm_sec = (int)se, .tm_isdst = -1};
    time_t t = mktime(&tm);
    if (t == (time_t)-1 || t < 0)
        return -1;
    *out_us = (uint64_t)t * 1000000ull;
    return 0;
}

/* --- the local clock (TZ), for what people read: reports and their days --- */

uint64_t local_add_days(uint64_t us, int days)
{
    time_t t = (time_t)(us / 1000000u);
    struct tm tm;
    if (!localtime_r(&t, &tm))
        return us + (uint64_t)((int64_t)days * 86400) * 1000000u;
    tm.tm_mday += days;
    tm.tm_isdst = -1; /* a day across a DST change is 23 or 25 hours */
    time_t r = mktime(&tm);
    if (r == (time_t)-1 || r < 0)
        return us;
    return (uint64_t)r * 1000000u + us % 1000000u;
}

uint64_t local_day_start(uint64_t us)
{
    time_t t = (time_t)(us / 1000000u);
    struct tm tm;
    if (!localtime_r(&t, &tm))
        return us - us % 86400000000ull;
    tm.tm_hour = tm.tm_min = tm.tm_sec = 0;
    tm.tm_isdst = -1;
    time_t r = mktime(&tm);
    return r == (time_t)-1 || r < 0 ? us : (uint64_t)r * 1000000u;
}

int64_t local_month_start(int year, int month)
{
    struct tm tm = {.tm_year = year - 1900, .tm_mon = month - 1, .tm_mday = 1, .tm_isdst = -1};
    return (int64_t)mktime(&tm);
}

void fmt_iso_local(char *buf, size_t len, uint64_t us)
{
    time_t t = (time_t)(us / 1000000u);
    struct tm tm;
    if (!localtime_r(&t, &tm))
        memset(&tm, 0, sizeof(tm));
    long off = tm.tm_gmtoff;
    char zone[8] = "Z";
    if (off)
        snprintf(zone, sizeof(zone), "%c%02ld:%02ld", off < 0 ? '-' : '+', labs(off) / 3600 % 100,
                 labs(off) / 60 % 60);
    snprintf(buf, len, "%04d-%02d-%02dT%02d:%02d:%02d%s", (tm.tm_year + 1900) % 10000,
             (tm.tm_mon + 1) % 100, tm.tm_mday % 100, tm.tm_hour % 100, tm.tm_min % 100,
             tm.tm_sec % 100, zone);
}

void fmt_date_local(char *buf, size_t len, uint64_t us)
{
    time_t t = (time_t)(us / 1000000u);
    struct tm tm;
    if (!localtime_r(&t, &tm))
        memset(&tm, 0, sizeof(tm));
    snprintf(buf, len, "%04d-%02d-%02d", (tm.tm_year + 1900) % 10000, (tm.tm_mon + 1) % 100,
             tm.tm_mday % 100);
}

void fmt_zone_local(char *buf, size_t len, uint64_t us)
{
    time_t t = (time_t)(us / 1000000u);
    struct tm tm;
    if (!localtime_r(&t, &tm)) {
        snprintf(buf, len, "UTC");
    } else if (tm.tm_zone && *tm.tm_zone && (tm.tm_zone[0] != '+' && tm.tm_zone[0] != '-')) {
        snprintf(buf, len, "%s", tm.tm_zone);
    } else {
        long off = tm.tm_gmtoff;
        snprintf(buf, len, "UTC%c%02ld:%02ld", off < 0 ? '-' : '+', labs(off) / 3600 % 100,
                 labs(off) / 60 % 60);
    }
}
