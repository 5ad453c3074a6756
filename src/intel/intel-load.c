/* intel-load.c - reading threat lists in the formats they are published in,
 * and telling those formats apart from the first lines.
 *
 * Every format is line based. A line that cannot be read is counted (bad,
 * with the first line number) and skipped; intel_db_add_list() rejects a
 * list with more bad lines than entries. Lines longer than INTEL_MAX_LINE
 * are bad. '#' starts a comment line in every format (';' too in DROP);
 * CSV header lines are recognised and used to find the columns.
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "intel/intel.h"
#include "util/netaddr.h"
#include "util/util.h"

#define LOAD_MAX_FIELDS 32

/* Column positions learnt from a CSV header (-1: unknown). */
struct csv_cols {
    int ip, url, note, note2;
};

struct parse_state {
    enum intel_format f;
    uint32_t ipsum_min;
    intel_item_fn fn;
    void *arg;
    struct intel_load_result *r;
    struct csv_cols cols;
};

static bool ci_contains(const char *hay, const char *needle)
{
    size_t n = strlen(needle);
    for (const char *p = hay; *p; p++) {
        size_t i = 0;
        while (i < n && p[i] && tolower((unsigned char)p[i]) == needle[i])
            i++;
        if (i == n)
            return true;
    }
    return false;
}

static char *trim(char *s)
{
    while (*s && isspace((unsigned char)*s))
        s++;
    size_t n = strlen(s);
    while (n && isspace((unsigned char)s[n - 1]))
        s[--n] = '\0';
    return s;
}

/* Splits a CSV line in place ("quoted", "" inside quotes); returns the
 * number of fields (at most max). */
static int csv_split(char *line, char **fields, int max)
{
    int n = 0;
    char *p = line;
    while (n < max) {
        while (*p == ' ' || *p == '\t')
            p++;
        if (*p == '"') {
            char *w = ++p;
            fields[n++] = w;
            while (*p) {
                if (*p == '"' && p[1] == '"') {
                    *w++ = '"';
                    p += 2;
                } else if (*p == '"') {
                    p++;
                    break;
                } else {
                    *w++ = *p++;
                }
            }
            while (*p && *p != ',')
                p++;
            bool more = *p == ',';
            *w = '\0';
            if (!more)
                break;
            p++;
        } else {
            fields[n++] = p;
            char *c = strchr(p, ',');
            if (!c)
                break;
            *c = '\0';
            p = c + 1;
        }
    }
    for (int i = 0; i < n; i++)
        fields[i] = trim(fields[i]);
    return n;
}

/* "a.b.c.d", "a.b.c.d/n", "v6", "v6/n": the network and its prefix over
 * the 128-bit form. */
static int parse_cidr(const char *tok, struct ip_addr *ip, uint8_t *bits)
{
    char buf[64];
    size_t n = strlen(tok);
    if (n == 0 || n >= sizeof(buf))
        return -1;
    memcpy(buf, tok, n + 1);
    char *slash = strchr(buf, '/');
    long plen = -1;
    if (slash) {
        *slash = '\0';
        char *end;
        if (!isdigit((unsigned char)slash[1]))
            return -1;
        plen = strtol(slash + 1, &end, 10);
        if (*end)
            return -1;
    }
    if (ip_addr_parse(buf, ip) < 0)
        return -1;
    bool v4 = strchr(buf, ':') == NULL;
    long max = v4 ? 32 : 128;
    if (plen < 0)
        plen = max;
    if (plen > max)
        return -1;
    *bits = (uint8_t)(v4 ? plen + 96 : plen);
    return 0;
}

/* isspace() of the C locale. */
static bool is_blank(char c)
{
    return c == ' ' || (c >= '\t' && c <= '\r');
}

/* The next token of s: blanks skipped, then up to a blank, one of delims
 * or the end. The delimiters are looked up in a table made once per call:
 * a strchr(delims) and an isspace() call per character were a sixth of
 * loading a million-entry list. */
static const char *token(const char *s, const char *delims, char *out, size_t outlen)
{
    bool stop[256] = {[0] = true};
    for (; *delims; delims++)
        stop[(unsigned char)*delims] = true;
    while (*s && is_blank(*s))
        s++;
    size_t n = 0;
    while (!stop[(unsigned char)s[n]] && !is_blank(s[n]))
        n++;
    if (n >= outlen)
        n = 0; /* too long: an empty token, which nothing accepts */
    memcpy(out, s, n);
    out[n] = '\0';
    return s + n;
}

static bool is_md5(const char *s)
{
    size_t n = 0;
    for (; s[n]; n++)
        if (!isxdigit((unsigned char)s[n]))
            return false;
    return n == 32;
}

static int emit(struct parse_state *ps, const struct intel_item *it)
{
    int r = ps->fn(ps->arg, it);
    if (r == 1)
        ps->r->entries++;
    else
        ps->r->skipped++;
    return r < 0 ? -1 : 1;
}

static int emit_ip(struct parse_state *ps, const char *tok, const char *note)
{
    struct intel_item it = {.kind = INTEL_IP, .note = note};
    if (parse_cidr(tok, &it.ip, &it.bits) < 0)
        return 0;
    return emit(ps, &it);
}

static int emit_domain(struct parse_state *ps, const char *name, const char *note)
{
    char norm[256];
    if (intel_norm_domain(name, strlen(name), norm, sizeof(norm)) < 0)
        return 0;
    struct intel_item it = {.kind = INTEL_DOMAIN, .str = norm, .note = note};
    return emit(ps, &it);
}

static int emit_url(struct parse_state *ps, const char *url, const char *note)
{
    char key[INTEL_MAX_LINE + 64], host[256];
    if (intel_norm_url(url, strlen(url), key, sizeof(key), host, sizeof(host)) < 0)
        return 0;
    struct intel_item it = {.kind = INTEL_URL, .str = key, .host = host, .note = note};
    return emit(ps, &it);
}

static int emit_ja3(struct parse_state *ps, const char *md5, const char *note)
{
    if (!is_md5(md5))
        return 0;
    char h[33];
    for (int i = 0; i < 32; i++)
        h[i] = (char)tolower((unsigned char)md5[i]);
    h[32] = '\0';
    struct intel_item it = {.kind = INTEL_JA3, .str = h, .note = note};
    return emit(ps, &it);
}

/* A CSV header (possibly in a '#' comment): learns the columns. Returns
 * true when the line was one. */
static bool csv_header(struct parse_state *ps, char *line)
{
    char *s = line;
    while (*s == '#' || *s == ' ')
        s++;
    if (!strchr(s, ','))
        return false;
    char copy[INTEL_MAX_LINE + 1];
    snprintf(copy, sizeof(copy), "%s", s);
    char *fields[LOAD_MAX_FIELDS];
    int n = csv_split(copy, fields, LOAD_MAX_FIELDS);
    struct csv_cols c = {-1, -1, -1, -1};
    bool any = false;
    for (int i = 0; i < n; i++) {
        char *f = fields[i];
        for (char *q = f; *q; q++)
            *q = (char)tolower((unsigned char)*q);
        if (!strcmp(f, "dst_ip") || !strcmp(f, "dstip") || !strcmp(f, "ip_address") ||
            !strcmp(f, "ip"))
            c.ip = i, any = true;
        else if (!strcmp(f, "url"))
            c.url = i, any = true;
        else if (!strcmp(f, "malware") || !strcmp(f, "tags") || !strcmp(f, "listingreason") ||
                 !strcmp(f, "listing_reason") || !strcmp(f, "description"))
            c.note = i, any = true;
        else if (!strcmp(f, "threat"))
            c.note2 = i, any = true;
        else if (!strcmp(f, "ja3_md5") || !strcmp(f, "id") || !strcmp(f, "dateadded") ||
                 !strcmp(f, "first_seen_utc") || !strcmp(f, "firstseen") || !strcmp(f, "date"))
            any = true;
    }
    if (!any)
        return false;
    ps->cols = c;
    return true;
}

static const char *field_or(char **fields, int n, int col)
{
    return col >= 0 && col < n ? fields[col] : "";
}

/* One data line (trimmed, not a comment). 1 entry or skipped, 0 bad. */
static int parse_line(struct parse_state *ps, char *line)
{
    char tok[INTEL_MAX_LINE + 1], tok2[INTEL_MAX_LINE + 1];
    char *fields[LOAD_MAX_FIELDS];
    int n;
    const char *rest;
    switch (ps->f) {
    case INTEL_FMT_IP:
        token(line, ",;#", tok, sizeof(tok));
        return emit_ip(ps, tok, "");
    case INTEL_FMT_DROP: {
        rest = token(line, ";#", tok, sizeof(tok));
        const char *semi = strchr(rest, ';');
        char note[64] = "";
        if (semi)
            token(semi + 1, ";#", note, sizeof(note));
        return emit_ip(ps, tok, note);
    }
    case INTEL_FMT_IPSUM: {
        rest = token(line, "", tok, sizeof(tok));
        token(rest, "", tok2, sizeof(tok2));
        uint64_t count;
        if (parse_u64(tok2, &count) < 0)
            return 0;
        if (count < ps->ipsum_min) {
            struct ip_addr ip;
            uint8_t bits;
            if (parse_cidr(tok, &ip, &bits) < 0)
                return 0;
            ps->r->skipped++;
            return 1;
        }
        return emit_ip(ps, tok, "");
    }
    case INTEL_FMT_DOMAIN: {
        if (line[0] == '|' && line[1] == '|')
            line += 2; /* adblock "||name^" */
        rest = token(line, "#^$", tok, sizeof(tok));
        struct ip_addr ip;
        if (ip_addr_parse(tok, &ip) == 0) {
            /* hosts file: "0.0.0.0 name [name...]": the first name. */
            token(rest, "#", tok2, sizeof(tok2));
            if (!tok2[0])
                return 0;
            if (!strchr(tok2, '.') || !strcmp(tok2, "localhost.localdomain") ||
                ip_addr_parse(tok2, &ip) == 0) {
                ps->r->skipped++; /* localhost, broadcasthost, 0.0.0.0 0.0.0.0 */
                return 1;
            }
            return emit_domain(ps, tok2, "");
        }
        return emit_domain(ps, tok, "");
    }
    case INTEL_FMT_URL:
        token(line, "", tok, sizeof(tok));
        return emit_url(ps, tok, "");
    case INTEL_FMT_JA3:
        token(line, ",;#", tok, sizeof(tok));
        return emit_ja3(ps, tok, "");
    case INTEL_FMT_SSLBL:
        n = csv_split(line, fields, LOAD_MAX_FIELDS);
        return emit_ja3(ps, fields[0], n >= 4 ? fields[3] : "");
    case INTEL_FMT_FEODO: {
        n = csv_split(line, fields, LOAD_MAX_FIELDS);
        const char *ip = field_or(fields, n, ps->cols.ip);
        if (ps->cols.ip < 0) {
            struct ip_addr a;
            for (int i = 0; i < n && !*ip; i++)
                if (ip_addr_parse(fields[i], &a) == 0)
                    ip = fields[i];
        }
        if (!*ip || strchr(ip, '/'))
            return 0;
        return emit_ip(ps, ip, field_or(fields, n, ps->cols.note));
    }
    case INTEL_FMT_URLHAUS: {
        n = csv_split(line, fields, LOAD_MAX_FIELDS);
        const char *url = field_or(fields, n, ps->cols.url >= 0 ? ps->cols.url : 2);
        const char *note = field_or(fields, n, ps->cols.note >= 0 ? ps->cols.note : 6);
        if (!*note)
            note = field_or(fields, n, ps->cols.note2 >= 0 ? ps->cols.note2 : 5);
        if (!strstr(url, "://"))
            return 0;
        return emit_url(ps, url, note);
    }
    case INTEL_FMT_JPCERT: {
        if (strchr(line, '"')) {
            n = csv_split(line, fields, LOAD_MAX_FIELDS);
            if (n < 2)
                return 0;
            return emit_url(ps, fields[1], n >= 3 ? fields[2] : "");
        }
        /* date,URL,description: a URL may hold commas, the date and the
         * brand do not. */
        char *c1 = strchr(line, ',');
        char *c2 = strrchr(line, ',');
        if (!c1)
            return 0;
        const char *note = "";
        if (c2 != c1) {
            *c2 = '\0';
            note = trim(c2 + 1);
        }
        return emit_url(ps, trim(c1 + 1), note);
    }
    default:
        return 0;
    }
}

void intel_parse(const char *buf, size_t len, enum intel_format f, uint32_t ipsum_min,
                 intel_item_fn fn, void *arg, struct intel_load_result *r)
{
    struct parse_state ps = {f, ipsum_min, fn, arg, r, {-1, -1, -1, -1}};
    char line[INTEL_MAX_LINE + 1];
    uint64_t lineno = 0;
    size_t pos = 0;
    bool first_data = true;
    /* Skip a UTF-8 byte order mark. */
    if (len >= 3 && (uint8_t)buf[0] == 0xef && (uint8_t)buf[1] == 0xbb && (uint8_t)buf[2] == 0xbf)
        pos = 3;
    while (pos < len) {
        const char *s = buf + pos;
        const char *nl = memchr(s, '\n', len - pos);
        size_t ll = nl ? (size_t)(nl - s) : len - pos;
        pos += ll + (nl ? 1 : 0);
        lineno++;
        if (ll && s[ll - 1] == '\r')
            ll--;
        if (ll > INTEL_MAX_LINE || memchr(s, '\0', ll)) {
            r->lines++;
            r->bad++;
            if (!r->first_bad)
                r->first_bad = lineno;
            continue;
        }
        memcpy(line, s, ll);
        line[ll] = '\0';
        char *t = trim(line);
        if (!*t)
            continue;
        bool csv = f == INTEL_FMT_FEODO || f == INTEL_FMT_URLHAUS || f == INTEL_FMT_SSLBL ||
                   f == INTEL_FMT_JPCERT;
        if (*t == '#' || *t == '!' || (*t == ';' && f == INTEL_FMT_DROP)) {
            if (csv)
                csv_header(&ps, t);
            continue;
        }
        if (csv && first_data && csv_header(&ps, t)) {
            first_data = false;
            continue;
        }
        first_data = false;
        r->lines++;
        if (parse_line(&ps, t) <= 0) {
            r->bad++;
            if (!r->first_bad)
                r->first_bad = lineno;
        }
    }
}

/* --- format detection --- */

enum guess { G_NONE, G_IP, G_IPSUM, G_HOSTS, G_DOMAIN, G_URL, G_JA3, G_SSLBL, G_DROP, G_MAX };

static enum guess guess_line(const char *t)
{
    char tok[512], tok2[512];
    const char *rest = token(t, ",;", tok, sizeof(tok));
    struct ip_addr ip;
    uint8_t bits;
    if (is_md5(tok))
        return *rest == ',' ? G_SSLBL : G_JA3;
    if (parse_cidr(tok, &ip, &bits) == 0) {
        if (strchr(rest, ';') && ci_contains(rest, "sbl"))
            return G_DROP;
        const char *r2 = token(rest, "", tok2, sizeof(tok2));
        uint64_t n;
        if (tok2[0] && !*r2 && parse_u64(tok2, &n) == 0 && strchr(t, '\t'))
            return G_IPSUM;
        if (tok2[0] && ip_addr_parse(tok, &ip) == 0) {
            char norm[256];
            if (intel_norm_domain(tok2, strlen(tok2), norm, sizeof(norm)) == 0 ||
                !strchr(tok2, '.'))
                return G_HOSTS;
        }
        return G_IP;
    }
    token(t, "", tok, sizeof(tok));
    if (strstr(tok, "://"))
        return G_URL;
    char norm[256];
    const char *d = tok[0] == '|' && tok[1] == '|' ? tok + 2 : tok;
    char dn[512];
    token(d, "^", dn, sizeof(dn));
    if (intel_norm_domain(dn, strlen(dn), norm, sizeof(norm)) == 0)
        return G_DOMAIN;
    return G_NONE;
}

enum intel_format intel_detect_format(const char *buf, size_t len)
{
    unsigned votes[G_MAX] = {0};
    unsigned data = 0;
    size_t pos = 0;
    char line[INTEL_MAX_LINE + 1];
    if (len >= 3 && (uint8_t)buf[0] == 0xef && (uint8_t)buf[1] == 0xbb && (uint8_t)buf[2] == 0xbf)
        pos = 3;
    for (unsigned lines = 0; pos < len && lines < 400 && data < 100; lines++) {
        const char *s = buf + pos;
        const char *nl = memchr(s, '\n', len - pos);
        size_t ll = nl ? (size_t)(nl - s) : len - pos;
        pos += ll + (nl ? 1 : 0);
        if (ll > INTEL_MAX_LINE)
            continue;
        memcpy(line, s, ll);
        line[ll] = '\0';
        for (size_t i = 0; i < ll; i++)
            if (line[i] == '\0')
                line[i] = ' ';
        char *t = trim(line);
        if (!*t)
            continue;
        bool comment = *t == '#' || *t == ';' || *t == '!';
        if (comment || data == 0) {
            /* Headers and the comments lists start with name them. */
            if (!comment && (ci_contains(t, "date,url,description") ||
                             (strncmp(t, "date,", 5) == 0 && ci_contains(t, ",url"))))
                return INTEL_FMT_JPCERT;
            if (ci_contains(t, "ja3_md5") || ci_contains(t, "sslbl"))
                return INTEL_FMT_SSLBL;
            if (ci_contains(t, "urlhaus") || ci_contains(t, "dateadded"))
                return INTEL_FMT_URLHAUS;
            if (ci_contains(t, "feodo") || ci_contains(t, "dst_ip") || ci_contains(t, "dstip"))
                return INTEL_FMT_FEODO;
            if (ci_contains(t, "ipsum"))
                return INTEL_FMT_IPSUM;
            if (ci_contains(t, "spamhaus"))
                return INTEL_FMT_DROP;
            if (comment)
                continue;
        }
        data++;
        votes[guess_line(t)]++;
    }
    if (data == 0)
        return INTEL_FMT_AUTO;
    /* Host-file and plain IP lines mix in hosts files (a "::1" line). */
    enum guess best = G_NONE;
    for (int g = G_IP; g < G_MAX; g++)
        if (votes[g] > votes[best])
            best = (enum guess)g;
    if (best == G_NONE || votes[best] * 2 <= data)
        return INTEL_FMT_AUTO;
    switch (best) {
    case G_IP:
        return INTEL_FMT_IP;
    case G_IPSUM:
        return INTEL_FMT_IPSUM;
    case G_HOSTS:
    case G_DOMAIN:
        return INTEL_FMT_DOMAIN;
    case G_URL:
        return INTEL_FMT_URL;
    case G_JA3:
        return INTEL_FMT_JA3;
    case G_SSLBL:
        return INTEL_FMT_SSLBL;
    case G_DROP:
        return INTEL_FMT_DROP;
    default:
        return INTEL_FMT_AUTO;
    }
}
