/* dnsname.c - DNS name helpers of the dns.* detectors (dnsname.h).
 *
 * The letter-pair table: costs 2 * -log2 P(next letter | letter), rounded,
 * capped at 15 (P about 1/180: "never seen"). Derived once for this project
 * from letter pairs in English prose (the GPL-3, Apache-2.0, MPL-2.0,
 * GFDL-1.3, LGPL-2.1 and Artistic licence texts, half the weight), a list of
 * about 400 words common in domain names (a fifth) and about 300 romaji
 * words (place, company and family names, everyday words: three tenths, so
 * that "kabushiki", "tsushin" or "kuronekoyamato" read as language). Add-k
 * smoothing k = 0.2% of the row. Words average 60-90 in dnsname_bigram_cost()
 * units, uniformly random letters about 120 (90% of 10-letter strings above
 * 102).
 */
#include "detect/dnsname.h"

#include <libpsl.h>
#include <math.h>
#include <stdint.h>
#include <string.h>

#include "util/util.h"

static const uint8_t dnsname_pair_cost[26][26] = {
    /* a */ {15, 10, 9, 10, 14, 14, 10, 13, 8, 15, 8, 8, 8, 5, 14, 11, 15, 7, 8, 6, 13, 14, 10, 15, 10, 13},
    /* b */ {6, 15, 15, 15, 5, 15, 15, 15, 5, 12, 15, 5, 15, 15, 9, 15, 15, 8, 13, 15, 5, 15, 15, 15, 8, 15},
    /* c */ {7, 15, 12, 15, 5, 15, 15, 6, 9, 15, 9, 9, 15, 15, 4, 15, 15, 12, 12, 7, 9, 15, 15, 15, 15, 15},
    /* d */ {5, 15, 15, 11, 4, 14, 14, 15, 4, 15, 15, 15, 15, 15, 5, 15, 15, 11, 9, 15, 11, 14, 14, 15, 15, 15},
    /* e */ {9, 14, 8, 7, 11, 13, 12, 15, 9, 15, 13, 10, 10, 5, 13, 13, 14, 5, 7, 9, 15, 12, 14, 11, 13, 15},
    /* f */ {8, 15, 15, 15, 7, 8, 15, 15, 5, 15, 15, 9, 15, 15, 5, 15, 15, 7, 15, 7, 6, 15, 15, 15, 11, 15},
    /* g */ {4, 15, 15, 15, 5, 15, 14, 8, 7, 15, 15, 9, 15, 8, 6, 15, 15, 7, 13, 15, 10, 15, 15, 15, 9, 15},
    /* h */ {5, 15, 15, 15, 4, 15, 15, 15, 3, 15, 15, 15, 15, 15, 5, 15, 15, 14, 15, 10, 13, 15, 15, 15, 15, 15},
    /* i */ {11, 9, 7, 11, 11, 10, 9, 15, 13, 14, 11, 10, 9, 5, 7, 13, 15, 10, 7, 6, 14, 11, 14, 15, 15, 13},
    /* j */ {6, 15, 15, 15, 8, 15, 15, 15, 1, 15, 15, 15, 15, 15, 9, 15, 15, 7, 15, 15, 8, 15, 15, 15, 15, 15},
    /* k */ {4, 15, 15, 15, 6, 15, 15, 15, 5, 15, 10, 15, 15, 15, 6, 15, 15, 15, 11, 15, 6, 15, 15, 15, 8, 15},
    /* l */ {6, 15, 15, 10, 5, 14, 15, 15, 4, 15, 15, 7, 15, 15, 7, 15, 15, 15, 10, 12, 10, 15, 15, 15, 8, 15},
    /* m */ {4, 12, 15, 15, 5, 15, 15, 15, 6, 15, 15, 15, 12, 15, 5, 9, 15, 15, 9, 15, 7, 15, 15, 15, 15, 15},
    /* n */ {7, 15, 10, 6, 7, 13, 6, 15, 8, 15, 9, 13, 15, 12, 8, 15, 15, 15, 6, 6, 13, 12, 15, 15, 10, 15},
    /* o */ {15, 10, 11, 10, 14, 8, 11, 14, 12, 14, 8, 12, 9, 5, 12, 9, 15, 6, 9, 7, 7, 11, 12, 15, 13, 15},
    /* p */ {5, 14, 15, 14, 6, 15, 15, 11, 9, 15, 15, 7, 15, 15, 6, 7, 15, 5, 15, 10, 8, 15, 15, 15, 8, 15},
    /* q */ {15, 15, 15, 15, 15, 15, 15, 15, 15, 15, 15, 4, 15, 15, 15, 15, 15, 15, 15, 15, 1, 15, 15, 15, 15, 15},
    /* r */ {5, 15, 11, 11, 5, 15, 13, 15, 6, 15, 9, 15, 9, 13, 7, 14, 15, 12, 9, 9, 11, 12, 14, 15, 8, 15},
    /* s */ {7, 15, 12, 15, 5, 15, 15, 5, 8, 15, 14, 13, 14, 15, 8, 11, 15, 15, 9, 6, 6, 15, 15, 15, 13, 15},
    /* t */ {7, 15, 15, 15, 6, 15, 15, 4, 6, 15, 15, 12, 15, 14, 6, 15, 15, 8, 7, 13, 13, 15, 12, 15, 10, 15},
    /* u */ {12, 8, 9, 9, 11, 15, 12, 11, 11, 9, 10, 11, 8, 8, 12, 11, 15, 5, 6, 6, 12, 15, 15, 15, 14, 14},
    /* v */ {7, 15, 15, 15, 1, 15, 15, 15, 5, 15, 15, 15, 15, 15, 13, 15, 15, 15, 15, 15, 15, 15, 15, 15, 15, 15},
    /* w */ {3, 15, 15, 15, 7, 15, 15, 7, 5, 15, 15, 15, 15, 11, 5, 15, 15, 13, 9, 15, 15, 15, 14, 15, 15, 15},
    /* x */ {8, 15, 4, 15, 5, 15, 15, 11, 11, 15, 15, 15, 14, 15, 15, 5, 15, 15, 15, 4, 15, 15, 15, 15, 10, 15},
    /* y */ {4, 15, 15, 15, 12, 15, 15, 15, 11, 15, 15, 13, 11, 13, 2, 11, 15, 9, 10, 13, 6, 15, 15, 15, 15, 15},
    /* z */ {5, 15, 15, 7, 5, 15, 15, 15, 8, 15, 15, 15, 15, 15, 5, 15, 15, 15, 15, 15, 3, 15, 15, 15, 15, 15},
};

size_t dnsname_norm(const char *name, char *out, size_t outlen)
{
    if (!name || outlen == 0)
        return 0;
    size_t n = strnlen(name, DNSNAME_MAX + 1);
    while (n > 0 && name[n - 1] == '.')
        n--;
    if (n == 0 || n > DNSNAME_MAX || n >= outlen) {
        out[0] = '\0';
        return 0;
    }
    for (size_t i = 0; i < n; i++) {
        char c = name[i];
        out[i] = (c >= 'A' && c <= 'Z') ? (char)(c - 'A' + 'a') : c;
    }
    out[n] = '\0';
    return n;
}

/* Starts of the last max labels of name; returns the count of all labels. */
static unsigned dnsname_labels(const char *name, const char **starts, unsigned max)
{
    unsigned n = 0;
    const char *p = name;
    for (unsigned guard = 0; guard < DNSNAME_MAX; guard++) {
        if (n < max) {
            starts[n] = p;
        } else {
            /* Keep the last max labels: the suffix is what matters. */
            memmove(starts, starts + 1, (max - 1) * sizeof(*starts));
            starts[max - 1] = p;
        }
        n++;
        const char *dot = strchr(p, '.');
        if (!dot)
            break;
        p = dot + 1;
    }
    return n;
}

/* Public suffixes have at most 5 labels (*.compute.amazonaws.com is private,
 * the longest ICANN rules have 4); 8 leaves room. */
#define DNSNAME_TAIL 8

static const char *dnsname_registrable_psl(const char *name)
{
    const char *st[DNSNAME_TAIL];
    unsigned total = dnsname_labels(name, st, DNSNAME_TAIL);
    unsigned n = total < DNSNAME_TAIL ? total : DNSNAME_TAIL;
    if (total < 2)
        return NULL;
    const psl_ctx_t *psl = psl_builtin();
    /* Longest public suffix first. */
    for (unsigned k = n; psl && k >= 1; k--) {
        if (psl_is_public_suffix2(psl, st[n - k], PSL_TYPE_ICANN | PSL_TYPE_NO_STAR_RULE)) {
            if (k == total)
                return NULL;
            if (k < n)
                return st[n - k - 1];
            return NULL; /* a suffix of DNSNAME_TAIL labels: not a real name */
        }
    }
    /* Not under a TLD the list knows ("pirate.sea", "dnscat.6b03f5..."):
     * nothing anyone can register on the Internet, so no registrable
     * domain. Such names reach only a server that answers for them
     * itself. */
    return NULL;
}

/* The answers for the last names asked, by a hash of the name: two DNS
 * detectors ask about every name, a query and its answer carry the same one,
 * and names repeat; the public-suffix lookups (up to DNSNAME_TAIL each) were
 * most of their cost. Per thread, so that concurrent callers never share
 * it. Longer names than a DNS name can be (253) are not kept. */
#define DNSNAME_CACHE 64
#define DNSNAME_CACHE_LEN 255
struct dnsname_cached {
    char name[DNSNAME_CACHE_LEN + 1];
    int off; /* registrable domain at name + off; -1: none */
};
static _Thread_local struct dnsname_cached dnsname_cache[DNSNAME_CACHE];

const char *dnsname_registrable(const char *name)
{
    size_t n = strlen(name);
    if (n == 0 || n > DNSNAME_CACHE_LEN)
        return dnsname_registrable_psl(name);
    uint32_t h = 2166136261u;
    for (size_t i = 0; i < n; i++)
        h = (h ^ (uint8_t)name[i]) * 16777619u;
    struct dnsname_cached *c = &dnsname_cache[(h ^ (h >> 16)) % DNSNAME_CACHE];
    if (memcmp(c->name, name, n + 1) != 0) {
        const char *rd = dnsname_registrable_psl(name);
        memcpy(c->name, name, n + 1);
        c->off = rd ? (int)(rd - name) : -1;
    }
    return c->off < 0 ? NULL : name + c->off;
}

static bool dnsname_ends_with_label(const char *name, size_t n, const char *suffix)
{
    size_t s = strlen(suffix);
    if (n < s || memcmp(name + n - s, suffix, s) != 0)
        return false;
    return n == s || name[n - s - 1] == '.';
}

bool dnsname_is_local(const char *name)
{
    static const char *const local[] = {
        "local",   "lan",     "home",      "corp",      "internal", "intranet", "localdomain",
        "localhost", "private", "test",    "invalid",   "arpa",     "workgroup", "domain",
        "mshome.net", "home.arpa", "router",  "gateway",  "fritz.box", "box",
    };
    size_t n = strnlen(name, DNSNAME_MAX + 1);
    if (n == 0 || n > DNSNAME_MAX || !memchr(name, '.', n))
        return true;
    if (name[0] == '_' || strstr(name, "._"))
        return true;
    for (size_t i = 0; i < ARRAY_SIZE(local); i++)
        if (dnsname_ends_with_label(name, n, local[i]))
            return true;
    return false;
}

bool dnsname_is_hash_service(const char *rd)
{
    static const char *const hash_services[] = {
        /* DNS block lists (mail servers look up every sender). */
        "spamhaus.org", "spamhaus.net", "spamcop.net", "sorbs.net", "surbl.org", "uribl.com",
        "barracudacentral.org", "abuseat.org", "mailspike.net", "dnswl.org", "senderscore.com",
        "spameatingmonkey.net", "manitu.net", "surriel.com", "rbl.jp", "abusix.zone",
        "invaluement.com", "0spam.org", "nordspam.com", "junkemailfilter.com", "s5h.net",
        "httpbl.org", "dnsbl.info", "mailpolice.com", "rspamd.com", "interserver.net",
        /* Antivirus and reputation lookups (file hashes in labels). */
        "sophosxl.net", "sophosxl.com", "mcafee.com", "e5.sk", "eset.com", "trendmicro.com",
        "trendmicro.co.jp", "cymru.com", "avqs.net",
        /* Microsoft's network measurement probes (<hex>.clo.footprintdns.com). */
        "footprintdns.com",
    };
    for (size_t i = 0; i < ARRAY_SIZE(hash_services); i++)
        if (strcmp(rd, hash_services[i]) == 0)
            return true;
    return false;
}

double dnsname_entropy(const char *s, size_t n)
{
    uint32_t cnt[256] = {0};
    uint32_t total = 0;
    for (size_t i = 0; i < n && i < DNSNAME_MAX; i++) {
        if (s[i] == '.')
            continue;
        cnt[(uint8_t)s[i]]++;
        total++;
    }
    if (total == 0)
        return 0.0;
    double h = 0.0;
    for (unsigned c = 0; c < 256; c++) {
        if (!cnt[c])
            continue;
        double p = (double)cnt[c] / total;
        h -= p * log2(p);
    }
    return h;
}

unsigned dnsname_bigram_cost(const char *s, size_t n, unsigned *pairs)
{
    unsigned sum = 0, np = 0;
    for (size_t i = 1; i < n && i < DNSNAME_MAX; i++) {
        unsigned char a = (unsigned char)s[i - 1], b = (unsigned char)s[i];
        if (a >= 'A' && a <= 'Z')
            a = (unsigned char)(a - 'A' + 'a');
        if (b >= 'A' && b <= 'Z')
            b = (unsigned char)(b - 'A' + 'a');
        if (a < 'a' || a > 'z' || b < 'a' || b > 'z')
            continue;
        sum += 10u * dnsname_pair_cost[a - 'a'][b - 'a'];
        np++;
    }
    if (pairs)
        *pairs = np;
    return np ? sum / np : 0;
}

/* One label of a subdomain: does it carry data? Long (16+) and either raw
 * bytes (\DDD escapes: iodine's 8-bit encoding), a hex string with digits
 * and letters, or base32/base64-like: high character entropy, unlikely
 * letter pairs and at most one hyphen (a long name made of words and
 * hyphens, "img-prod-cms-rt-microsoft-com", is a CDN customer, not data). */
static bool dnsname_label_encoded(const char *s, size_t n)
{
    if (n < 16)
        return false;
    unsigned esc = 0, hex = 0, digits = 0, hyph = 0;
    for (size_t i = 0; i < n; i++) {
        char c = s[i];
        if (c == '\\')
            esc++;
        if ((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F'))
            hex++;
        if (c >= '0' && c <= '9')
            digits++;
        if (c == '-')
            hyph++;
    }
    if (esc >= 3)
        return true;
    if (hex == n && digits >= 2 && digits < n - 1)
        return true;
    if (hyph > 1)
        return false;
    unsigned pairs;
    unsigned cost = dnsname_bigram_cost(s, n, &pairs);
    return dnsname_entropy(s, n) >= 3.5 && (pairs < 4 || cost >= 100 || digits >= 3);
}

void dnsname_subdomain(const char *sub, size_t n, struct dnsname_sub *out)
{
    memset(out, 0, sizeof(*out));
    size_t start = 0;
    if (n > DNSNAME_MAX)
        n = DNSNAME_MAX;
    for (size_t i = 0; i <= n; i++) {
        if (i < n && sub[i] != '.')
            continue;
        size_t len = i - start;
        if (len > 0) {
            out->labels++;
            out->len += (uint32_t)len;
            if (len > out->max_label)
                out->max_label = (uint32_t)len;
            if (!out->encoded && dnsname_label_encoded(sub + start, len))
                out->encoded = true;
        }
        start = i + 1;
    }
}

static bool dnsname_is_vowel(char c)
{
    return c == 'a' || c == 'e' || c == 'i' || c == 'o' || c == 'u' || c == 'y';
}

enum dnsname_random dnsname_label_random(const char *s, size_t n)
{
    if (n < 8 || n > 63)
        return DNSNAME_WORDLIKE;
    unsigned nd = 0, nl = 0, hex = 0, trans = 0, run = 0, maxrun = 0;
    for (size_t i = 0; i < n; i++) {
        char c = s[i];
        bool dig = c >= '0' && c <= '9', let = c >= 'a' && c <= 'z';
        if (!dig && !let && c != '-')
            return DNSNAME_WORDLIKE; /* escapes, upper case: not a host name */
        nd += dig;
        nl += let;
        hex += dig || (c >= 'a' && c <= 'f');
        if (i > 0) {
            char p = s[i - 1];
            bool pd = p >= '0' && p <= '9', pl = p >= 'a' && p <= 'z';
            if ((pd && let) || (pl && dig))
                trans++;
        }
        if (let && !dnsname_is_vowel(c)) {
            run++;
            if (run > maxrun)
                maxrun = run;
        } else {
            run = 0;
        }
    }
    if (hex == n && nd >= 2 && nl >= 2)
        return DNSNAME_RANDOM_HEX;
    if (trans >= 3 && nd >= 2)
        return DNSNAME_RANDOM_MIXED;
    unsigned pairs;
    unsigned cost = dnsname_bigram_cost(s, n, &pairs);
    if (nl >= 8 && pairs >= 6 && cost >= 105)
        return DNSNAME_RANDOM_LETTERS;
    if (nl >= 8 && maxrun >= 5 && cost >= 90)
        return DNSNAME_RANDOM_LETTERS;
    return DNSNAME_WORDLIKE;
}

bool dnsname_abused_tld(const char *name)
{
    /* TLDs most newly seen malware domains are registered under: cheap or
     * free, little checking. Legitimate sites use them too, which is why a
     * single name there is at most a weak signal. */
    static const char *const tlds[] = {
        "top",  "xyz",  "icu",    "tk",   "ml",   "ga",     "cf",   "gq",    "pw",
        "cc",   "su",   "ws",     "biz",  "info", "online", "site", "club",  "live",
        "buzz", "work", "fun",    "space", "website", "link", "click", "cyou", "rest",
        "bar",  "cam",  "monster", "uno", "sbs",  "cfd",    "bond", "quest", "gdn",
        "loan", "men",  "win",    "bid",  "kim",  "date",   "racing", "review", "stream",
        "download", "accountant", "trade", "science", "party", "faith", "cricket",
    };
    const char *dot = strrchr(name, '.');
    const char *tld = dot ? dot + 1 : name;
    for (size_t i = 0; i < ARRAY_SIZE(tlds); i++)
        if (strcmp(tld, tlds[i]) == 0)
            return true;
    return false;
}

bool dnsname_event(const struct app_event *ev, struct dnsname_ev *out)
{
    if (!ev || !ev->type || strcmp(ev->type, "dns") != 0 || !ev->body || !ev->f)
        return false;
    /* mDNS, LLMNR and NBNS report "dns" events too: their kind is in extra,
     * and the flow's protocol once it is known. */
    const char *proto = json_string_value(json_object_get(ev->extra, "proto"));
    if (proto && strcmp(proto, "dns") != 0)
        return false;
    if (!proto && ev->app_proto && ev->app_proto[0] && strcmp(ev->app_proto, "dns") != 0)
        return false;
    const char *type = json_string_value(json_object_get(ev->body, "type"));
    const char *rrname = json_string_value(json_object_get(ev->body, "rrname"));
    if (!type || !rrname)
        return false;
    memset(out, 0, sizeof(*out));
    out->answer = strcmp(type, "answer") == 0;
    if (!out->answer && strcmp(type, "query") != 0)
        return false;
    out->rrname = rrname;
    out->rrtype = json_string_value(json_object_get(ev->body, "rrtype"));
    if (!out->rrtype)
        out->rrtype = "";
    out->rcode = json_string_value(json_object_get(ev->body, "rcode"));
    if (!out->rcode)
        out->rcode = "";
    const json_t *an = json_object_get(ev->body, "answers");
    out->answers = json_is_array(an) ? an : NULL;

    const struct flow *f = ev->f;
    bool client_is_src;
    if (f->dport == 53 && f->sport != 53)
        client_is_src = true;
    else if (f->sport == 53 && f->dport != 53)
        client_is_src = false;
    else /* a query travels from the client, an answer to it */
        client_is_src = out->answer ? f->pkt_dir == 1 : f->pkt_dir == 0;
    out->client = client_is_src ? f->src : f->dst;
    out->server = client_is_src ? f->dst : f->src;
    return true;
}
