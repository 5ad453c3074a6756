/* flowset.c - see flowset.h. */
#include <stdlib.h>

#include "scope/flowset.h"
#include "util/util.h"

static size_t flowset_slot(uint64_t key, size_t cap)
{
    return (size_t)((key * 0x9e3779b97f4a7c15ull) >> 20) & (cap - 1);
}

bool flowset_add(struct flowset *fs, int64_t run, int64_t flow)
{
    /* odd, so never the empty slot's 0; run ids stay far below 2^23 */
    uint64_t key = ((((uint64_t)run << 40) ^ (uint64_t)flow) << 1) | 1;
    if (fs->n * 2 >= fs->cap) {
        size_t ncap = fs->cap ? 2 * fs->cap : 1024;
        uint64_t *nv = xcalloc(ncap, sizeof(*nv));
        for (size_t i = 0; i < fs->cap; i++) {
            if (!fs->v[i])
                continue;
            size_t j = flowset_slot(fs->v[i], ncap);
            while (nv[j])
                j = (j + 1) & (ncap - 1);
            nv[j] = fs->v[i];
        }
        free(fs->v);
        fs->v = nv;
        fs->cap = ncap;
    }
    size_t j = flowset_slot(key, fs->cap);
    while (fs->v[j]) {
        if (fs->v[j] == key)
            return true;
        j = (j + 1) & (fs->cap - 1);
    }
    fs->v[j] = key;
    fs->n++;
    return false;
}

void flowset_free(struct flowset *fs)
{
    free(fs->v);
    fs->v = NULL;
    fs->n = fs->cap = 0;
}
