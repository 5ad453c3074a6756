/* scope-int.h - shared between the parts of the scope analysis (scope.c,
 * scope-expose.c). Not for other modules. */
#ifndef MAMORI_SCOPE_INT_H
#define MAMORI_SCOPE_INT_H

#include "scope/flowset.h"
#include "scope/scope.h"

struct scope_cx {
    sqlite3 *db;
    const struct scope_query *q;
    struct scope_result *r;
    uint64_t t1, t2; /* the window, t2 = INT64_MAX when open */
    bool failed;     /* an SQLite error was reported */
    struct flowset seen; /* flows already counted */
    struct netset alert_net; /* an alert's outside address, as if it were the indicator */
};

bool scope_is_home(const struct scope_cx *cx, const char *ip);
sqlite3_stmt *scope_prep(struct scope_cx *cx, const char *sql);
int scope_step(struct scope_cx *cx, sqlite3_stmt *st);
const char *scope_col(sqlite3_stmt *st, int i);
uint64_t scope_col_u64(sqlite3_stmt *st, int i);
size_t scope_node_get(struct scope_cx *cx, const char *ip);
void scope_contact(struct scope_cx *cx, const char *ip, uint64_t first, uint64_t last,
                   uint64_t out, uint64_t in, const char *proto, const char *name,
                   bool connected);
void scope_proto_label(char *buf, size_t len, const char *app, int proto, int port);
void scope_flow_name(struct scope_cx *cx, int64_t run, int64_t flow, struct scope_strs *out);

/* Flows of ip as source (dst false) or destination from `from` on, counted
 * in the index alone. */
int64_t scope_side_count(struct scope_cx *cx, bool dst, const char *ip, uint64_t from);

/* Finds the exposed devices for the indicator (scope-expose.c). */
enum scope_err scope_expose(struct scope_cx *cx);

#endif
