/* notify-run.c - one round of the notifier: take the alerts the capture
 * wrote since the last round, group them into incidents, queue one message
 * per incident (or a follow-up when one got worse), queue the digest when
 * it is due, and deliver what is due (notify-deliver.c). The thread
 * (notify.c) and `mamori notify run` call the same round.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "decode/decode.h"
#include "detect/explain.h"
#include "notify/notify-int.h"
#include "util/netaddr.h"
#include "util/util.h"

#define L(lang, en, ja) ((lang) == LANG_JA ? (ja) : (en))
/* Alerts listed in one message; the rest are "and N more". */
#define MSG_MAX_ALERTS 20

/* --- alerts to JSON --- */

/* "2026-11-26 09:15" in the sensor's time zone: what people in the office
 * read on their clocks. */
static void local_time(uint64_t us, char *buf, size_t len)
{
    time_t t = (time_t)(us / 1000000u);
    struct tm tm;
    localtime_r(&t, &tm);
    strftime(buf, len, "%Y-%m-%d %H:%M", &tm);
}

/* Fills a from a row of NDB_ALERT_COLS; category points into catbuf. */
void ndb_row_alert(sqlite3_stmt *s, struct alert *a, char *catbuf, size_t catlen)
{
    snprintf(catbuf, catlen, "%s", ndb_col(s, 4));
    alert_init(a, catbuf, (enum alert_severity)sqlite3_column_int(s, 5),
               (uint64_t)sqlite3_column_int64(s, 1));
    a->last_ts_us = (uint64_t)sqlite3_column_int64(s, 2);
    int64_t c = sqlite3_column_int64(s, 3);
    a->count = c < 1 ? 1 : c > UINT32_MAX ? UINT32_MAX : (uint32_t)c;
    a->has_src = ip_addr_parse(ndb_col(s, 6), &a->src) == 0;
    a->sport = (uint16_t)sqlite3_column_int(s, 7);
    a->has_dst = ip_addr_parse(ndb_col(s, 8), &a->dst) == 0;
    a->dport = (uint16_t)sqlite3_column_int(s, 9);
    a->proto = (uint8_t)sqlite3_column_int(s, 10);
    a->has_mac = mac_parse(ndb_col(s, 11), a->mac) == 0;
    snprintf(a->device, sizeof(a->device), "%s", ndb_col(s, 12));
    json_t *facts = json_loads(ndb_col(s, 13), 0, NULL);
    if (json_is_object(facts)) {
        json_decref(a->facts);
        a->facts = facts;
    } else {
        json_decref(facts);
    }
    snprintf(a->key, sizeof(a->key), "%s", ndb_col(s, 14));
}

json_t *notify_alert_json(int64_t id, const struct alert *a, enum ui_lang lang)
{
    char title[512], first[40], last[40], ip[48] = "", dip[48] = "", mac[18] = "";
    explain_render(a, EXPLAIN_TITLE, lang, title, sizeof(title));
    local_time(a->ts_us, first, sizeof(first));
    local_time(a->last_ts_us, last, sizeof(last));
    if (a->has_src)
        ip_addr_fmt(&a->src, ip, sizeof(ip));
    if (a->has_dst)
        ip_addr_fmt(&a->dst, dip, sizeof(dip));
    if (a->has_mac)
        mac_fmt(a->mac, mac);
    return json_pack("{s:I, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:I}", "id",
                     (json_int_t)id, "category", a->category, "severity",
                     alert_severity_name(a->severity), "title", title, "device", mac, "device_name",
                     a->device, "src_ip", ip, "dest_ip", dip, "first", first, "last", last, "count",
                     (json_int_t)a->count);
}

json_t *notify_new_message(const struct notify_config *nc, const char *kind, int sev, time_t now)
{
    char created[32];
    notify_iso_utc(now, created, sizeof(created));
    enum ui_lang lang = notify_lang(nc);
    json_t *m =
        json_pack("{s:s, s:s, s:s, s:s, s:s, s:s, s:[], s:i, s:s, s:s, s:s}", "kind", kind,
                  "severity", alert_severity_name((enum alert_severity)sev), "lang",
                  lang == LANG_JA ? "ja" : "en", "title", "", "text", "", "action", "", "alerts",
                  "more", 0, "link", nc->dashboard_url, "command", "", "created", created);
    json_object_set_new(m, "company", json_string(nc->company));
    return m;
}

/* --- grouping one round's alerts into incidents --- */

struct group {
    char key[96];
    int followup; /* the incident was told before: this is a follow-up */
    int sev;      /* highest severity in the group */
    int lead_sev; /* severity of the alert the texts come from */
    json_t *msg;
    json_t *ids;
    unsigned nalerts;
};

struct batch {
    struct group *g;
    size_t n, cap;
};

static struct group *batch_find(struct batch *b, const char *key)
{
    for (size_t i = 0; i < b->n; i++)
        if (strcmp(b->g[i].key, key) == 0)
            return &b->g[i];
    return NULL;
}

/* The incident's state in the store: severity told within the window. */
static int incident_open_sev(sqlite3 *db, const char *key, time_t now, unsigned window)
{
    sqlite3_stmt *s = NULL;
    int sev = -1;
    /* Told: a message made for it (queued, sent or failed, not folded)
     * within the window, counted from its latest message. */
    if (sqlite3_prepare_v2(db,
                           "SELECT max(severity) FROM notifications WHERE incident = ?1"
                           " AND kind IN ('incident', 'followup')"
                           " AND status NOT IN ('folded', 'told') AND created_ts >= ?2",
                           -1, &s, NULL) == SQLITE_OK) {
        sqlite3_bind_text(s, 1, key, -1, SQLITE_STATIC);
        sqlite3_bind_int64(s, 2, (int64_t)now - window);
        if (sqlite3_step(s) == SQLITE_ROW && sqlite3_column_type(s, 0) != SQLITE_NULL)
            sev = sqlite3_column_int(s, 0);
    }
    sqlite3_finalize(s);
    return sev;
}

static void group_set_texts(struct group *g, const struct alert *a, enum ui_lang lang,
                            const char *db_path)
{
    char buf[2048];
    json_object_set_new(g->msg, "title",
                        json_string(explain_render(a, EXPLAIN_TITLE, lang, buf, sizeof(buf))));
    json_object_set_new(g->msg, "text",
                        json_string(explain_render(a, EXPLAIN_TEXT, lang, buf, sizeof(buf))));
    json_object_set_new(g->msg, "action",
                        json_string(explain_render(a, EXPLAIN_ACTION, lang, buf, sizeof(buf))));
    json_object_set_new(g->msg, "severity",
                        json_string(alert_severity_name((enum alert_severity)a->severity)));
    /* The command that shows everything about this device or address. */
    struct strbuf cmd = STRBUF_INIT;
    char who[48];
    sb_printf(&cmd, "mamori alerts --db %s", db_path);
    if (a->has_mac) {
        mac_fmt(a->mac, who);
        sb_printf(&cmd, " --device %s", who);
    } else if (a->has_src) {
        ip_addr_fmt(&a->src, who, sizeof(who));
        sb_printf(&cmd, "   # mamori scope --db %s %s", db_path, who);
    } else {
        sb_printf(&cmd, " --category %s", a->category);
    }
    json_object_set_new(g->msg, "command", json_string(cmd.s));
    sb_free(&cmd);
    g->lead_sev = a->severity;
}

static void group_add(struct group *g, int64_t id, const struct alert *a, enum ui_lang lang,
                      const char *db_path)
{
    if (a->severity > g->lead_sev || g->nalerts == 0)
        group_set_texts(g, a, lang, db_path);
    if (a->severity > g->sev)
        g->sev = a->severity;
    json_t *list = json_object_get(g->msg, "alerts");
    if (json_array_size(list) < MSG_MAX_ALERTS)
        json_array_append_new(list, notify_alert_json(id, a, lang));
    else
        json_object_set_new(g->msg, "more",
                            json_integer(json_integer_value(json_object_get(g->msg, "more")) + 1));
    json_array_append_new(g->ids, json_integer(id));
    g->nalerts++;
}

static struct group *batch_new(struct batch *b, const struct notify_config *nc, const char *key,
                               int followup, time_t now)
{
    if (b->n == b->cap) {
        b->cap = b->cap ? b->cap * 2 : 8;
        b->g = xrealloc(b->g, b->cap * sizeof(*b->g));
    }
    struct group *g = &b->g[b->n++];
    memset(g, 0, sizeof(*g));
    snprintf(g->key, sizeof(g->key), "%s", key);
    g->followup = followup;
    g->sev = -1;
    g->lead_sev = -1;
    g->msg = notify_new_message(nc, followup ? "followup" : "incident", SEV_INFO, now);
    g->ids = json_array();
    return g;
}

static void batch_free(struct batch *b)
{
    for (size_t i = 0; i < b->n; i++) {
        json_decref(b->g[i].msg);
        json_decref(b->g[i].ids);
    }
    free(b->g);
}

static const char *route_name(enum notify_route r)
{
    switch (r) {
    case NR_IMMEDIATE:
        return "immediate";
    case NR_FOLLOWUP:
        return "followup";
    case NR_GROUPED:
        return "grouped";
    case NR_DIGEST:
        break;
    }
    return "digest";
}

static int record_seen(sqlite3 *db, int64_t id, int sev, const char *key, const char *route,
                       time_t now)
{
    sqlite3_stmt *s = NULL;
    int rc = sqlite3_prepare_v2(
        db,
        "INSERT INTO notify_alerts (alert_id, severity, incident, route, seen_ts)"
        " VALUES (?1, ?2, ?3, ?4, ?5) ON CONFLICT (alert_id) DO UPDATE SET"
        " severity = excluded.severity, route = excluded.route, seen_ts = excluded.seen_ts",
        -1, &s, NULL);
    if (rc == SQLITE_OK) {
        sqlite3_bind_int64(s, 1, id);
        sqlite3_bind_int(s, 2, sev);
        sqlite3_bind_text(s, 3, key, -1, SQLITE_STATIC);
        sqlite3_bind_text(s, 4, route, -1, SQLITE_STATIC);
        sqlite3_bind_int64(s, 5, (int64_t)now);
        rc = sqlite3_step(s) == SQLITE_DONE ? SQLITE_OK : SQLITE_ERROR;
    }
    sqlite3_finalize(s);
    return rc == SQLITE_OK ? 0 : -1;
}

/* A new incident's message also lists the same device's lesser alerts
 * of the grouping window that were waiting for the digest (a medium
 * "password guessing" just before the high "login after guessing"): one
 * message tells the whole story. They are then part of the incident. */
static int add_recent(sqlite3 *db, const struct notify_config *nc, struct group *g, time_t now,
                      enum ui_lang lang, const char *db_path)
{
    sqlite3_stmt *s = NULL;
    if (sqlite3_prepare_v2(db,
                           "SELECT " NDB_ALERT_COLS " FROM alerts a JOIN notify_alerts n"
                           " ON n.alert_id = a.id WHERE n.incident = ?1 AND n.route = 'digest'"
                           " AND n.seen_ts >= ?2 ORDER BY a.id",
                           -1, &s, NULL) != SQLITE_OK)
        return -1;
    sqlite3_bind_text(s, 1, g->key, -1, SQLITE_STATIC);
    sqlite3_bind_int64(s, 2, (int64_t)now - nc->group_window);
    int rc;
    while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
        struct alert a;
        char cat[64];
        ndb_row_alert(s, &a, cat, sizeof(cat));
        group_add(g, sqlite3_column_int64(s, 0), &a, lang, db_path);
        alert_release(&a);
    }
    sqlite3_finalize(s);
    if (rc != SQLITE_DONE)
        return -1;
    char *sql = sqlite3_mprintf("UPDATE notify_alerts SET route = 'grouped' WHERE incident = %Q"
                                " AND route = 'digest' AND seen_ts >= %lld",
                                g->key, (long long)now - nc->group_window);
    int e = sqlite3_exec(db, sql, NULL, NULL, NULL);
    sqlite3_free(sql);
    return e == SQLITE_OK ? 0 : -1;
}

/* Takes each new or escalated alert into the batch. */
static int take_alerts(sqlite3 *db, const struct notify_config *nc, const char *db_path, time_t now,
                       struct batch *b, unsigned *count)
{
    enum ui_lang lang = notify_lang(nc);
    int64_t last = ndb_state_get(db, "last_alert_id", 0);
    sqlite3_stmt *s = NULL;
    /* New rows, then rows whose severity rose since the notifier took them
     * (an alert escalates in place: same id, higher severity). */
    if (sqlite3_prepare_v2(db,
                           "SELECT " NDB_ALERT_COLS " FROM alerts a WHERE a.id > ?1"
                           " UNION ALL SELECT " NDB_ALERT_COLS " FROM alerts a"
                           " JOIN notify_alerts n ON n.alert_id = a.id"
                           " WHERE a.id <= ?1 AND a.severity > n.severity ORDER BY 1",
                           -1, &s, NULL) != SQLITE_OK)
        return -1;
    sqlite3_bind_int64(s, 1, last);
    int rc;
    int64_t maxid = last;
    while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
        struct alert a;
        char cat[64], key[96];
        int64_t id = sqlite3_column_int64(s, 0);
        ndb_row_alert(s, &a, cat, sizeof(cat));
        notify_incident_key(&a, key, sizeof(key));
        struct group *g = batch_find(b, key);
        enum notify_route r;
        if (g) {
            r = NR_GROUPED; /* same incident, same round: the same message */
            group_add(g, id, &a, lang, db_path);
        } else {
            r = notify_route(nc, a.severity, incident_open_sev(db, key, now, nc->group_window));
            if (r == NR_IMMEDIATE || r == NR_FOLLOWUP) {
                struct group *ng = batch_new(b, nc, key, r == NR_FOLLOWUP, now);
                group_add(ng, id, &a, lang, db_path);
                if (r == NR_IMMEDIATE && add_recent(db, nc, ng, now, lang, db_path) < 0) {
                    alert_release(&a);
                    sqlite3_finalize(s);
                    return -1;
                }
            }
        }
        int fail = record_seen(db, id, a.severity, key, route_name(r), now);
        alert_release(&a);
        if (fail) {
            sqlite3_finalize(s);
            return -1;
        }
        if (id > maxid)
            maxid = id;
        (*count)++;
    }
    sqlite3_finalize(s);
    if (rc != SQLITE_DONE)
        return -1;
    return ndb_state_set(db, "last_alert_id", maxid);
}

/* Immediate messages queued in the last hour (one per message, not per
 * channel), for the cap. */
static unsigned sent_last_hour(sqlite3 *db, time_t now)
{
    sqlite3_stmt *s = NULL;
    unsigned n = 0;
    if (sqlite3_prepare_v2(db,
                           "SELECT count(DISTINCT created_ts || '|' || incident) FROM notifications"
                           " WHERE kind IN ('incident', 'followup') AND status <> 'folded'"
                           " AND status <> 'told' AND created_ts > ?1",
                           -1, &s, NULL) == SQLITE_OK) {
        sqlite3_bind_int64(s, 1, (int64_t)now - 3600);
        if (sqlite3_step(s) == SQLITE_ROW)
            n = (unsigned)sqlite3_column_int(s, 0);
    }
    sqlite3_finalize(s);
    return n;
}

static int count_folded(sqlite3 *db)
{
    sqlite3_stmt *s = NULL;
    int n = 0;
    if (sqlite3_prepare_v2(db, "SELECT count(*) FROM notifications WHERE status = 'folded'", -1, &s,
                           NULL) == SQLITE_OK &&
        sqlite3_step(s) == SQLITE_ROW)
        n = sqlite3_column_int(s, 0);
    sqlite3_finalize(s);
    return n;
}

static int insert_row(sqlite3 *db, time_t now, const char *channel, const char *kind, int sev,
                      const char *incident, const json_t *ids, const json_t *msg,
                      const char *status, time_t next_try)
{
    char created[32];
    notify_iso_utc(now, created, sizeof(created));
    struct strbuf subj = STRBUF_INIT;
    notify_subject(msg, &subj);
    char *payload = json_dumps(msg, JSON_COMPACT | JSON_PRESERVE_ORDER);
    char *idtxt = ids ? json_dumps(ids, JSON_COMPACT) : NULL;
    sqlite3_stmt *s = NULL;
    int rc = sqlite3_prepare_v2(
        db,
        "INSERT INTO notifications (created_at, created_ts, channel, kind, severity, incident,"
        " alert_ids, subject, payload, status, next_try) VALUES "
        "(?1,?2,?3,?4,?5,?6,?7,?8,?9,?10,?11)",
        -1, &s, NULL);
    if (rc == SQLITE_OK) {
        sqlite3_bind_text(s, 1, created, -1, SQLITE_STATIC);
        sqlite3_bind_int64(s, 2, (int64_t)now);
        sqlite3_bind_text(s, 3, channel, -1, SQLITE_STATIC);
        sqlite3_bind_text(s, 4, kind, -1, SQLITE_STATIC);
        sqlite3_bind_int(s, 5, sev);
        if (incident)
            sqlite3_bind_text(s, 6, incident, -1, SQLITE_STATIC);
        if (idtxt)
            sqlite3_bind_text(s, 7, idtxt, -1, SQLITE_STATIC);
        sqlite3_bind_text(s, 8, subj.s ? subj.s : "", -1, SQLITE_STATIC);
        sqlite3_bind_text(s, 9, payload ? payload : "{}", -1, SQLITE_STATIC);
        sqlite3_bind_text(s, 10, status, -1, SQLITE_STATIC);
        sqlite3_bind_int64(s, 11, (int64_t)next_try);
        rc = sqlite3_step(s) == SQLITE_DONE ? SQLITE_OK : SQLITE_ERROR;
    }
    sqlite3_finalize(s);
    free(payload);
    free(idtxt);
    sb_free(&subj);
    return rc == SQLITE_OK ? 0 : -1;
}

/* One row per channel that takes this severity; a row on channel "-"
 * when there is none, so the message is still on record. */
int notify_queue_message(sqlite3 *db, const struct notify_config *nc, time_t now, const char *kind,
                         int sev, const char *incident, const json_t *ids, const json_t *msg,
                         time_t release)
{
    unsigned queued = 0;
    for (unsigned i = 0; i < nc->nchannels; i++) {
        const struct notify_channel *c = &nc->ch[i];
        if (c->min_severity[0] && strcmp(kind, "digest") != 0 &&
            sev < alert_severity_parse(c->min_severity))
            continue;
        if (insert_row(db, now, c->name, kind, sev, incident, ids, msg, "pending", release) < 0)
            return -1;
        queued++;
    }
    if (!queued)
        return insert_row(db, now, "-", kind, sev, incident, ids, msg, "no-channel", 0);
    return 0;
}

/* Alerts of a folded incident were not told one by one: the digest lists
 * them. */
static int mark_folded(sqlite3 *db, const json_t *ids)
{
    char *txt = json_dumps(ids, JSON_COMPACT);
    sqlite3_stmt *s = NULL;
    int rc = sqlite3_prepare_v2(db,
                                "UPDATE notify_alerts SET route = 'folded' WHERE alert_id IN"
                                " (SELECT value FROM json_each(?1))",
                                -1, &s, NULL);
    if (rc == SQLITE_OK) {
        sqlite3_bind_text(s, 1, txt ? txt : "[]", -1, SQLITE_STATIC);
        rc = sqlite3_step(s) == SQLITE_DONE ? SQLITE_OK : SQLITE_ERROR;
    }
    sqlite3_finalize(s);
    free(txt);
    return rc == SQLITE_OK ? 0 : -1;
}

static int queue_batch(sqlite3 *db, const struct notify_config *nc, time_t now, struct batch *b,
                       struct notify_round *r)
{
    unsigned sent = sent_last_hour(db, now);
    for (size_t i = 0; i < b->n; i++) {
        struct group *g = &b->g[i];
        const char *kind = g->followup ? "followup" : "incident";
        if (!notify_cap_allows(nc, sent)) {
            /* Over the cap: on record, told as "and N more" next time. */
            if (insert_row(db, now, "-", kind, g->sev, g->key, g->ids, g->msg, "folded", 0) < 0 ||
                mark_folded(db, g->ids) < 0)
                return -1;
            r->folded++;
            continue;
        }
        int folded = count_folded(db);
        if (folded > 0) {
            json_int_t more = json_integer_value(json_object_get(g->msg, "more"));
            json_object_set_new(g->msg, "more", json_integer(more + folded));
            if (ndb_exec(db, "UPDATE notifications SET status = 'told' WHERE status = 'folded'",
                         NULL, 0) < 0)
                return -1;
        }
        /* Only an incident actually told is open: a folded one opens again
         * with its next alert. */
        time_t release = notify_release_time(nc, g->sev, now);
        if (notify_queue_message(db, nc, now, kind, g->sev, g->key, g->ids, g->msg, release) < 0)
            return -1;
        /* A critical follow-up in the night also releases the incident's
         * first message held for the morning: people woken by the update
         * need the beginning of the story. */
        if (release <= now) {
            char *sql = sqlite3_mprintf("UPDATE notifications SET next_try = %lld"
                                        " WHERE incident = %Q AND status = 'pending'"
                                        " AND attempts = 0 AND next_try > %lld",
                                        (long long)now, g->key, (long long)now);
            int e = sqlite3_exec(db, sql, NULL, NULL, NULL);
            sqlite3_free(sql);
            if (e != SQLITE_OK)
                return -1;
        }
        sent++;
        r->messages++;
    }
    return 0;
}

/* --- one round --- */

int notify_run_round(struct notify_db *d, const struct notify_config *nc, const char *db_path,
                     time_t now, unsigned max_timeout, struct notify_round *r, char *err,
                     size_t errlen)
{
    sqlite3 *db = ndb_handle(d);
    struct batch b = {0};
    memset(r, 0, sizeof(*r));
    if (ndb_exec(db, "BEGIN IMMEDIATE", err, errlen) < 0)
        return -1;
    if (take_alerts(db, nc, db_path, now, &b, &r->new_alerts) < 0 ||
        queue_batch(db, nc, now, &b, r) < 0 || notify_take_faults(db, nc, now, r) < 0) {
        snprintf(err, errlen, "notifications: %s", sqlite3_errmsg(db));
        ndb_exec(db, "ROLLBACK", NULL, 0);
        batch_free(&b);
        return -1;
    }
    batch_free(&b);
    /* The first round starts the digest schedule; it does not send one. */
    time_t slot = notify_digest_slot(nc, now);
    int64_t last = ndb_state_get(db, "last_digest", -1);
    if (last < 0 && ndb_state_set(db, "last_digest", slot ? slot : now) < 0) {
        snprintf(err, errlen, "notifications: %s", sqlite3_errmsg(db));
        ndb_exec(db, "ROLLBACK", NULL, 0);
        return -1;
    }
    if (ndb_exec(db, "COMMIT", err, errlen) < 0) {
        ndb_exec(db, "ROLLBACK", NULL, 0);
        return -1;
    }
    if (last >= 0 && slot > (time_t)last) {
        json_t *m = notify_make_digest(d, nc, db_path, now, 1, err, errlen);
        if (!m && *err)
            return -1;
        if (m)
            r->messages++;
        json_decref(m);
        if (ndb_state_set(db, "last_digest", slot) < 0) {
            snprintf(err, errlen, "notifications: %s", sqlite3_errmsg(db));
            return -1;
        }
    }
    notify_deliver_due(d, nc, now, max_timeout, r);
    return 0;
}

json_t *notify_test_message(const struct notify_config *nc, const char *channel)
{
    enum ui_lang lang = notify_lang(nc);
    json_t *m = notify_new_message(nc, "test", SEV_INFO, time(NULL));
    char title[160];
    snprintf(title, sizeof(title),
             L(lang, "Test message for channel '%s'", "通知先「%s」のテストメッセージ"), channel);
    json_object_set_new(m, "title", json_string(title));
    json_object_set_new(
        m, "text",
        json_string(L(lang,
                      "This is a test from mamori. If you can read this, notifications on "
                      "this channel work: urgent findings will arrive here at once, the rest "
                      "in a summary.",
                      "mamori からのテスト送信です。このメッセージが届いていれば、この通知先は"
                      "正しく設定されています。緊急の検出はすぐに、それ以外はまとめてお知らせ"
                      "します。")));
    json_object_set_new(m, "action",
                        json_string(L(lang, "No action is needed.", "対応は不要です。")));
    return m;
}
