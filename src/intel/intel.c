/* intel.c - the threat-list database: lists, the string sets (domains, URL
 * keys, hosts of listed URLs, JA3 hashes), lookups and normal forms.
 *
 * String sets: open addressing with linear probing over 32-bit slots (entry
 * index + 1), at most half full. Entries keep their string's 32-bit hash so
 * most probes never touch the string pool. All strings (values, notes, list
 * names) live in one pool addressed by 32-bit offsets; notes are interned
 * (a JPCERT month repeats a dozen brand names thousands of times).
 */
#include <ctype.h>
#include <libpsl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "decode/decode.h"
#include "intel/intel.h"
#include "util/netaddr.h"
#include "util/util.h"

#define SSET_NONE UINT32_MAX

struct sent {
    uint32_t str;  /* pool offset */
    uint32_t hash;
    uint32_t next; /* next entry with the same string (another list), SSET_NONE */
    uint32_t note; /* pool offset, 0: none */
    uint16_t list;
};

struct sset {
    uint32_t *slots; /* entry index + 1, 0 empty */
    uint32_t cap;    /* power of two */
    uint32_t n;      /* distinct strings */
};

struct intel_list {
    uint32_t name; /* pool offset */
    enum intel_format format;
    uint64_t entries;
};

struct intel_db {
    char *pool;
    size_t pool_len, pool_cap;
    struct sent *ents;
    size_t nents, cap_ents;
    struct sset sets[INTEL_KINDS]; /* INTEL_IP unused: CIDRs go to cidrs */
    struct sset notes;             /* interned notes (entries with list 0) */
    struct intel_cidrs *cidrs;
    struct intel_list *lists;
    unsigned nlists;
    uint64_t entries;
};

static const char *const format_names[INTEL_FMT_MAX] = {
    "auto", "ip", "domain", "url", "ja3", "feodo", "urlhaus", "drop", "jpcert", "ipsum", "sslbl",
};

const char *intel_format_name(enum intel_format f)
{
    return (unsigned)f < INTEL_FMT_MAX ? format_names[f] : "?";
}

int intel_format_parse(const char *s)
{
    for (int i = 0; i < INTEL_FMT_MAX; i++)
        if (strcmp(s, format_names[i]) == 0)
            return i;
    return -1;
}

const char *intel_kind_name(enum intel_kind k)
{
    static const char *const names[INTEL_KINDS] = {"ip", "domain", "url", "url-host", "ja3"};
    return (unsigned)k < INTEL_KINDS ? names[k] : "?";
}

void intel_load_opts_default(struct intel_load_opts *o)
{
    o->format = INTEL_FMT_AUTO;
    o->ipsum_min = INTEL_IPSUM_MIN_DEFAULT;
}

/* FNV-1a, 32 bits: short strings, one pass, good enough spread with the
 * half-full table. */
static uint32_t str_hash(const char *s)
{
    uint32_t h = 2166136261u;
    for (; *s; s++) {
        h ^= (uint8_t)*s;
        h *= 16777619u;
    }
    return h;
}

static uint32_t pool_add(struct intel_db *db, const char *s)
{
    size_t n = strlen(s) + 1;
    if (db->pool_len + n > UINT32_MAX)
        die("intel: string pool full");
    if (db->pool_len + n > db->pool_cap) {
        size_t cap = db->pool_cap ? db->pool_cap : 1 << 16;
        while (cap < db->pool_len + n)
            cap *= 2;
        db->pool = xrealloc(db->pool, cap);
        db->pool_cap = cap;
    }
    memcpy(db->pool + db->pool_len, s, n);
    uint32_t off = (uint32_t)db->pool_len;
    db->pool_len += n;
    return off;
}

struct intel_db *intel_db_new(void)
{
    struct intel_db *db = xcalloc(1, sizeof(*db));
    pool_add(db, ""); /* offset 0: the empty string, "no note" */
    db->cidrs = intel_cidrs_new();
    return db;
}

void intel_db_free(struct intel_db *db)
{
    if (!db)
        return;
    free(db->pool);
    free(db->ents);
    for (int k = 0; k < INTEL_KINDS; k++)
        free(db->sets[k].slots);
    free(db->notes.slots);
    intel_cidrs_free(db->cidrs);
    free(db->lists);
    free(db);
}

/* The first entry whose string is s, or SSET_NONE. */
static uint32_t sset_find(const struct intel_db *db, const struct sset *set, const char *s,
                          uint32_t h)
{
    if (!set->cap)
        return SSET_NONE;
    uint32_t mask = set->cap - 1;
    for (uint32_t i = h & mask, probes = 0; probes < set->cap; i = (i + 1) & mask, probes++) {
        uint32_t e = set->slots[i];
        if (!e)
            return SSET_NONE;
        const struct sent *en = &db->ents[e - 1];
        if (en->hash == h && strcmp(db->pool + en->str, s) == 0)
            return e - 1;
    }
    return SSET_NONE;
}

static void sset_put_slot(struct intel_db *db, struct sset *set, uint32_t ent)
{
    uint32_t mask = set->cap - 1;
    uint32_t i = db->ents[ent].hash & mask;
    while (set->slots[i])
        i = (i + 1) & mask;
    set->slots[i] = ent + 1;
}

static void sset_grow(struct intel_db *db, struct sset *set)
{
    uint32_t *old = set->slots;
    uint32_t oldcap = set->cap;
    set->cap = oldcap ? oldcap * 2 : 1024;
    set->slots = xcalloc(set->cap, sizeof(uint32_t));
    for (uint32_t i = 0; i < oldcap; i++)
        if (old[i])
            sset_put_slot(db, set, old[i] - 1);
    free(old);
}

static uint32_t ent_new(struct intel_db *db, const char *s, uint32_t h, uint16_t list,
                        uint32_t note)
{
    if (db->nents == db->cap_ents) {
        db->cap_ents = db->cap_ents ? db->cap_ents * 2 : 1024;
        db->ents = xrealloc(db->ents, db->cap_ents * sizeof(*db->ents));
    }
    struct sent *en = &db->ents[db->nents];
    en->str = pool_add(db, s);
    en->hash = h;
    en->next = SSET_NONE;
    en->note = note;
    en->list = list;
    return (uint32_t)db->nents++;
}

/* Adds s for list; returns 1, or 0 when the list already has it. */
static int sset_add(struct intel_db *db, struct sset *set, const char *s, uint16_t list,
                    uint32_t note)
{
    uint32_t h = str_hash(s);
    uint32_t e = sset_find(db, set, s, h);
    if (e != SSET_NONE) {
        uint32_t last = e;
        for (uint32_t i = e; i != SSET_NONE; i = db->ents[i].next) {
            if (db->ents[i].list == list)
                return 0;
            last = i;
        }
        uint32_t n = ent_new(db, db->pool + db->ents[e].str, h, list, note);
        db->ents[last].next = n;
        return 1;
    }
    if ((set->n + 1) * 2 > set->cap)
        sset_grow(db, set);
    uint32_t n = ent_new(db, s, h, list, note);
    sset_put_slot(db, set, n);
    set->n++;
    return 1;
}

static uint32_t note_intern(struct intel_db *db, const char *note)
{
    if (!note || !*note)
        return 0;
    uint32_t h = str_hash(note);
    uint32_t e = sset_find(db, &db->notes, note, h);
    if (e == SSET_NONE) {
        if ((db->notes.n + 1) * 2 > db->notes.cap)
            sset_grow(db, &db->notes);
        e = ent_new(db, note, h, 0, 0);
        sset_put_slot(db, &db->notes, e);
        db->notes.n++;
    }
    return db->ents[e].str;
}

static const psl_ctx_t *intel_psl(void)
{
    return psl_builtin();
}

/* --- loading --- */

/* Sites whose hosts serve everybody's pages: a listed phishing URL on them
 * (a Google Form, a shortened link, an ad redirect) says nothing about
 * other visits to the same host, so their hosts are not matched by name.
 * Registrable domains. */
static const char *const shared_domains[] = {
    "google.com", "google.co.jp", "doubleclick.net", "googleapis.com", "googleusercontent.com",
    "goo.gl", "forms.gle", "t.co", "bit.ly", "tinyurl.com", "ow.ly", "is.gd", "x.gd",
    "microsoft.com", "live.com", "office.com", "office365.com", "sharepoint.com",
    "onedrive.com", "1drv.ms", "dropbox.com", "box.com", "github.com", "githubusercontent.com",
    "youtube.com", "facebook.com", "instagram.com", "linkedin.com", "twitter.com", "x.com",
    "line.me", "yahoo.co.jp", "yahoo.com", "apple.com", "icloud.com", "amazon.com",
    "amazon.co.jp", "rakuten.co.jp", "notion.so", "canva.com", "wixsite.com", "weebly.com",
};

/* Whether the host of the listed URL key (host/path?query) should not be
 * matched on its own: a shared site (above, or an S3 endpoint), or a URL
 * that carries another URL (an open redirect: the listed page is the
 * target, the host is innocent). */
static bool url_host_shared(const char *host, const char *key)
{
    const char *rest = key + strlen(host);
    for (const char *p = rest; *p; p++) {
        if ((p[0] == '/' && p[1] == '/') || strncasecmp(p, "%2f%2f", 6) == 0 ||
            strncasecmp(p, "http%3a", 7) == 0 || strncasecmp(p, "http:", 5) == 0 ||
            strncasecmp(p, "https:", 6) == 0)
            return true;
    }
    const psl_ctx_t *psl = intel_psl();
    const char *reg = psl ? psl_registrable_domain(psl, host) : NULL;
    if (!reg)
        return false;
    for (size_t i = 0; i < ARRAY_SIZE(shared_domains); i++)
        if (strcmp(reg, shared_domains[i]) == 0)
            return true;
    if (strcmp(reg, "amazonaws.com") == 0 &&
        (strncmp(host, "s3.", 3) == 0 || strncmp(host, "s3-", 3) == 0))
        return true;
    return false;
}

struct load_ctx {
    struct intel_db *db; /* NULL: counting pass */
    uint16_t list;
    uint64_t added;
};

static int load_item(void *arg, const struct intel_item *it)
{
    struct load_ctx *lc = arg;
    if (!lc->db) {
        /* Counting pass: public suffixes are only dropped in the real one
         * (the PSL lookup is most of a domain's load time). */
        lc->added++;
        return 1;
    }
    struct intel_db *db = lc->db;
    if (db->entries + lc->added >= INTEL_MAX_ENTRIES)
        return -1;
    uint32_t note = note_intern(db, it->note);
    int r;
    switch (it->kind) {
    case INTEL_IP:
        intel_cidrs_add(db->cidrs, &it->ip, it->bits, lc->list, note);
        r = 1;
        break;
    case INTEL_DOMAIN:
        if (intel_is_public_suffix(it->str))
            return 0; /* "com" would match everything under it */
        r = sset_add(db, &db->sets[INTEL_DOMAIN], it->str, lc->list, note);
        break;
    case INTEL_URL:
        r = sset_add(db, &db->sets[INTEL_URL], it->str, lc->list, note);
        if (r == 1 && it->host && *it->host && !intel_is_public_suffix(it->host) &&
            !url_host_shared(it->host, it->str))
            sset_add(db, &db->sets[INTEL_URL_HOST], it->host, lc->list, note);
        break;
    default:
        r = sset_add(db, &db->sets[it->kind], it->str, lc->list, note);
        break;
    }
    if (r == 1)
        lc->added++;
    return r;
}

int intel_db_add_list(struct intel_db *db, const char *name, const char *buf, size_t len,
                      const struct intel_load_opts *o, struct intel_load_result *r, char *err,
                      size_t errlen)
{
    struct intel_load_result tmp;
    if (!r)
        r = &tmp;
    memset(r, 0, sizeof(*r));
    enum intel_format f = o ? o->format : INTEL_FMT_AUTO;
    uint32_t ipsum_min = o ? o->ipsum_min : INTEL_IPSUM_MIN_DEFAULT;
    if (db->nlists >= INTEL_MAX_LISTS) {
        snprintf(err, errlen, "too many lists (at most %u)", INTEL_MAX_LISTS);
        return -1;
    }
    if (len > INTEL_MAX_FILE) {
        snprintf(err, errlen, "list too large (%zu bytes, at most %u)", len, INTEL_MAX_FILE);
        return -1;
    }
    if (f == INTEL_FMT_AUTO)
        f = intel_detect_format(buf, len);
    if (f == INTEL_FMT_AUTO || f >= INTEL_FMT_MAX) {
        snprintf(err, errlen, "cannot tell the list's format from its first lines "
                              "(name it with --format)");
        return -1;
    }
    /* Counting pass first, so a rejected list leaves nothing behind. */
    struct load_ctx lc = {.db = NULL};
    intel_parse(buf, len, f, ipsum_min, load_item, &lc, r);
    r->format = f;
    uint64_t judged = r->entries + r->bad;
    if (r->bad > 0 && r->bad * 2 > judged) {
        snprintf(err, errlen,
                 "mostly not in format %s: %llu of %llu lines not understood (first at line %llu)",
                 intel_format_name(f), (unsigned long long)r->bad,
                 (unsigned long long)(r->lines), (unsigned long long)r->first_bad);
        return -1;
    }
    if (r->entries == 0) {
        snprintf(err, errlen, "no entries found (format %s%s)", intel_format_name(f),
                 r->skipped ? ", every entry left out" : "");
        return -1;
    }
    if (db->entries + lc.added > INTEL_MAX_ENTRIES) {
        snprintf(err, errlen, "too many entries over all lists (at most %u)", INTEL_MAX_ENTRIES);
        return -1;
    }

    db->lists = xrealloc(db->lists, (db->nlists + 1) * sizeof(*db->lists));
    struct intel_list *l = &db->lists[db->nlists];
    l->name = pool_add(db, name);
    l->format = f;
    lc.db = db;
    lc.list = (uint16_t)db->nlists;
    lc.added = 0;
    struct intel_load_result r2;
    memset(&r2, 0, sizeof(r2));
    intel_parse(buf, len, f, ipsum_min, load_item, &lc, &r2);
    intel_cidrs_seal(db->cidrs);
    *r = r2;
    r->format = f;
    if (r2.entries == 0) {
        /* Every entry was a public suffix or a duplicate: nothing was added
         * (the name and notes stay in the pool, unused). */
        snprintf(err, errlen, "no entries found (format %s, every entry left out)",
                 intel_format_name(f));
        return -1;
    }
    l->entries = lc.added;
    db->entries += lc.added;
    return (int)db->nlists++;
}

/* --- normal forms --- */

bool intel_is_public_suffix(const char *name)
{
    const psl_ctx_t *psl = intel_psl();
    if (psl)
        return psl_is_public_suffix(psl, name) != 0;
    return strchr(name, '.') == NULL;
}

int intel_norm_domain(const char *in, size_t len, char *out, size_t outlen)
{
    while (len && isspace((unsigned char)*in)) {
        in++;
        len--;
    }
    while (len && isspace((unsigned char)in[len - 1]))
        len--;
    if (len >= 2 && in[0] == '*' && in[1] == '.') {
        in += 2;
        len -= 2;
    }
    while (len && in[0] == '.') {
        in++;
        len--;
    }
    if (len && in[len - 1] == '.')
        len--;
    if (len == 0 || len > 253 || len + 1 > outlen)
        return -1;
    size_t label = 0;
    bool dot = false, alpha = false;
    for (size_t i = 0; i < len; i++) {
        char c = (char)tolower((unsigned char)in[i]);
        if (c == '.') {
            if (label == 0)
                return -1;
            label = 0;
            dot = true;
        } else if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_') {
            if (++label > 63)
                return -1;
            if (c >= 'a' && c <= 'z')
                alpha = true;
        } else {
            return -1;
        }
        out[i] = c;
    }
    out[len] = '\0';
    /* A dotted quad is an address, not a name. */
    if (!dot || label == 0 || !alpha)
        return -1;
    return 0;
}

int intel_norm_url(const char *in, size_t len, char *out, size_t outlen, char *host,
                   size_t hostlen)
{
    while (len && isspace((unsigned char)*in)) {
        in++;
        len--;
    }
    while (len && isspace((unsigned char)in[len - 1]))
        len--;
    if (len == 0 || len > 4096)
        return -1;
    const char *end = in + len;
    const char *p = in;
    char scheme[16] = "http";
    const char *sep = NULL;
    for (const char *q = in; q + 2 < end && q < in + 16; q++) {
        if (q[0] == ':' && q[1] == '/' && q[2] == '/') {
            sep = q;
            break;
        }
        if (!isalnum((unsigned char)*q) && *q != '+' && *q != '-' && *q != '.')
            break;
    }
    if (sep) {
        size_t sl = (size_t)(sep - in);
        if (sl == 0 || sl >= sizeof(scheme) || !isalpha((unsigned char)in[0]))
            return -1;
        for (size_t i = 0; i < sl; i++)
            scheme[i] = (char)tolower((unsigned char)in[i]);
        scheme[sl] = '\0';
        p = sep + 3;
    }
    /* Authority: up to the first '/', '?' or '#'. */
    const char *auth = p;
    while (p < end && *p != '/' && *p != '?' && *p != '#')
        p++;
    const char *auth_end = p;
    for (const char *q = auth; q < auth_end; q++)
        if (*q == '@')
            auth = q + 1;
    const char *hs = auth, *he;
    const char *port = NULL;
    if (hs < auth_end && *hs == '[') {
        he = memchr(hs, ']', (size_t)(auth_end - hs));
        if (!he)
            return -1;
        he++;
        if (he < auth_end && *he == ':')
            port = he + 1;
    } else {
        he = hs;
        while (he < auth_end && *he != ':')
            he++;
        if (he < auth_end)
            port = he + 1;
    }
    size_t hl = (size_t)(he - hs);
    while (hl && hs[hl - 1] == '.')
        hl--;
    if (hl == 0 || hl >= hostlen || hl > 253)
        return -1;
    for (size_t i = 0; i < hl; i++) {
        unsigned char c = (unsigned char)hs[i];
        if (c <= ' ' || c == 0x7f || c == '%' || c == '\\')
            return -1;
        host[i] = (char)tolower(c);
    }
    host[hl] = '\0';
    unsigned long portnum = 0;
    if (port) {
        if (port == auth_end)
            port = NULL; /* "host:" */
        for (const char *q = port; q && q < auth_end; q++) {
            if (!isdigit((unsigned char)*q) || portnum > 65535)
                return -1;
            portnum = portnum * 10 + (unsigned long)(*q - '0');
        }
        if (port && (portnum == 0 || portnum > 65535))
            return -1;
        /* The default port of the scheme (or of either, for other schemes). */
        if ((portnum == 80 && strcmp(scheme, "https") != 0) ||
            (portnum == 443 && strcmp(scheme, "http") != 0))
            port = NULL;
    }
    const char *path = auth_end;
    const char *frag = memchr(path, '#', (size_t)(end - path));
    const char *pend = frag ? frag : end;
    int n;
    if (port)
        n = snprintf(out, outlen, "%s:%lu%s%.*s", host, portnum,
                     path == pend || *path == '?' ? "/" : "", (int)(pend - path), path);
    else
        n = snprintf(out, outlen, "%s%s%.*s", host, path == pend || *path == '?' ? "/" : "",
                     (int)(pend - path), path);
    if (n < 0 || (size_t)n >= outlen)
        return -1;
    for (char *q = out; *q; q++)
        if ((unsigned char)*q <= ' ')
            return -1;
    return 0;
}

/* --- lookups --- */

bool intel_has(const struct intel_db *db, enum intel_kind k)
{
    if (!db)
        return false;
    if (k == INTEL_IP)
        return intel_cidrs_count(db->cidrs) > 0;
    return (unsigned)k < INTEL_KINDS && db->sets[k].n > 0;
}

static void match_fill(const struct intel_db *db, const struct sent *en, enum intel_kind k,
                       struct intel_match *m)
{
    m->list = db->pool + db->lists[en->list].name;
    m->entry = db->pool + en->str;
    m->note = db->pool + en->note;
    m->kind = k;
}

static bool sset_match(const struct intel_db *db, enum intel_kind k, const char *s,
                       struct intel_match *m)
{
    uint32_t e = sset_find(db, &db->sets[k], s, str_hash(s));
    if (e == SSET_NONE)
        return false;
    match_fill(db, &db->ents[e], k, m);
    return true;
}

struct ip_first {
    const struct intel_db *db;
    struct intel_match *m;
};

static bool ip_first_cb(void *arg, const struct ip_addr *net, uint8_t bits, uint16_t list,
                        uint32_t note)
{
    struct ip_first *f = arg;
    struct intel_match *m = f->m;
    char ip[48];
    ip_addr_fmt(net, ip, sizeof(ip));
    bool v4 = ip_addr_is_v4(net);
    unsigned b = v4 ? bits - 96u : bits;
    if ((v4 && b == 32) || (!v4 && b == 128))
        snprintf(m->buf, sizeof(m->buf), "%s", ip);
    else
        snprintf(m->buf, sizeof(m->buf), "%s/%u", ip, b);
    m->entry = m->buf;
    m->list = f->db->pool + f->db->lists[list].name;
    m->note = f->db->pool + note;
    m->kind = INTEL_IP;
    return false;
}

bool intel_match_ip(const struct intel_db *db, const struct ip_addr *a, struct intel_match *m)
{
    if (!db || !intel_cidrs_count(db->cidrs))
        return false;
    struct ip_first f = {db, m};
    return intel_cidrs_find(db->cidrs, a, ip_first_cb, &f) > 0;
}

/* Calls fn(db, k, candidate, m) for name and its parents down to the
 * registrable domain; stops at the first match. */
static bool domain_walk(const struct intel_db *db, enum intel_kind k, const char *name,
                        struct intel_match *m, bool parents)
{
    char norm[256];
    if (!db || !db->sets[k].n || intel_norm_domain(name, strlen(name), norm, sizeof(norm)) < 0)
        return false;
    if (!parents)
        return sset_match(db, k, norm, m);
    /* The name and its parents with two labels or more. Public suffixes
     * ("co.jp", "blogspot.com") are never loaded, so no match can come from
     * above the registrable domain, and no PSL lookup is needed here. */
    const char *p = norm;
    for (int guard = 0; guard < 128 && p; guard++) {
        const char *dot = strchr(p, '.');
        if (!dot)
            break;
        if (sset_match(db, k, p, m))
            return true;
        p = dot + 1;
    }
    return false;
}

bool intel_match_domain(const struct intel_db *db, const char *name, struct intel_match *m)
{
    return domain_walk(db, INTEL_DOMAIN, name, m, true);
}

bool intel_match_url_host(const struct intel_db *db, const char *name, struct intel_match *m)
{
    return domain_walk(db, INTEL_URL_HOST, name, m, false);
}

bool intel_match_url(const struct intel_db *db, const char *url, struct intel_match *m)
{
    if (!db || !db->sets[INTEL_URL].n)
        return false;
    char key[4200], host[256];
    if (intel_norm_url(url, strlen(url), key, sizeof(key), host, sizeof(host)) < 0)
        return false;
    return sset_match(db, INTEL_URL, key, m);
}

static bool ja3_norm(const char *in, char out[33])
{
    size_t n = strlen(in);
    if (n != 32)
        return false;
    for (size_t i = 0; i < 32; i++) {
        char c = (char)tolower((unsigned char)in[i]);
        if (!isxdigit((unsigned char)c))
            return false;
        out[i] = c;
    }
    out[32] = '\0';
    return true;
}

bool intel_match_ja3(const struct intel_db *db, const char *md5, struct intel_match *m)
{
    char h[33];
    if (!db || !db->sets[INTEL_JA3].n || !ja3_norm(md5, h))
        return false;
    return sset_match(db, INTEL_JA3, h, m);
}

/* --- intel check: every list --- */

struct check_ctx {
    const struct intel_db *db;
    intel_each_fn fn;
    void *arg;
    unsigned n;
};

static bool check_ip_cb(void *arg, const struct ip_addr *net, uint8_t bits, uint16_t list,
                        uint32_t note)
{
    struct check_ctx *c = arg;
    struct intel_match m;
    struct ip_first f = {c->db, &m};
    ip_first_cb(&f, net, bits, list, note);
    if (c->fn)
        c->fn(c->arg, &m);
    c->n++;
    return true;
}

static void check_chain(struct check_ctx *c, enum intel_kind k, const char *s)
{
    uint32_t e = sset_find(c->db, &c->db->sets[k], s, str_hash(s));
    for (; e != SSET_NONE; e = c->db->ents[e].next) {
        struct intel_match m;
        match_fill(c->db, &c->db->ents[e], k, &m);
        if (c->fn)
            c->fn(c->arg, &m);
        c->n++;
    }
}

unsigned intel_check(const struct intel_db *db, const char *value, intel_each_fn fn, void *arg)
{
    struct check_ctx c = {db, fn, arg, 0};
    struct ip_addr ip;
    char norm[4200], host[256];
    if (ip_addr_parse(value, &ip) == 0) {
        intel_cidrs_find(db->cidrs, &ip, check_ip_cb, &c);
        return c.n;
    }
    if (ja3_norm(value, norm)) {
        check_chain(&c, INTEL_JA3, norm);
        return c.n;
    }
    if (intel_norm_domain(value, strlen(value), norm, sizeof(norm)) == 0) {
        const psl_ctx_t *psl = intel_psl();
        const char *reg = psl ? psl_registrable_domain(psl, norm) : NULL;
        for (const char *p = norm; reg && p;) {
            check_chain(&c, INTEL_DOMAIN, p);
            if (p >= reg)
                break;
            const char *dot = strchr(p, '.');
            p = dot ? dot + 1 : NULL;
        }
        check_chain(&c, INTEL_URL_HOST, norm);
        return c.n;
    }
    if (intel_norm_url(value, strlen(value), norm, sizeof(norm), host, sizeof(host)) == 0) {
        check_chain(&c, INTEL_URL, norm);
        /* The host's own entries too: what the sensor would match by name. */
        struct ip_addr hip;
        if (ip_addr_parse(host, &hip) == 0) {
            intel_cidrs_find(db->cidrs, &hip, check_ip_cb, &c);
        } else {
            char hn[256];
            if (intel_norm_domain(host, strlen(host), hn, sizeof(hn)) == 0) {
                const psl_ctx_t *psl = intel_psl();
                const char *reg = psl ? psl_registrable_domain(psl, hn) : NULL;
                for (const char *p = hn; reg && p;) {
                    check_chain(&c, INTEL_DOMAIN, p);
                    if (p >= reg)
                        break;
                    const char *dot = strchr(p, '.');
                    p = dot ? dot + 1 : NULL;
                }
                check_chain(&c, INTEL_URL_HOST, hn);
            }
        }
    }
    return c.n;
}

uint64_t intel_db_entries(const struct intel_db *db)
{
    return db ? db->entries : 0;
}

size_t intel_db_mem(const struct intel_db *db)
{
    size_t n = sizeof(*db) + db->pool_cap + db->cap_ents * sizeof(*db->ents) +
               db->notes.cap * sizeof(uint32_t) + intel_cidrs_mem(db->cidrs) +
               db->nlists * sizeof(*db->lists);
    for (int k = 0; k < INTEL_KINDS; k++)
        n += db->sets[k].cap * sizeof(uint32_t);
    return n;
}

unsigned intel_db_nlists(const struct intel_db *db)
{
    return db ? db->nlists : 0;
}
