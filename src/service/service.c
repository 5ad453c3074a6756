/* service.c - gaps, state, checkpoints, free space and the pid file of the
 * always-on sensor (service.h). */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/statvfs.h>
#include <time.h>
#include <unistd.h>

#include "service/service.h"
#include "util/util.h"

int64_t svc_free_mb_override = -1;

/* The service writes little and rarely, but the store's writer may hold the
 * lock for a commit: wait like it does. */
#define SVC_BUSY_TIMEOUT_MS 5000

uint64_t svc_now_us(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    return (uint64_t)ts.tv_sec * 1000000u + (uint64_t)ts.tv_nsec / 1000u;
}

static int64_t i64(uint64_t v)
{
    return v > (uint64_t)INT64_MAX ? INT64_MAX : (int64_t)v;
}

int svc_open(struct svc_db *s, const char *path, char *err, size_t errlen)
{
    memset(s, 0, sizeof(*s));
    snprintf(s->path, sizeof(s->path), "%s", path);
    /* No CREATE: the store sink made the file and its schema; a missing
     * file here means it was deleted, which the caller wants to know. */
    int rc = sqlite3_open_v2(path, &s->db, SQLITE_OPEN_READWRITE, NULL);
    if (rc != SQLITE_OK) {
        snprintf(err, errlen, "%s", s->db ? sqlite3_errmsg(s->db) : sqlite3_errstr(rc));
        sqlite3_close(s->db);
        s->db = NULL;
        return -1;
    }
    sqlite3_busy_timeout(s->db, SVC_BUSY_TIMEOUT_MS);
    /* The first read opens the -wal and -shm files: done now, while the
     * caller may still be root, so the connection keeps working after
     * `watch` drops privileges. It also checks the file is a database. */
    sqlite3_stmt *st = NULL;
    rc = sqlite3_prepare_v2(s->db, "SELECT count(*) FROM sensor_gaps", -1, &st, NULL);
    if (rc == SQLITE_OK)
        rc = sqlite3_step(st) == SQLITE_ROW ? SQLITE_OK : SQLITE_ERROR;
    sqlite3_finalize(st);
    if (rc != SQLITE_OK) {
        snprintf(err, errlen, "%s", sqlite3_errmsg(s->db));
        sqlite3_close(s->db);
        s->db = NULL;
        return -1;
    }
    sqlite3_exec(s->db, "PRAGMA synchronous = FULL", NULL, NULL, NULL);
    return 0;
}

void svc_close(struct svc_db *s)
{
    if (s->db)
        sqlite3_close(s->db);
    s->db = NULL;
}

/* Runs one statement whose n parameters are all integers. */
static int svc_exec_i(struct svc_db *s, const char *sql, int n, const int64_t *v)
{
    sqlite3_stmt *st = NULL;
    if (!s->db || sqlite3_prepare_v2(s->db, sql, -1, &st, NULL) != SQLITE_OK)
        return -1;
    for (int i = 0; i < n; i++)
        sqlite3_bind_int64(st, i + 1, v[i]);
    int rc = sqlite3_step(st);
    sqlite3_finalize(st);
    return rc == SQLITE_DONE || rc == SQLITE_ROW ? 0 : -1;
}

static int64_t svc_query_i(sqlite3 *db, const char *sql, int64_t arg, int64_t dflt)
{
    sqlite3_stmt *st = NULL;
    int64_t out = dflt;
    if (!db || sqlite3_prepare_v2(db, sql, -1, &st, NULL) != SQLITE_OK)
        return dflt;
    if (sqlite3_bind_parameter_count(st) >= 1)
        sqlite3_bind_int64(st, 1, arg);
    if (sqlite3_step(st) == SQLITE_ROW && sqlite3_column_type(st, 0) != SQLITE_NULL)
        out = sqlite3_column_int64(st, 0);
    sqlite3_finalize(st);
    return out;
}

int64_t svc_gap_open(struct svc_db *s, uint64_t start_us, const char *reason, const char *detail)
{
    sqlite3_stmt *st = NULL;
    if (!s->db || sqlite3_prepare_v2(s->db,
                                     "INSERT INTO sensor_gaps (start_ts, reason, detail)"
                                     " VALUES (?1, ?2, ?3)",
                                     -1, &st, NULL) != SQLITE_OK)
        return -1;
    sqlite3_bind_int64(st, 1, i64(start_us));
    sqlite3_bind_text(st, 2, reason, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 3, detail, -1, SQLITE_STATIC);
    int rc = sqlite3_step(st);
    sqlite3_finalize(st);
    if (rc != SQLITE_DONE)
        return -1;
    return sqlite3_last_insert_rowid(s->db);
}

int svc_gap_close(struct svc_db *s, int64_t id, uint64_t end_us)
{
    int64_t v[2] = {id, i64(end_us)};
    return svc_exec_i(s, "UPDATE sensor_gaps SET end_ts = max(start_ts, ?2) WHERE id = ?1", 2, v);
}

/* When an earlier run last showed life: its last packet, else its last
 * checkpoint; from runs. */
static const char svc_prev_run_sql[] =
    "SELECT max(coalesce(last_ts, 0), coalesce((SELECT value FROM run_counters"
    " WHERE run_id = runs.id AND name = 'service.checkpoint_us'), 0))"
    " FROM runs WHERE command = 'watch' AND id < ?1 ORDER BY id DESC LIMIT 1";

int svc_gap_between_runs(struct svc_db *s, int64_t this_run, uint64_t now_us, unsigned min_gap_s)
{
    int64_t last = svc_query_i(s->db, svc_prev_run_sql, this_run, 0);
    if (last <= 0 || (uint64_t)last >= now_us ||
        now_us - (uint64_t)last < (uint64_t)min_gap_s * 1000000u)
        return 0;
    sqlite3_stmt *st = NULL;
    if (sqlite3_prepare_v2(s->db,
                           "INSERT INTO sensor_gaps (start_ts, end_ts, reason, detail)"
                           " VALUES (?1, ?2, 'not_running', 'mamori watch was not running')",
                           -1, &st, NULL) != SQLITE_OK)
        return -1;
    sqlite3_bind_int64(st, 1, last);
    sqlite3_bind_int64(st, 2, i64(now_us));
    int rc = sqlite3_step(st);
    sqlite3_finalize(st);
    return rc == SQLITE_DONE ? 1 : -1;
}

int svc_gap_close_stale(struct svc_db *s, int64_t this_run)
{
    int64_t last = svc_query_i(s->db, svc_prev_run_sql, this_run, 0);
    int64_t v[1] = {last > 0 ? last : i64(svc_now_us())};
    if (svc_exec_i(s, "UPDATE sensor_gaps SET end_ts = max(start_ts, ?1) WHERE end_ts IS NULL", 1,
                   v) < 0)
        return -1;
    return sqlite3_changes(s->db);
}

int64_t svc_latest_run(struct svc_db *s)
{
    return svc_query_i(s->db, "SELECT max(id) FROM runs", 0, 0);
}

int svc_checkpoint(struct svc_db *s, uint64_t packets, uint64_t bytes, uint64_t flows,
                   uint64_t kernel_drops, uint64_t iface_drops, uint64_t first_ts_us,
                   uint64_t last_ts_us)
{
    if (!s->db || !s->run_id)
        return -1;
    int64_t now = i64(svc_now_us());
    int64_t v[8] = {s->run_id,        i64(packets),     i64(bytes),       i64(flows),
                    i64(kernel_drops), i64(iface_drops), i64(first_ts_us), i64(last_ts_us)};
    if (sqlite3_exec(s->db, "BEGIN IMMEDIATE", NULL, NULL, NULL) != SQLITE_OK)
        return -1;
    int rc = svc_exec_i(s,
                        "UPDATE runs SET packets = ?2, bytes = ?3, flows = ?4, kernel_drops = ?5,"
                        " iface_drops = ?6, first_ts = nullif(?7, 0), last_ts = nullif(?8, 0)"
                        " WHERE id = ?1 AND status = 'running'",
                        8, v);
    int64_t c[2] = {s->run_id, now};
    if (rc == 0)
        rc = svc_exec_i(s,
                        "INSERT OR REPLACE INTO run_counters (run_id, name, value)"
                        " VALUES (?1, 'service.checkpoint_us', ?2)",
                        2, c);
    if (rc == 0 && sqlite3_exec(s->db, "COMMIT", NULL, NULL, NULL) == SQLITE_OK)
        return 0;
    if (!sqlite3_get_autocommit(s->db))
        sqlite3_exec(s->db, "ROLLBACK", NULL, NULL, NULL);
    return -1;
}

int svc_run_mark(struct svc_db *s, int64_t run_id, const char *status)
{
    sqlite3_stmt *st = NULL;
    if (!s->db || sqlite3_prepare_v2(s->db,
                                     "UPDATE runs SET status = ?2,"
                                     " ended_at = strftime('%Y-%m-%dT%H:%M:%SZ', 'now')"
                                     " WHERE id = ?1 AND status = 'running'",
                                     -1, &st, NULL) != SQLITE_OK)
        return -1;
    sqlite3_bind_int64(st, 1, run_id);
    sqlite3_bind_text(st, 2, status, -1, SQLITE_STATIC);
    int rc = sqlite3_step(st);
    sqlite3_finalize(st);
    return rc == SQLITE_DONE ? 0 : -1;
}

int svc_state_set(struct svc_db *s, const char *key, const char *value)
{
    sqlite3_stmt *st = NULL;
    if (!s->db || sqlite3_prepare_v2(s->db, "INSERT OR REPLACE INTO state (key, value) VALUES (?1, ?2)",
                                     -1, &st, NULL) != SQLITE_OK)
        return -1;
    sqlite3_bind_text(st, 1, key, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 2, value, -1, SQLITE_STATIC);
    int rc = sqlite3_step(st);
    sqlite3_finalize(st);
    return rc == SQLITE_DONE ? 0 : -1;
}

int svc_state_set_stamped(struct svc_db *s, const char *key, const char *value)
{
    char buf[600], stamp[32];
    time_t now = time(NULL);
    struct tm tm;
    gmtime_r(&now, &tm);
    strftime(stamp, sizeof(stamp), "%Y-%m-%dT%H:%M:%SZ", &tm);
    snprintf(buf, sizeof(buf), "%s %s", stamp, value);
    return svc_state_set(s, key, buf);
}

int svc_state_get(sqlite3 *db, const char *key, char *out, size_t outlen)
{
    sqlite3_stmt *st = NULL;
    if (outlen)
        out[0] = '\0';
    if (!db || sqlite3_prepare_v2(db, "SELECT value FROM state WHERE key = ?1", -1, &st, NULL) !=
                   SQLITE_OK)
        return -1;
    sqlite3_bind_text(st, 1, key, -1, SQLITE_STATIC);
    int rc = sqlite3_step(st);
    int ret = 1;
    if (rc == SQLITE_ROW) {
        const unsigned char *v = sqlite3_column_text(st, 0);
        snprintf(out, outlen, "%s", v ? (const char *)v : "");
        ret = 0;
    } else if (rc != SQLITE_DONE) {
        ret = -1;
    }
    sqlite3_finalize(st);
    return ret;
}

int svc_state_clear_prefix(struct svc_db *s, const char *prefix)
{
    sqlite3_stmt *st = NULL;
    if (!s->db ||
        sqlite3_prepare_v2(s->db, "DELETE FROM state WHERE substr(key, 1, length(?1)) = ?1", -1,
                           &st, NULL) != SQLITE_OK)
        return -1;
    sqlite3_bind_text(st, 1, prefix, -1, SQLITE_STATIC);
    int rc = sqlite3_step(st);
    sqlite3_finalize(st);
    return rc == SQLITE_DONE ? 0 : -1;
}

int svc_iface_counters(struct svc_db *s, const char *iface, uint64_t packets, uint64_t drops,
                       const char *state)
{
    char key[128], v[32];
    if (!s->db || sqlite3_exec(s->db, "BEGIN IMMEDIATE", NULL, NULL, NULL) != SQLITE_OK)
        return -1;
    snprintf(key, sizeof(key), "capture.%s.packets", iface);
    snprintf(v, sizeof(v), "%llu", (unsigned long long)packets);
    int rc = svc_state_set(s, key, v);
    snprintf(key, sizeof(key), "capture.%s.drops", iface);
    snprintf(v, sizeof(v), "%llu", (unsigned long long)drops);
    if (rc == 0)
        rc = svc_state_set(s, key, v);
    snprintf(key, sizeof(key), "capture.%s.state", iface);
    if (rc == 0)
        rc = svc_state_set(s, key, state);
    if (rc == 0 && sqlite3_exec(s->db, "COMMIT", NULL, NULL, NULL) == SQLITE_OK)
        return 0;
    if (!sqlite3_get_autocommit(s->db))
        sqlite3_exec(s->db, "ROLLBACK", NULL, NULL, NULL);
    return -1;
}

int64_t svc_free_mb(const char *path)
{
    if (svc_free_mb_override >= 0)
        return svc_free_mb_override;
    char dir[1024];
    snprintf(dir, sizeof(dir), "%s", path);
    struct statvfs vs;
    if (statvfs(dir, &vs) < 0) {
        /* The file may be gone: ask about its directory. */
        char *slash = strrchr(dir, '/');
        if (slash && slash != dir)
            *slash = '\0';
        else
            snprintf(dir, sizeof(dir), ".");
        if (statvfs(dir, &vs) < 0)
            return -1;
    }
    /* f_bavail: what an unprivileged writer may still use. */
    return (int64_t)((uint64_t)vs.f_bavail * vs.f_frsize / (1024u * 1024u));
}

void svc_pidfile_path(const char *db, char *out, size_t outlen)
{
    snprintf(out, outlen, "%s.pid", db);
}

int svc_pidfile_write(const char *db)
{
    char path[1100], buf[32];
    svc_pidfile_path(db, path, sizeof(path));
    int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    if (fd < 0)
        return -1;
    int n = snprintf(buf, sizeof(buf), "%ld\n", (long)getpid());
    int rc = write(fd, buf, (size_t)n) == n ? 0 : -1;
    close(fd);
    return rc;
}

void svc_pidfile_remove(const char *db)
{
    char path[1100];
    svc_pidfile_path(db, path, sizeof(path));
    unlink(path);
}

long svc_pidfile_alive(const char *db)
{
    char path[1100], buf[32];
    svc_pidfile_path(db, path, sizeof(path));
    FILE *f = fopen(path, "r");
    if (!f)
        return 0;
    size_t n = fread(buf, 1, sizeof(buf) - 1, f);
    fclose(f);
    buf[n] = '\0';
    char *end;
    long pid = strtol(buf, &end, 10);
    if (pid <= 0 || end == buf)
        return 0;
    /* EPERM: alive but another user's (watch runs as mamori). */
    if (kill((pid_t)pid, 0) == 0 || errno == EPERM)
        return pid;
    return 0;
}
