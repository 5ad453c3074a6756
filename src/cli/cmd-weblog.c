/* cmd-weblog.c - `mamori weblog FILE...`: web server access logs (nginx,
 * Apache; plain or gzip) read through the web.attack detector, for the
 * shops whose site is hosted elsewhere or behind HTTPS the sensor cannot
 * read. Alerts are printed as `mamori alerts` prints them and, with --db,
 * stored like the sensor's. */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <zlib.h>

#include "cli/cli-args.h"
#include "cli/commands.h"
#include "detect/detect.h"
#include "store/sink.h"
#include "util/i18n.h"
#include "util/netaddr.h"
#include "util/util.h"
#include "version.h"
#include "weblog/weblog.h"

const char *const cmd_weblog_usage[2] = {
    "usage: mamori weblog FILE... [--format combined|common|auto] [--json] [--db FILE]\n"
    "                     [--site NAME] [--server-ip IP] [--set KEY=VALUE] [--lang en|ja]\n"
    "\n"
    "Reads web server access logs (nginx and Apache combined or common format,\n"
    "plain or .gz; '-' reads standard input) and looks for attacks on the site:\n"
    "card testing, password guessing on login pages, vulnerability scans, leaked\n"
    "files and web shells (alert web.attack). Give rotated files oldest first.\n"
    "\n"
    "  --format F      combined, common or auto (default: auto, line by line)\n"
    "  --json          one JSON object per alert, as `mamori alerts --json`\n"
    "  --db FILE       also store the alerts in this database (`mamori alerts`)\n"
    "  --site NAME     the site's name, shown in the alerts (e.g. shop.example.jp)\n"
    "  --server-ip IP  the server's address, shown as the destination\n"
    "  --set KEY=VAL   a detector setting, e.g. web.login_min_attempts=10\n"
    "  --lang en|ja    language of the output\n"
    "\n"
    "Lines that are not access log lines are counted and skipped. Exit status:\n"
    "0 done, 1 the database could not be written, 2 bad usage, a file that\n"
    "cannot be read, or a file without a single access log line.\n",
    "使い方: mamori weblog FILE... [--format combined|common|auto] [--json] [--db FILE]\n"
    "                      [--site NAME] [--server-ip IP] [--set KEY=VALUE] [--lang en|ja]\n"
    "\n"
    "Webサーバーのアクセスログ（nginx・Apache の combined 形式または common 形式、\n"
    "そのままでも .gz 圧縮でも可。'-' は標準入力）を読み、サイトへの攻撃を探します:\n"
    "クレジットカードの不正試行、ログイン画面でのパスワード総当たり、脆弱性スキャン、\n"
    "ファイルの流出、Webシェル（警告 web.attack）。ローテートされたファイルは古い順に\n"
    "指定してください。\n"
    "\n"
    "  --format F      combined、common、auto（既定: auto、1行ごとに判定）\n"
    "  --json          警告を1件1行の JSON で出力（`mamori alerts --json` と同じ形式）\n"
    "  --db FILE       警告をこのデータベースにも保存する（`mamori alerts` で表示）\n"
    "  --site NAME     警告に表示するサイト名（例: shop.example.jp）\n"
    "  --server-ip IP  サーバーの IP アドレス（警告の宛先として表示）\n"
    "  --set KEY=VAL   検知の設定（例: web.login_min_attempts=10）\n"
    "  --lang en|ja    出力の言語\n"
    "\n"
    "アクセスログとして読めない行は数えて読み飛ばします。終了コード: 0 完了、\n"
    "1 データベースに書き込めなかった、2 使い方の誤り・読めないファイル・\n"
    "アクセスログの行が1行もないファイル。\n",
};

/* The alerts of this run, by key, with their counts added up. */
struct wl_alert {
    struct wl_alert *next;
    struct alert a;
};

#define WL_BUCKETS 4096

struct wl_run {
    struct wl_alert *buckets[WL_BUCKETS];
    struct wl_alert **order; /* first-raised order */
    size_t n, cap;
    struct sink *sink;
    int sink_failed;
};

static uint32_t wl_hash(const char *s)
{
    uint32_t h = 2166136261u;
    for (; *s; s++)
        h = (h ^ (unsigned char)*s) * 16777619u;
    return h % WL_BUCKETS;
}

static void wl_on_alert(void *arg, const struct alert *a)
{
    struct wl_run *run = arg;
    /* Only this detector: the others would read the made-up flows as
     * traffic they are not. */
    if (strcmp(a->category, "web.attack") != 0)
        return;
    if (run->sink && !run->sink_failed && run->sink->ops->alert(run->sink, a) < 0)
        run->sink_failed = 1;
    uint32_t h = wl_hash(a->key);
    for (struct wl_alert *w = run->buckets[h]; w; w = w->next) {
        if (strcmp(w->a.key, a->key) != 0)
            continue;
        if (a->update) {
            w->a.count += a->count;
            if (a->last_ts_us > w->a.last_ts_us)
                w->a.last_ts_us = a->last_ts_us;
            for (unsigned i = 0; i < a->nflows; i++)
                alert_add_flow(&w->a, a->flow_ids[i]);
        }
        return;
    }
    struct wl_alert *w = xcalloc(1, sizeof(*w));
    alert_copy(&w->a, a);
    if (!w->a.count)
        w->a.count = 1;
    w->next = run->buckets[h];
    run->buckets[h] = w;
    if (run->n == run->cap) {
        run->cap = run->cap ? run->cap * 2 : 64;
        run->order = xrealloc(run->order, run->cap * sizeof(*run->order));
    }
    run->order[run->n++] = w;
}

static void wl_run_free(struct wl_run *run)
{
    for (size_t i = 0; i < run->n; i++) {
        alert_release(&run->order[i]->a);
        free(run->order[i]);
    }
    free(run->order);
}

struct wl_counts {
    uint64_t lines, parsed, bad;
    uint64_t first_bad_line;
};

/* Reads one file ("-": standard input) line by line into the feed. Returns
 * 0, or EXIT_USAGE after printing one line (cannot open, read error). */
static int wl_read_file(const char *path, enum weblog_format fmt, struct weblog_feed *wf,
                        struct wl_counts *c)
{
    gzFile gz;
    if (strcmp(path, "-") == 0) {
        int fd = dup(0);
        gz = fd >= 0 ? gzdopen(fd, "rb") : NULL;
        if (!gz && fd >= 0)
            close(fd);
    } else {
        gz = gzopen(path, "rb");
    }
    if (!gz) {
        error(TR("weblog: cannot open '%s': %s", "weblog: '%s' を開けません: %s"), path,
              strerror(errno ? errno : ENOMEM));
        return EXIT_USAGE;
    }
    gzbuffer(gz, 128 * 1024);
    char *buf = xmalloc(WEBLOG_MAX_LINE + 2);
    struct weblog_req *r = xmalloc(sizeof(*r));
    bool skipping = false; /* the rest of an overlong line */
    uint64_t lineno = 0;
    int ret = 0;
    for (;;) {
        if (!gzgets(gz, buf, WEBLOG_MAX_LINE + 2))
            break;
        size_t len = strlen(buf);
        bool complete = len > 0 && buf[len - 1] == '\n';
        if (skipping) {
            skipping = !complete;
            continue;
        }
        lineno++;
        c->lines++;
        if (!complete && len >= WEBLOG_MAX_LINE + 1) {
            skipping = true;
            len = WEBLOG_MAX_LINE + 1; /* too long: a bad line */
        }
        /* An embedded NUL shortens the line: it will not parse, or parse
         * the part before it. */
        if (weblog_parse_line(buf, len, fmt, r) == 0) {
            c->parsed++;
            weblog_feed_req(wf, r);
        } else if (len > 1 || (len == 1 && buf[0] != '\n')) {
            c->bad++;
            if (!c->first_bad_line)
                c->first_bad_line = lineno;
        } else {
            c->lines--; /* an empty line is not a line of the log */
        }
    }
    int errnum = 0;
    const char *msg = gzerror(gz, &errnum);
    if (errnum != Z_OK && errnum != Z_BUF_ERROR) {
        error(TR("weblog: cannot read '%s': %s", "weblog: '%s' を読めません: %s"), path,
              errnum == Z_ERRNO ? strerror(errno) : msg);
        ret = EXIT_USAGE;
    }
    gzclose(gz);
    free(buf);
    free(r);
    return ret;
}

int cmd_weblog(int argc, char **argv)
{
    enum { O_FORMAT = 1000, O_JSON, O_DB, O_SITE, O_SERVER, O_SET, O_LANG, O_HELP };
    static const struct option longopts[] = {
        {"format", required_argument, NULL, O_FORMAT},
        {"json", no_argument, NULL, O_JSON},
        {"db", required_argument, NULL, O_DB},
        {"site", required_argument, NULL, O_SITE},
        {"server-ip", required_argument, NULL, O_SERVER},
        {"set", required_argument, NULL, O_SET},
        {"lang", required_argument, NULL, O_LANG},
        {"help", no_argument, NULL, O_HELP},
        {NULL, 0, NULL, 0},
    };
    enum weblog_format fmt = WEBLOG_AUTO;
    int json = 0;
    const char *dbpath = NULL, *site = NULL;
    bool has_server = false;
    struct ip_addr server;
    memset(&server, 0, sizeof(server));
    struct detect_config cfg;
    detect_config_defaults(&cfg);
    optind = 1;
    opterr = 0;
    int c;
    while ((c = getopt_long(argc, argv, "h", longopts, NULL)) != -1) {
        switch (c) {
        case O_FORMAT:
            if (weblog_format_parse(optarg, &fmt) < 0) {
                error("%s", TR("weblog: --format takes combined, common or auto",
                               "weblog: --format には combined、common、auto のいずれかを"
                               "指定してください"));
                return EXIT_USAGE;
            }
            break;
        case O_JSON:
            json = 1;
            break;
        case O_DB:
            dbpath = optarg;
            break;
        case O_SITE:
            site = optarg;
            break;
        case O_SERVER:
            if (ip_addr_parse(optarg, &server) < 0 || ip_addr_is_unspecified(&server)) {
                error(TR("weblog: --server-ip takes an IP address, got '%s'",
                         "weblog: --server-ip には IP アドレスを指定してください: '%s'"),
                      optarg);
                return EXIT_USAGE;
            }
            has_server = true;
            break;
        case O_SET: {
            char key[DETECT_PARAM_KEY_LEN], err[160];
            const char *eq = strchr(optarg, '=');
            if (!eq || eq == optarg || (size_t)(eq - optarg) >= sizeof(key)) {
                error(TR("weblog: --set takes KEY=VALUE, got '%s'",
                         "weblog: --set には KEY=VALUE の形で指定してください: '%s'"),
                      optarg);
                return EXIT_USAGE;
            }
            memcpy(key, optarg, (size_t)(eq - optarg));
            key[eq - optarg] = '\0';
            int rc = detect_config_set_param(&cfg, key, eq + 1, err, sizeof(err));
            if (rc == -2) {
                error(TR("weblog: unknown setting '%s'", "weblog: 不明な設定 '%s' です"), key);
                return EXIT_USAGE;
            }
            if (rc < 0) {
                error("weblog: %s", err);
                return EXIT_USAGE;
            }
            break;
        }
        case O_LANG:
            if (i18n_set(optarg) < 0) {
                error("%s", TR("--lang takes 'en' or 'ja'",
                               "--lang には en か ja を指定してください"));
                return EXIT_USAGE;
            }
            break;
        case 'h':
        case O_HELP:
            fputs(TR(cmd_weblog_usage[0], cmd_weblog_usage[1]), stdout);
            return 0;
        default:
            return cli_bad_option("weblog", argv);
        }
    }
    if (optind >= argc) {
        error("%s", TR("weblog: no log file given (see 'mamori help weblog')",
                       "weblog: ログファイルを指定してください（'mamori help weblog' を参照）"));
        return EXIT_USAGE;
    }
    /* The server given is the site: it counts as ours. */
    if (has_server)
        (void)netset_add(&cfg.inv.home, &server, 128); /* a full set: it is left out */

    struct wl_run run;
    memset(&run, 0, sizeof(run));
    if (dbpath) {
        run.sink = store_sqlite_open(dbpath);
        if (!run.sink)
            return EXIT_ENV;
        char source[512];
        size_t o = 0;
        source[0] = '\0';
        for (int i = optind; i < argc && o < sizeof(source); i++) {
            int k = snprintf(source + o, sizeof(source) - o, "%s%s", o ? " " : "", argv[i]);
            if (k < 0)
                break;
            o += (size_t)k;
        }
        const struct run_info ri = {.command = "weblog", .source = source,
                                    .version = MAMORI_VERSION};
        if (run.sink->ops->run_start && run.sink->ops->run_start(run.sink, &ri) < 0) {
            run.sink->ops->close(run.sink);
            return EXIT_ENV;
        }
    }
    struct detect *d = detect_new(&cfg, NULL, NULL, wl_on_alert, &run);
    struct weblog_feed *wf = weblog_feed_new(d, site, has_server ? &server : NULL, 443);
    int rc = 0;
    for (int i = optind; i < argc && !rc; i++) {
        struct wl_counts cnt = {0};
        rc = wl_read_file(argv[i], fmt, wf, &cnt);
        if (rc)
            break;
        if (cnt.parsed == 0) {
            error(TR("weblog: '%s' has no access log line (%llu lines read)",
                     "weblog: '%s' にアクセスログの行がありません（%llu 行を読みました）"),
                  argv[i], (unsigned long long)cnt.lines);
            rc = EXIT_USAGE;
        } else if (cnt.bad) {
            warning(TR("weblog: %s: skipped %llu of %llu lines that are not access log lines "
                       "(first: line %llu)",
                       "weblog: %s: アクセスログとして読めない %llu 行を読み飛ばしました"
                       "（全 %llu 行、最初は %llu 行目）"),
                    argv[i], (unsigned long long)cnt.bad, (unsigned long long)cnt.lines,
                    (unsigned long long)cnt.first_bad_line);
        }
    }
    detect_finish(d);
    weblog_feed_free(wf);
    detect_free(d);

    if (run.sink) {
        if (!run.sink_failed) {
            const struct run_stats rs = {0};
            if (run.sink->ops->commit(run.sink) < 0 ||
                (run.sink->ops->run_end && run.sink->ops->run_end(run.sink, &rs) < 0))
                run.sink_failed = 1;
        }
        run.sink->ops->close(run.sink);
        if (run.sink_failed && !rc)
            rc = EXIT_ENV;
    }
    if (!rc) {
        for (size_t i = 0; i < run.n; i++)
            alert_print(&run.order[i]->a, (int64_t)(i + 1), json);
        if (!json && run.n == 0)
            printf("%s\n", TR("No attacks found in the log.",
                              "ログに攻撃は見つかりませんでした。"));
    }
    wl_run_free(&run);
    return rc;
}
