/* notify-int.h - the parts of the notifier inside src/notify (and its unit
 * tests): policy as pure functions of an injected clock, message building,
 * delivery and the store. Not for other modules: they use notify.h.
 */
#ifndef MAMORI_NOTIFY_INT_H
#define MAMORI_NOTIFY_INT_H

#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include <jansson.h>
#include <sqlite3.h>

#include "detect/alert.h"
#include "notify/notify.h"
#include "util/i18n.h"
#include "util/strbuf.h"

const char *notify_type_name(enum notify_type t);
/* Number of addresses in a comma-separated list, -1 if one is malformed. */
int notify_addr_list_check(const char *list);
/* The language messages are written in (nc->lang, else the environment's). */
enum ui_lang notify_lang(const struct notify_config *nc);

/* --- policy (notify-policy.c): pure, the clock is a parameter --- */

enum notify_route {
    NR_IMMEDIATE, /* a new incident: a message now (or when quiet hours end) */
    NR_FOLLOWUP,  /* an open incident got worse: one follow-up message */
    NR_GROUPED,   /* part of an incident already told: no message of its own */
    NR_DIGEST,    /* below the immediate threshold: the next digest */
};

/* What to do with an alert of severity sev, given its incident's state:
 * open_sev is the highest severity already sent for that incident within
 * the grouping window, or -1 if none is open. */
enum notify_route notify_route(const struct notify_config *nc, int sev, int open_sev);

/* The incident an alert belongs to: its device (MAC), else its source
 * address, else its destination, else its category. */
void notify_incident_key(const struct alert *a, char *out, size_t len);

/* 1 if local time t falls in the quiet hours. */
int notify_is_quiet(const struct notify_config *nc, time_t t);
/* When quiet hours containing t end (t itself if t is not quiet). */
time_t notify_quiet_end(const struct notify_config *nc, time_t t);
/* When a message of severity sev created at t may go out: critical at
 * once, others after the quiet hours. */
time_t notify_release_time(const struct notify_config *nc, int sev, time_t t);

/* Delay before retry number `attempt` (1 = after the first failure):
 * base x 1, 4, 20, 120 (30 s, 2 min, 10 min, 1 h with base 30), then stays. */
unsigned notify_backoff(unsigned base, unsigned attempt);

/* The latest scheduled digest time at or before now (local time), 0 when
 * digests are off. A digest is due when this is later than the last one. */
time_t notify_digest_slot(const struct notify_config *nc, time_t now);

/* Whether one more immediate message fits in the hourly cap, given how
 * many went out in the last hour. */
int notify_cap_allows(const struct notify_config *nc, unsigned sent_last_hour);

/* --- messages (notify-msg.c) ---
 *
 * A message is a JSON object (kept in notifications.payload so a retry
 * sends the same words): kind, severity, lang, title, text, action,
 * alerts[] {id, category, severity, title, device, src_ip, dest_ip, first,
 * last, count}, more, link, command, company. Renderers turn it into each
 * channel's format. */

const char *notify_sev_label(int sev, enum ui_lang lang);

/* The subject line: "[mamori] 重要度 高: title" */
void notify_subject(const json_t *msg, struct strbuf *out);
/* The plain-text body (mail, Chatwork). */
void notify_text_body(const json_t *msg, struct strbuf *out);

/* RFC 2047 B-encoding of a header value (UTF-8), folded; ASCII text that
 * needs no encoding is copied as is. name is the header name (for folding). */
void notify_rfc2047(const char *name, const char *value, struct strbuf *out);
/* Standard base64 in lines of 76 with CRLF. */
void notify_base64_lines(const unsigned char *p, size_t n, struct strbuf *out);
/* The whole RFC 5322 message (CRLF line ends). now is the Date. */
void notify_mail_message(const struct notify_channel *ch, const json_t *msg, time_t now,
                         struct strbuf *out);

/* Bodies per webhook type; caller frees. */
char *notify_slack_json(const json_t *msg);
char *notify_teams_json(const json_t *msg);
char *notify_generic_json(const json_t *msg);
/* Chatwork's form body "body=..." (URL-encoded). */
void notify_chatwork_form(const json_t *msg, struct strbuf *out);

/* --- delivery (notify-send.c) --- */

/* Sends msg on ch. Returns 0, or -1 with a short, secret-free reason in
 * err ("authentication failed", "connection refused", "timed out",
 * "HTTP 500 ..."). max_timeout (seconds, 0: none) caps the channel's own. */
int notify_deliver(const struct notify_channel *ch, const json_t *msg, time_t now,
                   unsigned max_timeout, char *err, size_t errlen);

/* Deliveries made by the calling thread from now on are aborted as soon
 * as *flag becomes non-zero (NULL: never). The notifier thread points it
 * at its stop flag so a stop does not wait for a slow receiver. */
void notify_set_cancel(const int *flag);

/* --- the store (notify-store.c) --- */

struct notify_db;
/* Opens path read-write for the notifier (WAL, busy timeout). NULL + err. */
struct notify_db *ndb_open(const char *path, char *err, size_t errlen);
void ndb_close(struct notify_db *d);
sqlite3 *ndb_handle(struct notify_db *d);

/* One round of the notifier at time now: take new and escalated alerts,
 * make incident messages, make a digest when one is due, and deliver what
 * is due (retries included). max_timeout caps each delivery (0: channel's).
 * Returns 0 or -1 with err (the store could not be read or written). */
struct notify_round {
    unsigned new_alerts, messages, delivered, failed, gave_up, folded;
};
/* Queues one message per sensor fault not told yet: an open capture or
 * store outage, a long stop, the disk nearly full (notify-faults.c). */
int notify_take_faults(sqlite3 *db, const struct notify_config *nc, time_t now,
                       struct notify_round *r);
int notify_run_round(struct notify_db *d, const struct notify_config *nc, const char *db_path,
                     time_t now, unsigned max_timeout, struct notify_round *r, char *err,
                     size_t errlen);

/* Builds the digest of alerts since the last one (NULL if there are none).
 * When commit, the digest is queued for every channel and the alerts are
 * marked as digested. */
json_t *notify_make_digest(struct notify_db *d, const struct notify_config *nc, const char *db_path,
                           time_t now, int commit, char *err, size_t errlen);

/* Sends every due row; returns how many were tried. */
int notify_deliver_due(struct notify_db *d, const struct notify_config *nc, time_t now,
                       unsigned max_timeout, struct notify_round *r);

/* A test message for `mamori notify test`. */
json_t *notify_test_message(const struct notify_config *nc, const char *channel);

/* --- helpers shared by the notifier's files (notify-store.c, notify-run.c) --- */

/* Runs sql; -1 with err (may be NULL) on failure. */
int ndb_exec(sqlite3 *db, const char *sql, char *err, size_t errlen);
/* Integer rows "notify.KEY" of the `state` table. */
int64_t ndb_state_get(sqlite3 *db, const char *key, int64_t dflt);
int ndb_state_set(sqlite3 *db, const char *key, int64_t v);
/* Column text, "" for NULL. */
const char *ndb_col(sqlite3_stmt *s, int i);
void notify_iso_utc(time_t t, char *buf, size_t len);

/* The alerts columns every reader selects (table alias a), and a row of
 * them as a struct alert (category points into catbuf; release after). */
#define NDB_ALERT_COLS                                                                             \
    "a.id, a.first_ts, a.last_ts, a.count, a.category, a.severity, a.src_ip, a.src_port,"          \
    " a.dest_ip, a.dest_port, a.proto, a.device, a.device_name, a.facts, a.dedup_key"
void ndb_row_alert(sqlite3_stmt *s, struct alert *a, char *catbuf, size_t catlen);
/* One alert as a message's alerts[] element, texts in lang. */
json_t *notify_alert_json(int64_t id, const struct alert *a, enum ui_lang lang);
/* An empty message of kind with the common fields (lang, link, created). */
json_t *notify_new_message(const struct notify_config *nc, const char *kind, int sev, time_t now);
/* Queues msg for every channel that takes sev (a row on channel "-" when
 * none does), to be sent from release on. */
int notify_queue_message(sqlite3 *db, const struct notify_config *nc, time_t now, const char *kind,
                         int sev, const char *incident, const json_t *ids, const json_t *msg,
                         time_t release);

#endif
