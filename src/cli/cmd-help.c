/* cmd-help.c - `mamori help [COMMAND]`: what each command does, in the
 * user's language. */
#include <stdio.h>
#include <string.h>

#include "cli/commands.h"
#include "util/i18n.h"
#include "util/util.h"

struct help_entry {
    const char *name;
    const char *summary_en, *summary_ja;
    const char *usage_en, *usage_ja;
    const char *const *beside; /* usage kept beside the command: [0] en, [1] ja */
};

static const struct help_entry help_entries[] = {
    {"read", "analyse capture files into the store", "キャプチャファイルを解析して記録する",
     "usage: mamori read [--db FILE] [--known FILE] [--intel DIR] [--eve FILE] [--config FILE]\n"
     "                   [--bpf EXPR] [--quiet] CAPTURE...\n"
     "\n"
     "Analyses pcap or pcapng files (gzip-compressed too) and records every flow\n"
     "in the SQLite store (default ./mamori.db) and, with --eve, as Suricata-style\n"
     "EVE JSON lines. Prints a short summary when done.\n"
     "\n"
     "  --db FILE      SQLite store to write (created if missing)\n"
     "  --known FILE   known-device list (default: known-devices.csv beside the db)\n"
     "  --intel DIR    threat lists to match (default: 'intel' beside the db, filled\n"
     "                 by `mamori intel add`)\n"
     "  --eve FILE     also write EVE JSON, one event a line ('-' for stdout)\n"
     "  --config FILE  settings file (see docs/config.md)\n"
     "  --set KEY=VAL  one setting on the command line (repeatable)\n"
     "  --bpf EXPR     only packets matching this BPF filter (tcpdump syntax)\n"
     "  --quiet        no summary\n"
     "\n"
     "Exit status: 0 done, 1 the store or EVE file could not be written,\n"
     "2 bad usage or a bad capture file (flows read before the problem are kept).\n",
     "使い方: mamori read [--db FILE] [--known FILE] [--intel DIR] [--eve FILE] [--config FILE]\n"
     "                    [--bpf EXPR] [--quiet] CAPTURE...\n"
     "\n"
     "pcap / pcapng ファイル（gzip 圧縮も可）を解析し、すべての通信（フロー）を\n"
     "SQLite の記録（既定は ./mamori.db）に保存します。--eve を付けると Suricata 形式の\n"
     "EVE JSON も 1 行 1 イベントで書き出します。終わると概要を表示します。\n"
     "\n"
     "  --db FILE      書き込む SQLite ファイル（なければ作成）\n"
     "  --known FILE   既知の機器リスト（既定はデータベースと同じ場所の known-devices.csv）\n"
     "  --intel DIR    照合する脅威情報リストの場所（既定はデータベースと同じ場所の intel。\n"
     "                 `mamori intel add` で追加）\n"
     "  --eve FILE     EVE JSON も書き出す（'-' で標準出力）\n"
     "  --config FILE  設定ファイル（docs/config.md 参照）\n"
     "  --set KEY=VAL  設定を 1 つコマンドラインで指定（複数可）\n"
     "  --bpf EXPR     この BPF フィルタ（tcpdump と同じ書式）に合うパケットだけ\n"
     "  --quiet        概要を表示しない\n"
     "\n"
     "終了コード: 0 完了、1 記録や EVE ファイルに書き込めない、\n"
     "2 使い方の誤りや壊れたキャプチャ（問題の手前までのフローは保存済み）。\n", NULL},
    {"watch", "watch a network interface live", "ネットワークを常時監視する",
     "usage: mamori watch [-i IFACE]... [--db FILE] [--known FILE] [--intel DIR] [--eve FILE]\n"
     "                    [--config FILE] [--bpf EXPR] [--user NAME]\n"
     "\n"
     "Captures live from each IFACE (repeat -i, or capture.interface = eth1, eth2 in\n"
     "the settings) into one flow table and records flows as `read` does. Run as\n"
     "root: it opens the interfaces, then drops to --user (default: service.user,\n"
     "'mamori', else 'nobody'). SIGHUP reloads the settings: thresholds apply at\n"
     "once, keys that need a restart are named. Ctrl-C or SIGTERM ends all flows,\n"
     "commits and prints a summary with the packets the kernel dropped.\n",
     "使い方: mamori watch [-i IFACE]... [--db FILE] [--known FILE] [--intel DIR] [--eve FILE]\n"
     "                     [--config FILE] [--bpf EXPR] [--user NAME]\n"
     "\n"
     "各 IFACE（-i を繰り返すか、設定の capture.interface = eth1, eth2）を 1 つのフロー表で\n"
     "監視し、read と同じ内容を記録します。root で起動するとインタフェースを開いた直後に\n"
     "--user（既定は service.user の mamori、なければ nobody）の権限に切り替えます。\n"
     "SIGHUP で設定を読み直します。しきい値はすぐに反映され、再起動が必要な項目は名前を\n"
     "表示します。Ctrl-C か SIGTERM で全フローを保存し、取りこぼしたパケット数を含む概要を\n"
     "表示します。\n", NULL},
    {"devices", "list the devices on the network; approve known ones",
     "ネットワーク上の機器を一覧し、既知の機器を登録する",
     "usage: mamori devices [--db FILE] [--known FILE] [--json] [--unknown] [--stale DAYS]\n"
     "       mamori devices approve MAC [--name NAME] [--owner OWNER] [--note TEXT]\n"
     "       mamori devices import FILE.csv\n"
     "\n"
     "Lists every device the sensor has seen (`read`/`watch` build the inventory):\n"
     "MAC, vendor, addresses, names (DHCP, NetBIOS, mDNS, Windows logins), OS guess\n"
     "with its evidence, services it offers, outside services it uses most, first\n"
     "and last seen. Devices not on the known-device list are marked '?'.\n"
     "\n"
     "  --db FILE      SQLite store to read (default ./mamori.db)\n"
     "  --known FILE   known-device list (CSV: mac,name,owner,note); default\n"
     "                 known-devices.csv beside the database\n"
     "  --config FILE  settings file (for inventory.known_devices)\n"
     "  --json         one JSON object per device per line\n"
     "  --unknown      only devices not on the known-device list\n"
     "  --stale DAYS   only devices silent for DAYS days or more (counted back from\n"
     "                 the newest traffic recorded)\n"
     "\n"
     "approve adds a device to the known list (or updates its name/owner/note);\n"
     "import merges another CSV into it. The list is saved atomically: a crash\n"
     "never leaves it half written. Exit status: 0 ok, 1 the store or list could\n"
     "not be read or written, 2 bad usage or a malformed CSV (its line is named).\n",
     "使い方: mamori devices [--db FILE] [--known FILE] [--json] [--unknown] [--stale 日数]\n"
     "        mamori devices approve MAC [--name 名前] [--owner 使用者] [--note メモ]\n"
     "        mamori devices import FILE.csv\n"
     "\n"
     "センサーが見たすべての機器（read / watch が記録）を一覧します。MAC アドレス、\n"
     "メーカー、IP アドレス、名前（DHCP、NetBIOS、mDNS、Windows のログオン）、\n"
     "OS の推定とその根拠、提供しているサービス、よく使う外部サービス、最初と最後に\n"
     "見た日時です。既知の機器リストにない機器には '?' が付きます。\n"
     "\n"
     "  --db FILE      読む SQLite ファイル（既定 ./mamori.db）\n"
     "  --known FILE   既知の機器リスト（CSV: mac,name,owner,note）。既定は\n"
     "                 データベースと同じ場所の known-devices.csv\n"
     "  --config FILE  設定ファイル（inventory.known_devices を使う場合）\n"
     "  --json         機器ごとに 1 行の JSON で出力\n"
     "  --unknown      既知の機器リストにない機器だけ\n"
     "  --stale 日数   指定日数以上通信していない機器だけ（記録の最新時刻から数えます）\n"
     "\n"
     "approve は機器を既知の機器リストに登録（または名前・使用者・メモを更新）し、\n"
     "import は別の CSV を取り込みます。リストは安全に保存され、途中で止まっても\n"
     "壊れません。終了コード: 0 正常、1 記録やリストを読み書きできない、\n"
     "2 使い方の誤りや CSV の誤り（行番号を表示します）。\n", NULL},
    {"alerts", "list what the detectors found, in plain words",
     "検知した内容をわかりやすく一覧する",
     "usage: mamori alerts [--db FILE] [--json] [--since T] [--until T]\n"
     "                     [--min-severity LEVEL] [--category NAME] [--device MAC]\n"
     "\n"
     "Lists the alerts recorded by `read`/`watch`, oldest first, each with what\n"
     "happened, why it matters and what to do (in --lang en or ja). Repeats are\n"
     "counted on one line.\n"
     "\n"
     "  --db FILE            SQLite store to read (default ./mamori.db)\n"
     "  --json               one JSON object per alert per line\n"
     "  --since T, --until T 2026-11-26, 2026-11-26T09:00, or an age: 24h, 7d\n"
     "  --min-severity LEVEL info, low, medium, high or critical\n"
     "  --category NAME      e.g. device.new, or a prefix ending in '.': device.\n"
     "  --device MAC         alerts about one device\n",
     "使い方: mamori alerts [--db FILE] [--json] [--since T] [--until T]\n"
     "                      [--min-severity 重要度] [--category 種別] [--device MAC]\n"
     "\n"
     "read / watch が記録した警告を古い順に一覧します。それぞれ、何が起きたか、\n"
     "なぜ問題か、何をすればよいかを表示します（--lang en / ja）。同じ警告の\n"
     "繰り返しは 1 行にまとめて回数を示します。\n"
     "\n"
     "  --db FILE            読む SQLite ファイル（既定 ./mamori.db）\n"
     "  --json               警告ごとに 1 行の JSON で出力\n"
     "  --since T, --until T 2026-11-26、2026-11-26T09:00、または 24h、7d のような期間\n"
     "  --min-severity 重要度 info、low、medium、high、critical\n"
     "  --category 種別      例: device.new。'.' で終わる接頭辞も可: device.\n"
     "  --device MAC         特定の機器についての警告だけ\n", NULL},
    {"intel", "manage the threat lists the sensor matches against",
     "センサーが照合する脅威情報リストを管理する", NULL, NULL, cmd_intel_usage},
    {"weblog", "check web server access logs for attacks",
     "Webサーバーのアクセスログから攻撃を見つける", NULL, NULL, cmd_weblog_usage},
    {"scope", "how far did it spread? devices exposed to an IOC, and where they went next",
     "感染がどこまで広がったか（IOC に触れた機器とその後の通信）を調べる", NULL, NULL, cmd_scope_usage},
    {"timeline", "everything one device did, in time order",
     "1 台の機器がしたことを時刻順に表示する", NULL, NULL, cmd_timeline_usage},
    {"report", "the monthly report an owner understands (HTML, PDF, text)",
     "経営者が読める月次レポートを作る（HTML・PDF・テキスト）", NULL, NULL, cmd_report_usage},
    {"mail", "is this email spoofed or phishing? check it before you click",
     "このメールはなりすましやフィッシングか、開く前に調べる", NULL, NULL, cmd_mail_usage},
    {"notify", "test and list the notification channels",
     "通知先の一覧と送信テスト", NULL, NULL, cmd_notify_usage},
    {"status", "is the sensor running? packets, drops, last alert, disk",
     "センサーの状態（稼働、パケット、取りこぼし、最新の警告、ディスク）", NULL, NULL, cmd_status_usage},
    {"config", "check the settings file",
     "設定ファイルを検査する", NULL, NULL, cmd_config_usage},
    {"gen-scenario", "write a realistic capture of a small office",
     "小さなオフィスの通信を再現したキャプチャを作る", NULL, NULL, NULL},
    {"help", "show help for a command", "コマンドの説明を表示する",
     "usage: mamori help [COMMAND]\n", "使い方: mamori help [COMMAND]\n", NULL},
};

const char *command_usage(const char *name)
{
    for (size_t i = 0; i < ARRAY_SIZE(help_entries); i++) {
        const struct help_entry *h = &help_entries[i];
        if (strcmp(h->name, name) != 0)
            continue;
        if (h->beside)
            return TR(h->beside[0], h->beside[1]);
        if (!h->usage_en)
            return cmd_gen_scenario_usage;
        return TR(h->usage_en, h->usage_ja);
    }
    return NULL;
}

void print_command_list(void)
{
    printf("%s", TR("usage: mamori [--lang en|ja] [-v] COMMAND [ARGS]\n\ncommands:\n",
                    "使い方: mamori [--lang en|ja] [-v] COMMAND [ARGS]\n\nコマンド:\n"));
    for (size_t i = 0; i < ARRAY_SIZE(help_entries); i++) {
        const struct help_entry *h = &help_entries[i];
        printf("  %-14s %s\n", h->name, TR(h->summary_en, h->summary_ja));
    }
    printf("%s", TR("\n'mamori help COMMAND' explains one command. mamori --version prints the "
                    "version.\n",
                    "\n'mamori help COMMAND' で各コマンドの説明を表示します。"
                    "mamori --version で版を表示します。\n"));
}

int cmd_help(int argc, char **argv)
{
    if (argc < 2) {
        print_command_list();
        return 0;
    }
    const char *u = command_usage(argv[1]);
    if (!u) {
        error(TR("no help for '%s': not a mamori command", "'%s' という mamori のコマンドはありません"),
              argv[1]);
        return EXIT_USAGE;
    }
    fputs(u, stdout);
    return 0;
}
