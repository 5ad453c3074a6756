/* notify-digest.c - the daily or weekly digest: every alert since the
 * last one, counted by severity, what was already told at once, and the
 * rest listed (low and info findings of one kind on one line).
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
#define DIGEST_MAX_ALERTS 40

static const char *jstr(const json_t *o, const char *k)
{
    const char *v = json_string_value(json_object_get(o, k));
    return v ? v : "";
}

/* "Weekly summary 2026-11-30: " / "週次のまとめ (2026-11-30): " into sb. */
static void digest_heading(struct strbuf *sb, const struct notify_config *nc, enum ui_lang lang,
                           time_t now)
{
    char day[32];
    struct tm tm;
    localtime_r(&now, &tm);
    strftime(day, sizeof(day), "%Y-%m-%d", &tm);
    sb_printf(sb, L(lang, "%s summary %s: ", "%sのまとめ (%s): "),
              nc->digest == NOTIFY_DIGEST_WEEKLY ? L(lang, "Weekly", "週次")
                                                 : L(lang, "Daily", "日次"),
              day);
}

/* The digest of a period with no findings (notify.digest_when_quiet): it
 * says so, and it is the proof that the sensor, the store and the channel
 * still work; a period without a single recorded connection is told as a
 * problem, since an office network is never that silent. NULL if the store
 * cannot be read. */
static json_t *quiet_digest(sqlite3 *db, const struct notify_config *nc, const char *db_path,
                            time_t now, int64_t since_ts)
{
    enum ui_lang lang = notify_lang(nc);
    sqlite3_stmt *s = NULL;
    long long flows = -1, devices = 0;
    if (sqlite3_prepare_v2(db,
                           "SELECT count(*), count(DISTINCT src_mac) FROM flows"
                           " WHERE first_ts >= ?1",
                           -1, &s, NULL) == SQLITE_OK) {
        sqlite3_bind_int64(s, 1, since_ts > 0 ? since_ts * 1000000 : 0);
        if (sqlite3_step(s) == SQLITE_ROW) {
            flows = sqlite3_column_int64(s, 0);
            devices = sqlite3_column_int64(s, 1);
        }
    }
    sqlite3_finalize(s);
    if (flows < 0)
        return NULL;
    int silent = flows == 0;
    json_t *msg = notify_new_message(nc, "digest", silent ? SEV_MEDIUM : SEV_INFO, now);
    char sincebuf[32];
    struct tm tm;
    struct strbuf sb = STRBUF_INIT;
    digest_heading(&sb, nc, lang, now);
    sb_puts(&sb, silent ? L(lang, "no traffic recorded", "通信の記録がありません")
                        : L(lang, "nothing found", "検出なし"));
    json_object_set_new(msg, "title", json_string(sb.s));
    sb_reset(&sb);
    char when[64];
    if (since_ts > 0) {
        time_t st = (time_t)since_ts;
        localtime_r(&st, &tm);
        strftime(sincebuf, sizeof(sincebuf), "%Y-%m-%d %H:%M", &tm);
        snprintf(when, sizeof(when), L(lang, "Since %s", "%s 以降"), sincebuf);
    } else {
        snprintf(when, sizeof(when), "%s", L(lang, "Since monitoring started", "監視の開始以降"));
    }
    if (silent)
        sb_printf(&sb,
                  L(lang,
                    "%s, mamori has found nothing, but it has not recorded a single connection "
                    "either: the sensor may be unplugged from the network or watching the "
                    "wrong port.",
                    "%s、検出はありませんが、通信も 1 件も記録されていません。センサーの "
                    "LAN ケーブルが抜けているか、見ているポートが違う可能性があります。"),
                  when);
    else
        sb_printf(&sb,
                  L(lang,
                    "%s, mamori has found nothing that needs attention. It watched %lld "
                    "connections from %lld devices in that time, so the sensor and this channel "
                    "are working.",
                    "%s、対応が必要なものは見つかっていません。この間に %lld 台の機器の"
                    "通信 %lld 件を見ており、センサーとこの通知先は正常に動いています。"),
                  when, lang == LANG_JA ? devices : flows, lang == LANG_JA ? flows : devices);
    json_object_set_new(msg, "text", json_string(sb.s));
    json_object_set_new(
        msg, "action",
        json_string(silent ? L(lang,
                               "Check that the sensor is switched on and its cable goes to the "
                               "switch's mirror port; 'mamori status' shows whether it captures.",
                               "センサーの電源と、スイッチのミラーポートへの LAN ケーブルを確認して"
                               "ください。'mamori status' で記録中かどうかがわかります。")
                           : L(lang, "No action is needed; this message says all is quiet.",
                               "対応は不要です。異常がないことをお知らせしています。")));
    json_object_set_new(msg, "more", json_integer(0));
    sb_reset(&sb);
    sb_printf(&sb, "mamori status --db %s", db_path);
    json_object_set_new(msg, "command", json_string(sb.s));
    sb_free(&sb);
    return msg;
}

/* What a digest with findings says: the counts, what was told already, what
 * to do, and the command that lists them. */
struct digest_counts {
    unsigned bysev[SEV_MAX], total, told;
    int maxsev;
    json_int_t more;
};

static void digest_describe(json_t *msg, const struct notify_config *nc, const char *db_path,
                            time_t now, int64_t since_ts, const struct digest_counts *c)
{
    enum ui_lang lang = notify_lang(nc);
    char sincebuf[32];
    struct tm tm;
    struct strbuf sb = STRBUF_INIT;
    digest_heading(&sb, nc, lang, now);
    sb_printf(&sb, L(lang, "%u finding%s", "検出 %u 件"), c->total,
              L(lang, c->total == 1 ? "" : "s", ""));
    json_object_set_new(msg, "title", json_string(sb.s));
    sb_reset(&sb);
    if (since_ts > 0) {
        time_t st = (time_t)since_ts;
        localtime_r(&st, &tm);
        strftime(sincebuf, sizeof(sincebuf), "%Y-%m-%d %H:%M", &tm);
        sb_printf(&sb, L(lang, "Since %s:", "%s 以降:"), sincebuf);
    } else {
        sb_puts(&sb, L(lang, "Since monitoring started:", "監視の開始以降:"));
    }
    for (int v = SEV_CRITICAL; v >= SEV_INFO; v--)
        if (c->bysev[v])
            sb_printf(&sb, L(lang, " %s %u", " %s %u 件"), notify_sev_label(v, lang), c->bysev[v]);
    sb_putc(&sb, '\n');
    if (c->told)
        sb_printf(&sb,
                  L(lang, "%u of them were already reported at once (high or critical).\n",
                    "このうち %u 件は、重要度が高いため発生時にお知らせ済みです。\n"),
                  c->told);
    if (c->total > c->told)
        sb_printf(&sb,
                  L(lang, "The %u others are listed below; none needed an urgent message.",
                    "残りの %u 件は以下のとおりです。緊急のお知らせが必要なものではありません。"),
                  c->total - c->told);
    json_object_set_new(msg, "text", json_string(sb.s));
    json_object_set_new(
        msg, "action",
        json_string(c->maxsev >= SEV_HIGH
                        ? L(lang,
                            "Some high findings below were not sent at once because of the "
                            "hourly limit (max_per_hour): please look at them first.",
                            "1 時間あたりの通知数の上限により、すぐにお知らせできなかった重要度"
                            "「高」以上の項目があります。まずそれらをご確認ください。")
                    : c->maxsev >= SEV_MEDIUM
                        ? L(lang,
                            "Please look at the medium items when convenient; each one's "
                            "explanation says what to check.",
                            "重要度「中」の項目は、お手すきの際にご確認ください。確認すべき点は"
                            "各項目の説明にあります。")
                        : L(lang, "No action is needed; this is for your records.",
                            "対応は不要です。記録としてお送りしています。")));
    json_object_set_new(msg, "severity",
                        json_string(alert_severity_name((enum alert_severity)c->maxsev)));
    json_object_set_new(msg, "more", json_integer(c->more));
    sb_reset(&sb);
    sb_printf(&sb, "mamori alerts --db %s", db_path);
    if (since_ts > 0) {
        char iso[32];
        notify_iso_utc((time_t)since_ts, iso, sizeof(iso));
        sb_printf(&sb, " --since %s", iso);
    }
    json_object_set_new(msg, "command", json_string(sb.s));
    sb_free(&sb);
}

json_t *notify_make_digest(struct notify_db *d, const struct notify_config *nc, const char *db_path,
                           time_t now, int commit, char *err, size_t errlen)
{
    sqlite3 *db = ndb_handle(d);
    enum ui_lang lang = notify_lang(nc);
    if (commit && ndb_exec(db, "BEGIN IMMEDIATE", err, errlen) < 0)
        return NULL;
    int64_t since = ndb_state_get(db, "digest_last_id", 0);
    int64_t since_ts = ndb_state_get(db, "last_digest", 0);
    sqlite3_stmt *s = NULL;
    if (sqlite3_prepare_v2(db,
                           "SELECT " NDB_ALERT_COLS ", coalesce(n.route, '') FROM alerts a"
                           " LEFT JOIN notify_alerts n ON n.alert_id = a.id WHERE a.id > ?1"
                           " ORDER BY a.severity DESC, a.id",
                           -1, &s, NULL) != SQLITE_OK) {
        snprintf(err, errlen, "cannot read alerts: %s", sqlite3_errmsg(db));
        if (commit)
            ndb_exec(db, "ROLLBACK", NULL, 0);
        return NULL;
    }
    sqlite3_bind_int64(s, 1, since);
    unsigned bysev[SEV_MAX] = {0}, total = 0, told = 0;
    int64_t maxid = since;
    int maxsev = 0;
    json_t *msg = notify_new_message(nc, "digest", SEV_INFO, now);
    json_t *list = json_object_get(msg, "alerts"), *ids = json_array();
    json_int_t more = 0;
    while (sqlite3_step(s) == SQLITE_ROW) {
        struct alert a;
        char cat[64];
        int64_t id = sqlite3_column_int64(s, 0);
        ndb_row_alert(s, &a, cat, sizeof(cat));
        const char *route = ndb_col(s, 15);
        total++;
        bysev[a.severity < SEV_MAX ? a.severity : 0]++;
        if (id > maxid)
            maxid = id;
        json_array_append_new(ids, json_integer(id));
        if (strcmp(route, "immediate") == 0 || strcmp(route, "followup") == 0 ||
            strcmp(route, "grouped") == 0) {
            told++;
        } else {
            if (a.severity > maxsev)
                maxsev = a.severity;
            /* Low and info findings of one category are one line with a
             * count ("new device ... and 19 similar"): a digest is read. */
            json_t *same = NULL;
            if (a.severity <= SEV_LOW) {
                size_t k;
                json_t *e;
                json_array_foreach(list, k, e)
                {
                    if (strcmp(jstr(e, "category"), a.category) == 0 &&
                        strcmp(jstr(e, "severity"), alert_severity_name(a.severity)) == 0)
                        same = e;
                }
            }
            if (same)
                json_object_set_new(
                    same, "similar",
                    json_integer(json_integer_value(json_object_get(same, "similar")) + 1));
            else if (json_array_size(list) < DIGEST_MAX_ALERTS)
                json_array_append_new(list, notify_alert_json(id, &a, lang));
            else
                more++;
        }
        alert_release(&a);
    }
    sqlite3_finalize(s);
    if (total == 0) {
        json_decref(msg);
        msg = nc->digest_when_quiet ? quiet_digest(db, nc, db_path, now, since_ts) : NULL;
        if (!msg) {
            json_decref(ids);
            if (commit)
                ndb_exec(db, "COMMIT", NULL, 0);
            snprintf(err, errlen, "%s", "");
            return NULL;
        }
        int sev = alert_severity_parse(jstr(msg, "severity"));
        maxsev = sev < 0 ? SEV_INFO : sev;
    } else {
        struct digest_counts dc = {.total = total, .told = told, .maxsev = maxsev, .more = more};
        memcpy(dc.bysev, bysev, sizeof(dc.bysev));
        digest_describe(msg, nc, db_path, now, since_ts, &dc);
    }
    if (commit) {
        if (notify_queue_message(db, nc, now, "digest", maxsev, NULL, ids, msg, now) < 0 ||
            ndb_state_set(db, "digest_last_id", maxid) < 0 ||
            ndb_exec(db, "COMMIT", err, errlen) < 0) {
            if (!*err)
                snprintf(err, errlen, "cannot record the digest: %s", sqlite3_errmsg(db));
            ndb_exec(db, "ROLLBACK", NULL, 0);
            json_decref(ids);
            json_decref(msg);
            return NULL;
        }
    }
    json_decref(ids);
    return msg;
}
