/* report.h - the monthly report (`mamori report`, issue 7).
 *
 * The report is built in two steps. report_model_build() reads the store for
 * one period and returns a JSON model (jansson) whose every text is already
 * in the report language; the renderers (text: report-text.c, HTML/SVG:
 * report-html.c, report-svg.c, PDF: report-pdf.c) only lay it out. Dates in
 * the model are ISO-8601 UTC; numbers are raw; the renderers format them for
 * the language. The model's keys are documented in docs/report.md (version 1;
 * keys are only ever added).
 */
#ifndef MAMORI_REPORT_H
#define MAMORI_REPORT_H

#include <stddef.h>
#include <stdint.h>

#include <jansson.h>
#include <sqlite3.h>

#include "inventory/known.h"
#include "util/i18n.h"

struct netset;

struct strbuf;
struct geoip;

#define REPORT_MODEL_VERSION 1

struct report_opts {
    uint64_t since_us, until_us;       /* the period: [since, until) in µs UTC */
    uint64_t prev_since_us, prev_until_us; /* the period compared against (same length
                                            * before, or the previous month) */
    const char *label;                 /* "2026年10月" / "October 2026"; NULL: from the dates */
    const char *prev_label;            /* the same for the previous period */
    enum ui_lang lang;
    const char *company;               /* site.company or --company; NULL/"": left out */
    const struct known_list *known;    /* the known-device list; NULL: none */
    struct geoip *geoip;               /* country database; NULL: not available */
    const char *geoip_why;             /* why there is none (English, static) */
    uint64_t generated_us;             /* "generated_at"; 0: now */
    const struct netset *home;         /* net.home; NULL: the private ranges */
};

/* Builds the model. Returns a new object, or NULL after writing one line into
 * err (a query that failed on a damaged file). A store of schema version 3
 * (no sensor_gaps) gives a model without gaps. */
json_t *report_model_build(sqlite3 *db, const struct report_opts *o, char *err, size_t errlen);

/* The plain-text report (for mail and groupware), from the model. */
void report_text_render(const json_t *model, struct strbuf *out);

/* The one-page HTML report, from the model (report-html.c). */
void report_html_render(const json_t *model, struct strbuf *out);

/* Prints html_path to pdf_path with headless Chromium (report-pdf.c).
 * Returns 0, or -1 with one line in err. */
int report_pdf_write(const char *html_path, const char *pdf_path, char *err, size_t errlen);

/* --- helpers shared by the model and its tests --- */

/* The theme an alert belongs to, by category and facts.variant (may be
 * NULL): "devices", "outside", "inside" or "practice". */
const char *report_theme_of(const char *category, const char *variant);

/* Parses "YYYY-MM" into the month's [since, until) and the previous month's.
 * Returns 0, or -1 for anything else (month 1-12, year 1970-9999). */
int report_month_range(const char *ym, uint64_t *since, uint64_t *until, uint64_t *prev_since,
                       uint64_t *prev_until);

#endif
