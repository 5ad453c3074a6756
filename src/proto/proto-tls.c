/* proto-tls.c - TLS over TCP (app_parser_tls): the record layer of each
 * direction, handshake messages reassembled across records, the hellos
 * (SNI, versions, JA3/JA3S/JA4) and the server certificate (proto-tls-cert.c).
 *
 * One "tls" event per flow, as Suricata logs one per handshake: it goes out
 * when the handshake is over as far as a passive observer can follow it
 * (TLS 1.3: right after the ServerHello, everything later is encrypted;
 * TLS <= 1.2: once both sides sent ChangeCipherSpec or application data), or
 * at end() for a handshake that never finished. After that the parser asks
 * for no more bytes (app_done()).
 *
 * RFC 8446 4 and 5.1 (record and handshake framing), RFC 5246 7.4, RFC 6066
 * 3 (SNI), RFC 7301 (ALPN), RFC 8701 (GREASE), JA3 (Salesforce) and JA4
 * (FoxIO technical_details/JA4.md).
 */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/evp.h>

#include "app/app.h"
#include "proto/proto-tls-cert.h"
#include "proto/proto-tls.h"
#include "util/limits.h"
#include "util/rd.h"
#include "util/util.h"

/* Record content types (RFC 8446 5.1, RFC 6520 for heartbeat). */
#define TLS_CT_CCS 20
#define TLS_CT_ALERT 21
#define TLS_CT_HANDSHAKE 22
#define TLS_CT_APPDATA 23
#define TLS_CT_HEARTBEAT 24
/* Our own marker for the SSLv2-format ClientHello record (not a TLS type). */
#define TLS_CT_SSLV2 128

/* Handshake types we read (RFC 8446 4). */
#define TLS_HS_CLIENT_HELLO 1
#define TLS_HS_SERVER_HELLO 2
#define TLS_HS_CERTIFICATE 11

/* Extensions (IANA TLS ExtensionType registry). */
#define TLS_EXT_SNI 0x0000
#define TLS_EXT_GROUPS 0x000a
#define TLS_EXT_POINT_FORMATS 0x000b
#define TLS_EXT_SIG_ALGS 0x000d
#define TLS_EXT_ALPN 0x0010
#define TLS_EXT_SUPPORTED_VERSIONS 0x002b

#define TLS_V_SSL2 0x0002
#define TLS_V_SSL3 0x0300
#define TLS_V_TLS10 0x0301
#define TLS_V_TLS11 0x0302
#define TLS_V_TLS12 0x0303
#define TLS_V_TLS13 0x0304

/* Longest SNI / ALPN name kept as text (a DNS name is at most 253 bytes;
 * SNI could carry 64 KiB). */
#define TLS_MAX_NAME_TEXT 1024

/* The ServerHello.random of a HelloRetryRequest (RFC 8446 4.1.3): the
 * SHA-256 of "HelloRetryRequest". */
static const uint8_t tls_hrr_random[32] = {
    0xcf, 0x21, 0xad, 0x74, 0xe5, 0x9a, 0x61, 0x11, 0xbe, 0x1d, 0x8c, 0x02, 0x1e, 0x65, 0xb8, 0x91,
    0xc2, 0xa2, 0x11, 0x16, 0x7a, 0xbb, 0x8c, 0x5e, 0x07, 0x9e, 0x09, 0xe2, 0xc8, 0xa8, 0x33, 0x9c,
};

static const uint16_t tls_ports[] = {443, 465, 563, 585, 636, 853, 989, 990, 992, 993, 994, 995,
                                     3269, 5061, 5223, 8443, 0};

/* One direction's record layer and the handshake message being assembled. */
struct tls_dir {
    uint8_t hdr[5];       /* record header being collected */
    uint8_t hdr_len;
    uint8_t rec_type;     /* type of the record whose body is streaming */
    uint32_t rec_left;    /* body bytes of that record still to come */
    uint8_t pre[3];       /* first body bytes of an alert/heartbeat record */
    uint8_t pre_len;
    uint32_t rec_body_len;
    uint32_t records;     /* records seen (the first may be SSLv2) */

    uint8_t hs_hdr[4];    /* handshake header (type, 24-bit length) */
    uint8_t hs_hdr_len;
    uint32_t hs_total;    /* declared body length of the message */
    uint32_t hs_got;      /* body bytes seen so far */
    uint8_t *hs_buf;      /* min(hs_total, TLS_MAX_HS_MSG) bytes, or NULL */
    uint32_t hs_msgs;

    bool ccs;             /* ChangeCipherSpec seen */
    bool encrypted;       /* handshake records are ciphertext from here on */
    bool app_data;
    bool dead;            /* framing lost: nothing more is read */
};

struct tls_state {
    struct tls_dir d[2];
    json_t *body;         /* the EVE "tls" object being built */
    json_t *extra;
    bool client_hello;
    bool server_hello;
    bool hrr;
    bool cert_seen;
    bool logged;
    uint16_t server_version; /* chosen version, 0 until a ServerHello */
    uint8_t sid[32];      /* ClientHello legacy_session_id */
    uint8_t sid_len;
    bool sid_match;       /* the ServerHello echoed a non-empty session id */
    bool alert_noted;
};

/* What the hello readers hand back besides JSON. */
struct tls_hello_info {
    uint16_t version;     /* ServerHello: chosen; ClientHello: highest offered */
    uint8_t sid[32];
    uint8_t sid_len;
};

/* --- small helpers ------------------------------------------------------ */

/* A growing string for the JA3/JA4 inputs, which can be long (a hello may
 * list 30000 cipher suites). */
struct tls_sb {
    char *p;
    size_t len, cap;
};

static void tls_sb_add(struct tls_sb *b, const char *s, size_t n)
{
    if (b->len + n + 1 > b->cap) {
        size_t cap = b->cap ? b->cap : 256;
        while (cap < b->len + n + 1)
            cap *= 2;
        b->p = xrealloc(b->p, cap);
        b->cap = cap;
    }
    memcpy(b->p + b->len, s, n);
    b->len += n;
    b->p[b->len] = '\0';
}

static void tls_sb_str(struct tls_sb *b, const char *s)
{
    tls_sb_add(b, s, strlen(s));
}

/* Appends sep (when not the first item) and v in decimal or 4-digit hex. */
static void tls_sb_num(struct tls_sb *b, unsigned v, bool *first, char sep, bool hex)
{
    /* By hand, not snprintf: a ClientHello has a hundred of these, and
     * snprintf was most of the cost of the JA3/JA4 strings. */
    static const char hexd[] = "0123456789abcdef";
    char t[24];
    int n = 0;
    if (hex) {
        for (int sh = 12; sh >= 0; sh -= 4)
            t[n++] = hexd[(v >> sh) & 0xfu];
    } else {
        n = (int)(put_dec(t, v) - t);
    }
    if (!*first)
        tls_sb_add(b, &sep, 1);
    *first = false;
    tls_sb_add(b, t, (size_t)n);
}

static void tls_sb_free(struct tls_sb *b)
{
    free(b->p);
    b->p = NULL;
    b->len = b->cap = 0;
}

/* RFC 8701: 0x0a0a, 0x1a1a, ... 0xfafa. */
static bool tls_grease(uint16_t v)
{
    return (v & 0x0f0f) == 0x0a0a && (v >> 8) == (v & 0xff);
}

/* Lower-case hex of b into out (2n + 1 bytes, NUL-terminated). */
static void tls_hex(char *out, const uint8_t *b, size_t n)
{
    *put_hex_bytes(out, b, n) = '\0';
}

/* A cipher suite as "0x%04x" (out: 7 bytes), without snprintf: a
 * ClientHello lists dozens. */
static void tls_cipher_hex(char out[7], uint16_t v)
{
    const uint8_t b[2] = {(uint8_t)(v >> 8), (uint8_t)v};
    out[0] = '0';
    out[1] = 'x';
    tls_hex(out + 2, b, 2);
}

/* The two digests JA3 and JA4 use, fetched once: given EVP_md5() or
 * EVP_sha256(), OpenSSL 3 looks the algorithm up again in every EVP_Digest
 * call, which was a third of the cost of a digest. Kept for the process. */
enum tls_md { TLS_MD5, TLS_SHA256 };
static EVP_MD *tls_md_fetched[2];
static pthread_once_t tls_md_once = PTHREAD_ONCE_INIT;

static void tls_md_fetch(void)
{
    tls_md_fetched[TLS_MD5] = EVP_MD_fetch(NULL, "MD5", NULL);
    tls_md_fetched[TLS_SHA256] = EVP_MD_fetch(NULL, "SHA256", NULL);
}

/* Lower-case hex digest of s (MD5 for JA3, SHA-256 for JA4) into out (65
 * bytes); "" if OpenSSL cannot make it. */
static void tls_digest_hex(enum tls_md which, const char *s, size_t n, char *out)
{
    pthread_once(&tls_md_once, tls_md_fetch);
    const EVP_MD *md = tls_md_fetched[which];
    if (!md)
        md = which == TLS_MD5 ? EVP_md5() : EVP_sha256();
    uint8_t h[EVP_MAX_MD_SIZE];
    unsigned int hl = 0;
    if (EVP_Digest(s, n, h, &hl, md, NULL) != 1 || hl > 32)
        hl = 0;
    tls_hex(out, h, hl);
}

/* Version names as Suricata prints them (note "TLSv1" for 1.0). */
static void tls_version_str(uint16_t v, char *out, size_t cap)
{
    switch (v) {
    case 0:
        snprintf(out, cap, "UNDETERMINED");
        break;
    case TLS_V_SSL2:
        snprintf(out, cap, "SSLv2");
        break;
    case TLS_V_SSL3:
        snprintf(out, cap, "SSLv3");
        break;
    case TLS_V_TLS10:
        snprintf(out, cap, "TLSv1");
        break;
    case TLS_V_TLS11:
        snprintf(out, cap, "TLS 1.1");
        break;
    case TLS_V_TLS12:
        snprintf(out, cap, "TLS 1.2");
        break;
    case TLS_V_TLS13:
        snprintf(out, cap, "TLS 1.3");
        break;
    default:
        if ((v & 0xff00) == 0x7f00)
            snprintf(out, cap, "TLS 1.3 draft-%u", v & 0xffu);
        else
            snprintf(out, cap, "0x%04x", v);
        break;
    }
}

static json_t *tls_version_json(uint16_t v)
{
    char buf[32];
    tls_version_str(v, buf, sizeof(buf));
    return json_string_nocheck(buf);
}

static int tls_cmp_u16(const void *a, const void *b)
{
    uint16_t x = *(const uint16_t *)a, y = *(const uint16_t *)b;
    return (x > y) - (x < y);
}

static void tls_anomaly(struct app_cx *cx, const char *what)
{
    if (cx)
        app_anomaly(cx, what);
}

/* JA4 version field (JA4.md "TLS and DTLS Version"). */
static const char *tls_ja4_version(uint16_t v)
{
    switch (v) {
    case TLS_V_TLS13:
        return "13";
    case TLS_V_TLS12:
        return "12";
    case TLS_V_TLS11:
        return "11";
    case TLS_V_TLS10:
        return "10";
    case TLS_V_SSL3:
        return "s3";
    case TLS_V_SSL2:
        return "s2";
    case 0xfeff:
        return "d1";
    case 0xfefd:
        return "d2";
    case 0xfefc:
        return "d3";
    default:
        return "00";
    }
}

static bool tls_alnum(uint8_t c)
{
    return (c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z');
}

/* --- ClientHello ---------------------------------------------------------- */

/* What one ClientHello offered, pointing into the message body. */
struct tls_ch {
    uint16_t legacy_version;
    uint16_t *ciphers;          /* all suites, GREASE included */
    uint32_t nciphers;
    uint16_t exts[TLS_MAX_EXTENSIONS];
    uint32_t nexts;
    const uint8_t *groups;      /* supported_groups list body */
    uint32_t groups_len;
    const uint8_t *pf;          /* ec_point_formats list body */
    uint32_t pf_len;
    const uint8_t *sigalgs;     /* signature_algorithms list body */
    uint32_t sigalgs_len;
    const uint8_t *alpn0;       /* first ALPN protocol name */
    uint32_t alpn0_len;
    bool has_alpn0;
    bool has_sni;               /* a host_name was read */
    bool sni_ext;               /* JA4 'd': the extension is there at all */
    uint16_t max_supported;     /* highest non-GREASE supported_versions entry */
};

/* JA3: "SSLVersion,Ciphers,Extensions,EllipticCurves,EllipticCurvePointFormats"
 * in decimal, '-' between list items, GREASE left out. */
static void tls_ja3(const struct tls_ch *ch, json_t *tls)
{
    struct tls_sb b = {0};
    bool first = true;
    tls_sb_num(&b, ch->legacy_version, &first, ',', false);
    tls_sb_str(&b, ",");
    first = true;
    for (uint32_t i = 0; i < ch->nciphers; i++)
        if (!tls_grease(ch->ciphers[i]))
            tls_sb_num(&b, ch->ciphers[i], &first, '-', false);
    tls_sb_str(&b, ",");
    first = true;
    for (uint32_t i = 0; i < ch->nexts; i++)
        if (!tls_grease(ch->exts[i]))
            tls_sb_num(&b, ch->exts[i], &first, '-', false);
    tls_sb_str(&b, ",");
    first = true;
    for (uint32_t i = 0; i + 1 < ch->groups_len; i += 2) {
        uint16_t g = (uint16_t)(ch->groups[i] << 8 | ch->groups[i + 1]);
        if (!tls_grease(g))
            tls_sb_num(&b, g, &first, '-', false);
    }
    tls_sb_str(&b, ",");
    first = true;
    for (uint32_t i = 0; i < ch->pf_len; i++)
        tls_sb_num(&b, ch->pf[i], &first, '-', false);

    char hash[65];
    tls_digest_hex(TLS_MD5, b.p, b.len, hash);
    json_t *o = json_object();
    json_object_set_new_nocheck(o, "hash", json_string_nocheck(hash));
    json_object_set_new_nocheck(o, "string", json_stringn_nocheck(b.p, b.len));
    json_object_set_new_nocheck(tls, "ja3", o);
    tls_sb_free(&b);
}

/* The 12-hex truncated SHA-256 JA4 uses; "000000000000" for an empty list. */
static void tls_ja4_hash12(const struct tls_sb *b, char out[13])
{
    if (b->len == 0) {
        memcpy(out, "000000000000", 13);
        return;
    }
    char h[65];
    tls_digest_hex(TLS_SHA256, b->p, b->len, h);
    memcpy(out, h, 12);
    out[12] = '\0';
}

static void tls_ja4(const struct tls_ch *ch, char transport, json_t *tls)
{
    uint16_t *v = xmalloc(sizeof(uint16_t) * (MAX(ch->nciphers, ch->nexts) + 1));
    uint32_t nc = 0, ne = 0, ne_all = 0;

    for (uint32_t i = 0; i < ch->nciphers; i++)
        if (!tls_grease(ch->ciphers[i]))
            v[nc++] = ch->ciphers[i];
    qsort(v, nc, sizeof(v[0]), tls_cmp_u16);
    struct tls_sb cb = {0};
    bool first = true;
    for (uint32_t i = 0; i < nc; i++)
        tls_sb_num(&cb, v[i], &first, ',', true);

    /* The count covers SNI and ALPN; the hash leaves them out. */
    for (uint32_t i = 0; i < ch->nexts; i++) {
        uint16_t e = ch->exts[i];
        if (tls_grease(e))
            continue;
        ne_all++;
        if (e != TLS_EXT_SNI && e != TLS_EXT_ALPN)
            v[ne++] = e;
    }
    qsort(v, ne, sizeof(v[0]), tls_cmp_u16);
    struct tls_sb eb = {0};
    first = true;
    for (uint32_t i = 0; i < ne; i++)
        tls_sb_num(&eb, v[i], &first, ',', true);
    if (ne) {
        first = true;
        bool any = false;
        for (uint32_t i = 0; i + 1 < ch->sigalgs_len; i += 2) {
            uint16_t s = (uint16_t)(ch->sigalgs[i] << 8 | ch->sigalgs[i + 1]);
            if (tls_grease(s))
                continue;
            if (!any)
                tls_sb_str(&eb, "_");
            any = true;
            tls_sb_num(&eb, s, &first, ',', true);
        }
    }
    free(v);

    uint16_t ver = ch->max_supported ? ch->max_supported : ch->legacy_version;
    char alpn[3] = "00";
    if (ch->has_alpn0 && ch->alpn0_len > 0) {
        uint8_t f = ch->alpn0[0], l = ch->alpn0[ch->alpn0_len - 1];
        if (tls_alnum(f) && tls_alnum(l)) {
            alpn[0] = (char)f;
            alpn[1] = (char)l;
        } else {
            /* JA4.md: the first and last characters of the hex form. */
            static const char d[] = "0123456789abcdef";
            alpn[0] = d[f >> 4];
            alpn[1] = d[l & 15];
        }
    }
    char hb[13], hc[13], out[64];
    tls_ja4_hash12(&cb, hb);
    tls_ja4_hash12(&eb, hc);
    snprintf(out, sizeof(out), "%c%s%c%02u%02u%s_%s_%s", transport, tls_ja4_version(ver),
             ch->sni_ext ? 'd' : 'i', MIN(nc, 99u), MIN(ne_all, 99u), alpn, hb, hc);
    json_object_set_new_nocheck(tls, "ja4", json_string_nocheck(out));
    tls_sb_free(&cb);
    tls_sb_free(&eb);
}

/* server_name (RFC 6066 3): the first host_name entry. */
static int tls_ch_sni(struct rd *e, json_t *tls, struct tls_ch *ch)
{
    struct rd list;
    uint16_t list_len = rd_be16(e);
    bool full = rd_sub(e, list_len, &list);
    for (unsigned i = 0; i < 16 && rd_left(&list) > 0; i++) {
        uint8_t type = rd_u8(&list);
        uint16_t n = rd_be16(&list);
        if (!rd_has(&list, n))
            return -1;
        if (type == 0 && !ch->has_sni) {
            ch->has_sni = true;
            app_json_set_bytes(tls, "sni", rd_ptr(&list), n, TLS_MAX_NAME_TEXT);
        }
        rd_skip(&list, n);
    }
    return full && rd_ok(e) && rd_ok(&list) ? 0 : -1;
}

static int tls_ch_alpn(struct rd *e, json_t *extra, struct tls_ch *ch)
{
    struct rd list;
    uint16_t list_len = rd_be16(e);
    bool full = rd_sub(e, list_len, &list);
    json_t *arr = json_array();
    for (unsigned i = 0; i < TLS_MAX_ALPN && rd_left(&list) > 0; i++) {
        uint8_t n = rd_u8(&list);
        if (!rd_has(&list, n))
            break;
        if (!ch->has_alpn0) {
            ch->has_alpn0 = true;
            ch->alpn0 = rd_ptr(&list);
            ch->alpn0_len = n;
        }
        json_array_append_new(arr, app_json_str(rd_ptr(&list), n, TLS_MAX_NAME_TEXT));
        rd_skip(&list, n);
    }
    if (extra && json_array_size(arr))
        json_object_set_new_nocheck(extra, "alpn_ts", arr);
    else
        json_decref(arr);
    return full && rd_ok(e) && rd_ok(&list) ? 0 : -1;
}

static int tls_ch_versions(struct rd *e, json_t *extra, struct tls_ch *ch)
{
    struct rd list;
    uint8_t n = rd_u8(e);
    bool full = rd_sub(e, n, &list);
    json_t *arr = json_array();
    for (unsigned i = 0; rd_left(&list) >= 2; i++) {
        uint16_t v = rd_be16(&list);
        if (tls_grease(v))
            continue;
        if (v > ch->max_supported)
            ch->max_supported = v;
        if (i < TLS_MAX_ALPN)
            json_array_append_new(arr, tls_version_json(v));
    }
    if (extra && json_array_size(arr))
        json_object_set_new_nocheck(extra, "versions_offered", arr);
    else
        json_decref(arr);
    return full && rd_ok(e) && (n & 1) == 0 ? 0 : -1;
}

/* A list with a 2-byte length of 2-byte items, kept as a pointer. */
static int tls_ch_u16_list(struct rd *e, const uint8_t **p, uint32_t *len)
{
    uint16_t n = rd_be16(e);
    struct rd list;
    bool full = rd_sub(e, n, &list);
    *p = list.p;
    *len = list.len & ~1u;
    return full && rd_ok(e) && (n & 1) == 0 ? 0 : -1;
}

static int tls_ch_extensions(struct rd *r, json_t *tls, json_t *extra, struct app_cx *cx,
                             struct tls_ch *ch)
{
    struct rd exts;
    uint16_t exts_len = rd_be16(r);
    if (!rd_ok(r) || !rd_sub(r, exts_len, &exts)) {
        tls_anomaly(cx, "tls.truncated_hello");
        return -1;
    }
    while (rd_left(&exts) > 0) {
        if (ch->nexts == TLS_MAX_EXTENSIONS) {
            tls_anomaly(cx, "tls.too_many_extensions");
            return -1;
        }
        uint16_t type = rd_be16(&exts);
        uint16_t len = rd_be16(&exts);
        struct rd e;
        if (!rd_ok(&exts) || !rd_sub(&exts, len, &e)) {
            tls_anomaly(cx, "tls.invalid_handshake");
            return -1;
        }
        ch->exts[ch->nexts++] = type;
        int erc = 0;
        switch (type) {
        case TLS_EXT_SNI:
            ch->sni_ext = true;
            if (len > 0)
                erc = tls_ch_sni(&e, tls, ch);
            break;
        case TLS_EXT_GROUPS:
            erc = tls_ch_u16_list(&e, &ch->groups, &ch->groups_len);
            break;
        case TLS_EXT_POINT_FORMATS: {
            uint8_t n = rd_u8(&e);
            struct rd list;
            erc = rd_sub(&e, n, &list) && rd_ok(&e) ? 0 : -1;
            ch->pf = list.p;
            ch->pf_len = list.len;
            break;
        }
        case TLS_EXT_SIG_ALGS:
            erc = tls_ch_u16_list(&e, &ch->sigalgs, &ch->sigalgs_len);
            break;
        case TLS_EXT_ALPN:
            erc = tls_ch_alpn(&e, extra, ch);
            break;
        case TLS_EXT_SUPPORTED_VERSIONS:
            erc = tls_ch_versions(&e, extra, ch);
            break;
        default:
            break;
        }
        /* A bad inner list does not break the extension framing: the
         * fingerprints stay computable from what the wire says. */
        if (erc < 0)
            tls_anomaly(cx, "tls.invalid_extension");
    }
    if (rd_left(r) > 0)
        tls_anomaly(cx, "tls.trailing_data");
    return 0;
}

static int tls_ch_parse(const uint8_t *body, uint32_t len, char transport, json_t *tls,
                        json_t *extra, struct app_cx *cx, struct tls_hello_info *info)
{
    struct tls_ch *ch = xcalloc(1, sizeof(*ch));
    struct rd r;
    int rc = -1;

    rd_init(&r, body, len);
    ch->legacy_version = rd_be16(&r);
    rd_skip(&r, 32);
    uint8_t sid_len = rd_u8(&r);
    if (!rd_ok(&r) || !rd_has(&r, sid_len)) {
        tls_anomaly(cx, "tls.truncated_hello");
        goto out_free;
    }
    if (sid_len > 32) {
        tls_anomaly(cx, "tls.invalid_handshake");
        goto out_free;
    }
    if (info) {
        memcpy(info->sid, rd_ptr(&r), sid_len);
        info->sid_len = sid_len;
    }
    rd_skip(&r, sid_len);

    uint16_t cs_len = rd_be16(&r);
    struct rd cs;
    if (!rd_ok(&r) || !rd_sub(&r, cs_len, &cs)) {
        tls_anomaly(cx, "tls.truncated_hello");
        goto out_free;
    }
    if (cs_len < 2 || (cs_len & 1)) {
        tls_anomaly(cx, "tls.invalid_handshake");
        goto out_free;
    }
    ch->nciphers = cs_len / 2u;
    ch->ciphers = xmalloc(sizeof(uint16_t) * ch->nciphers);
    for (uint32_t i = 0; i < ch->nciphers; i++)
        ch->ciphers[i] = rd_be16(&cs);

    uint8_t comp_len = rd_u8(&r);
    if (!rd_ok(&r) || !rd_has(&r, comp_len)) {
        tls_anomaly(cx, "tls.truncated_hello");
        goto out_free;
    }
    rd_skip(&r, comp_len);

    /* SSLv3 and early TLS hellos may end here (RFC 5246 7.4.1.2). */
    if (rd_left(&r) > 0 && tls_ch_extensions(&r, tls, extra, cx, ch) < 0)
        goto out_free;

    uint16_t top = ch->max_supported ? ch->max_supported : ch->legacy_version;
    if (info)
        info->version = top;
    json_object_set_new_nocheck(tls, "version", tls_version_json(top));
    tls_ja3(ch, tls);
    tls_ja4(ch, transport, tls);
    if (extra) {
        uint32_t n = 0;
        json_t *arr = json_array();
        for (uint32_t i = 0; i < ch->nciphers; i++) {
            if (tls_grease(ch->ciphers[i]))
                continue;
            if (n++ < TLS_MAX_LISTED_CIPHERS) {
                char h[8];
                tls_cipher_hex(h, ch->ciphers[i]);
                json_array_append_new(arr, json_string_nocheck(h));
            }
        }
        json_object_set_new_nocheck(extra, "client_ciphers", json_integer(n));
        json_object_set_new_nocheck(extra, "ciphers", arr);
    }
    rc = 0;
out_free:
    free(ch->ciphers);
    free(ch);
    return rc;
}

int tls_client_hello_json(const uint8_t *body, uint32_t len, char transport, json_t *tls,
                          json_t *extra, struct app_cx *cx)
{
    return tls_ch_parse(body, len, transport, tls, extra, cx, NULL);
}

/* --- ServerHello ------------------------------------------------------ */

/* JA3S: "SSLVersion,Cipher,Extensions" (decimal, GREASE left out). Returns
 * 0, or -1 if malformed (fields read before the fault are kept). */
static int tls_sh_parse(const uint8_t *body, uint32_t len, json_t *tls, json_t *extra,
                        struct app_cx *cx, struct tls_hello_info *info, bool *hrr)
{
    struct rd r;
    rd_init(&r, body, len);
    uint16_t legacy = rd_be16(&r);
    uint8_t random[32];
    rd_bytes(&r, random, 32);
    uint8_t sid_len = rd_u8(&r);
    if (!rd_ok(&r) || sid_len > 32 || !rd_has(&r, sid_len)) {
        tls_anomaly(cx, sid_len > 32 ? "tls.invalid_handshake" : "tls.truncated_hello");
        return -1;
    }
    *hrr = memcmp(random, tls_hrr_random, 32) == 0;
    memcpy(info->sid, rd_ptr(&r), sid_len);
    info->sid_len = sid_len;
    rd_skip(&r, sid_len);
    uint16_t cipher = rd_be16(&r);
    rd_u8(&r); /* compression method */
    if (!rd_ok(&r)) {
        tls_anomaly(cx, "tls.truncated_hello");
        return -1;
    }
    info->version = legacy;

    struct tls_sb b = {0};
    bool first = true;
    tls_sb_num(&b, legacy, &first, ',', false);
    tls_sb_str(&b, ",");
    first = true;
    tls_sb_num(&b, cipher, &first, ',', false);
    tls_sb_str(&b, ",");
    first = true;
    int rc = 0;
    if (rd_left(&r) > 0) {
        uint16_t exts_len = rd_be16(&r);
        struct rd exts;
        if (!rd_ok(&r) || !rd_sub(&r, exts_len, &exts)) {
            tls_anomaly(cx, "tls.truncated_hello");
            rc = -1;
        }
        for (unsigned i = 0; rc == 0 && rd_left(&exts) > 0; i++) {
            if (i == TLS_MAX_EXTENSIONS) {
                tls_anomaly(cx, "tls.too_many_extensions");
                rc = -1;
                break;
            }
            uint16_t type = rd_be16(&exts);
            uint16_t elen = rd_be16(&exts);
            struct rd e;
            if (!rd_ok(&exts) || !rd_sub(&exts, elen, &e)) {
                tls_anomaly(cx, "tls.invalid_handshake");
                rc = -1;
                break;
            }
            if (!tls_grease(type))
                tls_sb_num(&b, type, &first, '-', false);
            if (type == TLS_EXT_SUPPORTED_VERSIONS && elen == 2) {
                info->version = rd_be16(&e);
            } else if (type == TLS_EXT_ALPN && extra) {
                uint16_t l = rd_be16(&e);
                uint8_t n = rd_u8(&e);
                if (rd_ok(&e) && l == n + 1u && rd_has(&e, n))
                    json_object_set_new_nocheck(extra, "alpn_tc",
                                                app_json_str(rd_ptr(&e), n, TLS_MAX_NAME_TEXT));
                else
                    tls_anomaly(cx, "tls.invalid_extension");
            }
        }
    }
    if (rc == 0 && !*hrr) {
        char hash[65];
        tls_digest_hex(TLS_MD5, b.p, b.len, hash);
        json_t *o = json_object();
        json_object_set_new_nocheck(o, "hash", json_string_nocheck(hash));
        json_object_set_new_nocheck(o, "string", json_stringn_nocheck(b.p, b.len));
        json_object_set_new_nocheck(tls, "ja3s", o);
    }
    tls_sb_free(&b);
    if (extra) {
        char h[8];
        tls_cipher_hex(h, cipher);
        json_object_set_new_nocheck(extra, "cipher_chosen", json_string_nocheck(h));
        if (*hrr)
            json_object_set_new_nocheck(extra, "hello_retry", json_true());
    }
    return rc;
}

/* --- the event ---------------------------------------------------------- */

static void tls_emit(struct app_cx *cx, struct tls_state *st)
{
    if (st->logged)
        return;
    st->logged = true;
    if (st->client_hello || st->server_hello) {
        /* EVE's version is the server's (Suricata: server_connp.version). */
        json_object_set_new_nocheck(st->body, "version", tls_version_json(st->server_version));
        if (st->sid_match && !st->cert_seen && st->server_version < TLS_V_TLS13)
            json_object_set_new_nocheck(st->body, "session_resumed", json_true());
        app_event(cx, "tls", 0, st->body, st->extra);
    } else {
        json_decref(st->body);
        json_decref(st->extra);
    }
    st->body = st->extra = NULL;
    app_done(cx, -1);
}

static void tls_check_done(struct app_cx *cx, struct tls_state *st)
{
    /* After a HelloRetryRequest both sides may send a compat CCS; the
     * handshake goes on with a second ClientHello and the real ServerHello. */
    if (st->logged || !st->server_hello || st->hrr)
        return;
    const struct tls_dir *c = &st->d[0], *s = &st->d[1];
    if (st->server_version >= TLS_V_TLS13)
        tls_emit(cx, st);
    else if ((c->ccs || c->app_data) && (s->ccs || s->app_data))
        tls_emit(cx, st);
}

/* --- handshake messages ------------------------------------------------- */

static void tls_certificate(struct app_cx *cx, struct tls_state *st, int dir, const uint8_t *p,
                            uint32_t len, bool cut)
{
    struct rd r, list;
    rd_init(&r, p, len);
    uint32_t list_len = rd_be24(&r);
    if (!rd_ok(&r)) {
        tls_anomaly(cx, "tls.invalid_certificate");
        return;
    }
    bool full = rd_sub(&r, list_len, &list);
    if (!full && !cut)
        tls_anomaly(cx, "tls.invalid_certificate");
    uint32_t count = 0;
    while (rd_left(&list) >= 3 && count < TLS_MAX_CERTS) {
        uint32_t n = rd_be24(&list);
        if (!rd_has(&list, n)) {
            /* A chain cut at TLS_MAX_HS_MSG ends mid-certificate. */
            if (!cut)
                tls_anomaly(cx, "tls.invalid_certificate");
            break;
        }
        if (count == 0) {
            json_t *obj = st->body;
            json_t *extra = st->extra;
            if (dir == 0) {
                obj = json_object();
                extra = NULL;
            }
            if (n == 0 || tls_cert_json(rd_ptr(&list), n, obj, extra) < 0)
                tls_anomaly(cx, "tls.invalid_certificate");
            if (dir == 0) {
                if (json_object_size(obj))
                    json_object_set_new_nocheck(st->body, "client", obj);
                else
                    json_decref(obj);
            }
        }
        rd_skip(&list, n);
        count++;
    }
    if (dir == 1) {
        st->cert_seen = true;
        json_object_set_new_nocheck(st->extra, "cert_count", json_integer(count));
    }
}

static void tls_handshake_msg(struct app_cx *cx, struct tls_state *st, int dir, uint8_t type,
                              const uint8_t *p, uint32_t len, bool cut)
{
    struct tls_hello_info info;
    memset(&info, 0, sizeof(info));
    switch (type) {
    case TLS_HS_CLIENT_HELLO:
        if (dir != 0) {
            tls_anomaly(cx, "tls.invalid_handshake");
            break;
        }
        if (st->client_hello)
            break; /* the second hello after a HelloRetryRequest */
        st->client_hello = true;
        if (cut)
            tls_anomaly(cx, "tls.truncated_hello");
        tls_ch_parse(p, len, 't', st->body, st->extra, cx, &info);
        memcpy(st->sid, info.sid, info.sid_len);
        st->sid_len = info.sid_len;
        break;
    case TLS_HS_SERVER_HELLO: {
        if (dir != 1) {
            tls_anomaly(cx, "tls.invalid_handshake");
            break;
        }
        bool hrr = false;
        if (st->server_hello && !st->hrr)
            break;
        if (tls_sh_parse(p, len, st->body, st->extra, cx, &info, &hrr) < 0 && info.version == 0)
            break;
        st->server_hello = true;
        st->hrr = hrr;
        st->server_version = info.version;
        st->sid_match = st->sid_len > 0 && info.sid_len == st->sid_len &&
                        memcmp(info.sid, st->sid, st->sid_len) == 0;
        break;
    }
    case TLS_HS_CERTIFICATE:
        /* In TLS 1.3 the Certificate is encrypted; a plaintext one there
         * is either a 1.2 server or junk, read it the 1.2 way. */
        if ((dir == 1 && st->cert_seen) || (dir == 0 && json_object_get(st->body, "client")))
            break;
        tls_certificate(cx, st, dir, p, len, cut);
        break;
    case 0:  /* hello_request */
    case 4:  /* new_session_ticket */
    case 5:  /* end_of_early_data */
    case 8:  /* encrypted_extensions */
    case 12: /* server_key_exchange */
    case 13: /* certificate_request */
    case 14: /* server_hello_done */
    case 15: /* certificate_verify */
    case 16: /* client_key_exchange */
    case 20: /* finished */
    case 21: /* certificate_url */
    case 22: /* certificate_status */
    case 23: /* supplemental_data */
    case 24: /* key_update */
    case 25: /* compressed_certificate */
    case 67: /* next_protocol (NPN) */
        break;
    default:
        tls_anomaly(cx, "tls.invalid_handshake_type");
        break;
    }
}

/* Bytes of handshake records: messages may span records and a record may
 * hold several messages (RFC 8446 5.1). */
static void tls_hs_bytes(struct app_cx *cx, struct tls_state *st, int dir, const uint8_t *p,
                         uint32_t n)
{
    struct tls_dir *d = &st->d[dir];
    while (n > 0 && !d->dead && !st->logged) {
        if (d->hs_hdr_len < 4) {
            uint32_t take = MIN(4u - d->hs_hdr_len, n);
            memcpy(d->hs_hdr + d->hs_hdr_len, p, take);
            d->hs_hdr_len = (uint8_t)(d->hs_hdr_len + take);
            p += take;
            n -= take;
            if (d->hs_hdr_len < 4)
                return;
            d->hs_total = (uint32_t)d->hs_hdr[1] << 16 | (uint32_t)d->hs_hdr[2] << 8 | d->hs_hdr[3];
            d->hs_got = 0;
            if (d->hs_total > TLS_MAX_HS_MSG)
                tls_anomaly(cx, "tls.handshake_too_long");
            if (d->hs_total)
                d->hs_buf = xmalloc(MIN(d->hs_total, TLS_MAX_HS_MSG));
        } else {
            uint32_t take = MIN(d->hs_total - d->hs_got, n);
            if (d->hs_got < TLS_MAX_HS_MSG) {
                uint32_t keep = MIN(take, TLS_MAX_HS_MSG - d->hs_got);
                memcpy(d->hs_buf + d->hs_got, p, keep);
            }
            d->hs_got += take;
            p += take;
            n -= take;
        }
        if (d->hs_got == d->hs_total) {
            uint32_t kept = MIN(d->hs_total, TLS_MAX_HS_MSG);
            if (++d->hs_msgs > TLS_MAX_HS_MSGS) {
                tls_anomaly(cx, "tls.too_many_handshake_messages");
                d->encrypted = true; /* stop reading handshakes here */
            } else {
                tls_handshake_msg(cx, st, dir, d->hs_hdr[0], d->hs_buf, kept,
                                  kept < d->hs_total);
            }
            free(d->hs_buf);
            d->hs_buf = NULL;
            d->hs_hdr_len = 0;
            d->hs_total = d->hs_got = 0;
            tls_check_done(cx, st);
            if (d->encrypted)
                return;
        }
    }
}

/* SSLv2-format ClientHello (draft-hickman-netscape-ssl-00 and RFC 5246
 * appendix E.2), which old clients send to offer SSLv3/TLS as well. */
static void tls_sslv2_hello(struct app_cx *cx, struct tls_state *st, const uint8_t *p,
                            uint32_t len)
{
    struct rd r;
    rd_init(&r, p, len);
    uint8_t type = rd_u8(&r);
    uint16_t version = rd_be16(&r);
    uint16_t cs_len = rd_be16(&r);
    rd_be16(&r); /* session id length */
    rd_be16(&r); /* challenge length */
    if (!rd_ok(&r) || type != 1) {
        tls_anomaly(cx, "tls.invalid_sslv2_hello");
        return;
    }
    st->client_hello = true;
    json_object_set_new_nocheck(st->body, "version", tls_version_json(version));
    json_object_set_new_nocheck(st->extra, "sslv2_hello", json_true());
    json_object_set_new_nocheck(st->extra, "client_ciphers", json_integer(cs_len / 3));
}

/* --- record layer --------------------------------------------------------- */

static void tls_record_end(struct app_cx *cx, struct tls_state *st, int dir)
{
    struct tls_dir *d = &st->d[dir];
    switch (d->rec_type) {
    case TLS_CT_CCS:
        d->ccs = true;
        /* TLS 1.3 sends a dummy CCS for middleboxes (RFC 8446 D.4) and its
         * encrypted handshake travels as application data, so plaintext
         * handshake records after it (a second ClientHello) stay readable. */
        if (st->server_version < TLS_V_TLS13)
            d->encrypted = true;
        break;
    case TLS_CT_APPDATA:
        d->app_data = true;
        break;
    case TLS_CT_ALERT:
        if (!d->encrypted && d->pre_len == 2 && d->rec_body_len == 2 && !st->alert_noted) {
            st->alert_noted = true;
            json_object_set_new_nocheck(st->extra, "alert_level", json_integer(d->pre[0]));
            json_object_set_new_nocheck(st->extra, "alert_desc", json_integer(d->pre[1]));
        }
        break;
    case TLS_CT_HEARTBEAT:
        json_object_set_new_nocheck(st->extra, "heartbeat", json_true());
        /* RFC 6520 4: type(1) payload_length(2) payload padding(>=16). A
         * plaintext request whose payload_length exceeds the record is the
         * Heartbleed probe. */
        if (!d->encrypted && d->pre_len == 3) {
            uint32_t plen = (uint32_t)d->pre[1] << 8 | d->pre[2];
            if (plen + 3u + 16u > d->rec_body_len)
                tls_anomaly(cx, "tls.overflow_heartbeat");
        }
        break;
    case TLS_CT_SSLV2:
        tls_sslv2_hello(cx, st, d->hs_buf, d->rec_body_len);
        free(d->hs_buf);
        d->hs_buf = NULL;
        break;
    default:
        break;
    }
    tls_check_done(cx, st);
}

static void tls_record_data(struct app_cx *cx, struct tls_state *st, int dir, const uint8_t *p,
                            uint32_t n)
{
    struct tls_dir *d = &st->d[dir];
    switch (d->rec_type) {
    case TLS_CT_HANDSHAKE:
        if (!d->encrypted)
            tls_hs_bytes(cx, st, dir, p, n);
        break;
    case TLS_CT_ALERT:
    case TLS_CT_HEARTBEAT: {
        uint32_t take = MIN(n, (uint32_t)sizeof(d->pre) - d->pre_len);
        memcpy(d->pre + d->pre_len, p, take);
        d->pre_len = (uint8_t)(d->pre_len + take);
        break;
    }
    case TLS_CT_SSLV2: {
        uint32_t off = d->rec_body_len - d->rec_left;
        memcpy(d->hs_buf + off, p, n);
        break;
    }
    default:
        break;
    }
}

/* Validates a complete 5-byte record header; false marks the direction
 * dead (we cannot find the next record boundary). */
static bool tls_record_header(struct app_cx *cx, struct tls_dir *d)
{
    uint8_t type = d->hdr[0];
    uint16_t version = (uint16_t)(d->hdr[1] << 8 | d->hdr[2]);
    uint16_t len = (uint16_t)(d->hdr[3] << 8 | d->hdr[4]);
    if (type < TLS_CT_CCS || type > TLS_CT_HEARTBEAT) {
        tls_anomaly(cx, "tls.invalid_record_type");
        return false;
    }
    if (d->hdr[1] != 3 || version > TLS_V_TLS13) {
        tls_anomaly(cx, "tls.invalid_record_version");
        return false;
    }
    if (len > TLS_MAX_RECORD_LEN) {
        tls_anomaly(cx, "tls.record_too_long");
        return false;
    }
    if (len == 0 && type != TLS_CT_APPDATA)
        tls_anomaly(cx, "tls.empty_record");
    d->rec_type = type;
    d->rec_left = len;
    d->rec_body_len = len;
    d->pre_len = 0;
    return true;
}

static void tls_kill_dir(struct app_cx *cx, struct tls_state *st, int dir)
{
    struct tls_dir *d = &st->d[dir];
    d->dead = true;
    free(d->hs_buf);
    d->hs_buf = NULL;
    /* Nothing more will come from either side that we could read. */
    if (st->d[0].dead && st->d[1].dead)
        tls_emit(cx, st);
    else
        app_done(cx, dir);
}

static void tls_feed(struct app_cx *cx, void *state, int dir, const uint8_t *data, uint32_t len)
{
    struct tls_state *st = state;
    dir = dir ? 1 : 0;
    struct tls_dir *d = &st->d[dir];
    if (!st->body) {
        if (st->logged)
            return;
        st->body = json_object();
        st->extra = json_object();
    }
    while (len > 0 && !d->dead && !st->logged) {
        if (d->rec_left == 0 && d->hdr_len < 5) {
            d->hdr[d->hdr_len++] = *data++;
            len--;
            /* SSLv2 record header (2 bytes, top bit set) is only legal
             * for the client's first record. */
            if (d->hdr_len == 2 && dir == 0 && d->records == 0 && (d->hdr[0] & 0x80)) {
                d->rec_type = TLS_CT_SSLV2;
                d->rec_left = d->rec_body_len = (uint32_t)(d->hdr[0] & 0x7f) << 8 | d->hdr[1];
                d->hdr_len = 0;
                d->records++;
                if (d->rec_left < 9) {
                    tls_anomaly(cx, "tls.invalid_sslv2_hello");
                    tls_kill_dir(cx, st, dir);
                    return;
                }
                d->hs_buf = xmalloc(d->rec_left);
                continue;
            }
            if (d->hdr_len < 5)
                continue;
            d->hdr_len = 0;
            d->records++;
            if (!tls_record_header(cx, d)) {
                tls_kill_dir(cx, st, dir);
                return;
            }
            if (d->rec_left == 0)
                tls_record_end(cx, st, dir);
            continue;
        }
        uint32_t take = MIN(d->rec_left, len);
        tls_record_data(cx, st, dir, data, take);
        data += take;
        len -= take;
        d->rec_left -= take;
        if (d->rec_left == 0)
            tls_record_end(cx, st, dir);
    }
}

static void tls_gap(struct app_cx *cx, void *state, int dir)
{
    struct tls_state *st = state;
    if (st->logged)
        return;
    if (!st->body) {
        st->body = json_object();
        st->extra = json_object();
    }
    tls_kill_dir(cx, st, dir ? 1 : 0);
}

static void tls_end(struct app_cx *cx, void *state)
{
    struct tls_state *st = state;
    if (!st->logged && st->body)
        tls_emit(cx, st);
}

static void tls_release(void *state)
{
    struct tls_state *st = state;
    for (int i = 0; i < 2; i++) {
        free(st->d[i].hs_buf);
        st->d[i].hs_buf = NULL;
    }
    json_decref(st->body);
    json_decref(st->extra);
    st->body = st->extra = NULL;
}

/* A TLS record header carrying a ClientHello (client side) or ServerHello
 * (server side), or an SSLv2-format ClientHello. */
static enum app_probe_result tls_probe(const uint8_t *data, uint32_t len, int dir)
{
    if (len < 6)
        return len > 0 && data[0] != TLS_CT_HANDSHAKE && !(data[0] & 0x80) ? APP_PROBE_NO
                                                                            : APP_PROBE_NEED_MORE;
    uint8_t want = dir == 0 ? TLS_HS_CLIENT_HELLO : TLS_HS_SERVER_HELLO;
    if (data[0] == TLS_CT_HANDSHAKE) {
        uint16_t version = (uint16_t)(data[1] << 8 | data[2]);
        uint16_t rlen = (uint16_t)(data[3] << 8 | data[4]);
        if (version >= TLS_V_SSL3 && version <= TLS_V_TLS13 && rlen >= 4 &&
            rlen <= TLS_MAX_RECORD_LEN && data[5] == want)
            return APP_PROBE_YES;
        return APP_PROBE_NO;
    }
    /* SSLv2: 2-byte length with top bit, msg type 1, version 0x0002 or
     * 0x0300-0x0303 (RFC 5246 E.2). */
    if (dir == 0 && (data[0] & 0x80) && data[2] == 1) {
        uint16_t version = (uint16_t)(data[3] << 8 | data[4]);
        uint16_t rlen = (uint16_t)((data[0] & 0x7f) << 8 | data[1]);
        if ((version == TLS_V_SSL2 || (version >= TLS_V_SSL3 && version <= TLS_V_TLS12)) &&
            rlen >= 9)
            return APP_PROBE_YES;
    }
    return APP_PROBE_NO;
}

const struct app_parser app_parser_tls = {
    .id = APP_TLS,
    .name = "tls",
    .ipproto = 6,
    .ports = tls_ports,
    .probe = tls_probe,
    .state_size = sizeof(struct tls_state),
    .feed = tls_feed,
    .gap = tls_gap,
    .end = tls_end,
    .release = tls_release,
};
