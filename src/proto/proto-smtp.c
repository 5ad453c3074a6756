/* proto-smtp.c - SMTP (RFC 5321) with pipelining (RFC 2920), CHUNKING/BDAT
 * (RFC 3030), STARTTLS (RFC 3207) and AUTH (RFC 4954).
 *
 * The client direction is read line by line in command mode; after DATA the
 * message is counted until the CRLF.CRLF that ends it, after BDAT the chunk
 * is taken by its length; either way the text goes through a bounded reader
 * of the RFC 5322 header block (From, To, Cc, Subject... with RFC 2047
 * words decoded) and of MIME part headers (attachment names), which feeds
 * the "email" object Suricata logs beside "smtp". Body text is never kept.
 * After AUTH the lines
 * are SASL responses: credentials, never stored (the user name of PLAIN,
 * LOGIN and XOAUTH2 is decoded, the rest wiped). Commands wait in a queue
 * until the server's reply (the last line of a multi-line reply) arrives, so
 * pipelined commands get their own codes.
 *
 * One "smtp" event per mail transaction (MAIL FROM up to the reply to the
 * end of the message, RSET, QUIT, a new MAIL or the end of the flow); a
 * session that never sent a mail still gets one event at the end, so AUTH
 * guessing and STARTTLS sessions are visible. A 220 reply to STARTTLS hands
 * the flow to the TLS parser. */
#include <errno.h>
#include <iconv.h>
#include <string.h>

#include "app/app.h"
#include "proto/proto-text.h"
#include "util/limits.h"
#include "util/util.h"

enum smtp_cmd {
    SMTP_C_OTHER = 0,
    SMTP_C_HELO,
    SMTP_C_MAIL,
    SMTP_C_RCPT,
    SMTP_C_DATA,     /* the DATA command itself (354 expected) */
    SMTP_C_DATA_END, /* the "." that ended the message */
    SMTP_C_BDAT,
    SMTP_C_BDAT_LAST,
    SMTP_C_AUTH,
    SMTP_C_STARTTLS,
    SMTP_C_RSET,
    SMTP_C_QUIT,
};

enum smtp_mode {
    SMTP_M_CMD = 0,
    SMTP_M_DATA, /* message text until CRLF.CRLF */
    SMTP_M_BDAT, /* bdat_left bytes of a chunk */
    SMTP_M_AUTH, /* SASL response lines */
};

/* Where the DATA scanner is relative to the terminating CRLF "." CRLF. */
enum smtp_data_pos {
    SMTP_D_MID = 0,  /* inside a line */
    SMTP_D_BOL,      /* at the start of a line */
    SMTP_D_DOT,      /* "." at the start of a line */
    SMTP_D_DOT_CR,   /* ".\r" at the start of a line */
};

enum smtp_mech { SMTP_MECH_OTHER = 0, SMTP_MECH_PLAIN, SMTP_MECH_LOGIN, SMTP_MECH_XOAUTH2 };

/* Where the message reader is: a header block (the message's own or a MIME
 * part's) or a body, where only boundary lines matter. */
enum smtp_mime_phase { SMTP_MP_HDR = 0, SMTP_MP_BODY };

/* Line position inside a header block. */
enum smtp_hdr_pos {
    SMTP_HP_BOL = 0, /* start of a line: WSP continues the field (RFC 5322 2.2.3) */
    SMTP_HP_IN,      /* inside a line */
    SMTP_HP_CR,      /* CR at the start of a line: the blank line that ends the block */
};

/* Bytes of a body line kept to compare with the boundaries: "--" boundary
 * "--" and a little transport padding (RFC 2046 5.1.1). */
#define SMTP_BOUNDARY_LINE (SMTP_MAX_BOUNDARY + 12)

/* The RFC 5322 reading of one message (DATA text after dot-unstuffing, or
 * the BDAT chunks): header fields for the "email" record, attachment names
 * from MIME part headers. Body text is never kept. */
struct smtp_mime {
    bool active;      /* message bytes came in this transaction */
    bool top_done;    /* the message's own header block ended */
    bool in_part;     /* the header block being read is a MIME part's */
    bool over;        /* the current header block passed SMTP_MAX_HEADER_BLOCK */
    bool too_long;    /* ... once in this message (the anomaly is counted once) */
    uint8_t phase;    /* enum smtp_mime_phase */
    uint8_t hpos;     /* enum smtp_hdr_pos */
    uint32_t block_bytes;
    uint8_t *fld;     /* the unfolded field being collected (SMTP_MAX_HEADER_FIELD) */
    uint32_t fld_len;
    bool fld_any;
    /* body: start of the current line, or skipping to its end */
    uint8_t lb[SMTP_BOUNDARY_LINE];
    uint32_t lb_len;
    bool lb_skip;
    uint8_t bnd[SMTP_MAX_MIME_BOUNDARIES][SMTP_MAX_BOUNDARY];
    uint8_t bnd_len[SMTP_MAX_MIME_BOUNDARIES];
    uint32_t nbnd;
    json_t *part_file, *part_name; /* filename= / name= of the header block being read */
    /* results */
    json_t *from, *subject, *message_id, *date, *x_mailer, *reply_to, *return_path;
    json_t *to, *cc, *attach;
    uint32_t naddrs, nattach;
    bool has_exe, has_macro;
    uint32_t dot_stuffed; /* DATA lines that began with ".." */
};

struct smtp_state {
    struct app_line line[2];
    bool upgraded;    /* STARTTLS done: the rest is TLS */
    bool ended;

    /* client direction */
    uint8_t mode;     /* enum smtp_mode */
    uint8_t data_pos; /* enum smtp_data_pos */
    uint64_t bdat_left;
    bool bdat_last;
    uint8_t auth_mech; /* enum smtp_mech */
    uint32_t auth_step; /* SASL responses sent in this AUTH */

    /* commands awaiting a reply (ring) */
    uint8_t pend[MAIL_MAX_PENDING];
    uint32_t phead, pcount;
    uint32_t plost;   /* commands not queued because the ring was full */
    bool desync;      /* a gap: stop judging replies against commands */

    /* server direction */
    bool greeting_seen;
    bool in_reply;    /* inside a multi-line reply */

    /* session */
    json_t *helo, *banner, *auth_mech_name, *auth_user;
    bool starttls, starttls_offered, tls;
    bool auth_result_known, auth_success;
    uint32_t auth_attempts, auth_failures;
    bool auth_clear;  /* a PLAIN or LOGIN exchange (the password in base64) */
    uint32_t commands;
    uint32_t tx_events;

    /* the current mail transaction */
    bool tx_active;
    json_t *mail_from, *rcpt_to;
    json_t *await_body, *await_extra; /* a finished message awaiting its reply */
    uint32_t rcpt_count;
    bool data_seen, data_done;
    uint64_t message_bytes;
    struct smtp_mime mime;
    json_t *await_aux; /* the "email" object of await_body */
};

/* ------------------------------------------------------ message headers */

/* Output of one decoded field: RFC 2047 may turn 1 byte into 3 (Latin-1 or
 * Shift_JIS into UTF-8) and the raw text is kept when decoding fails. */
#define SMTP_DEC_MAX (SMTP_MAX_HEADER_FIELD * 4)
/* Longest charset name looked at ("iso-2022-jp", "windows-1252"...). */
#define SMTP_MAX_CHARSET 40

/* Charsets handed to iconv(3), by their MIME names (RFC 2978 registry):
 * only these, so a name from the wire never reaches gconv's module loader. */
static const char *const smtp_iconv_names[][2] = {
    {"iso-2022-jp", "ISO-2022-JP"}, {"shift_jis", "SHIFT_JIS"},  {"shift-jis", "SHIFT_JIS"},
    {"sjis", "SHIFT_JIS"},          {"x-sjis", "SHIFT_JIS"},     {"cp932", "CP932"},
    {"windows-31j", "CP932"},       {"euc-jp", "EUC-JP"},        {"iso-2022-kr", "ISO-2022-KR"},
    {"euc-kr", "EUC-KR"},           {"ks_c_5601-1987", "CP949"}, {"gb2312", "GB2312"},
    {"gbk", "GBK"},                 {"gb18030", "GB18030"},      {"big5", "BIG5"},
    {"koi8-r", "KOI8-R"},           {"koi8-u", "KOI8-U"},        {"utf-16", "UTF-16"},
    {"iso-8859-2", "ISO-8859-2"},   {"iso-8859-5", "ISO-8859-5"}, {"iso-8859-7", "ISO-8859-7"},
    {"iso-8859-9", "ISO-8859-9"},   {"iso-8859-15", "ISO-8859-15"},
    {"windows-1250", "CP1250"},     {"windows-1251", "CP1251"},  {"windows-1252", "CP1252"},
    {"windows-1253", "CP1253"},     {"windows-1254", "CP1254"},  {"windows-1256", "CP1256"},
    {"windows-874", "CP874"},       {"tis-620", "TIS-620"},
};

/* Converts in[0..n) from charset cs to UTF-8 into out[0..cap): returns the
 * bytes written (cut at cap), or -1 for an unknown charset or input that is
 * not valid in it (the caller then keeps the raw text). */
static int smtp_to_utf8(const uint8_t *cs, uint32_t csn, const uint8_t *in, uint32_t n,
                        uint8_t *out, uint32_t cap)
{
    /* RFC 2231 5: "charset*language" */
    const uint8_t *star = memchr(cs, '*', csn);
    if (star)
        csn = (uint32_t)(star - cs);
    if (ptext_ieq(cs, csn, "utf-8") || ptext_ieq(cs, csn, "us-ascii") ||
        ptext_ieq(cs, csn, "utf8")) {
        /* Invalid UTF-8 is escaped later by app_json_str(). */
        uint32_t m = MIN(n, cap);
        memcpy(out, in, m);
        return (int)m;
    }
    if (ptext_ieq(cs, csn, "iso-8859-1") || ptext_ieq(cs, csn, "latin1")) {
        uint32_t o = 0;
        for (uint32_t i = 0; i < n && o + 2 <= cap; i++) {
            if (in[i] < 0x80) {
                out[o++] = in[i];
            } else {
                out[o++] = (uint8_t)(0xc0 | (in[i] >> 6));
                out[o++] = (uint8_t)(0x80 | (in[i] & 0x3f));
            }
        }
        return (int)o;
    }
    const char *name = NULL;
    for (size_t k = 0; k < ARRAY_SIZE(smtp_iconv_names) && !name; k++)
        if (ptext_ieq(cs, csn, smtp_iconv_names[k][0]))
            name = smtp_iconv_names[k][1];
    if (!name || n > SMTP_MAX_HEADER_FIELD)
        return -1;
    iconv_t cd = iconv_open("UTF-8", name);
    if (cd == (iconv_t)-1)
        return -1;
    /* iconv() wants mutable pointers: work on a copy. */
    char src[SMTP_MAX_HEADER_FIELD];
    memcpy(src, in, n);
    char *ip = src, *op = (char *)out;
    size_t il = n, ol = cap;
    int ret = 0;
    size_t r = iconv(cd, &ip, &il, &op, &ol);
    if (r == (size_t)-1 && errno != E2BIG)
        ret = -1; /* EILSEQ: invalid; EINVAL: cut in a character */
    else
        (void)iconv(cd, NULL, NULL, &op, &ol); /* back to ASCII (ISO-2022-JP) */
    iconv_close(cd);
    return ret < 0 ? -1 : (int)(cap - ol);
}

static int smtp_hexval(uint8_t c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    c = ptext_lower(c);
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    return -1;
}

/* One RFC 2047 encoded-word "=?charset?E?text?=" at in[i]: returns the index
 * after it and its parts, or 0 if in[i] does not start one. */
static uint32_t smtp_ew_parse(const uint8_t *in, uint32_t n, uint32_t i, const uint8_t **cs,
                              uint32_t *csn, uint8_t *enc, const uint8_t **txt, uint32_t *txtn)
{
    if (n - i < 8 || in[i] != '=' || in[i + 1] != '?')
        return 0;
    uint32_t p = i + 2;
    while (p < n && in[p] != '?' && p - (i + 2) <= SMTP_MAX_CHARSET && in[p] > ' ')
        p++;
    if (p >= n || in[p] != '?' || p == i + 2 || p - (i + 2) > SMTP_MAX_CHARSET)
        return 0;
    *cs = in + i + 2;
    *csn = p - (i + 2);
    if (n - p < 5 || in[p + 2] != '?')
        return 0;
    *enc = ptext_lower(in[p + 1]);
    if (*enc != 'b' && *enc != 'q')
        return 0;
    uint32_t t = p + 3, e = t;
    /* RFC 2047 5: no white space inside an encoded-word */
    while (e + 1 < n && !(in[e] == '?' && in[e + 1] == '=') && in[e] > ' ')
        e++;
    if (e + 1 >= n || in[e] != '?' || in[e + 1] != '=')
        return 0;
    *txt = in + t;
    *txtn = e - t;
    return e + 2;
}

/* Decodes the text of an encoded-word (B: base64, Q: RFC 2047 4.2) into
 * out[0..cap): the byte count, or -1 if it is not valid. */
static int smtp_ew_text(uint8_t enc, const uint8_t *t, uint32_t n, uint8_t *out, uint32_t cap)
{
    if (enc == 'b')
        return ptext_b64_decode(t, n, out, cap);
    uint32_t o = 0;
    for (uint32_t i = 0; i < n; i++) {
        if (o >= cap)
            return -1;
        if (t[i] == '_') {
            out[o++] = ' ';
        } else if (t[i] == '=') {
            int hi = i + 2 < n ? smtp_hexval(t[i + 1]) : -1;
            int lo = hi >= 0 ? smtp_hexval(t[i + 2]) : -1;
            if (lo < 0)
                return -1;
            out[o++] = (uint8_t)(hi << 4 | lo);
            i += 2;
        } else {
            out[o++] = t[i];
        }
    }
    return (int)o;
}

/* Adjacent encoded-words of one charset are converted together: senders cut
 * multibyte characters between words. */
struct smtp_dec {
    uint8_t *out;
    uint32_t cap, len;
    uint8_t raw[SMTP_MAX_HEADER_FIELD];
    uint32_t rawn;
    const uint8_t *cs;
    uint32_t csn;
    const uint8_t *src; /* the pending words as sent, kept if conversion fails */
    uint32_t srcn;
};

static void smtp_dec_put(struct smtp_dec *d, const uint8_t *p, uint32_t n)
{
    uint32_t m = MIN(n, d->cap - d->len);
    memcpy(d->out + d->len, p, m);
    d->len += m;
}

static void smtp_dec_flush(struct smtp_dec *d)
{
    if (!d->src)
        return;
    int r = smtp_to_utf8(d->cs, d->csn, d->raw, d->rawn, d->out + d->len, d->cap - d->len);
    if (r >= 0)
        d->len += (uint32_t)r;
    else
        smtp_dec_put(d, d->src, d->srcn);
    d->src = NULL;
    d->rawn = 0;
}

/* RFC 2047 decoding of a header value into out[0..cap) (UTF-8 where the
 * charset is known; words that do not decode stay as sent). Returns the
 * length written. */
static uint32_t smtp_decode_words(const uint8_t *in, uint32_t n, uint8_t *out, uint32_t cap)
{
    struct smtp_dec d = {.out = out, .cap = cap};
    uint32_t i = 0;
    while (i < n) {
        const uint8_t *cs, *txt;
        uint32_t csn, txtn;
        uint8_t enc;
        uint32_t e = smtp_ew_parse(in, n, i, &cs, &csn, &enc, &txt, &txtn);
        if (e == 0) {
            smtp_dec_flush(&d);
            smtp_dec_put(&d, in + i, 1);
            i++;
            continue;
        }
        if (d.src && !(csn == d.csn && ptext_iprefix_bytes(cs, d.cs, csn)))
            smtp_dec_flush(&d);
        int r = smtp_ew_text(enc, txt, txtn, d.raw + d.rawn, (uint32_t)sizeof(d.raw) - d.rawn);
        if (r < 0) {
            smtp_dec_flush(&d);
            smtp_dec_put(&d, in + i, e - i);
        } else {
            if (!d.src) {
                d.src = in + i;
                d.cs = cs;
                d.csn = csn;
            }
            d.rawn += (uint32_t)r;
            d.srcn = (uint32_t)(in + e - d.src);
        }
        i = e;
        /* RFC 2047 6.2: white space between two encoded-words is dropped. */
        uint32_t j = i;
        while (j < n && ptext_is_space(in[j]))
            j++;
        if (j > i && j < n && smtp_ew_parse(in, n, j, &cs, &csn, &enc, &txt, &txtn))
            i = j;
    }
    smtp_dec_flush(&d);
    return d.len;
}

static json_t *smtp_decoded_json(const uint8_t *v, uint32_t n)
{
    uint8_t dec[SMTP_DEC_MAX];
    uint32_t dn = smtp_decode_words(v, n, dec, sizeof(dec));
    return app_json_str(dec, dn, SMTP_DEC_MAX);
}

/* Splits an address list (RFC 5322 3.4) on commas outside quoted strings,
 * angle brackets and comments, into arr. */
static void smtp_addr_list(struct smtp_mime *m, json_t **arr, const uint8_t *v, uint32_t n)
{
    uint32_t start = 0, paren = 0;
    bool quote = false, angle = false;
    for (uint32_t i = 0; i <= n; i++) {
        if (i < n) {
            uint8_t c = v[i];
            if (quote) {
                if (c == '\\')
                    i++;
                else if (c == '"')
                    quote = false;
                continue;
            }
            if (c == '"')
                quote = true;
            else if (c == '<')
                angle = true;
            else if (c == '>')
                angle = false;
            else if (c == '(')
                paren++;
            else if (c == ')' && paren > 0)
                paren--;
            if (c != ',' || angle || paren > 0)
                continue;
        }
        const uint8_t *a;
        uint32_t an = ptext_rest(v, MIN(i, n), start, &a);
        start = i + 1;
        if (an == 0)
            continue;
        if (m->naddrs >= SMTP_MAX_HEADER_ADDRS)
            return;
        m->naddrs++;
        if (!*arr)
            *arr = json_array();
        json_array_append_new(*arr, smtp_decoded_json(a, an));
    }
}

/* RFC 2231 3 and 4: one "%XX"-encoded segment appended to out. */
static void smtp_pct_append(const uint8_t *v, uint32_t n, uint8_t *out, uint32_t cap,
                            uint32_t *len)
{
    for (uint32_t i = 0; i < n && *len < cap; i++) {
        int hi = -1, lo = -1;
        if (v[i] == '%' && i + 2 < n) {
            hi = smtp_hexval(v[i + 1]);
            lo = smtp_hexval(v[i + 2]);
        }
        if (hi >= 0 && lo >= 0) {
            out[(*len)++] = (uint8_t)(hi << 4 | lo);
            i += 2;
        } else {
            out[(*len)++] = v[i];
        }
    }
}

/* The value of parameter `want` ("filename", "name", "boundary") of a
 * Content-Type/Content-Disposition value v (RFC 2045 5.1), decoded to UTF-8
 * into out[0..cap): RFC 2231 "want*" and "want*0*"... win over the plain
 * one, which may carry RFC 2047 words (common though not allowed). Returns
 * the length, or -1 when the parameter is absent. */
static int smtp_param(const uint8_t *v, uint32_t n, const char *want, bool decode, uint8_t *out,
                      uint32_t cap)
{
    uint8_t plain[SMTP_MAX_HEADER_FIELD], ext[SMTP_MAX_HEADER_FIELD];
    uint32_t pn = 0, en = 0, next_seg = 0;
    bool have_plain = false, have_ext = false;
    const uint8_t *cs = NULL;
    uint32_t csn = 0;
    uint32_t wl = (uint32_t)strlen(want);
    uint32_t i = 0;
    bool quote = false;

    /* skip the type: up to the first ';' outside quotes */
    while (i < n && (quote || v[i] != ';')) {
        if (v[i] == '"')
            quote = !quote;
        i++;
    }
    while (i < n) {
        while (i < n && (v[i] == ';' || ptext_is_space(v[i])))
            i++;
        uint32_t as = i;
        while (i < n && v[i] != '=' && v[i] != ';' && !ptext_is_space(v[i]))
            i++;
        const uint8_t *attr = v + as;
        uint32_t an = i - as;
        while (i < n && ptext_is_space(v[i]))
            i++;
        if (i >= n || v[i] != '=') {
            while (i < n && v[i] != ';')
                i++;
            continue;
        }
        i++;
        while (i < n && ptext_is_space(v[i]))
            i++;
        uint8_t val[SMTP_MAX_HEADER_FIELD];
        uint32_t vn = 0;
        if (i < n && v[i] == '"') {
            for (i++; i < n && v[i] != '"'; i++) {
                if (v[i] == '\\' && i + 1 < n)
                    i++;
                val[vn++] = v[i];
            }
            i++; /* the closing quote */
        } else {
            uint32_t vs = i;
            while (i < n && v[i] != ';')
                i++;
            const uint8_t *t;
            vn = ptext_rest(v, i, vs, &t);
            memcpy(val, t, vn);
        }
        if (an < wl || !ptext_iprefix(attr, an, want))
            continue;
        const uint8_t *sfx = attr + wl;
        uint32_t sn = an - wl;
        if (sn == 0) {
            if (!have_plain) {
                memcpy(plain, val, vn);
                pn = vn;
                have_plain = true;
            }
            continue;
        }
        if (sfx[0] != '*')
            continue;
        /* "*", "*N" or "*N*": segment N, '%'-encoded when it ends in '*' */
        uint32_t seg = 0, k = 1;
        bool numbered = false;
        for (; k < sn && sfx[k] >= '0' && sfx[k] <= '9' && seg < 1000; k++) {
            seg = seg * 10 + (uint32_t)(sfx[k] - '0');
            numbered = true;
        }
        bool encoded = !numbered || (k < sn && sfx[k] == '*' && k + 1 == sn);
        if (numbered ? (k != sn && !(sfx[k] == '*' && k + 1 == sn)) : sn != 1)
            continue;
        if ((numbered && seg != next_seg) || (!numbered && have_ext))
            continue;
        next_seg = seg + 1;
        const uint8_t *seg_v = val;
        uint32_t seg_n = vn;
        if (encoded && seg == 0) {
            /* charset'language'text */
            const uint8_t *q1 = memchr(val, '\'', vn);
            const uint8_t *q2 = q1 ? memchr(q1 + 1, '\'', vn - (uint32_t)(q1 + 1 - val)) : NULL;
            if (q2) {
                /* val is reused per parameter: keep the charset in out */
                csn = MIN((uint32_t)(q1 - val), (uint32_t)SMTP_MAX_CHARSET);
                memcpy(out, val, csn);
                cs = out;
                seg_v = q2 + 1;
                seg_n = vn - (uint32_t)(q2 + 1 - val);
            }
        }
        if (encoded)
            smtp_pct_append(seg_v, seg_n, ext, sizeof(ext), &en);
        else
            for (uint32_t x = 0; x < seg_n && en < sizeof(ext); x++)
                ext[en++] = seg_v[x];
        have_ext = true;
    }
    if (have_ext) {
        char csbuf[SMTP_MAX_CHARSET];
        memcpy(csbuf, cs ? cs : (const uint8_t *)"us-ascii", cs ? csn : 8);
        int r = smtp_to_utf8((const uint8_t *)csbuf, cs ? csn : 8, ext, en, out, cap);
        if (r >= 0)
            return r;
        uint32_t m = MIN(en, cap);
        memcpy(out, ext, m);
        return (int)m;
    }
    if (!have_plain)
        return -1;
    if (decode)
        return (int)smtp_decode_words(plain, pn, out, cap);
    uint32_t m = MIN(pn, cap);
    memcpy(out, plain, m);
    return (int)m;
}

/* The file name ends in one of ext (case-insensitive). Windows ignores
 * trailing dots and blanks ("invoice.exe. "). */
static bool smtp_name_ends(const uint8_t *p, uint32_t n, const char *const *ext, size_t next)
{
    while (n > 0 && (p[n - 1] == '.' || p[n - 1] == ' '))
        n--;
    for (size_t k = 0; k < next; k++) {
        uint32_t el = (uint32_t)strlen(ext[k]);
        if (n > el && ptext_iprefix(p + n - el, el, ext[k]))
            return true;
    }
    return false;
}

/* File name endings that run code when opened on Windows (a double click
 * on a .lnk or .iso is enough in many phishing campaigns). */
static bool smtp_exe_name(const uint8_t *p, uint32_t n)
{
    static const char *const exe[] = {
        ".exe", ".scr", ".js",  ".jse", ".vbs", ".vbe", ".wsf", ".hta", ".iso", ".img",
        ".lnk", ".bat", ".cmd", ".com", ".pif", ".cpl", ".msi", ".ps1", ".jar", ".dll",
    };
    return smtp_name_ends(p, n, exe, ARRAY_SIZE(exe));
}

/* Office files with macros (the Emotet malspam attachment). */
static bool smtp_macro_name(const uint8_t *p, uint32_t n)
{
    static const char *const mac[] = {".docm", ".xlsm", ".pptm", ".xlsb", ".dotm", ".xlam"};
    return smtp_name_ends(p, n, mac, ARRAY_SIZE(mac));
}

static void smtp_mime_set(json_t **dst, json_t *v)
{
    if (*dst) /* the first of a repeated field is kept */
        json_decref(v);
    else
        *dst = v;
}

/* Content-Type / Content-Disposition of any header block: attachment names
 * and boundaries of multiparts. */
static void smtp_mime_content(struct smtp_mime *m, bool disposition, const uint8_t *v, uint32_t n)
{
    uint8_t out[SMTP_DEC_MAX];
    int r = smtp_param(v, n, disposition ? "filename" : "name", true, out, sizeof(out));
    if (r > 0)
        smtp_mime_set(disposition ? &m->part_file : &m->part_name,
                      app_json_str(out, (uint32_t)r, SMTP_DEC_MAX));
    if (disposition || !ptext_iprefix(v, n, "multipart/"))
        return;
    r = smtp_param(v, n, "boundary", false, out, sizeof(out));
    if (r <= 0 || r > SMTP_MAX_BOUNDARY || m->nbnd >= SMTP_MAX_MIME_BOUNDARIES)
        return;
    memcpy(m->bnd[m->nbnd], out, (size_t)r);
    m->bnd_len[m->nbnd++] = (uint8_t)r;
}

/* One complete unfolded field "Name: value". */
static void smtp_mime_field(struct smtp_mime *m, const uint8_t *f, uint32_t n)
{
    const uint8_t *colon = memchr(f, ':', n);
    if (!colon)
        return;
    uint32_t nl = (uint32_t)(colon - f);
    while (nl > 0 && ptext_is_space(f[nl - 1])) /* RFC 5322 4.5.1 obsolete WSP */
        nl--;
    const uint8_t *v;
    uint32_t vn = ptext_rest(f, n, (uint32_t)(colon - f) + 1, &v);
    if (ptext_ieq(f, nl, "content-type")) {
        smtp_mime_content(m, false, v, vn);
        return;
    }
    if (ptext_ieq(f, nl, "content-disposition")) {
        smtp_mime_content(m, true, v, vn);
        return;
    }
    if (m->in_part || vn == 0)
        return;
    if (ptext_ieq(f, nl, "from"))
        smtp_mime_set(&m->from, smtp_decoded_json(v, vn));
    else if (ptext_ieq(f, nl, "subject"))
        smtp_mime_set(&m->subject, smtp_decoded_json(v, vn));
    else if (ptext_ieq(f, nl, "reply-to"))
        smtp_mime_set(&m->reply_to, smtp_decoded_json(v, vn));
    else if (ptext_ieq(f, nl, "to"))
        smtp_addr_list(m, &m->to, v, vn);
    else if (ptext_ieq(f, nl, "cc"))
        smtp_addr_list(m, &m->cc, v, vn);
    else if (ptext_ieq(f, nl, "message-id"))
        smtp_mime_set(&m->message_id, app_json_str(v, vn, SMTP_MAX_HEADER_FIELD));
    else if (ptext_ieq(f, nl, "date"))
        smtp_mime_set(&m->date, app_json_str(v, vn, SMTP_MAX_HEADER_FIELD));
    else if (ptext_ieq(f, nl, "x-mailer"))
        smtp_mime_set(&m->x_mailer, app_json_str(v, vn, SMTP_MAX_HEADER_FIELD));
    else if (ptext_ieq(f, nl, "return-path"))
        smtp_mime_set(&m->return_path, app_json_str(v, vn, SMTP_MAX_HEADER_FIELD));
}

static void smtp_mime_field_done(struct smtp_mime *m)
{
    if (m->fld_any)
        smtp_mime_field(m, m->fld, m->fld_len);
    m->fld_any = false;
    m->fld_len = 0;
}

/* The header block ended (blank line, or the message ended inside it): its
 * attachment name, if any, is recorded. */
static void smtp_mime_block_end(struct smtp_mime *m)
{
    smtp_mime_field_done(m);
    json_t *name = m->part_file ? m->part_file : m->part_name;
    if (name) {
        m->nattach++;
        const char *t = json_string_value(name);
        if (smtp_exe_name((const uint8_t *)t, (uint32_t)strlen(t)))
            m->has_exe = true;
        if (smtp_macro_name((const uint8_t *)t, (uint32_t)strlen(t)))
            m->has_macro = true;
        if (json_array_size(m->attach) < SMTP_MAX_ATTACHMENTS) {
            if (!m->attach)
                m->attach = json_array();
            json_array_append(m->attach, name);
        }
    }
    json_decref(m->part_file);
    json_decref(m->part_name);
    m->part_file = m->part_name = NULL;
    if (!m->in_part)
        m->top_done = true;
    m->phase = SMTP_MP_BODY;
    m->lb_len = 0;
    m->lb_skip = false;
}

/* Bytes of a header block (any split: the position lives in m->hpos). */
static uint32_t smtp_mime_hdr(struct app_cx *cx, struct smtp_mime *m, const uint8_t *p,
                              uint32_t n)
{
    for (uint32_t i = 0; i < n; i++) {
        uint8_t c = p[i];
        if (++m->block_bytes > SMTP_MAX_HEADER_BLOCK && !m->over) {
            m->over = true;
            m->fld_any = false; /* a field cut by the cap is not reported */
            if (!m->too_long) {
                m->too_long = true;
                app_anomaly(cx, "smtp.header_too_long");
            }
        }
        switch (m->hpos) {
        case SMTP_HP_BOL:
            if (ptext_is_space(c)) {
                /* Folded: the WSP stays (RFC 5322 2.2.3); Outlook folds
                 * with a tab, shown as a space like mail clients do. */
                m->hpos = SMTP_HP_IN;
                c = ' ';
                break;
            }
            smtp_mime_field_done(m);
            if (c == '\r') {
                m->hpos = SMTP_HP_CR;
                continue;
            }
            if (c == '\n') {
                smtp_mime_block_end(m);
                return i + 1;
            }
            m->fld_any = !m->over;
            m->hpos = SMTP_HP_IN;
            break;
        case SMTP_HP_IN:
            if (c == '\n')
                m->hpos = SMTP_HP_BOL;
            if (c == '\n' || c == '\r')
                continue;
            break;
        default: /* SMTP_HP_CR */
            if (c == '\n') {
                smtp_mime_block_end(m);
                return i + 1;
            }
            if (c == '\r')
                continue;
            m->fld_any = !m->over; /* CR then text: a line all the same */
            m->hpos = SMTP_HP_IN;
            break;
        }
        if (m->fld_any && m->fld_len < SMTP_MAX_HEADER_FIELD)
            m->fld[m->fld_len++] = c;
    }
    return n;
}

/* A full body line start (at most SMTP_BOUNDARY_LINE bytes, CR LF cut):
 * "--boundary" opens a part's header block, "--boundary--" closes the
 * multipart (and the ones nested in it). */
static void smtp_mime_body_line(struct smtp_mime *m, const uint8_t *l, uint32_t n)
{
    while (n > 0 && (l[n - 1] == '\r' || ptext_is_space(l[n - 1])))
        n--;
    if (n < 3 || l[0] != '-' || l[1] != '-')
        return;
    for (uint32_t k = m->nbnd; k-- > 0;) {
        uint32_t bl = m->bnd_len[k];
        if (n - 2 < bl || memcmp(l + 2, m->bnd[k], bl) != 0)
            continue;
        if (n == bl + 2) {
            m->nbnd = k + 1; /* parts of deeper multiparts are over */
            m->phase = SMTP_MP_HDR;
            m->in_part = true;
            m->hpos = SMTP_HP_BOL;
            m->block_bytes = 0;
            m->over = false;
            return;
        }
        if (n == bl + 4 && l[bl + 2] == '-' && l[bl + 3] == '-') {
            m->nbnd = k;
            return;
        }
    }
}

/* Body bytes: only the first bytes of each line are looked at, and nothing
 * at all when no multipart boundary is known. */
static uint32_t smtp_mime_body(struct smtp_mime *m, const uint8_t *p, uint32_t n)
{
    uint32_t i = 0;
    while (i < n && m->phase == SMTP_MP_BODY) {
        if (m->nbnd == 0)
            return n;
        const uint8_t *nl = memchr(p + i, '\n', n - i);
        uint32_t end = nl ? (uint32_t)(nl - p) : n;
        if (!m->lb_skip) {
            uint32_t take = MIN(end - i, (uint32_t)sizeof(m->lb) - m->lb_len);
            memcpy(m->lb + m->lb_len, p + i, take);
            m->lb_len += take;
            if (take < end - i)
                m->lb_skip = true; /* too long for a boundary line */
        }
        if (!nl)
            return n;
        if (!m->lb_skip)
            smtp_mime_body_line(m, m->lb, m->lb_len);
        m->lb_len = 0;
        m->lb_skip = false;
        i = end + 1;
    }
    return i;
}

/* Message text after dot-unstuffing, in pieces of any size. */
static void smtp_mime_feed(struct app_cx *cx, struct smtp_mime *m, const uint8_t *p, uint32_t n)
{
    if (!m->active) {
        m->active = true;
        if (!m->fld)
            m->fld = xmalloc(SMTP_MAX_HEADER_FIELD);
    }
    uint32_t i = 0;
    for (uint32_t rounds = 0; i < n && rounds <= n; rounds++) {
        if (m->phase == SMTP_MP_HDR)
            i += smtp_mime_hdr(cx, m, p + i, n - i);
        else
            i += smtp_mime_body(m, p + i, n - i);
    }
}

static void smtp_mime_clear(struct smtp_mime *m)
{
    json_t **all[] = {&m->from, &m->subject, &m->message_id, &m->date, &m->x_mailer,
                      &m->reply_to, &m->return_path, &m->to, &m->cc, &m->attach,
                      &m->part_file, &m->part_name};
    for (size_t k = 0; k < ARRAY_SIZE(all); k++) {
        json_decref(*all[k]);
        *all[k] = NULL;
    }
    free(m->fld);
    memset(m, 0, sizeof(*m));
}

/* The "email" object (Suricata's names, only fields that were seen) and the
 * same facts for the store in x. complete: the message's end was seen. */
static json_t *smtp_mime_build(struct smtp_mime *m, bool complete, json_t *x)
{
    if (!m->active)
        return NULL;
    if (m->phase == SMTP_MP_HDR && !m->top_done)
        smtp_mime_field_done(m); /* the message ended inside its headers */
    json_t *e = json_object();
    const char *status = complete        ? "PARSED_COMPLETE"
                         : m->top_done ? "HEADER_READY"
                                       : "PARSED_INCOMPLETE";
    json_object_set_new_nocheck(e, "status", json_string(status));
    static const char *const keys[] = {"from", "subject", "message_id", "date", "x_mailer"};
    json_t *vals[] = {m->from, m->subject, m->message_id, m->date, m->x_mailer};
    for (size_t k = 0; k < ARRAY_SIZE(keys); k++)
        if (vals[k])
            json_object_set(e, keys[k], vals[k]);
    if (m->to)
        json_object_set(e, "to", m->to);
    if (m->cc)
        json_object_set(e, "cc", m->cc);
    if (m->attach)
        json_object_set(e, "attachment", m->attach);

    if (m->subject)
        json_object_set(x, "subject", m->subject);
    if (m->from)
        json_object_set(x, "from", m->from);
    if (m->reply_to)
        json_object_set(x, "reply_to", m->reply_to);
    if (m->return_path)
        json_object_set(x, "return_path", m->return_path);
    if (m->message_id)
        json_object_set(x, "message_id", m->message_id);
    if (m->attach)
        json_object_set(x, "attachments", m->attach);
    json_object_set_new_nocheck(x, "attachment_count", json_integer(m->nattach));
    json_object_set_new_nocheck(x, "has_executable_attachment", json_boolean(m->has_exe));
    json_object_set_new_nocheck(x, "has_macro_attachment", json_boolean(m->has_macro));
    json_object_set_new_nocheck(x, "email_status", json_string(status));
    if (m->dot_stuffed)
        json_object_set_new_nocheck(x, "dot_stuffed_lines", json_integer(m->dot_stuffed));
    if (m->too_long)
        json_object_set_new_nocheck(x, "header_too_long", json_true());
    return e;
}

/* ------------------------------------------------------------- session */

static void smtp_pend_push(struct app_cx *cx, struct smtp_state *s, uint8_t cmd)
{
    if (s->pcount >= MAIL_MAX_PENDING) {
        s->plost++;
        app_anomaly(cx, "smtp.too_many_pipelined_commands");
        return;
    }
    s->pend[(s->phead + s->pcount) % MAIL_MAX_PENDING] = cmd;
    s->pcount++;
}

static void smtp_pend_pop(struct smtp_state *s)
{
    s->phead = (s->phead + 1) % MAIL_MAX_PENDING;
    s->pcount--;
}

static void smtp_tx_clear(struct smtp_state *s)
{
    json_decref(s->mail_from);
    json_decref(s->rcpt_to);
    s->mail_from = s->rcpt_to = NULL;
    s->tx_active = false;
    s->rcpt_count = 0;
    s->data_seen = s->data_done = false;
    s->message_bytes = 0;
    smtp_mime_clear(&s->mime);
}

static json_t *smtp_extra(const struct smtp_state *s)
{
    json_t *x = json_object();
    json_object_set_new_nocheck(x, "starttls", json_boolean(s->starttls));
    json_object_set_new_nocheck(x, "starttls_offered", json_boolean(s->starttls_offered));
    json_object_set_new_nocheck(x, "tls", json_boolean(s->tls));
    if (s->auth_mech_name)
        json_object_set(x, "auth_mechanism", s->auth_mech_name);
    if (s->auth_attempts) {
        json_object_set_new_nocheck(x, "auth_attempts", json_integer(s->auth_attempts));
        json_object_set_new_nocheck(x, "auth_failures", json_integer(s->auth_failures));
    }
    if (s->auth_result_known) {
        json_object_set_new_nocheck(x, "auth_success", json_boolean(s->auth_success));
        /* The names the other login protocols use (the store's columns). */
        json_object_set_new_nocheck(x, "login_success", json_boolean(s->auth_success));
    }
    if (s->auth_user) {
        json_object_set(x, "auth_user", s->auth_user);
        json_object_set(x, "user", s->auth_user);
    }
    if (s->auth_attempts)
        json_object_set_new_nocheck(x, "password_sent_in_clear",
                                    json_boolean(s->auth_clear && !s->tls));
    if (s->banner)
        json_object_set(x, "server_banner", s->banner);
    return x;
}

/* The EVE body, store facts and "email" object (NULL when no message text
 * came) of the current transaction; starts over. */
static void smtp_tx_build(struct smtp_state *s, json_t **body_out, json_t **extra_out,
                          json_t **email_out)
{
    json_t *body = json_object();
    json_t *x = smtp_extra(s);
    if (s->helo)
        json_object_set(body, "helo", s->helo);
    if (s->mail_from)
        json_object_set(body, "mail_from", s->mail_from);
    if (s->rcpt_to && json_array_size(s->rcpt_to) > 0)
        json_object_set(body, "rcpt_to", s->rcpt_to);
    json_object_set_new_nocheck(x, "rcpt_count", json_integer(s->rcpt_count));
    json_object_set_new_nocheck(x, "data_seen", json_boolean(s->data_seen));
    if (s->data_seen) {
        /* Mail after STARTTLS is never seen here (the TLS parser has the
         * flow), so any message we counted crossed the wire in clear. */
        json_object_set_new_nocheck(x, "cleartext_message", json_boolean(!s->tls));
        json_object_set_new_nocheck(x, "message_bytes", json_integer((json_int_t)s->message_bytes));
        json_object_set_new_nocheck(x, "message_complete", json_boolean(s->data_done));
    }
    *email_out = smtp_mime_build(&s->mime, s->data_done, x);
    *body_out = body;
    *extra_out = x;
    smtp_tx_clear(s);
}

/* Reports the message that waits for the reply to its end (code 0: the
 * reply never came). */
static void smtp_await_emit(struct app_cx *cx, struct smtp_state *s, int code)
{
    if (!s->await_body)
        return;
    if (code)
        json_object_set_new_nocheck(s->await_extra, "data_reply_code", json_integer(code));
    s->tx_events++;
    app_event_aux(cx, "smtp", 0, s->await_body, s->await_extra, "email", s->await_aux);
    s->await_body = s->await_extra = s->await_aux = NULL;
}

/* The message text ended ("." or the last BDAT chunk): the client may
 * pipeline the next envelope before the server's reply to it arrives, so
 * the transaction waits aside for that reply. */
static void smtp_tx_finish(struct app_cx *cx, struct smtp_state *s)
{
    smtp_await_emit(cx, s, 0);
    smtp_tx_build(s, &s->await_body, &s->await_extra, &s->await_aux);
}

/* Reports the current transaction (if any) and starts over. */
static void smtp_tx_emit(struct app_cx *cx, struct smtp_state *s)
{
    if (!s->tx_active)
        return;
    json_t *body, *x, *email;
    smtp_tx_build(s, &body, &x, &email);
    s->tx_events++;
    app_event_aux(cx, "smtp", 0, body, x, "email", email);
}

static void smtp_set_field(json_t **dst, const uint8_t *p, uint32_t n)
{
    json_decref(*dst);
    *dst = app_json_str(p, n, MAIL_MAX_FIELD);
}

/* The user name in a SASL response; the decoded secret is wiped. PLAIN is
 * authzid NUL authcid NUL passwd (RFC 4616), LOGIN sends the user name
 * first, XOAUTH2 is "user=" name ^A "auth=Bearer " token ^A^A. */
static void smtp_sasl_user(struct smtp_state *s, const uint8_t *p, uint32_t n)
{
    uint8_t dec[MAIL_MAX_LINE];
    int dn = ptext_b64_decode(p, n, dec, sizeof(dec));
    if (dn <= 0)
        return;
    uint32_t len = (uint32_t)dn;
    if (s->auth_mech == SMTP_MECH_LOGIN && s->auth_step == 0) {
        smtp_set_field(&s->auth_user, dec, len);
    } else if (s->auth_mech == SMTP_MECH_PLAIN && s->auth_step == 0) {
        const uint8_t *z1 = memchr(dec, 0, len);
        if (z1) {
            const uint8_t *u = z1 + 1;
            const uint8_t *z2 = memchr(u, 0, len - (uint32_t)(u - dec));
            if (z2)
                smtp_set_field(&s->auth_user, u, (uint32_t)(z2 - u));
        }
    } else if (s->auth_mech == SMTP_MECH_XOAUTH2 && s->auth_step == 0) {
        if (ptext_iprefix(dec, len, "user=")) {
            const uint8_t *u = dec + 5;
            const uint8_t *e = memchr(u, 0x01, len - 5);
            uint32_t ul = e ? (uint32_t)(e - u) : len - 5;
            smtp_set_field(&s->auth_user, u, ul);
        }
    }
    ptext_wipe(dec, sizeof(dec));
}

static void smtp_auth_response(struct smtp_state *s, const uint8_t *p, uint32_t n)
{
    if (n == 1 && p[0] == '*') {
        /* RFC 4954 4: the client cancels; the server answers 501. */
        return;
    }
    smtp_sasl_user(s, p, n);
    s->auth_step++;
}

static void smtp_client_command(struct app_cx *cx, struct smtp_state *s, const uint8_t *l,
                                uint32_t n)
{
    uint32_t off = 0;
    const uint8_t *verb;
    uint32_t vn = ptext_word(l, n, &off, &verb);
    const uint8_t *rest;
    uint32_t rn;

    if (vn == 0)
        return; /* an empty line is no command: no reply comes for it */
    s->commands++;
    if (ptext_ieq(verb, vn, "HELO") || ptext_ieq(verb, vn, "EHLO")) {
        rn = ptext_rest(l, n, off, &rest);
        smtp_set_field(&s->helo, rest, rn);
        smtp_pend_push(cx, s, SMTP_C_HELO);
    } else if (ptext_iprefix(l, n, "MAIL FROM:")) {
        smtp_tx_emit(cx, s); /* a MAIL without RSET after an unfinished one */
        s->tx_active = true;
        rn = ptext_rest(l, n, 10, &rest);
        smtp_set_field(&s->mail_from, rest, rn);
        smtp_pend_push(cx, s, SMTP_C_MAIL);
    } else if (ptext_iprefix(l, n, "RCPT TO:")) {
        if (!s->tx_active) {
            app_anomaly(cx, "smtp.rcpt_without_mail");
            s->tx_active = true;
        }
        if (!s->rcpt_to)
            s->rcpt_to = json_array();
        if (json_array_size(s->rcpt_to) < SMTP_MAX_RCPT) {
            rn = ptext_rest(l, n, 8, &rest);
            json_array_append_new(s->rcpt_to, app_json_str(rest, rn, MAIL_MAX_FIELD));
        }
        s->rcpt_count++;
        smtp_pend_push(cx, s, SMTP_C_RCPT);
    } else if (ptext_ieq(verb, vn, "DATA")) {
        if (!s->tx_active) {
            app_anomaly(cx, "smtp.data_without_mail");
            s->tx_active = true;
        }
        /* Like Suricata, assume the 354 comes: the client must wait for it
         * before sending the text, so a refusal arrives first and takes us
         * back to command mode (smtp_reply_done). */
        s->data_seen = true;
        s->message_bytes = 0;
        smtp_mime_clear(&s->mime); /* a second DATA in one transaction starts over */
        s->mode = SMTP_M_DATA;
        s->data_pos = SMTP_D_BOL;
        smtp_pend_push(cx, s, SMTP_C_DATA);
    } else if (ptext_ieq(verb, vn, "BDAT")) {
        const uint8_t *w;
        uint32_t wn = ptext_word(l, n, &off, &w);
        uint64_t size = 0;
        bool ok = wn > 0 && wn <= 19;
        for (uint32_t i = 0; ok && i < wn; i++) {
            if (w[i] < '0' || w[i] > '9')
                ok = false;
            else
                size = size * 10 + (uint64_t)(w[i] - '0');
        }
        if (!ok) {
            app_anomaly(cx, "smtp.invalid_bdat");
            smtp_pend_push(cx, s, SMTP_C_OTHER);
            return;
        }
        wn = ptext_word(l, n, &off, &w);
        if (!s->tx_active) {
            app_anomaly(cx, "smtp.data_without_mail");
            s->tx_active = true;
        }
        s->data_seen = true;
        s->bdat_left = size;
        s->bdat_last = wn > 0 && ptext_ieq(w, wn, "LAST");
        s->mode = size > 0 ? SMTP_M_BDAT : SMTP_M_CMD;
        smtp_pend_push(cx, s, s->bdat_last ? SMTP_C_BDAT_LAST : SMTP_C_BDAT);
        if (size == 0 && s->bdat_last) {
            s->data_done = true;
            smtp_tx_finish(cx, s);
        }
    } else if (ptext_ieq(verb, vn, "AUTH")) {
        const uint8_t *m;
        uint32_t mn = ptext_word(l, n, &off, &m);
        s->auth_attempts++;
        s->auth_mech = ptext_ieq(m, mn, "PLAIN")     ? SMTP_MECH_PLAIN
                       : ptext_ieq(m, mn, "LOGIN")   ? SMTP_MECH_LOGIN
                       : ptext_ieq(m, mn, "XOAUTH2") ? SMTP_MECH_XOAUTH2
                                                     : SMTP_MECH_OTHER;
        smtp_set_field(&s->auth_mech_name, m, mn);
        if (s->auth_mech == SMTP_MECH_PLAIN || s->auth_mech == SMTP_MECH_LOGIN)
            s->auth_clear = true;
        s->auth_step = 0;
        s->mode = SMTP_M_AUTH;
        const uint8_t *ir;
        uint32_t irn = ptext_word(l, n, &off, &ir);
        /* RFC 4954 4: an initial response; "=" stands for an empty one. */
        if (irn > 0 && !(irn == 1 && ir[0] == '='))
            smtp_auth_response(s, ir, irn);
        else if (irn == 1)
            s->auth_step++;
        smtp_pend_push(cx, s, SMTP_C_AUTH);
    } else if (ptext_ieq(verb, vn, "STARTTLS")) {
        s->starttls = true;
        smtp_pend_push(cx, s, SMTP_C_STARTTLS);
    } else if (ptext_ieq(verb, vn, "RSET")) {
        smtp_tx_emit(cx, s);
        smtp_pend_push(cx, s, SMTP_C_RSET);
    } else if (ptext_ieq(verb, vn, "QUIT")) {
        smtp_tx_emit(cx, s);
        smtp_pend_push(cx, s, SMTP_C_QUIT);
    } else {
        smtp_pend_push(cx, s, SMTP_C_OTHER);
    }
}

/* The last line of a reply: completes the oldest command waiting. */
static void smtp_reply_done(struct app_cx *cx, struct smtp_state *s, int code)
{
    if (!s->greeting_seen) {
        s->greeting_seen = true;
        if (s->pcount == 0)
            return;
    }
    if (s->pcount == 0) {
        if (s->plost > 0) {
            s->plost--;
            return;
        }
        /* 421 may come unasked when the server shuts down (RFC 5321 3.8). */
        if (code != 421 && !s->desync)
            app_anomaly(cx, "smtp.reply_without_command");
        return;
    }
    uint8_t cmd = s->pend[s->phead];
    switch (cmd) {
    case SMTP_C_AUTH:
        if (code == 334)
            return; /* a challenge: the AUTH goes on */
        if (s->mode == SMTP_M_AUTH)
            s->mode = SMTP_M_CMD;
        s->auth_result_known = true;
        s->auth_success = code == 235;
        if (code != 235)
            s->auth_failures++;
        break;
    case SMTP_C_DATA:
        if (code != 354 && s->mode == SMTP_M_DATA && s->message_bytes == 0 &&
            s->data_pos == SMTP_D_BOL) {
            s->mode = SMTP_M_CMD; /* refused: no message follows */
            s->data_seen = false;
        }
        break;
    case SMTP_C_DATA_END:
    case SMTP_C_BDAT_LAST:
        smtp_pend_pop(s);
        smtp_await_emit(cx, s, code);
        return;
    case SMTP_C_STARTTLS:
        smtp_pend_pop(s);
        if (code == 220) {
            s->tls = true;
            s->upgraded = true;
            app_upgrade(cx, APP_TLS);
        }
        return;
    default:
        break;
    }
    smtp_pend_pop(s);
}

static void smtp_server_line(struct app_cx *cx, struct smtp_state *s, const uint8_t *l, uint32_t n)
{
    bool more;
    int code = ptext_reply_code(l, n, &more);
    if (code < 0) {
        app_anomaly(cx, "smtp.invalid_reply");
        return;
    }
    if (!s->greeting_seen && !s->in_reply && !s->banner && n > 4) {
        const uint8_t *t;
        uint32_t tn = ptext_rest(l, n, 4, &t);
        s->banner = app_json_str(t, tn, MAIL_MAX_FIELD);
    }
    /* EHLO keywords (RFC 5321 4.1.1.1), one per reply line. */
    if (s->pcount > 0 && s->pend[s->phead] == SMTP_C_HELO && n > 4 &&
        ptext_iprefix(l + 4, n - 4, "STARTTLS"))
        s->starttls_offered = true;
    s->in_reply = more;
    if (!more)
        smtp_reply_done(cx, s, code);
}

/* The CRLF "." CRLF (or bare ".\n") that ends DATA text was read. */
static void smtp_data_end(struct app_cx *cx, struct smtp_state *s, uint32_t used, uint32_t term)
{
    s->message_bytes += used;
    s->message_bytes = s->message_bytes >= term ? s->message_bytes - term : 0;
    s->data_pos = SMTP_D_BOL;
    s->mode = SMTP_M_CMD;
    s->data_done = true;
    smtp_tx_finish(cx, s);
    smtp_pend_push(cx, s, SMTP_C_DATA_END);
}

/* Counts message text up to CRLF "." CRLF (RFC 5321 4.5.2: a line that is a
 * single dot) and hands the text to the header reader with the dot that
 * starts a line removed (4.5.2: the sender doubled it). Returns the bytes
 * used from data. */
static uint32_t smtp_data_scan(struct app_cx *cx, struct smtp_state *s, const uint8_t *data,
                               uint32_t len)
{
    uint32_t i = 0;
    while (i < len) {
        if (s->data_pos == SMTP_D_MID) {
            const uint8_t *nl = memchr(data + i, '\n', len - i);
            uint32_t end = nl ? (uint32_t)(nl - data) + 1 : len;
            smtp_mime_feed(cx, &s->mime, data + i, end - i);
            i = end;
            if (nl)
                s->data_pos = SMTP_D_BOL;
            continue;
        }
        uint8_t c = data[i];
        if (s->data_pos == SMTP_D_BOL) {
            if (c == '.') {
                s->data_pos = SMTP_D_DOT;
                i++;
            } else {
                s->data_pos = SMTP_D_MID; /* the line, c included, is text */
            }
        } else if (s->data_pos == SMTP_D_DOT) {
            if (c == '\r') {
                s->data_pos = SMTP_D_DOT_CR;
                i++;
            } else if (c == '\n') {
                smtp_data_end(cx, s, i + 1, 2); /* a bare ".\n" */
                return i + 1;
            } else {
                if (c == '.')
                    s->mime.dot_stuffed++;
                s->data_pos = SMTP_D_MID; /* the leading dot is dropped */
            }
        } else { /* SMTP_D_DOT_CR */
            if (c == '\n') {
                smtp_data_end(cx, s, i + 1, 3);
                return i + 1;
            }
            smtp_mime_feed(cx, &s->mime, (const uint8_t *)"\r", 1);
            s->data_pos = SMTP_D_MID;
        }
    }
    s->message_bytes += i;
    return i;
}

static void smtp_feed(struct app_cx *cx, void *state, int dir, const uint8_t *data, uint32_t len)
{
    struct smtp_state *s = state;
    struct app_line *lb = &s->line[dir ? 1 : 0];

    lb->max = MAIL_MAX_LINE;
    while (len > 0 && !s->upgraded) {
        if (dir == 0 && s->mode == SMTP_M_DATA) {
            uint32_t used = smtp_data_scan(cx, s, data, len);
            data += used;
            len -= used;
            continue;
        }
        if (dir == 0 && s->mode == SMTP_M_BDAT) {
            uint32_t take = s->bdat_left < len ? (uint32_t)s->bdat_left : len;
            smtp_mime_feed(cx, &s->mime, data, take);
            s->message_bytes += take;
            s->bdat_left -= take;
            data += take;
            len -= take;
            if (s->bdat_left == 0) {
                s->mode = SMTP_M_CMD;
                if (s->bdat_last) {
                    s->data_done = true;
                    smtp_tx_finish(cx, s);
                }
            }
            continue;
        }
        if (!app_line_take(lb, &data, &len))
            break;
        if (lb->overlong)
            app_anomaly(cx, "smtp.line_too_long");
        if (dir == 1) {
            smtp_server_line(cx, s, lb->buf, lb->len);
        } else if (s->mode == SMTP_M_AUTH) {
            smtp_auth_response(s, lb->buf, lb->len);
            ptext_wipe(lb->buf, lb->len);
        } else {
            smtp_client_command(cx, s, lb->buf, lb->len);
        }
        app_line_reset(lb);
    }
}

static void smtp_gap(struct app_cx *cx, void *state, int dir)
{
    struct smtp_state *s = state;
    (void)cx;
    app_line_reset(&s->line[dir ? 1 : 0]);
    /* Commands and replies can no longer be paired. */
    s->pcount = 0;
    s->plost = 0;
    s->desync = true;
    if (dir == 1)
        s->in_reply = false;
    else if (s->mode == SMTP_M_AUTH)
        s->mode = SMTP_M_CMD;
}

static void smtp_end(struct app_cx *cx, void *state)
{
    struct smtp_state *s = state;
    if (s->ended)
        return;
    s->ended = true;
    smtp_await_emit(cx, s, 0);
    smtp_tx_emit(cx, s);
    if (s->tx_events == 0 && (s->commands > 0 || s->starttls)) {
        json_t *body = json_object();
        if (s->helo)
            json_object_set(body, "helo", s->helo);
        json_t *x = smtp_extra(s);
        json_object_set_new_nocheck(x, "rcpt_count", json_integer(0));
        s->tx_events++;
        app_event(cx, "smtp", 0, body, x);
    }
}

static void smtp_release(void *state)
{
    struct smtp_state *s = state;
    if (s->line[0].buf) /* may hold a SASL response */
        ptext_wipe(s->line[0].buf, s->line[0].cap);
    app_line_free(&s->line[0]);
    app_line_free(&s->line[1]);
    smtp_tx_clear(s);
    json_decref(s->await_body);
    json_decref(s->await_extra);
    json_decref(s->await_aux);
    s->await_body = s->await_extra = s->await_aux = NULL;
    json_decref(s->helo);
    json_decref(s->banner);
    json_decref(s->auth_mech_name);
    json_decref(s->auth_user);
    s->helo = s->banner = s->auth_mech_name = s->auth_user = NULL;
}

/* First line of the server greeting: "220" then SP or "-" (RFC 5321 4.2).
 * FTP greets with 220 too (RFC 959): a greeting that names FTP is left to
 * it, every other 220 is taken here, and the dispatcher asks the parser of
 * the flow's port first, so port 21 stays FTP. */
static enum app_probe_result smtp_probe(const uint8_t *data, uint32_t len, int dir)
{
    if (dir == 0) {
        static const char *const cmds[] = {"EHLO ", "HELO ", "MAIL FROM:", "STARTTLS\r\n"};
        return ptext_probe_words(data, len, cmds, ARRAY_SIZE(cmds));
    }
    static const char g[] = "220";
    uint32_t n = MIN(len, 3u);
    if (memcmp(data, g, n) != 0)
        return APP_PROBE_NO;
    if (len < 4)
        return APP_PROBE_NEED_MORE;
    if (data[3] != ' ' && data[3] != '-')
        return APP_PROBE_NO;
    const uint8_t *nl = memchr(data, '\n', len);
    if (!nl && len < APP_PROBE_MAX)
        return APP_PROBE_NEED_MORE;
    uint32_t ll = nl ? (uint32_t)(nl - data) : len;
    if (ptext_icontains(data, ll, "smtp") || ptext_icontains(data, ll, "mail"))
        return APP_PROBE_YES;
    if (ptext_icontains(data, ll, "ftp"))
        return APP_PROBE_NO;
    return APP_PROBE_YES;
}

static const uint16_t smtp_ports[] = {25, 587, 2525, 0};

const struct app_parser app_parser_smtp = {
    .id = APP_SMTP,
    .name = "smtp",
    .ipproto = 6,
    .ports = smtp_ports,
    .probe = smtp_probe,
    .state_size = sizeof(struct smtp_state),
    .feed = smtp_feed,
    .gap = smtp_gap,
    .end = smtp_end,
    .release = smtp_release,
};
