/* report-svg.h - internals shared by the HTML report (report-html.c) and its
 * inline SVG charts (report-svg.c). Not a public interface: report.h is.
 *
 * Every text the two files write comes from the model (already in the report
 * language) or from the fallback tables in report-html.c, and goes through
 * rep_esc(), which escapes it and caps its length so a hostile model cannot
 * make the page unbounded.
 */
#ifndef MAMORI_REPORT_SVG_H
#define MAMORI_REPORT_SVG_H

#include <stdbool.h>
#include <stddef.h>

#include <jansson.h>

struct strbuf;

/* What the renderers need to know about the page being written. */
struct rep_ctx {
    bool ja;              /* report language is Japanese */
    const json_t *labels; /* model "labels" (may be NULL) */
    unsigned chart_seq;   /* makes SVG ids unique within the page */
};

/* Appends s escaped for HTML text/attributes, without C0 control characters,
 * cut (on a UTF-8 boundary, with "…") after REP_MAX_TEXT bytes. NULL: nothing. */
#define REP_MAX_TEXT 4000
void rep_esc(struct strbuf *sb, const char *s);
void rep_esc_max(struct strbuf *sb, const char *s, size_t max);

/* A fixed heading: the model's labels[key] when it is a non-empty string,
 * else the built-in English or Japanese text. Never NULL. */
const char *rep_label(const struct rep_ctx *c, const char *key);

/* 1234567 -> "1,234,567" (both languages). */
void rep_fmt_int(char *buf, size_t len, long long v);
/* Bytes in decimal units with one decimal below 10: "950 B", "1.2 GB". */
void rep_fmt_bytes(char *buf, size_t len, double v);

/* Date styles for rep_fmt_date(). */
enum rep_date {
    REP_DATE_LONG,  /* 2026年10月1日 / 1 Oct 2026 (UTC date, as in the model) */
    REP_DATE_SHORT, /* 10/1 / Oct 1 (axis labels) */
    REP_DATE_TIME,  /* 2026年10月1日 14:05 / 1 Oct 2026 14:05 (local time) */
};
/* Parses an ISO-8601 time from the model to seconds since the epoch;
 * returns 0, or -1 if it is not one. */
int rep_parse_time(const char *iso, long long *out);

/* Formats an ISO-8601 UTC time from the model; writes "" if it is not one. */
void rep_fmt_date(const struct rep_ctx *c, char *buf, size_t len, const char *iso,
                  enum rep_date style);

/* Model accessors that tolerate anything (missing keys, wrong types). */
const char *rep_str(const json_t *obj, const char *key);     /* NULL if absent */
double rep_num(const json_t *obj, const char *key, bool *ok); /* 0 if absent */

/* The five charts. Each appends one <figure class="chart"> with a title, an
 * inline <svg role="img"> with <title>/<desc>, or, when there is nothing to
 * draw, a <p class="chart-empty"> saying so. */
/* gaps: the model's sensor.gaps; days the sensor was mostly off are shaded
 * and labelled so a zero is not mistaken for a quiet day. */
void rep_chart_traffic(struct rep_ctx *c, struct strbuf *sb, const json_t *rows,
                       const json_t *gaps);
void rep_chart_findings(struct rep_ctx *c, struct strbuf *sb, const json_t *rows);
void rep_chart_countries(struct rep_ctx *c, struct strbuf *sb, const json_t *obj);
void rep_chart_services(struct rep_ctx *c, struct strbuf *sb, const json_t *rows);
void rep_chart_devices(struct rep_ctx *c, struct strbuf *sb, const json_t *rows,
                       const json_t *gaps);

#endif
