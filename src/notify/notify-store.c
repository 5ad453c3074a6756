/* notify-store.c - schema step 5 and the notifier's own connection.
 *
 * notifications: one row per message and channel. The row keeps the whole
 * message (payload, JSON) so a retry after a restart sends the same words;
 * status is pending (next_try says when), sent, failed (gave up after
 * notify.give_up) or folded (over the hourly cap: told as "and N more" in
 * the next message and in the digest). The incidents told within the
 * grouping window are read from it too.
 * notify_alerts: what the notifier has seen of each alert (the severity it
 *   took it at, so an escalation is noticed once, and its route).
 * The counters (last alert id taken, last digest) are rows "notify.*" of
 * the key/value table `state` (schema step 4). The step is kept to two
 * tables and no index: every page of an empty schema is written to the WAL
 * of each new database, and the notifier's tables stay small.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "decode/decode.h"
#include "util/netaddr.h"

#include "notify/notify-int.h"
#include "util/util.h"

const char store_notify_schema_v5[] =
    "CREATE TABLE notifications ("
    " id INTEGER PRIMARY KEY,"
    " created_at TEXT NOT NULL,"    /* ISO 8601 UTC */
    " created_ts INTEGER NOT NULL," /* Unix seconds */
    " channel TEXT NOT NULL,"
    " kind TEXT NOT NULL," /* incident, followup, digest, test */
    " severity INTEGER,"
    " incident TEXT,"
    " alert_ids TEXT," /* JSON array of alerts.id */
    " subject TEXT,"
    " payload TEXT NOT NULL," /* the message (docs/notify.md) */
    " status TEXT NOT NULL,"  /* pending, sent, failed, folded, told */
    " attempts INTEGER NOT NULL DEFAULT 0,"
    " next_try INTEGER," /* Unix seconds, for pending */
    " last_error TEXT,"
    " sent_at TEXT);"
    "CREATE TABLE notify_alerts ("
    " alert_id INTEGER PRIMARY KEY,"
    " severity INTEGER NOT NULL,"
    " incident TEXT,"
    " route TEXT NOT NULL," /* immediate, followup, grouped, folded, digest */
    " seen_ts INTEGER NOT NULL);";

struct notify_db {
    sqlite3 *db;
};

sqlite3 *ndb_handle(struct notify_db *d)
{
    return d->db;
}

struct notify_db *ndb_open(const char *path, char *err, size_t errlen)
{
    sqlite3 *db = NULL;
    int rc = sqlite3_open_v2(path, &db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_FULLMUTEX, NULL);
    if (rc != SQLITE_OK) {
        snprintf(err, errlen, "cannot open database '%s': %s", path,
                 db ? sqlite3_errmsg(db) : sqlite3_errstr(rc));
        sqlite3_close(db);
        return NULL;
    }
    /* The capture writer may hold the lock for a commit; wait, do not fail. */
    sqlite3_busy_timeout(db, 10000);
    sqlite3_stmt *s = NULL;
    int v = -1;
    if (sqlite3_prepare_v2(db, "PRAGMA user_version", -1, &s, NULL) == SQLITE_OK &&
        sqlite3_step(s) == SQLITE_ROW)
        v = sqlite3_column_int(s, 0);
    sqlite3_finalize(s);
    if (v < 5) {
        snprintf(err, errlen, "cannot open database '%s': %s", path,
                 v < 0    ? sqlite3_errmsg(db)
                 : v == 0 ? "not a mamori database (run 'mamori read' or 'mamori watch' first)"
                          : "written by an older mamori: run 'mamori read' once to upgrade it");
        sqlite3_close(db);
        return NULL;
    }
    struct notify_db *d = xcalloc(1, sizeof(*d));
    d->db = db;
    return d;
}

void ndb_close(struct notify_db *d)
{
    if (!d)
        return;
    sqlite3_close(d->db);
    free(d);
}

int notify_last_sent(sqlite3 *db, char *buf, size_t len)
{
    sqlite3_stmt *s = NULL;
    if (sqlite3_prepare_v2(db,
                           "SELECT coalesce(sent_at, created_at), channel, status, last_error"
                           " FROM notifications WHERE status IN ('sent', 'failed', 'pending')"
                           " AND attempts > 0 ORDER BY id DESC LIMIT 1",
                           -1, &s, NULL) != SQLITE_OK) {
        snprintf(buf, len, "unknown");
        return -1;
    }
    if (sqlite3_step(s) == SQLITE_ROW) {
        const char *st = (const char *)sqlite3_column_text(s, 2);
        const char *e = (const char *)sqlite3_column_text(s, 3);
        snprintf(buf, len, "%s %s %s%s%s", (const char *)sqlite3_column_text(s, 0),
                 (const char *)sqlite3_column_text(s, 1),
                 strcmp(st ? st : "", "sent") == 0 ? "ok"
                 : st ? st
                      : "?",
                 e && strcmp(st ? st : "", "sent") != 0 ? ": " : "",
                 e && strcmp(st ? st : "", "sent") != 0 ? e : "");
    } else {
        snprintf(buf, len, "never");
    }
    sqlite3_finalize(s);
    return 0;
}

/* --- small helpers shared by the notifier files --- */

int ndb_exec(sqlite3 *db, const char *sql, char *err, size_t errlen)
{
    char *m = NULL;
    if (sqlite3_exec(db, sql, NULL, NULL, &m) != SQLITE_OK) {
        snprintf(err, errlen, "notifications: %s", m ? m : sqlite3_errmsg(db));
        sqlite3_free(m);
        return -1;
    }
    return 0;
}

int64_t ndb_state_get(sqlite3 *db, const char *key, int64_t dflt)
{
    sqlite3_stmt *s = NULL;
    int64_t v = dflt;
    if (sqlite3_prepare_v2(db, "SELECT value FROM state WHERE key = 'notify.' || ?1", -1, &s,
                           NULL) == SQLITE_OK) {
        sqlite3_bind_text(s, 1, key, -1, SQLITE_STATIC);
        if (sqlite3_step(s) == SQLITE_ROW)
            v = sqlite3_column_int64(s, 0);
    }
    sqlite3_finalize(s);
    return v;
}

int ndb_state_set(sqlite3 *db, const char *key, int64_t v)
{
    sqlite3_stmt *s = NULL;
    int rc = sqlite3_prepare_v2(db,
                                "INSERT INTO state (key, value) VALUES ('notify.' || ?1, ?2)"
                                " ON CONFLICT (key) DO UPDATE SET value = excluded.value",
                                -1, &s, NULL);
    if (rc == SQLITE_OK) {
        sqlite3_bind_text(s, 1, key, -1, SQLITE_STATIC);
        sqlite3_bind_int64(s, 2, v);
        rc = sqlite3_step(s) == SQLITE_DONE ? SQLITE_OK : SQLITE_ERROR;
    }
    sqlite3_finalize(s);
    return rc == SQLITE_OK ? 0 : -1;
}

void notify_iso_utc(time_t t, char *buf, size_t len)
{
    struct tm tm;
    gmtime_r(&t, &tm);
    strftime(buf, len, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

const char *ndb_col(sqlite3_stmt *s, int i)
{
    const char *t = (const char *)sqlite3_column_text(s, i);
    return t ? t : "";
}
