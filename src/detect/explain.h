/* explain.h - what each alert means for a shop owner, in Japanese and
 * English: a short title, one paragraph on what was seen and why it matters,
 * and what to do.
 *
 * Texts live in one table (explain-texts.c), one entry per category or per
 * "category/variant" (the alert's facts.variant picks a variant; without one,
 * or without a matching entry, the plain category's entry is used). They
 * contain placeholders {name} replaced by the alert's fact of that name
 * (string or number), or by a few built-ins:
 *   {src} {dst}      source/destination address of the alert
 *   {device}         the device's name, else its MAC, else the source address
 *   {mac}            the device's MAC
 *   {count}          occurrences aggregated
 *   {first} {last}   first/last time, "2026-11-26 09:15" (UTC)
 * A placeholder whose fact is missing becomes "?" so a text is never cut.
 * Literal braces are written {{ and }}. An optional group [[...]] (not
 * nested) is left out as a whole when any placeholder in it has nothing to
 * show: "{device}[[ (IP address {ip})]]".
 */
#ifndef MAMORI_EXPLAIN_H
#define MAMORI_EXPLAIN_H

#include <stddef.h>

#include "detect/alert.h"
#include "util/i18n.h"

struct alert_text {
    const char *id;          /* "device.new" or "device.legacy_os/smb1" */
    const char *title[2];    /* [LANG_EN], [LANG_JA] */
    const char *explain[2];  /* what was seen and why it matters */
    const char *action[2];   /* what to do */
};

/* The tables, one per detector family, each terminated by an entry with id
 * NULL: device.* (explain-texts.c) and texts-<family>.c beside the
 * detectors. */
extern const struct alert_text alert_texts[], alert_texts_scan[], alert_texts_auth[],
    alert_texts_lateral[], alert_texts_behaviour[], alert_texts_intel[], alert_texts_dns[],
    alert_texts_practice[], alert_texts_web[];

/* The i-th entry over all tables, NULL past the end (for tests and lists). */
const struct alert_text *explain_entry(size_t i);

/* The entry for a category and variant (variant may be NULL): exact
 * "category/variant" first, then "category". NULL if neither exists. */
const struct alert_text *explain_find(const char *category, const char *variant);

enum explain_part { EXPLAIN_TITLE, EXPLAIN_TEXT, EXPLAIN_ACTION };

/* Renders one part of the alert's text in lang into out (always
 * NUL-terminated, cut at a UTF-8 character boundary if too long). A category
 * without an entry renders as the category name. Returns out. */
char *explain_render(const struct alert *a, enum explain_part part, enum ui_lang lang, char *out,
                     size_t outlen);

/* Fills one template (placeholders and {{ }} as above) from the alert's facts
 * into out, with the same guarantees. explain_render() uses it; also for
 * callers with a template of their own. Returns out. */
char *explain_format(const char *tpl, const struct alert *a, enum ui_lang lang, char *out,
                     size_t outlen);

#endif
