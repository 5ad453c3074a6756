/* store-app.h - the application-event tables of the SQLite store (dns, tls,
 * http, ...; docs/schema.md). Private to src/store: store-sqlite.c owns the
 * connection and the transaction, store-app.c knows the tables.
 */
#ifndef MAMORI_STORE_APP_H
#define MAMORI_STORE_APP_H

#include <stddef.h>
#include <stdint.h>

#include <sqlite3.h>

#include "app/app.h"
#include "decode/packet.h"

/* Schema migration step 2 (user_version 1 -> 2): the event tables and their
 * indexes. Shipped steps are never edited (see store_migrations[]). */
extern const char store_app_schema_v2[];

/* Column layout of one event table, as store-app.c inserts into it (tests
 * compare it with the database). */
struct store_app_col {
    const char *name;
    const char *path; /* JSON path: "rrname", "ja3.hash", "answers[].rdata";
                       * "a|b": the first alternative present */
    uint8_t where;    /* enum store_app_where */
    uint8_t kind;     /* enum store_app_kind */
};

enum store_app_where {
    SAW_BODY,  /* the EVE body */
    SAW_EXTRA, /* the store-only object */
    SAW_ANY,   /* body first, then extra (for each alternative in turn) */
};

enum store_app_kind {
    SAK_VALUE, /* the value: text, integer, real, 0/1; an object or array as compact JSON */
    SAK_JOIN,  /* an array's items (or the item member after "[]."), joined by ',' */
    SAK_COUNT, /* number of items of an array */
};

struct store_app_table {
    const char *type;  /* event type ("dns"); NULL for the catch-all app_events */
    const char *table; /* table name */
    const struct store_app_col *cols;
    unsigned ncols;
};

/* The tables, the catch-all app_events last. */
extern const struct store_app_table store_app_tables[];
extern const unsigned store_app_ntables;

struct store_app;

/* Prepares one INSERT per table on db (which must have schema version >= 2).
 * Returns NULL if a statement does not prepare (the message is in
 * sqlite3_errmsg(db)). */
struct store_app *store_app_new(sqlite3 *db);
void store_app_free(struct store_app *sa);

/* Inserts one event for run run_id; the caller has a transaction open.
 * Returns SQLITE_DONE or the failing SQLite result code. */
int store_app_insert(struct store_app *sa, int64_t run_id, const struct app_event *ev);

#endif
