/* oui.c - MAC prefix to maker, from Debian's ieee-data CSV files (see oui.h).
 *
 * Each file is `Registry,Assignment,Organization Name,Organization Address`
 * in RFC 4180 CSV: names and addresses with commas are quoted, and some
 * addresses are quoted across several lines. The prefix length comes from
 * the number of hex digits in Assignment (6: MA-L, 7: MA-M, 9: MA-S/IAB),
 * so a file in the wrong place still lands in the right table.
 *
 * Names go into one arena, each distinct name once (a few hundred names,
 * "Private" and the big vendors, cover thousands of prefixes). Each table is
 * an array of (prefix, name offset) sorted by prefix.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "inventory/oui.h"
#include "util/util.h"

#define OUI_DEFAULT_DIR "/usr/share/ieee-data"

/* Largest registry file read: oui.csv is ~3.5 MiB in 2024 and grows by
 * ~100 KiB a year. */
#define OUI_FILE_MAX (64u * 1024u * 1024u)
/* Longest organisation name kept (the longest in 2024 is 108 bytes); longer
 * ones are cut at a character boundary. */
#define OUI_NAME_MAX 160
/* Entries per table: the MA-L registry has ~35 000; a file claiming more
 * than this is not the IEEE's. */
#define OUI_TABLE_MAX 1000000

/* Tables by prefix length, longest first (the lookup order). */
enum { OUI_T36, OUI_T28, OUI_T24, OUI_TABLES };
static const unsigned oui_bits[OUI_TABLES] = {36, 28, 24};

struct oui_entry {
    uint64_t prefix; /* the top `bits` bits of the 48-bit MAC */
    uint32_t name;   /* offset into the arena */
};

struct oui_table {
    struct oui_entry *v;
    size_t n, cap;
};

struct oui_db {
    struct oui_table t[OUI_TABLES];
    char *arena;
    size_t arena_len, arena_cap;
    /* Load-time only: open-addressing set of arena offsets, to store each
     * distinct name once. Freed at the end of oui_load(). */
    uint32_t *names;
    size_t names_cap, names_n;
};

static uint32_t oui_hash(const char *s, size_t n)
{
    uint32_t h = 2166136261u; /* FNV-1a */
    for (size_t i = 0; i < n; i++) {
        h ^= (unsigned char)s[i];
        h *= 16777619u;
    }
    return h;
}

static void oui_names_grow(struct oui_db *db)
{
    size_t cap = db->names_cap ? db->names_cap * 2 : 4096;
    uint32_t *t = xmalloc(cap * sizeof(*t));
    for (size_t i = 0; i < cap; i++)
        t[i] = UINT32_MAX;
    for (size_t i = 0; i < db->names_cap; i++) {
        uint32_t off = db->names[i];
        if (off == UINT32_MAX)
            continue;
        const char *s = db->arena + off;
        size_t h = oui_hash(s, strlen(s)) & (cap - 1);
        while (t[h] != UINT32_MAX)
            h = (h + 1) & (cap - 1);
        t[h] = off;
    }
    free(db->names);
    db->names = t;
    db->names_cap = cap;
}

/* The arena offset of name s[0..n) (no NUL inside), adding it if new.
 * Returns UINT32_MAX if the arena would pass 4 GiB. */
static uint32_t oui_intern(struct oui_db *db, const char *s, size_t n)
{
    if (db->names_n * 2 >= db->names_cap)
        oui_names_grow(db);
    size_t mask = db->names_cap - 1, h = oui_hash(s, n) & mask;
    while (db->names[h] != UINT32_MAX) {
        const char *t = db->arena + db->names[h];
        if (strncmp(t, s, n) == 0 && t[n] == '\0')
            return db->names[h];
        h = (h + 1) & mask;
    }
    if (n + 1 > UINT32_MAX - db->arena_len)
        return UINT32_MAX;
    if (n + 1 > db->arena_cap - db->arena_len) {
        size_t cap = db->arena_cap ? db->arena_cap : 65536;
        while (n + 1 > cap - db->arena_len)
            cap *= 2;
        db->arena = xrealloc(db->arena, cap);
        db->arena_cap = cap;
    }
    uint32_t off = (uint32_t)db->arena_len;
    memcpy(db->arena + off, s, n);
    db->arena[off + n] = '\0';
    db->arena_len += n + 1;
    db->names[h] = off;
    db->names_n++;
    return off;
}

/* ---- CSV ---- */

struct oui_csv {
    const char *p;
    size_t len, off;
};

enum { OUI_MORE = 1, OUI_LAST = 0, OUI_BAD = -1 };

/* Reads one field into out (cut to outsize - 1 bytes, NUL-terminated).
 * Returns OUI_MORE when a ',' follows, OUI_LAST at the end of the record,
 * OUI_BAD for an unterminated quote or text after a closing quote (the rest
 * of that line is skipped). */
static int oui_field(struct oui_csv *c, char *out, size_t outsize)
{
    size_t n = 0;
    if (c->off < c->len && c->p[c->off] == '"') {
        c->off++;
        for (;;) {
            if (c->off >= c->len)
                return OUI_BAD;
            char ch = c->p[c->off++];
            if (ch == '"') {
                if (c->off < c->len && c->p[c->off] == '"')
                    c->off++;
                else
                    break;
            }
            if (n + 1 < outsize)
                out[n++] = ch;
        }
    } else {
        while (c->off < c->len && c->p[c->off] != ',' && c->p[c->off] != '\r' &&
               c->p[c->off] != '\n') {
            if (n + 1 < outsize)
                out[n++] = c->p[c->off];
            c->off++;
        }
    }
    out[n] = '\0';
    if (c->off >= c->len)
        return OUI_LAST;
    char ch = c->p[c->off];
    if (ch == ',') {
        c->off++;
        return OUI_MORE;
    }
    if (ch == '\r' || ch == '\n') {
        c->off++;
        if (ch == '\r' && c->off < c->len && c->p[c->off] == '\n')
            c->off++;
        return OUI_LAST;
    }
    /* Resynchronise at the next line break. */
    while (c->off < c->len && c->p[c->off] != '\n')
        c->off++;
    if (c->off < c->len)
        c->off++;
    return OUI_BAD;
}

/* Parses the hex assignment; returns its bit length (24, 28, 36) or 0. */
static unsigned oui_assignment(const char *s, uint64_t *prefix)
{
    uint64_t v = 0;
    size_t n = 0;
    for (; s[n]; n++) {
        char ch = s[n];
        int d;
        if (ch >= '0' && ch <= '9')
            d = ch - '0';
        else if (ch >= 'a' && ch <= 'f')
            d = ch - 'a' + 10;
        else if (ch >= 'A' && ch <= 'F')
            d = ch - 'A' + 10;
        else
            return 0;
        if (n >= 9)
            return 0;
        v = v << 4 | (uint64_t)d;
    }
    *prefix = v;
    return n == 6 ? 24 : n == 7 ? 28 : n == 9 ? 36 : 0;
}

/* Trims blanks and line breaks around the name, turns other control bytes
 * into spaces and invalid UTF-8 into '?', and cuts it to OUI_NAME_MAX - 1
 * bytes at a character boundary. Returns the new length. */
static size_t oui_clean_name(char *s)
{
    size_t len = strlen(s), w = 0;
    for (size_t i = 0; i < len;) {
        unsigned char c = (unsigned char)s[i];
        size_t n = c < 0x80                 ? 1
                   : c >= 0xc2 && c <= 0xdf ? 2
                   : c >= 0xe0 && c <= 0xef ? 3
                   : c >= 0xf0 && c <= 0xf4 ? 4
                                            : 0;
        bool ok = n > 0 && n <= len - i;
        for (size_t k = 1; ok && k < n; k++)
            ok = ((unsigned char)s[i + k] & 0xc0) == 0x80;
        /* Overlong 3/4-byte forms, surrogates and > U+10FFFF. */
        if (ok && n == 3)
            ok = !(c == 0xe0 && (unsigned char)s[i + 1] < 0xa0) &&
                 !(c == 0xed && (unsigned char)s[i + 1] > 0x9f);
        if (ok && n == 4)
            ok = !(c == 0xf0 && (unsigned char)s[i + 1] < 0x90) &&
                 !(c == 0xf4 && (unsigned char)s[i + 1] > 0x8f);
        char repl = !ok ? '?' : n == 1 && (c < 0x20 || c == 0x7f) ? ' ' : 0;
        if (repl)
            n = 1;
        if (w + n > OUI_NAME_MAX - 1)
            break;
        if (repl)
            s[w] = repl;
        else
            memmove(s + w, s + i, n);
        w += n;
        i += n;
    }
    s[w] = '\0';
    size_t start = 0;
    while (start < w && s[start] == ' ')
        start++;
    while (w > start && s[w - 1] == ' ')
        w--;
    memmove(s, s + start, w - start);
    s[w - start] = '\0';
    return w - start;
}

static void oui_add(struct oui_db *db, unsigned bits, uint64_t prefix, uint32_t name)
{
    struct oui_table *t = &db->t[bits == 36 ? OUI_T36 : bits == 28 ? OUI_T28 : OUI_T24];
    if (t->n >= OUI_TABLE_MAX)
        return;
    if (t->n == t->cap) {
        t->cap = t->cap ? t->cap * 2 : 1024;
        t->v = xrealloc(t->v, t->cap * sizeof(*t->v));
    }
    t->v[t->n].prefix = prefix;
    t->v[t->n].name = name;
    t->n++;
}

/* Adds the entries of one CSV buffer; returns how many. */
static unsigned long oui_parse(struct oui_db *db, const char *buf, size_t len)
{
    struct oui_csv c = {.p = buf, .len = len, .off = 0};
    unsigned long added = 0, bad = 0;
    char f[OUI_NAME_MAX * 2], assign[16], name[OUI_NAME_MAX * 2];

    /* A UTF-8 BOM, should a future file have one. */
    if (len >= 3 && memcmp(buf, "\xef\xbb\xbf", 3) == 0)
        c.off = 3;
    while (c.off < c.len) {
        int col = 0, rc;
        assign[0] = name[0] = '\0';
        do {
            char *out = col == 1 ? assign : col == 2 ? name : f;
            size_t size = col == 1 ? sizeof(assign) : col == 2 ? sizeof(name) : sizeof(f);
            rc = oui_field(&c, out, size);
            if (col < 3)
                col++;
        } while (rc == OUI_MORE);
        if (rc == OUI_BAD) {
            bad++;
            continue;
        }
        if (col == 1 && !assign[0] && !name[0] && !f[0])
            continue; /* blank line */
        uint64_t prefix;
        unsigned bits = oui_assignment(assign, &prefix);
        if (!bits || col < 3) {
            bad++; /* also the header line */
            continue;
        }
        size_t nlen = oui_clean_name(name);
        if (!nlen) {
            bad++;
            continue;
        }
        uint32_t off = oui_intern(db, name, nlen);
        if (off == UINT32_MAX)
            break;
        oui_add(db, bits, prefix, off);
        added++;
    }
    if (bad > 1)
        debug("oui: %lu malformed lines skipped", bad - 1);
    return added;
}

static char *oui_read_file(const char *path, size_t *len)
{
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0) {
        if (errno != ENOENT)
            debug("oui: cannot open '%s': %s", path, strerror(errno));
        return NULL;
    }
    struct stat st;
    if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode) || st.st_size > (off_t)OUI_FILE_MAX) {
        debug("oui: skipping '%s': not a regular file or too large", path);
        close(fd);
        return NULL;
    }
    size_t cap = (size_t)st.st_size + 1, n = 0;
    char *buf = xmalloc(cap);
    /* Read no more than the size fstat gave plus one byte: a file that grows
     * while we read is cut there, never read past the cap. */
    while (n < cap) {
        ssize_t r = read(fd, buf + n, cap - n);
        if (r < 0 && errno == EINTR)
            continue;
        if (r <= 0)
            break;
        n += (size_t)r;
    }
    close(fd);
    *len = n;
    return buf;
}

static int oui_entry_cmp(const void *a, const void *b)
{
    const struct oui_entry *x = a, *y = b;
    if (x->prefix != y->prefix)
        return x->prefix < y->prefix ? -1 : 1;
    return (x->name > y->name) - (x->name < y->name);
}

/* Sorts a table and drops repeated prefixes (the IEEE lists a handful of
 * MA-S blocks in both oui36.csv and iab.csv), keeping one deterministically. */
static void oui_table_finish(struct oui_table *t)
{
    if (!t->n)
        return;
    qsort(t->v, t->n, sizeof(*t->v), oui_entry_cmp);
    size_t w = 1;
    for (size_t i = 1; i < t->n; i++)
        if (t->v[i].prefix != t->v[w - 1].prefix)
            t->v[w++] = t->v[i];
    t->n = w;
    t->v = xrealloc(t->v, t->n * sizeof(*t->v));
    t->cap = t->n;
}

struct oui_db *oui_load(const char *dir, unsigned long *loaded)
{
    static const char *const files[] = {"oui.csv", "mam.csv", "oui36.csv", "iab.csv"};
    struct oui_db *db = xcalloc(1, sizeof(*db));
    unsigned long total = 0;

    if (!dir)
        dir = getenv("MAMORI_IEEE_DATA");
    if (!dir || !*dir)
        dir = OUI_DEFAULT_DIR;
    for (size_t i = 0; i < ARRAY_SIZE(files); i++) {
        char path[PATH_MAX];
        if ((size_t)snprintf(path, sizeof(path), "%s/%s", dir, files[i]) >= sizeof(path))
            continue;
        size_t len;
        char *buf = oui_read_file(path, &len);
        if (!buf)
            continue;
        total += oui_parse(db, buf, len);
        free(buf);
    }
    for (int k = 0; k < OUI_TABLES; k++)
        oui_table_finish(&db->t[k]);
    free(db->names);
    db->names = NULL;
    db->names_cap = db->names_n = 0;
    if (db->arena_len) {
        db->arena = xrealloc(db->arena, db->arena_len);
        db->arena_cap = db->arena_len;
    }
    if (loaded)
        *loaded = total;
    return db;
}

void oui_free(struct oui_db *db)
{
    if (!db)
        return;
    for (int k = 0; k < OUI_TABLES; k++)
        free(db->t[k].v);
    free(db->arena);
    free(db->names);
    free(db);
}

const char *oui_lookup(const struct oui_db *db, const uint8_t mac[6])
{
    if (!db || mac_is_local_admin(mac) || mac_is_group(mac))
        return NULL;
    uint64_t m = 0;
    for (int i = 0; i < 6; i++)
        m = m << 8 | mac[i];
    for (int k = 0; k < OUI_TABLES; k++) {
        const struct oui_table *t = &db->t[k];
        uint64_t key = m >> (48 - oui_bits[k]);
        size_t lo = 0, hi = t->n;
        while (lo < hi) {
            size_t mid = lo + (hi - lo) / 2;
            if (t->v[mid].prefix == key)
                return db->arena + t->v[mid].name;
            if (t->v[mid].prefix < key)
                lo = mid + 1;
            else
                hi = mid;
        }
    }
    return NULL;
}
