#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <net/if.h>

#include "util/config.h"
#include "util/i18n.h"
#include "util/netaddr.h"
#include "util/util.h"

void config_defaults(struct mamori_config *cfg)
{
    memset(cfg, 0, sizeof(*cfg));
    decode_config_defaults(&cfg->decode);
    flow_config_defaults(&cfg->flow);
    app_config_defaults(&cfg->app);
    detect_config_defaults(&cfg->detect);
    cfg->snaplen = 65535;
    cfg->pcap_buffer_mb = 32;
    notify_config_defaults(&cfg->notify);
    cfg->retention_days = 90;
    cfg->alert_retention_days = 400;
    cfg->min_free_mb = 512;
    cfg->prune_batch = 2000;
    cfg->checkpoint_s = 60;
    snprintf(cfg->service_user, sizeof(cfg->service_user), "mamori");
}

enum cfg_kind { CK_U32, CK_U64, CK_BOOL, CK_STR, CK_NETS, CK_LANG, CK_IFACES };

struct cfg_key {
    const char *name;
    enum cfg_kind kind;
    size_t off;        /* offset in struct mamori_config */
    uint64_t min, max; /* for numbers */
    size_t size;       /* for strings */
};

#define U32(name, field, lo, hi) {name, CK_U32, offsetof(struct mamori_config, field), lo, hi, 0}
#define U64(name, field, lo, hi) {name, CK_U64, offsetof(struct mamori_config, field), lo, hi, 0}
#define STR(name, field)                                                                   \
    {name, CK_STR, offsetof(struct mamori_config, field), 0, 0,                            \
     sizeof(((struct mamori_config *)0)->field)}
#define BOOL(name, field) {name, CK_BOOL, offsetof(struct mamori_config, field), 0, 1, 0}

static const struct cfg_key cfg_keys[] = {
    U32("flow.max_flows", flow.max_flows, 1024, 100000000),
    U32("flow.active_timeout", flow.active_timeout_s, 0, 86400 * 7),
    U32("flow.tcp.new_timeout", flow.idle_timeout_s[FTC_TCP_NEW], 1, 86400),
    U32("flow.tcp.established_timeout", flow.idle_timeout_s[FTC_TCP_EST], 1, 86400 * 7),
    U32("flow.tcp.closed_timeout", flow.idle_timeout_s[FTC_TCP_CLOSED], 0, 3600),
    U32("flow.udp.new_timeout", flow.idle_timeout_s[FTC_UDP_NEW], 1, 86400),
    U32("flow.udp.established_timeout", flow.idle_timeout_s[FTC_UDP_EST], 1, 86400 * 7),
    U32("flow.icmp.new_timeout", flow.idle_timeout_s[FTC_ICMP_NEW], 1, 86400),
    U32("flow.icmp.established_timeout", flow.idle_timeout_s[FTC_ICMP_EST], 1, 86400 * 7),
    U32("flow.other.new_timeout", flow.idle_timeout_s[FTC_OTHER_NEW], 1, 86400),
    U32("flow.other.established_timeout", flow.idle_timeout_s[FTC_OTHER_EST], 1, 86400 * 7),
    U32("defrag.max_trackers", decode.defrag_max_trackers, 16, 10000000),
    U32("defrag.memcap", decode.defrag_memcap, 65536, 4000000000u),
    U32("defrag.timeout", decode.defrag_timeout_s, 1, 600),
    U32("decode.vxlan_port", decode.vxlan_port, 0, 65535),
    BOOL("app.enabled", app.enabled),
    BOOL("app.ndpi", app.ndpi),
    U32("app.ndpi_max_packets", app.ndpi_max_packets, 1, 1000),
    U32("app.max_anomaly_events_per_flow", app.max_anomaly_events_per_flow, 0, 1000),
    U32("stream.depth", app.stream.depth, 0, 4000000000u),
    U32("stream.max_ooo_bytes_per_flow", app.stream.max_ooo_bytes_per_flow, 0, 1u << 30),
    U64("stream.memcap", app.stream.memcap, 0, 1ull << 40),
    U32("capture.snaplen", snaplen, 64, 262144),
    U32("capture.buffer_mb", pcap_buffer_mb, 1, 4096),
    BOOL("detect.enabled", detect.enabled),
    U32("detect.max_open_alerts", detect.max_open_alerts, 100, 10000000),
    {"net.home", CK_NETS, offsetof(struct mamori_config, detect.inv.home), 0, 0, 0},
    U32("inventory.new_device_delay", detect.inv.new_device_delay_s, 0, 86400),
    U32("inventory.returned_days", detect.inv.returned_days, 0, 3650),
    U32("inventory.max_devices", detect.inv.max_devices, 16, 1000000),
    U32("inventory.ip_conflict_window", detect.ip_conflict_window_s, 1, 86400 * 7),
    U32("inventory.gratuitous_arp_per_minute", detect.gratuitous_arp_per_min, 2, 100000),
    U32("inventory.service_learning", detect.service_learning_s, 0, 86400 * 365),
    {"inventory.known_devices", CK_STR, offsetof(struct mamori_config, known_devices), 0, 0,
     sizeof(((struct mamori_config *)0)->known_devices)},
    {"inventory.ieee_data", CK_STR, offsetof(struct mamori_config, ieee_data), 0, 0,
     sizeof(((struct mamori_config *)0)->ieee_data)},
    {"sensor.name", CK_STR, offsetof(struct mamori_config, sensor_name), 0, 0,
     sizeof(((struct mamori_config *)0)->sensor_name)},
    {"intel.dir", CK_STR, offsetof(struct mamori_config, intel_dir), 0, 0,
     sizeof(((struct mamori_config *)0)->intel_dir)},
    STR("site.company", company),
    STR("geoip.db", geoip_db),
    STR("mail.authserv_id", mail_authserv_ids),
    STR("mail.own_domains", mail_own_domains),
    STR("mail.partners", mail_partners),
    {"capture.interface", CK_IFACES, offsetof(struct mamori_config, capture_interfaces), 0, 0,
     sizeof(((struct mamori_config *)0)->capture_interfaces)},
    STR("store.path", store_path),
    U32("store.retention_days", retention_days, 1, 36500),
    U32("store.alert_retention_days", alert_retention_days, 1, 36500),
    U32("store.min_free_mb", min_free_mb, 0, 100000000),
    U32("store.prune_batch", prune_batch, 100, 1000000),
    U32("service.checkpoint_interval", checkpoint_s, 5, 3600),
    STR("service.user", service_user),
    {"site.lang", CK_LANG, offsetof(struct mamori_config, lang), 0, 0,
     sizeof(((struct mamori_config *)0)->lang)},
};

/* An interface name as the kernel takes it: 1-15 bytes, no '/', blank or
 * ':' (IFNAMSIZ; dev_valid_name() in Linux). */
static int iface_name_ok(const char *s, size_t n)
{
    if (n == 0 || n >= IFNAMSIZ)
        return 0;
    if ((n == 1 && s[0] == '.') || (n == 2 && s[0] == '.' && s[1] == '.'))
        return 0;
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c <= ' ' || c == '/' || c == ':' || c >= 0x7f)
            return 0;
    }
    return 1;
}

unsigned config_interfaces(const struct mamori_config *cfg, char names[][64], unsigned max)
{
    unsigned n = 0;
    const char *p = cfg->capture_interfaces;
    while (*p && n < max) {
        const char *comma = strchr(p, ',');
        size_t len = comma ? (size_t)(comma - p) : strlen(p);
        const char *a = p, *b = p + len;
        while (a < b && isspace((unsigned char)*a))
            a++;
        while (b > a && isspace((unsigned char)b[-1]))
            b--;
        if (b > a && (size_t)(b - a) < 64) {
            memcpy(names[n], a, (size_t)(b - a));
            names[n][b - a] = '\0';
            n++;
        }
        if (!comma)
            break;
        p = comma + 1;
    }
    return n;
}

/* capture.interface: every comma-separated name must be a valid one. */
static int set_interfaces(char *base, size_t size, const char *key, const char *value, char *err,
                          unsigned errlen)
{
    size_t total = strlen(value);
    if (total >= size) {
        snprintf(err, errlen, "'%s' is longer than %zu characters", key, size - 1);
        return -1;
    }
    const char *p = value;
    unsigned count = 0;
    for (;;) {
        const char *comma = strchr(p, ',');
        size_t len = comma ? (size_t)(comma - p) : strlen(p);
        const char *a = p, *b = p + len;
        while (a < b && isspace((unsigned char)*a))
            a++;
        while (b > a && isspace((unsigned char)b[-1]))
            b--;
        if (!iface_name_ok(a, (size_t)(b - a))) {
            snprintf(err, errlen, "'%s': '%.*s' is not an interface name", key,
                     (int)(len > 32 ? 32 : len), p);
            return -1;
        }
        count++;
        if (!comma)
            break;
        p = comma + 1;
    }
    if (count > CONFIG_MAX_INTERFACES) {
        snprintf(err, errlen, "'%s': at most %d interfaces", key, CONFIG_MAX_INTERFACES);
        return -1;
    }
    memcpy(base, value, total + 1);
    return 0;
}

int config_set(struct mamori_config *cfg, const char *key, const char *value, char *err,
               unsigned errlen)
{
    for (size_t i = 0; i < ARRAY_SIZE(cfg_keys); i++) {
        const struct cfg_key *k = &cfg_keys[i];
        if (strcmp(k->name, key) != 0)
            continue;
        char *base = (char *)cfg + k->off;
        if (k->kind == CK_U32 || k->kind == CK_U64) {
            uint64_t v;
            if (parse_u64(value, &v) < 0 || v < k->min || v > k->max) {
                snprintf(err, errlen, "'%s' needs a whole number from %llu to %llu", key,
                         (unsigned long long)k->min, (unsigned long long)k->max);
                return -1;
            }
            if (k->kind == CK_U64) {
                memcpy(base, &v, sizeof(v));
            } else {
                uint32_t v32 = (uint32_t)v;
                memcpy(base, &v32, sizeof(v32));
            }
        } else if (k->kind == CK_BOOL) {
            bool b;
            if (strcmp(value, "yes") == 0 || strcmp(value, "true") == 0 || strcmp(value, "1") == 0)
                b = true;
            else if (strcmp(value, "no") == 0 || strcmp(value, "false") == 0 ||
                     strcmp(value, "0") == 0)
                b = false;
            else {
                snprintf(err, errlen, "'%s' needs yes or no", key);
                return -1;
            }
            memcpy(base, &b, sizeof(b));
        } else if (k->kind == CK_NETS) {
            struct netset ns;
            char why[160];
            if (netset_parse(&ns, value, why, sizeof(why)) < 0) {
                snprintf(err, errlen, "'%s': %s", key, why);
                return -1;
            }
            if (ns.n == 0) {
                snprintf(err, errlen, "'%s' needs at least one network", key);
                return -1;
            }
            memcpy(base, &ns, sizeof(ns));
        } else if (k->kind == CK_LANG) {
            if (strcmp(value, "en") != 0 && strcmp(value, "ja") != 0) {
                snprintf(err, errlen, "'%s' needs en or ja", key);
                return -1;
            }
            memcpy(base, value, strlen(value) + 1);
        } else if (k->kind == CK_IFACES) {
            return set_interfaces(base, k->size, key, value, err, errlen);
        } else {
            size_t n = strlen(value);
            if (n >= k->size) {
                snprintf(err, errlen, "'%s' is longer than %zu characters", key, k->size - 1);
                return -1;
            }
            memcpy(base, value, n + 1);
        }
        return 0;
    }
    /* Detector tunables are declared by the detectors themselves. */
    int rc = detect_config_set_param(&cfg->detect, key, value, err, errlen);
    if (rc != -2)
        return rc;
    rc = notify_config_set(&cfg->notify, key, value, err, errlen);
    if (rc != -2)
        return rc;
    snprintf(err, errlen, "unknown setting '%s'", key);
    return -1;
}

static char *trim(char *s)
{
    while (*s && isspace((unsigned char)*s))
        s++;
    size_t n = strlen(s);
    while (n && isspace((unsigned char)s[n - 1]))
        s[--n] = '\0';
    return s;
}

/* One problem on one line: printed unless quiet, always counted. */
static void parse_problem(int quiet, unsigned *errors, const char *name, unsigned lineno,
                          const char *msg)
{
    (*errors)++;
    if (!quiet)
        error("%s:%u: %s", name, lineno, msg);
}

/* Keeps going after a bad line, so `mamori config check` can show every
 * problem at once: a bad section header still starts a section (its keys
 * are then most likely unknown and reported too, which is what a person
 * fixing the file wants to see). */
int config_parse_buffer(struct mamori_config *cfg, const char *name, const char *buf,
                        unsigned long len, int quiet)
{
    char section[64] = "";
    char line[MAX_CONFIG_LINE + 1];
    unsigned long pos = 0;
    unsigned lineno = 0, errors = 0;
    char err[MAX_CONFIG_LINE + 200];

    while (pos < len) {
        unsigned long end = pos;
        while (end < len && buf[end] != '\n')
            end++;
        lineno++;
        unsigned long n = end - pos;
        const char *start = buf + pos;
        pos = end < len ? end + 1 : end;
        if (n > MAX_CONFIG_LINE) {
            snprintf(err, sizeof(err), "line longer than %d characters", MAX_CONFIG_LINE);
            parse_problem(quiet, &errors, name, lineno, err);
            continue;
        }
        memcpy(line, start, n);
        line[n] = '\0';
        if (memchr(line, '\0', n)) {
            parse_problem(quiet, &errors, name, lineno, "NUL byte in configuration");
            continue;
        }
        char *hash = strchr(line, '#');
        if (hash)
            *hash = '\0';
        char *s = trim(line);
        if (!*s)
            continue;
        if (*s == '[') {
            char *close = strchr(s, ']');
            if (!close || close[1] != '\0' || close - s - 1 <= 0 ||
                (size_t)(close - s) >= sizeof(section)) {
                snprintf(err, sizeof(err), "bad section header '%s'", s);
                parse_problem(quiet, &errors, name, lineno, err);
                section[0] = '\0';
                continue;
            }
            *close = '\0';
            snprintf(section, sizeof(section), "%s", trim(s + 1));
            continue;
        }
        char *eq = strchr(s, '=');
        if (!eq) {
            snprintf(err, sizeof(err), "expected 'key = value', got '%s'", s);
            parse_problem(quiet, &errors, name, lineno, err);
            continue;
        }
        *eq = '\0';
        char *key = trim(s), *value = trim(eq + 1);
        if (!*key) {
            parse_problem(quiet, &errors, name, lineno, "a value without a key");
            continue;
        }
        size_t vl = strlen(value);
        if (vl >= 2 && value[0] == '"' && value[vl - 1] == '"') {
            value[vl - 1] = '\0';
            value++;
        }
        char full[MAX_CONFIG_LINE + 80];
        if (section[0])
            snprintf(full, sizeof(full), "%s.%s", section, key);
        else
            snprintf(full, sizeof(full), "%s", key);
        if (config_set(cfg, full, value, err, sizeof(err)) < 0)
            parse_problem(quiet, &errors, name, lineno, err);
    }
    return errors ? -1 : 0;
}

int config_load_file(struct mamori_config *cfg, const char *path)
{
    FILE *f = fopen(path, "rb");
    if (!f) {
        error("cannot open config '%s': %s", path, strerror(errno));
        return -1;
    }
    /* Config files are small; 1 MiB is far beyond any real one. */
    size_t cap = 1u << 20, n;
    char *buf = xmalloc(cap);
    n = fread(buf, 1, cap, f);
    int rd_err = ferror(f);
    int more = !feof(f);
    fclose(f);
    if (rd_err) {
        error("cannot read config '%s'", path);
        free(buf);
        return -1;
    }
    if (more) {
        error("config '%s' is larger than 1 MiB", path);
        free(buf);
        return -1;
    }
    int rc = config_parse_buffer(cfg, path, buf, n, 0);
    free(buf);
    return rc;
}

int config_load_cli(struct mamori_config *cfg, const char *path)
{
    config_defaults(cfg);
    if (path)
        return config_load_file(cfg, path);
    const char *env = getenv("MAMORI_CONFIG");
    if (env && *env)
        return config_load_file(cfg, env);
    if (access(CONFIG_DEFAULT_PATH, F_OK) == 0)
        return config_load_file(cfg, CONFIG_DEFAULT_PATH);
    return 0;
}

const char *config_store_path(const struct mamori_config *cfg, const char *explicit_path)
{
    if (explicit_path && *explicit_path)
        return explicit_path;
    if (cfg->store_path[0])
        return cfg->store_path;
    return "mamori.db";
}

/* One referenced path: must exist and be of the right kind. */
static unsigned check_path(const char *name, const char *key, const char *path, int want_dir)
{
    struct stat st;
    if (!path || !*path)
        return 0;
    if (stat(path, &st) < 0) {
        error(TR("%s: %s: '%s': %s", "%s: %s: '%s': %s"), name, key, path, strerror(errno));
        return 1;
    }
    if (want_dir && !S_ISDIR(st.st_mode)) {
        error(TR("%s: %s: '%s' is not a directory", "%s: %s: '%s' はディレクトリではありません"),
              name, key, path);
        return 1;
    }
    if (!want_dir && S_ISDIR(st.st_mode)) {
        error(TR("%s: %s: '%s' is a directory, not a file",
                 "%s: %s: '%s' はファイルではなくディレクトリです"),
              name, key, path);
        return 1;
    }
    return 0;
}

unsigned config_check_references(const struct mamori_config *cfg, const char *name)
{
    unsigned errors = 0;
    errors += check_path(name, "inventory.known_devices", cfg->known_devices, 0);
    errors += check_path(name, "inventory.ieee_data", cfg->ieee_data, 1);
    errors += check_path(name, "intel.dir", cfg->intel_dir, 1);
    errors += check_path(name, "geoip.db", cfg->geoip_db, 0);
    errors += check_path(name, "mail.partners", cfg->mail_partners, 0);
    for (unsigned i = 0; i < cfg->notify.nchannels && i < NOTIFY_MAX_CHANNELS; i++) {
        char key[80];
        snprintf(key, sizeof(key), "notify.%s.password_file", cfg->notify.ch[i].name);
        errors += check_path(name, key, cfg->notify.ch[i].password_file, 0);
        snprintf(key, sizeof(key), "notify.%s.ca_file", cfg->notify.ch[i].name);
        errors += check_path(name, key, cfg->notify.ch[i].ca_file, 0);
    }
    if (cfg->store_path[0]) {
        /* The database itself may not exist yet; its directory must. */
        char dir[512];
        snprintf(dir, sizeof(dir), "%s", cfg->store_path);
        char *slash = strrchr(dir, '/');
        struct stat st;
        if (slash && slash != dir) {
            *slash = '\0';
            /* systemd's StateDirectory= makes /var/lib/mamori at start. */
            if (stat(dir, &st) < 0)
                warning(TR("%s: store.path: directory '%s' does not exist (yet)",
                           "%s: store.path: ディレクトリ '%s' が（まだ）ありません"),
                        name, dir);
            else if (!S_ISDIR(st.st_mode))
                errors += check_path(name, "store.path", dir, 1);
        }
    }
    if (cfg->alert_retention_days < cfg->retention_days)
        warning(TR("%s: store.alert_retention_days (%u) is shorter than store.retention_days "
                   "(%u): alerts will outlive the flows behind them for less time than usual",
                   "%s: store.alert_retention_days（%u）が store.retention_days（%u）より"
                   "短くなっています"),
                name, cfg->alert_retention_days, cfg->retention_days);
    char ifs[CONFIG_MAX_INTERFACES][64];
    unsigned n = config_interfaces(cfg, ifs, CONFIG_MAX_INTERFACES);
    for (unsigned i = 0; i < n; i++) {
        if (if_nametoindex(ifs[i]) == 0)
            warning(TR("%s: capture.interface: no interface '%s' on this machine (yet)",
                       "%s: capture.interface: このマシンに '%s' というインタフェースが"
                       "（まだ）ありません"),
                    name, ifs[i]);
    }
    return errors;
}
