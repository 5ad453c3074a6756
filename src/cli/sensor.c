/* sensor.c - options, sinks, signals and the summary shared by read/watch. */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/commands.h"
#include "cli/sensor.h"
#include "decode/decode.h"
#include "detect/detect.h"
#include "intel/intel.h"
#include "store/sink.h"
#include "util/i18n.h"
#include "util/util.h"

volatile sig_atomic_t sensor_stop;
volatile sig_atomic_t sensor_reload;

static void on_hup(int sig)
{
    (void)sig;
    sensor_reload = 1;
}

/* Records which signal asked us to stop, so the exit status can be the
 * usual 128 + signal number after everything is committed. */
static void on_signal(int sig)
{
    sensor_stop = sig;
}

void sensor_install_signals(void)
{
    struct sigaction sa;
    memset(&sa, 0, sizeof(sa));
    sa.sa_handler = on_signal;
    sigemptyset(&sa.sa_mask);
    sigaction(SIGINT, &sa, NULL);
    sigaction(SIGTERM, &sa, NULL);
    sa.sa_handler = on_hup;
    sigaction(SIGHUP, &sa, NULL);
    signal(SIGPIPE, SIG_IGN);
}

int sensor_parse_opts(int argc, char **argv, int is_watch, struct sensor_opts *o,
                      int *first_arg)
{
    enum {
        OPT_DB = 1000, OPT_KNOWN, OPT_EVE, OPT_CONFIG, OPT_BPF, OPT_USER, OPT_SET, OPT_HELP,
        OPT_INTEL
    };
    static const struct option longopts[] = {
        {"db", required_argument, NULL, OPT_DB},
        {"known", required_argument, NULL, OPT_KNOWN},
        {"intel", required_argument, NULL, OPT_INTEL},
        {"eve", required_argument, NULL, OPT_EVE},
        {"config", required_argument, NULL, OPT_CONFIG},
        {"bpf", required_argument, NULL, OPT_BPF},
        {"set", required_argument, NULL, OPT_SET},
        {"user", required_argument, NULL, OPT_USER},
        {"interface", required_argument, NULL, 'i'},
        {"quiet", no_argument, NULL, 'q'},
        {"help", no_argument, NULL, OPT_HELP},
        {NULL, 0, NULL, 0},
    };
    const char *cmd = argv[0];
    /* --set values apply after --config, whatever the order on the line. */
    memset(o, 0, sizeof(*o));
    o->is_watch = is_watch != 0;
    config_defaults(&o->cfg);
    optind = 1;
    opterr = 0;
    int c;
    while ((c = getopt_long(argc, argv, is_watch ? "i:qh" : "qh", longopts, NULL)) != -1) {
        switch (c) {
        case OPT_DB:
            o->db = optarg;
            break;
        case OPT_KNOWN:
            o->known_path = optarg;
            break;
        case OPT_INTEL:
            o->intel_dir = optarg;
            break;
        case OPT_EVE:
            o->eve = optarg;
            break;
        case OPT_CONFIG:
            o->config_path = optarg;
            break;
        case OPT_BPF:
            o->bpf = optarg;
            break;
        case OPT_SET:
            if (o->nsets == (int)ARRAY_SIZE(o->sets)) {
                error("%s", TR("too many --set options", "--set が多すぎます"));
                return EXIT_USAGE;
            }
            o->sets[o->nsets++] = optarg;
            break;
        case OPT_USER:
            if (!is_watch)
                goto bad_option;
            o->user = optarg;
            break;
        case 'i': {
            /* -i eth0 -i eth1 (or -i eth0,eth1): one list, checked like
             * capture.interface when the settings load. */
            size_t have = strlen(o->ifaces), add = strlen(optarg);
            if (have + add + 2 > sizeof(o->ifaces)) {
                error("%s", TR("too many or too long -i interfaces",
                               "-i のインタフェースが多すぎるか長すぎます"));
                return EXIT_USAGE;
            }
            if (have)
                o->ifaces[have++] = ',';
            memcpy(o->ifaces + have, optarg, add + 1);
            break;
        }
        case 'q':
            o->quiet = 1;
            break;
        case 'h':
        case OPT_HELP:
            fputs(command_usage(cmd), stdout);
            exit(0);
        default:
            goto bad_option;
        }
    }
    if (sensor_load_config(o, &o->cfg) < 0)
        return EXIT_USAGE;
    o->db = config_store_path(&o->cfg, o->db);
    *first_arg = optind;
    return 0;

bad_option:
    if (optopt && optopt < 256)
        error(TR("%s: bad or incomplete option '-%c' (see 'mamori help %s')",
                 "%s: オプション '-%c' が不正か引数がありません（'mamori help %s' を参照）"),
              cmd, optopt, cmd);
    else
        error(TR("%s: bad or incomplete option '%s' (see 'mamori help %s')",
                 "%s: オプション '%s' が不正か引数がありません（'mamori help %s' を参照）"),
              cmd, argv[optind - 1], cmd);
    return EXIT_USAGE;
}

static int sensor_open_sinks(struct sensor_opts *o, struct pipeline *p);

int sensor_load_config(const struct sensor_opts *o, struct mamori_config *cfg)
{
    config_defaults(cfg);
    if (o->config_path && config_load_file(cfg, o->config_path) < 0)
        return -1;
    for (int i = 0; i < o->nsets; i++) {
        char key[256], err[256];
        const char *eq = strchr(o->sets[i], '=');
        if (!eq || eq == o->sets[i] || (size_t)(eq - o->sets[i]) >= sizeof(key)) {
            error(TR("--set needs KEY=VALUE, got '%s'", "--set は KEY=VALUE の形です: '%s'"),
                  o->sets[i]);
            return -1;
        }
        memcpy(key, o->sets[i], (size_t)(eq - o->sets[i]));
        key[eq - o->sets[i]] = '\0';
        if (config_set(cfg, key, eq + 1, err, sizeof(err)) < 0) {
            error("--set: %s", err);
            return -1;
        }
    }
    if (o->ifaces[0]) {
        char err[256];
        if (config_set(cfg, "capture.interface", o->ifaces, err, sizeof(err)) < 0) {
            error("-i: %s", err);
            return -1;
        }
    }
    return 0;
}

void sensor_known_path(const char *explicit_path, const char *cfg_path, const char *db,
                       char *out, size_t outlen)
{
    if (explicit_path && *explicit_path) {
        snprintf(out, outlen, "%s", explicit_path);
    } else if (cfg_path && *cfg_path) {
        snprintf(out, outlen, "%s", cfg_path);
    } else {
        const char *slash = strrchr(db, '/');
        if (slash)
            snprintf(out, outlen, "%.*s/known-devices.csv", (int)(slash - db), db);
        else
            snprintf(out, outlen, "known-devices.csv");
    }
}

/* The threat lists for the intel.* detectors: --intel DIR (must exist),
 * else the config's intel.dir (must exist), else "intel" beside the
 * database (may not exist: no lists). A list that does not load is warned
 * about and skipped; the sensor runs with the others. */
static int sensor_load_intel_from(struct sensor_opts *o, struct pipeline *p,
                                  const struct mamori_config *cfg)
{
    char dir[1024], err[1400];
    bool must = true;
    if (o->intel_dir && *o->intel_dir) {
        snprintf(dir, sizeof(dir), "%s", o->intel_dir);
    } else if (cfg->intel_dir[0]) {
        snprintf(dir, sizeof(dir), "%s", cfg->intel_dir);
    } else {
        intel_default_dir(o->db, dir, sizeof(dir));
        must = false;
    }
    struct intel_db *db = intel_db_new();
    uint32_t ipsum_min = detect_param(p->det, "intel.ipsum_min_count");
    uint64_t t0 = mono_ms();
    int n = intel_store_load(db, dir, ipsum_min, must, err, sizeof(err));
    if (n < 0) {
        intel_db_free(db);
        error(TR("threat lists: %s", "脅威情報リスト: %s"), err);
        return EXIT_ENV;
    }
    if (n == 0) {
        intel_db_free(db);
        db = NULL;
    } else {
        debug("intel: %d lists, %llu entries, %zu KiB, loaded in %llu ms", n,
              (unsigned long long)intel_db_entries(db), intel_db_mem(db) / 1024,
              (unsigned long long)(mono_ms() - t0));
    }
    /* The detectors switch to the new lists before the old ones are freed:
     * nothing runs between (one thread), and nothing keeps entries. */
    struct intel_db *old = o->intel;
    o->intel = db;
    detect_set_intel(p->det, db);
    intel_db_free(old);
    return 0;
}

static int sensor_load_intel(struct sensor_opts *o, struct pipeline *p)
{
    return sensor_load_intel_from(o, p, &o->cfg);
}

int sensor_reload_lists(struct sensor_opts *o, struct pipeline *p,
                        const struct mamori_config *ncfg)
{
    int failed = 0;
    if (!p->det)
        return 0;
    char path[1024], err[1200];
    sensor_known_path(o->known_path, ncfg->known_devices, o->db, path, sizeof(path));
    bool must = (o->known_path && *o->known_path) || ncfg->known_devices[0];
    struct known_list kl;
    known_init(&kl);
    if (known_load(&kl, path, !must, err, sizeof(err)) < 0) {
        error(TR("reload: known-device list: %s (keeping the old list)",
                 "再読み込み: 既知の機器リスト: %s（以前のリストを使い続けます）"),
              err);
        known_free(&kl);
        failed++;
    } else {
        /* The detectors hold a pointer to o->known and look entries up by
         * MAC each time, so swapping the contents in place is enough. */
        known_free(&o->known);
        o->known = kl;
    }
    if (sensor_load_intel_from(o, p, ncfg) != 0) {
        error("%s", TR("reload: keeping the old threat lists",
                       "再読み込み: 以前の脅威情報リストを使い続けます"));
        failed++;
    }
    return failed;
}

int sensor_setup(struct sensor_opts *o, struct pipeline *p)
{
    known_init(&o->known);
    if (o->cfg.detect.enabled) {
        char path[1024], err[1200];
        sensor_known_path(o->known_path, o->cfg.known_devices, o->db, path, sizeof(path));
        /* A list named on purpose must exist; the default one may not yet. */
        bool must = (o->known_path && *o->known_path) || o->cfg.known_devices[0];
        if (known_load(&o->known, path, !must, err, sizeof(err)) < 0) {
            error(TR("known-device list: %s", "既知の機器リスト: %s"), err);
            pipeline_init(p, &o->cfg);
            return EXIT_USAGE;
        }
        unsigned long n = 0;
        o->oui = oui_load(o->cfg.ieee_data[0] ? o->cfg.ieee_data : NULL, &n);
        if (n == 0)
            debug("no MAC vendor registry found (Debian package ieee-data)");
    }
    pipeline_init_detect(p, &o->cfg, o->oui, &o->known);
    if (p->det) {
        int rc = sensor_load_intel(o, p);
        if (rc)
            return rc;
    }
    return sensor_open_sinks(o, p);
}

void sensor_release(struct sensor_opts *o)
{
    intel_db_free(o->intel);
    o->intel = NULL;
    oui_free(o->oui);
    o->oui = NULL;
    known_free(&o->known);
}

static int sensor_open_sinks(struct sensor_opts *o, struct pipeline *p)
{
    /* read loads a whole capture: index building waits for its end, and a
     * commit does not wait for the disk (the next one does). */
    struct sink *s = store_sqlite_open_bulk(o->db, !o->is_watch);
    if (!s)
        return EXIT_ENV;
    pipeline_add_sink(p, s);
    if (o->eve) {
        s = eve_open_bulk(o->eve, o->cfg.sensor_name, !o->is_watch);
        if (!s)
            return EXIT_ENV;
        pipeline_add_sink(p, s);
    }
    return 0;
}

int sensor_linktype_supported(int lt)
{
    switch (lt) {
    case LINKTYPE_ETHERNET:
    case LINKTYPE_LINUX_SLL:
    case LINKTYPE_LINUX_SLL2:
    case LINKTYPE_NULL:
    case LINKTYPE_LOOP:
    case LINKTYPE_RAW:
    case DLT_RAW_BSD:
    case DLT_RAW_BSD2:
    case LINKTYPE_IPV4:
    case LINKTYPE_IPV6:
        return 1;
    default:
        return 0;
    }
}

/* "3.6 MB" style, decimal units like most network tools. */
static void fmt_bytes(char *buf, size_t len, double b)
{
    static const char *const units[] = {"B", "kB", "MB", "GB", "TB"};
    unsigned u = 0;
    while (b >= 1000.0 && u + 1 < ARRAY_SIZE(units)) {
        b /= 1000.0;
        u++;
    }
    snprintf(buf, len, u ? "%.1f %s" : "%.0f %s", b, units[u]);
}

void sensor_print_summary(const struct pipeline *p, double elapsed_s, int live)
{
    char hb[32], rate_b[32];
    double secs = elapsed_s > 1e-6 ? elapsed_s : 1e-6;
    fmt_bytes(hb, sizeof(hb), (double)p->bytes);
    fmt_bytes(rate_b, sizeof(rate_b), (double)p->bytes / secs);
    const struct flow_stats *fs = flow_table_stats(p->ft);

    printf("%-14s %llu\n", TR("packets", "パケット数"), (unsigned long long)p->packets);
    printf("%-14s %llu (%s)\n", TR("bytes", "バイト数"), (unsigned long long)p->bytes, hb);
    printf("%-14s %llu\n", TR("flows", "フロー数"), (unsigned long long)p->flows_out);
    printf("%-14s %llu\n", TR("decode errors", "解析エラー"), (unsigned long long)p->decode_errors);
    if (fs->evicted)
        printf("%-14s %llu\n", TR("flows evicted", "追い出しフロー"),
               (unsigned long long)fs->evicted);
    if (live)
        printf("%-14s %llu\n", TR("kernel drops", "取りこぼし"),
               (unsigned long long)(p->kernel_drops + p->iface_drops));
    const struct app_stats *as = app_layer_stats(p->app);
    char protos[512];
    size_t o = 0;
    protos[0] = '\0';
    for (int id = APP_NONE + 1; id < APP_PROTO_MAX; id++) {
        if (as->flows_parsed[id] && o < sizeof(protos)) {
            int n = snprintf(protos + o, sizeof(protos) - o, "%s%s %llu", o ? ", " : "",
                             app_proto_name((enum app_proto_id)id),
                             (unsigned long long)as->flows_parsed[id]);
            if (n > 0)
                o += (size_t)n;
        }
    }
    if (protos[0])
        printf("%-14s %s\n", TR("protocols", "プロトコル"), protos);
    printf("%-14s %llu\n", TR("app events", "記録した通信内容"), (unsigned long long)p->app_events);
    if (p->det)
        printf("%-14s %u\n", TR("devices", "機器"), inventory_count(detect_inventory(p->det)));
    printf("%-14s %llu\n", TR("alerts", "警告"), (unsigned long long)p->alerts);
    if (as->anomalies)
        printf("%-14s %llu\n", TR("anomalies", "異常な通信"), (unsigned long long)as->anomalies);
    printf("%-14s %.2f s\n", TR("elapsed", "所要時間"), elapsed_s);
    printf("%-14s %.0f %s, %s/s\n", TR("rate", "処理速度"), (double)p->packets / secs,
           TR("packets/s", "パケット/秒"), rate_b);
    if (log_verbose) {
        const struct stream_stats *ss = app_layer_stream_stats(p->app);
        printf("  %-44s %llu\n", "ndpi.flows", (unsigned long long)as->ndpi_flows);
        printf("  %-44s %llu\n", "ndpi.named", (unsigned long long)as->ndpi_named);
        printf("  %-44s %llu\n", "stream.gaps", (unsigned long long)ss->gaps);
        printf("  %-44s %llu\n", "stream.overlaps", (unsigned long long)ss->overlaps);
        printf("  %-44s %llu\n", "stream.overlap_mismatch",
               (unsigned long long)ss->overlap_mismatch);
        printf("  %-44s %llu\n", "stream.memcap_drops", (unsigned long long)ss->memcap_drops);
        printf("  %-44s %llu\n", "stream.depth_reached", (unsigned long long)ss->depth_reached);
        for (int i = 0; i < DEV_MAX; i++) {
            if (p->dec.events[i])
                printf("  %-44s %llu\n", decode_event_name((enum decode_event)i),
                       (unsigned long long)p->dec.events[i]);
        }
    }
}
