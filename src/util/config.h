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
 * messages; when quiet, nothing is printed. */
int config_parse_buffer(struct mamori_config *cfg, const char *name, const char *buf,
                        unsigned long len, int quiet);

#endif
