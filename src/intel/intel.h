/* intel.h - threat lists: loading them in the formats people publish them
 * in, looking addresses, names, URLs and TLS fingerprints up in them, and
 * the directory they are kept in.
 *
 * Lookup structures (built once at load; the sensor only reads them):
 *  - IP/CIDR entries: a sorted interval table per address family (see
 *    intel-radix.c for why this and not a pointer trie). CIDR blocks are
 *    either nested or disjoint, so sorted by start they form a forest; each
 *    entry keeps the index of the nearest entry containing it. A lookup is
 *    one binary search plus a walk up that chain (at most the nesting depth).
 *  - domains, URL keys, hosts of listed URLs, JA3 hashes: open-addressing
 *    hash sets over one string pool; the same value on several lists is a
 *    chain of entries, so `intel check` can name every list.
 *
 * Domains match with their parents down to the registrable domain
 * (a.b.evil.example matches a listed evil.example; "com" is never looked
 * up). URLs are compared in a normal form: host lower case, trailing dot,
 * userinfo, default port (80/443) and fragment dropped, empty path "/", the
 * scheme left out (the sensor sees http:// while lists mostly say https://
 * for the same page).
 */
#ifndef MAMORI_INTEL_H
#define MAMORI_INTEL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "decode/packet.h"

enum intel_format {
    INTEL_FMT_AUTO = 0, /* detect from the content */
    INTEL_FMT_IP,       /* one IP or CIDR a line (v4/v6), text after it ignored */
    INTEL_FMT_DOMAIN,   /* one domain a line, or hosts-file lines "0.0.0.0 name" */
    INTEL_FMT_URL,      /* one URL a line */
    INTEL_FMT_JA3,      /* one JA3 md5 a line */
    INTEL_FMT_FEODO,    /* abuse.ch Feodo Tracker CSV (first_seen,dst_ip,dst_port,...,malware) */
    INTEL_FMT_URLHAUS,  /* abuse.ch URLhaus CSV (quoted; id,dateadded,url,...) */
    INTEL_FMT_DROP,     /* Spamhaus DROP: "CIDR ; SBLnnn" */
    INTEL_FMT_JPCERT,   /* JPCERT/CC phishing URL CSV: date,URL,description */
    INTEL_FMT_IPSUM,    /* IPsum: IP<TAB>count */
    INTEL_FMT_SSLBL,    /* abuse.ch SSLBL JA3 CSV: ja3_md5,first,last,reason */
    INTEL_FMT_MAX
};

/* "auto", "ip", "domain", "url", "ja3", "feodo", "urlhaus", "drop",
 * "jpcert", "ipsum", "sslbl". */
const char *intel_format_name(enum intel_format f);
/* Parses those names; -1 if unknown. */
int intel_format_parse(const char *s);
/* Detects the format from the first lines; INTEL_FMT_AUTO when unsure. */
enum intel_format intel_detect_format(const char *buf, size_t len);

enum intel_kind { INTEL_IP = 0, INTEL_DOMAIN, INTEL_URL, INTEL_URL_HOST, INTEL_JA3, INTEL_KINDS };
/* "ip", "domain", "url", "url-host", "ja3". */
const char *intel_kind_name(enum intel_kind k);

#define INTEL_NAME_MAX 48           /* list names: [A-Za-z0-9_.-], 1..48, not starting '.' */
#define INTEL_MAX_LISTS 1024
#define INTEL_MAX_FILE (512u << 20) /* bytes of one list */
#define INTEL_MAX_LINE 8192         /* a longer line is a bad line */
#define INTEL_MAX_ENTRIES (64u << 20) /* entries over all lists */
#define INTEL_IPSUM_MIN_DEFAULT 3

struct intel_load_opts {
    enum intel_format format; /* INTEL_FMT_AUTO: detect */
    uint32_t ipsum_min;       /* IPsum: keep IPs on at least this many blocklists */
};

void intel_load_opts_default(struct intel_load_opts *o);

struct intel_load_result {
    enum intel_format format; /* as detected or forced */
    uint64_t lines;           /* data lines (not blank, not comments, not headers) */
    uint64_t entries;         /* entries added */
    uint64_t skipped;         /* fine but left out: below the IPsum minimum, a public
                               * suffix, localhost, a duplicate */
    uint64_t bad;             /* lines not understood */
    uint64_t first_bad;       /* line number of the first bad line, 0 if none */
};

struct intel_db;

struct intel_db *intel_db_new(void);
void intel_db_free(struct intel_db *db);

/* Parses buf (len bytes, need not be NUL-terminated) as a list called name
 * and adds its entries. Returns the list's index, or -1 with a one-line
 * reason in err and nothing added: unknown format, no entries, more bad
 * lines than good ones ("mostly garbage"), too many lists or entries. */
int intel_db_add_list(struct intel_db *db, const char *name, const char *buf, size_t len,
                      const struct intel_load_opts *o, struct intel_load_result *r, char *err,
                      size_t errlen);

/* What a lookup found. entry may point into buf: do not copy the struct
 * and keep using entry. */
struct intel_match {
    const char *list;  /* the list's name */
    const char *entry; /* the listed entry: CIDR, domain, normal-form URL, JA3 */
    const char *note;  /* what the list says about it (brand, malware, SBL id), "" if none */
    enum intel_kind kind;
    char buf[64];
};

/* Whether the db holds any entry of that kind (a fast exit for the
 * detector). */
bool intel_has(const struct intel_db *db, enum intel_kind k);
/* The most specific CIDR containing a. */
bool intel_match_ip(const struct intel_db *db, const struct ip_addr *a, struct intel_match *m);
/* name (any case, trailing dot allowed) or one of its parents down to the
 * registrable domain. */
bool intel_match_domain(const struct intel_db *db, const char *name, struct intel_match *m);
/* A full URL (any scheme, or none); normalised first. */
bool intel_match_url(const struct intel_db *db, const char *url, struct intel_match *m);
/* name is exactly the host of a listed URL. */
bool intel_match_url_host(const struct intel_db *db, const char *name, struct intel_match *m);
/* 32 hex digits, any case. */
bool intel_match_ja3(const struct intel_db *db, const char *md5, struct intel_match *m);

/* Every list holding value (an IP, CIDR-less; a domain; a URL; a JA3): fn (may be NULL)
 * once per (list, entry). Returns how many. */
typedef void (*intel_each_fn)(void *arg, const struct intel_match *m);
unsigned intel_check(const struct intel_db *db, const char *value, intel_each_fn fn, void *arg);

uint64_t intel_db_entries(const struct intel_db *db);
/* Bytes allocated by the lookup structures. */
size_t intel_db_mem(const struct intel_db *db);
unsigned intel_db_nlists(const struct intel_db *db);

/* Normal forms. intel_norm_domain: lower case, no trailing dot, no leading
 * "*." or "."; checks the characters and label lengths and wants a dot.
 * Returns 0 or -1. out needs 254 bytes. */
int intel_norm_domain(const char *in, size_t len, char *out, size_t outlen);
/* URL key (see the top comment) and its host. Returns 0 or -1. */
int intel_norm_url(const char *in, size_t len, char *out, size_t outlen, char *host,
                   size_t hostlen);
/* Whether a normal-form domain is a public suffix ("com", "co.jp"). */
bool intel_is_public_suffix(const char *name);

/* --- the list directory (intel-store.c) --- */

struct intel_source {
    char name[INTEL_NAME_MAX + 1];
    char origin[1024];   /* the file or URL it came from */
    char format[16];     /* intel_format_name() */
    int64_t fetched;     /* Unix time of the last successful fetch */
    uint64_t entries;
    char sha256[65];     /* of NAME.list */
};

struct intel_sources {
    struct intel_source *v;
    unsigned n;
};

bool intel_name_ok(const char *name);
/* "intel" in the database's directory. */
void intel_default_dir(const char *db, char *out, size_t outlen);
/* Reads DIR/sources.tsv (absent: 0 sources, returns 0). -1 with err. */
int intel_sources_read(const char *dir, struct intel_sources *s, char *err, size_t errlen);
/* Writes DIR/sources.tsv atomically (temp file, fsync, rename). */
int intel_sources_write(const char *dir, const struct intel_sources *s, char *err,
                        size_t errlen);
void intel_sources_free(struct intel_sources *s);
struct intel_source *intel_sources_find(struct intel_sources *s, const char *name);
/* Writes DIR/NAME.list atomically, creating DIR if needed. */
int intel_store_put(const char *dir, const char *name, const void *buf, size_t len, char *err,
                    size_t errlen);
/* Reads a whole file (at most max bytes, else an error). *buf is malloc'd
 * and NUL-terminated. */
int intel_read_file(const char *path, size_t max, char **buf, size_t *len, char *err,
                    size_t errlen);
void intel_sha256_hex(const void *buf, size_t len, char out[65]);
/* Loads every list of dir into db: those in sources.tsv with their recorded
 * format, or, without an index, every regular file (format detected, named
 * after the file without its extension). A list that fails to load is
 * reported with warning() and skipped. Returns the number of lists loaded,
 * or -1 with err when dir cannot be read (a missing dir is 0 unless
 * must_exist). */
int intel_store_load(struct intel_db *db, const char *dir, uint32_t ipsum_min, bool must_exist,
                     char *err, size_t errlen);

/* --- fetching (intel-fetch.c) --- */

/* Fetches url (http, https, file) into a malloc'd buffer of at most max
 * bytes: time-outs, HTTPS verified, redirects followed (5 at most). Returns
 * 0, or -1 with a one-line reason. */
int intel_fetch(const char *url, size_t max, char **buf, size_t *len, char *err, size_t errlen);
/* Whether s looks like a URL to fetch (has a scheme) rather than a path. */
bool intel_is_url(const char *s);

/* --- for the loaders (intel-load.c -> intel.c) --- */

struct intel_item {
    enum intel_kind kind;
    struct ip_addr ip; /* INTEL_IP: network address (IPv4 mapped) */
    uint8_t bits;      /* INTEL_IP: prefix length over the 128-bit form */
    const char *str;   /* other kinds: the normal-form value */
    const char *host;  /* INTEL_URL: its host (also added as INTEL_URL_HOST) */
    const char *note;  /* "" or a note */
};
/* Returns 1 added, 0 skipped (duplicate, public suffix), -1 out of room. */
typedef int (*intel_item_fn)(void *arg, const struct intel_item *it);
/* Parses buf in format f (not AUTO), calling fn for every entry. Fills r. */
void intel_parse(const char *buf, size_t len, enum intel_format f, uint32_t ipsum_min,
                 intel_item_fn fn, void *arg, struct intel_load_result *r);

/* The CIDR table (intel-radix.c). */
struct intel_cidrs;
struct intel_cidrs *intel_cidrs_new(void);
void intel_cidrs_free(struct intel_cidrs *t);
/* Adds a network (bits over the 128-bit form; IPv4 mapped has bits >= 96). */
void intel_cidrs_add(struct intel_cidrs *t, const struct ip_addr *net, uint8_t bits,
                     uint16_t list, uint32_t note);
/* Sorts and links; needed after adds and before lookups. */
void intel_cidrs_seal(struct intel_cidrs *t);
/* Calls fn for the containing entries, most specific first, until it
 * returns false. Returns how many were visited. */
typedef bool (*intel_cidr_fn)(void *arg, const struct ip_addr *net, uint8_t bits, uint16_t list,
                              uint32_t note);
unsigned intel_cidrs_find(const struct intel_cidrs *t, const struct ip_addr *a, intel_cidr_fn fn,
                          void *arg);
size_t intel_cidrs_count(const struct intel_cidrs *t);
size_t intel_cidrs_mem(const struct intel_cidrs *t);

#endif
