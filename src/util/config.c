#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "util/config.h"
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
}

enum cfg_kind { CK_U32, CK_U64, CK_BOOL, CK_STR, CK_NETS };

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
};

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

int config_parse_buffer(struct mamori_config *cfg, const char *name, const char *buf,
                        unsigned long len, int quiet)
{
    char section[64] = "";
    char line[MAX_CONFIG_LINE + 1];
    unsigned long pos = 0;
    unsigned lineno = 0;
    char err[256];

    while (pos < len) {
        unsigned long end = pos;
        while (end < len && buf[end] != '\n')
            end++;
        lineno++;
        unsigned long n = end - pos;
        if (n > MAX_CONFIG_LINE) {
            if (!quiet)
                error("%s:%u: line longer than %d characters", name, lineno, MAX_CONFIG_LINE);
            return -1;
        }
        memcpy(line, buf + pos, n);
        line[n] = '\0';
        pos = end < len ? end + 1 : end;
        if (memchr(line, '\0', n)) {
            if (!quiet)
                error("%s:%u: NUL byte in configuration", name, lineno);
            return -1;
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
                if (!quiet)
                    error("%s:%u: bad section header '%s'", name, lineno, s);
                return -1;
            }
            *close = '\0';
            snprintf(section, sizeof(section), "%s", trim(s + 1));
            continue;
        }
        char *eq = strchr(s, '=');
        if (!eq) {
            if (!quiet)
                error("%s:%u: expected 'key = value', got '%s'", name, lineno, s);
            return -1;
        }
        *eq = '\0';
        char *key = trim(s), *value = trim(eq + 1);
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
        if (config_set(cfg, full, value, err, sizeof(err)) < 0) {
            if (!quiet)
                error("%s:%u: %s", name, lineno, err);
            return -1;
        }
    }
    return 0;
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
