/* cmd-devices.c - `mamori devices`: the device inventory, and the
 * known-device list (approve, import). */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cli/cli-args.h"
#include "cli/commands.h"
#include "cli/sensor.h"
#include "inventory/known.h"
#include "store/store-inv.h"
#include "util/i18n.h"
#include "util/netaddr.h"
#include "util/util.h"

struct dev_opts {
    const char *db;
    const char *known;
    const char *config;
    const char *name, *owner, *note;
    int json;
    int unknown_only;
    long stale_days; /* -1: not asked */
};

struct dev_list {
    const struct dev_opts *o;
    const struct known_list *kl;
    uint64_t newest_us;     /* latest last_seen in the store: "now" for --stale */
    unsigned shown, total, unknown;
    json_t *rows;           /* collected for the text table */
};

/* Which known-list entry covers a device (any of its MACs). */
static const struct known_device *dev_known(const struct known_list *kl, json_t *dev)
{
    size_t i;
    json_t *m;
    json_array_foreach(json_object_get(dev, "macs"), i, m) {
        uint8_t mac[6];
        const struct known_device *k;
        if (json_is_string(m) && mac_parse(json_string_value(m), mac) == 0 &&
            (k = known_find(kl, mac)))
            return k;
    }
    return NULL;
}

static int dev_newest(void *arg, json_t *dev)
{
    struct dev_list *dl = arg;
    uint64_t last = (uint64_t)json_integer_value(json_object_get(dev, "last_seen_us"));
    if (last > dl->newest_us)
        dl->newest_us = last;
    return 0;
}

static int dev_each(void *arg, json_t *dev)
{
    struct dev_list *dl = arg;
    const struct known_device *k = dev_known(dl->kl, dev);
    dl->total++;
    if (!k)
        dl->unknown++;
    if (dl->o->unknown_only && k)
        return 0;
    uint64_t last = (uint64_t)json_integer_value(json_object_get(dev, "last_seen_us"));
    if (dl->o->stale_days >= 0 &&
        last + (uint64_t)dl->o->stale_days * 86400ull * 1000000ull > dl->newest_us)
        return 0;
    json_object_del(dev, "first_seen_us");
    json_object_del(dev, "last_seen_us");
    json_object_set_new(dev, "known", json_boolean(k != NULL));
    if (k) {
        json_t *n = json_string(k->name), *ow = json_string(k->owner), *no = json_string(k->note);
        json_object_set_new(dev, "name", n ? n : json_null());
        json_object_set_new(dev, "owner", ow ? ow : json_null());
        json_object_set_new(dev, "note", no ? no : json_null());
    }
    dl->shown++;
    if (dl->o->json) {
        char *line = json_dumps(dev, JSON_COMPACT | JSON_PRESERVE_ORDER);
        if (line) {
            puts(line);
            free(line);
        }
    } else {
        json_array_append(dl->rows, dev);
    }
    return 0;
}

static const char *jget(json_t *o, const char *k)
{
    json_t *v = json_object_get(o, k);
    return json_is_string(v) ? json_string_value(v) : "";
}

/* Display width of UTF-8 text in a terminal: CJK characters take two
 * columns. Good enough for names and vendors. */
static int text_width(const char *s)
{
    int w = 0;
    for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
        if ((*p & 0xc0) == 0x80)
            continue;
        w += *p >= 0xe3 ? 2 : 1;
    }
    return w;
}

static void print_cell(const char *s, int width)
{
    char buf[256];
    /* cut at a character boundary to fit */
    size_t n = 0;
    int w = 0;
    for (const unsigned char *p = (const unsigned char *)s; *p && n + 4 < sizeof(buf);) {
        size_t clen = *p < 0x80 ? 1 : *p < 0xe0 ? 2 : *p < 0xf0 ? 3 : 4;
        int cw = *p >= 0xe3 ? 2 : 1;
        if (w + cw > width - 1)
            break;
        for (size_t i = 0; i < clen && p[i]; i++)
            buf[n++] = (char)p[i];
        p += clen;
        w += cw;
    }
    buf[n] = '\0';
    fputs(buf, stdout);
    for (int i = text_width(buf); i < width; i++)
        putchar(' ');
}

static void dev_print_table(struct dev_list *dl)
{
    static const int widths[] = {19, 16, 18, 24, 18, 18};
    const char *heads[] = {
        TR("MAC", "MAC アドレス"), TR("IP", "IP アドレス"), TR("NAME", "名前"),
        TR("VENDOR", "メーカー"),  TR("OS", "OS"),         TR("LAST SEEN", "最終確認"),
    };
    for (size_t i = 0; i < ARRAY_SIZE(heads); i++)
        print_cell(heads[i], widths[i]);
    printf("%s\n", TR("OWNER", "使用者"));
    size_t i;
    json_t *d;
    json_array_foreach(dl->rows, i, d) {
        bool known = json_is_true(json_object_get(d, "known"));
        char mac[32];
        snprintf(mac, sizeof(mac), "%s%s", jget(d, "mac"), known ? "" : " ?");
        json_t *ips = json_object_get(d, "ips"), *hn = json_object_get(d, "hostnames");
        const char *ip = json_array_size(ips) ? json_string_value(json_array_get(ips, 0)) : "";
        const char *name = known && *jget(d, "name") ? jget(d, "name")
                           : json_array_size(hn) ? json_string_value(json_array_get(hn, 0))
                                                 : "";
        char os[64];
        snprintf(os, sizeof(os), "%s", *jget(d, "os") ? jget(d, "os")
                                       : json_is_true(json_object_get(d, "router"))
                                           ? TR("(router)", "（ルーター）")
                                           : "-");
        char last[24];
        snprintf(last, sizeof(last), "%.16s", jget(d, "last_seen"));
        if (last[10] == 'T')
            last[10] = ' ';
        print_cell(mac, widths[0]);
        print_cell(ip ? ip : "", widths[1]);
        print_cell(name ? name : "", widths[2]);
        print_cell(*jget(d, "vendor") ? jget(d, "vendor") : "-", widths[3]);
        print_cell(os, widths[4]);
        print_cell(last, widths[5]);
        printf("%s\n", known ? jget(d, "owner") : TR("(not on the known list)", "（未登録）"));
    }
    printf(TR("%u devices, %u not on the known-device list", "機器 %u 台、うち既知の機器リストにないもの %u 台"),
           dl->total, dl->unknown);
    putchar('\n');
    if (dl->unknown)
        printf("%s\n", TR("Approve a device you recognise with: mamori devices approve MAC "
                          "--name NAME --owner OWNER",
                          "心当たりのある機器は次のように登録してください: mamori devices approve "
                          "MAC --name 名前 --owner 使用者"));
}

static int dev_parse(int argc, char **argv, struct dev_opts *o, int *first)
{
    enum { O_DB = 1000, O_KNOWN, O_CONFIG, O_JSON, O_UNKNOWN, O_STALE, O_NAME, O_OWNER, O_NOTE,
           O_HELP };
    static const struct option longopts[] = {
        {"db", required_argument, NULL, O_DB},
        {"known", required_argument, NULL, O_KNOWN},
        {"config", required_argument, NULL, O_CONFIG},
        {"json", no_argument, NULL, O_JSON},
        {"unknown", no_argument, NULL, O_UNKNOWN},
        {"stale", required_argument, NULL, O_STALE},
        {"name", required_argument, NULL, O_NAME},
        {"owner", required_argument, NULL, O_OWNER},
        {"note", required_argument, NULL, O_NOTE},
        {"help", no_argument, NULL, O_HELP},
        {NULL, 0, NULL, 0},
    };
    memset(o, 0, sizeof(*o));
    o->db = "mamori.db";
    o->stale_days = -1;
    optind = 1;
    opterr = 0;
    int c;
    while ((c = getopt_long(argc, argv, "h", longopts, NULL)) != -1) {
        switch (c) {
        case O_DB: o->db = optarg; break;
        case O_KNOWN: o->known = optarg; break;
        case O_CONFIG: o->config = optarg; break;
        case O_JSON: o->json = 1; break;
        case O_UNKNOWN: o->unknown_only = 1; break;
        case O_STALE: {
            uint64_t v;
            if (parse_u64(optarg, &v) < 0 || v > 36500) {
                error("%s", TR("devices: --stale takes a number of days",
                               "devices: --stale には日数を指定してください"));
                return EXIT_USAGE;
            }
            o->stale_days = (long)v;
            break;
        }
        case O_NAME: o->name = optarg; break;
        case O_OWNER: o->owner = optarg; break;
        case O_NOTE: o->note = optarg; break;
        case 'h':
        case O_HELP:
            fputs(command_usage("devices"), stdout);
            exit(0);
        default:
            return cli_bad_option("devices", argv);
        }
    }
    *first = optind;
    return 0;
}

/* The known-list path: --known, the config file's, or beside the db. */
static int dev_known_path(const struct dev_opts *o, char *out, size_t len)
{
    struct mamori_config cfg;
    config_defaults(&cfg);
    if (o->config && config_load_file(&cfg, o->config) < 0)
        return -1;
    sensor_known_path(o->known, cfg.known_devices, o->db, out, len);
    return 0;
}

static int dev_approve(const struct dev_opts *o, const char *macarg)
{
    uint8_t mac[6];
    if (mac_parse(macarg, mac) < 0) {
        error(TR("devices approve: '%s' is not a MAC address", "devices approve: '%s' は MAC アドレスではありません"),
              macarg);
        return EXIT_USAGE;
    }
    char path[1024], err[1200];
    if (dev_known_path(o, path, sizeof(path)) < 0)
        return EXIT_USAGE;
    struct known_list kl;
    known_init(&kl);
    if (known_load(&kl, path, 1, err, sizeof(err)) < 0) {
        error(TR("known-device list: %s", "既知の機器リスト: %s"), err);
        known_free(&kl);
        return EXIT_USAGE;
    }
    bool existed = known_find(&kl, mac) != NULL;
    if (known_upsert(&kl, mac, o->name, o->owner, o->note, err, sizeof(err)) < 0) {
        error("devices approve: %s", err);
        known_free(&kl);
        return EXIT_USAGE;
    }
    if (known_save(&kl, path, err, sizeof(err)) < 0) {
        error(TR("cannot save the known-device list: %s", "既知の機器リストを保存できません: %s"),
              err);
        known_free(&kl);
        return EXIT_ENV;
    }
    char m[18];
    mac_fmt(mac, m);
    const struct known_device *k = known_find(&kl, mac);
    printf(existed ? TR("updated %s (%s, %s) in %s\n", "%s（%s、%s）を %s で更新しました\n")
                   : TR("approved %s (%s, %s) in %s\n", "%s（%s、%s）を %s に登録しました\n"),
           m, k && k->name[0] ? k->name : "-", k && k->owner[0] ? k->owner : "-", path);
    known_free(&kl);
    return 0;
}

static int dev_import(const struct dev_opts *o, const char *file)
{
    char path[1024], err[1200];
    if (dev_known_path(o, path, sizeof(path)) < 0)
        return EXIT_USAGE;
    struct known_list in, kl;
    known_init(&in);
    known_init(&kl);
    int rc = 0;
    if (known_load(&in, file, 0, err, sizeof(err)) < 0) {
        error("devices import: %s", err);
        rc = EXIT_USAGE;
    } else if (known_load(&kl, path, 1, err, sizeof(err)) < 0) {
        error(TR("known-device list: %s", "既知の機器リスト: %s"), err);
        rc = EXIT_USAGE;
    } else {
        size_t changed = known_merge(&kl, &in);
        if (known_save(&kl, path, err, sizeof(err)) < 0) {
            error(TR("cannot save the known-device list: %s",
                     "既知の機器リストを保存できません: %s"),
                  err);
            rc = EXIT_ENV;
        } else {
            printf(TR("imported %zu devices (%zu added or changed); %s now lists %zu\n",
                      "%zu 台を読み込みました（追加・変更 %zu 台）。%s の登録は %zu 台です\n"),
                   in.n, changed, path, kl.n);
        }
    }
    known_free(&in);
    known_free(&kl);
    return rc;
}

int cmd_devices(int argc, char **argv)
{
    struct dev_opts o;
    int first = 0;
    int rc = dev_parse(argc, argv, &o, &first);
    if (rc)
        return rc;
    if (first < argc && strcmp(argv[first], "approve") == 0) {
        if (first + 2 != argc) {
            error("%s", TR("usage: mamori devices approve MAC [--name NAME] [--owner OWNER] "
                           "[--note TEXT]",
                           "使い方: mamori devices approve MAC [--name 名前] [--owner 使用者] "
                           "[--note メモ]"));
            return EXIT_USAGE;
        }
        return dev_approve(&o, argv[first + 1]);
    }
    if (first < argc && strcmp(argv[first], "import") == 0) {
        if (first + 2 != argc) {
            error("%s", TR("usage: mamori devices import FILE.csv",
                           "使い方: mamori devices import FILE.csv"));
            return EXIT_USAGE;
        }
        return dev_import(&o, argv[first + 1]);
    }
    if (first < argc) {
        error(TR("devices: unknown subcommand '%s' (approve, import, or none to list)",
                 "devices: '%s' というサブコマンドはありません（approve、import、または指定なしで一覧）"),
              argv[first]);
        return EXIT_USAGE;
    }

    char path[1024], err[1200];
    if (dev_known_path(&o, path, sizeof(path)) < 0)
        return EXIT_USAGE;
    struct known_list kl;
    known_init(&kl);
    bool must = o.known != NULL;
    if (known_load(&kl, path, !must, err, sizeof(err)) < 0) {
        error(TR("known-device list: %s", "既知の機器リスト: %s"), err);
        known_free(&kl);
        return EXIT_USAGE;
    }
    sqlite3 *db = store_open_readonly(o.db);
    if (!db) {
        known_free(&kl);
        return EXIT_ENV;
    }
    struct dev_list dl = {.o = &o, .kl = &kl, .rows = json_array()};
    rc = 0;
    if ((o.stale_days >= 0 && store_devices_each(db, dev_newest, &dl) < 0) ||
        store_devices_each(db, dev_each, &dl) < 0)
        rc = EXIT_ENV;
    else if (!o.json)
        dev_print_table(&dl);
    json_decref(dl.rows);
    sqlite3_close(db);
    known_free(&kl);
    return rc;
}
