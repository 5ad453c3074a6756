/* cmd-config.c - `mamori config check [FILE]`: is a settings file right?
 *
 * Prints every problem, one line each (`FILE:LINE: message` for what the
 * parser sees, `FILE: key: ...` for files the settings name), so whoever
 * edits /etc/mamori/mamori.conf fixes it in one go instead of one restart
 * per typo.
 */
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "cli/commands.h"
#include "util/config.h"
#include "util/i18n.h"
#include "util/util.h"

const char *const cmd_config_usage[2] = {
    "usage: mamori config check [FILE]\n"
    "\n"
    "Checks a settings file and prints every problem, one line each:\n"
    "malformed lines, unknown keys and bad values with their line number,\n"
    "files the settings name that do not exist (known-device list, threat\n"
    "list directory, GeoIP database, password files, the store's directory),\n"
    "notification channels missing what they need. A capture interface that\n"
    "does not exist is a warning only (it may appear later).\n"
    "\n"
    "FILE defaults to $MAMORI_CONFIG, else " CONFIG_DEFAULT_PATH ".\n"
    "\n"
    "Exit status: 0 the file is fine, 2 problems were found, 1 the file\n"
    "cannot be read. Keys: docs/config.md.\n",
    "使い方: mamori config check [ファイル]\n"
    "\n"
    "設定ファイルを検査し、問題をすべて 1 行ずつ表示します。書式の誤り、\n"
    "不明なキー、範囲外の値は行番号つきで示します。設定が指す既知の機器\n"
    "リスト、脅威情報リストのディレクトリ、GeoIP データベース、パスワード\n"
    "ファイル、データベースのディレクトリが存在するか、通知先に必要な項目が\n"
    "そろっているかも確認します。キャプチャするインタフェースが見つからない\n"
    "場合は警告のみです（後から現れることがあるため）。\n"
    "\n"
    "ファイルを省略すると $MAMORI_CONFIG、なければ " CONFIG_DEFAULT_PATH
    " を検査します。\n"
    "\n"
    "終了コード: 0 問題なし、2 問題あり、1 ファイルを読めない。\n"
    "キーの一覧は docs/config.md にあります。\n",
};

static int config_check(const char *path)
{
    struct mamori_config cfg;
    config_defaults(&cfg);
    if (access(path, R_OK) != 0) {
        /* config_load_file would say the same; this keeps exit 1 apart
         * from "the file has problems". */
        config_load_file(&cfg, path);
        return EXIT_ENV;
    }
    unsigned problems = 0;
    if (config_load_file(&cfg, path) < 0)
        problems++;
    char err[512];
    if (notify_config_check(&cfg.notify, err, sizeof(err)) < 0) {
        error("%s: %s", path, err);
        problems++;
    }
    problems += config_check_references(&cfg, path);
    if (problems) {
        fprintf(stderr, TR("%s: problems found (see above)\n",
                           "%s: 問題が見つかりました（上記を参照してください）\n"),
                path);
        return EXIT_USAGE;
    }
    printf(TR("%s: OK\n", "%s: 問題ありません\n"), path);
    return 0;
}

int cmd_config(int argc, char **argv)
{
    if (argc >= 2 && (strcmp(argv[1], "-h") == 0 || strcmp(argv[1], "--help") == 0)) {
        fputs(command_usage(argv[0]), stdout);
        return 0;
    }
    if (argc < 2 || strcmp(argv[1], "check") != 0) {
        error("%s", TR("config: which action? (usage: mamori config check [FILE])",
                       "config: 操作を指定してください（mamori config check [ファイル]）"));
        return EXIT_USAGE;
    }
    if (argc > 3) {
        error(TR("config check: unexpected argument '%s'", "config check: 余分な引数 '%s' があります"),
              argv[3]);
        return EXIT_USAGE;
    }
    const char *path = argc == 3 ? argv[2] : NULL;
    if (!path) {
        const char *env = getenv("MAMORI_CONFIG");
        path = env && *env ? env : CONFIG_DEFAULT_PATH;
    }
    return config_check(path);
}
