/* mail-tnef.c - the files inside an Outlook TNEF container (winmail.dat).
 *
 * Outlook sends "rich text" mail as one application/ms-tnef attachment that
 * holds the real attachments, so a program or a macro document inside it
 * would pass unseen. This reads the TNEF attribute stream ([MS-OXTNEF]):
 * each attachment starts with attAttachRendData, its short name is
 * attAttachTitle, its bytes attAttachData, and its long name (when there is
 * one) the PR_ATTACH_LONG_FILENAME property in attAttachment's MAPI
 * properties. Nothing else is interpreted.
 *
 * Written by hand over rd.h rather than with libytnef: that library leaks
 * on malformed input and has a history of memory-safety bugs, and only the
 * names and the bytes are needed here. Every length is checked before use.
 */
#include <stdio.h>
#include <string.h>

#include "mail/mail.h"
#include "util/rd.h"

#include "util/util.h"

#define TNEF_SIGNATURE 0x223E9F78u
#define LVL_ATTACHMENT 2
#define ATT_ATTACH_RENDDATA 0x00069002u
#define ATT_ATTACH_TITLE 0x00018010u
#define ATT_ATTACH_DATA 0x0006800Fu
#define ATT_ATTACHMENT 0x00069005u
#define PR_ATTACH_LONG_FILENAME 0x3707u
#define PT_STRING8 0x001Eu
#define PT_UNICODE 0x001Fu
#define MV_FLAG 0x1000u

struct tnef_file {
    char name[256];
    const uint8_t *data;
    uint32_t len;
    bool open;
};

/* Copies a TNEF/MAPI string (8-bit, NUL-terminated or not) as a file name:
 * control characters and path separators dropped. */
static void copy_name8(char *out, size_t outlen, const uint8_t *p, uint32_t n)
{
    size_t o = 0;
    for (uint32_t i = 0; i < n && p[i] && o + 1 < outlen; i++)
        if (p[i] >= 0x20 && p[i] != '/' && p[i] != '\\' && p[i] != 0x7f)
            out[o++] = (char)p[i];
    out[o] = '\0';
}

/* The same for UTF-16LE, as UTF-8 (no surrogate pairs: names are BMP). */
static void copy_name16(char *out, size_t outlen, const uint8_t *p, uint32_t n)
{
    size_t o = 0;
    for (uint32_t i = 0; i + 1 < n; i += 2) {
        unsigned c = p[i] | (unsigned)p[i + 1] << 8;
        if (!c)
            break;
        if (c < 0x20 || c == '/' || c == '\\' || (c >= 0xd800 && c <= 0xdfff))
            continue;
        char u[4];
        size_t k = c < 0x80 ? 1 : c < 0x800 ? 2 : 3;
        if (k == 1) {
            u[0] = (char)c;
        } else if (k == 2) {
            u[0] = (char)(0xc0 | c >> 6);
            u[1] = (char)(0x80 | (c & 0x3f));
        } else {
            u[0] = (char)(0xe0 | c >> 12);
            u[1] = (char)(0x80 | ((c >> 6) & 0x3f));
            u[2] = (char)(0x80 | (c & 0x3f));
        }
        if (o + k + 1 > outlen)
            break;
        memcpy(out + o, u, k);
        o += k;
    }
    out[o] = '\0';
}

/* Size of one fixed-size MAPI value, 0 for variable ones, -1 unknown. */
static int mapi_fixed_size(uint16_t type)
{
    switch (type & ~MV_FLAG) {
    case 0x0002: /* PT_SHORT */
    case 0x0003: /* PT_LONG */
    case 0x0004: /* PT_FLOAT */
    case 0x000A: /* PT_ERROR */
    case 0x000B: /* PT_BOOLEAN */
        return 4; /* padded to 4 */
    case 0x0005: /* PT_DOUBLE */
    case 0x0006: /* PT_CURRENCY */
    case 0x0007: /* PT_APPTIME */
    case 0x0014: /* PT_I8 */
    case 0x0040: /* PT_SYSTIME */
        return 8;
    case 0x0048: /* PT_CLSID */
        return 16;
    case 0x000D: /* PT_OBJECT */
    case PT_STRING8:
    case PT_UNICODE:
    case 0x0102: /* PT_BINARY */
        return 0;
    default:
        return -1;
    }
}

/* Looks for PR_ATTACH_LONG_FILENAME in an attAttachment property block;
 * stops quietly at anything it cannot walk (the short name stays). */
static void mapi_long_name(const uint8_t *p, uint32_t n, struct tnef_file *f)
{
    struct rd r;
    rd_init(&r, p, n);
    uint32_t count = rd_le32(&r);
    for (uint32_t i = 0; i < count && i < 1000 && rd_ok(&r); i++) {
        uint16_t type = rd_le16(&r), id = rd_le16(&r);
        if (id >= 0x8000) { /* a named property: GUID, then an id or a name */
            rd_skip(&r, 16);
            uint32_t kind = rd_le32(&r);
            if (kind == 0) {
                rd_skip(&r, 4);
            } else {
                uint32_t l = rd_le32(&r);
                if (l > rd_left(&r))
                    return;
                rd_skip(&r, (l + 3) & ~3u);
            }
        }
        int fixed = mapi_fixed_size(type);
        if (fixed < 0 || !rd_ok(&r))
            return;
        uint32_t nval = (type & MV_FLAG) || fixed == 0 ? rd_le32(&r) : 1;
        if (nval > rd_left(&r))
            return;
        for (uint32_t v = 0; v < nval && rd_ok(&r); v++) {
            if (fixed > 0) {
                rd_skip(&r, (uint32_t)fixed);
                continue;
            }
            uint32_t l = rd_le32(&r);
            if (l > rd_left(&r))
                return;
            if (id == PR_ATTACH_LONG_FILENAME && v == 0 && l > 0) {
                if ((type & ~MV_FLAG) == PT_STRING8)
                    copy_name8(f->name, sizeof(f->name), rd_ptr(&r), l);
                else if ((type & ~MV_FLAG) == PT_UNICODE)
                    copy_name16(f->name, sizeof(f->name), rd_ptr(&r), l);
            }
            uint32_t padded = (l + 3) & ~3u;
            rd_skip(&r, padded > rd_left(&r) ? rd_left(&r) : padded);
        }
    }
}

static void emit(struct tnef_file *f, mail_tnef_fn fn, void *arg, size_t *count)
{
    if (f->open && (f->data || f->name[0]) && *count < MAIL_TNEF_MAX_FILES) {
        fn(arg, f->name[0] ? f->name : NULL, f->data, f->len);
        (*count)++;
    }
    memset(f, 0, sizeof(*f));
}

size_t mail_tnef_files(const unsigned char *buf, size_t len, mail_tnef_fn fn, void *arg)
{
    if (!buf || len < 6 || len > MAIL_MAX_BYTES)
        return MAIL_TNEF_NOT;
    struct rd r;
    rd_init(&r, buf, (uint32_t)len);
    if (rd_le32(&r) != TNEF_SIGNATURE)
        return MAIL_TNEF_NOT;
    rd_skip(&r, 2); /* legacy key */
    struct tnef_file f;
    memset(&f, 0, sizeof(f));
    size_t count = 0;
    /* Level (1), attribute id (4), length (4), data, checksum (2). */
    while (rd_has(&r, 9) && count < MAIL_TNEF_MAX_FILES) {
        uint8_t level = rd_u8(&r);
        uint32_t id = rd_le32(&r), n = rd_le32(&r);
        if (n > rd_left(&r))
            break; /* truncated: keep what was complete */
        const uint8_t *data = rd_ptr(&r);
        rd_skip(&r, n);
        rd_skip(&r, rd_left(&r) >= 2 ? 2 : rd_left(&r));
        if (level != LVL_ATTACHMENT)
            continue;
        switch (id) {
        case ATT_ATTACH_RENDDATA: /* a new attachment begins */
            emit(&f, fn, arg, &count);
            f.open = true;
            break;
        case ATT_ATTACH_TITLE:
            f.open = true;
            if (!f.name[0])
                copy_name8(f.name, sizeof(f.name), data, n);
            break;
        case ATT_ATTACH_DATA:
            f.open = true;
            f.data = data;
            f.len = n;
            break;
        case ATT_ATTACHMENT:
            f.open = true;
            mapi_long_name(data, n, &f);
            break;
        default:
            break;
        }
    }
    emit(&f, fn, arg, &count);
    return count;
}
