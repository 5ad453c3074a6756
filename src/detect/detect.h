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
};

void detect_config_defaults(struct detect_config *cfg);

struct detect;

/* Every alert first raised or updated goes to this callback. */
typedef void (*alert_fn)(void *arg, const struct alert *a);

/* known may be NULL (no list). The stage keeps the pointers (oui, known)
 * and does not own them. */
struct detect *detect_new(const struct detect_config *cfg, const struct oui_db *oui,
                          const struct known_list *known, alert_fn cb, void *arg);
void detect_free(struct detect *d);

struct inventory *detect_inventory(struct detect *d);

/* The pipeline's hooks. */
void detect_packet(struct detect *d, const struct packet *pkt);
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

struct detector_ops {
    const char *name;
    void *(*create)(struct detect *d);
    void (*destroy)(void *st);
    /* Each hook may be NULL. */
    void (*packet)(void *st, const struct packet *pkt);
    void (*flow)(void *st, const struct flow *f);
    void (*app_event)(void *st, const struct app_event *ev);
    void (*inv_event)(void *st, const struct inv_event *ev);
    void (*tick)(void *st, uint64_t now_us);
    void (*finish)(void *st);
};

/* Detectors (one file each). */
extern const struct detector_ops det_device_new, det_device_arp, det_device_returned,
    det_device_legacy_os, det_device_new_service;

#endif
