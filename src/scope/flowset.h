/* flowset.h - a set of (run_id, flow_id) keys, so a flow found twice (by its
 * name and by its address, or from both of its ends) counts once. Used by
 * `mamori scope` and `mamori timeline`. */
#ifndef MAMORI_FLOWSET_H
#define MAMORI_FLOWSET_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct flowset {
    uint64_t *v; /* open addressing; 0 is the empty slot */
    size_t n, cap;
};

/* Adds the flow; returns true if it was already there. */
bool flowset_add(struct flowset *fs, int64_t run, int64_t flow);
void flowset_free(struct flowset *fs);

#endif
