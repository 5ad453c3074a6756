/* cmd-timeline.c - `mamori timeline DEVICE`: everything one device did, in
 * time order (src/scope/timeline.c builds it). */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "cli/cli-args.h"
#include "cli/commands.h"
#include "scope/timeline.h"
#include "store/store-inv.h"
#include "util/i18n.h"
#include "util/util.h"

const char *const cmd_timeline_usage[2] = {
    "usage: mamori timeline DEVICE [--db FILE] [--since T] [--until T] [--all] [--json]\n"
    "                       [--lang en|ja]\n"
    "\n"
    "Everything one device did, merged and in time order: its connections, DNS\n"
    "lookups, TLS/HTTP names, file shares, logins, DHCP, address and name changes,\n"
    "and the alerts about it.\n"
    "\n"
    "DEVICE is a MAC address (00:11:22:aa:bb:cc), an IP address (the device that had\n"
    "it in the period; each address counts only while it was that device's), or a\n"
    "device name (PC-17, as `mamori devices` shows it). If a name or address fits\n"
    "several devices they are listed and nothing else is printed.\n"
    "\n"
    "  --db FILE     the store (default ./mamori.db)\n"
    "  --since T     from this time (2026-10-20, 2026-10-20T09:00, 24h, 7d; local time,\n"
    "                add Z for UTC)\n"
    "  --until T     up to this time\n"
    "  --all         every flow and event on its own line (default: repeated\n"
    "                connections to one place within a minute are one line, DNS\n"
    "                answers are folded into their lookups)\n"
    "  --json        one JSON object per line: time, kind, and the kind's fields\n"
    "  --lang en|ja  language of the text\n"
    "\n"
    "Exit status: 0 done, 1 the store could not be read, 2 bad usage, no such\n"
    "device, several devices fit, or the store is missing or empty.\n"
    "Full documentation: docs/timeline.md\n",

    "使い方: mamori timeline 機器 [--db ファイル] [--since 時刻] [--until 時刻] [--all]\n"
    "                       [--json] [--lang en|ja]\n"
    "\n"
    "1 台の機器がしたことを時刻順にまとめて表示します。接続、DNS の問い合わせ、\n"
    "TLS/HTTP の接続先名、ファイル共有、ログイン、DHCP、アドレスや名前の変化、\n"
    "その機器についての警告が含まれます。\n"
    "\n"
    "機器には MAC アドレス（00:11:22:aa:bb:cc）、IP アドレス（その期間にそのアドレスを\n"
    "使っていた機器。アドレスはその機器が使っていた間だけが対象です）、または機器名\n"
    "（`mamori devices` に表示される PC-17 など）を指定します。名前やアドレスに複数の\n"
    "機器が当てはまるときは、その一覧だけを表示します。\n"
    "\n"
    "  --db ファイル   データベース（既定: ./mamori.db）\n"
    "  --since 時刻    この時刻から（2026-10-20、2026-10-20T09:00、24h、7d など。この機械の\n"
    "                時刻帯で、末尾に Z を付けると UTC）\n"
    "  --until 時刻    この時刻まで\n"
    "  --all           すべての通信と記録を 1 行ずつ表示します（既定では、1 分以内の\n"
    "                  同じ相手への接続を 1 行にまとめ、DNS の応答は問い合わせの行に\n"
    "                  含めます）\n"
    "  --json          1 行に 1 つの JSON オブジェクト（time、kind と種類ごとの項目）\n"
    "  --lang en|ja    表示する言語\n"
    "\n"
    "終了コード: 0 正常、1 データベースを読めない、2 使い方の誤り・該当する機器が\n"
    "ない・複数の機器が当てはまる・データベースがないか空。\n"
    "詳しい説明: docs/timeline.md\n",
};


static void print_candidates(const struct tl_result *r, const char *arg)
{
    error(TR("timeline: '%s' fits %zu devices; give one of these MAC addresses:",
             "timeline: '%s' に当てはまる機器が %zu 台あります。次の MAC アドレスの"
             "どれかを指定してください:"),
          arg, r->ncand);
    for (size_t i = 0; i < r->ncand; i++) {
        const struct tl_candidate *c = &r->cand[i];
        char a[40] = "", b[40] = "";
        if (c->first_ts)
            fmt_ts_eve(a, sizeof(a), c->first_ts);
        if (c->last_ts)
            fmt_ts_eve(b, sizeof(b), c->last_ts);
        fprintf(stderr, "  %s  %-20s %-16s %.10s %.5s - %.10s %.5s\n", c->mac,
                c->name[0] ? c->name : "-", c->ip[0] ? c->ip : "-", a, a[0] ? a + 11 : "", b,
                b[0] ? b + 11 : "");
    }
}

int cmd_timeline(int argc, char **argv)
{
    enum { O_DB = 1000, O_JSON, O_SINCE, O_UNTIL, O_ALL, O_LANG, O_HELP };
    static const struct option longopts[] = {
        {"db", required_argument, NULL, O_DB},
        {"json", no_argument, NULL, O_JSON},
        {"since", required_argument, NULL, O_SINCE},
        {"until", required_argument, NULL, O_UNTIL},
        {"all", no_argument, NULL, O_ALL},
        {"lang", required_argument, NULL, O_LANG},
        {"help", no_argument, NULL, O_HELP},
        {NULL, 0, NULL, 0},
    };
    const char *dbpath = "mamori.db";
    struct tl_query q = {0};
    bool json = false;
    uint64_t now = cli_now_us();
    optind = 1;
    opterr = 0;
    int c;
    while ((c = getopt_long(argc, argv, "h", longopts, NULL)) != -1) {
        switch (c) {
        case O_DB: dbpath = optarg; break;
        case O_JSON: json = true; break;
        case O_ALL: q.all = true; break;
        case O_SINCE:
        case O_UNTIL:
            if (cli_time("timeline", optarg, now, c == O_SINCE ? &q.since_us : &q.until_us))
                return EXIT_USAGE;
            break;
        case O_LANG:
            if (i18n_set(optarg) < 0) {
                error("%s", TR("timeline: --lang takes 'en' or 'ja'",
                               "timeline: --lang には en か ja を指定してください"));
                return EXIT_USAGE;
            }
            break;
        case 'h':
        case O_HELP: fputs(command_usage("timeline"), stdout); return 0;
        default: return cli_bad_option("timeline", argv);
        }
    }
    if (optind >= argc) {
        error("%s", TR("timeline: which device? (a MAC, an IP address or a name; see 'mamori "
                       "help timeline')",
                       "timeline: 機器を指定してください（MAC アドレス、IP アドレスまたは"
                       "名前。'mamori help timeline' を参照）"));
        return EXIT_USAGE;
    }
    if (optind + 1 < argc)
        return cli_extra_arg("timeline", argv[optind + 1]);
    q.device = argv[optind];
    if (cli_window("timeline", q.since_us, q.until_us))
        return EXIT_USAGE;
    struct stat sbuf;
    if (stat(dbpath, &sbuf) < 0) {
        error(TR("timeline: no database '%s' (give the store with --db FILE)",
                 "timeline: データベース '%s' がありません（--db で指定してください）"),
              dbpath);
        return EXIT_USAGE;
    }
    sqlite3 *db = store_open_readonly(dbpath);
    if (!db)
        return EXIT_ENV;
    struct tl_result r;
    enum tl_err rc = timeline_run(db, &q, &r);
    int status = 0;
    switch (rc) {
    case TL_OK:
        if (json)
            timeline_print_json(stdout, &r);
        else
            timeline_print_text(stdout, &r, isatty(STDOUT_FILENO) && !getenv("NO_COLOR"));
        if (fflush(stdout) != 0 || ferror(stdout)) {
            error("%s", TR("timeline: cannot write the output", "timeline: 出力を書けません"));
            status = EXIT_ENV;
        }
        break;
    case TL_ERR_DB: status = EXIT_ENV; break;
    case TL_ERR_EMPTY:
        error(TR("timeline: the store '%s' has no flows or devices yet (run 'mamori read' or "
                 "'mamori watch' first)",
                 "timeline: データベース '%s' にはまだ通信も機器も記録されていません（先に "
                 "'mamori read' か 'mamori watch' を実行してください）"),
              dbpath);
        status = EXIT_USAGE;
        break;
    case TL_ERR_NOT_FOUND:
        error(TR("timeline: no device '%s' in the store (see 'mamori devices')",
                 "timeline: 機器 '%s' は記録されていません（'mamori devices' で確認できます）"),
              q.device);
        status = EXIT_USAGE;
        break;
    case TL_ERR_AMBIGUOUS:
        print_candidates(&r, q.device);
        status = EXIT_USAGE;
        break;
    case TL_ERR_BAD:
        error("%s", TR("timeline: the device must be a MAC, an IP address or a name",
                       "timeline: 機器には MAC アドレス、IP アドレスまたは名前を指定してください"));
        status = EXIT_USAGE;
        break;
    }
    timeline_result_free(&r);
    sqlite3_close(db);
    return status;
}
