/* sink.h - where records go: the SQLite store, EVE JSON, later PostgreSQL.
 *
 * The pipeline holds a list of sinks and hands each ended flow, each
 * application event, each alert and each changed device to all of them. A sink batches as it likes but must
 * make a record durable by the next commit() call; commit() is called about
 * once a second of wall time and at the end. A sink never keeps the pointers it is given.
 */
#ifndef MAMORI_SINK_H
#define MAMORI_SINK_H

#include <stdbool.h>
#include <stdint.h>

#include "app/app.h"
#include "detect/alert.h"
#include "inventory/inventory.h"
#include "flow/flow.h"

/* What the run is about: one per `mamori read`/`watch` invocation. */
struct run_info {
    const char *command;    /* "read" or "watch" */
    const char *source;     /* capture file(s) or interface */
    const char *bpf;        /* filter or NULL */
    const char *version;    /* mamori version */
};

/* Totals at the end of a run (or at a checkpoint for watch). */
struct run_stats {
    uint64_t packets, bytes, flows;
    uint64_t decode_errors;                  /* packets with a decode event */
    uint64_t first_ts_us, last_ts_us;        /* packet time covered */
    uint64_t kernel_drops, iface_drops;      /* live capture only */
    const uint64_t *event_counts;            /* DEV_MAX entries (decode-events.h) */
    const struct flow_stats *flow_stats;
};

struct sink;

struct sink_ops {
    const char *name;
    /* Records the start of a run; may be NULL. */
    int (*run_start)(struct sink *s, const struct run_info *ri);
    /* One ended flow. Returns 0, or a negative value on an environment
     * failure (the message is already printed). */
    int (*flow)(struct sink *s, const struct flow *f);
    /* One application event (DNS query, TLS handshake, anomaly, ...), as it
     * happens: usually before its flow ends. May be NULL. Returns like
     * flow(). */
    int (*app_event)(struct sink *s, const struct app_event *ev);
    /* One alert, first raised (a->update false) or raised again (update
     * true: a->count says how many more times since it was last given). May
     * be NULL. Returns like flow(). */
    int (*alert)(struct sink *s, const struct alert *a);
    /* One device whose record changed (inventory.h; entries with their dirty
     * flag set changed). May be NULL. */
    int (*device)(struct sink *s, const struct device *d);
    /* Loads the devices the store knows into inv, before any packet. May be
     * NULL. Returns 0 or -1 (message printed). */
    int (*load_inventory)(struct sink *s, struct inventory *inv);
    /* Makes everything given so far durable. */
    int (*commit)(struct sink *s);
    /* Records final totals; may be NULL. */
    int (*run_end)(struct sink *s, const struct run_stats *rs);
    /* Flushes, closes and frees. */
    void (*close)(struct sink *s);
};

struct sink {
    const struct sink_ops *ops;
};

/* SQLite store: opens/creates path, applies migrations. Returns NULL after
 * printing one line ("cannot open database 'x': ...") on failure. */
struct sink *store_sqlite_open(const char *path);
/* The same for a bulk load (`mamori read`): if the store holds few flows, the
 * indexes of the flow and event tables are dropped now and built again at
 * run_end (else at close, or at the next open if the process dies first).
 * A commit's fsync of the WAL runs in the background (util/bgsync.h) and is
 * waited for at the next commit; run_end and close sync the rest. */
struct sink *store_sqlite_open_bulk(const char *path, bool bulk_load);

/* EVE JSON lines appended to path ("-" for stdout). NULL on failure. */
struct sink *eve_open(const char *path, const char *sensor_name);
/* The same for a bulk load (`mamori read`): a commit's fsync runs in the
 * background and is waited for at the next commit; close syncs the rest. */
struct sink *eve_open_bulk(const char *path, const char *sensor_name, bool bulk_load);

#endif
