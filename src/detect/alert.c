/* alert.c - the alert record's helpers. */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "detect/alert.h"
#include "flow/flow.h"
#include "util/util.h"

void alert_init(struct alert *a, const char *category, enum alert_severity sev, uint64_t ts_us)
{
    memset(a, 0, sizeof(*a));
    a->category = category;
    a->severity = (uint8_t)sev;
    a->ts_us = a->last_ts_us = ts_us;
    a->count = 1;
    a->facts = json_object();
    if (!a->facts)
        die("out of memory");
}

void alert_release(struct alert *a)
{
    json_decref(a->facts);
    a->facts = NULL;
}

void alert_copy(struct alert *dst, const struct alert *src)
{
    *dst = *src;
    dst->facts = src->facts ? json_deep_copy(src->facts) : json_object();
    if (!dst->facts)
        die("out of memory");
}

void alert_fact_str(struct alert *a, const char *key, const char *value)
{
    if (!value || !*value)
        return;
    /* Facts come from the wire (host names, banners): keep them valid JSON
     * whatever the bytes are. */
    json_t *s = json_string(value);
    if (!s)
        s = app_json_str((const uint8_t *)value, strlen(value), 1024);
    json_object_set_new(a->facts, key, s);
}

void alert_fact_int(struct alert *a, const char *key, long long value)
{
    json_object_set_new(a->facts, key, json_integer(value));
}

void alert_set_conn(struct alert *a, const struct flow *f)
{
    a->has_src = a->has_dst = true;
    a->src = f->src;
    a->dst = f->dst;
    a->sport = f->sport;
    a->dport = f->dport;
    a->proto = f->proto;
}

void alert_add_flow(struct alert *a, uint64_t flow_id)
{
    if (!flow_id || a->nflows >= ALERT_MAX_FLOWS)
        return;
    for (unsigned i = 0; i < a->nflows; i++)
        if (a->flow_ids[i] == flow_id)
            return;
    a->flow_ids[a->nflows++] = flow_id;
}

void alert_set_key(struct alert *a, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(a->key, sizeof(a->key), fmt, ap);
    va_end(ap);
}

void alert_date(uint64_t ts_us, char out[16])
{
    time_t t = (time_t)(ts_us / 1000000u);
    struct tm tm;
    if (!gmtime_r(&t, &tm)) {
        snprintf(out, 16, "?");
        return;
    }
    snprintf(out, 16, "%04d-%02d-%02d", (tm.tm_year + 1900) % 10000, (tm.tm_mon + 1) % 100,
             tm.tm_mday % 100);
}

static const char *const alert_sev_names[SEV_MAX] = {"info", "low", "medium", "high",
                                                       "critical"};

const char *alert_severity_name(enum alert_severity s)
{
    return (unsigned)s < SEV_MAX ? alert_sev_names[s] : "info";
}

int alert_severity_parse(const char *s)
{
    for (int i = 0; i < SEV_MAX; i++)
        if (strcmp(s, alert_sev_names[i]) == 0)
            return i;
    if (s[0] >= '0' && s[0] <= '4' && s[1] == '\0')
        return s[0] - '0';
    return -1;
}

int alert_severity_eve(enum alert_severity s)
{
    switch (s) {
    case SEV_CRITICAL:
    case SEV_HIGH:
        return 1;
    case SEV_MEDIUM:
        return 2;
    default:
        return 3;
    }
}
