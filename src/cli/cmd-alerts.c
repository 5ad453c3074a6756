/* cmd-alerts.c - `mamori alerts`: what the detectors found, explained. */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cli/cli-args.h"
#include "cli/commands.h"
#include "decode/decode.h"
#include "detect/explain.h"
#include "store/store-inv.h"
#include "util/i18n.h"
#include "util/netaddr.h"
#include "util/util.h"

struct alerts_out {
    int json;
    unsigned n;
};


static void set_text(json_t *o, const char *key, const char *v)
{
    json_t *s = v && *v ? json_string(v) : NULL;
    json_object_set_new(o, key, s ? s : json_null());
}

static int alerts_print(void *arg, int64_t id, const struct alert *a)
{
    struct alerts_out *ao = arg;
    char title[512], text[2048], action[1024], ts[40], last[40], src[48] = "", dst[48] = "",
        mac[18] = "";
    explain_render(a, EXPLAIN_TITLE, ui_lang, title, sizeof(title));
    explain_render(a, EXPLAIN_TEXT, ui_lang, text, sizeof(text));
    explain_render(a, EXPLAIN_ACTION, ui_lang, action, sizeof(action));
    fmt_ts_eve(ts, sizeof(ts), a->ts_us);
    fmt_ts_eve(last, sizeof(last), a->last_ts_us);
    if (a->has_src)
        ip_addr_fmt(&a->src, src, sizeof(src));
    if (a->has_dst)
        ip_addr_fmt(&a->dst, dst, sizeof(dst));
    if (a->has_mac)
        mac_fmt(a->mac, mac);
    ao->n++;
    if (ao->json) {
        json_t *o = json_object();
        json_object_set_new(o, "id", json_integer(id));
        json_object_set_new(o, "time", json_string(ts));
        json_object_set_new(o, "last_time", json_string(last));
        json_object_set_new(o, "count", json_integer(a->count));
        json_object_set_new(o, "category", json_string(a->category));
        json_object_set_new(o, "severity", json_string(alert_severity_name(a->severity)));
        set_text(o, "src_ip", src);
        if (a->sport)
            json_object_set_new(o, "src_port", json_integer(a->sport));
        set_text(o, "dest_ip", dst);
        if (a->dport)
            json_object_set_new(o, "dest_port", json_integer(a->dport));
        set_text(o, "device", mac);
        set_text(o, "device_name", a->device);
        set_text(o, "title", title);
        set_text(o, "explanation", text);
        set_text(o, "action", action);
        json_t *ids = json_array();
        for (unsigned i = 0; i < a->nflows; i++)
            json_array_append_new(ids, json_integer((json_int_t)a->flow_ids[i]));
        json_object_set_new(o, "flow_ids", ids);
        json_object_set(o, "facts", a->facts);
        char *line = json_dumps(o, JSON_COMPACT | JSON_PRESERVE_ORDER);
        json_decref(o);
        if (line) {
            puts(line);
            free(line);
        }
        return 0;
    }
    static const char *const sev_ja[] = {"情報", "低", "中", "高", "緊急"};
    const char *sev = ui_lang == LANG_JA && a->severity < SEV_MAX ? sev_ja[a->severity]
                                                                 : alert_severity_name(a->severity);
    /* A person reads this: the local clock, zone named. */
    char lts[40], llast[40], zone[24];
    fmt_iso_local(lts, sizeof(lts), a->ts_us);
    fmt_iso_local(llast, sizeof(llast), a->last_ts_us);
    fmt_zone_local(zone, sizeof(zone), a->ts_us);
    printf("#%lld [%s] %.10s %.5s %s  %s", (long long)id, sev, lts, lts + 11, zone, title);
    if (a->count > 1)
        printf(TR("  (x%u, last %.10s %.5s)", "（%u 回、最後は %.10s %.5s）"), a->count, llast,
               llast + 11);
    printf("\n    %s\n    %s %s\n", text, TR("What to do:", "対処:"), action);
    printf("    %s %s", TR("category:", "種別:"), a->category);
    if (mac[0])
        printf("  %s %s%s%s%s", TR("device:", "機器:"), a->device[0] ? a->device : "",
               a->device[0] ? " (" : "", mac, a->device[0] ? ")" : "");
    if (src[0])
        printf("  %s %s", TR("from:", "送信元:"), src);
    if (dst[0])
        printf("  %s %s", TR("to:", "宛先:"), dst);
    if (a->nflows) {
        printf("  %s ", TR("flows:", "フロー:"));
        for (unsigned i = 0; i < a->nflows; i++)
            printf("%s%llu", i ? "," : "", (unsigned long long)a->flow_ids[i]);
    }
    printf("\n\n");
    return 0;
}

void alert_print(const struct alert *a, int64_t id, int json)
{
    struct alerts_out ao = {.json = json};
    alerts_print(&ao, id, a);
}

int cmd_alerts(int argc, char **argv)
{
    enum { O_DB = 1000, O_JSON, O_SINCE, O_UNTIL, O_MINSEV, O_CAT, O_DEVICE, O_HELP };
    static const struct option longopts[] = {
        {"db", required_argument, NULL, O_DB},
        {"json", no_argument, NULL, O_JSON},
        {"since", required_argument, NULL, O_SINCE},
        {"until", required_argument, NULL, O_UNTIL},
        {"min-severity", required_argument, NULL, O_MINSEV},
        {"category", required_argument, NULL, O_CAT},
        {"device", required_argument, NULL, O_DEVICE},
        {"help", no_argument, NULL, O_HELP},
        {NULL, 0, NULL, 0},
    };
    const char *dbpath = "mamori.db";
    struct alert_query q = {0};
    struct alerts_out ao = {0};
    char devmac[18];
    optind = 1;
    opterr = 0;
    int c;
    uint64_t now = cli_now_us();
    while ((c = getopt_long(argc, argv, "h", longopts, NULL)) != -1) {
        switch (c) {
        case O_DB:
            dbpath = optarg;
            break;
        case O_JSON:
            ao.json = 1;
            break;
        case O_SINCE:
        case O_UNTIL:
            if (cli_time("alerts", optarg, now, c == O_SINCE ? &q.since_us : &q.until_us))
                return EXIT_USAGE;
            break;
        case O_MINSEV:
            q.min_severity = alert_severity_parse(optarg);
            if (q.min_severity < 0) {
                error("%s", TR("alerts: --min-severity takes info, low, medium, high or critical",
                               "alerts: --min-severity には info、low、medium、high、critical "
                               "のいずれかを指定してください"));
                return EXIT_USAGE;
            }
            break;
        case O_CAT:
            q.category = optarg;
            break;
        case O_DEVICE: {
            uint8_t m[6];
            if (mac_parse(optarg, m) < 0) {
                error(TR("alerts: --device takes a MAC address, got '%s'",
                         "alerts: --device には MAC アドレスを指定してください: '%s'"),
                      optarg);
                return EXIT_USAGE;
            }
            mac_fmt(m, devmac);
            q.device = devmac;
            break;
        }
        case 'h':
        case O_HELP:
            fputs(command_usage("alerts"), stdout);
            return 0;
        default:
            return cli_bad_option("alerts", argv);
        }
    }
    if (optind < argc)
        return cli_extra_arg("alerts", argv[optind]);
    if (cli_window("alerts", q.since_us, q.until_us))
        return EXIT_USAGE;
    sqlite3 *db = store_open_readonly(dbpath);
    if (!db)
        return EXIT_ENV;
    int rc = store_alerts_each(db, &q, alerts_print, &ao) < 0 ? EXIT_ENV : 0;
    sqlite3_close(db);
    if (!rc && !ao.json && ao.n == 0)
        printf("%s\n", TR("No alerts for this period.", "この期間の警告はありません。"));
    return rc;
}
