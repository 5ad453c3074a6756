/* alert.h - the common alert record every detector raises (issues 4 and 5).
 *
 * A detector fills a struct alert and hands it to detect_raise() (detect.h).
 * The detection stage de-duplicates by `key`: the first alert with a key goes
 * to every sink at once; later ones with the same key only add to its count
 * and last time, and the sinks get the updated record at the next commit.
 * Keys therefore say how alerts aggregate: "device.new|aa:bb:cc:dd:ee:ff"
 * raises once per device for ever, "scan.port|203.0.113.9|2026-11-26" once per
 * source and day. A repeat with a higher severity escalates the alert: its
 * severity and facts become the repeat's (a spread that reaches more PCs, a
 * beacon that went on long enough), so keys need not name a severity.
 *
 * What a person reads (title, explanation, action) is not stored: it is
 * rendered from the category (and facts.variant) with the facts filled in,
 * in the reader's language (explain.h), so one database serves ja and en.
 */
#ifndef MAMORI_ALERT_H
#define MAMORI_ALERT_H

#include <stdbool.h>
#include <stdint.h>

#include <jansson.h>

#include "app/app.h"
#include "decode/packet.h"

enum alert_severity {
    SEV_INFO = 0,
    SEV_LOW,
    SEV_MEDIUM,
    SEV_HIGH,
    SEV_CRITICAL,
    SEV_MAX
};

/* Flow ids kept as evidence per alert (the first ones seen). */
#define ALERT_MAX_FLOWS 16

#define ALERT_KEY_LEN 160

struct alert {
    const char *category;        /* "device.new", "scan.port", ...: a string literal */
    uint8_t severity;            /* enum alert_severity */
    uint64_t ts_us, last_ts_us;  /* first and latest occurrence (packet time) */
    uint32_t count;              /* occurrences aggregated (>= 1) */
    bool has_src, has_dst;
    struct ip_addr src, dst;
    uint16_t sport, dport;       /* 0 when not about one connection */
    uint8_t proto;               /* IP protocol, 0 when not about one connection */
    bool has_mac;
    uint8_t mac[6];              /* the local device concerned (its primary MAC) */
    char device[128];            /* that device's name at the time (known list, else a
                                  * hostname), "" if none */
    uint64_t flow_ids[ALERT_MAX_FLOWS];
    uint8_t nflows;
    json_t *facts;               /* object, owned: what the texts are filled from and the
                                  * evidence ("variant" picks a text variant) */
    char key[ALERT_KEY_LEN];     /* de-duplication key, never empty */
    bool update;                 /* set by the detection stage when a sink gets this
                                  * record again with a new count/last_ts */
    bool escalated;              /* with update: the severity rose (and the facts are
                                  * the ones raised with it), so sinks that take each
                                  * alert once (EVE) take this one again */
};

/* Zeroes a, sets category, severity, time, count 1 and an empty facts
 * object. */
void alert_init(struct alert *a, const char *category, enum alert_severity sev, uint64_t ts_us);
/* Frees the facts. */
void alert_release(struct alert *a);
/* Deep copy (facts copied). */
void alert_copy(struct alert *dst, const struct alert *src);

/* Facts helpers: set a string (copied; NULL or "" leaves it out), an integer. */
void alert_fact_str(struct alert *a, const char *key, const char *value);
void alert_fact_int(struct alert *a, const char *key, long long value);
struct flow;
/* The alert is about connection f: its addresses, ports and protocol, in
 * the flow's direction (initiator = src). The flow id is not added. */
void alert_set_conn(struct alert *a, const struct flow *f);
/* Adds a flow id to the evidence (ignored when full or already there). */
void alert_add_flow(struct alert *a, uint64_t flow_id);
/* Sets the key from printf-style arguments. */
void alert_set_key(struct alert *a, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* The UTC date of ts_us as "2026-11-26" (out: 16 bytes), for keys that
 * aggregate per day. */
void alert_date(uint64_t ts_us, char out[16]);

/* "info", "low", "medium", "high", "critical". */
const char *alert_severity_name(enum alert_severity s);
/* Parses those names (and 0-4); returns -1 if unknown. */
int alert_severity_parse(const char *s);
/* Suricata's alert.severity: 1 (high, critical), 2 (medium), 3 (low, info). */
int alert_severity_eve(enum alert_severity s);

#endif
