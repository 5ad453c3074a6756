/* retention.c - pruning old data in small batches (retention.h).
 *
 * How each table is found old without scanning it:
 *  - flows and alerts have a first_ts index: the oldest rows come first.
 *  - event tables (dns, tls, ...) have no ts index (a fifth index would
 *    cost every insert), but their ids grow with time: the batch looks at
 *    the `batch` lowest ids (the rowid b-tree's first pages) and deletes
 *    those that are old. When none of them is old the table is done. A row
 *    stored later with an older time (a `mamori read` of an old capture
 *    after live capture) waits until the rows before it are pruned.
 *  - device histories and sensor_gaps are small (per device / per outage):
 *    a plain filtered delete.
 */
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "service/retention.h"
#include "util/util.h"

enum ret_kind { RK_INDEXED, RK_HEAD, RK_SMALL, RK_TEXT };

struct ret_table {
    const char *name;
    enum ret_kind kind;
    int long_lived; /* kept for alert_retention_days */
    const char *sql; /* ?1 cut (microseconds or ISO text), ?2 batch */
};

#define HEAD(t)                                                                              \
    {t, RK_HEAD, 0,                                                                           \
     "DELETE FROM " t " WHERE id IN (SELECT id FROM (SELECT id, ts FROM " t                 \
     " ORDER BY id LIMIT ?2) WHERE ts < ?1)"}
#define HISTORY(t)                                                                           \
    {t, RK_SMALL, 0,                                                                          \
     "DELETE FROM " t " WHERE rowid IN (SELECT rowid FROM " t " WHERE last_ts < ?1 LIMIT ?2)"}

static const struct ret_table ret_tables[] = {
    {"flows", RK_INDEXED, 0,
     "DELETE FROM flows WHERE id IN (SELECT id FROM flows WHERE first_ts < ?1"
     " ORDER BY first_ts LIMIT ?2)"},
    HEAD("dns"), HEAD("dhcp"), HEAD("dhcpv6"), HEAD("tls"), HEAD("http"), HEAD("smtp"),
    HEAD("pop3"), HEAD("imap"), HEAD("ftp"), HEAD("telnet"), HEAD("ssh"), HEAD("smb"),
    HEAD("quic"), HEAD("rdp"), HEAD("anomalies"), HEAD("app_events"),
    HISTORY("device_ips"), HISTORY("device_names"), HISTORY("device_evidence"),
    HISTORY("device_peers"),
    {"alerts", RK_INDEXED, 1,
     "DELETE FROM alerts WHERE id IN (SELECT id FROM alerts WHERE first_ts < ?1"
     " AND last_ts < ?1 ORDER BY first_ts LIMIT ?2)"},
    {"sensor_gaps", RK_SMALL, 1,
     "DELETE FROM sensor_gaps WHERE id IN (SELECT id FROM sensor_gaps"
     " WHERE end_ts IS NOT NULL AND end_ts < ?1 LIMIT ?2)"},
    {"notifications", RK_TEXT, 1,
     "DELETE FROM notifications WHERE id IN (SELECT id FROM notifications"
     " WHERE created_at < ?1 AND status <> 'pending' ORDER BY id LIMIT ?2)"},
};

/* The event tables again, for emergency pruning. */
static const char *const ret_event_tables[] = {
    "dns", "dhcp", "dhcpv6", "tls", "http", "smtp", "pop3", "imap",
    "ftp", "telnet", "ssh", "smb", "quic", "rdp", "anomalies", "app_events",
};

int retention_disk_low(int64_t free_mb, uint32_t min_free_mb)
{
    return free_mb >= 0 && (uint64_t)free_mb < min_free_mb;
}

static void iso_of_us(uint64_t us, char *out, size_t len)
{
    time_t secs = (time_t)(us / 1000000u);
    struct tm tm;
    if (!gmtime_r(&secs, &tm))
        memset(&tm, 0, sizeof(tm));
    strftime(out, len, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

/* Runs one DELETE in its own IMMEDIATE transaction. Returns rows deleted,
 * -2 when the table does not exist (an older schema), -1 on error. */
static long ret_delete(sqlite3 *db, const char *sql, int64_t cut, const char *cut_text,
                       uint32_t batch, char *err, size_t errlen)
{
    sqlite3_stmt *st = NULL;
    if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) != SQLITE_OK) {
        if (strstr(sqlite3_errmsg(db), "no such table"))
            return -2;
        snprintf(err, errlen, "%s", sqlite3_errmsg(db));
        return -1;
    }
    if (cut_text)
        sqlite3_bind_text(st, 1, cut_text, -1, SQLITE_STATIC);
    else
        sqlite3_bind_int64(st, 1, cut);
    sqlite3_bind_int64(st, 2, batch);
    /* IMMEDIATE takes the write lock up front: a busy store waits here (the
     * busy timeout), not halfway through the delete. */
    if (sqlite3_exec(db, "BEGIN IMMEDIATE", NULL, NULL, NULL) != SQLITE_OK) {
        snprintf(err, errlen, "%s", sqlite3_errmsg(db));
        sqlite3_finalize(st);
        return -1;
    }
    int rc = sqlite3_step(st);
    sqlite3_finalize(st);
    if (rc != SQLITE_DONE) {
        snprintf(err, errlen, "%s", sqlite3_errmsg(db));
        sqlite3_exec(db, "ROLLBACK", NULL, NULL, NULL);
        return -1;
    }
    long n = (long)sqlite3_changes(db);
    if (sqlite3_exec(db, "COMMIT", NULL, NULL, NULL) != SQLITE_OK) {
        snprintf(err, errlen, "%s", sqlite3_errmsg(db));
        if (!sqlite3_get_autocommit(db))
            sqlite3_exec(db, "ROLLBACK", NULL, NULL, NULL);
        return -1;
    }
    return n;
}

long retention_step(sqlite3 *db, const struct retention_cfg *cfg, uint64_t now_us,
                    struct retention_progress *pr, char *err, size_t errlen)
{
    const uint64_t day_us = 86400ull * 1000000u;
    while (pr->table < ARRAY_SIZE(ret_tables)) {
        const struct ret_table *t = &ret_tables[pr->table];
        uint64_t keep = (t->long_lived ? cfg->alert_retention_days : cfg->retention_days) * day_us;
        uint64_t cut = now_us > keep ? now_us - keep : 0;
        char cut_text[32];
        if (t->kind == RK_TEXT)
            iso_of_us(cut, cut_text, sizeof(cut_text));
        long n = ret_delete(db, t->sql, (int64_t)cut, t->kind == RK_TEXT ? cut_text : NULL,
                            cfg->batch, err, errlen);
        if (n == -1)
            return -1;
        if (n > 0) {
            pr->deleted += (uint64_t)n;
            /* A head batch that was only partly old has reached new rows. */
            if (t->kind == RK_HEAD && (uint32_t)n < cfg->batch)
                pr->table++;
            return n;
        }
        pr->table++;
    }
    pr->done = 1;
    return 0;
}

long retention_emergency_step(sqlite3 *db, uint32_t batch, char *err, size_t errlen)
{
    long total = ret_delete(db,
                            "DELETE FROM flows WHERE id IN (SELECT id FROM flows"
                            " ORDER BY first_ts LIMIT ?2) AND ?1 = ?1",
                            0, NULL, batch, err, errlen);
    if (total == -1)
        return -1;
    if (total < 0)
        total = 0;
    /* Events older than the oldest flow left go with their flows. With no
     * flows left, the oldest batch of each table goes. */
    sqlite3_stmt *st = NULL;
    int64_t cut = INT64_MAX;
    if (sqlite3_prepare_v2(db, "SELECT min(first_ts) FROM flows", -1, &st, NULL) == SQLITE_OK &&
        sqlite3_step(st) == SQLITE_ROW && sqlite3_column_type(st, 0) != SQLITE_NULL)
        cut = sqlite3_column_int64(st, 0);
    sqlite3_finalize(st);
    for (size_t i = 0; i < ARRAY_SIZE(ret_event_tables); i++) {
        char sql[256];
        snprintf(sql, sizeof(sql),
                 "DELETE FROM %s WHERE id IN (SELECT id FROM (SELECT id, ts FROM %s"
                 " ORDER BY id LIMIT ?2) WHERE ts < ?1)",
                 ret_event_tables[i], ret_event_tables[i]);
        long n = ret_delete(db, sql, cut, NULL, batch, err, errlen);
        if (n == -1)
            return -1;
        if (n > 0)
            total += n;
    }
    return total;
}

int64_t retention_db_free_bytes(sqlite3 *db)
{
    sqlite3_stmt *st = NULL;
    int64_t pages = -1, size = -1;
    if (sqlite3_prepare_v2(db, "PRAGMA freelist_count", -1, &st, NULL) == SQLITE_OK &&
        sqlite3_step(st) == SQLITE_ROW)
        pages = sqlite3_column_int64(st, 0);
    sqlite3_finalize(st);
    st = NULL;
    if (sqlite3_prepare_v2(db, "PRAGMA page_size", -1, &st, NULL) == SQLITE_OK &&
        sqlite3_step(st) == SQLITE_ROW)
        size = sqlite3_column_int64(st, 0);
    sqlite3_finalize(st);
    if (pages < 0 || size <= 0)
        return -1;
    return pages * size;
}
