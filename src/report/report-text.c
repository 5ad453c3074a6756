/* report-text.c - the monthly report as plain text, for pasting into mail
 * or groupware: the summary first (status, things to do, key numbers), then
 * the findings by theme, devices and what the sensor saw. Lines stay short;
 * nothing but the model is read.
 */
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "report/report.h"
#include "util/strbuf.h"
#include "util/util.h"

/* Findings listed per theme; they are sorted most severe first. */
#define TEXT_MAX_FINDINGS 15

static const char *js(const json_t *o, const char *key)
{
    const char *s = json_string_value(json_object_get(o, key));
    return s ? s : "";
}

static const char *lab(const json_t *m, const char *id)
{
    return js(json_object_get(m, "labels"), id);
}

/* "2026-10-05T09:00:00Z" as 2026年10月5日 / 5 Oct 2026, with the time when
 * with_time. */
static void fmt_date(const char *iso, int ja, int with_time, char *out, size_t len)
{
    static const char *const mon[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                      "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
    int y, mo, d, h = 0, mi = 0;
    if (!iso || sscanf(iso, "%4d-%2d-%2dT%2d:%2d", &y, &mo, &d, &h, &mi) < 3 || mo < 1 ||
        mo > 12) {
        snprintf(out, len, "%s", iso ? iso : "");
        return;
    }
    if (ja)
        snprintf(out, len, with_time ? "%d年%d月%d日 %02d:%02d" : "%d年%d月%d日", y, mo, d, h, mi);
    else
        snprintf(out, len, with_time ? "%d %s %d %02d:%02d" : "%d %s %d", d, mon[mo - 1], y, h,
                 mi);
}

/* The clock the model's times are on, from an ISO time's offset: the zone's
 * own name ("JST") when it is this machine's zone then, else "UTC+09:00". */
static void zone_name(const char *iso, char *out, size_t len)
{
    snprintf(out, len, "UTC");
    size_t n = iso ? strlen(iso) : 0;
    if (n < 6 || iso[n - 1] == 'Z')
        return;
    const char *o = iso + n - 6;
    int hh, mm;
    if ((o[0] != '+' && o[0] != '-') || sscanf(o + 1, "%2d:%2d", &hh, &mm) != 2)
        return;
    long off = (o[0] == '-' ? -1 : 1) * (hh * 3600L + mm * 60L);
    time_t now = time(NULL);
    struct tm tm;
    if (localtime_r(&now, &tm) && tm.tm_gmtoff == off && tm.tm_zone && *tm.tm_zone)
        snprintf(out, len, "%s", tm.tm_zone);
    else
        snprintf(out, len, "UTC%s", o);
}

static void fmt_bytes(long long b, char *out, size_t len)
{
    static const char *const unit[] = {"B", "KB", "MB", "GB", "TB"};
    double v = (double)b;
    unsigned u = 0;
    while (v >= 1000 && u + 1 < ARRAY_SIZE(unit)) {
        v /= 1000;
        u++;
    }
    snprintf(out, len, u ? "%.1f %s" : "%.0f %s", v, unit[u]);
}

static void heading(struct strbuf *sb, const char *text)
{
    sb_printf(sb, "\n■ %s\n", text);
}

static void summary(const json_t *m, int ja, struct strbuf *sb)
{
    const json_t *st = json_object_get(m, "status");
    heading(sb, lab(m, "status"));
    sb_printf(sb, "  %s\n  %s\n", js(st, "label"), js(st, "reason"));

    heading(sb, lab(m, "todo"));
    const json_t *todo = json_object_get(m, "todo");
    if (!json_array_size(todo))
        sb_printf(sb, "  %s\n", lab(m, "todo_none"));
    size_t i;
    const json_t *t;
    json_array_foreach(todo, i, t) {
        char key[40];
        snprintf(key, sizeof(key), "urgency_%s", js(t, "urgency"));
        sb_printf(sb, "  %zu. [%s] %s\n", i + 1, lab(m, key), js(t, "title"));
        if (*js(t, "seen"))
            sb_printf(sb, "     %s%s%s\n", lab(m, "what"), ja ? ": " : ": ", js(t, "seen"));
        sb_printf(sb, "     %s: %s\n", lab(m, "todo_why"), js(t, "why"));
        sb_printf(sb, "     %s: %s\n", lab(m, "todo_how"), js(t, "how"));
    }

    heading(sb, lab(m, "counts"));
    const json_t *c;
    json_array_foreach(json_object_get(m, "counts"), i, c) {
        long long v = json_integer_value(json_object_get(c, "value"));
        long long p = json_integer_value(json_object_get(c, "previous"));
        sb_printf(sb, ja ? "  %s: %lld（%s %lld）\n" : "  %s: %lld (%s: %lld)\n", js(c, "label"),
                  v, lab(m, "previous"), p);
    }
}

static void findings(const json_t *m, int ja, struct strbuf *sb)
{
    heading(sb, lab(m, "happened"));
    size_t i, j;
    const json_t *th, *f;
    json_array_foreach(json_object_get(m, "themes"), i, th) {
        const json_t *fs = json_object_get(th, "findings");
        sb_printf(sb, ja ? "\n【%s】\n" : "\n[%s]\n", js(th, "title"));
        if (!json_array_size(fs)) {
            sb_printf(sb, "  %s\n", lab(m, "no_findings"));
            continue;
        }
        json_array_foreach(fs, j, f) {
            if (j == TEXT_MAX_FINDINGS) { /* a mail stays readable; the rest is in the HTML */
                sb_printf(sb,
                          ja ? "  ほか %zu 件（'mamori alerts' または HTML の報告書で確認できます）\n"
                             : "  and %zu more (see 'mamori alerts' or the HTML report)\n",
                          json_array_size(fs) - TEXT_MAX_FINDINGS);
                break;
            }
            char first[40], last[40];
            fmt_date(js(f, "first"), ja, 1, first, sizeof(first));
            fmt_date(js(f, "last"), ja, 1, last, sizeof(last));
            sb_printf(sb, "  - [%s] %s\n", js(f, "severity_label"), js(f, "title"));
            /* A card that sums up several alerts (alert_id null) says what it
             * holds, since its title cannot; its count is not "times seen". */
            const json_t *aid = json_object_get(f, "alert_id");
            int summary = !json_is_integer(aid);
            long long n = summary ? 1 : json_integer_value(json_object_get(f, "count"));
            if (summary)
                sb_printf(sb, "    %s\n", js(f, "what"));
            if (n > 1)
                sb_printf(sb, ja ? "    %s 〜 %s（%lld 回）\n" : "    %s - %s (%lld times)\n",
                          first, last, n);
            else
                sb_printf(sb, "    %s\n", first);
            sb_printf(sb, "    %s: %s\n", lab(m, "action"), js(f, "action"));
            const json_t *ev = json_object_get(f, "evidence");
            sb_printf(sb, "    (%s: %s", lab(m, "category"), js(f, "category"));
            if (*js(ev, "src_ip"))
                sb_printf(sb, ", %s %s", lab(m, "src_ip"), js(ev, "src_ip"));
            if (*js(ev, "dest_ip"))
                sb_printf(sb, ", %s %s", lab(m, "dest_ip"), js(ev, "dest_ip"));
            json_int_t port = json_integer_value(json_object_get(ev, "dest_port"));
            if (port)
                sb_printf(sb, ":%lld", (long long)port);
            if (summary)
                sb_printf(sb, ")\n");
            else
                sb_printf(sb, ", #%lld)\n", (long long)json_integer_value(aid));
        }
    }
}

static void devices(const json_t *m, int ja, struct strbuf *sb)
{
    static const char *const lists[][2] = {{"new", "devices_new"},
                                           {"unknown", "devices_unknown"},
                                           {"returned", "devices_returned"},
                                           {"outdated", "devices_outdated"}};
    const json_t *devs = json_object_get(m, "devices");
    heading(sb, lab(m, "devices"));
    for (size_t l = 0; l < ARRAY_SIZE(lists); l++) {
        const json_t *arr = json_object_get(devs, lists[l][0]);
        sb_printf(sb, ja ? "  %s（%zu 台）\n" : "  %s (%zu)\n", lab(m, lists[l][1]),
                  json_array_size(arr));
        size_t i;
        const json_t *d;
        json_array_foreach(arr, i, d) {
            if (i == 20) {
                sb_printf(sb, ja ? "    ほか %zu 台\n" : "    and %zu more\n",
                          json_array_size(arr) - 20);
                break;
            }
            sb_printf(sb, "    - %s", *js(d, "name") ? js(d, "name") : js(d, "mac"));
            if (*js(d, "owner"))
                sb_printf(sb, ja ? "（%s）" : " (%s)", js(d, "owner"));
            sb_printf(sb, "  %s %s", js(d, "ip"), js(d, "mac"));
            if (*js(d, "vendor"))
                sb_printf(sb, "  %s", js(d, "vendor"));
            if (*js(d, "os"))
                sb_printf(sb, "  %s", js(d, "os"));
            if (*js(d, "note"))
                sb_printf(sb, "  [%s]", js(d, "note"));
            sb_putc(sb, '\n');
        }
    }
}

static void footer(const json_t *m, int ja, struct strbuf *sb)
{
    const json_t *s = json_object_get(m, "sensor"), *p = json_object_get(m, "period");
    heading(sb, lab(m, "sensor"));
    char a[40], b[40], bytes[32];
    fmt_bytes(json_integer_value(json_object_get(s, "bytes")), bytes, sizeof(bytes));
    sb_printf(sb, "  %s: %s\n", lab(m, "period"), js(p, "label"));
    if (*js(s, "first")) {
        fmt_date(js(s, "first"), ja, 1, a, sizeof(a));
        fmt_date(js(s, "last"), ja, 1, b, sizeof(b));
        sb_printf(sb, ja ? "  %s: %s 〜 %s\n" : "  %s: %s - %s\n", lab(m, "sensor_span"), a, b);
    }
    sb_printf(sb, "  %s: %lld  %s: %lld  %s: %s  %s: %lld\n", lab(m, "packets"),
              (long long)json_integer_value(json_object_get(s, "packets")), lab(m, "flows"),
              (long long)json_integer_value(json_object_get(s, "flows")), lab(m, "bytes"), bytes,
              lab(m, "runs"), (long long)json_integer_value(json_object_get(s, "runs")));
    sb_printf(sb, "  %s: %.1f%%\n", lab(m, "coverage"),
              json_real_value(json_object_get(s, "coverage_pct")));
    const json_t *gaps = json_object_get(s, "gaps");
    if (!json_array_size(gaps)) {
        sb_printf(sb, "  %s\n", lab(m, "gaps_none"));
    } else {
        sb_printf(sb, "  %s:\n", lab(m, "gaps"));
        size_t i;
        const json_t *g;
        json_array_foreach(gaps, i, g) {
            fmt_date(js(g, "start"), ja, 1, a, sizeof(a));
            fmt_date(js(g, "end"), ja, 1, b, sizeof(b));
            sb_printf(sb, ja ? "    - %s 〜 %s（%.1f %s）%s\n" : "    - %s - %s (%.1f %s) %s\n", a,
                      b, json_real_value(json_object_get(g, "hours")), lab(m, "hours"),
                      js(g, "text"));
        }
    }
    const json_t *gl = json_object_get(m, "glossary");
    if (json_array_size(gl)) {
        heading(sb, lab(m, "glossary"));
        size_t i;
        const json_t *t;
        json_array_foreach(gl, i, t)
            sb_printf(sb, ja ? "  %s: %s\n" : "  %s: %s\n", js(t, "term"), js(t, "text"));
    }
}

void report_text_render(const json_t *m, struct strbuf *sb)
{
    int ja = strcmp(js(m, "lang"), "ja") == 0;
    const json_t *p = json_object_get(m, "period");
    sb_printf(sb, "%s — %s\n", lab(m, "title"), js(p, "label"));
    if (*js(m, "company"))
        sb_printf(sb, "%s\n", js(m, "company"));
    char gen[40];
    fmt_date(js(m, "generated_at"), ja, 1, gen, sizeof(gen));
    char zone[24];
    zone_name(js(m, "generated_at"), zone, sizeof(zone));
    sb_printf(sb, ja ? "%s: %s（%s）\n" : "%s: %s (%s)\n", lab(m, "generated_at"), gen, zone);
    summary(m, ja, sb);
    findings(m, ja, sb);
    devices(m, ja, sb);
    footer(m, ja, sb);
    sb_printf(sb, "\n%s\n", lab(m, "prepared_by"));
}
