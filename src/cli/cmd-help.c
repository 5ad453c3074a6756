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
};

static const struct help_entry help_entries[] = {
    {"read", "analyse capture files into the store", "キャプチャファイルを解析して記録する",
     "usage: mamori read [--db FILE] [--eve FILE] [--config FILE] [--bpf EXPR] [--quiet]\n"
     "                   CAPTURE...\n"
     "\n"
     "Analyses pcap or pcapng files (gzip-compressed too) and records every flow\n"
     "in the SQLite store (default ./mamori.db) and, with --eve, as Suricata-style\n"
     "EVE JSON lines. Prints a short summary when done.\n"
     "\n"
     "  --db FILE      SQLite store to write (created if missing)\n"
     "  --eve FILE     also write EVE JSON, one event a line ('-' for stdout)\n"
     "  --config FILE  settings file (see docs/config.md)\n"
     "  --set KEY=VAL  one setting on the command line (repeatable)\n"
     "  --bpf EXPR     only packets matching this BPF filter (tcpdump syntax)\n"
     "  --quiet        no summary\n"
     "\n"
     "Exit status: 0 done, 1 the store or EVE file could not be written,\n"
     "2 bad usage or a bad capture file (flows read before the problem are kept).\n",
     "使い方: mamori read [--db FILE] [--eve FILE] [--config FILE] [--bpf EXPR] [--quiet]\n"
     "                    CAPTURE...\n"
     "\n"
     "pcap / pcapng ファイル（gzip 圧縮も可）を解析し、すべての通信（フロー）を\n"
     "SQLite の記録（既定は ./mamori.db）に保存します。--eve を付けると Suricata 形式の\n"
     "EVE JSON も 1 行 1 イベントで書き出します。終わると概要を表示します。\n"
     "\n"
     "  --db FILE      書き込む SQLite ファイル（なければ作成）\n"
     "  --eve FILE     EVE JSON も書き出す（'-' で標準出力）\n"
     "  --config FILE  設定ファイル（docs/config.md 参照）\n"
     "  --set KEY=VAL  設定を 1 つコマンドラインで指定（複数可）\n"
     "  --bpf EXPR     この BPF フィルタ（tcpdump と同じ書式）に合うパケットだけ\n"
     "  --quiet        概要を表示しない\n"
     "\n"
     "終了コード: 0 完了、1 記録や EVE ファイルに書き込めない、\n"
     "2 使い方の誤りや壊れたキャプチャ（問題の手前までのフローは保存済み）。\n"},
    {"watch", "watch a network interface live", "ネットワークを常時監視する",
     "usage: mamori watch -i IFACE [--db FILE] [--eve FILE] [--config FILE] [--bpf EXPR]\n"
     "                    [--user NAME]\n"
     "\n"
     "Captures live from IFACE and records flows as `read` does. Run as root: it\n"
     "opens the interface, then drops to --user (default 'nobody'). Ctrl-C or\n"
     "SIGTERM ends all flows, commits and prints a summary with the packets the\n"
     "kernel dropped.\n",
     "使い方: mamori watch -i IFACE [--db FILE] [--eve FILE] [--config FILE] [--bpf EXPR]\n"
     "                     [--user NAME]\n"
     "\n"
     "IFACE を流れる通信をその場で記録します（記録内容は read と同じ）。root で起動すると\n"
     "インタフェースを開いた直後に --user（既定 nobody）の権限に切り替えます。\n"
     "Ctrl-C か SIGTERM で全フローを保存し、取りこぼしたパケット数を含む概要を表示します。\n"},
    {"gen-scenario", "write a realistic capture of a small office",
     "小さなオフィスの通信を再現したキャプチャを作る", NULL, NULL},
    {"help", "show help for a command", "コマンドの説明を表示する",
     "usage: mamori help [COMMAND]\n", "使い方: mamori help [COMMAND]\n"},
};

const char *command_usage(const char *name)
{
    for (size_t i = 0; i < ARRAY_SIZE(help_entries); i++) {
        const struct help_entry *h = &help_entries[i];
        if (strcmp(h->name, name) != 0)
            continue;
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
