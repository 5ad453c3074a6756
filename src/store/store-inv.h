/* store-inv.h - devices and alerts in the SQLite store (docs/schema.md).
 *
 * The writer half is private to src/store (store-sqlite.c owns the
 * connection and the transaction). The reader half is what the CLI commands
 * (`mamori devices`, `mamori alerts`) use on a database they open read-only.
 */
#ifndef MAMORI_STORE_INV_H
#define MAMORI_STORE_INV_H

#include <stddef.h>
#include <stdint.h>

#include <jansson.h>
#include <sqlite3.h>

#include "detect/alert.h"
#include "inventory/inventory.h"

/* Schema migration step 3 (user_version 2 -> 3). Never edited once shipped. */
extern const char store_inv_schema_v3[];

struct store_inv;

/* Prepares the statements; NULL on failure (message in sqlite3_errmsg). */
struct store_inv *store_inv_new(sqlite3 *db);
void store_inv_free(struct store_inv *si);

/* Upserts a device row and its dirty entries. The caller has a transaction
 * open. Returns SQLITE_DONE or the failing result code. */
int store_inv_device(struct store_inv *si, const struct device *d);
/* Upserts an alert by its key: a new key inserts, a known one adds count and
 * moves last_ts (and, for an update, takes its evidence flow ids). */
int store_inv_alert(struct store_inv *si, int64_t run_id, const struct alert *a);

/* Loads every device (with its latest entries) into inv. Returns 0 or -1
 * (message in sqlite3_errmsg). */
int store_inv_load(sqlite3 *db, struct inventory *inv);

/* --- readers --- */

/* Opens path read-only and checks that it is a mamori database with the
 * device and alert tables. Returns the connection, or NULL after printing
 * one line. */
sqlite3 *store_open_readonly(const char *path);

/* Calls fn with one JSON object per device (primary MAC order), the fields
 * `mamori devices --json` prints, except `known` and the known-list fields
 * (the caller adds them). Stops when fn returns non-zero. Returns 0 or -1. */
int store_devices_each(sqlite3 *db, int (*fn)(void *arg, json_t *dev), void *arg);

struct alert_query {
    uint64_t since_us, until_us;  /* 0: open */
    int min_severity;             /* enum alert_severity */
    const char *category;         /* exact, or a prefix ending in '.' ("device."); NULL: all */
    const char *device;           /* primary MAC, NULL: all */
};

/* Calls fn for every alert matching q, oldest first, with its store id and
 * the record (facts owned by the callee's caller: valid during the call). */
int store_alerts_each(sqlite3 *db, const struct alert_query *q,
                      int (*fn)(void *arg, int64_t id, const struct alert *a), void *arg);

#endif
