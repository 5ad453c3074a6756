/* track.h - building blocks the detectors share:
 *
 *  - struct track: a table of per-key state (a source address, a pair of
 *    addresses, a domain...), capped in size. Keys and values have a fixed
 *    size chosen at creation; a new key gets a zeroed value. Entries are kept
 *    in least-recently-used order: when the table is full the stalest entry
 *    goes first, and track_expire() drops entries idle for too long, both in
 *    time proportional to what they drop. This is how a detector follows
 *    "every source that sent a SYN today" without growing without bound
 *    under a flood of spoofed sources.
 *  - struct dcount: how many distinct values (ports, addresses, names) were
 *    seen, exact up to DCOUNT_EXACT values and a HyperLogLog estimate (64
 *    registers, about 13% error) above, in 88 bytes.
 *
 * Packet time (microseconds) is the only clock: captures replay at any speed.
 */
#ifndef MAMORI_TRACK_H
#define MAMORI_TRACK_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "decode/packet.h"

struct track;

/* Called for an entry about to be dropped (eviction or expiry); the value
 * may be read and anything it points to freed. */
typedef void (*track_fn)(void *arg, const void *key, void *val);

/* key_size, val_size in bytes (key_size >= 1); max_entries >= 1. */
struct track *track_new(size_t key_size, size_t val_size, uint32_t max_entries);
/* Frees every entry (calling the drop callback, if set, on each). */
void track_free(struct track *t);
/* fn runs for every entry dropped to make room or by track_free(). */
void track_set_drop(struct track *t, track_fn fn, void *arg);

/* The value for key, created zeroed when absent (*created, if not NULL,
 * says so); marks it used at now_us. Never NULL. */
void *track_get(struct track *t, const void *key, uint64_t now_us, bool *created);
/* The value for key without creating or touching it; NULL if absent. */
void *track_find(const struct track *t, const void *key);
/* When key was last got (0 if absent). */
uint64_t track_last_us(const struct track *t, const void *key);
/* Removes key (the drop callback does not run). */
void track_del(struct track *t, const void *key);
/* Removes every entry not got since before_us, oldest first, calling fn
 * (may be NULL) on each before it goes. */
void track_expire(struct track *t, uint64_t before_us, track_fn fn, void *arg);
/* Calls fn on every entry, least recently used first. fn must not add or
 * remove entries. */
void track_each(const struct track *t, track_fn fn, void *arg);
uint32_t track_count(const struct track *t);

/* --- distinct counting --- */

#define DCOUNT_EXACT 8
#define DCOUNT_REGS 64

struct dcount {
    uint32_t exact[DCOUNT_EXACT]; /* hashes of the first distinct values */
    uint8_t nexact;               /* how many of exact[] are used */
    bool sketch;                  /* more than DCOUNT_EXACT: regs[] holds them */
    uint8_t regs[DCOUNT_REGS];    /* HyperLogLog registers */
    uint32_t est;                 /* sketch: the estimate of regs[] (kept by dcount_add) */
};

/* Adds a value (a port, a hashed address or name). */
void dcount_add(struct dcount *c, uint64_t value);
/* Distinct values added (exact up to DCOUNT_EXACT, estimated above). */
uint32_t dcount_get(const struct dcount *c);

/* Hashes for dcount_add() and keys. */
uint64_t track_hash_bytes(const void *p, size_t n);
uint64_t track_hash_ip(const struct ip_addr *a);
uint64_t track_hash_str(const char *s);

#endif
