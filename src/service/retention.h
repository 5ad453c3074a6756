/* retention.h - pruning old data in small batches.
 *
 * Flows, protocol events (dns, tls, http, ... anomalies, app_events) and
 * device histories (device_ips, device_names, device_evidence,
 * device_peers) older than store.retention_days go; alerts, sensor gaps and
 * notifications are kept for store.alert_retention_days. Devices themselves,
 * their MACs and their service baselines (device_services) stay: a device
 * silent for a year is still the company's device.
 *
 * Each call deletes at most `batch` rows in one short transaction on the
 * caller's connection, so the capture thread can call it between commits
 * without holding the store's write lock for long.
 */
#ifndef MAMORI_RETENTION_H
#define MAMORI_RETENTION_H

#include <sqlite3.h>
#include <stdint.h>

struct retention_cfg {
    uint32_t retention_days;       /* flows, events, device histories */
    uint32_t alert_retention_days; /* alerts, sensor_gaps, notifications */
    uint32_t batch;                /* rows per transaction */
};

struct retention_progress {
    unsigned table;       /* next table to look at */
    uint64_t deleted;     /* rows deleted so far in this pass */
    int done;             /* every table is within retention */
};

/* One batch of ordinary pruning at now_us: deletes up to cfg->batch rows
 * from the current table (moving to the next when it has nothing old).
 * Returns rows deleted (0 with pr->done set once a pass has found nothing
 * more), or -1 with a reason in err (the transaction is rolled back). */
long retention_step(sqlite3 *db, const struct retention_cfg *cfg, uint64_t now_us,
                    struct retention_progress *pr, char *err, size_t errlen);

/* Disk nearly full: deletes up to `batch` of the oldest flows and the
 * oldest rows of each event table, whatever their age (alerts are never
 * touched). Returns rows deleted, 0 when there is nothing left to delete,
 * -1 with err. */
long retention_emergency_step(sqlite3 *db, uint32_t batch, char *err, size_t errlen);

/* Whether the disk is low: free_mb known (>= 0) and below min_free_mb. */
int retention_disk_low(int64_t free_mb, uint32_t min_free_mb);

/* Bytes of free pages inside the database (space SQLite reuses before the
 * file grows). -1 on error. */
int64_t retention_db_free_bytes(sqlite3 *db);

#endif
