/* report-internal.h - tables and helpers shared by the report's own files
 * (report-words.c, report-model.c, report-data.c); not for renderers, which
 * read only the model. */
#ifndef MAMORI_REPORT_INTERNAL_H
#define MAMORI_REPORT_INTERNAL_H

#include <stddef.h>
#include <stdint.h>

#include <jansson.h>
#include <sqlite3.h>

#include "report/report.h"

struct report_theme {
    const char *id;
    const char *title[2], *intro[2];
};
#define REPORT_NTHEMES 4
extern const struct report_theme report_themes[REPORT_NTHEMES];

enum report_todo_id {
    TODO_ISOLATE, TODO_CHECK, TODO_REMOTE, TODO_CLEARTEXT, TODO_TELNET, TODO_SMB1, TODO_OUTSIDE,
    TODO_UNKNOWN, TODO_CONFLICT, TODO_LEGACY, TODO_SERVICE, TODO_RETURNED, TODO_OTHER,
    TODO_SENSOR, TODO_NODATA, TODO_MAX
};

struct report_todo_kind {
    const char *id;
    int aggregate;         /* one item for all devices ({n}), else one per device */
    const char *title[2];  /* {device}, {n} */
    const char *why[2];    /* why such a finding matters */
    const char *how[2];    /* aggregate kinds: the steps when several devices are
                            * concerned (else the finding's own action is used) */
};
extern const struct report_todo_kind report_todo_kinds[TODO_MAX];

/* The action a finding calls for (severity: enum alert_severity). */
enum report_todo_id report_todo_of(const char *category, const char *variant, int severity);

extern const char *const report_severity_names[5];
extern const char *const report_severity_labels[5][2];

struct report_term {
    const char *id;
    const char *trigger;   /* category prefix or "category/variant-prefix" that uses it;
                            * NULL: decided by the model */
    const char *term[2], *text[2];
};
extern const struct report_term report_terms[];

struct report_label {
    const char *id;
    const char *text[2];
};
extern const struct report_label report_labels[];

/* --- report-data.c: aggregates read from the store --- */

/* Whether a text address is a private/local one (RFC 1918, CGNAT, loopback,
 * link-local, IPv6 ULA and link-local). */
int report_ip_local(const struct netset *extra, const char *ip);
/* The home networks report_ip_local must check beyond the private ranges it
 * knows by heart: NULL when net.home is unset or the default. */
const struct netset *report_home_extra(const struct report_opts *o);

/* Runs all chart and sensor queries for [since, until) into model (keys
 * "charts" except findings_per_week, and "sensor"); outside_ips (ip ->
 * probes) are the sources of the period's attacks from outside. Returns 0
 * or -1 with err. */
int report_data_charts(sqlite3 *db, const struct report_opts *o, json_t *model,
                       json_t *outside_ips, char *err, size_t errlen);
/* Name of a country by ISO code in lang ("??": unknown). */
const char *report_country_name(const char *cc, enum ui_lang lang);
/* Whether table exists in the main schema. */
int report_table_exists(sqlite3 *db, const char *name);

#endif
