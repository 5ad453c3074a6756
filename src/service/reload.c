/* reload.c - which settings a SIGHUP applies and which need a restart
 * (reload.h). */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "service/reload.h"
#include "util/util.h"

/* A setting compared byte for byte: a field of struct mamori_config. */
struct reload_key {
    const char *name;
    size_t off, size;
};

#define FIELD(name, field)                                                                         \
    {                                                                                              \
        name, offsetof(struct mamori_config, field), sizeof(((struct mamori_config *)0)->field)    \
    }

/* Copied by the component that uses them when `watch` starts: the decode
 * context, the flow table, the application layer and stream pool, the
 * capture handles, the EVE sink, the MAC registry, the store. */
static const struct reload_key restart_keys[] = {
    FIELD("capture.interface", capture_interfaces),
    FIELD("capture.snaplen", snaplen),
    FIELD("capture.buffer_mb", pcap_buffer_mb),
    FIELD("flow.max_flows", flow.max_flows),
    FIELD("flow.active_timeout", flow.active_timeout_s),
    FIELD("flow.tcp.new_timeout", flow.idle_timeout_s[FTC_TCP_NEW]),
    FIELD("flow.tcp.established_timeout", flow.idle_timeout_s[FTC_TCP_EST]),
    FIELD("flow.tcp.closed_timeout", flow.idle_timeout_s[FTC_TCP_CLOSED]),
    FIELD("flow.udp.new_timeout", flow.idle_timeout_s[FTC_UDP_NEW]),
    FIELD("flow.udp.established_timeout", flow.idle_timeout_s[FTC_UDP_EST]),
    FIELD("flow.icmp.new_timeout", flow.idle_timeout_s[FTC_ICMP_NEW]),
    FIELD("flow.icmp.established_timeout", flow.idle_timeout_s[FTC_ICMP_EST]),
    FIELD("flow.other.new_timeout", flow.idle_timeout_s[FTC_OTHER_NEW]),
    FIELD("flow.other.established_timeout", flow.idle_timeout_s[FTC_OTHER_EST]),
    FIELD("defrag.max_trackers", decode.defrag_max_trackers),
    FIELD("defrag.memcap", decode.defrag_memcap),
    FIELD("defrag.timeout", decode.defrag_timeout_s),
    FIELD("decode.vxlan_port", decode.vxlan_port),
    FIELD("app.enabled", app.enabled),
    FIELD("app.ndpi", app.ndpi),
    FIELD("app.ndpi_max_packets", app.ndpi_max_packets),
    FIELD("app.max_anomaly_events_per_flow", app.max_anomaly_events_per_flow),
    FIELD("stream.depth", app.stream.depth),
    FIELD("stream.max_ooo_bytes_per_flow", app.stream.max_ooo_bytes_per_flow),
    FIELD("stream.memcap", app.stream.memcap),
    FIELD("inventory.ieee_data", ieee_data),
    FIELD("sensor.name", sensor_name),
    FIELD("store.path", store_path),
    FIELD("service.user", service_user),
    FIELD("site.lang", lang),
};

/* Read where they are used (the chores, the list loader), so copying the
 * value is applying it. */
static const struct reload_key live_keys[] = {
    FIELD("store.retention_days", retention_days),
    FIELD("store.alert_retention_days", alert_retention_days),
    FIELD("store.min_free_mb", min_free_mb),
    FIELD("store.prune_batch", prune_batch),
    FIELD("service.checkpoint_interval", checkpoint_s),
    FIELD("inventory.known_devices", known_devices),
    FIELD("intel.dir", intel_dir),
    FIELD("site.company", company),
};

const char *reload_restart_key(size_t i)
{
    return i < ARRAY_SIZE(restart_keys) ? restart_keys[i].name : NULL;
}

static int differs(const struct mamori_config *a, const struct mamori_config *b,
                   const struct reload_key *k)
{
    return memcmp((const char *)a + k->off, (const char *)b + k->off, k->size) != 0;
}

unsigned reload_settings(struct mamori_config *cur, const struct mamori_config *ncfg,
                         struct strbuf *applied, struct strbuf *restart)
{
    unsigned n = 0;
    for (size_t i = 0; i < ARRAY_SIZE(restart_keys); i++) {
        if (differs(cur, ncfg, &restart_keys[i])) {
            sb_list_add(restart, restart_keys[i].name);
            n++;
        }
    }
    for (size_t i = 0; i < ARRAY_SIZE(live_keys); i++) {
        const struct reload_key *k = &live_keys[i];
        if (!differs(cur, ncfg, k))
            continue;
        sb_list_add(applied, k->name);
        memcpy((char *)cur + k->off, (const char *)ncfg + k->off, k->size);
        n++;
    }
    /* Both come from config_defaults() (memset first), so padding and
     * unused bytes compare equal. */
    if (memcmp(&cur->notify, &ncfg->notify, sizeof(cur->notify)) != 0) {
        sb_list_add(applied, "[notify]");
        cur->notify = ncfg->notify;
        n++;
    }
    return n;
}
