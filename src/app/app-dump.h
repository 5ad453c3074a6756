/* app-dump.h - compact JSON text of an event object, fast path of
 * json_dump_callback(JSON_COMPACT | JSON_ENCODE_ANY). */
#ifndef MAMORI_APP_DUMP_H
#define MAMORI_APP_DUMP_H

#include <jansson.h>
#include <stddef.h>

/* A growable byte buffer owned by the caller (freed with free()). */
struct app_dump_buf {
    char *buf;
    size_t len, cap;
};

/* Appends the compact JSON text of v to b, byte for byte what jansson's
 * compact dump gives, and NUL-terminates it. Returns 0, or -1 when v holds
 * something this path leaves to jansson (a real, a non-ASCII string, deep
 * nesting): then b->len is back where it was and the caller dumps with
 * jansson. */
int app_dump_compact(struct app_dump_buf *b, const json_t *v);

/* The same text for any v: app_dump_compact, else jansson's own dump into the
 * same buffer (what json_dumps(v, JSON_COMPACT | JSON_ENCODE_ANY) gives).
 * Returns 0, or -1 (b->len unchanged) when jansson refuses v too. */
int app_dump_json(struct app_dump_buf *b, const json_t *v);

#endif
