/* notify-deliver.c - sending the queued rows that are due, with retries:
 * exponential backoff, give-up after notify.give_up, and a channel that
 * fails once in a round is not tried again in it.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "notify/notify-int.h"
#include "util/util.h"

static const struct notify_channel *find_channel(const struct notify_config *nc, const char *name)
{
    for (unsigned i = 0; i < nc->nchannels; i++)
        if (strcmp(nc->ch[i].name, name) == 0)
            return &nc->ch[i];
    return NULL;
}

static void row_result(sqlite3 *db, int64_t id, const char *status, int attempts, const char *error,
                       time_t next_try, time_t now)
{
    char sent[32];
    notify_iso_utc(now, sent, sizeof(sent));
    sqlite3_stmt *s = NULL;
    if (sqlite3_prepare_v2(db,
                           "UPDATE notifications SET status = ?2, attempts = ?3, last_error = ?4,"
                           " next_try = ?5, sent_at = CASE WHEN ?2 = 'sent' THEN ?6 END"
                           " WHERE id = ?1",
                           -1, &s, NULL) == SQLITE_OK) {
        sqlite3_bind_int64(s, 1, id);
        sqlite3_bind_text(s, 2, status, -1, SQLITE_STATIC);
        sqlite3_bind_int(s, 3, attempts);
        if (error)
            sqlite3_bind_text(s, 4, error, -1, SQLITE_STATIC);
        sqlite3_bind_int64(s, 5, (int64_t)next_try);
        sqlite3_bind_text(s, 6, sent, -1, SQLITE_STATIC);
        if (sqlite3_step(s) != SQLITE_DONE)
            warning("notify: cannot record a delivery: %s", sqlite3_errmsg(db));
    }
    sqlite3_finalize(s);
}

/* Claims a row for this process (another notifier may share the file): a
 * lease of 10 minutes, so a crash mid-delivery only delays the retry. */
static int claim(sqlite3 *db, int64_t id, time_t now)
{
    sqlite3_stmt *s = NULL;
    int ok = 0;
    if (sqlite3_prepare_v2(db,
                           "UPDATE notifications SET next_try = ?2 WHERE id = ?1"
                           " AND status = 'pending' AND next_try <= ?3",
                           -1, &s, NULL) == SQLITE_OK) {
        sqlite3_bind_int64(s, 1, id);
        sqlite3_bind_int64(s, 2, (int64_t)now + 600);
        sqlite3_bind_int64(s, 3, (int64_t)now);
        ok = sqlite3_step(s) == SQLITE_DONE && sqlite3_changes(db) == 1;
    }
    sqlite3_finalize(s);
    return ok;
}

struct due {
    int64_t id;
    char channel[32];
    char *payload;
    int attempts;
    time_t created;
};

int notify_deliver_due(struct notify_db *d, const struct notify_config *nc, time_t now,
                       unsigned max_timeout, struct notify_round *r)
{
    sqlite3 *db = ndb_handle(d);
    sqlite3_stmt *s = NULL;
    uint64_t start_ms = mono_ms();
    struct due due[64];
    size_t n = 0;
    /* Read first, deliver after: no statement stays open across the network. */
    if (sqlite3_prepare_v2(db,
                           "SELECT id, channel, payload, attempts, created_ts FROM notifications"
                           " WHERE status = 'pending' AND next_try <= ?1 ORDER BY id LIMIT 64",
                           -1, &s, NULL) != SQLITE_OK)
        return -1;
    sqlite3_bind_int64(s, 1, (int64_t)now);
    while (n < ARRAY_SIZE(due) && sqlite3_step(s) == SQLITE_ROW) {
        due[n].id = sqlite3_column_int64(s, 0);
        snprintf(due[n].channel, sizeof(due[n].channel), "%s", ndb_col(s, 1));
        due[n].payload = xstrdup(ndb_col(s, 2));
        due[n].attempts = sqlite3_column_int(s, 3);
        due[n].created = (time_t)sqlite3_column_int64(s, 4);
        n++;
    }
    sqlite3_finalize(s);
    int tried = 0;
    /* A channel that failed once this round is not tried again in it: a
     * hanging receiver costs one timeout per round, not one per message.
     * Its other due rows count the same failure (same error, same backoff
     * and give-up rules) without touching the network. */
    char down[NOTIFY_MAX_CHANNELS][32], down_err[NOTIFY_MAX_CHANNELS][256];
    unsigned ndown = 0;
    for (size_t i = 0; i < n; i++) {
        struct due *u = &due[i];
        const struct notify_channel *ch = find_channel(nc, u->channel);
        json_t *msg = json_loads(u->payload, 0, NULL);
        free(u->payload);
        if (!ch || !msg) {
            row_result(db, u->id, "failed", u->attempts,
                       !ch ? "the channel is no longer configured" : "unreadable message", 0, now);
            json_decref(msg);
            r->gave_up++;
            continue;
        }
        unsigned k;
        for (k = 0; k < ndown && strcmp(down[k], u->channel) != 0; k++)
            ;
        /* A stopping notifier has a budget for the whole round. */
        if ((k == ndown && max_timeout && mono_ms() - start_ms > 2000u * max_timeout) ||
            !claim(db, u->id, now)) {
            json_decref(msg);
            continue;
        }
        char err[256] = "";
        int attempts = u->attempts + 1, rc, fresh = k == ndown;
        if (!fresh) {
            snprintf(err, sizeof(err), "%s", down_err[k]);
            rc = -1;
        } else {
            tried++;
            rc = notify_deliver(ch, msg, time(NULL), max_timeout, err, sizeof(err));
            if (rc < 0 && ndown < NOTIFY_MAX_CHANNELS) {
                snprintf(down[ndown], sizeof(down[0]), "%s", u->channel);
                snprintf(down_err[ndown++], sizeof(down_err[0]), "%s", err);
            }
        }
        if (rc == 0) {
            row_result(db, u->id, "sent", attempts, NULL, 0, now);
            r->delivered++;
        } else {
            time_t next = now + (time_t)notify_backoff(nc->retry_base, (unsigned)attempts);
            if (next - u->created > (time_t)nc->give_up) {
                char e2[320];
                snprintf(e2, sizeof(e2), "gave up after %d attempts: %s", attempts, err);
                row_result(db, u->id, "failed", attempts, e2, 0, now);
                warning("notify: %s: %s", u->channel, e2);
                r->gave_up++;
            } else {
                row_result(db, u->id, "pending", attempts, err, next, now);
                if (fresh)
                    warning("notify: %s: delivery failed (%s); next try in %ld s", u->channel, err,
                            (long)(next - now));
                r->failed++;
            }
        }
        json_decref(msg);
    }
    return tried;
}
