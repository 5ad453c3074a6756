/* known.c - the known-device list CSV (see known.h).
 *
 * Parsing follows RFC 4180 with the leniency a hand-edited or Excel-saved
 * file needs: CR, LF or CRLF end a record, blanks around an unquoted field
 * and around the quotes of a quoted one are dropped, a quote inside an
 * unquoted field is just a character. Every error names the physical line
 * (as an editor counts them) where the offending record starts, and the
 * first error in file order is the one reported.
 */
#include <errno.h>
#include <fcntl.h>
#include <iconv.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include "inventory/known.h"
#include "util/netaddr.h"
#include "util/util.h"

/* Largest file known_load() reads: 100 000 devices of ~800 bytes each is
 * 80 MiB; anything bigger is not a device list. */
#define KNOWN_FILE_MAX (128u * 1024u * 1024u)

/* Longest MAC field kept for parsing and for the error message; the longest
 * valid spelling with blanks around it is far shorter. */
#define KNOWN_MAC_FIELD 64
/* Bytes of an offending field quoted back in an error message. */
#define KNOWN_ERR_QUOTE 40
/* A header column name longer than this cannot be one of ours. */
#define KNOWN_COL_FIELD 32

enum known_col { COL_MAC, COL_NAME, COL_OWNER, COL_NOTE, COL_COUNT };

static const char *const known_col_names[COL_COUNT] = {"mac", "name", "owner", "note"};
static const size_t known_col_max[COL_COUNT] = {KNOWN_MAC_FIELD, KNOWN_NAME_MAX, KNOWN_OWNER_MAX,
                                                KNOWN_NOTE_MAX};

/* ---- UTF-8 and encodings ---- */

/* Length of the valid UTF-8 prefix of s[0..len) (RFC 3629: no overlong
 * forms, no surrogates, nothing above U+10FFFF). */
static size_t known_utf8_valid_prefix(const unsigned char *s, size_t len)
{
    size_t i = 0;
    while (i < len) {
        unsigned char c = s[i];
        size_t n;
        unsigned char lo = 0x80, hi = 0xbf;
        if (c < 0x80) {
            i++;
            continue;
        } else if (c >= 0xc2 && c <= 0xdf) {
            n = 1;
        } else if (c >= 0xe0 && c <= 0xef) {
            n = 2;
            if (c == 0xe0)
                lo = 0xa0;
            else if (c == 0xed)
                hi = 0x9f;
        } else if (c >= 0xf0 && c <= 0xf4) {
            n = 3;
            if (c == 0xf0)
                lo = 0x90;
            else if (c == 0xf4)
                hi = 0x8f;
        } else {
            return i;
        }
        if (n > len - i - 1)
            return i;
        /* Only the first continuation byte has the narrowed range. */
        if (s[i + 1] < lo || s[i + 1] > hi)
            return i;
        for (size_t k = 2; k <= n; k++)
            if (s[i + k] < 0x80 || s[i + k] > 0xbf)
                return i;
        i += n + 1;
    }
    return len;
}

static bool known_utf8_valid(const char *s, size_t len)
{
    return known_utf8_valid_prefix((const unsigned char *)s, len) == len;
}

/* 1-based line of byte offset off. */
static unsigned long known_line_of(const char *buf, size_t off)
{
    unsigned long line = 1;
    for (size_t i = 0; i < off; i++)
        if (buf[i] == '\n')
            line++;
    return line;
}

/* Converts CP932 (Shift_JIS as Windows writes it: what Excel saves as "CSV"
 * on Japanese Windows) to UTF-8. Returns a buffer the caller frees, or NULL
 * with the error in err. */
static char *known_from_cp932(const char *in, size_t inlen, size_t *outlen, char *err,
                              size_t errlen)
{
    iconv_t cd = iconv_open("UTF-8", "CP932");
    if (cd == (iconv_t)-1) {
        snprintf(err, errlen, "line 1: cannot convert from Shift_JIS: %s", strerror(errno));
        return NULL;
    }
    /* One CP932 byte (half-width katakana) becomes at most 3 UTF-8 bytes. */
    size_t cap = inlen * 3 + 1;
    char *out = xmalloc(cap);
    char *ip = (char *)(uintptr_t)in, *op = out;
    size_t ileft = inlen, oleft = cap;
    size_t rc = iconv(cd, &ip, &ileft, &op, &oleft);
    iconv_close(cd);
    if (rc == (size_t)-1) {
        snprintf(err, errlen, "line %lu: the file is neither UTF-8 nor Shift_JIS text",
                 known_line_of(in, (size_t)(ip - in)));
        free(out);
        return NULL;
    }
    *outlen = (size_t)(op - out);
    return out;
}

/* ---- CSV fields ---- */

struct known_csv {
    const char *p;
    size_t len, off;
    unsigned long line; /* physical line of p[off], 1-based */
};

enum {
    CSV_MORE = 1,    /* a ',' followed: the record has more fields */
    CSV_LAST = 0,    /* the record ended (line break or end of input) */
    CSV_UNTERM = -1, /* a quoted field ran to the end of the input */
    CSV_JUNK = -2,   /* something other than a separator after the closing quote */
};

static bool csv_blank(char c)
{
    return c == ' ' || c == '\t';
}

/* Copies the next field into out (NUL-terminated, up to outsize - 1 bytes,
 * outsize > 0; *overflow is set when it was longer). out may be NULL to skip
 * a field. *outlen is the field's whole length, even when cut. */
static int csv_field(struct known_csv *c, char *out, size_t outsize, size_t *outlen, bool *overflow,
                     bool *quoted, unsigned long *errline)
{
    size_t n = 0;
    *overflow = false;
    *quoted = false;

    while (c->off < c->len && csv_blank(c->p[c->off]))
        c->off++;
    if (c->off < c->len && c->p[c->off] == '"') {
        unsigned long start_line = c->line;
        *quoted = true;
        c->off++;
        for (;;) {
            if (c->off >= c->len) {
                *errline = start_line;
                return CSV_UNTERM;
            }
            char ch = c->p[c->off++];
            if (ch == '"') {
                if (c->off < c->len && c->p[c->off] == '"')
                    c->off++;
                else
                    break;
            } else if (ch == '\n') {
                c->line++;
            } else if (ch == '\r' && !(c->off < c->len && c->p[c->off] == '\n')) {
                c->line++;
            }
            if (out && n + 1 < outsize)
                out[n] = ch;
            n++;
        }
        while (c->off < c->len && csv_blank(c->p[c->off]))
            c->off++;
    } else {
        size_t start = c->off;
        while (c->off < c->len && c->p[c->off] != ',' && c->p[c->off] != '\r' &&
               c->p[c->off] != '\n')
            c->off++;
        size_t end = c->off;
        while (end > start && csv_blank(c->p[end - 1]))
            end--;
        n = end - start;
        if (out)
            memcpy(out, c->p + start, MIN(n, outsize - 1));
    }
    if (out) {
        *overflow = n + 1 > outsize;
        out[MIN(n, outsize - 1)] = '\0';
    }
    *outlen = n;

    if (c->off >= c->len)
        return CSV_LAST;
    char ch = c->p[c->off];
    if (ch == ',') {
        c->off++;
        return CSV_MORE;
    }
    if (ch == '\r' || ch == '\n') {
        c->off++;
        if (ch == '\r' && c->off < c->len && c->p[c->off] == '\n')
            c->off++;
        c->line++;
        return CSV_LAST;
    }
    *errline = c->line;
    return CSV_JUNK;
}

static void csv_error(int rc, unsigned long line, char *err, size_t errlen)
{
    if (rc == CSV_UNTERM)
        snprintf(err, errlen, "line %lu: unterminated quoted field", line);
    else
        snprintf(err, errlen, "line %lu: unexpected text after a closing quote", line);
}

/* ---- formula injection (CSV injection) ----
 *
 * A spreadsheet runs a cell that starts with = + - @ (and, in some, tab or
 * CR) as a formula, so a device name like "=HYPERLINK(...)" planted by
 * whoever named their phone would run when the owner opens the list in
 * Excel. OWASP's CSV Injection page recommends prefixing such a cell with a
 * single quote and quoting the field; we do that on save.
 *
 * To make loading the exact inverse, the rule covers values that already
 * start with quotes: a value matching ^'*[=+\-@\t\r] gets one more ' on
 * save, and a field matching ^'+[=+\-@\t\r] loses one ' on load. So "=x"
 * <-> "'=x", "'=x" <-> "''=x", and "'abc" stays "'abc" both ways. A file
 * written by hand with an unprefixed "-" is read as "-". */
static bool known_formula_char(char c)
{
    return c == '=' || c == '+' || c == '-' || c == '@' || c == '\t' || c == '\r';
}

static bool known_needs_prefix(const char *s, size_t min_quotes)
{
    size_t q = 0;
    while (s[q] == '\'')
        q++;
    return q >= min_quotes && known_formula_char(s[q]);
}

static void known_unescape(char *s, size_t *len)
{
    if (*len && known_needs_prefix(s, 1)) {
        memmove(s, s + 1, *len); /* includes the NUL */
        (*len)--;
    }
}

/* ---- the list ---- */

void known_init(struct known_list *kl)
{
    kl->v = NULL;
    kl->n = 0;
    kl->cap = 0;
}

void known_free(struct known_list *kl)
{
    free(kl->v);
    known_init(kl);
}

static void known_reserve(struct known_list *kl, size_t want)
{
    if (want <= kl->cap)
        return;
    size_t cap = kl->cap ? kl->cap : 16;
    while (cap < want)
        cap *= 2;
    kl->v = xrealloc(kl->v, cap * sizeof(*kl->v));
    kl->cap = cap;
}

static int known_mac_cmp(const uint8_t a[6], const uint8_t b[6])
{
    return memcmp(a, b, 6);
}

/* Index of mac in kl->v, or of where it would be inserted (*found false). */
static size_t known_search(const struct known_list *kl, const uint8_t mac[6], bool *found)
{
    size_t lo = 0, hi = kl->n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        int c = known_mac_cmp(kl->v[mid].mac, mac);
        if (c == 0) {
            *found = true;
            return mid;
        }
        if (c < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    *found = false;
    return lo;
}

const struct known_device *known_find(const struct known_list *kl, const uint8_t mac[6])
{
    bool found;
    if (!kl->n)
        return NULL;
    size_t i = known_search(kl, mac, &found);
    return found ? &kl->v[i] : NULL;
}

/* Sort key for checking duplicates and ordering the parsed entries. */
struct known_key {
    uint8_t mac[6];
    uint32_t idx; /* position in file order */
    unsigned long line;
};

static int known_key_cmp(const void *a, const void *b)
{
    const struct known_key *x = a, *y = b;
    int c = known_mac_cmp(x->mac, y->mac);
    if (c)
        return c;
    return (x->idx > y->idx) - (x->idx < y->idx);
}

/* Sorts kl->v by MAC (lines[i] is the line of kl->v[i]). When two entries
 * share a MAC, writes the error for the second occurrence with the lowest
 * line and returns -1 (kl is left unsorted). */
static int known_sort_checked(struct known_list *kl, const unsigned long *lines, char *err,
                              size_t errlen)
{
    if (kl->n < 2)
        return 0;
    struct known_key *keys = xmalloc(kl->n * sizeof(*keys));
    for (size_t i = 0; i < kl->n; i++) {
        memcpy(keys[i].mac, kl->v[i].mac, 6);
        keys[i].idx = (uint32_t)i;
        keys[i].line = lines[i];
    }
    qsort(keys, kl->n, sizeof(*keys), known_key_cmp);
    size_t dup = kl->n, first = 0;
    for (size_t i = 1; i < kl->n; i++) {
        if (known_mac_cmp(keys[i].mac, keys[i - 1].mac) != 0)
            continue;
        /* keys[i-1] is earlier in the file for the same MAC. */
        if (dup == kl->n || keys[i].line < keys[dup].line) {
            dup = i;
            first = i - 1;
        }
    }
    if (dup != kl->n) {
        /* The first occurrence of that MAC, not just the previous one. */
        while (first > 0 && known_mac_cmp(keys[first - 1].mac, keys[dup].mac) == 0)
            first--;
        char m[18];
        mac_fmt(keys[dup].mac, m);
        snprintf(err, errlen, "line %lu: duplicate MAC %s (first on line %lu)", keys[dup].line, m,
                 keys[first].line);
        free(keys);
        return -1;
    }
    struct known_device *v = xmalloc(kl->cap * sizeof(*v));
    for (size_t i = 0; i < kl->n; i++)
        v[i] = kl->v[keys[i].idx];
    free(kl->v);
    kl->v = v;
    free(keys);
    return 0;
}

/* Quotes up to KNOWN_ERR_QUOTE bytes of s for an error message, cut at a
 * character boundary, with control characters shown as '?'. */
static void known_err_quote(const char *s, char *out, size_t outsize)
{
    size_t len = strlen(s);
    size_t n = MIN(len, (size_t)KNOWN_ERR_QUOTE);
    n = known_utf8_valid_prefix((const unsigned char *)s, n);
    if (n + 4 > outsize)
        n = outsize - 4;
    for (size_t i = 0; i < n; i++)
        out[i] = (unsigned char)s[i] < 0x20 || s[i] == 0x7f ? '?' : s[i];
    if (n < len) {
        memcpy(out + n, "...", 3);
        n += 3;
    }
    out[n] = '\0';
}

static bool known_col_is(const char *field, enum known_col col)
{
    /* Japanese column names, as a shop would title them in Excel. */
    static const char *const ja[COL_COUNT][3] = {
        {"macアドレス", "mac address", NULL},
        {"名前", "機器名", "端末名"},
        {"担当者", "使用者", "所有者"},
        {"メモ", "備考", NULL},
    };
    if (strcasecmp(field, known_col_names[col]) == 0)
        return true;
    for (size_t i = 0; i < 3; i++)
        if (ja[col][i] && strcasecmp(field, ja[col][i]) == 0)
            return true;
    return false;
}

/* Reads the header record. Returns 0 with idx[] set (SIZE_MAX for a missing
 * optional column), 1 at end of input (no header: an empty list), -1. */
static int known_parse_header(struct known_csv *c, size_t idx[COL_COUNT], char *err, size_t errlen)
{
    for (;;) {
        if (c->off >= c->len)
            return 1;
        unsigned long line = c->line;
        char f[KNOWN_COL_FIELD];
        size_t col = 0, flen, nonempty = 0;
        bool ovf, quoted;
        unsigned long errline = 0;
        int rc;
        for (int k = 0; k < COL_COUNT; k++)
            idx[k] = SIZE_MAX;
        do {
            rc = csv_field(c, f, sizeof(f), &flen, &ovf, &quoted, &errline);
            if (rc < 0) {
                csv_error(rc, errline, err, errlen);
                return -1;
            }
            if (flen)
                nonempty++;
            for (int k = 0; k < COL_COUNT && !ovf; k++) {
                if (!known_col_is(f, (enum known_col)k))
                    continue;
                if (idx[k] != SIZE_MAX) {
                    snprintf(err, errlen, "line %lu: header has two '%s' columns", line,
                             known_col_names[k]);
                    return -1;
                }
                idx[k] = col;
            }
            col++;
        } while (rc == CSV_MORE);
        if (!nonempty)
            continue; /* blank line before the header */
        if (idx[COL_MAC] == SIZE_MAX) {
            snprintf(err, errlen, "line %lu: header has no 'mac' column", line);
            return -1;
        }
        return 0;
    }
}

static char *known_field_of(struct known_device *d, enum known_col col)
{
    switch (col) {
    case COL_NAME:
        return d->name;
    case COL_OWNER:
        return d->owner;
    case COL_NOTE:
        return d->note;
    default:
        BUG("no such column");
    }
}

/* Parses the records after the header into kl (unsorted); lines[] gets the
 * line of each entry. */
static int known_parse_rows(struct known_list *kl, unsigned long **lines, struct known_csv *c,
                            const size_t idx[COL_COUNT], char *err, size_t errlen)
{
    /* Fields are read with room for the formula prefix, which is removed
     * before the length check. */
    char mac_s[KNOWN_MAC_FIELD];
    char buf[COL_COUNT][KNOWN_NOTE_MAX + 1];
    size_t lines_cap = 0;

    while (c->off < c->len) {
        unsigned long line = c->line, errline = 0;
        size_t col = 0, nonempty = 0;
        size_t len[COL_COUNT] = {0};
        bool ovf[COL_COUNT] = {false};
        int rc;

        for (int k = 0; k < COL_COUNT; k++)
            buf[k][0] = '\0';
        mac_s[0] = '\0';
        do {
            int k;
            for (k = 0; k < COL_COUNT; k++)
                if (idx[k] == col)
                    break;
            char *out = NULL;
            size_t outsize = 0, flen;
            bool o, quoted;
            if (k == COL_MAC) {
                out = mac_s;
                outsize = sizeof(mac_s);
            } else if (k < COL_COUNT) {
                out = buf[k];
                outsize = known_col_max[k] + 1;
            }
            rc = csv_field(c, out, outsize, &flen, &o, &quoted, &errline);
            if (rc < 0)
                break;
            if (flen)
                nonempty++;
            if (k < COL_COUNT) {
                len[k] = flen;
                ovf[k] = o;
            }
            if (col < SIZE_MAX)
                col++;
        } while (rc == CSV_MORE);

        if (rc < 0) {
            csv_error(rc, errline, err, errlen);
            return -1;
        }
        if (!nonempty)
            continue; /* blank line, or ",,," as Excel writes empty rows */

        struct known_device d;
        memset(&d, 0, sizeof(d));
        if (!mac_s[0] && !ovf[COL_MAC]) {
            snprintf(err, errlen, "line %lu: no MAC address", line);
            return -1;
        }
        if (ovf[COL_MAC] || mac_parse(mac_s, d.mac) != 0) {
            char q[KNOWN_ERR_QUOTE + 8];
            known_err_quote(mac_s, q, sizeof(q));
            snprintf(err, errlen, "line %lu: bad MAC address '%s'", line, q);
            return -1;
        }
        for (int k = COL_NAME; k < COL_COUNT; k++) {
            if (!ovf[k])
                known_unescape(buf[k], &len[k]);
            if (ovf[k] || len[k] >= known_col_max[k]) {
                snprintf(err, errlen, "line %lu: %s is longer than %zu bytes", line,
                         known_col_names[k], known_col_max[k] - 1);
                return -1;
            }
            memcpy(known_field_of(&d, (enum known_col)k), buf[k], len[k] + 1);
        }
        if (kl->n >= KNOWN_MAX_DEVICES) {
            snprintf(err, errlen, "line %lu: more than %d devices", line, KNOWN_MAX_DEVICES);
            return -1;
        }
        known_reserve(kl, kl->n + 1);
        if (lines_cap < kl->cap) {
            *lines = xrealloc(*lines, kl->cap * sizeof(**lines));
            lines_cap = kl->cap;
        }
        (*lines)[kl->n] = line;
        kl->v[kl->n++] = d;
    }
    return 0;
}

int known_parse(struct known_list *kl, const char *buf, size_t len, char *err, size_t errlen)
{
    char *conv = NULL;
    unsigned long *lines = NULL;
    size_t idx[COL_COUNT];
    int ret = -1;

    kl->n = 0;
    err[0] = '\0';
    bool bom = len >= 3 && memcmp(buf, "\xef\xbb\xbf", 3) == 0;
    if (bom) {
        buf += 3;
        len -= 3;
    }
    size_t good = known_utf8_valid_prefix((const unsigned char *)buf, len);
    if (good != len) {
        if (bom) {
            snprintf(err, errlen, "line %lu: invalid UTF-8", known_line_of(buf, good));
            goto out;
        }
        size_t clen;
        conv = known_from_cp932(buf, len, &clen, err, errlen);
        if (!conv)
            goto out;
        buf = conv;
        len = clen;
        good = known_utf8_valid_prefix((const unsigned char *)buf, len);
        if (good != len) {
            snprintf(err, errlen, "line %lu: invalid UTF-8 after conversion from Shift_JIS",
                     known_line_of(buf, good));
            goto out;
        }
    }
    const char *nul = memchr(buf, '\0', len);
    if (nul) {
        snprintf(err, errlen, "line %lu: NUL byte", known_line_of(buf, (size_t)(nul - buf)));
        goto out;
    }

    struct known_csv c = {.p = buf, .len = len, .off = 0, .line = 1};
    int rc = known_parse_header(&c, idx, err, errlen);
    if (rc < 0)
        goto out;
    if (rc == 0) {
        rc = known_parse_rows(kl, &lines, &c, idx, err, errlen);
        if (rc < 0) {
            /* A duplicate before this error comes first in the file. */
            char derr[256];
            if (known_sort_checked(kl, lines, derr, sizeof(derr)) < 0)
                snprintf(err, errlen, "%s", derr);
            goto out;
        }
        if (known_sort_checked(kl, lines, err, errlen) < 0)
            goto out;
    }
    ret = 0;
out:
    if (ret < 0)
        kl->n = 0;
    free(lines);
    free(conv);
    return ret;
}

/* Reads at most KNOWN_FILE_MAX bytes of fd. */
static char *known_read_fd(int fd, const char *path, size_t *len, char *err, size_t errlen)
{
    struct stat st;
    if (fstat(fd, &st) != 0) {
        snprintf(err, errlen, "cannot read '%s': %s", path, strerror(errno));
        return NULL;
    }
    if (!S_ISREG(st.st_mode)) {
        snprintf(err, errlen, "'%s' is not a regular file", path);
        return NULL;
    }
    if (st.st_size > (off_t)KNOWN_FILE_MAX) {
        snprintf(err, errlen, "'%s' is larger than %u MiB", path, KNOWN_FILE_MAX >> 20);
        return NULL;
    }
    /* The size may change while we read; read up to one byte past the cap
     * to notice. */
    size_t cap = (size_t)st.st_size + 1, n = 0;
    char *buf = xmalloc(cap);
    for (;;) {
        if (n == cap) {
            if (cap > KNOWN_FILE_MAX) {
                snprintf(err, errlen, "'%s' is larger than %u MiB", path, KNOWN_FILE_MAX >> 20);
                free(buf);
                return NULL;
            }
            cap = MIN(cap * 2, (size_t)KNOWN_FILE_MAX + 1);
            buf = xrealloc(buf, cap);
        }
        ssize_t r = read(fd, buf + n, cap - n);
        if (r < 0 && errno == EINTR)
            continue;
        if (r < 0) {
            snprintf(err, errlen, "cannot read '%s': %s", path, strerror(errno));
            free(buf);
            return NULL;
        }
        if (r == 0)
            break;
        n += (size_t)r;
    }
    *len = n;
    return buf;
}

int known_load(struct known_list *kl, const char *path, int missing_ok, char *err, size_t errlen)
{
    kl->n = 0;
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0) {
        if ((errno == ENOENT || errno == ENOTDIR) && missing_ok)
            return 0;
        snprintf(err, errlen, "cannot open '%s': %s", path, strerror(errno));
        return -1;
    }
    size_t len;
    char *buf = known_read_fd(fd, path, &len, err, errlen);
    close(fd);
    if (!buf)
        return -1;
    char perr[256];
    int rc = known_parse(kl, buf, len, perr, sizeof(perr));
    free(buf);
    if (rc < 0)
        snprintf(err, errlen, "%s: %s", path, perr);
    return rc;
}

/* ---- saving ---- */

struct known_out {
    char *p;
    size_t len, cap;
};

static void out_put(struct known_out *o, const char *s, size_t n)
{
    if (n > o->cap - o->len) {
        size_t cap = o->cap ? o->cap : 4096;
        while (n > cap - o->len)
            cap *= 2;
        o->p = xrealloc(o->p, cap);
        o->cap = cap;
    }
    memcpy(o->p + o->len, s, n);
    o->len += n;
}

static void out_field(struct known_out *o, const char *s)
{
    size_t len = strlen(s);
    bool prefix = known_needs_prefix(s, 0);
    bool quote = prefix || (len && (csv_blank(s[0]) || csv_blank(s[len - 1]))) ||
                 strpbrk(s, ",\"\r\n") != NULL;
    if (!quote) {
        out_put(o, s, len);
        return;
    }
    out_put(o, "\"", 1);
    if (prefix)
        out_put(o, "'", 1);
    for (const char *q = s; *q; q++) {
        if (*q == '"')
            out_put(o, "\"", 1);
        out_put(o, q, 1);
    }
    out_put(o, "\"", 1);
}

static int known_write_all(int fd, const char *p, size_t n)
{
    while (n) {
        ssize_t w = write(fd, p, n);
        if (w < 0 && errno == EINTR)
            continue;
        if (w < 0)
            return -1;
        p += w;
        n -= (size_t)w;
    }
    return 0;
}

int known_save(const struct known_list *kl, const char *path, char *err, size_t errlen)
{
    struct known_out o = {0};
    char dir[4096], tmp[4096];
    int ret = -1, fd = -1;

    const char *slash = strrchr(path, '/');
    const char *base = slash ? slash + 1 : path;
    size_t dirlen = slash ? (size_t)(slash - path) : 1;
    if (!*base || dirlen >= sizeof(dir)) {
        snprintf(err, errlen, "bad file name '%s'", path);
        return -1;
    }
    if (slash) {
        memcpy(dir, path, dirlen);
        dir[dirlen] = '\0';
        if (!dirlen)
            snprintf(dir, sizeof(dir), "/");
    } else {
        snprintf(dir, sizeof(dir), ".");
    }
    /* A hidden name beside the list: a leftover from a crash is never read
     * as the list, and the next save picks a fresh name. */
    if ((size_t)snprintf(tmp, sizeof(tmp), "%s/.%s.tmp-XXXXXX", dir, base) >= sizeof(tmp)) {
        snprintf(err, errlen, "bad file name '%s'", path);
        return -1;
    }

    out_put(&o, "mac,name,owner,note\n", 20);
    for (size_t i = 0; i < kl->n; i++) {
        const struct known_device *d = &kl->v[i];
        char m[18];
        mac_fmt(d->mac, m);
        out_put(&o, m, 17);
        out_put(&o, ",", 1);
        out_field(&o, d->name);
        out_put(&o, ",", 1);
        out_field(&o, d->owner);
        out_put(&o, ",", 1);
        out_field(&o, d->note);
        out_put(&o, "\n", 1);
    }

    fd = mkstemp(tmp);
    if (fd < 0) {
        snprintf(err, errlen, "cannot create a temporary file in '%s': %s", dir, strerror(errno));
        goto out_free;
    }
    /* Keep the permissions of the list we replace; a new one is 0644 (it
     * names people, but the dashboard's user must read it). */
    struct stat st;
    mode_t mode = stat(path, &st) == 0 && S_ISREG(st.st_mode) ? st.st_mode & 07777 : 0644;
    if (fchmod(fd, mode) != 0 || known_write_all(fd, o.p, o.len) != 0 || fsync(fd) != 0) {
        snprintf(err, errlen, "cannot write '%s': %s", tmp, strerror(errno));
        goto out_unlink;
    }
    int rc = close(fd);
    fd = -1;
    if (rc != 0) {
        snprintf(err, errlen, "cannot write '%s': %s", tmp, strerror(errno));
        goto out_unlink;
    }
    if (rename(tmp, path) != 0) {
        snprintf(err, errlen, "cannot replace '%s': %s", path, strerror(errno));
        goto out_unlink;
    }
    /* Make the rename itself durable. Best effort: the new list is already
     * in place, and some file systems refuse fsync on a directory. */
    int dfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (dfd >= 0) {
        (void)fsync(dfd);
        close(dfd);
    }
    ret = 0;
    goto out_free;

out_unlink:
    if (fd >= 0)
        close(fd);
    unlink(tmp);
out_free:
    free(o.p);
    return ret;
}

/* ---- editing ---- */

static int known_check_field(const char *s, enum known_col col, char *err, size_t errlen)
{
    if (!s)
        return 0;
    size_t len = strlen(s);
    if (len >= known_col_max[col]) {
        snprintf(err, errlen, "%s is longer than %zu bytes", known_col_names[col],
                 known_col_max[col] - 1);
        return -1;
    }
    if (!known_utf8_valid(s, len)) {
        snprintf(err, errlen, "%s is not valid UTF-8", known_col_names[col]);
        return -1;
    }
    return 0;
}

int known_upsert(struct known_list *kl, const uint8_t mac[6], const char *name, const char *owner,
                 const char *note, char *err, size_t errlen)
{
    if (known_check_field(name, COL_NAME, err, errlen) < 0 ||
        known_check_field(owner, COL_OWNER, err, errlen) < 0 ||
        known_check_field(note, COL_NOTE, err, errlen) < 0)
        return -1;
    bool found;
    size_t i = known_search(kl, mac, &found);
    if (!found) {
        if (kl->n >= KNOWN_MAX_DEVICES) {
            snprintf(err, errlen, "the list already has %d devices", KNOWN_MAX_DEVICES);
            return -1;
        }
        known_reserve(kl, kl->n + 1);
        memmove(&kl->v[i + 1], &kl->v[i], (kl->n - i) * sizeof(*kl->v));
        kl->n++;
        memset(&kl->v[i], 0, sizeof(kl->v[i]));
        memcpy(kl->v[i].mac, mac, 6);
    }
    struct known_device *d = &kl->v[i];
    /* Lengths were checked above, so these never truncate. */
    if (name)
        snprintf(d->name, sizeof(d->name), "%s", name);
    if (owner)
        snprintf(d->owner, sizeof(d->owner), "%s", owner);
    if (note)
        snprintf(d->note, sizeof(d->note), "%s", note);
    return 0;
}

static bool known_same(const struct known_device *a, const struct known_device *b)
{
    return strcmp(a->name, b->name) == 0 && strcmp(a->owner, b->owner) == 0 &&
           strcmp(a->note, b->note) == 0;
}

/* A sorted merge, O(n + m). New entries beyond KNOWN_MAX_DEVICES are
 * dropped (and not counted), so the result always loads again. */
size_t known_merge(struct known_list *dst, const struct known_list *src)
{
    size_t changed = 0, i = 0, j = 0, n = 0;
    size_t total = dst->n + src->n;
    if (!src->n)
        return 0;
    struct known_device *v = xmalloc(total * sizeof(*v));
    while (i < dst->n || j < src->n) {
        int c = i >= dst->n ? 1 : j >= src->n ? -1 : known_mac_cmp(dst->v[i].mac, src->v[j].mac);
        if (c < 0) {
            v[n++] = dst->v[i++];
        } else if (c == 0) {
            if (!known_same(&dst->v[i], &src->v[j]))
                changed++;
            v[n++] = src->v[j++];
            i++;
        } else {
            /* Room for this one and every dst entry still to come. */
            if (n + 1 + (dst->n - i) <= KNOWN_MAX_DEVICES) {
                v[n++] = src->v[j];
                changed++;
            }
            j++;
        }
    }
    free(dst->v);
    dst->v = v;
    dst->n = n;
    dst->cap = total;
    return changed;
}
