/* config.h - the settings file (`--config FILE`).
 *
 * Format: one `key = value` a line, `#` starts a comment, blank lines are
 * ignored, optional `[section]` lines prefix later keys with "section.".
 * Unknown keys and bad values are errors (one line naming file, line and
 * key), so a typo never silently does nothing. Keys: see docs/config.md.
 */
#ifndef MAMORI_CONFIG_H
#define MAMORI_CONFIG_H

#include "decode/decode.h"
#include "flow/flow.h"
#include "app/app.h"
#include "detect/detect.h"
#include "notify/notify.h"

#define CONFIG_MAX_INTERFACES 8

struct mamori_config {
    struct decode_config decode;
    struct flow_config flow;
    struct app_config app;     /* application layer and TCP reassembly */
    struct detect_config detect; /* inventory and detectors (net.home lives in detect.inv) */
    char known_devices[512];   /* inventory.known_devices: the known-device CSV; empty: beside
                                * the database (known-devices.csv) */
    char ieee_data[256];       /* inventory.ieee_data: MAC registry directory; empty: default */
    char sensor_name[64];      /* EVE "host" field; empty: left out */
    char intel_dir[512];       /* intel.dir: the threat-list directory; empty: "intel" beside
                                * the database */
    uint32_t snaplen;          /* live capture snapshot length */
    uint32_t pcap_buffer_mb;   /* live capture kernel buffer */
    char company[128];         /* site.company: the company name reports and messages use */
    char geoip_db[512];        /* geoip.db: MaxMind-format country database; empty: look in
                                * the usual places (util/geoip.h) */
    char mail_authserv_ids[512]; /* mail.authserv_id: comma-separated trusted receivers whose
                                  * Authentication-Results are believed */
    char mail_own_domains[512];  /* mail.own_domains: the company's own mail domains */
    char mail_partners[512];     /* mail.partners: partner domain list file */
    struct notify_config notify; /* [notify] and [notify.CHANNEL] */
    /* The always-on service (docs/service.md). */
    char capture_interfaces[256]; /* capture.interface: comma-separated names for `watch` */
    char store_path[512];      /* store.path: the database `watch`/`status` use when no
                                * --db is given; empty: mamori.db in the current directory */
    uint32_t retention_days;   /* store.retention_days: flows, events, device histories */
    uint32_t alert_retention_days; /* store.alert_retention_days: alerts (and notifications) */
    uint32_t min_free_mb;      /* store.min_free_mb: prune early below this much free disk */
    uint32_t prune_batch;      /* store.prune_batch: rows deleted per transaction */
    uint32_t checkpoint_s;     /* service.checkpoint_interval: run counters saved this often */
    char lang[8];              /* site.lang: en or ja; empty: from the environment */
    char service_user[64];     /* service.user: who `watch` runs as after opening capture */
};


void config_defaults(struct mamori_config *cfg);

/* Loads a file over the current values. Returns 0, or -1 after printing one
 * line naming the file and the problem. */
int config_load_file(struct mamori_config *cfg, const char *path);

/* For commands that read settings but do not capture (report, mail, scope,
 * status, notify): defaults, then path if given, else $MAMORI_CONFIG, else
 * /etc/mamori/mamori.conf if it exists. Returns 0, or -1 after printing
 * one line (a given file that is missing is an error; the default one is
 * optional). */
int config_load_cli(struct mamori_config *cfg, const char *path);
#define CONFIG_DEFAULT_PATH "/etc/mamori/mamori.conf"

/* Applies one `key = value` pair (also used for --set KEY=VALUE). Returns 0
 * or -1 with a reason in err. */
int config_set(struct mamori_config *cfg, const char *key, const char *value, char *err,
               unsigned errlen);

/* Parses a whole buffer (the fuzz target's entry point). `name` is used in
 * messages; when quiet, nothing is printed. Every bad line is reported (one
 * `NAME:LINE: message` each), not only the first; the good lines still
 * apply. Returns 0, or -1 when any line was bad. */
int config_parse_buffer(struct mamori_config *cfg, const char *name, const char *buf,
                        unsigned long len, int quiet);

/* The interface names of capture.interface, split at commas (blanks
 * trimmed). Returns how many were written to names (at most max). */
unsigned config_interfaces(const struct mamori_config *cfg, char names[][64], unsigned max);

/* The database path: explicit if given, else store.path, else "mamori.db". */
const char *config_store_path(const struct mamori_config *cfg, const char *explicit_path);

/* `mamori config check`: what a parse cannot see. Checks that the files and
 * directories the settings name exist (known-device list, intel dir, geoip
 * database, MAC registry, partner list, notification password files, the
 * store's directory) and that each capture interface exists (a warning: it
 * may appear later). Prints one line per problem, prefixed with `name`.
 * Returns the number of errors (warnings are not counted). */
unsigned config_check_references(const struct mamori_config *cfg, const char *name);

#endif
