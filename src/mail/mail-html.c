/* mail-html.c - visible text and links of an HTML mail (see mail-html.h).
 *
 * One pass over the bytes: text outside tags is decoded and kept unless we
 * are inside <script>, <style>, <head> or a comment; <a href> opens a link
 * whose text is what is seen until </a>. Every loop moves forward, so the
 * time is linear in the input whatever its nesting.
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mail/mail-html.h"
#include "mail/mail.h"
#include "util/strbuf.h"
#include "util/util.h"

static void put_utf8(struct strbuf *sb, unsigned long c)
{
    if (c == 0 || c > 0x10FFFF || (c >= 0xD800 && c <= 0xDFFF))
        c = 0xFFFD;
    char b[4];
    if (c < 0x80) {
        sb_putc(sb, (char)c);
    } else if (c < 0x800) {
        b[0] = (char)(0xC0 | (c >> 6));
        b[1] = (char)(0x80 | (c & 0x3F));
        sb_putn(sb, b, 2);
    } else if (c < 0x10000) {
        b[0] = (char)(0xE0 | (c >> 12));
        b[1] = (char)(0x80 | ((c >> 6) & 0x3F));
        b[2] = (char)(0x80 | (c & 0x3F));
        sb_putn(sb, b, 3);
    } else {
        b[0] = (char)(0xF0 | (c >> 18));
        b[1] = (char)(0x80 | ((c >> 12) & 0x3F));
        b[2] = (char)(0x80 | ((c >> 6) & 0x3F));
        b[3] = (char)(0x80 | (c & 0x3F));
        sb_putn(sb, b, 4);
    }
}

/* The named references mail really uses; others are kept as written. */
static const struct {
    const char *name;
    unsigned cp;
} html_entities[] = {
    {"amp", '&'},     {"lt", '<'},       {"gt", '>'},       {"quot", '"'},
    {"apos", '\''},   {"nbsp", 0xA0},    {"copy", 0xA9},    {"reg", 0xAE},
    {"yen", 0xA5},    {"trade", 0x2122}, {"euro", 0x20AC},  {"hellip", 0x2026},
    {"mdash", 0x2014}, {"ndash", 0x2013}, {"laquo", 0xAB},  {"raquo", 0xBB},
    {"lsquo", 0x2018}, {"rsquo", 0x2019}, {"ldquo", 0x201C}, {"rdquo", 0x201D},
    {"bull", 0x2022}, {"middot", 0xB7},  {"zwnj", 0x200C},  {"zwj", 0x200D},
    {"shy", 0xAD},    {"times", 0xD7},   {"pound", 0xA3},   {"cent", 0xA2},
    {"sect", 0xA7},   {"deg", 0xB0},     {"ensp", 0x2002},  {"emsp", 0x2003},
    {"thinsp", 0x2009}, {"rarr", 0x2192}, {"larr", 0x2190}, {"uuml", 0xFC},
    {"ouml", 0xF6},   {"auml", 0xE4},    {"eacute", 0xE9},  {"aacute", 0xE1},
    {"iacute", 0xED}, {"oacute", 0xF3},  {"uacute", 0xFA},  {"ntilde", 0xF1},
    {"ccedil", 0xE7}, {"atilde", 0xE3},  {"otilde", 0xF5},  {"egrave", 0xE8},
    {"agrave", 0xE0}, {"ecirc", 0xEA},   {"szlig", 0xDF},   {"iexcl", 0xA1},
    {"iquest", 0xBF},
};

void mail_html_unescape(struct strbuf *sb, const char *s, size_t n)
{
    size_t i = 0;
    while (i < n) {
        if (s[i] != '&') {
            const char *amp = memchr(s + i, '&', n - i);
            size_t k = amp ? (size_t)(amp - (s + i)) : n - i;
            sb_putn(sb, s + i, k);
            i += k;
            continue;
        }
        size_t j = i + 1;
        if (j < n && s[j] == '#') {
            j++;
            int hex = j < n && (s[j] == 'x' || s[j] == 'X');
            if (hex)
                j++;
            unsigned long c = 0;
            size_t start = j;
            while (j < n && j - start < 8 &&
                   (hex ? isxdigit((unsigned char)s[j]) : isdigit((unsigned char)s[j]))) {
                int d = isdigit((unsigned char)s[j]) ? s[j] - '0'
                                                     : (tolower((unsigned char)s[j]) - 'a' + 10);
                c = c * (hex ? 16 : 10) + (unsigned long)d;
                j++;
            }
            if (j > start) {
                if (j < n && s[j] == ';')
                    j++;
                put_utf8(sb, c);
                i = j;
                continue;
            }
        } else {
            size_t start = j;
            while (j < n && j - start < 10 && isalnum((unsigned char)s[j]))
                j++;
            size_t len = j - start;
            bool found = false;
            for (size_t e = 0; len && e < ARRAY_SIZE(html_entities); e++) {
                if (strlen(html_entities[e].name) == len &&
                    memcmp(html_entities[e].name, s + start, len) == 0) {
                    if (j < n && s[j] == ';')
                        j++;
                    put_utf8(sb, html_entities[e].cp);
                    found = true;
                    break;
                }
            }
            if (found) {
                i = j;
                continue;
            }
        }
        sb_putc(sb, '&');
        i++;
    }
}

char *mail_url_host(const char *href)
{
    if (!href)
        return NULL;
    const char *p = href;
    while (*p == ' ' || *p == '\t')
        p++;
    const char *colon = strstr(p, "://");
    if (colon) {
        for (const char *q = p; q < colon; q++)
            if (!isalnum((unsigned char)*q) && *q != '+' && *q != '-' && *q != '.')
                return NULL;
        p = colon + 3;
    } else if (strncasecmp(p, "www.", 4) != 0) {
        return NULL;
    }
    size_t n = strcspn(p, "/?#\\ \t\r\n\"'<>");
    /* userinfo: the part before the last '@' of the authority is not the host */
    const char *at = NULL;
    for (size_t i = 0; i < n; i++)
        if (p[i] == '@')
            at = p + i;
    if (at) {
        n -= (size_t)(at + 1 - p);
        p = at + 1;
    }
    size_t hl = n;
    if (*p == '[') {
        const char *rb = memchr(p, ']', n);
        if (!rb)
            return NULL;
        p++;
        hl = (size_t)(rb - p);
    } else {
        const char *c = memchr(p, ':', n);
        if (c)
            hl = (size_t)(c - p);
    }
    while (hl > 0 && p[hl - 1] == '.')
        hl--;
    if (hl == 0 || hl > 253)
        return NULL;
    char *h = xmalloc(hl + 1);
    for (size_t i = 0; i < hl; i++)
        h[i] = (char)tolower((unsigned char)p[i]);
    h[hl] = '\0';
    return h;
}

static bool link_push(struct mail_link **links, size_t *n, const char *href, size_t hlen,
                      const char *text, bool in_html)
{
    if (*n >= MAIL_MAX_LINKS)
        return false;
    if ((*n & (*n - 1)) == 0) /* 0, 1, 2, 4, ...: grow to the next power of two */
        *links = xrealloc(*links, (*n ? *n * 2 : 1) * sizeof(**links));
    struct mail_link *l = &(*links)[(*n)++];
    memset(l, 0, sizeof(*l));
    l->href = xmalloc(hlen + 1);
    memcpy(l->href, href, hlen);
    l->href[hlen] = '\0';
    l->host = mail_url_host(l->href);
    l->text = text ? xstrdup(text) : NULL;
    l->in_html = in_html;
    return true;
}

static bool url_char(unsigned char c)
{
    return c > 32 && c < 127 && !strchr("<>\"'`{}|\\^", c);
}

void mail_pdf_links(const unsigned char *d, size_t n, struct mail_link **links, size_t *nlinks)
{
    /* A PDF literal string: balanced parentheses, backslash escapes
     * (PDF 32000-1 7.3.4.2). Only the escapes a URL needs are decoded. */
    for (const unsigned char *p = d ? memmem(d, n, "/URI", 4) : NULL; p;
         p = memmem(p + 4, n - (size_t)(p + 4 - d), "/URI", 4)) {
        const unsigned char *q = p + 4, *end = d + n;
        while (q < end && (*q == ' ' || *q == '\r' || *q == '\n' || *q == '\t'))
            q++;
        if (q >= end || *q != '(')
            continue;
        q++;
        char url[2048];
        size_t o = 0;
        int depth = 0;
        while (q < end && o + 1 < sizeof url) {
            if (*q == '\\' && q + 1 < end) {
                url[o++] = (char)q[1];
                q += 2;
                continue;
            }
            if (*q == '(')
                depth++;
            else if (*q == ')' && depth-- == 0)
                break;
            url[o++] = (char)*q++;
        }
        if (q >= end || *q != ')')
            continue;
        url[o] = '\0';
        if (strncasecmp(url, "http://", 7) != 0 && strncasecmp(url, "https://", 8) != 0)
            continue;
        if (!link_push(links, nlinks, url, o, NULL, false))
            return;
        (*links)[*nlinks - 1].in_attachment = true;
    }
}

void mail_text_links(const char *text, struct mail_link **links, size_t *nlinks)
{
    if (!text)
        return;
    const char *p = text;
    while (*p) {
        const char *h = NULL;
        for (const char *q = p; *q; q++) {
            if ((*q == 'h' || *q == 'H') &&
                (strncasecmp(q, "http://", 7) == 0 || strncasecmp(q, "https://", 8) == 0)) {
                h = q;
                break;
            }
            if ((*q == 'w' || *q == 'W') && strncasecmp(q, "www.", 4) == 0 &&
                (q == text || (!isalnum((unsigned char)q[-1]) && q[-1] != '/' &&
                               q[-1] != '.' && q[-1] != '@'))) {
                h = q;
                break;
            }
        }
        if (!h)
            return;
        size_t n = 0;
        while (url_char((unsigned char)h[n]))
            n++;
        while (n > 0 && strchr(".,;:!?)]", h[n - 1]))
            n--;
        if (n > 11 && !link_push(links, nlinks, h, n, NULL, false))
            return;
        p = h + (n ? n : 1);
    }
}

/* Tag name at p (after '<' and an optional '/'), lower case, into name. */
static size_t tag_name(const char *p, const char *end, char *name, size_t cap)
{
    size_t n = 0;
    while (p + n < end && (isalnum((unsigned char)p[n]) || p[n] == '-' || p[n] == ':')) {
        if (n + 1 < cap)
            name[n] = (char)tolower((unsigned char)p[n]);
        n++;
    }
    name[MIN(n, cap - 1)] = '\0';
    return n;
}

/* Value of attribute attr in the tag text [p, end), entity-decoded, into
 * sb; returns false if absent. */
static bool tag_attr(const char *p, const char *end, const char *attr, struct strbuf *sb)
{
    size_t al = strlen(attr);
    while (p < end) {
        while (p < end && (isspace((unsigned char)*p) || *p == '/'))
            p++;
        const char *ns = p;
        while (p < end && !isspace((unsigned char)*p) && *p != '=' && *p != '>' && *p != '/')
            p++;
        size_t nl = (size_t)(p - ns);
        while (p < end && isspace((unsigned char)*p))
            p++;
        const char *vs = NULL, *ve = NULL;
        if (p < end && *p == '=') {
            p++;
            while (p < end && isspace((unsigned char)*p))
                p++;
            if (p < end && (*p == '"' || *p == '\'')) {
                char q = *p++;
                vs = p;
                while (p < end && *p != q)
                    p++;
                ve = p;
                if (p < end)
                    p++;
            } else {
                vs = p;
                while (p < end && !isspace((unsigned char)*p) && *p != '>')
                    p++;
                ve = p;
            }
        }
        if (nl == al && strncasecmp(ns, attr, al) == 0) {
            if (vs) {
                /* whitespace inside a URL is dropped by browsers */
                struct strbuf raw = STRBUF_INIT;
                for (const char *c = vs; c < ve; c++)
                    if (*c != '\n' && *c != '\r' && *c != '\t')
                        sb_putc(&raw, *c);
                mail_html_unescape(sb, sb_str(&raw), raw.len);
                sb_free(&raw);
                const char *s = sb_str(sb);
                size_t lead = 0;
                while (s[lead] == ' ')
                    lead++;
                if (lead) {
                    memmove(sb->s, sb->s + lead, sb->len - lead + 1);
                    sb->len -= lead;
                }
                while (sb->len && sb->s[sb->len - 1] == ' ')
                    sb->s[--sb->len] = '\0';
            }
            return true;
        }
        if (nl == 0 && p < end)
            p++;
    }
    return false;
}

static bool is_block(const char *t)
{
    static const char *const block[] = {"br", "p", "div", "tr", "li", "h1", "h2", "h3", "h4",
                                        "h5", "h6", "table", "ul", "ol", "blockquote", "hr",
                                        "title", "center", "dd", "dt"};
    for (size_t i = 0; i < ARRAY_SIZE(block); i++)
        if (strcmp(t, block[i]) == 0)
            return true;
    return false;
}

/* Collapses runs of spaces into one, keeping newlines (at most two). */
static void text_put(struct strbuf *sb, const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        char c = s[i];
        if (c == '\r' || c == '\t' || c == '\n' || c == '\f')
            c = ' ';
        if (c == ' ' && (sb->len == 0 || sb->s[sb->len - 1] == ' ' || sb->s[sb->len - 1] == '\n'))
            continue;
        sb_putc(sb, c);
    }
}

static char *trim_dup(const char *s, size_t n)
{
    while (n > 0 && isspace((unsigned char)*s))
        s++, n--;
    while (n > 0 && isspace((unsigned char)s[n - 1]))
        n--;
    char *r = xmalloc(n + 1);
    memcpy(r, s, n);
    r[n] = '\0';
    return r;
}

void mail_html_extract(const char *html, size_t len, struct mail_html_out *out)
{
    memset(out, 0, sizeof(*out));
    struct strbuf text = STRBUF_INIT, href = STRBUF_INIT, dec = STRBUF_INIT;
    const char *p = html, *end = html + len;
    const char *skip_until = NULL; /* closing tag name while in script/style/head */
    bool in_a = false;
    size_t a_text_start = 0;
    char a_alt[256] = "";
    while (p < end) {
        const char *lt = memchr(p, '<', (size_t)(end - p));
        const char *stop = lt ? lt : end;
        if (!skip_until && stop > p) {
            sb_reset(&dec);
            mail_html_unescape(&dec, p, (size_t)(stop - p));
            text_put(&text, sb_str(&dec), dec.len);
        }
        if (!lt)
            break;
        p = lt + 1;
        if (p + 3 <= end && memcmp(p, "!--", 3) == 0) {
            const char *c = memmem(p + 3, (size_t)(end - p - 3), "-->", 3);
            p = c ? c + 3 : end;
            continue;
        }
        bool closing = p < end && *p == '/';
        if (closing)
            p++;
        char name[16];
        size_t nl = tag_name(p, end, name, sizeof(name));
        if (nl == 0 && !closing && (p >= end || *p != '!')) {
            /* a lone '<' is text */
            if (!skip_until)
                text_put(&text, "<", 1);
            continue;
        }
        /* the tag ends at the first '>' outside quotes */
        const char *q = p + nl;
        char quote = 0;
        while (q < end && (quote || *q != '>')) {
            if (quote && *q == quote)
                quote = 0;
            else if (!quote && (*q == '"' || *q == '\'') && isspace((unsigned char)q[-1]) == 0 &&
                     q[-1] == '=')
                quote = *q;
            q++;
        }
        const char *attrs = p + nl, *tag_end = q;
        p = q < end ? q + 1 : end;
        if (skip_until) {
            if (closing && strcmp(name, skip_until) == 0)
                skip_until = NULL;
            continue;
        }
        if (!closing && (strcmp(name, "script") == 0 || strcmp(name, "style") == 0 ||
                         strcmp(name, "head") == 0)) {
            skip_until = strcmp(name, "script") == 0 ? "script"
                         : strcmp(name, "style") == 0 ? "style"
                                                      : "head";
            continue;
        }
        if (is_block(name) && text.len && text.s[text.len - 1] != '\n') {
            while (text.len && text.s[text.len - 1] == ' ')
                text.s[--text.len] = '\0';
            sb_putc(&text, '\n');
        } else if (!closing && (strcmp(name, "td") == 0 || strcmp(name, "th") == 0)) {
            text_put(&text, " ", 1);
        }
        if (!closing && strcmp(name, "form") == 0)
            out->nforms++;
        if (!closing && strcmp(name, "img") == 0 && in_a && !a_alt[0]) {
            sb_reset(&dec);
            if (tag_attr(attrs, tag_end, "alt", &dec))
                snprintf(a_alt, sizeof(a_alt), "%s", sb_str(&dec));
        }
        if (strcmp(name, "a") == 0 || (closing && in_a && strcmp(name, "body") == 0)) {
            if (in_a) {
                char *t = trim_dup(text.s ? text.s + a_text_start : "",
                                   text.len - a_text_start);
                if (!*t && a_alt[0]) {
                    free(t);
                    t = xstrdup(a_alt);
                }
                if (!link_push(&out->links, &out->nlinks, href.s, href.len, t, true))
                    out->truncated = true;
                free(t);
                in_a = false;
            }
            if (!closing) {
                sb_reset(&href);
                if (tag_attr(attrs, tag_end, "href", &href) && href.len) {
                    in_a = true;
                    a_text_start = text.len;
                    a_alt[0] = '\0';
                }
            }
        }
    }
    if (in_a) {
        char *t = trim_dup(text.s ? text.s + a_text_start : "", text.len - a_text_start);
        if (!link_push(&out->links, &out->nlinks, href.s, href.len, t, true))
            out->truncated = true;
        free(t);
    }
    out->text = text.s ? sb_detach(&text) : xstrdup("");
    sb_free(&href);
    sb_free(&dec);
}
