/* mail-lookalike.c - domains that imitate the company's own domains, its
 * partners' domains or a brand people trust, and brands named by a sender
 * that has nothing to do with them.
 *
 * Every host the message names (From, Sender, Reply-To, Return-Path, link
 * hosts) is reduced to its registrable domain (libpsl through dnsname.h:
 * smbc.co.jp of www.smbc.co.jp) and its label ("smbc"). A domain that
 * really is a target's is fine; otherwise the label is compared with every
 * target label ("key") in this order, the first hit wins:
 *   tld      same label under another suffix (smbc.top for smbc.co.jp)
 *   homoglyph same confusable skeleton (amaz0n, rnufg, Cyrillic а, ａｍａｚｏｎ,
 *            xn-- labels decoded per RFC 3492 first)
 *   added    the key plus lure words (amazon-support, secure-mufg, smbcjp)
 *   typo     Damerau-Levenshtein distance 1 (keys of 5+ characters) or 2
 *            (keys of 9+)
 * and separately a target domain written as the start of an unrelated host
 * (amazon.co.jp.account-check.top).
 *
 * Edit distance alone also hits honest neighbours (mizuno vs mizuho), which
 * is why a typo on a brand is a clear sign (30) and not a verdict (60); a
 * look-alike of the company's own domain is decisive, nobody else has a
 * reason to register one. */
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "detect/dnsname.h"
#include "mail/mail.h"
#include "util/i18n.h"

#include "util/util.h"

const struct mail_reason_def mail_texts_lookalike[] = {
    {"lookalike.own_domain",
     "A domain in this message imitates your company's own domain (a changed letter, another "
     "ending or added words): mail pretending to come from inside.",
     "このメールのドメインは自社のドメインに似せて作られています（文字の入れ替え・末尾の違い・"
     "単語の追加）。社内からのメールを装っている可能性が高いです。"},
    {"lookalike.partner_domain",
     "A domain in this message imitates the domain of one of your business partners: a common "
     "trick to ask for payments to a new account.",
     "このメールのドメインは取引先のドメインに似せて作られています。取引先を装って振込先の変更"
     "などを求める手口によく使われます。"},
    {"lookalike.brand_domain",
     "A domain in this message imitates a well-known company's domain (bank, card company, "
     "delivery service, online shop) without belonging to it.",
     "このメールのドメインは銀行・カード会社・宅配業者・通販サイトなど有名企業のドメインに似せて"
     "いますが、その企業のものではありません。"},
    {"lookalike.idn_mixed",
     "A link or sender domain mixes Latin letters with look-alike Cyrillic or Greek letters, a "
     "way to imitate a familiar name.",
     "リンク先または送信元のドメインに、ローマ字とよく似たキリル文字やギリシャ文字が混ぜられて"
     "います。見慣れた名前に見せかける手口です。"},
    {"lookalike.brand_display",
     "The sender's name says it is a well-known company, but the mail comes from an address that "
     "has nothing to do with that company.",
     "差出人名は有名企業を名乗っていますが、実際の送信元アドレスはその企業とは関係のないドメイン"
     "です。"},
    {"lookalike.brand_subject",
     "The subject names a well-known company, but the mail was not sent from that company's "
     "domain.",
     "件名で有名企業の名前を出していますが、その企業のドメインから送られたメールではありません。"},
    {NULL, NULL, NULL},
};

/* ---------------------------------------------------------------------
 * Hosts and registrable domains
 * --------------------------------------------------------------------- */

#define HOST_MAX 256

bool mail_host_norm(const char *host, char *out, size_t outlen)
{
    if (!host || outlen == 0)
        return false;
    size_t n = strlen(host);
    while (n > 0 && host[n - 1] == '.')
        n--;
    if (n == 0 || n >= outlen || n >= HOST_MAX)
        return false;
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)host[i];
        /* Letters, digits, '-', '.', '_' and UTF-8 (IDN written as Unicode);
         * ':' and '[' ']' for IPv6 literals. */
        if (!(isalnum(c) || c == '-' || c == '.' || c == '_' || c >= 0x80 || c == ':' ||
              c == '[' || c == ']'))
            return false;
        out[i] = (char)(c < 0x80 ? tolower(c) : c);
    }
    out[n] = '\0';
    return true;
}

static bool ipv4_part(const char *s, size_t n, unsigned long long *v)
{
    /* Browsers accept 0x.. hex, 0.. octal and decimal parts. */
    if (n == 0 || n > 12)
        return false;
    char buf[16];
    memcpy(buf, s, n);
    buf[n] = '\0';
    int base = 10;
    const char *p = buf;
    if (n > 1 && p[0] == '0' && (p[1] == 'x' || p[1] == 'X')) {
        base = 16;
        p += 2;
        if (!*p)
            return true; /* "0x" is 0 */
    } else if (n > 1 && p[0] == '0') {
        base = 8;
    }
    for (const char *q = p; *q; q++)
        if (base == 16 ? !isxdigit((unsigned char)*q)
                       : (*q < '0' || *q > (base == 8 ? '7' : '9')))
            return false;
    errno = 0;
    *v = strtoull(p, NULL, base);
    return errno == 0;
}

bool mail_host_is_ip(const char *host)
{
    if (!host || !*host)
        return false;
    if (host[0] == '[' || strchr(host, ':'))
        return true; /* IPv6 literal (hosts never contain ':' otherwise) */
    size_t parts = 0;
    const char *p = host;
    unsigned long long v = 0;
    for (;;) {
        const char *dot = strchr(p, '.');
        size_t n = dot ? (size_t)(dot - p) : strlen(p);
        if (!dot && n == 0 && parts > 0)
            break; /* trailing dot */
        if (!ipv4_part(p, n, &v) || ++parts > 4)
            return false;
        if (!dot)
            break;
        p = dot + 1;
    }
    return parts >= 1 && (parts > 1 || v > 255);
}

bool mail_registrable(const char *host, char *out, size_t outlen)
{
    char h[HOST_MAX];
    if (!mail_host_norm(host, h, sizeof h) || mail_host_is_ip(h))
        return false;
    const char *rd = dnsname_registrable(h);
    /* No registrable domain: a public suffix itself, one label, or a TLD
     * the list does not know; nothing to compare. */
    if (!rd)
        return false;
    size_t n = strlen(rd);
    if (n >= outlen)
        return false;
    memcpy(out, rd, n + 1);
    return true;
}

/* ---------------------------------------------------------------------
 * Punycode (RFC 3492), bounded: a label of at most 63 bytes decodes to at
 * most 63 code points.
 * --------------------------------------------------------------------- */

#define PUNY_MAX 64

static int puny_digit(unsigned char c)
{
    if (c >= '0' && c <= '9')
        return c - '0' + 26;
    if (c >= 'a' && c <= 'z')
        return c - 'a';
    if (c >= 'A' && c <= 'Z')
        return c - 'A';
    return -1;
}

static uint32_t puny_adapt(uint32_t delta, uint32_t numpoints, bool first)
{
    delta = first ? delta / 700 : delta / 2;
    delta += delta / numpoints;
    uint32_t k = 0;
    while (delta > ((36 - 1) * 26) / 2) {
        delta /= 36 - 1;
        k += 36;
    }
    return k + (36 * delta) / (delta + 38);
}

/* Decodes in[0..len) (without "xn--") into code points; false on any error. */
static bool puny_decode(const char *in, size_t len, uint32_t *out, size_t *outn)
{
    size_t count = 0, b = 0, start = 0;
    for (size_t j = 0; j < len; j++)
        if (in[j] == '-')
            b = j + 1;
    if (b > 0) {
        for (size_t j = 0; j + 1 < b; j++) {
            if ((unsigned char)in[j] >= 0x80 || count >= PUNY_MAX)
                return false;
            out[count++] = (unsigned char)tolower((unsigned char)in[j]);
        }
        start = b;
    }
    uint32_t n = 128, i = 0, bias = 72;
    for (size_t pos = start; pos < len;) {
        uint32_t oldi = i, w = 1;
        for (uint32_t k = 36;; k += 36) {
            if (pos >= len || k > 36 * 10)
                return false;
            int d = puny_digit((unsigned char)in[pos++]);
            if (d < 0 || (uint32_t)d > (UINT32_MAX - i) / w)
                return false;
            i += (uint32_t)d * w;
            uint32_t t = k <= bias ? 1 : k >= bias + 26 ? 26 : k - bias;
            if ((uint32_t)d < t)
                break;
            if (w > UINT32_MAX / (36 - t))
                return false;
            w *= 36 - t;
        }
        uint32_t np = (uint32_t)count + 1;
        bias = puny_adapt(i - oldi, np, oldi == 0);
        if (i / np > 0x10FFFF - n)
            return false;
        n += i / np;
        i %= np;
        if (count >= PUNY_MAX || n < 0x80 || (n >= 0xD800 && n <= 0xDFFF))
            return false;
        memmove(out + i + 1, out + i, (count - i) * sizeof *out);
        out[i++] = n;
        count++;
    }
    *outn = count;
    return true;
}

static size_t utf8_put(uint32_t cp, char *o)
{
    if (cp < 0x80) {
        o[0] = (char)cp;
        return 1;
    }
    if (cp < 0x800) {
        o[0] = (char)(0xC0 | (cp >> 6));
        o[1] = (char)(0x80 | (cp & 0x3F));
        return 2;
    }
    if (cp < 0x10000) {
        o[0] = (char)(0xE0 | (cp >> 12));
        o[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
        o[2] = (char)(0x80 | (cp & 0x3F));
        return 3;
    }
    o[0] = (char)(0xF0 | (cp >> 18));
    o[1] = (char)(0x80 | ((cp >> 12) & 0x3F));
    o[2] = (char)(0x80 | ((cp >> 6) & 0x3F));
    o[3] = (char)(0x80 | (cp & 0x3F));
    return 4;
}

/* Next code point of s (bounded by end); invalid bytes give U+FFFD. */
static uint32_t utf8_next(const char **s, const char *end)
{
    const unsigned char *p = (const unsigned char *)*s;
    uint32_t c = *p;
    size_t n = c < 0x80 ? 1 : (c & 0xE0) == 0xC0 ? 2 : (c & 0xF0) == 0xE0 ? 3 : (c & 0xF8) == 0xF0 ? 4 : 0;
    if (n == 0 || (const char *)p + n > end) {
        *s += 1;
        return 0xFFFD;
    }
    if (n > 1) {
        c &= 0x3F >> (n - 1);
        for (size_t k = 1; k < n; k++) {
            if ((p[k] & 0xC0) != 0x80) {
                *s += 1;
                return 0xFFFD;
            }
            c = (c << 6) | (p[k] & 0x3F);
        }
    }
    *s += n;
    return c;
}

bool mail_idn_to_utf8(const char *host, char *out, size_t outlen)
{
    size_t o = 0;
    const char *p = host;
    bool ok = true;
    while (*p) {
        const char *dot = strchr(p, '.');
        size_t n = dot ? (size_t)(dot - p) : strlen(p);
        uint32_t cps[PUNY_MAX];
        size_t ncp = 0;
        if (n > 4 && n <= 63 && strncasecmp(p, "xn--", 4) == 0 && puny_decode(p + 4, n - 4, cps, &ncp)) {
            for (size_t k = 0; k < ncp; k++) {
                if (o + 5 >= outlen)
                    return false;
                o += utf8_put(cps[k], out + o);
            }
        } else {
            if (n > 4 && strncasecmp(p, "xn--", 4) == 0)
                ok = false;
            if (o + n + 1 >= outlen)
                return false;
            memcpy(out + o, p, n);
            o += n;
        }
        if (!dot)
            break;
        out[o++] = '.';
        p = dot + 1;
    }
    if (o >= outlen)
        return false;
    out[o] = '\0';
    return ok;
}

/* ---------------------------------------------------------------------
 * Confusable skeleton: what a label looks like to a reader, in lower-case
 * ASCII. Cyrillic and Greek letters that look Latin, full-width forms,
 * accented Latin letters, digits that pass for letters (0 o, 1 l, 5 s) and
 * letter pairs that pass for one (rn m, vv w, cl d).
 * --------------------------------------------------------------------- */

static int confusable(uint32_t c)
{
    if (c < 0x80)
        return (int)tolower((int)c);
    if (c >= 0xFF01 && c <= 0xFF5E) /* full-width ASCII */
        return tolower((int)(c - 0xFEE0));
    static const struct {
        uint32_t cp;
        char to;
    } map[] = {
        /* Cyrillic */
        {0x0430, 'a'}, {0x0435, 'e'}, {0x043E, 'o'}, {0x0440, 'p'}, {0x0441, 'c'}, {0x0443, 'y'},
        {0x0445, 'x'}, {0x0456, 'i'}, {0x0458, 'j'}, {0x0455, 's'}, {0x0501, 'd'}, {0x051B, 'q'},
        {0x051D, 'w'}, {0x04BB, 'h'}, {0x04CF, 'l'}, {0x0410, 'a'}, {0x0412, 'b'}, {0x0415, 'e'},
        {0x041A, 'k'}, {0x041C, 'm'}, {0x041D, 'h'}, {0x041E, 'o'}, {0x0420, 'p'}, {0x0421, 'c'},
        {0x0422, 't'}, {0x0425, 'x'}, {0x0432, 'b'}, {0x043A, 'k'}, {0x043C, 'm'}, {0x043D, 'h'},
        {0x0442, 't'}, {0x0457, 'i'}, {0x0491, 'r'},
        /* Greek */
        {0x03B1, 'a'}, {0x03BF, 'o'}, {0x03BD, 'v'}, {0x03B9, 'i'}, {0x03BA, 'k'}, {0x03C1, 'p'},
        {0x03C4, 't'}, {0x03C5, 'u'}, {0x03C7, 'x'}, {0x03B5, 'e'}, {0x0391, 'a'}, {0x0392, 'b'},
        {0x0395, 'e'}, {0x0396, 'z'}, {0x0397, 'h'}, {0x0399, 'i'}, {0x039A, 'k'}, {0x039C, 'm'},
        {0x039D, 'n'}, {0x039F, 'o'}, {0x03A1, 'p'}, {0x03A4, 't'}, {0x03A5, 'y'}, {0x03A7, 'x'},
        {0x03C9, 'w'},
        /* Latin look-alikes outside Latin-1 */
        {0x0131, 'i'}, {0x0269, 'i'}, {0x0261, 'g'}, {0x01C0, 'l'}, {0x0251, 'a'}, {0x0250, 'a'},
        {0x1D00, 'a'}, {0x0584, 'f'}, {0x0578, 'n'}, {0x057C, 'n'}, {0x0585, 'o'}, {0x0566, 'q'},
    };
    for (size_t k = 0; k < ARRAY_SIZE(map); k++)
        if (map[k].cp == c)
            return map[k].to;
    /* Latin-1 and Latin Extended-A letters with accents: their base letter. */
    static const char latin1[] = "aaaaaaaceeeeiiiidnooooo/ouuuuyty"; /* U+00E0..U+00FF */
    if (c >= 0xC0 && c <= 0xDE)
        c += 0x20;
    if (c >= 0xE0 && c <= 0xFF && latin1[c - 0xE0] != '/')
        return latin1[c - 0xE0];
    if (c >= 0x100 && c <= 0x17F) {
        static const char exta[] = "aaaaaaccccccccddddeeeeeeeeeegggggggghhhhiiiiiiiiiiijjjjkkklllllllllln"
                                   "nnnnnnnnnoooooooorrrrrrssssssssttttttuuuuuuuuuuuuwwyyyzzzzzzs";
        if (c - 0x100 < sizeof exta - 1)
            return exta[c - 0x100];
    }
    return -1;
}

/* Skeleton of a UTF-8 label into out (ASCII); false when a character has no
 * Latin look-alike (a Japanese label, say). */
static bool skeleton(const char *s, size_t n, char *out, size_t outlen)
{
    char tmp[PUNY_MAX * 2];
    size_t t = 0;
    const char *end = s + n;
    while (s < end) {
        int c = confusable(utf8_next(&s, end));
        if (c < 0 || t + 1 >= sizeof tmp)
            return false;
        switch (c) {
        case '0': c = 'o'; break;
        case '1': case 'i': case '|': c = 'l'; break;
        case '5': c = 's'; break;
        case '3': c = 'e'; break;
        case '4': c = 'a'; break;
        case '_': c = '-'; break;
        default: break;
        }
        tmp[t++] = (char)c;
    }
    size_t o = 0;
    for (size_t k = 0; k < t; k++) {
        char c = tmp[k];
        if (k + 1 < t && ((c == 'r' && tmp[k + 1] == 'n') || (c == 'v' && tmp[k + 1] == 'v') ||
                          (c == 'c' && tmp[k + 1] == 'l'))) {
            c = c == 'r' ? 'm' : c == 'v' ? 'w' : 'd';
            k++;
        }
        if (o + 1 >= outlen)
            return false;
        out[o++] = c;
    }
    out[o] = '\0';
    return true;
}

/* Whether a decoded label mixes Latin letters with Cyrillic or Greek. */
static bool mixed_script(const char *s, size_t n)
{
    bool latin = false, other = false;
    const char *end = s + n;
    while (s < end) {
        uint32_t c = utf8_next(&s, end);
        if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= 0xC0 && c <= 0x24F))
            latin = true;
        else if ((c >= 0x370 && c <= 0x3FF) || (c >= 0x400 && c <= 0x52F))
            other = true;
    }
    return latin && other;
}

/* Optimal string alignment distance, bounded labels (63 bytes). */
static unsigned osa_distance(const char *a, size_t n, const char *b, size_t m)
{
    if (n > 63 || m > 63)
        return 99;
    unsigned d[64][64];
    for (size_t i = 0; i <= n; i++)
        d[i][0] = (unsigned)i;
    for (size_t j = 0; j <= m; j++)
        d[0][j] = (unsigned)j;
    for (size_t i = 1; i <= n; i++)
        for (size_t j = 1; j <= m; j++) {
            unsigned cost = a[i - 1] != b[j - 1];
            unsigned v = MIN(d[i - 1][j] + 1, d[i][j - 1] + 1);
            v = MIN(v, d[i - 1][j - 1] + cost);
            if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1])
                v = MIN(v, d[i - 2][j - 2] + 1);
            d[i][j] = v;
        }
    return d[n][m];
}

/* Words phishing domains add to a brand (amazon-support, secure-mufg,
 * smbcjp). Kept to words that say "account", "security", "service" or a
 * country, so an honest compound (appleinsider) is not one. */
static const char *const lure_words[] = {
    "support", "secure", "security", "login", "signin", "sign", "account", "accounts", "verify",
    "verification", "update", "service", "services", "info", "card", "bank", "mail", "center",
    "centre", "help", "online", "my", "id", "pay", "official", "auth", "confirm", "web", "net",
    "app", "member", "members", "customer", "portal", "notice", "alert", "billing", "jp", "japan",
    "co", "com", "www", "ssl", "safe", "team", "check", "user", "cs", "mypage", "club", "point",
    "points", "direct", "order", "orders", "delivery", "tracking", "track", "prime", "premium",
    "access", "recovery", "unlock", "reset", "reward", "rewards", "cancel", "refund", "system",
    "admin", "global", "cards", "idcheck", "session", "safety", "protect", "go", "ne", "or",
};

static bool added_words(const char *s, size_t n, const char *key, size_t kl, unsigned depth)
{
    if (n == kl)
        return depth > 0 && memcmp(s, key, kl) == 0;
    if (n < kl || depth >= 3)
        return false;
    /* Trailing digits (amazon-jp2). */
    if (isdigit((unsigned char)s[n - 1])) {
        size_t e = n;
        while (e > 0 && isdigit((unsigned char)s[e - 1]))
            e--;
        if (e > 0 && s[e - 1] == '-')
            e--;
        return added_words(s, e, key, kl, depth + 1);
    }
    for (size_t w = 0; w < ARRAY_SIZE(lure_words); w++) {
        size_t wl = strlen(lure_words[w]);
        if (wl >= n)
            continue;
        if (memcmp(s, lure_words[w], wl) == 0) {
            size_t k = wl + (s[wl] == '-');
            if (added_words(s + k, n - k, key, kl, depth + 1))
                return true;
        }
        if (memcmp(s + n - wl, lure_words[w], wl) == 0) {
            size_t e = n - wl - (s[n - wl - 1] == '-');
            if (added_words(s, e, key, kl, depth + 1))
                return true;
        }
    }
    return false;
}

/* ---------------------------------------------------------------------
 * Brands
 * --------------------------------------------------------------------- */

static bool name_in(const char *text, const char *name)
{
    bool exact = name[0] == '=';
    if (exact)
        name++;
    size_t nl = strlen(name);
    bool ascii = true;
    for (size_t k = 0; k < nl; k++)
        if ((unsigned char)name[k] >= 0x80)
            ascii = false;
    /* "Buzón tributario": names in accented Latin letters match without
     * regard to ASCII case, as English ones do; Japanese has no case. */
    if (!ascii)
        return strcasestr(text, name) != NULL;
    for (const char *p = text; *p; p++) {
        if ((exact ? strncmp(p, name, nl) : strncasecmp(p, name, nl)) != 0)
            continue;
        /* Word boundaries: ASCII letters/digits around it make another word.
         * Japanese text around an English brand ("Amazonプライム") is fine. */
        unsigned char before = p > text ? (unsigned char)p[-1] : ' ';
        unsigned char after = (unsigned char)p[nl];
        if ((before < 0x80 && isalnum(before)) || (after < 0x80 && isalnum(after)))
            continue;
        return true;
    }
    return false;
}

/* Text as a reader sees it: full-width ASCII as ASCII, invisible format
 * characters (zero-width spaces and joiners, variation selectors, soft
 * hyphens: phishing puts them inside brand names to dodge filters) dropped,
 * ideographic spaces as spaces; with squeeze, no spaces at all (the list
 * archive and phishing alike write "三井住友 カード", "E T C"). */
static void text_norm(const char *in, char *out, size_t outlen, bool squeeze)
{
    size_t o = 0;
    const char *end = in + strlen(in);
    while (in < end && o + 5 < outlen) {
        uint32_t c = utf8_next(&in, end);
        if (c == 0xAD || (c >= 0x200B && c <= 0x200F) || (c >= 0x2060 && c <= 0x2064) ||
            (c >= 0xFE00 && c <= 0xFE0F) || c == 0xFEFF || c == 0x034F || c == 0x180E ||
            (c >= 0x0334 && c <= 0x0338) || (c >= 0x0730 && c <= 0x074A) || (c >= 0x064B && c <= 0x065F) ||
            (c >= 0x20D0 && c <= 0x20FF))
            continue;
        if (c >= 0xFF01 && c <= 0xFF5E)
            c -= 0xFEE0;
        if (c == 0x3000 || c == '\t')
            c = ' ';
        if (squeeze && c == ' ')
            continue;
        o += utf8_put(c, out + o);
    }
    out[o] = '\0';
}

const struct mail_brand *mail_brand_named(const char *text, const char **name_out)
{
    if (!text)
        return NULL;
    char *plain = xmalloc(1024), *tight = xmalloc(1024);
    text_norm(text, plain, 1024, false);
    text_norm(text, tight, 1024, true);
    /* The longest name wins: 三井住友カード is the card company even though
     * 三井住友 alone names the bank. */
    const struct mail_brand *found = NULL;
    size_t best = 0;
    for (size_t i = 0; i < mail_nbrands; i++)
        for (const char *const *n = mail_brands[i].names; *n; n++) {
            bool ascii = true;
            for (const char *q = *n; *q; q++)
                ascii &= (unsigned char)*q < 0x80;
            char nn[128];
            if (!ascii)
                text_norm(*n, nn, sizeof nn, true);
            size_t len = strlen(*n);
            if (len > best && (ascii ? name_in(plain, *n) : strcasestr(tight, nn) != NULL)) {
                best = len;
                if (name_out)
                    *name_out = **n == '=' ? *n + 1 : *n;
                found = &mail_brands[i];
            }
        }
    free(plain);
    free(tight);
    return found;
}

static size_t label_len(const char *rd)
{
    const char *dot = strchr(rd, '.');
    return dot ? (size_t)(dot - rd) : strlen(rd);
}

bool mail_brand_owns(const struct mail_brand *b, const char *rd)
{
    for (const char *const *d = b->domains; *d; d++) {
        size_t dl = strlen(*d), rl = strlen(rd);
        /* rd itself, or rd under a listed domain that is not registrable on
         * its own (cr.mufg.jp listed, mufg.jp seen). */
        if (strcmp(rd, *d) == 0 || (dl > rl && (*d)[dl - rl - 1] == '.' && strcmp(*d + dl - rl, rd) == 0))
            return true;
    }
    if (b->any_tld) {
        size_t ll = label_len(rd);
        for (const char *const *k = b->keys; *k; k++)
            if (strlen(*k) == ll && memcmp(*k, rd, ll) == 0)
                return true;
    }
    return false;
}

/* ---------------------------------------------------------------------
 * Partners: `domain [name]` a line, # comments.
 * --------------------------------------------------------------------- */

#define PARTNERS_MAX_BYTES (4u << 20)
#define PARTNERS_MAX 20000
#define PARTNER_LINE_MAX 1024

struct partner {
    char *domain; /* registrable domain */
    char *name;   /* or NULL */
};

struct mail_partners {
    struct partner *v;
    size_t n;
};

void mail_partners_free(struct mail_partners *p)
{
    if (!p)
        return;
    for (size_t i = 0; i < p->n; i++) {
        free(p->v[i].domain);
        free(p->v[i].name);
    }
    free(p->v);
    free(p);
}

size_t mail_partners_count(const struct mail_partners *p)
{
    return p ? p->n : 0;
}

static bool partner_line(struct mail_partners *p, const char *line, size_t len, const char *what,
                         size_t lineno)
{
    size_t i = 0;
    while (i < len && (line[i] == ' ' || line[i] == '\t'))
        i++;
    if (i == len || line[i] == '#')
        return true;
    size_t s = i;
    while (i < len && line[i] != ' ' && line[i] != '\t' && line[i] != '#')
        i++;
    char dom[HOST_MAX], norm[HOST_MAX], rd[HOST_MAX];
    size_t dl = i - s;
    /* "@example.co.jp" and "*.example.co.jp" are common ways to write it. */
    if (dl > 0 && line[s] == '@')
        s++, dl--;
    if (dl > 2 && line[s] == '*' && line[s + 1] == '.')
        s += 2, dl -= 2;
    if (dl == 0 || dl >= sizeof dom) {
        error("%s:%zu: not a domain", what, lineno);
        return false;
    }
    memcpy(dom, line + s, dl);
    dom[dl] = '\0';
    if (!mail_host_norm(dom, norm, sizeof norm) || mail_host_is_ip(norm) || !strchr(norm, '.') ||
        strchr(norm, ':') || strchr(norm, '[') || strstr(norm, "..") || norm[0] == '.' ||
        norm[0] == '-') {
        error("%s:%zu: not a domain: \"%.80s\"", what, lineno, dom);
        return false;
    }
    if (!mail_registrable(norm, rd, sizeof rd)) {
        error("%s:%zu: \"%.80s\" is a public suffix or under an unknown TLD", what, lineno, norm);
        return false;
    }
    while (i < len && (line[i] == ' ' || line[i] == '\t'))
        i++;
    size_t ns = i, ne = i;
    while (i < len && line[i] != '#') {
        if (line[i] != ' ' && line[i] != '\t' && line[i] != '\r')
            ne = i + 1;
        i++;
    }
    if (p->n >= PARTNERS_MAX) {
        error("%s:%zu: more than %d partner domains", what, lineno, PARTNERS_MAX);
        return false;
    }
    for (size_t k = 0; k < p->n; k++)
        if (strcmp(p->v[k].domain, rd) == 0)
            return true; /* a duplicate: the first name stays */
    p->v = xrealloc(p->v, (p->n + 1) * sizeof *p->v);
    p->v[p->n].domain = xstrdup(rd);
    p->v[p->n].name = NULL;
    if (ne > ns) {
        size_t nl = MIN(ne - ns, (size_t)128);
        char *nm = xmalloc(nl + 1);
        memcpy(nm, line + ns, nl);
        nm[nl] = '\0';
        p->v[p->n].name = nm;
    }
    p->n++;
    return true;
}

struct mail_partners *mail_partners_parse(const char *buf, size_t len, const char *what)
{
    struct mail_partners *p = xcalloc(1, sizeof *p);
    size_t lineno = 0;
    if (len > PARTNERS_MAX_BYTES) {
        error("%s: larger than %u bytes", what, PARTNERS_MAX_BYTES);
        goto fail;
    }
    for (size_t pos = 0; pos < len;) {
        const char *nl = memchr(buf + pos, '\n', len - pos);
        size_t end = nl ? (size_t)(nl - buf) : len;
        lineno++;
        size_t ll = end - pos;
        if (ll > 0 && buf[end - 1] == '\r')
            ll--;
        if (memchr(buf + pos, '\0', ll)) {
            error("%s:%zu: a NUL byte (not a text file?)", what, lineno);
            goto fail;
        }
        if (ll > PARTNER_LINE_MAX) {
            error("%s:%zu: line longer than %d bytes", what, lineno, PARTNER_LINE_MAX);
            goto fail;
        }
        /* A UTF-8 byte order mark at the start (Windows Notepad). */
        size_t skip = (lineno == 1 && ll >= 3 && memcmp(buf, "\xEF\xBB\xBF", 3) == 0) ? 3 : 0;
        if (!partner_line(p, buf + pos + skip, ll - skip, what, lineno))
            goto fail;
        pos = end + 1;
    }
    return p;
fail:
    mail_partners_free(p);
    return NULL;
}

struct mail_partners *mail_partners_load(const char *path)
{
    FILE *f = fopen(path, "rb");
    if (!f) {
        error("%s: %s", path, strerror(errno));
        return NULL;
    }
    char *buf = xmalloc(PARTNERS_MAX_BYTES + 1);
    size_t len = fread(buf, 1, PARTNERS_MAX_BYTES + 1, f);
    bool bad = ferror(f);
    fclose(f);
    struct mail_partners *p = NULL;
    if (bad)
        error("%s: read error", path);
    else
        p = mail_partners_parse(buf, len, path);
    free(buf);
    return p;
}

/* ---------------------------------------------------------------------
 * The check
 * --------------------------------------------------------------------- */

enum target_kind { T_OWN, T_PARTNER, T_BRAND };

enum method { M_NONE, M_TYPO, M_ADDED, M_TLD, M_HOMOGLYPH, M_SUBDOMAIN };

static const char *const method_en[] = {"", "one or two letters changed", "words added",
                                        "another ending (TLD)", "look-alike characters",
                                        "written as the start of another domain"};
static const char *const method_ja[] = {"", "1～2文字の違い", "単語の追加", "末尾（TLD）の違い",
                                        "似た文字", "別のドメインの先頭に本物のドメイン"};

struct target {
    enum target_kind kind;
    const char *rd;   /* own/partner: registrable domain; brand: NULL */
    const char *key;  /* the label imitated */
    size_t kl;
    const char *what; /* shown: the domain or brand name */
    const struct mail_brand *brand;
};

struct finding {
    int score;
    enum method m;
    const struct target *t;
};

static int method_score(enum target_kind k, enum method m, const char *rd)
{
    switch (m) {
    case M_HOMOGLYPH:
    case M_SUBDOMAIN:
        return 60;
    case M_TYPO:
        return k == T_BRAND ? 30 : 60;
    case M_ADDED:
        return 30;
    case M_TLD:
        /* A partner or brand may hold .com beside .co.jp; the cheap TLDs
         * phishing registers in bulk are a different matter. */
        if (k == T_OWN || dnsname_abused_tld(rd))
            return 60;
        return 30;
    default:
        return 0;
    }
}

/* How rd (not owned by t) relates to t. */
static enum method compare(const char *rd, const char *label, size_t ll, const char *skel,
                           const struct target *t)
{
    if (ll == t->kl && memcmp(label, t->key, ll) == 0) {
        if (t->kind == T_BRAND && t->brand->any_tld)
            return M_NONE;
        if (t->rd && strcmp(t->rd, rd) == 0)
            return M_NONE;
        return M_TLD;
    }
    char ks[PUNY_MAX * 2];
    if (skel && skeleton(t->key, t->kl, ks, sizeof ks) && strcmp(skel, ks) == 0 && t->kl >= 3)
        return M_HOMOGLYPH;
    if (t->kl >= 3 && ll > t->kl && memmem(label, ll, t->key, t->kl) &&
        added_words(label, ll, t->key, t->kl, 0))
        return M_ADDED;
    if (t->kl >= 5 && ll >= 5) {
        size_t diff = ll > t->kl ? ll - t->kl : t->kl - ll;
        unsigned maxd = t->kl >= 9 ? 2 : 1;
        if (diff <= maxd && osa_distance(label, ll, t->key, t->kl) <= maxd)
            return M_TYPO;
    }
    return M_NONE;
}

struct lctx {
    struct target *t;
    size_t nt;
    const struct mail_ctx *ctx;
};

/* Honest registrable domains one letter away from a brand key: big mail
 * providers and companies in their own right. */
static const char *const honest_neighbours[] = {
    "mail.ru", "mail.com", "gmx.net", "gmx.de", "gmx.com", "mitsui.com", "mitsui.co.jp", "mizuno.jp",
    "mizuno.com", "mizuno.co.jp", "yamaha.com", "yamaha.co.jp", "sony.com", "sony.co.jp", "sony.jp",
    "nomura.com", "paypay.jp", NULL};

static bool owned_by_any(const struct lctx *lc, const char *rd)
{
    for (const char *const *h = honest_neighbours; *h; h++)
        if (strcmp(*h, rd) == 0)
            return true;
    for (size_t i = 0; i < lc->nt; i++) {
        const struct target *t = &lc->t[i];
        if (t->rd ? strcmp(t->rd, rd) == 0 : mail_brand_owns(t->brand, rd))
            return true;
    }
    return false;
}

/* A target's real domain used as the start of an unrelated host:
 * smbc.co.jp.secure-login.top, amazon.co.jp-account.info. */
/* The first target domain (each target's registrable domain, or its
 * brand's domains) that match() accepts; *dom is set to it. */
static const struct target *find_target_domain(const struct lctx *lc,
                                               bool (*match)(const char *d, size_t dl,
                                                             const void *arg),
                                               const void *arg, const char **dom)
{
    for (size_t i = 0; i < lc->nt; i++) {
        const struct target *t = &lc->t[i];
        const char *one[2] = {t->rd, NULL};
        const char *const *doms = t->rd ? one : t->brand->domains;
        for (const char *const *d = doms; *d; d++) {
            if (strchr(*d, '.') && match(*d, strlen(*d), arg)) {
                *dom = *d;
                return t;
            }
        }
    }
    return NULL;
}

struct prefix_arg {
    const char *h;
    size_t rdoff;
};

/* The host starts with the domain, followed by a dot left of the
 * registrable domain or by a hyphen (amazon.co.jp.login.top,
 * amazon.co.jp-secure.top). */
static bool match_prefix(const char *d, size_t dl, const void *arg)
{
    const struct prefix_arg *a = arg;
    return strncmp(a->h, d, dl) == 0 &&
           ((a->h[dl] == '.' && dl + 1 <= a->rdoff) || a->h[dl] == '-');
}

/* The domain appears as whole labels inside sub. */
static bool match_labels(const char *d, size_t dl, const void *arg)
{
    const char *sub = arg;
    for (const char *p = strstr(sub, d); p; p = strstr(p + 1, d))
        if ((p == sub || p[-1] == '.') && (p[dl] == '\0' || p[dl] == '.'))
            return true;
    return false;
}

static const struct target *subdomain_trick(const struct lctx *lc, const char *host, const char *rd,
                                            const char **dom)
{
    const char *h = strncmp(host, "www.", 4) == 0 ? host + 4 : host;
    /* Where the registrable domain starts: the target's domain must lie
     * wholly left of it (mizuhobank.com.cn is another ending, not this). */
    size_t rdoff = strlen(host) - strlen(rd) - (size_t)(h - host);
    struct prefix_arg pa = {h, rdoff};
    const struct target *t = find_target_domain(lc, match_prefix, &pa, dom);
    if (t)
        return t;
    /* The same with the dots written as hyphens, anywhere in the labels
     * left of the registrable domain: my-jcb-co-jp.example.com,
     * login.www-aeon-co-jp.example.net. */
    char sub[HOST_MAX];
    if (rdoff < 2 || rdoff >= sizeof sub)
        return NULL;
    memcpy(sub, h, rdoff - 1);
    sub[rdoff - 1] = '\0';
    if (!strchr(sub, '-'))
        return NULL;
    for (char *c = sub; *c; c++)
        if (*c == '-')
            *c = '.';
    return find_target_domain(lc, match_labels, sub, dom);
}

static const char *const kind_id[] = {"lookalike.own_domain", "lookalike.partner_domain",
                                      "lookalike.brand_domain"};

/* Checks one host; returns true if a reason was added. */
static bool check_host(const struct lctx *lc, const char *host, const char *role,
                       struct mail_result *r)
{
    char h[HOST_MAX], rd[HOST_MAX];
    if (!mail_host_norm(host, h, sizeof h) || mail_host_is_ip(h) || !mail_registrable(h, rd, sizeof rd))
        return false;
    if (owned_by_any(lc, rd))
        return false;
    const char *sdom = NULL;
    const struct target *st = subdomain_trick(lc, h, rd, &sdom);
    if (st) {
        mail_reason_add(r, kind_id[st->kind], 60, TR("%s %s: %s (%s) %s", "%s %s: %s（%s）%s"), role, h, sdom, st->what,
                        TR(method_en[M_SUBDOMAIN], method_ja[M_SUBDOMAIN]));
        return true;
    }
    size_t ll = label_len(rd);
    char label[PUNY_MAX * 4], ulabel[PUNY_MAX * 4], skel[PUNY_MAX * 2];
    if (ll >= sizeof label)
        return false;
    memcpy(label, rd, ll);
    label[ll] = '\0';
    bool idn = ll > 4 && strncmp(label, "xn--", 4) == 0;
    if (!mail_idn_to_utf8(label, ulabel, sizeof ulabel))
        memcpy(ulabel, label, ll + 1);
    const char *sk = skeleton(ulabel, strlen(ulabel), skel, sizeof skel) ? skel : NULL;
    /* Non-ASCII in the label: compare only through the skeleton. */
    bool ascii = true;
    for (const char *q = ulabel; *q; q++)
        if ((unsigned char)*q >= 0x80)
            ascii = false;
    struct finding best = {0, M_NONE, NULL};
    for (size_t i = 0; i < lc->nt; i++) {
        enum method m;
        if (ascii && !idn)
            m = compare(rd, label, ll, sk, &lc->t[i]);
        else {
            char ks[PUNY_MAX * 2];
            m = sk && skeleton(lc->t[i].key, lc->t[i].kl, ks, sizeof ks) && strcmp(sk, ks) == 0
                    ? M_HOMOGLYPH
                    : M_NONE;
        }
        int s = method_score(lc->t[i].kind, m, rd);
        if (s > best.score || (s == best.score && s > 0 && lc->t[i].kind < best.t->kind)) {
            best.score = s;
            best.m = m;
            best.t = &lc->t[i];
        }
    }
    if (best.t) {
        mail_reason_add(r, kind_id[best.t->kind], best.score, TR("%s %s%s%s%s looks like %s (%s): %s", "%s %s%s%s%s は %s（%s）に似せています: %s"),
                        role, h, idn ? " (" : "", idn ? ulabel : "", idn ? ")" : "",
                        best.t->rd ? best.t->rd : best.t->key, best.t->what, TR(method_en[best.m], method_ja[best.m]));
        return true;
    }
    if (idn && mixed_script(ulabel, strlen(ulabel))) {
        mail_reason_add(r, "lookalike.idn_mixed", 30, "%s %s (%s)", role, h, ulabel);
        return true;
    }
    return false;
}

static void add_targets(struct lctx *lc, const struct mail_ctx *ctx, char (*rds)[HOST_MAX],
                        size_t maxown)
{
    size_t cap = mail_nbrands * 8 + maxown + mail_partners_count(ctx->partners);
    lc->t = xcalloc(cap, sizeof *lc->t);
    size_t nown = 0;
    if (ctx->opt && ctx->opt->own_domains)
        for (const char *const *d = ctx->opt->own_domains; *d && nown < maxown; d++) {
            if (!mail_registrable(*d, rds[nown], HOST_MAX))
                continue;
            struct target *t = &lc->t[lc->nt++];
            t->kind = T_OWN;
            t->rd = rds[nown];
            t->key = t->rd;
            t->kl = label_len(t->rd);
            t->what = "own domain";
            nown++;
        }
    const struct mail_partners *p = ctx->partners;
    for (size_t i = 0; p && i < p->n; i++) {
        struct target *t = &lc->t[lc->nt++];
        t->kind = T_PARTNER;
        t->rd = p->v[i].domain;
        t->key = t->rd;
        t->kl = label_len(t->rd);
        t->what = p->v[i].name ? p->v[i].name : "partner";
    }
    for (size_t b = 0; b < mail_nbrands; b++)
        for (const char *const *k = mail_brands[b].keys; *k && lc->nt < cap; k++) {
            struct target *t = &lc->t[lc->nt++];
            t->kind = T_BRAND;
            t->key = *k;
            t->kl = strlen(*k);
            t->what = mail_brands[b].name;
            t->brand = &mail_brands[b];
        }
}

/* A brand in the From display name or the subject, sent from elsewhere. */
static void check_brand_named(const struct mail_msg *m, const struct lctx *lc, struct mail_result *r)
{
    char rd[HOST_MAX];
    if (!m->from.domain || !mail_registrable(m->from.domain, rd, sizeof rd))
        return;
    /* Mail from the company itself or a partner may well name a brand. */
    for (size_t i = 0; i < lc->nt; i++)
        if (lc->t[i].rd && strcmp(lc->t[i].rd, rd) == 0)
            return;
    /* "Name via List <list@lists.example.org>": a mailing list rewrote
     * From for DMARC and put the author in Reply-To. A person from the
     * brand posting to a list is fine; the brand itself speaking through a
     * list ("Amazon.co.jp via list") is not how brands send notices. */
    char disp[256];
    const char *display = m->from.display;
    const char *via = display ? strstr(display, " via ") : NULL;
    char rrd[HOST_MAX];
    bool via_owned = false;
    if (via) {
        size_t dl = MIN((size_t)(via - display), sizeof disp - 1);
        memcpy(disp, display, dl);
        disp[dl] = '\0';
        display = disp;
    }
    const char *name = NULL;
    const struct mail_brand *b = mail_brand_named(display, &name);
    if (b && via && m->reply_to.domain && mail_registrable(m->reply_to.domain, rrd, sizeof rrd))
        via_owned = mail_brand_owns(b, rrd);
    if (b && !mail_brand_owns(b, rd)) {
        /* "Amazon.co.jp" or "Apple Support" as the whole name is the brand
         * speaking; "Taro Yamada (Microsoft)" may be a person. */
        size_t dl = strlen(display), nl = strlen(name);
        bool whole = nl * 2 >= dl;
        int score = via_owned ? 30 : whole ? 60 : 30;
        if (whole || !via_owned) {
            mail_reason_add(r, "lookalike.brand_display", score, TR("From \"%.80s\" <%s>: %s is not a domain of %s", "差出人「%.80s」<%s>: %s は %s のドメインではありません"),
                            m->from.display, m->from.addr ? m->from.addr : m->from.domain, rd, b->name);
            return;
        }
    }
    /* "jr-odekake.net@fusrhuv.cn": the brand's domain as the local part,
     * so a mail program that shows only that part shows the brand. */
    const char *at = m->from.addr ? strchr(m->from.addr, '@') : NULL;
    if (at) {
        size_t ll = (size_t)(at - m->from.addr);
        for (size_t i = 0; i < mail_nbrands; i++)
            for (const char *const *d = mail_brands[i].domains; *d; d++)
                if (strlen(*d) >= 6 && memmem(m->from.addr, ll, *d, strlen(*d)) && !mail_brand_owns(&mail_brands[i], rd)) {
                    mail_reason_add(r, "lookalike.brand_display", 30, TR("From <%s>: %s in the local part", "差出人 <%s>: アドレスの @ の前に %s"),
                                    m->from.addr, *d);
                    return;
                }
    }
    b = mail_brand_named(m->subject, &name);
    if (b && !mail_brand_owns(b, rd)) {
        /* 【Brand】 at the head of the subject is how Japanese companies
         * sign their notices: the mail speaks as the brand. */
        const char *open = strstr(m->subject, "【");
        const char *close = open ? strstr(open, "】") : NULL;
        bool signs = open && (!close || (size_t)(close - open) <= 3 + 3 * 16);
        if (signs) {
            char inner[256];
            size_t il = close ? (size_t)(close - open - 3) : strlen(open + 3);
            il = MIN(il, sizeof inner - 1);
            memcpy(inner, open + 3, il);
            inner[il] = '\0';
            signs = mail_brand_named(inner, NULL) == b;
        }
        mail_reason_add(r, "lookalike.brand_subject", signs ? 30 : 20, TR("subject names %s%s, From domain %s", "件名で %s を名乗っています%s。差出人のドメインは %s"),
                        b->name, signs ? " in 【】" : "", rd);
    }
}

#define MAX_OWN 32

struct host_ref {
    const char *host, *role;
};
#define MAX_HOST_REASONS 4

void mail_check_lookalike(const struct mail_msg *m, struct mail_ctx *ctx, struct mail_result *r)
{
    struct lctx lc = {NULL, 0, ctx};
    char(*rds)[HOST_MAX] = xcalloc(MAX_OWN, HOST_MAX);
    add_targets(&lc, ctx, rds, MAX_OWN);

    /* Each registrable domain once; a few reasons at most (a page of
     * look-alike links says no more than one). */
    char seen[64][HOST_MAX];
    size_t nseen = 0, nreasons = 0;
    struct host_ref hosts[4 + MAIL_MAX_LINKS];
    size_t nh = 0;
    hosts[nh++] = (struct host_ref){m->from.domain, "From"};
    hosts[nh++] = (struct host_ref){m->reply_to.domain, "Reply-To"};
    hosts[nh++] = (struct host_ref){m->sender.domain, "Sender"};
    hosts[nh++] = (struct host_ref){m->return_path.domain, "Return-Path"};
    for (size_t i = 0; i < m->nlinks && i < MAIL_MAX_LINKS; i++)
        hosts[nh++] = (struct host_ref){m->links[i].host, TR("link", "リンク")};
    for (size_t i = 0; i < nh && nreasons < MAX_HOST_REASONS; i++) {
        char h[HOST_MAX];
        if (!hosts[i].host || !mail_host_norm(hosts[i].host, h, sizeof h))
            continue;
        bool dup = false;
        for (size_t k = 0; k < nseen && !dup; k++)
            dup = strcmp(seen[k], h) == 0;
        if (dup)
            continue;
        if (nseen < ARRAY_SIZE(seen))
            memcpy(seen[nseen++], h, strlen(h) + 1);
        else
            break;
        if (check_host(&lc, h, hosts[i].role, r))
            nreasons++;
    }
    check_brand_named(m, &lc, r);
    free(lc.t);
    free(rds);
}
