/* rd.h - bounds-checked reader over untrusted bytes.
 *
 * Every read checks `need <= len - off` (never `off + need <= len`, which can
 * wrap). A short read sets a sticky error and returns 0, so a decoder reads a
 * whole header and tests rd_ok() once. Nothing here hides a return or goto.
 */
#ifndef MAMORI_RD_H
#define MAMORI_RD_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

struct rd {
    const uint8_t *p;
    uint32_t len;
    uint32_t off;
    bool err;
};

static inline void rd_init(struct rd *r, const uint8_t *p, uint32_t len)
{
    r->p = p;
    r->len = len;
    r->off = 0;
    r->err = false;
}

static inline bool rd_ok(const struct rd *r)
{
    return !r->err;
}

static inline uint32_t rd_left(const struct rd *r)
{
    return r->len - r->off;
}

static inline bool rd_has(const struct rd *r, uint32_t need)
{
    return !r->err && need <= r->len - r->off;
}

static inline const uint8_t *rd_ptr(const struct rd *r)
{
    return r->p + r->off;
}

static inline uint8_t rd_u8(struct rd *r)
{
    if (!rd_has(r, 1)) {
        r->err = true;
        return 0;
    }
    return r->p[r->off++];
}

static inline uint16_t rd_be16(struct rd *r)
{
    if (!rd_has(r, 2)) {
        r->err = true;
        return 0;
    }
    const uint8_t *q = r->p + r->off;
    r->off += 2;
    return (uint16_t)((uint16_t)q[0] << 8 | q[1]);
}

static inline uint16_t rd_le16(struct rd *r)
{
    if (!rd_has(r, 2)) {
        r->err = true;
        return 0;
    }
    const uint8_t *q = r->p + r->off;
    r->off += 2;
    return (uint16_t)((uint16_t)q[1] << 8 | q[0]);
}

static inline uint32_t rd_be24(struct rd *r)
{
    if (!rd_has(r, 3)) {
        r->err = true;
        return 0;
    }
    const uint8_t *q = r->p + r->off;
    r->off += 3;
    return (uint32_t)q[0] << 16 | (uint32_t)q[1] << 8 | q[2];
}

static inline uint32_t rd_be32(struct rd *r)
{
    if (!rd_has(r, 4)) {
        r->err = true;
        return 0;
    }
    const uint8_t *q = r->p + r->off;
    r->off += 4;
    return (uint32_t)q[0] << 24 | (uint32_t)q[1] << 16 | (uint32_t)q[2] << 8 | q[3];
}

static inline uint32_t rd_le32(struct rd *r)
{
    if (!rd_has(r, 4)) {
        r->err = true;
        return 0;
    }
    const uint8_t *q = r->p + r->off;
    r->off += 4;
    return (uint32_t)q[3] << 24 | (uint32_t)q[2] << 16 | (uint32_t)q[1] << 8 | q[0];
}

/* Copies n bytes into dst; on a short read dst is zero-filled. */
static inline void rd_bytes(struct rd *r, void *dst, uint32_t n)
{
    if (!rd_has(r, n)) {
        r->err = true;
        memset(dst, 0, n);
        return;
    }
    memcpy(dst, r->p + r->off, n);
    r->off += n;
}

static inline void rd_skip(struct rd *r, uint32_t n)
{
    if (!rd_has(r, n)) {
        r->err = true;
        return;
    }
    r->off += n;
}

/* Opens a sub-reader over the next min(n, left) bytes and advances past them.
 * Returns true when all n bytes were there (false means truncated: the
 * sub-reader still covers what was captured). */
static inline bool rd_sub(struct rd *r, uint32_t n, struct rd *sub)
{
    uint32_t left = r->err ? 0 : r->len - r->off;
    uint32_t take = n <= left ? n : left;
    rd_init(sub, r->p + r->off, take);
    r->off += take;
    return take == n;
}

#endif
