/* mail-rar.c - the names in a RAR archive and whether it needs a password.
 *
 * Malspam ships programs in RAR as often as in ZIP, and a password-protected
 * RAR with the password in the text is the same trick as the Emotet ZIP.
 * Only the block headers are read, never the packed data: RAR 4 (marker
 * "Rar!\x1a\x07\x00": main header flag 0x0080 = headers encrypted, file
 * header flag 0x0004 = file encrypted) and RAR 5 ("Rar!\x1a\x07\x01\x00":
 * header type 4 = archive encryption, file extra record type 1 = file
 * encryption). Every length is checked against what is left.
 */
#include <string.h>

#include "mail/mail.h"
#include "util/rd.h"

#include "util/util.h"

#define RAR_MAX_BLOCKS 10000

/* RAR 5 variable-length integer: 7 bits a byte, high bit = more. */
static uint64_t vint(struct rd *r)
{
    uint64_t v = 0;
    for (int shift = 0; shift < 64; shift += 7) {
        uint8_t b = rd_u8(r);
        if (!rd_ok(r))
            return 0;
        v |= (uint64_t)(b & 0x7f) << shift;
        if (!(b & 0x80))
            return v;
    }
    r->err = true;
    return 0;
}

static void rar4(struct rd *r, struct mail_rar_info *ri, mail_rar_name_fn fn, void *arg)
{
    for (unsigned i = 0; i < RAR_MAX_BLOCKS && rd_has(r, 7); i++) {
        uint32_t start = r->off;
        rd_skip(r, 2); /* CRC */
        uint8_t type = rd_u8(r);
        uint16_t flags = rd_le16(r), size = rd_le16(r);
        uint32_t add = (flags & 0x8000) ? rd_le32(r) : 0;
        if (!rd_ok(r) || size < 7 || size > r->len - start)
            return;
        if (type == 0x73 && (flags & 0x0080)) {
            ri->encrypted = true; /* headers encrypted: nothing more to read */
            return;
        }
        if (type == 0x74) {
            struct rd h;
            rd_init(&h, r->p + start, size);
            rd_skip(&h, 7);
            uint32_t pack = rd_le32(&h);
            rd_skip(&h, 4 + 1 + 4 + 4 + 1 + 1);
            uint16_t nl = rd_le16(&h);
            rd_skip(&h, 4);
            if (flags & 0x0100)
                rd_skip(&h, 8);
            if (rd_ok(&h) && rd_has(&h, nl)) {
                if (fn)
                    fn(arg, rd_ptr(&h), nl);
                ri->entries++;
            }
            if (flags & 0x0004)
                ri->encrypted = true;
            add = pack;
        }
        uint64_t next = (uint64_t)start + size + add;
        if (next > r->len)
            return;
        r->off = (uint32_t)next;
        if (type == 0x7b)
            return; /* end of archive */
    }
}

static void rar5(struct rd *r, struct mail_rar_info *ri, mail_rar_name_fn fn, void *arg)
{
    for (unsigned i = 0; i < RAR_MAX_BLOCKS && rd_has(r, 5); i++) {
        rd_skip(r, 4); /* CRC32 */
        uint64_t hsize = vint(r);
        uint32_t hstart = r->off;
        if (!rd_ok(r) || hsize == 0 || hsize > rd_left(r))
            return;
        struct rd h;
        rd_init(&h, rd_ptr(r), (uint32_t)hsize);
        uint64_t type = vint(&h), hflags = vint(&h);
        uint64_t extra = (hflags & 1) ? vint(&h) : 0, data = (hflags & 2) ? vint(&h) : 0;
        if (!rd_ok(&h))
            return;
        if (type == 4) {
            ri->encrypted = true; /* archive encryption header: all else is ciphertext */
            return;
        }
        if (type == 2 && extra <= hsize) {
            uint64_t fflags = vint(&h);
            vint(&h); /* unpacked size */
            vint(&h); /* attributes */
            if (fflags & 2)
                rd_skip(&h, 4);
            if (fflags & 4)
                rd_skip(&h, 4);
            vint(&h); /* compression */
            vint(&h); /* host OS */
            uint64_t nl = vint(&h);
            if (rd_ok(&h) && nl <= rd_left(&h)) {
                if (fn)
                    fn(arg, rd_ptr(&h), (size_t)nl);
                ri->entries++;
            }
            /* The extra area is the last `extra` bytes of the header. */
            struct rd x;
            rd_init(&x, h.p + (uint32_t)(hsize - extra), (uint32_t)extra);
            for (unsigned k = 0; k < 64 && rd_has(&x, 2); k++) {
                uint64_t rsize = vint(&x);
                uint32_t rstart = x.off;
                uint64_t rtype = vint(&x);
                if (!rd_ok(&x) || rsize > x.len - rstart)
                    break;
                if (rtype == 1)
                    ri->encrypted = true;
                x.off = rstart + (uint32_t)rsize;
            }
        }
        uint64_t next = (uint64_t)hstart + hsize + data;
        if (next > r->len)
            return;
        r->off = (uint32_t)next;
        if (type == 5)
            return; /* end of archive */
    }
}

bool mail_rar_inspect(const unsigned char *d, size_t n, struct mail_rar_info *ri,
                      mail_rar_name_fn fn, void *arg)
{
    memset(ri, 0, sizeof(*ri));
    if (!d || n < 8 || n > MAIL_MAX_BYTES || memcmp(d, "Rar!\x1a\x07", 6) != 0)
        return false;
    struct rd r;
    rd_init(&r, d, (uint32_t)n);
    if (d[6] == 0x00) {
        rd_skip(&r, 7);
        rar4(&r, ri, fn, arg);
        return true;
    }
    if (d[6] == 0x01 && d[7] == 0x00) {
        rd_skip(&r, 8);
        rar5(&r, ri, fn, arg);
        return true;
    }
    return false;
}
