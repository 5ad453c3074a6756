/* cmd-intel.c - `mamori intel`: the threat lists the sensor matches
 * against (add, update, list, remove, check). The lists live in a directory
 * (default "intel" beside the database; intel/intel.h describes it). */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "cli/cli-args.h"
#include "cli/commands.h"
#include "intel/intel.h"
#include "util/config.h"
#include "util/i18n.h"
#include "util/util.h"

const char *const cmd_intel_usage[2] = {
    "usage: mamori intel add FILE|URL --name NAME [--format F] [--db FILE] [--intel DIR]\n"
    "       mamori intel update [NAME...]\n"
    "       mamori intel list\n"
    "       mamori intel remove NAME\n"
    "       mamori intel check VALUE\n"
    "\n"
    "Manages the threat lists `read` and `watch` match traffic against (alerts\n"
    "intel.ip, intel.domain, intel.url, intel.ja3). Lists are kept in a directory,\n"
    "by default 'intel' beside the database.\n"
    "\n"
    "  add      checks a list file or URL (http, https, file) and stores a copy\n"
    "  update   fetches every list added from a URL again (or the NAMEs given);\n"
    "           a list that fails keeps its old copy\n"
    "  list     name, format, entries and age of every list\n"
    "  remove   deletes a list\n"
    "  check    which lists hold VALUE (an IP address, domain, URL or JA3 hash)\n"
    "\n"
    "  --name NAME       list name (letters, digits, '-', '_', '.')\n"
    "  --format F        ip, domain, url, ja3, feodo, urlhaus, drop, jpcert, ipsum,\n"
    "                    sslbl (default: told from the content)\n"
    "  --min-count N     IPsum: keep addresses on at least N blocklists (default 3)\n"
    "  --db FILE         the database the lists sit beside (default ./mamori.db)\n"
    "  --intel DIR       the list directory itself (also --intel-dir)\n"
    "  --config FILE     settings file (intel.dir)\n"
    "\n"
    "Exit status: 0 done (check: found), 1 a fetch or write failed (check: not\n"
    "found), 2 bad usage or a list that is not a list.\n",
    "使い方: mamori intel add FILE|URL --name NAME [--format F] [--db FILE] [--intel DIR]\n"
    "        mamori intel update [NAME...]\n"
    "        mamori intel list\n"
    "        mamori intel remove NAME\n"
    "        mamori intel check VALUE\n"
    "\n"
    "read と watch が通信を照合する脅威情報リストを管理します（警告 intel.ip、\n"
    "intel.domain、intel.url、intel.ja3）。リストは、既定ではデータベースと同じ場所の\n"
    "'intel' フォルダに保存します。\n"
    "\n"
    "  add      リストのファイルまたは URL（http、https、file）を確認して保存する\n"
    "  update   URL から追加したリストを取得し直す（NAME を指定するとそのリストだけ）。\n"
    "           失敗したリストは前のものをそのまま使う\n"
    "  list     各リストの名前、形式、件数、取得からの経過時間\n"
    "  remove   リストを削除する\n"
    "  check    VALUE（IP アドレス、ドメイン、URL、JA3）がどのリストに載っているか\n"
    "\n"
    "  --name NAME       リスト名（英数字、'-'、'_'、'.'）\n"
    "  --format F        ip、domain、url、ja3、feodo、urlhaus、drop、jpcert、ipsum、\n"
    "                    sslbl（既定は内容から判断）\n"
    "  --min-count N     IPsum: N 個以上のブロックリストに載った IP だけ使う（既定 3）\n"
    "  --db FILE         リストを置くデータベース（既定 ./mamori.db）\n"
    "  --intel DIR       リストのフォルダを直接指定（--intel-dir も可）\n"
    "  --config FILE     設定ファイル（intel.dir）\n"
    "\n"
    "終了コード: 0 完了（check: 見つかった）、1 取得や書き込みの失敗（check: 見つからない）、\n"
    "2 使い方の誤りやリストとして読めないファイル。\n",
};

struct intel_opts {
    const char *db;
    const char *dir_opt;
    const char *config;
    const char *name;
    const char *format;
    uint32_t min_count;
    char dir[1024];
};

static int intel_dir_resolve(struct intel_opts *o)
{
    if (o->dir_opt) {
        snprintf(o->dir, sizeof(o->dir), "%s", o->dir_opt);
        return 0;
    }
    if (o->config) {
        struct mamori_config cfg;
        config_defaults(&cfg);
        if (config_load_file(&cfg, o->config) < 0)
            return EXIT_USAGE;
        if (cfg.intel_dir[0]) {
            snprintf(o->dir, sizeof(o->dir), "%s", cfg.intel_dir);
            return 0;
        }
    }
    intel_default_dir(o->db, o->dir, sizeof(o->dir));
    return 0;
}

/* Parses buf as a list; prints why not. Returns 0 or EXIT_USAGE. */
static int intel_validate(const char *name, const char *buf, size_t len,
                          enum intel_format f, uint32_t min_count,
                          struct intel_load_result *r)
{
    struct intel_db *db = intel_db_new();
    struct intel_load_opts lo = {f, min_count};
    char err[512];
    int rc = intel_db_add_list(db, name, buf, len, &lo, r, err, sizeof(err));
    intel_db_free(db);
    if (rc < 0) {
        error(TR("%s: %s", "%s: %s"), name, err);
        return EXIT_USAGE;
    }
    if (r->bad)
        warning(TR("%s: %llu lines not understood and skipped (the first at line %llu)",
                   "%s: 読めない行 %llu 行を読み飛ばしました（最初は %llu 行目）"),
                name, (unsigned long long)r->bad, (unsigned long long)r->first_bad);
    return 0;
}

static int intel_get(const char *origin, char **buf, size_t *len)
{
    char err[1400];
    int rc = intel_is_url(origin) ? intel_fetch(origin, INTEL_MAX_FILE, buf, len, err, sizeof(err))
                                  : intel_read_file(origin, INTEL_MAX_FILE, buf, len, err,
                                                    sizeof(err));
    if (rc < 0) {
        error("%s", err);
        return EXIT_ENV;
    }
    return 0;
}

/* Stores buf as list name and records it in the index (s is updated). */
static int intel_save(struct intel_opts *o, struct intel_sources *s, const char *name,
                      const char *origin, enum intel_format f, const char *buf, size_t len,
                      uint64_t entries)
{
    char err[1400];
    if (intel_store_put(o->dir, name, buf, len, err, sizeof(err)) < 0) {
        error("%s", err);
        return EXIT_ENV;
    }
    struct intel_source *src = intel_sources_find(s, name);
    if (!src) {
        s->v = xrealloc(s->v, (s->n + 1) * sizeof(*s->v));
        src = &s->v[s->n++];
        memset(src, 0, sizeof(*src));
        snprintf(src->name, sizeof(src->name), "%s", name);
    }
    snprintf(src->origin, sizeof(src->origin), "%s", origin);
    snprintf(src->format, sizeof(src->format), "%s", intel_format_name(f));
    src->fetched = (int64_t)time(NULL);
    src->entries = entries;
    intel_sha256_hex(buf, len, src->sha256);
    if (intel_sources_write(o->dir, s, err, sizeof(err)) < 0) {
        error("%s", err);
        return EXIT_ENV;
    }
    return 0;
}

static int intel_add(struct intel_opts *o, const char *what)
{
    if (!o->name) {
        error("%s", TR("intel add: --name NAME is required", "intel add: --name NAME が必要です"));
        return EXIT_USAGE;
    }
    if (!intel_name_ok(o->name)) {
        error(TR("intel add: bad list name '%s' (letters, digits, '-', '_', '.'; at most %d)",
                 "intel add: リスト名 '%s' は使えません（英数字、'-'、'_'、'.'、%d 文字まで）"),
              o->name, INTEL_NAME_MAX);
        return EXIT_USAGE;
    }
    int f = INTEL_FMT_AUTO;
    if (o->format && (f = intel_format_parse(o->format)) < 0) {
        error(TR("intel add: unknown format '%s'", "intel add: 形式 '%s' は分かりません"),
              o->format);
        return EXIT_USAGE;
    }
    char origin[1024];
    if (intel_is_url(what)) {
        snprintf(origin, sizeof(origin), "%s", what);
    } else {
        char *abs = realpath(what, NULL);
        snprintf(origin, sizeof(origin), "%s", abs ? abs : what);
        free(abs);
    }
    if (strpbrk(origin, "\t\r\n") || strlen(origin) >= sizeof(origin) - 1) {
        error("%s", TR("intel add: the file name or URL is too long or has tabs or newlines",
                       "intel add: ファイル名または URL が長すぎるか、タブや改行を含みます"));
        return EXIT_USAGE;
    }
    char *buf;
    size_t len;
    int rc = intel_get(what, &buf, &len);
    if (rc)
        return rc;
    struct intel_load_result r;
    rc = intel_validate(o->name, buf, len, (enum intel_format)f, o->min_count, &r);
    if (rc) {
        free(buf);
        return rc;
    }
    struct intel_sources s;
    char err[1400];
    if (intel_sources_read(o->dir, &s, err, sizeof(err)) < 0) {
        free(buf);
        error("%s", err);
        return EXIT_ENV;
    }
    rc = intel_save(o, &s, o->name, origin, r.format, buf, len, r.entries);
    free(buf);
    intel_sources_free(&s);
    if (rc)
        return rc;
    printf(TR("added %s: %llu entries (format %s) in %s\n",
              "%s を追加しました: %llu 件（形式 %s）、保存先 %s\n"),
           o->name, (unsigned long long)r.entries, intel_format_name(r.format), o->dir);
    return 0;
}

static int intel_update(struct intel_opts *o, int argc, char **argv)
{
    struct intel_sources s;
    char err[1400];
    if (intel_sources_read(o->dir, &s, err, sizeof(err)) < 0) {
        error("%s", err);
        return EXIT_ENV;
    }
    for (int i = 0; i < argc; i++) {
        if (!intel_sources_find(&s, argv[i])) {
            error(TR("intel update: no list named '%s'", "intel update: '%s' というリストは"
                                                         "ありません"),
                  argv[i]);
            intel_sources_free(&s);
            return EXIT_USAGE;
        }
    }
    int status = 0;
    unsigned done = 0;
    for (unsigned i = 0; i < s.n; i++) {
        /* Copy: intel_save() may move s.v. */
        struct intel_source src = s.v[i];
        bool named = false;
        for (int k = 0; k < argc; k++)
            named |= strcmp(argv[k], src.name) == 0;
        if (argc && !named)
            continue;
        if (!intel_is_url(src.origin)) {
            if (named)
                printf(TR("%s: added from a file, not fetched (use intel add again)\n",
                          "%s: ファイルから追加したリストなので取得しません（intel add で"
                          "追加し直してください）\n"),
                       src.name);
            continue;
        }
        char *buf;
        size_t len;
        if (intel_get(src.origin, &buf, &len)) {
            status = EXIT_ENV;
            continue;
        }
        struct intel_load_result r;
        int f = intel_format_parse(src.format);
        if (intel_validate(src.name, buf, len, f < 0 ? INTEL_FMT_AUTO : (enum intel_format)f,
                           o->min_count, &r)) {
            free(buf);
            status = EXIT_ENV;
            continue;
        }
        int rc = intel_save(o, &s, src.name, src.origin, r.format, buf, len, r.entries);
        free(buf);
        if (rc) {
            status = rc;
            continue;
        }
        done++;
        printf(TR("updated %s: %llu entries\n", "%s を更新しました: %llu 件\n"), src.name,
               (unsigned long long)r.entries);
    }
    intel_sources_free(&s);
    if (!done && !status)
        printf("%s", TR("no list to fetch (lists added from a URL are fetched)\n",
                        "取得するリストはありません（URL から追加したリストが対象です）\n"));
    return status;
}

static void fmt_age(int64_t secs, char *out, size_t outlen)
{
    if (secs < 0)
        secs = 0;
    if (secs < 3600)
        snprintf(out, outlen, "%lldm", (long long)(secs / 60));
    else if (secs < 86400 * 2)
        snprintf(out, outlen, "%lldh", (long long)(secs / 3600));
    else
        snprintf(out, outlen, "%lldd", (long long)(secs / 86400));
}

static int intel_list_cmd(struct intel_opts *o)
{
    struct intel_sources s;
    char err[1400];
    if (intel_sources_read(o->dir, &s, err, sizeof(err)) < 0) {
        error("%s", err);
        return EXIT_ENV;
    }
    if (!s.n) {
        printf(TR("no threat lists in %s (add one with: mamori intel add FILE|URL --name NAME)\n",
                  "%s に脅威情報リストはありません（追加: mamori intel add FILE|URL --name 名前）\n"),
               o->dir);
        return 0;
    }
    printf("%-24s %-8s %10s %6s  %s\n", TR("NAME", "名前"), TR("FORMAT", "形式"),
           TR("ENTRIES", "件数"), TR("AGE", "経過"), TR("ORIGIN", "取得元"));
    int64_t now = (int64_t)time(NULL);
    for (unsigned i = 0; i < s.n; i++) {
        char age[32];
        fmt_age(now - s.v[i].fetched, age, sizeof(age));
        printf("%-24s %-8s %10llu %6s  %s\n", s.v[i].name, s.v[i].format,
               (unsigned long long)s.v[i].entries, age, s.v[i].origin);
    }
    intel_sources_free(&s);
    return 0;
}

static int intel_remove(struct intel_opts *o, const char *name)
{
    struct intel_sources s;
    char err[1400];
    if (intel_sources_read(o->dir, &s, err, sizeof(err)) < 0) {
        error("%s", err);
        return EXIT_ENV;
    }
    struct intel_source *src = intel_sources_find(&s, name);
    if (!src) {
        error(TR("intel remove: no list named '%s'", "intel remove: '%s' というリストは"
                                                     "ありません"),
              name);
        intel_sources_free(&s);
        return EXIT_USAGE;
    }
    unsigned idx = (unsigned)(src - s.v);
    memmove(&s.v[idx], &s.v[idx + 1], (s.n - idx - 1) * sizeof(*s.v));
    s.n--;
    int rc = 0;
    if (intel_sources_write(o->dir, &s, err, sizeof(err)) < 0) {
        error("%s", err);
        rc = EXIT_ENV;
    } else {
        char path[1200];
        snprintf(path, sizeof(path), "%s/%s.list", o->dir, name);
        unlink(path);
        printf(TR("removed %s\n", "%s を削除しました\n"), name);
    }
    intel_sources_free(&s);
    return rc;
}

static void check_print(void *arg, const struct intel_match *m)
{
    (void)arg;
    printf("%s\t%s\t%s%s%s\n", m->list, intel_kind_name(m->kind), m->entry, m->note[0] ? "\t" : "",
           m->note);
}

static int intel_check_cmd(struct intel_opts *o, const char *value)
{
    struct intel_db *db = intel_db_new();
    char err[1400];
    if (intel_store_load(db, o->dir, o->min_count, false, err, sizeof(err)) < 0) {
        intel_db_free(db);
        error("%s", err);
        return EXIT_ENV;
    }
    unsigned n = intel_check(db, value, check_print, NULL);
    intel_db_free(db);
    if (!n) {
        printf(TR("%s: on no list\n", "%s: どのリストにも載っていません\n"), value);
        return 1;
    }
    return 0;
}

int cmd_intel(int argc, char **argv)
{
    enum { OPT_DB = 1000, OPT_DIR, OPT_CONFIG, OPT_NAME, OPT_FORMAT, OPT_MIN, OPT_HELP };
    static const struct option longopts[] = {
        {"db", required_argument, NULL, OPT_DB},
        {"intel-dir", required_argument, NULL, OPT_DIR},
        {"intel", required_argument, NULL, OPT_DIR},
        {"config", required_argument, NULL, OPT_CONFIG},
        {"name", required_argument, NULL, OPT_NAME},
        {"format", required_argument, NULL, OPT_FORMAT},
        {"min-count", required_argument, NULL, OPT_MIN},
        {"help", no_argument, NULL, OPT_HELP},
        {NULL, 0, NULL, 0},
    };
    struct intel_opts o = {.db = "mamori.db", .min_count = INTEL_IPSUM_MIN_DEFAULT};
    optind = 1;
    opterr = 0;
    int c;
    uint64_t v;
    while ((c = getopt_long(argc, argv, "h", longopts, NULL)) != -1) {
        switch (c) {
        case OPT_DB:
            o.db = optarg;
            break;
        case OPT_DIR:
            o.dir_opt = optarg;
            break;
        case OPT_CONFIG:
            o.config = optarg;
            break;
        case OPT_NAME:
            o.name = optarg;
            break;
        case OPT_FORMAT:
            o.format = optarg;
            break;
        case OPT_MIN:
            if (parse_u64(optarg, &v) < 0 || v < 1 || v > 1000) {
                error("%s", TR("intel: --min-count wants 1 to 1000",
                               "intel: --min-count は 1 から 1000 です"));
                return EXIT_USAGE;
            }
            o.min_count = (uint32_t)v;
            break;
        case 'h':
        case OPT_HELP:
            fputs(TR(cmd_intel_usage[0], cmd_intel_usage[1]), stdout);
            return 0;
        default:
            return cli_bad_option("intel", argv);
        }
    }
    if (optind >= argc) {
        fputs(TR(cmd_intel_usage[0], cmd_intel_usage[1]), stderr);
        return EXIT_USAGE;
    }
    int rc = intel_dir_resolve(&o);
    if (rc)
        return rc;
    const char *sub = argv[optind++];
    int nargs = argc - optind;
    char **args = argv + optind;
    if (strcmp(sub, "add") == 0 && nargs == 1)
        return intel_add(&o, args[0]);
    if (strcmp(sub, "update") == 0)
        return intel_update(&o, nargs, args);
    if (strcmp(sub, "list") == 0 && nargs == 0)
        return intel_list_cmd(&o);
    if (strcmp(sub, "remove") == 0 && nargs == 1)
        return intel_remove(&o, args[0]);
    if (strcmp(sub, "check") == 0 && nargs == 1)
        return intel_check_cmd(&o, args[0]);
    error(TR("intel: unknown subcommand or wrong arguments: %s (see 'mamori help intel')",
             "intel: サブコマンドか引数が違います: %s（'mamori help intel' を参照）"),
          sub);
    return EXIT_USAGE;
}
