/* cmd-scope.c - `mamori scope IOC`: how far did it spread? */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cli/cli-args.h"
#include "cli/commands.h"
#include "scope/scope.h"
#include "store/store-inv.h"
#include "util/config.h"
#include "util/i18n.h"
#include "util/util.h"

const char *const cmd_scope_usage[2] = {
    "usage: mamori scope IOC [--db FILE] [--since T] [--until T] [--hops N]\n"
    "                        [--json | --html FILE] [--config FILE]\n"
    "\n"
    "How far did it spread? From one indicator, find the inside devices that\n"
    "were in contact with it (patient zero first), the SMB/RPC/RDP/WinRM/SSH\n"
    "connections they then made inside (hop by hop, new paths told apart from\n"
    "known ones), the outside addresses they reached for the first time, and\n"
    "which PCs to isolate.\n"
    "\n"
    "IOC is one of:\n"
    "  203.0.113.5, 2001:db8::5     an outside address (an inside one: that device)\n"
    "  203.0.113.0/24               an outside network (/8 at most)\n"
    "  evil.example                 a domain and its subdomains\n"
    "  http://evil.example/x.bin    a URL (https: the server name only)\n"
    "  a 32-hex JA3 or a JA4        a TLS client fingerprint\n"
    "  00:11:22:33:44:55, PC07      a device by MAC or name (device:NAME for names\n"
    "                               with dots or blanks)\n"
    "  alert:12 or '#12'            an alert from 'mamori alerts'\n"
    "  (ip:, domain:, url:, ja3:, ja4: force a kind)\n"
    "\n"
    "Options:\n"
    "  --db FILE       the store (default ./mamori.db)\n"
    "  --since T       from T (2026-11-26, 2026-11-26T09:00, 24h, 7d)\n"
    "  --until T       up to T\n"
    "  --hops N        spread depth, 0-10 (default 2)\n"
    "  --json          one JSON object (see docs/scope.md)\n"
    "  --html FILE     a self-contained page with the spread graph\n"
    "  --config FILE   settings (net.home: the inside networks)\n"
    "\n"
    "Exit status: 0 done (even if nothing was found), 1 the store cannot be\n"
    "read, 2 bad usage or an indicator that names nothing.\n",
    "使い方: mamori scope IOC [--db FILE] [--since T] [--until T] [--hops N]\n"
    "                         [--json | --html FILE] [--config FILE]\n"
    "\n"
    "感染がどこまで広がったかを調べます。指定した痕跡（IOC）と通信した社内の機器\n"
    "（最初の感染が疑われる機器が先頭）、その後それらが社内に向けて行った SMB・RPC・\n"
    "RDP・WinRM・SSH の接続（段ごとに、以前からの経路か新しい経路かを区別）、\n"
    "初めて通信した外部の宛先、そして切り離すべき PC を示します。\n"
    "\n"
    "IOC に指定できるもの:\n"
    "  203.0.113.5、2001:db8::5     外部のアドレス（社内のアドレスならその機器）\n"
    "  203.0.113.0/24               外部のネットワーク（/8 まで）\n"
    "  evil.example                 ドメイン（サブドメインを含む）\n"
    "  http://evil.example/x.bin    URL（https はサーバー名のみで照合）\n"
    "  JA3（16 進 32 桁）、JA4      TLS クライアントのフィンガープリント\n"
    "  00:11:22:33:44:55、PC07      MAC アドレスか機器名（ドットや空白を含む名前は\n"
    "                               device:名前）\n"
    "  alert:12 または '#12'        'mamori alerts' の警告番号\n"
    "  （ip:、domain:、url:、ja3:、ja4: を付けると種類を指定できます）\n"
    "\n"
    "オプション:\n"
    "  --db FILE       記録ファイル（既定: ./mamori.db）\n"
    "  --since T       この時刻から（2026-11-26、2026-11-26T09:00、24h、7d）\n"
    "  --until T       この時刻まで\n"
    "  --hops N        横展開をたどる段数 0〜10（既定: 2）\n"
    "  --json          JSON オブジェクトを 1 つ出力（docs/scope.md 参照）\n"
    "  --html FILE     横展開の図を含む単独で開ける HTML ページを書き出す\n"
    "  --config FILE   設定ファイル（net.home: 社内のネットワーク）\n"
    "\n"
    "終了コード: 0 完了（何も見つからなくても 0）、1 記録を読めない、\n"
    "2 使い方の誤り、または IOC が何も指していない。\n",
};

int cmd_scope(int argc, char **argv)
{
    enum { O_DB = 1000, O_SINCE, O_UNTIL, O_HOPS, O_JSON, O_HTML, O_CONFIG, O_HELP };
    static const struct option longopts[] = {
        {"db", required_argument, NULL, O_DB},
        {"since", required_argument, NULL, O_SINCE},
        {"until", required_argument, NULL, O_UNTIL},
        {"hops", required_argument, NULL, O_HOPS},
        {"json", no_argument, NULL, O_JSON},
        {"html", required_argument, NULL, O_HTML},
        {"config", required_argument, NULL, O_CONFIG},
        {"help", no_argument, NULL, O_HELP},
        {NULL, 0, NULL, 0},
    };
    const char *dbpath = "mamori.db", *html = NULL, *cfgpath = NULL;
    int json = 0;
    static struct scope_query q;
    memset(&q, 0, sizeof(q));
    q.hops = 2;
    uint64_t now = cli_now_us();
    optind = 1;
    opterr = 0;
    int c;
    while ((c = getopt_long(argc, argv, "h", longopts, NULL)) != -1) {
        switch (c) {
        case O_DB: dbpath = optarg; break;
        case O_SINCE:
        case O_UNTIL:
            if (cli_time("scope", optarg, now, c == O_SINCE ? &q.since_us : &q.until_us))
                return EXIT_USAGE;
            break;
        case O_HOPS: {
            uint64_t h;
            if (parse_u64(optarg, &h) < 0 || h > 10) {
                error(TR("scope: --hops takes a number from 0 to 10, got '%s'",
                         "scope: --hops には 0〜10 の数を指定してください: '%s'"),
                      optarg);
                return EXIT_USAGE;
            }
            q.hops = (int)h;
            break;
        }
        case O_JSON: json = 1; break;
        case O_HTML: html = optarg; break;
        case O_CONFIG: cfgpath = optarg; break;
        case 'h':
        case O_HELP: fputs(command_usage("scope"), stdout); return 0;
        default: return cli_bad_option("scope", argv);
        }
    }
    if (optind >= argc) {
        error("%s", TR("scope: say what to look for, e.g. 'mamori scope 203.0.113.5' (see "
                       "'mamori help scope')",
                       "scope: 調べる対象を指定してください（例: 'mamori scope 203.0.113.5'、"
                       "'mamori help scope' を参照）"));
        return EXIT_USAGE;
    }
    if (optind + 1 < argc) {
        error(TR("scope: unexpected argument '%s' (one indicator at a time)",
                 "scope: 余分な引数 '%s' があります（調べる対象は 1 つずつ指定してください）"),
              argv[optind + 1]);
        return EXIT_USAGE;
    }
    if (json && html) {
        error("%s", TR("scope: choose --json or --html, not both",
                       "scope: --json と --html はどちらか一方を指定してください"));
        return EXIT_USAGE;
    }
    if (cli_window("scope", q.since_us, q.until_us))
        return EXIT_USAGE;
    char err[300];
    if (scope_ioc_parse(argv[optind], &q.ioc, err, sizeof(err)) < 0) {
        error("scope: %s", err);
        return EXIT_USAGE;
    }
    static struct mamori_config cfg;
    if (config_load_cli(&cfg, cfgpath) < 0)
        return cfgpath ? EXIT_USAGE : EXIT_ENV;
    q.home = cfg.detect.inv.home;

    sqlite3 *db = store_open_readonly(dbpath);
    if (!db)
        return EXIT_ENV;
    struct scope_result r;
    enum scope_err rc = scope_run(db, &q, &r);
    sqlite3_close(db);
    int status = 0;
    switch (rc) {
    case SCOPE_OK: break;
    case SCOPE_ERR_EMPTY:
        error(TR("scope: the store '%s' has no flows yet (run 'mamori read' or 'mamori watch' "
                 "first)",
                 "scope: 記録 '%s' にはまだ通信の記録がありません（先に 'mamori read' か "
                 "'mamori watch' を実行してください）"),
              dbpath);
        scope_result_free(&r);
        return EXIT_ENV;
    case SCOPE_ERR_INPUT: scope_result_free(&r); return EXIT_USAGE;
    case SCOPE_ERR_DB:
    default: scope_result_free(&r); return EXIT_ENV;
    }
    if (json) {
        json_t *o = scope_to_json(&r);
        char *s = json_dumps(o, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
        json_decref(o);
        if (s) {
            puts(s);
            free(s);
        }
    } else if (html) {
        if (scope_write_html(&r, html) < 0) {
            error(TR("scope: cannot write '%s': %s", "scope: '%s' に書き込めません: %s"), html,
                  strerror(errno));
            status = EXIT_ENV;
        } else {
            printf(TR("Wrote %s\n", "%s に書き出しました\n"), html);
        }
    } else {
        scope_print_text(&r, stdout);
    }
    scope_result_free(&r);
    return status;
}
