/* mail-parse.c - bytes -> struct mail_msg with GMime (see mail.h).
 *
 * GMime does the MIME work (headers, RFC 2047/2231, transfer encodings,
 * multiparts, message/rfc822, mbox). This file bounds what GMime is given
 * (size, number of parts), converts every text to UTF-8 without ever
 * failing on a wrong or unknown charset, and fills the plain structure the
 * checks read, so no check touches GMime.
 */
#include <ctype.h>
#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include <gmime/gmime.h>
#include <magic.h>

#include "mail/mail-html.h"
#include "mail/mail.h"
#include "util/strbuf.h"
/* glib defines its own MIN/MAX; ours (util.h) are the same. */
#undef MIN
#undef MAX
#include "util/util.h"

/* Headers kept per message: real mail has < 100; more is an attack on the
 * checks' time, and the first ones (the newest Received, the originator
 * fields) are those that matter. */
#define MAIL_MAX_HEADERS 2000
/* Bytes of one header value kept: the longest real ones (References,
 * DKIM-Signature, ARC-*) stay far below; a 10 MB Subject is cut here. */
#define MAIL_MAX_HEADER_VALUE (64u << 10)
/* Bytes of one attachment handed to libmagic: its tests look at the start. */
#define MAIL_MAGIC_BYTES (1u << 20)

static magic_t mail_magic; /* opened once per process; reachable, so never a leak */

static void mail_gmime_init(void)
{
    static int done;
    if (!done) {
        g_mime_init();
        done = 1;
    }
}

static void *mail_magic_get(struct mail_ctx *ctx)
{
    if (ctx && ctx->magic)
        return ctx->magic;
    static int tried;
    if (!tried) {
        tried = 1;
        magic_t m = magic_open(MAGIC_MIME_TYPE | MAGIC_ERROR);
        if (m && magic_load(m, NULL) == 0)
            mail_magic = m;
        else if (m)
            magic_close(m);
    }
    if (ctx)
        ctx->magic = mail_magic;
    return mail_magic;
}

/* ---- charsets ------------------------------------------------------------------- */

/* The iconv name to decode a declared charset with: supersets for the
 * Japanese and Chinese charsets (Microsoft's extensions are what mailers
 * really send), GMime's alias table for the rest. */
static const char *mail_charset_name(const char *cs)
{
    static const struct {
        const char *label, *iconv;
    } map[] = {
        {"shift_jis", "CP932"},      {"shift-jis", "CP932"},    {"sjis", "CP932"},
        {"x-sjis", "CP932"},         {"windows-31j", "CP932"},  {"cp932", "CP932"},
        {"ms932", "CP932"},          {"iso-2022-jp", "ISO-2022-JP-3"},
        {"csiso2022jp", "ISO-2022-JP-3"},                       {"euc-jp", "EUC-JP-MS"},
        {"x-euc-jp", "EUC-JP-MS"},   {"gb2312", "GB18030"},     {"gbk", "GB18030"},
        {"x-gbk", "GB18030"},        {"cp936", "GB18030"},      {"big5", "BIG5-HKSCS"},
        {"ks_c_5601-1987", "CP949"}, {"euc-kr", "CP949"},       {"us-ascii", "UTF-8"},
        {"ascii", "UTF-8"},          {"iso-8859-1", "WINDOWS-1252"},
        {"latin1", "WINDOWS-1252"},
    };
    if (!cs || !*cs)
        return NULL;
    for (size_t i = 0; i < ARRAY_SIZE(map); i++)
        if (g_ascii_strcasecmp(cs, map[i].label) == 0)
            return map[i].iconv;
    return g_mime_charset_iconv_name(cs);
}

/* Converts with iconv, replacing what cannot be converted by U+FFFD and
 * going on. Returns NULL only if the charset is unknown to iconv. */
static char *mail_iconv_lossy(const char *cs, const char *in, size_t len)
{
    GIConv cd = g_iconv_open("UTF-8", cs);
    if (cd == (GIConv)-1)
        return NULL;
    struct strbuf sb = STRBUF_INIT;
    char out[4096];
    char *ip = (char *)(uintptr_t)in;
    gsize ileft = len;
    unsigned bad = 0;
    while (ileft > 0) {
        char *op = out;
        gsize oleft = sizeof(out);
        gsize rc = g_iconv(cd, &ip, &ileft, &op, &oleft);
        sb_putn(&sb, out, sizeof(out) - oleft);
        if (rc == (gsize)-1 && errno != E2BIG) {
            if (errno == EINVAL && ileft < 8) /* cut multibyte at the end */
                ileft = 0;
            else if (ileft > 0) {
                ip++;
                ileft--;
            }
            sb_puts(&sb, "\xEF\xBF\xBD");
            g_iconv(cd, NULL, NULL, NULL, NULL);
            if (++bad > len / 2 + 16) /* mostly garbage: stop paying for it */
                break;
        }
    }
    char *op = out;
    gsize oleft = sizeof(out);
    g_iconv(cd, NULL, NULL, &op, &oleft);
    sb_putn(&sb, out, sizeof(out) - oleft);
    g_iconv_close(cd);
    if (!sb.s)
        return xstrdup("");
    return sb_detach(&sb);
}

static unsigned mail_count_invalid(const char *s, size_t len)
{
    unsigned bad = 0;
    const char *end;
    while (len > 0 && !g_utf8_validate(s, (gssize)len, &end)) {
        bad++;
        size_t skip = (size_t)(end - s) + 1;
        s += skip;
        len -= skip;
    }
    return bad;
}

/* Bytes in an undeclared or unknown charset: UTF-8 if valid, then the
 * Japanese charsets, then windows-1252, which maps every byte. */
static char *mail_guess_utf8(const char *in, size_t len)
{
    if (!in || len == 0)
        return g_strdup("");
    if (g_utf8_validate(in, (gssize)len, NULL))
        return g_strndup(in, len);
    if (memchr(in, 0x1b, len)) { /* ESC: ISO-2022-JP */
        char *s = mail_iconv_lossy("ISO-2022-JP-3", in, len);
        if (s) {
            char *g = g_strdup(s);
            free(s);
            return g;
        }
    }
    static const char *const tries[] = {"CP932", "EUC-JP-MS", "GB18030"};
    char *best = NULL;
    unsigned best_bad = UINT32_MAX;
    for (size_t i = 0; i < ARRAY_SIZE(tries); i++) {
        char *s = mail_iconv_lossy(tries[i], in, len);
        if (!s)
            continue;
        unsigned bad = 0;
        for (const char *p = s; (p = strstr(p, "\xEF\xBF\xBD")); p += 3)
            bad++;
        if (bad < best_bad) {
            g_free(best);
            best = g_strdup(s);
            best_bad = bad;
        }
        free(s);
        if (bad == 0)
            break;
    }
    if (best && best_bad * 50 <= len)
        return best;
    g_free(best);
    char *s = mail_iconv_lossy("WINDOWS-1252", in, len);
    if (s) {
        char *g = g_strdup(s);
        free(s);
        return g;
    }
    return g_utf8_make_valid(in, (gssize)len);
}

/* Decodes bytes declared as cs into UTF-8; never fails. g_free() the result. */
static char *mail_to_utf8(const char *cs, const char *in, size_t len)
{
    if (!in || len == 0)
        return g_strdup("");
    const char *name = mail_charset_name(cs);
    if (name && g_ascii_strcasecmp(name, "UTF-8") != 0) {
        char *s = mail_iconv_lossy(name, in, len);
        if (s) {
            /* A wrong label (GB2312 on Japanese, Latin-1 on UTF-8) shows
             * as many replacement characters: then guess instead. */
            unsigned bad = 0;
            for (const char *p = s; (p = strstr(p, "\xEF\xBF\xBD")); p += 3)
                bad++;
            if (bad * 20 <= len) {
                char *g = g_strdup(s);
                free(s);
                return g;
            }
            free(s);
        }
    }
    if (name && g_ascii_strcasecmp(name, "UTF-8") == 0 && mail_count_invalid(in, len) == 0)
        return g_strndup(in, len);
    return mail_guess_utf8(in, len);
}

/* ---- small helpers -------------------------------------------------------------- */

static char *mail_strdup_or_null(const char *s)
{
    return s && *s ? xstrdup(s) : NULL;
}

/* A header value unfolded (CR/LF and the folding whitespace become one
 * space), 8-bit bytes made valid UTF-8. */
static char *mail_unfold(const char *v)
{
    if (!v)
        return NULL;
    size_t n = strnlen(v, MAIL_MAX_HEADER_VALUE);
    char *u = mail_guess_utf8(v, n);
    struct strbuf sb = STRBUF_INIT;
    for (const char *p = u; *p; p++) {
        if (*p == '\r' || *p == '\n') {
            while (p[1] == '\r' || p[1] == '\n' || p[1] == ' ' || p[1] == '\t')
                p++;
            sb_putc(&sb, ' ');
            continue;
        }
        sb_putc(&sb, *p == '\t' ? ' ' : *p);
    }
    g_free(u);
    char *s = sb.s ? sb_detach(&sb) : xstrdup("");
    /* trim */
    char *b = s;
    while (*b == ' ')
        b++;
    size_t l = strlen(b);
    while (l > 0 && b[l - 1] == ' ')
        l--;
    memmove(s, b, l);
    s[l] = '\0';
    return s;
}

static void mail_lower(char *s)
{
    for (; s && *s; s++)
        *s = (char)tolower((unsigned char)*s);
}

/* Splits local@domain; the domain is lower-cased, trailing dots and
 * brackets removed. */
static void mail_addr_set(struct mail_addr *a, const char *display, const char *addr)
{
    a->display = display && *display ? mail_unfold(display) : NULL;
    if (a->display && !*a->display) {
        free(a->display);
        a->display = NULL;
    }
    if (!addr || !*addr)
        return;
    char *s = mail_unfold(addr);
    char *at = strrchr(s, '@');
    if (at) {
        mail_lower(at + 1);
        char *d = at + 1;
        size_t l = strlen(d);
        while (l > 0 && (d[l - 1] == '.' || d[l - 1] == '>' || d[l - 1] == ']'))
            d[--l] = '\0';
        if (*d == '[')
            d++;
        if (*d)
            a->domain = xstrdup(d);
    }
    a->addr = s;
}

static void mail_addr_release(struct mail_addr *a)
{
    free(a->display);
    free(a->addr);
    free(a->domain);
    memset(a, 0, sizeof(*a));
}

/* The first mailbox of a list (groups are looked into). */
static InternetAddressMailbox *mail_first_mailbox(InternetAddressList *l, int depth)
{
    if (!l || depth > 4)
        return NULL;
    int n = internet_address_list_length(l);
    for (int i = 0; i < n && i < 64; i++) {
        InternetAddress *ia = internet_address_list_get_address(l, i);
        if (INTERNET_ADDRESS_IS_MAILBOX(ia))
            return INTERNET_ADDRESS_MAILBOX(ia);
        if (INTERNET_ADDRESS_IS_GROUP(ia)) {
            InternetAddressMailbox *mb = mail_first_mailbox(
                internet_address_group_get_members(INTERNET_ADDRESS_GROUP(ia)), depth + 1);
            if (mb)
                return mb;
        }
    }
    return NULL;
}

static void mail_addr_from_list(struct mail_addr *a, InternetAddressList *l)
{
    InternetAddressMailbox *mb = mail_first_mailbox(l, 0);
    if (mb)
        mail_addr_set(a, internet_address_get_name(INTERNET_ADDRESS(mb)),
                      internet_address_mailbox_get_addr(mb));
}

static void mail_addr_from_value(struct mail_addr *a, const char *value)
{
    if (!value)
        return;
    InternetAddressList *l = internet_address_list_parse(NULL, value);
    if (l) {
        mail_addr_from_list(a, l);
        g_object_unref(l);
    }
}

/* ---- Received ------------------------------------------------------------------- */

/* A host name or IP token at p (letters, digits, . - : _ and IPv6 colons). */
static char *mail_token(const char *p)
{
    while (*p == ' ')
        p++;
    size_t n = 0;
    while (p[n] && (isalnum((unsigned char)p[n]) || strchr(".-_:", p[n])))
        n++;
    while (n > 0 && p[n - 1] == '.')
        n--;
    if (n == 0 || n > 255)
        return NULL;
    char *s = g_strndup(p, n);
    char *r = xstrdup(s);
    g_free(s);
    mail_lower(r);
    return r;
}

static bool mail_is_ipv4(const char *s, size_t n)
{
    int dots = 0, digits = 0;
    for (size_t i = 0; i < n; i++) {
        if (s[i] == '.') {
            if (!digits)
                return false;
            dots++;
            digits = 0;
        } else if (isdigit((unsigned char)s[i])) {
            if (++digits > 3)
                return false;
        } else
            return false;
    }
    return dots == 3 && digits > 0;
}

/* First IPv4 or IPv6 literal in the text [p, end): in brackets, or a bare
 * dotted quad. */
static char *mail_first_ip(const char *p, const char *end)
{
    for (const char *q = p; q < end; q++) {
        if (*q == '[') {
            const char *c = memchr(q, ']', (size_t)(end - q));
            if (!c)
                break;
            const char *s = q + 1;
            if ((size_t)(c - s) > 5 && g_ascii_strncasecmp(s, "IPv6:", 5) == 0)
                s += 5;
            size_t n = (size_t)(c - s);
            if (n >= 2 && n < 46 && (mail_is_ipv4(s, n) || memchr(s, ':', n)))
                return g_strndup(s, n);
            q = c;
            continue;
        }
        if (isdigit((unsigned char)*q) && (q == p || !isalnum((unsigned char)q[-1]))) {
            size_t n = 0;
            while (q + n < end && (isdigit((unsigned char)q[n]) || q[n] == '.'))
                n++;
            if (mail_is_ipv4(q, n) && (q + n == end || !isalnum((unsigned char)q[n])))
                return g_strndup(q, n);
            q += n;
        }
    }
    return NULL;
}

/* A word at a clause start: " from ", " by " outside parentheses. */
static const char *mail_clause(const char *v, const char *word)
{
    size_t wl = strlen(word);
    int depth = 0;
    for (const char *p = v; *p; p++) {
        if (*p == '(')
            depth++;
        else if (*p == ')' && depth > 0)
            depth--;
        else if (!depth && (p == v || p[-1] == ' ') && g_ascii_strncasecmp(p, word, wl) == 0 &&
                 p[wl] == ' ')
            return p + wl;
    }
    return NULL;
}

static int64_t mail_parse_date(const char *s)
{
    if (!s)
        return INT64_MIN;
    GDateTime *dt = g_mime_utils_header_decode_date(s);
    if (!dt)
        return INT64_MIN;
    int64_t t = g_date_time_to_unix(dt);
    g_date_time_unref(dt);
    return t;
}

static void mail_received_parse(struct mail_received *r, const char *raw)
{
    r->raw = xstrdup(raw);
    r->ts = INT64_MIN;
    const char *from = mail_clause(raw, "from");
    const char *by = mail_clause(raw, "by");
    if (from) {
        r->from_host = mail_token(from);
        const char *end = by && by > from ? by : from + strlen(from);
        char *ip = mail_first_ip(from, end);
        if (ip) {
            r->from_ip = xstrdup(ip);
            g_free(ip);
        }
        if (r->from_host && r->from_ip && strcmp(r->from_host, r->from_ip) == 0) {
            free(r->from_host);
            r->from_host = NULL;
        }
    }
    if (by)
        r->by_host = mail_token(by);
    const char *semi = strrchr(raw, ';');
    if (semi)
        r->ts = mail_parse_date(semi + 1);
}

/* ---- the message ---------------------------------------------------------------- */

struct mail_walk {
    struct mail_msg *m;
    struct mail_ctx *ctx;
    struct strbuf text, html;
    size_t ninner_cap, natt_cap;
};

static struct mail_msg *mail_from_gmime(GMimeMessage *gm, struct mail_ctx *ctx, int depth);

static void mail_headers_fill(struct mail_msg *m, GMimeObject *obj)
{
    GMimeHeaderList *hl = g_mime_object_get_header_list(obj);
    int n = hl ? g_mime_header_list_get_count(hl) : 0;
    if (n > MAIL_MAX_HEADERS) {
        n = MAIL_MAX_HEADERS;
        m->truncated = true;
    }
    m->headers = xcalloc((size_t)(n > 0 ? n : 1), sizeof(*m->headers));
    size_t nrecv = 0;
    for (int i = 0; i < n; i++) {
        GMimeHeader *h = g_mime_header_list_get_header_at(hl, i);
        const char *name = g_mime_header_get_name(h);
        const char *raw = g_mime_header_get_raw_value(h);
        if (!name)
            continue;
        struct mail_header *mh = &m->headers[m->nheaders++];
        mh->name = mail_unfold(name);
        mh->value = mail_unfold(raw ? raw : "");
        if (g_ascii_strcasecmp(name, "Received") == 0)
            nrecv++;
    }
    if (nrecv > MAIL_MAX_RECEIVED) {
        nrecv = MAIL_MAX_RECEIVED;
        m->truncated = true;
    }
    m->received = xcalloc(nrecv ? nrecv : 1, sizeof(*m->received));
    for (size_t i = 0; i < m->nheaders && m->nreceived < nrecv; i++)
        if (g_ascii_strcasecmp(m->headers[i].name, "Received") == 0)
            mail_received_parse(&m->received[m->nreceived++], m->headers[i].value);
}

/* The decoded bytes of a leaf part. g_byte_array_free(.., TRUE) them. */
static GByteArray *mail_part_bytes(GMimePart *part)
{
    GMimeDataWrapper *dw = g_mime_part_get_content(part);
    GByteArray *ba = g_byte_array_new();
    if (!dw)
        return ba;
    GMimeStream *ms = g_mime_stream_mem_new_with_byte_array(ba);
    g_mime_stream_mem_set_owner(GMIME_STREAM_MEM(ms), FALSE);
    g_mime_data_wrapper_write_to_stream(dw, ms);
    g_object_unref(ms);
    if (ba->len > MAIL_MAX_BYTES)
        g_byte_array_set_size(ba, MAIL_MAX_BYTES);
    return ba;
}

static void mail_text_append(struct mail_walk *w, struct strbuf *sb, const char *s)
{
    size_t have = w->text.len + w->html.len;
    if (have >= MAIL_MAX_TEXT) {
        w->m->truncated = true;
        return;
    }
    size_t n = strlen(s), room = MAIL_MAX_TEXT - have;
    if (n > room) {
        /* cut at a character boundary */
        while (room > 0 && ((unsigned char)s[room] & 0xC0) == 0x80)
            room--;
        n = room;
        w->m->truncated = true;
    }
    if (sb->len && n)
        sb_putc(sb, '\n');
    sb_putn(sb, s, n);
}

static bool mail_ends_with(const char *s, const char *suffix)
{
    size_t a = strlen(s), b = strlen(suffix);
    return a >= b && g_ascii_strcasecmp(s + a - b, suffix) == 0;
}

static struct mail_attachment *mail_att_new(struct mail_walk *w)
{
    struct mail_msg *m = w->m;
    if (m->nattachments == w->natt_cap) {
        w->natt_cap = w->natt_cap ? w->natt_cap * 2 : 4;
        m->attachments = xrealloc(m->attachments, w->natt_cap * sizeof(*m->attachments));
    }
    struct mail_attachment *a = &m->attachments[m->nattachments++];
    memset(a, 0, sizeof(*a));
    return a;
}

static void mail_inner_add(struct mail_walk *w, struct mail_msg *inner)
{
    struct mail_msg *m = w->m;
    if (m->ninner == w->ninner_cap) {
        w->ninner_cap = w->ninner_cap ? w->ninner_cap * 2 : 2;
        m->inner = xrealloc(m->inner, w->ninner_cap * sizeof(*m->inner));
    }
    m->inner[m->ninner++] = inner;
    if (inner->truncated)
        m->truncated = true;
}

static struct mail_msg *mail_parse_depth(const char *buf, size_t len, struct mail_ctx *ctx,
                                         int depth, const char **err);

/* An attachment's bytes (a NUL-terminated copy) and what libmagic says
 * they are. */
static void mail_att_set_data(struct mail_walk *w, struct mail_attachment *a,
                              const unsigned char *data, size_t len)
{
    unsigned char *copy = xmalloc(len + 1);
    if (len)
        memcpy(copy, data, len);
    copy[len] = 0;
    a->data = copy;
    a->len = len;
    magic_t mg = mail_magic_get(w->ctx);
    if (mg && len) {
        const char *mm = magic_buffer(mg, a->data, MIN(len, (size_t)MAIL_MAGIC_BYTES));
        a->magic_mime = mail_strdup_or_null(mm);
    }
}

/* One file of a winmail.dat, added as an attachment of its own. */
static void mail_tnef_add(void *arg, const char *name, const unsigned char *data, size_t len)
{
    struct mail_walk *w = arg;
    struct mail_attachment *a = mail_att_new(w);
    a->filename = name ? xstrdup(name) : NULL;
    a->content_type = xstrdup("application/octet-stream");
    a->from_tnef = true;
    mail_att_set_data(w, a, data, len);
}

static void mail_leaf(struct mail_walk *w, GMimePart *part, int depth)
{
    GMimeObject *obj = GMIME_OBJECT(part);
    GMimeContentType *ct = g_mime_object_get_content_type(obj);
    const char *type = ct ? g_mime_content_type_get_media_type(ct) : NULL;
    const char *sub = ct ? g_mime_content_type_get_media_subtype(ct) : NULL;
    char ctype[128];
    snprintf(ctype, sizeof(ctype), "%s/%s", type ? type : "text", sub ? sub : "plain");
    mail_lower(ctype);
    const char *fname = g_mime_part_get_filename(part);
    GMimeContentDisposition *cd = g_mime_object_get_content_disposition(obj);
    const char *disp = cd ? g_mime_content_disposition_get_disposition(cd) : NULL;
    bool attach = g_mime_part_is_attachment(part) || (fname && *fname) ||
                  (disp && g_ascii_strcasecmp(disp, "attachment") == 0);
    bool is_text = strcmp(ctype, "text/plain") == 0 || strcmp(ctype, "text/html") == 0;
    GByteArray *ba = mail_part_bytes(part);
    if (is_text && !attach) {
        const char *cs = ct ? g_mime_content_type_get_parameter(ct, "charset") : NULL;
        char *u = mail_to_utf8(cs, (const char *)ba->data, ba->len);
        mail_text_append(w, strcmp(ctype, "text/html") == 0 ? &w->html : &w->text, u);
        g_free(u);
        g_byte_array_free(ba, TRUE);
        return;
    }
    struct mail_attachment *a = mail_att_new(w);
    a->filename = fname && *fname ? mail_unfold(fname) : NULL;
    a->content_type = xstrdup(ctype);
    mail_att_set_data(w, a, ba->data, ba->len);
    g_byte_array_free(ba, TRUE);
    /* An Outlook winmail.dat: its files are attachments too. */
    if (strcmp(ctype, "application/ms-tnef") == 0 ||
        (a->magic_mime && strcmp(a->magic_mime, "application/vnd.ms-tnef") == 0) ||
        (a->filename && g_ascii_strcasecmp(a->filename, "winmail.dat") == 0)) {
        const unsigned char *tdata = a->data;
        size_t tlen = a->len;
        mail_tnef_files(tdata, tlen, mail_tnef_add, w); /* moves `a` (realloc) */
        return;
    }
    /* A mail saved as a file and attached (how people report phishing):
     * parse it like a message/rfc822 part. */
    bool eml = (a->filename && (mail_ends_with(a->filename, ".eml") ||
                                mail_ends_with(a->filename, ".msg.txt"))) ||
               strcmp(ctype, "message/rfc822") == 0;
    if (eml && a->len > 0 && depth + 1 < MAIL_MAX_DEPTH) {
        const char *e = NULL;
        struct mail_msg *inner = mail_parse_depth((const char *)a->data, a->len, w->ctx,
                                                  depth + 1, &e);
        if (inner) {
            a->is_message = true;
            mail_inner_add(w, inner);
        }
    }
}

static void mail_walk_part(struct mail_walk *w, GMimeObject *obj, int depth)
{
    if (!obj)
        return;
    if (w->m->nparts >= MAIL_MAX_PARTS || depth >= MAIL_MAX_DEPTH) {
        w->m->truncated = true;
        return;
    }
    w->m->nparts++;
    if (GMIME_IS_MULTIPART(obj)) {
        GMimeMultipart *mp = GMIME_MULTIPART(obj);
        int n = g_mime_multipart_get_count(mp);
        for (int i = 0; i < n; i++)
            mail_walk_part(w, g_mime_multipart_get_part(mp, i), depth + 1);
        return;
    }
    if (GMIME_IS_MESSAGE_PART(obj)) {
        GMimeMessage *im = g_mime_message_part_get_message(GMIME_MESSAGE_PART(obj));
        struct mail_attachment *a = mail_att_new(w);
        a->content_type = xstrdup("message/rfc822");
        a->is_message = true;
        GMimeContentDisposition *cd = g_mime_object_get_content_disposition(obj);
        const char *fn = cd ? g_mime_content_disposition_get_parameter(cd, "filename") : NULL;
        a->filename = fn && *fn ? mail_unfold(fn) : NULL;
        if (im) {
            char *s = g_mime_object_to_string(GMIME_OBJECT(im), NULL);
            size_t n = s ? strlen(s) : 0;
            /* The bytes are kept for the checks' sake only (the parsed
             * message is in inner): a cap keeps 32 nested levels of a big
             * message from costing 32 copies of it. */
            if (n > MAIL_MAX_TEXT) {
                n = MAIL_MAX_TEXT;
                w->m->truncated = true;
            }
            unsigned char *data = xmalloc(n + 1);
            if (n)
                memcpy(data, s, n);
            data[n] = '\0';
            g_free(s);
            a->data = data;
            a->len = n;
            a->magic_mime = xstrdup("message/rfc822");
            if (depth + 1 < MAIL_MAX_DEPTH)
                mail_inner_add(w, mail_from_gmime(im, w->ctx, depth + 1));
            else
                w->m->truncated = true;
        }
        return;
    }
    if (GMIME_IS_PART(obj))
        mail_leaf(w, GMIME_PART(obj), depth);
}

/* "ja" when there is Japanese kana and CJK text makes up a good share of the
 * letters (Chinese has no kana; a Japanese sentence always has some). */
static const char *mail_detect_lang(const char *subject, const char *text, const char *html)
{
    const char *parts[] = {subject, text, html};
    size_t kana = 0, cjk = 0, letters = 0;
    for (size_t i = 0; i < ARRAY_SIZE(parts); i++) {
        const char *p = parts[i];
        if (!p)
            continue;
        size_t seen = 0;
        while (*p && seen < 200000) {
            gunichar c = g_utf8_get_char_validated(p, -1);
            if (c == (gunichar)-1 || c == (gunichar)-2) {
                p++;
                continue;
            }
            if ((c >= 0x3041 && c <= 0x30FF) || (c >= 0xFF66 && c <= 0xFF9D))
                kana++, cjk++, letters++;
            else if (c >= 0x4E00 && c <= 0x9FFF)
                cjk++, letters++;
            else if (g_unichar_isalpha(c))
                letters++;
            p += g_utf8_skip[*(const guchar *)p];
            seen++;
        }
    }
    if (kana >= 3 && cjk * 5 >= letters)
        return "ja";
    return "en";
}

/* A mail forwarded in the text: parsed as an attached message of its own,
 * with the forward's links (an HTML forward keeps them in <a> tags the
 * rebuilt text no longer has). */
static void mail_inline_forward(struct mail_walk *w, int depth)
{
    struct mail_msg *m = w->m;
    if (m->quoted || depth + 1 >= MAIL_MAX_DEPTH)
        return;
    size_t len = 0;
    char *raw = mail_forward_extract(m->subject, *m->text ? m->text : m->html_text, &len);
    if (!raw)
        return;
    const char *e = NULL;
    struct mail_msg *in = mail_parse_depth(raw, len, w->ctx, depth + 1, &e);
    free(raw);
    if (!in)
        return;
    in->quoted = true;
    for (size_t i = 0; i < m->nlinks && in->nlinks < MAIL_MAX_LINKS; i++) {
        in->links = xrealloc(in->links, (in->nlinks + 1) * sizeof(*in->links));
        struct mail_link *d = &in->links[in->nlinks++];
        const struct mail_link *l = &m->links[i];
        d->href = mail_strdup_or_null(l->href);
        d->host = mail_strdup_or_null(l->host);
        d->text = mail_strdup_or_null(l->text);
        d->in_html = l->in_html;
        d->in_attachment = l->in_attachment;
    }
    mail_inner_add(w, in);
}

static struct mail_msg *mail_from_gmime(GMimeMessage *gm, struct mail_ctx *ctx, int depth)
{
    struct mail_msg *m = xcalloc(1, sizeof(*m));
    GMimeObject *obj = GMIME_OBJECT(gm);
    m->date = INT64_MIN;
    mail_headers_fill(m, obj);
    mail_addr_from_list(&m->from, g_mime_message_get_from(gm));
    mail_addr_from_list(&m->sender, g_mime_message_get_sender(gm));
    mail_addr_from_list(&m->reply_to, g_mime_message_get_reply_to(gm));
    mail_addr_from_value(&m->return_path, mail_header_get(m, "Return-Path"));
    InternetAddressList *lists[] = {g_mime_message_get_to(gm), g_mime_message_get_cc(gm)};
    size_t cap = 0;
    for (size_t k = 0; k < ARRAY_SIZE(lists); k++) {
        int n = lists[k] ? internet_address_list_length(lists[k]) : 0;
        for (int i = 0; i < n && m->nto < 256; i++) {
            InternetAddress *ia = internet_address_list_get_address(lists[k], i);
            if (!INTERNET_ADDRESS_IS_MAILBOX(ia))
                continue;
            if (m->nto == cap) {
                cap = cap ? cap * 2 : 4;
                m->to = xrealloc(m->to, cap * sizeof(*m->to));
            }
            struct mail_addr *a = &m->to[m->nto++];
            memset(a, 0, sizeof(*a));
            mail_addr_set(a, internet_address_get_name(ia),
                          internet_address_mailbox_get_addr(INTERNET_ADDRESS_MAILBOX(ia)));
        }
    }
    const char *subj = g_mime_message_get_subject(gm);
    m->subject = subj ? mail_unfold(subj) : NULL;
    const char *mid = g_mime_message_get_message_id(gm);
    m->message_id = mid && *mid ? mail_unfold(mid) : NULL;
    m->in_reply_to = mail_strdup_or_null(mail_header_get(m, "In-Reply-To"));
    m->references = mail_strdup_or_null(mail_header_get(m, "References"));
    const char *xm = mail_header_get(m, "X-Mailer");
    if (!xm)
        xm = mail_header_get(m, "User-Agent");
    m->x_mailer = mail_strdup_or_null(xm);
    m->date = mail_parse_date(mail_header_get(m, "Date"));

    struct mail_walk w = {.m = m, .ctx = ctx};
    mail_walk_part(&w, g_mime_message_get_mime_part(gm), depth);
    m->text = w.text.s ? sb_detach(&w.text) : xstrdup("");
    m->html = w.html.s ? sb_detach(&w.html) : xstrdup("");
    struct mail_html_out ho;
    mail_html_extract(m->html, strlen(m->html), &ho);
    m->html_text = ho.text;
    m->nforms = ho.nforms;
    m->links = ho.links;
    m->nlinks = ho.nlinks;
    mail_text_links(m->text, &m->links, &m->nlinks);
    /* Links inside attached PDFs: a PDF that is only a "click here" is a
     * common way to carry a phishing link past link scanners. */
    for (size_t i = 0; i < m->nattachments; i++) {
        const struct mail_attachment *a = &m->attachments[i];
        if (a->len >= 5 && memmem(a->data, MIN(a->len, (size_t)1024), "%PDF-", 5))
            mail_pdf_links(a->data, a->len, &m->links, &m->nlinks);
    }
    if (ho.truncated)
        m->truncated = true;
    m->lang = xstrdup(mail_detect_lang(m->subject, m->text, m->html_text));
    mail_inline_forward(&w, depth);
    return m;
}

/* Looks like a message: a header line "Name: value" within the first
 * bytes (after an mbox "From " line). */
static bool mail_looks_like_message(const char *buf, size_t len)
{
    size_t i = 0;
    if (len >= 3 && memcmp(buf, "\xEF\xBB\xBF", 3) == 0) /* UTF-8 byte order mark */
        i = 3;
    while (i < len && (buf[i] == '\r' || buf[i] == '\n' || buf[i] == ' ' || buf[i] == '\t'))
        i++;
    if (len - i > 5 && memcmp(buf + i, "From ", 5) == 0) {
        const char *nl = memchr(buf + i, '\n', len - i);
        if (!nl)
            return false;
        i = (size_t)(nl - buf) + 1;
    }
    size_t n = 0;
    while (i + n < len && n < 200 && buf[i + n] > 32 && buf[i + n] < 127 && buf[i + n] != ':')
        n++;
    return n > 0 && i + n < len && buf[i + n] == ':';
}

/* The number of bytes GMime gets: at most MAIL_MAX_BYTES, and cut before
 * the (MAIL_MAX_PARTS+1)th Content-Type line, because GMime's parser
 * recurses once per nested part and a hostile message may nest thousands. */
static size_t mail_bound(const char *buf, size_t len, bool *cut)
{
    size_t lim = MIN(len, (size_t)MAIL_MAX_BYTES);
    *cut = lim < len;
    unsigned n = 0;
    for (size_t i = 0; i + 13 < lim; i++) {
        if ((i == 0 || buf[i - 1] == '\n') && (buf[i] == 'C' || buf[i] == 'c') &&
            g_ascii_strncasecmp(buf + i, "content-type:", 13) == 0 &&
            ++n > MAIL_MAX_PARTS / 4) {
            *cut = true;
            return i;
        }
        const char *nl = memchr(buf + i, '\n', lim - i);
        if (!nl)
            break;
        i = (size_t)(nl - buf);
    }
    return lim;
}

/* Total bytes of the top-level header block kept. */
#define MAIL_MAX_HEADER_BLOCK (1u << 20)

/* A copy of the message GMime can parse in linear time: GMime grows a
 * header's buffer in small steps (quadratic on a 10 MB header), so each
 * header is cut at MAIL_MAX_HEADER_VALUE, the header block at
 * MAIL_MAX_HEADER_BLOCK and every line anywhere at MAIL_MAX_HEADER_VALUE.
 * Returns NULL when nothing needed cutting. */
static char *mail_trim_input(const char *buf, size_t len, size_t *outlen)
{
    bool need = false, in_head = true;
    size_t hdr = 0, block = 0;
    for (size_t i = 0; i < len && !need;) {
        const char *nl = memchr(buf + i, '\n', len - i);
        size_t l = nl ? (size_t)(nl - (buf + i)) + 1 : len - i;
        if (l > MAIL_MAX_HEADER_VALUE)
            need = true;
        if (in_head) {
            if (l <= 2 && (buf[i] == '\n' || buf[i] == '\r'))
                in_head = false;
            hdr = (buf[i] == ' ' || buf[i] == '\t') ? hdr + l : l;
            block += l;
            if (hdr > MAIL_MAX_HEADER_VALUE || block > MAIL_MAX_HEADER_BLOCK)
                need = true;
        }
        i += l;
    }
    if (!need)
        return NULL;
    struct strbuf sb = STRBUF_INIT;
    in_head = true;
    hdr = block = 0;
    bool skipping = false;
    for (size_t i = 0; i < len;) {
        const char *nl = memchr(buf + i, '\n', len - i);
        size_t l = nl ? (size_t)(nl - (buf + i)) + 1 : len - i;
        const char *line = buf + i;
        i += l;
        if (in_head) {
            if (l <= 2 && (line[0] == '\n' || line[0] == '\r')) {
                in_head = false;
                sb_putn(&sb, line, l);
                continue;
            }
            bool cont = line[0] == ' ' || line[0] == '\t';
            if (!cont) {
                hdr = 0;
                skipping = false;
            }
            if (skipping || hdr + l > MAIL_MAX_HEADER_VALUE ||
                block + l > MAIL_MAX_HEADER_BLOCK) {
                skipping = true;
                continue;
            }
            hdr += l;
            block += l;
        }
        if (l > MAIL_MAX_HEADER_VALUE) {
            sb_putn(&sb, line, MAIL_MAX_HEADER_VALUE);
            sb_putc(&sb, '\n');
        } else {
            sb_putn(&sb, line, l);
        }
    }
    *outlen = sb.len;
    return sb.s ? sb_detach(&sb) : xstrdup("");
}

static GMimeParserOptions *mail_parser_options(void)
{
    static GMimeParserOptions *po;
    if (!po) {
        po = g_mime_parser_options_new();
        static const char *fallback[] = {"UTF-8", "CP932", "EUC-JP", "WINDOWS-1252", NULL};
        g_mime_parser_options_set_fallback_charsets(po, fallback);
        g_mime_parser_options_set_rfc2047_compliance_mode(po, GMIME_RFC_COMPLIANCE_LOOSE);
        g_mime_parser_options_set_address_compliance_mode(po, GMIME_RFC_COMPLIANCE_LOOSE);
        g_mime_parser_options_set_parameter_compliance_mode(po, GMIME_RFC_COMPLIANCE_LOOSE);
        g_mime_parser_options_set_allow_addresses_without_domain(po, TRUE);
    }
    return po;
}

static struct mail_msg *mail_parse_depth(const char *buf, size_t len, struct mail_ctx *ctx,
                                         int depth, const char **err)
{
    mail_gmime_init();
    if (!mail_looks_like_message(buf, len)) {
        *err = "not a mail message (no header lines)";
        return NULL;
    }
    if (len >= 3 && memcmp(buf, "\xEF\xBB\xBF", 3) == 0) {
        buf += 3;
        len -= 3;
    }
    size_t tlen = 0;
    char *trimmed = mail_trim_input(buf, MIN(len, (size_t)MAIL_MAX_BYTES), &tlen);
    bool was_trimmed = trimmed != NULL;
    if (trimmed) {
        buf = trimmed;
        len = tlen;
    }
    bool cut;
    size_t n = mail_bound(buf, len, &cut);
    GMimeStream *st = g_mime_stream_mem_new_with_buffer(buf, n);
    GMimeParser *p = g_mime_parser_new_with_stream(st);
    g_mime_parser_set_format(p, GMIME_FORMAT_MESSAGE);
    g_mime_parser_set_respect_content_length(p, FALSE);
    GMimeMessage *gm = g_mime_parser_construct_message(p, mail_parser_options());
    g_object_unref(p);
    g_object_unref(st);
    free(trimmed);
    if (!gm) {
        *err = "not a mail message (GMime could not parse the headers)";
        return NULL;
    }
    struct mail_msg *m = mail_from_gmime(gm, ctx, depth);
    g_object_unref(gm);
    if (cut || was_trimmed)
        m->truncated = true;
    return m;
}

struct mail_msg *mail_parse(const char *buf, size_t len, struct mail_ctx *ctx, const char **err)
{
    return mail_parse_depth(buf, len, ctx, 0, err);
}

/* An mbox: the buffer starts with a "From " line (after blank lines). */
static bool mail_is_mbox(const char *buf, size_t len)
{
    size_t i = 0;
    while (i < len && (buf[i] == '\r' || buf[i] == '\n'))
        i++;
    return len - i > 5 && memcmp(buf + i, "From ", 5) == 0;
}

/* Next "\nFrom " separator at or after off, or len. */
static size_t mail_mbox_next(const char *buf, size_t len, size_t off)
{
    for (size_t i = off; i + 6 <= len;) {
        const char *nl = memchr(buf + i, '\n', len - i);
        if (!nl)
            break;
        i = (size_t)(nl - buf) + 1;
        if (i + 5 <= len && memcmp(buf + i, "From ", 5) == 0)
            return i;
    }
    return len;
}

int mail_parse_each(const char *buf, size_t len, struct mail_ctx *ctx,
                    int (*fn)(void *arg, struct mail_msg *m, size_t index), void *arg,
                    const char **err)
{
    if (!mail_is_mbox(buf, len)) {
        struct mail_msg *m = mail_parse(buf, len, ctx, err);
        if (!m)
            return -1;
        int rc = fn(arg, m, 0);
        mail_msg_free(m);
        return rc < 0 ? -1 : 0;
    }
    size_t off = 0, index = 0, good = 0;
    while (off < len && (buf[off] == '\r' || buf[off] == '\n'))
        off++;
    while (off < len) {
        size_t next = mail_mbox_next(buf, len, off);
        const char *nl = memchr(buf + off, '\n', next - off);
        size_t body = nl ? (size_t)(nl - buf) + 1 : next; /* skip the "From " line */
        const char *e = NULL;
        struct mail_msg *m = body < next ? mail_parse(buf + body, next - body, ctx, &e) : NULL;
        if (m) {
            good++;
            int rc = fn(arg, m, index);
            mail_msg_free(m);
            if (rc < 0)
                return -1;
        }
        index++;
        off = next;
    }
    if (!good) {
        *err = "mbox without a readable message";
        return -1;
    }
    return 0;
}

const char *mail_header_get(const struct mail_msg *m, const char *name)
{
    for (size_t i = 0; i < m->nheaders; i++)
        if (g_ascii_strcasecmp(m->headers[i].name, name) == 0)
            return m->headers[i].value;
    return NULL;
}

void mail_msg_free(struct mail_msg *m)
{
    if (!m)
        return;
    for (size_t i = 0; i < m->nheaders; i++) {
        free(m->headers[i].name);
        free(m->headers[i].value);
    }
    free(m->headers);
    mail_addr_release(&m->from);
    mail_addr_release(&m->sender);
    mail_addr_release(&m->reply_to);
    mail_addr_release(&m->return_path);
    for (size_t i = 0; i < m->nto; i++)
        mail_addr_release(&m->to[i]);
    free(m->to);
    free(m->subject);
    free(m->message_id);
    free(m->in_reply_to);
    free(m->references);
    free(m->x_mailer);
    for (size_t i = 0; i < m->nreceived; i++) {
        free(m->received[i].raw);
        free(m->received[i].from_host);
        free(m->received[i].from_ip);
        free(m->received[i].by_host);
    }
    free(m->received);
    free(m->text);
    free(m->html);
    free(m->html_text);
    for (size_t i = 0; i < m->nlinks; i++) {
        free(m->links[i].href);
        free(m->links[i].host);
        free(m->links[i].text);
    }
    free(m->links);
    for (size_t i = 0; i < m->nattachments; i++) {
        free(m->attachments[i].filename);
        free(m->attachments[i].content_type);
        free(m->attachments[i].magic_mime);
        free((void *)(uintptr_t)m->attachments[i].data);
    }
    free(m->attachments);
    for (size_t i = 0; i < m->ninner; i++)
        mail_msg_free(m->inner[i]);
    free(m->inner);
    free(m->lang);
    free(m);
}
