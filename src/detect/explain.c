/* explain.c - renders an alert's title, explanation and action from the
 * texts table (explain-texts.c) and the alert's facts. */
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "decode/decode.h"
#include "detect/explain.h"
#include "util/netaddr.h"
#include "util/util.h"

/* Longest placeholder name; anything longer between braces is not a
 * placeholder and is copied as it is. */
#define EXPLAIN_NAME_MAX 32

static const struct alert_text *const alert_text_tables[] = {
    alert_texts,        alert_texts_scan, alert_texts_auth,     alert_texts_lateral,
    alert_texts_behaviour, alert_texts_intel, alert_texts_dns, alert_texts_practice,
    alert_texts_web,
};

const struct alert_text *explain_entry(size_t i)
{
    for (size_t t = 0; t < sizeof(alert_text_tables) / sizeof(alert_text_tables[0]); t++) {
        for (const struct alert_text *e = alert_text_tables[t]; e->id; e++)
            if (i-- == 0)
                return e;
    }
    return NULL;
}

const struct alert_text *explain_find(const char *category, const char *variant)
{
    if (!category)
        return NULL;
    size_t clen = strlen(category);
    const struct alert_text *plain = NULL;
    /* One pass over the tables (explain_entry(i) walks them from the start:
     * by index, this search cost some 20 000 instructions an alert). */
    for (size_t k = 0; k < sizeof(alert_text_tables) / sizeof(alert_text_tables[0]); k++) {
        for (const struct alert_text *t = alert_text_tables[k]; t->id; t++) {
            if (strncmp(t->id, category, clen) != 0)
                continue;
            if (t->id[clen] == '\0')
                plain = t;
            else if (variant && *variant && t->id[clen] == '/' &&
                     strcmp(t->id + clen + 1, variant) == 0)
                return t;
        }
    }
    return plain;
}

/* The output: bytes are appended while they fit; the first byte that does
 * not fit ends the text (later, shorter pieces must not reappear after a
 * cut). */
struct ex_out {
    char *p;
    size_t len, cap; /* cap excludes the NUL */
    bool full;
};

static void ex_put(struct ex_out *o, const char *s, size_t n)
{
    if (o->full)
        return;
    size_t room = o->cap - o->len;
    if (n > room) {
        n = room;
        o->full = true;
    }
    memcpy(o->p + o->len, s, n);
    o->len += n;
}

static void ex_puts(struct ex_out *o, const char *s)
{
    ex_put(o, s, strlen(s));
}

/* Drops a trailing incomplete UTF-8 sequence left by a cut. */
static void ex_trim_utf8(struct ex_out *o)
{
    size_t i = o->len;
    size_t back = 0;
    /* At most 3 continuation bytes precede a lead byte. */
    while (i > 0 && back < 4 && ((unsigned char)o->p[i - 1] & 0xc0) == 0x80) {
        i--;
        back++;
    }
    if (i == 0)
        return; /* only continuation bytes: not ours to judge */
    unsigned char lead = (unsigned char)o->p[i - 1];
    size_t need;
    if (lead < 0x80)
        return; /* ASCII, and anything after it was stray continuation bytes */
    else if ((lead & 0xe0) == 0xc0)
        need = 2;
    else if ((lead & 0xf0) == 0xe0)
        need = 3;
    else if ((lead & 0xf8) == 0xf0)
        need = 4;
    else
        need = 1;
    if (back + 1 < need)
        o->len = i - 1;
}

/* On the reader's clock, zone named: "2026-11-26 18:15 JST" /
 * "2026年11月26日 18:15 (JST)" ("UTC" where the machine runs on UTC). */
static bool ex_time(struct ex_out *o, uint64_t ts_us, enum ui_lang lang)
{
    time_t t = (time_t)(ts_us / 1000000u);
    struct tm tm;
    char buf[96], zone[24];
    if (!ts_us || !localtime_r(&t, &tm)) {
        ex_puts(o, "?");
        return false;
    }
    fmt_zone_local(zone, sizeof(zone), ts_us);
    if (lang == LANG_JA)
        snprintf(buf, sizeof(buf), "%04d年%02d月%02d日 %02d:%02d (%s)", tm.tm_year + 1900,
                 tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, zone);
    else
        snprintf(buf, sizeof(buf), "%04d-%02d-%02d %02d:%02d %s", tm.tm_year + 1900,
                 tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, zone);
    ex_puts(o, buf);
    return true;
}

/* Each placeholder writer returns false when it had nothing to show and
 * wrote "?" instead (an optional group is then dropped). */

/* Built-ins win over facts of the same name so a detector cannot change
 * what {device} means by accident. *known says whether name is a built-in. */
static bool ex_builtin(struct ex_out *o, const struct alert *a, const char *name,
                       enum ui_lang lang, bool *known)
{
    char buf[64];
    *known = true;
    if (strcmp(name, "src") == 0 || strcmp(name, "dst") == 0) {
        bool is_src = name[0] == 's';
        if (is_src ? a->has_src : a->has_dst) {
            ip_addr_fmt(is_src ? &a->src : &a->dst, buf, sizeof(buf));
            if (buf[0]) {
                ex_puts(o, buf);
                return true;
            }
        }
    } else if (strcmp(name, "device") == 0) {
        if (a->device[0]) {
            /* device[] is a fixed array: never read past it. */
            ex_put(o, a->device, strnlen(a->device, sizeof(a->device)));
            return true;
        } else if (a->has_mac) {
            mac_fmt(a->mac, buf);
            ex_puts(o, buf);
            return true;
        } else if (a->has_src) {
            ip_addr_fmt(&a->src, buf, sizeof(buf));
            if (buf[0]) {
                ex_puts(o, buf);
                return true;
            }
        }
    } else if (strcmp(name, "mac") == 0) {
        if (a->has_mac) {
            mac_fmt(a->mac, buf);
            ex_puts(o, buf);
            return true;
        }
    } else if (strcmp(name, "count") == 0) {
        snprintf(buf, sizeof(buf), "%u", a->count);
        ex_puts(o, buf);
        return true;
    } else if (strcmp(name, "first") == 0 || strcmp(name, "last") == 0) {
        uint64_t ts = name[0] == 'f' || !a->last_ts_us ? a->ts_us : a->last_ts_us;
        if (ex_time(o, ts, lang))
            return true;
        return false; /* ex_time wrote "?" */
    } else {
        *known = false;
        return false;
    }
    ex_puts(o, "?");
    return false;
}

static bool ex_fact(struct ex_out *o, const struct alert *a, const char *name)
{
    char buf[48];
    json_t *v = a->facts ? json_object_get(a->facts, name) : NULL;
    if (json_is_string(v) && json_string_length(v) > 0) {
        ex_put(o, json_string_value(v), json_string_length(v));
        return true;
    } else if (json_is_integer(v)) {
        snprintf(buf, sizeof(buf), "%lld", (long long)json_integer_value(v));
        ex_puts(o, buf);
        return true;
    } else if (json_is_real(v)) {
        snprintf(buf, sizeof(buf), "%g", json_real_value(v));
        ex_puts(o, buf);
        return true;
    }
    ex_puts(o, "?");
    return false;
}

/* A placeholder name is [a-z0-9_]+ (fact names are written by us). */
static size_t ex_name_len(const char *s, size_t left)
{
    size_t n = 0;
    while (n < left && n <= EXPLAIN_NAME_MAX &&
           ((s[n] >= 'a' && s[n] <= 'z') || (s[n] >= '0' && s[n] <= '9') || s[n] == '_'))
        n++;
    return n;
}

/* Fills the len bytes of tpl into o. At the top level (group NULL) an
 * optional group [[...]] is filled and then dropped again if any placeholder
 * in it had nothing to show; inside a group, *group records that. Groups do
 * not nest: "[[" inside a group is literal text. */
static void ex_fill(struct ex_out *o, const char *tpl, size_t len, const struct alert *a,
                    enum ui_lang lang, bool *group)
{
    const char *p = tpl, *end = tpl + len;
    /* Once the output is full nothing more is written, but a group is still
     * read to its end: whether it is kept decides whether the cut stands. */
    while (p < end && (group || !o->full)) {
        size_t left = (size_t)(end - p);
        if (left >= 2 && ((p[0] == '{' && p[1] == '{') || (p[0] == '}' && p[1] == '}'))) {
            ex_put(o, p, 1);
            p += 2;
        } else if (!group && left >= 2 && p[0] == '[' && p[1] == '[') {
            const char *close = NULL;
            for (const char *q = p + 2; q + 1 < end; q++) {
                if (q[0] == ']' && q[1] == ']') {
                    close = q;
                    break;
                }
            }
            if (!close) {
                ex_put(o, p, 2); /* unclosed: literal text */
                p += 2;
                continue;
            }
            size_t mark = o->len;
            bool complete = true;
            ex_fill(o, p + 2, (size_t)(close - p - 2), a, lang, &complete);
            if (!complete) {
                /* Rolling back to a point that was written in full is a
                 * clean cut, so carrying on is safe. */
                o->len = mark;
                o->full = false;
            }
            p = close + 2;
        } else if (p[0] == '{') {
            size_t n = ex_name_len(p + 1, left - 1);
            if (n == 0 || n > EXPLAIN_NAME_MAX || 1 + n >= left || p[1 + n] != '}') {
                ex_put(o, p, 1); /* not a placeholder: keep the brace */
                p++;
                continue;
            }
            char name[EXPLAIN_NAME_MAX + 1];
            memcpy(name, p + 1, n);
            name[n] = '\0';
            bool known, shown = ex_builtin(o, a, name, lang, &known);
            if (!known)
                shown = ex_fact(o, a, name);
            if (!shown && group)
                *group = false;
            p += n + 2;
        } else {
            /* Copy the run up to the next brace or bracket in one go. */
            size_t n = 1;
            while (n < left && p[n] != '{' && p[n] != '}' && p[n] != '[')
                n++;
            ex_put(o, p, n);
            p += n;
        }
    }
}

char *explain_format(const char *tpl, const struct alert *a, enum ui_lang lang, char *out,
                     size_t outlen)
{
    if (!out || outlen == 0)
        return out;
    struct ex_out o = {.p = out, .len = 0, .cap = outlen - 1, .full = false};
    if (tpl)
        ex_fill(&o, tpl, strlen(tpl), a, lang, NULL);
    if (o.full)
        ex_trim_utf8(&o);
    out[o.len] = '\0';
    return out;
}

char *explain_render(const struct alert *a, enum explain_part part, enum ui_lang lang, char *out,
                     size_t outlen)
{
    if (!out || outlen == 0)
        return out;
    unsigned li = lang == LANG_JA ? 1 : 0;

    const char *variant = NULL;
    json_t *jv = a->facts ? json_object_get(a->facts, "variant") : NULL;
    if (json_is_string(jv))
        variant = json_string_value(jv);
    const struct alert_text *t = explain_find(a->category, variant);
    const char *tpl = NULL;
    if (t) {
        switch (part) {
        case EXPLAIN_TITLE:
            tpl = t->title[li];
            break;
        case EXPLAIN_TEXT:
            tpl = t->explain[li];
            break;
        case EXPLAIN_ACTION:
            tpl = t->action[li];
            break;
        }
    }
    if (!tpl) {
        /* No text: the category name, as plain text (no placeholders). */
        struct ex_out o = {.p = out, .len = 0, .cap = outlen - 1, .full = false};
        ex_puts(&o, a->category ? a->category : "?");
        if (o.full)
            ex_trim_utf8(&o);
        out[o.len] = '\0';
        return out;
    }
    return explain_format(tpl, a, lang, out, outlen);
}
