/* detect.h - the detection stage: detectors watch packets, flows,
 * application events and the inventory, and raise alerts.
 *
 * One file per detector (det-*.c), each a struct detector_ops listed in
 * detect.c. The stage owns the inventory (the device detectors' input) and
 * the alert de-duplication: detect_raise() with a key seen before only
 * updates that alert's count and last time; updated alerts go to the sinks
 * again at the next detect_flush() (the pipeline's commit), so a day of an
 * Internet scan is one record, not thousands.
 */
#ifndef MAMORI_DETECT_H
#define MAMORI_DETECT_H

#include <stdbool.h>
#include <stdint.h>

#include "app/app.h"
#include "decode/packet.h"
#include "detect/alert.h"
#include "flow/flow.h"
#include "inventory/inventory.h"
#include "inventory/known.h"

/* Detector tunables set in the config file. Each detector declares its own
 * (struct detect_param below); the config keeps only the values a user set. */
#define DETECT_MAX_PARAM_SETS 256
#define DETECT_PARAM_KEY_LEN 64

struct detect_param_set {
    char key[DETECT_PARAM_KEY_LEN];
    uint32_t value;
};

struct detect_config {
    bool enabled;                      /* detect.enabled */
    struct inventory_config inv;
    uint32_t max_open_alerts;          /* de-duplication table cap (detect.max_open_alerts) */
    /* device.* */
    uint32_t ip_conflict_window_s;     /* inventory.ip_conflict_window: the previous holder used
                                        * the address this recently -> conflict (default 600) */
    uint32_t gratuitous_arp_per_min;   /* inventory.gratuitous_arp_per_minute (default 30) */
    uint32_t service_learning_s;       /* inventory.service_learning: a device must have been
                                        * known this long before a new service is news
                                        * (default 86400) */
    struct detect_param_set params[DETECT_MAX_PARAM_SETS]; /* detector tunables set */
    uint32_t nparams;
};

void detect_config_defaults(struct detect_config *cfg);

/* Sets a detector tunable ("scan.inbound_min_ports", see each detector's
 * params) from the config file or --set. Returns 0; -1 with a reason in err
 * for a value out of range or too many settings; -2 when no detector has
 * that key (the caller reports an unknown setting). */
int detect_config_set_param(struct detect_config *cfg, const char *key, const char *value,
                            char *err, unsigned errlen);

struct intel_db; /* intel/intel.h */
struct strbuf;   /* util/strbuf.h */

struct detect;

/* Every alert first raised or updated goes to this callback. */
typedef void (*alert_fn)(void *arg, const struct alert *a);

/* known may be NULL (no list). The stage keeps the pointers (oui, known)
 * and does not own them. */
struct detect *detect_new(const struct detect_config *cfg, const struct oui_db *oui,
                          const struct known_list *known, alert_fn cb, void *arg);
void detect_free(struct detect *d);

/* SIGHUP with new settings (already checked): applies every changed
 * detector setting that can change in a running stage, keeping the
 * inventory, the detectors' state and the open alerts, then calls each
 * detector's reconfigure hook. Changed keys are appended to the two lists
 * (", "-separated key names): `applied` what took effect, `restart` what
 * keeps its old value until a restart (tunables the detector's reconfigure
 * hook does not read, such as table caps, and inventory.enabled). net.home
 * and the inventory numbers go to the inventory too (inventory_reconfigure).
 * detect.enabled = no pauses the stage (no packet, flow or event reaches
 * the inventory or a detector; nothing is freed) and yes resumes it.
 * Returns how many keys changed. */
unsigned detect_reconfigure(struct detect *d, const struct detect_config *ncfg,
                            struct strbuf *applied, struct strbuf *restart);
/* How many tunables the detectors declare (fewer than
 * DETECT_MAX_PARAM_SETS, which detect_reconfigure relies on). */
unsigned detect_param_count(void);
/* Whether the stage runs (detect.enabled, as last reconfigured). */
bool detect_enabled(const struct detect *d);

struct inventory *detect_inventory(struct detect *d);

/* The threat lists the intel.* detectors match against (may stay NULL: no
 * lists). Set before the first packet; the stage does not own it. */
void detect_set_intel(struct detect *d, const struct intel_db *db);

/* The pipeline's hooks. */
void detect_packet(struct detect *d, const struct packet *pkt);
void detect_flow_start(struct detect *d, const struct flow *f);
void detect_flow(struct detect *d, const struct flow *f);
void detect_app_event(struct detect *d, const struct app_event *ev);
void detect_tick(struct detect *d, uint64_t now_us);
void detect_finish(struct detect *d);
/* Re-sends alerts whose count changed since the last flush. */
void detect_flush(struct detect *d);

/* --- for detectors --- */

/* Raises a (the stage copies it; the caller keeps and releases its own).
 * Returns true when the key is new (first raise), false for an update. */
bool detect_raise(struct detect *d, const struct alert *a);
const struct detect_config *detect_cfg(const struct detect *d);
const struct known_list *detect_known(const struct detect *d);
/* The known-list entry covering any of dev's MACs, or NULL. */
const struct known_device *detect_device_known(const struct detect *d, const struct device *dev);
/* Fills a->has_mac/mac/device for device dev (known-list name first). */
void detect_alert_device(const struct detect *d, struct alert *a, const struct device *dev);
/* Same for the local device using address ip (nothing when ip is not local
 * or no device is known for it). */
void detect_alert_device_ip(const struct detect *d, struct alert *a, const struct ip_addr *ip);
/* Whether ip is in the home networks (net.home). */
bool detect_is_home(const struct detect *d, const struct ip_addr *ip);
/* In a flow hook: the name the flow's responder was reached by (TLS SNI,
 * HTTP Host, else a DNS answer for its address; lower case, "" when
 * unknown) and DEST_* flags (behaviour.h) in *flags. Learnt once by the
 * stage for every detector. */
const char *detect_flow_dest(const struct detect *d, unsigned *flags);
/* The threat lists, or NULL. */
const struct intel_db *detect_intel(const struct detect *d);
/* The value of a tunable: the config's setting, else the default the
 * detector declared. Unknown keys are a bug (abort). Call at create time and
 * keep the value: this is a linear search. */
uint32_t detect_param(const struct detect *d, const char *key);

/* One tunable of a detector: its config key, default and allowed range.
 * Documented in docs/detectors.md. */
struct detect_param {
    const char *key;         /* "scan.inbound_min_ports": starts with the detector's family */
    uint32_t def, min, max;
};
struct detector_ops {
    const char *name;
    const struct detect_param *params; /* tunables, terminated by key NULL; may be NULL */
    void *(*create)(struct detect *d);
    void (*destroy)(void *st);
    /* Each hook may be NULL. */
    void (*packet)(void *st, const struct packet *pkt);
    /* A flow's first packet (after it was counted; f->src is the
     * initiator). Cheaper than the packet hook for "who talks to whom". */
    void (*flow_start)(void *st, const struct flow *f);
    /* A flow ended (its record is complete: bytes, state, app_proto). */
    void (*flow)(void *st, const struct flow *f);
    void (*app_event)(void *st, const struct app_event *ev);
    void (*inv_event)(void *st, const struct inv_event *ev);
    void (*tick)(void *st, uint64_t now_us);
    void (*finish)(void *st);
    /* SIGHUP: the stage's settings changed (detect_reconfigure); read the
     * tunables again with detect_param(). What the detector follows
     * (tables, counters, alerts raised) stays: a new threshold judges the
     * next event, including what was counted before. A tunable the hook
     * does not read (a table cap: the table was sized at create time) is
     * reported as needing a restart and keeps its old value. NULL: every
     * tunable of the detector needs a restart. */
    void (*reconfigure)(void *st);
};

/* Detectors (one file each). */
extern const struct detector_ops det_device_new, det_device_arp, det_device_returned,
    det_device_legacy_os, det_device_new_service;
extern const struct detector_ops det_scan, det_sweep, det_dos;          /* scan.*, dos */
extern const struct detector_ops det_bruteforce, det_spam;              /* bruteforce, spam.burst */
extern const struct detector_ops det_lateral, det_remote_access;        /* lateral, remote_access, tor, proxy */
extern const struct detector_ops det_beacon, det_exfil;                 /* beacon, exfil.upload */
extern const struct detector_ops det_intel;                             /* intel.* */
extern const struct detector_ops det_dns_tunnel, det_dns_dga;           /* dns.tunnel, dns.dga */
extern const struct detector_ops det_cleartext, det_legacy_protocol;    /* cleartext, legacy.protocol */
extern const struct detector_ops det_web_attack;                        /* web.attack */

#endif
