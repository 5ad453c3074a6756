/* cmd-notify.c - `mamori notify`: list and test the notification channels,
 * run the notifier once (cron, tests), print or send the digest. The
 * policy and delivery are in src/notify; this is only the command line.
 */
#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <curl/curl.h>

#include "cli/commands.h"
#include "notify/notify-int.h"
#include "util/config.h"
#include "util/i18n.h"
#include "util/util.h"

const char *const cmd_notify_usage[2] = {
    "usage: mamori notify list [--config FILE]\n"
    "       mamori notify test CHANNEL [--config FILE]\n"
    "       mamori notify run --db FILE [--once] [--config FILE] [--now TIME]\n"
    "       mamori notify digest --db FILE --print|--send [--config FILE]\n"
    "\n"
    "Tells the right people about what mamori found: high and critical findings\n"
    "at once (one message per incident), the rest in a daily or weekly digest.\n"
    "Channels are set in the settings file ([notify.NAME], see docs/notify.md):\n"
    "mail over SMTP, Slack, Microsoft Teams, Chatwork or any URL (JSON).\n"
    "\n"
    "  list             the channels and settings (passwords and tokens hidden)\n"
    "  test CHANNEL     send a test message now and say whether it arrived\n"
    "  run              take new alerts, queue and deliver messages (with --once:\n"
    "                   one round, for cron and tests; else until Ctrl-C)\n"
    "  digest           --print shows the digest of alerts since the last one;\n"
    "                   --send sends it to every channel now\n"
    "  --config FILE    settings file (default $MAMORI_CONFIG or " CONFIG_DEFAULT_PATH ")\n"
    "  --db FILE        the mamori database (default mamori.db)\n"
    "  --now TIME       act as if it were TIME (Unix seconds or 2026-11-26T09:00)\n"
    "\n"
    "Exit status: 0 ok; 1 delivery or database failure; 2 bad usage, bad settings\n"
    "or unknown channel.\n",
    "使い方: mamori notify list [--config FILE]\n"
    "        mamori notify test 通知先 [--config FILE]\n"
    "        mamori notify run --db FILE [--once] [--config FILE] [--now 時刻]\n"
    "        mamori notify digest --db FILE --print|--send [--config FILE]\n"
    "\n"
    "mamori が見つけたことを、適切な人にお知らせします。重要度「高」「緊急」は\n"
    "すぐに (1 つの出来事につき 1 通)、それ以外は日次または週次のまとめで送ります。\n"
    "通知先は設定ファイルの [notify.名前] で指定します (docs/notify.md 参照):\n"
    "メール (SMTP)、Slack、Microsoft Teams、Chatwork、任意の URL (JSON)。\n"
    "\n"
    "  list             通知先と設定の一覧 (パスワードとトークンは伏せて表示)\n"
    "  test 通知先      テストメッセージをすぐに送り、届いたかどうかを表示\n"
    "  run              新しいアラートを取り込み、通知を作って送信 (--once で 1 回だけ。\n"
    "                   cron やテスト用。指定しなければ Ctrl-C まで続けます)\n"
    "  digest           --print で前回以降のまとめを表示、--send で全通知先へ今すぐ送信\n"
    "  --config FILE    設定ファイル (既定: $MAMORI_CONFIG または " CONFIG_DEFAULT_PATH ")\n"
    "  --db FILE        mamori のデータベース (既定: mamori.db)\n"
    "  --now 時刻       現在時刻の代わりに使う時刻 (Unix 秒または 2026-11-26T09:00)\n"
    "\n"
    "終了コード: 0 正常、1 送信またはデータベースの失敗、2 使い方・設定の誤り、\n"
    "または存在しない通知先。\n",
};

/* "https://hooks.slack.com/services/T0/B0/xyz" -> "https://hooks.slack.com/…":
 * the path of a webhook URL is its secret. */
static void mask_url(const char *url, enum notify_type t, char *out, size_t len)
{
    if (t == NOTIFY_SMTP) {
        /* smtp://user:pass@host: hide a password given in the URL. */
        const char *at = strchr(url, '@'), *colon = strstr(url, "://");
        if (at && colon && memchr(colon + 3, ':', (size_t)(at - colon - 3)))
            snprintf(out, len, "%.*s***%s", (int)(colon + 3 - url), url, at);
        else
            snprintf(out, len, "%s", url);
        return;
    }
    const char *p = strstr(url, "://");
    const char *slash = p ? strchr(p + 3, '/') : NULL;
    if (slash && slash[1] && t != NOTIFY_CHATWORK)
        snprintf(out, len, "%.*s/*** (%s)", (int)(slash - url), url,
                 TR("path hidden", "パスは非表示"));
    else
        snprintf(out, len, "%s", url);
}

static const char *secret(const char *s)
{
    return *s ? "********" : TR("(not set)", "(未設定)");
}

static void print_minutes(int m)
{
    printf("%02d:%02d", m / 60, m % 60);
}

static int notify_list(const struct notify_config *nc)
{
    static const char *const dig[] = {"daily", "weekly", "off"};
    printf("%s lang=%s", TR("settings:", "設定:"), nc->lang[0] ? nc->lang : "(env)");
    printf(" quiet_hours=");
    if (nc->quiet_start < 0)
        printf("off");
    else {
        print_minutes(nc->quiet_start);
        putchar('-');
        print_minutes(nc->quiet_end);
    }
    printf(" max_per_hour=%u digest=%s digest_time=", nc->max_per_hour, dig[nc->digest]);
    print_minutes(nc->digest_time);
    printf(" immediate_min_severity=%s group_window=%u retry_base=%u give_up=%u\n",
           alert_severity_name((enum alert_severity)nc->immediate_min_severity), nc->group_window,
           nc->retry_base, nc->give_up);
    if (nc->dashboard_url[0])
        printf("  dashboard_url=%s\n", nc->dashboard_url);
    if (nc->nchannels == 0) {
        printf("%s\n", TR("no channels: add a [notify.NAME] section (docs/notify.md)",
                          "通知先がありません。[notify.名前] の節を追加してください "
                          "(docs/notify.md)"));
        return 0;
    }
    for (unsigned i = 0; i < nc->nchannels; i++) {
        const struct notify_channel *c = &nc->ch[i];
        char url[600];
        mask_url(c->url[0] ? c->url : "https://api.chatwork.com", c->type, url, sizeof(url));
        printf("%s  type=%s url=%s timeout=%us", c->name, notify_type_name(c->type), url,
               c->timeout);
        if (c->min_severity[0])
            printf(" min_severity=%s", c->min_severity);
        if (c->type == NOTIFY_SMTP) {
            printf(" starttls=%s from=%s to=%s",
                   c->starttls == 0 || strncmp(c->url, "smtps:", 6) == 0 ? "no" : "yes", c->from,
                   c->to);
            if (c->user[0])
                printf(" user=%s password=%s", c->user,
                       c->password_file[0] ? c->password_file : secret(c->password));
        }
        if (c->type == NOTIFY_CHATWORK)
            printf(" room_id=%s token=%s", c->room_id, secret(c->token));
        if (c->ca_file[0])
            printf(" ca_file=%s", c->ca_file);
        putchar('\n');
    }
    return 0;
}

static int notify_test(const struct notify_config *nc, const char *name)
{
    const struct notify_channel *ch = NULL;
    for (unsigned i = 0; i < nc->nchannels; i++)
        if (strcmp(nc->ch[i].name, name) == 0)
            ch = &nc->ch[i];
    if (!ch) {
        error(TR("notify: no channel '%s' (see 'mamori notify list')",
                 "notify: 通知先 '%s' はありません ('mamori notify list' で確認できます)"),
              name);
        return EXIT_USAGE;
    }
    json_t *msg = notify_test_message(nc, name);
    char err[512];
    int rc = notify_deliver(ch, msg, time(NULL), 0, err, sizeof(err));
    json_decref(msg);
    if (rc < 0) {
        error(TR("notify test %s: %s", "notify test %s: 送信できませんでした: %s"), name, err);
        return EXIT_ENV;
    }
    printf(TR("%s: test message sent\n", "%s: テストメッセージを送信しました\n"), name);
    return 0;
}

static volatile sig_atomic_t stop_flag;

static void on_signal(int sig)
{
    (void)sig;
    stop_flag = 1;
}

static void print_round(const struct notify_round *r)
{
    printf(TR("alerts taken %u, messages queued %u, delivered %u, failed %u (will retry), "
              "gave up %u, over the hourly cap %u\n",
              "取り込んだアラート %u 件、作成した通知 %u 通、送信 %u 件、失敗 %u 件 (再送予定)、"
              "断念 %u 件、1 時間の上限超過 %u 件\n"),
           r->new_alerts, r->messages, r->delivered, r->failed, r->gave_up, r->folded);
}

static int notify_run(const struct notify_config *nc, const char *db_path, int once, time_t now)
{
    char err[512];
    struct notify_db *d = ndb_open(db_path, err, sizeof(err));
    if (!d) {
        error("notify: %s", err);
        return EXIT_ENV;
    }
    int ret = 0;
    if (!once) {
        signal(SIGINT, on_signal);
        signal(SIGTERM, on_signal);
    }
    do {
        struct notify_round r;
        if (notify_run_round(d, nc, db_path, now ? now : time(NULL), 0, &r, err, sizeof(err)) < 0) {
            error("notify: %s", err);
            ret = EXIT_ENV;
            break;
        }
        if (once || r.new_alerts || r.messages || r.delivered || r.failed || r.gave_up)
            print_round(&r);
        for (unsigned i = 0; !once && !stop_flag && i < nc->poll_interval; i++)
            sleep(1);
    } while (!once && !stop_flag);
    ndb_close(d);
    return ret;
}

static int notify_digest(const struct notify_config *nc, const char *db_path, int send, time_t now)
{
    char err[512] = "";
    struct notify_db *d = ndb_open(db_path, err, sizeof(err));
    if (!d) {
        error("notify: %s", err);
        return EXIT_ENV;
    }
    json_t *m = notify_make_digest(d, nc, db_path, now ? now : time(NULL), send, err, sizeof(err));
    int ret = 0;
    if (!m && *err) {
        error("notify: %s", err);
        ret = EXIT_ENV;
    } else if (!m) {
        printf("%s\n",
               TR("no alerts since the last digest", "前回のまとめ以降、アラートはありません"));
    } else if (!send) {
        struct strbuf sb = STRBUF_INIT;
        notify_text_body(m, &sb);
        fputs(sb.s, stdout);
        sb_free(&sb);
    } else {
        struct notify_round r = {0};
        notify_deliver_due(d, nc, now ? now : time(NULL), 0, &r);
        print_round(&r);
        if (r.failed || r.gave_up)
            ret = EXIT_ENV;
    }
    json_decref(m);
    ndb_close(d);
    return ret;
}

int cmd_notify(int argc, char **argv)
{
    enum { O_CONFIG = 1000, O_DB, O_ONCE, O_PRINT, O_SEND, O_NOW, O_HELP };
    static const struct option longopts[] = {
        {"config", required_argument, NULL, O_CONFIG}, {"db", required_argument, NULL, O_DB},
        {"once", no_argument, NULL, O_ONCE},           {"print", no_argument, NULL, O_PRINT},
        {"send", no_argument, NULL, O_SEND},           {"now", required_argument, NULL, O_NOW},
        {"help", no_argument, NULL, O_HELP},           {NULL, 0, NULL, 0},
    };
    const char *config_path = NULL, *db_path = "mamori.db";
    int once = 0, print = 0, send = 0;
    time_t now = 0;
    optind = 1;
    opterr = 0;
    int c;
    while ((c = getopt_long(argc, argv, "h", longopts, NULL)) != -1) {
        switch (c) {
        case O_CONFIG:
            config_path = optarg;
            break;
        case O_DB:
            db_path = optarg;
            break;
        case O_ONCE:
            once = 1;
            break;
        case O_PRINT:
            print = 1;
            break;
        case O_SEND:
            send = 1;
            break;
        case O_NOW: {
            uint64_t v;
            if (parse_u64(optarg, &v) == 0) {
                now = (time_t)v; /* Unix seconds */
            } else if (parse_time_arg(optarg, (uint64_t)time(NULL) * 1000000u, &v) == 0) {
                now = (time_t)(v / 1000000u);
            } else {
                error(TR("notify: bad time '%s'", "notify: 時刻 '%s' が読めません"), optarg);
                return EXIT_USAGE;
            }
            break;
        }
        case 'h':
        case O_HELP:
            fputs(TR(cmd_notify_usage[0], cmd_notify_usage[1]), stdout);
            return 0;
        default:
            error(TR("notify: unknown option '%s' (see 'mamori notify --help')",
                     "notify: 不明なオプション '%s' です ('mamori notify --help' を参照)"),
                  argv[optind - 1]);
            return EXIT_USAGE;
        }
    }
    if (optind >= argc) {
        fputs(TR(cmd_notify_usage[0], cmd_notify_usage[1]), stderr);
        return EXIT_USAGE;
    }
    const char *sub = argv[optind];
    int nargs = argc - optind - 1;
    struct mamori_config *cfg = xmalloc(sizeof(*cfg));
    int ret;
    if (config_load_cli(cfg, config_path) < 0) {
        free(cfg);
        return EXIT_USAGE;
    }
    char err[512];
    snprintf(cfg->notify.company, sizeof(cfg->notify.company), "%s", cfg->company);
    if (notify_config_check(&cfg->notify, err, sizeof(err)) < 0) {
        error("notify: %s", err);
        free(cfg);
        return EXIT_USAGE;
    }
    curl_global_init(CURL_GLOBAL_DEFAULT);
    if (strcmp(sub, "list") == 0 && nargs == 0) {
        ret = notify_list(&cfg->notify);
    } else if (strcmp(sub, "test") == 0 && nargs == 1) {
        ret = notify_test(&cfg->notify, argv[optind + 1]);
    } else if (strcmp(sub, "run") == 0 && nargs == 0) {
        ret = notify_run(&cfg->notify, db_path, once, now);
    } else if (strcmp(sub, "digest") == 0 && nargs == 0 && print + send == 1) {
        ret = notify_digest(&cfg->notify, db_path, send, now);
    } else if (strcmp(sub, "digest") == 0 && nargs == 0) {
        error("%s", TR("notify digest: give --print or --send",
                       "notify digest: --print か --send のどちらかを指定してください"));
        ret = EXIT_USAGE;
    } else {
        error(TR("notify: unknown subcommand or extra arguments: '%s' (list, test CHANNEL, run, "
                 "digest; see 'mamori notify --help')",
                 "notify: サブコマンドまたは引数が正しくありません: '%s' (list、test 通知先、run、"
                 "digest。'mamori notify --help' を参照)"),
              sub);
        ret = EXIT_USAGE;
    }
    curl_global_cleanup();
    free(cfg);
    return ret;
}
