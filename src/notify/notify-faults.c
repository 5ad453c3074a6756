/* notify-faults.c - telling people when the sensor itself is in trouble:
 * a capture or store outage (an open row of sensor_gaps), a long time not
 * running, or the disk nearly full (state `disk.low`, set by `mamori
 * watch`). One message per fault, sent at once like a high finding; the
 * fault's id is remembered in `state` so it is told once. */
#include <jansson.h>
#include <sqlite3.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "detect/alert.h"
#include "notify/notify-int.h"
#include "util/i18n.h"
#include "util/util.h"

#define L(lang, en, ja) ((lang) == LANG_JA ? (ja) : (en))

/* A stop shorter than this is a restart or an update, not news. */
#define FAULT_NOT_RUNNING_MIN_S (30 * 60)

static void fault_local_time(int64_t us, char *buf, size_t len)
{
    time_t t = (time_t)(us / 1000000);
    struct tm tm;
    localtime_r(&t, &tm);
    strftime(buf, len, "%Y-%m-%d %H:%M", &tm);
}

static int fault_queue(sqlite3 *db, const struct notify_config *nc, time_t now, const char *key,
                       const char *title, const char *text, const char *action,
                       struct notify_round *r)
{
    json_t *m = notify_new_message(nc, "sensor", SEV_HIGH, now);
    json_object_set_new(m, "title", json_string(title));
    json_object_set_new(m, "text", json_string(text));
    json_object_set_new(m, "action", json_string(action));
    json_object_set_new(m, "command", json_string("mamori status"));
    json_t *ids = json_array();
    int rc = notify_queue_message(db, nc, now, "sensor", SEV_HIGH, key, ids, m,
                                  notify_release_time(nc, SEV_HIGH, now));
    json_decref(ids);
    json_decref(m);
    if (rc == 0)
        r->messages++;
    return rc;
}

static int fault_gaps(sqlite3 *db, const struct notify_config *nc, time_t now,
                      struct notify_round *r)
{
    enum ui_lang lang = notify_lang(nc);
    int64_t last = ndb_state_get(db, "last_gap_id", 0);
    sqlite3_stmt *s = NULL;
    /* A table missing (an older store) means nothing to tell. */
    if (sqlite3_prepare_v2(db,
                           "SELECT id, start_ts, end_ts, reason, detail FROM sensor_gaps"
                           " WHERE id > ?1 ORDER BY id LIMIT 20",
                           -1, &s, NULL) != SQLITE_OK)
        return 0;
    sqlite3_bind_int64(s, 1, last);
    int rc = 0;
    while (rc == 0 && sqlite3_step(s) == SQLITE_ROW) {
        int64_t id = sqlite3_column_int64(s, 0), start = sqlite3_column_int64(s, 1);
        bool open = sqlite3_column_type(s, 2) == SQLITE_NULL;
        int64_t end = open ? 0 : sqlite3_column_int64(s, 2);
        const char *reason = (const char *)sqlite3_column_text(s, 3);
        const char *detail = (const char *)sqlite3_column_text(s, 4);
        reason = reason ? reason : "";
        detail = detail ? detail : "";
        char since[32], key[48], title[256], text[1024];
        fault_local_time(start, since, sizeof(since));
        snprintf(key, sizeof(key), "sensor:gap:%lld", (long long)id);
        if (strcmp(reason, "not_running") == 0) {
            /* Told when the sensor is back (the row is written then). */
            if (open || end - start < (int64_t)FAULT_NOT_RUNNING_MIN_S * 1000000)
                goto told;
            char until[32];
            fault_local_time(end, until, sizeof(until));
            snprintf(title, sizeof(title), "%s",
                     L(lang, "The sensor was not running", "監視が止まっていました"));
            snprintf(text, sizeof(text),
                     L(lang,
                       "mamori did not watch the network from %s to %s. Nothing that happened "
                       "then was recorded.",
                       "%s から %s まで mamori は動いておらず、その間の通信は記録されていません。"),
                     since, until);
            rc = fault_queue(db, nc, now, key, title, text,
                             L(lang,
                               "If nobody stopped it on purpose (maintenance, a power cut), ask "
                               "your IT vendor to check the sensor box.",
                               "保守や停電など意図した停止でなければ、IT 業者にセンサー機器の点検を"
                               "依頼してください。"),
                             r);
        } else {
            if (!open) /* over before we looked: a short blip */
                goto told;
            bool store = strcmp(reason, "store_error") == 0;
            snprintf(title, sizeof(title), "%s",
                     store ? L(lang, "The sensor cannot save its records",
                               "監視の記録を保存できません")
                           : L(lang, "The sensor has stopped capturing",
                               "監視（通信の取り込み）が止まっています"));
            snprintf(text, sizeof(text),
                     L(lang, "Since %s: %s. mamori keeps retrying on its own.",
                       "%s から: %s。mamori は自動で再試行を続けています。"),
                     since, detail[0] ? detail : reason);
            rc = fault_queue(db, nc, now, key, title, text,
                             store ? L(lang,
                                       "Check the disk of the sensor box (free space, errors) or "
                                       "ask your IT vendor; see `mamori status`.",
                                       "センサー機器のディスク（空き容量や故障）を確認するか、IT "
                                       "業者に連絡してください（`mamori status` で状況を確認できます）。")
                                   : L(lang,
                                       "Check that the sensor's network cable is plugged in and the "
                                       "switch port works, or ask your IT vendor; see `mamori "
                                       "status`.",
                                       "センサーの LAN ケーブルが抜けていないか、スイッチのポートが"
                                       "動いているかを確認するか、IT 業者に連絡してください"
                                       "（`mamori status` で状況を確認できます）。"),
                             r);
        }
    told:
        if (rc == 0)
            rc = ndb_state_set(db, "last_gap_id", id);
    }
    sqlite3_finalize(s);
    return rc;
}

/* disk.low is a non-empty text while the disk is low; told once per
 * episode (notify.disk_low_told is reset when it clears). */
static int fault_disk(sqlite3 *db, const struct notify_config *nc, time_t now,
                      struct notify_round *r)
{
    enum ui_lang lang = notify_lang(nc);
    sqlite3_stmt *s = NULL;
    char low[256] = "";
    if (sqlite3_prepare_v2(db, "SELECT value FROM state WHERE key = 'disk.low'", -1, &s, NULL) !=
        SQLITE_OK)
        return 0;
    if (sqlite3_step(s) == SQLITE_ROW && sqlite3_column_text(s, 0))
        snprintf(low, sizeof(low), "%s", (const char *)sqlite3_column_text(s, 0));
    sqlite3_finalize(s);
    int64_t told = ndb_state_get(db, "disk_low_told", 0);
    if (!low[0])
        return told ? ndb_state_set(db, "disk_low_told", 0) : 0;
    if (told)
        return 0;
    char text[512];
    snprintf(text, sizeof(text),
             L(lang,
               "The sensor's disk is nearly full (%s). mamori is deleting its oldest records "
               "early to keep watching; findings are kept.",
               "センサーのディスクの空きが少なくなっています（%s）。監視を続けるため、古い記録から"
               "前倒しで削除しています（検出結果は残します）。"),
             low);
    int rc = fault_queue(db, nc, now, "sensor:disk",
                         L(lang, "The sensor's disk is nearly full",
                           "センサーのディスクの空きが不足しています"),
                         text,
                         L(lang,
                           "Ask your IT vendor to add disk space or shorten store.retention_days.",
                           "IT 業者に、ディスクの増設か保存期間（store.retention_days）の短縮を"
                           "依頼してください。"),
                         r);
    return rc == 0 ? ndb_state_set(db, "disk_low_told", 1) : rc;
}

int notify_take_faults(sqlite3 *db, const struct notify_config *nc, time_t now,
                       struct notify_round *r)
{
    if (fault_gaps(db, nc, now, r) < 0)
        return -1;
    return fault_disk(db, nc, now, r);
}
