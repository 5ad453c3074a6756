/* notify-policy.c - when to tell whom: routing, incidents, quiet hours,
 * backoff, digest schedule and the hourly cap. Pure functions of the
 * settings and a clock the caller passes, so tests can drive time.
 */
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "notify/notify-int.h"
#include "decode/decode.h"
#include "util/netaddr.h"
#include "util/util.h"

enum ui_lang notify_lang(const struct notify_config *nc)
{
    if (strcmp(nc->lang, "ja") == 0)
        return LANG_JA;
    if (strcmp(nc->lang, "en") == 0)
        return LANG_EN;
    return ui_lang;
}

enum notify_route notify_route(const struct notify_config *nc, int sev, int open_sev)
{
    if (open_sev >= 0) {
        /* The people told about this incident hear again only when it got
         * worse, and only once per severity step. */
        if (sev > open_sev && sev >= nc->immediate_min_severity)
            return NR_FOLLOWUP;
        return NR_GROUPED;
    }
    if (sev >= nc->immediate_min_severity)
        return NR_IMMEDIATE;
    return NR_DIGEST;
}

void notify_incident_key(const struct alert *a, char *out, size_t len)
{
    char buf[64];
    if (a->has_mac) {
        mac_fmt(a->mac, buf);
        snprintf(out, len, "dev:%s", buf);
    } else if (a->has_src) {
        ip_addr_fmt(&a->src, buf, sizeof(buf));
        snprintf(out, len, "ip:%s", buf);
    } else if (a->has_dst) {
        ip_addr_fmt(&a->dst, buf, sizeof(buf));
        snprintf(out, len, "ip:%s", buf);
    } else {
        snprintf(out, len, "cat:%s", a->category);
    }
}

static int minute_of_day(time_t t)
{
    struct tm tm;
    localtime_r(&t, &tm);
    return tm.tm_hour * 60 + tm.tm_min;
}

static int in_range(int m, int start, int end)
{
    if (start < end)
        return m >= start && m < end;
    return m >= start || m < end; /* crosses midnight: 22:00-07:00 */
}

int notify_is_quiet(const struct notify_config *nc, time_t t)
{
    if (nc->quiet_start < 0 || nc->quiet_end < 0)
        return 0;
    return in_range(minute_of_day(t), nc->quiet_start, nc->quiet_end);
}

/* t moved to the local time hh:mm of its own day (DST-safe via mktime). */
static time_t at_minute(time_t t, int minute, int add_days)
{
    struct tm tm;
    localtime_r(&t, &tm);
    tm.tm_mday += add_days;
    tm.tm_hour = minute / 60;
    tm.tm_min = minute % 60;
    tm.tm_sec = 0;
    tm.tm_isdst = -1;
    return mktime(&tm);
}

time_t notify_quiet_end(const struct notify_config *nc, time_t t)
{
    if (!notify_is_quiet(nc, t))
        return t;
    time_t e = at_minute(t, nc->quiet_end, 0);
    if (e <= t)
        e = at_minute(t, nc->quiet_end, 1);
    return e;
}

time_t notify_release_time(const struct notify_config *nc, int sev, time_t t)
{
    if (sev >= SEV_CRITICAL)
        return t;
    return notify_quiet_end(nc, t);
}

unsigned notify_backoff(unsigned base, unsigned attempt)
{
    static const unsigned mult[] = {1, 4, 20, 120};
    if (attempt == 0)
        return 0;
    unsigned i = attempt - 1 < ARRAY_SIZE(mult) ? attempt - 1 : (unsigned)ARRAY_SIZE(mult) - 1;
    return base * mult[i];
}

time_t notify_digest_slot(const struct notify_config *nc, time_t now)
{
    if (nc->digest == NOTIFY_DIGEST_OFF)
        return 0;
    time_t s = at_minute(now, nc->digest_time, 0);
    if (s > now)
        s = at_minute(now, nc->digest_time, -1);
    if (nc->digest == NOTIFY_DIGEST_WEEKLY) {
        struct tm tm;
        localtime_r(&s, &tm);
        int back = (tm.tm_wday - nc->digest_weekday + 7) % 7;
        if (back)
            s = at_minute(s, nc->digest_time, -back);
    }
    return s;
}

int notify_cap_allows(const struct notify_config *nc, unsigned sent_last_hour)
{
    return nc->max_per_hour == 0 || sent_last_hour < nc->max_per_hour;
}
