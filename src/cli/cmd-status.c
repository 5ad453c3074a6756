/* cmd-status.c - `mamori status`: is the sensor watching, since when, what
 * did it see, is the disk all right, when did it last tell anyone.
 *
 * Reads only: the store (read-only connection), the pid file beside it and
 * the filesystem's free space. Works on a store `mamori read` made too (it
 * then says no watch has run).
 */
#include <getopt.h>
#include <jansson.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "cli/commands.h"
#include "detect/alert.h"
#include "notify/notify.h"
#include "service/service.h"
#include "store/store-inv.h"
#include "util/config.h"
#include "util/i18n.h"
#include "util/util.h"

const char *const cmd_status_usage[2] = {
    "usage: mamori status [--db FILE] [--config FILE] [--json]\n"
    "\n"
    "Shows whether the sensor is watching and how it is doing: whether the\n"
    "watch process is alive, the interface and since when, packets, bytes,\n"
    "flows and kernel drops of the current (or last) watch run as of its last\n"
    "checkpoint, the last alert, the last notification sent, the store's size,\n"
    "the free disk space, the last prune, and the sensor gaps (times it was\n"
    "not watching) of the last 30 days.\n"
    "\n"
    "  --db FILE      the store (default: store.path from the settings, else\n"
    "                 ./mamori.db)\n"
    "  --config FILE  settings (default: $MAMORI_CONFIG, else\n"
    "                 " CONFIG_DEFAULT_PATH " if it exists)\n"
    "  --json         one JSON object (fields: docs/service.md)\n"
    "\n"
    "Exit status: 0 shown, 1 the store cannot be read, 2 bad usage.\n",
    "使い方: mamori status [--db ファイル] [--config ファイル] [--json]\n"
    "\n"
    "センサーが監視しているかどうかと稼働状況を表示します。watch プロセスが\n"
    "動いているか、監視中のインタフェースと開始時刻、直近のチェックポイント\n"
    "時点のパケット数・バイト数・フロー数・取りこぼし、最後の警告、最後に\n"
    "送った通知、データベースの大きさ、ディスクの空き、最後の削除（保存期間\n"
    "切れ）、過去 30 日間の監視の空白（センサーが監視していなかった時間）です。\n"
    "\n"
    "  --db ファイル      データベース（省略時: 設定の store.path、なければ\n"
    "                     ./mamori.db）\n"
    "  --config ファイル  設定ファイル（省略時: $MAMORI_CONFIG、なければ\n"
    "                     " CONFIG_DEFAULT_PATH "）\n"
    "  --json             JSON で出力します（項目は docs/service.md）\n"
    "\n"
    "終了コード: 0 表示した、1 データベースを読めない、2 使い方の誤り。\n",
};

/* One interface of the current (or last) watch run, from `state`. */
struct status_iface {
    char name[64];
    int64_t packets, drops;
    char state[512]; /* "capturing" or "lost TIME REASON" */
};

struct status_info {
    const char *db_path;
    long pid;
    int have_run;
    int64_t run_id;
    char source[256], started[40], run_status[32], ended[40];
    int64_t packets, bytes, flows, drops;
    int64_t checkpoint_us, last_ts_us;
    int have_alert;
    char alert_time[40], alert_category[96];
    int alert_severity;
    int64_t alerts_total;
    char notification[256];
    int notify_known;
    int64_t store_bytes, free_mb;
    uint32_t min_free_mb;
    char last_prune[256], disk_low[256];
    int gaps_known;
    int64_t gaps, gap_seconds, open_gap_start;
    char open_gap_reason[64];
    int64_t open_gaps;
    struct status_iface ifs[CONFIG_MAX_INTERFACES];
    unsigned nifs;
    char reload[640];
};

static const char *col_text(sqlite3_stmt *st, int i, char *out, size_t len)
{
    const unsigned char *v = sqlite3_column_text(st, i);
    snprintf(out, len, "%s", v ? (const char *)v : "");
    return out;
}

static void status_run(sqlite3 *db, struct status_info *si)
{
    sqlite3_stmt *st = NULL;
    if (sqlite3_prepare_v2(db,
                           "SELECT id, source, started_at, status, ended_at, packets, bytes, flows,"
                           " coalesce(kernel_drops, 0) + coalesce(iface_drops, 0), last_ts,"
                           " (SELECT value FROM run_counters WHERE run_id = runs.id"
                           "  AND name = 'service.checkpoint_us')"
                           " FROM runs WHERE command = 'watch' ORDER BY id DESC LIMIT 1",
                           -1, &st, NULL) != SQLITE_OK)
        return;
    if (sqlite3_step(st) == SQLITE_ROW) {
        si->have_run = 1;
        si->run_id = sqlite3_column_int64(st, 0);
        col_text(st, 1, si->source, sizeof(si->source));
        col_text(st, 2, si->started, sizeof(si->started));
        col_text(st, 3, si->run_status, sizeof(si->run_status));
        col_text(st, 4, si->ended, sizeof(si->ended));
        si->packets = sqlite3_column_int64(st, 5);
        si->bytes = sqlite3_column_int64(st, 6);
        si->flows = sqlite3_column_int64(st, 7);
        si->drops = sqlite3_column_int64(st, 8);
        si->last_ts_us = sqlite3_column_int64(st, 9);
        si->checkpoint_us = sqlite3_column_int64(st, 10);
    }
    sqlite3_finalize(st);
}

static void status_alert(sqlite3 *db, struct status_info *si)
{
    sqlite3_stmt *st = NULL;
    if (sqlite3_prepare_v2(db,
                           "SELECT last_ts, category, severity, (SELECT count(*) FROM alerts)"
                           " FROM alerts ORDER BY last_ts DESC LIMIT 1",
                           -1, &st, NULL) != SQLITE_OK)
        return;
    if (sqlite3_step(st) == SQLITE_ROW) {
        si->have_alert = 1;
        fmt_ts_eve(si->alert_time, sizeof(si->alert_time), (uint64_t)sqlite3_column_int64(st, 0));
        col_text(st, 1, si->alert_category, sizeof(si->alert_category));
        si->alert_severity = sqlite3_column_int(st, 2);
        si->alerts_total = sqlite3_column_int64(st, 3);
    }
    sqlite3_finalize(st);
}

/* Gaps overlapping the last 30 days; an open gap counts up to now. */
static void status_gaps(sqlite3 *db, struct status_info *si)
{
    sqlite3_stmt *st = NULL;
    int64_t now = (int64_t)svc_now_us(), from = now - 30ll * 86400 * 1000000;
    if (sqlite3_prepare_v2(db,
                           "SELECT count(*), coalesce(sum(min(coalesce(end_ts, ?1), ?1)"
                           " - max(start_ts, ?2)), 0) / 1000000"
                           " FROM sensor_gaps WHERE coalesce(end_ts, ?1) >= ?2",
                           -1, &st, NULL) != SQLITE_OK)
        return;
    sqlite3_bind_int64(st, 1, now);
    sqlite3_bind_int64(st, 2, from);
    if (sqlite3_step(st) == SQLITE_ROW) {
        si->gaps_known = 1;
        si->gaps = sqlite3_column_int64(st, 0);
        si->gap_seconds = sqlite3_column_int64(st, 1);
    }
    sqlite3_finalize(st);
    st = NULL;
    if (sqlite3_prepare_v2(db, "SELECT count(*) FROM sensor_gaps WHERE end_ts IS NULL", -1, &st,
                           NULL) == SQLITE_OK &&
        sqlite3_step(st) == SQLITE_ROW)
        si->open_gaps = sqlite3_column_int64(st, 0);
    sqlite3_finalize(st);
    st = NULL;
    if (sqlite3_prepare_v2(db,
                           "SELECT start_ts, reason FROM sensor_gaps WHERE end_ts IS NULL"
                           " ORDER BY start_ts DESC LIMIT 1",
                           -1, &st, NULL) == SQLITE_OK &&
        sqlite3_step(st) == SQLITE_ROW) {
        si->open_gap_start = sqlite3_column_int64(st, 0);
        col_text(st, 1, si->open_gap_reason, sizeof(si->open_gap_reason));
    }
    sqlite3_finalize(st);
}

/* The interfaces `watch` wrote to `state` (capture.interfaces, then
 * capture.IFACE.packets/drops/state each). Missing rows (a store from
 * before several interfaces were supported) leave the list empty. */
static void status_ifaces(sqlite3 *db, struct status_info *si)
{
    char key[128], v[512];
    struct mamori_config *tmp = xcalloc(1, sizeof(*tmp));
    /* The same list syntax as capture.interface (a value too long for it
     * is not one watch wrote: ignored). */
    if (svc_state_get(db, "capture.interfaces", tmp->capture_interfaces,
                      sizeof(tmp->capture_interfaces)) != 0) {
        free(tmp);
        return;
    }
    char names[CONFIG_MAX_INTERFACES][64];
    unsigned n = config_interfaces(tmp, names, CONFIG_MAX_INTERFACES);
    free(tmp);
    for (unsigned i = 0; i < n; i++) {
        struct status_iface *f = &si->ifs[si->nifs++];
        /* Interface names are at most IFNAMSIZ; the precision says so. */
        snprintf(f->name, sizeof(f->name), "%.63s", names[i]);
        snprintf(key, sizeof(key), "capture.%.63s.packets", names[i]);
        f->packets = svc_state_get(db, key, v, sizeof(v)) == 0 ? strtoll(v, NULL, 10) : 0;
        snprintf(key, sizeof(key), "capture.%.63s.drops", names[i]);
        f->drops = svc_state_get(db, key, v, sizeof(v)) == 0 ? strtoll(v, NULL, 10) : 0;
        snprintf(key, sizeof(key), "capture.%.63s.state", names[i]);
        if (svc_state_get(db, key, f->state, sizeof(f->state)) != 0)
            snprintf(f->state, sizeof(f->state), "unknown");
    }
}

static int64_t file_size(const char *path, const char *suffix)
{
    char p[1100];
    struct stat sb;
    snprintf(p, sizeof(p), "%s%s", path, suffix);
    return stat(p, &sb) == 0 ? (int64_t)sb.st_size : 0;
}

static void status_gather(sqlite3 *db, const struct mamori_config *cfg, struct status_info *si)
{
    si->pid = svc_pidfile_alive(si->db_path);
    status_run(db, si);
    status_alert(db, si);
    status_gaps(db, si);
    si->notify_known = notify_last_sent(db, si->notification, sizeof(si->notification)) == 0;
    si->store_bytes = file_size(si->db_path, "") + file_size(si->db_path, "-wal");
    si->free_mb = svc_free_mb(si->db_path);
    si->min_free_mb = cfg->min_free_mb;
    svc_state_get(db, "prune.last", si->last_prune, sizeof(si->last_prune));
    svc_state_get(db, "disk.low", si->disk_low, sizeof(si->disk_low));
    svc_state_get(db, "service.reload", si->reload, sizeof(si->reload));
    status_ifaces(db, si);
}

static void fmt_us(char *out, size_t len, int64_t us)
{
    if (us > 0)
        fmt_ts_eve(out, len, (uint64_t)us);
    else
        snprintf(out, len, "-");
}

static void fmt_duration(char *out, size_t len, int64_t s)
{
    if (s >= 86400)
        snprintf(out, len, "%lldd %lldh", (long long)(s / 86400), (long long)(s % 86400 / 3600));
    else if (s >= 3600)
        snprintf(out, len, "%lldh %lldm", (long long)(s / 3600), (long long)(s % 3600 / 60));
    else if (s >= 60)
        snprintf(out, len, "%lldm %llds", (long long)(s / 60), (long long)(s % 60));
    else
        snprintf(out, len, "%llds", (long long)s);
}

static void status_print_json(const struct status_info *si)
{
    char buf[64];
    json_t *o = json_object();
    json_object_set_new(o, "database", json_string(si->db_path));
    json_object_set_new(o, "watch_running", json_boolean(si->pid > 0));
    json_object_set_new(o, "pid", si->pid > 0 ? json_integer(si->pid) : json_null());
    if (si->have_run) {
        json_t *r = json_object();
        json_object_set_new(r, "id", json_integer(si->run_id));
        json_object_set_new(r, "interface", json_string(si->source));
        json_object_set_new(r, "started_at", json_string(si->started));
        json_object_set_new(r, "status", json_string(si->run_status));
        json_object_set_new(r, "ended_at", si->ended[0] ? json_string(si->ended) : json_null());
        json_object_set_new(r, "packets", json_integer(si->packets));
        json_object_set_new(r, "bytes", json_integer(si->bytes));
        json_object_set_new(r, "flows", json_integer(si->flows));
        json_object_set_new(r, "drops", json_integer(si->drops));
        fmt_us(buf, sizeof(buf), si->checkpoint_us);
        json_object_set_new(r, "checkpoint", si->checkpoint_us > 0 ? json_string(buf) : json_null());
        json_t *ifs = json_array();
        for (unsigned i = 0; i < si->nifs; i++) {
            const struct status_iface *f = &si->ifs[i];
            json_t *j = json_object();
            int lost = strncmp(f->state, "lost ", 5) == 0;
            json_object_set_new(j, "name", json_string(f->name));
            json_object_set_new(j, "packets", json_integer(f->packets));
            json_object_set_new(j, "drops", json_integer(f->drops));
            json_object_set_new(j, "state", json_string(lost ? "lost" : f->state));
            /* "lost 2026-11-26T10:00:00.000000+0000 The interface went down" */
            const char *sp = lost ? strchr(f->state + 5, ' ') : NULL;
            json_object_set_new(j, "lost_since",
                                sp ? json_stringn(f->state + 5, (size_t)(sp - f->state - 5))
                                   : json_null());
            json_object_set_new(j, "error", sp ? json_string(sp + 1) : json_null());
            json_array_append_new(ifs, j);
        }
        json_object_set_new(r, "interfaces", ifs);
        json_object_set_new(o, "run", r);
    } else {
        json_object_set_new(o, "run", json_null());
    }
    if (si->have_alert) {
        json_t *a = json_object();
        json_object_set_new(a, "time", json_string(si->alert_time));
        json_object_set_new(a, "category", json_string(si->alert_category));
        json_object_set_new(
            a, "severity",
            json_string(alert_severity_name((enum alert_severity)si->alert_severity)));
        json_object_set_new(o, "last_alert", a);
    } else {
        json_object_set_new(o, "last_alert", json_null());
    }
    json_object_set_new(o, "alerts", json_integer(si->alerts_total));
    json_object_set_new(o, "last_notification",
                        si->notify_known ? json_string(si->notification) : json_null());
    json_object_set_new(o, "store_bytes", json_integer(si->store_bytes));
    json_object_set_new(o, "disk_free_mb", si->free_mb >= 0 ? json_integer(si->free_mb) : json_null());
    json_object_set_new(o, "min_free_mb", json_integer(si->min_free_mb));
    json_object_set_new(o, "disk_low", json_boolean(si->disk_low[0] != '\0'));
    json_object_set_new(o, "last_prune", si->last_prune[0] ? json_string(si->last_prune) : json_null());
    json_object_set_new(o, "last_reload", si->reload[0] ? json_string(si->reload) : json_null());
    if (si->gaps_known) {
        json_t *g = json_object();
        json_object_set_new(g, "count", json_integer(si->gaps));
        json_object_set_new(g, "seconds", json_integer(si->gap_seconds));
        fmt_us(buf, sizeof(buf), si->open_gap_start);
        json_object_set_new(g, "open_since", si->open_gap_start > 0 ? json_string(buf) : json_null());
        json_object_set_new(g, "open_reason",
                            si->open_gap_reason[0] ? json_string(si->open_gap_reason) : json_null());
        json_object_set_new(g, "open", json_integer(si->open_gaps));
        json_object_set_new(o, "gaps_30d", g);
    } else {
        json_object_set_new(o, "gaps_30d", json_null());
    }
    char *text = json_dumps(o, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
    if (text)
        printf("%s\n", text);
    free(text);
    json_decref(o);
}

/* Prints a label padded to 21 terminal columns: Japanese characters take
 * two columns and three bytes, so printf's byte width would misalign. */
static void status_label(const char *label)
{
    int cols = 0;
    for (const unsigned char *p = (const unsigned char *)label; *p; p++) {
        if (*p < 0x80)
            cols++;
        else if (*p >= 0xe0)
            cols += 2; /* CJK: a three-byte sequence, two columns wide */
        else if (*p >= 0xc0)
            cols++;
    }
    fputs(label, stdout);
    for (; cols < 21; cols++)
        putchar(' ');
}

#define ROW(label_en, label_ja) status_label(TR(label_en, label_ja))

static void status_print_text(const struct status_info *si)
{
    char buf[64], dur[32];
    ROW("database", "データベース");
    printf("%s\n", si->db_path);
    ROW("watch", "監視プロセス");
    if (si->pid > 0)
        printf(TR("running (pid %ld)\n", "稼働中（pid %ld）\n"), si->pid);
    else
        printf("%s\n", TR("NOT RUNNING", "停止しています"));
    ROW("capturing", "監視対象");
    if (si->have_run)
        printf(TR("%s since %s (run %lld, %s)\n", "%s（%s から、run %lld、%s）\n"), si->source,
               si->started, (long long)si->run_id, si->run_status);
    else
        printf("%s\n", TR("no watch run in this store", "このデータベースには監視の記録がありません"));
    if (si->have_run) {
        ROW("last checkpoint", "最終チェックポイント");
        fmt_us(buf, sizeof(buf), si->checkpoint_us);
        printf("%s\n", buf);
        ROW("packets", "パケット数");
        printf("%lld\n", (long long)si->packets);
        ROW("bytes", "バイト数");
        printf("%lld\n", (long long)si->bytes);
        ROW("flows", "フロー数");
        printf("%lld\n", (long long)si->flows);
        ROW("kernel drops", "取りこぼし");
        printf("%lld\n", (long long)si->drops);
        /* Per interface once there are several, or one is lost. */
        int show = si->nifs > 1;
        for (unsigned i = 0; i < si->nifs; i++)
            show |= strncmp(si->ifs[i].state, "capturing", 9) != 0;
        for (unsigned i = 0; show && i < si->nifs; i++) {
            const struct status_iface *f = &si->ifs[i];
            char label[80];
            snprintf(label, sizeof(label), "  %s", f->name);
            status_label(label);
            int lost = strncmp(f->state, "lost ", 5) == 0;
            printf(TR("%lld packets, %lld drops, %s%s\n", "%lld パケット、取りこぼし %lld、%s%s\n"),
                   (long long)f->packets, (long long)f->drops,
                   lost ? TR("LOST since ", "停止中: ") : TR("capturing", "監視中"),
                   lost ? f->state + 5 : "");
        }
    }
    ROW("last alert", "最後の警告");
    if (si->have_alert)
        printf("%s %s, %s (%s %lld)\n", si->alert_time, si->alert_category,
               alert_severity_name((enum alert_severity)si->alert_severity),
               TR("alerts in store:", "保存中の警告:"), (long long)si->alerts_total);
    else
        printf("%s\n", TR("none", "なし"));
    ROW("last notification", "最後の通知");
    if (!si->notify_known)
        printf("%s\n", TR("unknown", "不明"));
    else if (strcmp(si->notification, "never") == 0)
        printf("%s\n", TR("never", "まだありません"));
    else
        printf("%s\n", si->notification);
    ROW("store size", "データ量");
    printf("%.1f MB\n", (double)si->store_bytes / 1e6);
    ROW("disk free", "ディスクの空き");
    if (si->free_mb >= 0)
        printf("%lld MiB%s\n", (long long)si->free_mb,
               si->disk_low[0] ? TR("  (LOW: pruning early)", "（不足: 前倒しで削除中）") : "");
    else
        printf("%s\n", TR("unknown", "不明"));
    ROW("last prune", "最後の削除");
    printf("%s\n", si->last_prune[0] ? si->last_prune : TR("never", "まだありません"));
    ROW("gaps (30 days)", "監視の空白（30日）");
    if (!si->gaps_known) {
        printf("%s\n", TR("unknown (older store)", "不明（古い形式のデータベース）"));
    } else {
        fmt_duration(dur, sizeof(dur), si->gap_seconds);
        printf(TR("%lld, %s in total\n", "%lld 回、合計 %s\n"), (long long)si->gaps, dur);
        if (si->open_gap_start > 0) {
            fmt_us(buf, sizeof(buf), si->open_gap_start);
            ROW("  open gap", "  継続中の空白");
            printf(TR("%s since %s\n", "%s（%s から）\n"), si->open_gap_reason, buf);
            if (si->open_gaps > 1) {
                ROW("  open gaps", "  継続中の空白の数");
                printf("%lld\n", (long long)si->open_gaps);
            }
        }
    }
    if (si->reload[0]) {
        ROW("last reload", "最後の再読み込み");
        printf("%s\n", si->reload);
    }
}

int cmd_status(int argc, char **argv)
{
    enum { OPT_DB = 1000, OPT_CONFIG, OPT_JSON, OPT_HELP };
    static const struct option longopts[] = {
        {"db", required_argument, NULL, OPT_DB},
        {"config", required_argument, NULL, OPT_CONFIG},
        {"json", no_argument, NULL, OPT_JSON},
        {"help", no_argument, NULL, OPT_HELP},
        {NULL, 0, NULL, 0},
    };
    const char *db_arg = NULL, *config_path = NULL;
    int json = 0, c;
    optind = 1;
    opterr = 0;
    while ((c = getopt_long(argc, argv, "h", longopts, NULL)) != -1) {
        switch (c) {
        case OPT_DB:
            db_arg = optarg;
            break;
        case OPT_CONFIG:
            config_path = optarg;
            break;
        case OPT_JSON:
            json = 1;
            break;
        case 'h':
        case OPT_HELP:
            fputs(command_usage(argv[0]), stdout);
            return 0;
        default:
            error(TR("status: bad or incomplete option '%s' (see 'mamori help status')",
                     "status: オプション '%s' が不正か引数がありません（'mamori help status' を参照）"),
                  argv[optind - 1]);
            return EXIT_USAGE;
        }
    }
    if (optind < argc) {
        error(TR("status: unexpected argument '%s'", "status: 余分な引数 '%s' があります"),
              argv[optind]);
        return EXIT_USAGE;
    }
    struct mamori_config *cfg = xmalloc(sizeof(*cfg));
    if (config_load_cli(cfg, config_path) < 0) {
        free(cfg);
        return EXIT_USAGE;
    }
    struct status_info si;
    memset(&si, 0, sizeof(si));
    si.db_path = config_store_path(cfg, db_arg);
    struct stat sb;
    if (stat(si.db_path, &sb) < 0) {
        error(TR("cannot open database '%s': no such file (is 'mamori watch' set up? see "
                 "docs/service.md)",
                 "データベース '%s' がありません（mamori watch は設定済みですか。docs/service.md を"
                 "参照してください）"),
              si.db_path);
        free(cfg);
        return EXIT_ENV;
    }
    sqlite3 *db = store_open_readonly(si.db_path);
    if (!db) {
        free(cfg);
        return EXIT_ENV;
    }
    status_gather(db, cfg, &si);
    sqlite3_close(db);
    if (json)
        status_print_json(&si);
    else
        status_print_text(&si);
    free(cfg);
    return 0;
}
